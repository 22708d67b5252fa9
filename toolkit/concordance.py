"""Concordance (keyword in context): every occurrence of a term or regex, with report, section path and original text.

Search runs on the cleaned text (so 1．/1. and full-/half-width forms match alike, and ``Ⓧ`` stands for any
masked figure); the windows are cut from the original text at the mapped offsets, exactly as received.
"""

from __future__ import annotations

import re

import pandas as pd

from .cleaning import normalize


def kwic(corpus, pattern: str, regex: bool = False, window: int = 20, roles: tuple[str, ...] | None = None,
         report_ids: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Occurrences of ``pattern`` in every sentence.

    Returns:
        One row per occurrence: report_id, sentence_id, section_id, path, role, left, match, right (original
        text), start, end (original offsets of the match).
    """
    compiled = re.compile(pattern if regex else re.escape(normalize(pattern)))
    rows = []
    for view in corpus.iter_sentences():
        report, sentence, section = view.report, view.sentence, view.section
        if (report_ids and report.report_id not in report_ids) or (roles and section.role not in roles):
            continue
        for match in compiled.finditer(sentence.text):
            if match.end() == match.start():
                continue
            start, end = report.clean.to_original(sentence.start + match.start(), sentence.start + match.end())
            left, hit, right = corpus.context(report.report_id, start, end, window)
            rows.append((report.report_id, sentence.sentence_id, section.section_id, view.path, section.role, left,
                         hit, right, start, end))
    return pd.DataFrame(rows, columns=["report_id", "sentence_id", "section_id", "path", "role", "left", "match",
                                       "right", "start", "end"])


def with_context(corpus, table: pd.DataFrame, window: int = 20) -> pd.DataFrame:
    """Add left/match/right columns (original text) to any table with report_id, start and end."""
    contexts = [corpus.context(r, s, e, window) for r, s, e in zip(table["report_id"], table["start"], table["end"])]
    out = table.copy()
    out["left"] = [c[0] for c in contexts]
    out["match"] = [c[1] for c in contexts]
    out["right"] = [c[2] for c in contexts]
    return out
