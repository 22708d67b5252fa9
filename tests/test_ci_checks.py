"""The CI's check of the built book's tables (.ci/check_book_html.py) catches each pandas artifact and passes
clean tables; checked on small invented HTML tables shaped like pandas and MyST-NB output."""

from __future__ import annotations

import importlib.util
import sys

import pandas as pd
import pytest

from .conftest import ROOT

spec = importlib.util.spec_from_file_location("check_book_html", ROOT / ".ci" / "check_book_html.py")
check_book_html = sys.modules.setdefault("check_book_html", importlib.util.module_from_spec(spec))
spec.loader.exec_module(check_book_html)


def findings(html: str) -> list:
    return [f for number, table in enumerate(check_book_html.read_tables(html), start=1)
            for f in check_book_html.check_table(table, "page.html", number)]


def problems(html: str) -> list[tuple[str, list[int], str]]:
    return [(f.column, f.rows, f.problem.split(" (")[0]) for f in findings(html)]


CLEAN = pd.DataFrame({"report_id": ["2022-ecopark", "2021-devzone"], "n_chars": [7476, 3806],
                      "share": ["12.5%", "3.0%"], "per_10k": [1.0, 2.5], "period": ["1-9月", ""],
                      "quote": ["用地紧张……", "招工难"]})


def test_a_clean_table_passes():
    assert findings(CLEAN.to_html(index=False)) == []
    assert findings(CLEAN.set_index("report_id").to_html()) == []  # a named index is a real column
    assert findings("<table><tr><th>类别</th><th>报告数</th></tr><tr><td>用地</td><td>3</td></tr></table>") == []


def test_a_pandas_row_number_index_is_caught_even_after_filtering_or_sorting():
    assert problems(CLEAN.to_html()) == [("(index)", [1, 2], "pandas row-number index shown")]
    shuffled = CLEAN.set_axis([7, 3])
    assert [f.cell for f in findings(shuffled.to_html())] == ["7, 3"]


@pytest.mark.parametrize("marker", ["NaN", "nan", "None", "<NA>", "NaT"])
def test_missing_value_markers_are_caught(marker):
    frame = CLEAN.assign(period=["1-9月", marker])
    assert problems(frame.to_html(index=False)) == [("period", [2], "missing value shown as a marker")]


def test_pandas_own_missing_values_are_caught_as_rendered():
    frame = pd.DataFrame({"report_id": ["a", "b"], "year": pd.array([2022, None], dtype="Int64"),
                          "horizon": [None, "2023"], "value": [float("nan"), 1.5]})
    caught = {(column, tuple(rows)) for column, rows, _ in problems(frame.to_html(index=False))}
    assert caught == {("year", (2,)), ("horizon", (1,)), ("value", (1,))}


def test_integers_shown_as_floats_are_caught_only_in_integer_columns():
    frame = pd.DataFrame({"count": [3.0, 12.0], "per_10k": [1.0, 2.5], "n": [3, 12]})
    assert problems(frame.to_html(index=False)) == [("count", [1, 2], "integer shown with a decimal part in an "
                                                                       "integer column")]
    formatted = pd.DataFrame({"n_chars": ["3806.00", "7476.00"]})
    assert [f.cell for f in findings(formatted.to_html(index=False))] == ["3806.00"]


def test_text_truncated_by_pandas_is_caught():
    long = pd.DataFrame({"sentence": ["园区" * 60, "短句。"], "note": ["see more…", "全文……"]},
                        index=pd.Index(["a", "b"], name="report_id"))
    with pd.option_context("display.max_colwidth", 20):
        html = long._repr_html_()  # as a notebook shows it
    caught = problems(html)
    assert ("sentence", [1], "cell truncated") in caught and ("note", [1], "cell truncated") in caught
    assert len(caught) == 2  # the Chinese ellipsis …… of the text itself is not truncation


def test_a_multiindex_header_names_the_column_by_its_levels():
    frame = pd.DataFrame([[1.0, 2.0], [3.0, 4.0]], columns=pd.MultiIndex.from_tuples([("a", "plan"), ("a", "review")]),
                         index=pd.Index(["land", "labour"], name="category"))
    assert [f.column for f in findings(frame.to_html())] == ["a / plan", "a / review"]


def test_the_command_lists_page_and_cell_and_fails(tmp_path, capsys):
    (tmp_path / "intro.html").write_text(CLEAN.to_html(), encoding="utf-8")
    (tmp_path / "themes.html").write_text(CLEAN.to_html(index=False), encoding="utf-8")
    assert check_book_html.main([str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "intro.html: table 1, column '(index)', row 1, 2: '0, 1'" in out and "themes.html" not in out
    (tmp_path / "intro.html").write_text(CLEAN.to_html(index=False), encoding="utf-8")
    assert check_book_html.main([str(tmp_path)]) == 0
    assert check_book_html.main([str(tmp_path / "nothing")]) == 2


def test_only_tables_displayed_by_code_are_checked(tmp_path):
    typed = "<table class='table'><tr><th>level</th><th>example</th></tr><tr><td>3</td><td>1.项目招引…</td></tr></table>"
    shown = f"<div class='cell_output docutils container'><div>{typed}</div></div>"
    page = tmp_path / "intro.html"
    page.write_text(f"<div class='section'>{typed}</div>", encoding="utf-8")
    assert check_book_html.check_page(page) == []  # the author's own table, typed in the text
    page.write_text(shown, encoding="utf-8")
    assert [f.problem.split(" (")[0] for f in check_book_html.check_page(page)] == ["cell truncated"]


def test_row_numbers_turned_into_an_index_column_are_caught():
    shuffled = CLEAN.set_axis([30, 7]).reset_index()
    assert problems(shuffled.to_html(index=False)) == [("index", [1, 2], "row numbers shown as an 'index' column")]
