"""Generic fallback parser: numbered headings, paragraph groups, page furniture."""

from __future__ import annotations

import random
import sys
import types
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# The dispatcher package imports the case parser, which may not be written yet.
if not (REPO / "index" / "structure" / "cases.py").exists():
    sys.modules.setdefault("index.structure.cases", types.SimpleNamespace(PARSERS=[]))

from index.structure import common, generic  # noqa: E402
from index.types import Unit  # noqa: E402

CORPUS = sorted((REPO / "corpus").glob("*.txt"))

HEADED = """某市优化营商环境实施办法

为进一步优化营商环境，制定本办法。

一、总体要求

（一）指导思想。坚持以企业需求为导向，
持续深化改革。

（二）主要目标。到2025年，营商环境进入全国前列。

二、重点任务

（一）提升政务服务效能

1. 推行一网通办。实现高频事项全程网办。

2、压缩审批时限。企业开办时间压缩至1个工作日。

（二）加强要素保障。保障用地用能需求。

(1) 用地保障。推行标准地出让。

（2）用能保障。落实电价优惠政策。

三、保障措施

加强组织领导，压实工作责任。
"""


def _by_title(units: list[Unit] | tuple[Unit, ...]) -> dict[str, Unit]:
    return {u.title: u for u in units}


def _uncovered(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> list[int]:
    """Offsets of non-whitespace characters in text[start:end] that no span covers."""
    covered = bytearray(len(text))
    for s, e in spans:
        covered[s:e] = b"\x01" * (e - s)
    return [i for i in range(start, end) if not text[i].isspace() and not covered[i]]


def _assert_well_formed(
    text: str, units: list[Unit] | tuple[Unit, ...], start: int, end: int
) -> None:
    prev = start
    for unit in units:
        assert prev <= unit.start < unit.end <= end
        assert unit.kind == "section"
        assert unit.title and "\n" not in unit.title
        span = text[unit.start : unit.end]
        assert all(ch in span for ch in unit.title), unit.title
        prev = unit.end


# ------------------------------------------------------------------ headings


def test_numbered_headings_become_sections() -> None:
    parsed = generic.parse(HEADED, "h.txt")
    assert parsed.layout == "generic"
    units = _by_title(parsed.units)
    _assert_well_formed(HEADED, parsed.units, 0, len(HEADED))

    assert units["指导思想"].number == "（一）"
    assert units["指导思想"].heading_path == ("一、总体要求",)
    assert HEADED[units["指导思想"].start :].startswith("一、总体要求")  # bare heading kept
    assert units["主要目标"].heading_path == ("一、总体要求",)

    assert units["推行一网通办"].number == "1"
    assert units["推行一网通办"].heading_path == ("二、重点任务", "（一）提升政务服务效能")
    assert units["压缩审批时限"].heading_path == ("二、重点任务", "（一）提升政务服务效能")
    assert units["加强要素保障"].heading_path == ("二、重点任务",)
    assert units["用地保障"].number == "(1)"
    assert units["用能保障"].heading_path == ("二、重点任务", "（二）加强要素保障")
    assert units["保障措施"].number == "三"
    assert HEADED[units["保障措施"].start : units["保障措施"].end].endswith("压实工作责任。")

    preamble = parsed.units[0]
    assert preamble.number == "" and preamble.title.startswith("某市优化营商环境实施办法")


def test_article_headings() -> None:
    text = "第一章 总则\n第一条 为了优化营商环境，制定本条例。\n第二条 本条例适用于本市。\n第二章 市场主体保护\n第三条 平等对待各类市场主体。\n"
    units = generic.parse(text, "law.txt").units
    assert [(u.number, u.title) for u in units] == [
        ("第一条", "为了优化营商环境，制定本条例"),
        ("第二条", "本条例适用于本市"),
        ("第三条", "平等对待各类市场主体"),
    ]
    assert units[0].heading_path == ("第一章 总则",)
    assert units[2].heading_path == ("第二章 市场主体保护",)


def test_decimal_at_line_start_is_not_a_heading() -> None:
    text = "一、目标\n办理破产时间压缩至\n1.2年以内。\n"
    units = generic.parse(text, "d.txt").units
    assert len(units) == 1 and units[0].title == "目标"


# ------------------------------------------------------------------ no headings


def test_headingless_text_is_grouped_by_paragraphs() -> None:
    paragraphs = [
        f"第{n}段讲的是营商环境改革的第{n}项做法。" + "具体内容包括简化流程、压缩时限。" * 30
        for n in range(8)
    ]
    text = "\n\n".join(paragraphs) + "\n"
    units = generic.parse(text, "p.txt").units
    _assert_well_formed(text, units, 0, len(text))
    assert 3 <= len(units) < len(paragraphs)  # grouped, but never above the size limit
    assert all(u.end - u.start <= generic.MAX_UNIT_CHARS for u in units)
    assert units[0].title == "第0段讲的是营商环境改革的第0项做法"
    assert all(len(u.title) <= common.TITLE_CHARS for u in units)
    assert all(u.heading_path == () and u.number == "" for u in units)
    # Groups break between paragraphs, so each starts a paragraph.
    assert all(text[u.start :].startswith("第") for u in units)


def test_one_huge_paragraph_is_cut_at_sentence_ends() -> None:
    text = "企业开办实现一网通办，全程网上办理。" * 300
    units = generic.parse(text, "big.txt").units
    assert len(units) >= 3
    assert all(u.end - u.start <= generic.MAX_UNIT_CHARS for u in units)
    assert all(text[u.end - 1] == "。" for u in units)
    assert not _uncovered(text, 0, len(text), [(u.start, u.end) for u in units])


def test_parse_span_of_blank_text_is_empty() -> None:
    assert generic.parse_span("abc\n\n  \n\t\ndef", "x.txt", 3, 10) == []


# ------------------------------------------------------------------ nothing dropped silently


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem[:12])
def test_parse_covers_everything_but_furniture(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    parsed = generic.parse(text, path.name)
    _assert_well_formed(text, parsed.units, 0, len(text))
    spans = [(u.start, u.end) for u in parsed.units] + list(parsed.dropped)
    assert not _uncovered(text, 0, len(text), spans)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem[:12])
def test_parse_span_covers_every_character_of_any_span(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    rng = random.Random(path.name)
    for _ in range(20):
        start = rng.randrange(len(text))
        end = min(len(text), start + rng.choice([5, 80, 700, 4000, 20000]))
        units = generic.parse_span(text, path.name, start, end)
        _assert_well_formed(text, units, start, end)
        assert not _uncovered(text, start, end, [(u.start, u.end) for u in units])


def test_made_up_documents_cover_everything() -> None:
    for text in (HEADED, "仅一行文字", "\n\n一、标题\n\n\n"):
        parsed = generic.parse(text, "m.txt")
        spans = [(u.start, u.end) for u in parsed.units] + list(parsed.dropped)
        assert not _uncovered(text, 0, len(text), spans)


# ------------------------------------------------------------------ furniture


def _furniture(text: str) -> set[str]:
    return {text[s:e].strip() for s, e in common.furniture_spans(text)}


def test_page_numbers_and_toc_lines_are_furniture() -> None:
    text = (
        "目录\n一、总体要求........................3\n二、重点任务…………5\n"
        "正文第一段。\n— 3 —\n正文第二段。\n- 4 -\n5\n第 6 页\n7/20\n2023年\n\t4\n"
    )
    assert _furniture(text) == {
        "一、总体要求........................3",
        "二、重点任务…………5",
        "— 3 —",
        "- 4 -",
        "5",
        "第 6 页",
        "7/20",
    }


def test_running_headers_are_furniture_but_repeated_content_is_not() -> None:
    page = "本页正文，讲述优化营商环境的一项具体做法。" * 12
    text = ""
    for n in range(1, 5):
        text += f"某市营商环境简报 2023年第5期\n\n一、主要做法\n\n{page}\n\n报送单位：\n\n主要做法\n\n- {n} -\n\n"
    found = _furniture(text)
    assert "某市营商环境简报 2023年第5期" in found
    assert "主要做法" in found  # short, but it sits next to page numbers
    assert "一、主要做法" not in found  # a heading
    assert "报送单位：" not in found  # a label


def test_titles_repeated_unevenly_are_not_running_headers() -> None:
    # A case title in the table of contents, as a heading and in a summary table.
    title = "北海市证照三联办跑出企业开办加速度"
    text = f"目录\n{title}\n\n{'正文。' * 400}\n{title}\n\n案例名称\n{title}\n\n{'正文。' * 400}\n"
    assert title not in _furniture(text)


def test_tab_indented_numbers_are_table_cells() -> None:
    assert _furniture("序号\n\t1\n\t甲案例\n\t2\n\t乙案例\n") == set()


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("第一句话。第二句话。", "第一句话"),
        (
            "同时，市场监管局还组织开展社区团购工业产品质量监督抽查，已抽查样品八十批次。",
            "同时，市场监管局还组织开展社区团购工业产品质量监督抽查",
        ),
        (
            "推动产业园区规划环评与项目环评联动，对园区内建设项目按环境风险分类管理，优化流程",
            "推动产业园区规划环评与项目环评联动",
        ),
        (
            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三",
            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
        ),
        ("2023 年 12 月\n31 日前完成 RCEP 培训", "2023年12月31日前完成RCEP培训"),
    ],
)
def test_short_title(text: str, title: str) -> None:
    assert common.short_title(text) == title
