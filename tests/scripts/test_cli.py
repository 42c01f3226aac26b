"""The `yingshang` command line against the real seed index."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from index.config import REPO_ROOT
from scripts.cli import main
from tests.contracts import HIT_CONTRACT

pytestmark = pytest.mark.slow


def test_search_json_works_offline_in_a_fresh_process(seed_index):
    config, _ = seed_index
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "YINGSHANG_CACHE_DIR": str(config.cache_dir),
    }
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.cli",
            "search",
            "企业开办有哪些创新做法？",
            "--json",
            "--k",
            "5",
            "--index",
            str(config.index_dir),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=600,
        check=True,
    )
    hits = json.loads(out.stdout)
    assert len(hits) == 5
    for hit in hits:
        assert set(hit) >= HIT_CONTRACT
        assert hit["unit_kind"] in ("case", "measure", "section")
    assert hits[0]["score"] >= hits[-1]["score"]


def test_units_json_lists_cases_with_fields(seed_index, capsys):
    config, _ = seed_index
    assert main(["units", "--kind", "case", "--json", "--index", str(config.index_dir)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 52
    for key in ("id", "kind", "title", "doc", "region", "indicator", "org", "start", "end"):
        assert key in rows[0]
    assert (
        main(
            [
                "units",
                "--doc",
                "工作要点",
                "--kind",
                "measure",
                "--json",
                "--index",
                str(config.index_dir),
            ]
        )
        == 0
    )
    measures = json.loads(capsys.readouterr().out)
    assert len(measures) == 212
    assert all(m["deadline"] for m in measures if m["number"].isdigit())


def test_list_shows_documents(seed_index, capsys):
    config, _ = seed_index
    assert main(["list", "--json", "--index", str(config.index_dir)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 5 and all(r["passages"] > 0 and r["doc_type"] for r in rows)


def test_missing_index_is_reported_in_plain_words(tmp_path, capsys):
    assert main(["list", "--index", str(tmp_path / "none")]) == 2
    assert "yingshang build" in capsys.readouterr().err


def test_eval_prints_metrics_and_writes_hits(seed_index, tmp_path, capsys, monkeypatch):
    config, _ = seed_index
    monkeypatch.setenv("YINGSHANG_CACHE_DIR", str(config.cache_dir))
    queries = REPO_ROOT.parent / "shared" / "eval" / "seed_queries.jsonl"
    out = tmp_path / "hits.jsonl"
    assert (
        main(
            [
                "eval",
                "--queries",
                str(queries),
                "--index",
                str(config.index_dir),
                "--hits-out",
                str(out),
                "--no-answers",
            ]
        )
        == 0
    )
    line = capsys.readouterr().out
    assert "R@1=" in line and "MRR@10=" in line
    rows = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert len(rows) == 30
    assert set(rows[0]) >= {"id", "query", "type", "hits", "answer", "confident", "kind"}
    assert len(rows[0]["hits"]) == 10 and set(rows[0]["hits"][0]) >= HIT_CONTRACT


def test_eval_sets_runs_every_set_and_keeps_blind_rows_unread(
    seed_index, tmp_path, capsys, monkeypatch
):
    """`yingshang eval-sets` on the seed index: each set's line, the readable sets together,
    the blind set by type only; compared with a run whose blind row was answered otherwise,
    the blind set gives a count and never its question."""
    config, _ = seed_index
    monkeypatch.setenv("YINGSHANG_CACHE_DIR", str(config.cache_dir))
    sets = tmp_path / "eval"
    sets.mkdir()
    readable = {
        "id": "r1",
        "type": "field",
        "query": "钦州压缩破产案件收回债务时间，牵头单位是谁？",
    }
    blind = {"id": "z1", "type": "field", "query": "提升纳税服务的任务由哪个部门牵头？"}
    (sets / "answer_types_fresh1.jsonl").write_text(
        json.dumps({**readable, "answer": "市中级法院"}, ensure_ascii=False) + "\n", "utf-8"
    )
    (sets / "answer_types_fresh2.jsonl").write_text(
        json.dumps({**blind, "answer": "税务局"}, ensure_ascii=False) + "\n", "utf-8"
    )
    argv = ["eval-sets", "--index", str(config.index_dir), "--eval-dir", str(sets)]
    argv += ["--blind", "fresh2", "--no-llm"]
    assert main([*argv, "--out", str(tmp_path / "a")]) == 0
    out = capsys.readouterr().out
    assert "answer_types_fresh1: answer_rate=1.000 (n=1)" in out
    assert "可读问题集 1 个：答对 1/1" in out and "  field         1/1" in out
    rows = (tmp_path / "a" / "answer_types_fresh2.jsonl").read_text("utf-8").splitlines()
    assert json.loads(rows[0])["answered"] is True
    # A run before in which both rows were missed: both count as gained, the blind one unshown.
    before = tmp_path / "before"
    before.mkdir()
    for name, row in (("answer_types_fresh1", readable), ("answer_types_fresh2", blind)):
        missed = {**row, "answered": False}
        (before / f"{name}.jsonl").write_text(json.dumps(missed, ensure_ascii=False), "utf-8")
    assert main([*argv, "--out", str(tmp_path / "b"), "--compare", str(before)]) == 0
    out = capsys.readouterr().out
    assert "answer_types_fresh1: +1 −0" in out and f"+ r1 {readable['query']}" in out
    assert "answer_types_fresh2: +1 −0" in out and blind["query"] not in out
    assert "合计：+2 −0" in out


def test_eval_sets_refuses_a_comparison_with_no_run_before(tmp_path, capsys):
    argv = ["eval-sets", "--index", str(tmp_path / "none"), "--compare", str(tmp_path / "x")]
    assert main(argv) == 1
    assert "没有找到要比较的结果" in capsys.readouterr().out
    # Comparing with the folder this run would write over compares nothing.
    saved = tmp_path / "latest"
    saved.mkdir()
    (saved / "answer_types_fresh1.jsonl").write_text("{}\n", "utf-8")
    again = ["eval-sets", "--index", str(tmp_path / "none"), "--compare", str(saved)]
    assert main([*again, "--out", str(saved)]) == 1
    assert "请用 --out 另给一个目录" in capsys.readouterr().out


def test_cli_offers_the_searcher_modes():
    from scripts.cli import SEARCH_MODES
    from search.searcher import MODES

    assert SEARCH_MODES == MODES


def test_ask_prints_an_answer_only_when_confident(seed_index, capsys, monkeypatch):
    """Like the page: a confident answer with its numbered sources; otherwise the notice and
    the best sources, never an answer body that invites copying."""
    config, _ = seed_index
    monkeypatch.delenv("YINGSHANG_LLM_BASE_URL", raising=False)
    index = ["--index", str(config.index_dir), "--no-llm"]
    assert main(["ask", "压缩出口退税办理时间由哪个部门牵头？", *index]) == 0
    out = capsys.readouterr().out
    assert "广西税务局" in out and "\n[1] " in out and "最相关的内容" not in out
    assert main(["ask", "上海市浦东新区人才公寓的租金是多少？", *index]) == 0
    out = capsys.readouterr().out
    assert "最相关的内容：" in out and "\n[1] " not in out
    assert out.splitlines()[0].startswith("没有") or "没有找到" in out.splitlines()[0]
