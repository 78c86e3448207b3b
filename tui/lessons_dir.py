"""Which lesson files the tutor may open: a teacher's folder of lessons, and the sandbox.

Plain Python (no Textual): the command line builds a :class:`LessonsPolicy` from ``--lessons
DIR`` and ``--sandbox``, the app keeps it, and the open dialog (key o) and the saving code ask
it. Served over SSH (``--sandbox``), a learner must not read or write anything of the server's
but what the teacher chose: lessons come only from the folder's listing (and the built-in
ones), never from a typed path, and a symbolic link in the folder that leads out of it is
refused (checked on the resolved path when the lesson is opened, not only when listed).

File names come from the file system and may hold anything but ``/`` and NUL (escape
sequences, bidi overrides, bytes that are not UTF-8): they reach the screen only through
:func:`safe_name`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from engine.scenario import unsafe_character

if TYPE_CHECKING:
    from engine import Scenario

#: The most lessons the open dialog lists (the first ones by name); a folder of thousands is
#: a mistake, and each listed name is a line of the dialog.
MAX_LESSONS = 200
#: What a lesson file's name ends with.
SUFFIX = ".toml"


def safe_name(name: str) -> str:
    """A file name as it can be shown: every character that could act on the terminal, hide
    or reorder text (a control, a bidi override, an undecodable byte kept as a surrogate)
    written as its escape, the way repr writes it; everything else (accents, Chinese) kept."""
    return "".join(ch if ch.isprintable() and not unsafe_character(ch)
                   else repr(ch)[1:-1] for ch in name)


class LessonRefused(Exception):
    """A lesson name the policy does not let through; ``reason`` names the catalogue entry
    (``open.refused.<reason>``) that says why."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{safe_name(name)}: {reason}")
        self.name = name
        self.reason = reason


@dataclass(frozen=True)
class Listing:
    """The lessons of the folder, sorted by name: at most :data:`MAX_LESSONS` of them
    (``more`` is True when some were left out)."""

    names: tuple[str, ...] = ()
    more: bool = False

    @property
    def labels(self) -> tuple[str, ...]:
        """The names as the dialog shows them."""
        return tuple(safe_name(n) for n in self.names)


@dataclass(frozen=True)
class LessonsPolicy:
    """Where lessons may be opened from.

    ``directory``: the teacher's folder of lessons (``--lessons``), absolute and resolved, or
    None. ``sandbox`` (``--sandbox``, a served session): no typed path, no symbolic link out
    of the folder, and no saving into the current directory.
    """

    directory: Path | None = None
    sandbox: bool = False

    def __post_init__(self) -> None:
        if self.directory is not None:
            # Resolved once: the containment check compares resolved paths.
            object.__setattr__(self, "directory", Path(os.path.realpath(self.directory)))

    @property
    def typed_paths(self) -> bool:
        """Whether the learner may type a path to open (never in a sandbox)."""
        return not self.sandbox

    def listing(self) -> Listing:
        """The folder's lessons now: regular files (or links to one) named ``*.toml``
        directly in it, hidden files left out, and in a sandbox only those whose resolved
        path stays inside it. Empty without a folder; OSError if it cannot be read."""
        if self.directory is None:
            return Listing()
        with os.scandir(self.directory) as entries:
            candidates = sorted(entry.name for entry in entries
                                if entry.name.endswith(SUFFIX) and not entry.name.startswith("."))
        names: list[str] = []
        for name in candidates:
            try:
                self.path_of(name)
            except LessonRefused:
                continue
            if len(names) == MAX_LESSONS:
                return Listing(tuple(names), more=True)
            names.append(name)
        return Listing(tuple(names))

    def path_of(self, name: str) -> Path:
        """The path to open for the folder's lesson ``name``: a bare file name of the folder
        (``../x``, ``a/b.toml`` or an absolute path never gets through) naming a regular
        file; in a sandbox, its resolved path, which must be inside the folder (a symbolic
        link that leads out of it is refused). LessonRefused otherwise."""
        if self.directory is None:
            raise LessonRefused(name, "no_folder")
        separators = {os.sep, os.altsep or os.sep, "\0"}
        if (not name.endswith(SUFFIX) or name.startswith(".")
                or any(s in name for s in separators) or os.path.basename(name) != name):
            raise LessonRefused(name, "not_in_folder")
        root = str(self.directory)
        path = self.directory / name
        real = os.path.realpath(path)
        if self.sandbox and os.path.commonpath([root, real]) != root:
            raise LessonRefused(name, "outside")
        if not os.path.isfile(real):
            raise LessonRefused(name, "not_in_folder")
        return Path(real) if self.sandbox else path


#: No folder, no sandbox: the tutor as it runs on one's own machine.
OPEN = LessonsPolicy()
_current = OPEN


def use_policy(policy: LessonsPolicy) -> None:
    """Make ``policy`` the one in force (the app sets it as it starts, as the language is
    chosen once): the saving code, which no screen passes it to, asks :func:`policy`."""
    global _current
    _current = policy


def policy() -> LessonsPolicy:
    """The policy in force."""
    return _current


def lesson_named(name: str) -> Scenario:
    """The lesson a teacher named (a lead to it, tui/served.py): a built-in lesson by its
    name, else a lesson file of the folder by its file name, checked as the open dialog
    checks one (:meth:`LessonsPolicy.path_of`). LessonRefused, or the file's ScenarioError
    (said as in ``name``), when it cannot be opened."""
    from engine import BUILTIN_SCENARIOS, ScenarioError, load_scenario

    if name in BUILTIN_SCENARIOS:
        return BUILTIN_SCENARIOS[name]
    path = policy().path_of(name)
    try:
        return load_scenario(path)
    except ScenarioError as error:
        error.in_file(name)
        raise
