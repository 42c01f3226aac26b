"""Shared fixtures.

Unit tests use `FakeEncoder` (deterministic, no model). Integration tests use the real
converted multilingual-e5-small, built once per machine into the user cache, and one real
seed index built once per test session; embeddings are cached by content hash, so later
sessions embed nothing they have seen.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("YINGSHANG_QUIET", "1")

from index.config import REPO_ROOT, Config  # noqa: E402
from index.embedding import ModelInfo  # noqa: E402

CORPUS = REPO_ROOT / "corpus"
SHARED_EVAL = REPO_ROOT.parent / "shared" / "eval"
OWN_EVAL = REPO_ROOT / "eval"


class FakeEncoder:
    """Deterministic bag-of-characters embeddings: similar texts get similar vectors."""

    def __init__(self, dim: int = 64) -> None:
        self.info = ModelInfo("fake-encoder", dim, "query: ", "passage: ", "torch")
        self.calls = 0  # passages actually embedded

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.info.dim, dtype=np.float32)
        for ch in text:
            v[int(hashlib.md5(ch.encode()).hexdigest()[:8], 16) % self.info.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_queries(self, queries):
        return (
            np.stack([self._vec(q) for q in queries]) if queries else np.zeros((0, self.info.dim))
        )

    def encode_passages(self, texts, progress=None, bulk=False):
        self.calls += len(texts)
        if progress and texts:
            progress(len(texts), len(texts))
        if not texts:
            return np.zeros((0, self.info.dim), dtype=np.float32), 0
        return np.stack([self._vec(t) for t in texts]), len(texts)


def count_query_calls(monkeypatch, encoder) -> list[list[str]]:
    """The texts of each `encode_queries` call `encoder` makes from now on (one list a call)."""
    calls: list[list[str]] = []
    encode = encoder.encode_queries

    def counting(texts):
        calls.append(list(texts))
        return encode(texts)

    monkeypatch.setattr(encoder, "encode_queries", counting)
    return calls


@contextmanager
def lock_held_elsewhere(index_dir: Path) -> Iterator[None]:
    """The index's writer lock held by another thread for the duration of the block."""
    from index.store import writer_lock

    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with writer_lock(index_dir):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(5)
    try:
        yield
    finally:
        release.set()
        holder.join()


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture
def small_corpus(tmp_path: Path) -> Config:
    """A temp corpus with two short real-looking documents and an empty index dir."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "甲市优化营商环境案例\n一、降低保证金\n甲市将政府采购投标保证金比例由2%降至1%，"
        "减轻企业负担。\n二、压缩时限\n企业开办时间压缩至1个工作日。\n",
        encoding="utf-8",
    )
    (corpus / "b.txt").write_text(
        "乙市工作要点\n一、不动产登记\n推行不动产登记全城通办，群众少跑腿。\n", encoding="utf-8"
    )
    return Config(corpus_dir=corpus, index_dir=tmp_path / "index", cache_dir=tmp_path / "cache")


# ------------------------------------------------------------------ real model / real index


def _session_cache() -> Path:
    """Model and embedding cache shared across test sessions on this machine."""
    from index.config import default_cache_dir

    return default_cache_dir()


@pytest.fixture(scope="session")
def real_config(tmp_path_factory) -> Config:
    base = tmp_path_factory.mktemp("seed")
    corpus = base / "corpus"
    shutil.copytree(CORPUS, corpus)
    return Config(corpus_dir=corpus, index_dir=base / "index", cache_dir=_session_cache())


@pytest.fixture(scope="session")
def real_encoder(real_config):
    from index.embedding import Encoder

    return Encoder(real_config)


@pytest.fixture(scope="session")
def seed_index(real_config, real_encoder):
    """The five seed documents indexed with the real model, FAISS and BM25 (once)."""
    from index.build import sync_index

    report = sync_index(real_config, real_encoder)
    return real_config, report


@pytest.fixture(scope="session")
def searcher(seed_index, real_encoder):
    from search.searcher import Searcher

    config, _ = seed_index
    return Searcher(config, real_encoder)
