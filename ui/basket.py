"""The page's briefing basket (简报): small entries kept in the browser, turned into
briefing items, a comparison and export files against the live index version.

An entry is a small dict of ids, never a copy of the index's objects, because it travels
with every basket event and is kept per browser (localStorage, see `ui.briefing_tab`):

* ``{"k": "answer", "q": question, "t": answer text with [n], "p": [passage id of n …]}``
* ``{"k": "passage", "p": passage id}`` – a source card of an answer
* ``{"k": "unit", "u": unit id}`` – a search result (a case or a measure)
* ``{"k": "similar", "u": unit id, "n": why it is similar}``

An entry whose ids the current index no longer has is shown as gone and left out of exports.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from index.live import IndexSnapshot
from index.types import Citation
from search import briefing
from search.briefing import BriefingItem, Table
from search.compare import MAX_UNITS, MIN_UNITS, Comparison, build_comparison, practice, unit_view

MAX_ENTRIES = 40  # a briefing, not an archive; keeps the state that travels small
MAX_TEXT = 4000  # an answer's text, as sent by the page
KINDS = ("answer", "passage", "unit", "similar")
COMPARABLE = ("case", "measure")
EXPORT_NAMES = {"docx": "简报.docx", "md": "简报.md", "xlsx": "简报.xlsx"}
COMPARE_NAMES = {"docx": "案例对比.docx", "md": "案例对比.md", "xlsx": "案例对比.xlsx"}


class BasketError(ValueError):
    """Said to the user as is (Chinese)."""


def clean_entry(raw: object) -> dict:
    """A checked entry from what the page sent (strings only, known kinds, bounded sizes)."""
    if not isinstance(raw, dict) or raw.get("k") not in KINDS:
        raise BasketError("无法加入简报：条目格式不正确。")
    kind = raw["k"]
    entry: dict = {"k": kind}
    if kind == "answer":
        entry["q"] = str(raw.get("q", ""))[:200]
        entry["t"] = str(raw.get("t", ""))[:MAX_TEXT]
        entry["p"] = [str(p) for p in raw.get("p", ())][:20]
        if not entry["t"]:
            raise BasketError("这个问题还没有可以加入简报的回答。")
    elif kind == "passage":
        entry["p"] = str(raw.get("p", ""))
    else:
        entry["u"] = str(raw.get("u", ""))
        if kind == "similar":
            entry["n"] = str(raw.get("n", ""))[:300]
    if not (entry.get("p") or entry.get("u")):
        raise BasketError("无法加入简报：条目缺少编号。")
    return entry


def _key(entry: dict) -> tuple:
    return (entry["k"], entry.get("q", ""), entry.get("u", ""), str(entry.get("p", "")))


def add(entries: Sequence[dict] | None, raw: object) -> tuple[list[dict], str]:
    """(new entries, message): a repeated entry is not added twice."""
    entries = list(entries or [])
    entry = clean_entry(raw)
    if any(_key(e) == _key(entry) for e in entries):
        return entries, "这一条已在简报中。"
    if len(entries) >= MAX_ENTRIES:
        raise BasketError(f"简报最多 {MAX_ENTRIES} 条，请先移除一些。")
    return [*entries, entry], f"已加入简报（共 {len(entries) + 1} 条）。"


def move(entries: Sequence[dict] | None, index: int, delta: int) -> list[dict]:
    entries = list(entries or [])
    target = index + delta
    if 0 <= index < len(entries) and 0 <= target < len(entries):
        entries[index], entries[target] = entries[target], entries[index]
    return entries


def remove(entries: Sequence[dict] | None, index: int) -> list[dict]:
    entries = list(entries or [])
    if 0 <= index < len(entries):
        del entries[index]
    return entries


# ---------------------------------------------------------------- entries → items


@dataclass(frozen=True)
class Resolved:
    """An entry read against an index version: its item, or None when it is gone."""

    entry: dict
    item: BriefingItem | None
    unit_id: str = ""  # the case or measure it is about ("" for an answer)
    comparable: bool = False


def _passage_citation(snap: IndexSnapshot, passage_id: str) -> tuple[Citation, object] | None:
    passage = snap.passage(passage_id)
    unit = snap.unit(passage.unit_id) if passage is not None else None
    if passage is None or unit is None:
        return None
    return snap.citation(passage), passage


def _resolve(snap: IndexSnapshot, entry: dict) -> Resolved:
    kind = entry["k"]
    if kind == "answer":
        cited = [_passage_citation(snap, p) for p in entry["p"]]
        if any(c is None for c in cited):
            return Resolved(entry, None)
        citations = tuple(c for c, _ in cited)  # type: ignore[misc]
        return Resolved(entry, BriefingItem("answer", entry["q"], entry["t"], citations))
    if kind == "passage":
        found = _passage_citation(snap, entry["p"])
        if found is None:
            return Resolved(entry, None)
        citation, passage = found
        unit = snap.unit(passage.unit_id)
        item = BriefingItem(
            "passage",
            unit.title,
            f"{passage.text}[1]",
            (citation,),
            unit_id=unit.id,
            fields=briefing.unit_fields(unit),
        )
        return Resolved(entry, item, unit.id, unit.kind in COMPARABLE)
    unit = snap.unit(entry["u"])
    if unit is None:
        return Resolved(entry, None)
    view = snap.derived(_views)[unit.id]
    item = briefing.item_from_unit(view.unit, practice(view), view.citation, kind)
    if kind == "similar" and entry.get("n"):
        item = BriefingItem(**{**item.__dict__, "note": entry["n"]})
    return Resolved(entry, item, unit.id, unit.kind in COMPARABLE)


class _ViewCache(dict):
    """Unit views of one index version, made on first use (per snapshot)."""

    def __init__(self, snap: IndexSnapshot) -> None:
        super().__init__()
        self.snap = snap

    def __missing__(self, unit_id: str):
        self[unit_id] = view = unit_view(self.snap.data, unit_id)
        return view


def _views(snap: IndexSnapshot) -> _ViewCache:
    return _ViewCache(snap)


def resolve(snap: IndexSnapshot, entries: Sequence[dict] | None) -> list[Resolved]:
    out = []
    for raw in entries or []:
        try:
            out.append(_resolve(snap, clean_entry(raw)))
        except BasketError:
            continue  # a malformed entry (an old browser's) is dropped, not shown
    return out


def comparable_ids(resolved: Sequence[Resolved]) -> list[str]:
    """The cases and measures of the basket, each once, in basket order."""
    return list(dict.fromkeys(r.unit_id for r in resolved if r.comparable and r.item))


def comparison(snap: IndexSnapshot, unit_ids: Sequence[str]) -> Comparison:
    ids = [u for u in dict.fromkeys(unit_ids) if snap.has_unit(u)]
    if not MIN_UNITS <= len(ids) <= MAX_UNITS:
        raise BasketError(
            f"请选择 {MIN_UNITS}–{MAX_UNITS} 个案例或措施进行对比（当前 {len(ids)} 个）。"
        )
    views = snap.derived(_views)
    return build_comparison([views[u] for u in ids])


# ---------------------------------------------------------------- files


def write_files(
    items: Sequence[BriefingItem], tables: Sequence[Table], title: str, names: dict[str, str]
) -> dict[str, Path]:
    """The briefing in every format, in a folder named by its content (same basket, same
    files: nothing piles up while people add and remove)."""
    payload = json.dumps(
        [[i.to_json() for i in items], [t.__dict__.__repr__() for t in tables], title],
        ensure_ascii=False,
        default=str,
    )
    folder = (
        Path(tempfile.gettempdir())
        / "yingshang-briefings"
        / hashlib.sha256(payload.encode()).hexdigest()[:20]
    )
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for fmt, name in names.items():
        path = folder / name
        if not path.exists():
            tmp = path.with_suffix(path.suffix + ".tmp")
            tmp.write_bytes(briefing.export(fmt, items, tables, title=title))
            tmp.replace(path)
        out[fmt] = path
    return out
