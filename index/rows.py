"""Passages of an index as a table: rows on disk, a few numpy columns in memory.

A million passages held as Python objects take ~1.5 GB (their texts alone are ~1 GB as
Python strings). A search needs only the handful it returns, so a loaded index keeps one
byte offset per passage into `passages.jsonl` and decodes a row when it is asked for
(`os.pread`: no shared file position, safe across threads). What whole-index work needs in
bulk – which unit each passage belongs to – is an int32 column.

While an index is being built, the same table wraps the in-memory list instead, so code
that reads passages never needs to know which kind it has.
"""

from __future__ import annotations

import json
import os
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Generic, TypeVar, overload

import numpy as np

from index.types import Passage

T = TypeVar("T")

PASSAGES_FILE = "passages.jsonl"
OFFSETS_FILE = "passages.offsets.npy"  # int64, n + 1 entries: line starts, then the file size
UNIT_INDEX_FILE = "passages.units.npy"  # int32, n entries: position of each passage's unit


class JsonlWriter:
    """Appends rows to a JSONL file one at a time, keeping each line's byte offset.

    Streams: only one int64 per row stays in memory, so a million-row file costs 8 MB.
    """

    def __init__(self, path: Path) -> None:
        self._file = open(path, "wb")  # noqa: SIM115  (closed by `close`)
        self._offsets = array("q", [0])

    def write(self, row: object) -> None:
        line = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
        self._file.write(line)
        self._offsets.append(self._offsets[-1] + len(line))

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def close(self) -> np.ndarray:
        """Close the file; returns the offset of every line plus the file size."""
        self._file.close()
        return np.frombuffer(self._offsets, dtype=np.int64).copy()


class PassageTableWriter:
    """Streams the passages of a version folder: the rows and both columns of `PassageTable`."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._rows = JsonlWriter(self.folder / PASSAGES_FILE)
        self._unit_index = array("i")

    def add(self, passage: Passage, unit_position: int) -> None:
        """One passage; `unit_position` is its unit's position in units.jsonl (-1: none)."""
        self._rows.write(asdict(passage))
        self._unit_index.append(unit_position)

    def __len__(self) -> int:
        return len(self._rows)

    def close(self) -> None:
        np.save(self.folder / OFFSETS_FILE, self._rows.close())
        np.save(self.folder / UNIT_INDEX_FILE, np.frombuffer(self._unit_index, dtype=np.int32))


def scan_offsets(path: Path) -> np.ndarray:
    """Line offsets of a JSONL file written without them (indexes of earlier versions)."""
    offsets = [0]
    with open(path, "rb") as f:
        for line in f:
            offsets.append(offsets[-1] + len(line))
    return np.asarray(offsets, dtype=np.int64)


_ITER_BLOCK = 2048  # rows read at once when iterating


class JsonlRows(Sequence[T], Generic[T]):
    """Read-only rows of a JSONL file, decoded on demand; one int64 per row in memory."""

    def __init__(self, path: Path, offsets: np.ndarray, decode: Callable[[dict], T]) -> None:
        self.path = Path(path)
        self.offsets = offsets
        self.decode = decode
        self._fd = os.open(self.path, os.O_RDONLY)

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)
        if fd is not None:
            os.close(fd)
            self._fd = None

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        i = int(i)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        start, end = int(self.offsets[i]), int(self.offsets[i + 1])
        return self.decode(json.loads(os.pread(self._fd, end - start, start)))

    def __iter__(self) -> Iterator[T]:
        # Whole-index passes (similar cases, warm-up) read blocks of rows through the file
        # kept open since loading: no shared file position, and still readable after a newer
        # version replaced this one and its folder was removed.
        n = len(self)
        for first in range(0, n, _ITER_BLOCK):
            last = min(first + _ITER_BLOCK, n)
            start, end = int(self.offsets[first]), int(self.offsets[last])
            block = os.pread(self._fd, end - start, start)
            for line in block.split(b"\n")[: last - first]:
                yield self.decode(json.loads(line))


class PassageTable(Sequence[Passage]):
    """The passages of one index version and the unit position of each."""

    def __init__(self, rows: Sequence[Passage], unit_index: np.ndarray) -> None:
        if len(rows) != len(unit_index):
            raise ValueError(f"{len(rows)} passages but {len(unit_index)} unit positions")
        self.rows = rows
        self.unit_index = np.asarray(unit_index, dtype=np.int32)  # -1: unit not listed
        self._by_unit: tuple[np.ndarray, np.ndarray] | None = None

    @classmethod
    def from_list(cls, passages: Sequence[Passage], unit_ids: Sequence[str]) -> PassageTable:
        passages = list(passages)
        return cls(passages, _unit_positions(passages, unit_ids))

    @classmethod
    def open(cls, folder: Path, unit_ids: Sequence[str]) -> PassageTable:
        """The table of a saved version; columns missing in older versions are rebuilt."""
        path = folder / PASSAGES_FILE
        offsets_path, index_path = folder / OFFSETS_FILE, folder / UNIT_INDEX_FILE
        offsets = np.load(offsets_path, mmap_mode="r") if offsets_path.exists() else None
        if offsets is None or int(offsets[-1]) != path.stat().st_size:
            offsets = scan_offsets(path)
        rows = JsonlRows(path, offsets, _passage_from_json)
        if index_path.exists():
            unit_index = np.load(index_path)
            if len(unit_index) == len(rows):
                return cls(rows, unit_index)
        return cls(rows, _unit_positions(rows, unit_ids))

    def save(self, folder: Path) -> None:
        writer = PassageTableWriter(folder)
        try:
            for passage, unit_position in zip(self, self.unit_index.tolist(), strict=True):
                writer.add(passage, unit_position)
        finally:
            writer.close()

    # ------------------------------------------------------------ sequence

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]

    def __iter__(self) -> Iterator[Passage]:
        return iter(self.rows)

    # ------------------------------------------------------------ by unit

    def positions_of_units(self, unit_positions: Iterable[int]) -> np.ndarray:
        """Passage positions (ascending) whose unit is one of `unit_positions`."""
        wanted = np.fromiter(unit_positions, dtype=np.int32)
        return np.flatnonzero(np.isin(self.unit_index, wanted)).astype(np.int64)

    def rows_of_unit(self, unit_position: int) -> np.ndarray:
        """Passage positions of one unit, in document order."""
        if self._by_unit is None:
            order = np.argsort(self.unit_index, kind="stable")
            self._by_unit = (order, self.unit_index[order])
        order, sorted_units = self._by_unit
        lo, hi = np.searchsorted(sorted_units, [unit_position, unit_position + 1])
        return order[lo:hi].astype(np.int64)


def _unit_positions(passages: Sequence[Passage], unit_ids: Sequence[str]) -> np.ndarray:
    """Position in `unit_ids` of each passage's unit, -1 where it is not listed."""
    pos = {uid: i for i, uid in enumerate(unit_ids)}
    return np.fromiter((pos.get(p.unit_id, -1) for p in passages), np.int32, len(passages))


def _passage_from_json(row: dict) -> Passage:
    return Passage(**row)
