"""Loading: encodings, bad input, the manifest, tables, caching and parallel parsing."""

from __future__ import annotations

import shutil
import warnings

import pandas as pd
import pytest

import toolkit as tk

from .conftest import REPORTS

REPORT = "一、2022年工作总结\n（一）招商引资\n1-9月，园区新签约项目*个。\n二、2023年工作思路\n力争实现产值*亿元。\n"


def write(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_reads_utf8_with_or_without_bom_gbk_and_utf16(tmp_path, encoding):
    report = tk.parse_report(write(tmp_path / "r.txt", REPORT, encoding))
    assert report.original == REPORT
    assert [s.title for s in report.sections[1:]] == ["2022年工作总结", "招商引资", "2023年工作思路"]


@pytest.mark.parametrize("content, error, words", [
    (None, tk.MissingReportError, "no such file"),
    (b"", tk.EmptyReportError, "empty"),
    (b"  \n\r\n ", tk.EmptyReportError, "empty"),
    (b"PK\x03\x04\x00\x00binary", tk.BinaryReportError, "binary"),
    (b"\x81\x30\xff\xfe\x80\x80\xff", tk.DecodeReportError, "UTF-8"),
])
def test_bad_input_names_the_file_and_the_problem(tmp_path, content, error, words):
    path = tmp_path / "bad.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(error) as caught:
        tk.parse_report(path)
    message = str(caught.value)
    assert str(path) in message and words in message and "\n" not in message


def test_file_without_headings_loads_as_one_section_with_a_warning(tmp_path):
    path = write(tmp_path / "flat.txt", "园区今年发展良好。招商引资成效明显。")
    with pytest.warns(tk.ReportWarning, match="no recognisable headings"):
        corpus = tk.load_corpus(path)
    assert len(corpus.sections) == 1 and len(corpus.sentences) == 2


@pytest.fixture
def folder(tmp_path):
    reports = tmp_path / "data" / "reports"
    reports.mkdir(parents=True)
    write(reports / "a.txt", REPORT)
    write(reports / "b.txt", REPORT.replace("2022", "2020").replace("2023", "2021"))
    return reports


def write_manifest(folder, rows: str):
    (folder.parent / "reports.csv").write_text("report_id,file,park,park_type,report_year\n" + rows, encoding="utf-8")


def test_manifest_values_override_inferred_ones(folder):
    write_manifest(folder, "alpha,a.txt,某某园区,高新区,2019\nbeta,b.txt,,,\n")
    corpus = tk.load_corpus(folder)
    table = corpus.reports.set_index("report_id")
    assert table.loc["alpha", "park_type"] == "高新区" and table.loc["alpha", "report_year"] == 2019
    assert table.loc["beta", "report_year"] == 2020  # blank cell: inferred
    assert corpus["alpha"].inferred["report_year"] == 2022


def test_report_missing_from_manifest_loads_with_a_warning_naming_it(folder):
    write_manifest(folder, "alpha,a.txt,,,\n")
    with pytest.warns(tk.ReportWarning, match=r"b\.txt: not in manifest"):
        corpus = tk.load_corpus(folder)
    assert sorted(corpus.report_ids) == ["alpha", "b"]


def test_manifest_row_whose_file_is_missing_is_an_error_naming_the_row(folder):
    write_manifest(folder, "alpha,a.txt,,,\nbeta,b.txt,,,\ngamma,gone.txt,,,\n")
    with pytest.raises(tk.ManifestError, match=r"row 4 \(gamma\).*gone\.txt"):
        tk.load_corpus(folder)


def test_changed_raw_file_is_flagged_against_the_manifest_checksum(folder):
    (folder.parent / "reports.csv").write_text("file,sha256\na.txt,0000\nb.txt,\n", encoding="utf-8")
    with pytest.warns(tk.ReportWarning, match="sha256 differs"):
        tk.load_corpus(folder)


def test_non_text_files_in_the_folder_are_named_and_skipped(folder):
    (folder / "notes.docx").write_bytes(b"PK")
    with pytest.warns(tk.ReportWarning, match="notes.docx"):
        corpus = tk.load_corpus(folder)
    assert len(corpus) == 2


def test_seed_corpus_loads_without_any_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tk.load_corpus(REPORTS)


def test_tables_have_the_documented_columns(corpus):
    assert list(corpus.sections.columns[:10]) == ["report_id", "section_id", "parent_id", "level", "number", "title",
                                                  "role", "year", "start", "end"]
    assert list(corpus.sentences.columns[:8]) == ["report_id", "sentence_id", "section_id", "role", "year", "text",
                                                  "start", "end"]
    assert corpus.reports["report_id"].is_unique


def test_sentence_offsets_point_at_the_same_text_in_the_original(corpus):
    checked = 0
    for row in corpus.sentences.itertuples():
        original = corpus[row.report_id].original[row.start:row.end]
        assert tk.normalize(original).replace(" ", "")[:4] == row.text.replace(" ", "")[:4] or "Ⓧ" in row.text[:4]
        checked += 1
    assert checked > 500


def test_sections_nest_within_their_parents(corpus):
    sections = corpus.sections.set_index(["report_id", "section_id"])
    for (report_id, _), row in sections.iterrows():
        if pd.notna(row["parent_id"]):
            parent = sections.loc[(report_id, int(row["parent_id"]))]
            assert parent["start"] <= row["start"] < row["end"] <= parent["end"]
            assert parent["level"] < row["level"]


def test_parallel_and_cached_loading_give_the_same_tables(tmp_path):
    serial = tk.load_corpus(REPORTS)
    parallel = tk.load_corpus(REPORTS, workers=2)
    cache = tmp_path / "cache"
    first = tk.load_corpus(REPORTS, cache_dir=cache)
    second = tk.load_corpus(REPORTS, cache_dir=cache)
    assert len(list(cache.glob("*.pickle"))) == len(serial)
    for other in (parallel, first, second):
        pd.testing.assert_frame_equal(serial.sentences, other.sentences)
        pd.testing.assert_frame_equal(serial.sections, other.sections)


def test_cache_is_keyed_by_content(tmp_path):
    folder = tmp_path / "reports"
    shutil.copytree(REPORTS, folder)
    cache = tmp_path / "cache"
    tk.load_corpus(folder / "2022-ecopark.txt", cache_dir=cache)
    (folder / "2022-ecopark.txt").write_text("一、2030年工作总结\n正文。", encoding="utf-8")
    assert tk.load_corpus(folder / "2022-ecopark.txt", cache_dir=cache)["2022-ecopark"].inferred["report_year"] == 2030


def test_context_shows_the_original_text_around_a_span(corpus):
    row = corpus.sentences.query("report_id == '2022-ecopark'").iloc[5]
    left, match, right = corpus.context("2022-ecopark", row.start, row.end, window=5)
    assert match == corpus["2022-ecopark"].original[row.start:row.end] and len(left) == 5


def test_manifest_provenance_columns_reach_the_reports_table(folder):
    (folder.parent / "reports.csv").write_text(
        "report_id,file,source,source_url,accessed\n"
        "alpha,a.txt,web copy,https://example.org/a.html,2026-11-20\nbeta,b.txt,,,\n", encoding="utf-8")
    table = tk.load_corpus(folder).reports.set_index("report_id")
    assert list(table.columns[table.columns.get_loc("source"):][:3]) == ["source", "source_url", "accessed"]
    assert table.loc["alpha", "source_url"] == "https://example.org/a.html"
    assert table.loc["alpha", "accessed"] == "2026-11-20"
    assert table.loc["beta", "source_url"] == "" and table.loc["beta", "accessed"] == ""
