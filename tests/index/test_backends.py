"""Embedding backends: int8 (ONNX Runtime, dynamically quantised) against fp32; ONNX Runtime
fp32 (the default, "auto") against PyTorch fp32.

Quality gates of issue 7, with the real model: cosine ≥ 0.99 on the seed passages, and the
shared question set's R@5 not lower than with fp32. Vectors go through the embedding cache
(keyed by backend), so only the first session on a machine embeds anything.
"""

from __future__ import annotations

import pytest

from index.config import Config
from index.embedding import BACKENDS, ModelInfo, resolve_backend, vector_family
from index.store import IndexMismatch, check_model, load_index
from tests.conftest import SHARED_EVAL


def test_backend_is_part_of_the_cache_key():
    a = ModelInfo("m", 384, "query: ", "passage: ", "torch")
    b = ModelInfo("m", 384, "query: ", "passage: ", "int8")
    assert a.key() != b.key()
    # ONNX Runtime fp32 computes PyTorch fp32's vectors: one family, one cache entry.
    onnx = ModelInfo("m", 384, "query: ", "passage: ", "onnx")
    assert onnx.key() == a.key() and vector_family("onnx") == vector_family("torch")


def test_fp32_runtimes_share_an_index(small_corpus, fake_encoder):
    from index.build import is_stale, sync_index

    sync_index(small_corpus, fake_encoder)  # the fake encoder says "torch"
    info = fake_encoder.info
    onnx = ModelInfo(info.name, info.dim, info.query_prefix, info.passage_prefix, "onnx")
    assert load_index(small_corpus.index_dir, onnx).model.backend == "torch"
    config = small_corpus.with_overrides(model=info.name)
    assert not is_stale(config.with_overrides(backend="onnx"))
    assert not is_stale(config.with_overrides(backend="auto"))


def test_index_refuses_another_backend(small_corpus, fake_encoder):
    from index.build import is_stale, sync_index

    sync_index(small_corpus, fake_encoder)
    info = fake_encoder.info
    other = ModelInfo(info.name, info.dim, info.query_prefix, info.passage_prefix, "int8")
    with pytest.raises(IndexMismatch, match="int8"):
        load_index(small_corpus.index_dir, other)
    check_model(info, info)
    config = small_corpus.with_overrides(model=info.name)
    assert not is_stale(config)
    assert is_stale(config.with_overrides(backend="int8"))  # a build re-embeds, never mixes


def test_unknown_backend_is_a_clear_error(small_corpus):
    from index.embedding import Encoder

    with pytest.raises(ValueError, match="后端"):
        Encoder(small_corpus.with_overrides(backend="fp8"))
    assert BACKENDS[0] == "auto" == Config().backend
    assert resolve_backend("auto") == "onnx"  # onnxruntime is a dependency
    assert resolve_backend("int8") == "int8"


# ------------------------------------------------------------------ real model


@pytest.fixture(scope="session")
def int8_encoder(real_config):
    from index.embedding import Encoder

    return Encoder(real_config.with_overrides(backend="int8"))


@pytest.fixture(scope="session")
def seed_inputs(seed_index):
    config, _ = seed_index
    from bench.performance import _seed_inputs

    return _seed_inputs(config)


@pytest.mark.slow
def test_int8_vectors_match_fp32(seed_inputs, real_encoder, int8_encoder):
    fp32, _ = real_encoder.encode_passages(seed_inputs)
    int8, _ = int8_encoder.encode_passages(seed_inputs)
    cos = (fp32 * int8).sum(axis=1)
    assert cos.min() >= 0.99, f"min cosine {cos.min():.4f}"
    q = ["其他地方怎样降低政府采购保证金？", "企业开办时间压缩到多少？"]
    qcos = (real_encoder.encode_queries(q) * int8_encoder.encode_queries(q)).sum(axis=1)
    assert qcos.min() >= 0.99


@pytest.mark.slow
def test_onnx_fp32_matches_torch(seed_inputs, real_encoder, real_config):
    from index.embedding import Encoder

    onnx = Encoder(real_config.with_overrides(backend="onnx"))
    torch = Encoder(real_config.with_overrides(backend="torch"))
    assert real_encoder.info.backend == "onnx"  # what "auto" chose
    texts = [real_config.passage_prefix + t for t in seed_inputs[::25]]
    cos = (onnx.encode_uncached(texts) * torch.encode_uncached(texts)).sum(axis=1)
    assert cos.min() >= 0.9999
    q = ["其他地方怎样降低政府采购保证金？"]
    assert float((onnx.encode_queries(q) * torch.encode_queries(q)).sum()) >= 0.9999


@pytest.mark.slow
def test_auto_falls_back_to_torch_without_onnx(real_config, monkeypatch):
    import index.embedding
    import index.onnx_backend
    from index.embedding import Encoder

    def unavailable(*args, **kwargs):
        raise index.onnx_backend.OnnxUnavailable("ONNX 后端需要 onnxruntime 和 onnx")

    monkeypatch.setattr(index.embedding, "OnnxSentenceModel", unavailable)
    assert Encoder(real_config.with_overrides(backend="auto")).info.backend == "torch"
    with pytest.raises(index.onnx_backend.OnnxUnavailable):
        Encoder(real_config.with_overrides(backend="onnx"))  # asked for explicitly: an error


@pytest.fixture(scope="session")
def int8_searcher(real_config, int8_encoder, tmp_path_factory):
    from index.build import sync_index
    from search.searcher import Searcher

    config = real_config.with_overrides(
        backend="int8", index_dir=tmp_path_factory.mktemp("int8") / "index"
    )
    sync_index(config, int8_encoder)
    return Searcher(config, int8_encoder)


def _r5(searcher, mode: str) -> float:
    from bench.evaluate import evaluate, load_queries

    rows = load_queries(SHARED_EVAL / "seed_queries.jsonl")
    report = evaluate(rows, lambda q: [h.to_json() for h in searcher.search(q, 10, mode).hits])
    return report.metrics["R@5"]


@pytest.mark.slow
def test_int8_keeps_shared_r_at_5(searcher, int8_searcher):
    """Hybrid (what search and ask use): R@5 unchanged. Dense alone: at most one question
    moves across rank 5 — on this set d13's relevant passage sits at rank 5 in fp32 with the
    ranks 2–7 scores within 0.003 of each other, so quantisation noise reorders the tie."""
    assert int8_searcher.index.current.data.model.backend == "int8"
    assert _r5(int8_searcher, "hybrid") >= _r5(searcher, "hybrid")
    lines = (SHARED_EVAL / "seed_queries.jsonl").read_text("utf-8").splitlines()
    n = sum(1 for line in lines if line.strip())
    assert _r5(int8_searcher, "dense") >= _r5(searcher, "dense") - 1 / n - 1e-9


@pytest.mark.slow
def test_onnx_tokenizer_matches_transformers(seed_inputs, real_config):
    """The ONNX path tokenises with `tokenizers` alone; ids and masks must be transformers'."""
    from pathlib import Path

    from transformers import AutoTokenizer

    from index.embedding import resolve_model_path
    from index.onnx_backend import OnnxSentenceModel

    folder = Path(resolve_model_path(real_config.model, real_config.cache_dir))
    ours = OnnxSentenceModel(folder, real_config.cache_dir, False, 512)
    reference = AutoTokenizer.from_pretrained(str(folder))
    texts = ["passage: " + t for t in seed_inputs[:16]] + [
        "query: 政府采购" * 300,
        "ABC ｄｅｆ 　 ",
    ]
    feed = ours._tokenize(texts)
    ref = reference(texts, padding=True, truncation=True, max_length=512, return_tensors="np")
    assert feed["input_ids"].shape[1] == 512  # the long text is truncated, the rest padded
    assert (feed["input_ids"] == ref["input_ids"]).all()
    assert (feed["attention_mask"] == ref["attention_mask"]).all()


@pytest.mark.slow
def test_auto_embeds_queries_with_onnx_and_bulk_with_torch(seed_inputs, real_config):
    import numpy as np

    from index.embedding import BULK_MIN, Encoder
    from index.onnx_backend import OnnxSentenceModel

    encoder = Encoder(real_config.with_overrides(backend="auto"))
    assert isinstance(encoder.model_for(1), OnnxSentenceModel)
    texts = [real_config.passage_prefix + t for t in seed_inputs[:BULK_MIN]]
    not_bulk = encoder.encode_uncached(texts)  # e.g. an answer's sentences
    assert encoder._bulk_model is None  # searching and answering never load PyTorch
    bulk = encoder.encode_uncached(texts, bulk=True)  # what a build asks for
    assert encoder._bulk_model is not None and not isinstance(
        encoder.model_for(BULK_MIN, bulk=True), OnnxSentenceModel
    )
    assert (bulk * not_bulk).sum(axis=1).min() >= 0.9999
    small = np.vstack([encoder.encode_uncached(texts[i : i + 4]) for i in range(0, 16, 4)])
    assert (bulk[:16] * small).sum(axis=1).min() >= 0.9999
    assert encoder.info.backend == "onnx"
