"""Researchers' corrections: a file that overrides an automatic coding in every table that holds it.

A corrections file (``data/annotations/corrections.csv`` for the book) has one row per corrected coding:
``report_id, start, end, field, value, note`` — the row's report and original-text span as the table shows
them (``start``/``end``), the column to correct (``strength``, ``indicator``, ``category``, ``statement`` …), the
value a careful reader gives, and why. :func:`toolkit.targets`, :func:`toolkit.results` and
:func:`toolkit.problems` apply the corpus's corrections and mark each corrected row in a ``corrected``
column, so a researcher can publish their corrected coding with the code that produced the rest.

>>> table = pd.DataFrame({"report_id": ["r"], "start": [3], "end": [9], "strength": ["striving"]})
>>> fixes = pd.DataFrame({"report_id": ["r"], "start": [3], "end": [9], "field": ["strength"],
...                       "value": ["binding"], "note": ["力求 reads as 确保 here"]})
>>> apply_corrections(table, fixes)[["strength", "corrected"]].values.tolist()
[['binding', 'strength']]
"""

from __future__ import annotations

import csv
from difflib import get_close_matches
from pathlib import Path

import pandas as pd

from .errors import ConfigError
from .resources import strip_comments

CORRECTION_COLUMNS = ("report_id", "start", "end", "field", "value", "note")
_TRUE = {"true", "1", "yes", "是", "y"}


def read_corrections(path: str | Path | None) -> pd.DataFrame:
    """A corrections file as a table (``CORRECTION_COLUMNS``); an absent path gives an empty table."""
    if path is None or not Path(path).is_file():
        return pd.DataFrame(columns=list(CORRECTION_COLUMNS))
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: corrections file is not UTF-8 text") from None
    rows = list(csv.DictReader(strip_comments(text).splitlines()))
    header = list(rows[0]) if rows else next(csv.reader(strip_comments(text).splitlines()), [])
    missing = [c for c in CORRECTION_COLUMNS[:5] if c not in header]
    if missing:
        hints = [f"{c} (did you mean {close[0]}?)" if (close := get_close_matches(c, header, 1)) else c
                 for c in missing]
        raise ConfigError(f"{path}: corrections file lacks column(s) {', '.join(hints)}")
    table = pd.DataFrame(rows, columns=header).fillna("")
    for number, (start, end) in enumerate(zip(table["start"], table["end"]), start=2):
        if not (str(start).strip().isdigit() and str(end).strip().isdigit()):
            raise ConfigError(f"{path}: row {number} needs whole-number start and end (original-text offsets)")
    table["start"] = table["start"].astype(int)
    table["end"] = table["end"].astype(int)
    if "note" not in table:
        table["note"] = ""
    return table[list(CORRECTION_COLUMNS)]


def _cast(value: str, column: pd.Series):
    if value.strip() == "":
        return None
    if pd.api.types.is_bool_dtype(column) or column.map(lambda v: isinstance(v, bool)).all() and len(column):
        return value.strip().lower() in _TRUE
    if pd.api.types.is_numeric_dtype(column):
        return float(value)
    return value.strip()


def apply_corrections(table: pd.DataFrame, corrections: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every correction whose report, span and field it holds applied, and a ``corrected``
    column naming the fields corrected in each row (empty where none)."""
    table = table.copy()
    table["corrected"] = ""
    relevant = corrections[corrections["field"].isin(table.columns)] if len(corrections) else corrections
    for fix in relevant.itertuples():
        rows = (table["report_id"] == fix.report_id) & (table["start"] == fix.start) & (table["end"] == fix.end)
        if not rows.any():
            continue
        column = table[fix.field]
        if isinstance(column.dtype, pd.CategoricalDtype):
            if fix.value not in column.cat.categories:
                table[fix.field] = column.cat.add_categories([fix.value])
        else:
            table[fix.field] = column.astype(object) if not pd.api.types.is_numeric_dtype(column) else column
        table.loc[rows, fix.field] = _cast(str(fix.value), column)
        table.loc[rows, "corrected"] = [f"{c}, {fix.field}" if c else fix.field for c in table.loc[rows, "corrected"]]
    return table
