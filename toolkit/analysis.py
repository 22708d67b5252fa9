"""Per-report analyses and tables: what one report yields, as a pure function of the report and its Config.

Every per-report analysis — the clause reading (targets, results, forecasts), problem hits, theme mentions
and word tokens — is computed once per report and rule files and kept with the report (``Report.memo``).
:func:`analyse_report` computes them all; :func:`load_corpus <toolkit.corpus.load_corpus>` runs it inside
its worker processes, so only finished readings travel back, and keeps the result in the per-report cache,
so adding one report to a cached corpus analyses one report.

The tables ``ingest`` writes are per-report tables put end to end (:func:`report_tables`), so they can be
written as a stream, one report at a time, and :func:`corpus_tables` gives the same tables for a corpus in
memory.
"""

from __future__ import annotations

import pandas as pd

from .config import Config

#: The tables ``ingest`` writes, in order (besides ``load_errors``).
TABLE_NAMES = ("reports", "sections", "sentences", "boilerplate", "masks", "themes", "terms", "targets", "results",
               "problems")
#: Tables that hold researchers' corrections (applied after the per-report tables are built).
CORRECTED_TABLES = ("targets", "results", "problems")


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


def report_tables(report, config: Config = Config()) -> dict[str, pd.DataFrame]:
    """The tables ``ingest`` writes, for one report, before corrections (see :data:`TABLE_NAMES`)."""
    from .corpus import Corpus

    return _tables(Corpus([report], config=config))


def _tables(corpus) -> dict[str, pd.DataFrame]:
    from .commitments import results, targets
    from .difficulties import problems
    from .terms import term_frequency
    from .themes import theme_table

    return {"reports": corpus.reports, "sections": corpus.sections, "sentences": corpus.sentences,
            "boilerplate": corpus.boilerplate, "masks": corpus.masks, "themes": theme_table(corpus),
            "terms": term_frequency(corpus, "role"), "targets": targets(corpus), "results": results(corpus),
            "problems": problems(corpus)}


def corpus_tables(corpus) -> dict[str, pd.DataFrame]:
    """Every table ``ingest`` writes, for a corpus in memory: each report's tables end to end, in corpus
    order, with the corpus's corrections applied — the same rows, in the same order, as ``ingest`` writes."""
    from .corrections import apply_corrections

    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLE_NAMES}
    for report in corpus:
        for name, frame in report_tables(report, corpus.config).items():
            parts[name].append(frame)
    tables = {name: concat(frames) for name, frames in parts.items()}
    for name in CORRECTED_TABLES:
        tables[name] = apply_corrections(tables[name].drop(columns="corrected"), corpus.corrections)
    return tables


def concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Tables of several reports end to end, keeping each column's type (a column empty in one report does
    not turn another's numbers into text)."""
    frames = [f for f in frames if len(f)] or frames[:1]
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    return pd.concat(frames, ignore_index=True)
