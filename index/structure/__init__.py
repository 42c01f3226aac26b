"""Structure parsing: find the cases and measures of a document.

Each layout parser lives in its own module and exposes `PARSERS`, a list of functions
`parse(text: str, doc: str) -> ParsedDocument | None` that return None when the text does
not have their layout. `parse_document` tries them in order — the seed case layouts, the
measures layouts, then cases of any other layout recognised by their part headings
(案例背景 / 主要做法 / 取得成效 …) — and falls back to the generic parser (numbered headings,
then paragraphs). Whatever text no unit covers becomes a
`section` unit, so nothing is dropped silently; only spans listed in `dropped` (page
furniture) are left out.
"""

from __future__ import annotations

import dataclasses
import re

from index.structure import cases, generic, measures, sectioned_cases
from index.types import ParsedDocument, Unit

_LAYOUT_PARSERS = [*cases.PARSERS, *measures.PARSERS, *sectioned_cases.PARSERS]
_BLANK = re.compile(r"\s*")
# "…崇左市2%）</p> <p>完成每千人口…": paragraph tags an extraction left in a plain-text
# document. They are dropped like page numbers, so passages, search results and answers never
# show them, while offsets still point into the untouched source.
_MARKUP_TAG = re.compile(r"</?(?:p|br|div|span)\s*/?>", re.IGNORECASE)


def parse_document(text: str, doc: str, doc_key: str) -> ParsedDocument:
    """Parse `text` (the document's source text) into units with stable ids."""
    parsed = None
    for parser in _LAYOUT_PARSERS:
        parsed = parser(text, doc)
        if parsed is not None:
            break
    if parsed is None:
        parsed = generic.parse(text, doc)
    parsed = _drop_markup(text, parsed)
    units = _fill_gaps(text, doc, list(parsed.units), parsed.dropped)
    return dataclasses.replace(parsed, units=tuple(_renumber(units, doc_key)))


def _drop_markup(text: str, parsed: ParsedDocument) -> ParsedDocument:
    """`parsed` with the text's paragraph tags among its dropped spans."""
    tags = tuple((m.start(), m.end()) for m in _MARKUP_TAG.finditer(text))
    if not tags:
        return parsed
    return dataclasses.replace(parsed, dropped=tuple(sorted(parsed.dropped + tags)))


def _renumber(units: list[Unit], doc_key: str) -> list[Unit]:
    counts: dict[str, int] = {}
    out = []
    for unit in units:
        counts[unit.kind] = counts.get(unit.kind, 0) + 1
        uid = f"{doc_key}#{unit.kind}{counts[unit.kind]:03d}"
        out.append(dataclasses.replace(unit, id=uid))
    return out


def _fill_gaps(
    text: str, doc: str, units: list[Unit], dropped: tuple[tuple[int, int], ...]
) -> list[Unit]:
    """Turn text between units that is not page furniture into generic section units."""
    units = sorted(units, key=lambda u: u.start)
    covered = sorted([(u.start, u.end) for u in units] + list(dropped))
    gaps, pos = [], 0
    for start, end in covered:
        if start > pos:
            gaps.append((pos, start))
        pos = max(pos, end)
    if pos < len(text):
        gaps.append((pos, len(text)))
    extra = []
    for start, end in gaps:
        if _BLANK.fullmatch(text, start, end):
            continue
        for unit in generic.parse_span(text, doc, start, end):
            extra.append(unit)
    return sorted(units + extra, key=lambda u: u.start)
