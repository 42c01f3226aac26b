"""Sentence-aligned chunking of units into passages with exact source citations."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from index.cleaning import SENTENCE, CleanText, LineIndex, clean_span
from index.types import Passage, Unit

# Where an over-long sentence may be cut: after a comma-like mark.
_CLAUSE = re.compile(r"[^，,、：:]*(?:[，,、：:]|$)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Spans of sentences in cleaned text; whitespace-only pieces are skipped."""
    spans = []
    for m in SENTENCE.finditer(text):
        a, b = m.span()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
    return spans


def _split_long(text: str, a: int, b: int, limit: int) -> list[tuple[int, int]]:
    """Cut a sentence longer than `limit` at clause marks, else hard every `limit` chars."""
    pieces: list[tuple[int, int]] = []
    start = a
    for m in _CLAUSE.finditer(text, a, b):
        if m.end() - start > limit and m.start() > start:
            pieces.append((start, m.start()))
            start = m.start()
        if m.end() >= b:
            break
    pieces.append((start, b))
    out = []
    for pa, pb in pieces:
        out.extend((i, min(i + limit, pb)) for i in range(pa, pb, limit))
    return out


def chunk_spans(text: str, target: int = 300, max_len: int = 400) -> list[tuple[int, int]]:
    """Group sentences into chunks of about `target` chars, never over `max_len`.

    A chunk is cut inside a sentence only when that sentence alone exceeds `max_len`.
    """
    units: list[tuple[int, int]] = []
    for a, b in sentence_spans(text):
        units.extend(_split_long(text, a, b, max_len) if b - a > max_len else [(a, b)])
    chunks: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    for a, b in units:
        if cur is None:
            cur = (a, b)
        elif b - cur[0] <= max_len and cur[1] - cur[0] < target:
            cur = (cur[0], b)
        else:
            chunks.append(cur)
            cur = (a, b)
    if cur is not None:
        # A short tail joins the previous chunk when that stays within max_len.
        if chunks and cur[1] - cur[0] < target // 3 and cur[1] - chunks[-1][0] <= max_len:
            chunks[-1] = (chunks[-1][0], cur[1])
        else:
            chunks.append(cur)
    return chunks


def _section_name(unit: Unit, pos: int) -> str:
    starts = [s.start for s in unit.sections]
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and unit.sections[i].start <= pos < unit.sections[i].end:
        return unit.sections[i].name
    return unit.title


def chunk_unit(
    source: str,
    unit: Unit,
    dropped: Sequence[tuple[int, int]],
    lines: LineIndex,
    target: int = 300,
    max_len: int = 400,
) -> list[Passage]:
    """Passages of one unit, each with its exact source span and line range."""
    clean: CleanText = clean_span(source, unit.start, unit.end, dropped)
    passages = []
    for n, (a, b) in enumerate(chunk_spans(clean.text, target, max_len), start=1):
        start, end = clean.source_span(a, b)
        passages.append(
            Passage(
                id=f"{unit.id}/p{n}",
                doc=unit.doc,
                unit_id=unit.id,
                section=_section_name(unit, start),
                text=clean.text[a:b],
                start=start,
                end=end,
                line_start=lines.line_of(start),
                line_end=lines.line_of(end - 1),
            )
        )
    return passages
