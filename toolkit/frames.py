"""Tables made from rows: a table without rows has the column types it has with rows.

pandas gives every column of a table made from no rows the type ``object`` (and a column made from an empty
list ``float64``). A report without a problem, a mask or a result would then write ``start`` and ``end`` as
text to Parquet, and a table joined from such a report's and others' would change type. Each table that can
be empty declares the types of its columns that are not text (``int64``, ``bool``, ``float64`` …); :func:`frame`
gives them, and text to the others, when there are no rows. (Ground stage: imports nothing of the toolkit.)

>>> frame([], ["report_id", "start"], {"start": "int64"}).dtypes["start"]
dtype('int64')
"""

from __future__ import annotations

import pandas as pd

#: pandas' type for a column of text (``str`` from pandas 3 on, ``object`` before).
TEXT = pd.Series(["text"]).dtype


def frame(rows, columns: list[str], types: dict[str, str]) -> pd.DataFrame:
    """``pd.DataFrame(rows, columns=columns)``; when there are no rows, each column typed as ``types`` says
    (the columns it does not name: text)."""
    table = pd.DataFrame(rows, columns=columns)
    if not len(table):
        table = table.astype({column: types.get(column, TEXT) for column in columns})
    return table
