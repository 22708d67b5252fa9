"""Where things live: the project root and its data, figures and output folders, resolved in one place.

The root is ``$PARKREPORTS_ROOT`` when set, else the nearest folder at or above the working directory that
holds ``data/reports`` (so chapters, executed from ``book/``, find the data without path tricks).
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root(start: str | Path | None = None) -> Path:
    env = os.environ.get("PARKREPORTS_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "reports").is_dir():
            return folder
    return here


def reports_dir() -> Path:
    return project_root() / "data" / "reports"


def annotations_dir() -> Path:
    return project_root() / "data" / "annotations"


def figures_dir() -> Path:
    folder = project_root() / "figures"
    folder.mkdir(exist_ok=True)
    return folder
