"""The document library with the real model: add, update, remove, formats, kill -9, lock."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.build import add_files, remove_files, sync_index
from index.store import IndexBusy, current_version, load_index
from search.searcher import Searcher
from tests.conftest import CORPUS, lock_held_elsewhere
from tests.index.fixtures_docs import make_docx, make_gbk_txt, make_pdf

pytestmark = pytest.mark.slow

TWO_DOCS = (
    "钦州市贯彻落实广西提质增效优化营商环境若干措施实施方案.txt",
    "广西市场化营商环境典型案例.txt",
)


@pytest.fixture
def library(tmp_path, real_config):
    """A small real library: two seed documents, indexed (vectors come from the cache)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in TWO_DOCS:
        shutil.copy(CORPUS / name, corpus / name)
    return real_config.with_overrides(corpus_dir=corpus, index_dir=tmp_path / "index")


def _docs(config) -> set[str]:
    return {d.doc for d in load_index(config.index_dir).documents}


def test_gbk_docx_and_pdf_are_added_and_searchable(library, real_encoder, tmp_path):
    sync_index(library, real_encoder)
    upload = tmp_path / "upload"
    upload.mkdir()
    make_gbk_txt(
        upload,
        "防城港市推行“边民互市贸易”结算便利化改革\n边民互市结算时间由3天缩短至1小时。\n",
        name="防城港互市.txt",
    )
    make_docx(upload, name="北海三联办.docx")
    make_pdf(
        upload,
        ("梧州市推行“水电气网”联合报装", "联合报装办理时限压缩至3个工作日。"),
        name="梧州联合报装.pdf",
    )
    added = add_files(library, [upload])
    assert added.refused == ()
    assert {p.doc for p in added.accepted} == {
        "防城港互市.txt",
        "北海三联办.docx",
        "梧州联合报装.pdf",
    }
    report = sync_index(library, real_encoder)
    added = {d.doc for d in report.by_status("added")}
    assert added == {"防城港互市.txt", "北海三联办.docx", "梧州联合报装.pdf"}
    # Only the new documents' passages were embedded.
    assert report.reused >= sum(d.passages for d in report.by_status("unchanged"))
    searcher = Searcher(library, real_encoder)
    for query, doc in [
        ("边民互市结算时间缩短", "防城港互市.txt"),
        ("证照三联办 企业开办", "北海三联办.docx"),
        ("水电气网联合报装", "梧州联合报装.pdf"),
    ]:
        hits = searcher.search(query, k=3).hits
        assert hits[0].passage.doc == doc, (query, [h.passage.doc for h in hits])


def test_update_and_remove_round_trip(library, real_encoder, tmp_path):
    sync_index(library, real_encoder)
    note = tmp_path / "新政.txt"
    note.write_text("南宁市推行“拿地即开工”审批改革，开工时间提前3个月。\n", "utf-8")
    add_files(library, [note])
    sync_index(library, real_encoder)
    searcher = Searcher(library, real_encoder)
    assert searcher.search("拿地即开工", k=1).hits[0].passage.doc == "新政.txt"
    # Same name, new content, with replace: old passages replaced (the old file kept aside).
    note.write_text("柳州市推行“交房即交证”，购房人收房当天拿到不动产权证。\n", "utf-8")
    add_files(library, [note], replace_existing=True)
    report = sync_index(library, real_encoder)
    assert {d.doc: d.status for d in report.documents}["新政.txt"] == "updated"
    assert searcher.index.refresh()
    texts = [p.text for p in searcher.index.current.passages if p.doc == "新政.txt"]
    assert any("交房即交证" in t for t in texts) and not any("拿地即开工" in t for t in texts)
    # Remove: gone from the index, the file kept aside, the rest untouched.
    assert remove_files(library, ["新政.txt"]) == []
    sync_index(library, real_encoder)
    assert _docs(library) == set(TWO_DOCS)
    assert list((library.corpus_dir / ".removed").iterdir())
    assert remove_files(library, ["没有这个文档.txt"]) == ["没有这个文档.txt"]


def test_a_second_writer_fails_with_a_clear_message(library, real_encoder):
    sync_index(library, real_encoder)
    with lock_held_elsewhere(library.index_dir), pytest.raises(IndexBusy, match="另一个任务"):
        sync_index(library.with_overrides(lock_timeout_s=0.3), real_encoder)
    sync_index(library, real_encoder)  # free again


def _fresh_document(path: Path) -> None:
    """A document of new text (not in the embedding cache), so embedding takes a while."""
    import random

    source = (CORPUS / "2023年广西优化营商环境工作要点.txt").read_text("utf-8")
    sentences = [s + "。" for s in source.replace("\n", "").split("。") if len(s) > 20]
    rng = random.Random(time.time_ns())
    rng.shuffle(sentences)
    tag = rng.randrange(10**9)
    # Every sentence (~390 lines, ~45 KB): embedding it takes several seconds even with two
    # ONNX workers, far longer than the second the test waits before killing.
    path.write_text("\n".join(f"{s}（{tag}-{i}）" for i, s in enumerate(sentences)), "utf-8")


def test_kill_9_during_add_keeps_the_previous_index(library, real_encoder, tmp_path):
    sync_index(library, real_encoder)
    version = current_version(library.index_dir)
    searcher = Searcher(library, real_encoder)
    before = [h.passage.id for h in searcher.search("政府采购保证金", k=5).hits]
    big = tmp_path / "new.txt"
    _fresh_document(big)
    env = {
        **os.environ,
        "YINGSHANG_PROGRESS": "1",
        "YINGSHANG_CACHE_DIR": str(library.cache_dir),
        "HF_HUB_OFFLINE": "1",
    }
    cmd = [
        sys.executable,
        "-m",
        "scripts.cli",
        "add",
        str(big),
        "--corpus",
        str(library.corpus_dir),
        "--index",
        str(library.index_dir),
    ]
    proc = subprocess.Popen(
        cmd,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        cwd=Path(__file__).resolve().parents[2],
    )
    # Wait until it is embedding (the progress bar says so), then kill it without warning.
    deadline = time.time() + 300
    seen = b""
    while time.time() < deadline and "正在计算向量".encode() not in seen:
        chunk = proc.stderr.read1(4096) if proc.stderr else b""
        if not chunk and proc.poll() is not None:
            break
        seen += chunk
    assert proc.poll() is None, seen.decode(errors="replace")[-2000:]
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert current_version(library.index_dir) == version
    searcher2 = Searcher(library, real_encoder)
    assert [h.passage.id for h in searcher2.search("政府采购保证金", k=5).hits] == before
    assert "new.txt" not in _docs(library)
    # The lock died with the process: the next writer proceeds and indexes the file.
    report = sync_index(library, real_encoder)
    assert "new.txt" in {d.doc for d in report.by_status("added")}
