"""Toolkit for analysing Chinese industrial-park and development-zone work reports (园区工作总结及工作思路).

Load reports into a :class:`Corpus` of tidy tables, then measure themes, targets and problems.

>>> import toolkit as tk
>>> corpus = tk.load_corpus("data/reports")        # doctest: +SKIP
>>> corpus.reports[["report_id", "park_type", "report_year", "kind"]]   # doctest: +SKIP
"""

__version__ = "0.1.0"

from .cleaning import MASK, CleanText, clean_text, normalize  # noqa: E402
from .corpus import Config, Corpus, Report, load_corpus, parse_report, read_manifest  # noqa: E402
from .errors import (BinaryReportError, ConfigError, CorruptReportError, DecodeReportError,  # noqa: E402
                     EmptyReportError, EncryptedReportError, ManifestError, MissingReportError, NoReportsError,
                     NoTextLayerError, OutputError, ReportFileError, ReportTooLargeError, ReportWarning,
                     ToolkitError, UnsupportedFormatError)
from .structure import split_sentences  # noqa: E402
from .chapter import setup_chapter  # noqa: E402
from .kwic import kwic, with_context  # noqa: E402
from .validation import read_gold  # noqa: E402
from .compare import (group_means, indicator_matrix, quantification, similarity,  # noqa: E402
                      similarity_order, structure, template_sentences, theme_profiles)
from .profile import format_profile, profile_report  # noqa: E402
from .problems import answered, detect_text, problems, recurrence, taxonomy_table  # noqa: E402
from .segmentation import Segmenter, corpus_tokens  # noqa: E402
from .targets import (classify_text, commitment_ranking, indicator_coverage, results,  # noqa: E402
                      strength_profile, targets)
from .terms import keyness, term_frequency, top_terms  # noqa: E402
from .themes import lexicon_table, load_lexicon, role_shift, theme_counts, theme_matches, theme_table  # noqa: E402

__all__ = [
    "MASK", "CleanText", "clean_text", "normalize", "Config", "Corpus", "Report", "load_corpus", "parse_report",
    "read_manifest", "split_sentences", "ToolkitError", "ReportFileError", "MissingReportError",
    "EmptyReportError", "BinaryReportError", "DecodeReportError", "UnsupportedFormatError", "CorruptReportError",
    "EncryptedReportError", "NoTextLayerError", "ReportTooLargeError", "NoReportsError", "ManifestError",
    "ConfigError", "OutputError",
    "ReportWarning", "setup_chapter", "kwic", "with_context", "Segmenter", "corpus_tokens", "keyness", "term_frequency", "top_terms",
    "group_means", "indicator_matrix", "quantification", "similarity", "similarity_order", "structure",
    "template_sentences", "theme_profiles", "format_profile", "profile_report", "answered", "detect_text", "problems", "recurrence", "taxonomy_table", "classify_text", "commitment_ranking", "indicator_coverage", "results", "strength_profile", "targets", "lexicon_table", "load_lexicon", "role_shift", "theme_counts", "theme_matches", "theme_table",
]
