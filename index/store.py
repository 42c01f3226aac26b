"""The index on disk: versioned folders, a manifest, an atomic pointer and a writer lock.

Layout of an index directory:

    CURRENT               name of the live version folder (replaced atomically)
    .write.lock           held by the one writer
    v-<time>-<id>/        one complete version
        documents.jsonl units.jsonl passages.jsonl texts/<key>.txt
        passages.offsets.npy passages.units.npy   (see index.rows: passages stay on disk)
        vectors.npy dense.faiss tokens.jsonl bm25/
        manifest.json     written last: a folder without it is incomplete

A writer builds a new version folder, writes its manifest last, then replaces CURRENT with
`os.replace`. A reader follows CURRENT, so it sees the old version or the new one, never
a half-written one; `kill -9` at any moment leaves the previous version live.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

import index
from index.dense import DenseIndex
from index.embedding import ModelInfo, vector_family
from index.lexical import TOKENS_FILE, LexicalIndex
from index.locations import Locations
from index.rows import JsonlWriter, PassageTable, PassageTableWriter
from index.types import Passage, Span, Unit

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CURRENT = "CURRENT"
LOCK = ".write.lock"


class IndexError_(RuntimeError):
    """Base class: the message is for people (Chinese)."""


class IndexMissing(IndexError_):
    pass


class IndexMismatch(IndexError_):
    pass


class IndexBusy(IndexError_):
    pass


@dataclass(frozen=True)
class DocRecord:
    """One indexed document."""

    doc: str  # corpus-relative path
    title: str
    sha256: str  # of the file's bytes: detects changed files
    content_hash: str  # of the whitespace-free text: detects duplicates
    format: str = "txt"
    encoding: str = ""
    doc_type: str = ""
    issuer: str = ""
    date: str = ""
    region: str = ""
    doc_number: str = ""  # 文号, e.g. 桂政办发〔2023〕42号
    layout: str = "generic"
    added: str = ""  # ISO time first indexed
    units: int = 0
    passages: int = 0
    warnings: tuple[str, ...] = ()
    # PDF pages, Word paragraphs and table rows (index.locations); empty for text formats
    # and in records written before locations were kept (the next sync fills them in).
    locations: Locations = Locations()

    def locator(self, start: int, end: int) -> str:
        """ "第2页" / "第12段" / "表1第3行" for a source span; "" where lines are the locator."""
        return self.locations.describe(start, end)

    @property
    def text_key(self) -> str:
        return hashlib.sha1(self.doc.encode("utf-8")).hexdigest()[:16]


@dataclass
class IndexData:
    """A loaded (or about to be written) index version."""

    model: ModelInfo
    documents: list[DocRecord]
    units: list[Unit]
    passages: PassageTable  # a list of Passage is wrapped on creation
    dense: DenseIndex
    lexical: LexicalIndex
    texts: dict[str, str] = field(default_factory=dict)  # doc → source text
    version: str = ""
    folder: Path | None = None
    manifest: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.passages, PassageTable):
            self.passages = PassageTable.from_list(self.passages, [u.id for u in self.units])

    def source_text(self, doc: str) -> str:
        if doc not in self.texts and self.folder is not None:
            rec = next(d for d in self.documents if d.doc == doc)
            self.texts[doc] = (self.folder / "texts" / f"{rec.text_key}.txt").read_text("utf-8")
        return self.texts[doc]


# ---------------------------------------------------------------- JSONL helpers


def _write_jsonl(path: Path, rows: Iterable[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


# Unit fields with few distinct values: one shared string each instead of one per unit.
_SHARED_UNIT_FIELDS = ("doc", "kind", "region", "org", "indicator", "deadline", "direction")


def unit_from_json(row: dict) -> Unit:
    row = dict(row)
    for key in _SHARED_UNIT_FIELDS:
        if isinstance(row.get(key), str):
            row[key] = sys.intern(row[key])
    row["sections"] = tuple(Span(**s) for s in row.get("sections", ()))
    for key in ("lead_units", "coop_units", "heading_path"):
        row[key] = tuple(sys.intern(v) for v in row.get(key, ()))
    return Unit(**row)


def doc_from_json(row: dict) -> DocRecord:
    row = dict(row)
    row["warnings"] = tuple(row.get("warnings", ()))
    row["locations"] = Locations.from_json(row.get("locations"))
    return DocRecord(**row)


# ---------------------------------------------------------------- write


class VersionWriter:
    """One new index version, written row by row into a temporary folder.

    Open it with `open_version`. Rows are streamed to disk as they come (documents with
    their source text, units, passages with their BM25 tokens), so a synthetic million-passage
    version never has to be held in memory; the dense and BM25 indexes are added whole.
    Nothing is visible to readers until `commit` writes the manifest last and switches
    CURRENT; a writer left without committing removes its folder. The caller holds the
    writer lock (`writer_lock`).
    """

    def __init__(self, index_dir: Path, model: ModelInfo) -> None:
        self.index_dir = Path(index_dir)
        self.model = model
        self.version = f"v-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}"
        self.folder = self.index_dir / f".tmp-{self.version}"
        (self.folder / "texts").mkdir(parents=True)
        self._documents = JsonlWriter(self.folder / "documents.jsonl")
        self._units = JsonlWriter(self.folder / "units.jsonl")
        self._passages = PassageTableWriter(self.folder)
        self._tokens = JsonlWriter(self.folder / TOKENS_FILE)
        self._unit_position: dict[str, int] = {}
        self._corpus: dict[str, str] = {}
        self._dense_size: int | None = None
        self._lexical = False
        self._closed = False

    def add_document(self, record: DocRecord, text: str) -> None:
        self._documents.write(dataclasses.asdict(record))
        (self.folder / "texts" / f"{record.text_key}.txt").write_text(text, "utf-8")
        self._corpus[record.doc] = record.sha256

    def add_unit(self, unit: Unit) -> None:
        self._unit_position[unit.id] = len(self._units)
        self._units.write(dataclasses.asdict(unit))

    def add_passage(self, passage: Passage, tokens: Sequence[str]) -> None:
        """A passage (its unit added before it) and its BM25 tokens."""
        self._passages.add(passage, self._unit_position.get(passage.unit_id, -1))
        self._tokens.write(list(tokens))

    def set_dense(self, dense: DenseIndex) -> None:
        """The vectors and FAISS index, one row per passage in the order added."""
        dense.save(self.folder)
        self._dense_size = dense.size

    def set_lexical(self, lexical: LexicalIndex) -> None:
        """The BM25 index over the tokens added with the passages."""
        lexical.save_retriever(self.folder)
        self._lexical = True

    @property
    def counts(self) -> dict[str, int]:
        """Rows added so far."""
        return {
            "documents": len(self._documents),
            "units": len(self._units),
            "passages": len(self._passages),
        }

    def commit(self, extra: dict | None = None) -> str:
        """Write the manifest last, make the version live; returns its name."""
        counts = self.counts
        self._close_files()
        if self._dense_size != counts["passages"] or not self._lexical:
            raise ValueError(
                f"incomplete index version: {counts['passages']} passages, dense index of "
                f"{self._dense_size} vectors, BM25 {'set' if self._lexical else 'missing'}"
            )
        manifest = {
            "format_version": FORMAT_VERSION,
            "package_version": index.__version__,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "model": dataclasses.asdict(self.model),
            "dimension": self.model.dim,
            "corpus": self._corpus,
            "counts": counts,
            **(extra or {}),
        }
        # The manifest goes last: its presence marks the folder complete.
        _write_json_atomic(self.folder / MANIFEST, manifest)
        os.replace(self.folder, self.index_dir / self.version)
        _write_text_atomic(self.index_dir / CURRENT, self.version)
        _collect_garbage(self.index_dir, keep={self.version})
        return self.version

    def _close_files(self) -> None:
        if not self._closed:
            self._closed = True
            self._documents.close()
            self._units.close()
            self._passages.close()
            self._tokens.close()

    def discard(self) -> None:
        """Close the files and remove the folder unless it was committed."""
        self._close_files()
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def open_version(index_dir: Path, model: ModelInfo) -> Iterator[VersionWriter]:
    """A `VersionWriter`; leaving the block without `commit` discards what was written."""
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    writer = VersionWriter(index_dir, model)
    try:
        yield writer
    finally:
        writer.discard()


def write_version(index_dir: Path, data: IndexData, extra: dict | None = None) -> str:
    """Write `data` as a new version and make it live. Caller holds the writer lock."""
    with open_version(index_dir, data.model) as writer:
        for record in data.documents:
            writer.add_document(record, data.source_text(record.doc))
        for unit in data.units:
            writer.add_unit(unit)
        for passage, tokens in zip(data.passages, data.lexical.tokens, strict=True):
            writer.add_passage(passage, tokens)
        writer.set_dense(data.dense)
        writer.set_lexical(data.lexical)
        return writer.commit(extra)


def _write_text_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _write_json_atomic(path: Path, data: dict) -> None:
    _write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2))


def _collect_garbage(index_dir: Path, keep: set[str]) -> None:
    """Remove old versions and leftovers of interrupted writes (keep the newest 2)."""
    versions = sorted(p for p in index_dir.glob("v-*") if p.is_dir())
    keep = keep | {p.name for p in versions[-2:]}
    for path in list(index_dir.glob(".tmp-*")) + versions:
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
    for path in index_dir.glob(".CURRENT.*.tmp"):
        path.unlink(missing_ok=True)


# Locks this thread already holds, by index folder: a caller that takes the lock around
# copying files *and* the rebuild (`yingshang add`) calls code that takes it again.
_held = threading.local()


@contextmanager
def writer_lock(index_dir: Path, timeout: float = 10.0) -> Iterator[None]:
    """One writer at a time; a second one waits up to `timeout` seconds, then fails clearly.

    Re-entrant within a thread: a nested `writer_lock` on the same folder returns at once
    (a second flock on the same file from the same process would wait for itself).
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    key = str(index_dir.resolve())
    held: set[str] = _held.__dict__.setdefault("paths", set())
    if key in held:
        yield
        return
    lock = FileLock(str(index_dir / LOCK))
    try:
        lock.acquire(timeout=timeout)
    except Timeout as exc:
        raise IndexBusy(
            f"索引正在被另一个任务更新（等待 {timeout:.0f} 秒后仍未结束），请稍后再试。"
        ) from exc
    held.add(key)
    try:
        yield
    finally:
        held.discard(key)
        lock.release()


# ---------------------------------------------------------------- read


def current_version(index_dir: Path) -> str | None:
    try:
        return (index_dir / CURRENT).read_text("utf-8").strip() or None
    except FileNotFoundError:
        return None


def read_manifest(index_dir: Path) -> dict | None:
    version = current_version(index_dir)
    if not version:
        return None
    try:
        return json.loads((index_dir / version / MANIFEST).read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def read_documents(index_dir: Path) -> list[DocRecord]:
    """The live version's document records alone (cheap: no vectors, no passages)."""
    version = current_version(index_dir)
    path = index_dir / version / "documents.jsonl" if version else None
    if path is None or not path.is_file():
        return []
    return [doc_from_json(r) for r in _read_jsonl(path)]


def load_index(index_dir: Path, model: ModelInfo | None = None, mmap: bool = True) -> IndexData:
    """Load the live version; refuse an unknown format or a different embedding model."""
    version = current_version(index_dir)
    manifest = read_manifest(index_dir)
    if not version or manifest is None:
        raise IndexMissing(f"在 {index_dir} 没有找到索引，请先运行 `yingshang build`。")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexMismatch(
            f"索引格式版本 {manifest.get('format_version')} 与程序支持的 {FORMAT_VERSION} 不一致，"
            "请运行 `yingshang rebuild` 重建索引。"
        )
    info = ModelInfo(**manifest["model"])
    check_model(info, model)
    folder = index_dir / version
    units = [unit_from_json(r) for r in _read_jsonl(folder / "units.jsonl")]
    return IndexData(
        model=info,
        documents=[doc_from_json(r) for r in _read_jsonl(folder / "documents.jsonl")],
        units=units,
        passages=PassageTable.open(folder, [u.id for u in units]),
        dense=DenseIndex.load(folder, mmap=mmap),
        lexical=LexicalIndex.load(folder, mmap=mmap),
        version=version,
        folder=folder,
        manifest=manifest,
    )


def check_model(indexed: ModelInfo, wanted: ModelInfo | None) -> None:
    """Querying an index with another model (or other prefixes) is a clear error."""
    if wanted is None:
        return
    if (indexed.name, indexed.dim, indexed.query_prefix, indexed.passage_prefix) != (
        wanted.name,
        wanted.dim,
        wanted.query_prefix,
        wanted.passage_prefix,
    ):
        raise IndexMismatch(
            f"索引是用模型 {indexed.name}（{indexed.dim} 维）建立的，"
            f"当前使用的是 {wanted.name}（{wanted.dim} 维）。"
            "请换回原模型，或用 `yingshang rebuild --model …` 重建索引。"
        )
    if indexed.revision != wanted.revision:
        raise IndexMismatch(
            f"模型目录 {indexed.name} 在建立索引之后重新微调过（`yingshang tune`），"
            "向量已不一致。请用 `yingshang rebuild` 按现在的模型重建索引。"
        )
    if vector_family(indexed.backend) != vector_family(wanted.backend):
        # int8 and fp32 vectors are close but not the same: never mix them in one index.
        raise IndexMismatch(
            f"索引的向量是用嵌入后端 {indexed.backend} 计算的，当前使用的是 {wanted.backend}。"
            f"请用 --backend {indexed.backend}（或 YINGSHANG_BACKEND={indexed.backend}），"
            f"或用 `yingshang build --backend {wanted.backend}` 按新后端重建索引。"
        )
