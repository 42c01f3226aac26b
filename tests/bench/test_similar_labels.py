"""Similar cases against the labelled set: the pure scoring, then the real seed index (slow)."""

from __future__ import annotations

import json

import pytest

from bench.similar_labels import (
    Label,
    compare_representations,
    default_labels_path,
    load_labels,
    print_table,
    score_ranking,
)
from index.types import Unit
from search.similar import DEFAULT_REPRESENTATION, REPRESENTATIONS


def test_score_ranking_counts_duplicates_as_the_label():
    label = Label("q", (frozenset({"a"}), frozenset({"b"})), frozenset({"a", "b", "c"}))
    ranked = [{"x"}, {"y", "a"}, {"c"}, {"z"}, {"b"}]  # "a" found through a duplicate
    m = score_ranking(ranked, label, k=5)
    assert m == {"R@3": 0.5, "R@5": 1.0, "MRR@10": 0.5, "P@5": 0.6}
    assert score_ranking([], label)["MRR@10"] == 0.0


def test_load_labels_resolves_title_excerpts_and_reports_the_rest(tmp_path):
    units = [
        Unit(id="a#case1", doc="a.txt", kind="case", title="政府采购 保证金改革", start=0, end=1),
        Unit(id="b#case1", doc="b.txt", kind="case", title="不动产登记全城通办", start=0, end=1),
        Unit(id="b#case2", doc="b.txt", kind="case", title="企业开办一日办结", start=0, end=1),
    ]
    path = tmp_path / "labels.jsonl"
    rows = [
        {
            "doc": "a.txt",
            "case": "政府采购保证金",  # whitespace does not matter
            "similar": ["全城通办", "没有这个案例"],
            "similar_docs": ["b.txt", "b.txt"],
            "related": [{"doc": "b.txt", "case": "企业开办"}],
        },
        {"doc": "c.txt", "case": "不存在", "similar": [], "similar_docs": []},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    labels, missing = load_labels(path, units)
    assert labels == [
        Label("a#case1", (frozenset({"b#case1"}),), frozenset({"b#case1", "b#case2"}))
    ]
    assert missing == ["b.txt: 没有这个案例", "c.txt: 不存在"]


@pytest.mark.slow
def test_default_representation_beats_plain_mean_on_the_labelled_set(searcher):
    labels, missing = load_labels(default_labels_path(), searcher.index.current.units)
    assert not missing and len(labels) == 24
    results = compare_representations(searcher, labels, representations=REPRESENTATIONS)
    print_table(f"similar_cases.jsonl（{len(labels)} 条标注）", results)
    best, mean = results[DEFAULT_REPRESENTATION], results["mean"]
    assert best["MRR@10"] >= mean["MRR@10"], results
    assert best["R@5"] >= 0.85 and best["MRR@10"] >= 0.7, best
