"""The measurement commands of `yingshang` (bench/ behind scripts/cli.py) on the seed index."""

from __future__ import annotations

import json

import pytest

from scripts.cli import main
from search.similar import REPRESENTATIONS

pytestmark = pytest.mark.slow


@pytest.fixture
def index_args(seed_index, monkeypatch) -> list[str]:
    config, _ = seed_index
    monkeypatch.setenv("YINGSHANG_CACHE_DIR", str(config.cache_dir))
    return ["--index", str(config.index_dir)]


def test_eval_similar_prints_one_row_per_representation(index_args, capsys):
    assert main(["eval-similar", *index_args, "--settings", "0:0,1:0.5"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("标注 24 条；未能对应的标题 0 个")
    rows = [line.split() for line in out.splitlines()[3:]]
    names = {" ".join(r[:-4]) for r in rows}
    assert names == {
        f"{r} p={p} b={b}" for r in REPRESENTATIONS for p, b in (("0", "0"), ("1", "0.5"))
    }
    assert all(0.0 <= float(v) <= 1.0 for r in rows for v in r[-4:])


def test_calibrate_reports_the_recorded_threshold(index_args, capsys, tmp_path):
    queries = tmp_path / "q.jsonl"
    rows = [
        {"id": "q1", "query": "压缩出口退税办理时间由哪个部门牵头？", "answer": "广西税务局"},
        {"id": "q2", "query": "没有答案的问题", "gold": []},  # no answer: not used
    ]
    queries.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    assert main(["calibrate", *index_args, "--queries", str(queries), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["recorded"] == pytest.approx(1.111)
    assert result["answered"] == 1 and result["unanswered"] >= 1
    assert -1.0 <= result["recorded_j"] <= result["j"] <= 1.0


def test_similar_takes_a_representation_and_refuses_an_unknown_one(index_args, capsys):
    uid = "广西市场化营商环境典型案例#case009"
    assert main(["similar", uid, "--representation", "mean", "--json", *index_args]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 5
    assert main(["similar", uid, "--representation", "nope", *index_args]) == 2
    assert "未知的表示方式" in capsys.readouterr().err


def test_train_reader_evaluate_only_without_fitted_folds_says_what_to_run(tmp_path, capsys):
    # A fresh machine has no fold selectors: the command says so before building anything.
    out = tmp_path / "selector"
    assert main(["train-reader", "--evaluate-only", "--out", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "没有找到交叉验证的区间选择器" in printed and "yingshang train-reader" in printed
    assert not out.exists()


def test_train_reader_splits_must_be_a_positive_count(tmp_path, capsys):
    # Said before the NCPQA build (minutes): nothing is measured, nothing written.
    assert main(["train-reader", "--splits", "-2", "--out", str(tmp_path / "folds")]) == 2
    assert "须是正整数" in capsys.readouterr().out
    assert main(["train-reader", "--product-splits", "-1", "--out", str(tmp_path / "f")]) == 2
    assert "--product-splits 须是正整数" in capsys.readouterr().out
    assert not (tmp_path / "folds").exists()
