"""Where a line of the explanation breaks, for English and for Chinese.

Rich wraps only at spaces, so in Chinese it splits formulas at their spaces ("（δ = o −" /
"y）") and leaves closing punctuation alone at the start of a line (an orphan "）。"). This
module breaks a paragraph the way each script expects, in plain Python:

- English (no wide character): at spaces, as Rich does.
- Chinese (any wide character): between any two Chinese characters, and around the Latin runs
  (formulas, names, numbers) between them, which stay whole while they fit on a line.
- Both: kinsoku, the line-break rules of Chinese and Japanese: no line starts with closing
  punctuation (``）。，``…) and none ends with opening punctuation (``（“``…).

A piece too wide for a whole line is broken at its spaces, then anywhere, so nothing is cut.
Widths are terminal cells (a Chinese character takes two), as Rich measures them.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.cells import cell_len

#: Never the first character of a line: closing brackets and punctuation, full-width and not.
NO_START = frozenset("）】」』》〉〕〗”’。，、；：？！…%)]},.;:!?")
#: Never the last character of a line: opening brackets and quotes.
NO_END = frozenset("（【「『《〈〔〖“‘([{")

# How a token holds to the one before it: free to break, a formula's inner space (kept while
# the formula fits on a line), or a kinsoku bond (broken only inside a piece wider than a line).
FREE, FORMULA, KINSOKU = 0, 1, 2


def _wide(char: str) -> bool:
    return cell_len(char) == 2


def _tokens(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, bond)`` of each unbreakable token: a word (English), or a Chinese
    character or a Latin word (Chinese); ``bond`` says how it holds to the token before."""
    chinese = any(_wide(c) for c in text)
    tokens: list[tuple[int, int, int]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] == " ":
            i += 1
            continue
        start = i
        if chinese and _wide(text[i]):
            i += 1
        else:
            while i < n and text[i] != " " and not (chinese and _wide(text[i])):
                i += 1
        bond = FREE
        if tokens:
            prev_end = tokens[-1][1]
            if text[start] in NO_START or text[prev_end - 1] in NO_END:
                bond = KINSOKU
            elif chinese and not _wide(text[start]) and not _wide(text[prev_end - 1]):
                bond = FORMULA  # a space inside a Latin run of Chinese text
        tokens.append((start, i, bond))
    return tokens


def _groups(tokens: list[tuple[int, int, int]], level: int) -> Iterator[list[tuple[int, int, int]]]:
    """The tokens in runs held together by bonds of at least ``level``."""
    run: list[tuple[int, int, int]] = []
    for token in tokens:
        if run and token[2] < level:
            yield run
            run = []
        run.append(token)
    if run:
        yield run


class _Lines:
    """Lines being filled greedily, as ``(start, end)`` slices of one paragraph."""

    def __init__(self, text: str, width: int) -> None:
        self.text, self.width = text, max(width, 1)
        self.spans: list[tuple[int, int]] = []
        self.start: int | None = None
        self.end = 0

    def fits(self, start: int, end: int) -> bool:
        """The slice fits on the current line (joined to what it holds), or on a new one."""
        first = start if self.start is None else self.start
        return cell_len(self.text[first:end]) <= self.width

    def put(self, start: int, end: int) -> bool:
        """Add the slice to the current line, or to a new one; False when it fits neither."""
        if self.start is not None and self.fits(start, end):
            self.end = end
            return True
        if cell_len(self.text[start:end]) > self.width:
            return False
        self.close()
        self.start, self.end = start, end
        return True

    def close(self) -> None:
        if self.start is not None:
            self.spans.append((self.start, self.end))
        self.start = None

    def put_chars(self, start: int, end: int) -> None:
        """A token wider than a line: as many characters on each line as fit."""
        for i in range(start, end):
            if self.start is not None and cell_len(self.text[self.start:i + 1]) <= self.width:
                self.end = i + 1
            else:
                self.close()
                self.start, self.end = i, i + 1


def _flow(lines: _Lines, tokens: list[tuple[int, int, int]], level: int) -> None:
    """Place the runs held by bonds of at least ``level``; a run wider than a line is placed
    by its weaker bonds, then token by token, a token wider than a line by its characters."""
    for run in _groups(tokens, level):
        if lines.put(run[0][0], run[-1][1]):
            continue
        if level <= KINSOKU and len(run) > 1:
            _flow(lines, run, level + 1)
            continue
        for start, end, _ in run:
            if not lines.put(start, end):
                lines.put_chars(start, end)


def line_spans(text: str, width: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each line ``text`` (one paragraph, no newline) breaks into at
    ``width`` cells; spaces at a break are dropped. An empty paragraph is one empty line."""
    tokens = _tokens(text)
    if not tokens:
        return [(0, 0)]
    lines = _Lines(text, width)
    _flow(lines, tokens, FORMULA)
    lines.close()
    return lines.spans


def wrap(text: str, width: int) -> list[str]:
    """The lines of ``text`` (paragraphs split at newlines) at ``width`` cells."""
    return [
        paragraph[start:end]
        for paragraph in text.split("\n")
        for start, end in line_spans(paragraph, width)
    ]
