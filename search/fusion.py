"""Score fusion: pure functions over rankings (item ids best first, optionally with scores).

`fuse_hybrid` is what the searcher runs: it fuses the dense and the BM25 candidate lists by
the method and dense weight of the Config. The methods:

- "rrf": weighted reciprocal rank fusion, Σ w_i / (k + rank_i); uses ranks only.
- "convex": w·norm(dense) + (1−w)·norm(bm25), scores normalised per query (min-max or
  z-score over each candidate list); an item missing from a list gets that list's floor.
- "adaptive": convex, with the dense weight moved per query by how sure each retriever is
  of its own first place (its normalised top-1 margin): a flat ranking says little, a clear
  winner says much.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

FUSIONS = ("rrf", "convex", "adaptive")
NORMS = ("minmax", "zscore")


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[Hashable]],
    k: int = 60,
    weights: Sequence[float] | None = None,
) -> list[tuple[Hashable, float]]:
    """Fuse rankings by RRF: score(d) = Σ w_i / (k + rank_i(d)), ranks 1-based.

    Ties keep the order in which items were first seen (earlier rankings first), so the
    result is deterministic.
    """
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    scores: dict[Hashable, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return _sorted(scores)


def normalise(scores: Sequence[float], method: str = "minmax") -> np.ndarray:
    """Scores of one list on a common scale: min-max to [0, 1], or z-scores.

    A list whose scores are all equal carries no preference: every item gets 1 (min-max) or
    0 (z-score), so the other retriever decides.
    """
    s = np.asarray(scores, dtype=np.float64)
    if method not in NORMS:
        raise ValueError(f"unknown normalisation {method!r}")
    if len(s) == 0:
        return s
    spread = s.max() - s.min() if method == "minmax" else s.std()
    if spread <= 1e-12:
        return np.ones_like(s) if method == "minmax" else np.zeros_like(s)
    return (s - s.min()) / spread if method == "minmax" else (s - s.mean()) / spread


def convex_fusion(
    lists: Sequence[tuple[Sequence[Hashable], Sequence[float]]],
    weights: Sequence[float],
    norm: str = "minmax",
) -> list[tuple[Hashable, float]]:
    """Σ w_i · norm(score_i) over (ids, scores) lists; a list's missing item gets its floor.

    The floor is the list's lowest normalised score: the item ranked below every candidate
    the retriever returned, which is the most that is known about it.
    """
    if len(weights) != len(lists):
        raise ValueError("one weight per list")
    normed = []
    for ids, scores in lists:
        if len(ids) != len(scores):
            raise ValueError("one score per item")
        normed.append((ids, normalise(scores, norm)))
    items = list(dict.fromkeys(item for ids, _ in lists for item in ids))
    fused = dict.fromkeys(items, 0.0)
    for (ids, values), weight in zip(normed, weights, strict=True):
        if not len(ids):
            continue  # an empty list says nothing about any item
        floor = float(values.min())
        seen = dict(zip(ids, values.tolist(), strict=True))
        for item in items:
            fused[item] += weight * seen.get(item, floor)
    return _sorted(fused)


def top_margin(scores: Sequence[float], depth: int = 10) -> float:
    """How clearly a list's first item leads: (s1 − s2) / (s1 − s_depth), in [0, 1].

    Relative to the list's own spread, so BM25 and cosine scores are comparable.
    """
    s = np.asarray(scores[:depth], dtype=np.float64)
    if len(s) < 2:
        return 1.0 if len(s) == 1 else 0.0
    spread = s[0] - s[-1]
    return float((s[0] - s[1]) / spread) if spread > 1e-12 else 0.0


def adaptive_weight(
    dense_scores: Sequence[float], bm25_scores: Sequence[float], base: float, strength: float
) -> float:
    """The dense weight for one query: `base`, moved towards the surer retriever.

    w = base + strength · (margin_dense − margin_bm25) / 2, clipped to [0, 1]."""
    shift = strength * (top_margin(dense_scores) - top_margin(bm25_scores)) / 2
    return float(min(1.0, max(0.0, base + shift)))


def fuse_hybrid(
    dense_ids: Sequence[Hashable],
    dense_scores: Sequence[float],
    bm25_ids: Sequence[Hashable],
    bm25_scores: Sequence[float],
    method: str = "convex",
    dense_weight: float = 0.5,
    norm: str = "minmax",
    rrf_k: int = 60,
    strength: float = 0.5,
    bm25_of_dense: Sequence[float] | None = None,
    dense_of_bm25: Sequence[float] | None = None,
) -> list[tuple[Hashable, float]]:
    """Dense + BM25 candidates fused by `method` (see the module docstring), best first.

    `bm25_of_dense` / `dense_of_bm25`: each retriever's exact score for the other's
    candidates; given, the score methods use them instead of the list floor."""
    if bm25_of_dense is not None and dense_of_bm25 is not None:
        dense_ids, dense_scores, bm25_ids, bm25_scores = complete_lists(
            dense_ids, dense_scores, bm25_ids, bm25_scores, bm25_of_dense, dense_of_bm25
        )
    if method == "rrf":
        weights = (2 * dense_weight, 2 * (1 - dense_weight))  # 0.5 = the classic equal RRF
        return reciprocal_rank_fusion([dense_ids, bm25_ids], k=rrf_k, weights=weights)
    if method == "adaptive":
        dense_weight = adaptive_weight(dense_scores, bm25_scores, dense_weight, strength)
    elif method != "convex":
        raise ValueError(f"unknown fusion {method!r}; one of {', '.join(FUSIONS)}")
    lists = [(dense_ids, dense_scores), (bm25_ids, bm25_scores)]
    return convex_fusion(lists, (dense_weight, 1 - dense_weight), norm)


def complete_lists(
    dense_ids: Sequence[Hashable],
    dense_scores: Sequence[float],
    bm25_ids: Sequence[Hashable],
    bm25_scores: Sequence[float],
    bm25_of_dense: Sequence[float],
    dense_of_bm25: Sequence[float],
) -> tuple[list, list, list, list]:
    """Both lists over the union of candidates, each item with its exact score."""
    in_dense, in_bm25 = set(dense_ids), set(bm25_ids)
    more_dense = [(i, s) for i, s in zip(bm25_ids, dense_of_bm25, strict=True) if i not in in_dense]
    more_bm25 = [(i, s) for i, s in zip(dense_ids, bm25_of_dense, strict=True) if i not in in_bm25]
    more_dense.sort(key=lambda x: -x[1])
    more_bm25.sort(key=lambda x: -x[1])
    return (
        [*dense_ids, *(i for i, _ in more_dense)],
        [*dense_scores, *(s for _, s in more_dense)],
        [*bm25_ids, *(i for i, _ in more_bm25)],
        [*bm25_scores, *(s for _, s in more_bm25)],
    )


def _sorted(scores: dict[Hashable, float]) -> list[tuple[Hashable, float]]:
    """Best first; ties keep first-seen order (dicts keep insertion order)."""
    order = {item: i for i, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))
