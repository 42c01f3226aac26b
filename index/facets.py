"""Filter values people use: canonical indicators, lead units without alias duplicates,
regions as a province → city tree, a unit's year and region taken from its document.

The synonym and alias lists are data (index/data/*.json), not code: a new synonym is a
one-line edit. Everything here is pure and cheap; the searcher calls it per unit.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Protocol

from index.types import Unit

DATA_DIR = Path(__file__).resolve().parent / "data"

DOC_TYPES = ("案例集", "政策文件", "其他")
NATIONWIDE = "全国"
OTHER_PROVINCE = "其他"

_NUMBERING = re.compile(r"^[\s\d一二三四五六七八九十百（）()、.．]+")
_BRACKETED = re.compile(r"[（(].*$")
_WS = re.compile(r"\s+")
_YEAR = re.compile(r"(19|20)\d{2}")
_MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
_PROVINCE = re.compile(
    r"^(北京市|天津市|上海市|重庆市|.+?省|.+?自治区|香港特别行政区|澳门特别行政区)"
)
_CITY = re.compile(r"^(.+?(?:自治州|地区|盟|市))|^(.+?州)")


class DocLike(Protocol):
    """What the filters read from a document record (index.store.DocRecord)."""

    region: str
    date: str
    doc_type: str


class DataFileError(ValueError):
    """A data file of index/data is not what the code reads (a malformed hand edit): told in
    plain words, with where, before any question is answered."""


@cache
def _json(name: str) -> dict:
    path = DATA_DIR / name
    try:
        return json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise DataFileError(
            f"数据文件 {path} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列），"
            "请改正这处后重试；索引没有改动。"
        ) from exc


# ---------------------------------------------------------------- colloquial terms


@cache
def _colloquial_terms() -> dict[str, tuple[str, ...]]:
    """Colloquial word → how the documents write it (data/colloquial_terms.json)."""
    terms = _json("colloquial_terms.json").get("terms")
    well_formed = isinstance(terms, dict) and all(
        isinstance(word, str) and isinstance(alts, list) and all(isinstance(a, str) for a in alts)
        for word, alts in (terms or {}).items()
    )
    if not well_formed:
        raise DataFileError(
            f"数据文件 {DATA_DIR / 'colloquial_terms.json'} 的 terms 应为"
            "“口语词: [文件里的写法, …]”的对照表，请改正后重试；索引没有改动。"
        )
    return {word: tuple(w for w in alts if w != word) for word, alts in terms.items()}


def check_data_files() -> None:
    """Read the data files questions use, so a malformed edit is told when the searcher
    starts (`DataFileError`), not by the first question."""
    _colloquial_terms()


def colloquial_in(question: str) -> dict[str, tuple[str, ...]]:
    """The colloquial words a question uses ("打官司"), each with the documents' spellings
    ("诉讼"、"案件"…): people ask in their words, the documents answer in theirs."""
    found = {w: alts for w, alts in _colloquial_terms().items() if w in question and alts}
    # "打官司" holds "官司": the longer word alone, or the one word would count twice.
    return {w: alts for w, alts in found.items() if not any(w != o and w in o for o in found)}


# ---------------------------------------------------------------- indicators


def _indicator_key(value: str) -> str:
    """Without numbering, bracketed detail and whitespace: "（一）纳税（含社保）" → "纳税"."""
    text = _WS.sub("", value or "")
    return _BRACKETED.sub("", _NUMBERING.sub("", text))


@cache
def _indicator_groups() -> dict[str, tuple[str, ...]]:
    """Every spelling (canonical name or synonym) → (canonical, *synonyms)."""
    groups: dict[str, tuple[str, ...]] = {}
    for item in _json("indicators.json")["indicators"]:
        names = (item["name"], *item.get("synonyms", ()))
        for name in names:
            groups[name] = names
    return groups


def canonical_indicators() -> tuple[str, ...]:
    """The canonical indicator names, in the data file's order."""
    return tuple(item["name"] for item in _json("indicators.json")["indicators"])


@lru_cache(maxsize=1 << 16)  # called per unit on every filtered search
def canonical_indicator(value: str) -> str:
    """The canonical name of an indicator spelling; an unknown one is returned cleaned."""
    key = _indicator_key(value)
    group = _indicator_groups().get(key)
    return group[0] if group else key


@lru_cache(maxsize=1 << 16)
def indicator_names(value: str) -> tuple[str, ...]:
    """All spellings of the indicator `value` names (just `value` when it is unknown)."""
    key = _indicator_key(value)
    return _indicator_groups().get(key, (key,) if key else ())


def indicator_matches(wanted: str, indicator: str, direction: str = "") -> bool:
    """Does a unit with this indicator (and reform direction) match the wanted indicator?

    Same canonical indicator, or any spelling of it inside the unit's indicator or
    direction, so 企业开办 and 开办企业 find exactly the same units.
    """
    names = indicator_names(wanted)
    if not names:
        return True
    if indicator and canonical_indicator(indicator) == names[0]:
        return True
    for name in names:  # noqa: SIM110 - a plain loop: runs once per unit of a filtered search
        if name in indicator or name in direction:
            return True
    return False


def indicator_options(units: Iterable[Unit]) -> list[tuple[str, int]]:
    """(canonical indicator, number of units) for a dropdown, most frequent first."""
    counts = Counter(canonical_indicator(u.indicator) for u in units if u.indicator)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


# ---------------------------------------------------------------- lead units


@lru_cache(maxsize=1 << 16)  # called per unit on every filtered search
def canonical_lead_unit(name: str) -> str:
    """One spelling per unit: 自治区高级法院 → 自治区高级人民法院."""
    data = _json("lead_units.json")
    name = _WS.sub("", name or "")
    name = data["aliases"].get(name, name)
    for pattern, repl in data["replacements"]:
        name = re.sub(pattern, repl, name)
    return data["aliases"].get(name, name)


@lru_cache(maxsize=1 << 16)  # called per unit on every filtered search
def expand_lead_units(names: tuple[str, ...]) -> tuple[str, ...]:
    """Canonical names of one 牵头单位 list, with the list's level prefix carried over.

    "自治区商务厅、交通运输厅" means 自治区交通运输厅: the parser keeps the list as
    printed, so a bare department after a prefixed first entry inherits the prefix.
    """
    data = _json("lead_units.json")
    names = [canonical_lead_unit(n) for n in names if n.strip()]
    if not names:
        return ()
    prefix = next((p for p in data["inherit_prefix"] if names[0].startswith(p)), "")
    suffix = re.compile(data["department_suffix"])
    out = [names[0]]
    for name in names[1:]:
        inherits = (
            prefix
            and suffix.search(name)
            and not any(name.startswith(s) for s in data["no_inherit"])
        )
        out.append(canonical_lead_unit(prefix + name) if inherits else name)
    return tuple(out)


def lead_unit_matches(wanted: str, names: Iterable[str]) -> bool:
    """Is the wanted unit (any alias, or part of a name) among a unit's lead units?"""
    if not wanted.strip():
        return True
    key = canonical_lead_unit(wanted)
    return any(key in name for name in expand_lead_units(tuple(names)))


def lead_unit_options(units: Iterable[Unit]) -> list[tuple[str, int]]:
    """(canonical lead unit, number of units), aliases merged, most frequent first."""
    counts = Counter(name for u in units for name in set(expand_lead_units(u.lead_units)))
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


# ---------------------------------------------------------------- regions and years


def effective_region(unit: Unit, doc: DocLike | None) -> str:
    """The unit's own region, else its document's (a policy's measures have none)."""
    return unit.region or (doc.region if doc else "")


@lru_cache(maxsize=1 << 16)
def doc_year(date: str) -> str:
    """ "2024-01-22" → "2024"; "" when the date names no year."""
    m = _YEAR.search(date or "")
    return m.group() if m else ""


def unit_years(unit: Unit, doc: DocLike | None) -> tuple[str, ...]:
    """Years a unit belongs to: its document's date, and its own deadline's year."""
    years = (doc_year(doc.date) if doc else "", doc_year(unit.deadline))
    return tuple(dict.fromkeys(y for y in years if y))


@lru_cache(maxsize=1 << 16)  # called per unit on every filtered search
def split_region(region: str) -> tuple[str, str, str]:
    """(province, city, rest): "广东省广州市南沙区" → ("广东省", "广州市", "南沙区").

    In a municipality the district is the second level ("重庆市万州区" → 重庆市, 万州区).
    A region without a province ("钦州市") gives ("", "钦州市", "").
    """
    region = _WS.sub("", region or "")
    if not region or region == NATIONWIDE:
        return (region, "", "")
    m = _PROVINCE.match(region)
    province, rest = (m.group(1), region[m.end() :]) if m else ("", region)
    if province in _MUNICIPALITIES:
        return (province, rest, "")
    c = _CITY.match(rest)  # 市 before 州: 广州市 is a city, 黔东南州 too
    return (province, c.group(), rest[c.end() :]) if c else (province, rest, "")


def region_tree(regions: Iterable[str]) -> dict[str, list[str]]:
    """Province → its cities, from the regions of units and documents.

    A city seen without its province is placed under the province it appears with
    elsewhere in the corpus, else under 其他. Provinces keep first-seen order by count.
    """
    parts = [split_region(r) for r in regions if r and r.strip()]
    city_province = {city: prov for prov, city, _ in parts if prov and city}
    counts: Counter[str] = Counter()
    tree: dict[str, set[str]] = {}
    for prov, city, _ in parts:
        prov = prov or city_province.get(city, OTHER_PROVINCE)
        counts[prov] += 1
        cities = tree.setdefault(prov, set())
        if city:
            cities.add(city)
    order = sorted(tree, key=lambda p: (p == OTHER_PROVINCE, -counts[p], p))
    return {p: sorted(tree[p]) for p in order}


def region_matches(wanted: str, region: str) -> bool:
    """Substring match on the full region, so 广西, 广西壮族自治区 and 北海市 all work."""
    wanted = _WS.sub("", wanted or "")
    return not wanted or wanted in region
