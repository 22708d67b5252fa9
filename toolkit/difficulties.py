"""Problems: find the difficulties a report names, anywhere in the text, and tell statements apart.

Every clause of every sentence (the one clause reading of :mod:`toolkit.clauses`, so a clause read as a
target here is the same clause :func:`toolkit.targets` lists) is searched for the cues and topics of the
corpus's problem taxonomy (``data/problem_taxonomy.csv`` or a user's file). Each hit gets a statement type,
decided in its clause:

- ``negation``  — the difficulty is denied: 无一例感染, 未发生事故;
- ``target``    — a commitment that it will not happen: 确保不发生较大以上环境事故;
- ``problem``   — the report says the difficulty exists: 园区项目用地紧张; 为解决工业用地紧张…等问题;
  受…疫情…影响; anything named in a problem section;
- ``achievement`` — it was dealt with: 减少了用工矛盾, 基本消除高风险, 已盘活…;
- ``remedy``    — an action aimed at it: 破解要素制约, 盘活低效用地, 排查安全隐患 (the category is kept).

A topic word (疫情, 污染, 用地) makes a hit only beside a difficulty word in the same clause, or in a
problem section; a cue phrase (用地紧张, 招工难) makes one by itself.

A problem **statement** is a (sentence, category) pair: a sentence naming 成本上升 and 用工难 states two
problems, one per category, however many cues it holds. Counts per report and category
(:func:`toolkit.recurrence`) count statements.

>>> [(h["category"], h["statement"]) for h in detect_text("园区项目用地紧张，企业招工依然不乐观。")]
[('land', 'problem'), ('labour', 'problem')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from .cleaning import clean_text
from .clauses import Clause, analyse_sentence, carried_scope, clause_table, joined_searcher, report_clauses
from .config import Config
from .corrections import apply_corrections
from .errors import ConfigError
from .frames import frame
from .indicators import find_indicators
from .patterns import sieve
from .resources import read_table, rule_file_cache, rules_held
from .structure import split_sentences

#: Shortage words that, after a category's subject (储备项目不足, 开工项目少, 发展后劲不足, 人才引进难) or before
#: it (缺乏龙头项目), make a cue of that category: cue families built from the taxonomy's ``subjects`` column.
#: 少 after 不/减/多 (不少, 减少, 多少) is no shortage.
SHORT_AFTER = r"(?:(?<![不减多至])少(?![数量])|偏少|较少|不足|不够|匮乏|短缺|乏力|不强|偏弱|较弱|难(?!度|题|点|关))"
SHORT_BEFORE = r"(?:缺乏|缺少|缺|未能|没能|未获)"  # 缺乏龙头项目; 未能如期获批: what could not be had
#: Characters that may stand between a subject and its shortage word (储备项目|明显|不足).
SHORT_GAP = 4

#: Words that turn a topic into a difficulty when they stand in the same clause.
DIFFICULTY = re.compile(r"影响|冲击|打击|压力|困难|艰难|严峻|不足|短缺|紧缺|紧张|制约|瓶颈|挑战|下滑|低迷|不力|问题|滞后|未能|落空|"
                        r"缺失|缺乏|欠缺|矛盾|考验|受阻|不畅|萎缩|疲软|尚未|无法|较多|频发|突出|薄弱|短板|不乐观|亏损|"
                        r"积压|错综复杂|难以|难度|暂缓|投诉|超标")
#: Constructions that assert a difficulty exists even around a verb of solving: 为解决…问题, 受…影响.
ASSERTS = re.compile(r"为了?解决|针对|面对|面临|受到?|由于|因为?|随着")
#: A difficulty named as a problem right after its cue — 污染治理不力问题, 用工短缺的问题 — is asserted to exist,
#: even inside a clause about fixing it (推进…不力问题整改).
NAMED_PROBLEM = re.compile(r"^[^，。；]{0,10}?(?:不力|不足|不够|突出|短缺|紧张|滞后|缺乏|困难|严重|难)(?:等|的)?问题")
NEGATION = re.compile(r"(?:无一例|未发生|没有发生|未出现|零发生|无重大|杜绝|不发生|不出现|未有|无(?!法|须|需|论))[^，。；]{0,8}$")
ACHIEVED = re.compile(r"(?:减少|降低|缓解|化解|解决|消除|盘活|破解|遏制|整改|处理)了|基本(?:消除|摆脱)|摆脱|"
                      r"已(?:经)?(?:消除|解决|化解|盘活|缓解|整改|完成)|有效(?:缓解|解决|化解|遏制)|"
                      r"得到(?:有效)?(?:缓解|解决|遏制|化解)|整改到位|完成整改|累计(?:盘活|消除|化解|整改|消耗)")
#: Verbs of dealing with a difficulty, up to ``REMEDY_REACH`` characters before it in the clause.
REMEDY_REACH = 30
REMEDY_BEFORE = re.compile(r"(?:破解|解决|化解|缓解|盘活|应对|克服|消除|整治|治理|攻坚|减少|降低|防范|排查|整改|帮助|帮|协助|"
                           r"保障|纾困|处置|处理|优化|压缩|简化|拓展|拓宽|补齐|完善|提升|加强|强化|加大|做好|推进|推动|"
                           r"清理|腾退|收储|引进|招引|培育|督促|查处|消减|管控|防控|预防|改善|提高|避免|防止|施压|"
                           rf"打击)[^，。；]{{0,{REMEDY_REACH}}}$")
REMEDY_AFTER = re.compile(r"^[^，。；]{0,12}(?:整改|治理|整治|盘活|清理|处置|排查|专项行动|专项整治|攻坚|退出|再开发)")


@dataclass(frozen=True)
class Category:
    key: str
    description: str
    cues: re.Pattern | None
    topics: re.Pattern | None
    label: str = ""  # the category's name in Chinese (用地), for tables and figures
    indicators: tuple[str, ...] = ()  # indicators whose plan targets answer a problem of this category
    subjects: str = ""  # what can run short (the ``subjects`` column), as a regex alternation


@rule_file_cache(maxsize=16)
def load_taxonomy(source: str = "problem_taxonomy.csv") -> tuple[Category, ...]:
    """Read a problem taxonomy (category, description, cues, topics; optional label, indicators)."""
    table = read_table(source, required=("category", "description", "cues", "topics"))
    categories = []
    for row in table.itertuples(index=False):
        subjects = getattr(row, "subjects", "")
        family = (rf"(?:{subjects})[^，。；、]{{0,{SHORT_GAP}}}?{SHORT_AFTER}|{SHORT_BEFORE}[^，。；]{{0,6}}?(?:{subjects})"
                  if subjects else "")
        try:
            cues = re.compile("|".join(p for p in (row.cues, family) if p)) if row.cues or family else None
            topics = re.compile(row.topics) if row.topics else None
        except re.error as err:
            raise ConfigError(f"{source}: category {row.category!r} has a bad pattern: {err}") from None
        if cues is None and topics is None:
            raise ConfigError(f"{source}: category {row.category!r} needs cues or topics")
        tied = tuple(i.strip() for i in getattr(row, "indicators", "").split("|") if i.strip())
        categories.append(Category(row.category, row.description, cues, topics, getattr(row, "label", ""), tied,
                                   subjects))
    return tuple(categories)


def _statement(clause: str, at: int, end: int, is_target: bool, role: str) -> str:
    before, after = clause[:at], clause[end:]
    if NEGATION.search(before):
        return "target" if is_target else "negation"
    if ASSERTS.search(before) or NAMED_PROBLEM.search(after):
        return "problem"
    if ACHIEVED.search(clause):
        return "achievement"
    if REMEDY_BEFORE.search(before) or REMEDY_AFTER.search(after):
        return "remedy"
    if is_target and role != "problem":
        return "target"
    return "problem"


def detect_clauses(clauses: list[Clause], role: str, taxonomy: str = "problem_taxonomy.csv") -> list[dict]:
    """Problem hits in the clauses of one sentence: category, cue, kind (cue/topic), statement, and the cue's
    offsets in the same text the clause offsets refer to."""
    categories, anything = _cue_rules(taxonomy)
    hits = []
    for analysed in clauses:
        start, clause, is_target = analysed.start, analysed.text, analysed.is_target
        if not anything(clause):
            continue  # no cue or topic of any category: most clauses, skipped in one search
        for category, may_cue, may_topic in categories:
            found = []
            if may_cue(clause):
                found += [(m, "cue") for m in category.cues.finditer(clause)]
            if not found and may_topic(clause):  # a cue of the category says it better
                for m in category.topics.finditer(clause):
                    rest = clause[: m.start()] + " " + clause[m.end():]
                    if role == "problem" or DIFFICULTY.search(rest) or NEGATION.search(clause[: m.start()]):
                        found.append((m, "topic"))
            seen: list[tuple[int, int]] = []
            for match, kind in sorted(found, key=lambda f: (f[0].start(), f[1] != "cue", -f[0].end())):
                if any(a <= match.start() <= b for a, b in seen):
                    continue  # one hit per stretch of text within a category (新冠+疫情 touching: one)
                seen.append(match.span())
                statement = _statement(clause, match.start(), match.end(), is_target, role)
                hits.append({"category": category.key, "cue": match.group(), "kind": kind, "statement": statement,
                             "cue_start": start + match.start(), "cue_end": start + match.end(),
                             "clause": clause})
    return hits


PROBLEM_COLUMNS = ["report_id", "sentence_id", "section_id", "path", "role", "in_problem_section", "is_heading",
                   "category", "cue", "kind", "statement", "sentence", "quote", "start", "end"]
#: The types of the problems table's columns that are not text (an empty table keeps them too; ``category``
#: is made categorical after).
PROBLEM_TYPES = {**{c: "int64" for c in ("sentence_id", "section_id", "start", "end")},
                 **{c: "bool" for c in ("in_problem_section", "is_heading")}}


@rule_file_cache(maxsize=16)
def _cue_rules(taxonomy: str) -> tuple[tuple[tuple[Category, Callable, Callable], ...], Callable[[str], bool]]:
    """The categories of a taxonomy, each with whether a clause may hold one of its cues and of its topics
    (:func:`toolkit.patterns.sieve`), and whether a clause holds a cue or topic of any category (the prefilter:
    :func:`~toolkit.clauses.joined_searcher` of them all)."""
    taxonomy_rules = load_taxonomy(taxonomy)
    never = lambda clause: False  # noqa: E731 - a category without cues or without topics
    categories = tuple((c, sieve(c.cues) if c.cues is not None else never,
                        sieve(c.topics) if c.topics is not None else never) for c in taxonomy_rules)
    return categories, joined_searcher([p for c in taxonomy_rules for p in (c.cues, c.topics) if p is not None])


def categories(taxonomy: str = "problem_taxonomy.csv") -> list[str]:
    """The category keys of a taxonomy, in its order."""
    return [c.key for c in load_taxonomy(taxonomy)]


def problems(corpus, taxonomy: str | None = None) -> pd.DataFrame:
    """Every problem hit in the corpus: report, sentence, section path, category, cue, statement type,
    whether it stands in a problem section; start/end are original offsets of the cue.

    The taxonomy is ``taxonomy`` or else the corpus's (``corpus.config.problem_taxonomy``); ``category`` is
    categorical with every category of that taxonomy, in its order, so counts keep categories no report names.
    """
    config = corpus.config.updated(problem_taxonomy=taxonomy)
    key = ("problems", config.fingerprint(PROBLEM_RULES))
    if key not in corpus.cache:
        rows = [(report.report_id, *row) for report in corpus for row in report_problems(report, config)]
        table = frame(rows, PROBLEM_COLUMNS, PROBLEM_TYPES)
        table["category"] = pd.Categorical(table["category"], categories=categories(config.problem_taxonomy))
        corpus.cache[key] = apply_corrections(table, corpus.corrections)
    return corpus.cache[key].copy()


#: The rule files problem detection reads: the taxonomy, and the clause reading (markers, indicators).
PROBLEM_RULES = ("problem_taxonomy", "target_markers", "indicators")


@rules_held
def report_problems(report, config: Config = Config()) -> list[tuple]:
    """Problem hits of one report, before corrections: the ``PROBLEM_COLUMNS`` after ``report_id``. A pure
    function of the report and its rule files, computed once (kept in ``report.memo``)."""
    key = problems_key(config)
    if key in report.memo:
        return report.memo[key]
    clauses = report_clauses(report, config)  # (a huge report's hits come with its clauses, read in parts)
    if key not in report.memo:
        report.memo[key] = problem_rows(report, clauses, config)
    return report.memo[key]


def problems_key(config: Config) -> tuple:
    """The key of a report's problem hits in ``report.memo``."""
    return ("problems", config.fingerprint(PROBLEM_RULES))


def problem_rows(report, clauses: list[Clause], config: Config = Config()) -> list[tuple]:
    """:func:`report_problems` of the sentences of ``clauses`` (the report's, or those of a part of it)."""
    sections, paths = report.section_index, report.paths
    by_sentence: dict[int, list[Clause]] = {}
    for clause in clauses:
        by_sentence.setdefault(clause.sentence_id, []).append(clause)
    rows = []
    for sentence_id, clauses in by_sentence.items():
        sentence = report.sentences[sentence_id]
        section = sections[sentence.section_id]
        hits = detect_clauses(clauses, section.role, config.problem_taxonomy)
        if not hits:
            continue
        quote = report.original[slice(*report.clean.to_original(sentence.start, sentence.end))]
        for hit in hits:
            a, b = report.clean.to_original(hit["cue_start"], hit["cue_end"])
            rows.append((sentence_id, sentence.section_id, paths[sentence.section_id], section.role,
                         section.role == "problem", sentence.is_heading, hit["category"], report.original[a:b],
                         hit["kind"], hit["statement"], sentence.text, quote, a, b))
    return rows


def problem_statements(hits: pd.DataFrame, kept: tuple[str, ...] = ("problem",)) -> pd.DataFrame:
    """Problem statements: one row per (report, sentence, category) among hits of the ``kept`` statement
    types — the unit every count of problems uses (a sentence naming 成本上升 and 用工难 is two statements,
    one per category; three cues of one category in a sentence are one)."""
    rows = hits[hits["statement"].isin(kept)]
    return rows.drop_duplicates(["report_id", "sentence_id", "category"]).reset_index(drop=True)


def recurrence(hits: pd.DataFrame, statements: tuple[str, ...] = ("problem",), report_ids=None) -> pd.DataFrame:
    """Report × category matrix of problem statements (sentences naming the category; ``statements`` are the
    hit types kept), every category of the taxonomy that produced ``hits`` a column (``hits["category"]`` is
    categorical)."""
    kept = problem_statements(hits, statements)
    columns = list(hits["category"].cat.categories) if isinstance(hits["category"].dtype, pd.CategoricalDtype) \
        else sorted(hits["category"].unique())
    matrix = pd.crosstab(kept["report_id"], kept["category"].astype(str)).reindex(columns=columns, fill_value=0)
    if report_ids is not None:
        matrix = matrix.reindex(index=list(report_ids), fill_value=0)
    matrix.columns.name = "category"
    return matrix


#: Section roles whose sentences can answer a problem: plans, and mixed sections (存在问题及下步打算).
ANSWER_ROLES = ("plan", "mixed")


def answered(corpus, hits: pd.DataFrame | None = None, target_table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Whether each problem a report names is answered in the same report's plans.

    A (report, category) pair is **answered** when a plan (or mixed) section of the same report holds a remedy
    or a target hit of that category (破解用地瓶颈; 确保不发生事故); a target on the problem's subject, a topic word
    of the category (确保南区污水达标处理 answers a pollution problem); or a target on an indicator the taxonomy ties
    to the category (土地出让 for land, 新引项目 for investment — its ``indicators`` column) — on the very indicator
    where the problem sentences name one (营业收入下降 is answered by a 营业收入 target, not by any output target).

    Returns:
        One row per report and named category: ``statements`` (problem sentences), ``in_problem_section``,
        ``answered``, ``answered_by`` (remedy / target / indicator target, the first found in reading order),
        ``response`` (that sentence or clause as written) and ``n_responses``.
    """
    hits = problems(corpus) if hits is None else hits
    if target_table is None:  # the targets of the one clause reading (problems never import the target tables)
        clauses = clause_table(corpus)
        target_table = clauses[clauses["is_target"] & ~clauses["is_heading"]]
    taxonomy = load_taxonomy(corpus.config.problem_taxonomy)
    tied = {c.key: set(c.indicators) for c in taxonomy}
    stated = problem_statements(hits)
    named = stated.groupby(["report_id", "category"], observed=True).agg(
        statements=("sentence_id", "size"), in_problem_section=("in_problem_section", "any"))
    # the tied indicators a report's problem sentences name (营业收入下降 names 营业收入): a target answers a named
    # indicator only on that indicator, and any tied indicator where the sentences name none (用地紧张)
    in_problem: dict[tuple[str, str], set[str]] = {}
    for row in stated.itertuples():
        names = {f[2] for f in find_indicators(row.sentence, corpus.config.indicators)} & tied.get(str(row.category), set())
        in_problem.setdefault((row.report_id, str(row.category)), set()).update(names)
    responses = []
    in_plans = hits[hits["role"].isin(ANSWER_ROLES) & hits["statement"].isin(["remedy", "target"])]
    for row in in_plans.itertuples():
        responses.append((row.report_id, str(row.category), row.sentence_id, row.statement, row.quote.strip()))
    planned = target_table[target_table["role"].isin(ANSWER_ROLES)]
    for category in taxonomy:
        for row in planned.itertuples():
            own = in_problem.get((row.report_id, category.key), set())
            if isinstance(row.indicator, str) and row.indicator in tied[category.key] and \
                    (not own or row.indicator in own):
                responses.append((row.report_id, category.key, row.sentence_id,
                                  f"indicator target ({row.indicator})", row.clause))
            elif category.topics is not None and category.topics.search(str(row.clause)):
                # 确保南区污水达标处理: a plan target on the problem's subject answers it in positive terms
                responses.append((row.report_id, category.key, row.sentence_id, "target on the subject", row.clause))
    found = pd.DataFrame(responses, columns=["report_id", "category", "sentence_id", "answered_by", "response"])
    found = found.sort_values(["report_id", "category", "sentence_id"], kind="stable")
    first = found.groupby(["report_id", "category"]).agg(answered_by=("answered_by", "first"),
                                                          response=("response", "first"),
                                                          n_responses=("sentence_id", "nunique"))
    table = named.reset_index()
    table["category"] = table["category"].astype(str)
    table = table.merge(first.reset_index(), on=["report_id", "category"], how="left")
    table["n_responses"] = table["n_responses"].fillna(0).astype(int)
    table["answered"] = table["n_responses"] > 0
    return table[["report_id", "category", "statements", "in_problem_section", "answered", "answered_by",
                  "n_responses", "response"]]


def detect_text(text: str, role: str = "review", config: Config = Config()) -> list[dict]:
    """Problem hits in a piece of text (cleaned first) — for trying the rules on a sentence or two.

    The clauses are read as a corpus reads them (a marker's scope carries over a sentence ending in ；or ：).
    """
    cleaned = clean_text(text, config.boilerplate).text
    found, scope = [], None
    for sentence in split_sentences(cleaned):
        clauses, scope = analyse_sentence(sentence.text, role, scope, config)
        scope = carried_scope(scope, role) if sentence.text.endswith(("；", "：")) else None
        found += [{"category": h["category"], "cue": h["cue"], "kind": h["kind"], "statement": h["statement"],
                   "sentence": sentence.text} for h in detect_clauses(clauses, role, config.problem_taxonomy)]
    return found


def taxonomy_table(config: Config = Config()) -> pd.DataFrame:
    """The problem taxonomy of ``config`` as a table: category, description, cues, topics."""
    taxonomy = config.problem_taxonomy
    return pd.DataFrame([{"category": c.key, "label": c.label, "description": c.description,
                          "cues": c.cues.pattern if c.cues else "", "topics": c.topics.pattern if c.topics else "",
                          "indicators": "、".join(c.indicators)}
                         for c in load_taxonomy(taxonomy)])
