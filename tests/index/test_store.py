"""The streaming version writer: what it writes is what `load_index` reads."""

from __future__ import annotations

import numpy as np
import pytest

from index.dense import DenseIndex
from index.embedding import ModelInfo
from index.lexical import LexicalIndex, tokenize
from index.store import CURRENT, DocRecord, IndexMissing, load_index, open_version
from index.types import Passage, Unit

MODEL = ModelInfo("fake-encoder", 8, "query: ", "passage: ", "torch")


def _rows():
    """Two documents, three units, five passages (one unit id not listed: position -1)."""
    docs = [
        (DocRecord("a.txt", "甲文", "sha-a", "c-a", units=2, passages=3), "甲市保证金降至1%。"),
        (DocRecord("b.txt", "乙文", "sha-b", "c-b", units=1, passages=2), "乙市不动产登记。"),
    ]
    units = [
        Unit(id="a#case1", doc="a.txt", kind="case", title="降低保证金", start=0, end=9),
        Unit(id="a#case2", doc="a.txt", kind="case", title="压缩时限", start=0, end=9),
        Unit(id="b#measure1", doc="b.txt", kind="measure", title="全城通办", start=0, end=8),
    ]
    texts = ["政府采购保证金", "降至百分之一", "企业开办一日办结", "不动产登记全城通办", "孤立段落"]
    unit_of = ["a#case1", "a#case1", "a#case2", "b#measure1", "x#case9"]
    passages = [
        Passage(f"{u}/p{i}", u.split("#")[0] + ".txt", u, "标题", t, 0, len(t), 1, 1)
        for i, (u, t) in enumerate(zip(unit_of, texts, strict=True))
    ]
    return docs, units, passages


def _write(index_dir, commit: bool = True) -> tuple[np.ndarray, list[list[str]]]:
    docs, units, passages = _rows()
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((len(passages), MODEL.dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    tokens = [tokenize(p.text) for p in passages]
    with open_version(index_dir, MODEL) as writer:
        for record, text in docs:
            writer.add_document(record, text)
        for unit in units:
            writer.add_unit(unit)
        for passage, toks in zip(passages, tokens, strict=True):
            writer.add_passage(passage, toks)
        assert writer.counts == {"documents": 2, "units": 3, "passages": 5}
        writer.set_dense(DenseIndex.build(vectors))
        writer.set_lexical(LexicalIndex.build(tokens))
        if commit:
            writer.commit({"synthetic": True})
    return vectors, tokens


def test_streamed_version_round_trips_through_load_index(tmp_path):
    vectors, tokens = _write(tmp_path / "index")
    data = load_index(tmp_path / "index", MODEL)
    docs, units, passages = _rows()
    assert data.documents == [d for d, _ in docs]
    assert data.units == units
    assert list(data.passages) == passages
    assert data.passages.unit_index.tolist() == [0, 0, 1, 2, -1]
    assert data.source_text("b.txt") == "乙市不动产登记。"
    assert np.allclose(np.asarray(data.dense.vectors), vectors)
    assert data.lexical.tokens == tokens
    _, ids = data.lexical.search("不动产登记", 3)
    assert ids.tolist()[0] == 3
    _, ids = data.dense.search(vectors[2], 1)
    assert ids.tolist() == [2]
    m = data.manifest
    assert m["counts"] == {"documents": 2, "units": 3, "passages": 5}
    assert m["corpus"] == {"a.txt": "sha-a", "b.txt": "sha-b"} and m["synthetic"] is True
    assert not list((tmp_path / "index").glob(".tmp-*"))


def test_a_writer_left_without_commit_leaves_nothing(tmp_path):
    _write(tmp_path / "index", commit=False)
    assert not (tmp_path / "index" / CURRENT).exists()
    assert not list((tmp_path / "index").iterdir())
    with pytest.raises(IndexMissing):
        load_index(tmp_path / "index")


def test_a_version_missing_its_dense_index_is_refused(tmp_path):
    _, _, passages = _rows()
    with open_version(tmp_path / "index", MODEL) as writer:
        writer.add_passage(passages[0], ["保证金"])
        writer.set_lexical(LexicalIndex.build([["保证金"]]))
        with pytest.raises(ValueError, match="incomplete"):
            writer.commit()
    assert not list((tmp_path / "index").iterdir())
