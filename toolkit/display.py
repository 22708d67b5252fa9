"""Tables for readers: Chinese labels beside the stable English keys, and no pandas artefacts.

The analyses keep stable English keys (``binding``, ``land``, ``review``) so code and CSV files stay
comparable across corpora. For a reader of Chinese, :func:`show_table` turns a table into one that reads as a
table of the genre: headers and coded values as ``确保类 binding`` / ``用地 land``, reports named by park and
year, no row-number index, blanks shown as "—", integers without ".0", shares as percentages, long text
wrapped rather than cut. The labels are a data file (``data/labels.csv``); problem categories take theirs
from the corpus's taxonomy, so a user's new category is labelled by the user's file.
"""

from __future__ import annotations

from itertools import count

import pandas as pd

from .config import Config
from .resources import read_table, rule_file_cache

#: Columns whose values are coded keys, and the kind of label each takes.
CODED = {"role": "role", "strength": "strength", "statement": "statement", "kind": "kind", "category": "category"}
_IDS = count()


@rule_file_cache(maxsize=8)
def _labels(taxonomy: str) -> dict[str, dict[str, str]]:
    from .difficulties import load_taxonomy

    table = read_table("labels.csv", required=("kind", "key", "zh"))
    labels: dict[str, dict[str, str]] = {}
    for row in table.itertuples(index=False):
        labels.setdefault(row.kind, {})[row.key] = row.zh
    labels["category"] = {c.key: c.label for c in load_taxonomy(taxonomy) if c.label}
    return labels


def label(kind: str, key, config: Config = Config(), english: bool = True) -> str:
    """The label of a coded value: ``label("strength", "binding")`` → ``"确保类 binding"``; a key without a
    label is returned as it is."""
    if key is None or (isinstance(key, float) and pd.isna(key)):
        return "—"
    zh = _labels(config.problem_taxonomy).get(kind, {}).get(str(key))
    if not zh:
        return str(key)
    return f"{zh} {str(key).replace('_', ' ')}" if english else zh


def column_label(name) -> str:
    """A column header in Chinese with its English key: ``n_chars`` → ``字数 n chars``."""
    zh = _labels(Config().problem_taxonomy)["column"].get(str(name))
    return f"{zh} {str(name).replace('_', ' ')}" if zh else str(name)


def labelled(table: pd.DataFrame, corpus=None, *, config: Config | None = None) -> pd.DataFrame:
    """``table`` with coded values labelled (see ``CODED``), report ids replaced by report labels (when a
    corpus is given: in a ``report_id``/``report_a``/``report_b`` column, the index or the column names), a
    meaningful index turned into a column, and headers labelled. Returns a new DataFrame of display strings
    and numbers, for :func:`show_table` or for export."""
    config = config or (corpus.config if corpus is not None else Config())
    names = corpus.report_labels() if corpus is not None else {}
    frame = table.copy()
    named_index = isinstance(frame.index, pd.MultiIndex) or frame.index.name is not None
    frame = frame.reset_index(drop=not named_index)  # a named index is data (report_id …); row numbers are not
    if names:
        frame = frame.rename(columns=lambda c: names.get(c, c))
    for column in frame.columns:
        if column in CODED:
            frame[column] = [label(CODED[column], v, config) for v in frame[column]]
        elif column in ("report_id", "report_a", "report_b") and names:
            frame[column] = [names.get(v, v) for v in frame[column]]
    frame.columns = [column_label(c) for c in frame.columns]
    return frame


def show_table(table: pd.DataFrame, corpus=None, *, percent: tuple[str, ...] = (), decimals: int = 2,
         config: Config | None = None):
    """A table as the book shows it (a pandas Styler): coded values and headers labelled in Chinese, no index, "—" for blanks,
    integers as integers, ``percent`` columns (by their original names) as percentages, text wrapped."""
    percent_labels = {column_label(c) for c in percent}
    year_labels = {column_label(c) for c in (*table.columns, *(table.index.names or ())) if "year" in str(c)}
    frame = labelled(table, corpus, config=config)
    formats = {}
    for column in frame.columns:
        values = frame[column]
        if column in percent_labels:
            formats[column] = lambda v: "—" if pd.isna(v) else f"{v:.0%}"
        elif pd.api.types.is_bool_dtype(values) or values.map(lambda v: isinstance(v, bool)).all():
            formats[column] = lambda v: "—" if pd.isna(v) else ("✓" if v else "")
        elif pd.api.types.is_numeric_dtype(values):
            whole = values.dropna().map(lambda v: float(v).is_integer()).all()
            separator = "" if column in year_labels else ","  # 2022, not 2,022
            formats[column] = (lambda v, sep=separator: "—" if pd.isna(v) else format(int(v), sep)) if whole else \
                (lambda v, d=decimals: "—" if pd.isna(v) else f"{v:,.{d}f}")
        else:
            formats[column] = lambda v: "—" if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA \
                else str(v)
    styler = frame.style.format(formats).hide(axis="index")
    return styler.set_uuid(f"parktk{next(_IDS)}").set_table_attributes('class="parktk"')
