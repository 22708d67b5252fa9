"""Write tables for users: CSV as UTF-8 with BOM (so Excel shows Chinese) and Parquet, atomically; on request
one Excel workbook (a sheet per table) and Stata files, both labelled in Chinese.

Each file is written to a temporary name and moved into place, so a failure never leaves a half-written
table, and no file the corpus was read from is ever overwritten. The English column keys are stable (they
are the CSV, Parquet and Stata column names); the Chinese labels are the ``column`` rows of the toolkit's
display labels, ``toolkit/data/labels.csv``.
"""

from __future__ import annotations

import numbers
import re
import unicodedata
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from .errors import OutputError
from .resources import atomic_write, read_table

LABELS = "labels.csv"             # display labels; its rows of kind "column" label the columns
WORKBOOK_NAME = "tables.xlsx"
EXCEL_MAX_ROWS = 1_048_576        # rows in one Excel sheet, header rows included
EXCEL_MAX_CELL_CHARS = 32_767     # characters in one Excel cell
EXCEL_HEADER_ROWS = 2             # row 1: Chinese labels for readers; row 2: English keys for programs
EXCEL_MAX_WIDTH = 60              # column width cap, in Excel character units (a Chinese character is 2)
STATA_VERSION = 118               # Stata 14+: Unicode strings and labels
STATA_MAX_STR_BYTES = 2045        # longer strings are stored as strL
STATA_MAX_LABEL_CHARS = 80
# Words Stata reserves, which it refuses as variable names (Stata manual [U] 11.3 Naming conventions).
STATA_RESERVED = frozenset("""
    _all _b byte _coef _cons double float if in int long _n _N _pi _pred _rc _se _skip str strL using with
    aggregate array boolean break case catch class colvector complex const continue default delegate delete
    do else eltypedef end enum explicit export external for friend function global goto inline local NULL
    pragma protected quad rowvector short typedef typename virtual""".split())


def write_tables(tables: Mapping[str, pd.DataFrame], out: str | Path, protected: Iterable[str | Path] = (),
                 parquet: bool = True, *, xlsx: bool = False, dta: bool = False,
                 labels: str | Path = LABELS) -> list[Path]:
    """Write each table as ``NAME.csv`` (utf-8-sig) and ``NAME.parquet`` into ``out``; return the paths.

    Args:
        xlsx: also write ``tables.xlsx``, one sheet per table (see :func:`write_workbook`).
        dta: also write ``NAME.dta`` per table for Stata (see :func:`write_stata`).
        labels: the label file (package data name or a user's path in the same format).

    A table too long for an Excel sheet, or a cell too long for Excel, is refused before anything is written.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder; choose another --out")
    if xlsx:
        for name, frame in tables.items():
            check_fits_excel(name, frame)
    out.mkdir(parents=True, exist_ok=True)
    protected_paths = {Path(p).resolve() for p in protected}
    suffixes = (".csv",) + ((".parquet",) if parquet else ()) + ((".dta",) if dta else ())
    targets = [(name, suffix, out / f"{name}{suffix}") for name in tables for suffix in suffixes]
    if xlsx:
        targets.append((None, ".xlsx", out / WORKBOOK_NAME))
    for _, _, target in targets:
        if target.resolve() in protected_paths:
            raise OutputError(f"{target}: is an input of this run and would be overwritten; choose another --out")
    written = []
    for name, suffix, target in targets:
        if suffix == ".csv":
            atomic_write(target, lambda tmp, f=tables[name]: f.to_csv(tmp, index=False, encoding="utf-8-sig"))
            written.append(target)
        elif suffix == ".parquet":
            atomic_write(target, lambda tmp, f=tables[name]: _for_parquet(f).to_parquet(tmp, index=False))
            written.append(target)
    return written + write_labelled(tables, out, xlsx=xlsx, dta=dta, labels=labels)


def write_labelled(tables: Mapping[str, pd.DataFrame], out: str | Path, *, xlsx: bool = False, dta: bool = False,
                   labels: str | Path = LABELS) -> list[Path]:
    """The files labelled in Chinese: ``tables.xlsx`` (:func:`write_workbook`) and a ``NAME.dta`` per table
    (:func:`write_stata`), as asked; return their paths."""
    if not (xlsx or dta):
        return []
    label_map = column_labels(labels)
    out = Path(out)
    written = [write_workbook(tables, out / WORKBOOK_NAME, label_map)] if xlsx else []
    return written + [write_stata(frame, out / f"{name}.dta", name, label_map) for name, frame in tables.items()
                      if dta]


# ------------------------------------------------------------------------------------------------------
# Column labels
# ------------------------------------------------------------------------------------------------------
def column_labels(source: str | Path = LABELS) -> dict[str, str]:
    """Column key → Chinese label, from the label file's rows of kind ``column``."""
    rows = read_table(source, required=("kind", "key", "zh"))
    return {row.key: row.zh for row in rows.itertuples(index=False) if row.kind == "column" and row.zh}


def label_of(labels: Mapping[str, str], column: str) -> str:
    """The Chinese label of a column key, else the key itself."""
    return labels.get(column) or column


# ------------------------------------------------------------------------------------------------------
# Excel
# ------------------------------------------------------------------------------------------------------
def check_fits_excel(name: str, frame: pd.DataFrame) -> None:
    """Refuse (``OutputError``) a table with more rows, or a cell with more characters, than Excel holds."""
    if len(frame) + EXCEL_HEADER_ROWS > EXCEL_MAX_ROWS:
        raise OutputError(f"table '{name}' has {len(frame):,} rows, more than an Excel sheet holds "
                          f"({EXCEL_MAX_ROWS - EXCEL_HEADER_ROWS:,} below its header); use its CSV or Parquet "
                          "file instead of --xlsx")
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            lengths = frame[column].map(lambda v: len(v) if isinstance(v, str) else 0)
            if len(lengths) and lengths.max() > EXCEL_MAX_CELL_CHARS:
                raise OutputError(f"table '{name}', column '{column}': a cell of {lengths.max():,} characters is "
                                  f"longer than Excel holds ({EXCEL_MAX_CELL_CHARS:,}); use the CSV or Parquet file")


def write_workbook(tables: Mapping[str, pd.DataFrame], path: str | Path,
                   labels: Mapping[str, str] | None = None) -> Path:
    """Write every table to one workbook, a sheet per table (the sheet is named by the table's key).

    Row 1 holds the Chinese column labels (bold), row 2 the English keys, both frozen; data start on row 3,
    so a program reads a sheet with ``pandas.read_excel(path, sheet_name=NAME, header=1)``. Widths fit the
    labels and values (capped at ``EXCEL_MAX_WIDTH``). Missing values are empty cells.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    labels = column_labels() if labels is None else labels
    for name, frame in tables.items():
        check_fits_excel(name, frame)
    path = Path(path)

    def write(temporary: str) -> None:
        workbook = Workbook(write_only=True)
        for name, frame in tables.items():
            sheet = workbook.create_sheet(title=name[:31])
            sheet.freeze_panes = f"A{EXCEL_HEADER_ROWS + 1}"
            header = [label_of(labels, str(c)) for c in frame.columns]
            keys = [str(c) for c in frame.columns]
            for number, column in enumerate(frame.columns, start=1):
                width = _display_width([header[number - 1], keys[number - 1], *frame[column].head(2000)])
                sheet.column_dimensions[get_column_letter(number)].width = min(EXCEL_MAX_WIDTH, max(6, width + 2))
            sheet.append([_styled(WriteOnlyCell(sheet, label), Font(bold=True)) for label in header])
            sheet.append([_styled(WriteOnlyCell(sheet, key), Font(italic=True, color="808080")) for key in keys])
            for row in frame.itertuples(index=False, name=None):
                sheet.append([_excel_cell(sheet, WriteOnlyCell, value) for value in row])
            if len(frame.columns):
                sheet.auto_filter.ref = f"A{EXCEL_HEADER_ROWS}:{get_column_letter(len(frame.columns))}" \
                                        f"{EXCEL_HEADER_ROWS + len(frame)}"
        workbook.save(temporary)

    atomic_write(path, write)
    return path


def _styled(cell, font):
    cell.font = font
    return cell


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters an .xlsx cannot hold


def _excel_cell(sheet, cell_type, value):
    if _is_missing(value):
        return None
    if isinstance(value, str):
        cell = cell_type(sheet, _ILLEGAL_XML.sub("", value))
        cell.data_type = "s"  # text, even when it starts with "=": never a formula
        return cell
    if hasattr(value, "item"):  # numpy scalar → Python number or bool
        return value.item()
    return value


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and value != value


def _display_width(values) -> int:
    """Widest value, in Excel character units: a full-width (Chinese) character counts 2."""
    widest = 0
    for value in values:
        if _is_missing(value):
            continue
        text = str(value)
        widest = max(widest, sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text[:200]))
        if widest >= EXCEL_MAX_WIDTH:
            break
    return widest


# ------------------------------------------------------------------------------------------------------
# Stata
# ------------------------------------------------------------------------------------------------------
def write_stata(frame: pd.DataFrame, path: str | Path, name: str = "",
                labels: Mapping[str, str] | None = None) -> Path:
    """Write one table as a Stata 14+ file (format 118, Unicode) with Chinese variable labels.

    Column keys Stata refuses are renamed (see :func:`stata_names`) and the label then ends with the key;
    booleans become 0/1, missing numbers Stata's missing, missing text ``""``; a column mixing types is
    written as numbers when every value is a number or boolean, else as text; text over 2,045 bytes is strL.
    """
    labels = column_labels() if labels is None else labels
    path = Path(path)
    names = stata_names([str(c) for c in frame.columns])
    data = pd.DataFrame({new: _for_stata(frame[column]) for column, new in zip(frame.columns, names)})
    variable_labels = {}
    for column, new in zip(frame.columns, names):
        label = label_of(labels, str(column))
        if new != column and label != column:
            label = f"{label} ({column})"  # the key Stata refused stays findable
        variable_labels[new] = label[:STATA_MAX_LABEL_CHARS]
    strl = [c for c in data.columns if data[c].dtype == object
            and max((len(v.encode("utf-8")) for v in data[c]), default=0) > STATA_MAX_STR_BYTES]
    atomic_write(path, lambda tmp: data.to_stata(tmp, write_index=False, version=STATA_VERSION,
                                                 variable_labels=variable_labels, convert_strl=strl,
                                                 data_label=f"park-reports-toolkit: {name}"[:80]))
    return path


def stata_names(columns: list[str]) -> list[str]:
    """Variable names Stata accepts: letters, digits and ``_``, not starting with a digit, at most 32
    characters, no reserved word (``end`` → ``end_``), all distinct.

    >>> stata_names(["report_id", "end", "per 10k", "2022", "end_"])
    ['report_id', 'end_', 'per_10k', '_2022', 'end__']
    """
    names: list[str] = []
    for column in columns:
        base = re.sub(r"\W", "_", column, flags=re.ASCII) or "_"
        if base[0].isdigit():
            base = f"_{base}"
        if base in STATA_RESERVED:
            base = f"{base}_"
        base = base[:32]
        candidate = base
        while candidate in names or candidate in STATA_RESERVED:
            candidate = f"{candidate[:31]}_"
        names.append(candidate)
    return names


def _for_stata(series: pd.Series) -> pd.Series:
    """One Stata type per column: numbers (float when missing), 0/1 for booleans, else text."""
    if pd.api.types.is_bool_dtype(series) and not series.isna().any():
        return series.astype("int8")
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        if series.isna().any() or pd.api.types.is_extension_array_dtype(series):
            return series.astype("float64")
        return series
    present = [v for v in series if not _is_missing(v)]
    if present and all(isinstance(v, (bool, numbers.Real, np.bool_)) for v in present):
        return pd.Series([float(v) if not _is_missing(v) else float("nan") for v in series], index=series.index,
                         dtype="float64")
    return pd.Series(["" if _is_missing(v) else str(v) for v in series], index=series.index, dtype=object)


def _for_parquet(frame: pd.DataFrame) -> pd.DataFrame:
    """Parquet needs one type per column: mixed object columns become strings (missing values stay missing)."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object:
            values = frame[column].dropna()
            if not values.map(type).eq(str).all():
                frame[column] = frame[column].map(lambda v: None if _is_missing(v) else str(v))
    return frame
