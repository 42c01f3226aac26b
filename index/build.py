"""Build and update the index from a corpus folder, incrementally.

`sync_index` makes the index match the corpus folder: documents whose bytes did not change
keep their units, passages, vectors and tokens; new or changed documents are read, parsed,
chunked and embedded (through the content-hash cache, so text seen before costs nothing);
documents no longer in the folder are removed. The result is written as a new version
(see `index.store`), under the writer lock.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index.chunking import chunk_unit
from index.cleaning import LineIndex, clean_inline
from index.config import Config
from index.dense import DenseIndex
from index.embedding import Encoder, resolve_backend, vector_family
from index.lexical import LexicalIndex, dictionary_hash, tokenize
from index.reading import UnreadableDocument, content_hash, read_document
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
from index.types import Passage, Unit

SUPPORTED = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")
CORPUS_MANIFEST = "manifest.json"
REMOVED_DIR = ".removed"  # removed documents are moved here, never deleted

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


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def load_corpus_manifest(corpus_dir: Path) -> dict[str, dict]:
    """file name → metadata (title, issuer, date, doc_type, region) from corpus/manifest.json."""
    path = corpus_dir / CORPUS_MANIFEST
    if not path.exists():
        return {}
    data = json.loads(path.read_text("utf-8"))
    return {d["file"]: d for d in data.get("documents", [])}


def is_stale(config: Config) -> bool:
    """Does the index miss, or differ from, the corpus folder (or the configured model)?"""
    manifest = read_manifest(config.index_dir)
    model = (manifest or {}).get("model", {})
    if manifest is None or model.get("name") != config.model:
        return True
    if vector_family(model.get("backend", "torch")) != vector_family(
        resolve_backend(config.backend)
    ):
        return True  # vectors of another embedding backend: re-embed (through the cache)
    if manifest.get("settings") != _settings(config):
        return True
    current = {_rel(p, config.corpus_dir): file_sha256(p) for p in corpus_files(config.corpus_dir)}
    # Rejected and duplicate files are not indexed but were seen: they are not news.
    seen = {**manifest.get("corpus", {}), **manifest.get("skipped", {})}
    return current != seen


def _settings(config: Config) -> dict:
    """Settings that change passages or vectors: a change means rebuild."""
    return {
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


def guess_doc_type(units: Iterable[Unit]) -> str:
    """案例集 / 政策文件 / 其他 from the units found, for documents the corpus manifest does
    not describe (e.g. uploads)."""
    kinds = {u.kind for u in units}
    return "案例集" if "case" in kinds else "政策文件" if "measure" in kinds else "其他"


def embed_input(doc_title: str, unit: Unit, passage: Passage, header: bool) -> str:
    """Text given to the model and to BM25: optional short context header + passage."""
    if not header:
        return passage.text
    title = unit.title if unit.title not in passage.text[: len(unit.title) + 2] else ""
    return f"{doc_title}｜{title}\n{passage.text}" if title else f"{doc_title}\n{passage.text}"


@dataclass
class _ParsedDoc:
    record: DocRecord
    text: str
    units: list[Unit]
    passages: list[Passage]


def parse_file(path: Path, doc: str, meta: dict, config: Config) -> _ParsedDoc:
    """Read, parse and chunk one document (no embedding)."""
    source = read_document(path)
    if len(source.text) > config.max_doc_chars:
        raise UnreadableDocument(
            path,
            f"文档过长（约 {len(source.text) // 10000} 万字），超过 {config.max_doc_chars // 10000} "
            "万字的上限；请拆分成几个文件后再添加",
        )
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
        doc_type=meta.get("doc_type") or guess_doc_type(units),
        issuer=meta.get("issuer", ""),
        date=meta.get("date", ""),
        region=meta.get("region", ""),
        layout=parsed.layout,
        added=time.strftime("%Y-%m-%dT%H:%M:%S"),
        units=len(units),
        passages=len(passages),
        warnings=tuple(getattr(source, "warnings", ())),
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
        stage("正在写入索引…", 0.95)
        skipped = {
            r.doc: file_sha256(config.corpus_dir / r.doc)
            for r in reports
            if r.status in ("duplicate", "rejected")
        }
        version = write_version(
            config.index_dir, data, extra={"settings": _settings(config), "skipped": skipped}
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
    """Decide per file: keep from the previous index, parse afresh, or reject."""
    old = {d.doc: d for d in previous.documents} if previous else {}
    reports: list[DocumentReport] = []
    kept: list[DocRecord] = []
    fresh: list[_ParsedDoc] = []
    seen_content: dict[str, str] = {}
    files = corpus_files(config.corpus_dir)
    for n, path in enumerate(files):
        doc = _rel(path, config.corpus_dir)
        stage(f"正在解析文档 {n + 1}/{len(files)}", 0.3 * n / max(1, len(files)))
        prev = old.get(doc)
        if prev is not None and prev.sha256 == file_sha256(path):
            item: DocRecord | _ParsedDoc = prev
            record = prev
        else:
            try:
                item = parse_file(path, doc, meta.get(path.name, {}), config)
            except UnreadableDocument as exc:
                reports.append(DocumentReport(doc, "rejected", message=str(exc)))
                continue
            record = item.record
        if record.content_hash in seen_content:
            first = seen_content[record.content_hash]
            reports.append(
                DocumentReport(doc, "duplicate", message=f"与《{first}》内容相同，只索引一次")
            )
            continue
        seen_content[record.content_hash] = doc
        if isinstance(item, DocRecord):
            kept.append(item)
            reports.append(DocumentReport(doc, "unchanged", item.units, item.passages))
        else:
            fresh.append(item)
            status = "updated" if doc in old else "added"
            reports.append(
                DocumentReport(
                    doc,
                    status,
                    len(item.units),
                    len(item.passages),
                    "；".join(item.record.warnings),
                )
            )
    present = {_rel(p, config.corpus_dir) for p in files}
    reports.extend(DocumentReport(d, "removed") for d in old if d not in present)
    return reports, kept, fresh


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
    config: Config, paths: Iterable[Path], replace_existing: bool = True
) -> list[DocumentReport]:
    """Copy files (or folders, recursively) into the corpus folder after upload checks.

    Returns one report per rejected file; accepted files are indexed by the next sync.
    """
    from index.intake import RejectedUpload, save_upload

    rejected = []
    for path in _expand(paths):
        try:
            save_upload(
                config.corpus_dir,
                path.name,
                path,
                replace=replace_existing,
                max_bytes=config.max_upload_mb * 1024 * 1024,
            )
        except RejectedUpload as exc:
            rejected.append(DocumentReport(path.name, "rejected", message=str(exc)))
        except OSError as exc:
            reason = f"无法读取《{path.name}》：{exc.strerror or exc}"
            rejected.append(DocumentReport(path.name, "rejected", message=reason))
    return rejected


def _expand(paths: Iterable[Path]) -> list[Path]:
    out = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            out.extend(
                p for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith(".")
            )
        else:
            out.append(path)
    return out


def remove_files(config: Config, docs: Iterable[str]) -> list[str]:
    """Move documents out of the corpus folder (into .removed/); returns those not found."""
    missing = []
    trash = config.corpus_dir / REMOVED_DIR
    for doc in docs:
        path = (config.corpus_dir / doc).resolve()
        if config.corpus_dir.resolve() not in path.parents or not path.is_file():
            missing.append(doc)
            continue
        trash.mkdir(exist_ok=True)
        path.replace(trash / f"{time.strftime('%Y%m%d%H%M%S')}-{path.name}")
    return missing
