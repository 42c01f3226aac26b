"""The Milvus store against a real Milvus Lite: in this process (a `.db` path) and as the
embedded server (`milvus-lite server`) that several processes share.

Unit tests embed the seed corpus with the fake encoder; the slow test compares retrieval
quality on the shared seed questions with the local store, using the real model.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from index.build import corpus_files, embed_input, load_corpus_manifest, parse_file
from index.config import REPO_ROOT, Config
from index.milvus_store import (
    MilvusStore,
    MilvusStoreError,
    MilvusUnavailable,
    _index_finished,
    collection_name,
    filter_expression,
)
from index.store import DocRecord, IndexMismatch
from index.types import Passage, Unit
from search.fusion import reciprocal_rank_fusion
from search.searcher import Filters
from tests.conftest import CORPUS, SHARED_EVAL, FakeEncoder

pytest.importorskip("milvus_lite")

PYTHON = sys.executable


@dataclass(frozen=True)
class Doc:
    record: DocRecord
    units: tuple[Unit, ...]
    passages: tuple[Passage, ...]
    vectors: np.ndarray
    texts: tuple[str, ...]  # BM25 / embedding inputs

    def args(self) -> tuple:
        return self.record, self.units, self.passages, self.vectors, self.texts


def parse_corpus(corpus: Path, encoder) -> dict[str, Doc]:
    """The corpus parsed and chunked as the build does, embedded with `encoder`."""
    config = Config(corpus_dir=corpus)
    meta = load_corpus_manifest(corpus)
    docs = {}
    for path in corpus_files(corpus):
        doc = path.relative_to(corpus).as_posix()
        parsed = parse_file(path, doc, meta.get(path.name, {}), config)
        units = {u.id: u for u in parsed.units}
        texts = [
            embed_input(parsed.record.title, units[p.unit_id], p, config.context_header)
            for p in parsed.passages
        ]
        vectors, _ = encoder.encode_passages(texts)
        docs[doc] = Doc(
            parsed.record, tuple(parsed.units), tuple(parsed.passages), vectors, tuple(texts)
        )
    return docs


@pytest.fixture(scope="module")
def seed_docs() -> dict[str, Doc]:
    return parse_corpus(CORPUS, FakeEncoder())


@pytest.fixture(scope="module")
def lite_uri(tmp_path_factory) -> str:
    """One Milvus Lite data path for the module (this process holds it)."""
    return str(tmp_path_factory.mktemp("milvus") / "lite.db")


@pytest.fixture(scope="module")
def filled(lite_uri, seed_docs) -> MilvusStore:
    """The five seed documents in one collection (read-only for the tests that use it)."""
    store = MilvusStore(lite_uri, "seed")
    store.drop()
    store.create(FakeEncoder().info, {"chunk_target": 300})
    for doc in seed_docs.values():
        store.upsert_document(*doc.args())
    store.flush()
    return store


@pytest.fixture
def store(lite_uri) -> MilvusStore:
    """An empty collection of its own for a test that writes."""
    store = MilvusStore(lite_uri, f"t_{uuid.uuid4().hex[:8]}")
    store.create(FakeEncoder().info)
    yield store
    store.drop()


def test_collection_names_are_valid_milvus_names():
    assert collection_name("data/index") == "ys_data_index"
    assert collection_name("营商 2024") == "ys____2024"
    assert collection_name("") == "ys_index"


def test_filter_expression_quotes_values():
    expr = filter_expression(Filters(kind="case", doc='a"b.txt'))
    assert expr == 'kind == "case" and (doc == "a\\"b.txt" or doc_title like "%a\\"b.txt%")'
    assert filter_expression(Filters()) == ""
    assert filter_expression(None) == ""


def test_upsert_lists_documents_and_counts_passages(filled, seed_docs):
    total = sum(len(d.passages) for d in seed_docs.values())
    assert filled.count() == total
    listed = filled.documents()
    assert set(listed) == set(seed_docs)
    for name, doc in seed_docs.items():
        assert listed[name].content_hash == doc.record.content_hash
        assert listed[name].passages == len(doc.passages)
        assert listed[name].record == doc.record
    assert filled.meta()["settings"] == {"chunk_target": 300}


def test_hits_carry_passage_unit_and_title(filled, seed_docs):
    hits = filled.bm25_search("不动产登记", 5)
    assert hits and [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all("不动产" in h.passage.text or "不动产" in h.unit.title for h in hits[:3])
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    top = hits[0]
    doc = seed_docs[top.passage.doc]
    assert top.passage in doc.passages
    assert top.unit in doc.units
    assert top.doc_title == doc.record.title
    assert top.to_json()["passage_id"] == top.passage.id


def test_dense_search_ranks_the_passage_itself_first(filled, seed_docs):
    doc = next(iter(seed_docs.values()))
    for i in (0, len(doc.passages) // 2):
        hits = filled.dense_search(doc.vectors[i], 3)
        assert hits[0].passage.id == doc.passages[i].id
        assert hits[0].score == pytest.approx(1.0, abs=1e-4)


def test_dense_index_is_hnsw_and_returns_the_exact_top_ten(filled, seed_docs):
    """HNSW at every size; searched wider than the collection it finds the exact neighbours
    (also after `reload`, which attaches the segments' graphs)."""
    filled.reload()
    info = filled.client.describe_index(filled.name, "dense")
    assert info["index_type"] == "HNSW"
    ids = [p.id for d in seed_docs.values() for p in d.passages]
    matrix = np.vstack([d.vectors for d in seed_docs.values()])
    rng = np.random.default_rng(3)
    for _ in range(5):
        query = rng.standard_normal(matrix.shape[1]).astype(np.float32)
        query /= np.linalg.norm(query)
        exact = [ids[i] for i in np.argsort(-(matrix @ query))[:10]]
        assert [pid for pid, _ in filled.dense_ids(query, 10)] == exact


def _allowed_ids(seed_docs, filters: Filters) -> set[str]:
    """Passage ids the local rule (Filters.matches) allows."""
    out = set()
    for doc in seed_docs.values():
        units = {u.id: u for u in doc.units}
        out.update(p.id for p in doc.passages if filters.matches(units[p.unit_id], doc.record))
    return out


def _some_values(seed_docs) -> list[Filters]:
    units = [u for d in seed_docs.values() for u in d.units]
    region = next(u.region for u in units if u.region)
    indicator = next(u.indicator for u in units if u.indicator)
    lead = next(u.lead_units[0] for u in units if u.lead_units)
    deadline = next(u.deadline for u in units if u.deadline)
    doc = next(iter(seed_docs))
    return [
        Filters(kind="case"),
        Filters(kind="measure"),
        Filters(region=region[-3:]),
        Filters(region="广西"),
        Filters(indicator=indicator[:2]),
        Filters(lead_unit=lead[:3]),
        Filters(year=deadline[:4]),
        Filters(year="2023"),
        Filters(doc=doc),
        Filters(doc="典型案例"),
        Filters(kind="case", region="南宁"),
        Filters(kind="measure", lead_unit="市", year="2024"),
        Filters(region="没有这个地方"),
        Filters(indicator="开办企业"),  # a synonym of 企业开办 (index/data/indicators.json)
        Filters(indicator="政府采购"),
        Filters(doc_type="案例集"),
        Filters(doc_type="政策文件", year="2024"),
        Filters(year=" "),
    ]


def test_filters_run_inside_milvus_with_the_local_rule(filled, seed_docs):
    total = sum(len(d.passages) for d in seed_docs.values())
    query = FakeEncoder().encode_queries(["优化营商环境"])[0]
    for filters in _some_values(seed_docs):
        wanted = _allowed_ids(seed_docs, filters)
        got = {h.passage.id for h in filled.dense_search(query, total, filters)}
        assert got == wanted, filters
        for hit in filled.bm25_search("营商环境 企业", 50, filters):
            assert hit.passage.id in wanted, filters
        hybrid = filled.hybrid_search("营商环境 企业", query, 20, candidates=50, filters=filters)
        assert {h.passage.id for h in hybrid} <= wanted, filters
        assert len(hybrid) == min(20, len(wanted)), filters
    assert _allowed_ids(seed_docs, Filters(region="没有这个地方")) == set()


def test_ids_only_searches_agree_with_full_hits(filled, seed_docs):
    query = "企业开办时间压缩"
    vector = FakeEncoder().encode_queries([query])[0]
    for filters in (None, Filters(kind="case")):
        for full, ids in (
            (filled.bm25_search(query, 15, filters), filled.bm25_ids(query, 15, filters)),
            (filled.dense_search(vector, 15, filters), filled.dense_ids(vector, 15, filters)),
        ):
            assert [pid for pid, _ in ids] == [h.passage.id for h in full]
            assert [s for _, s in ids] == pytest.approx([h.score for h in full])
    assert filled.any_match(Filters(kind="case"))
    assert not filled.any_match(Filters(region="没有这个地方"))
    assert filled.any_match(None)


def test_hybrid_is_rrf_of_dense_and_bm25(filled):
    query = "企业开办时间压缩"
    vector = FakeEncoder().encode_queries([query])[0]
    dense = [h.passage.id for h in filled.dense_search(vector, 20)]
    bm25 = [h.passage.id for h in filled.bm25_search(query, 20)]
    fused = dict(reciprocal_rank_fusion([dense, bm25], k=60))
    hits = filled.hybrid_search(query, vector, 10, candidates=20, rrf_k=60)
    assert len(hits) == 10
    for hit in hits:
        assert hit.score == pytest.approx(fused[hit.passage.id], rel=1e-5)
    best = sorted(fused.values(), reverse=True)[:10]
    assert [h.score for h in hits] == pytest.approx(best, rel=1e-5)


def test_reupsert_replaces_without_duplicates_and_delete_removes(store, seed_docs):
    a, b = list(seed_docs.values())[:2]
    store.upsert_document(*a.args())
    store.upsert_document(*b.args())
    store.upsert_document(*a.args())
    assert store.count() == len(a.passages) + len(b.passages)
    # A changed document with fewer passages: the old extra passages go.
    fewer = Doc(a.record, a.units, a.passages[:3], a.vectors[:3], a.texts[:3])
    store.upsert_document(*fewer.args())
    assert store.count() == 3 + len(b.passages)
    store.delete_document(b.record.doc)
    assert set(store.documents()) == {a.record.doc}
    assert store.count() == 3
    assert {h.passage.doc for h in store.bm25_search("营商环境", 100)} == {a.record.doc}


def test_interrupted_update_is_unlisted_and_a_rerun_completes(store, seed_docs):
    doc = next(iter(seed_docs.values()))
    # As if stopped after some passages were written but before the document row.
    store.client.upsert(store.name, [_row(doc, i) for i in range(4)])
    assert store.documents() == {}
    store.upsert_document(*doc.args())
    assert store.count() == len(doc.passages)
    assert set(store.documents()) == {doc.record.doc}


def _row(doc: Doc, i: int) -> dict:
    from index.milvus_store import _passage_row

    units = {u.id: u for u in doc.units}
    p = doc.passages[i]
    return _passage_row(doc.record, units[p.unit_id], p, doc.vectors[i], doc.texts[i])


def test_another_model_is_refused(store):
    other = FakeEncoder(dim=32)
    again = MilvusStore(store.uri, store.name.removeprefix("ys_"))
    with pytest.raises(IndexMismatch, match="模型"):
        again.create(other.info)


def test_lite_path_must_end_in_db(tmp_path):
    with pytest.raises(MilvusStoreError, match=r"\.db 结尾"):
        MilvusStore(str(tmp_path / "milvus"), "x")


# ------------------------------------------------------------------ servers and faults


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(data: Path, port: int) -> subprocess.Popen:
    """`milvus-lite server` in its own process; returns once it accepts connections."""
    proc = subprocess.Popen(
        [PYTHON, "-m", "milvus_lite", "server", "--data-dir", str(data)]
        + ["--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(proc.stderr.read().decode(errors="replace"))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("milvus-lite server did not start")


def _stop(proc: subprocess.Popen) -> None:
    proc.kill()
    proc.wait(timeout=30)


@pytest.fixture
def server(tmp_path):
    data, port = tmp_path / "server.db", _free_port()
    proc = _start_server(data, port)
    yield data, port
    _stop(proc)


CHILD = textwrap.dedent(
    """
    import json, sys
    sys.path.insert(0, {root!r})
    from index.milvus_store import MilvusStore
    from tests.index.test_milvus_store import parse_corpus
    from tests.conftest import CORPUS, FakeEncoder

    store = MilvusStore({uri!r}, {name!r})
    docs = parse_corpus(CORPUS, FakeEncoder())
    for name in {docs!r}:
        store.upsert_document(*docs[name].args())
    hits = store.bm25_search("营商环境", 5)
    print(json.dumps({{"docs": sorted(store.documents()), "hits": len(hits)}}))
    """
)


def _child(uri: str, name: str, docs: list[str]) -> dict:
    """Run CHILD in a new Python process; its JSON summary."""
    script = CHILD.format(root=str(REPO_ROOT), uri=uri, name=name, docs=docs)
    child = subprocess.run(
        [PYTHON, "-c", script], capture_output=True, text=True, timeout=300, cwd=REPO_ROOT
    )
    assert child.returncode == 0, child.stderr[-2000:]
    return json.loads(child.stdout.strip().splitlines()[-1])


def test_two_processes_share_one_milvus_lite_server(server, seed_docs):
    data, port = server
    uri = f"http://127.0.0.1:{port}"
    names = list(seed_docs)
    ours = MilvusStore(uri, "shared")
    ours.create(FakeEncoder().info)
    ours.upsert_document(*seed_docs[names[0]].args())
    # A second process writes another document and searches while this one holds a client.
    seen = _child(uri, "shared", names[1:2])
    assert seen["docs"] == sorted(names[:2]) and seen["hits"] == 5
    assert set(ours.documents()) == set(names[:2])
    both = len(seed_docs[names[0]].passages) + len(seed_docs[names[1]].passages)
    assert ours.count() == both
    # The data path itself is held by the server: opening it directly is a clear error.
    with pytest.raises(MilvusUnavailable, match="另一个进程"):
        MilvusStore(str(data), "shared").exists()


def test_unreachable_server_is_a_chinese_error():
    with pytest.raises(MilvusUnavailable, match="无法连接 Milvus"):
        MilvusStore(f"http://127.0.0.1:{_free_port()}", "x", timeout=3).exists()


def test_server_stopped_mid_add_then_rerun_completes(tmp_path, seed_docs):
    data, port = tmp_path / "server.db", _free_port()
    uri = f"http://127.0.0.1:{port}"
    proc = _start_server(data, port)
    docs = list(seed_docs.values())
    store = MilvusStore(uri, "faults", timeout=60)  # creating is slow on a loaded machine
    store.create(FakeEncoder().info)
    store.upsert_document(*docs[0].args())
    store.timeout = 5  # the failing call need not wait long
    _stop(proc)  # kill -9: nothing is flushed on purpose
    with pytest.raises(MilvusUnavailable, match="无法连接 Milvus") as err:
        store.upsert_document(*docs[1].args())
    assert "重新运行" in str(err.value)
    proc = _start_server(data, port)
    try:
        # The re-run, a new process as a command would be: both documents again.
        seen = _child(uri, "faults", [d.record.doc for d in docs[:2]])
        assert seen["docs"] == sorted(d.record.doc for d in docs[:2])
        store = MilvusStore(uri, "faults", timeout=20)
        assert store.count() == len(docs[0].passages) + len(docs[1].passages)
    finally:
        _stop(proc)


# ------------------------------------------------------------------ quality, real model


@pytest.mark.slow
def test_seed_recall_equals_the_local_store(seed_index, searcher, tmp_path):
    """R@5 on the shared seed questions: Milvus Lite within 0.01 of the local store."""
    from bench.evaluate import evaluate, load_queries

    data = searcher.index.current.data
    store = MilvusStore(str(tmp_path / "quality.db"), "seed")
    store.create(data.model)
    units = {u.id: u for u in data.units}
    titles = {d.doc: d.title for d in data.documents}
    for record in data.documents:
        rows = data.passages.positions_of_units(
            i for i, u in enumerate(data.units) if u.doc == record.doc
        )
        passages = [data.passages[i] for i in rows]
        texts = [embed_input(titles[p.doc], units[p.unit_id], p, True) for p in passages]
        doc_units = [u for u in data.units if u.doc == record.doc]
        store.upsert_document(record, doc_units, passages, data.dense.rows(rows), texts)
    store.flush()
    assert store.count() == len(data.passages)

    queries = load_queries(SHARED_EVAL / "seed_queries.jsonl")
    encoder = searcher.encoder
    k, n = 10, searcher.config.candidates

    def milvus(mode: str):
        def run(query: str) -> list[dict]:
            if mode == "bm25":
                hits = store.bm25_search(query, k)
            elif mode == "dense":
                hits = store.dense_search(encoder.encode_queries([query])[0], k)
            else:
                vector = encoder.encode_queries([query])[0]
                hits = store.hybrid_search(query, vector, k, candidates=n)
            return [h.to_json() for h in hits]

        return run

    def local(mode: str):
        return lambda q: [h.to_json() for h in searcher.search(q, k=k, mode=mode).hits]

    for mode in ("dense", "bm25", "hybrid"):
        ours = evaluate(queries, milvus(mode)).metrics
        theirs = evaluate(queries, local(mode)).metrics
        print(mode, "milvus", ours, "local", theirs)
        assert abs(ours["R@5"] - theirs["R@5"]) <= 0.01, (mode, ours, theirs)


def test_reload_waits_until_every_flushed_passage_is_indexed(store, monkeypatch):
    """A load while Milvus still writes a segment's index can read it half-written: reload
    asks every index (dense, the BM25 sparse one, the filters') until none is behind."""
    asked = []
    describe = store.client.describe_index

    def sparse_behind_twice(name, field, timeout=None):
        asked.append(field)
        info = describe(name, field, timeout=timeout)
        if field == "sparse" and asked.count("sparse") < 3:
            info = {**info, "indexed_rows": 0, "state": "InProgress"}
        return info

    monkeypatch.setattr(store.client, "describe_index", sparse_behind_twice)
    store.reload()
    assert asked.count("sparse") == 3 and {"dense", "doc", "kind"} <= set(asked)


def test_an_index_is_finished_when_no_row_is_behind():
    done = {"total_rows": 5, "indexed_rows": 5, "pending_index_rows": 0, "state": "Finished"}
    assert _index_finished(done)
    assert _index_finished({"pending_index_rows": 0})  # a server that reports less
    assert not _index_finished({**done, "pending_index_rows": 2})
    assert not _index_finished({**done, "indexed_rows": 4})
    assert not _index_finished({**done, "state": "InProgress"})
