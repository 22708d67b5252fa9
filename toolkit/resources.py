"""Read the package's data files (lexicons, rules, dictionaries) or a user's file in the same format.

Every data file may open with ``#`` comment lines naming its purpose and source; they are skipped here,
so patterns inside the table can still contain ``#``.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from contextvars import ContextVar
from functools import lru_cache, wraps
from importlib import resources
from pathlib import Path

import pandas as pd

from .errors import ConfigError

DATA_PACKAGE = "toolkit.data"


@lru_cache(maxsize=256)
def data_path(name: str) -> Path:
    """Path of a data file shipped inside the package (``toolkit/data/NAME``)."""
    return Path(str(resources.files(DATA_PACKAGE).joinpath(name)))


def atomic_write(path: str | Path, write) -> None:
    """Write a file whole or not at all: ``write(temporary_path)`` writes a temporary file beside ``path``,
    which is then moved into place; on any failure the temporary file is removed and ``path`` is untouched."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def rule_file_cache(maxsize: int = 16):
    """Like ``functools.lru_cache`` for a function of rule files (package data names or a user's paths): the
    result is also keyed by each file's modification time and size, so a file edited in a running session
    (a notebook) is read again, never answered from the cache with its old contents. Arguments that are not
    files (``"rjieba"``) are keyed by value only."""
    def decorate(function):
        import inspect

        parameters = list(inspect.signature(function).parameters.values())
        defaults = tuple(p.default for p in parameters)

        @lru_cache(maxsize=maxsize)
        def cached(stamps, args):
            return function(*args)

        @wraps(function)
        def wrapper(*args, **kwargs):
            if kwargs:
                args = tuple(kwargs.get(p.name, args[i] if i < len(args) else p.default)
                             for i, p in enumerate(parameters))
            elif len(args) < len(parameters):
                args = args + defaults[len(args):]
            # inside one step: the answer of the step's first call (looked up here, not through held(): a
            # step asks tens of thousands of times, once or more per clause)
            known, key = _held.get(), (cached, args)
            if known is not None and key in known:
                return known[key]
            return held(key, lambda: cached(tuple(_stamp(a) for a in args), args))

        wrapper.cache_clear = cached.cache_clear
        return wrapper
    return decorate


def _stamp(value):
    """(modification time, size) of the rule file ``value`` names, or None when it names no file; taken once
    per file inside :func:`rules_held`."""
    if not isinstance(value, (str, Path)):
        return None
    return held(value, lambda: _file_stamp(value))


def _file_stamp(value):
    try:
        stat = os.stat(_resolved(str(value)))
    except (OSError, ValueError):
        return None
    return stat.st_mtime_ns, stat.st_size


#: The rule-file stamps and answers of the step running under :func:`rules_held` (a dict while it runs; one
#: per thread or task, so steps running side by side never share one).
_held: ContextVar[dict | None] = ContextVar("rules_held", default=None)


def rules_held(function):
    """Run ``function`` with each rule file's stamp taken once: a step that looks its rules up clause by clause
    (a report's clauses, thousands of times) asks the file system once per file, not once per lookup. A rule
    file is never edited in the middle of one step; the next call looks again."""
    @wraps(function)
    def wrapper(*args, **kwargs):
        if _held.get() is not None:  # inside another held step
            return function(*args, **kwargs)
        token = _held.set({})
        try:
            return function(*args, **kwargs)
        finally:
            _held.reset(token)
    return wrapper


def held(key, compute):
    """``compute()``, taken once per ``key`` inside :func:`rules_held` (a step asks again and again for an answer
    that depends on rule files alone: a fingerprint of them), and every time outside it."""
    known = _held.get()
    if known is None:
        return compute()
    if key not in known:
        known[key] = compute()
    return known[key]


@lru_cache(maxsize=256)
def _resolved(source: str) -> str:
    """:func:`source_path`, remembered: this runs for every lookup of a rule (several per clause), and a
    package name resolves to the same file all session long."""
    return str(source_path(source))


def source_path(source: str | Path) -> Path:
    """A rule file given as a package data name (``themes.csv``) or a user's path, as a path."""
    path = Path(source)
    if not path.is_absolute() and not path.exists():
        path = data_path(str(source))
    return path


def _read_text(source: str | Path) -> tuple[str, str]:
    path = source_path(source)
    try:
        return path.read_text(encoding="utf-8-sig"), str(path)
    except FileNotFoundError:
        raise ConfigError(f"{path}: data file not found") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: data file is not UTF-8 text") from None


HEADER_KEYS = ("name", "codes", "version", "reference")


def rule_file_header(source: str | Path) -> dict[str, str]:
    """The self-description a rule file opens with: ``# name: …``, ``# codes: …``, ``# version: …``,
    ``# reference: …`` (a key's text may continue on following ``#`` lines indented by two spaces)."""
    text, _ = _read_text(source)
    header: dict[str, str] = {key: "" for key in HEADER_KEYS}
    current = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        key, _, value = body.partition(":")
        if key.strip() in HEADER_KEYS and value:
            current = key.strip()
            header[current] = value.strip()
        elif current and line.startswith("#   "):
            header[current] += " " + body
        else:
            current = None
    return header


def strip_comments(text: str) -> str:
    """Drop leading/whole ``#`` comment lines and blank lines."""
    return "\n".join(line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))


@rule_file_cache(maxsize=64)
def _read_table_cached(source: str, required: tuple[str, ...]) -> pd.DataFrame:
    text, where = _read_text(source)
    rows = list(csv.DictReader(io.StringIO(strip_comments(text))))
    if not rows:
        raise ConfigError(f"{where}: table has no rows")
    for number, row in enumerate(rows, start=2):
        if None in row:
            raise ConfigError(f"{where}: data row {number} has more fields than the header; "
                              "quote values that hold commas")
    missing = [c for c in required if c not in rows[0]]
    if missing:
        raise ConfigError(f"{where}: missing column(s) {', '.join(missing)}")
    frame = pd.DataFrame(rows).fillna("")
    for column in frame.columns:
        frame[column] = frame[column].astype(str).str.strip()
    return frame


def read_table(source: str | Path, required: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a comma-separated data table (package data name or a user's path) as strings."""
    return _read_table_cached(str(source), tuple(required)).copy()


def read_word_list(source: str | Path) -> list[str]:
    """Read a one-item-per-line list (user dictionary, stopwords); ``#`` lines are comments."""
    text, _ = _read_text(source)
    return [line.strip() for line in strip_comments(text).splitlines() if line.strip()]
