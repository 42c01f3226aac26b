"""search.question: the pure recogniser with a fake encoder, and its accuracy with the real one."""

from __future__ import annotations

import pytest

from search.question import (
    Example,
    Gazetteer,
    QuestionModel,
    bordering,
    clauses,
    examples_hash,
    excluded,
    instances,
    load_examples,
    may_compare,
    mention,
    names_county,
    place_list,
    place_list_names,
    understand,
)
from tests.conftest import OWN_EVAL

LEAD, COOP, DUE = "牵头单位", "配合单位", "完成时限"

EXAMPLES = [
    Example("由哪个部门牵头负责", "field", (LEAD,)),
    Example("牵头单位是谁", "field", (LEAD,)),
    Example("配合单位有哪些", "field", (COOP,)),
    Example("哪些单位配合", "field", (COOP,)),
    Example("什么时候完成", "field", (DUE,)),
    Example("完成时限是哪天", "field", (DUE,)),
    Example("比例是多少", "figure"),
    Example("一共多少个", "figure"),
    Example("是怎么做的", "method"),
    Example("如何操作的", "method"),
]


class CountingEncoder:
    def __init__(self, inner) -> None:
        self.inner = inner
        self.info = inner.info
        self.calls = 0

    def encode_queries(self, queries):
        self.calls += len(queries)
        return self.inner.encode_queries(queries)


@pytest.fixture
def model(fake_encoder):
    built = QuestionModel.build(fake_encoder, EXAMPLES)
    # Bag-of-characters similarities are spread wider than e5's: one field per clause.
    return QuestionModel(built.examples, built.vectors, fake_encoder, field_margin=0.0)


def test_gazetteer_from_regions_and_titles():
    g = Gazetteer.from_units(
        ["广西壮族自治区北海市", "浙江省杭州市余杭区"], ["贺州市创新气瓶“两站”信用分类监管模式"]
    )
    assert {"北海", "北海市", "杭州", "余杭", "余杭区", "浙江", "贺州"} <= g.names
    assert g.find("余杭区和北海在不动产登记上有何不同") == ("余杭", "北海")
    assert g.find("拉萨市企业开办") == ()


def test_the_region_named_by_its_level_is_a_place():
    """Guangxi's own offices write 全区 / 自治区财政厅 / 区市场监管局 for 广西 as one of the
    parties asked about; where something happens ("在全区率先") names no party."""
    g = Gazetteer.from_units(["广西壮族自治区", "广西壮族自治区钦州市", "广西壮族自治区贺州市"])
    assert g.regional("跨境电商这块，钦州和全区都打算靠什么来推？", ("钦州",)) == ("钦州", "广西")
    assert g.regional("自治区财政厅和钦州怎么做？", ("钦州",)) == ("广西", "钦州")
    assert g.regional("贺州和区市场监管局定了什么标准？", ("贺州",)) == ("贺州", "广西")
    assert g.regional("区直部门和钦州各怎么服务企业？", ("钦州",)) == ("广西", "钦州")
    assert g.regional("哪个市在全区率先推行？", ()) == ()
    # The region's own list names the region, wherever it stands.
    assert g.regional("这项任务在全区清单里算哪个指标？", ()) == ("广西",)
    assert g.regional("全区的工作要点里由谁牵头？", ()) == ("广西",)
    assert g.regional("南沙区司法局怎么做？", ()) == ()
    assert g.regional("广西全区和钦州怎么做？", ("广西", "钦州")) == ("广西", "钦州")
    # The level word opening a clause after the question's scene ("…给个回音？全区、钦州…").
    asked = "企业把难处反映上去，多久给回音？全区、钦州和贺州各是怎么定的？"
    assert g.regional(asked, ("钦州", "贺州")) == ("广西", "钦州", "贺州")
    assert g.regional("缺多少工人，怎么摸清？全区和钦州各搞了什么？", ("钦州",)) == ("广西", "钦州")
    # The asker's own region, said as ours ("深圳和咱们全区", "我区").
    assert g.regional("热线太多，钦州和咱们全区各是怎么归拢的？", ("钦州",)) == ("钦州", "广西")
    assert g.regional("贺州和我区各怎么做？", ("贺州",)) == ("贺州", "广西")
    assert mention("钦州和咱们全区都怎么做？", "广西") == (3, 7)
    # A dash opens a clause as a comma does ("…就把事办了——全区和深圳各是…").
    dashed = "光凭一张营业执照就把事办了——全区和深圳各是在什么业务上这么试的？"
    assert g.regional(dashed, ("深圳",)) == ("广西", "深圳")
    # Two autonomous regions indexed: the level word does not say which.
    two = Gazetteer.from_units(["广西壮族自治区钦州市", "内蒙古自治区包头市"])
    assert two.regional("钦州和全区怎么做？", ("钦州",)) == ("钦州",)
    assert mention("钦州和全区都打算靠什么来推？", "广西") == (3, 5)


def test_field_question_with_topic(model):
    q = understand("破产这项牵头单位是谁？", model)
    assert q.kind == "field"
    assert q.fields == (LEAD,)
    assert "field" in q.types


def test_two_fields_in_two_clauses_is_multi(model):
    q = understand("数字地址库由哪个部门牵头负责，什么时候完成？", model)
    assert q.kind == "multi"
    assert set(q.fields) == {LEAD, DUE}


def test_figure_and_method(model):
    assert understand("保证金比例是多少？", model).kind == "figure"
    assert understand("评标方舱是怎么做的？", model).kind == "method"


def test_places_years_unknown_places(model):
    g = Gazetteer.from_units(["广西壮族自治区百色市"])
    q = understand("2023年百色和拉萨市的纳税服务比例是多少？", model, g)
    assert q.places == ("百色",)
    assert q.years == ("2023",)
    assert "拉萨市" in q.unknown_places
    assert any("纳税" in t for t in q.topics)


def test_topics_keep_words_jieba_calls_names(model):
    """jieba's dictionary tags 养老 and 许可 as persons' names ("nr"); they are topics all the
    same, while a place it so tags (桂林) and one the documents lack (石家庄) are not."""
    g = Gazetteer.from_units(["广西壮族自治区桂林市"])
    q = understand("养老服务这块，桂林和石家庄各拿出了什么许可上的举措？", model, g)
    assert "养老" in q.topics and "许可" in q.topics
    assert "桂林" not in q.topics and "石家庄" not in q.topics


def test_place_list_names_levels():
    names = place_list_names(
        ["# comment", "辽宁省\t1", "大连市\t2", "和平区\t3", "东兴市\t3", "甘南藏族自治州\t2"]
    )
    assert {"辽宁省", "辽宁", "大连市", "大连", "和平区", "东兴市", "甘南藏族自治州"} <= names
    # County-level short forms are ordinary words (和平) or too ambiguous: full names only.
    assert "和平" not in names and "东兴" not in names


def test_places_jieba_does_not_tag_are_unknown(model):
    """大连 and 拉萨 are not jieba place words; the division list names them."""
    g = Gazetteer.from_units(["广西壮族自治区北海市"])
    assert understand("大连的港口收费降了多少？", model, g).unknown_places == ("大连",)
    assert understand("拉萨办营业执照要几天？", model, g).unknown_places == ("拉萨",)
    assert understand("北海的港口收费降了多少？", model, g).unknown_places == ()
    # A name inside a longer one is named once: not "上海市浦东新区、浦东新".
    q = understand("上海市浦东新区人才公寓的租金是多少？", model, g)
    assert q.unknown_places == ("上海市浦东新区",)


def test_words_jieba_tags_as_places_that_name_none_are_not_unknown_places(model):
    """A level word counted or pointed at, 省 the verb, a one-character stem: no place, so no
    "资料中没有找到关于…" for it."""
    g = Gazetteer.from_units(["广西壮族自治区北海市", "四川省成都市", "河南省洛阳市"])
    for text in (
        "想让群众在时间、力气、操心和花钱上都省下来，对应喊出了哪几个“办”？",
        "洛阳和成都各是怎么帮企业把这笔钱省下来的？",
        "北海牵头西南几省搞的“五个一”工作机制具体是哪五个一？",
        "2023十大案例里区财政厅政采那六项政策组合拳都是啥？",
        "北海是靠涉税中介把散在各乡镇小微企业的办税需求串起来的？",
        "跟周边城市抱团、搞同城化一体化服务，北海有什么具体做法？",
    ):
        assert understand(text, model, g).unknown_places == (), text
    assert understand("大连和北海各是怎么省下钱的？", model, g).unknown_places == ("大连",)
    assert {"武昌区", "大连", "广西"} <= place_list().names


def test_clauses_drop_fragments():
    assert clauses("玉林、贺州和江西在信用监管上有什么区别？") == [
        "贺州和江西在信用监管上有什么区别"
    ]


def test_example_vectors_cached_by_content(tmp_path, fake_encoder):
    counting = CountingEncoder(fake_encoder)
    QuestionModel.build(counting, EXAMPLES, cache_dir=tmp_path)
    assert counting.calls == len(EXAMPLES)
    QuestionModel.build(counting, EXAMPLES, cache_dir=tmp_path)
    assert counting.calls == len(EXAMPLES)  # read from the cache
    changed = EXAMPLES + [Example("有哪几项", "list")]
    assert examples_hash(changed, "k") != examples_hash(EXAMPLES, "k")
    QuestionModel.build(counting, changed, cache_dir=tmp_path)
    assert counting.calls == 2 * len(EXAMPLES) + 1


def test_shipped_examples_are_valid_and_apart_from_eval():
    import json

    examples = load_examples()
    kinds = {e.kind for e in examples}
    assert {"field", "figure", "place", "list", "method", "comparison", "multi"} <= kinds
    assert all(e.fields for e in examples if e.kind == "multi")
    eval_queries = {
        json.loads(line)["query"]
        for name in ("answer_types_tune.jsonl", "answer_types_holdout.jsonl")
        for line in (OWN_EVAL / name).read_text(encoding="utf-8").splitlines()
    }
    assert not eval_queries & {e.query for e in examples}


# ------------------------------------------------------------------ real encoder


@pytest.mark.slow
def test_recognition_accuracy_on_tune_set(real_encoder, real_config):
    """Stated targets on the tuning set: kind ≥ 0.70, fields ≥ 0.60, comparison places all."""
    from bench.question_types import gazetteer_for, load_rows, score

    model = QuestionModel.build(real_encoder, cache_dir=real_config.cache_dir)
    gazetteer = gazetteer_for(real_config)
    rows = load_rows(OWN_EVAL / "answer_types_tune.jsonl")
    report = score("tune", rows, [understand(r["query"], model, gazetteer) for r in rows])
    assert report.kind_total == 60
    assert report.kind_right / report.kind_total >= 0.70, report.lines()
    assert report.field_right / report.field_total >= 0.60, report.lines()
    assert report.place_right == report.place_total, report.lines()


def test_title_words_before_a_suffix_are_not_places():
    """ "优化市政公共服务" does not name 优化市: a title's leading name must be a division; and a
    short form that is an ordinary word (和平 of 和平区) needs its suffix."""
    g = Gazetteer.from_units(
        ["广西壮族自治区", "天津市和平区", "浙江省杭州市余杭区"],
        [
            "优化市政公共服务",
            "促进市场主体发展",
            "自治区财政厅持续优化政府采购营商环境",
            "贺州市创新信用监管",
        ],
    )
    assert not {"优化", "优化市", "促进", "促进市", "自治"} & g.names
    assert {"广西", "贺州", "和平区", "余杭", "余杭区"} <= g.names and "和平" not in g.names
    assert g.find("广西如何持续优化营商环境？") == ("广西",)
    assert g.find("和平区和余杭在优化服务上有何不同") == ("和平", "余杭")


def test_places_that_only_say_what_borders_something_are_not_asked_about():
    """ "贺州跟广东、湖南交界地带…怎么联合执法": 贺州 is asked about, 广东 and 湖南 say where;
    a border word that is a noun's part ("边境贸易") or far from the places says nothing."""
    text = "贺州跟广东、湖南交界地带的气瓶安全，是怎么跟邻省联合执法的？"
    assert bordering(text, ("贺州", "广东", "湖南")) == ("广东", "湖南")
    assert bordering("广东和湖南两省交界的贺州怎么做？", ("广东", "湖南", "贺州")) == (
        "广东",
        "湖南",
    )
    assert bordering("与越南接壤的百色怎么通关？", ("越南", "百色")) == ("越南",)
    assert bordering("百色和崇左在边境贸易上各有什么做法？", ("百色", "崇左")) == ()
    assert bordering("百色和崇左在毗邻地区各有什么做法？", ("百色", "崇左")) == ()


def test_places_left_out_with_chu_le_are_not_asked_about():
    """ "除了南宁、梧州、钦州，其他市…": the run of places after 除了 is left out (the question
    asks about the other cities); the 除 of 消除/解除 and a place after the run stay asked."""
    text = "除了南宁、梧州、钦州，其他市的并联审批率要达到多少？"
    assert excluded(text, ("南宁", "梧州", "钦州")) == ("南宁", "梧州", "钦州")
    assert excluded("除了钦州市和北海市以外，还有哪个市", ("钦州", "北海")) == ("钦州", "北海")
    assert excluded("除了钦州，北海怎么做", ("钦州", "北海")) == ("钦州",)
    assert excluded("钦州除了网上办还有什么办法", ("钦州",)) == ()
    assert excluded("解除钦州企业的限制", ("钦州",)) == ()


def test_places_named_as_instances_of_a_kind_are_not_asked_about():
    """ "跟广东这些外省搞劳务合作，柳州和罗甸县都是怎么做的": 广东 is an instance of the
    partners (这些/这类/等 after it), not a place compared; when every place named is such an
    instance ("广东、浙江这些地方各怎么做"), they are what is asked."""
    text = "跟广东这些外省搞劳务上的合作，柳州和罗甸县都是怎么做的？"
    assert instances(text, ("广东", "柳州", "罗甸")) == ("广东",)
    two = "跟广东、浙江这些外省合作，柳州怎么做？"
    assert instances(two, ("广东", "浙江", "柳州")) == ("广东", "浙江")
    assert instances("广东、浙江这些地方各怎么做？", ("广东", "浙江")) == ()
    assert instances("柳州和罗甸县都是怎么做的？", ("柳州", "罗甸")) == ()


def test_a_comparison_names_two_places_or_compares():
    """A question naming no place and no word that compares or asks each is no comparison
    ("税务局有什么陪着办的服务"); one naming none can compare ("各地…有什么差别")."""
    assert not may_compare("有的纳税人不太会办税，税务局有什么陪着办的服务？", ())
    assert not may_compare("破产企业的土地不好处置，全区准备用什么办法盘活？", ())
    assert may_compare("各地在政务热线整合上有什么差别？", ())
    assert may_compare("几个地方的做法有什么区别？", ())
    assert may_compare("这些地方做得怎么样？", ())
    # "别的地方 / 其他地方" asks how others do it, one practice: no comparison.
    assert not may_compare("别的地方是怎么提前发现政府采购围标串标的？", ())
    assert not may_compare("其他地方怎样把水电气暖报装合在一起办？", ())
    assert may_compare("南宁和柳州怎么做？", ("南宁", "柳州"))
    assert not may_compare("南宁有什么不同做法？", ("南宁",))
    # 各部门 / 各单位 / 各级 set the scene; they ask nothing of each place.
    done_once = "企业投资项目搞承诺制，测绘只委托一次、各部门共用测绘成果，这事全区归哪个部门管？"
    assert not may_compare(done_once, ())
    assert may_compare("各市在政务热线整合上有什么差别？", ())


def test_a_word_jieba_tags_a_place_is_one_only_as_a_division_or_with_its_ending(model):
    """jieba's dictionary tags 加密、入口、大桥 as places: such two-character words count only
    as a division's name (丰都) or with a place's ending; "资料中没有找到关于“加密”" misleads."""
    q = understand("深圳把电子执照跟标书加密解密绑在一起以后，能做到哪几点？", model)
    assert "加密" not in q.unknown_places
    assert "丰都" in understand("丰都是怎么做的？", model).unknown_places


def test_a_county_s_short_name_jieba_keeps_whole_is_a_place(model):
    """ "岢岚" (岢岚县; jieba tags it "nrt", a name) is a place the question names; a county's
    short form that is an ordinary word (和平 of 和平区) is not."""
    assert "岢岚" in understand("岢岚和钦州在用地、厂房上各出了什么招？", model).unknown_places
    assert names_county("岢岚", "nrt")
    assert not names_county("和平", "n")  # 和平区 (天津), but the word is common
    assert not names_county("岢岚", "v")  # only a noun names a place


def test_a_clause_that_asks_nothing_asks_no_field(model):
    """ "税务部门把外部门…的数据拉进来管税，杭州和钦州各搭了个什么平台": the first clause sets
    the scene; its 部门 asks for no unit."""
    scene = understand("由哪个部门牵头负责，是怎么做的？", model)
    assert scene.fields == (LEAD,)  # the clause asks (哪个): its field is asked
    q = understand("税务部门牵头把数据拉进来，是怎么做的，如何操作的？", model)
    assert q.fields == ()
    assert q.kind == "method"


def test_asks_in():
    from search.question import asks_in

    assert asks_in("还要哪几个市直部门配合")
    assert asks_in("这项由谁来抓")
    assert asks_in("要压到多少")
    assert not asks_in("税务部门把外部门、第三方的数据拉进来管税")
    assert not asks_in("除了牵头的")


def test_asks_how_only():
    """怎么/如何 ask how something is done; a unit or a date is asked by 谁/哪/什么/何时."""
    from search.question import asks_how_only

    assert asks_how_only("处罚信息怎么报送公示")
    assert asks_how_only("如何做到报送及时")
    assert asks_how_only("是怎样规范的")
    assert not asks_how_only("由哪个单位报送")
    assert not asks_how_only("怎么报送，谁来报")  # one clause asking both: a field may be asked
    assert not asks_how_only("税务部门把数据拉进来管税")  # asks nothing at all
    # The means it is done by is no field either.
    assert asks_how_only("准备用什么机制跟法院的诉讼执行衔接起来")
    assert asks_how_only("靠什么把问题揪出来")
    assert not asks_how_only("用什么机制，由谁牵头")


@pytest.mark.slow
def test_a_clause_asking_only_how_asks_no_field(real_encoder, real_config):
    """ "处罚信息怎么报送公示" asks how 报送 is done, not which unit (报送单位): the classifier
    reads these questions as field questions (fresh36 q37, fresh22 e18 were answered
    `报送单位：海珠区`); without a field they are the next most probable kind."""
    from bench.question_types import gazetteer_for

    model = QuestionModel.build(real_encoder, cache_dir=real_config.cache_dir)
    gazetteer = gazetteer_for(real_config)
    one = understand("海珠区卫生监督所怎么做到许可和处罚信息报送又及时又准？", model, gazetteer)
    assert one.fields == () and one.kind == "method"
    two = understand(
        "作出行政处罚以后，处罚信息怎么报送公示、怎么告诉企业去修复信用，海珠和钦州各有什么机制？",
        model,
        gazetteer,
    )
    assert two.fields == () and "field" not in two.types
    # Asked by 哪个单位, the same field still is.
    asked = understand("海珠区卫生监督所的许可和处罚信息是哪个单位报送的？", model, gazetteer)
    assert asked.fields == ("报送单位",)
    # A clause asking the means is read whatever the classifier makes of it (牵头单位 here).
    means = understand(
        "钦州认定了政府部门失信以后，准备用什么机制跟法院的诉讼执行衔接起来？", model, gazetteer
    )
    assert means.fields == () and means.kind == "method"


@pytest.mark.slow
def test_a_long_scene_before_the_one_clause_asking_a_field_asks_the_field(
    real_encoder, real_config
):
    """ "钦州要把…产业合作区那一片打造成…创新区，这条措施由谁来抓？": the whole reads as a list
    (its long scene) and was answered by the measure's seven sentences (fresh44 i10); the one
    clause that asks asks the lead unit. So with a scene read as a method ("东兴那个给越南危重
    病人开生命通道的…案例，是哪个单位报上来的？" was answered by the case's method sentences,
    confidently, without its 报送单位: fresh64 zt24). A question that asks for several
    (哪几个…配合) or whose asking clause asks how keeps its kind."""
    from bench.question_types import gazetteer_for

    model = QuestionModel.build(real_encoder, cache_dir=real_config.cache_dir)
    gazetteer = gazetteer_for(real_config)
    scene = understand(
        "钦州要把中国—东盟产业合作区那一片打造成有广西特色的营商环境创新区，这条措施由谁来抓？",
        model,
        gazetteer,
    )
    assert scene.kind == "field" and scene.fields == ("牵头单位",)
    reporter = understand(
        "东兴那个给越南危重病人开生命通道的跨国医疗救助案例，是哪个单位报上来的？",
        model,
        gazetteer,
    )
    assert reporter.kind == "field" and reporter.fields == ("报送单位",)
    several = understand(
        "钦州在自贸区钦州港片区试行市场准入“承诺即入”的那条措施，除了牵头的，还要哪几个市直部门配合？",
        model,
        gazetteer,
    )
    assert several.kind == "list" and several.fields == ("配合单位",)
    method = understand(
        "金融监管局牵头的个体工商户主题银行服务，这个案例主要做法有哪些？", model, gazetteer
    )
    assert method.kind == "method"
