"""Lists and method steps beyond compose's rules (search.listing, search.method_steps): pure
functions on hand-made units, hits and candidates; no model."""

from __future__ import annotations

import numpy as np
import pytest

from index.types import Hit, Unit
from search.compose import Candidate, ListOption, choose_list, compose_list, sentence_items
from search.listing import (
    asked_nouns,
    asked_role,
    asked_runs,
    asks_shifts,
    colon_lists,
    coop_place_options,
    definition_parts,
    extra_options,
    fragment_runs,
    from_to_runs,
    label_sentences,
    lifted,
    named_as_asked,
    named_unit,
    noun_clauses,
    noun_closed_runs,
    quoted_closed_runs,
    run_in_role,
    shared_suffix,
    title_runs,
    unit_steps,
)
from search.method_steps import (
    asks_steps,
    named_scope,
    with_chain,
    with_named_step,
    with_sequence,
)
from tests.search.factories import make_hit as _hit
from tests.search.factories import make_unit


def _unit(uid: str, title: str, kind: str = "measure", **kw) -> Unit:
    return make_unit(uid, title=title, kind=kind, **kw)


def _case(title: str, sentences: list[str], sep: str = "") -> tuple[Hit, list[Candidate]]:
    """One case whose passage holds `sentences` (joined by `sep`), and its candidates."""
    hit = _hit(_unit("c#case1", title, kind="case"), sep.join(sentences))
    return hit, [Candidate(t, 0) for t in sentences]


def _sentence_option(text: str, hit: int = 0) -> ListOption:
    return ListOption(tuple((i, hit) for i in sentence_items(text)), text, text)


SORTS = "针对调研类、评价类、交流类、服务类、奖励类和采集类等积分类型，不断丰富信用积分活动。"
OTHER = "包括公开表扬、颁发证书、预约服务等，促进办税人员诚信办税。"


def test_a_task_row_s_city_governments_are_the_places_asked():
    """ "全区是在哪几个市先试点的": the row says only "在试点地区"; its 配合单位 (南宁、桂林、北海、
    贵港市人民政府) names the cities, an option of places (the places bonus lifts it)."""
    cities = ("南宁市人民政府", "桂林市人民政府", "北海市人民政府", "贵港市人民政府")
    row = _unit(
        "d#measure85",
        "提升登记财产便利度",
        coop_units=cities,
        coop_text="南宁、桂林、北海、贵港市人民政府",
    )
    mixed = _unit(
        "d#measure86", "别的任务", coop_units=("自治区财政厅", "南宁市人民政府", "柳州市人民政府")
    )
    told = "在试点地区，新建商品房项目实现“交房即交证”。"
    hits = [_hit(row, told), _hit(mixed, "别的任务的句子。", 2)]
    cands = [Candidate(told, 0), Candidate("别的任务的句子。", 1)]
    question = "新房交房当天就能拿到不动产证，全区是在哪几个市先试点的？"
    (option,) = coop_place_options(question, hits, cands)  # not the row of a department too
    assert [t for t, _ in option.items] == ["南宁市", "桂林市", "北海市", "贵港市"]
    assert option.sentence == told
    assert coop_place_options("这项改革由谁牵头？", hits, cands) == []
    other = _sentence_option("实现了“全程网办”“24小时不打烊”和“即时办结”等服务。")
    options = [other, option]
    assert choose_list(options, np.array([1.0, 0.97]), question) == 1


def test_a_run_of_from_to_clauses_is_the_shifts_asked():
    """ "办事格局发生了哪几个转变" → three 从…向… clauses of one sentence (no 、 joins them)."""
    told = (
        "办事格局从“见面办”向“掌上办”升级，从“时间更短”向“服务更优”转变，从“新”服务向“心”服务提升。"
    )
    question = "全区不动产登记改成网上办以后，办事格局发生了哪几个转变？"
    assert asks_shifts(question) and not asks_shifts("有哪几项措施？")
    assert asks_shifts("老百姓办登记的格局是从哪几方面往好里变的？")
    assert not asks_shifts("哪些部门变更了登记？")
    (option,) = from_to_runs(question, [Candidate(told, 0)])
    assert [t for t, _ in option.items] == [
        "从“见面办”向“掌上办”升级",
        "从“时间更短”向“服务更优”转变",
        "从“新”服务向“心”服务提升",
    ]
    assert option.found_as == "shift"
    (plain,) = from_to_runs("这项改革有哪些成效？", [Candidate(told, 0)])
    assert plain.found_as == ""  # a run, but not what is asked by name
    two = "从“见面办”向“掌上办”升级，从“时间更短”向“服务更优”转变。"
    assert from_to_runs(question, [Candidate(two, 0)]) == []  # two clauses make no run
    # The run answers confidently, told as its sentence, over a better-scored list.
    other = _sentence_option("实现了“全程网办”“24小时不打烊”和“即时办结”等服务。")
    options = [other, option]
    scores = lifted(
        question, options, np.array([1.10, 1.05]), [Candidate(told, 0)], np.zeros(1), []
    )
    assert choose_list(options, scores, question) == 1
    hits = [_hit(_unit("c#case1", "不动产登记改革", kind="case"), told)]
    composed = compose_list(options, scores, False, question=question, hits=hits)
    assert composed.confident and composed.picked[0][0] == told


def test_shared_suffix_is_the_common_ending_in_chinese_characters():
    assert shared_suffix(["机制统一", "事项统一", "窗口统一"]) == "统一"
    assert shared_suffix(["调研类", "评价类"]) == "类"
    assert shared_suffix(["公开表扬", "颁发证书"]) == ""
    assert shared_suffix(["甲1", "乙1"]) == ""  # a digit is not a word


def test_a_run_is_named_as_asked_by_the_counter_or_a_word_after_the_slot():
    """ "分成哪几类" → items ending in 类 (the closing "奖励类和采集类等积分类型" split); "在哪几个
    方面做到了统一" → items ending in 统一; a word of the question before the slot (跨省通办)
    is its topic, not what is asked of the items."""
    question = "积分活动分成哪几类？"
    assert named_as_asked(_sentence_option(SORTS), question)
    assert not named_as_asked(_sentence_option(OTHER), question)
    unified = "是融合提升，在机制统一、事项统一、窗口统一、人员统一等方面夯实了基础。"
    option = asked_runs("“全省通办”先在哪几个方面做到了统一？", [Candidate(unified, 0)])
    assert option == []  # the first run is sentence_items' own; only later runs are added
    later = "是线上“一网通办”、线下“一窗通办”“最多跑一次”的融合提升，" + unified[5:]
    runs = asked_runs("“全省通办”先在哪几个方面做到了统一？", [Candidate(later, 0)])
    assert [t for t, _ in runs[0].items][1:3] == ["事项统一", "窗口统一"]
    topic = "探索出“协作通办”、省市“点对点通办”、“在线通办”、“跨省通办”等模式。"
    assert asked_runs("推跨省通办之前在哪几个方面统一？", [Candidate(topic, 0)]) == []
    # A later clause's word is not what is asked of the items: "满足哪些硬件条件，才能去申请许可"
    # asks for conditions, not the 许可 a sentence lists.
    licences = (
        "第一批纳入的涉企经营许可有13项，涉及旅行社设立许可、人力资源服务许可、公共场所卫生许可等。"
    )
    assert named_as_asked(_sentence_option(licences), "首批能申请哪些许可？")
    assert not named_as_asked(
        _sentence_option(licences), "企业还得先满足哪些硬件条件，才能去申请许可？"
    )


def test_items_told_as_clauses_ending_in_the_noun_asked_are_a_list():
    """ "要上哪几个系统或平台" → the clauses that each name a 系统 or 平台 (a verb and the thing
    named, no 、 between them), chosen over a run of 、 that scores better but names none."""
    told = (
        "拓展“单一窗口”服务功能，推广应用公路舱单协同系统，建设航空物流公共信息平台，"
        "创新建设海上互市业务协同系统，提升企业通关信息化水平。"
    )
    question = "为了提升口岸通关的信息化水平，要上哪几个系统或平台？"
    assert asked_nouns(question) == ("系统", "平台")
    # Joined by 、 as the documents join them (fresh74 yr12): either names an item too.
    assert asked_nouns("准备新推广或新建哪几个系统、平台？") == ("系统", "平台")
    (option,) = noun_clauses(question, [Candidate(told, 0)])
    assert [t for t, _ in option.items] == [
        "推广应用公路舱单协同系统",
        "建设航空物流公共信息平台",
        "创新建设海上互市业务协同系统",
    ]
    assert noun_clauses("有哪几项措施？", [Candidate(told, 0)]) == []  # 措施: no clause names one
    counted = "落实涉企经营许可事项改革清单96项，承诺制清单327项，“网上办”负面清单42项，压缩时限。"
    (lists,) = noun_clauses("落实了哪几张清单？", [Candidate(counted, 0)])  # noun, then its count
    assert [t for t, _ in lists.items][1] == "承诺制清单327项" and lists.count == 3
    run = _sentence_option("落实降低运输、仓储、报关等物流成本措施，推动重点环节降费。")
    options = [run, option]
    cands = [Candidate(told, 0)]
    scores = lifted(question, options, np.array([1.0, 0.98]), cands, np.zeros(1), [])
    assert choose_list(options, scores, question) == 1


def test_a_later_run_closed_by_the_phrase_asked_is_offered():
    """ "受理的高频事项包括哪些" → the sentence's second run, closed by 等高频事项; a run closed by
    the bare noun of another list (…等方式执法 for "非强制性执法方式") is not."""
    text = (
        "罗甸县在江苏、浙江、广东设立劳务协作站，解决了外出务工人员转诊就医、医疗报销、"
        "子女转学、户籍迁移、个体户注销等高频事项的办理问题。"
    )
    (run,) = asked_runs("罗甸县劳务协作站受理的高频事项具体包括哪些？", [Candidate(text, 0)])
    assert [t for t, _ in run.items][1:4] == ["医疗报销", "子女转学", "户籍迁移"]
    other = "对新技术、新产业、新业态市场主体，优先采取教育提醒、劝导示范、警示告诫等方式执法。"
    assert asked_runs("非强制性执法方式有哪几种？", [Candidate(other, 0)]) == []


def test_the_run_named_as_asked_is_chosen_over_a_better_scoring_one():
    question = "积分活动分成哪几类？"
    options = [_sentence_option(OTHER), _sentence_option(SORTS)]
    scores = lifted(question, options, np.array([1.08, 1.05]), [], np.zeros(0), [])
    assert choose_list(options, scores, question) == 1


def test_a_list_cut_at_its_colon_is_told_from_the_colon():
    """ "检查内容包括：通过不合理条件限定供应商；" is a candidate of its own; the "；" run that
    starts with it is told as what the colon introduces, and scores as that sentence."""
    cut = "要求各单位开展自查，检查内容包括：通过不合理条件限定供应商；"
    run = ListOption(
        (("要求各单位开展自查", 0), ("实行差别待遇", 0), ("违规设立备选库", 0)),
        "开展行动：要求各单位开展自查；实行差别待遇；违规设立备选库",
        head="开展行动",
        clauses=True,
    )
    [told] = colon_lists([run], [Candidate(cut, 0)])
    assert [t for t, _ in told.items] == [
        "通过不合理条件限定供应商",
        "实行差别待遇",
        "违规设立备选库",
    ]
    # The colon names the run a list: no label need ask for it, as a bare heading's clauses.
    assert told.head == "要求各单位开展自查，检查内容包括" and not told.clauses
    scores = lifted(
        "自查内容包括什么？",
        [run, told],
        np.array([1.14, 1.0]),
        [Candidate(cut, 0)],
        np.array([1.28]),
        [],
    )
    assert scores[1] > 1.28 > scores[0]
    # A run whose heading scores above the cut sentence: the colon's list keeps that score.
    scores = lifted(
        "都要查哪些情形？",
        [run, told],
        np.array([1.16, 1.0]),
        [Candidate(cut, 0)],
        np.array([1.0]),
        [],
    )
    assert scores[1] >= 1.16 and scores[0] == -np.inf  # the run it retells gives way
    question = "贵港让各预算单位自己查查有没有妨碍公平竞争的做法，都要查哪些情形？"
    assert choose_list([run, told], scores, question) == 1
    plain = Candidate("要求各单位开展自查，各级财政部门进行核查。", 0)
    assert colon_lists([run], [plain]) == []


def test_titles_in_a_row_are_the_documents_asked():
    sentence = (
        "牵头制定《推进专利转化运用工作实施方案》《关于开展专精特新工作的通知》"
        "《关于推进重点产业强链增效实施方案》等政策制度，激励创新主体开展专利转化运用。"
    )
    question = "自治区市场监管局为了推专利转化，牵头出台了哪几份政策文件？"
    assert asked_nouns(question) == ("政策文件",)
    [option] = title_runs(question, [Candidate(sentence, 0)])
    assert [t for t, _ in option.items] == [
        "《推进专利转化运用工作实施方案》",
        "《关于开展专精特新工作的通知》",
        "《关于推进重点产业强链增效实施方案》",
    ]
    assert option.found_as == "noun"  # lifted as named by the noun asked
    assert title_runs("牵头出台了哪几项措施？", [Candidate(sentence, 0)]) == []
    two = Candidate("印发《甲方案》《乙办法》。", 0)  # two titles are no run of the kind
    assert title_runs(question, [two]) == []
    closed = Candidate(
        "印发《甲方案》《乙办法》等监管制度，织密制度笼子。", 0
    )  # unless 等 closes them
    [option] = title_runs(question, [closed])
    assert [t for t, _ in option.items] == ["《甲方案》", "《乙办法》"]


def test_the_sentence_that_spells_out_a_quoted_numbered_label_is_a_list():
    sentence = "优化空间布局，构建“一园三区”发展模式，以公共实训基地为核心园，分设北部园区、柳东园区，三个园区特色定位。"
    assert definition_parts(sentence.split("”", 1)[1]) == [
        "以公共实训基地为核心园",
        "分设北部园区",
        "柳东园区",
    ]
    [option] = label_sentences("说的“一园三区”，指的是哪三个园区？", [Candidate(sentence, 0)])
    assert option.sentence == sentence and option.count == 3
    heading = "健全“三个体系”。"  # the label with nothing after it defines nothing
    assert label_sentences("“三个体系”是哪三个？", [Candidate(heading, 0)]) == []
    assert label_sentences("有哪些园区？", [Candidate(sentence, 0)]) == []  # no label quoted


def test_the_task_named_word_for_word_gives_its_steps():
    """ "法院提升审判质量效率那条任务，具体有哪几项措施？" → the row 提升审判质量效率, its one
    sentence's clauses; the longest title named wins; a case is no task."""
    row = _unit("r#m1", "提升审判质量效率")
    area = _unit("r#m2", "解决商业纠纷")
    text = "加强案件流程节点管控，严格审限变更，落实诉前调解、示范裁判制度，建立案件回访制度。"
    hits = [_hit(area, "在法院提供查询服务。提升审判质量效率。"), _hit(row, text, 2)]
    question = "法院提升审判质量效率那条任务，具体有哪几项措施？"
    assert named_unit(question, hits) == 1
    assert named_unit("审判质量怎么提升？", hits) is None
    case = _unit("c#case1", "提升审判质量效率", kind="case")
    assert named_unit(question, [_hit(case, text)]) is None
    assert unit_steps(text) == [
        "加强案件流程节点管控",
        "严格审限变更",
        "落实诉前调解、示范裁判制度",
        "建立案件回访制度",
    ]
    assert unit_steps("一是甲。二是乙。牵头单位：某厅。") == ["一是甲", "二是乙"]
    [option] = extra_options(question, hits, [], [], lambda hit: hit.passage.text)
    assert option.head == "提升审判质量效率" and option.count == 4
    scores = lifted(question, [option], np.array([1.0]), [], np.zeros(0), hits)
    assert scores[0] > 1.1


def test_a_method_question_naming_a_task_is_told_from_that_task():
    task = _unit("r#m1", "压缩出口退税办理时间")
    case = _unit("c#case1", "崇左市税务局优化边贸税收营商环境", kind="case")
    hits = [
        _hit(case, "退税时间压缩至3个工作日。"),
        _hit(task, "实行申报无纸化。牵头单位：税务局", 2),
    ]
    cands = [
        Candidate("退税时间压缩至3个工作日。", 0),
        Candidate("实行申报无纸化。", 1),
        Candidate("牵头单位：税务局", 1),
    ]
    assert named_scope("全区要压缩出口退税办理时间，税务局怎么做？", hits, cands) == [1]
    assert named_scope("出口退税怎么办得更快？", hits, cands) == []


def test_the_step_whose_heading_names_what_is_asked_is_told():
    sentences = [
        "近年来，北海市以联合惩戒为抓手，建立信用监管体系。",
        "二是强化履约监管。",
        "不定期检查供应商履约诚信情况。",
        "三是依法实施政采联合惩戒、架起失信惩治高压线。",
        "打通信用信息壁垒，建立失信数据库。",
        "截至2024年，无失信处罚记录。",
    ]
    hit, cands = _case("北海市织密信用体系网", sentences)
    scores = np.array([1.25, 1.0, 1.09, 1.04, 1.06, 1.06], dtype=np.float32)
    out = with_named_step([hit], cands, scores, "北海是怎么搞联合惩戒的？")
    assert out[4] > out[2] and out[4] < out[0]  # the step's body, not its result
    assert out[5] == scores[5]
    # The case title's words name every step: no step is singled out.
    titled = _hit(_unit("c#case2", "北海市联合惩戒打造阳光政采", kind="case"), "".join(sentences))
    same = with_named_step([titled], cands, scores, "北海是怎么搞联合惩戒的？")
    assert same.tolist() == scores.tolist()


def test_a_procedure_is_told_in_its_paragraph_order():
    sentences = [
        "工作人员主动与企业联系。",
        "经同意后，采集许可证照面信息。",
        "设置现场领取和邮递寄送两种方式。",
    ]
    hit, cands = _case("免审即得", sentences)
    scores = np.array([1.15, 0.9, 0.95], dtype=np.float32)
    assert asks_steps("从告知到拿证分几步走？") and not asks_steps("怎么做的？")
    out = with_sequence([hit], cands, scores, "从告知到拿证分几步走？")
    assert out[0] > out[1] > out[2] > 1.1
    assert with_sequence([hit], cands, scores, "怎么做的？").tolist() == scores.tolist()


def test_a_question_that_asks_how_twice_is_told_from_where_its_first_part_is_answered():
    """ "…是怎么让企业知道自己能享受这个政策的，证怎么领？": a procedure, told in order from the
    sentence that best answers its first part (not the best sentence overall, a sentence of
    another paragraph on collecting the licence with the business licence)."""
    from search.method_steps import asks_how_twice

    question = "南宁“免审即得”是怎么让企业知道自己能享受这个政策的，证怎么领？"
    assert asks_how_twice(question) and asks_steps(question)
    assert not asks_how_twice("南宁“免审即得”是怎么做的？")
    sentences = [
        "签署承诺书即可在领取营业执照的同时领取许可证。",
        "工作人员主动与企业联系。",
        "经同意后，采集许可证照面信息。",
        "设置现场领取和邮递寄送两种方式。",
    ]
    hit, cands = _case("免审即得", sentences, "\n")
    scores = np.array([1.2, 1.1, 0.9, 0.95], dtype=np.float32)
    start = np.array([1.0, 1.15, 0.95, 0.9], dtype=np.float32)
    # each sentence its own paragraph: the first part's sentence alone is lifted
    out = with_sequence([hit], cands, scores, question, start)
    assert out[0] > out[1] > 1.19 and out[2] == scores[2] and out[3] == scores[3]
    hit = _hit(
        _unit("c#case1", "免审即得", kind="case"), sentences[0] + "\n" + "".join(sentences[1:])
    )
    out = with_sequence([hit], cands, scores, question, start)
    assert out[0] > out[1] > out[2] > out[3] > 1.19


def test_a_paragraph_heading_that_names_what_is_asked_is_told():
    """ "热线是怎么做到问题闭环管理的" → the paragraph headed "创新全流程闭环管理模式。" (short,
    first in its paragraph, unnumbered): its sentence scores just below the best one."""
    from search.method_steps import is_heading

    text = "依托热线构建响应处置机制。\n创新全流程闭环管理模式。落实首问负责、限时办结制度。"
    hit = _hit(_unit("c#case1", "构建经营主体反映问题响应处置工作机制", kind="case"), text)
    cands = [
        Candidate("依托热线构建响应处置机制。", 0),
        Candidate("创新全流程闭环管理模式。", 0),
        Candidate("落实首问负责、限时办结制度。", 0),
    ]
    assert is_heading(hit, cands[1].text) and not is_heading(hit, cands[0].text)
    assert not is_heading(hit, cands[2].text)  # mid-paragraph
    scores = np.array([1.11, 1.03, 1.0], dtype=np.float32)
    out = with_named_step([hit], cands, scores, "热线是怎么做到问题闭环管理的？")
    assert 1.1 < out[2] < out[0]


def test_a_question_naming_a_task_row_is_not_the_selectors():
    from search.method_steps import names_task_row

    row = _unit("r#m146", "优化在线帮办服务", number="146", deadline="2023年12月31日")
    heading = _unit("r#m7", "优化在线帮办服务")  # a plan's heading: no row number or deadline
    question = "优化在线帮办服务这条任务具体要怎么落实？"
    assert names_task_row(question, [_hit(row, "推进政务服务精准对接。")])
    assert not names_task_row(question, [_hit(heading, "推进政务服务精准对接。")])
    assert not names_task_row("帮办服务怎么做？", [_hit(row, "推进政务服务精准对接。")])


def test_a_title_inside_a_longer_one_the_question_names_is_not_named():
    """ "钦州纳税服务标杆这条措施…" names 树立纳税服务标杆 in part, not the heading 纳税服务."""
    heading = _hit(_unit("r#m1", "纳税服务"), "压缩出口退税办理时间。")
    task = _hit(_unit("r#m2", "树立纳税服务标杆"), "上线推广电子发票。", 2)
    assert named_unit("钦州纳税服务标杆这条措施要哪些单位配合？", [heading, task]) is None
    assert named_unit("纳税服务方面部署了啥？", [heading, task]) == 0


def test_a_list_of_the_items_asked_needs_no_figure():
    from search.listing import asks_number

    assert not asks_number("积分活动分成哪几类？")
    assert not asks_number("都部署了啥？")
    assert asks_number("一共有多少项？") and asks_number("分成几类？")


def test_a_run_closed_by_the_noun_asked_is_named_as_asked():
    """ "…是哪几个营商环境指标": "政府采购、…、政务服务等指标成为全区标杆…" names its items by the
    noun asked and beats the better scoring "五大环境" sentence of the same goal."""
    from search.listing import closed_as_asked

    question = "钦州实施方案点名要做成全区标杆的是哪几个营商环境指标？"
    goal = (
        "政府采购、招标投标、跨境贸易、纳税、执行合同、政务服务等指标成为全区标杆，进一步提升水平。"
    )
    five = "聚焦优化政务环境、要素环境、法治环境、市场环境、创新环境“五大环境”，持续开展攻坚突破，"
    options = [_sentence_option(five), _sentence_option(goal)]
    assert closed_as_asked(options[1], question)
    assert not closed_as_asked(options[0], question)
    assert not closed_as_asked(_sentence_option("纳税、执行合同等指标。"), question)  # two items
    scores = lifted(question, options, np.array([1.057, 1.039]), [], np.zeros(0), [])
    assert choose_list(options, scores, question) == 1


def test_a_run_counted_by_the_noun_asked_is_the_list_asked_and_sure():
    """ "惠企政策兑现分成哪几种方式": "…分类为免申即享类、即申即享类和快审快兑类三种兑现方式"
    counts its run by the noun asked (a word between the counter and the noun): it beats a
    run closed by "…等方式" of another topic, and is sure whatever its score."""
    from search.compose import compose_list, counts_run_as_asked
    from search.listing import closed_as_asked

    question = "广西惠企政策兑现分成哪几种方式？"
    sorted_ = "将惠企政策分类为免申即享类、即申即享类和快审快兑类三种兑现方式。"
    other = "通过广西政府采购网、微信公众号、赠送制度汇编书籍等方式，宣传政策措施与成效。"
    sorts = tuple((item, 0) for item in ("免申即享类", "即申即享类", "快审快兑类"))
    options = [ListOption(sorts, sorted_, sorted_), _sentence_option(other)]
    assert counts_run_as_asked(options[0], question) and closed_as_asked(options[0], question)
    assert not counts_run_as_asked(options[1], question)
    assert not counts_run_as_asked(options[0], "惠企政策有哪几类措施？")  # another noun
    scores = lifted(question, options, np.array([1.099, 0.963]), [], np.zeros(0), [])
    out = compose_list(options, scores, False, question=question)
    assert out.picked[0][0] == sorted_ and out.confident


CHAIN = (
    "北海市紧扣政府采购事前、事中、事后关键环节，以“信用评价+履约监管+联合惩戒+结果运用”为抓手，"
    "建立全链条信用监管体系。"
)
SIDE = "将信用信息运用到保证金缴纳、资金支付、合同融资等环节，累计减免保证金1.6亿元。"


def test_the_noun_a_question_names_its_list_by():
    assert asked_role("北海的信用监管，抓手包括哪几个环节？") == "抓手"
    assert asked_role("以前头疼的问题有哪些？") == "问题"
    assert asked_role("关于政务服务有哪些措施？") == ""  # a topic's last word, not the list
    assert asked_role("主要内容有哪些？") == ""  # generic
    assert asked_role("有哪些做法？") == ""
    assert asked_role("把个体工商户分成哪几种类型？") == ""  # what is sorted, not the list
    assert asked_role("防城港有哪些做法？") == ""  # a place
    # The noun after 有什么 at the end names the list, as the word before 有哪些 does.
    assert asked_role("企业提的问题在答复上有什么要求？") == "要求"
    assert asked_role("有什么内容？") == ""  # generic
    four = _sentence_option("明确“四答”工作要求，即有题必答；应声作答；同题共答；权威解答。")
    assert run_in_role(four, "企业提的问题在答复上有什么要求？")


def test_a_run_named_by_the_questions_name_for_the_list_is_lifted_over_one_that_counts():
    """ "抓手包括哪几个环节": 以“…+…+…+…”为抓手 is the list, not a run that ends in 等环节."""
    question = "北海打造“阳光政采”的信用监管，抓手包括哪几个环节？"
    chain, side = _sentence_option(CHAIN), _sentence_option(SIDE)
    assert [i for i, _ in chain.items] == ["信用评价", "履约监管", "联合惩戒", "结果运用"]
    assert run_in_role(chain, question)
    assert not run_in_role(side, question)
    assert not run_in_role(chain, "北海的信用监管包括哪几个环节？")  # no name for the list
    before = _sentence_option("监管抓手包括信用评价、履约监管、联合惩戒。")
    assert run_in_role(before, question)
    scores = lifted(question, [side, chain], np.array([1.0, 1.0]), [], np.zeros(0), [])
    assert scores[1] > scores[0]


def test_more_of_case_adds_steps_of_the_best_case_before_other_sentences():
    from search.method_steps import more_of_case

    hit, cands = _case(
        "深圳：破解订单融资难",
        [
            "记者日前获悉，深圳大力破解中小企业融资难。",
            "截至目前，累计融资金额超18亿元。",
            "今年以来，市财政局全力破解融资难。",
            "据介绍，企业反响良好。",
            "首先是推出无抵押、纯信用贷款。",
            "配合单位：市财政局。",
        ],
    )
    other = _hit(_unit("c#case2", "台州：政采贷", kind="case"), "建立政采贷平台。", rank=2)
    cands.append(Candidate("建立政采贷平台。", 1))
    scores = np.array([1.25, 1.24, 1.20, 1.15, 1.14, 1.2, 1.23])
    added = more_of_case([hit, other], cands, scores, skip=3, margin=0.15, limit=2)
    # The step of the same case first, then its best other sentence; the other case's
    # sentence and the field column are never added.
    assert added == [
        ("首先是推出无抵押、纯信用贷款。", 0),
        ("今年以来，市财政局全力破解融资难。", 0),
    ]
    assert more_of_case([hit, other], cands, scores, skip=3, margin=0.04, limit=2) == []
    assert more_of_case([hit], [], np.array([]), skip=3, margin=0.15) == []


def test_a_procedure_asked_step_by_step_opens_with_the_sentence_naming_its_steps():
    """ "企业提的难题后面是怎么一步步落实的？" → the sentence that names the procedure by its steps
    (收集—筛分—办理—反馈), when it scores near the best; not for a question asking no steps."""
    cands = [
        Candidate("坚持以学促干，聚焦实体经济发展痛点难点问题。", 0),
        Candidate("一是构建问题“收集—筛分—办理—反馈”闭环工作机制。", 0),
    ]
    scores = np.array([1.08, 0.97])
    asked = "企业提的难题后面是怎么一步步落实的？"
    assert asks_steps(asked)
    assert int(np.argmax(with_chain(cands, scores, asked))) == 1
    assert int(np.argmax(with_chain(cands, scores, "调研服务有什么成效？"))) == 0
    assert int(np.argmax(with_chain(cands, np.array([1.2, 0.97]), asked))) == 0  # too far below


def test_the_run_right_after_a_short_best_sentence_scores_as_that_sentence():
    """ "成立经营主体反映问题响应处置工作小组。" is the best sentence for "…工作小组，具体要管哪几
    方面的事？" and lists nothing; the next sentence's run (统筹协调、指挥调度…) tells what the
    group does, so it scores as the best sentence (fresh44 i27 answered another sentence's
    run). A long best sentence tells its own story: the run after it is not lifted."""
    import numpy as np

    from search.compose import Candidate
    from search.listing import after_best

    lead = "在自治区优化营商环境工作领导小组机制框架下，成立经营主体反映问题响应处置工作小组。"
    run = "对响应处置工作进行统筹协调、指挥调度、监督考核、监测预测、分析研判和综合评价。"
    other = "归并13条热线渠道，整合3个服务平台相关功能，汇集14个部门接收的问题信息。"
    cands = [Candidate(lead, 0), Candidate(run, 0), Candidate(other, 1)]
    scores = np.array([1.12, 1.03, 1.07])
    assert after_best(cands, scores, {run, other}) == (run, 1.12)
    assert after_best(cands, scores, {other}) is None  # the next sentence lists nothing
    story = "驻马店市城市管理局窗口审批工作以“学党史、践初心”为载体，强化放管服各项措施，" * 2
    assert after_best([Candidate(story, 0), *cands[1:]], scores, {run, other}) is None
    apart = [Candidate(lead, 0), Candidate(run, 1)]  # the next one is another passage's
    assert after_best(apart, scores[:2], {run}) is None


def test_a_long_last_item_clipped_before_its_close_is_closed_as_asked():
    """ "揭出了天津在哪几方面的问题": the second run of the sentence ends "…电子证照应用推广和行业
    协会商会脱钩等方面的问题"; its last item is clipped before 等 (`compose.ENUM`), so the close
    is read past the item. The run stands where the question asks (`asked_runs`)."""
    from search.compose import list_noun
    from search.listing import asked_runs, closed_as_asked, run_close

    question = "天津审计局在跟营商环境有关的审计里，揭出了天津在哪几方面的问题？"
    assert list_noun(question) == "问题"  # not 面的问题 (方 read as a counter)
    assert list_noun("响应处置工作小组具体要管哪几方面的事？") == ""  # 方面 alone: generic
    sentence = (
        "围绕优化营商环境领导体系、构建新型亲清政商关系、服务指标评估标准等情况，聚焦在国家营商"
        "环境评价中我市排名相对靠后的事项进行重点突破，揭示反映我市在企业开办便利度、用水报装环节、"
        "电子证照应用推广和行业协会商会脱钩等方面的问题。"
    )
    runs = asked_runs(question, [Candidate(sentence, 0)])
    assert len(runs) == 1 and runs[0].items[0][0].endswith("企业开办便利度")
    assert closed_as_asked(runs[0], question)
    # An item that holds its 等 is its own close ("…数据共享交换平台等各类平" stays as read).
    platforms = _sentence_option(
        "实现政府采购平台与预算管理一体化系统、中征平台、数据共享交换平台等各类平台的共享。"
    )
    assert run_close(platforms) == platforms.items[-1][0]


def test_a_run_joined_by_he_right_after_the_verb_asked_is_a_list():
    """ "两家医院之间共享了哪些东西" → "双方共享技术优势、科研平台和管理经验": three items with one
    、 (no `compose.ENUM` run) after the question's own verb; found as "verb" and lifted."""
    from search.listing import asked_verb, verb_runs

    question = "东兴人民医院挂上分院的牌子以后，两家医院之间共享了哪些东西？"
    assert asked_verb(question) == "共享"
    assert asked_verb("全区有哪些措施？") == ""  # 有 is no verb of two characters
    told = "东兴市人民医院正式成为分院，双方共享技术优势、科研平台和管理经验，推动双边一体化建设。"
    other = "开辟跨国救治转运通道，延伸服务半径，提升技术、科研和管理水平。"
    runs = verb_runs(question, [Candidate(other, 0), Candidate(told, 1)])
    assert [t for t, _ in runs[0].items] == ["技术优势", "科研平台", "管理经验"]
    assert len(runs) == 1 and runs[0].found_as == "verb" and runs[0].hit == 1
    scores = lifted(question, runs, np.array([1.0]), [], np.zeros(0), [])
    assert scores[0] > 1.0


def test_the_noun_a_list_question_ends_with_is_the_items_noun():
    from search.compose import list_noun

    assert list_noun("重庆反垄断执法重点盯了哪些跟老百姓生活相关的领域？") == "领域"
    assert list_noun("海铁联运信息共享要打通哪几方的信息系统？") == ""  # whose systems


def test_no_verb_run_when_the_question_names_the_items():
    from search.listing import asked_verb

    assert asked_verb("具体整合了哪些业务的自助功能？") == ""  # the items are named: 业务
    assert asked_verb("说要实现哪几种“省”着办？") == ""


def test_the_tasks_of_the_indicator_named_are_chosen_over_a_better_scoring_sentence():
    """ "全区政务服务方面有哪些任务": 全区 lifts a case's sentence about 全区's hotline above the
    indicator's tasks; the tasks of 指标：政务服务, named word for word, are the list asked."""
    question = "全区政务服务方面有哪些任务？"
    tasks = ("进一步提升政务服务大厅服务效能", "优化在线帮办服务", "推进政务服务标准化")
    group = ListOption(
        tuple((t, n) for n, t in enumerate(tasks)),
        "；".join(tasks),
        head="指标：政务服务",
        whole=True,
    )
    hotline = (
        "依托全区12345政务服务便民热线和各级政务服务中心、各级政务大厅、服务站点等，构建机制。"
    )
    options = [_sentence_option(hotline), group]
    scores = lifted(question, options, np.array([1.214, 1.082]), [], np.zeros(0), [])
    assert choose_list(options, scores, question) == 1


def test_a_run_closed_by_the_noun_asked_is_a_list_of_three():
    """ "…按哪几种方式来改的" → "通过取消、改为备案或告知承诺等方式": three items with one 、 and
    a 或 (no run `compose.ENUM` reads), closed by 等 and the noun asked; the means (通过) is
    not part of the first item. A run closed by another noun is not offered."""
    told = (
        "分类改革涉企行政审批事项，通过取消、改为备案或告知承诺等方式，破解“办照容易办证难”等问题。"
    )
    question = "广州海珠区推“照后减证”，那些涉企审批事项是按哪几种方式来改的？"
    (option,) = noun_closed_runs(question, [Candidate(told, 2)])
    assert [t for t, _ in option.items] == ["取消", "改为备案", "告知承诺"]
    assert option.sentence == told and option.hit == 2
    assert noun_closed_runs("有哪几类问题？", [Candidate(told, 2)]) == []  # closed by 方式
    joined = "推动医院、学校和社区等单位共享场地。"
    (units,) = noun_closed_runs("哪几类单位共享了场地？", [Candidate(joined, 0)])
    assert [t for t, _ in units.items] == ["推动医院", "学校", "社区"]
    assert noun_closed_runs("有哪几种方式？", [Candidate("采用线上、线下两种方式。", 0)]) == []


def test_a_run_closed_by_a_generic_noun_competes_on_its_score_alone():
    """The closing noun is often generic (等信息): "…地籍图等信息可视化查询" scores no bonus over
    the run "要在线核验哪些信息" asks for, which is closed by no 等."""
    question = "不动产登记信息共享要在线核验哪些信息？"
    closed_text = "实现全区不动产登记自然状况、权利限制状况和地籍图等信息可视化查询。"
    (closed,) = noun_closed_runs(question, [Candidate(closed_text, 1)])
    asked_text = "推动全区户籍人口信息、死亡证明信息、法律文书及律师身份信息在线核验。"
    asked = _sentence_option(asked_text)
    options = [closed, asked]
    cands = [Candidate(closed_text, 1), Candidate(asked_text, 0)]
    scores = lifted(question, options, np.array([1.09, 1.19]), cands, np.zeros(2), [])
    assert scores.tolist() == pytest.approx([1.09, 1.19])
    assert choose_list(options, scores, question) == 1


def test_a_run_closed_by_what_the_items_are_said_to_have_is_the_list_asked():
    """ "哪些部门和行业的自助服务功能" → "…、银行等自助服务功能": the run is closed by what the
    question says the items have, so it counts as asked like "…等行业或领域" counts 行业
    (which, without it, won on the bonus alone)."""
    question = "全区打算把哪些部门和行业的自助服务功能整合到一台自助终端上？"
    kiosks = _sentence_option(
        "优化整合公安、税务、不动产、公积金、社保、医保、水电气、银行等自助服务功能,"
        "推动更多集成式自助服务终端向乡、村、园区等场所延伸。"
    )
    farms = _sentence_option("已扩围至水果种植、六堡茶生产、农村土地租赁等行业或领域。", hit=1)
    assert choose_list([kiosks, farms], np.array([1.13, 1.06]), question) == 0


def test_a_run_over_the_range_asked_is_the_list_asked():
    """ "从市到村分了哪几级": the run whose first item holds 市 and last 村 is the list asked,
    not the case's "…等九个模块组成" that counts its own items and scores better."""
    from search.compose import spans_range

    question = "玉林线下那套公共法律服务实体平台，从市到村分了哪几级？"
    levels = _sentence_option(
        "目前，全市建成市级公共法律服务中心1个、县公共法律服务中心7个、镇街公共法律服务站"
        "107个、村（社区）公共法律服务工作室1504个，线上平台+实体平台实现互联互通。"
    )
    modules = _sentence_option(
        "云超市由法律咨询、便民查询、法治宣传、法律援助、纠纷调解等九个模块组成。", hit=1
    )
    assert spans_range(levels, question) and not spans_range(modules, question)
    assert choose_list([levels, modules], np.array([1.07, 1.08]), question) == 0
    assert not spans_range(levels, "玉林的公共法律服务平台分了哪几级？")  # no range named


def test_a_run_of_parts_named_by_the_noun_asked_is_a_list():
    """ "统一开发了哪几个系统和平台" → the four systems of one clause, joined by 、 and 和 with
    quoted names inside (no run `compose.ENUM` reads); one part may be named otherwise (…平台
    when 系统 alone is asked), two may not."""
    from search.listing import noun_runs

    told = (
        "统一开发应用广西不动产登记信息管理系统、不动产登记“最多跑一次”网上服务平台、"
        "不动产登记智能审批系统和“全区通办”系统，推进三级平台的全区统一。"
    )
    (option,) = noun_runs("自治区统一开发了哪几个系统和平台？", [Candidate(told, 1)])
    assert option.count == 4 and option.items[3] == ("“全区通办”系统", 1)
    assert option.sentence == told and option.found_as == "noun"
    assert len(noun_runs("统一开发用起来的都有哪几个系统？", [Candidate(told, 1)])) == 1
    assert noun_runs("有哪几个中心？", [Candidate(told, 1)]) == []
    mixed = "建设政务服务中心、便民服务站和网上平台。"
    assert noun_runs("建了哪几个中心？", [Candidate(mixed, 0)]) == []  # one of three named


def test_names_quoted_one_after_another_are_a_list():
    """ "线上和线下分别实行的是哪几种办法" → "实行线上“一区通办”，线下“一号直达”、“一窗受理”": three
    quoted names a few characters apart, which no run of 、 reads, are the items; names far
    apart, or a run of 、 the sentence's items read already, are not offered."""
    from search.listing import quoted_runs

    told = (
        "明确“向谁说、谁来办”，实行线上“一区通办”，线下“一号直达”、“一窗受理”，线上线下融合贯通；"
    )
    (option,) = quoted_runs([Candidate(told, 3)])
    assert [t for t, _ in option.items] == ["一区通办", "一号直达", "一窗受理"]
    assert option.sentence == told and option.hit == 3
    apart = "推行“一区通办”，各地还建立了工作专席，“一号直达”由热线承接，“一窗受理”在大厅。"
    assert quoted_runs([Candidate(apart, 0)]) == []
    joined = "落实“首问负责”、“限时办结”、“回访评价”等制度。"
    assert quoted_runs([Candidate(joined, 0)]) == []


def test_names_sharing_a_quoted_word_are_the_items_asked():
    """ "提了好几个带“零”的目标，分别是哪几个": the headings of the case that each quote one
    name holding 零, in the order read."""
    heads = [
        "（一）以“零投诉”为目标，打造公正采购。",
        "实现了连续三年零复议零诉讼。",
        "（二）以“零障碍”为导向，打造公平采购。",
        "以“零距离”的普法，打造清廉采购。",
        "通过“零门槛”的警示教育片和普法课堂，让采购人、代理机构和评审专家都受到了教育。",
        "实现“零跑腿”“零材料”。",
        "（三）以“零容忍”的态度，打造健康评审。",
    ]
    hit, cands = _case("贵港市多措并举当好采购监督员", heads)
    question = "贵港那个政府采购监管的案例，提了好几个带“零”的目标，分别是哪几个？"
    [option] = fragment_runs(question, [hit], cands)
    assert [t for t, _ in option.items] == [
        "以“零投诉”为目标，打造公正采购",
        "以“零障碍”为导向，打造公平采购",
        "以“零距离”的普法，打造清廉采购",  # not a long sentence's name, nor a run's
        "以“零容忍”的态度，打造健康评审",
    ]
    assert option.found_as == "noun"
    assert fragment_runs("贵港有哪几个目标？", [hit], cands) == []  # no word quoted
    assert fragment_runs(question, [hit], cands[:3]) == []  # two names are no run


def test_the_things_a_platform_is_linked_with_are_a_run_after_yu():
    """ "跟哪几个系统打通了数据？" (fresh71 yo12) and "跟哪几个监管、公示平台做到了数据无缝交换？"
    (fresh65 zu11): the run after 与 up to the link (共享/交换…) lists them, a 、 inside quotes
    not splitting an item; a question that asks no link offers none."""
    from search.listing import partner_runs

    told = "平台与金税三期税收管理系统、“好差评”系统、“中国志愿者服务网”后台实现数据共享。"
    (option,) = partner_runs("那个平台跟哪几个系统打通了数据？", [Candidate(told, 0)])
    assert [i for i, _ in option.items] == [
        "金税三期税收管理系统",
        "“好差评”系统",
        "“中国志愿者服务网”",
    ]
    assert option.found_as == "noun"
    quoted = "实现与广西“双随机、一公开”监管平台、国家企业信用信息公示系统（广西）等平台数据“无缝”共享交换。"
    (option,) = partner_runs("跟哪几个监管、公示平台做到了数据无缝交换？", [Candidate(quoted, 0)])
    assert [i for i, _ in option.items] == [
        "广西“双随机、一公开”监管平台",
        "国家企业信用信息公示系统（广西）",
    ]
    assert partner_runs("这个平台有哪些功能？", [Candidate(told, 0)]) == []


def test_a_run_of_quoted_names_closed_by_the_noun_asked_is_a_list():
    """ "开展过哪几项专项行动" → the run of 、 closed by 等专项行动, its first item after the verb
    that opens it, quotes and all (fresh50 zf13); a run closed by another noun is not offered."""
    told = (
        "徐军介绍，重庆开展了“反垄断反不正当竞争促公平”、重点领域反不正当竞争执法、"
        "保健市场“百日行动”等专项行动。"
    )
    question = "重庆这几年围绕反垄断、反不正当竞争，开展过哪几项专项行动？"
    (option,) = quoted_closed_runs(question, [Candidate(told, 0)])
    assert [t for t, _ in option.items] == [
        "“反垄断反不正当竞争促公平”",
        "重点领域反不正当竞争执法",
        "保健市场“百日行动”",
    ]
    assert quoted_closed_runs("开展过哪几类执法？", [Candidate(told, 0)]) == []
