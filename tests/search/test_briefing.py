"""Briefing items, one numbering of citations, and the three export formats."""

from __future__ import annotations

import io
import json

import docx
import pytest
from docx.oxml.ns import qn
from openpyxl import load_workbook

from index.types import Citation
from search.briefing import (
    BriefingError,
    BriefingItem,
    Table,
    export,
    load_basket,
    number_citations,
    save_basket,
)


def _cite(doc: str, start: int, title: str = "某案例", section: str = "主要做法") -> Citation:
    return Citation(doc, f"{doc}标题", title, section, 3, 5, start, start + 10)


A = _cite("a.txt", 0)
B = _cite("b.txt", 100, "乙市不动产登记")
ITEMS = [
    BriefingItem("answer", "企业开办要多久？", "压缩至1个工作日[1]。另见[2]。", (A, B)),
    BriefingItem("unit", "乙市不动产登记", "推行全城通办[1]", (B,), "b#case1", (("地区", "乙市"),)),
]


def test_numbering_is_shared_and_in_order() -> None:
    briefing = number_citations("简报", ITEMS)
    assert briefing.citations == (A, B)
    assert briefing.items[0].text == "压缩至1个工作日[1]。另见[2]。"
    assert briefing.items[1].text == "推行全城通办[2]"  # B was already [2]
    table = Table("对比", ("项目", "甲"), (("来源", "甲[1]"),), (_cite("c.txt", 7),))
    assert number_citations("简报", ITEMS, [table]).tables[0].rows[0][1] == "甲[3]"


def test_markers_without_a_citation_are_left_alone() -> None:
    item = BriefingItem("note", "笔记", "见文件[7]", ())
    assert number_citations("t", [item]).items[0].text == "见文件[7]"


def test_markdown_lists_numbered_sources() -> None:
    md = export("md", ITEMS, title="营商环境简报").decode("utf-8")
    assert md.startswith("# 营商环境简报")
    assert "## 2. 乙市不动产登记（案例/措施）" in md and "地区：乙市" in md
    assert "[2] 《b.txt标题》 · 乙市不动产登记 · 主要做法 · 第3–5行（b.txt）" in md


def test_word_file_has_chinese_fonts_and_citations() -> None:
    data = export("docx", ITEMS, title="营商环境简报")
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "营商环境简报" in text and "推行全城通办[2]" in text
    assert "[1] 《a.txt标题》 · 某案例 · 主要做法 · 第3–5行（a.txt）" in text
    for name in ("Normal", "Heading 1", "Title"):
        rfonts = document.styles[name].element.rPr.rFonts
        assert rfonts.get(qn("w:eastAsia")) in ("宋体", "黑体")
        assert rfonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override it


def test_word_and_spreadsheet_tables() -> None:
    table = Table("案例对比", ("项目", "甲", "乙"), (("地区", "甲市", "乙市"),), ())
    document = docx.Document(io.BytesIO(export("docx", [], [table])))
    assert [c.text for c in document.tables[0].rows[1].cells] == ["地区", "甲市", "乙市"]
    wb = load_workbook(io.BytesIO(export("xlsx", ITEMS, [table])))
    assert wb.sheetnames == ["简报", "案例对比", "出处"]
    assert wb["简报"]["C3"].value == "乙市不动产登记"
    assert wb["案例对比"]["C2"].value == "乙市"
    assert [c.value for c in wb["出处"][3]] == [
        2,
        "b.txt标题",
        "乙市不动产登记",
        "主要做法",
        "第3–5行",
        "b.txt",
    ]


def test_basket_round_trip_and_errors(tmp_path) -> None:
    path = tmp_path / "basket.json"
    save_basket(path, ITEMS, "我的简报")
    assert load_basket(path) == ("我的简报", ITEMS)
    path.write_text(json.dumps([ITEMS[1].to_json()]), "utf-8")  # a bare list works too
    assert load_basket(path)[1] == [ITEMS[1]]
    path.write_text('{"items": 3}', "utf-8")
    with pytest.raises(BriefingError):
        load_basket(path)
    with pytest.raises(BriefingError):
        export("pdf", ITEMS)
    with pytest.raises(BriefingError):
        export("md", [])
