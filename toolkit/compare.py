"""Comparison: measures that put reports side by side, with length and period accounted for.

Theme profiles (per 10,000 characters and by share), report-to-report similarity (TF-IDF cosine over
tokens, as a matrix with an order for heatmaps, or each report's nearest reports for corpora of any size), structure (sections per level, share of text by role), quantification
density (figures per 1,000 characters, share masked), indicator coverage, and template language shared
between reports (near-identical sentences found through an inverted index of character shingles, so the
search stays fast on large corpora).
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations

import numpy as np
import pandas as pd

from .cleaning import MASK
from .indicators import find_figures
from .segmentation import Segmenter, corpus_tokens
from .themes import theme_counts

ROLE_ORDER = ("review", "plan", "problem", "mixed", "other")


def theme_profiles(corpus, value: str = "per_10k", lexicon: str | None = None) -> pd.DataFrame:
    """Report × theme table of ``per_10k`` (length-normalised) or ``share`` (of the report's theme mentions)."""
    table = theme_counts(corpus, "report", lexicon)
    return table.pivot_table(index="report_id", columns="theme", values=value, observed=True)


#: Above this many reports the report × report similarity matrix (N² numbers, and a figure no one can read)
#: is not built: :func:`nearest_reports` gives each report's closest reports in time and memory linear in N.
DENSE_SIMILARITY_LIMIT = 2_000


def similarity(corpus, segmenter: Segmenter | None = None) -> pd.DataFrame:
    """Report × report cosine similarity of TF-IDF term vectors (1 on the diagonal).

    Quadratic in the number of reports: refused above :data:`DENSE_SIMILARITY_LIMIT` reports (use
    :func:`nearest_reports`)."""
    if len(corpus) > DENSE_SIMILARITY_LIMIT:
        raise ValueError(f"{len(corpus):,} reports: a {len(corpus):,} × {len(corpus):,} similarity matrix is too "
                         f"large (limit {DENSE_SIMILARITY_LIMIT:,}); use nearest_reports(corpus, k) instead")
    vectors, ids = tfidf_vectors(corpus, segmenter)
    matrix = (vectors @ vectors.T).toarray()
    np.fill_diagonal(matrix, [1.0 if vectors[i].nnz else 0.0 for i in range(len(ids))])
    return pd.DataFrame(matrix, index=pd.Index(ids, name="report_id"), columns=pd.Index(ids, name="report_id"))


def tfidf_vectors(corpus, segmenter: Segmenter | None = None):
    """(vectors, report ids): each report's L2-normalised TF-IDF term vector as a row of a sparse matrix
    (scipy CSR), smooth idf ln((1+n)/(1+df)) + 1, in corpus order."""
    from scipy import sparse

    tokens = corpus_tokens(corpus, segmenter)
    ids = corpus.report_ids
    rows = pd.Categorical(tokens["report_id"], categories=ids).codes
    terms, vocabulary = pd.factorize(tokens["term"])
    counts = sparse.coo_matrix((np.ones(len(tokens)), (rows, terms)), shape=(len(ids), len(vocabulary))).tocsr()
    counts.sum_duplicates()
    df = np.bincount(counts.indices, minlength=len(vocabulary))
    weights = counts.multiply(np.log((1 + len(ids)) / (1 + df)) + 1).tocsr()
    norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.diags(1 / norms) @ weights, ids


def nearest_reports(corpus, k: int = 5, segmenter: Segmenter | None = None, block: int = 512) -> pd.DataFrame:
    """Each report's ``k`` most similar other reports (TF-IDF cosine, as :func:`similarity`), computed a block
    of rows at a time: memory and time grow with N × block, not N², so it serves corpora of any size.

    Returns report_id, rank (1 = closest), neighbour, similarity; ties are broken by corpus order.
    """
    vectors, ids = tfidf_vectors(corpus, segmenter)
    n = len(ids)
    k = max(0, min(k, n - 1))
    rows = []
    transposed = vectors.T.tocsc()
    for start in range(0, n, block):
        end = min(n, start + block)
        scores = (vectors[start:end] @ transposed).toarray()
        scores[np.arange(end - start), np.arange(start, end)] = -np.inf  # not its own neighbour
        if k == 0:
            continue
        kths = -np.partition(-scores, k - 1, axis=1)[:, k - 1]  # each row's k-th highest similarity
        for i, kth in enumerate(kths):
            # the reports closer than the k-th, and of those as close as it the earliest in the corpus
            above = np.flatnonzero(scores[i] > kth)
            candidates = np.concatenate([above, np.flatnonzero(scores[i] == kth)[:k - len(above)]])
            values = scores[i, candidates]
            order = np.lexsort((candidates, -values))
            for rank, j in enumerate(order, start=1):
                rows.append((ids[start + i], rank, ids[candidates[j]], float(values[j])))
    return pd.DataFrame(rows, columns=["report_id", "rank", "neighbour", "similarity"])


def similarity_order(matrix: pd.DataFrame) -> list[str]:
    """Leaf order of average-linkage clustering on 1 − similarity: similar reports end up side by side."""
    if len(matrix) < 3:
        return list(matrix.index)
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    distance = np.clip(1 - matrix.to_numpy(), 0, None)
    np.fill_diagonal(distance, 0)
    tree = linkage(squareform((distance + distance.T) / 2, checks=False), method="average")
    return [matrix.index[i] for i in leaves_list(tree)]


def most_similar_pairs(matrix: pd.DataFrame) -> pd.DataFrame:
    """Every pair of reports with its similarity, most similar first."""
    rows = [{"report_a": a, "report_b": b, "similarity": matrix.loc[a, b]} for a, b in combinations(matrix.index, 2)]
    return pd.DataFrame(rows).sort_values("similarity", ascending=False).reset_index(drop=True)


def report_structure(corpus) -> pd.DataFrame:
    """Per report: size (:meth:`Corpus.sizes`), headings per level, and the share of text in each section role."""
    sections = corpus.sections
    levels = sections[sections["level"] > 0].pivot_table(index="report_id", columns="level", values="section_id",
                                                         aggfunc="count", fill_value=0)
    levels = levels.reindex(columns=range(1, 5), fill_value=0)
    levels.columns = [f"level_{c}" for c in levels.columns]
    by_role = corpus.sizes("role").pivot_table(index="report_id", columns="role", values="n_chars", aggfunc="sum",
                                               fill_value=0)
    by_role = by_role.reindex(columns=list(ROLE_ORDER), fill_value=0)
    shares = by_role.div(by_role.sum(axis=1), axis=0).add_prefix("share_")
    table = levels.join(shares, how="outer").fillna(0)
    table.insert(0, "n_chars", corpus.sizes("report").set_index("report_id")["n_chars"])
    return table.reindex(corpus.report_ids)


def quantification(corpus) -> pd.DataFrame:
    """Per report: figures (a number or masked number with a unit) in its sentences, per 1,000 characters
    (:meth:`Corpus.sizes`), and the share masked."""
    rows = []
    for report in corpus:
        figures = [f for sentence in report.sentences for f in find_figures(sentence.text)]
        masked = sum(f.masked for f in figures)
        rows.append({"report_id": report.report_id, "n_chars": report.size, "figures": len(figures),
                     "figures_per_1k": len(figures) / report.size * 1000 if report.size else 0.0,
                     "masked_figures": masked, "share_masked": masked / len(figures) if figures else 0.0})
    return pd.DataFrame(rows).set_index("report_id")


#: The per-report measures :func:`report_measures` gives, with what each is.
MEASURES = {
    "n_chars": "characters (white space not counted)",
    "share_review": "share of the text in review sections",
    "share_plan": "share of the text in plan sections",
    "share_problem": "share of the text in problem sections",
    "figures_per_1k": "figures per 1,000 characters",
    "share_masked": "share of figures masked",
    "targets_per_10k": "target clauses per 10,000 characters",
    "binding_share": "share of targets that are binding (确保类)",
    "quantitative_share": "share of targets that name a figure",
    "problem_categories": "problem categories named",
}


def report_measures(corpus, target_table: pd.DataFrame | None = None, problem_table: pd.DataFrame | None = None,
                    target_roles: tuple[str, ...] | None = ("plan",)) -> pd.DataFrame:
    """The per-report measures that profiles and the comparison chapter set side by side (see ``MEASURES``).

    Targets count in sections whose role is in ``target_roles`` (default plan sections: a 确保 in a review
    describes practice; ``None`` counts every target). Every rate divides by the one size, ``n_chars``.
    """
    from .commitments import targets as all_targets  # imported here: comparison needs no clause reading
    from .difficulties import problems as all_problems

    target_table = all_targets(corpus) if target_table is None else target_table
    problem_table = all_problems(corpus) if problem_table is None else problem_table
    if target_roles is not None:
        target_table = target_table[target_table["role"].isin(target_roles)]
    table = report_structure(corpus)[["n_chars", "share_review", "share_plan", "share_problem"]]
    table = table.join(quantification(corpus)[["figures_per_1k", "share_masked"]])
    grouped = target_table.groupby("report_id")
    counts = grouped.size().reindex(table.index, fill_value=0)
    table["targets_per_10k"] = counts / table["n_chars"] * 10_000
    table["binding_share"] = grouped["strength"].agg(lambda s: s.eq("binding").mean()).reindex(table.index)
    table["quantitative_share"] = grouped["quantitative"].mean().reindex(table.index)
    named = problem_table[problem_table["statement"] == "problem"]
    table["problem_categories"] = named.groupby("report_id")["category"].nunique().reindex(table.index,
                                                                                           fill_value=0)
    return table


def indicator_matrix(target_table: pd.DataFrame, result_table: pd.DataFrame, report_ids=None, known: bool = True
                     ) -> pd.DataFrame:
    """Indicator × report marks: T (targeted), R (reported as a result), TR (both), '' (neither); ``known``:
    only indicators the indicator file knows."""
    if known:
        from .commitments import known_only

        target_table, result_table = known_only(target_table), known_only(result_table)
    targeted = set(zip(target_table["indicator"], target_table["report_id"]))
    reported = set(zip(result_table["indicator"], result_table["report_id"]))
    indicators = sorted({i for i, _ in targeted | reported if isinstance(i, str)})
    reports = list(report_ids) if report_ids is not None else sorted({r for _, r in targeted | reported})
    marks = [[("T" if (i, r) in targeted else "") + ("R" if (i, r) in reported else "") for r in reports]
             for i in indicators]
    return pd.DataFrame(marks, index=pd.Index(indicators, name="indicator"), columns=reports)


_NOT_CONTENT = re.compile(rf"[\s{MASK}\d，。；：、！？“”‘’（）《》()\-.%]")


def _shingles(text: str, size: int) -> set[str]:
    core = _NOT_CONTENT.sub("", text)
    return {core[i:i + size] for i in range(len(core) - size + 1)}


def template_sentences(corpus, threshold: float = 0.6, min_chars: int = 12, shingle: int = 4) -> pd.DataFrame:
    """Near-identical sentences in different reports (Jaccard similarity of character shingles ≥ threshold).

    Numbers, masks and punctuation are ignored, so 完成固定资产投资*亿元 and 完成固定资产投资X亿元 match; the
    texts shown are the sentences as written.
    Candidates come from an inverted index of shingles; only pairs sharing shingles are compared.
    """
    sentences = corpus.sentences
    sentences = sentences[~sentences["is_heading"] & (sentences["text"].str.len() >= min_chars)]
    records = [(r.report_id, r.sentence_id, corpus[r.report_id].original[r.start:r.end].strip(),
                _shingles(r.text, shingle)) for r in sentences.itertuples()]
    records = [r for r in records if len(r[3]) >= 3]
    index: dict[str, list[int]] = defaultdict(list)
    for i, (_, _, _, grams) in enumerate(records):
        for gram in grams:
            index[gram].append(i)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for members in index.values():
        if len(members) > 200:  # a shingle in hundreds of sentences is boilerplate of the genre itself
            continue
        for a, b in combinations(members, 2):
            if records[a][0] != records[b][0]:
                shared[(a, b)] += 1
    rows = []
    for (a, b), common in shared.items():
        union = len(records[a][3]) + len(records[b][3]) - common
        score = common / union if union else 0.0
        if score >= threshold:
            ra, rb = records[a], records[b]
            rows.append({"report_a": ra[0], "sentence_a": ra[1], "text_a": ra[2], "report_b": rb[0],
                         "sentence_b": rb[1], "text_b": rb[2], "similarity": score})
    columns = ["report_a", "sentence_a", "text_a", "report_b", "sentence_b", "text_b", "similarity"]
    return pd.DataFrame(rows, columns=columns).sort_values("similarity", ascending=False).reset_index(drop=True)


def group_means(table: pd.DataFrame, reports: pd.DataFrame, by: str) -> pd.DataFrame:
    """Mean of every numeric column of a report-indexed table per group (park_type or kind), with group size."""
    groups = reports.set_index("report_id")[by]
    joined = table.join(groups)
    means = joined.groupby(by).mean(numeric_only=True)
    means.insert(0, "n_reports", joined.groupby(by).size())
    return means
