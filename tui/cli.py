"""The ``backprop-tutor`` command: the app by default, ``print`` and ``train`` for pipes.

Textual is imported only when the app starts, so ``print`` and ``train`` stay quick.
Every bad input ends in one message on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import os

# NumPy's OpenBLAS starts a thread per core at import, which costs start-up time and memory
# and buys nothing for networks this small. A user's own setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from engine import BUILTIN_SCENARIOS, Scenario, ScenarioError, resolve_scenario
from engine.builtin_lessons import article_partner
from engine.numbers import fmt, json_number
from tui.glyphs import Glyphs
from tui.i18n import (
    LANGUAGES,
    describe_error,
    detect_language,
    language,
    set_language,
    t,
)

if TYPE_CHECKING:
    from engine.training import TrainingResult
    from tui.lessons_dir import LessonsPolicy

PROG = "backprop-tutor"
DEFAULT_EPOCHS = 1000
#: Ten million epochs of a built-in lesson take minutes, of a large network hours; and
#: ``--format json`` keeps every epoch's loss, 80 MB at this bound.
MAX_EPOCHS = 10_000_000
PROGRESS_MIN_EPOCHS = 2000


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors in our one-line form and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        fail(_translate_usage_error(message))


#: argparse's own messages (English only), recognised so they can be said in the catalogue's
#: language: (pattern, catalogue key).
_USAGE_ERRORS = (
    (
        r"argument (?P<option>\S+): invalid choice: '?(?P<value>[^' ]*)'? "
        r"\(choose from (?P<choices>.*)\)",
        "cli.invalid_choice",
    ),
    (r"argument (?P<option>\S+): invalid int value: '?(?P<value>[^']*)'?", "cli.invalid_int"),
    (r"argument (?P<option>\S+): expected one argument", "cli.expected_value"),
    (r"unrecognized arguments: (?P<value>.*)", "cli.unrecognized"),
)


def _translate_usage_error(message: str) -> str:
    """argparse's message in the current language, when it is one we know."""
    for pattern, key in _USAGE_ERRORS:
        match = re.fullmatch(pattern, message)
        if match:
            return t(key, **match.groupdict())
    return message


def fail(message: str) -> NoReturn:
    """Print ``backprop-tutor: error: …`` and exit with status 2."""
    print(f"{PROG}: {t('cli.error')}: {message}", file=sys.stderr)
    raise SystemExit(2)


def _common_options(defaults: bool) -> argparse.ArgumentParser:
    """``--scenario`` and ``--ascii``, accepted before and after the command.

    The commands' copies have no defaults (SUPPRESS), so ``backprop-tutor --ascii print``
    keeps the value given before the command.
    """
    names = ", ".join(BUILTIN_SCENARIOS)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--scenario", metavar="NAME|PATH", help=t("cli.scenario", names=names),
                        default="article" if defaults else argparse.SUPPRESS)
    common.add_argument("--ascii", action="store_true", help=t("cli.ascii"),
                        default=False if defaults else argparse.SUPPRESS)
    common.add_argument("--corrected", action="store_true", help=t("cli.corrected"),
                        default=False if defaults else argparse.SUPPRESS)
    common.add_argument("--lang", choices=LANGUAGES, help=t("cli.lang"),
                        default=None if defaults else argparse.SUPPRESS)
    return common


def build_parser() -> argparse.ArgumentParser:
    """The parser for the app's options and the ``print`` and ``train`` commands."""
    parser = _Parser(prog=PROG, description=t("cli.description"),
                     parents=[_common_options(defaults=True)])
    parser.add_argument("--fresh", action="store_true", help=t("cli.fresh"))
    # The tutor's own (not the commands'): what a served session may open and save.
    parser.add_argument("--sandbox", action="store_true", help=t("cli.sandbox"))
    parser.add_argument("--lessons", metavar="DIR", help=t("cli.lessons"))
    common = _common_options(defaults=False)
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    printer = commands.add_parser("print", parents=[common], help=t("cli.print"))
    printer.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                         help=t("cli.format"))
    trainer = commands.add_parser("train", parents=[common], help=t("cli.train"))
    trainer.add_argument("--epochs", type=int, default=DEFAULT_EPOCHS,
                         help=t("cli.epochs", default=DEFAULT_EPOCHS))
    trainer.add_argument("--format", choices=("text", "json"), default="text",
                         help=t("cli.format"))
    trainer.add_argument("--every", type=int, default=0, metavar="N", help=t("cli.every"))
    _serve_parser(commands.add_parser("serve", parents=[common], help=t("cli.serve")))
    return parser


def _serve_parser(server: argparse.ArgumentParser) -> None:
    """``serve``'s options (checked in :func:`run_serve`, so that their messages are ours)."""
    from tui.serve.options import DEFAULT_HOST, DEFAULT_PORT

    server.add_argument("--ssh", metavar="[HOST:]PORT", default=f"{DEFAULT_HOST}:{DEFAULT_PORT}",
                        help=t("serve.ssh"))
    server.add_argument("--web", metavar="[HOST:]PORT", help=t("serve.web"))
    server.add_argument("--public-url", metavar="URL", help=t("serve.public_url"))
    server.add_argument("--max-sessions", type=int, default=50, metavar="N",
                        help=t("serve.max_sessions", default=50))
    server.add_argument("--idle-timeout", default="30m", metavar="DURATION",
                        help=t("serve.idle_timeout"))
    server.add_argument("--max-duration", default="4h", metavar="DURATION",
                        help=t("serve.max_duration"))
    # Its own name: the tutor's top-level --lessons (before "serve") counts too.
    server.add_argument("--lessons", dest="serve_lessons", metavar="DIR",
                        help=t("serve.lessons"))
    server.add_argument("--host-key", metavar="PATH", help=t("serve.host_key"))
    password = server.add_mutually_exclusive_group()
    password.add_argument("--password-file", metavar="PATH", help=t("serve.password_file"))
    password.add_argument("--password-env", metavar="VAR", help=t("serve.password_env"))
    server.add_argument("--teacher", metavar="NAME", help=t("serve.teacher"))
    teacher = server.add_mutually_exclusive_group()
    teacher.add_argument("--teacher-password-file", metavar="PATH",
                         help=t("serve.teacher_password_file"))
    teacher.add_argument("--teacher-password-env", metavar="VAR",
                         help=t("serve.teacher_password_env"))
    server.add_argument("--authorized-keys", metavar="PATH", help=t("serve.authorized_keys"))
    server.add_argument("--log", metavar="PATH", help=t("serve.log"))
    server.add_argument("--db", metavar="PATH", help=t("serve.db"))


def load(name: str) -> Scenario:
    """The scenario named on the command line, or a clean exit with the loader's message."""
    try:
        return resolve_scenario(name)
    except ScenarioError as error:
        fail(describe_error(error))


def run_print(scenario: Scenario, output_format: str, ascii_only: bool) -> int:
    """``backprop-tutor print``: the first iteration's walkthrough, written as it is made."""
    from engine.walkthrough import walk
    from tui.transcript import render_text, write_json, write_markdown

    w = walk(scenario)
    if output_format == "json":
        write_json(w, sys.stdout, ascii_only)
    elif output_format == "markdown":
        write_markdown(w, sys.stdout, ascii_only)
    else:
        render_text(w, _console(), ascii_only)
    return 0


def _console():  # type: ignore[no-untyped-def]
    """A Rich console on stdout that, when the reader goes away (``| head``), exits quietly
    with status 0 like the JSON and markdown outputs, instead of Rich's status 1.

    On a terminal, tables are fitted to its width. To a file or a pipe nothing is wrapped
    (whatever ``COLUMNS`` says: a line is a row, a note, a formula) and no line ends in the
    spaces Rich pads tables with."""
    from rich.console import Console

    from tui.transcript import UNWRAPPED_WIDTH, TrimmedLines

    class _QuietPipeConsole(Console):
        def on_broken_pipe(self) -> None:
            _drop_stdout()
            raise SystemExit(0)

    if _is_terminal(sys.stdout):
        return _QuietPipeConsole(highlight=False)
    return _QuietPipeConsole(highlight=False, file=TrimmedLines(sys.stdout),
                             width=UNWRAPPED_WIDTH)


def _is_terminal(stream: Any) -> bool:
    """True when ``stream`` is a terminal (or Rich is told to treat it as one)."""
    if os.environ.get("FORCE_COLOR") or os.environ.get("TTY_COMPATIBLE") == "1":
        return True
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed file
        return False


def run_train(scenario: Scenario, epochs: int, output_format: str, every: int,
              ascii_only: bool) -> int:
    """``backprop-tutor train``: N epochs, the loss of each, then the predictions."""
    if epochs < 0:
        fail(t("cli.negative_epochs", value=epochs))
    if epochs > MAX_EPOCHS:
        fail(t("cli.too_many_epochs", value=epochs, max=MAX_EPOCHS))
    if every < 0:
        fail(t("cli.negative_every", value=every))
    # The text table shows one epoch in ``step`` (and the last): only those losses are kept.
    step = every or (1 if epochs <= 100 else max(1, round(epochs / 25)))
    if epochs == 0:
        # Nothing runs: say so rather than print an empty table; the predictions follow.
        print(f"{PROG}: {t('cli.nothing_to_train')}", file=sys.stderr)
    result = _train_with_progress(scenario, epochs, step if output_format == "text" else 1)
    warnings = [] if result.finite else [t("cli.overflow")]
    for warning in warnings:
        print(f"{PROG}: {t('cli.warning')}: {warning}", file=sys.stderr)
    if output_format == "json":
        from tui.transcript import write_json_object

        write_json_object(sys.stdout, _training_json(scenario, result, warnings),
                          ascii_only=True)
    else:
        _print_training_tables(scenario, result, step, ascii_only)
    return 0


def _training_json(scenario: Scenario, result: TrainingResult,
                   warnings: list[str]) -> Iterator[tuple[str, Any]]:
    """``train --format json``'s keys and values, each made as it is written: ten million
    epochs are written one by one, not gathered first."""
    yield "scenario", scenario.name
    yield "epochs", ({"epoch": i + 1, "loss": json_number(v)}
                     for i, v in enumerate(result.losses))
    yield "predictions", (
        {
            "input": list(scenario.inputs[i]),
            "target": list(scenario.targets[i]),
            "prediction": [json_number(v) for v in row],
        }
        for i, row in enumerate(result.predictions.tolist())
    )
    yield "warnings", warnings


def _print_training_tables(scenario: Scenario, result: TrainingResult, step: int,
                           ascii_only: bool) -> None:
    """The text of ``train``: the kept epochs' losses, then the predictions, as Rich tables
    printed a chunk of rows at a time (``--every 1`` can ask for ten million rows)."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from tui.transcript import Rows, print_table

    text = Glyphs(ascii_only).text
    console = _console()

    def heading(title: str) -> None:
        # A line of its own, not the table's title, which is wrapped to the table's width
        # ("backprop-tutor:" over "xor-sigmoid"). Text, not str: a str is read as markup, and
        # the name comes from a file.
        console.print(Text(text(title), style="bold"))

    def table(*headings: str) -> Callable[[bool], Table]:
        def make(first: bool) -> Table:
            made = Table(box=box.ASCII if ascii_only else box.HEAVY_HEAD, show_header=first)
            for heading in headings:
                made.add_column(Text(text(heading)), justify="right")
            return made

        return make

    def numbers(values: Sequence[float]) -> str:
        return text(", ".join(fmt(v) for v in values))

    losses = Rows(lambda: ((str(i + 1), text(fmt(float(v))))
                           for i, v in zip(result.loss_epochs, result.losses)))
    heading(t("tr.title", name=scenario.name))
    if result.epochs:  # else nothing ran (said on stderr): no empty table
        print_table(console, table(t("tr.epoch"), t("tr.loss_col")), losses)
    if step > 1 and result.epochs:
        console.print(Text(text(t("cli.every_hint", every=step))))
    outputs = result.predictions.tolist()
    predictions = Rows(lambda: ((numbers(scenario.inputs[i]), numbers(scenario.targets[i]),
                                 numbers(row)) for i, row in enumerate(outputs)))
    heading(t("tr.predictions") if result.epochs else t("tr.predictions_untrained"))
    print_table(console, table(t("tr.input_col"), t("tr.target"), t("tr.prediction")),
                predictions)


def _train_with_progress(scenario: Scenario, epochs: int, loss_every: int) -> TrainingResult:
    """Train, keeping one loss in ``loss_every``, with a progress bar on stderr when it is a
    terminal and the run is long."""
    from engine.training import train

    if epochs < PROGRESS_MIN_EPOCHS or not sys.stderr.isatty():
        return train(scenario, epochs, loss_every=loss_every)
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(t("cli.training"), total=epochs)

        def report(done: int, _loss: float) -> None:
            bar.update(task, completed=done)

        return train(scenario, epochs, progress=report, report_every=max(1, epochs // 200),
                     loss_every=loss_every)


def lessons_policy(sandbox: bool, lessons: str | None) -> LessonsPolicy | None:
    """What the tutor may open and save (``--sandbox``, ``--lessons DIR``), or None when
    neither was given; a ``--lessons`` that is not a readable folder ends here, with one
    message."""
    from tui.lessons_dir import LessonsPolicy, safe_name

    if lessons is None:
        return LessonsPolicy(sandbox=True) if sandbox else None
    if not (os.path.isdir(lessons) and os.access(lessons, os.R_OK | os.X_OK)):
        fail(t("cli.lessons_not_dir", path=safe_name(lessons)))
    return LessonsPolicy(Path(os.path.abspath(lessons)), sandbox=sandbox)


def run_app(scenario: Scenario, ascii_only: bool, fresh: bool = False,
            policy: LessonsPolicy | None = None) -> int:
    """Open the tutor (imports Textual only now) where the learner left the lesson, or at its
    beginning (``fresh``), opening and saving what ``policy`` allows (everything, if None);
    its exit status is Textual's (1 after a crash, whose report Textual prints on stderr),
    or 128 + the signal's number when a hang-up (SIGHUP) or SIGTERM ended it (the place is
    written then too)."""
    if not _on_a_terminal():
        # Textual would draw, and wait for keys, forever: ``ssh host backprop-tutor``.
        fail(t("cli.no_terminal"))
    from tui.app import TutorApp

    # The policy only when one was asked for: without it the app is made exactly as before.
    options = {} if policy is None else {"policy": policy}
    app = TutorApp(scenario, ascii_only=ascii_only, fresh=fresh, **options)
    app.run()
    ended_by = getattr(app, "ended_by", None)  # (a test's stand-in app may not say)
    if ended_by is not None:
        # Hung up or terminated: the place is written already; the terminal may be gone, so
        # nothing is said on it.
        return 128 + ended_by
    code = app.return_code or 0
    if not code:
        app.remember()  # closed by q, or by ctrl+q, which skips the tutor's own quit
    if code:
        print(f"{PROG}: {t('cli.error')}: {t('cli.crashed')}", file=sys.stderr)
    return code


def _on_a_terminal() -> bool:
    """True when the app can talk to someone: keys come from a terminal and the screen goes
    to one."""
    return all(stream is not None and stream.isatty() for stream in (sys.stdin, sys.stdout))


def _write_out(command: Callable[[], int], ascii_only: bool) -> int:
    """Run a command that writes on stdout, flushing it: a reader that leaves (``| head``) is
    not an error; a write that fails (a full disk, an encoding that lacks a character) is one
    line on stderr and exit status 1, never a traceback."""
    try:
        code = command()
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _drop_stdout()
        return 0
    except UnicodeEncodeError as error:
        advice = t("cli.encoding_utf8") if ascii_only else t("cli.encoding_ascii")
        message = t("cli.cannot_encode", encoding=error.encoding,
                    code=f"U+{ord(error.object[error.start]):04X}", advice=advice)
    except OSError as error:
        _drop_stdout()
        message = t("cli.cannot_write", reason=error.strerror or error)
    print(f"{PROG}: {t('cli.error')}: {message}", file=sys.stderr)
    return 1


def _drop_stdout() -> None:
    """Point stdout at the null device, so that what is still buffered goes nowhere when
    Python flushes it at exit, instead of failing there again ("Exception ignored…")."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a file: nothing is flushed at exit
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _language_from(argv: Sequence[str]) -> str:
    """``--lang`` if given (checked properly by the parser later), else the locale's language.

    Looked at before the parser is built, so that its help and errors are in that language.
    """
    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        if value in LANGUAGES:
            return value
    return detect_language()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``backprop-tutor`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(_language_from(argv))
    args = build_parser().parse_args(argv)
    if args.ascii and language() != "en":
        # Chinese cannot be drawn with ASCII characters: --ascii means English.
        print(f"{PROG}: {t('cli.ascii_english')}", file=sys.stderr)
        set_language("en")
    scenario = load(args.scenario)
    if args.corrected:
        partner = article_partner(scenario)
        if partner is None or partner.name != "article-corrected":
            fail(t("cli.corrected_only"))
        scenario = partner
    if args.command == "serve":
        from tui.serve.command import run_serve

        name = scenario.name if args.corrected or args.scenario in BUILTIN_SCENARIOS \
            else os.path.abspath(args.scenario)
        return run_serve(args, name, fail)
    try:
        if args.command == "print":
            return _write_out(lambda: run_print(scenario, args.format, args.ascii), args.ascii)
        if args.command == "train":
            return _write_out(lambda: run_train(scenario, args.epochs, args.format, args.every,
                                                args.ascii), args.ascii)
        return run_app(scenario, args.ascii, args.fresh,
                       lessons_policy(args.sandbox, args.lessons))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
