"""kill -9 during `yingshang add` (a few trials here; hundreds with the script), and the
consistency check the trials rely on."""

from __future__ import annotations

import json

import pytest

from index.build import sync_index
from index.store import current_version
from index.verify import index_problems


def test_index_problems_finds_a_tampered_index(small_corpus, fake_encoder):
    sync_index(small_corpus, fake_encoder)
    assert index_problems(small_corpus.index_dir) == []
    folder = small_corpus.index_dir / current_version(small_corpus.index_dir)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    manifest["counts"]["passages"] += 1
    (folder / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    next(iter((folder / "texts").iterdir())).unlink()
    problems = index_problems(small_corpus.index_dir)
    assert any("数量" in p for p in problems) and any("原文缺失" in p for p in problems)
    (folder / "documents.jsonl").write_text("not json", "utf-8")
    assert "无法加载" in index_problems(small_corpus.index_dir)[0]


@pytest.mark.slow
def test_a_few_kill_9_trials_leave_a_whole_index(tmp_path):
    from scripts.kill_trials import run

    result = run(trials=3, seed=7, workdir=tmp_path / "trials", log=lambda m: None)
    assert result["failures"] == [] and result["final_problems"] == []
    assert sum(v for k, v in result["outcomes"].items() if k != "在 kill 前已完成") == 3
    # Seeds, the reference add, and every trial's file that was copied before its kill.
    copied = 3 - result["outcomes"].get("未复制", 0)
    assert result["documents"] == 2 + 1 + copied
