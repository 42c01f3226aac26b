"""`yingshang similar` against the real seed index: the --json contract and plain output.

The command runs in-process with the session's searcher (same index, model loaded once).
"""

from __future__ import annotations

import json

import pytest

import scripts.cli
from scripts.cli import main
from tests.contracts import SIMILAR_CONTRACT

pytestmark = pytest.mark.slow


@pytest.fixture
def run(seed_index, searcher, monkeypatch, capsys):
    config, _ = seed_index

    def use_session_searcher(cfg):
        assert cfg.index_dir == config.index_dir
        return searcher

    monkeypatch.setattr(scripts.cli, "make_searcher", use_session_searcher)

    def _run(*argv: str) -> tuple[int, str, str]:
        code = main(["similar", *argv, "--index", str(config.index_dir)])
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run


def _unit_id(searcher, title_part: str, kind: str = "case") -> str:
    (uid,) = [
        u.id for u in searcher.index.current.units if u.kind == kind and title_part in u.title
    ]
    return uid


def _check_contract(rows: list, k: int) -> None:
    assert isinstance(rows, list) and len(rows) == k
    for row in rows:
        assert set(row) == SIMILAR_CONTRACT
        assert isinstance(row["score"], float) and isinstance(row["pair_score"], float)
        assert isinstance(row["shared_terms"], list) and isinstance(row["same_indicator"], bool)
        assert len(row["passage_pair"]) == 2 and all(row["passage_pair"])
        assert row["reason"] and all(set(d) == {"doc", "unit_id"} for d in row["duplicates"])
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True)


def test_similar_json_for_a_case_id(run, searcher):
    guigang = _unit_id(searcher, "贵港市多措并举")
    code, out, _ = run(guigang, "--json", "--k", "5")
    assert code == 0
    rows = json.loads(out)
    _check_contract(rows, 5)
    assert guigang not in {r["unit_id"] for r in rows}
    assert {r["unit_kind"] for r in rows} == {"case"}
    pair = [r for r in rows if r["duplicates"]]  # the finance department's case, once
    assert len(pair) == 1 and len(pair[0]["duplicates"]) == 1
    assert pair[0]["duplicates"][0]["doc"] != pair[0]["doc"]


def test_similar_json_for_a_measure_id_and_for_pasted_text(run, searcher):
    measure = _unit_id(searcher, "提高办理破产质效", kind="measure")
    code, out, _ = run(measure, "--json", "--k", "3")
    rows = json.loads(out)
    assert code == 0 and {r["unit_kind"] for r in rows} == {"measure"}
    _check_contract(rows, 3)
    text = "取消政府采购投标保证金，提高中小企业预留份额，推行政府采购合同线上融资"
    code, out, _ = run(text, "--json", "--k", "4")
    assert code == 0
    _check_contract(json.loads(out), 4)


def test_similar_plain_output_names_the_other_source(run, searcher):
    finance = _unit_id(searcher, "自治区财政厅突出")
    code, out, _ = run(finance, "--k", "3")
    assert code == 0
    assert out.startswith("与「自治区财政厅突出“四向”发力") and "相似的案例" in out
    assert "同一案例另见《2023年广西优化营商环境" in out
    assert out.count("最相近段落相似度") == 3
    measure = _unit_id(searcher, "提高办理破产质效", kind="measure")
    assert run(measure, "--k", "2")[1].splitlines()[0].endswith("相似的措施：")


def test_similar_bad_targets_are_plain_errors(run):
    code, out, err = run("广西市场化营商环境典型案例#case999", "--json")
    assert code == 2 and not out and "没有编号为" in err and "yingshang units" in err
    code, out, err = run("   ")
    assert code == 2 and "请输入" in err
