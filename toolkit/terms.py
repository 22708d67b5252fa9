"""Terms: frequency per report and per section role, and distinctive terms per report (keyness).

Keyness is the weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
"Fightin' Words"): each report against the rest of the corpus, the pooled counts as the prior, ranked by the
z-score. It is chosen over TF-IDF because a corpus of a handful of reports gives IDF only a few values —
a term used everywhere gets zero weight however unevenly it is used — while the log-odds z-score uses the
counts themselves and discounts differences that rest on a few occurrences.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .segmentation import Segmenter, corpus_tokens


def term_frequency(corpus, by: str = "report", segmenter: Segmenter | None = None,
                   include_headings: bool = True) -> pd.DataFrame:
    """Term counts per report (or per report and role): count, per_10k characters, rank within the unit."""
    if by not in ("report", "role"):
        raise ValueError("by must be 'report' or 'role'")
    tokens = corpus_tokens(corpus, segmenter)
    if not include_headings:
        tokens = tokens[~tokens["is_heading"]]
    keys = ["report_id"] if by == "report" else ["report_id", "role"]
    counts = tokens.groupby(keys + ["term"]).size().rename("count").reset_index()
    table = counts.merge(corpus.sizes(by), on=keys)
    table["per_10k"] = table["count"] / table["n_chars"] * 10_000
    table = table.sort_values(keys + ["count", "term"], ascending=[True] * len(keys) + [False, True])
    table["rank"] = table.groupby(keys).cumcount() + 1
    return table.reset_index(drop=True)


def top_terms(corpus, n: int = 15, segmenter: Segmenter | None = None) -> pd.DataFrame:
    """The ``n`` most frequent terms of each report."""
    table = term_frequency(corpus, "report", segmenter)
    return table[table["rank"] <= n].reset_index(drop=True)


def keyness(corpus, segmenter: Segmenter | None = None, prior_strength: float = 1.0, min_count: int = 2
            ) -> pd.DataFrame:
    """Distinctive terms of each report against the rest: log-odds with informative Dirichlet prior.

    Returns report_id, term, count, count_rest, log_odds, z, rank (by z, within report); only terms used at
    least ``min_count`` times in the report.
    """
    counts = term_frequency(corpus, "report", segmenter).pivot_table(index="term", columns="report_id",
                                                                       values="count", fill_value=0)
    total = counts.sum(axis=1)
    alpha = prior_strength * total  # informative prior: the pooled corpus counts
    alpha0 = alpha.sum()
    rows = []
    for report_id in counts.columns:
        y_i = counts[report_id]
        y_j = total - y_i
        n_i, n_j = y_i.sum(), y_j.sum()
        log_odds_i = np.log((y_i + alpha) / (n_i + alpha0 - y_i - alpha))
        log_odds_j = np.log((y_j + alpha) / (n_j + alpha0 - y_j - alpha))
        delta = log_odds_i - log_odds_j
        z = delta / np.sqrt(1.0 / (y_i + alpha) + 1.0 / (y_j + alpha))
        frame = pd.DataFrame({"report_id": report_id, "term": counts.index, "count": y_i.values,
                              "count_rest": y_j.values, "log_odds": delta.values, "z": z.values})
        rows.append(frame[frame["count"] >= min_count])
    table = pd.concat(rows, ignore_index=True).sort_values(["report_id", "z"], ascending=[True, False])
    table["rank"] = table.groupby("report_id").cumcount() + 1
    return table.reset_index(drop=True)
