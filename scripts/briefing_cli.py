"""`yingshang export`, `compare` and `meta`: briefings, side-by-side tables, document metadata.

Thin wrappers over search.briefing, search.compare and index.metadata; kept apart from
scripts/cli.py so that file stays a list of the core commands.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from index.facets import DOC_TYPES

EXPORT_FORMATS = ("md", "docx", "xlsx")  # search.briefing.FORMATS (importing it is slower)


def _format(args: argparse.Namespace) -> str:
    """--format, else the --out file's extension, else Markdown."""
    if args.format:
        return args.format
    suffix = Path(args.out).suffix.lower().lstrip(".") if args.out else ""
    return suffix if suffix in EXPORT_FORMATS else "md"


def _write(args: argparse.Namespace, fmt: str, data: bytes) -> None:
    if args.out:
        Path(args.out).write_bytes(data)
        print(f"已导出：{args.out}", file=sys.stderr)
    elif fmt == "md":
        sys.stdout.write(data.decode("utf-8"))
    else:
        raise ValueError(f"导出 {fmt} 文件时请用 --out 指定文件名")


def _ids(values: list[str]) -> list[str]:
    """Unit ids given as separate arguments and/or comma-separated."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _views(args: argparse.Namespace, targets: list[str]):
    """UnitViews of ids or exact titles, from the index on disk (no model needed)."""
    from index.store import load_index
    from scripts.common import config_from_args, unit_by_title
    from search.compare import unit_view

    data = load_index(config_from_args(args).index_dir)
    ids = {u.id for u in data.units}
    views = []
    for target in targets:
        uid = target if target in ids else unit_by_title(data.units, target)
        if uid and uid != target:
            print(f"（「{target}」按标题找到条目 {uid}）", file=sys.stderr)
        views.append(unit_view(data, uid or target))
    return views


def cmd_export(args: argparse.Namespace) -> int:
    from search.briefing import export, item_from_unit, load_basket
    from search.compare import practice

    if bool(args.items) == bool(args.units):
        raise ValueError("请用 --items 指定简报文件，或用 --units 指定条目编号（二选一）")
    title = args.title or ""
    if args.items:
        saved_title, items = load_basket(Path(args.items))
        title = title or saved_title
    else:
        items = [
            item_from_unit(v.unit, practice(v), v.citation)
            for v in _views(args, _ids([args.units]))
        ]
    fmt = _format(args)
    _write(args, fmt, export(fmt, items, title=title))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from search.briefing import export
    from search.compare import build_comparison

    comparison = build_comparison(_views(args, _ids(args.units)))
    fmt = _format(args)
    title = args.title or "案例对比"
    _write(args, fmt, export(fmt, [], [comparison.table(title)], title=title))
    return 0


def _resolve_doc(corpus_dir: Path, target: str) -> str:
    """A corpus-relative path from a path, a file name or part of the file name."""
    from index.build import corpus_files

    files = [p.relative_to(corpus_dir).as_posix() for p in corpus_files(corpus_dir)]
    if target in files:
        return target
    found = [f for f in files if target in f]
    if len(found) == 1:
        return found[0]
    shown = "、".join(found[:5]) if found else "没有匹配的文档（用 yingshang list 查看）"
    raise ValueError(f"无法确定文档“{target}”：{shown}")


def cmd_meta(args: argparse.Namespace) -> int:
    from index.metadata import META_FIELDS, read_meta, update_meta
    from scripts.common import config_from_args, make_encoder, print_report, progress

    config = config_from_args(args)
    doc = _resolve_doc(config.corpus_dir, args.doc)
    changes = {k: getattr(args, k) for k in META_FIELDS if getattr(args, k) is not None}
    if not changes:
        print(f"文档：{doc}")
        print("\n".join(read_meta(config.corpus_dir, doc).lines()))
        return 0
    meta = update_meta(config.corpus_dir, doc, changes)
    print(f"已更新《{doc}》的元数据：")
    print("\n".join(meta.lines()))
    from index.build import sync_index

    with progress() as on_stage:  # the file did not change: nothing is re-embedded
        report = sync_index(config, make_encoder(config), on_stage=on_stage)
    print_report(report, False)
    return 0


def add_parsers(sub, common: Callable[..., None]) -> None:
    p = sub.add_parser("export", help="导出简报：Word、Markdown 或表格（.xlsx），带编号出处")
    common(p)
    p.add_argument("--items", help="保存的简报文件（JSON：条目列表）")
    p.add_argument("--units", help="条目编号，逗号分隔（见 yingshang units）")
    _export_flags(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("compare", help="并列对比 2–6 个案例或措施")
    common(p)
    p.add_argument("units", nargs="+", help="条目编号或标题（2–6 个）")
    _export_flags(p)
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser(
        "meta", help="查看或修改文档的元数据（标题、发文机关、文号、日期、地区、类型）"
    )
    common(p, corpus=True)
    p.add_argument("doc", help="文档（相对语料目录的路径，或文件名的一部分）")
    p.add_argument("--title", help="标题")
    p.add_argument("--issuer", help="发文机关")
    p.add_argument("--number", dest="doc_number", help="文号，如 桂政办发〔2023〕42号")
    p.add_argument("--date", help="日期：2024、2024-01 或 2024-01-22")
    p.add_argument("--region", help="地区，如 广西壮族自治区钦州市")
    p.add_argument("--type", dest="doc_type", choices=(*DOC_TYPES, ""), help="文档类型")
    p.set_defaults(func=cmd_meta)


def _export_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=EXPORT_FORMATS, help="默认按 --out 的扩展名，否则 md")
    p.add_argument("--out", help="输出文件；不指定时 Markdown 打印到屏幕")
    p.add_argument("--title", help="简报标题")
