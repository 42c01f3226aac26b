"""Hybrid search over a loaded index: dense + BM25, fused (search.fusion), with unit filters."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.config import Config
from index.embedding import Encoder
from index.lexical import top_k
from index.rows import PassageTable
from index.store import DocRecord, IndexData, current_version, load_index
from index.types import Hit, Unit
from search.fusion import fuse_hybrid

MODES = ("hybrid", "dense", "bm25")
MAX_QUERY_CHARS = 500


class QueryError(ValueError):
    """The query cannot be run; the message is for people (Chinese)."""


@dataclass(frozen=True)
class Filters:
    """Unit filters; empty strings mean "any". Matching is by substring."""

    kind: str = ""  # case | measure | section
    region: str = ""
    indicator: str = ""
    year: str = ""
    lead_unit: str = ""
    doc: str = ""

    def active(self) -> bool:
        return any((self.kind, self.region, self.indicator, self.year, self.lead_unit, self.doc))

    def matches(self, unit: Unit, doc: DocRecord | None) -> bool:
        doc_region = doc.region if doc else ""
        doc_date = doc.date if doc else ""
        checks = (
            (self.kind, unit.kind == self.kind),
            (self.region, self.region in unit.region or self.region in doc_region),
            (self.indicator, self.indicator in unit.indicator or self.indicator in unit.direction),
            (self.year, self.year in unit.deadline or doc_date.startswith(self.year)),
            (self.lead_unit, any(self.lead_unit in u for u in unit.lead_units)),
            (self.doc, self.doc == unit.doc or (doc is not None and self.doc in doc.title)),
        )
        return all(ok for wanted, ok in checks if wanted)

    def describe(self) -> str:
        names = {
            "kind": "类型",
            "region": "地区",
            "indicator": "指标",
            "year": "年份",
            "lead_unit": "牵头单位",
            "doc": "文档",
        }
        parts = [f"{names[k]}={v}" for k, v in self.__dict__.items() if v]
        return "，".join(parts)


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]
    took_ms: float
    mode: str
    message: str = ""  # notice for people: clipped query, filter matched nothing …
    query_terms: tuple[str, ...] = field(default=())


def validate_query(query: str) -> tuple[str, str]:
    """(query to run, notice). Empty queries are an error; huge ones are clipped."""
    query = (query or "").strip()
    if not query:
        raise QueryError("请输入要查询的问题或关键词。")
    if len(query) > MAX_QUERY_CHARS:
        return query[:MAX_QUERY_CHARS], f"问题过长，只使用了前 {MAX_QUERY_CHARS} 个字。"
    return query, ""


class Searcher:
    """Answers queries against the live index version; reloads when the index changes."""

    def __init__(self, config: Config, encoder: Encoder | None = None) -> None:
        self.config = config
        self.encoder = encoder or Encoder(config)
        self._lock = threading.Lock()
        self.data: IndexData = load_index(config.index_dir, self.encoder.info)
        self._prepare()

    # -------------------------------------------------------------- index state

    def _prepare(self) -> None:
        self.units = {u.id: u for u in self.data.units}
        self.unit_positions = {u.id: i for i, u in enumerate(self.data.units)}
        self.docs = {d.doc: d for d in self.data.documents}

    def refresh(self) -> bool:
        """Load a newer index version if one was written; True if it changed."""
        version = current_version(Path(self.config.index_dir))
        if version == self.data.version:
            return False
        with self._lock:
            if version != self.data.version:
                self.data = load_index(self.config.index_dir, self.encoder.info)
                self._prepare()
                return True
        return False

    @property
    def passages(self) -> PassageTable:
        return self.data.passages

    def unit_rows(self, unit_id: str) -> np.ndarray:
        """Passage positions of a unit, in document order (empty for an unknown unit)."""
        pos = self.unit_positions.get(unit_id)
        return np.zeros(0, np.int64) if pos is None else self.data.passages.rows_of_unit(pos)

    def passage_position(self, passage_id: str) -> int | None:
        """Position of a passage by its id ("<unit_id>/p<n>"), None if the index lacks it."""
        unit_id = passage_id.rsplit("/", 1)[0]
        for pos in self.unit_rows(unit_id).tolist():
            if self.data.passages[pos].id == passage_id:
                return pos
        return None

    def unit(self, unit_id: str) -> Unit:
        return self.units[unit_id]

    def doc_title(self, doc: str) -> str:
        rec = self.docs.get(doc)
        return rec.title if rec else doc

    def allowed_positions(self, filters: Filters | None) -> np.ndarray | None:
        if filters is None or not filters.active():
            return None
        ok = (i for i, u in enumerate(self.data.units) if filters.matches(u, self.docs.get(u.doc)))
        return self.data.passages.positions_of_units(ok)

    # -------------------------------------------------------------- search

    def search(
        self,
        query: str,
        k: int | None = None,
        mode: str = "hybrid",
        filters: Filters | None = None,
    ) -> SearchResult:
        if mode not in MODES:
            raise QueryError(f"未知的检索模式 {mode}，可选：{'、'.join(MODES)}")
        query, notice = validate_query(query)
        k = k or self.config.k
        t0 = time.perf_counter()
        allowed = self.allowed_positions(filters)
        if allowed is not None and len(allowed) == 0:
            message = f"没有符合筛选条件（{filters.describe()}）的内容，请放宽筛选条件。"
            return SearchResult(query, (), 0.0, mode, message)
        ranked = self.rank(query, mode, allowed)[:k]
        hits = tuple(self._hit(pos, score, rank) for rank, (pos, score) in enumerate(ranked, 1))
        took = (time.perf_counter() - t0) * 1000
        if not hits:
            notice = notice or "没有找到相关内容，请换个说法试试。"
        from index.lexical import tokenize

        return SearchResult(query, hits, took, mode, notice, tuple(tokenize(query)))

    def rank(
        self, query: str, mode: str, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(passage position, score) best first."""
        n = self.config.candidates
        if mode == "bm25":
            scores, ids = self.data.lexical.search(query, n, allowed)
            return list(zip(ids.tolist(), scores.tolist(), strict=True))
        qvec = self.encoder.encode_queries([query])[0]
        d_scores, d_ids = self.data.dense.search(qvec, n, allowed)
        if mode == "dense":
            return list(zip(d_ids.tolist(), d_scores.tolist(), strict=True))
        full = self.data.lexical.scores(query)  # every passage's BM25 score, computed once
        b_scores, b_ids = top_k(full, n, allowed)
        fused = fuse_hybrid(
            d_ids.tolist(),
            d_scores.tolist(),
            b_ids.tolist(),
            b_scores.tolist(),
            method=self.config.fusion,
            dense_weight=self.config.fusion_dense_weight,
            rrf_k=self.config.rrf_k,
            # Each retriever's exact score for the other's candidates, not a guess.
            bm25_of_dense=(full[d_ids] if full is not None else np.zeros(len(d_ids))).tolist(),
            dense_of_bm25=self._cosines(b_ids, qvec).tolist(),
        )
        return [(int(pos), float(score)) for pos, score in fused]

    def _cosines(self, positions: np.ndarray, qvec: np.ndarray) -> np.ndarray:
        """Exact cosine of the query with the passages at `positions` (in that order)."""
        order = np.argsort(positions, kind="stable")  # sorted: consecutive rows read at once
        out = np.empty(len(positions), dtype=np.float32)
        out[order] = self.data.dense.rows(positions[order]) @ qvec
        return out

    def _hit(self, pos: int, score: float, rank: int) -> Hit:
        passage = self.data.passages[pos]
        unit = self.units[passage.unit_id]
        return Hit(passage, unit, self.doc_title(passage.doc), score, rank)


@dataclass(frozen=True)
class UnitGroup:
    """One card per unit: the unit and its best passages, in hit order."""

    unit: Unit
    doc_title: str
    hits: tuple[Hit, ...]

    @property
    def best_rank(self) -> int:
        return self.hits[0].rank


def group_by_unit(hits: tuple[Hit, ...] | list[Hit], per_unit: int = 3) -> list[UnitGroup]:
    """Group hits by unit, ordered by each unit's best hit; at most `per_unit` passages each."""
    groups: dict[str, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.unit.id, []).append(hit)
    return [UnitGroup(hs[0].unit, hs[0].doc_title, tuple(hs[:per_unit])) for hs in groups.values()]


def highlight_terms(text: str, terms: tuple[str, ...]) -> list[tuple[str, bool]]:
    """Split text into (piece, is_match) for the query terms (longest terms first)."""
    terms = tuple(
        sorted({t for t in terms if len(t) >= 2 or not t.isascii()}, key=len, reverse=True)
    )
    if not terms:
        return [(text, False)]
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    out, pos = [], 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append((text[pos : m.start()], False))
        out.append((m.group(), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out
