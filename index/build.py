"""Build and update the index from a corpus folder, incrementally.

`sync_index` makes the index match the corpus folder: documents whose bytes did not change
keep their units, passages, vectors and tokens; new or changed documents are read, parsed,
chunked and embedded (through the content-hash cache, so text seen before costs nothing);
documents no longer in the folder are removed. The result is written as a new version
(see `index.store`), under the writer lock.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.chunking import chunk_unit
from index.cleaning import LineIndex, clean_inline
from index.config import Config
from index.dense import DenseIndex
from index.embedding import Encoder, model_revision, resolve_backend, vector_family
from index.lexical import LexicalIndex, dictionary_hash, tokenize
from index.library import (
    CORPUS_MANIFEST,
    QUARANTINE_DIR,
    REMOVED_DIR,
    AddResult,
    add_to_library,
    load_corpus_manifest,
    quarantine,
    retire,
)
from index.metadata import META_FIELDS
from index.metadata import fingerprint as meta_fingerprint
from index.milvus_index import check_store, store_record, sync_milvus
from index.reading import ReadLimits, UnreadableDocument, content_hash, file_sha256
from index.sandbox import BoundedReader
from index.store import (
    DocRecord,
    IndexData,
    IndexMismatch,
    IndexMissing,
    load_index,
    read_manifest,
    write_version,
    writer_lock,
)
from index.structure import parse_document
from index.types import Passage, Unit, guess_doc_type

SUPPORTED = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")
__all__ = ["CORPUS_MANIFEST", "QUARANTINE_DIR", "REMOVED_DIR"]  # re-exported for callers

StageFn = Callable[[str, float], None]  # (message, fraction done 0..1)


@dataclass(frozen=True)
class DocumentReport:
    doc: str
    status: str  # added | updated | unchanged | duplicate | rejected | removed
    units: int = 0
    passages: int = 0
    message: str = ""


@dataclass(frozen=True)
class BuildReport:
    documents: tuple[DocumentReport, ...]
    embedded: int  # passages actually run through the model
    reused: int  # passages whose vectors came from the index or the cache
    seconds: float
    version: str
    counts: dict = field(default_factory=dict)
    embed_seconds: float = 0.0  # time spent in the model; the rest is bookkeeping

    def by_status(self, status: str) -> list[DocumentReport]:
        return [d for d in self.documents if d.status == status]


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Documents in the corpus folder (recursive), skipping hidden files and the manifest."""
    files = []
    for path in sorted(corpus_dir.rglob("*")):
        rel = path.relative_to(corpus_dir)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if path.name == CORPUS_MANIFEST or path.suffix.lower() not in SUPPORTED:
            continue
        files.append(path)
    return files


def is_stale(config: Config) -> bool:
    """Does the index miss, or differ from, the corpus folder (or the configured model)?"""
    manifest = read_manifest(config.index_dir)
    model = (manifest or {}).get("model", {})
    if manifest is None or model.get("name") != config.model:
        return True
    if model.get("revision", "") != model_revision(config.model):
        return True  # the model folder was tuned again: other weights, other vectors
    if vector_family(model.get("backend", "torch")) != vector_family(
        resolve_backend(config.backend)
    ):
        return True  # vectors of another embedding backend: re-embed (through the cache)
    if manifest.get("settings") != _settings(config):
        return True
    if manifest.get("store", {"kind": "local"}) != store_record(config):
        return True  # another store (or Milvus address): fill it from the catalogue
    if manifest.get("corpus_meta") != meta_fingerprint(config.corpus_dir):
        return True  # metadata edited: a cheap sync copies it, nothing is re-embedded
    current = {_rel(p, config.corpus_dir): file_sha256(p) for p in corpus_files(config.corpus_dir)}
    # Rejected and duplicate files are not indexed but were seen: they are not news.
    seen = {**manifest.get("corpus", {}), **manifest.get("skipped", {})}
    return current != seen


# The rules that turn an unchanged document into passages (reading, cleaning, structure,
# chunking). Bump it when a change to them alters the passages of existing documents, so an
# index built by older code is stale (`build --if-stale`, the README's run command) and is
# re-parsed; vectors of unchanged passages still come from the embedding cache.
# 2: a blank line that cuts a sentence is a continuation; titles are not glued to the text.
# 3: a collection's contents name its cases and give their printed page.
# 4: paragraph tags an extraction left in a plain-text document ("</p> <p>") are dropped.
# 5: a responsibility cell is kept as printed too (Unit.lead_text, Unit.coop_text).
# 6: such a paragraph tag (or <br>, <div>) between two pieces of text breaks the line there.
PASSAGE_RULES = 6


def _settings(config: Config) -> dict:
    """Settings that change passages or vectors: a change means rebuild."""
    return {
        "passage_rules": PASSAGE_RULES,
        "chunk_target": config.chunk_target,
        "chunk_max": config.chunk_max,
        "context_header": config.context_header,
        "lexical_dictionary": dictionary_hash(),  # other domain terms, other BM25 tokens
    }


def _rel(path: Path, corpus_dir: Path) -> str:
    return path.relative_to(corpus_dir).as_posix()


def _doc_key(doc: str) -> str:
    """Short stable key for unit ids: the file stem, with path separators replaced."""
    return Path(doc).with_suffix("").as_posix().replace("/", "_")


def _doc_title(meta: dict, text: str, path: Path) -> str:
    if meta.get("title"):
        return meta["title"]
    for line in text.splitlines():
        # Markdown uploads keep their markup: "# 某市典型案例" is titled without the "#".
        line = clean_inline(line).lstrip("#> ").strip("*_ ")
        if len(line) >= 4:
            return line[:60]
    return path.stem


def with_meta(record: DocRecord, entry: dict) -> DocRecord:
    """The record with the metadata fields the corpus manifest gives (others kept)."""
    given = {k: str(entry[k]) for k in META_FIELDS if entry.get(k)}
    return dataclasses.replace(record, **given) if given else record


def _with_locations(
    record: DocRecord, path: Path, previous: IndexData, reader: BoundedReader
) -> DocRecord:
    """A PDF or Word record from an index written before pages and paragraphs were kept,
    given them by reading the file again (its passages and vectors stay as they are)."""
    if record.format not in ("pdf", "docx") or record.locations:
        return record
    try:
        source = reader.read(path)
    except UnreadableDocument:
        return record
    if source.text != previous.source_text(record.doc):
        return record  # another reader version extracts other text: offsets would not fit
    return dataclasses.replace(record, locations=source.locations)


def embed_input(doc_title: str, unit: Unit, passage: Passage, header: bool) -> str:
    """Text given to the model and to BM25: optional short context header + passage."""
    if not header:
        return passage.text
    title = unit.title if unit.title not in passage.text[: len(unit.title) + 2] else ""
    return f"{doc_title}｜{title}\n{passage.text}" if title else f"{doc_title}\n{passage.text}"


def _bm25_texts(data: IndexData, config: Config) -> Callable[[DocRecord, list], list[str]]:
    """The BM25 texts Milvus gets for a document's passages: the embedding inputs."""
    units = {u.id: u for u in data.units}

    def texts(record: DocRecord, passages: list[Passage]) -> list[str]:
        return [
            embed_input(record.title, units[p.unit_id], p, config.context_header) for p in passages
        ]

    return texts


@dataclass
class _ParsedDoc:
    record: DocRecord
    text: str
    units: list[Unit]
    passages: list[Passage]


def read_limits(config: Config) -> ReadLimits:
    return ReadLimits(
        max_chars=config.max_doc_chars,
        max_zip_entries=config.max_zip_entries,
        max_unzipped_mb=config.max_unzipped_mb,
        max_zip_ratio=config.max_zip_ratio,
        max_pdf_pages=config.max_pdf_pages,
    )


def bounded_reader(config: Config) -> BoundedReader:
    return BoundedReader(read_limits(config), config.parse_timeout_s, config.parse_memory_mb)


def parse_file(
    path: Path, doc: str, meta: dict, config: Config, reader: BoundedReader | None = None
) -> _ParsedDoc:
    """Read (under the size, time and memory limits), parse and chunk one document."""
    if reader is None:
        with bounded_reader(config) as own:
            return parse_file(path, doc, meta, config, own)
    source = reader.read(path)
    parsed = parse_document(source.text, doc, _doc_key(doc))
    lines = LineIndex(source.text)
    passages: list[Passage] = []
    for unit in parsed.units:
        passages.extend(
            chunk_unit(
                source.text, unit, parsed.dropped, lines, config.chunk_target, config.chunk_max
            )
        )
    units_with_text = {p.unit_id for p in passages}
    units = [u for u in parsed.units if u.id in units_with_text]
    record = DocRecord(
        doc=doc,
        title=_doc_title(meta, source.text, path),
        sha256=file_sha256(path),
        content_hash=content_hash(source.text),
        format=source.format,
        encoding=source.encoding,
        doc_type=meta.get("doc_type") or guess_doc_type(u.kind for u in units),
        issuer=meta.get("issuer", ""),
        date=meta.get("date", ""),
        region=meta.get("region", ""),
        doc_number=meta.get("doc_number", ""),
        layout=parsed.layout,
        added=time.strftime("%Y-%m-%dT%H:%M:%S"),
        units=len(units),
        passages=len(passages),
        warnings=tuple(getattr(source, "warnings", ())),
        locations=source.locations,
    )
    return _ParsedDoc(record, source.text, units, passages)


def _load_previous(config: Config, encoder: Encoder) -> IndexData | None:
    try:
        return load_index(config.index_dir, encoder.info)
    except (IndexMissing, IndexMismatch):
        return None


def sync_index(
    config: Config,
    encoder: Encoder,
    full: bool = False,
    on_stage: StageFn | None = None,
) -> BuildReport:
    """Make the index match `config.corpus_dir`; `full` re-parses every document."""
    t0 = time.perf_counter()
    stage = on_stage or (lambda msg, frac: None)
    check_store(config)
    with writer_lock(config.index_dir, config.lock_timeout_s):
        previous = None if full else _load_previous(config, encoder)
        if previous is not None and previous.manifest.get("settings") != _settings(config):
            previous = None  # chunking or header settings changed: nothing can be reused
        meta = load_corpus_manifest(config.corpus_dir)
        reports, kept, fresh = _collect_documents(config, previous, meta, stage)
        stage("正在计算向量…", 0.3)
        data, embedded, reused, embed_seconds = _assemble(
            config, encoder, previous, kept, fresh, stage
        )
        if config.store == "milvus":  # Milvus first, the catalogue last (index.milvus_index)
            stage("正在写入 Milvus…", 0.9)
            sync_milvus(config, data, _settings(config), _bm25_texts(data, config), full=full)
        stage("正在写入索引…", 0.95)
        # Refused files went to the quarantine: nothing in the folder is left unindexed.
        skipped = {
            r.doc: file_sha256(config.corpus_dir / r.doc)
            for r in reports
            if r.status in ("duplicate", "rejected") and (config.corpus_dir / r.doc).is_file()
        }
        version = write_version(
            config.index_dir,
            data,
            extra={
                "settings": _settings(config),
                "skipped": skipped,
                "corpus_meta": meta_fingerprint(config.corpus_dir),
                "store": store_record(config),
            },
        )
        stage("完成", 1.0)
    return BuildReport(
        documents=tuple(reports),
        embedded=embedded,
        reused=reused,
        seconds=time.perf_counter() - t0,
        version=version,
        embed_seconds=embed_seconds,
        counts={
            "documents": len(data.documents),
            "units": len(data.units),
            "passages": len(data.passages),
        },
    )


def _collect_documents(
    config: Config, previous: IndexData | None, meta: dict[str, dict], stage: StageFn
) -> tuple[list[DocumentReport], list[DocRecord], list[_ParsedDoc]]:
    """Decide per file: keep from the previous index, parse afresh, or refuse.

    Documents already indexed are looked at first, so when a new file has the same text
    as one of them, the new file is the duplicate: the indexed document and its metadata
    stay. Refused files and duplicates are moved to the quarantine folder, so they are
    neither left among the documents nor parsed again on the next add.
    """
    old = {d.doc: d for d in previous.documents} if previous else {}
    reports: list[DocumentReport] = []
    kept: list[DocRecord] = []
    fresh: list[_ParsedDoc] = []
    seen_content: dict[str, str] = {}
    files = corpus_files(config.corpus_dir)
    ordered = sorted(files, key=lambda p: _rel(p, config.corpus_dir) not in old)
    with bounded_reader(config) as reader:
        for n, path in enumerate(ordered):
            doc = _rel(path, config.corpus_dir)
            stage(f"正在解析文档 {n + 1}/{len(files)}", 0.3 * n / max(1, len(files)))
            item = _kept_or_parsed(path, doc, old.get(doc), previous, meta, config, reader)
            if isinstance(item, str):
                reports.append(_refuse(config, doc, item, "rejected"))
                continue
            record = item if isinstance(item, DocRecord) else item.record
            if record.content_hash in seen_content:
                first = seen_content[record.content_hash]
                reports.append(
                    _refuse(config, doc, f"与《{first}》内容相同，只索引一次", "duplicate")
                )
                continue
            seen_content[record.content_hash] = doc
            reports.append(_accepted(item, doc in old))
            (kept if isinstance(item, DocRecord) else fresh).append(item)
    present = {_rel(p, config.corpus_dir) for p in files}
    present -= {r.doc for r in reports if r.status in ("rejected", "duplicate")}
    reports.extend(DocumentReport(d, "removed") for d in old if d not in present)
    return reports, kept, fresh


def _kept_or_parsed(
    path: Path,
    doc: str,
    prev: DocRecord | None,
    previous: IndexData | None,
    meta: dict[str, dict],
    config: Config,
    reader: BoundedReader,
) -> DocRecord | _ParsedDoc | str:
    """The previous record if the bytes did not change, else a fresh parse, else the
    reason it was refused."""
    entry = meta.get(doc) or meta.get(path.name, {})
    if prev is not None and previous is not None and prev.sha256 == file_sha256(path):
        # Unchanged bytes: keep passages and vectors, take the current metadata.
        return with_meta(_with_locations(prev, path, previous, reader), entry)
    try:
        return parse_file(path, doc, entry, config, reader)
    except UnreadableDocument as exc:
        return str(exc)


def _refuse(config: Config, doc: str, reason: str, status: str) -> DocumentReport:
    """Report a refused file, moved to the quarantine when the folder is ours to change
    (`Config.quarantine_refused`) and can be written; else it stays, recorded as skipped."""
    moved, where = None, ""
    if config.quarantine_refused:
        try:
            moved = quarantine(config.corpus_dir, doc, reason, kind=status)
        except OSError as exc:  # a read-only folder: the file stays, the build goes on
            where = f"（无法移入隔离区：{exc.strerror or exc}；文件留在原处，未索引）"
    if moved:
        where = f"（已移入隔离区 {QUARANTINE_DIR}/{moved.name}）"
    return DocumentReport(doc, status, message=reason + where)


def _accepted(item: DocRecord | _ParsedDoc, was_indexed: bool) -> DocumentReport:
    if isinstance(item, DocRecord):
        return DocumentReport(item.doc, "unchanged", item.units, item.passages)
    rec = item.record
    status = "updated" if was_indexed else "added"
    return DocumentReport(
        rec.doc, status, len(item.units), len(item.passages), "；".join(rec.warnings)
    )


def _assemble(
    config: Config,
    encoder: Encoder,
    previous: IndexData | None,
    kept: Sequence[DocRecord],
    fresh: Sequence[_ParsedDoc],
    stage: StageFn,
) -> tuple[IndexData, int, int, float]:
    """Combine kept documents (vectors reused) and fresh ones (embedded) into one index."""
    documents, units, passages, texts = [], [], [], {}
    vector_parts, token_parts = [], []
    if previous is not None and kept:
        keep_docs = {d.doc for d in kept}
        rows = previous.passages.positions_of_units(
            i for i, u in enumerate(previous.units) if u.doc in keep_docs
        )
        documents.extend(kept)
        units.extend(u for u in previous.units if u.doc in keep_docs)
        passages.extend(previous.passages[i] for i in rows)
        vector_parts.append(previous.dense.rows(rows) if len(rows) else None)
        token_parts.extend(previous.lexical.tokens[i] for i in rows)
        texts.update({d.doc: previous.source_text(d.doc) for d in kept})
    reused = len(passages)
    titles = {}
    for item in fresh:
        documents.append(item.record)
        units.extend(item.units)
        passages.extend(item.passages)
        texts[item.record.doc] = item.text
        titles[item.record.doc] = item.record.title
    new_passages = passages[reused:]
    unit_by_id = {u.id: u for u in units}
    inputs = [
        embed_input(titles[p.doc], unit_by_id[p.unit_id], p, config.context_header)
        for p in new_passages
    ]

    def progress(done: int, total: int) -> None:
        # Counts the passages not found in the cache: only those take time.
        counted = f"{len(documents)} 个文档、{len(passages)} 段"
        stage(f"正在计算向量 {done}/{total} 段（共 {counted}）", 0.3 + 0.6 * done / max(1, total))

    t0 = time.perf_counter()
    vectors, embedded = encoder.encode_passages(
        inputs, progress=progress if fresh else None, bulk=True
    )
    embed_seconds = time.perf_counter() - t0
    vector_parts.append(vectors)
    token_parts.extend(tokenize(t) for t in inputs)
    parts = [v for v in vector_parts if v is not None and len(v)]
    all_vectors = np.vstack(parts) if parts else np.zeros((0, encoder.info.dim), np.float32)
    data = IndexData(
        model=encoder.info,
        documents=documents,
        units=units,
        passages=passages,
        dense=DenseIndex.build(all_vectors),
        lexical=LexicalIndex.build(token_parts),
        texts=texts,
    )
    return data, embedded, reused + len(inputs) - embedded, embed_seconds


# ---------------------------------------------------------------- library operations


def add_files(
    config: Config,
    paths: Iterable[Path],
    replace_existing: bool = False,
    follow_links: bool = False,
) -> AddResult:
    """Copy files (or folders, recursively) into the corpus folder (index.library rules):
    one typed placement per file (added, renamed, replaced, unchanged, duplicate, rejected).
    Accepted files are indexed by the next sync."""
    return add_to_library(config, paths, replace=replace_existing, follow_links=follow_links)


def remove_files(config: Config, docs: Iterable[str]) -> list[str]:
    """Move documents (with their metadata) into .removed/; returns those not found."""
    with writer_lock(config.index_dir, config.lock_timeout_s):
        return [doc for doc in docs if retire(config, doc, reason="用户移除") is None]
