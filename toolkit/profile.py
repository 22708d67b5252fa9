"""Profile of one report: outline, top themes, targets by strength, problems with quotes, and where it sits
against a reference corpus (by default the reports in ``data/``).

>>> p = profile_report("data/reports/2022-ecopark.txt")        # doctest: +SKIP
>>> print(format_profile(p))                                    # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .commitments import targets
from .compare import MEASURES, report_measures, similarity
from .config import Config
from .corpus import Corpus, load_corpus, parse_report
from .difficulties import problems
from .themes import theme_counts

STRENGTH_ORDER = ("binding", "striving", "planned", "expected", "none")


def profile_report(path: str | Path, reference: Corpus | str | Path | None = None, top: int = 5,
                   config: Config | None = None) -> dict:
    """A one-report profile as plain data (JSON-ready).

    ``reference`` is a Corpus or a folder (default: ``data/reports``); ``config`` gives the rule files (default:
    the reference corpus's). A file that belongs to the reference corpus is read as the corpus reads it
    (with its manifest row); any other file is parsed with metadata inferred from its text.
    """
    path = Path(path)
    if not isinstance(reference, Corpus):
        reference = load_corpus(reference, config=config or Config())
    config = config or reference.config
    own = [r for r in reference if Path(r.path).resolve() == path.resolve()]
    report = own[0] if own and config == reference.config else parse_report(path, config=config)
    others = [r for r in reference if r.sha256 != report.sha256 and r.report_id != report.report_id]
    combined = Corpus(others + [report], config=config)
    report_id = report.report_id

    outline = [{"level": s.level, "number": s.number, "title": s.title, "role": s.role, "year": s.year}
               for s in report.sections if 0 < s.level <= 3]
    themes = theme_counts(combined).query("report_id == @report_id").sort_values("per_10k", ascending=False)
    target_table = targets(combined)
    own_targets = target_table.query("report_id == @report_id")
    strength = own_targets["strength"].fillna("none").value_counts()
    examples = {s: own_targets[own_targets["strength"].fillna("none") == s]["clause"].head(2).tolist()
                for s in STRENGTH_ORDER if strength.get(s, 0)}
    hits = problems(combined)
    named = hits.query("report_id == @report_id and statement == 'problem'")
    problem_list = [{"category": str(c), "statements": int(g["sentence_id"].nunique()),
                     "quote": g["quote"].iloc[0].strip()}
                    for c, g in named.groupby("category", sort=False, observed=True)]

    measures = report_measures(combined, target_table, hits)
    position = {}
    if len(others):
        for column in MEASURES:
            values = measures[column]
            mine = values[report_id]
            rest = values.drop(report_id)
            position[column] = {"value": _plain(mine), "corpus_median": _plain(rest.median()),
                                "rank": int((values > mine).sum()) + 1, "of": int(values.notna().sum())}
        sims = similarity(combined)[report_id].drop(report_id).sort_values(ascending=False)
        nearest = {"report_id": sims.index[0], "similarity": round(float(sims.iloc[0]), 3)}
    else:
        nearest = None
    return {
        "report_id": report_id, "file": str(path), "metadata": {k: _plain(v) for k, v in report.metadata.items()},
        "warnings": report.warnings, "characters": report.size, "sentences": len(report.sentences),
        "outline": outline,
        "top_themes": [{"theme": str(r.theme), "count": int(r.count), "per_10k": round(float(r.per_10k), 1)}
                       for r in themes[themes["count"] > 0].head(top).itertuples()],
        "targets": {"total": int(len(own_targets)), "by_strength": {k: int(v) for k, v in strength.items()},
                    "quantitative": int(own_targets["quantitative"].sum()), "examples": examples},
        "problems": problem_list,
        "reference": {"reports": len(others), "position": position, "most_similar": nearest},
    }


def _plain(value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return round(value, 3) if isinstance(value, float) else value


def format_profile(profile: dict, width: int = 100) -> str:
    """The profile as one screen of text."""
    meta = profile["metadata"]
    lines = [f"{profile['report_id']} — {meta.get('park') or '?'} ({meta.get('park_type') or '?'}), "
             f"{meta.get('report_year') or '?'} {meta.get('kind') or ''} {meta.get('period') or ''}".rstrip(),
             f"{profile['characters']:,} characters, {profile['sentences']} sentences"]
    lines += [f"warning: {w}" for w in profile["warnings"]]
    lines.append("\nOutline")
    for item in profile["outline"]:
        if item["level"] <= 2:
            lines.append(f"  {'  ' * (item['level'] - 1)}{item['number']} {item['title'][:40]}  [{item['role']}, "
                         f"{item['year'] if item['year'] is not None else '-'}]")
    lines.append("\nTop themes (mentions per 10,000 characters)")
    lines.append("  " + "; ".join(f"{t['theme']} {t['per_10k']:.0f}" for t in profile["top_themes"]))
    targets_ = profile["targets"]
    lines.append(f"\nTargets: {targets_['total']} ({targets_['quantitative']} quantitative) — " +
                 ", ".join(f"{k} {v}" for k, v in targets_["by_strength"].items()))
    for strength, clauses in targets_["examples"].items():
        lines.append(f"  {strength}: " + " | ".join(c[:40] for c in clauses))
    lines.append(f"\nProblems named: {len(profile['problems'])} categories")
    for problem in profile["problems"]:
        lines.append(f"  {problem['category']} ({problem['statements']}): {problem['quote'][:width - 30]}")
    reference = profile["reference"]
    if reference["reports"]:
        lines.append(f"\nAgainst {reference['reports']} reference reports (rank 1 = highest; the target measures "
                     "count plan-section targets, — where the report has none)")
        for name, entry in reference["position"].items():
            value = "—" if entry["value"] is None else entry["value"]
            median = "—" if entry["corpus_median"] is None else entry["corpus_median"]
            lines.append(f"  {name:20} {value!s:>8}  median {median!s:>8}  "
                         f"rank {entry['rank']}/{entry['of']}")
        nearest = reference["most_similar"]
        lines.append(f"  most similar: {nearest['report_id']} (cosine {nearest['similarity']})")
    else:
        lines.append("\n(no reference reports to compare with)")
    return "\n".join(lines)
