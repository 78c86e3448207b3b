"""``print`` and ``train`` to a file or a pipe: nothing wrapped, no trailing spaces; ``train``'s
title on one line, its headings in one case, and ``--epochs 0`` says there is nothing to train
(issue 12)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys

import pytest
from rich.console import Console

from engine import builtin, walk
from tests.unit_tests.test_cli import command, run, strict_json
from tui.i18n import set_language
from tui.transcript import TrimmedLines, render_text

SIGN_NOTE = ("Step 6 (backward pass, D0), The sign of the update: With δ(D0) = y − D0 and "
             "w ← w − α·Z·δ every step climbs the error.")


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a learner's shell says, and where Rich wrapped a pipe's text before."""
    monkeypatch.setenv("COLUMNS", "80")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    set_language("en")


def test_print_to_a_pipe_is_not_wrapped_and_has_no_trailing_spaces(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "print", "--scenario", "article-corrected")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert [line for line in lines if line != line.rstrip()] == []
    # Each note is one line: "δ = o" is not split from "− y" any more.
    sign = next(line for line in lines if line.startswith("Step 6 "))
    assert sign.startswith(SIGN_NOTE)
    assert sign.endswith("Corrected: δ(D0) = D0 − y.")
    assert max(len(line) for line in lines) > 80
    # The description, one line.
    assert lines[1].startswith("The same network with half squared error") and lines[2] == (
        "network: 2-3-1")


@pytest.mark.parametrize("name", ["article", "article-corrected", "xor-sigmoid"])
def test_print_to_a_pipe_is_what_a_wide_console_shows_with_the_padding_trimmed(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """The output is unchanged but for the wrapping: the very lines a 1000-column console
    gives (none of the built-in lessons needs more), without their trailing spaces."""
    _, out, _ = run(capsys, "print", "--scenario", name)
    wide = io.StringIO()
    render_text(walk(builtin(name)), Console(file=wide, width=1000, highlight=False))
    assert out.splitlines() == [line.rstrip() for line in wide.getvalue().splitlines()]


def test_print_through_a_real_pipe_without_columns_is_not_wrapped() -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("COLUMNS", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")}
    env["PYTHONIOENCODING"] = "utf-8"
    done = subprocess.run(command() + ["print", "--lang", "en"], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=60, check=True)
    lines = done.stdout.splitlines()
    assert any(line.startswith(SIGN_NOTE) for line in lines)
    assert all(line == line.rstrip() for line in lines)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_still_gets_tables_fitted_to_its_width(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    from tui.cli import main

    assert main(["print", "--scenario", "article-corrected"]) == 0
    lines = re.sub(r"\x1b\[[0-9;]*m", "", screen.getvalue()).splitlines()  # no colours
    assert max(len(line) for line in lines) <= 60
    assert any(line.split()[:2] == ["Z1", "Z1"] for line in lines)  # the forward table
    assert not any(line.startswith(SIGN_NOTE) for line in lines)  # wrapped, as it must be


def test_markdown_is_never_wrapped(capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    _, out, _ = run(capsys, "print", "--format", "markdown")
    notes = [line for line in out.splitlines() if line.startswith("- **Step")]
    assert len(notes) >= 8
    assert any(line.startswith("- **" + SIGN_NOTE.replace(": With", ":** With"))
               for line in notes)
    assert all(line.endswith((".", ".)")) for line in notes)  # each note whole on its line


def test_trimmed_lines_pass_each_line_on_as_it_comes() -> None:
    out = io.StringIO()
    stream = TrimmedLines(out)
    stream.write("a row   \nthe next")
    assert out.getvalue() == "a row\n"  # written at once, not kept until the end
    stream.write(" one  \n")
    assert out.getvalue() == "a row\nthe next one\n"


# --- train ------------------------------------------------------------------------------------


def test_train_title_is_one_line_and_headings_are_in_one_case(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "train", "--scenario", "xor-sigmoid", "--epochs", "3")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "backprop-tutor: xor-sigmoid"
    headings = [line for line in lines if "epoch" in line or "input" in line]
    assert [h.split() for h in headings] == [["┃", "epoch", "┃", "loss", "┃"],
                                             ["┃", "input", "┃", "target", "┃", "prediction",
                                              "┃"]]
    assert "Predictions after training" in lines
    assert all(line == line.rstrip() for line in lines)


def test_train_zero_epochs_says_there_is_nothing_to_train(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "train", "--epochs", "0")
    assert code == 0
    assert err == ("backprop-tutor: --epochs 0: nothing to train; the predictions are those "
                   "of the starting weights\n")
    assert "epoch" not in out and "loss" not in out  # no empty loss table
    assert out.splitlines()[:2] == ["backprop-tutor: article",
                                    "Predictions of the starting weights"]
    assert "│  0, 0 │      0 │          4 │" in out
    code, out, err = run(capsys, "train", "--epochs", "0", "--format", "json")
    assert code == 0 and "nothing to train" in err
    data = strict_json(out)
    assert data["epochs"] == [] and len(data["predictions"]) == 4
    assert json.loads(out) == data


def test_train_zero_epochs_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "train", "--epochs", "0", "--lang", "zh")
    assert code == 0
    assert err == "backprop-tutor: --epochs 0：没有要训练的轮次；下面的预测来自初始权重\n"
    assert "初始权重的预测" in out
