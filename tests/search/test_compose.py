"""Answer composition per question type (search.compose, search.answer.compose_typed):
pure functions on hand-made units and hits; no model."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

import numpy as np

from index.types import Hit, Passage, Span, Unit
from search.answer import compose_typed, detect_intent, reconcile, worded_fields
from search.compose import (
    FIGURE,
    Candidate,
    ListOption,
    Outline,
    asked_count,
    asked_level,
    asks_measures,
    asks_parts,
    asks_plan,
    case_named,
    case_outline,
    choose_list,
    clause_runs,
    clean_unit_text,
    clear_lead,
    clip_item,
    compose_extreme_place,
    compose_figures,
    compose_list,
    compose_task_fields,
    continues_paragraph,
    count_pattern,
    counted_noun,
    counted_patterns,
    counted_runs,
    counts_run_as_asked,
    defined_items,
    detailed_outline,
    doing_weight,
    figure_ask_topics,
    figure_asks,
    figure_clause_words,
    figure_pattern,
    generic_noun,
    group_cap,
    heading_members,
    heading_runs,
    headings_of,
    holds_figure,
    in_results,
    item_head_place,
    joined,
    lead_sentence,
    list_focus,
    list_noun,
    list_options,
    means_weight,
    method_scope,
    method_weight,
    named_by_generic,
    named_by_level,
    named_units,
    names_heading,
    names_level,
    names_place_thing,
    narrow_to_aspect,
    ordinal_runs,
    outline_lead,
    own_level,
    own_share,
    own_shares,
    paragraph_key,
    parallel_runs,
    place_candidates,
    place_head,
    province_hits,
    province_level,
    province_own,
    reads_list,
    region_parts,
    rough_range,
    row_lines,
    says_count,
    sentence_items,
    sized_alike,
    sized_measures_out,
    sorted_items,
    specific_place,
    spells_label,
    split_task_row,
    task_row_line,
    unit_place,
    with_before,
    with_elaboration,
    with_paragraph,
    with_premise,
    with_responses,
    with_step_details,
)
from search.question import Question
from tests.search.factories import make_hit as _hit
from tests.search.factories import make_question as _q
from tests.search.factories import make_unit as _unit

REGIONAL = _unit(
    "r#measure1",
    lead_units=("自治区高级人民法院",),
    deadline="2023年12月31日",
    title="压缩收回债务所需时间",
)
QINZHOU = _unit(
    "q#measure7", lead_units=("市中级法院",), coop_units=("市司法局",), title="提高办理破产质效"
)


def test_field_answer_comes_from_the_unit_of_the_place_asked_about():
    hits = [
        _hit(
            REGIONAL,
            "破产案件收回债务所需平均时间压缩至1.2年。",
            1,
            "2023年广西优化营商环境工作要点",
        ),
        _hit(QINZHOU, "办理破产收回债务所需时间压缩至1.2年内。", 2, "钦州市实施方案"),
    ]
    cands = [Candidate(hits[0].passage.text, 0), Candidate(hits[1].passage.text, 1)]
    q = _q("field", fields=("牵头单位",), places=("钦州",))
    ans = compose_typed(q, hits, cands, np.array([1.3, 1.2]), threshold=1.1)
    assert ans.kind == "field" and ans.text.startswith("牵头单位：市中级法院[1]")
    assert "自治区高级人民法院" not in ans.text and ans.confident


def test_a_field_asked_of_the_region_by_its_level_comes_from_its_own_unit():
    # 钦州's plan carries 广西 in its title ("…落实《广西…》实施方案"), so both hits name 广西;
    # "全区…由谁来抓" asks the region's own lead unit, not 钦州's.
    hits = [
        _hit(
            QINZHOU, "完善免罚清单管理制度，细化免罚事项范围。", 1, "钦州市落实广西若干措施实施方案"
        ),
        _hit(
            REGIONAL,
            "完善免罚清单管理制度，拓展免罚事项范围。",
            2,
            "2023年广西优化营商环境工作要点",
        ),
    ]
    hits = [
        dataclasses.replace(h, unit=dataclasses.replace(h.unit, doc=d))
        for h, d in zip(hits, ("q.txt", "g.txt"), strict=True)
    ]
    regions = {"q.txt": "广西壮族自治区钦州市", "g.txt": "广西壮族自治区"}
    cands = [Candidate(hits[0].passage.text, 0), Candidate(hits[1].passage.text, 1)]
    q = _q(
        "field", fields=("牵头单位",), places=("广西",), text="全区要完善免罚清单，这事由谁来抓？"
    )
    scores = np.array([1.3, 1.2])
    ans = compose_typed(q, hits, cands, scores, threshold=1.1, doc_regions=regions)
    assert ans.text.startswith("牵头单位：自治区高级人民法院[1]")
    # Without the regions nothing tells the region's own unit: rank order decides, as before.
    ans = compose_typed(q, hits, cands, scores, threshold=1.1)
    assert ans.text.startswith("牵头单位：市中级法院[1]")


def test_all_fields_asked_are_answered():
    hits = [_hit(REGIONAL, "破产案件收回债务所需平均时间压缩至1.2年。")]
    q = _q("multi", {"field"}, fields=("牵头单位", "完成时限"))
    ans = compose_typed(
        q,
        hits,
        [Candidate("破产案件收回债务所需平均时间压缩至1.2年。", 0)],
        np.array([1.3]),
        threshold=1.1,
    )
    assert "牵头单位：自治区高级人民法院；完成时限：2023年12月31日[1]" in ans.text


def test_a_figure_and_field_come_from_the_unit_holding_the_figure():
    """ "…平均多长时间内响应？要求什么时候做到": of the units near the top, the one whose
    sentence holds a span of time, not the first one, which holds rates only."""
    rates = _unit("g#row115", deadline="2023年12月31日", title="提升纳税人诉求响应解决效率")
    span = _unit("g#row116", deadline="2023年12月31日", title="提升纳税服务满意率")
    texts = ["纳税人发起人工服务需求响应及时率不低于80%。", "诉求响应平均时长缩短至1分钟以内。"]
    hits = [_hit(rates, texts[0], 1), _hit(span, texts[1], 2)]
    cands = [Candidate(texts[0], 0), Candidate(texts[1], 1)]
    q = _q(
        "multi", {"field", "figure"}, fields=("完成时限",), text="平均多长时间内响应？何时做到？"
    )
    ans = compose_typed(q, hits, cands, np.array([1.30, 1.28]), threshold=1.1)
    assert "1分钟以内" in ans.text and "80%" not in ans.text
    # No figure asked: the top unit answers, as before.
    q = _q("field", fields=("完成时限",), text="这项任务什么时候做到？")
    ans = compose_typed(q, hits, cands, np.array([1.30, 1.28]), threshold=1.1)
    assert "80%" in ans.text


def test_a_field_comes_from_the_unit_of_the_best_sentence_when_the_top_hit_is_a_field_note():
    """ "钦州…给钦州港片区单独搞一个…行动方案，这事是哪个部门牵头": the top hit is another unit's
    field note (it names 钦州港片区 in its 配合单位) and tells no task; the unit whose passage
    tells the 行动方案 answers."""
    noted = _unit("q#m10", title="打响政务服务品牌", lead_units=("市行政审批局",))
    told = _unit("q#m12", title="提高对外开放水平", lead_units=("市商务局",))
    note = "〔牵头单位：市行政审批局；配合单位：自贸区钦州港片区有关部门〕"
    text = "制定自贸区钦州港片区营商环境优化提升行动方案。"
    hits = [_hit(noted, note, 1), _hit(told, text, 2)]
    cands = [Candidate(text, 1)]  # the note is no sentence
    q = _q("field", fields=("牵头单位",), text="钦州港片区的行动方案由哪个部门牵头？")
    ans = compose_typed(q, hits, cands, np.array([1.2]), threshold=1.1)
    assert ans.text.startswith("牵头单位：市商务局[1]。") and "行动方案" in ans.text
    # The best sentence in another passage of the note's own unit: the note (hit 1, which
    # retrieval put first) answers, as before.
    own = [_hit(noted, note, 1), _hit(noted, text, 2)]
    ans = compose_typed(q, own, [Candidate(text, 1)], np.array([1.2]), threshold=1.1)
    assert ans.text.startswith("牵头单位：市行政审批局[1]。")
    # The top hit telling a sentence of its own answers, as before.
    cands = [Candidate("推进政务服务标准化。", 0), Candidate(text, 1)]
    ans = compose_typed(q, hits, cands, np.array([1.19, 1.2]), threshold=1.1)
    assert ans.text.startswith("牵头单位：市行政审批局[1]。")


def test_a_figure_and_field_come_from_the_unit_of_the_best_sentence_when_none_holds_it():
    """ "钦州2024年千企技改打算推进多少个项目？…哪个部门牵头": no unit holds "…个项目" (the plan
    says "千企技改工程70个以上"); the unit of the best sentence answers, not the top hit nor
    another unit of 钦州's plan that holds "项目…30个" far below."""
    plan = "钦州市贯彻落实实施方案"
    finance = _unit("q#m5", title="打造融资顺畅的金融环境", lead_text="市财政局")
    innovation = _unit("q#m6", title="营造良好创新创业环境", lead_text="市市场监管局、市科技局")
    building = _unit("q#m9", title="提高投资建设水平", lead_text="市住房城乡建设局")
    texts = [
        "对列入“千企技改”的项目实行贷款贴息。",
        "2024年推进千企技改工程70个以上。",
        "钦州市社会投资工程建设项目审批时间压缩至30个工作日内。",
    ]
    hits = [
        _hit(finance, texts[0], 1, plan),
        _hit(innovation, texts[1], 2, plan),
        _hit(building, texts[2], 3, plan),
    ]
    cands = [Candidate(t, h) for h, t in enumerate(texts)]
    q = _q(
        "multi",
        {"field", "figure"},
        fields=("牵头单位",),
        places=("钦州",),
        text="钦州2024年千企技改打算推进多少个项目？这条是哪个部门牵头抓的？",
    )
    ans = compose_typed(q, hits, cands, np.array([1.04, 1.08, 0.90]), threshold=1.1)
    assert ans.text.startswith("牵头单位：市市场监管局、市科技局[1]。")
    assert "70个以上" in ans.text


def _reporter_and_count(text: str, topics: tuple[str, ...] = ()) -> Question:
    """A question asking a case's 报送单位 and a count of it (two clauses)."""
    q = _q("multi", {"field", "figure"}, fields=("报送单位",), text=text)
    return dataclasses.replace(q, topics=topics)


def test_a_case_s_figure_comes_from_any_passage_of_its_case():
    """ "…哪个单位报上来的？2023年它一共给多少户出口企业办了退税？": the case's count is in a later
    passage (工作成效) than the one ranked first, whose best sentence counts nothing."""
    case = _unit("c#case7", kind="case", title="崇左市税务局提升边境口岸服务", org="崇左市税务局")
    texts = ["前移服务，将边关税务分局前移到口岸和产业园。", "共为全市261户出口企业办理出口退税。"]
    hits = [_hit(case, texts[0], 1), _hit(case, texts[1], 2)]
    cands = [Candidate(texts[0], 0), Candidate(texts[1], 1)]
    q = _reporter_and_count("那个案例是哪个单位报上来的？它一共给多少户出口企业办了退税？")
    ans = compose_typed(q, hits, cands, np.array([1.20, 1.10]), threshold=1.1)
    assert ans.text.startswith("报送单位：崇左市税务局[1]。前移服务")
    assert ans.text.endswith("共为全市261户出口企业办理出口退税[2]。")
    # A count of the first passage's own ranked higher: it tells the count, as before.
    texts[0] = "将937户外资外贸企业纳入网格化服务信息库。"
    hits[0] = _hit(case, texts[0], 1)
    cands[0] = Candidate(texts[0], 0)
    ans = compose_typed(q, hits, cands, np.array([1.20, 1.10]), threshold=1.1)
    assert "937户" in ans.text and "261户" not in ans.text


def test_a_case_s_figure_is_the_one_told_in_the_words_asked():
    """ "…涉金融案件执结了多少件？这个案例是哪几家单位报上来的？": the case's two counts are in
    one sentence cut at its "；"; the better-scored clause counts 涉中小微企业案件, the next one
    the 涉金融案件 asked."""
    case = _unit(
        "c#case8", kind="case", title="桂林市打造“一站点两机制三到位”模式", org="桂林市工商联"
    )
    texts = [
        "开展“一站点两机制三到位”模式以来，全市执结涉中小微企业案件17940件，执行到位金额37.23亿元；",
        "执结涉金融案件22329件，执行到位金额31.42亿元。",
    ]
    hits = [_hit(case, "".join(texts))]
    cands = [Candidate(texts[0], 0), Candidate(texts[1], 0)]
    q = _reporter_and_count(
        "桂林那个模式搞起来以后，涉金融案件执结了多少件？这个案例是哪几家单位报上来的？",
        topics=("模式", "起来", "金融", "案件", "执结", "案例", "报上来"),
    )
    ans = compose_typed(q, hits, cands, np.array([1.20, 1.15]), threshold=1.1)
    assert ans.text.startswith("报送单位：桂林市工商联[1]。") and "22329件" in ans.text
    assert "17940件" not in ans.text
    # Asked of the other count, the better-scored clause tells it.
    q = dataclasses.replace(q, text=q.text.replace("涉金融", "涉中小微企业"))
    q = dataclasses.replace(q, topics=(*q.topics, "中小微企业"))
    ans = compose_typed(q, hits, cands, np.array([1.20, 1.15]), threshold=1.1)
    assert "17940件" in ans.text and "22329件" not in ans.text


def test_figure_clause_words_reads_each_figure_s_comma_clause():
    figure = re.compile(r"\d+(?:\.\d+)?\s*小时")
    text = "城网用户平均停电时间同比压缩5%以上，其中全区目标值为4.51小时，"
    assert figure_clause_words(figure, text, ("全区", "目标值", "停电")) == 2
    assert figure_clause_words(figure, text, ()) == 0
    assert figure_ask_topics(
        "全区总的目标值定的是多少小时？这项归哪个部门管？", ("全区", "部门")
    ) == ("全区",)
    assert figure_ask_topics("两个都问：多少？多少？", ("两个",)) == ()
    # "这几年" names a time, it asks no figure: the clause that asks one is still one.
    recent = "广西这几年在不动产登记上，抵押登记办一次要多少天？"
    assert figure_ask_topics(recent, ("广西", "抵押")) == ("抵押",)


def test_a_field_the_unit_lacks_makes_the_answer_not_confident():
    hits = [_hit(QINZHOU, "办理破产收回债务所需时间压缩至1.2年内。")]
    q = _q("multi", {"field"}, fields=("牵头单位", "完成时限"))
    ans = compose_typed(
        q, hits, [Candidate(hits[0].passage.text, 0)], np.array([1.3]), threshold=1.1
    )
    assert "市中级法院" in ans.text and not ans.confident and ans.notice


def test_which_place_names_the_place_and_the_case():
    case = _unit(
        "c#case3", kind="case", title="智能审批个体工商户", region="广西壮族自治区防城港市"
    )
    hits = [_hit(case, "在全区率先推行“个体工商户智能自动审批”模式。")]
    q = _q("place", places=("广西",))
    ans = compose_typed(
        q,
        hits,
        [Candidate(hits[0].passage.text, 0)],
        np.array([1.3]),
        threshold=1.1,
        places=("广西", "防城港"),
    )
    assert ans.kind == "place" and ans.text.startswith("防城港：智能审批个体工商户[1]")


def test_comparison_answers_per_place_and_says_which_place_lacks_sources():
    a = _unit("a#case1", kind="case", title="北海市织密信用体系网", region="广西壮族自治区北海市")
    b = _unit("b#case2", kind="case", title="浙江省台州市：政府采购", region="浙江省台州市")
    hits = [_hit(a, "北海建立信用评价体系。", 1), _hit(b, "台州取消投标保证金。", 2)]
    cands = [Candidate("北海建立信用评价体系。", 0), Candidate("台州取消投标保证金。", 1)]
    ans = compose_typed(
        _q("comparison", places=("北海", "台州")), hits, cands, np.array([1.3, 1.2]), threshold=1.1
    )
    assert (
        ans.text == "北海：北海建立信用评价体系[1]。台州：台州取消投标保证金[2]。" and ans.confident
    )
    ans = compose_typed(
        _q("comparison", places=("北海", "百色")), hits, cands, np.array([1.3, 1.2]), threshold=1.1
    )
    assert "百色：资料中没有找到这方面的内容。" in ans.text and not ans.confident
    assert "没有找到关于" not in ans.notice  # 百色 is indexed: no "missing place" notice


def test_missing_place_notice_only_for_places_the_index_lacks():
    hits = [_hit(REGIONAL, "破产案件收回债务所需平均时间压缩至1.2年。")]
    q = _q("figure", unknown=("海南",))
    ans = compose_typed(
        q,
        hits,
        [Candidate(hits[0].passage.text, 0)],
        np.array([1.5]),
        threshold=1.1,
        intent="figure",
        missing=("海南",),
    )
    assert not ans.confident and "海南" in ans.notice


def test_figure_question_without_a_figure_is_not_confident():
    hits = [_hit(REGIONAL, "深化府院联动机制。")]
    ans = compose_typed(
        _q("figure"),
        hits,
        [Candidate("深化府院联动机制。", 0)],
        np.array([1.5]),
        threshold=1.1,
        intent="figure",
    )
    assert not ans.confident


def test_lists_enumerate_items_numbered_and_cited():
    assert ordinal_runs("三举措。一是坚持顶层设计，强化推动。二是坚持改革创新。三是问政于企。") == [
        ("三举措。", ("坚持顶层设计，强化推动", "坚持改革创新", "问政于企"))
    ]
    assert len(sentence_items("将交地、办证、办税、抵押、放款五件事整合为一件事")) == 5
    unit = _unit("t#case1", kind="case", title="三举措")
    hits = [_hit(unit, "一是坚持顶层设计。")]
    text = "三举措。一是坚持顶层设计。二是坚持改革创新。三是问政于企。"
    options = list_options(hits, [Candidate("一是坚持顶层设计。", 0)], {0: text})
    out = compose_list(options, np.array([1.2] * len(options)), True)
    assert [t for t, _ in out.picked] == ["1. 坚持顶层设计", "2. 坚持改革创新", "3. 问政于企"]


def test_numbered_runs_keep_headings_and_points_apart():
    text = (
        "一、数字赋能，打造高效采购\n依托信息化，实现“三网融合”。一是构建“数字网”。"
        "二是织密“监督网”。三是拓宽“局域网”。\n二、监管护航，营造公平环境\n"
        "一是以制度为基础。二是以典型为借鉴。"
    )
    runs = ordinal_runs(text, "财政厅突出“两向”发力")
    assert runs[0] == ("财政厅突出“两向”发力", ("数字赋能，打造高效采购", "监管护航，营造公平环境"))
    assert runs[1] == (
        "依托信息化，实现“三网融合”。",
        ("构建“数字网”", "织密“监督网”", "拓宽“局域网”"),
    )
    assert runs[2][1] == ("以制度为基础", "以典型为借鉴")
    assert ordinal_runs("一是甲乙。三是丙丁。") == []  # not a run: 1 then 3


def test_sentence_items_and_the_count_asked():
    assert sentence_items("通过抓实“事前、事中、事后”三个环节") == ("事前", "事中", "事后")
    assert sentence_items("打出“减负”“助力”“纾困”等组合拳") == ("减负", "助力", "纾困")
    five = "创新“5个一”方式（即一套资料、一表申请、一窗受理、一站服务，一并审批）"
    assert sentence_items(five)[1:] == ("一表申请", "一窗受理", "一站服务", "一并审批")
    assert sentence_items("深化府院联动机制，推进破产程序。") == ()
    # A later run that its own count closes is the list, not the first run of the sentence.
    counted = "基于甲乙短板、丙丁做法、戊己做法等考量，从聚焦开放、聚焦体验、聚焦建设3个维度制定"
    assert sentence_items(counted) == ("从聚焦开放", "聚焦体验", "聚焦建设")
    assert sentence_items(counted.replace("3个", "5个"))[0] == "基于甲乙短板"  # not its count
    remark = "统一开发甲系统、乙平台、丙系统，推进申请、审批、登记3大功能系统的融合"
    assert sentence_items(remark)[0] == "统一开发甲系统"  # a count inside a longer phrase
    assert sentence_items("将交地、办证、办税、抵押、放款五件事整合")[-1] == "放款"
    # Quoted terms make a list only one after another, each once.
    twice = "出台“标准地”改革方案，在园区实行“标准地”改革，实现“拿地即可开工”"
    assert sentence_items(twice) == ()
    assert sentence_items("提供“一表填报”“一键提交”“一秒审核”等便捷措施")[2] == "一秒审核"
    labelled = "以互市供销“链条通”、定制服务“享红利”、退税流程“快速通”等六方面发力"
    assert sentence_items(labelled) == ("链条通", "享红利", "快速通")
    # A short note in brackets stays with its item.
    permits = "推出旅行社设立许可、食品生产许可（低风险食品）、人力资源服务许可等13项"
    assert sentence_items(permits)[1] == "食品生产许可"
    # A note inside an item does not make it too long for a run, and stays where it was.
    channels = (
        "依托12345热线、违约拖欠中小企业款项登记（投诉）平台、信访等渠道做好政府失信行为线索归集"
    )
    assert sentence_items(channels)[1] == "违约拖欠中小企业款项登记（投诉）平台"
    # A 、 inside a short note joins no items: 县（市、区）… is one.
    levels = "全市建成市级中心1个、县（市、区）公共法律服务中心7个、镇街公共法律服务站107个"
    assert sentence_items(levels)[1] == "县（市、区）公共法律服务中心7个"
    # A last item longer than twelve characters runs to the 等 that closes it.
    closed = (
        "围绕领导体系、亲清政商关系、服务指标评估标准、政务数据共享开放及电子证照使用等情况，聚焦…"
    )
    assert sentence_items(closed)[-1] == "政务数据共享开放及电子证照使用"
    # A term quoted whole within a run of 、 is one of its items.
    platforms = "充分发挥实体平台、“12348甘肃法网”“12348”热线平台、公共法律服务智能终端等作用"
    assert sentence_items(platforms)[:3] == ("充分发挥实体平台", "12348甘肃法网", "12348")
    # Quotes side by side with no 、 between them are no such run.
    assert sentence_items("将前台服务拓展为“全方位”“全覆盖”的立体政务服务") == ()
    assert asked_count("“三网融合”是哪三张网？") == 3 and asked_count("“四向”发力") == 4
    assert asked_count("2023年有哪些措施？") == 0


def test_the_list_with_as_many_items_as_asked_answers():
    unit = _unit("c#case1", kind="case", title="财政厅")
    hits = [_hit(unit, "x")]
    three = ListOption(
        (("数字网", 0), ("监督网", 0), ("局域网", 0)), "三网融合：数字网；监督网；局域网"
    )
    two = ListOption((("甲", 0), ("乙", 0)), "甲；乙")
    out = compose_list([two, three], np.array([1.2, 1.1]), True, "是哪三张网？", hits)
    assert [t for t, _ in out.picked] == ["1. 数字网", "2. 监督网", "3. 局域网"]
    # Without a count the better-scoring list answers.
    assert (
        compose_list([two, three], np.array([1.2, 1.1]), True, "有哪些？").picked[0][0] == "1. 甲"
    )


def test_a_list_of_as_many_items_as_asked_is_sure_whatever_its_score():
    """ "…是哪三张网？" answered by three items is what was asked, all of it: confident even
    below the threshold; a list of another length, or a question naming no count, is not."""
    hits = [_hit(_unit("c#case1", kind="case", title="财政厅"), "x")]
    three = ListOption(
        (("数字网", 0), ("监督网", 0), ("局域网", 0)), "三网融合：数字网；监督网；局域网"
    )
    assert compose_list([three], np.array([0.9]), False, "是哪三张网？", hits).confident
    assert not compose_list([three], np.array([0.9]), False, "是哪四张网？", hits).confident
    assert not compose_list([three], np.array([0.9]), False, "有哪些网？", hits).confident


def test_a_list_quoting_the_label_asked_is_sure_whatever_its_score():
    """ "“四答”工作要求包括什么？" answered by the sentence that quotes “四答” and lists them."""
    from search.compose import quotes_label_asked

    hits = [_hit(_unit("c#case5", kind="case", title="五级联动"), "x")]
    text = "明确“四答”工作要求，即有题必答；应声作答；同题共答；权威解答。"
    four = ListOption(
        (("有题必答", 0), ("应声作答", 0), ("同题共答", 0), ("权威解答", 0)), text, sentence=text
    )
    asked = "实体经济调研服务里提出的“四答”工作要求包括什么？"
    assert quotes_label_asked(four, asked) and not quotes_label_asked(four, "“三到位”指什么？")
    assert compose_list([four], np.array([0.9]), False, asked, hits).confident
    assert not compose_list([four], np.array([0.9]), False, "有哪些要求？", hits).confident
    # A heading the question quotes; a label of one character held by every item.
    run = ListOption((("强化要素保障", 0), ("构建亲清政商关系", 0)), "…", head="聚焦服务实体经济")
    assert quotes_label_asked(run, "钦州实施方案“聚焦服务实体经济”这一部分都有哪些措施？")
    de = ListOption((("生得快", 0), ("活得好", 0), ("长得快", 0)), "生得快；活得好；长得快")
    assert quotes_label_asked(de, "要让个体户做到哪几个“得”？")
    assert not quotes_label_asked(de, "要做到哪几个“快”？")  # not every item holds it


def test_asks_parts_reads_the_noun_before_or_after_the_question_word():
    from search.compose import asks_parts

    assert asks_parts("玉林改革主要从哪几个方面做？") and asks_parts("有哪些做法？")
    assert asks_parts("主要做法有哪几条？") and asks_parts("这个做法具体分哪几步？")
    assert not asks_parts("防城港把个体工商户分成了哪几类？")
    assert asks_parts("来宾公共资源交易改革主要做法包括什么？") and asks_parts("改革分几步走的？")
    assert not asks_parts("“三个平台”是哪三个？")


def test_the_parts_a_case_names_answer_from_which_aspects_it_worked():
    unit = _unit("c#case1", kind="case", title="玉林市实施个体工商户信用分类管理改革")
    hits = [_hit(unit, "x"), _hit(_unit("c#case2", kind="case", title="别的案例"), "y")]
    steps = ("全面归集信息", "突出类型监管", "发挥信用赋能")
    outline = ListOption(
        tuple((p, 0) for p in steps), "玉林：…", head=unit.title, outline=True, parts=True
    )
    sentence = "集数据、精分类、强运用、促发展。"
    enumerating = ListOption(tuple((p, 0) for p in sentence_items(sentence)), sentence, sentence)
    scores = np.array([1.05, 1.1])
    out = compose_list([outline, enumerating], scores, True, "玉林改革主要从哪几个方面做？", hits)
    assert [t for t, _ in out.picked] == ["1. 全面归集信息", "2. 突出类型监管", "3. 发挥信用赋能"]
    # Items of another kind are not the case's parts ("哪几类"), nor another unit's parts.
    other = compose_list([outline, enumerating], scores, True, "玉林把个体户分成哪几类？", hits)
    assert other.picked == ((sentence, 0),)
    elsewhere = dataclasses.replace(outline, source=1)
    out = compose_list([elsewhere, enumerating], scores, True, "从哪几个方面做？", hits)
    assert out.picked == ((sentence, 0),)
    # Found from another passage of the top unit: still the parts of the case asked about.
    same_unit = [hits[0], _hit(unit, "z")]
    again = dataclasses.replace(outline, source=1)
    out = compose_list([again, enumerating], scores, True, "从哪几个方面做？", same_unit)
    assert out.picked[0] == ("1. 全面归集信息", 0)


def test_a_detailed_outline_adds_the_sentence_under_each_heading():
    text = (
        "一、打造“一站点”，创新保护模式\n联合打造广西首个服务营商环境工作站。另有一句。\n"
        "二、强化“两机制”\n（一）联席会议。\n三、做好“三到位”"
    )
    steps = ("打造“一站点”，创新保护模式", "强化“两机制”", "做好“三到位”", "不在正文里")
    assert detailed_outline(steps, text) == (
        "打造“一站点”，创新保护模式：联合打造广西首个服务营商环境工作站",
        "强化“两机制”",  # what follows is the next level's heading, not a sentence
        "做好“三到位”",  # nothing follows
        "不在正文里",
    )


def test_parallel_sentences_under_a_heading_are_a_list_the_heading_names():
    text = (
        "（二）用好“三个平台”，打造产才融合“强磁场”。用好人力资源产业集聚平台，形成闭环。"
        "用好人才技能培训平台，搭建基地。用好园区孵化功能平台，支撑发展。（三）优化布局。"
        "2023年完成50项。2023年实现30项。2023年新增10项。"
    )
    assert parallel_runs(text) == [
        (
            "用好“三个平台”，打造产才融合“强磁场”",
            ("用好人力资源产业集聚平台", "用好人才技能培训平台", "用好园区孵化功能平台"),
        )
    ]  # sentences that start with a year are not in parallel
    unit = _unit("c#case1", kind="case", title="柳州市打好“三套组合拳”")
    hits = [_hit(unit, "x")]
    options = list_options(hits, [], {0: "健全体系。" + text})
    parallel = [o for o in options if o.parallel]
    assert len(parallel) == 1
    out = compose_list(parallel, [1.2], True, "“三个平台”是哪三个？", hits)
    assert out.picked[0][0] == "1. 用好人力资源产业集聚平台"
    # A list the question names by another label is not this one.
    assert compose_list(parallel, [1.2], True, "“三套组合拳”是哪三套？", hits) is None


def test_a_sorting_question_is_answered_by_the_sentence_that_sorts():
    hits = [_hit(_unit("c#case1", kind="case", title="防城港市"), "x")]
    goals = "分别着眼于“生得快”“活得好”“长得快”3个目标，制定分类标准。"
    sorted_by = "将个体工商户划分为“生存型”“成长型”“发展型”，制定差异化扶持政策。"
    options = [
        ListOption(tuple((i, 0) for i in sentence_items(t)), t, t) for t in (goals, sorted_by)
    ]
    scores = np.array([1.105, 1.103])
    out = compose_list(options, scores, True, "防城港把个体工商户分成了哪几类？", hits)
    assert out.picked == ((sorted_by, 0),)
    assert compose_list(options, scores, True, "防城港有哪几个目标？", hits).picked == ((goals, 0),)


def test_a_label_defined_after_ji_lists_its_parts_and_is_offered_whole():
    defined = (
        "二是明确“四答”工作要求，即有题必答，100%响应企业问题诉求；应声作答，明确要求；"
        "同题共答，政企双方合力推进；权威解答，相关部门及时解答。"
    )
    assert defined_items(defined) == ("有题必答", "应声作答", "同题共答", "权威解答")
    assert defined_items("即便如此，也要办好；下一步继续。") == ()  # fewer than three parts
    unit = _unit("c#case1", kind="case", title="五级联动开展实体经济调研服务")
    hits = [_hit(unit, "x")]
    options = list_options(hits, [], {0: f"一是构建闭环机制。{defined}三是建立评价体系。"})
    whole = [o for o in options if o.sentence.startswith("明确“四答”")]
    assert len(whole) == 1 and whole[0].sentence.endswith("相关部门及时解答。")
    out = compose_list(
        options, np.array([1.1] * len(options)), True, "“四答”工作要求包括什么？", hits
    )
    assert out.picked[0][0] == whole[0].sentence


def test_the_steps_of_the_measure_asked_about_answer_which_measures():
    """ "钦州实施方案里关于政务服务有哪些措施？" → the steps of 打响政务服务品牌, not a sentence
    that counts five other things."""
    measure = _unit("q#measure14", kind="measure", title="打响政务服务品牌")
    hits = [_hit(measure, "x")]
    steps = ("推动政务服务“掌上办”", "建立惠企政策直达机制", "完善“好差评”机制")
    own = ListOption(
        tuple((p, 0) for p in steps), "打响政务服务品牌：…", head=measure.title, parts=True
    )
    counting = "聚焦优化政务环境、要素环境、法治环境、市场环境、创新环境“五大环境”。"
    other = ListOption(tuple((p, 0) for p in sentence_items(counting)), counting, counting)
    scores = np.array([1.056, 1.042])
    out = compose_list([own, other], scores, True, "钦州实施方案里关于政务服务有哪些措施？", hits)
    assert [t for t, _ in out.picked] == [f"{n}. {p}" for n, p in enumerate(steps, 1)]


def test_the_list_as_long_as_its_title_says_answers_and_is_shown_whole():
    unit = _unit("c#case1", kind="case", title="兰州市：司法局优化营商环境十二项措施")
    hits = [_hit(unit, "x")]
    twelve = ListOption(tuple((f"措施{n}", 0) for n in range(1, 13)), "十二项措施：措施1；…")
    sentence = ListOption((("调解", 0), ("仲裁", 0), ("公证", 0)), "调解、仲裁、公证", "一句。")
    scores = np.array([1.0, 1.1])  # the enumerating sentence scores better on its own
    out = compose_list([twelve, sentence], scores, True, "兰州司法局有哪几项措施？", hits)
    assert [t for t, _ in out.picked] == [f"{n}. 措施{n}" for n in range(1, 13)]  # all 12
    # The title's count does not override a count the question names, nor a question that
    # does not ask for the items.
    assert compose_list([twelve, sentence], scores, True, "哪三项？", hits).picked[0][0] == "一句。"
    assert (
        compose_list([twelve, sentence], scores, True, "怎么做的？", hits).picked[0][0] == "一句。"
    )
    assert asked_count("优化营商环境二十项措施") == 20


def test_long_numbered_items_are_cut_at_a_clause():
    text = "1、健全完善规章制度，强化制度供给，围绕企业在市场准入、产权保护、公平竞争等方面遇到的困难和问题，推动相关规章与规范性文件的制定和清理工作。2、加强合法性审查。"
    ((_, items),) = ordinal_runs(text)
    assert (
        items[0]
        == "健全完善规章制度，强化制度供给，围绕企业在市场准入、产权保护、公平竞争等方面遇到的困难和问题"
    )
    assert items[1] == "加强合法性审查"


def test_lists_from_the_place_asked_and_from_units_under_a_heading():
    beichen = _unit("t#case8", kind="case", title="天津市北辰区：三举措")
    dongli = _unit("t#case7", kind="case", title="天津市东丽区：全员抓")
    hits = [_hit(dongli, "x"), _hit(beichen, "y")]
    a = ListOption((("帮办代办", 0), ("免费邮寄", 0), ("集团式", 0)), "推出帮办代办等")
    b = ListOption((("顶层设计", 1), ("改革创新", 1), ("问政于企", 1)), "三举措：顶层设计…")
    out = compose_list(
        [a, b], np.array([1.3, 1.2]), True, "北辰区的三项举措？", hits, ("天津", "北辰")
    )
    assert out.picked[0] == ("1. 顶层设计", 1)
    section = _unit("q#section6", kind="section", title="保障措施")
    members = [
        _unit(f"q#measure{i}", title=t, heading_path=("三、保障措施",))
        for i, t in enumerate(("加强组织领导", "加强统筹协调"), 1)
    ]
    other = _unit("o#measure1", title="加大宣传引导", heading_path=("三、保障措施",))
    other = dataclasses.replace(other, doc="other.txt")
    index = heading_members([section, *members, other])
    assert index[("d.txt", "三、保障措施")] == ("q#measure1", "q#measure2")
    assert headings_of(section, index) == [("d.txt", "三、保障措施")]  # not other.txt's
    assert headings_of(members[0], index) == []  # one measure asks about itself
    group_hits = [_hit(section, "三、保障措施"), *(_hit(m, m.title) for m in members)]
    options = list_options(group_hits, [], {}, [("三、保障措施", [1, 2], 0)])
    out = compose_list(options, np.array([1.2]), True)
    assert out.picked == (("1. 加强组织领导", 1), ("2. 加强统筹协调", 2))


def test_a_measure_paragraph_lists_its_steps_without_its_unit_columns():
    unit = _unit("q#measure15", title="提升口岸通关便利化")
    steps = ["落实降低物流成本措施。", "推进通关作业电子化。", "推动跨境电商清关中心建设。"]
    hits = [_hit(unit, "".join(steps) + "（牵头单位：市商务局）")]
    cands = [Candidate(t, 0) for t in [*steps, "（牵头单位：市商务局）"]]
    options = list_options(hits, cands, {0: "".join(steps)})
    out = compose_list(options, np.array([1.2] * len(options)), True)
    assert [t for t, _ in out.picked] == [f"{n}. {t.rstrip('。')}" for n, t in enumerate(steps, 1)]


def test_clean_text_removes_glued_titles_and_labels():
    case = _unit(
        "c#case1", kind="case", title="优化政采营商环境", indicator="政府采购", org="自治区财政厅"
    )
    text = (
        "编号1：\n优化政采营商环境指标名称政府采购案例名称优化政采营商环境案例特色或亮点"
        "自治区财政厅持续打出组合拳。\n报送单位自治区财政厅主要内容\n一、案例背景"
    )
    out = clean_unit_text(text, case)
    assert "指标名称" not in out and "案例名称" not in out and "报送单位" not in out
    assert out.startswith("自治区财政厅持续打出组合拳。")
    glued = _unit("w#case2", kind="case", title="广东省深圳市：破解订单融资难")
    assert (
        clean_unit_text("广东省深圳市：破解订单融资难记者日前从深圳获悉。", glued)
        == "记者日前从深圳获悉。"
    )
    # A task that starts with its title's words keeps them: a comma follows, not the text.
    task = _unit("g#measure138", title="探索柔性监管方式")
    assert clean_unit_text("探索柔性监管方式，完善免罚清单管理制度。", task) == (
        "探索柔性监管方式，完善免罚清单管理制度。"
    )
    assert (
        clean_unit_text("探索柔性监管方式完善免罚清单管理制度。", task) == "完善免罚清单管理制度。"
    )
    # Named by the collection's contents: the heading printed above the text is still dropped.
    listed = dataclasses.replace(
        glued,
        title="广东省深圳市：36条政务热线合并了！",
        heading="广东省深圳市：36 条政务服务热线合并了！",
    )
    assert clean_unit_text(
        "广东省深圳市：36 条政务服务热线合并了！\n据了解，深圳整合热线。", listed
    ) == ("据了解，深圳整合热线。")


def test_task_row_reads_as_fields():
    unit = _unit(
        number="2",
        indicator="开办企业",
        lead_units=("自治区市场监管局",),
        coop_units=("各市、县人民政府",),
        deadline="2023年12月31日",
    )
    row = "实现分支机构信息集中统一办理。2023年12月31日自治区市场监管局各市、县人民政府"
    task, is_row = split_task_row(row, unit)
    assert is_row and task == "实现分支机构信息集中统一办理。"
    assert task_row_line(task, unit) == (
        "任务：实现分支机构信息集中统一办理；牵头单位：自治区市场监管局；"
        "配合单位：各市、县人民政府；完成时限：2023年12月31日"
    )
    assert task_row_line("其中全区目标值为13.97小时，", unit).startswith(
        "任务：其中全区目标值为13.97小时；"
    )


def test_task_row_quotes_its_cells_as_printed():
    """A row's responsibility cells are quoted as the document prints them; units parsed by
    older code (no printed cell) join their names."""
    unit = _unit(
        lead_units=("自治区北部湾办",),
        coop_units=("自治区发展改革委", "北海市人民政府", "钦州市人民政府"),
        coop_text="自治区发展改革委，北海、钦州市人民政府",
    )
    assert task_row_line("增加集装箱供应", unit) == (
        "任务：增加集装箱供应；牵头单位：自治区北部湾办；"
        "配合单位：自治区发展改革委，北海、钦州市人民政府"
    )


def test_places_of_units():
    assert region_parts("广西壮族自治区北海市") == ["广西", "北海"]
    case = _unit(kind="case", region="浙江省杭州市", title="杭州：纳税服务")
    assert unit_place(case, ["杭州", "浙江"], skip=("浙江",)) == "杭州"


def test_fields_named_outright_are_asked():
    """ "…归在营商环境哪个指标" asks the indicator, whatever the classifier read; "牵头和配合的
    各是谁" asks both fields, though the classifier's margin kept 牵头单位 alone."""
    indicator = _q("method", text="东兴跨境就医通道的那个案例，归在营商环境哪个指标？")
    asked = reconcile(indicator, "")
    assert (asked.kind, asked.fields) == ("field", ("指标",))
    both = _q("multi", fields=("牵头单位",), text="降融资担保费率那条措施，牵头和配合的各是谁？")
    assert reconcile(both, "lead").fields == ("牵头单位", "配合单位")
    one = _q("field", fields=("牵头单位",), text="这条措施由谁牵头？")
    assert reconcile(one, "lead").fields == ("牵头单位",)
    compared = _q("comparison", places=("北海", "台州"), text="北海和台州各归哪个指标？")
    assert reconcile(compared, "").kind == "comparison"
    # "营商环境" read as an indicator: the indicator is asked only when the question says 指标.
    lead_only = _q(
        "multi", fields=("牵头单位", "指标"), text="营商环境按季度做监测，这个活由谁来抓？"
    )
    assert reconcile(lead_only, "").fields == ("牵头单位",)
    asked = _q("multi", fields=("牵头单位", "指标"), text="那项任务算在哪个营商环境指标下面？")
    assert (reconcile(asked, "").kind, reconcile(asked, "").fields) == ("field", ("指标",))
    figure = _q(
        "multi", {"field", "figure"}, fields=("牵头单位", "指标"), text="目标是多少，谁牵头？"
    )
    assert reconcile(figure, "").kind == "multi" and reconcile(figure, "").fields == ("牵头单位",)
    both = _q("multi", fields=("报送单位", "指标"), text="那个案例归哪个指标、谁报送的？")
    assert reconcile(both, "").fields == ("报送单位", "指标")


def test_reconcile_asks_a_place_only_with_words_that_ask_where():
    """ "…由谁来建、归哪个部门管" asks the lead unit the classifier also read, not which place;
    "由哪些部门牵头" asks one field's units, not a list of items."""
    who = _q(
        "place", {"place", "field"}, fields=("牵头单位",), text="云平台由谁来建、归哪个部门管？"
    )
    assert (reconcile(who, "").kind, reconcile(who, "").fields) == ("field", ("牵头单位",))
    where = _q("place", text="最早是在哪个片区拿到国家试点的？")
    assert reconcile(where, "").kind == "place"
    city = _q("place", fields=("牵头单位",), text="哪个市最先推行的？")
    assert reconcile(city, "").kind == "place"
    anywhere = _q("place", fields=("牵头单位",), text="有没有城市把多条热线整合成一条？")
    assert reconcile(anywhere, "").kind == "place"
    ranked = dataclasses.replace(
        _q("place", text="这个做法好在哪里"), scores=(("place", 0.9), ("method", 0.8))
    )
    assert reconcile(ranked, "").kind == "place"  # 哪里 asks where
    no_where = dataclasses.replace(ranked, text="这个做法是谁先想出来的")
    assert reconcile(no_where, "").kind == "method"  # the classifier's next reading
    units = _q("list", {"list", "field"}, fields=("牵头单位",), text="那条措施，由哪些部门牵头？")
    assert reconcile(units, "lead").kind == "field"
    items = _q("list", {"list", "field"}, fields=("牵头单位",), text="有哪些任务，分别由谁牵头？")
    assert reconcile(items, "lead").kind == "list"


def test_a_field_word_that_asks_nothing_is_no_field_asked():
    """ "自治区工信厅牵头的实体经济调研服务，具体是哪八个方面的调研？": 牵头 says whose work it
    is (no question word in its clause); the eight aspects are asked, not the lead unit."""
    aspects = _q("list", text="自治区工信厅牵头的实体经济调研服务，具体是哪八个方面的调研？")
    assert reconcile(aspects, "lead").kind == "list"
    lead = _q("list", text="实体经济调研服务，是哪个部门牵头的？")
    assert reconcile(lead, "lead").fields == ("牵头单位",)
    named = _q("list", text="政务服务事项向基层延伸这项任务的牵头单位？")
    assert reconcile(named, "lead").fields == ("牵头单位",)  # the field named, no 的 after it


def test_a_count_and_a_field_asked_apart_are_both_asked():
    """ "…一共分几个模块？这个案例是哪个单位报的？" read as a field alone: the count is asked
    too (a multi of both), not the count alone; the count is of 模块, not any figure (the
    case's "入选2023…" is none)."""
    text = "玉林那个在手机上就能找法律服务的云超市，一共分几个模块？这个案例是哪个单位报的？"
    both = reconcile(_q("field", fields=("报送单位",), text=text), "figure")
    assert (both.kind, both.fields) == ("multi", ("报送单位",))
    assert both.types >= {"figure", "field"}
    modules = figure_pattern(text)
    assert modules.search("等九个模块组成") and not modules.search("入选2023政法智能化建设")
    assert figure_pattern("一天能开评多少个项目？").search("开评标项目由原来的5个增加到20个以上")
    assert figure_pattern("有哪几个方面？").search("2023")  # 哪几个 asks which, not how many
    # The noun counted may come before the verb that cut it: "环节压到了几个" is a count of
    # 环节 ("办事环节由12个优化至3个以内"), not "一次收缴"; 材料 counted in 件.
    steps = figure_pattern("办一次登记要走的环节压到了几个？")
    assert steps.search("办事环节由12个优化至3个以内") and not steps.search("登记费线上“一次收缴”")
    assert figure_pattern("材料压减到几个？").search("登记材料由12件压减至4件以内")
    teams = figure_pattern("自治区派了几支工作队常驻到各市去服务？")
    assert teams.search("设立14支驻市工作队驻点服务") and not teams.search("桂发〔2023〕9号")
    # cases counted in 例: "400多例", not "27人次"
    cases = figure_pattern("1369生命直通车前前后后接诊了多少例越南危重病人？")
    assert cases.search("先后成功接诊越南籍危重病患400多例") and not cases.search("患者27人次")


def test_a_span_is_not_the_same_day_and_a_date_is_no_figure():
    """ "…从选址到开业用了多久": "同一天，…开业迎宾" holds no span of time ("5个月" does); a
    sentence whose only digits are its date holds no figure ("2024年，为深入贯彻…")."""
    span = figure_pattern("全聚德武汉首店从选址到开业用了多久？")
    assert not span.search("同一天，知名餐饮品牌全聚德武汉首店在沙湖路开业迎宾。")
    assert span.search("从6月初选址落户到10月底投入经营，只用了短短5个月时间")
    assert span.search("全程不到5分钟") and not span.search("每一天都有新变化")
    assert not holds_figure("2024年，为深入贯彻落实党的二十大提出的精神，解决欠薪问题。")
    assert not holds_figure("10月29日，武汉市武昌区招商中心收到感谢信。")
    assert holds_figure("截至2024年12月，全市共有153个工程项目参加保证保险。")
    assert holds_figure("诉求案件同比下降42.5%", figure_pattern("诉求下降了多少？"))
    # A figure the question states is not the one asked (probe_mx yv06).
    asked = "原来8个环节压成了几项"
    told = "全流程由“签订合同—…—银行放款”8项压缩至“签订合同—…—金融企业放款。"
    assert holds_figure(told, figure_pattern(asked))
    assert not holds_figure(told, figure_pattern(asked), stated=asked)
    assert holds_figure("”4项，化繁为简。", figure_pattern(asked), stated=asked)


def test_a_place_of_a_region_no_document_is_about_is_named_after_it():
    """ "东兴跟越南哪个城市…": the city the sentence names right after 越南 (芒街市, in no
    gazetteer), not the case's own city; a region the question was read to name (贵州) is
    left to the gazetteer."""
    from search.compose import compose_place, within_named

    told = "东兴市结合陆地口岸的实际，与越南芒街市进行多次深入的探讨和协商并达成共识。"
    question = "东兴跟越南哪个城市一起定了危重病人紧急过境救助的规矩？"
    assert within_named(question, told, ("市",), ("东兴",)) == "芒街市"
    assert within_named(question, "东兴边检站与东兴市人民医院签定救助协议。", ("市",)) == ""
    guizhou = "在贵州省从江县政务服务中心，一对四川籍夫妻的户口顺利迁入。"
    assert within_named("贵州哪个县开通跨省通办？", guizhou, ("县",), ("贵州",)) == ""
    unit = _unit(
        "f#case4", kind="case", title="防城港市深化跨国医疗服务", region="广西壮族自治区防城港市"
    )
    hits = [_hit(unit, "东兴边检站与东兴市人民医院签定救助协议。" + told)]
    cands = [Candidate("东兴边检站与东兴市人民医院签定救助协议。", 0), Candidate(told, 0)]
    q = _q("place", places=("东兴",), text=question)
    placed = compose_place(q, hits, cands, np.array([1.1, 1.0]), ["防城港市", "东兴市"], True)
    assert placed.picked[0][0].startswith("芒街市：")
    # A title with a colon of its own goes in brackets, as for any place (`place_head`).
    hits = [
        _hit(
            dataclasses.replace(unit, title="广西防城港市：深化跨国医疗服务"), hits[0].passage.text
        )
    ]
    placed = compose_place(q, hits, cands, np.array([1.1, 1.0]), ["防城港市", "东兴市"], True)
    assert placed.picked[0][0] == "芒街市（广西防城港市：深化跨国医疗服务）"


def test_a_region_s_own_row_answers_the_place_its_sentence_sets():
    """ "…零投资的，除了南宁城区，全区还定了哪个地方": the row is the region's own (its place is
    the one asked of), so the place is the one its sentence names that the question does not;
    a case of the place set aside (南宁) is no answer."""
    from search.compose import compose_place, told_place

    told = "其中南宁市城区、桂林市漓江核心景区用电报装容量200千瓦及以下小微企业用电报装“零投资”。"
    question = "小微企业用电报装200千瓦以内就能零投资的，除了南宁城区，全区还定了哪个地方？"
    names = ["南宁市", "桂林市", "柳州市"]
    assert told_place(told, names, question) == "桂林市"
    assert told_place("在全区推行。", names, question) == ""
    # A city's plan: the province it is in is no place it sets.
    site = "在信用中国（广西钦州）网站公示。"
    assert (
        told_place(site, ["广西", "钦州市"], "钦州把信息放在哪个网站？", "广西壮族自治区钦州市")
        == ""
    )
    row = _unit("d#measure44", title="提高低压接入容量上限标准", region="广西壮族自治区")
    case = _unit(
        "c#case9", kind="case", title="南宁片区推进免审即得", region="广西壮族自治区南宁市"
    )
    hits = [_hit(row, told), _hit(case, "南宁片区实现准入即准营。", 2)]
    cands = [Candidate(told, 0), Candidate("南宁片区实现准入即准营。", 1)]
    q = _q("place", places=("广西",), text=question)
    placed = compose_place(q, hits, cands, np.array([1.2, 0.9]), names, True)
    assert placed.picked[0][0] == "桂林市：提高低压接入容量上限标准"
    # A city's plan with no region of its own: its document's region (广西…钦州市) sets 广西 aside.
    plan = _unit("q#measure7", title="开展治理“新官不理旧账”专项行动")
    hits = [_hit(plan, site)]
    q = _q("place", places=("钦州",), text="钦州把信息放在哪个网站上公示？")
    args = (q, hits, [Candidate(site, 0)], np.array([1.0]), ["广西", "钦州市"], True)
    assert compose_place(*args, doc_regions={"d.txt": "广西壮族自治区钦州市"}) is None


def test_reconcile_keeps_how_much_questions_figures():
    q = _q("list")
    assert reconcile(q, "figure").kind == "figure"
    when = _q("list", text="这项任务什么时候完成？")
    assert reconcile(when, "deadline").fields == ("完成时限",)
    two = _q("multi", {"field", "figure"}, fields=("牵头单位",), text="目标是多少，由谁牵头？")
    assert reconcile(two, "figure") == two


def test_which_place_answers_the_level_asked():
    """ "哪个区" answers the district the passage names (武昌区), not the case's city."""
    assert asked_level("“零号员工”帮企业跑手续是哪个区的做法？") == ("区",)
    assert asked_level("贵州哪个城市最先开通？") == ("市",)
    assert asked_level("怎样降低保证金？") == ()
    names = ("武汉", "武汉市", "武昌区", "龙里县", "湖北省")
    text = "10月29日，武汉市武昌区招商中心，友邦人寿……从踏进武昌区的那一刻起"
    assert specific_place([text], names, ("区",)) == "武昌区"
    assert specific_place(["没有地名", text], names, ("市",)) == "武汉市"
    assert specific_place([text], names, ("区",), skip=("武昌",)) == ""
    case = _unit("w#case1", kind="case", title="湖北省武汉市：营造营商环境", region="湖北省武汉市")
    hits = [_hit(case, text)]
    ans = compose_typed(
        _q("place", text="“零号员工”是哪个区的做法？"),
        hits,
        [Candidate(text, 0)],
        np.array([1.3]),
        threshold=1.1,
        places=("武汉", "湖北"),
        divisions=names,
    )
    assert ans.text.startswith("武昌区（湖北省武汉市：营造营商环境）[1]")
    assert place_head("北海市", "创新政府采购信用监管") == "北海市：创新政府采购信用监管"
    assert place_head("北海市", "北海市创新政府采购信用监管") == "北海市创新政府采购信用监管"


def test_which_city_of_a_named_province_is_its_own_numbered_item():
    """ "山西哪个市…90分钟内办结": 山西's case answers, not a nearer 广西 one, and the city is
    the one that opens the sentence's numbered item (a misspelt name the lists lack), not
    the first city the passage names."""
    text = "3.太原市建设市商事登记系统。4.茑州市通过整合窗口，实现“立等可取”。目前，抵押登记均可在90分钟内办结。"
    sentence = "目前，抵押登记均可在90分钟内办结。"
    assert item_head_place(text, sentence, ("市",)) == "茑州市"
    assert (
        item_head_place(text, "3.太原市建设市商事登记系统。", ("市",), names=["太原市"]) == "太原市"
    )
    assert item_head_place(text, sentence, ("区",)) == ""  # not the level asked
    assert item_head_place("5.推进园区建设。园区内办结。", "园区内办结。", ("区",)) == ""
    shanxi = _unit(
        "s#case1", kind="case", title="山西省：政府表彰七个优化营商环境典型做法", region="山西省"
    )
    guangxi = _unit("g#case1", kind="case", title="自治区不动产登记改革", region="广西壮族自治区")
    hits = [_hit(guangxi, "全区不动产登记业务纳入“全区通办”系统。"), _hit(shanxi, text, rank=2)]
    ans = compose_typed(
        _q("place", places=("山西",), text="山西哪个市把抵押登记压到一个半小时之内办完？"),
        hits,
        [Candidate("全区不动产登记业务纳入“全区通办”系统。", 0), Candidate(sentence, 1)],
        np.array([1.3, 1.2]),
        threshold=1.1,
        places=("山西", "广西", "太原"),
        divisions=("太原市",),
    )
    assert ans.text.startswith("茑州市（山西省：政府表彰七个优化营商环境典型做法）[1]")


def test_each_figure_asked_gets_its_sentence():
    """Two questions in a row, each asking a figure: one sentence with each, in the order
    asked; "多少个工程项目" is answered by the count of 工程项目 first."""
    q = "河池有多少个工程项目买了保证保险？全市都改成投保的话，一年要交多少保费？"
    assert figure_asks(q) == (
        "河池有多少个工程项目买了保证保险",
        "全市都改成投保的话，一年要交多少保费",
    )
    assert figure_asks("河池有多少个工程项目买了保险？") == ()
    assert figure_asks("谁牵头？一年要交多少保费？") == ()
    # Two asked in the clauses of one question, each with the clauses before the first.
    assert figure_asks("深圳把热线并进12345，整条并进的有几条，保留原号的又有几条？") == (
        "深圳把热线并进12345，整条并进的有几条",
        "深圳把热线并进12345，保留原号的又有几条",
    )
    assert figure_asks("百色那宗业务，全流程用了多少天、比以前少了多少天？") == ()
    # "这几年 / 那几个县" name no figure asked.
    assert figure_asks("广西这几年培养的示范企业，一共有多少家？") == ()
    assert figure_asks("贺州那几个县联合查气罐，查出了多少只不合格的？") == ()
    counted, loose = counted_patterns("河池有多少个工程项目买了保证保险")
    assert counted.search("全市共有153个工程项目参加保证保险")
    assert not counted.search("全市共有610个在建工程项目")
    assert loose.search("全市共有610个在建工程项目")
    cands = [
        Candidate("全市共有610个在建工程项目，每年只需投保184.5万元。", 0),
        Candidate("全市共有153个工程项目参加保证保险。", 0),
        Candidate("推行保证保险替代工资保证金模式。", 0),
    ]
    asks = [
        (counted_patterns(figure_asks(q)[0]), np.array([1.14, 1.13, 1.19])),
        (counted_patterns(figure_asks(q)[1]), np.array([1.08, 0.98, 0.97])),
    ]
    composed = compose_figures(asks, cands, True)
    assert [t for t, _ in composed.picked] == [cands[1].text, cands[0].text]
    same = [(counted_patterns("一年要交多少保费"), np.array([1.0, 0.9, 0.8]))] * 2
    assert len(compose_figures(same, cands, True).picked) == 1  # each sentence once
    none = [(counted_patterns("要交多少保费"), np.array([0.5, 0.5, 1.2]))]
    assert compose_figures(none, cands, True) is None  # no figure near the best: usual answer


def test_which_free_trade_zone_part_is_named_by_its_city():
    """ "哪个片区" answers the zone's part the task names (南宁片区), not the region's name."""
    assert asked_level("最早是在哪个片区拿到国家试点的？") == ("片区",)
    text = "在全区复制推行中国（广西）自由贸易试验区南宁片区“企业服务码”国家试点经验"
    task = _unit("g#t1", kind="measure", title="扩大“企业服务码”试点范围", region="广西壮族自治区")
    ans = compose_typed(
        _q("place", text="“企业服务码”最早是在哪个片区试点的？"),
        [_hit(task, text)],
        [Candidate(text, 0)],
        np.array([1.3]),
        threshold=1.1,
        places=("广西", "南宁", "钦州"),
    )
    assert ans.text.startswith("南宁片区：扩大“企业服务码”试点范围[1]")


def _sentence_and_outline(
    items: Sequence[str], sentence: str, outline: Sequence[str], title: str
) -> list[ListOption]:
    """Two list options: a sentence's run and a case's own outline (its parts)."""
    return [
        ListOption(tuple((item, 0) for item in items), sentence, sentence=sentence),
        ListOption(
            tuple((part, 0) for part in outline),
            title,
            head=title,
            outline=True,
            parts=True,
            source=0,
        ),
    ]


def test_aspects_of_one_thing_a_case_did_are_its_sentence_not_the_case_outline():
    """ "去查集中采购机构，主要看哪几方面": the sentence that names 集中采购机构 lists the aspects;
    "…有哪几项做法" still reads the case's own outline (its parts are its 做法)."""
    title = "南沙区深化政府采购制度改革助推政府采购营商环境"
    sentence = (
        "主动对集中采购机构监督检查，以机构设置、机制建立、集采服务、采购流程、廉洁自律为检查内容。"
    )
    run = ("机构设置", "机制建立", "集采服务", "采购流程", "廉洁自律")
    options = _sentence_and_outline(
        run, sentence, ("聚焦建章立制", "聚焦国家战略", "聚焦阳光采购"), title
    )
    scores = np.array([1.1, 1.058])
    question = "南沙区财政局去查集中采购机构，主要看哪几方面？"
    assert choose_list(options, scores, question, titles=[title]) == 0
    practices = "南沙区对集中采购机构有哪几项做法？"
    assert choose_list(options, scores, practices, titles=[title]) == 1


def test_measures_named_by_their_size_are_of_the_sentence_that_counts_them():
    """ "那两百多项举措是分成哪几个方面来定的": the sentence holding 215项 lists the parts asked;
    the case's own outline answers only when the question names no measures by size."""
    title = "四川省成都市：营商环境4.0版上线！成都这样“创新突破”"
    sentence = (
        "《实施方案》基于补齐营商短板、对标标杆城市先进做法、提升本地创新做法等考量，从聚焦市场开放、"
        "聚焦办事体验、聚焦项目建设、聚焦监管效能、聚焦法治保障5个维度制定23个方面215项工作举措。"
    )
    outline = ("改革创新", "数字赋能", "聚焦服务")
    options = _sentence_and_outline(sentence_items(sentence), sentence, outline, title)
    scores = np.array([1.06, 1.038])
    sized = "成都营商环境4.0版的实施方案，那两百多项举措是分成哪几个方面来定的？"
    assert choose_list(options, scores, sized, titles=[title]) == 0
    assert choose_list(options, scores, "成都营商环境4.0版有哪几项举措？", titles=[title]) == 1


def test_a_thing_named_by_its_rough_size():
    assert rough_range("两百") == (200, 300)
    assert rough_range("二十") == (20, 30)
    assert rough_range("十") == (10, 20)
    assert rough_range("30") == (30, 40)
    assert rough_range("100") == (100, 200)
    question = "那两百多项举措是分成哪几个方面来定的？"
    assert sized_alike(question, "制定23个方面215项工作举措") == "215项"
    assert sized_alike(question, "制定23个方面315项工作举措") == ""
    assert sized_alike(question, "涉及215个事项") == ""  # another counter
    assert sized_measures_out(question) == "那是分成哪几个方面来定的？"


def test_places_asked_are_answered_by_a_run_of_places():
    """ "跟周边哪几个县区搞了执法协作" is answered by the run of counties, not by a sentence
    that counts its own grades (分为ABCD四级)."""
    counties = "“三省五地”（广西八步区，广东怀集县、封开县、连山县，湖南省江华县）签订备忘录。"
    grades = "累计得分从低到高分为A级、B级、C级、D级四级。"
    options = [
        ListOption(
            tuple((c, 0) for c in ("广东怀集县", "封开县", "连山县", "湖南省江华县")),
            counties,
            sentence=counties,
        ),
        ListOption(tuple((g, 0) for g in ("A级", "B级", "C级", "D级")), grades, sentence=grades),
    ]
    scores = np.array([0.99, 0.97])
    question = "贺州跟周边哪几个县区搞了执法协作？"
    assert choose_list(options, scores, question) == 0
    assert choose_list(options, np.array([0.97, 0.99]), "贺州把企业分成了哪几级？") == 1


def test_a_run_of_purposes_is_no_list_of_what_was_done():
    """ "为解决个体工商户融资难题、增强发展动能、推动经济高质量发展提供了…" says what it is for,
    so "一站式都能帮着办哪些事" reads the run of things done, unless the purpose is asked."""
    purposes = "为解决个体工商户融资难题、增强发展动能、推动经济高质量发展提供了有力支撑。"
    done = "实现个体工商户登记、银行基本账户开户、商户收款码牌等事项“一站式”办理。"
    options = [
        ListOption(
            (("为解决个体工商户融资难题", 0), ("增强发展动能", 0), ("推动经济高质量发展", 0)),
            purposes,
            sentence=purposes,
        ),
        ListOption(
            (("实现个体工商户登记", 0), ("银行基本账户开户", 0), ("商户收款码牌", 0)),
            done,
            sentence=done,
        ),
    ]
    scores = np.array([1.15, 1.10])
    assert choose_list(options, scores, "个体户主题银行一站式都能帮着办哪些事？") == 1
    assert choose_list(options, scores, "设主题银行是为了什么，有哪几个目的？") == 0


def test_the_label_that_closes_a_run_is_not_one_of_its_items():
    """ "…创新载体升级计划，法治服务环境提升计划等六大计划" for "哪六大计划" (probe_mv yl36): 六大
    after 等 names the run, so the run is not one the label is an item of ("做好“三到位”")."""
    sentence = "全面实施甲提质计划，乙培育计划，丙建设计划，丁提升计划等四大计划。"
    items = ("全面实施甲提质计划", "乙培育计划", "丙建设计划", "丁提升计划等四大计划")
    run = ListOption(tuple((i, 0) for i in items), sentence, sentence)
    outline = ListOption((("突出准", 0), ("瞄准实", 0), ("聚焦效", 0)), "突出准；瞄准实；聚焦效")
    question = "南京建设创新名城，全面铺开的是哪四大计划？"
    assert choose_list([run, outline], np.array([1.2, 0.97]), question) == 0
    item = ListOption(
        (("做好四大计划", 0), ("乙", 0), ("丙", 0)),
        "做好四大计划、乙、丙",
        "做好四大计划、乙、丙。",
    )
    assert choose_list([item, outline], np.array([1.2, 0.97]), question) == 1


def test_list_prefers_the_sentence_that_counts_what_is_asked():
    assert list_noun("北海政府采购信用评价涉及哪几方主体？") == "主体"
    assert list_noun("防城港把个体工商户分成了哪几类？") == ""
    assert list_noun("北海证照联销把哪几类许可证的注销合并办了？") == "许可证"
    # "在哪几类环境上做文章": the items are where the work is done (…上做文章).
    assert list_noun("钦州的实施方案重点在哪几类环境上做文章？") == "环境"
    # "拉了哪几类法律服务机构进驻": the nouns before what is done with them (fresh46 zb10).
    assert list_noun("公共法律服务云超市，都拉了哪几类法律服务机构进驻？") == "法律服务机构"
    # "用到了哪几个环节上": the locative is where, not the items (probe_fc yc20: "…等环节").
    assert list_noun("北海把供应商的信用信息，用到了哪几个环节上？") == "环节"
    # "哪几类政府失信相关的信息": what describes the items before 的, the items after it
    # (fresh28 c11); "哪些领域的信息资源" asks for 领域, whose the resources are.
    assert list_noun("钦州要把哪几类政府失信相关的信息统一归集到市里的信用平台上？") == "信息"
    assert list_noun("钦州要对哪几类涉及企业的案件加强法律监督？") == "案件"
    # A count asked names the items as 哪几 does (probe_mv yl36, probe_mw ym02).
    assert list_noun("南京建设创新名城，全面铺开的是哪六大计划？") == "计划"
    assert list_noun("那项改革把整体思路概括成了哪四个动作？") == "动作"
    assert list_noun("钦州培育数据要素市场，打算推动哪些领域的信息资源开放应用？") == "领域"
    unit = _unit("b#case1", kind="case")
    quoted = "以“信用评价+履约监管+联合惩戒”为抓手，方便各方主体快捷查找、获取、使用"
    counted = "为采购人、供应商、评审专家、代理机构四方主体设置48项评价指标"
    hits = [_hit(unit, quoted + "。" + counted)]
    options = list_options(hits, [Candidate(quoted, 0), Candidate(counted, 0)], {})
    out = compose_list(options, np.array([1.2, 1.1]), True, question="涉及哪几方主体？")
    assert out.picked == ((counted, 0),)
    # Without a counted noun the best enumerating sentence answers.
    out = compose_list(options, np.array([1.2, 1.1]), True, question="有哪些？")
    assert out.picked == ((quoted, 0),)


def test_the_noun_asked_is_counted_or_closes_the_list():
    """ "四方主体", "“一表填报”…等便捷措施": the sentence names its items as the noun asked; a
    lone 一 is part of a word (统一时间), not a count."""
    times = counted_noun(list_noun("来宾统一了哪几个时间？"))
    assert not times.search("立足三个统一时间")
    assert times.search("设置三个时间节点")
    # What users call troubles and what documents call them (probe_fc yc18).
    troubles = counted_noun(list_noun("那家物业企业在市场竞争里碰到了哪些难处？"))
    assert troubles.search("面临需求不足、资金周转困难、成本压力增大等重重困难")
    assert not counted_noun("时间").search("需求不足、资金周转困难等重重困难")
    measures = counted_noun(list_noun("税务代开发票提供了哪些便捷措施？"))
    assert measures.search("还提供了“一表填报”“一键提交”“一秒审核”等便捷措施")
    assert counted_noun(list_noun("首批有哪些许可事项？")).search(
        "公共场所卫生许可等13项行政许可事项"
    )
    assert list_noun("成都推出了哪些科技金融新产品？") == "科技金融新产品"
    assert list_noun("崇左税务局从哪几块提升边境口岸服务？") == ""  # a verb phrase
    assert list_noun("保障措施包括哪几个方面？") == ""  # 方面 names no kind of item
    assert count_pattern(list_noun("钦州要优化哪几大环境？")).search("创新环境“五大环境”")
    assert count_pattern("") is None
    problems = counted_noun(list_noun("抵押登记以前让企业头疼的问题有哪些？"))
    assert problems.search("有效解决抵押登记“成本高”“耗时长”“跑多次”等问题")
    # A quoted count closing the list (fresh62 zr11).
    kinds = counted_noun(list_noun("贵港整治政府采购乱象，重点整的是哪几类问题？"))
    assert kinds.search("采购人设置差别歧视条款、…、供应商提供虚假材料等“四类”突出问题")


def test_measures_asked_are_listed_only_when_the_document_names_them_so():
    """ "采取了哪些做法" asks how as much as for items: a method question reads the lists of
    the sources too, and answers with one only when it names its items as the measures asked
    ("…等便捷措施"); other lists (the case's numbered headings) leave it to the method."""
    assert asks_measures("提供了哪些便捷措施？") and asks_measures("采取了哪些做法？")
    assert not asks_measures("分成了哪几类？")
    assert reads_list(_q("method", text="提供了哪些便捷措施？"))
    assert not reads_list(_q("method", text="是怎么做的？")) and reads_list(_q("list"))
    unit = _unit("t#case1", kind="case")
    named = "还提供了“一表填报”“一键提交”“一秒审核”等便捷措施"
    heads = ListOption((("集成办理", 0), ("批量审核", 0)), "主要做法：集成办理；批量审核")
    sentence = ListOption(tuple((i, 0) for i in sentence_items(named)), named, named)
    hits = [_hit(unit, named)]
    question = "税务代农户开发票时提供了哪些便捷措施？"
    out = compose_list([heads, sentence], np.array([1.3, 1.1]), True, question, hits)
    assert out.picked == (("1. 集成办理", 0), ("2. 批量审核", 0))  # a list question: the best
    out = compose_list([heads, sentence], [1.3, 1.1], True, question, hits, named_only=True)
    assert out.picked == ((named, 0),)
    assert compose_list([heads], [1.3], True, question, hits, named_only=True) is None


def test_reconcile_is_there_anywhere_that_does_it_asks_a_method():
    # An example of a practice is asked ("有没有哪里…怎么做的"), not which place or how many.
    anywhere = _q("place", text="有没有哪里把不动产登记和银行抵押放在一起办的，怎么做的？")
    assert reconcile(anywhere, "").kind == "method"
    several = _q("figure", text="水电气暖报装要跑好几个单位，有没有一个地方全办的做法？")
    assert reconcile(several, "figure").types == frozenset({"method"})
    assert reconcile(_q("place", text="广西哪个市最先这么做的？"), "").kind == "place"
    assert reconcile(_q("list", text="有没有哪里推出过哪些措施？"), "").kind == "list"


def test_reconcile_which_several_is_a_list_and_which_city_a_place():
    assert reconcile(_q("list", text="这块是哪些部门牵头？"), "lead").fields == ("牵头单位",)
    assert reconcile(_q("method", text="涉及哪几方主体？"), "").kind == "list"
    assert reconcile(_q("place", text="在哪几个市试点？"), "").kind == "list"
    assert reconcile(_q("list", text="广西哪个市率先推行这种模式？"), "").kind == "place"
    # Which city ranks second asks a place, not a figure, when no word asks how much.
    second = _q("figure", text="广西哪个市的经营主体总量排在全区第二？")
    assert reconcile(second, "").kind == "place"
    assert reconcile(_q("figure", text="哪个市的经营主体有多少户？"), "figure").kind == "figure"
    assert reconcile(_q("method", text="是怎么做的？"), "").kind == "method"
    # The tasks under an indicator are a list, not the indicator field.
    tasks = _q("field", fields=("指标",), text="知识产权这个指标有哪些任务？")
    assert reconcile(tasks, "").kind == "list" and reconcile(tasks, "").fields == ()
    who = _q("field", fields=("指标", "牵头单位"), text="这个指标的任务由哪个部门牵头？")
    assert reconcile(who, "lead").kind != "list"
    # A field no word names (配合单位 read into "要求…办完"), of places asked each, is no
    # field: each place's figure is asked; 牵头 named is still the field asked.
    each = "企业投诉以后，全区和洮南分别要求多长时间内办完给答复？"
    spans = reconcile(
        _q("field", fields=("配合单位",), places=("广西", "洮南"), text=each), "figure"
    )
    assert (spans.kind, spans.types, spans.fields) == ("comparison", {"comparison", "figure"}, ())
    lead = each.replace("要求多长时间内办完给答复", "由谁牵头")
    named = reconcile(_q("field", fields=("牵头单位",), places=("广西", "洮南"), text=lead), "lead")
    assert named.kind == "field" and named.fields == ("牵头单位",)
    # Who is the benchmark ("拿谁做参照") is no lead unit asked: each place's level is.
    bench = "降物流成本这块，全区和钦州分别要把港口收费压到什么水平、拿谁做参照？"
    benchmark = _q("field", fields=("牵头单位",), places=("广西", "钦州"), text=bench)
    assert reconcile(benchmark, detect_intent(bench)).kind == "comparison"
    # The sorts asked ("哪几类…负责的人") are a list, not the 牵头单位 负责 was read as; the
    # several units asked ("哪几类部门负责") or a field worded ("谁牵头") stay fields.
    sorts = _q("field", fields=("牵头单位",), text="专班里都配了哪几类专门负责的人？")
    assert reconcile(sorts, "").kind == "list" and reconcile(sorts, "").fields == ()
    units = _q("field", fields=("牵头单位",), text="哪些部门负责哪几类事项？")
    assert reconcile(units, "").kind == "field"
    worded = _q("field", fields=("牵头单位",), text="哪几类事项由谁牵头？")
    assert reconcile(worded, detect_intent(worded.text)).kind == "field"
    # A figure asked of places asked each ("各压到了什么程度": 程度 asks how far) is each
    # place's own figure, compared.
    extent = "审批时间压缩这块，海珠、万州和驻马店各压到了什么程度？"
    assert detect_intent(extent) == "figure"
    far = reconcile(_q("figure", places=("海珠", "万州", "驻马店"), text=extent), "figure")
    assert (far.kind, far.types) == ("comparison", {"comparison", "figure"})
    assert (
        reconcile(_q("figure", places=("海珠",), text="海珠压到了什么程度？"), "figure").kind
        == "figure"
    )
    # The field the words name wins over the nearest examples' one.
    coop = _q("field", fields=("牵头单位",), text="这项任务要哪些部门配合？")
    assert reconcile(coop, detect_intent(coop.text)).fields == ("配合单位",)
    both = _q("multi", fields=("牵头单位", "配合单位"), text="谁牵头、哪些部门配合？")
    assert reconcile(both, detect_intent(both.text)).fields == ("牵头单位", "配合单位")
    # A figure and a field asked each in a clause of its own are both asked, whichever
    # field: not the figure alone.
    text = "通过生命直通车入境看病的危重症病人有多少人次？这个案例是哪个单位报上来的？"
    reported = reconcile(_q("multi", fields=("报送单位",), text=text), detect_intent(text))
    assert (reported.kind, reported.fields) == ("multi", ("报送单位",))
    # A way of doing asked with what it does between (什么服务模式) is a method, not a list.
    mode = "驻马店城管局的审批窗口接下来准备用什么服务模式，把服务铺得更全更广？"
    assert (
        reconcile(_q("list", places=("驻马店",), text=mode), detect_intent(mode)).kind == "method"
    )


def test_reconcile_reads_what_the_question_words_ask():
    """Items (哪些 / 哪几 / 哪三), a way of doing (怎么 / 如何) and a unit's field (谁 / 单位 /
    指标 / 什么时候) are told by the question's words when the classifier contradicts them."""
    ranked = (("field", 0.6), ("list", 0.3), ("method", 0.1))
    field_q = dataclasses.replace(
        _q("field", fields=("报送单位",), text="云超市打出了哪几张牌？"), scores=ranked
    )
    assert reconcile(field_q, "").kind == "list" and reconcile(field_q, "").fields == ()
    how_q = dataclasses.replace(field_q, text="江西是怎么解决多头检查的？")
    assert reconcile(how_q, "").kind == "method"
    # 部门 of 政府部门 names who acts, it asks nothing: a how question is a method.
    owed = dataclasses.replace(field_q, text="政府部门欠中小企业的钱，区里要求怎么清？")
    assert reconcile(owed, "").kind == "method" and reconcile(owed, "").fields == ()
    who = dataclasses.replace(field_q, text="欠中小企业的钱，由哪个部门怎么清？")
    assert reconcile(who, "").fields == ("报送单位",)  # a field word that asks
    neither = dataclasses.replace(field_q, text="这个案例讲了什么？")
    # The classifier's next kind is a list, but no word asks for several things.
    assert reconcile(neither, "").kind == "method"
    asked = _q("field", fields=("报送单位",), text="这个案例是哪个单位报上来的？")
    assert reconcile(asked, "") == asked
    late = _q("field", fields=("完成时限",), text="最晚要在什么日子前弄好？")
    assert reconcile(late, "deadline").fields == ("完成时限",)  # the lexical intent reads it
    assert reconcile(_q("method", text="不动产登记以前有哪些问题？"), "").kind == "list"
    assert reconcile(_q("list", text="武昌区怎么服务新落户企业？"), "").kind == "method"
    assert reconcile(_q("place", text="洛阳怎么给新开办的企业免费刻章？"), "").kind == "method"
    assert reconcile(_q("place", text="哪个城市最早怎么做的？"), "").kind == "place"
    # Measures asked with 哪些 read both ways: the classifier's method stays.
    assert reconcile(_q("method", text="采取了哪些做法？"), "").kind == "method"
    assert reconcile(_q("list", text="是怎么做的，有哪些措施？"), "").kind == "list"


def test_comparison_of_one_place_is_answered_by_the_best_sentences():
    a = _unit("a#case1", kind="case", title="烟台：水电气暖", region="山东省烟台市")
    text = ["烟台推行水电气暖联合报装。", "共享营业厅一次办好。"]
    hits = [_hit(a, "".join(text))]
    cands = [Candidate(t, 0) for t in text]
    ans = compose_typed(_q("comparison"), hits, cands, np.array([1.3, 1.25]), threshold=1.1)
    assert ans.kind == "extractive" and "资料中没有找到" not in ans.text
    assert ans.text == "烟台推行水电气暖联合报装[1]。共享营业厅一次办好[1]。"


def _method_case():
    unit = _unit("y#case3", kind="case", title="烟台：水电气暖一链办理", region="山东省烟台市")
    opening = "共享营业厅能实现水电气暖的联合报装。"
    steps = ["客户经理组织多行业联合验收。", "一网通办平台增加水气暖报装选项。"]
    hits = [_hit(unit, "".join(steps), rank=2), _hit(unit, opening, rank=1)]
    cands = [Candidate(steps[0], 0), Candidate(steps[1], 0), Candidate(opening, 1)]
    return hits, cands, opening, steps


def test_method_answer_starts_with_the_sentence_that_names_the_practice():
    hits, cands, opening, steps = _method_case()
    # The opening sentence of the case (its first passage, "…/p1") scores below the steps.
    assert lead_sentence(hits, cands, np.array([1.30, 1.28, 1.25]), 0.15) == 2
    ans = compose_typed(_q("method"), hits, cands, np.array([1.30, 1.28, 1.25]), threshold=1.1)
    # After the case named (`case_named`: whose practice it is, in the case's own words).
    label = "案例：烟台：水电气暖一链办理"
    assert ans.confident and [s for s, _ in ans.sentences[:2]] == [label, opening]
    assert [s for s, _ in ans.sentences[2:]] == steps  # the steps are all still there
    # Not confident: composed the same way (like every other kind), marked unsure.
    unsure = compose_typed(_q("method"), hits, cands, np.array([1.05, 1.0, 1.0]), threshold=1.1)
    assert not unsure.confident and unsure.notice
    assert [s for s, _ in unsure.sentences] == [label, opening, *steps]


def test_no_lead_sentence_when_the_case_opens_with_someones_words():
    """ "“从来到万州第一天开始，党委政府就给公司提供暖心又贴心的服务…”": what a manager felt,
    not the practice; the method answer does not open with it."""
    hits, cands, _, steps = _method_case()
    quoted = "“从来到万州第一天开始，党委政府就给公司提供暖心又贴心的服务。”"
    cands = [*cands[:2], Candidate(quoted, 1)]
    assert lead_sentence(hits, cands, np.array([1.30, 1.28, 1.25]), 0.15) is None


def test_case_named_only_for_a_case():
    hits, cands, _, _ = _method_case()
    scores = np.array([1.30, 1.28, 1.25])
    assert case_named(hits, cands, scores) == [("案例：烟台：水电气暖一链办理", 0)]
    measure = _unit("q#m5", kind="measure", title="优化在线帮办服务")
    assert case_named([_hit(measure, "两句。", rank=1)], [Candidate("两句。", 0)], scores[:1]) == []
    assert case_named(hits, [], np.zeros(0)) == []


def test_no_lead_sentence_when_it_scores_far_below_or_is_the_best():
    hits, cands, _, _ = _method_case()
    assert lead_sentence(hits, cands, np.array([1.30, 1.28, 1.0]), 0.15) is None
    assert lead_sentence(hits, cands, np.array([1.0, 1.0, 1.3]), 0.15) is None
    other = _unit("z#case4", kind="case", title="别处")
    far = [hits[0], _hit(other, "别处的开头。", rank=1)]  # another unit's opening
    assert lead_sentence(far, cands, np.array([1.30, 1.28, 1.25]), 0.15) is None
    section = _unit("n#section1", kind="section", title="通知")  # its p1 is the preamble
    notice = [_hit(section, "两句。", rank=2), _hit(section, "印发通知。", rank=1)]
    assert lead_sentence(notice, cands, np.array([1.30, 1.28, 1.25]), 0.15) is None
    # A field question is not a method: its answer is unchanged.
    field = compose_typed(_q("figure"), hits, cands, np.array([1.30, 1.28, 1.25]), threshold=1.1)
    assert field.sentences[0][0] != cands[2].text


def test_figure_answer_needs_the_figure_in_the_unit_asked():
    assert figure_pattern("一共提出了多少项工作举措？").search("制定23个方面215项工作举措")
    assert not figure_pattern("一共提出了多少项工作举措？").search("从1.0版到3.0版，十大举措")
    assert figure_pattern("几天办结？").search("3个工作日内办结")
    assert figure_pattern("降到了多少？").search("降至2%")
    # A span of time asked: a span, not a rate nor a date.
    span = figure_pattern("全区要求平均多长时间内响应？")
    assert span.search("诉求响应平均时长缩短至1分钟以内")
    assert span.search("压缩至0.5个工作日") and span.search("脱产住企两年")
    assert not span.search("响应及时率不低于80%") and not span.search("2019年7月1日起实施")
    unit = _unit("c#case9", kind="case", title="成都4.0版")
    text = ["从1.0版到4.0版，推出十大改革举措。", "制定23个方面215项工作举措。", "成都一直在路上。"]
    hits = [_hit(unit, "".join(text))]
    cands = [Candidate(t, 0) for t in text]
    q = _q("figure", text="成都4.0版一共提出了多少项工作举措？")
    # The sentence with the count, a little below the headline, leads the answer.
    ans = compose_typed(q, hits, cands, np.array([1.3, 1.18, 1.25]), threshold=1.1, intent="figure")
    assert ans.confident and ans.sentences[0][0] == text[1]
    # Far below: not found, so the answer is not confident.
    far = compose_typed(q, hits, cands, np.array([1.3, 1.0, 1.25]), threshold=1.1, intent="figure")
    assert not far.confident and "215项" not in far.text


def test_task_row_sentences_read_as_the_row_in_answers():
    # The row's name (its unit's title) opens the task: it names the practice (zv23).
    unit = _unit(
        "g#measure2",
        title="推进分支机构登记便利化",
        number="2",
        indicator="开办企业",
        lead_units=("自治区市场监管局",),
        deadline="2023年12月31日",
    )
    case = _unit("g#case1", kind="case", title="案例")
    row = "实现分支机构信息集中统一办理。推行一照多址。2023年12月31日自治区市场监管局"
    hits = [_hit(unit, row), _hit(case, "某市推行一照多址改革。")]
    picked = [
        ("实现分支机构信息集中统一办理。", 0),
        ("某市推行一照多址改革。", 1),
        ("推行一照多址。", 0),
    ]
    assert row_lines(picked, hits, [0]) == (
        (
            "任务：推进分支机构登记便利化。实现分支机构信息集中统一办理。推行一照多址；"
            "牵头单位：自治区市场监管局；完成时限：2023年12月31日",
            0,
        ),
        ("某市推行一照多址改革。", 1),
    )
    numbered = [("1. 实现分支机构信息集中统一办理", 0), ("2. 推行一照多址", 0)]
    assert row_lines(numbered, hits, [0]) == tuple(numbered)
    # A cell cut mid-list ("…13.97小时，", "…来宾市10.94小时、"): no "，。" nor "、；" left.
    cut = [
        ("其中全区目标值为13.97小时，", 0),
        ("各市目标值分别为南宁市7.67小时、来宾市10.94小时、", 0),
    ]
    assert row_lines(cut, hits, [0])[0][0].startswith(
        "任务：推进分支机构登记便利化。其中全区目标值为13.97小时。各市目标值分别为南宁市7.67小时、来宾市10.94小时；牵头单位："
    )
    # Through the composition: an answer sentence taken from the row reads as the row.
    cands = [Candidate("实现分支机构信息集中统一办理。", 0), Candidate("某市推行一照多址改革。", 1)]
    ans = compose_typed(_q("method"), hits, cands, np.array([1.3, 1.0]), threshold=1.1)
    assert ans.text.startswith(
        "任务：推进分支机构登记便利化。实现分支机构信息集中统一办理；牵头单位：自治区市场监管局；"
    )
    # A cell that holds the row's name is not opened by it again.
    named = _unit("g#measure3", title="推行一照多址", number="3", deadline="2023年12月31日")
    told = row_lines([("推行一照多址。", 0)], [_hit(named, "推行一照多址。2023年12月31日")], [0])
    assert told[0][0] == "任务：推行一照多址；完成时限：2023年12月31日"
    # A cell holding the name's characters, not the name, is opened by it (zv23).
    said = row_lines([("推行一址多照。", 0)], [_hit(named, "推行一址多照。2023年12月31日")], [0])
    assert said[0][0] == "任务：推行一照多址。推行一址多照；完成时限：2023年12月31日"


def test_a_method_is_told_from_one_case_of_the_place_asked():
    taizhou = _unit(
        "w#case9", kind="case", title="浙江省台州市：政府采购纾困", region="浙江省台州市"
    )
    guangxi = _unit("g#case1", kind="case", title="自治区财政厅：政采贷")
    steps = ["推行政府采购合同融资服务，搭建线上信用融资模块。", "企业无需抵押即可申请贷款。"]
    other = "在全区推广“政采贷”融资模式。"
    hits = [_hit(guangxi, other), _hit(taizhou, "".join(steps), rank=2)]
    cands = [Candidate(other, 0), Candidate(steps[0], 1), Candidate(steps[1], 1)]
    scores = np.array([1.30, 1.25, 1.20])
    assert method_scope(("台州",), hits, cands, scores) == [1, 2]
    assert method_scope((), hits, cands, scores) == [0]
    q = _q("method", places=("台州",), text="台州怎么让企业不用抵押拿到贷款？")
    ans = compose_typed(q, hits, cands, scores, threshold=1.1)
    assert [s for s, _ in ans.sentences] == ["案例：浙江省台州市：政府采购纾困", *steps]
    assert ans.confident
    assert ans.score == np.float32(1.30)  # the confidence score is the unweighted best


def test_steps_weigh_above_background_and_results():
    assert doing_weight("在全区率先推行智能自动审批模式，全程不到5分钟。") > 0
    # "具体的做法是…" says itself that it tells how it was done.
    from search.compose import method_weight

    case = _unit("c#case1", kind="case", title="贵港")
    concrete = "具体的做法是将平台招投标巡检预警功能前置。"
    assert method_weight(_hit(case, concrete), concrete) > doing_weight("在全区率先推行智能审批。")
    # What someone said of the practice weighs as background, below the practice itself.
    from search.compose import BACKGROUND_PENALTY

    said = "“要不是开通‘跨省通办’，我们还得回户籍地办理，现在省时省力。”"
    told = method_weight(_hit(case, said), said)
    assert abs(told - (doing_weight(said) - BACKGROUND_PENALTY)) < 1e-9
    # A news lede's hook, a quote followed by an ellipsis and the news, is no one's speech:
    # what it quotes is the practice ("扫一扫微信二维码…", fresh26 b31, fresh68 zy24).
    from search.compose import quotes_speech

    hook = "“扫一扫微信二维码，动动手指随时向我们反映违纪违法问题”……近日，经开区纪工委深入企业。"
    assert not quotes_speech(hook)
    assert quotes_speech("“扫一扫微信二维码，动动手指随时向我们反映违纪违法问题”，一位企业主说。")
    # 探索… opens a practice too ("探索个体工商户信用等级分类赋星评价，推行分类“一户一码”管理").
    assert doing_weight("探索个体工商户信用等级分类赋星评价，推行分类“一户一码”管理。") > 0
    assert doing_weight("近年来，某市聚焦个体工商户发展。") < 0
    assert doing_weight("该项目获评全国优秀案例。") < 0
    assert doing_weight("平台界面简洁。") == 0
    assert doing_weight("下一步，窗口将继续加强业务学习。") < 0  # a plan, not what was done
    assert doing_weight("2023年以来，交易中心将“评标工位”和“休息室”合二为一。") > 0
    assert doing_weight("2023年9月，国务院办公厅发布《意见》，建立机制。") == 0


def _tax_measure_options(channels: str) -> tuple[list[ListOption], np.ndarray]:
    """A measure of three steps, the third enumerating `channels`, as list options: the
    enumerating step scores best."""
    unit = _unit("q#measure13", title="树立纳税服务标杆")
    steps = ["上线推广电子发票。", "推广广西税务APP。", f"利用{channels}等渠道建设办税服务厅。"]
    hits = [_hit(unit, "".join(steps))]
    options = list_options(hits, [Candidate(t, 0) for t in steps], {0: "".join(steps)})
    return options, np.array([1.25 if o.sentence else 1.2 for o in options])


def test_a_measure_asked_about_lists_its_steps_not_one_enumerating_step():
    # The enumerating step scores best, but it is one of the measure's steps.
    options, scores = _tax_measure_options("热线、平台和课堂")
    out = compose_list(options, scores, True, "钦州在纳税服务方面有哪些措施？")
    assert len(out.picked) == 3 and out.picked[0][0] == "1. 上线推广电子发票"


def test_a_step_that_names_its_items_by_the_class_asked_is_the_list_asked():
    """ "利用热线、平台、课堂等渠道…" is one step of the measure, but its run is closed by the
    class the question asks ("哪些办税服务渠道"): it answers, not the measure's steps; a class
    the question does not name, or names as what the items have ("哪几方的渠道"), does not."""
    from search.compose import closed_by_class_asked

    options, scores = _tax_measure_options("热线、平台、课堂")
    channels = "钦州建设了哪些办税服务渠道？"
    assert compose_list(options, scores, True, channels).picked[0][0].startswith("利用热线")
    measures = compose_list(options, scores, True, "钦州在纳税服务方面有哪些措施？")
    assert measures.picked[0][0] == "1. 上线推广电子发票"
    enumerating = next(o for o in options if o.sentence)
    assert closed_by_class_asked(enumerating, channels)
    assert not closed_by_class_asked(enumerating, "钦州在纳税服务方面有哪些措施？")
    assert not closed_by_class_asked(enumerating, "打通哪几方的渠道？")
    # Kinds asked of a class named before ("…渠道，都有哪几种类型"): the class is that one.
    assert closed_by_class_asked(enumerating, "钦州的办税服务渠道，都有哪几种类型？")
    assert not closed_by_class_asked(enumerating, "钦州的纳税措施，都有哪几种类型？")


def test_the_place_asked_decides_which_sentences_answer():
    qinzhou = _unit("q#measure11", title="优化人力资源服务", region="广西壮族自治区钦州市")
    liuzhou = _unit("l#case3", kind="case", title="柳州市打造人力资源服务产业园")
    hits = [_hit(liuzhou, "柳州构建人力资源服务体系。"), _hit(qinzhou, "设置工业园区用工需求表。")]
    cands = [Candidate("柳州构建人力资源服务体系。", 0), Candidate("设置工业园区用工需求表。", 1)]
    assert place_candidates(("钦州",), hits, cands) == [1]
    assert place_candidates(("北京",), hits, cands) == [0, 1]
    q = _q("method", places=("钦州",), text="钦州打算怎样优化人力资源服务？")
    ans = compose_typed(q, hits, cands, np.array([1.05, 1.0]), threshold=1.1)
    assert not ans.confident and ans.sentences[0][0] == "设置工业园区用工需求表。"


def test_list_focus_reads_the_units_of_the_top_hits():
    """The 保障措施 section ranked second (after the notice's preamble) offers its list; the
    unit of the best sentence comes first, then the top hits' units, FOCUS_UNITS of them."""
    units = [_unit(f"q#section{i}", kind="section", title=f"节{i}") for i in range(4)]
    hits = [_hit(units[0], "a"), _hit(units[1], "b"), _hit(units[1], "c", rank=2)]
    hits += [_hit(units[2], "d"), _hit(units[3], "e")]
    cands = [Candidate(t, h) for h, t in enumerate("abcde")]
    assert list_focus((), hits, cands, np.array([1.0, 1.0, 1.0, 1.0, 1.2])) == [4, 0, 1]
    assert list_focus((), hits, cands, np.array([1.2, 1.0, 1.0, 1.0, 1.0])) == [0, 1, 3]


def test_the_units_under_a_heading_are_listed_whole():
    """A section's measures are the document's own list: all twelve of them, not the first
    MAX_LIST_ITEMS (其他 lists stop there)."""
    section = _unit("g#section2", kind="section", title="深化重点领域对标改革")
    members = [_unit(f"g#measure{i}", title=f"指标{i}") for i in range(1, 13)]
    hits = [_hit(section, "一、深化重点领域对标改革"), *(_hit(m, m.title) for m in members)]
    options = list_options(hits, [], {}, [("一、深化重点领域对标改革", list(range(1, 13)), 0)])
    out = compose_list(options, np.array([1.2]), True, "这部分列了哪些指标领域？")
    assert len(out.picked) == 12 and out.picked[-1] == ("12. 指标12", 12)
    run = ListOption(tuple((f"第{i}项", 0) for i in range(1, 13)), "一是…")
    assert len(compose_list([run], np.array([1.2]), True, "有哪些？").picked) == 10


def test_what_is_planned_is_told_by_a_plan_s_measure():
    """ "…全区打算怎么整治？": the plan's measure (持续规范中介服务), not the case whose sentence
    on 代理机构乱收费 scores best; a question about what was done keeps the best sentence's unit,
    and a plan question whose hits hold no measure keeps the case."""
    case = _unit("c#case3", kind="case", title="优化政采营商环境助力中小企业发展")
    measure = _unit("p#m12", title="持续规范中介服务")
    hits = [_hit(case, "a"), _hit(measure, "b")]
    cands = [
        Candidate("聚焦代理机构乱收费等行为开展专项整治。", 0),
        Candidate("全面实施收费项目清单管理。", 1),
    ]
    scores = np.array([1.10, 1.05])
    assert asks_plan("有的部门逼着买中介服务还乱收费，全区打算怎么整治？")
    assert method_scope((), hits, cands, scores, "全区打算怎么整治中介乱收费？") == [1]
    assert method_scope((), hits, cands, scores, "别的地方是怎么整治中介乱收费的？") == [0]
    assert method_scope((), hits[:1], cands[:1], scores[:1], "全区准备怎么整治？") == [0]


def test_the_body_named_decides_whose_practice_answers():
    """ "自治区财政厅是怎么减轻…保证金负担的？": the 财政厅 case, not the 河池 case whose
    sentence about 工资保证金 scores best; a shared topic phrase is not a body."""
    hechi = _unit("m#case14", kind="case", title="河池市施行“农民工工资支付+保险”政策")
    finance = _unit("m#case1", kind="case", title="自治区财政厅突出“四向”发力优化政府采购")
    hits = [_hit(hechi, "a"), _hit(finance, "b")]
    question = "自治区财政厅是怎么减轻企业投标保证金负担的？"
    assert named_units(question, hits) == {1}
    cands = [Candidate("大幅减轻企业存储工资保证金的负担。", 0), Candidate("保证金降至1%。", 1)]
    assert method_scope((), hits, cands, np.array([1.1, 1.05]), question) == [1]
    assert method_scope((), hits, cands, np.array([1.1, 1.05])) == [0]  # no question: best
    tasks = [
        _unit("g#m1", title="解决信息重复录入问题"),
        _unit("g#m2", title="提升工程建设项目审批"),
    ]
    topic = [_hit(u, "x") for u in tasks]
    assert named_units("怎么解决工程建设项目审批信息重复录入的问题？", topic) == set()
    assert named_units("自治区财政厅怎么做的？", [_hit(finance, "x")] * 2) == set()  # all
    shenzhen = _unit("w#case3", kind="case", title="深圳市财政局推进政府采购订单融资")
    short = [_hit(shenzhen, "a"), _hit(finance, "b")]
    assert named_units("财政厅怎么帮中小企业解决融资难？", short) == {1}  # 财政厅, not 财政局
    etax = _unit("g#m135", title="按场景整合精减电子税务局税费业务办理环节")
    online = [_hit(_unit("g#m134", title="简化办税缴费流程"), "a"), _hit(etax, "b")]
    # An online service named like an office (电子税务局) is no body whose practice is asked.
    assert named_units("电子税务局上要等审核的事项，全区想怎么让它办得更快？", online) == set()


def test_a_sentence_that_answers_a_problem_follows_it():
    """ "以往…容易出现“多头检查”" matches "怎么解决多头检查" best; "为此，…建成…系统" says what
    was done and comes right after it."""
    problem, answer, other = (
        "以往容易出现“多头检查”。",
        "为此，江西建成企业信用信息公示系统。",
        "抽查比例降至3%。",
    )
    cands = [Candidate(problem, 0), Candidate(answer, 0), Candidate(other, 0)]
    scores = with_responses(cands, np.array([1.19, 0.97, 1.0]))
    assert scores[1] > scores[2] and scores[1] < scores[0]
    apart = [Candidate(problem, 0), Candidate(answer, 1)]  # another passage: not its answer
    assert with_responses(apart, np.array([1.19, 0.97]))[1] == np.float32(0.97)


def test_a_sentence_that_carries_on_the_one_before_follows_it():
    """An anecdote told over two sentences ("网格员…接到核实失联纳税人信息的任务。他随即…拍照上传
    至“基层治理”APP平台。") and a step's "同时，还提供了…" belong after the sentence they go on from."""
    task, then, other = (
        "日前，网格员接到核实失联纳税人信息的任务。",
        "他随即来到大街，将经营情况拍照上传至平台。",
        "累计核实34570户失联纳税人。",
    )
    cands = [Candidate(task, 0), Candidate(then, 0), Candidate(other, 0)]
    scores = with_responses(cands, np.array([1.23, 0.90, 1.2]))
    assert scores[0] > scores[1] > scores[2]
    worried = Candidate("当他正在为办公场所犯愁时，詹诗晗主动上门“报到”。", 0)
    soon = Candidate("很快，“零号员工”协调了一处免费过渡办公地点。", 0)
    assert with_responses([worried, soon], np.array([1.02, 0.92]))[1] > 1.01  # how it ended
    also = [Candidate("推出“授权统一代开”服务。", 0), Candidate("同时，还提供了“一表填报”。", 0)]
    assert with_responses(also, np.array([1.1, 0.98]))[1] > 1.09
    assert with_responses([Candidate(other, 0), Candidate("平台上线。", 0)], np.array([1.2, 0.9]))[
        1
    ] == np.float32(0.9)  # an ordinary sentence keeps its score


def test_a_case_s_results_part_weighs_below_its_practice():
    """ "是怎么做的": the sentences under 二、主要成效 say how well it went, not how it was done."""
    text = "推行“授权统一代开”再造办税流程。\n二、主要成效\n每份代开发票平均用时压缩至40秒。"
    split = text.index("二、主要成效")
    case = _unit(
        "c#case5",
        kind="case",
        sections=(Span("主要做法", 0, split), Span("主要成效", split, len(text))),
    )
    hit = _hit(case, text)
    assert in_results(hit, "每份代开发票平均用时压缩至40秒。")
    assert not in_results(hit, "推行“授权统一代开”再造办税流程。")
    assert not in_results(hit, "不在这段文字里的句子。")
    assert method_weight(hit, "每份代开发票平均用时压缩至40秒。") < method_weight(
        hit, "推行“授权统一代开”再造办税流程。"
    )
    plain = _hit(_unit("c#case6", kind="case"), text)  # no named parts: nothing is a result
    assert not in_results(plain, "每份代开发票平均用时压缩至40秒。")


def test_a_count_asked_is_met_by_the_structure_or_a_sentence_that_states_it():
    """ "“三套组合拳”是哪三套？": the case's three numbered parts, not a sentence that happens
    to list three things (入园流程、园区服务、企业管理); a sentence that says 三个 counts."""
    unit = _unit("l#case3", kind="case", title="柳州市打好“三套组合拳”")
    hits = [_hit(unit, "x")]
    parts = ListOption(
        (("健全“三个体系”", 0), ("用好“三个平台”", 0), ("优化“三个布局”", 0)), "二、主要措施：…"
    )
    chance = "形成入园流程、园区服务、企业管理等一套标准体系"
    stated = "通过抓实“事前、事中、事后”三个环节"
    sentence = ListOption(tuple((i, 0) for i in sentence_items(chance)), chance, chance)
    question = "柳州打的“三套组合拳”是哪三套？"
    out = compose_list([parts, sentence], np.array([1.09, 1.16]), True, question, hits)
    assert out.picked[0] == ("1. 健全“三个体系”", 0)
    three = ListOption(tuple((i, 0) for i in sentence_items(stated)), stated, stated)
    out = compose_list([parts, three], np.array([1.09, 1.16]), True, "抓的是哪三个环节？", hits)
    assert out.picked == ((stated, 0),)
    # Unquoted ("三套组合拳具体是啥"), the count still names the list: not the three 布局
    # under one of its parts, which score better.
    layouts = ("优化产业园区空间布局", "优化产教融合布局", "优化线上线下管理招聘布局")
    under = ListOption(
        tuple((t, 0) for t in layouts), "优化“三个布局”：…", head="优化“三个布局”", parallel=True
    )
    out = compose_list(
        [parts, under], np.array([1.09, 1.16]), True, "柳州三套组合拳是哪三套？", hits
    )
    assert out.picked[0] == ("1. 健全“三个体系”", 0)


def test_a_sentence_that_counts_its_own_items_is_preferred():
    """ "…“链条通”、定制服务“享红利”…等六方面发力" says it lists six things; a sentence listing
    facts in passing (口岸5个、二类口岸2个…) does not."""
    assert says_count("等六方面发力", 6) and says_count("“五级联动”工作体系", 5)
    assert not says_count("拥有国家一类口岸5个", 3) and not says_count("三是", 3)
    assert not says_count("3个工作日内向中院反馈", 3)  # a length of time, not items
    assert not says_count("用两个月完成", 2) and says_count("3个环节", 3)
    counted = "以“甲”、乙“丙”、丁“戊”、己“庚”、辛“壬”、“癸”解难题等六方面发力"
    facts = "拥有国家一类口岸5个、二类口岸2个、边民互市贸易点14个"
    unit = _unit("c#case5", kind="case")
    hits = [_hit(unit, counted + "。" + facts)]
    options = list_options(hits, [Candidate(counted, 0), Candidate(facts, 0)], {})
    assert [o.count for o in options] == [6, 3]
    out = compose_list(options, np.array([1.15, 1.16]), True, "从哪几块提升服务？", hits)
    assert out.picked == ((counted, 0),)


def test_the_label_the_question_quotes_names_its_list():
    """ "桂林的“三到位”指的是哪三个到位？": the three points under "三、做好“三到位”", not the
    case's three headings (one of which is “三到位”)."""
    unit = _unit("g#case9", kind="case", title="桂林市打造“一站点两机制三到位”模式")
    hits = [_hit(unit, "x")]
    heads = ("打造“一站点”", "强化“两机制”", "做好“三到位”")
    outer = ListOption(tuple((t, 0) for t in heads), "桂林…：" + "；".join(heads), head=unit.title)
    points = ("效率提升到位", "公正裁判到位", "善意文明执行到位")
    inner_head = "三、做好“三到位”，提高精准度。"
    inner = ListOption(tuple((t, 0) for t in points), inner_head + "…", head=inner_head)
    question = "桂林的“三到位”指的是哪三个到位？"
    out = compose_list([outer, inner], np.array([1.05, 1.025]), True, question, hits)
    assert out.picked[0] == ("1. 效率提升到位", 0)


def test_case_outline_is_the_cases_own_numbered_practices_or_its_named_parts():
    case = _unit("c#case1", kind="case", title="桂林市打造“一站点两机制三到位”模式")
    text = (
        "桂林市工商联积极打造法治服务民企模式。一、打造“一站点”，创新保护模式。在市中院设立工作站。"
        "二、强化“两机制”，推动落地见效。建立协作机制。三、做好“三到位”，提高精准度。"
    )
    assert case_outline(case, text) == (
        "打造“一站点”，创新保护模式",
        "强化“两机制”，推动落地见效",
        "做好“三到位”，提高精准度",
    )
    parts = (
        Span("案例背景", 0, 5),
        Span("推动系统研发，打通“一网通办”屏障", 5, 9),
        Span("政企联动超前对接，联合报装“无感”进行", 9, 12),
    )
    sectioned = dataclasses.replace(case, title="烟台：水电气暖一链办理", sections=parts)
    assert case_outline(sectioned, "没有编号的正文。") == (
        "推动系统研发，打通“一网通办”屏障",
        "政企联动超前对接，联合报装“无感”进行",
    )
    assert case_outline(dataclasses.replace(case, sections=parts[:2]), "正文。") == ()


def test_a_sentence_counts_the_noun_asked():
    from search.compose import counts_noun_asked

    assert counts_noun_asked("钦州要优化哪几大环境？", "聚焦政务环境、要素环境等“五大环境”")
    assert not counts_noun_asked("钦州要优化哪几大环境？", "聚焦政务、要素、法治")
    assert not counts_noun_asked("有哪些？", "五大环境")  # nothing named, nothing counted


def test_a_run_of_yishi_points_continues_when_the_text_slips_to_san_dun():
    slipped = "主要内容。\n一是建立救助机制，破冰。\n二是优化通关机制，畅通。\n三、推进医联体改革，提升能力。"
    assert ordinal_runs(slipped)[0][1] == (
        "建立救助机制，破冰",
        "优化通关机制，畅通",
        "推进医联体改革，提升能力",
    )
    # "二是" under a heading "一、" whose "一是" sits mid-sentence is not the heading run's 2nd.
    nested = "一、坚持五级联动，一线找准问题。建立体系，一是领导牵头。二是班子参加。三是部门协同。"
    assert all(
        "班子参加" not in items
        for _, items in ordinal_runs(nested)
        if "坚持五级联动，一线找准问题" in items
    )


def test_a_quoted_label_names_the_list_it_introduces_not_the_one_it_is_an_item_of():
    hits = [_hit(_unit("c#case1", kind="case", title="桂林市打造模式"), "x")]
    parent = ListOption(
        (("打造“一站点”", 0), ("强化“两机制”", 0), ("做好“三到位”", 0)),
        "桂林：…",
        head="桂林市打造模式",
    )
    named = ListOption(
        (("效率提升到位", 0), ("公正裁判到位", 0), ("善意文明执行到位", 0)),
        "做好“三到位”：…",
        head="三、做好“三到位”，提高精准度",
    )
    out = compose_list([parent, named], [1.21, 1.14], True, "“三到位”是哪三个？", hits)
    assert [t for t, _ in out.picked] == [
        "1. 效率提升到位",
        "2. 公正裁判到位",
        "3. 善意文明执行到位",
    ]
    # Without the label the better-scoring list answers.
    out = compose_list([parent, named], [1.21, 1.14], True, "桂林做了哪三件事？", hits)
    assert out.picked[0][0] == "1. 打造“一站点”"


def test_a_list_of_the_group_the_question_names_is_confident():
    hits = [_hit(_unit(f"t#measure{n}", title=f"任务{n}"), "x") for n in range(3)]
    group = ListOption(
        tuple((f"任务{n}", n) for n in range(3)),
        "指标：知识产权创造保护和运用：任务0；任务1；任务2",
        whole=True,
        head="指标：知识产权创造保护和运用",
    )
    out = compose_list([group], [1.0], False, "知识产权创造保护和运用这个指标有哪些任务？", hits)
    assert out.confident and len(out.picked) == 3
    assert not compose_list([group], [1.0], False, "知识产权有哪些任务？", hits).confident


def test_parts_named_by_the_noun_asked_answer_and_a_context_count_is_not_asked():
    assert asked_count("兰州司法局那二十项措施分成哪几个聚焦？") == 0  # the 20 is context
    assert asked_count("是哪三张网？") == 3 and asked_count("北辰区的三项举措是什么？") == 3
    parts = ("聚焦制度体系建设", "聚焦执法监督协调", "聚焦法治资源整合")
    unit = _unit(
        "c#case1",
        kind="case",
        title="甘肃省兰州市：司法局优化营商环境二十项措施",
        sections=tuple(Span(p, 10 * n, 10 * n + 9) for n, p in enumerate(parts)),
    )
    hits = [_hit(unit, "x")]
    measures = "".join(f"{n}、措施{n}的内容。" for n in range(1, 21))
    options = list_options(hits, [], {0: measures})
    scores = np.array([1.1] * len(options))
    out = compose_list(options, scores, True, "兰州司法局那二十项措施分成哪几个聚焦？", hits)
    assert [t for t, _ in out.picked] == [f"{n}. {p}" for n, p in enumerate(parts, 1)]
    out = compose_list(options, scores, True, "兰州市司法局有哪几项措施？", hits)
    assert len(out.picked) == 20  # the measures themselves, as the title counts them


def test_the_units_under_a_heading_the_question_repeats_answer():
    hits = [
        _hit(_unit(f"p#measure{n}", title=t), "x")
        for n, t in enumerate(("政务服务", "政策服务", "精准高效监管"))
    ]
    group = ListOption(
        tuple((t, n) for n, t in enumerate(("政务服务", "政策服务", "精准高效监管"))),
        "二、优化全生命周期服务和监管：政务服务；政策服务；精准高效监管",
        whole=True,
        head="二、优化全生命周期服务和监管，提升市场主体满意度",
    )
    text = "企业全生命周期包括企业开办、场地获得、员工招聘、生产经营等。"
    sentence = ListOption(tuple((i, 0) for i in sentence_items(text)), text, text)
    question = "工作要点里全生命周期服务和监管包括哪些方面？"
    out = compose_list([sentence, group], [1.144, 1.126], True, question, hits)
    assert [t for t, _ in out.picked] == ["1. 政务服务", "2. 政策服务", "3. 精准高效监管"]
    out = compose_list([sentence, group], [1.144, 1.126], True, "企业全生命周期包括什么？", hits)
    assert out.picked == ((text, 0),)


def _task_group(n: int) -> tuple[list[Hit], ListOption]:
    units = [
        _unit(
            f"t#measure{i}",
            title=f"政务任务{i}",
            indicator="政务服务",
            lead_units=(f"牵头局{i}",),
            deadline="2023年12月31日",
        )
        for i in range(n)
    ]
    hits = [_hit(u, u.title, i + 1) for i, u in enumerate(units)]
    items = tuple((u.title, i) for i, u in enumerate(units))
    return hits, ListOption(items, "指标：政务服务", source=0, whole=True, head="指标：政务服务")


def test_a_group_named_word_for_word_may_be_a_whole_task_table():
    question = "任务清单里政务服务方面有哪些任务？"
    assert names_heading("指标：政务服务", question)
    assert not names_heading("指标：政务", "政务服务有哪些任务")  # under 4 characters
    assert not names_heading("指标：营商环境投诉", question)
    assert group_cap("指标：政务服务", question) > 16 > group_cap("指标：知识产权", question)
    hits, _ = _task_group(16)
    groups = [("指标：政务服务", list(range(16)), 0)]
    named = list_options(hits, [], {}, groups, question=question)
    assert [o.count for o in named if o.whole] == [16]
    assert not [o for o in list_options(hits, [], {}, groups, question="有哪些任务？") if o.whole]


def test_tasks_of_a_named_group_answer_with_the_fields_asked():
    hits, option = _task_group(3)
    text = "政务服务方面有哪些任务，分别由谁牵头、什么时候完成？"
    q = _q("multi", {"field"}, fields=("牵头单位", "完成时限"), text=text)
    assert reads_list(q)
    composed = compose_task_fields(q, [option], hits)
    assert composed is not None and composed.confident and composed.kind == "list"
    assert composed.picked[1] == ("2. 政务任务1（牵头单位：牵头局1；完成时限：2023年12月31日）", 1)
    # One task's fields, or a group the question does not name: not this answer.
    one = _q("field", fields=("牵头单位",), text="推进政务服务事项向基层延伸由谁牵头？")
    assert compose_task_fields(one, [option], hits) is None
    other = dataclasses.replace(q, text="知识产权方面有哪些任务，分别由谁牵头？")
    assert compose_task_fields(other, [option], hits) is None
    ans = compose_typed(
        q,
        hits,
        [Candidate(h.passage.text, i) for i, h in enumerate(hits)],
        np.ones(3),
        threshold=1.1,
        list_options=[option],
        list_scores=np.ones(1),
    )
    assert ans.kind == "list" and ans.text.count("牵头单位：") == 3 and "[3]" in ans.text


def test_a_sorting_sentence_lists_its_classes_even_two():
    """ "分成了哪几类": "将办税事项划分为甲、乙" is the list, with two classes (other sentences
    need three to be one); a count after the classes is not one."""
    text = "杭州税务部门将办税事项划分为可全程网办事项、暂未实现全程网办事项，分级提升。"
    assert sorted_items(text) == ("可全程网办事项", "暂未实现全程网办事项")
    assert sorted_items("将个体工商户划分为“生存型”“成长型”“发展型”三类。") == (
        "生存型",
        "成长型",
        "发展型",
    )
    assert sorted_items("累计得分从低到高分为ABCD四级。") == ("A级", "B级", "C级", "D级")
    assert sorted_items("分为四级。") == ()
    assert sorted_items("推行电子发票、数电票。") == ()
    assert sorted_items("把企业分为守信、失信两类进行管理。") == ("守信", "失信")
    hits = [_hit(_unit("h#case1", kind="case"), "x")]
    options = list_options(hits, [Candidate(text, 0)], {})
    assert options and options[0].sentence == text
    # A sentence that sorts lists its classes, not the means it names on the way.
    both = "通过数据共享、流程再造、机制创新打造应用场景，将惠企政策分类为免申即享类、即申即享类和快审快兑类三种兑现方式。"
    (option,) = list_options(hits, [Candidate(both, 0)], {})
    assert [item for item, _ in option.items] == ["免申即享类", "即申即享类", "快审快兑类"]


def test_a_quoted_label_spelled_out_by_the_items_names_the_list():
    """“加减乘除”各指什么: the list whose items carry 加、减、乘、除 in order, over a list that
    scores better but is another (the case's “四向”)."""
    items = ("预留份额做“加法”", "交易成本做“减法”", "支付提速做“乘法”", "融资难点做“除法”")
    spelled = ListOption(tuple((i, 0) for i in items), "；".join(items), head="出台惠企政策")
    other = ListOption(
        tuple((i, 0) for i in ("用心服务", "靶向发力", "数字赋能", "监管护航")), "用心服务；…"
    )
    assert spells_label(spelled, "“加减乘除”") and not spells_label(other, "“加减乘除”")
    assert not spells_label(spelled, "“加减”")  # two characters, four items
    marks = ("专区系统", "桂商码", "工作专席", "专门窗口")
    assert spells_label(ListOption(tuple((i, 0) for i in marks), ""), "“一区一码一席一窗”")
    hits = [_hit(_unit("f#case1", kind="case"), "x")]
    out = compose_list(
        [other, spelled], [1.08, 1.02], True, "惠企政策里的“加减乘除”各指什么？", hits
    )
    assert out.picked[0][0] == "1. 预留份额做“加法”"


def test_the_units_under_a_heading_the_question_names_without_its_number_answer():
    """ "工作要点的保障措施有哪几条": the measures under "三、保障措施", though a sentence scores
    a little better, and confident."""
    titles = ("加强组织领导", "加强统筹协调", "构建亲清政商关系")
    hits = [_hit(_unit(f"g#measure{n}", title=t), "x") for n, t in enumerate(titles)]
    group = ListOption(
        tuple((t, n) for n, t in enumerate(titles)),
        "三、保障措施：" + "；".join(titles),
        whole=True,
        head="三、保障措施",
    )
    text = "政府采购、招标投标、纳税等指标成为全区标杆，提供有力保障。"
    sentence = ListOption(tuple((i, 0) for i in sentence_items(text)), text, text)
    out = compose_list(
        [sentence, group], [1.054, 1.053], False, "工作要点的保障措施有哪几条？", hits
    )
    assert [t for t, _ in out.picked] == [
        "1. 加强组织领导",
        "2. 加强统筹协调",
        "3. 构建亲清政商关系",
    ]
    assert out.confident
    out = compose_list([sentence, group], [1.054, 1.053], False, "有哪些指标成为标杆？", hits)
    assert out.picked == ((text, 0),)


THREE_BLIND = (
    "一是立足三个统一时间，保障信息安全。"
    "三是提升软硬件综合实力，全面落实三盲评审机制。"
    "依托交易平台系统实行评标专家随机“盲抽”；远程异地评标副场随机“盲选”；"
    "投标文件技术部分采用“暗标”形式，评标系统自动隐匿投标人名称。"
)


def test_clauses_after_a_heading_are_a_list_of_it():
    runs = clause_runs(THREE_BLIND)
    assert runs == [
        (
            "提升软硬件综合实力，全面落实三盲评审机制",  # its marker dropped
            (
                "依托交易平台系统实行评标专家随机“盲抽”",
                "远程异地评标副场随机“盲选”",
                "投标文件技术部分采用“暗标”形式，评标系统自动隐匿投标人名称",
            ),
        )
    ]
    # Clipped when shown (`compose_list`), keeping the clause that names the item.
    long = "投标文件技术部分采用“暗标”形式，评标系统自动隐匿投标人名称、法人、企业标志等所有可能暴露投标人身份的信息，评标专家在不知晓企业信息的情况下，对投标文件进行暗标“盲评”"
    assert clip_item(long) == long[: long.rindex("，", 0, 60)]
    assert clip_item(long, ["盲"]) == "投标文件技术部分采用“暗标”形式……对投标文件进行暗标“盲评”"
    assert clip_item(long, ["暗标"]) == clip_item(long)  # the clipped item names it already
    story = (
        "记者从会上获悉，近3年来，全市共立案查处不正当竞争案件245件，“双反”工作持续推进。甲；乙。"
    )
    assert clause_runs(story) == []  # a long sentence is no heading
    listing = "采取“甲”“乙”“丙”模式。甲负责；乙负责。"
    assert clause_runs(listing) == []  # nor one that lists things itself


def test_the_clauses_under_the_heading_that_names_the_label_asked_answer():
    """ "“三盲评审”是哪三盲": the clauses after "…全面落实三盲评审机制", not the case's four
    practices of which that heading is one; clauses answer no question that names no label."""
    hits = [_hit(_unit("l#case1", kind="case", title="来宾市创新公共资源交易模式"), "x")]
    options = list_options(hits, [], {0: THREE_BLIND})
    clauses = [o for o in options if o.clauses]
    assert len(clauses) == 1
    scores = np.array([1.14 if not o.clauses else 1.0 for o in options])
    out = compose_list(options, scores, True, "来宾的“三盲评审”是哪三盲？", hits)
    assert [t for t, _ in out.picked][1] == "2. 远程异地评标副场随机“盲选”"
    out = compose_list(options, np.ones(len(options)), True, "来宾有哪些做法？", hits)
    assert out is None or "盲选" not in "".join(t for t, _ in out.picked)


def test_one_side_and_the_other_are_a_run_of_two():
    text = (
        "二、强化“两机制”，推动落地见效。一方面建立联席会议机制。与中院出台了《合作机制》。"
        "另一方面推行“一商（协）会一法官”工作机制。协同对接商会83个。"
    )
    assert ordinal_runs(text, "桂林市打造“一站点两机制三到位”模式") == [
        (
            "二、强化“两机制”，推动落地见效。",
            ("建立联席会议机制", "推行“一商（协）会一法官”工作机制"),
        )
    ]
    assert ordinal_runs("一方面的原因是成本高。另一方面的原因是流程长。") == []


def test_a_quoted_chain_lists_its_steps():
    text = "构建问题“收集—筛分—办理—反馈”闭环工作机制，当场能解决的立即解决。"
    assert sentence_items(text) == ("收集", "筛分", "办理", "反馈")
    assert sentence_items("开辟“南宁—东兴”转运通道。") == ()  # two places, no list of steps
    joined = "以“信用评价+履约监管+联合惩戒+结果运用”为抓手。"
    assert sentence_items(joined) == ("信用评价", "履约监管", "联合惩戒", "结果运用")
    assert sentence_items("按照“互联网+监管”理念。") == ()  # one name, not a list


def test_items_a_heading_counts_are_the_sentences_that_name_them():
    """ "健全“三个体系”": the sentences of its paragraph whose first clause names a 体系, up to
    the next numbered heading; none unless as many as counted."""
    text = (
        "（一）健全“三个体系”，推动园区管理“标准化”。构建“政府引导+企业投资”的管理体系，成立小组。"
        "健全人力资源业态结构体系，通过签订协议。\n目前，已基本实现全覆盖。"
        "建设多重政策保障体系，出台《办法》。（二）用好“三个平台”。建设平台体系。"
    )
    assert counted_runs(text) == [
        (
            "健全“三个体系”，推动园区管理“标准化”",
            (
                "构建“政府引导+企业投资”的管理体系",
                "健全人力资源业态结构体系",
                "建设多重政策保障体系",
            ),
        )
    ]
    assert counted_runs("健全“三个体系”。构建管理体系。健全结构体系。") == []  # two of three
    assert counted_runs("推动一二三产业融合发展。加快产业升级。") == []  # 一二 counts nothing
    ordinal = (
        "第四部分开通绿色通道。第五部分延长维保周期。第六部分延长有效期。第七部分发挥热线作用。"
    )
    assert counted_runs(ordinal + "第八部分发挥党建作用。") == []  # 第四 is no count


def test_items_named_by_the_noun_asked_at_their_end_answer():
    """ "线下搭建了哪几个平台服务民营企业": the sentence whose items are all 平台, over one that
    scores better and lists other things."""
    platforms = (
        "线下，通过强化统筹协调、强化部门联动，搭建政企沟通平台、协作交流平台、纾困解难平台，"
        "深入了解民营企业发展过程中遇到的困难和问题。"
    )
    other = "积极落实“解忧、解怨、解困”行动，坚持政银企对接制度，搭建政银企交流平台。"
    options = [
        ListOption(tuple((i, 0) for i in sentence_items(t)), t, t) for t in (other, platforms)
    ]
    assert options[1].items[-1][0] == "纾困解难平台"
    hits = [_hit(_unit("w#case1", kind="case"), "x")]
    out = compose_list(
        options, [1.117, 1.092], True, "万州区线下搭建了哪几个平台服务民营企业？", hits
    )
    assert out.picked == ((platforms, 0),)
    out = compose_list(options, [1.117, 1.092], True, "万州区有哪些做法？", hits)
    assert out.picked == ((other, 0),)


def test_a_short_sentence_that_restates_the_goal_is_followed_by_how():
    """ "怎么做到线下进一窗": "…推进“线下进一窗”。" matches best and says what; the next sentence
    of its passage says how, and follows it. Not after a long sentence, nor across passages,
    nor when the best sentence repeats nothing of the question."""
    goal, how, other = (
        "该所推进“线下进一窗”。",
        "政务中心将受理窗口整合为“零差别受理”综合窗口。",
        "办证量增长84%。",
    )
    cands = [Candidate(goal, 0), Candidate(how, 0), Candidate(other, 0)]
    question = "海珠区卫生监督所怎么做到线下进一窗？"
    scores = with_elaboration(cands, np.array([1.2, 0.9, 1.1]), question)
    assert scores[0] > scores[1] > scores[2]
    apart = [Candidate(goal, 0), Candidate(how, 1)]
    assert with_elaboration(apart, np.array([1.2, 0.9]), question)[1] == np.float32(0.9)
    assert with_elaboration(cands, np.array([1.2, 0.9, 1.1]), "怎么提高效率？")[1] == np.float32(
        0.9
    )
    long = [Candidate("该所推进“线下进一窗”，" + "并且" * 40 + "。", 0), Candidate(how, 0)]
    assert with_elaboration(long, np.array([1.2, 0.9]), question)[1] == np.float32(0.9)
    # A result after a news lede tells no how (fresh73 yq06: "截至目前，累计融资金额…").
    lede = "记者日前从深圳市财政局获悉，深圳积极推进政府采购订单融资改革。"
    result = Candidate("截至目前，累计融资金额超18亿元。", 0)
    told = with_elaboration(
        [Candidate(lede, 0), result], np.array([1.2, 0.9]), "深圳政府采购订单融资怎么做？"
    )
    assert told[1] == np.float32(0.9)


def test_a_case_s_parts_answer_the_label_they_each_carry():
    """ "北海证照三联办具体是哪三联": the case's three parts, each with 联, though the question
    asks for no parts and a sentence scores better."""
    parts = (
        "“证照联办”推动准入“提速办”",
        "“证照联变”助力成长“集成办”",
        "“证照联销”打造退出“极简办”",
    )
    outline = ListOption(tuple((p, 0) for p in parts), "；".join(parts), outline=True, parts=True)
    text = "北海市开展了“一照多址、代位注销、证照联办”等多项改革举措。"
    sentence = ListOption(tuple((i, 0) for i in sentence_items(text)), text, text)
    hits = [_hit(_unit("b#case2", kind="case", title="北海市证照“三联办”"), "x")]
    out = compose_list(
        [sentence, outline], [1.127, 1.063], True, "北海证照三联办具体是哪三联？", hits
    )
    assert [t for t, _ in out.picked] == [f"{n}. {p}" for n, p in enumerate(parts, 1)]
    out = compose_list([sentence, outline], [1.127, 1.063], True, "北海有哪些改革举措？", hits)
    assert out.picked == ((text, 0),)


def test_a_structural_list_is_not_taken_for_a_step_of_another():
    """Only an enumerating sentence can be one step of a measure's list; a structural list
    (no sentence) competes whatever the steps hold, even an empty one."""
    group = ListOption(
        tuple((t, n) for n, t in enumerate(("加强组织领导", "强化基础支撑", "加强督导评估"))),
        "三、保障措施：加强组织领导；强化基础支撑；加强督导评估",
        whole=True,
        head="三、保障措施",
    )
    odd = ListOption((("", 0), ("企业开办网办率达到93%以上", 0)), "进一步提升企业开办便利度")
    hits = [_hit(_unit(f"q#measure{n}", title=t), "x") for n, t in enumerate("甲乙丙")]
    out = compose_list([group, odd], [1.06, 0.89], True, "钦州保障措施有哪几条？", hits)
    assert out is not None and out.picked[0][0] == "1. 加强组织领导"


def test_a_sentence_that_refers_back_comes_after_what_it_refers_to():
    """ "此计算方式大幅减轻…负担" matches "怎么减轻负担" best; the sentence it refers to goes
    first, at its score; "此外…" refers to nothing."""
    calc, this, other = (
        "保费按保证金数额的1.8%确定。",
        "此计算方式大幅减轻企业负担。",
        "推行保证保险。",
    )
    cands = [Candidate(other, 0), Candidate(calc, 0), Candidate(this, 0)]
    scores = with_responses(cands, np.array([1.05, 0.98, 1.11]))
    assert scores[1] > scores[2] > scores[0]
    besides = [Candidate(calc, 0), Candidate("此外，还开通了绿色通道。", 0)]
    assert with_responses(besides, np.array([0.98, 1.11]))[0] == np.float32(0.98)


def test_the_best_sentence_s_paragraph_tells_the_step():
    """ "崇左税务怎么把服务送到家门口": after the example that matches best, the other sentence of
    its paragraph (开设办税“绿色通道”窗口) before a sentence of another paragraph that scores a
    little better; a task row's unit line gets nothing, and nothing rises above the best."""
    text = (
        "（三）定制服务“享红利”。组建RCEP服务团队。\n"
        "（四）前移服务“家门办”。开设办税“绿色通道”窗口。（牵头单位：市税务局）"
        "如，税务分局进驻产业园区，实现家门口“就近快办”。"
    )
    hit = _hit(_unit("c#case2", kind="case"), text)
    sentences = [
        "组建RCEP服务团队。",
        "开设办税“绿色通道”窗口。",
        "（牵头单位：市税务局）",
        "如，税务分局进驻产业园区，实现家门口“就近快办”。",
    ]
    assert paragraph_key(hit, sentences[1]) == paragraph_key(hit, sentences[3])
    assert paragraph_key(hit, sentences[0]) != paragraph_key(hit, sentences[3])
    assert paragraph_key(hit, "不在文中的句子。") is None
    cands = [Candidate(t, 0) for t in sentences]
    scores = with_paragraph([hit], cands, np.array([0.99, 0.97, 0.9, 1.12]))
    assert scores[1] > scores[0] and scores[3] == np.float32(1.12)
    assert scores[2] == np.float32(0.9)
    capped = with_paragraph([hit], cands, np.array([0.99, 1.11, 0.9, 1.12]))
    assert capped[1] == np.float32(1.12)  # raised, but not above the best


def test_a_unit_s_passages_keep_its_paragraphs():
    """A gap in the source between two passages is a paragraph break; a passage that runs on
    into the next (the chunking cut a paragraph) is joined without one."""
    a = Passage("u/p1", "d", "u", "s", "构建诉求解决新机制。成立工作小组。", 0, 17, 1, 1)
    b = Passage("u/p2", "d", "u", "s", "搭建纵向贯通的体系。", 17, 27, 1, 1)
    c = Passage("u/p3", "d", "u", "s", "搭建数智化服务体系。归并13条热线渠道。", 29, 48, 2, 2)
    assert joined([a, b, c]) == (
        "构建诉求解决新机制。成立工作小组。搭建纵向贯通的体系。\n搭建数智化服务体系。归并13条热线渠道。"
    )


def test_paragraphs_that_open_with_a_short_heading_are_a_case_s_practices():
    """ "主要举措有哪些": the unnumbered headings of the paragraphs under "二、主要举措", over a
    sentence that scores better; not for a question that names no part of the case."""
    text = (
        "一、案例背景\n为解决经营主体反映问题渠道“点多面散”等突出问题，成立工作专班。\n"
        "二、主要举措\n构建诉求解决新机制。在领导小组机制框架下，成立响应处置工作小组。\n"
        "搭建数智化服务体系。归并13条热线渠道，整合3个服务平台相关功能。\n"
        "创新全流程闭环管理模式。制定出台《运行管理办法》及配套制度文件。\n"
        "三、主要成效\n服务品牌效应有力显现。全区营商环境取得明显进步，评价进入前列。"
    )
    heads = ("构建诉求解决新机制", "搭建数智化服务体系", "创新全流程闭环管理模式")
    assert heading_runs(text) == [("二、主要举措", heads)]
    unit = _unit("z#case3", kind="case", title="经营主体反映问题响应处置机制")
    hits = [_hit(unit, "x")]
    sentence = "落实“首问负责”、“限时办结”、“回访评价”、“考核运用”等制度。"
    options = [o for o in list_options(hits, [Candidate(sentence, 0)], {0: text})]
    scores = np.array([1.214 if o.sentence else 1.087 for o in options])
    out = compose_list(
        options, scores, True, "经营主体反映问题响应处置机制的主要举措有哪些？", hits
    )
    assert [t for t, _ in out.picked] == [f"{n}. {h}" for n, h in enumerate(heads, 1)]
    out = compose_list(options, scores, True, "经营主体反映问题落实了哪些制度？", hits)
    assert out.picked == ((sentence, 0),)


def test_a_numbered_step_heading_is_followed_by_what_was_done():
    head, detail = (
        "一是建设个体工商户信用风险分类监管服务平台。",
        "设立“一户一库”信息平台，统一数据标准。",
    )
    cands = [Candidate(head, 0), Candidate(detail, 0), Candidate("获评优秀案例。", 0)]
    scores = with_step_details(cands, np.array([1.12, 0.95, 1.0]))
    assert scores[0] > scores[1] > scores[2]
    plain = [Candidate("建设平台。", 0), Candidate(detail, 0)]  # no number: no heading
    assert with_step_details(plain, np.array([1.12, 0.95]))[1] == np.float32(0.95)
    steps = [Candidate(head, 0), Candidate("二是建立共享机制。", 0)]  # the next step is its own
    assert with_step_details(steps, np.array([1.12, 0.95]))[1] == np.float32(0.95)


def test_a_run_s_closing_count_is_not_part_of_its_last_item():
    """ "…抵押、放款五件事整合为一件事" lists 放款, not "放款五件事整合为…" (which holds the
    label "五件" asked by "哪五件事" and made the list look like one it is an item of)."""
    five = "将交地、办证、办税、抵押、放款五件事整合为一件事集成办理"
    assert sentence_items(five)[1:] == ("办证", "办税", "抵押", "放款")
    out = compose_list(
        [ListOption(tuple((i, 0) for i in sentence_items(five)), five, five)],
        np.array([1.2]),
        True,
        "把哪五件事合成一件事？",
        [_hit(_unit("c#case1", kind="case"), five)],
    )
    assert out is not None and out.picked[0][0] == five
    assert sentence_items("推出甲许可、乙许可、丙许可等13项")[-1] == "丙许可等"  # count cut


def test_the_run_that_stands_where_the_question_asks():
    from search.compose import fills_slot, slot_frame

    question = "海铁联运信息共享要打通哪几方的信息系统？"
    assert slot_frame(question) == ("打通", "信息系统")
    assert list_noun(question) == ""  # 信息系统 is what the items have, not what they are
    right = "完善公共信息平台，打通钦州铁路集装箱中心站自动化码头、海关、铁路、船公司等多主体之间的信息系统。"
    other = "探索搭建铁路、公路、航空、港口等领域货运信息系统平台，打通信息壁垒。"
    assert fills_slot(question, right) and not fills_slot(question, other)
    assert slot_frame("百色把哪五件事合成一件事？") == ("", "")  # 把: no content word before
    hits = [_hit(_unit("a#measure1"), other), _hit(_unit("b#measure2"), right)]
    options = [
        ListOption(tuple((i, 0) for i in sentence_items(other)), other, other),
        ListOption(tuple((i, 1) for i in sentence_items(right)), right, right),
    ]
    out = compose_list(options, np.array([1.13, 1.117]), True, question, hits)
    assert out.picked[0][0] == right


def _case_sentences(uid: str, sentences: list[str]) -> tuple[Hit, list[Candidate]]:
    """A case of one passage made of `sentences`, and each sentence as a candidate of it."""
    return _hit(_unit(uid, kind="case"), "".join(sentences)), [Candidate(t, 0) for t in sentences]


def test_a_step_opened_by_the_best_sentence_is_told_whole():
    """ "北海供应商用信用承诺…怎么操作、能省什么": the best sentence opens step 四是; the next
    sentence of that step (减免…保证金) follows it, not a better-scoring one of another step;
    a best sentence that opens no numbered step gets no follower."""
    from search.compose import with_step_rest

    sentences = [
        "四是科学运用信用结果。",
        "在广西首推信用承诺制，供应商以书面承诺代替6项材料。",
        "强化守信结果激励作用，减免投标保证金超过1.6亿元。",
        "印发联合惩戒备忘录，建立联合惩戒工作机制。",
    ]
    hit, cands = _case_sentences("c#case3", sentences)
    out = with_step_rest([hit], cands, np.array([0.95, 1.14, 1.03, 1.09], dtype=np.float32))
    assert out[1] > out[2] > out[3] and out[2] < out[1]
    unnumbered = [Candidate(t, 0) for t in sentences[1:]]
    same = with_step_rest([hit], unnumbered, np.array([1.14, 1.03, 1.09], dtype=np.float32))
    assert same.tolist() == np.array([1.14, 1.03, 1.09], dtype=np.float32).tolist()
    background = [*cands[:2], Candidate("截至2024年12月，累计减免1.6亿元。", 0)]
    kept = with_step_rest([hit], background, np.array([0.9, 1.14, 1.0], dtype=np.float32))
    assert kept[2] == np.float32(1.0)  # a result is not the step's rest


def test_a_practice_told_in_two_steps_that_name_the_same_thing():
    """ "贺州…是怎么按信用分级来管的": the best sentence opens 二是建立信用分类分级监管制度;
    三是运用信用分类分级评价结果 names the same thing, so its sentences (检查频率) follow, in
    order; a next step about something else (四是建立跨省区域执法协作机制) does not."""
    from search.compose import shares_phrase, with_sibling_step

    sentences = [
        "二是建立信用分类分级监管制度。",
        "制定累积记分办法，累计得分分为ABCD四级。",
        "三是运用信用分类分级评价结果。",
        "探索分片包干网格化监管制度。",
        "减少对A类和B类企业检查频率。",
        "四是建立跨省区域执法协作机制。",
        "签订区域执法协作备忘录。",
    ]
    hit, cands = _case_sentences("c#case4", sentences)
    scores = np.array([0.99, 1.14, 0.99, 0.94, 0.93, 0.92, 1.05], dtype=np.float32)
    out = with_sibling_step([hit], cands, scores)
    assert out[1] > out[3] > out[4] > out[6]
    assert out[6] == np.float32(1.05)  # the step after, about something else, keeps its score
    assert shares_phrase("二是建立信用分类分级监管制度。", "三是运用信用分类分级评价结果。")
    assert not shares_phrase("一是优化营商环境。", "二是打造营商环境高地。")  # 4 characters
    other = [*cands[:2], Candidate("三是建立跨省区域执法协作机制。", 0), cands[3]]
    kept = with_sibling_step([hit], other, np.array([0.99, 1.14, 0.9, 0.94], dtype=np.float32))
    assert kept[3] == np.float32(0.94)


def test_items_named_by_the_generic_noun_asked():
    """ "山西…典型做法分了哪几个方面": 方面 names no kind of item, but the headings that end with
    it ("减税降费助企发展方面（2项）") are the parts asked, not the seven practices under them."""
    from search.compose import generic_noun, named_by_generic

    question = "山西这次通报表扬的典型做法分了哪几个方面？"
    assert generic_noun(question) == "方面" and list_noun(question) == ""
    assert generic_noun("涉及哪几方主体？") == ""
    unit = _unit("c#case5", kind="case", title="山西省：政府表彰七个优化营商环境典型做法")
    hits = [_hit(unit, "x")]
    heads = ("减税降费助企发展方面（2项）", "深化“放管服”改革优化营商环境方面（5项）")
    practices = ("税务局建立预警机制", "长治市打造专属方案", "太原市建设商事登记系统")
    parts = ListOption(tuple((h, 0) for h in heads), "；".join(heads), head=unit.title)
    told = ListOption(tuple((p, 0) for p in practices), "；".join(practices), head=unit.title)
    assert named_by_generic(parts, "方面") and not named_by_generic(told, "方面")
    out = compose_list([told, parts], np.array([0.961, 0.96]), True, question, hits)
    assert [t for t, _ in out.picked] == [f"{n}. {h}" for n, h in enumerate(heads, 1)]


def test_a_task_the_body_leads_is_its_practice_too():
    """ "税务局有什么陪着办的服务": the 崇左市税务局 case and the task row 广西税务局 leads both
    are the body's; a unit neither titled nor led by it is not."""
    chongzuo = _unit("c#case5", kind="case", title="崇左市税务局提升边境口岸服务")
    task = _unit("g#m133", title="推行“陪伴式”办税缴费服务", lead_units=("广西税务局",))
    other = _unit("g#m140", title="提升纳税人诉求响应解决效率", lead_units=("自治区财政厅",))
    hits = [_hit(chongzuo, "a"), _hit(task, "b"), _hit(other, "c")]
    assert named_units("有的纳税人不太会办税，税务局有什么陪着办的服务？", hits) == {0, 1}
    assert named_units("崇左市税务局怎么服务边贸企业？", hits) == {0}


def test_parallel_step_names_share_no_phrase():
    """ "二、“证照联变”…" and "三、“证照联销”…" share 、“证照联 (numbering, quote marks and the
    pattern of parallel names): two practices, not one told in two steps."""
    from search.compose import shares_phrase

    assert not shares_phrase(
        "二、“证照联变”助力企业成长“集成办”", "三、“证照联销”打造企业退出“极简办”"
    )
    assert shares_phrase("（二）建立信用分类分级监管制度", "（三）运用信用分类分级评价结果")


def test_a_quoted_pair_before_the_list_is_not_the_list():
    """ "需要“分头跑、挨个办”的实际情况，将营业执照、公章与食品、药品、医疗器械等3类…": the run
    closed by 等 after the quoted pair is the list; a later run not closed so is not
    ("…“学党史、践初心”…企业有期盼、我们努力办、帮忙不添乱”" lists nothing asked)."""
    pair = (
        "针对以往许可证注销需要“分头跑、挨个办”的实际情况，"
        "将营业执照、公章与食品、药品、医疗器械等3类经营许可证的注销合并办理"
    )
    assert sentence_items(pair)[2:] == ("药品", "医疗器械等")
    story = "以“学党史、践初心”为载体，切实做到“企业有期盼、我们努力办、帮忙不添乱”"
    assert sentence_items(story) == ()
    assert sentence_items("推进申请、审批、登记3大功能系统的融合")[0] == "推进申请"  # first run


def _aspect_options(title: str) -> list[ListOption]:
    outline = ListOption(
        (("用心服务，畅通政企沟通渠道", 0), ("靶向发力，加大惠企政策供给", 0)),
        f"{title}：用心服务，畅通政企沟通渠道；靶向发力，加大惠企政策供给",
        head=title,
        outline=True,
        parts=True,
    )
    run_head = "财政厅围绕企业需求主动靠前服务，提升政企沟通能效。"
    run = ListOption(
        (("倾听心声", 0), ("深入调研", 0), ("广泛宣传", 0)),
        f"{run_head}：倾听心声；深入调研；广泛宣传",
        head=run_head,
    )
    again = dataclasses.replace(outline, head="一、主要做法", outline=False, parts=False)
    return [outline, run, again]


def test_a_run_under_one_heading_answers_a_question_about_that_aspect():
    """ "区财政厅为了跟企业多沟通…做了哪几件事": the run under "用心服务，畅通政企沟通渠道",
    when it scores above the case's outline (scored on its items) and holds question words
    the case title lacks; a question about the case as a whole keeps the outline."""
    title = "自治区财政厅突出“四向”发力"
    options = _aspect_options(title)
    titles = [title]
    scores, case_scores = np.array([1.1, 1.05, 0.9]), np.array([1.0, 1.05, 0.9])
    marked = narrow_to_aspect(options, scores, case_scores, titles, ["财政厅", "企业", "沟通"])
    assert [(o.aspect, o.outgrown) for o in marked] == [(False, True), (True, False), (False, True)]
    out = compose_list(marked, scores + [0.15, 0, 0], True, "为了跟企业多沟通做了哪几方面？")
    assert [t for t, _ in out.picked] == ["1. 倾听心声", "2. 深入调研", "3. 广泛宣传"]
    # No word the title lacks that the run has more of: the case is asked about.
    plain = narrow_to_aspect(options, scores, case_scores, titles, ["财政厅", "四向"])
    assert not any(o.aspect or o.outgrown for o in plain)
    # The outline scoring better on its own items keeps it too.
    higher = narrow_to_aspect(options, scores, np.array([1.2, 1.05, 0.9]), titles, ["企业"])
    assert not any(o.aspect for o in higher)


def test_the_sentence_before_a_numbered_outline_introduces_it():
    unit = _unit("c#case1", kind="case", title="重庆公平竞争审查")
    text = (
        "近年来，重庆按照“谁起草，谁审查”的原则，规范审查流程。一方面组织开展存量清理，共清理文件9896件。"
        "另一方面对新增政策措施进行审查，修改调整79件。"
    )
    assert outline_lead(unit, text) == "近年来，重庆按照“谁起草，谁审查”的原则，规范审查流程。"
    assert outline_lead(unit, "一、甲乙丙丁。做了甲。二、戊己庚辛。做了戊。") == ""  # headings
    labelled = "二、主要做法\n1. 畅通供销“兴产业”。依托大数据。2. 出口退税“快速通”。建立机制。"
    assert outline_lead(unit, labelled) == ""  # a layout label introduces nothing
    assert Outline().steps == () and Outline().lead == ""


def test_the_noun_before_what_is_done_with_the_items_is_the_noun_asked():
    assert list_noun("玉林的云超市，把哪些法律服务机构拉进来入驻了？") == "法律服务机构"
    assert list_noun("哪些部门参与了联合验收") == "部门"
    assert list_noun("从哪几块提升边境口岸服务？") == ""  # a verb follows the counter
    assert list_noun("做了哪几件事？") == ""
    sentence = "吸纳律师事务所、公证处、商事调解中心等专业法律服务机构入驻“云超市”。"
    assert counted_noun(list_noun("把哪些法律服务机构拉进来入驻了？")).search(sentence)


def test_what_happens_when_an_obligation_is_unmet_comes_with_the_obligation():
    """ "没按时补材料会怎么处理": "对未兑现承诺补齐相关材料的企业，一是限制…" and the sentence of
    its paragraph that says what was due ("需在6个月内按期兑现承诺提交相关材料")."""
    sentences = [
        "“免审即得”政策不适用于失信市场主体。",
        "企业领取首发证件后，需在6个月内按期兑现承诺提交相关材料。",
        "对未兑现承诺补齐相关材料的企业，一是将限制其办理公司变更。",
    ]
    hit = _hit(_unit("c#case4", kind="case"), "".join(sentences))
    cands = [Candidate(t, 0) for t in sentences]
    scores = with_premise([hit], cands, np.array([1.0, 0.9, 1.1]))
    assert scores[1] > scores[0] and scores[1] < scores[2]
    plain = [sentences[0], "企业领取首发证件后提交材料。", sentences[2]]
    hit = _hit(_unit("c#case4", kind="case"), "".join(plain))
    out = with_premise([hit], [Candidate(t, 0) for t in plain], np.array([1.0, 0.9, 1.1]))
    assert out.tolist() == np.array([1.0, 0.9, 1.1], dtype=np.float32).tolist()


def test_a_paragraph_goes_on_past_the_end_of_its_passage():
    """ "…申请水气暖过户。" ends one passage, "供电营业厅登记结果信息…" opens the next: the
    sentence after the best one is of its paragraph; not a later paragraph, nor before it."""
    unit = _unit("c#case3", kind="case")
    first_text = "二、推动系统研发\n依托平台推动系统研发，申请水气暖过户。"
    second_text = "供电营业厅登记结果信息作为基本信息。\n三、政企联动超前对接"
    first = Passage("c#case3/p1", unit.doc, unit.id, unit.title, first_text, 0, 28, 1, 1)
    second = Passage("c#case3/p2", unit.doc, unit.id, unit.title, second_text, 28, 55, 2, 2)
    a, b = Hit(first, unit, "文件", 1.0, 1), Hit(second, unit, "文件", 0.9, 2)
    best = "依托平台推动系统研发，申请水气暖过户。"
    assert continues_paragraph(a, best, b, "供电营业厅登记结果信息作为基本信息。")
    assert not continues_paragraph(a, best, b, "三、政企联动超前对接")  # the next paragraph
    assert not continues_paragraph(b, "供电营业厅登记结果信息作为基本信息。", a, best)
    assert not continues_paragraph(a, "二、推动系统研发", b, "供电营业厅登记结果信息。")


def test_two_places_asked_how_each_stay_a_comparison_despite_a_figure_word():
    """ "玉林和江西按信用风险分类定抽查比例，这两地各是怎么搞的？": 比例 names what is set, the
    question asks each place's way of doing it; "…各按多大比例抽查" still asks a figure."""
    how = "玉林和江西按信用风险分类定抽查比例，这两地各是怎么搞的？"
    q = _q("comparison", places=("玉林", "江西"), text=how)
    assert reconcile(q, "figure").kind == "comparison"
    assert reconcile(q, "figure").types == frozenset({"comparison"})
    # "…各按多大比例抽查" asks each place's own figure: a comparison that must hold figures.
    figure = "玉林和江西各按多大比例抽查？"
    each = reconcile(_q("comparison", places=("玉林", "江西"), text=figure), "figure")
    assert each.kind == "comparison" and "figure" in each.types


def test_two_places_asked_a_figure_each_are_compared_by_their_own_figures():
    """ "玉林和贺州…分别把对象分成几档？" names two places and asks each a figure: one
    paragraph per place, each holding its own count of grades (四类 / 四级)."""
    text = "玉林和贺州搞信用分类监管，分别把对象分成几档？"
    q = reconcile(_q("comparison", places=("玉林", "贺州"), text=text), "figure")
    assert q.kind == "comparison" and "figure" in q.types
    yl = _unit("y#case1", kind="case", title="玉林市信用分类", region="广西壮族自治区玉林市")
    hz = _unit("h#case2", kind="case", title="贺州市信用分类", region="广西壮族自治区贺州市")
    texts = [
        "玉林市获评全国优秀案例。",  # the place's best sentence, without the figure asked
        "玉林市按ABCD四类实行动态管理。",
        "贺州市累计得分从低到高分为ABCD四级。",
    ]
    hits = [_hit(yl, texts[0], 1), _hit(yl, texts[1], 2), _hit(hz, texts[2], 3)]
    cands = [Candidate(t, n) for n, t in enumerate(texts)]
    ans = compose_typed(q, hits, cands, np.array([1.3, 1.2, 1.25]), threshold=1.1)
    assert (
        ans.text
        == "玉林：玉林市按ABCD四类实行动态管理[1]。贺州：贺州市累计得分从低到高分为ABCD四级[2]。"
    )
    assert ans.confident
    # A place whose sources hold no figure of what is asked: answered, but not confident.
    ans = compose_typed(q, hits[::2], [cands[0], Candidate(texts[2], 1)], np.array([1.3, 1.25]))
    assert "玉林市获评全国优秀案例" in ans.text and not ans.confident


def test_a_count_of_grades_is_told_in_grades_of_any_name():
    from search.compose import figure_pattern

    grades = figure_pattern("分别把对象分成几档？")
    assert grades.search("按ABCD四类管理") and grades.search("分为ABCD四级")
    assert not grades.search("涉及减分降级的16项指标")


def test_comparison_slack_is_the_other_places_lexical_credit():
    """A sentence about 江西 cannot name 玉林: the threshold of a two-place comparison is lower
    by the smaller place's share of the question's terms; none for one place."""
    from search.answer import LEXICAL_WEIGHT, comparison_slack, question_terms

    question = "玉林和江西的信用分类怎么搞？"
    weights = {t: 1.0 for t in question_terms(question)}
    total = len(question_terms(question))
    assert comparison_slack(question, ["玉林", "江西"], weights) == LEXICAL_WEIGHT / total
    assert comparison_slack(question, ["玉林"], weights) == 0.0


def test_the_case_whose_title_names_the_practice_asked_is_the_scope():
    """ "工信厅的实体经济调研服务…怎么保证件件有着落" → the case titled "五级联动开展实体经济调研
    服务…", not a case whose best sentence mentions 调研 in its text; a short shared run
    (调研) names none."""
    from search.compose import named_practice

    named = _unit("c#case1", kind="case", title="五级联动开展实体经济调研服务助企纾困")
    other = _unit("c#case2", kind="case", title="自治区财政厅突出“四向”发力")
    hits = [
        _hit(named, "一是构建问题“收集—筛分—办理—反馈”闭环工作机制。", 1),
        _hit(other, "高效办结收集的77个服务实体经济调研问题。", 2),
    ]
    question = "工信厅的实体经济调研服务，收上来的企业问题是怎么保证件件有着落的？"
    assert named_practice(question, hits) == {0}
    assert named_practice("调研的问题怎么办？", hits) == set()
    assert named_practice(question, hits[::-1]) == set()  # not the top hit's title
    cands = [Candidate(hits[0].passage.text, 0), Candidate(hits[1].passage.text, 1)]
    assert method_scope((), hits, cands, np.array([0.92, 1.01]), question) == [0]
    assert method_scope((), hits, cands, np.array([0.92, 1.01]), "怎么办？") == [1]


def _passage_pair(uid: str, first: str, second: str, split: int) -> tuple[Unit, list[Hit]]:
    """A case unit whose two passages meet at `split` in the document (their cleaned texts
    are shorter: the line breaks of an extraction are gone), each a hit."""
    unit = _unit(uid, kind="case")
    one = Passage(f"{uid}/p1", unit.doc, unit.id, unit.title, first, 0, split, 1, 1)
    two = Passage(f"{uid}/p2", unit.doc, unit.id, unit.title, second, split, split + 20, 2, 2)
    return unit, [Hit(one, unit, "文件", 1.0, 1), Hit(two, unit, "文件", 0.9, 2)]


def test_a_sentence_that_goes_on_from_the_one_before_follows_it():
    """ "同时，按照…“全区通办”…" scores best; the sentence before it in its unit ("…实现“八统一”。",
    of another passage) takes its score and it comes right after; a sentence that goes on
    from nothing, or an unrelated one, changes nothing."""
    from search.compose import with_antecedent

    before, best = "统一和规范申请材料，实现“八统一”。", "同时，将业务纳入“全区通办”系统。"
    unit, hits = _passage_pair("c#case2", "（三）推动标准统一化。" + before, best + "其他。", 29)
    second = hits[1].passage
    cands = [Candidate("（三）推动标准统一化。", 0), Candidate(before, 0), Candidate(best, 1)]
    out = with_antecedent(hits, cands, np.array([1.0, 0.9, 1.2], dtype=np.float32))
    assert out[1] == np.float32(1.2) and out[1] > out[2] > out[0]
    plain = [cands[0], cands[1], Candidate("将业务纳入“全区通办”系统。", 1)]
    hits[1] = Hit(
        dataclasses.replace(second, text="将业务纳入“全区通办”系统。其他。"), unit, "文件", 0.9, 2
    )
    same = with_antecedent(hits, plain, np.array([1.0, 0.9, 1.2], dtype=np.float32))
    assert same.tolist() == np.array([1.0, 0.9, 1.2], dtype=np.float32).tolist()


def test_a_sentence_that_tells_a_part_of_the_one_before_it_is_known_by_it():
    """ "其中，…" is a part of the sentence before it in its document: in its own passage, or
    opening the next passage when that one ends its passage (whose start and end count the
    line breaks its cleaned text lost); a 其中 sentence after nothing, or not right after
    any sentence among the candidates, has none."""
    from search.compose import part_antecedents, source_end

    whole, part = "全面实行政府采购全流程电子化。", "其中，招投标已实现100%电子化。"
    unit, hits = _passage_pair("c#case3", "一是减负担。" + whole, part + "今年以来。", 40)
    cands = [Candidate("一是减负担。", 0), Candidate(whole, 0), Candidate(part, 1)]
    assert source_end(hits[0], whole) == 40  # the passage's own end, not 0 + 21
    assert part_antecedents(hits, cands) == {2: 1}
    inside = Passage("c#case3/p1", unit.doc, unit.id, unit.title, whole + part, 0, 40, 1, 3)
    one = [Hit(inside, unit, "文件", 1.0, 1)]
    assert part_antecedents(one, [Candidate(whole, 0), Candidate(part, 0)]) == {1: 0}
    assert part_antecedents(hits, [Candidate("一是减负担。", 0), Candidate(part, 1)]) == {}
    plain = [cands[0], cands[1], Candidate("招投标已实现100%电子化。", 1)]
    assert part_antecedents(hits, plain) == {}
    # A sentence cut for length ("…覆盖率100%", no closing mark) goes on in the next piece.
    cut = [cands[0], Candidate(whole.rstrip("。"), 0), Candidate("招投标已实现100%电子化。", 1)]
    assert part_antecedents(hits, cut) == {2: 1}


def test_a_sentence_telling_how_the_one_before_it_is_done_is_known_by_it():
    """ "具体的做法是…电脑网卡MAC地址…" tells how the sentence before it ("…实现供应商投标过程
    中的电子动态监管") is done: a comparison's paragraph brings it along, as a 其中 part."""
    from search.compose import part_antecedents

    whole = "通过运用政府采购云平台“大数据”，实现供应商投标过程中的电子动态监管。"
    how = "具体的做法是将平台招投标巡检预警功能前置，将电脑网卡MAC地址等线索预警。"
    unit = _unit("c#case4")
    inside = Passage("c#case4/p1", unit.doc, unit.id, unit.title, whole + how, 0, 80, 1, 3)
    hits = [Hit(inside, unit, "文件", 1.0, 1)]
    assert part_antecedents(hits, [Candidate(whole, 0), Candidate(how, 0)]) == {1: 0}
    plain = how.replace("具体的做法是", "")
    assert part_antecedents(hits, [Candidate(whole, 0), Candidate(plain, 0)]) == {}


def test_a_short_sentence_naming_a_device_heads_the_sentence_after_it():
    """ "另一方面推行“一商（协）会一法官”工作机制。" scores just above the sentence it heads when
    that one scores better; a long sentence, one of another passage, or one that names no
    quoted device keeps its score."""
    from search.compose import with_device_heading

    head, told = (
        "另一方面推行“一商（协）会一法官”工作机制。",
        "协同对接商（协）会83个，派驻一名法官。",
    )
    scores = np.array([0.9, 1.1], dtype=np.float32)
    out = with_device_heading([Candidate(head, 0), Candidate(told, 0)], scores)
    assert out[0] > out[1] == np.float32(1.1)
    plain = "另一方面推行一商一法官工作机制。"
    for cands in (
        [Candidate(head, 0), Candidate(told, 1)],
        [Candidate(plain, 0), Candidate(told, 0)],
        [Candidate(head * 3, 0), Candidate(told, 0)],
    ):
        assert with_device_heading(cands, scores).tolist() == scores.tolist()


def test_a_province_set_against_a_place_inside_it_is_told_from_its_own_units():
    regions = ["广西壮族自治区贵港市", "江西省赣州市", "广西壮族自治区", "广西壮族自治区钦州市"]
    places = ("贵港", "赣州", "广西")
    assert province_level("广西", places, regions) == {2}  # not 贵港's case
    assert province_level("贵港", places, regions) is None  # a city: any unit about it
    # No place inside it named: any unit about 广西, unless the question says 广西全区.
    assert province_level("广西", ("余杭", "广西"), regions) is None
    assert province_level("广西", ("余杭", "广西"), regions, "余杭和广西全区都是怎么做的？") == {2}
    # Set against a place inside it, with no unit of its own among the hits: none yet.
    assert province_level("广西", ("钦州", "广西"), regions[3:]) == set()
    # The region named by its level alone ("…钦州和全区各…"): its own units.
    assert province_level("广西", ("余杭", "广西"), regions, "余杭和全区各是怎么做的？") == {2}
    assert province_hits("广西", regions) == {2}
    assert province_hits("江西", regions) == set()  # only its city's


def test_a_province_named_by_its_level_word_alone():
    assert named_by_level("广西", "余杭和全区各是怎么做的？")
    assert not named_by_level("广西", "余杭和广西全区都是怎么做的？")  # named by its name
    assert not named_by_level("广西", "余杭和杭州各是怎么做的？")
    # …while its own level is asked either way ("咱们广西全区各是怎么…").
    assert names_level("广西", "余杭和全区各是怎么做的？")
    assert names_level("广西", "山西长治和咱们广西全区各是怎么帮企业的？")
    assert not names_level("广西", "余杭和广西各是怎么做的？")


def test_a_province_named_alone_is_told_from_its_own_units():
    plan = dataclasses.replace(_unit("q#measure1", title="建立监测点"), doc="qinzhou.txt")
    points = dataclasses.replace(_unit("g#measure2", title="强化督查考核"), doc="guangxi.txt")
    case = _unit("c#case3", kind="case", title="柳州市：监测", region="广西壮族自治区柳州市")
    body = _unit("c#case4", kind="case", title="自治区财政厅：政采", region="广西壮族自治区")
    regions = {"qinzhou.txt": "广西壮族自治区钦州市", "guangxi.txt": "广西壮族自治区"}
    hits = [_hit(plan, "建立监测点。", doc_title="钦州市落实广西若干措施实施方案")]
    hits += [_hit(points, "优化“智管云”平台。", rank=2, doc_title="广西工作要点")]
    hits += [_hit(case, "柳州监测。", rank=3), _hit(body, "财政厅监测。", rank=4)]
    # The province's own: the regional document's measure and the 自治区 body's case.
    assert province_own(("广西",), hits, regions) == {1, 3}
    assert province_own(("钦州",), hits, regions) == set()  # a city named: no preference
    assert province_own(("广西", "柳州"), hits, regions) == set()
    assert province_own((), hits, regions) == set()
    assert province_own(("广西",), hits, None) == {3}  # measures tell no region of their own
    cands = [Candidate("建立监测点。", 0), Candidate("优化“智管云”平台。", 1)]
    assert method_scope(("广西",), hits, cands, np.array([1.10, 1.08]), "", regions) == [1]
    assert method_scope(("钦州",), hits, cands, np.array([1.10, 1.08]), "", regions) == [0]
    # No place named, but the question speaks for the region by its level: its own units.
    assert province_own((), hits, regions, "全区为了保障重大项目用地，打算怎么做？") == {1, 3}
    assert province_own((), hits, regions, "全省打算怎么做？") == set()  # not a 省
    assert province_own((), hits, regions, "哪个市在全区率先监测？") == set()
    whole = "自治区打算怎么监测营商环境？"
    assert method_scope((), hits, cands, np.array([1.10, 1.08]), whole, regions) == [1]


def test_a_province_named_by_its_level_only():
    assert own_level("全区为了保障重大项目用地，打算怎么做？") == "自治区"
    assert own_level("自治区层面怎么监测营商环境？") == "自治区"
    assert own_level("全省怎么推进？") == "省"
    assert own_level("南宁在全区率先推行了什么？") == ""  # set against the rest of the region
    assert own_level("哪个城市在全区最先做到？") == ""  # asks which place
    assert own_level("钦州怎么做的？") == ""


def test_a_question_asking_by_what_means_weighs_a_sentence_naming_one():
    sentences = ["优化升级“智管云”平台功能。", "持续完善季度监测制度。", "上线“桂通办”APP。"]
    w = means_weight("广西打算用什么办法监测营商环境？", sentences)
    assert w[0] > 0 and w[1] == 0 and w[2] > 0
    assert not means_weight("广西怎样监测营商环境？", sentences).any()  # no means asked
    assert not means_weight("玉林用什么办法？", ["设立信息平台。"]).any()  # a tool not named


def test_a_tasks_field_column_is_a_field_line_not_a_sentence():
    from search.compose import is_field_line

    assert is_field_line("配合单位：市委编办（市绩效办），市自然资源局，各县区人民政府〕")
    assert is_field_line("〔牵头单位：市发展改革委（市大数据发展局）、市财政局；")
    assert is_field_line("（完成时限：2023年12月31日）")
    assert not is_field_line("由牵头单位会同配合单位制定方案。")  # a sentence that names them
    assert not is_field_line("建立政府失信责任追究制度，成立专门工作小组。")


def test_the_sentences_that_alone_hold_a_detail_the_question_names():
    """ "企业当场提的难题…怎么处理的" → the one step that says 当场; the case's topic words
    (in its title, or in many steps) and the place named point to none."""
    from search.compose import detail_sentences

    steps = [
        "一是构建闭环工作机制，当场能解决的立即解决，当场解决不了的分类转办。",
        "二是明确“四答”工作要求，调研服务企业。",
        "三是部门协同解决问题，调研服务企业。",
        "广西建立调研服务常态化长效化机制。",
    ]
    terms = ["调研", "企业", "当场", "处理", "广西", "提"]
    assert detail_sentences(terms, steps, ["五级联动开展实体经济调研服务"], ["广西"]) == [0]
    assert detail_sentences(terms, steps[:3], [], ["广西"]) == []  # too few to tell apart


def test_sentences_in_source_order_group_by_unit_then_position():
    from search.compose import in_source_order

    case = _unit("c#case1", kind="case", title="深圳")
    other = _unit("c#case2", kind="case", title="台州")
    first = _hit(case, "记者获悉，深圳破解融资难。首先是推出纯信用贷款。截至目前，累计融资18亿元。")
    second = _hit(other, "建立政采贷平台。")
    pieces = [
        ("截至目前，累计融资18亿元。", 0),
        ("建立政采贷平台。", 1),
        ("首先是推出纯信用贷款。", 0),
        ("记者获悉，深圳破解融资难。", 0),
        ("不在段落里的句子。", 0),
    ]
    assert in_source_order(pieces, [first, second]) == [
        ("记者获悉，深圳破解融资难。", 0),
        ("首先是推出纯信用贷款。", 0),
        ("截至目前，累计融资18亿元。", 0),
        ("不在段落里的句子。", 0),  # not found in its passage: after the found ones
        ("建立政采贷平台。", 1),  # the second unit after the first one's sentences
    ]


def test_a_narrated_answer_tells_the_best_sentence_s_passage_first():
    """ "…是怎么跟邻省联合执法的": the step that answers it (a later passage of the case) is
    told before the case's background; pieces before `first` (a lead) stay first."""
    from search.compose import in_source_order

    case = _unit("c#case1", kind="case", title="贺州")
    opening = _hit(case, "贺州现有25家充装单位。引入信用监管，取得成效。")
    step = _hit(case, "四是建立跨省区域执法协作机制。签订《区域执法协作备忘录》。", rank=2)
    step = dataclasses.replace(step, passage=dataclasses.replace(step.passage, start=200, end=230))
    pieces = [
        ("签订《区域执法协作备忘录》。", 1),
        ("贺州现有25家充装单位。", 0),
        ("四是建立跨省区域执法协作机制。", 1),
        ("引入信用监管，取得成效。", 0),
    ]
    assert in_source_order(pieces, [opening, step]) == [
        ("四是建立跨省区域执法协作机制。", 1),
        ("签订《区域执法协作备忘录》。", 1),
        ("贺州现有25家充装单位。", 0),
        ("引入信用监管，取得成效。", 0),
    ]
    lead = [("引入信用监管，取得成效。", 0), *pieces[:3]]
    assert in_source_order(lead, [opening, step], first=1)[:2] == [
        ("引入信用监管，取得成效。", 0),
        ("四是建立跨省区域执法协作机制。", 1),
    ]


def test_an_item_is_not_clipped_inside_brackets():
    """A comma inside "（广西八步区，广东怀集县、…）" ends no clause of the item: it is cut
    before the bracket's clause, never leaving it open."""
    item = (
        "建立跨省区域执法协作机制：为确保省级行政区交界处特种设备安全，“三省五地”（广西八步区，"
        "广东怀集县、封开县、连山县，湖南省江华县）市场监管部门签订《区域执法协作备忘录》"
    )
    assert clip_item(item) == "建立跨省区域执法协作机制：为确保省级行政区交界处特种设备安全"
    bare = "（广西八步区，广东怀集县、封开县、连山县、湖南省江华县、贺州市八步区、钟山县、富川县、昭平县、平桂区等地）市场监管部门"
    assert clip_item(bare) == bare[:60]  # nothing to cut before: the limit


def test_reconcile_a_how_question_the_classifier_reads_as_a_figure_asks_a_method():
    text = "个体户数量多，怎样按信用高低分类监管？"
    assert reconcile(_q("figure", text=text), detect_intent(text)).kind == "method"
    asked = "怎样把抽查比例降到多少？"  # 多少 asks a figure
    assert reconcile(_q("figure", text=asked), detect_intent(asked)).kind == "figure"


def test_reconcile_two_places_asked_for_their_practices_stay_a_comparison():
    # The classifier's comparison stands over 多少 when the practices are asked (办法).
    text = "摸清企业缺多少工，钦州和广西全区的办法有什么区别？"
    q = _q("comparison", places=("钦州", "广西"), text=text)
    assert reconcile(q, detect_intent(text)).kind == "comparison"
    # "都…什么" asks what each did, as 各/分别 do.
    both = "常态化听取企业的意见诉求，北辰和钦州都建了什么机制？"
    q = _q("method", places=("北辰", "钦州"), text=both)
    assert reconcile(q, detect_intent(both)).kind == "comparison"
    one = _q("method", places=("北辰",), text="北辰都建了什么机制？")
    assert reconcile(one, "").kind == "method"


def test_reconcile_a_field_word_without_a_how_word_asks_the_field():
    # "由谁牵头" asks the 牵头单位 even when the classifier reads a method.
    assert reconcile(_q("method", text="三合一审判改革由谁牵头？"), "lead").fields == ("牵头单位",)
    how = reconcile(_q("method", text="牵头部门是怎么推进三合一审判改革的？"), "lead")
    assert how.kind == "method"


def test_reconcile_by_what_means_asks_a_method():
    # "靠什么来统筹调度" asks by what means, like 怎么; no field word, so no field either.
    q = _q(
        "multi",
        {"field"},
        fields=("牵头单位", "报送单位"),
        text="钦州要是碰上煤、电、油供应和运输吃紧，市里打算靠什么来统筹调度？",
    )
    q = dataclasses.replace(q, scores=(("multi", 0.5), ("list", 0.4), ("method", 0.1)))
    assert reconcile(q, "").kind == "method" and not reconcile(q, "").fields


def test_which_places_are_asked_several_each_told_by_its_practice():
    """ "哪些地方在推行…" (no place named) is told as a comparison of the top hits' places,
    a line per place; with one place among the hits it is a which-place answer."""
    yulin = _unit(
        "y#case1",
        kind="case",
        title="玉林市实施个体工商户信用分类管理改革",
        region="广西壮族自治区玉林市",
    )
    fcg = _unit("f#case2", kind="case", title="个体工商户“生得快”", region="广西壮族自治区防城港市")
    hits = [_hit(yulin, "对个体工商户实行信用分类管理。"), _hit(fcg, "对个体工商户分型分类培育。")]
    cands = [Candidate(h.passage.text, n) for n, h in enumerate(hits)]
    q = _q("place", text="哪些地方在推行个体工商户信用分类管理？")
    known = ("玉林", "防城港")
    ans = compose_typed(q, hits, cands, np.array([1.3, 1.25]), threshold=1.1, places=known)
    assert ans.kind == "comparison" and ans.confident
    assert ans.lines == (
        "玉林：对个体工商户实行信用分类管理[1]。",
        "防城港：对个体工商户分型分类培育[2]。",
    )
    one = compose_typed(q, hits[:1], cands[:1], np.array([1.3]), threshold=1.1, places=known)
    assert one.kind == "place"
    assert one.text.startswith(
        "玉林市实施个体工商户信用分类管理改革[1]。对个体工商户实行信用分类管理[1]"
    )
    named = dataclasses.replace(q, places=("玉林",), text="玉林有哪些地方在推行？")
    assert (
        compose_typed(named, hits, cands, np.array([1.3, 1.25]), places=known).kind != "comparison"
    )


def test_reconcile_which_places_and_items_with_a_field_word():
    """ "哪些地方在推行…" asks places (not "好在哪些地方"); 单位 naming who acts asks no
    field when 哪些 asks of 内容; items and a lead unit asked in two clauses are two parts."""
    where = _q("list", text="哪些地方在推行个体工商户信用分类管理？")
    assert reconcile(where, "").kind == "place"
    aspects = _q("list", text="这个改革好在哪些地方？")
    assert reconcile(aspects, "").kind == "list"
    ranked = (("field", 0.6), ("list", 0.3))
    builder = dataclasses.replace(
        _q("field", fields=("牵头单位",), text="大桥的承建单位搞职工代表巡视，都检查哪些内容？"),
        scores=ranked,
    )
    assert (reconcile(builder, "").kind, reconcile(builder, "").fields) == ("list", ())
    two = _q(
        "list", {"list", "field"}, fields=("牵头单位",), text="支持哪几个市争创试点？这项由谁牵头？"
    )
    assert reconcile(two, "").kind == "multi" and reconcile(two, "").fields == ("牵头单位",)
    tasks = _q("list", {"list", "field"}, fields=("牵头单位",), text="有哪些任务，分别由谁牵头？")
    assert reconcile(tasks, "lead").kind == "list"
    said = _q(
        "list",
        {"list", "field"},
        fields=("牵头单位",),
        text="工信厅牵头的调研服务，分成哪八大类调研？",
    )
    assert reconcile(said, "").kind == "list"  # 牵头 says whose work it is, asks nothing


def test_a_layout_run_is_no_outline_and_a_quoted_run_is_the_list():
    case = _unit("c#case9", kind="case", title="优化政采营商环境")
    text = (
        "一、案例背景。财政厅部署。二、主要举措和取得成效。打出六项组合拳。三、具体代表案例。"
        "一是交易成本“减负”。下调保证金。二是预留份额“助力”。三是融资担保“纾困”。"
    )
    assert case_outline(case, text) == ("交易成本“减负”", "预留份额“助力”", "融资担保“纾困”")
    quoted = "实现了企业基于电子营业执照“免注册、无介质、零成本、全流程”方便、快捷、安全地办理。"
    assert sentence_items(quoted) == ("免注册", "无介质", "零成本", "全流程")
    assert sentence_items("聚焦“事前、事中、事后”三个环节") == ("事前", "事中", "事后")


def test_reconcile_keeps_only_the_fields_the_words_ask():
    """The classifier reads fields a question has no word for ("…什么时候要办完？" as 牵头单位、
    完成时限、报送单位): lacking them made right answers unsure, and the answer showed them
    unasked. A figure needs a word that asks one."""
    when = _q(
        "multi",
        fields=("牵头单位", "完成时限", "报送单位"),
        text="口岸实验室检测提速，什么时候要办完？",
    )
    assert (reconcile(when, "").kind, reconcile(when, "").fields) == ("field", ("完成时限",))
    who = _q("multi", fields=("牵头单位", "完成时限"), text="通关时间要挤进前列，这事由谁来抓？")
    assert reconcile(who, "").fields == ("牵头单位",)
    both = _q("multi", fields=("牵头单位", "完成时限"), text="谁牵头、什么时候完成？")
    assert reconcile(both, "").fields == ("牵头单位", "完成时限")
    no_figure = _q(
        "multi", {"field", "figure"}, fields=("牵头单位",), text="一照多址的改革归哪个部门管？"
    )
    assert (
        reconcile(no_figure, "").kind == "field" and "figure" not in reconcile(no_figure, "").types
    )
    reported = _q("multi", fields=("牵头单位", "报送单位"), text="这个案例是哪个单位报上来的？")
    assert reconcile(reported, "").fields == ("报送单位",)
    unworded = _q("field", fields=("牵头单位",), text="那条措施呢？")
    assert worded_fields(unworded) == unworded  # no field in words: as the classifier read


def test_a_city_s_own_figure_of_a_regional_task_s_list():
    """ "钦州…目标定在多少": 钦州's figure of the list that gives each city's, the rest left out."""
    each = "（各市目标任务：南宁市 67%、柳州市 65%、钦州市 57%、贵港市 42%）"
    assert own_share(each, ["钦州"]) == "（各市目标任务：钦州市57%）"
    hours = "各市目标值分别为南宁市1.63小时、柳州市3.70小时、钦州市3.13小时。"
    assert own_share(hours, ["柳州", "钦州"]) == "各市目标值：柳州市3.70小时、钦州市3.13小时"
    assert own_share("各市任务：南宁市1900人、钦州市500人、", ["钦州"]) == "各市任务：钦州市500人"
    assert own_share(each, ["北海"]) == each  # a city the list does not name: as it is
    assert own_share("钦州市 57%的城市生活污水", ["钦州"]) == "钦州市 57%的城市生活污水"


def test_a_run_cut_from_its_sentence_is_told_with_the_clause_it_continues():
    """ "…其中全区目标值为4.51小时，" | "各市目标值分别为…": the city's figure is joined to the
    clause that says what it is a figure of; other candidates stay as they are."""
    cands = [
        Candidate("2023年城网用户平均停电时间同比压缩5%以上，其中全区目标值为4.51小时，", 0),
        Candidate("各市目标值分别为南宁市1.63小时、百色市11.92小时、崇左市9.19小时。", 0),
        Candidate("各市目标值分别为南宁市7.67小时、百色市17.04小时。", 1),
        Candidate("加快线路防雷改造。", 1),
    ]
    joined = own_shares(cands, ["百色"])
    assert [c.text for c in joined] == [
        "2023年城网用户平均停电时间同比压缩5%以上，其中全区目标值为4.51小时，各市目标值：百色市11.92小时",
        "各市目标值：百色市17.04小时",  # no clause of its passage before it: as told
        "加快线路防雷改造。",
    ]
    assert [c.hit for c in joined] == [0, 1, 1]
    assert own_shares(cands, ["北海"]) == cands  # no city of the runs asked: as they are
    unjoined = own_shares(cands, ["百色"], join=False)  # a field question: the runs cut alone
    assert unjoined[1] == Candidate("各市目标值：百色市11.92小时", 0) and len(unjoined) == 4


def test_a_field_answer_tells_the_region_s_figure_with_the_named_city_s_own():
    """A field question's runs are cut alone (`own_shares(join=False)`), so the sentence told
    with the field ("…其中全区目标值为4.51小时，") is joined to the city's share after it when
    the answer is composed ("南宁…停电时间要控制在多少？…归哪个部门牵头？" → 南宁市1.63小时);
    a sentence no share follows, or a whole run of cities, is told as it is."""
    from search.compose import with_own_share

    cands = own_shares(
        [
            Candidate("2023年城网用户平均停电时间同比压缩5%以上，其中全区目标值为4.51小时，", 0),
            Candidate("各市目标值分别为南宁市1.63小时、百色市11.92小时、崇左市9.19小时。", 0),
            Candidate("加快线路防雷改造，", 1),
            Candidate("各市目标值分别为南宁市7.67小时、百色市17.04小时。", 1),
        ],
        ["南宁"],
        join=False,
    )
    assert with_own_share(cands, 0).endswith("其中全区目标值为4.51小时，各市目标值：南宁市1.63小时")
    assert with_own_share(cands, 1) == "各市目标值：南宁市1.63小时"  # the last of its passage
    whole = [
        Candidate("加快线路防雷改造，", 1),
        Candidate("各市目标值分别为南宁市7.67小时、百色市17.04小时。", 1),
    ]
    assert with_own_share(whole, 0) == "加快线路防雷改造，"  # no city asked: the run is not one's


def test_the_city_of_the_highest_or_lowest_figure_answers_a_superlative():
    """ "各市…的目标里，哪个市定得最高": the extreme city of the run after the best sentence,
    with that sentence; a question asking no extreme gets None."""
    cands = [
        Candidate("加快线路防雷改造。", 0),
        Candidate("稳步提升城市生活污水集中收集率。", 1),
        Candidate("（各市目标任务：南宁市 67%、桂林市 82%、崇左市 30%）", 1),
    ]
    scores = np.array([0.9, 1.2, 1.0], dtype=np.float32)
    hits = [_hit(_unit("d#t1"), "防雷"), _hit(_unit("d#t2"), "污水", 2)]
    high = compose_extreme_place("哪个市定得最高？", hits, cands, scores, True)
    assert high is not None and high.kind == "place" and high.confident
    assert high.picked == (
        ("桂林市82%，各市目标任务中最高", 1),
        ("稳步提升城市生活污水集中收集率。", 1),
    )
    low = compose_extreme_place("哪个市最低？", hits, cands, scores, False)
    assert low is not None and low.picked[0] == ("崇左市30%，各市目标任务中最低", 1)
    assert not low.confident
    assert compose_extreme_place("哪个市定的目标？", hits, cands, scores, True) is None
    no_run = [Candidate("稳步提升城市生活污水集中收集率。", 1)]
    assert compose_extreme_place("哪个市最高？", hits, no_run, scores[:1], True) is None


def test_problems_told_as_clauses_are_a_list():
    """ "存在A，B，C等问题": the problems a practice ended are the items of "都有哪些麻烦"."""
    sentence = (
        "相比原在银行存储保证金的方式存在开户手续繁琐，农民工工资保证金专用账户三方监管程序多，"
        "退保证金存在跨行及异地取款收费等问题。"
    )
    assert sentence_items(sentence) == (
        "开户手续繁琐",
        "农民工工资保证金专用账户三方监管程序多",
        "退保证金存在跨行及异地取款收费",
    )
    assert sentence_items("存在一些困难等问题。") == ()  # one clause is no list


def test_items_of_thirteen_characters_or_more_are_whole():
    """ "第二类医疗器械经营变更备案" (13 characters) is one item, not cut at its first character."""
    sentence = (
        "其中，第二类医疗器械经营备案、第二类医疗器械经营变更备案、"
        "麻醉药品和第一类精神药品运输证明核发3类事项在各县区市场监管局服务窗口办理；"
    )
    items = sentence_items(sentence)
    assert items[:2] == ("第二类医疗器械经营备案", "第二类医疗器械经营变更备案")
    assert len(items) == 3


def test_a_list_far_ahead_of_every_other_leads():
    assert clear_lead([1.132, 1.007, 1.0]) == 0
    assert clear_lead([1.0, 1.132, 1.08]) is None  # 0.05 ahead: no clear lead
    assert clear_lead([1.1]) is None


def test_a_run_closed_by_the_generic_noun_asked_is_the_list_asked():
    """ "主要出在哪些方面": the sentence that calls its run the 方面 ("在教育、建筑、医药、产业
    政策等方面的行政垄断案件") answers, not the case's own parts (a list of figures)."""
    question = "重庆查处的行政垄断案件，主要出在哪些方面？"
    assert generic_noun(question) == "方面" and generic_noun("包括哪几个方面？") == "方面"
    assert generic_noun("涉及哪几方主体？") == ""
    closed = "依法查处部分区县政府在教育、建筑、医药、产业政策等方面的行政垄断案件8件。"
    run = ListOption(tuple((i, 0) for i in sentence_items(closed)), closed, closed)
    parts = ListOption(
        (("立案查处不正当竞争案件245件", 0), ("修订废止文件81件", 0), ("罚没金额2312万余元", 0)),
        "重庆市：立案查处不正当竞争案件245件；修订废止文件81件；罚没金额2312万余元",
        parts=True,
    )
    assert named_by_generic(run, "方面") and not named_by_generic(parts, "方面")
    assert choose_list([run, parts], [1.17, 1.15], question) == 0
    # Without 等方面 the run is named by nothing asked.
    plain = closed.replace("等方面的", "的")
    other = ListOption(tuple((i, 0) for i in sentence_items(plain)), plain, plain)
    assert not named_by_generic(other, "方面")


def test_a_sentence_counting_its_run_by_the_generic_noun_asked_is_the_list_asked():
    """ "下一步打算从哪几个方面使劲": the sentence that counts its run as so many 方面 ("…、
    着力强基固本提升监管执法能力4方面持续发力") answers though it says 发力, not 使劲; not a
    一方面…另一方面 pair of the case, nor a run the sentence counts otherwise."""
    question = "重庆反垄断、反不正当竞争下一步打算从哪几个方面使劲？"
    said = (
        "下一步，重庆“双反”工作将从聚焦重点领域持续强化监管执法、加强制度建设增强竞争法治意识、"
        "强化统筹协调协同推进工作、着力强基固本提升监管执法能力4方面持续发力。"
    )
    items = (
        "聚焦重点领域持续强化监管执法",
        "加强制度建设增强竞争法治意识",
        "强化统筹协调协同推进工作",
    )
    cut = (*items, "着力强基固本提升监管执法")  # the last item cut short of 能力
    run = ListOption(tuple((i, 0) for i in cut), said, said)
    pair = ListOption(
        (("组织开展存量清理", 0), ("对新增政策措施稳健进行审查", 0)),
        "重庆市：组织开展存量清理；对新增政策措施稳健进行审查",
        parts=True,
    )
    assert counts_run_as_asked(run, question)
    assert choose_list([run, pair], [1.137, 1.147], question) == 0
    uncounted = ListOption(run.items, said.replace("4方面", ""), said.replace("4方面", ""))
    assert not counts_run_as_asked(uncounted, question)
    three = ListOption(run.items, said.replace("4方面", "三方面"), said.replace("4方面", "三方面"))
    assert not counts_run_as_asked(three, question)  # four items, three counted
    # "主要出在哪些方面": nothing is done in the aspects asked; the 方面 count is no evidence.
    assert not counts_run_as_asked(run, "重庆查处的行政垄断案件，主要出在哪些方面？")


def test_a_plan_s_parts_are_no_outline_of_what_it_does():
    """ "一、指导思想 二、主要目标 三、…": a plan's layout, not its practices."""
    from search.compose import layout_run

    assert layout_run(("指导思想", "主要目标", "重点任务"))
    assert not layout_run(("打造“一站点”", "强化“两机制”", "做好“三到位”"))


def test_an_outline_step_opening_with_someone_s_words_is_told_by_its_heading():
    """ "在“实”字上下功夫，搭建政企沟通平台。“察势者智，驭势者赢…”": what someone said under a
    heading is no practice; a quoted name opening the step's sentence is one."""
    from search.compose import detailed_outline

    text = (
        "一、搭建政企沟通平台\n“察势者智，驭势者赢，现在的万州要素应有尽有，”企业负责人说。\n"
        "二、打造一流营商环境\n“一窗通”实现开办企业一日办结。\n"
    )
    assert detailed_outline(("搭建政企沟通平台", "打造一流营商环境"), text) == (
        "搭建政企沟通平台",
        "打造一流营商环境：“一窗通”实现开办企业一日办结",
    )


def test_a_total_broken_down_by_its_sorts_answers_what_it_is_divided_into():
    """ "其中，创新突破70项、贯彻上级改革要求49项、…": the 215 measures broken down, each sort
    counted, is what "按来源分成了哪几块" asks (fresh44 i23 answered the versions' slogans)."""
    from search.compose import sorts_total

    slogans = "从1.0版的“建体系夯基础”、2.0版“学先进补短板”到3.0版“树标杆创品牌”，提出十大举措。"
    breakdown = "其中，创新突破70项、贯彻上级改革要求49项、对标标杆城市先进做法42项、补齐短板54项。"
    options = [
        ListOption(tuple((p, 0) for p in sentence_items(s)), s, s) for s in (slogans, breakdown)
    ]
    assert sorts_total(options[1]) and not sorts_total(options[0])
    scores = np.array([1.054, 1.010])
    assert choose_list(options, scores, "成都4.0版那两百多项举措，按来源分成了哪几块？") == 1
    assert choose_list(options, scores, "成都4.0版有哪些口号？") == 0  # sorts not asked


def test_a_list_that_breaks_a_total_down_opens_with_the_total():
    """ "其中，创新突破70项、…" alone refers to nothing: the list answer opens with the sentence
    that counts the total (…215项工作举措), on the same line; a sentence before it that counts
    nothing (a procedure) is not brought."""
    from search.compose import Composed, counts_total, with_part_antecedent

    whole = "从5个维度制定23个方面215项工作举措。"
    part = "其中，创新突破70项、贯彻上级改革要求49项、补齐营商环境短板54项。"
    unit = _unit("c#case9", kind="case")
    inside = Passage("c#case9/p1", unit.doc, unit.id, unit.title, whole + part, 0, 60, 1, 3)
    hits = [Hit(inside, unit, "文件", 1.0, 1)]
    cands = [Candidate(whole, 0), Candidate(part, 0)]
    listed = Composed(((part, 0),), True, "list")
    out = with_part_antecedent(listed, hits, cands)
    assert out.picked == ((whole, 0), (part, 0)) and out.continued == frozenset({1})
    assert counts_total(whole, part) and not counts_total("待申请人补齐全部材料后颁证。", part)
    told = "待申请人补齐全部材料后，颁发相关批文、证照。"
    other = Passage("c#case9/p1", unit.doc, unit.id, unit.title, told + part, 0, 60, 1, 3)
    plain = [Hit(other, unit, "文件", 1.0, 1)]
    assert with_part_antecedent(listed, plain, [Candidate(told, 0), Candidate(part, 0)]) == listed
    method = Composed(((part, 0),), True, "extractive")  # lists only
    assert with_part_antecedent(method, hits, cands) == method


def test_which_aspects_of_a_named_thing_are_kinds_of_it_not_the_parts_of_what_was_done():
    """ "主动交哪些方面的材料" asks for kinds of 材料 (资质证照、市场经营…), which a sentence
    lists; the case's headings answer only for the parts of what was done."""
    assert not asks_parts("个体户可以主动交哪些方面的材料？")
    assert not asks_parts("要优化哪些方面的营商环境？")
    assert asks_parts("主要有哪几个方面的做法？")
    assert asks_parts("具体要管哪几方面的事？")
    assert asks_parts("从哪几个方面入手？")


def test_a_row_naming_the_place_s_thing_as_the_question_does_names_it():
    """ "把钦州铁路集装箱中心站…打通，这事是谁来抓": the regional row "打通钦州铁路集装箱中心站
    自动化码头…" names 钦州's thing as the question does; a row naming only 钦州 does not."""
    question = "把钦州铁路集装箱中心站、码头、海关、船公司的信息系统打通，这事是谁来抓？"
    row = "完善公共信息平台，打通钦州铁路集装箱中心站自动化码头、海关、铁路、船公司等多主体之间的信息系统。"
    assert names_place_thing(question, ("钦州",), row)
    assert not names_place_thing(question, ("钦州",), "全面推进钦州港口岸通关作业电子化流转。")
    assert not names_place_thing("钦州这事是谁来抓？", ("钦州",), row)  # 钦州 ends its run


def test_a_field_comes_from_the_close_unit_holding_the_best_sentence():
    """The first hit holds no field (a plan's section); of the rows whose best sentence is
    close to the best one, the row holding the best sentence answers, not the one ranked
    above it."""
    section = _unit("p#section1", kind="section", title="保障措施")
    other = _unit("r#measure1", title="推进跨部门综合监管", lead_text="自治区大数据发展局")
    asked = _unit("r#measure2", title="完善营商环境季度监测制度", lead_text="自治区统计局")
    hits = [
        _hit(section, "建立100个民营企业监测点。", 1),
        _hit(other, "完善监管事项清单管理、监测预警等功能。", 2),
        _hit(asked, "持续完善营商环境季度监测制度。", 3),
    ]
    cands = [Candidate(h.passage.text, i) for i, h in enumerate(hits)]
    q = _q("field", fields=("牵头单位",), text="营商环境监测这项任务由哪个部门牵头？")
    ans = compose_typed(q, hits, cands, np.array([1.09, 1.07, 1.096]), threshold=1.1)
    assert ans.kind == "field" and ans.text.startswith("牵头单位：自治区统计局[1]")


def test_a_quoted_character_every_item_holds_names_the_list():
    """ "围绕哪几个“最”来提的" → 最强的法治保障、最优的服务支持、最好的国际配套 (each item holds
    the character quoted), over the case's three headings that its title counts (“三字诀”)."""
    told = "实施法治服务环境提升计划，围绕提供最强的法治保障、最优的服务支持、最好的国际配套提出组建民营企业法律服务团等10项重点任务。"
    most = ListOption(
        tuple((i, 0) for i in ("围绕提供最强的法治保障", "最优的服务支持", "最好的国际配套提出")),
        told,
        sentence=told,
    )
    heads = (
        "突出“准”，建立良法善治制度新体系",
        "瞄准“实”，构建法治营商环境新生态",
        "聚焦“效”，打造系列改革举措新亮点",
    )
    title = "江苏省南京市：“三字诀”探索法治化营商环境新路径"
    outline = ListOption(tuple((h, 0) for h in heads), "；".join(heads), head=title)
    question = "南京搞法治服务环境提升计划，定重点任务时是围绕哪几个“最”来提的？"
    scores = np.array([1.1, 0.98])
    assert choose_list([most, outline], scores, question, titles=[title]) == 0
    assert choose_list([most, outline], scores, "南京围绕哪几个“快”来提的？", titles=[title]) == 1


def test_a_list_is_told_from_the_case_of_the_body_the_question_names():
    """ "广西金融监管局推的个体户主题银行…能办哪些事": the run of that body's case, not another
    case's run that scores better; with no body named, the better run."""
    own = _unit("d#case1", kind="case", title="广西金融监管局创新促进个体工商户发展“广西模式”")
    other = _unit("d#case2", kind="case", title="防城港市采取个性化措施精准滴灌")
    hits = [_hit(other, "联合金融机构设立主题银行", 1), _hit(own, "印发通知", 2)]
    theirs = "实现个体工商户登记、银行基本账户开户、商户收款码牌等事项“一站式”办理。"
    ours = "为个体工商户在注册登记、年报、政策咨询以及开立银行结算账户、融资、理财等方面提供“一站式”办理。"
    options = [
        ListOption(
            tuple((i, 0) for i in ("个体工商户登记", "银行基本账户开户", "商户收款码牌")),
            theirs,
            sentence=theirs,
        ),
        ListOption(
            tuple((i, 1) for i in ("注册登记", "年报", "政策咨询", "融资")), ours, sentence=ours
        ),
    ]
    scores = np.array([1.10, 1.08])
    asked = "广西金融监管局推的个体户主题银行，一站式都能帮着办哪些事？"
    assert compose_list(options, scores, True, asked, hits).picked[0][0] == ours
    plain = "个体户主题银行一站式都能帮着办哪些事？"
    assert compose_list(options, scores, True, plain, hits).picked[0][0] == theirs


def test_a_method_answer_names_the_practices_of_its_case_s_other_close_sentences():
    """After a method's sentences, before its numbered practices, one line names the
    practices the case's other close sentences name (`comparison_answer.named_line`), one
    line however many sources it cites; none when those sentences name nothing."""
    from search.comparison_answer import NAMED_LABEL

    case = _unit("b#case11", kind="case", title="百色市用好办税信用积分", region="广西百色市")
    texts = [f"百色市第{n}批办税人员参加积分培训，学习办税规范和流程{n}次。" for n in range(1, 12)]
    texts.append("梳理制作积分攻略小视频，搭建积分服务平台。")
    hits = [_hit(case, "".join(texts))]
    cands = [Candidate(t, 0) for t in texts]
    q = _q("method", text="百色税务用什么办法让办税员愿意主动攒积分？", places=("百色",))
    scores = np.array([1.2 - 0.01 * n for n in range(12)])  # the last within 0.15 of the best
    ans = compose_typed(q, hits, cands, scores, threshold=1.1)
    told = [s for s, _ in ans.sentences]
    assert texts[-1] not in told and NAMED_LABEL + "积分服务平台" in told
    assert sum(line.startswith(NAMED_LABEL) for line in ans.lines) == 1
    plain = [*cands[:-1], Candidate("梳理制作积分攻略小视频，广泛推送。", 0)]
    unnamed = compose_typed(q, hits, plain, scores, threshold=1.1)
    assert NAMED_LABEL not in unnamed.text


def test_who_of_a_case_is_told_by_its_reporting_unit():
    """ "…评标“舱位”，是哪家单位弄出来的？": a case has no lead unit; the answer leads with its
    报送单位, unless its sentence names who did it or several units are asked."""
    case = _unit(
        "c#case4", kind="case", title="创新打造“隔夜评标舱位”", org="自治区公共资源交易中心"
    )
    told = "“隔夜评标舱位”提高了场所的功能性和效率。"
    q = _q("field", fields=("牵头单位",), text="评标专家能过夜的“舱位”，是哪家单位弄出来的？")
    ans = compose_typed(q, [_hit(case, told)], [Candidate(told, 0)], np.array([1.2]), threshold=1.1)
    assert ans.text.startswith("报送单位：自治区公共资源交易中心[1]。") and told[:-1] in ans.text
    named = "东兴边检站与东兴市人民医院签定救助协议。"
    ans = compose_typed(
        q, [_hit(case, named)], [Candidate(named, 0)], np.array([1.2]), threshold=1.1
    )
    assert ans.text.startswith("东兴边检站")
    several = dataclasses.replace(q, text="那个方案是哪几家单位一起印发的？")
    ans = compose_typed(
        several, [_hit(case, told)], [Candidate(told, 0)], np.array([1.2]), threshold=1.1
    )
    assert "报送单位" not in ans.text


def test_a_list_for_the_region_by_its_level_is_of_its_own_units():
    """ "全区准备靠推进什么改革把终端气价降下来": the regional row's list, not 钦州's plan that
    carries it out (its title names 广西 too; its list scores better)."""
    region = _unit("r#measure1", kind="measure", title="降低中游供气价格", region="广西壮族自治区")
    city = _unit(
        "q#measure2", kind="measure", title="优化市政公共服务", region="广西壮族自治区钦州市"
    )
    hits = [_hit(city, "x"), _hit(region, "y")]
    steps = ListOption((("推行告知承诺制", 0), ("申报大用户市场化改革试点", 0)), "钦州的两步")
    row = ListOption((("推动天然气大工业用户市场化改革", 1), ("降低终端用气价格", 1)), "全区的两步")
    question = "大工业用户用气太贵，全区准备靠推进什么改革把终端气价降下来？"
    scores = np.array([1.2, 1.1])
    regions = {"q": "", "r": ""}
    out = compose_list([steps, row], scores, True, question, hits, doc_regions=regions)
    assert out.picked[0][0] == "1. 推动天然气大工业用户市场化改革"
    # Without the documents' regions nothing is left out: 钦州's list scores better.
    assert (
        compose_list([steps, row], scores, True, question, hits).picked[0][0] == "1. 推行告知承诺制"
    )


def test_a_text_is_opened_by_its_name_unless_it_says_it():
    """One opening for a row's cell and a comparison's clause: the name, then the text,
    unless the text says it already — by most of its characters (`repeats`, the default)
    or word for word (`holds_phrase`, a row's name)."""
    from search.compose import han_share, holds_phrase, opened_by

    assert opened_by("推行一照多址", "推行一址多照。") == "推行一址多照。"
    assert (
        opened_by("推行一照多址", "推行一址多照。", holds_phrase) == "推行一照多址。推行一址多照。"
    )
    assert opened_by("推行一照多址", "全面推行一照多址。", holds_phrase) == "全面推行一照多址。"
    assert opened_by("", "实现登记。") == "实现登记。"
    assert han_share("一照多址", "一照") == 0.5 and han_share("2023", "一") == 0.0


def test_a_count_written_with_da_is_a_figure():
    """ "通报我区十大正面典型案例" answers "各通报多少个"; "一大批" counts nothing."""
    assert FIGURE.search("通报我区十大正面典型案例和十大反面典型案例。")
    assert FIGURE.search("提升“五大”环境指标排位")
    assert not FIGURE.search("引进一大批优质企业")
    assert not FIGURE.search("全国第十大港口")
    assert not FIGURE.search("深入贯彻党的二十大精神，学习十九大报告")


def test_two_items_the_sentence_counts_are_a_list():
    """ "积分模型下设税法遵从度和服务满意度两大指标" (fresh47 zc10) lists two indicators; a
    pair nothing counts is no list."""
    sentence = "积分模型下设税法遵从度和服务满意度两大指标，并根据服务需求变化拓展积分项目。"
    assert sentence_items(sentence) == ("税法遵从度", "服务满意度")
    assert sentence_items("推动税务和财政部门协同。") == ()


def test_a_question_asking_how_things_were_before_weighs_the_before_run():
    """ "改之前企业拿许可一般要耗多长时间" (probe_mu yk06) took the 改革后 sentence's "一到两个
    工作日": the sentences from a passage's 改革前 sentence to its 改革后 one weigh more (the
    figure "这些需要耗时两三个月到半年不等" says no 改革前 itself), those after weigh less;
    another passage and a question not asking before are left as they are."""
    cands = [
        Candidate("改革前，企业还需要满足许可项目的硬件条件。", 0),
        Candidate("这些需要耗时两三个月到半年不等。", 0),
        Candidate("改革后，企业一到两个工作日即可领证。", 0),
        Candidate("另一个案例的句子。", 1),
    ]
    scores = np.array([1.0, 1.0, 1.0, 1.0], dtype=np.float32)
    weighed = with_before(cands, scores, "改之前企业拿许可一般要耗多长时间？")
    assert weighed[1] > weighed[3] > weighed[2]
    assert weighed[0] == weighed[1]
    assert with_before(cands, scores, "现在企业拿许可要多长时间？") is scores
