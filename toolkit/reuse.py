"""What a previous ingest into the same folder wrote, and which of its rows the next one can copy.

An ingest leaves an index beside its tables (:data:`INDEX`, JSON): for each report its key (the key of the
per-report cache: its bytes, id, path and manifest values, the rule files, the toolkit's code and libraries),
what the run kept of it (:class:`toolkit.ingest.Record`), and how many rows and CSV bytes it has in each
table; with the size and modification time of every file it wrote. A second ingest into the folder copies
the rows of each report whose key it finds there (CSV bytes as they are, Parquet rows as Arrow) and reads and
analyses only the new or changed reports: adding one report to a corpus of thousands costs one report and a
copy of the files.

The index is trusted only while every file is as it was written. A table edited, removed or replaced by
anything else, another set of tables, a run without Parquet or with corrections, or an index that cannot be
read makes the next run read every report again (it never fails because of the index).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import NamedTuple

#: The index of an output folder, hidden beside its tables.
INDEX = ".ingest-index.json"
#: The index's layout (an index of another layout is ignored).
FORMAT = 1


class Entry(NamedTuple):
    """One report of a previous output: its record's fields, and by table its first row and row count and
    its CSV bytes' offset and length."""

    record: tuple
    rows: dict[str, tuple[int, int]]
    spans: dict[str, tuple[int, int]]


class PreviousTable:
    """One table of a previous output: its CSV (header and byte ranges) and its Parquet rows, read a row group
    at a time (the last one kept: reports are mostly taken in the order they were written)."""

    def __init__(self, csv: Path, parquet: Path, header: int):
        self.csv, self.parquet, self.header_end = csv, parquet, header
        self._file = None
        self._starts: list[int] = []
        self._group: tuple[int, object] | None = None
        self._handle = None
        self._header: bytes | None = None
        self._footer = None  # the Parquet file's footer, read when first asked for (False: none to keep)
        self._schema = None

    def header(self) -> bytes:
        """The CSV's header line (without the byte-order mark)."""
        if self._header is None:
            self._header = self.read_csv(3, self.header_end - 3)
        return self._header

    def _csv(self):
        if self._handle is None:
            self._handle = open(self.csv, "rb")
        return self._handle

    def read_csv(self, offset: int, length: int) -> bytes:
        handle = self._csv()
        handle.seek(offset)
        data = handle.read(length)
        if len(data) != length:
            raise OSError(f"{self.csv}: shorter than when it was written")
        return data

    def copy_csv(self, offset: int, length: int, target) -> None:
        """Copy bytes ``offset:offset+length`` of the CSV to the end of ``target`` (an unbuffered file, at its
        end): in the kernel where it can (``os.copy_file_range``), else read and written."""
        from .parquetsplice import copy_bytes

        copy_bytes(self._csv(), offset, length, target)

    def footer(self):
        """The Parquet file's footer (:class:`toolkit.parquetsplice.Footer`) when its row groups can be kept
        byte for byte in a new file, else None."""
        from .parquetsplice import read_footer

        if self._footer is None:
            self._footer = read_footer(self.parquet) or False
        return self._footer or None

    def group_rows(self, group: int) -> tuple[int, int] | None:
        """Rows ``start:stop`` of row group ``group`` of the Parquet file (None: no such group)."""
        self._open()
        if group + 1 >= len(self._starts):
            return None
        return self._starts[group], self._starts[group + 1]

    def schema(self):
        """The Arrow schema the Parquet file was written with: as stored in it, where reading gives some types
        otherwise (a dictionary of ``large_string`` is read back as one of ``string``)."""
        import base64

        import pyarrow as pa

        self._open()
        if self._schema is None:
            stored = (self._file.metadata.metadata or {}).get(b"ARROW:schema")
            try:
                self._schema = pa.ipc.read_schema(pa.py_buffer(base64.b64decode(stored))) if stored else None
            except (ValueError, pa.ArrowInvalid):
                self._schema = None
            if self._schema is None or self._schema.names != self._file.schema_arrow.names:
                self._schema = self._file.schema_arrow
        return self._schema

    def _open(self) -> None:
        import pyarrow.parquet as pq

        if self._file is None:
            self._file = pq.ParquetFile(self.parquet)
            metadata, at = self._file.metadata, 0
            for i in range(metadata.num_row_groups):
                self._starts.append(at)
                at += metadata.row_group(i).num_rows
            self._starts.append(at)

    def rows(self, start: int, stop: int):
        """Rows ``start:stop`` of the Parquet file as an Arrow table (the file's column types)."""
        import pyarrow as pa
        from bisect import bisect_right

        self._open()
        if stop <= start:
            return self.schema().empty_table()
        first = bisect_right(self._starts, start) - 1
        parts = []
        for group in range(first, len(self._starts) - 1):
            if self._starts[group] >= stop:
                break
            if self._group is None or self._group[0] != group:  # with the types it was written with
                read = self._file.read_row_group(group, use_threads=False)
                if not read.schema.equals(self.schema()):
                    read = read.cast(self.schema())
                self._group = (group, read)
            table, at = self._group[1], self._starts[group]
            parts.append(table.slice(max(start - at, 0), min(stop, self._starts[group + 1]) - max(start, at)))
        return pa.concat_tables(parts) if len(parts) > 1 else parts[0]

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._file is not None:
            self._file.close()
            self._file = None
        self._starts, self._group, self._footer, self._schema = [], None, None, None  # found again if reopened


class Previous:
    """The reusable part of a previous output: its reports by key, and its tables."""

    def __init__(self, reports: dict[str, Entry], tables: dict[str, PreviousTable]):
        self.reports, self.tables = reports, tables

    def close(self) -> None:
        for table in self.tables.values():
            table.close()


def _stamp(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def read_previous(out: Path, names: tuple[str, ...]) -> Previous | None:
    """What ``out`` holds from a previous ingest with Parquet of the tables ``names`` (in that order), or
    None when there is nothing to reuse: no index, an index of another layout or other tables, or a file that
    is not as the index recorded it."""
    try:
        index = json.loads((out / INDEX).read_text(encoding="utf-8"))
        if index.get("format") != FORMAT or tuple(index["tables"]) != tuple(names):
            return None
        for name, stamp in index["files"].items():
            if Path(name).name != name or _stamp(out / name) != stamp:
                return None
        if set(index["files"]) != {f"{n}.{s}" for n in names for s in ("csv", "parquet")}:
            return None
        headers = index["headers"]
        rows_at = [0] * len(names)
        bytes_at = [headers[n] for n in names]
        reports: dict[str, Entry] = {}
        for key, record, rows, lengths in index["reports"]:
            rows_of, spans_of = {}, {}
            for i, name in enumerate(names):
                rows_of[name] = (rows_at[i], rows[i])
                spans_of[name] = (bytes_at[i], lengths[i])
                rows_at[i] += rows[i]
                bytes_at[i] += lengths[i]
            record = tuple(record[:5]) + (tuple(record[5]),)
            # a report read from another format keeps its text in extracted/: reused only while it is there
            if record[2] == "txt" or (out / "extracted" / f"{record[0]}.txt").is_file():
                reports[key] = Entry(record, rows_of, spans_of)
        for i, name in enumerate(names):  # every row and byte accounted for
            if index["files"][f"{name}.csv"][0] != bytes_at[i]:
                return None
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    return Previous(reports, {name: PreviousTable(out / f"{name}.csv", out / f"{name}.parquet", headers[name])
                              for name in names})


def write_index(out: Path, names: tuple[str, ...], keys: list[str], records: list[tuple],
                sizes: dict[str, list[tuple[int, int]]], headers: dict[str, int]) -> None:
    """Write the index of the tables just moved into ``out``: one entry per report (``keys``, ``records``,
    and each table's ``sizes``: rows and CSV bytes, in the reports' order), with each file's stamp."""
    index = {"format": FORMAT, "tables": list(names),
             "files": {f"{n}.{s}": _stamp(out / f"{n}.{s}") for n in names for s in ("csv", "parquet")},
             "headers": headers,
             "reports": [[key, list(record[:5]) + [list(record[5])], [sizes[n][i][0] for n in names],
                          [sizes[n][i][1] for n in names]] for i, (key, record) in enumerate(zip(keys, records))]}
    temporary = out / f".ingest-index.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    temporary.replace(out / INDEX)


def forget(out: Path) -> None:
    """Remove ``out``'s index (its tables are being replaced by ones it does not describe)."""
    try:
        (out / INDEX).unlink(missing_ok=True)
    except OSError:
        pass
