"""The network diagram: what a learner reads off it at each step, in Unicode and in ASCII."""

from __future__ import annotations

import re

import numpy as np
import pytest

from engine import Init, Scenario, Walkthrough, builtin, walk
from tui.widgets.diagram import CHANGED, CURRENT, PENDING, SOURCE, diagram_lines

MINUS = "−"
NODE = re.compile(
    r"(?P<mark>[▶›>~ ])(?P<name>[XZYD]\d+) +(?P<value>\S+)(?: +(?:δ|delta) (?P<delta>\S+))?"
)




def plain(w: Walkthrough, k: int, ascii_only: bool = False) -> list[str]:
    return [t.plain for t in diagram_lines(w, k, ascii_only=ascii_only)]


def nodes(lines: list[str]) -> dict[str, dict[str, object]]:
    """Every node drawn: its marker, value, delta, and where it starts."""
    found: dict[str, dict[str, object]] = {}
    for row, line in enumerate(lines[:-1]):  # the legend is no node
        for m in NODE.finditer(line):
            assert m["name"] not in found, f"{m['name']} drawn twice"
            found[m["name"]] = {**m.groupdict(), "row": row, "col": m.start()}
    return found


def weight_line(lines: list[str], name: str) -> str:
    """The weight line under a node: ``w 1.4′ 1 1``."""
    node = nodes(lines)[name]
    below = lines[int(node["row"]) + 1][int(node["col"]) + 1 :]
    match = re.match(r"w( \S+)+", below)
    assert match, f"no weight line under {name}: {below!r}"
    return match.group(0)


def test_before_the_first_step_only_inputs_and_biases_have_values(article):
    lines = plain(article, -1)
    n = nodes(lines)
    assert {k: v["value"] for k, v in n.items()} == {
        "X0": "1", "X1": "0", "X2": "0", "Z0": "1", "Z1": "·", "Z2": "·", "Z3": "·", "D0": "·",
    }
    assert all(v["delta"] is None and v["mark"] == " " for v in n.values())
    assert "E = ·" in lines[-2]
    assert "δ" not in "".join(lines[:-1])


def test_forward_values_appear_and_the_fresh_one_is_starred(article):
    at_d0 = nodes(plain(article, 3))  # D0's forward step
    assert at_d0["D0"]["value"] == "4*" and at_d0["D0"]["mark"] == "▶"
    assert [at_d0[f"Z{i}"]["value"] for i in (1, 2, 3)] == ["1", "1", "1"]
    later = nodes(plain(article, 4))  # the loss step: D0 was computed earlier, no star
    assert later["D0"]["value"] == "4"


def test_loss_step_marks_the_outputs_and_the_loss_line(article):
    lines = plain(article, 4)
    assert nodes(lines)["D0"]["mark"] == "▶"
    assert lines[-2].strip() == f"▶E = {MINUS}4*"


def test_output_delta_step(article):
    lines = plain(article, 5)
    d0 = nodes(lines)["D0"]
    assert d0["mark"] == "▶" and d0["delta"] == f"{MINUS}4*"
    assert f"▶D0 4  δ {MINUS}4*" in lines[int(d0["row"])]
    assert nodes(lines)["Z1"]["delta"] is None


def test_update_step_marks_target_source_and_weight(article):
    lines = plain(article, 9)  # X0->Z1: 1 becomes 1.4
    n = nodes(lines)
    assert n["Z1"]["mark"] == "▶" and n["X0"]["mark"] == "›"
    assert weight_line(lines, "Z1") == "w [1.4′] 1 1"
    assert weight_line(lines, "Z2") == "w 1 1 1"
    assert weight_line(lines, "D0") == "w 1 1 1 1"


def test_after_every_update_seven_weights_are_1_4(article):
    lines = plain(article, len(article) - 1)
    for z in ("Z1", "Z2", "Z3"):
        assert weight_line(lines, z) == "w 1.4′ 1 1"
    assert weight_line(lines, "D0") == "w 1.4′ 1.4′ 1.4′ [1.4′]"
    assert nodes(lines)["Z3"]["mark"] == "›"


def test_connectors_join_every_source_to_every_target(article):
    lines = plain(article, -1)
    assert any("X0 1 ──┐" in line for line in lines)
    assert sum("├─→  Z" in line or "└─→  Z" in line for line in lines) == 3
    assert sum("─→  D0" in line for line in lines) == 1
    assert "→  Z0" not in "".join(lines)  # nothing feeds a bias unit


def test_exactly_one_node_is_current(article):
    outputs = {"D0"}
    for k in range(len(article)):
        lines = plain(article, k)
        marked = {name for name, n in nodes(lines).items() if n["mark"] == "▶"}
        if article.steps[k].phase == "loss":
            assert marked == outputs
        else:
            assert len(marked) == 1
        assert "▶" not in lines[-2] or article.steps[k].phase == "loss"
        assert "".join(lines[:-1]).count("▶") == len(marked) + (lines[-2].count("▶"))


@pytest.mark.parametrize("name", ["article", "xor-sigmoid"])
def test_ascii_mode_is_pure_ascii(name):
    w = walk(builtin(name))
    for k in range(-1, len(w)):
        for line in plain(w, k, ascii_only=True):
            assert line.isascii(), line
    d0 = nodes(plain(walk(builtin("article")), 5, ascii_only=True))["D0"]
    assert (d0["mark"], d0["delta"]) == (">", "-4*")


@pytest.mark.parametrize("name", ["article", "xor-sigmoid"])
@pytest.mark.parametrize("ascii_only", [False, True])
def test_lines_have_one_width_at_every_step(name, ascii_only):
    w = walk(builtin(name))
    widths = {len(line) for k in range(-1, len(w)) for line in plain(w, k, ascii_only)}
    heights = {len(plain(w, k, ascii_only)) for k in range(-1, len(w))}
    assert len(widths) == 1 and len(heights) == 1
    assert widths.pop() <= (78 if name == "article" else 100)
    assert heights.pop() <= 14


def test_batch_second_sample_starts_blank(xor):
    k = next(s.index for s in xor.steps if s.sample == 1)
    n = nodes(plain(xor, k))
    assert (n["X1"]["value"], n["X2"]["value"]) == ("0", "1")
    assert n["Z1"]["value"].endswith("*") and n["Z2"]["value"] == "·" and n["D0"]["delta"] is None


def scenario(layers: tuple[int, ...]) -> Scenario:
    return Scenario(
        name="t", layers=layers, activations=("sigmoid",) * (len(layers) - 1),
        loss="half_squared_error", learning_rate=0.5, update="online",
        init=Init(kind="random", seed=1), inputs=(tuple(float(i % 2) for i in range(layers[0])),),
        targets=((1.0,) * layers[-1],),
    )


@pytest.mark.parametrize(
    ("layers", "names"),
    [
        ((2, 2, 2), "X0 X1 X2 Z0 Z1 Z2 D0 D1"),
        ((2, 3, 3, 1), "X0 X1 X2 Z0 Z1 Z2 Z3 Y0 Y1 Y2 Y3 D0"),
        ((1, 1, 1), "X0 X1 Z0 Z1 D0"),
        ((8, 8, 2), " ".join([f"X{i}" for i in range(9)] + [f"Z{i}" for i in range(9)]) + " D0 D1"),
    ],
)
def test_other_shapes_draw_every_unit_once(layers, names):
    w = walk(scenario(layers))
    computed = sum(layers[1:])
    for k in (-1, len(w) // 2, len(w) - 1):
        lines = plain(w, k)
        assert sorted(nodes(lines)) == sorted(names.split())
        assert sum(len(re.findall(r"(?<!\S)w (?=\S)", line)) for line in lines) == computed
        assert len({len(line) for line in lines}) == 1
    for name in names.split():
        assert sum(len(re.findall(rf"\b{name}\b", line)) for line in plain(w, -1)) == 1


def test_two_hidden_layers_chain_their_buses():
    lines = plain(walk(scenario((2, 3, 3, 1))), -1)
    assert "hidden 1" in lines[0] and "hidden 2" in lines[0]
    assert any("┼─→  Y" in line for line in lines)  # a Z row feeds the bar a Y row leaves


def test_non_finite_numbers_keep_the_layout():
    weights = [np.array([[1.0, np.inf, 1.0]] * 3), np.array([[np.nan, 1.0, -np.inf, 1.0]])]
    w = walk(builtin("article"), weights=weights)
    for k in range(-1, len(w)):
        lines = plain(w, k)
        assert len({len(line) for line in lines}) == 1
    last = plain(w, len(w) - 1)
    assert nodes(last)["D0"]["value"] == "nan"
    assert weight_line(plain(w, -1), "D0") == f"w nan 1 {MINUS}inf 1"


def test_step_outside_the_walkthrough_is_an_error(article):
    with pytest.raises(IndexError):
        diagram_lines(article, len(article))
    with pytest.raises(IndexError):
        diagram_lines(article, -2)


def test_marks_carry_their_named_styles(article):
    def styled(k: int, style: str) -> set[str]:
        return {
            line.plain[span.start : span.end]
            for line in diagram_lines(article, k)[:-1]
            for span in line.spans
            if span.style == style
        }

    assert f"▶D0 4  δ {MINUS}4*" in styled(5, CURRENT)
    assert "›X0 1" in styled(9, SOURCE)
    assert {"1.4′", "[1.4′]"} <= styled(21, CHANGED) | styled(21, CURRENT)
    assert "·" in {s.strip() for s in styled(-1, PENDING)}
