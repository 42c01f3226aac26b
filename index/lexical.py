"""Lexical retriever: BM25 (bm25s) over jieba tokens, same tokenizer for text and queries."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Container, Sequence
from pathlib import Path

import bm25s
import jieba
import numpy as np

from index.rows import JsonlWriter

jieba.setLogLevel(logging.WARNING)

BM25_DIR = "bm25"
TOKENS_FILE = "tokens.jsonl"

# Domain terms jieba would otherwise split, so a query for the whole term matches it. They
# are data (a curated list plus terms mined from the corpus by `bench.terms`); an index
# records the file's hash (`dictionary_hash`), so a changed list rebuilds the BM25 index.
DOMAIN_TERMS_FILE = Path(__file__).with_name("data") / "domain_terms.txt"
_TERM_FREQ = 200000  # high enough that jieba prefers the whole term to its parts


def domain_terms(path: Path | None = DOMAIN_TERMS_FILE) -> list[str]:
    """Terms of a dictionary file: one per line, `#` starts a comment."""
    if path is None or not path.exists():
        return []
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return [t for t in lines if t]


_loaded: list[str] = []


def dictionary_hash() -> str:
    """Identifies the domain terms jieba uses now: tokens (and so BM25) depend on them."""
    return hashlib.sha256("\n".join(_loaded).encode()).hexdigest()[:16]


# term → the tokens jieba gives it without the term: a whole term is emitted alongside its
# parts, so a dictionary only adds tokens (a query for "通办" still matches "跨省通办").
_parts: dict[str, tuple[str, ...]] = {}


def use_dictionary(path: Path | None = DOMAIN_TERMS_FILE) -> None:
    """Make jieba know exactly the terms of `path` (None: none); measurement switches it."""
    for term in _loaded:
        jieba.del_word(term)
    _loaded[:] = domain_terms(path)
    _parts.clear()
    without = {term: jieba.lcut_for_search(term) for term in _loaded}
    for term in _loaded:
        jieba.add_word(term, freq=_TERM_FREQ)
    for term, base in without.items():
        emitted = set(jieba.lcut_for_search(term))  # the term and its sub-words jieba knows
        _parts[term] = tuple(t for t in base if t not in emitted)


use_dictionary()

# Function and question words: they say how something is asked, not what about.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "是",
        "在",
        "有",
        "也",
        "就",
        "都",
        "而",
        "并",
        "对",
        "把",
        "被",
        "让",
        "给",
        "从",
        "向",
        "为",
        "以",
        "于",
        "上",
        "下",
        "中",
        "等",
        "这",
        "那",
        "其",
        "之",
        "个",
        "些",
        "我",
        "我们",
        "你",
        "你们",
        "他们",
        "它",
        "啊",
        "吗",
        "呢",
        "吧",
        "么",
        "呀",
        "怎样",
        "怎么",
        "怎么样",
        "如何",
        "哪些",
        "哪个",
        "哪里",
        "什么",
        "多少",
        "几",
        "是否",
        "能否",
        "能不能",
        "有没有",
        "可以",
        "请问",
        "请",
        "一下",
        "进行",
        "相关",
        "方面",
        "问题",
        "情况",
        "采取",
        "做法",
        "哪",
        "谁",
        "何时",
        "什么时候",
    ]
)
_TOKEN_OK = re.compile(r"[\w\u4e00-\u9fff]")


def tokenize(text: str) -> list[str]:
    """jieba search-mode tokens, lower-cased, without punctuation and stopwords."""
    tokens = []
    for tok in jieba.cut_for_search(text):
        for t in (tok, *_parts.get(tok, ())):
            t = t.strip().lower()
            if t and _TOKEN_OK.search(t) and t not in STOPWORDS:
                tokens.append(t)
    return tokens


# A word jieba cuts into single characters in a question ("刷脸就能办事" → 刷/脸) is often one
# token in the passages ("“刷脸办电”" → 刷脸): a query would then never match it lexically.
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def query_tokens(query: str, vocabulary: Container[str]) -> list[str]:
    """The tokens of `query` the index knows (`tokenize`), and each pair of neighbouring
    single characters jieba left apart whose join the index knows as a word."""
    tokens = tokenize(query)
    pieces = jieba.lcut(query)
    for a, b in zip(pieces, pieces[1:], strict=False):
        singles = all(len(p) == 1 and _CJK_CHAR.match(p) and p not in STOPWORDS for p in (a, b))
        if singles and a + b in vocabulary:  # Chinese characters: no case to fold
            tokens.append(a + b)
    return [t for t in dict.fromkeys(tokens) if t in vocabulary]


class LexicalIndex:
    """BM25 over pre-tokenised passages; tokens are kept so the index can be re-built.

    A loaded index reads its tokens file only when `tokens` is first used (an incremental
    build): searching never needs them, and at a million passages they would take gigabytes.
    """

    def __init__(
        self,
        retriever: bm25s.BM25 | None,
        tokens: list[list[str]] | None,
        tokens_path: Path | None = None,
    ) -> None:
        self.retriever = retriever
        self._tokens = tokens
        self._tokens_path = tokens_path

    @property
    def tokens(self) -> list[list[str]]:
        if self._tokens is None:
            self._tokens = _read_tokens(self._tokens_path) if self._tokens_path else []
        return self._tokens

    @property
    def size(self) -> int:
        if self._tokens is None and self.retriever is not None:
            return int(self.retriever.scores["num_docs"])
        return len(self.tokens)

    def document_frequencies(self) -> tuple[dict[str, int], int]:
        """(passages containing each token, number of passages), without reading the tokens.

        bm25s keeps one column of its sparse score matrix per token, so a token's document
        frequency is the length of its column.
        """
        if self.retriever is None:
            df: dict[str, int] = {}
            for toks in self.tokens:
                for t in set(toks):
                    df[t] = df.get(t, 0) + 1
            return df, len(self.tokens)
        lengths = np.diff(np.asarray(self.retriever.scores["indptr"]))
        vocab = self.retriever.vocab_dict
        df = {t: int(lengths[i]) for t, i in vocab.items() if t and i < len(lengths)}
        return df, self.size

    @classmethod
    def build(cls, tokens: Sequence[Sequence[str]]) -> LexicalIndex:
        tokens = [list(t) for t in tokens]
        if not tokens:
            return cls(None, [])
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        return cls(retriever, tokens)

    def search(
        self, query: str, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (scores, positions) with score > 0; `allowed` restricts positions."""
        return top_k(self.scores(query) if k > 0 else None, k, allowed)

    def scores(self, query: str) -> np.ndarray | None:
        """BM25 score of every passage for `query`; None when no query term is indexed."""
        if self.retriever is None:
            return None
        q_tokens = query_tokens(query, self.retriever.vocab_dict)
        if not q_tokens:
            return None
        return np.asarray(self.retriever.get_scores(q_tokens), dtype=np.float32)

    def save(self, folder: Path) -> None:
        """The tokens and the BM25 matrices (the index store streams tokens itself)."""
        writer = JsonlWriter(folder / TOKENS_FILE)
        try:
            for toks in self.tokens:
                writer.write(toks)
        finally:
            writer.close()
        self.save_retriever(folder)

    def save_retriever(self, folder: Path) -> None:
        """The BM25 matrices only; an empty index has none (`load` then reads the tokens)."""
        if self.retriever is not None:
            self.retriever.save(str(folder / BM25_DIR), show_progress=False)

    @classmethod
    def load(cls, folder: Path, mmap: bool = True) -> LexicalIndex:
        if not (folder / BM25_DIR).is_dir():  # an empty index: no retriever was saved
            return cls(None, _read_tokens(folder / TOKENS_FILE))
        retriever = bm25s.BM25.load(str(folder / BM25_DIR), mmap=mmap, show_progress=False)
        return cls(retriever, None, folder / TOKENS_FILE)


def _read_tokens(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def top_k(
    scores: np.ndarray | None, k: int, allowed: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k (scores, positions) of a full score array with score > 0, within `allowed`."""
    if scores is None or k <= 0:
        return np.zeros(0, np.float32), np.zeros(0, np.int64)
    if allowed is not None:
        mask = np.zeros(len(scores), dtype=bool)
        mask[allowed] = True
        scores = np.where(mask, scores, 0.0)
    nonzero = np.flatnonzero(scores > 0)
    if len(nonzero) == 0:
        return np.zeros(0, np.float32), np.zeros(0, np.int64)
    k = min(k, len(nonzero))
    sub = scores[nonzero]
    part = np.argpartition(-sub, k - 1)[:k]
    order = part[np.argsort(-sub[part], kind="stable")]
    return sub[order].astype(np.float32), nonzero[order].astype(np.int64)
