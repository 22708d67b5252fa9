"""Corpus: read report files and the manifest, parse each report, expose tidy tables.

Parsing one report is a pure function of its bytes, its manifest row and the configuration, so results
can be cached per report (``cache_dir``) and reports parsed in parallel (``workers``).

>>> corpus = load_corpus("data/reports")            # doctest: +SKIP
>>> corpus.sections.query("level == 1")[["report_id", "title", "role", "year"]]   # doctest: +SKIP
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import pickle
import re
import time
import warnings
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple, Sequence

import pandas as pd

from .cachefiles import CACHE_LIMIT, mark_used, prune
from .cleaning import CleanText, clean_text, normalize
from .errors import AnalysisError, ManifestError, MissingReportError, NoReportsError, ReportFileError, ReportWarning
from .config import Config
from .corrections import read_corrections
from .frames import frame
from .metadata import METADATA_FIELDS, infer_metadata
from .parallel import choose_workers, run_jobs
from .resources import atomic_write, rules_held
from .readers import (DEFAULT_MAX_BYTES, REPORT_SUFFIXES, check_size, decode_report, extract,  # noqa: F401
                      page_at, read_report_bytes, reader_fingerprint)
from .structure import Section, build_sections, evolve, resolve_years, split_sentences

MANIFEST_NAME = "reports.csv"
MANIFEST_COLUMNS = ("report_id", "file", "park", "park_type", "report_year", "plan_year", "period", "kind",
                    "source", "source_url", "accessed", "park_id", "park_level", "province", "sha256")
#: Manifest-only fields, copied into metadata and `reports`: where a report came from, and which park it is
#: (``park_id`` ties a park's reports of several years together; ``park_level`` 国家级/省级/…; ``province``).
PROVENANCE_FIELDS = ("source", "source_url", "accessed", "park_id", "park_level", "province")
#: A file larger than this is read with a warning naming its size and the time it will take; Chinese text
#: in UTF-8 takes about 3 bytes a character; parsing runs at about 0.4 M characters a second on one core
#: here, and every analysis (clauses, problems, themes, words, tables) at about 0.1 M (benchmarks/README.md).
HUGE_BYTES = 20 * 2**20
BYTES_PER_CHAR = 3
PARSE_RATE = 0.4e6
ANALYSIS_RATE = 0.1e6
#: The types of the boilerplate and masks tables' columns that are not text (an empty table keeps them too).
SPAN_TYPES = {"start": "int64", "end": "int64"}
#: Tables kept beside the reports (the manifest, provenance such as ``sources.csv``): never reports, never warned.
TABLE_SUFFIXES = (".csv",)


class ReportSentence(NamedTuple):
    """One sentence of a report; ``start``/``end`` are offsets into the cleaned text (``Report.text``)."""

    sentence_id: int
    section_id: int
    start: int
    end: int
    text: str
    is_heading: bool


class SentenceView(NamedTuple):
    """A sentence with what every analysis needs beside it: its report, section and section path."""

    report: "Report"
    sentence: ReportSentence
    section: Section
    path: str


@dataclass
class Report:
    """One parsed report: original and cleaned text, metadata, sections and sentences."""

    report_id: str
    path: str
    sha256: str
    encoding: str
    clean: CleanText
    metadata: dict
    inferred: dict
    sections: list[Section]
    sentences: list[ReportSentence]  # sentence_id is the position in this list
    warnings: list[str] = field(default_factory=list)
    format: str = "txt"  # txt | docx | pdf | html: ``original`` is the text extracted from the file
    page_starts: tuple[int, ...] = ()  # original offset where each PDF page starts
    dropped: tuple = ()  # readers.Dropped: page furniture, scripts, menus … left out of ``original``
    title_hint: str | None = None  # a web page's <title> or a Word document's title
    #: Per-report analyses (clauses, tokens, theme mentions, problem hits), each keyed by its name and the
    #: fingerprint of the rules it used: computed once, in a worker when there are workers, and kept in the
    #: per-report cache with the parse (see :func:`toolkit.analysis.analyse_report`).
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def original(self) -> str:
        return self.clean.original

    @property
    def text(self) -> str:
        """The cleaned text analyses read."""
        return self.clean.text

    @cached_property
    def section_index(self) -> dict[int, Section]:
        """Sections by id."""
        return {s.section_id: s for s in self.sections}

    @cached_property
    def paths(self) -> dict[int, str]:
        """Each section's path of heading numbers (``一 › （一） › 1``; the preamble is ``前言``)."""
        return {s.section_id: section_path(self.section_index, s.section_id) for s in self.sections}

    @cached_property
    def section_sizes(self) -> dict[int, int]:
        """Characters of each section's sentences, white space not counted (sections that have sentences): the
        one measure of size, of which the report's, a role's and :meth:`Corpus.sizes` are sums."""
        sizes: dict[int, int] = {}
        for sentence in self.sentences:
            sizes[sentence.section_id] = sizes.get(sentence.section_id, 0) + sentence_size(sentence.text)
        return sizes

    @cached_property
    def role_sizes(self) -> dict[str, int]:
        """:attr:`section_sizes` summed by section role, roles in alphabetical order."""
        sizes: dict[str, int] = {}
        for section_id, size in self.section_sizes.items():
            role = self.section_index[section_id].role
            sizes[role] = sizes.get(role, 0) + size
        return dict(sorted(sizes.items()))

    @cached_property
    def size(self) -> int:
        """The report's size: characters of its sentences, white space not counted (see :meth:`Corpus.sizes`)."""
        return sum(self.section_sizes.values())


# Reading files: see toolkit/readers.py (read_report_bytes, decode_report and extract are re-exported here).

# ------------------------------------------------------------------------------------------------------
# Parsing one report (pure)
# ------------------------------------------------------------------------------------------------------
@rules_held
def parse_report(path: str | Path, report_id: str | None = None, overrides: dict | None = None,
                 config: Config = Config(), data: bytes | None = None) -> Report:
    """Parse one report file (.txt, .docx, .pdf, .html). ``overrides`` are manifest values that win over
    inferred metadata; offsets refer to the text extracted from the file (for .txt: the file's text)."""
    path = Path(path)
    data = read_report_bytes(path) if data is None else data
    extracted = extract(data, path)
    original, encoding = extracted.text, extracted.encoding
    notes: list[str] = list(extracted.notes)
    clean = clean_text(original, config.boilerplate)
    notes.extend(f"{path}: {note}" for note in clean.notes)
    if not any("\u4e00" <= ch <= "\u9fff" for ch in clean.text):
        notes.append(f"{path}: no Chinese text found; is this a park work report?")
    sections = build_sections(clean.text, config.section_roles)
    if len(sections) == 1:
        notes.append(f"{path}: no recognisable headings; loaded as one section")
    inferred = infer_metadata(clean, sections, config.park_types)
    if extracted.title:  # a title hint only fills what the headings and the opening left open
        title_clean = clean_text(extracted.title, config.boilerplate)
        hinted = infer_metadata(title_clean, build_sections(title_clean.text, config.section_roles),
                                config.park_types)
        for key in ("park", "park_type", "report_year", "plan_year", "period"):
            if inferred.get(key) is None and hinted.get(key) is not None:
                inferred[key] = hinted[key]
        if inferred.get("plan_year") is None and inferred.get("report_year") is not None and \
                any(s.role == "plan" for s in sections) and inferred.get("kind") == "annual":
            inferred["plan_year"] = int(inferred["report_year"]) + 1
    metadata = dict(inferred)
    for key, value in (overrides or {}).items():
        if key in METADATA_FIELDS and value not in (None, ""):
            metadata[key] = value
    if (overrides or {}).get("report_year") not in (None, ""):
        metadata["year_source"] = "manifest"
    sections = resolve_years(sections, _as_int(metadata.get("report_year")), _as_int(metadata.get("plan_year")),
                             metadata.get("kind"))
    sections = [evolve(s, title=_original_title(clean, s)) if s.level else s for s in sections]
    heading_starts = {s.start for s in sections if s.level in (1, 2, 3)}
    sentences = []
    starts = [s.start for s in sections[1:]]  # built once: the lookup below is a bisection, not a scan
    for i, sentence in enumerate(split_sentences(clean.text)):
        index = bisect_right(starts, sentence.start)
        section = sections[index] if index > 0 else sections[0]  # the innermost section holding the sentence
        sentences.append(ReportSentence(i, section.section_id, sentence.start, sentence.end, sentence.text,
                                        sentence.start in heading_starts))
    return Report(report_id or path.stem, str(path), hashlib.sha256(data).hexdigest(), encoding, clean,
                  metadata, inferred, sections, sentences, notes, extracted.format, extracted.page_starts,
                  extracted.dropped, extracted.title)


def _original_title(clean: CleanText, section: Section) -> str:
    """A heading title as written (masks keep their ``*``/``X``), width-normalised."""
    a, b = clean.to_original(*section.title_span)
    return normalize(clean.original[a:b]).strip()


def _as_int(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------------------------------------------
# Manifest
# ------------------------------------------------------------------------------------------------------
def read_manifest(path: str | Path, report_dir: str | Path | None = None) -> pd.DataFrame:
    """Read ``reports.csv``: one row per report; ``file`` is relative to ``report_dir`` (default: beside it)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ManifestError(f"{path}: manifest not found") from None
    except UnicodeDecodeError:
        raise ManifestError(f"{path}: manifest is not UTF-8 text") from None
    rows = list(csv.DictReader(text.splitlines()))
    if not rows:
        raise ManifestError(f"{path}: manifest has no rows")
    check_manifest_columns(list(rows[0]), path)
    base = Path(report_dir) if report_dir is not None else path.parent / "reports"
    frame = pd.DataFrame(rows).fillna("")
    for column in MANIFEST_COLUMNS:
        if column not in frame:
            frame[column] = ""
    frame = frame.astype(str).apply(lambda col: col.str.strip())
    seen: dict[str, int] = {}
    for number, row in enumerate(frame.itertuples(index=False), start=2):
        if not row.file:
            raise ManifestError(f"{path}: row {number} has no file name")
        if not (base / row.file).is_file():
            raise ManifestError(f"{path}: row {number} ({row.report_id or row.file}) names file "
                                f"'{row.file}', which is not in {base}")
        report_id = row.report_id or Path(row.file).stem
        if report_id in seen:
            raise ManifestError(f"{path}: row {number} repeats report_id '{report_id}' of row {seen[report_id]}")
        seen[report_id] = number
    frame["report_id"] = [r or Path(f).stem for r, f in zip(frame["report_id"], frame["file"])]
    frame["path"] = [str(base / f) for f in frame["file"]]
    return frame


def check_manifest_columns(columns: list[str | None], path: Path) -> None:
    """Stop on a misspelled column (naming the closest known one) or a missing ``file`` column; warn about
    columns the toolkit does not know and that look like none of its own."""
    unknown = [c for c in columns if c is not None and c.strip() not in MANIFEST_COLUMNS]
    if None in columns:
        raise ManifestError(f"{path}: a row has more cells than the header has columns")
    for column in unknown:
        close = difflib.get_close_matches(column.strip().lower(), MANIFEST_COLUMNS, n=1, cutoff=0.75)
        if close and close[0] not in [c.strip() for c in columns]:
            raise ManifestError(f"{path}: unknown column '{column}': did you mean '{close[0]}'?")
    if "file" not in [c.strip() for c in columns]:
        close = difflib.get_close_matches("file", [c.strip().lower() for c in unknown], n=1, cutoff=0.5)
        hint = f": is '{close[0]}' it? Rename it to 'file'" if close else f" (columns: {', '.join(MANIFEST_COLUMNS)})"
        raise ManifestError(f"{path}: manifest has no 'file' column{hint}")
    others = [c for c in unknown if not difflib.get_close_matches(c.strip().lower(), MANIFEST_COLUMNS, n=1,
                                                                    cutoff=0.75)]
    if others:
        warnings.warn(f"{path}: column(s) {', '.join(others)} not used (known: {', '.join(MANIFEST_COLUMNS)})",
                      ReportWarning, stacklevel=3)


def find_manifest(folder: Path) -> Path | None:
    """A folder's manifest: ``reports.csv`` inside it, else ``<folder name>.csv`` beside it.

    ``data/reports/`` → ``data/reports/reports.csv`` or ``data/reports.csv``; ``data/validation/`` →
    ``data/validation/reports.csv`` or ``data/validation.csv``. Another folder's manifest is never used, and
    no other table (a ``sources.csv`` of provenance …) is read as one.
    """
    folder = Path(folder)
    for candidate in (folder / MANIFEST_NAME, folder.parent / f"{folder.resolve().name}.csv"):
        if candidate.is_file():
            return candidate
    return None


# ------------------------------------------------------------------------------------------------------
# Corpus
# ------------------------------------------------------------------------------------------------------
class Corpus:
    """Parsed reports and their tables (``reports``, ``sections``, ``sentences``, ``boilerplate``, ``masks``)."""

    def __init__(self, reports: Sequence[Report], manifest_path: str | None = None, config: Config = Config(),
                 corrections: pd.DataFrame | None = None, load_errors: Sequence[dict] = ()):
        self.reports_list = list(reports)
        self.load_notes: list[str] = []  # warnings raised while loading, kept for a reader (see setup_chapter)
        self.load_errors_list = list(load_errors)  # {"file", "problem", "fix"} per file that was skipped
        self.manifest_path = manifest_path
        self.config = config
        #: researchers' corrections of automatic codings (see :mod:`toolkit.corrections`), applied by the analyses
        self.corrections = corrections if corrections is not None else read_corrections(None)
        self._by_id = {r.report_id: r for r in self.reports_list}
        self._tables: dict[str, pd.DataFrame] = {}
        self.cache: dict = {}  # per-process memo for later analyses (tokens …), keyed by name

    def __len__(self) -> int:
        return len(self.reports_list)

    def __iter__(self):
        return iter(self.reports_list)

    def __getitem__(self, report_id: str) -> Report:
        try:
            return self._by_id[report_id]
        except KeyError:
            raise KeyError(f"no report '{report_id}' (have: {', '.join(self._by_id)})") from None

    @property
    def report_ids(self) -> list[str]:
        return [r.report_id for r in self.reports_list]

    def _table(self, name: str, build) -> pd.DataFrame:
        if name not in self._tables:
            self._tables[name] = build()
        return self._tables[name]

    @property
    def reports(self) -> pd.DataFrame:
        """One row per report: metadata (manifest over inferred), file facts and sizes."""
        def build():
            rows = []
            for r in self.reports_list:
                masks = r.clean.masks
                rows.append({"report_id": r.report_id, "file": Path(r.path).name, **{k: r.metadata.get(k)
                             for k in METADATA_FIELDS}, **{k: r.metadata.get(k, "") for k in PROVENANCE_FIELDS},
                             "year_source": r.metadata.get("year_source"), "script": r.clean.script,
                             "sha256": r.sha256, "format": r.format, "encoding": r.encoding,
                             "n_pages": len(r.page_starts) or None, "n_chars": r.size,
                             "n_sections": len(r.sections) - 1, "n_sentences": len(r.sentences),
                             "n_masked_figures": sum(m.kind == "figure" for m in masks),
                             "n_boilerplate": len(r.clean.removals) + len(r.dropped)})
            frame = pd.DataFrame(rows)
            for column in ("report_year", "plan_year", "n_pages"):
                frame[column] = pd.array([_as_int(v) for v in frame[column]], dtype="Int64")
            return frame
        return self._table("reports", build)

    @property
    def sections(self) -> pd.DataFrame:
        """One row per section (0 = preamble); start/end are offsets into the original text."""
        def build():
            rows = []
            for r in self.reports_list:
                for s in r.sections:
                    start, end = r.clean.to_original(s.start, s.end)
                    rows.append({"report_id": r.report_id, "section_id": s.section_id, "parent_id": s.parent_id,
                                 "level": s.level, "number": s.number, "title": s.title, "role": s.role,
                                 "year": s.year, "start": start, "end": end, "role_source": s.role_source,
                                 "path": r.paths[s.section_id]})
            frame = pd.DataFrame(rows)
            for column in ("parent_id", "year"):
                frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
            return frame
        return self._table("sections", build)

    @property
    def sentences(self) -> pd.DataFrame:
        """One row per sentence: cleaned text, its section and role, offsets into the original text, and the
        PDF page it starts on (empty for other formats)."""
        def build():
            rows = []
            for view in self.iter_sentences():
                sentence = view.sentence
                start, end = view.report.clean.to_original(sentence.start, sentence.end)
                rows.append({"report_id": view.report.report_id, "sentence_id": sentence.sentence_id,
                             "section_id": sentence.section_id, "role": view.section.role, "year": view.section.year,
                             "text": sentence.text, "start": start, "end": end, "is_heading": sentence.is_heading,
                             "page": page_at(view.report.page_starts, start)})
            frame = pd.DataFrame(rows)
            for column in ("year", "page"):
                frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
            return frame
        return self._table("sentences", build)

    @property
    def boilerplate(self) -> pd.DataFrame:
        """Every piece of boilerplate removed, with the rule that removed it: web boilerplate cleaning took out
        of the text, and what a reader left out of the extracted text (PDF page headers, footers and numbers,
        a web page's scripts, menus and related lists), shown as an empty span where it stood."""
        def build():
            rows = []
            for r in self.reports_list:
                pieces = [(x.start, x.end, x.rule, x.text) for x in r.clean.removals]
                pieces += [(x.at, x.at, x.rule, x.text) for x in r.dropped]
                rows += [{"report_id": r.report_id, "rule": rule, "start": a, "end": b, "text": text}
                         for a, b, rule, text in sorted(pieces, key=lambda p: p[:2])]
            return frame(rows, ["report_id", "rule", "start", "end", "text"], SPAN_TYPES)
        return self._table("boilerplate", build)

    @property
    def load_errors(self) -> pd.DataFrame:
        """One row per file that could not be read (file, problem, fix); the other files were loaded."""
        return pd.DataFrame(self.load_errors_list, columns=["file", "problem", "fix"])

    @property
    def masks(self) -> pd.DataFrame:
        """Every masked figure or name (``*``, ``X`` …) with its kind."""
        return self._table("masks", lambda: frame(
            [{"report_id": r.report_id, "start": m.start, "end": m.end, "text": m.text, "kind": m.kind}
             for r in self.reports_list for m in r.clean.masks],
            ["report_id", "start", "end", "text", "kind"], SPAN_TYPES))

    @property
    def metadata_check(self) -> pd.DataFrame:
        """Inferred metadata beside the final (manifest) values, one row per report and field."""
        rows = []
        for r in self.reports_list:
            for key in METADATA_FIELDS:
                final, inferred = r.metadata.get(key), r.inferred.get(key)
                rows.append({"report_id": r.report_id, "field": key, "value": final, "inferred": inferred,
                             "agrees": str(final) == str(inferred)})
        return pd.DataFrame(rows)

    def iter_sentences(self) -> Iterator[SentenceView]:
        """Every sentence of every report, in reading order, with its report, section and section path —
        the one walk over the corpus that themes, targets, problems, tokens and KWIC share."""
        for report in self.reports_list:
            sections, paths = report.section_index, report.paths
            for sentence in report.sentences:
                yield SentenceView(report, sentence, sections[sentence.section_id], paths[sentence.section_id])

    def sizes(self, by: str = "report") -> pd.DataFrame:
        """The one measure of size: characters of sentence text, white space not counted (字数), summed per
        report (``by="report"``), per report and section role (``"role"``) or per section (``"section"``).
        Columns: the unit's keys and ``n_chars``. Rates per 10,000 characters everywhere divide by this."""
        keys = {"report": ["report_id"], "role": ["report_id", "role"], "section": ["report_id", "section_id"]}
        if by not in keys:
            raise ValueError("by must be 'report', 'role' or 'section'")

        def build():
            rows = [(report.report_id, report.section_index[section_id].role, section_id, size)
                    for report in self.reports_list for section_id, size in report.section_sizes.items()]
            frame = pd.DataFrame(rows, columns=["report_id", "role", "section_id", "n_chars"])
            return frame.groupby(keys[by], as_index=False, sort=True)["n_chars"].sum()
        return self._table(f"sizes_{by}", build).copy()

    def report_labels(self) -> dict[str, str]:
        """A reader's name for each report: park and report year (``*生态园 2022``), with the period for a
        partial-year report (``高新园区 2022 上半年``); the report id where the park is unknown or two reports
        would share a name."""
        names = {}
        for r in self.reports_list:
            park, year, period = (r.metadata.get(k) for k in ("park", "report_year", "period"))
            parts = [str(v) for v in (park, year) if v not in (None, "")]
            if park and period and r.metadata.get("kind") == "half-year":
                parts.append(str(period))
            names[r.report_id] = " ".join(parts) if park else r.report_id
        clashes = {n for n, count in Counter(names.values()).items() if count > 1}
        return {i: (f"{n} ({i})" if n in clashes else n) for i, n in names.items()}

    def context(self, report_id: str, start: int, end: int, window: int = 30) -> tuple[str, str, str]:
        """(left, match, right) from the original text around an original-text span."""
        original = self[report_id].original
        left = original[max(0, start - window) : start].replace("\n", " ")
        right = original[end : end + window].replace("\n", " ")
        return left, original[start:end], right

    def outline(self, report_id: str) -> str:
        """The report's section tree as indented text with roles and years."""
        return format_outline(self[report_id])


_SPACE = re.compile(r"\s")


def sentence_size(text: str) -> int:
    """Characters of a piece of text, white space not counted: the unit of every size and rate."""
    return len(text) - len(_SPACE.findall(text))


def section_path(by_id: dict[int, Section], section_id: int) -> str:
    """Numbers from the top heading down to this section, e.g. ``一 › （一） › 1 › 二是``."""
    parts = []
    current = by_id.get(section_id)
    while current is not None and current.level > 0:
        parts.append(heading_label(current))
        current = by_id.get(current.parent_id) if current.parent_id is not None else None
    return " › ".join(reversed(parts)) if parts else "前言"


def heading_label(section: Section) -> str:
    if section.level == 1:
        return f"{section.number}、"
    if section.level == 2:
        return f"（{section.number}）"
    if section.level == 3:
        return f"{section.number}."
    if section.number.isdigit():
        return f"（{section.number}）"
    return section.number


def format_outline(report: Report) -> str:
    lines = [f"{report.report_id}  ({report.metadata.get('park') or '?'}, {report.metadata.get('park_type') or '?'}, "
             f"{report.metadata.get('report_year') or '?'}, {report.metadata.get('kind') or '?'})"]
    for s in report.sections:
        if s.level == 0:
            lines.append(f"  [{s.title}] {s.end - s.start} chars")
            continue
        indent = "  " * s.level
        year = s.year if s.year is not None else "-"
        lines.append(f"{indent}{heading_label(s)}{s.title}  [{s.role}, {year}]")
    return "\n".join(lines)


def _resolve_inputs(path_or_files) -> tuple[list[Path], Path | None]:
    if path_or_files is None:
        from .paths import reports_dir

        path_or_files = reports_dir()
    if isinstance(path_or_files, (str, Path)):
        path = Path(path_or_files)
        if not path.exists():
            raise MissingReportError(f"{path}: no such file or folder")
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
                           and not p.name.startswith((".", "~$")))  # ~$x.docx: Word's lock file
            others = sorted(p.name for p in path.iterdir() if p.is_file() and p.suffix.lower() not in
                            REPORT_SUFFIXES + TABLE_SUFFIXES and not p.name.startswith("."))
            if others:
                warnings.warn(f"{path}: skipped {len(others)} file(s) that are not reports (.txt, .docx, .pdf, "
                              f".html): {', '.join(others)}", ReportWarning, stacklevel=3)
            if not files:
                raise MissingReportError(f"{path}: folder holds no report files (.txt, .docx, .pdf, .html)")
            return files, path
        return [path], None
    return [Path(p) for p in path_or_files], None


def _parse_job(job) -> Report | ReportFileError:
    """Parse one report (in a worker process, too); a file that cannot be read comes back as its error, and
    so does one whose reading failed unexpectedly (:class:`AnalysisError`, naming the file)."""
    try:
        return _parse_or_load(job)
    except ReportFileError as err:
        return err
    except Exception as err:  # a bug met on one report must not stop a run over thousands
        return AnalysisError.of(job.path, err)


class Job(NamedTuple):
    """One report to read: its file, id and manifest values, the Config, the cache folder, and whether to run
    every per-report analysis too (:func:`toolkit.analysis.analyse_report`)."""

    path: str
    report_id: str | None
    overrides: dict
    config: Config
    cache_dir: str | None
    analyse: bool = False
    tables_dir: str | None = None  # ingest: where this report's tables go (see toolkit.ingest)
    resolved: str | None = None  # the file's absolute path, links resolved (taken once, when the job is planned)


def cache_key(data: bytes, job: Job, rules: str | None = None) -> str:
    """A report's key in the per-report cache: its bytes, id, path and manifest values, the reader, every rule
    file and the toolkit's code and libraries — whatever changes one of them misses the cache (a renamed or
    moved file is read again: its id and file name are part of every table). ``rules``: the fingerprint of
    ``job.config`` when the caller has it (keys of many reports are made at once)."""
    digest = hashlib.sha256(data)
    for part in (repr(sorted(job.overrides.items())), rules or job.config.fingerprint(), job.config.segmenter,
                 str(job.report_id), job.resolved or str(Path(job.path).resolve()), reader_fingerprint(job.path),
                 code_fingerprint()):
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()[:32]


#: Libraries whose version can change a reading (segmentation, script conversion, tables).
READING_LIBRARIES = ("jieba", "rjieba", "opencc", "pandas", "pyarrow")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the toolkit's own source files and the versions of the libraries a reading depends on: a
    cached reading made by other code is not reused."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    for library in READING_LIBRARIES:
        try:
            digest.update(f"{library} {version(library)}".encode())
        except PackageNotFoundError:
            digest.update(f"{library} -".encode())
    return digest.hexdigest()[:16]


def _parse_or_load(job: Job, data: bytes | None = None, key: str | None = None) -> Report:
    """Read one report, from the per-report cache when it holds it; ``data`` and ``key``: the file's bytes and
    cache key when the caller has them already."""
    from .analysis import analyse_report

    path = job.path
    if data is None:
        data = read_report_bytes(Path(path), max_bytes=None)  # the size was checked before the job was made
    if job.cache_dir and key is None:
        key = cache_key(data, job)
    cached = Path(job.cache_dir) / f"{key}.pickle" if job.cache_dir else None
    report = None
    if cached is not None and cached.is_file():
        try:
            with cached.open("rb") as handle:
                report = pickle.load(handle)
            report.path = str(path)
            mark_used(cached)
        except Exception:  # a stale or broken cache entry is simply rebuilt
            report = None
    fresh = report is None
    if fresh:
        report = parse_report(path, job.report_id, job.overrides, job.config, data)
        for key in PROVENANCE_FIELDS:  # where the report came from: the manifest's word only
            if job.overrides.get(key):
                report.metadata[key] = job.overrides[key]
    computed = analyse_report(report, job.config) if job.analyse else False
    if cached is not None and (fresh or computed):
        write_cache(cached, report)
    return report


def write_cache(path: Path, *values) -> None:
    """Pickle ``values`` one after another to ``path`` atomically (a temporary file moved into place): a
    reader can load the first without reading the others."""
    def write(temporary: str) -> None:
        with open(temporary, "wb") as handle:
            for value in values:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, write)


def load_report(path: str | Path, config: Config = Config()) -> Report:
    """One report read as its corpus reads it: with its manifest row when the file sits in a folder that has
    a manifest (``reports.csv``), else with metadata inferred from the text. Warnings are issued."""
    path = Path(path)
    if not path.is_file():
        read_report_bytes(path)  # raises the one-line error for a missing path or a folder
    manifest = find_manifest(path.parent)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*not in manifest.*", category=ReportWarning)
        corpus = load_corpus([path], manifest=manifest, config=config)
    return corpus.reports_list[0]


class Plan(NamedTuple):
    """What a load will do: one job per readable report file, the files already refused (file, error), the
    manifest row of each job that has one (by the job's ``path``), the manifest's path, and the bytes to read."""

    jobs: list[Job]
    errors: list[tuple[str, ReportFileError]]
    rows: dict[str, dict]
    manifest: Path | None
    total_bytes: int


def plan_jobs(path_or_files, manifest: str | Path | None = None, config: Config = Config(),
              cache_dir: str | Path | None = None, *, strict: bool = False,
              max_bytes: int | None = DEFAULT_MAX_BYTES) -> Plan:
    """The jobs of a load (see :func:`load_corpus`): files found, sizes checked, manifest rows matched."""
    config.fingerprint()  # every rule file is there and readable, before any report is read
    files, folder = _resolve_inputs(path_or_files)
    manifest_path = Path(manifest) if manifest is not None else (find_manifest(folder) if folder else None)
    rows: dict[str, dict] = {}  # by resolved path
    if manifest_path is not None:
        table = read_manifest(manifest_path, folder if folder is not None else None)
        for row in table.to_dict("records"):
            rows[str(Path(row["path"]).resolve())] = row
    matched: dict[str, dict] = {}  # by the job's path
    errors: list[tuple[str, ReportFileError]] = []

    def skip(file, err: ReportFileError) -> None:
        if strict:
            raise err
        errors.append((str(file), err))

    jobs: list[Job] = []
    total_bytes = 0
    for file in files:
        try:
            if not file.exists():
                raise MissingReportError(f"{file}: no such file")
            check_size(file, max_bytes)
        except ReportFileError as err:
            skip(file, err)
            continue
        size = file.stat().st_size
        if size > HUGE_BYTES:  # never silently for minutes
            chars = size / BYTES_PER_CHAR
            warnings.warn(f"{file}: {size / 2**20:.0f} MB; reading it will take about "
                          f"{max(1, round(chars / PARSE_RATE / 60))} min, and every analysis of it about "
                          f"{max(1, round(chars / ANALYSIS_RATE / 60))} min more (one report is read on one core)",
                          ReportWarning, stacklevel=3)
        resolved = str(file.resolve())
        row = rows.get(resolved)
        if row is None and manifest_path is not None:
            warnings.warn(f"{file}: not in manifest {manifest_path}; metadata inferred from the text",
                          ReportWarning, stacklevel=3)
        overrides = {k: row[k] for k in METADATA_FIELDS + PROVENANCE_FIELDS if row and row.get(k)} if row else {}
        jobs.append(Job(str(file), row["report_id"] if row else None, overrides, config,
                        str(cache_dir) if cache_dir else None, resolved=resolved))
        if row:
            matched[str(file)] = row
        total_bytes += size
    return Plan(jobs, errors, matched, manifest_path, total_bytes)


def load_corpus(path_or_files: str | Path | Iterable[str | Path] | None = None, manifest: str | Path | None = None,
                config: Config = Config(), workers: int | None = None, cache_dir: str | Path | None = None, *,
                corrections: str | Path | None = None, strict: bool = False,
                max_bytes: int | None = DEFAULT_MAX_BYTES, analyse: bool | None = None,
                progress: bool | None = None, cache_limit: int | None = CACHE_LIMIT) -> Corpus:
    """Load reports (.txt, .docx, .pdf, .html) from a folder (with its manifest, see ``find_manifest``), a file
    or a list.

    Manifest values override inferred metadata; a report missing from the manifest is loaded with inferred
    metadata and a warning; a manifest row whose file is missing is an error.

    ``workers``: processes to read with (default: every core once the files total
    :data:`~toolkit.parallel.PARALLEL_BYTES`, else one; the result is the same). ``analyse``: also run every
    per-report analysis (clauses, problems, themes, tokens) while reading, in the workers (default: when there
    are several workers or a cache). ``cache_dir`` keeps each report, with its analyses, keyed by its bytes,
    manifest values, rule files and the toolkit's code, so a second load reads only new or changed reports;
    after the load, entries this load did not use are removed, least recently used first, while the cache holds
    more than ``cache_limit`` bytes (None: never; :mod:`toolkit.cachefiles`).
    ``progress``: a progress bar on stderr (default: on a terminal, for loads over a few seconds).

    A file that cannot be read (empty, undecodable, a scan without text, encrypted, damaged, over
    ``max_bytes``, a .doc) is skipped with a one-line warning and listed in ``corpus.load_errors``; with
    ``strict=True`` the first one raises its error instead. When no file could be read the error is raised
    (the file's own when there was one file, else :class:`NoReportsError`). Two files with the same text
    (after normalising spacing and width) are loaded once, with a warning naming both.
    """
    started = time.time()
    plan = plan_jobs(path_or_files, manifest, config, cache_dir, strict=strict, max_bytes=max_bytes)
    jobs, errors, rows, manifest_path, total_bytes = plan.jobs, plan.errors, plan.rows, plan.manifest, plan.total_bytes

    def skip(file, err: ReportFileError) -> None:
        if strict:
            raise err
        errors.append((str(file), err))

    workers = choose_workers(workers, len(jobs), total_bytes)
    if analyse is None:
        analyse = workers > 1 or cache_dir is not None
    jobs = [job._replace(analyse=analyse) for job in jobs]
    results = list(run_jobs(_parse_job, jobs, workers, progress=progress,
                            stop=(lambda r: isinstance(r, ReportFileError)) if strict else None))
    reports = []
    for result, job in zip(results, jobs):
        if isinstance(result, ReportFileError):
            skip(job.path, result)
        else:
            reports.append(result)
    load_errors = settle_load(reports, errors, rows)
    reports = keep_one_each(reports, rows)
    if cache_dir:
        prune(cache_dir, started, cache_limit)
    return Corpus(reports, str(manifest_path) if manifest_path else None, config, read_corrections(corrections),
                  load_errors)


def settle_load(items: list, errors: list[tuple[str, ReportFileError]], rows: dict[str, dict]) -> list[dict]:
    """Once every file was tried (by :func:`load_corpus` or ``ingest``): raise the one file's own error, or
    :class:`NoReportsError`, when nothing could be read; warn about each file skipped and each report's notes,
    with one more when its raw file changed since the manifest's ``sha256`` (added to ``item.warnings`` when
    that is a list). ``items``: reports or ingest records (``path``, ``sha256``, ``warnings``). Returns the
    ``load_errors`` rows (file, problem, fix). ``rows``: manifest rows by the items' ``path``."""
    if not items and len(errors) == 1:
        raise errors[0][1]
    for _, err in errors:
        warnings.warn(f"skipped {err}", ReportWarning, stacklevel=3)
    if not items:
        first = errors[0][1] if errors else None
        raise NoReportsError(f"none of the {len(errors)} report files could be read (first: {first})")
    for item in items:
        notes = item.warnings
        row = rows.get(item.path)
        if row and row.get("sha256") and row["sha256"] != item.sha256:
            note = f"{item.path}: sha256 differs from the manifest; the raw file has changed"
            if isinstance(notes, list):
                notes.append(note)  # a report keeps it (its profile lists its warnings)
            else:
                notes = (*notes, note)
        for note in notes:
            warnings.warn(note, ReportWarning, stacklevel=3)
    return [{"file": file, "problem": _problem(err, file), "fix": err.fix} for file, err in errors]


def keep_one_each(items: list, rows: dict[str, dict], fingerprint=None) -> list:
    """``items`` with one of each group of the same text kept (:func:`drop_duplicates`, preferring a file the
    manifest names: ``rows``, by the items' ``path``), refusing two that share a report id (:class:`ManifestError`)."""
    kept = drop_duplicates(items, {i.path for i in items if i.path in rows},
                           fingerprint or text_fingerprint)
    clashes = sorted(i for i, n in Counter(r.report_id for r in kept).items() if n > 1)
    if clashes:
        raise ManifestError(f"two reports share the id(s) {', '.join(clashes)}; rename a file or set report_id")
    return kept


def _problem(err: ReportFileError, file: str) -> str:
    """An error's message without the file name it starts with (the ``file`` column holds that)."""
    message = str(err)
    return message[len(file) + 2:] if message.startswith(f"{file}: ") else message


#: Which copy of a duplicated report is kept: one named in the manifest, then by format, then by name.
FORMAT_PREFERENCE = {"txt": 0, "docx": 1, "html": 2, "pdf": 3}


def text_fingerprint(report: Report) -> str:
    """The report's cleaned text with every space and line break taken out and widths normalised (NFKC):
    two files with the same fingerprint hold the same report."""
    import unicodedata

    squeezed = re.sub(r"\s+", "", unicodedata.normalize("NFKC", report.text))
    return hashlib.sha256(squeezed.encode()).hexdigest()


def drop_duplicates(reports: list, in_manifest: set[str] = frozenset(), fingerprint=text_fingerprint) -> list:
    """Keep one report of each group with the same text (see :func:`text_fingerprint`), warning with both
    names. Reports that are only similar are all kept. ``in_manifest``: paths of reports the manifest names.
    ``reports`` may be any records with ``path``, ``format`` and ``report_id`` that ``fingerprint`` accepts."""
    groups: dict[str, list] = {}
    for report in reports:
        groups.setdefault(fingerprint(report), []).append(report)
    dropped = set()
    for group in groups.values():
        if len(group) < 2:
            continue
        keep = min(group, key=lambda r: (r.path not in in_manifest, FORMAT_PREFERENCE.get(r.format, 9), r.path))
        for other in group:
            if other is not keep:
                dropped.add(id(other))
                warnings.warn(f"{other.path}: same text as {keep.path}; loaded once, as '{keep.report_id}'",
                              ReportWarning, stacklevel=4)  # the caller of load_corpus (via keep_one_each)
    return [r for r in reports if id(r) not in dropped]
