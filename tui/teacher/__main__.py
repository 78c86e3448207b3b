"""``python -m tui.teacher [--lang L] [--ascii] [--lessons DIR]``: the class view on the
channel the server gave (``$BACKPROP_TUTOR_CHANNEL``). Started by ``backprop-tutor serve``
for the teacher; without the channel it says so and exits with status 2."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tui.i18n import LANGUAGES, detect_language, language, set_language, t

PROG = "python -m tui.teacher"
#: How much less the view asks of the CPU than the learners' tutors (os.nice).
VIEW_NICE = 10


def _language_from(argv: Sequence[str]) -> str:
    """``--lang`` if given (checked by the parser later), else the locale's: looked at first,
    so the parser's help is in that language."""
    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        if value in LANGUAGES:
            return value
    return detect_language()


def fail(message: str) -> int:
    """One line on stderr; exit status 2."""
    print(f"{PROG}: {t('cli.error')}: {message}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the class view until q (or the server hangs up)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(_language_from(argv))
    parser = argparse.ArgumentParser(prog=PROG, description=t("teacher.description"))
    parser.add_argument("--lang", choices=LANGUAGES, help=t("cli.lang"))
    parser.add_argument("--ascii", action="store_true", help=t("cli.ascii"))
    parser.add_argument("--lessons", metavar="DIR", type=Path, help=t("teacher.cli.lessons"))
    args = parser.parse_args(argv)
    if args.ascii and language() != "en":
        # Chinese cannot be drawn with ASCII characters: --ascii means English.
        print(f"{PROG}: {t('cli.ascii_english')}", file=sys.stderr)
        set_language("en")

    from tui.teacher.channel import ClassChannel

    channel = ClassChannel.from_environment()
    if channel is None:
        return fail(t("teacher.not_served"))
    if not all(stream is not None and stream.isatty() for stream in (sys.stdin, sys.stdout)):
        channel.close()
        return fail(t("teacher.no_terminal"))
    # The learners' keys come first: a tutor that wants the CPU gets it before the view,
    # which may lag a snapshot (it has a second: bench/serve.py --teacher).
    with contextlib.suppress(OSError):
        os.nice(VIEW_NICE)
    from tui.teacher.app import ClassViewApp

    app = ClassViewApp(channel, ascii_only=args.ascii, lessons=args.lessons)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())
