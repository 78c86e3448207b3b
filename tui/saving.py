"""Saving a lesson: its scenario as TOML and the current iteration as a markdown transcript.

The save directory may be shared (a server's /tmp, a project directory), so a save never
overwrites or follows anything already there: each file is created new (``open(…, "x")``,
which fails on any existing name, a dangling symbolic link included), and a name that is
taken gives way to the next free one.
"""

from __future__ import annotations

import errno
import math
import os
import re
import textwrap
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from engine import Walkthrough, dump_scenario
from engine.numbers import fmt
from engine.scenario import Init, Scenario
from tui.i18n import t
from tui.lessons_dir import policy
from tui.transcript import write_markdown

if TYPE_CHECKING:
    from tui.quiz import Quiz

#: The longest stem of a saved file's name, in UTF-8 bytes: file systems allow 255 bytes a
#: name, and "-iteration-<i>-<n>.md" follows the stem.
MAX_STEM_BYTES = 200
#: Where the comment on a saved lesson's weights is wrapped (Chinese, without spaces, is not).
COMMENT_WIDTH = 88
#: How many names a save tries (``name``, ``name-2``, …) before it gives up.
MAX_TRIES = 10_000


def save_directory() -> Path:
    """Where saved files go: ``$BACKPROP_TUTOR_SAVE_DIR``, else the current directory.

    In a sandbox (``--sandbox``, a served session) there is no falling back on the current
    directory, which is the server's choice, not a place for the learner's files: without
    the variable, saving is refused (an OSError whose ``strerror`` says why, in the learner's
    language, as the save keys already report a failed save)."""
    configured = os.environ.get("BACKPROP_TUTOR_SAVE_DIR")
    if configured:
        return Path(configured)
    if policy().sandbox:
        raise OSError(errno.EACCES, t("sandbox.no_save_dir"))
    return Path(".")


def shown_path(path: Path | str) -> str:
    """A saved file as the learner is told of it: in a sandbox only its name (the folder is
    the learner's own, somewhere on the server: its path says nothing to them and shows the
    server's layout), elsewhere the path."""
    return Path(path).name if policy().sandbox else str(path)


def file_stem(name: str) -> str:
    """A scenario's name as the stem of a file name: its letters and digits in any script,
    ``.``, ``_`` and ``-``; any run of other characters (path separators, spaces, controls)
    becomes ``-``; no leading dot (a hidden file); at most :data:`MAX_STEM_BYTES` bytes."""
    stem = re.sub(r"[^\w.-]+", "-", unicodedata.normalize("NFC", name)).strip("-.")
    stem = stem.encode("utf-8")[:MAX_STEM_BYTES].decode("utf-8", "ignore").rstrip("-.")
    return stem or "lesson"


def _create(directory: Path, stem: str, suffix: str, write: Callable[[TextIO], object]) -> Path:
    """Create ``stem<suffix>`` in ``directory``, or ``stem-2<suffix>``, ``stem-3<suffix>``…:
    the first name nothing has, then write it; returns its path."""
    for n in range(1, MAX_TRIES + 1):
        path = directory / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        try:
            file = open(path, "x", encoding="utf-8")
        except FileExistsError:
            continue
        try:
            with file:
                write(file)
        except BaseException:
            path.unlink(missing_ok=True)  # a half-written save is no save
            raise
        return path
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), f"{directory / stem}{suffix}")


def scenario_to_save(w: Walkthrough) -> tuple[Scenario, list[str]]:
    """The lesson as it stands at ``w``, and a comment for its ``[init]``: at the first
    iteration the scenario itself; further on (after training or stepping), the same lesson
    starting from the weights this iteration starts from, written out, with where they came
    from, so that opening the file goes on where the learner was. Weights that overflowed
    cannot be written (a file may not hold inf or nan): then the lesson's own, and why."""
    s = w.scenario
    if w.iteration == 0:
        return s, []
    origin = _init_words(s)
    weights = tuple(tuple(tuple(row) for row in m.tolist()) for m in w.weights_before)
    if not all(math.isfinite(v) for m in weights for row in m for v in row):
        return s, [t("save.init.overflow", name=s.name, iteration=w.iteration,
                     epoch=w.epoch)]
    comment = [t("save.init.reached", name=s.name, iteration=w.iteration, epoch=w.epoch,
                 origin=origin)]
    first, *_ = w.samples
    if s.update == "online" and first != 0:
        comment.append(t("save.init.sample", sample=first))
    lines = [part for line in comment for part in textwrap.wrap(line, COMMENT_WIDTH)]
    return s.with_changes(init=Init("explicit", weights=weights)), lines


def _init_words(s: Scenario) -> str:
    """The lesson's own starting weights, as its file would say them."""
    if s.init.kind == "random":
        return f'kind = "random", seed = {s.init.seed}'
    if s.init.kind == "constant":
        return f'kind = "constant", value = {fmt(s.init.value)}'
    return 'kind = "explicit"'


def save_lesson(w: Walkthrough, directory: Path, quiz: Quiz | None = None) -> tuple[Path, Path]:
    """Write the walkthrough's scenario as ``<name>.toml`` and the walkthrough itself as
    ``<name>-iteration-<i>.md`` (with how the ``quiz`` went in it, if it was asked); returns
    both paths."""
    stem = file_stem(w.scenario.name)
    scenario, comment = scenario_to_save(w)
    toml_path = _create(directory, stem, ".toml",
                        lambda f: f.write(dump_scenario(scenario, comment)))
    md_path = _create(directory, f"{stem}-iteration-{w.iteration}", ".md",
                      lambda f: write_markdown(w, f, quiz=quiz))
    return toml_path, md_path
