"""Retrieval evaluation with the relevance rule of shared/eval/README.md.

A hit is relevant to a query if, for any gold entry, the anchor occurs in the hit's passage
text or the unit excerpt occurs in the hit's unit title, both sides with all whitespace
removed. A query is answered when its `answer` occurs in the answer text (whitespace removed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

_WS = re.compile(r"\s+")


def no_whitespace(text: str | None) -> str:
    """`text` with all whitespace removed: how texts are compared in every evaluation."""
    return _WS.sub("", text or "")


def load_queries(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path} 第 {n} 行不是有效的 JSON：{exc}") from exc
    return rows


def is_relevant(hit: dict, gold: Sequence[dict]) -> bool:
    """`hit` in the JSON contract (needs `text` and `unit_title`)."""
    text, title = no_whitespace(hit.get("text")), no_whitespace(hit.get("unit_title"))
    for g in gold:
        anchor, unit = no_whitespace(g.get("anchor")), no_whitespace(g.get("unit"))
        if (anchor and anchor in text) or (unit and unit in title):
            return True
    return False


def is_answered(answer_text: str | None, expected: str | None) -> bool:
    return bool(expected) and no_whitespace(expected) in no_whitespace(answer_text)


@dataclass(frozen=True)
class EvalReport:
    metrics: dict[str, float]
    rows: list[dict]  # per query: id, query, hits, answer, first_relevant_rank


def metrics_from_ranks(ranks: Sequence[int | None]) -> dict[str, float]:
    """R@1, R@5, R@10 and MRR@10 from each query's first relevant rank (None = miss)."""
    n = max(1, len(ranks))

    def recall(k: int) -> float:
        return sum(1 for r in ranks if r is not None and r <= k) / n

    mrr = sum(1.0 / r for r in ranks if r is not None and r <= 10) / n
    return {"R@1": recall(1), "R@5": recall(5), "R@10": recall(10), "MRR@10": mrr, "n": len(ranks)}


def evaluate(
    queries: Sequence[dict],
    search_fn: Callable[[str], list[dict]],
    answer_fn: Callable[[str], str | None] | None = None,
) -> EvalReport:
    """Run every query; `search_fn` returns top-10 hits in the JSON contract."""
    rows, ranks = [], []
    answered, with_answer = 0, 0
    for q in queries:
        hits = search_fn(q["query"])[:10]
        rank = next((i for i, h in enumerate(hits, 1) if is_relevant(h, q.get("gold", []))), None)
        ranks.append(rank)
        answer = answer_fn(q["query"]) if answer_fn else None
        if q.get("answer"):
            with_answer += 1
            answered += is_answered(answer, q["answer"])
        rows.append(
            {
                "id": q.get("id"),
                "query": q["query"],
                "hits": hits,
                "answer": answer,
                "first_relevant_rank": rank,
            }
        )
    metrics = metrics_from_ranks(ranks)
    if answer_fn and with_answer:
        metrics["answer_rate"] = answered / with_answer
        metrics["answer_n"] = with_answer
    return EvalReport(metrics, rows)
