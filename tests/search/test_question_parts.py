"""The parts of a question that asks two things one after the other (pure)."""

from __future__ import annotations

from search.question_parts import (
    question_parts,
    says_little,
    standalone_parts,
    subject_of,
)


def test_question_parts_are_the_questions_that_ask():
    two = "去年全区跨省开展的远程异地评审项目有多少个？是按哪个办法来管的？"
    assert question_parts(two) == (
        "去年全区跨省开展的远程异地评审项目有多少个",
        "是按哪个办法来管的",
    )
    assert question_parts("钦州压缩破产案件时间，牵头单位是谁？") == ()  # one question
    # A count of any counter asks ("分成几大块功能", "设备到了几台"): probe_mx yv10, yv36.
    assert len(question_parts("平台里一共分成几大块功能？案例是哪个部门报的？")) == 2
    assert len(question_parts("生产线设备到了几台？州里的资金拨了多少？")) == 2
    # A question mark after words that ask nothing ("真的？") makes no part.
    assert question_parts("听说北海有信用承诺制，真的？北海是怎么做的？") == ()


def test_a_clause_that_asks_a_day_is_a_part_of_its_own():
    """probe_mw ym14: "是哪天拿到…批复的" rode in one part with the revenue figure, whose
    sentence ("截至2023年底…") tells no day, so the day was never asked."""
    text = (
        "柳州产业园是哪天拿到国家级园区批复的，到2023年底累计营收超过了多少？园区引进了多少人才？"
    )
    assert question_parts(text) == (
        "柳州产业园是哪天拿到国家级园区批复的",
        "到2023年底累计营收超过了多少",
        "园区引进了多少人才",
    )
    # A day asked last, or with nothing else asked after it, stays whole.
    assert question_parts("福建省“八闽健康码”服务是哪天上线的？") == ()
    assert question_parts("这项任务谁牵头，完成时限是哪天？") == ()


def test_a_later_part_is_asked_with_the_first_parts_subject_when_it_leans_on_it():
    assert (
        subject_of("去年全区跨省开展的远程异地评审项目有多少个")
        == "去年全区跨省开展的远程异地评审项目"
    )
    assert subject_of("哪个市搞政府采购合同履约抽检") == "搞政府采购合同履约抽检"
    # A scene before the clause that asks is the subject (probe_mx yv10): "平台里一共分成功能"
    # would make "案例是哪个部门报的" read as asking for items.
    scene = "玉林那个在手机上就能找法律服务的“云超市”，平台里一共分成几大块功能"
    assert subject_of(scene) == "玉林那个在手机上就能找法律服务的“云超市”"
    assert says_little("是按哪个办法来管的")  # pointing back, and little of its own
    assert says_little("抽下来优良率有多少")
    assert not says_little("他们搞公平竞争审查是按什么原则分工的")
    parts = standalone_parts("去年全区跨省开展的远程异地评审项目有多少个？是按哪个办法来管的？")
    assert parts[1] == "去年全区跨省开展的远程异地评审项目，是按哪个办法来管的"
    # A joining word goes; a part that says enough is asked as it is.
    apart = standalone_parts("北海的优良率有多少？另外，南宁的免审即得是怎么推的？")
    assert apart == ("北海的优良率有多少", "南宁的免审即得是怎么推的")


def test_a_later_part_that_says_enough_is_asked_with_the_places_it_does_not_name():
    """ "…案值一共多少？另外他们搞公平竞争审查是按什么原则分工的？": the first part's words would
    steer the second to the first's sentence; the place named is what "他们" stands for."""
    question = (
        "重庆近3年查处的不正当竞争案件，案值一共多少？另外他们搞公平竞争审查是按什么原则分工的？"
    )
    assert standalone_parts(question, ("重庆",))[1] == "重庆他们搞公平竞争审查是按什么原则分工的"
    # "这个案例…" points to what the first part is about, not to a place.
    case = "南宁片区那个免审即得的改革，改之前要耗多长时间？这个案例是哪家单位报上来的？"
    assert standalone_parts(case, ("南宁",))[1].startswith("南宁片区那个免审即得的改革，")
    # A place named before the pointing words points back all the same (probe_mw ym24).
    pointed = "钦州2024年招聘活动定了多少场以上？钦州这条措施配合的群团组织有哪几家？"
    assert standalone_parts(pointed, ("钦州",))[1] == (
        "钦州2024年招聘活动定了场以上，钦州这条措施配合的群团组织有哪几家"
    )
    # "百色那边…" points to the place, not to the first part's thing (probe_mw ym30).
    there = "全区力争放多少贷款，这项谁牵头？百色那边高信用纳税人拿到了多少免抵押贷款？"
    assert (
        standalone_parts(there, ("广西", "百色"))[1]
        == "广西百色那边高信用纳税人拿到了多少免抵押贷款"
    )


def test_a_later_part_about_the_place_the_first_asks_for_is_asked_as_it_is():
    """ "全区哪个市最先…？这个市对个体户搞柔性执法，是靠哪六项制度落地的？": the place is the
    first part's answer; the first part's words would steer the second to the first's sentence,
    and the question's region ("广西") is not the place it means."""
    question = "全区哪个市最先推个体户营业执照智能自动审批？这个市对个体户搞柔性执法，是靠哪六项制度落地的？"
    assert standalone_parts(question, ("广西",))[1] == (
        "这个市对个体户搞柔性执法，是靠哪六项制度落地的"
    )
    # One that says little still leans on the first part's words.
    short = "全区哪个市最先推个体户营业执照智能自动审批？这个市是哪年推的？"
    assert standalone_parts(short, ("广西",))[1].startswith("全区最先推个体户")


def test_a_later_question_of_two_asking_clauses_is_two_parts_about_the_same_thing():
    """ "…受益人，户口其实在哪个省？他要办的是什么证，从交材料到证件寄到家用了几天？" (probe_mw
    ym32): the later question asks twice, each clause a part; the second is about what the
    first points to, so it is led by the same subject. The first question is not split, and
    a clause that asks nothing stays with the one before it."""
    question = "龙里县第一个跨省通办的受益人，户口其实在哪个省？他要办的是什么证，从交材料到证件寄到家用了几天？"
    assert question_parts(question)[1:] == ("他要办的是什么证", "从交材料到证件寄到家用了几天")
    parts = standalone_parts(question, ("龙里",))
    assert parts[1].startswith("龙里县第一个跨省通办的受益人，") and parts[1].endswith(
        "他要办的是什么证"
    )
    assert parts[2].startswith("龙里县第一个跨省通办的受益人，") and parts[2].endswith("用了几天")
    one = "全区放多少贷款，这项谁牵头？钦州这条措施，配合的有哪几家？"
    assert question_parts(one) == ("全区放多少贷款，这项谁牵头", "钦州这条措施，配合的有哪几家")
