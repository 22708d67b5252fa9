"""Themes: a lexicon of what park reports talk about, every keyword mention, and counts per unit.

A theme's mentions are the non-overlapping matches of its keywords (longest first) in the cleaned text of
each sentence; matches of one theme that touch (安全 + 事故 in 安全事故) make one mention. Counts come per
report, per section role, or per section, as raw counts, per 10,000 characters of that unit, and as the
theme's share of all theme mentions in the unit. The lexicon is the corpus's (``corpus.config.themes``).

>>> lexicon = load_lexicon()
>>> [t.name for t in lexicon][:3]
['招商引资', '项目建设', '产业发展']
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

import pandas as pd

from .cleaning import normalize
from .config import Config
from .errors import ConfigError
from .resources import read_table, rule_file_cache, rules_held


@dataclass(frozen=True)
class Theme:
    name: str
    description: str
    keywords: tuple[str, ...]
    pattern: re.Pattern


@rule_file_cache(maxsize=8)
def load_lexicon(source: str = "themes.csv") -> tuple[Theme, ...]:
    """Read a theme lexicon (columns theme, description, keywords separated by ``|``)."""
    table = read_table(source, required=("theme", "description", "keywords"))
    themes = []
    seen = set()
    for row in table.itertuples(index=False):
        keywords = tuple(dict.fromkeys(w for w in (normalize(k).strip() for k in row.keywords.split("|")) if w))
        if not row.theme or not keywords:
            raise ConfigError(f"{source}: theme {row.theme!r} needs a name and at least one keyword")
        if row.theme in seen:
            raise ConfigError(f"{source}: theme {row.theme!r} is listed twice")
        seen.add(row.theme)
        alternation = "|".join(re.escape(k) for k in sorted(keywords, key=len, reverse=True))
        themes.append(Theme(row.theme, row.description, keywords, re.compile(alternation)))
    return tuple(themes)


def _mentions(pattern: re.Pattern, text: str) -> list[tuple[int, int, str]]:
    """Keyword matches, with touching matches of one theme merged (安全+事故 in 安全事故 is one mention)."""
    return _merged(pattern.finditer(text))


def _merged(matches, base: int = 0) -> list[tuple[int, int, str]]:
    """Keyword ``matches`` in order as mentions, touching ones merged, offsets less ``base``."""
    mentions: list[list] = []
    for match in matches:
        if mentions and mentions[-1][1] == match.start() - base:
            mentions[-1][1] = match.end() - base
            mentions[-1][2] += "+" + match.group()
        else:
            mentions.append([match.start() - base, match.end() - base, match.group()])
    return [tuple(m) for m in mentions]


THEME_MATCH_COLUMNS = ["report_id", "sentence_id", "section_id", "role", "theme", "keyword", "start", "end"]


@rules_held
def report_theme_matches(report, lexicon: str = "themes.csv", config: Config = Config()) -> list[tuple]:
    """Theme mentions of one report: (sentence_id, section_id, role, theme, keyword, start, end) with original
    offsets; a pure function of the report and the lexicon, computed once (kept in ``report.memo``)."""
    key = ("themes", config.updated(themes=lexicon).fingerprint(("themes",)))
    if key not in report.memo:
        themes = load_lexicon(lexicon)
        sections, to_original = report.section_index, report.clean.to_original
        found = [_sentence_mentions(report, theme.pattern) for theme in themes]
        rows = []
        for sentence in report.sentences:
            role = sections[sentence.section_id].role
            for theme, mentions in zip(themes, found):
                for first, last, keyword in mentions.get(sentence.sentence_id, ()):
                    a, b = to_original(sentence.start + first, sentence.start + last)
                    rows.append((sentence.sentence_id, sentence.section_id, role, theme.name, keyword, a, b))
        report.memo[key] = rows
    return report.memo[key]


def _sentence_mentions(report, pattern: re.Pattern) -> dict[int, list[tuple[int, int, str]]]:
    """:func:`_mentions` of each sentence of ``report`` that has any (sentence id → mentions, offsets within the
    sentence), from one search of the whole text: a keyword match lying inside a sentence is one the sentence's
    own search finds. The few sentences a match runs into or out of are searched on their own."""
    sentences = report.sentences
    starts = [s.start for s in sentences]
    inside: dict[int, list] = {}
    again: set[int] = set()
    for match in pattern.finditer(report.text):
        at = bisect_right(starts, match.start()) - 1
        if at >= 0 and match.end() <= sentences[at].end:
            inside.setdefault(at, []).append(match)
        else:  # across a sentence's edge (or in the gap between two): those sentences read alone
            last = bisect_right(starts, match.end() - 1) - 1
            again.update(range(max(at, 0), last + 1))
    found = {sentences[at].sentence_id: _merged(matches, sentences[at].start)
             for at, matches in inside.items() if at not in again}
    for at in again:
        mentions = _mentions(pattern, sentences[at].text)
        if mentions:
            found[sentences[at].sentence_id] = mentions
    return found


def theme_matches(corpus, lexicon: str | None = None) -> pd.DataFrame:
    """Every theme mention: report_id, sentence_id, section_id, role, theme, keyword, start, end (original offsets).

    ``lexicon``: a theme file (``None``: the corpus's, ``corpus.config.themes``).
    """
    lexicon = lexicon or corpus.config.themes
    key = ("theme_matches", corpus.config.updated(themes=lexicon).fingerprint(("themes",)))
    if key not in corpus.cache:
        rows = [(report.report_id, *row) for report in corpus
                for row in report_theme_matches(report, lexicon, corpus.config)]
        corpus.cache[key] = pd.DataFrame(rows, columns=THEME_MATCH_COLUMNS)
    return corpus.cache[key].copy()


def theme_counts(corpus, by: str = "report", lexicon: str | None = None) -> pd.DataFrame:
    """Theme counts per unit (``by`` = report, role or section), with per_10k and share; zeros included.

    ``per_10k`` divides by the unit's size (:meth:`Corpus.sizes`, the one measure of size).
    """
    if by not in ("report", "role", "section"):
        raise ValueError("by must be 'report', 'role' or 'section'")
    keys = {"report": ["report_id"], "role": ["report_id", "role"], "section": ["report_id", "section_id"]}[by]
    themes = [t.name for t in load_lexicon(lexicon or corpus.config.themes)]
    sizes = corpus.sizes(by)
    grid = sizes.merge(pd.DataFrame({"theme": themes}), how="cross")
    counts = theme_matches(corpus, lexicon).groupby(keys + ["theme"]).size().rename("count").reset_index()
    table = grid.merge(counts, on=keys + ["theme"], how="left").fillna({"count": 0})
    table["count"] = table["count"].astype(int)
    table["per_10k"] = table["count"] / table["n_chars"] * 10_000
    totals = table.groupby(keys)["count"].transform("sum")
    table["share"] = (table["count"] / totals.where(totals > 0)).fillna(0.0)
    if by == "section":
        titles = corpus.sections[["report_id", "section_id", "level", "title", "role", "path"]]
        table = table.merge(titles, on=["report_id", "section_id"], how="left")
    table["theme"] = pd.Categorical(table["theme"], categories=themes, ordered=True)
    return table.sort_values(keys + ["theme"]).reset_index(drop=True)


def role_shift(corpus, left: str = "review", right: str = "plan", lexicon: str | None = None) -> pd.DataFrame:
    """Each theme's share of theme mentions in ``left`` versus ``right`` sections, pooled over the corpus.

    Index: theme; columns: left share, right share, their difference (right − left), and both counts.
    """
    matches = theme_matches(corpus, lexicon)
    themes = [t.name for t in load_lexicon(lexicon or corpus.config.themes)]
    counts = matches[matches["role"].isin([left, right])].groupby(["theme", "role"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=themes, columns=[left, right], fill_value=0)
    shares = counts / counts.sum(axis=0).where(counts.sum(axis=0) > 0)
    table = shares.fillna(0.0)
    table["difference"] = table[right] - table[left]
    table[f"{left}_count"] = counts[left]
    table[f"{right}_count"] = counts[right]
    table.index.name = "theme"
    return table


def theme_dispersion(corpus, lexicon: str | None = None) -> pd.DataFrame:
    """How evenly each theme is spread over the reports: the coefficient of variation (sd / mean) of its share
    of each report's theme mentions.

    Returns:
        Index theme; columns reports_present (reports that mention it), mean_share, min_share, max_share, cv.
        Themes every report mentions come first, most even first: a theme missing from some reports, or rare
        everywhere, cannot rank as evenly spread.
    """
    shares = theme_counts(corpus, "report", lexicon).pivot_table(index="report_id", columns="theme", values="share",
                                                                   observed=True)
    counts = theme_counts(corpus, "report", lexicon).pivot_table(index="report_id", columns="theme", values="count",
                                                                   observed=True)
    table = pd.DataFrame({"reports_present": (counts > 0).sum(), "mean_share": shares.mean(),
                          "min_share": shares.min(), "max_share": shares.max(),
                          "cv": shares.std(ddof=0) / shares.mean().where(shares.mean() > 0)})
    table.index = table.index.astype(str)
    table.index.name = "theme"
    table["everywhere"] = table["reports_present"] == len(shares)
    table = table.sort_values(["everywhere", "cv"], ascending=[False, True]).drop(columns="everywhere")
    return table


THEME_TABLE_COLUMNS = ["report_id", "theme", "role", "count", "per_10k", "share", "n_chars"]


def theme_table(corpus, lexicon: str | None = None) -> pd.DataFrame:
    """The table ``ingest`` writes: per report (role ``all``) and per report and role — the rows of
    :func:`theme_counts` by report and by role, one after the other, made report by report (no merges: a batch
    of an ingest pays no cost per table)."""
    lexicon = lexicon or corpus.config.themes
    themes = [t.name for t in load_lexicon(lexicon)]
    overall, by_role = [], []
    for report in sorted(corpus, key=lambda r: r.report_id):
        if not report.sentences:
            continue  # a report without sentences has no size (as in theme_counts)
        sizes = report.role_sizes  # the sizes Corpus.sizes sums (roles in order)
        counts: dict[tuple[str, str], int] = {}
        for row in report_theme_matches(report, lexicon, corpus.config):
            counts[("all", row[3])] = counts.get(("all", row[3]), 0) + 1
            counts[(row[2], row[3])] = counts.get((row[2], row[3]), 0) + 1
        for role, n_chars, rows in [("all", report.size, overall)] + \
                [(role, size, by_role) for role, size in sizes.items()]:
            found = [counts.get((role, theme), 0) for theme in themes]
            total = sum(found)
            rows += [(report.report_id, theme, role, count, _rate(count, n_chars) * 10_000,
                      count / total if total > 0 else 0.0, n_chars) for theme, count in zip(themes, found)]
    table = pd.DataFrame(overall + by_role, columns=THEME_TABLE_COLUMNS)
    return table.astype({"count": "int64", "per_10k": "float64", "share": "float64", "n_chars": "int64"})


def _rate(count: int, size: int) -> float:
    """``count / size`` as numpy divides (a size of 0 gives inf, or NaN for a count of 0)."""
    if size:
        return count / size
    return float("nan") if count == 0 else float("inf")


def lexicon_table(config: Config = Config()) -> pd.DataFrame:
    """The theme lexicon of ``config`` as a table: theme, description, keywords."""
    return pd.DataFrame([{"theme": t.name, "description": t.description, "keywords": "、".join(t.keywords)}
                         for t in load_lexicon(config.themes)])
