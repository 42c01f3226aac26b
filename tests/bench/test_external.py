"""External-set evaluation: offline fusion of saved runs ranks exactly as the searcher."""

from __future__ import annotations

import json

import pytest

from bench.external import (
    EvalSet,
    build_set,
    collect_runs,
    doc_relevant,
    mode_ranking,
    prepare_cmrc,
    retrieval_code_hash,
    score_runs,
    set_root,
    with_twins,
)


def test_another_model_gets_its_own_set_indexes(tmp_path):
    """Evaluating a tuned model must not rebuild (and so replace) the base model's indexes."""
    from index.config import Config

    base = Config(index_dir=tmp_path / "index")
    tuned = base.with_overrides(model=str(tmp_path / "models" / "tuned"))
    assert set_root(base, "ncpqa") == tmp_path / "bench" / "ncpqa"
    assert set_root(base, "seed") == set_root(base, "own") == tmp_path / "bench" / "repo"
    other = set_root(tuned, "ncpqa")
    assert other.parent == tmp_path / "bench" and other.name.startswith("ncpqa@tuned-")
    assert set_root(tuned.with_overrides(model="/elsewhere/tuned"), "ncpqa") != other


def test_kept_runs_are_keyed_by_the_retrieval_code(tmp_path):
    """Runs kept from other tokenising or searching code are not scored as this code's."""
    from bench.external import RETRIEVAL_CODE

    for name in RETRIEVAL_CODE:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x = 1\n")
    before = retrieval_code_hash(tmp_path)
    assert retrieval_code_hash(tmp_path) == before
    (tmp_path / "index" / "lexical.py").write_text("x = 2\n")
    assert retrieval_code_hash(tmp_path) != before
    assert "index/lexical.py" in RETRIEVAL_CODE and "search/fusion.py" in RETRIEVAL_CODE


def test_doc_relevance_by_gold_document():
    gold = [{"doc": "abc123"}]
    assert doc_relevant("abc123.txt", gold)
    assert doc_relevant("sub/abc123.txt", gold)
    assert not doc_relevant("abc124.txt", gold)
    assert not doc_relevant("abc123.txt", [{"anchor": "x"}])


def test_prepare_cmrc_writes_one_document_per_paragraph(tmp_path):
    source = tmp_path / "cmrc.json"
    para = {
        "id": "DEV_1",
        "context": "段落正文。",
        "qas": [{"id": "Q1", "question": "问？", "answers": [{"text": "正文", "answer_start": 2}]}],
    }
    source.write_text(json.dumps({"data": [{"paragraphs": [para]}]}, ensure_ascii=False), "utf-8")
    corpus, queries = prepare_cmrc(source, tmp_path / "set")
    assert (corpus / "DEV_1.txt").read_text("utf-8") == "段落正文。"
    assert queries == [{"id": "Q1", "query": "问？", "gold": [{"doc": "DEV_1", "anchor": "正文"}]}]


def test_building_a_set_leaves_its_folder_as_it_is(small_corpus, fake_encoder, monkeypatch):
    """The benchmark's documents are someone else's data: a duplicate among them is skipped
    in the set's index, never moved into a quarantine inside their folder."""
    import index.embedding

    monkeypatch.setattr(index.embedding, "Encoder", lambda config: fake_encoder)
    corpus = small_corpus.corpus_dir
    (corpus / "twin.txt").write_text((corpus / "a.txt").read_text("utf-8"), "utf-8")
    before = sorted(p.name for p in corpus.rglob("*"))
    es = EvalSet("ncpqa", corpus, [], True)
    config = build_set(es, small_corpus.with_overrides(model="fake-encoder"))
    assert sorted(p.name for p in corpus.rglob("*")) == before
    assert config.quarantine_refused is False
    assert build_set(es, small_corpus.with_overrides(model="fake-encoder")) == config


def test_gold_includes_exact_duplicates(tmp_path):
    (tmp_path / "a.txt").write_text("同一 份\n文件", "utf-8")
    (tmp_path / "b.txt").write_text("同一份文件", "utf-8")
    (tmp_path / "c.txt").write_text("另一份", "utf-8")
    out = with_twins([{"query": "q", "gold": [{"doc": "a"}]}], tmp_path)
    assert sorted(g["doc"] for g in out[0]["gold"]) == ["a", "b"]


@pytest.mark.slow
def test_offline_fusion_ranks_as_the_searcher(searcher):
    queries = [
        {"id": "1", "query": "政府采购保证金比例", "gold": [{"anchor": "保证金"}]},
        {"id": "2", "query": "不动产登记怎样做到全区通办？", "gold": [{"unit": "不动产"}]},
        {"id": "3", "query": "企业开办时间压缩", "gold": [{"anchor": "企业开办"}]},
    ]
    es = EvalSet("t", searcher.config.corpus_dir, queries, False)
    runs = collect_runs(searcher, es, searcher.config.candidates)
    hybrid = mode_ranking("hybrid", searcher.config)
    for q, run in zip(queries, runs, strict=True):
        live = [pos for pos, _ in searcher.ranking(q["query"], "hybrid").ranked]
        assert live[:10] == list(hybrid(run))[:10]
        assert [pos for pos, _ in searcher.ranking(q["query"], "bm25").ranked][:10] == run.bm25_ids[
            :10
        ]
    assert score_runs(runs, hybrid)["n"] == 3
