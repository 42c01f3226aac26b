"""Case-collection layouts (典型案例汇编): find each case in text extracted from a PDF.

Three printed layouts, each recognised by its shape, never by a file name:

* field blocks (`parse_field_cases`): every case is a set of labelled fields
  (指标名称 / 案例名称 / 案例特色或亮点 / 报送单位 / 主要内容) under a one- or two-line title,
  sometimes preceded by "编号N：". A front list of the titles (a table of contents) is furniture.
* numbered titles (`parse_numbered_cases`): every case starts with "7.北海市…", the title
  wrapped over a few short lines, and has top-level headings 一、主要做法 / 二、主要成效. Some
  titles lose their number in extraction; those are found as a block of short lines right
  after a finished paragraph.
* region-headed articles (`parse_region_articles`): weekly digests of news articles headed
  "浙江省杭州市：标题", behind a table of contents with dot leaders and page numbers and with
  a running page header.

Each parser returns None when the text lacks its layout, so the dispatcher can try the next.
Offsets are character offsets into `text`; lines are split with `str.splitlines`, the same
way the rest of the index counts them.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable

from index.structure.common import (
    CJK_IDEOGRAPHS,
    DISTRICT_AT,
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
    org_at,
    org_in_text,
    own_province,
    part_spans,
    prev_nonblank,
    split_lines,
    title_actor,
)
from index.types import ParsedDocument, Unit

_MAX_TITLE_LINE = 30  # a wrapped title line is short; body lines run to the page width

# --------------------------------------------------------------------------------------
# Headings and sections
# --------------------------------------------------------------------------------------

# "一、主要做法" / "三、推进医联体改革发展，提升…。正文…" (heading and paragraph on one line).
_TOP_HEADING = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.．]\s*(\S.*)$")
# Lower levels and inline enumerations that are never a case or article title:
# "（一）…", "一是…", "1、…", "1.…", "01 …".
_MINOR_HEADING = re.compile(
    r"^(?:[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)]|[一二三四五六七八九十]{1,3}是|\d{1,2}\s*[、.．])"
)
_ARABIC_HEADING = re.compile(r"^(?:\d{1,2}\s*、|0\d\s+)\s*(\S.*)$")  # "1、…", "01 人人都是…"


def _top_heading_marks(lines: list[Line], first: int, stop: int) -> list[tuple[int, str]]:
    """Top-level 一、二、三… headings in lines[first:stop], accepted only in sequence.

    Requiring the sequence keeps a stray "三、…" inside an 一是/二是 list from becoming a
    section of its own.
    """
    marks, expected = [], 1
    for line in lines[first:stop]:
        match = _TOP_HEADING.match(line.text)
        if match and cn_number(match[1]) == expected:
            marks.append((line.start, heading_name(match[2])))
            expected += 1
    return marks


# --------------------------------------------------------------------------------------
# Layout 1: field blocks (指标名称 / 案例名称 / 案例特色或亮点 / 报送单位 / 主要内容)
# --------------------------------------------------------------------------------------

_FIELD_KEY = {
    "指标名称": "indicator", "所属指标": "indicator", "案例名称": "title",
    "案例特色或亮点": "highlights", "案例亮点": "highlights", "特色亮点": "highlights",
    "报送单位": "org", "申报单位": "org", "主要内容": "content", "案例内容": "content",
}  # fmt: skip
_SECTION_NAME = {"highlights": "案例特色或亮点", "content": "主要内容"}
_CASE_NUMBER = re.compile(r"^编号\s*(?P<num>\d{1,3})\s*[:：]?$")  # "编号1："


def _field_key(line: Line) -> str | None:
    match = FIELD_LABEL.match(line.text)
    return _FIELD_KEY[match["label"]] if match else None


def _block_start(lines: list[Line], anchor: int, floor: int) -> tuple[int, str]:
    """First line of a field case: back from its first label over the title lines.

    Takes at most four short lines that do not end a sentence, stopping at "编号N：" (included)
    or at the previous case's body. Returns (line index, printed number or "").
    """
    start, taken = anchor, 0
    for j in range(anchor - 1, floor - 1, -1):
        text = lines[j].text
        if not text:
            continue
        number = _CASE_NUMBER.match(text)
        if number:
            return j, number["num"]
        if taken == 4 or len(text) > 60 or ends_sentence(text) or _field_key(lines[j]):
            break
        start, taken = j, taken + 1
    return start, ""


def _toc_numbers(lines: list[Line], stop: int) -> dict[str, str]:
    """Numbers printed in a front title list: a bare number line followed by a title line."""
    numbers = {}
    for i in range(stop):
        if LONE_NUMBER.match(lines[i].text) and lines[i].text.isdigit():
            nxt = next_nonblank(lines, i, stop)
            if nxt is not None and not LONE_NUMBER.match(lines[nxt].text):
                numbers[one_line(lines[nxt].text)] = lines[i].text
    return numbers


def parse_field_cases(text: str, doc: str) -> ParsedDocument | None:
    """Cases printed as labelled field blocks, e.g. 2023年…十大先进典型示范案例."""
    lines = split_lines(text)
    keys = [_field_key(line) for line in lines]
    labelled = [k for k in keys if k]
    if len(labelled) < 4:
        return None
    anchor_key = labelled[0]  # the label each case opens with
    anchors = [i for i, k in enumerate(keys) if k == anchor_key]
    if len(anchors) < 2 or sum(k in ("title", "content") for k in labelled) < 2:
        return None

    starts, floor = [], 0
    for anchor in anchors:
        starts.append(_block_start(lines, anchor, floor))
        floor = anchor + 1
    province = own_province(text)
    cases = []
    for k, (anchor, (first, number)) in enumerate(zip(anchors, starts, strict=True)):
        stop = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        cases.append(_field_case(text, doc, lines, keys, first, anchor, stop, number, province))

    first_line = starts[0][0]
    toc_numbers = _toc_numbers(lines, first_line)
    numbered = [
        dataclasses.replace(u, number=u.number or toc_numbers.get(u.title, "")) for u in cases
    ]
    units, dropped = finish_collection(lines, first_line, numbered)
    return ParsedDocument(units, dropped, layout="cases:fields")


def _field_case(
    text: str,
    doc: str,
    lines: list[Line],
    keys: list[str | None],
    first: int,
    anchor: int,
    stop: int,
    number: str,
    province: str,
) -> Unit:
    """One field-block case spanning lines[first:stop]."""
    end = last_end(lines, first, stop)
    labels = [i for i in range(anchor, stop) if keys[i]]
    values: dict[str, str] = {}
    marks: list[tuple[int, str]] = []
    for n, i in enumerate(labels):
        key = keys[i] or ""
        nxt = labels[n + 1] if n + 1 < len(labels) else stop
        inline = FIELD_LABEL.match(lines[i].text)["value"] or ""  # type: ignore[index]
        values.setdefault(key, one_line(inline + "\n" + join_lines(lines[i + 1 : nxt])))
        if key == "content":
            heads = _top_heading_marks(lines, i + 1, nxt)
            # the text before the first 一、 heading (or all of it) is the 主要内容 section
            lead = not heads or heads[0][0] > _first_text_start(lines, i + 1, nxt)
            marks.append((lines[i].start, "主要内容" if lead else ""))
            marks += heads
        else:
            marks.append((lines[i].start, _SECTION_NAME.get(key, "")))
    title_lines = [ln for ln in lines[first:anchor] if ln.text and not _CASE_NUMBER.match(ln.text)]
    title = values.get("title") or join_lines(title_lines)
    org = values.get("org", "")
    place = case_place(title, org, province)
    body = text[lines[anchor].start : end]
    return Unit(
        id="",
        doc=doc,
        kind="case",
        title=title,
        start=lines[first].start,
        end=end,
        number=number,
        region=place.region(province),
        org=org,
        indicator=values.get("indicator") or guess_indicator(title, body),
        highlights=values.get("highlights", ""),
        sections=part_spans(marks, end, text),
    )


def _first_text_start(lines: list[Line], first: int, stop: int) -> int:
    nxt = next_nonblank(lines, first - 1, stop)
    return lines[nxt].start if nxt is not None else -1


# --------------------------------------------------------------------------------------
# Layout 2: numbered case titles with 一、主要做法 / 二、主要成效
# --------------------------------------------------------------------------------------

# "7.北海市织密信用体系网打造“阳光政采”": number, dot, a title that does not start with a digit
# (so "2.5亿元…" is no title).
_NUMBERED_TITLE = re.compile(r"^(?P<num>\d{1,3})\s*[.．]\s*(?P<title>[^\d\s.．].*)$")
# Headings that mark a case report's parts; at least half the cases must have one.
_CASE_PART = re.compile(r"主要做法|主要成效|取得成效|工作成效|主要举措|经验做法|案例背景|做法成效")


def _title_line(text: str) -> bool:
    """A short line that could continue a title: no sentence end, no heading, no label."""
    return (
        0 < len(text) <= _MAX_TITLE_LINE
        and "。" not in text
        and not ends_sentence(text)
        and not text.endswith(("：", ":"))
        and not _TOP_HEADING.match(text)
        and not _MINOR_HEADING.match(text)
        and not FIELD_LABEL.match(text)
        and not LONE_NUMBER.match(text)
    )


def _title_block(lines: list[Line], first: int) -> int:
    """Index after the last line of the title starting at `first` (at most three lines)."""
    last, taken = first, 1
    j = next_nonblank(lines, first)
    while j is not None and taken < 3 and _title_line(lines[j].text):
        if next_nonblank(lines, j) is None:  # a title needs a body after it
            break
        last, taken = j, taken + 1
        j = next_nonblank(lines, j)
    return last + 1


def _numbered_candidates(lines: list[Line]) -> list[tuple[int, str]]:
    """(line index, number) of possible case titles; number "" for unnumbered ones."""
    found, last_number = [], 0
    for i, line in enumerate(lines):
        match = _NUMBERED_TITLE.match(line.text)
        if match and len(line.text) <= 60 and "。" not in line.text:
            if int(match["num"]) > last_number:  # titles count up; sub-lists restart at 1
                found.append((i, match["num"]))
                last_number = int(match["num"])
            continue
        prev = prev_nonblank(lines, i)
        if (
            _title_line(line.text)
            and prev is not None
            and ends_sentence(lines[prev].text)
            and not _NUMBERED_TITLE.match(lines[prev].text)
        ):
            found.append((i, ""))
    return found


def parse_numbered_cases(text: str, doc: str) -> ParsedDocument | None:
    """Cases with numbered titles and 一、主要做法 / 二、主要成效 parts, e.g. 市场化营商环境典型案例."""
    lines = split_lines(text)
    candidates = _numbered_candidates(lines)
    if sum(1 for _, num in candidates if num) < 2:
        return None
    candidates = candidates[next(k for k, (_, num) in enumerate(candidates) if num) :]
    # A title without a number counts only where a new 一、… run begins after it while the
    # case before it already had one: that restart is what shows a new case.
    accepted: list[tuple[int, str]] = []
    for k, (i, num) in enumerate(candidates):
        stop = candidates[k + 1][0] if k + 1 < len(candidates) else len(lines)
        if num or (accepted and _has_heading_run(lines, accepted[-1][0], i)
                   and _has_heading_run(lines, i, stop)):  # fmt: skip
            accepted.append((i, num))
    with_parts = 0
    province = own_province(text)
    cases = []
    for k, (first, number) in enumerate(accepted):
        stop = accepted[k + 1][0] if k + 1 < len(accepted) else len(lines)
        unit = _numbered_case(text, doc, lines, first, stop, number, province)
        with_parts += any(_CASE_PART.search(span.name) for span in unit.sections)
        cases.append(unit)
    if with_parts * 2 < len(cases):
        return None
    first_line = accepted[0][0]
    units, dropped = finish_collection(lines, first_line, cases)
    return ParsedDocument(units, dropped, layout="cases:numbered")


def _has_heading_run(lines: list[Line], first: int, stop: int) -> bool:
    return any(
        (m := _TOP_HEADING.match(ln.text)) and cn_number(m[1]) == 1 for ln in lines[first:stop]
    )


def _numbered_case(
    text: str, doc: str, lines: list[Line], first: int, stop: int, number: str, province: str
) -> Unit:
    """One numbered case spanning lines[first:stop]."""
    after_title = _title_block(lines, first)
    title = join_lines(lines[first:after_title])
    if number:
        title = _NUMBERED_TITLE.match(title)["title"]  # type: ignore[index]
    end = last_end(lines, first, stop)
    body_first = next_nonblank(lines, after_title - 1, stop)
    paragraph = ""
    for j in range(after_title, stop):
        if lines[j].text and not _TOP_HEADING.match(lines[j].text):
            paragraph = lines[j].text
            break
    place, org = title_actor(title, paragraph, province)
    body = text[lines[body_first].start : end] if body_first is not None else ""
    return Unit(
        id="",
        doc=doc,
        kind="case",
        title=title,
        start=lines[first].start,
        end=end,
        number=number,
        region=place.region(province) or province,
        org=org,
        indicator=guess_indicator(title, body),
        sections=part_spans(_top_heading_marks(lines, after_title, stop), end, text),
    )


# --------------------------------------------------------------------------------------
# Layout 3: articles headed "省市区：标题" (weekly case digests)
# --------------------------------------------------------------------------------------

# A place chain, each part ending in its level: province (…省/自治区), city (…市/州/盟/地区),
# district (…区/县/旗); e.g. "浙江省杭州市", "天津市东丽区", "贵州省黔东南州", "重庆市". The
# whole chain must run up to the colon, so "营商智库：" or "…副院长王磊：" are no headings.
_ARTICLE_HEADING = re.compile(
    rf"^(?P<region>(?P<province>[{CJK_IDEOGRAPHS}]{{2,7}}?(?:省|自治区|特别行政区))?"
    rf"(?P<city>[{CJK_IDEOGRAPHS}]{{1,6}}?(?:市|州|盟|地区))?"
    rf"(?P<district>[{CJK_IDEOGRAPHS}]{{1,5}}?(?:区|县|旗))?)"
    r"\s*[:：]\s*(?P<title>\S.*)$"
)


def _article_heading(line: Line) -> re.Match[str] | None:
    """ "浙江省杭州市：标题" on a line of its own: short, no full stop, no page number."""
    text = line.text
    if not text or len(text) > 45 or "。" in text or TOC_ENTRY.match(text):
        return None
    match = _ARTICLE_HEADING.match(text)
    return match if match and match["region"] else None


def _wrap_width(lines: list[Line]) -> float:
    """Width at which the PDF wrapped body lines (0 if unknown).

    Measured on lines that break mid-sentence (a 。 inside, no sentence end at the end);
    CJK characters count 1 and half-width characters ½, as printed.
    """
    widths = Counter(
        round(_width(ln.text))
        for ln in lines
        if "。" in ln.text[:-1] and not ends_sentence(ln.text) and len(ln.text) <= 40
    )
    return widths.most_common(1)[0][0] if widths else 0


def _width(text: str) -> float:
    return sum(0.5 if ord(c) < 0x2000 else 1.0 for c in text)


def _subheading_marks(
    lines: list[Line], first: int, stop: int, wrap: float
) -> list[tuple[int, str]]:
    """Sub-headings inside an article: short stand-alone lines after a finished sentence.

    A line as wide as the wrap width is a body line broken by the PDF, not a heading.
    """
    marks: list[tuple[int, str]] = []
    for i in range(first + 1, stop):
        text = lines[i].text
        prev = prev_nonblank(lines, i)
        if (
            not text
            or len(text) > 32
            or "。" in text
            or ends_sentence(text)
            or text.endswith(("，", "、", "：", ":", "；"))
            or LONE_NUMBER.match(text)
            or (wrap and abs(_width(text) - wrap) <= 1)
        ):
            continue
        numbered = _TOP_HEADING.match(text) or _ARABIC_HEADING.match(text)
        # An unnumbered line is a heading only after a finished sentence (or a lead-in "…：",
        # the article heading or another heading); otherwise it continues the paragraph.
        after = lines[prev].text if prev is not None else ""
        if not numbered and not (
            prev == first
            or ends_sentence(after)
            or after.endswith(("：", ":"))
            or (marks and marks[-1][0] == lines[prev].start)  # type: ignore[index]
        ):
            continue
        name = numbered[numbered.lastindex or 0] if numbered else text  # without the number
        marks.append((lines[i].start, heading_name(name)))
    return marks


def parse_region_articles(text: str, doc: str) -> ParsedDocument | None:
    """Articles headed by their place, e.g. 每周营商环境优秀案例（…）."""
    lines = split_lines(text)
    heads = [(i, m) for i, line in enumerate(lines) if (m := _article_heading(line))]
    if len(heads) < 3:
        return None
    wrap = _wrap_width(lines)
    cases = []
    for k, (first, match) in enumerate(heads):
        stop = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        cases.append(_article(text, doc, lines, first, stop, match, wrap))
    first_line = heads[0][0]
    units, dropped = finish_collection(lines, first_line, cases)
    return ParsedDocument(units, dropped, layout="cases:articles")


def _article(
    text: str,
    doc: str,
    lines: list[Line],
    first: int,
    stop: int,
    match: re.Match[str],
    wrap: float,
) -> Unit:
    """One article spanning lines[first:stop]."""
    place = Place(*(part or "" for part in match.group("province", "city", "district")))
    rest = one_line(match["title"])
    if not place.district:  # "浙江省杭州市：余杭区提升…" names the district in the title
        district = DISTRICT_AT.match(rest)
        if district:
            place = Place(place.province, place.city, district["district"])
            rest = rest[district.end() :]
    end = last_end(lines, first, stop)
    body_first = next_nonblank(lines, first, stop)
    paragraph = lines[body_first].text if body_first is not None else ""
    local = place.district or place.city or place.province  # the most specific place
    org = org_at(rest)
    org = local + org if org else org_in_text(paragraph, place) or local
    title = one_line(match.group(0))
    body = text[lines[body_first].start : end] if body_first is not None else ""
    return Unit(
        id="",
        doc=doc,
        kind="case",
        title=title,
        start=lines[first].start,
        end=end,
        region=place.province + place.city + place.district,
        org=org,
        indicator=guess_indicator(title, body),
        sections=part_spans(_subheading_marks(lines, first, stop, wrap), end, text),
    )


PARSERS: list[Callable[[str, str], ParsedDocument | None]] = [
    parse_field_cases,
    parse_numbered_cases,
    parse_region_articles,
]
