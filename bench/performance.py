"""Benchmarks: embedding throughput per backend, query latency, memory, synthetic scale.

`run()` drives stages; each stage runs in its own Python process (`python -m
bench.performance '{"stage": NAME, …}'`), so its peak RSS is its own and one stage's memory never inflates another's.
Comparisons (backends against each other) are measured inside one stage, interleaved round
by round, because the machine is shared and noisy: ratios are meaningful, absolute numbers
less so.

Stages:

* ``embedding`` – every backend embeds the same seed passages (cache bypassed), rounds
  interleaved; passages/s and tokens/s from the median round; cosine against fp32.
* ``seed`` – build the seed index in a temporary folder (vectors through the embedding
  cache), load it, time hybrid/dense/BM25 search and ask over the shared questions, R@5, page
  start (``yingshang serve`` started as a process, until its first HTTP response), index size
  on disk.
* ``scale-build`` / ``scale-query`` – synthetic collections of N passages: BM25 over
  recombined corpus sentences, FAISS over random unit vectors (see `synthetic_vectors`).
  The build stage measures build time and memory and stores exact top-k ground truth; the
  query stage loads the index memory-mapped, as serving does, and measures latency, recall
  of the approximate index against exact search, and memory.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from index.config import REPO_ROOT, Config
from index.embedding import ModelInfo, resolve_backend
from index.store import DocRecord, VersionWriter, open_version
from index.types import Passage, Unit
from search.searcher import MODES

GENERATED_ASKS = 5  # questions answered by a configured model (each a network round trip)
SHARED_QUERIES = REPO_ROOT.parent / "shared" / "eval" / "seed_queries.jsonl"
SCALE_QUERIES = (
    "政府采购投标保证金",
    "企业开办时间压缩",
    "不动产登记全城通办",
    "跨境贸易通关便利化",
    "工程建设项目审批",
    "获得电力 报装",
    "中小企业融资难",
    "信用监管 首违不罚",
    "纳税服务 出口退税",
    "一件事 一次办",
    "民营企业 拖欠账款",
    "电子营业执照 应用",
)


# ---------------------------------------------------------------- small pure helpers


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100), linear interpolation; NaN for no samples."""
    if len(samples) == 0:
        return float("nan")
    return float(np.percentile(np.asarray(samples, dtype=np.float64), q))


def latency_summary(seconds: Sequence[float]) -> dict:
    """p50/p95/mean in milliseconds and the number of samples."""
    ms = [s * 1000.0 for s in seconds]
    return {
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "mean_ms": round(float(np.mean(ms)), 2) if ms else float("nan"),
        "n": len(ms),
    }


def recall_at_k(approx: Sequence[Sequence[int]], exact: Sequence[Sequence[int]], k: int) -> float:
    """Mean fraction of each query's exact top-k found in its approximate top-k."""
    if len(approx) != len(exact):
        raise ValueError("approx and exact need one row per query")
    if not exact:
        return float("nan")
    found = []
    for a, e in zip(approx, exact, strict=True):
        truth = set(list(e)[:k])
        if truth:
            found.append(len(truth & set(list(a)[:k])) / len(truth))
    return float(np.mean(found)) if found else float("nan")


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


def rss_breakdown_mb(index_dir: Path | None = None) -> dict:
    """Resident memory now: private (anonymous) pages, pages of the index's memory-mapped
    files (vectors.npy, bm25s matrices: the kernel can drop and re-read them at any time)
    and pages of other files (Python, PyTorch and FAISS libraries)."""
    anon = index_files = other_files = 0.0
    prefix = str(Path(index_dir).resolve()) if index_dir else None
    path = ""
    try:
        with open("/proc/self/smaps") as f:
            for line in f:
                head = line.split()
                if not head:
                    continue
                if not head[0].endswith(":"):  # a mapping: "addr perms offset dev inode [path]"
                    path = head[5] if len(head) > 5 else ""
                elif head[0] == "Rss:":
                    mb = int(head[1]) / 1024.0
                    if not path.startswith("/"):
                        anon += mb
                    elif prefix and path.startswith(prefix):
                        index_files += mb
                    else:
                        other_files += mb
    except OSError:
        return {}
    return {
        "anon_mb": round(anon, 1),
        "index_files_mb": round(index_files, 1),
        "other_files_mb": round(other_files, 1),
    }


def dir_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file()) / 2**20


def time_calls(fn: Callable[[object], object], items: Iterable, repeat: int = 1) -> list[float]:
    """Wall-clock seconds of fn(item) for every item, `repeat` passes."""
    out = []
    items = list(items)
    for _ in range(repeat):
        for item in items:
            t0 = time.perf_counter()
            fn(item)
            out.append(time.perf_counter() - t0)
    return out


def corpus_sentences(texts: Iterable[str], min_chars: int = 6) -> list[str]:
    """Unique cleaned sentences of the texts (the material synthetic passages recombine)."""
    from index.chunking import sentence_spans
    from index.cleaning import clean_inline

    seen: dict[str, None] = {}
    for text in texts:
        for a, b in sentence_spans(text):
            s = clean_inline(text[a:b]).strip()
            if len(s) >= min_chars:
                seen.setdefault(s, None)
    return list(seen)


def synthetic_layout(
    lengths: Sequence[int], n: int, target_chars: int = 300, seed: int = 0, max_parts: int = 24
) -> list[np.ndarray]:
    """For each of n synthetic passages, the sentence indices it recombines.

    Sentences are drawn uniformly at random (with replacement) and appended until the passage
    reaches `target_chars` (like the chunker's target), so passages look like corpus passages
    in length and vocabulary, but in new combinations.
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    if len(lengths) == 0 or n <= 0:
        return []
    rng = np.random.default_rng(seed)
    out: list[np.ndarray] = []
    for start in range(0, n, 100_000):
        rows = min(100_000, n - start)
        picks = rng.integers(0, len(lengths), size=(rows, max_parts))
        cum = np.cumsum(lengths[picks], axis=1)
        # number of sentences needed to reach the target (at least one, at most max_parts)
        counts = np.minimum((cum < target_chars).sum(axis=1) + 1, max_parts)
        out.extend(picks[i, : counts[i]] for i in range(rows))
    return out


def synthetic_vectors(
    n: int,
    dim: int,
    seed: int = 0,
    bases: np.ndarray | None = None,
    noise: float = 0.015,
    max_parts: int = 3,
    chunk: int = 100_000,
) -> np.ndarray:
    """n unit vectors (float32) standing in for passage embeddings at scale.

    Embedding a million passages would take days on this machine. With `bases` (the seed
    passages' real embeddings) each synthetic vector is a random convex mixture of 1–3 of
    them plus Gaussian noise, normalised: like real embeddings it is clustered around
    topics, with many near-duplicates. Without `bases` the vectors are random on the
    sphere (no structure at all, the hardest case for an approximate index).
    """
    rng = np.random.default_rng(seed)
    out = np.empty((n, dim), dtype=np.float32)
    for s in range(0, n, chunk):
        rows = min(chunk, n - s)
        if bases is None:
            block = rng.standard_normal((rows, dim), dtype=np.float32)
        else:
            picks = rng.integers(0, len(bases), size=(rows, max_parts))
            weights = rng.dirichlet(np.ones(max_parts), size=rows).astype(np.float32)
            parts = rng.integers(1, max_parts + 1, size=rows)
            weights[np.arange(max_parts)[None, :] >= parts[:, None]] = 0.0
            weights /= weights.sum(axis=1, keepdims=True)
            block = np.einsum("rp,rpd->rd", weights, bases[picks].astype(np.float32))
            block += noise * rng.standard_normal((rows, dim), dtype=np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[s : s + rows] = block
    return out


def near_queries(vectors: np.ndarray, count: int, noise: float, seed: int = 1) -> np.ndarray:
    """Queries that have true neighbours: data points plus Gaussian noise, normalised."""
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(vectors), size=count)
    q = np.asarray(vectors[picks], dtype=np.float32) + noise * rng.standard_normal(
        (count, vectors.shape[1]), dtype=np.float32
    )
    return q / np.linalg.norm(q, axis=1, keepdims=True)


def exact_top_k(vectors: np.ndarray, queries: np.ndarray, k: int, chunk: int = 200_000):
    """Exact inner-product top-k ids per query (brute force, in chunks)."""
    best_s = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), 0), dtype=np.int64)
    for s in range(0, len(vectors), chunk):
        block = np.asarray(vectors[s : s + chunk], dtype=np.float32)
        scores = queries @ block.T
        kk = min(k, scores.shape[1])
        part = np.argpartition(-scores, kk - 1, axis=1)[:, :kk]
        best_s = np.hstack([best_s, np.take_along_axis(scores, part, axis=1)])
        best_i = np.hstack([best_i, part + s])
        keep = np.argsort(-best_s, axis=1, kind="stable")[:, :k]
        best_s = np.take_along_axis(best_s, keep, axis=1)
        best_i = np.take_along_axis(best_i, keep, axis=1)
    return best_i


def _quiet_env() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("YINGSHANG_QUIET", "1")
    import logging
    import warnings

    warnings.filterwarnings("ignore")
    logging.getLogger("transformers").setLevel(logging.ERROR)
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


# ---------------------------------------------------------------- stage: embedding


def _seed_inputs(config: Config, limit: int | None = None) -> list[str]:
    """The exact texts the seed build embeds (context header included), parsed afresh."""
    from index.build import corpus_files, embed_input, load_corpus_manifest, parse_file

    meta = load_corpus_manifest(config.corpus_dir)
    inputs = []
    for path in corpus_files(config.corpus_dir):
        doc = path.relative_to(config.corpus_dir).as_posix()
        parsed = parse_file(path, doc, meta.get(path.name, {}), config)
        units = {u.id: u for u in parsed.units}
        for p in parsed.passages:
            inputs.append(
                embed_input(parsed.record.title, units[p.unit_id], p, config.context_header)
            )
    if limit and limit < len(inputs):
        step = len(inputs) / limit  # spread over the corpus: every length class represented
        inputs = [inputs[int(i * step)] for i in range(limit)]
    return inputs


def stage_embedding(config: Config, backends: Sequence[str], limit: int | None, rounds: int):
    _quiet_env()
    import sentence_transformers  # noqa: F401  (imports are not model load time)
    import torch  # noqa: F401

    from index.embedding import Encoder

    inputs = _seed_inputs(config, limit)
    texts = [config.passage_prefix + t for t in inputs]
    encoders, load_s = {}, {}
    for b in backends:
        t0 = time.perf_counter()
        encoders[b] = Encoder(config.with_overrides(backend=b))
        load_s[b] = time.perf_counter() - t0
    tok = encoders[backends[0]].model.tokenizer
    lengths = [len(ids) for ids in tok(texts, truncation=True, max_length=512)["input_ids"]]
    tokens = int(sum(lengths))
    times: dict[str, list[float]] = {b: [] for b in backends}
    vectors: dict[str, np.ndarray] = {}
    for b in backends:  # warm-up: first call allocates, compiles kernels
        encoders[b].encode_uncached(texts[:4])
    for _ in range(rounds):
        for b in backends:  # interleaved: a noisy neighbour hurts every backend alike
            t0 = time.perf_counter()
            vectors[b] = encoders[b].encode_uncached(texts)
            times[b].append(time.perf_counter() - t0)
    ref = vectors.get("torch")
    out = {}
    for b in backends:
        med = float(np.median(times[b]))
        row = {
            "load_s": round(load_s[b], 2),
            "passages_per_s": round(len(texts) / med, 2),
            "tokens_per_s": round(tokens / med, 1),
            "round_s": [round(t, 2) for t in times[b]],
        }
        if ref is not None:
            cos = (vectors[b] * ref).sum(axis=1)
            row["cos_min"] = round(float(cos.min()), 4)
            row["cos_mean"] = round(float(cos.mean()), 4)
        out[b] = row
    if "torch" in out:
        for b in backends:
            out[b]["x_fp32"] = round(out[b]["passages_per_s"] / out["torch"]["passages_per_s"], 2)
    lens = np.asarray(lengths)
    return {
        "passages": len(texts),
        "tokens": tokens,
        "token_length": {
            "p50": int(np.percentile(lens, 50)),
            "p95": int(np.percentile(lens, 95)),
            "max": int(lens.max()),
        },
        "rounds": rounds,
        "backends": out,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


# ---------------------------------------------------------------- stage: seed


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


PAGE_START_TIMEOUT_S = 180.0


def page_start(config: Config) -> dict:
    """Seconds from starting `yingshang serve` on `config.index_dir` to its first HTTP response.

    The page runs as the product runs it, in its own process (imports, model and index load,
    Gradio app, server), so the benchmark never imports `ui`. Also the serving process's
    peak resident memory; the server is stopped afterwards.
    """
    port = _free_port()
    cmd = [
        *(sys.executable, "-m", "scripts.cli", "serve", "--no-build"),
        *("--index", str(config.index_dir), "--corpus", str(config.corpus_dir)),
        *("--model", config.model, "--backend", config.backend),
        *("--host", "127.0.0.1", "--port", str(port)),
    ]
    env = {
        **os.environ,
        "YINGSHANG_CACHE_DIR": str(config.cache_dir),
        "YINGSHANG_MAX_SEQ_LENGTH": str(config.max_seq_length),
    }
    with tempfile.TemporaryFile("w+") as errors:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors, text=True
        )
        try:
            status = _first_response(f"http://127.0.0.1:{port}/", proc)
            first = time.perf_counter() - t0
            peak = _peak_rss_of(proc.pid)
        except (OSError, RuntimeError) as exc:
            errors.seek(0)
            tail = "\n".join(errors.read().strip().splitlines()[-15:])
            raise RuntimeError(f"页面启动失败：{exc}\n{tail}") from exc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return {"first_response_s": round(first, 3), "status": status, "peak_rss_mb": peak}


def _first_response(url: str, proc: subprocess.Popen) -> int:
    """Poll `url` until it answers; the HTTP status. Fails if the server process ends."""
    import urllib.request

    deadline = time.perf_counter() + PAGE_START_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"yingshang serve 已退出（退出码 {proc.returncode}）")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                r.read()
                return int(r.status)
        except OSError:
            if time.perf_counter() > deadline:
                raise
            time.sleep(0.05)


def _peak_rss_of(pid: int) -> float:
    """Peak resident memory (VmHWM) of another process in MB; NaN when unreadable."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024.0, 1)
    except OSError:
        pass
    return float("nan")


def stage_seed(
    config: Config,
    backend: str,
    queries_path: Path,
    repeat: int,
    ask_n: int,
    page: bool,
    export: Path | None = None,
) -> dict:
    _quiet_env()
    import sentence_transformers  # noqa: F401
    import torch  # noqa: F401

    from bench.evaluate import evaluate, load_queries
    from index.build import sync_index
    from index.embedding import Encoder
    from search.answer import Answerer
    from search.llm import generator_for
    from search.searcher import Searcher

    config = config.with_overrides(backend=backend)
    t0 = time.perf_counter()
    encoder = Encoder(config)
    model_load = time.perf_counter() - t0
    work = Path(tempfile.mkdtemp(prefix="yingshang-bench-"))
    try:
        cfg = config.with_overrides(index_dir=work / "index")
        report = sync_index(cfg, encoder)
        t0 = time.perf_counter()
        searcher = Searcher(cfg, encoder)
        index_load = time.perf_counter() - t0
        rows = load_queries(queries_path)
        questions = [r["query"] for r in rows]
        modes = MODES
        times: dict[str, list[float]] = {m: [] for m in modes}
        for q in questions:  # warm-up pass: PyTorch prepares kernels per input length
            searcher.search(q, k=10)
        for _ in range(repeat):
            for q in questions:
                for mode in modes:  # interleaved, so load from elsewhere hits every mode alike
                    t1 = time.perf_counter()
                    searcher.search(q, k=10, mode=mode)
                    times[mode].append(time.perf_counter() - t1)
        latency = {m: latency_summary(times[m]) for m in modes}
        quality = {}
        for mode in MODES:
            m = evaluate(
                rows, lambda q, m=mode: [h.to_json() for h in searcher.search(q, 10, m).hits]
            ).metrics
            quality[mode] = {k: round(v, 4) for k, v in m.items() if k != "n"}
        answerer = Answerer(searcher)
        asked = questions[:ask_n]
        cold = time_calls(lambda q: answerer.ask(q), asked)  # sentence vectors not yet in memory
        warm = time_calls(lambda q: answerer.ask(q), asked, repeat)
        latency["ask_first"] = latency_summary(cold)
        latency["ask"] = latency_summary(warm)  # extractive: the ask target is without a model
        generator = generator_for(config)
        if generator is not None:  # a configured model: its answers timed on a few questions
            with_model = Answerer(searcher, generator=generator)
            latency["ask_generated"] = latency_summary(
                time_calls(lambda q: with_model.ask(q), asked[:GENERATED_ASKS])
            )
        out = {
            "backend": backend,
            "passages": report.counts.get("passages"),
            "build_s": round(report.seconds, 2),
            "build_embedded": report.embedded,
            "build_embed_s": round(report.embed_seconds, 2),
            "model_load_s": round(model_load, 2),
            "index_load_s": round(index_load, 3),
            "index_mb": round(dir_size_mb(work / "index"), 2),
            "latency": latency,
            "quality": quality,
            "queries": len(questions),
        }
        if export:
            export.mkdir(parents=True, exist_ok=True)
            np.save(export / "seed_vectors.npy", np.asarray(searcher.index.current.dense.vectors))
            texts = list(dict.fromkeys([*questions, *SCALE_QUERIES]))
            np.save(export / "seed_query_vectors.npy", encoder.encode_queries(texts))
        if page:
            out["page"] = page_start(cfg)
        out["peak_rss_mb"] = round(peak_rss_mb(), 1)
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------- stage: scale


PASSAGES_PER_UNIT = 4
UNITS_PER_DOC = 250
SCALE_REGIONS = ("南宁市", "柳州市", "桂林市", "北海市", "钦州市", "玉林市", "百色市", "河池市")


def _add_synthetic_rows(
    writer: VersionWriter,
    sentences: Sequence[str],
    layout: Sequence[np.ndarray],
    tokens_of: Callable[[np.ndarray], list[str]],
) -> None:
    """Documents, units and passages (with tokens) of a synthetic collection, streamed.

    Passage texts are the recombined sentences; offsets and line numbers are consistent but
    point into a short placeholder source text (citations are not what is measured here).
    """
    n = len(layout)
    per_doc = PASSAGES_PER_UNIT * UNITS_PER_DOC
    for d, start in enumerate(range(0, n, per_doc)):
        doc = f"synthetic/{d:05d}.txt"
        rows = layout[start : start + per_doc]
        writer.add_document(
            DocRecord(
                doc=doc,
                title=f"合成文档{d:05d}",
                sha256="",
                content_hash=f"synthetic-{d}",
                units=-(-len(rows) // PASSAGES_PER_UNIT),
                passages=len(rows),
            ),
            "（合成文档）",
        )
        for u, ustart in enumerate(range(0, len(rows), PASSAGES_PER_UNIT)):
            uid = f"syn{d:05d}#{'case' if u % 2 else 'measure'}{u:03d}"
            group = rows[ustart : ustart + PASSAGES_PER_UNIT]
            title = sentences[int(group[0][0])][:30]
            texts = ["".join(sentences[int(j)] for j in row) for row in group]
            writer.add_unit(
                Unit(
                    id=uid,
                    doc=doc,
                    kind="case" if u % 2 else "measure",
                    title=title,
                    start=0,
                    end=sum(len(t) for t in texts),
                    region=SCALE_REGIONS[(d + u) % len(SCALE_REGIONS)],
                    indicator="政务服务",
                )
            )
            offset = 0
            for k, (row, text) in enumerate(zip(group, texts, strict=True)):
                passage = Passage(
                    f"{uid}/p{k}", doc, uid, title, text, offset, offset + len(text), k + 1, k + 1
                )
                writer.add_passage(passage, tokens_of(row))
                offset += len(text)


def stage_scale_build(
    config: Config,
    n: int,
    folder: Path,
    n_queries: int,
    flat_max: int | None,
    bases_dir: Path | None = None,
) -> dict:
    """Write a synthetic N-passage index version under `folder/index` (plus ground truth).

    It is a complete index written by `index.store.open_version` (documents, units,
    passages, tokens, vectors, FAISS, bm25s), so serving it goes through the real `Searcher`.
    """
    _quiet_env()
    import bm25s

    from index.build import corpus_files
    from index.dense import FLAT_MAX, DenseIndex
    from index.lexical import LexicalIndex, tokenize
    from index.reading import read_document

    bases = query_vectors = None
    if bases_dir is not None and (bases_dir / "seed_vectors.npy").exists():
        bases = np.load(bases_dir / "seed_vectors.npy")
        query_vectors = np.load(bases_dir / "seed_query_vectors.npy")
    dim = bases.shape[1] if bases is not None else 384
    backend = resolve_backend(config.backend)
    model = ModelInfo(config.model, dim, config.query_prefix, config.passage_prefix, backend)
    with open_version(folder / "index", model) as writer:
        t0 = time.perf_counter()
        texts = [read_document(p).text for p in corpus_files(config.corpus_dir)]
        sentences = corpus_sentences(texts)
        vocab: dict[str, int] = {}
        sent_tokens = [tokenize(s) for s in sentences]  # each sentence tokenised once
        sent_ids = [[vocab.setdefault(t, len(vocab)) for t in toks] for toks in sent_tokens]
        layout = synthetic_layout([len(s) for s in sentences], n)
        _add_synthetic_rows(
            writer, sentences, layout, lambda row: [t for j in row for t in sent_tokens[int(j)]]
        )
        store_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        corpus_ids = [[i for j in row for i in sent_ids[int(j)]] for row in layout]
        tokens_total = sum(len(c) for c in corpus_ids)
        del layout
        retriever = bm25s.BM25()  # same defaults as LexicalIndex.build
        retriever.index((corpus_ids, dict(vocab)), show_progress=False)
        writer.set_lexical(LexicalIndex(retriever, None))
        bm25_s = time.perf_counter() - t0
        del corpus_ids, retriever
        bm25_rss = peak_rss_mb()

        t0 = time.perf_counter()
        vectors = synthetic_vectors(n, dim, bases=bases)
        gen_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        dense = DenseIndex.build(vectors, flat_max=FLAT_MAX if flat_max is None else flat_max)
        dense_s = time.perf_counter() - t0
        writer.set_dense(dense)
        counts = writer.counts
        writer.commit({"synthetic": True})
    if query_vectors is not None:  # real question embeddings
        queries = query_vectors.astype(np.float32)
    else:  # random data: queries near data points, so each has a true neighbour
        queries = near_queries(vectors, n_queries, noise=0.02)
    truth = exact_top_k(vectors, queries, 100)
    np.save(folder / "bench_queries.npy", queries)
    np.save(folder / "bench_truth.npy", truth)
    return {
        "n": n,
        "documents": counts["documents"],
        "units": counts["units"],
        "sentences": len(sentences),
        "vocab": len(vocab),
        "tokens_per_passage": round(tokens_total / max(1, n), 1),
        "store_write_s": round(store_s, 1),
        "bm25_build_s": round(bm25_s, 1),
        "bm25_peak_rss_mb": round(bm25_rss, 1),
        "vectors": "mixtures of seed embeddings" if bases is not None else "random unit",
        "queries": len(queries),
        "vectors_gen_s": round(gen_s, 1),
        "dense_kind": dense.kind,
        "dense_build_s": round(dense_s, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def stage_scale_query(config: Config, folder: Path, repeat: int, with_model: bool) -> dict:
    """Serve the synthetic index as the product does (memory-mapped): latency, recall, memory."""
    _quiet_env()
    from index.dense import HNSW_EF_SEARCH, RERANK_FACTOR
    from index.store import load_index

    index_dir = folder / "index"
    rss_start = current_rss_mb()
    encoder = searcher = None
    model_rss = 0.0
    if with_model:
        import bm25s  # noqa: F401  (imports are not memory of the model)
        import faiss  # noqa: F401

        from index.embedding import Encoder

        before = current_rss_mb()
        encoder = Encoder(config)
        encoder.encode_queries(["预热"])
        model_rss = current_rss_mb() - before
    t0 = time.perf_counter()
    if encoder is not None:
        from search.searcher import Searcher

        searcher = Searcher(config.with_overrides(index_dir=index_dir), encoder)
        data = searcher.index.current
    else:
        data = load_index(index_dir)
    load_s = time.perf_counter() - t0
    rss_loaded = current_rss_mb()
    dense = data.dense
    queries = np.load(folder / "bench_queries.npy")
    truth = np.load(folder / "bench_truth.npy")

    recall: dict[str, float] = {}
    lat_dense: dict[str, dict] = {}
    for ef in sorted({128, 512, HNSW_EF_SEARCH}) if dense.kind == "hnsw" else (None,):
        for k in (10, 100):
            found, times = [], []
            for q in queries:
                t1 = time.perf_counter()
                _, ids = dense.search(q, k, ef_search=ef)
                times.append(time.perf_counter() - t1)
                found.append(ids.tolist())
            # effective efSearch: DenseIndex raises it to the candidates fetched (2k)
            key = f"k{k}_ef{max(ef, RERANK_FACTOR * k)}" if ef else f"k{k}_exact"
            recall[key] = round(recall_at_k(found, truth[:, :k].tolist(), k), 4)
            if k > 10:  # what hybrid search sees: the top 10 of its dense candidate list
                top10 = recall_at_k([f[:10] for f in found], truth[:, :10].tolist(), 10)
                recall[key + "_top10"] = round(top10, 4)
            lat_dense[key] = latency_summary(times)
    texts = list(SCALE_QUERIES)
    cand = config.candidates
    lat: dict[str, dict] = {}
    lat["dense_search"] = latency_summary(
        time_calls(
            lambda i: dense.search(queries[i % len(queries)], cand), range(len(texts)), repeat
        )
    )
    if searcher is None:
        lat["bm25"] = latency_summary(
            time_calls(lambda t: data.lexical.search(t, cand), texts, repeat)
        )
    else:
        modes = MODES
        times_by: dict[str, list[float]] = {m: [] for m in modes}
        for t in texts:  # warm-up pass (kernels per input length, first mmap reads)
            searcher.search(t, k=10)
        for _ in range(repeat):
            for t in texts:
                for mode in modes:  # the real Searcher.search, hits included
                    t1 = time.perf_counter()
                    searcher.search(t, k=10, mode=mode)
                    times_by[mode].append(time.perf_counter() - t1)
        lat.update({m: latency_summary(times_by[m]) for m in modes})
        lat["query_embedding"] = latency_summary(
            time_calls(lambda t: encoder.encode_queries([t]), texts, repeat)
        )
    return {
        "n": dense.size,
        "passages_loaded": len(data.passages),
        "dense_kind": dense.kind,
        "index_mb": round(dir_size_mb(index_dir), 1),
        "load_s": round(load_s, 2),
        "recall": recall,
        "dense_latency": lat_dense,
        "latency": lat,
        "rss_start_mb": round(rss_start, 1),
        "model_rss_mb": round(model_rss, 1),
        "rss_after_load_mb": round(rss_loaded, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_end": rss_breakdown_mb(index_dir),
        "backend": encoder.info.backend if encoder else None,
    }


# ---------------------------------------------------------------- orchestration


def _run_stage(name: str, params: dict, timeout: float | None = None) -> dict:
    """Run one stage in a fresh interpreter; its last stdout line is the JSON result."""
    # The parameters go on stdin, not argv: they may hold the endpoint's API key.
    cmd = [sys.executable, "-m", "bench.performance", "-"]
    proc = subprocess.run(
        cmd,
        cwd=REPO_ROOT,
        input=json.dumps({**params, "stage": name}),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ.copy(),
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"基准阶段 {name} 失败（退出码 {proc.returncode}）：\n{tail}")
    return json.loads(lines[-1])


def _config_params(config: Config) -> dict:
    return {
        "corpus_dir": str(config.corpus_dir),
        "cache_dir": str(config.cache_dir),
        "model": config.model,
        "backend": config.backend,
        "max_seq_length": config.max_seq_length,
        **{k: getattr(config, k) for k in LLM_FIELDS},
    }


LLM_FIELDS = ("llm", "llm_base_url", "llm_model", "llm_api_key", "llm_timeout")


def _config_from(params: dict) -> Config:
    return Config().with_overrides(
        corpus_dir=params.get("corpus_dir"),
        cache_dir=params.get("cache_dir"),
        model=params.get("model"),
        backend=params.get("backend"),
        max_seq_length=params.get("max_seq_length"),
        **{k: params.get(k) for k in LLM_FIELDS},
    )


def plan(quick: bool) -> dict:
    """What a quick or a full run measures."""
    if quick:
        return {
            "backends": ["torch", "int8", "onnx"],
            "embed_limit": 16,
            "rounds": 2,
            "seed_backends": None,  # the configured backend only
            "repeat": 1,
            "ask_n": 8,
            "scales": [100_000],
            "scale_queries": 50,
        }
    return {
        "backends": ["torch", "int8", "onnx", "torch-int8"],
        "embed_limit": 128,
        "rounds": 3,
        "seed_backends": ["torch", "int8"],
        "repeat": 3,
        "ask_n": 30,
        "scales": [100_000, 1_000_000],
        "scale_queries": 100,
    }


def run(
    config: Config,
    quick: bool = True,
    queries: Path = SHARED_QUERIES,
    log: Callable[[str], None] = print,
    overrides: dict | None = None,
    work_dir: Path | None = None,
) -> dict:
    """Run every stage and return the results (see `format_table`)."""
    p = {**plan(quick), **(overrides or {})}
    started = time.perf_counter()
    result: dict = {
        "date": time.strftime("%Y-%m-%d"),
        "mode": "quick" if quick else "full",
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
        "config_backend": config.backend,
        "plan": p,
    }
    base = _config_params(config)
    log(f"[bench] 嵌入吞吐：{', '.join(p['backends'])}（{p['embed_limit'] or '全部'} 个段落）")
    result["embedding"] = _run_stage(
        "embedding",
        {**base, "backends": p["backends"], "limit": p["embed_limit"], "rounds": p["rounds"]},
    )
    root = Path(work_dir or tempfile.mkdtemp(prefix="yingshang-bench-"))
    result["seed"] = {}
    # The configured backend first: its vectors seed the synthetic collections.
    configured = resolve_backend(config.backend)
    seed_backends = list(dict.fromkeys([configured, *(p["seed_backends"] or [])]))
    for i, backend in enumerate(seed_backends):
        log(f"[bench] 种子语料：建索引、检索/问答延迟、页面启动（{backend}）")
        result["seed"][backend] = _run_stage(
            "seed",
            {
                **base,
                "backend": backend,
                "queries": str(queries),
                "repeat": p["repeat"],
                "ask_n": p["ask_n"],
                "page": i == 0,
                "export": str(root / "seed") if i == 0 else None,
            },
        )
    result["scale"] = {}
    try:
        for n in p["scales"]:
            folder = root / f"n{n}"
            log(f"[bench] 合成语料 {n:,} 段：建索引")
            build = _run_stage(
                "scale-build",
                {
                    **base,
                    "n": n,
                    "folder": str(folder),
                    "queries": p["scale_queries"],
                    "flat_max": p.get("flat_max"),
                    "bases": None if p.get("random_vectors") else str(root / "seed"),
                },
            )
            log(f"[bench] 合成语料 {n:,} 段：查询（内存映射加载）")
            query = _run_stage(
                "scale-query",
                {**base, "folder": str(folder), "repeat": p["repeat"], "with_model": True},
            )
            result["scale"][str(n)] = {"build": build, "query": query}
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        if work_dir is None:
            shutil.rmtree(root, ignore_errors=True)
    result["total_s"] = round(time.perf_counter() - started, 1)
    result["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    return result


# ---------------------------------------------------------------- report


def _fmt(v: object, digits: int = 1) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        if v != v:  # NaN
            return "-"
        return f"{v:,.{digits}f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def format_table(result: dict) -> str:
    """A plain-text (Markdown) table of the results."""
    lines = [
        f"yingshang bench — {result['mode']} — {result['date']} — "
        f"{result['machine']['cpus']} CPUs, total {result.get('total_s', '-')} s, load average "
        f"{result.get('load_average_start', ['-'])[0]} → {result.get('load_average_end', ['-'])[0]}",
        "",
        "| measurement | value |",
        "|---|---|",
    ]

    def row(name: str, value: str) -> None:
        lines.append(f"| {name} | {value} |")

    emb = result.get("embedding", {})
    tl = emb.get("token_length", {})
    row(
        "seed passages embedded per backend (tokens p50/p95/max)",
        f"{emb.get('passages')} ({tl.get('p50')}/{tl.get('p95')}/{tl.get('max')}), "
        f"{emb.get('rounds')} interleaved rounds",
    )
    for b, r in emb.get("backends", {}).items():
        cos = (
            f", cos vs fp32 min {r['cos_min']:.4f} mean {r['cos_mean']:.4f}"
            if "cos_min" in r
            else ""
        )
        row(
            f"indexing `{b}`",
            f"{_fmt(r['passages_per_s'], 2)} passages/s, {_fmt(r['tokens_per_s'], 0)} tokens/s "
            f"(×{_fmt(r.get('x_fp32'), 2)} fp32){cos}; model load {_fmt(r['load_s'], 1)} s",
        )
    for b, s in result.get("seed", {}).items():
        lat = s["latency"]
        row(
            f"seed `{b}`: search p50/p95 ms",
            " · ".join(f"{m} {_fmt(lat[m]['p50_ms'])}/{_fmt(lat[m]['p95_ms'])}" for m in MODES),
        )
        row(
            f"seed `{b}`: ask p50/p95 ms",
            f"{_fmt(lat['ask']['p50_ms'])}/{_fmt(lat['ask']['p95_ms'])} "
            f"(first time per question {_fmt(lat['ask_first']['p50_ms'])}/"
            f"{_fmt(lat['ask_first']['p95_ms'])})",
        )
        if "ask_generated" in lat:
            row(
                f"seed `{b}`: ask with the configured model p50/p95 ms",
                f"{_fmt(lat['ask_generated']['p50_ms'])}/{_fmt(lat['ask_generated']['p95_ms'])}",
            )
        q = s["quality"]
        row(
            f"seed `{b}`: R@5 hybrid/dense/bm25 (n={s['queries']})",
            " / ".join(_fmt(q[m]["R@5"], 3) for m in MODES),
        )
        row(
            f"seed `{b}`: build / model load / index load",
            f"{_fmt(s['build_s'], 1)} s ({s['passages']} passages, {s['build_embedded']} embedded) / "
            f"{_fmt(s['model_load_s'], 1)} s / {_fmt(s['index_load_s'], 2)} s",
        )
        row(
            f"seed `{b}`: index on disk / peak RSS",
            f"{_fmt(s['index_mb'], 1)} MB / {_fmt(s['peak_rss_mb'], 0)} MB",
        )
        if "page" in s:
            pg = s["page"]
            row(
                "page start (`yingshang serve` → first HTTP response)",
                f"{_fmt(pg['first_response_s'], 2)} s; serving process peak RSS "
                f"{_fmt(pg.get('peak_rss_mb'), 0)} MB",
            )
    for n, sc in result.get("scale", {}).items():
        b, q = sc["build"], sc["query"]
        label = f"{int(n):,}"
        row(
            f"{label} synthetic: build",
            f"store {_fmt(b['store_write_s'])} s ({b.get('documents', '-'):,} docs, "
            f"{b.get('units', '-'):,} units), BM25 {_fmt(b['bm25_build_s'])} s "
            f"({b['tokens_per_passage']} tokens/passage), FAISS {b['dense_kind']} "
            f"{_fmt(b['dense_build_s'])} s ({b['vectors']}); build peak RSS "
            f"{_fmt(b['peak_rss_mb'], 0)} MB",
        )
        rec = ", ".join(f"{k} {v:.3f}" for k, v in q["recall"].items())
        row(f"{label} synthetic: dense recall vs exact ({b['queries']} queries)", rec)
        lat = q["latency"]
        parts = [
            f"{m} {_fmt(lat[m]['p50_ms'])}/{_fmt(lat[m]['p95_ms'])}"
            for m in (*MODES, "query_embedding", "dense_search")
            if m in lat
        ]
        row(f"{label} synthetic: search p50/p95 ms", " · ".join(parts))
        row(
            f"{label} synthetic: serving memory",
            f"peak RSS {_fmt(q['peak_rss_mb'], 0)} MB (model {_fmt(q['model_rss_mb'], 0)} MB, "
            f"after loading the index {_fmt(q['rss_after_load_mb'], 0)} MB; at the end "
            f"{_fmt(q['rss_end'].get('anon_mb'), 0)} MB private + "
            f"{_fmt(q['rss_end'].get('index_files_mb'), 0)} MB mapped index files + "
            f"{_fmt(q['rss_end'].get('other_files_mb'), 0)} MB libraries); index on disk "
            f"{_fmt(q['index_mb'], 0)} MB; index load {_fmt(q['load_s'], 1)} s",
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- stage entry point


def _stage_main(argv: Sequence[str]) -> int:
    """Run one stage: argv is one JSON object, its "stage" and parameters (see `_run_stage`).

    Not a command line for people: `yingshang bench` (scripts/cli.py) is.
    """
    if len(argv) != 1:
        raise SystemExit("usage: python -m bench.performance '{\"stage\": NAME, ...}' | -")
    params = json.loads(sys.stdin.read() if argv[0] == "-" else argv[0])
    stage = params["stage"]
    config = _config_from(params)
    if stage == "embedding":
        out = stage_embedding(config, params["backends"], params.get("limit"), params["rounds"])
    elif stage == "seed":
        out = stage_seed(
            config,
            params["backend"],
            Path(params["queries"]),
            params["repeat"],
            params["ask_n"],
            params.get("page", False),
            Path(params["export"]) if params.get("export") else None,
        )
    elif stage == "scale-build":
        out = stage_scale_build(
            config,
            params["n"],
            Path(params["folder"]),
            params["queries"],
            params.get("flat_max"),
            Path(params["bases"]) if params.get("bases") else None,
        )
    elif stage == "scale-query":
        out = stage_scale_query(
            config, Path(params["folder"]), params["repeat"], params.get("with_model", True)
        )
    else:
        raise SystemExit(f"unknown stage {stage}")
    sys.stdout.write("\n" + json.dumps(out, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(_stage_main(sys.argv[1:]))
