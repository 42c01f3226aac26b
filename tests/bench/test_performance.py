"""Benchmark helpers (pure, fast) and the benchmark stages on a tiny setup (no timing asserts)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bench import performance as bench


def test_percentile_and_summary():
    assert bench.percentile([1, 2, 3, 4, 5], 50) == 3
    assert bench.percentile([0, 10], 95) == pytest.approx(9.5)
    assert np.isnan(bench.percentile([], 50))
    s = bench.latency_summary([0.001, 0.002, 0.003])
    assert s["p50_ms"] == pytest.approx(2.0) and s["n"] == 3
    assert s["p95_ms"] == pytest.approx(2.9)


def test_recall_at_k():
    exact = [[1, 2, 3, 4], [5, 6, 7, 8]]
    assert bench.recall_at_k(exact, exact, 4) == 1.0
    assert bench.recall_at_k([[1, 2, 9, 9], [8, 7, 6, 5]], exact, 4) == pytest.approx(0.75)
    # only the first k of either list count
    assert bench.recall_at_k([[2, 1, 3, 4]], [[1, 2, 3, 4]], 2) == 1.0
    assert bench.recall_at_k([[3, 4, 1, 2]], [[1, 2, 3, 4]], 2) == 0.0
    with pytest.raises(ValueError):
        bench.recall_at_k([[1]], [[1], [2]], 1)


def test_exact_top_k_matches_argsort():
    vecs = bench.synthetic_vectors(1000, 16, seed=3)
    q = bench.near_queries(vecs, 5, noise=0.1)
    got = bench.exact_top_k(vecs, q, 7, chunk=130)  # several chunks
    want = np.argsort(-(q @ vecs.T), axis=1)[:, :7]
    assert (got == want).all()


def test_corpus_sentences_are_unique_and_clean():
    text = "第一句话很长。第一句话很长。\n第二 句话：保证金比例降至1%；短。"
    sents = bench.corpus_sentences([text], min_chars=4)
    assert sents == ["第一句话很长。", "第二句话：保证金比例降至1%；"]


def test_synthetic_layout_reaches_target_and_is_deterministic():
    lengths = [40, 80, 120, 60]
    rows = bench.synthetic_layout(lengths, 500, target_chars=300, seed=1)
    assert len(rows) == 500
    for row in rows:
        total = sum(lengths[i] for i in row)
        assert total >= 300 and total - lengths[row[-1]] < 300  # stops once the target is met
    again = bench.synthetic_layout(lengths, 500, target_chars=300, seed=1)
    assert all((a == b).all() for a, b in zip(rows, again, strict=True))
    assert bench.synthetic_layout([], 10) == []


def test_synthetic_vectors_are_unit_and_follow_bases():
    rand = bench.synthetic_vectors(250, 32, seed=0, chunk=100)
    assert rand.shape == (250, 32) and rand.dtype == np.float32
    assert np.allclose(np.linalg.norm(rand, axis=1), 1.0, atol=1e-5)
    bases = bench.synthetic_vectors(4, 32, seed=9)
    mixed = bench.synthetic_vectors(300, 32, seed=0, bases=bases, noise=0.001)
    assert np.allclose(np.linalg.norm(mixed, axis=1), 1.0, atol=1e-5)
    # every mixture is close to the span of the bases: its best base is clearly similar
    assert (mixed @ bases.T).max(axis=1).min() > 0.4
    assert (np.abs(rand @ bases.T)).max(axis=1).mean() < 0.6


def test_format_table_renders_a_result():
    result = {
        "date": "2026-11-23",
        "mode": "quick",
        "machine": {"cpus": 2},
        "total_s": 1.0,
        "embedding": {
            "passages": 4,
            "rounds": 1,
            "token_length": {"p50": 10, "p95": 20, "max": 30},
            "backends": {
                "torch": {
                    "passages_per_s": 2.0,
                    "tokens_per_s": 20.0,
                    "load_s": 1.0,
                    "x_fp32": 1.0,
                },
                "int8": {
                    "passages_per_s": 4.0,
                    "tokens_per_s": 40.0,
                    "load_s": 1.0,
                    "x_fp32": 2.0,
                    "cos_min": 0.995,
                    "cos_mean": 0.997,
                },
            },
        },
        "seed": {},
        "scale": {},
    }
    table = bench.format_table(result)
    assert "indexing `int8`" in table and "×2.00 fp32" in table and "0.9950" in table


def test_scale_stages_run_on_a_tiny_collection(small_corpus, tmp_path):
    folder = tmp_path / "scale"
    built = bench.stage_scale_build(small_corpus, 1500, folder, n_queries=8, flat_max=500)
    assert built["dense_kind"] == "hnsw" and built["vectors"] == "random unit"
    served = bench.stage_scale_query(small_corpus, folder, repeat=1, with_model=False)
    assert served["n"] == served["passages_loaded"] == 1500 and served["dense_kind"] == "hnsw"
    assert {"k10_ef128", "k10_ef512", "k100_ef200", "k100_ef200_top10"} <= set(served["recall"])
    assert "k10_ef2048" in served["recall"]  # the default efSearch (index.dense)
    assert all(0.0 <= r <= 1.0 for r in served["recall"].values())
    assert served["latency"]["bm25"]["n"] == len(bench.SCALE_QUERIES)
    assert served["peak_rss_mb"] > 0 and served["index_mb"] > 0
    json.dumps(served)  # the stage result goes through JSON between processes
    # The synthetic writer's table columns agree with the rows (what `open` would rebuild).
    from index.rows import PASSAGES_FILE, PassageTable, scan_offsets
    from index.store import load_index

    data = load_index(folder / "index")
    version = data.folder
    assert data.passages.rows.offsets.tolist() == scan_offsets(version / PASSAGES_FILE).tolist()
    rebuilt = PassageTable.from_list(list(data.passages), [u.id for u in data.units])
    assert rebuilt.unit_index.tolist() == data.passages.unit_index.tolist()


@pytest.mark.slow
def test_quick_run_on_a_tiny_setup(small_corpus, tmp_path):
    """`bench.run` end to end (every stage in its own process), scaled down."""
    from index.config import default_cache_dir

    config = small_corpus.with_overrides(cache_dir=default_cache_dir())
    result = bench.run(
        config,
        quick=True,
        log=lambda msg: None,
        overrides={
            "backends": ["torch"],
            "embed_limit": 2,
            "rounds": 1,
            "repeat": 1,
            "ask_n": 1,
            "scales": [1200],
            "scale_queries": 5,
            "flat_max": 500,
        },
        work_dir=tmp_path / "work",
    )
    assert result["embedding"]["backends"]["torch"]["passages_per_s"] > 0
    seed = result["seed"]["onnx"]  # the configured backend, "auto"
    assert seed["page"]["status"] == 200
    assert set(seed["latency"]) == {"hybrid", "dense", "bm25", "ask", "ask_first"}
    scale = result["scale"]["1200"]
    assert scale["build"]["vectors"] == "mixtures of seed embeddings"
    assert scale["query"]["latency"]["hybrid"]["n"] > 0
    table = bench.format_table(result)
    assert "1,200 synthetic" in table and "page start" in table


def test_stage_parameters_carry_the_model_endpoint():
    """The seed stage (its own process) times generated answers when a model is configured."""
    from dataclasses import replace

    from index.config import Config

    config = replace(Config(), llm="on", llm_base_url="http://m/v1", llm_model="m", llm_api_key="k")
    again = bench._config_from(bench._config_params(config))
    assert {f: getattr(again, f) for f in bench.LLM_FIELDS} == {
        f: getattr(config, f) for f in bench.LLM_FIELDS
    }
