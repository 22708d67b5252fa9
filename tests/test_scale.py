"""Scale: workers give the same results as one process, the per-report cache covers every analysis, ingest
streams its tables, the fast segmenter agrees with jieba, and quadratic measures have a linear counterpart.

Speed itself is measured by hand in ``benchmarks/`` (never timed here)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys

import pandas as pd
import pyarrow.parquet as pq
import pytest
from pathlib import Path

import toolkit as tk
from toolkit import analysis, compare, ingest as ingest_module, parallel
from toolkit.analysis import TABLE_NAMES, corpus_tables
from toolkit.ingest import ingest
from toolkit.segmentation import ReportTokens, Segmenter

from .conftest import MANIFEST, REPORTS


def _copy_seeds(tmp_path, n: int | None = None):
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in sorted(REPORTS.glob("*.txt"))[:n]:
        shutil.copy(path, folder / path.name)
    return folder


def _csv(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue()


def _counting(monkeypatch, module, name):
    calls = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args[0] if args else None)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


# ------------------------------------------------------------------------------------------------------
# Workers
# ------------------------------------------------------------------------------------------------------
def test_two_workers_give_the_same_tables_as_one():
    one = corpus_tables(tk.load_corpus(REPORTS, workers=1))
    two = corpus_tables(tk.load_corpus(REPORTS, workers=2))
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(one[name], two[name], obj=name)


def test_workers_default_to_every_core_only_for_a_large_load():
    assert parallel.choose_workers(None, 5, 30_000) == 1  # the seeds: no pool
    assert parallel.choose_workers(None, 1000, 20 * 2**20) == min(1000, parallel.available_cores())
    assert parallel.choose_workers(4, 2, 0) == 2  # never more processes than jobs
    assert parallel.choose_workers(0, 10, 0) == 1


def test_workers_run_the_analyses_and_send_them_back():
    corpus = tk.load_corpus(REPORTS, workers=2)
    kinds = {key[0] for report in corpus for key in report.memo}
    assert kinds == {"clauses", "problems", "themes", "tokens"}


# ------------------------------------------------------------------------------------------------------
# The per-report cache
# ------------------------------------------------------------------------------------------------------
def test_a_cached_load_recomputes_nothing(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = corpus_tables(tk.load_corpus(REPORTS, workers=1, cache_dir=cache))
    for module, name in ((tk.corpus, "parse_report"), (tk.clauses, "read_clauses"),
                         (tk.segmentation, "segment_report"), (tk.difficulties, "detect_clauses"),
                         (tk.themes, "_mentions")):
        monkeypatch.setattr(module, name, lambda *a, **k: pytest.fail("recomputed a cached analysis"))
    again = corpus_tables(tk.load_corpus(REPORTS, workers=1, cache_dir=cache))
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(first[name], again[name], obj=name)


def test_adding_a_report_to_a_cached_corpus_reads_and_analyses_one(tmp_path, monkeypatch):
    folder, cache = _copy_seeds(tmp_path, 4), tmp_path / "cache"
    tk.load_corpus(folder, workers=1, cache_dir=cache)
    parsed = _counting(monkeypatch, tk.corpus, "parse_report")
    clauses = _counting(monkeypatch, tk.clauses, "read_clauses")
    added = sorted(REPORTS.glob("*.txt"))[4]
    shutil.copy(added, folder / added.name)
    corpus = tk.load_corpus(folder, workers=1, cache_dir=cache)
    tk.targets(corpus), tk.problems(corpus), tk.corpus_tokens(corpus)
    assert len(corpus) == 5 and [str(p) for p in parsed] == [str(folder / added.name)] and len(clauses) == 1


def test_a_changed_rule_file_is_never_answered_from_the_cache(tmp_path):
    cache = tmp_path / "cache"
    tk.theme_table(tk.load_corpus(REPORTS, workers=1, cache_dir=cache))
    lexicon = tmp_path / "themes.csv"
    lexicon.write_text("theme,description,keywords\n园区,the word 园区,园区\n", encoding="utf-8")
    corpus = tk.load_corpus(REPORTS, workers=1, cache_dir=cache, config=tk.Config(themes=str(lexicon)))
    assert set(tk.theme_table(corpus)["theme"]) == {"园区"}


def test_a_cache_entry_of_other_code_is_not_reused(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    tk.load_corpus(REPORTS, workers=1, cache_dir=cache)
    monkeypatch.setattr(tk.corpus, "code_fingerprint", lambda: "other code")
    parsed = _counting(monkeypatch, tk.corpus, "parse_report")
    tk.load_corpus(REPORTS, workers=1, cache_dir=cache)
    assert len(parsed) == 5


def _entries(cache) -> set[str]:
    """The keys of a cache folder's entries."""
    return {p.name.split(".")[0] for p in cache.iterdir() if p.name.endswith(".pickle")}


def _age(cache, keys, seconds: float) -> None:
    """Make the entries of ``keys`` look last used ``seconds`` ago."""
    import time

    for key in keys:
        for path in cache.glob(f"{key}*.pickle"):
            os.utime(path, (time.time() - seconds,) * 2)


def _size(cache, keys=None) -> int:
    return sum(p.stat().st_size for p in cache.iterdir() if keys is None or p.name.split(".")[0] in keys)


def test_a_cache_over_its_limit_loses_the_entries_used_longest_ago_and_never_this_runs(tmp_path):
    reports, cache = sorted(REPORTS.glob("*.txt")), tmp_path / "cache"
    keys = []
    for i in range(3):  # three corpora of one report each, into one cache
        ingest(reports[i], tmp_path / f"out{i}", workers=1, cache_dir=cache)
        keys.append(_entries(cache) - set().union(*keys))
    _age(cache, keys[0], 3 * 3600)  # the first corpus used longest ago, then the second
    _age(cache, keys[1], 2 * 3600)
    (cache / "notes.txt").write_text("mine", encoding="utf-8")  # not an entry: never touched
    limit = _size(cache, keys[1] | keys[2]) + 1
    ingest(reports[2], tmp_path / "out2", workers=1, cache_dir=cache, cache_limit=limit)
    assert _entries(cache) == keys[1] | keys[2] and (cache / "notes.txt").is_file()
    ingest(reports[2], tmp_path / "out2", workers=1, cache_dir=cache, cache_limit=0)  # a limit below one run's
    assert _entries(cache) == keys[2]
    ingest(reports[:2], tmp_path / "out01", workers=1, cache_dir=cache, cache_limit=None)  # no limit
    assert _entries(cache) >= keys[0] | keys[1] | keys[2]


def test_entries_used_within_the_hour_are_kept_another_run_may_be_using_them(tmp_path):
    reports, cache = sorted(REPORTS.glob("*.txt")), tmp_path / "cache"
    ingest(reports[0], tmp_path / "a", workers=1, cache_dir=cache)
    other = _entries(cache)
    _age(cache, other, 600)
    ingest(reports[1], tmp_path / "b", workers=1, cache_dir=cache, cache_limit=0)
    assert _entries(cache) > other


def test_a_cache_entry_removed_during_the_run_is_named(tmp_path, monkeypatch):
    folder, cache = _copy_seeds(tmp_path, 2), tmp_path / "cache"
    original = ingest_module._tables_job

    def removed_after(batch):  # another run's upkeep removes the tables just made
        results = original(batch)
        for record in results:
            os.unlink(record.tables)
        return results

    monkeypatch.setattr(ingest_module, "_tables_job", removed_after)
    with pytest.raises(tk.OutputError, match=r"tables\.pickle: removed from the cache while this run needed it"):
        ingest(folder, tmp_path / "out", workers=1, cache_dir=cache)
    assert not (tmp_path / "out").exists()


def test_rows_copied_from_the_previous_output_keep_their_cache_entries_in_use(tmp_path):
    folder, cache, out = _copy_seeds(tmp_path, 2), tmp_path / "cache", tmp_path / "out"
    ingest(folder, out, workers=1, cache_dir=cache)
    used = _entries(cache)
    _age(cache, used, 2 * 3600)
    ingest(folder, out, workers=1, cache_dir=cache, cache_limit=0)  # every row copied: no entry read
    assert _entries(cache) == used


def test_entries_answered_from_the_cache_are_in_use(tmp_path):
    folder, cache = _copy_seeds(tmp_path, 2), tmp_path / "cache"
    ingest(folder, tmp_path / "out", workers=1, cache_dir=cache)
    used = _entries(cache)
    _age(cache, used, 2 * 3600)
    ingest(folder, tmp_path / "elsewhere", workers=1, cache_dir=cache, cache_limit=0)  # tables from the cache
    assert _entries(cache) == used
    _age(cache, used, 2 * 3600)
    tk.load_corpus(folder, workers=1, cache_dir=cache, cache_limit=0)  # readings from the cache
    assert {p.name.split(".")[0] for p in cache.glob("*[0-9a-f].pickle")} == used


def test_a_cached_load_keeps_its_cache_within_the_limit_and_leaves_a_running_runs_files(tmp_path):
    import time

    reports, cache = sorted(REPORTS.glob("*.txt")), tmp_path / "cache"
    tk.load_corpus(reports[0], workers=1, cache_dir=cache)
    first = _entries(cache)
    _age(cache, first, 2 * 3600)
    stale, running = cache / f".{'0' * 32}.pickle.ab12.tmp", cache / f".{'1' * 32}.pickle.cd34.tmp"
    for path in (stale, running):
        path.write_bytes(b"half")
    os.utime(stale, (time.time() - 2 * 86400,) * 2)  # a killed run's, two days ago
    tk.load_corpus(reports[1], workers=1, cache_dir=cache, cache_limit=0)
    assert not _entries(cache) & first and _entries(cache)
    assert not stale.exists() and running.exists()


def test_the_cli_takes_a_cache_limit_in_gigabytes(tmp_path, monkeypatch):
    from toolkit import __main__ as cli

    seen = {}
    monkeypatch.setattr(ingest_module, "ingest", lambda *a, **k: seen.update(k) or ingest_module.Summary(1, []))
    cli.main(["ingest", str(REPORTS), "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "c"),
              "--cache-limit", "0.5"])
    assert seen["cache_limit"] == 2**29
    cli.main(["ingest", str(REPORTS), "--out", str(tmp_path / "out"), "--cache-limit", "-1"])
    assert seen["cache_limit"] is None


def test_a_renamed_file_is_read_again_not_answered_with_its_old_name(tmp_path):
    folder, cache = _copy_seeds(tmp_path, 2), tmp_path / "cache"
    ingest(folder, tmp_path / "out", workers=1, cache_dir=cache)
    first = sorted(folder.iterdir())[0]
    first.rename(folder / "renamed.txt")
    tk.load_corpus(folder, workers=1, cache_dir=cache)
    ingest(folder, tmp_path / "out", workers=1, cache_dir=cache)
    reports = pd.read_csv(tmp_path / "out" / "reports.csv", encoding="utf-8-sig")
    assert "renamed" in set(reports["report_id"]) and "renamed.txt" in set(reports["file"])
    assert "renamed" in tk.load_corpus(folder, workers=1, cache_dir=cache).report_ids


def test_two_files_with_the_same_bytes_keep_their_own_names(tmp_path):
    folder = _copy_seeds(tmp_path, 1)
    original = next(folder.iterdir())
    shutil.copy(original, folder / "zz-copy.txt")  # loaded once, with a warning naming both
    with pytest.warns(tk.ReportWarning, match="same text"):
        ingest(folder, tmp_path / "out", workers=1)
    reports = pd.read_csv(tmp_path / "out" / "reports.csv", encoding="utf-8-sig")
    assert list(reports["report_id"]) == [original.stem] and list(reports["file"]) == [original.name]


def test_an_edited_rule_file_is_read_again_in_the_same_session(tmp_path, corpus):
    taxonomy = tmp_path / "taxonomy.csv"
    text = (Path(tk.__file__).parent / "data" / "problem_taxonomy.csv").read_text(encoding="utf-8")
    taxonomy.write_text(text, encoding="utf-8")
    config = tk.Config(problem_taxonomy=str(taxonomy))
    before = tk.problems(tk.Corpus(corpus.reports_list, config=config))
    assert len(before)
    header = [line for line in text.splitlines() if line.startswith("#")]
    columns = next(line for line in text.splitlines() if line and not line.startswith("#"))
    taxonomy.write_text("\n".join(header + [columns, "无关,nothing,从未出现的词语甲乙丙,,,,"]) + "\n", encoding="utf-8")
    os.utime(taxonomy, ns=(1, 1))  # a different stamp even within the file system's time resolution
    after = tk.problems(tk.Corpus(corpus.reports_list, config=config))
    assert list(after["category"].cat.categories) == ["无关"] and len(after) == 0


def test_a_report_step_looks_at_each_rule_file_once_not_once_per_clause(corpus, monkeypatch):
    from toolkit import resources
    from toolkit.clauses import read_clauses

    looked = _counting(monkeypatch, resources, "_file_stamp")
    report = corpus.reports_list[0]
    clauses = read_clauses(report, corpus.config)
    assert len(clauses) > 100
    assert 0 < len(looked) == len(set(looked)) <= 3  # target markers, indicators (and the user dictionary)
    read_clauses(report, corpus.config)  # the next step looks again
    assert len(looked) == 2 * len(set(looked))


def test_a_report_whose_analysis_fails_is_skipped_and_named(tmp_path, monkeypatch):
    folder = _copy_seeds(tmp_path, 3)
    bad = sorted(folder.iterdir())[1]
    original = tk.clauses.read_clauses

    def failing(report, *args, **kwargs):
        if report.report_id == bad.stem:
            raise ZeroDivisionError("a bug")
        return original(report, *args, **kwargs)

    monkeypatch.setattr(tk.clauses, "read_clauses", failing)
    with pytest.warns(tk.ReportWarning, match=f"{bad.name}: could not be analysed"):
        summary = ingest(folder, tmp_path / "out", workers=1)
    assert summary.n_reports == 2 and summary.load_errors[0]["file"] == str(bad)
    assert "ZeroDivisionError: a bug" in summary.load_errors[0]["problem"]


# ------------------------------------------------------------------------------------------------------
# Streaming ingest
# ------------------------------------------------------------------------------------------------------
def test_ingest_streams_the_same_tables_as_a_corpus_in_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_module, "ROWS_PER_GROUP", 40)  # many row groups
    monkeypatch.setattr(ingest_module, "BATCH_REPORTS", 2)  # several batches
    out = tmp_path / "out"
    summary = ingest(REPORTS, out, workers=1, manifest=MANIFEST)
    expected = corpus_tables(tk.load_corpus(REPORTS, manifest=MANIFEST))
    assert summary.n_reports == 5
    for name in TABLE_NAMES:
        assert (out / f"{name}.csv").read_text(encoding="utf-8-sig") == _csv(expected[name]), name
        assert len(pd.read_parquet(out / f"{name}.parquet")) == len(expected[name])
    assert pq.ParquetFile(out / "sentences.parquet").num_row_groups > 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # the spool is gone


def test_a_duplicate_that_outranks_a_report_already_written_is_kept_as_load_corpus_keeps_it(tmp_path):
    # a.docx is read first, but the plain-text copy b.txt of the same report is the one kept: the stream of
    # tables already written stops and the tables are written afresh
    from toolkit import samples

    folder = tmp_path / "reports"
    folder.mkdir()
    text = sorted(REPORTS.glob("*.txt"))[0].read_text(encoding="utf-8-sig")
    samples.write_docx(text, folder / "a.docx")
    (folder / "b.txt").write_text(text, encoding="utf-8")
    shutil.copy(sorted(REPORTS.glob("*.txt"))[1], folder / "c.txt")
    with pytest.warns(tk.ReportWarning, match="same text"):
        ingest(folder, tmp_path / "out", workers=1)
    with pytest.warns(tk.ReportWarning, match="same text"):
        expected = corpus_tables(tk.load_corpus(folder))
    assert list(expected["reports"]["report_id"]) == ["b", "c"]
    for name in TABLE_NAMES:
        assert (tmp_path / "out" / f"{name}.csv").read_text(encoding="utf-8-sig") == _csv(expected[name]), name
    assert not (tmp_path / "out" / "extracted").exists()  # the Word copy was dropped: no text of it


def test_ingest_with_a_cache_reads_only_new_reports(tmp_path, monkeypatch):
    folder, cache = _copy_seeds(tmp_path, 4), tmp_path / "cache"
    ingest(folder, tmp_path / "out", workers=1, cache_dir=cache)
    parsed = _counting(monkeypatch, tk.corpus, "parse_report")
    added = sorted(REPORTS.glob("*.txt"))[4]
    shutil.copy(added, folder / added.name)
    summary = ingest(folder, tmp_path / "out", workers=1, cache_dir=cache)
    assert summary.n_reports == 5 and [str(p) for p in parsed] == [str(folder / added.name)]
    reports = pd.read_csv(tmp_path / "out" / "reports.csv", encoding="utf-8-sig")
    assert added.stem in set(reports["report_id"])


def test_ingest_on_the_command_line_gives_the_same_files_with_two_workers(tmp_path):
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        result = subprocess.run([sys.executable, "-m", "toolkit", "ingest", str(REPORTS), "--out", str(out),
                                 "--workers", workers, "--manifest", str(MANIFEST)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""  # no progress bar when stderr is not a terminal
        outputs.append({p.name: p.read_bytes() for p in out.glob("*.csv")})
    assert outputs[0] == outputs[1] and len(outputs[0]) == len(TABLE_NAMES) + 1


# ------------------------------------------------------------------------------------------------------
# Progress
# ------------------------------------------------------------------------------------------------------
def test_progress_is_shown_only_when_asked_or_on_a_terminal(capsys):
    assert list(parallel.run_jobs(abs, [-1, -2, -3])) == [1, 2, 3]
    assert capsys.readouterr().err == ""  # pytest's stderr is not a terminal
    assert list(parallel.run_jobs(abs, [-1, -2], progress=True)) == [1, 2]
    assert "reports:" in capsys.readouterr().err


def test_strict_loading_stops_at_the_first_failure():
    seen = []
    results = list(parallel.run_jobs(lambda x: seen.append(x) or x, [1, 0, 2], stop=lambda r: r == 0))
    assert results == [1, 0] and seen == [1, 0]


# ------------------------------------------------------------------------------------------------------
# The segmenters
# ------------------------------------------------------------------------------------------------------
def test_rjieba_agrees_with_jieba_on_the_seed_sentences(corpus):
    table = tk.segmenter_agreement(corpus)
    assert list(table["report_id"]) == corpus.report_ids
    assert table["same_tokens"].sum() / table["tokens"].sum() >= 0.995
    assert (table["term_agreement"] == 1).all()  # every counted term cut at the same span
    jieba_, rjieba_ = Segmenter(backend="jieba"), Segmenter(backend="rjieba")
    for report in corpus:
        for sentence in report.sentences:
            assert jieba_.terms(sentence.text) == rjieba_.terms(sentence.text)


def test_both_segmenters_keep_the_user_dictionary():
    for backend in ("jieba", "rjieba"):
        assert Segmenter(backend=backend).terms("园区坚持招商引资，专精特新企业新增Ⓧ家。") == \
            ["招商引资", "专精特新", "企业", "新增"]


def test_rjieba_is_loaded_without_its_default_tokenizer():
    # a fresh interpreter: the class comes from the compiled module, the package (whose import builds a
    # tokenizer we never use) is not imported, and importing it afterwards gives the very same class
    script = ("import sys; from toolkit.segmentation import rjieba_class, Segmenter; cls = rjieba_class(); "
              "assert 'rjieba' not in sys.modules, 'package imported'; "
              "assert Segmenter(backend='rjieba').terms('园区坚持招商引资，专精特新企业新增Ⓧ家。') == "
              "['招商引资', '专精特新', '企业', '新增']; "
              "import rjieba; assert rjieba.Jieba is cls; assert rjieba.cut('用地紧张') == ['用地', '紧张']; "
              "print('ok')")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "ok", result.stderr


def test_an_unknown_segmenter_is_refused_by_name():
    with pytest.raises(tk.ConfigError, match="segmenter 'hanlp' unknown; choose one of jieba, rjieba"):
        tk.Config(segmenter="hanlp")


def test_the_config_segmenter_reaches_the_tokens(corpus):
    jieba_corpus = tk.Corpus(corpus.reports_list, config=tk.Config(segmenter="jieba"))
    assert tk.corpus_tokens(jieba_corpus)["term"].tolist() == tk.corpus_tokens(corpus)["term"].tolist()
    keys = {key for report in corpus for key in report.memo if key[0] == "tokens"}
    assert len(keys) == 2  # one compact token store per segmenter, kept with each report


def test_tokens_are_kept_compactly(corpus):
    tk.corpus_tokens(corpus)
    stored = next(v for k, v in corpus.reports_list[0].memo.items() if k[0] == "tokens")
    assert isinstance(stored, ReportTokens) and stored.terms.count("\x1f") == len(stored) - 1


# ------------------------------------------------------------------------------------------------------
# Quadratic measures
# ------------------------------------------------------------------------------------------------------
def test_nearest_reports_agree_with_the_similarity_matrix(corpus):
    matrix = tk.similarity(corpus)
    nearest = tk.nearest_reports(corpus, k=2)
    assert len(nearest) == 2 * len(corpus)
    for row in nearest.itertuples():
        others = matrix.loc[row.report_id].drop(row.report_id).sort_values(ascending=False)
        assert row.neighbour == others.index[row.rank - 1]
        assert row.similarity == pytest.approx(others.iloc[row.rank - 1])


def test_a_tie_at_the_last_place_of_the_nearest_reports_goes_to_the_earliest_report(monkeypatch):
    from scipy import sparse

    # report r0000 is equally close to the 1,999 others (ties numpy's partial sort leaves in no order); its three
    # nearest are the first three in corpus order
    vectors = sparse.csr_matrix([[1.0, 0.0]] + [[0.6, 0.8]] * 1999)
    ids = [f"r{i:04d}" for i in range(2000)]
    monkeypatch.setattr(compare, "tfidf_vectors", lambda corpus, segmenter=None: (vectors, ids))
    for block in (7, 512):
        nearest = tk.nearest_reports(None, k=3, block=block)
        assert list(nearest[nearest["report_id"] == "r0000"]["neighbour"]) == ["r0001", "r0002", "r0003"], block
        assert list(nearest[nearest["report_id"] == "r1999"]["neighbour"]) == ["r0001", "r0002", "r0003"], block


def test_the_dense_similarity_matrix_is_refused_above_its_limit(corpus, monkeypatch):
    monkeypatch.setattr(compare, "DENSE_SIMILARITY_LIMIT", 3)
    with pytest.raises(ValueError, match="use nearest_reports"):
        tk.similarity(corpus)
    assert len(tk.nearest_reports(corpus, k=1)) == len(corpus)


def test_row_groups_whose_column_types_differ_are_written_as_one_table(tmp_path):
    import pyarrow as pa

    writer = ingest_module.TableWriter(tmp_path, "t")
    writer.append(pa.table({"report_id": ["a"], "flag": [True], "factor": pa.array([1], pa.int64())}))
    writer.append(pa.table({"report_id": ["b"], "flag": ["True"], "factor": pa.array([666.5])}))
    writer.close()
    assert (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines() == \
        ["report_id,flag,factor", "a,True,1.0", "b,True,666.5"]
    assert len(pd.read_parquet(tmp_path / "t.parquet")) == 2


def test_a_column_mixing_types_is_kept_as_text_with_its_gaps():
    frame = pd.DataFrame({"report_id": ["a", "a", "a"], "mixed": ["甲", 3, None], "flags": [True, None, False],
                          "gaps": ["x", float("nan"), None]})
    table = ingest_module.arrow_table(frame)
    assert table.column("mixed").to_pylist() == ["甲", "3", None]
    assert table.column("flags").to_pylist() == ["True", None, "False"]  # as the CSV shows them
    assert table.column("gaps").to_pylist() == ["x", None, None]


def test_batch_size_is_read_when_batches_are_made(monkeypatch):
    monkeypatch.setattr(ingest_module, "BATCH_REPORTS", 1)
    assert [len(b) for b in ingest_module.batches(list(range(5)), workers=1)] == [1] * 5


def test_batches_cover_every_job_in_order():
    jobs = list(range(10))
    groups = ingest_module.batches(jobs, workers=2, size=3)
    assert [j for g in groups for j in g] == jobs and max(map(len, groups)) <= 3
    assert analysis.report_slices(pd.DataFrame({"report_id": ["a", "a", "c"]}), ["a", "b", "c"]) == \
        [(0, 2), (2, 2), (2, 3)]


def test_reports_rendered_in_workers_are_written_with_the_types_of_the_whole_table(tmp_path):
    # each report's CSV comes rendered with its own types; a report whose types differ from the table's
    # (whole numbers where others have fractions, a flag where others have text) is written as the table types it
    import pyarrow as pa

    writer = ingest_module.TableWriter(tmp_path, "t")
    for piece in (pa.table({"report_id": ["a"], "flag": [True], "factor": pa.array([1], pa.int64())}),
                  pa.table({"report_id": ["b"], "flag": ["True"], "factor": pa.array([666.5])})):
        header, rows = ingest_module.csv_pieces(piece, [(0, 1)])
        writer.append(piece, (header, rows[0]))
    writer.close()
    assert (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines() == \
        ["report_id,flag,factor", "a,True,1.0", "b,True,666.5"]
    assert pd.read_parquet(tmp_path / "t.parquet")["flag"].tolist() == ["True", "True"]


def test_csv_rendered_once_is_cut_into_reports_at_record_ends_not_at_line_breaks_inside_quotes():
    import pyarrow as pa

    frame = pd.DataFrame({"report_id": ["a", "a", "b", "c"],
                          "text": ['一行\n两行', 'say "是"，\n"再"', "", '逗号,在内'], "n": [1, 2, 3, 4]})
    header, pieces = ingest_module.csv_pieces(pa.Table.from_pandas(frame, preserve_index=False),
                                              [(0, 2), (2, 3), (3, 4)])
    assert (header + b"".join(pieces)).decode("utf-8") == _csv(frame)
    assert [p.decode("utf-8").count("\n") for p in pieces] == [4, 1, 1]
    assert pieces[1] == b"b,,3\n"


def test_ingest_with_corrections_writes_them_as_a_corpus_in_memory_has_them(tmp_path):
    expected = corpus_tables(tk.load_corpus(REPORTS, manifest=MANIFEST))
    target = expected["targets"].iloc[0]
    problem = expected["problems"].iloc[0]
    fixes = tmp_path / "corrections.csv"
    fixes.write_text("report_id,start,end,field,value,note\n"
                     f"{target.report_id},{target.start},{target.end},strength,binding,checked\n"
                     f"{problem.report_id},{problem.start},{problem.end},category,land,checked\n", encoding="utf-8")
    ingest(REPORTS, tmp_path / "out", workers=1, manifest=MANIFEST, corrections=fixes)
    expected = corpus_tables(tk.load_corpus(REPORTS, manifest=MANIFEST, corrections=fixes))
    for name in TABLE_NAMES:
        assert (tmp_path / "out" / f"{name}.csv").read_text(encoding="utf-8-sig") == _csv(expected[name]), name
    assert expected["targets"]["corrected"].iloc[0] == "strength"


def test_targets_made_for_target_clauses_alone_equal_those_taken_from_the_whole_clause_table(corpus):
    from toolkit.clauses import CLAUSE_COLUMNS, clauses_where

    alone = tk.targets(tk.Corpus(corpus.reports_list, config=corpus.config))  # no clause table made
    fresh = tk.Corpus(corpus.reports_list, config=corpus.config)
    assert len(tk.clause_table(fresh)) > len(alone) > 0
    pd.testing.assert_frame_equal(alone, tk.targets(fresh))  # taken from the table now held
    none = clauses_where(tk.Corpus(corpus.reports_list[:1], config=corpus.config), lambda c: False)
    whole = tk.clause_table(fresh)
    assert list(none.columns) == CLAUSE_COLUMNS and len(none) == 0
    assert dict(none.dtypes) == dict(whole.dtypes)  # an empty selection keeps the table's types


def test_only_patterns_that_depend_on_their_own_characters_are_searched_once_per_sentence():
    import re

    from toolkit.clauses import HORIZONS, context_free, sentence_sieve
    from toolkit.indicators import GROWTH

    assert all(context_free(p) for p in (*HORIZONS, GROWTH))
    assert not context_free(re.compile(r"已经?(?!于)")) and not context_free(re.compile(r"^\s*以上"))
    assert not context_free(re.compile(r"超\s*$")) and not context_free(re.compile(r"(?<=增)长"))
    assert context_free(re.compile(r"\$\d+")) and context_free(re.compile(r"增长|[^，]{0,3}目标"))
    # a pattern with context is never ruled out by a search of the whole sentence
    assert sentence_sieve(re.compile(r"完成(?!任务)"))("完成任务，") and not sentence_sieve(HORIZONS[1])("全年增长，")


@pytest.mark.skipif(os.name == "nt", reason="leftovers are recognised by their process id on POSIX only")
def test_what_a_killed_ingest_left_behind_is_removed_by_the_next_one_and_a_running_ones_files_kept(tmp_path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()  # the id of a process that has ended
    out = tmp_path / "out"
    out.mkdir()
    dead = [tmp_path / f".out-parktk-{gone}-x1y2", out / f".terms.csv.{gone}.tmp", out / f".extracted.{gone}.tmp"]
    running = os.getppid()  # another ingest, still running
    alive = [tmp_path / f".out-parktk-{running}-a1b2", out / f".terms.parquet.{running}.tmp"]
    mine = [out / "notes.tmp", tmp_path / "out-parktk-notes"]  # not named as ours: never touched
    for path in dead + alive + mine:
        if path.suffix == ".tmp" and "extracted" not in path.name or path.name == "out-parktk-notes":
            path.write_text("x", encoding="utf-8")
        else:
            path.mkdir()
            (path / "part").write_text("x", encoding="utf-8")
    ingest(_copy_seeds(tmp_path, 1), out, workers=1)
    assert not any(p.exists() for p in dead)
    assert all(p.exists() for p in alive + mine)


def test_a_table_whose_first_reports_have_no_rows_takes_its_types_from_the_first_rows_that_come(tmp_path):
    import pyarrow as pa

    writer = ingest_module.TableWriter(tmp_path, "masks")
    empty = pa.table({"report_id": pa.array([], pa.null()), "start": pa.array([], pa.null())})
    writer.append(empty, ingest_module.csv_pieces(empty, [(0, 0)])[0:1] + (b"",))
    writer._flush()  # a row group's worth of reports without masks
    rows = pa.table({"report_id": ["b"], "start": pa.array([3], pa.int64())})
    writer.append(rows, (b"report_id,start\n", b"b,3\n"))
    writer.close()
    assert pd.read_parquet(tmp_path / "masks.parquet")["start"].tolist() == [3]
    assert pq.read_schema(tmp_path / "masks.parquet").field("start").type == pa.int64()
    assert (tmp_path / "masks.csv").read_text(encoding="utf-8-sig") == "report_id,start\nb,3\n"
    none = ingest_module.TableWriter(tmp_path, "none")  # no rows at all: an empty file with its columns
    none.append(empty, (b"report_id,start\n", b""))
    none.close()
    assert list(pd.read_parquet(tmp_path / "none.parquet").columns) == ["report_id", "start"]


def test_targets_of_an_empty_corpus_whose_clause_table_is_held_are_empty():
    empty = tk.Corpus([])
    assert len(tk.clause_table(empty)) == 0
    assert len(tk.targets(empty)) == 0


@pytest.mark.skipif(os.name == "nt", reason="leftovers are recognised by their process id on POSIX only")
def test_leftovers_named_with_this_process_id_or_no_process_id_at_all(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    own = out / f".terms.csv.{os.getpid()}.tmp"  # a killed run that had the id this process has now
    huge = out / ".terms.csv.99999999999999999999.tmp"  # no process id: left alone, and no crash
    own.write_text("x", encoding="utf-8")
    huge.write_text("x", encoding="utf-8")
    ingest_module.remove_leftovers(out)
    assert not own.exists() and huge.exists()


def test_a_step_running_in_another_thread_shares_no_rule_stamps_with_this_one():
    import threading

    from toolkit import resources

    inside, release, seen = threading.Event(), threading.Event(), []

    @resources.rules_held
    def step():
        seen.append(resources._held.get())
        inside.set()
        release.wait(5)

    thread = threading.Thread(target=step)
    thread.start()
    inside.wait(5)
    assert seen[0] is not None and resources._held.get() is None  # the other thread's step is its own
    release.set()
    thread.join()


def test_a_reports_tables_are_kept_compressed_and_come_back_whole():
    value = ({"terms": (b"\xff" * 5000, b"report_id,term\n", "甲,乙\n".encode() * 500)}, "原文")
    packed = ingest_module.pack(value)
    assert ingest_module.unpack(packed) == value
    assert packed[0] is None or len(packed[2]) < packed[1] / 4  # zstd where pyarrow has it
    plain = ingest_module.pack(value, None)  # a run's spool: not compressed
    assert plain[0] is None and ingest_module.unpack(plain) == value


# ------------------------------------------------------------------------------------------------------
# Rerunning ingest into the same folder: unchanged reports' rows are copied, not made again
# ------------------------------------------------------------------------------------------------------
def _tabulated(monkeypatch) -> list[str]:
    """The files that ingests made tables for (not copied from a previous output)."""
    made: list[str] = []
    original = ingest_module._tables_job

    def spy(batch):
        made.extend(Path(job.path).name for job in batch)
        return original(batch)

    monkeypatch.setattr(ingest_module, "_tables_job", spy)
    return made


def _same_files(one: Path, other: Path) -> None:
    for name in (*TABLE_NAMES, "load_errors"):  # byte for byte (the Parquet schema as written, too)
        assert (one / f"{name}.csv").read_bytes() == (other / f"{name}.csv").read_bytes(), name
        assert (one / f"{name}.parquet").read_bytes() == (other / f"{name}.parquet").read_bytes(), name


def test_a_rerun_into_the_same_folder_makes_only_new_and_changed_reports_and_writes_the_same_files(
        tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_module, "ROWS_PER_GROUP", 30)  # rows copied across many row groups
    folder, out = _copy_seeds(tmp_path, 4), tmp_path / "out"
    ingest(folder, out, workers=1)
    made = _tabulated(monkeypatch)
    names = sorted(p.name for p in folder.iterdir())
    added = folder / (names[1][:-4] + "-added.txt")  # sorts between two reports already written
    added.write_text("某某经济开发区2024年工作总结\n一、主要成效\n全年实现工业总产值Ⓧ亿元，同比增长8%。\n"
                     "二、存在问题\n用地指标紧张，招工难问题突出。\n三、下一步工作\n力争新增规上企业10家。\n",
                     encoding="utf-8")
    edited = folder / names[2]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n确保全年固定资产投资增长10%以上。\n", encoding="utf-8")
    (folder / names[3]).unlink()
    summary = ingest(folder, out, workers=1)
    assert sorted(made) == sorted([added.name, edited.name]) and summary.n_reports == 4
    ingest(folder, tmp_path / "afresh", workers=1)
    _same_files(out, tmp_path / "afresh")
    made.clear()
    ingest(folder, out, workers=1)  # nothing changed: nothing made, the same files again
    assert made == []
    _same_files(out, tmp_path / "afresh")


def _joins(monkeypatch) -> list[tuple[str, int]]:
    """The Parquet files ingests joined from a previous file's kept row groups: (file, groups kept)."""
    from toolkit import parquetsplice

    joined: list[tuple[str, int]] = []
    original = parquetsplice.splice

    def spy(previous, footer, kept, *rest):
        joined.append((Path(previous).name, kept))
        return original(previous, footer, kept, *rest)

    monkeypatch.setattr(parquetsplice, "splice", spy)
    return joined


def test_a_report_added_after_the_others_keeps_their_row_groups_as_they_were(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_module, "ROWS_PER_GROUP", 30)  # many row groups, most of them kept
    folder, out = _copy_seeds(tmp_path, 3), tmp_path / "out"
    ingest(folder, out, workers=1)
    joined = _joins(monkeypatch)
    (folder / "zz-2025-added.txt").write_text(  # sorts after every report there
        "某某高新区2025年工作总结\n一、主要成效\n全年完成固定资产投资Ⓧ亿元，同比增长12%。\n"
        "二、存在问题\n土地资源紧缺，高端人才引进难。\n三、2026年工作思路\n确保新增规上企业15家。\n", encoding="utf-8")
    ingest(folder, out, workers=1)
    assert {name for name, kept in joined} >= {"sentences.parquet", "terms.parquet"}
    assert all(kept >= 1 for _, kept in joined)
    ingest(folder, tmp_path / "afresh", workers=1)
    _same_files(out, tmp_path / "afresh")  # byte for byte


def test_kept_row_groups_are_encoded_again_when_the_new_groups_are_of_another_layout(tmp_path, monkeypatch):
    from toolkit import parquetsplice

    monkeypatch.setattr(ingest_module, "ROWS_PER_GROUP", 5)
    folder, out = _copy_seeds(tmp_path, 3), tmp_path / "out"
    ingest(folder, out, workers=1)
    shutil.copy(sorted(REPORTS.glob("*.txt"))[3], folder / "zz-added.txt")
    joined, encoded = _joins(monkeypatch), []
    monkeypatch.setattr(parquetsplice, "same_layout", lambda one, other: False)  # as if Arrow had changed
    original = ingest_module.TableWriter._join_kept
    monkeypatch.setattr(ingest_module.TableWriter, "_join_kept", lambda self: encoded.append(self.name) or original(self))
    ingest(folder, out, workers=1)
    assert joined == [] and {"problems", "sentences", "terms"} <= set(encoded)  # (problems: a dictionary column)
    assert not list(out.glob(".*.tmp"))
    ingest(folder, tmp_path / "afresh", workers=1)
    _same_files(out, tmp_path / "afresh")


def test_a_table_changed_after_the_ingest_makes_the_next_one_read_every_report(tmp_path, monkeypatch):
    folder, out = _copy_seeds(tmp_path, 2), tmp_path / "out"
    ingest(folder, out, workers=1)
    with open(out / "targets.csv", "a", encoding="utf-8") as handle:  # a user's edit
        handle.write("a row added by hand\n")
    made = _tabulated(monkeypatch)
    ingest(folder, out, workers=1)
    assert sorted(made) == sorted(p.name for p in folder.iterdir())
    ingest(folder, tmp_path / "afresh", workers=1)
    _same_files(out, tmp_path / "afresh")


@pytest.mark.parametrize("damage", ["not json", '{"format": 1}', '{"format": 1, "tables": [], "files": {}}', ""])
def test_an_index_that_cannot_be_used_is_passed_over(tmp_path, monkeypatch, damage):
    folder, out = _copy_seeds(tmp_path, 2), tmp_path / "out"
    ingest(folder, out, workers=1)
    (out / ".ingest-index.json").write_text(damage, encoding="utf-8")
    made = _tabulated(monkeypatch)
    ingest(folder, out, workers=1)
    assert len(made) == 2
    assert json.loads((out / ".ingest-index.json").read_text(encoding="utf-8"))["format"] == 1


def test_no_index_is_left_for_tables_without_parquet_or_with_corrections(tmp_path):
    folder, out = _copy_seeds(tmp_path, 1), tmp_path / "out"
    ingest(folder, out, workers=1)
    assert (out / ".ingest-index.json").is_file()
    ingest(folder, out, workers=1, parquet=False)
    assert not (out / ".ingest-index.json").exists()
    ingest(folder, out, workers=1)
    target = pd.read_csv(out / "targets.csv", encoding="utf-8-sig").iloc[0]
    fixes = tmp_path / "corrections.csv"
    fixes.write_text("report_id,start,end,field,value,note\n"
                     f"{target.report_id},{target.start},{target.end},strength,binding,checked\n", encoding="utf-8")
    ingest(folder, out, workers=1, corrections=fixes)
    assert pd.read_csv(out / "targets.csv", encoding="utf-8-sig")["corrected"].iloc[0] == "strength"
    assert not (out / ".ingest-index.json").exists()


def test_table_files_of_an_earlier_run_that_this_run_does_not_write_are_removed(tmp_path):
    folder, out = _copy_seeds(tmp_path, 1), tmp_path / "out"
    ingest(folder, out, workers=1, xlsx=True)
    assert (out / "targets.parquet").is_file() and (out / "tables.xlsx").is_file()
    (out / "notes.parquet").write_text("a researcher's own file", encoding="utf-8")
    ingest(folder, out, workers=1, parquet=False)
    assert not list(out.glob("targets.parquet")) and not (out / "tables.xlsx").exists()
    assert not [p for p in out.glob("*.parquet") if p.name != "notes.parquet"]
    assert (out / "notes.parquet").read_text(encoding="utf-8") == "a researcher's own file"
    assert (out / "targets.csv").is_file()


def test_rows_read_back_from_a_previous_parquet_file_span_its_row_groups(tmp_path):
    import pyarrow as pa

    from toolkit.reuse import PreviousTable

    table = pa.table({"n": list(range(10))})
    pq.write_table(table, tmp_path / "t.parquet", row_group_size=3)
    previous = PreviousTable(tmp_path / "t.csv", tmp_path / "t.parquet", 3)
    assert previous.rows(2, 8).column("n").to_pylist() == [2, 3, 4, 5, 6, 7]
    assert previous.rows(0, 10).column("n").to_pylist() == list(range(10))
    assert previous.rows(9, 10).column("n").to_pylist() == [9]
    assert previous.rows(4, 4).num_rows == 0 and previous.rows(4, 4).schema.equals(table.schema)
    previous.close()


def test_new_reports_read_by_a_worker_while_the_others_are_copied_give_the_same_files(tmp_path, monkeypatch):
    folder, out = _copy_seeds(tmp_path, 3), tmp_path / "out"
    ingest(folder, out, workers=1)
    added = sorted(REPORTS.glob("*.txt"))[3]
    shutil.copy(added, folder / added.name)
    monkeypatch.setattr(ingest_module, "PARALLEL_BYTES", 0)  # copying is long enough to start a worker for one
    started = []
    original = ingest_module.start_jobs
    monkeypatch.setattr(ingest_module, "start_jobs", lambda *a, **k: started.append(k["background"]) or original(*a, **k))
    ingest(folder, out)  # (workers chosen by the toolkit: a worker given by the caller is kept to)
    assert started == [True]
    ingest(folder, tmp_path / "afresh", workers=1)
    _same_files(out, tmp_path / "afresh")


def test_a_rerun_copies_the_same_bytes_where_the_kernel_cannot_copy_them(tmp_path, monkeypatch):
    folder, out = _copy_seeds(tmp_path, 3), tmp_path / "out"
    ingest(folder, out, workers=1)
    before = {name: (out / f"{name}.csv").read_bytes() for name in TABLE_NAMES}
    monkeypatch.delattr(os, "copy_file_range", raising=False)  # as on macOS and Windows
    ingest(folder, out, workers=1)
    assert {name: (out / f"{name}.csv").read_bytes() for name in TABLE_NAMES} == before


# ------------------------------------------------------------------------------------------------------
# A huge report: its clauses and problems read in two parts at once
# ------------------------------------------------------------------------------------------------------
def test_a_huge_reports_clauses_and_problems_read_in_two_parts_are_those_of_one_reading(corpus, monkeypatch):
    from toolkit.clauses import report_clauses
    from toolkit.difficulties import report_problems

    config = tk.Config()
    for report in corpus:
        whole = tk.load_corpus([report.path], workers=1, analyse=False).reports_list[0]
        split = tk.load_corpus([report.path], workers=1, analyse=False).reports_list[0]
        monkeypatch.setattr(analysis, "SPLIT_CHARS", 10**12)
        expected = (report_clauses(whole, config), report_problems(whole, config))
        monkeypatch.setattr(analysis, "SPLIT_CHARS", 1000)
        if sys.platform.startswith("linux") and parallel.available_cores() > 1:
            assert analysis.read_in_parts(split, config), report.report_id
        assert (report_clauses(split, config), report_problems(split, config)) == expected, report.report_id


def test_the_parts_of_a_report_begin_on_lines_of_their_own(corpus, tmp_path):
    from toolkit.clauses import line_start

    for report in corpus:
        sentences, text = report.sentences, report.text
        for share in (1 / 3, 0.6, 2 / 3):
            at = line_start(report, share)
            assert at is not None and sentences[at].start >= len(text) * share
            assert "\n" in text[sentences[at - 1].end:sentences[at].start]  # on a line of its own
            assert not any(sentences[i].start >= len(text) * share  # and the first such sentence
                           and "\n" in text[sentences[i - 1].end:sentences[i].start] for i in range(1, at))
    one_line = tmp_path / "one-line.txt"
    one_line.write_text("某园区工作总结。" + "力争新增企业10家；确保投资增长8%。" * 20, encoding="utf-8")
    with pytest.warns(tk.ReportWarning, match="no recognisable headings"):
        report = tk.load_corpus([one_line], workers=1, analyse=False).reports_list[0]
    assert line_start(report, 0.5) is None


def test_a_huge_report_read_in_parts_gives_the_same_files(tmp_path, monkeypatch):
    ingest(REPORTS, tmp_path / "one", workers=1, manifest=MANIFEST)
    monkeypatch.setattr(analysis, "SPLIT_CHARS", 1000)
    ingest(REPORTS, tmp_path / "parts", workers=1, manifest=MANIFEST)
    _same_files(tmp_path / "one", tmp_path / "parts")


def test_a_rerun_writes_the_column_types_of_a_run_into_an_empty_folder_whichever_reports_come_first(
        tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_module, "ROWS_PER_GROUP", 30)  # the first row group holds a report or two:
    monkeypatch.setattr(ingest_module, "PIECES_PER_GROUP", 2)  # a column may be empty in it
    folder, out = _copy_seeds(tmp_path), tmp_path / "out"
    ingest(folder, out, workers=1)
    for report in sorted(folder.iterdir())[:2]:  # other reports come first now
        report.unlink()
        ingest(folder, out, workers=1)
        afresh = tmp_path / f"afresh-{report.stem}"
        ingest(folder, afresh, workers=1)
        _same_files(out, afresh)


def test_extracted_texts_are_those_of_the_reports_of_the_run(tmp_path):
    from toolkit import samples

    folder, out = _copy_seeds(tmp_path, 2), tmp_path / "out"
    texts = [p.read_text(encoding="utf-8-sig") for p in sorted(REPORTS.glob("*.txt"))[2:4]]
    samples.write_docx(texts[0], folder / "word.docx")
    samples.write_html(texts[1], folder / "page.html")
    first = ingest(folder, out, workers=1)
    assert sorted(p.name for p in (out / "extracted").iterdir()) == ["page.txt", "word.txt"]
    assert {out / "extracted" / "page.txt", out / "extracted" / "word.txt"} <= set(first.written)
    (folder / "page.html").unlink()  # a report gone: its text goes too; the Word text, copied, is written
    again = ingest(folder, out, workers=1)
    assert sorted(p.name for p in (out / "extracted").iterdir()) == ["word.txt"]
    assert out / "extracted" / "word.txt" in again.written and len(again.written) == len(first.written) - 1
    (folder / "word.docx").unlink()
    ingest(folder, out, workers=1)
    assert not (out / "extracted").exists()


def test_a_failed_rerun_leaves_no_worker_running_and_nothing_beside_the_output(tmp_path, monkeypatch):
    import multiprocessing

    folder, out = _copy_seeds(tmp_path, 3), tmp_path / "out"
    ingest(folder, out, workers=1)
    (folder / "0000-empty.txt").write_bytes(b"")
    for i in range(3):
        (folder / f"zz-new-{i}.txt").write_text((REPORTS / "2021-devzone.txt").read_text(encoding="utf-8")
                                               + f"\n补充{i}。\n", encoding="utf-8")
    monkeypatch.setattr(ingest_module, "PARALLEL_BYTES", 0)  # the new reports read by a worker meanwhile
    with pytest.raises(tk.ReportFileError):
        ingest(folder, out, strict=True)
    assert not multiprocessing.active_children()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "reports"]
