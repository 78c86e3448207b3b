"""Scenario files from Hypothesis: valid ones, broken ones and plain noise.

Every file must either load or fail with one :class:`ScenarioError` (never another exception),
and the command line must either print valid JSON (exit 0) or one ``backprop-tutor: error:``
line (exit 2), never a traceback. Valid scenarios survive ``dump_scenario`` → ``load_scenario``
unchanged.

The documents are dicts built from a valid scenario and then broken by a few random edits
(drop a key, add one, replace a value with another type, change a shape), written to TOML by the
small writer below. Numbers stay within TOML's 64-bit integers and keys within plain characters:
what lies beyond (huge integers, control characters in a key, very deep nesting) is checked by
the tests at the end, one case each.

Cost: the examples are derandomized (the same every run) and sized to take 5–10 s in all.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import json
import math
import string
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import ScenarioError, dump_scenario, load_scenario
from engine.scenario import Init, Scenario
from tui.cli import main
from tui.i18n import set_language

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ACTIVATIONS = ("identity", "sigmoid", "tanh", "relu")
LOSSES = ("article_error", "half_squared_error", "cross_entropy")
WORDS = ACTIVATIONS + LOSSES + ("online", "batch", "constant", "random", "explicit")
TOP_KEYS = ("name", "description", "layers", "activations", "loss", "learning_rate", "update",
            "init", "data")
ERROR_PREFIX = "backprop-tutor: error: "
INT64 = (-(2**63), 2**63 - 1)

FAST = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


# --- a tiny TOML writer ---------------------------------------------------------------------


def toml_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in "\"\\":
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}"
                               for k, v in value.items()) + "}"
    raise TypeError(type(value))


def toml_document(doc: dict[str, Any]) -> str:
    """Plain keys first, then one ``[table]`` per dict (dicts inside it written inline)."""
    lines = [f"{toml_string(k)} = {toml_value(v)}" for k, v in doc.items()
             if not isinstance(v, dict)]
    for key, table in doc.items():
        if isinstance(table, dict):
            lines += ["", f"[{toml_string(key)}]"]
            lines += [f"{toml_string(k)} = {toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def same(a: Any, b: Any) -> bool:
    """Equality that counts nan as equal to nan (for checking the writer)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


# --- strategies -------------------------------------------------------------------------------

finite = st.one_of(
    st.integers(-3, 3).map(float),
    st.sampled_from([0.5, -0.0, 1e-300, 5e-324, 1e200, -1e200, 1.7976931348623157e308]),
    st.floats(allow_nan=False, allow_infinity=False),
)
unit_interval = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0))
# What a name and a description may hold: no control, format or separator characters, no
# noncharacters (engine/scenario.py refuses them; tests/functional_tests/test_untrusted_text.py
# tries them all). Unassigned and private-use code points are fine: the writer escapes them.
plain = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp")).filter(
    lambda ch: not (0xFDD0 <= ord(ch) <= 0xFDEF or ord(ch) & 0xFFFE == 0xFFFE))
names = st.text(plain, max_size=24)
descriptions = st.text(st.one_of(plain, st.sampled_from("\n\t")), max_size=24)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A valid scenario, small enough to walk in a millisecond."""
    layers = tuple(draw(st.lists(st.integers(1, 4), min_size=2, max_size=4)))
    loss = draw(st.sampled_from(LOSSES))
    activations = [draw(st.sampled_from(ACTIVATIONS)) for _ in layers[1:]]
    if loss == "cross_entropy":
        activations[-1] = "sigmoid"
    kind = draw(st.sampled_from(("constant", "random", "explicit")))
    shapes = [(layers[i + 1], layers[i] + 1) for i in range(len(layers) - 1)]
    if kind == "constant":
        init = Init(kind="constant", value=draw(finite))
    elif kind == "random":
        init = Init(kind="random", seed=draw(st.integers(0, INT64[1])))
    else:
        init = Init(kind="explicit", weights=tuple(
            tuple(tuple(draw(finite) for _ in range(cols)) for _ in range(rows))
            for rows, cols in shapes))
    m = draw(st.integers(1, 4))
    targets = unit_interval if loss == "cross_entropy" else finite
    return Scenario(
        name=draw(names),
        description=draw(descriptions),
        layers=layers,
        activations=tuple(activations),
        loss=loss,
        learning_rate=draw(st.one_of(st.sampled_from([0.1, 1.0, 1e6]), st.floats(
            min_value=0.0, exclude_min=True, allow_infinity=False))),
        update=draw(st.sampled_from(("online", "batch"))),
        init=init,
        inputs=tuple(tuple(draw(finite) for _ in range(layers[0])) for _ in range(m)),
        targets=tuple(tuple(draw(targets) for _ in range(layers[-1])) for _ in range(m)),
    )


def as_document(s: Scenario) -> dict[str, Any]:
    """The scenario as the dict a file of it parses to."""
    init: dict[str, Any] = {"kind": s.init.kind}
    if s.init.kind == "constant":
        init["value"] = s.init.value
    elif s.init.kind == "random":
        init["seed"] = s.init.seed
    else:
        init["weights"] = [[list(row) for row in matrix] for matrix in s.init.weights]
    return {
        "name": s.name, "description": s.description, "layers": list(s.layers),
        "activations": list(s.activations), "loss": s.loss, "learning_rate": s.learning_rate,
        "update": s.update, "init": init,
        "data": {"inputs": [list(r) for r in s.inputs], "targets": [list(r) for r in s.targets]},
    }


plain_keys = st.one_of(st.sampled_from(TOP_KEYS + ("kind", "value", "seed", "weights", "inputs",
                                                   "targets", "Layers", "")),
                       st.text(string.ascii_letters + string.digits + "_-. ", max_size=10))
scalars = st.one_of(
    st.text(max_size=12), st.sampled_from(WORDS), st.booleans(),
    st.integers(*INT64), st.sampled_from([0, -1, 1, 2, 64, 65, 4097, *INT64]),
    st.floats(), st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -1.0]),
    st.dates(), st.datetimes(), st.times(),
)
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(plain_keys, inner, max_size=3)),
    max_leaves=10,
)


def places(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key and index in the document, as paths from the top."""
    found: list[tuple[Any, ...]] = []
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(
        doc, list) else ()
    for key, value in items:
        found.append(path + (key,))
        found += places(value, path + (key,))
    return found


@st.composite
def broken(draw: st.DrawFn, doc: dict[str, Any]) -> dict[str, Any]:
    """The document with one random edit: a key or element dropped, added or replaced."""
    doc = copy.deepcopy(doc)
    targets = places(doc)
    path = draw(st.sampled_from(targets)) if targets else ()
    parent: Any = doc
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1] if path else None
    action = draw(st.sampled_from(("drop", "replace", "replace", "add", "shape", "number")))
    if last is None or action == "add":
        where = parent if isinstance(parent, (dict, list)) else doc
        if isinstance(where, dict):
            where[draw(plain_keys)] = draw(junk)
        else:
            where.insert(draw(st.integers(0, len(where))), draw(junk))
    elif action == "drop":
        del parent[last]
    elif action == "replace":
        parent[last] = draw(junk)
    elif action == "shape" and isinstance(parent[last], list) and parent[last]:
        row = parent[last]
        if draw(st.booleans()):
            row.pop(draw(st.integers(0, len(row) - 1)))
        else:
            row.append(copy.deepcopy(row[0]))
    else:  # a number where one is expected, but a wrong one
        parent[last] = draw(st.sampled_from(
            [0, -1, 0.0, -0.0, math.nan, math.inf, -math.inf, 1e308, 2**63 - 1, True, "1"]))
    return doc


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A scenario file's contents: sometimes valid, mostly broken in one to three ways."""
    doc = as_document(draw(scenarios()))
    for _ in range(draw(st.integers(0, 3))):
        doc = draw(broken(doc))
    return doc


toml_ish = st.lists(
    st.sampled_from(["\n", " = ", "=", "[", "]", "[init]", "[data]", "[[data]]", ",", '"', "'",
                     "#", "{", "}", ".", "layers", "kind", "random", "1", "-", "1e400", "nan",
                     "0x", "true", '"""', "\\u", "1979-05-27", "\x00", "é", "\ufeff"]),
    max_size=40,
).map("".join)
noise = st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode),
                  toml_ish.map(str.encode))


# --- helpers -----------------------------------------------------------------------------------


def load_text(data: bytes) -> Scenario | ScenarioError:
    """Load ``data`` as a scenario file; a ScenarioError is returned, anything else raised."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.toml"
        path.write_bytes(data)
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            message = str(error)
            assert message.startswith(f"{path}: "), message
            assert "\n" not in message and message.strip() != f"{path}:", message
            return error
    assert isinstance(scenario, Scenario)
    return scenario


def run_cli(data: bytes) -> tuple[int, str, str]:
    """``backprop-tutor print --scenario FILE --format json`` in-process."""
    out, err = io.StringIO(), io.StringIO()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.toml"
        path.write_bytes(data)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(["print", "--scenario", str(path), "--format", "json"])
            except SystemExit as stop:
                code = stop.code  # type: ignore[assignment]
    return code, out.getvalue(), err.getvalue()


def check_cli(data: bytes) -> None:
    code, out, err = run_cli(data)
    assert "Traceback" not in err
    if code == 0:
        def reject(token: str) -> None:
            raise ValueError(token)

        result = json.loads(out, parse_constant=reject)
        assert result["steps"] and result["scenario"]["layers"]
        assert all(line.startswith("backprop-tutor: warning") for line in err.splitlines())
    else:
        assert code == 2, (code, err)
        assert out == ""
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith(ERROR_PREFIX), err


# --- the properties -------------------------------------------------------------------------


@settings(FAST, max_examples=100)
@given(doc=documents())
def test_the_writer_writes_what_tomllib_reads(doc: dict[str, Any]) -> None:
    """The fuzzer's own TOML writer: what it writes parses back to the same document."""
    assert same(tomllib.loads(toml_document(doc)), doc)


@settings(FAST, max_examples=200)
@given(doc=documents())
def test_any_document_loads_or_gives_one_scenario_error(doc: dict[str, Any]) -> None:
    load_text(toml_document(doc).encode())


@FAST
@given(data=noise)
def test_any_bytes_load_or_give_one_scenario_error(data: bytes) -> None:
    load_text(data)


@FAST
@given(s=scenarios())
def test_a_valid_scenario_written_as_a_document_loads_as_itself(s: Scenario) -> None:
    loaded = load_text(toml_document(as_document(s)).encode())
    assert loaded == s and isinstance(loaded, Scenario)
    assert loaded.description == s.description


@FAST
@given(s=scenarios())
def test_dump_then_load_gives_an_equal_scenario(s: Scenario) -> None:
    text = dump_scenario(s)
    loaded = load_text(text.encode("utf-8"))
    assert isinstance(loaded, Scenario), loaded
    assert loaded == s
    assert (loaded.name, loaded.description) == (s.name, s.description)
    assert dump_scenario(loaded) == text


@settings(FAST, max_examples=120)
@given(doc=documents())
def test_cli_prints_json_or_one_error_line(doc: dict[str, Any]) -> None:
    check_cli(toml_document(doc).encode())


@settings(FAST, max_examples=60)
@given(data=noise)
def test_cli_on_noise_prints_one_error_line(data: bytes) -> None:
    check_cli(data)


@settings(FAST, max_examples=60)
@given(s=scenarios())
def test_cli_prints_valid_scenarios(s: Scenario) -> None:
    code, out, err = run_cli(dump_scenario(s).encode())
    assert code == 0, err
    data = json.loads(out)
    assert data["scenario"]["name"] == s.name and data["scenario"]["layers"] == list(s.layers)


def test_the_documents_are_often_valid_and_often_broken() -> None:
    """The fuzzer exercises both sides: loads that work and errors for many different keys."""
    outcomes: list[Scenario | ScenarioError] = []

    @settings(max_examples=150, deadline=None, derandomize=True, database=None)
    @given(doc=documents())
    def collect(doc: dict[str, Any]) -> None:
        outcomes.append(load_text(toml_document(doc).encode()))

    collect()
    loaded = [o for o in outcomes if isinstance(o, Scenario)]
    keys = {o.key.split(".")[0].split("[")[0] for o in outcomes if isinstance(o, ScenarioError)}
    assert len(loaded) >= 15, len(loaded)
    assert len(outcomes) - len(loaded) >= 60
    assert len(keys) >= 6, keys


# --- bugs the fuzzing found (all fixed), one case each: regression tests ----------------------

VALID = """\
layers = [2, 3, 1]
activations = ["sigmoid", "sigmoid"]
loss = "cross_entropy"
learning_rate = LR
update = "batch"

[init]
kind = "constant"
value = VALUE

[data]
inputs = [[0, 0], [0, 1], [1, 0], [INPUT, 1]]
targets = [[0], [1], [1], [0]]
"""
HUGE = "1" + "0" * 400  # an integer beyond the largest float (TOML allows only 64 bits)


def valid(**changes: str) -> str:
    text = VALID
    for key, value in {"LR": "1.0", "VALUE": "1.0", "INPUT": "1", **changes}.items():
        text = text.replace(key, value)
    return text


def test_the_edge_case_template_is_valid() -> None:
    assert isinstance(load_text(valid().encode()), Scenario)
    assert isinstance(load_text(valid(LR=str(2**63 - 1)).encode()), Scenario)


@pytest.mark.parametrize("field", ["LR", "VALUE", "INPUT"])
def test_an_integer_beyond_float_range_is_a_scenario_error(field: str) -> None:
    error = load_text(valid(**{field: HUGE}).encode())
    assert isinstance(error, ScenarioError)


def test_cli_on_an_integer_beyond_float_range() -> None:
    code, out, err = run_cli(valid(LR=HUGE).encode())
    assert (code, out) == (2, ""), (code, err)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR_PREFIX), err
    assert "'learning_rate'" in lines[0], err


def test_an_integer_of_5000_digits_is_a_scenario_error() -> None:
    error = load_text(valid(LR="1" * 5000).encode())
    assert isinstance(error, ScenarioError), error
    # Python's limit on integer digits stops the TOML reader; a reader without that limit
    # hands the integer on, and it is then too big for a float.
    assert error.problem == "not_toml" or error.key == "learning_rate", str(error)


def test_deeply_nested_arrays_are_a_scenario_error() -> None:
    error = load_text(("x = " + "[" * 5000 + "]" * 5000 + "\n").encode())
    assert isinstance(error, ScenarioError), error
    # Too deep for the TOML reader; one that reads it finds the unknown key x.
    assert error.problem == "not_toml" or error.key == "x", str(error)


@pytest.mark.parametrize("key", ["bad\\nkey", "red\\u001b[31m", "bell\\u0007"])
def test_cli_error_for_an_unknown_key_is_one_clean_line(key: str) -> None:
    code, out, err = run_cli(f'"{key}" = 1\n{valid()}'.encode())
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR_PREFIX), err
    assert all(ch.isprintable() for ch in lines[0]), repr(lines[0])
