"""Where a span of a PDF or Word document lies, in the words its reader can check.

Line numbers of the extracted text mean nothing to someone who opens the original file:
a PDF reader shows pages, and in a .docx a paragraph with soft line breaks is several lines
of our text. So the reader (index.reading) records where each PDF page, each non-empty
Word body paragraph and each row of a top-level Word table starts in the source text, and
`Locations.describe` turns a source span into "第2页", "第12–13段" or "表1第3行".

Offsets are character offsets into the document's source text (see index.types).
Text formats (.txt/.md/.html) have no locations: their citations keep line numbers.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True)
class Locations:
    """Start offsets of the parts a reader counts; all empty for text formats."""

    pages: tuple[int, ...] = ()  # PDF: where page n+1 starts
    paragraphs: tuple[int, ...] = ()  # Word: where the (n+1)-th non-empty body paragraph starts
    # Word: (start, table number, row number), both 1-based; rows counted as in the table,
    # empty ones included, so "表1第3行" is the third row a reader sees.
    table_rows: tuple[tuple[int, int, int], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.pages or self.paragraphs or self.table_rows)

    def describe(self, start: int, end: int) -> str:
        """ "第2页", "第2–3页", "第12段", "第12–14段", "表1第3–4行" or "第5段至表1第2行"
        for the source span [start, end); "" when nothing is recorded."""
        last = max(start, end - 1)
        if self.pages:
            first_page = bisect.bisect_right(self.pages, start)
            last_page = bisect.bisect_right(self.pages, last)
            if first_page == 0:
                return ""
            return _range(first_page, last_page, "第{}页", "第{}–{}页")
        a, b = self._block(start), self._block(last)
        if a is None:
            return ""
        if b is None or b == a:
            return _block_label(a)
        if a[0] == b[0] == "段":
            return _range(a[1], b[1], "第{}段", "第{}–{}段")
        if a[0] == "表" and b[0] == "表" and a[1] == b[1]:
            return f"表{a[1]}" + _range(a[2], b[2], "第{}行", "第{}–{}行")
        return f"{_block_label(a)}至{_block_label(b)}"

    def _block(self, pos: int) -> tuple[str, int, int] | None:
        """("段", n, 0) or ("表", table, row) for the Word block holding `pos`."""
        p = bisect.bisect_right(self.paragraphs, pos)
        r = bisect.bisect_right(self.table_rows, (pos, float("inf"), 0))
        p_start = self.paragraphs[p - 1] if p else -1
        r_start = self.table_rows[r - 1][0] if r else -1
        if p_start < 0 and r_start < 0:
            return None
        if p_start >= r_start:
            return ("段", p, 0)
        _, table, row = self.table_rows[r - 1]
        return ("表", table, row)

    def to_json(self) -> dict:
        return {
            "pages": list(self.pages),
            "paragraphs": list(self.paragraphs),
            "table_rows": [list(r) for r in self.table_rows],
        }

    @classmethod
    def from_json(cls, data: dict | None) -> Locations:
        data = data or {}
        return cls(
            pages=tuple(int(x) for x in data.get("pages", ())),
            paragraphs=tuple(int(x) for x in data.get("paragraphs", ())),
            table_rows=tuple(tuple(int(x) for x in r) for r in data.get("table_rows", ())),
        )


def _range(a: int, b: int, one: str, many: str) -> str:
    return one.format(a) if a == b else many.format(a, b)


def _block_label(block: tuple[str, int, int]) -> str:
    kind, n, row = block
    return f"第{n}段" if kind == "段" else f"表{n}第{row}行"
