"""Index build, incremental update and atomic storage, with a fake encoder (no model)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from index.build import add_files, is_stale, sync_index
from index.embedding import ModelInfo
from index.store import CURRENT, IndexMismatch, IndexMissing, load_index


def _texts(config) -> dict[str, list[str]]:
    data = load_index(config.index_dir)
    out: dict[str, list[str]] = {}
    for p in data.passages:
        out.setdefault(p.doc, []).append(p.text)
    return out


def test_build_writes_versioned_index_with_manifest(small_corpus, fake_encoder):
    report = sync_index(small_corpus, fake_encoder)
    assert {d.status for d in report.documents} == {"added"}
    version = (small_corpus.index_dir / CURRENT).read_text().strip()
    manifest = json.loads((small_corpus.index_dir / version / "manifest.json").read_text())
    assert manifest["format_version"] == 1
    assert manifest["model"]["name"] == "fake-encoder" and manifest["dimension"] == 64
    assert set(manifest["corpus"]) == {"a.txt", "b.txt"}
    data = load_index(small_corpus.index_dir)
    assert len(data.passages) == data.dense.size == data.lexical.size > 0
    assert not is_stale(small_corpus.with_overrides(model="fake-encoder"))


def test_unchanged_corpus_embeds_nothing(small_corpus, fake_encoder):
    sync_index(small_corpus, fake_encoder)
    before = fake_encoder.calls
    report = sync_index(small_corpus, fake_encoder)
    assert fake_encoder.calls == before
    assert report.embedded == 0 and {d.status for d in report.documents} == {"unchanged"}


def test_updating_a_file_replaces_its_passages_only(small_corpus, fake_encoder):
    sync_index(small_corpus, fake_encoder)
    old = load_index(small_corpus.index_dir)
    b_vectors = np.asarray(old.dense.vectors)[
        [i for i, p in enumerate(old.passages) if p.doc == "b.txt"]
    ]
    (small_corpus.corpus_dir / "a.txt").write_text(
        "丙市案例\n一、新做法\n推行电子营业执照。\n", "utf-8"
    )
    before = fake_encoder.calls
    report = sync_index(small_corpus, fake_encoder)
    statuses = {d.doc: d.status for d in report.documents}
    assert statuses == {"a.txt": "updated", "b.txt": "unchanged"}
    texts = _texts(small_corpus)
    assert any("电子营业执照" in t for t in texts["a.txt"])
    assert not any("保证金" in t for t in texts["a.txt"])
    assert fake_encoder.calls - before == len(texts["a.txt"])
    new = load_index(small_corpus.index_dir)
    rows = [i for i, p in enumerate(new.passages) if p.doc == "b.txt"]
    assert np.array_equal(np.asarray(new.dense.vectors)[rows], b_vectors)


def test_removed_file_leaves_the_index(small_corpus, fake_encoder):
    sync_index(small_corpus, fake_encoder)
    (small_corpus.corpus_dir / "b.txt").unlink()
    report = sync_index(small_corpus, fake_encoder)
    assert {d.doc: d.status for d in report.documents}["b.txt"] == "removed"
    assert set(_texts(small_corpus)) == {"a.txt"}


def test_duplicate_and_unreadable_files_are_reported_and_others_indexed(small_corpus, fake_encoder):
    corpus = small_corpus.corpus_dir
    (corpus / "copy.txt").write_text((corpus / "b.txt").read_text("utf-8") + "\n\n", "utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    report = sync_index(small_corpus, fake_encoder)
    statuses = {d.doc: d for d in report.documents}
    assert statuses["copy.txt"].status == "duplicate" and "b.txt" in statuses["copy.txt"].message
    assert (
        statuses["empty.txt"].status == "rejected" and "empty.txt" in statuses["empty.txt"].message
    )
    assert set(_texts(small_corpus)) == {"a.txt", "b.txt"}
    # Skipped files are remembered: the index is not stale because of them.
    assert not is_stale(small_corpus.with_overrides(model="fake-encoder"))


def _corpus_files(folder) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def test_a_folder_not_ours_is_left_as_it_is(small_corpus, fake_encoder):
    """quarantine_refused=False (an external benchmark's folder): a duplicate is skipped
    and reported, nothing in the folder is moved or written."""
    corpus = small_corpus.corpus_dir
    (corpus / "copy.txt").write_text((corpus / "b.txt").read_text("utf-8") + "\n\n", "utf-8")
    before = _corpus_files(corpus)
    config = small_corpus.with_overrides(quarantine_refused=False)
    report = sync_index(config, fake_encoder)
    statuses = {d.doc: d for d in report.documents}
    assert (
        statuses["copy.txt"].status == "duplicate" and "隔离区" not in statuses["copy.txt"].message
    )
    assert _corpus_files(corpus) == before
    assert set(_texts(config)) == {"a.txt", "b.txt"}
    assert not is_stale(config.with_overrides(model="fake-encoder"))


def test_a_quarantine_that_cannot_be_written_leaves_the_file_and_builds(
    small_corpus, fake_encoder, monkeypatch
):
    """A read-only corpus folder (the move fails): the duplicate stays, unindexed, and the
    build finishes and says why."""
    import index.build

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(index.build, "quarantine", read_only)
    corpus = small_corpus.corpus_dir
    (corpus / "copy.txt").write_text((corpus / "b.txt").read_text("utf-8") + "\n\n", "utf-8")
    report = sync_index(small_corpus, fake_encoder)
    statuses = {d.doc: d for d in report.documents}
    assert statuses["copy.txt"].status == "duplicate"
    assert "无法移入隔离区" in statuses["copy.txt"].message
    assert (corpus / "copy.txt").is_file()
    assert set(_texts(small_corpus)) == {"a.txt", "b.txt"}
    assert not is_stale(small_corpus.with_overrides(model="fake-encoder"))


def test_loading_with_another_model_is_a_clear_error(small_corpus, fake_encoder):
    sync_index(small_corpus, fake_encoder)
    other = ModelInfo("other-model", 384, "query: ", "passage: ", "torch")
    with pytest.raises(IndexMismatch, match="other-model"):
        load_index(small_corpus.index_dir, other)


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(IndexMissing, match="yingshang build"):
        load_index(tmp_path / "nothing")


def test_crash_while_writing_keeps_previous_index(small_corpus, fake_encoder, monkeypatch):
    sync_index(small_corpus, fake_encoder)
    before = _texts(small_corpus)
    version = (small_corpus.index_dir / CURRENT).read_text()
    (small_corpus.corpus_dir / "c.txt").write_text("丁市案例\n推行一网通办。\n", "utf-8")

    def boom(self, folder):
        raise OSError("disk full")

    monkeypatch.setattr("index.lexical.LexicalIndex.save_retriever", boom)
    with pytest.raises(OSError):
        sync_index(small_corpus, fake_encoder)
    assert (small_corpus.index_dir / CURRENT).read_text() == version
    assert _texts(small_corpus) == before
    monkeypatch.undo()
    report = sync_index(small_corpus, fake_encoder)  # the next write cleans up and succeeds
    assert "c.txt" in _texts(small_corpus) and report.version != version
    assert not list(small_corpus.index_dir.glob(".tmp-*"))


def test_odd_but_valid_input_is_handled_and_reported(small_corpus, fake_encoder):
    corpus = small_corpus.corpus_dir
    (corpus / "english.txt").write_text("Business environment reform notes. " * 20, "utf-8")
    (corpus / "zero.txt").write_bytes(b"")
    # One paragraph with no sentence end: cut into passages of at most chunk_max characters.
    (corpus / "long.txt").write_text("营商环境改革持续推进" * 2000, "utf-8")
    # Too long to embed in reasonable time: refused with the reason, nothing else affected.
    (corpus / "huge.txt").write_text("很长的段落" * 700_000, "utf-8")
    report = sync_index(small_corpus, fake_encoder)
    by_doc = {d.doc: d for d in report.documents}
    assert by_doc["english.txt"].status == "added" and "中文" in by_doc["english.txt"].message
    assert by_doc["zero.txt"].status == "rejected" and "空" in by_doc["zero.txt"].message
    assert by_doc["long.txt"].status == "added" and by_doc["long.txt"].passages >= 50
    assert by_doc["huge.txt"].status == "rejected" and "过长" in by_doc["huge.txt"].message
    data = load_index(small_corpus.index_dir)
    assert max(len(p.text) for p in data.passages) <= small_corpus.chunk_max


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("# 某市典型案例汇编\n\n正文。", "某市典型案例汇编"),
        ("**某县营商环境案例**\n正文。", "某县营商环境案例"),
        ("\n\n  某市实施方案  \n正文。", "某市实施方案"),
    ],
)
def test_document_title_without_markup(text, title, tmp_path):
    from index.build import _doc_title

    assert _doc_title({}, text, tmp_path / "x.md") == title


def test_add_files_says_which_files_were_accepted_and_which_refused(small_corpus, tmp_path):
    upload = tmp_path / "upload"
    upload.mkdir()
    (upload / "新办法.txt").write_text("南宁市推行“拿地即开工”。\n", "utf-8")
    (upload / "空的.txt").write_bytes(b"")
    (upload / "程序.exe").write_bytes(b"MZ\x90\x00")
    added = add_files(small_corpus, [upload])
    assert [p.doc for p in added.accepted] == ["新办法.txt"]
    assert sorted(p.source for p in added.refused) == sorted(["程序.exe", "空的.txt"])
    assert all(p.status == "rejected" and "无法添加" in p.message for p in added.refused)
    assert (small_corpus.corpus_dir / "新办法.txt").is_file()
    assert not (small_corpus.corpus_dir / "程序.exe").exists()


def test_build_reports_one_progression_with_documents_and_passages(small_corpus, fake_encoder):
    stages: list[tuple[str, float]] = []
    report = sync_index(small_corpus, fake_encoder, on_stage=lambda m, f: stages.append((m, f)))
    messages = [m for m, _ in stages]
    assert "正在解析文档 1/2" in messages and "正在解析文档 2/2" in messages
    passages = report.counts["passages"]
    assert f"正在计算向量 {passages}/{passages} 段（共 2 个文档、{passages} 段）" in messages
    fractions = [f for _, f in stages]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0  # one bar, never backwards


def test_index_built_by_older_passage_rules_is_stale(small_corpus, fake_encoder, monkeypatch):
    import index.build
    from index.build import is_stale, sync_index

    config = small_corpus.with_overrides(model="fake-encoder")
    sync_index(config, fake_encoder)
    assert not is_stale(config)
    monkeypatch.setattr(index.build, "PASSAGE_RULES", index.build.PASSAGE_RULES + 1)
    assert is_stale(config)
