"""Command-line arguments that used to end in a traceback or a silent surprise; all are
refused before the model or the index is loaded, so these run fast."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from index.config import REPO_ROOT
from scripts.cli import K_MAX, main

GBK_GUANGXI = b"\xb9\xe3\xce\xf7"  # "广西" in GBK: not valid UTF-8


def _run(*args: bytes | str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "LC_ALL": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "-m", "scripts.cli", *args],
        capture_output=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [
        (b"search", GBK_GUANGXI),
        (b"ask", GBK_GUANGXI + "优化".encode()),
        (b"similar", GBK_GUANGXI),
        (b"search", b"x", b"--region", GBK_GUANGXI),
    ],
)
def test_undecodable_bytes_give_a_chinese_error_not_a_traceback(args):
    out = _run(*args)
    err = out.stderr.decode("utf-8")
    assert out.returncode == 2
    assert "无法按 UTF-8 解码" in err and "Traceback" not in err


@pytest.mark.parametrize("value", ["-1", "0", str(K_MAX + 1), "abc"])
def test_k_out_of_range_is_refused(value, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["search", "营商环境", "--k", value])
    assert exc.value.code == 2
    assert "--k 应" in capsys.readouterr().err


def test_k_in_range_is_accepted():
    from scripts.cli import build_parser

    assert build_parser().parse_args(["search", "x", "--k", str(K_MAX)]).k == K_MAX
    assert build_parser().parse_args(["ask", "x", "--k", "1"]).k == 1
    # eval reads as many hits as ask by default; the page's 12 can be measured too
    assert build_parser().parse_args(["eval", "--queries", "q.jsonl"]).k == 8
    assert build_parser().parse_args(["eval", "--queries", "q.jsonl", "--k", "12"]).k == 12


def test_quarantine_is_listed_and_deleted(small_corpus, fake_encoder, capsys):
    from index.build import sync_index

    (small_corpus.corpus_dir / "坏.pdf").write_bytes(b"%PDF-1.4\ngarbage")
    sync_index(small_corpus, fake_encoder)
    where = ["--index", str(small_corpus.index_dir), "--corpus", str(small_corpus.corpus_dir)]
    assert main(["list", *where]) == 0
    out = capsys.readouterr().out
    assert "共 2 个文档" in out and "隔离区" in out and "坏.pdf" in out and "损坏" in out
    assert main(["quarantine", "list", *where]) == 0
    assert "坏.pdf" in capsys.readouterr().out
    assert main(["quarantine", "delete", "坏.pdf", *where]) == 0
    assert main(["quarantine", "delete", "坏.pdf", *where]) == 1
    assert "没有这个文件" in capsys.readouterr().err
    main(["quarantine", "list", *where])
    assert "隔离区共 0 个文件" in capsys.readouterr().out


def test_tune_passes_its_flags_and_says_how_to_use_the_model(monkeypatch, tmp_path, capsys):
    """`yingshang tune` (training itself: tests/index/test_tuning.py) hands the corpus,
    index, output folder and settings on, and tells how to use the new folder."""
    import index.build
    import index.tuning
    from index.tuning import TuneReport

    seen = {}

    def fake_tune(config, out, settings, on_stage=None, progress=None):
        seen.update(config=config, out=out, settings=settings)
        progress(1, 2)
        return TuneReport(out, config.model, 7, {"sentence": 5, "title": 2}, 2, 3.0, "id1")

    monkeypatch.setattr(index.build, "is_stale", lambda config: False)
    monkeypatch.setattr(index.tuning, "tune_corpus", fake_tune)
    out = tmp_path / "tuned"
    args = ["tune", "--corpus", str(tmp_path), "--index", str(tmp_path / "ix"), "--out", str(out)]
    assert main([*args, "--epochs", "2", "--max-pairs", "7"]) == 0
    assert seen["out"] == out and seen["config"].corpus_dir == tmp_path
    assert (seen["settings"].epochs, seen["settings"].max_pairs) == (2, 7)
    printed = capsys.readouterr().out
    assert f"--model {out}" in printed and f"YINGSHANG_MODEL={out}" in printed
    assert "7 对样本" in printed
