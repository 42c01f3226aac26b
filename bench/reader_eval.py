"""The span selector measured out of fold through the product (search + answer), NCPQA dev.

Each fold's selector (bench/span_selector.py) answers the questions of the documents it was
not trained on, through `Answerer.ask` over the NCPQA index exactly as `yingshang eval`
does; the out-of-fold F1 is the mean character F1 over all the questions (of the answer's
words, `bench.evaluate.answer_words`; with its citation marks counted beside it). The same run
with the selector off gives the sentence extracts' F1 on the same questions, side by side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.evaluate import EvalReport, evaluate, load_queries
from index.config import Config


@dataclass(frozen=True)
class FoldResult:
    fold: str
    n: int
    f1_selector: float
    f1_extracts: float
    f1_marked: float  # the selector's answers with their citation marks counted
    selector_share: float  # of the questions, answered by the reader
    rows: list[dict]


def _run(config: Config, queries: Sequence[dict]) -> EvalReport:
    from search.answer import Answerer
    from search.searcher import Searcher

    searcher = Searcher(config)
    answerer = Answerer(searcher)
    return evaluate(
        queries, lambda q: [h.to_json() for h in searcher.search(q, k=10).hits], answerer.ask
    )


def out_of_fold(config: Config, fold_dirs: Sequence[Path]) -> tuple[dict, list[FoldResult]]:
    """Per fold and overall: F1 with the fold's reader, and with the reader off."""
    results = []
    for folder in fold_dirs:
        queries = load_queries(Path(folder) / "queries.jsonl")
        on = _run(config.with_overrides(reader="auto", reader_dir=folder), queries)
        off = _run(config.with_overrides(reader="off"), queries)
        share = sum(r["kind"] == "span" for r in on.rows) / max(1, len(on.rows))
        results.append(
            FoldResult(
                Path(folder).name,
                len(queries),
                on.metrics.get("char_f1", 0.0),
                off.metrics.get("char_f1", 0.0),
                on.metrics.get("char_f1_marked", 0.0),
                share,
                on.rows,
            )
        )
    n = sum(r.n for r in results)
    summary = {
        "ncpqa_dev_out_of_fold_char_f1": round(sum(r.f1_selector * r.n for r in results) / n, 4),
        "ncpqa_dev_extracts_char_f1": round(sum(r.f1_extracts * r.n for r in results) / n, 4),
        "ncpqa_dev_out_of_fold_char_f1_marked": round(
            sum(r.f1_marked * r.n for r in results) / n, 4
        ),
        "selector_share": round(sum(r.selector_share * r.n for r in results) / n, 4),
        "n": n,
        "folds": {
            r.fold: {
                "n": r.n,
                "selector": round(r.f1_selector, 4),
                "extracts": round(r.f1_extracts, 4),
            }
            for r in results
        },
    }
    return summary, results
