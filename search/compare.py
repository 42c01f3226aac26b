"""Side-by-side comparison of 2–6 cases or measures.

`unit_view` reads what a comparison needs from a loaded index (the unit, its document
record, its section texts); `build_comparison` is pure: views in, rows out. Rows follow
the way briefings compare places: 地区 / 做法 / 成效 / 牵头或报送单位 / 时间 / 来源.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index import facets
from index.cleaning import clean_span
from index.store import IndexData
from index.types import Citation, Unit
from search.answer import split_sentences
from search.briefing import Table

MIN_UNITS, MAX_UNITS = 2, 6
ROWS = ("地区", "做法", "成效", "牵头或报送单位", "时间", "来源")
PRACTICE_SECTIONS = re.compile(r"做法|举措|措施|主要内容|改革内容|创新")
RESULT_SECTIONS = re.compile(r"成效|效果|成果")
# A figure: a number with a unit or a percentage, the thing a briefing quotes.
FIGURE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:%|％|个|家|户|项|件|笔|天|日|小时|分钟|万|亿|元|倍|次|人|名|份|类|条|km|公里)"
    r"|[一二两三四五六七八九十百千万]+(?:个工作日|小时|天)"
)
PRACTICE_CHARS = 300  # per cell: long enough for two or three measures
MAX_FIGURES = 4


class CompareError(ValueError):
    """The comparison cannot be built; the message is for people (Chinese)."""


@dataclass(frozen=True)
class UnitView:
    """A unit with the text around it that a comparison or a briefing reads."""

    unit: Unit
    doc_title: str
    doc_region: str
    doc_date: str
    sections: tuple[tuple[str, str], ...]  # (section name, cleaned text)
    text: str  # the unit's whole cleaned text
    citation: Citation


def unit_view(data: IndexData, unit_id: str) -> UnitView:
    """The unit `unit_id` of a loaded index with its texts; unknown ids are an error."""
    unit = next((u for u in data.units if u.id == unit_id), None)
    if unit is None:
        raise CompareError(f"索引中没有编号为 {unit_id} 的条目（编号见 yingshang units）。")
    doc = next((d for d in data.documents if d.doc == unit.doc), None)
    source = data.source_text(unit.doc)
    sections = tuple((s.name, clean_span(source, s.start, s.end).text) for s in unit.sections)
    text = clean_span(source, unit.start, unit.end).text
    line_start = source.count("\n", 0, unit.start) + 1
    citation = Citation(
        doc=unit.doc,
        doc_title=doc.title if doc else unit.doc,
        unit_title=unit.title,
        section="",
        line_start=line_start,
        line_end=line_start + source.count("\n", unit.start, max(unit.start, unit.end - 1)),
        start=unit.start,
        end=unit.end,
        locator=doc.locator(unit.start, unit.end) if doc else "",
        page=unit.page,
    )
    return UnitView(
        unit,
        citation.doc_title,
        doc.region if doc else "",
        doc.date if doc else "",
        sections,
        text,
        citation,
    )


@dataclass(frozen=True)
class Comparison:
    """Rows of a side-by-side table; column n is views[n], cited as [n+1]."""

    columns: tuple[str, ...]  # unit titles
    unit_ids: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (row name, one cell per unit)
    citations: tuple[Citation, ...]

    def table(self, title: str = "案例对比") -> Table:
        header = ("项目", *self.columns)
        rows = tuple((name, *cells) for name, cells in self.rows)
        return Table(title, header, rows, self.citations)


def _without_heading(name: str, text: str) -> str:
    """Section text without its own heading ("二、主要做法" …)."""
    return re.sub(rf"^[\s\d一二三四五六七八九十（）()、.．]*{re.escape(name)}[：:。]?\s*", "", text)


def _section_text(view: UnitView, pattern: re.Pattern) -> str:
    return "".join(
        _without_heading(name, text) for name, text in view.sections if pattern.search(name)
    )


def _clip(text: str, limit: int) -> str:
    """Whole sentences up to `limit` characters (at least one)."""
    out = ""
    for sentence in split_sentences(text):
        if out and len(out) + len(sentence) > limit:
            break
        out += sentence
    return out or text[:limit]


def practice(view: UnitView) -> str:
    """做法: the practice section, else the highlights, else the unit's opening text."""
    u = view.unit
    text = _section_text(view, PRACTICE_SECTIONS) or u.highlights
    if not text and u.kind == "measure":
        text = "；".join(x for x in (u.direction, view.text) if x)
    body = text or view.text
    if body.startswith(u.title):
        body = body[len(u.title) :].lstrip("：:，, \n")
    return _clip(body, PRACTICE_CHARS)


def figures(view: UnitView) -> str:
    """成效: sentences with figures from the results section, else from the whole text."""
    for text in (_section_text(view, RESULT_SECTIONS), view.text):
        # The unit's own heading block (title, 指标名称 …) is not a result.
        found = [s for s in split_sentences(text) if FIGURE.search(s) and view.unit.title not in s]
        if found:
            return "\n".join(found[:MAX_FIGURES])
    return _section_text(view, RESULT_SECTIONS)[:PRACTICE_CHARS] or "（未载明）"


def units_responsible(view: UnitView) -> str:
    lead = facets.expand_lead_units(view.unit.lead_units)
    return "、".join(lead) or view.unit.org or "（未载明）"


def period(view: UnitView) -> str:
    parts = [f"完成时限 {view.unit.deadline}" if view.unit.deadline else "", view.doc_date]
    return "；".join(p for p in parts if p) or "（未载明）"


def source(view: UnitView, n: int) -> str:
    number = f"第{view.unit.number}项 " if view.unit.number else ""
    return f"《{view.doc_title}》{number}{view.unit.title}[{n}]"


def build_comparison(views: Sequence[UnitView]) -> Comparison:
    """The comparison table of 2–6 units (pure)."""
    if not MIN_UNITS <= len(views) <= MAX_UNITS:
        raise CompareError(
            f"请选择 {MIN_UNITS}–{MAX_UNITS} 个案例或措施进行对比（当前 {len(views)} 个）。"
        )
    regions = [facets.effective_region(v.unit, None) or v.doc_region or "（未载明）" for v in views]
    rows = (
        ("地区", tuple(regions)),
        ("做法", tuple(practice(v) for v in views)),
        ("成效", tuple(figures(v) for v in views)),
        ("牵头或报送单位", tuple(units_responsible(v) for v in views)),
        ("时间", tuple(period(v) for v in views)),
        ("来源", tuple(source(v, n) for n, v in enumerate(views, 1))),
    )
    return Comparison(
        columns=tuple(v.unit.title for v in views),
        unit_ids=tuple(v.unit.id for v in views),
        rows=rows,
        citations=tuple(v.citation for v in views),
    )
