"""The training view: run many epochs in the background and watch the network learn, or fail to.

One iteration shows the mechanics; hundreds show whether they work. The screen runs
:func:`engine.train` in a thread worker, a slice of the run at a time, and after each slice
posts the losses so far, the weights and the predictions; the loss chart, the predictions table
and the decision map redraw from them. ``p`` pauses (the worker waits on an event), ``x`` stops
and keeps the weights reached. Escape hands the weights back so stepping can pick up from them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from rich.console import Console, ConsoleOptions, RenderResult
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.renderables.bar import Bar as BarRenderable
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from engine.names import unit_names
from engine.numbers import fmt
from engine.scenario import Scenario
from engine.training import predict, train
from tui.glyphs import glyphs, shown
from tui.i18n import t
from tui.textual_compat import relabel
from tui.widgets.decision_map import DecisionMap
from tui.widgets.key_footer import KeyFooter
from tui.widgets.loss_chart import LossChart

#: What +/- step through: a glance, a short run, the default, a long run, a very long one.
EPOCH_CHOICES = (10, 100, 1000, 5000, 20000)
DEFAULT_EPOCHS = 1000
#: Progress messages per run: every 1 % is smooth enough and costs nothing next to training.
REPORTS_PER_RUN = 100
#: Weights or outputs beyond this are called diverging, before they overflow to inf and nan.
HUGE = 1e6
#: Pause and stop are looked at this many times per report, i.e. every 0.1 % of a run.
CHECKS_PER_REPORT = 10
#: The worker sleeps BREATHER seconds after every WORK_SLICE seconds of training (see _train).
WORK_SLICE = 0.02
BREATHER = 0.003

State = Literal["ready", "running", "paused", "stopping", "stopped", "done"]
#: States in which a worker is alive: the run's keys work, the others are greyed out.
ACTIVE: frozenset[str] = frozenset({"running", "paused", "stopping"})


@dataclass(frozen=True)
class TrainedWeights:
    """What the training view returns: where the network ended up and how far it got there."""

    weights: list[np.ndarray]
    """The weights reached (the starting weights if no epoch ran)."""
    epochs: int
    """Epochs run while the view was open, over every run (0: the weights are unchanged)."""
    finite: bool
    """False when a weight overflowed to inf or nan."""


@dataclass
class TrainingProgress(Message):
    """A slice of a run is done: everything the view draws, as of then.

    Each message carries the whole run so far, so when the interface falls behind the older
    ones can be dropped (:meth:`can_replace`); the last one of a run is never dropped.
    """

    done: int
    """Epochs done in this run."""
    epochs: int
    """Epochs asked for in this run."""
    losses: np.ndarray
    """The loss of every epoch of this run so far."""
    weights: list[np.ndarray]
    predictions: np.ndarray
    final: bool = False
    """True for the run's last message: the worker has finished."""
    solved_at: int | None = None
    """The epoch of this run (counted from 0) where every sample was first on its target's
    side of 0.5 (:attr:`engine.training.TrainingResult.solved_at`); None: not yet."""

    def can_replace(self, message: Message) -> bool:
        """A later report of the same run supersedes this one, unless this one is the last."""
        return not self.final and isinstance(message, TrainingProgress)


def all_finite(arrays: Sequence[np.ndarray]) -> bool:
    """True when no number in any of the arrays is inf or nan."""
    return all(bool(np.isfinite(a).all()) for a in arrays)


def largest(arrays: Sequence[np.ndarray]) -> float:
    """The largest magnitude among the finite numbers of the arrays (0 if there are none)."""
    sizes = [np.abs(a[np.isfinite(a)]).max(initial=0.0) for a in arrays]
    return float(max(sizes, default=0.0))


def predictions_table(scenario: Scenario, predictions: np.ndarray) -> Table:
    """One row per training sample: its input, its target and the network's output now.

    Outputs on the target's side of 0.5 are green; overflowed ones bold red. The colour only
    repeats what the numbers say.
    """
    g = shown
    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold",
                  padding=(0, 2, 0, 0))
    table.add_column(t("train.table.input"))
    table.add_column(t("train.table.target"), justify="right")
    table.add_column(t("train.table.prediction"), justify="right")
    for x, y, p in zip(scenario.input_array(), scenario.target_array(), predictions):
        style = ""
        if not np.isfinite(p).all():
            style = "bold red"
        elif p.size == 1 and (p[0] >= 0.5) == (y[0] >= 0.5):
            style = "green"
        table.add_row(
            g("(" + ", ".join(fmt(float(v)) for v in x) + ")"),
            g(", ".join(fmt(float(v)) for v in y)),
            Text(g(", ".join(fmt(float(v)) for v in p)), style=style),
        )
    return table


class _AsciiBar(BarRenderable):
    """The progress bar in ASCII: ``#`` for the part done, ``-`` for the rest."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = self.width or options.max_width
        start, end = (min(max(round(v), 0), width) for v in self.highlight_range)
        end = max(start, end)
        yield Text.assemble(
            ("-" * start, self.background_style),
            ("#" * (end - start), self.highlight_style),
            ("-" * (width - end), self.background_style),
            end="",
        )


class AsciiProgressBar(ProgressBar):
    """Textual's ProgressBar drawn with ASCII characters only."""

    BAR_RENDERABLE = _AsciiBar


@dataclass
class _Run:
    """The run in progress (or the last one): how far it is, and what came before it."""

    epochs: int = 0
    done: int = 0
    losses_before: np.ndarray = field(default_factory=lambda: np.empty(0))
    total_before: int = 0


class TrainingScreen(ModalScreen[TrainedWeights]):
    """Train the lesson's network for many epochs; dismisses with :class:`TrainedWeights`."""

    CSS_PATH = "training.tcss"


    # Each binding's id is its catalogue key: relabel() labels them in the language in use
    # when the screen opens (Textual reads BINDINGS once, at import).
    BINDINGS = [
        Binding("enter,space", "start", t("train.key.start"), key_display="⏎",
                id="train.key.start"),
        Binding("plus,equals_sign", "more", t("train.key.more"), key_display="+",
                id="train.key.more"),
        Binding("minus", "fewer", t("train.key.fewer"), key_display="-", id="train.key.fewer"),
        # One key, two names: the footer says Pause or Resume as the run stands.
        Binding("p", "pause", t("train.key.pause"), id="train.key.pause"),
        Binding("p", "resume", t("train.key.resume"), id="train.key.resume"),
        Binding("x", "stop", t("train.key.stop"), id="train.key.stop"),
        # Escape stops a run first; only once nothing runs does it go back.
        Binding("escape", "stop('escape')", t("train.key.stop"), show=False),
        Binding("escape", "close", t("train.key.close"), key_display="esc",
                id="train.key.close"),
    ]

    state: reactive[State] = reactive("ready", init=False)

    def __init__(
        self, scenario: Scenario, weights: Sequence[np.ndarray], first_sample: int = 0
    ) -> None:
        """Train on from ``weights``; online epochs start at ``first_sample``, the lesson's
        next sample (see :func:`engine.training.train`)."""
        super().__init__()
        self.scenario = scenario
        self.first_sample = first_sample
        self.weights: list[np.ndarray] = [np.array(w, dtype=np.float64) for w in weights]
        self.predictions = predict(scenario, self.weights)
        self.losses: np.ndarray = np.empty(0)
        """The loss of every epoch run since the view opened, over all runs."""
        self.total_epochs = 0
        self.solved_at: int | None = None
        """The first epoch since the view opened (counted from 0) at which every sample was
        on its target's side of 0.5; the chart marks it."""
        self.choice = EPOCH_CHOICES.index(DEFAULT_EPOCHS)
        self.run = _Run()
        self._go = threading.Event()  # set: run; clear: paused
        self._stop = threading.Event()
        if glyphs().ascii_only:
            self.add_class("-ascii")
        relabel(self)  # footer labels in the language in use now, not at import

    @property
    def chosen_epochs(self) -> int:
        """Epochs the next run will train."""
        return EPOCH_CHOICES[self.choice]

    # --- drawing ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Header, epochs and progress, warning, then chart and table beside the map."""
        yield Static(id="train-header", markup=False)
        with Horizontal(id="train-controls"):
            yield Static(id="train-epochs", markup=False)
            bar = AsciiProgressBar if glyphs().ascii_only else ProgressBar
            yield bar(total=self.chosen_epochs, show_eta=False, id="train-progress")
        warning = Static(id="train-warning", markup=False)
        warning.display = False
        yield warning
        chart = LossChart(id="train-chart")
        chart.border_title = t("train.chart.title")
        table = Static(id="train-predictions")
        table.border_title = t("train.table.title")
        decision = DecisionMap(self.scenario, self.weights, id="train-map")
        output = unit_names(self.scenario.layers)[-1][0]
        decision.border_title = t("train.map.title", unit=output)
        for box in (chart, table, decision):
            box.add_class("train-box")
        with Horizontal(id="train-body"):
            with Vertical(id="train-left"):
                yield chart
                yield table
            yield decision
        yield KeyFooter()

    def on_mount(self) -> None:
        """Draw the starting weights' predictions and map before any run."""
        self._redraw()

    def _header(self) -> Text:
        """Scenario, how far the run is, every epoch so far, the latest loss, the state."""
        run = self.run
        done, chosen = (run.done, run.epochs) if run.epochs else (0, self.chosen_epochs)
        loss = fmt(float(self.losses[-1])) if self.losses.size else glyphs().placeholder
        line = t(
            "train.header",
            scenario=self.scenario.name,
            update=t(f"train.update.{self.scenario.update}"),
            done=done,
            chosen=chosen,
            total=self.total_epochs,
            loss=loss,
            status=t(f"train.status.{self.state}"),
        )
        return Text(shown(line))

    def _epochs_line(self) -> Text:
        """The run lengths to choose from, the chosen one bracketed (it reads without colour)."""
        text = Text(t("train.epochs"))
        for i, n in enumerate(EPOCH_CHOICES):
            text.append(" ")
            if i == self.choice:
                text.append(f"[{n}]", style=Style(bold=True, reverse=True))
            else:
                text.append(f" {n} ")
        return text

    def _warning(self) -> str:
        """Overflow (inf, nan) first; otherwise numbers that are heading there."""
        arrays = [self.losses, self.predictions, *self.weights]
        if not all_finite(arrays):
            return t("train.warning.overflow")
        if largest([self.predictions, *self.weights]) > HUGE:
            return t("train.warning.huge", limit=fmt(HUGE))
        return ""

    def _redraw(self) -> None:
        """Every widget from the current state: nothing else writes to them."""
        self._redraw_controls()
        self._redraw_results()

    def _redraw_controls(self) -> None:
        """The header, the epochs line and the progress bar: all that choosing a run changes."""
        self.query_one("#train-header", Static).update(self._header())
        self.query_one("#train-epochs", Static).update(self._epochs_line())
        bar = self.query_one("#train-progress", ProgressBar)
        if self.run.epochs:
            bar.update(total=self.run.epochs, progress=self.run.done)
        else:
            bar.update(total=self.chosen_epochs, progress=0)

    def _redraw_results(self) -> None:
        """The warning, the loss chart, the predictions and the decision map: what training
        changes (a forward pass over the map's whole grid, so not on every +/- key)."""
        warning = self.query_one("#train-warning", Static)
        text = self._warning()
        warning.update(text)
        warning.display = bool(text)
        self.query_one(LossChart).show(self.losses, self.solved_at)
        self.query_one("#train-predictions", Static).update(
            predictions_table(self.scenario, self.predictions)
        )
        self.query_one(DecisionMap).show(self.weights)

    def watch_state(self) -> None:
        """Keys that do nothing in the new state grey out; the header names the state."""
        self.refresh_bindings()
        self.query_one("#train-header", Static).update(self._header())

    # --- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """None (greyed out) for keys that do nothing now; False hides the other name of a key."""
        active = self.state in ACTIVE
        if action == "start":
            return None if active else True
        if action == "more":
            return None if active or self.choice == len(EPOCH_CHOICES) - 1 else True
        if action == "fewer":
            return None if active or self.choice == 0 else True
        if action == "pause":
            return False if self.state == "paused" else True if self.state == "running" else None
        if action == "resume":
            return True if self.state == "paused" else False
        if action == "stop":
            if parameters:  # Escape: stops a run, else leaves the key to "close"
                return self.state in ("running", "paused")
            return True if self.state in ("running", "paused") else None
        if action == "close":
            return None if active else True
        return True

    def action_start(self) -> None:
        """Train the chosen number of epochs from the weights reached so far."""
        if self.state in ACTIVE:
            return
        self.run = _Run(self.chosen_epochs, 0, self.losses, self.total_epochs)
        self._stop.clear()
        self._go.set()
        self.state = "running"
        self._redraw()
        self._train([w.copy() for w in self.weights], self.chosen_epochs, self.predictions)

    def action_more(self) -> None:
        """A longer next run."""
        self._choose(self.choice + 1)

    def action_fewer(self) -> None:
        """A shorter next run."""
        self._choose(self.choice - 1)

    def _choose(self, choice: int) -> None:
        """The next run's length; the header and bar say it, the results stay as they are."""
        self.choice = min(max(choice, 0), len(EPOCH_CHOICES) - 1)
        self.run = _Run(total_before=self.total_epochs, losses_before=self.losses)
        self._redraw_controls()
        self.refresh_bindings()

    def action_pause(self) -> None:
        """Hold the run (the worker stops at its next check, within 0.1 %, reports, waits)."""
        if self.state == "running":
            self._go.clear()
            self.state = "paused"

    def action_resume(self) -> None:
        """Go on from where the run was paused."""
        if self.state == "paused":
            self._go.set()
            self.state = "running"

    def action_stop(self, key: str = "x") -> None:
        """End the run at the worker's next check, keeping the weights it reached."""
        if self.state in ("running", "paused"):
            self._stop.set()
            self._go.set()
            self.state = "stopping"

    def action_close(self) -> None:
        """Back to the tutor, with the weights reached and the epochs it took."""
        if self.state not in ACTIVE:
            self.dismiss(
                TrainedWeights([w.copy() for w in self.weights], self.total_epochs,
                               all_finite(self.weights))
            )

    # --- the worker ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="training", exit_on_error=False)
    def _train(self, weights: list[np.ndarray], epochs: int, predictions: np.ndarray) -> None:
        """Run ``epochs`` epochs in slices of about 1 %, reporting after each slice.

        The progress callback runs every 0.1 % of the run and ends the slice early on pause or
        stop, so a pause shows exactly the weights it holds, and a stop keeps them.
        """
        worker = get_current_worker()
        clock = [time.perf_counter()]

        def keep_going(_done: int, _loss: float) -> bool:
            # Training is pure Python between small NumPy calls, so it holds the GIL; a short
            # sleep now and then lets the interface thread draw and read keys without lag.
            if time.perf_counter() - clock[0] > WORK_SLICE:
                time.sleep(BREATHER)
                clock[0] = time.perf_counter()
            return self._go.is_set() and not self._stop.is_set() and not worker.is_cancelled

        chunk = max(1, -(-epochs // REPORTS_PER_RUN))
        check_every = max(1, chunk // CHECKS_PER_REPORT)
        pieces: list[np.ndarray] = [np.empty(0)]
        done = 0
        solved_at: int | None = None
        while done < epochs and not self._stop.is_set() and not worker.is_cancelled:
            if not self._go.is_set():
                self._go.wait(0.05)
                continue
            result = train(
                self.scenario, min(chunk, epochs - done), weights,
                progress=keep_going, report_every=check_every, first_sample=self.first_sample,
            )
            weights, predictions = result.weights, result.predictions
            if solved_at is None and result.solved_at is not None:
                solved_at = done + result.solved_at
            done += result.epochs
            pieces.append(result.losses)
            self.post_message(
                TrainingProgress(done, epochs, np.concatenate(pieces),
                                 [w.copy() for w in weights], predictions.copy(),
                                 solved_at=solved_at)
            )
        self.post_message(
            TrainingProgress(done, epochs, np.concatenate(pieces), weights, predictions,
                             final=True, solved_at=solved_at)
        )

    def on_training_progress(self, message: TrainingProgress) -> None:
        """Take the worker's numbers and redraw; the run's last report ends the run."""
        self.weights = message.weights
        self.predictions = message.predictions
        self.run.done = message.done
        self.losses = np.concatenate([self.run.losses_before, message.losses])
        self.total_epochs = self.run.total_before + message.done
        if self.solved_at is None and message.solved_at is not None:
            self.solved_at = self.run.total_before + message.solved_at
        if message.final:
            self.state = "done" if message.done >= message.epochs else "stopped"
        self._redraw()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed never sends its last report: end the run here instead."""
        if event.state == WorkerState.ERROR and self.state in ACTIVE:
            self.state = "stopped"
