"""Offset-preserving cleaning of PDF-extracted Chinese text.

Cleaning only ever *deletes* source characters (page furniture, line breaks inside a
sentence, spaces between Chinese characters such as "2023 年 12 月") or collapses a
whitespace run into one space or one line break. So every non-whitespace character of
the cleaned text is a source character, in order, and `CleanText.source_pos` maps it back.

The documented normalisation (what tests check): for a passage with source span
[start, end), removing all whitespace from the passage text gives the same string as
removing all whitespace and all dropped furniture spans from source[start:end].
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Lines that start a new heading or list item: a line break before them is real.
HEADING_START = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[章节条部分篇]"
    r"|[一二三四五六七八九十百]+[、．.]"
    r"|[（(][一二三四五六七八九十百\d]+[）)]"
    r"|\d{1,3}[、．.](?!\d)"
    r"|[①-⑳]"
    r"|编号|附件|附表)"
)
# The marks that end a sentence, and the closing quotes/brackets that may follow them: the
# one definition every sentence splitter (chunking, answers, similar cases, the structure
# parsers) builds on.
SENTENCE_END_MARKS = "。！？!?；;"
CLOSERS = "”’」』）)】》\"'"
# A sentence: text up to its end marks (plus closers), up to a line break, or to the end.
SENTENCE = re.compile(rf"[^{SENTENCE_END_MARKS}\n]*(?:[{SENTENCE_END_MARKS}]+[{CLOSERS}]*|\n|$)")
# A line ending in one of these (a sentence end or a colon) makes the break after it real.
_HARD_LINE_END = SENTENCE_END_MARKS + "：:"
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_WS_RUN = re.compile(r"\s+")


@dataclass(frozen=True)
class CleanText:
    """Cleaned text plus the source position of each run of kept characters."""

    text: str
    run_starts: tuple[int, ...]  # clean index where each run starts
    run_sources: tuple[int, ...]  # source index of that run's first character

    def source_pos(self, i: int) -> int:
        """Source index of clean character i."""
        r = bisect.bisect_right(self.run_starts, i) - 1
        return self.run_sources[r] + (i - self.run_starts[r])

    def source_span(self, a: int, b: int) -> tuple[int, int]:
        """Source span [start, end) covering clean characters a..b-1."""
        return self.source_pos(a), self.source_pos(b - 1) + 1


class _Builder:
    """Accumulates kept pieces; a piece is a verbatim source slice or one whitespace char."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.sources: list[int] = []
        self.length = 0

    def keep(self, source: str, a: int, b: int) -> None:
        if b > a:
            self._push(source[a:b], a)

    def put(self, char: str, source_pos: int) -> None:
        self._push(char, source_pos)

    def _push(self, piece: str, source_pos: int) -> None:
        self.parts.append(piece)
        self.starts.append(self.length)
        self.sources.append(source_pos)
        self.length += len(piece)

    def last_char(self) -> str:
        return self.parts[-1][-1] if self.parts else ""

    def result(self) -> CleanText:
        return CleanText("".join(self.parts), tuple(self.starts), tuple(self.sources))


def is_cjk(char: str) -> bool:
    return bool(char) and bool(_CJK.match(char))


def _segments(start: int, end: int, dropped: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """[start, end) minus the dropped spans."""
    segs, pos = [], start
    for a, b in sorted(dropped):
        if b <= pos or a >= end:
            continue
        if a > pos:
            segs.append((pos, a))
        pos = max(pos, b)
    if pos < end:
        segs.append((pos, end))
    return segs


def _lines(text: str, segments: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-blank lines inside the segments, as stripped (start, end) source spans."""
    out = []
    for a, b in segments:
        pos = a
        while pos < b:
            nl = text.find("\n", pos, b)
            stop = b if nl < 0 else nl
            ls, le = pos, stop
            while ls < le and text[ls].isspace():
                ls += 1
            while le > ls and text[le - 1].isspace():
                le -= 1
            if le > ls:
                out.append((ls, le))
            pos = stop + 1
    return out


def _is_heading_line(line: str) -> bool:
    return bool(HEADING_START.match(line)) and len(line) <= 40 and "。" not in line


def is_hard_break(prev_line: str, next_line: str) -> bool:
    """Is the line break between these two lines real (not a PDF wrap inside a sentence)?"""
    tail = prev_line.rstrip(CLOSERS) or prev_line
    if tail[-1] in _HARD_LINE_END:
        return True
    return bool(HEADING_START.match(next_line)) or _is_heading_line(prev_line)


def _keep_line(builder: _Builder, text: str, a: int, b: int) -> None:
    """Keep a line, deleting whitespace next to CJK characters and collapsing the rest."""
    pos = a
    for m in _WS_RUN.finditer(text, a, b):
        builder.keep(text, pos, m.start())
        before, after = text[m.start() - 1], text[m.end()]
        if not (is_cjk(before) or is_cjk(after)):
            builder.put(" ", m.start())
        pos = m.end()
    builder.keep(text, pos, b)


def clean_span(
    text: str, start: int = 0, end: int | None = None, dropped: Sequence[tuple[int, int]] = ()
) -> CleanText:
    """Clean text[start:end], skipping dropped spans; line breaks kept only where real."""
    end = len(text) if end is None else end
    builder = _Builder()
    prev: tuple[int, int] | None = None
    for a, b in _lines(text, _segments(start, end, dropped)):
        if prev is not None:
            prev_line, line = text[prev[0] : prev[1]], text[a:b]
            if is_hard_break(prev_line, line):
                builder.put("\n", prev[1])
            elif not (is_cjk(builder.last_char()) or is_cjk(text[a])):
                builder.put(" ", prev[1])
        _keep_line(builder, text, a, b)
        prev = (a, b)
    return builder.result()


def clean_inline(text: str) -> str:
    """One-line cleaned form of a short string (titles, field values)."""
    return clean_span(text).text.replace("\n", "")


def strip_ws(text: str) -> str:
    return re.sub(r"\s+", "", text)


class LineIndex:
    """Maps source offsets to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(self, pos: int) -> int:
        return bisect.bisect_right(self._starts, pos)
