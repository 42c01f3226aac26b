"""Fitting the span selector (bench/span_selector.py) on synthetic runs: the blend of the
LightGBM ranker and the linear score learns which feature tells the best run, and what it
writes is what the product reads."""

from __future__ import annotations

import numpy as np

from bench.span_selector import (
    QuestionRuns,
    chosen_f1,
    fit_ranker,
    fold_of,
    split_means,
    write,
    write_split_folds,
)
from search.reader import FEATURES, RankedSelector, load_selector


def synthetic(questions: int = 40, per: int = 30, seed: int = 0) -> list[QuestionRuns]:
    """Runs whose F1 rises with the `terms_before` feature (the rest is noise)."""
    rng = np.random.default_rng(seed)
    col = FEATURES.index("terms_before")
    rows = []
    for q in range(questions):
        x = rng.normal(size=(per, len(FEATURES)))
        x[:, 0] = 1.0
        f1 = 1 / (1 + np.exp(-3 * x[:, col]))
        rows.append(QuestionRuns({"id": str(q)}, x, f1, True, f"doc{q}"))
    return rows


def test_the_fitted_blend_picks_runs_better_than_chance_and_round_trips(tmp_path) -> None:
    train, held = synthetic(seed=0), synthetic(seed=1)
    sel = fit_ranker(train)
    assert isinstance(sel, RankedSelector) and sel.linear is not None
    chance = float(np.mean([r.f1.mean() for r in held]))
    best = float(np.mean([r.f1.max() for r in held]))
    assert chosen_f1(sel, held) > chance + 0.5 * (best - chance)
    assert chosen_f1(RankedSelector.from_text(sel.model, {}), held) > chance  # ranker alone
    path = write(sel, tmp_path, {"trained_on": "synthetic"})
    again = load_selector(path)
    x = held[0].features
    assert again.card == {"trained_on": "synthetic"}
    assert np.allclose(again.score(x), sel.score(x))


def test_other_splits_keep_a_document_in_one_fold_and_score_each_split() -> None:
    assert fold_of("abc") == fold_of("abc", split=0)
    assert len({fold_of(f"doc{n}", split=3) for n in range(40)}) == 2
    # Another split moves documents between the folds.
    assert any(fold_of(f"doc{n}") != fold_of(f"doc{n}", split=1) for n in range(40))
    rows = synthetic()
    means = split_means(rows, splits=2)
    chance = float(np.mean([r.f1.mean() for r in rows]))
    assert len(means) == 2 and all(m > chance for m in means)


def test_written_questions_train_but_are_never_scored(monkeypatch) -> None:
    """A written question (evaluated False) joins the training of the folds its document is
    not in, and never counts in the out-of-fold F1 (its runs all have F1 0 here: counted,
    they would pull the mean down)."""
    import bench.span_selector as span_selector

    col = FEATURES.index("terms_before")
    trained_on: list[int] = []

    class ByTermsBefore:
        def score(self, features: np.ndarray) -> np.ndarray:
            return features[:, col]

    def fit(rows):
        trained_on.append(sum(not r.evaluated for r in rows))
        return ByTermsBefore()

    monkeypatch.setattr(span_selector, "fit_ranker", fit)
    rows = synthetic()
    written = [
        QuestionRuns({"id": f"w{n}"}, r.features, np.zeros(30), True, f"w{n}", evaluated=False)
        for n, r in enumerate(synthetic(questions=20, seed=2))
    ]
    assert not written[0].scored and rows[0].scored
    assert split_means(rows + written, splits=2) == split_means(rows, splits=2)
    # Each fit saw the written questions of the other fold: all of them over the two folds.
    assert sum(trained_on[:2]) == len(written) and 0 < trained_on[0] < len(written)


def test_a_split_s_folds_hold_out_each_document_once_and_only_scored_questions(tmp_path) -> None:
    """`write_split_folds` (train-reader --product-splits): per split, each fold's selector
    is written with the NCPQA questions of its held-out documents — every document in one
    fold, written questions never held out — and split 0 is the shipped split."""
    import json

    rows = synthetic()
    written = [
        QuestionRuns({"id": f"w{n}"}, r.features, r.f1, True, f"w{n}", evaluated=False)
        for n, r in enumerate(synthetic(questions=10, seed=2))
    ]
    for split in (0, 2):
        paths = write_split_folds(rows + written, split, tmp_path / f"split-{split}")
        held = [
            [json.loads(line)["id"] for line in (p / "queries.jsonl").read_text().splitlines()]
            for p in paths
        ]
        assert sorted(held[0] + held[1], key=int) == [r.query["id"] for r in rows]
        for k, ids in enumerate(held):
            assert all(fold_of(f"doc{i}", split=split) == k for i in ids)
        assert all((p / "span_selector.json").is_file() for p in paths)
    # Split 0 holds out what the shipped folds hold out (`split_folds` at split 0).
    shipped_split = [r.query["id"] for r in rows if fold_of(r.group) == 0]
    first = (tmp_path / "split-0" / "fold-0" / "queries.jsonl").read_text().splitlines()
    assert [json.loads(line)["id"] for line in first] == shipped_split
