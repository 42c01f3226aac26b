"""Document metadata (title, 发文机关, 文号, date, region, type) in corpus/manifest.json.

The corpus manifest is the one place people edit; `index.build.sync_index` copies the
fields into each document's record on every sync, without re-reading or re-embedding a
document whose file did not change. Other keys of an entry (summary, date_note …) are
kept as they are.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from index.facets import DOC_TYPES

CORPUS_MANIFEST = "manifest.json"
# Manifest key → DocRecord field (the manifest says doc_number, as does the record).
META_FIELDS = ("title", "issuer", "doc_number", "date", "region", "doc_type")
META_NAMES = {
    "title": "标题",
    "issuer": "发文机关",
    "doc_number": "文号",
    "date": "日期",
    "region": "地区",
    "doc_type": "类型",
}
_DATE = re.compile(r"^(19|20)\d{2}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


class MetadataError(ValueError):
    """A metadata value cannot be stored; the message is for people (Chinese)."""


@dataclass(frozen=True)
class DocMeta:
    """The editable metadata of one document ("" = not given)."""

    title: str = ""
    issuer: str = ""
    doc_number: str = ""
    date: str = ""
    region: str = ""
    doc_type: str = ""

    @classmethod
    def from_entry(cls, entry: dict) -> DocMeta:
        return cls(**{k: str(entry.get(k, "") or "") for k in META_FIELDS})

    def lines(self) -> list[str]:
        """ "标题：…" lines for people, one per field."""
        return [f"{META_NAMES[k]}：{getattr(self, k) or '（未填）'}" for k in META_FIELDS]


def normalise_date(value: str) -> str:
    """ "2024年1月22日", "2024/1/22", "2024.01" → "2024-01-22", "2024-01"; "" stays ""."""
    value = value.strip()
    if not value:
        return ""
    nums = re.findall(r"\d+", value)
    if not nums or len(nums) > 3 or len(nums[0]) != 4:
        raise MetadataError(f"日期“{value}”无法识别，请写成 2024、2024-01 或 2024-01-22")
    out = "-".join([nums[0], *(n.zfill(2) for n in nums[1:])])
    if not _DATE.match(out):
        raise MetadataError(f"日期“{value}”不是有效日期，请写成 2024、2024-01 或 2024-01-22")
    return out


def validate(changes: dict[str, str]) -> dict[str, str]:
    """Checked and normalised changes; unknown fields and types are errors."""
    out = {}
    for key, value in changes.items():
        if key not in META_FIELDS:
            raise MetadataError(f"未知的元数据字段 {key}，可选：{'、'.join(META_FIELDS)}")
        value = " ".join(str(value).split())
        if key == "date":
            value = normalise_date(value)
        if key == "doc_type" and value and value not in DOC_TYPES:
            raise MetadataError(f"文档类型只能是 {'、'.join(DOC_TYPES)}，不能是“{value}”")
        out[key] = value
    return out


def read_entries(corpus_dir: Path) -> list[dict]:
    path = Path(corpus_dir) / CORPUS_MANIFEST
    if not path.exists():
        return []
    return list(json.loads(path.read_text("utf-8")).get("documents", []))


def entry_for(entries: list[dict], doc: str) -> dict:
    """The entry of a corpus-relative document path; entries written by hand may name
    just the file, so the file name is the fallback."""
    by_file = {e.get("file"): e for e in entries}
    return by_file.get(doc) or by_file.get(Path(doc).name) or {}


def read_meta(corpus_dir: Path, doc: str) -> DocMeta:
    return DocMeta.from_entry(entry_for(read_entries(corpus_dir), doc))


def update_meta(corpus_dir: Path, doc: str, changes: dict[str, str]) -> DocMeta:
    """Store changed fields for `doc` (an empty value removes the field); atomic write."""
    changes = validate(changes)
    corpus_dir = Path(corpus_dir)
    if not (corpus_dir / doc).is_file():
        raise MetadataError(f"语料目录中没有文档 {doc}（用 yingshang list 查看）")
    path = corpus_dir / CORPUS_MANIFEST
    data = json.loads(path.read_text("utf-8")) if path.exists() else {"format": 1}
    entries = data.setdefault("documents", [])
    entry = entry_for(entries, doc)
    if not entry:
        entry = {"file": doc}
        entries.append(entry)
    for key, value in changes.items():
        if value:
            entry[key] = value
        else:
            entry.pop(key, None)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    os.replace(tmp, path)
    return DocMeta.from_entry(entry)


def fingerprint(corpus_dir: Path) -> str:
    """Hash of every document's metadata: an index built with another one is stale."""
    rows = sorted(
        (e.get("file", ""), DocMeta.from_entry(e).lines()) for e in read_entries(corpus_dir)
    )
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:16]
