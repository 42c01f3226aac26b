"""Document metadata in the corpus manifest: edit, validate, and a sync that embeds nothing."""

from __future__ import annotations

import json

import pytest

from index.build import is_stale, sync_index
from index.metadata import MetadataError, normalise_date, read_meta, update_meta
from index.store import load_index


def test_dates_are_normalised_or_refused() -> None:
    assert normalise_date("2024年1月22日") == "2024-01-22"
    assert normalise_date("2024/1") == "2024-01"
    assert normalise_date(" 2023 ") == "2023"
    for bad in ("去年", "24-1-2", "2024-13"):
        with pytest.raises(MetadataError):
            normalise_date(bad)


def test_update_keeps_other_keys_and_removes_empty(small_corpus) -> None:
    corpus = small_corpus.corpus_dir
    (corpus / "manifest.json").write_text(
        json.dumps({"format": 1, "documents": [{"file": "a.txt", "summary": "摘要"}]}), "utf-8"
    )
    meta = update_meta(corpus, "a.txt", {"issuer": "甲市人民政府", "date": "2024年3月"})
    assert (meta.issuer, meta.date) == ("甲市人民政府", "2024-03")
    update_meta(corpus, "a.txt", {"issuer": ""})
    entry = json.loads((corpus / "manifest.json").read_text("utf-8"))["documents"][0]
    assert entry == {"file": "a.txt", "summary": "摘要", "date": "2024-03"}
    with pytest.raises(MetadataError):
        update_meta(corpus, "a.txt", {"doc_type": "通知"})
    with pytest.raises(MetadataError):
        update_meta(corpus, "missing.txt", {"title": "x"})


def test_metadata_edit_resyncs_without_embedding(small_corpus, fake_encoder) -> None:
    fake_config = small_corpus.with_overrides(model="fake-encoder")
    sync_index(small_corpus, fake_encoder)
    assert not is_stale(fake_config)
    calls = fake_encoder.calls
    update_meta(
        small_corpus.corpus_dir,
        "b.txt",
        {
            "date": "2024-05-01",
            "region": "乙市",
            "doc_type": "政策文件",
            "doc_number": "乙政〔2024〕1号",
        },
    )
    assert read_meta(small_corpus.corpus_dir, "b.txt").doc_number == "乙政〔2024〕1号"
    assert is_stale(fake_config)  # the page's startup sync picks the edit up
    report = sync_index(small_corpus, fake_encoder)
    assert fake_encoder.calls == calls and report.embedded == 0
    rec = {d.doc: d for d in load_index(small_corpus.index_dir).documents}["b.txt"]
    assert (rec.date, rec.region, rec.doc_type, rec.doc_number) == (
        "2024-05-01",
        "乙市",
        "政策文件",
        "乙政〔2024〕1号",
    )
    assert not is_stale(fake_config)
