"""Indicators and figures: which measure a clause names, the figure and unit it gives, and any growth rate.

Used by :mod:`toolkit.targets` for targets (plan language) and for reported results (review sentences), so
both can be compared indicator by indicator. Figures may be masked (``Ⓧ`` in the cleaned text); values are
reported as written in the original (``*``, ``X``) with a ``masked`` flag.

>>> [f.unit for f in find_figures("完成投资Ⓧ亿元，新增企业12家，增速5.6%")]
['亿元', '家', '%']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cleaning import MASK, normalize
from .resources import read_table, rule_file_cache

#: Units a target or result figure is given in (longest first). Time units (年, 月) are not among them:
#: 2023年 is a horizon, not a quantity.
VALUE_UNITS = ("亿美元", "万美元", "美元", "亿元", "万元", "千元", "元", "个百分点", "百分点", "%", "‰", "家次", "人次",
               "家", "个", "亩", "公顷", "平方公里", "万平方米", "平方米", "万人", "人", "名", "项", "宗", "万吨",
               "吨", "亿度", "万度", "度", "倍", "次", "件", "栋", "台", "套", "条", "场", "批", "座", "公里", "米",
               "GWh", "KVA", "KV", "kV", "MW", "BP", "趟", "起", "所", "余家", "余人", "余项", "余个")
NUMBER = rf"(?:\d+(?:\.\d+)?|{MASK})"
FIGURE = re.compile(rf"(?P<value>[-+]?\s*{NUMBER}(?:\s*[-~至到]\s*{NUMBER})?)\s*(?:余|多)?\s*"
                    rf"(?P<unit>{'|'.join(re.escape(u) for u in sorted(VALUE_UNITS, key=len, reverse=True))})")
GROWTH = re.compile(rf"(?P<basis>同比|环比|比上年|较上年|较去年同期|较去年)?\s*(?:分别)?"
                    rf"(?P<verb>增长|增加|提高|上升|下降|减少|降低|回落|增幅|增速)\s*(?:为|达到?|是)?\s*"
                    rf"(?P<value>[-+]?\s*{NUMBER})\s*(?P<unit>%|个百分点|倍)")
#: What every figure holds: a digit or a masked figure (a sentence without one is not searched for figures).
_ANY_NUMBER = re.compile(rf"[\d{MASK}]")
DOUBLING = re.compile(r"翻(?:一)?番")
GROWTH_WORDS = re.compile(r"增速|增幅|增长|比重|占比")


#: Words that link a measure to its figure or hedge it (营业收入达到Ⓧ亿元, 执行率为Ⓧ%, 去化率已达Ⓧ%): stripped
#: from the end of the text before a figure before the measure's name is read.
LINK_WORDS = re.compile(r"(?:分别|同比|累计|共计|合计|总计|共|(?<![签节合])约|近|超过|超|逾|可达|可|达到|达|为|是|完成|实现|"
                        r"突破|增加到|增至|提高到|提升到|提升至|降至|升至|增加|减少|控制在|保持在|维持在|位列|位居|排名|排在|居|列|有|已经|已|"
                        r"全年|\s|：|:)+$")
#: Where a measure's name begins, reading back from its figure: after a verb of doing, a frame of time or
#: place, a list mark or a bracket (园区实现|规上工业总产值, 1-9月，完成|投资).
MEASURE_START = re.compile(rf"(?:实现|完成|达到|新增|引进|全年|当年|今年|去年|本年|上半年|下半年|前三季度|一季度|其中|"
                           rf"园区|全区|全县|全市|累计|和|与|及|、|[（(“”\"《》)）]|\s|"
                           rf"(?:{NUMBER}\s*[-~至]\s*)?{NUMBER}\s*(?:月份?|年度?(?:底|末|初)?|日))")
#: A name that is where or whose a figure is, not what it measures: a place or part of the park (Ⓧ新区Ⓧ宗,
#: 尚桥工业园Ⓧ个, 一期Ⓧ家), a list of names (赛派科技、…等Ⓧ家) or a relative clause (实现增长的有Ⓧ家).
NOT_A_MEASURE_END = re.compile(rf"(?:新区|园区|工业园|产业园|开发区|高新区|园|区|城|镇|街道|乡|县|市|期|等|的|在|对|向|从|于)$|^{MASK}")
#: What a count after a list of names or a place counts (…等Ⓧ家企业, 一期Ⓧ家企业).
COUNTED_NOUNS = re.compile(r"[\u4e00-\u9fff]{0,8}?(企业|项目|工程|平台|载体|单位|人才|人|宗|个)")
#: A name that is only a word of growth or share is no measure (全年增速Ⓧ%以上: the growth of what went before).
NOT_A_MEASURE = re.compile(r"^(?:增速|增幅|增长|比重|占比|同比|环比|其中|合计|总计|总量|总数|数量|规模)+$")
#: A share: 占全区比重Ⓧ%, 研发投入占销售收入Ⓧ%, 占比Ⓧ%.
SHARE_BEFORE = re.compile(r"(?:占(?P<base>[^，。；]{0,12}?)(?:的)?(?:比重|比例)?|比重|占比)\s*(?:为|达到?|超过|是)?\s*$")
#: Units that count things (家, 个, 项 …): a figure in one of them is a count.
COUNT_UNITS = ("家次", "人次", "家", "个", "人", "名", "项", "宗", "件", "栋", "台", "套", "条", "场", "批", "座", "趟",
               "起", "所", "余家", "余人", "余项", "余个", "万人")
#: Longest measure name kept, in characters (read back from the figure).
MEASURE_LENGTH = 14


def measure_before(text: str, at: int, lower: int = 0) -> tuple[int, int, str] | None:
    """The name of the measure a figure at ``at`` completes, read back from it in ``text`` but not before
    ``lower`` (open vocabulary): ``应交税金Ⓧ亿元`` → 应交税金; ``园区实现数字经济核心产业增加值Ⓧ亿元`` →
    数字经济核心产业增加值. Returns (start, end, name) or None when no name stands there."""
    head = LINK_WORDS.sub("", text[:at])
    cut = lower
    for match in MEASURE_START.finditer(head, lower):
        cut = match.end()
    start = max(cut, len(head) - MEASURE_LENGTH)
    name = head[start:]
    if len(name) < 2 or not any("\u4e00" <= ch <= "\u9fff" for ch in name) or NOT_A_MEASURE.match(name) \
            or NOT_A_MEASURE_END.search(name):
        return None
    return start, len(head), name


#: Units and their base: a figure in 亿元 is value × 1e8 元. Units not listed are their own base (factor 1).
UNIT_BASE = {"亿元": (1e8, "元"), "万元": (1e4, "元"), "千元": (1e3, "元"), "元": (1, "元"),
             "亿美元": (1e8, "美元"), "万美元": (1e4, "美元"), "美元": (1, "美元"),
             "万平方米": (1e4, "平方米"), "平方公里": (1e6, "平方米"), "公顷": (1e4, "平方米"), "平方米": (1, "平方米"),
             "亩": (666.6667, "平方米"), "万吨": (1e4, "吨"), "亿度": (1e8, "度"), "万度": (1e4, "度"), "万人": (1e4, "人"),
             "余家": (1, "家"), "余人": (1, "人"), "余项": (1, "项"), "余个": (1, "个")}
_NUMBERS = re.compile(r"\d+(?:\.\d+)?")


def figure_numbers(value: str, unit: str) -> dict:
    """A figure as numbers: ``value`` (the first number as written, NaN where masked), ``value_high`` (the
    upper end of a range, 4.5-5 → 5), ``unit_factor``, ``value_base`` (value × factor) and ``base_unit``."""
    numbers = [float(n) for n in _NUMBERS.findall(value.replace(",", ""))] if MASK not in value else []
    factor, base = UNIT_BASE.get(unit, (1, unit))
    first = numbers[0] if numbers else float("nan")
    if value.strip().startswith("-") and numbers:
        first = -first
    return {"value": first, "value_high": numbers[1] if len(numbers) > 1 else float("nan"), "unit_factor": float(factor),
            "value_base": first * factor, "base_unit": base}


@dataclass(frozen=True)
class Figure:
    start: int  # offsets in the text searched
    end: int
    value: str
    unit: str
    masked: bool


@rule_file_cache(maxsize=8)
def indicator_rules(source: str = "indicators.csv") -> tuple[re.Pattern, dict[str, str]]:
    """(pattern over all aliases, alias → canonical indicator) from the package table or a user's file."""
    table = read_table(source, required=("indicator", "aliases"))
    mapping: dict[str, str] = {}
    for row in table.itertuples(index=False):
        for alias in [row.indicator, *row.aliases.split("|")]:
            if alias.strip():
                mapping[normalize(alias.strip())] = row.indicator
    alternation = "|".join(re.escape(a) for a in sorted(mapping, key=len, reverse=True))
    return re.compile(alternation), mapping


def find_indicators(text: str, source: str = "indicators.csv") -> list[tuple[int, int, str, str]]:
    """Indicator mentions in ``text``: (start, end, canonical indicator, as written)."""
    pattern, mapping = indicator_rules(source)
    return [(m.start(), m.end(), mapping[m.group()], m.group()) for m in pattern.finditer(text)]


def find_figures(text: str) -> list[Figure]:
    """Figures with a unit (``Ⓧ亿元``, ``12家``, ``5.6%``, ``*-*个``); years and months are not figures."""
    figures = []
    if not _ANY_NUMBER.search(text):  # no digit and no mask: no figure (most sentences), found in one scan
        return figures
    for match in FIGURE.finditer(text):
        value = match.group("value").replace(" ", "")
        start = match.start() + len(match.group("value")) - len(match.group("value").lstrip())
        figures.append(Figure(start, match.end(), value, match.group("unit"), MASK in value))
    return figures


def find_growth(text: str):
    """The first growth rate in ``text`` as a dict (basis, direction, value, unit, masked, start, end), or None."""
    match = GROWTH.search(text)
    if not match:
        return None
    value = match.group("value").replace(" ", "")
    falling = match.group("verb") in ("下降", "减少", "降低", "回落")
    negative = value.startswith("-")
    direction = "down" if falling != negative else "up"
    return {"growth_basis": match.group("basis") or "", "growth_direction": direction, "growth_value": value,
            "growth_unit": match.group("unit"), "growth_masked": MASK in value, "value_start": match.start("value"),
            "value_end": match.end("value")}
