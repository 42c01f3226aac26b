"""The passage table: rows decoded from disk on demand, unit columns, older index folders."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from index.rows import (
    OFFSETS_FILE,
    PASSAGES_FILE,
    UNIT_INDEX_FILE,
    JsonlRows,
    PassageTable,
    scan_offsets,
)
from index.store import load_index
from index.types import Passage


def _passages() -> list[Passage]:
    out = []
    for u, unit in enumerate(("d#case1", "d#case2", "e#measure1")):
        for k in range(3 - u):  # 3, 2 and 1 passages
            text = f'第{u}单元第{k}段：政府采购保证金“免缴”改革，含引号"和换行\\n。'
            doc = unit.split("#")[0] + ".txt"
            out.append(Passage(f"{unit}/p{k}", doc, unit, "主要做法", text, k, k + 9, k + 1, k + 1))
    return out


UNITS = ["d#case1", "d#case2", "e#measure1"]


@pytest.fixture()
def saved(tmp_path):
    table = PassageTable.from_list(_passages(), UNITS)
    table.save(tmp_path)
    return tmp_path


def test_saved_table_reads_back_every_row_exactly(saved):
    table = PassageTable.open(saved, UNITS)
    assert isinstance(table.rows, JsonlRows)
    assert list(table) == _passages()
    assert [table[i] for i in range(len(table))] == _passages()
    assert table[-1] == _passages()[-1] and table[1:3] == _passages()[1:3]
    assert table.unit_index.tolist() == [0, 0, 0, 1, 1, 2]
    with pytest.raises(IndexError):
        table[6]


def test_offsets_file_matches_a_scan_of_the_jsonl(saved):
    assert np.load(saved / OFFSETS_FILE).tolist() == scan_offsets(saved / PASSAGES_FILE).tolist()


def test_folder_without_columns_is_still_readable(saved):
    """Index versions written before the columns existed rebuild them on load."""
    (saved / OFFSETS_FILE).unlink()
    (saved / UNIT_INDEX_FILE).unlink()
    table = PassageTable.open(saved, UNITS)
    assert list(table) == _passages()
    assert table.unit_index.tolist() == [0, 0, 0, 1, 1, 2]


def test_stale_offsets_are_not_trusted(saved):
    np.save(saved / OFFSETS_FILE, np.array([0, 5, 10], dtype=np.int64))
    assert list(PassageTable.open(saved, UNITS)) == _passages()


def test_unknown_unit_gets_minus_one():
    table = PassageTable.from_list(_passages(), UNITS[:2])
    assert table.unit_index.tolist() == [0, 0, 0, 1, 1, -1]


def test_rows_by_unit_and_units_filter(saved):
    table = PassageTable.open(saved, UNITS)
    assert table.rows_of_unit(0).tolist() == [0, 1, 2]
    assert table.rows_of_unit(2).tolist() == [5]
    assert table.rows_of_unit(7).tolist() == []
    assert table.positions_of_units([1, 2]).tolist() == [3, 4, 5]
    assert table.positions_of_units([]).tolist() == []


def test_rows_can_be_read_from_many_threads(saved):
    table = PassageTable.open(saved, UNITS)
    expected = _passages()
    errors = []

    def read() -> None:
        for _ in range(200):
            for i in (5, 0, 3):
                if table[i] != expected[i]:
                    errors.append(i)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_loaded_index_keeps_passages_on_disk(small_corpus, fake_encoder):
    from index.build import sync_index

    sync_index(small_corpus, fake_encoder)
    data = load_index(small_corpus.index_dir)
    assert isinstance(data.passages.rows, JsonlRows)
    units = {u.id: i for i, u in enumerate(data.units)}
    assert [units[p.unit_id] for p in data.passages] == data.passages.unit_index.tolist()


def test_rows_are_read_and_iterated_after_the_folder_is_removed(tmp_path):
    """A loaded version still reads (and streams, over several blocks) its rows after a newer
    version replaced it and its folder was collected."""
    import shutil

    units = [f"d#case{n}" for n in range(2500)]
    passages = [
        Passage(
            f"{u}/p{k}", "d.txt", u, "主要做法", f"第{n}条第{k}段\u2028含行分隔符", k, k + 5, 1, 1
        )
        for n, u in enumerate(units)
        for k in range(2)
    ]
    folder = tmp_path / "v-old"
    folder.mkdir()
    PassageTable.from_list(passages, units).save(folder)
    loaded = PassageTable.open(folder, units)
    shutil.rmtree(folder)
    assert loaded[4321] == passages[4321]
    assert list(loaded) == passages
