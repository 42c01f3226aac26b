"""The product on the Milvus store (real Milvus Lite, started by the tests): build, add,
remove, rebuild, search with filters and the JSON contract, the recorded store, and
`kill -9` during `yingshang add` followed by a re-run.

The fake encoder keeps these fast; `test_cli_on_the_seed_corpus` runs the real CLI and model.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from index.build import sync_index
from index.config import REPO_ROOT, Config
from index.milvus_index import milvus_uri, open_milvus, store_record, with_recorded_store
from index.store import load_index, read_manifest
from search.searcher import Filters, Searcher, SearchStatus
from tests.conftest import CORPUS, SHARED_EVAL, FakeEncoder
from tests.contracts import HIT_CONTRACT, SIMILAR_CONTRACT
from tests.index.test_milvus_store import _free_port, _start_server, _stop

pytest.importorskip("milvus_lite")

QUERIES = ("政府采购保证金比例", "不动产登记全城通办", "企业开办时间压缩", "纳税服务")


def _config(tmp_path: Path, store: str = "milvus") -> Config:
    corpus = tmp_path / "corpus"
    if not corpus.exists():
        shutil.copytree(CORPUS, corpus)
    return Config(
        corpus_dir=corpus, index_dir=tmp_path / "index", cache_dir=tmp_path / "cache", store=store
    )


def _consistent(config: Config) -> tuple[set[str], int]:
    """Milvus holds exactly the catalogue's documents and passages, each passage once."""
    data = load_index(config.index_dir)
    store = open_milvus(config)
    try:
        listed = store.documents()
        assert set(listed) == {d.doc for d in data.documents}
        assert store.count() == len(data.passages)  # primary keys: a duplicate would not count
        rows = store.client.query(store.name, filter='pid != ""', output_fields=["pid"])
        assert sorted(r["pid"] for r in rows) == sorted(p.id for p in data.passages)
    finally:
        store.close()
    return set(listed), len(data.passages)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Config, Searcher, Searcher]:
    """The seed corpus built on Milvus Lite; searchers on both stores over one catalogue."""
    config = _config(tmp_path_factory.mktemp("milvus_build"))
    encoder = FakeEncoder()
    sync_index(config, encoder)
    local = Searcher(config.with_overrides(store="local"), encoder)
    return config, Searcher(config, encoder), local


def test_build_fills_milvus_and_records_the_store(built):
    config, milvus, _ = built
    docs, passages = _consistent(config)
    assert len(docs) == len(list(CORPUS.glob("*.txt"))) and passages > 100
    recorded = read_manifest(config.index_dir)["store"]
    assert recorded == store_record(config)
    assert recorded["uri"] == str((config.index_dir / "milvus.db").resolve())
    assert "token" not in json.dumps(recorded)
    # A command without --store finds it; an explicit --store wins.
    plain = config.with_overrides(store="local")
    assert with_recorded_store(plain, False, False).store == "milvus"
    assert with_recorded_store(plain, True, False).store == "local"
    assert milvus.milvus is not None


def test_dense_ranking_equals_the_local_store(built):
    """HNSW searched wider than the collection is exact: the same passages in the same order."""
    _, milvus, local = built
    for query in QUERIES:
        ours = milvus.search(query, k=10, mode="dense")
        theirs = local.search(query, k=10, mode="dense")
        assert [h.passage.id for h in ours.hits] == [h.passage.id for h in theirs.hits]
        assert [h.score for h in ours.hits] == pytest.approx([h.score for h in theirs.hits])


def test_search_json_contract_and_hits_are_the_catalogues(built):
    _, milvus, local = built
    for mode in ("hybrid", "dense", "bm25"):
        result = milvus.search("不动产登记", k=5, mode=mode)
        assert result.status is SearchStatus.OK and len(result.hits) == 5
        for rank, hit in enumerate(result.hits, 1):
            data = hit.to_json()
            assert set(data) >= HIT_CONTRACT and data["rank"] == rank
            same = local.index.current.passage(hit.passage.id)
            assert same == hit.passage
        keys = {frozenset(h.to_json()) for h in local.search("不动产登记", k=5, mode=mode).hits}
        assert {frozenset(h.to_json()) for h in result.hits} == keys
    bm25 = [h.passage.id for h in milvus.search("不动产登记", k=5, mode="bm25").hits]
    assert all("不动产" in milvus.index.current.passage(pid).text for pid in bm25[:3])


FILTERS = (
    Filters(kind="case"),
    Filters(kind="measure", year="2024"),
    Filters(region="北海"),
    Filters(indicator="开办企业"),
    Filters(doc_type="政策文件"),
    Filters(lead_unit="市场监管局"),
)


def test_filters_run_in_milvus_and_match_the_local_store(built):
    _, milvus, local = built
    for filters in FILTERS:
        ours = milvus.search("优化营商环境", k=100, mode="dense", filters=filters)
        theirs = local.search("优化营商环境", k=100, mode="dense", filters=filters)
        assert [h.passage.id for h in ours.hits] == [h.passage.id for h in theirs.hits], filters
        assert ours.status == theirs.status, filters
    none = milvus.search("营商环境", filters=Filters(region="没有这个地方"))
    assert none.status is SearchStatus.NO_FILTER_MATCH and "筛选条件" in none.message


def test_search_uses_milvus_not_the_local_files(tmp_path):
    config = _config(tmp_path)
    encoder = FakeEncoder()
    sync_index(config, encoder)
    searcher = Searcher(config, encoder)
    doc = searcher.search("不动产登记", mode="bm25").hits[0].passage.doc
    store = open_milvus(config)
    store.delete_document(doc)  # behind the catalogue's back
    store.close()
    searcher = Searcher(config, encoder)  # a fresh client sees the delete
    assert doc not in {h.passage.doc for h in searcher.search("不动产登记", k=50).hits}
    # The next build notices the missing document and writes it again.
    sync_index(config, encoder)
    _consistent(config)


def test_add_remove_and_rebuild_are_incremental(tmp_path):
    config = _config(tmp_path)
    encoder = FakeEncoder()
    sync_index(config, encoder)
    docs, passages = _consistent(config)
    new = config.corpus_dir / "新增案例.txt"
    new.write_text(
        "丙市优化营商环境案例\n一、水电气网联合报装\n丙市推行水电气网联合报装一窗受理，"
        "办理时间压缩至3个工作日。\n",
        encoding="utf-8",
    )
    encoder.calls = 0
    report = sync_index(config, encoder)
    assert [d.doc for d in report.by_status("added")] == [new.name]
    assert encoder.calls == report.by_status("added")[0].passages  # only the new one embedded
    after, _ = _consistent(config)
    assert after == docs | {new.name}
    searcher = Searcher(config, encoder)
    assert searcher.search("水电气网联合报装", k=1, mode="dense").hits[0].passage.doc == new.name
    # In the hybrid top 3 only: Milvus Lite scores BM25 with each segment's own statistics,
    # and the added document is a segment of its own (README, "Milvus 存储").
    assert new.name in {h.passage.doc for h in searcher.search("水电气网联合报装", k=3).hits}

    new.unlink()
    sync_index(config, encoder)
    assert _consistent(config) == (docs, passages)

    encoder.calls = 0
    sync_index(config, encoder, full=True)  # rebuild: collections dropped and refilled
    assert _consistent(config) == (docs, passages)


def test_unreachable_milvus_fails_the_build_clearly_and_keeps_the_index(tmp_path):
    config = _config(tmp_path, store="local")
    encoder = FakeEncoder()
    sync_index(config, encoder)
    before = read_manifest(config.index_dir)
    down = config.with_overrides(store="milvus", milvus_uri="http://127.0.0.1:9")
    from index.milvus_store import MilvusUnavailable

    with pytest.raises(MilvusUnavailable, match="无法连接 Milvus"):
        sync_index(down, encoder)
    assert read_manifest(config.index_dir) == before  # the catalogue was not switched


def test_unknown_store_is_refused(tmp_path):
    with pytest.raises(ValueError, match="未知的存储"):
        sync_index(_config(tmp_path, store="elastic"), FakeEncoder())


# ---------------------------------------------------------------- kill -9 during add

CHILD = textwrap.dedent(
    """
    import sys
    import scripts.cli as cli
    from tests.conftest import FakeEncoder
    cli.make_encoder = lambda config: FakeEncoder()  # the real `add`, a fast encoder
    sys.exit(cli.main(sys.argv[1:]))
    """
)


def _add(config: Config, path: Path) -> subprocess.Popen:
    args = ["add", str(path), "--corpus", str(config.corpus_dir), "--index", str(config.index_dir)]
    args += ["--store", "milvus", "--milvus-uri", config.milvus_uri]
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, *args],
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def test_kill_9_during_add_then_a_rerun_loses_and_duplicates_nothing(tmp_path):
    """`yingshang add` killed at random moments, writing to a shared Milvus Lite server (a
    Lite `.db` opened in this process would be locked against the child)."""
    port = _free_port()
    server = _start_server(tmp_path / "server.db", port)
    try:
        _kill_trials(_config(tmp_path).with_overrides(milvus_uri=f"http://127.0.0.1:{port}"))
    finally:
        _stop(server)


def _kill_trials(config: Config) -> None:
    shutil.rmtree(config.corpus_dir)
    config.corpus_dir.mkdir()
    seeds = sorted(CORPUS.glob("*.txt"))
    shutil.copy(seeds[0], config.corpus_dir)
    sync_index(config, FakeEncoder())
    incoming = config.corpus_dir.parent / "incoming"
    incoming.mkdir()
    t0 = time.perf_counter()
    proc = _add(config, shutil.copy(seeds[1], incoming))
    assert proc.wait(timeout=300) == 0, proc.stderr.read().decode()
    whole = time.perf_counter() - t0
    rng = random.Random(16)
    kills = 0
    for seed in seeds[2:]:
        proc = _add(config, shutil.copy(seed, incoming))
        time.sleep(rng.uniform(0.3, 1.0) * whole)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
        # A re-run (the same add again) completes the index.
        rerun = _add(config, incoming / seed.name)
        assert rerun.wait(timeout=300) == 0, rerun.stderr.read().decode()
        docs, _ = _consistent(config)
        assert docs == {p.name for p in config.corpus_dir.glob("*.txt")}
    assert kills >= 1  # at least one add really was killed (most are: 30–100 % of an add)
    assert _consistent(config)[0] == {p.name for p in seeds}


# ---------------------------------------------------------------- the CLI, real model


@pytest.mark.slow
def test_cli_on_the_seed_corpus(tmp_path, capsys):
    """build --store milvus; then search, ask, similar and eval find the store themselves."""
    from scripts.cli import main

    config = _config(tmp_path)
    where = ["--index", str(config.index_dir)]
    assert main(["build", "--corpus", str(config.corpus_dir), *where, "--store", "milvus"]) == 0
    assert read_manifest(config.index_dir)["store"]["uri"] == milvus_uri(config)
    capsys.readouterr()

    assert main(["search", "不动产登记", "--json", "--k", "5", *where]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 5 and all(set(h) >= HIT_CONTRACT for h in hits)
    assert "不动产登记" in hits[0]["text"] + hits[0]["unit_title"]

    assert main(["ask", "政府采购投标保证金比例降到多少", "--json", *where]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["hits"] and answer["citations"]

    assert main(["similar", "不动产登记全城通办", "--json", "--k", "3", *where]) == 0
    items = json.loads(capsys.readouterr().out)
    assert items and all(set(i) == SIMILAR_CONTRACT for i in items)

    lines = {}
    for store in ("milvus", "local"):
        queries = str(SHARED_EVAL / "seed_queries.jsonl")
        args = ["eval", "--queries", queries, "--no-answers", "--store", store, *where]
        assert main(args) == 0
        lines[store] = capsys.readouterr().out.splitlines()[0]
    r5 = {s: float(line.split("R@5=")[1].split()[0]) for s, line in lines.items()}
    assert abs(r5["milvus"] - r5["local"]) <= 0.01, lines
