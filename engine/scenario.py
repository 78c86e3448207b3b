"""A scenario: everything that defines one lesson, as plain, comparable data.

No NumPy at import: the app checks and shows a scenario before NumPy is loaded (see
:mod:`engine.opening`); the methods that make arrays import it when called.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Literal

from engine.numbers import fmt
from engine.scenario_errors import ScenarioError

if TYPE_CHECKING:
    import numpy as np

Matrix = tuple[tuple[float, ...], ...]
UpdateMode = Literal["online", "batch"]
InitKind = Literal["constant", "random", "explicit"]

ACTIVATION_NAMES = ("identity", "sigmoid", "tanh", "relu")
LOSS_NAMES = ("article_error", "half_squared_error", "cross_entropy")
UPDATE_MODES = ("online", "batch")
INIT_KINDS = ("constant", "random", "explicit")


MAX_WIDTH = 64
MAX_SAMPLES = 4096
#: The longest ``name`` (a label in the header) and ``description`` (a paragraph or two), in
#: characters: far longer text only stalls the front ends (Rich took minutes to wrap 20 MB).
MAX_NAME_CHARS = 80
MAX_DESCRIPTION_CHARS = 4000

#: Categories that must never reach a terminal from a file: controls (escape sequences, C1,
#: DEL), format characters (bidi overrides, zero-width marks, BOM), surrogates, and the line
#: and paragraph separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


@dataclass(frozen=True)
class Init:
    """How the weights start: one ``constant`` value, ``random`` N(0, 1) from a seed, or
    ``explicit`` matrices (one per non-input layer: a row per unit, the bias weight first)."""

    kind: InitKind = "constant"
    value: float = 1.0
    seed: int = 0
    weights: tuple[Matrix, ...] = ()


@dataclass(frozen=True)
class Scenario:
    """One lesson. Tuples, not arrays, so two scenarios compare equal when they are the same."""

    name: str
    layers: tuple[int, ...]
    activations: tuple[str, ...]
    loss: str
    learning_rate: float
    update: UpdateMode
    init: Init
    inputs: Matrix
    targets: Matrix
    description: str = field(default="", compare=False)
    edited_from: Scenario | None = field(default=None, compare=False, repr=False)
    """The lesson as it was opened, when the learner has changed it in the tutor: what the
    screens say was changed (a built-in lesson is compared with itself even without it)."""

    def __post_init__(self) -> None:
        check(self)

    def __hash__(self) -> int:
        """The hash of the fields that compare, made once: answers and places are looked up
        by lesson at every step, and the largest lesson's data is half a million numbers
        (8 ms a hash)."""
        cached: int | None = self.__dict__.get("_hash")
        if cached is None:
            cached = hash(tuple(getattr(self, f.name) for f in fields(self) if f.compare))
            object.__setattr__(self, "_hash", cached)
        return cached

    def __getstate__(self) -> dict[str, object]:
        """Pickled without the cached hash: another process hashes strings differently."""
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}

    @property
    def n_samples(self) -> int:
        """How many training samples there are."""
        return len(self.inputs)

    def input_array(self) -> np.ndarray:
        """The inputs as a float64 array, one row per sample."""
        import numpy as np

        return np.asarray(self.inputs, dtype=np.float64).reshape(self.n_samples, self.layers[0])

    def target_array(self) -> np.ndarray:
        """The targets as a float64 array, one row per sample."""
        import numpy as np

        return np.asarray(self.targets, dtype=np.float64).reshape(self.n_samples, self.layers[-1])

    def weight_shapes(self) -> list[tuple[int, int]]:
        """Shape of each layer's weight matrix: a row per unit, the bias column first."""
        return [(self.layers[i + 1], self.layers[i] + 1) for i in range(len(self.layers) - 1)]

    def initial_weight_values(self) -> tuple[Matrix, ...] | None:
        """The starting weights as plain numbers, or None for ``random`` ones (they come from
        NumPy's generator: see :meth:`initial_weights`)."""
        if self.init.kind == "constant":
            value = float(self.init.value)
            return tuple(
                tuple((value,) * cols for _ in range(rows)) for rows, cols in self.weight_shapes()
            )
        if self.init.kind == "explicit":
            return self.init.weights
        return None

    def initial_weights(self) -> list[np.ndarray]:
        """Fresh float64 weight matrices as :attr:`init` describes them."""
        import numpy as np

        if self.init.kind == "random":
            rng = np.random.default_rng(self.init.seed)
            return [rng.standard_normal(shape) for shape in self.weight_shapes()]
        values = self.initial_weight_values()
        assert values is not None
        return [np.array(matrix, dtype=np.float64) for matrix in values]

    def with_changes(self, **changes: object) -> Scenario:
        """A copy with some fields changed (the app's "change the lesson" uses this)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _all_finite(values: tuple[float, ...]) -> bool:
    """Every value a finite number: in C for a row of floats, value by value otherwise."""
    try:
        return all(map(math.isfinite, values))
    except (OverflowError, TypeError):
        return all(_finite(v) for v in values)


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except (OverflowError, TypeError):  # an integer too big for a float, or not a number
        return False


def unsafe_character(ch: str) -> bool:
    """Whether ``ch`` could act on a terminal, hide or reorder text, or break a line or an SVG
    screenshot: see :data:`_UNSAFE_CATEGORIES`; noncharacters (U+FFFE, …) are not XML."""
    code = ord(ch)
    return (unicodedata.category(ch) in _UNSAFE_CATEGORIES
            or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE)


def _check_text(key: str, value: object, max_chars: int, allowed: str = "") -> None:
    """Text every front end shows as it is (header, transcripts, saved files), so it is
    checked once here, for files and scenarios built in code alike: refused, not cleaned, so
    that what is shown is what the file says."""
    if not isinstance(value, str):
        raise ScenarioError(key, "string", value)
    if len(value) > max_chars:
        raise ScenarioError(key, "text_length", max_chars=max_chars, length=len(value))
    if value.isprintable():  # the usual case, checked at C speed
        return
    for position, ch in enumerate(value, start=1):
        if ch not in allowed and unsafe_character(ch):
            code = "plain_text_lines" if allowed else "plain_text"
            raise ScenarioError(key, code, ch, position=position)


def check(s: Scenario) -> None:
    """Raise :class:`ScenarioError` for the first thing that makes ``s`` unusable."""
    from engine.names import MAX_HIDDEN_LAYERS

    _check_text("name", s.name, MAX_NAME_CHARS)
    _check_text("description", s.description, MAX_DESCRIPTION_CHARS, allowed="\n\t")
    if not (2 <= len(s.layers) <= MAX_HIDDEN_LAYERS + 2) or any(
        not (1 <= n <= MAX_WIDTH) for n in s.layers
    ):
        raise ScenarioError("layers", "layers_shape", list(s.layers), min_layers=2,
                            max_layers=MAX_HIDDEN_LAYERS + 2, max_width=MAX_WIDTH)
    if len(s.activations) != len(s.layers) - 1:
        raise ScenarioError("activations", "activations_count", list(s.activations),
                            count=len(s.layers) - 1)
    for name in s.activations:
        if name not in ACTIVATION_NAMES:
            raise ScenarioError("activations", "activation_name", name,
                                names=", ".join(ACTIVATION_NAMES))
    if s.loss not in LOSS_NAMES:
        raise ScenarioError("loss", "loss_name", s.loss, names=", ".join(LOSS_NAMES))
    if s.loss == "cross_entropy" and s.activations[-1] != "sigmoid":
        raise ScenarioError("activations", "cross_entropy_output", s.activations[-1])
    if not (_finite(s.learning_rate) and s.learning_rate > 0):
        raise ScenarioError("learning_rate", "positive_number", s.learning_rate)
    if s.update not in UPDATE_MODES:
        raise ScenarioError("update", "update_mode", s.update)
    _check_init(s)
    _check_data(s)


def _check_init(s: Scenario) -> None:
    init = s.init
    if init.kind not in INIT_KINDS:
        raise ScenarioError("init.kind", "init_kind", init.kind, names=", ".join(INIT_KINDS))
    if init.kind == "constant" and not _finite(init.value):
        raise ScenarioError("init.value", "finite_number", init.value)
    if init.kind == "random" and not (0 <= init.seed < 2**63):
        raise ScenarioError("init.seed", "seed_range", init.seed)
    if init.kind == "explicit":
        shapes = s.weight_shapes()
        if len(init.weights) != len(shapes):
            raise ScenarioError("init.weights", "matrix_count", len(init.weights),
                                count=len(shapes))
        for layer, (matrix, (rows, cols)) in enumerate(zip(init.weights, shapes), start=1):
            if len(matrix) != rows or any(len(row) != cols for row in matrix):
                raise ScenarioError(f"init.weights[{layer - 1}]", "matrix_shape",
                                    [len(row) for row in matrix], rows=rows, cols=cols,
                                    layer=layer, previous=layer - 1)
            if not all(_finite(v) for row in matrix for v in row):
                raise ScenarioError(f"init.weights[{layer - 1}]", "finite_numbers")


def _check_data(s: Scenario) -> None:
    m = len(s.inputs)
    if not (1 <= m <= MAX_SAMPLES):
        raise ScenarioError("data.inputs", "sample_count", m, max_samples=MAX_SAMPLES)
    if len(s.targets) != m:
        raise ScenarioError("data.targets", "target_count", len(s.targets), count=m)
    for key, rows, width in (("data.inputs", s.inputs, s.layers[0]),
                             ("data.targets", s.targets, s.layers[-1])):
        for i, row in enumerate(rows):
            if len(row) != width:
                raise ScenarioError(f"{key}[{i}]", "row_width", list(row), width=width)
            if not _all_finite(row):
                raise ScenarioError(f"{key}[{i}]", "finite_numbers", list(row))
    if s.loss == "cross_entropy":
        for i, row in enumerate(s.targets):
            if not all(0.0 <= v <= 1.0 for v in row):
                raise ScenarioError(f"data.targets[{i}]", "probability_targets", list(row))


def changes(base: Scenario, changed: Scenario) -> list[tuple[str, str]]:
    """What ``changed`` does differently from ``base``, as (field, new value) pairs, for the
    header's "changed from the built-in lesson" note."""
    out: list[tuple[str, str]] = []
    if changed.learning_rate != base.learning_rate:
        out.append(("learning_rate", fmt(changed.learning_rate)))
    if changed.activations != base.activations:
        out.append(("activations", "/".join(changed.activations)))
    if changed.loss != base.loss:
        out.append(("loss", changed.loss))
    if changed.update != base.update:
        out.append(("update", changed.update))
    if changed.init != base.init:
        init = changed.init
        value = {"constant": f"= {fmt(init.value)}", "random": f"seed {init.seed}"}.get(
            init.kind, init.kind
        )
        out.append(("init", value))
    if changed.layers != base.layers:
        out.append(("layers", "-".join(str(n) for n in changed.layers)))
    if (changed.inputs, changed.targets) != (base.inputs, base.targets):
        out.append(("data", str(changed.n_samples)))
    return out
