"""Clauses: the one reading of every clause that targets, results and problems share.

A sentence is cut into clauses at ，and ：(never inside quotes or brackets). Each clause is read once per
report — a pure function of the parsed report and two rule files (``target_markers``, ``indicators``), so it
can be computed in a worker process and cached — and gets:

- ``is_target``: it carries a commitment marker of its own (确保, 力争, 计划, 预计, 目标 … — the vocabulary is
  ``data/target_markers.csv``), or gives a figure or a floor inside the scope of a marker earlier in the
  sentence (力争A，B，C), or, in a plan section, comes with a target verb (实现, 达到, 突破, 新增 …) and a figure.
  A clause that reports what was done — 已, 累计完成, 截至, and outside plan sections 同比增长 — is a result,
  never a target, and ends a marker's scope;
- ``strength`` (binding / striving / planned / expected, or None when only 目标, a floor or a figure marks it)
  and the ``markers`` that decided it;
- ``floor`` (…以上 after a figure, 不低于/至少/超过 before one — not 规模以上, not 较大以上), ``quantitative``
  (a figure with a unit, masked or not, or 翻番), the ``indicator`` the figure measures, the ``figure``, a
  ``growth`` rate, the ``horizon`` (全年, 到*年底, 十四五期间 …) and ``negated`` (确保不发生…事故).

The grammatical cues below — how a clause reports, forecasts, negates or only opens a list — are constants
of this module, not data files: they describe how Chinese asserts, not what parks talk about.

>>> [(c.strength, c.floor, c.indicator) for c in analyse_sentence("力争全年新开工项目Ⓧ个以上。", "plan")[0]]
[('striving', True, '新开工项目')]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Callable, NamedTuple

import numpy as np
import pandas as pd

from .cleaning import MASK
from .config import CLAUSE_RULES, Config
from .errors import ConfigError
from .frames import frame
from .indicators import (COUNT_UNITS, COUNTED_NOUNS, DOUBLING, GROWTH, GROWTH_WORDS, SHARE_BEFORE, Figure, figure_numbers,
                         find_figures, find_growth, find_indicators, indicator_rules, measure_before)
from .patterns import searcher
from .resources import read_table, rule_file_cache, rules_held
from .structure import matching_brackets

STRENGTHS = ("binding", "striving", "planned", "expected")
#: A marker of this strength (预计, 预估, 有望, 可望) forecasts: its clause is never a target. In a review of the
#: year it estimates it is a result flagged ``estimate``; about a later year it is a forecast (:func:`forecasts`).
FORECAST = "forecast"
#: Words and phrases that report something done: a clause holding one is a result, never a target.
RESULT_CUES = re.compile(r"已经?(?!于)|现已|累计(?:完成|实现|引进|签约|新增|发放|投入|盘活|办结)|截至|截止|完成了|实现了|"
                         r"取得了|共计完成|(?:全面|全部|圆满|超额|顺利|如期)完成(?![^，。；]{0,6}(?:任务|目标))")
#: A slogan framed as a means or banner, 以决战南区、冲刺千亿为冲锋号 / 以“三个必须”为抓手: its markers name, not commit.
SLOGAN_FRAME = re.compile(r"以[^，。；]{1,24}?为(?:冲锋号|抓手|引领|主线|总纲|方向|核心|突破口|契机|牵引|统领|号角|目标)")
#: A goal referred to, not set: 围绕“工业强市”目标, 紧扣目标任务, 对照年度目标 — 目标 here names a goal already set.
GOAL_REFERENCE = re.compile(r"(?:围绕|紧扣|对照|锚定|聚焦|朝着|向着|按照|紧盯|对标|实现了?)[^，。；]{0,12}目标")
#: Outside plan sections these report a result: growth against a base, a reporting period (1-9月), the present.
RESULT_CUES_OUTSIDE_PLANS = re.compile(rf"同比|环比|较去年|较上年|比上年|比去年|目前|现有|"
                                       rf"(?:\d{{1,2}}|{MASK})\s*-\s*(?:\d{{1,2}}|{MASK})\s*月|"
                                       # progress against a plan: 完成53.76%, 完成年度计划的56%, 超序时进度
                                       rf"完成(?:[^，。；]{{0,8}}?的)?\s*(?:\d+(?:\.\d+)?|{MASK})\s*%|时间进度|序时进度")
#: An expected outcome (预计, 有望) is a target only when it names a figure or something to be done.
FORECAST_ACTS = re.compile(r"实现|达到|达|突破|完成|新增|引进|签约|开工|投产|建成|竣工|完工|通车|投用|启动|落地|增长")
#: A list item that inherits a marker outside a plan section is short (预计新增规上企业X家，高企X家).
SHORT_LIST_ITEM = 16
#: How far (in characters) an indicator may stand before the figure that measures it: 营业收入达到Ⓧ亿元.
NEAR = 12
#: Verbs that, with a figure, make a plan-section clause a target even without a marker.
TARGET_VERBS = re.compile(r"实现|达到|达|突破|完成|新增|引进|招引|超过|翻番|翻一番|冲刺|培育|签约|开工|投产|建成|增长|"
                          r"提高到|提升到|提升至|控制在|保持在|维持在|发行|入库")
FLOOR_BEFORE = re.compile(r"(?:不低于|不少于|至少|超过|高于|多于|超)\s*$")
FLOOR_AFTER = re.compile(r"^\s*以上(?=$|[，。；、）)\s]|和|及|或|，)")
#: The other bounds of a figure, as the literature on Chinese growth targets codes them: a ceiling (控制在…以内,
#: 不超过), an approximate value (7%左右, 约Ⓧ亿元), a range (4.5%-5%, 8%至10%); else the figure is exact.
CEILING_BEFORE = re.compile(r"(?:控制在|不超过|不高于|低于|压减到|压降到)[^，。；]{0,6}$")
CEILING_AFTER = re.compile(r"^\s*(?:以内|以下)")
APPROX_BEFORE = re.compile(r"(?:约|大约|近|接近|将近)\s*$")
APPROX_AFTER = re.compile(r"^\s*(?:左右|上下)")
RANGE_AFTER = re.compile(rf"^\s*[-~—至到]\s*(?:\d+(?:\.\d+)?|{MASK})")
#: What stands before a list of names that 分别 pairs with figures: frames of time and place, verbs of doing.
LIST_HEAD = re.compile(r"^.*(?:其中|全年|园区|全区|共有|共|累计|实现|完成|新增|引进)|[^\u4e00-\u9fffA-Za-z]+$")
#: A pool of candidates named after what they may become (高企苗子库, 入库培育企业, 后备企业): not the thing itself.
POOL = re.compile(r"(?:苗子|培育|后备|储备|梯队)(?:库|池|企业|名单)?")
#: The span a figure covers (its reference period), read in its clause or, failing that, earlier in its sentence.
PERIODS = re.compile(rf"全年|上半年|下半年|前三季度|[一二三四]季度|第[一二三四]季度|单月|当月|本月|"
                     rf"(?:\d{{1,2}}|{MASK})\s*[-~—至]\s*(?:\d{{1,2}}|{MASK})\s*月份?|"
                     rf"截[至止]\s*(?:(?:\d{{4}}|{MASK})\s*年)?\s*(?:\d{{1,2}}|{MASK})?\s*月?(?:底|末)?|累计")
#: A commitment that something will not happen (确保不发生…, 杜绝…).
NEGATION = re.compile(r"不发生|杜绝|不出现|零发生|不得|不突破|控制在")
HORIZONS = (re.compile(rf"到\s*(?:{MASK}|\d{{4}})\s*年(?:底|末)?"), re.compile(r"十[一二三四五六七八九]五(?:期间|末|时期)?"),
            re.compile(rf"(?:{MASK}|\d{{4}})\s*年(?:底|末|上半年|下半年|内)?"), re.compile(r"全年|年底|年末|年内"),
            re.compile(r"上半年|下半年|明年|今年|三年内|五年内"))
#: Every horizon pattern at once: a sentence holding none (most) is searched once, not once per pattern.
ANY_HORIZON = re.compile("|".join(f"(?:{p.pattern})" for p in HORIZONS))
#: The result cues searched in every clause, searched fast (:func:`toolkit.patterns.searcher`).
_has_result_cue, _has_result_cue_outside_plans = searcher(RESULT_CUES), searcher(RESULT_CUES_OUTSIDE_PLANS)
CLAUSE_BREAKS = "，：,:"
_BREAK_CANDIDATES = re.compile(f"[{re.escape(CLAUSE_BREAKS)}、]")
#: What is left of a clause that only opens a list (到2025年底 / 力争十四五期间 / 主要预期目标是).
HEADER_WORDS = re.compile(r"主要|是|在|要|的|期间|为|性|指标|如下|具体")


class Measure(NamedTuple):
    """One figure of a clause and what it measures (offsets into the text the clause was read from)."""

    start: int
    end: int
    value: str
    unit: str
    masked: bool
    kind: str  # level, count, share, growth, rank or pool
    indicator: str | None  # canonical name from the indicator file, else the name as written
    indicator_text: str | None  # the name as written
    known: bool  # the indicator file knows the name
    growth: dict | None  # the growth rate given for this figure (find_growth's dict), if any
    bound: str = "exact"  # floor, ceiling, approx, range or exact
    ref_period: str | None = None  # 全年, 上半年, 1-9月, 截至9月底, 累计 … as written
    scope: str | None = None  # whose figure, when a qualifier names it (装备制造产业, 规上企业); None: the park


class Clause(NamedTuple):
    """One clause of a report. Offsets are into the report's cleaned text (the tables map them back)."""

    sentence_id: int
    section_id: int
    index: int  # position of the clause in its sentence
    start: int
    end: int
    text: str
    is_heading: bool
    is_target: bool
    markers: str
    strength: str | None
    floor: bool
    quantitative: bool
    indicator: str | None
    indicator_text: str | None
    indicator_inherited: bool
    figure: Figure | None  # offsets into the cleaned report text
    growth: dict | None  # find_growth's dict, value offsets into the cleaned report text
    horizon: str | None
    negated: bool
    measures: tuple[Measure, ...] = ()  # every figure of the clause with its measure
    bound: str | None = None  # of the clause's figure: floor, ceiling, approx, range, exact
    forecast: bool = False  # read as a forecast (预计…, or an item of a 预计 list): never a target


@rule_file_cache(maxsize=16)
def marker_rules(source: str = "target_markers.csv") -> tuple[tuple[str, str, re.Pattern], ...]:
    """(marker, strength, pattern) from the package table or a user's file; strength 'none' means unranked."""
    table = read_table(source, required=("marker", "strength", "pattern"))
    rules = []
    for row in table.itertuples(index=False):
        if row.strength not in STRENGTHS + (FORECAST, "none"):
            raise ConfigError(f"{source}: marker {row.marker!r} has unknown strength {row.strength!r}")
        try:
            rules.append((row.marker, row.strength, re.compile(row.pattern)))
        except re.error as err:
            raise ConfigError(f"{source}: marker {row.marker!r} has a bad pattern: {err}") from None
    return tuple(rules)


def join_patterns(patterns: list[re.Pattern]) -> re.Pattern | None:
    """One pattern that matches wherever one of ``patterns`` matches, or None when they cannot be joined
    safely (back-references, conditionals, global flags, a group name used twice …): then each is tried."""
    if not patterns or any(re.search(r"\\[1-9]|\(\?P=|\(\?\(", p.pattern) or p.flags & ~re.UNICODE
                           for p in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p in patterns))
    except re.error:
        return None


def joined_searcher(patterns: list[re.Pattern]) -> Callable[[str], bool]:
    """Whether a text holds a match of one of ``patterns`` (a prefilter: most clauses hold none and are passed
    over in one search): their :func:`join_patterns`, searched fast (:func:`toolkit.patterns.searcher`); always
    True when they cannot be joined (then each is tried)."""
    joined = join_patterns(patterns)
    return searcher(joined) if joined is not None else (lambda text: True)


@rule_file_cache(maxsize=16)
def marker_searcher(source: str = "target_markers.csv") -> Callable[[str], bool]:
    """Whether a clause may hold a marker of the file (:func:`joined_searcher` of its markers)."""
    return joined_searcher([pattern for _, _, pattern in marker_rules(source)])


def marker_table(config: Config = Config()) -> pd.DataFrame:
    """The target markers of ``config`` as a table: marker, strength, pattern, example."""
    table = read_table(config.target_markers, required=("marker", "strength", "pattern"))
    return table[[c for c in ("marker", "strength", "pattern", "example") if c in table.columns]]


#: How far after a 、 the next figure may start for the 、 to separate two items of a list of figures.
ITEM_REACH = 16


def split_clauses(text: str) -> list[tuple[int, int]]:
    """Clause spans of a sentence, cut at ，and ：outside quotes and brackets, and at a 、 that separates two
    figures (投资增长18%、力争22% / 新增规上企业Ⓧ家、高企Ⓧ家: each item its own clause) — but not in a
    分别 construction (A、B分别达Ⓧ亿元、Ⓧ亿元), where names and figures pair up across the list."""
    return _clause_spans(text)[0]


def _clause_spans(text: str) -> tuple[list[tuple[int, int]], list[Figure]]:
    """:func:`split_clauses`, and the sentence's figures (found once: a figure never holds a clause break, so a
    clause's figures are the sentence's figures inside it)."""
    protected = matching_brackets(text)
    figures = find_figures(text)
    ends = {f.end for f in figures}
    starts = [f.start for f in figures]
    spans, begin = [], 0
    for stop in _BREAK_CANDIDATES.finditer(text):  # only the possible breaks are visited
        i, ch = stop.start(), stop.group()
        near = starts[bisect_right(starts, i):bisect_right(starts, i + ITEM_REACH)]  # figures just after it
        item_break = ch == "、" and i in ends and "分别" not in text[begin:i] and any(
            not any(c in CLAUSE_BREAKS for c in text[i:a]) for a in near)
        if (ch in CLAUSE_BREAKS or item_break) and i not in protected:
            if text[begin:i].strip():
                spans.append((begin, i))
            begin = i + 1
    if text[begin:].strip(" 。；！？"):
        spans.append((begin, len(text)))
    return spans, figures


def _figures_within(figures: list[Figure], starts: list[int], start: int, end: int) -> list[Figure]:
    """The figures (sorted, with their ``starts``) lying within ``start:end``, with offsets from ``start``."""
    return [Figure(f.start - start, f.end - start, f.value, f.unit, f.masked)
            for f in figures[bisect_left(starts, start):bisect_left(starts, end)] if f.end <= end]


def _sentence_periods(text: str, found: list) -> list:
    """Period phrases of a sentence, searched once per sentence (not once per clause: a sentence as long as a
    report copied without 。 would be scanned again for every clause). A phrase never holds a clause break, so
    the phrases before a clause are those that end before it."""
    if not found:
        found.append(list(PERIODS.finditer(text)))
    return found[0]


def _horizon(text: str, patterns=HORIZONS) -> tuple[int, int] | None:
    found = [m.span() for pattern in patterns for m in [pattern.search(text)] if m]
    return min(found) if found else None


def sentence_sieve(pattern: re.Pattern) -> Callable[[str], bool]:
    """A test of a sentence: whether ``pattern`` may match in some clause of it (True when unsure)."""
    return searcher(pattern) if context_free(pattern) else (lambda sentence: True)


@rule_file_cache(maxsize=16)
def _sentence_sieves(indicators: str) -> tuple:
    """The sieves a sentence passes through once before its clauses are read: indicator names, growth rates,
    any horizon, and each horizon pattern (with its sieve); built once, not looked up for every sentence."""
    return (sentence_sieve(indicator_rules(indicators)[0]), sentence_sieve(GROWTH), sentence_sieve(ANY_HORIZON),
            tuple((pattern, sentence_sieve(pattern)) for pattern in HORIZONS))


@lru_cache(maxsize=256)
def context_free(pattern: re.Pattern) -> bool:
    """Whether a match of ``pattern`` depends on its matched characters alone (no anchor, lookaround or word
    boundary): then a pattern found nowhere in a sentence is found in none of its clauses, and one search of
    the sentence spares a search of each clause."""
    return not re.search(r"\(\?<?[=!]|(?<!\\)\$|(?<![\\\[])\^|\\[bBAZ]", pattern.pattern)


def analyse_sentence(text: str, role: str, scope: dict | None = None, config: Config = Config(),
                     overrides: dict | None = None) -> tuple[list[Clause], dict | None]:
    """Read one cleaned sentence. Returns (clauses, scope at the end); offsets are within ``text`` and
    sentence/section ids are 0 (:func:`read_clauses` places them in the report).

    ``scope`` carries a marker's strength from earlier clauses or from the previous sentence when that one
    ended with ；or ：. ``overrides`` maps marker names to another strength (a sensitivity check).
    """
    return _read_sentence(text, role, scope, config, overrides)


def _read_sentence(text: str, role: str, scope: dict | None, config: Config, overrides: dict | None,
                   sentence=None) -> tuple[list[Clause], dict | None]:
    """:func:`analyse_sentence`; with ``sentence`` (a report's Sentence) the clauses are placed in the report
    (its ids, heading flag and offsets into the report's text) as they are made."""
    offset, sentence_id, section_id, is_heading = \
        (sentence.start, sentence.sentence_id, sentence.section_id, sentence.is_heading) if sentence else (0, 0, 0, False)
    overrides = overrides or {}
    rules = marker_rules(config.target_markers)
    has_marker = marker_searcher(config.target_markers)
    scope = dict(scope) if scope else None
    last_indicator = None
    last_horizon = None  # a target clause without a horizon of its own takes the sentence's last one
    clauses = []
    periods: list = []  # the sentence's period phrases, found once (a list, filled on first use)
    spans, sentence_figures = _clause_spans(text)
    figure_starts = [f.start for f in sentence_figures]
    # patterns that depend on their matched characters alone, searched once in the sentence first
    names_in, growth_in, any_horizon_in, horizons_in = _sentence_sieves(config.indicators)
    naming, growing = names_in(text), growth_in(text)
    horizons = [p for p, found_in in horizons_in if found_in(text)] if any_horizon_in(text) else []
    for index, (start, end) in enumerate(spans):
        clause = text[start:end]
        if has_marker(clause):  # most clauses hold no marker
            quoted = matching_brackets(clause)  # 落实“三个必须”原则: a marker inside quotes is part of a name
            matches = [(m, name, strength) for name, strength, pattern in rules for m in pattern.finditer(clause)
                       if m.start() not in quoted]
        else:
            matches = []
        if matches:
            own = sorted((m.start(), name, overrides.get(name, strength)) for m, name, strength in matches)
            own_spans = [m.span() for m, _, _ in matches]
            own = [o for i, o in enumerate(own) if o[1] not in {x[1] for x in own[:i]}]
        else:
            own, own_spans = [], []
        if own and all(s == "none" for _, _, s in own) and GOAL_REFERENCE.search(clause):
            own, own_spans = [], []  # 围绕…目标: a goal referred to, not a target set
        if own:
            frames = [m.span() for m in SLOGAN_FRAME.finditer(clause)]
            if frames and all(any(a <= at < b for a, b in frames) for at, _, _ in own):
                own, own_spans = [], []  # 以…冲刺千亿为冲锋号: the marker stands inside a slogan
        result_cue = _has_result_cue(clause) or (role != "plan" and _has_result_cue_outside_plans(clause))
        figures = _join_ranges(clause, _figures_within(sentence_figures, figure_starts, start, end))
        quantitative = bool(figures) or bool(DOUBLING.search(clause))
        found = find_indicators(clause, config.indicators) if naming else []
        indicator, figure = _indicator_of(clause, found, figures)
        # the floor is the bound of the figure the clause is about: in 其中Ⓧ个项目投资额在Ⓧ亿元以上 the 以上 marks a
        # size class of the projects counted, not a floor on their number
        bound = bound_of(clause, figure) if figure else None
        floor = bound == "floor"
        before = [m for m in _sentence_periods(text, periods) if m.end() <= start] if figures else None
        measures = read_measures(clause, found, figures, [m.span() for m, _, _ in matches],
                                 before[-1].group() if before else None) if figures else []
        if indicator is None:  # a measure the indicator file does not know keeps its name as written
            named = next((m for m in measures if m.indicator and m.kind != "growth"), None)
            indicator = (0, 0, named.indicator, named.indicator_text) if named else None
        inherited = False
        if indicator is None and figures and last_indicator and GROWTH_WORDS.search(clause):
            indicator, inherited = last_indicator, True  # 全年增速*%以上: the growth of the indicator just named
        if found:
            last_indicator = indicator or found[0]
        horizon = _horizon(clause, horizons)
        horizon_text = clause[horizon[0]:horizon[1]] if horizon else None
        last_horizon = horizon_text or last_horizon
        opens_list = bool(own) and not figures and _only_marker_and_horizon(clause, own_spans, horizon)
        if own and all(s in ("expected", FORECAST) for _, _, s in own) \
                and not (figures or FORECAST_ACTS.search(clause)) and not opens_list:
            own = []  # 预计大部分企业仍旧比较困难: an expectation, not a target (预期性指标：… opens a list)
        if own and result_cue and all(s in ("planned", "expected", FORECAST, "none") for _, _, s in own):
            own = []  # 拟申报…范围现已明确: what has been done outweighs a weak marker in the same clause

        if result_cue and not own:
            is_target = False
        elif own:
            is_target = not opens_list
            strengths = [s for _, _, s in own if s != "none"]
            outer = _list_scope(scope)
            scope = {"strength": strengths[0] if strengths else None, "markers": [n for _, n, _ in own],
                     "list": opens_list}
            if not opens_list and outer:
                scope["outer"] = outer  # a marker inside one item of a list stays in that item
        elif scope and (quantitative or floor) and (role == "plan" or len(clause) <= SHORT_LIST_ITEM
                                                     or _list_scope(scope)):
            is_target = True
        elif role == "plan" and quantitative and TARGET_VERBS.search(clause):
            is_target = True
            scope = {"strength": None, "markers": []}
        else:
            is_target = False
        current = scope or {"strength": None, "markers": []}
        forecast = is_target and current["strength"] == FORECAST
        if forecast:
            is_target = False  # 预计全年新增企业Ⓧ家: a forecast, never a target
        growth = find_growth(clause) if growing else None
        at = offset + start
        clauses.append(Clause(
            sentence_id, section_id, index, at, offset + end, clause, is_heading, is_target,
            "、".join(n for _, n, _ in own) if own else ("、".join(current["markers"]) if is_target or forecast else ""),
            current["strength"] if is_target else None, floor, quantitative,
            indicator[2] if indicator else None, indicator[3] if indicator else None, inherited,
            _shift(figure, at), _shift_growth(growth, at),
            horizon_text or (last_horizon if is_target else None), is_target and bool(NEGATION.search(clause)),
            tuple(_shift_measure(m, at) for m in measures) if at else tuple(measures), bound, forecast))
        if not (is_target or forecast) and not own:
            scope = None  # a clause that is neither a target nor opens a list ends the marker's reach
    return clauses, scope


def _list_scope(scope: dict | None) -> dict | None:
    """The scope of the list a clause stands in (opened by 目标为：/ 主要预期目标：/ 力争：…), if any."""
    if not scope:
        return None
    return scope if scope.get("list") else scope.get("outer")


def carried_scope(scope: dict | None, role: str) -> dict | None:
    """The scope that carries into the next sentence after one ending in ；or ：(on the same line).

    A list opened by a lead-in (主要预期目标为：A；B；C) carries its own strength to every item, in any section,
    until the list ends — a marker inside one item (投资增长18%、力争22%；) does not reach the next item. Without
    a list, a marker carries only inside plan sections (力争A；B；C).
    """
    listed = _list_scope(scope)
    if listed:
        return listed
    return scope if role == "plan" else None


def _join_ranges(clause: str, figures: list[Figure]) -> list[Figure]:
    """4.5%-5%: a figure and the upper end of its range, written as two figures, joined into one."""
    joined: list[Figure] = []
    for figure in figures:
        last = joined[-1] if joined else None
        if last and RANGE_AFTER.match(clause[last.end:]) and 0 <= figure.start - last.end <= 2:
            joined[-1] = Figure(last.start, figure.end, f"{last.value}-{figure.value.lstrip('-')}", last.unit,
                                last.masked)
        else:
            joined.append(figure)
    return joined


def bound_of(clause: str, figure: Figure) -> str:
    """How a figure bounds what it measures: floor (Ⓧ以上, 不低于Ⓧ), ceiling (控制在Ⓧ以内), range (4.5%-5%),
    approx (7%左右, 约Ⓧ), or exact."""
    before, after = clause[:figure.start], clause[figure.end:]
    if FLOOR_AFTER.match(after) or FLOOR_BEFORE.search(before):
        return "floor"
    if CEILING_AFTER.match(after) or CEILING_BEFORE.search(before):
        return "ceiling"
    if RANGE_AFTER.match(after) or re.search(r"\S\s*[-~—至到]\s*\S", figure.value):
        return "range"
    if APPROX_AFTER.match(after) or APPROX_BEFORE.search(before):
        return "approx"
    return "exact"


def read_measures(clause: str, found: list, figures: list[Figure], markers: list[tuple[int, int]] = (),
                  period: str | None = None) -> list[Measure]:
    """Every figure of a clause with the measure its noun phrase names (by grammar, not proximity alone).

    Each figure also gets its bound (:func:`bound_of`) and its reference period: the last period phrase
    (全年, 上半年, 1-9月, 截至Ⓧ月底, 累计 …) before it in the clause, else ``period`` (the last one earlier in the
    sentence). A figure that is a growth rate (同比增长Ⓧ%, 增速Ⓧ%, 提高Ⓧ个百分点) is kind ``growth``; one after 占…(比重) or
    占比 is a ``share``; one in a counting unit (家, 个, 项 …) a ``count``; else a ``level``. Its measure is the
    indicator-file name ending at most ``NEAR`` characters before it (or, for a count, right after it:
    Ⓧ家规上工业企业), else the name read back from it (:func:`toolkit.indicators.measure_before`) — never one
    from before the previous figure or a commitment marker (拟投资Ⓧ万元: 投资), and never one from an earlier
    clause. A growth rate that names no measure
    of its own is the growth of the figure before it (营业收入Ⓧ亿元同比增长Ⓧ%).
    """
    if not figures:
        return []
    growth_at = {m.start("value"): m for m in GROWTH.finditer(clause)}
    measures: list[Measure] = []
    lower = 0
    for figure in figures:
        growth = growth_at.get(figure.start)
        share = None if growth else SHARE_BEFORE.search(clause, lower, figure.start)
        if growth:
            kind, name_at = "growth", growth.start("basis") if growth.group("basis") else growth.start("verb")
        elif share:
            kind, name_at = "share", share.start()
        elif clause[max(0, figure.start - 1):figure.start] == "第":
            kind, name_at = "rank", figure.start - 1  # 位列第33名: a rank, not a count of people
        else:
            kind, name_at = ("count" if figure.unit in COUNT_UNITS else "level"), figure.start
        floor = max([lower] + [b for a, b in markers if b <= name_at])
        known = [f for f in found if lower <= f[0] and f[1] <= name_at and name_at - f[1] <= NEAR
                 and not (lower and f[0] == lower and measures and measures[-1].kind == "count")]  # counted noun
        after = [f for f in found if f[0] == figure.end] if kind == "count" else []
        scope = None
        pool = POOL.match(clause, known[-1][1]) if known else None
        if pool:  # 高企苗子库Ⓧ家: a pool of candidates, not certified firms
            kind, indicator, text, is_known = "pool", clause[known[-1][0]:pool.end()], \
                clause[known[-1][0]:pool.end()], False
        elif known or after:
            start_of, _, indicator, text = (known[-1] if known else after[0])
            is_known = True
            if known:  # 装备制造产业营业收入: a known measure with a qualifier is a sector's or group's figure
                qualifier = measure_before(clause, start_of, floor)
                scope = qualifier[2] if qualifier else None
        else:
            named = measure_before(clause, name_at, floor)
            counted = COUNTED_NOUNS.match(clause, figure.end) if kind == "count" and not named else None
            indicator = text = named[2] if named else (counted.group(1) if counted else None)
            is_known = False
            if indicator and POOL.search(indicator):
                kind = "pool"
        if share and indicator:
            indicator, text = f"{indicator}占比", clause[name_at - len(text) if not known else known[-1][0]:
                                                        share.end()].strip()
        rate = find_growth(clause[growth.start():growth.end()]) if growth else None
        periods = list(PERIODS.finditer(clause, 0, figure.start))
        measure = Measure(figure.start, figure.end, figure.value, figure.unit, figure.masked, kind, indicator, text,
                          is_known, _shift_growth(rate, growth.start()) if rate else None, bound_of(clause, figure),
                          periods[-1].group() if periods else period, scope)
        if kind == "level" and scope is None and measures and measures[-1].kind == "count" \
                and measures[-1].indicator:  # Ⓧ家规上工业企业实现产值Ⓧ亿元: the output of that class of firms
            measure = measure._replace(scope=measures[-1].indicator_text)
        if kind == "growth" and indicator is None and measures and measures[-1].kind != "growth" \
                and measures[-1].growth is None:
            measures[-1] = measures[-1]._replace(growth=measure.growth)  # the growth of the figure before it
        else:
            measures.append(measure)
        lower = figure.end
    return _pair_respectively(clause, found, measures)


def _pair_respectively(clause: str, found: list, measures: list[Measure]) -> list[Measure]:
    """A、B、C分别达Ⓧ、Ⓧ、Ⓧ: the k-th figure measures the k-th name of the list before 分别. When the last name ends
    with an indicator the file knows (新材料、新能源、大健康产业营业收入), that is every figure's measure and the
    names are their scopes; otherwise each name is its own measure (领军人才、高级人才分别Ⓧ人、Ⓧ人)."""
    at = clause.find("分别")
    after = [m for m in measures if m.start > at and m.kind != "growth"] if at > 0 else []
    if len(after) < 2:
        return measures
    head = LIST_HEAD.sub("", clause[:at])
    names = [n.strip() for n in re.split(r"[、和及与]", head) if n.strip()]
    if len(names) != len(after):
        return measures
    shared = [f for f in found if f[1] == at - (len(clause[:at]) - len(clause[:at].rstrip()))
              and f[0] >= at - len(names[-1])]
    paired = {}
    for measure, name in zip(after, names):
        if shared:
            _, _, indicator, text = shared[0]
            scope = name if name != text and not name.endswith(text) else name[: -len(text)] or None
            paired[measure.start] = measure._replace(indicator=indicator, indicator_text=text, known=True, scope=scope)
        else:
            known = [f for f in found if clause[f[0]:f[1]] in name]
            indicator = known[-1][2] if known else name
            paired[measure.start] = measure._replace(indicator=indicator, indicator_text=name, known=bool(known))
    return [paired.get(m.start, m) for m in measures]


def _shift_measure(measure: Measure, by: int) -> Measure:
    start, end, value, unit, masked, kind, indicator, text, known, growth, bound, period, scope = measure
    return Measure(start + by, end + by, value, unit, masked, kind, indicator, text, known,
                   _shift_growth(growth, by), bound, period, scope)


def _shift(figure: Figure | None, by: int) -> Figure | None:
    if figure is None:
        return None
    return Figure(figure.start + by, figure.end + by, figure.value, figure.unit, figure.masked)


def _shift_growth(growth: dict | None, by: int) -> dict | None:
    if growth is None:
        return None
    return {**growth, "value_start": growth["value_start"] + by, "value_end": growth["value_end"] + by}


def _only_marker_and_horizon(clause: str, spans: list[tuple[int, int]], horizon: tuple[int, int] | None) -> bool:
    """到2025年底 / 力争十四五期间 / 主要预期目标: a clause that only opens a list of targets."""
    covered = set()
    for a, b in spans + ([horizon] if horizon else []):
        covered.update(range(a, b))
    rest = "".join(ch for i, ch in enumerate(clause) if i not in covered)
    rest = HEADER_WORDS.sub("", rest)
    return sum("\u4e00" <= ch <= "\u9fff" or ch.isalnum() for ch in rest) < 2


def _indicator_of(clause: str, found: list, figures: list) -> tuple[tuple | None, Figure | None]:
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


@rules_held
def read_clauses(report, config: Config = Config(), overrides: dict | None = None,
                 sentences: range | None = None) -> list[Clause]:
    """Every clause of one parsed report, headings included (``is_heading``), in reading order.
    ``sentences``: of these sentences only (a part of the report that begins on a line of its own:
    :func:`line_start`).

    A pure function of the report and the ``target_markers`` and ``indicators`` files of ``config``. A
    marker's scope carries from one sentence into the next only inside a plan section, on the same line,
    after a sentence ending in ；or ：(a list of targets); a heading ends it.
    """
    roles = {s.section_id: s.role for s in report.sections}
    clauses: list[Clause] = []
    scope = None
    previous_end = None
    for sentence in (report.sentences if sentences is None else report.sentences[sentences.start:sentences.stop]):
        role = roles[sentence.section_id]
        between = report.text[previous_end:sentence.start] if previous_end is not None else "\n"
        carry = carried_scope(scope, role) if previous_end is not None and "\n" not in between and \
            report.text[previous_end - 1] in "；：" else None
        found, scope = _read_sentence(sentence.text, role, carry, config, overrides, sentence)
        previous_end = sentence.end
        if sentence.is_heading:
            scope = None
        clauses.extend(found)
    return clauses


#: A figure in a table: the number (NaN where masked), the figure as written, the upper end of a range, its unit,
#: the factor to the base unit and the value in it (亿元 → 元), whether masked, and its bound.
FIGURE_COLUMNS = ["value", "value_text", "value_high", "unit", "unit_factor", "value_base", "base_unit", "masked",
                  "bound"]
#: A growth rate in a table: basis (同比 …), direction, the rate as written, signed number (NaN where masked), unit.
GROWTH_COLUMNS = ["growth_basis", "growth_direction", "growth_value", "growth", "growth_unit", "growth_masked"]
CLAUSE_COLUMNS = ["report_id", "sentence_id", "section_id", "clause_index", "path", "role", "year", "is_heading",
                  "is_target", "markers", "strength", "floor", "quantitative", "indicator", "indicator_text",
                  "indicator_inherited", *FIGURE_COLUMNS, *GROWTH_COLUMNS, "horizon", "negated", "clause", "clause_clean",
                  "sentence", "start", "end"]


def clause_table(corpus, overrides: dict | None = None, config: Config | None = None) -> pd.DataFrame:
    """Every clause of the corpus read once (cached per corpus, rule files and ``overrides``).

    One row per clause: report, sentence, section (path, role, year), ``is_heading``, the reading above
    (is_target, markers, strength, floor, quantitative, indicator, indicator_text, horizon, negated), the
    figure as written (``value``, ``unit``, ``masked``), a growth rate as written (``growth_*``), the clause
    as written and cleaned, its sentence (cleaned), and ``start``/``end``: original-text offsets of the clause.
    ``config`` (default ``corpus.config``) gives the rule files.
    """
    config = config or corpus.config
    key = _clause_key(config, overrides)
    if key not in corpus.cache:
        corpus.cache[key] = clause_rows(corpus, config, overrides)
    return corpus.cache[key]


def clauses_where(corpus, keep, overrides: dict | None = None, config: Config | None = None) -> pd.DataFrame:
    """The rows of :func:`clause_table` whose clause passes ``keep`` (a test of a :class:`Clause`), in order:
    taken from the table when the corpus holds it already, else made for those clauses only (a batch of
    reports in an ingest needs the targets, not a row for each of its clauses)."""
    config = config or corpus.config
    key = _clause_key(config, overrides)
    if key in corpus.cache:
        table = corpus.cache[key]
        return table[np.array([keep(c) for report in corpus for c in report_clauses(report, config, overrides)],
                              dtype=bool)]
    return clause_rows(corpus, config, overrides, keep)


def _clause_key(config: Config, overrides: dict | None) -> tuple:
    return ("clauses", config.fingerprint(CLAUSE_RULES), tuple(sorted((overrides or {}).items())))


#: The types of the clause table's columns that are not text (an empty table keeps them too).
CLAUSE_TYPES = {**{c: "int64" for c in ("sentence_id", "section_id", "clause_index", "start", "end")},
                **{c: "bool" for c in ("is_heading", "is_target", "floor", "quantitative", "indicator_inherited",
                                      "masked", "negated")},
                **{c: "float64" for c in ("value", "value_high", "unit_factor", "value_base", "growth")}}


def clause_rows(corpus, config: Config, overrides: dict | None = None, keep=None) -> pd.DataFrame:
    """The :func:`clause_table` rows of the clauses that pass ``keep`` (all when None), made afresh."""
    rows = []
    for report in corpus:
        sections, paths = report.section_index, report.paths
        for clause in report_clauses(report, config, overrides):
            if keep is not None and not keep(clause):
                continue
            sentence = report.sentences[clause.sentence_id]
            section = sections[clause.section_id]
            a, b = report.clean.to_original(clause.start, clause.end)
            rows.append((report.report_id, clause.sentence_id, clause.section_id, clause.index,
                         paths[clause.section_id], section.role, section.year, clause.is_heading,
                         clause.is_target, clause.markers, clause.strength, clause.floor, clause.quantitative,
                         clause.indicator, clause.indicator_text, clause.indicator_inherited,
                         *figure_as_written(report, clause.figure, clause.bound),
                         *growth_as_written(report, clause.growth),
                         clause.horizon, clause.negated, report.original[a:b], clause.text, sentence.text, a, b))
    table = frame(rows, CLAUSE_COLUMNS, CLAUSE_TYPES)
    table["year"] = pd.array(table["year"].tolist(), dtype="Int64")
    table["growth_masked"] = table["growth_masked"].astype("boolean")  # one type, whatever the rows
    return table


def report_clauses(report, config: Config = Config(), overrides: dict | None = None) -> list[Clause]:
    """:func:`read_clauses`, once per report, rule files and ``overrides`` (kept in ``report.memo``). A huge
    report is read in two parts at once (:func:`toolkit.analysis.read_in_parts`)."""
    key = _clause_key(config, overrides)
    if key not in report.memo and not overrides:
        from .analysis import read_in_parts

        read_in_parts(report, config)
    if key not in report.memo:
        report.memo[key] = read_clauses(report, config, overrides)
    return report.memo[key]


def line_start(report, share: float) -> int | None:
    """The first sentence that begins at ``share`` of the text or later and on a line of its own (where no
    marker's scope carries over from the sentence before, so the sentences from it on are read alone as they
    are read within the report); None when there is none."""
    sentences, text = report.sentences, report.text
    i = max(bisect_left([s.start for s in sentences], len(text) * share), 1)
    while i < len(sentences) and "\n" not in text[sentences[i - 1].end:sentences[i].start]:
        i += 1
    return i if i < len(sentences) else None


def figure_as_written(report, figure, bound: str | None) -> tuple:
    """The ``FIGURE_COLUMNS`` of a figure (a Figure or Measure with cleaned-text offsets) of a report."""
    if figure is None:
        return (float("nan"), None, float("nan"), None, float("nan"), float("nan"), None, False, None)
    a, b = report.clean.to_original(figure.start, figure.end)
    written = report.original[a:b]
    text = written[: len(written) - len(figure.unit)].rstrip("余多 ") if written.endswith(figure.unit) else written
    numbers = figure_numbers(figure.value, figure.unit)
    return (numbers["value"], text, numbers["value_high"], figure.unit, numbers["unit_factor"], numbers["value_base"],
            numbers["base_unit"], figure.masked, bound)


def growth_as_written(report, growth: dict | None) -> tuple:
    """The ``GROWTH_COLUMNS`` of a growth rate (find_growth's dict, offsets into the cleaned report text)."""
    if not growth:
        return None, None, None, float("nan"), None, None
    a, b = report.clean.to_original(growth["value_start"], growth["value_end"])
    number = figure_numbers(growth["growth_value"], growth["growth_unit"])["value"]
    signed = -abs(number) if growth["growth_direction"] == "down" else abs(number)
    return (growth["growth_basis"], growth["growth_direction"], report.original[a:b], signed, growth["growth_unit"],
            growth["growth_masked"])
