"""Passages in Milvus: dense + BM25 (jieba) search with scalar filters, per document updates.

A preview of the Milvus index store (not yet wired into the CLI). The same client code
reaches Milvus Lite (a local path ending in `.db`, or the embedded server that
`milvus-lite server` starts) and a Milvus server or cluster (`http://host:19530`).

One index is two collections:

* `<name>` holds one row per passage: the passage and its unit's filter fields as scalars
  (so every filter of the search page runs inside Milvus), the unit itself as JSON (so a
  hit is complete without another store), the text given to BM25 with Milvus's BM25
  function over a jieba analyzer into a sparse field, and the dense vector.
* `<name>__docs` holds one row per document with its content hash and record, plus one
  meta row (model and settings). A document's row is written *after* its passages and
  deleted *before* them, so a document listed here is complete: an interrupted update
  (server stopped, `kill -9`) leaves the document unlisted, and the next run deletes its
  leftovers by document and inserts it again, without duplicates (passage ids are primary
  keys and writes are upserts).

What stays outside Milvus: the documents' source texts (for the viewer) and the
embedding cache, both on the file system.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from index import facets
from index.dense import HNSW_M
from index.embedding import ModelInfo
from index.lexical import STOPWORDS, domain_terms
from index.store import DocRecord, IndexError_, doc_from_json, unit_from_json
from index.types import Hit, Passage, Unit

META_KEY = "__meta__"  # the docs collection's row for model and settings
DOCS_SUFFIX = "__docs"
LEAD_SEPARATOR = "｜"  # joins lead units, years into one string that `like` can search
BATCH_ROWS = 500  # rows per insert request: well under the servers' message limits
MAX_VARCHAR = 65_535
# Search breadth of each segment's HNSW graph (raised to the candidates fetched). At 100 000
# random 384-d vectors — the hardest case for HNSW — recall@10 against exact search was 0.42
# at 128, 0.86 at 512, 0.91–0.97 at 1024, 1.00 at 2048 in trials, while the graph search took
# < 1 ms of the ~65 ms a Milvus Lite search costs (README, "Milvus 存储"): breadth is cheap.
HNSW_EF = 2048
HNSW_EF_CONSTRUCTION = 200  # graphs are built by faiss in C++, off the query path
BM25_K1, BM25_B = 1.5, 0.75  # bm25s's defaults, so scores match the local index

# Milvus Lite gives no MVCC timestamp to query iterators; pymilvus warns on every listing
# and falls back to the client's clock, which is right for a store written by one client.
# (Set after pymilvus is imported: its logging set-up resets the level.)
_ITERATOR_LOGGER = "pymilvus.client.iterator.query_iterator"

# Punctuation is kept as tokens by Milvus's jieba tokenizer; the local tokenizer drops it.
# `removepunct` does that on a Milvus server; Milvus Lite ignores filters it does not know
# but honours stop words, so the common marks are listed as stop words too.
_PUNCTUATION = tuple("，。、；：？！“”‘’（）《》【】—…·「」『』,.;:?!\"'()[]<>-/%")
ANALYZER = {
    "tokenizer": {
        "type": "jieba",
        "dict": ["_default_", *domain_terms()],
        "mode": "search",
        "hmm": True,
    },
    "filter": [
        "lowercase",
        "removepunct",
        {"type": "stop", "stop_words": sorted(STOPWORDS | set(_PUNCTUATION))},
    ],
}

# Output fields that rebuild a Hit (passage, unit, document title).
_HIT_FIELDS = [
    "pid",
    "doc",
    "doc_title",
    "unit_id",
    "section",
    "text",
    "start",
    "end",
    "line_start",
    "line_end",
    "unit",
]


class MilvusStoreError(IndexError_):
    """A Milvus operation failed; the message is for people (Chinese)."""


class MilvusUnavailable(MilvusStoreError):
    """The Milvus server cannot be reached (not started, stopped, wrong address)."""


class FilterFields(Protocol):
    """The unit filters of the search layer (search.searcher.Filters has these fields)."""

    kind: str
    region: str
    indicator: str
    year: str
    lead_unit: str
    doc: str
    doc_type: str


@dataclass(frozen=True)
class StoredDocument:
    """A document as the store lists it, for incremental builds to diff against."""

    doc: str
    content_hash: str
    sha256: str
    passages: int
    record: DocRecord


def collection_name(index_name: str) -> str:
    """A valid Milvus collection name for an index name (letters, digits, underscores)."""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch == "_") else "_" for ch in index_name)
    return f"ys_{safe or 'index'}"[:200]


def is_lite_uri(uri: str) -> bool:
    """A local path (Milvus Lite in this process) rather than a server address."""
    return "://" not in uri and not uri.startswith("unix:")


# ---------------------------------------------------------------- filters


def _quote(value: str) -> str:
    """A Milvus string literal. `%` and `_` stay wildcards inside `like` (Milvus Lite has no
    escape for them); in filter values they only widen the match."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _contains(field: str, value: str) -> str:
    return f"{field} like {_quote('%' + value + '%')}"


def _joined(values: Sequence[str]) -> str:
    """Values in one string that `like` can search, each between separators: "｜a｜b｜"."""
    return LEAD_SEPARATOR + LEAD_SEPARATOR.join(values) + LEAD_SEPARATOR if values else ""


def filter_expression(filters: FilterFields | None) -> str:
    """The Milvus boolean expression for the unit filters ("" when none is set).

    The same rules as `search.searcher.Filters.matches` (index.facets): the fields it
    derives (effective region, canonical indicator, expanded lead units, years) are stored
    with each passage, so each rule is a comparison or a substring match here.
    """
    if filters is None:
        return ""
    parts = []
    if filters.kind:
        parts.append(f"kind == {_quote(filters.kind)}")
    region = "".join(filters.region.split())
    if region:
        parts.append(_contains("eff_region", region))
    if filters.indicator and (names := facets.indicator_names(filters.indicator)):
        spelled = [f"{_contains(f, n)}" for n in names for f in ("indicator", "direction")]
        parts.append(f"(indicator_canon == {_quote(names[0])} or {' or '.join(spelled)})")
    if filters.year:
        parts.append(_contains("years", _joined([filters.year.strip()])))
    if filters.lead_unit.strip():
        parts.append(_contains("lead_canon", facets.canonical_lead_unit(filters.lead_unit)))
    if filters.doc:
        parts.append(f"(doc == {_quote(filters.doc)} or {_contains('doc_title', filters.doc)})")
    if filters.doc_type:
        parts.append(f"doc_type == {_quote(filters.doc_type)}")
    return " and ".join(parts)


# ---------------------------------------------------------------- errors


def _describe(exc: Exception) -> str:
    message = getattr(exc, "message", "") or str(exc)
    return message.strip().splitlines()[0][:300] if message.strip() else type(exc).__name__


def _is_unreachable(exc: Exception) -> bool:
    import grpc
    from pymilvus.exceptions import MilvusException

    if isinstance(exc, grpc.RpcError):
        code = exc.code() if callable(getattr(exc, "code", None)) else None
        return code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
    if isinstance(exc, MilvusException):
        text = _describe(exc).lower()
        return exc.code == 2 or any(
            s in text for s in ("unavailable", "connect", "deadline", "retry timeout", "closed")
        )
    return False


# ---------------------------------------------------------------- store


class MilvusStore:
    """One index in Milvus: passages with vectors, BM25 and filter fields; documents listed.

    `uri`: a local path ending in `.db` (Milvus Lite, one process only) or a server address
    such as `http://127.0.0.1:19530` (Milvus, or `milvus-lite server` for several processes).
    """

    def __init__(
        self,
        uri: str,
        index_name: str,
        token: str = "",
        timeout: float = 20.0,
    ) -> None:
        self.uri = uri
        self.name = collection_name(index_name)
        self.docs_name = self.name + DOCS_SUFFIX
        self.timeout = timeout
        self._loaded = False
        if is_lite_uri(uri) and not uri.endswith(".db"):
            raise MilvusStoreError(
                f"Milvus Lite 的数据路径必须以 .db 结尾（现为 {uri}），例如 data/milvus.db；"
                "连接 Milvus 服务器请写成 http://主机:19530。"
            )
        from pymilvus import MilvusClient

        logging.getLogger(_ITERATOR_LOGGER).setLevel(logging.ERROR)
        with self._call("连接"):
            self.client = MilvusClient(uri=uri, token=token or "", timeout=timeout)

    # ------------------------------------------------------------ errors

    @contextmanager
    def _call(self, action: str) -> Iterator[None]:
        """Turn pymilvus and gRPC failures into errors with a Chinese message."""
        from pymilvus.exceptions import ConnectionConfigException

        try:
            yield
        except MilvusStoreError:
            raise
        except ConnectionConfigException as exc:
            if is_lite_uri(self.uri):
                raise MilvusUnavailable(
                    f"无法打开 Milvus Lite 数据 {self.uri}：它可能正被另一个进程使用"
                    "（Milvus Lite 的数据文件只能由一个进程打开）。多个进程共用时，请先运行 "
                    f"`milvus-lite server --data-dir {self.uri} --port 19530`，"
                    "再用 http://127.0.0.1:19530 连接。"
                ) from exc
            raise MilvusUnavailable(f"Milvus 地址 {self.uri} 无效：{_describe(exc)}") from exc
        except Exception as exc:
            if _is_unreachable(exc):
                raise MilvusUnavailable(
                    f"无法连接 Milvus（{self.uri}），{action}未完成：服务器未启动、已停止或地址有误。"
                    "请确认 Milvus 正在运行后重试；重新运行会接着完成，不会产生重复。"
                ) from exc
            if type(exc).__module__.split(".")[0] in ("pymilvus", "grpc", "milvus_lite"):
                raise MilvusStoreError(f"Milvus {action}失败：{_describe(exc)}") from exc
            raise

    # ------------------------------------------------------------ collections

    def exists(self) -> bool:
        with self._call("查询集合"):
            return bool(self.client.has_collection(self.name, timeout=self.timeout))

    def create(
        self,
        model: ModelInfo,
        settings: dict | None = None,
        expected_passages: int = 0,
    ) -> None:
        """Create both collections if missing; refuse an existing one of another model."""
        if self.exists():
            self.check_model(model)
            return
        with self._call("创建集合"):
            self._create_passages(model.dim, expected_passages)
            self._create_docs()
        meta = {"model": dataclasses.asdict(model), "settings": settings or {}}
        self._put_doc_row(META_KEY, "", "", 0, meta)

    def _create_passages(self, dim: int, expected_passages: int) -> None:
        from pymilvus import DataType, Function, FunctionType

        schema = self.client.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("pid", DataType.VARCHAR, is_primary=True, max_length=1024)
        for name in (
            "doc",
            "doc_title",
            "doc_type",
            "unit_id",
            "eff_region",
            "indicator",
            "indicator_canon",
            "direction",
            "years",
            "lead_canon",
            "section",
            "text",
        ):
            schema.add_field(name, DataType.VARCHAR, max_length=MAX_VARCHAR)
        schema.add_field("kind", DataType.VARCHAR, max_length=32)
        for name in ("start", "end", "line_start", "line_end"):
            schema.add_field(name, DataType.INT64)
        schema.add_field("unit", DataType.JSON)
        schema.add_field(
            "bm25_text",
            DataType.VARCHAR,
            max_length=MAX_VARCHAR,
            enable_analyzer=True,
            analyzer_params=ANALYZER,
        )
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
        schema.add_function(
            Function(
                name="bm25",
                function_type=FunctionType.BM25,
                input_field_names=["bm25_text"],
                output_field_names=["sparse"],
            )
        )
        index = self.client.prepare_index_params()
        index.add_index("dense", **dense_index_params(expected_passages))
        index.add_index(
            "sparse",
            index_type="SPARSE_INVERTED_INDEX",
            metric_type="BM25",
            params={"bm25_k1": BM25_K1, "bm25_b": BM25_B},
        )
        for name in ("doc", "kind"):  # exact-match filters and delete-by-document
            index.add_index(name, index_type="INVERTED")
        self.client.create_collection(
            self.name,
            schema=schema,
            index_params=index,
            consistency_level="Strong",
            timeout=self.timeout,
        )

    def _create_docs(self) -> None:
        from pymilvus import DataType

        schema = self.client.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("doc", DataType.VARCHAR, is_primary=True, max_length=MAX_VARCHAR)
        schema.add_field("content_hash", DataType.VARCHAR, max_length=128)
        schema.add_field("sha256", DataType.VARCHAR, max_length=128)
        schema.add_field("passages", DataType.INT64)
        schema.add_field("record", DataType.JSON)
        # Milvus requires a vector field in every collection; this one is never searched.
        schema.add_field("placeholder", DataType.FLOAT_VECTOR, dim=2)
        index = self.client.prepare_index_params()
        index.add_index("placeholder", index_type="FLAT", metric_type="L2")
        self.client.create_collection(
            self.docs_name,
            schema=schema,
            index_params=index,
            consistency_level="Strong",
            timeout=self.timeout,
        )

    def _load(self) -> None:
        """Load both collections for reading, once per store: a restarted server (or a
        cluster that released them) serves no search or query until they are loaded."""
        if self._loaded:
            return
        for name in (self.name, self.docs_name):
            self.client.load_collection(name, timeout=self.timeout)
        self._loaded = True

    def reload(self) -> None:
        """Release and load the passages, as a process opening the store does: Milvus Lite
        attaches every sealed segment's index while loading, where after a flush it builds
        them in the background and brute-forces the unindexed segments meanwhile."""
        with self._call("加载集合"):
            self._wait_for_index()
            self.client.release_collection(self.name, timeout=self.timeout)
            self._loaded = False
            self._load()

    def _wait_for_index(self, pause: float = 0.1) -> None:
        """Until Milvus has indexed every flushed passage in every index (dense, BM25 sparse,
        the filters' inverted ones; at most `timeout`): a load while a segment's index is
        still being written can read it half-written (Milvus Lite: "Not an Arrow file", then
        "File is too small: 8" in CI on the reload right after a flush, the second time with
        the dense index finished)."""
        deadline = time.monotonic() + self.timeout
        names = self.client.list_indexes(self.name, timeout=self.timeout)
        while time.monotonic() < deadline:
            infos = [self.client.describe_index(self.name, n, timeout=self.timeout) for n in names]
            if all(_index_finished(info) for info in infos):
                return
            time.sleep(pause)

    def drop(self) -> None:
        """Remove both collections (a full rebuild starts from nothing)."""
        with self._call("删除集合"):
            for name in (self.name, self.docs_name):
                if self.client.has_collection(name, timeout=self.timeout):
                    self.client.drop_collection(name, timeout=self.timeout)
        self._loaded = False

    def close(self) -> None:
        self.client.close()

    # ------------------------------------------------------------ documents

    def meta(self) -> dict:
        """Model and settings recorded when the collections were created ({} if none)."""
        with self._call("读取索引信息"):
            self._load()
            rows = self.client.get(
                self.docs_name, ids=[META_KEY], output_fields=["record"], timeout=self.timeout
            )
        return dict(rows[0]["record"]) if rows else {}

    def check_model(self, model: ModelInfo) -> None:
        from index.store import check_model

        stored = self.meta().get("model")
        if stored:
            check_model(ModelInfo(**stored), model)

    def documents(self) -> dict[str, StoredDocument]:
        """Every complete document with its content hash (the meta row left out)."""
        fields = ["doc", "content_hash", "sha256", "passages", "record"]
        out: dict[str, StoredDocument] = {}
        with self._call("读取文档列表"):
            self._load()
            iterator = self.client.query_iterator(
                self.docs_name,
                batch_size=1000,
                filter=f"doc != {_quote(META_KEY)}",
                output_fields=fields,
                timeout=self.timeout,
            )
            try:
                while batch := iterator.next():
                    for row in batch:
                        out[row["doc"]] = StoredDocument(
                            doc=row["doc"],
                            content_hash=row["content_hash"],
                            sha256=row["sha256"],
                            passages=int(row["passages"]),
                            record=doc_from_json(row["record"]),
                        )
            finally:
                iterator.close()
        return out

    def _put_doc_row(
        self, doc: str, content_hash: str, sha256: str, passages: int, record: dict
    ) -> None:
        row = {
            "doc": doc,
            "content_hash": content_hash,
            "sha256": sha256,
            "passages": passages,
            "record": record,
            "placeholder": [0.0, 0.0],
        }
        with self._call("写入文档信息"):
            self.client.upsert(self.docs_name, [row], timeout=self.timeout)

    def delete_document(self, doc: str) -> None:
        """Remove a document: its listing first, then its passages (see the module doc)."""
        with self._call(f"删除文档《{doc}》"):
            self.client.delete(self.docs_name, ids=[doc], timeout=self.timeout)
            self.client.delete(self.name, filter=f"doc == {_quote(doc)}", timeout=self.timeout)

    def upsert_document(
        self,
        record: DocRecord,
        units: Sequence[Unit],
        passages: Sequence[Passage],
        vectors: np.ndarray,
        bm25_texts: Sequence[str],
    ) -> int:
        """Replace a document's passages (vectors and BM25 texts aligned with `passages`).

        Returns the number of passages written. Safe to repeat after an interruption.
        """
        if not (len(passages) == len(vectors) == len(bm25_texts)):
            raise ValueError("passages, vectors and bm25_texts must have the same length")
        self.delete_document(record.doc)
        by_id = {u.id: u for u in units}
        rows = [
            _passage_row(record, by_id[p.unit_id], p, v, t)
            for p, v, t in zip(passages, np.asarray(vectors, np.float32), bm25_texts, strict=True)
        ]
        with self._call(f"写入文档《{record.doc}》"):
            for start in range(0, len(rows), BATCH_ROWS):
                self.client.upsert(
                    self.name, rows[start : start + BATCH_ROWS], timeout=self.timeout
                )
        self._put_doc_row(
            record.doc,
            record.content_hash,
            record.sha256,
            len(rows),
            dataclasses.asdict(record),
        )
        return len(rows)

    def flush(self) -> None:
        """Seal what was written into indexed segments; call once at the end of a build.

        Milvus Lite scores rows not yet flushed by brute force: at 2 000 fresh passages a BM25
        query took ~300 ms, after `flush` ~5 ms (bench/milvus_bench.py). A server seals
        segments by itself but flushing after a bulk load does no harm there either.
        """
        with self._call("落盘"):
            for name in (self.name, self.docs_name):
                self.client.flush(name, timeout=self.timeout)

    def count(self) -> int:
        """Passages stored (counted exactly, so deletes show at once)."""
        with self._call("统计段落"):
            self._load()
            rows = self.client.query(
                self.name, filter="", output_fields=["count(*)"], timeout=self.timeout
            )
        return int(rows[0]["count(*)"]) if rows else 0

    # ------------------------------------------------------------ search

    def _search(self, data: object, field: str, k: int, filters, fields: list[str]) -> list:
        """One search request on the dense or the sparse (BM25) field; Milvus's raw hits."""
        if field == "dense":
            data = _floats(data)  # type: ignore[arg-type]
            params = {"metric_type": "IP", "params": {"ef": max(HNSW_EF, k)}}
        else:
            params = {"metric_type": "BM25"}
        with self._call("向量检索" if field == "dense" else "关键词检索"):
            self._load()
            result = self.client.search(
                self.name,
                data=[data],
                anns_field=field,
                limit=k,
                filter=filter_expression(filters),
                search_params=params,
                output_fields=fields,
                timeout=self.timeout,
            )
        return list(result[0])

    def dense_search(
        self, vector: np.ndarray, k: int, filters: FilterFields | None = None
    ) -> list[Hit]:
        """Top-k passages by cosine (inner product of normalised vectors), best first."""
        return _hits(self._search(vector, "dense", k, filters, _HIT_FIELDS), "dense")

    def bm25_search(self, query: str, k: int, filters: FilterFields | None = None) -> list[Hit]:
        """Top-k passages by BM25 over the jieba analyzer, best first."""
        return _hits(self._search(query, "sparse", k, filters, _HIT_FIELDS), "bm25")

    def dense_ids(
        self, vector: np.ndarray, k: int, filters: FilterFields | None = None
    ) -> list[tuple[str, float]]:
        """(passage id, cosine) of the top k, best first: no other field is fetched, which
        is what makes a search fast on Milvus Lite (see README, "Milvus 存储")."""
        return _scored_ids(self._search(vector, "dense", k, filters, ["pid"]), "dense")

    def bm25_ids(
        self, query: str, k: int, filters: FilterFields | None = None
    ) -> list[tuple[str, float]]:
        """(passage id, BM25 score) of the top k, best first; ids only."""
        return _scored_ids(self._search(query, "sparse", k, filters, ["pid"]), "bm25")

    def any_match(self, filters: FilterFields | None) -> bool:
        """Does any passage pass the filters? (Tells "nothing matches" from "no hits".)"""
        expr = filter_expression(filters)
        with self._call("筛选"):
            self._load()
            rows = self.client.query(
                self.name,
                filter=expr or 'pid != ""',
                output_fields=["pid"],
                limit=1,
                timeout=self.timeout,
            )
        return bool(rows)

    def hybrid_search(
        self,
        query: str,
        vector: np.ndarray,
        k: int,
        candidates: int = 100,
        filters: FilterFields | None = None,
        rrf_k: int = 60,
    ) -> list[Hit]:
        """Dense and BM25 candidates fused by Milvus's RRF ranker (k = `rrf_k`), best first."""
        from pymilvus import AnnSearchRequest, RRFRanker

        expr = filter_expression(filters)
        requests = [
            AnnSearchRequest(
                data=[_floats(vector)],
                anns_field="dense",
                param={"metric_type": "IP", "params": {"ef": max(HNSW_EF, candidates)}},
                limit=candidates,
                expr=expr or None,
            ),
            AnnSearchRequest(
                data=[query],
                anns_field="sparse",
                param={"metric_type": "BM25"},
                limit=candidates,
                expr=expr or None,
            ),
        ]
        with self._call("混合检索"):
            self._load()
            result = self.client.hybrid_search(
                self.name,
                requests,
                RRFRanker(rrf_k),
                limit=k,
                output_fields=_HIT_FIELDS,
                timeout=self.timeout,
            )
        return _hits(result[0], "hybrid")


def dense_index_params(expected_passages: int = 0) -> dict:
    """HNSW at every size (`expected_passages` is kept for callers; it no longer decides).

    Exact `FLAT` costs Milvus Lite a Python-side distance pass over every row (228 ms at
    100 000 passages against 66 ms with HNSW, in process); with `HNSW_EF` the top 10 match
    exact search (recall@10 1.00 on random vectors at 100 000 in a trial; a graph searched with a
    breadth above its size, as for the seed corpus, returns the exact neighbours). A server
    builds the same index, and a collection that grows by `add` needs no re-creation.
    """
    del expected_passages
    return {
        "index_type": "HNSW",
        "metric_type": "IP",
        "params": {"M": HNSW_M, "efConstruction": HNSW_EF_CONSTRUCTION},
    }


# ---------------------------------------------------------------- rows


def _floats(vector: np.ndarray) -> list[float]:
    return np.asarray(vector, dtype=np.float32).reshape(-1).tolist()


def _passage_row(
    record: DocRecord, unit: Unit, passage: Passage, vector: np.ndarray, bm25_text: str
) -> dict:
    return {
        "pid": passage.id,
        "doc": passage.doc,
        "doc_title": record.title,
        "unit_id": unit.id,
        "doc_type": record.doc_type,
        "kind": unit.kind,
        # What Filters.matches derives from the unit and its document (index.facets).
        "eff_region": facets.effective_region(unit, record),
        "indicator": unit.indicator,
        "indicator_canon": facets.canonical_indicator(unit.indicator) if unit.indicator else "",
        "direction": unit.direction,
        "years": _joined(facets.unit_years(unit, record)),
        "lead_canon": _joined(facets.expand_lead_units(unit.lead_units)),
        "section": passage.section,
        "text": passage.text,
        "start": passage.start,
        "end": passage.end,
        "line_start": passage.line_start,
        "line_end": passage.line_end,
        "unit": dataclasses.asdict(unit),
        "bm25_text": bm25_text,
        "dense": _floats(vector),
    }


def _score(row: dict, retriever: str) -> float:
    # Milvus Lite reports BM25 as a negated distance; the score is its size either way.
    return abs(float(row["distance"])) if retriever == "bm25" else float(row["distance"])


def _scored_ids(rows: Sequence[dict], retriever: str) -> list[tuple[str, float]]:
    out = []
    for row in rows:
        score = _score(row, retriever)
        if math.isfinite(score):
            out.append((str(row.get("pid", row.get("id"))), score))
    return out


def _hits(rows: Sequence[dict], retriever: str) -> list[Hit]:
    hits: list[Hit] = []
    for row in rows:
        entity = row["entity"]
        passage = Passage(
            id=entity.get("pid", row.get("pid", row.get("id"))),
            doc=entity["doc"],
            unit_id=entity["unit_id"],
            section=entity["section"],
            text=entity["text"],
            start=int(entity["start"]),
            end=int(entity["end"]),
            line_start=int(entity["line_start"]),
            line_end=int(entity["line_end"]),
        )
        unit = unit_from_json(entity["unit"])
        score = _score(row, retriever)
        if not math.isfinite(score):
            continue
        rank = len(hits) + 1
        hit = Hit(passage, unit, entity["doc_title"], score, rank, extra={"retriever": retriever})
        hits.append(hit)
    return hits


def _index_finished(info: dict) -> bool:
    """Whether `describe_index` reports every row indexed (no pending rows, as many indexed
    rows as rows, and a finished state where the server reports one)."""
    pending = info.get("pending_index_rows") or 0
    behind = info.get("indexed_rows", 0) < info.get("total_rows", 0)
    return not pending and not behind and info.get("state", "Finished") == "Finished"
