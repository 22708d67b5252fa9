"""The validation tables the methods chapter reports: they agree on the seeds and catch a changed reading."""

from __future__ import annotations

import copy

import pytest

import toolkit as tk
from toolkit import plotting, validation

from .conftest import GOLD_PATH
from .test_themes import _glyph_warnings


@pytest.fixture(scope="module")
def gold():
    return validation.read_gold(GOLD_PATH)


def test_every_seed_is_linked_to_its_report(corpus, gold):
    assert set(validation.gold_report_ids(corpus, gold)) == set(gold)


def test_seed_agreement_is_complete(corpus, gold):
    assert validation.heading_agreement(corpus, gold)[["found", "role_agrees", "year_agrees"]].all().all()
    assert validation.metadata_agreement(corpus, gold)["agrees"].all()
    assert validation.boilerplate_agreement(corpus, gold)["removed"].all()
    assert validation.target_agreement(tk.targets(corpus), corpus, gold)["all_agree"].all()
    hits = tk.problems(corpus)
    problems = validation.problem_agreement(hits, corpus, gold)
    assert not ((problems["gold"] == "neither") & (problems["problem_hits"] > 0)).any()
    # recall counts problem statements, as the problems chapter does; a must category is missed only where the
    # report says the difficulty was dealt with (基本消除高风险: an achievement), never silently
    missed = problems[(problems["gold"] == "must") & ~problems["detected"]]
    assert len(missed) <= 1
    for row in missed.itertuples():
        own = hits[(hits["report_id"] == row.report_id) & (hits["category"] == row.category)]
        assert (own["statement"] == "achievement").any()


def test_a_changed_heading_shows_as_not_found_and_extra(corpus, gold):
    changed = copy.deepcopy(gold)
    key = sorted(changed)[0]
    changed[key]["headings"][0]["title"] = "完全不同的标题"
    changed[key]["headings"][1]["role"] = "plan"
    table = validation.heading_agreement(corpus, changed)
    assert (~table["found"]).sum() == 1 and table["extra"].sum() == 1
    assert (table["found"] & ~table["role_agrees"] & ~table["extra"]).sum() == 1


def test_a_changed_reading_of_metadata_targets_and_problems_is_caught(corpus, gold):
    changed = copy.deepcopy(gold)
    key = sorted(changed)[0]
    changed[key]["report_year"] = 1999
    changed[key]["targets"][0]["strength"] = "expected"
    changed[key]["targets"].append({"contains": "这句话不在报告里", "strength": None, "floor": False,
                                    "quantitative": False})
    changed[key]["problems"]["must"]["talent"] = ["人才极度匮乏"]
    assert (~validation.metadata_agreement(corpus, changed)["agrees"]).sum() == 1
    targets = validation.target_agreement(tk.targets(corpus), corpus, changed)
    assert (~targets["extracted"]).sum() == 1 and (~targets["all_agree"]).sum() == 2
    problems = validation.problem_agreement(tk.problems(corpus), corpus, changed)
    report_id = validation.gold_report_ids(corpus, changed)[key]
    talent = problems[(problems["report_id"] == report_id) & (problems["category"] == "talent")]
    assert list(talent["gold"]) == ["must"] and not talent["detected"].any()


def test_comparison_figures_draw_chinese_without_missing_glyphs(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("PARKREPORTS_ROOT", str(tmp_path))
    matrix = tk.similarity(corpus)
    figures = [lambda: plotting.plot_heatmap(matrix, fmt="{:.2f}", order=tk.similarity_order(matrix)),
               lambda: plotting.plot_role_shares(tk.report_structure(corpus)),
               lambda: plotting.plot_strength_profile(tk.strength_profile(tk.targets(corpus)))]
    for draw in figures:
        assert _glyph_warnings(draw) == []
