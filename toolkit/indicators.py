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
from functools import lru_cache

from .cleaning import MASK, normalize
from .resources import read_table

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
                    rf"(?P<verb>增长|增加|提高|上升|下降|减少|降低|回落)\s*(?P<value>[-+]?\s*{NUMBER})\s*"
                    rf"(?P<unit>%|个百分点|倍)")
DOUBLING = re.compile(r"翻(?:一)?番")
GROWTH_WORDS = re.compile(r"增速|增幅|增长|比重|占比")


@dataclass(frozen=True)
class Figure:
    start: int  # offsets in the text searched
    end: int
    value: str
    unit: str
    masked: bool


@lru_cache(maxsize=8)
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
    for match in FIGURE.finditer(text):
        value = match.group("value").replace(" ", "")
        figures.append(Figure(match.start(), match.end(), value, match.group("unit"), MASK in value))
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
