"""Targets and results: the clauses that commit to something, how firmly, and the figures reported as done.

Both tables are views of the one clause reading (:mod:`toolkit.clauses`): a **target** is a clause read as
committing (确保…, 力争…, 计划…, or a figure in a plan section with a target verb); a **result** is a
clause outside plan sections that gives a figure for a named indicator and is not a target. Headings are
neither.

Each target has its ``markers``; ``strength`` (binding / striving / planned / expected, or None when only
目标, a floor or a figure marks it); ``floor``; ``quantitative``; the ``indicator`` with value, unit and
masked flag; the ``horizon``; and ``negated`` for commitments not to let something happen (确保不发生…事故).

>>> [(t["strength"], t["floor"], t["indicator"]) for t in classify_text("力争全年新开工项目*个以上。")]
[('striving', True, '新开工项目')]
"""

from __future__ import annotations

import pandas as pd

from .cleaning import clean_text
from .clauses import STRENGTHS, analyse_sentence, carried_scope, clause_table
from .config import Config
from .structure import split_sentences

TARGET_COLUMNS = ["report_id", "sentence_id", "section_id", "path", "role", "year", "markers", "strength", "floor",
                  "quantitative", "indicator", "indicator_text", "value", "unit", "masked", "horizon", "negated",
                  "clause", "sentence", "start", "end"]
RESULT_COLUMNS = ["report_id", "sentence_id", "section_id", "path", "role", "year", "indicator", "indicator_text",
                  "value", "unit", "masked", "growth_basis", "growth_direction", "growth_value", "growth_unit",
                  "growth_masked", "clause", "sentence", "start", "end"]
GROWTH_COLUMNS = ["growth_basis", "growth_direction", "growth_value", "growth_unit", "growth_masked"]


def targets(corpus, markers: str | None = None, indicators: str | None = None, *, overrides: dict | None = None
            ) -> pd.DataFrame:
    """Every target clause of the corpus, classified (see the module docstring for the columns' meaning).

    ``markers`` and ``indicators`` are rule files (``None``: the corpus's, ``corpus.config``); ``overrides``
    recodes markers for a sensitivity check (``{"力争": "binding"}``).

    Returns:
        One row per target clause: report, sentence, section (path, role, year), markers, strength, floor,
        quantitative, indicator (canonical and as written), value/unit/masked as written, horizon, negated,
        the clause as written, its cleaned sentence, and ``start``/``end`` (original offsets of the clause).
    """
    config = corpus.config.updated(target_markers=markers, indicators=indicators)
    clauses = clause_table(corpus, overrides, config)
    table = clauses[clauses["is_target"] & ~clauses["is_heading"]].copy()
    table["clause"] = table["clause"].str.strip(" ;；。,，")
    return table[TARGET_COLUMNS].reset_index(drop=True)


def results(corpus, indicators: str | None = None, markers: str | None = None) -> pd.DataFrame:
    """Reported results: indicator mentions with a figure in review (and preamble/problem) clauses that are not
    targets, with growth (同比/环比 增长/下降) where given — one row per indicator mention.

    A bare 同比增长*% in the next clause of the same sentence is the growth of this indicator, unless that
    clause names an indicator of its own. Rule files: as for :func:`targets`.
    """
    clauses = clause_table(corpus, config=corpus.config.updated(target_markers=markers, indicators=indicators))
    clauses = clauses[~clauses["is_heading"]]
    following = clauses.groupby(["report_id", "sentence_id"], sort=False).shift(-1)
    next_is_bare = following["indicator"].isna() | following["indicator_inherited"].eq(True)
    keep = (~clauses["is_target"] & clauses["role"].ne("plan") & clauses["indicator"].notna()
            & ~clauses["indicator_inherited"] & clauses["unit"].notna())
    table = clauses[keep].copy()
    borrow = table["growth_direction"].isna() & next_is_bare[keep] & following.loc[keep, "growth_direction"].notna()
    for column in GROWTH_COLUMNS:
        table[column] = table[column].astype(object)
        table.loc[borrow, column] = following.loc[table.index[borrow], column]
    table["clause"] = table["clause"].str.strip()
    return table[RESULT_COLUMNS].reset_index(drop=True)


def classify_text(text: str, role: str = "plan", config: Config = Config(), overrides: dict | None = None
                  ) -> list[dict]:
    """Targets in a piece of text (cleaned first), as dicts — for trying the rules on a sentence or two."""
    cleaned = clean_text(text, config.boilerplate).text
    found, scope = [], None
    for sentence in split_sentences(cleaned):
        clauses, scope = analyse_sentence(sentence.text, role, scope, config, overrides)
        scope = carried_scope(scope, role) if sentence.text.endswith(("；", "：")) else None
        for clause in clauses:
            if clause.is_target:
                found.append({"clause": clause.text, "strength": clause.strength, "floor": clause.floor,
                              "quantitative": clause.quantitative, "indicator": clause.indicator,
                              "markers": clause.markers, "negated": clause.negated, "horizon": clause.horizon,
                              "unit": clause.figure.unit if clause.figure else None})
    return found


#: Sections whose targets count in strength profiles and rankings by default: a 确保 in a review section
#: describes practice (确保各支部有一名指导员), a 确保 in a plan commits.
PLAN_ROLES = ("plan",)


def strength_profile(table: pd.DataFrame, roles: tuple[str, ...] | None = PLAN_ROLES) -> pd.DataFrame:
    """Targets per report by strength (counts and shares), plus the share that is quantitative and has a floor.

    ``roles``: the section roles whose targets count (default plan sections; ``None``: every section).
    """
    if roles is not None:
        table = table[table["role"].isin(roles)]
    strength = table["strength"].fillna("none")
    counts = pd.crosstab(table["report_id"], strength).reindex(columns=list(STRENGTHS) + ["none"], fill_value=0)
    shares = counts.div(counts.sum(axis=1), axis=0)
    summary = table.groupby("report_id").agg(n_targets=("clause", "size"), quantitative=("quantitative", "mean"),
                                             floor=("floor", "mean"), masked=("masked", "mean"))
    return counts.add_suffix("_n").join(shares.add_suffix("_share")).join(summary)


def indicator_coverage(target_table: pd.DataFrame, result_table: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: how many targets and results name it, in how many reports, and which side is missing."""
    targeted = target_table.dropna(subset=["indicator"]).groupby("indicator").agg(
        n_targets=("clause", "size"), reports_targeting=("report_id", "nunique"))
    reported = result_table.dropna(subset=["indicator"]).groupby("indicator").agg(
        n_results=("clause", "size"), reports_reporting=("report_id", "nunique"))
    table = targeted.join(reported, how="outer").fillna(0).astype(int)
    table["status"] = ["targeted and reported" if t and r else ("targeted only" if t else "reported only")
                       for t, r in zip(table["n_targets"], table["n_results"])]
    return table.sort_values(["n_targets", "n_results"], ascending=False)


def commitment_ranking(default: pd.DataFrame, alternative: pd.DataFrame, label: str = "力争 as binding",
                       roles: tuple[str, ...] | None = PLAN_ROLES) -> pd.DataFrame:
    """Reports ranked by their share of binding targets under two strength schemes, with the rank change.

    ``roles``: the section roles whose targets count (default plan sections; ``None``: every section).
    """
    if roles is not None:
        default = default[default["role"].isin(roles)]
        alternative = alternative[alternative["role"].isin(roles)]

    def ranked(table):
        share = table.assign(binding=table["strength"].eq("binding")).groupby("report_id")["binding"].mean()
        return share, share.rank(ascending=False, method="min").astype(int)

    share_a, rank_a = ranked(default)
    share_b, rank_b = ranked(alternative)
    table = pd.DataFrame({"binding_share": share_a, "rank": rank_a, f"binding_share ({label})": share_b,
                          f"rank ({label})": rank_b})
    table["rank_change"] = table["rank"] - table[f"rank ({label})"]
    return table.sort_values("rank")
