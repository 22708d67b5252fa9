"""Report metadata inferred from the text: park, park type, year reviewed, plan year, period, kind.

Headings are trusted over everything else; the opening paragraph comes next; the title lines (a web title,
a speech title, a date line) count last. A manifest row, where there is one, overrides all of it.
"""

from __future__ import annotations

import re
from collections import Counter

from .cleaning import MASK, CleanText
from .resources import read_table, rule_file_cache
from .structure import EXPLICIT_YEAR, Section, document_title, split_sentences, year_number

#: Period words in review headings and titles, most specific first (the period is written as the text names it).
PERIOD_WORDS: tuple[tuple[str, str], ...] = (("前三季度", "前三季度"), ("一季度", "一季度"), ("上半年", "上半年"))
MONTH_RANGE = re.compile(r"(?<![\d" + MASK + r"])(1[0-2]|[1-9])\s*月?\s*[-—~～至到]+\s*(1[0-2]|[1-9])\s*月")
TERM_HEADING = re.compile(r"本届|下届|上届|任期|届内|五年|十[一二三四五六七八九]五(?:时期|期间)?(?:工作)?(?:回顾|总结)")
TERM_OPENING = re.compile(r"^\s*(?:五年来|过去五年|近五年|本届以来)")
#: A title naming a span of several years: “十四五”以来, 十八大以来, 五年来, 本届.
TERM_TITLE = re.compile(r"十[一二三四五六七八九][五大]”?以来|[三五]年(?:来|以来)|本届|任期")
HALF_YEAR_TITLE = re.compile(r"上半年|半年(?:度)?工作总结")
HALF_YEAR_PERIODS = ("上半年", "1-6月")
NAME_CHARS = re.compile(r"[\u4e00-\u9fff" + MASK + r"A-Za-z0-9]{0,8}$")
NAME_LEADING_WORDS = re.compile(r"^(?:(?:\d{2,4}|" + MASK + r")年度?|我|本|该|全|在|对|由|为|以|将|推动|面对)+")
#: Words that end the run before a park's name: 我代表高新区…, 把XX县区产业集聚区…, 回顾总结开发区… (the name follows).
NAME_BREAK = re.compile(r"代表|把|将|对|向|与|和|及|了|的|回顾|总结|创建|打造|建设|推动|面对|围绕|聚焦|关于|作为|是|在")
PINYIN_GLOSS = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}[)）]")

# ---------------------------------------------------------------------------------------------------------
# The span the reviewed figures cover. The opening and the review are read sentence by sentence (headings
# skipped); the first span named decides. A sentence with a figure but no span, or a masked span (*-*月), ends
# the search: the period is then what a review heading or the title names, else unknown.
# ---------------------------------------------------------------------------------------------------------
_YEAR = r"(?:(?:19|20)\d{2}|" + MASK + r")\s*年"
SPAN_RULES: tuple[tuple[str, re.Pattern], ...] = (
    ("masked", re.compile(MASK + r"\s*[-—~～至到]+\s*" + MASK + r"\s*月")),  # *-*月: span masked
    ("months", MONTH_RANGE),  # 1-9月 / 1月——12月
    ("until", re.compile(r"(?:截至|截止)(?:到)?\s*(?:" + _YEAR + r")?\s*(1[0-2]|[1-9])\s*月(?:份|底|末)?")),  # 截至10月底
    ("word", re.compile(r"前三季度|一季度|上半年")),
    # 全年实现… / 完成了全年… / 一年来 / 过去的一年 / 到12月底 / 2014年，园区实现… / 2013年主要工作
    ("year", re.compile(r"全年(?:共|累计)?(?:实现|完成)|完成(?:了)?全年|一年来|过去的?一年|回顾全年|到\s*12\s*月底|"
                        + _YEAR + r"\s*[，]?[^，。；、\d将要争拟]{0,10}?(?:实现|完成)[^，。；]{0,12}?\d|"
                        + _YEAR + r"度?的?(?:主要|各项)?(?:经济)?工作(?!思路|计划|打算|安排|要点|重点|部署|任务)|"
                        # 2023年，经开区在…领导下，实现地区生产总值120亿元: the year opens a sentence of results
                        r"^\s*" + _YEAR + r"度?，(?![^。；]*?(?:将|力争|争取|计划|确保))[^。；]*?(?:实现|完成)[^，。；]{0,12}?[\d"
                        + MASK + r"]")),
)
#: A figure of the review: a number (or mask) with a unit that is not a date.
REVIEW_FIGURE = re.compile(r"[\d" + MASK + r"](?:\s*)(?:亿|万|元|%|个|家|亩|人|项|户|平方|公里|吨|宗|栋|座|次|件)")


def _span_label(kind: str, match: re.Match) -> str | None:
    if kind == "masked":
        return None
    if kind == "months":
        first, last = int(match.group(1)), int(match.group(2))
        return "全年" if (first, last) == (1, 12) else f"{first}-{last}月"
    if kind == "until":
        last = int(match.group(1))
        return "全年" if last == 12 else f"1-{last}月"
    if kind == "word":
        return match.group()
    return "全年"


def reviewed_span(text: str, sentences) -> tuple[str | None, bool]:
    """(period, decided): the first span named in ``sentences`` (cleaned-text ``Sentence`` objects).

    ``decided`` is False when no span was found before the first figure without one (or a masked span).
    """
    for sentence in sentences:
        found = []
        for kind, pattern in SPAN_RULES:
            match = pattern.search(sentence.text)
            if match:
                found.append((match.start(), kind, match))
        if found:  # a span the sentence names exactly (1-9月, 上半年, *-*月) wins over a whole-year phrasing
            exact = [f for f in found if f[1] != "year"] or found
            _, kind, match = min(exact, key=lambda f: f[0])
            label = _span_label(kind, match)
            return label, label is not None
        if REVIEW_FIGURE.search(sentence.text):
            return None, False
    return None, False


METADATA_FIELDS = ("park", "park_type", "report_year", "plan_year", "period", "kind")


@rule_file_cache(maxsize=8)
def park_type_rules(source: str = "park_types.csv") -> tuple[re.Pattern, dict[str, str]]:
    table = read_table(source, required=("term", "park_type"))
    mapping = dict(zip(table["term"], table["park_type"]))
    alternation = "|".join(re.escape(t) for t in sorted(mapping, key=len, reverse=True))
    return re.compile(alternation), mapping


def opening_span(clean: CleanText, sections: list[Section]) -> tuple[int, int]:
    """Cleaned-text offsets of the opening: after the title lines, before the first heading (or, with no
    preamble, the first paragraph after the title)."""
    title_end = document_title(clean.text).end
    first_heading = sections[1].start if len(sections) > 1 else len(clean.text)
    if clean.text[title_end:first_heading].strip():
        return title_end, first_heading
    heading_starts = {s.start for s in sections if s.level}
    position = title_end
    for line in clean.text[title_end:].split("\n"):  # the first paragraph that is not a heading line
        if line.strip() and position + len(line) - len(line.lstrip()) not in heading_starts:
            return position, position + len(line)
        position += len(line) + 1
    return title_end, title_end


def opening(clean: CleanText, sections: list[Section]) -> str:
    """The opening paragraph(s): the preamble without the title lines (see ``opening_span``)."""
    a, b = opening_span(clean, sections)
    return clean.text[a:b]


#: 在市委、市政府和高新区党工委的坚强领导下: a park named in the leadership clause is a superior, not the report's own.
LEADERSHIP = re.compile(r"在[^。；：]{0,50}?(?:的)?(?:坚强|正确|大力|亲切)?(?:领导|指导|支持|关心|关怀)下")


def _designation(pattern: re.Pattern, text: str, start: int = 0) -> re.Match | None:
    """The first park designation in ``text`` outside a leadership clause (在…领导下); of two written together
    (开发区工业园) the last names the park."""
    found = pattern.search(text, start)
    while found:
        clause = next((m for m in LEADERSHIP.finditer(text, start) if m.start() <= found.start() < m.end()), None)
        if clause is None:
            break
        found = pattern.search(text, clause.end())
    while found:
        following = pattern.match(text, found.end())
        if not following:
            break
        found = following
    return found


def infer_park(clean: CleanText, sections: list[Section], source: str = "park_types.csv"):
    """(park name as written, normalised park type) from the first self-designation in the opening, else the
    commonest in the body, else the report's own title line. The name never reaches back into the title.

    A body that calls itself only 开发区 takes the full designation its own title line gives (经济技术开发区…).
    """
    pattern, mapping = park_type_rules(source)
    title = document_title(clean.text)
    own_title = _designation(pattern, title.lines[-1]) if title.lines else None
    a, b = opening_span(clean, sections)
    first = _designation(pattern, clean.text[:b], a)
    if first:
        start = first.start()
        prefix = NAME_CHARS.search(clean.text[a:start]).group()
        breaks = list(NAME_BREAK.finditer(prefix))
        prefix = NAME_LEADING_WORDS.sub("", prefix[breaks[-1].end() :] if breaks else prefix)
        oa, ob = clean.to_original(start - len(prefix), first.end())
        park_type = mapping[first.group()]
        if park_type == "开发区" and own_title and own_title.group().endswith("开发区"):
            park_type = mapping[own_title.group()]
        return PINYIN_GLOSS.sub("", clean.original[oa:ob]), park_type
    counts = Counter(mapping[m.group()] for m in pattern.finditer(clean.text, title.end))
    if counts:
        return None, counts.most_common(1)[0][0]
    return None, (mapping[own_title.group()] if own_title else None)


def _explicit_years(sections: list[Section], role: str) -> list[int]:
    return [s.year_hint for s in sections if s.role == role and isinstance(s.year_hint, int)]


#: 2019年全区完成固投Ⓧ亿元 / 2022年1月——12月，园区累计完成…: the year a review's own figures are stated for.
FIGURE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年\s*(?:(?:1[0-2]|[1-9])\s*月?\s*[-—~至到]+\s*(?:1[0-2]|[1-9])\s*月份?)?"
                         r"\s*[，]?[^，。；、\d将要争拟]{0,10}?(?:累计)?(?:完成|实现)[^，。；]{0,12}?[\d" + MASK + r"]")
#: A date (2012年1月12日) is when a report was given, not the year it reviews.
FULL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
#: 2023年工作安排 / 研究部署2014年工作任务: a planned year named in the opening or the title.
PLAN_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年度?的?(?:工作)?(?:安排|计划|打算|思路|部署|要点|任务|目标)"
                       r"|部署\s*((?:19|20)\d{2})\s*年")
#: A briefing for a visit (建设情况汇报提纲) — kind ``other`` when its title names no reporting cycle.
BRIEFING = re.compile(r"汇报提纲|情况汇报|汇报材料")
CYCLE = re.compile(r"(?:19|20)\d{2}\s*年|年度|半年|季度|总结|计划|思路|打算|安排|要点|部署|任务")


#: 到2025年 / 力争2025年 / 2035年远景目标: a horizon the report looks to, not the year it reviews.
HORIZON_BEFORE = re.compile(r"(?:到|至|预计|力争|争取|计划|实现)\s*$")
HORIZON_AFTER = re.compile(r"^\s*(?:年底?前|年远景|年目标|年的目标|年将|年要)")


def _years(text: str) -> list[int]:
    """Years named in ``text`` that may be the year reviewed: not a delivery date, not a horizon."""
    dates = {m.start(1) for m in FULL_DATE.finditer(text)}
    return [year_number(m.group(1)) for m in EXPLICIT_YEAR.finditer(text) if m.start(1) not in dates
            and not HORIZON_BEFORE.search(text[max(0, m.start(1) - 3) : m.start(1)])
            and not HORIZON_AFTER.match(text[m.start(1) + 4 :])]


def infer_metadata(clean: CleanText, sections: list[Section], park_types: str = "park_types.csv") -> dict:
    """Infer the report metadata fields from headings, the opening and (last) the title.

    Returns park, park_type, report_year, plan_year, period, kind and ``year_source`` (``heading``: a review
    section — its own figures' year, else its title's; ``opening``; ``title``; None when nothing says).
    """
    park, park_type = infer_park(clean, sections, park_types)
    title = document_title(clean.text)
    title_text = " ".join(title.lines)
    top_titles = [s.title for s in sections if s.level in (1, 2)]
    review_titles = [s.title for s in sections if s.role == "review" and s.level in (1, 2, 3)]
    opening_text = opening(clean, sections)
    review = next((s for s in sections if s.level and s.role == "review"), None)

    # report year: a review section (its figures' year, else its title's), the opening, the title
    review_years = _explicit_years(sections, "review")
    plan_years = _explicit_years(sections, "plan")
    figure_year = FIGURE_YEAR.search(clean.text[review.start : review.end][:400]) if review else None
    report_year, year_source = None, None
    named_title_plan = None  # the year a plan document's title names
    if figure_year:
        report_year, year_source = int(figure_year.group(1)), "heading"
    elif review_years:
        report_year, year_source = max(review_years), "heading"
    elif plan_years:
        report_year, year_source = max(plan_years) - 1, "heading"
    elif _years(opening_text):
        report_year, year_source = _years(opening_text)[0], "opening"
    elif _years(title_text):
        year = _years(title_text)[0]
        plan_document = sections[0].role == "plan"  # structure marks a plan document's preamble as plan
        report_year, year_source = (year - 1 if plan_document else year), "title"
        if plan_document:
            named_title_plan = year

    relative_plans = [s.year_hint[1] for s in sections if s.role == "plan" and isinstance(s.year_hint, tuple)]
    named_plans = [int(m.group(1) or m.group(2)) for m in PLAN_YEAR.finditer(opening_text + " " + title_text)]
    named_plans = [y for y in named_plans if report_year is None or y == report_year + 1]

    # the span the reviewed figures cover
    heading_starts = {s.start for s in sections if s.level in (1, 2, 3)}
    scan_end = review.end if review else len(clean.text)
    sentences = [x for x in split_sentences(clean.text[title.end : scan_end])
                 if x.start + title.end not in heading_starts]
    period, decided = reviewed_span(clean.text, sentences)
    if not decided:
        for word, label in PERIOD_WORDS:
            if word in title_text or any(word in t for t in review_titles):
                period = label
                break
        else:
            months = MONTH_RANGE.search(title_text)
            if months:
                period = _span_label("months", months)

    is_term = (any(TERM_HEADING.search(t) for t in top_titles) or bool(TERM_OPENING.search(opening_text))
               or bool(TERM_TITLE.search(title_text))
               or (review is not None and bool(TERM_OPENING.search(clean.text[review.title_span[1]:review.end]
                                                                   .lstrip("：。 \n")))))
    if is_term:
        kind, period = "term", None
    elif BRIEFING.search(title_text) and not CYCLE.search(title_text):
        kind = "other"
    elif sections[0].role == "plan":  # a plan document (see structure.is_plan_document)
        kind, period = "plan", None
    elif period in HALF_YEAR_PERIODS or (not decided and HALF_YEAR_TITLE.search(title_text)):
        kind = "half-year"
    else:
        kind = "annual"

    if plan_years:
        plan_year = max(plan_years)
    elif relative_plans and report_year is not None:
        plan_year = report_year + max(relative_plans)
    elif named_plans:
        plan_year = named_plans[0]
    elif named_title_plan is not None:
        plan_year = named_title_plan
    elif any(s.role == "plan" for s in sections) and report_year is not None and kind == "annual":
        plan_year = report_year + 1
    else:
        plan_year = None
    return {"park": park, "park_type": park_type, "report_year": report_year, "plan_year": plan_year,
            "period": period, "kind": kind, "year_source": year_source}
