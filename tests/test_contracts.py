"""The contracts the whole package keeps: rule files reach every analysis through the corpus, every public
table's offsets point into the original file, one public name is one thing, rule files describe themselves."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pandas as pd
import pytest

import toolkit as tk
from toolkit import clauses
from toolkit.cleaning import MASK, normalize
from toolkit.config import Config
from toolkit.resources import data_path, read_table

ROOT = Path(__file__).resolve().parents[1]

REPORT = ("一、2022年工作总结\n园区用地紧张，企业缺水严重。完成投资Ⓧ亿元。\n"
          "二、2023年工作思路\n力争新开工项目5个以上，争取新增企业3家。\n着力破解缺水难题。\n").replace(MASK, "*")


@pytest.fixture(scope="module")
def user_rules(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules")
    taxonomy = folder / "taxonomy.csv"
    base = (data_path("problem_taxonomy.csv")).read_text(encoding="utf-8")
    taxonomy.write_text(base.rstrip("\n") + "\nwater,water shortage,缺水|水资源紧张,\n", encoding="utf-8")
    markers = folder / "markers.csv"
    table = read_table("target_markers.csv")
    table.loc[table["marker"] == "争取", "strength"] = "binding"  # a recoded marker
    table.to_csv(markers, index=False)
    reports = folder / "reports"
    reports.mkdir()
    (reports / "r.txt").write_text(REPORT, encoding="utf-8")
    return Config(problem_taxonomy=str(taxonomy), target_markers=str(markers)), reports


def test_a_users_rule_files_reach_every_analysis_through_the_corpus(user_rules):
    config, reports = user_rules
    corpus = tk.load_corpus(reports, config=config)
    found = tk.targets(corpus)
    assert found.loc[found["markers"] == "争取", "strength"].tolist() == ["binding"]  # recoded, via the corpus
    hits = tk.problems(corpus)
    assert "water" in set(hits["category"].astype(str))
    matrix = tk.recurrence(hits)
    assert "water" in matrix.columns and matrix.loc["r", "water"] >= 1
    assert len(matrix.columns) == 13  # the twelve package categories and the user's new one, none dropped
    assert "water" in set(tk.answered(corpus, hits)["category"].astype(str))
    profile = tk.profile_report(reports / "r.txt", reference=corpus)
    assert "water" in {p["category"] for p in profile["problems"]}
    assert profile["targets"]["by_strength"].get("binding") == 1  # 争取 recoded
    assert any(t["category"] == "water" for t in tk.detect_text("园区缺水。", config=config))
    assert [t["strength"] for t in tk.classify_text("争取新增企业3家。", config=config)] == ["binding"]


def test_the_package_config_still_reads_the_default_scheme(user_rules):
    _, reports = user_rules
    corpus = tk.load_corpus(reports)
    assert tk.targets(corpus).loc[lambda t: t["markers"] == "争取", "strength"].tolist() == ["striving"]
    assert "water" not in set(tk.problems(corpus)["category"].astype(str))


def test_a_recurrence_matrix_keeps_categories_no_report_names(corpus):
    matrix = tk.recurrence(tk.problems(corpus))
    assert list(matrix.columns) == list(read_table("problem_taxonomy.csv")["category"])
    assert (matrix == 0).all().any() or len(matrix.columns) == 12


def test_target_markers_come_from_the_data_file_only():
    names = [name for name, _, _ in clauses.marker_rules("target_markers.csv")]
    assert names == list(read_table("target_markers.csv")["marker"])
    assert "目标" in names


def test_cached_results_are_keyed_by_the_rule_files(user_rules):
    config, _ = user_rules
    assert Config().fingerprint() != config.fingerprint()
    assert Config().fingerprint(("themes",)) == config.fingerprint(("themes",))


def _comparable(text: str) -> str:
    """Original and cleaned text compared alike: width, masks (* X xx → Ⓧ) and white space ignored."""
    text = re.sub(r"[*×□■Xx]+", MASK, normalize(text))
    return re.sub(r"\s", "", text)


def _within(own: str, shown: str) -> bool:
    """``own`` reads in order inside ``shown`` (cleaning may have cut boilerplate out of the middle)."""
    rest = iter(shown)
    return bool(own) and all(ch in rest for ch in own)


def _public_tables(corpus) -> dict[str, tuple[pd.DataFrame, str]]:
    """Every public table with report_id/start/end, and the column holding the text its span covers."""
    return {
        "sentences": (corpus.sentences, "text"),
        "sections": (corpus.sections[corpus.sections["level"] > 0], None),
        "masks": (corpus.masks, "text"),
        "boilerplate": (corpus.boilerplate, "text"),
        "tokens": (tk.corpus_tokens(corpus), "term"),
        "theme_matches": (tk.theme_matches(corpus), "keyword"),
        "kwic": (tk.kwic(corpus, "用地"), "match"),
        "targets": (tk.targets(corpus), "clause"),
        "results": (tk.results(corpus), "clause"),
        "problems": (tk.problems(corpus), "cue"),
        "clauses": (tk.clause_table(corpus), "clause"),
    }


def test_every_public_table_points_into_the_original_text(corpus):
    for name, (table, column) in _public_tables(corpus).items():
        assert len(table), name
        shown = tk.with_context(corpus, table, window=0)["match"]
        if column is None:  # a section's span starts at its heading number
            assert all(corpus[r].original[s:e] for r, s, e in zip(table["report_id"], table["start"], table["end"]))
            continue
        own = table[column].astype(str)
        if name == "theme_matches":
            own = own.str.replace("+", "", regex=False)  # touching keywords are joined with +
        wrong = [(m, o) for m, o in zip(shown, own) if not _within(_comparable(o), _comparable(m))]
        assert not wrong, f"{name}: {len(wrong)} of {len(table)} rows show other text, e.g. {wrong[:3]}"


def test_the_api_page_documents_exactly_the_public_names():
    page = (ROOT / "book" / "api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"\.\. auto(?:function|class|data|exception):: toolkit\.(\w+)\s*$", page, re.M))
    assert documented == set(tk.__all__) - {"__version__"}


def test_no_public_name_is_both_a_module_and_something_else():
    for name in tk.__all__:
        value = getattr(tk, name)
        try:
            module = importlib.import_module(f"toolkit.{name}")
        except ModuleNotFoundError:
            continue
        assert value is module, f"toolkit.{name} is a module and also {value!r}"


def test_every_rule_file_describes_itself():
    table = Config().describe()
    assert len(table) == 9
    for column in ("name", "codes", "version", "reference"):
        empty = table.loc[table[column].eq(""), "file"].tolist()
        assert not empty, f"rule files without a {column}: {empty}"


def test_importing_the_toolkit_does_not_pay_for_matplotlib():
    import subprocess
    import sys

    code = "import sys, toolkit; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_a_missing_rule_file_is_named_when_the_corpus_is_loaded(tmp_path):
    (tmp_path / "r.txt").write_text("一、2022年工作总结\n完成投资20亿元。\n", encoding="utf-8")
    with pytest.raises(tk.ConfigError, match="my_taxonomy.csv: rule file for problem_taxonomy not found"):
        tk.load_corpus(tmp_path, config=Config(problem_taxonomy=str(tmp_path / "my_taxonomy.csv")))


def test_a_shown_table_keeps_a_named_index_and_drops_row_numbers():
    from toolkit.display import labelled

    table = pd.DataFrame({"strength": ["binding", None], "count": [3, 4]}, index=[30, 7])
    assert list(labelled(table).columns) == ["承诺强度 strength", "次数 count"]
    assert labelled(table)["承诺强度 strength"].tolist() == ["确保类 binding", "—"]
    named = table.rename_axis("report_id")
    assert list(labelled(named).columns)[0] == "报告 report id"


def test_a_shown_table_writes_years_without_separators_and_counts_with_them():
    html = tk.show_table(pd.DataFrame({"report_year": [2022], "n_chars": [12345]})).to_html()
    assert ">2022<" in html and "12,345" in html and "2,022" not in html


def test_a_file_holding_only_a_byte_order_mark_is_an_empty_report(tmp_path):
    for name, data in (("a.txt", b"\xff\xfe"), ("b.txt", b"\xef\xbb\xbf")):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(tk.EmptyReportError, match=name):
            tk.parse_report(tmp_path / name)


def test_a_huge_file_is_read_with_a_warning_naming_its_size_and_the_time_it_takes(tmp_path, monkeypatch):
    from toolkit import corpus as corpus_module

    (tmp_path / "big.txt").write_text("一、2022年工作总结\n完成投资20亿元。\n" * 50, encoding="utf-8")
    monkeypatch.setattr(corpus_module, "HUGE_BYTES", 1000)
    with pytest.warns(tk.ReportWarning, match=r"big.txt: 0 MB; reading it will take about"):
        loaded = tk.load_corpus(tmp_path)
    assert len(loaded) == 1


def test_a_table_without_rows_has_the_column_types_it_has_with_rows(corpus, tmp_path):
    """In memory and in the Parquet files ingest writes: a report without masks, boilerplate, targets,
    results, problems or terms gives those tables no rows, with the columns' types of a corpus that has them."""
    import pyarrow.parquet as pq

    from toolkit.analysis import corpus_tables
    from toolkit.ingest import ingest

    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "a.txt").write_text("某园区工作情况\n\n一、基本情况\n园区位于城市东部。\n", encoding="utf-8")
    (folder / "b.txt").write_text("一、2023年\n无。\n", encoding="utf-8")  # no term: a year and one character
    full = corpus_tables(corpus)
    plain = tk.load_corpus(folder, workers=1)
    bare = corpus_tables(plain)
    empty = {name for name, table in bare.items() if not len(table)}
    assert {"boilerplate", "masks", "targets", "results", "problems"} <= empty
    for name in empty:
        assert dict(bare[name].dtypes) == dict(full[name].dtypes), name
    no_terms = tk.load_corpus([folder / "b.txt"], workers=1)
    assert not len(tk.term_frequency(no_terms))
    assert dict(tk.term_frequency(no_terms).dtypes) == dict(tk.term_frequency(corpus).dtypes)
    ingest(folder, tmp_path / "bare", workers=1)
    ingest(Path(corpus.reports_list[0].path).parent, tmp_path / "full", workers=1)
    for name in empty | {"terms"}:
        assert pq.read_schema(tmp_path / "bare" / f"{name}.parquet") == \
            pq.read_schema(tmp_path / "full" / f"{name}.parquet"), name
