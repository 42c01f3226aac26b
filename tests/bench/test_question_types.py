"""The recognition report: misses per row, but never the rows of a held-out set."""

from bench.question_types import score
from search.question import Question


def _question(kind: str) -> Question:
    return Question(text="q", kind=kind, types=frozenset({kind}))


def test_misses_listed_for_tuning_sets_and_hidden_for_held_out():
    rows = [
        {"id": "a", "type": "list", "query": "有哪几项措施？"},
        {"id": "b", "type": "figure", "query": "压缩到多少天？"},
        {"id": "c", "type": "none", "query": "没有答案的问题"},
    ]
    report = score("set", rows, [_question("list"), _question("method"), _question("figure")])
    assert (report.kind_right, report.kind_total) == (1, 2)  # the none row is not scored
    assert any("压缩到多少天" in line for line in report.lines())
    hidden = report.lines(rows=False)
    assert not any("压缩到多少天" in line or "有哪几项" in line for line in hidden)
    assert hidden[0].startswith("set: kind accuracy 1/2")
