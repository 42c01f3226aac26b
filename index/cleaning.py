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
# A paragraph break (blank line) is real unless it cuts a sentence: PDF extraction turns a
# page break inside a sentence into a blank line ("…，即咨询" / "立案便捷化、…").
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_CLOSED_LINE_END = _HARD_LINE_END + "…" + CLOSERS  # a paragraph ending so is complete
_CLAUSE_MARKS = re.compile(r"[，,、]")
_COMMAS = re.compile(r"[，,]")
_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "(": ")", "【": "】", "《": "》"}
# "报送单位：…", "指标名称：…": a field label opening a line starts a new field.
_FIELD_LABEL = re.compile(r"[\u4e00-\u9fff]{2,8}[：:]")
_HEADING_CHARS = 40  # headings and titles are at most this long
# A shorter clause ("同时，") says nothing about the text: a heading's clauses are phrases.
MIN_CLAUSE = 4


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


def _unclosed(line: str) -> list[str]:
    """Closers that `line` leaves owed: brackets and quotes opened but not closed in it."""
    return [close for open_, close in _PAIRS.items() if line.count(open_) > line.count(close)]


def reads_as_heading(line: str) -> bool:
    """Does this paragraph read as a heading or title rather than a piece of a sentence?

    After its number, if any: at most `_HEADING_CHARS` characters, no sentence mark, every
    bracket closed, and at most two clauses, both phrases of some length
    ("构建全方位服务体系，从政务服务向公共服务转变"; not "同时，重庆在全国率先建立…").
    """
    m = HEADING_START.match(line)
    body = (line[m.end() :] if m else line).strip()
    if not body or len(body) > _HEADING_CHARS or _unclosed(body):
        return False
    if any(mark in body for mark in SENTENCE_END_MARKS):
        return False
    clauses = _COMMAS.split(body)
    return len(clauses) == 1 or (
        len(clauses) == 2 and all(len(c.strip()) >= MIN_CLAUSE for c in clauses)
    )


def _starts_block(line: str) -> bool:
    """Does this paragraph start something new: a heading, a numbered item, a field label,
    a title or a table row?"""
    return bool(
        HEADING_START.match(line)
        or _FIELD_LABEL.match(line)
        or "\t" in line
        or reads_as_heading(line)
    )


def _reads_as_prose(line: str) -> bool:
    """Running prose: clauses, sentences or an open quote, and not a heading, title, field
    label or table row."""
    if "\t" in line or _FIELD_LABEL.match(line) or reads_as_heading(line):
        return False
    inner = line[:-1]  # a sentence mark inside means several sentences
    return bool(
        _CLAUSE_MARKS.search(line)
        or any(mark in inner for mark in SENTENCE_END_MARKS)
        or _unclosed(line)
    )


def continues_sentence(prev_para: str, next_para: str) -> bool:
    """Is the paragraph break between these two paragraphs inside a sentence (a page break
    of the PDF) rather than real?

    The paragraph before must end without a sentence mark, colon, ellipsis or closing
    quote; the one after must not start a heading, numbered item, field label, title or
    table row — unless it closes a quote or bracket left open before ("《广西提质" /
    "增效…若干措施》实施方案"). Then the break is inside a sentence when the paragraph
    before ends at a clause mark or reads as running prose.
    """
    prev, nxt = prev_para.strip(), next_para.strip()
    if not prev or not nxt or prev[-1] in _CLOSED_LINE_END:
        return False
    if any(close in nxt for close in _unclosed(prev)) and not HEADING_START.match(nxt):
        return True
    if _starts_block(nxt):
        return False
    return prev[-1] in "，,、" or _reads_as_prose(prev)


def _blank_between(text: str, a: int, b: int, dropped: Sequence[tuple[int, int]]) -> bool:
    """Is there a blank line in text[a:b] outside the dropped spans? A dropped span
    (a page number) counts as text, so lines around it are not taken for a blank line."""
    pieces, pos = [], a
    for s, e in _segments(a, b, dropped):
        if s > pos:
            pieces.append("x")
        pieces.append(text[s:e])
        pos = e
    if pos < b:
        pieces.append("x")
    return bool(_BLANK_LINE.search("".join(pieces)))


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


# A paragraph or line-break tag an extraction left between two pieces of text (dropped as
# furniture, `index.structure`): "</p> <p>", "<br>", "<br/>", "</div><div>".
_PARAGRAPH_TAG = re.compile(r"</?(?:p|div)\s*>|<br\s*/?>", re.IGNORECASE)


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
            if _PARAGRAPH_TAG.search(text, prev[1], a):
                # "…崇左市4%）</p> <p>完成每千人口…": the extraction's paragraph tag (dropped)
                # ends a paragraph, so the next task's sentence does not run on from the run.
                hard = True
            elif _blank_between(text, prev[1], a, dropped):
                hard = not continues_sentence(prev_line, line)
            else:
                hard = is_hard_break(prev_line, line)
            if hard:
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
