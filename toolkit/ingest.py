"""Ingest: read a folder of reports and write every table, as a stream.

Reports are read, analysed and tabulated in batches (in worker processes when there are several); each
report's tables (:func:`toolkit.analysis.batch_tables`, cut into reports) are kept on disk, never in the
main process, as Arrow rows and as CSV rows rendered in the worker (compressed together). They are appended in
order, as they arrive, to one CSV file (UTF-8 with BOM: the rendered bytes copied) and one Parquet file per
table (the Arrow rows, a row group at a time). Memory therefore does not grow with the corpus, and the main
process renders nothing (only tables a corrections file changes). A duplicate text or a repeated id stops the
stream; the tables are then written afresh once every report is read. With a cache folder the per-report tables are
kept there, keyed like the per-report cache of :func:`toolkit.corpus.load_corpus`, so a second run over a
grown corpus reads and analyses only the new or changed reports.

The tables are identical, row for row, to :func:`toolkit.analysis.corpus_tables` of the same corpus loaded
in memory.
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from glob import escape as glob_escape
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .analysis import CORRECTED_TABLES, TABLE_NAMES, batch_tables, report_slices
from .cachefiles import CACHE_LIMIT, entry_files, mark_used, prune
from .config import Config
from .corpus import (Corpus, Job, _parse_or_load, cache_key, keep_one_each, plan_jobs, settle_load, text_fingerprint,
                     write_cache)
from .corrections import apply_corrections, read_corrections
from .csvrows import render_rows
from .errors import AnalysisError, OutputError, ReportFileError
from .export import WORKBOOK_NAME, _for_parquet, write_labelled
from .parallel import PARALLEL_BYTES, available_cores, choose_workers, start_jobs
from .readers import DEFAULT_MAX_BYTES, read_report_bytes
from .reuse import Previous, PreviousTable, forget, read_previous, write_index

#: Rows (or reports' pieces) gathered before a table's next row group is written (a few MB of text at most).
ROWS_PER_GROUP = 50_000
PIECES_PER_GROUP = 1_000
#: Reports tabulated together in a worker: pandas' cost per table is paid once per batch, not per report.
BATCH_REPORTS = 32


class Record(NamedTuple):
    """What the main process keeps of a report while ingesting: enough to warn, drop duplicates and find
    its tables (``tables``: the file holding them)."""

    report_id: str
    path: str
    format: str
    sha256: str
    fingerprint: str
    warnings: tuple[str, ...]
    tables: str
    key: str = ""  # the report's key in the cache and in an output's index (toolkit.reuse)


#: A record's ``tables`` when its rows are copied from the previous output (:mod:`toolkit.reuse`).
REUSED = "<previous output>"


@dataclass
class Summary:
    """What an ingest did: reports written, files skipped (``load_errors`` rows) and files written."""

    n_reports: int
    load_errors: list[dict]
    written: list[Path] = field(default_factory=list)


def _tables_job(batch: tuple[Job, ...]) -> list[Record | ReportFileError]:
    """Read, analyse and tabulate a batch of reports (in a worker, too). Each report's tables go to a file of
    its own (Arrow tables and their CSV rows, rendered here; kept in the cache when there is one); a record per
    report comes back."""
    results: list = []
    fresh = []  # (index in results, job, file of its tables, report, key)
    rules: dict = {}
    for job in batch:
        try:
            data = read_report_bytes(Path(job.path), max_bytes=None)
            key = _report_key(data, job, rules)
            target = Path(job.tables_dir) / f"{key}.tables.pickle"
            record = _cached_record(target)
            if record is not None:
                results.append(record._replace(path=job.path, key=key))
                continue
            # the report itself is cached with its analyses (same key) when there is a cache
            report = _parse_or_load(job._replace(analyse=job.cache_dir is not None), data, key)
            fresh.append((len(results), job, target, report, key))
            results.append(None)
        except ReportFileError as err:
            results.append(err)
        except Exception as err:  # a bug met on one report must not stop a run over thousands
            results.append(AnalysisError.of(job.path, err))
    for group in _unique_ids(fresh):  # a batch's tables are cut into reports by id
        try:
            _tabulate(group, batch[0].config, results)
        except Exception as err:
            if len(group) == 1:
                results[group[0][0]] = AnalysisError.of(group[0][1].path, err)
            else:  # find the report at fault: one at a time
                for one in group:
                    try:
                        _tabulate([one], batch[0].config, results)
                    except Exception as err:
                        results[one[0]] = AnalysisError.of(one[1].path, err)
    return results


def _report_key(data: bytes, job: Job, rules: dict) -> str:
    """:func:`toolkit.corpus.cache_key` of a report, with each Config's rule fingerprint taken once per
    ``rules`` (a dict kept by the caller over many reports)."""
    if job.config not in rules:
        rules[job.config] = job.config.fingerprint()
    return cache_key(data, job, rules[job.config])


def _unique_ids(fresh: list) -> list[list]:
    """The reports of a batch in consecutive groups, each without a repeated report id."""
    groups: list[list] = [[]]
    for item in fresh:
        if any(other[3].report_id == item[3].report_id for other in groups[-1]):
            groups.append([])
        groups[-1].append(item)
    return [g for g in groups if g]


def _tabulate(group: list, config: Config, results: list) -> None:
    """Tabulate reports together, keep each report's tables (and record) in its own file."""
    reports = [item[3] for item in group]
    tables = batch_tables(Corpus(reports, config=config))  # corrected tables with an empty ``corrected``, last
    arrow = {name: arrow_table(frame) for name, frame in tables.items()}
    ids = [report.report_id for report in reports]
    slices = {name: report_slices(frame, ids) for name, frame in tables.items()}
    csv = {name: csv_pieces(table, slices[name]) for name, table in arrow.items()}
    for i, (index, job, target, report, key) in enumerate(group):
        mine = {name: (to_ipc(arrow[name].slice(a, b - a)), csv[name][0], csv[name][1][i])
                for name, (a, b) in ((n, slices[n][i]) for n in arrow)}
        extracted = report.original if report.format != "txt" else None
        record = Record(report.report_id, job.path, report.format, report.sha256, text_fingerprint(report),
                        tuple(report.warnings), str(target), key)
        # the record first: read alone on a warm run; compressed in a cache, kept, not in a spool read once
        write_cache(target, record, pack((mine, extracted), CODEC if job.cache_dir else None))
        results[index] = record


def csv_pieces(table, spans: list[tuple[int, int]]) -> tuple[bytes, list[bytes]]:
    """A table's CSV, rendered once (in the worker): its header line, and the UTF-8 bytes of the rows of each
    ``(start, end)`` span. The rows are rendered from the Arrow table, as pandas renders them in the main
    process (:mod:`toolkit.csvrows`), so the pieces joined are the CSV of the whole table."""
    header = table.schema.empty_table().to_pandas().to_csv(index=False).encode("utf-8")
    body, ends = render_rows(table)
    if len(ends) != table.num_rows:
        raise ValueError(f"CSV of {table.num_rows} rows split into {len(ends)} records")
    offsets = np.concatenate([[0], ends])
    return header, [body[offsets[a]:offsets[b]] for a, b in spans]


#: How a report's tables are compressed in the cache (zstd: a third of the size, and a warm run over thousands
#: of cached reports reads that much less from disk), when pyarrow has it. In a run's spool, read once soon
#: after it is written, they are not (compressing and decompressing cost the run about 3%).
CODEC = "zstd"


def pack(value, codec: str | None = CODEC) -> tuple[str | None, int, bytes]:
    """``value`` pickled and compressed with ``codec`` (None: not compressed): (codec or None, pickled size,
    bytes)."""
    import pyarrow as pa

    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    if codec is None or not pa.Codec.is_available(codec):
        return None, len(data), data
    return codec, len(data), pa.compress(data, codec=codec, asbytes=True)


def unpack(packed: tuple[str | None, int, bytes]):
    """The value :func:`pack` packed."""
    import pyarrow as pa

    codec, size, data = packed
    return pickle.loads(pa.decompress(data, decompressed_size=size, codec=codec, asbytes=True) if codec else data)


def arrow_table(frame: pd.DataFrame):
    """A table as Arrow, one type per column: a text column holding a number or a flag somewhere (a mixed
    column) becomes text throughout, as its CSV shows it."""
    import pyarrow as pa

    return pa.Table.from_pandas(_for_parquet(frame), preserve_index=False)


def to_ipc(table) -> bytes:
    """An Arrow table as Arrow IPC stream bytes: a slice is written as its own rows only (pickling a slice
    would write the whole table it was cut from)."""
    import pyarrow as pa
    import pyarrow.ipc as ipc

    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def from_ipc(data: bytes):
    import pyarrow.ipc as ipc

    return ipc.open_stream(data).read_all()


def _cached_record(target: Path) -> Record | None:
    if not target.is_file():
        return None
    try:
        with target.open("rb") as handle:
            record = pickle.load(handle)  # the record only; the tables after it are left unread
        mark_used(target)
        return record._replace(tables=str(target))
    except Exception:  # a broken entry is rebuilt
        return None


def batches(jobs: list[Job], workers: int, size: int | None = None) -> list[tuple[Job, ...]]:
    """Consecutive jobs in batches of at most ``size`` (default :data:`BATCH_REPORTS`; smaller when there are
    few jobs per worker, so every worker gets several)."""
    size = max(1, min(size or BATCH_REPORTS, -(-len(jobs) // max(1, workers * 4))))
    return [tuple(jobs[i:i + size]) for i in range(0, len(jobs), size)]


def ingest(path, out: str | Path, *, manifest: str | Path | None = None, config: Config = Config(),
           workers: int | None = None, cache_dir: str | Path | None = None, corrections: str | Path | None = None,
           strict: bool = False, max_bytes: int | None = DEFAULT_MAX_BYTES, parquet: bool = True,
           xlsx: bool = False, dta: bool = False, progress: bool | None = None,
           cache_limit: int | None = CACHE_LIMIT) -> Summary:
    """Read the reports of ``path`` (a folder with its manifest, a file, or a list) and write every table to
    ``out``: ``NAME.csv`` (UTF-8 with BOM) and ``NAME.parquet`` for each of :data:`TABLE_NAMES` and
    ``load_errors``, the extracted text of reports that are not plain text (``extracted/``), and on request
    ``tables.xlsx`` and Stata files. Arguments as for :func:`toolkit.corpus.load_corpus`.

    Files that cannot be read are skipped (listed in ``load_errors``) unless ``strict``; nothing is written
    when no report could be read. Every file is written under a temporary name and moved into place.

    Table files an earlier ingest left in ``out`` that this one does not write (Parquet after ``parquet=False``,
    a workbook or Stata files not asked for again) are removed, so ``out`` never mixes two runs' tables.

    Run again into the same ``out`` (with Parquet, without corrections), an ingest reads and analyses only the
    reports that are new or changed; the rows of the others are copied from the tables there
    (:mod:`toolkit.reuse`). With ``cache_dir``, the entries of the reports this run read or copied are marked
    as used, and the others removed, least recently used first, while the cache holds more than
    ``cache_limit`` bytes (None: never; :mod:`toolkit.cachefiles`).
    """
    started = time.time()
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder; choose another --out")
    plan = plan_jobs(path, manifest, config, cache_dir, strict=strict, max_bytes=max_bytes)
    protected = {Path(job.resolved) for job in plan.jobs} | ({plan.manifest.resolve()} if plan.manifest else set())
    suffixes = (".csv",) + ((".parquet",) if parquet else ()) + ((".dta",) if dta else ())
    for name in (*TABLE_NAMES, "load_errors"):
        for suffix in suffixes:
            if (out / f"{name}{suffix}").resolve() in protected:
                raise OutputError(f"{out / f'{name}{suffix}'}: is an input of this run and would be overwritten; "
                                  "choose another --out")
    fixes = read_corrections(corrections)
    # the per-report tables wait in the cache, or beside the output folder, which is made only when it is written
    base = out.parent if out.parent.is_dir() else None
    remove_leftovers(out)
    spool = Path(cache_dir) if cache_dir else \
        Path(tempfile.mkdtemp(prefix=f".{out.name}-parktk-{os.getpid()}-", dir=base))
    # what a previous ingest wrote here: the rows of reports it read as they are now are copied, not made again
    previous = read_previous(out, TABLE_NAMES) if parquet and not len(fixes) else None
    try:
        errors = list(plan.errors)
        jobs = [job._replace(tables_dir=str(spool)) for job in plan.jobs]
        reused = reused_records(jobs, previous)
        fresh = [job for job, record in zip(jobs, reused) if record is None]
        fresh_bytes = plan.total_bytes if previous is None else sum(_size_of(job.path) for job in fresh)
        # with many reports to copy, the new ones are read by a worker meanwhile (not after, in this process),
        # unless the caller chose the number of processes
        background = workers is None and previous is not None and plan.total_bytes - fresh_bytes >= PARALLEL_BYTES
        workers = choose_workers(workers, len(fresh), fresh_bytes)
        records: list[Record] = []
        # Tables are written as the readings arrive, in order, while the workers read on. Should a duplicate
        # text or a repeated id turn up, the stream stops and the tables are written afresh from the spool
        # once every report is read, with the one rule of load_corpus for which copy is kept.
        stream: Assembly | None = Assembly(out, fixes, parquet, protected, previous)
        seen_texts: set[str] = set()
        seen_ids: set[str] = set()
        groups = batches(fresh, workers) if not strict else [(job,) for job in fresh]
        failed = (lambda results: any(isinstance(r, ReportFileError) for r in results)) if strict else None
        running = start_jobs(_tables_job, groups, workers, progress=progress, stop=failed,
                             sizes=[len(g) for g in groups], background=background)
        readings = ((job, result) for group, results in zip(groups, running) for job, result in zip(group, results))
        try:
            for job, result in in_order(jobs, reused, readings):
                if isinstance(result, ReportFileError):
                    if strict:
                        raise result
                    errors.append((job.path, result))
                    continue
                records.append(result)
                if stream is not None and (result.fingerprint in seen_texts or result.report_id in seen_ids):
                    stream.abort()
                    stream = None
                elif stream is not None:
                    seen_texts.add(result.fingerprint)
                    seen_ids.add(result.report_id)
                    stream.add(result)
            load_errors = settle_load(records, errors, plan.rows)
            if stream is not None:
                kept, written = records, stream.close(load_errors)
            else:
                kept = keep_one_each(records, plan.rows, fingerprint=lambda r: r.fingerprint)
                written = _write(kept, out, fixes, load_errors, parquet, protected, previous)
        except BaseException:
            if stream is not None:
                stream.abort()
            raise
        finally:
            running.close()
        if xlsx or dta:
            written += _write_labelled(out, parquet, xlsx, dta)
        remove_stale(out, parquet, xlsx, dta)
        if cache_dir:  # the copied reports' entries are as much in use as the ones read
            mark_used(*(path for r in kept if r.tables == REUSED and r.key for path in entry_files(cache_dir, r.key)))
            prune(cache_dir, started, cache_limit)
        return Summary(len(kept), load_errors, written)
    finally:
        if previous is not None:
            previous.close()
        if not cache_dir:
            shutil.rmtree(spool, ignore_errors=True)


def reused_records(jobs: list[Job], previous: Previous | None) -> list[Record | None]:
    """For each job, the record of its report in the previous output when the report is there as it is now
    (same key), else None: that report is read and analysed."""
    if previous is None or not previous.reports:
        return [None] * len(jobs)
    found: list[Record | None] = []
    rules: dict = {}
    for job in jobs:
        try:
            key = _report_key(read_report_bytes(Path(job.path), max_bytes=None), job, rules)
        except (ReportFileError, OSError):  # the worker says what is wrong with it
            found.append(None)
            continue
        entry = previous.reports.get(key)
        found.append(None if entry is None else Record(*entry.record, tables=REUSED, key=key)._replace(path=job.path))
    return found


def in_order(jobs: list[Job], reused: list[Record | None], readings):
    """(job, result) in the order of ``jobs``: the reused record where there is one, else the next of
    ``readings`` (the others' results, in order)."""
    readings = iter(readings)
    for job, record in zip(jobs, reused):
        if record is not None:
            yield job, record
            continue
        reading = next(readings, None)
        if reading is None:  # the readings stopped early (strict, at a file that cannot be read)
            return
        yield reading


def _size_of(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def remove_stale(out: Path, parquet: bool, xlsx: bool, dta: bool) -> None:
    """Remove the table files an earlier ingest wrote into ``out`` that this one did not (Parquet after a run
    with ``--no-parquet``, a workbook or Stata files not asked for again): the folder never holds two runs'
    tables side by side. Only the toolkit's own file names are touched."""
    names = (*TABLE_NAMES, "load_errors")
    stale = ([out / f"{n}.parquet" for n in names] if not parquet else []) + \
        ([out / f"{n}.dta" for n in names] if not dta else []) + ([out / WORKBOOK_NAME] if not xlsx else [])
    for path in stale:
        if path.is_file():
            path.unlink()


def remove_leftovers(out: Path) -> None:
    """Remove what an ingest into ``out`` that was killed outright (no chance to clean up) left behind: its
    spool folder beside ``out`` and its temporary files in it, named with the process id of a process that no
    longer runs. (Not on Windows, where a process cannot be asked whether it runs without a library.)"""
    if os.name == "nt":
        return
    try:
        spools = list(out.parent.glob(f".{glob_escape(out.name)}-parktk-*-*")) if out.parent.is_dir() else []
        temporaries = list(out.glob(".*.tmp")) if out.is_dir() else []
        for path in [*spools, *temporaries]:
            owner = _owner(path.name)
            # this process has written nothing yet: a name with its id is a leftover too (a container's
            # processes often get the same id run after run)
            if owner is not None and (owner == os.getpid() or not _running(owner)):
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
    except OSError:  # best effort: a leftover that cannot be removed does no harm to this run
        pass


def _owner(name: str) -> int | None:
    """The process id in a spool's or temporary file's name (``.out-parktk-PID-…``, ``.NAME.csv.PID.tmp``)."""
    found = re.fullmatch(r"\..*-parktk-(\d{1,9})-[^/]*|\.[^.]+(?:\.csv|\.parquet)?\.(\d{1,9})\.tmp", name)
    return int(found.group(1) or found.group(2)) if found else None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):  # another user's process, or no process id at all
        return True
    return True


class Assembly:
    """The output folder being written: each report's tables appended, in order, to one :class:`TableWriter`
    per table; :meth:`close` adds ``load_errors`` and moves every file into place, :meth:`abort` removes the
    temporary files (and the folder, when this run made it and it is empty)."""

    def __init__(self, out: Path, fixes: pd.DataFrame, parquet: bool, protected: set[Path],
                 previous: Previous | None = None):
        self.out, self.fixes, self.parquet, self.protected = out, fixes, parquet, protected
        self.previous = previous  # the output there before, whose rows REUSED records take
        self.made = not out.exists()
        self.writers: dict[str, TableWriter] | None = None
        self.written: list[Path] = []
        self.records: list[Record] = []
        self.executor = None

    def add(self, record: Record) -> None:
        if self.writers is None:
            self.out.mkdir(parents=True, exist_ok=True)
            self.executor = ThreadPoolExecutor(max_workers=available_cores(), thread_name_prefix="parktk-write")
            previous = self.previous.tables if self.previous is not None else {}
            self.writers = {name: TableWriter(self.out, name, self.parquet,
                                              self.fixes if name in CORRECTED_TABLES and len(self.fixes) else None,
                                              self.executor, previous.get(name))
                            for name in (*TABLE_NAMES, "load_errors")}
        self.records.append(record)
        if record.tables == REUSED:  # as the previous output has it: copied from there
            entry = self.previous.reports[record.key]
            for name in TABLE_NAMES:
                self.writers[name].append_reused(self.previous.tables[name], entry.rows[name], entry.spans[name])
            return
        try:
            with open(record.tables, "rb") as handle:
                pickle.load(handle)  # the record, known already
                tables, extracted = unpack(pickle.load(handle))
        except FileNotFoundError:
            raise OutputError(f"{record.tables}: removed from the cache while this run needed it (by another run "
                              "sharing the cache and keeping it within its --cache-limit?); run again") from None
        for name in TABLE_NAMES:
            ipc, header, rows = tables[name]
            self.writers[name].append(from_ipc(ipc), (header, rows))
        if extracted is not None:  # waits beside the tables, moved into extracted/ with them
            target = self.out / "extracted" / f"{record.report_id}.txt"
            if target.resolve() in self.protected:
                raise OutputError(f"{target}: is an input of this run and would be overwritten; choose another --out")
            self.texts.mkdir(exist_ok=True)
            (self.texts / f"{record.report_id}.txt").write_text(extracted, encoding="utf-8")

    @property
    def texts(self) -> Path:
        return self.out / f".extracted.{os.getpid()}.tmp"

    def close(self, load_errors: list[dict]) -> list[Path]:
        import pyarrow as pa

        errors = pd.DataFrame(load_errors, columns=["file", "problem", "fix"]).astype(str)
        self.writers["load_errors"].append(arrow_table(errors))
        for writer in self.writers.values():  # every table finished in its temporary file first (at once) …
            writer.finish(wait=False)
        for writer in self.writers.values():
            writer.wait()
        self._stop_threads()
        if self.previous is not None:
            self.previous.close()
        forget(self.out)  # the index describes the tables about to be replaced
        for writer in self.writers.values():  # … then all moved into place, so a failure leaves the old ones
            self.written += writer.move()
        self._index()
        if self.texts.is_dir():
            (self.out / "extracted").mkdir(exist_ok=True)
            for text in sorted(self.texts.iterdir()):
                self.written.append(text.replace(self.out / "extracted" / text.name))
            self.texts.rmdir()
        self._settle_texts()
        return self.written

    def _settle_texts(self) -> None:
        """``extracted/`` holds the text of exactly this run's reports that are not plain text: a copied
        report's text, kept there from the run before, is counted as written, and the text of a report no
        longer in the corpus (or now plain text) is removed, as are its folder's other texts when it is left
        empty. Only ``.txt`` files are touched."""
        folder = self.out / "extracted"
        if not folder.is_dir():
            return
        wanted = {f"{r.report_id}.txt" for r in self.records if r.format != "txt"}
        written = {path.name for path in self.written if path.parent == folder}
        for text in sorted(folder.glob("*.txt")):
            if text.name not in wanted and text.resolve() not in self.protected:
                text.unlink()
            elif text.name in wanted and text.name not in written:  # a copied report's, from the run before
                self.written.append(text)
        if not any(folder.iterdir()):
            folder.rmdir()

    def _index(self) -> None:
        """Write the output's index, so that the next ingest here copies what it finds unchanged (not for
        tables without Parquet, corrected ones, or reports without a key)."""
        writers = [self.writers[name] for name in TABLE_NAMES]
        if not self.parquet or len(self.fixes) or any(w.sizes is None or len(w.sizes) != len(self.records)
                                                      for w in writers) \
                or not all(r.key for r in self.records):
            return
        try:
            write_index(self.out, TABLE_NAMES, [r.key for r in self.records], self.records,
                        {w.name: w.sizes for w in writers}, {w.name: w.header_size for w in writers})
        except OSError:  # without an index the next run reads every report again
            forget(self.out)

    def _stop_threads(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True)
            self.executor = None

    def abort(self) -> None:
        for writer in (self.writers or {}).values():
            writer.abort()
        self._stop_threads()
        shutil.rmtree(self.texts, ignore_errors=True)
        if self.made and self.out.is_dir() and not any(self.out.iterdir()):
            self.out.rmdir()


def _write(records: list[Record], out: Path, fixes: pd.DataFrame, load_errors: list[dict], parquet: bool,
           protected: set[Path], previous: Previous | None = None) -> list[Path]:
    """Append each report's tables, in order; move the files into place at the end."""
    assembly = Assembly(out, fixes, parquet, protected, previous)
    try:
        for record in records:
            assembly.add(record)
        return assembly.close(load_errors)
    except BaseException:
        assembly.abort()
        raise


class TableWriter:
    """One table written as it comes: reports' rows are gathered into groups of about :data:`ROWS_PER_GROUP`
    rows and appended to a temporary CSV (UTF-8 with BOM, one header) and Parquet file (a row group each, the
    schema fixed by the first group), which :meth:`move` puts into place.

    A report's rows come as an Arrow table and, rendered in the worker, as CSV (header, rows): the CSV is
    then copied as it is and the Arrow table written as a row group, with no detour through pandas. With
    ``fixes`` (corrections), or rows without their CSV, the group is corrected and rendered here instead.

    ``previous``: the table as a previous ingest into the folder wrote it. While the groups are those it
    begins with, row for row (the reports before the first new or changed one), they are kept as their bytes
    and the later groups written after them (:mod:`toolkit.parquetsplice`), not decoded and encoded again."""

    def __init__(self, out: Path, name: str, parquet: bool = True, fixes: pd.DataFrame | None = None,
                 executor=None, previous: PreviousTable | None = None):
        self.out, self.name, self.parquet, self.fixes = out, name, parquet, fixes
        self.executor = executor  # a thread pool writing the groups (None: written in the calling thread)
        self._pending = None
        self.csv_tmp = out / f".{name}.csv.{os.getpid()}.tmp"
        self.parquet_tmp = out / f".{name}.parquet.{os.getpid()}.tmp"
        self.previous = previous if parquet and fixes is None else None
        self.kept = 0  # leading row groups of the previous file kept as they are
        self.encoded = False  # a group written by Arrow: none is kept after it
        self.later_tmp = out / f".{name}-later.parquet.{os.getpid()}.tmp"  # the groups after the kept ones
        self.parquet_made = False
        self.buffer: list = []
        self.rendered: list = []
        self.buffered = 0
        self.columns: list | None = None
        self.schema = None
        self.parquet_writer = None
        self.empty = None  # a table that has had no rows yet: its columns (Arrow), for an empty file
        self.csv_started = False
        self.header_size = 0  # bytes before the first row: byte-order mark and header line
        self.sizes: list[tuple[int, int]] | None = []  # each report's rows and CSV bytes (None: not known)

    def append(self, piece, csv: tuple[bytes, bytes] | None = None) -> None:
        """Add one report's rows (a ``pyarrow.Table``), with their CSV ``(header, rows)`` when rendered."""
        self._add(piece, csv, piece.num_rows)

    def append_reused(self, table: PreviousTable, rows: tuple[int, int], span: tuple[int, int]) -> None:
        """Add one report's rows as a previous output of this table has them: ``rows`` (first, count) of its
        Parquet file and ``span`` (offset, length) of its CSV, read when the group is written."""
        self._add(Reused(table, rows[0], rows[0] + rows[1], span[0], span[0] + span[1]), REUSED, rows[1])

    def _add(self, piece, csv, rows: int) -> None:
        self.buffer.append(piece)
        self.rendered.append(csv)
        self.buffered += rows
        if self.buffered >= ROWS_PER_GROUP or len(self.buffer) >= PIECES_PER_GROUP:
            self._flush()

    def _frame(self, buffer: list) -> pd.DataFrame:
        import pyarrow as pa

        pieces = [p for p in buffer if p.num_rows] or buffer[:1]
        if not pieces:
            return pd.DataFrame(columns=self.columns or [])
        if len({p.schema for p in pieces}) == 1:
            frame = pa.concat_tables(pieces).to_pandas()
        else:  # a column empty in one batch, or typed otherwise: pandas finds the common type
            try:
                frame = pa.concat_tables(pieces, promote_options="permissive").to_pandas()
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                frame = pd.concat([p.to_pandas() for p in pieces], ignore_index=True)
        if self.fixes is not None:
            frame = apply_corrections(frame.drop(columns="corrected"), self.fixes)
        return frame

    def _flush(self, then=None) -> None:
        """Write the buffered rows: in the Assembly's thread pool when there is one (decoding and encoding
        Parquet let the other tables' groups be written meanwhile), one group of this table at a time.
        ``then``: what to do next in the same thread (finishing the files)."""
        self._wait()
        buffer, rendered = self.buffer, self.rendered
        self.buffer, self.rendered, self.buffered = [], [], 0
        work = partial(self._write_then, buffer, rendered, then)
        if self.executor is None:
            work()
        else:
            self._pending = self.executor.submit(work)

    def _write_then(self, buffer: list, rendered: list, then) -> None:
        if buffer or not self.csv_started:
            self._write_buffered(buffer, rendered)
        if then is not None:
            then()

    def _wait(self) -> None:
        """Wait for the group being written (raising what writing it raised)."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def _write_buffered(self, buffer: list, rendered: list) -> None:
        if buffer and self.fixes is None and all(c is not None for c in rendered):
            self._copy_rendered(buffer, rendered)
            return
        frame = self._frame(buffer)
        self.sizes = None  # rendered by the group: a report's bytes are not known
        if self.columns is None:
            self.columns = list(frame.columns)
        frame = frame[self.columns]
        if len(frame) or not self.csv_started:
            frame.to_csv(self.csv_tmp, index=False, mode="a" if self.csv_started else "w",
                         header=not self.csv_started, encoding="utf-8" if self.csv_started else "utf-8-sig")
            self.csv_started = True
        if self.parquet and len(frame):
            self._write_parquet(frame)
        elif self.parquet and self.schema is None:  # no rows yet: the types wait for the first that come
            self.empty = arrow_table(frame)

    def _copy_rendered(self, buffer: list, rendered: list) -> None:
        """Write the buffered reports' CSV as rendered, and their Arrow rows as one row group. A report whose
        column types differ from the table's (a column empty in it, or typed otherwise) is cast to them and
        its CSV rendered again here, so every row of a file is written with the same types."""
        import pyarrow as pa

        if self._keeps(buffer):  # the previous file's next row group, as it was: its bytes kept
            pieces, rendered, sizes = _materialise(buffer, rendered, read=False)
            if self.schema is None:
                self.columns = list(self.previous.schema().names)
                self._fix_schema(self.previous.schema())
            self.kept += 1
            self._append_csv(rendered, [body for _, body in rendered], sizes)
            return
        pieces, rendered, sizes = _materialise(buffer, rendered)
        full = [p for p in pieces if p.num_rows]
        if self.columns is None:
            self.columns = list(pieces[0].schema.names)
        if self.schema is None and full:  # the types of the first rows (a table without rows yet has none)
            self._fix_schema(_common_schema(full))
        elif self.schema is None:
            self.empty = pieces[0]
        bodies = []
        for i, piece in enumerate(pieces):
            if self.schema is None or piece.schema.equals(self.schema):
                bodies.append(rendered[i][1])
                continue
            try:
                pieces[i] = conform(piece, self.schema)
            except (KeyError, pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as err:
                raise self._misfit(err) from None
            spans = np.cumsum([0] + [rows for rows, _ in sizes[i]])
            again = csv_pieces(pieces[i], list(zip(spans[:-1], spans[1:])))[1]
            sizes[i] = [(rows, len(body)) for (rows, _), body in zip(sizes[i], again)]
            bodies.append(b"".join(again))
        self._append_csv(rendered, bodies, sizes)
        if self.parquet and full:
            self._write_group(pa.concat_tables([p for p in pieces if p.num_rows]))

    def _keeps(self, buffer: list) -> bool:
        """Whether a group is the previous file's next row group, row for row, with no group written by
        Arrow before it: then it is that group's bytes (the groups of a run are cut by the same rule, so the
        leading reports' groups are the same)."""
        previous = self.previous
        if previous is None or self.encoded or not buffer or previous.footer() is None:
            return False
        if not all(isinstance(p, Reused) and p.table is previous for p in buffer) \
                or any(a.stop != b.start for a, b in zip(buffer, buffer[1:])):
            return False
        return previous.group_rows(self.kept) == (buffer[0].start, buffer[-1].stop)

    def _append_csv(self, rendered: list, bodies: list, sizes: list) -> None:
        """Append the rows' CSV (bytes, or a previous output's run of rows) to the temporary file."""
        with open(self.csv_tmp, "r+b" if self.csv_started else "wb", buffering=0) as handle:
            handle.seek(0, os.SEEK_END)
            if not self.csv_started:
                header = rendered[0][0]
                handle.write(b"\xef\xbb\xbf" + header)
                self.header_size = 3 + len(header)
            for body in bodies:
                if isinstance(body, Reused):  # a previous output's rows: its CSV bytes copied as they are
                    body.table.copy_csv(body.offset, body.end - body.offset, handle)
                else:
                    handle.write(body)
        self.csv_started = True
        if self.sizes is not None:
            self.sizes.extend(size for group in sizes for size in group)

    def _fix_schema(self, schema) -> None:
        """Fix the table's column types (the Parquet file is begun with its first group). Text is
        ``large_string`` throughout, as pandas' text columns give it, also in a column empty in the first group
        (else text), and pandas' note of such a column's type (``empty``) is that of a text column: neither the
        types nor the notes depend on which reports come first, so a rerun that copies rows gives the very file
        a run into an empty folder gives."""
        import pyarrow as pa

        for i, item in enumerate(schema):
            if pa.types.is_null(item.type) or pa.types.is_string(item.type):
                schema = schema.set(i, pa.field(item.name, pa.large_string()))
        self.schema = _text_noted(schema)

    def _misfit(self, err) -> OutputError:
        return OutputError(f"{self.out / self.name}.parquet: a later group of rows does not fit the column types "
                           f"of the first ({err}); write CSV only (--no-parquet) and report this")

    def _write_parquet(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa

        frame = _for_parquet(frame)
        if self.schema is None:
            self._fix_schema(pa.Schema.from_pandas(frame, preserve_index=False))
        try:
            group = pa.Table.from_pandas(frame, schema=self.schema, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as err:
            raise self._misfit(err) from None
        self._write_group(group)

    def _write_group(self, table) -> None:
        """One row group of the Parquet file (after the kept ones: of the file of later groups)."""
        self._writer().write_table(table)
        self.encoded = True

    def _writer(self):
        import pyarrow.parquet as pq

        if self.parquet_writer is None:
            self.parquet_writer = pq.ParquetWriter(self.later_tmp if self.kept else self.parquet_tmp, self.schema)
        return self.parquet_writer

    def finish(self, wait: bool = True) -> None:
        """Write what is left and close the temporary files (a table that never had rows: an empty file).
        ``wait`` false: only begun, in the thread pool, so that every table is finished at once (then
        :meth:`wait` for it)."""
        self._flush(then=self._close_files)
        if wait:
            self._wait()

    def wait(self) -> None:
        """Wait for what was begun (raising what it raised)."""
        self._wait()

    def _close_files(self) -> None:
        if self.parquet and self.parquet_writer is None and self.empty is not None and not self.kept:
            self._fix_schema(self.empty.schema)
            self._write_group(conform(self.empty, self.schema))
        if self.kept:
            self._writer()  # (no later group: a file of none, for its footer)
        if self.parquet_writer is not None:
            self.parquet_writer.close()
            self.parquet_made = True
        if self.kept:
            self._join_kept()

    def _join_kept(self) -> None:
        """The Parquet file: the previous file's kept row groups as they are, then the later ones, under one
        footer; should the two files' footers differ (never seen), every group is encoded again instead."""
        import pyarrow.parquet as pq

        from .parquetsplice import read_footer, same_layout, splice

        footer, later = self.previous.footer(), read_footer(self.later_tmp)
        with open(self.parquet_tmp, "wb", buffering=0) as target:
            if later is not None and same_layout(footer, later):
                splice(self.previous.parquet, footer, self.kept, self.later_tmp, later, target)
            else:
                with pq.ParquetWriter(target, self.schema) as writer:
                    for source, groups in ((self.previous.parquet, range(self.kept)), (self.later_tmp, None)):
                        parquet = pq.ParquetFile(source)
                        for group in groups if groups is not None else range(parquet.num_row_groups):
                            rows = parquet.read_row_group(group, use_threads=False)
                            writer.write_table(rows if rows.schema.equals(self.schema) else rows.cast(self.schema))
        self.later_tmp.unlink()

    def move(self) -> list[Path]:
        """Move the finished files into place."""
        written = []
        if self.parquet_made:
            target = self.out / f"{self.name}.parquet"
            self.parquet_tmp.replace(target)
            written.append(target)
        target = self.out / f"{self.name}.csv"
        self.csv_tmp.replace(target)
        return [target] + written

    def close(self) -> list[Path]:
        self.finish()
        return self.move()

    def abort(self) -> None:
        try:
            self._wait()
        except BaseException:  # what stopped the run is raised already; this group is dropped with the rest
            pass
        if self.parquet_writer is not None:
            try:
                self.parquet_writer.close()
            except Exception:
                pass
        for temporary in (self.csv_tmp, self.parquet_tmp, self.later_tmp):
            temporary.unlink(missing_ok=True)


class Reused(NamedTuple):
    """A run of rows of a previous output: rows ``start:stop`` of its Parquet file, bytes ``offset:end`` of
    its CSV."""

    table: PreviousTable
    start: int
    stop: int
    offset: int
    end: int


def _materialise(buffer: list, rendered: list, read: bool = True) -> tuple[list, list, list[list[tuple[int, int]]]]:
    """A writer's buffer as Arrow tables with their CSV: a run of reused reports that lie together in the
    previous output becomes one table (read from its Parquet file; not read: ``read`` false) whose CSV is its
    bytes there (a :class:`Reused`, copied when written). Also each table's reports' (rows, CSV bytes)."""
    pieces, csv, sizes = [], [], []
    for piece, rows in zip(buffer, rendered):
        if not isinstance(piece, Reused):
            pieces.append(piece)
            csv.append(rows)
            sizes.append([(piece.num_rows, len(rows[1]) if rows is not None else 0)])
            continue
        last = pieces[-1] if pieces else None
        size = (piece.stop - piece.start, piece.end - piece.offset)
        if isinstance(last, Reused) and last.table is piece.table and last.stop == piece.start \
                and last.end == piece.offset:
            pieces[-1] = last._replace(stop=piece.stop, end=piece.end)
            sizes[-1].append(size)
        else:
            pieces.append(piece)
            csv.append(None)
            sizes.append([size])
    for i, piece in enumerate(pieces):
        if isinstance(piece, Reused):
            if read:
                pieces[i] = piece.table.rows(piece.start, piece.stop)
            csv[i] = (piece.table.header(), piece)
    return pieces, csv, sizes


def _text_noted(schema):
    """``schema`` with pandas' note (its ``pandas`` metadata) of each text column that was empty where the
    schema was taken (``pandas_type`` "empty") made that of a text column."""
    import json

    import pyarrow as pa

    note = (schema.metadata or {}).get(b"pandas")
    if note is None or b'"empty"' not in note:
        return schema
    text = json.loads(pa.Schema.from_pandas(pd.DataFrame({"text": pd.Series(["文"], dtype="str")}),
                                            preserve_index=False).metadata[b"pandas"])["columns"][0]
    pandas = json.loads(note)
    for column in pandas["columns"]:
        name = column.get("field_name")
        if column.get("pandas_type") == "empty" and name in schema.names \
                and pa.types.is_large_string(schema.field(name).type):
            column.update(pandas_type=text["pandas_type"], numpy_type=text["numpy_type"])
    return schema.with_metadata({**schema.metadata, b"pandas": json.dumps(pandas).encode()})


def conform(table, schema):
    """An Arrow table with the column types of ``schema``: numbers widened, and anything made text as its CSV
    shows it (``True``, ``3``, as :func:`toolkit.export._for_parquet` writes a mixed column), not as Arrow
    would cast it (``true``)."""
    import pyarrow as pa

    columns = []
    for field in schema:
        column = table.column(field.name)
        if column.type != field.type:
            if (pa.types.is_string(field.type) or pa.types.is_large_string(field.type)) \
                    and not pa.types.is_null(column.type):
                column = pa.array([None if v is None else str(v) for v in column.to_pylist()], field.type)
            else:
                column = column.cast(field.type)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=schema)


def _common_schema(pieces: list):
    """The column types of Arrow tables together (types unified where they differ: a column empty in one
    report; a flag in one, text in another becomes text, as pandas would have it)."""
    import pyarrow as pa

    if all(p.schema.equals(pieces[0].schema) for p in pieces):
        return pieces[0].schema
    try:
        return pa.unify_schemas([p.schema for p in pieces], promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        frame = pd.concat([p.to_pandas() for p in pieces], ignore_index=True)
        return pa.Schema.from_pandas(_for_parquet(frame), preserve_index=False)


def _write_labelled(out: Path, parquet: bool, xlsx: bool, dta: bool) -> list[Path]:
    """The workbook and Stata files, from the tables just written (they need whole tables: Excel's sheets are
    capped at about a million rows, so these suit corpora of ordinary size)."""
    read = (lambda n: pd.read_parquet(out / f"{n}.parquet")) if parquet else \
        (lambda n: pd.read_csv(out / f"{n}.csv", encoding="utf-8-sig"))
    tables = {name: read(name) for name in (*TABLE_NAMES, "load_errors")}
    try:
        return write_labelled(tables, out, xlsx=xlsx, dta=dta)
    except OutputError as err:  # a table too long for Excel: refused before the workbook is begun
        raise OutputError(f"{err} (the CSV and Parquet tables were written)") from None
