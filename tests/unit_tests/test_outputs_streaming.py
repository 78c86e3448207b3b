"""``print`` writes its transcript as it makes it, a step at a time, in all three formats.

A large lesson (11 layers of 64 units, 4096 samples in a batch) has millions of steps and a
transcript of gigabytes: built whole, it would not fit in memory. These tests hold ``print``
to writing each part before the next is made, and to the very bytes it wrote when it built the
transcript whole (the JSON as ``json.dumps(…, indent=2)`` lays it out, the text tables as one
Rich table each, however many chunks they are printed in).
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import sys
import tracemalloc
from collections.abc import Callable, Iterator, Sequence

import pytest
from rich.console import Console

import engine.walkthrough
import tui.transcript as transcript
from engine import Walkthrough, builtin, walk
from engine.records import Step
from tui.cli import main
from tui.errata import all_notes
from tui.i18n import language, set_language

BUILTINS = ("article", "article-corrected", "xor-sigmoid")


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wide, colourless console, whatever the environment running the tests says."""
    monkeypatch.setenv("COLUMNS", "250")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(params=["en", "zh"])
def lang(request: pytest.FixtureRequest) -> Iterator[str]:
    before = language()
    set_language(request.param)
    yield request.param
    set_language(before)


class Watched(Sequence[Step]):
    """A walkthrough's steps that keep, once armed, what had been written when the last step
    was first made."""

    def __init__(self, steps: Sequence[Step], written: Callable[[], str]) -> None:
        self.steps = steps
        self.written = written
        self.armed = False
        self.at_last: str | None = None

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, k):  # type: ignore[no-untyped-def, override]
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        if self.armed and self.at_last is None and k % len(self) == len(self) - 1:
            self.at_last = self.written()
        return self.steps[k]


class Repeated(Sequence[Step]):
    """A lesson's steps over and over, renumbered: a long walkthrough made on demand."""

    def __init__(self, steps: Sequence[Step], count: int) -> None:
        self.steps = steps
        self.count = count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, k):  # type: ignore[no-untyped-def, override]
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        if not -self.count <= k < self.count:
            raise IndexError(k)
        k %= self.count
        return dataclasses.replace(self.steps[k % len(self.steps)], index=k)


def print_with(monkeypatch: pytest.MonkeyPatch, w: Walkthrough, out: io.TextIOBase,
               *args: str) -> None:
    """``backprop-tutor print ARGS`` on the walkthrough ``w``, writing to ``out``: the first
    walk asked for (the command's own) is ``w``, any other (the errata's) a real one."""
    real_walk = engine.walkthrough.walk
    pending = [w]

    def first_walk(scenario, *args, **kwargs):  # type: ignore[no-untyped-def]
        return pending.pop() if pending else real_walk(scenario, *args, **kwargs)

    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(engine.walkthrough, "walk", first_walk)
    assert main(["print", *args]) == 0
    assert not pending


# --- written as made --------------------------------------------------------------------------


@pytest.mark.parametrize("output_format", ["json", "markdown", "text"])
@pytest.mark.parametrize("name", ["article", "xor-sigmoid"])
def test_print_writes_the_first_steps_before_the_last_is_made(
        monkeypatch: pytest.MonkeyPatch, name: str, output_format: str) -> None:
    """Before this was fixed the whole transcript was built first and printed at the end:
    nothing was written when the last step was made."""
    out = io.StringIO()
    w = walk(builtin(name))
    steps = Watched(w.steps, out.getvalue)
    watched = dataclasses.replace(w, steps=steps)
    assert watched.finite  # worked out now (some versions read every step for it)
    steps.armed = True
    print_with(monkeypatch, watched, out, "--scenario", name, "--format", output_format)
    first = w.steps[0]
    assert steps.at_last is not None
    assert first.substituted in steps.at_last
    assert first.substituted in out.getvalue()


def test_print_json_memory_does_not_grow_with_the_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """40,000 steps of JSON (about 12 MB) are written with well under 4 MB in use; built
    whole, they took about 30 times that."""
    w = walk(builtin("xor-sigmoid"))
    print_with(monkeypatch, w, io.StringIO(), "--format", "json")  # imports done beforehand
    long = dataclasses.replace(w, steps=Repeated(w.steps, 40_000))
    assert long.finite
    with open(os.devnull, "w", encoding="utf-8") as sink:
        tracemalloc.start()
        try:
            print_with(monkeypatch, long, sink, "--format", "json")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 4 * 1024 * 1024, peak


# --- the same bytes as the transcript built whole ---------------------------------------------


@pytest.mark.parametrize("ascii_only", [False, True])
@pytest.mark.parametrize("name", BUILTINS)
def test_json_is_laid_out_as_json_dumps_lays_out_the_whole(lang: str, name: str,
                                                           ascii_only: bool) -> None:
    w = walk(builtin(name))
    whole = {
        **w.to_dict(),
        "warnings": transcript.warnings_for(w),
        "notes": [{"step": None if k < 0 else k, "id": n.id, "title": n.title, "text": n.text}
                  for k, n in all_notes(w)],
    }
    out = io.StringIO()
    transcript.write_json(w, out, ascii_only)
    assert out.getvalue() == json.dumps(whole, indent=2, ensure_ascii=ascii_only,
                                        allow_nan=False) + "\n"


@pytest.mark.parametrize("whole", [{}, {"a": []}, {"a": {}, "b": [{"c": [1]}, "d"], "e": "f"}])
def test_json_object_edge_cases(whole: dict) -> None:
    """Empty objects and arrays, strings, and arrays given as iterators."""
    out = io.StringIO()
    parts = [(k, iter(v) if isinstance(v, list) else v) for k, v in whole.items()]
    transcript.write_json_object(out, parts)
    assert out.getvalue() == json.dumps(whole, indent=2) + "\n"


def rich_text(w: Walkthrough, width: int, ascii_only: bool, color: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, highlight=False, force_terminal=color,
                      color_system="truecolor" if color else None)
    transcript.render_text(w, console, ascii_only)
    return buffer.getvalue()


@pytest.mark.parametrize("chunk_chars", [1, 200])
@pytest.mark.parametrize(("width", "ascii_only", "color"),
                         [(200, False, False), (60, True, False), (80, False, True)])
@pytest.mark.parametrize("name", ["article", "xor-sigmoid"])
def test_text_in_chunks_is_the_one_table(monkeypatch: pytest.MonkeyPatch, lang: str, name: str,
                                         width: int, ascii_only: bool, color: bool,
                                         chunk_chars: int) -> None:
    """A section printed in chunks of a row or a few reads as the one table it was: same
    column widths, no border between chunks, colours included."""
    w = walk(builtin(name))
    whole = rich_text(w, width, ascii_only, color)
    monkeypatch.setattr(transcript, "CHUNK_CHARS", chunk_chars)
    assert rich_text(w, width, ascii_only, color) == whole
