"""Scenario files: dump -> load round trips, and one clear ScenarioError per kind of mistake."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from engine import (
    BUILTIN_SCENARIOS,
    Init,
    Scenario,
    ScenarioError,
    builtin,
    dump_scenario,
    load_scenario,
    parse_scenario,
    resolve_scenario,
)

XOR_FILE = """\
name = "my-xor"
layers = [2, 3, 1]
activations = ["sigmoid", "sigmoid"]
loss = "cross_entropy"
learning_rate = 1.0
update = "batch"

[init]
kind = "random"
seed = 0

[data]
inputs = [[0, 0], [0, 1], [1, 0], [1, 1]]
targets = [[0], [1], [1], [0]]
"""

EXPLICIT_FILE = """\
name = "explicit"
layers = [2, 2, 1]
activations = ["tanh", "identity"]
loss = "half_squared_error"
learning_rate = 0.25
update = "online"

[init]
kind = "explicit"
weights = [
    [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]],
    [[1.0, -1.5, 2.0]],
]

[data]
inputs = [[0, 1], [1, 0]]
targets = [[1], [0]]
"""


def write(tmp_path: Path, text: str, name: str = "lesson.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str) -> ScenarioError:
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message  # the file is named first
    return info.value


def explicit_scenario() -> Scenario:
    rng = np.random.default_rng(7)
    base = builtin("article")
    weights = tuple(
        tuple(tuple(float(v) for v in row) for row in rng.standard_normal(shape))
        for shape in base.weight_shapes()
    )
    return base.with_changes(
        name='explicit "weights" \\ test',
        description="line one\nline two, é, tab\there",
        init=Init(kind="explicit", weights=weights),
        learning_rate=1e-7,
        loss="half_squared_error",
        update="batch",
        # Awkward floats: -0.0, a 17-digit fraction, the largest and smallest magnitudes.
        inputs=((0.1, -0.0), (1e300, 5e-324), (0.3, 1 / 3), (-2.5, 7.0)),
    )


# --- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(BUILTIN_SCENARIOS))
def test_builtin_round_trip(tmp_path: Path, name: str) -> None:
    scenario = builtin(name)
    loaded = load_scenario(write(tmp_path, dump_scenario(scenario)))
    assert loaded == scenario
    assert loaded.description == scenario.description  # not part of ==, so checked apart
    assert dump_scenario(loaded) == dump_scenario(scenario)


def test_explicit_weights_round_trip(tmp_path: Path) -> None:
    scenario = explicit_scenario()
    loaded = load_scenario(write(tmp_path, dump_scenario(scenario)))
    assert loaded == scenario
    assert loaded.name == 'explicit "weights" \\ test'
    assert loaded.description == scenario.description
    for a, b in zip(loaded.initial_weights(), scenario.initial_weights(), strict=True):
        assert np.array_equal(a, b)
    assert str(loaded.inputs[0][1]) == "-0.0"


def test_round_trip_detects_a_change(tmp_path: Path) -> None:
    """Equality really compares the weights: a scenario with one weight changed differs."""
    scenario = explicit_scenario()
    w = [list(map(list, m)) for m in scenario.init.weights]
    w[1][0][2] += 1e-12
    changed = scenario.with_changes(
        init=Init(kind="explicit", weights=tuple(tuple(map(tuple, m)) for m in w))
    )
    assert load_scenario(write(tmp_path, dump_scenario(changed))) != scenario


def test_load_example_file(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, XOR_FILE))
    assert scenario == builtin("xor-sigmoid").with_changes(name="my-xor")
    assert scenario.inputs == ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0))


def test_load_explicit_file(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, EXPLICIT_FILE))
    assert scenario.init.kind == "explicit"
    w0, w1 = scenario.initial_weights()
    assert w0.tolist() == [[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]
    assert w1.tolist() == [[1.0, -1.5, 2.0]]


def test_name_defaults_to_file_stem(tmp_path: Path) -> None:
    text = XOR_FILE.replace('name = "my-xor"\n', "")
    assert load_scenario(write(tmp_path, text, "from-stem.toml")).name == "from-stem"


def test_parse_scenario_from_a_dict() -> None:
    data = {
        "layers": [1, 1], "activations": ["identity"], "loss": "half_squared_error",
        "learning_rate": 0.5, "update": "online", "init": {"kind": "constant", "value": 2},
        "data": {"inputs": [[1]], "targets": [[3]]},
    }
    scenario = parse_scenario(data, default_name="tiny")
    assert scenario.name == "tiny"
    assert scenario.init == Init(kind="constant", value=2.0)
    assert [w.tolist() for w in scenario.initial_weights()] == [[[2.0, 2.0]]]
    with pytest.raises(ScenarioError, match="key 'init.value'"):
        parse_scenario({**data, "init": {"kind": "constant"}})


def test_resolve_builtin_and_path(tmp_path: Path) -> None:
    assert resolve_scenario("article") is builtin("article")
    path = write(tmp_path, XOR_FILE)
    assert resolve_scenario(str(path)).name == "my-xor"
    with pytest.raises(ScenarioError) as info:
        resolve_scenario("no-such-lesson")
    message = str(info.value)
    assert "no built-in scenario" in message
    assert "article, article-corrected, xor-sigmoid" in message


# --- errors: each names the key -------------------------------------------------------------


def test_bad_toml_syntax(tmp_path: Path) -> None:
    error = load_error(tmp_path, XOR_FILE.replace("layers = [2, 3, 1]", "layers = [2, 3, 1"))
    assert "not valid TOML" in str(error)
    assert re.search(r"line \d+", str(error))  # the parser's position (wording varies by version)


@pytest.mark.parametrize("key", ["layers", "loss", "init", "data"])
def test_missing_key(tmp_path: Path, key: str) -> None:
    lines = XOR_FILE.splitlines(keepends=True)
    if key in ("init", "data"):
        start = lines.index(f"[{key}]\n")
        end = start + 1
        while end < len(lines) and not lines[end].startswith("["):
            end += 1
        del lines[start:end]
    else:
        lines = [line for line in lines if not line.startswith(f"{key} =")]
    error = load_error(tmp_path, "".join(lines))
    assert error.key == key
    assert f"key '{key}'" in str(error)
    assert "missing" in str(error)


@pytest.mark.parametrize(
    ("old", "new", "key", "where"),
    [
        ('update = "batch"', 'update = "batch"\nmomentum = 0.9', "momentum", ""),
        ("seed = 0", "seed = 0\nscale = 2.0", "init.scale", "in [init]"),
        ("[data]", "[data]\nlabels = [1]", "data.labels", "in [data]"),
    ],
)
def test_unknown_key(tmp_path: Path, old: str, new: str, key: str, where: str) -> None:
    error = load_error(tmp_path, XOR_FILE.replace(old, new))
    assert error.key == key
    assert f"key '{key}'" in str(error)
    assert "unknown key" in str(error)
    if where:
        assert where in str(error)
    else:  # a top-level key is in no table
        assert " in [" not in str(error), str(error)


def test_unknown_key_for_the_init_kind(tmp_path: Path) -> None:
    """value belongs to kind = "constant", not to kind = "random"."""
    error = load_error(tmp_path, XOR_FILE.replace("seed = 0", "seed = 0\nvalue = 1.0"))
    assert "key 'init.value'" in str(error)


def test_wrong_matrix_shape(tmp_path: Path) -> None:
    text = EXPLICIT_FILE.replace("[0.4, 0.5, -0.6]", "[0.4, 0.5]")
    error = load_error(tmp_path, text)
    assert error.key == "init.weights[0]"
    assert "key 'init.weights[0]'" in str(error)
    assert "2 rows" in str(error) and "3 numbers" in str(error)


def test_wrong_number_of_matrix_rows(tmp_path: Path) -> None:
    text = EXPLICIT_FILE.replace("[[1.0, -1.5, 2.0]]", "[[1.0, -1.5, 2.0], [1.0, 1.0, 1.0]]")
    error = load_error(tmp_path, text)
    assert "key 'init.weights[1]'" in str(error)
    assert "1 rows" in str(error)


def test_wrong_number_of_matrices(tmp_path: Path) -> None:
    text = EXPLICIT_FILE.replace("    [[1.0, -1.5, 2.0]],\n", "")
    error = load_error(tmp_path, text)
    assert "key 'init.weights'" in str(error)
    assert "2 matrices" in str(error)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("learning_rate = 1.0", 'learning_rate = "fast"', "learning_rate"),
        ("learning_rate = 1.0", "learning_rate = true", "learning_rate"),
        ("inputs = [[0, 0]", 'inputs = [["0", 0]', "data.inputs[0]"),
        ("targets = [[0], [1]", "targets = [[0], [false]", "data.targets[1]"),
    ],
)
def test_non_numeric_number(tmp_path: Path, old: str, new: str, key: str) -> None:
    error = load_error(tmp_path, XOR_FILE.replace(old, new))
    assert f"key '{key}'" in str(error)
    assert "expected a number" in str(error)


def test_non_numeric_weight(tmp_path: Path) -> None:
    error = load_error(tmp_path, EXPLICIT_FILE.replace("[[1.0, -1.5, 2.0]]", '[[1.0, "x", 2.0]]'))
    assert "key 'init.weights[1][0]'" in str(error)
    assert "expected a number" in str(error)


@pytest.mark.parametrize("bad", ["inf", "-inf", "nan", "+inf"])
@pytest.mark.parametrize(
    ("old", "template", "key"),
    [
        ("learning_rate = 1.0", "learning_rate = {}", "learning_rate"),
        ("inputs = [[0, 0]", "inputs = [[{}, 0]", "data.inputs[0]"),
        ("targets = [[0], [1]", "targets = [[0], [{}]", "data.targets[1]"),
    ],
)
def test_non_finite_number(tmp_path: Path, bad: str, old: str, template: str, key: str) -> None:
    error = load_error(tmp_path, XOR_FILE.replace(old, template.format(bad)))
    assert f"key '{key}'" in str(error)
    assert "finite" in str(error)


def test_non_finite_weight_and_constant(tmp_path: Path) -> None:
    error = load_error(tmp_path, EXPLICIT_FILE.replace("-0.6", "nan"))
    assert "key 'init.weights[0][1]'" in str(error)
    assert "finite" in str(error)
    constant = XOR_FILE.replace('kind = "random"\nseed = 0', 'kind = "constant"\nvalue = inf')
    error = load_error(tmp_path, constant)
    assert "key 'init.value'" in str(error)
    assert "finite" in str(error)


def test_unknown_activation(tmp_path: Path) -> None:
    text = XOR_FILE.replace('["sigmoid", "sigmoid"]', '["sigmoid", "softmax"]')
    error = load_error(tmp_path, text)
    assert "key 'activations'" in str(error)
    assert "'softmax'" in str(error)
    assert "identity, sigmoid, tanh, relu" in str(error)


def test_wrong_number_of_activations(tmp_path: Path) -> None:
    error = load_error(tmp_path, XOR_FILE.replace('["sigmoid", "sigmoid"]', '["sigmoid"]'))
    assert "key 'activations'" in str(error)
    assert "2 names" in str(error)


def test_unknown_loss(tmp_path: Path) -> None:
    error = load_error(tmp_path, XOR_FILE.replace('"cross_entropy"', '"hinge"'))
    assert error.key == "loss"
    assert "key 'loss'" in str(error)
    assert "'hinge'" in str(error)


def test_cross_entropy_target_outside_0_1(tmp_path: Path) -> None:
    error = load_error(tmp_path, XOR_FILE.replace("targets = [[0], [1]", "targets = [[0], [2.0]"))
    assert "key 'data.targets[1]'" in str(error)
    assert "cross_entropy" in str(error)
    assert "[2.0]" in str(error)


def test_cross_entropy_needs_sigmoid_output(tmp_path: Path) -> None:
    error = load_error(tmp_path, XOR_FILE.replace('["sigmoid", "sigmoid"]', '["sigmoid", "tanh"]'))
    assert "key 'activations'" in str(error)
    assert "sigmoid for the output layer" in str(error)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("layers = [2, 3, 1]", "layers = [2, 0, 1]", "layers"),
        ("layers = [2, 3, 1]", 'layers = [2, "3", 1]', "layers"),
        ('update = "batch"', 'update = "minibatch"', "update"),
        ("learning_rate = 1.0", "learning_rate = 0", "learning_rate"),
        ("seed = 0", "seed = -1", "init.seed"),
        ('kind = "random"', 'kind = "zeros"', "init.kind"),
        ("inputs = [[0, 0], [0, 1]", "inputs = [[0, 0, 0], [0, 1]", "data.inputs[0]"),
        ("targets = [[0], [1], [1], [0]]", "targets = [[0], [1], [1]]", "data.targets"),
    ],
)
def test_other_bad_values(tmp_path: Path, old: str, new: str, key: str) -> None:
    text = XOR_FILE.replace(old, new)
    assert text != XOR_FILE
    error = load_error(tmp_path, text)
    assert f"key '{key}'" in str(error)


def test_unreadable_paths(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read the file"):
        load_scenario(tmp_path)  # a directory
    missing = tmp_path / "missing.toml"
    with pytest.raises(ScenarioError, match="cannot read the file") as info:
        load_scenario(missing)
    assert str(info.value).startswith(str(missing))
    with pytest.raises(ScenarioError, match="cannot read the file"):
        resolve_scenario(str(missing))  # ends in .toml: treated as a path, not a name
    with pytest.raises(ScenarioError, match="cannot read the file"):
        resolve_scenario(str(tmp_path))  # exists, but is a directory


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(XOR_FILE.replace("my-xor", "caf\xe9").encode("latin-1"))
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenario(path)


def test_round_trip_name_with_astral_non_printable_character(tmp_path: Path) -> None:
    # A private-use character: allowed in a name, written as an escape (\U000f0001) since it is
    # not printable. A format character such as U+E0001 is refused (test_untrusted_files.py).
    scenario = builtin("article").with_changes(name="tag\U000f0001char")
    text = dump_scenario(scenario)
    assert "tag\\U000f0001char" in text
    assert load_scenario(write(tmp_path, text)) == scenario


def test_an_unknown_key_in_a_table_is_worded_in_either_language_and_stays_so() -> None:
    # The error keeps the table's name, and each language words " in [init]" itself: saying
    # it in Chinese no longer rewrites the error (its English, once rendered again, stayed).
    from engine.scenario_file import tomllib
    from tui.i18n import describe_error, set_language

    data = tomllib.loads(dump_scenario(builtin("xor-sigmoid")))
    data["init"]["bogus"] = 1
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data)
    error = caught.value
    english, params = str(error), dict(error.params)
    assert "in [init]" in english
    try:
        set_language("zh")
        chinese = describe_error(error)
    finally:
        set_language("en")
    assert "[init]" in chinese and "in [init]" not in chinese
    assert error.params == params
    assert describe_error(error) == english == str(error.in_file("lesson.toml")).split(": ", 1)[1]
