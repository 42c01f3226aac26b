"""Filters on the real seed index: synonyms, aliases, document type, year and region from
the document's metadata."""

from __future__ import annotations

import pytest

from index import facets
from search.searcher import Filters

pytestmark = pytest.mark.slow


def _units(searcher, filters: Filters) -> set[str]:
    return {
        u.id
        for u in searcher.index.current.units
        if filters.matches(u, searcher.index.current.document(u.doc))
    }


def test_indicator_synonyms_find_the_same_units(searcher) -> None:
    for a, b in (
        ("企业开办", "开办企业"),
        ("获得信贷", "获取金融服务"),
        ("登记财产", "不动产登记"),
        ("纳税", "纳税服务"),
    ):
        found = _units(searcher, Filters(indicator=a))
        assert found == _units(searcher, Filters(indicator=b))
        # More than either spelling alone finds as a plain substring (the old behaviour).
        alone = {u.id for u in searcher.index.current.units if a in u.indicator or a in u.direction}
        assert found > alone or (found == alone and len(found) > 1)
    assert len(_units(searcher, Filters(indicator="企业开办"))) >= 11


def test_lead_unit_alias_and_document_type(searcher) -> None:
    short = _units(searcher, Filters(lead_unit="自治区高级法院"))
    full = _units(searcher, Filters(lead_unit="自治区高级人民法院"))
    assert short == full and len(full) >= 17
    policy = _units(searcher, Filters(doc_type="政策文件"))
    cases = _units(searcher, Filters(doc_type="案例集"))
    assert policy and cases and not policy & cases
    assert all(
        searcher.index.current.unit(u).kind == "measure"
        or searcher.index.current.unit(u).kind == "section"
        for u in policy
    )


def test_year_and_region_come_from_the_document(searcher) -> None:
    y2024 = _units(searcher, Filters(year="2024"))
    qinzhou = {u.id for u in searcher.index.current.units if u.doc.startswith("钦州市")}
    assert qinzhou <= y2024  # the measures carry no year; their document is dated 2024-01-22
    assert qinzhou <= _units(searcher, Filters(region="广西"))
    result = searcher.search("企业开办", k=5, filters=Filters(year="2024", doc_type="政策文件"))
    assert result.hits and all(h.unit.doc.startswith("钦州市") for h in result.hits)


def test_region_tree_of_the_seed_corpus(searcher) -> None:
    regions = [u.region for u in searcher.index.current.units] + [
        d.region for d in searcher.index.current.documents
    ]
    tree = facets.region_tree(regions)
    assert list(tree)[0] == "广西壮族自治区"
    assert {"南宁市", "北海市", "钦州市", "柳州市"} <= set(tree["广西壮族自治区"])
    assert "深圳市" in tree["广东省"] and "其他" not in tree
