"""Reading files: encodings (Big5 told from GB18030), refusals with one line and a typed error, skipped files
listed in ``load_errors``, the manifest's columns checked, and an ingest that never leaves partial outputs."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import toolkit as tk
from toolkit import samples
from toolkit.__main__ import SKIPPED_STATUS, main
from toolkit.readers import chinese_score, decode_report, extract

from .test_formats import seed_text

TRADITIONAL = ("一、2021年工作總結\n（一）招商引資方面\n開發區堅持以高質量發展為引領，狠抓招商引資、聚焦重點項目、推動產業融合，"
               "各項工作均取得一定成績。全年簽約項目X個，完成工業總產值X億元，同比增長X%。\n二、2022年工作思路\n"
               "提升招商引資實效，加強高質量項目的引進，確保完成全年目標。\n")
SHORT = "一、2022年工作总结\n园区新签约项目*个。\n二、2023年工作思路\n力争实现产值*亿元。\n"


# ------------------------------------------------------------------------------------------------------
# Encodings
# ------------------------------------------------------------------------------------------------------
def test_big5_is_read_as_big5_not_as_gb18030_mojibake():
    data = TRADITIONAL.encode("big5")
    assert data.decode("gb18030") != TRADITIONAL  # the trap: GB18030 accepts the bytes
    text, encoding = decode_report(data, "r.txt")
    assert text == TRADITIONAL and encoding.startswith("big5")
    assert chinese_score(TRADITIONAL) > chinese_score(data.decode("gb18030")) + 0.2


@pytest.mark.parametrize("name", ["2021-devzone", "2022-ecopark", "2022h1-hitech"])
@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16", "utf-8-sig"])
def test_seed_reports_in_every_common_encoding_read_back_exactly(name, encoding):
    text = seed_text(name)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        pytest.skip(f"{name} holds characters {encoding} cannot write")
    decoded, found = decode_report(data, "r.txt")
    assert decoded == text and found in {"gb18030": "gb18030", "gbk": "gb18030"}.get(encoding, found)


def test_big5_report_loads_with_a_note_and_its_headings(tmp_path):
    path = tmp_path / "tw.txt"
    path.write_bytes(TRADITIONAL.encode("big5"))
    with pytest.warns(tk.ReportWarning, match="Big5"):
        corpus = tk.load_corpus(path)
    assert corpus.sections["title"].tolist()[1:] == ["2021年工作總結", "招商引資方面", "2022年工作思路"]


# ------------------------------------------------------------------------------------------------------
# Refusals: one line naming the file, a typed error
# ------------------------------------------------------------------------------------------------------
def _scanned_pdf(path: Path) -> Path:
    return samples.write_scanned_pdf(path)


def _encrypted_pdf(path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = samples.write_pdf(SHORT, path.with_name("plain.pdf"))
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt("secret")
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def _truncated(kind: str):
    def make(path: Path) -> Path:
        full = path.with_name(f"full.{kind}")
        (samples.write_pdf if kind == "pdf" else samples.write_docx)(SHORT, full)
        data = full.read_bytes()
        path.write_bytes(data[: len(data) // 2])
        return path
    return make


BAD_FILES = {
    "scan.pdf": (_scanned_pdf, tk.NoTextLayerError, "no text layer: run OCR first"),
    "locked.pdf": (_encrypted_pdf, tk.EncryptedReportError, "encrypted PDF"),
    "cut.pdf": (_truncated("pdf"), tk.CorruptReportError, "truncated PDF"),
    "cut.docx": (_truncated("docx"), tk.CorruptReportError, "truncated or damaged .docx"),
    "fake.pdf": (lambda p: p.write_bytes(b"<html>not a pdf</html>") and p, tk.CorruptReportError, "not a PDF"),
    "old.doc": (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64) and p,
                tk.UnsupportedFormatError, "save as .docx"),
    "old.wps": (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64) and p,
                tk.UnsupportedFormatError, "save as .docx"),
    "renamed.docx": (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64) and p,
                     tk.UnsupportedFormatError, "save as .docx"),
    "pdf-as.txt": (lambda p: p.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n") and p,
                   tk.BinaryReportError, "a PDF"),
    "empty.html": (lambda p: p.write_text("<html><body><script>x()</script></body></html>") and p,
                   tk.EmptyReportError, "no main text"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_raise_a_typed_error_with_one_line_naming_the_file(tmp_path, name):
    make, error, words = BAD_FILES[name]
    path = make(tmp_path / name) or tmp_path / name
    with pytest.raises(error) as caught:
        tk.parse_report(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and words in message and "\n" not in message
    assert caught.value.fix


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(SHORT * 50, encoding="utf-8")
    with pytest.raises(tk.ReportTooLargeError, match="over the 100 bytes limit"):
        tk.load_corpus(path, max_bytes=100)
    assert len(tk.load_corpus(path, max_bytes=None)) == 1


# ------------------------------------------------------------------------------------------------------
# One bad file does not sink a corpus
# ------------------------------------------------------------------------------------------------------
@pytest.fixture
def mixed(tmp_path):
    """Two good reports (.txt and .docx) and three that cannot be read."""
    folder = tmp_path / "data" / "reports"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(SHORT, encoding="utf-8")
    samples.write_docx(SHORT.replace("2022", "2020").replace("2023", "2021"), folder / "b.docx")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 20)
    _scanned_pdf(folder / "scan.pdf")
    return folder


def test_unreadable_files_are_skipped_warned_about_and_listed_in_load_errors(mixed):
    with pytest.warns(tk.ReportWarning) as caught:
        corpus = tk.load_corpus(mixed)
    assert corpus.report_ids == ["a", "b"]
    errors = corpus.load_errors
    assert list(errors.columns) == ["file", "problem", "fix"]
    assert sorted(Path(f).name for f in errors["file"]) == ["empty.txt", "old.doc", "scan.pdf"]
    assert errors.set_index(errors["file"].map(lambda f: Path(f).name)).loc["scan.pdf", "problem"].startswith(
        "no text layer: run OCR first")
    skipped = [str(w.message) for w in caught if str(w.message).startswith("skipped")]
    assert len(skipped) == 3 and all("\n" not in m for m in skipped)


def test_strict_stops_at_the_first_unreadable_file(mixed):
    with pytest.raises(tk.EmptyReportError, match="empty.txt"):
        tk.load_corpus(mixed, strict=True)


def test_a_folder_where_nothing_can_be_read_is_an_error(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(tk.NoReportsError, match="none of the 2 report files could be read"):
            tk.load_corpus(tmp_path)


def test_ingest_writes_the_readable_reports_a_summary_load_errors_and_extracted_text(mixed, tmp_path, capsys):
    out = tmp_path / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        status = main(["ingest", str(mixed), "--out", str(out), "--no-parquet"])
    assert status == SKIPPED_STATUS
    assert "2 reports read, 3 skipped: see load_errors.csv" in capsys.readouterr().out
    errors = pd.read_csv(out / "load_errors.csv", encoding="utf-8-sig")
    assert len(errors) == 3 and errors["fix"].str.len().min() > 5
    assert pd.read_csv(out / "reports.csv", encoding="utf-8-sig")["report_id"].tolist() == ["a", "b"]
    extracted = (out / "extracted" / "b.txt").read_text(encoding="utf-8")  # the text .docx offsets refer to
    sentences = pd.read_csv(out / "sentences.csv", encoding="utf-8-sig")
    for row in sentences[sentences["report_id"] == "b"].itertuples():
        assert tk.normalize(extracted[row.start : row.end]).replace("*", "Ⓧ") == row.text
    assert not (out / "extracted" / "a.txt").exists()  # a .txt report is its own text


def test_ingest_strict_fails_with_status_2_and_writes_nothing(mixed, tmp_path):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "toolkit", "ingest", str(mixed), "--out", str(out), "--strict"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "empty.txt" in result.stderr.strip().splitlines()[-1]
    assert not out.exists()


def test_an_interrupted_ingest_leaves_the_earlier_outputs_whole(mixed, tmp_path, monkeypatch):
    from toolkit.ingest import TableWriter

    out = tmp_path / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        main(["ingest", str(mixed), "--out", str(out)])
        before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
        calls = []

        original = TableWriter._write_group

        def interrupted(writer, table):
            calls.append(1)
            if len(calls) == 4:
                raise KeyboardInterrupt
            return original(writer, table)

        monkeypatch.setattr(TableWriter, "_write_group", interrupted)
        (mixed / "c.txt").write_text(SHORT.replace("2022", "2018").replace("2023", "2019"), encoding="utf-8")
        assert main(["ingest", str(mixed), "--out", str(out)]) == 130
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert set(after) == set(before)  # no temporary or half-written file left behind
    for name, data in after.items():  # each table whole
        if name.endswith(".csv"):
            assert len(pd.read_csv(out / name, encoding="utf-8-sig").columns) > 0
        elif name.endswith(".parquet"):
            pd.read_parquet(out / name)
    assert ".ingest-index.json" in after  # the index of the old tables, as the next run will find them
    assert after == before  # stopped while the tables were being finished: every one is still the old one


# ------------------------------------------------------------------------------------------------------
# The manifest's columns
# ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("header, words", [
    ("report_id,file,park_typ,report_year", "unknown column 'park_typ': did you mean 'park_type'?"),
    ("report_id,file,park,reprot_year", "did you mean 'report_year'?"),
    ("report_id,files,park", "unknown column 'files': did you mean 'file'?"),
    ("report_id,filename,park", "no 'file' column: is 'filename' it? Rename it to 'file'"),
    ("report_id,park", "manifest has no 'file' column"),
])
def test_a_manifest_with_missing_or_misspelled_columns_names_the_closest_one(tmp_path, header, words):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(SHORT, encoding="utf-8")
    (tmp_path / "reports.csv").write_text(header + "\n" + ",".join(["a", "a.txt", "x", "2022"][: header.count(",") + 1])
                                          + "\n", encoding="utf-8")
    with pytest.raises(tk.ManifestError) as caught:
        tk.load_corpus(folder)
    assert words in str(caught.value) and "reports.csv" in str(caught.value)


def test_an_unrelated_extra_manifest_column_is_only_a_warning(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(SHORT, encoding="utf-8")
    (tmp_path / "reports.csv").write_text("report_id,file,notes\nalpha,a.txt,from the website\n", encoding="utf-8")
    with pytest.warns(tk.ReportWarning, match="notes"):
        corpus = tk.load_corpus(folder)
    assert corpus.report_ids == ["alpha"]


def test_the_extracted_text_is_what_offsets_refer_to_for_every_format(tmp_path):
    text = seed_text()
    for fmt, write in (("docx", samples.write_docx), ("pdf", samples.write_pdf), ("html", samples.write_html)):
        path = write(text, tmp_path / f"r.{fmt}")
        extracted = extract(path.read_bytes(), path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            corpus = tk.load_corpus(path)
        assert corpus["r"].original == extracted.text
        row = corpus.sentences.iloc[5]
        assert corpus.context("r", row.start, row.end, window=0)[1] == extracted.text[row.start : row.end]


# ------------------------------------------------------------------------------------------------------
# Cache, workers, command line
# ------------------------------------------------------------------------------------------------------
def test_the_parse_cache_tells_the_same_bytes_apart_by_their_format(tmp_path):
    (tmp_path / "web").mkdir()
    page = samples.write_html(SHORT, tmp_path / "web" / "r.html")
    (tmp_path / "text").mkdir()
    as_text = tmp_path / "text" / "r.txt"
    as_text.write_bytes(page.read_bytes())
    cache = tmp_path / "cache"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        html_report = tk.load_corpus(page, cache_dir=cache)["r"]
        text_report = tk.load_corpus(as_text, cache_dir=cache)["r"]
    assert html_report.format == "html" and text_report.format == "txt"
    assert "<script>" in text_report.original and "<script>" not in html_report.original


def test_unreadable_files_are_skipped_in_worker_processes_too(mixed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = tk.load_corpus(mixed, workers=2)
    assert corpus.report_ids == ["a", "b"] and len(corpus.load_errors) == 3


def test_ingest_of_a_folder_with_no_readable_file_exits_with_status_2(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"")
    (folder / "b.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    result = subprocess.run([sys.executable, "-m", "toolkit", "ingest", str(folder), "--out", str(tmp_path / "out")],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "none of the 2 report files could be read" in result.stderr
    assert not (tmp_path / "out").exists()


def test_outline_reads_word_and_pdf_files(tmp_path, capsys):
    text = seed_text()
    for path in (samples.write_docx(text, tmp_path / "r.docx"), samples.write_pdf(text, tmp_path / "r.pdf")):
        assert main(["outline", str(path)]) == 0
        assert "一、2021年工作总结  [review, 2021]" in capsys.readouterr().out
