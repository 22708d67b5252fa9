"""Chapter set-up for the book: load the corpus in data/, set display options and fonts, in one call."""

from __future__ import annotations

import warnings

import pandas as pd

from .corpus import Corpus, load_corpus
from .plotting import setup_fonts


def setup_chapter(path=None) -> Corpus:
    """Load the corpus (default ``data/reports``), register the Chinese font, set table display options.

    Warnings about odd reports are shown once, here, so a reader sees them at the top of the chapter.
    """
    pd.set_option("display.max_colwidth", 80)
    pd.set_option("display.max_rows", 80)
    pd.set_option("display.float_format", "{:.2f}".format)
    setup_fonts()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = load_corpus(path)
    for warning in caught:
        print(f"warning: {warning.message}")
    return corpus
