"""Shared fixtures: the seed corpus (parsed once) and its hand reading.

Tests read their own frozen copy of the five seeds, their manifest and gold in ``tests/fixtures/``, never
``data/``: what a user adds to, removes from or renames in ``data/`` cannot change or fail a test.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

import toolkit as tk

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPORTS = FIXTURES / "reports"            # byte-for-byte copies of the seeds
MANIFEST = FIXTURES / "reports.csv"       # their manifest (found beside the folder, as data/reports.csv is)
GOLD_PATH = FIXTURES / "seed_gold.json"   # the hand reading (data/annotations/ holds the book's copy)
SEED_SOURCE = re.compile(r"\bseed (\S+)$")  # a manifest source naming the seed file: "web copy, seed NAME"


@pytest.fixture(scope="session")
def corpus() -> tk.Corpus:
    return tk.load_corpus(REPORTS)


@pytest.fixture(scope="session")
def gold() -> dict:
    return {k: v for k, v in json.loads(GOLD_PATH.read_text(encoding="utf-8")).items() if not k.startswith("_")}


def seed_ids() -> dict[str, str]:
    """Gold key (the seed's file name) → report_id, read from the manifest's source column.

    Rows whose source names no seed are left out: a source the tests do not know is not an error.
    """
    mapping = {}
    with open(MANIFEST, encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            match = SEED_SOURCE.search(row.get("source") or "")
            if match:
                mapping[match.group(1)] = row["report_id"]
    return mapping


def make_seed_project(folder: Path) -> Path:
    """A throwaway project at ``folder`` whose ``data/`` holds the frozen seeds and manifest; returns it."""
    reports = folder / "data" / "reports"
    shutil.copytree(REPORTS, reports)
    shutil.copyfile(MANIFEST, folder / "data" / "reports.csv")
    return folder


@pytest.fixture
def seed_project(tmp_path, monkeypatch) -> Path:
    """Work inside a throwaway project made of the fixtures (cwd and ``PARKREPORTS_ROOT`` point at it)."""
    project = make_seed_project(tmp_path / "project")
    monkeypatch.chdir(project)
    monkeypatch.setenv("PARKREPORTS_ROOT", str(project))
    return project
