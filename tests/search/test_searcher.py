"""Search over the real seed index: quality, modes, filters, grouping, bad input."""

from __future__ import annotations

import pytest

from bench.evaluate import evaluate, load_queries
from search.searcher import (
    Filters,
    QueryError,
    SearchStatus,
    group_by_unit,
    highlight_terms,
    validate_query,
)
from tests.conftest import OWN_EVAL, SHARED_EVAL, count_query_calls
from tests.search.chat_server import chat_server  # noqa: F401  (fixture)


def test_empty_query_is_an_error_and_huge_query_is_clipped():
    with pytest.raises(QueryError, match="请输入"):
        validate_query("   \n ")
    query, notice = validate_query("营商" * 5000)
    assert len(query) == 500 and "过长" in notice


def test_highlight_terms_skips_single_characters():
    pieces = highlight_terms("在各级12345热线设置工作专席，做好服务", ("各", "做", "热线"))
    assert [p for p, hit in pieces if hit] == ["热线"]


def test_highlight_terms_marks_longest_terms():
    pieces = highlight_terms("降低政府采购保证金", ("政府", "政府采购", "保证金"))
    assert [p for p, hit in pieces if hit] == ["政府采购", "保证金"]


def _run(searcher, path, mode):
    queries = load_queries(path)
    return evaluate(queries, lambda q: [h.to_json() for h in searcher.search(q, mode=mode).hits])


@pytest.mark.slow
def test_retrieval_quality_on_the_shared_question_set(searcher):
    hybrid = _run(searcher, SHARED_EVAL / "seed_queries.jsonl", "hybrid").metrics
    assert hybrid["R@5"] >= 0.95 and hybrid["R@1"] >= 0.75, hybrid


@pytest.mark.slow
def test_retrieval_quality_on_our_question_set(searcher):
    hybrid = _run(searcher, OWN_EVAL / "own_queries.jsonl", "hybrid").metrics
    assert hybrid["R@5"] >= 0.95 and hybrid["R@1"] >= 0.80, hybrid


@pytest.mark.slow
def test_colloquial_words_do_not_outweigh_the_question_s_own(searcher):
    """ "老百姓" (群众) and "手机" (APP、掌上…) are read at half a word's weight: at full weight
    深圳's 热线 passage outranked 玉林's 法律服务云超市 for this shared seed question."""
    hits = searcher.search("老百姓用手机就能找律师咨询的便民法律服务做法", k=3).hits
    assert "云超市" in hits[0].unit.title


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_every_mode_finds_the_procurement_deposit_cases(searcher, mode):
    hits = searcher.search("降低政府采购投标保证金比例", k=5, mode=mode).hits
    assert any("保证金" in h.passage.text for h in hits[:3]), mode


@pytest.mark.slow
def test_filters_restrict_results(searcher):
    result = searcher.search("优化营商环境做法", k=10, filters=Filters(region="北海"))
    assert result.hits and all("北海" in h.unit.region for h in result.hits)
    result = searcher.search("出口退税", k=10, filters=Filters(kind="measure", lead_unit="税务"))
    assert result.hits
    assert all(
        h.unit.kind == "measure" and any("税务" in u for u in h.unit.lead_units)
        for h in result.hits
    )
    result = searcher.search("出口退税", k=10, filters=Filters(year="2023", kind="measure"))
    assert result.hits and all(
        "2023" in h.unit.deadline or h.unit.doc.startswith("2023") for h in result.hits
    )


@pytest.mark.slow
def test_a_filter_that_matches_nothing_says_so(searcher):
    result = searcher.search("政府采购", filters=Filters(region="火星"))
    assert not result.hits and "没有符合筛选条件" in result.message and "火星" in result.message
    assert result.status is SearchStatus.NO_FILTER_MATCH


@pytest.mark.slow
def test_grouping_gives_one_card_per_unit(searcher):
    hits = searcher.search("政府采购保证金", k=10).hits
    groups = group_by_unit(hits)
    ids = [g.unit.id for g in groups]
    assert len(ids) == len(set(ids))
    assert [g.best_rank for g in groups] == sorted(g.best_rank for g in groups)


def test_passages_are_found_by_id_and_by_unit(searcher):
    """The page opens sources by passage id and lists a unit's passages; both go through the
    passage table (rows on disk), not a per-passage dictionary."""
    hit = searcher.search("政府采购保证金", k=1).hits[0]
    snap = searcher.index.current
    pos = snap.passage_position(hit.passage.id)
    assert pos is not None and snap.passages[pos] == hit.passage
    assert snap.passage(hit.passage.id) == hit.passage
    rows = snap.unit_rows(hit.unit.id).tolist()
    assert pos in rows and rows == sorted(rows)
    assert {snap.passages[i].unit_id for i in rows} == {hit.unit.id}
    assert snap.passage_position(hit.unit.id + "/p9999") is None
    assert snap.passage(hit.unit.id + "/p9999") is None
    assert snap.passage_position("no-such-unit/p0") is None
    assert snap.unit_rows("no-such-unit").tolist() == []


# ------------------------------------------------------------------ typed results (tiny index)


@pytest.fixture
def tiny_searcher(small_corpus, fake_encoder):
    from index.build import sync_index
    from search.searcher import Searcher

    sync_index(small_corpus, fake_encoder)
    return Searcher(small_corpus, fake_encoder)


def test_search_status_says_what_became_of_the_query(tiny_searcher):
    ok = tiny_searcher.search("政府采购保证金", k=3)
    assert ok.status is SearchStatus.OK and ok.hits and not ok.clipped and ok.message == ""
    assert "保证金" in ok.query_terms
    clipped = tiny_searcher.search("保证金" * 200, k=3)
    assert clipped.status is SearchStatus.QUERY_CLIPPED and clipped.clipped and clipped.hits
    assert len(clipped.query) == 500 and "过长" in clipped.message
    nothing = tiny_searcher.search("xyzzy", k=3, mode="bm25")
    assert nothing.status is SearchStatus.NO_HITS and not nothing.hits and nothing.message
    filtered = tiny_searcher.search("保证金", filters=Filters(region="火星"))
    assert filtered.status is SearchStatus.NO_FILTER_MATCH and not filtered.hits
    assert "火星" in filtered.message


def test_a_colloquial_word_finds_the_documents_word_lexically(tiny_searcher):
    """ "老百姓" is written 群众 in the documents (index/data/colloquial_terms.json): BM25
    finds the passage that says 群众, in bm25 mode and in the hybrid ranking's BM25 part."""
    from search.searcher import lexical_scores

    found = tiny_searcher.search("老百姓", k=3, mode="bm25")
    assert found.hits and "群众" in found.hits[0].passage.text
    assert "群众" in found.query_terms  # highlighted: why the passage was found
    snap = tiny_searcher.index.current
    assert snap.lexical.scores("老百姓") is None  # the word itself matches nothing
    assert lexical_scores(snap, "老百姓").max() > 0


def test_search_returns_the_query_vector_it_used(tiny_searcher, fake_encoder):
    result = tiny_searcher.search("企业开办时间", k=2)
    expected = fake_encoder.encode_queries([result.query])[0]
    assert result.query_vector is not None
    assert result.query_vector.tolist() == expected.tolist()
    assert tiny_searcher.search("企业开办时间", mode="bm25").query_vector is None


def test_an_answer_encodes_the_question_once(tiny_searcher, fake_encoder, monkeypatch):
    from search.answer import Answerer

    answerer = Answerer(tiny_searcher, threshold=0.0)
    assert answerer.question_model  # the recogniser's examples are embedded once, up front
    calls = count_query_calls(monkeypatch, fake_encoder)
    answer = answerer.ask("企业开办时间压缩到多少？")
    assert answer.text and calls == [["企业开办时间压缩到多少？"]]
    assert "企业" in answer.query_terms


def test_a_question_of_several_clauses_is_embedded_in_one_call(
    tiny_searcher, fake_encoder, monkeypatch
):
    """The search and the recogniser share one encoder call: the question, then its clauses."""
    from search.answer import Answerer

    question = "企业开办时间压缩到多少，保证金比例降到多少？"
    answerer = Answerer(tiny_searcher, threshold=0.0)
    assert answerer.question_model
    calls = count_query_calls(monkeypatch, fake_encoder)
    answer = answerer.ask(question)
    assert answer.text
    assert calls == [[question, "企业开办时间压缩到多少", "保证金比例降到多少"]]


def test_a_streamed_answer_embeds_the_question_once(
    tiny_searcher,
    fake_encoder,
    monkeypatch,
    chat_server,  # noqa: F811
):
    """Generated (streamed) and, after a failed generation, extractive: one call each."""
    import dataclasses

    from search.answer import Answerer
    from search.answer_stream import stream_answer
    from search.llm import generator_for

    config = dataclasses.replace(
        tiny_searcher.config, llm_base_url=chat_server.url, llm_model="m", llm_timeout=0.5
    )
    answerer = Answerer(tiny_searcher, generator=generator_for(config), threshold=0.0)
    assert answerer.question_model
    question = "企业开办时间压缩到多少，保证金比例降到多少？"
    calls = count_query_calls(monkeypatch, fake_encoder)
    chat_server.reply("企业开办压缩到1个工作日[1]。")
    assert list(stream_answer(answerer, question))[-1].kind == "generated"
    assert len(calls) == 1 and calls[0][0] == question
    chat_server.reply("", status=500)
    calls.clear()
    assert list(stream_answer(answerer, question))[-1].kind == "extractive"
    assert len(calls) == 1 and calls[0][0] == question
    calls.clear()
    nothing = list(stream_answer(answerer, question, filters=Filters(region="火星")))
    assert len(nothing) == 1 and not nothing[0].hits and len(calls) <= 1


@pytest.mark.slow
def test_the_first_hit_says_whether_both_retrievers_put_it_first(searcher):
    """`Hit.first_in_both`: set on rank 1 only, exactly when the dense and the BM25 ranking
    (each run alone) open with the same passage."""
    seen = set()
    for query in (
        "钦州纳税服务标杆这条措施要哪些单位配合？",
        "其他地方怎样降低政府采购保证金？",
        "越南病人来东兴看病，收费跟中国人一样吗？",
        "企业开办",
    ):
        hits = searcher.search(query, k=5).hits
        dense = searcher.search(query, k=1, mode="dense").hits[0].passage.id
        bm25 = searcher.search(query, k=1, mode="bm25").hits[0].passage.id
        assert hits[0].first_in_both == (dense == bm25 == hits[0].passage.id)
        assert not any(h.first_in_both for h in hits[1:])
        assert not any(h.first_in_both for h in searcher.search(query, mode="bm25").hits)
        seen.add(hits[0].first_in_both)
    assert seen == {True, False}  # both cases met by these queries
