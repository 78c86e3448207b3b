"""The engine is plain NumPy: importing all of it must not pull in textual or rich.

Checked in a fresh interpreter, because in this process the test runner (or another test)
may already have imported them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SUBMODULES = (
    "activations", "builtin", "losses", "names", "network", "numbers", "scenario",
    "scenario_file", "text", "training", "walkthrough",
)

CHECK = """
import importlib, json, pkgutil, sys
import engine
found = sorted(m.name for m in pkgutil.iter_modules(engine.__path__))
for name in found:
    importlib.import_module("engine." + name)
print(json.dumps({
    "found": found,
    "engine_file": engine.__file__,
    "ui": sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich")),
}))
"""


def test_engine_imports_neither_textual_nor_rich() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
    )}
    completed = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert Path(report["engine_file"]).resolve().parent == ROOT / "engine"
    # Every module named in the brief was found and imported (plus any added later).
    assert set(SUBMODULES) <= set(report["found"])
    assert report["ui"] == []
