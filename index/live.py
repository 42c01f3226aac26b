"""The live index: the current version of an index folder, reloaded when a new one is written.

One `LiveIndex` is shared by the searcher, the answerer, the similar-case finder and the
page. Each loaded version is an `IndexSnapshot` that never changes: the version's data and
its lookups (units and documents by id, passages by id and by unit, source texts).
`LiveIndex.refresh()` is the one place that asks "has the index version changed?".

What a consumer derives from a version (term statistics, unit vectors, the page's dropdown
choices) it keeps on the snapshot with `IndexSnapshot.derived`: built on first use, dropped
with the snapshot, so it follows the live version without any version comparison of its own.
A handler that reads several things takes `live.current` once and sees one version throughout.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

from index.dense import DenseIndex
from index.embedding import ModelInfo
from index.lexical import LexicalIndex
from index.rows import PassageTable
from index.store import DocRecord, IndexData, current_version, load_index
from index.types import Citation, Passage, Unit

T = TypeVar("T")


class IndexSnapshot:
    """One loaded index version and its lookups; immutable once made."""

    def __init__(self, data: IndexData) -> None:
        self.data = data
        self._units = {u.id: u for u in data.units}
        self._unit_positions = {u.id: i for i, u in enumerate(data.units)}
        self._docs = {d.doc: d for d in data.documents}
        self._derived: dict[Callable, object] = {}
        self._locks: dict[Callable, threading.Lock] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------ the version's data

    @property
    def version(self) -> str:
        return self.data.version

    @property
    def units(self) -> list[Unit]:
        return self.data.units

    @property
    def documents(self) -> list[DocRecord]:
        return self.data.documents

    @property
    def passages(self) -> PassageTable:
        return self.data.passages

    @property
    def dense(self) -> DenseIndex:
        return self.data.dense

    @property
    def lexical(self) -> LexicalIndex:
        return self.data.lexical

    # ------------------------------------------------------------ lookups

    def unit(self, unit_id: str) -> Unit | None:
        return self._units.get(unit_id)

    def has_unit(self, unit_id: str) -> bool:
        return unit_id in self._units

    def unit_position(self, unit_id: str) -> int | None:
        """Position of a unit in `units` (and in the passage table's unit index)."""
        return self._unit_positions.get(unit_id)

    def document(self, doc: str) -> DocRecord | None:
        return self._docs.get(doc)

    def doc_title(self, doc: str) -> str:
        """The document's title; its path when the version does not list it."""
        rec = self._docs.get(doc)
        return rec.title if rec else doc

    def source_text(self, doc: str) -> str:
        return self.data.source_text(doc)

    def citation(self, passage: Passage) -> Citation:
        """Where `passage` comes from, page or paragraph included (as a hit would cite it)."""
        unit = self.unit(passage.unit_id)
        locator = self.locator(passage.doc, passage.start, passage.end)
        title, page = (unit.title, unit.page) if unit is not None else ("", "")
        return Citation.of(passage, title, self.doc_title(passage.doc), locator, page)

    def locator(self, doc: str, start: int, end: int) -> str:
        """Page or paragraph of a PDF/Word span ("第2页", "第12段"); "" for text formats."""
        rec = self._docs.get(doc)
        return rec.locator(start, end) if rec else ""

    def unit_rows(self, unit_id: str) -> np.ndarray:
        """Passage positions of a unit, in document order (empty for an unknown unit)."""
        pos = self._unit_positions.get(unit_id)
        return np.zeros(0, np.int64) if pos is None else self.data.passages.rows_of_unit(pos)

    def passage_position(self, passage_id: str) -> int | None:
        """Position of a passage by its id ("<unit_id>/p<n>"), None if the version lacks it."""
        unit_id, _, tail = passage_id.rpartition("/")
        rows = self.unit_rows(unit_id)
        n = int(tail[1:]) if tail[:1] == "p" and tail[1:].isdigit() else 0
        if 0 < n <= len(rows) and self.data.passages[int(rows[n - 1])].id == passage_id:
            return int(rows[n - 1])  # "p<n>" is the unit's n-th passage (index.chunking)
        for pos in rows.tolist():
            if self.data.passages[pos].id == passage_id:
                return pos
        return None

    def passage(self, passage_id: str) -> Passage | None:
        pos = self.passage_position(passage_id)
        return None if pos is None else self.data.passages[pos]

    # ------------------------------------------------------------ derived state

    def derived(self, build: Callable[[IndexSnapshot], T]) -> T:
        """`build(self)`, computed once per snapshot (per `build`) and shared by all callers.

        Builders for different things do not wait for each other; two callers of the same
        builder wait for the one computation.
        """
        try:
            return self._derived[build]  # type: ignore[return-value]
        except KeyError:
            pass
        with self._lock:
            lock = self._locks.setdefault(build, threading.Lock())
        with lock:
            if build not in self._derived:
                self._derived[build] = build(self)
            return self._derived[build]  # type: ignore[return-value]


class LiveIndex:
    """The live version of the index in `index_dir`; `refresh()` follows newer versions."""

    def __init__(
        self, index_dir: Path | None, model: ModelInfo | None = None, data: IndexData | None = None
    ) -> None:
        """Load the live version of `index_dir`, or serve `data` (then `index_dir` may be None
        and `refresh()` never changes anything)."""
        self.index_dir = None if index_dir is None else Path(index_dir)
        self.model = model  # queries must use the model the index was built with
        self._lock = threading.Lock()
        if data is None:
            if self.index_dir is None:
                raise ValueError("LiveIndex needs an index folder or loaded data")
            data = load_index(self.index_dir, model)
        self._current = IndexSnapshot(data)

    @classmethod
    def in_memory(cls, data: IndexData) -> LiveIndex:
        """A live index over data that is not on disk (tests)."""
        return cls(None, data.model, data)

    @property
    def current(self) -> IndexSnapshot:
        return self._current

    @property
    def version(self) -> str:
        return self._current.version

    def refresh(self) -> bool:
        """Load a newer index version if one was written; True if the live version changed."""
        if self.index_dir is None:
            return False
        version = current_version(self.index_dir)
        if version == self._current.version:
            return False
        with self._lock:
            if version != self._current.version:  # another thread may have loaded it
                self._current = IndexSnapshot(load_index(self.index_dir, self.model))
                return True
        return False
