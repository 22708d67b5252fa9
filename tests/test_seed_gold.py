"""The parser reproduces the hand reading of the five seed reports (tests/fixtures/seed_gold.json)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import toolkit as tk
from toolkit.cleaning import normalize

from .conftest import GOLD_PATH, REPORTS, ROOT, seed_ids

GOLD = {k: v for k, v in json.loads(GOLD_PATH.read_text(encoding="utf-8")).items() if not k.startswith("_")}
IDS = seed_ids()


def squash(title: str) -> str:
    return re.sub(r"\s", "", normalize(title))


def test_every_gold_seed_is_in_the_manifest():
    assert set(GOLD) <= set(IDS)


def test_fixture_seeds_and_gold_are_byte_identical_to_the_shared_ones():
    shared = ROOT.parent / "shared"
    if not (shared / "seeds").is_dir():
        pytest.skip("shared/seeds not beside the project")
    for key, report_id in IDS.items():
        assert (REPORTS / f"{report_id}.txt").read_bytes() == (shared / "seeds" / key).read_bytes()
    assert GOLD_PATH.read_bytes() == (shared / "fixtures" / "seed_gold.json").read_bytes()


@pytest.mark.parametrize("key", sorted(GOLD))
def test_headings_match_gold_in_order(corpus, key):
    sections = corpus.sections
    mine = sections[(sections["report_id"] == IDS[key]) & sections["level"].between(1, 3)]
    found = [(int(s.level), s.number, squash(s.title), s.role, None if pd.isna(s.year) else int(s.year))
             for s in mine.itertuples()]
    expected = [(h["level"], h["number"], squash(h["title"]), h["role"], h["year"]) for h in GOLD[key]["headings"]]
    assert found == expected


@pytest.mark.parametrize("key", sorted(GOLD))
@pytest.mark.parametrize("field", ["park_type", "report_year", "plan_year", "period", "kind"])
def test_metadata_inferred_without_manifest_matches_gold(key, field):
    report = tk.parse_report(REPORTS / f"{IDS[key]}.txt")  # no manifest: inference alone
    assert report.inferred[field] == GOLD[key][field]


@pytest.mark.parametrize("key", sorted(GOLD))
def test_boilerplate_is_removed_and_reported(corpus, key):
    report = corpus[IDS[key]]
    removed = " ".join(r.text for r in report.clean.removals)
    for phrase in GOLD[key]["boilerplate"]:
        assert phrase in report.original
        assert phrase not in report.text
        assert phrase in removed


def test_report_body_survives_boilerplate_removal(corpus):
    text = corpus[IDS["003_3a69d44367748af4.txt"]].text
    assert text.startswith("今年以来，开发区坚持以高质量发展为引领")
    assert text.rstrip().endswith("并按要求开展入海污染源治理专项行动。")
    assert "答复解决问题 Ⓧ项" in text  # only the inline prompt went, the sentence around it stayed
