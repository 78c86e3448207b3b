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
import json
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from engine import BUILTIN_SCENARIOS, Scenario, ScenarioError, resolve_scenario
from engine.builtin_lessons import article_partner
from engine.numbers import fmt, json_number
from engine.text import to_ascii
from tui.i18n import (
    LANGUAGES,
    describe_error,
    detect_language,
    language,
    set_language,
    t,
)

PROG = "backprop-tutor"
DEFAULT_EPOCHS = 1000
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
    return parser


def load(name: str) -> Scenario:
    """The scenario named on the command line, or a clean exit with the loader's message."""
    try:
        return resolve_scenario(name)
    except ScenarioError as error:
        fail(describe_error(error))


def run_print(scenario: Scenario, output_format: str, ascii_only: bool) -> int:
    """``backprop-tutor print``: the first iteration's walkthrough."""
    from engine.walkthrough import walk
    from tui.transcript import render_json, render_markdown, render_text

    w = walk(scenario)
    if output_format == "json":
        print(render_json(w, ascii_only))
    elif output_format == "markdown":
        print(render_markdown(w, ascii_only))
    else:
        render_text(w, _console(), ascii_only)
    return 0


def _console():  # type: ignore[no-untyped-def]
    """A Rich console on stdout that, when the reader goes away (``| head``), exits quietly
    with status 0 like the JSON and markdown outputs, instead of Rich's status 1."""
    from rich.console import Console

    class _QuietPipeConsole(Console):
        def on_broken_pipe(self) -> None:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise SystemExit(0)

    return _QuietPipeConsole(highlight=False)


def run_train(scenario: Scenario, epochs: int, output_format: str, every: int,
              ascii_only: bool) -> int:
    """``backprop-tutor train``: N epochs, the loss of each, then the predictions."""
    if epochs < 0:
        fail(t("cli.negative_epochs", value=epochs))
    if every < 0:
        fail(t("cli.negative_every", value=every))
    result = _train_with_progress(scenario, epochs)
    warnings = [] if result.finite else [t("cli.overflow")]
    for warning in warnings:
        print(f"{PROG}: {t('cli.warning')}: {warning}", file=sys.stderr)
    if output_format == "json":
        data = {
            "scenario": scenario.name,
            "epochs": [
                {"epoch": i + 1, "loss": json_number(v)} for i, v in enumerate(result.losses)
            ],
            "predictions": [
                {
                    "input": list(scenario.inputs[i]),
                    "target": list(scenario.targets[i]),
                    "prediction": [json_number(v) for v in row],
                }
                for i, row in enumerate(result.predictions.tolist())
            ],
            "warnings": warnings,
        }
        print(json.dumps(data, indent=2, allow_nan=False))
        return 0
    from rich import box
    from rich.table import Table

    conv = to_ascii if ascii_only else (lambda s: s)
    frame = box.ASCII if ascii_only else box.HEAVY_HEAD
    console = _console()
    n = result.epochs
    step = every or (1 if n <= 100 else max(1, round(n / 25)))
    shown = sorted({i for i in range(0, n, step)} | ({n - 1} if n else set()))
    table = Table(title=conv(t("tr.title", name=scenario.name)), title_justify="left", box=frame)
    table.add_column(t("tr.epoch"), justify="right")
    table.add_column(conv(t("tr.loss")), justify="right")
    for i in shown:
        table.add_row(str(i + 1), conv(fmt(float(result.losses[i]))))
    console.print(table)
    if step > 1:
        console.print(t("cli.every_hint", every=step))
    predictions = Table(title=conv(t("tr.predictions")), title_justify="left", box=frame)
    for heading in ("tr.input_col", "tr.target", "tr.prediction"):
        predictions.add_column(t(heading), justify="right")
    for i, row in enumerate(result.predictions.tolist()):
        predictions.add_row(
            conv(", ".join(fmt(v) for v in scenario.inputs[i])),
            conv(", ".join(fmt(v) for v in scenario.targets[i])),
            conv(", ".join(fmt(v) for v in row)),
        )
    console.print(predictions)
    return 0


def _train_with_progress(scenario: Scenario, epochs: int):  # type: ignore[no-untyped-def]
    """Train, with a progress bar on stderr when it is a terminal and the run is long."""
    from engine.training import train

    if epochs < PROGRESS_MIN_EPOCHS or not sys.stderr.isatty():
        return train(scenario, epochs)
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(t("cli.training"), total=epochs)

        def report(done: int, _loss: float) -> None:
            bar.update(task, completed=done)

        return train(scenario, epochs, progress=report, report_every=max(1, epochs // 200))


def run_app(scenario: Scenario, ascii_only: bool) -> int:
    """Open the tutor (imports Textual only now)."""
    from tui.app import TutorApp

    TutorApp(scenario, ascii_only=ascii_only).run()
    return 0


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
    try:
        if args.command == "print":
            return run_print(scenario, args.format, args.ascii)
        if args.command == "train":
            return run_train(scenario, args.epochs, args.format, args.every, args.ascii)
        return run_app(scenario, args.ascii)
    except BrokenPipeError:
        # `backprop-tutor print | head`: the reader left; that is not an error.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
