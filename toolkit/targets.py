"""Targets: find target clauses, classify how firmly they commit, and keep reported results apart.

A sentence is cut into clauses at ，and ：. A clause is a **target** when it carries a commitment marker of
its own (确保, 力争, 计划, 预计, 目标 … — ``data/target_markers.csv``), when it gives a figure or a floor
inside the scope of a marker earlier in the sentence (力争A，B，C), or, in a plan section, when a target
verb (实现, 达到, 突破, 新增 …) comes with a figure. A clause that reports what was done — 已, 累计完成,
截至, and outside plan sections 同比增长 — is a **result**, never a target, and ends a marker's scope.
Headings are not targets.

Each target gets: its markers; ``strength`` (binding / striving / planned / expected, or None when only
目标, a floor or a figure marks it); ``floor`` (…以上 after a figure, 不低于/至少/超过 before one — not
规模以上, not 较大以上); ``quantitative`` (a figure with a unit, masked or not, or 翻番); the ``indicator``
with value, unit and masked flag; the ``horizon`` (全年, 年底, 上半年, 十四五期间, 到*年底, 2023年 …); and
``negated`` for commitments not to let something happen (确保不发生…事故: a binding qualitative target).

>>> [(t["strength"], t["floor"], t["indicator"]) for t in classify_text("力争全年新开工项目*个以上。")]
[('striving', True, '新开工项目')]
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from .cleaning import MASK, clean_text
from .errors import ConfigError
from .indicators import DOUBLING, GROWTH_WORDS, find_figures, find_growth, find_indicators
from .resources import read_table
from .structure import matching_brackets, split_sentences

STRENGTHS = ("binding", "striving", "planned", "expected")
RESULT_CUES = re.compile(r"已经?(?!于)|现已|累计(?:完成|实现|引进|签约|新增|发放|投入|盘活|办结)|截至|截止|完成了|实现了|"
                         r"取得了|共计完成")
#: Outside plan sections these report a result: growth against a base, a reporting period (1-9月), the present.
RESULT_CUES_OUTSIDE_PLANS = re.compile(rf"同比|环比|较去年|较上年|比上年|比去年|目前|现有|"
                                       rf"(?:\d{{1,2}}|{MASK})\s*-\s*(?:\d{{1,2}}|{MASK})\s*月")
#: An expected outcome (预计, 有望) is a target only when it names a figure or something to be done.
FORECAST_ACTS = re.compile(r"实现|达到|达|突破|完成|新增|引进|签约|开工|投产|建成|竣工|完工|通车|投用|启动|落地|增长")
#: A list item that inherits a marker outside a plan section is short (预计新增规上企业X家，高企X家).
SHORT_LIST_ITEM = 16
#: How far (in characters) an indicator may stand before the figure that measures it: 营业收入达到Ⓧ亿元.
NEAR = 12
TARGET_VERBS = re.compile(r"实现|达到|达|突破|完成|新增|引进|招引|超过|翻番|翻一番|冲刺|培育|签约|开工|投产|建成|增长|"
                          r"提高到|提升到|提升至|控制在|保持在|维持在|发行|入库")
FLOOR_BEFORE = re.compile(r"(?:不低于|不少于|至少|超过|高于|多于|超)\s*$")
FLOOR_AFTER = re.compile(r"^\s*以上(?=$|[，。；、）)\s]|和|及|或|，)")
NEGATION = re.compile(r"不发生|杜绝|不出现|零发生|不得|不突破|控制在")
HORIZONS = (re.compile(rf"到\s*(?:{MASK}|\d{{4}})\s*年(?:底|末)?"), re.compile(r"十[一二三四五六七八九]五(?:期间|末|时期)?"),
            re.compile(rf"(?:{MASK}|\d{{4}})\s*年(?:底|末|上半年|下半年|内)?"), re.compile(r"全年|年底|年末|年内"),
            re.compile(r"上半年|下半年|明年|今年|三年内|五年内"))
CLAUSE_BREAKS = "，：,:"


@lru_cache(maxsize=8)
def marker_rules(source: str = "target_markers.csv") -> tuple[tuple[str, str, re.Pattern], ...]:
    """(marker, strength, pattern) from the package table or a user's file; strength 'none' means unranked."""
    table = read_table(source, required=("marker", "strength", "pattern"))
    rules = []
    for row in table.itertuples(index=False):
        if row.strength not in STRENGTHS + ("none",):
            raise ConfigError(f"{source}: marker {row.marker!r} has unknown strength {row.strength!r}")
        rules.append((row.marker, row.strength, re.compile(row.pattern)))
    rules.append(("目标", "none", re.compile(r"(?<!这一)(?<!这个)(?<![该此])目标(?!导向|定位|责任)")))
    return tuple(rules)


def split_clauses(text: str) -> list[tuple[int, int]]:
    """Clause spans of a sentence, cut at ，and ：outside quotes and brackets."""
    protected = matching_brackets(text)
    spans, begin = [], 0
    for i, ch in enumerate(text):
        if ch in CLAUSE_BREAKS and i not in protected:
            if text[begin:i].strip():
                spans.append((begin, i))
            begin = i + 1
    if text[begin:].strip(" 。；！？"):
        spans.append((begin, len(text)))
    return spans


def _horizon(text: str) -> tuple[int, int] | None:
    found = [m.span() for pattern in HORIZONS for m in [pattern.search(text)] if m]
    return min(found) if found else None


def analyse_sentence(text: str, role: str, scope: dict | None = None, markers: str = "target_markers.csv",
                     indicators: str = "indicators.csv", overrides: dict | None = None):
    """Analyse one cleaned sentence. Returns (clauses, scope at the end) where each clause is a dict.

    ``scope`` carries a marker's strength (and horizon) from earlier clauses or from the previous sentence
    when that one ended with ；or ：. ``overrides`` maps marker names to another strength.
    """
    overrides = overrides or {}
    rules = marker_rules(markers)
    scope = dict(scope) if scope else None
    last_indicator = None
    last_horizon = None  # a target clause without a horizon of its own takes the sentence's last one
    clauses = []
    for start, end in split_clauses(text):
        clause = text[start:end]
        quoted = matching_brackets(clause)  # 落实“三个必须”原则: a marker inside quotes is part of a name
        matches = [(m, name, strength) for name, strength, pattern in rules for m in pattern.finditer(clause)
                   if m.start() not in quoted]
        own = sorted((m.start(), name, overrides.get(name, strength)) for m, name, strength in matches)
        own_spans = [m.span() for m, _, _ in matches]
        own = [o for i, o in enumerate(own) if o[1] not in {x[1] for x in own[:i]}]
        result_cue = RESULT_CUES.search(clause) or (role != "plan" and RESULT_CUES_OUTSIDE_PLANS.search(clause))
        figures = find_figures(clause)
        floor = any(FLOOR_AFTER.match(clause[f.end:]) or FLOOR_BEFORE.search(clause[:f.start]) for f in figures)
        quantitative = bool(figures) or bool(DOUBLING.search(clause))
        found = find_indicators(clause, indicators)
        indicator, figure = _indicator_of(clause, found, figures)
        inherited = False
        if indicator is None and figures and last_indicator and GROWTH_WORDS.search(clause):
            indicator, inherited = last_indicator, True  # 全年增速*%以上: the growth of the indicator just named
        if found:
            last_indicator = indicator or found[0]
        horizon = _horizon(clause)
        horizon_text = clause[horizon[0]:horizon[1]] if horizon else None
        last_horizon = horizon_text or last_horizon
        if own and all(s == "expected" for _, _, s in own) and not (figures or FORECAST_ACTS.search(clause)):
            own = []  # 预计大部分企业仍旧比较困难: a forecast, not a target
        if own and result_cue and all(s in ("planned", "expected", "none") for _, _, s in own):
            own = []  # 拟申报…范围现已明确: what has been done outweighs a weak marker in the same clause

        if result_cue and not own:
            is_target = False
        elif own:
            is_target = not _only_marker_and_horizon(clause, own_spans, horizon)
            strengths = [s for _, _, s in own if s != "none"]
            scope = {"strength": strengths[0] if strengths else None, "markers": [n for _, n, _ in own]}
        elif scope and (quantitative or floor) and (role == "plan" or len(clause) <= SHORT_LIST_ITEM):
            is_target = True
        elif role == "plan" and quantitative and TARGET_VERBS.search(clause):
            is_target = True
            scope = {"strength": None, "markers": []}
        else:
            is_target = False
        current = scope or {"strength": None, "markers": []}
        clauses.append({
            "clause_start": start, "clause_end": end, "clause": clause, "is_target": is_target,
            "markers": "、".join(n for _, n, _ in own) if own else ("、".join(current["markers"]) if is_target else ""),
            "strength": current["strength"] if is_target else None,
            "floor": floor, "quantitative": quantitative,
            "indicator": indicator[2] if indicator else None, "indicator_text": indicator[3] if indicator else None,
            "indicator_inherited": inherited,
            "figure": figure, "growth": _growth_here(clause, start),
            "horizon": horizon_text or (last_horizon if is_target else None),
            "negated": bool(NEGATION.search(clause)) and is_target,
        })
        if not is_target and not own:
            scope = None  # a clause that is neither a target nor opens a list ends the marker's reach
    return clauses, scope


HEADER_WORDS = re.compile(r"主要|是|在|要|的|期间|为")


def _only_marker_and_horizon(clause: str, spans: list[tuple[int, int]], horizon: tuple[int, int] | None) -> bool:
    """到2025年底 / 力争十四五期间 / 主要预期目标: a clause that only opens a list of targets."""
    covered = set()
    for a, b in spans + ([horizon] if horizon else []):
        covered.update(range(a, b))
    rest = "".join(ch for i, ch in enumerate(clause) if i not in covered)
    rest = HEADER_WORDS.sub("", rest)
    return sum("\u4e00" <= ch <= "\u9fff" or ch.isalnum() for ch in rest) < 2


def _growth_here(clause: str, clause_start: int) -> dict | None:
    growth = find_growth(clause)
    return {**growth, "clause_start": clause_start} if growth else None


def _indicator_of(clause: str, found: list, figures: list) -> tuple[tuple | None, object]:
    """Pair a clause's indicator with its figure.

    The figure's indicator is the nearest one ending at most ``NEAR`` characters before it (规上企业营业收入Ⓧ亿元 →
    营业收入), or in a ratio (A占B比重超过Ⓧ%) the one before 占; else one right after a count (Ⓧ家规上工业企业).
    Without such a pair: the first indicator and the first figure, unpaired.
    """
    for figure in figures:
        before = [f for f in found if f[1] <= figure.start and figure.start - f[1] <= NEAR]
        if before:
            ratio = clause.find("占")
            if ratio > 0 and before[0][1] <= ratio < figure.start:
                return before[0], figure
            return before[-1], figure
        after = [f for f in found if f[0] == figure.end]
        if after:
            return after[0], figure
    near_none = [f for f in found if not figures]
    return (near_none[0] if near_none else None), (figures[0] if figures else None)


def _iter_clauses(corpus, markers: str, indicators: str, overrides: dict | None):
    """Every clause of every sentence with its report, sentence and section context, and the clause after it."""
    for report in corpus:
        by_id = {s.section_id: s for s in report.sections}
        scope = None
        previous_end = None
        for sentence_id, section_id, start, end, text, is_heading in report.sentences:
            section = by_id[section_id]
            between = report.text[previous_end:start] if previous_end is not None else "\n"
            carry = scope if section.role == "plan" and previous_end is not None and "\n" not in between and \
                report.text[previous_end - 1] in "；：" else None
            clauses, scope = analyse_sentence(text, section.role, carry, markers, indicators, overrides)
            previous_end = end
            if is_heading:
                scope = None
                continue
            for index, clause in enumerate(clauses):
                following = clauses[index + 1] if index + 1 < len(clauses) else None
                yield report, sentence_id, section, start, text, clause, following


def _figure_columns(report, start: int, clause: dict) -> dict:
    figure = clause["figure"]
    if figure is None:
        return {"value": None, "unit": None, "masked": False}
    a, b = report.clean.to_original(start + clause["clause_start"] + figure.start,
                                    start + clause["clause_start"] + figure.end)
    written = report.original[a:b]
    value = written[: len(written) - len(figure.unit)].rstrip("余多 ") if written.endswith(figure.unit) else written
    return {"value": value, "unit": figure.unit, "masked": figure.masked}


def targets(corpus, markers: str = "target_markers.csv", indicators: str = "indicators.csv",
            overrides: dict | None = None) -> pd.DataFrame:
    """Every target clause of the corpus, classified (see the module docstring for the columns' meaning)."""
    paths = corpus.sections.set_index(["report_id", "section_id"])["path"]
    rows = []
    for report, sentence_id, section, start, text, clause, _ in _iter_clauses(corpus, markers, indicators,
                                                                              overrides):
        if not clause["is_target"]:
            continue
        a, b = report.clean.to_original(start + clause["clause_start"], start + clause["clause_end"])
        rows.append({"report_id": report.report_id, "sentence_id": sentence_id, "section_id": section.section_id,
                     "path": paths[(report.report_id, section.section_id)], "role": section.role,
                     "year": section.year, "markers": clause["markers"], "strength": clause["strength"],
                     "floor": clause["floor"], "quantitative": clause["quantitative"],
                     "indicator": clause["indicator"], "indicator_text": clause["indicator_text"],
                     **_figure_columns(report, start, clause), "horizon": clause["horizon"], "negated": clause["negated"],
                     "clause": report.original[a:b].strip(" ;；。,，"), "sentence": text, "start": a, "end": b})
    columns = ["report_id", "sentence_id", "section_id", "path", "role", "year", "markers", "strength", "floor",
               "quantitative", "indicator", "indicator_text", "value", "unit", "masked", "horizon", "negated",
               "clause", "sentence", "start", "end"]
    table = pd.DataFrame(rows, columns=columns)
    table["year"] = pd.array(table["year"].tolist(), dtype="Int64")
    return table


def results(corpus, indicators: str = "indicators.csv", markers: str = "target_markers.csv") -> pd.DataFrame:
    """Reported results: indicator mentions with a figure in review (and preamble/problem) clauses that are not
    targets, with growth (同比/环比 增长/下降) where given — one row per indicator mention."""
    paths = corpus.sections.set_index(["report_id", "section_id"])["path"]
    rows = []
    for report, sentence_id, section, start, text, clause, following in _iter_clauses(corpus, markers, indicators,
                                                                                      None):
        if clause["is_target"] or section.role == "plan" or clause["indicator"] is None:
            continue
        if clause["indicator_inherited"] or clause["figure"] is None:
            continue  # a bare 同比增长*% is the growth of the row before it, attached below
        growth = clause["growth"] or _growth_of_next(following) or {}
        if growth:
            growth = dict(growth)
            offset = start + growth.pop("clause_start")
            a, b = report.clean.to_original(offset + growth["value_start"], offset + growth["value_end"])
            growth["growth_value"] = report.original[a:b]
        a, b = report.clean.to_original(start + clause["clause_start"], start + clause["clause_end"])
        figure = _figure_columns(report, start, clause)
        rows.append({"report_id": report.report_id, "sentence_id": sentence_id, "section_id": section.section_id,
                     "path": paths[(report.report_id, section.section_id)], "role": section.role,
                     "year": section.year, "indicator": clause["indicator"], "indicator_text": clause["indicator_text"],
                     **figure, "growth_basis": growth.get("growth_basis"),
                     "growth_direction": growth.get("growth_direction"), "growth_value": growth.get("growth_value"),
                     "growth_unit": growth.get("growth_unit"), "growth_masked": growth.get("growth_masked"),
                     "clause": report.original[a:b].strip(), "sentence": text, "start": a, "end": b})
    columns = ["report_id", "sentence_id", "section_id", "path", "role", "year", "indicator", "indicator_text",
               "value", "unit", "masked", "growth_basis", "growth_direction", "growth_value", "growth_unit",
               "growth_masked", "clause", "sentence", "start", "end"]
    table = pd.DataFrame(rows, columns=columns)
    table["year"] = pd.array(table["year"].tolist(), dtype="Int64")
    return table


def _growth_of_next(following: dict | None) -> dict | None:
    """同比增长*% in the next clause belongs to this indicator, unless that clause names an indicator of its own."""
    if following is None or (following["indicator"] is not None and not following["indicator_inherited"]):
        return None
    return following["growth"]


def classify_text(text: str, role: str = "plan", overrides: dict | None = None) -> list[dict]:
    """Targets in a piece of text (cleaned first), as dicts — for trying the rules on a sentence or two."""
    cleaned = clean_text(text).text
    found, scope = [], None
    for sentence in split_sentences(cleaned):
        clauses, scope = analyse_sentence(sentence.text, role, scope, overrides=overrides)
        if not sentence.text.endswith(("；", "：")):
            scope = None
        for clause in clauses:
            if clause["is_target"]:
                found.append({"clause": clause["clause"], "strength": clause["strength"], "floor": clause["floor"],
                              "quantitative": clause["quantitative"], "indicator": clause["indicator"],
                              "markers": clause["markers"], "negated": clause["negated"],
                              "horizon": clause["horizon"],
                              "unit": clause["figure"].unit if clause["figure"] else None})
    return found


def strength_profile(table: pd.DataFrame) -> pd.DataFrame:
    """Targets per report by strength (counts and shares), plus the share that is quantitative and has a floor."""
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


def commitment_ranking(default: pd.DataFrame, alternative: pd.DataFrame, label: str = "力争 as binding"
                       ) -> pd.DataFrame:
    """Reports ranked by their share of binding targets under two strength schemes, with the rank change."""
    def ranked(table):
        share = table.assign(binding=table["strength"].eq("binding")).groupby("report_id")["binding"].mean()
        return share, share.rank(ascending=False, method="min").astype(int)

    share_a, rank_a = ranked(default)
    share_b, rank_b = ranked(alternative)
    table = pd.DataFrame({"binding_share": share_a, "rank": rank_a, f"binding_share ({label})": share_b,
                          f"rank ({label})": rank_b})
    table["rank_change"] = table["rank"] - table[f"rank ({label})"]
    return table.sort_values("rank")
