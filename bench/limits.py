"""Benchmark: the largest lesson a scenario file may describe, against the article's.

Run from the repository root::

    .venv/bin/python bench/limits.py            # 3 runs of each figure (a few minutes)
    .venv/bin/python bench/limits.py --runs 5

The largest lesson allowed is 11 layers of 64 units and 4096 samples (README, Scenario files);
it is written to a temporary file twice, with ``update = "online"`` and ``"batch"`` (sigmoid
units, cross-entropy, random weights). A batch iteration of it has over five million steps.
What is measured, per lesson, as medians of the runs (min–max):

first frame
    ms from starting ``backprop-tutor --scenario FILE`` in a pseudo-terminal (as
    bench/tui.py does: TERM=xterm-256color, 80x24) until the header says ``step 0 of N``.
    This includes reading the file: TOML of 2.8 MB.
step key
    the median ms of 20 presses of → from the start, until the screen update is over.
peak RSS (app)
    VmHWM of the tutor after those steps.
print --format json
    the peak RSS (``ru_maxrss`` of the finished child) of ``backprop-tutor print --format
    json --scenario FILE`` with its output to /dev/null, and how many bytes it wrote.
train --epochs 10
    the peak RSS of ``backprop-tutor train --epochs 10 --format json --scenario FILE``.

The article's lesson is measured the same way in the same run, as the baseline. Goals (issue
11): first frame ≤ 2 s and ≤ 200 MB, a step key ≤ 50 ms, print ≤ 300 MB whatever the size of
its output, train ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

# bench/tui.py's pseudo-terminal session, loaded by path (it is a script, not a package).
_spec = importlib.util.spec_from_file_location("bench_tui", _HERE / "tui.py")
assert _spec is not None and _spec.loader is not None
tui_bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_tui"] = tui_bench
_spec.loader.exec_module(tui_bench)

LAYERS = (64,) * 11
SAMPLES = 4096
STEPS = 20
GOALS = {"first frame (ms)": 2000, "step key (ms)": 50, "peak RSS, app (MiB)": 200,
         "print json, peak RSS (MiB)": 300, "train 10 epochs, peak RSS (MiB)": 300}


def write_largest(folder: Path, update: str) -> Path:
    """The largest lesson a file may describe, with ``update``; its path."""
    rng = np.random.default_rng(0)
    x = rng.random((SAMPLES, LAYERS[0])).round(4)
    y = (rng.random((SAMPLES, LAYERS[-1])) > 0.5).astype(int)
    path = folder / f"largest-{update}.toml"
    with path.open("w", encoding="utf-8") as f:
        f.write(f'name = "largest-{update}"\nlayers = {list(LAYERS)}\n')
        f.write(f"activations = {['sigmoid'] * (len(LAYERS) - 1)}\n".replace("'", '"'))
        f.write(f'loss = "cross_entropy"\nlearning_rate = 0.5\nupdate = "{update}"\n')
        f.write('[init]\nkind = "random"\nseed = 0\n[data]\n')
        f.write("inputs = [" + ",\n".join(str(list(map(float, r))) for r in x) + "]\n")
        f.write("targets = [" + ",\n".join(str(list(map(int, r))) for r in y) + "]\n")
    return path


def tutor_command() -> list[str]:
    """The venv's ``backprop-tutor``."""
    return tui_bench.default_tutor_command()


def app_figures(scenario: str) -> tuple[float, float, float]:
    """First frame (ms), median step key (ms) and peak RSS (MiB) of the tutor on a lesson."""
    argv = [*tutor_command(), "--scenario", scenario]
    session = tui_bench.Session(argv, 80, 24, tui_bench.child_env())
    try:
        seen, found = session.wait_for(tui_bench.STEP_PATTERN, 120)
        first = (seen - session.spawned) * 1000
        total = int(found.group(1))
        session.until_quiet(gap=tui_bench.SETTLE_GAP, first=tui_bench.SETTLE_GAP)
        latencies = []
        for k in range(1, min(STEPS, total) + 1):
            _, _, last = tui_bench.step(session, tui_bench.RIGHT, f"step {k} of {total}")
            latencies.append(last * 1000)
        return first, statistics.median(latencies), session.peak_rss_mib()
    finally:
        session.close()


def child_peak(argv: Sequence[str]) -> tuple[float, int]:
    """Run a command to the end, output to a temporary file; its peak RSS (MiB, from
    ``wait4``'s resource usage of that very child) and the bytes it wrote."""
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} exited with {proc.returncode}")
        out.seek(0, os.SEEK_END)
        return usage.ru_maxrss / 1024, out.tell()


def median_range(values: list[float]) -> str:
    """``median (min–max)``."""
    m = statistics.median(values)
    if len(values) == 1:
        return f"{m:,.0f}"
    return f"{m:,.0f} ({min(values):,.0f}–{max(values):,.0f})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each figure (3)")
    parser.add_argument("--app-only", action="store_true",
                        help="measure only the app (print and train take minutes)")
    args = parser.parse_args(argv)
    tui_bench.compile_sources()
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        lessons = {"article": "article",
                   "largest, online": str(write_largest(Path(folder), "online")),
                   "largest, batch": str(write_largest(Path(folder), "batch"))}
        figures: dict[str, dict[str, list[float]]] = {}
        sizes: dict[str, int] = {}
        for run in range(args.runs):
            for name, scenario in lessons.items():
                print(f"run {run + 1}/{args.runs}: {name} ...", file=sys.stderr, flush=True)
                f = figures.setdefault(name, {})
                first, step_ms, rss = app_figures(scenario)
                f.setdefault("first frame (ms)", []).append(first)
                f.setdefault("step key (ms)", []).append(step_ms)
                f.setdefault("peak RSS, app (MiB)", []).append(rss)
                if args.app_only:
                    continue
                peak, size = child_peak([*tutor_command(), "print", "--format", "json",
                                         "--scenario", scenario])
                f.setdefault("print json, peak RSS (MiB)", []).append(peak)
                sizes[name] = size
                peak, _ = child_peak([*tutor_command(), "train", "--epochs", "10", "--format",
                                      "json", "--scenario", scenario])
                f.setdefault("train 10 epochs, peak RSS (MiB)", []).append(peak)
    names = list(lessons)
    print("backprop-tutor on the largest lesson allowed (11 layers x 64 units, 4096 samples)")
    print(f"  {' '.join(tutor_command())}; medians of {args.runs} runs (min–max)\n")
    print(f"{'figure':34}" + "".join(f"{n:>26}" for n in names) + "   goal (largest)")
    for figure, goal in GOALS.items():
        if figure not in figures["article"]:
            continue
        cells = "".join(f"{median_range(figures[n][figure]):>26}" for n in names)
        worst = max(statistics.median(figures[n][figure]) for n in names[1:])
        verdict = "met" if worst <= goal else "NOT met"
        print(f"{figure:34}{cells}   <= {goal:,}: {verdict}")
    if sizes:
        print(f"{'print json, bytes written':34}"
              + "".join(f"{sizes[n]:>26,}" for n in names))
    print(f"\ntotal time {time.perf_counter() - began:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
