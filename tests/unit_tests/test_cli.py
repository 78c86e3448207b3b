"""The ``backprop-tutor`` command line: ``print``, ``train`` and its errors.

Most tests call :func:`tui.cli.main` in-process (fast); a few run the installed console script
to prove what a shell sees: exit statuses, stderr, no traceback, a reader that leaves early.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine import builtin, walk
from engine.numbers import fmt
from tui.cli import main
from tui.transcript import render_json

MINUS = "−"
ROOT = Path(__file__).resolve().parents[2]
CHANGED = ("X0->Z1", "X0->Z2", "X0->Z3", "Z0->D0", "Z1->D0", "Z2->D0", "Z3->D0")
XOR_INPUTS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_TARGETS = [[0.0], [1.0], [1.0], [0.0]]
ERROR_PREFIX = "backprop-tutor: error: "


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide, colourless console, whatever the environment running the tests says."""
    monkeypatch.setenv("COLUMNS", "200")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_failing(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def strict_json(text: str) -> dict:
    """``json.loads`` that refuses the non-standard NaN, Infinity and -Infinity tokens."""

    def reject(token: str) -> None:
        raise ValueError(f"non-standard JSON token {token!r}")

    return json.loads(text, parse_constant=reject)


def command() -> list[str]:
    """The installed console script, or the module when the script is not beside Python."""
    script = Path(sys.executable).with_name("backprop-tutor")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui.cli"]


def script_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")}
    env.update(COLUMNS="200", PYTHONIOENCODING="utf-8")
    return env


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command() + list(args), capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, env=script_env(), timeout=60)


def epoch_rows(out: str) -> list[int]:
    """The epoch numbers of the text loss table (the lines before the predictions table)."""
    table = out.split("Predictions after training")[0]
    return [int(m) for m in re.findall(r"^\W*(\d+)\W+[\d.e+\u2212-]+\W*$", table, re.MULTILINE)]


# --- print ------------------------------------------------------------------------------------


def test_print_text_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "print")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "backprop-tutor: article"
    for title in ("Forward pass", "Loss", "Deltas", "Weight updates"):
        assert title in out
    assert f"1 {MINUS} 0.1·(1·({MINUS}4))" in out
    assert len(re.findall(r"^\s*(?:X0->Z\d|Z\d->D0)\s+1\s+\u22124\s+1\.4\s", out, re.M)) == 7


def test_print_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "print", "--format", "markdown")
    assert (code, err) == (0, "")
    assert out.startswith("# backprop-tutor: article\n")
    assert "| D0 | D0 = Σ w·Z | 1·1 + 1·1 + 1·1 + 1·1 | 4 |" in out
    assert f"| 0 | E = y {MINUS} D0 | 0 {MINUS} 4 | {MINUS}4 |" in out
    assert f"| Z3->D0 | 1 | {MINUS}4 | 1.4 | 1 {MINUS} 0.1·(1·({MINUS}4)) |" in out
    assert f"| X1->Z1 | 1 | 0 | 1 | 1 {MINUS} 0.1·(0·({MINUS}4)) |" in out


def test_print_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "print", "--format", "json")
    assert (code, err) == (0, "")
    assert out == render_json(walk(builtin("article"))) + "\n"
    data = strict_json(out)
    assert len(data["steps"]) == 22
    news = {link["name"]: link["new"] for link in data["links"]}
    assert len(news) == 13
    for name, new in news.items():
        assert new == pytest.approx(1.4 if name in CHANGED else 1.0, rel=1e-12), name


def test_print_article_corrected_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "print", "--scenario", "article-corrected", "--format", "json")
    assert code == 0
    data = strict_json(out)
    assert data["scenario"]["loss"] == "half_squared_error"
    news = {link["name"]: link["new"] for link in data["links"]}
    assert sorted(n for n, v in news.items() if v == pytest.approx(0.6, rel=1e-12)) == sorted(
        CHANGED
    )
    assert sorted(n for n, v in news.items() if v == 1.0) == sorted(set(news) - set(CHANGED))
    steps = {(s["phase"], s["target"]): s["value"] for s in data["steps"]}
    assert steps[("forward", "D0")] == 4.0
    assert steps[("loss", "loss")] == 8.0  # ½·(0 − 4)²
    assert steps[("backward", "D0")] == 4.0  # predicted − actual: the downhill sign


@pytest.mark.parametrize("output_format", ["text", "markdown"])
def test_print_ascii(capsys: pytest.CaptureFixture[str], output_format: str) -> None:
    code, out, err = run(capsys, "print", "--ascii", "--format", output_format)
    assert (code, err) == (0, "")
    assert out.isascii()
    assert "1 - 0.1*(1*(-4))" in out
    assert "1.4" in out


def test_print_batch_loss_is_trains_first_epoch(capsys: pytest.CaptureFixture[str]) -> None:
    """The walkthrough's mean loss is the loss ``train`` reports for epoch 1."""
    _, out, _ = run(capsys, "print", "--scenario", "xor-sigmoid", "--format", "json")
    mean_loss = [s for s in strict_json(out)["steps"] if s["phase"] == "loss"][-1]
    assert mean_loss["sample"] == "all"
    _, out, _ = run(capsys, "train", "--scenario", "xor-sigmoid", "--epochs", "1",
                    "--format", "json")
    assert strict_json(out)["epochs"] == [
        {"epoch": 1, "loss": pytest.approx(mean_loss["value"], rel=1e-12)}
    ]


# --- train ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xor_300_json() -> dict:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["train", "--scenario", "xor-sigmoid", "--epochs", "300", "--format", "json"])
    assert code == 0
    return strict_json(buffer.getvalue())


def test_train_json_epochs(xor_300_json: dict) -> None:
    data = xor_300_json
    assert set(data) == {"scenario", "epochs", "predictions", "warnings"}
    assert data["scenario"] == "xor-sigmoid"
    assert data["warnings"] == []
    epochs = data["epochs"]
    assert [e["epoch"] for e in epochs] == list(range(1, 301))
    losses = [e["loss"] for e in epochs]
    assert all(isinstance(v, float) for v in losses)
    assert losses[0] == pytest.approx(1.7393, rel=1e-4)
    assert losses[-1] == pytest.approx(0.15714, rel=1e-4)
    assert losses[-1] < losses[0] / 10
    assert losses[-1] == min(losses)


def test_train_json_predictions(xor_300_json: dict) -> None:
    predictions = xor_300_json["predictions"]
    assert [set(p) for p in predictions] == [{"input", "target", "prediction"}] * 4
    assert [p["input"] for p in predictions] == XOR_INPUTS
    assert [p["target"] for p in predictions] == XOR_TARGETS
    for p in predictions:
        (value,) = p["prediction"]
        assert 0.0 < value < 1.0
        assert round(value) == p["target"][0], p  # 300 epochs learn XOR (about 150 needed)


def test_train_text_prints_the_predictions(capsys: pytest.CaptureFixture[str],
                                           xor_300_json: dict) -> None:
    code, out, err = run(capsys, "train", "--scenario", "xor-sigmoid", "--epochs", "300")
    assert (code, err) == (0, "")
    assert "Predictions after training" in out
    table = out.split("Predictions after training")[1]
    for p in xor_300_json["predictions"]:
        x1, x2 = (fmt(v) for v in p["input"])
        expected = rf"^\W*{x1}, {x2}\W+{fmt(p['target'][0])}\W+{re.escape(fmt(p['prediction'][0]))}"
        assert re.search(expected, table, re.MULTILINE), expected
    # Without --every, 300 epochs show every 12th (about 25 rows) and the last.
    assert epoch_rows(out) == list(range(1, 300, 12)) + [300]
    assert "showing one epoch in 12" in out
    last = fmt(xor_300_json["epochs"][-1]["loss"])
    assert re.search(rf"^\W*300\W+{re.escape(last)}\W*$", out, re.MULTILINE)


def test_train_text_every(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "train", "--scenario", "xor-sigmoid", "--epochs", "300",
                       "--every", "50")
    assert code == 0
    assert epoch_rows(out) == [1, 51, 101, 151, 201, 251, 300]
    assert "showing one epoch in 50" in out


def test_train_text_short_run_shows_every_epoch(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "train", "--scenario", "xor-sigmoid", "--epochs", "7")
    assert code == 0
    assert epoch_rows(out) == [1, 2, 3, 4, 5, 6, 7]
    assert "showing every" not in out


def test_train_zero_epochs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "train", "--scenario", "xor-sigmoid", "--epochs", "0",
                         "--format", "json")
    assert code == 0 and "nothing to train" in err
    data = strict_json(out)
    assert data["epochs"] == []
    assert [p["input"] for p in data["predictions"]] == XOR_INPUTS
    code, out, err = run(capsys, "train", "--scenario", "xor-sigmoid", "--epochs", "0")
    assert code == 0 and "nothing to train" in err
    assert epoch_rows(out) == []
    assert "Predictions of the starting weights" in out


def test_train_diverging_json_is_valid_and_warns(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "train", "--scenario", "article", "--epochs", "50",
                         "--format", "json")
    assert code == 0
    assert "NaN" not in out and "Infinity" not in out
    data = strict_json(out)
    assert len(data["epochs"]) == 50
    assert data["warnings"] and "overflowed to inf or nan" in data["warnings"][0]
    losses = [e["loss"] for e in data["epochs"]]
    assert isinstance(losses[0], float)
    assert set(losses) & {"nan", "inf", "-inf"}
    assert all(isinstance(v, float) or v in ("nan", "inf", "-inf") for v in losses)
    assert all(p["prediction"][0] in ("nan", "inf", "-inf") for p in data["predictions"])
    assert err.splitlines() == [
        "backprop-tutor: warning: some numbers overflowed to inf or nan: this learning rate or "
        "loss makes the weights blow up"
    ]


def test_train_diverging_text_warns(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "train", "--scenario", "article", "--epochs", "50")
    assert code == 0
    assert err.startswith("backprop-tutor: warning: some numbers overflowed")
    assert "nan" in out
    assert "Traceback" not in out + err


def test_train_progress_bar_keeps_stdout_clean(capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal a long run draws a progress bar on stderr; stdout stays pure JSON."""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, out, err = run(capsys, "train", "--scenario", "xor-sigmoid", "--epochs", "2000",
                         "--format", "json")
    assert code == 0
    assert "training" in err  # the bar went to stderr
    assert "\x1b" not in out
    data = strict_json(out)
    assert [e["epoch"] for e in data["epochs"]] == list(range(1, 2001))


# --- bad input: one line on stderr, exit status 2 ---------------------------------------------

GOOD_HEADER = (
    'layers = [2, 3, 1]\nactivations = ["sigmoid", "sigmoid"]\nloss = "cross_entropy"\n'
    'learning_rate = 1.0\nupdate = "batch"\n'
)
GOOD_DATA = "[data]\ninputs = [[0, 0], [1, 1]]\ntargets = [[0], [1]]\n"
BAD_FILES = {
    "broken.toml": ("layers = [2, 3, 1\n", "broken.toml: not valid TOML ("),
    "unknown.toml": (
        GOOD_HEADER + 'colour = "red"\n[init]\nkind = "random"\nseed = 0\n' + GOOD_DATA,
        "unknown.toml: key 'colour': expected only the keys activations, data, description, "
        "init, layers, learning_rate, loss, name, update",
    ),
    "shape.toml": (
        GOOD_HEADER + '[init]\nkind = "explicit"\nweights = [[[1, 1, 1]], [[1, 1, 1, 1]]]\n'
        + GOOD_DATA,
        "shape.toml: key 'init.weights[0]': expected 3 rows (one per unit of layer 1) of 3 "
        "numbers",
    ),
}


def check_one_error(err: str, message: str) -> None:
    """Exactly one ``backprop-tutor: error:`` line, the last, holding ``message``."""
    lines = err.splitlines()
    assert "Traceback" not in err
    assert [line for line in lines if line.startswith(ERROR_PREFIX)] == lines[-1:], err
    assert message in lines[-1], err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["print", "--scenario", "nope"],
         "nope: no built-in scenario has this name (article, article-corrected, xor-sigmoid)"),
        (["--scenario", "nope"], "nope: no built-in scenario has this name"),
        (["train", "--epochs", "-1"], "--epochs must be 0 or more, got -1"),
        (["train", "--every", "-3"], "--every must be 0 or more, got -3"),
        (["train", "--epochs", "many"], "argument --epochs: invalid int value: 'many'"),
        (["print", "--format", "yaml"], "argument --format: invalid choice: 'yaml'"),
        (["train", "--format", "markdown"], "argument --format: invalid choice: 'markdown'"),
        (["print", "--bogus"], "unrecognized arguments: --bogus"),
        (["teach"], "argument command: invalid choice: 'teach'"),
    ],
)
def test_bad_arguments(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, out, err = run_failing(capsys, *args)
    assert code == 2
    assert out == ""
    check_one_error(err, message)


def test_missing_toml(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "missing.toml"
    code, out, err = run_failing(capsys, "print", "--scenario", str(path))
    assert (code, out) == (2, "")
    assert err == f"{ERROR_PREFIX}{path}: cannot read the file (No such file or directory)\n"


def test_directory_as_scenario(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run_failing(capsys, "train", "--scenario", str(tmp_path))
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert err.startswith(f"{ERROR_PREFIX}{tmp_path}: cannot read the file (")


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_scenario_file(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                           name: str) -> None:
    text, message = BAD_FILES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, out, err = run_failing(capsys, "print", "--scenario", str(path))
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert err.startswith(ERROR_PREFIX + str(tmp_path))
    assert message in err


def test_good_scenario_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The same header with a good [init] loads, and the name defaults to the file's stem."""
    path = tmp_path / "tiny.toml"
    path.write_text(GOOD_HEADER + '[init]\nkind = "constant"\nvalue = 0.5\n' + GOOD_DATA,
                    encoding="utf-8")
    code, out, _ = run(capsys, "print", "--scenario", str(path), "--format", "json")
    assert code == 0
    data = strict_json(out)
    assert data["scenario"]["name"] == "tiny"
    assert data["scenario"]["samples"] == [0, 1]
    assert {link["old"] for link in data["links"]} == {0.5}


# --- the installed command, as a shell runs it ------------------------------------------------


def test_script_print_json() -> None:
    result = run_script("print", "--format", "json")
    assert (result.returncode, result.stderr) == (0, "")
    assert strict_json(result.stdout) == strict_json(render_json(walk(builtin("article"))))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["print", "--scenario", "nope"], "nope: no built-in scenario has this name"),
        (["train", "--epochs", "-5"], "--epochs must be 0 or more, got -5"),
        (["print", "--scenario", "missing.toml"], "missing.toml: cannot read the file"),
        (["print", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_script_bad_arguments(args: list[str], message: str) -> None:
    result = run_script(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    check_one_error(result.stderr, message)


def test_script_diverging_train_warns() -> None:
    result = run_script("train", "--scenario", "article", "--epochs", "50", "--format", "json")
    assert result.returncode == 0
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("backprop-tutor: warning: ")
    assert strict_json(result.stdout)["warnings"]


def reader_leaves_early(*args: str) -> tuple[bytes, int, str]:
    """Run the script, read one line of stdout, close it: ``backprop-tutor ... | head -1``."""
    process = subprocess.Popen(command() + list(args), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=ROOT, env=script_env())
    assert process.stdout is not None and process.stderr is not None
    try:
        first = process.stdout.readline()
        process.stdout.close()
        err = process.stderr.read().decode("utf-8", "replace")
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()
    return first, code, err


def pipe_capacity() -> int:
    """What a pipe holds before its writer must wait: Linux says; elsewhere assume 64 KiB."""
    try:
        import fcntl

        read, write = os.pipe()
        try:
            return fcntl.fcntl(write, fcntl.F_GETPIPE_SZ)
        finally:
            os.close(read)
            os.close(write)
    except (ImportError, AttributeError, OSError):
        return 64 * 1024


def outgrows_the_pipe(capsys: pytest.CaptureFixture[str], args: tuple[str, ...]) -> None:
    """The command writes more than the pipe and the reader's buffer hold together: otherwise
    it would be done before the reader leaves, no write would fail, and the test would prove
    nothing."""
    code, out, _ = run(capsys, *args)
    assert code == 0
    assert len(out.encode("utf-8")) > pipe_capacity() + io.DEFAULT_BUFFER_SIZE, len(out)


TEXT_ARGS = ("train", "--scenario", "xor-sigmoid", "--epochs", "4000", "--every", "1")
JSON_ARGS = ("train", "--scenario", "xor-sigmoid", "--epochs", "3000", "--format", "json")


@pytest.fixture(scope="module")
def text_reader_left() -> tuple[bytes, int, str]:
    # 4000 table rows are about 110 kB: more than a pipe holds, so the write must fail.
    return reader_leaves_early(*TEXT_ARGS)


def test_broken_pipe_text_no_traceback(capsys: pytest.CaptureFixture[str],
                                       text_reader_left: tuple[bytes, int, str]) -> None:
    outgrows_the_pipe(capsys, TEXT_ARGS)
    first, _, err = text_reader_left
    assert first.decode("utf-8").startswith("backprop-tutor")
    assert "Traceback" not in err
    assert "Exception ignored" not in err
    assert "BrokenPipeError" not in err


def test_broken_pipe_json_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    outgrows_the_pipe(capsys, JSON_ARGS)
    first, code, err = reader_leaves_early(*JSON_ARGS)
    assert first == b"{\n"
    assert (code, err) == (0, "")


# --- bugs found by these tests, now fixed -------------------------------------------------------


def test_broken_pipe_text_exits_0(capsys: pytest.CaptureFixture[str],
                                  text_reader_left: tuple[bytes, int, str]) -> None:
    outgrows_the_pipe(capsys, TEXT_ARGS)
    _, code, _ = text_reader_left
    assert code == 0


def test_train_ascii(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "train", "--ascii", "--scenario", "xor-sigmoid", "--epochs", "3")
    assert code == 0
    assert out.isascii()


def test_options_before_the_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--scenario", "xor-sigmoid", "print", "--format", "json")
    assert code == 0
    assert strict_json(out)["scenario"]["name"] == "xor-sigmoid"


# --- safe on a shared server ------------------------------------------------------------------


def test_epochs_have_an_upper_bound(capsys: pytest.CaptureFixture[str]) -> None:
    """10**12 epochs asked NumPy for 7 TiB and ended in its traceback (exit status 1)."""
    code, out, err = run_failing(capsys, "train", "--epochs", str(10**12))
    assert (code, out) == (2, "")
    check_one_error(err, f"--epochs must be at most 10000000, got {10**12}")
    code, out, err = run_failing(capsys, "train", "--epochs", "10000001", "--lang", "zh")
    assert (code, out) == (2, "")
    assert err.splitlines()[-1].endswith("--epochs 不能大于 10000000，收到的是 10000001")


def test_train_text_keeps_only_the_losses_it_shows(capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """``train`` shows about 25 rows: it no longer keeps the loss of every epoch for them."""
    import engine.training

    real_train = engine.training.train
    kept: list[int] = []

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = real_train(*args, **kwargs)
        kept.append(result.losses.size)
        return result

    monkeypatch.setattr(engine.training, "train", spy)
    code, out, _ = run(capsys, "train", "--scenario", "xor-sigmoid", "--epochs", "3000")
    assert code == 0
    assert epoch_rows(out) == list(range(1, 3000, 120)) + [3000]
    assert kept == [26]
    code, out, _ = run(capsys, "train", "--scenario", "xor-sigmoid", "--epochs", "300",
                       "--format", "json")
    assert kept == [26, 300]
    assert len(strict_json(out)["epochs"]) == 300


def test_app_without_a_terminal_stops_at_once() -> None:
    """``ssh host backprop-tutor`` (no -t): the app used to spin at full CPU forever, writing
    escape codes nobody read."""
    result = subprocess.run(command(), stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, encoding="utf-8", cwd=ROOT, env=script_env(),
                            timeout=60)
    assert (result.returncode, result.stdout) == (2, "")
    check_one_error(result.stderr, "the tutor needs a terminal")
    for advice in ("backprop-tutor print", "backprop-tutor train", "ssh -t"):
        assert advice in result.stderr


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
@pytest.mark.parametrize("terminal_end", ["stdin", "stdout"])
def test_app_needs_both_ends_on_a_terminal(terminal_end: str) -> None:
    """Keys from a terminal but the screen to a file (or the reverse) is no terminal either."""
    leader, follower = os.openpty()
    try:
        streams = {"stdin": subprocess.DEVNULL, "stdout": subprocess.PIPE}
        streams[terminal_end] = follower
        result = subprocess.run(command(), **streams, stderr=subprocess.PIPE, cwd=ROOT,
                                env=script_env(), timeout=60)
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 2
    assert b"the tutor needs a terminal" in result.stderr


def test_app_crash_exits_non_zero(capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash used to end with exit status 0; now Textual's 1, and a line that says where
    its report is."""
    from textual.app import App

    class Crashing(App[None]):
        def on_mount(self) -> None:
            raise RuntimeError("a bug")

        def run(self, **_: object) -> None:  # type: ignore[override]
            super().run(headless=True)

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr("tui.app.TutorApp", lambda scenario, ascii_only, fresh: Crashing())
    code, _, err = run(capsys, "--scenario", "xor-sigmoid")
    assert code == 1
    assert "RuntimeError" in err  # Textual's report
    assert err.splitlines()[-1] == (
        f"{ERROR_PREFIX}the tutor stopped on an unexpected error; its report is above, on stderr"
    )


class FullDisk(io.StringIO):
    """A stdout whose writes fail as on a full disk, once more than a few bytes are in."""

    def write(self, text: str) -> int:
        if self.tell() + len(text) > 100:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return super().write(text)


@pytest.mark.parametrize("args", [
    ("print", "--format", "json"), ("print", "--format", "markdown"), ("print",),
    ("train", "--scenario", "xor-sigmoid", "--format", "json"),
    ("train", "--scenario", "xor-sigmoid"),
])
def test_failed_write_is_one_message(capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch,
                                     args: tuple[str, ...]) -> None:
    monkeypatch.setattr(sys, "stdout", FullDisk())
    code = main(list(args))
    err = capsys.readouterr().err
    assert code == 1
    check_one_error(err, f"cannot write the output: {os.strerror(errno.ENOSPC)}")


@pytest.mark.parametrize("output_format", ["json", "markdown", "text"])
def test_output_encoding_without_the_characters(capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch,
                                                output_format: str) -> None:
    """An ASCII-only stdout (``PYTHONIOENCODING=ascii``): one message that suggests --ascii,
    which then writes it all."""
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stdout)
    code = main(["print", "--format", output_format])
    assert code == 1
    err = capsys.readouterr().err
    check_one_error(err, "its encoding (ascii) has no character U+")
    assert "add --ascii" in err
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stdout)
    assert main(["print", "--ascii", "--format", output_format]) == 0
    assert capsys.readouterr().err == ""


def script_exit(stdout: object, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The installed command with stdout on ``stdout`` (a file), stderr captured."""
    return subprocess.run(command() + list(args), stdout=stdout, stderr=subprocess.PIPE,
                          text=True, encoding="utf-8", cwd=ROOT,
                          env={**script_env(), **env}, timeout=60)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [("print", "--format", "json"), ("print",),
                                  ("train", "--scenario", "xor-sigmoid")])
def test_script_disk_full(args: tuple[str, ...]) -> None:
    """``> /dev/full`` used to end in an OSError traceback."""
    with open("/dev/full", "w") as full:
        result = script_exit(full, *args)
    assert result.returncode == 1
    assert result.stderr == f"{ERROR_PREFIX}cannot write the output: No space left on device\n"


@pytest.mark.parametrize("output_format", ["json", "markdown", "text"])
def test_script_ascii_encoding(tmp_path: Path, output_format: str) -> None:
    """``PYTHONIOENCODING=ascii`` used to end in a UnicodeEncodeError traceback, JSON too."""
    with open(tmp_path / "out", "w") as out:
        result = script_exit(out, "print", "--format", output_format,
                             PYTHONIOENCODING="ascii")
    assert result.returncode == 1
    check_one_error(result.stderr, "its encoding (ascii) has no character U+")
    assert "add --ascii" in result.stderr
    with open(tmp_path / "out", "w") as out:
        result = script_exit(out, "print", "--ascii", "--format", output_format,
                             PYTHONIOENCODING="ascii")
    assert (result.returncode, result.stderr) == (0, "")
    assert (tmp_path / "out").read_text(encoding="ascii").startswith(("{", "#", "backprop"))
