"""The real seed index: structure counts, exact citations, contract (real model, FAISS, BM25)."""

from __future__ import annotations

import re

import pytest

from index.cleaning import strip_ws
from tests.contracts import HIT_CONTRACT

pytestmark = pytest.mark.slow

CASE_COUNTS = {
    "广西市场化营商环境典型案例.txt": 15,
    "2023年广西优化营商环境十大先进典型示范案例.txt": 10,
    "每周营商环境优秀案例（12月13日-12月19日）.txt": 27,
}
MEASURE_COUNTS = {
    "钦州市贯彻落实广西提质增效优化营商环境若干措施实施方案.txt": 21,
    "2023年广西优化营商环境工作要点.txt": 24 + 188,
}


@pytest.fixture(scope="module")
def data(searcher):
    return searcher.index.current.data


def test_counts_of_cases_and_measures(data):
    for doc, n in CASE_COUNTS.items():
        assert sum(u.kind == "case" for u in data.units if u.doc == doc) == n, doc
    for doc, n in MEASURE_COUNTS.items():
        assert sum(u.kind == "measure" for u in data.units if u.doc == doc) == n, doc
    assert sum(u.kind == "case" for u in data.units) == 52
    assert sum(u.kind == "measure" for u in data.units) == 233


def test_every_unit_and_passage_maps_back_to_its_source(data):
    for unit in data.units:
        source = data.source_text(unit.doc)
        assert 0 <= unit.start < unit.end <= len(source), unit.id
    by_unit = {u.id: u for u in data.units}
    dropped_chars = re.compile(r"\s+")
    for p in data.passages:
        source = data.source_text(p.doc)
        unit = by_unit[p.unit_id]
        assert unit.start <= p.start < p.end <= unit.end, p.id
        span = strip_ws(source[p.start : p.end])
        text = strip_ws(p.text)
        # Equal up to whitespace, except where page furniture inside the span was dropped:
        # then the passage is the span with those characters removed, in order.
        if span != text:
            it = iter(span)
            assert all(ch in it for ch in text), p.id
        assert source.count("\n", 0, p.start) + 1 == p.line_start
        assert source.count("\n", 0, p.end - 1) + 1 == p.line_end
        assert dropped_chars.sub("", p.text[:1]) == p.text[:1]


def test_task_row_106_fields(data):
    rows = [u for u in data.units if u.kind == "measure" and "压缩出口退税办理时间" in u.title]
    assert rows, "task row 106 not found"
    row = rows[0]
    assert row.number == "106"
    assert "广西税务局" in row.lead_units
    assert row.deadline == "2023年12月31日"


def test_beihai_case_fields(data):
    case = next(u for u in data.units if u.kind == "case" and "三联办" in u.title)
    assert case.indicator == "企业开办"
    assert "北海" in case.org and "北海市" in case.region


def test_search_hits_follow_the_json_contract(searcher):
    result = searcher.search("其他地方怎样降低政府采购保证金？", k=5)
    assert len(result.hits) == 5
    required = HIT_CONTRACT | {"unit_id", "unit_kind"}
    for hit in result.hits:
        row = hit.to_json()
        assert required <= set(row)
        source = searcher.index.current.source_text(row["doc"])
        assert strip_ws(row["text"])[:10] == strip_ws(source[row["start"] : row["end"]])[:10]
    assert any("保证金" in h.passage.text for h in result.hits[:3])


def test_rebuilding_an_unchanged_corpus_embeds_nothing(seed_index, real_encoder, tmp_path):
    from index.build import is_stale, sync_index

    config, _ = seed_index
    assert not is_stale(config)
    # A fresh index of the same corpus: every vector comes from the content-hash cache.
    other = config.with_overrides(index_dir=tmp_path / "index")
    report = sync_index(other, real_encoder, full=True)
    assert report.embedded == 0 and report.counts["passages"] > 400
