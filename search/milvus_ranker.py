"""Ranking on the Milvus store: Milvus finds passage ids, the live catalogue gives positions.

Milvus is asked for ids and scores only — dense and BM25 candidates with the filters as one
Milvus expression — and the two lists are fused here by rank (`search.fusion`). Fetching no
other field halves a hybrid search on Milvus Lite against Milvus's own hybrid search with every
field (README, "Milvus 存储"); the hits themselves are read from the live index version, so
they are the same `Hit`s as on the local store. The two searches run one after the other:
from two threads they took no less time on Milvus Lite, whose engine is Python under one lock.
"""

from __future__ import annotations

import numpy as np

from index.config import Config
from index.live import IndexSnapshot
from index.milvus_index import open_milvus
from index.milvus_store import FilterFields, MilvusStore
from search.fusion import reciprocal_rank_fusion


class MilvusRanker:
    """(passage position, score) lists for `Searcher.search`, searched inside Milvus."""

    def __init__(self, config: Config, store: MilvusStore | None = None) -> None:
        self.config = config
        self.store = store or open_milvus(config)

    def rank(
        self,
        query: str,
        mode: str,
        filters: FilterFields | None,
        query_vector: np.ndarray | None,
        snapshot: IndexSnapshot,
    ) -> list[tuple[int, float]]:
        """Best first, like `Searcher.rank`; passages the live version lacks are left out
        (a build writes Milvus before it commits the catalogue)."""
        n = self.config.candidates
        if mode == "bm25":
            return _positions(snapshot, self.store.bm25_ids(query, n, filters))
        if query_vector is None:
            raise ValueError("dense and hybrid ranking need the query vector")
        dense = self.store.dense_ids(query_vector, n, filters)
        if mode == "dense":
            return _positions(snapshot, dense)
        bm25 = self.store.bm25_ids(query, n, filters)
        # Fused by rank, not by score: Milvus Lite keeps BM25 statistics per segment, so a
        # newly added document's BM25 scores are not on the scale of the others' (its own
        # segment), and score fusion would bury it. R@5 equals the local store's (README).
        fused = reciprocal_rank_fusion(
            [[pid for pid, _ in dense], [pid for pid, _ in bm25]], k=self.config.rrf_k
        )
        return _positions(snapshot, fused)

    def matches_nothing(self, filters: FilterFields | None) -> bool:
        """Do the filters leave no passage at all (asked only when a search found nothing)?"""
        return filters is not None and not self.store.any_match(filters)


def _positions(snapshot: IndexSnapshot, scored) -> list[tuple[int, float]]:
    out = []
    for pid, score in scored:
        pos = snapshot.passage_position(str(pid))
        if pos is not None:
            out.append((pos, float(score)))
    return out
