"""Write tables for users: CSV as UTF-8 with BOM (so Excel shows Chinese) and Parquet, atomically.

Each file is written to a temporary name and moved into place, so a failure never leaves a half-written
table, and no file the corpus was read from is ever overwritten.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from .errors import OutputError


def _atomic_write(path: Path, write) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_tables(tables: Mapping[str, pd.DataFrame], out: str | Path, protected: Iterable[str | Path] = (),
                 parquet: bool = True) -> list[Path]:
    """Write each table as ``NAME.csv`` (utf-8-sig) and ``NAME.parquet`` into ``out``; return the paths."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder; choose another --out")
    out.mkdir(parents=True, exist_ok=True)
    protected_paths = {Path(p).resolve() for p in protected}
    targets = []
    for name in tables:
        for suffix in (".csv", ".parquet") if parquet else (".csv",):
            target = out / f"{name}{suffix}"
            if target.resolve() in protected_paths:
                raise OutputError(f"{target}: is an input of this run and would be overwritten; choose another --out")
            targets.append((name, suffix, target))
    written = []
    for name, suffix, target in targets:
        frame = tables[name]
        if suffix == ".csv":
            _atomic_write(target, lambda tmp, f=frame: f.to_csv(tmp, index=False, encoding="utf-8-sig"))
        else:
            _atomic_write(target, lambda tmp, f=frame: _for_parquet(f).to_parquet(tmp, index=False))
        written.append(target)
    return written


def write_texts(texts: Mapping[str, str], folder: str | Path, protected: Iterable[str | Path] = ()) -> list[Path]:
    """Write each text as ``folder/NAME.txt`` (UTF-8), atomically; return the paths."""
    if not texts:
        return []
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: exists and is not a folder; choose another --out")
    folder.mkdir(parents=True, exist_ok=True)
    protected_paths = {Path(p).resolve() for p in protected}
    written = []
    for name, text in texts.items():
        target = folder / f"{name}.txt"
        if target.resolve() in protected_paths:
            raise OutputError(f"{target}: is an input of this run and would be overwritten; choose another --out")
        _atomic_write(target, lambda tmp, t=text: Path(tmp).write_text(t, encoding="utf-8"))
        written.append(target)
    return written


def _for_parquet(frame: pd.DataFrame) -> pd.DataFrame:
    """Parquet needs one type per column: mixed object columns become strings."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object:
            values = frame[column].dropna()
            if not values.map(type).eq(str).all():
                frame[column] = frame[column].map(lambda v: None if v is None or v is pd.NA else str(v))
    return frame
