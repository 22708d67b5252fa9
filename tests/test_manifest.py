"""A folder's manifest is its own: ``reports.csv`` inside it, or ``<folder>.csv`` beside it — never the manifest
of another folder, and never another table (``sources.csv``) kept beside the reports."""

from __future__ import annotations

import warnings

import pytest

import toolkit as tk
from toolkit.corpus import find_manifest

REPORT = "园区2023年工作总结\n一、2023年工作总结\n园区完成投资5亿元。\n"


def write(path, text: str = REPORT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_the_manifest_of_the_parent_folder_is_never_used_for_another_folder(tmp_path):
    write(tmp_path / "data" / "reports" / "a.txt")
    (tmp_path / "data" / "reports.csv").write_text("report_id,file\nalpha,a.txt\n", encoding="utf-8")
    write(tmp_path / "data" / "validation" / "b.txt")
    folder = tmp_path / "data" / "validation"
    assert find_manifest(folder) is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        corpus = tk.load_corpus(folder)
    assert corpus.report_ids == ["b"] and corpus.manifest_path is None


def test_a_manifest_inside_the_folder_or_named_after_it_beside_it(tmp_path):
    folder = tmp_path / "texts"
    write(folder / "a.txt")
    (tmp_path / "texts.csv").write_text("report_id,file,park_type\nalpha,a.txt,高新区\n", encoding="utf-8")
    assert find_manifest(folder) == tmp_path / "texts.csv"
    (folder / "reports.csv").write_text("report_id,file,park_type\nbeta,a.txt,新区\n", encoding="utf-8")
    assert find_manifest(folder) == folder / "reports.csv"
    assert tk.load_corpus(folder).reports.loc[0, "park_type"] == "新区"


def test_a_provenance_table_beside_the_reports_is_neither_a_manifest_nor_warned_about(tmp_path):
    folder = tmp_path / "validation"
    write(folder / "a.txt")
    (folder / "sources.csv").write_text("file,source\na.txt,https://example.org/a\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        corpus = tk.load_corpus(folder)
    assert corpus.manifest_path is None and corpus["a"].metadata.get("source") is None


def test_a_manifest_year_is_recorded_as_its_source(tmp_path):
    folder = tmp_path / "reports"
    write(folder / "a.txt")
    (tmp_path / "reports.csv").write_text("report_id,file,report_year\nalpha,a.txt,2019\n", encoding="utf-8")
    table = tk.load_corpus(folder).reports
    assert table.loc[0, "report_year"] == 2019 and table.loc[0, "year_source"] == "manifest"


def test_reports_and_sections_carry_year_source_script_and_role_source(tmp_path):
    write(tmp_path / "a.txt", "園區2023年工作總結\n一、2023年工作總結\n園區完成投資5億元。\n二、奮力開創新局面\n將加快建設。\n")
    corpus = tk.load_corpus([tmp_path / "a.txt"])
    assert corpus.reports.loc[0, ["year_source", "script"]].tolist() == ["heading", "traditional"]
    assert corpus.sections["role_source"].fillna("").tolist() == ["", "title", "content"]
    assert corpus.sections["title"].tolist()[1] == "2023年工作總結"  # titles as written


def test_ingest_writes_year_source_script_and_role_source(tmp_path):
    from toolkit.__main__ import main

    folder = tmp_path / "texts"
    write(folder / "a.txt", "園區2023年工作總結\n一、2023年工作總結\n園區完成投資5億元。\n二、奮力開創新局面\n將加快建設。\n")
    out = tmp_path / "out"
    assert main(["ingest", str(folder), "--out", str(out), "--no-parquet"]) == 0
    import pandas as pd

    reports = pd.read_csv(out / "reports.csv", encoding="utf-8-sig")
    sections = pd.read_csv(out / "sections.csv", encoding="utf-8-sig")
    assert reports.loc[0, ["year_source", "script"]].tolist() == ["heading", "traditional"]
    assert sections["role_source"].fillna("").tolist() == ["", "title", "content"]
