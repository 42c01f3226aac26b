"""The live index over a tiny real index (fake encoder): lookups, refresh, derived state."""

from __future__ import annotations

import threading

import pytest

from index.build import sync_index
from index.live import IndexSnapshot, LiveIndex
from index.store import current_version, load_index


@pytest.fixture
def live(small_corpus, fake_encoder) -> LiveIndex:
    sync_index(small_corpus, fake_encoder)
    return LiveIndex(small_corpus.index_dir, fake_encoder.info)


def _add_document(config, encoder) -> None:
    (config.corpus_dir / "c.txt").write_text(
        "丙市工作要点\n一、政府采购\n政府采购投标保证金比例降至1%。\n", encoding="utf-8"
    )
    sync_index(config, encoder)


def test_lookups_by_id_unit_and_document(live, small_corpus):
    snap = live.current
    assert snap.version == live.version == current_version(small_corpus.index_dir)
    assert {d.doc for d in snap.documents} == {"a.txt", "b.txt"}
    for i, unit in enumerate(snap.units):
        assert snap.unit(unit.id) is unit and snap.has_unit(unit.id)
        assert snap.unit_position(unit.id) == i
        rows = snap.unit_rows(unit.id).tolist()
        assert rows == sorted(rows)
        for pos in rows:
            passage = snap.passages[pos]
            assert passage.unit_id == unit.id
            assert snap.passage_position(passage.id) == pos
            assert snap.passage(passage.id) == passage
            # Offsets point into the document's source text.
            source = snap.source_text(passage.doc)
            assert source[passage.start : passage.end].strip()
    assert sum(len(snap.unit_rows(u.id)) for u in snap.units) == len(snap.passages)
    rec = snap.document("a.txt")
    assert rec is not None and snap.doc_title("a.txt") == rec.title == "甲市优化营商环境案例"


def test_unknown_ids_give_none_or_empty(live):
    snap = live.current
    unit = snap.units[0]
    assert snap.unit("nothing#case1") is None and not snap.has_unit("nothing#case1")
    assert snap.unit_position("nothing#case1") is None
    assert snap.unit_rows("nothing#case1").tolist() == []
    assert snap.passage(unit.id + "/p999") is None
    assert snap.passage_position("nothing#case1/p0") is None
    assert snap.document("missing.txt") is None
    assert snap.doc_title("missing.txt") == "missing.txt"


def test_refresh_follows_a_new_version_and_keeps_old_snapshots_intact(
    live, small_corpus, fake_encoder
):
    old = live.current
    assert live.refresh() is False and live.current is old  # nothing new written
    _add_document(small_corpus, fake_encoder)
    assert live.version == old.version  # not followed until asked
    assert live.refresh() is True
    new = live.current
    assert new is not old and new.version == current_version(small_corpus.index_dir)
    assert new.document("c.txt") is not None and old.document("c.txt") is None
    assert len(new.units) > len(old.units)
    assert live.refresh() is False


def test_derived_state_is_built_once_per_version(live, small_corpus, fake_encoder):
    calls: list[str] = []
    started = threading.Barrier(4)

    def unit_count(snap: IndexSnapshot) -> int:
        calls.append(snap.version)
        return len(snap.units)

    def ask() -> None:
        started.wait()
        live.current.derived(unit_count)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    first = live.version
    assert calls == [first]
    assert live.current.derived(unit_count) == len(live.current.units)
    _add_document(small_corpus, fake_encoder)
    live.refresh()
    assert live.current.derived(unit_count) == len(live.current.units)
    assert calls == [first, live.version]


def test_in_memory_index_never_refreshes(small_corpus, fake_encoder):
    sync_index(small_corpus, fake_encoder)
    data = load_index(small_corpus.index_dir)
    live = LiveIndex.in_memory(data)
    _add_document(small_corpus, fake_encoder)
    assert live.refresh() is False and live.current.data is data
    with pytest.raises(ValueError):
        LiveIndex(None)
