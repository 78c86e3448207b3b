"""Progress that survives a quit: where the learner was in each lesson, in a state file.

Plain Python (no Textual): the app only calls :class:`ProgressFile` (at start, on a lesson
change, every few steps and on quit). One JSON file, ``$XDG_STATE_HOME/backprop-tutor/
progress.json`` (default ``~/.local/state/…``), holds one entry per lesson, keyed by the
lesson's name and a hash of its content: a lesson file edited since (other weights, other
data) never resumes onto the old numbers, and its old entry is kept, not replaced.

What the file held is never lost without the learner saying so (``--fresh`` for a lesson): a
corrupt file is moved aside (``progress.json.corrupt``, next free name) before a new one is
written; a file that cannot be read, or one written by a newer tutor, is left alone and
nothing is saved this time. Every write is atomic (a temporary file in the same directory,
then ``os.replace``), mode 0600, so a killed process leaves the old file or the new one,
never half of one.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from engine.scenario import Scenario
from tui.lesson import Lesson
from tui.quiz import Quiz, Verdict

if TYPE_CHECKING:
    import numpy as np

#: The file's format; a file of a later format is left alone (a newer tutor wrote it).
FORMAT = 1
FILE_NAME = "progress.json"
#: Lessons remembered: the most recently used are kept.
MAX_ENTRIES = 64
#: The largest state file read (a lesson of 64-unit layers with trained weights is ~1 MB).
MAX_BYTES = 64 * 1024 * 1024
#: Iterations walked again on resume before the weights of the current one are stored
#: instead (each iteration is walked from the one before).
MAX_REPLAY = 200

Problem = Literal["corrupt", "unreadable", "newer"]


def state_directory(environ: dict[str, str] | None = None) -> Path:
    """``$XDG_STATE_HOME/backprop-tutor`` (an absolute setting only, as the XDG spec says),
    else ``~/.local/state/backprop-tutor``."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_STATE_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".local" / "state"
    return root / "backprop-tutor"


def lesson_digest(scenario: Scenario) -> str:
    """A hash of everything that decides a lesson's numbers (not its description)."""
    content = {f.name: getattr(scenario, f.name) for f in fields(scenario) if f.compare}
    content["init"] = asdict(scenario.init)
    text = json.dumps(content, sort_keys=True, default=list, allow_nan=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Place:
    """One lesson's remembered place: where the lesson began (``start``, with its starting
    ``weights`` when they are not the scenario's own: trained, or far on), the iteration and
    the last step done in it, and the quiz."""

    name: str
    digest: str
    iteration: int
    k: int
    start: int = 0
    weights: list[list[list[float]]] | None = None
    quiz_on: bool = False
    verdicts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def at_beginning(self) -> bool:
        """True for a lesson not begun: nothing to resume."""
        return self.iteration == 0 and self.k < 0 and not self.verdicts and not self.start


def place_of(lesson: Lesson, quiz: Quiz, quiz_on: bool) -> Place:
    """The learner's place in ``lesson``, as the file keeps it."""
    cursor = lesson.place
    iteration = cursor.walkthrough.iteration
    start, weights = lesson.start, None
    if lesson.walked and (lesson.start > 0 or lesson.index > MAX_REPLAY):
        if lesson.index > MAX_REPLAY:
            start, matrices = iteration, lesson.walkthrough().weights_before
        else:
            assert lesson.history is not None
            matrices = lesson.history.first_weights()
        weights = [m.tolist() for m in matrices]
    # The quiz keeps every lesson's answers, by (scenario, iteration, step): this one's.
    verdicts = [asdict(v) for key, v in quiz.verdicts.items() if key[0] == lesson.scenario]
    return Place(lesson.scenario.name, lesson_digest(lesson.scenario), iteration, cursor.k,
                 start, weights, quiz_on, verdicts)


def resume(scenario: Scenario, place: Place) -> tuple[Lesson, Quiz]:
    """The lesson at ``place`` (its iteration walked again from where it began) and the quiz
    as it stood. ValueError if the place does not fit the lesson."""
    import numpy as np

    weights: list[np.ndarray] | None = None
    if place.weights is not None:
        weights = [np.array(m, dtype=np.float64) for m in place.weights]
        if [w.shape for w in weights] != scenario.weight_shapes():
            raise ValueError("weights of another shape")
    if place.start < 0 or place.iteration < place.start:
        raise ValueError("iteration before the start")
    if place.iteration - place.start > MAX_REPLAY and weights is None:
        raise ValueError("too far to walk again")
    lesson = Lesson(scenario, weights, start=place.start)
    lesson.resume(place.iteration, place.k)
    quiz = Quiz()
    for record in place.verdicts:
        try:
            verdict = Verdict(**{name: _tuples(value) for name, value in record.items()})
        except (TypeError, AttributeError):  # another tutor's answers: the place still counts
            continue
        if _trusted(verdict, scenario):
            quiz.verdicts[(scenario, verdict.iteration, verdict.k)] = verdict
    return lesson, quiz


def _trusted(verdict: Verdict, scenario: Scenario) -> bool:
    """True when every field of an answer read back is one the tutor could have written for
    this lesson: its words are shown on screen and in saved transcripts, and a slip's kind
    names a message."""
    from engine.names import unit_names
    from engine.records import PHASES
    from engine.slips import KINDS

    names = {name for layer in unit_names(scenario.layers) for name in layer}
    ends = verdict.target.split("->") if isinstance(verdict.target, str) else [None]
    numbers = (verdict.value,) + (() if verdict.answer is None else (verdict.answer,))
    try:
        return _fields_fit(verdict, scenario.loss, names, ends, numbers, PHASES, KINDS)
    except (TypeError, ValueError):  # a field of the wrong type altogether
        return False


def _fields_fit(verdict: Verdict, loss: str, names: set[str], ends: list[object],
                numbers: tuple[object, ...], phases: tuple[str, ...],
                kinds: tuple[str, ...]) -> bool:
    """The checks of :func:`_trusted`, any of which may meet a value of the wrong type."""
    return (
        all(isinstance(n, int) and not isinstance(n, bool) for n in (verdict.iteration, verdict.k))
        and verdict.phase in phases
        and (verdict.target == "loss" or (0 < len(ends) <= 2 and all(e in names for e in ends)))
        and all(type(n) in (int, float) for n in numbers)
        and isinstance(verdict.correct, bool)
        and all(kind in kinds for kind in verdict.diagnoses)
        and verdict.loss in ("", loss)
        and len(verdict.link) == 2
        and all(part in names or part == "" for part in verdict.link)
    )


def _tuples(value: object) -> object:
    """JSON's lists back into the tuples a :class:`Verdict` holds."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _place_from(record: object) -> Place:
    """A :class:`Place` from the file's JSON (ValueError or TypeError if it is not one)."""
    if not isinstance(record, dict):
        raise TypeError("not an object")
    place = Place(**record)
    ints = (place.iteration, place.k, place.start)
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in ints):
        raise TypeError("not an integer")
    if not (isinstance(place.name, str) and isinstance(place.digest, str)):
        raise TypeError("not a string")
    if not isinstance(place.verdicts, list):
        raise TypeError("not a list")
    return place


def _load(path: Path) -> tuple[list[Place], Problem | None]:
    """The places a state file holds (none when there is no file), or why it cannot be
    used."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise IsADirectoryError(str(path))  # a directory, a FIFO: never opened
        with open(path, "rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return [], None
    except (OSError, ValueError):
        return [], "unreadable"
    try:
        if len(data) > MAX_BYTES:
            raise ValueError("too large")
        content = json.loads(data.decode("utf-8"))
        if not isinstance(content, dict) or not isinstance(content.get("format"), int):
            raise ValueError("no format")
        if content["format"] > FORMAT:
            return [], "newer"
        lessons = content.get("lessons")
        if not isinstance(lessons, list):
            raise ValueError("no lessons")
        return [_place_from(record) for record in lessons], None
    except (ValueError, TypeError, RecursionError):
        return [], "corrupt"


class ProgressFile:
    """The state file: read when the tutor starts, and again before each write, so that two
    tutors open at once keep each other's lessons."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or state_directory() / FILE_NAME
        self.places, self.problem = _load(self.path)
        """Every lesson remembered, the most recently used last; why the file could not be
        used, if it could not."""
        self.moved_to: Path | None = None
        """Where a corrupt file was moved aside to."""

    @property
    def writable(self) -> bool:
        """False when writing could lose what the file holds (unreadable, or newer)."""
        return self.problem in (None, "corrupt")

    def find(self, scenario: Scenario) -> tuple[Place | None, bool]:
        """The place remembered for this very lesson, and whether a lesson of the same name
        but other content (a file edited since) has one instead."""
        digest = lesson_digest(scenario)
        mine = [p for p in self.places if p.name == scenario.name and p.digest == digest]
        if mine:
            return mine[-1], False
        return None, any(p.name == scenario.name for p in self.places)

    def forget(self, scenario: Scenario) -> None:
        """Drop this lesson's place (``--fresh``: the learner asked to start over); the file
        changes at the next write."""
        digest = lesson_digest(scenario)
        self.places = [p for p in self.places if (p.name, p.digest) != (scenario.name, digest)]

    def record(self, place: Place) -> bool:
        """Remember ``place`` beside what the file holds now, and write it; False if it was
        not written (the file must be kept as it is, or the write failed)."""
        if not self.writable:
            return False
        if self.problem == "corrupt" and self.set_aside() is None:
            return False
        held, problem = _load(self.path)
        if problem is not None:
            # Another tutor left something this one cannot read since: keep it, write nothing.
            return False
        others = [p for p in held if (p.name, p.digest) != (place.name, place.digest)]
        self.places = [*others, place][-MAX_ENTRIES:]
        if self.places == held:
            return True  # nothing new: no write
        return self._write()

    def set_aside(self) -> Path | None:
        """Move a corrupt file aside (kept, under the next free ``.corrupt`` name), so that a
        fresh one can be written; where it went, or None if it could not be moved (then the
        file is kept as it is and nothing is written)."""
        if self.problem != "corrupt":
            return self.moved_to
        try:
            self.moved_to = _move_aside(self.path)
        except OSError:
            self.problem = "unreadable"
            return None
        self.problem = None
        return self.moved_to

    def _write(self) -> bool:
        """Write every place, atomically; False when the write failed (a full disk, a
        read-only home: progress is a convenience, never an error)."""
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            content = {"format": FORMAT, "lessons": [asdict(p) for p in self.places]}
            text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
            _write_atomically(self.path, text.encode("utf-8"))
        except OSError:
            return False
        return True


def _move_aside(path: Path) -> Path:
    """Rename a corrupt file to the next free ``<name>.corrupt``, ``<name>.corrupt-2``…"""
    for n in range(1, 1000):
        aside = path.with_name(f"{path.name}.corrupt" + (f"-{n}" if n > 1 else ""))
        if not os.path.lexists(aside):
            os.rename(path, aside)
            return aside
    raise OSError("no free name to move the corrupt progress file to")


def _write_atomically(path: Path, data: bytes) -> None:
    """``data`` into ``path`` through a temporary file in the same directory (mode 0600)
    and ``os.replace``: a reader, or a crash, sees the old file or the new one."""
    import tempfile  # only when writing: not on the way to the first frame

    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
