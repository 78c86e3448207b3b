"""The ``print`` transcript in its three forms (markdown, JSON, Rich text), number for number.

The article's first iteration (see docs/article.md): input (0, 0), target 0, every weight 1,
learning rate 0.1. D0 = 4, the loss and every δ are −4, and the 7 links that start at X0 or end
in D0 become 1.4 while the other 6 stay 1.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.console import Console

from engine import Init, Scenario, Walkthrough, walk
from engine.numbers import fmt
from engine.text import to_ascii
from tui.transcript import Section, render_json, render_markdown, render_text, sections

MINUS = "−"
HEADINGS = ["Forward pass", "Loss", "Deltas", "Weight updates"]
#: The article's lessons add the errata notes after the four tables.
ARTICLE_HEADINGS = HEADINGS + ["Where the article goes wrong"]
UNITS = ["X0", "X1", "X2", "Z0", "Z1", "Z2", "Z3", "D0"]
CHANGED = ("X0->Z1", "X0->Z2", "X0->Z3", "Z0->D0", "Z1->D0", "Z2->D0", "Z3->D0")
UNCHANGED = ("X1->Z1", "X2->Z1", "X1->Z2", "X2->Z2", "X1->Z3", "X2->Z3")
LINK_ORDER = [
    "X0->Z1", "X1->Z1", "X2->Z1", "X0->Z2", "X1->Z2", "X2->Z2", "X0->Z3", "X1->Z3", "X2->Z3",
    "Z0->D0", "Z1->D0", "Z2->D0", "Z3->D0",
]
STEP_FIELDS = {"index", "phase", "target", "formula", "substituted", "value", "sample"}
UPDATE_FIELDS = STEP_FIELDS | {"gradient", "old", "new"}
RULE = "w ← w − α·Z·δ"  # w ← w − α·Z·δ
XOR_INPUTS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]




@pytest.fixture(scope="module")
def huge() -> Walkthrough:
    """The article's network with every weight 1e200: D0 = 3e400 overflows to inf."""
    big = 1e200
    scenario = Scenario(
        name="huge",
        layers=(2, 3, 1),
        activations=("identity", "identity"),
        loss="article_error",
        learning_rate=0.1,
        update="online",
        init=Init(kind="explicit", weights=(((big,) * 3,) * 3, ((big,) * 4,))),
        inputs=((0.0, 0.0),),
        targets=((0.0,),),
    )
    return walk(scenario)


def strict_json(text: str) -> dict:
    """``json.loads`` that refuses the non-standard NaN, Infinity and -Infinity tokens."""

    def reject(token: str) -> None:
        raise ValueError(f"non-standard JSON token {token!r}")

    return json.loads(text, parse_constant=reject)


def md_tables(text: str) -> dict[str, list[list[str]]]:
    """The markdown's tables by ``##`` heading: the header row, then each row's stripped cells."""
    tables: dict[str, list[list[str]]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = line[3:]
            tables[current] = []
        elif current is not None and line.startswith("| "):
            assert line.endswith(" |"), line
            tables[current].append([cell.strip() for cell in line[2:-2].split(" | ")])
    return tables


def rich_text(w: Walkthrough, ascii_only: bool = False, width: int = 120) -> str:
    buffer = io.StringIO()
    render_text(w, Console(file=buffer, width=width), ascii_only)
    return buffer.getvalue()


# --- markdown ---------------------------------------------------------------------------------


def test_markdown_has_the_four_sections_in_order(article: Walkthrough) -> None:
    text = render_markdown(article)
    assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == ARTICLE_HEADINGS
    assert text.startswith("# backprop-tutor: article\n")
    assert "sample 0: (0, 0) → 0" in text
    assert "> **warning:**" not in text


def test_markdown_forward_rows(article: Walkthrough) -> None:
    forward = md_tables(render_markdown(article))["Forward pass"]
    assert forward[0] == ["unit", "formula", "with numbers", "value"]
    rows = {row[0]: row for row in forward[1:]}
    assert list(rows) == UNITS
    assert rows["D0"] == ["D0", "D0 = Σ w·Z", " + ".join(["1·1"] * 4), "4"]
    for unit in ("Z1", "Z2", "Z3"):
        sums = "1·1 + 1·0 + 1·0"
        assert rows[unit] == [unit, f"{unit} = Σ w·X", sums, "1"]
    assert rows["X0"] == ["X0", "bias, always 1", "", "1"]
    assert rows["X1"] == ["X1", "input", "", "0"]
    assert rows["Z0"][-1] == "1"


def test_markdown_loss_and_deltas_are_minus_four(article: Walkthrough) -> None:
    tables = md_tables(render_markdown(article))
    assert tables["Loss"][1:] == [["0", "E = y − D0", "0 − 4", f"{MINUS}4"]]
    deltas = tables["Deltas"]
    assert deltas[0] == ["unit", "formula", "with numbers", "δ"]
    assert [row[0] for row in deltas[1:]] == ["D0", "Z1", "Z2", "Z3"]
    assert [row[-1] for row in deltas[1:]] == [f"{MINUS}4"] * 4
    assert deltas[1][2] == "(0 − 4)·1"
    assert deltas[2][2] == f"1·(1·({MINUS}4))"


def test_markdown_update_rows(article: Walkthrough) -> None:
    text = render_markdown(article)
    assert f"\n`{RULE}`\n" in text
    updates = md_tables(text)["Weight updates"]
    # The article's δ is y − o: its Z·δ is minus the gradient, and the column says whose it is.
    assert updates[0] == ["link", "old w", "article's Z·δ", "new w", "with numbers"]
    rows = updates[1:]
    assert [row[0] for row in rows] == LINK_ORDER
    for link, old, gradient, new, numbers in rows:
        assert old == "1"
        if link in CHANGED:
            assert (gradient, new) == (f"{MINUS}4", "1.4"), link
            assert numbers == f"1 {MINUS} 0.1·(1·({MINUS}4))"
        else:
            assert (gradient, new) == ("0", "1"), link
            assert numbers == f"1 {MINUS} 0.1·(0·({MINUS}4))"
    assert sum(row[3] == "1.4" for row in rows) == 7


def test_markdown_ascii_only(article: Walkthrough) -> None:
    text = render_markdown(article, ascii_only=True)
    assert text.isascii()
    assert "-4" in text and "1.4" in text
    assert "| Z3->D0 | 1 | -4 | 1.4 | 1 - 0.1*(1*(-4)) |" in text
    assert "| 0 | E = y - D0 | 0 - 4 | -4 |" in text
    assert f"\n`{to_ascii(RULE)}`\n" in text
    assert "`w <- w - " in text
    assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == ARTICLE_HEADINGS


def test_markdown_shows_the_overflow_warning(huge: Walkthrough) -> None:
    text = render_markdown(huge)
    assert "> **warning:** some numbers overflowed to inf or nan" in text
    rows = {row[0]: row for row in md_tables(text)["Forward pass"][1:]}
    assert rows["D0"][-1] == "inf"
    assert md_tables(text)["Loss"][1][-1] == f"{MINUS}inf"


# --- JSON -------------------------------------------------------------------------------------


def test_json_top_level(article: Walkthrough) -> None:
    data = strict_json(render_json(article))
    assert set(data) == {"scenario", "units", "links", "steps", "warnings", "notes"}
    assert [n["step"] for n in data["notes"]] == [None, 0, 3, 4, 5, 6, 7, 9, 12, 21]
    assert data["scenario"] == {
        "name": "article",
        "layers": [2, 3, 1],
        "activations": ["identity", "identity"],
        "loss": "article_error",
        "learning_rate": 0.1,
        "update": "online",
        "iteration": 0,
        "epoch": 0,
        "samples": [0],
    }
    assert data["warnings"] == []
    assert [u["name"] for u in data["units"]] == UNITS
    assert [u["name"] for u in data["units"] if u["bias"]] == ["X0", "Z0"]
    assert [u["layer"] for u in data["units"]] == [0, 0, 0, 1, 1, 1, 1, 2]


def test_json_links_old_and_new(article: Walkthrough) -> None:
    links = strict_json(render_json(article))["links"]
    assert [link["name"] for link in links] == LINK_ORDER
    for link in links:
        assert link["name"] == f"{link['source']}->{link['target']}"
        assert link["old"] == 1.0
        expected = 1.4 if link["name"] in CHANGED else 1.0
        assert link["new"] == pytest.approx(expected, rel=1e-12), link["name"]


def test_json_steps(article: Walkthrough) -> None:
    steps = strict_json(render_json(article))["steps"]
    assert len(steps) == 22
    assert [s["index"] for s in steps] == list(range(22))
    assert [s["phase"] for s in steps] == (
        ["forward"] * 4 + ["loss"] + ["backward"] * 4 + ["update"] * 13
    )
    for step in steps:
        assert set(step) == (UPDATE_FIELDS if step["phase"] == "update" else STEP_FIELDS)
        assert step["sample"] == 0
    assert [(s["target"], s["value"]) for s in steps[:4]] == [
        ("Z1", 1.0), ("Z2", 1.0), ("Z3", 1.0), ("D0", 4.0)
    ]
    assert (steps[4]["target"], steps[4]["value"]) == ("loss", -4.0)
    assert steps[4]["substituted"] == "0 − 4"
    assert [(s["target"], s["value"]) for s in steps[5:9]] == [
        ("D0", -4.0), ("Z1", -4.0), ("Z2", -4.0), ("Z3", -4.0)
    ]
    updates = steps[9:]
    assert [s["target"] for s in updates] == LINK_ORDER
    for step in updates:
        assert step["old"] == 1.0
        assert step["value"] == step["new"]
        if step["target"] in CHANGED:
            assert step["gradient"] == -4.0
            assert step["new"] == pytest.approx(1.4, rel=1e-12)
        else:
            assert step["gradient"] == 0.0
            assert step["new"] == 1.0


def test_json_batch_samples(xor: Walkthrough) -> None:
    data = strict_json(render_json(xor))
    assert data["scenario"]["update"] == "batch"
    assert data["scenario"]["samples"] == [0, 1, 2, 3]
    steps = data["steps"]
    # 4 samples × (4 forward + 1 loss + 4 deltas), the batch's mean loss, 13 updates.
    assert len(steps) == 4 * 9 + 1 + 13
    forward = [s for s in steps if s["phase"] == "forward"]
    assert [s["sample"] for s in forward] == [0] * 4 + [1] * 4 + [2] * 4 + [3] * 4
    updates = [s for s in steps if s["phase"] == "update"]
    assert len(updates) == 13
    assert all(s["sample"] == "all" for s in updates)
    losses = [s for s in steps if s["phase"] == "loss"]
    assert [s["sample"] for s in losses] == [0, 1, 2, 3, "all"]
    assert losses[-1]["value"] == pytest.approx(sum(s["value"] for s in losses[:4]) / 4)
    for step in steps:
        assert set(step) == (UPDATE_FIELDS if step["phase"] == "update" else STEP_FIELDS)


def test_json_batch_gradient_is_the_mean_over_samples(xor: Walkthrough) -> None:
    """X0 is 1, so the X0->Z1 gradient is the mean δ(Z1); Z1->D0's is the mean Z1·δ(D0)."""
    steps = strict_json(render_json(xor))["steps"]

    def per_sample(phase: str, target: str) -> list[float]:
        return [s["value"] for s in steps if s["phase"] == phase and s["target"] == target]

    update = {s["target"]: s for s in steps if s["phase"] == "update"}
    delta_z1 = per_sample("backward", "Z1")
    delta_d0 = per_sample("backward", "D0")
    z1 = per_sample("forward", "Z1")
    assert len(delta_z1) == len(delta_d0) == len(z1) == 4
    assert update["X0->Z1"]["gradient"] == pytest.approx(sum(delta_z1) / 4, rel=1e-12)
    expected = sum(z * d for z, d in zip(z1, delta_d0)) / 4
    assert update["Z1->D0"]["gradient"] == pytest.approx(expected, rel=1e-12)
    for step in update.values():  # learning rate 1
        assert step["new"] == pytest.approx(step["old"] - step["gradient"], rel=1e-12)


def test_json_non_finite_numbers_are_strings(huge: Walkthrough) -> None:
    text = render_json(huge)
    assert "NaN" not in text and "Infinity" not in text
    data = strict_json(text)
    assert data["warnings"] and "overflowed to inf or nan" in data["warnings"][0]
    steps = {(s["phase"], s["target"]): s for s in data["steps"]}
    assert steps[("forward", "Z1")]["value"] == 1e200
    assert steps[("forward", "D0")]["value"] == "inf"
    assert steps[("loss", "loss")]["value"] == "-inf"
    assert steps[("backward", "Z1")]["value"] == "-inf"
    assert steps[("update", "X0->Z1")]["gradient"] == "-inf"
    assert steps[("update", "X0->Z1")]["new"] == "inf"
    assert steps[("update", "X1->Z1")]["new"] == "nan"  # 0·(−inf)
    links = {link["name"]: link for link in data["links"]}
    assert links["X0->Z1"] == {"name": "X0->Z1", "source": "X0", "target": "Z1",
                               "old": 1e200, "new": "inf"}
    assert links["X2->Z3"]["new"] == "nan"


def test_json_finite_walkthrough_has_no_warnings(xor: Walkthrough) -> None:
    data = strict_json(render_json(xor))
    assert data["warnings"] == []
    assert all(isinstance(s["value"], float) for s in data["steps"])


# --- Rich text --------------------------------------------------------------------------------


def test_text_shows_the_numbers(article: Walkthrough) -> None:
    out = rich_text(article)
    assert out.splitlines()[0] == "backprop-tutor: article"
    for title in ("Forward pass", "Loss", "Deltas", f"Weight updates: {RULE}"):
        assert title in out
    assert f"1 {MINUS} 0.1·(1·({MINUS}4))" in out
    assert f"{MINUS}4" in out
    d0 = re.escape("1·1 + 1·1 + 1·1 + 1·1")
    assert re.search(rf"^\s*D0\s+D0 = \u03a3 w\u00b7Z\s+{d0}\s+4\s*$", out, re.MULTILINE)
    for link in LINK_ORDER:
        z, new = ("1", r"1\.4") if link in CHANGED else ("0", "1")
        gradient = f"{MINUS}4" if link in CHANGED else "0"
        numbers = re.escape(f"1 {MINUS} 0.1·({z}·({MINUS}4))")
        pattern = rf"^\s*{link}\s+1\s+{gradient}\s+{new}\s+{numbers}\s*$"
        assert re.search(pattern, out, re.MULTILINE), link
    deltas = re.findall(rf"^\s*(D0|Z\d)\s+\u03b4\(\1\).*\s({MINUS}?\d+)\s*$", out, re.MULTILINE)
    assert deltas == [("D0", f"{MINUS}4"), ("Z1", f"{MINUS}4"), ("Z2", f"{MINUS}4"),
                      ("Z3", f"{MINUS}4")]
    assert "warning" not in out


def test_text_ascii_only(article: Walkthrough) -> None:
    out = rich_text(article, ascii_only=True)
    assert out.isascii()
    assert "1 - 0.1*(1*(-4))" in out
    assert f"Weight updates: {to_ascii(RULE)}" in out
    assert "Weight updates: w <- w - " in out
    assert re.search(r"\|\s*Z3->D0\s*\|\s*1\s*\|\s*-4\s*\|\s*1\.4\s*\|", out)


def test_text_narrow_console_keeps_every_link(article: Walkthrough) -> None:
    out = rich_text(article, width=60)
    for link in LINK_ORDER:
        assert link in out
    assert max(len(line) for line in out.splitlines()) <= 60


def test_text_shows_the_overflow_warning(huge: Walkthrough) -> None:
    out = rich_text(huge)
    assert "warning: some numbers overflowed to inf or nan" in out
    assert re.search(r"^\s*X1->Z1\s+1e\+200\s+nan\s+nan\s", out, re.MULTILINE)


# --- sections() -------------------------------------------------------------------------------


def test_sections_online(article: Walkthrough) -> None:
    forward, loss, deltas, updates = sections(article)
    assert [s.title for s in sections(article)] == HEADINGS
    assert forward.columns == ("unit", "formula", "with numbers", "value")
    assert [row[0] for row in forward.rows] == UNITS
    assert forward.numeric == (3,)
    assert len(list(loss.rows)) == 1 and len(list(deltas.rows)) == 4
    assert updates.rule == RULE
    assert [row[0] for row in updates.rows] == LINK_ORDER


def test_sections_rows_are_made_again_at_each_pass(xor: Walkthrough) -> None:
    """The rows are not kept (a large lesson's do not fit in memory): each pass makes them."""
    for section in sections(xor):
        assert list(section.rows) == list(section.rows)
        assert not isinstance(section.rows, (list, tuple))


def test_sections_batch_has_a_sample_column(xor: Walkthrough) -> None:
    secs = sections(xor)
    assert all(isinstance(s, Section) for s in secs)
    forward, loss, deltas, updates = (
        Section(s.title, s.columns, tuple(s.rows), s.numeric, s.rule) for s in secs
    )
    assert forward.columns == ("sample", "unit", "formula", "with numbers", "value")
    assert forward.numeric == (4,)
    assert len(forward.rows) == 4 * len(UNITS) == 32
    assert [row[0] for row in forward.rows] == [str(i) for i in range(4) for _ in UNITS]
    assert [row[1] for row in forward.rows] == UNITS * 4
    for sample, (x1, x2) in enumerate(XOR_INPUTS):
        rows = {row[1]: row for row in forward.rows if row[0] == str(sample)}
        assert (rows["X0"][-1], rows["X1"][-1], rows["X2"][-1]) == ("1", f"{x1:g}", f"{x2:g}")
        assert rows["D0"][2] == "D0 = σ(Σ w·Z)"
    assert [row[0] for row in loss.rows] == ["0", "1", "2", "3", "all"]
    assert deltas.columns[0] == "sample" and len(deltas.rows) == 16
    assert [row[:2] for row in deltas.rows[:4]] == [("0", "D0"), ("0", "Z1"), ("0", "Z2"),
                                                    ("0", "Z3")]
    assert len(updates.rows) == 13
    assert updates.rule == "w ← w − α·mean(Z·δ)"
    assert loss.rows[-1][-1] == fmt(xor.loss)
