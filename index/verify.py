"""Is the live index whole? Used by the kill -9 trials (scripts/kill_trials.py) and tests.

Checks that every part of the live version agrees with the others: the manifest's counts
and file hashes with the document records, units and passages with their documents,
vector and BM25 row counts with the passages, and every document's source text present.
"""

from __future__ import annotations

from pathlib import Path

from index.store import load_index


def index_problems(index_dir: Path) -> list[str]:
    """Inconsistencies of the live version, in words; [] when it is whole."""
    try:
        data = load_index(Path(index_dir))
    except Exception as exc:  # any failure to load is the finding
        return [f"索引无法加载：{type(exc).__name__}: {exc}"]
    problems = []
    manifest = data.manifest
    docs = {d.doc: d for d in data.documents}
    counts = {
        "documents": len(data.documents),
        "units": len(data.units),
        "passages": len(data.passages),
    }
    if manifest.get("counts") != counts:
        problems.append(f"清单中的数量 {manifest.get('counts')} 与实际 {counts} 不一致")
    if manifest.get("corpus") != {d: r.sha256 for d, r in docs.items()}:
        problems.append("清单中的文件哈希与文档记录不一致")
    unit_docs = {u.doc for u in data.units}
    if not unit_docs <= set(docs):
        problems.append(f"有单元属于不在索引中的文档：{sorted(unit_docs - set(docs))[:3]}")
    per_doc: dict[str, int] = {}
    for i in range(len(data.passages)):
        passage = data.passages[i]
        per_doc[passage.doc] = per_doc.get(passage.doc, 0) + 1
    for doc, record in docs.items():
        if per_doc.get(doc, 0) != record.passages:
            problems.append(f"《{doc}》记录 {record.passages} 个段落，实有 {per_doc.get(doc, 0)}")
        if not (data.folder / "texts" / f"{record.text_key}.txt").is_file():
            problems.append(f"《{doc}》的原文缺失")
    if data.dense.size != counts["passages"]:
        problems.append(f"向量 {data.dense.size} 行，段落 {counts['passages']} 个")
    if data.lexical.size != counts["passages"]:
        problems.append(f"BM25 {data.lexical.size} 行，段落 {counts['passages']} 个")
    return problems
