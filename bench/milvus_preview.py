"""Preview measurement of the Milvus store (issue 16): insert time and search latency at N
synthetic passages on Milvus Lite. To be folded into `yingshang bench` once the store is
wired in; run as `python -m bench.milvus_preview 100000 [uri]`.

Passages are three random sentences of the seed corpus (so BM25 sees real Chinese text),
1 000 per synthetic document, with random unit vectors of the model's 384 dimensions.
"""

from __future__ import annotations

import dataclasses
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from index.build import corpus_files, parse_file
from index.config import Config
from index.embedding import ModelInfo
from index.milvus_store import MilvusStore
from index.types import Passage

DIM = 384
PER_DOC = 1000
QUERIES = ["政府采购保证金比例", "不动产登记全城通办", "企业开办时间压缩", "纳税服务优化",
           "跨境贸易便利化", "工程建设项目审批", "获得电力报装", "中小企业融资", "信用监管",
           "一网通办"]  # fmt: skip


def main(n: int, uri: str) -> None:
    config = Config()
    parsed = [parse_file(p, p.name, {}, config) for p in corpus_files(config.corpus_dir)]
    sentences = [
        s for d in parsed for p in d.passages for s in re.split(r"(?<=[。；！？])", p.text)
        if len(s) > 8
    ]  # fmt: skip
    base, unit = parsed[0].record, parsed[0].units[0]
    rng, vr = random.Random(0), np.random.default_rng(0)
    store = MilvusStore(uri, "bench", timeout=600)
    store.drop()
    store.create(ModelInfo("synthetic", DIM, "query: ", "passage: ", "torch"), expected_passages=n)
    t0 = time.perf_counter()
    for d in range(n // PER_DOC):
        doc = f"syn{d}.txt"
        texts = ["".join(rng.sample(sentences, 3)) for _ in range(PER_DOC)]
        passages = [
            Passage(f"{unit.id}/d{d}p{i}", doc, unit.id, "s", t, 0, len(t), 1, 1)
            for i, t in enumerate(texts)
        ]
        vectors = _unit_vectors(vr, PER_DOC)
        record, doc_unit = dataclasses.replace(base, doc=doc), dataclasses.replace(unit, doc=doc)
        store.upsert_document(record, [doc_unit], passages, vectors, texts)
    inserted = time.perf_counter() - t0
    store.flush()
    print(
        f"insert {n}: {inserted:.1f} s, flush {time.perf_counter() - t0 - inserted:.1f} s, "
        f"count {store.count()}",
        flush=True,
    )
    runs = {
        "bm25": lambda q, v: store.bm25_search(q, 10),
        "dense": lambda q, v: store.dense_search(v, 10),
        "hybrid": lambda q, v: store.hybrid_search(q, v, 10, candidates=100),
    }
    for name, fn in runs.items():
        fn("预热", _unit_vectors(vr, 1)[0])
        times = []
        for q in QUERIES * 3:
            v = _unit_vectors(vr, 1)[0]
            start = time.perf_counter()
            fn(q, v)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{name}: p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms", flush=True)


def _unit_vectors(rng: np.random.Generator, count: int) -> np.ndarray:
    v = rng.standard_normal((count, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    target = sys.argv[2] if len(sys.argv) > 2 else str(Path(tempfile.mkdtemp()) / "bench.db")
    main(size, target)
