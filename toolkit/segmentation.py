"""Segmentation: jieba's dictionary and method with the genre's user dictionary and stopwords, on a
tokenizer of our own.

Two backends: rjieba (default; the Rust port of jieba, about ten times faster) and jieba itself. The
module-level jieba tokenizer is never touched (other code shares it): each :class:`Segmenter` owns its
tokenizer (``rjieba.Jieba`` or ``jieba.Tokenizer``). Tokens of a report are computed once per segmenter and
kept with the report in a compact form; the corpus table is built from them once per corpus.

>>> seg = Segmenter()
>>> seg.terms("园区坚持招商引资，专精特新企业新增Ⓧ家。")
['招商引资', '专精特新', '企业', '新增']
"""

from __future__ import annotations

import hashlib
import logging
import re
from array import array
from typing import Iterable, NamedTuple

import numpy as np
import pandas as pd

from .cleaning import MASK
from .config import SEGMENTERS, Config
from .errors import ConfigError
from .frames import frame
from .resources import read_word_list, rule_file_cache

# jieba sets its own logger to DEBUG when imported and prints its cache-building chatter; quiet it once
# (before it is imported: jieba itself is imported only by the backend that uses it).
logging.getLogger("jieba").setLevel(logging.WARNING)

#: Tokens that never count as terms: numbers (with decimals, %, ranges), masked figures, Latin-only
#: fragments of one letter, and anything without a Chinese character or a letter.
NOT_A_TERM = re.compile(rf"^(?:[\d.,%\-~+{MASK}]+|[A-Za-z]|[^\u4e00-\u9fffA-Za-z]+)$")


def rjieba_class() -> type:
    """rjieba's tokenizer class, ``rjieba.Jieba``, loaded from its compiled module without running the
    package's ``__init__``, which builds a module-level tokenizer of its own (its dictionary read a second
    time, about 0.13 s in every process that segments: each worker of an ingest). The module is registered
    under its own name, so a later ``import rjieba`` finds it and gives the same class. Should rjieba's layout
    change, the package is imported as usual."""
    import sys

    module = sys.modules.get("rjieba.rjieba")
    if module is None and "rjieba" not in sys.modules:
        try:
            module = _load_extension("rjieba", "rjieba.rjieba")
        except Exception:  # noqa: BLE001 (any failure: the ordinary import below)
            module = None
    if module is None or not hasattr(module, "Jieba"):
        import rjieba

        return rjieba.Jieba
    return module.Jieba


def _load_extension(package: str, name: str):
    """The compiled module ``name`` inside ``package``, loaded and registered in ``sys.modules`` without
    importing ``package`` itself."""
    import importlib.machinery
    import importlib.util
    import sys
    from pathlib import Path

    spec = importlib.util.find_spec(package)  # located, not imported
    stem = name.rsplit(".", 1)[1]
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    path = next(path for folder in spec.submodule_search_locations for path in sorted(Path(folder).iterdir())
                if path.name.startswith(stem + ".") and path.name.endswith(suffixes))
    loader = importlib.machinery.ExtensionFileLoader(name, str(path))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader, origin=str(path)))
    sys.modules[name] = module
    try:
        loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


class Segmenter:
    """Segmentation with a domain dictionary and stopwords; ``terms`` drops what never counts.

    ``backend``: ``"rjieba"`` (default: the Rust port of jieba, with the same dictionary, about ten times
    faster) or ``"jieba"`` (a ``jieba.Tokenizer`` of our own, the reference implementation). On the seeds,
    the validation openings and a synthetic corpus (0.6 M characters) the two give the same span for 99.8%
    of all tokens and for every counted term; they differ on number ranges (``1-9`` is one token in rjieba,
    three in jieba), which are never terms. ``benchmarks/bench_scale.py`` measures this again on any corpus.
    """

    def __init__(self, user_dict: str | Iterable[str] | None = None, stopwords: str | Iterable[str] | None = None,
                 min_length: int = 2, extra_words: Iterable[str] = (), extra_stopwords: Iterable[str] = (),
                 backend: str = "rjieba"):
        if backend not in SEGMENTERS:
            raise ConfigError(f"segmenter '{backend}' unknown; choose one of {', '.join(SEGMENTERS)}")
        dict_files = ("user_dict.txt",) if user_dict is None else ((user_dict,) if isinstance(user_dict, str)
                                                                    else tuple(user_dict))
        stop_files = ("stopwords.txt",) if stopwords is None else ((stopwords,) if isinstance(stopwords, str)
                                                                   else tuple(stopwords))
        self.words = [w.split()[0] for f in dict_files for w in read_word_list(f)] + list(extra_words)
        self.stopwords = frozenset(w for f in stop_files for w in read_word_list(f)) | frozenset(extra_stopwords)
        self.min_length = min_length
        self.backend = backend
        if backend == "rjieba":
            self.tokenizer = rjieba_class()()
            for word in self.words:
                self.tokenizer.add_word(word, None, None)
        else:
            import jieba

            self.tokenizer = jieba.Tokenizer()
            for word in self.words:
                self.tokenizer.add_word(word)
        digest = hashlib.sha256("\n".join(sorted(self.words)).encode())
        digest.update("\n".join(sorted(self.stopwords)).encode())
        digest.update(f"{min_length} {backend}".encode())
        self.fingerprint = digest.hexdigest()[:16]

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        """Every token with its offsets in ``text`` (nothing dropped)."""
        return list(self.tokenizer.tokenize(text))

    def is_term(self, token: str) -> bool:
        """A token that counts: long enough, not a stopword, number, unit, masked figure or punctuation."""
        return len(token) >= self.min_length and token not in self.stopwords and not NOT_A_TERM.match(token)

    def terms(self, text: str) -> list[str]:
        """The tokens of ``text`` that count as terms, in order."""
        return [word for word, _, _ in self.tokens(text) if self.is_term(word)]


def config_segmenter(config: Config = Config()) -> Segmenter:
    """The segmenter of a Config's ``user_dict``, ``stopwords`` and ``segmenter`` backend (built once per
    process and version of the two files; jieba's first use takes about a second)."""
    return _segmenter(config.user_dict, config.stopwords, config.segmenter)


@rule_file_cache(maxsize=8)
def _segmenter(user_dict: str, stopwords: str, backend: str = "rjieba") -> Segmenter:
    return Segmenter(user_dict, stopwords, backend=backend)


class ReportTokens(NamedTuple):
    """The terms of one report, stored compactly: parallel arrays of sentence id and original-text offsets,
    and the terms joined into one string (``SEPARATOR``) — about 20 bytes a term instead of a tuple's 200."""

    sentence_id: array
    start: array
    end: array
    terms: str

    def __len__(self) -> int:
        return len(self.sentence_id)

    def term_list(self) -> list[str]:
        return self.terms.split(SEPARATOR) if self.terms else []


SEPARATOR = "\x1f"  # never part of a term: a term holds a Chinese character or a letter, no control character


def segment_report(report, segmenter: Segmenter) -> ReportTokens:
    """Segment one report (a pure function of the report and the segmenter): every term of every sentence,
    with original-text offsets."""
    sentence_ids, starts, ends, terms = array("i"), array("q"), array("q"), []
    tokens, is_term = segmenter.tokens, segmenter.is_term
    verdicts: dict[str, bool] = {}  # each distinct word judged once (a report repeats most of its words)
    for sentence in report.sentences:
        at, number = sentence.start, sentence.sentence_id
        for word, a, b in tokens(sentence.text):
            term = verdicts.get(word)
            if term is None:
                term = verdicts[word] = is_term(word)
            if term:
                sentence_ids.append(number)
                starts.append(at + a)
                ends.append(at + b)
                terms.append(word)
    if starts:  # cleaned-text offsets to the original's, all at once (a token is never empty)
        clean = report.clean
        first = np.asarray(clean.starts)[np.frombuffer(starts, dtype=np.int64)]
        last = np.asarray(clean.ends)[np.frombuffer(ends, dtype=np.int64) - 1]
        starts, ends = array("q", first.astype(np.int64).tobytes()), array("q", last.astype(np.int64).tobytes())
    return ReportTokens(sentence_ids, starts, ends, SEPARATOR.join(terms))


def report_tokens(report, segmenter: Segmenter) -> ReportTokens:
    """:func:`segment_report`, once per report and segmenter: kept with the report (``report.memo``), so it
    travels back from a worker process and into the per-report cache with it."""
    key = ("tokens", segmenter.fingerprint)
    if key not in report.memo:
        report.memo[key] = segment_report(report, segmenter)
    return report.memo[key]


TOKEN_COLUMNS = ["report_id", "sentence_id", "section_id", "role", "term", "start", "end", "is_heading"]
#: The types of the token table's columns that are not text (an empty table keeps them too).
TOKEN_TYPES = {"sentence_id": "int32", "section_id": "int32", "start": "int64", "end": "int64", "is_heading": "bool"}


def corpus_tokens(corpus, segmenter: Segmenter | None = None) -> pd.DataFrame:
    """Terms of every sentence: report_id, sentence_id, section_id, role, term (as segmented from the cleaned
    text), start, end (offsets into the original text), is_heading.

    ``segmenter``: default the corpus's (its Config's ``user_dict``, ``stopwords`` and ``segmenter``). Each
    report is segmented once per segmenter (and kept with the report); the corpus table is built once per corpus.
    """
    segmenter = segmenter or config_segmenter(corpus.config)
    key = ("tokens", segmenter.fingerprint)
    if key not in corpus.cache:
        arrays: dict[str, list] = {name: [] for name in ("sentence_id", "section_id", "role", "start", "end",
                                                          "is_heading")}
        ids, counts, terms = [], [], []
        for report in corpus:
            found = report_tokens(report, segmenter)
            if not len(found):  # no terms: no rows
                continue
            sentence_id = np.frombuffer(found.sentence_id, dtype=np.int32)
            section = np.array([s.section_id for s in report.sentences], dtype=np.int32)
            heading = np.array([s.is_heading for s in report.sentences], dtype=bool)
            roles = np.array([report.section_index[s.section_id].role for s in report.sentences], dtype=object)
            ids.append(report.report_id)
            counts.append(len(sentence_id))
            terms += found.term_list()
            for name, values in (("sentence_id", sentence_id), ("section_id", section[sentence_id]),
                                 ("role", roles[sentence_id]), ("start", np.frombuffer(found.start, dtype=np.int64)),
                                 ("end", np.frombuffer(found.end, dtype=np.int64)),
                                 ("is_heading", heading[sentence_id])):
                arrays[name].append(values)
        if ids:  # one table made at once (a table per report, then joined, cost twice the time)
            table = pd.DataFrame({"report_id": np.repeat(np.array(ids, dtype=object), counts), "term": terms,
                                  **{name: np.concatenate(parts) for name, parts in arrays.items()}},
                                 columns=TOKEN_COLUMNS)
        else:
            table = frame([], TOKEN_COLUMNS, TOKEN_TYPES)
        corpus.cache[key] = table
    return corpus.cache[key]


def segmenter_agreement(corpus, backends: tuple[str, str] = ("jieba", "rjieba")) -> pd.DataFrame:
    """How far two segmenters (with the corpus's dictionary and stopwords) agree, per report: tokens of the
    first, how many the second cuts at the same span, counted terms of the first and how many the second
    counts at the same span, and the two shares (``token_agreement``, ``term_agreement``)."""
    first, second = (_segmenter(corpus.config.user_dict, corpus.config.stopwords, b) for b in backends)
    rows = []
    for report in corpus:
        tokens = same = terms = same_terms = 0
        for sentence in report.sentences:
            a, b = first.tokens(sentence.text), set(second.tokens(sentence.text))
            counted = [t for t in a if first.is_term(t[0])]
            tokens, terms = tokens + len(a), terms + len(counted)
            same += sum(t in b for t in a)
            same_terms += sum(t in b for t in counted)
        rows.append((report.report_id, tokens, same, terms, same_terms))
    table = pd.DataFrame(rows, columns=["report_id", "tokens", "same_tokens", "terms", "same_terms"])
    table["token_agreement"] = table["same_tokens"] / table["tokens"].where(table["tokens"] > 0)
    table["term_agreement"] = table["same_terms"] / table["terms"].where(table["terms"] > 0)
    return table
