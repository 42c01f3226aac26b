"""Hybrid search over a loaded index: dense + BM25, fused (search.fusion), with unit filters."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from index import facets
from index.config import Config
from index.embedding import Encoder
from index.lexical import tokenize, top_k
from index.live import IndexSnapshot, LiveIndex
from index.store import DocRecord
from index.types import Hit, Unit
from search.fusion import fuse_hybrid
from search.milvus_ranker import MilvusRanker
from search.question import QuestionVectors

MODES = ("hybrid", "dense", "bm25")
MAX_QUERY_CHARS = 500


class QueryError(ValueError):
    """The query cannot be run; the message is for people (Chinese)."""


@dataclass(frozen=True)
class Filters:
    """Unit filters; empty strings mean "any". Values are matched as people write them:
    indicator synonyms and lead-unit aliases are resolved by `index.facets`."""

    kind: str = ""  # case | measure | section
    region: str = ""
    indicator: str = ""
    year: str = ""
    lead_unit: str = ""
    doc: str = ""
    doc_type: str = ""  # 案例集 | 政策文件 | 其他

    def active(self) -> bool:
        return any(self.__dict__.values())

    def matches(self, unit: Unit, doc: DocRecord | None) -> bool:
        checks = (
            (self.kind, lambda: unit.kind == self.kind),
            (
                self.region,
                lambda: facets.region_matches(self.region, facets.effective_region(unit, doc)),
            ),
            (
                self.indicator,
                lambda: facets.indicator_matches(self.indicator, unit.indicator, unit.direction),
            ),
            (self.year, lambda: self.year.strip() in facets.unit_years(unit, doc)),
            (self.lead_unit, lambda: facets.lead_unit_matches(self.lead_unit, unit.lead_units)),
            (self.doc, lambda: self.doc == unit.doc or (doc is not None and self.doc in doc.title)),
            (self.doc_type, lambda: doc is not None and doc.doc_type == self.doc_type),
        )
        return all(ok() for wanted, ok in checks if wanted)

    def describe(self) -> str:
        names = {
            "kind": "类型",
            "region": "地区",
            "indicator": "指标",
            "year": "年份",
            "lead_unit": "牵头单位",
            "doc": "文档",
            "doc_type": "文档类型",
        }
        parts = [f"{names[k]}={v}" for k, v in self.__dict__.items() if v]
        return "，".join(parts)


class SearchStatus(Enum):
    """What became of a search; `SearchResult.message` says the same to people."""

    OK = "ok"
    QUERY_CLIPPED = "query_clipped"  # hits for the first MAX_QUERY_CHARS characters
    NO_HITS = "no_hits"
    NO_FILTER_MATCH = "no_filter_match"  # the filters leave nothing to search


@dataclass(frozen=True)
class Ranking:
    """Passages (position, score) best first, and whether the dense and the BM25 retriever
    put the same passage first (hybrid search only)."""

    ranked: list[tuple[int, float]]
    first_in_both: bool = False


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[Hit, ...]
    took_ms: float
    mode: str
    message: str = ""  # notice for people: clipped query, filter matched nothing …
    query_terms: tuple[str, ...] = field(default=())
    status: SearchStatus = SearchStatus.OK
    clipped: bool = False  # the query was cut to MAX_QUERY_CHARS (whatever the status)
    # The query's embedding (None for BM25 alone): answers score sentences against it.
    query_vector: np.ndarray | None = field(default=None, compare=False, repr=False)


def validate_query(query: str) -> tuple[str, str]:
    """(query to run, notice). Empty queries are an error; huge ones are clipped."""
    query = (query or "").strip()
    if not query:
        raise QueryError("请输入要查询的问题或关键词。")
    if len(query) > MAX_QUERY_CHARS:
        return query[:MAX_QUERY_CHARS], f"问题过长，只使用了前 {MAX_QUERY_CHARS} 个字。"
    return query, ""


def allowed_positions(snapshot: IndexSnapshot, filters: Filters | None) -> np.ndarray | None:
    """Passage positions the filters allow (None: no filter, everything is allowed)."""
    if filters is None or not filters.active():
        return None
    ok = (i for i, u in enumerate(snapshot.units) if filters.matches(u, snapshot.document(u.doc)))
    return snapshot.passages.positions_of_units(ok)


class Searcher:
    """Answers queries against the live index (`self.index`, shared with answers, similar
    cases and the page); `self.index.refresh()` follows a newly written version."""

    def __init__(
        self, config: Config, encoder: Encoder | None = None, index: LiveIndex | None = None
    ) -> None:
        facets.check_data_files()  # a malformed data file is told now, not by a question
        self.config = config
        self.encoder = encoder or Encoder(config)
        self.index = index or LiveIndex(config.index_dir, self.encoder.info)
        # On the Milvus store the passages are searched (and filtered) inside Milvus.
        self.milvus = MilvusRanker(config) if config.store == "milvus" else None

    # -------------------------------------------------------------- search

    def search(
        self,
        query: str,
        k: int | None = None,
        mode: str = "hybrid",
        filters: Filters | None = None,
        embedded: QuestionVectors | None = None,
    ) -> SearchResult:
        """The top `k` passages for `query`; `embedded`: the query's vectors when the caller
        already made them (an answer embeds the question with its clauses in one call)."""
        if mode not in MODES:
            raise QueryError(f"未知的检索模式 {mode}，可选：{'、'.join(MODES)}")
        query, notice = validate_query(query)
        clipped = bool(notice)
        k = k or self.config.k
        snap = self.index.current  # one version for the whole search
        t0 = time.perf_counter()
        allowed = None if self.milvus else allowed_positions(snap, filters)
        if allowed is not None and len(allowed) == 0:
            return _no_filter_match(query, mode, filters, clipped)
        qvec = None if mode == "bm25" else self._query_vector(query, embedded)
        agreed = False
        if self.milvus is None:
            ranking = self.ranking(query, mode, allowed, qvec, snap)
            ranked, agreed = ranking.ranked[:k], ranking.first_in_both
        else:
            ranked = self.milvus.rank(query, mode, filters, qvec, snap)[:k]
            active = filters is not None and filters.active()
            if not ranked and active and self.milvus.matches_nothing(filters):
                return _no_filter_match(query, mode, filters, clipped)
        hits = tuple(
            _hit(snap, pos, score, rank, agreed and rank == 1)
            for rank, (pos, score) in enumerate(ranked, 1)
        )
        took = (time.perf_counter() - t0) * 1000
        status = SearchStatus.QUERY_CLIPPED if clipped else SearchStatus.OK
        if not hits:
            notice = notice or "没有找到相关内容，请换个说法试试。"
            status = SearchStatus.NO_HITS
        # The documents' words for a colloquial one are highlighted too: they are why a
        # passage that never says "打官司" was found (诉讼).
        spellings = (w for words in facets.colloquial_in(query).values() for w in words)
        terms = tuple(dict.fromkeys([*tokenize(query), *spellings]))
        return SearchResult(query, hits, took, mode, notice, terms, status, clipped, qvec)

    def _query_vector(self, query: str, embedded: QuestionVectors | None) -> np.ndarray:
        if embedded is not None and embedded.text == query:
            return embedded.whole
        qvec = self.encoder.encode_queries([query])[0]
        qvec.setflags(write=False)  # handed on in the result: answers reuse it as is
        return qvec

    def ranking(
        self,
        query: str,
        mode: str,
        allowed: np.ndarray | None = None,
        query_vector: np.ndarray | None = None,
        snapshot: IndexSnapshot | None = None,
    ) -> Ranking:
        """(passage position, score) best first, and whether both retrievers put the same
        passage first; the query is embedded unless given."""
        snap = snapshot or self.index.current
        n = self.config.candidates
        if mode == "bm25":
            scores, ids = top_k(lexical_scores(snap, query), n, allowed)
            return Ranking(list(zip(ids.tolist(), scores.tolist(), strict=True)))
        qvec = self.encoder.encode_queries([query])[0] if query_vector is None else query_vector
        d_scores, d_ids = snap.dense.search(qvec, n, allowed)
        if mode == "dense":
            return Ranking(list(zip(d_ids.tolist(), d_scores.tolist(), strict=True)))
        full = lexical_scores(snap, query)  # every passage's BM25 score, computed once
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
            dense_of_bm25=_cosines(snap, b_ids, qvec).tolist(),
        )
        agreed = len(d_ids) > 0 and len(b_ids) > 0 and int(d_ids[0]) == int(b_ids[0])
        return Ranking([(int(pos), float(score)) for pos, score in fused], agreed)


# A word read for a colloquial one is a guess at what was meant: it weighs half a word the
# question itself holds (at full weight, "老百姓用手机…找律师咨询" put 深圳's 热线 passage
# (群众、APP) above 玉林's 法律服务云超市, a shared seed question's answer).
COLLOQUIAL_WEIGHT = 0.5


def lexical_scores(snap: IndexSnapshot, query: str) -> np.ndarray | None:
    """Every passage's BM25 score for `query`, a colloquial word of it ("打官司") scored as
    the best of the documents' words for it ("诉讼"、"案件"…, `index.facets.colloquial_in`):
    the word itself is seldom in the documents, so it would match nothing."""
    scores = snap.lexical.scores(query)
    for spellings in facets.colloquial_in(query).values():
        found = [s for s in (snap.lexical.scores(word) for word in spellings) if s is not None]
        if found:
            best = COLLOQUIAL_WEIGHT * np.max(np.vstack(found), axis=0)
            scores = best if scores is None else scores + best
    return scores


def _cosines(snap: IndexSnapshot, positions: np.ndarray, qvec: np.ndarray) -> np.ndarray:
    """Exact cosine of the query with the passages at `positions` (in that order)."""
    order = np.argsort(positions, kind="stable")  # sorted: consecutive rows read at once
    out = np.empty(len(positions), dtype=np.float32)
    out[order] = snap.dense.rows(positions[order]) @ qvec
    return out


def _no_filter_match(query: str, mode: str, filters: Filters, clipped: bool) -> SearchResult:
    message = f"没有符合筛选条件（{filters.describe()}）的内容，请放宽筛选条件。"
    return SearchResult(
        query, (), 0.0, mode, message, status=SearchStatus.NO_FILTER_MATCH, clipped=clipped
    )


def _hit(snap: IndexSnapshot, pos: int, score: float, rank: int, first_in_both: bool) -> Hit:
    passage = snap.passages[pos]
    unit = snap.unit(passage.unit_id)
    if unit is None:  # every passage's unit is listed in a consistent version
        raise KeyError(passage.unit_id)
    locator = snap.locator(passage.doc, passage.start, passage.end)
    return Hit(
        passage,
        unit,
        snap.doc_title(passage.doc),
        score,
        rank,
        locator,
        first_in_both=first_in_both,
    )


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
    """Split text into (piece, is_match) for the query terms of two characters or more
    (longest first): a single character ("…各是怎么做的" → 各, 做) marks 各级 and 做好 all over
    a passage and says nothing of why it matched."""
    terms = tuple(sorted({t for t in terms if len(t) >= 2}, key=len, reverse=True))
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
