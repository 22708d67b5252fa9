"""Command line: ``ingest DIR --out OUT``, ``outline FILE``, ``profile FILE [--json]`` (``python -m toolkit``).

Bad input gets one line on stderr naming the file and the problem, and a nonzero exit status: 2 when
nothing could be done, ``SKIPPED_STATUS`` (3) when ``ingest`` wrote its tables but skipped unreadable files.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from .cachefiles import CACHE_LIMIT
from .config import SEGMENTERS, Config
from .errors import MissingReportError, OutputError, ToolkitError
from .readers import DEFAULT_MAX_BYTES

#: Exit status of an ``ingest`` that wrote its tables but had to skip files it could not read.
SKIPPED_STATUS = 3


def _print_warning(message, category, filename, lineno, file=None, line=None):
    print(f"warning: {message}", file=sys.stderr)


def cmd_ingest(args) -> int:
    from .ingest import ingest

    source = Path(args.path).resolve()
    if not source.exists():
        raise MissingReportError(f"{args.path}: no such file or folder")
    folder = source if source.is_dir() else source.parent
    out = Path(args.out).resolve()
    inside = source.is_dir() and folder in out.parents  # a folder of reports: nothing is written inside it
    if out == folder.parent or out == folder or inside:  # the reports, or where the manifest is
        raise OutputError(f"{args.out}: is inside the reports folder or beside its manifest; "
                          "choose an output folder elsewhere")
    max_bytes = None if args.max_size <= 0 else int(args.max_size * 1024 * 1024)
    summary = ingest(args.path, args.out, manifest=args.manifest, config=Config(segmenter=args.segmenter),
                     workers=args.workers, cache_dir=args.cache, corrections=args.corrections, strict=args.strict,
                     max_bytes=max_bytes, parquet=not args.no_parquet, xlsx=args.xlsx, dta=args.dta,
                     cache_limit=None if args.cache_limit < 0 else int(args.cache_limit * 2**30))
    skipped = len(summary.load_errors)
    print(f"{summary.n_reports} reports read, {skipped} skipped" + (": see load_errors.csv" if skipped else "")
          + f"; {len(summary.written)} files in {args.out}")
    return SKIPPED_STATUS if skipped else 0


def cmd_outline(args) -> int:
    from .corpus import format_outline, load_report

    for file in args.files:
        print(format_outline(load_report(file)))
    return 0


def cmd_profile(args) -> int:
    import json

    from .profile import format_profile, profile_report

    if not Path(args.file).is_file():
        raise MissingReportError(f"{args.file}: no such file")
    result = profile_report(args.file, reference=args.data)
    for note in result["warnings"]:
        warnings.warn(note)
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else format_profile(result))
    return 0


DEFAULT_MAX_MB = DEFAULT_MAX_BYTES / 2**20


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parktk", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", help="parse a folder (or files) of reports and write every table")
    ingest.add_argument("path", help="folder of reports: .txt, .docx, .pdf, .html (its reports.csv manifest is "
                                     "used) or one file")
    ingest.add_argument("--out", required=True, help="folder for the CSV (UTF-8 with BOM) and Parquet tables")
    ingest.add_argument("--manifest", help="manifest CSV (default: reports.csv in or beside the folder)")
    ingest.add_argument("--workers", type=int, default=None,
                        help="parallel processes (default: every core for a corpus of 2 MB or more, else 1)")
    ingest.add_argument("--cache", help="folder to keep each report's reading and tables in: a second run "
                        "reads only new or changed reports")
    ingest.add_argument("--cache-limit", type=float, default=CACHE_LIMIT / 2**30, metavar="GB",
                        help=f"after the run, remove the cache's least recently used entries (never this run's) "
                        f"while it holds more than this (default {CACHE_LIMIT / 2**30:.0f} GB; -1: never)")
    ingest.add_argument("--segmenter", choices=SEGMENTERS, default=Config.segmenter,
                        help=f"word segmenter for the terms table (default {Config.segmenter})")
    ingest.add_argument("--no-parquet", action="store_true", help="write CSV only")
    ingest.add_argument("--corrections", help="a researcher's corrections of automatic codings (CSV: report_id, "
                        "start, end, field, value, note)")
    ingest.add_argument("--xlsx", action="store_true",
                        help="also write tables.xlsx: a sheet per table, Chinese labels over the English keys")
    ingest.add_argument("--dta", action="store_true",
                        help="also write a Stata file per table (version 118, Chinese variable labels)")
    ingest.add_argument("--strict", action="store_true", help="stop at the first file that cannot be read "
                        "(default: skip it, list it in load_errors.csv and exit with status 3)")
    ingest.add_argument("--max-size", type=float, default=DEFAULT_MAX_MB, metavar="MB",
                        help=f"refuse report files larger than this (default {DEFAULT_MAX_MB:.0f} MB; 0: no limit)")
    ingest.set_defaults(run=cmd_ingest)
    outline = commands.add_parser("outline", help="print a report's section tree with roles and years")
    outline.add_argument("files", nargs="+", help="report file(s)")
    outline.set_defaults(run=cmd_outline)
    profile = commands.add_parser("profile", help="one-screen profile of a report, placed against the corpus")
    profile.add_argument("file", help="report file (need not be in data/)")
    profile.add_argument("--data", help="folder of reference reports (default: data/reports of this project)")
    profile.add_argument("--json", action="store_true", help="print the profile as JSON")
    profile.set_defaults(run=cmd_profile)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    warnings.showwarning = _print_warning
    try:
        return args.run(args)
    except ToolkitError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # parktk outline … | head: the reader stopped listening, which is not an error
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
