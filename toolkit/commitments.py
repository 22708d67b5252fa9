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

import re

import pandas as pd

from .cleaning import clean_text
from .clauses import (CLAUSE_TYPES, FIGURE_COLUMNS, GROWTH_COLUMNS, STRENGTHS, analyse_sentence, carried_scope, clauses_where,
                      figure_as_written, growth_as_written, report_clauses)
from .config import Config
from .corrections import apply_corrections
from .frames import frame
from .indicators import indicator_rules
from .structure import split_sentences

TARGET_COLUMNS = ["report_id", "sentence_id", "section_id", "path", "role", "year", "markers", "strength", "floor",
                  "quantitative", "indicator", "indicator_text", "indicator_known", *FIGURE_COLUMNS, "horizon",
                  "negated", "clause", "sentence", "start", "end"]
RESULT_COLUMNS = ["report_id", "sentence_id", "section_id", "path", "role", "year", "indicator", "indicator_text",
                  "indicator_known", "scope", "figure_kind", *FIGURE_COLUMNS, "ref_period", "estimate", *GROWTH_COLUMNS,
                  "clause", "sentence", "start", "end"]
#: The types of the results table's columns that are not text (an empty table keeps them too).
RESULT_TYPES = {c: CLAUSE_TYPES[c] for c in RESULT_COLUMNS if c in CLAUSE_TYPES} | {"indicator_known": "bool",
                                                                                   "estimate": "bool"}
FORECAST_COLUMNS = ["report_id", "sentence_id", "section_id", "path", "role", "year", "markers", "indicator",
                    "indicator_text", *FIGURE_COLUMNS, "horizon", "clause", "sentence", "start", "end"]
#: A figure given as what can be reached (全年可完成…, 可达Ⓧ亿元) is an estimate, as is one given as approximate.
ESTIMATE_CUES = re.compile(r"可(?:完成|达|实现|突破|超过)|估算|初步统计|预估")
#: A forecast is about a later year when it names one (明年, 2024年 after a 2023 review).
LATER_YEAR = re.compile(r"明年|来年|下一年|下年度|(\d{4})\s*年")


def _later_year(clause, section) -> bool:
    for match in LATER_YEAR.finditer(clause.text):
        if match.group(1) is None or (section.year is not None and int(match.group(1)) > section.year):
            return True
    return False


def targets(corpus, markers: str | None = None, indicators: str | None = None, *, overrides: dict | None = None
            ) -> pd.DataFrame:
    """Every target clause of the corpus, classified (see the module docstring for the columns' meaning).

    ``markers`` and ``indicators`` are rule files (``None``: the corpus's, ``corpus.config``); ``overrides``
    recodes markers for a sensitivity check (``{"力争": "binding"}``).

    Returns:
        One row per target clause: report, sentence, section (path, role, year), markers, strength, floor,
        quantitative, indicator (canonical, or as written where the indicator file does not know it:
        ``indicator_known``), indicator_text, value/unit/masked as written, horizon, negated,
        the clause as written, its cleaned sentence, and ``start``/``end`` (original offsets of the clause).
    """
    config = corpus.config.updated(target_markers=markers, indicators=indicators)
    table = clauses_where(corpus, lambda c: c.is_target and not c.is_heading, overrides, config).copy()
    table["clause"] = table["clause"].str.strip(" ;；。,，")
    table["indicator_known"] = table["indicator"].isin(set(indicator_rules(config.indicators)[1].values()))
    return apply_corrections(table[TARGET_COLUMNS].reset_index(drop=True), corpus.corrections)


def results(corpus, indicators: str | None = None, markers: str | None = None) -> pd.DataFrame:
    """Reported results: every figure with a named measure in clauses outside plan sections that are not
    targets — one row per figure, so ``Ⓧ家规上工业企业完成工业总产值Ⓧ亿元`` gives a count of firms and an output.

    The measure is the indicator file's name where it knows one (``indicator_known``, with the ``scope`` a
    qualifier names: 装备制造产业营业收入 is the sector's revenue), else the name as written (``应交税金``, ``数字经济核心产业增加值``); ``figure_kind`` is level, count, share (占…比重) or growth (a
    rate with no level, 地区生产总值增长9%). A growth rate with no name of its own (同比增长Ⓧ%) belongs to the figure
    before it, in its clause or at the end of the clause before. Rule files: as for :func:`targets`.

    Returns:
        One row per figure: report, sentence, section (path, role, year), indicator, indicator_text,
        indicator_known, figure_kind, the figure (value as a number, NaN where masked; value_text as written;
        value_high, unit, unit_factor, value_base, base_unit, masked, bound), ref_period, growth_* (growth
        signed, as a number), the clause as written,
        its cleaned sentence, and ``start``/``end`` (original offsets of the clause).
    """
    config = corpus.config.updated(target_markers=markers, indicators=indicators)
    rows = []
    for report in corpus:
        sections, paths = report.section_index, report.paths
        clauses = [c for c in report_clauses(report, config) if not c.is_heading]
        for index, clause in enumerate(clauses):
            section = sections[clause.section_id]
            if clause.is_target or section.role == "plan" or (clause.forecast and _later_year(clause, section)):
                continue  # targets, plans and forecasts of later years are not results
            named = [m for m in clause.measures if m.indicator and m.kind != "pool"]  # a pool is no result
            if not named:
                continue
            following = clauses[index + 1] if index + 1 < len(clauses) else None
            borrowed = _bare_growth(following) if following and following.sentence_id == clause.sentence_id else None
            a, b = report.clean.to_original(clause.start, clause.end)
            for measure in named:
                growth = measure.growth or (borrowed if measure is named[-1] and measure.kind != "growth" else None)
                rows.append((report.report_id, clause.sentence_id, clause.section_id, paths[clause.section_id],
                             section.role, section.year, measure.indicator, measure.indicator_text, measure.known,
                             measure.scope, measure.kind, *figure_as_written(report, measure, measure.bound), measure.ref_period,
                             clause.forecast or measure.bound == "approx" or bool(ESTIMATE_CUES.search(clause.text)),
                             *growth_as_written(report, growth), report.original[a:b].strip(),
                             report.sentences[clause.sentence_id].text, a, b))
    table = frame(rows, RESULT_COLUMNS, RESULT_TYPES)
    table["year"] = pd.array(table["year"].tolist(), dtype="Int64")
    table["growth_masked"] = table["growth_masked"].astype("boolean")  # one type, whatever the rows
    return apply_corrections(table, corpus.corrections)


def forecasts(corpus) -> pd.DataFrame:
    """Forecasts that are neither targets nor results: clauses read as forecasts (预计, 有望 …) in plan sections or
    about a later year than the one reviewed. (A forecast of the year under review is a result, ``estimate``.)

    Returns:
        One row per forecast clause: report, sentence, section (path, role, year), markers, indicator, the
        figure (``FIGURE_COLUMNS``), horizon, the clause as written, its sentence, original ``start``/``end``.
    """
    rows = []
    for report in corpus:
        sections, paths = report.section_index, report.paths
        for clause in report_clauses(report, corpus.config):
            section = sections[clause.section_id]
            if not clause.forecast or clause.is_heading or not (section.role == "plan" or _later_year(clause, section)):
                continue
            a, b = report.clean.to_original(clause.start, clause.end)
            rows.append((report.report_id, clause.sentence_id, clause.section_id, paths[clause.section_id],
                         section.role, section.year, clause.markers, clause.indicator, clause.indicator_text,
                         *figure_as_written(report, clause.figure, clause.bound), clause.horizon,
                         report.original[a:b].strip(" ;；。,，"), report.sentences[clause.sentence_id].text, a, b))
    table = pd.DataFrame(rows, columns=FORECAST_COLUMNS)
    table["year"] = pd.array(table["year"].tolist(), dtype="Int64")
    return table


#: Target year: a four-digit year in the target's horizon (到2025年底), else its section's year.
_YEAR = re.compile(r"(\d{4})\s*年")
PAIR_COLUMNS = ["park", "indicator", "scope", "year", "target_report", "strength", "bound", "target_value",
                "target_value_high", "target_unit", "target_clause", "result_report", "ref_period", "estimate",
                "result_value", "result_unit", "result_clause", "comparable", "met"]


def target_results(corpus, target_table: pd.DataFrame | None = None, result_table: pd.DataFrame | None = None
                   ) -> pd.DataFrame:
    """Targets set against the results reported for the same park, indicator, scope and year.

    A target for year *t* (its horizon's year, else its section's) is paired with each result for year *t*
    (the year of the review section that reports it) on the same indicator-file indicator and scope, in the
    same report or — when the manifest gives a ``park_id`` — in any report of the same park, so a plan set in
    one year's report meets the results in the next year's report. A pair is ``comparable`` when both
    figures are numbers in the same base unit and the result covers the whole year (``ref_period`` 全年 or
    none given); ``met`` then says whether the result reaches the target under its bound (floor and exact:
    at least the value; ceiling: at most; approx: within 5%; range: at least the lower end).

    Returns:
        One row per pair (``PAIR_COLUMNS``), in the order of the targets.
    """
    target_table = targets(corpus) if target_table is None else target_table
    result_table = results(corpus) if result_table is None else result_table
    reports = corpus.reports.set_index("report_id")
    park_of = {r: (reports.loc[r, "park_id"] if "park_id" in reports and reports.loc[r, "park_id"] else r)
               for r in reports.index}
    known = known_only(result_table)
    known = known.assign(park=known["report_id"].map(park_of),
                         scope=known["scope"].fillna("") if "scope" in known else "")
    rows = []
    for target in known_only(target_table).itertuples():
        match = _YEAR.search(str(target.horizon or ""))
        year = int(match.group(1)) if match else (None if pd.isna(target.year) else int(target.year))
        if year is None:
            continue
        candidates = known[(known["park"] == park_of[target.report_id]) & (known["indicator"] == target.indicator)
                           & (known["year"] == year) & (known["scope"] == "")]
        for result in candidates.itertuples():
            whole_year = pd.isna(result.ref_period) or result.ref_period == "全年"
            comparable = bool(not (pd.isna(target.value_base) or pd.isna(result.value_base))
                              and target.base_unit == result.base_unit and whole_year)
            rows.append((park_of[target.report_id], target.indicator, None, year, target.report_id,
                         target.strength, target.bound, target.value, target.value_high, target.unit, target.clause,
                         result.report_id, result.ref_period, result.estimate, result.value, result.unit,
                         result.clause, comparable,
                         _met(target.bound, target.value_base, target.value_high * target.unit_factor,
                              result.value_base) if comparable else None))
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


def _met(bound: str, target: float, high: float, result: float) -> bool:
    if bound == "ceiling":
        return result <= target
    if bound == "approx":
        return abs(result - target) <= 0.05 * abs(target)
    return result >= target


def _bare_growth(clause) -> dict | None:
    """同比增长Ⓧ% standing alone in the next clause: a growth rate that names no measure of its own."""
    if clause.indicator is not None and not clause.indicator_inherited:
        return None
    bare = [m for m in clause.measures if m.kind == "growth" and m.indicator is None]
    return bare[0].growth if bare and len(clause.measures) == 1 else None


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


def known_only(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a targets or results table whose indicator the indicator file knows."""
    return table[table["indicator_known"].astype(bool)] if "indicator_known" in table else table


def indicator_coverage(target_table: pd.DataFrame, result_table: pd.DataFrame, known: bool = True) -> pd.DataFrame:
    """Per indicator: how many targets and results name it, in how many reports, and which side is missing.

    ``known``: only indicators the indicator file knows (names as written vary too much to pair up)."""
    if known:
        target_table, result_table = known_only(target_table), known_only(result_table)
    targeted = target_table.dropna(subset=["indicator"]).groupby("indicator").agg(
        n_targets=("clause", "size"), reports_targeting=("report_id", "nunique"))
    reported = result_table.dropna(subset=["indicator"]).groupby("indicator").agg(
        n_results=("clause", "size"), reports_reporting=("report_id", "nunique"))
    table = targeted.join(reported, how="outer").fillna(0).astype(int)
    table["status"] = ["targeted and reported" if t and r else ("targeted only" if t else "reported only")
                       for t, r in zip(table["n_targets"], table["n_results"])]
    return table.sort_values(["n_targets", "n_results"], ascending=False)


#: Codings of the sensitivity check: marker → strength recodings (``None``: the default scheme).
SCHEMES = {"default": None, "力争 as binding": {"力争": "binding"}, "预期 as binding": {"预期": "binding"},
           "预期 as striving": {"预期": "striving"}, "预期 excluded": "exclude-expected"}


def strength_sensitivity(corpus, roles: tuple[str, ...] | None = PLAN_ROLES) -> pd.DataFrame:
    """Each report's share of binding targets under the codings of ``SCHEMES``: the default, 力争 counted as
    binding, expected (预期) targets counted as binding or as striving, and expected targets left out.

    Returns:
        Index report_id; one column per scheme (share of binding targets among the targets counted).
    """
    columns = {}
    for name, scheme in SCHEMES.items():
        if scheme == "exclude-expected":
            table = targets(corpus)
            table = table[table["strength"].ne("expected")]
        else:
            table = targets(corpus, overrides=scheme)
        columns[name] = strength_profile(table, roles)["binding_share"]
    return pd.DataFrame(columns).reindex(corpus.report_ids)


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
