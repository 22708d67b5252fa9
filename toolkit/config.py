"""Config: the nine rule files every reading of a report depends on, one field each, named after the file.

The boundary between data and code is drawn once, here: **vocabularies of the genre are data files**
(boilerplate, section roles, park types, themes, target markers, indicators, the problem taxonomy, the
segmentation dictionary and stopwords), each opening with a self-description — name, what it codes, version,
reference. **Grammatical cues** — how a sentence asserts, denies, reports or hedges (已, 截至, 为解决…, 未发生…)
— are commented constants in the module that uses them, because changing them changes how the toolkit reads
Chinese, not what it looks for.

A field holds a package file name (``"themes.csv"``, read from ``toolkit/data/``) or a path to a user's
file in the same format. A corpus carries its Config, and every analysis of that corpus reads its rules from
it, so one swapped file reaches every table::

    corpus = load_corpus("data/reports", config=Config(problem_taxonomy="my_taxonomy.csv"))

Cached results are keyed by :meth:`Config.fingerprint` of the files they used.

Beside the files, one option: ``segmenter``, the word segmenter behind every token count — ``"rjieba"``
(the default: the Rust port of jieba, about ten times faster, with the same dictionary) or ``"jieba"`` (the
reference implementation); see :mod:`toolkit.segmentation` for how far the two agree.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ._version import __version__
from .errors import ConfigError
from .resources import held, rule_file_header, source_path

#: Which rule files each stage reads; a cached result of a stage is keyed by these files' contents.
PARSE_RULES = ("boilerplate", "section_roles", "park_types")
CLAUSE_RULES = ("target_markers", "indicators")
RULE_FILES = ("boilerplate", "section_roles", "park_types", "themes", "target_markers", "indicators",
              "problem_taxonomy", "user_dict", "stopwords")
#: The word segmenters ``Config.segmenter`` may name.
SEGMENTERS = ("jieba", "rjieba")


@dataclass(frozen=True)
class Config:
    """The rule and lexicon files a corpus is read with (package data names or a user's paths)."""

    boilerplate: str = "boilerplate.csv"
    section_roles: str = "section_roles.csv"
    park_types: str = "park_types.csv"
    themes: str = "themes.csv"
    target_markers: str = "target_markers.csv"
    indicators: str = "indicators.csv"
    problem_taxonomy: str = "problem_taxonomy.csv"
    user_dict: str = "user_dict.txt"
    stopwords: str = "stopwords.txt"
    segmenter: str = "rjieba"  # not a file: the segmentation backend (one of SEGMENTERS)

    def __post_init__(self):
        for item in fields(self):  # a pathlib.Path is accepted and kept as text, so the Config stays hashable
            object.__setattr__(self, item.name, str(getattr(self, item.name)))
        if self.segmenter not in SEGMENTERS:
            raise ConfigError(f"segmenter '{self.segmenter}' unknown; choose one of {', '.join(SEGMENTERS)}")

    def updated(self, **files: str | Path | None) -> "Config":
        """This Config with the given fields replaced; a ``None`` keeps the field (``targets(markers=None)``)."""
        return replace(self, **{name: value for name, value in files.items() if value is not None})

    def path(self, name: str) -> Path:
        """Where the rule file of field ``name`` is read from."""
        path = source_path(getattr(self, name))
        if not path.is_file():
            raise ConfigError(f"{getattr(self, name)}: rule file for {name} not found; give a package file name "
                              f"(e.g. {getattr(Config, name)}) or the path of your own file")
        return path

    def fingerprint(self, names: tuple[str, ...] | None = None) -> str:
        """A short hash of the package version and the contents of the named rule files (default: all)."""
        names = RULE_FILES if names is None else names
        return held(("fingerprint", self, names), lambda: _fingerprint(
            __version__, tuple((name, str(self.path(name))) for name in names),
            tuple(_mtime(self.path(name)) for name in names)))

    def describe(self) -> pd.DataFrame:
        """One row per rule file: field, file, and the self-description its header gives
        (name, codes, version, reference)."""
        rows = []
        for name in RULE_FILES:
            header = rule_file_header(getattr(self, name))
            rows.append({"field": name, "file": getattr(self, name), **header})
        return pd.DataFrame(rows, columns=["field", "file", "name", "codes", "version", "reference"])


def _mtime(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=256)
def _fingerprint(version: str, files: tuple[tuple[str, str], ...], stamps: tuple) -> str:
    # ``stamps`` (mtime, size) only invalidate this memo when a file changes; the hash is of the contents.
    digest = hashlib.sha256(version.encode())
    for name, path in files:
        digest.update(name.encode() + b"\0" + Path(path).read_bytes() + b"\0")
    return digest.hexdigest()[:16]
