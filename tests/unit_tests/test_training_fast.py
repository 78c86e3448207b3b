"""engine.train against the walkthrough: the same numbers, bit for bit.

train() and walk() run the same code, :class:`engine.network.Network`, but train() runs it its
own way: one Network for every pass, its weights updated in place; hidden layers whose f′
does not read z overwriting it; no f′ for a cross-entropy output; online inputs read from rows
of one array; each pass's outputs left in buffers whose losses are computed many epochs at a
time. None of that may change a number, so everything is compared with exact equality:

* weights: ``np.array_equal`` after every epoch count tried (``equal_nan`` for the overflow
  cases). The only operations train() leaves out are exact identities in IEEE arithmetic
  (``1.0 * g`` for α = 1) and the output f′ that cross-entropy never reads;
* losses: a batch epoch's loss equals ``walk(...).loss`` bit for bit; an online epoch's loss
  equals ``np.mean`` of its m walks' losses bit for bit, because train() reduces each epoch's m
  per-sample losses with the same ``np.add.reduce`` along a contiguous row, then divides by m,
  which is what ``np.mean`` does.

Network runs :mod:`engine.activations`' functions in place, each given an ``out`` array; that
this gives bit for bit what they return without one is checked here too.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

import engine.training as training
from engine import Init, Scenario, builtin, train, walk
from engine.activations import ACTIVATIONS, activation
from engine.losses import LOSS_NAMES
from engine.losses import loss as get_loss
from engine.network import Network, run_pass


def make_scenario(
    layers: tuple[int, ...],
    hidden: str,
    output: str,
    loss: str,
    update: str,
    *,
    samples: int,
    seed: int,
    learning_rate: float = 0.5,
    scale: float = 1.0,
) -> Scenario:
    """A random network and data set; cross-entropy gets targets in [0, 1]."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=(samples, layers[0]))
    if loss == "cross_entropy":
        y = rng.uniform(0.0, 1.0, size=(samples, layers[-1]))
        y[::2] = np.round(y[::2])  # some exact 0/1 targets too
    else:
        y = rng.uniform(-1.5, 1.5, size=(samples, layers[-1]))
    shapes = [(layers[i + 1], layers[i] + 1) for i in range(len(layers) - 1)]
    weights = tuple(
        tuple(tuple(float(v) for v in row) for row in scale * rng.standard_normal(shape))
        for shape in shapes
    )
    return Scenario(
        name=f"fast-{seed}",
        layers=layers,
        activations=(hidden,) * (len(layers) - 2) + (output,),
        loss=loss,
        learning_rate=learning_rate,
        update=update,  # type: ignore[arg-type]
        init=Init(kind="explicit", weights=weights),
        inputs=tuple(tuple(float(v) for v in row) for row in x),
        targets=tuple(tuple(float(v) for v in row) for row in y),
    )


def walk_epochs(s: Scenario, epochs: int) -> tuple[list[np.ndarray], list[float]]:
    """The weights after ``epochs`` epochs of consecutive walks, and each epoch's loss."""
    per_epoch = 1 if s.update == "batch" else s.n_samples
    weights = s.initial_weights()
    losses: list[float] = []
    epoch_losses: list[float] = []
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        # walk() may warn on overflow (its per-step gradient means); only train() must not.
        warnings.simplefilter("ignore")
        for i in range(epochs * per_epoch):
            w = walk(s, weights, iteration=i)
            weights = list(w.weights_after)
            epoch_losses.append(w.loss)
            if len(epoch_losses) == per_epoch:
                losses.append(float(np.mean(epoch_losses)))
                epoch_losses = []
    return weights, losses


def assert_same(s: Scenario, epochs: int, equal_nan: bool = False) -> None:
    weights, losses = walk_epochs(s, epochs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = train(s, epochs)
    assert result.epochs == epochs
    assert equal_nan or result.finite  # real numbers compared, not nan == nan by accident
    for got, want in zip(result.weights, weights, strict=True):
        assert got.shape == want.shape
        assert np.array_equal(got, want, equal_nan=equal_nan), (got, want)
    assert np.array_equal(result.losses, np.array(losses), equal_nan=equal_nan)


# Every (hidden, output) activation pair with every loss it is allowed with, in both modes.
CASES = [
    (hidden, output, loss, update)
    for hidden, output in itertools.product(ACTIVATIONS, ACTIVATIONS)
    for loss in LOSS_NAMES
    if loss != "cross_entropy" or output == "sigmoid"
    for update in ("batch", "online")
]


@pytest.mark.parametrize(("hidden", "output", "loss", "update"), CASES)
def test_train_equals_repeated_walks(hidden: str, output: str, loss: str, update: str) -> None:
    seed = CASES.index((hidden, output, loss, update))
    # Learning rates small enough that nothing overflows in 3 epochs (the article's signed
    # error climbs instead of descending; unbounded outputs can run away too).
    lr = {"article_error": 0.01, "half_squared_error": 0.03, "cross_entropy": 0.5}[loss]
    for layers, samples in (((2, 3, 1), 4), ((3, 4, 2), 5), ((2, 5, 3, 2), 3)):
        s = make_scenario(layers, hidden, output, loss, update, samples=samples, seed=seed,
                          learning_rate=lr)
        assert_same(s, 3)


@pytest.mark.parametrize("update", ["batch", "online"])
@pytest.mark.parametrize(
    ("layers", "samples", "lr"),
    [
        ((2, 3, 1), 1, 1.0),  # one sample: batch and online coincide
        ((2, 3, 1), 9, 1.0),  # α = 1: the multiplication by α is skipped
        ((1, 1), 6, 0.3),  # no hidden layer
        ((2, 6, 5, 4, 3), 7, 0.7),  # several hidden layers and outputs
        # The widest layer; m > 128 makes NumPy's pairwise summation of the epoch loss split
        # into blocks. walk() writes a text per step, so this one runs 2 epochs only.
        ((4, 64, 2), 130, 0.25),
    ],
)
def test_shapes_and_learning_rates(
    update: str, layers: tuple[int, ...], samples: int, lr: float
) -> None:
    epochs = 2 if samples > 100 else 4
    if update == "online" and samples > 100:
        layers = (4, 8, 2)  # 130 walks an epoch: a narrower network keeps the test quick
    for hidden, output, loss, scale in (
        ("sigmoid", "sigmoid", "cross_entropy", 1.0),
        ("tanh", "identity", "half_squared_error", 0.1),
        ("relu", "sigmoid", "half_squared_error", 1.0),
    ):
        s = make_scenario(layers, hidden, output, loss, update, samples=samples, seed=samples,
                          learning_rate=lr * scale)
        assert_same(s, epochs)


def test_builtins_equal_walks() -> None:
    for name in ("article", "article-corrected", "xor-sigmoid"):
        s = builtin(name)
        assert_same(s, 1)
        assert_same(s.with_changes(update="online" if s.update == "batch" else "batch"), 3)


@pytest.mark.parametrize("update", ["batch", "online"])
@pytest.mark.parametrize(("hidden", "output", "loss", "finite"), [
    ("sigmoid", "sigmoid", "cross_entropy", True),  # e^-z overflows to inf: σ = 0 exactly
    ("tanh", "sigmoid", "half_squared_error", True),  # saturated units, f′ = 0
    ("identity", "identity", "article_error", False),  # inf, then inf − inf = nan
    ("relu", "identity", "half_squared_error", False),
])
def test_overflow_gives_the_same_numbers_without_warnings(
    update: str, hidden: str, output: str, loss: str, finite: bool
) -> None:
    """Huge weights and learning rate: exp overflows, sums reach inf, then nan. No exception,
    no warning (assert_same turns warnings into errors), and still exactly walk()'s numbers,
    nan where walk has nan."""
    s = make_scenario((2, 4, 2), hidden, output, loss, update, samples=4, seed=7,
                      learning_rate=1e300, scale=1e3)
    assert train(s, 6).finite is finite
    assert_same(s, 6, equal_nan=True)


def test_loss_buffer_flushes_do_not_change_anything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Losses are computed for many epochs at once; a buffer of a few epochs gives the same."""
    for update in ("batch", "online"):
        s = make_scenario((2, 3, 2), "tanh", "sigmoid", "cross_entropy", update, samples=3,
                          seed=11)
        full = train(s, 50)
        monkeypatch.setattr(training, "_LOSS_BUFFER_VALUES", 13)  # 2 epochs of 3 × 2 values
        small = train(s, 50)
        monkeypatch.undo()
        assert np.array_equal(full.losses, small.losses)
        for a, b in zip(full.weights, small.weights, strict=True):
            assert np.array_equal(a, b)


#: Where e^-z overflows (z = -1000), the activations saturate, or z is not a number at all.
SPECIAL_Z = (-np.inf, -1000.0, -710.0, -1.0, -0.0, 0.0, 1e-300, 1.0, 710.0, 1000.0, np.inf, np.nan)


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal bit for bit: same dtype and shape, 0.0 and -0.0 told apart, nan equal to nan."""
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("name", list(ACTIVATIONS))
@pytest.mark.parametrize("shape", [(1, 12), (12, 1), (4, 3), (100, 64)])
def test_in_place_and_allocating_activations_agree(name: str, shape: tuple[int, int]) -> None:
    """f(z, out) and f′(z, a, out), as Network runs them, write into ``out`` exactly what f(z)
    and f′(z, a) return, overflow, ±inf and nan included, with no warning under the
    np.errstate(all="ignore") every caller runs them in; and z is only read."""
    act = activation(name)
    rng = np.random.default_rng(shape[0])
    z = 30.0 * rng.standard_normal(shape)
    z.flat[:len(SPECIAL_Z)] = SPECIAL_Z
    kept = z.copy()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("error")
        a = act.function(z)
        fprime = act.derivative(z, a)
        a_out, fprime_out = np.full(shape, 7.0), np.full(shape, 7.0)
        assert act.function(z, a_out) is a_out
        assert act.derivative(z, a_out, fprime_out) is fprime_out
        if not act.derivative_reads_z:
            # What Network does when it does not keep z: f′ written over z, which it ignores.
            z_over = np.full(shape, np.nan)
            assert same_bits(act.derivative(z_over, a, z_over), fprime)
    assert same_bits(a_out, a) and same_bits(fprime_out, fprime)
    assert same_bits(z, kept)
    assert not any(np.shares_memory(x, y) for x, y in ((a, z), (fprime, z), (fprime, a)))
    if name == "sigmoid":  # e^1000 overflows to inf: σ(−1000) = 1/(1 + inf) = 0 exactly
        assert a.flat[1] == 0.0 and a.flat[9] == 1.0 and np.isnan(a.flat[11])


def test_each_pass_has_arrays_of_its_own() -> None:
    """A walkthrough keeps its pass's arrays: a later pass must not write into them."""
    s = make_scenario((2, 4, 3, 1), "sigmoid", "sigmoid", "cross_entropy", "batch", samples=5,
                      seed=5)
    acts = [activation(name) for name in s.activations]
    loss = get_loss(s.loss)
    first = run_pass(s.initial_weights(), acts, loss, s.input_array(), s.target_array())
    kept = [np.array(a, copy=True) for a in first.z + first.a + first.fprime + first.deltas]
    second = run_pass(s.initial_weights(), acts, loss, -s.input_array(), s.target_array())
    arrays = first.z + first.a + first.fprime + first.deltas
    assert all(np.array_equal(np.asarray(a), k) for a, k in zip(arrays, kept, strict=True))
    mine = arrays + first.augmented
    theirs = second.z + second.a + second.fprime + second.deltas + second.augmented
    assert not any(np.shares_memory(a, b) for a in mine for b in theirs)


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "identity"])
def test_a_walkthroughs_f_prime_made_row_by_row_is_the_one_the_pass_used(hidden: str) -> None:
    """run_pass keeps no f′ array for hidden layers (a compact network shares one); each row
    made again from z and a must hold the very bits the backward pass multiplied by."""
    s = make_scenario((3, 5, 4, 2), hidden, "sigmoid", "half_squared_error", "batch",
                      samples=7, seed=3)
    acts = [activation(name) for name in s.activations]
    loss = get_loss(s.loss)
    x, y = s.input_array(), s.target_array()
    kept = run_pass(s.initial_weights(), acts, loss, x, y)
    full = Network(s.initial_weights(), acts, x.shape[0])  # every array of its own
    full.inputs[:, 1:] = x
    full.forward()
    full.backward(loss, y)
    for layer, made in zip(full.layers, kept.fprime, strict=True):
        for row in range(x.shape[0]):
            assert np.array_equal(made[row], layer.fprime[row])
            assert made[row, 1] == layer.fprime[row, 1]
    for layer, delta in zip(full.layers, kept.deltas, strict=True):
        assert np.array_equal(layer.delta, delta)  # bit for bit: the same operations


def test_inputs_of_the_wrong_width_are_refused() -> None:
    s = builtin("xor-sigmoid")
    acts = [activation(name) for name in s.activations]
    with pytest.raises(ValueError):
        run_pass(s.initial_weights(), acts, get_loss(s.loss), s.input_array()[:, :1],
                 s.target_array())


# --- progress ---------------------------------------------------------------------------------


@pytest.mark.parametrize("update", ["batch", "online"])
def test_progress_is_called_every_report_every_epochs(update: str) -> None:
    s = builtin("xor-sigmoid").with_changes(update=update)
    plain = train(s, 95)
    calls: list[tuple[int, float]] = []
    result = train(s, 95, progress=lambda done, loss: calls.append((done, loss)),
                   report_every=10)
    assert [done for done, _ in calls] == list(range(10, 91, 10))
    assert all(loss == result.losses[done - 1] for done, loss in calls)
    assert all(isinstance(loss, float) for _, loss in calls)
    assert not result.stopped
    # Reporting changes nothing about the numbers.
    assert np.array_equal(result.losses, plain.losses)
    for a, b in zip(result.weights, plain.weights, strict=True):
        assert np.array_equal(a, b)


def test_progress_false_stops_at_that_report() -> None:
    s = builtin("article-corrected")
    seen: list[int] = []

    def progress(done: int, loss: float) -> bool:
        seen.append(done)
        return done < 21

    result = train(s, 100, progress=progress, report_every=7)
    assert seen == [7, 14, 21]
    assert result.stopped and result.epochs == 21
    same = train(s, 21)
    assert np.array_equal(result.losses, same.losses)
    for a, b in zip(result.weights, same.weights, strict=True):
        assert np.array_equal(a, b)
    np.testing.assert_array_equal(result.predictions, same.predictions)


def test_progress_edge_cases() -> None:
    s = builtin("xor-sigmoid")
    never: list[int] = []
    result = train(s, 5, progress=lambda done, loss: never.append(done), report_every=100)
    assert never == [] and result.epochs == 5 and not result.stopped
    every: list[int] = []
    result = train(s, 3, progress=lambda done, loss: every.append(done) or True, report_every=1)
    assert every == [1, 2, 3] and not result.stopped
    # False at the last report: every epoch ran, nothing was stopped.
    result = train(s, 4, progress=lambda done, loss: False, report_every=4)
    assert result.epochs == 4 and not result.stopped
    with pytest.raises(ValueError):
        train(s, 3, progress=lambda done, loss: None, report_every=0)
    # Without a callback report_every is not used.
    assert train(s, 3, report_every=0).epochs == 3


# --- the caller's weights ---------------------------------------------------------------------


@pytest.mark.parametrize("update", ["batch", "online"])
def test_the_given_weights_are_left_alone(update: str) -> None:
    s = make_scenario((2, 4, 3, 1), "relu", "sigmoid", "cross_entropy", update, samples=5,
                      seed=3)
    weights = s.initial_weights()
    copies = [w.copy() for w in weights]
    result = train(s, 7, weights)
    # Column-major or strided weights give the same run as C-ordered ones.
    fortran = train(s, 7, [np.asfortranarray(w) for w in weights])
    strided = train(s, 7, [np.repeat(w, 2, axis=1)[:, ::2] for w in weights])
    for w, c, r in zip(weights, copies, result.weights, strict=True):
        assert np.array_equal(w, c)
        assert r is not w and not np.shares_memory(r, w)
        assert not np.array_equal(r, c)
    for other in (fortran, strided):
        for r, o in zip(result.weights, other.weights, strict=True):
            assert np.array_equal(r, o)
    # Continuing from a result's weights is the same as training longer in one go.
    more = train(s, 5, result.weights)
    longer = train(s, 12)
    for a, b in zip(more.weights, longer.weights, strict=True):
        assert np.array_equal(a, b)
    assert np.array_equal(np.concatenate([result.losses, more.losses]), longer.losses)
