"""Careless and hostile input to the library: nothing indexed is lost, refused files go to
the quarantine, one file cannot stall the library (fake encoder; the files are made here).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from index.build import add_files, remove_files, sync_index
from index.library import (
    QUARANTINE_DIR,
    REMOVED_DIR,
    add_to_library,
    delete_quarantined,
    distinct_name,
    list_quarantine,
    name_exists,
)
from index.reading import ReadLimits
from index.sandbox import BoundedReader
from index.store import IndexBusy, load_index
from tests.conftest import CORPUS, lock_held_elsewhere
from tests.index.fixtures_docs import SAMPLE_TITLE, make_docx, make_pdf

POINTS = "2023年广西优化营商环境工作要点.txt"
QINZHOU = "钦州市贯彻落实广西提质增效优化营商环境若干措施实施方案.txt"


@pytest.fixture
def library(tmp_path, small_corpus, fake_encoder):
    """Two real seed documents (with their corpus-manifest metadata), indexed."""
    corpus = small_corpus.corpus_dir
    for path in corpus.iterdir():
        path.unlink()
    for name in (POINTS, QINZHOU):
        shutil.copy(CORPUS / name, corpus / name)
    shutil.copy(CORPUS / "manifest.json", corpus / "manifest.json")
    sync_index(small_corpus, fake_encoder)
    return small_corpus


@pytest.fixture
def upload(tmp_path) -> Path:
    folder = tmp_path / "upload"
    folder.mkdir()
    return folder


def _records(config) -> dict:
    return {d.doc: d for d in load_index(config.index_dir).documents}


def _zip_bomb(path: Path, megabytes: int = 120) -> Path:
    """A valid-looking .docx whose document.xml unpacks to `megabytes` MB of XML."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        body = "<w:p/>" * (megabytes * 1024 * 1024 // 6)
        archive.writestr("word/document.xml", f"<w:document><w:body>{body}</w:body></w:document>")
    path.write_bytes(buf.getvalue())
    return path


# ---------------------------------------------------------------- same names


def test_same_name_without_replace_keeps_both(library, fake_encoder, upload):
    before = _records(library)[POINTS]
    (upload / POINTS).write_text("南宁市推行“拿地即开工”。", "utf-8")
    result = add_to_library(library, [upload / POINTS])
    (placed,) = result.placements
    assert placed.status == "renamed" and placed.doc == "2023年广西优化营商环境工作要点（2）.txt"
    assert "--replace" in placed.message
    sync_index(library, fake_encoder)
    after = _records(library)
    assert after[POINTS] == before  # the indexed document and its metadata are untouched
    assert after[placed.doc].units >= 1


def test_replace_keeps_the_previous_version_and_its_metadata(library, fake_encoder, upload):
    before = _records(library)[POINTS]
    (upload / POINTS).write_text("南宁市推行“拿地即开工”。", "utf-8")
    (placed,) = add_to_library(library, [upload / POINTS], replace=True).placements
    assert placed.status == "replaced" and placed.doc == POINTS
    report = sync_index(library, fake_encoder)
    assert {d.doc: d.status for d in report.documents}[POINTS] == "updated"
    removed = library.corpus_dir / REMOVED_DIR
    (kept,) = [p for p in removed.iterdir() if not p.name.endswith(".json")]
    assert kept.read_bytes() == (CORPUS / POINTS).read_bytes()
    note = json.loads((removed / f"{kept.name}.json").read_text("utf-8"))
    assert note["index_record"]["units"] == before.units == 218
    assert note["index_record"]["title"] == before.title
    assert note["corpus_manifest"]["file"] == POINTS


def test_same_names_in_one_add_and_names_that_clean_alike_are_all_kept(
    library, fake_encoder, upload
):
    for sub, text in (("A", "甲报告：政府采购保证金。"), ("B", "乙报告：纳税服务。")):
        (upload / sub).mkdir()
        (upload / sub / "报告.txt").write_text(text, "utf-8")
    (upload / "a?b.txt").write_text("问号：不动产登记。", "utf-8")
    (upload / "a_b.txt").write_text("下划线：跨境贸易。", "utf-8")
    paths = [upload / "A", upload / "B", upload / "a?b.txt", upload / "a_b.txt"]
    # replace=True must not let one file of this add replace another of the same add.
    result = add_to_library(library, paths, replace=True)
    docs = sorted(p.doc for p in result.placements)
    assert docs == ["a_b.txt", "a_b（2）.txt", "报告.txt", "报告（2）.txt"]
    sync_index(library, fake_encoder)
    assert set(docs) | {POINTS, QINZHOU} == set(_records(library))


def test_name_exists_and_distinct_name(library, tmp_path):
    assert name_exists(library, POINTS) and name_exists(library, f"C:\\下载\\{POINTS}")
    assert not name_exists(library, "新文件.txt") and not name_exists(library, "..")
    (tmp_path / "x（2）.txt").write_text("x")
    (tmp_path / "x.txt").write_text("x")
    assert distinct_name(tmp_path, "x.txt") == "x（3）.txt"
    assert distinct_name(tmp_path, "y.txt", taken={"y.txt"}) == "y（2）.txt"


# ---------------------------------------------------------------- duplicates


def test_a_byte_copy_is_skipped_and_the_indexed_document_stays(library, fake_encoder, upload):
    region_before = _records(library)[QINZHOU].region
    shutil.copy(CORPUS / QINZHOU, upload / "0副本.txt")
    dropped = add_files(library, [upload / "0副本.txt"]).refused
    assert [d.status for d in dropped] == ["duplicate"]
    assert QINZHOU in dropped[0].message
    assert not (library.corpus_dir / "0副本.txt").exists()
    sync_index(library, fake_encoder)
    assert _records(library)[QINZHOU].region == region_before == "广西壮族自治区钦州市"


def test_a_text_copy_is_quarantined_not_the_original(library, fake_encoder, upload):
    # Same text, other bytes (CRLF line breaks): only the indexer sees it is a copy. The
    # name sorts first, which used to make the original the one dropped.
    text = (CORPUS / QINZHOU).read_text("utf-8").replace("\n", "\r\n")
    (upload / "0副本.txt").write_bytes(text.encode("utf-8"))
    add_files(library, [upload / "0副本.txt"])
    report = sync_index(library, fake_encoder)
    statuses = {d.doc: d.status for d in report.documents}
    assert statuses[QINZHOU] == "unchanged" and statuses["0副本.txt"] == "duplicate"
    assert _records(library)[QINZHOU].region == "广西壮族自治区钦州市"
    (item,) = list_quarantine(library.corpus_dir)
    assert item.kind == "duplicate" and QINZHOU in item.reason


# ---------------------------------------------------------------- bounded work


def test_zip_bomb_is_refused_fast_quarantined_and_not_parsed_again(library, fake_encoder, upload):
    bomb = _zip_bomb(upload / "炸弹.docx")
    assert bomb.stat().st_size < 1024 * 1024
    add_files(library, [bomb])
    started = time.perf_counter()
    report = sync_index(library, fake_encoder)
    assert time.perf_counter() - started < 10
    (refused,) = report.by_status("rejected")
    assert "压缩" in refused.message and QUARANTINE_DIR in refused.message
    assert not (library.corpus_dir / "炸弹.docx").exists()
    assert [q.name for q in list_quarantine(library.corpus_dir)] == ["炸弹.docx"]
    again = sync_index(library, fake_encoder)
    assert not again.by_status("rejected")  # not re-parsed, not re-reported
    assert set(_records(library)) == {POINTS, QINZHOU}


def test_corrupt_and_oversized_files_are_quarantined(library, fake_encoder, upload):
    (upload / "坏.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    make_pdf(upload, name="三页.pdf", pages=3)
    (upload / "超长.txt").write_text("营商环境" * 400_000, "utf-8")
    config = library.with_overrides(max_pdf_pages=2, max_doc_chars=1_000_000)
    assert add_files(config, [upload]).refused == ()
    report = sync_index(config, fake_encoder)
    reasons = {d.doc: d.message for d in report.by_status("rejected")}
    assert "损坏" in reasons["坏.pdf"] and "3 页" in reasons["三页.pdf"]
    assert "文档过长" in reasons["超长.txt"]
    assert {q.name for q in list_quarantine(library.corpus_dir)} == set(reasons)
    assert set(_records(library)) == {POINTS, QINZHOU}
    assert delete_quarantined(library.corpus_dir, "坏.pdf")
    assert not delete_quarantined(library.corpus_dir, "坏.pdf")
    assert not delete_quarantined(library.corpus_dir, "../manifest.json")
    assert {q.name for q in list_quarantine(library.corpus_dir)} == {"三页.pdf", "超长.txt"}


def test_parsing_is_stopped_by_the_time_and_memory_limits(tmp_path):
    page = tmp_path / "大.html"
    page.write_text("<html><body>" + "<p>营商环境优化</p>" * 300_000 + "</body></html>", "utf-8")
    with BoundedReader(ReadLimits(), timeout_s=0.2, memory_mb=1536) as reader:
        started = time.perf_counter()
        with pytest.raises(Exception, match="解析超过 0.2 秒"):
            reader.read(page)
        assert time.perf_counter() - started < 3
        small = make_docx(tmp_path)
        reader.timeout_s = 60  # a new child starts under load: give it time
        assert SAMPLE_TITLE in reader.read(small).text  # a fresh child after the kill
    with (
        BoundedReader(ReadLimits(), timeout_s=60, memory_mb=200) as reader,
        pytest.raises(Exception, match="内存超过 200 MB"),
    ):
        reader.read(page)


# ---------------------------------------------------------------- links and the lock


def test_a_symbolic_link_says_where_it_points_and_needs_follow_links(library, upload):
    target = upload / "真实文件.txt"
    target.write_text("柳州市推行“交房即交证”。", "utf-8")
    os.symlink("/etc/passwd", upload / "密码.txt")
    os.symlink(target, upload / "链接.txt")
    refused = add_files(library, [upload / "密码.txt", upload / "链接.txt"]).refused
    assert [r.status for r in refused] == ["rejected", "rejected"]
    assert "/etc/passwd" in refused[0].message and "--follow-links" in refused[0].message
    assert not (library.corpus_dir / "密码.txt").exists()
    result = add_to_library(library, [upload / "链接.txt"], follow_links=True)
    assert [p.status for p in result.placements] == ["added"]
    assert (library.corpus_dir / "链接.txt").read_text("utf-8") == target.read_text("utf-8")


def test_an_add_that_cannot_get_the_lock_copies_nothing(library, upload):
    (upload / "新.txt").write_text("北海市推行“证照三联办”。", "utf-8")
    with lock_held_elsewhere(library.index_dir), pytest.raises(IndexBusy):
        add_to_library(library.with_overrides(lock_timeout_s=0.3), [upload / "新.txt"])
    assert not (library.corpus_dir / "新.txt").exists()


def test_remove_keeps_the_metadata_beside_the_file(library, fake_encoder):
    assert remove_files(library, [QINZHOU, QINZHOU + ".missing"]) == [QINZHOU + ".missing"]
    notes = list((library.corpus_dir / REMOVED_DIR).glob("*.json"))
    assert len(notes) == 1
    note = json.loads(notes[0].read_text("utf-8"))
    assert note["index_record"]["region"] == "广西壮族自治区钦州市"
    sync_index(library, fake_encoder)
    assert set(_records(library)) == {POINTS}
