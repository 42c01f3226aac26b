"""Helpers shared by the structure parsers: lines, one-line text, headings, page furniture,
places, organisations and indicators.

The layout parsers (`cases`, `sectioned_cases`, `measures`) and the fallback parser
(`generic`) import these public names from here, so titles, places and furniture look the
same whatever parser found a unit. Offsets are character offsets into the document text.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from index.cleaning import CLOSERS, MIN_CLAUSE, SENTENCE_END_MARKS
from index.types import Span, Unit

TITLE_CHARS = 30  # titles made from running text
HEADING_TITLE_CHARS = 40  # titles taken from a heading may be a little longer

# --------------------------------------------------------------------------- text helpers

# CJK ideographs, CJK and full-width punctuation, curly quotes, dashes, ellipsis, the middle
# dot: the characters next to which a PDF line break or a stray space carries no meaning
# (Chinese puts no spaces between words); whitespace between Latin/digit tokens is kept.
_CJK_CONTEXT = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2014\u2018-\u201d\u2026\u00b7"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK_CONTEXT}])\s+|\s+(?=[{_CJK_CONTEXT}])")
_SPACES = re.compile(r"\s+")
_TAGS = re.compile(r"</?[A-Za-z][^<>]{0,40}>")  # stray <p> tags inside table cells
SENTENCE_END_MARK = re.compile(f"[{SENTENCE_END_MARKS}]")
_CLAUSE_END = re.compile(r"[，,：:]")


def one_line(text: str) -> str:
    """One line of display text: stray tags removed, lines joined, no whitespace next to CJK
    characters, other runs of whitespace as one space."""
    text = _TAGS.sub(" ", text)
    text = _SPACE_NEAR_CJK.sub("", text)
    return _SPACES.sub(" ", text).strip()


def short_title(text: str, limit: int = TITLE_CHARS) -> str:
    """First sentence of `text`; if longer than `limit`, cut at the last clause break
    (，：) that fits, else clipped to `limit` characters."""
    first = SENTENCE_END_MARK.split(one_line(text), maxsplit=1)[0]
    if len(first) > limit:
        breaks = [m.start() for m in _CLAUSE_END.finditer(first, 0, limit + 1)]
        cut = max((b for b in breaks if b >= MIN_CLAUSE), default=limit)
        first = first[:cut]
    return first.strip(" ，,、：:")


# --------------------------------------------------------------------------- headings

_CN_NUM = "一二三四五六七八九十百零〇"
_DIGIT = "0-9０-９"
# (style, pattern) matched at the start of a line, after optional indentation. The
# patterns only cover the marker; what follows on the line is the heading text.
_HEADING_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"第[{_CN_NUM}{_DIGIT}]+[编章]|第[{_CN_NUM}{_DIGIT}]+部分")),
    ("part", re.compile(rf"第[{_CN_NUM}{_DIGIT}]+节")),
    ("article", re.compile(rf"第[{_CN_NUM}{_DIGIT}]+条")),
    ("cn", re.compile(rf"[{_CN_NUM}]+[、．]")),
    ("paren_cn", re.compile(rf"[（(〔]\s*[{_CN_NUM}]+\s*[）)〕]")),
    # "1." but not a decimal such as "1.2年" at the start of a broken line.
    ("arabic", re.compile(rf"[{_DIGIT}]{{1,3}}(?:[.．](?![{_DIGIT}])|、)")),
    ("paren_arabic", re.compile(rf"[（(]\s*[{_DIGIT}]{{1,3}}\s*[）)]")),
    ("circled", re.compile(r"[\u2460-\u2473]")),
)
_INDENT = re.compile(r"[ \t\u3000\xa0]*")


@dataclass(frozen=True)
class Heading:
    """A numbered heading found at the start of a line."""

    style: str
    number: str  # the marker as printed, spaces removed: "（一）", "1", "一", "第三条"
    start: int  # offset of the marker
    text_start: int  # offset right after the marker (the heading text follows)


def match_heading(text: str, pos: int, end: int) -> Heading | None:
    """The numbered heading starting the line at `pos`, if any."""
    pos = _INDENT.match(text, pos, end).end()
    for style, pattern in _HEADING_STYLES:
        m = pattern.match(text, pos, end)
        if m:
            # A bare marker with no text after it on the line is a list number or a
            # table cell, not a heading.
            rest = text[m.end() : end].split("\n", 1)[0]
            if not rest.strip():
                return None
            number = re.sub(r"\s+", "", m.group()).rstrip("、．.")
            return Heading(style, number, m.start(), m.end())
    return None


def heading_label(number: str, title: str, style: str) -> str:
    """How a heading is shown in `heading_path`: its number and title, e.g. '一、总体要求'."""
    sep = {"cn": "、", "arabic": ".", "chapter": " ", "part": " ", "article": " "}.get(style, "")
    return f"{number}{sep}{title}"


# --------------------------------------------------------------------------- furniture

_PAGE_NUMBER = re.compile(
    r"[ \t\u3000]*(?:[-—–－―~～]+[ \t\u3000]*)?(?:第[ \t\u3000]*)?[0-9０-９]{1,4}"
    r"(?:[ \t\u3000]*页)?(?:[ \t\u3000]*(?:[/／]|共)[ \t\u3000]*[0-9０-９]{1,4}[ \t\u3000]*页?)?"
    r"(?:[ \t\u3000]*[-—–－―~～]+)?[ \t\u3000]*"
)
_DASHED = re.compile(r"[-—–－―~～页/／]")
_TOC_LINE = re.compile(
    r"[ \t\u3000]*\S.{0,80}?(?:[.．·•]{4,}|…{2,}|(?:[.．·][ \t]){4,}|-{4,})[ \t\u3000]*[0-9０-９]{1,4}[ \t\u3000]*"
)
_LABEL_OR_SENTENCE_END = re.compile(r"[。！？；，、：:,;]$")
_MIN_REPEATS = 3
_LONG_RUNNING_HEADER = 8
_MIN_PAGE_CHARS = 200  # running headers are at least this far apart …
_MAX_PAGE_RATIO = 4  # … and their largest gap is at most this many times the smallest


def line_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each line in text[start:end], newline excluded."""
    end = len(text) if end is None else end
    spans, pos = [], start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        spans.append((pos, stop))
        pos = stop + 1
    return spans


def _is_page_number(line: str) -> bool:
    if not line.strip() or not _PAGE_NUMBER.fullmatch(line):
        return False
    # A bare number in a tab-indented line is a table cell (序号), not a page number.
    return not (line.startswith("\t") and not _DASHED.search(line))


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """Spans of page furniture: lone page numbers ("3", "- 3 -", "— 3 —", "第3页"), table
    of contents lines (dot leaders + page number) and running headers/footers.

    A running header is a line repeated at least three times that is not a heading, a
    label, a sentence or a table cell, and that either sits next to a page number or
    recurs at roughly page-like intervals. Each span covers one whole line (without its
    newline); the list is sorted and non-overlapping.
    """
    lines = line_spans(text)
    page = [_is_page_number(text[s:e]) for s, e in lines]
    running = _running_headers(text, lines, page)
    spans = []
    for i, (s, e) in enumerate(lines):
        if page[i] or i in running or _TOC_LINE.fullmatch(text[s:e]):
            spans.append((s, e))
    return spans


def _running_headers(text: str, lines: list[tuple[int, int]], page: list[bool]) -> set[int]:
    """Indexes of the lines that are running headers or footers."""
    occurrences: dict[str, list[int]] = defaultdict(list)
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        key = line.strip()
        # Tab-indented lines are table cells; headings, labels ("报送单位：") and
        # sentences recur per case as content, not as furniture.
        if not 2 <= len(key) <= 60 or line.startswith("\t") or _LABEL_OR_SENTENCE_END.search(key):
            continue
        if not match_heading(text, s, e):
            occurrences[key].append(i)
    found: set[int] = set()
    for key, idx in occurrences.items():
        if len(idx) < _MIN_REPEATS:
            continue
        near_page = any(
            page[j] for i in idx for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < len(lines)
        )
        # Short repeated lines ("主要做法") count only next to a page number.
        if near_page or (len(key) >= _LONG_RUNNING_HEADER and _page_like(lines, idx)):
            found.update(idx)
    return found


def _page_like(lines: list[tuple[int, int]], idx: list[int]) -> bool:
    """Whether occurrences are spread like pages: far apart and at similar intervals.

    A case title listed in a table of contents, as a heading and in a summary table
    recurs too, but at very uneven distances.
    """
    gaps = [lines[b][0] - lines[a][0] for a, b in zip(idx, idx[1:], strict=False)]
    return min(gaps) >= _MIN_PAGE_CHARS and max(gaps) <= _MAX_PAGE_RATIO * min(gaps)


# --------------------------------------------------------------------------- lines of a collection

CJK_IDEOGRAPHS = "\u3400-\u9fff\uf900-\ufaff"  # for place and unit names
# A line that finishes a sentence: 。！？； possibly followed by closing quotes/brackets.
_ENDS_SENTENCE = re.compile(rf"[{SENTENCE_END_MARKS}][{CLOSERS}]*$")


@dataclass(frozen=True)
class Line:
    start: int  # offset of the first non-blank character (of the line start when blank)
    end: int  # offset just after the last non-blank character
    text: str  # the line without surrounding whitespace


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        stripped = body.strip()
        start = pos + (len(body) - len(body.lstrip()))
        lines.append(Line(start, start + len(stripped), stripped))
        pos += len(raw)
    return lines


def join_lines(lines: Iterable[Line]) -> str:
    return one_line("\n".join(line.text for line in lines))


def ends_sentence(text: str) -> bool:
    return bool(_ENDS_SENTENCE.search(text))


def prev_nonblank(lines: list[Line], i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if lines[j].text:
            return j
    return None


def next_nonblank(lines: list[Line], i: int, stop: int | None = None) -> int | None:
    for j in range(i + 1, len(lines) if stop is None else stop):
        if lines[j].text:
            return j
    return None


def last_end(lines: list[Line], first: int, stop: int) -> int:
    """End offset of the last non-blank line in lines[first:stop] (trailing blanks excluded)."""
    for j in range(stop - 1, first - 1, -1):
        if lines[j].text:
            return lines[j].end
    return lines[first].start


# --------------------------------------------------------------------------- numbered parts

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")}


def cn_number(numeral: str) -> int:
    """Value of a Chinese numeral up to 九十九 ("十" → 10, "十二" → 12, "二十一" → 21)."""
    if "十" not in numeral:
        return _CN_DIGIT.get(numeral, 0)
    tens, _, ones = numeral.partition("十")
    return (_CN_DIGIT.get(tens, 0) if tens else 1) * 10 + (_CN_DIGIT.get(ones, 0) if ones else 0)


def heading_name(rest: str) -> str:
    """The heading proper: text up to the first 。 (a paragraph may follow on the same line)."""
    name = one_line(re.split(r"[。；]", rest, maxsplit=1)[0]).rstrip("，,：: ")
    return name[:40]


def part_spans(marks: list[tuple[int, str]], end: int, text: str) -> tuple[Span, ...]:
    """Spans from each (start, name) mark to the next one, trailing whitespace trimmed.

    A mark with an empty name only ends the span before it (e.g. the 报送单位 label).
    """
    spans = []
    for k, (start, name) in enumerate(marks):
        stop = marks[k + 1][0] if k + 1 < len(marks) else end
        if name:
            spans.append(Span(name, start, len(text[:stop].rstrip()) if stop > start else stop))
    return tuple(spans)


# --------------------------------------------------------------------------- collection furniture

# Table-of-contents entry: a title, then a dot leader (".....", "……", "···") and/or a tab,
# then the page number at the end of the line: "重庆市：重拳出击…营商环境.....\t1".
TOC_ENTRY = re.compile(r"^(?P<title>\S.*?)\s*(?:[.．·…]{2,}\s*|\t\s*)(?P<page>\d{1,4})$")
_TOC_CAPTION = re.compile(r"^目\s*录$")
# A page number alone on its line: "4", "- 12 -", "第3页".
LONE_NUMBER = re.compile(r"^[-—–－]?\s*(?:第\s*)?\d{1,4}\s*页?\s*[-—–－]?$")
# Cover lines that only say how to reach the publisher.
_CONTACT = re.compile(r"@|电\s*话|传\s*真|邮\s*箱|资料获取|联系方式")


def _is_toc_line(text: str, titles: set[str]) -> bool:
    return bool(TOC_ENTRY.match(text) or LONE_NUMBER.match(text) or one_line(text) in titles)


def collection_furniture(
    lines: list[Line], first_unit_line: int, titles: set[str]
) -> list[tuple[int, int]]:
    """Spans of page furniture.

    * the table of contents before the first unit: ≥3 lines that are dot-leader entries, bare
      numbers or repeat a unit's title, with a "目录" caption just above and any stray line in
      between (a page header printed inside the TOC);
    * that stray line again wherever it recurs: it is the running page header;
    * contact lines on the cover; lone page numbers anywhere.
    """
    dropped: list[tuple[int, int]] = []
    front = range(first_unit_line)
    toc = [i for i in front if lines[i].text and _is_toc_line(lines[i].text, titles)]
    if len(toc) >= 3:
        lo, hi = toc[0], toc[-1]
        cap = prev_nonblank(lines, lo)
        if cap is not None and _TOC_CAPTION.match(lines[cap].text):
            lo = cap
        dropped.append((lines[lo].start, lines[hi].end))
        strays = {
            line.text
            for line in lines[lo : hi + 1]
            if line.text
            and not _is_toc_line(line.text, titles)
            and not _TOC_CAPTION.match(line.text)
            and len(line.text) <= 40
        }
        dropped += [(ln.start, ln.end) for ln in lines[hi + 1 :] if ln.text in strays]
    for i in front:
        text = lines[i].text
        if text and len(text) <= 60 and _CONTACT.search(text):
            dropped.append((lines[i].start, lines[i].end))
    dropped += [(ln.start, ln.end) for ln in lines if ln.text and LONE_NUMBER.match(ln.text)]
    return _merge(dropped)


def finish_collection(
    lines: list[Line], first_unit_line: int, units: Sequence[Unit]
) -> tuple[tuple[Unit, ...], tuple[tuple[int, int], ...]]:
    """The units of a collection with its heading path and table of contents applied, and the
    furniture spans to drop: the steps every collection parser ends with."""
    dropped = collection_furniture(lines, first_unit_line, {u.title for u in units})
    path = doc_title_path(lines, first_unit_line, dropped)
    entries = contents_entries(lines, first_unit_line)
    finished = tuple(
        dataclasses.replace(u, heading_path=path) for u in with_contents(units, entries)
    )
    return finished, tuple(dropped)


# Spaces and punctuation do not decide whether a contents line names a unit: PDF extraction
# turns the body heading's "，" into a space and the contents keep it.
_NOT_TITLE_CHARS = re.compile(r"[\W_]+")
CONTENTS_MATCH = 0.8  # similarity of a contents title to its unit's body heading


def contents_entries(lines: list[Line], stop: int) -> list[tuple[str, str]]:
    """(title, printed page) of the dot-leader contents lines before the first unit."""
    return [
        (one_line(m["title"]), m["page"])
        for line in lines[:stop]
        if line.text and (m := TOC_ENTRY.match(line.text))
    ]


def with_contents(units: Sequence[Unit], entries: list[tuple[str, str]]) -> list[Unit]:
    """Units named as the collection's contents name them, with their printed page.

    The contents are the editor's list of titles; the body heading is often a worse copy of
    the same title (punctuation lost to a line break, a word dropped in layout), so a unit whose
    heading is close to a contents line takes that line's title and page. Each line names at
    most one unit; a unit with no close line keeps its heading.
    """
    keys = [_NOT_TITLE_CHARS.sub("", title) for title, _ in entries]
    used: set[int] = set()
    named = []
    for unit in units:
        key = _NOT_TITLE_CHARS.sub("", unit.title)
        best, score = None, CONTENTS_MATCH
        for i, entry_key in enumerate(keys):
            ratio = SequenceMatcher(None, key, entry_key, autojunk=False).ratio()
            if i not in used and ratio >= score:
                best, score = i, ratio
        if best is None:
            named.append(unit)
            continue
        used.add(best)
        title, page = entries[best]
        heading = unit.title if title != unit.title else ""
        named.append(dataclasses.replace(unit, title=title, page=page, heading=heading))
    return named


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= pos < end for start, end in spans)


def doc_title_path(lines: list[Line], stop: int, dropped: list[tuple[int, int]]) -> tuple[str, ...]:
    """The document title: the first run of short lines before the first unit, if any."""
    run: list[Line] = []
    for line in lines[:stop]:
        if not line.text or _inside(line.start, dropped):
            if run:
                break
            continue
        if len(line.text) > 40:
            break
        run.append(line)
    return (join_lines(run),) if run else ()


# --------------------------------------------------------------------------- places, units, indicators

# Province-level names: short form as used in running text → full official form.
_PROVINCES = {
    "北京": "北京市", "天津": "天津市", "上海": "上海市", "重庆": "重庆市", "河北": "河北省",
    "山西": "山西省", "辽宁": "辽宁省", "吉林": "吉林省", "黑龙江": "黑龙江省", "江苏": "江苏省",
    "浙江": "浙江省", "安徽": "安徽省", "福建": "福建省", "江西": "江西省", "山东": "山东省",
    "河南": "河南省", "湖北": "湖北省", "湖南": "湖南省", "广东": "广东省", "海南": "海南省",
    "四川": "四川省", "贵州": "贵州省", "云南": "云南省", "陕西": "陕西省", "甘肃": "甘肃省",
    "青海": "青海省", "内蒙古": "内蒙古自治区", "广西": "广西壮族自治区", "西藏": "西藏自治区",
    "宁夏": "宁夏回族自治区", "新疆": "新疆维吾尔自治区",
}  # fmt: skip
# Leading place names. Province: full name or short name (then "壮族自治区" etc. optional);
# "自治区"/"省"/"全区" alone mean the document's own province. City: up to 4 characters + 市
# (preferred, so 柳州市 is not cut to 柳州) or 州/盟, but not 城市/超市/全市/上市…, whose
# character before 市 shows they are no place name.
_PROVINCE_AT = re.compile(
    "^(?:(?P<short>" + "|".join(sorted(_PROVINCES, key=len, reverse=True)) + ")"
    rf"(?:[{CJK_IDEOGRAPHS}]{{0,4}}?(?:省|自治区)|市)?|(?P<own>自治区|省|全区|全省))"
)
_CITY_AT = re.compile(
    rf"^(?P<city>[{CJK_IDEOGRAPHS}]{{1,4}}?(?<![城超全本我该各上股集夜门])市"
    rf"|[{CJK_IDEOGRAPHS}]{{1,4}}?[州盟](?!市))"
)
DISTRICT_AT = re.compile(
    rf"^(?P<district>[{CJK_IDEOGRAPHS}]{{2,3}}?[区县旗])(?=[{CJK_IDEOGRAPHS}“]|$)"
)
# Organisation suffixes. In a title the name in front of one is at most six characters (more
# would be the case's action), in running text at most eight ("政务服务数据管理局").
_ORG_SUFFIX = "委员会|办公室|办公厅|工商联|管委会|中心|法院|检察院|纪工委|厅|局|委"
_ORG_AT = re.compile(rf"^(?P<org>[{CJK_IDEOGRAPHS}]{{0,6}}?(?:{_ORG_SUFFIX}|政府(?!采购)))")
# Verbs that show the words before a suffix are the case's action, not a unit's name.
_ACTION = re.compile(
    "创新|推进|打造|实施|深化|优化|构建|持续|加强|推动|探索|开展|建立|施行|用好|采取"
)
# An organisation named in running text after a clause boundary, led by the case's place
# ("梧州市自然资源局") or a shorthand level ("市财政局", "省市场监管局"); see org_in_text.
_ORG_IN_TEXT = rf"(?:^|[，。；、\s“（])(?P<org>(?P<level>{{places}})[{CJK_IDEOGRAPHS}]{{{{1,8}}}}?(?:{_ORG_SUFFIX}))"


@dataclass(frozen=True)
class Place:
    province: str = ""  # full province name, "" if not stated
    city: str = ""
    district: str = ""
    written: str = ""  # the place exactly as it leads the text ("广西", "自治区", "北海市")

    def region(self, own_province: str) -> str:
        if not (self.province or self.city or self.district):
            return ""
        return (self.province or own_province) + self.city + self.district


def _leading_place(text: str, own_province: str) -> tuple[Place, str]:
    """The place name that starts `text` (province, city, district) and the text after it."""
    province, rest = "", text
    match = _PROVINCE_AT.match(rest)
    if match:
        province = _PROVINCES[match["short"]] if match["short"] else own_province
        rest = rest[match.end() :]
    city_match = _CITY_AT.match(rest)
    city = city_match["city"] if city_match else ""
    rest = rest[len(city) :]
    district_match = DISTRICT_AT.match(rest)
    district = district_match["district"] if district_match else ""
    rest = rest[len(district) :]
    written = text[: len(text) - len(rest)]
    if written and not (province or city or district):  # "自治区" with no known province
        province = written
    return Place(province, city, district, written), rest


def own_province(text: str) -> str:
    """The province a collection is about: the one it names most often (at least twice)."""
    counts = Counter({full: text.count(short) for short, full in _PROVINCES.items()})
    (full, count), (_, runner_up) = counts.most_common(2)
    return full if count >= 2 and count > runner_up else ""


def org_at(text: str) -> str:
    """A unit's name at the start of `text` ("财政厅…", "市场监管局…"), or ""."""
    match = _ORG_AT.match(text)
    if not match or _ACTION.search(match["org"]):
        return ""
    return match["org"]


def org_in_text(paragraph: str, place: Place) -> str:
    """A unit of the case's place named in running text; shorthand expanded (市财政局 → 台州市财政局)."""
    names = [n for n in (place.province, place.city, place.district, place.written) if n]
    levels = "|".join([*map(re.escape, sorted(set(names), key=len, reverse=True)), "[省市区县州]"])
    short = {"省": place.province, "市": place.city, "州": place.city, "区": place.district}
    short["县"] = place.district
    rank = {place.province: 1, "省": 1, place.city: 2, "市": 2, "州": 2}  # else 3: district
    found = [
        (rank.get(m["level"], 3), -m.start(), (short.get(m["level"]) or m["level"]) + body)
        for m in re.finditer(_ORG_IN_TEXT.format(places=levels), paragraph)
        if not _ACTION.search(body := m["org"][len(m["level"]) :])
    ]
    # the most local unit wins (a provincial office is often only cited as the instruction)
    return max(found)[2] if found else ""


# 指标 keyword table, used where a case does not print its 指标名称. Names follow the national
# business-environment evaluation; earlier rows win ties. Keywords in the title count 10×; an
# indicator that is only mentioned in passing (score below _MIN_INDICATOR_SCORE) is left out.
_INDICATORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("政府采购", ("政府采购", "政采", "采购")),
    ("招标投标", ("公共资源交易", "评标", "招标", "投标")),
    ("纳税", ("纳税", "税务", "办税", "发票", "退税", "税费", "减税")),
    ("企业开办", ("企业开办", "开办企业", "证照", "营业执照", "商事登记", "准入")),
    ("获得电力", ("获得电力", "供电", "用电", "电力", "水电气")),
    ("不动产登记", ("不动产", "交地", "抵押登记", "登记财产")),
    ("获得信贷", ("信贷", "贷款", "融资", "金融")),
    ("知识产权", ("知识产权", "专利", "商标")),
    ("跨境贸易", ("跨境", "口岸", "通关", "进出口", "外贸")),
    ("办理建筑许可", ("工程建设项目", "施工许可", "建筑许可")),
    ("劳动力市场监管", ("农民工", "工资", "就业", "劳动")),
    ("办理破产", ("破产",)),
    ("执行合同", ("执行合同", "诉讼", "法院", "仲裁", "司法", "法律服务", "法治")),
    ("市场监管", ("市场监管", "信用监管", "反垄断", "不正当竞争", "监管", "信用")),
    ("政务服务", ("政务服务", "一网通办", "跨省通办", "放管服", "审批", "热线", "通办", "一件事")),
    ("包容普惠创新", ("创新创业", "科技", "医疗", "人才", "人力资源")),
)


# One alternation per indicator, longest keyword first, so "政府采购" counts once, not also
# as "采购".
_INDICATOR_RES = tuple(
    (name, re.compile("|".join(sorted(words, key=len, reverse=True))))
    for name, words in _INDICATORS
)
_MIN_INDICATOR_SCORE = 3


def guess_indicator(title: str, body: str) -> str:
    """Best-scoring 指标 by keyword counts; "" when none is mentioned more than in passing."""
    best, best_score = "", _MIN_INDICATOR_SCORE - 1
    for name, pattern in _INDICATOR_RES:
        score = 10 * len(pattern.findall(title)) + len(pattern.findall(body))
        if score > best_score:
            best, best_score = name, score
    return best


def title_actor(title: str, paragraph: str, province: str) -> tuple[Place, str]:
    """The place leading a case title and the unit acting in the case.

    The unit is named in the title right after the place ("钦州市税务局推出…"), else in the
    first paragraph (see org_in_text), else it is the place itself.
    """
    place, rest = _leading_place(title, province)
    org = org_at(rest)
    org = place.written + org if org else org_in_text(paragraph, place) or place.written
    return place, org


def case_place(title: str, org: str, province: str) -> Place:
    """Where a Guangxi-style case happens: the place leading its title, else its units."""
    for candidate in [title, *re.split(r"[、，,；;]", org)]:
        place, _ = _leading_place(candidate.strip(), province)
        if place.written:
            return place
    return Place(province=province) if province else Place()


# A field label alone on its line, or followed by "：" / whitespace and the value.
FIELD_LABELS = (
    "指标名称", "所属指标", "案例名称", "案例特色或亮点", "案例亮点", "特色亮点", "报送单位", "申报单位",
    "主要内容", "案例内容",
)  # fmt: skip
FIELD_LABEL = re.compile(
    rf"^(?P<label>{'|'.join(FIELD_LABELS)})(?:(?:\s*[:：]\s*|\s+)(?P<value>.+))?$"
)
