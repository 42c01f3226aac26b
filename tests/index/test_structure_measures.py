"""Measures layout parser on the two seed policy documents and on synthetic layouts."""

from __future__ import annotations

import sys
import types
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# The dispatcher package imports the case parser, which may not be written yet; our
# modules do not need it.
if not (REPO / "index" / "structure" / "cases.py").exists():
    sys.modules.setdefault("index.structure.cases", types.SimpleNamespace(PARSERS=[]))

from index.structure import measures  # noqa: E402
from index.types import ParsedDocument, Unit  # noqa: E402

QINZHOU = "钦州市贯彻落实广西提质增效优化营商环境若干措施实施方案.txt"
POINTS = "2023年广西优化营商环境工作要点.txt"
CASE_DOCS = (
    "2023年广西优化营商环境十大先进典型示范案例.txt",
    "广西市场化营商环境典型案例.txt",
    "每周营商环境优秀案例（12月13日-12月19日）.txt",
)


@cache
def _text(name: str) -> str:
    return (REPO / "corpus" / name).read_text(encoding="utf-8")


@cache
def _parsed(name: str) -> ParsedDocument:
    parsed = measures.parse(_text(name), name)
    assert parsed is not None
    return parsed


def _work_points() -> list[Unit]:
    return [u for u in _parsed(POINTS).units if u.kind == "measure" and not u.direction]


def _rows() -> dict[str, Unit]:
    return {u.number: u for u in _parsed(POINTS).units if u.direction}


# ------------------------------------------------------------------ 钦州 implementation plan


def test_qinzhou_has_21_measures_and_two_sections() -> None:
    units = _parsed(QINZHOU).units
    found = [u for u in units if u.kind == "measure"]
    assert [u.number for u in found] == [str(n) for n in range(1, 22)]
    sections = [u for u in units if u.kind == "section"]
    assert [(u.number, u.title) for u in sections] == [("一", "总体要求"), ("三", "保障措施")]
    assert [s.name for s in sections[0].sections] == ["指导思想", "主要目标"]
    assert len(sections[1].sections) == 5
    assert _parsed(QINZHOU).layout == "measures"


def test_qinzhou_measure_fields() -> None:
    by_number = {u.number: u for u in _parsed(QINZHOU).units if u.kind == "measure"}
    m14 = by_number["14"]
    assert m14.title == "打响政务服务品牌"
    assert m14.lead_units == ("市行政审批局", "市发展改革委（市大数据发展局）")
    assert m14.coop_units == ("市各政务服务单位", "自贸区钦州港片区有关部门", "各县区人民政府")
    assert m14.lead_text == "市行政审批局、市发展改革委（市大数据发展局）"
    assert m14.heading_path == ("二、工作措施", "（二）全力以赴争先进，打响钦州营商环境品牌亮点")
    assert by_number["1"].title == "健全透明规范准入退出机制"
    assert by_number["17"].heading_path[-1] == "（三）聚焦服务实体经济，推动经济高质量发展"
    assert by_number["7"].lead_units == ("市中级法院",)


# ------------------------------------------------------------------ 2023 work points


def test_points_has_24_work_points() -> None:
    points = _work_points()
    assert len(points) == 24
    assert points[0].title == "市场准入退出"
    assert [p.title for p in points[-5:]] == [
        "加强组织领导",
        "加强统筹协调",
        "构建亲清政商关系",
        "强化督查考核",
        "加大宣传引导",
    ]
    assert points[0].heading_path == ("一、深化重点领域对标改革，提升营商环境竞争力",)


def test_work_point_units() -> None:
    tax = next(p for p in _work_points() if p.title == "纳税服务")
    assert tax.number == "（九）"
    assert tax.indicator == "纳税服务"
    assert tax.lead_units == ("广西税务局", "自治区财政厅")
    assert tax.coop_units == ("自治区公安厅", "大数据发展局", "人民银行南宁中心支行")
    entry = _work_points()[0]
    assert "各地住房公积金管理中心〔分中心〕" in entry.coop_units
    assert entry.coop_units[-1] == "各市、县人民政府"  # one group, not split on 、
    # A work point broken over a paragraph break still ends with its note.
    disputes = next(p for p in _work_points() if p.title == "解决商业纠纷")
    assert _text(POINTS)[disputes.start : disputes.end].endswith("各市、县人民政府)")


# ------------------------------------------------------------------ 2023 task list (annex)


def test_points_has_188_task_rows() -> None:
    rows = [u for u in _parsed(POINTS).units if u.direction]
    assert [u.number for u in rows] == [str(n) for n in range(1, 189)]
    assert all(u.deadline == "2023年12月31日" for u in rows)  # incl. "2023 年 12 月 31 日"
    assert all(u.lead_units and u.indicator and u.title for u in rows)
    assert all(u.heading_path == ("2023年广西优化营商环境工作要点任务清单",) for u in rows)


def test_task_row_106() -> None:
    row = _rows()["106"]
    assert row.title == "压缩出口退税办理时间"
    assert row.indicator == "纳税"
    assert row.direction == "压缩出口退税办理时间"
    assert row.lead_units == ("广西税务局",)
    assert row.coop_units == ("人民银行南宁中心支行",)
    assert row.deadline == "2023年12月31日"
    assert _text(POINTS)[row.start : row.end].startswith(
        "106\t纳税\t压缩出口退税办理时间\t推行出口退税智能化办税"
    )


def test_task_row_90_shared_city_suffix() -> None:
    row = _rows()["90"]
    assert row.indicator == "跨境贸易"
    assert row.title == "压缩钦州港虫检查验、友谊关口岸食品农产品实验室检测时间"
    assert row.deadline == "2023年12月31日"  # printed "2023 年 12 月 31 日"
    assert row.lead_units == ("南宁海关", "钦州市人民政府", "崇左市人民政府")
    assert row.coop_units == ("自治区商务厅", "北部湾办")
    # As printed too, for answers to quote: the names as the document wrote them.
    assert row.lead_text.startswith("南宁海关") and "钦州、崇左市人民政府" in row.lead_text


def test_task_row_93_keeps_its_cells_as_printed() -> None:
    row = _rows()["93"]
    assert "北海市人民政府" in row.coop_units  # split and expanded for searching
    assert row.coop_text == "自治区发展改革委，北海、钦州、防城港市人民政府"
    assert row.lead_text.endswith("广西北部湾国际港务集团按职责分工负责")


def test_task_row_45_and_empty_coop() -> None:
    row = _rows()["45"]  # its 任务举措 cell holds <p> tags from the source
    assert (row.indicator, row.title) == ("获得电力", "提升供电可靠性")
    assert row.lead_units == ("自治区发展改革委", "各电网公司")
    assert row.coop_units == ("各市、县人民政府",)
    assert _rows()["7"].coop_units == ()
    long = _rows()["22"]  # a long 改革方向 gives a short title: its first clause
    assert long.title == "推动产业园区规划环评与项目环评联动"


def test_repeated_table_headers_are_dropped() -> None:
    parsed = _parsed(POINTS)
    text = _text(POINTS)
    assert len(parsed.dropped) == 47
    assert all(text[s:e].startswith("序号\t指标\t改革方向") for s, e in parsed.dropped)
    for s, e in parsed.dropped:
        assert not any(u.start < e and s < u.end for u in parsed.units)


# ------------------------------------------------------------------ invariants


@pytest.mark.parametrize("name", [QINZHOU, POINTS])
def test_units_are_ordered_disjoint_and_titled_from_their_span(name: str) -> None:
    text = _text(name)
    units = _parsed(name).units
    prev_end = 0
    for unit in units:
        assert prev_end <= unit.start < unit.end <= len(text)
        prev_end = unit.end
        span = text[unit.start : unit.end]
        assert all(ch in span for ch in unit.title), unit.title
        assert unit.title and "\n" not in unit.title and " " not in unit.title
        if unit.kind == "measure":
            assert span.startswith(unit.number)
            assert unit.lead_units
            assert unit.direction or span[-1] in "）)〕"  # list measures end with their note


@pytest.mark.parametrize("name", CASE_DOCS)
def test_case_collections_are_not_measures(name: str) -> None:
    assert measures.parse(_text(name), name) is None


def test_plain_text_is_not_measures() -> None:
    assert measures.parse("一、总则\n\n为了优化营商环境，制定本办法。\n", "x.txt") is None


# ------------------------------------------------------------------ synthetic layouts

BROKEN_TABLE = """附件

某市优化营商环境任务清单

序号 指标 改革方向 任务举措 完成时限 牵头单位 配合单位
1\t开办企业\t压缩开办时间\t企业开办全程网办，
压缩至1个工作日\t2024 年 6 月
30 日\t市市场监管局\t市税务局、
市人社局
2\t纳税\t推行电子发票\t全面推行
— 3 —
序号 指标 改革方向 任务举措 完成时限 牵头单位 配合单位
数字化电子发票。\t2024年12月31日\t市税务局\t
3\t获得电力\t降低接电成本\t小微企业“三零”服务。\t长期坚持\t钦州、北海市人民政府按职责分工负责\t供电局

抄送：市委各部门。
"""


def test_table_rows_broken_over_lines_and_pages() -> None:
    parsed = measures.parse(BROKEN_TABLE, "t.txt")
    assert parsed is not None
    rows = [u for u in parsed.units if u.kind == "measure"]
    assert [r.number for r in rows] == ["1", "2", "3"]
    first, second, third = rows
    assert first.deadline == "2024年6月30日"
    assert first.coop_units == ("市税务局", "市人社局")
    assert first.heading_path == ("某市优化营商环境任务清单",)
    assert second.title == "推行电子发票" and second.coop_units == ()
    assert third.lead_units == ("钦州市人民政府", "北海市人民政府")
    assert third.deadline == "长期坚持"
    dropped = {BROKEN_TABLE[s:e].strip() for s, e in parsed.dropped}
    assert "— 3 —" in dropped
    assert sum(BROKEN_TABLE[s:e].startswith("序号") for s, e in parsed.dropped) == 2
    assert "抄送" not in BROKEN_TABLE[third.start : third.end]


SPACED_TABLE = """序号 指标 改革方向 任务举措 完成时限 牵头单位 配合单位
1 开办企业 压缩开办时间 企业开办全程网办 2024年6月30日 市市场监管局 市税务局、市人社局
2 纳税 推行电子发票 全面推行数字化电子发票 2024年12月31日 市税务局 市财政局
3 获得电力 降低接电成本 推行“三零”服务，
小微企业 接电零投资 2024年 市发展改革委、供电局 各县区人民政府
"""


def test_table_without_tabs() -> None:
    parsed = measures.parse(SPACED_TABLE, "s.txt")
    assert parsed is not None
    first, second, third = parsed.units
    assert (first.indicator, first.title, first.deadline) == (
        "开办企业",
        "压缩开办时间",
        "2024年6月30日",
    )
    assert first.coop_units == ("市税务局", "市人社局")
    assert second.lead_units == ("市税务局",)
    # Too many words to map onto the columns: cut around the deadline instead.
    assert third.deadline == "2024年"
    assert third.lead_units == ("市发展改革委", "供电局")
    assert third.coop_units == ("各县区人民政府",)
    assert third.title.startswith("获得电力")


NOTE_LIST = """某县优化营商环境若干措施

一、工作措施

（一）提升政务效能。推行一网通办。（责任单位：县政务服务中心；配合单位：各乡镇）

（二）优化法治环境。规范涉企执法，
推行柔性执法。
〔牵头单位：县司法局、县市场监管局（县知识产权局）；配合单位：县法院〕

（三）降低要素成本。落实降费政策。(牵头单位:县发展改革局)

二、组织实施

加强领导，压实责任。
"""


def test_note_variants_and_safeguard_part() -> None:
    parsed = measures.parse(NOTE_LIST, "n.txt")
    assert parsed is not None
    found = [u for u in parsed.units if u.kind == "measure"]
    assert [u.title for u in found] == ["提升政务效能", "优化法治环境", "降低要素成本"]
    assert found[0].lead_units == ("县政务服务中心",) and found[0].coop_units == ("各乡镇",)
    assert found[1].lead_units == ("县司法局", "县市场监管局（县知识产权局）")
    assert found[2].lead_units == ("县发展改革局",) and found[2].coop_units == ()
    assert all(u.indicator == u.title for u in found)  # work points named by their area
    sections = [u for u in parsed.units if u.kind == "section"]
    assert [u.title for u in sections] == ["组织实施"]
    assert NOTE_LIST[sections[0].start : sections[0].end].endswith("压实责任。")


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("自治区科技厅、工业和信息化厅按职责分工负责", ("自治区科技厅", "工业和信息化厅")),
        (
            "南宁、桂林、北海、贵港市人民政府",
            tuple(f"{c}市人民政府" for c in ("南宁", "桂林", "北海", "贵港")),
        ),
        (
            "广西税务局，各地住房公积金管理中心（分中心），各市、县人民政府",
            ("广西税务局", "各地住房公积金管理中心（分中心）", "各市、县人民政府"),
        ),
        (
            "自治区工业和信息化厅, 人民银行南宁中心支行",
            ("自治区工业和信息化厅", "人民银行南宁中心支行"),
        ),
        (
            "中国（广西）自由贸易试验区南宁、钦州港、崇左片区管委会",
            ("中国（广西）自由贸易试验区南宁片区管委会", "钦州港片区管委会", "崇左片区管委会"),
        ),
        ("", ()),
    ],
)
def test_split_units(cell: str, names: tuple[str, ...]) -> None:
    assert measures.split_units(cell) == names
