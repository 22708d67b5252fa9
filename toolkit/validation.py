"""Validation: how well the parser, target extraction and problem detection agree with a hand reading.

The hand reading (``data/annotations/seed_gold.json``) is keyed by the seed file name; the manifest's
``source`` column (``web copy, seed NAME``) links each key to a report_id. Every function returns one row per
item compared, with ``agrees`` and a note, so precision, recall and every disagreement come from one table.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from .cleaning import clean_text, normalize
from .metadata import METADATA_FIELDS


def read_gold(path: str | Path | None = None) -> dict:
    """The hand reading as a dict keyed by seed file name (the ``_about`` entry dropped); default the project's
    ``data/annotations/seed_gold.json``."""
    if path is None:
        from .paths import annotations_dir

        path = annotations_dir() / "seed_gold.json"
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def gold_report_ids(corpus, gold: dict) -> dict[str, str]:
    """Gold key → report_id, from each report's manifest ``source`` (its last word is the seed file name)."""
    mapping = {}
    for report in corpus:
        source = str(report.metadata.get("source") or "")
        words = source.split()
        if words and words[-1] in gold:
            mapping[words[-1]] = report.report_id
    return mapping


def _squash(title: str) -> str:
    return re.sub(r"\s", "", normalize(title))


def heading_agreement(corpus, gold: dict) -> pd.DataFrame:
    """One row per gold heading and per extra parsed heading (levels 1–3): found?, role and year agree?"""
    ids = gold_report_ids(corpus, gold)
    sections = corpus.sections
    rows = []
    for key, report_id in ids.items():
        mine = sections[(sections["report_id"] == report_id) & sections["level"].between(1, 3)]
        parsed = {(int(s.level), s.number, _squash(s.title)): s for s in mine.itertuples()}
        expected = set()
        for heading in gold[key]["headings"]:
            label = (heading["level"], heading["number"], _squash(heading["title"]))
            expected.add(label)
            found = parsed.get(label)
            year = None if found is None or pd.isna(found.year) else int(found.year)
            role_ok = found is not None and found.role == heading["role"]
            year_ok = found is not None and year == heading["year"]
            note = "" if found is not None else "not found"
            if found is not None and not role_ok:
                note = f"role {found.role} (gold {heading['role']})"
            if found is not None and not year_ok:
                note += f" year {year} (gold {heading['year']})"
            rows.append({"report_id": report_id, "level": heading["level"], "number": heading["number"],
                         "title": heading["title"], "found": found is not None, "role_agrees": role_ok,
                         "year_agrees": year_ok, "extra": False, "note": note.strip()})
        for label, section in parsed.items():
            if label not in expected:
                rows.append({"report_id": report_id, "level": label[0], "number": label[1], "title": section.title,
                             "found": True, "role_agrees": False, "year_agrees": False, "extra": True,
                             "note": "parsed but not in the hand reading"})
    return pd.DataFrame(rows)


def metadata_agreement(corpus, gold: dict) -> pd.DataFrame:
    """One row per report and metadata field: inferred value (text alone) against the hand reading."""
    ids = gold_report_ids(corpus, gold)
    rows = []
    for key, report_id in ids.items():
        inferred = corpus[report_id].inferred
        for field in METADATA_FIELDS:
            if field not in gold[key]:
                continue
            rows.append({"report_id": report_id, "field": field, "inferred": inferred.get(field),
                         "gold": gold[key][field], "agrees": inferred.get(field) == gold[key][field]})
    return pd.DataFrame(rows)


def boilerplate_agreement(corpus, gold: dict) -> pd.DataFrame:
    """One row per gold boilerplate string: removed from the cleaned text?"""
    ids = gold_report_ids(corpus, gold)
    rows = [{"report_id": report_id, "boilerplate": phrase, "removed": phrase not in corpus[report_id].text}
            for key, report_id in ids.items() for phrase in gold[key].get("boilerplate", [])]
    return pd.DataFrame(rows, columns=["report_id", "boilerplate", "removed"])


def target_agreement(target_table: pd.DataFrame, corpus, gold: dict) -> pd.DataFrame:
    """One row per gold target: extracted (its fragment inside a target sentence)? and each attribute agreed?"""
    ids = gold_report_ids(corpus, gold)
    rows = []
    for key, report_id in ids.items():
        own = target_table[target_table["report_id"] == report_id]
        for target in gold[key]["targets"]:
            fragment = clean_text(target["contains"]).text
            candidates = own[own["sentence"].str.contains(fragment, regex=False)]
            best, best_score = None, -1
            for row in candidates.itertuples():
                checks = _target_checks(row, target)
                if sum(checks.values()) > best_score:
                    best, best_score = (row, checks), sum(checks.values())
            entry = {"report_id": report_id, "contains": target["contains"], "extracted": best is not None}
            if best is not None:
                row, checks = best
                entry.update({f"{k}_agrees": v for k, v in checks.items()})
                entry.update({"strength": row.strength, "gold_strength": target["strength"], "clause": row.clause})
            rows.append(entry)
    table = pd.DataFrame(rows)
    agree_columns = [c for c in table.columns if c.endswith("_agrees")]
    # a check the hand reading does not make (no indicator named) cannot disagree
    table["all_agree"] = table["extracted"] & table[agree_columns].fillna(True).astype(bool).all(axis=1)
    return table


def _target_checks(row, target: dict) -> dict[str, bool]:
    strength = None if pd.isna(row.strength) else row.strength
    checks = {"strength": strength == target["strength"], "floor": bool(row.floor) == target["floor"],
              "quantitative": bool(row.quantitative) == target["quantitative"]}
    if "indicator" in target:
        checks["indicator"] = target["indicator"] in (row.indicator, row.indicator_text)
    return checks


def problem_agreement(hits: pd.DataFrame, corpus, gold: dict) -> pd.DataFrame:
    """One row per report and category: gold must / may / neither against what detection found.

    ``detected`` — a problem statement (the unit the problems chapter counts: a hit read as ``problem``) whose
    sentence holds a gold evidence phrase (must), or any problem statement (may, neither). A category in
    neither must nor may that is reported as a problem is a false positive.
    """
    ids = gold_report_ids(corpus, gold)
    rows = []
    for key, report_id in ids.items():
        own = hits[hits["report_id"] == report_id].assign(category=lambda d: d["category"].astype(str))
        must, may = gold[key]["problems"]["must"], set(gold[key]["problems"]["may"])
        categories = sorted(set(own["category"]) | set(must) | may)
        for category in categories:
            mine = own[own["category"] == category]
            as_problem = mine[mine["statement"] == "problem"]
            if category in must:
                phrases = [clean_text(e).text for e in must[category]]
                detected = any(p in s for s in as_problem["sentence"] for p in phrases)
                label = "must"
            else:
                detected = len(as_problem) > 0
                label = "may" if category in may else "neither"
            rows.append({"report_id": report_id, "category": category, "gold": label, "detected": detected,
                         "problem_hits": len(as_problem), "all_hits": len(mine),
                         "example": as_problem["quote"].iloc[0].strip() if len(as_problem) else ""})
    return pd.DataFrame(rows)
