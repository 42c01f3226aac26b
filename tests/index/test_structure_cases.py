"""Case-collection layout parsers on the three seed case documents and on made-up texts."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from index.structure import cases, common
from index.types import ParsedDocument, Unit

REPO = Path(__file__).resolve().parents[2]
MARKET = "广西市场化营商环境典型案例.txt"  # 000
TOP_TEN = "2023年广西优化营商环境十大先进典型示范案例.txt"  # 001
WEEKLY = "每周营商环境优秀案例（12月13日-12月19日）.txt"  # 004
POLICY_DOCS = (
    "2023年广西优化营商环境工作要点.txt",
    "钦州市贯彻落实广西提质增效优化营商环境若干措施实施方案.txt",
)
EXPECTED = {
    MARKET: (15, "cases:numbered"),
    TOP_TEN: (10, "cases:fields"),
    WEEKLY: (27, "cases:articles"),
}
DOT_LEADER = re.compile(r"[.．·…]{3,}\s*\d+\s*$", re.M)  # a TOC entry's ".....  12"


@cache
def _text(name: str) -> str:
    return (REPO / "corpus" / name).read_text(encoding="utf-8")


def _parse(text: str, doc: str = "made-up.txt") -> ParsedDocument | None:
    """What the dispatcher gets from this module: the first parser that recognises the text."""
    for parser in cases.PARSERS:
        parsed = parser(text, doc)
        if parsed is not None:
            return parsed
    return None


@cache
def _parsed(name: str) -> ParsedDocument:
    parsed = _parse(_text(name), name)
    assert parsed is not None, name
    return parsed


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _in_order(needle: str, haystack: str) -> bool:
    """Every character of `needle` occurs in `haystack`, in order."""
    it = iter(haystack)
    return all(ch in it for ch in needle)


def _unit(name: str, title_part: str) -> Unit:
    found = [u for u in _parsed(name).units if title_part in u.title]
    assert len(found) == 1, (title_part, [u.title for u in found])
    return found[0]


# -- counts and invariants on the seed documents ---------------------------------------


@pytest.mark.parametrize("name", list(EXPECTED))
def test_case_counts_and_layout(name: str) -> None:
    count, layout = EXPECTED[name]
    parsed = _parsed(name)
    assert len(parsed.units) == count
    assert parsed.layout == layout
    assert all(u.kind == "case" for u in parsed.units)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_units_are_ordered_disjoint_and_hold_their_title(name: str) -> None:
    text = _text(name)
    units = _parsed(name).units
    for unit in units:
        assert 0 <= unit.start < unit.end <= len(text)
        body = text[unit.start : unit.end]
        assert unit.title and "\n" not in unit.title
        assert not re.search(r"[\u4e00-\u9fff]\s+[\u4e00-\u9fff]", unit.title), unit.title
        # A title is the body heading, or the contents line that names the unit (with its page).
        named_by_contents = unit.page and re.search(
            rf"^{re.escape(unit.title)}\s*[.．·…\t]", text, re.M
        )
        assert named_by_contents or _in_order(_squeeze(unit.title), _squeeze(body)), unit.title
        for span in unit.sections:
            assert unit.start <= span.start < span.end <= unit.end, (unit.title, span)
        starts = [s.start for s in unit.sections]
        assert starts == sorted(starts)
    for before, after in zip(units, units[1:], strict=False):
        assert before.end <= after.start


@pytest.mark.parametrize("name", list(EXPECTED))
def test_no_unit_holds_a_table_of_contents_line(name: str) -> None:
    text = _text(name)
    parsed = _parsed(name)
    for unit in parsed.units:
        assert not DOT_LEADER.search(text[unit.start : unit.end]), unit.title
    for match in DOT_LEADER.finditer(text):  # every dot-leader line is dropped furniture
        assert any(s <= match.start() < e for s, e in parsed.dropped)


@pytest.mark.parametrize("name", POLICY_DOCS)
def test_policy_documents_are_not_case_collections(name: str) -> None:
    assert _parse(_text(name), name) is None


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_layout_claims_only_its_own_document(name: str) -> None:
    claimed = [p.__name__ for p in cases.PARSERS if p(_text(name), name) is not None]
    assert len(claimed) == 1, claimed


# -- 000: numbered titles ----------------------------------------------------------------


def test_market_cases_fields() -> None:
    finance = _unit(MARKET, "自治区财政厅")
    assert finance.number == "1"
    assert finance.title == "自治区财政厅突出“四向”发力持续优化政府采购营商环境"
    assert finance.indicator == "政府采购"
    assert finance.org == "自治区财政厅"
    assert finance.region == "广西壮族自治区"
    assert [s.name for s in finance.sections][:2] == [
        "用心服务，畅通政企沟通渠道",
        "靶向发力，加大惠企政策供给",
    ]

    beihai = _unit(MARKET, "北海市织密信用体系网")
    assert (beihai.number, beihai.region, beihai.indicator) == (
        "7",
        "广西壮族自治区北海市",
        "政府采购",
    )
    assert [s.name for s in beihai.sections] == ["主要做法", "主要成效"]
    assert _unit(MARKET, "河池市").indicator == "劳动力市场监管"
    assert _unit(MARKET, "贺州市").region == "广西壮族自治区贺州市"
    assert (
        _unit(MARKET, "防城港市").title
        == "防城港市采取个性化措施精准滴灌，推动“小个体”迸发“大能量”"
    )


def test_market_titles_that_lost_their_number() -> None:
    land = _unit(MARKET, "自治区自然资源厅")
    assert land.number == ""
    assert land.title == "自治区自然资源厅深入推进“互联网+不动产登记”改革实现全域城乡通办便民利企"
    assert land.indicator == "不动产登记"
    ip = _unit(MARKET, "自治区市场监管局")
    assert (ip.number, ip.indicator) == ("", "知识产权")
    numbers = [u.number for u in _parsed(MARKET).units]
    assert numbers == ["1", "", "", *map(str, range(4, 16))]


def test_market_heading_path_is_the_document_title() -> None:
    assert {u.heading_path for u in _parsed(MARKET).units} == {("市场化营商环境典型案例",)}


# -- 001: field blocks -------------------------------------------------------------------


def test_top_ten_beihai_case() -> None:
    text = _text(TOP_TEN)
    beihai = _unit(TOP_TEN, "北海市证照")
    assert beihai.title == "北海市证照“三联办”跑出企业开办“加速度”"
    assert beihai.indicator == "企业开办"
    assert beihai.org == "北海市行政审批局"
    assert "北海市" in beihai.region and beihai.region.startswith("广西壮族自治区")
    assert beihai.number == "4"
    assert beihai.highlights.startswith("围绕企业开办、变更、注销全生命周期")
    names = [s.name for s in beihai.sections]
    assert names[0] == "案例特色或亮点" and "“证照联办”推动企业准入“提速办”" in names
    highlight = beihai.sections[0]
    assert "报送单位" not in text[highlight.start : highlight.end]  # the next field ends it


def test_top_ten_every_case_has_its_fields() -> None:
    units = _parsed(TOP_TEN).units
    assert [u.number for u in units] == [str(n) for n in range(1, 11)]  # 8–10 from the list
    assert [u.indicator for u in units] == [
        "政府采购", "执行合同", "人力资源服务", "企业开办", "纳税",
        "政务服务", "政务服务", "包容普惠创新", "办理破产", "政务服务",
    ]  # fmt: skip
    for unit in units:
        assert unit.org and unit.highlights and unit.region.startswith("广西壮族自治区")
        assert "案例特色或亮点" in [s.name for s in unit.sections]
    assert units[0].org == "自治区财政厅" and units[0].region == "广西壮族自治区"
    assert units[5].region == "广西壮族自治区南宁市"  # from 报送单位 …、南宁市行政审批局
    assert units[0].title == "优化政采营商环境助力中小企业发展"


def test_top_ten_front_list_is_dropped() -> None:
    text = _text(TOP_TEN)
    parsed = _parsed(TOP_TEN)
    first = parsed.units[0]
    assert text[first.start :].startswith("编号1：")
    front = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text[: first.start])]
    listed = [(pos, line) for pos, line in front if "北海市证照" in line or line.strip() == "4"]
    assert listed
    for pos, _ in listed:
        assert any(s <= pos + 1 < e for s, e in parsed.dropped)
    # the document title between the list and the first case is content, not furniture
    title_at = text.index("2023年广西优化营商环境“十大先进典型")
    assert not any(s <= title_at < e for s, e in parsed.dropped)


# -- 004: region-headed articles ---------------------------------------------------------


def test_weekly_regions_and_orgs() -> None:
    units = _parsed(WEEKLY).units
    hangzhou = [u for u in units if u.region.startswith("浙江省杭州市")]
    assert len(hangzhou) == 2
    assert _unit(WEEKLY, "余杭区").region == "浙江省杭州市余杭区"
    assert _unit(WEEKLY, "智慧税务").indicator == "纳税"
    assert _unit(WEEKLY, "天津市：审计局").org == "天津市审计局"
    assert _unit(WEEKLY, "台州市").org == "台州市财政局"  # "市财政局" in the first sentence
    assert _unit(WEEKLY, "南沙区深化政府采购").region == "广东省广州市南沙区"
    assert units[0].title == "重庆市：重拳出击反垄断反不正当竞争，优化营商环境"  # as the contents
    assert units[0].region == "重庆市" and units[0].indicator == "市场监管"
    assert all(u.region for u in units)


def test_weekly_furniture_is_dropped() -> None:
    text = _text(WEEKLY)
    parsed = _parsed(WEEKLY)
    header = "营商智库：每周案例汇编（12.13-12.19）"
    positions = [m.start() for m in re.finditer(re.escape(header), text)]
    assert len(positions) == 2
    for pos in positions:  # in the TOC and as a running header inside an article
        assert any(s <= pos < e for s, e in parsed.dropped)
    assert any(u.start < positions[1] < u.end for u in parsed.units)
    toc = text.index("目录")
    assert any(s <= toc < e for s, e in parsed.dropped)
    assert any(s <= text.index("yingshangzhiku@163.com") < e for s, e in parsed.dropped)
    assert parsed.units[0].heading_path == ("每周营商环境优秀案例",)


def test_weekly_sections() -> None:
    nansha = _unit(WEEKLY, "南沙区深化政府采购")
    assert [s.name for s in nansha.sections][:2] == [
        "聚焦建章立制，深化政府采购制度建设",
        "聚焦国家战略，落实政府采购政策功能",
    ]
    names = [s.name for s in _unit(WEEKLY, "万州区").sections]
    assert names == [
        "在“实”字上下功夫，搭建政企沟通平台",
        "在“新”字上做文章，打造一流营商环境",
        "在“改”字上见成效，助力民营经济行稳致远",
    ]
    # a body line broken at the page width is not a heading
    chongqing = [s.name for s in _parsed(WEEKLY).units[0].sections]
    assert not any(name.startswith("同时，重庆") for name in chongqing)


# -- made-up documents: the layout, not the file name -----------------------------------

FIELD_DOC = """浙江省优化营商环境典型案例汇编

湖州市开办企业“一日办”
1
丽水市纳税服务“不见面”

浙江省优化营商环境典型案例详细情况
编号1：

湖州市开办企业
“一日办”

\t指标名称
\t企业开办

\t案例名称
\t湖州市开办企业“一日办”

\t案例特色或亮点
\t企业开办全程网办，一日办结。

\t报送单位
\t湖州市市场监管局

\t主要内容
\t一、案例背景
过去在湖州开办一家企业需要五个工作日。
二、主要做法
推行全程网办，浙江省内数据共享。

编号2：

丽水市纳税服务“不见面”

\t指标名称
\t纳税

\t案例名称
\t丽水市纳税服务“不见面”

\t案例特色或亮点
\t办税缴费全程线上办理。

\t报送单位
\t丽水市税务局

\t主要内容
\t丽水市税务局推出线上办税，浙江首创。
"""

NUMBERED_DOC = """优化营商环境典型案例

1.梧州市推行“拿地即开工”
助力项目早落地

近年来，梧州市自然资源局推动项目审批提速，广西首创。

一、主要做法
推行“拿地即开工”，工程建设项目审批并联办理。
二、主要成效
项目开工时间平均提前三个月。

2.钦州市税务局推出
“一键退税”服务

钦州市税务局依托电子税务局，推出“一键退税”。
一、主要做法
简化退税流程，办税缴费一次办结。
二、主要成效
退税时间压缩一半。

自治区大数据发展局深化
“一件事”集成改革

自治区大数据发展局围绕企业和群众“一件事”，推动政务服务集成办理。
一、主要做法
整合审批事项，一网通办。
二、取得成效
办事时间压缩七成，广西政务服务满意度提升。
"""

ARTICLE_DOC = """每周案例

目录
江苏省苏州市：工业园区推行“一网通办”.....\t1
安徽省合肥市：政府采购全流程电子化.....\t3
福建省厦门市：思明区不动产登记“一窗办”.....\t5

江苏省苏州市：工业园区推行“一网通办”

苏州工业园区推行政务服务“一网通办”，审批时间压缩一半。

安徽省合肥市：政府采购全流程电子化

今年以来，市财政局推进政府采购全流程电子化，为供应商减负。

福建省厦门市：思明区不动产登记“一窗办”

思明区推行不动产登记“一窗受理”，群众办事只跑一次。
"""

PLAIN_POLICY = """关于进一步优化营商环境的若干措施

为深入贯彻落实党中央、国务院决策部署，持续优化营商环境，制定如下措施。

一、提升政务服务效能

（一）推进政务服务“一网通办”。各地要加快建设一体化政务服务平台。

（二）压缩审批时限。企业开办时间压缩至1个工作日以内。

二、加强组织保障

各地各部门要高度重视，抓好贯彻落实。
"""


def test_made_up_field_document() -> None:
    parsed = _parse(FIELD_DOC)
    assert parsed is not None and parsed.layout == "cases:fields"
    first, second = parsed.units
    assert (first.number, first.title, first.indicator) == (
        "1",
        "湖州市开办企业“一日办”",
        "企业开办",
    )
    assert (first.org, first.region) == ("湖州市市场监管局", "浙江省湖州市")
    assert first.highlights == "企业开办全程网办，一日办结。"
    assert [s.name for s in first.sections] == ["案例特色或亮点", "案例背景", "主要做法"]
    assert (second.number, second.indicator, second.org) == ("2", "纳税", "丽水市税务局")
    assert [s.name for s in second.sections] == ["案例特色或亮点", "主要内容"]
    # the front list repeats the titles: dropped, while the document title stays content
    list_line = FIELD_DOC.index("丽水市纳税服务“不见面”")
    assert any(s <= list_line < e for s, e in parsed.dropped)
    assert first.heading_path == ("浙江省优化营商环境典型案例汇编",)
    assert not any(
        s <= FIELD_DOC.index("浙江省优化营商环境典型案例详细") < e for s, e in parsed.dropped
    )


def test_made_up_numbered_document() -> None:
    parsed = _parse(NUMBERED_DOC)
    assert parsed is not None and parsed.layout == "cases:numbered"
    titles = [u.title for u in parsed.units]
    assert titles == [
        "梧州市推行“拿地即开工”助力项目早落地",
        "钦州市税务局推出“一键退税”服务",
        "自治区大数据发展局深化“一件事”集成改革",
    ]
    wuzhou, qinzhou, bigdata = parsed.units
    assert (wuzhou.number, wuzhou.region, wuzhou.org) == (
        "1",
        "广西壮族自治区梧州市",
        "梧州市自然资源局",
    )
    assert (qinzhou.org, qinzhou.indicator) == ("钦州市税务局", "纳税")
    assert (bigdata.number, bigdata.org, bigdata.region) == (
        "",
        "自治区大数据发展局",
        "广西壮族自治区",
    )
    assert [s.name for s in bigdata.sections] == ["主要做法", "取得成效"]
    assert bigdata.indicator == "政务服务"


def test_made_up_article_document() -> None:
    parsed = _parse(ARTICLE_DOC)
    assert parsed is not None and parsed.layout == "cases:articles"
    suzhou, hefei, xiamen = parsed.units
    assert suzhou.region == "江苏省苏州市工业园区" and suzhou.indicator == "政务服务"
    assert (hefei.org, hefei.indicator) == ("合肥市财政局", "政府采购")
    assert xiamen.region == "福建省厦门市思明区" and xiamen.indicator == "不动产登记"
    for unit in parsed.units:
        assert not DOT_LEADER.search(ARTICLE_DOC[unit.start : unit.end])
    assert any(s <= ARTICLE_DOC.index("目录") < e for s, e in parsed.dropped)


def test_plain_policy_text_is_no_case_collection() -> None:
    for parser in cases.PARSERS:
        assert parser(PLAIN_POLICY, "policy.txt") is None
        assert parser("", "empty.txt") is None


def test_one_line_joins_lines_without_cjk_spaces() -> None:
    assert (
        common.one_line("优化政采营商环境 助力\n中小企业发展") == "优化政采营商环境助力中小企业发展"
    )
    assert common.one_line("营商环境 4.0 版上线！ 成都") == "营商环境4.0版上线！成都"
    assert common.one_line("Hello  world\n2024") == "Hello world 2024"


def test_dispatcher_keeps_the_cases() -> None:
    from index.structure import parse_document

    for name, (count, layout) in EXPECTED.items():
        parsed = parse_document(_text(name), name, "k")
        assert parsed.layout == layout
        assert sum(u.kind == "case" for u in parsed.units) == count


def test_contents_name_the_cases_and_give_their_page() -> None:
    """The contents keep the punctuation and wording the body heading lost in layout."""
    hotline = _unit("每周营商环境优秀案例（12月13日-12月19日）.txt", "政务热线合并")
    assert hotline.title == "广东省深圳市：36条政务热线合并了！"
    assert hotline.page == "69"
    chongqing = _unit("每周营商环境优秀案例（12月13日-12月19日）.txt", "重拳出击")
    assert chongqing.title == "重庆市：重拳出击反垄断反不正当竞争，优化营商环境"
    weekly = _parsed("每周营商环境优秀案例（12月13日-12月19日）.txt").units
    assert sum(bool(u.page) for u in weekly) >= 25  # 27 contents lines, 28 articles
