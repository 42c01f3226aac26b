"""Extractive answers: the pure layer on tiny inputs, and `Answerer` over a stub searcher."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from index.dense import DenseIndex
from index.embedding import ModelInfo
from index.lexical import LexicalIndex, tokenize
from index.live import LiveIndex
from index.store import IndexData
from index.types import Hit, Passage, Unit
from search.answer import (
    CONTEXT_CREDIT,
    NOTICE_NO_GENERATION,
    NOTICE_UNSURE,
    Answer,
    Answerer,
    Candidate,
    _as_told,
    _assemble,
    _leading_pieces,
    _with_pieces,
    agreed_band,
    asking_part,
    asks_figure_and_field,
    asks_items_and_field,
    cites,
    compose_answer,
    detect_intent,
    fields_asked_apart,
    index_plain_docs,
    index_task_places,
    only_fields,
    paragraph_sources,
    places_a_unit,
    question_terms,
    reconcile,
    rows_hold_fields,
    score_sentences,
    short_of_count,
    shown_as_field,
    split_sentences,
    strip_row_prefix,
    tells_fields,
    tells_what_is_asked,
    term_overlap,
)
from search.compose import (
    asked_bound,
    counted_act,
    counts_act,
    measured_noun,
    states_bound,
)
from search.searcher import QueryError, SearchResult, validate_query
from tests.search import factories
from tests.search.factories import make_question, make_unit


def make_hit(
    text: str,
    rank: int = 1,
    title: str = "单元",
    kind: str = "case",
    lead: tuple[str, ...] = (),
    coop: tuple[str, ...] = (),
    deadline: str = "",
    doc: str = "a.txt",
) -> Hit:
    uid = f"{doc}#{kind}{rank:03d}"
    unit = Unit(
        id=uid,
        doc=doc,
        kind=kind,
        title=title,
        start=0,
        end=len(text),
        lead_units=lead,
        coop_units=coop,
        deadline=deadline,
    )
    passage = Passage(
        f"{uid}/p1", doc, uid, title, text, 10 * rank, 10 * rank + len(text), rank, rank
    )
    return Hit(passage, unit, "测试文档", 1.0 / rank, rank)


# ------------------------------------------------------------------ intent


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("压缩出口退税办理时间由哪个部门牵头？", "lead"),
        ("这项措施的牵头单位是？", "lead"),
        # who is at it now ("在抓") asks the lead unit, before the figure's noun (数量)
        ("科技型中小企业评价入库的数量任务，全区是哪个部门在抓？", "lead"),
        ("压缩出口退税办理时间这项任务由谁负责？", "lead"),
        ("这项任务的配合单位有哪些？", "coop"),
        ("交房即发证这项改革，全区要哪几个市配合推进？", "coop"),  # the cities a row names
        ("这项任务要哪些部门来配合？", "coop"),
        ("提升口岸服务质量那一条，有哪几个市要参与配合？", "coop"),
        # the lead units told (除了…牵头), the cooperating ones asked a few words before 配合
        ("那条措施除了法院和司法局牵头，还拉了哪些单位一起配合？", "coop"),
        ("全区优化营商环境的宣传引导工作，发改委牵头，还拉了哪个部门一起配合？", "coop"),
        ("一照多址改革什么时候完成？", "deadline"),
        ("完成时限是哪天？", "deadline"),
        ("履约保证金降到了多少？", "figure"),
        ("抽查比例是多少", "figure"),
        ("全程要多长时间？", "figure"),
        ("来宾市用什么办法让评标专家彼此不见面？", ""),
        ("审批窗口接下来准备用什么服务模式？", ""),
        ("怎么让几个部门一起办？", ""),  # a count of things in a how question asks no figure
        ("有几个部门一起办？", "figure"),
        ("几个部门一起办，怎么做到几天办完？", "figure"),  # 几天 still asks one
        ("个体户数量多，怎样按信用高低分类监管？", ""),  # the figure's noun names the topic
        ("怎样提高好评率？", ""),
        ("个体户数量有多少？", "figure"),
        ("怎样把抽查比例降到多少？", "figure"),  # 多少 still asks one
        ("哪个市最先让个体户营业执照几分钟就拿到？", ""),  # 几…就 tells how little it takes
        ("贵港的案例提了好几个带“零”的目标，分别是哪几个？", ""),  # 好几 tells several
        ("推广全区统一收付系统这条由谁来抓？", "lead"),  # who takes charge is who leads
        ("这个平台归哪个部门管？", "lead"),
        ("营业执照几分钟能拿到？", "figure"),
        # 几个县 right after a place names some of its counties; after a verb it asks a count
        ("哪个市跟广东、湖南几个县签了执法协作备忘录？", ""),
        ("这项改革覆盖了几个县？", "figure"),
        ("湖南有几个县参加？", "figure"),
        ("自治区派了几支工作队常驻到各市去服务？", "figure"),  # 几支: a count (14支)
        ("怎么派几支工作队下去服务？", ""),  # … but not in a how question
        ("有哪几支队伍？", ""),  # 哪几支 asks which
        ("哪个市的政府采购这几年一条失信惩戒记录都没有？", ""),  # 这几年: a few, not asked
        ("那几个市要多长时间办完？", "figure"),
    ],
)
def test_detect_intent(question, intent):
    assert detect_intent(question) == intent


# ------------------------------------------------------------------ sentences


def test_split_sentences_on_chinese_punctuation_and_lines():
    text = "第一句话说明情况。第二句话呢？第三句；\n第四行没有句号\n  \n。"
    assert split_sentences(text) == [
        "第一句话说明情况。",
        "第二句话呢？",
        "第三句；",
        "第四行没有句号",
    ]


def test_split_sentences_keeps_closing_quotes_and_drops_fragments():
    text = "推行“一件事一次办。”好。实现全程网办。"
    assert split_sentences(text) == ["推行“一件事一次办。”", "实现全程网办。"]


def test_split_sentences_cuts_long_sentences_at_commas():
    clause = "这是一个比较长的分句内容" * 3 + "，"
    text = clause * 8 + "结束。"
    pieces = split_sentences(text, max_chars=100)
    assert len(pieces) > 1
    assert all(len(p) <= 100 for p in pieces)
    assert "".join(pieces) == text


def test_a_long_clause_without_commas_is_cut_after_an_enumeration_mark_not_in_a_word():
    """ "…不动产权证书、办" + "理抵押登记…" split 办理: a clause with no comma is cut after its
    last 、 in the second half of the limit; with none there, at the limit."""
    tail = "、不动产权证书、办理抵押登记、金融企业放款。"
    pieces = split_sentences("同步核发" + "国有建设用地交地确认书" * 5 + tail, max_chars=64)
    assert pieces[0].endswith("确认书、") and pieces[1] == tail[1:]
    plain = "甲" * 70 + "。"
    assert [len(p) for p in split_sentences(plain, max_chars=64)] == [64, 7]


def test_split_sentences_keeps_a_colon_with_what_it_introduces():
    head = "玉林市公共法律服务云超市立足司法行政职能坚持问题导向，" * 3
    items = "政策法律牌、矛盾纠纷化解牌、法治体检牌、行政执法监督牌、法治宣传牌，"
    text = head + "打好法律服务五张牌，即：" + items + "以高质量法律服务打造一流法治营商环境。"
    pieces = split_sentences(text, max_chars=100)
    assert not any(p.endswith("即：") for p in pieces)
    assert any("打好法律服务五张牌，即：政策法律牌" in p for p in pieces)
    assert "".join(pieces) == text


def test_split_sentences_hard_cuts_a_sentence_without_commas():
    text = "字" * 250 + "。"
    pieces = split_sentences(text, max_chars=100)
    assert [len(p) for p in pieces] == [100, 100, 51]


def test_split_sentences_empty():
    assert split_sentences("") == []
    assert split_sentences("。；\n") == []


# ------------------------------------------------------------------ scoring


def test_question_terms_drop_intent_words():
    terms = question_terms("压缩出口退税办理时间由哪个部门牵头？")
    assert "出口退税" in terms
    assert not {"牵头", "部门", "哪个"} & set(terms)


def test_term_overlap_weights_and_context_credit():
    assert term_overlap(["保证金", "比例"], "保证金比例降至1%") == 1.0
    assert term_overlap(["保证金", "比例"], "无关内容") == 0.0
    weights = {"保证金": 3.0, "比例": 1.0}
    assert term_overlap(["保证金", "比例"], "保证金降低", weights=weights) == pytest.approx(0.75)
    half = term_overlap(["玉林"], "调解成功率99%", context="玉林市云超市")
    assert half == pytest.approx(0.5)


def test_score_sentences_combines_cosine_and_overlap():
    sentences = ["保证金比例降至1%。", "天气很好。", "保证金制度改革。"]
    vecs = np.array([[1, 0], [1, 0], [0, 1]], dtype=np.float32)
    q = np.array([1, 0], dtype=np.float32)
    scores = score_sentences("保证金比例降到了多少？", sentences, vecs, q, intent="")
    # same cosine: term overlap decides; same overlap share: cosine decides
    assert scores[0] > scores[1]
    assert scores[0] > scores[2]
    assert scores.shape == (3,)


def test_score_sentences_intent_prefers_figures_and_rank():
    sentences = ["保证金比例下降。", "保证金比例降至1%。"]
    vecs = np.ones((2, 2), dtype=np.float32) / np.sqrt(2)
    q = vecs[0]
    scores = score_sentences("保证金比例是多少？", sentences, vecs, q)
    assert scores[1] > scores[0]
    ranked = score_sentences("保证金比例", sentences[:1] * 2, vecs, q, ranks=[0, 3])
    assert ranked[0] > ranked[1]


def test_a_colloquial_word_is_found_as_the_documents_word():
    """ "打官司" is found where a sentence says 诉讼 (index/data/colloquial_terms.json): the
    蓉易诉 sentence, not the one on platforms at large, tells 成都's part of "商事纠纷、打官司想在
    网上就解决掉，钦州和成都各搭了什么平台" (fresh48 zd21)."""
    assert term_overlap(["打官司"], "全程在线参与诉讼", spellings={"打官司": ("诉讼",)}) == 1.0
    assert term_overlap(["打官司"], "全程在线参与诉讼") == 0.0
    half = term_overlap(["打官司"], "平台上线", "诉讼服务", spellings={"打官司": ("诉讼",)})
    assert half == pytest.approx(CONTEXT_CREDIT)
    sentences = ["升级打造了十大功能性服务平台。", "群众足不出户即可全流程在线参与诉讼。"]
    vecs = np.ones((2, 2), dtype=np.float32) / np.sqrt(2)
    scores = score_sentences("打官司想在网上解决，搭了什么平台？", sentences, vecs, vecs[0])
    assert scores[1] > scores[0]


def test_score_sentences_empty():
    assert score_sentences("问题", [], np.zeros((0, 4)), np.zeros(4)).shape == (0,)


# ------------------------------------------------------------------ composing


def _marker_numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\[(\d+)\]", text)]


def test_compose_extractive_numbers_citations_by_first_use():
    hits = [make_hit("甲句。乙句。", 1, "甲"), make_hit("丙句。", 2, "乙")]
    cands = [Candidate("甲句。", 0), Candidate("乙句。", 0), Candidate("丙句。", 1)]
    ans = compose_answer("问？", hits, cands, [0.80, 0.70, 0.85], threshold=0.5, intent="")
    assert ans.kind == "extractive" and ans.confident and ans.notice == ""
    # best first: 丙 (hit 2) gets [1], 甲 (hit 1) gets [2]; 乙 is outside the margin
    assert ans.sentences == (("丙句。", 1), ("甲句。", 2))
    assert ans.text == "丙句[1]。甲句[2]。"
    assert [c.unit_title for c in ans.citations] == ["乙", "甲"]
    assert ans.hits[0] is hits[1] and ans.hits[1] is hits[0]
    for n in _marker_numbers(ans.text):
        assert ans.citations[n - 1] == ans.hits[n - 1].citation


def test_a_narrated_answer_tells_its_sentences_in_source_order_between_head_and_after():
    hits = [make_hit("甲句。乙句。丙句。", 1, "甲")]
    cands = [Candidate("甲句。", 0), Candidate("乙句。", 0), Candidate("丙句。", 0)]
    kw = dict(threshold=0.5, intent="", max_sentences=2, tail=[("甲句。", 0), ("甲句。", 0)])
    kw |= dict(head=[("案例：甲", 0)], after=[("1. 步骤", 0)])
    plain = compose_answer("怎么做的？", hits, cands, [0.7, 0.8, 0.9], **kw)
    told = compose_answer("怎么做的？", hits, cands, [0.7, 0.8, 0.9], narrate=True, **kw)
    assert [s for s, _ in plain.sentences] == ["案例：甲", "丙句。", "乙句。", "甲句。", "1. 步骤"]
    # A piece of the tail told twice (a detail that is also a further step) is told once.
    assert [s for s, _ in told.sentences] == ["案例：甲", "甲句。", "乙句。", "丙句。", "1. 步骤"]


def test_an_outline_item_whose_detail_is_told_reads_as_its_heading():
    """ "1. 制定地方标准：组织制定贺州市地方标准《规范》" after the sentence that tells it whole
    is "1. 制定地方标准": the numbered practices sum the case up without repeating it."""
    hits = [make_hit("组织制定贺州市地方标准《规范》，明确要求。建立协作机制。", 1, "贺州")]
    cands = [Candidate("组织制定贺州市地方标准《规范》，明确要求。", 0)]
    after = [
        ("1. 制定地方标准：组织制定贺州市地方标准《规范》", 0),
        ("2. 建立机制：建立协作机制", 0),
    ]
    ans = compose_answer("怎么做的？", hits, cands, [0.9], threshold=0.5, intent="", after=after)
    assert [s for s, _ in ans.sentences][1:] == ["1. 制定地方标准", "2. 建立机制：建立协作机制"]


def test_a_step_heading_told_above_its_numbered_practice_is_told_once():
    """ "一、打造“一站点”，创新模式。" above "1. 打造“一站点”，创新模式": the numbered practices
    stand for their headings; the case's title line is not told again after "案例：<title>"."""
    text = "桂林市打造模式加强保护\n一、打造“一站点”，创新模式。联合打造工作站。二、强化“两机制”，推动落地。"
    hits = [make_hit(text, 1, "桂林")]
    told = ["桂林市打造模式加强保护", "一、打造“一站点”，创新模式。", "联合打造工作站。"]
    cands = [Candidate(t, 0) for t in [*told, "二、强化“两机制”，推动落地。"]]
    after = [
        ("1. 打造“一站点”，创新模式", 0),
        ("2. 强化“两机制”，推动落地", 0),
        ("3. 做好“三到位”", 0),
    ]
    ans = compose_answer(
        "桂林怎么做的？",
        hits,
        cands,
        [0.7, 0.9, 0.9, 0.9],
        threshold=0.5,
        intent="",
        lead=0,
        narrate=True,
        head=[("案例：桂林市打造模式，加强保护", 0)],
        after=after,
    )
    assert [s for s, _ in ans.sentences] == [
        "案例：桂林市打造模式，加强保护",
        "联合打造工作站。",
        "1. 打造“一站点”，创新模式",
        "2. 强化“两机制”，推动落地",
        "3. 做好“三到位”",
    ]


def test_compose_at_most_three_sentences_and_no_duplicates():
    hits = [make_hit("x", 1)]
    cands = [Candidate(t, 0) for t in ("一一一。", "一一一", "二二二。", "三三三。", "四四四。")]
    ans = compose_answer("问", hits, cands, [0.9, 0.9, 0.9, 0.9, 0.9], threshold=0.1, intent="")
    assert [s for s, _ in ans.sentences] == ["一一一。", "二二二。", "三三三。"]
    assert len(ans.citations) == 1 and ans.text.count("[1]") == 3


def test_compose_never_answers_with_a_field_column_unless_asked():
    """ "配合单位：…〕" read as a sentence of a task is its column, not a step of it."""
    hits = [make_hit("建立制度。配合单位：市委编办〕", 1)]
    cands = [Candidate("建立制度。", 0), Candidate("配合单位：市委编办，各县区人民政府〕", 0)]
    ans = compose_answer("怎么治理？", hits, cands, [0.8, 0.85], threshold=0.5, intent="")
    assert [s for s, _ in ans.sentences] == ["建立制度。"]
    coop = compose_answer("配合单位有哪些？", hits, cands[1:], [0.85], threshold=0.5, intent="")
    assert "市委编办" in coop.text  # when it is all there is, it is still shown


def test_compose_not_confident_below_threshold():
    hits = [make_hit("甲句。", 1), make_hit("乙句。", 2)]
    cands = [Candidate("甲句。", 0), Candidate("乙句。", 1)]
    ans = compose_answer("问？", hits, cands, [0.3, 0.4], threshold=0.5, intent="")
    assert not ans.confident
    assert ans.notice == NOTICE_UNSURE
    assert ans.sentences == (("乙句。", 1),)  # the closest match, still cited
    assert len(ans.hits) == 2  # the best matches are still returned


def test_compose_field_answer_lead_units():
    measure = make_hit(
        "压缩出口退税办理时间。全区出口退税平均办理时间不超过3个工作日。",
        2,
        "压缩出口退税办理时间",
        kind="measure",
        lead=("广西税务局",),
        deadline="2023年12月31日",
    )
    hits = [make_hit("无关案例。", 1), measure]
    cands = [Candidate("无关案例。", 0), Candidate("全区出口退税平均办理时间不超过3个工作日。", 1)]
    ans = compose_answer(
        "压缩出口退税办理时间由哪个部门牵头？", hits, cands, [0.6, 0.9], threshold=0.5
    )
    assert ans.kind == "field" and ans.confident
    assert ans.text.startswith("牵头单位：广西税务局[1]。")
    assert ans.citations[0] == measure.citation and ans.hits[0] is measure
    deadline = compose_answer("这项任务什么时候完成？", hits, cands, [0.6, 0.9], threshold=0.5)
    assert deadline.kind == "field" and "完成时限：2023年12月31日[1]" in deadline.text


def test_compose_field_falls_back_to_extractive_without_field():
    hits = [make_hit("由自治区市场监管局牵头负责。", 1)]
    cands = [Candidate("由自治区市场监管局牵头负责。", 0)]
    ans = compose_answer("这项机制由哪些部门牵头？", hits, cands, [0.9], threshold=0.5)
    assert ans.kind == "extractive" and "自治区市场监管局" in ans.text


def test_compose_without_hits_or_candidates():
    none = compose_answer("问", [], [], [])
    assert none.kind == "none" and not none.confident and none.text == "" and none.notice
    hits = [make_hit("x", 1)]
    empty = compose_answer("问", hits, [], [])
    assert empty.kind == "none" and empty.hits == tuple(hits)


def test_answer_is_frozen():
    ans = compose_answer("问", [], [], [])
    assert isinstance(ans, Answer)
    with pytest.raises(AttributeError):
        ans.text = "x"  # type: ignore[misc]


# ------------------------------------------------------------------ Answerer over a stub searcher


def stub_index(hits, dim: int) -> LiveIndex:
    """An in-memory live index holding just the hits' units and passages."""
    units = list({h.unit.id: h.unit for h in hits}.values())
    passages = [h.passage for h in hits]
    data = IndexData(
        model=ModelInfo("stub", dim, "query: ", "passage: ", "torch"),
        documents=[],
        units=units,
        passages=passages,
        dense=DenseIndex.build(np.zeros((len(passages), dim), np.float32)),
        lexical=LexicalIndex.build([tokenize(p.text) for p in passages]),
        version="stub",
    )
    return LiveIndex.in_memory(data)


class StubSearcher:
    """The searcher's interface over fixed hits (search returns them, whatever the query)."""

    def __init__(self, encoder, hits) -> None:
        self.encoder = encoder
        self.hits = tuple(hits)
        self.index = stub_index(self.hits, encoder.info.dim)
        self.calls = []

    def search(self, query, k=None, mode="hybrid", filters=None, embedded=None):
        query, notice = validate_query(query)
        self.calls.append((query, k, filters))
        return SearchResult(query, self.hits[:k], 1.0, mode, notice)


@pytest.fixture
def stub(fake_encoder):
    hits = [
        make_hit("政府采购投标保证金比例由2%降至1%。减轻企业负担。", 1, "降低保证金"),
        make_hit("企业开办时间压缩至1个工作日。", 2, "压缩时限"),
        make_hit(
            "压缩出口退税办理时间。出口退税平均办理时间不超过3个工作日。",
            3,
            "压缩出口退税办理时间",
            kind="measure",
            lead=("广西税务局",),
            coop=("人民银行南宁中心支行",),
            deadline="2023年12月31日",
        ),
    ]
    return StubSearcher(fake_encoder, hits)


def test_answerer_extractive(stub):
    answerer = Answerer(stub, threshold=0.0)
    ans = answerer.ask("投标保证金比例降到多少？")
    assert ans.kind == "extractive" and ans.confident
    assert "1%" in ans.text
    assert stub.calls[-1][1] == 8
    numbers = _marker_numbers(ans.text)
    assert numbers and max(numbers) == len(ans.citations)
    assert sorted(set(numbers)) == list(range(1, len(ans.citations) + 1))


def test_answerer_field_and_caches_sentence_vectors(stub, fake_encoder):
    answerer = Answerer(stub, threshold=0.0)
    ans = answerer.ask("压缩出口退税办理时间由哪个部门牵头？")
    assert ans.kind == "field" and "广西税务局" in ans.text
    n = _marker_numbers(ans.text)[0]
    assert ans.hits[n - 1].unit.lead_units == ("广西税务局",)
    calls = fake_encoder.calls
    coop = answerer.ask("压缩出口退税办理时间的配合单位有哪些？")
    assert "配合单位：人民银行南宁中心支行" in coop.text
    assert fake_encoder.calls == calls  # same sentences: served from the memory cache


def test_answerer_not_confident_with_high_threshold(stub):
    ans = Answerer(stub, threshold=10.0).ask("投标保证金比例降到多少？")
    assert not ans.confident and ans.notice == NOTICE_UNSURE
    assert len(ans.hits) == 3 and len(ans.sentences) == 1


def test_answerer_empty_question_raises(stub):
    with pytest.raises(QueryError):
        Answerer(stub).ask("   ")


def test_answerer_no_hits(fake_encoder):
    ans = Answerer(StubSearcher(fake_encoder, [])).ask("什么都没有")
    assert ans.kind == "none" and ans.text == "" and ans.notice and not ans.confident


def test_answerer_uses_generator_and_falls_back(stub):
    from search.llm import Generated, GenerationError

    class Good:
        def generate_for_hits(self, question, hits):
            return Generated("开办只要1个工作日[2]。", (2,))

    class Bad:
        def generate_for_hits(self, question, hits):
            raise GenerationError("boom")

    generated = Answerer(stub, generator=Good()).ask("保证金比例？")
    assert generated.kind == "generated" and generated.text == "开办只要1个工作日[1]。"
    assert generated.hits[0] is stub.hits[1] and generated.citations == (stub.hits[1].citation,)
    fallback = Answerer(stub, generator=Bad(), threshold=0.0).ask("保证金比例降到多少？")
    assert fallback.kind == "extractive"
    assert fallback.notice.startswith(NOTICE_NO_GENERATION)
    assert "1%" in fallback.text


def test_answerer_warm_embeds_every_sentence(stub, fake_encoder):
    answerer = Answerer(stub)
    count = answerer.warm()
    assert count == 5
    calls = fake_encoder.calls
    answerer.ask("企业开办时间")
    assert fake_encoder.calls == calls


# ------------------------------------------------------------------ task-table rows


def _row(number: str, indicator: str, direction: str) -> Unit:
    return Unit(
        id="t#measure001",
        doc="t.txt",
        kind="measure",
        title=direction,
        start=0,
        end=10,
        number=number,
        indicator=indicator,
        direction=direction,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("106纳税压缩出口退税办理时间推行出口退税智能化办税。", "推行出口退税智能化办税。"),
        ("106 纳税 压缩出口退税办理时间 推行办税。", "推行办税。"),
        ("106纳税推行办税。", "推行办税。"),  # direction not repeated in the row
        ("106项措施全部完成。", "106项措施全部完成。"),  # a figure, not a row number
        ("推行出口退税智能化办税。", "推行出口退税智能化办税。"),
    ],
)
def test_strip_row_prefix(text, expected):
    assert strip_row_prefix(text, _row("106", "纳税", "压缩出口退税办理时间")) == expected


def test_strip_row_prefix_leaves_cases_alone():
    case = Unit(id="c#case001", doc="c.txt", kind="case", title="x", start=0, end=1, number="1")
    assert strip_row_prefix("1纳税推行办税。", case) == "1纳税推行办税。"


def test_a_list_answer_reads_one_item_per_line():
    from search.answer import Answer

    text = "1. 减免房租[1]。2. 延期缴费，最长6个月[2]。10. 发放贷款[1]。"
    lst = Answer(text, (), (), (), True, "", "list")
    assert lst.lines == ("1. 减免房租[1]。", "2. 延期缴费，最长6个月[2]。", "10. 发放贷款[1]。")
    # Other answers stay one line, even with a figure followed by a dot and a space.
    other = Answer("共有2. 5项[1]。3. 项[1]。", (), (), (), True, "", "extractive")
    assert other.lines == (other.text,)
    # Sentences followed by a method's numbered practices: the sentences, then one per line.
    method = Answer(
        "烟台推出共享营业厅[1]。1. 一窗受理[1]。2. 系统研发[1]。",
        (),
        (),
        (),
        True,
        "",
        "extractive",
    )
    assert method.lines == ("烟台推出共享营业厅[1]。", "1. 一窗受理[1]。", "2. 系统研发[1]。")
    named = dataclasses.replace(method, text="案例：烟台水电气暖一链办[1]。" + method.text)
    assert named.lines == ("案例：烟台水电气暖一链办[1]。", *method.lines)  # the case: own line
    alone = dataclasses.replace(method, text="案例：烟台水电气暖一链办[1]。烟台推出共享营业厅[1]。")
    assert alone.lines == ("案例：烟台水电气暖一链办[1]。", "烟台推出共享营业厅[1]。")


def test_a_method_told_from_several_passages_reads_a_paragraph_per_source():
    """Sentences of one source stay one paragraph; where the source cited changes, a new
    one begins — the lines join back into the text."""
    from search.answer import Answer

    text = "案例：贺州气瓶监管[1]。四是建立协作机制[1]。签订备忘录[1]。现有25家充装单位[2]。制定标准[1]。1. 制定标准[1]。"
    method = Answer(text, (), (), (), True, "", "extractive")
    assert method.lines == (
        "案例：贺州气瓶监管[1]。",
        "四是建立协作机制[1]。签订备忘录[1]。",
        "现有25家充装单位[2]。",
        "制定标准[1]。",
        "1. 制定标准[1]。",
    )
    assert "".join(method.lines) == text
    # The practices named at the end stay one line, whatever sources they cite.
    named = (
        "案例：贺州气瓶监管[1]。签订备忘录[1]。相关做法：“千分制”[1]。积分平台[2]。1. 制定标准[1]。"
    )
    assert dataclasses.replace(method, text=named).lines == (
        "案例：贺州气瓶监管[1]。",
        "签订备忘录[1]。",
        "相关做法：“千分制”[1]。积分平台[2]。",
        "1. 制定标准[1]。",
    )


def test_a_comparison_reads_one_paragraph_per_place():
    hits = [make_hit("崇左开展视频辅导。", 1, "崇左"), make_hit("杭州推出智慧云厅。", 2, "杭州")]
    picked = [
        ("崇左：开展视频辅导。", 0),
        ("杭州：推出智慧云厅。", 1),
        ("北海：资料中没有找到", -1),
    ]
    ans = _assemble(picked, hits, False, "", "comparison", 1.0)
    assert ans.lines == (
        "崇左：开展视频辅导[1]。",
        "杭州：推出智慧云厅[2]。",
        "北海：资料中没有找到。",
    )
    assert "".join(ans.lines) == ans.text


def test_a_span_of_one_source_is_one_quote_cited_where_it_ends():
    """The selector's run of sentences reads as the source has it, cited once at its end (a
    heading without a closing mark gets "。"); every sentence still carries its source."""
    hits = [make_hit("一、申请条件。符合条件的企业；按季度拨付。", 1), make_hit("另见附件。", 2)]
    picked = [("一、申请条件", 0), ("符合条件的企业；", 0), ("按季度拨付。", 0), ("另见附件。", 1)]
    ans = _assemble(picked, hits, True, "", "span", 1.0)
    assert ans.text == "一、申请条件。符合条件的企业；按季度拨付[1]。另见附件[2]。"
    assert [n for _, n in ans.sentences] == [1, 1, 1, 2]
    # Other answers cite every sentence (a method's steps may be copied one by one).
    other = _assemble(picked[:2], hits, True, "", "extractive", 1.0)
    assert other.text == "一、申请条件[1]。符合条件的企业[1]。"


def test_a_sentence_told_drops_the_documents_own_number_of_its_measure():
    """ "13、提升公共法律服务质效…" is told without "13、"; a list's own "1. " stays."""
    hits = [make_hit("13、提升公共法律服务质效。", 1)]
    told = _assemble([("13、提升公共法律服务质效。", 0)], hits, True, "", "extractive", 1.0)
    assert told.text == "提升公共法律服务质效[1]。"
    listed = _assemble([("1. 提升服务质效", 0), ("2. 2023年完成", 0)], hits, True, "", "list", 1.0)
    assert listed.text == "1. 提升服务质效[1]。2. 2023年完成[1]。"
    year = _assemble([("2023、2024年连续", 0)], hits, True, "", "extractive", 1.0)
    assert year.text.startswith("2023、")


def test_a_question_about_our_own_reform_is_pointed_to_the_similar_cases_page():
    from search.answer import asks_similar_to_ours

    assert asks_similar_to_ours("有没有和我们这个改革相似的案例？")
    assert asks_similar_to_ours("有没有跟咱们差不多的做法？")
    assert asks_similar_to_ours("别的地方有没有同我市类似的经验？")
    assert not asks_similar_to_ours("有没有和深圳一照通办相似的案例？")  # says which
    assert not asks_similar_to_ours("其他地方怎样降低政府采购保证金？")


def test_a_figure_and_a_field_asked_in_two_clauses_are_both_asked():
    """ "…目标定在多少？要在什么时候前完成？": the figure and the deadline, not the deadline
    alone (the answer then holds 钦州市57% beside 完成时限)."""
    text = "钦州城市污水的集中收集率目标定在多少？要在什么时候前完成？"
    assert asks_figure_and_field(text)
    assert not asks_figure_and_field("压缩出口退税办理时间由哪个部门牵头？")
    assert not asks_figure_and_field("全年要新增多少户？")
    # "拿谁做参照" asks who the benchmark is, not a unit's field.
    assert not asks_figure_and_field("港口收费要压到多少？拿谁做参照？")
    assert asks_figure_and_field("港口收费要压到多少？谁牵头？")
    q = reconcile(make_question("field", fields=("完成时限",), text=text), "deadline")
    assert q.kind == "multi" and {"figure", "field"} <= q.types
    # "新增几家…？…由哪个部门牵头？": 几家 (no 哪) asks how many, though the model reads items.
    text = "全区今年准备新增几家上市企业？这件事归哪个部门牵头？"
    q = reconcile(make_question("list", fields=("牵头单位",), text=text), "lead")
    assert q.kind == "multi" and {"figure", "field"} <= q.types


def test_a_figure_read_alone_with_a_lead_clause_asks_both():
    """ "…不能低于营收的百分之几？这条在全区是哪几家牵头？": the model reads a figure only, and
    哪几家 there asks the lead units, not a list of items."""
    text = "规模以上国有工业企业一年的研发投入不能低于营收的百分之几？这条在全区是哪几家牵头？"
    q = reconcile(make_question("figure", text=text), "lead")
    assert q.kind == "multi" and q.fields == ("牵头单位",)
    assert {"figure", "field"} <= q.types
    # 哪几 asking the items still reads a list.
    q = reconcile(make_question("method", text="全区把企业分成了哪几类来管？"), "")
    assert q.kind == "list"


def test_a_passage_of_field_columns_only_is_a_field_note():
    assert only_fields(
        "（牵头单位：市商务局、市投资促进局；配合单位：市中级法院，自贸区钦州港片区管委）"
    )
    assert only_fields("〔牵头单位：市行政审批局；配合单位：各县区人民政府〕")
    assert not only_fields("严格落实涉企保证金目录清单制度。（牵头单位：市市场监管局）")
    assert not only_fields("")


def test_a_field_column_is_no_sentence_only_where_the_unit_s_fields_were_read():
    """ "配合单位：…）" of a 钦州 measure is shown as its field; a policy of unknown layout keeps
    "责任单位：…" as a sentence (NCPQA asks who is responsible)."""
    read = make_unit(lead_units=("市商务局",), coop_units=("市发展改革委",))
    assert shown_as_field("配合单位：市发展改革委、市交通运输局）", read)
    assert shown_as_field("（牵头单位：市商务局，钦州海关；", read)
    assert not shown_as_field("责任单位：市卫生健康委", make_unit())
    assert not shown_as_field("推广亚太经合组织（APEC）商务旅行卡。", read)


def _agreed_case(kind: str, text: str, score: float = 1.05, agreed: bool = True):
    unit = make_unit()
    hit = factories.make_hit(unit, "牵头单位：市商务局。")
    hit = dataclasses.replace(hit, first_in_both=agreed)
    other = factories.make_hit(make_unit("d#measure2"), "别的条目。", rank=2)
    answer = _assemble([("牵头单位：市商务局", 0)], [hit, other], False, NOTICE_UNSURE, kind, score)
    return hit, other, answer


def test_an_unsure_answer_from_the_passage_both_retrievers_put_first_may_be_confident():
    q = make_question("field", fields=("牵头单位",), text="这条措施由哪些单位来抓？")
    hit, other, answer = _agreed_case("field", q.text)
    assert agreed_band(q, [hit, other], answer, missing=())
    assert cites(answer, hit) and not cites(answer, other)
    assert not agreed_band(q, [hit, other], answer, missing=("火星",))  # a place is missing
    _, _, low = _agreed_case("field", q.text, score=0.99)
    assert not agreed_band(q, [hit, other], low, missing=())  # below AGREED_THRESHOLD
    disagreed, _, answer = _agreed_case("field", q.text, agreed=False)
    assert not agreed_band(q, [disagreed, other], answer, missing=())
    comparison = make_question("comparison", text="甲和乙各怎么做？")
    assert not agreed_band(comparison, [hit, other], answer, missing=())


def test_only_an_answer_of_the_kind_asked_tells_what_is_asked():
    field_q = make_question("field", fields=("牵头单位",), text="这条措施由哪些单位来抓？")
    _, _, field = _agreed_case("field", field_q.text)
    _, _, sentence = _agreed_case("extractive", field_q.text)
    assert tells_what_is_asked(field_q, field) and not tells_what_is_asked(field_q, sentence)
    # A method question asking who ("由哪个部门审批"): a unit's field, not a sentence.
    who = make_question("method", text="预制菜生产许可由哪个部门审批？")
    assert not tells_what_is_asked(who, sentence) and tells_what_is_asked(who, field)
    how = make_question("method", text="台州政府采购是怎么帮企业解决融资的？")
    assert tells_what_is_asked(how, sentence)
    place = make_question("place", text="“零号员工”是哪个区的做法？")
    assert not tells_what_is_asked(place, sentence)


def test_the_place_of_a_unit_asked_is_a_which_place_question():
    """ "哪个市税务局牵头的纳税指标…连续三年排全区前四" / "杭州哪个区的税务部门搞了个…": read as
    牵头单位, they ask which city or district; "哪个部门牵头" still asks the unit."""
    for text in (
        "全区营商环境第三方评估里，哪个市税务局牵头的纳税指标连续三年都排在全区前四？",
        "杭州哪个区的税务部门搞了个能视频连线税务干部的“云厅”？",
    ):
        assert places_a_unit(text)
        q = reconcile(make_question("field", fields=("牵头单位",), text=text), "")
        assert q.kind == "place" and not q.fields
    for text in ("钦州哪个区的项目由哪个部门牵头？", "哪个市税务局牵头，谁配合？"):
        assert not places_a_unit(text)
    text = "把遗产管理人制度引进不动产登记，是哪个市政府配合？"  # a government is the unit
    q = reconcile(make_question("field", fields=("配合单位",), text=text), "")
    assert q.kind == "field"


def test_a_field_word_that_sets_the_scene_does_not_replace_the_field_asked():
    """ "…，检察院牵头，配合它的是哪个单位？" (fresh63 zs20): 牵头 is told in a clause that asks
    nothing, so the 配合单位 the asking clause names stays (it was replaced by 牵头单位, the
    first field word of the whole question); a field word in the clause that asks still
    decides ("这项任务要哪些部门配合？")."""
    text = "全区推进涉案企业合规改革试点，检察院牵头，配合它的是哪个单位？"
    assert asking_part(text) == "配合它的是哪个单位"
    q = reconcile(make_question("field", fields=("配合单位",), text=text), detect_intent(text))
    assert q.fields == ("配合单位",)
    text = "这项任务要哪些部门配合？"
    q = reconcile(make_question("field", fields=("牵头单位",), text=text), detect_intent(text))
    assert q.fields == ("配合单位",)


def test_a_field_read_with_no_word_is_no_figure_either_without_a_word_for_how_much():
    """ "钦州给担保机构补资本金是按什么来算的" (a part of probe_mv yl20) was read as 牵头单位,
    then as the classifier's next kind, a figure: no word asks how much, so the next kind
    that is no figure (here the way it is done) answers; with 多少 the figure stands."""
    scores = (("field", 0.6), ("figure", 0.3), ("method", 0.1))
    text = "钦州给担保机构补资本金是按什么来算的"
    q = dataclasses.replace(make_question("field", fields=("牵头单位",), text=text), scores=scores)
    assert reconcile(q, detect_intent(text)).kind == "method"
    amount = "钦州给担保机构补了多少资本金"
    q = dataclasses.replace(q, text=amount)
    assert reconcile(q, detect_intent(amount)).kind == "figure"
    # No word asks how or on what basis: the next kind stands (an account number answers).
    account = "广西壮族自治区红十字会接收捐款账户信息是什么？"
    q = dataclasses.replace(q, text=account)
    assert reconcile(q, detect_intent(account)).kind == "figure"


def test_the_units_named_after_pei_he_de_ask_the_cooperating_units():
    """ "钦州这条措施配合的群团组织有哪几家？" (probe_mw ym24) was read as a list, or as 牵头单位
    beside a figure: 配合的…有哪几家 asks the 配合单位, alone or as one part of two."""
    text = "钦州这条措施配合的群团组织有哪几家？"
    assert detect_intent(text) == "coop"
    q = reconcile(make_question("list", {"list", "field"}, ("牵头单位",), text=text), "coop")
    assert q.kind == "field" and q.fields == ("配合单位",)
    two = "钦州2024年又定了多少场以上？钦州这条措施配合的群团组织有哪几家？"
    multi = make_question("multi", {"field", "figure"}, ("牵头单位",), text=two)
    assert reconcile(multi, detect_intent(two)).fields == ("配合单位",)
    # A field with a word of its own stays ("由谁牵头"), and so does a list of measures.
    led = "钦州定了多少场？这条由谁牵头，配合的单位有哪些？"
    assert reconcile(dataclasses.replace(multi, text=led), detect_intent(led)).fields == (
        "牵头单位",
    )
    assert detect_intent("配合的措施有哪些？") != "coop"


def test_a_unit_word_in_a_clause_that_asks_nothing_asks_no_field():
    """ "企业反映的问题…常牵扯好多部门，全区专门搭了个什么班子来统一调度处理？" (probe_lm yd24) was
    read as a 配合单位 question and answered with a 报送单位 line: 部门 is in the clause that sets
    the scene, and the body set up (什么班子) is how it is done."""
    text = "企业反映的问题一件事常牵扯好多部门，全区专门搭了个什么班子来统一调度处理？"
    q = reconcile(make_question("field", fields=("配合单位",), text=text), "")
    assert q.kind == "method" and not q.fields
    text = "这件事牵扯好多部门，由哪个部门牵头？"  # the clause that asks names the unit
    q = reconcile(make_question("field", fields=("牵头单位",), text=text), detect_intent(text))
    assert q.kind == "field" and q.fields == ("牵头单位",)


def test_what_else_besides_one_thing_set_aside_is_a_practice_not_a_list():
    """ "除了政采贷，自治区财政厅…还推了什么？" read as a list (the case's headings were given):
    no word asks for items, so it asks what else was done."""
    text = "除了政采贷，自治区财政厅在政府采购金融服务上还推了什么？"
    assert reconcile(make_question("list", text=text), "").kind == "method"
    listed = "除了证照三联办，北海这两年在企业登记上还推了哪些改革？"  # 哪些 asks items
    assert reconcile(make_question("list", text=listed), "").kind == "list"
    # Nothing set aside, and still no word that asks for several things: one way of doing.
    assert reconcile(make_question("list", text="财政厅还推了什么？"), "").kind == "method"


def test_a_list_read_where_no_word_asks_for_several_things_asks_one_way():
    """ "按什么原则来划分由谁把关" / "有没有专门全程代办的服务队" read as lists: no word asks for
    several things (哪些、哪几、几个、有什么、啥、包括…), so a way of doing is asked."""
    for text in (
        "重庆做公平竞争审查，按什么原则来划分由谁把关？",
        "重大项目开工前手续多，有没有专门全程代办的服务队？",
        "全区想让中游环节的天然气便宜一点，打算从哪儿下手？",
    ):
        assert reconcile(make_question("list", text=text), "").kind == "method", text
    for text in (
        "2023年工作要点里办理破产这一块，都部署了啥？",
        "自治区财政厅惠企政策里的“加减乘除”各指什么？",
        "成都营商环境4.0方案是从哪5个维度来定举措的？",
        "北京市对于因疫情影响暂停举办的展会项目有何支持政策？",  # NCPQA's lists
        "工信部对疫情期间中小企业生产经营具体采取了什么措施？",
    ):
        assert reconcile(make_question("list", text=text), "").kind == "list", text


def test_fields_named_side_by_side_are_asked_in_the_order_answers_tell_them():
    """ "牵头单位和配合单位分别是哪些" read by the classifier as 配合单位 alone: both, lead first."""
    text = "钦州提升口岸通关便利化，牵头单位和配合单位分别是哪些？"
    q = reconcile(make_question("field", fields=("配合单位",), text=text), "")
    assert q.fields == ("牵头单位", "配合单位")


def test_a_field_question_that_asks_when_asks_the_deadline_too():
    """ "…这事谁来牵头、啥时候前要落实？" read as 牵头单位 alone (落实 read as a unit's work):
    the words that ask when ask the deadline; "多久办完" asks how long, not when."""
    text = "全区采购预付款那条，最低能压到多少？这事谁来牵头、啥时候前要落实？"
    q = reconcile(
        make_question("multi", {"field", "figure"}, fields=("牵头单位",), text=text), "lead"
    )
    assert q.fields == ("牵头单位", "完成时限") and q.kind == "multi"
    text = "这项由哪个部门牵头？全程多久办完？"
    q = reconcile(make_question("field", fields=("牵头单位",), text=text), "lead")
    assert q.fields == ("牵头单位",)
    # the policy's own term, which the task's sentence tells, is no deadline
    text = "全区阶段性降低失业、工伤保险费率的政策要延续到什么时候？这事由谁来抓？"
    q = reconcile(make_question("field", fields=("牵头单位",), text=text), "lead")
    assert q.fields == ("牵头单位",)


def test_a_local_standard_asked_is_no_place():
    """ "首发实施的是哪个地方标准" asks a standard, not a place."""
    text = "广西首发实施的是哪个地方标准"
    read = dataclasses.replace(
        make_question("place", text=text), scores=(("place", 0.6), ("list", 0.3))
    )
    assert reconcile(read, "").kind == "list"
    assert reconcile(dataclasses.replace(read, text="哪个地方最先推行"), "").kind == "place"


def test_which_units_to_help_is_the_field_not_a_list():
    """ "…那条措施，除了牵头的，还要哪几个市直部门配合？": the 配合单位 of one measure."""
    text = "钦州试行市场准入“承诺即入”的那条措施，除了牵头的，还要哪几个市直部门配合？"
    q = reconcile(make_question("list", {"list", "field"}, fields=("配合单位",), text=text), "")
    assert q.kind == "field" and q.fields == ("配合单位",)


def test_the_units_of_a_field_asked_as_items_or_by_their_kind_are_the_field():
    """ "配合单位有哪些" (read as a method) and "还拉了哪几个群团组织一起配合" (read as a list)
    ask the 配合单位 of one measure; the measure's sentences listed answered them (fresh46
    zb26)."""
    plain = "钦州优化人力资源服务这条措施，配合单位有哪些？"
    q = reconcile(
        make_question("method", {"method", "field"}, fields=("配合单位",), text=plain), ""
    )
    assert q.kind == "field" and q.fields == ("配合单位",)
    groups = "钦州优化人力资源服务这条措施，除了人社局牵头，还拉了哪几个群团组织一起配合？"
    q = reconcile(make_question("list", {"list", "field"}, fields=("配合单位",), text=groups), "")
    assert q.kind == "field" and q.fields == ("配合单位",)
    steps = make_question(
        "method", {"method", "field"}, fields=("配合单位",), text="各单位怎么配合？"
    )
    assert reconcile(steps, "").kind != "field"  # how they work together: no units asked


def test_the_act_a_figure_question_counts():
    assert counted_act("到现在一共会诊了多少个？") == "会诊"
    assert counted_act("营商环境4.0版一共提出了多少项工作举措？") == "提出"
    assert counted_act("办理时限压缩到多少天？") == ""  # 到 is no act
    assert counts_act("共会诊法律问题2500余个，调解解决案件1180件。", "会诊")
    assert not counts_act("对接商（协）会83个，开展法律问题集中会诊，遇到纠纷及时调解。", "会诊")


def test_the_bound_a_figure_question_asks():
    assert asked_bound("改之前，企业从拿地到放款一般至少要多少天？") == "至少"
    assert asked_bound("平均几个工作日办结？") == "平均"
    assert asked_bound("从拿地到放款要多少天？") == ""
    assert states_bound("统计近两年的三宗土地全流程办理贷款时长，耗时至少半年（180天）。", "至少")
    assert not states_bound("全流程耗时49天，办理时长减少131天以上。", "至少")
    assert not states_bound("至少要做到材料齐全、流程清楚，全流程耗时49天。", "至少")
    assert not states_bound("今年以来，洮南市全面落实“最多跑一次”改革。", "最多")  # a name


def test_a_day_asked_is_told_by_a_date_with_its_day():
    """ "是哪天拿到批复的": a month and a day answer it, not a year-end's figure (ym14)."""
    from search.compose import figure_pattern, holds_figure

    day = figure_pattern("柳州产业园是哪天拿到国家级园区批复的")
    assert holds_figure("2023年4月28日，产业园获人社部批复成为国家级园区。", day)
    assert not holds_figure("截至2023年底，产业园累计完成营业收入超过100.17亿元。", day)
    # A day asked beside a figure asks the figure too: any figure stands.
    assert figure_pattern("是哪天上线的，一共办了多少件？").search("办理1200件")


def test_what_a_figure_question_measures():
    """The words before a linking verb and 多少 (fresh65 zu30); none without a linking verb
    or when a one-character word ends them."""
    assert measured_noun("那家GD物业，2023年营业收入到了多少？") == "营业收入"
    assert measured_noun("全市跨境电商进出口额达到了多少？") == "电商进出口额"
    assert measured_noun("贷款余额是多少？") == "贷款余额"
    # a verb of change links it too (probe_mx yv08: "交易效率提升29%")
    assert measured_noun("交易效率提了多少？") == "交易效率"
    assert measured_noun("审批时间压到了多少？") == ""  # 压 is the act, not what is measured
    assert measured_noun("全市已有多少名办税人员？") == ""
    assert measured_noun("一共提出了多少项工作举措？") == ""  # no linking verb: counted_act's
    # 多少 counts the words after it: those before name their owner, not what is measured.
    assert measured_noun("贵州有多少个政务服务中心跟外省建了合作？") == ""
    assert measured_noun("有贷款余额的个体工商户有多少户？") == ""
    assert counts_act("2023年营业收入分别达到91万元、447万元和2277万元。", "营业收入")
    assert not counts_act("2023年中标采购金额分别为85.5万元和4800万元。", "营业收入")


@pytest.mark.parametrize(
    ("question", "other", "asked"),
    [
        pytest.param(
            "桂林法官定期去商会给企业看法律问题，一共会诊了多少个？",
            "协同对接商（协）会83个，派驻法官定期开展法律问题集中会诊，及时调解纠纷。",
            "共会诊法律问题2500余个，调解解决案件1180件。",
            id="act-counted",
        ),
        pytest.param(
            "百色那项改革之前，企业从拿地到银行放款一般至少要多少天？",
            "全流程耗时49天，办理时长减少131天以上。",
            "统计近两年的三宗土地全流程办理贷款时长，耗时至少半年（180天）。",
            id="bound-asked",
        ),
        pytest.param(
            "那家靠中标政府采购项目做大的GD物业，2023年营业收入到了多少？",
            "GD物业公司共获中标29个政府采购项目，2023年中标采购金额为4800万元。",
            "2021年、2022年和2023年营业收入分别达到91万元、447万元和2277万元。",
            id="thing-measured",
        ),
    ],
)
def test_a_figure_answer_opens_with_the_figure_asked(question, other, asked):
    """The best sentence's figure is of another thing (商会83个) or not the bound asked (49天):
    the sentence with the figure asked opens the answer and the other stays as context."""
    hits = [make_hit(other + asked)]
    cands = [Candidate(other, 0), Candidate(asked, 0)]
    # Below SENTENCE_MARGIN, within FIGURE_MARGIN: not picked by its score alone.
    ans = compose_answer(question, hits, cands, [0.95, 0.83], threshold=0.5, intent="figure")
    assert ans.text.startswith(asked[:10]) and other[:10] in ans.text
    # Beyond FIGURE_MARGIN the sentence is not what the answer is about.
    far = compose_answer(question, hits, cands, [0.95, 0.70], threshold=0.5, intent="figure")
    assert asked[:10] not in far.text


def test_an_unsure_figure_answer_opens_with_the_kind_of_figure_asked():
    """ "审批时间压到了多少": a span of time asked, so the sources shown open with the sentence
    holding one ("至0.5个工作日"), not the best-scored one's "13家次"; any figure asked
    ("一共有多少") keeps the best."""
    from search.compose import asks_figure_kind, figure_pattern

    assert figure_pattern("开一家公司，审批时间压到了多少？").search("审批时限至0.5个工作日")
    assert not figure_pattern("开一家公司，审批时间压到了多少？").search("座谈活动13家次")
    assert not asks_figure_kind("平均办理时间压缩了多少？")  # by how much: often 60%
    assert not asks_figure_kind("一共有多少？")
    talks = "设立政商联络工作站，开展座谈活动13家次。"
    span = "压缩企业设立审批时限至0.5个工作日。"
    hits = [make_hit(talks + span)]
    cands = [Candidate(talks, 0), Candidate(span, 0)]
    unsure = compose_answer(
        "天津北辰开一家公司，审批时间压到了多少？",
        hits,
        cands,
        [1.03, 1.02],
        threshold=1.1,
        intent="figure",
    )
    assert not unsure.confident and unsure.text.startswith("压缩企业设立审批时限")
    anything = compose_answer(
        "北辰一共有多少？", hits, cands, [1.03, 1.02], threshold=1.1, intent="figure"
    )
    assert anything.text.startswith("设立政商联络工作站")


def test_a_figure_asked_to_date_opens_with_the_sentence_that_counts_to_date():
    """ "搞到现在，一共融到了多少钱": the total so far ("截至目前，累计…超18亿元"), not a
    period's figure that shares more of the question's words ("2021年1—10月，总计发放…"),
    whether the answer is confident or not; a question not asking to date keeps the best
    (fresh48 zd31)."""
    from search.compose import asks_to_date, counts_to_date

    assert asks_to_date("深圳的政府采购订单融资搞到现在，一共帮企业融到了多少钱？")
    assert not asks_to_date("深圳2021年一共发放了多少订单融资贷款？")
    assert counts_to_date("截至目前，累计融资金额超18亿元，惠及企业超过200家。")
    assert not counts_to_date("2021年1—10月，总计发放政府采购订单融资贷款2.02亿元。")
    assert not counts_to_date("目前已建成服务平台。")  # no figure after the word
    period = "2021年1—10月，总计发放政府采购订单融资贷款2.02亿元。"
    so_far = "截至目前，累计融资金额超18亿元，惠及企业超过200家。"
    hits = [make_hit(period + so_far)]
    cands = [Candidate(period, 0), Candidate(so_far, 0)]
    question = "深圳的政府采购订单融资搞到现在，一共帮企业融到了多少钱？"
    for threshold in (0.5, 1.1):  # confident, then unsure
        ans = compose_answer(
            question, hits, cands, [1.0, 0.9], threshold=threshold, intent="figure"
        )
        assert ans.text.startswith("截至目前，累计融资金额超18亿元"), threshold
    plain = compose_answer(
        "深圳一共发放了多少订单融资贷款？", hits, cands, [1.0, 0.9], threshold=1.1, intent="figure"
    )
    assert plain.text.startswith("2021年1—10月")


def test_a_figure_counted_up_to_a_year_opens_with_the_sentence_of_that_year():
    """ "到2024年底有多少个工程项目投保了": the count up to the year asked ("截至2024年12月，
    全市共有153个…", ranked 4th), not today's count of another thing of the case ("目前，全市共有
    610个在建工程项目", which counts to date as well and scores higher; fresh62 zr14)."""
    from search.compose import asked_until, counts_until, figure_pattern

    question = "河池拿保证保险顶替农民工工资保证金，到2024年底有多少个工程项目投保了？"
    assert asked_until(question) == "2024"
    assert asked_until("河池一共有多少个工程项目投保了？") == ""
    figure = figure_pattern(question)
    counted = "截至2024年12月，全市共有153个工程项目参加保证保险。"
    today = "目前，全市共有610个在建工程项目，需存储工资保证金1.02亿元。"
    assert counts_until(counted, "2024", figure)
    assert not counts_until(today, "2024", figure)
    assert not counts_until("2024年，我市大胆探索保证保险。", "2024", figure)  # no figure after
    texts = ["河池市推行保证保险替代工资保证金模式。", today, "保费按保证金的1.8%确定。", counted]
    hits = [make_hit(text, rank) for rank, text in enumerate(texts, 1)]
    cands = [Candidate(text, k) for k, text in enumerate(texts)]
    scores = [1.185, 1.159, 1.147, 1.135]
    ans = compose_answer(question, hits, cands, scores, threshold=0.5, intent="figure")
    assert ans.confident and ans.text.startswith("截至2024年12月，全市共有153个"), ans.text
    plain = compose_answer(
        "河池一共有多少个工程项目？", hits, cands, scores, threshold=0.5, intent="figure"
    )
    assert "153个" not in plain.text


def test_a_sum_of_money_asked_is_answered_with_one():
    """ "追回了多少被拖欠的工钱": the answer holds a sum of money ("261.66万元"); a sentence
    whose only figure is a span of time ("5个工作日内") is not one (probe_fc yc03)."""
    from search.compose import asks_figure_kind, figure_pattern

    question = "河池推工资保险那一年，一共帮农民工追回了多少被拖欠的工钱？"
    assert asks_figure_kind(question)
    assert figure_pattern(question).search("为农民工追发劳动报酬261.66万元")
    assert not figure_pattern(question).search("在5个工作日内向农民工支付拖欠工资")
    assert figure_pattern("一共帮企业融到了多少钱？").search("累计融资金额超18亿元")
    steps = "保险机构在5个工作日内向农民工支付拖欠工资。"
    paid = "全年为农民工追发劳动报酬261.66万元。"
    hits = [make_hit("河池市施行农民工工资支付+保险政策。" + steps + paid)]
    cands = [Candidate(steps, 0), Candidate(paid, 0)]
    ans = compose_answer(question, hits, cands, [1.17, 1.11], threshold=0.5, intent="figure")
    assert ans.confident and "261.66万元" in ans.text


def test_a_place_of_the_level_asked_is_named_by_its_name_not_by_the_level():
    """ "哪个市": 南宁市 names one; 全市、各市 do not, nor a city the question names itself."""
    from search.answer import names_place_of_level

    question = "各市跨境电商企业数量的目标里，哪个市定得最高？"
    assert names_place_of_level(question, ["南宁市1900人，各市任务中最多"])
    assert not names_place_of_level(question, ["2024年，全市共有95家企业申报", "各市任务"])
    assert not names_place_of_level("钦州市哪个部门最多？", ["钦州市共有5家"])
    assert names_place_of_level("贵州哪个县最先开通？", ["在龙里县政务服务中心办理"])


def test_a_task_field_asked_each_of_places_with_no_task_rows_is_a_comparison():
    """ "桂林工商联和洮南各给自己定了什么时限": the cases of 桂林 and 洮南 have no 完成时限 to
    answer from; each place's own practice (3个工作日内…, 10日内…) is asked."""
    text = "企业反映了诉求，多久能有个回音？桂林工商联和洮南各给自己定了什么时限？"
    q = make_question("multi", fields=("完成时限",), places=("桂林", "洮南"), text=text)
    rows = frozenset({"广西壮族自治区", "广西壮族自治区钦州市"})
    assert reconcile(q, "deadline", rows).kind == "comparison"
    assert reconcile(q, "deadline").kind == "multi"  # rows not known: the field stands
    # 钦州's plan has task rows: its deadline is a field to answer from.
    own = make_question("multi", fields=("完成时限",), places=("钦州", "洮南"), text=text)
    assert reconcile(own, "deadline", rows).kind == "multi"
    # 报送单位 is a case's field too.
    told = "桂林和洮南的这两个案例各是哪个单位报送的？"
    sent = make_question("field", fields=("报送单位",), places=("桂林", "洮南"), text=told)
    assert reconcile(sent, "", rows).kind == "field"


def test_task_places_are_the_regions_of_documents_with_task_rows():
    from types import SimpleNamespace

    units = [
        dataclasses.replace(
            make_unit("plan#measure1", lead_units=("市发展改革委",)), doc="plan.txt"
        ),
        dataclasses.replace(make_unit("cases#case1", kind="case"), doc="cases.txt"),
    ]
    docs = [
        SimpleNamespace(doc="plan.txt", region="广西壮族自治区钦州市"),
        SimpleNamespace(doc="cases.txt", region="全国"),
    ]
    snapshot = SimpleNamespace(units=units, documents=docs)
    assert index_task_places(snapshot) == frozenset({"广西壮族自治区钦州市"})


def test_plain_documents_are_those_whose_units_are_all_sections():
    """A notice no parser knew is plain; a plan whose parts are sections beside its measures
    is not (its parts' measures are the list a question asks)."""
    from types import SimpleNamespace

    units = [
        dataclasses.replace(make_unit("notice#section1", kind="section"), doc="notice.txt"),
        dataclasses.replace(make_unit("notice#section2", kind="section"), doc="notice.txt"),
        dataclasses.replace(make_unit("plan#section1", kind="section"), doc="plan.txt"),
        dataclasses.replace(make_unit("plan#measure1"), doc="plan.txt"),
    ]
    assert index_plain_docs(SimpleNamespace(units=units)) == frozenset({"notice.txt"})


def test_an_unsure_comparison_names_every_source_of_each_place_s_paragraph():
    """ "广西 来源[3][5]": the paragraph's later sentence (桂商码, in another passage of the
    case) is where the device is; the notice names both sources, not only the first."""
    sentences = (("深圳一", 1), ("深圳二", 1), ("广西一", 3), ("广西二", 5), ("广西三", 3))
    answer = Answer("", sentences, (), (), False, "", "comparison", continued=frozenset({1, 3, 4}))
    assert paragraph_sources(answer) == [[1], [3, 5]]


def test_which_city_s_target_is_highest_asks_a_place_not_the_indicator():
    """ "哪个市的指标定得最高": 指标 is the target's value here; the indicator is asked as
    "算哪个(营商环境)指标 / 属于什么指标". The answer names the city (贺州市5%，各市任务中最高)."""
    text = "各市每千人口医院床位数的年度增长任务里，哪个市的指标定得最高？"
    q = reconcile(make_question("field", fields=("指标",), text=text), detect_intent(text))
    assert q.kind == "place" and not q.fields
    asked = "防城港跨国医疗救助那个示范案例归在哪个指标下面？"
    q = reconcile(make_question("field", fields=("指标",), text=asked), detect_intent(asked))
    assert q.kind == "field" and q.fields == ("指标",)


def test_rows_holding_the_fields_asked_keep_the_question_from_the_span_selector():
    """A task row's field asked, held by one of the hits' units, is answered from the row
    (the composer), not by a span of the plan section ranked first."""
    hits = [
        make_hit("加强组织领导。", 1, title="保障措施", kind="section"),
        make_hit(
            "持续完善监测制度。", 2, title="完善营商环境季度监测制度", deadline="2023年12月31日"
        ),
    ]
    when = make_question("field", fields=("完成时限",))
    assert rows_hold_fields(when, hits)
    assert not rows_hold_fields(make_question("field", fields=("牵头单位",)), hits)
    assert not rows_hold_fields(make_question("method"), hits)


def test_a_part_s_pieces_are_added_after_the_answer_with_citations_numbered_again():
    """`Answerer.with_parts`: what a part's answer tells that the whole one lacks goes after
    it; a hit cited by both keeps its number, a new one gets the next; not confident when the
    part's answer is not (its notice then says so)."""
    a, b = make_unit("d#case1", kind="case", title="案例甲"), make_unit("d#case2", kind="case")
    first, second = factories.make_hit(a, "甲句。"), factories.make_hit(b, "乙句。", rank=2)
    whole = _assemble([("甲句。", 0)], [first, second], True, "", "extractive", 1.2)
    part = _assemble(
        [("案例：案例甲", 0), ("乙句。", 1), ("甲又一句。", 0)],
        [first, second],
        False,
        "",
        "x",
        1.0,
    )
    pieces = _leading_pieces(part, "")
    assert [s for s, _ in pieces] == ["乙句。", "甲又一句。"]  # no case title line
    # What the answer tells already is left out, and takes none of the part's room.
    assert [s for s, _ in _leading_pieces(part, "乙句")] == ["甲又一句。"]
    assert [s for s, _ in _leading_pieces(part, "乙句", told_takes_room=True)] == ["甲又一句。"]
    merged = _with_pieces(whole, pieces, confident=False)
    assert merged.text == "甲句[1]。乙句[2]。甲又一句[1]。"
    assert merged.cited_hits == (first, second)
    assert not merged.confident and merged.notice == NOTICE_UNSURE
    assert _with_pieces(whole, pieces[:1], confident=True).confident


def test_a_clause_cut_at_a_semicolon_is_told_by_the_sentence_an_answer_holds():
    """A part's piece "对C类个体工商户，按85%比例现场抽查；" is the answer's "…现场抽查[1]。"
    (citation marks and closing punctuation aside): not added twice."""
    told = "对C类个体工商户，按85%比例现场抽查。2024年以来，全市经营主体达46.09万户。"
    assert _as_told("对C类个体工商户，按85%比例现场抽查；") in told
    assert _as_told("对 C类个体工商户，按85%比例现场抽查。") in told
    assert _as_told("对B类个体工商户按1.3%比例抽查；") not in told


def test_a_method_answer_tells_a_field_asked_for_a_unit_only_on_its_line():
    """ "…跨国医疗救助案例，是哪个单位报上来的？" read as a method was answered by the case's
    sentences, confidently, without its 报送单位 (fresh64 zt24): a method's answer is confident
    only with a line for each field asked in words for a unit or a date. A field read into
    "背后搭了个什么" is not asked, and other kinds tell a field in their own words."""
    text = "东兴那个跨国医疗救助案例，是哪个单位报上来的？"
    method = make_question("method", {"method", "field"}, ("报送单位",), text=text)
    sentences = Answer(
        "东兴市人民医院签定救助协议[1]。",
        (("东兴市人民医院签定救助协议", 1),),
        (),
        (),
        True,
        "",
        "extractive",
    )
    told = dataclasses.replace(
        sentences, sentences=(("报送单位：防城港市卫生健康委", 1), *sentences.sentences)
    )
    assert not tells_fields(method, sentences)
    assert tells_fields(method, told)
    built = make_question(
        "method", {"method", "field"}, ("牵头单位",), text="那个专区系统背后搭了个什么？"
    )
    assert tells_fields(built, sentences)
    field = dataclasses.replace(method, kind="field")
    assert tells_fields(field, sentences)


def test_a_which_place_question_naming_a_figure_s_noun_asks_the_place():
    """ "哪个城市在全国第一个搞了…按不同比例缴存的政策？" (the model: place, 0.99) was read as a
    figure for its 比例 and answered by the quote without 成都 (fresh64 zt28): a figure's noun
    alone tells what was done. A word that asks how much still asks the figure."""
    text = "哪个城市在全国第一个搞了住房公积金单位和职工可以按不同比例缴存的政策？"
    assert reconcile(make_question("place", text=text), detect_intent(text)).kind == "place"
    amount = "哪个市的企业开办时间压到了多少天？"
    assert reconcile(make_question("place", text=amount), detect_intent(amount)).kind == "figure"


def test_a_field_read_with_no_word_of_its_own_is_not_asked():
    """ "…在办税服务厅里到底是安排什么人全程跟着纳税人把事办完？" (fresh70 yn07) was read as
    牵头单位: no word asks who leads (办完 asks no field read), so it is the classifier's next
    reading; not a place, which no word asks, and never a field with no fields."""
    text = "全区税务说要“陪着”纳税人办税，在办税服务厅里到底是安排什么人全程跟着纳税人把事办完？"
    ranked = (("field", 0.7), ("multi", 0.18), ("place", 0.05), ("list", 0.03), ("method", 0.02))
    q = dataclasses.replace(make_question("field", fields=("牵头单位",), text=text), scores=ranked)
    read = reconcile(q, detect_intent(text))
    assert read.kind in ("list", "method") and not read.fields
    # A unit asked (哪个部门) asks a unit's field, whichever one the classifier read.
    who = dataclasses.replace(q, text="欠中小企业的钱，由哪个部门怎么清？")
    assert reconcile(who, "").fields == ("牵头单位",)


def test_units_asked_with_which_ones_are_a_field_beside_the_items():
    """ "…要多往哪些对象身上投？配合金融监管局一起干的有哪些单位？": the second 哪些 asks the
    units of a field, so the question asks items and a field."""
    assert asks_items_and_field(
        "全区的桂惠贷今年要多往哪些对象身上投？配合金融监管局一起干的有哪些单位？"
    )
    assert not asks_items_and_field("配合金融监管局一起干的有哪些单位？")


def test_fields_are_asked_of_places_apart_only_in_clauses_of_their_own():
    """`fields_asked_apart`: each place named in its own clause that asks a field (the region
    by its level word 全区), not two places in one clause, nor a place in a clause that asks
    nothing."""
    apart = "全区任务清单里是哪家法院牵头，钦州方案里又是谁牵头？"
    assert fields_asked_apart(apart, ("广西", "钦州"))
    assert not fields_asked_apart("钦州和全区的这项任务由谁牵头？", ("广西", "钦州"))
    assert not fields_asked_apart("钦州搞了破产改革，全区这项由谁牵头？", ("广西", "钦州"))


def test_each_of_a_counted_few_named_is_a_list():
    """ "…织成了三张网，这三张网分别叫什么" (a part of probe_mv yl01) was read as a place, then
    a method: what each of a counted few is called is a list; a figure (多少) is not."""
    text = "他们把采购信息化、监管和异地评标织成了三张网，这三张网分别叫什么"
    assert reconcile(make_question("method", text=text), detect_intent(text)).kind == "list"
    assert reconcile(make_question("place", text=text), detect_intent(text)).kind == "list"
    amount = "这三张网分别覆盖了多少个项目"
    assert reconcile(make_question("figure", text=amount), detect_intent(amount)).kind == "figure"


def test_a_list_told_by_fewer_items_than_the_question_counts_is_short():
    """ "…概括成了哪四个动作？" answered by two items was confident (probe_mw ym02): a list with
    fewer items than counted is short, unless a piece states the count itself; a question that
    counts nothing, or a list as long, is not."""
    from search.compose import Composed

    two = Composed(
        (("1. 建立信用风险分类功能模块。", 0), ("2. 建立类别监管机制。", 0)), True, "list"
    )
    assert short_of_count("整体思路概括成了哪四个动作？", two)
    assert not short_of_count("整体思路有哪些动作？", two)
    said = Composed((("概括为集数据、精分类、强运用、促发展四个动作。", 0),), True, "list")
    assert not short_of_count("整体思路概括成了哪四个动作？", said)
    four = Composed(tuple((f"{n}. 动作。", 0) for n in range(1, 5)), True, "list")
    assert not short_of_count("整体思路概括成了哪四个动作？", four)
    # One sentence holds its items inside it: "推行A和B" for "哪两种".
    one = Composed((("推行“刷脸办电”和“一证办电”。", 0),), True, "list")
    assert not short_of_count("推的是哪两种办电方式？", one)
