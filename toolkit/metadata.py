"""Report metadata inferred from the text: park, park type, year reviewed, plan year, period, kind.

Headings are trusted over everything else; the opening paragraph comes next. Web titles never count
(cleaning has removed them before this runs). A manifest row, where there is one, overrides all of it.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .cleaning import MASK, CleanText
from .resources import read_table
from .structure import EXPLICIT_YEAR, Section

#: Period words in review headings, most specific first.
PERIOD_WORDS: tuple[tuple[str, str], ...] = (("前三季度", "1-9月"), ("一季度", "1-3月"), ("上半年", "上半年"))
MONTH_RANGE = re.compile(r"(?<![\d" + MASK + r"])(1[0-2]|[1-9])\s*[-—~至到]\s*(1[0-2]|[1-9])\s*月")
TERM_HEADING = re.compile(r"本届|下届|上届|任期|届内|五年")
TERM_OPENING = re.compile(r"^\s*(?:五年来|过去五年|近五年|本届以来)")
HALF_YEAR_HEADING = re.compile(r"上半年|半年")
NAME_CHARS = re.compile(r"[\u4e00-\u9fff" + MASK + r"A-Za-z0-9]{0,8}$")
NAME_LEADING_WORDS = re.compile(r"^(?:我|本|该|全|在|对|由|为|以|将|推动|面对)+")

METADATA_FIELDS = ("park", "park_type", "report_year", "plan_year", "period", "kind")


@lru_cache(maxsize=8)
def park_type_rules(source: str = "park_types.csv") -> tuple[re.Pattern, dict[str, str]]:
    table = read_table(source, required=("term", "park_type"))
    mapping = dict(zip(table["term"], table["park_type"]))
    alternation = "|".join(re.escape(t) for t in sorted(mapping, key=len, reverse=True))
    return re.compile(alternation), mapping


def opening(clean: CleanText, sections: list[Section]) -> str:
    """The preamble (text before the first heading), or the first paragraph when there is none."""
    preamble = clean.text[sections[0].start : sections[0].end] if len(sections) > 1 else ""
    if preamble.strip():
        return preamble
    return clean.text.split("\n", 1)[0]


def infer_park(clean: CleanText, sections: list[Section], source: str = "park_types.csv"):
    """(park name as written, normalised park type) from the first self-designation, else the commonest."""
    pattern, mapping = park_type_rules(source)
    first = pattern.search(opening(clean, sections))
    if first:
        start = first.start()
        prefix = NAME_CHARS.search(clean.text[:start]).group()
        prefix = NAME_LEADING_WORDS.sub("", prefix)
        name_start = start - len(prefix)
        a, b = clean.to_original(name_start, first.end())
        return clean.original[a:b], mapping[first.group()]
    counts = Counter(mapping[m.group()] for m in pattern.finditer(clean.text))
    if counts:
        park_type = counts.most_common(1)[0][0]
        return None, park_type
    return None, None


def _explicit_years(sections: list[Section], role: str) -> list[int]:
    return [s.year_hint for s in sections if s.role == role and isinstance(s.year_hint, int)]


def infer_metadata(clean: CleanText, sections: list[Section], park_types: str = "park_types.csv") -> dict:
    """Infer the report metadata fields from headings and the opening paragraph."""
    park, park_type = infer_park(clean, sections, park_types)
    top_titles = [s.title for s in sections if s.level in (1, 2)]
    review_titles = [s.title for s in sections if s.role == "review" and s.level in (1, 2, 3)]
    opening_text = opening(clean, sections)

    if any(TERM_HEADING.search(t) for t in top_titles) or TERM_OPENING.search(opening_text):
        kind = "term"
    elif any(HALF_YEAR_HEADING.search(t) for t in review_titles):
        kind = "half-year"
    else:
        kind = "annual"

    review_years = _explicit_years(sections, "review")
    plan_years = _explicit_years(sections, "plan")
    if review_years:
        report_year = max(review_years)
    elif plan_years:
        report_year = max(plan_years) - 1
    else:
        found = EXPLICIT_YEAR.search(opening_text)
        report_year = int(found.group(1)) if found else None

    relative_plans = [s.year_hint[1] for s in sections if s.role == "plan" and isinstance(s.year_hint, tuple)]
    if plan_years:
        plan_year = max(plan_years)
    elif relative_plans and report_year is not None:
        plan_year = report_year + max(relative_plans)
    elif any(s.role == "plan" for s in sections) and report_year is not None and kind == "annual":
        plan_year = report_year + 1
    else:
        plan_year = None

    period = None
    for word, label in PERIOD_WORDS:
        if any(word in t for t in review_titles):
            period = label
            break
    if period is None and kind != "term":
        if "前三季度" in opening_text:
            period = "1-9月"
        else:
            found = MONTH_RANGE.search(opening_text)
            if found:
                period = f"{found.group(1)}-{found.group(2)}月"
    return {"park": park, "park_type": park_type, "report_year": report_year, "plan_year": plan_year,
            "period": period, "kind": kind}
