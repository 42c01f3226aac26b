"""Lexical retriever: BM25 (bm25s) over jieba tokens, same tokenizer for text and queries."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path

import bm25s
import jieba
import numpy as np

from index.rows import JsonlWriter

jieba.setLogLevel(logging.WARNING)

BM25_DIR = "bm25"
TOKENS_FILE = "tokens.jsonl"

# Domain terms jieba would otherwise split, so a query for the whole term matches it.
_DOMAIN_TERMS = (
    "营商环境",
    "政府采购",
    "不动产登记",
    "企业开办",
    "跨省通办",
    "一网通办",
    "证照分离",
    "保证金",
    "牵头单位",
    "配合单位",
    "完成时限",
    "放管服",
    "双随机",
    "一公开",
    "信用监管",
    "电子营业执照",
    "工程建设项目",
    "获得电力",
    "获得用水",
    "获得用气",
    "纳税服务",
    "出口退税",
    "跨境贸易",
    "中小企业",
    "民营企业",
    "市场主体",
    "经营主体",
    "承诺制",
    "容缺受理",
    "免审即得",
    "准入即准营",
    "一件事",
    "帮办代办",
    "首违不罚",
)
for _term in _DOMAIN_TERMS:
    jieba.add_word(_term, freq=200000)

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
        tok = tok.strip().lower()
        if tok and _TOKEN_OK.search(tok) and tok not in STOPWORDS:
            tokens.append(tok)
    return tokens


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
        if self.retriever is None or k <= 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        vocab = self.retriever.vocab_dict
        q_tokens = [t for t in dict.fromkeys(tokenize(query)) if t in vocab]
        if not q_tokens:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        scores = np.asarray(self.retriever.get_scores(q_tokens), dtype=np.float32)
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
        return sub[order], nonzero[order].astype(np.int64)

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


def domain_terms() -> tuple[str, ...]:
    """The domain words added to jieba's dictionary (Milvus's jieba analyzer gets them too)."""
    return _DOMAIN_TERMS
