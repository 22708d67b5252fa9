"""The README's toolkit example runs as written (in a throwaway project made of the test fixtures)."""

from __future__ import annotations

import re

from .conftest import ROOT


def test_readme_python_example_runs(capsys, seed_project):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert blocks, "README has no python example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    assert "2022年工作思路" in capsys.readouterr().out


def test_readme_names_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make book" in readme and "make test" in readme
