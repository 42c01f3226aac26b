from search.fusion import reciprocal_rank_fusion


def test_rrf_rewards_items_ranked_high_in_both():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "c", "a"]], k=60)
    assert [item for item, _ in fused] == ["b", "a", "c"] or fused[0][0] == "b"
    assert fused[0][0] == "b"


def test_rrf_scores_are_the_formula():
    fused = dict(reciprocal_rank_fusion([["x"], ["y", "x"]], k=10))
    assert abs(fused["x"] - (1 / 11 + 1 / 12)) < 1e-12
    assert abs(fused["y"] - 1 / 11) < 1e-12


def test_rrf_items_in_one_ranking_only_are_kept():
    fused = reciprocal_rank_fusion([["a"], []])
    assert fused == [("a", 1 / 61)]


def test_rrf_ties_keep_first_seen_order_and_weights_apply():
    fused = reciprocal_rank_fusion([["a", "b"], ["b", "a"]])
    assert [i for i, _ in fused] == ["a", "b"]
    weighted = reciprocal_rank_fusion([["a", "b"], ["b", "a"]], weights=[1.0, 2.0])
    assert weighted[0][0] == "b"


def test_rrf_rejects_mismatched_weights():
    import pytest

    with pytest.raises(ValueError):
        reciprocal_rank_fusion([["a"]], weights=[1.0, 2.0])


# ------------------------------------------------------------- normalised-score fusion

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from search.fusion import (  # noqa: E402
    adaptive_weight,
    convex_fusion,
    fuse_hybrid,
    normalise,
    top_margin,
)


def test_normalise_minmax_and_zscore():
    assert normalise([3.0, 2.0, 1.0]).tolist() == [1.0, 0.5, 0.0]
    z = normalise([3.0, 2.0, 1.0], "zscore")
    assert abs(z.mean()) < 1e-12 and abs(z.std() - 1) < 1e-12 and z[0] > z[1] > z[2]


def test_normalise_flat_list_expresses_no_preference():
    assert normalise([0.8, 0.8]).tolist() == [1.0, 1.0]
    assert normalise([0.8, 0.8], "zscore").tolist() == [0.0, 0.0]
    assert len(normalise([])) == 0
    with pytest.raises(ValueError):
        normalise([1.0], "softmax")


def test_convex_fusion_is_the_weighted_sum_with_the_floor_for_missing_items():
    dense = (["a", "b", "c"], [0.9, 0.8, 0.7])  # normalised 1, 0.5, 0
    bm25 = (["b", "d"], [10.0, 2.0])  # normalised 1, 0; a and c get the floor 0
    fused = dict(convex_fusion([dense, bm25], (0.3, 0.7)))
    assert fused["b"] == pytest.approx(0.3 * 0.5 + 0.7 * 1.0)
    assert fused["a"] == pytest.approx(0.3 * 1.0)
    assert fused["d"] == pytest.approx(0.3 * 0.0 + 0.7 * 0.0)
    assert fused["c"] == pytest.approx(0.0)


def test_convex_fusion_weight_one_reproduces_a_single_retriever():
    dense = ([1, 2, 3], [0.9, 0.85, 0.7])
    bm25 = ([3, 2, 4], [12.0, 5.0, 1.0])
    assert [i for i, _ in convex_fusion([dense, bm25], (1.0, 0.0))][:3] == [1, 2, 3]
    # 4 (BM25's last) and 1 (absent from BM25) tie at the floor.
    assert [i for i, _ in convex_fusion([dense, bm25], (0.0, 1.0))][:2] == [3, 2]


def test_convex_fusion_empty_list_does_not_penalise():
    fused = convex_fusion([([1, 2], [0.9, 0.1]), ([], [])], (0.5, 0.5))
    assert [i for i, _ in fused] == [1, 2]
    with pytest.raises(ValueError):
        convex_fusion([([1, 2], [0.9])], (1.0,))


def test_top_margin_is_relative_to_the_list_spread():
    assert top_margin([10.0, 5.0, 0.0]) == pytest.approx(0.5)
    assert top_margin([0.9, 0.9, 0.1]) == 0.0
    assert top_margin([1.0]) == 1.0 and top_margin([]) == 0.0
    # Scale-free: BM25 scores ×100 give the same margin.
    assert top_margin([1000.0, 500.0, 0.0]) == pytest.approx(0.5)


def test_adaptive_weight_moves_towards_the_surer_retriever():
    sure = [1.0, 0.1, 0.0]
    flat = [1.0, 0.99, 0.0]
    assert adaptive_weight(sure, flat, 0.4, 1.0) > 0.4
    assert adaptive_weight(flat, sure, 0.4, 1.0) < 0.4
    assert adaptive_weight(sure, sure, 0.4, 1.0) == pytest.approx(0.4)
    assert 0.0 <= adaptive_weight(sure, flat, 0.9, 5.0) <= 1.0


def test_fuse_hybrid_methods():
    d_ids, d_scores = [1, 2, 3], [0.9, 0.88, 0.5]
    b_ids, b_scores = [2, 1, 4], [9.0, 3.0, 1.0]
    for method in ("rrf", "convex", "adaptive"):
        fused = fuse_hybrid(d_ids, d_scores, b_ids, b_scores, method=method)
        assert {i for i, _ in fused} == {1, 2, 3, 4}
        scores = np.array([s for _, s in fused])
        assert np.all(np.diff(scores) <= 0)  # best first
    # Equal weights in RRF are the classic unweighted RRF.
    assert fuse_hybrid(d_ids, d_scores, b_ids, b_scores, method="rrf", dense_weight=0.5) == (
        reciprocal_rank_fusion([d_ids, b_ids], k=60)
    )
    with pytest.raises(ValueError):
        fuse_hybrid(d_ids, d_scores, b_ids, b_scores, method="max")
