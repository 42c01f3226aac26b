"""Benchmark entry point: `python scripts/bench.py [--quick] [--json FILE]` (= `yingshang bench`).

The measuring code lives in `search.bench`; this file only parses flags and prints.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.config import from_env  # noqa: E402


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--quick", action="store_true", help="快速模式（约 3 分钟内）：少量段落、只测 10 万段"
    )
    p.add_argument("--json", metavar="FILE", help="把全部结果写成 JSON 文件")
    p.add_argument("--queries", help="问题集（默认 ../shared/eval/seed_queries.jsonl）")
    p.add_argument(
        "--backends", help="比较的嵌入后端，逗号分隔（默认：快速 torch,int8；完整 全部四种）"
    )
    p.add_argument(
        "--scales", help="合成语料规模，逗号分隔（默认：快速 100000；完整 100000,1000000）"
    )
    p.add_argument("--embed-limit", dest="embed_limit", type=int, help="测吞吐的段落数（0 = 全部）")
    p.add_argument("--corpus", help="语料目录（默认 corpus/）")
    p.add_argument("--backend", help="检索延迟所用的嵌入后端（默认按配置）")


def run_from_args(args: argparse.Namespace) -> int:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from search import bench

    config = from_env().with_overrides(corpus_dir=args.corpus, backend=args.backend)
    overrides: dict = {}
    if args.backends:
        overrides["backends"] = [b.strip() for b in args.backends.split(",") if b.strip()]
    if args.scales:
        overrides["scales"] = [int(float(n)) for n in args.scales.split(",") if n.strip()]
    if args.embed_limit is not None:
        overrides["embed_limit"] = args.embed_limit or None
    result = bench.run(
        config,
        quick=args.quick,
        queries=Path(args.queries) if args.queries else bench.SHARED_QUERIES,
        log=lambda msg: print(msg, file=sys.stderr, flush=True),
        overrides=overrides,
    )
    result["command"] = " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])
    print(bench.format_table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2), "utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description="yingshang 性能基准")
    add_arguments(parser)
    return run_from_args(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
