"""DenseIndex: exact vs HNSW by size, recall, filters, persistence (small random data)."""

from __future__ import annotations

import numpy as np
import pytest

from index.dense import DenseIndex


def _unit(rows: int, dim: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((rows, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    return _unit(20_000, 32, 0), _unit(50, 32, 1)


@pytest.fixture(scope="module")
def hnsw(data) -> DenseIndex:
    return DenseIndex.build(data[0], flat_max=1_000)


def test_kind_follows_size():
    x = _unit(300, 16, 2)
    assert DenseIndex.build(x).kind == "flat"
    assert DenseIndex.build(x, flat_max=100).kind == "hnsw"
    assert DenseIndex.build(np.zeros((0, 16), np.float32)).size == 0


def test_flat_is_exact():
    x, q = _unit(500, 16, 3), _unit(1, 16, 4)[0]
    scores, ids = DenseIndex.build(x).search(q, 5)
    expected = np.argsort(-(x @ q), kind="stable")[:5]
    assert ids.tolist() == expected.tolist()
    assert np.allclose(scores, (x @ q)[expected], atol=1e-5)


def test_hnsw_recall_against_exact(data, hnsw):
    x, queries = data
    flat = DenseIndex.build(x)
    recalls = []
    for q in queries:
        _, approx = hnsw.search(q, 10)
        _, exact = flat.search(q, 10)
        recalls.append(len(set(approx.tolist()) & set(exact.tolist())) / 10)
    assert np.mean(recalls) >= 0.95


def test_hnsw_scores_are_exact_and_sorted(data, hnsw):
    x, queries = data
    scores, ids = hnsw.search(queries[0], 20)
    assert len(ids) == 20 and len(set(ids.tolist())) == 20
    assert np.all(np.diff(scores) <= 1e-6)
    assert np.allclose(scores, x[ids] @ queries[0], atol=1e-5)  # re-scored, not SQ8 codes


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
@pytest.mark.parametrize("stride", [7, 2])  # small allowed set (exact) and large (selector)
def test_allowed_filter(data, hnsw, kind, stride, monkeypatch):
    import index.dense as dense

    x, queries = data
    index = hnsw if kind == "hnsw" else DenseIndex.build(x)
    monkeypatch.setattr(dense, "EXACT_FILTER_MAX", 5_000)
    allowed = np.arange(0, len(x), stride, dtype=np.int64)
    q = queries[3]
    scores, ids = index.search(q, 10, allowed=allowed)
    assert len(ids) == 10 and set(ids.tolist()) <= set(allowed.tolist())
    exact = allowed[np.argsort(-(x[allowed] @ q), kind="stable")[:10]]
    overlap = len(set(ids.tolist()) & set(exact.tolist()))
    assert overlap >= (10 if kind == "flat" else 8)
    assert np.all(np.diff(scores) <= 1e-6)


def test_allowed_smaller_than_k_and_empty(hnsw, data):
    q = data[1][0]
    scores, ids = hnsw.search(q, 10, allowed=np.array([5, 3], dtype=np.int64))
    assert sorted(ids.tolist()) == [3, 5] and len(scores) == 2
    scores, ids = hnsw.search(q, 10, allowed=np.zeros(0, dtype=np.int64))
    assert len(ids) == 0 and len(scores) == 0


def test_k_larger_than_size():
    x = _unit(7, 8, 5)
    for flat_max in (100, 3):
        scores, ids = DenseIndex.build(x, flat_max=flat_max).search(x[0], 50)
        assert sorted(ids.tolist()) == list(range(7))
        assert ids[0] == 0 and scores[0] == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("flat_max", [100_000, 1_000])
def test_save_load_round_trip(tmp_path, data, flat_max):
    x, queries = data
    x = x[:3_000]
    index = DenseIndex.build(x, flat_max=flat_max)
    index.save(tmp_path)
    loaded = DenseIndex.load(tmp_path)
    assert loaded.kind == index.kind and loaded.size == len(x)
    assert isinstance(loaded.vectors, np.memmap) and loaded.vectors.dtype == np.float32
    for q in queries[:5]:
        a_scores, a_ids = index.search(q, 10)
        b_scores, b_ids = loaded.search(q, 10)
        assert a_ids.tolist() == b_ids.tolist()
        assert np.allclose(a_scores, b_scores)
    eager = DenseIndex.load(tmp_path, mmap=False)
    assert not isinstance(eager.vectors, np.memmap)


def test_rows_of_a_loaded_index_are_read_exactly(tmp_path):
    """Re-scoring reads rows with pread from the file (not through the mapping)."""
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((1000, 8)).astype(np.float32)
    DenseIndex.build(vectors).save(tmp_path)
    loaded = DenseIndex.load(tmp_path)
    assert isinstance(loaded.vectors, np.memmap)
    for pos in ([5], [0, 1, 2, 3], [3, 4, 10, 11, 12, 999], [7, 2, 3], []):
        rows = loaded.rows(np.array(pos, dtype=np.int64))
        assert np.array_equal(rows, vectors[pos].reshape(-1, 8)), pos


def test_a_loaded_index_still_reads_rows_after_its_folder_is_removed(tmp_path):
    """A reader on an old version keeps working after a newer version replaced it and the
    old folder was collected (writers never fail readers)."""
    import shutil

    vectors = np.random.default_rng(3).standard_normal((50, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    folder = tmp_path / "v-old"
    folder.mkdir()
    DenseIndex.build(vectors).save(folder)
    loaded = DenseIndex.load(folder)
    shutil.rmtree(folder)
    assert np.array_equal(loaded.rows(np.array([3, 4, 20])), vectors[[3, 4, 20]])
    allowed = np.arange(0, 50, 2)  # a small filter is scored exactly from the rows
    _, ids = loaded.search(vectors[7], 3, allowed=allowed)
    expected = allowed[np.argsort(-(vectors[allowed] @ vectors[7]))[:3]]
    assert ids.tolist() == expected.tolist()
