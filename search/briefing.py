"""A briefing (简报): collected items with numbered citations, exported as Markdown, Word
(.docx) or a spreadsheet (.xlsx).

Items carry their own citations and refer to them with local markers [1]…[k] in their
text; `number_citations` renumbers them into one list for the whole briefing (the same
source cited twice gets one number). The renderers are pure: items in, bytes out.
A basket is saved as JSON (`save_basket` / `load_basket`) so `yingshang export` and the
page share one format.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from index.types import Citation, Hit, Unit
from search.compose import field_value

FORMATS = ("md", "docx", "xlsx")
ITEM_KINDS = {
    "answer": "问答",
    "unit": "案例/措施",
    "passage": "原文段落",
    "similar": "相似案例",
    "note": "笔记",
}
BASKET_FORMAT = 1
DEFAULT_TITLE = "营商环境简报"
BODY_FONT, HEADING_FONT = "宋体", "黑体"  # present wherever Chinese Word documents are read
_MARKER = re.compile(r"\[(\d+)\]")


class BriefingError(ValueError):
    """The basket cannot be read or exported; the message is for people (Chinese)."""


@dataclass(frozen=True)
class BriefingItem:
    """One thing put into the basket: an answer, a source card, a case, a similar case."""

    kind: str  # one of ITEM_KINDS
    title: str
    text: str  # may refer to `citations` as [1]…[k]
    citations: tuple[Citation, ...] = ()
    unit_id: str = ""
    fields: tuple[tuple[str, str], ...] = ()  # (label, value), e.g. ("地区", "北海市")
    note: str = ""  # e.g. why a similar case is similar

    def to_json(self) -> dict:
        data = asdict(self)
        data["citations"] = [asdict(c) for c in self.citations]
        data["fields"] = [list(f) for f in self.fields]
        return data

    @classmethod
    def from_json(cls, data: dict) -> BriefingItem:
        try:
            return cls(
                kind=data.get("kind", "note"),
                title=str(data.get("title", "")),
                text=str(data.get("text", "")),
                citations=tuple(Citation(**c) for c in data.get("citations", ())),
                unit_id=str(data.get("unit_id", "")),
                fields=tuple((str(k), str(v)) for k, v in data.get("fields", ())),
                note=str(data.get("note", "")),
            )
        except (TypeError, ValueError) as exc:
            raise BriefingError(f"简报条目格式不正确：{exc}") from exc


@dataclass(frozen=True)
class Table:
    """A table in a briefing (e.g. a comparison); cells may cite `citations` as [n]."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Briefing:
    """Items and tables with one numbering of citations: [n] is citations[n-1]."""

    title: str
    items: tuple[BriefingItem, ...] = ()
    tables: tuple[Table, ...] = ()
    citations: tuple[Citation, ...] = field(default=())


# ---------------------------------------------------------------- items from results


def item_from_answer(question: str, answer) -> BriefingItem:
    """An `search.answer.Answer`: its text keeps the answer's own markers [n]."""
    return BriefingItem("answer", question, answer.text, tuple(answer.citations))


def item_from_hit(hit: Hit) -> BriefingItem:
    """A source card: the passage, cited."""
    return BriefingItem(
        "passage",
        hit.unit.title,
        f"{hit.passage.text}[1]",
        (hit.citation,),
        unit_id=hit.unit.id,
        fields=unit_fields(hit.unit),
    )


def item_from_unit(unit: Unit, text: str, citation: Citation, kind: str = "unit") -> BriefingItem:
    """A case or measure with its best passage (or its practice) as text."""
    return BriefingItem(
        kind, unit.title, f"{text}[1]", (citation,), unit_id=unit.id, fields=unit_fields(unit)
    )


def item_from_similar(item, citation: Citation) -> BriefingItem:
    """A `search.similar.SimilarItem`: the neighbour's closest passage and the reason."""
    text = item.passage_pair[1] or item.unit.title
    return replace(item_from_unit(item.unit, text, citation, "similar"), note=item.reason)


def unit_fields(unit: Unit) -> tuple[tuple[str, str], ...]:
    pairs = (
        ("地区", unit.region),
        ("指标", unit.indicator),
        ("报送单位", unit.org),
        ("牵头单位", field_value(unit, "牵头单位")),
        ("完成时限", unit.deadline),
    )
    return tuple((k, v) for k, v in pairs if v)


# ---------------------------------------------------------------- numbering


def _citation_key(c: Citation) -> tuple:
    return (c.doc, c.start, c.end, c.section)


def _renumber(text: str, mapping: Sequence[int]) -> str:
    def sub(m: re.Match) -> str:
        n = int(m.group(1))
        return f"[{mapping[n - 1]}]" if 1 <= n <= len(mapping) else m.group()

    return _MARKER.sub(sub, text)


def number_citations(
    title: str, items: Sequence[BriefingItem], tables: Sequence[Table] = ()
) -> Briefing:
    """One numbering for the whole briefing, in order of appearance (pure)."""
    numbers: dict[tuple, int] = {}
    ordered: list[Citation] = []

    def mapping(citations: Sequence[Citation]) -> list[int]:
        out = []
        for c in citations:
            key = _citation_key(c)
            if key not in numbers:
                ordered.append(c)
                numbers[key] = len(ordered)
            out.append(numbers[key])
        return out

    new_items = []
    for item in items:
        m = mapping(item.citations)
        new_items.append(replace(item, text=_renumber(item.text, m)))
    new_tables = []
    for table in tables:
        m = mapping(table.citations)
        rows = tuple(tuple(_renumber(cell, m) for cell in row) for row in table.rows)
        new_tables.append(replace(table, rows=rows))
    return Briefing(title, tuple(new_items), tuple(new_tables), tuple(ordered))


def location(c: Citation) -> str:
    """Where to look in the document: 第3页 / 第12段 when known, else line numbers."""
    return c.place()


def citation_text(c: Citation) -> str:
    """《文档》 · 案例或措施 · 部分 · 位置 (document path kept for finding the file)."""
    parts = [f"《{c.doc_title}》", c.unit_title]
    if c.section and c.section != c.unit_title:
        parts.append(c.section)
    parts.append(location(c))
    return " · ".join(p for p in parts if p)


# ---------------------------------------------------------------- Markdown


def _md_cell(text: str) -> str:
    return text.replace("|", "｜").replace("\n", "<br>")


def render_markdown(briefing: Briefing) -> str:
    out = [f"# {briefing.title}", ""]
    for n, item in enumerate(briefing.items, 1):
        label = ITEM_KINDS.get(item.kind, "")
        out += [f"## {n}. {item.title}" + (f"（{label}）" if label else ""), ""]
        if item.fields:
            out += ["；".join(f"{k}：{v}" for k, v in item.fields), ""]
        out += [item.text, ""]
        if item.note:
            out += [f"> {item.note}", ""]
    for table in briefing.tables:
        out += [f"## {table.title}", ""]
        out.append("| " + " | ".join(_md_cell(h) for h in table.header) + " |")
        out.append("|" + "---|" * len(table.header))
        out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in table.rows]
        out.append("")
    if briefing.citations:
        out += ["## 出处", ""]
        out += [f"[{n}] {citation_text(c)}（{c.doc}）" for n, c in enumerate(briefing.citations, 1)]
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------- Word


def _set_cjk_font(style, font: str) -> None:
    """Word picks the East Asian font from w:eastAsia; a theme attribute would win over it."""
    from docx.oxml.ns import qn

    style.font.name = font
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), font)
    for attr in ("w:eastAsiaTheme", "w:asciiTheme", "w:hAnsiTheme"):
        rfonts.attrib.pop(qn(attr), None)


def render_docx(briefing: Briefing) -> bytes:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.title = briefing.title
    for name, font in (
        ("Normal", BODY_FONT),
        ("Title", HEADING_FONT),
        ("Heading 1", HEADING_FONT),
        ("Heading 2", HEADING_FONT),
    ):
        _set_cjk_font(document.styles[name], font)
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(briefing.title, level=0)
    for n, item in enumerate(briefing.items, 1):
        label = ITEM_KINDS.get(item.kind, "")
        document.add_heading(f"{n}. {item.title}" + (f"（{label}）" if label else ""), level=1)
        if item.fields:
            run = document.add_paragraph().add_run("；".join(f"{k}：{v}" for k, v in item.fields))
            run.italic = True
        for para in item.text.split("\n"):
            if para.strip():
                document.add_paragraph(para)
        if item.note:
            document.add_paragraph(item.note, style="Intense Quote")
    for table in briefing.tables:
        document.add_heading(table.title, level=1)
        grid = document.add_table(rows=1, cols=len(table.header), style="Table Grid")
        for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in table.rows:
            for cell, text in zip(grid.add_row().cells, row, strict=True):
                cell.text = text
    if briefing.citations:
        document.add_heading("出处", level=1)
        for n, c in enumerate(briefing.citations, 1):
            document.add_paragraph(f"[{n}] {citation_text(c)}（{c.doc}）")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- spreadsheet


def render_xlsx(briefing: Briefing) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(ws, header, rows, widths) -> None:
        ws.append(list(header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(list(row))
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = wrap
        for letter, width in zip("ABCDEFGH", widths, strict=False):
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = "B2"

    ws = wb.active
    ws.title = "简报"
    sheet(
        ws,
        ("序号", "类型", "标题", "内容", "字段", "说明"),
        [
            (
                n,
                ITEM_KINDS.get(i.kind, i.kind),
                i.title,
                i.text,
                "；".join(f"{k}：{v}" for k, v in i.fields),
                i.note,
            )
            for n, i in enumerate(briefing.items, 1)
        ],
        (6, 10, 30, 80, 30, 30),
    )
    for number, table in enumerate(briefing.tables, 1):
        name = re.sub(r"[\[\]:*?/\\]", "", table.title)[:28] or f"表{number}"
        sheet(wb.create_sheet(name), table.header, table.rows, (14, *([45] * 6)))
    sheet(
        wb.create_sheet("出处"),
        ("编号", "文档", "案例或措施", "部分", "位置", "文件"),
        [
            (n, c.doc_title, c.unit_title, c.section, location(c), c.doc)
            for n, c in enumerate(briefing.citations, 1)
        ],
        (6, 40, 40, 20, 14, 40),
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export(
    fmt: str, items: Sequence[BriefingItem], tables: Sequence[Table] = (), title: str = ""
) -> bytes:
    """The briefing as a file's bytes in `fmt` (md, docx or xlsx)."""
    if fmt not in FORMATS:
        raise BriefingError(f"不支持的导出格式 {fmt}，可选：{'、'.join(FORMATS)}")
    if not items and not tables:
        raise BriefingError("简报是空的：请先加入答案、案例或措施。")
    briefing = number_citations(title or DEFAULT_TITLE, items, tables)
    if fmt == "md":
        return render_markdown(briefing).encode("utf-8")
    return render_docx(briefing) if fmt == "docx" else render_xlsx(briefing)


# ---------------------------------------------------------------- saved baskets


def save_basket(path: Path, items: Sequence[BriefingItem], title: str = "") -> None:
    data = {
        "format": BASKET_FORMAT,
        "title": title or DEFAULT_TITLE,
        "items": [i.to_json() for i in items],
    }
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=2), "utf-8")


def load_basket(path: Path) -> tuple[str, list[BriefingItem]]:
    """(title, items) of a saved basket: {"title", "items": [...]} or a bare list."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise BriefingError(f"无法读取简报文件 {path}：{exc}") from exc
    if isinstance(data, list):
        data = {"items": data}
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise BriefingError(f"{path} 不是简报文件：应为条目列表，或含 items 列表的对象")
    return str(data.get("title") or DEFAULT_TITLE), [
        BriefingItem.from_json(i) for i in data["items"]
    ]
