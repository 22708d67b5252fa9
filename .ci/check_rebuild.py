#!/usr/bin/env python3
"""Check that the book follows the data: in a throwaway copy of the project (with its built book), add a report
to data/reports/, run `make book` (no `make clean`), and check that the introduction's report count and a table
in each analysis chapter changed; remove the report, rebuild, and check the book is back as it was. Also checks
that a second `make book` with nothing changed re-executes nothing.

Usage: python .ci/check_rebuild.py   (after `make book`; reuses this project's .venv, installs nothing)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / ".ci"))
from check_book_html import read_tables  # noqa: E402  (the same table reader as the HTML check)

CHAPTERS = ("themes", "targets", "problems", "compare")
SEED = "2023-wangchun-industrial.txt"  # copied under a new name, park and year, as a user's new report
NEW = "2024-ci-rebuild-check.txt"
COUNT = re.compile(r"holds\s+(\d+)\s+reports")
IGNORE = shutil.ignore_patterns(".venv", ".venv-*", ".git", "__pycache__", "*.egg-info", ".pytest_cache", "out")


class CheckFailed(Exception):
    pass


def make_book(project: Path, venv: Path) -> str:
    """`make book` in the copy with this project's environment; `-o` keeps make from reinstalling into it."""
    stamp = venv / ".installed-stamp"
    env = {k: v for k, v in os.environ.items() if k != "PARKREPORTS_ROOT"}
    result = subprocess.run(["make", "book", f"VENV={venv}", "-o", str(stamp)], cwd=project, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise CheckFailed(f"make book failed in {project}:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result.stdout + result.stderr


def snapshot(project: Path) -> dict:
    """The intro's report count and every chapter's tables (as text) from the built HTML."""
    html = project / "book" / "_build" / "html"
    intro = re.sub(r"<[^>]+>", "", (html / "intro.html").read_text(encoding="utf-8"))
    match = COUNT.search(intro)
    if not match:
        raise CheckFailed("intro.html no longer says 'The corpus holds N reports'; update COUNT in "
                          ".ci/check_rebuild.py to the intro's new wording")
    tables = {}
    for chapter in CHAPTERS:
        page = (html / f"{chapter}.html").read_text(encoding="utf-8")
        tables[chapter] = [[[cell.text for cell in row] for row in t.head + t.body] for t in read_tables(page)]
        if not tables[chapter]:
            raise CheckFailed(f"{chapter}.html has no table; this check needs one per chapter")
    return {"count": int(match.group(1)), "tables": tables}


def executed(log: str) -> list[str]:
    return [line for line in log.splitlines() if re.search(r"[Ee]xecuting|Executing notebook", line)]


def run(project: Path, venv: Path) -> None:
    reports = project / "data" / "reports"
    log = make_book(project, venv)          # bring the copied build up to date with the copy
    before = snapshot(project)
    log = make_book(project, venv)
    if executed(log) or "0 added, 0 changed, 0 removed" not in log:
        raise CheckFailed("`make book` with nothing changed re-read or re-executed chapters:\n" +
                          "\n".join(executed(log) or log.splitlines()[-20:]))
    print(f"check_rebuild: baseline {before['count']} reports; a rebuild with nothing changed re-executes nothing")

    text = (reports / SEED).read_text(encoding="utf-8")
    text = text.replace("2024", "2025").replace("2023", "2024").replace("望春", "试验")
    (reports / NEW).write_text(text, encoding="utf-8")
    make_book(project, venv)
    added = snapshot(project)
    if added["count"] != before["count"] + 1:
        raise CheckFailed(f"after adding data/reports/{NEW}, the intro says {added['count']} reports "
                          f"(expected {before['count'] + 1}): make book did not re-run the introduction")
    unchanged = [c for c in CHAPTERS if added["tables"][c] == before["tables"][c]]
    if unchanged:
        raise CheckFailed(f"after adding data/reports/{NEW}, no table changed in: {', '.join(unchanged)}")
    print(f"check_rebuild: after adding a report the intro counts {added['count']} and every chapter's tables changed")

    (reports / NEW).unlink()
    make_book(project, venv)
    removed = snapshot(project)
    if removed["count"] != before["count"]:
        raise CheckFailed(f"after removing data/reports/{NEW}, the intro says {removed['count']} reports "
                          f"(expected {before['count']})")
    differ = [c for c in CHAPTERS if removed["tables"][c] != before["tables"][c]]
    if differ:
        raise CheckFailed(f"after removing data/reports/{NEW}, the tables of {', '.join(differ)} differ from "
                          "before it was added")
    print(f"check_rebuild: after removing it the intro counts {removed['count']} and every table is as before")


def main() -> int:
    venv = Path(os.environ.get("VENV", ROOT / ".venv")).resolve()
    if not (venv / ".installed-stamp").is_file():
        print(f"check_rebuild: no set-up environment at {venv}; run make book first", file=sys.stderr)
        return 2
    if not (ROOT / "book" / "_build" / "html" / "intro.html").is_file():
        print("check_rebuild: the book is not built; run make book first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="parkreports-rebuild-") as scratch:
        project = Path(scratch) / "project"
        shutil.copytree(ROOT, project, ignore=IGNORE, symlinks=True)
        try:
            run(project, venv)
        except CheckFailed as failure:
            print(f"check_rebuild: FAILED: {failure}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
