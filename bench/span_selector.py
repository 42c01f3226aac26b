"""Fit the span selector (search/reader.py) on NCPQA dev, out of fold by document.

For every NCPQA dev question the product's own pipeline (search, question recognition,
sentence scores: `Answerer.scored`) gives the candidate sentences; each run of neighbouring
sentences (with clauses trimmed at either end, `search.reader.runs`) gets its features (`run_features`) and, as the target, its character F1 against
the gold span. The weights maximise the expected F1 of the chosen run (a softmax over each
question's runs at temperature `TEMPERATURE`, gradient ascent): per question, the runs
compete with each other, which a regression of F1 on the features ignores (out of fold
0.405 against 0.388 for ridge). The run scored best is the answer.

Folds: the documents are split in two by their content hash (exact twins together); the
selector of fold k is fitted on the other fold's questions and written to `<out>/fold-<k>/`
with the questions it did not see, so `bench.reader_eval.out_of_fold` measures it through
`Answerer.ask`. The shipped selector is then fitted on all the questions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.evaluate import char_f1, load_queries
from index.config import Config

TEMPERATURE = 0.1
STEPS = 300
LEARNING_RATE = 0.5
DECAY = 1e-3
FOLDS = 2


@dataclass(frozen=True)
class QuestionRuns:
    query: dict
    fold: int
    features: np.ndarray  # one row per run
    f1: np.ndarray  # each run's character F1 against the gold span
    owned: bool  # whether the selector answers this question in the product


def fold_of(key: str, folds: int = FOLDS) -> int:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % folds


def collect(config: Config, queries: Sequence[dict]) -> list[QuestionRuns]:
    """The runs of every question, from the product's pipeline with the selector off."""
    from index.store import read_documents
    from search.answer import Answerer
    from search.reader import run_features, run_text, runs, selector_owns
    from search.searcher import Searcher

    groups = {Path(d.doc).stem: d.content_hash for d in read_documents(Path(config.index_dir))}
    searcher = Searcher(config)
    answerer = Answerer(searcher, selector=None)
    out = []
    for q in queries:
        result, embedded = answerer.retrieve(q["query"], k=8)
        hits = tuple(result.hits)
        if not hits or not q.get("answer_span"):
            continue
        rq, hits, cands, scores = answerer.scored(result.query, hits, embedded)
        found = runs(cands)
        if not found:
            continue
        feats = run_features(cands, scores, found, rq.text, rq.kind)
        f1 = np.array([char_f1(run_text(cands, r), q["answer_span"]) for r in found])
        fold = fold_of(groups.get(q["gold"][0]["doc"], q["gold"][0]["doc"]))
        owned = selector_owns(rq.kind, hits[0].unit.kind)
        out.append(QuestionRuns(q, fold, feats, f1, owned))
    return out


def fit(rows: Sequence[QuestionRuns]):
    """Weights over standardised features (bias unscaled) maximising the mean expected F1."""
    from search.reader import SpanSelector

    x = np.vstack([r.features for r in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    mean[0], scale[0] = 0.0, 1.0  # the bias column
    scale[scale == 0] = 1.0
    zs = [(r.features - mean) / scale for r in rows]
    w = np.zeros(x.shape[1])
    for _ in range(STEPS):
        grad = np.zeros_like(w)
        for z, r in zip(zs, rows, strict=True):
            s = z @ w / TEMPERATURE
            p = np.exp(s - s.max())
            p /= p.sum()
            grad += z.T @ (p * (r.f1 - p @ r.f1)) / TEMPERATURE
        w += LEARNING_RATE * grad / len(rows) - DECAY * w
    return SpanSelector(tuple(w.tolist()), tuple(mean.tolist()), tuple(scale.tolist()), {})


def chosen_f1(selector, rows: Sequence[QuestionRuns]) -> float:
    """Mean F1 of the run the selector picks (over `rows`)."""
    if not rows:
        return 0.0
    return float(np.mean([r.f1[int(np.argmax(selector.score(r.features)))] for r in rows]))


def write(selector, folder: Path, card: dict, queries: Sequence[dict] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "span_selector.json"
    data = {**selector.to_json(), **card}
    tmp = path.with_suffix(".json.partial")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    tmp.replace(path)
    if queries is not None:
        (folder / "queries.jsonl").write_text(
            "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in queries), "utf-8"
        )
    return path


def train_selector(
    config: Config, queries_path: Path, out: Path, shipped: Path
) -> tuple[list[Path], dict]:
    """Fold selectors in `out`/fold-<k>, the selector on all questions at `shipped`."""
    queries = load_queries(queries_path)
    rows = collect(config, queries)
    folds, offline = [], {}
    for k in range(FOLDS):
        train_rows = [r for r in rows if r.fold != k]
        held = [r for r in rows if r.fold == k]
        sel = fit(train_rows)
        offline[f"fold-{k}"] = round(chosen_f1(sel, [r for r in held if r.owned]), 4)
        card = {"trained_on": f"NCPQA dev questions of fold != {k}", "n_train": len(train_rows)}
        write(sel, out / f"fold-{k}", card, [r.query for r in held])
        folds.append(out / f"fold-{k}")
    from search.reader import MAX_RUN, MAX_TRIM

    card = {
        "trained_on": "all NCPQA dev questions (../shared/eval/ncpqa_dev)",
        "n_train": len(rows),
        "folds": f"{FOLDS} folds of the documents by content hash (sha256 % {FOLDS})",
        "objective": f"expected F1, softmax temperature {TEMPERATURE}, {STEPS} steps",
        "candidates": f"runs of 1-{MAX_RUN} sentences, 0-{MAX_TRIM} clauses dropped at each end",
        "offline_out_of_fold_f1_owned": offline,
    }
    write(fit(rows), shipped, card)
    return folds, {"rows": len(rows), "owned": sum(r.owned for r in rows), **offline}


def record_card(path: Path, extra: dict) -> None:
    """Add `extra` to a written selector file (atomically)."""
    data = {**json.loads(Path(path).read_text("utf-8")), **extra}
    tmp = Path(path).with_suffix(".json.partial")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    tmp.replace(path)
