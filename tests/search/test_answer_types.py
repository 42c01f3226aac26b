"""Answers by question type on the real seed index with the real model (slow)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from search.answer import Answerer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def answerer(searcher) -> Answerer:
    return Answerer(searcher)


def test_the_place_asked_decides_which_unit_answers_a_field_question(answerer):
    ans = answerer.ask("钦州压缩破产案件收回债务时间，牵头单位是谁？")
    assert ans.kind == "field" and "牵头单位：市中级法院" in ans.text
    assert "自治区高级人民法院" not in ans.text


def test_a_field_asked_of_each_place_apart_answers_from_each_place_s_unit(answerer):
    """ "…全区任务清单里是哪家法院牵头，钦州方案里又是谁牵头？" (probe_mw ym21) was answered,
    confidently, with 钦州's 市中级法院 alone: each place asked in a clause of its own gets
    its own unit's field, marked with the place."""
    ans = answerer.ask(
        "我在整理办理破产指标的材料：收回债务时间压到1.2年这件事，全区任务清单里是哪家法院"
        "牵头，钦州方案里又是谁牵头？钦州还要求债务回收率稳在多少左右？"
    )
    assert "（广西）牵头单位：自治区高级人民法院" in ans.text
    assert "（钦州）牵头单位：市中级法院" in ans.text and "55%" in ans.text


def test_which_city_s_target_is_highest_is_read_off_each_city_s_figures(answerer):
    """The regional plan sets each city's sewage target in one run; the highest is asked."""
    ans = answerer.ask("今年各市城市生活污水集中收集率的目标里，哪个市定得最高？")
    assert ans.kind == "place" and ans.confident
    assert ans.text.startswith("桂林市82%，各市目标任务中最高[1]。")


def test_the_lowest_city_is_read_off_the_run_of_the_indicator_asked(answerer):
    """Three runs of each city's figure sit in one task cell, one paragraph each (beds,
    doctors, nurses); the doctors' run is asked, not the beds' before it (fresh44 i07)."""
    ans = answerer.ask("2023年给各市定的每千人口执业（助理）医师数增长任务里，哪个市定得最低？")
    assert ans.kind == "place"
    assert ans.text.startswith("柳州市1%，各市任务中最低[1]。")
    assert "执业（助理）医师数" in ans.text and "床位数" not in ans.text


def test_a_list_right_after_the_sentence_naming_what_is_asked(answerer):
    """ "成立…响应处置工作小组。" is the best sentence; the run after it tells what the group
    does (fresh44 i27)."""
    ans = answerer.ask("全区专门为企业反映问题成立的响应处置工作小组，具体要管哪几方面的事？")
    assert ans.kind == "list"
    assert "统筹协调、指挥调度、监督考核" in ans.text


def test_one_city_s_figure_of_a_run_cut_from_its_sentence(answerer):
    """ "…其中全区目标值为4.51小时，各市目标值分别为…百色市11.92小时…" is cut at the comma;
    百色's figure is told with the clause that says what it is a figure of."""
    ans = answerer.ask("百色的城网用户平均停电时间目标值是多少小时？")
    assert ans.confident and "城网用户平均停电时间" in ans.text
    assert "各市目标值：百色市11.92小时[1]" in ans.text


def test_places_left_out_are_not_the_place_asked(answerer):
    """ "除了南宁、梧州、钦州，其他市…": the regional row answers, not 钦州's own plan."""
    ans = answerer.ask("除了南宁、梧州、钦州，其他市工程建设项目的并联审批率要达到多少？谁牵头？")
    assert "牵头单位：自治区住房城乡建设厅" in ans.text and "其他市并联审批率达到80%" in ans.text


def test_a_place_whose_passages_never_name_it_is_found_by_its_region(answerer):
    """钦州's plan says "政府采购" without 钦州 in the passage: a search on the topic names no
    钦州 passage, and the region filter finds the plan's own measure."""
    ans = answerer.ask("政府采购的信息要公开透明，广西财政厅、广州南沙和钦州各是怎么做的？")
    qinzhou, n = next((t, n) for t, n in ans.sentences if t.startswith("钦州"))
    assert "资料中没有找到" not in qinzhou and n
    assert "钦州" in ans.citations[n - 1].doc_title


def test_two_part_question_answers_both_parts(answerer):
    ans = answerer.ask("搭建广西数字标准地名地址库由哪个部门牵头，完成时限是哪天？")
    assert "自治区大数据发展局" in ans.text and "2023年12月31日" in ans.text


def test_whether_anywhere_did_it_is_answered_with_the_place_and_case(answerer):
    """ "有没有城市…" asks which place did it: the answer opens with the place and the case."""
    ans = answerer.ask("有没有城市把多条政务服务热线整合成一条？")
    assert ans.kind == "place"
    assert ans.text.startswith("广东省深圳市：36条政务热线合并了！")


def test_comparison_answers_per_place_without_a_false_missing_notice(answerer):
    ans = answerer.ask("浙江、广东和广西在政府采购融资方面的做法有什么不同？")
    assert ans.kind == "comparison"
    assert "没有找到关于" not in ans.notice
    assert len(ans.sentences) >= 2 and all(n for _, n in ans.sentences[:2])


def test_each_place_s_first_passage_is_read_before_the_other_place_s_passages(answerer):
    """Eight 武汉 passages top the search; 万州's own case (fetched for it at k=8, a hit below
    the top six at the page's 12) is read first (the sentences read are capped), so 万州 is
    told from its case, not said to be missing."""
    for k in (8, 12):  # 12: the page's hits, where 万州's case is a hit below the top six
        ans = answerer.ask("企业开办登记一天就能办完，武汉城市圈跟万州是怎么做到的？", k=k)
        assert ans.kind == "comparison"
        wanzhou, n = next((text, n) for text, n in ans.sentences if text.startswith("万州"))
        assert "资料中没有找到" not in wanzhou and n
        assert "万州区" in ans.citations[n - 1].unit_title
        assert "万州 来源" in ans.notice or ans.confident


def test_a_comparison_reads_the_other_passages_of_each_place_s_case(answerer):
    """The search returns 台州's case by its opening passage; the device asked about (the
    online mall's 中小企业身份标识) is in another passage of that case, which is read too."""
    question = "政府采购的网上商城怎么管，台州跟广西财政厅比有什么不一样？"
    result, embedded = answerer.retrieve(question)
    searched = [h for h in result.hits if "中小企业身份标识" in h.passage.text]
    q, hits, cands, _ = answerer.scored(question, tuple(result.hits), embedded)
    assert q.kind == "comparison" and not searched
    read = {c.hit for c in cands}
    taizhou = [n for n, h in enumerate(hits) if n in read and "台州" in h.unit.title]
    assert any("中小企业身份标识" in hits[n].passage.text for n in taizhou)
    assert len(hits) - len(result.hits) <= 4 * len(q.places) + 8  # a few passages per place


def test_a_comparison_reads_each_place_s_passages_nearest_the_question(answerer):
    """自治区财政厅 names 广西 as a party; of 万州's long case, the passages read beyond the
    search's are those nearest the question (its 政银企恳谈 is not in the first ones)."""
    question = "请企业来开座谈会听意见，万州和自治区财政厅各是怎么做的？"
    result, embedded = answerer.retrieve(question)
    q, hits, _, _ = answerer.scored(question, tuple(result.hits), embedded)
    assert q.kind == "comparison" and q.places == ("万州", "广西")
    snap = answerer.searcher.index.current
    fetched = answerer.place_unit_hits(q, tuple(result.hits), embedded.whole)
    wanzhou = [h for h in fetched if "万州" in h.unit.title]
    positions = [snap.passage_position(h.passage.id) for h in wanzhou]
    near = snap.dense.rows(positions) @ embedded.whole
    assert wanzhou and list(near) == sorted(near, reverse=True)
    ans = answerer.ask(question)
    wz, gx = ans.text.split("广西：")
    assert wz.startswith("万州：") and "政银企恳谈" in wz and "用心服务" in gx


def _own_topic_reading(answerer, question: str, places: tuple[str, ...]):
    """The own-unit passages a comparison reads beyond the search's, the units the search
    returned, and the sentences read; the question must be read as comparing `places`."""
    result, embedded = answerer.retrieve(question)
    q, _, cands, _ = answerer.scored(question, tuple(result.hits), embedded)
    assert q.kind == "comparison" and q.places == places
    searched = {h.unit.id for h in result.hits}
    return answerer.own_topic_hits(q, tuple(result.hits)), searched, cands


def test_a_comparison_reads_each_place_s_own_unit_the_search_missed(answerer):
    """全区's 联动过户 measure is not among the search's hits (another 全区 measure is): each
    place's best passage on the topic among its own units is read as well."""
    question = "过户时把水、气这些公用事业一并转过来，烟台和全区各是怎么做的？"
    own, searched, cands = _own_topic_reading(answerer, question, ("烟台", "广西"))
    assert own and all(h.unit.id not in searched for h in own)
    assert any("联动过户" in h.passage.text for h in own)
    assert any("联动过户" in c.text for c in cands)
    gx = answerer.ask(question).text.split("广西：")[1]
    assert "联动过户" in gx


def test_a_comparison_reads_the_case_passages_fetched_after_the_plan_rows(answerer):
    """全区's 12345 case tells the device (“桂商码”) in a passage read after six rows of its
    plan: the sentences read for a comparison reach it."""
    question = "把五花八门的政务和投诉热线归拢到一个号上，深圳和全区各是怎么弄的？"
    result, embedded = answerer.retrieve(question)
    q, hits, cands, _ = answerer.scored(question, tuple(result.hits), embedded)
    assert q.kind == "comparison" and any("桂商码" in c.text for c in cands)
    assert "桂商码" in answerer.ask(question).text.split("广西：")[1]


def test_the_region_named_by_its_level_is_told_from_its_own_plan(answerer):
    """全区 is the region's whole level: its 工作要点 rows nearest the whole question are read
    (the topic words alone find the 12345 hotline case's 全区 sentences, not the 诉前调解 row)."""
    question = "打官司前先调解纠纷，玉林和全区各有什么做法？"
    own, searched, _ = _own_topic_reading(answerer, question, ("玉林", "广西"))
    plan = [h for h in own if h.unit.kind == "measure" and "工作要点" in h.doc_title]
    assert plan and all(h.unit.id not in searched for h in plan)
    guangxi = answerer.ask(question).text.split("广西：")[1]
    assert "诉前调解" in guangxi


def test_the_region_named_with_its_level_word_is_told_from_its_own_plan(answerer):
    """ "…山西长治和咱们广西全区各是怎么…" (probe_cm2 zw01) names 广西 and its level: its own rows
    nearest the whole question are read, as when 全区 stands alone (the 应享未享 row, not the
    税费 row the topic words find)."""
    question = (
        "企业有些税费优惠、扶持政策明明能享受却一直没享受到，山西长治和咱们广西全区各是怎么帮企业"
        "把这块补上的？"
    )
    guangxi = answerer.ask(question).text.split("广西：")[1]
    assert "应享未享提醒功能" in guangxi


def test_how_many_and_who_leads_are_both_answered(answerer):
    """ "新增几家…？…归哪个部门牵头？": the lead unit and the measure's own count (2家), not a
    list of other measures."""
    ans = answerer.ask("全区今年准备新增几家上市企业？这件事归哪个部门牵头？")
    assert "自治区地方金融监管局" in ans.text and "2家" in ans.text and ans.confident


def test_the_kinds_asked_where_the_work_is_done_are_listed(answerer):
    """ "在哪几类环境上做文章": the items are 环境, which the plan's 主要目标 counts (“五大环境”),
    not the document's notice or its parts."""
    text = answerer.ask("钦州的实施方案重点在哪几类环境上做文章？").text
    assert all(f"{k}环境" in text for k in ("政务", "要素", "法治", "市场", "创新"))


def test_a_place_s_paragraph_tells_its_practice_not_its_introduction(answerer):
    """Scored against the question with the places' names, 南沙's "为深入贯彻落实…南沙区财政局
    围绕…" opened its paragraph; against what is asked of each place, its 双审查制度 does."""
    text = answerer.ask("政府采购的投诉和执法案件，贵港和南沙分别在哪些方面下功夫？").text
    nansha = text.split("南沙：")[1]
    assert "双审查制度" in nansha and "为深入贯彻落实" not in nansha


def test_a_figure_asked_of_each_place_is_answered_per_place(answerer):
    """玉林's own count of grades is in the seventh hit, below the six passages read: every
    hit of a place named is read for a comparison."""
    ans = answerer.ask("玉林和贺州搞信用分类监管，分别把对象分成几档？")
    assert ans.kind == "comparison"
    yulin, hezhou = ans.lines[:2]  # a paragraph per place, one line each
    assert "四类" in yulin and "四级" in hezhou


def test_region_word_is_not_reported_as_a_missing_place(answerer):
    ans = answerer.ask("湖南哪个城市在优化营商环境方面有好做法？")
    assert "城市" not in ans.notice


def test_list_answer_enumerates_items(answerer):
    ans = answerer.ask("百色的新模式把哪几件事合成一件事办？")
    assert all(item in ans.text for item in ("交地", "办证", "办税", "抵押", "放款"))


def test_figure_answer_is_confident_only_with_a_figure(answerer):
    ans = answerer.ask("成都营商环境4.0版一共提出了多少项工作举措？")
    # "1.0版…3.0版" in the headline is a figure, but not the count asked (source [2] has it).
    assert not ans.confident or "215项" in ans.text
    assert ans.confident and re.search(r"215项", ans.sentences[0][0])


def test_a_place_no_document_mentions_is_reported_missing(answerer):
    # (jieba must tag the name as a place: it does for 海南, not for 拉萨 or 大连)
    ans = answerer.ask("海南的企业开办要几天？")
    assert not ans.confident and "海南" in ans.notice


def test_answers_have_no_glued_case_labels(answerer):
    ans = answerer.ask("自治区财政厅打的六项政策组合拳分别是哪六项？")
    assert "指标名称" not in ans.text and "案例名称" not in ans.text
    assert "减负" in ans.text and "护航" in ans.text


def test_method_answer_from_elsewhere_names_the_practice(answerer):
    # The steps score best; the case's opening sentence names the practice (联合报装), after
    # the case named ("其他地方" asks how others do it: a method, not a comparison).
    ans = answerer.ask("其他地方怎样把水电气暖报装合在一起办？")
    assert "联合报装" in ans.text
    assert ans.sentences[0][0].startswith("案例：山东省烟台市")
    assert ans.sentences[1][0].startswith("为落实")


def test_a_method_answer_tells_what_was_done_before_what_someone_said(answerer):
    # A resident's quote ("“要不是开通‘跨省通办’，…”") scores like the practice it praises.
    ans = answerer.ask("贵州跨省通办办好的证照要寄给外地群众，邮寄费用是怎么解决的？", k=8)
    told = [s for s, _ in ans.sentences]
    at = next(i for i, s in enumerate(told) if s.startswith("贵州依托"))  # the practice
    assert all(i > at for i, s in enumerate(told) if "要不是开通" in s)
    assert "连连称赞" not in ans.text


def test_an_answer_from_a_task_table_row_reads_as_the_row(answerer):
    ans = answerer.ask("开办企业分支机构信息怎么集中办理？")
    first = ans.sentences[0][0]
    assert first.startswith("任务：") and "牵头单位：自治区市场监管局" in first
    assert "完成时限：2023年12月31日" in first and not re.search(r"\d{4}年\d+月\d+日自治区", first)


def test_a_list_counted_in_a_passage_retrieval_missed_answers(answerer):
    # "五大环境" is counted in the plan's 总体要求, which the search ranks below its sections.
    ans = answerer.ask("钦州这个实施方案一共要优化哪几大环境？")
    assert all(e in ans.text for e in ("政务环境", "要素环境", "法治环境", "市场环境", "创新环境"))


def test_a_section_lists_all_the_measures_under_it(answerer):
    ans = answerer.ask("广西2023年工作要点第一部分深化重点领域对标改革都涵盖哪些领域？")
    assert ans.kind == "list" and "市场准入退出" in ans.text and "办理破产" in ans.text


def test_the_body_named_tells_the_method(answerer):
    # Not the 河池 wage-deposit case whose sentence about 保证金 scores best.
    ans = answerer.ask("自治区财政厅用什么办法给投标企业降低保证金？")
    assert "1%" in ans.text and "河池" not in ans.text


def test_how_a_problem_was_solved_follows_the_problem(answerer):
    ans = answerer.ask("江西怎么解决企业被多头检查、重复执法的问题？")
    assert "企业信用信息公示系统" in ans.text


def test_a_method_answer_ends_with_the_practices_the_case_names(answerer):
    """After the best sentences, the case's own headings of what it did, numbered and cited."""
    ans = answerer.ask("烟台是怎么做到水电气暖一链办理的？")
    steps = [line for line in ans.lines if re.match(r"\d\. ", line)]
    assert len(ans.lines) > len(steps) >= 3  # sentences first, then the practices
    assert any("推动系统研发，打通“一网通办”屏障" in step for step in steps)


def test_similar_to_our_reform_without_saying_it_points_to_the_similar_cases_page(answerer):
    from search.answer import NOTICE_SIMILAR

    ans = answerer.ask("有没有和我们这个改革相似的案例？")
    assert not ans.confident and ans.notice == NOTICE_SIMILAR
    assert ans.hits  # the closest sources are still shown


def test_the_tasks_under_an_indicator_are_listed_each_cited(answerer):
    ans = answerer.ask("任务清单里知识产权创造保护和运用这个指标有哪些任务？")
    assert ans.kind == "list"
    steps = [line for line in ans.lines if re.match(r"\d\. ", line)]
    assert len(steps) >= 5 and any("专利技术转移转化" in step for step in steps)
    assert len(ans.citations) >= 5  # each task cites its own row


def test_the_tasks_of_a_named_area_come_with_their_lead_units_and_deadlines(answerer):
    """Sixteen-odd tasks of one indicator, named without the word 指标, each with its fields."""
    ans = answerer.ask("优化营商环境工作要点里政务服务方面有哪些任务，由哪个部门牵头、何时完成？")
    assert ans.kind == "list" and ans.confident
    rows = [line for line in ans.lines if re.match(r"\d+\. ", line)]
    assert len(rows) >= 12 and all("牵头单位：" in row and "完成时限：" in row for row in rows)
    assert any(row.startswith("2. 优化在线帮办服务（牵头单位：自治区大数据发展局") for row in rows)
    plain = answerer.ask("任务清单里政务服务方面有哪些任务？")
    assert plain.kind == "list" and len([x for x in plain.lines if ". " in x]) >= 12
    assert "牵头单位" not in plain.text


def test_a_place_only_a_case_s_text_names_is_compared(answerer):
    """ "太原和防城港都是怎么做的": 太原 is named in the 山西 case's text, not in any unit's
    region or title; it is a place asked about, answered from the passage that names it."""
    ans = answerer.ask("营业执照自助办理这块，太原和防城港都是怎么做的？")
    assert ans.kind == "comparison", ans.text
    assert ans.lines[0].startswith("太原") and "自助服务一体机" in ans.lines[0]
    assert ans.lines[1].startswith("防城港") and "智能自动审批" in ans.lines[1]


def test_places_that_only_say_where_are_not_compared(answerer):
    """ "贺州跟广东、湖南交界地带…怎么跟邻省联合执法": one place's practice, not a comparison;
    the step that answers it comes before the case's other sentences."""
    ans = answerer.ask("贺州跟广东、湖南交界地带的气瓶安全，是怎么跟邻省联合执法的？")
    assert ans.kind != "comparison" and "区域执法协作备忘录" in ans.text
    assert ans.text.index("区域执法协作备忘录") < ans.text.index("累积记分")
    assert "连山县[" not in ans.text  # no item clipped inside its brackets


def test_a_county_the_documents_name_in_a_case_s_text_is_compared(answerer):
    """岢岚 (a county of 忻州, only in a case's text) against 钦州's plan: one line each."""
    ans = answerer.ask("想让工业项目尽快落地开工，岢岚和钦州在用地、厂房上各出了什么招？")
    assert ans.kind == "comparison"
    assert ans.text.startswith("岢岚：") and "标准化厂房" in ans.text and "钦州：" in ans.text
    assert "没有找到关于" not in ans.notice


def test_a_city_s_own_target_of_a_regional_task_and_its_deadline(answerer):
    """钦州's plan has no deadline for it; the regional task that sets each city's rate does,
    and 钦州's own figure (57%) is told, not the fourteen cities'."""
    ans = answerer.ask("钦州城市污水的集中收集率目标定在多少？要在什么时候前完成？")
    assert "钦州市57%" in ans.text and "2023年12月31日" in ans.text
    assert "南宁市" not in ans.text


def test_one_step_of_a_measure_that_lists_what_is_asked_answers(answerer):
    """The 、 run of one step ("优化整合公安、税务、不动产…等自助服务功能") scores far above
    every other list: it answers, not another case's counted list ("5个一")."""
    ans = answerer.ask("全区要把各部门的自助服务整合到一台终端上，具体整合了哪些业务的自助功能？")
    assert ans.kind == "list" and all(w in ans.text for w in ("公安", "公积金", "水电气"))


def test_a_measure_s_field_columns_are_not_told_as_its_sentences(answerer):
    """ "（牵头单位：…；" / "配合单位：…）" in a measure's text: answers show them as fields, not
    as a sentence after the field line (nor as a method's first sentence)."""
    ans = answerer.ask("钦州提高对外开放水平这条由哪些单位来抓？")
    assert ans.text.startswith("牵头单位：") and "配合单位：市中级法院，" not in ans.text
    how = answerer.ask(
        "钦州的企业要派人出国跑业务、又要请外国客商过来，市里打算怎么给他们出入境行方便？"
    )
    assert not re.search(r"(?:^|。)\s*[（(]?(?:牵头|配合)单位：", how.text)


def test_the_city_s_own_plan_answers_when_it_holds_the_figure_asked(answerer):
    """ "按钦州自己的实施方案…要压到多少，什么时候做到": 钦州's plan tells both (到2024年底,
    10.33小时); the regional row naming 钦州's figure among each city's does not answer it."""
    ans = answerer.ask("按钦州自己的实施方案，农村电网用户平均停电时间要压到多少，什么时候做到？")
    assert "10.33小时" in ans.text and "2024年底" in ans.text
    assert "</p>" not in ans.text  # a tag the document's extraction left in its text


def test_a_field_answer_from_the_passage_both_retrievers_put_first_is_confident(answerer, searcher):
    """The task row both retrievers rank first answers with its 配合单位 and is confident
    below CONFIDENCE_THRESHOLD; the same hits without that agreement leave it unsure."""
    question = "钦州纳税服务标杆这条措施要哪些单位配合？"
    hits = searcher.search(question, k=8).hits
    assert hits[0].first_in_both
    ans = answerer.extractive(question, hits)
    assert ans.kind == "field" and "配合单位：人民银行钦州市分行" in ans.text
    assert ans.confident and ans.score < answerer.threshold
    unsure = answerer.extractive(question, [replace(h, first_in_both=False) for h in hits])
    assert not unsure.confident and "配合单位：人民银行钦州市分行" in unsure.text


def test_a_place_s_paragraph_ends_with_the_practices_its_case_names(answerer):
    """烟台's sentences on the joint 水电气暖 counter say nothing of its 超前服务, which is the
    detail of one of the practices its case names: the outline line tells it."""
    answer = answerer.ask("水电气这些一起报装，烟台和钦州在做法上有何不同？")
    assert answer.kind == "comparison"
    yantai = next(line for line in answer.lines if line.startswith("烟台"))
    assert "主要做法：" in yantai and "超前服务" in yantai
    assert answer.text.count("主要做法：") <= 2


def test_a_place_s_own_plan_is_searched_without_the_places_names(answerer):
    """钦州's 实施方案 names 钦州港 in many rows: searched with its name, its part of "…贵州和
    钦州各靠什么…隔着屏幕把事办了" was a port row; without the names, its 跨域通办 row (fresh45
    za20)."""
    ans = answerer.ask("人在外地、不想回去跑窗口，贵州和钦州各靠什么让人隔着屏幕把事办了？")
    assert ans.kind == "comparison"
    qinzhou = ans.text[ans.text.index("钦州：") :]
    assert "跨域通办专窗" in qinzhou


def test_a_regional_row_naming_the_place_s_facility_answers_its_field(answerer):
    """ "把钦州铁路集装箱中心站…的信息系统打通，这事是谁来抓": the regional task names the
    station as the question does; 钦州's own plan's port measure is another task (fresh46
    zb28, a confident wrong 市商务局 before)."""
    ans = answerer.ask("把钦州铁路集装箱中心站、码头、海关、船公司的信息系统打通，这事是谁来抓？")
    assert ans.kind == "field"
    assert ans.text.startswith("牵头单位：广西北部湾国际港务集团")
    assert "市商务局" not in ans.text


def test_a_which_city_most_question_without_a_run_of_each_city_is_not_confident(answerer):
    """ "各市跨境电商企业数量的目标里，哪个市定得最高": no run of each city's figure holds it, so
    a figure sentence answers (海外仓2家) and names no city: not confident. The run's own
    answers stay confident ("…哪个市分到的人数最多" → 南宁市1900人)."""
    ans = answerer.ask("各市跨境电商企业数量的目标里，哪个市定得最高？")
    assert not ans.confident
    run = answerer.ask("新增高技能人才的任务分到各市，哪个市分到的人数最多？")
    assert run.confident and run.text.startswith("南宁市1900人")


def test_a_place_asked_alone_is_answered_from_its_own_passages_the_search_missed(answerer):
    """ "钦州对中小企业融资难有哪些措施？": every passage the search returns is another place's
    (深圳's 订单融资); 钦州's own plan answers, not 深圳's case. A field question of a
    plan's task rows stays answered from the rows (the top holds 钦州's plan there)."""
    ans = answerer.ask("钦州对中小企业融资难有哪些措施？")
    assert "深圳" not in ans.text
    assert ans.cited_hits and all("钦州" in h.doc_title for h in ans.cited_hits)
    lead = answerer.ask("钦州压缩破产案件收回债务时间，牵头单位是谁？")
    assert "牵头单位：市中级法院" in lead.text


def test_a_field_question_under_a_plan_section_is_answered_from_the_task_rows(answerer):
    """The 钦州 plan's 保障措施 section ranks first for "…监测这项任务由哪个部门牵头、何时
    完成"; the regional 监测 row holds both fields asked (was a span of the section)."""
    ans = answerer.ask("优化营商环境监测这项任务由哪个部门牵头、何时完成？")
    assert ans.kind == "field"
    assert "自治区统计局" in ans.text and "2023年12月31日" in ans.text


def test_a_unit_named_by_the_level_asked_asks_the_place(answerer):
    """ "杭州哪个区的税务部门搞了个…“云厅”？": read as 牵头单位 by the examples; the district is
    asked, and its case title's own colon is bracketed."""
    ans = answerer.ask("杭州哪个区的税务部门搞了个能视频连线税务干部、不跑大厅也能办事的“云厅”？")
    assert ans.kind == "place"
    assert ans.text.startswith("滨江区（浙江省杭州市：方便快捷又走心")


def test_a_field_note_on_top_leaves_the_answer_to_the_unit_of_the_best_sentence(answerer):
    """The top hits are field notes whose 配合单位 name 钦州港片区; the 行动方案 is told in a
    passage of 提高对外开放水平 the search did not return (fresh56 zl03)."""
    ans = answerer.ask("钦州打算给钦州港片区单独搞一个优化营商环境的行动方案，这事是哪个部门牵头？")
    assert ans.kind == "field" and ans.text.startswith("牵头单位：市商务局")
    assert "营商环境优化提升行动方案" in ans.text


def test_a_case_s_figure_in_a_passage_the_search_missed(answerer):
    """ "…环节压到了几个？": the count is in the case's 主要成效 passage, not among the hits."""
    ans = answerer.ask("广西不动产登记改成网上办以后，办一次登记要走的环节压到了几个？")
    assert "3个以内" in ans.text


def test_the_shifts_asked_are_a_run_of_from_to_clauses(answerer):
    ans = answerer.ask("全区不动产登记改成网上办以后，办事格局发生了哪几个转变？")
    assert ans.kind == "list" and ans.confident
    assert "从“见面办”向“掌上办”升级" in ans.text and "从“新”服务向“心”服务提升" in ans.text


def test_each_question_of_a_two_question_row_is_answered(answerer):
    """ "…有多少个？是按哪个办法来管的？": read as a figure question, its answer told the figure's
    sentence only; the second question is answered on its own and its sentence added."""
    ans = answerer.ask("去年全区跨省开展的远程异地评审项目有多少个？是按哪个办法来管的？")
    assert "跨省33个" in ans.text and "远程异地评审管理暂行办法" in ans.text
    assert [n for _, n in ans.sentences] == sorted(n for _, n in ans.sentences)  # one source
    place = answerer.ask("哪个市搞政府采购合同履约抽检，累计抽了206个合同项？抽下来优良率有多少？")
    assert "北海市" in place.text and "85%" in place.text


def test_each_of_three_questions_and_a_list_after_a_place_are_answered(answerer):
    """ "…是哪个区的做法？…有几个独立工位？…花了多长时间？": each figure asked is told by a
    sentence with that figure ("5个月", not "同一天…开业迎宾", whose 一天 is no span); a list
    asked of "这个市" after a which-place question is answered on its own, not with the first
    question's words (they steer it back to the first sentence)."""
    three = answerer.ask(
        "武汉零号员工是哪个区的做法？给友邦人寿找的临时办公点有几个独立工位？"
        "全聚德武汉首店从选址到开业花了多长时间？"
    )
    assert all(x in three.text for x in ("武昌区", "39个独立工位", "5个月"))
    place_then_list = answerer.ask(
        "全区哪个市率先搞个体户营业执照智能自动审批？这个市对个体户的柔性执法是靠哪六项制度来落地的？"
    )
    assert "防城港" in place_then_list.text and "行政约谈" in place_then_list.text


def test_an_unsure_part_s_sentences_are_kept_and_the_answer_is_unsure(answerer):
    """ "…请了多少家…代表来？顺便问一下，他们平时都是通过哪些渠道宣传政采政策的？": the channels'
    own answer is not confident; its sentence is still added (the page marks it in the
    sources) and the whole answer is not confident."""
    ans = answerer.ask(
        "财政厅开政企座谈会那次，请了多少家民企和中小企业代表来？"
        "顺便问一下，他们平时都是通过哪些渠道宣传政采政策的？"
    )
    assert "15家" in ans.text and "微信公众号" in ans.text
    assert not ans.confident


def test_a_day_no_sentence_gives_leaves_the_answer_unsure_and_the_figure_is_added(answerer):
    """ "成都营商环境4.0版是哪天发布的，一共提出了多少项工作举措？": the case says "今天上午",
    no day, so the answer is not confident; the figure part adds its "215项" sentence, which
    the part's first sentence (told already, "…十大举措") had crowded out of its room."""
    ans = answerer.ask("成都营商环境4.0版是哪天发布的，一共提出了多少项工作举措？")
    assert "215项工作举措" in ans.text
    assert not ans.confident
    # The notice says what the documents do not give.
    assert ans.notice.startswith("资料中没有找到“成都营商环境4.0版是哪天发布的”的具体日期")


# Later questions (`Answerer.with_parts`): each row is a question, what its answer must hold
# and what it must not.
LATER_QUESTIONS = [
    pytest.param(
        # the answer holds the case's other figure ("商（协）会83个"); the part is told by the
        # sentence counting the act it asks ("共会诊法律问题2500余个"), so that one is added
        "桂林往商会派驻法官以后，一共会诊了多少个法律问题？这个案例是哪几家单位报上来的？",
        ("2500余个", "桂林市工商联"),
        (),
        id="counted-act",
    ),
    pytest.param(
        # the part's own answer opens with the sentence the answer holds ("已为90余家企业…"),
        # which fills its room; the sentence counting the act asked goes first instead
        "北海证照“三联办”以后，办事环节压缩了多少？已经给多少家企业办过？这个案例是哪个单位报送的？",
        ("环节压缩80%以上", "90余家", "北海市行政审批局"),
        (),
        id="counted-act-first",
    ),
    pytest.param(
        # "申报什么试点" is read as a list: its answer is a measure's eight electricity items,
        # while one sentence scores far above them all; that sentence alone is added
        "钦州到2024年底农村电网用户户均停电时间要降到几个小时以内？"
        "大用户用气贵，钦州准备组织企业去申报什么试点？这条牵头单位里电力方面是哪家？",
        ("10.33小时", "天然气大用户市场化改革试点", "钦州供电局"),
        ("加快线路防雷改造",),
        id="list-part-best-sentence",
    ),
    pytest.param(
        # the answer holds the case's "全流程耗时49天…"; the part asks the bound before the
        # reform ("至少要多少天"): "耗时至少半年（180天）" is added
        "百色“交地即交证即抵押即放款”推出来之前，企业从拿地到银行放款一般至少要多少天？"
        "那个工作实施方案是哪几家单位联合发的？",
        ("180天", "国家税务总局百色市税务局"),
        (),
        id="bound-asked",
    ),
    pytest.param(
        # a figure asked of each thing is told by its own answer's sentences: the 农网 row's
        # figure goes in after the 城网 row's (told already, taking none of its room)
        "玉林2023年城网和农网用户户均停电时间的目标各是多少小时？这事谁牵头？",
        ("6.42小时", "14.55小时", "自治区发展改革委"),
        (),
        id="each-thing",
    ),
    pytest.param(
        # the part's best sentence ("优化执行指挥机制…", 0.2 above) is its answer's third, and
        # a part adds its first pieces only: taken best first
        "钦州那个实施方案里，解决商业纠纷的时间要压到多少天内？"
        "执行上找人找财产难的问题打算靠什么解决？牵头单位是哪几个？",
        ("120天", "执行指挥机制", "市中级法院"),
        (),
        id="best-first",
    ),
    pytest.param(
        # the part's text holds the first question's words, so the answer's own sentence ranks
        # first for "保费具体怎么算的"; the premium's sentence, next, is added
        "河池给农民工工资上了保险之后，12345里欠薪类的诉求降了多少？"
        "到2024年12月有多少个工程项目投了这个保？保费具体怎么算的？",
        ("42.5%", "153个", "1.8%"),
        (),
        id="told-takes-no-room",
    ),
    pytest.param(
        # another case's "…坚持政银企对接制度…" scores 0.006 above the part's first, "…通过困难
        # 问题办理制度交办给相关部门…": noise, the part's own order stands
        "万州有家食品公司换智能设备要增容电压，原本得交20万左右，后来实际只收了多少？"
        "区里是靠什么制度把这事交给相关部门去办的？",
        ("2.6万元", "困难问题办理制度"),
        (),
        id="own-order-stands",
    ),
    pytest.param(
        # the answer's "个转企" sentence is the part's best and says what it asks (成长通道):
        # nothing is added (not the next case's sentence)
        "防城港划成“成长型”的个体户有多少户？对那些发展得好的，又打通了一条什么成长通道？",
        ("2.4万户", "个转企"),
        ("东兴市",),
        id="told-adds-nothing",
    ),
    pytest.param(
        # the answer cites the row; the row is not told again whole, but the which-city part's
        # own line of it is
        "全区新增高技能人才的任务，哪个市分得最多？柳州分到多少人？这项谁来抓？",
        ("南宁市1900人", "柳州市1600人", "自治区人力资源社会保障厅"),
        (),
        id="cited-row-line",
    ),
    pytest.param(
        # the field part names its place before pointing back ("钦州这条措施"): it is asked
        # with the first part's subject, read as 配合单位 (the words), and added — the answer's
        # task row has a 牵头单位 line, not the 配合单位 asked (probe_mw ym24)
        "线上线下招聘活动的场次，全区2023年定的是全年办多少场以上，钦州2024年又定了多少场以上？"
        "钦州这条措施配合的群团组织有哪几家？",
        ("5000场次", "370场次", "市总工会、市残联、市妇联"),
        (),
        id="pointed-field-part",
    ),
    pytest.param(
        # "按什么来算的" read as a figure (no word asks how much) was told by nothing; as a
        # way of doing, its sentence is added (probe_mv yl20)
        "钦州政府性融资担保，单户1000万以下的贷款担保费率封顶多少？给担保机构补资本金是按什么"
        "来算的？配合这条的有哪几家单位？",
        ("1%", "业务量", "市工商联"),
        (),
        id="how-part-no-figure",
    ),
    pytest.param(
        # the figure asked is the one before the reform: its sentence follows the 改革前 one
        # and says no 改革前 itself (probe_mu yk06 took the 改革后 sentence's figure)
        "南宁片区那个不用审就能直接拿许可证的改革，改之前企业拿许可一般要耗多长时间？"
        "这个案例是哪家单位报上来的？",
        ("两三个月到半年", "南宁市行政审批局"),
        ("一到两个工作日",),
        id="before-the-reform",
    ),
    pytest.param(
        # "这三张网分别叫什么" asks each of a counted few by name: a list part, told by the
        # case's three headings (probe_mv yl01 added one heading only)
        "自治区财政厅搞政采远程异地评审，2024年的评审量比头一年涨了多少？另外他们把采购信息化、"
        "监管和异地评标织成了三张网，这三张网分别叫什么？",
        ("586%", "“数字网”", "“监督网”", "“局域网”"),
        (),
        id="counted-few-named",
    ),
]


@pytest.mark.parametrize(("question", "held", "absent"), LATER_QUESTIONS)
def test_a_later_question_adds_what_the_answer_lacks(answerer, question, held, absent):
    text = answerer.ask(question).text
    assert all(x in text for x in held) and not any(x in text for x in absent)
