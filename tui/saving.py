"""Saving a lesson: its scenario as TOML and the current iteration as a markdown transcript."""

from __future__ import annotations

import os
import re
from pathlib import Path

from engine import Walkthrough, dump_scenario
from tui.transcript import render_markdown


def save_directory() -> Path:
    """Where saved files go: ``$BACKPROP_TUTOR_SAVE_DIR``, else the current directory."""
    return Path(os.environ.get("BACKPROP_TUTOR_SAVE_DIR") or ".")


def _free(path: Path) -> Path:
    """``path``, or ``name-2.ext``, ``name-3.ext``…: never overwrite an earlier save."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate


def save_lesson(w: Walkthrough, directory: Path) -> tuple[Path, Path]:
    """Write the walkthrough's scenario as ``<name>.toml`` and the walkthrough itself as
    ``<name>-iteration-<i>.md``; returns both paths."""
    scenario = w.scenario
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", scenario.name).strip("-.") or "lesson"
    toml_path = _free(directory / f"{stem}.toml")
    toml_path.write_text(dump_scenario(scenario), encoding="utf-8")
    md_path = _free(directory / f"{stem}-iteration-{w.iteration}.md")
    md_path.write_text(render_markdown(w) + "\n", encoding="utf-8")
    return toml_path, md_path
