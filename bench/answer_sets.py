"""Every answer set in one run (`yingshang eval-sets`); blind sets are told by aggregates only.

The question sets of `eval/` (`answer_types_*.jsonl` and `own_queries.jsonl`) go through the
same search and answers as `yingshang eval`, in one process, and each row's outcome (id,
type, answered, confident, kind, answer, first relevant rank) is written to
`<out>/<set>.jsonl`. A set still blind (written by someone who never saw the code and not yet
read: `blind`) and the held-out set are reported by their aggregates only — the answer rate by
type and the confidence line — in the summary and when two runs are compared (`moved`): every
change can be measured on them without anybody reading a row. Readable sets list the rows a
change gained or lost, by id.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from bench.evaluate import EvalReport, evaluate, load_queries

HELD_OUT = "answer_types_holdout"
ROW_KEYS = ("id", "query", "type", "answered", "confident", "kind", "answer")


def answer_set_files(eval_dir: Path, only: Sequence[str] = ()) -> list[Path]:
    """The answer sets of `eval_dir`, by name; with `only`, those whose name holds one of them."""
    files = sorted(eval_dir.glob("answer_types_*.jsonl"))
    own = eval_dir / "own_queries.jsonl"
    files += [own] if own.exists() else []
    return [f for f in files if not only or any(o in f.stem for o in only)]


def is_aggregate_only(name: str, blind: Iterable[str]) -> bool:
    """Whether a set is told by its aggregates only: a blind set, or the held-out one."""
    return name == HELD_OUT or any(b and b in name for b in blind)


def run_sets(
    files: Sequence[Path],
    search_fn: Callable[[str], list[dict]],
    answer_fn: Callable[[str], object],
    out_dir: Path,
    on_set: Callable[[str, EvalReport], None] | None = None,
) -> dict[str, EvalReport]:
    """Each set's report; its rows written to `out_dir/<set>.jsonl` (written whole to a
    temporary name first, so a run stopped half-way leaves no half file to compare)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    reports: dict[str, EvalReport] = {}
    for path in files:
        report = evaluate(load_queries(path), search_fn, answer_fn)
        rows = [
            {**{k: row[k] for k in ROW_KEYS}, "rank": row["first_relevant_rank"]}
            for row in report.rows
        ]
        target = out_dir / f"{path.stem}.jsonl"
        partial = target.with_suffix(".jsonl.partial")
        partial.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
        )
        partial.replace(target)
        reports[path.stem] = report
        if on_set:
            on_set(path.stem, report)
    return reports


def set_line(name: str, report: EvalReport) -> str:
    """One set's answer rate and confidence line."""
    m = report.metrics
    rate = f"{m['answer_rate']:.3f} (n={m['answer_n']})" if "answer_rate" in m else "—"
    return f"{name}: answer_rate={rate} R@1={m['R@1']:.3f}; {report.confidence_line()}"


def summary_lines(reports: dict[str, EvalReport], blind: Sequence[str]) -> list[str]:
    """The readable sets together (answered of n, confidence), then each aggregate-only set
    with its answer rate by type."""
    readable = [r for name, r in reports.items() if not is_aggregate_only(name, blind)]
    tally: Counter = Counter()
    for report in readable:
        for row in report.rows:
            if row["answered"] is None:
                continue
            if row["type"] == "none":
                tally["none"] += 1
                tally["none_unsure"] += not row["confident"]
                continue
            tally["n"] += 1
            tally["ok"] += bool(row["answered"])
            tally[bool(row["answered"]), bool(row["confident"])] += 1
    lines = [
        f"可读问题集 {len(readable)} 个：答对 {tally['ok']}/{tally['n']}；"
        f"有把握 对 {tally[True, True]} 错 {tally[False, True]}；"
        f"无把握 对 {tally[True, False]} 错 {tally[False, False]}；"
        f"无法回答的问题未标有把握 {tally['none_unsure']}/{tally['none']}"
    ]
    for name, report in reports.items():
        if is_aggregate_only(name, blind):
            lines.append(set_line(name, report))
            lines += report.type_table()
    return lines


def read_rows(folder: Path) -> dict[str, list[dict]]:
    """A run's rows by set (as `run_sets` wrote them)."""
    return {path.stem: load_queries(path) for path in sorted(Path(folder).glob("*.jsonl"))}


def moved(before: Path, after: Path, blind: Sequence[str]) -> list[str]:
    """Per set present in both runs, the rows answered in one and not the other: "+2 −1" for
    every set, the rows' ids and questions for readable sets only."""
    old, new = read_rows(before), read_rows(after)
    lines, gained_all, lost_all = [], 0, 0
    for name, rows in new.items():
        if name not in old:
            continue
        was = {(r["id"], r["query"]): r["answered"] for r in old[name]}
        gained = [r for r in rows if r["answered"] and was.get((r["id"], r["query"])) is False]
        lost = [r for r in rows if r["answered"] is False and was.get((r["id"], r["query"]))]
        gained_all, lost_all = gained_all + len(gained), lost_all + len(lost)
        if not gained and not lost:
            continue
        lines.append(f"{name}: +{len(gained)} −{len(lost)}")
        if is_aggregate_only(name, blind):
            continue  # blind and held-out rows are never shown
        lines += [f"  + {r['id']} {r['query']}" for r in gained]
        lines += [f"  − {r['id']} {r['query']}" for r in lost]
    lines.append(f"合计：+{gained_all} −{lost_all}")
    return lines
