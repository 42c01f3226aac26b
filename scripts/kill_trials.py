"""kill -9 trials: `yingshang add` killed at random moments must leave a whole index.

On a throwaway copy of two seed documents (in a temp folder; the real corpus and index
are never touched), each trial writes a new document, starts `yingshang add` in its own
process group, kills the group with SIGKILL after a random delay (0 to 1.2 × the time
one uninterrupted add takes), then checks:
- the live index loads and is consistent (index.verify.index_problems);
- nothing indexed before was lost, and nothing appeared that is not in the corpus;
- the writer lock is free again.
At the end a normal `yingshang build` must index every file left pending by a kill.

    python -m scripts.kill_trials --trials 50          # about 5 minutes
    python -m scripts.kill_trials --trials 3 --json    # as the test runs it
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from index.config import REPO_ROOT
from index.store import load_index, writer_lock
from index.verify import index_problems

SEED_DOCS = (
    "钦州市贯彻落实广西提质增效优化营商环境若干措施实施方案.txt",
    "广西市场化营商环境典型案例.txt",
)


def _cli(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "scripts.cli", *map(str, args)]


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }


def _fresh_text(rng: random.Random, tag: str) -> str:
    """A short document of new sentences (not in the embedding cache)."""
    source = (REPO_ROOT / "corpus" / SEED_DOCS[1]).read_text("utf-8").replace("\n", "")
    sentences = [s for s in source.split("。") if len(s) > 20]
    picked = rng.sample(sentences, min(40, len(sentences)))
    return "\n".join(f"{s}（{tag}-{i}）。" for i, s in enumerate(picked))


def _docs(index_dir: Path) -> set[str]:
    return {d.doc for d in load_index(index_dir).documents}


def _corpus_docs(corpus: Path) -> set[str]:
    return {p.name for p in corpus.iterdir() if p.is_file() and p.suffix == ".txt"}


def _build(corpus: Path, index: Path) -> None:
    subprocess.run(
        _cli("build", "--corpus", corpus, "--index", index),
        env=_env(),
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )


def _add(corpus: Path, index: Path, path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        _cli("add", path, "--corpus", corpus, "--index", index),
        env=_env(),
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group: the kill reaches the parse child too
    )


def run(trials: int, seed: int, workdir: Path, log=print) -> dict:
    rng = random.Random(seed)
    corpus, index, new = workdir / "corpus", workdir / "index", workdir / "new"
    for folder in (corpus, new):
        folder.mkdir(parents=True)
    for name in SEED_DOCS:
        shutil.copy(REPO_ROOT / "corpus" / name, corpus / name)
    _build(corpus, index)
    # One uninterrupted add: how long a kill window is.
    reference = new / "reference.txt"
    reference.write_text(_fresh_text(rng, "ref"), "utf-8")
    started = time.perf_counter()
    if _add(corpus, index, reference).wait() != 0:
        raise RuntimeError("reference add failed")
    window = 1.2 * (time.perf_counter() - started)
    log(f"一次完整的 add 用时 {window / 1.2:.1f} 秒；随机在 0–{window:.1f} 秒内 kill -9")
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    for n in range(1, trials + 1):
        before = _docs(index)
        path = new / f"trial-{n:04d}.txt"
        path.write_text(_fresh_text(rng, f"{seed}-{n}"), "utf-8")
        proc = _add(corpus, index, path)
        delay = rng.uniform(0, window)
        try:
            proc.wait(timeout=delay)
            outcomes["在 kill 前已完成"] += 1
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        problems = _check(index, corpus, before)
        indexed, copied = path.name in _docs(index), (corpus / path.name).exists()
        outcomes["已编入索引" if indexed else "已复制、待编入" if copied else "未复制"] += 1
        if problems:
            failures.append(f"第 {n} 次（{delay:.2f} 秒）：" + "；".join(problems))
            log(failures[-1])
        elif n % 10 == 0:
            log(f"{n}/{trials} 次通过")
    # Recovery: a normal build indexes whatever the kills left pending.
    _build(corpus, index)
    pending = _corpus_docs(corpus) - _docs(index)
    final = index_problems(index) + ([f"重建后仍未编入：{sorted(pending)}"] if pending else [])
    return {
        "trials": trials,
        "window_s": round(window, 2),
        "outcomes": dict(outcomes),
        "failures": failures,
        "final_problems": final,
        "documents": len(_docs(index)),
    }


def _check(index: Path, corpus: Path, before: set[str]) -> list[str]:
    problems = index_problems(index)
    if problems:
        return problems
    after = _docs(index)
    if not before <= after:
        problems.append(f"已索引的文档丢失：{sorted(before - after)}")
    if not after <= _corpus_docs(corpus):
        problems.append(f"索引中有语料中没有的文档：{sorted(after - _corpus_docs(corpus))}")
    try:
        with writer_lock(index, timeout=5):
            pass
    except Exception as exc:
        problems.append(f"写锁未释放：{exc}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="kill -9 试验：随机中断 yingshang add")
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--keep", action="store_true", help="保留临时目录以便检查")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="yingshang-kill-"))
    try:
        result = run(args.trials, args.seed, workdir, log=lambda m: print(m, file=sys.stderr))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(
            f"{result['trials']} 次 kill -9："
            + "，".join(f"{k} {v}" for k, v in result["outcomes"].items())
        )
        print(
            f"不一致 {len(result['failures'])} 次；重建后问题 {len(result['final_problems'])} 个；文档 {result['documents']} 个"
        )
        for line in result["failures"] + result["final_problems"]:
            print("  " + line)
    return 1 if result["failures"] or result["final_problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
