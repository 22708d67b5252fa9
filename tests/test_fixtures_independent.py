"""The suite reads its own frozen fixtures: whatever a user puts into data/ cannot change or fail a test."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

from .conftest import FIXTURES, GOLD_PATH, MANIFEST, REPORTS, ROOT


def test_fixture_paths_lie_outside_the_projects_data_folder():
    for path in (REPORTS, MANIFEST, GOLD_PATH):
        assert path.is_relative_to(FIXTURES) and not path.is_relative_to(ROOT / "data"), path
    assert len(list(REPORTS.glob("*.txt"))) == 5 and MANIFEST.is_file() and GOLD_PATH.is_file()


def test_no_test_builds_a_path_into_the_projects_data_folder():
    into_data = re.compile(r"ROOT\s*/\s*[\"']data|[\"']data/(reports|annotations)")
    offenders = [f"{path.name}:{number}" for path in sorted((ROOT / "tests").glob("*.py"))
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if into_data.search(line) and path.name != "test_fixtures_independent.py"]
    assert offenders == []


def test_the_data_tests_pass_beside_a_data_folder_the_tests_do_not_know(tmp_path):
    """A copy of the suite, in a project whose data/ holds a renamed seed, an unmanifested report and a
    manifest row with a source the tests do not know, still passes (with ReportWarning raised as errors)."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "tests", project / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, project / name)
    reports = project / "data" / "reports"
    reports.mkdir(parents=True)
    shutil.copyfile(REPORTS / "2022-ecopark.txt", reports / "renamed-ecopark.txt")
    shutil.copyfile(REPORTS / "2022h1-hitech.txt", reports / "not-in-manifest.txt")
    (project / "data" / "reports.csv").write_text("report_id,file,source\nmine,renamed-ecopark.txt,my own copy\n",
                                                  encoding="utf-8")
    selected = ["tests/test_readme.py", "tests/test_seed_gold.py::test_every_gold_seed_is_in_the_manifest",
                "tests/test_corpus.py::test_seed_corpus_loads_without_any_warning",
                "tests/test_compare.py::test_profile_of_a_report_outside_data"]
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *selected],
                            cwd=project, capture_output=True, text=True,
                            env={**os.environ, "PARKREPORTS_ROOT": str(project)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "5 passed" in result.stdout
