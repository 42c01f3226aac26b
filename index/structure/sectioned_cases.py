"""Case documents of any other layout, recognised by their case-part headings.

The seed collections have parsers of their own (`index.structure.cases`). Cases users add
later — one case uploaded as a .txt file, or this year's 典型案例 collection — often follow
none of those layouts, yet still split every case into the usual parts:

    灵山县荔枝产业“一码通”服务案例      ← the case title: the line(s) before its first part
    报送单位：灵山县农业农村局           ← optional label (报送单位 / 供稿单位 / 来源 …)
    一、案例背景                         ← also "（一）案例背景", "【案例背景】", "案例背景："
    二、主要做法
    三、取得成效

Each part heading has a kind (background, practice, results, lessons, highlights). A case is
a run of part headings: a kind seen again in the run, a part numbered 1 after others, or a
title line right above a part once the run has two kinds starts the next case. A document is
claimed only when at least half of its cases (and at least one) have parts of two different
kinds, so a policy text with numbered headings stays with the measures or generic parser.
The dispatcher tries this parser after all the others. Lines, places (the place chain),
units, indicators and page furniture are found with the helpers of `index.structure.common`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from index.structure.common import (
    FIELD_LABEL,
    LONE_NUMBER,
    TOC_ENTRY,
    Line,
    Place,
    case_place,
    cn_number,
    ends_sentence,
    finish_collection,
    guess_indicator,
    heading_name,
    join_lines,
    last_end,
    next_nonblank,
    one_line,
    own_province,
    part_spans,
    prev_nonblank,
    short_title,
    split_lines,
    title_actor,
)
from index.types import ParsedDocument, Span, Unit

LAYOUT = "cases:sections"

# Part names by kind; the printed name is kept as the section name.
_KINDS: dict[str, tuple[str, ...]] = {
    "background": (
        "案例背景", "基本情况", "背景情况", "背景介绍", "案例简介", "案例概述", "改革背景",
        "工作背景",
    ),
    "practice": (
        "主要做法", "具体做法", "经验做法", "创新做法", "典型做法", "工作做法", "工作举措",
        "主要举措", "改革举措", "创新举措",
    ),
    "results": (
        "主要成效", "取得成效", "工作成效", "实施成效", "改革成效", "应用成效", "成效",
    ),
    "lessons": ("经验启示", "经验总结", "启示", "推广价值", "典型意义"),
    "highlights": (
        "案例特色或亮点", "案例亮点", "特色亮点", "创新亮点", "主要亮点", "案例特色", "亮点",
        "特色",
    ),
}  # fmt: skip
_KIND_OF = {name: kind for kind, names in _KINDS.items() for name in names}
_NAMES = "|".join(sorted(_KIND_OF, key=len, reverse=True))
_CN = "一二三四五六七八九十"
# Numbering styles of part headings, each with a pattern for any heading of that style.
_STYLES: dict[str, re.Pattern[str]] = {
    "cn": re.compile(rf"^(?P<value>[{_CN}]{{1,3}})\s*[、.．]\s*(?P<rest>\S.*)$"),
    "paren": re.compile(rf"^[（(]\s*(?P<value>[{_CN}\d]{{1,3}})\s*[）)]\s*(?P<rest>\S.*)$"),
    "arabic": re.compile(r"^(?P<value>\d{1,2})\s*[、.．]\s*(?P<rest>[^\d\s.．].*)$"),
}
# A part heading: optional Markdown mark and number, then the name in 【】/〔〕/[] (text may
# follow) or the bare name alone on its line or followed by a colon.
_PART = re.compile(
    rf"^(?:#{{1,6}}\s*)?(?:(?P<cn>[{_CN}]{{1,3}}\s*[、.．])|(?P<paren>[（(]\s*[{_CN}\d]{{1,3}}\s*[）)])"
    r"|(?P<arabic>\d{1,2}\s*[、.．]))?\s*"
    rf"(?:[【〔\[]\s*(?P<boxed>{_NAMES})\s*[】〕\]]\s*[：:]?|(?P<name>{_NAMES})\s*(?:[：:]|$))"
)
# "报送单位：灵山县农业农村局", "（供稿单位：…）", "来源：…", Markdown "**报送单位**：…".
_LABEL = re.compile(
    r"^[（(【\[]?[*\s]*(?:报送单位|供稿单位|申报单位|推荐单位|供稿|信息来源|来源)[*\s]*[：:][*\s]*"
    r"(?P<value>[^）)】\]]+?)\s*[）)】\]]?$"
)
# A case number on its own line: "案例一", "【案例2】", "编号3：".
_NUMBER_LINE = re.compile(
    rf"^[【\[]?\s*(?:案例|编号)\s*(?P<num>[{_CN}\d]{{1,3}})\s*[】\]]?\s*[：:]?$"
)
# A number in front of a title: "1.", "一、", "（一）", "案例一：".
_TITLE_NUMBER = re.compile(
    rf"^(?:案例\s*(?P<a>[{_CN}\d]{{1,3}})\s*[：:、.．\s]|(?P<b>[{_CN}]{{1,3}})\s*[、.．]"
    rf"|[（(]\s*(?P<c>[{_CN}\d]{{1,3}})\s*[）)]|(?P<d>\d{{1,3}})\s*[、.．](?!\d))\s*"
)
_MD_HEADING = re.compile(r"^#{1,6}\s*")
# Top line of a title block that names the whole collection, not the case.
_COLLECTION = re.compile(r"案例(?:汇编|选编|集)|(?:典型|优秀|示范|先进|创新)案例$")
_MAX_TITLE_LINES = 3
_MAX_TITLE_CHARS = 50
_MAX_LEAD_LINES = 8  # lines of an introductory paragraph between a title and the first part


@dataclass(frozen=True)
class _Part:
    line: int  # index into the lines
    start: int  # offset of the heading line
    kind: str
    name: str  # as printed, without number or brackets
    style: str  # numbering style ("cn", "paren", "arabic") or "" when unnumbered
    value: int  # printed number, 0 when unnumbered
    body: int  # offset where the part's own text starts (after the heading)


@dataclass(frozen=True)
class _Head:
    first: int  # first line of the case
    title: str
    number: str
    after: int  # index of the first line after the title block


def _part(lines: list[Line], i: int) -> _Part | None:
    match = _PART.match(lines[i].text)
    if not match:
        return None
    name = match["boxed"] or match["name"]
    style = next((s for s in _STYLES if match[s]), "")
    value = _number(re.sub(r"[\s（()）、.．]", "", match[style])) if style else 0
    body = lines[i].start + match.end()
    return _Part(i, lines[i].start, _KIND_OF[name], name, style, value, body)


def _number(printed: str) -> int:
    return int(printed) if printed.isdigit() else cn_number(printed)


def _runs(lines: list[Line], parts: list[_Part]) -> list[list[_Part]]:
    """Group part headings into cases (see _new_case); a case split off by a title alone
    that then has parts of one kind only is joined back to the case before it."""
    runs: list[tuple[list[_Part], bool]] = []  # parts, opened by a title alone
    for part in parts:
        run = runs[-1][0] if runs else []
        reason = _new_case(lines, run, part) if run else "first"
        if reason:
            runs.append(([part], reason == "title"))
        else:
            run.append(part)
    merged: list[list[_Part]] = []
    for run, by_title in runs:
        if by_title and len({p.kind for p in run}) < 2:
            merged[-1].extend(run)
        else:
            merged.append(run)
    return merged


def _new_case(lines: list[Line], run: list[_Part], part: _Part) -> str:
    """Why `part` opens a new case after `run` ("" if it does not): its kind was seen in the
    run, it restarts the numbering at 1, or a case title stands right above it while the run
    is already a case of two kinds of part."""
    if any(p.kind == part.kind for p in run):
        return "kind"
    if part.value == 1 and any(p.value for p in run):
        return "number"
    if len({p.kind for p in run}) >= 2 and _titled(lines, part, run[-1]):
        return "title"
    return ""


def _titled(lines: list[Line], part: _Part, before: _Part) -> bool:
    """A title block right above `part` (labels between allowed) that follows a finished
    paragraph of the part `before` (or a blank line, a label or a case number), not just
    that part's heading."""
    block = _title_lines(lines, part.line, before.line + 1, max_lead=0)
    if block is None:
        return False
    above = prev_nonblank(lines, block[0])
    if above is None or above == before.line:  # the "title" would be the part's only text
        return False
    text = lines[above].text
    return (
        block[0] - above > 1
        or ends_sentence(text)
        or bool(_LABEL.match(text) or _NUMBER_LINE.match(text))
    )


def _is_case_layout(runs: list[list[_Part]]) -> bool:
    full = sum(len({p.kind for p in run}) >= 2 for run in runs)
    return full >= 1 and 2 * full >= len(runs)


# --------------------------------------------------------------------------- titles


def _title_like(text: str, upper: bool = False) -> bool:
    """A short line that can be (part of) a case title; an `upper` line of a title broken
    over several lines may end in a comma."""
    ends = ("：", ":") if upper else ("：", ":", "，", ",", "、")
    return (
        0 < len(text) <= _MAX_TITLE_CHARS
        and "。" not in text
        and not ends_sentence(text)
        and not text.endswith(ends)
        and not _PART.match(text)
        and not _LABEL.match(text)
        and not FIELD_LABEL.match(text)
        and not _NUMBER_LINE.match(text)
        and not LONE_NUMBER.match(text)
        and not TOC_ENTRY.match(text)
    )


def _title_lines(
    lines: list[Line], head: int, floor: int, max_lead: int = _MAX_LEAD_LINES
) -> tuple[int, int] | None:
    """(first, last + 1) of the title block above the part at line `head`, if any.

    Walking up from the part, labels are skipped and so are at most `max_lead` lines of an
    introductory paragraph; the title is the run of title-like lines found then (blank lines
    between them allowed: PDF text often has them), at most _MAX_TITLE_LINES and none above
    a numbered title line.
    """
    found: list[int] = []
    lead = 0
    for j in range(head - 1, floor - 1, -1):
        text = lines[j].text
        if not text:
            continue
        if found:
            if (
                len(found) == _MAX_TITLE_LINES
                or _split_number(lines[found[-1]].text)[0]  # a numbered title begins there
                or not _title_like(text, upper=True)
            ):
                break
            found.append(j)
        elif _title_like(text):
            found.append(j)
        elif not _LABEL.match(text):
            lead += 1
            if lead > max_lead:
                return None
    return (found[-1], found[0] + 1) if found else None


def _head(lines: list[Line], run: list[_Part], floor: int, first_case: bool) -> _Head:
    """Where a case starts, its title and number."""
    block = _title_lines(lines, run[0].line, floor)
    if block is None:
        return _fallback_head(lines, run, floor, first_case)
    first, after = block
    if first_case and after - first > 1 and _COLLECTION.search(lines[first].text):
        first = next_nonblank(lines, first)  # the collection's title sits right above
    number, title = _split_number(join_lines(lines[first:after]))
    above = prev_nonblank(lines, first)
    if above is not None and above >= floor and (num := _NUMBER_LINE.match(lines[above].text)):
        first, number = above, number or num["num"]
    return _Head(first, title, number, after)


def _split_number(title: str) -> tuple[str, str]:
    """The number printed in front of a title ("" if none) and the title without it (and
    without a Markdown heading mark)."""
    title = _MD_HEADING.sub("", title)
    match = _TITLE_NUMBER.match(title)
    if not match or match.end() == len(title):
        return "", title
    return next(g for g in match.group("a", "b", "c", "d") if g), title[match.end() :]


def _fallback_head(lines: list[Line], run: list[_Part], floor: int, first_case: bool) -> _Head:
    """No title above the first part: the document's first line for the first case, else
    the first sentence of the case's own text."""
    top = next((j for j in range(floor, run[0].line) if lines[j].text), None)
    if first_case and top is not None:
        return _Head(top, short_title(lines[top].text), "", top + 1)
    head = lines[run[0].line]
    rest = head.text[run[0].body - head.start :] or _next_text(lines, run[0].line)
    return _Head(run[0].line, short_title(rest) or run[0].name, "", run[0].line)


def _next_text(lines: list[Line], i: int) -> str:
    return next((ln.text for ln in lines[i + 1 :] if ln.text), "")


# --------------------------------------------------------------------------- one case


def _sibling_marks(lines: list[Line], run: list[_Part], stop: int) -> list[tuple[int, str]]:
    """Headings numbered like the case's parts and continuing their count (存在问题 …)."""
    numbered = [p for p in run if p.style]
    if not numbered:
        return []
    pattern, expected = _STYLES[numbered[0].style], numbered[0].value
    marks = []
    for i in range(numbered[0].line, stop):
        match = pattern.match(lines[i].text)
        if match and _number(match["value"]) == expected:
            marks.append((lines[i].start, heading_name(match["rest"])))
            expected += 1
    return marks


def _marks(lines: list[Line], run: list[_Part], stop: int) -> list[tuple[int, str]]:
    """Section marks: parts, their numbered siblings, and labels (which only end a part)."""
    parts = {p.start: p.name for p in run}
    marks = dict(_sibling_marks(lines, run, stop))
    marks.update(parts)
    for i in range(run[0].line + 1, stop):
        if _LABEL.match(lines[i].text):
            marks.setdefault(lines[i].start, "")
    return sorted(marks.items())


def _org_label(lines: list[Line], first: int, stop: int) -> str:
    for line in lines[first:stop]:
        if match := _LABEL.match(line.text):
            return one_line(match["value"])
    return ""


def _lead_paragraph(lines: list[Line], head: _Head, run: list[_Part], stop: int) -> str:
    """The case's first paragraph (the text after a part heading counts)."""
    for i in range(head.after, stop):
        text = lines[i].text
        if not text or _LABEL.match(text):
            continue
        part = next((p for p in run if p.line == i), None)
        if part is None:
            return text
        if part.body < lines[i].end:
            return text[part.body - lines[i].start :].strip()
    return ""


def _highlights(text: str, run: list[_Part], sections: tuple[Span, ...]) -> str:
    """The text of the case's first 亮点/特色 part, without its heading."""
    ends = {s.start: s.end for s in sections}
    for part in run:
        end = ends.get(part.start)
        if part.kind == "highlights" and end is not None:
            return one_line(text[part.body : end])
    return ""


def _case(
    text: str, doc: str, lines: list[Line], run: list[_Part], head: _Head, stop: int, province: str
) -> Unit:
    """One case spanning lines[head.first:stop]."""
    end = last_end(lines, head.first, stop)
    label = _org_label(lines, head.first, stop)
    paragraph = _lead_paragraph(lines, head, run, stop)
    if label:
        place: Place = case_place(head.title, label, province)
        org = label
    else:
        place, org = title_actor(head.title, paragraph, province)
    sections = part_spans(_marks(lines, run, stop), end, text)
    body = text[lines[run[0].line].start : end]
    return Unit(
        id="",
        doc=doc,
        kind="case",
        title=head.title,
        start=lines[head.first].start,
        end=end,
        number=head.number,
        region=place.region(province) or province,
        org=org,
        indicator=guess_indicator(head.title, body),
        highlights=_highlights(text, run, sections),
        sections=sections,
    )


# --------------------------------------------------------------------------- the document


def parse_sectioned_cases(text: str, doc: str) -> ParsedDocument | None:
    """Cases of any layout whose parts are headed 案例背景 / 主要做法 / 取得成效 …"""
    lines = split_lines(text)
    parts = [p for i in range(len(lines)) if (p := _part(lines, i))]
    runs = _runs(lines, parts)
    if not runs or not _is_case_layout(runs):
        return None
    heads, floor = [], 0
    for k, run in enumerate(runs):
        heads.append(_head(lines, run, floor, first_case=k == 0))
        floor = run[-1].line + 1
    province = own_province(text)
    cases = []
    for k, (run, head) in enumerate(zip(runs, heads, strict=True)):
        stop = heads[k + 1].first if k + 1 < len(heads) else len(lines)
        cases.append(_case(text, doc, lines, run, head, stop, province))
    first_line = heads[0].first
    units, dropped = finish_collection(lines, first_line, cases)
    return ParsedDocument(units, dropped, layout=LAYOUT)


PARSERS: list[Callable[[str, str], ParsedDocument | None]] = [parse_sectioned_cases]
