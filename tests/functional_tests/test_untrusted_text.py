"""A lesson's ``name`` and ``description`` from Hypothesis: any code point (controls, C1, bidi
overrides, zero-width marks, noncharacters, very long text) written into a scenario file.

Whatever loads must come out clean everywhere it is shown: ``print`` (text, markdown, JSON),
``train`` (text, JSON), the saved .toml and .md, the app's screen and its SVG screenshot. Clean
means no control character (Cc) but the newlines and tabs the formats use, and no format (Cf) or
separator (Zl, Zp) character; JSON encodes controls as ``\\uXXXX``, which is fine. Whatever
does not load must be one :class:`ScenarioError` whose message is clean too (issue 11).

Cost: derandomized examples (the same every run), 5–10 s in all; the app part runs
only ten.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import tempfile
import unicodedata
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from engine import ScenarioError, builtin, dump_scenario, load_scenario, walk
from tests.screen_text import screen_text
from tui.app import TutorApp
from tui.cli import main
from tui.i18n import describe_error, set_language
from tui.saving import save_lesson

SETTINGS = settings(deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: What a file could use to act on a terminal or hide text, dense so that every example has some.
NASTY = ("\x1b]0;PWNED\x07", "\x1b[2J", "\x1b]52;c;aGk=\x07", "\x9b31m", "\x7f", "\x00", "\r",
         "\n", "\t", "\x85", "\u202e", "\u2066", "\u200b", "\u200d", "\ufeff", "\u2028", "\ufffe",
         "\U000e0041", "\U0010ffff", "\ue000", "\u0378", "é", "异或", "🙂", " ",
         "[/]", "[link=https://example.com]")  # Rich markup must show as it is, not crash
any_char = st.characters(exclude_categories=("Cs",))  # surrogates cannot be written in TOML
texts = st.one_of(
    st.text(any_char, max_size=30),
    st.lists(st.sampled_from(NASTY), max_size=6).map("".join),
    st.text(st.characters(exclude_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), max_size=30),
    # Around and far beyond the caps (80 for a name, 4000 for a description).
    st.builds(lambda piece, n: (piece * n)[:n], st.text(any_char, min_size=1, max_size=3),
              st.sampled_from([79, 80, 81, 3999, 4000, 4001, 100_000])),
)


def foreign(output: str, allowed: str = "\n\t") -> set[str]:
    """The characters of ``output`` that must not reach a terminal or a file reader."""
    return {ch for ch in output if ch not in allowed
            and unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")}


def toml_string(text: str) -> str:
    """A TOML string holding exactly ``text``: every character as an escape."""
    return '"' + "".join(f"\\U{ord(ch):08x}" for ch in text) + '"'


def lesson_file(folder: Path, name: str, description: str) -> Path:
    body = [line for line in dump_scenario(builtin("xor-sigmoid")).splitlines()
            if not line.startswith(("name =", "description ="))]
    path = folder / "lesson.toml"
    path.write_text("\n".join([f"name = {toml_string(name)}",
                               f"description = {toml_string(description)}", *body]) + "\n",
                    encoding="utf-8")
    return path


def run(*argv: str) -> tuple[int, str, str]:
    """The CLI in-process, on no terminal (so Rich writes no escape sequences of its own)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as stop:
            code = stop.code  # type: ignore[assignment]
    return code, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def no_forced_terminal():  # type: ignore[no-untyped-def]
    """Rich's environment overrides off, whatever the machine running the tests sets."""
    saved = {name: os.environ.pop(name) for name in ("FORCE_COLOR", "TTY_COMPATIBLE",
                                                      "TTY_INTERACTIVE") if name in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


def check_refused(error: ScenarioError, path: Path) -> None:
    """One error naming the key or the file, clean in both languages and on the CLI."""
    for language in ("en", "zh"):
        set_language(language)
        message = describe_error(error)
        assert not foreign(message, ""), repr(message)
    set_language("en")
    code, out, err = run("print", "--scenario", str(path))
    assert (code, out) == (2, "") and err.count("\n") == 1, err
    assert not foreign(err.rstrip("\n"), ""), repr(err)


@SETTINGS
@given(name=texts, description=texts)
def test_cli_and_saved_files_show_no_foreign_characters(name: str, description: str) -> None:
    with tempfile.TemporaryDirectory() as temporary, no_forced_terminal():
        folder = Path(temporary)
        path = lesson_file(folder, name, description)
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            check_refused(error, path)
            return
        assert (scenario.name, scenario.description) == (name, description)
        outputs = {}
        for command in (["print", "--format", "text"], ["print", "--format", "markdown"],
                        ["print", "--format", "json"], ["train", "--epochs", "2"],
                        ["train", "--epochs", "2", "--format", "json"]):
            code, out, err = run(*command, "--scenario", str(path))
            assert code == 0 and err == "", (command, err)
            outputs[" ".join(command)] = out
        toml_path, md_path = save_lesson(walk(scenario), folder)
        outputs["saved .toml"] = toml_path.read_text(encoding="utf-8")
        outputs["saved .md"] = md_path.read_text(encoding="utf-8")
        assert load_scenario(toml_path) == scenario
        for what, output in outputs.items():
            assert not foreign(output), (what, foreign(output))


async def app_outputs(path: Path) -> list[tuple[str, str]]:
    """What the app shows for the lesson in ``path``: the lesson screen at its start and one
    step on, the editor's title; and the SVG screenshot of each."""
    app = TutorApp(load_scenario(path))
    seen: list[tuple[str, str]] = []
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(50):
            if app.lesson.walked and app.lesson_screen.cursor is app.lesson.place:
                break
            await pilot.pause()
        for keys in ((), ("right",), ("e",)):
            await pilot.press(*keys)
            await pilot.pause()
            seen.append((screen_text(app), app.export_screenshot()))
    return seen


@settings(SETTINGS, max_examples=8)
@given(name=texts.filter(lambda text: len(text) < 200))
@example(name="evil\u001b]0;PWNED\u0007\u001b[2J")  # the name
@example(name="异或 🙂 é\ue000 " + "n" * 70)  # wide, private-use, the longest name
def test_the_app_shows_no_foreign_characters(name: str) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        path = lesson_file(Path(temporary), name, "")
        try:
            load_scenario(path)
        except ScenarioError as error:
            check_refused(error, path)
            return
        for screen, svg in asyncio.run(app_outputs(path)):
            assert not foreign(screen, "\n"), foreign(screen, "\n")
            assert not foreign(svg, "\n"), foreign(svg, "\n")
            ElementTree.fromstring(svg)  # well-formed XML


def test_the_examples_reach_both_sides() -> None:
    """The texts are often loaded and often refused, for each key and reason."""
    outcomes: list[tuple[str, str]] = []

    @SETTINGS
    @given(name=texts, description=texts)
    def collect(name: str, description: str) -> None:
        with tempfile.TemporaryDirectory() as temporary:
            try:
                load_scenario(lesson_file(Path(temporary), name, description))
                outcomes.append(("", "loaded"))
            except ScenarioError as error:
                outcomes.append((error.key, error.code))

    collect()
    assert outcomes.count(("", "loaded")) >= 20, outcomes
    for refused in [("name", "plain_text"), ("name", "text_length"),
                    ("description", "plain_text_lines")]:
        assert refused in outcomes, outcomes
