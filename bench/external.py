"""Retrieval quality on question sets nobody here wrote (and on our own), fusion offline.

Sets: "seed" and "own" (the repo corpus, the anchor/unit relevance rule of
shared/eval/README.md), "cmrc" (CMRC 2018 dev, one document per paragraph) and "ncpqa"
(NCPQA dev documents); on the external sets a hit is relevant when it comes from the gold
document. Each set gets its own index under `data/bench/<set>/index` (beside the index
folder), built through the shared embedding cache, so only the first run embeds. The shared
question sets are read from `../shared/eval/` next to the checkout.

Every query is run once per retriever (BM25 and dense, top `candidates` with scores) and the
runs are kept (`runs-<set>.json`), so any fusion can be scored offline without the model: that is
how the default fusion was chosen (one set chosen on, the others confirmed).
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from bench.evaluate import is_relevant, load_queries, metrics_from_ranks
from index.config import DEFAULT_MODEL, REPO_ROOT, Config
from search.fusion import fuse_hybrid

SHARED_EVAL = REPO_ROOT.parent / "shared" / "eval"
SETS = ("seed", "own", "cmrc", "ncpqa")
RUNS_FORMAT = 2  # bump when QueryRun changes: older runs files are recomputed
# The files that decide how a query is tokenised, embedded, searched and fused: runs kept
# from other versions of them are recomputed (a change to the query's tokens was once
# measured against runs of the code before it). Other code a search passes through (filters,
# the live index) changes runs rarely: delete runs-<set>.json to recompute them anyway.
RETRIEVAL_CODE = (
    "index/lexical.py",
    "index/dense.py",
    "index/embedding.py",
    "search/searcher.py",
    "search/fusion.py",
)


def retrieval_code_hash(root: Path = REPO_ROOT) -> str:
    """A short hash of the `RETRIEVAL_CODE` files as they are now."""
    digest = hashlib.sha256()
    for name in RETRIEVAL_CODE:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()[:12]


_SAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class EvalSet:
    name: str
    corpus_dir: Path
    queries: list[dict]
    doc_level: bool  # relevance by gold document (external sets) or by anchor/unit


@dataclass(frozen=True)
class QueryRun:
    """One query's candidates from each retriever (positions best first, with scores)."""

    qid: str
    bm25_ids: list[int]
    bm25_scores: list[float]
    dense_ids: list[int]
    dense_scores: list[float]
    relevant: list[int]  # candidate positions (from either list) that are relevant
    bm25_of_dense: list[float]  # exact BM25 score of each dense candidate (0: no term)
    dense_of_bm25: list[float]  # exact cosine of each BM25 candidate
    bm25_ms: float = 0.0
    dense_ms: float = 0.0  # query embedding + FAISS


def set_root(config: Config, name: str) -> Path:
    """Where a set's corpus, index and runs live: beside the index folder, not in the shared
    cache, so two checkouts with different code never share an index. Another model (e.g. a
    folder from `yingshang tune`) gets indexes of its own instead of rebuilding these."""
    folder = "repo" if name in ("seed", "own") else name
    if config.model != DEFAULT_MODEL:
        tag = hashlib.sha256(config.model.encode()).hexdigest()[:8]
        folder += f"@{_SAFE.sub('_', Path(config.model).name)}-{tag}"
    return Path(config.index_dir).parent / "bench" / folder


def load_set(name: str, config: Config, eval_dir: Path = SHARED_EVAL) -> EvalSet:
    """The corpus folder and queries of a set, writing the CMRC corpus on first use."""
    if name == "seed":
        return EvalSet(
            name, REPO_ROOT / "corpus", load_queries(eval_dir / "seed_queries.jsonl"), False
        )
    if name == "own":
        return EvalSet(
            name,
            REPO_ROOT / "corpus",
            load_queries(REPO_ROOT / "eval" / "own_queries.jsonl"),
            False,
        )
    if name == "ncpqa":
        folder = eval_dir / "ncpqa_dev"
        queries = with_twins(load_queries(folder / "queries.jsonl"), folder / "corpus")
        return EvalSet(name, folder / "corpus", queries, True)
    if name == "cmrc":
        corpus, queries = prepare_cmrc(eval_dir / "cmrc2018_dev.json", set_root(config, name))
        return EvalSet(name, corpus, queries, True)
    raise ValueError(f"未知的评估集 {name}，可选：{'、'.join(SETS)}")


def prepare_cmrc(source: Path, root: Path) -> tuple[Path, list[dict]]:
    """Write every CMRC paragraph as `<paragraph id>.txt`; gold = that paragraph."""
    data = json.loads(source.read_text("utf-8"))
    corpus = root / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    queries = []
    for article in data["data"]:
        for para in article["paragraphs"]:
            doc = _SAFE.sub("_", para["id"])
            path = corpus / f"{doc}.txt"
            if not path.exists() or path.read_text("utf-8") != para["context"]:
                path.write_text(para["context"], "utf-8")
            for qa in para["qas"]:
                answers = [a["text"] for a in qa.get("answers", [])]
                gold = [{"doc": doc, "anchor": answers[0] if answers else ""}]
                queries.append({"id": qa["id"], "query": qa["question"], "gold": gold})
    return corpus, queries


def with_twins(queries: list[dict], corpus: Path) -> list[dict]:
    """Gold documents plus their exact duplicates (same text but for whitespace).

    The index keeps one copy of duplicated content, so a hit from the twin is the same text;
    without this, three NCPQA questions could never be answered."""
    from index.reading import content_hash

    by_hash: dict[str, list[str]] = {}
    for path in sorted(corpus.glob("*.txt")):
        by_hash.setdefault(content_hash(path.read_text("utf-8")), []).append(path.stem)
    twins = {d: group for group in by_hash.values() if len(group) > 1 for d in group}
    out = []
    for q in queries:
        gold = list(q.get("gold", []))
        known = {g.get("doc") for g in gold}
        for g in list(gold):
            gold += [{**g, "doc": t} for t in twins.get(g.get("doc"), []) if t not in known]
        out.append({**q, "gold": gold})
    return out


def build_set(es: EvalSet, config: Config, on_stage=None) -> Config:
    """Build (or bring up to date) the set's index; returns the config that reads it."""
    from index.build import is_stale, sync_index
    from index.embedding import Encoder

    index_dir = set_root(config, es.name) / "index"
    # The set's folder is someone else's data: a duplicate in it is skipped, never moved.
    cfg = config.with_overrides(
        corpus_dir=es.corpus_dir, index_dir=index_dir, quarantine_refused=False
    )
    if is_stale(cfg):
        report = sync_index(cfg, Encoder(cfg), on_stage=on_stage)
        print(
            f"{es.name}: 索引 {report.counts} 用时 {report.seconds:.0f} 秒"
            f"（嵌入 {report.embedded} 段，{report.embed_seconds:.0f} 秒）"
        )
    return cfg


def doc_relevant(doc: str, gold: Sequence[dict]) -> bool:
    """External sets: a hit is relevant when its document is (contains the id of) the gold."""
    stem = Path(doc).stem
    return any(g.get("doc") and (g["doc"] == stem or g["doc"] in doc) for g in gold)


def collect_runs(searcher, es: EvalSet, candidates: int) -> list[QueryRun]:
    """Each retriever's top `candidates` per query, with the relevant positions among them."""
    snap = searcher.index.current
    lexical, dense, passages = snap.lexical, snap.dense, snap.passages
    runs = []
    for n, q in enumerate(es.queries):
        t0 = time.perf_counter()
        b_scores, b_ids = lexical.search(q["query"], candidates)
        t1 = time.perf_counter()
        qvec = searcher.encoder.encode_queries([q["query"]])[0]
        d_scores, d_ids = dense.search(qvec, candidates)
        t2 = time.perf_counter()
        full = lexical.scores(q["query"])
        bm25_of_dense = full[d_ids] if full is not None else np.zeros(len(d_ids))
        dense_of_bm25 = dense.rows(np.sort(b_ids)) @ qvec if len(b_ids) else np.zeros(0)
        dense_of_bm25 = dict(zip(np.sort(b_ids).tolist(), dense_of_bm25.tolist(), strict=True))
        gold = q.get("gold", [])
        relevant = []
        for pos in dict.fromkeys([*b_ids.tolist(), *d_ids.tolist()]):
            p = passages[pos]
            if es.doc_level:
                ok = doc_relevant(p.doc, gold)
            else:
                ok = is_relevant({"text": p.text, "unit_title": snap.unit(p.unit_id).title}, gold)
            if ok:
                relevant.append(int(pos))
        runs.append(
            QueryRun(
                str(q.get("id", n)),
                b_ids.tolist(),
                b_scores.tolist(),
                d_ids.tolist(),
                d_scores.tolist(),
                relevant,
                [float(x) for x in bm25_of_dense],
                [dense_of_bm25[i] for i in b_ids.tolist()],
                (t1 - t0) * 1000,
                (t2 - t1) * 1000,
            )
        )
    return runs


def save_runs(path: Path, runs: Sequence[QueryRun]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps([asdict(r) for r in runs], ensure_ascii=False), "utf-8")
    tmp.replace(path)


def load_runs(path: Path) -> list[QueryRun]:
    return [QueryRun(**row) for row in json.loads(path.read_text("utf-8"))]


RankFn = Callable[[QueryRun], Sequence[int]]


def mode_ranking(mode: str, config: Config | None = None, **fusion: object) -> RankFn:
    """The ranking of one mode from a run. Hybrid fuses as `Searcher.rank` does with
    `config` (default Config()); keyword arguments override its fusion parameters."""
    if mode == "bm25":
        return lambda r: r.bm25_ids
    if mode == "dense":
        return lambda r: r.dense_ids
    cfg = config or Config()
    params = {"method": cfg.fusion, "dense_weight": cfg.fusion_dense_weight, "rrf_k": cfg.rrf_k}
    params.update(fusion)

    def hybrid(r: QueryRun) -> list[int]:
        fused = fuse_hybrid(
            r.dense_ids,
            r.dense_scores,
            r.bm25_ids,
            r.bm25_scores,
            bm25_of_dense=r.bm25_of_dense,
            dense_of_bm25=r.dense_of_bm25,
            **params,
        )
        return [pos for pos, _ in fused]

    return hybrid


def score_runs(runs: Sequence[QueryRun], rank_fn: RankFn, k: int = 10) -> dict[str, float]:
    ranks = []
    for r in runs:
        relevant = set(r.relevant)
        top = list(rank_fn(r))[:k]
        ranks.append(next((i for i, pos in enumerate(top, 1) if pos in relevant), None))
    return metrics_from_ranks(ranks)


def latency_p50(runs: Sequence[QueryRun]) -> float:
    """Median BM25 + dense time per query (fusion itself costs microseconds)."""
    return statistics.median(r.bm25_ms + r.dense_ms for r in runs) if runs else 0.0


def run_set(name: str, config: Config, refresh: bool = False, on_stage=None) -> list[QueryRun]:
    """Runs for a set, from `runs.json` unless the index, the questions or the retrieval code
    (`retrieval_code_hash`) changed, or `refresh`."""
    from index.store import current_version
    from search.searcher import Searcher

    es = load_set(name, config)
    cfg = build_set(es, config, on_stage)
    path = set_root(config, name) / f"runs-{name}.json"
    stamp = path.with_suffix(".version")
    asked = hashlib.sha256(json.dumps(es.queries, sort_keys=True).encode()).hexdigest()[:16]
    code = retrieval_code_hash()
    version = f"{RUNS_FORMAT}|{current_version(cfg.index_dir)}|{cfg.candidates}|{asked}|{code}"
    if not refresh and path.exists() and stamp.exists() and stamp.read_text() == version:
        return load_runs(path)
    runs = collect_runs(Searcher(cfg), es, cfg.candidates)
    save_runs(path, runs)
    stamp.write_text(version)
    return runs


def format_metrics(name: str, mode: str, m: dict[str, float]) -> str:
    return (
        f"set={name} mode={mode} n={m['n']} R@1={m['R@1']:.3f} R@5={m['R@5']:.3f} "
        f"R@10={m['R@10']:.3f} MRR@10={m['MRR@10']:.3f}"
    )


MODES = ("bm25", "dense", "hybrid")


def report(names: Sequence[str], config: Config, modes: Sequence[str] = MODES) -> list[str]:
    """One line per set and mode (R@1/R@5/R@10/MRR@10), plus each set's retrieval p50."""
    lines = []
    for name in names:
        runs = run_set(name, config)
        for mode in modes:
            lines.append(format_metrics(name, mode, score_runs(runs, mode_ranking(mode, config))))
        lines.append(f"set={name} retrieval p50={latency_p50(runs):.1f} ms (BM25 + dense)")
    return lines
