"""Similar cases and measures (search/similar.py).

Fast tests of the pure parts with tiny inputs; then, marked slow, the behaviour on the real
seed index (52 cases, 233 measures): the 贵港 procurement case, every case's neighbours, the
autonomous-region finance department's case found in two documents, 钦州 measures against
the 2023 task list, pasted descriptions, reasons, and the representation comparison.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from index.types import Unit
from search.searcher import QueryError
from search.similar import (
    Segments,
    SimilarFinder,
    SimilarItem,
    actors,
    bigram_jaccard,
    centre_passages,
    group_pairs,
    head_weights,
    idf_table,
    indicator_key,
    is_near_duplicate,
    key_terms,
    l2_normalise,
    make_reason,
    passage_match_scores,
    same_actor,
    same_indicator,
    shared_terms,
    split_text,
    standardise,
    term_cosine,
    term_weights,
    unit_mean_vectors,
)
from tests.contracts import SIMILAR_CONTRACT


def _unit(uid: str, title: str, doc: str = "a.txt", kind: str = "case", **fields) -> Unit:
    return Unit(id=uid, doc=doc, kind=kind, title=title, start=0, end=1, **fields)


# ================================================================ pure parts (fast)


def test_l2_normalise_keeps_zero_rows():
    out = l2_normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert np.allclose(out, [[0.6, 0.8], [0.0, 0.0]])


def test_unit_mean_vectors_weights_and_empty_units():
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    out = unit_mean_vectors(vectors, np.array([0, 0, 2]), 3, np.array([3.0, 1.0, 1.0]))
    assert np.allclose(out[0], l2_normalise(np.array([3.0, 1.0])))
    assert np.allclose(out[1], 0.0) and np.allclose(out[2], [0.0, 1.0])


def test_head_weights_mark_the_first_passage_of_each_unit():
    assert head_weights(np.array([0, 0, 1, 1, 1, 2]), 3.0).tolist() == [3, 1, 3, 1, 1, 3]


def test_passage_match_scores_maxsim_and_chamfer():
    # three index passages: unit 0 has passages 0 and 2, unit 1 none, unit 2 has passage 1
    segments = Segments.build(np.array([0, 2, 0]), 3)
    assert segments.counts.tolist() == [2, 0, 1]
    sims = np.array([[0.9, 0.1, 0.3], [0.2, 0.5, 0.7]], dtype=np.float32)  # 2 query passages
    maxsim = passage_match_scores(sims, segments, 3, "maxsim")
    assert np.allclose(maxsim[[0, 2]], [0.9, 0.5]) and maxsim[1] == -np.inf
    chamfer = passage_match_scores(sims, segments, 3, "chamfer")
    # unit 0: forward mean(0.9, 0.7) = 0.8; backward mean(0.9, 0.7) = 0.8
    # unit 2: forward mean(0.1, 0.5) = 0.3; backward 0.5
    assert np.allclose(chamfer[[0, 2]], [0.8, 0.4]) and chamfer[1] == -np.inf
    with pytest.raises(ValueError):
        passage_match_scores(sims, segments, 3, "nearest")


def test_key_terms_drop_generic_words_stopwords_and_figures():
    terms = key_terms("优化营商环境，政府采购投标保证金比例由2%降至1%，推进电子化")
    assert "政府采购" in terms and "保证金" in terms and "电子化" in terms
    assert not {"优化", "营商环境", "推进"} & set(terms)
    assert not any(re.search(r"\d", t) for t in terms)


def test_term_weights_are_unit_length_and_idf_favours_rare_terms():
    counts = [Counter({"采购": 2, "保证金": 1}), Counter({"采购": 1}), Counter({"登记": 1})]
    idf = idf_table(counts)
    assert idf["保证金"] > idf["采购"]
    w = term_weights(counts[0], idf)
    assert sum(v * v for v in w.values()) == pytest.approx(1.0)
    assert term_weights(Counter({"没见过": 1}), idf)["没见过"] == pytest.approx(1.0)


def test_term_cosine():
    a, b = {"采购": 0.6, "保证金": 0.8}, {"采购": 1.0}
    assert term_cosine(a, a) == pytest.approx(1.0)
    assert term_cosine(a, b) == term_cosine(b, a) == pytest.approx(0.6)
    assert term_cosine(a, {"登记": 1.0}) == 0.0 and term_cosine({}, a) == 0.0


def test_shared_terms_prefer_rare_and_leave_out_contained_terms():
    idf = {"政府采购": 3.0, "采购": 1.0, "保证金": 2.0, "登记": 2.5}
    a = Counter({"政府采购": 1, "采购": 3, "保证金": 1, "登记": 1})
    b = Counter({"政府采购": 1, "采购": 1, "保证金": 4, "企业": 5})
    assert shared_terms(a, b, idf) == ("政府采购", "保证金")  # 采购 is inside 政府采购
    assert shared_terms(a, b, idf, top=1) == ("政府采购",)
    assert shared_terms(a, Counter({"企业": 1}), idf) == ()


def test_bigram_jaccard_of_titles():
    assert bigram_jaccard("优化政采营商环境", "优化政采营商环境！") == 1.0
    assert bigram_jaccard("政府采购", "不动产登记") == 0.0
    assert bigram_jaccard("", "政府采购") == 0.0 and bigram_jaccard("政", "政") == 0.0
    assert 0.0 < bigram_jaccard("政府采购改革", "政府采购监督") < 1.0


def test_actors_from_org_and_title():
    guigang = _unit("1", "贵港市多措并举当好采购监督员", org="贵港市")
    assert actors(guigang) == {"贵港市"}
    finance = _unit("2", "自治区财政厅突出“四向”发力", org="自治区")
    assert actors(finance) == {"自治区财政厅"}  # "自治区" alone names nobody
    weekly = _unit("3", "广东省深圳市：破解中小企业政府采购订单融资难", org="深圳市")
    assert actors(weekly) == {"深圳市"}
    assert same_actor(finance, _unit("4", "优化政采营商环境", org="自治区财政厅"))
    assert not same_actor(guigang, weekly)


def _pair(**b_fields) -> tuple[Unit, Unit]:
    a = _unit("x#case1", "自治区财政厅优化政府采购", doc="x.txt", org="自治区财政厅")
    fields = {"doc": "y.txt", "org": "自治区财政厅", **b_fields}
    return a, _unit("y#case1", fields.pop("title", "助力中小企业发展"), **fields)


def test_is_near_duplicate_needs_close_vectors_wording_and_same_actor_or_title():
    a, b = _pair()
    assert is_near_duplicate(a, b, 0.6, 0.5)
    assert not is_near_duplicate(a, a, 1.0, 1.0)  # itself
    assert not is_near_duplicate(a, b, 0.2, 0.5)  # vectors too far apart
    assert not is_near_duplicate(a, b, 0.6, 0.1)  # wording too different
    a2, other = _pair(org="贵港市", title="贵港市当好采购监督员")
    assert not is_near_duplicate(a2, other, 0.6, 0.5)  # another actor, another title
    x = _unit("x#case1", "优化政采营商环境助力中小企业发展", doc="x.txt")
    y = _unit("y#case1", "优化政采营商环境 助力中小企业", doc="y.txt")
    assert not same_actor(x, y) and is_near_duplicate(x, y, 0.6, 0.5)  # same title
    a4, measure = _pair(kind="measure")
    assert not is_near_duplicate(a4, measure, 0.9, 0.9)  # different kinds
    m1, m2 = (replace(u, kind="measure") for u in _pair())
    assert not is_near_duplicate(m1, m2, 0.9, 0.9)  # only cases are merged


def test_units_of_one_document_are_never_near_duplicates():
    """The same case reported twice lives in two documents; one document's entries differ."""
    a, b = _pair(doc="x.txt")
    assert not is_near_duplicate(a, b, 0.9, 0.9)


def test_group_pairs_is_transitive_and_named_by_smallest_member():
    assert group_pairs(5, [(3, 1), (1, 4)]).tolist() == [0, 1, 2, 1, 1]
    assert group_pairs(3, []).tolist() == [0, 1, 2]
    assert group_pairs(0, []).tolist() == []


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("政府采购", "政府采购"),
        ("（一）政府采购（电子化）", "政府采购"),
        ("市场监管（信用风险分类监管）", "市场监管"),
        ("3. 纳税 ", "纳税"),
        ("一网通办", "一网通办"),  # a leading 一 that is a word, not a number
        ("十大示范", "十大示范"),
        ("12345热线", "12345热线"),
        ("", ""),
    ],
)
def test_indicator_key(raw, key):
    assert indicator_key(raw) == key


def test_same_indicator():
    assert same_indicator("纳税", "纳税服务")
    assert same_indicator("政府采购", "（二）政府采购（电子化）")
    assert not same_indicator("纳税", "政府采购")
    assert not same_indicator("", "") and not same_indicator("纳税", "")


def test_make_reason():
    reason = make_reason("政府采购", True, ("保证金", "电子化"), 0.914, ["甲文件"])
    assert (
        reason
        == "同为“政府采购”指标；共同关键词：保证金、电子化；最相近段落相似度 0.91；同一案例另见《甲文件》"
    )
    assert make_reason("纳税", False, (), 0.5) == "最相近段落相似度 0.50"


def test_split_text():
    assert split_text("") == [] and split_text("  \n") == []
    assert split_text(" 一句话。 ") == ["一句话。"]
    text = "第一句写做法。" * 30 + "没有句号的一长段" * 40
    chunks = split_text(text, size=50)
    assert all(0 < len(c) <= 50 for c in chunks)
    assert "".join(chunks) == text
    assert chunks[0].endswith("。")  # cut at a sentence end when there is one


def test_standardise_over_mask():
    scores = np.array([1.0, 2.0, 3.0, 100.0])
    mask = np.array([True, True, True, False])
    z = standardise(scores, mask)
    assert z[3] == 0.0 and z[:3].mean() == pytest.approx(0.0) and z[:3].std() == pytest.approx(1.0)
    assert np.all(standardise(np.ones(4), mask) == 0.0)
    assert np.all(standardise(scores, np.zeros(4, bool)) == 0.0)


def test_centre_passages_uses_document_mean_only_for_large_documents():
    vectors = l2_normalise(np.array([[1.0, 0.2], [1.0, -0.2], [0.0, 1.0]]))
    docs = np.array(["big", "big", "small"], dtype=object)
    centred, corpus_mean = centre_passages(vectors, docs, {"big": 4, "small": 1})
    assert np.allclose(corpus_mean, vectors.mean(axis=0))
    assert np.allclose(centred[0], [0.0, 1.0], atol=1e-6)  # minus the "big" mean
    assert np.allclose(centred[2], l2_normalise(vectors[2] - corpus_mean))


def test_similar_item_json_contract():
    unit = _unit("y#case1", "标题", doc="y.txt")
    item = SimilarItem(unit, "文件", 1.23456789, ("采购",), True, "政府采购", ("a", "b"), 0.9)
    data = item.to_json()
    assert set(data) == SIMILAR_CONTRACT
    assert data["score"] == 1.234568 and data["passage_pair"] == ["a", "b"]
    item = SimilarItem(unit, "文件", 1.0, duplicates=(("x.txt", "x#case1"),))
    assert item.to_json()["duplicates"] == [{"doc": "x.txt", "unit_id": "x#case1"}]


# ================================================================ tiny real index, fake model


def test_finder_on_a_tiny_index_follows_new_versions(small_corpus, fake_encoder):
    from index.build import sync_index
    from search.searcher import Searcher

    sync_index(small_corpus, fake_encoder)
    searcher = Searcher(small_corpus, fake_encoder)
    finder = SimilarFinder(searcher)
    units = searcher.index.current.units
    for unit in units:
        items = finder.similar_to_unit(unit.id, k=10)
        assert unit.id not in {it.unit.id for it in items}
        assert all(it.unit.kind == unit.kind for it in items)
        for it in items:  # the neighbour's matched passage, by id
            passage = searcher.index.current.passage(it.passage_id)
            assert passage.unit_id == it.unit.id and passage.text == it.passage_pair[1]
    assert finder.state() is SimilarFinder(searcher).state()  # one per version, shared
    first = finder.state()
    (small_corpus.corpus_dir / "c.txt").write_text(
        "丙市工作要点\n一、政府采购\n政府采购投标保证金比例降至1%。\n", encoding="utf-8"
    )
    sync_index(small_corpus, fake_encoder)
    assert searcher.index.refresh()
    assert finder.state() is not first and len(finder.state().units) > len(units)
    assert finder.similar_to_unit(units[0].id, k=0) == []
    with pytest.raises(KeyError, match="没有编号"):
        finder.similar_to_unit("nothing#case999")
    with pytest.raises(QueryError, match="请输入"):
        finder.similar_to_text("   ")
    with pytest.raises(ValueError):
        SimilarFinder(searcher, representation="bag-of-words")


# ================================================================ real seed index (slow)

slow = pytest.mark.slow
PROCUREMENT = re.compile(r"政府采购|政采")


@pytest.fixture(scope="module")
def finder(searcher) -> SimilarFinder:
    return SimilarFinder(searcher)


def _find(searcher, doc_part: str, title_part: str, kind: str = "case") -> Unit:
    found = [
        u
        for u in searcher.index.current.units
        if u.kind == kind and doc_part in u.doc and title_part in u.title
    ]
    assert len(found) == 1, (doc_part, title_part, [u.id for u in found])
    return found[0]


def _ids(item: SimilarItem) -> set[str]:
    return {item.unit.id, *(uid for _, uid in item.duplicates)}


def _is_procurement(unit: Unit) -> bool:
    return indicator_key(unit.indicator) == "政府采购" or bool(PROCUREMENT.search(unit.title))


def _unit_text(finder: SimilarFinder, unit: Unit) -> str:
    st = finder.state()
    rows = st.unit_passages[st.pos[unit.id]]
    return unit.title + "".join(st.passages[r].text for r in rows)


@slow
def test_guigang_procurement_case_gets_procurement_neighbours(searcher, finder):
    guigang = _find(searcher, "广西市场化", "贵港市多措并举当好采购监督员")
    items = finder.similar_to_unit(guigang.id, k=5)
    assert len(items) == 5
    assert all(guigang.id not in _ids(it) for it in items)
    procurement = [it.unit.title for it in items if _is_procurement(it.unit)]
    assert len(procurement) >= 3, [it.unit.title for it in items]
    assert [it.score for it in items] == sorted((it.score for it in items), reverse=True)


@slow
def test_every_case_gets_at_least_three_other_cases(searcher, finder):
    cases = [u for u in searcher.index.current.units if u.kind == "case"]
    assert len(cases) == 52
    for case in cases:
        items = finder.similar_to_unit(case.id, k=5)
        copies = {case.id, *(uid for _, uid in finder.duplicates_of(case.id))}
        assert len(items) >= 3, case.title
        assert all(it.unit.kind == "case" for it in items)
        assert not any(copies & _ids(it) for it in items), case.title
        seen = [uid for it in items for uid in _ids(it)]
        assert len(seen) == len(set(seen)), case.title  # a copy never comes back twice


@slow
def test_finance_department_case_is_one_case_with_two_sources(searcher, finder):
    a = _find(searcher, "广西市场化", "自治区财政厅突出“四向”发力")
    b = _find(searcher, "2023年广西优化营商环境十大", "优化政采营商环境")
    assert finder.duplicates_of(a.id) == ((b.doc, b.id),)
    assert finder.duplicates_of(b.id) == ((a.doc, a.id),)
    for unit in (a, b):
        items = finder.similar_to_unit(unit.id, k=10)
        assert not any({a.id, b.id} & _ids(it) for it in items)
    # another procurement case sees the pair once, with the other source named in the reason
    taizhou = _find(searcher, "每周", "政府采购“数智”纾困")
    items = finder.similar_to_unit(taizhou.id, k=5)
    pair = [it for it in items if {a.id, b.id} & _ids(it)]
    assert len(pair) == 1 and _ids(pair[0]) == {a.id, b.id}
    other = b if pair[0].unit.id == a.id else a
    assert f"同一案例另见《{searcher.index.current.doc_title(other.doc)}》" in pair[0].reason


@slow
def test_no_other_cases_are_merged(searcher, finder):
    groups = Counter(finder.duplicates_of(u.id) != () for u in searcher.index.current.units)
    assert groups[True] == 2  # only the finance department's case, in its two documents


@slow
def test_qinzhou_measures_find_rows_of_the_2023_task_list(searcher, finder):
    qinzhou = [u for u in searcher.index.current.units if u.kind == "measure" and "钦州" in u.doc]
    assert len(qinzhou) == 21
    for measure in qinzhou:
        items = finder.similar_to_unit(measure.id, k=5)
        assert all(it.unit.kind == "measure" and it.unit.id != measure.id for it in items)
        task_list = [it for it in items if "工作要点" in it.unit.doc]
        assert len(task_list) >= 3, (measure.title, [it.unit.title for it in items])
    bankruptcy = _find(searcher, "钦州", "提高办理破产质效", kind="measure")
    items = finder.similar_to_unit(bankruptcy.id, k=5)
    assert sum(indicator_key(it.unit.indicator) == "办理破产" for it in items) >= 3
    old_debts = _find(searcher, "钦州", "新官不理旧账", kind="measure")
    top = finder.similar_to_unit(old_debts.id, k=5)[0]
    assert "工作要点" in top.unit.doc and "新官不理旧账" in top.unit.title


PASTED = (
    "我市推行政府采购意向公开，采购人提前公开采购需求，取消政府采购投标保证金，"
    "履约保证金比例降到合同金额的2%。面向中小企业的预留份额提高到40%以上，"
    "合同签订后5个工作日内支付预付款。供应商可凭中标通知书在线申请合同融资，"
    "银行线上审批放款，无需抵押担保。"
)


@slow
def test_similar_to_text_on_a_pasted_reform_description(finder):
    items = finder.similar_to_text(PASTED, k=5)
    assert len(items) == 5 and all(it.unit.kind == "case" for it in items)
    assert sum(_is_procurement(it.unit) for it in items) >= 4, [it.unit.title for it in items]
    for it in items:
        assert it.passage_pair[0] in PASTED and it.passage_pair[1]
        assert 0.0 < it.pair_score <= 1.0 + 1e-6
        assert it.shared_terms and all(t in PASTED for t in it.shared_terms)
    measures = finder.similar_to_text(PASTED, k=5, kind="measure")
    assert all(it.unit.kind == "measure" for it in measures)
    assert sum(_is_procurement(it.unit) for it in measures) >= 2, [it.unit.title for it in measures]
    anything = finder.similar_to_text("不动产登记“带押过户”，交地即交证，抵押登记一网通办", kind="")
    assert {it.unit.kind for it in anything} <= {"case", "measure", "section"}
    assert any("不动产" in it.unit.title or "登记财产" in it.unit.indicator for it in anything)


@slow
def test_every_item_has_a_score_and_a_reason(searcher, finder):
    guigang = _find(searcher, "广西市场化", "贵港市多措并举当好采购监督员")
    query_text = _unit_text(finder, guigang)
    st = finder.state()
    query_passages = {st.passages[r].text for r in st.unit_passages[st.pos[guigang.id]]}
    for it in finder.similar_to_unit(guigang.id, k=5):
        data = it.to_json()
        assert set(data) == SIMILAR_CONTRACT and isinstance(data["score"], float)
        other_text = _unit_text(finder, it.unit)
        other_passages = {st.passages[r].text for r in st.unit_passages[st.pos[it.unit.id]]}
        assert it.passage_pair[0] in query_passages and it.passage_pair[1] in other_passages
        assert f"最相近段落相似度 {it.pair_score:.2f}" in it.reason
        assert it.shared_terms, it.unit.title
        assert "共同关键词：" + "、".join(it.shared_terms) in it.reason
        assert all(t in query_text and t in other_text for t in it.shared_terms)
        assert it.same_indicator == same_indicator(guigang.indicator, it.unit.indicator)
        assert ("同为“政府采购”指标" in it.reason) == it.same_indicator
