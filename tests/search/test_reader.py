"""The reader's span decoding (pure functions) and, marked slow, the shipped reader itself."""

from __future__ import annotations

import json

import numpy as np
import pytest

from index.reader_model import READER_DIR, PassageLogits
from index.reader_training import answer_in, fold_of, token_span
from search.reader import best_span, reader_owns, tidy_span

from ..conftest import SHARED_EVAL


def _logits(n: int, start: dict[int, float], end: dict[int, float], null: float = 0.0):
    """n tokens: <s>, two question tokens, then passage tokens k=3.. covering chars 2(k-3).."""
    s = np.full(n, -5.0)
    e = np.full(n, -5.0)
    s[0] = e[0] = null / 2
    for i, v in start.items():
        s[i] = v
    for i, v in end.items():
        e[i] = v
    offsets = np.full((n, 2), -1)
    for k in range(3, n):
        offsets[k] = (2 * (k - 3), 2 * (k - 3) + 2)
    return PassageLogits(s, e, offsets)


def test_best_span_takes_the_best_start_end_pair_inside_the_passage() -> None:
    logits = _logits(10, {1: 9.0, 4: 3.0, 6: 2.0}, {1: 9.0, 5: 3.0, 8: 1.0})
    a, b, margin = best_span(logits, max_tokens=10)
    # Token 1 is in the question: never part of a span, however high it scores.
    assert (a, b) == (2, 6)  # tokens 4..5
    assert margin == pytest.approx(6.0)


def test_best_span_respects_the_length_limit_and_order() -> None:
    logits = _logits(12, {3: 5.0}, {11: 5.0, 5: 1.0, 2: 9.0})
    a, b, _ = best_span(logits, max_tokens=3)
    assert (a, b) == (0, 6)  # tokens 3..5: 3..11 is too long, an end before its start is no span


def test_best_span_margin_is_relative_to_no_answer() -> None:
    logits = _logits(8, {3: 1.0}, {4: 1.0}, null=10.0)
    assert best_span(logits, 5)[2] == pytest.approx(-8.0)


def test_best_span_of_a_passage_without_text_tokens() -> None:
    logits = PassageLogits(np.zeros(3), np.zeros(3), np.full((3, 2), -1))
    assert best_span(logits, 5) is None


def test_tidy_span_drops_leading_punctuation_and_finishes_the_sentence() -> None:
    text = "前文。，对符合条件的企业给予补贴。后文很长很长很长"
    a = text.index("，")
    b = text.index("补贴") + 2
    a2, b2 = tidy_span(text, a, b)
    assert text[a2:b2] == "对符合条件的企业给予补贴。"
    # An end far from the sentence end is left where the model put it.
    far = "对企业给予补贴并且还有很多很多内容"
    assert tidy_span(far, 0, 6) == (0, 6)


def test_reader_owns_method_questions_and_unknown_layouts_but_not_comparisons() -> None:
    assert reader_owns("method", "case")
    assert reader_owns("figure", "section")
    assert not reader_owns("figure", "measure")
    assert not reader_owns("comparison", "section")


def test_answer_in_finds_the_answer_or_the_part_a_passage_holds() -> None:
    passage = "一、总体要求\n对参展企业给予 补贴，最高50万元。其他内容。"
    a, b = answer_in(passage, "对参展企业给予补贴，最高50万元。")
    assert passage[a:b] == "对参展企业给予 补贴，最高50万元。"
    # The passage holds the second half of a long answer: that half is its span.
    a, b = answer_in(
        "其他。第二部分的内容比较长也要算上。",
        "第一部分很长的内容在前一段。第二部分的内容比较长也要算上。",
    )
    assert a == 3
    assert answer_in("毫不相干的一段话", "对参展企业给予补贴") is None


def test_token_span_maps_characters_to_tokens() -> None:
    offsets = [(-1, -1), (-1, -1), (0, 2), (2, 4), (4, 7), (-1, -1)]
    assert token_span(offsets, 2, 5) == (3, 4)
    assert token_span(offsets, -1, -1) == (0, 0)
    assert token_span(offsets, 9, 12) == (0, 0)  # cut off by truncation: no answer


def test_folds_are_stable_and_split_the_documents() -> None:
    keys = [f"doc{i}" for i in range(200)]
    folds = [fold_of(k) for k in keys]
    assert folds == [fold_of(k) for k in keys]
    assert 60 < sum(folds) < 140


@pytest.mark.slow
def test_shipped_reader_finds_the_answer_in_a_real_ncpqa_document(real_config) -> None:
    from index.e5model import ensure_default_model
    from search.reader import Reader

    reader = Reader(ensure_default_model(real_config.cache_dir), READER_DIR)
    assert reader.available, "search/data/reader must ship the trained reader"
    row = next(
        json.loads(line)
        for line in (SHARED_EVAL / "ncpqa_dev" / "queries.jsonl").open(encoding="utf-8")
        if "展会" in line
    )
    doc = (SHARED_EVAL / "ncpqa_dev" / "corpus" / f"{row['gold'][0]['doc']}.txt").read_text("utf-8")
    at = "".join(doc.split()).find(row["answer_span"][:20])
    assert at >= 0
    flat = "".join(doc.split())
    passage = flat[max(0, at - 120) : at + 260]
    other = "各区要加强疫情防控宣传，引导市民科学佩戴口罩，减少聚集。"
    span = reader.read(row["query"], [other, passage])
    assert span is not None and span.hit == 1
    # Character F1 of the span against the gold answer.
    from collections import Counter

    common = sum((Counter(span.text) & Counter(row["answer_span"])).values())
    f1 = 2 * common / (len(span.text) + len(row["answer_span"]))
    assert f1 >= 0.5, (span.text, row["answer_span"])
