"""The network diagram: what a learner reads off it at each step, in Unicode and in ASCII."""

from __future__ import annotations

import re

import numpy as np
import pytest
from rich.text import Text

from engine import Init, Scenario, Walkthrough, builtin, walk
from tui.widgets.diagram import (
    CHANGED,
    CURRENT,
    NEGATIVE,
    PENDING,
    POSITIVE,
    SOURCE,
    _measure,
    diagram_lines,
    draw,
    is_large,
    strength,
)

MINUS = "−"
NODE = re.compile(
    r"(?P<mark>[▶›>~ ])(?P<name>[XZYD]\d+) +(?P<value>\S+)(?: +(?:δ|delta) (?P<delta>\S+))?"
)




def plain(
    w: Walkthrough, k: int, ascii_only: bool = False, room: int | None = None,
    rows: int | None = None,
) -> list[str]:
    return [t.plain for t in diagram_lines(w, k, ascii_only=ascii_only, room=room, rows=rows)]


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


def sources_of(lines: list[str], name: str) -> list[str]:
    """The source named by each weight under a node, over all its weight lines."""
    node = nodes(lines)[name]
    found: list[str] = []
    for line in lines[int(node["row"]) + 1 :]:
        below = line[int(node["col"]) + 1 :]
        match = re.match(r"(?:w| )((?: \[?[XZYD]\d+[^\s\]]+\]?)+)", below)
        if not match and not found and re.match(r" *((δ|delta) \S+)? *$", below[:20]):
            continue  # the unit's δ line (a tight drawing), or where it will be
        if not match:
            break
        found += re.findall(r"([XZYD]\d+)[▂▄▆█_:|#]", match.group(1))
    return found


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
    assert lines[-2].rstrip().endswith(f"  ▶E = {MINUS}4*")


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
    assert weight_line(lines, "Z1") == "w [X0▆1.4′] X1▆1 X2▆1"
    assert weight_line(lines, "Z2") == "w X0▆1 X1▆1 X2▆1"
    assert weight_line(lines, "D0") == "w Z0▆1 Z1▆1 Z2▆1 Z3▆1"


def test_after_every_update_seven_weights_are_1_4(article):
    lines = plain(article, len(article) - 1)
    for z in ("Z1", "Z2", "Z3"):
        assert weight_line(lines, z) == "w X0▆1.4′ X1▆1 X2▆1"
    assert weight_line(lines, "D0") == "w Z0▆1.4′ Z1▆1.4′ Z2▆1.4′ [Z3▆1.4′]"
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
    assert widths.pop() <= 78
    assert heights.pop() <= 15


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
    # every weight names its source, a unit of the layer before
    units = {u.name: u.layer for u in w.units}
    for target, layer in units.items():
        if layer and target in {link.target for link in w.links}:
            sources = sources_of(plain(w, -1), target)
            assert [units[s] for s in sources] == [layer - 1] * (layers[layer - 1] + 1)


def test_two_hidden_layers_chain_their_buses():
    lines = plain(walk(scenario((2, 3, 3, 1))), -1)
    assert "hidden 1" in lines[0] and "hidden 2" in lines[0]
    n = nodes(lines)
    bar = int(n["Y1"]["col"]) - 4  # the bus's bar, left of the arrows into Y1..Y3
    rows = [line[bar] for line in lines[1:-2]]
    z_rows = [int(n[f"Z{i}"]["row"]) for i in range(4)]
    assert all(rows[r - 1] in "┐┤┼┘" for r in z_rows)  # every Z row joins the bar
    assert all(line[bar + 1 : bar + 3] == "─→" for line in (lines[int(n[f"Y{i}"]["row"])]
                                                              for i in (1, 2, 3)))


def test_non_finite_numbers_keep_the_layout():
    weights = [np.array([[1.0, np.inf, 1.0]] * 3), np.array([[np.nan, 1.0, -np.inf, 1.0]])]
    w = walk(builtin("article"), weights=weights)
    for k in range(-1, len(w)):
        lines = plain(w, k)
        assert len({len(line) for line in lines}) == 1
    last = plain(w, len(w) - 1)
    assert nodes(last)["D0"]["value"] == "nan"
    assert weight_line(plain(w, -1), "D0") == f"w Z0▂nan Z1▆1 Z2█{MINUS}inf Z3▆1"


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
    assert "1.4′" in styled(21, CHANGED) and "[Z3▆1.4′]" in styled(21, CURRENT)
    assert "·" in {s.strip() for s in styled(-1, PENDING)}


# --- which weight belongs to which link, and how strong it is (issue 12) ------------------


def bar_at(lines: list[Text], entry: str) -> tuple[str, str]:
    """The bar of the weight entry ``entry`` (``X1▂−0.1321``): its glyph and its style."""
    for line in lines:
        at = line.plain.find(entry)
        if at >= 0:
            bar = at + len(re.match(r"[XZYD]\d+", entry).group())  # type: ignore[union-attr]
            styles = [str(s.style) for s in line.spans if s.start <= bar < s.end]
            return line.plain[bar], " ".join(styles)
    raise AssertionError(f"{entry!r} is not drawn")


def test_each_weight_names_the_unit_it_comes_from(article):
    lines = plain(article, -1)
    assert sources_of(lines, "D0") == ["Z0", "Z1", "Z2", "Z3"]
    for z in ("Z1", "Z2", "Z3"):
        assert sources_of(lines, z) == ["X0", "X1", "X2"]
    # one link found on screen: Z1->D0 is the Z1 entry under D0, bracketed at its update
    k = next(s.index for s in article.steps if s.target == "Z1->D0")
    assert weight_line(plain(article, k), "D0") == "w Z0▆1.4′ [Z1▆1.4′] Z2▆1 Z3▆1"


def test_weight_bars_are_coloured_by_sign_and_sized_by_magnitude():
    w = walk(builtin("xor-sigmoid"))  # X1->Z1 −0.1321, X1->Z2 −0.53567, X0->Z3 1.304,
    lines = diagram_lines(w, -1)  # Z3->D0 −2.325, X2->Z1 0.64042
    assert bar_at(lines, "X1▂−0.1321") == ("▂", f"dim {NEGATIVE}")
    assert bar_at(lines, "X1▄−0.53567") == ("▄", NEGATIVE)
    assert bar_at(lines, "X2▄0.64042") == ("▄", POSITIVE)
    assert bar_at(lines, "X0▆1.304") == ("▆", POSITIVE)
    assert bar_at(lines, "Z3█−2.325") == ("█", f"bold {NEGATIVE}")
    assert [strength(x) for x in (0, 0.2, -0.3, 1, -1.49, 1.5, -np.inf, np.nan)] == [
        0, 0, 1, 2, 2, 3, 3, 0
    ]
    # without colour the bar's height and the number's sign say it; --ascii has its own bars
    ascii_lines = plain(w, -1, ascii_only=True)
    assert all(e in "".join(ascii_lines) for e in ("X1_-0.1321", "X1:-0.53567", "X0|1.304",
                                                   "Z3#-2.325"))
    assert "_:|# weight: blue +, orange -" in "".join(ascii_lines)


def test_a_bias_unit_never_shares_a_row_with_the_layer_before():
    shapes = [(2, 2, 2), (2, 3, 3, 1), (2, 3, 2, 1), (2, 3, 1), (1, 1, 1), (3, 2, 2, 1)]
    for layers in shapes:
        w = walk(scenario(layers))
        for room in (None, 57):
            n = nodes(plain(w, -1, room=room))
            for unit in w.units:
                if unit.bias and unit.layer:
                    before = {v["row"] for name, v in n.items()
                              if w.unit(name).layer == unit.layer - 1}  # type: ignore[union-attr]
                    assert n[unit.name]["row"] not in before, (layers, room, unit.name)


def deep(layers: tuple[int, ...] = (2, 3, 2, 1)) -> Walkthrough:
    return walk(scenario(layers))


@pytest.mark.parametrize(
    ("name", "rooms"),
    [
        ("article", (57, 77, 79, 135)),
        ("article-corrected", (57, 77, 79, 135)),
        ("xor-sigmoid", (57, 77, 79, 135)),
        ("2-3-2-1", (77, 79, 135)),  # at 57 the tightest drawing is 75 wide: the pane scrolls
        ("2-2-2", (57, 77, 79, 135)),
        ("64-8-1", (57, 77, 79, 135)),
    ],
)
def test_the_drawing_fits_the_room_of_the_pane(name, rooms):
    """60x18 and 80x24 give the pane 57 and 77 cells, 120x36 gives 79, 200x50 135."""
    if "-" in name and name[0].isdigit():
        layers = tuple(map(int, name.split("-")))
        w = walk(scenario(layers)) if layers[0] < 64 else walk(wide_scenario())
    else:
        w = walk(builtin(name))
    for room in rooms:
        for k in (-1, len(w) // 2, len(w) - 1):
            lines = plain(w, k, room=room)
            assert max(len(line) for line in lines) <= room, (room, k)
            assert len({len(line) for line in lines}) == 1
            drawn = nodes(lines)
            assert "D0" in drawn  # the output is always drawn
            if not is_large(w):
                assert set(drawn) == {u.name for u in w.units}


def test_two_hidden_layers_at_120x36_draw_the_output():
    """The issue's case: [2, 3, 2, 1] in the 120x36 pane ended at "Y1 … ─┼─→", no D0."""
    w = deep()
    spacious = plain(w, 20)
    assert max(map(len, spacious)) > 79  # too wide for the pane as it was drawn
    lines = plain(w, 20, room=79)
    assert max(map(len, lines)) <= 79
    assert re.search(r"─→ [ ▶]D0 ", lines[int(nodes(lines)["D0"]["row"])])
    # the tight drawing still says everything: each δ under its value, every weight by source
    k = next(s.index for s in w.steps if s.phase == "backward" and s.target == "Y1")
    lines = plain(w, k, room=79)
    y1 = nodes(lines)["Y1"]
    assert lines[int(y1["row"]) + 1][int(y1["col"]):].lstrip().startswith("δ ")
    assert sources_of(lines, "D0") == ["Y0", "Y1", "Y2"]
    assert sources_of(lines, "Y2") == ["Z0", "Z1", "Z2", "Z3"]


def test_focus_is_the_current_steps_unit(article):
    for k, line_of in ((1, "▶Z2"), (2, "▶Z3"), (5, "▶D0"), (9, "▶Z1")):
        d = draw(article, k, room=57)
        row, col, width = d.focus
        assert line_of in d.lines[row].plain[col : col + width], (k, d.lines[row].plain)
    loss = next(s.index for s in article.steps if s.phase == "loss")
    d = draw(article, loss, room=57)
    assert "▶E = " in d.lines[d.focus[0]].plain
    assert draw(article, -1).focus == (0, 0, 0)


def test_the_legend_wraps_to_the_room(article):
    lines = diagram_lines(article, -1, room=57)
    legend = [line.plain for line in lines if "pending" in line.plain or "source" in line.plain]
    assert legend and all(len(line) <= 57 for line in legend)


def test_rooms_do_not_rescan_the_walkthrough():
    """A step redraws the diagram: its cost per key stays that of drawing, whatever the room
    (the walkthrough's numbers are measured once, not once per room)."""
    w = deep()
    before = _measure.cache_info().misses
    for room in (None, 57, 77, 79, 135):
        for k in range(-1, 5):
            draw(w, k, room=room)
    assert _measure.cache_info().misses == before + 1


def wide_scenario() -> Scenario:
    """64 inputs: the large drawing, in windows."""
    return Scenario(
        name="wide", layers=(64, 8, 1), activations=("sigmoid", "sigmoid"),
        loss="cross_entropy", learning_rate=1.0, update="online",
        init=Init(kind="random", seed=0),
        inputs=(tuple(float(i % 3 == 0) for i in range(64)),), targets=((1.0,),),
    )


def test_a_large_network_fits_tighter_with_each_delta_under_its_value():
    w = walk(wide_scenario())
    assert is_large(w)
    k = next(s.index for s in w.steps if s.phase == "backward" and s.target == "Z5")
    spacious, tight = plain(w, k), plain(w, k, room=57)
    assert max(map(len, spacious)) > 57 >= max(map(len, tight))
    z5 = nodes(tight)["Z5"]
    assert z5["mark"] == "▶" and z5["delta"] is None
    assert re.match(r" +δ \S+\*", tight[int(z5["row"]) + 1][int(z5["col"]):])
    d = draw(w, k, room=57)
    assert "▶Z5" in d.lines[d.focus[0]].plain


def test_beside_the_explanation_a_crowded_drawing_is_made_narrower(article):
    """At 120x36 the pane shares its width (79 cells, 14 lines): the spacious drawing would
    take 76 of them; one with D0's weights on two lines takes fewer, in the same lines."""
    spacious = plain(article, len(article) - 1, room=79)
    narrow = plain(article, len(article) - 1, room=79, rows=14)
    assert len(spacious[0]) == 76 and len(narrow[0]) <= 62 and len(narrow) <= 14
    assert sources_of(narrow, "D0") == ["Z0", "Z1", "Z2", "Z3"]
    assert plain(article, -1, room=135, rows=20) == plain(article, -1)  # room to spare
    assert plain(article, -1, room=79, rows=8) == plain(article, -1, room=79)  # no shorter
