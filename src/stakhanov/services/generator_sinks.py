"""Writing generated rows to disk as they come: CSV files or Parquet files of strings.

Rows are buffered per file and flushed in chunks, so memory holds one chunk per file whatever
the size of the month. A Parquet column is a UTF-8 string holding exactly what the CSV cell
holds, with null for an empty cell.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

CHUNK_ROWS = 65_536

Row = tuple[str, ...]


class Sink:
    """Rows of one file: `add` a row, `flush_if_full` between brigades, `close` at the end."""

    def __init__(self) -> None:
        self._buffer: list[Row] = []
        self.add = self._buffer.append  # the hot path: no call of our own per row
        self.rows = 0

    def flush_if_full(self) -> None:
        if len(self._buffer) >= CHUNK_ROWS:
            self._flush()

    def close(self) -> None:
        self._flush()
        self._close()

    def _flush(self) -> None:
        if self._buffer:
            self._write(self._buffer)
            self.rows += len(self._buffer)
            self._buffer.clear()

    def _write(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError


class CsvSink(Sink):
    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        super().__init__()
        self._handle = path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._handle, lineterminator="\n")
        self._writer.writerow(columns)

    def _write(self, rows: list[Row]) -> None:
        self._writer.writerows(rows)

    def _close(self) -> None:
        self._handle.close()


class ParquetSink(Sink):
    """One row group per chunk; every column a string, null where the CSV cell is empty."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        super().__init__()
        self._schema = pa.schema([(name, pa.string()) for name in columns])
        self._writer = pq.ParquetWriter(path, self._schema)

    def _write(self, rows: list[Row]) -> None:
        arrays = [
            pa.array([cell or None for cell in column], type=pa.string())
            for column in zip(*rows, strict=True)
        ]
        self._writer.write_table(pa.Table.from_arrays(arrays, schema=self._schema))

    def _close(self) -> None:
        self._writer.close()


def open_sink(directory: Path, name: str, columns: Sequence[str], parquet: bool) -> Sink:
    """A sink for `name` (`crew.csv`) in `directory`: `crew.parquet` when writing Parquet."""
    if parquet:
        return ParquetSink(directory / f"{Path(name).stem}.parquet", columns)
    return CsvSink(directory / name, columns)
