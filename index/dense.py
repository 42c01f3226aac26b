"""Dense retriever: FAISS inner-product search over L2-normalised embeddings."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

VECTORS_FILE = "vectors.npy"
FAISS_FILE = "dense.faiss"


class DenseIndex:
    """Exact inner-product index (cosine, as vectors are normalised)."""

    def __init__(self, vectors: np.ndarray, index: faiss.Index) -> None:
        self.vectors = vectors
        self.index = index

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    @classmethod
    def build(cls, vectors: np.ndarray) -> DenseIndex:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = vectors.shape[1] if vectors.ndim == 2 and vectors.shape[0] else 1
        index = faiss.IndexFlatIP(dim)
        if len(vectors):
            index.add(vectors)
        return cls(vectors, index)

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, positions) for one query vector; `allowed` restricts positions."""
        if self.size == 0 or k <= 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        query = np.asarray(query, dtype=np.float32).reshape(1, -1)
        if allowed is not None:
            return _top_k(np.asarray(self.vectors[allowed]) @ query[0], allowed, k)
        scores, ids = self.index.search(query, min(k, self.size))
        keep = ids[0] >= 0
        return scores[0][keep], ids[0][keep].astype(np.int64)

    def save(self, folder: Path) -> None:
        np.save(folder / VECTORS_FILE, np.asarray(self.vectors, dtype=np.float32))
        faiss.write_index(self.index, str(folder / FAISS_FILE))

    @classmethod
    def load(cls, folder: Path, mmap: bool = True) -> DenseIndex:
        vectors = np.load(folder / VECTORS_FILE, mmap_mode="r" if mmap else None)
        index = faiss.read_index(str(folder / FAISS_FILE))
        return cls(vectors, index)


def _top_k(scores: np.ndarray, positions: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    k = min(k, len(scores))
    if k == 0:
        return np.zeros(0, np.float32), np.zeros(0, np.int64)
    part = np.argpartition(-scores, k - 1)[:k]
    order = part[np.argsort(-scores[part], kind="stable")]
    return scores[order].astype(np.float32), positions[order].astype(np.int64)
