"""Benchmark: the teacher's class view (tui/teacher/app.py) with a class of 100 learners, its
CPU at rest and per snapshot.

Run from the repository root::

    .venv/bin/python bench/class_view.py            # 5 runs, 10 s of rest each (about 3 min)
    .venv/bin/python bench/class_view.py --quick    # 2 runs, 3 s of rest
    .venv/bin/python bench/class_view.py --learners 30 --rest 20 --runs 3

Each run starts the real :class:`~tui.teacher.app.ClassViewApp` headless in this process
(``App.run_test``, 120x40: the wide columns, the slips under the table) with a
:class:`~tui.teacher.channel.SnapshotFeed`, and pushes it lines as the server writes them
(``{"class": SNAPSHOT}``, built like ``Classroom.snapshot()``, encoded before any clock
starts). The view's CPU is this process's (``time.process_time``: user + system, every
thread); the bench itself only sleeps while a figure is taken. Headless, Textual renders
every update but writes no bytes, so the terminal output's encoding is not counted (over SSH
it comes on top). What is measured, per run:

rest, idle >= 1 min
    one snapshot of N learners idle from 1 to 30 minutes (a class reading, thinking, or
    gone), then ``--rest`` s of nothing: CPU % of one core over that time, the first second
    after the snapshot left out (it is being drawn).
rest, idle < 1 min
    the same with every learner idle from 0 to 59 s (a class that just stopped typing): the
    idle times move on every second.
snapshot, k changed
    ``--snapshots`` snapshots, 0.3 s apart (the view draws at most 4 a second: each is
    drawn), in each of which k learners moved a step (their idle time back to 0) and every
    other learner's idle time went on by 0.3 s, as the server's do. CPU ms per snapshot:
    from the push until 0.3 s later (parsing, the ClassUpdate, the table's writes, the
    header, the slips, the repaint), the median over the snapshots (a tick of the idle times
    that falls in a window is counted in it; the median leaves them out while they fall in
    fewer than half the windows). Beside it, as a trivial baseline timed in the same run, the
    ms ``json.loads`` takes for the same line: the ratio view / json.loads.

Every figure is the median over the runs (range in brackets). The machine may be shared:
the figures are CPU time, not wall time, but caches and frequency still feel other load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Run as a script, this folder comes first on sys.path, and its tui.py would shadow the real
# ``tui`` package: the repository's root instead.
_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() not in (_HERE, ROOT)]

from tui.teacher.app import ClassViewApp  # noqa: E402
from tui.teacher.channel import SnapshotFeed  # noqa: E402

SIZE = (120, 40)
PHASES = (None, "forward", "error", "backward", "update")
SLIPS = ("plus_delta_sign", "fprime", "wrong_end", "bias_zero", None)
#: Seconds between the snapshots of the typing class (more than the view's 1/4 s).
GAP = 0.3
#: Seconds after a snapshot before the rest is measured (the snapshot is drawn by then).
SETTLE = 1.0


def make_class(n: int, idle: tuple[float, float], seed: int) -> list[dict[str, object]]:
    """``n`` learners as ``Classroom.snapshot()`` lists them, idle for a time in ``idle``."""
    rng = random.Random(seed)
    learners = []
    for i in range(n):
        answered = rng.randrange(0, 12)
        learners.append({
            "id": f"learner{i:03d}", "name": f"Learner {i:03d}", "connected": i % 10 != 9,
            "lesson": "article", "iteration": rng.randrange(0, 3), "step": rng.randrange(0, 23),
            "total": 22, "phase": rng.choice(PHASES), "right_first": answered // 2,
            "answered": answered, "revealed": rng.randrange(0, 3),
            "last_slip": rng.choice(SLIPS), "idle_s": round(rng.uniform(*idle), 1)})
    return learners


def line(learners: list[dict[str, object]]) -> bytes:
    """The server's line for this class (a few slips, the most common first)."""
    slips = [{"phase": "update", "slip": "plus_delta_sign", "learners": 12},
             {"phase": "backward", "slip": "fprime", "learners": 7},
             {"phase": "error", "slip": "wrong_end", "learners": 3}]
    data = {"learners": learners, "slips": slips, "time": time.time(), "hold": None,
            "broadcast": None}
    return (json.dumps({"class": data}, ensure_ascii=False) + "\n").encode("utf-8")


def typed(learners: list[dict[str, object]], k: int, turn: int) -> None:
    """k learners (the next k in turn) move a step; everyone else's idle time goes on."""
    n = len(learners)
    moved = {(turn * k + j) % n for j in range(k)}
    for i, learner in enumerate(learners):
        if i in moved:
            step = int(learner["step"]) + 1  # type: ignore[call-overload]
            learner["step"], learner["idle_s"] = step % 23, 0.0
            learner["phase"] = PHASES[step % len(PHASES)]
            learner["answered"] = int(learner["answered"]) + step % 2  # type: ignore[call-overload]
        else:
            learner["idle_s"] = round(float(learner["idle_s"]) + GAP, 1)  # type: ignore[arg-type]


@dataclass
class Run:
    rest: dict[str, float] = field(default_factory=dict)
    """% of a core, by population."""
    per_snapshot: dict[int, float] = field(default_factory=dict)
    """ms per snapshot, by k."""
    json_ms: dict[int, float] = field(default_factory=dict)
    """ms of json.loads of the same lines, by k."""


async def rest_percent(feed: SnapshotFeed, learners: list[dict[str, object]],
                       seconds: float) -> float:
    """Push one snapshot, let it be drawn, then the CPU % over ``seconds`` of nothing."""
    feed.push(line(learners))
    await asyncio.sleep(SETTLE)
    start, cpu = time.monotonic(), time.process_time()
    await asyncio.sleep(seconds)
    return 100 * (time.process_time() - cpu) / (time.monotonic() - start)


async def snapshot_ms(feed: SnapshotFeed, learners: list[dict[str, object]], k: int,
                      count: int) -> tuple[float, float]:
    """ms of the view's CPU per snapshot with ``k`` learners changed, and of json.loads of
    the same lines (medians)."""
    lines = []
    for turn in range(count):
        typed(learners, k, turn)
        lines.append(line(learners))
    loads = []
    for data in lines:
        start = time.process_time()
        json.loads(data)
        loads.append(time.process_time() - start)
    feed.push(line(learners))  # the class as it starts, drawn before the clock starts
    await asyncio.sleep(SETTLE)
    spent = []
    for data in lines:
        cpu = time.process_time()
        feed.push(data)
        await asyncio.sleep(GAP)
        spent.append(time.process_time() - cpu)
    return 1000 * statistics.median(spent), 1000 * statistics.median(loads)


async def one_run(n: int, rest_s: float, ks: Sequence[int], count: int, seed: int) -> Run:
    run = Run()
    feed = SnapshotFeed()
    app = ClassViewApp(feed)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        run.rest["idle >= 1 min"] = await rest_percent(
            feed, make_class(n, (60.0, 1800.0), seed), rest_s)
        run.rest["idle < 1 min"] = await rest_percent(
            feed, make_class(n, (0.0, 59.0), seed), rest_s)
        for k in ks:
            learners = make_class(n, (60.0, 1800.0), seed + k)
            ms, loads = await snapshot_ms(feed, learners, k, count)
            run.per_snapshot[k], run.json_ms[k] = ms, loads
        assert app.draws > 0 and app.is_running
    return run


def figure(values: Sequence[float], digits: int) -> str:
    """``median [min–max]``."""
    return (f"{statistics.median(values):.{digits}f} "
            f"[{min(values):.{digits}f}–{max(values):.{digits}f}]")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rest", type=float, default=10.0, help="s of rest measured")
    parser.add_argument("--snapshots", type=int, default=20, help="snapshots per k")
    parser.add_argument("--changed", default="1,5,20", help="k: learners changed per snapshot")
    parser.add_argument("--quick", action="store_true", help="2 runs, 3 s of rest")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.rest, args.snapshots = 2, 3.0, 10
    ks = [int(k) for k in args.changed.split(",")]
    print(f"class view, {args.learners} learners, {SIZE[0]}x{SIZE[1]} headless, "
          f"{args.runs} runs, {args.rest:g} s of rest, {args.snapshots} snapshots per k")
    print(f"python {platform.python_version()}, {platform.machine()}, "
          f"{platform.node()} (may be shared)")
    runs = []
    for r in range(args.runs):
        runs.append(asyncio.run(one_run(args.learners, args.rest, ks, args.snapshots, r)))
        print(f"  run {r + 1}/{args.runs} done", file=sys.stderr)
    print()
    print(f"{'figure':<34} {'median [range]':>24}")
    for name in runs[0].rest:
        print(f"{'rest, ' + name + ' (% of a core)':<34} "
              f"{figure([run.rest[name] for run in runs], 3):>24}")
    for k in ks:
        view = [run.per_snapshot[k] for run in runs]
        loads = [run.json_ms[k] for run in runs]
        ratios = [v / j for v, j in zip(view, loads)]
        print(f"{f'snapshot, {k} changed (ms)':<34} {figure(view, 2):>24}")
        print(f"{'  json.loads of it (ms)':<34} {figure(loads, 2):>24}")
        print(f"{'  view / json.loads':<34} {figure(ratios, 1):>24}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
