"""Fixed-width rows of numbers kept in a temporary file, not in the process's memory.

A soak measures how the kiosk process's memory grows; the bench runs inside that process, so every tick,
span and sample it kept in a list would grow it too (about 5 KB per reception: as much as the whole drift
goal). Rows are written to an unlinked temporary file as they come (the page cache is not the process's
RSS) and read back once, at the end, when the figures are made.
"""

from __future__ import annotations

import os
import struct
import tempfile
from collections.abc import Iterator


class RecordFile:
    """Append-only rows of `width` float64 values."""

    def __init__(self, width: int) -> None:
        self._row = struct.Struct(f"<{width}d")
        fd, path = tempfile.mkstemp(prefix="myna-bench-records-")
        os.unlink(path)  # nothing is left behind, whatever way the bench ends
        self._fd = fd
        self.count = 0

    def append(self, *values: float) -> None:
        os.write(self._fd, self._row.pack(*values))
        self.count += 1

    def rows(self) -> Iterator[tuple[float, ...]]:
        """Every row so far, in order (the file is read in chunks, not all at once)."""
        size = self._row.size
        offset, chunk_rows = 0, 4096
        while offset < self.count * size:
            data = os.pread(self._fd, chunk_rows * size, offset)
            if not data:
                return
            data = data[: len(data) - len(data) % size]
            yield from self._row.iter_unpack(data)
            offset += len(data)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __del__(self) -> None:
        self.close()


class NamedRecords:
    """Rows of named numbers, the same names in every row (those of the first), in a RecordFile."""

    def __init__(self) -> None:
        self._names: tuple[str, ...] = ()
        self._file: RecordFile | None = None

    def append(self, row: dict[str, float]) -> None:
        if self._file is None:
            self._names, self._file = tuple(row), RecordFile(len(row))
        self._file.append(*[float(row[name]) for name in self._names])

    def rows(self) -> list[dict[str, float]]:
        if self._file is None:
            return []
        return [dict(zip(self._names, values, strict=True)) for values in self._file.rows()]
