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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from index.types import ParsedDocument, Span, Unit

# --------------------------------------------------------------------------------------
# Characters and lines
# --------------------------------------------------------------------------------------

_CJK = "\u3400-\u9fff\uf900-\ufaff"
# Full-width punctuation, curly quotes, ellipsis, dashes and the middle dot sit between CJK
# characters like the characters themselves.
_CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2026\u2014\u00b7"
# Whitespace touching a CJK character or CJK punctuation is a PDF line/column artefact (Chinese
# puts no spaces between words); whitespace between two Latin/digit tokens is kept as one space.
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}])\s+|\s+(?=[{_CJK}{_CJK_PUNCT}])")
_SPACES = re.compile(r"\s+")
# A line that finishes a sentence: 。！？； possibly followed by closing quotes/brackets.
_SENTENCE_END = re.compile(r"[。！？；!?;][”’」』）)]*$")
_MAX_TITLE_LINE = 30  # a wrapped title line is short; body lines run to the page width


@dataclass(frozen=True)
class _Line:
    start: int  # offset of the first non-blank character (of the line start when blank)
    end: int  # offset just after the last non-blank character
    text: str  # the line without surrounding whitespace


def _split_lines(text: str) -> list[_Line]:
    lines, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        stripped = body.strip()
        start = pos + (len(body) - len(body.lstrip()))
        lines.append(_Line(start, start + len(stripped), stripped))
        pos += len(raw)
    return lines


def clean_text(raw: str) -> str:
    """One line, no whitespace next to CJK characters, other runs of whitespace as one space."""
    return _SPACES.sub(" ", _SPACE_NEAR_CJK.sub("", raw)).strip()


def _clean_lines(lines: Iterable[_Line]) -> str:
    return clean_text("\n".join(line.text for line in lines))


def _ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def _prev_nonblank(lines: list[_Line], i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if lines[j].text:
            return j
    return None


def _next_nonblank(lines: list[_Line], i: int, stop: int | None = None) -> int | None:
    for j in range(i + 1, len(lines) if stop is None else stop):
        if lines[j].text:
            return j
    return None


def _last_end(lines: list[_Line], first: int, stop: int) -> int:
    """End offset of the last non-blank line in lines[first:stop] (trailing blanks excluded)."""
    for j in range(stop - 1, first - 1, -1):
        if lines[j].text:
            return lines[j].end
    return lines[first].start


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
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")}


def _cn_number(numeral: str) -> int:
    """Value of a Chinese numeral up to 九十九 ("十" → 10, "十二" → 12, "二十一" → 21)."""
    if "十" not in numeral:
        return _CN_DIGIT.get(numeral, 0)
    tens, _, ones = numeral.partition("十")
    return (_CN_DIGIT.get(tens, 0) if tens else 1) * 10 + (_CN_DIGIT.get(ones, 0) if ones else 0)


def _heading_name(rest: str) -> str:
    """The heading proper: text up to the first 。 (a paragraph may follow on the same line)."""
    name = clean_text(re.split(r"[。；]", rest, maxsplit=1)[0]).rstrip("，,：: ")
    return name[:40]


def _spans(marks: list[tuple[int, str]], end: int, text: str) -> tuple[Span, ...]:
    """Spans from each (start, name) mark to the next one, trailing whitespace trimmed.

    A mark with an empty name only ends the span before it (e.g. the 报送单位 label).
    """
    spans = []
    for k, (start, name) in enumerate(marks):
        stop = marks[k + 1][0] if k + 1 < len(marks) else end
        if name:
            spans.append(Span(name, start, len(text[:stop].rstrip()) if stop > start else stop))
    return tuple(spans)


def _top_heading_marks(lines: list[_Line], first: int, stop: int) -> list[tuple[int, str]]:
    """Top-level 一、二、三… headings in lines[first:stop], accepted only in sequence.

    Requiring the sequence keeps a stray "三、…" inside an 一是/二是 list from becoming a
    section of its own.
    """
    marks, expected = [], 1
    for line in lines[first:stop]:
        match = _TOP_HEADING.match(line.text)
        if match and _cn_number(match[1]) == expected:
            marks.append((line.start, _heading_name(match[2])))
            expected += 1
    return marks


# --------------------------------------------------------------------------------------
# Page furniture
# --------------------------------------------------------------------------------------

# Table-of-contents entry: a title, then a dot leader (".....", "……", "···") and/or a tab,
# then the page number at the end of the line: "重庆市：重拳出击…营商环境.....\t1".
_TOC_ENTRY = re.compile(r"^(?P<title>\S.*?)\s*(?:[.．·…]{2,}\s*|\t\s*)(?P<page>\d{1,4})$")
_TOC_CAPTION = re.compile(r"^目\s*录$")
# A page number alone on its line: "4", "- 12 -", "第3页".
_LONE_NUMBER = re.compile(r"^[-—–－]?\s*(?:第\s*)?\d{1,4}\s*页?\s*[-—–－]?$")
# Cover lines that only say how to reach the publisher.
_CONTACT = re.compile(r"@|电\s*话|传\s*真|邮\s*箱|资料获取|联系方式")


def _is_toc_line(text: str, titles: set[str]) -> bool:
    return bool(_TOC_ENTRY.match(text) or _LONE_NUMBER.match(text) or clean_text(text) in titles)


def _furniture(lines: list[_Line], first_unit_line: int, titles: set[str]) -> list[tuple[int, int]]:
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
        cap = _prev_nonblank(lines, lo)
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
    dropped += [(ln.start, ln.end) for ln in lines if ln.text and _LONE_NUMBER.match(ln.text)]
    return _merge(dropped)


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


def _doc_title(lines: list[_Line], stop: int, dropped: list[tuple[int, int]]) -> tuple[str, ...]:
    """The document title: the first run of short lines before the first unit, if any."""
    run: list[_Line] = []
    for line in lines[:stop]:
        if not line.text or _inside(line.start, dropped):
            if run:
                break
            continue
        if len(line.text) > 40:
            break
        run.append(line)
    return (_clean_lines(run),) if run else ()


# --------------------------------------------------------------------------------------
# Regions, organisations, indicators
# --------------------------------------------------------------------------------------

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
    rf"(?:[{_CJK}]{{0,4}}?(?:省|自治区)|市)?|(?P<own>自治区|省|全区|全省))"
)
_CITY_AT = re.compile(
    rf"^(?P<city>[{_CJK}]{{1,4}}?(?<![城超全本我该各上股集夜门])市"
    rf"|[{_CJK}]{{1,4}}?[州盟](?!市))"
)
_DISTRICT_AT = re.compile(rf"^(?P<district>[{_CJK}]{{2,3}}?[区县旗])(?=[{_CJK}“]|$)")
# Organisation suffixes. In a title the name in front of one is at most six characters (more
# would be the case's action), in running text at most eight ("政务服务数据管理局").
_ORG_SUFFIX = "委员会|办公室|办公厅|工商联|管委会|中心|法院|检察院|纪工委|厅|局|委"
_ORG_AT = re.compile(rf"^(?P<org>[{_CJK}]{{0,6}}?(?:{_ORG_SUFFIX}|政府(?!采购)))")
# Verbs that show the words before a suffix are the case's action, not a unit's name.
_ACTION = re.compile(
    "创新|推进|打造|实施|深化|优化|构建|持续|加强|推动|探索|开展|建立|施行|用好|采取"
)
# An organisation named in running text after a clause boundary, led by the case's place
# ("梧州市自然资源局") or a shorthand level ("市财政局", "省市场监管局"); see _org_in_text.
_ORG_IN_TEXT = (
    rf"(?:^|[，。；、\s“（])(?P<org>(?P<level>{{places}})[{_CJK}]{{{{1,8}}}}?(?:{_ORG_SUFFIX}))"
)


@dataclass(frozen=True)
class _Place:
    province: str = ""  # full province name, "" if not stated
    city: str = ""
    district: str = ""
    written: str = ""  # the place exactly as it leads the text ("广西", "自治区", "北海市")

    def region(self, own_province: str) -> str:
        if not (self.province or self.city or self.district):
            return ""
        return (self.province or own_province) + self.city + self.district


def _leading_place(text: str, own_province: str) -> tuple[_Place, str]:
    """The place name that starts `text` (province, city, district) and the text after it."""
    province, rest = "", text
    match = _PROVINCE_AT.match(rest)
    if match:
        province = _PROVINCES[match["short"]] if match["short"] else own_province
        rest = rest[match.end() :]
    city_match = _CITY_AT.match(rest)
    city = city_match["city"] if city_match else ""
    rest = rest[len(city) :]
    district_match = _DISTRICT_AT.match(rest)
    district = district_match["district"] if district_match else ""
    rest = rest[len(district) :]
    written = text[: len(text) - len(rest)]
    if written and not (province or city or district):  # "自治区" with no known province
        province = written
    return _Place(province, city, district, written), rest


def _own_province(text: str) -> str:
    """The province a collection is about: the one it names most often (at least twice)."""
    counts = Counter({full: text.count(short) for short, full in _PROVINCES.items()})
    (full, count), (_, runner_up) = counts.most_common(2)
    return full if count >= 2 and count > runner_up else ""


def _org_at(text: str) -> str:
    """A unit's name at the start of `text` ("财政厅…", "市场监管局…"), or ""."""
    match = _ORG_AT.match(text)
    if not match or _ACTION.search(match["org"]):
        return ""
    return match["org"]


def _org_in_text(paragraph: str, place: _Place) -> str:
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


def _indicator(title: str, body: str) -> str:
    """Best-scoring 指标 by keyword counts; "" when none is mentioned more than in passing."""
    best, best_score = "", _MIN_INDICATOR_SCORE - 1
    for name, pattern in _INDICATOR_RES:
        score = 10 * len(pattern.findall(title)) + len(pattern.findall(body))
        if score > best_score:
            best, best_score = name, score
    return best


# --------------------------------------------------------------------------------------
# Layout 1: field blocks (指标名称 / 案例名称 / 案例特色或亮点 / 报送单位 / 主要内容)
# --------------------------------------------------------------------------------------

# A field label alone on its line, or followed by "：" / whitespace and the value.
_FIELD_LABEL = re.compile(
    r"^(?P<label>指标名称|所属指标|案例名称|案例特色或亮点|案例亮点|特色亮点|报送单位|申报单位|"
    r"主要内容|案例内容)(?:(?:\s*[:：]\s*|\s+)(?P<value>.+))?$"
)
_FIELD_KEY = {
    "指标名称": "indicator", "所属指标": "indicator", "案例名称": "title",
    "案例特色或亮点": "highlights", "案例亮点": "highlights", "特色亮点": "highlights",
    "报送单位": "org", "申报单位": "org", "主要内容": "content", "案例内容": "content",
}  # fmt: skip
_SECTION_NAME = {"highlights": "案例特色或亮点", "content": "主要内容"}
_CASE_NUMBER = re.compile(r"^编号\s*(?P<num>\d{1,3})\s*[:：]?$")  # "编号1："


def _field_key(line: _Line) -> str | None:
    match = _FIELD_LABEL.match(line.text)
    return _FIELD_KEY[match["label"]] if match else None


def _block_start(lines: list[_Line], anchor: int, floor: int) -> tuple[int, str]:
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
        if taken == 4 or len(text) > 60 or _ends_sentence(text) or _field_key(lines[j]):
            break
        start, taken = j, taken + 1
    return start, ""


def _toc_numbers(lines: list[_Line], stop: int) -> dict[str, str]:
    """Numbers printed in a front title list: a bare number line followed by a title line."""
    numbers = {}
    for i in range(stop):
        if _LONE_NUMBER.match(lines[i].text) and lines[i].text.isdigit():
            nxt = _next_nonblank(lines, i, stop)
            if nxt is not None and not _LONE_NUMBER.match(lines[nxt].text):
                numbers[clean_text(lines[nxt].text)] = lines[i].text
    return numbers


def parse_field_cases(text: str, doc: str) -> ParsedDocument | None:
    """Cases printed as labelled field blocks, e.g. 2023年…十大先进典型示范案例."""
    lines = _split_lines(text)
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
    province = _own_province(text)
    cases = []
    for k, (anchor, (first, number)) in enumerate(zip(anchors, starts, strict=True)):
        stop = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        cases.append(_field_case(text, doc, lines, keys, first, anchor, stop, number, province))

    titles = {unit.title for unit in cases}
    first_line = starts[0][0]
    dropped = _furniture(lines, first_line, titles)
    toc_numbers = _toc_numbers(lines, first_line)
    path = _doc_title(lines, first_line, dropped)
    units = [
        _with(u, number=u.number or toc_numbers.get(u.title, ""), heading_path=path) for u in cases
    ]
    return ParsedDocument(tuple(units), tuple(dropped), layout="cases:fields")


def _field_case(
    text: str,
    doc: str,
    lines: list[_Line],
    keys: list[str | None],
    first: int,
    anchor: int,
    stop: int,
    number: str,
    province: str,
) -> Unit:
    """One field-block case spanning lines[first:stop]."""
    end = _last_end(lines, first, stop)
    labels = [i for i in range(anchor, stop) if keys[i]]
    values: dict[str, str] = {}
    marks: list[tuple[int, str]] = []
    for n, i in enumerate(labels):
        key = keys[i] or ""
        nxt = labels[n + 1] if n + 1 < len(labels) else stop
        inline = _FIELD_LABEL.match(lines[i].text)["value"] or ""  # type: ignore[index]
        values.setdefault(key, clean_text(inline + "\n" + _clean_lines(lines[i + 1 : nxt])))
        if key == "content":
            heads = _top_heading_marks(lines, i + 1, nxt)
            # the text before the first 一、 heading (or all of it) is the 主要内容 section
            lead = not heads or heads[0][0] > _first_text_start(lines, i + 1, nxt)
            marks.append((lines[i].start, "主要内容" if lead else ""))
            marks += heads
        else:
            marks.append((lines[i].start, _SECTION_NAME.get(key, "")))
    title_lines = [ln for ln in lines[first:anchor] if ln.text and not _CASE_NUMBER.match(ln.text)]
    title = values.get("title") or _clean_lines(title_lines)
    org = values.get("org", "")
    place = _case_place(title, org, province)
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
        indicator=values.get("indicator") or _indicator(title, body),
        highlights=values.get("highlights", ""),
        sections=_spans(marks, end, text),
    )


def _first_text_start(lines: list[_Line], first: int, stop: int) -> int:
    nxt = _next_nonblank(lines, first - 1, stop)
    return lines[nxt].start if nxt is not None else -1


def _title_actor(title: str, paragraph: str, province: str) -> tuple[_Place, str]:
    """The place leading a case title and the unit acting in the case.

    The unit is named in the title right after the place ("钦州市税务局推出…"), else in the
    first paragraph (see _org_in_text), else it is the place itself.
    """
    place, rest = _leading_place(title, province)
    org = _org_at(rest)
    org = place.written + org if org else _org_in_text(paragraph, place) or place.written
    return place, org


def _case_place(title: str, org: str, province: str) -> _Place:
    """Where a Guangxi-style case happens: the place leading its title, else its units."""
    for candidate in [title, *re.split(r"[、，,；;]", org)]:
        place, _ = _leading_place(candidate.strip(), province)
        if place.written:
            return place
    return _Place(province=province) if province else _Place()


def _with(unit: Unit, **changes: object) -> Unit:
    return dataclasses.replace(unit, **changes)  # type: ignore[arg-type]


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
        and not _ends_sentence(text)
        and not text.endswith(("：", ":"))
        and not _TOP_HEADING.match(text)
        and not _MINOR_HEADING.match(text)
        and not _FIELD_LABEL.match(text)
        and not _LONE_NUMBER.match(text)
    )


def _title_block(lines: list[_Line], first: int) -> int:
    """Index after the last line of the title starting at `first` (at most three lines)."""
    last, taken = first, 1
    j = _next_nonblank(lines, first)
    while j is not None and taken < 3 and _title_line(lines[j].text):
        if _next_nonblank(lines, j) is None:  # a title needs a body after it
            break
        last, taken = j, taken + 1
        j = _next_nonblank(lines, j)
    return last + 1


def _numbered_candidates(lines: list[_Line]) -> list[tuple[int, str]]:
    """(line index, number) of possible case titles; number "" for unnumbered ones."""
    found, last_number = [], 0
    for i, line in enumerate(lines):
        match = _NUMBERED_TITLE.match(line.text)
        if match and len(line.text) <= 60 and "。" not in line.text:
            if int(match["num"]) > last_number:  # titles count up; sub-lists restart at 1
                found.append((i, match["num"]))
                last_number = int(match["num"])
            continue
        prev = _prev_nonblank(lines, i)
        if (
            _title_line(line.text)
            and prev is not None
            and _ends_sentence(lines[prev].text)
            and not _NUMBERED_TITLE.match(lines[prev].text)
        ):
            found.append((i, ""))
    return found


def parse_numbered_cases(text: str, doc: str) -> ParsedDocument | None:
    """Cases with numbered titles and 一、主要做法 / 二、主要成效 parts, e.g. 市场化营商环境典型案例."""
    lines = _split_lines(text)
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
    province = _own_province(text)
    cases = []
    for k, (first, number) in enumerate(accepted):
        stop = accepted[k + 1][0] if k + 1 < len(accepted) else len(lines)
        unit = _numbered_case(text, doc, lines, first, stop, number, province)
        with_parts += any(_CASE_PART.search(span.name) for span in unit.sections)
        cases.append(unit)
    if with_parts * 2 < len(cases):
        return None
    first_line = accepted[0][0]
    dropped = _furniture(lines, first_line, {u.title for u in cases})
    path = _doc_title(lines, first_line, dropped)
    units = tuple(_with(u, heading_path=path) for u in cases)
    return ParsedDocument(units, tuple(dropped), layout="cases:numbered")


def _has_heading_run(lines: list[_Line], first: int, stop: int) -> bool:
    return any(
        (m := _TOP_HEADING.match(ln.text)) and _cn_number(m[1]) == 1 for ln in lines[first:stop]
    )


def _numbered_case(
    text: str, doc: str, lines: list[_Line], first: int, stop: int, number: str, province: str
) -> Unit:
    """One numbered case spanning lines[first:stop]."""
    after_title = _title_block(lines, first)
    title = _clean_lines(lines[first:after_title])
    if number:
        title = _NUMBERED_TITLE.match(title)["title"]  # type: ignore[index]
    end = _last_end(lines, first, stop)
    body_first = _next_nonblank(lines, after_title - 1, stop)
    paragraph = ""
    for j in range(after_title, stop):
        if lines[j].text and not _TOP_HEADING.match(lines[j].text):
            paragraph = lines[j].text
            break
    place, org = _title_actor(title, paragraph, province)
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
        indicator=_indicator(title, body),
        sections=_spans(_top_heading_marks(lines, after_title, stop), end, text),
    )


# --------------------------------------------------------------------------------------
# Layout 3: articles headed "省市区：标题" (weekly case digests)
# --------------------------------------------------------------------------------------

# A place chain, each part ending in its level: province (…省/自治区), city (…市/州/盟/地区),
# district (…区/县/旗); e.g. "浙江省杭州市", "天津市东丽区", "贵州省黔东南州", "重庆市". The
# whole chain must run up to the colon, so "营商智库：" or "…副院长王磊：" are no headings.
_ARTICLE_HEADING = re.compile(
    rf"^(?P<region>(?P<province>[{_CJK}]{{2,7}}?(?:省|自治区|特别行政区))?"
    rf"(?P<city>[{_CJK}]{{1,6}}?(?:市|州|盟|地区))?"
    rf"(?P<district>[{_CJK}]{{1,5}}?(?:区|县|旗))?)"
    r"\s*[:：]\s*(?P<title>\S.*)$"
)


def _article_heading(line: _Line) -> re.Match[str] | None:
    """ "浙江省杭州市：标题" on a line of its own: short, no full stop, no page number."""
    text = line.text
    if not text or len(text) > 45 or "。" in text or _TOC_ENTRY.match(text):
        return None
    match = _ARTICLE_HEADING.match(text)
    return match if match and match["region"] else None


def _wrap_width(lines: list[_Line]) -> float:
    """Width at which the PDF wrapped body lines (0 if unknown).

    Measured on lines that break mid-sentence (a 。 inside, no sentence end at the end);
    CJK characters count 1 and half-width characters ½, as printed.
    """
    widths = Counter(
        round(_width(ln.text))
        for ln in lines
        if "。" in ln.text[:-1] and not _ends_sentence(ln.text) and len(ln.text) <= 40
    )
    return widths.most_common(1)[0][0] if widths else 0


def _width(text: str) -> float:
    return sum(0.5 if ord(c) < 0x2000 else 1.0 for c in text)


def _subheading_marks(
    lines: list[_Line], first: int, stop: int, wrap: float
) -> list[tuple[int, str]]:
    """Sub-headings inside an article: short stand-alone lines after a finished sentence.

    A line as wide as the wrap width is a body line broken by the PDF, not a heading.
    """
    marks: list[tuple[int, str]] = []
    for i in range(first + 1, stop):
        text = lines[i].text
        prev = _prev_nonblank(lines, i)
        if (
            not text
            or len(text) > 32
            or "。" in text
            or _ends_sentence(text)
            or text.endswith(("，", "、", "：", ":", "；"))
            or _LONE_NUMBER.match(text)
            or (wrap and abs(_width(text) - wrap) <= 1)
        ):
            continue
        numbered = _TOP_HEADING.match(text) or _ARABIC_HEADING.match(text)
        # An unnumbered line is a heading only after a finished sentence (or a lead-in "…：",
        # the article heading or another heading); otherwise it continues the paragraph.
        after = lines[prev].text if prev is not None else ""
        if not numbered and not (
            prev == first
            or _ends_sentence(after)
            or after.endswith(("：", ":"))
            or (marks and marks[-1][0] == lines[prev].start)  # type: ignore[index]
        ):
            continue
        name = numbered[numbered.lastindex or 0] if numbered else text  # without the number
        marks.append((lines[i].start, _heading_name(name)))
    return marks


def parse_region_articles(text: str, doc: str) -> ParsedDocument | None:
    """Articles headed by their place, e.g. 每周营商环境优秀案例（…）."""
    lines = _split_lines(text)
    heads = [(i, m) for i, line in enumerate(lines) if (m := _article_heading(line))]
    if len(heads) < 3:
        return None
    wrap = _wrap_width(lines)
    cases = []
    for k, (first, match) in enumerate(heads):
        stop = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        cases.append(_article(text, doc, lines, first, stop, match, wrap))
    first_line = heads[0][0]
    dropped = _furniture(lines, first_line, {u.title for u in cases})
    path = _doc_title(lines, first_line, dropped)
    units = tuple(_with(u, heading_path=path) for u in cases)
    return ParsedDocument(units, tuple(dropped), layout="cases:articles")


def _article(
    text: str,
    doc: str,
    lines: list[_Line],
    first: int,
    stop: int,
    match: re.Match[str],
    wrap: float,
) -> Unit:
    """One article spanning lines[first:stop]."""
    place = _Place(*(part or "" for part in match.group("province", "city", "district")))
    rest = clean_text(match["title"])
    if not place.district:  # "浙江省杭州市：余杭区提升…" names the district in the title
        district = _DISTRICT_AT.match(rest)
        if district:
            place = _Place(place.province, place.city, district["district"])
            rest = rest[district.end() :]
    end = _last_end(lines, first, stop)
    body_first = _next_nonblank(lines, first, stop)
    paragraph = lines[body_first].text if body_first is not None else ""
    local = place.district or place.city or place.province  # the most specific place
    org = _org_at(rest)
    org = local + org if org else _org_in_text(paragraph, place) or local
    title = clean_text(match.group(0))
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
        indicator=_indicator(title, body),
        sections=_spans(_subheading_marks(lines, first, stop, wrap), end, text),
    )


PARSERS: list[Callable[[str, str], ParsedDocument | None]] = [
    parse_field_cases,
    parse_numbered_cases,
    parse_region_articles,
]
