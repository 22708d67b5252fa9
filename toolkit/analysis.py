"""Per-report analyses and tables: what one report yields, as a pure function of the report and its Config.

Every per-report analysis — the clause reading (targets, results, forecasts), problem hits, theme mentions
and word tokens — is computed once per report and rule files and kept with the report (``Report.memo``).
:func:`analyse_report` computes them all; :func:`load_corpus <toolkit.corpus.load_corpus>` runs it inside
its worker processes, so only finished readings travel back, and keeps the result in the per-report cache,
so adding one report to a cached corpus analyses one report.

The tables ``ingest`` writes are per-report tables put end to end (:func:`batch_tables` lists each report's
rows together), so they can be written as a stream, one report at a time, and :func:`corpus_tables` gives
the same tables for a corpus in memory.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .config import Config
from .resources import rules_held

#: The tables ``ingest`` writes, in order (besides ``load_errors``).
TABLE_NAMES = ("reports", "sections", "sentences", "boilerplate", "masks", "themes", "terms", "targets", "results",
               "problems")
#: Tables that hold researchers' corrections (applied after the per-report tables are built).
CORRECTED_TABLES = ("targets", "results", "problems")


#: Reports of at least this many characters (of cleaned text) have their clauses and problems read in two
#: parts at once, the second in a process of its own (some 6 MB of text files pasted into one report).
SPLIT_CHARS = 2_000_000


#: The share of a huge report's text whose clauses this process reads; the helper reads the rest and
#: segments the report and finds its themes meanwhile.
OWN_SHARE = 0.67


def read_in_parts(report, config: Config = Config()) -> bool:
    """Read a huge report's clauses and problem hits (kept in ``report.memo``, as :func:`report_clauses
    <toolkit.clauses.report_clauses>` and :func:`report_problems <toolkit.difficulties.report_problems>` keep
    them) in two parts at once: the last part, from a sentence that begins a line, in a forked process (which
    also segments the report and finds its theme mentions, kept in the memo too), while this one reads the
    first part. The result is the same as one reading. Only for reports of :data:`SPLIT_CHARS` or more, on
    Linux (a forked process shares the parsed report without copying it), and when the machine has a second
    core; returns whether it read them."""
    import multiprocessing
    import sys
    import time

    from .clauses import _clause_key, line_start
    from .difficulties import problems_key
    from .parallel import available_cores

    clauses_key, hits_key = _clause_key(config, None), problems_key(config)
    if len(report.text) < SPLIT_CHARS or not sys.platform.startswith("linux") or available_cores() < 2 \
            or clauses_key in report.memo or hits_key in report.memo:
        return False
    at = line_start(report, OWN_SHARE)
    if at is None:
        return False
    own, other = range(0, at), range(at, len(report.sentences))
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    helper = context.Process(target=_read_part, args=(send, report, config, other), daemon=True)
    try:
        helper.start()
    except (OSError, AssertionError):  # no process to be had (or none allowed here): one reading, as always
        return False
    send.close()
    try:
        began = time.perf_counter()
        first, first_hits = _part_read(report, config, own)
        # the helper's share is smaller than this one's: one that has not answered in several times as long
        # is taken to be stuck, and its part is read here
        patience = max(60.0, 3 * (time.perf_counter() - began))
        try:
            if not receive.poll(patience):
                raise EOFError
            second, second_hits, more = receive.recv()
        except (EOFError, OSError):  # the helper died or is stuck: its part is read here
            (second, second_hits), more = _part_read(report, config, other), {}
    finally:
        receive.close()
        helper.join(timeout=5)
        if helper.is_alive():
            helper.terminate()
            helper.join()
    for key, value in more.items():
        report.memo.setdefault(key, value)
    report.memo[clauses_key] = first + second
    report.memo[hits_key] = first_hits + second_hits
    return True


def _part_read(report, config: Config, part: range) -> tuple[list, list]:
    """The clauses and problem hits of one part of a report (sentences ``part``)."""
    from .clauses import read_clauses
    from .difficulties import problem_rows

    clauses = read_clauses(report, config, None, part)
    return clauses, problem_rows(report, clauses, config)


def _read_part(send, report, config: Config, part: range) -> None:
    """In the forked helper: read one part's clauses and problem hits, then the report's tokens and theme
    mentions, and send them back (the analyses as memo entries)."""
    from .segmentation import config_segmenter, report_tokens
    from .themes import report_theme_matches

    clauses, hits = _part_read(report, config, part)
    before = set(report.memo)
    report_tokens(report, config_segmenter(config))
    report_theme_matches(report, config.themes, config)
    send.send((clauses, hits, {key: value for key, value in report.memo.items() if key not in before}))
    send.close()


@rules_held
def analyse_report(report, config: Config = Config()) -> bool:
    """Compute every per-report analysis of ``report`` under ``config`` that it does not hold yet (kept in
    ``report.memo``); return whether anything was computed."""
    from .clauses import report_clauses
    from .difficulties import report_problems
    from .segmentation import config_segmenter, report_tokens
    from .themes import report_theme_matches

    before = len(report.memo)
    report_clauses(report, config)
    report_problems(report, config)
    report_theme_matches(report, config.themes, config)
    report_tokens(report, config_segmenter(config))
    return len(report.memo) != before


@rules_held
def batch_tables(corpus) -> dict[str, pd.DataFrame]:
    """The tables ``ingest`` writes for the reports of ``corpus``, before corrections, each in report order
    (all rows of the first report, then the second's …), so a batch's table is its reports' tables end to end."""
    from .commitments import results, targets
    from .difficulties import problems
    from .terms import term_frequency
    from .themes import theme_table

    for report in corpus:  # the clauses first: a huge report's helper finds its tokens and themes meanwhile
        analyse_report(report, corpus.config)
    tables = {"reports": corpus.reports, "sections": corpus.sections, "sentences": corpus.sentences,
              "boilerplate": corpus.boilerplate, "masks": corpus.masks, "themes": theme_table(corpus),
              "terms": term_frequency(corpus, "role"), "targets": targets(corpus), "results": results(corpus),
              "problems": problems(corpus)}
    return {name: report_major(frame, corpus.report_ids) for name, frame in tables.items()}


def report_positions(frame: pd.DataFrame, report_ids: list[str]) -> np.ndarray:
    """The position in ``report_ids`` of each row's ``report_id`` (every one of which is there), found by
    Arrow's hash kernel: a fortieth of the time of a dictionary lookup per row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not len(frame):
        return np.zeros(0, np.int64)
    found = pc.index_in(pa.array(frame["report_id"], pa.large_string()),
                        value_set=pa.array(report_ids, pa.large_string()))
    if found.null_count:
        unknown = sorted(set(frame["report_id"]) - set(report_ids))[0]
        raise KeyError(f"report_id {unknown!r} is not among the corpus's reports")
    return found.to_numpy().astype(np.int64)


def report_major(frame: pd.DataFrame, report_ids: list[str]) -> pd.DataFrame:
    """``frame`` stably sorted by the position of its ``report_id`` in ``report_ids`` (row order within a
    report kept)."""
    keys = report_positions(frame, report_ids)
    if len(keys) < 2 or (keys[1:] >= keys[:-1]).all():
        return frame.reset_index(drop=True)
    return frame.iloc[np.argsort(keys, kind="stable")].reset_index(drop=True)


def report_slices(frame: pd.DataFrame, report_ids: list[str]) -> list[tuple[int, int]]:
    """Row ranges ``(start, end)`` of each report of ``report_ids`` in a report-major table (in that order)."""
    keys = report_positions(frame, report_ids)
    starts = np.searchsorted(keys, np.arange(len(report_ids)), side="left")
    ends = np.searchsorted(keys, np.arange(len(report_ids)), side="right")
    return list(zip(starts.tolist(), ends.tolist()))


def corpus_tables(corpus) -> dict[str, pd.DataFrame]:
    """Every table ``ingest`` writes, for a corpus in memory, with the corpus's corrections applied — the same
    rows, in the same order, as ``ingest`` writes."""
    from .corrections import apply_corrections

    tables = batch_tables(corpus)
    for name in CORRECTED_TABLES:
        tables[name] = apply_corrections(tables[name].drop(columns="corrected"), corpus.corrections)
    return tables
