"""BM25 retriever: document frequencies come from the saved index, not the tokens file."""

from __future__ import annotations

from index.lexical import LexicalIndex

TOKENS = [["采购", "保证金"], ["采购", "信用"], ["纳税"], ["采购", "采购", "纳税"]]
EXPECTED = {"采购": 3, "保证金": 1, "信用": 1, "纳税": 2}


def test_document_frequencies_of_a_built_index():
    df, n = LexicalIndex.build(TOKENS).document_frequencies()
    assert (df, n) == (EXPECTED, 4)


def test_document_frequencies_after_load_do_not_read_the_tokens(tmp_path):
    LexicalIndex.build(TOKENS).save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    assert loaded.document_frequencies() == (EXPECTED, 4)
    assert loaded._tokens is None  # the tokens file stayed unread


def test_document_frequencies_of_an_empty_index():
    assert LexicalIndex.build([]).document_frequencies() == ({}, 0)
