"""Comparison measures on a three-report toy corpus with hand-checked values, and the report profile."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import toolkit as tk
from toolkit import compare

from .conftest import REPORTS

A = "一、2022年工作总结\n园区招商引资签约项目*个，完成投资*亿元。\n二、2023年工作思路\n力争新开工项目*个以上。\n"
C = "一、回顾\n生态环保整治污水，安全生产检查企业。\n二、打算\n确保不发生环境事故。\n"


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("toy")
    (folder / "a.txt").write_text(A, encoding="utf-8")
    # the same sentences in another order: the same term vector (the same text twice would be loaded once)
    b = "一、2023年工作思路\n力争新开工项目*个以上。\n二、2022年工作总结\n园区招商引资签约项目*个，完成投资*亿元。\n"
    (folder / "b.txt").write_text(b, encoding="utf-8")
    (folder / "c.txt").write_text(C, encoding="utf-8")
    return tk.load_corpus(folder)


def test_similarity_is_one_for_identical_and_zero_for_disjoint_reports(toy):
    matrix = compare.similarity(toy)
    assert matrix.loc["a", "b"] == pytest.approx(1.0)
    assert matrix.loc["a", "c"] == pytest.approx(0.0)
    assert (matrix.values.diagonal() == pytest.approx(1.0))
    assert compare.similarity_order(matrix)[-1] == "c" or compare.similarity_order(matrix)[0] == "c"


def test_structure_counts_headings_and_role_shares(toy):
    table = compare.report_structure(toy)
    # a: review = heading (11 chars) + sentence (21) = 32; plan = heading (11) + sentence (12) = 23
    assert table.loc["a", "level_1"] == 2
    assert table.loc["a", "n_chars"] == 55
    assert table.loc["a", "share_review"] == pytest.approx(32 / 55)
    assert table.loc["a", "share_plan"] == pytest.approx(23 / 55)
    # c: review = 一、回顾 (4) + 生态环保整治污水，安全生产检查企业。 (18) = 22; plan = 二、打算 (4) + 确保不发生环境事故。 (10)
    assert table.loc["c", "share_review"] == pytest.approx(22 / 36)


def test_quantification_counts_figures_per_1000_characters(toy):
    table = compare.quantification(toy)
    assert table.loc["a", "figures"] == 3 and table.loc["a", "masked_figures"] == 3
    assert table.loc["a", "figures_per_1k"] == pytest.approx(3 / 55 * 1000)
    assert table.loc["c", "figures"] == 0 and table.loc["c", "share_masked"] == 0


def test_theme_profiles_normalise_by_length(toy):
    per_10k = compare.theme_profiles(toy)
    shares = compare.theme_profiles(toy, "share")
    # c (36 characters): 生态环保 and 污水 are two mentions of 生态环保 (they do not touch)
    assert per_10k.loc["c", "生态环保"] == pytest.approx(2 / 36 * 10_000)
    assert shares.loc["a"].sum() == pytest.approx(1.0)


def test_template_sentences_find_the_shared_sentence(toy):
    pairs = compare.template_sentences(toy)
    assert set(zip(pairs["report_a"], pairs["report_b"])) == {("a", "b")}
    assert pairs["similarity"].tolist() == pytest.approx([1.0] * len(pairs))
    assert "招商引资签约项目" in pairs.loc[0, "text_a"]


def test_template_sentences_ignore_masks_and_numbers(tmp_path):
    (tmp_path / "x.txt").write_text("一、总结\n全年完成固定资产投资*亿元，同比增长*%。\n", encoding="utf-8")
    (tmp_path / "y.txt").write_text("一、总结\n全年完成固定资产投资12亿元，同比增长5.6%。\n", encoding="utf-8")
    pairs = compare.template_sentences(tk.load_corpus(tmp_path))
    assert len(pairs) == 1 and pairs.loc[0, "similarity"] == pytest.approx(1.0)


def test_indicator_matrix_marks_targets_and_results(toy):
    matrix = compare.indicator_matrix(tk.targets(toy), tk.results(toy), report_ids=toy.report_ids)
    assert matrix.loc["新开工项目", "a"] == "T"
    assert matrix.loc["新引项目", "a"] == "R"
    assert matrix.loc["新开工项目", "c"] == ""


def test_group_means_count_reports_per_group(corpus):
    means = compare.group_means(compare.quantification(corpus), corpus.reports, "kind")
    assert means["n_reports"].sum() == len(corpus)
    assert means.loc["annual", "n_reports"] == 3


def test_profile_of_a_report_outside_data(tmp_path):
    path = tmp_path / "new.txt"
    path.write_bytes((REPORTS / "2022h1-hitech.txt").read_bytes())
    profile = tk.profile_report(path, reference=REPORTS)
    assert profile["reference"]["reports"] == 4  # the identical seed is not compared with itself
    assert profile["outline"][0]["title"] == "2022年上半年主要工作开展情况"
    assert {p["category"] for p in profile["problems"]} >= {"land", "labour"}
    assert "*" in next(p["quote"] for p in profile["problems"] if p["category"] == "land")
    assert profile["targets"]["total"] > 10 and profile["reference"]["most_similar"]["report_id"]


def test_profile_cli_prints_text_and_json_for_a_file_without_headings(tmp_path):
    path = tmp_path / "flat.txt"
    path.write_text("园区今年招商引资成效明显，但用地紧张问题突出。", encoding="utf-8")
    text = subprocess.run([sys.executable, "-m", "toolkit", "profile", str(path), "--data", str(REPORTS)],
                          capture_output=True, text=True)
    assert text.returncode == 0 and "no recognisable headings" in text.stderr
    assert "Problems named: 1 categories" in text.stdout and "land" in text.stdout
    as_json = subprocess.run([sys.executable, "-m", "toolkit", "profile", str(path), "--data", str(REPORTS),
                              "--json"], capture_output=True, text=True)
    data = json.loads(as_json.stdout)
    assert data["problems"][0]["category"] == "land" and data["reference"]["reports"] == 5
