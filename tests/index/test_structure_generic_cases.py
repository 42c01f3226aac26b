"""Cases of layouts the seed parsers do not know, recognised by 案例背景 / 主要做法 / 取得成效 parts."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from index.structure import parse_document, sectioned_cases
from index.types import ParsedDocument, Unit
from tests.index.fixtures_docs import LINGSHAN_CASE
from tests.index.test_structure_cases import PLAIN_POLICY

REPO = Path(__file__).resolve().parents[2]

# The upload from the page (the browser test sends it as GBK).
SINGLE = LINGSHAN_CASE

# Two cases with 【】 parts; the second opens with its highlights and names its unit at the end.
BOXED = """2024年钦州市优化营商环境典型案例汇编

案例一
浦北县推行“拿地即开工”审批改革
报送单位：浦北县行政审批局

【案例背景】
过去工业项目从拿地到开工平均要半年。
【主要做法】
推行“拿地即开工”，工程建设项目审批并联办理，施工许可提前介入。
【取得成效】
项目开工时间平均提前三个月。

案例二
灵山县荔枝产业“一码通”服务
【案例亮点】
一码通办，产地证明、检疫申报一次办结。
【主要做法】
整合产地证明、检疫申报和运输通行证，企业扫码办理。
【取得成效】
全年服务荔枝收购企业420家。
（供稿单位：灵山县农业农村局）
"""

# Numbered case titles with （一）… parts, a run-in "主要做法：" part and a fourth heading
# (存在问题) that is no case part but still a section.
NUMBERED = """某市营商环境创新案例
\r
一、南宁市推行企业开办“一日办”\r
（一）基本情况\r
南宁市企业开办涉及市场监管、税务、社保等多个部门。\r
（二）具体做法\r
推行企业开办全程网办，营业执照、公章刻制、税务登记一次办结。\r
（三）工作成效\r
企业开办时间压缩至1个工作日。\r
（四）存在问题\r
部分银行开户仍需线下办理。\r
\r
二、柳州市税务局推出“一键退税”\r
报送单位：柳州市税务局\r
背景情况：出口企业退税手续繁琐。\r
主要做法：依托电子税务局，推出“一键退税”，办税缴费一次办结。\r
实施成效：退税时间压缩一半，企业满意度达到98%。\r
"""

POLICY_PLAN = """某县优化营商环境三年行动实施方案

为持续优化营商环境，结合我县实际，制定本方案。

一、总体要求
坚持以市场主体需求为导向，深化“放管服”改革。
二、主要目标
到2025年，营商环境主要指标进入全区前列。
三、工作举措
（一）提升政务服务效能。推行“一网通办”，压缩审批时限。
（二）加强要素保障。推行“标准地”出让。
四、保障措施
（一）加强组织领导。各部门要高度重视。
（二）强化督查考核。将工作成效纳入绩效考核。
"""

MADE_UP = {"single": SINGLE, "boxed": BOXED, "numbered": NUMBERED}
POLICY_SEEDS = (
    "2023年广西优化营商环境工作要点.txt",
    "钦州市贯彻落实广西提质增效优化营商环境若干措施实施方案.txt",
)


@cache
def _dispatch(name: str) -> ParsedDocument:
    return parse_document(MADE_UP[name], f"{name}.txt", name)


def _cases(name: str) -> list[Unit]:
    return [u for u in _dispatch(name).units if u.kind == "case"]


def _section_texts(text: str, unit: Unit) -> dict[str, str]:
    return {s.name: text[s.start : s.end] for s in unit.sections}


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


# -- one case uploaded on its own ----------------------------------------------------------


def test_single_case_is_one_case_with_its_parts() -> None:
    parsed = _dispatch("single")
    assert parsed.layout == "cases:sections"
    assert [u.kind for u in parsed.units] == ["case"]  # nothing left for generic sections
    case = parsed.units[0]
    assert case.title == "灵山县荔枝产业“一码通”服务案例"
    assert (case.start, case.end) == (0, len(SINGLE.rstrip()))
    assert case.region == "灵山县"  # the place chain: no province named in the text
    assert case.org == "灵山县"
    assert case.heading_path == () and case.highlights == ""
    sections = _section_texts(SINGLE, case)
    assert list(sections) == ["案例背景", "主要做法", "取得成效"]
    assert (
        sections["案例背景"] == "一、案例背景\n灵山县是荔枝之乡，果农和收购企业办事要跑多个部门。"
    )
    assert sections["取得成效"].endswith("群众满意率达到99%。")


# -- collections -------------------------------------------------------------------------


def test_boxed_collection_cases_labels_and_highlights() -> None:
    parsed = _dispatch("boxed")
    assert parsed.layout == "cases:sections"
    pubei, lingshan = _cases("boxed")
    assert (pubei.number, pubei.title) == ("一", "浦北县推行“拿地即开工”审批改革")
    assert (pubei.org, pubei.region) == ("浦北县行政审批局", "浦北县")
    assert BOXED[pubei.start :].startswith("案例一\n浦北县")
    assert [s.name for s in pubei.sections] == ["案例背景", "主要做法", "取得成效"]
    assert _section_texts(BOXED, pubei)["取得成效"].endswith("平均提前三个月。")

    assert (lingshan.number, lingshan.title) == ("二", "灵山县荔枝产业“一码通”服务")
    assert lingshan.org == "灵山县农业农村局"  # from the （供稿单位：…） line at its end
    assert lingshan.highlights == "一码通办，产地证明、检疫申报一次办结。"
    assert [s.name for s in lingshan.sections] == ["案例亮点", "主要做法", "取得成效"]
    last = _section_texts(BOXED, lingshan)["取得成效"]
    assert last == "【取得成效】\n全年服务荔枝收购企业420家。"  # the label ends the part
    assert lingshan.end == len(BOXED.rstrip())

    # The collection title stays content (a generic section) and heads both cases.
    assert parsed.units[0].kind == "section"
    assert parsed.units[0].title == "2024年钦州市优化营商环境典型案例汇编"
    assert {pubei.heading_path, lingshan.heading_path} == {
        ("2024年钦州市优化营商环境典型案例汇编",)
    }


def test_numbered_titles_run_in_parts_and_other_headings() -> None:
    nanning, liuzhou = _cases("numbered")
    assert (nanning.number, nanning.title) == ("一", "南宁市推行企业开办“一日办”")
    assert nanning.region == "南宁市" and nanning.indicator == "企业开办"
    assert [s.name for s in nanning.sections] == ["基本情况", "具体做法", "工作成效", "存在问题"]
    assert (
        _section_texts(NUMBERED, nanning)["工作成效"]
        == "（三）工作成效\r\n企业开办时间压缩至1个工作日。"
    )

    assert (liuzhou.number, liuzhou.title) == ("二", "柳州市税务局推出“一键退税”")
    assert (liuzhou.org, liuzhou.region, liuzhou.indicator) == ("柳州市税务局", "柳州市", "纳税")
    assert [s.name for s in liuzhou.sections] == ["背景情况", "主要做法", "实施成效"]


def test_markdown_headings_and_labels() -> None:
    text = (
        "# 某市典型案例\n\n## 1. 灵山县荔枝产业“一码通”\n\n**报送单位**：灵山县农业农村局\n\n"
        "### 一、案例背景\n灵山县是荔枝之乡。\n\n### 二、主要做法\n推行一码通。\n"
    )
    parsed = sectioned_cases.parse_sectioned_cases(text, "case.md")
    assert parsed is not None
    (case,) = parsed.units
    assert (case.number, case.title, case.org) == (
        "1",
        "灵山县荔枝产业“一码通”",
        "灵山县农业农村局",
    )
    assert [s.name for s in case.sections] == ["案例背景", "主要做法"]


@pytest.mark.parametrize("name", list(MADE_UP))
def test_offsets_map_to_the_source(name: str) -> None:
    """Like the seed parsers: ordered, disjoint units holding their title; sections inside
    their case; every non-blank character in a unit or in dropped furniture."""
    text = MADE_UP[name]
    parsed = _dispatch(name)
    covered = bytearray(len(text))
    for unit in parsed.units:
        assert 0 <= unit.start < unit.end <= len(text)
        assert not text[unit.start].isspace() and not text[unit.end - 1].isspace()
        covered[unit.start : unit.end] = b"\x01" * (unit.end - unit.start)
        if unit.kind != "case":
            continue
        assert unit.title and "\n" not in unit.title
        assert _squeeze(unit.title) in _squeeze(text[unit.start : unit.end])
        starts = [s.start for s in unit.sections]
        assert starts == sorted(starts)
        for span in unit.sections:
            assert unit.start <= span.start < span.end <= unit.end
            assert span.name in text[span.start : span.end].split("\n", 1)[0]
    for before, after in zip(parsed.units, parsed.units[1:], strict=False):
        assert before.end <= after.start
    for start, end in parsed.dropped:
        covered[start:end] = b"\x01" * (end - start)
    assert all(covered[i] or ch.isspace() for i, ch in enumerate(text))


# -- what is not claimed -----------------------------------------------------------------


@pytest.mark.parametrize("text", [PLAIN_POLICY, POLICY_PLAN, "", "主要做法\n成效不明显。\n"])
def test_policy_texts_are_not_claimed(text: str) -> None:
    assert sectioned_cases.parse_sectioned_cases(text, "policy.txt") is None
    assert parse_document(text, "policy.txt", "p").layout != "cases:sections"


@pytest.mark.parametrize("name", POLICY_SEEDS)
def test_seed_policy_documents_are_not_claimed(name: str) -> None:
    text = (REPO / "corpus" / name).read_text(encoding="utf-8")
    assert sectioned_cases.parse_sectioned_cases(text, name) is None


def test_one_kind_of_part_is_no_case_layout() -> None:
    report = "某局工作总结\n一、工作成效\n办件量增长。\n二、存在问题\n人手不足。\n"
    assert sectioned_cases.parse_sectioned_cases(report, "r.txt") is None


# -- end to end: the real build on a tiny corpus -----------------------------------------


def test_build_indexes_new_case_documents_as_cases(small_corpus, fake_encoder) -> None:
    from index.build import sync_index
    from index.cleaning import strip_ws
    from index.store import load_index
    from search.searcher import Searcher
    from search.similar import SimilarFinder

    corpus = small_corpus.corpus_dir
    (corpus / "灵山县荔枝产业服务案例.txt").write_bytes(SINGLE.encode("gbk"))
    (corpus / "典型案例汇编.txt").write_text(BOXED, encoding="utf-8")
    sync_index(small_corpus, fake_encoder)
    data = load_index(small_corpus.index_dir)
    records = {d.doc: d for d in data.documents}
    for doc, count in (("灵山县荔枝产业服务案例.txt", 1), ("典型案例汇编.txt", 2)):
        assert records[doc].layout == "cases:sections"
        assert records[doc].doc_type == "案例集"
        assert sum(u.kind == "case" for u in data.units if u.doc == doc) == count
    assert {records[d].doc_type for d in ("a.txt", "b.txt")} == {"其他"}
    assert not any(u.kind == "case" for u in data.units if u.doc in ("a.txt", "b.txt"))

    by_unit = {u.id: u for u in data.units}
    for p in data.passages:
        source = data.source_text(p.doc)
        unit = by_unit[p.unit_id]
        assert unit.start <= p.start < p.end <= unit.end
        assert strip_ws(source[p.start : p.end]) == strip_ws(p.text)
        assert source.count("\n", 0, p.start) + 1 == p.line_start
    # The result card shows the case title, no longer its first part (案例背景).
    single = [p for p in data.passages if p.doc == "灵山县荔枝产业服务案例.txt"]
    assert {by_unit[p.unit_id].title for p in single} == {"灵山县荔枝产业“一码通”服务案例"}

    # Similar-case search sees it (here grouped with the collection's copy of the case).
    case_id = next(u.id for u in data.units if u.doc == "灵山县荔枝产业服务案例.txt")
    finder = SimilarFinder(Searcher(small_corpus, fake_encoder))
    found = finder.similar_to_text("荔枝产业一码通，产地证明和检疫申报一次办结", k=3)
    assert case_id in {i.unit.id for i in found} | {d for i in found for _, d in i.duplicates}
