"""Exception and warning types: one per kind of bad input, each message naming the file and the problem."""

from __future__ import annotations


class ToolkitError(Exception):
    """Base class for every error the toolkit raises about a user's input."""


class ReportFileError(ToolkitError):
    """A report file cannot be read as a report (missing, empty, binary, undecodable).

    ``fix`` says what the user can do; it fills the ``fix`` column of ``Corpus.load_errors``.
    """

    fix = "check the file"


class AnalysisError(ReportFileError):
    """Reading or analysing a report failed unexpectedly: a fault of the toolkit, met on this report."""

    fix = "report the file and this message to the maintainers; the other reports were read"

    @classmethod
    def of(cls, path, err: Exception) -> "AnalysisError":
        error = cls(f"{path}: could not be analysed ({type(err).__name__}: {err})")
        error.__cause__ = err
        return error


class MissingReportError(ReportFileError):
    """The path does not exist."""

    fix = "check the path"


class EmptyReportError(ReportFileError):
    """The file holds no text."""

    fix = "replace it with the full report or remove it"


class BinaryReportError(ReportFileError):
    """The file is binary (holds NUL bytes), not text."""

    fix = "save it as .txt, .docx or .pdf under the matching name"


class DecodeReportError(ReportFileError):
    """The file is neither UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK nor Big5."""

    fix = "re-save it as UTF-8"


class UnsupportedFormatError(ReportFileError):
    """The file is in a format the toolkit does not read (legacy .doc, .wps, an unknown suffix)."""

    fix = "open it in Word or WPS and save as .docx (or as .txt)"


class CorruptReportError(ReportFileError):
    """A .docx, .pdf or .html file is truncated or damaged, or is not what its suffix says."""

    fix = "download or export the file again"


class EncryptedReportError(ReportFileError):
    """A PDF is protected by a password."""

    fix = "save an unprotected copy (print to PDF, or export without a password)"


class NoTextLayerError(ReportFileError):
    """A PDF holds page images but no text (a scan)."""

    fix = "run OCR first (e.g. ocrmypdf) and add the OCRed PDF"


class ReportTooLargeError(ReportFileError):
    """The file is over the size limit (``max_bytes`` / ``--max-size``)."""

    fix = "raise the limit (max_bytes= / --max-size MB) or split the file"


class NoReportsError(ReportFileError):
    """None of the report files given could be read."""

    fix = "see the problems listed for each file"


class ManifestError(ToolkitError):
    """The manifest (reports.csv) is malformed or names a file that does not exist."""


class ConfigError(ToolkitError):
    """A lexicon, dictionary or rule file is missing or malformed."""


class OutputError(ToolkitError):
    """Writing results would overwrite an input or cannot be done."""


class ReportWarning(UserWarning):
    """Something odd about a report that does not stop it from loading (no headings, not in manifest …)."""
