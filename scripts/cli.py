"""`yingshang` command line: thin wrappers over `index`, `search` and `bench`.

Every command accepts --index DIR and --config FILE; settings come from the Config defaults,
then the config file, then YINGSHANG_* environment variables, then flags (scripts/settings.py).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from index.config import REPO_ROOT, Config
from index.embedding import BACKENDS
from index.facets import DOC_TYPES
from index.types import KIND_NAMES, UNIT_KINDS
from scripts.common import (
    config_from_args,
    filters_from_args,
    make_encoder,
    make_searcher,
    print_json,
    print_report,
    progress,
    unit_by_title,
)
from scripts.settings import load_config

# search.searcher.MODES, spelled out here: importing the searcher takes ~2 s, too long for
# building the argument parser (tests/scripts/test_cli.py checks the two agree).
SEARCH_MODES = ("hybrid", "dense", "bm25")

# The question sets `CONFIDENCE_THRESHOLD` was calibrated on (search/answer.py).
DEFAULT_CALIBRATION_QUERIES = (
    REPO_ROOT / "eval" / "own_queries.jsonl",
    REPO_ROOT.parent / "shared" / "eval" / "seed_queries.jsonl",
)

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


# ------------------------------------------------------------------ commands


def cmd_build(args: argparse.Namespace, full: bool = False) -> int:
    from index.build import is_stale, sync_index

    config = config_from_args(args)
    if getattr(args, "if_stale", False) and not is_stale(config):
        print(f"索引已是最新：{config.index_dir}")
        return 0
    with progress() as on_stage:
        report = sync_index(
            config,
            make_encoder(config),
            full=full or getattr(args, "full", False),
            on_stage=on_stage,
        )
    print_report(report, getattr(args, "json", False))
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    return cmd_build(args, full=True)


def cmd_search(args: argparse.Namespace) -> int:
    searcher = make_searcher(config_from_args(args))
    result = searcher.search(args.query, k=args.k, mode=args.mode, filters=filters_from_args(args))
    if args.json:
        print_json([h.to_json() for h in result.hits])
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
    from bench.evaluate import evaluate, load_queries

    config = config_from_args(args)
    searcher = make_searcher(config)
    queries = load_queries(Path(args.queries))

    def search_fn(q: str) -> list[dict]:
        return [h.to_json() for h in searcher.search(q, k=10, mode=args.mode).hits]

    answer_fn = None if args.no_answers else _answer_fn(_answerer(searcher, config), args.k)
    report = evaluate(queries, search_fn, answer_fn)
    if args.hits_out:
        with open(args.hits_out, "w", encoding="utf-8") as f:
            for out in report.hits_out_rows():
                f.write(json.dumps(out, ensure_ascii=False) + "\n")
    m = report.metrics
    line = (
        f"mode={args.mode} n={m['n']} R@1={m['R@1']:.3f} R@5={m['R@5']:.3f} "
        f"R@10={m['R@10']:.3f} MRR@10={m['MRR@10']:.3f}"
    )
    if "answer_rate" in m:
        line += f" answer_rate={m['answer_rate']:.3f} (n={m['answer_n']})"
    if "char_f1" in m:
        line += (
            f" char_f1={m['char_f1']:.3f} (n={m['char_f1_n']}; "
            f"citation marks counted: {m['char_f1_marked']:.3f})"
        )
    print(line)
    if any(row["type"] for row in report.rows) and report.by_type:
        print("answer rate by type (none = not confident):")
        print("\n".join(report.type_table()))
    if answer_fn is not None:
        print(report.confidence_line())
    if args.json:
        print_json(m)
    return 0


def cmd_eval_sets(args: argparse.Namespace) -> int:
    from bench.answer_sets import answer_set_files, moved, run_sets, set_line, summary_lines

    config = config_from_args(args)
    files = answer_set_files(Path(args.eval_dir), _names(args.sets))
    if not files:
        print(f"没有找到问题集：{args.eval_dir}/answer_types_*.jsonl")
        return 1
    if args.compare and not sorted(Path(args.compare).glob("*.jsonl")):
        # Said before the run (minutes), not as "+0 −0" after it.
        print(f"没有找到要比较的结果：{args.compare}/*.jsonl（先用 --out 保存一次运行）")
        return 1
    out = Path(args.out) if args.out else Path(config.index_dir).parent / "eval-sets" / "latest"
    if args.compare and Path(args.compare).resolve() == out.resolve():
        print(f"要比较的结果就是这次的输出目录（{out}）：请用 --out 另给一个目录")
        return 1
    blind = _names(args.blind)
    searcher = make_searcher(config)

    def search_fn(q: str) -> list[dict]:
        return [h.to_json() for h in searcher.search(q, k=10).hits]

    reports = run_sets(
        files,
        search_fn,
        _answer_fn(_answerer(searcher, config), args.k),
        out,
        on_set=lambda name, report: print(set_line(name, report), flush=True),
    )
    print("\n".join(summary_lines(reports, blind)))
    print(f"每题结果已写入 {out}")
    if args.compare:
        print(f"与 {args.compare} 相比（盲测集和留出集只给条数）：")
        print("\n".join(moved(Path(args.compare), out, blind)))
    return 0


def _names(text: str | None) -> list[str]:
    """A comma-separated list of names ("" or None: none)."""
    return [n.strip() for n in (text or "").split(",") if n.strip()]


def cmd_eval_external(args: argparse.Namespace) -> int:
    from bench.external import SETS, report

    names = SETS if args.set == "all" else (args.set,)
    modes = (args.mode,) if args.mode else ("bm25", "dense", "hybrid")
    for line in report(names, config_from_args(args), modes):
        print(line, flush=True)
    return 0


def cmd_tune(args: argparse.Namespace) -> int:
    from index.build import is_stale, sync_index
    from index.tuning import TuneSettings, tune_corpus

    config = config_from_args(args)
    out = Path(args.out) if args.out else Path(config.index_dir).parent / "models" / "tuned"
    settings = TuneSettings(epochs=args.epochs, max_pairs=args.max_pairs)
    print(f"用语料 {config.corpus_dir} 微调 {config.model}（最多 {args.max_pairs} 对样本）…")
    if is_stale(config):  # pairs come from the corpus's index: bring it up to date first
        with progress() as on_stage:
            sync_index(config, make_encoder(config), on_stage=on_stage)
    with progress() as on_stage:

        def steps(done: int, total: int) -> None:
            on_stage(f"正在训练 第 {done}/{total} 步", done / max(1, total))

        report = tune_corpus(config, out, settings, progress=steps)
    kinds = "、".join(f"{k} {v}" for k, v in sorted(report.by_source.items()))
    print(
        f"已写入模型 {report.out_dir}：{report.pairs} 对样本（{kinds}），"
        f"{report.steps} 步，用时 {report.seconds:.0f} 秒。"
    )
    print("使用方法：先用新模型重建索引，之后检索、问答和网页都要用同一个模型：")
    print(f"  yingshang rebuild --model {report.out_dir}")
    print(
        f"  yingshang serve --model {report.out_dir}   （或 export YINGSHANG_MODEL={report.out_dir}）"
    )
    return 0


def cmd_train_reader(args: argparse.Namespace) -> int:
    from bench.external import SHARED_EVAL, build_set, load_set
    from bench.span_selector import WRITTEN_QUESTIONS, record_card, train_selector

    config = config_from_args(args)
    out = Path(args.out) if args.out else Path(config.index_dir).parent / "span_selector"
    if args.splits < 0 or args.product_splits < 0:
        print("--splits / --product-splits 须是正整数（划分的个数）。")
        return 2
    measuring = args.splits or args.product_splits  # refits folds of its own
    if args.evaluate_only and not measuring and not sorted(out.glob("fold-*")):
        # Said before the NCPQA build (minutes), not as a division by zero after it.
        print(f"没有找到交叉验证的区间选择器（{out}/fold-*）：请先运行 yingshang train-reader。")
        return 1
    ncpqa = build_set(load_set("ncpqa", config), config)  # the passages the product reads
    queries = SHARED_EVAL / "ncpqa_dev" / "queries.jsonl"
    written = None if args.no_written else Path(args.written or WRITTEN_QUESTIONS)
    if written is not None and not written.is_file():
        print(f"没有找到补充训练问题文件 {written}（--no-written 只用 NCPQA 自己的问题）。")
        return 2
    if args.splits:
        return _reader_splits(ncpqa, queries, args.splits, written)
    if args.product_splits:
        return _reader_product_splits(ncpqa, queries, args.product_splits, written, out)
    shipped = Path(config.reader_dir)
    if not args.evaluate_only:
        print("拟合答案区间选择器（NCPQA dev，按文档两折交叉验证）…")
        _, info = train_selector(ncpqa.with_overrides(llm="off"), queries, out, shipped, written)
        print(f"已写入 {shipped / 'span_selector.json'}；{info}")
    summary = reader_folds(ncpqa, sorted(out.glob("fold-*")))
    if not args.evaluate_only:  # the shipped card records how its folds did in the product
        record_card(shipped / "span_selector.json", {"product_out_of_fold": summary})
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def _reader_splits(ncpqa: Config, queries: Path, splits: int, written: Path | None) -> int:
    """Offline F1 of refitted selectors over `splits` other two-fold splits (writes nothing)."""
    from bench.span_selector import split_means, training_rows

    print(f"在 {splits} 种其他的两折文档划分上离线重拟合并评估（不写出任何文件）…")
    rows = training_rows(ncpqa.with_overrides(llm="off"), queries, written)
    means = split_means(rows, splits)
    each = "、".join(f"{m:.4f}" for m in means)
    print(
        f"离线所选区间 F1（折外，区间选择器回答的问题）：平均 {sum(means) / len(means):.4f}（各划分 {each}）"
    )
    return 0


def _reader_product_splits(
    ncpqa: Config, queries: Path, splits: int, written: Path | None, out: Path
) -> int:
    """Out-of-fold F1 through search + answer on two-fold splits 0..`splits`-1 of the
    documents, each split's selectors refitted into `out`/split-<s>; the shipped selector is
    not touched."""
    from bench.span_selector import training_rows, write_split_folds

    print(f"在 {splits} 种两折文档划分上重拟合，经检索和回答逐一评估（不改动发布的选择器）…")
    rows = training_rows(ncpqa.with_overrides(llm="off"), queries, written)
    scores = []
    for split in range(splits):
        print(f"划分 {split}：")
        folders = write_split_folds(rows, split, out / f"split-{split}")
        scores.append(reader_folds(ncpqa, folders)["ncpqa_dev_out_of_fold_char_f1"])
    each = "、".join(f"{s:.4f}" for s in scores)
    print(f"NCPQA dev 折外字符 F1（经产品）：平均 {sum(scores) / len(scores):.4f}（各划分 {each}）")
    return 0


def reader_folds(ncpqa: Config, folds: list[Path]) -> dict:
    """Out-of-fold F1 of the span selectors in `folds` through search + answer, printed."""
    from bench.reader_eval import out_of_fold

    summary, results = out_of_fold(ncpqa.with_overrides(llm="off"), folds)
    for r in results:
        print(
            f"  {r.fold}: n={r.n} 区间选择器 F1={r.f1_selector:.3f}，句子摘录 F1={r.f1_extracts:.3f}，"
            f"由区间选择器回答 {r.selector_share:.0%}"
        )
    print(
        f"NCPQA dev 交叉验证（折外）字符 F1：{summary['ncpqa_dev_out_of_fold_char_f1']:.3f}"
        f"（同样问题用句子摘录：{summary['ncpqa_dev_extracts_char_f1']:.3f}；"
        f"引用标记计入字符时：{summary['ncpqa_dev_out_of_fold_char_f1_marked']:.3f}）"
    )
    return summary


def _answerer(searcher, config: Config):
    """The answerer of `ask` and `eval`: generated answers whenever they are configured."""
    from search.answer import Answerer
    from search.llm import generator_for

    return Answerer(searcher, generator=generator_for(config))


def _answer_fn(answerer, k: int = 8) -> Callable[[str], object]:
    """The whole Answer from `k` hits (eval reads its text, kind and confidence)."""
    return lambda question: answerer.ask(question, k=k)


def cmd_eval_similar(args: argparse.Namespace) -> int:
    from bench.similar_labels import (
        compare_representations,
        default_labels_path,
        load_labels,
        print_table,
    )
    from search.similar import INDICATOR_BONUS, SAME_DOC_PENALTY

    searcher = make_searcher(config_from_args(args))
    path = Path(args.labels) if args.labels else default_labels_path()
    labels, missing = load_labels(path, searcher.index.current.units)
    print(f"标注 {len(labels)} 条；未能对应的标题 {len(missing)} 个")
    for m in missing:
        print("  未对应：", m)
    settings = [
        (float(p), float(b))
        for p, b in (s.split(":") for s in args.settings.split(",") if s.strip())
    ] or [(SAME_DOC_PENALTY, INDICATOR_BONUS)]
    print_table("条目→相似条目", compare_representations(searcher, labels, settings=settings))
    if args.text_mode:
        print_table(
            "粘贴文本（案例首段）→相似案例",
            compare_representations(searcher, labels, settings=settings, text_mode=True),
        )
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from bench.calibration import calibrate
    from bench.evaluate import load_queries
    from search.answer import Answerer

    paths = [Path(q) for q in args.queries] if args.queries else DEFAULT_CALIBRATION_QUERIES
    queries = [q for path in paths for q in load_queries(path) if q.get("answer")]
    result = calibrate(Answerer(make_searcher(config_from_args(args))), queries)
    if args.json:
        print_json(result.__dict__)
        return 0
    print(
        f"校准阈值 {result.threshold:.4f}（J={result.j:.3f}）；当前 CONFIDENCE_THRESHOLD "
        f"{result.recorded}（J={result.recorded_j:.3f}）；"
        f"答对 {result.answered} 个，未答对或无法回答 {result.unanswered} 个"
    )
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    answerer = _answerer(make_searcher(config), config)
    answer = answerer.ask(args.question, k=args.k, filters=filters_from_args(args))
    if args.json:
        print_json(
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
    # As on the page: an answer that is not confident is not printed as one (it invites
    # copying); the notice and the best sources are (`--json` still carries the text).
    if answer.text and answer.confident:
        print("\n".join(answer.lines))
        for n, c in enumerate(answer.citations, 1):
            print(f"[{n}] {c.label()}")
    if not answer.confident and answer.hits:
        print("最相关的内容：")
        for hit in answer.hits[:3]:
            print(f"  · {hit.citation.label()}\n    {hit.passage.text[:120]}")
    return 0


UNIT_ID = re.compile(rf"\S+#(?:{'|'.join(UNIT_KINDS)})\d+")  # as listed by `yingshang units`


def cmd_similar(args: argparse.Namespace) -> int:
    from search.searcher import QueryError
    from search.similar import DEFAULT_REPRESENTATION, SimilarFinder

    searcher = make_searcher(config_from_args(args))
    finder = SimilarFinder(searcher, args.representation or DEFAULT_REPRESENTATION)
    snap = searcher.index.current
    target = args.target.strip()
    copies: tuple[tuple[str, str], ...] = ()
    by_title = "" if snap.has_unit(target) else unit_by_title(snap.units, target)
    if by_title:
        print(f"（按标题找到条目 {by_title}）", file=sys.stderr)
        target = by_title
    unit = snap.unit(target)
    if unit is not None:
        items = finder.similar_to_unit(target, k=args.k)
        source, kind = unit.title, unit.kind
        copies = finder.duplicates_of(target)
    elif UNIT_ID.fullmatch(target):
        raise QueryError(f"索引中没有编号为 {target} 的条目（编号见 yingshang units）。")
    else:
        print("（未找到同名条目，按描述文字查找）", file=sys.stderr)
        items = finder.similar_to_text(target, k=args.k, kind=args.kind)
        source, kind = target[:40], args.kind
    if args.json:
        print_json([item.to_json() for item in items])
        return 0
    print(f"与「{source}」相似的{KIND_NAMES.get(kind, '内容')}：")
    for doc, uid in copies:
        print(f"（同一案例另见《{snap.doc_title(doc)}》：{uid}）")
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

    data = load_index(config_from_args(args).index_dir)
    titles = {d.doc: d.title for d in data.documents}
    docs = {d.doc: d for d in data.documents}
    filters = filters_from_args(args)
    rows = []
    for unit in data.units:
        if args.doc and args.doc not in unit.doc and args.doc not in titles.get(unit.doc, ""):
            continue
        if not filters.matches(unit, docs.get(unit.doc)):
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
        print_json(rows)
    else:
        for r in rows:
            print(f"{r['id']}\t{r['kind']}\t{r['title']}")
        print(f"（共 {len(rows)} 个单元）")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from index.library import list_quarantine
    from index.store import load_index

    config = config_from_args(args)
    data = load_index(config.index_dir)
    rows = [
        {
            "doc": d.doc,
            "title": d.title,
            "doc_type": d.doc_type,
            "issuer": d.issuer,
            "doc_number": d.doc_number,
            "date": d.date,
            "region": d.region,
            "units": d.units,
            "passages": d.passages,
            "added": d.added,
            "layout": d.layout,
        }
        for d in data.documents
    ]
    quarantined = list_quarantine(config.corpus_dir)
    if args.json:
        print_json(rows)
        return 0
    for r in rows:
        print(
            f"{r['doc']}\t{r['doc_type'] or '-'}\t单元 {r['units']}\t段落 {r['passages']}"
            f"\t{r['added']}"
        )
    print(f"（共 {len(rows)} 个文档）")
    if quarantined:
        print("\n隔离区（未能加入的文件）：")
        _print_quarantine(quarantined, False)
    return 0


PLACEMENT_NAMES = {
    "added": "加入",
    "renamed": "改名加入",
    "replaced": "替换",
    "unchanged": "已在库中",
    "duplicate": "重复已跳过",
    "rejected": "拒绝",
}


def cmd_add(args: argparse.Namespace) -> int:
    from index.build import sync_index
    from index.library import add_to_library
    from index.store import writer_lock

    config = config_from_args(args)
    # One lock over copying and indexing: a second add waits before copying anything,
    # and no other writer slips in between.
    with writer_lock(config.index_dir, config.lock_timeout_s):
        result = add_to_library(
            config,
            [Path(p) for p in args.paths],
            replace=args.replace,
            follow_links=args.follow_links,
        )
        for p in result.placements:
            if p.status == "added":
                continue  # the index report below lists it
            out = sys.stderr if p.status in ("rejected", "duplicate") else sys.stdout
            shown = p.source if p.doc in ("", p.source) else f"{p.source} → {p.doc}"
            print(f"[{PLACEMENT_NAMES[p.status]}] {shown}  {p.message}", file=out)
        with progress() as on_stage:
            report = sync_index(config, make_encoder(config), on_stage=on_stage)
    print_report(report, args.json)
    indexed = report.by_status("added") or report.by_status("updated")
    return 1 if result.refused and not result.accepted and not indexed else 0


def cmd_remove(args: argparse.Namespace) -> int:
    from index.build import remove_files, sync_index

    config = config_from_args(args)
    missing = remove_files(config, args.docs)
    for doc in missing:
        print(
            f"[未找到] {doc}：语料目录中没有这个文档（用 `yingshang list` 查看）", file=sys.stderr
        )
    with progress() as on_stage:
        report = sync_index(config, make_encoder(config), on_stage=on_stage)
    print_report(report, args.json)
    return 1 if missing else 0


def cmd_quarantine(args: argparse.Namespace) -> int:
    from index.library import delete_quarantined, list_quarantine

    config = config_from_args(args)
    if args.action == "delete":
        if not args.names:
            raise ValueError("请给出要删除的隔离文件名（见 yingshang quarantine list）")
        missing = [n for n in args.names if not delete_quarantined(config.corpus_dir, n)]
        for name in args.names:
            if name not in missing:
                print(f"[已删除] {name}")
        for name in missing:
            print(f"[未找到] {name}：隔离区中没有这个文件", file=sys.stderr)
        return 1 if missing else 0
    _print_quarantine(list_quarantine(config.corpus_dir), args.json)
    return 0


def _print_quarantine(items: list, as_json: bool) -> None:
    if as_json:
        print_json([item.__dict__ for item in items])
        return
    for item in items:
        print(f"{item.name}\t{item.time.replace('T', ' ')}\t{item.reason}")
    print(
        f"（隔离区共 {len(items)} 个文件，未编入索引；可用 yingshang quarantine delete 文件名 删除）"
    )


def cmd_serve(args: argparse.Namespace) -> int:
    from ui.app import serve

    if args.index and not args.corpus:
        # Uploads go to the corpus: never into this repository's corpus/ for another index.
        beside = Path(args.index).resolve().parent / "corpus"
        if not beside.is_dir():
            raise ValueError(
                f"用 --index 指定索引时请同时用 --corpus 指定语料目录"
                f"（上传的文档保存在那里；或在索引旁建立 {beside}）。"
            )
        args.corpus = str(beside)
        print(f"语料目录：{beside}", file=sys.stderr)
    config = config_from_args(args)
    return serve(config, auth=args.auth, no_auth=args.no_auth, build_if_stale=not args.no_build)


def cmd_bench(args: argparse.Namespace) -> int:
    from bench import performance

    config = load_config(args.config).with_overrides(corpus_dir=args.corpus, backend=args.backend)
    if args.store == "milvus":
        return _bench_milvus(args, config)
    overrides: dict = {}
    if args.backends:
        overrides["backends"] = _names(args.backends)
    if args.scales:
        overrides["scales"] = [int(float(n)) for n in _names(args.scales)]
    if args.embed_limit is not None:
        overrides["embed_limit"] = args.embed_limit or None
    result = performance.run(
        config,
        quick=args.quick,
        queries=Path(args.queries) if args.queries else performance.SHARED_QUERIES,
        log=lambda msg: print(msg, file=sys.stderr, flush=True),
        overrides=overrides,
    )
    result["command"] = " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])
    print(performance.format_table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2), "utf-8")
    return 0


def _bench_milvus(args: argparse.Namespace, config) -> int:
    from bench import milvus_bench

    sizes = [int(float(n)) for n in (args.scales or "100000").split(",") if n.strip()]
    results = []
    for n in sizes:
        result = milvus_bench.run(
            config,
            n,
            uri=args.milvus_uri or "",
            token=config.milvus_token,
            log=lambda msg: print(msg, file=sys.stderr, flush=True),
        )
        print(milvus_bench.format_table(result))
        results.append(result)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), "utf-8")
    return 0


# ------------------------------------------------------------------ parser


CONFIG_HELP = "配置文件（默认 ./yingshang.toml 或 ~/.config/yingshang/config.toml）"


def _common(p: argparse.ArgumentParser, corpus: bool = False) -> None:
    p.add_argument("--index", help="索引目录（默认 data/index）")
    p.add_argument("--model", help="sentence-transformers 模型：hub id 或本地目录")
    p.add_argument("--query-prefix", dest="query_prefix")
    p.add_argument("--passage-prefix", dest="passage_prefix")
    p.add_argument("--backend", choices=BACKENDS, help="嵌入后端（默认 auto）")
    p.add_argument("--config", help=CONFIG_HELP)
    p.add_argument(
        "--store",
        choices=("local", "milvus"),
        help="检索存储：local（索引目录中的 FAISS + BM25，默认）或 milvus；建立后记入索引，之后无需再给",
    )
    p.add_argument(
        "--milvus-uri",
        dest="milvus_uri",
        help="Milvus 地址：以 .db 结尾的路径 = Milvus Lite（默认 索引目录/milvus.db），"
        "http://主机:19530 = Milvus 服务器或集群；口令用环境变量 YINGSHANG_MILVUS_TOKEN",
    )
    p.add_argument(
        "--milvus-collection", dest="milvus_collection", help="Milvus 中的索引名（默认 索引目录名）"
    )
    if corpus:
        p.add_argument("--corpus", help="语料目录（默认 corpus/）")


def _llm_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--llm",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="生成式回答：--llm 必须使用（未配置时报错），--no-llm 不用；默认配置了就用",
    )


def _filter_flags(p: argparse.ArgumentParser, kind: bool = True) -> None:
    if kind:
        p.add_argument("--kind", choices=UNIT_KINDS)
    p.add_argument("--region", help="地区，如 广西、北海市")
    p.add_argument("--indicator", help="指标，同义写法通用（企业开办 = 开办企业）")
    p.add_argument("--year", help="年份：文档日期或完成时限的年份")
    p.add_argument("--lead-unit", dest="lead_unit", help="牵头单位，简称通用")
    p.add_argument("--doc-type", dest="doc_type", choices=DOC_TYPES)


K_MAX = 100


def _k_value(raw: str) -> int:
    """--k: an integer from 1 to K_MAX (a negative k used to return every hit)."""
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--k 应为整数，收到“{raw}”") from None
    if not 1 <= value <= K_MAX:
        raise argparse.ArgumentTypeError(f"--k 应在 1 到 {K_MAX} 之间，收到 {value}")
    return value


# Arguments that are text for the search, not paths: bytes the terminal could not decode
# as UTF-8 arrive as lone surrogates (PEP 383) and would fail deep inside with a traceback.
TEXT_ARGS = ("query", "question", "target", "region", "indicator", "year", "lead_unit", "doc")


def _undecodable_text(args: argparse.Namespace) -> str | None:
    for name in TEXT_ARGS:
        value = getattr(args, name, None)
        if isinstance(value, str) and re.search("[\ud800-\udfff]", value):
            return name
    return None


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
    p.add_argument("--k", type=_k_value, default=10, help="结果条数（1–100）")
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
    p.add_argument(
        "--k", type=_k_value, default=8, help="回答读取的结果条数（默认 8，同 ask；网页用 12）"
    )
    _llm_flag(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser(
        "eval-sets",
        help="一次评估 eval/ 下全部答案问题集；盲测集和留出集只报汇总，不显示逐题结果",
    )
    _common(p)
    p.add_argument(
        "--eval-dir",
        dest="eval_dir",
        default=str(REPO_ROOT / "eval"),
        help="问题集目录（默认 eval/）",
    )
    p.add_argument("--sets", help="只评估名称含这些字样的问题集（逗号分隔）")
    p.add_argument("--blind", help="盲测集（未读过的问题集）名称，逗号分隔：只报汇总")
    p.add_argument("--out", help="逐题结果目录（默认 data/eval-sets/latest）")
    p.add_argument("--compare", help="与另一次运行的结果目录比较：列出得失的题目")
    p.add_argument("--k", type=_k_value, default=8, help="回答读取的结果条数（默认 8）")
    _llm_flag(p)
    p.set_defaults(func=cmd_eval_sets)

    p = sub.add_parser(
        "eval-external", help="在外部问题集（CMRC 2018、NCPQA）和种子问题上评估检索，按文档计"
    )
    _common(p)
    p.add_argument("--set", choices=("all", "seed", "own", "cmrc", "ncpqa"), default="all")
    p.add_argument("--mode", choices=SEARCH_MODES, help="默认三种模式都评估")
    p.set_defaults(func=cmd_eval_external)

    p = sub.add_parser(
        "tune", help="用自己的语料微调嵌入模型（伪问题取自标题和句子），写出新模型目录"
    )
    _common(p, corpus=True)
    p.add_argument("--out", help="新模型目录（默认 data/models/tuned）")
    p.add_argument("--epochs", type=int, default=1, help="训练轮数（默认 1）")
    p.add_argument(
        "--max-pairs",
        dest="max_pairs",
        type=int,
        default=1000,
        help="最多用多少对样本（默认 1000）",
    )
    p.set_defaults(func=cmd_tune)

    p = sub.add_parser(
        "train-reader",
        help="拟合答案区间选择器（NCPQA dev，按文档两折交叉验证），写出 search/data/span_selector.json",
    )
    _common(p)
    p.add_argument("--out", help="各折的输出目录（默认 data/span_selector）")
    p.add_argument(
        "--evaluate-only", dest="evaluate_only", action="store_true", help="只评估已拟合的各折"
    )
    p.add_argument(
        "--splits",
        type=int,
        default=0,
        help="只测量：在 N 种其他的两折文档划分上离线重拟合，打印所选区间 F1 的平均（不写文件）",
    )
    p.add_argument(
        "--product-splits",
        dest="product_splits",
        type=int,
        default=0,
        help="只测量：在划分 0..N-1 上各自重拟合两折，经检索和回答评估，打印各划分的折外 F1 与平均"
        "（写入 --out/split-<k>，不改动发布的选择器）",
    )
    p.add_argument(
        "--written",
        help="补充训练问题（同一批 NCPQA 文档上按其风格编写，只用于训练、不计分；"
        "默认 eval/ncpqa_train_written.jsonl）",
    )
    p.add_argument(
        "--no-written",
        dest="no_written",
        action="store_true",
        help="只用 NCPQA 自己的问题拟合（与补充问题对比时用）",
    )
    p.set_defaults(func=cmd_train_reader)

    p = sub.add_parser("ask", help="问答：给出带出处的答案")
    _common(p)
    p.add_argument("question")
    p.add_argument("--k", type=_k_value, default=8, help="结果条数（1–100）")
    _llm_flag(p)
    p.add_argument("--doc")
    _filter_flags(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("similar", help="相似案例：给出单元 id（见 yingshang units）或一段描述")
    _common(p)
    p.add_argument("target", help="案例/措施的 id 或标题，或粘贴的一段改革做法描述")
    p.add_argument("--k", type=_k_value, default=5, help="结果条数（1–100）")
    p.add_argument(
        "--kind",
        choices=UNIT_KINDS,
        default="case",
        help="粘贴描述时要找的类型（给出 id 时与该条目同类）",
    )
    p.add_argument("--representation", help="单元的表示方式（默认 hybrid；比较见 eval-similar）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_similar)

    p = sub.add_parser("units", help="列出案例、措施等单元")
    _common(p, corpus=True)
    p.add_argument("--doc")
    p.add_argument("--kind", choices=UNIT_KINDS)
    _filter_flags(p, kind=False)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_units)

    p = sub.add_parser("list", help="列出已索引的文档（及隔离区中的文件）")
    _common(p, corpus=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("add", help="把文件或文件夹加入文档库并更新索引")
    _common(p, corpus=True)
    p.add_argument("paths", nargs="+")
    p.add_argument(
        "--replace",
        action="store_true",
        help="同名的不同文件替换旧文件（旧版本连同元数据移到 .removed/）；默认以新名称加入",
    )
    p.add_argument(
        "--follow-links", action="store_true", help="添加符号链接所指向的文件（默认拒绝）"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("quarantine", help="查看或删除隔离区中未能加入的文件")
    _common(p, corpus=True)
    p.add_argument("action", choices=["list", "delete"])
    p.add_argument("names", nargs="*", help="要删除的文件名（delete 时）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_quarantine)

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
    _llm_flag(p)
    p.set_defaults(func=cmd_serve)

    from scripts.briefing_cli import add_parsers as briefing_parsers

    briefing_parsers(sub, _common)

    p = sub.add_parser("eval-similar", help="在标注集上评估相似案例（比较各种表示方式）")
    _common(p)
    p.add_argument("--labels", help="标注文件（默认 eval/similar_cases.jsonl）")
    p.add_argument(
        "--settings",
        default="",
        help="同文档降权:指标加分，逗号分隔，如 0:0,1:0.5（默认只用当前设置）",
    )
    p.add_argument("--text-mode", action="store_true", help="另外用案例首段作粘贴文本评估")
    p.set_defaults(func=cmd_eval_similar)

    p = sub.add_parser("calibrate", help="校准问答的置信度阈值（打印结果，不修改代码）")
    _common(p)
    p.add_argument(
        "--queries",
        action="append",
        help="带答案的问题集，可重复（默认 eval/own_queries.jsonl 和共享的 seed_queries.jsonl）",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_calibrate)

    p = sub.add_parser("bench", help="性能基准：嵌入吞吐、检索/问答延迟、内存、合成大语料")
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
    p.add_argument("--config", help=CONFIG_HELP)
    p.add_argument(
        "--store",
        choices=("local", "milvus"),
        default="local",
        help="milvus：在同样的合成段落上比较两种存储的建立时间与检索延迟（不含模型）",
    )
    p.add_argument(
        "--milvus-uri", dest="milvus_uri", help="--store milvus 时的 Milvus 地址（默认临时 Lite）"
    )
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    bad = _undecodable_text(args)
    if bad is not None:
        print(
            f"错误：参数 {bad} 中有无法按 UTF-8 解码的字节（可能是 GBK 等其他编码的文字）；"
            "请把终端设为 UTF-8 后重新输入。",
            file=sys.stderr,
        )
        return 2
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
