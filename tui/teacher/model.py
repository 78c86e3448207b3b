"""The class as the teacher's view reads it: one line from the server, checked field by field
and made safe to show, then sorted and worded. No Textual, no Rich.

The server writes ``{"class": SNAPSHOT}`` lines on the view's channel, SNAPSHOT being
``Classroom.snapshot()`` (tui/serve/classroom.py)::

    {"learners": [{"id", "name", "connected", "lesson", "iteration", "step", "total", "phase",
                   "right_first", "answered", "revealed", "last_slip", "idle_s"}, ...],
     "slips": [{"phase", "slip", "learners"}, ...],   # most common first
     "time": UNIX_TIME,
     "hold": K | null,          # the step the class is held at (absent: none)
     "broadcast": TEXT | null}  # the teacher's message on show (absent: none)

and, once an export the view asked for is written, ``{"exported": {"csv": PATH, "markdown":
PATH}}`` (:func:`parse_exported`).

Nothing in a line is trusted: a learner's name is whatever they logged in with, a lesson's
name whatever its file says. :func:`parse_line` refuses a line that is too long, not JSON or
not of that form (None); in a snapshot it keeps, a learner or slip entry that is not of its
form is left out, a number out of range is taken as unknown, and every text is cut short with
its control characters (escape sequences, newlines, bidirectional overrides) replaced, so
nothing from the server reaches the terminal raw.
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from engine.records import PHASES
from engine.text import to_ascii
from tui.glyphs import glyphs
from tui.i18n import CATALOGUES, t
from tui.served import MAX_BROADCAST

#: The longest line the view reads (a class of a thousand learners is about 300 KB); a longer
#: one is dropped whole, however it ends.
MAX_LINE = 1 << 20
#: The most learners shown, and the most slips the panel keeps.
MAX_LEARNERS = 2000
MAX_SLIPS = 20
#: The longest texts kept (in characters, before they are cut to their column).
MAX_ID = 200
MAX_NAME = 64
MAX_TEXT = 80
#: What stands for a character that cannot be shown (a control character, an escape).
REPLACEMENT = "\ufffd"
#: Numbers out of this range are taken as unknown (counts) or 0.
MAX_COUNT = 10**9
#: The sorts, by the key that chooses each (see :func:`ordered`).
SORTS = ("name", "progress", "score", "idle")
#: Steps at or past this are no step (tui/served.py's commands take fewer).
MAX_STEP = 10**6
#: How late (seconds) an idle time shown in minutes may move on (see :func:`idle_redraw_in`).
IDLE_LATE = 10.0
#: The longest path of an export kept, and the longest ``exported`` line read.
MAX_PATH = 1024
MAX_EXPORTED_LINE = 16 * 1024


def clean(value: object, limit: int = MAX_TEXT) -> str:
    """A text from the server as it may be shown: at most ``limit`` characters, each one that
    is not printable (C0 and C1 controls, escape, DEL, bidirectional overrides, line
    separators, lone surrogates) replaced; under ``--ascii``, ASCII only. Not a string: ""."""
    if not isinstance(value, str):
        return ""
    text = "".join(c if c.isprintable() else REPLACEMENT for c in value[:limit])
    if glyphs().ascii_only:
        text = "".join(c if c.isascii() else "?" for c in to_ascii(text))
    return text


def _count(value: object) -> int | None:
    """A non-negative int below :data:`MAX_COUNT`, or None (a bool is no count)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_COUNT:
        return value
    return None


def _seconds(value: object) -> float:
    """A finite, non-negative number of seconds (anything else: 0)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
        if math.isfinite(seconds) and 0 <= seconds < MAX_COUNT:
            return seconds
    return 0.0


@dataclass(frozen=True)
class Learner:
    """One learner, every field checked: texts shown as they are here, unknowns None."""

    id: str
    """The server's key for the learner (never shown)."""
    name: str
    connected: bool
    lesson: str
    iteration: int | None
    step: int | None
    """Steps done in the iteration."""
    total: int | None
    """Steps in the iteration."""
    phase: str | None
    """The phase of the step just done: one of engine.records.PHASES, None at the start, or
    a text from a newer tutor (shown cleaned)."""
    right_first: int
    answered: int
    revealed: int
    last_slip: str | None
    idle_s: float


@dataclass(frozen=True)
class SlipCount:
    """A slip the class made: in which phase, which (engine.slips' kinds, or a pair the quiz
    words as one), and by how many learners."""

    phase: str
    slip: str
    learners: int


@dataclass(frozen=True)
class ClassSnapshot:
    """The class at one moment."""

    learners: tuple[Learner, ...]
    slips: tuple[SlipCount, ...]
    """The most common first."""
    time: float | None
    """The server's clock (unix time), if it gave a sensible one."""
    hold: int | None = None
    """The step the class is held at (none, or not a sensible step: None)."""
    broadcast: str | None = None
    """The teacher's message the learners see now, cleaned (none: None)."""

    @property
    def connected(self) -> int:
        """How many learners are connected now."""
        return sum(learner.connected for learner in self.learners)


def parse_line(line: bytes | str) -> ClassSnapshot | None:
    """One line from the server as a snapshot, or None when it is not ``{"class": ...}`` of
    the form above (too long, not JSON, nested too deep, another message)."""
    if len(line) > MAX_LINE:
        return None
    try:
        message = json.loads(line)
    except (ValueError, RecursionError, UnicodeDecodeError):
        return None
    if not isinstance(message, dict) or not isinstance(message.get("class"), dict):
        return None
    return parse_snapshot(message["class"])


def parse_snapshot(data: Mapping[str, object]) -> ClassSnapshot | None:
    """A snapshot's data, checked (None when its learners are not a list)."""
    learners = data.get("learners")
    slips = data.get("slips", [])
    if not isinstance(learners, list):
        return None
    kept: list[Learner] = []
    seen: set[str] = set()
    ascii_only = glyphs().ascii_only
    was = _parsed if _parsed[0] == ascii_only else (ascii_only, {})
    now: dict[tuple[object, ...], Learner] = {}
    for entry in learners:
        learner = _learner_again(entry, was[1], now)
        if learner is not None and learner.id not in seen:
            seen.add(learner.id)
            kept.append(learner)
            if len(kept) >= MAX_LEARNERS:
                break
    _remember((ascii_only, now))
    counts = [s for s in (_slip(entry) for entry in
                          (slips if isinstance(slips, list) else [])[:MAX_SLIPS * 10])
              if s is not None]
    counts.sort(key=lambda s: -s.learners)  # stable: the server's order among equals
    when = data.get("time")
    time = float(when) if isinstance(when, (int, float)) and not isinstance(when, bool) \
        and math.isfinite(when) and 1e9 <= when < 1e11 else None
    hold = data.get("hold")
    broadcast = data.get("broadcast")
    return ClassSnapshot(tuple(kept), tuple(counts[:MAX_SLIPS]), time,
                         hold=step_or_none(hold),
                         broadcast=clean(broadcast, MAX_BROADCAST)
                         if isinstance(broadcast, str) and broadcast else None)


def step_or_none(value: object) -> int | None:
    """A step a command may name (an int, not a bool, from 0 below :data:`MAX_STEP`), or
    None."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_STEP:
        return value
    return None


@dataclass(frozen=True)
class Exported:
    """Where the server wrote the class's records when the view asked (texts cleaned)."""

    csv: str
    markdown: str


def parse_exported(line: bytes | str) -> Exported | None:
    """One line from the server as ``{"exported": {"csv": PATH, "markdown": PATH}}``, or None
    when it is not exactly that (too long, not JSON, a path that is no text)."""
    if len(line) > MAX_EXPORTED_LINE:
        return None
    raw = line.encode("utf-8", "surrogatepass") if isinstance(line, str) else line
    if b'"exported"' not in raw:  # a snapshot, most likely: not parsed twice
        return None
    try:
        message = json.loads(raw)
    except (ValueError, RecursionError, UnicodeDecodeError):
        return None
    if not isinstance(message, dict) or set(message) != {"exported"}:
        return None
    paths = message["exported"]
    if not isinstance(paths, dict):
        return None
    csv, markdown = paths.get("csv"), paths.get("markdown")
    if not isinstance(csv, str) or not isinstance(markdown, str) or not csv or not markdown:
        return None
    return Exported(clean(csv, MAX_PATH), clean(markdown, MAX_PATH))


#: The fields of a learner's entry that stay the same while the learner rests: all but
#: ``idle_s``, which every snapshot moves on.
STILL_FIELDS = ("id", "name", "connected", "lesson", "iteration", "step", "total", "phase",
                "right_first", "answered", "revealed", "last_slip")
_still_values = operator.itemgetter(*STILL_FIELDS)
#: The learners of the last snapshot parsed, by their entries' :data:`STILL_FIELDS` (values
#: and types: ``1``, ``1.0`` and ``true`` are equal but not parsed alike), and whether they
#: were cleaned for ``--ascii``. While the class types, most learners' entries are those of
#: the snapshot before but for ``idle_s``: they are not checked and cleaned again.
_parsed: tuple[bool, dict[tuple[object, ...], Learner]] = (False, {})


def _remember(parsed: tuple[bool, dict[tuple[object, ...], Learner]]) -> None:
    """Keep the learners of the snapshot just parsed for the next one (one assignment: the
    channel's thread and a test's may parse at once, and at worst parse more again)."""
    global _parsed
    _parsed = parsed


def _learner_again(entry: object, was: dict[tuple[object, ...], Learner],
                   now: dict[tuple[object, ...], Learner]) -> Learner | None:
    """:func:`_learner`, taken from ``was`` (the last snapshot's) when only ``idle_s`` may
    differ; what is parsed goes in ``now``."""
    if not isinstance(entry, dict):
        return None
    try:
        values = _still_values(entry)
    except KeyError:  # not from Classroom.snapshot(): parsed every time
        return _learner(entry)
    key = (values, tuple(map(type, values)))
    try:
        learner = was.get(key)
    except TypeError:  # a list or a dict for a field: unhashable, and no learner's
        return _learner(entry)
    if learner is None:
        learner = _learner(entry)
    else:
        idle_s = _seconds(entry.get("idle_s"))
        if idle_s != learner.idle_s:
            learner = _idle_moved(learner, idle_s)
    if learner is not None:
        now[key] = learner
    return learner


def _idle_moved(learner: Learner, idle_s: float) -> Learner:
    """``learner`` idle for ``idle_s``: dataclasses.replace() without its checks and
    ``__init__`` (a seventh of its time; every resting learner in every snapshot takes
    this). Learner is frozen but has a ``__dict__``: its fields are copied as they are."""
    moved = object.__new__(Learner)
    fields = moved.__dict__
    fields.update(learner.__dict__)
    fields["idle_s"] = idle_s
    return moved


def _learner(entry: object) -> Learner | None:
    """One learner's entry, or None when it has no usable id."""
    if not isinstance(entry, dict):
        return None
    key = entry.get("id")
    if not isinstance(key, str) or not 0 < len(key) <= MAX_ID:
        return None
    name = entry.get("name")
    phase = entry.get("phase")
    slip = entry.get("last_slip")
    return Learner(
        id=key,
        name=clean(name if isinstance(name, str) else key, MAX_NAME),
        connected=entry.get("connected") is True,
        lesson=clean(entry.get("lesson")),
        iteration=_count(entry.get("iteration")),
        step=_count(entry.get("step")),
        total=_count(entry.get("total")),
        phase=clean(phase, 32) if isinstance(phase, str) else None,
        right_first=_count(entry.get("right_first")) or 0,
        answered=_count(entry.get("answered")) or 0,
        revealed=_count(entry.get("revealed")) or 0,
        last_slip=clean(slip) if isinstance(slip, str) and slip else None,
        idle_s=_seconds(entry.get("idle_s")),
    )


def _slip(entry: object) -> SlipCount | None:
    """One entry of the slips, or None when it is not of their form."""
    if not isinstance(entry, dict):
        return None
    phase, slip, learners = entry.get("phase"), entry.get("slip"), _count(entry.get("learners"))
    if not isinstance(phase, str) or not isinstance(slip, str) or not slip or not learners:
        return None
    return SlipCount(clean(phase, 32), clean(slip), learners)


# --- order -----------------------------------------------------------------------------------


def sort_key(sort: str, learner: Learner) -> tuple[object, ...]:
    """Where ``learner`` comes under ``sort`` (see :func:`ordered`); the name, then the id,
    break ties, so the order never flickers between equal rows."""
    tie = (learner.name.casefold(), learner.id)
    if sort == "progress":  # the furthest behind first
        done = -1.0 if learner.step is None or not learner.total else \
            min(learner.step, learner.total) / learner.total
        iteration = -1 if learner.iteration is None else learner.iteration
        return (iteration, done, *tie)
    if sort == "score":  # the lowest share right first time first; nothing answered last
        if not learner.answered:
            return (1, 0.0, *tie)
        return (0, learner.right_first / learner.answered, -learner.answered, *tie)
    if sort == "idle":  # the longest idle first
        return (-learner.idle_s, *tie)
    return tie


def ordered(learners: Iterable[Learner], sort: str, reverse: bool = False) -> list[Learner]:
    """The learners in the order of ``sort``: ``name`` A to Z, ``progress`` the furthest behind
    first, ``score`` the lowest share right first time first, ``idle`` the longest idle
    first; ``reverse`` turns it round."""
    return sorted(learners, key=lambda learner: sort_key(sort, learner), reverse=reverse)


# --- words -----------------------------------------------------------------------------------


def progress_bar(step: int | None, total: int | None, width: int) -> str:
    """``████░░``: the share of the iteration done, in ``width`` cells (``###---`` under
    ``--ascii``); empty cells only when it is not known."""
    full, empty = ("#", "-") if glyphs().ascii_only else ("█", "░")
    done = filled(step, total, width)
    return full * done + empty * (width - done)


def filled(step: int | None, total: int | None, width: int) -> int:
    """The cells of a ``width``-cell progress bar that are filled (none when not known)."""
    if step is None or not total:
        return 0
    return width * min(step, total) // total


def count_text(step: int | None, total: int | None) -> str:
    """``12/22``, or a dash when the learner's place is not known yet."""
    if step is None or total is None:
        return "–" if not glyphs().ascii_only else "-"
    return f"{step}/{total}"


def phase_name(phase: str | None) -> str:
    """A phase's short name (``update``); None: the start; another text: itself."""
    if phase is None:
        return t("teacher.phase.start")
    if phase in PHASES:
        return t(f"teacher.phase.{phase}")
    return phase


def score_text(learner: Learner) -> str:
    """``9/12``: answers right at the first try of those given; a dash before any."""
    if not learner.answered:
        return "–" if not glyphs().ascii_only else "-"
    return f"{learner.right_first}/{learner.answered}"


def idle_text(seconds: float) -> str:
    """``42s``, ``3m``, ``2h07m``, ``3d04h`` (in the language in use). Seconds only in the
    first minute: whether a learner is typing now matters to the teacher, not whether one
    idle for 3 minutes is at 3m05s or 3m12s; and a text that changes once a minute costs the
    view a redraw a minute, not one a second (:func:`idle_text_lasts`)."""
    s = int(seconds)
    if s < 60:
        return t("teacher.idle.s", s=s)
    if s < 3600:
        return t("teacher.idle.m", m=s // 60)
    if s < 86400:
        return t("teacher.idle.h", h=s // 3600, m=f"{s // 60 % 60:02d}")
    return t("teacher.idle.d", d=min(s // 86400, 999), h=f"{s // 3600 % 24:02d}")


def idle_text_lasts(seconds: float) -> float:
    """How many seconds from ``seconds`` idle until :func:`idle_text` says something else
    (more than 0, at most an hour)."""
    seconds = max(seconds, 0.0)
    unit = 1 if seconds < 60 else 60 if seconds < 86400 else 3600
    return (seconds // unit + 1) * unit - seconds


def idle_redraw_in(seconds: float) -> float:
    """How soon the idle text of a learner idle ``seconds`` must be redrawn: when it next
    changes (:func:`idle_text_lasts`), and a little later, so that one redraw serves every
    learner whose text changes meanwhile. Counting seconds, under a second late (a redraw a
    second, as a clock); in minutes, at most :data:`IDLE_LATE` late, invisible on a
    ``4m``; in hours, at most five minutes."""
    lasts = idle_text_lasts(seconds)
    seconds = max(seconds, 0.0)
    return lasts + (0.9 if seconds < 60 else IDLE_LATE if seconds < 86400 else 300.0)


def _known(key: str) -> bool:
    return key in CATALOGUES["en"]


def slip_name(slip: str) -> str:
    """A slip's short name, as the quiz words it (``+ instead of −``); a slip the quiz does
    not know: its own (cleaned) name."""
    key = f"quiz.slip.{slip}"
    return t(key) if _known(key) else slip


def slip_sentence(count: SlipCount) -> str:
    """``7 learners added α·Z·δ instead of subtracting at update steps``."""
    who = t("teacher.who.one" if count.learners == 1 else "teacher.who.many",
            count=count.learners)
    did_key = f"teacher.did.{count.slip}"
    did = t(did_key) if _known(did_key) else t("teacher.did_other", slip=slip_name(count.slip))
    if count.phase in PHASES:
        return t("teacher.slip_line", who=who, did=did,
                 where=t(f"teacher.where.{count.phase}"))
    return t("teacher.slip_line_anywhere", who=who, did=did)


def hold_text(snapshot: ClassSnapshot | None) -> str | None:
    """``held at step 7`` when the class is held, else None."""
    if snapshot is None or snapshot.hold is None:
        return None
    return t("teacher.held", step=snapshot.hold)


def header_parts(snapshot: ClassSnapshot | None, clock_text: str | None) -> list[str]:
    """The header's pieces after the title: class size, connected, the server's time."""
    if snapshot is None:
        return []
    n = len(snapshot.learners)
    parts = [t("teacher.size.one" if n == 1 else "teacher.size.many", count=n),
             t("teacher.connected", count=snapshot.connected)]
    if clock_text:
        parts.append(clock_text)
    return parts


def most_common(values: Iterable[int | None], *, largest: bool) -> int | None:
    """The value most of ``values`` have (None left out), ties going to the largest (or the
    smallest); None when there is none."""
    counts: dict[int, int] = {}
    for value in values:
        if value is not None:
            counts[value] = counts.get(value, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda v: (counts[v], v if largest else -v))


def class_total(snapshot: ClassSnapshot | None) -> int | None:
    """The steps in an iteration for most of the class (the largest among equals): the
    highest step a command names; None when no learner's is known."""
    if snapshot is None:
        return None
    return most_common((learner.total for learner in snapshot.learners), largest=True)


def class_step(snapshot: ClassSnapshot | None) -> int | None:
    """The step most of the connected learners are at (all learners when none is connected;
    the lowest among equals), or None when no place is known."""
    if snapshot is None:
        return None
    learners = [learner for learner in snapshot.learners if learner.connected] or \
        list(snapshot.learners)
    return most_common((learner.step for learner in learners), largest=False)


def sort_name(sort: str, reverse: bool) -> str:
    """``sorted by progress`` (``, reversed``)."""
    name = t(f"teacher.sorted.{sort if sort in SORTS else 'name'}")
    return t("teacher.sorted_reversed", sort=name) if reverse else name
