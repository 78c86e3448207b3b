"""Scenario files: a small, documented TOML format, read strictly and written back exactly.

A file looks like this (bias units are not counted in ``layers``)::

    name = "my-xor"
    layers = [2, 3, 1]
    activations = ["sigmoid", "sigmoid"]   # one per non-input layer
    loss = "cross_entropy"                 # article_error | half_squared_error | cross_entropy
    learning_rate = 1.0
    update = "batch"                       # online | batch

    [init]
    kind = "random"                        # constant (with value) | random (with seed) | explicit
    seed = 0

    [data]
    inputs = [[0, 0], [0, 1], [1, 0], [1, 1]]
    targets = [[0], [1], [1], [0]]

With ``kind = "explicit"``, ``weights`` holds one matrix per non-input layer: a row per unit of
that layer, the first column the bias unit's weight, then one column per unit of the layer before.
"""

from __future__ import annotations

import math
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from engine.builtin_lessons import BUILTIN_SCENARIOS
from engine.scenario import MAX_NAME_CHARS, Init, Matrix, Scenario, unsafe_character
from engine.scenario_errors import ScenarioError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

TOP_KEYS = {"name", "description", "layers", "activations", "loss", "learning_rate", "update",
            "init", "data"}
REQUIRED_TOP = ("layers", "activations", "loss", "learning_rate", "update", "init", "data")
INIT_KEYS = {"constant": {"kind", "value"}, "random": {"kind", "seed"},
             "explicit": {"kind", "weights"}}
DATA_KEYS = {"inputs", "targets"}
#: The most a scenario file may hold: the largest lesson (11 layers of 64 units, 4096 samples,
#: every number at full length) is under 15 MB. Reading stops there, so /dev/zero cannot
#: fill the memory.
MAX_FILE_BYTES = 16 * 1024 * 1024


_PLAIN_NUMBERS = {int, float}


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(key: str, value: object, *, positive: bool = False) -> float:
    if not _is_number(value):
        raise ScenarioError(key, "number", value)
    try:
        number = float(value)  # type: ignore[arg-type]
    except OverflowError:  # an integer with hundreds of digits
        raise ScenarioError(key, "finite_number", value) from None
    if not math.isfinite(number):
        raise ScenarioError(key, "finite_number", value)
    if positive and number <= 0:
        raise ScenarioError(key, "positive_number", value)
    return number


def _string(key: str, value: object) -> str:
    if not isinstance(value, str):
        raise ScenarioError(key, "string", value)
    return value


def _matrix(key: str, value: object) -> Matrix:
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise ScenarioError(key, "matrix_type", value)
    rows: list[tuple[float, ...]] = []
    for i, row in enumerate(value):
        # The usual row, plain finite numbers, checked and converted in C (the largest lesson
        # has half a million); any other goes value by value, for the exact message.
        if set(map(type, row)) <= _PLAIN_NUMBERS:
            try:
                numbers = tuple(map(float, row))
            except OverflowError:  # an integer with hundreds of digits
                numbers = ()
            if len(numbers) == len(row) and all(map(math.isfinite, numbers)):
                rows.append(numbers)
                continue
        rows.append(tuple(_number(f"{key}[{i}]", v) for v in row))
    return tuple(rows)


def _unknown(keys: object, allowed: set[str], where: str) -> None:
    extra = sorted(set(keys) - allowed)  # type: ignore[arg-type]
    if extra:
        prefix = f"{where}." if where else ""
        raise ScenarioError(f"{prefix}{extra[0]}", "unknown_key",
                            names=", ".join(sorted(allowed)), table=where)


def parse_scenario(data: dict[str, Any], default_name: str = "scenario") -> Scenario:
    """Build a scenario from parsed TOML, checking every key; :class:`ScenarioError` if wrong."""
    _unknown(data.keys(), TOP_KEYS, "")
    for key in REQUIRED_TOP:
        if key not in data:
            raise ScenarioError(key, "missing_key")
    name = _string("name", data.get("name", default_name))
    description = _string("description", data.get("description", ""))
    layers_raw = data["layers"]
    if not isinstance(layers_raw, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) for n in layers_raw
    ):
        raise ScenarioError("layers", "layers_type", layers_raw)
    activations_raw = data["activations"]
    if not isinstance(activations_raw, list) or not all(
        isinstance(a, str) for a in activations_raw
    ):
        raise ScenarioError("activations", "activations_type", activations_raw)
    init_raw = data["init"]
    if not isinstance(init_raw, dict):
        raise ScenarioError("init", "init_table", init_raw)
    if "kind" not in init_raw:
        raise ScenarioError("init.kind", "missing_key")
    kind = _string("init.kind", init_raw["kind"])
    if kind not in INIT_KEYS:
        raise ScenarioError("init.kind", "init_kind", kind, names=", ".join(INIT_KEYS))
    _unknown(init_raw.keys(), INIT_KEYS[kind], "init")
    for key in INIT_KEYS[kind] - {"kind"}:
        if key not in init_raw:
            raise ScenarioError(f"init.{key}", "missing_for_kind", kind=kind)
    if kind == "constant":
        init = Init(kind="constant", value=_number("init.value", init_raw["value"]))
    elif kind == "random":
        seed = init_raw["seed"]
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            raise ScenarioError("init.seed", "seed_type", seed)
        init = Init(kind="random", seed=seed)
    else:
        weights = init_raw["weights"]
        if not isinstance(weights, list):
            raise ScenarioError("init.weights", "matrices_type", weights)
        init = Init(kind="explicit",
                    weights=tuple(_matrix(f"init.weights[{i}]", w) for i, w in enumerate(weights)))
    data_raw = data["data"]
    if not isinstance(data_raw, dict):
        raise ScenarioError("data", "data_table", data_raw)
    _unknown(data_raw.keys(), DATA_KEYS, "data")
    for key in ("inputs", "targets"):
        if key not in data_raw:
            raise ScenarioError(f"data.{key}", "missing_key")
    return Scenario(
        name=name,
        description=description,
        layers=tuple(layers_raw),
        activations=tuple(activations_raw),
        loss=_string("loss", data["loss"]),
        learning_rate=_number("learning_rate", data["learning_rate"], positive=True),
        update=_string("update", data["update"]),  # type: ignore[arg-type]
        init=init,
        inputs=_matrix("data.inputs", data_raw["inputs"]),
        targets=_matrix("data.targets", data_raw["targets"]),
    )


def _read_file(path: str | Path) -> bytes:
    """A regular file's bytes, at most :data:`MAX_FILE_BYTES` (plus one, to tell it is more).

    Opened without waiting (O_NONBLOCK: a FIFO with no writer would block the CLI and the
    app's event loop) and checked after opening (fstat of that descriptor, so nothing can be
    swapped in between): devices, pipes and directories are refused before any read.
    """
    flags = os.O_RDONLY
    for name in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC", "O_BINARY"):
        flags |= getattr(os, name, 0)
    try:
        fd = os.open(path, flags)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ScenarioError.file_problem(str(path), "not_regular")
            with open(fd, "rb", closefd=False) as file:
                raw = file.read(MAX_FILE_BYTES + 1)
        finally:
            os.close(fd)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ScenarioError.file_problem(str(path), "unreadable", reason=reason) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError.file_problem(str(path), "too_large",
                                         max_mb=MAX_FILE_BYTES // (1024 * 1024))
    return raw


def _name_from_stem(stem: str) -> str:
    """The name of a file without one: its file name, which may be anything the file system
    allows, kept to what a name may hold (see :func:`engine.scenario.check`)."""
    name = "".join(ch for ch in stem if not unsafe_character(ch))[:MAX_NAME_CHARS].strip()
    return name or "scenario"


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file; any problem is a :class:`ScenarioError` with one clear message."""
    raw = _read_file(path)
    try:
        text = raw.decode("utf-8-sig")  # a leading byte order mark, as some editors write
    except UnicodeDecodeError:
        raise ScenarioError.file_problem(str(path), "not_utf8") from None
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as error:
        # ValueError: an integer too long to convert; RecursionError: arrays nested too deep.
        reason = str(error) or type(error).__name__
        raise ScenarioError.file_problem(str(path), "not_toml", reason=reason) from None
    try:
        return parse_scenario(data, default_name=_name_from_stem(Path(path).stem))
    except ScenarioError as error:
        raise error.in_file(str(path)) from None


def resolve_scenario(name_or_path: str) -> Scenario:
    """A built-in scenario by name, else a scenario file by path."""
    if name_or_path in BUILTIN_SCENARIOS:
        return BUILTIN_SCENARIOS[name_or_path]
    if not name_or_path.endswith(".toml") and not Path(name_or_path).exists():
        raise ScenarioError.file_problem(name_or_path, "unknown_name",
                                         names=", ".join(BUILTIN_SCENARIOS))
    return load_scenario(name_or_path)


def _toml_number(value: float) -> str:
    """A float TOML reads back to the same float (repr round-trips)."""
    text = repr(float(value))
    return text


def _toml_escape(ch: str) -> str:
    """TOML's escape for one character: \\uXXXX, or \\UXXXXXXXX beyond the 16-bit range."""
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _toml_string(value: str) -> str:
    escaped = (value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
               .replace("\t", "\\t").replace("\r", "\\r"))
    escaped = "".join(ch if ch.isprintable() else _toml_escape(ch) for ch in escaped)
    return f"\"{escaped}\""


def _toml_matrix(matrix: Matrix) -> str:
    return "[" + ", ".join("[" + ", ".join(_toml_number(v) for v in row) + "]"
                           for row in matrix) + "]"


def _toml_comment(line: str) -> str:
    """One line of text as a TOML comment: characters a comment may not hold (controls, line
    breaks) written as escapes."""
    return "# " + "".join(ch if ch.isprintable() else _toml_escape(ch) for ch in line)


def dump_scenario(s: Scenario, init_comment: Sequence[str] = ()) -> str:
    """The scenario as a TOML document that :func:`load_scenario` reads back to an equal one;
    ``init_comment``'s lines, if any, are written as comments under ``[init]`` (where the
    weights came from)."""
    lines = [
        f"name = {_toml_string(s.name)}",
    ]
    if s.description:
        lines.append(f"description = {_toml_string(s.description)}")
    lines += [
        f"layers = [{', '.join(str(n) for n in s.layers)}]",
        f"activations = [{', '.join(_toml_string(a) for a in s.activations)}]",
        f"loss = {_toml_string(s.loss)}",
        f"learning_rate = {_toml_number(s.learning_rate)}",
        f"update = {_toml_string(s.update)}",
        "",
        "[init]",
        *(_toml_comment(line) for line in init_comment),
        f"kind = {_toml_string(s.init.kind)}",
    ]
    if s.init.kind == "constant":
        lines.append(f"value = {_toml_number(s.init.value)}")
    elif s.init.kind == "random":
        lines.append(f"seed = {s.init.seed}")
    else:
        lines.append("weights = [")
        lines += [f"    {_toml_matrix(m)}," for m in s.init.weights]
        lines.append("]")
    lines += [
        "",
        "[data]",
        f"inputs = {_toml_matrix(s.inputs)}",
        f"targets = {_toml_matrix(s.targets)}",
        "",
    ]
    return "\n".join(lines)
