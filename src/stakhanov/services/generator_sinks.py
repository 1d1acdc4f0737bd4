"""Writing generated rows to disk as they come: CSV files or Parquet files of strings.

Rows are buffered per file and flushed in chunks, so memory holds one chunk per file whatever
the size of the month. A Parquet column is a UTF-8 string holding exactly what the CSV cell
holds, with null for an empty cell.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.parquet as pq

CHUNK_ROWS = 65_536

Row = tuple[str, ...]


class CsvSink:
    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self._handle: IO[str] = path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._handle, lineterminator="\n")
        self._writer.writerow(columns)
        self._buffer: list[Row] = []
        self.add = self._buffer.append  # the hot path: no method call of our own per row
        self.rows = 0

    def _flush(self) -> None:
        self._writer.writerows(self._buffer)
        self.rows += len(self._buffer)
        self._buffer.clear()

    def flush_if_full(self) -> None:
        if len(self._buffer) >= CHUNK_ROWS:
            self._flush()

    def close(self) -> None:
        self._flush()
        self._handle.close()


class ParquetSink:
    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self._schema = pa.schema([(name, pa.string()) for name in columns])
        self._writer = pq.ParquetWriter(path, self._schema)
        self._buffer: list[Row] = []
        self.add = self._buffer.append
        self.rows = 0

    def _flush(self) -> None:
        if not self._buffer:
            return
        arrays = [
            pa.array([cell or None for cell in column], type=pa.string())
            for column in zip(*self._buffer, strict=True)
        ]
        self._writer.write_table(pa.Table.from_arrays(arrays, schema=self._schema))
        self.rows += len(self._buffer)
        self._buffer.clear()

    def flush_if_full(self) -> None:
        if len(self._buffer) >= CHUNK_ROWS:
            self._flush()

    def close(self) -> None:
        self._flush()
        self._writer.close()


def open_sink(
    directory: Path, name: str, columns: Sequence[str], parquet: bool
) -> CsvSink | ParquetSink:
    """A sink for `name` (`crew.csv`) in `directory`: `crew.parquet` when writing Parquet."""
    if parquet:
        return ParquetSink(directory / f"{Path(name).stem}.parquet", columns)
    return CsvSink(directory / name, columns)
