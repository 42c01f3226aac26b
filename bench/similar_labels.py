"""Similar cases against labels: `eval/similar_cases.jsonl`, one row per labelled case with
the cases a reader would expect next to it (and related ones, and copies in other documents).

`compare_representations` scores every representation of `search.similar` (and, optionally,
other same-document penalties and indicator bonuses) on the labels; `yingshang eval-similar`
prints the table. `DEFAULT_REPRESENTATION` was chosen with it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.evaluate import no_whitespace
from index.config import REPO_ROOT
from index.types import Unit
from search.similar import (
    INDICATOR_BONUS,
    REPRESENTATIONS,
    SAME_DOC_PENALTY,
    SimilarFinder,
    SimilarItem,
)


@dataclass(frozen=True)
class Label:
    unit_id: str
    similar: tuple[frozenset[str], ...]  # each required neighbour: the unit ids that count
    acceptable: frozenset[str]  # required + related + duplicates


def load_labels(path: Path, units: Sequence[Unit]) -> tuple[list[Label], list[str]]:
    """Resolve eval/similar_cases.jsonl title excerpts to unit ids; also the unresolved ones."""

    def find(doc: str, excerpt: str) -> str | None:
        ex = no_whitespace(excerpt)
        for u in units:
            # The title, or the heading printed above the text when the contents name the unit.
            names = [no_whitespace(name) for name in (u.title, u.heading) if name]
            if u.doc == doc and any(ex in name or name in ex for name in names):
                return u.id
        return None

    labels, missing = [], []
    for line in Path(path).read_text("utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        uid = find(row["doc"], row["case"])
        if uid is None:
            missing.append(f"{row['doc']}: {row['case']}")
            continue
        similar = []
        for title, doc in zip(row["similar"], row["similar_docs"], strict=True):
            sid = find(doc, title)
            if sid is None:
                missing.append(f"{doc}: {title}")
            else:
                similar.append(sid)
        extra = [
            find(r["doc"], r["case"]) for r in row.get("related", []) + row.get("duplicates", [])
        ]
        labels.append(
            Label(
                uid,
                tuple(frozenset({s}) for s in similar),
                frozenset(similar) | {e for e in extra if e},
            )
        )
    return labels, missing


def _ranked_ids(items: Sequence[SimilarItem]) -> list[set[str]]:
    return [{it.unit.id, *(u for _, u in it.duplicates)} for it in items]


def score_ranking(ids: Sequence[set[str]], label: Label, k: int = 5) -> dict[str, float]:
    """R@3, R@k of the required neighbours, reciprocal rank (≤10), acceptable precision@k.

    `ids[r]` holds the unit id of the item at rank r+1 and of its listed duplicates: a
    neighbour counts for a label when it, or one of its duplicates, is the label.
    """
    n = max(len(label.similar), 1)
    first = next(
        (r for r, got in enumerate(ids[:10], 1) if any(s & got for s in label.similar)), None
    )
    return {
        "R@3": sum(any(s & got for got in ids[:3]) for s in label.similar) / n,
        f"R@{k}": sum(any(s & got for got in ids[:k]) for s in label.similar) / n,
        "MRR@10": 1.0 / first if first else 0.0,
        f"P@{k}": sum(bool(got & label.acceptable) for got in ids[:k]) / k,
    }


def evaluate_finder(
    finder: SimilarFinder, labels: Sequence[Label], k: int = 5, text_mode: bool = False
) -> dict[str, float]:
    """Mean metrics over the labels (see `score_ranking`).

    `text_mode` pastes each labelled case's opening passage into `similar_to_text` instead
    (the case itself and its copies are then ignored in the ranking).
    """
    st = finder.state()
    totals: Counter = Counter()
    for label in labels:
        if text_mode:
            i = st.pos[label.unit_id]
            text = st.passages[st.unit_passages[i][0]].text
            skip = {st.units[j].id for j in st.members(i)}
            items = finder.similar_to_text(text, k=10 + len(skip))
            items = [it for it in items if it.unit.id not in skip][:10]
        else:
            items = finder.similar_to_unit(label.unit_id, k=10)
        totals.update(score_ranking(_ranked_ids(items), label, k))
    return {m: v / max(len(labels), 1) for m, v in totals.items()}


def default_labels_path() -> Path:
    return REPO_ROOT / "eval" / "similar_cases.jsonl"


def compare_representations(
    searcher,
    labels: Sequence[Label] | None = None,
    representations: Sequence[str] = REPRESENTATIONS,
    settings: Sequence[tuple[float, float]] = ((SAME_DOC_PENALTY, INDICATOR_BONUS),),
    text_mode: bool = False,
) -> dict[str, dict[str, float]]:
    """Metrics of each representation × (same-document penalty, indicator bonus)."""
    if labels is None:
        labels, _ = load_labels(default_labels_path(), searcher.index.current.units)
    results = {}
    for rep in representations:
        for penalty, bonus in settings:
            finder = SimilarFinder(
                searcher, representation=rep, same_doc_penalty=penalty, indicator_bonus=bonus
            )
            name = rep if len(settings) == 1 else f"{rep} p={penalty:g} b={bonus:g}"
            results[name] = evaluate_finder(finder, labels, text_mode=text_mode)
    return results


def print_table(title: str, results: dict[str, dict[str, float]]) -> None:
    metrics = list(next(iter(results.values())).keys())
    width = max(len(n) for n in results) + 2
    print(title)
    print(" " * width + "".join(f"{m:>9}" for m in metrics))
    for name, row in results.items():
        print(f"{name:<{width}}" + "".join(f"{row[m]:>9.3f}" for m in metrics))
