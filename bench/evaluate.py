"""Retrieval and answer evaluation with the relevance rule of shared/eval/README.md.

A hit is relevant to a query if, for any gold entry, the anchor occurs in the hit's passage
text or the unit excerpt occurs in the hit's unit title, both sides with all whitespace
removed. A query is answered when its `answer` occurs in the answer text (whitespace removed),
or, for rows with an `answers` list, when every one of them does. Rows of type "none" (the
documents cannot answer) count as answered when the answer is not confident. Rows with an
`answer_span` get a character F1 (`char_f1`). Answer rates are also reported by the row's
`type` (eval/README.md).

The character F1 scores the answer's words: its citation marks ("[1]") are taken out first
(`answer_words`) — they are references the product must give, not text of the answer, and no
gold span has one. The F1 with the marks counted, as it was reported up to the forty-fifth
session, is reported beside it (`char_f1_marked`).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from search.answer import without_citation_marks

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


def answer_words(answer_text: str | None) -> str:
    """An answer's text without its citation marks ("十二条[1]。" → "十二条。"), as the
    answers make them (`search.answer.without_citation_marks`)."""
    return without_citation_marks(answer_text or "")


def is_answered(answer_text: str | None, expected: str | None) -> bool:
    return bool(expected) and no_whitespace(expected) in no_whitespace(answer_text)


def char_f1(answer_text: str | None, span: str | None) -> float:
    """F1 of the multisets of characters (whitespace removed) of an answer and a gold span."""
    got, want = Counter(no_whitespace(answer_text)), Counter(no_whitespace(span))
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def row_answered(row: dict, answer_text: str | None, confident: bool | None) -> bool | None:
    """Whether the answer satisfies the row; None when the row expects nothing checkable."""
    if row.get("type") == "none":
        return confident is False
    if row.get("answers"):
        return all(is_answered(answer_text, a) for a in row["answers"])
    if row.get("answer"):
        return is_answered(answer_text, row["answer"])
    return None


@dataclass(frozen=True)
class AnswerOutcome:
    """What `evaluate` needs of an answer (search.answer.Answer has these attributes)."""

    text: str
    confident: bool | None = None
    kind: str = ""
    score: float | None = None  # the answer's confidence score, for calibrating per kind


def _outcome(value) -> AnswerOutcome:
    if value is None or isinstance(value, str):
        return AnswerOutcome(value or "")
    return AnswerOutcome(
        value.text,
        getattr(value, "confident", None),
        getattr(value, "kind", ""),
        getattr(value, "score", None),
    )


@dataclass(frozen=True)
class EvalReport:
    metrics: dict[str, float]
    rows: list[dict]  # per query: id, query, type, hits, answer, confident, kind, answered,
    # score, char_f1 and char_f1_marked (None without an answer_span), first_relevant_rank
    by_type: dict[str, tuple[int, int]] = field(default_factory=dict)  # type → (answered, n)

    def hits_out_rows(self) -> list[dict]:
        """The rows written by `yingshang eval --hits-out`."""
        keys = (
            "id",
            "query",
            "type",
            "hits",
            "answer",
            "confident",
            "kind",
            "score",
            "answered",
            "char_f1",
            "char_f1_marked",
        )
        return [{k: row[k] for k in keys} for row in self.rows]

    def confidence_line(self) -> str:
        """How honest `confident` is: answers holding the expected text or not, confident or
        not, and the rows the documents cannot answer (type "none") that are confident."""
        tally = Counter(
            ("none" if row["type"] == "none" else bool(row["answered"]), bool(row["confident"]))
            for row in self.rows
            if row["answered"] is not None and row["confident"] is not None
        )
        none = tally["none", True] + tally["none", False]
        return (
            f"confident: right {tally[True, True]}, wrong {tally[False, True]}; "
            f"unsure: right {tally[True, False]}, wrong {tally[False, False]}; "
            f"unanswerable confident {tally['none', True]} of {none}"
        )

    def type_table(self) -> list[str]:
        """Answer rate by question type, one line each (for the CLI and the README)."""
        lines = []
        for name, (ok, n) in sorted(self.by_type.items()):
            lines.append(f"  {name:<11} {ok:>3}/{n:<3} = {ok / n:.3f}")
        return lines


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
    answer_fn: Callable[[str], object] | None = None,
) -> EvalReport:
    """Run every query; `search_fn` returns top-10 hits in the JSON contract, `answer_fn` the
    answer text or an object with `text`, `confident` and `kind` (search.answer.Answer)."""
    rows, ranks, f1s, marked = [], [], [], []
    by_type: dict[str, list[int]] = {}
    for q in queries:
        hits = search_fn(q["query"])[:10]
        rank = next((i for i, h in enumerate(hits, 1) if is_relevant(h, q.get("gold", []))), None)
        ranks.append(rank)
        out = _outcome(answer_fn(q["query"])) if answer_fn else None
        answered = row_answered(q, out.text, out.confident) if out else None
        span = q.get("answer_span") if out else None
        f1 = char_f1(answer_words(out.text), span) if span else None
        f1_marked = char_f1(out.text, span) if span else None
        if answered is not None:
            tally = by_type.setdefault(q.get("type", "all"), [0, 0])
            tally[0] += answered
            tally[1] += 1
        if f1 is not None:
            f1s.append(f1)
            marked.append(f1_marked)
        rows.append(
            {
                "id": q.get("id"),
                "query": q["query"],
                "type": q.get("type"),
                "hits": hits,
                "answer": out.text if out else None,
                "confident": out.confident if out else None,
                "kind": out.kind if out else None,
                "score": None if out is None or out.score is None else round(out.score, 4),
                "answered": answered,
                "char_f1": None if f1 is None else round(f1, 4),
                "char_f1_marked": None if f1_marked is None else round(f1_marked, 4),
                "first_relevant_rank": rank,
            }
        )
    metrics = metrics_from_ranks(ranks)
    # The overall answer rate counts the questions with an answer (not "none" rows).
    expect = [r for r in rows if r["answered"] is not None and r["type"] != "none"]
    if answer_fn and expect:
        metrics["answer_rate"] = sum(bool(r["answered"]) for r in expect) / len(expect)
        metrics["answer_n"] = len(expect)
    if answer_fn and f1s:
        metrics["char_f1"] = sum(f1s) / len(f1s)
        metrics["char_f1_marked"] = sum(marked) / len(marked)
        metrics["char_f1_n"] = len(f1s)
    return EvalReport(metrics, rows, {k: (v[0], v[1]) for k, v in by_type.items()})
