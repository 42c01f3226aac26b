"""`yingshang` command line: thin wrappers over `index` and `search`.

Every command accepts --index DIR; settings come from the Config defaults, then
YINGSHANG_* environment variables, then flags.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from index.config import Config, from_env
from index.embedding import BACKENDS

# search.searcher.MODES, spelled out here: importing the searcher takes ~2 s, too long for
# building the argument parser (tests/scripts/test_cli.py checks the two agree).
SEARCH_MODES = ("hybrid", "dense", "bm25")

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def _config(args: argparse.Namespace) -> Config:
    return from_env().with_overrides(
        corpus_dir=getattr(args, "corpus", None),
        index_dir=getattr(args, "index", None),
        model=getattr(args, "model", None),
        query_prefix=getattr(args, "query_prefix", None),
        passage_prefix=getattr(args, "passage_prefix", None),
        backend=getattr(args, "backend", None),
        k=getattr(args, "k", None),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
    )


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _encoder(config: Config):
    from index.embedding import Encoder

    return Encoder(config)


def _searcher(config: Config):
    from search.searcher import Searcher

    return Searcher(config)


def _filters(args: argparse.Namespace):
    from search.searcher import Filters

    return Filters(
        kind=args.kind or "",
        region=args.region or "",
        indicator=args.indicator or "",
        year=args.year or "",
        lead_unit=args.lead_unit or "",
        doc=getattr(args, "doc", None) or "",
    )


# ------------------------------------------------------------------ commands


def cmd_build(args: argparse.Namespace, full: bool = False) -> int:
    from index.build import is_stale, sync_index

    config = _config(args)
    if getattr(args, "if_stale", False) and not is_stale(config):
        print(f"索引已是最新：{config.index_dir}")
        return 0
    with _progress() as on_stage:
        report = sync_index(
            config, _encoder(config), full=full or getattr(args, "full", False), on_stage=on_stage
        )
    _print_report(report, getattr(args, "json", False))
    return 0


@contextmanager
def _progress() -> Iterator[Callable[[str, float], None]]:
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


def cmd_rebuild(args: argparse.Namespace) -> int:
    return cmd_build(args, full=True)


def _print_report(report, as_json: bool) -> None:
    if as_json:
        _print_json(
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


def cmd_search(args: argparse.Namespace) -> int:
    searcher = _searcher(_config(args))
    result = searcher.search(args.query, k=args.k, mode=args.mode, filters=_filters(args))
    if args.json:
        _print_json([h.to_json() for h in result.hits])
        if result.message:
            print(result.message, file=sys.stderr)
        return 0
    if result.message:
        print(result.message)
    for hit in result.hits:
        print(f"{hit.rank}. [{hit.score:.4f}] {hit.citation.label()}")
        print(f"   {hit.passage.text[:160]}")
    print(f"（{len(result.hits)} 条结果，用时 {result.took_ms:.0f} 毫秒）")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from search.evaluate import evaluate, load_queries

    searcher = _searcher(_config(args))
    queries = load_queries(Path(args.queries))

    def search_fn(q: str) -> list[dict]:
        return [h.to_json() for h in searcher.search(q, k=10, mode=args.mode).hits]

    answer_fn = _answer_fn(searcher) if not args.no_answers else None
    report = evaluate(queries, search_fn, answer_fn)
    if args.hits_out:
        with open(args.hits_out, "w", encoding="utf-8") as f:
            for row in report.rows:
                out = {k: row[k] for k in ("id", "query", "hits", "answer")}
                f.write(json.dumps(out, ensure_ascii=False) + "\n")
    m = report.metrics
    line = (
        f"mode={args.mode} n={m['n']} R@1={m['R@1']:.3f} R@5={m['R@5']:.3f} "
        f"R@10={m['R@10']:.3f} MRR@10={m['MRR@10']:.3f}"
    )
    if "answer_rate" in m:
        line += f" answer_rate={m['answer_rate']:.3f} (n={m['answer_n']})"
    print(line)
    if args.json:
        _print_json(m)
    return 0


def cmd_eval_external(args: argparse.Namespace) -> int:
    from bench.external import SETS, report

    names = SETS if args.set == "all" else (args.set,)
    modes = (args.mode,) if args.mode else ("bm25", "dense", "hybrid")
    for line in report(names, _config(args), modes):
        print(line, flush=True)
    return 0


def _answer_fn(searcher) -> Callable[[str], str | None] | None:
    try:
        from search.answer import Answerer
    except ImportError:
        return None
    answerer = Answerer(searcher)
    return lambda q: answerer.ask(q).text


def cmd_ask(args: argparse.Namespace) -> int:
    from search.answer import Answerer

    searcher = _searcher(_config(args))
    answer = Answerer(searcher).ask(args.question, k=args.k, filters=_filters(args))
    if args.json:
        _print_json(
            {
                "question": args.question,
                "answer": answer.text,
                "kind": answer.kind,
                "confident": answer.confident,
                "notice": answer.notice,
                "citations": [
                    {"n": n, "label": c.label(), **c.__dict__}
                    for n, c in enumerate(answer.citations, 1)
                ],
                "hits": [h.to_json() for h in answer.hits],
            }
        )
        return 0
    if answer.notice:
        print(answer.notice)
    if answer.text:
        print(answer.text)
    for n, c in enumerate(answer.citations, 1):
        print(f"[{n}] {c.label()}")
    if not answer.confident and answer.hits:
        print("最相关的内容：")
        for hit in answer.hits[:3]:
            print(f"  · {hit.citation.label()}\n    {hit.passage.text[:120]}")
    return 0


UNIT_ID = re.compile(r"\S+#(?:case|measure|section)\d+")  # as listed by `yingshang units`
KIND_NAMES = {"case": "案例", "measure": "措施", "section": "内容"}


def cmd_similar(args: argparse.Namespace) -> int:
    from search.searcher import QueryError
    from search.similar import SimilarFinder

    searcher = _searcher(_config(args))
    finder = SimilarFinder(searcher)
    target = args.target.strip()
    copies: tuple[tuple[str, str], ...] = ()
    if target in searcher.units:
        items = finder.similar_to_unit(target, k=args.k)
        source, kind = searcher.unit(target).title, searcher.unit(target).kind
        copies = finder.duplicates_of(target)
    elif UNIT_ID.fullmatch(target):
        raise QueryError(f"索引中没有编号为 {target} 的条目（编号见 yingshang units）。")
    else:
        items = finder.similar_to_text(target, k=args.k, kind=args.kind)
        source, kind = target[:40], args.kind
    if args.json:
        _print_json([item.to_json() for item in items])
        return 0
    print(f"与「{source}」相似的{KIND_NAMES.get(kind, '内容')}：")
    for doc, uid in copies:
        print(f"（同一案例另见《{searcher.doc_title(doc)}》：{uid}）")
    _print_similar(items)
    return 0


def _print_similar(items: list) -> None:
    for n, item in enumerate(items, 1):
        print(f"{n}. [{item.score:.3f}] {item.unit.title}  《{item.doc_title}》  ({item.unit.id})")
        print(f"   {item.reason}")
        for doc, uid in item.duplicates:
            print(f"   同一案例的其他来源：{doc}（{uid}）")
    if not items:
        print("没有找到相似的内容。")


def cmd_units(args: argparse.Namespace) -> int:
    from index.store import load_index

    data = load_index(_config(args).index_dir)
    titles = {d.doc: d.title for d in data.documents}
    rows = []
    for unit in data.units:
        if args.doc and args.doc not in unit.doc and args.doc not in titles.get(unit.doc, ""):
            continue
        if args.kind and unit.kind != args.kind:
            continue
        rows.append(
            {
                **unit.fields(),
                "doc_title": titles.get(unit.doc, unit.doc),
                "start": unit.start,
                "end": unit.end,
            }
        )
    if args.json:
        _print_json(rows)
    else:
        for r in rows:
            print(f"{r['id']}\t{r['kind']}\t{r['title']}")
        print(f"（共 {len(rows)} 个单元）")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from index.store import load_index

    data = load_index(_config(args).index_dir)
    rows = [
        {
            "doc": d.doc,
            "title": d.title,
            "doc_type": d.doc_type,
            "units": d.units,
            "passages": d.passages,
            "added": d.added,
            "layout": d.layout,
        }
        for d in data.documents
    ]
    if args.json:
        _print_json(rows)
    else:
        for r in rows:
            print(
                f"{r['doc']}\t{r['doc_type'] or '-'}\t单元 {r['units']}\t段落 {r['passages']}"
                f"\t{r['added']}"
            )
        print(f"（共 {len(rows)} 个文档）")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from index.build import add_files, sync_index

    config = _config(args)
    rejected = add_files(config, [Path(p) for p in args.paths])
    for r in rejected:
        print(f"[拒绝] {r.doc}  {r.message}", file=sys.stderr)
    with _progress() as on_stage:
        report = sync_index(config, _encoder(config), on_stage=on_stage)
    _print_report(report, args.json)
    return (
        1 if rejected and not report.by_status("added") and not report.by_status("updated") else 0
    )


def cmd_remove(args: argparse.Namespace) -> int:
    from index.build import remove_files, sync_index

    config = _config(args)
    missing = remove_files(config, args.docs)
    for doc in missing:
        print(
            f"[未找到] {doc}：语料目录中没有这个文档（用 `yingshang list` 查看）", file=sys.stderr
        )
    with _progress() as on_stage:
        report = sync_index(config, _encoder(config), on_stage=on_stage)
    _print_report(report, args.json)
    return 1 if missing else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from ui.app import serve

    config = _config(args)
    return serve(config, auth=args.auth, no_auth=args.no_auth, build_if_stale=not args.no_build)


def cmd_bench(args: argparse.Namespace) -> int:
    from scripts.bench import run_from_args

    return run_from_args(args)


# ------------------------------------------------------------------ parser


def _common(p: argparse.ArgumentParser, corpus: bool = False) -> None:
    p.add_argument("--index", help="索引目录（默认 data/index）")
    p.add_argument("--model", help="sentence-transformers 模型：hub id 或本地目录")
    p.add_argument("--query-prefix", dest="query_prefix")
    p.add_argument("--passage-prefix", dest="passage_prefix")
    p.add_argument("--backend", choices=BACKENDS, help="嵌入后端（默认 auto）")
    if corpus:
        p.add_argument("--corpus", help="语料目录（默认 corpus/）")


def _filter_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind", choices=["case", "measure", "section"])
    p.add_argument("--region")
    p.add_argument("--indicator")
    p.add_argument("--year")
    p.add_argument("--lead-unit", dest="lead_unit")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yingshang", description="营商环境案例与政策检索")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="建立或更新索引（只处理变化的文档）")
    _common(p, corpus=True)
    p.add_argument("--if-stale", action="store_true", help="索引已是最新时什么也不做")
    p.add_argument("--full", action="store_true", help="重新解析全部文档")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("rebuild", help="重新解析全部文档并重建索引（向量走缓存）")
    _common(p, corpus=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_rebuild)

    p = sub.add_parser("search", help="检索")
    _common(p)
    p.add_argument("query")
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--mode", choices=SEARCH_MODES, default="hybrid")
    p.add_argument("--doc")
    _filter_flags(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("eval", help="用问题集评估检索")
    _common(p)
    p.add_argument("--queries", required=True)
    p.add_argument("--mode", choices=SEARCH_MODES, default="hybrid")
    p.add_argument("--hits-out", dest="hits_out")
    p.add_argument("--no-answers", action="store_true", help="不计算答案")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser(
        "eval-external", help="在外部问题集（CMRC 2018、NCPQA）和种子问题上评估检索，按文档计"
    )
    _common(p)
    p.add_argument("--set", choices=("all", "seed", "own", "cmrc", "ncpqa"), default="all")
    p.add_argument("--mode", choices=SEARCH_MODES, help="默认三种模式都评估")
    p.set_defaults(func=cmd_eval_external)

    p = sub.add_parser("ask", help="问答：给出带出处的答案")
    _common(p)
    p.add_argument("question")
    p.add_argument("--k", type=int, default=8)
    p.add_argument("--doc")
    _filter_flags(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("similar", help="相似案例：给出单元 id（见 yingshang units）或一段描述")
    _common(p)
    p.add_argument("target", help="案例/措施的 id，或粘贴的一段改革做法描述")
    p.add_argument("--k", type=int, default=5)
    p.add_argument(
        "--kind",
        choices=["case", "measure", "section"],
        default="case",
        help="粘贴描述时要找的类型（给出 id 时与该条目同类）",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_similar)

    p = sub.add_parser("units", help="列出案例、措施等单元")
    _common(p)
    p.add_argument("--doc")
    p.add_argument("--kind", choices=["case", "measure", "section"])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_units)

    p = sub.add_parser("list", help="列出已索引的文档")
    _common(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("add", help="把文件或文件夹加入文档库并更新索引")
    _common(p, corpus=True)
    p.add_argument("paths", nargs="+")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("remove", help="从文档库移除文档并更新索引")
    _common(p, corpus=True)
    p.add_argument("docs", nargs="+", help="文档路径（相对语料目录，见 yingshang list）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("serve", help="启动网页")
    _common(p, corpus=True)
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--auth", help="用户名:密码（绑定非本机地址时必需）")
    p.add_argument("--no-auth", action="store_true", help="明确允许无密码对外服务")
    p.add_argument("--no-build", action="store_true", help="启动时不检查/更新索引")
    p.set_defaults(func=cmd_serve)

    from scripts.bench import add_arguments as bench_arguments

    p = sub.add_parser("bench", help="性能基准：嵌入吞吐、检索/问答延迟、内存、合成大语料")
    bench_arguments(p)
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from index.store import IndexError_

    try:
        return int(args.func(args) or 0)
    except (IndexError_, ValueError, OSError, RuntimeError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
