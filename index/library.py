"""The corpus folder as a library: adding files without losing any, retiring and
quarantining them.

Rules (nothing a user adds can destroy or hide a document):
- a new file whose name is taken by a *different* document is added under a distinct
  name ("报告（2）.txt") unless `replace` is asked for; then the previous version goes to
  `.removed/` together with its metadata (index record and corpus-manifest entry);
- files of one add that clean to the same name are all kept, under distinct names;
- a file whose bytes equal an indexed document (or another file of the same add) is
  reported and skipped: the indexed one and its metadata stay;
- a file the indexer refuses (too big, a zip bomb, corrupt) or finds to duplicate an
  indexed document's text is moved to `.quarantine/` with a JSON note of the reason, so it
  is not re-parsed on every add and can be listed and deleted.

Copies happen under the index's writer lock: a second add that times out waiting has
copied nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from index.config import Config
from index.intake import RejectedUpload, check_upload, sanitize_name, write_atomic
from index.reading import file_sha256
from index.store import read_documents, read_manifest, writer_lock

CORPUS_MANIFEST = "manifest.json"
REMOVED_DIR = ".removed"  # removed or replaced documents are moved here, never deleted
QUARANTINE_DIR = ".quarantine"  # files the indexer refused, with a .json reason each
NOTE_SUFFIX = ".json"


@dataclass(frozen=True)
class Placement:
    """What happened to one file of an add.

    status: added | renamed (name taken, kept under `doc`) | replaced (previous version
    in .removed/) | unchanged (the same bytes are already there) | duplicate (same bytes
    as another document: skipped) | rejected (refused before copying).
    """

    source: str  # the name the user gave
    doc: str  # corpus-relative name it has now ("" if not copied)
    status: str
    message: str = ""


@dataclass(frozen=True)
class AddResult:
    placements: tuple[Placement, ...]

    @property
    def accepted(self) -> tuple[Placement, ...]:
        """Files now in the corpus folder (to be indexed by the next sync)."""
        return tuple(
            p for p in self.placements if p.status in ("added", "renamed", "replaced", "unchanged")
        )

    @property
    def refused(self) -> tuple[Placement, ...]:
        return tuple(p for p in self.placements if p.status in ("duplicate", "rejected"))


@dataclass(frozen=True)
class QuarantinedFile:
    name: str  # file name inside .quarantine/
    doc: str  # where it was in the corpus
    reason: str
    kind: str  # rejected | duplicate
    time: str
    size: int


# ---------------------------------------------------------------- names and hashes


def load_corpus_manifest(corpus_dir: Path) -> dict[str, dict]:
    """file name → metadata (title, issuer, date, doc_type, region) from corpus/manifest.json."""
    path = corpus_dir / CORPUS_MANIFEST
    if not path.exists():
        return {}
    data = json.loads(path.read_text("utf-8"))
    return {d["file"]: d for d in data.get("documents", [])}


def name_exists(config: Config, name: str) -> bool:
    """Is there already a document in the corpus folder under the name `name` gets?

    For the page to ask "replace or keep both?" before adding. A name that cannot be
    cleaned into a file name does not exist.
    """
    try:
        safe = sanitize_name(name)
    except RejectedUpload:
        return False
    return (config.corpus_dir / safe).exists()


def name_conflicts(config: Config, paths: Iterable[Path]) -> list[str]:
    """Corpus names the files would take that already hold a *different* document.

    For the page to ask "replace, keep both or cancel?" before adding; the same bytes
    under the same name are no conflict (the add reports them unchanged).
    """
    out = []
    for path in map(Path, paths):
        if not path.is_file() or not name_exists(config, path.name):
            continue
        safe = sanitize_name(path.name)
        existing = config.corpus_dir / safe
        if existing.is_file() and file_sha256(existing) != file_sha256(path):
            out.append(safe)
    return out


def distinct_name(folder: Path, name: str, taken: Iterable[str] = ()) -> str:
    """`name`, or "stem（2）.ext", "stem（3）.ext" … — the first not in `folder` or `taken`."""
    taken = set(taken)
    stem, suffix = _split(name)
    candidate, n = name, 1
    while candidate in taken or (folder / candidate).exists():
        n += 1
        candidate = f"{stem}（{n}）{suffix}"
    return candidate


def _split(name: str) -> tuple[str, str]:
    path = Path(name)
    return (path.stem, path.suffix) if path.suffix else (name, "")


# ---------------------------------------------------------------- add


def add_to_library(
    config: Config, paths: Iterable[Path], replace: bool = False, follow_links: bool = False
) -> AddResult:
    """Copy files (or folders, recursively) into the corpus folder; see the module rules.

    Takes the writer lock (re-entrant: callers may hold it around the following sync).
    """
    corpus = config.corpus_dir
    with writer_lock(config.index_dir, config.lock_timeout_s):
        corpus.mkdir(parents=True, exist_ok=True)
        indexed = {
            sha: doc
            for doc, sha in ((read_manifest(config.index_dir) or {}).get("corpus", {})).items()
        }
        placed_names: set[str] = set()
        placed_shas: dict[str, str] = {}
        out = []
        for path, shown in _expand(paths):
            try:
                source = _resolve_link(path, shown, follow_links)
                out.append(
                    _place(config, source, shown, replace, indexed, placed_names, placed_shas)
                )
            except RejectedUpload as exc:
                out.append(Placement(shown, "", "rejected", str(exc)))
            except OSError as exc:
                reason = f"无法读取《{shown}》：{exc.strerror or exc}"
                out.append(Placement(shown, "", "rejected", reason))
    return AddResult(tuple(out))


def _place(
    config: Config,
    source: Path,
    shown: str,
    replace: bool,
    indexed: dict[str, str],
    placed_names: set[str],
    placed_shas: dict[str, str],
) -> Placement:
    max_bytes = config.max_upload_mb * 1024 * 1024
    safe = check_upload(shown, source, max_bytes=max_bytes)
    data = source.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    corpus = config.corpus_dir
    if sha in placed_shas:
        return Placement(
            shown, "", "duplicate", f"与本次添加的《{placed_shas[sha]}》内容相同，已跳过"
        )
    if sha in indexed and (corpus / indexed[sha]).is_file():
        if indexed[sha] == safe:
            return Placement(shown, safe, "unchanged", "资料库中已有这份文件")
        return Placement(
            shown, "", "duplicate", f"与资料库中的《{indexed[sha]}》内容相同，已跳过（原文档保留）"
        )
    dest = corpus / safe
    status, message, name = "added", "", safe
    if dest.is_symlink() or (dest.exists() and not dest.is_file()):
        raise RejectedUpload(shown, "资料库中的同名项不是普通文件，不能写入")
    if dest.exists():
        if file_sha256(dest) == sha:
            placed_shas[sha] = safe
            return Placement(shown, safe, "unchanged", "资料库中已有这份文件")
        if replace and safe not in placed_names:
            retire(config, safe, reason="被新版本替换")
            status, message = "replaced", "旧版本已移到 .removed/，连同其元数据"
        else:
            name = distinct_name(corpus, safe, placed_names)
            status = "renamed"
            message = f"资料库中已有同名的不同文件，新文件以《{name}》加入"
            if not replace:
                message += "（如要替换旧文件，请使用 --replace）"
    write_atomic(corpus / name, data)
    placed_names.add(name)
    placed_shas[sha] = name
    return Placement(shown, name, status, message)


def _expand(paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """(path, name shown to the user) of every file; folders recursively, hidden skipped."""
    out = []
    for path in map(Path, paths):
        if path.is_dir() and not path.is_symlink():
            for p in sorted(path.rglob("*")):
                rel = p.relative_to(path)
                if any(part.startswith(".") for part in rel.parts):
                    continue
                if p.is_file() or p.is_symlink():
                    out.append((p, p.name))
        else:
            out.append((path, path.name))
    return out


def _resolve_link(path: Path, shown: str, follow_links: bool) -> Path:
    """A symbolic link is followed only when asked, and always says where it points."""
    if not path.is_symlink():
        return path
    target = Path(os.path.realpath(path))
    if not follow_links:
        raise RejectedUpload(
            shown,
            f"这是一个符号链接，指向 {target}；如确实要添加它指向的文件，请加 --follow-links",
        )
    if not target.is_file():
        raise RejectedUpload(shown, f"符号链接指向的 {target} 不是普通文件")
    return target


# ---------------------------------------------------------------- retire and quarantine


def retire(config: Config, doc: str, reason: str) -> Path | None:
    """Move a document to .removed/ with a JSON note of its metadata; None if not found."""
    corpus = config.corpus_dir.resolve()
    path = (corpus / doc).resolve()
    if corpus not in path.parents or not path.is_file():
        return None
    records = {r.doc: r for r in read_documents(config.index_dir)}
    record = records.get(doc)
    note = {
        "doc": doc,
        "reason": reason,
        "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "sha256": file_sha256(path),
        "index_record": dataclasses.asdict(record) if record else None,
        "corpus_manifest": load_corpus_manifest(config.corpus_dir).get(path.name),
    }
    return _move_with_note(
        path, corpus / REMOVED_DIR, f"{time.strftime('%Y%m%d%H%M%S')}-{path.name}", note
    )


def quarantine(corpus_dir: Path, doc: str, reason: str, kind: str = "rejected") -> Path | None:
    """Move a refused file out of the documents into .quarantine/ with its reason."""
    path = corpus_dir / doc
    if not path.is_file():
        return None
    note = {
        "doc": doc,
        "reason": reason,
        "kind": kind,
        "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "size": path.stat().st_size,
    }
    return _move_with_note(path, corpus_dir / QUARANTINE_DIR, path.name, note)


def _move_with_note(path: Path, folder: Path, name: str, note: dict) -> Path:
    folder.mkdir(exist_ok=True)
    # A name is free only when neither the file nor its note exists.
    taken = {p.name for p in folder.iterdir()} | {
        p.name[: -len(NOTE_SUFFIX)] for p in folder.glob(f"*{NOTE_SUFFIX}")
    }
    dest = folder / distinct_name(folder, name, taken)
    # Note first: a crash between the two leaves a note without a file, never a file
    # without its reason.
    write_atomic(
        dest.with_name(dest.name + NOTE_SUFFIX),
        json.dumps(note, ensure_ascii=False, indent=2).encode(),
    )
    path.replace(dest)
    return dest


def list_quarantine(corpus_dir: Path) -> list[QuarantinedFile]:
    folder = corpus_dir / QUARANTINE_DIR
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.iterdir()):
        if path.name.endswith(NOTE_SUFFIX) or not path.is_file():
            continue
        note = _read_note(path)
        out.append(
            QuarantinedFile(
                name=path.name,
                doc=note.get("doc", path.name),
                reason=note.get("reason", ""),
                kind=note.get("kind", "rejected"),
                time=note.get("time", ""),
                size=path.stat().st_size,
            )
        )
    return out


def delete_quarantined(corpus_dir: Path, name: str) -> bool:
    """Delete a quarantined file and its note for good; False if there is no such file."""
    folder = (corpus_dir / QUARANTINE_DIR).resolve()
    path = (folder / name).resolve()
    if path.parent != folder or name.endswith(NOTE_SUFFIX) or not path.is_file():
        return False
    path.unlink()
    path.with_name(path.name + NOTE_SUFFIX).unlink(missing_ok=True)
    return True


def _read_note(path: Path) -> dict:
    try:
        return json.loads(path.with_name(path.name + NOTE_SUFFIX).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
