"""Scenario files from someone else (issue 11, "safe on a shared server").

A lesson's ``name`` and ``description`` are shown as they are by every front end, so text that
could act on a terminal (escape sequences, bidi overrides, zero-width marks, line breaks) is
refused with a message naming the key, and so is text too long to show. Only regular files
are read, never more than a cap, and never by waiting on a pipe; a leading byte order mark is
fine. Error messages show what they quote escaped, never raw.
"""

from __future__ import annotations

import os
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from engine import ScenarioError, builtin, dump_scenario, load_scenario
from engine.scenario import Init, Scenario
from tests.fresh_python import run_fresh
from tui.cli import main
from tui.i18n import describe_error, set_language

ERROR_PREFIX = "backprop-tutor: error: "
#: The caps (engine/scenario.py, engine/scenario_file.py), written out so that each test here
#: runs, and fails, on code without them.
MAX_NAME_CHARS = 80
MAX_DESCRIPTION_CHARS = 4000
MAX_FILE_BYTES = 16 * 1024 * 1024
EVIL_NAME = "evil\u001b]0;PWNED\u0007\u001b[2J"
#: Characters that must never reach a terminal from a file: C0 and C1 controls, DEL, bidi
#: overrides and isolates, zero-width ones, the BOM, a language tag, line separators and a
#: noncharacter (not even XML).
UNSAFE = ["\x1b", "\x07", "\x00", "\r", "\x7f", "\x9b", "\x85", "\u202e", "\u2067", "\u200b",
          "\u200d", "\ufeff", "\u00ad", "\U000e0001", "\u2028", "\u2029", "\ufffe", "\U0010ffff"]


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


def lesson_text(**fields: str) -> str:
    """The article's lesson as a file, with some top-level strings replaced (TOML escapes)."""
    scenario = builtin("article")
    lines = dump_scenario(scenario).splitlines()
    body = [line for line in lines if not line.startswith(("name =", "description ="))]
    head = [f"{key} = {toml_string(value)}" for key, value in fields.items()]
    return "\n".join(head + body) + "\n"


def toml_string(text: str) -> str:
    """A TOML basic string holding exactly ``text`` (every character escaped)."""
    return '"' + "".join(f"\\U{ord(ch):08x}" for ch in text) + '"'


def write(tmp_path: Path, text: str, name: str = "lesson.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value


def clean(message: str) -> bool:
    """No control or format character in ``message``: it can go to a terminal as it is."""
    return not any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in message)


def test_the_caps() -> None:
    from engine import scenario, scenario_file

    assert (scenario.MAX_NAME_CHARS, scenario.MAX_DESCRIPTION_CHARS) == (MAX_NAME_CHARS,
                                                                         MAX_DESCRIPTION_CHARS)
    assert scenario_file.MAX_FILE_BYTES == MAX_FILE_BYTES


# --- name and description -------------------------------------------------------------------


def test_the_issue_name_is_refused_naming_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, lesson_text(name=EVIL_NAME))
    error = error_of(path)
    assert (error.key, error.code, error.params) == ("name", "plain_text", {"position": 5})
    message = str(error)
    assert message.startswith(f"{path}: key 'name': expected one line of text"), message
    assert "got '\\x1b'" in message and clean(message)


def test_the_cli_refuses_the_issue_name_with_one_clean_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, lesson_text(name=EVIL_NAME))
    for command in (["print"], ["train", "--epochs", "2"]):
        with pytest.raises(SystemExit) as stop:
            main([*command, "--scenario", str(path)])
        out, err = capsys.readouterr()
        assert (stop.value.code, out) == (2, "")
        assert err.startswith(f"{ERROR_PREFIX}{path}: key 'name'") and err.count("\n") == 1
        assert clean(err.rstrip("\n")), repr(err)


@pytest.mark.parametrize("ch", UNSAFE, ids=[f"U+{ord(c):04X}" for c in UNSAFE])
def test_unsafe_characters_are_refused_in_name_and_description(tmp_path: Path, ch: str) -> None:
    for key in ("name", "description"):
        error = error_of(write(tmp_path, lesson_text(**{key: f"ab{ch}c"})))
        assert error.key == key and error.params["position"] == 3, str(error)
        assert clean(str(error)), repr(str(error))


@pytest.mark.parametrize("ch", UNSAFE, ids=[f"U+{ord(c):04X}" for c in UNSAFE])
def test_a_scenario_built_in_code_is_checked_too(ch: str) -> None:
    with pytest.raises(ScenarioError, match="key 'name'"):
        builtin("article").with_changes(name=f"x{ch}")
    with pytest.raises(ScenarioError, match="key 'description'"):
        builtin("article").with_changes(description=f"x{ch}")


def test_what_a_name_and_a_description_may_hold(tmp_path: Path) -> None:
    name = "XOR 异或 — é, spaces\u00a0and\u3000more, 🙂, private \ue000, a [bold] tag"
    description = "Two lines,\nthe second\twith a tab. 中文 too."
    loaded = load_scenario(write(tmp_path, lesson_text(name=name, description=description)))
    assert (loaded.name, loaded.description) == (name, description)
    with pytest.raises(ScenarioError, match="key 'name'"):  # a name is one line
        builtin("article").with_changes(name="two\nlines")
    with pytest.raises(ScenarioError, match="key 'name'"):
        builtin("article").with_changes(name="a\ttab")


def test_a_multi_line_description_from_a_windows_editor_loads(tmp_path: Path) -> None:
    """CRLF line ends: TOML reads a multi-line string's as newlines, so no carriage return."""
    text = lesson_text().replace("layers =", 'description = """\nFirst line,\nsecond."""\nlayers =')
    path = tmp_path / "crlf.toml"
    path.write_bytes(text.replace("\n", "\r\n").encode())
    assert load_scenario(path).description == "First line,\nsecond."


def test_the_error_is_worded_in_chinese_too(tmp_path: Path) -> None:
    path = write(tmp_path, lesson_text(description="ok\u202eko"))
    error = error_of(path)
    set_language("zh")
    try:
        message = describe_error(error)
    finally:
        set_language("en")
    assert "键 'description'" in message and "第 3 个字符" in message, message
    assert "\\u202e" in message and clean(message)


def test_name_and_description_lengths_are_capped(tmp_path: Path) -> None:
    article = builtin("article")
    assert article.with_changes(name="n" * MAX_NAME_CHARS).name == "n" * MAX_NAME_CHARS
    article.with_changes(description="d" * MAX_DESCRIPTION_CHARS)
    error = error_of(write(tmp_path, lesson_text(name="n" * (MAX_NAME_CHARS + 1))))
    assert (error.key, error.code) == ("name", "text_length")
    assert f"at most {MAX_NAME_CHARS} characters (this one has {MAX_NAME_CHARS + 1})" in str(
        error)
    with pytest.raises(ScenarioError, match="key 'description': expected at most"):
        article.with_changes(description="d" * (MAX_DESCRIPTION_CHARS + 1))


def test_a_huge_description_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's 20 MB description took minutes to print; a 10 MB one is refused fast."""
    text = lesson_text().replace("layers =", f'description = "{"word " * 2_000_000}"\nlayers =')
    path = write(tmp_path, text)
    start = time.perf_counter()
    with pytest.raises(SystemExit) as stop:
        main(["print", "--scenario", str(path)])
    assert time.perf_counter() - start < 10
    out, err = capsys.readouterr()
    assert (stop.value.code, out) == (2, "")
    assert "key 'description': expected at most 4000 characters (this one has 10000000)" in err


def test_a_file_without_a_name_takes_a_clean_one_from_its_file_name(tmp_path: Path) -> None:
    text = lesson_text()
    assert load_scenario(write(tmp_path, text, "my lesson.toml")).name == "my lesson"
    if sys.platform != "win32":  # file names with control characters: POSIX only
        loaded = load_scenario(write(tmp_path, text, "evil\x1b]0;x\x07\u202e.toml"))
        assert loaded.name == "evil]0;x"
        assert load_scenario(write(tmp_path, text, "\x1b\x07.toml")).name == "scenario"
    long = "l" * 200
    assert load_scenario(write(tmp_path, text, f"{long}.toml")).name == "l" * MAX_NAME_CHARS


@pytest.mark.parametrize("name", ["x[/]", "[link=https://example.com]click[/link]"])
def test_train_shows_a_name_with_brackets_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path = write(tmp_path, lesson_text(name=name))
    assert main(["train", "--epochs", "1", "--scenario", str(path)]) == 0
    out = capsys.readouterr().out
    assert name in "".join(out.split())  # the title may wrap to the table's width


# --- other text from a file in error messages ---------------------------------------------------


#: An unknown key as written in TOML, and as the error shows it (the way repr escapes it).
KEYS = [("\\u202eevil", "\\u202eevil"), ("a\\u200bb", "a\\u200bb"), ("x\\u001b[2J", "x\\x1b[2J"),
        ("tab\\there", "tab\\there"), ("nl\\n", "nl\\n")]


@pytest.mark.parametrize(("key", "shown"), KEYS, ids=[shown for _, shown in KEYS])
@pytest.mark.parametrize("table", ["", "init", "data"])
def test_an_unknown_key_is_shown_escaped(tmp_path: Path, key: str, shown: str,
                                         table: str) -> None:
    text = lesson_text()
    if table:
        text = text.replace(f"[{table}]\n", f'[{table}]\n"{key}" = 1\n')
    else:
        text = f'"{key}" = 1\n{text}'
    error = error_of(write(tmp_path, text))
    assert error.code == "unknown_key"
    dotted = f"{table}.{shown}" if table else shown
    for language, words in (("en", "(unknown key)"), ("zh", "（此键未知）")):
        set_language(language)
        message = describe_error(error)
        assert words in message and f"'{dotted}'" in message, message
        assert clean(message), repr(message)
    set_language("en")


@pytest.mark.skipif(sys.platform == "win32", reason="file names with control characters")
def test_a_path_is_shown_escaped_and_its_other_characters_kept(tmp_path: Path) -> None:
    path = write(tmp_path, "layers = [", "课程\x1b[2J\n.toml")
    message = str(error_of(path))
    assert "课程\\x1b[2J\\n.toml: not valid TOML" in message and clean(message), message


# --- what is read ---------------------------------------------------------------------------------


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + lesson_text(name="with a BOM").encode())
    assert load_scenario(path).name == "with a BOM"
    path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + lesson_text().encode())  # only the first
    assert error_of(path).problem == "not_toml"


def test_a_file_over_the_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as file:  # sparse: no disk space used
        file.truncate(MAX_FILE_BYTES + 1)
    error = error_of(path)
    assert error.problem == "too_large", str(error)
    assert str(error) == f"{path}: the file is larger than 16 MB, far more than any lesson needs"


def test_the_largest_lesson_fits_under_the_cap() -> None:
    """11 layers of 64 units, 4096 samples, every number as long as a float's repr gets."""
    layers = (64,) * 11
    longest = -2.2250738585072014e-308
    shapes = [(layers[i + 1], layers[i] + 1) for i in range(len(layers) - 1)]
    rows = ((longest,) * 64,) * 4096
    scenario = Scenario(
        name="n" * MAX_NAME_CHARS, description="\U0010fffd" * MAX_DESCRIPTION_CHARS,
        layers=layers, activations=("identity",) * 10, loss="half_squared_error",
        learning_rate=0.1, update="batch", inputs=rows, targets=rows,
        init=Init(kind="explicit", weights=tuple(((longest,) * c,) * r for r, c in shapes)),
    )
    size = len(dump_scenario(scenario).encode("utf-8"))
    assert 14_000_000 < size < MAX_FILE_BYTES


# Run in a fresh interpreter with a memory limit and a timeout: the code before the fix read
# /dev/zero until memory ran out and waited forever on a FIFO.
NOT_REGULAR = """
import contextlib, io, json, resource, sys
limit = 2 << 30
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from engine.scenario_errors import ScenarioError
from engine.scenario_file import load_scenario
from tui.cli import main
try:
    load_scenario(%(path)r)
    problem = None
except ScenarioError as error:
    problem = error.problem
err = io.StringIO()
with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
    try:
        code = main(["print", "--scenario", %(path)r])
    except SystemExit as stop:
        code = stop.code
print(json.dumps({"problem": problem, "code": code, "err": err.getvalue()}))
"""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX devices and FIFOs")
@pytest.mark.parametrize("kind", ["/dev/zero", "fifo", "directory"])
def test_only_regular_files_are_read(tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        path = str(tmp_path / "lesson.toml")
        os.mkfifo(path)
    elif kind == "directory":
        path = str(tmp_path)
    else:
        path = kind
    seen = run_fresh(NOT_REGULAR % {"path": path}, timeout=30)
    assert seen["problem"] == "not_regular" and seen["code"] == 2
    assert seen["err"] == (f"{ERROR_PREFIX}{path}: cannot read the file (not a regular file: "
                           "a directory, a device or a pipe)\n")


def test_the_file_problems_are_worded_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)
    errors = [error_of(path), error_of(tmp_path)]
    set_language("zh")
    try:
        messages = [describe_error(error) for error in errors]
    finally:
        set_language("en")
    assert messages == [f"{path}：文件超过 16 MB，远超任何课程所需",
                        f"{tmp_path}：无法读取文件（不是普通文件，而是目录、设备或管道）"]
