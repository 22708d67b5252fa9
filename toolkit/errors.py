"""Exception and warning types: one per kind of bad input, each message naming the file and the problem."""

from __future__ import annotations


class ToolkitError(Exception):
    """Base class for every error the toolkit raises about a user's input."""


class ReportFileError(ToolkitError):
    """A report file cannot be read as a report (missing, empty, binary, undecodable)."""


class MissingReportError(ReportFileError):
    """The path does not exist."""


class EmptyReportError(ReportFileError):
    """The file holds no text."""


class BinaryReportError(ReportFileError):
    """The file is binary (holds NUL bytes), not text."""


class DecodeReportError(ReportFileError):
    """The file is neither UTF-8 (with or without BOM), UTF-16 with BOM, nor GB18030/GBK."""


class ManifestError(ToolkitError):
    """The manifest (reports.csv) is malformed or names a file that does not exist."""


class ConfigError(ToolkitError):
    """A lexicon, dictionary or rule file is missing or malformed."""


class OutputError(ToolkitError):
    """Writing results would overwrite an input or cannot be done."""


class ReportWarning(UserWarning):
    """Something odd about a report that does not stop it from loading (no headings, not in manifest …)."""
