"""“Who else did something like this”: similar cases and measures, from the index alone.

A unit (case, measure, section) is represented by the passage vectors the index already
holds — nothing is embedded again for unit-to-unit queries. Several representations are
implemented so they can be compared on `eval/similar_cases.jsonl`
(`yingshang eval-similar`, see `bench.similar_labels`); `DEFAULT_REPRESENTATION` is the one
that won:

- ``mean``    cosine of the L2-normalised mean of each unit's passage vectors;
- ``head``    the same mean with the opening passage (title, highlights) weighted ×3;
- ``maxsim``  the best single passage pair between the two units;
- ``chamfer`` symmetric mean of best-match passage similarities (each passage of one unit
              matched to its closest passage of the other, both ways);
- ``hybrid``  ``mean`` blended with an IDF-weighted term cosine over jieba tokens.

Rules: the query unit is never returned; neither are its near-duplicates (the same case
reported in two documents), which are shown via `SimilarFinder.duplicates_of`; neighbours
that are copies of one another come back as one item whose `duplicates` lists the other
sources; neighbours from the query's own document are ranked down by `same_doc_penalty`.

Everything derived from an index version (unit vectors, term statistics, duplicate groups)
is computed once per version and kept with it (`index.live.IndexSnapshot.derived`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from index.cleaning import SENTENCE_END_MARKS
from index.lexical import STOPWORDS, tokenize
from index.live import IndexSnapshot
from index.types import Unit
from search.searcher import QueryError

if TYPE_CHECKING:  # the type only: importing the searcher loads the index libraries
    from search.searcher import Searcher

REPRESENTATIONS = ("mean", "head", "maxsim", "chamfer", "centered", "terms", "hybrid")
DEFAULT_REPRESENTATION = "hybrid"
HYBRID_DENSE_WEIGHT = 0.5  # hybrid = w · z(centered cosine) + (1 − w) · z(term cosine)
HEAD_WEIGHT = 3.0  # weight of a unit's opening passage in the ``head`` representation
CENTER_MIN_UNITS = 4  # documents with fewer units are centred on the corpus mean instead
# Ranking works on scores standardised over the candidates (z-scores), so these are in
# standard deviations whatever the representation:
SAME_DOC_PENALTY = 1.0  # neighbours in the query's own document rank lower …
INDICATOR_BONUS = 0.5  # … neighbours with the same indicator (指标) rank higher
DUPLICATE_KINDS = ("case",)  # near-duplicate grouping applies to cases only
# On the seed index the one known pair scores 0.53 / 0.43 and the closest pair of two
# different cases by the same actor in two documents 0.27 / 0.24: the thresholds below
# sit about halfway, so a slightly different embedding keeps the pair together.
DUPLICATE_COSINE = 0.4  # centred mean-vector cosine needed for a near-duplicate …
DUPLICATE_TERMS = 0.3  # … plus this term cosine (same reform, same wording) …
DUPLICATE_TITLE = 0.5  # … and the same actor, or titles sharing this much (bigram Jaccard)
SHARED_TERMS = 4  # how many shared key terms to show
TEXT_CHUNK = 300  # characters per chunk when embedding a pasted description
MAX_TEXT_CHARS = 3000  # a pasted description is cut here

# Words that occur in nearly every business-environment text: never "key terms".
_GENERIC_WORDS = """营商 环境 营商环境 优化 企业 工作 推进 推动 实现 开展 提升 服务 加强 建设 落实 持续 进一步
    全面 创新 发展 完善 机制 打造 政策 市场 部门 全区 全市 全省 全国 广西 自治区 壮族 我市 我区
    我省 通过 有效 积极 不断 深化 改革 保障 提高 水平 以来 目前 截至 主要 做法 成效 案例 背景
    典型 取得 举措 措施 一是 二是 三是 四是 五是 六是 工作日 相关 单位 经营 主体 市场主体
    经营主体 高质量 质量 助力 优化营商环境 一批 一步 切实 坚持 围绕 聚焦 着力 充分 形成 有关
    万元 亿元 同比 增长 累计 其中 以上 以下 方面 进行 同时 各类 各级 全年 年度 今年 去年 达到 共有
    个月 元年 建立 健全 构建 提供 支持 促进 加快 强化 扎实 大力 深入 精准 高效 便利 便捷
"""
GENERIC_TERMS = frozenset(_GENERIC_WORDS.split())
_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(rf"(?<=[{SENTENCE_END_MARKS}\n])")
_ORG_SUFFIX = re.compile(r"(?:厅|局|委|办|院|中心|市|县|区|州|盟|旗|省)$")
_GENERIC_ACTORS = frozenset({"自治区", "广西壮族自治区", "广西", "中国", "全区", "全市"})
_WS = re.compile(r"\s+")
# "（一）" "(3)" "3." "十二、" — a number in brackets or followed by a delimiter, so that
# indicators that start with a numeral word ("一网通办", "12345热线") keep it
_NUMBERING = re.compile(
    r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十\d]+[、.．])"
)


@dataclass(frozen=True)
class SimilarItem:
    """One neighbour of a case, a measure or a pasted description."""

    unit: Unit
    doc_title: str
    score: float
    shared_terms: tuple[str, ...] = ()
    same_indicator: bool = False
    indicator: str = ""  # the shared indicator when `same_indicator`, else the neighbour's
    passage_pair: tuple[str, str] = ("", "")  # (query-side passage, neighbour passage)
    pair_score: float = 0.0  # cosine of `passage_pair`
    passage_id: str = ""  # id of the neighbour's passage in `passage_pair` ("" if none)
    duplicates: tuple[tuple[str, str], ...] = ()  # (doc, unit_id) of other copies
    reason: str = ""

    def to_json(self) -> dict:
        return {
            "unit_id": self.unit.id,
            "doc": self.unit.doc,
            "doc_title": self.doc_title,
            "unit_title": self.unit.title,
            "unit_kind": self.unit.kind,
            "score": round(float(self.score), 6),
            "shared_terms": list(self.shared_terms),
            "same_indicator": self.same_indicator,
            "indicator": self.indicator,
            "passage_pair": list(self.passage_pair),
            "pair_score": round(float(self.pair_score), 6),
            "duplicates": [{"doc": d, "unit_id": u} for d, u in self.duplicates],
            "reason": self.reason,
        }


# ================================================================ pure parts


def l2_normalise(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero)."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


def unit_mean_vectors(
    vectors: np.ndarray,
    passage_units: np.ndarray,
    n_units: int,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """(n_units, dim) normalised (weighted) mean of each unit's passage vectors.

    `passage_units[i]` is the unit index of passage i; units without passages get zeros.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    w = np.ones(len(vectors), np.float32) if weights is None else np.asarray(weights, np.float32)
    out = np.zeros((n_units, vectors.shape[1] if vectors.ndim == 2 else 0), np.float32)
    np.add.at(out, np.asarray(passage_units, dtype=np.int64), vectors * w[:, None])
    return l2_normalise(out)


def head_weights(passage_units: np.ndarray, head_weight: float = HEAD_WEIGHT) -> np.ndarray:
    """Weight `head_weight` for the first passage of each unit, 1 for the others."""
    passage_units = np.asarray(passage_units)
    w = np.ones(len(passage_units), np.float32)
    first = np.ones(len(passage_units), bool)
    first[1:] = passage_units[1:] != passage_units[:-1]
    w[first] = head_weight
    return w


@dataclass(frozen=True)
class Segments:
    """Passages grouped by unit: `order` sorts passages by unit, `starts` opens each run."""

    order: np.ndarray  # passage positions, sorted by unit
    starts: np.ndarray  # start of each non-empty unit's run within `order`
    units: np.ndarray  # unit index of each run
    counts: np.ndarray  # passages per unit (all units, zeros included)

    @classmethod
    def build(cls, passage_units: np.ndarray, n_units: int) -> Segments:
        passage_units = np.asarray(passage_units, dtype=np.int64)
        order = np.argsort(passage_units, kind="stable")
        sorted_units = passage_units[order]
        if len(order):
            change = np.flatnonzero(np.r_[True, sorted_units[1:] != sorted_units[:-1]])
        else:
            change = np.zeros(0, np.int64)
        counts = np.bincount(passage_units, minlength=n_units)
        return cls(order, change, sorted_units[change], counts)


def passage_match_scores(
    sims: np.ndarray, segments: Segments, n_units: int, how: str
) -> np.ndarray:
    """Per-unit scores from query-passage × index-passage cosines `sims` (m, N).

    ``maxsim``: best pair. ``chamfer``: mean of (mean over query passages of the best match in
    the unit, mean over the unit's passages of the best match among the query passages).
    Units without passages score −inf.
    """
    out = np.full(n_units, -np.inf, dtype=np.float32)
    if sims.size == 0 or len(segments.starts) == 0:
        return out
    sorted_sims = sims[:, segments.order]
    per_unit = np.maximum.reduceat(sorted_sims, segments.starts, axis=1)  # (m, runs)
    if how == "maxsim":
        out[segments.units] = per_unit.max(axis=0)
        return out
    if how != "chamfer":
        raise ValueError(f"unknown passage matching {how!r}")
    forward = per_unit.mean(axis=0)
    best_for_passage = sorted_sims.max(axis=0)  # (N,) in sorted order
    sums = np.add.reduceat(best_for_passage, segments.starts)
    backward = sums / segments.counts[segments.units]
    out[segments.units] = 0.5 * (forward + backward)
    return out


def key_terms(text: str) -> list[str]:
    """jieba tokens that can be key terms: no stopwords, no generic words, no figures."""
    return [
        t
        for t in tokenize(text)
        if len(t) >= 2 and t not in STOPWORDS and t not in GENERIC_TERMS and not _DIGIT.search(t)
    ]


def idf_table(term_counts: Sequence[Counter]) -> dict[str, float]:
    """Smoothed IDF over units: log((1 + n) / (1 + df)) + 1."""
    df: Counter = Counter()
    for counts in term_counts:
        df.update(counts.keys())
    n = len(term_counts)
    return {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}


def term_weights(counts: Counter, idf: dict[str, float]) -> dict[str, float]:
    """Sublinear tf · idf, L2-normalised (unknown terms get the largest IDF)."""
    top = max(idf.values(), default=1.0)
    raw = {t: (1.0 + math.log(c)) * idf.get(t, top) for t, c in counts.items() if c > 0}
    norm = math.sqrt(sum(v * v for v in raw.values())) or 1.0
    return {t: v / norm for t, v in raw.items()}


def term_cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return float(sum(v * b[t] for t, v in a.items() if t in b))


def shared_terms(
    a: Counter, b: Counter, idf: dict[str, float], top: int = SHARED_TERMS
) -> tuple[str, ...]:
    """The most telling terms both sides use: IDF × the smaller (sublinear) frequency.

    A term inside a longer shared term ("采购" in "政府采购") is left out.
    """
    both = [t for t in a if t in b and t not in STOPWORDS and t not in GENERIC_TERMS]
    if not both:
        return ()
    high = max(idf.values(), default=1.0)

    def weight(t: str) -> float:
        return idf.get(t, high) * (1.0 + math.log(min(a[t], b[t])))

    both = [t for t in both if not any(t != o and t in o for o in both)]
    both.sort(key=lambda t: (-weight(t), -len(t), t))
    return tuple(both[:top])


def bigram_jaccard(a: str, b: str) -> float:
    """Character-bigram Jaccard of two titles (whitespace and punctuation ignored)."""

    def grams(s: str) -> set[str]:
        s = re.sub(r"[\W_]+", "", s)
        return {s[i : i + 2] for i in range(len(s) - 1)}

    ga, gb = grams(a), grams(b)
    return len(ga & gb) / len(ga | gb) if ga and gb else 0.0


def actors(unit: Unit) -> set[str]:
    """Who did it: the submitting unit(s) and the organisation that opens the title."""
    out = set()
    for part in re.split(r"[、，,；;\s]+", unit.org or ""):
        if len(part) >= 3 and part not in _GENERIC_ACTORS:
            out.add(part)
    title = re.sub(r"^[\d.、．\s]+", "", unit.title.split("：")[-1])
    for end in range(3, min(len(title), 14) + 1):
        prefix = title[:end]
        rest = re.sub(r"^(?:广西壮族自治区|自治区|广西)", "", prefix)
        if _ORG_SUFFIX.search(prefix) and len(rest) >= 2:
            out.add(prefix)  # the shortest organisation-like prefix: 贵港市, 自治区财政厅
            break
    return out


def same_actor(a: Unit, b: Unit) -> bool:
    """One unit's actor is named in the other's org or title (e.g. 自治区财政厅)."""
    ha = f"{a.org}｜{a.title}｜{a.highlights[:120]}"
    hb = f"{b.org}｜{b.title}｜{b.highlights[:120]}"
    return any(x in hb for x in actors(a)) or any(x in ha for x in actors(b))


def is_near_duplicate(
    a: Unit, b: Unit, cosine: float, terms: float, *, min_cosine: float = DUPLICATE_COSINE
) -> bool:
    """Same reform reported in two documents: very close vectors and wording, and the same
    actor or title. Two entries of one document are two cases, never copies."""
    if a.id == b.id or a.doc == b.doc or a.kind != b.kind or a.kind not in DUPLICATE_KINDS:
        return False
    if cosine < min_cosine or terms < DUPLICATE_TERMS:
        return False
    return same_actor(a, b) or bigram_jaccard(a.title, b.title) >= DUPLICATE_TITLE


def group_pairs(n: int, pairs: Iterable[tuple[int, int]]) -> np.ndarray:
    """Union-find: group id (smallest member index) of each of `n` items."""
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    return np.array([find(i) for i in range(n)], dtype=np.int64)


def indicator_key(indicator: str) -> str:
    """The main indicator: without bracketed detail, numbering and whitespace."""
    text = _NUMBERING.sub("", _WS.sub("", indicator or ""))
    return re.split(r"[（(]", text, maxsplit=1)[0]


def same_indicator(a: str, b: str) -> bool:
    ka, kb = indicator_key(a), indicator_key(b)
    return bool(ka and kb) and (ka == kb or ka in kb or kb in ka)


def make_reason(
    indicator: str,
    same: bool,
    terms: Sequence[str],
    pair_score: float,
    other_sources: Sequence[str] = (),
) -> str:
    """One short sentence, e.g. 同为“政府采购”指标；共同关键词：保证金、电子化；最相近段落相似度 0.91"""
    parts = []
    if same and indicator:
        parts.append(f"同为“{indicator}”指标")
    if terms:
        parts.append("共同关键词：" + "、".join(terms))
    parts.append(f"最相近段落相似度 {pair_score:.2f}")
    if other_sources:
        parts.append("同一案例另见" + "、".join(f"《{t}》" for t in other_sources))
    return "；".join(parts)


def split_text(text: str, size: int = TEXT_CHUNK) -> list[str]:
    """A pasted description cut at sentence ends into chunks of about `size` characters."""
    text = (text or "").strip()
    if len(text) <= size:
        return [text] if text else []
    chunks, current = [], ""
    for sentence in _SENTENCE_END.split(text):
        while len(sentence) > size:  # a run-on sentence: hard cut
            if current:
                chunks.append(current)
                current = ""
            chunks.append(sentence[:size])
            sentence = sentence[size:]
        if current and len(current) + len(sentence) > size:
            chunks.append(current)
            current = ""
        current += sentence
    if current.strip():
        chunks.append(current)
    return [c.strip() for c in chunks if c.strip()]


# ================================================================ per-version state


def centre_passages(
    vectors: np.ndarray, passage_docs: np.ndarray, units_per_doc: dict[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Passage vectors minus their document's mean vector, re-normalised; and the corpus mean.

    Every passage is embedded with its document title in front, and a document's passages
    share its style, so raw cosines favour units of the same document. Removing each
    document's centroid leaves what a unit says beyond its document. Documents with fewer
    than `CENTER_MIN_UNITS` units have no reliable centroid and use the corpus mean.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    if len(vectors) == 0:
        return vectors.copy(), np.zeros(vectors.shape[1:], np.float32)
    corpus_mean = vectors.mean(axis=0)
    out = vectors - corpus_mean
    for doc in set(passage_docs.tolist()):
        if units_per_doc.get(doc, 0) >= CENTER_MIN_UNITS:
            rows = passage_docs == doc
            out[rows] = vectors[rows] - vectors[rows].mean(axis=0)
    return l2_normalise(out), corpus_mean


def standardise(scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """z-scores relative to the entries in `mask` (a constant gives zeros)."""
    scores = np.asarray(scores, dtype=np.float64)
    out = np.zeros_like(scores)
    if not mask.any():
        return out
    vals = scores[mask]
    sd = float(vals.std())
    out[mask] = (vals - vals.mean()) / sd if sd > 1e-12 else 0.0
    return out


@dataclass
class _Query:
    """The query side: a unit of the index or a pasted description."""

    vectors: np.ndarray  # (m, dim) passage vectors, normalised
    centred: np.ndarray  # (m, dim) the same, centred (see `centre_passages`)
    texts: list[str]  # passage texts, parallel to `vectors`
    terms: Counter
    weights: dict[str, float]
    unit: int | None = None  # unit index when the query is a unit
    doc: str = ""
    indicator: str = ""


class _State:
    """Everything SimilarFinder derives from one index version."""

    def __init__(self, snapshot: IndexSnapshot) -> None:
        data = snapshot.data
        self.snapshot = snapshot
        self.version = data.version
        self.units: list[Unit] = list(data.units)
        self.pos = {u.id: i for i, u in enumerate(self.units)}
        n = len(self.units)
        self.kinds = np.array([u.kind for u in self.units], dtype=object)
        self.docs = np.array([u.doc for u in self.units], dtype=object)
        self.indicators = np.array([indicator_key(u.indicator) for u in self.units], dtype=object)
        self.passages = data.passages
        self.passage_units = data.passages.unit_index.astype(np.int64)  # positions in units
        self.vectors = l2_normalise(np.asarray(data.dense.vectors, dtype=np.float32))
        known = self.passage_units >= 0
        if not known.all():  # passages of units the index does not list: ignore them
            self.vectors[~known] = 0.0
            self.passage_units = np.where(known, self.passage_units, 0)
        # Unknown units were mapped to 0 above (their rows are zeroed, so the doc is moot).
        passage_docs = self.docs[self.passage_units] if n else np.array([], dtype=object)
        self.centred, self.corpus_mean = centre_passages(
            self.vectors, passage_docs, Counter(self.docs.tolist())
        )
        if not known.all():
            self.centred[~known] = 0.0
        self.segments = Segments.build(self.passage_units, n)
        self.unit_passages = (
            np.split(self.segments.order, np.cumsum(self.segments.counts)[:-1]) if n else []
        )
        self.has_passages = self.segments.counts > 0
        self.mean = unit_mean_vectors(self.vectors, self.passage_units, n)
        self.head = unit_mean_vectors(
            self.vectors, self.passage_units, n, head_weights(self.passage_units)
        )
        self.centred_mean = unit_mean_vectors(self.centred, self.passage_units, n)
        texts: list[list[str]] = [[u.title] for u in self.units]
        for p, ui in zip(self.passages, self.passage_units, strict=True):
            texts[ui].append(p.text)
        self.terms = [Counter(key_terms("\n".join(t))) for t in texts]
        self.idf = idf_table(self.terms)
        self.weights = [term_weights(c, self.idf) for c in self.terms]
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for i, w in enumerate(self.weights):
            for t, v in w.items():
                self.postings.setdefault(t, []).append((i, v))
        self.group = self._duplicate_groups()

    # ------------------------------------------------------------ helpers

    def term_scores(self, weights: dict[str, float]) -> np.ndarray:
        out = np.zeros(len(self.units), np.float64)
        for t, v in weights.items():
            for i, w in self.postings.get(t, ()):
                out[i] += v * w
        return out

    def _duplicate_groups(self) -> np.ndarray:
        n = len(self.units)
        idx = np.flatnonzero(np.isin(self.kinds, DUPLICATE_KINDS) & self.has_passages)
        pairs = []
        if len(idx) > 1:
            sims = self.centred_mean[idx] @ self.centred_mean[idx].T
            for a, b in zip(*np.nonzero(np.triu(sims >= DUPLICATE_COSINE, k=1)), strict=True):
                i, j = int(idx[a]), int(idx[b])
                terms = term_cosine(self.weights[i], self.weights[j])
                if is_near_duplicate(self.units[i], self.units[j], float(sims[a, b]), terms):
                    pairs.append((i, j))
        return group_pairs(n, pairs)

    def members(self, i: int) -> list[int]:
        return [int(j) for j in np.flatnonzero(self.group == self.group[i])]

    def unit_query(self, i: int) -> _Query:
        rows = self.unit_passages[i]
        u = self.units[i]
        return _Query(
            vectors=self.vectors[rows],
            centred=self.centred[rows],
            texts=[self.passages[r].text for r in rows],
            terms=self.terms[i],
            weights=self.weights[i],
            unit=i,
            doc=u.doc,
            indicator=u.indicator,
        )

    def text_query(self, chunks: list[str], vectors: np.ndarray, text: str) -> _Query:
        vectors = l2_normalise(vectors)
        terms = Counter(key_terms(text))
        return _Query(
            vectors=vectors,
            centred=l2_normalise(vectors - self.corpus_mean),
            texts=chunks,
            terms=terms,
            weights=term_weights(terms, self.idf),
        )

    def scores(self, q: _Query, representation: str) -> np.ndarray:
        """Raw similarity of the query to every unit under `representation`."""
        n = len(self.units)
        if len(q.vectors) == 0 or n == 0:
            return np.full(n, -np.inf)

        def mean_of(vectors: np.ndarray, table: np.ndarray, weights=None) -> np.ndarray:
            if q.unit is not None:
                return table[q.unit]
            w = np.ones(len(vectors), np.float32) if weights is None else weights
            return l2_normalise((vectors * w[:, None]).sum(axis=0))

        if representation == "mean":
            return self.mean @ mean_of(q.vectors, self.mean)
        if representation == "head":
            w = np.ones(len(q.vectors), np.float32)
            w[0] = HEAD_WEIGHT
            return self.head @ mean_of(q.vectors, self.head, w)
        if representation in ("maxsim", "chamfer"):
            sims = q.vectors @ self.vectors.T
            return passage_match_scores(sims, self.segments, n, representation)
        if representation == "centered":
            return self.centred_mean @ mean_of(q.centred, self.centred_mean)
        if representation == "terms":
            return self.term_scores(q.weights)
        if representation == "hybrid":
            return self.centred_mean @ mean_of(q.centred, self.centred_mean), self.term_scores(
                q.weights
            )
        raise ValueError(f"未知的表示方式 {representation}，可选：{'、'.join(REPRESENTATIONS)}")

    def ranking_scores(self, q: _Query, representation: str, mask: np.ndarray) -> np.ndarray:
        """Scores standardised over the candidates in `mask` (z-scores)."""
        raw = self.scores(q, representation)
        if isinstance(raw, tuple):  # hybrid: standardise each part, then blend
            dense, terms = raw
            w = HYBRID_DENSE_WEIGHT
            return w * standardise(dense, mask) + (1 - w) * standardise(terms, mask)
        raw = np.where(np.isfinite(raw), raw, 0.0)
        return standardise(raw, mask)


# ================================================================ the finder


class SimilarFinder:
    """Similar cases / measures for a unit of the index, or for a pasted description.

    Follows the searcher's live index: derived data is built once per index version.
    """

    def __init__(
        self,
        searcher: Searcher,
        representation: str = DEFAULT_REPRESENTATION,
        same_doc_penalty: float = SAME_DOC_PENALTY,
        indicator_bonus: float = INDICATOR_BONUS,
    ) -> None:
        if representation not in REPRESENTATIONS:
            raise ValueError(f"未知的表示方式 {representation}，可选：{'、'.join(REPRESENTATIONS)}")
        self.searcher = searcher
        self.representation = representation
        self.same_doc_penalty = same_doc_penalty
        self.indicator_bonus = indicator_bonus

    # ------------------------------------------------------------ state

    def state(self) -> _State:
        """Derived data for the live index version (built once per version, shared)."""
        return self.searcher.index.current.derived(_State)

    # ------------------------------------------------------------ public API

    def duplicates_of(self, unit_id: str) -> tuple[tuple[str, str], ...]:
        """Other copies of the same case in the index, as (doc, unit_id)."""
        st = self.state()
        i = self._index(st, unit_id)
        return tuple((st.units[j].doc, st.units[j].id) for j in st.members(i) if j != i)

    def similar_to_unit(
        self, unit_id: str, k: int = 5, representation: str | None = None
    ) -> list[SimilarItem]:
        """The `k` units of the same kind most like `unit_id` (never itself or its copies)."""
        st = self.state()
        i = self._index(st, unit_id)
        return self._rank(
            st, st.unit_query(i), st.units[i].kind, k, set(st.members(i)), representation
        )

    def similar_to_text(
        self, text: str, k: int = 5, kind: str | None = "case", representation: str | None = None
    ) -> list[SimilarItem]:
        """The `k` units (of `kind`; None or "" for any) most like a pasted description."""
        if not (text or "").strip():
            raise QueryError("请输入要比对的改革做法描述。")
        text = text.strip()[:MAX_TEXT_CHARS]
        st = self.state()
        chunks = split_text(text)
        vectors = np.asarray(self.searcher.encoder.encode_queries(chunks), dtype=np.float32)
        q = st.text_query(chunks, vectors, text)
        return self._rank(st, q, kind or None, k, set(), representation)

    # ------------------------------------------------------------ internals

    @staticmethod
    def _index(st: _State, unit_id: str) -> int:
        try:
            return st.pos[unit_id]
        except KeyError:
            raise KeyError(f"索引中没有编号为 {unit_id} 的条目，请刷新后重试。") from None

    def _rank(
        self,
        st: _State,
        q: _Query,
        kind: str | None,
        k: int,
        exclude: set[int],
        representation: str | None,
    ) -> list[SimilarItem]:
        if k <= 0 or not st.units:
            return []
        ok = st.has_passages.copy()
        if kind:
            ok &= st.kinds == kind
        if exclude:
            ok[list(exclude)] = False
        if not ok.any():
            return []
        scores = st.ranking_scores(q, representation or self.representation, ok)
        if q.doc:
            scores[st.docs == q.doc] -= self.same_doc_penalty
        key = indicator_key(q.indicator)
        if key:
            same = np.array([same_indicator(key, other) for other in st.indicators])
            scores[same] += self.indicator_bonus
        best: dict[int, int] = {}  # duplicate group → its best-ranked member
        for j in np.argsort(-np.where(ok, scores, -np.inf), kind="stable"):
            if not ok[j]:
                break
            best.setdefault(int(st.group[j]), int(j))
            if len(best) >= k:
                break
        return [self._item(st, q, j, float(scores[j])) for j in best.values()]

    def _item(self, st: _State, q: _Query, j: int, score: float) -> SimilarItem:
        unit = st.units[j]
        rows = st.unit_passages[j]
        pair, pair_score, passage_id = ("", ""), 0.0, ""
        if len(rows) and len(q.vectors):
            sims = q.vectors @ st.vectors[rows].T
            a, b = np.unravel_index(int(np.argmax(sims)), sims.shape)
            passage = st.passages[rows[b]]
            pair, passage_id = (q.texts[a], passage.text), passage.id
            pair_score = float(sims[a, b])
        terms = shared_terms(q.terms, st.terms[j], st.idf)
        same = same_indicator(q.indicator, unit.indicator)
        indicator = indicator_key(unit.indicator) if same else unit.indicator
        dups = tuple((st.units[m].doc, st.units[m].id) for m in st.members(j) if m != j)
        sources = list(dict.fromkeys(st.snapshot.doc_title(d) for d, _ in dups))
        return SimilarItem(
            unit=unit,
            doc_title=st.snapshot.doc_title(unit.doc),
            score=score,
            shared_terms=terms,
            same_indicator=same,
            indicator=indicator,
            passage_pair=pair,
            pair_score=pair_score,
            passage_id=passage_id,
            duplicates=dups,
            reason=make_reason(indicator, same, terms, pair_score, sources),
        )
