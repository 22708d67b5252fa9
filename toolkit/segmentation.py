"""Segmentation: jieba with the genre's user dictionary and stopwords, on a tokenizer of our own.

The module-level jieba tokenizer is never touched (other code shares it); each :class:`Segmenter` owns a
``jieba.Tokenizer``. Tokens of a corpus are computed once per segmenter and reused by every analysis.

>>> seg = Segmenter()
>>> seg.terms("园区坚持招商引资，专精特新企业新增Ⓧ家。")
['招商引资', '专精特新', '企业', '新增']
"""

from __future__ import annotations

import hashlib
import logging
import re
from functools import lru_cache
from typing import Iterable

import jieba
import pandas as pd

from .cleaning import MASK
from .config import Config
from .resources import read_word_list

# jieba sets its own logger to DEBUG when imported and prints its cache-building chatter; quiet it once.
logging.getLogger("jieba").setLevel(logging.WARNING)

#: Tokens that never count as terms: numbers (with decimals, %, ranges), masked figures, Latin-only
#: fragments of one letter, and anything without a Chinese character or a letter.
NOT_A_TERM = re.compile(rf"^(?:[\d.,%\-~+{MASK}]+|[A-Za-z]|[^\u4e00-\u9fffA-Za-z]+)$")


class Segmenter:
    """jieba segmentation with a domain dictionary and stopwords; ``terms`` drops what never counts."""

    def __init__(self, user_dict: str | Iterable[str] | None = None, stopwords: str | Iterable[str] | None = None,
                 min_length: int = 2, extra_words: Iterable[str] = (), extra_stopwords: Iterable[str] = ()):
        dict_files = ("user_dict.txt",) if user_dict is None else ((user_dict,) if isinstance(user_dict, str)
                                                                    else tuple(user_dict))
        stop_files = ("stopwords.txt",) if stopwords is None else ((stopwords,) if isinstance(stopwords, str)
                                                                   else tuple(stopwords))
        self.words = [w.split()[0] for f in dict_files for w in read_word_list(f)] + list(extra_words)
        self.stopwords = frozenset(w for f in stop_files for w in read_word_list(f)) | frozenset(extra_stopwords)
        self.min_length = min_length
        self.tokenizer = jieba.Tokenizer()
        for word in self.words:
            self.tokenizer.add_word(word)
        digest = hashlib.sha256("\n".join(sorted(self.words)).encode())
        digest.update("\n".join(sorted(self.stopwords)).encode())
        digest.update(str(min_length).encode())
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


@lru_cache(maxsize=8)
def config_segmenter(config: Config = Config()) -> Segmenter:
    """The segmenter of a Config's ``user_dict`` and ``stopwords`` (built once per process and pair of files;
    jieba's first use takes about a second)."""
    return _segmenter(config.user_dict, config.stopwords)


@lru_cache(maxsize=8)
def _segmenter(user_dict: str, stopwords: str) -> Segmenter:
    return Segmenter(user_dict, stopwords)


#: Terms of each report, keyed by (report sha256, report_id, segmenter fingerprint): computed once per process
#: and shared by every corpus that holds the report (a profile's reference corpus, a chapter's corpus …).
_REPORT_TOKENS: dict[tuple[str, str, str], list[tuple]] = {}


def report_tokens(report, segmenter: Segmenter) -> list[tuple]:
    """Terms of one report: (report_id, sentence_id, section_id, role, term, start, end, is_heading), with
    ``start``/``end`` offsets into the original text."""
    key = (report.sha256, report.report_id, segmenter.fingerprint)
    if key not in _REPORT_TOKENS:
        sections, to_original = report.section_index, report.clean.to_original
        rows = []
        for sentence in report.sentences:
            role = sections[sentence.section_id].role
            for word, a, b in segmenter.tokens(sentence.text):
                if segmenter.is_term(word):
                    start, end = to_original(sentence.start + a, sentence.start + b)
                    rows.append((report.report_id, sentence.sentence_id, sentence.section_id, role, word, start, end,
                                 sentence.is_heading))
        _REPORT_TOKENS[key] = rows
    return _REPORT_TOKENS[key]


def corpus_tokens(corpus, segmenter: Segmenter | None = None) -> pd.DataFrame:
    """Terms of every sentence: report_id, sentence_id, section_id, role, term (as segmented from the cleaned
    text), start, end (offsets into the original text), is_heading.

    ``segmenter``: default the corpus's (its Config's ``user_dict`` and ``stopwords``). Each report is
    segmented once per process and segmenter; the corpus table is built once per corpus.
    """
    segmenter = segmenter or config_segmenter(corpus.config)
    key = ("tokens", segmenter.fingerprint)
    if key not in corpus.cache:
        rows = [row for report in corpus for row in report_tokens(report, segmenter)]
        corpus.cache[key] = pd.DataFrame(rows, columns=["report_id", "sentence_id", "section_id", "role", "term",
                                                        "start", "end", "is_heading"])
    return corpus.cache[key]
