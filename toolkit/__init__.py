"""Toolkit for analysing Chinese industrial-park and development-zone work reports (园区工作总结及工作思路).

Load reports into a :class:`Corpus` of tidy tables, then measure themes, targets and problems.

>>> import toolkit as tk
>>> corpus = tk.load_corpus("data/reports")        # doctest: +SKIP
>>> corpus.reports[["report_id", "park_type", "report_year", "kind"]]   # doctest: +SKIP

The names below are grouped by stage, as on the book's API page: ground (errors, rule files), parsing
(cleaning, corpus), analyses (themes and terms, targets, problems, comparison), validation, and the front
door (profile, chapter set-up).
"""

from ._version import __version__

# Ground: errors and the rule files every reading depends on
from .errors import (AnalysisError, BinaryReportError, ConfigError, CorruptReportError, DecodeReportError, EmptyReportError,
                     EncryptedReportError, ManifestError, MissingReportError, NoReportsError, NoTextLayerError,
                     OutputError, ReportFileError, ReportTooLargeError, ReportWarning, ToolkitError,
                     UnsupportedFormatError)
from .config import Config

# Parsing: cleaning, structure, the corpus
from .cleaning import MASK, CleanText, clean_text, normalize
from .structure import split_sentences
from .corpus import Corpus, Report, load_corpus, parse_report, read_manifest

# Analyses: themes, terms and concordance
from .segmentation import Segmenter, corpus_tokens, segmenter_agreement
from .themes import (lexicon_table, load_lexicon, role_shift, theme_counts, theme_dispersion, theme_matches,
                     theme_table)
from .terms import keyness, term_frequency, top_terms
from .concordance import kwic, with_context

# Analyses: clauses, targets and results, problems
from .clauses import clause_table, marker_table
from .commitments import (classify_text, commitment_ranking, forecasts, indicator_coverage, results,
                          strength_profile, strength_sensitivity, target_results, targets)
from .difficulties import answered, detect_text, problem_statements, problems, recurrence, taxonomy_table

# Analyses: comparison
from .compare import (group_means, indicator_matrix, most_similar_pairs, nearest_reports, quantification,
                      report_measures, report_structure, similarity, similarity_order, template_sentences,
                      theme_profiles)

# Validation against a hand reading
from .validation import read_gold

# Front door: a one-report profile, tables for readers, the book's chapter set-up
from .profile import format_profile, profile_report
from .display import label, show_table
from .chapter import chapter_figure, setup_chapter

__all__ = [
    # ground
    "ToolkitError", "ReportFileError", "MissingReportError", "EmptyReportError", "BinaryReportError",
    "DecodeReportError", "UnsupportedFormatError", "CorruptReportError", "EncryptedReportError", "NoTextLayerError",
    "ReportTooLargeError", "AnalysisError", "NoReportsError", "ManifestError", "ConfigError", "OutputError", "ReportWarning", "Config",
    # parsing
    "MASK", "CleanText", "clean_text", "normalize", "split_sentences", "Corpus", "Report", "load_corpus",
    "parse_report", "read_manifest",
    # themes, terms, concordance
    "Segmenter", "corpus_tokens", "segmenter_agreement", "lexicon_table", "load_lexicon", "role_shift", "theme_counts", "theme_matches",
    "theme_table", "theme_dispersion", "keyness", "term_frequency", "top_terms", "kwic", "with_context",
    # clauses, targets, results, problems
    "clause_table", "marker_table", "classify_text", "commitment_ranking", "forecasts", "indicator_coverage", "results", "strength_profile", "strength_sensitivity", "target_results",
    "targets", "answered", "detect_text", "problem_statements", "problems", "recurrence", "taxonomy_table",
    # comparison
    "group_means", "indicator_matrix", "most_similar_pairs", "nearest_reports", "quantification", "report_measures", "report_structure", "similarity",
    "similarity_order", "template_sentences", "theme_profiles",
    # validation, front door
    "read_gold", "format_profile", "profile_report", "label", "show_table", "chapter_figure", "setup_chapter",
]
