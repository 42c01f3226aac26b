"""Answer measures of bench.evaluate: character F1, `answers` lists, "none" rows, by type."""

from __future__ import annotations

import pytest

from bench.evaluate import AnswerOutcome, char_f1, evaluate, row_answered


def test_char_f1_is_over_the_multiset_of_characters_without_whitespace():
    assert char_f1("市 中级法院", "市中级法院") == 1.0
    assert char_f1("", "市中级法院") == 0.0
    # 3 characters in common, answer 4, span 6: P = 3/4, R = 3/6
    assert char_f1("甲乙乙丁", "甲乙丙丙乙戊") == pytest.approx(2 * 0.75 * 0.5 / 1.25)
    assert char_f1("乙乙乙", "乙") == pytest.approx(2 * (1 / 3) * 1 / (1 / 3 + 1))


def test_rows_with_answers_need_every_string_and_none_rows_need_no_confidence():
    assert row_answered({"answers": ["北海", "台州"]}, "北海…台州…", True)
    assert not row_answered({"answers": ["北海", "台州"]}, "北海…", True)
    assert row_answered({"type": "none"}, "随便什么", False)
    assert not row_answered({"type": "none"}, "随便什么", True)
    assert row_answered({"query": "x"}, "text", True) is None


def test_evaluate_reports_rates_by_type_and_f1():
    queries = [
        {"id": "a", "type": "field", "query": "q1", "answer": "甲"},
        {"id": "b", "type": "field", "query": "q2", "answer": "乙"},
        {"id": "c", "type": "none", "query": "q3"},
        {"id": "d", "query": "q4", "answer_span": "甲乙"},
    ]
    answers = {
        "q1": AnswerOutcome("甲", True, "field"),
        "q2": AnswerOutcome("丙", True, "field", 1.23456),
        "q3": AnswerOutcome("丙", False, "extractive"),
        "q4": AnswerOutcome("甲", True, "extractive"),
    }
    report = evaluate(queries, lambda q: [], answers.get)
    assert report.by_type == {"field": (1, 2), "none": (1, 1)}
    assert report.metrics["answer_rate"] == 0.5  # none rows are not in the overall rate
    assert report.metrics["char_f1"] == pytest.approx(2 / 3)
    rows = report.hits_out_rows()
    assert rows[1]["confident"] is True and rows[1]["kind"] == "field"
    assert rows[1]["answered"] is False and rows[3]["char_f1"] == pytest.approx(0.6667)
    assert rows[1]["score"] == 1.2346 and rows[0]["score"] is None
    assert any("field" in line and "1/2" in line for line in report.type_table())
    # q1 right and confident, q2 wrong and confident, q3 (none) unsure; q4 has no answer row
    assert report.confidence_line() == (
        "confident: right 1, wrong 1; unsure: right 0, wrong 0; unanswerable confident 0 of 1"
    )


def test_plain_text_answers_still_work():
    report = evaluate([{"query": "q", "answer": "甲"}], lambda q: [], lambda q: "甲乙")
    assert report.metrics["answer_rate"] == 1.0 and report.rows[0]["confident"] is None


def test_char_f1_scores_the_answers_words_and_reports_the_marked_figure_beside_it():
    # "十二条[1]。" against "十二条": the citation mark is the answer's reference, not its text.
    report = evaluate(
        [{"query": "q", "answer_span": "十二条"}],
        lambda q: [],
        lambda q: AnswerOutcome("十二条[1]。", True, "span"),
    )
    assert report.metrics["char_f1"] == pytest.approx(2 * 0.75 / 1.75)  # "。" still counts
    assert report.metrics["char_f1_marked"] == pytest.approx(2 * (3 / 7) / (1 + 3 / 7))
    row = report.hits_out_rows()[0]
    assert row["char_f1"] > row["char_f1_marked"]
