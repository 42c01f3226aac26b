"""Comparison answers (search.comparison_answer): per place and per thing named; pure
functions on hand-made hits and candidates, no model."""

from __future__ import annotations

import numpy as np

from search.answer import compose_typed, reconcile
from search.comparison_answer import (
    asked_kinds,
    asks_sorting,
    asks_target,
    comparison_topics,
    compose_each,
    distinct_places,
    each_asked,
    issues_document,
    place_sentence,
    places_apart,
    tells_practice,
    whole_rows,
    without_places,
)
from search.compose import Candidate
from tests.search.factories import make_hit as _hit
from tests.search.factories import make_question as _q
from tests.search.factories import make_unit as _unit


def test_things_named_side_by_side_are_each_asked_about():
    """ "A类和D类各按多大比例抽查": A类 and D类, as the sources spell them; parallel names end
    alike ("求助类和投诉举报类工单" → 求助类, 投诉举报类); none when they do not, or one is in
    no source."""
    texts = [
        "对A类个体工商户，按0.1%比例抽查",
        "对D类个体工商户，按100%比例检查",
        "求助类工单3个工作日",
    ]
    texts.append("投诉举报类工单10个工作日")
    assert each_asked("玉林个体户信用分类以后，A类和D类各按多大比例抽查？", texts) == ("A类", "D类")
    assert each_asked("专线里求助类和投诉举报类工单，各要几个工作日？", texts) == (
        "求助类",
        "投诉举报类",
    )
    assert each_asked("A类和D类怎么抽查？", texts) == ()  # not asked about each
    assert each_asked("B类和C类各按多大比例抽查？", texts) == ()  # in no source
    assert (
        each_asked("钦州市、县两级财政经费的比重分别不低于多少？", ["钦州市财政", "县两级"]) == ()
    )


def test_each_thing_asked_gets_its_best_sentence():
    unit = _unit("y#case1", kind="case", title="玉林市实施个体工商户信用分类管理改革")
    hits = [_hit(unit, "x")]
    texts = [
        "对A类个体工商户，按0.1%比例抽查。",
        "对B类按1.3%比例抽查。",
        "对D类个体工商户，按100%比例检查。",
    ]
    cands = [Candidate(t, 0) for t in texts]
    scores = np.array([1.2, 1.19, 1.1])
    composed = compose_each(("A类", "D类"), cands, scores, True)
    assert [t for t, _ in composed.picked] == [texts[0], texts[2]] and composed.confident
    assert compose_each(("A类", "E类"), cands, scores, True) is None
    q = _q("figure", text="玉林个体户信用分类以后，A类和D类各按多大比例抽查？")
    ans = compose_typed(q, hits, cands, scores, threshold=1.1)
    assert "0.1%" in ans.text and "100%" in ans.text and "1.3%" not in ans.text


def test_places_named_apart_and_asked_each_make_a_comparison():
    """ "崇左、百色和杭州的税务部门…分别有什么新招" compares three places (the classifier read a
    list); "广州南沙区…的“六个聚焦”分别是什么" names one address, a list."""

    three = "崇左、百色和杭州的税务部门在纳税服务上分别有什么新招？"
    assert places_apart(three, ["崇左", "百色", "杭州"]) == 3
    one = "广州南沙区财政局优化政府采购围绕的“六个聚焦”分别是什么？"
    assert places_apart(one, ["广州", "南沙"]) == 1
    q = _q("list", places=("崇左", "百色", "杭州"), text=three)
    assert reconcile(q, "").kind == "comparison"
    assert reconcile(_q("list", places=("广州", "南沙"), text=one), "").kind == "list"
    level = "跨境电商这块，钦州和全区都打算靠什么来推？"  # 全区: the region the index holds
    assert places_apart(level, ["钦州", "广西"]) == 2
    assert distinct_places(level, ("钦州", "广西")) == ("钦州", "广西")
    q = _q("list", places=("钦州", "广西"), text=level)
    assert reconcile(q, "").kind == "comparison"  # what both (都…什么) do, asked of each
    unasked = "崇左和百色的税务部门有哪些新招？"  # no 分别/各: the classifier decides
    assert reconcile(_q("list", places=("崇左", "百色"), text=unasked), "").kind == "list"


def test_places_each_asked_in_a_question_of_their_own_are_compared():
    """ "…，全区准备试点的是个什么做法？北海…又是怎么弄的？" (fresh63 zs35): two questions, one
    place each, stand apart as much as "全区和北海" do — a comparison, not one method."""
    text = "把营业执照和各种许可证绑在一起办，全区准备试点的是个什么做法？北海企业办变更登记时又是怎么弄的？"
    assert places_apart(text, ["广西", "北海"]) == 2
    assert reconcile(_q("method", places=("广西", "北海"), text=text), "").kind == "comparison"
    one = "北海企业办变更登记时是怎么弄的？北海市的做法叫什么？"  # one place, asked twice
    assert places_apart(one, ["北海"]) == 1


def test_a_which_place_question_asking_each_is_a_comparison_per_address():
    """ "天津东丽区的“企业保姆”和武汉武昌的“零号员工”，哪个是…？两边各怎么服务企业？": two
    places apart, each asked: a comparison (the classifier read a place question), one
    paragraph per address (东丽 is in 天津)."""

    text = "天津东丽区的“企业保姆”和武汉武昌的“零号员工”，哪个是先上门的？两边各怎么服务企业？"
    places = ("天津", "东丽", "武汉")
    assert reconcile(_q("place", places=places, text=text), "").kind == "comparison"
    assert distinct_places(text, places) == ("东丽", "武汉")
    three = "崇左、百色和杭州的税务部门在纳税服务上分别有什么新招？"
    assert distinct_places(three, ("崇左", "百色", "杭州")) == ("崇左", "百色", "杭州")
    assert distinct_places("广州海珠区和南宁各怎么做？", ("广州", "海珠", "南宁")) == (
        "海珠",
        "南宁",
    )
    assert distinct_places("两地各怎么做？", ("北海",)) == ("北海",)  # not spelled: kept
    which = "天津东丽区和武汉武昌哪个先上门？"  # no 各/分别: which place, as the classifier read
    assert reconcile(_q("place", places=places, text=which), "").kind == "place"


def test_a_place_is_told_by_a_practice_on_the_topic_asked_not_a_document_issued():
    """Among one place's sentences near its best: not one that only issues a document (every
    place has a plan), then the one holding most of the topic words asked, then the best."""

    texts = [
        "出台《北辰区加强营商环境建设专项行动工作方案》等文件。",
        "设立“营商环境政商联络工作站”，协调解决问题15个。",
        "运用网上超市系统自动确定企业规模。",
        "推行政府采购合同融资服务（政采贷）。",
    ]
    assert issues_document(texts[0]) and issues_document("编制印发了《工作手册》。")
    assert not issues_document(texts[1]) and not issues_document("依据《条例》开展检查。")
    assert not tells_practice("如，凭祥市税务局进驻产业园区。") and tells_practice(texts[1])
    assert not tells_practice("以广西GD物业公司为例：该公司是一家中小型企业。")
    # After a place's first sentence, its example tells the device ("比如，…云服务…").
    assert tells_practice("如，凭祥市税务局进驻产业园区。", examples=True)
    assert tells_practice("以企业需求为导向，推行“智能免审代开”。")
    # What a practice is in general, or a slogan, is no place's practice; a named device's
    # definition is.
    assert not tells_practice("公平竞争审查是优化营商环境的重要举措。")
    assert not tells_practice("它是指政策制定机关在制定涉及市场主体经济活动的政策时应当进行审查。")
    assert not tells_practice("营商环境没有最好，只有更好。")
    assert tells_practice("“免申即享”是指企业无需申请即可享受政策。")
    # How things were before the reform is the problem, not the practice.
    assert not tells_practice("以往，针对企业的市场监管工作由多部门分别组织实施。")
    assert not tells_practice("改革前，企业还需准备申请许可审批的材料。")
    # A sentence too short to tell more than its topic, unless it quotes a name.
    assert not tells_practice("维护产业链供应链稳定。")
    assert tells_practice("他们管自己叫“零号员工”。")
    # A target set is not what is done.
    assert not tells_practice("力争钦州市营商环境在第三方评估中进入全区第一梯队方阵。")
    # What someone said of it is no practice told ("“从来到万州第一天开始…”").
    assert not tells_practice("“从来到万州第一天开始，小到开一个证明，24小时都有专人对接。”")
    assert not tells_practice("企业负责人说：“现在办事再也不用来回跑了，真方便啊。”")
    assert tells_practice("建立招商项目“谁审批谁代办”工作机制。")
    # A beneficiary's words often tell the practice itself: "…说，" is kept.
    assert tells_practice("负责人王敏说，万州区委统战部促成万州技师学校与企业“联姻”。")
    # Who said the quote before, alone once the quote is split off, tells nothing.
    assert not tells_practice("驻企服务工作队队员孙思齐说。")
    assert not tells_practice("张耀祥对此连连称赞。")
    assert tells_practice("组建一流营商环境攻坚专项小组，推动改革任务落地。")
    # A practice's long quoted name is no speech, nor a quote of names without clause marks.
    assert tells_practice("城市圈企业开办全面实现“一个窗口一张表、一日办结零收费”。")
    assert tells_practice(
        "建立“党委统筹、班子带动、部门协同、市县主动、政企互动”五级联动工作体系。"
    )
    assert tells_practice(
        "“一网通办、一窗通办、一事联办、跨省通办”“不见面审批”等举措成为全国典范。"
    )
    assert not tells_practice(
        "副局长徐军介绍：“重庆建立了全国首个反垄断和反不正当竞争联席会议制度。”"
    )
    # A document issued with what was done besides: the rest tells the practice.
    assert tells_practice(
        "出台《关于支持民营经济健康发展的若干意见》，成立100亿元民企纾困和发展基金，"
        "推出对小微企业、科技型初创企业实施普惠性税收免除等务实举措。"
    )
    assert issues_document("出台《北辰区专项行动工作方案》等文件，持续优化各营商环境指标。")
    assert not tells_practice("不跑办税服务厅也能享受和现场办税一样的服务。”")  # a quote's end
    assert tells_practice("据介绍，南宁市推行“一件事一次办”。")
    # A step's heading names the kind of thing done; the sentence after it tells what.
    assert not tells_practice("三是坚持问政于企，构建亲清关系。")
    assert not tells_practice("“驻企服务”助力企业实现“几何式”增长")
    assert tells_practice("三是设立“营商环境政商联络工作站”，开展“面对面”座谈活动13家次。")
    scores = np.array([1.05, 0.99, 0.98, 0.95])
    assert place_sentence([0, 1], texts, scores) == 1
    assert place_sentence([0], texts, scores) == 0  # nothing else to tell
    assert place_sentence([2, 3], texts, scores) == 2
    assert place_sentence([2, 3], texts, scores, topics=("融资",)) == 3
    assert place_sentence([0, 1], texts, np.array([1.2, 0.9])) == 0  # too far below the best


def test_a_target_is_a_place_s_part_when_targets_are_asked():
    """ "…要对标到什么水平，钦州和全区的提法有什么不一样？" asks each place's target: the sentence
    that sets it (力争…) is told, not passed over for a practice as it is otherwise."""
    texts = [
        "推动重点环节降费，力争物流总费用降至14%左右，确保钦州港综合收费水平与宁波港持平。",
        "对钦州港船代、货代等企业在“单一窗口”系统公示口岸收费清单，实现清单外零收费。",
    ]
    scores = np.array([1.03, 0.98])
    assert place_sentence([0, 1], texts, scores) == 1
    asked = asks_target("港口综合收费要对标到什么水平，钦州和全区的提法有什么不一样？")
    assert asked and place_sentence([0, 1], texts, scores, target_asked=asked) == 0
    assert not asks_target("钦州和全区在口岸收费上各是怎么做的？")


def test_a_place_s_best_row_that_tells_what_is_done_before_its_target_opens_its_part():
    """fresh65 zu16: 全区's best task-table row tells what is done, then its target (力争…);
    it opens 全区's part. A target sentence that is not the place's best stays passed over."""
    row = (
        "系统谋划降低全程运输、仓储等物流成本，进一步降低中介服务企业、船运企业等重点环节"
        "收费标准，力争全社会物流总费用占全区地区生产总值的比率降低至14%左右。"
    )
    other = "提升口岸服务质量，扩大跨境电商进出口贸易规模，降低全程运输、仓储等物流成本。"
    texts = [row, other]
    assert place_sentence([0, 1], texts, np.array([1.04, 0.96]), task_rows=[0]) == 0
    assert place_sentence([0, 1], texts, np.array([0.96, 1.04]), task_rows=[0]) == 1
    # A plan's measure (no task row) with a target after its practices stays passed over.
    assert place_sentence([0, 1], texts, np.array([1.04, 0.96])) == 1


def test_comparison_topics_are_the_rare_words_of_the_clause_asking_each_place():

    text = "东丽和武昌，哪个是企业还没开张就先上门的？两边各怎么服务企业融资？"
    topics = ("企业", "开张", "上门", "服务", "融资")
    weights = {"企业": 0.6, "服务": 0.59, "开张": 5.3, "上门": 4.0, "融资": 2.5}
    assert comparison_topics(text, topics, weights) == ("融资",)
    assert comparison_topics(text, topics, None) == ("企业", "服务", "融资")
    whole = "台州、深圳在融资上有什么不同？"  # no clause asks each: the whole question
    assert comparison_topics(whole, ("融资", "企业"), weights) == ("融资",)
    level = "钦州和广西全区在政务服务热线上各是怎么做的？"  # 全区 says which units, no topic
    assert comparison_topics(level, ("全区", "政务", "热线"), None) == ("政务", "热线")


def test_an_each_clause_asking_for_any_arrangement_leaves_the_topic_to_the_question():
    """ "…，玉林和钦州各有什么安排？" asks for whatever each did; 安排 as a topic steered 钦州's
    part to "安排外资专员" instead of its sentence on fewer on-site inspections."""
    text = "想少去企业现场检查、别老打扰正常经营，玉林和钦州各有什么安排？"
    topics = ("企业", "现场", "检查", "打扰", "经营", "安排")
    got = comparison_topics(text, topics, None, ("玉林", "钦州"))
    assert got == ("企业", "现场", "检查", "打扰", "经营")
    assert asked_kinds(text) == ()  # no kind of thing is asked either
    # "…全区的任务清单和防城港各拿出了什么支持手段" (fresh71 yo28): 拿出/支持/手段 ask for
    # whatever helps and 任务 of 任务清单 says where; the first clause tells the topic.
    loans = "个体户没什么抵押物、贷款难，全区的任务清单和防城港各拿出了什么支持手段？"
    topics = ("个体户", "抵押物", "贷款", "全区", "任务", "拿出", "支持", "手段")
    got = comparison_topics(loans, topics, None, ("广西", "防城港"))
    assert got == ("个体户", "抵押物", "贷款")
    # "…各有什么办法" (办法/做法/措施) names no topic either.
    repair = "企业背上失信记录以后想把信用修回来，玉林和钦州各有什么办法？"
    topics = ("企业", "失信", "记录", "信用", "办法")
    got = comparison_topics(repair, topics, None, ("玉林", "钦州"))
    assert got == ("企业", "失信", "记录", "信用")


def test_how_two_places_named_apart_do_one_thing_is_a_comparison():
    """ "崇左和杭州税务怎么通过视频远程…" asks each place's practice, though no 各/分别 says so;
    a how question naming one address stays a method."""

    two = "崇左和杭州税务怎么通过视频远程给纳税人辅导办税？"
    assert reconcile(_q("method", places=("崇左", "杭州"), text=two), "").kind == "comparison"
    one = "广州南沙区是怎么深化政府采购制度改革的？"
    assert reconcile(_q("method", places=("广州", "南沙"), text=one), "").kind == "method"
    # "A和B谁的办法更…": which of two, asked of their practices: each place's practice.
    whose = "跨市跨省的远程异地评标，来宾和成都谁的办法更成体系？"
    assert reconcile(_q("place", places=("来宾", "成都"), text=whose), "").kind == "comparison"
    # "说说A和B…的做法" asks each place's practices as much as a how question does.
    told = "说说驻马店城管窗口和海珠卫生监督所在审批上给企业减负的做法"
    assert reconcile(_q("method", places=("驻马店", "海珠"), text=told), "").kind == "comparison"


def test_a_figure_s_noun_in_a_question_about_practices_asks_no_figure():
    """ "按信用好坏定抽查比例，玉林和江西在这上面做法有何不同": 比例 names what the practices set;
    a comparison of practices, not of figures. "…抽查比例是多少" asks one."""
    from search.answer import detect_intent

    text = "按信用好坏定抽查比例，玉林和江西在这上面做法有何不同？"
    assert detect_intent(text) == ""
    assert reconcile(_q("comparison", places=("玉林", "江西"), text=text), "").kind == "comparison"
    assert detect_intent("玉林和江西的抽查比例是多少？") == "figure"


def test_a_name_asked_is_told_by_the_sentence_that_quotes_it():
    from search.comparison_answer import asks_name

    texts = ["叶刚回忆，有专人一直在跟他对接、协调、帮办。", "他们管自己叫“零号员工”。"]
    assert asks_name("两地派专人帮企业跑手续，各自叫什么？") and not asks_name("各怎么做？")
    scores = np.array([1.0, 0.95])
    # Without a name asked, the sentence on the topic (对接) is told before a quoted name.
    assert place_sentence([0, 1], texts, scores, topics=("对接",)) == 0
    assert place_sentence([0, 1], texts, scores, topics=("对接",), name_asked=True) == 1


def test_a_place_s_sentence_is_the_best_of_those_holding_most_topic_words_quoted_or_not():
    """ "公司改名、换法人或者改经营范围…，北海和全区各是怎么做的": 全区's part is its best sentence,
    on 分支机构 changes made at once, not a lower one that quotes a name (“企业服务码”); a
    quote lifted such sentences over the device (dropping it: +3 rows, none lost). A sentence
    holding more topic words still comes first."""
    texts = [
        "实现分支机构统一信息(公司名称、经营范围)集中统一办理。",
        "在全区复制推行“企业服务码”国家试点经验，推进市场主体证照信息的整合应用。",
        "推行“证照同变”，变更经营范围时证照一并变更。",
    ]
    scores = np.array([1.022, 0.957, 0.93])
    topics = ("经营范围", "证照")
    assert place_sentence([0, 1], texts, scores, topics=topics) == 0
    assert place_sentence([0, 1, 2], texts, scores, topics=topics) == 2  # holds both


def test_the_kind_of_thing_asked_is_told_by_the_sentence_naming_one():
    """ "…桂林和南京都组了什么样的团队": the sentence that names a 团队, not the one on legal
    service at large; a question asking for a practice of any kind (办法/区别) names none."""

    assert asked_kinds("给民营企业提供法律服务，桂林和南京都组了什么样的团队？") == ("团队",)
    assert asked_kinds("北辰和钦州都建了什么机制") == ("机制",)
    for question in ("各用了什么办法？", "有什么区别？", "各有什么特色做法？", "叫什么名字？"):
        assert asked_kinds(question) == ()
    # A modifier of several words before its 的 (常态/化/的) is no kind (fresh70 yn32 read 常态).
    assert asked_kinds("重庆万州和钦州各建了什么常态化的对接办法？") == ()
    assert asked_kinds("都是靠什么平台或品牌来推的") == ("平台", "品牌")
    texts = [
        "派驻一名法官定期为企业提供一对一、面对面的法律服务。",
        "与市中院共同组建司法服务团队，定期走访企业。",
    ]
    scores = np.array([1.0, 0.95])
    assert place_sentence([0, 1], texts, scores) == 0
    assert place_sentence([0, 1], texts, scores, kinds_asked=("团队",)) == 1
    assert place_sentence([0], texts, scores, kinds_asked=("团队",)) == 0  # none names one


def test_a_place_s_paragraph_opens_without_a_link_to_what_it_does_not_tell():
    from search.comparison_answer import compose_comparison

    luoyang = _unit("l#case2", kind="case", title="洛阳：容缺受理", region="河南省洛阳市")
    nanning = _unit("n#case1", kind="case", title="南宁：免审即得", region="广西壮族自治区南宁市")
    part = "其中，第二类医疗器械经营备案实行“容缺受理”。"
    other = "同时，南宁推行“免审即得”。"
    hits = [_hit(luoyang, part), _hit(nanning, other, 2)]
    candidates = [Candidate(part, 0), Candidate(other, 1)]
    composed = compose_comparison(
        ["洛阳", "南宁"],
        hits,
        candidates,
        np.array([1.0, 0.9]),
        True,
        question="洛阳和南宁各怎么做？",
    )
    assert composed.picked[0][0] == "洛阳：第二类医疗器械经营备案实行“容缺受理”"
    # Labelled though it names its place: every paragraph opens with its label.
    assert composed.picked[1][0] == "南宁：南宁推行“免审即得”"


def test_a_sentence_made_of_the_question_s_words_does_not_tell_a_place_s_part():
    from search.comparison_answer import compose_comparison, echoes

    question = "对新业态新模式，成都和钦州是怎么搞包容审慎监管的？"
    echo = "对新技术、新产业、新业态、新模式等实行包容审慎监管。"
    how = "对新业态市场主体，优先采取教育提醒、劝导示范等方式执法。"
    assert echoes(echo, question) and not echoes(how, question)
    # A device said in many of the question's characters (61 %) is no echo.
    asked = "给中小企业预留的采购份额怎么在流程里卡住、不落空，台州和广西各是在哪个环节下手的？"
    assert not echoes("在预算编制环节前置中小企业预留比例，智能落实中小企业份额预留制度。", asked)
    qinzhou = _unit("q#measure8", title="深化包容审慎监管", region="广西壮族自治区钦州市")
    chengdu = _unit("c#case3", kind="case", title="成都：沙盒监管", region="四川省成都市")
    hits = [_hit(qinzhou, echo + how), _hit(chengdu, "成都率先探索“沙盒监管”。", 2)]
    candidates = [Candidate(echo, 0), Candidate(how, 0), Candidate("成都率先探索“沙盒监管”。", 1)]
    scores = np.array([1.0, 0.85, 0.9])
    composed = compose_comparison(
        ["成都", "钦州"], hits, candidates, scores, True, question=question
    )
    assert composed.picked[1] == ("钦州：" + how.rstrip("。"), 0)
    alone = compose_comparison(
        ["成都", "钦州"], hits, candidates[:1] + candidates[2:], scores, True, question=question
    )
    assert alone.picked[1][0] == "钦州：" + echo.rstrip(
        "。"
    )  # the only sentence there is still tells it


def test_a_province_set_against_a_city_inside_it_is_told_by_its_own_units():
    """ "贵港和广西全区…": 广西's paragraph quotes the region's own measure, not 贵港's case
    (whose region names 广西 too); without the regions, any unit about 广西 may tell it."""
    from search.comparison_answer import compose_comparison

    guigang = _unit("c#case1", kind="case", title="贵港市：回头看", region="广西壮族自治区贵港市")
    region = _unit("g#measure2", title="完善民营企业诉求反映机制", region="广西壮族自治区")
    hits = [
        _hit(guigang, "开展问题整改“回头看”。通报违规单位31个。"),
        _hit(region, "对问题单位下发整改函。", 2),
    ]
    cands = [
        Candidate("开展问题整改“回头看”。", 0),
        Candidate("通报违规单位31个。", 0),
        Candidate("对问题单位下发整改函。", 1),
    ]
    scores = np.array([1.2, 1.1, 1.0])
    regions = [h.unit.region for h in hits]
    question = "监督发现问题后怎么整改，贵港和广西全区的做法有何不同？"
    told = compose_comparison(
        ("贵港", "广西"), hits, cands, scores, True, regions=regions, question=question
    )
    assert [s for s, _ in told.picked] == [
        "贵港：开展问题整改“回头看”",
        "广西：对问题单位下发整改函",
    ]
    blind = compose_comparison(("贵港", "广西"), hits, cands, scores, True)
    assert blind.picked[1][0] == "广西：通报违规单位31个"  # 贵港's, as 广西 names it too


def test_each_place_is_told_by_a_sentence_of_its_own():
    """A sentence told for one place is not told again for the next ("防城港和广西": 广西's
    part is not 防城港's sentence once more), unless the place has nothing else."""
    from search.comparison_answer import compose_comparison

    city = _unit("c#case1", kind="case", title="防城港市：个转企", region="广西壮族自治区防城港市")
    hits = [_hit(city, "打通“个转企”成长通道。培育“名特优新”个体工商户79户。")]
    cands = [Candidate("培育“名特优新”个体工商户79户。", 0), Candidate("打通“个转企”成长通道。", 0)]
    scores = np.array([1.2, 1.0])  # too far below to join 防城港's paragraph
    told = compose_comparison(("防城港", "广西"), hits, cands, scores, True)
    assert [s for s, _ in told.picked] == [
        "防城港：培育“名特优新”个体工商户79户",
        "广西：打通“个转企”成长通道",
    ]
    alone = compose_comparison(("防城港", "广西"), hits, cands[:1], scores[:1], True)
    assert alone.picked[1][0] == "广西：培育“名特优新”个体工商户79户"  # nothing else to tell


def test_a_comparison_whose_every_place_is_backed_by_its_own_sentence_is_confident():
    """Confident, whatever the best sentence of all scores, when each place's own sentence
    scores at least `place_floor`; not when one place's scores below it, nor when a place has
    no source at all."""
    from search.comparison_answer import PLACE_CONFIDENCE, compose_comparison

    beihai = _unit("c#case1", kind="case", title="北海市：证照联办", region="广西壮族自治区北海市")
    hezhou = _unit("c#case2", kind="case", title="贺州市：气瓶监管", region="广西壮族自治区贺州市")
    hits = [_hit(beihai, "推行“一照多址”改革。"), _hit(hezhou, "实行气瓶“两站”信用分类监管。", 2)]
    cands = [Candidate("推行“一照多址”改革。", 0), Candidate("实行气瓶“两站”信用分类监管。", 1)]
    places = ("北海", "贺州")
    backed = np.array([PLACE_CONFIDENCE + 0.02, PLACE_CONFIDENCE])
    assert compose_comparison(
        places, hits, cands, backed, False, place_floor=PLACE_CONFIDENCE
    ).confident
    assert not compose_comparison(places, hits, cands, backed, False).confident  # no floor given
    weak = np.array([PLACE_CONFIDENCE + 0.1, PLACE_CONFIDENCE - 0.01])
    assert not compose_comparison(
        places, hits, cands, weak, False, place_floor=PLACE_CONFIDENCE
    ).confident
    lacking = compose_comparison(
        ("北海", "贺州", "余杭"), hits, cands, backed, False, place_floor=PLACE_CONFIDENCE
    )
    assert not lacking.confident  # 余杭: 资料中没有找到这方面的内容


def test_an_unsure_comparison_says_which_source_tells_each_place():
    """Not confident (below the threshold): the page shows source cards, not the paragraph,
    and the notice says which card is which place's."""
    from search.answer import NOTICE_UNSURE

    nanning = _unit("n#case6", kind="case", title="南宁：免审即得", region="广西壮族自治区南宁市")
    luoyang = _unit("l#case9", kind="case", title="洛阳：容缺受理", region="河南省洛阳市")
    hits = [_hit(nanning, "主动联系企业，告知政策内容。"), _hit(luoyang, "窗口一次性告知。", 2)]
    cands = [Candidate("主动联系企业，告知政策内容。", 0), Candidate("窗口一次性告知。", 1)]
    q = _q("comparison", places=("南宁", "洛阳"), text="南宁和洛阳在告知企业上做法有何不同？")
    unsure = compose_typed(q, hits, cands, np.array([0.9, 0.85]), threshold=1.1)
    assert not unsure.confident
    assert unsure.notice == "没有把握逐地概括，以下是各地最相关的来源：南宁 来源[1]，洛阳 来源[2]。"
    sure = compose_typed(q, hits, cands, np.array([1.3, 1.2]), threshold=1.1)
    assert sure.confident and sure.notice == "" and NOTICE_UNSURE not in sure.text


def test_a_place_s_paragraph_adds_its_close_sentences_each_cited_to_its_source():
    """ "广西：…帮代办专区建设。…“一企来办”联通联办机制" — the device is often the sentence next
    to the one on the topic, or in the place's other passage: up to PARAGRAPH_EXTRA more of
    the place's sentences within PARAGRAPH_MARGIN and PARAGRAPH_CHARS, grouped by source (the
    first sentence's first, each in the source's order), on the place's line, not a sentence
    said again."""
    from search.comparison_answer import (
        PARAGRAPH_CHARS,
        PARAGRAPH_EXTRA,
        PARAGRAPH_MARGIN,
        compose_comparison,
        paragraph_sentences,
    )

    region = _unit("g#measure5", title="提升帮办代办服务", region="广西壮族自治区")
    city = _unit("d#case2", kind="case", title="东丽区：代办员", region="天津市东丽区")
    first = "持续深化以企业服务为主体的“一企来办”联通联办机制，加大服务力度。"
    topic = "进一步推进线下大厅帮代办专区建设，梳理优化大厅帮代办服务事项目录清单。"
    other = "广西各地设立帮办代办窗口，为企业提供全程帮办服务。"
    hits = [_hit(region, first + topic), _hit(city, "东丽区配备涉企事项代办员。", 2)]
    hits.append(_hit(region, other, 3))
    cands = [
        Candidate(first, 0),
        Candidate(topic, 0),
        Candidate("东丽区配备涉企事项代办员，全程帮办。", 1),
        Candidate(other, 2),
    ]
    scores = np.array([1.12, 1.15, 1.1, 1.14])
    question = "给企业帮办代办这件事，天津东丽区和广西全区是怎么组织的？"
    told = compose_comparison(("东丽", "广西"), hits, cands, scores, True, question=question)
    paragraph = "广西：" + first.rstrip("。") + "。" + topic.rstrip("。")
    assert told.picked[1:] == ((paragraph, 0), (other.rstrip("。"), 2))
    assert told.continued == frozenset({2})  # 广西's other passage, on 广西's line
    assert paragraph_sentences(1, [0, 1, 3], cands, scores, {1}) == [3, 0]  # best first
    assert len(paragraph_sentences(1, [0, 1, 3], cands, scores, set())) <= PARAGRAPH_EXTRA
    far = scores.copy()
    far[[0, 3]] = far[1] - PARAGRAPH_MARGIN - 0.01
    assert paragraph_sentences(1, [0, 1, 3], cands, far, {1}) == []
    near = scores.copy()
    near[0], near[3] = near[1] - 0.14, near[1] - 0.13  # within 0.15 (0.12 until session 38)
    assert paragraph_sentences(1, [0, 1, 3], cands, near, {1}) == [3, 0]
    long = [Candidate(first * 12, 0), *cands[1:]]
    assert paragraph_sentences(1, [0, 1, 3], long, scores, {1}) == [3]  # too long to add
    # Up to PARAGRAPH_CHARS (400): a place's sentence of 300 characters still takes the next.
    assert PARAGRAPH_CHARS == 400
    longish = [Candidate(first * 8, 0), *cands[1:]]  # 35 + 25 + 264 = 324 characters
    assert paragraph_sentences(1, [0, 1, 3], longish, scores, {1}) == [3, 0]
    # Two places share 900 characters (450 each), three or more take 400 each.
    from search.comparison_answer import paragraph_chars

    assert (paragraph_chars(2), paragraph_chars(3), paragraph_chars(5)) == (450, 400, 400)
    longer = [Candidate(first * 11, 0), *cands[1:]]  # 35 + 25 + 363 = 423 characters
    assert paragraph_sentences(1, [0, 1, 3], longer, scores, {1}) == [3]
    two = paragraph_sentences(1, [0, 1, 3], longer, scores, {1}, limit=paragraph_chars(2))
    assert two == [3, 0]
    assert paragraph_sentences(1, [0, 1, 3], cands, scores, {0, 1, 3}) == []  # told already
    again = [*cands[:3], Candidate("进一步推进线下大厅帮代办专区建设。", 2)]
    assert paragraph_sentences(1, [0, 1, 3], again, scores, {1}) == [0]  # said again
    example = [*cands[:3], Candidate("比如，广西各地设立帮办代办窗口。", 2)]
    assert paragraph_sentences(1, [0, 1, 3], example, scores, {1}) == [3, 0]  # kept
    # "其中，…" after a sentence told goes with it, beyond PARAGRAPH_EXTRA and the length.
    part = Candidate("其中，北碚区开展第三方交叉互评。" * 9, 2)
    parts = [*cands[:3], Candidate(other, 2), part]
    assert paragraph_sentences(1, [0, 1, 3, 4], parts, [*scores, 0.5], {1}) == [3, 0]
    told_with = paragraph_sentences(1, [0, 1, 3, 4], parts, [*scores, 0.5], {1}, "", False, {4: 3})
    assert told_with == [3, 4, 0]
    assert paragraph_sentences(1, [0, 1, 3, 4], parts, [*scores, 0.5], {1}, "", False, {4: 1}) == [
        4,
        3,
        0,
    ]  # a part of the place's own sentence
    # A short sentence quoting a name, right before a sentence told, names what it tells
    # ("推动“信用承诺制”改革试点。" before "建立…新型建设项目管理机制"): told too, not counted.
    heading = Candidate("推动“信用承诺制”改革试点。", 0)
    device = Candidate("建立“政府定标准、企业作承诺”的新型建设项目管理机制，压缩审批环节。", 0)
    plain = Candidate("推动改革试点工作。", 0)  # no name quoted
    named = [heading, device, Candidate(other, 2)]
    assert paragraph_sentences(1, [0, 1, 2], named, np.array([0.5, 1.1, 0.5]), set()) == [0]
    unnamed = [plain, device, Candidate(other, 2)]
    assert paragraph_sentences(1, [0, 1, 2], unnamed, np.array([0.5, 1.1, 0.5]), set()) == []
    from search.comparison_answer import after_antecedents

    # a group that opens with a part of another group's sentence reads after that group
    assert after_antecedents([[0, 1], [3]], {0: 3}) == [[3], [0, 1]]
    assert after_antecedents([[0, 1], [3]], {1: 3}) == [[0, 1], [3]]  # not its opening
    # A place's paragraph does not open with a link to a sentence it does not tell.
    linked = [Candidate("同时，" + first, 0), *cands[1:]]
    opened = compose_comparison(("东丽", "广西"), hits, linked, scores, True, question=question)
    assert opened.picked[1][0].startswith("广西：持续深化")
    clause = [Candidate(first.replace("。", "，"), 0), *cands[1:]]  # cut at a clause
    joined = compose_comparison(("东丽", "广西"), hits, clause, scores, True, question=question)
    assert "，。" not in joined.picked[1][0]


def test_a_target_asked_joins_the_paragraph_even_as_the_measure_said_with_its_figure():
    """ "…各有什么举措或目标": the task's target ("力争…比例降低至2.4%以下") joins 全区's
    paragraph after its measure ("降低…诉讼成本占索赔额比例"), which it repeats but for the
    figure; without a target asked, or without the figure, it does not."""
    from search.comparison_answer import adds_figure, paragraph_sentences

    measure = "压缩解决商业纠纷平均用时，降低法院解决商业纠纷诉讼成本占索赔额比例。"
    target = "力争法院解决商业纠纷诉讼成本占索赔额比例降低至2.4%以下。"
    cands = [Candidate(measure, 0), Candidate(target, 1)]
    scores = np.array([1.045, 1.040])
    asked = "桂林和全区在给企业降诉讼成本上各有什么举措或目标？"
    assert adds_figure(target, measure) and not adds_figure(measure, target)
    assert paragraph_sentences(0, [0, 1], cands, scores, {0}, asked, True) == [1]
    assert paragraph_sentences(0, [0, 1], cands, scores, {0}, asked, False) == []
    told = [cands[0], Candidate(target.removeprefix("力争"), 1)]  # a figure, no 力争
    assert paragraph_sentences(0, [0, 1], told, scores, {0}, asked, False) == [1]
    bare = [cands[0], Candidate("法院解决商业纠纷诉讼成本占索赔额比例降低。", 1)]
    assert paragraph_sentences(0, [0, 1], bare, scores, {0}, asked, True) == []  # said again


def test_a_place_told_from_a_task_row_is_opened_by_the_row_s_task():
    """The sentence picked may be one clause of the row's task; the task names the practice
    (the 工作要点's 开庭通知 row), unless the sentence says it already."""
    from search.comparison_answer import compose_comparison, named_task

    task = "探索将境内仲裁机构的开庭通知作为签证材料"
    clause = "广西的仲裁机构已组织开庭的，境外商事主体可凭相关证明申请签证延期。"
    assert named_task(clause, task) == f"{task}。{clause}"
    assert named_task(clause, "") == clause
    assert named_task("将境内仲裁机构的开庭通知作为签证材料。", task).startswith("将境内")
    region = _unit("r#measure118", title=task, region="广西壮族自治区")
    city = _unit("c#case1", kind="case", title="钦州：调解中心", region="广西壮族自治区钦州市")
    hits = [_hit(city, "设立国际商事纠纷调解中心。"), _hit(region, clause, 2)]
    cands = [Candidate("设立国际商事纠纷调解中心。", 0), Candidate(clause, 1)]
    regions = [h.unit.region for h in hits]
    told = compose_comparison(
        ("钦州", "广西"),
        hits,
        cands,
        np.array([1.1, 1.0]),
        True,
        regions=regions,
        question="境外企业打仲裁，钦州和全区各提供了什么便利？",
        task_names={1: task},
    )
    assert told.picked[1] == (f"广西：{task}。{clause.rstrip('。')}", 1)
    assert told.picked[0] == ("钦州：设立国际商事纠纷调解中心", 0)  # a case: no task named


def test_a_figure_read_without_a_figure_word_is_each_place_s_practice():
    """ "桂林和全区…各有什么举措或目标": the model read a figure (目标), no word asks how much;
    both places are asked each, so each place's practice is compared. With 多少 the figure
    of each place is asked, and compared place by place."""
    text = "企业打官司花钱多，桂林和全区在给企业降诉讼成本上各有什么举措或目标？"
    q = reconcile(_q("figure", places=("桂林", "广西"), text=text), "")
    assert q.kind == "comparison" and q.types == {"comparison"}
    counted = "桂林和全区的诉讼成本各降到多少？"
    q = reconcile(_q("figure", places=("桂林", "广西"), text=counted), "figure")
    assert q.kind == "comparison" and q.types == {"comparison", "figure"}


def test_the_words_that_name_a_place_s_body_are_no_topic():
    """ "武汉光谷和黔东南", "崇左税务和全区", "天津东丽区和北辰区": the words that run on from a
    place's name name its district or body; a sentence that says 光谷 is not thereby on the
    topic asked (孵化器)."""
    from search.comparison_answer import place_words

    text = "孵化器怎么把服务和管理水平提上去，武汉光谷和黔东南各是怎么做的？"
    assert place_words(text, ("武汉", "黔东南")) == {"光谷"}
    assert comparison_topics(text, ("孵化器", "光谷"), None) == ("光谷",)  # the clause asking each
    # The clause asking each then names no topic: the rest of the question does.
    assert comparison_topics(text, ("孵化器", "光谷"), None, ("武汉", "黔东南")) == ("孵化器",)
    tax = "边民互市贸易这块，崇左税务和全区各有什么新做法？"
    assert "税务" in place_words(tax, ("崇左", "广西"))
    assert comparison_topics(tax, ("税务", "新做法"), None, ("崇左", "广西")) == ("新做法",)
    both = "天津东丽区和北辰区抓营商环境各有什么特色做法？"
    assert comparison_topics(both, ("东丽区", "北辰区", "特色"), None, ("东丽", "北辰")) == (
        "特色",
    )


def _gas_outline():
    from search.compose import Outline

    headings = ("制定全区燃气行业首个地方标准", "运用信用分类分级评价结果")
    steps = (
        "制定全区燃气行业首个地方标准：组织制定贺州市地方标准《瓶装液化石油气充装规范》",
        "运用信用分类分级评价结果：探索“两站”分片包干网格化监管制度",
    )
    return Outline("", steps, headings)


def test_an_outline_line_tells_a_case_s_practices_each_once():
    """ "主要做法：…；运用信用分类分级评价结果：探索“两站”分片包干网格化监管制度" — the device
    asked is often a practice of the place's case in another passage than its sentences; a
    practice whose sentence is told reads as its heading, one told whole is left out."""
    from search.comparison_answer import outline_line

    outline = _gas_outline()
    assert outline_line(outline, "贺州市引入信用监管模式。") == "主要做法：" + "；".join(
        outline.steps
    )
    told = "组织制定贺州市地方标准《瓶装液化石油气充装规范》，明确要求。"
    assert outline_line(outline, told) == (
        "主要做法：制定全区燃气行业首个地方标准；运用信用分类分级评价结果：探索“两站”分片包干网格化监管制度"
    )
    both_told = "运用信用分类分级评价结果。" + outline.steps[1]
    assert outline_line(outline, both_told) == "主要做法：" + outline.steps[0]
    assert outline_line(outline, "".join(outline.steps)) == ""


def test_an_outline_line_needs_a_few_short_headings():
    """One practice, more than MAX_OUTLINE_STEPS, or a "heading" that tells a story: no line."""
    from search.comparison_answer import MAX_OUTLINE_STEPS, outline_line
    from search.compose import Outline

    assert outline_line(None, "") == ""
    assert outline_line(Outline("", ("甲：乙",), ("甲",)), "") == ""
    many = tuple(f"第{n}项举措" for n in range(MAX_OUTLINE_STEPS + 1))
    assert outline_line(Outline("", many, many), "") == ""
    story = ("三是提升软硬件综合实力，全面落实三盲评审机制，实现评标专家全程隔离", "建立制度")
    assert outline_line(Outline("", story, story), "") == ""


def test_a_place_s_paragraph_ends_with_its_case_s_outline_once():
    """The outline of the unit of a place's sentence goes on that place's line, cited to it;
    a unit told for two places gets it once."""
    from search.comparison_answer import compose_comparison

    case = _unit("h#case13", kind="case", title="贺州市创新气瓶“两站”信用分类监管模式")
    other = _unit("y#case2", kind="case", title="玉林市个体工商户信用分类管理")
    hits = [_hit(case, "贺州市引入信用监管模式。"), _hit(other, "玉林市实施“一项定级”。", 2)]
    cands = [Candidate("贺州市引入信用监管模式。", 0), Candidate("玉林市实施“一项定级”。", 1)]
    scores = np.array([1.2, 1.2])
    outlines = {"h#case13": _gas_outline()}
    told = compose_comparison(("贺州", "玉林"), hits, cands, scores, True, outlines=outlines)
    assert [h for _, h in told.picked] == [0, 0, 1]
    assert told.picked[1][0].startswith("主要做法：") and "分片包干" in told.picked[1][0]
    assert told.continued == frozenset({1})
    plain = compose_comparison(("贺州", "玉林"), hits, cands, scores, True)
    assert len(plain.picked) == 2
    shared = compose_comparison(
        ("贺州", "广西"), hits[:1], cands[:1], scores[:1], True, outlines=outlines
    )
    assert sum(s.startswith("主要做法：") for s, _ in shared.picked) == 1


def test_the_places_doing_something_are_told_with_their_cases_outlines():
    """ "哪些地方在推行政府采购合同融资？" names no place: the top places are compared, each with
    the practices its case names, as in a comparison."""
    from search.answer import asks_several_places

    taizhou = _unit(
        "t#case3", kind="case", title="浙江省台州市：政府采购“数智”纾困", region="浙江省台州市"
    )
    hezhou = _unit(
        "h#case13", kind="case", title="贺州市气瓶信用分类监管", region="广西壮族自治区贺州市"
    )
    hits = [_hit(taizhou, "台州推行政府采购合同融资。"), _hit(hezhou, "贺州市推行信用融资。", 2)]
    cands = [Candidate("台州推行政府采购合同融资。", 0), Candidate("贺州市推行信用融资。", 1)]
    q = _q("place", text="哪些地方在推行政府采购合同融资？")
    assert asks_several_places(q) and not asks_several_places(_q("place", text="哪个市最先推行？"))
    answer = compose_typed(
        q, hits, cands, np.array([1.3, 1.25]), threshold=1.1, outlines={"h#case13": _gas_outline()}
    )
    assert answer.kind == "comparison" and "主要做法：" in answer.text


def test_what_is_asked_of_each_place_is_the_question_without_the_places():
    """Each place's sentence is scored against what is asked of it, not against the places'
    names (a sentence naming its place would outscore the one telling the device)."""
    assert without_places("对个体户分类管理，玉林和防城港各是怎么搞的？", ("玉林", "防城港")) == (
        "对个体户分类管理，和各是怎么搞的？"
    )
    # The region by its level word: "全区" stands for 广西.
    assert (
        without_places("钦州和全区各提供了什么便利？", ("钦州", "广西")) == "和各提供了什么便利？"
    )


def test_a_task_row_is_told_whole():
    """A paragraph that tells one clause of a task-table row tells its other clauses too (the
    device, "一证办电", sits in the clause before the one that scored); a case's sentences and
    clauses told for another place are not added."""
    cands = [
        Candidate("着力推动小微企业“一证办电”常态化。", 0),
        Candidate("超前对接重点产业链企业用电需求。", 0),
        Candidate("烟台共享营业厅内常设联合报装专班。", 1),
        Candidate("实现水电气暖过户业务一网受理。", 1),
    ]
    assert whole_rows([1], [0, 1], cands, {0}, set()) == [1, 0]
    assert whole_rows([1], [0, 1], cands, {0}, {0}) == [1]  # told for another place
    assert whole_rows([2], [2, 3], cands, {0}, set()) == [2]  # a case, not a row


def test_a_kind_asked_mid_clause_or_with_alternatives_is_read_after_shenme():
    """ "各靠什么机制把几家拉到一块": the kind asked goes on into the clause; "什么平台或品牌",
    "什么专门的渠道或机构": either kind names it, past a modifier; "什么站点上": not 站点上.
    A modifier before a practice of any kind ("什么省事的办法") asks no kind."""
    assert asked_kinds("跨省的事，各靠什么机制把几家拉到一块？") == ("机制",)
    assert asked_kinds("成都、南京和万州都是靠什么平台或品牌来推的？") == ("平台", "品牌")
    assert asked_kinds("崇左税务和钦州都设了什么专门的渠道或机构？") == ("渠道", "机构")
    assert asked_kinds("成都和钦州各落在什么站点上？") == ("站点",)
    assert asked_kinds("百色和全区分别有什么省事的办法？") == ()
    assert asked_kinds("各是靠什么把标准统一起来的？") == ()
    texts = ["加强部门协作，形成工作合力。", "探索了“五个一”工作机制。"]
    scores = np.array([1.0, 0.95])
    assert place_sentence([0, 1], texts, scores, kinds_asked=("平台", "机制")) == 1


def test_a_task_row_further_in_a_place_s_paragraph_is_opened_by_its_task_too():
    """全区's paragraph opens with a case's sentence; the 工作要点 row told after it says what
    全区 does only under its task ("加强征信平台服务"), which opens that piece too."""
    from search.comparison_answer import compose_comparison

    task = "加强征信平台服务"
    row_text = "通过为中小微企业提供征信报告、信用评分、授信支持等服务，提升金融服务效率。"
    case_text = "广西金融监管局指导银行开展个体工商户主题银行服务，提升信贷获得率。"
    region_case = _unit(
        "g#case2", kind="case", title="广西金融监管局：主题银行", region="广西壮族自治区"
    )
    row = _unit("r#measure71", title=task, region="广西壮族自治区")
    city = _unit("w#case1", kind="case", title="万州：恳谈", region="重庆市万州区")
    hits = [
        _hit(city, "每季度开展一次政银企恳谈活动。"),
        _hit(region_case, case_text, 2),
        _hit(row, row_text, 3),
    ]
    cands = [
        Candidate("每季度开展一次政银企恳谈活动。", 0),
        Candidate(case_text, 1),
        Candidate(row_text, 2),
    ]
    told = compose_comparison(
        ("万州", "广西"),
        hits,
        cands,
        np.array([1.1, 1.0, 0.95]),
        True,
        regions=[h.unit.region for h in hits],
        question="企业和银行之间怎么牵线搭桥解决融资难，万州和全区各靠的是什么？",
        task_names={2: task},
    )
    # Labelled, though it names its place.
    assert told.picked[1][0].startswith("广西：广西金融监管局")
    assert (f"{task}。{row_text.rstrip('。')}", 2) in told.picked


# A place's short sentences, each a practice of its own (the paragraph tests below).
_SHORT_PRACTICES = (
    "全面推行政务服务好差评制度，每件事项都请群众评价。",
    "在市县两级大厅设立综合受理窗口，一窗收件分类办理。",
    "开通网上预约办理功能，群众可以按时段到大厅办事。",
    "统一编制办事指南清单，材料和时限一次告知到位。",
    "延长窗口周末服务时间，上班族不用请假也能办事。",
)


def test_a_place_s_paragraph_tells_up_to_six_short_sentences_within_its_length():
    """The device is often a short sentence a little below the place's best ("办结事项实行
    电话回访"): of the place's sentences within the margin, six more join the paragraph while
    it fits PARAGRAPH_CHARS (with four, short devices were crowded out: six won five rows over
    every set and lost none, thirty-sixth session)."""
    from search.comparison_answer import PARAGRAPH_EXTRA, paragraph_sentences

    texts = [
        *_SHORT_PRACTICES,
        "在社区推广自助终端，证明材料可以就近查询打印。",
        "办结事项实行电话回访，收集群众评价。",  # the device, the sixth of the rest
    ]
    cands = [Candidate(t, 0) for t in texts]
    scores = np.array([1.2, 1.19, 1.18, 1.17, 1.16, 1.15, 1.14])
    told = paragraph_sentences(0, range(7), cands, scores, {0})
    assert PARAGRAPH_EXTRA == 6
    assert told == [1, 2, 3, 4, 5, 6]
    assert "电话回访" in cands[told[-1]].text


def test_past_four_more_a_sentence_joins_only_from_a_passage_already_told():
    """ "贵港：…[1]。违规设立政府采购备选库、名录库、资格库、采购人[5]。" — an item of another
    passage's list says nothing on its own: past NEW_SOURCE_EXTRA sentences, only the
    passages the paragraph already tells add to it."""
    from search.comparison_answer import NEW_SOURCE_EXTRA, paragraph_sentences

    texts = [
        *_SHORT_PRACTICES,
        "违规设立政府采购备选库、名录库、资格库、采购人。",  # another passage's list item
        "办结事项实行电话回访，收集群众评价。",  # the first passage's own
    ]
    hits = [0, 0, 1, 2, 3, 9, 0]
    cands = [Candidate(t, h) for t, h in zip(texts, hits, strict=True)]
    scores = np.array([1.2, 1.19, 1.18, 1.17, 1.16, 1.15, 1.14])
    told = paragraph_sentences(0, range(7), cands, scores, {0})
    assert NEW_SOURCE_EXTRA == 4
    assert told == [1, 2, 3, 4, 6]


def test_a_sentence_names_what_it_sets_up_and_the_practices_it_quotes():
    """ "建立了…联席会议制度" names the 联席会议制度 set up; “千分制” a practice quoted; a quote of
    the problem ("针对“不好办”…的疑难杂症事项") or of the state before ("从“我要办”…") or a
    run cut inside ("功能完善、机制") names none."""
    from search.comparison_answer import practice_names

    assert practice_names("重庆建立了将反垄断和反不正当竞争工作合并设立的联席会议制度。") == [
        "将反垄断和反不正当竞争工作合并设立的联席会议制度"
    ]
    assert practice_names("搭建积分服务平台，推行“千分制”考核。") == ["积分服务平台", "“千分制”"]
    assert practice_names("针对“不好办”、短期“不能办”的疑难杂症事项，开展现场办公。") == []
    assert practice_names("从“我要办”变成“为我办”。") == []
    assert practice_names("解决“企业找不到、政府送不到”的问题。") == []
    assert practice_names("强化功能完善、机制建设。") == []
    assert practice_names("新增应享未享提醒功能，精准推送。") == ["应享未享提醒功能"]
    # Not the word after the verb ("建设包括…"), nor what the practice changes ("将…整合为").
    assert practice_names("建设包括知识产权风险防控中心、分中心的工作体系。") == [
        "知识产权风险防控中心"
    ]
    assert practice_names("实行将专业受理窗口整合为“零差别受理”综合窗口。") == ["“零差别受理”"]
    # A title is not cut inside: "制定了全国首个《网络社区团购合规经营指南》" names no "…《…指南".
    assert practice_names("重庆制定了全国首个《网络社区团购合规经营指南》。") == []
    # The state before, a thing referred to, an award, a thing set up but not named.
    assert practice_names("打破“以罚代管”传统模式。") == []
    assert practice_names("深入查处“小鬼难缠”“中梗阻”等破坏营商环境问题。") == []
    assert practice_names("改“大水漫灌”为“精准滴灌”。") == ["“精准滴灌”"]
    assert practice_names("办税信用评价参照“学习强国”的积分制模式。") == []
    assert practice_names("获全区优化营商环境第三方评估“六连冠”。") == []
    assert practice_names("该项目获评第六届“新华信用杯”全国优秀信用案例。") == []
    assert practice_names("立足“监督的再监督”职能定位。") == []
    assert practice_names("自2024年实施这一模式以来。") == []
    assert practice_names("新增了不少便捷业务功能。") == []
    # …but not a practice named after such a word in a run of others, nor an offer.
    assert practice_names("服务指标评估标准、“一制三化”行政审批制度改革。") == ["“一制三化”"]
    assert practice_names("还提供了“一表填报”“一键提交”等便捷服务。") == [
        "“一表填报”",
        "“一键提交”",
    ]
    assert practice_names("推进“桂惠贷”与工业振兴支持政策联动。") == ["“桂惠贷”"]
    assert practice_names("打造一批人才团队示范平台。") == ["一批人才团队示范平台"]


def test_a_place_s_paragraph_ends_with_the_practices_its_other_close_sentences_name():
    """The device asked is often in a sentence the paragraph had no room for: after it, one
    line names up to MAX_NAMED practices of the place's sentences within PARAGRAPH_MARGIN
    not told, best first, each cited to its own source, none the answer already names."""
    from search.comparison_answer import (
        MAX_NAMED,
        NAMED_LABEL,
        NAMES_PER_SENTENCE,
        PARAGRAPH_MARGIN,
        compose_comparison,
        named_line,
    )

    cands = [
        Candidate("推行“千分制”考核，搭建积分服务平台。", 0),
        Candidate("上线“税务大脑”。", 1),
        Candidate("推行“千分制”。", 1),  # named already
    ]
    scores = np.array([1.1, 1.0, 0.9])
    assert named_line([0, 1, 2], cands, scores, "") == [
        (NAMED_LABEL + "“千分制”；积分服务平台", 0),
        ("“税务大脑”", 1),
    ]
    assert named_line([1, 2], cands, scores, "…推行“千分制”…") == [(NAMED_LABEL + "“税务大脑”", 1)]
    assert named_line([], cands, scores, "") == []
    # A run of quoted names is the parts of one thing: its first NAMES_PER_SENTENCE.
    many = [Candidate("分为“甲一号”“乙二号”“丙三号”“丁四号”“戊五号”“己六号”等章节。", 0)]
    assert named_line([0], many, np.array([1.0]), "") == [(NAMED_LABEL + "“甲一号”；“乙二号”", 0)]
    assert NAMES_PER_SENTENCE == 2
    several = [Candidate(f"推行“{c}一号”“{c}二号”“{c}三号”。", 0) for c in "甲乙丙丁"]
    line = named_line(range(4), several, np.array([1.0, 0.9, 0.8, 0.7]), "")[0][0]
    assert len(line.split("；")) == MAX_NAMED and "丙一号" in line and "丁" not in line

    unit = _unit(
        "d#case1", kind="case", title="百色市用好办税信用积分", region="广西壮族自治区百色市"
    )
    other = _unit("e#case2", kind="case", title="杭州市智慧税务", region="浙江省杭州市")
    first = "百色市把办税人员的信用积分结果划分为一星至五星级次，并对高星级人员给予激励。" * 12
    close = "梳理制作《办税信用积分攻略》小视频，搭建积分服务平台。"
    far = "推行“远方一号”。"
    hits = [_hit(unit, first + close + far), _hit(other, "杭州市打造“税务大脑”。", 2)]
    texts = [first, close, far, "杭州市打造“税务大脑”。"]
    cands = [Candidate(t, h) for t, h in zip(texts, [0, 0, 0, 1], strict=True)]
    scores = np.array([1.2, 1.1, 1.2 - PARAGRAPH_MARGIN - 0.01, 1.15])
    told = compose_comparison(
        ("百色", "杭州"), hits, cands, scores, True, question="百色和杭州各怎么办税？"
    )
    lines = [text for text, _ in told.picked]
    assert NAMED_LABEL + "积分服务平台" in lines  # no room for the close sentence (450 characters)
    assert not any("远方一号" in line for line in lines)  # beyond the margin
    assert lines.index(NAMED_LABEL + "积分服务平台") in told.continued


def test_how_each_place_sorts_is_told_by_the_sentence_stating_the_classes():
    """ "防城港和玉林各是怎么分类的？" (fresh70 yn36): 玉林's part is "按ABCD四类…实行动态管理",
    not its better-scored sentence on a 主题银行."""
    assert asks_sorting("个体户按类型分开来扶持或者监管，防城港和玉林各是怎么分类的？")
    assert not asks_sorting("防城港和玉林各是怎么扶持个体户的？")
    # "给人打信用分、分等级这种办法…各是怎么弄的" (fresh65 zu15): the grades are asked.
    assert asks_sorting("给人打信用分、分等级这种办法，北海政府采购和百色税务各是怎么弄的？")
    assert not asks_sorting("北海和百色各是怎么给人打信用分的？")
    texts = [
        "设立“个体工商户主题银行”，在融资贷款品种等领域进行分类扶持。",
        "实行“千分制”量化评分标准，按ABCD四类和“绿蓝黄红”色标实行动态管理。",
    ]
    scores = np.array([1.0, 0.92])
    assert place_sentence([0, 1], texts, scores) == 0
    assert place_sentence([0, 1], texts, scores, sorts_asked=True) == 1


def test_classes_asked_as_tiers_are_told_from_further_below_the_best():
    """ "两地各是按什么档次来分的" (fresh73 yq15), "各是怎么给它们分档…" (zo16): 档次 and 分档 ask
    for the classes too; the sentence stating them ("按ABCD四类…") may score 0.12 below the
    place's best (yi36) and still tell its part, as a figure asked may (FIGURE_MARGIN)."""
    assert asks_sorting("防城港和玉林都给个体工商户分了类，两地各是按什么档次来分的？")
    assert asks_sorting("个体户情况差别很大，玉林和防城港各是怎么给它们分档分类来管的？")
    texts = [
        "对B类个体工商户按1.3%比例抽查，实施精准监管。",
        "设立“个体工商户主题银行”，在融资贷款品种等领域进行分类扶持。",
        "实行“千分制”量化评分标准，按ABCD四类和“绿蓝黄红”色标实行动态管理。",
        "科学分类开展状况评估，划分为“生存型”“成长型”。",
    ]
    scores = np.array([1.06, 1.05, 0.94, 0.85])
    assert place_sentence([0, 1, 2, 3], texts, scores) == 0
    assert place_sentence([0, 1, 2, 3], texts, scores, sorts_asked=True) == 2
    # Beyond FIGURE_MARGIN (0.21 below the best) a sentence stating classes is not taken.
    assert place_sentence([1, 3], texts, scores, sorts_asked=True) == 1


def test_a_step_s_numbered_heading_goes_before_the_sentence_telling_the_step():
    """ "二是分领域开展政府采购专题培训班。" names the device that "近两年，贵港市…分类开展了6次
    …培训班" tells: told before it in the place's paragraph. An unnumbered short sentence
    before it, quoting no name, is not brought along."""
    from search.comparison_answer import short_neighbours

    told = "近两年，贵港市已对公检法司、文体旅等领域，分类开展了6次“打造清廉政采”培训班。"
    cands = [
        Candidate("一是打造警示教育片。", 0),
        Candidate("二是分领域开展政府采购专题培训班。", 0),
        Candidate(told, 0),
        Candidate(told, 1),
    ]
    assert short_neighbours(2, cands) == [1]
    assert short_neighbours(3, cands) == []  # another passage's sentence
    plain = [cands[0], Candidate("分领域开展政府采购专题培训班。", 0), cands[2]]
    assert short_neighbours(2, plain) == []
