"""Excel and Stata export: Chinese labels over stable English keys, frozen header, fitted widths, Stata's rules,
and a table too long for Excel refused rather than truncated."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

import toolkit as tk
from toolkit import export
from toolkit.__main__ import main

from .conftest import REPORTS

MIXED = pd.DataFrame({
    "report_id": ["a", "b", "c"],
    "end": [10, 20, 30],                                  # a word Stata reserves
    "year": pd.array([2022, None, 2023], dtype="Int64"),  # missing integer
    "floor": [True, False, True],
    "growth_masked": [True, None, False],                 # object column: booleans and a missing value
    "value": [1, "Ⓧ", None],                              # object column: a number, text and a missing value
    "sentence": ["=SUM(A1)", "力争全年新开工项目*个以上。" * 3, "园区\x0b用地紧张"],
    "per 10k": [1.5, float("nan"), 2.0],                  # a name Stata refuses
})


def test_workbook_has_a_sheet_per_table_with_chinese_labels_over_the_keys(tmp_path):
    path = export.write_workbook({"targets": MIXED, "reports": MIXED.head(1)}, tmp_path / "t.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["targets", "reports"]
    sheet = book["targets"]
    assert [c.value for c in sheet[1]][:4] == ["报告", "止", "年份", "下限"]
    assert [c.value for c in sheet[2]] == list(MIXED.columns)
    assert sheet.freeze_panes == "A3" and sheet["A1"].font.b
    assert sheet["G3"].value == "=SUM(A1)" and sheet["G3"].data_type == "s"  # text, never a formula
    assert sheet["C4"].value is None and sheet["E4"].value is None           # missing values are empty cells
    widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
    assert widths["C"] >= 4 + 1  # 年份: two Chinese characters, each two units wide
    assert widths["A"] < widths["G"] == export.EXCEL_MAX_WIDTH  # the long sentence is capped
    back = pd.read_excel(path, sheet_name="targets", header=1)
    assert list(back.columns) == list(MIXED.columns) and list(back["end"]) == [10, 20, 30]
    assert back["sentence"][2] == "园区用地紧张"  # a control character an .xlsx cannot hold is dropped


def test_a_table_longer_than_an_excel_sheet_is_refused_not_truncated(tmp_path, monkeypatch):
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 4)  # two header rows + two data rows
    out = tmp_path / "out"
    with pytest.raises(tk.OutputError, match="table 'targets' has 3 rows, more than an Excel sheet holds") as caught:
        export.write_tables({"reports": MIXED.head(2), "targets": MIXED}, out, xlsx=True)
    assert "\n" not in str(caught.value)
    assert not out.exists()  # refused before anything is written
    export.write_tables({"reports": MIXED.head(2)}, out, xlsx=True)
    assert len(pd.read_excel(out / "tables.xlsx", header=1)) == 2


def test_stata_file_has_chinese_variable_labels_and_names_stata_accepts(tmp_path):
    path = export.write_stata(MIXED, tmp_path / "targets.dta", "targets")
    with pd.io.stata.StataReader(path) as reader:
        back = reader.read()
        labels = reader.variable_labels()
        assert reader.data_label == "park-reports-toolkit: targets"
    assert list(back.columns) == ["report_id", "end_", "year", "floor", "growth_masked", "value", "sentence", "per_10k"]
    assert labels["report_id"] == "报告" and labels["end_"] == "止 (end)" and labels["per_10k"] == "per 10k"
    assert list(back["floor"]) == [1, 0, 1] and back["year"].isna().tolist() == [False, True, False]
    assert back["growth_masked"].tolist()[::2] == [1.0, 0.0] and pd.isna(back["growth_masked"][1])
    assert list(back["value"]) == ["1", "Ⓧ", ""]  # a mixed column becomes text
    assert back["sentence"][1].startswith("力争全年")


def test_long_text_is_written_to_stata_as_strl(tmp_path):
    frame = pd.DataFrame({"text": ["园" * 1000, "短"]})  # 3,000 bytes of UTF-8
    back = pd.read_stata(export.write_stata(frame, tmp_path / "long.dta", "sentences"))
    assert back["text"][0] == "园" * 1000


def test_ingest_writes_xlsx_and_dta_only_when_asked(tmp_path):
    plain, full = tmp_path / "plain", tmp_path / "full"
    assert main(["ingest", str(REPORTS), "--out", str(plain), "--no-parquet"]) == 0
    assert not list(plain.glob("*.xlsx")) and not list(plain.glob("*.dta"))
    assert main(["ingest", str(REPORTS), "--out", str(full), "--no-parquet", "--xlsx", "--dta"]) == 0
    book = load_workbook(full / "tables.xlsx", read_only=True)
    names = [p.stem for p in sorted(full.glob("*.csv"))]
    assert sorted(book.sheetnames) == names and sorted(p.stem for p in full.glob("*.dta")) == names
    sections = pd.read_excel(full / "tables.xlsx", sheet_name="sections", header=1)
    assert len(sections) == len(pd.read_csv(full / "sections.csv", encoding="utf-8-sig"))
    assert len(pd.read_stata(full / "sentences.dta")) == len(pd.read_csv(full / "sentences.csv", encoding="utf-8-sig"))
    assert not list(full.glob("*.tmp")) and not list(full.glob(".*"))


def test_every_exported_column_has_a_chinese_label(corpus):
    from toolkit.analysis import corpus_tables

    labels = export.column_labels()
    unlabelled = [f"{name}.{column}" for name, table in corpus_tables(corpus).items() for column in table.columns
                  if export.label_of(labels, column) == column]
    assert unlabelled == []
