"""LexicalIndex storage: tokens are read lazily after loading."""

from __future__ import annotations

from index.lexical import TOKENS_FILE, LexicalIndex, tokenize


def test_loaded_index_reads_tokens_only_when_needed(tmp_path):
    texts = ["政府采购投标保证金降至1%", "企业开办一个工作日办结", "不动产登记全城通办"]
    built = LexicalIndex.build([tokenize(t) for t in texts])
    built.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    assert loaded._tokens is None and loaded.size == 3  # size from the BM25 matrix
    scores, ids = loaded.search("投标保证金", 2)
    assert ids.tolist()[0] == 0 and loaded._tokens is None
    assert loaded.tokens == built.tokens  # read on first use (incremental builds)


def test_empty_index_round_trip(tmp_path):
    LexicalIndex.build([]).save(tmp_path)
    assert (tmp_path / TOKENS_FILE).exists()
    loaded = LexicalIndex.load(tmp_path)
    assert loaded.retriever is None and loaded.size == 0 and loaded.tokens == []
    assert loaded.search("保证金", 5)[1].size == 0
