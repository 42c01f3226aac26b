"""Dense retriever: FAISS inner-product search over L2-normalised embeddings.

The index type follows the size of the collection:

* up to `FLAT_MAX` vectors: exact search (`IndexFlatIP`);
* above it: an HNSW graph over 8-bit scalar-quantised codes (`IndexHNSWSQ`), whose
  candidates are re-scored exactly with the stored float vectors. At 1 M passages this
  keeps ~0.7 GB in memory (codes + graph) instead of 1.5 GB of floats, and the re-scoring
  reads only a few hundred rows of `vectors.npy` per query (with `pread`, see `rows`).

`vectors.npy` (float32, memory-mapped on load) stays the source of truth: incremental
builds reuse rows from it, and filtered search (`allowed` positions) scores a small allowed
set exactly from it, or runs the index with an ID selector when the allowed set is large.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import faiss
import numpy as np

VECTORS_FILE = "vectors.npy"
FAISS_FILE = "dense.faiss"

FLAT_MAX = 200_000  # exact search up to this many vectors, HNSW above
HNSW_M = 32  # graph degree (level 0 has 2*M links)
HNSW_EF_CONSTRUCTION = 80
# Search breadth (lower bound; raised to the number of candidates fetched). Measured by
# `yingshang bench` at 1 M passages (clustered synthetic embeddings, real questions):
# recall@10 against exact 0.78 at 128, 0.89 at 512, 0.93 at 1024, 0.97 at 2048 (~9 ms).
HNSW_EF_SEARCH = 2048
RERANK_FACTOR = 2  # approximate candidates fetched per wanted result, then re-scored exactly
EXACT_FILTER_MAX = 50_000  # an allowed set up to this size is scored exactly (brute force)


class DenseIndex:
    """Inner-product index (cosine, as vectors are normalised); exact or HNSW by size."""

    def __init__(self, vectors: np.ndarray, index: faiss.Index) -> None:
        self.vectors = vectors
        self.index = index
        self._fd: int | None = None  # vectors.npy, open for the life of a loaded index

    def _open_file(self) -> None:
        """Keep the vectors file open from load on: a reader still on this version can read
        rows after a newer version replaced it and the old folder was removed (an open
        file outlives its name), so writers never fail readers."""
        if isinstance(self.vectors, np.memmap) and self._fd is None:
            self._fd = os.open(self.vectors.filename, os.O_RDONLY)
            weakref.finalize(self, os.close, self._fd)

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    @property
    def kind(self) -> str:
        return "hnsw" if isinstance(self.index, faiss.IndexHNSW) else "flat"

    @classmethod
    def build(
        cls,
        vectors: np.ndarray,
        flat_max: int = FLAT_MAX,
        m: int = HNSW_M,
        ef_construction: int = HNSW_EF_CONSTRUCTION,
    ) -> DenseIndex:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = vectors.shape[1] if vectors.ndim == 2 and vectors.shape[0] else 1
        if len(vectors) <= flat_max:
            index: faiss.Index = faiss.IndexFlatIP(dim)
        else:
            index = faiss.IndexHNSWSQ(
                dim, faiss.ScalarQuantizer.QT_8bit, m, faiss.METRIC_INNER_PRODUCT
            )
            index.hnsw.efConstruction = ef_construction
            index.hnsw.efSearch = HNSW_EF_SEARCH
            # The quantiser only learns each dimension's range: a sample is plenty.
            sample = vectors[:: max(1, len(vectors) // 100_000)]
            index.train(sample)
        if len(vectors):
            for start in range(0, len(vectors), 100_000):  # bounded temporary memory
                index.add(vectors[start : start + 100_000])
        return cls(vectors, index)

    def search(
        self,
        query: np.ndarray,
        k: int,
        allowed: np.ndarray | None = None,
        ef_search: int | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, positions) for one query vector; `allowed` restricts positions."""
        if self.size == 0 or k <= 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        query = np.asarray(query, dtype=np.float32).reshape(1, -1)
        selector = None
        if allowed is not None:
            allowed = np.asarray(allowed, dtype=np.int64)
            if len(allowed) == 0:
                return np.zeros(0, np.float32), np.zeros(0, np.int64)
            if len(allowed) <= EXACT_FILTER_MAX or len(allowed) <= k:
                allowed = np.sort(allowed)
                return _top_k(self.rows(allowed) @ query[0], allowed, k)
            bitmap = np.zeros(self.size, dtype=bool)
            bitmap[allowed] = True
            selector = faiss.IDSelectorBitmap(np.packbits(bitmap, bitorder="little"))
        if self.kind == "flat":
            params = faiss.SearchParameters(sel=selector) if selector is not None else None
            with _one_omp_thread():
                scores, ids = self.index.search(query, min(k, self.size), params=params)
            keep = ids[0] >= 0
            return scores[0][keep], ids[0][keep].astype(np.int64)
        # HNSW over 8-bit codes: fetch more candidates than wanted, re-score them exactly.
        fetch = min(self.size, max(k, k * RERANK_FACTOR))
        ef = max(ef_search or HNSW_EF_SEARCH, fetch)
        params = faiss.SearchParametersHNSW(efSearch=ef)
        if selector is not None:
            params.sel = selector
        _, ids = self.index.search(query, fetch, params=params)
        cand = np.sort(ids[0][ids[0] >= 0]).astype(np.int64)  # sorted: runs read at once
        if len(cand) == 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        return _top_k(self.rows(cand) @ query[0], cand, k)

    def save(self, folder: Path) -> None:
        np.save(folder / VECTORS_FILE, np.asarray(self.vectors, dtype=np.float32))
        faiss.write_index(self.index, str(folder / FAISS_FILE))

    @classmethod
    def load(cls, folder: Path, mmap: bool = True) -> DenseIndex:
        vectors = np.load(folder / VECTORS_FILE, mmap_mode="r" if mmap else None)
        index = faiss.read_index(str(folder / FAISS_FILE))
        dense = cls(vectors, index)
        dense._open_file()
        return dense

    def rows(self, positions: np.ndarray) -> np.ndarray:
        """Vectors at `positions` (float32 copies).

        From a memory-mapped file they are read with `os.pread`, not through the mapping: the
        page cache holds large folios (this machine reads ahead 8 MB), and touching one row
        of a mapping maps its whole folio into the process – re-scoring 200 candidates at
        1 M passages made ~300 MB of `vectors.npy` resident per query, 1.3 GB after 20.
        """
        positions = np.asarray(positions, dtype=np.int64)
        v = self.vectors
        if not isinstance(v, np.memmap) or v.dtype != np.float32 or v.ndim != 2:
            return np.asarray(v[positions], dtype=np.float32)
        width = v.shape[1] * 4
        out = np.empty((len(positions), v.shape[1]), dtype=np.float32)
        if len(positions) == 0:
            return out
        # One read per run of consecutive positions (a filter's passages come in runs).
        starts = np.flatnonzero(np.diff(positions, prepend=-2) != 1)
        ends = np.append(starts[1:], len(positions))
        fd = self._fd if self._fd is not None else os.open(v.filename, os.O_RDONLY)
        try:
            for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
                data = os.pread(fd, width * (b - a), v.offset + int(positions[a]) * width)
                out[a:b] = np.frombuffer(data, np.float32).reshape(b - a, -1)
        finally:
            if fd != self._fd:
                os.close(fd)
        return out


@contextmanager
def _one_omp_thread() -> Iterator[None]:
    """Run one query's flat scan on this thread only (OpenMP settings are per thread).

    Split over 2 threads, the scan waits for the slower one: with another process on the
    second core, 100 000 vectors took ~45 ms instead of ~12 ms (yingshang bench).
    """
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def _top_k(scores: np.ndarray, positions: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    k = min(k, len(scores))
    if k == 0:
        return np.zeros(0, np.float32), np.zeros(0, np.int64)
    part = np.argpartition(-scores, k - 1)[:k]
    order = part[np.argsort(-scores[part], kind="stable")]
    return scores[order].astype(np.float32), positions[order].astype(np.int64)
