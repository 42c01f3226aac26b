"""Filter values: indicator synonyms, lead-unit aliases, region tree, years from documents."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from index import facets
from index.types import Unit


@dataclass
class Doc:
    region: str = ""
    date: str = ""
    doc_type: str = ""


def _unit(**kw) -> Unit:
    base = {"id": "d#case1", "doc": "d.txt", "kind": "case", "title": "t", "start": 0, "end": 1}
    return Unit(**{**base, **kw})


def test_synonyms_share_one_canonical_name() -> None:
    pairs = [
        ("开办企业", "企业开办"),
        ("获取金融服务", "获得信贷"),
        ("不动产登记", "登记财产"),
        ("纳税服务", "纳税"),
        ("解决商业纠纷", "执行合同"),
        ("（三）纳税服务（含社保）", "纳税"),
    ]
    for spelling, canonical in pairs:
        assert facets.canonical_indicator(spelling) == canonical
    assert facets.canonical_indicator("某个新指标") == "某个新指标"


def test_any_spelling_matches_the_same_units() -> None:
    units = [
        _unit(indicator="企业开办"),
        _unit(indicator="开办企业"),
        _unit(kind="measure", indicator="", direction="进一步便利企业开办"),
        _unit(indicator="纳税"),
    ]
    for wanted in ("企业开办", "开办企业"):
        assert [facets.indicator_matches(wanted, u.indicator, u.direction) for u in units] == [
            True,
            True,
            True,
            False,
        ]
    # An unknown value still works as before: a substring of the indicator.
    assert facets.indicator_matches("信贷", "获得信贷")
    assert not facets.indicator_matches("信贷", "纳税")


def test_lead_unit_aliases_and_inherited_prefix() -> None:
    assert facets.canonical_lead_unit("自治区高级法院") == "自治区高级人民法院"
    assert facets.canonical_lead_unit("自治区检察院") == "自治区人民检察院"
    assert facets.canonical_lead_unit("自治区人民检察院") == "自治区人民检察院"
    listed = ("自治区商务厅", "交通运输厅", "南宁海关", "广西北部湾国际港务集团")
    assert facets.expand_lead_units(listed) == (
        "自治区商务厅",
        "自治区交通运输厅",
        "南宁海关",
        "广西北部湾国际港务集团",
    )
    # A city list keeps its own names: nothing to inherit.
    assert facets.expand_lead_units(("市发展改革委", "财政局")) == ("市发展改革委", "财政局")
    assert facets.lead_unit_matches("自治区高级人民法院", ("自治区高级法院",))
    assert facets.lead_unit_matches("自治区交通运输厅", listed)
    assert not facets.lead_unit_matches("自治区公安厅", listed)


def test_lead_unit_options_merge_aliases() -> None:
    units = [
        _unit(lead_units=("自治区高级法院",)),
        _unit(lead_units=("自治区高级人民法院", "自治区检察院")),
    ]
    options = dict(facets.lead_unit_options(units))
    assert options == {"自治区高级人民法院": 2, "自治区人民检察院": 1}


def test_split_region_levels() -> None:
    assert facets.split_region("广西壮族自治区北海市") == ("广西壮族自治区", "北海市", "")
    assert facets.split_region("广东省广州市南沙区") == ("广东省", "广州市", "南沙区")
    assert facets.split_region("重庆市万州区") == ("重庆市", "万州区", "")
    assert facets.split_region("贵州省黔东南州") == ("贵州省", "黔东南州", "")
    assert facets.split_region("钦州市") == ("", "钦州市", "")
    assert facets.split_region("全国") == ("全国", "", "")


def test_region_tree_places_bare_cities_under_their_province() -> None:
    tree = facets.region_tree(
        ["广西壮族自治区北海市", "广西壮族自治区钦州市", "钦州市", "广东省深圳市", "灵山县", ""]
    )
    assert tree["广西壮族自治区"] == ["北海市", "钦州市"]
    assert tree["广东省"] == ["深圳市"]
    assert list(tree)[-1] == facets.OTHER_PROVINCE and tree["其他"] == ["灵山县"]


def test_document_gives_year_and_region() -> None:
    doc = Doc(region="广西壮族自治区钦州市", date="2024-01-22")
    measure = _unit(kind="measure", deadline="2023年12月31日")
    assert facets.unit_years(measure, doc) == ("2024", "2023")
    assert facets.effective_region(measure, doc) == "广西壮族自治区钦州市"
    own = _unit(region="广东省深圳市")
    assert facets.effective_region(own, doc) == "广东省深圳市"
    assert facets.unit_years(_unit(), None) == ()


def test_colloquial_words_and_the_documents_spellings() -> None:
    """A question's colloquial words, each with the documents' words for it; a word the
    documents use themselves is not listed as its own spelling."""
    found = facets.colloquial_in("商事纠纷、打官司想在网上就解决掉")
    assert "诉讼" in found["打官司"] and "打官司" not in found["打官司"]
    assert "官司" not in found  # the longer word stands for it: one word, counted once
    assert facets.colloquial_in("政府采购保证金降到了多少？") == {}
    for word, spellings in facets.colloquial_in("交税、拿证、开店、打工").items():
        assert word not in spellings
    # The third batch: money, papers and firms as people name them.
    found = facets.colloquial_in("老赖的房产证能不能查封？私企招工难怎么办")
    assert "失信被执行人" in found["老赖"] and "不动产权证书" in found["房产证"]
    assert "民营企业" in found["私企"] and "招聘" in found["招工"]
    # The grid as people name it: 城区电网 is the task table's 城网, 农村电网 its 农网.
    found = facets.colloquial_in("南宁城区电网和农村电网的停电时间")
    assert list(found["城区电网"]) == ["城网"]
    assert list(found["农村电网"]) == ["农网"]


def test_colloquial_words_are_words_the_documents_seldom_use() -> None:
    """The list's rule (its _comment): a word the seed documents use three times or more
    (跑腿、投诉…) is theirs already, and expanding it would only add noise."""
    from index.config import REPO_ROOT

    text = "".join(p.read_text("utf-8") for p in sorted((REPO_ROOT / "corpus").glob("*.txt")))
    assert text
    for word in facets._colloquial_terms():
        assert text.count(word) < 3, word


def test_a_malformed_data_file_is_told_in_plain_words(tmp_path, monkeypatch) -> None:
    """A hand edit that breaks colloquial_terms.json (a missing comma, or a word not mapped to
    a list) is told with the file and where, in Chinese, when the searcher starts, not as
    json's English error on the first question."""
    bad = tmp_path / "colloquial_terms.json"
    bad.write_text('{"terms": {"打官司": ["诉讼"]\n "借钱": ["贷款"]}}', "utf-8")
    monkeypatch.setattr(facets, "DATA_DIR", tmp_path)
    caches = (facets._json, facets._colloquial_terms)
    for cached in caches:
        cached.cache_clear()
    try:
        with pytest.raises(facets.DataFileError, match=r"不是有效的 JSON（第 2 行"):
            facets.check_data_files()
        bad.write_text('{"terms": {"打官司": "诉讼"}}', "utf-8")
        facets._json.cache_clear()
        with pytest.raises(facets.DataFileError, match="对照表"):
            facets.check_data_files()
    finally:
        for cached in caches:
            cached.cache_clear()
    monkeypatch.undo()
    facets.check_data_files()  # the shipped file reads
    assert "诉讼" in facets.colloquial_in("打官司")["打官司"]
