"""Both stores at N synthetic passages: build time and search latency (`yingshang bench --store
milvus`), excluding the model (random unit query vectors, as the model's are).

Passages are three random sentences of the corpus (so BM25 sees real Chinese text), 1 000
per synthetic document, with random unit vectors of 384 dimensions. The same passages go
into the local store (bm25s over the project's jieba tokens, FAISS) and into Milvus (Milvus
Lite by default, in a temporary folder; a server by `--milvus-uri`).

Hybrid on Milvus is timed two ways: the product's (`search.milvus_ranker`: dense and BM25
ids only, fused by `search.fusion`) and Milvus's own hybrid search with RRF and every hit
field fetched (the first version of the store).
"""

from __future__ import annotations

import dataclasses
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from index.build import corpus_files, parse_file
from index.config import Config
from index.dense import DenseIndex
from index.embedding import ModelInfo
from index.lexical import LexicalIndex, tokenize
from index.milvus_store import MilvusStore
from index.types import Passage
from search.fusion import reciprocal_rank_fusion

DIM = 384
PER_DOC = 1000
QUERIES = ["政府采购保证金比例", "不动产登记全城通办", "企业开办时间压缩", "纳税服务优化",
           "跨境贸易便利化", "工程建设项目审批", "获得电力报装", "中小企业融资", "信用监管",
           "一网通办"]  # fmt: skip


def run(
    config: Config,
    n: int = 100_000,
    uri: str = "",
    token: str = "",
    repeat: int = 3,
    log: Callable[[str], None] = print,
) -> dict:
    """Build both stores from the same N passages and time their searches."""
    texts, passages, base = _synthetic(config, n)
    vr = np.random.default_rng(0)
    vectors = _unit_vectors(vr, n)
    queries = [(q, _unit_vectors(vr, 1)[0]) for q in QUERIES]
    cand = config.candidates
    result: dict = {"n": n, "candidates": cand, "k": 10}

    log(f"本地存储：建立 {n} 段…")
    t0 = time.perf_counter()
    lexical = LexicalIndex.build([tokenize(t) for t in texts])
    dense = DenseIndex.build(vectors)
    result["local_build_s"] = round(time.perf_counter() - t0, 1)

    def local_hybrid(q: str, v: np.ndarray) -> list:
        _, d = dense.search(v, cand)
        _, b = lexical.search(q, cand)
        return reciprocal_rank_fusion([d.tolist(), b.tolist()], k=config.rrf_k)[:10]

    result["local"] = {
        "dense": _time(lambda q, v: dense.search(v, cand), queries, repeat),
        "bm25": _time(lambda q, v: lexical.search(q, cand), queries, repeat),
        "hybrid": _time(local_hybrid, queries, repeat),
    }

    uri = uri or str(Path(tempfile.mkdtemp()) / "bench.db")
    log(f"Milvus（{uri}）：写入 {n} 段…")
    store = MilvusStore(uri, "bench", token=token, timeout=600)
    store.drop()
    store.create(ModelInfo("synthetic", DIM, "query: ", "passage: ", "torch"), expected_passages=n)
    t0 = time.perf_counter()
    for start in range(0, n, PER_DOC):
        doc = f"syn{start // PER_DOC}.txt"
        record = dataclasses.replace(base.record, doc=doc)
        unit = dataclasses.replace(base.units[0], doc=doc)
        chunk = [dataclasses.replace(p, doc=doc) for p in passages[start : start + PER_DOC]]
        store.upsert_document(
            record, [unit], chunk, vectors[start : start + PER_DOC], texts[start : start + PER_DOC]
        )
    inserted = time.perf_counter() - t0
    store.flush()
    result["milvus_insert_s"] = round(inserted, 1)
    result["milvus_build_s"] = round(time.perf_counter() - t0, 1)
    # Searched as a serving process finds it: loaded anew, which attaches every segment's
    # HNSW graph. (Milvus Lite builds them in the background after a flush; a search before
    # that brute-forces the unindexed segments while the build takes the CPU.)
    t0 = time.perf_counter()
    store.reload()
    result["milvus_count"] = store.count()
    result["milvus_load_s"] = round(time.perf_counter() - t0, 1)

    def ids_hybrid(q: str, v: np.ndarray) -> list:
        d = [pid for pid, _ in store.dense_ids(v, cand)]
        b = [pid for pid, _ in store.bm25_ids(q, cand)]
        return reciprocal_rank_fusion([d, b], k=config.rrf_k)[:10]

    result["milvus_dense_recall10"] = _recall10(store, vectors, queries)
    log("Milvus：计时…")
    result["milvus"] = {
        "dense": _time(lambda q, v: store.dense_ids(v, cand), queries, repeat),
        "bm25": _time(lambda q, v: store.bm25_ids(q, cand), queries, repeat),
        "hybrid": _time(ids_hybrid, queries, repeat),
        "hybrid_milvus_rrf_all_fields": _time(
            lambda q, v: store.hybrid_search(q, v, 10, candidates=cand, rrf_k=config.rrf_k),
            queries,
            repeat,
        ),
    }
    store.drop()
    store.close()
    result["uri"] = uri if "://" in uri else "Milvus Lite（临时 .db）"
    return result


def _recall10(store: MilvusStore, vectors: np.ndarray, queries: list) -> float:
    """Share of the exact top 10 (brute force over the same vectors) that Milvus's dense
    search returns: the HNSW graph's recall at the store's search breadth."""
    found = []
    for _, v in queries:
        exact = {f"s{i}" for i in np.argsort(-(vectors @ v))[:10].tolist()}
        got = {pid.rsplit("/", 1)[-1] for pid, _ in store.dense_ids(v, 10)}
        found.append(len(exact & got) / 10)
    return round(float(np.mean(found)), 3)


def format_table(result: dict) -> str:
    lines = [
        f"{result['n']} 段（每路候选 {result['candidates']}，取前 {result['k']}）；"
        f"建立：本地 {result['local_build_s']} 秒，Milvus {result['milvus_build_s']} 秒"
        f"（写入 {result['milvus_insert_s']} 秒，重新加载 {result.get('milvus_load_s', '-')} 秒）；Milvus 向量 recall@10（对精确检索）"
        f"{result.get('milvus_dense_recall10', '-')}；延迟 p50/p95 毫秒：",
    ]
    names = {
        "dense": "向量",
        "bm25": "BM25",
        "hybrid": "混合（只取 id，本项目融合）",
        "hybrid_milvus_rrf_all_fields": "混合（Milvus RRF，取全部字段）",
    }
    for key, name in names.items():
        local, milvus = result["local"].get(key), result["milvus"][key]
        shown = f"{local['p50']}/{local['p95']}" if local else "-"
        lines.append(f"  {name}：本地 {shown}，Milvus {milvus['p50']}/{milvus['p95']}")
    return "\n".join(lines)


def _synthetic(config: Config, n: int) -> tuple[list[str], list[Passage], object]:
    parsed = [parse_file(p, p.name, {}, config) for p in corpus_files(config.corpus_dir)]
    sentences = [
        s for d in parsed for p in d.passages for s in re.split(r"(?<=[。；！？])", p.text)
        if len(s) > 8
    ]  # fmt: skip
    base = parsed[0]
    unit = base.units[0]
    rng = random.Random(0)
    texts = ["".join(rng.sample(sentences, 3)) for _ in range(n)]
    passages = [
        Passage(f"{unit.id}/s{i}", "", unit.id, "s", t, 0, len(t), 1, 1)
        for i, t in enumerate(texts)
    ]
    return texts, passages, base


def _time(fn: Callable, queries: list, repeat: int) -> dict:
    fn(*queries[0])  # warm-up: first loads, caches
    times = []
    for _ in range(repeat):
        for q, v in queries:
            t0 = time.perf_counter()
            fn(q, v)
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {
        "p50": round(statistics.median(times), 1),
        "p95": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
    }


def _unit_vectors(rng: np.random.Generator, count: int) -> np.ndarray:
    v = rng.standard_normal((count, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)
