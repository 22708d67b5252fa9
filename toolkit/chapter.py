"""Chapter set-up for the book: load the corpus in data/, set display options and fonts, save and glue figures.

Chapters only present: every measure they show comes from a toolkit function; these helpers do the rest.
"""

from __future__ import annotations

import warnings

import pandas as pd

from .corpus import Corpus, load_corpus


def setup_chapter(path=None) -> Corpus:
    """Load the corpus (default ``data/reports``) with the researchers' corrections in
    ``data/annotations/corrections.csv`` (when there), register the Chinese font, set table display options.

    Warnings about odd reports (not in the manifest, no headings …) are kept in ``corpus.load_notes``, with
    paths relative to the project, for the introduction to show once.
    """
    from .plotting import setup_fonts  # imported here: `import toolkit` does not pay for matplotlib

    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_rows", 200)
    setup_fonts()
    from .paths import annotations_dir, project_root

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = load_corpus(path, corrections=annotations_dir() / "corrections.csv")
    root = str(project_root()) + "/"
    corpus.load_notes = [str(w.message).replace(root, "") for w in caught]  # paths relative to the project
    return corpus


def chapter_figure(fig, name: str) -> None:
    """Save a figure as ``figures/NAME.png`` and glue it as ``fig_NAME`` for a ``{glue:figure}`` directive."""
    import matplotlib.pyplot as plt
    from myst_nb import glue

    from .plotting import save_figure

    save_figure(fig, name)
    glue(f"fig_{name}", fig, display=False)
    plt.close(fig)
