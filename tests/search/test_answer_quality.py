"""Answer quality on the real seed index with the real model (slow).

Answer rate = share of questions with an `answer` whose answer text contains it (whitespace
removed), as computed by `bench.evaluate.evaluate`. Run with `-s` to see the numbers:

    .venv/bin/python -m pytest -m slow -s tests/search/test_answer_quality.py
"""

from __future__ import annotations

import re
import statistics
import time

import pytest

from bench.calibration import CALIBRATION_NEGATIVES
from bench.evaluate import evaluate, is_answered, load_queries
from index.config import REPO_ROOT
from search.answer import Answerer
from search.searcher import QueryError

pytestmark = pytest.mark.slow

OWN_QUERIES = REPO_ROOT / "eval" / "own_queries.jsonl"
SEED_QUERIES = REPO_ROOT.parent / "shared" / "eval" / "seed_queries.jsonl"
MIN_ANSWER_RATE = 0.80


@pytest.fixture(scope="module")
def answerer(searcher) -> Answerer:
    return Answerer(searcher)


def _with_answers(path) -> list[dict]:
    if not path.exists():
        pytest.skip(f"{path} not found")
    return [q for q in load_queries(path) if q.get("answer")]


def _answer_rate(searcher, answerer, queries, label: str) -> float:
    def search_fn(q: str) -> list[dict]:
        return [h.to_json() for h in searcher.search(q, k=10).hits]

    answers = {}

    def answer_fn(q: str) -> str:
        answers[q] = answerer.ask(q)
        return answers[q].text

    report = evaluate(queries, search_fn, answer_fn)
    rate = report.metrics["answer_rate"]
    missed = [r for r in report.rows if not is_answered(r["answer"], _expected(queries, r["id"]))]
    confident = sum(
        1
        for q in queries
        if answers[q["query"]].confident and is_answered(answers[q["query"]].text, q["answer"])
    ) / len(queries)
    print(
        f"\n{label}: answer_rate={rate:.3f} (n={report.metrics['answer_n']}), "
        f"confident and answered={confident:.3f}, R@1={report.metrics['R@1']:.3f}, "
        f"R@5={report.metrics['R@5']:.3f}"
    )
    for r in missed:
        where = r["first_relevant_rank"]
        print(f"  missed {r['id']} (first relevant hit: {where}) {r['query']}")
    return rate, confident


def _expected(queries, qid):
    return next(q["answer"] for q in queries if q.get("id") == qid)


def test_answer_rate_own_queries(searcher, answerer):
    rate, confident = _answer_rate(searcher, answerer, _with_answers(OWN_QUERIES), "own_queries")
    assert rate >= MIN_ANSWER_RATE
    assert confident >= 0.70  # the threshold must not hide most good answers


def test_answer_rate_seed_queries(searcher, answerer):
    rate, _ = _answer_rate(searcher, answerer, _with_answers(SEED_QUERIES), "seed_queries")
    assert rate >= MIN_ANSWER_RATE


def test_field_question_cites_the_lead_unit(answerer):
    ans = answerer.ask("压缩出口退税办理时间由哪个部门牵头？")
    assert ans.kind == "field" and ans.confident
    assert "广西税务局" in ans.text
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", ans.text)]
    assert numbers and all(1 <= n <= len(ans.citations) for n in numbers)
    first = ans.hits[numbers[0] - 1]
    assert "广西税务局" in first.unit.lead_units
    assert ans.citations[numbers[0] - 1] == first.citation


def test_empty_question_raises(answerer):
    with pytest.raises(QueryError):
        answerer.ask("")
    with pytest.raises(QueryError):
        answerer.ask("   ")


def test_questions_the_corpus_cannot_answer_are_not_confident(answerer):
    unsure = [q for q in CALIBRATION_NEGATIVES if not answerer.ask(q).confident]
    print(f"\nnot confident on {len(unsure)}/{len(CALIBRATION_NEGATIVES)} unanswerable questions")
    assert len(unsure) >= 0.8 * len(CALIBRATION_NEGATIVES)
    ans = answerer.ask("海南自由贸易港的企业所得税优惠税率是多少？")
    assert not ans.confident and "海南" in ans.notice and ans.hits


def test_ask_latency(answerer):
    """Reports ask latency (no assertion: shared test machines are too noisy)."""
    questions = [q["query"] for q in _with_answers(OWN_QUERIES)[:20]]
    for q in questions:  # warm: sentence vectors cached
        answerer.ask(q)
    times = []
    for q in questions:
        t0 = time.perf_counter()
        answerer.ask(q)
        times.append((time.perf_counter() - t0) * 1000)
    print(f"\nask latency (warm) p50={statistics.median(times):.0f} ms max={max(times):.0f} ms")
