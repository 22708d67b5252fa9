"""Validation: how well the parser, target extraction and problem detection agree with a hand reading.

Two gold formats are read (see each file's ``_about``):

* the seed format (``data/annotations/seed_gold.json``): every heading of levels 1–3 as a list of dicts with
  its own role and year; keys are the seed file names, linked to report_ids through the manifest's ``source``
  column (``web copy, seed NAME``);
* the validation format (``data/annotations/validation_gold.json``): level-1 and level-2 titles by level,
  roles of the level-1 sections, ``no_headings_like``, ``not_targets`` and ``indicators``; keys are the file
  names themselves. A ``null`` field is not judged.

Every function returns one row per item compared, with ``agrees`` (or ``found`` …) and a note, so rates and
every disagreement come from one table; ``summary`` puts two gold files side by side.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from .cleaning import clean_text, normalize, to_simplified
from .metadata import METADATA_FIELDS


def read_gold(path: str | Path | None = None) -> dict:
    """The hand reading as a dict keyed by file name (the ``_about`` entry dropped); default the project's
    ``data/annotations/seed_gold.json``."""
    if path is None:
        from .paths import annotations_dir

        path = annotations_dir() / "seed_gold.json"
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def gold_format(gold: dict) -> str:
    """``"seed"`` (headings as a list of dicts) or ``"validation"`` (headings by level)."""
    for entry in gold.values():
        return "validation" if isinstance(entry.get("headings"), dict) else "seed"
    return "seed"


def gold_report_ids(corpus, gold: dict) -> dict[str, str]:
    """Gold key → report_id: the report's manifest ``source`` ends with the key, or its file is named so."""
    mapping = {}
    for report in corpus:
        words = str(report.metadata.get("source") or "").split()
        if words and words[-1] in gold:
            mapping[words[-1]] = report.report_id
        elif Path(report.path).name in gold:
            mapping[Path(report.path).name] = report.report_id
    return mapping


def _squash(title: str) -> str:
    return re.sub(r"\s", "", normalize(title))


_PUNCTUATION = re.compile(r"[\s\W_]+")


def _bare(text: str) -> str:
    """Whitespace and punctuation removed, width normalised: how validation titles are compared."""
    return _PUNCTUATION.sub("", normalize(text))


def _cleaned(fragment: str) -> str:
    """A gold fragment as cleaning would read it (width, masks, glosses, simplified script), for matching
    cleaned sentences. A fragment is too short to detect its script, so it is always converted."""
    return to_simplified(clean_text(fragment).text)


# ------------------------------------------------------------------------------------------------------
# Headings, roles and section years
# ------------------------------------------------------------------------------------------------------
def heading_agreement(corpus, gold: dict) -> pd.DataFrame:
    """One row per gold heading and per extra (or false) parsed heading: found?, role and year agree?

    Columns: report_id, level, number, title, found, role_agrees, year_agrees (None where the gold does not
    judge), extra (a parsed heading the hand reading does not have, or one opening a ``no_headings_like``
    string), note.
    """
    if gold_format(gold) == "validation":
        return _validation_headings(corpus, gold)
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
    return pd.DataFrame(rows, columns=["report_id", "level", "number", "title", "found", "role_agrees",
                                       "year_agrees", "extra", "note"])


def _validation_headings(corpus, gold: dict) -> pd.DataFrame:
    """Levels 1–2 in order; a gold title matches a parsed one that starts with it (run-on titles)."""
    ids = gold_report_ids(corpus, gold)
    sections = corpus.sections
    rows = []
    for key, report_id in ids.items():
        entry = gold[key]
        report = corpus[report_id]
        mine = sections[(sections["report_id"] == report_id) & sections["level"].between(1, 3)]
        matched: set[int] = set()
        for level in (1, 2):
            candidates = [s for s in mine.itertuples() if s.level == level]
            for title in entry["headings"].get(str(level), []):
                want = _bare(title)
                hit = next((s for s in candidates if s.section_id not in matched and want
                            and _bare(s.title).startswith(want)), None)
                role = entry.get("roles", {}).get(title) if level == 1 else None
                role_ok = None if role is None else (hit is not None and hit.role == role)
                note = "not found" if hit is None else ""
                if hit is not None:
                    matched.add(hit.section_id)
                    if role_ok is False:
                        note = f"role {hit.role} (gold {role})"
                rows.append({"report_id": report_id, "level": level, "number": "" if hit is None else hit.number,
                             "title": title, "found": hit is not None, "role_agrees": role_ok, "year_agrees": None,
                             "extra": False, "note": note})
        lookalikes = [_bare(x) for x in entry.get("no_headings_like", [])]
        for s in mine.itertuples():
            if s.section_id in matched:
                continue
            start = int(s.start)
            opening = _bare(report.original[start : start + 60])
            false = next((x for x in lookalikes if x and opening.startswith(x)), None)
            if false is None and s.level == 3:
                continue  # level-3 headings are not in this hand reading
            rows.append({"report_id": report_id, "level": int(s.level), "number": s.number, "title": s.title,
                         "found": True, "role_agrees": None, "year_agrees": None, "extra": True,
                         "note": "opens a string the hand reading says is no heading" if false else
                                 "parsed but not in the hand reading"})
    return pd.DataFrame(rows, columns=["report_id", "level", "number", "title", "found", "role_agrees",
                                       "year_agrees", "extra", "note"])


def role_agreement(corpus, gold: dict) -> pd.DataFrame:
    """One row per level-1 section the hand reading gives a role: parsed role, how it was decided, agrees?

    A heading the parser does not find counts as a disagreement (role ``None``).
    """
    sections = corpus.sections
    rows = []
    if gold_format(gold) == "validation":
        ids = gold_report_ids(corpus, gold)
        for key, report_id in ids.items():
            mine = sections[(sections["report_id"] == report_id) & (sections["level"] == 1)]
            for title, role in gold[key].get("roles", {}).items():
                hit = next((s for s in mine.itertuples() if _bare(s.title).startswith(_bare(title))), None)
                rows.append({"report_id": report_id, "title": title, "gold": role,
                             "role": None if hit is None else hit.role,
                             "role_source": None if hit is None else getattr(hit, "role_source", None),
                             "agrees": hit is not None and hit.role == role})
    else:
        ids = gold_report_ids(corpus, gold)
        for key, report_id in ids.items():
            mine = sections[(sections["report_id"] == report_id) & (sections["level"] == 1)]
            parsed = {(s.number, _squash(s.title)): s for s in mine.itertuples()}
            for heading in gold[key]["headings"]:
                if heading["level"] != 1:
                    continue
                hit = parsed.get((heading["number"], _squash(heading["title"])))
                rows.append({"report_id": report_id, "title": heading["title"], "gold": heading["role"],
                             "role": None if hit is None else hit.role,
                             "role_source": None if hit is None else getattr(hit, "role_source", None),
                             "agrees": hit is not None and hit.role == heading["role"]})
    return pd.DataFrame(rows, columns=["report_id", "title", "gold", "role", "role_source", "agrees"])


# ------------------------------------------------------------------------------------------------------
# Report metadata, boilerplate
# ------------------------------------------------------------------------------------------------------
def metadata_agreement(corpus, gold: dict) -> pd.DataFrame:
    """One row per report and metadata field: inferred value (text alone) against the hand reading.

    In the validation format a ``null`` gold value is not judged: the row is kept with ``judged`` False.
    """
    ids = gold_report_ids(corpus, gold)
    skip_null = gold_format(gold) == "validation"
    rows = []
    for key, report_id in ids.items():
        inferred = corpus[report_id].inferred
        for field in METADATA_FIELDS:
            if field not in gold[key]:
                continue
            value, expected = inferred.get(field), gold[key][field]
            judged = not (skip_null and expected is None)
            rows.append({"report_id": report_id, "field": field, "inferred": value, "gold": expected,
                         "judged": judged, "agrees": value == expected if judged else None,
                         "source": inferred.get("year_source") if field == "report_year" else None})
    return pd.DataFrame(rows, columns=["report_id", "field", "inferred", "gold", "judged", "agrees", "source"])


def boilerplate_agreement(corpus, gold: dict) -> pd.DataFrame:
    """One row per gold boilerplate string: removed from the cleaned text?"""
    ids = gold_report_ids(corpus, gold)
    rows = [{"report_id": report_id, "boilerplate": phrase, "removed": phrase not in corpus[report_id].text}
            for key, report_id in ids.items() for phrase in gold[key].get("boilerplate", [])]
    return pd.DataFrame(rows, columns=["report_id", "boilerplate", "removed"])


# ------------------------------------------------------------------------------------------------------
# Targets, results that must not be targets, indicators
# ------------------------------------------------------------------------------------------------------
def target_agreement(target_table: pd.DataFrame, corpus, gold: dict) -> pd.DataFrame:
    """One row per gold target: extracted (its fragment inside a target sentence)? and each attribute agreed?

    ``strength`` in the gold is one value or a list of allowed values.
    """
    ids = gold_report_ids(corpus, gold)
    rows = []
    for key, report_id in ids.items():
        own = target_table[target_table["report_id"] == report_id]
        for target in gold[key]["targets"]:
            fragment = _cleaned(target["contains"])
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
    table = pd.DataFrame(rows, columns=["report_id", "contains", "extracted"]) if not rows else pd.DataFrame(rows)
    agree_columns = [c for c in table.columns if c.endswith("_agrees")]
    # a check the hand reading does not make (no indicator named) cannot disagree
    table["all_agree"] = table["extracted"].astype(bool) & (
        table[agree_columns].fillna(True).astype(bool).all(axis=1) if agree_columns else True)
    return table


def _target_checks(row, target: dict) -> dict[str, bool]:
    strength = None if pd.isna(row.strength) else row.strength
    allowed = target["strength"] if isinstance(target["strength"], list) else [target["strength"]]
    checks = {"strength": strength in allowed, "floor": bool(row.floor) == target["floor"]}
    if "quantitative" in target:
        checks["quantitative"] = bool(row.quantitative) == target["quantitative"]
    if "indicator" in target:
        checks["indicator"] = target["indicator"] in (row.indicator, row.indicator_text)
    return checks


def not_target_agreement(target_table: pd.DataFrame, corpus, gold: dict) -> pd.DataFrame:
    """One row per gold ``not_targets`` fragment (a reported result): avoided = no target clause overlaps it."""
    ids = gold_report_ids(corpus, gold)
    rows = []
    for key, report_id in ids.items():
        own = target_table[target_table["report_id"] == report_id]
        clauses = [(_cleaned(str(c)), str(c)) for c in own["clause"]]
        for fragment in gold[key].get("not_targets", []):
            wanted = _cleaned(fragment)
            taken = [original for cleaned, original in clauses if cleaned and (cleaned in wanted or wanted in cleaned)]
            rows.append({"report_id": report_id, "not_target": fragment, "avoided": not taken,
                         "taken_as": taken[0] if taken else ""})
    return pd.DataFrame(rows, columns=["report_id", "not_target", "avoided", "taken_as"])


def _number(text) -> float | None:
    """The number a value starts with, as written (``45101萬(wàn)元`` → 45101.0); None for a mask or nothing."""
    found = re.match(r"-?\d[\d,]*(?:\.\d+)?", str(text).replace(" ", ""))
    return float(found.group().replace(",", "")) if found else None


def indicator_agreement(result_table: pd.DataFrame, corpus, gold: dict) -> pd.DataFrame:
    """One row per gold indicator (a reported value): a result row in whose clause the gold's named measure
    lies, with the same value and unit (and growth in percent, negative for a decline, where the gold gives it)."""
    ids = gold_report_ids(corpus, gold)
    rows = []
    for key, report_id in ids.items():
        own = result_table[result_table["report_id"] == report_id]
        for indicator in gold[key].get("indicators", []):
            name, unit = _cleaned(indicator["contains"]), _cleaned(indicator["unit"])
            best, note = None, "no result names it"
            for row in own.itertuples():
                if name not in _cleaned(str(row.clause)):
                    continue
                if _number(row.value) != float(indicator["value"]) or _cleaned(str(row.unit)) != unit:
                    note = f"value {row.value}{row.unit}"
                    continue
                if "growth" in indicator:
                    growth = _number(row.growth_value)
                    if growth is not None and row.growth_direction == "down":
                        growth = -abs(growth)
                    if growth != float(indicator["growth"]):
                        note = f"growth {row.growth_value} ({row.growth_direction})"
                        continue
                best, note = row, ""
                break
            rows.append({"report_id": report_id, "contains": indicator["contains"], "value": indicator["value"],
                         "unit": indicator["unit"], "growth": indicator.get("growth"), "found": best is not None,
                         "note": note})
    return pd.DataFrame(rows, columns=["report_id", "contains", "value", "unit", "growth", "found", "note"])


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
                phrases = [_cleaned(e) for e in must[category]]
                detected = any(p in s for s in as_problem["sentence"] for p in phrases)
                label = "must"
            else:
                detected = len(as_problem) > 0
                label = "may" if category in may else "neither"
            rows.append({"report_id": report_id, "category": category, "gold": label, "detected": detected,
                         "problem_hits": len(as_problem), "all_hits": len(mine),
                         "example": as_problem["quote"].iloc[0].strip() if len(as_problem) else ""})
    return pd.DataFrame(rows, columns=["report_id", "category", "gold", "detected", "problem_hits", "all_hits",
                                       "example"])


# ------------------------------------------------------------------------------------------------------
# Side by side
# ------------------------------------------------------------------------------------------------------
def agreement(corpus, gold: dict, target_table: pd.DataFrame, result_table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every comparison table for one corpus and its gold: headings, roles, metadata, targets, not_targets,
    indicators. ``target_table`` and ``result_table`` are the corpus's ``tk.targets(corpus)`` and
    ``tk.results(corpus)`` (this module reads the analyses' tables, it does not run them)."""
    return {"headings": heading_agreement(corpus, gold), "roles": role_agreement(corpus, gold),
            "metadata": metadata_agreement(corpus, gold), "targets": target_agreement(target_table, corpus, gold),
            "not_targets": not_target_agreement(target_table, corpus, gold),
            "indicators": indicator_agreement(result_table, corpus, gold)}


def _rate(hits: int, total: int) -> dict:
    return {"agree": hits, "of": total, "rate": hits / total if total else None}


def measures(tables: dict[str, pd.DataFrame]) -> dict[str, dict]:
    """The rates of one gold file from its ``agreement`` tables: measure → {agree, of, rate}.

    ``false headings`` counts parsed headings the hand reading does not have (``rate`` is None).
    """
    headings = tables["headings"]
    expected = headings[~headings["extra"].astype(bool)]
    out = {"headings found": _rate(int(expected["found"].sum()), len(expected))}
    extra = int(headings["extra"].astype(bool).sum())
    out["false headings"] = {"agree": extra, "of": None, "rate": None}
    roles = tables["roles"]
    out["roles (level 1)"] = _rate(int(roles["agrees"].sum()), len(roles))
    metadata = tables["metadata"]
    judged = metadata[metadata["judged"].astype(bool)]
    for field, label in (("report_year", "report year"), ("period", "period"), ("kind", "kind"),
                         ("park_type", "park type"), ("plan_year", "plan year")):
        rows = judged[judged["field"] == field]
        out[label] = _rate(int(rows["agrees"].astype(bool).sum()), len(rows))
    targets_ = tables["targets"]
    out["targets found"] = _rate(int(targets_["extracted"].astype(bool).sum()) if len(targets_) else 0, len(targets_))
    out["targets right"] = _rate(int(targets_["all_agree"].astype(bool).sum()) if len(targets_) else 0, len(targets_))
    avoided = tables["not_targets"]
    out["not_targets avoided"] = _rate(int(avoided["avoided"].sum()), len(avoided))
    indicators = tables["indicators"]
    out["indicators found"] = _rate(int(indicators["found"].sum()), len(indicators))
    return out


#: The issue's goals on the validation set (``None``: no goal set; false headings must be 0).
GOALS = {"headings found": 0.95, "false headings": 0, "roles (level 1)": 0.9, "report year": 0.9, "period": 0.9,
         "kind": 0.9, "park type": 0.9, "targets right": 0.9, "not_targets avoided": 1.0, "indicators found": 0.85}


def summary(samples: dict[str, dict[str, pd.DataFrame]]) -> pd.DataFrame:
    """Side by side: one row per measure, one column group per sample (e.g. ``in-sample (seeds)`` and
    ``out-of-sample (validation)``), each cell ``rate (agree/of)``; plus the goal.

    ``samples`` maps a label to that sample's ``agreement`` tables.
    """
    columns = {label: measures(tables) for label, tables in samples.items()}
    names = list(next(iter(columns.values())))
    rows = []
    for name in names:
        row = {"measure": name}
        for label, values in columns.items():
            value = values[name]
            if value["of"] is None:
                row[label] = str(value["agree"])
            elif not value["of"]:
                row[label] = "n/a (0 items)"
            else:
                row[label] = f"{value['rate']:.0%} ({value['agree']}/{value['of']})"
        goal = GOALS.get(name)
        row["goal"] = "" if goal is None else ("none" if name == "false headings" else f"≥ {goal:.0%}"
                                                 if goal < 1 else "all")
        rows.append(row)
    return pd.DataFrame(rows)
