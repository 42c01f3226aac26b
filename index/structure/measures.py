"""Layout parser for policy documents made of numbered measures (措施、工作要点、任务清单).

Two layouts are recognised, alone or together in one document:

* a numbered list of measures: items numbered "1." or "（一）" under "一、" parts, each
  ending in a responsibility note such as "（牵头单位：…；配合单位：…）". Parts whose
  items carry no such note (总体要求、保障措施 …) become one `section` unit each.
* a task table (任务清单), flattened by PDF/Word extraction: a header line starting with
  序号 and naming 牵头单位, then rows "106<TAB>纳税<TAB>…" that may be broken over several
  lines. Repeated header lines and page numbers are furniture (`dropped`).

Text between units (preamble, bare group headings, annex title) is left to the
dispatcher, which turns it into generic sections.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from index.structure.common import (
    HEADING_TITLE_CHARS,
    TITLE_CHARS,
    furniture_spans,
    heading_label,
    line_spans,
    match_heading,
    one_line,
    short_title,
)
from index.types import ParsedDocument, Span, Unit

LAYOUT = "measures"
MIN_MEASURES = 3  # fewer responsibility notes than this is not a measures document

# --------------------------------------------------------------------------- unit names

_LEAD = "牵头单位|牵头部门|责任单位|责任部门"
_COOP = "配合单位|配合部门|参与单位"
_NOTE_OPEN = re.compile(rf"[（(〔【\[]\s*(?:{_LEAD})\s*[:：]")
_NOTE_BODY = re.compile(rf"(?:{_LEAD})[:：](?P<lead>.*?)(?:[；;]\s*(?:{_COOP})[:：](?P<coop>.*))?")
_OPEN, _CLOSE = "（(〔【[《“", "）)〕】]》”"
_SEPARATORS = "、，,；;"
_DUTY_SUFFIX = re.compile(r"(?:按职责分工)?(?:分别)?负责$")
# Fixed expressions that name one group of bodies although they contain "、".
_WHOLE_NAMES = re.compile(
    r"(?:各|相关|有关)市、县(?:（市、区）)?人民政府|各县、区人民政府|各县（市、区）人民政府"
)
# "钦州、崇左市人民政府" shares its suffix between the places listed before it.
_SHARED_SUFFIX = re.compile(r"(?:市|县|区)人民政府$|片区管委会$")
_GROUP_NAME = re.compile(r"各|相关|有关|其他")
_TRAILING_NOTE = re.compile(r"[（(〔][^（(〔]*[）)〕]$")
_ORG_END = re.compile(r"(?:[局厅委办院会行司部府处所站队团心组社联馆室关]|公司|集团|单位|部门)$")


def split_units(text: str) -> tuple[str, ...]:
    """Unit names in a 牵头单位/配合单位 cell: split on 、，; outside brackets.

    "南宁、桂林、北海市人民政府" is expanded to the three city governments; duty phrases
    like "按职责分工负责" are removed.
    """
    protected = {}

    def protect(m: re.Match[str]) -> str:
        key = f"\x00{len(protected)}\x00"
        protected[key] = m.group()
        return key

    text = _WHOLE_NAMES.sub(protect, one_line(text))
    names = [_DUTY_SUFFIX.sub("", n).strip(" 　") for n in _split_top_level(text)]
    names = [protected.get(n, n) for n in names if n]
    return tuple(_expand_places(names))


def _split_top_level(text: str) -> list[str]:
    parts, depth, buf = [], 0, []
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        if ch in _SEPARATORS and depth == 0:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


def _expand_places(names: list[str]) -> list[str]:
    """'钦州', '崇左市人民政府' -> '钦州市人民政府', '崇左市人民政府'."""
    out = list(names)
    for i, name in enumerate(names):
        # Group names ("各市、县人民政府") name every body themselves; they share nothing.
        m = None if _GROUP_NAME.match(name) else _SHARED_SUFFIX.search(name)
        j = i - 1
        while m and j >= 0 and not _is_org(names[j]):
            out[j] = names[j] + m.group()
            j -= 1
    return out


def _is_org(name: str) -> bool:
    """Whether a name ends like a body ("…局", "…公司"), ignoring a bracketed note."""
    return bool(_ORG_END.search(_TRAILING_NOTE.sub("", name)))


def cell_text(text: str) -> str:
    """A responsibility cell as printed, on one line, for quoting."""
    return one_line(text).strip(" 　")


def note_cells(note: str) -> tuple[str, str]:
    """(lead, coop) cells of the inside of a responsibility note, as a task table's columns
    are; ("", "") when it is none."""
    m = _NOTE_BODY.fullmatch(one_line(note))
    return (m.group("lead"), m.group("coop") or "") if m else ("", "")


def _closing_bracket(text: str, open_pos: int, end: int) -> int | None:
    """Offset just after the bracket closing the one at `open_pos` (nesting aware)."""
    depth = 0
    for pos in range(open_pos, end):
        ch = text[pos]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth == 0:
                return pos + 1
    return None


# --------------------------------------------------------------------------- measure list

# Numbering styles of a measures list and their nesting level.
_LIST_LEVELS = {"cn": 1, "paren_cn": 2, "arabic": 3, "paren_arabic": 4}
_SAFEGUARD_PART = re.compile(r"保障措施|组织实施|工作要求")
# Lines that close the list: an annex heading or the distribution list (抄送).
_TAIL = re.compile(
    r"[ \t\u3000]*(?:附件[0-9一二三四五六七八九十]*(?:[:：]|[ \t\u3000]*$)|抄送[:：])"
)


@dataclass
class _Block:
    """A numbered item of the list: from its marker to the next marker."""

    number: str
    style: str
    level: int
    start: int
    text_start: int
    end: int  # after its last non-whitespace character
    title: str
    note: tuple[int, int] | None  # the responsibility note (brackets included)


@dataclass
class _Part:
    """A top-level ("一、") part and its items, when none of them is a measure."""

    head: _Block
    items: list[_Block] = field(default_factory=list)


def _blocks(text: str, start: int, end: int, skip: list[tuple[int, int]]) -> list[_Block]:
    lines = [
        (s, e)
        for s, e in line_spans(text, start, end)
        if not any(a <= s and e <= b for a, b in skip)
    ]
    marks = []
    for s, e in lines:
        head = match_heading(text, s, e)
        if head and head.style in _LIST_LEVELS:
            marks.append(head)
        elif _TAIL.match(text, s, e) and marks:
            end = s  # the annex or distribution list closes the last item
            break
    blocks = []
    for k, head in enumerate(marks):
        stop = marks[k + 1].start if k + 1 < len(marks) else end
        body_end = head.text_start + len(text[head.text_start : stop].rstrip())
        blocks.append(
            _Block(
                number=head.number,
                style=head.style,
                level=_LIST_LEVELS[head.style],
                start=head.start,
                text_start=head.text_start,
                end=body_end,
                title=_item_title(text, head.text_start, body_end),
                note=_find_note(text, head.text_start, body_end),
            )
        )
    return blocks


def _item_title(text: str, start: int, end: int) -> str:
    """The run-in heading of an item ("纳税服务。…"), read within its first paragraph so a
    bare heading line ("一、组织实施") does not run into the text below it."""
    blank = _BLANK_LINE.search(text, start, end)
    return short_title(text[start : blank.start() if blank else end], HEADING_TITLE_CHARS)


def _find_note(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The last responsibility note inside text[start:end]."""
    found = None
    for m in _NOTE_OPEN.finditer(text, start, end):
        close = _closing_bracket(text, m.start(), end)
        if close is not None:
            found = (m.start(), close)
    return found


def _parse_list(
    text: str, doc: str, start: int, end: int, skip: list[tuple[int, int]]
) -> list[Unit]:
    blocks = _blocks(text, start, end, skip)
    if sum(b.note is not None for b in blocks) < MIN_MEASURES:
        return []
    units: list[Unit] = []
    path: dict[int, str] = {}  # level -> label of the open heading at that level
    part: _Part | None = None  # the current "一、" part while none of its items is a measure
    for block in blocks:
        for level in [lv for lv in path if lv >= block.level]:
            del path[level]
        if block.level == 1:
            units += _part_unit(text, doc, part)
            part = _Part(block) if block.note is None else None
        if block.note is not None:
            part = None  # a part holding measures is a group heading, not a section
            units.append(_measure_unit(text, doc, block, path))
        elif part is not None and block is not part.head:
            part.items.append(block)
        # Non-measure items of a measures part (group headings such as "（一）集中力量
        # 补短板…") only name the measures below them; their text is left to the
        # dispatcher.
        path[block.level] = heading_label(block.number, block.title, block.style)
    units += _part_unit(text, doc, part)
    return units


def _measure_unit(text: str, doc: str, block: _Block, path: dict[int, str]) -> Unit:
    assert block.note is not None
    note_start, note_end = block.note
    lead_cell, coop_cell = note_cells(text[note_start + 1 : note_end - 1])
    heading_path = tuple(path[lv] for lv in sorted(path) if lv < block.level)
    return Unit(
        id=f"{doc}#measure@{block.start}",  # provisional; the dispatcher renumbers
        doc=doc,
        kind="measure",
        title=block.title,
        start=block.start,
        end=note_end,
        number=block.number,
        indicator=guess_indicator(block, heading_path),
        lead_units=split_units(lead_cell),
        coop_units=split_units(coop_cell),
        lead_text=cell_text(lead_cell),
        coop_text=cell_text(coop_cell),
        heading_path=heading_path,
    )


def guess_indicator(block: _Block, heading_path: tuple[str, ...]) -> str:
    """The area of a work point.

    Work points numbered "（一）" right under a part ("一、深化重点领域对标改革…") are
    headed by their area ("市场准入退出", "纳税服务"); under a safeguards part the task list
    files them as "保障措施", so we do too. Measures numbered "1." are named by their
    action ("提高投资建设水平") and have no area.
    """
    if block.style != "paren_cn" or len(heading_path) != 1:
        return ""
    part = heading_path[0].split("、", 1)[-1]
    return part if _SAFEGUARD_PART.search(part) else block.title


def _part_unit(text: str, doc: str, part: _Part | None) -> list[Unit]:
    """A part whose items are not measures (总体要求、保障措施) as one section unit."""
    if part is None:
        return []
    end = max([part.head.end, *(item.end for item in part.items)])
    sections = tuple(Span(item.title, item.start, item.end) for item in part.items)
    return [
        Unit(
            id=f"{doc}#section@{part.head.start}",
            doc=doc,
            kind="section",
            title=part.head.title,
            start=part.head.start,
            end=end,
            number=part.head.number,
            sections=sections,
        )
    ]


# --------------------------------------------------------------------------- task table

_HEADER_START = re.compile(r"[ \t\u3000]*序[ \t\u3000]*号")
_HEADER_LEAD = re.compile(_LEAD)
_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")
_ROW_START = re.compile(r"[ \t\u3000]*([0-9]{1,3})(?:\t|[ \u3000]+)(?=\S)")
_DEADLINE = re.compile(
    r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?(?:\s*[前底])?|长期(?:坚持)?|持续推进"
)
_COLUMNS = {
    "number": re.compile(r"序号"),
    "indicator": re.compile(r"指标|领域|类别"),
    "direction": re.compile(r"改革方向|方向|事项"),
    "task": re.compile(r"任务举措|主要任务|工作任务|具体措施|举措|任务|措施|内容"),
    "deadline": re.compile(r"完成时限|时限|完成时间|时间"),
    "lead": re.compile(_LEAD),
    "coop": re.compile(_COOP),
}


@dataclass
class _Row:
    number: int
    lines: list[tuple[int, int]]


def _is_header(line: str) -> bool:
    return bool(_HEADER_START.match(line) and _HEADER_LEAD.search(line))


def _columns(header: str) -> list[str]:
    """Field name for each header cell ('' for columns we do not use)."""
    cells = [c for c in re.split(r"\t|[ \u3000]{2,}", header.strip()) if c.strip()]
    if len(cells) < 3:
        cells = header.split()
    names = []
    for cell in cells:
        cell = one_line(cell)
        names.append(next((name for name, pat in _COLUMNS.items() if pat.search(cell)), ""))
    return names


def _split_table(
    text: str, start: int, skip: list[tuple[int, int]]
) -> tuple[list[tuple[int, int]], list[_Row], list[str]] | None:
    """Header lines, rows and column names of the first task table at or after `start`.

    Lines inside `skip` (page numbers, running headers) are passed over, so a row broken
    by a page break is joined again.
    """
    lines = [
        (s, e) for s, e in line_spans(text, start) if not any(a <= s and e <= b for a, b in skip)
    ]
    first = next((k for k, (s, e) in enumerate(lines) if _is_header(text[s:e])), None)
    if first is None:
        return None
    s, e = lines[first]
    columns = _columns(text[s:e])
    headers, rows = [], []
    for ln_start, ln_end in lines[first:]:
        line = text[ln_start:ln_end]
        if _is_header(line):
            headers.append((ln_start, ln_end))
            continue
        m = _ROW_START.match(line)
        if m and (not rows or int(m.group(1)) == rows[-1].number + 1):
            rows.append(_Row(int(m.group(1)), [(ln_start, ln_end)]))
        elif line.strip() and rows:
            # A complete row followed by a blank line, or by the distribution list,
            # ends the table; otherwise the line continues the row's last cell.
            after_blank = _BLANK_LINE.search(text, rows[-1].lines[-1][1], ln_start) is not None
            if _row_complete(text, rows[-1], columns) and (after_blank or _TAIL.match(line)):
                break
            rows[-1].lines.append((ln_start, ln_end))
    return headers, rows, columns


def _row_text(text: str, row: _Row) -> str:
    return "\n".join(text[s:e] for s, e in row.lines)


def _row_complete(text: str, row: _Row, columns: list[str]) -> bool:
    """Whether a row already has all its cells (continuation lines belong to it otherwise)."""
    body = _row_text(text, row)
    if "\t" in body:
        return body.count("\t") >= len(columns) - 1
    return bool(_DEADLINE.search(body)) and bool(
        body.rstrip().endswith(tuple("局厅委办院会府司心组"))
    )


def _cells(text: str, row: _Row, columns: list[str]) -> dict[str, str]:
    """The row's cell texts by field name, cleaned."""
    body = _row_text(text, row).strip()
    if "\t" in body:
        cells = body.split("\t")
    else:  # PDF text: cells separated by runs of spaces, or by single spaces
        cells = re.split(r"[ \u3000]{2,}", body)
        if len(cells) != len(columns):
            cells = body.split()
        if len(cells) != len(columns):
            return _cells_by_deadline(body)
    if len(cells) > len(columns):  # stray tabs: fold the extra cells into 任务举措
        k = columns.index("task") if "task" in columns else len(columns) - 1
        extra = len(cells) - len(columns)
        cells = [*cells[:k], " ".join(cells[k : k + extra + 1]), *cells[k + extra + 1 :]]
    values = dict.fromkeys(_COLUMNS, "")
    for name, cell in zip(columns, cells, strict=False):  # missing trailing cells stay ""
        if name:
            values[name] = one_line(cell)
    return values


def _cells_by_deadline(body: str) -> dict[str, str]:
    """Last resort for a row whose cells cannot be told apart: the text before its last
    deadline is the task, the first word after it the lead units, the rest the coop."""
    values = dict.fromkeys(_COLUMNS, "")
    number, _, rest = body.partition(" ")
    values["number"] = number
    deadlines = list(_DEADLINE.finditer(rest))
    if not deadlines:
        values["task"] = one_line(rest)
        return values
    last = deadlines[-1]
    values["task"] = one_line(rest[: last.start()])
    values["deadline"] = one_line(last.group())
    lead, _, coop = rest[last.end() :].strip().partition(" ")
    values["lead"], values["coop"] = one_line(lead), one_line(coop)
    return values


def _table_units(
    text: str, doc: str, start: int, skip: list[tuple[int, int]]
) -> tuple[list[Unit], list[tuple[int, int]]]:
    table = _split_table(text, start, [sp for sp in skip if not _is_header(text[sp[0] : sp[1]])])
    if table is None:
        return [], []
    headers, rows, columns = table
    heading = _annex_title(text, headers[0][0]) if headers else ""
    units = [_row_unit(text, doc, row, columns, heading) for row in rows]
    return units, headers


def _row_unit(text: str, doc: str, row: _Row, columns: list[str], heading: str) -> Unit:
    cells = _cells(text, row, columns)
    first, last = row.lines[0], row.lines[-1]
    start = first[0] + len(text[first[0] : first[1]]) - len(text[first[0] : first[1]].lstrip())
    end = last[0] + len(text[last[0] : last[1]].rstrip())
    title = cells["direction"] or cells["task"]
    return Unit(
        id=f"{doc}#measure@{start}",
        doc=doc,
        kind="measure",
        title=short_title(title, TITLE_CHARS) if len(title) > TITLE_CHARS else title,
        start=start,
        end=end,
        number=str(row.number),
        indicator=cells["indicator"],
        direction=cells["direction"],
        deadline=re.sub(r"\s+", "", cells["deadline"]),
        lead_units=split_units(cells["lead"]),
        coop_units=split_units(cells["coop"]),
        lead_text=cell_text(cells["lead"]),
        coop_text=cell_text(cells["coop"]),
        heading_path=(heading,) if heading else (),
    )


def _annex_title(text: str, header_start: int) -> str:
    """The title line above the table ("…任务清单"), skipping a bare "附件" line."""
    before = [
        text[s:e].strip() for s, e in line_spans(text, max(0, header_start - 400), header_start)
    ]
    for line in reversed([ln for ln in before if ln][-3:]):
        if not re.fullmatch(r"附件[0-9一二三四五六七八九十]*[:：]?", line):
            return one_line(line)
    return ""


# --------------------------------------------------------------------------- entry point


def parse(text: str, doc: str) -> ParsedDocument | None:
    """Measures and task rows of `text`, or None when it has neither layout."""
    furniture = furniture_spans(text)
    table_units, headers = _table_units(text, doc, 0, furniture)
    body_end = min([s for s, _ in headers] + [len(text)])
    list_units = _parse_list(text, doc, 0, body_end, furniture)
    if len(table_units) < MIN_MEASURES and not list_units:
        return None
    if len(table_units) < MIN_MEASURES:
        table_units, headers = [], []
    dropped = sorted(set(furniture) | set(headers))
    units = sorted(list_units + table_units, key=lambda u: u.start)
    return ParsedDocument(units=tuple(units), dropped=tuple(dropped), layout=LAYOUT)


PARSERS: list[Callable[[str, str], ParsedDocument | None]] = [parse]
