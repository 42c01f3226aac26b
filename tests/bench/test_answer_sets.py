"""bench.answer_sets: every set in one run; blind and held-out sets by aggregates only."""

from __future__ import annotations

import json

from bench.answer_sets import answer_set_files, moved, read_rows, run_sets, summary_lines
from bench.evaluate import AnswerOutcome


def _write(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def _sets(tmp_path):
    folder = tmp_path / "eval"
    folder.mkdir()
    _write(
        folder / "answer_types_fresh1.jsonl",
        [
            {"id": "a1", "type": "field", "query": "谁牵头甲", "answer": "甲局"},
            {"id": "a2", "type": "none", "query": "火星的营商环境"},
        ],
    )
    _write(
        folder / "answer_types_fresh9.jsonl",
        [{"id": "b1", "type": "list", "query": "有哪几项乙", "answers": ["乙一", "乙二"]}],
    )
    _write(
        folder / "answer_types_holdout.jsonl",
        [{"id": "h1", "type": "figure", "query": "丙有多少", "answer": "3个"}],
    )
    _write(folder / "own_queries.jsonl", [{"id": "o1", "query": "丁怎么办", "answer": "丁办"}])
    (folder / "similar_cases.jsonl").write_text("{}\n", "utf-8")  # not an answer set
    return folder


def _answers(table):
    def answer(question):
        text, confident = table.get(question, ("", False))
        return AnswerOutcome(text, confident, "extractive")

    return answer


GOOD = {
    "谁牵头甲": ("牵头单位：甲局", True),
    "火星的营商环境": ("", False),
    "有哪几项乙": ("1. 乙一 2. 乙二", True),
    "丙有多少": ("共3个", True),
    "丁怎么办": ("丁办", False),
}


def test_every_answer_set_is_run_and_its_rows_written(tmp_path):
    folder = _sets(tmp_path)
    files = answer_set_files(folder)
    assert [f.stem for f in files] == [
        "answer_types_fresh1",
        "answer_types_fresh9",
        "answer_types_holdout",
        "own_queries",
    ]
    assert [f.stem for f in answer_set_files(folder, ["fresh9"])] == ["answer_types_fresh9"]
    out = tmp_path / "run"
    reports = run_sets(files, lambda q: [], _answers(GOOD), out)
    rows = read_rows(out)
    assert set(rows) == {f.stem for f in files}
    assert rows["answer_types_fresh1"][0]["answered"] is True
    assert rows["own_queries"][0] == {
        "id": "o1",
        "query": "丁怎么办",
        "type": None,
        "answered": True,
        "confident": False,
        "kind": "extractive",
        "answer": "丁办",
        "rank": None,
    }
    lines = summary_lines(reports, blind=["fresh9"])
    # Readable: fresh1 and own_queries (2 answered of 2, the none row unsure).
    assert lines[0].startswith("可读问题集 2 个：答对 2/2；有把握 对 1 错 0；无把握 对 1 错 0")
    assert lines[0].endswith("无法回答的问题未标有把握 1/1")
    text = "\n".join(lines)
    assert "answer_types_fresh9: answer_rate=1.000" in text and "list" in text
    assert "answer_types_holdout: answer_rate=1.000" in text


def test_a_comparison_lists_readable_rows_and_only_counts_blind_and_held_out_ones(tmp_path):
    folder = _sets(tmp_path)
    files = answer_set_files(folder)
    run_sets(files, lambda q: [], _answers(GOOD), tmp_path / "before")
    worse = {**GOOD, "谁牵头甲": ("不知道", True), "有哪几项乙": ("1. 乙一", True)}
    worse["丙有多少"] = ("不知道", True)
    run_sets(files, lambda q: [], _answers(worse), tmp_path / "after")
    lines = moved(tmp_path / "before", tmp_path / "after", blind=["fresh9"])
    assert "answer_types_fresh1: +0 −1" in lines and "  − a1 谁牵头甲" in lines
    assert "answer_types_fresh9: +0 −1" in lines and "answer_types_holdout: +0 −1" in lines
    assert not any("有哪几项乙" in line or "丙有多少" in line for line in lines)
    assert lines[-1] == "合计：+0 −3"
    back = moved(tmp_path / "after", tmp_path / "before", blind=["fresh9"])
    assert "  + a1 谁牵头甲" in back and back[-1] == "合计：+3 −0"
