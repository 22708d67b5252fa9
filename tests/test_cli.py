"""The command line: ingest writes every table; bad input gets one line and a nonzero exit."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from toolkit.__main__ import main

from .conftest import REPORTS


def test_ingest_writes_csv_with_bom_and_parquet(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["ingest", str(REPORTS), "--out", str(out)]) == 0
    for name in ("reports", "sections", "sentences", "boilerplate", "masks", "themes", "terms", "targets", "results",
                 "problems"):
        assert (out / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
        csv_rows = len(pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig"))
        assert csv_rows == len(pd.read_parquet(out / f"{name}.parquet"))
    sections = pd.read_csv(out / "sections.csv", encoding="utf-8-sig")
    assert "2022年工作总结" in set(sections["title"])
    assert not list(out.glob("*.tmp"))


def test_ingest_refuses_to_write_where_the_reports_or_manifest_live(tmp_path, capsys):
    manifest = REPORTS.parent / "reports.csv"
    before = manifest.read_bytes()
    assert main(["ingest", str(REPORTS), "--out", str(REPORTS.parent)]) == 2
    assert manifest.read_bytes() == before
    assert "choose an output folder elsewhere" in capsys.readouterr().err


@pytest.mark.parametrize("content, words", [(None, "no such file"), (b"", "empty"), (b"\x00\x01", "binary"),
                                            (b"\xff\xfe\xff\xd8\x00", "UTF-16"), (b"\x81\x30\xff\x80", "UTF-8")])
def test_bad_input_gives_one_line_and_exit_status_2(tmp_path, content, words):
    path = tmp_path / "bad.txt"
    if content is not None:
        path.write_bytes(content)
    result = subprocess.run([sys.executable, "-m", "toolkit", "outline", str(path)], capture_output=True, text=True)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and words in lines[0]


def test_ingest_of_a_missing_folder_fails_cleanly(tmp_path):
    result = subprocess.run([sys.executable, "-m", "toolkit", "ingest", str(tmp_path / "nope"), "--out",
                             str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 2 and "no such file or folder" in result.stderr
    assert not (tmp_path / "out").exists()


def test_outline_prints_the_tree_with_roles_and_years(capsys):
    assert main(["outline", str(REPORTS / "2023-wangchun-industrial.txt")]) == 0
    out = capsys.readouterr().out
    assert "一、2023年工作总结  [review, 2023]" in out
    assert "二、明年工作思路  [plan, 2024]" in out


def test_outline_of_a_file_without_headings_warns_and_succeeds(tmp_path):
    path = tmp_path / "flat.txt"
    path.write_text("园区今年发展良好。", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "toolkit", "outline", str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and "no recognisable headings" in result.stderr and "[全文]" in result.stdout


def test_ingest_theme_and_target_tables_have_the_documented_columns(tmp_path):
    out = tmp_path / "out"
    assert main(["ingest", str(REPORTS), "--out", str(out), "--no-parquet"]) == 0
    themes = pd.read_csv(out / "themes.csv", encoding="utf-8-sig")
    assert list(themes.columns[:6]) == ["report_id", "theme", "role", "count", "per_10k", "share"]
    targets = pd.read_csv(out / "targets.csv", encoding="utf-8-sig")
    for column in ("strength", "floor", "quantitative", "indicator", "value", "unit", "masked", "horizon", "clause"):
        assert column in targets.columns
    indicators = pd.read_csv(out / "results.csv", encoding="utf-8-sig")
    for column in ("indicator", "value", "unit", "masked", "growth_basis", "growth_direction", "growth_value"):
        assert column in indicators.columns
    assert not list(out.glob("*.parquet"))
