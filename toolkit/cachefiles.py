"""The per-report cache's upkeep (``ingest --cache DIR``, ``cache_dir=``): a run marks the entries it uses,
and afterwards the folder is kept within a size by removing the entries used longest ago.

An entry is one report's files, named by its key (:func:`toolkit.corpus.cache_key`): ``KEY.pickle`` (the
report read and analysed) and ``KEY.tables.pickle`` (its tables, made by ``ingest``). A key includes every
rule file and the toolkit's code, so an edited lexicon or a new version of the toolkit starts a new set of
entries, and the old set is used again only if the edit is undone. Without upkeep a cache of 10,000 reports
would grow by about 3 GB at each such change.

A file's modification time is its last use: a run sets it on each entry it reads or copies (writing an entry
sets it too). After the run, when the folder holds more than its limit, the entries not used since an hour
before the run began are removed, least recently used first, until it fits. The run's own entries are never
removed (a limit smaller than one corpus keeps just that corpus), nor those another run sharing the folder may
be using (it would have marked them within the hour). Files not named like an entry are never touched, except
a killed run's temporary files (``.KEY….tmp``) older than a day.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

#: What a per-report cache may hold before its least recently used entries are removed (bytes): about
#: 13,000 reports' entries, a report of 6,000 characters taking about 0.3 MB.
CACHE_LIMIT = 4 * 2**30
#: A temporary file in the cache older than this (seconds) is a killed run's leftover.
STALE_SECONDS = 24 * 3600
#: Entries used this many seconds before a run began are kept as well: another run sharing the cache may
#: be using them (and file times and the clock may differ a little).
RECENT = 3600.0

ENTRY = re.compile(r"([0-9a-f]{32})(?:\.tables)?\.pickle")
TEMPORARY = re.compile(r"\.[0-9a-f]{32}(?:\.tables)?\.pickle\..*\.tmp")


def mark_used(*paths: str | Path) -> None:
    """Set each file's modification time to now (a cache entry just used); missing files are passed over."""
    for path in paths:
        try:
            os.utime(path)
        except OSError:
            pass


def entry_files(folder: str | Path, key: str) -> tuple[Path, Path]:
    """The two files of a key's entry in ``folder`` (either may be missing)."""
    return Path(folder) / f"{key}.pickle", Path(folder) / f"{key}.tables.pickle"


def prune(folder: str | Path, since: float, limit: int | None = CACHE_LIMIT) -> list[Path]:
    """Keep the cache ``folder`` within ``limit`` bytes (None: no limit): entries whose last use is
    :data:`RECENT` seconds or more before ``since`` (a run's start, :func:`time.time`) are removed, least
    recently used first, until the entries left fit. Returns the files removed."""
    if limit is None:
        return []
    now, removed = time.time(), []
    entries: dict[str, list[tuple[str, int, float]]] = {}
    try:
        listing = list(os.scandir(folder))
    except OSError:  # no cache folder (nothing was written): nothing to keep in bounds
        return []
    for item in listing:
        try:
            if not item.is_file(follow_symlinks=False):
                continue
            stat = item.stat(follow_symlinks=False)
        except OSError:
            continue
        found = ENTRY.fullmatch(item.name)
        if found:
            entries.setdefault(found.group(1), []).append((item.path, stat.st_size, stat.st_mtime))
        elif TEMPORARY.fullmatch(item.name) and now - stat.st_mtime > STALE_SECONDS:
            removed += _remove([(item.path, stat.st_size)])[1]
    total = sum(size for files in entries.values() for _, size, _ in files)
    if total <= limit:
        return removed
    last_use = {key: max(used for _, _, used in files) for key, files in entries.items()}
    unused = sorted((used, key) for key, used in last_use.items() if used < since - RECENT)
    for _, key in unused:
        if total <= limit:
            break
        freed, gone = _remove([(path, size) for path, size, _ in entries[key]])
        total -= freed
        removed += gone
    return removed


def _remove(files: list[tuple[str, int]]) -> tuple[int, list[Path]]:
    freed, gone = 0, []
    for path, size in files:
        try:
            os.unlink(path)
        except OSError:  # another run removed it, or it cannot be: left as it is
            continue
        freed += size
        gone.append(Path(path))
    return freed, gone
