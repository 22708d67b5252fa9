"""The out-of-sample validation set (tests/fixtures/validation: 19 real openings and their hand reading) is
read by ``toolkit.validation`` in its own gold format, and the structure and metadata rules meet the goals."""

from __future__ import annotations

import copy
import warnings
from pathlib import Path

import pytest

import toolkit as tk
from toolkit import validation

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "validation"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "validation"


@pytest.fixture(scope="module")
def val_corpus() -> tk.Corpus:
    with warnings.catch_warnings():  # openings without headings are loaded as one section, with a warning
        warnings.simplefilter("ignore", tk.ReportWarning)
        return tk.load_corpus(FIXTURES / "reports")


@pytest.fixture(scope="module")
def val_gold() -> dict:
    return validation.read_gold(FIXTURES / "gold.json")


@pytest.fixture(scope="module")
def tables(val_corpus, val_gold) -> dict:
    return validation.agreement(val_corpus, val_gold, tk.targets(val_corpus), tk.results(val_corpus))


def test_fixtures_are_byte_identical_to_the_shared_validation_set():
    if not SHARED.is_dir():
        pytest.skip("shared/validation not beside the project")
    assert (FIXTURES / "gold.json").read_bytes() == (SHARED / "gold.json").read_bytes()
    shared = sorted(p.name for p in (SHARED / "reports").iterdir())
    assert shared == sorted(p.name for p in (FIXTURES / "reports").iterdir())
    for name in shared:
        assert (FIXTURES / "reports" / name).read_bytes() == (SHARED / "reports" / name).read_bytes()


def test_every_report_is_linked_to_its_gold_by_file_name(val_corpus, val_gold):
    assert validation.gold_format(val_gold) == "validation"
    assert set(validation.gold_report_ids(val_corpus, val_gold)) == set(val_gold)


def test_a_null_gold_field_is_not_judged(tables):
    metadata = tables["metadata"]
    assert (metadata["judged"] == metadata["gold"].notna()).all()
    assert metadata.loc[~metadata["judged"], "agrees"].isna().all()


def test_a_changed_title_or_role_shows_as_a_disagreement(val_corpus, val_gold):
    changed = copy.deepcopy(val_gold)
    key = next(k for k, v in changed.items() if v["headings"]["1"] and v["roles"])
    title = changed[key]["headings"]["1"][0]
    changed[key]["roles"][title] = "problem"
    roles = validation.role_agreement(val_corpus, changed)
    assert (~roles["agrees"]).sum() == 1
    changed[key]["headings"]["1"][0] = "完全不同的标题"
    headings = validation.heading_agreement(val_corpus, changed)
    assert (~headings["found"]).sum() == 1 and headings["extra"].sum() == 1


def test_a_result_taken_as_a_target_is_caught(val_corpus, val_gold, tables):
    targets = tk.targets(val_corpus)
    row = targets.iloc[0]
    changed = copy.deepcopy(val_gold)
    key = next(k for k, rid in validation.gold_report_ids(val_corpus, changed).items() if rid == row.report_id)
    changed[key]["not_targets"].append(row.clause)
    avoided = validation.not_target_agreement(targets, val_corpus, changed)
    assert (~avoided["avoided"]).sum() == (~tables["not_targets"]["avoided"]).sum() + 1


def test_summary_puts_seeds_and_validation_side_by_side(tables):
    table = validation.summary({"in-sample": tables, "out-of-sample": tables})
    assert list(table.columns) == ["measure", "in-sample", "out-of-sample", "goal"]
    assert {"headings found", "false headings", "roles (level 1)", "report year", "period", "kind", "park type",
            "targets right", "not_targets avoided", "indicators found"} <= set(table["measure"])


@pytest.mark.parametrize("measure", ["headings found", "roles (level 1)", "report year", "period", "kind",
                                     "park type"])
def test_structure_and_metadata_meet_the_goals_out_of_sample(tables, measure):
    value = validation.measures(tables)[measure]
    assert value["rate"] >= validation.GOALS[measure], value


def test_no_false_heading_out_of_sample(tables):
    assert validation.measures(tables)["false headings"]["agree"] == 0


def test_both_gold_formats_are_read_for_an_invented_report(tmp_path):
    report = tmp_path / "park.txt"
    report.write_text("园区2023年工作总结\n一、2023年工作总结\n（一）招商引资\n园区完成投资5亿元。\n二、2024年工作思路\n将加快发展。\n",
                      encoding="utf-8")
    corpus = tk.load_corpus([report])
    seed_style = {"park.txt": {"report_year": 2023, "headings": [
        {"level": 1, "number": "一", "title": "2023年工作总结", "role": "review", "year": 2023},
        {"level": 1, "number": "二", "title": "2024年工作思路", "role": "problem", "year": 2024}]}}
    validation_style = {"park.txt": {"report_year": 2023, "period": None, "headings": {"1": ["2023年工作总结"],
                        "2": ["招商引资"]}, "roles": {"2023年工作总结": "review"}, "no_headings_like": ["园区完成"]}}
    assert validation.gold_format(seed_style) == "seed" and validation.gold_format(validation_style) == "validation"
    assert validation.role_agreement(corpus, seed_style)["agrees"].tolist() == [True, False]
    headings = validation.heading_agreement(corpus, validation_style)
    assert headings["found"].all() and headings["extra"].sum() == 1  # 二、 is not in this hand reading
    metadata = validation.metadata_agreement(corpus, validation_style)
    assert metadata.set_index("field").loc["period", "judged"] == False  # noqa: E712
