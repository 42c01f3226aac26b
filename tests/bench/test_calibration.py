"""Answer threshold calibration: the pure choice of threshold, and the recorded threshold
against a fresh calibration on the real seed index (slow)."""

from __future__ import annotations

import pytest

from bench.calibration import (
    calibrate,
    calibrate_threshold,
    youden_j,
)
from bench.evaluate import load_queries
from index.config import REPO_ROOT
from search.answer import Answerer

OWN_QUERIES = REPO_ROOT / "eval" / "own_queries.jsonl"
SEED_QUERIES = REPO_ROOT.parent / "shared" / "eval" / "seed_queries.jsonl"


def test_calibrate_threshold_separates_classes():
    scores = [0.9, 0.85, 0.8, 0.6, 0.55, 0.7]
    answered = [True, True, True, False, False, True]
    t = calibrate_threshold(scores, answered)
    assert 0.6 < t <= 0.7


def test_calibrate_threshold_overlap_and_single_class():
    t = calibrate_threshold([0.9, 0.7, 0.8, 0.6], [True, True, False, False])
    # J is 0.5 at both 0.65 and 0.85; ties go to the lower threshold
    assert t == pytest.approx(0.65)
    assert calibrate_threshold([0.5, 0.7], [True, True]) < 0.5
    assert calibrate_threshold([0.5, 0.7], [False, False]) > 0.7
    with pytest.raises(ValueError):
        calibrate_threshold([], [])


def test_youden_j():
    rows = [(0.9, True), (0.7, True), (0.8, False), (0.6, False)]
    assert youden_j(rows, 0.65) == pytest.approx(0.5)
    assert youden_j(rows, 0.75) == pytest.approx(0.0)
    assert youden_j(rows, 0.0) == 0.0  # everything answered: TPR 1, FPR 1
    with pytest.raises(ValueError):
        youden_j([(0.5, True)], 0.4)


@pytest.mark.slow
def test_recorded_threshold_is_near_the_calibrated_one(searcher):
    """Re-runs the calibration behind `CONFIDENCE_THRESHOLD` and checks it is still near-best."""
    queries = [
        q for path in (OWN_QUERIES, SEED_QUERIES) if path.exists() for q in load_queries(path)
    ]
    if not queries:
        pytest.skip("no question sets found")
    result = calibrate(Answerer(searcher), [q for q in queries if q.get("answer")])
    print(
        f"\ncalibrated threshold={result.threshold:.4f} (J={result.j:.3f}); recorded "
        f"CONFIDENCE_THRESHOLD={result.recorded} (J={result.recorded_j:.3f}); "
        f"{result.answered} answered / {result.unanswered} not"
    )
    assert result.answered and result.unanswered
    assert result.recorded_j >= result.j - 0.10
