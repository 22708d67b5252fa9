#!/usr/bin/env python3
"""Check the built book's HTML tables for pandas artifacts a reader should never see.

Reads the tables a chapter's code displays (those inside a notebook cell's output, or pandas' own
``class="dataframe"`` tables); tables typed in the chapter's text are the author's and are left alone.
Flags, naming the page, table, row, column and cell:
  - a row-number index: a first column of <th> cells holding distinct integers under an empty header;
  - missing-value markers: cells reading NaN, nan, None, <NA>, NaT;
  - integers shown as floats: "12.0" (or "12.00") in a column whose values are all whole numbers;
  - truncated cells: a cell ending in "..." or "…" (pandas cuts long text and its row/column lists so;
    a Chinese ellipsis "……" written in the report text is not flagged).

Usage: python .ci/check_book_html.py [HTML_DIR]   (default book/_build/html); exit status 1 when anything is
flagged. Standard library only.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

MISSING_MARKERS = {"NaN", "nan", "None", "<NA>", "NaT"}
INTEGER = re.compile(r"^[-+]?\d[\d,]*$")
WHOLE_FLOAT = re.compile(r"^[-+]?\d[\d,]*\.0+$")


@dataclass
class Cell:
    text: str
    header: bool  # a <th>


@dataclass
class Table:
    head: list[list[Cell]]  # rows of the <thead>, spans expanded
    body: list[list[Cell]]  # rows of the <tbody> (or rows outside any section), spans expanded
    output: bool = True     # displayed by code (in a cell's output), not typed in the text


@dataclass
class Finding:
    """One kind of artifact in one column of one table: the rows it is on and the first such cell."""

    page: str
    table: int        # 1-based, in page order
    column: str       # the column's header text, "#N" when it has none, "(index)" for the row labels
    rows: list[int]   # 1-based body rows
    cell: str         # the first offending cell, as shown
    problem: str

    def __str__(self) -> str:
        rows = ", ".join(map(str, self.rows[:12])) + (f" … ({len(self.rows)} rows)" if len(self.rows) > 12 else "")
        return f"{self.page}: table {self.table}, column {self.column!r}, row {rows}: {self.cell!r} — {self.problem}"


class _TableParser(HTMLParser):
    """Collects every <table> as rows of cells (text, is-<th>), with colspan/rowspan expanded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self._stack: list[dict] = []  # nested tables
        self._cell: dict | None = None
        self._divs: list[bool] = []   # open <div>s: is each a notebook cell's output?

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "div":
            self._divs.append("cell_output" in classes or "output" in classes)
        if tag == "table":
            self._stack.append({"head": [], "body": [], "section": "body", "row": None, "pending": {},
                                "output": any(self._divs) or "dataframe" in classes})
        elif not self._stack:
            return
        table = self._stack[-1] if self._stack else None
        if tag == "thead":
            table["section"] = "head"
        elif tag in ("tbody", "tfoot"):
            table["section"] = "body"
        elif tag == "tr":
            table["row"] = []
        elif tag in ("td", "th") and table["row"] is not None:
            self._cell = {"text": [], "header": tag == "th", "colspan": _span(attrs.get("colspan")),
                          "rowspan": _span(attrs.get("rowspan"))}
        elif tag == "br" and self._cell is not None:
            self._cell["text"].append(" ")

    def handle_endtag(self, tag):
        if tag == "div" and self._divs:
            self._divs.pop()
        if not self._stack:
            return
        table = self._stack[-1]
        if tag in ("td", "th") and self._cell is not None:
            table["row"].append(self._cell)
            self._cell = None
        elif tag == "tr" and table["row"] is not None:
            rows = table[table["section"]]
            rows.append(_place(table["row"], table["pending"], table["section"]))
            table["row"] = None
        elif tag == "thead":
            table["section"] = "body"
            table["pending"] = {}
        elif tag == "table":
            done = self._stack.pop()
            self.tables.append(Table(done["head"], done["body"], done["output"]))

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"].append(data)


def _span(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def _place(cells: list[dict], pending: dict, section: str) -> list[Cell]:
    """Lay one row's cells onto the grid, after cells spanning down from rows above (``pending``)."""
    row: dict[int, Cell] = {}
    for column, (cell, left) in list(pending.items()):
        row[column] = cell
        if left <= 1:
            del pending[column]
        else:
            pending[column] = (cell, left - 1)
    column = 0
    for raw in cells:
        while column in row:
            column += 1
        cell = Cell(" ".join("".join(raw["text"]).split()), raw["header"])
        for offset in range(raw["colspan"]):
            row[column + offset] = cell
            if raw["rowspan"] > 1:
                pending[column + offset] = (cell, raw["rowspan"] - 1)
        column += raw["colspan"]
    return [row.get(i, Cell("", False)) for i in range(max(row, default=-1) + 1)]


def read_tables(html: str) -> list[Table]:
    parser = _TableParser()
    parser.feed(html)
    parser.close()
    return parser.tables


def _column_name(table: Table, column: int) -> str:
    """The column's header text; with several header rows (a pandas MultiIndex) their levels joined by " / "."""
    levels = [row[column].text for row in table.head if column < len(row) and row[column].text]
    levels = [text for i, text in enumerate(levels) if i == 0 or text != levels[i - 1]]
    return " / ".join(levels) or f"#{column + 1}"


def check_table(table: Table, page: str, number: int) -> list[Finding]:
    """Every artifact in one table, one finding per column and kind of artifact."""
    findings: list[Finding] = []
    body = [row for row in table.body if row]
    if not body:
        return findings
    # a row-number index: an unnamed first column of <th> cells holding distinct integers
    firsts = [row[0] for row in body]
    unnamed = all(not row or not row[0].text for row in table.head)
    if unnamed and all(cell.header and INTEGER.match(cell.text) for cell in firsts):
        values = [int(cell.text.replace(",", "")) for cell in firsts]
        if len(set(values)) == len(values):
            shown = ", ".join(c.text for c in firsts[:5]) + (", …" if len(firsts) > 5 else "")
            findings.append(Finding(page, number, "(index)", list(range(1, len(body) + 1)), shown,
                                    "pandas row-number index shown (hide it: style.hide() or index=False)"))
    for column in range(max(len(row) for row in body)):
        name = _column_name(table, column)
        if name.strip().lower() in ("index", "level_0"):  # row numbers turned into a column by reset_index()
            findings.append(Finding(page, number, name, list(range(1, len(body) + 1)), name,
                                    "row numbers shown as an 'index' column (reset_index(drop=True))"))
            continue
        cells = [(r + 1, row[column].text) for r, row in enumerate(body) if column < len(row)]
        missing = [(r, t) for r, t in cells if t in MISSING_MARKERS]
        truncated = [(r, t) for r, t in cells if (t.endswith("...") or t.endswith("…")) and not t.endswith("……")]
        values = [(r, t) for r, t in cells if t and t not in MISSING_MARKERS]
        whole = []
        if values and all(INTEGER.match(t) or WHOLE_FLOAT.match(t) for _, t in values):
            whole = [(r, t) for r, t in values if WHOLE_FLOAT.match(t)]
        for hits, problem in ((missing, "missing value shown as a marker (leave blank or write —)"),
                              (whole, "integer shown with a decimal part in an integer column"),
                              (truncated, "cell truncated (pandas cut the text; let it wrap)")):
            if hits:
                findings.append(Finding(page, number, name, [r for r, _ in hits], hits[0][1], problem))
    return findings


def check_page(path: Path) -> list[Finding]:
    html = path.read_text(encoding="utf-8", errors="replace")
    return [finding for number, table in enumerate(read_tables(html), start=1) if table.output
            for finding in check_table(table, path.name, number)]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    folder = Path(argv[0] if argv else "book/_build/html")
    pages = sorted(folder.glob("*.html"))
    if not pages:
        print(f"check_book_html: no HTML pages in {folder}; build the book first (make book)", file=sys.stderr)
        return 2
    findings = [finding for page in pages for finding in check_page(page)]
    for finding in findings:
        print(finding)
    if findings:
        print(f"check_book_html: {sum(len(f.rows) for f in findings)} table cell(s) in {len(findings)} column(s) on "
              f"{len({f.page for f in findings})} page(s) show pandas artifacts", file=sys.stderr)
        return 1
    print(f"check_book_html: {len(pages)} pages, no pandas artifacts in their tables")
    return 0


if __name__ == "__main__":
    sys.exit(main())
