"""Shared fixtures: the seed corpus (parsed once) and its hand reading."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import toolkit as tk

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "data" / "reports"
GOLD_PATH = ROOT / "data" / "annotations" / "seed_gold.json"


@pytest.fixture(scope="session")
def corpus() -> tk.Corpus:
    return tk.load_corpus(REPORTS)


@pytest.fixture(scope="session")
def gold() -> dict:
    return {k: v for k, v in json.loads(GOLD_PATH.read_text(encoding="utf-8")).items() if not k.startswith("_")}


def seed_ids() -> dict[str, str]:
    """Gold key (the seed's file name) → report_id, read from the manifest's source column."""
    mapping = {}
    with open(ROOT / "data" / "reports.csv", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            mapping[row["source"].split()[-1]] = row["report_id"]
    return mapping
