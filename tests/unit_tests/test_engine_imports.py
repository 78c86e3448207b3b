"""The engine is plain NumPy: importing all of it must not pull in textual or rich.

Checked in a fresh interpreter, because in this process the test runner (or another test)
may already have imported them.
"""

from __future__ import annotations

from pathlib import Path

from tests.fresh_python import ROOT, run_fresh

SUBMODULES = (
    "activations", "builtin_lessons", "losses", "names", "network", "numbers", "scenario",
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
    report = run_fresh(CHECK)
    assert Path(report["engine_file"]).resolve().parent == ROOT / "engine"
    # Every module named in the brief was found and imported (plus any added later).
    assert set(SUBMODULES) <= set(report["found"])
    assert report["ui"] == []
