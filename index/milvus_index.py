"""The Milvus store wired to an index folder: which Milvus, which collection, and the sync.

With `store = "milvus"` the index folder stays the catalogue — documents, units, passages,
source texts, vectors and BM25 statistics in a version folder as with the local store, read by
answers, similar cases and the page — while Milvus holds the passages that are *searched*
(dense vectors, BM25 on its jieba analyzer, every filter as a scalar field). The searcher asks
Milvus for passage ids and reads the hits from the catalogue, so the `search --json` contract is
the same on both stores.

Order of a build: Milvus is brought to the new catalogue first (per document, diffed against
`MilvusStore.documents()`: changed or missing documents upserted, removed ones deleted), then
the catalogue version is committed. A `kill -9` in between leaves the old catalogue live;
search only returns passages the live catalogue lists, and the re-run finds what Milvus
already has complete and writes only the rest — nothing lost, nothing duplicated.

The store and its address are recorded in the catalogue's manifest (never the token), so
`search`, `ask`, `serve`, `eval` and `similar` find them without flags.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.config import Config
from index.embedding import ModelInfo
from index.milvus_store import MilvusStore, StoredDocument, is_lite_uri
from index.store import DocRecord, IndexData, IndexMismatch, read_manifest

STORES = ("local", "milvus")
LITE_FILE = "milvus.db"  # default Milvus Lite data, inside the index folder


@dataclass(frozen=True)
class MilvusSync:
    """What a build changed in Milvus."""

    written: tuple[str, ...]  # documents (re)written
    deleted: tuple[str, ...]  # documents removed
    recreated: bool  # the collections were dropped first (rebuild, other model or settings)


def milvus_uri(config: Config) -> str:
    """The configured URI; by default Milvus Lite in the index folder. A Lite path is made
    absolute so the recorded address does not depend on the working folder."""
    uri = config.milvus_uri or str(Path(config.index_dir) / LITE_FILE)
    return str(Path(uri).expanduser().resolve()) if is_lite_uri(uri) else uri


def milvus_collection(config: Config) -> str:
    """The index's name in Milvus: the configured one, else the index folder's name."""
    return config.milvus_collection or Path(config.index_dir).resolve().name


def store_record(config: Config) -> dict:
    """What the manifest records about the store (never the token)."""
    if config.store == "local":
        return {"kind": "local"}
    return {"kind": "milvus", "uri": milvus_uri(config), "collection": milvus_collection(config)}


def check_store(config: Config) -> None:
    if config.store not in STORES:
        raise ValueError(f"未知的存储 {config.store}，可选：{'、'.join(STORES)}")


def with_recorded_store(config: Config, store_given: bool, uri_given: bool) -> Config:
    """The config with the store the index was built with, unless a flag or env var chose.

    `store_given`/`uri_given`: --store / --milvus-uri (or their env vars) were set.
    """
    check_store(config)
    recorded = (read_manifest(Path(config.index_dir)) or {}).get("store") or {}
    if store_given or recorded.get("kind") != "milvus":
        return config
    return config.with_overrides(
        store="milvus",
        milvus_uri=config.milvus_uri if uri_given else recorded.get("uri", ""),
        milvus_collection=config.milvus_collection or recorded.get("collection", ""),
    )


def open_milvus(config: Config) -> MilvusStore:
    return MilvusStore(milvus_uri(config), milvus_collection(config), token=config.milvus_token)


# ---------------------------------------------------------------- build


def sync_milvus(
    config: Config,
    data: IndexData,
    settings: dict,
    embed_inputs: Callable[[DocRecord, list], list[str]],
    full: bool = False,
    on_document: Callable[[int, int], None] | None = None,
) -> MilvusSync:
    """Make Milvus hold exactly the passages of `data` (the catalogue about to be written).

    `embed_inputs(record, passages)` gives the BM25 texts (the embedding inputs). Documents
    Milvus lists complete with the same record are left alone, so a re-run after an
    interruption writes only what is missing.
    """
    store = open_milvus(config)
    try:
        recreated = full or _incompatible(store, data.model, settings)
        if recreated:
            store.drop()
        store.create(data.model, settings, expected_passages=len(data.passages))
        stored = store.documents()
        wanted = {d.doc: d for d in data.documents}
        deleted = tuple(doc for doc in stored if doc not in wanted)
        for doc in deleted:
            store.delete_document(doc)
        todo = [d for d in data.documents if not _same(stored.get(d.doc), d)]
        positions = _unit_positions_by_doc(data)
        for n, record in enumerate(todo):
            rows = data.passages.positions_of_units(positions.get(record.doc, []))
            passages = [data.passages[int(i)] for i in rows]
            units = [data.units[i] for i in positions.get(record.doc, [])]
            store.upsert_document(
                record, units, passages, data.dense.rows(rows), embed_inputs(record, passages)
            )
            if on_document:
                on_document(n + 1, len(todo))
        if todo or deleted:
            store.flush()  # Milvus Lite scores unflushed rows by brute force
        return MilvusSync(tuple(d.doc for d in todo), deleted, recreated)
    finally:
        store.close()


def _incompatible(store: MilvusStore, model: ModelInfo, settings: dict) -> bool:
    """Collections made for another model or chunking: they must be rebuilt."""
    if not store.exists():
        return False
    meta = store.meta()
    try:
        store.check_model(model)
    except IndexMismatch:
        return True
    return meta.get("settings") not in (None, settings)


def _same(stored: StoredDocument | None, record: DocRecord) -> bool:
    """Is the document in Milvus complete and written from this record (time added aside)?"""
    if stored is None:
        return False
    return dataclasses.replace(stored.record, added="") == dataclasses.replace(record, added="")


def _unit_positions_by_doc(data: IndexData) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, unit in enumerate(data.units):
        out.setdefault(unit.doc, []).append(i)
    return out
