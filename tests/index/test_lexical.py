"""BM25 retriever: document frequencies come from the saved index, not the tokens file."""

from __future__ import annotations

from index.lexical import LexicalIndex, query_tokens, tokenize

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


# ------------------------------------------------------------- domain dictionary

import pytest  # noqa: E402

from index import lexical  # noqa: E402


@pytest.fixture
def restore_dictionary():
    yield
    lexical.use_dictionary()


def test_dictionary_file_holds_the_curated_terms():
    terms = lexical.domain_terms()
    for term in ("放管服", "一网通办", "跨省通办", "证照分离", "双随机", "承诺制"):
        assert term in terms
    assert len(terms) == len(set(terms))  # no term twice


def test_dictionary_adds_whole_terms_and_keeps_their_parts(restore_dictionary, tmp_path):
    text = "推进跨省通办，优化营商环境"
    lexical.use_dictionary(None)
    plain = lexical.tokenize(text)
    plain_hash = lexical.dictionary_hash()
    assert "跨省通办" not in plain
    lexical.use_dictionary()
    with_terms = lexical.tokenize(text)
    assert "跨省通办" in with_terms and "营商环境" in with_terms
    assert set(plain) <= set(with_terms)  # a query for a part ("通办") still matches
    assert with_terms.count("跨省") == plain.count("跨省")  # parts are not counted twice
    assert lexical.dictionary_hash() != plain_hash
    own = tmp_path / "terms.txt"
    own.write_text("# comment\n营商环境\n\n", "utf-8")
    assert lexical.domain_terms(own) == ["营商环境"]
    lexical.use_dictionary(own)
    assert "跨省通办" not in lexical.tokenize(text)


def test_index_built_with_another_dictionary_is_stale(
    small_corpus, fake_encoder, restore_dictionary
):
    from index.build import is_stale, sync_index

    config = small_corpus.with_overrides(model="fake-encoder")
    sync_index(config, fake_encoder)
    assert not is_stale(config)
    lexical.use_dictionary(None)
    assert is_stale(config)


def test_query_joins_single_characters_the_index_knows_as_a_word():
    # jieba cuts "刷脸就能办事" into 刷/脸, while the passage's "“刷脸办电”" gives 刷脸.
    passages = ["着力推动居民“刷脸办电”和小微企业“一证办电”常态化", "推行工程建设项目审批"]
    index = LexicalIndex.build([tokenize(p) for p in passages])
    vocabulary = index.retriever.vocab_dict
    question = "刷脸就能办事这块，各打算用到什么地方？"
    assert "刷脸" not in tokenize(question)
    assert "刷脸" in query_tokens(question, vocabulary)
    _, positions = index.search(question, k=2)
    assert positions.tolist()[:1] == [0]


def test_query_joins_no_stopword_and_nothing_the_index_lacks():
    vocabulary = {"办事", "刷脸"}
    assert query_tokens("刷脸就能办事", {"办事"}) == ["办事"]
    assert "就能" not in query_tokens("刷脸就能办事", vocabulary | {"就能"})
