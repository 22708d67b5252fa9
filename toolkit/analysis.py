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

    tables = {"reports": corpus.reports, "sections": corpus.sections, "sentences": corpus.sentences,
              "boilerplate": corpus.boilerplate, "masks": corpus.masks, "themes": theme_table(corpus),
              "terms": term_frequency(corpus, "role"), "targets": targets(corpus), "results": results(corpus),
              "problems": problems(corpus)}
    position = {report_id: i for i, report_id in enumerate(corpus.report_ids)}
    return {name: report_major(frame, position) for name, frame in tables.items()}


def report_major(frame: pd.DataFrame, position: dict[str, int]) -> pd.DataFrame:
    """``frame`` stably sorted by the position of its ``report_id`` (row order within a report kept)."""
    keys = frame["report_id"].map(position).to_numpy()
    if len(keys) < 2 or (keys[1:] >= keys[:-1]).all():
        return frame.reset_index(drop=True)
    return frame.iloc[np.argsort(keys, kind="stable")].reset_index(drop=True)


def report_slices(frame: pd.DataFrame, report_ids: list[str]) -> list[tuple[int, int]]:
    """Row ranges ``(start, end)`` of each report of ``report_ids`` in a report-major table (in that order)."""
    position = {report_id: i for i, report_id in enumerate(report_ids)}
    keys = frame["report_id"].map(position).to_numpy(dtype=np.int64) if len(frame) else np.zeros(0, np.int64)
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
