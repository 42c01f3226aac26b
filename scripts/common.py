"""Helpers shared by the command-line entry points (`cli.py`, `briefing_cli.py`): the
configuration from flags, the encoder and searcher, filters, progress and build reports.

Heavy modules (the searcher, the encoder) are imported inside the helpers that need them, so
building the argument parser and `--help` stay fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from index.config import Config
from scripts.settings import load_config


def config_from_args(args: argparse.Namespace) -> Config:
    """Config defaults, then the config file and YINGSHANG_* variables (`scripts.settings`),
    then the flags given; then the store the index was built with (its manifest) unless
    --store / YINGSHANG_STORE chose one."""
    from index.milvus_index import with_recorded_store

    llm = getattr(args, "llm", None)  # --llm / --no-llm; None: as configured
    config = load_config(getattr(args, "config", None)).with_overrides(
        llm=None if llm is None else ("on" if llm else "off"),
        corpus_dir=getattr(args, "corpus", None),
        index_dir=getattr(args, "index", None),
        model=getattr(args, "model", None),
        query_prefix=getattr(args, "query_prefix", None),
        passage_prefix=getattr(args, "passage_prefix", None),
        backend=getattr(args, "backend", None),
        k=getattr(args, "k", None),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        store=getattr(args, "store", None),
        milvus_uri=getattr(args, "milvus_uri", None),
        milvus_collection=getattr(args, "milvus_collection", None),
    )
    store_given = bool(getattr(args, "store", None) or os.environ.get("YINGSHANG_STORE"))
    uri_given = bool(getattr(args, "milvus_uri", None) or os.environ.get("YINGSHANG_MILVUS_URI"))
    return with_recorded_store(config, store_given, uri_given)


def print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def make_encoder(config: Config):
    from index.embedding import Encoder

    return Encoder(config)


def make_searcher(config: Config):
    from search.searcher import Searcher

    return Searcher(config)


def filters_from_args(args: argparse.Namespace):
    from search.searcher import Filters

    return Filters(
        kind=args.kind or "",
        region=args.region or "",
        indicator=args.indicator or "",
        year=args.year or "",
        lead_unit=args.lead_unit or "",
        doc=getattr(args, "doc", None) or "",
        doc_type=getattr(args, "doc_type", None) or "",
    )


@contextmanager
def progress() -> Iterator[Callable[[str, float], None]]:
    """One progress bar on stderr for a whole build, fed by sync_index's stages (documents
    parsed, passages embedded, writing); the stage message carries the counts."""
    from tqdm import tqdm

    # Loading the model mid-build would draw bars of its own ("Loading weights"): hide
    # them (read when transformers is first imported, i.e. when the build loads the model).
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    bar = tqdm(
        total=100,
        file=sys.stderr,
        bar_format="{desc} {percentage:3.0f}%|{bar}| {elapsed}<{remaining}",
        disable=not sys.stderr.isatty() and os.environ.get("YINGSHANG_PROGRESS") != "1",
        leave=False,
    )

    def on_stage(message: str, fraction: float) -> None:
        bar.set_description_str(message, refresh=False)
        bar.update(max(0, int(fraction * 100) - bar.n))

    try:
        yield on_stage
    finally:
        bar.close()


def print_report(report, as_json: bool) -> None:
    if as_json:
        print_json(
            {
                "documents": [d.__dict__ for d in report.documents],
                "embedded": report.embedded,
                "reused": report.reused,
                "seconds": round(report.seconds, 3),
                "embed_seconds": round(report.embed_seconds, 3),
                "version": report.version,
                "counts": report.counts,
            }
        )
        return
    names = {
        "added": "新增",
        "updated": "更新",
        "unchanged": "未变",
        "duplicate": "重复已跳过",
        "rejected": "无法读取",
        "removed": "已移除",
    }
    for d in report.documents:
        line = f"[{names.get(d.status, d.status)}] {d.doc}"
        if d.status in ("added", "updated", "unchanged"):
            line += f"  单元 {d.units}，段落 {d.passages}"
        if d.message:
            line += f"  {d.message}"
        print(line)
    c = report.counts
    print(
        f"完成：{c['documents']} 个文档，{c['units']} 个单元，{c['passages']} 个段落；"
        f"新计算向量 {report.embedded} 个，复用 {report.reused} 个；用时 {report.seconds:.1f} 秒"
        f"（其中计算向量 {report.embed_seconds:.1f} 秒）。"
    )


def unit_by_title(units, text: str) -> str:
    """Id of the unit titled `text` (whitespace ignored), or of the one unit whose title
    contains it; "" when there is none or the text is ambiguous."""
    key = "".join(text.split())
    if len(key) < 4:
        return ""
    exact = [u.id for u in units if "".join(u.title.split()) == key]
    if exact:
        return exact[0]
    partial = [u.id for u in units if key in "".join(u.title.split())]
    return partial[0] if len(partial) == 1 else ""
