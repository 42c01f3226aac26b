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
