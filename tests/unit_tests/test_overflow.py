"""Numbers that blow up: the engine, the transcripts and the CLI show inf and nan, never crash.

Every test here runs with warnings turned into errors, so a NumPy "overflow encountered" or
"invalid value" RuntimeWarning that escapes the engine's ``np.errstate`` fails the test instead
of landing on the learner's terminal. All of it is small and quick (well under a second).
"""

from __future__ import annotations

import io
import json
import math
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from engine import builtin, dump_scenario, load_scenario, train, walk
from engine.numbers import MINUS, factor, fmt, json_number
from engine.scenario import Init, Scenario
from tui.cli import main
from tui.i18n import set_language, t
from tui.transcript import render_json, render_markdown, render_text

MINUS_INF = f"{MINUS}inf"
PREFIX = "backprop-tutor: "


@pytest.fixture(autouse=True)
def warnings_are_errors() -> Iterator[None]:
    """Any warning at all is a failure here."""
    set_language("en")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide, colourless console, whatever the environment running the tests says."""
    monkeypatch.setenv("COLUMNS", "250")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


def strict_json(text: str) -> dict:
    """``json.loads`` that refuses the non-standard NaN, Infinity and -Infinity tokens."""

    def reject(token: str) -> None:
        raise ValueError(f"non-standard JSON token {token!r}")

    return json.loads(text, parse_constant=reject)


def walks(s: Scenario, count: int) -> list:
    """The first ``count`` iterations, each from the weights the one before left."""
    out = [walk(s)]
    while len(out) < count:
        last = out[-1]
        out.append(walk(s, list(last.weights_after), iteration=last.iteration + 1))
    return out


def values(w: object) -> list[float]:
    return [step.value for step in w.steps]  # type: ignore[attr-defined]


def huge_weights(scenario: Scenario, value: float = 1e200) -> Scenario:
    """The same lesson starting from every weight ``value``: the first pass overflows."""
    shapes = scenario.weight_shapes()
    weights = tuple(tuple((value,) * cols for _ in range(rows)) for rows, cols in shapes)
    return scenario.with_changes(init=Init(kind="explicit", weights=weights))


# --- the engine --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["article", "article-corrected", "xor-sigmoid"])
def test_learning_rate_1e6_never_raises(name: str) -> None:
    s = builtin(name).with_changes(learning_rate=1e6)
    history = walks(s, 12)
    result = train(s, 30)
    assert len(result.losses) == 30
    assert all(len(w.steps) == len(history[0].steps) for w in history)
    if name != "xor-sigmoid":  # sigmoid units saturate instead of overflowing
        assert not history[-1].finite and not result.finite
        assert any(not math.isfinite(v) for v in values(history[-1]))


def test_article_corrected_with_learning_rate_1e6_overflows_in_its_fourth_iteration() -> None:
    s = builtin("article-corrected").with_changes(learning_rate=1e6)
    history = walks(s, 6)
    assert [w.finite for w in history] == [True, True, True, False, False, False]
    assert math.isinf(history[3].steps[4].value)  # the loss of sample 3
    assert all(math.isnan(v) for v in values(history[5]))


def test_the_article_trained_for_ten_epochs_ends_in_nan() -> None:
    result = train(builtin("article"), 10)
    assert not result.finite
    assert math.isfinite(result.losses[0]) and math.isfinite(result.losses[1])
    assert result.losses[1] < -1e199  # the article's update climbs: -4.05e+199
    assert np.isnan(result.losses[2:]).all()
    assert np.isnan(result.predictions).all()
    assert all(np.isnan(w).all() for w in result.weights)


@pytest.mark.parametrize(("epochs", "iteration"), [(2, 8), (3, 12), (5, 20)])
def test_walks_after_training_show_the_overflow(epochs: int, iteration: int) -> None:
    s = builtin("article")
    w = walk(s, weights=train(s, epochs).weights, iteration=iteration)
    assert not w.finite
    shown = {fmt(v) for v in values(w)}
    if iteration == 8:  # the pass where it happens: inf, −inf and nan side by side
        assert {"inf", MINUS_INF, "nan"} <= shown
        assert math.isfinite(w.steps[0].value)  # Z1 is still a (huge) number
    else:
        assert shown == {"nan"}
    assert len(w.steps) == 22
    assert w.samples == (iteration % 4,) and w.epoch == iteration // 4


def test_train_and_consecutive_walks_agree_even_past_the_overflow() -> None:
    s = builtin("article")
    history = walks(s, 12)
    for epochs in (1, 2, 3):
        trained = train(s, epochs).weights
        walked = history[4 * epochs - 1].weights_after
        for a, b in zip(trained, walked):
            np.testing.assert_array_equal(a, b)  # nan == nan here


def test_the_walkthrough_stays_finite_until_it_does_not() -> None:
    """The warning flag follows the numbers: no warning while every number is finite."""
    history = walks(builtin("article"), 9)
    assert [w.finite for w in history] == [True] * 8 + [False]
    assert all(math.isfinite(v) for w in history[:8] for v in values(w))


def test_fmt_and_json_number_name_the_non_finite_numbers() -> None:
    assert fmt(math.inf) == "inf"
    assert fmt(-math.inf) == MINUS_INF == "−inf"
    assert fmt(math.nan) == "nan"
    assert fmt(float(np.float64("nan"))) == "nan"
    assert factor(-math.inf) == f"({MINUS_INF})"
    assert factor(math.inf) == "inf" and factor(math.nan) == "nan"
    assert fmt(1.6188e200) == "1.6188e+200" and fmt(-1e308) == f"{MINUS}1e+308"
    assert [json_number(v) for v in (math.inf, -math.inf, math.nan, 1e308)] == [
        "inf", "-inf", "nan", 1e308]


# --- the print transcript -----------------------------------------------------------------


@pytest.fixture
def overflowed():  # type: ignore[no-untyped-def]
    """The article's ninth iteration (epoch 2, sample 0): inf, −inf and nan in one pass."""
    s = builtin("article")
    return walk(s, weights=train(s, 2).weights, iteration=8)


def test_markdown_transcript_shows_inf_nan_and_the_warning(overflowed) -> None:  # type: ignore[no-untyped-def]
    text = render_markdown(overflowed)
    assert t("cli.overflow") in text
    assert f"> **{t('cli.warning')}:**" in text
    cells = {c.strip() for line in text.splitlines() if line.startswith("|")
             for c in line.split("|")}
    assert {"inf", MINUS_INF, "nan"} <= cells
    ascii_text = render_markdown(overflowed, ascii_only=True)
    assert ascii_text.isascii() and "-inf" in ascii_text and t("cli.overflow") in ascii_text


def test_json_transcript_writes_non_finite_numbers_as_strings(overflowed) -> None:  # type: ignore[no-untyped-def]
    data = strict_json(render_json(overflowed))
    assert data["warnings"] == [t("cli.overflow")]
    steps = data["steps"]
    assert {s["value"] for s in steps if isinstance(s["value"], str)} == {"inf", "-inf", "nan"}
    updates = [s for s in steps if s["phase"] == "update"]
    assert updates and all(isinstance(s["new"], str) for s in updates)  # every weight is gone
    assert all(s["new"] == s["value"] for s in updates)
    assert all(isinstance(link["new"], str) for link in data["links"])
    assert all(isinstance(link["old"], float) for link in data["links"])  # still numbers before


def test_text_transcript_shows_inf_nan_and_the_warning(overflowed) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    render_text(overflowed, Console(file=out, width=250, highlight=False, color_system=None))
    text = out.getvalue()
    assert f"{t('cli.warning')}: {t('cli.overflow')}" in text
    for shown in ("inf", MINUS_INF, "nan"):
        assert f" {shown} " in text


def test_a_finite_transcript_carries_no_warning() -> None:
    w = walk(builtin("article"))
    assert strict_json(render_json(w))["warnings"] == []
    assert t("cli.overflow") not in render_markdown(w)


# --- the command line ---------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def warning_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith(PREFIX)]


def test_cli_train_article_text_shows_nan_and_warns(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "train", "--scenario", "article", "--epochs", "20")
    assert code == 0
    assert warning_lines(err) == [f"{PREFIX}{t('cli.warning')}: {t('cli.overflow')}"]
    assert "Traceback" not in err
    rows = [line for line in out.splitlines() if "nan" in line]
    assert len(rows) >= 18 + 4  # epochs 3-20 and the four predictions
    assert f"{MINUS}4.0469e+199" in out  # epoch 2, the last number before nan


def test_cli_train_article_json_writes_nan_as_strings(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "train", "--scenario", "article", "--epochs", "20",
                         "--format", "json")
    assert code == 0
    assert len(warning_lines(err)) == 1
    data = strict_json(out)
    losses = [e["loss"] for e in data["epochs"]]
    assert len(losses) == 20 and isinstance(losses[0], float) and isinstance(losses[1], float)
    assert losses[2:] == ["nan"] * 18
    assert [p["prediction"] for p in data["predictions"]] == [["nan"]] * 4
    assert data["warnings"] == [t("cli.overflow")]


def test_cli_train_without_overflow_does_not_warn(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "train", "--scenario", "article-corrected", "--epochs", "20",
                         "--format", "json")
    assert code == 0 and err == ""
    assert strict_json(out)["warnings"] == []


@pytest.fixture
def lr_1e6_file(tmp_path: Path) -> Path:
    """``article-corrected`` with learning rate 1e6, as a scenario file."""
    path = tmp_path / "lr-1e6.toml"
    path.write_text(dump_scenario(builtin("article-corrected").with_changes(
        name="lr-1e6", learning_rate=1e6)), encoding="utf-8")
    return path


def test_cli_train_scenario_file_with_learning_rate_1e6(
    capsys: pytest.CaptureFixture[str], lr_1e6_file: Path
) -> None:
    assert load_scenario(lr_1e6_file).learning_rate == 1e6
    code, out, err = run(capsys, "train", "--scenario", str(lr_1e6_file), "--epochs", "3",
                         "--format", "json")
    assert code == 0 and len(warning_lines(err)) == 1
    data = strict_json(out)
    assert data["scenario"] == "lr-1e6"
    assert [e["loss"] for e in data["epochs"]] == ["inf", "nan", "nan"]
    code, out, err = run(capsys, "train", "--scenario", str(lr_1e6_file), "--epochs", "3")
    assert code == 0 and len(warning_lines(err)) == 1
    assert " inf " in out and " nan " in out


def test_cli_print_scenario_file_with_learning_rate_1e6_first_iteration_is_finite(
    capsys: pytest.CaptureFixture[str], lr_1e6_file: Path
) -> None:
    """The first update is only −4e+06: ``print`` shows numbers and no warning yet."""
    code, out, err = run(capsys, "print", "--scenario", str(lr_1e6_file), "--format", "json")
    assert code == 0
    data = strict_json(out)
    assert data["warnings"] == [] and data["scenario"]["learning_rate"] == 1e6
    assert data["links"][0]["new"] == pytest.approx(-3999999.0)


@pytest.mark.parametrize("fmt_name", ["text", "markdown", "json"])
def test_cli_print_of_a_first_pass_that_overflows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt_name: str
) -> None:
    path = tmp_path / "huge.toml"
    path.write_text(dump_scenario(huge_weights(builtin("article-corrected")).with_changes(
        name="huge")), encoding="utf-8")
    code, out, err = run(capsys, "print", "--scenario", str(path), "--format", fmt_name)
    assert code == 0 and "Traceback" not in err
    assert t("cli.overflow") in out
    if fmt_name == "json":
        data = strict_json(out)
        shown = {s["value"] for s in data["steps"]}
        assert {"inf", "nan"} <= shown
    else:
        assert " inf " in out.replace("|", " ") and " nan " in out.replace("|", " ")


# --- opposite infinities in one batch (a warning that used to escape walk) ----------------


def mixed_signs() -> Scenario:
    """A batch whose two samples' gradients overflow to +inf and −inf for the same weight."""
    return Scenario(
        name="mixed-signs",
        layers=(1, 1),
        activations=("identity",),
        loss="half_squared_error",
        learning_rate=1.0,
        update="batch",
        init=Init(kind="explicit", weights=(((0.0, 1e200),),)),
        inputs=((1e200,), (-1e200,)),
        targets=((0.0,), (0.0,)),
    )


def test_batch_gradients_of_opposite_infinite_signs_do_not_warn() -> None:
    w = walk(mixed_signs())
    bias_update = w.steps[-2]
    assert bias_update.target == "X0->D0" and math.isnan(bias_update.gradient or 0.0)
    assert not w.finite


def test_cli_print_of_opposite_infinite_gradients(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "mixed.toml"
    path.write_text(dump_scenario(mixed_signs()), encoding="utf-8")
    code, out, err = run(capsys, "print", "--scenario", str(path), "--format", "json")
    assert code == 0 and err == ""
    assert strict_json(out)["warnings"] == [t("cli.overflow")]
