"""Cleaning: normalise width and spacing, strip web boilerplate, mark masked figures — keeping offsets.

The cleaned text is what analyses read; every cleaned character knows the span of the original text it
came from, so any finding can be shown in the report exactly as received.

>>> c = clean_text("1-9月，完成投资*亿元，同比增长X%。")
>>> c.text
'1-9月，完成投资Ⓧ亿元，同比增长Ⓧ%。'
>>> c.original[slice(*c.to_original(9, 12))]
'*亿元'
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import ConfigError
from .patterns import sieve
from .resources import read_table, rule_file_cache

#: The one mark that stands for a masked figure or name in the cleaned text (the original keeps ``*``/``X``).
MASK = "Ⓧ"

# ---------------------------------------------------------------------------------------------------------
# Width and spacing. Canonical forms: digits and Latin letters half-width; Chinese clause punctuation
# full-width (，；：？！（）), as in official documents; spaces of every kind become one ASCII space.
# ---------------------------------------------------------------------------------------------------------
_WIDTH_TABLE: dict[int, str] = {}
for _code in range(0xFF01, 0xFF5F):  # full-width ASCII block → half-width …
    _WIDTH_TABLE[_code] = chr(_code - 0xFEE0)
for _keep in "，；：？！（）":  # … except the clause punctuation that Chinese text writes full-width
    _WIDTH_TABLE.pop(ord(_keep))
for _space in "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\f\v":
    _WIDTH_TABLE[ord(_space)] = " "
_WIDTH_TABLE[ord("\r")] = "\n"  # lone CR; CRLF is handled by deleting the CR first
_WIDTH_TABLE[ord("\u2028")] = "\n"
_WIDTH_TABLE[ord("\u2029")] = "\n"
_WIDTH_TABLE[ord("﹪")] = "%"

# Half-width clause punctuation between non-digits becomes full-width (1,000 and 10:30 stay as they are).
_HALF_PUNCT = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HALF_PUNCT_RE = re.compile(r"[,;:?!()]")
_DELETE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]|\r(?=\n)")

# ---------------------------------------------------------------------------------------------------------
# Masked figures. Web copies hide numbers (and sometimes names) as *, X, XX, x, ×, □: "*亿元", "X家",
# "*-*月", "20*年", "PPNX亿元", "20xx年". A masked run becomes one MASK; its kind is "figure" when a unit,
# %, a digit, 第 or a range shows it stands for a number, otherwise "name" ("*生态园", "X新区").
# ---------------------------------------------------------------------------------------------------------
_MASK_RUN = re.compile(r"[0-9.]*(?:[*×□■]|[Xx])[0-9.*×□■Xx]*")
_LATIN = re.compile(r"[A-Za-z]")
#: Words that follow a number: counters, units, month/year, approximations. Checked with startswith.
UNITS: tuple[str, ...] = tuple(
    "亿 万 千 百 元 美元 % 个 家 亩 人 名 位 项 次 件 宗 起 栋 座 台 套 条 年 月 日 天 号 批 余 多 平方 公里 "
    "公顷 米 吨 度 场 所 期 倍 届 强 户 趟 只 份 册 粒 尾 处 间 辆 股 支 类 轮 分 秒 时 周 季 成 层 张 本 篇 "
    "款 例 标 点 级 岁 克 斤 升 立方 千瓦 兆瓦 瓦 伏 班 组 块 片 幅 部 # 左右 以上 以下 以内 余 至 到 ~".split()
)
_RANGE_LINK = re.compile(r"[-~+至到]\s*[0-9*×□■XxN]")


@dataclass(frozen=True)
class Removal:
    """A piece of web boilerplate removed by cleaning (offsets into the original text)."""

    rule: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Mask:
    """A masked figure or name (offsets into the original text)."""

    start: int
    end: int
    text: str
    kind: str  # "figure" | "name"


@dataclass(frozen=True)
class CleanText:
    """The original text, its cleaned form, and the way back from one to the other."""

    original: str
    text: str
    starts: array = field(repr=False)  # original start offset of each cleaned character
    ends: array = field(repr=False)  # original end offset of each cleaned character
    removals: tuple[Removal, ...] = ()
    masks: tuple[Mask, ...] = ()
    script: str = "simplified"  # "simplified" | "traditional" | "mixed" (the original's; ``text`` is simplified)
    notes: tuple[str, ...] = ()  # warnings about the cleaning itself (a step that removed too much …)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the cleaned text to the span of the original text it came from."""
        if end <= start:
            position = self.starts[start] if start < len(self.starts) else len(self.original)
            return position, position
        return self.starts[start], self.ends[end - 1]


def _apply_edits(text: str, starts: array, ends: array, edits: list[tuple[int, int, str]]):
    """Replace spans ``(a, b, replacement)`` (sorted, non-overlapping) and carry the offset maps along."""
    if not edits:
        return text, starts, ends
    pieces: list[str] = []
    new_starts = array("i")
    new_ends = array("i")
    cursor = 0
    for a, b, replacement in edits:
        pieces.append(text[cursor:a])
        new_starts.extend(starts[cursor:a])
        new_ends.extend(ends[cursor:a])
        if replacement:
            pieces.append(replacement)
            new_starts.extend([starts[a]] * len(replacement))
            new_ends.extend([ends[b - 1]] * len(replacement))
        cursor = b
    pieces.append(text[cursor:])
    new_starts.extend(starts[cursor:])
    new_ends.extend(ends[cursor:])
    return "".join(pieces), new_starts, new_ends


def normalize(text: str) -> str:
    """Width/spacing normalisation of a short string, as cleaning does it (for comparing titles, cues …)."""
    text = _DELETE_RE.sub("", text).translate(_WIDTH_TABLE)
    return _HALF_PUNCT_RE.sub(lambda m: _half_punct(m, text), text)


def _half_punct(match: re.Match, text: str) -> str:
    char = match.group()
    i = match.start()
    if char in ",:" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
        return char
    return _HALF_PUNCT[char]


@rule_file_cache(maxsize=8)
def boilerplate_rules(source: str = "boilerplate.csv") -> tuple[tuple[str, str, re.Pattern], ...]:
    """The boilerplate rules (name, scope, compiled pattern) from the package table or a user's file."""
    table = read_table(source, required=("rule", "scope", "pattern"))
    rules = []
    for row in table.itertuples(index=False):
        if row.scope not in {"span", "tail", "line"}:
            raise ConfigError(f"{source}: rule {row.rule!r} has unknown scope {row.scope!r} (span, tail, line)")
        try:
            rules.append((row.rule, row.scope, re.compile(row.pattern, re.IGNORECASE | re.MULTILINE)))
        except re.error as err:
            raise ConfigError(f"{source}: rule {row.rule!r} has a bad pattern: {err}") from None
    return tuple(rules)


def _boilerplate_edits(text: str, rules) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for name, scope, pattern in rules:
        if not sieve(pattern)(text):  # none of the texts every match holds (小编, 版权所 …): most reports
            continue
        for match in pattern.finditer(text):
            a, b = match.span()
            if a == b:
                continue
            line_start = text.rfind("\n", 0, a) + 1
            line_end = text.find("\n", b)
            line_end = len(text) if line_end < 0 else line_end
            if scope == "tail":
                b = _site_text_end(text, b, line_end)
            elif scope == "line" and line_end - line_start <= LONG_LINE:
                a, b = line_start, line_end
            elif scope == "line":  # a whole report on one line: only the site text goes
                b = _site_text_end(text, b, line_end)
            spans.append((a, b, name))
    return _merge_spans(spans)


#: A line longer than this is report text (a report copied without line breaks), never removed whole.
LONG_LINE = 200
#: Punctuation of report sentences: site chrome (keyword lists, copyright lines) holds none of it.
_SENTENCE_PUNCT = re.compile(r"[，。；！？、]")


def _site_text_end(text: str, start: int, line_end: int) -> int:
    """Where a ``tail`` boilerplate run ends: the end of its line, unless report text follows on that line.

    On a report copied without line breaks ``相关热词搜索：开发区 工作总结 今年以来，园区…`` goes on into
    the report; the site text is the space-separated run before the word that opens the first sentence.
    """
    punct = _SENTENCE_PUNCT.search(text, start, line_end)
    if punct is None or line_end - start <= LONG_LINE:  # a short rest of a line is site text to its end
        return line_end
    gap = max(text.rfind(" ", start, punct.start()), text.rfind("\u3000", start, punct.start()))
    return gap if gap > start else start


def _merge_spans(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Sort spans and merge the overlapping ones (the first one's label is kept)."""
    merged: list[list] = []
    for a, b, label in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b, label])
    return [(a, b, label) for a, b, label in merged]


#: The last characters of a finished sentence or heading. A body line (one that holds a sentence end, or a
#: long run of clauses) that stops on anything else — or any line that stops on ，、“《（ — was cut
#: mid-sentence (a page break in a web copy); a short title line without a full stop was not.
TERMINAL = set("。！？；：…”’」』）)】》.!?;:")
_NUMBERED_LINE = re.compile(r"[ ]*(?:[一二三四五六七八九十]{1,3}[、.]|（[一二三四五六七八九十]{1,3}）|\d{1,2}[、.](?!\d))")
_PAGE_MARKER = re.compile(r"[ ]*\d{1,3}[ ]*[、.](?![\d%])[ ]*")


def ends_mid_sentence(line: str) -> bool:
    """True when a line stops in the middle of a sentence."""
    stripped = line.rstrip()
    if not stripped:
        return False
    if stripped[-1] in "，、“《（":
        return True
    if stripped[-1] in TERMINAL:
        return False
    # body text: it already ended a sentence, or it is a long run of clauses (a title line is short)
    if any(ch in stripped for ch in "。！？；"):
        return True
    return "，" in stripped and len(stripped) > 40 and not _NUMBERED_LINE.match(stripped)


def _page_marker_edits(text: str) -> list[tuple[int, int, str]]:
    """``…答复解决\n2、问题X项`` → ``…答复解决问题X项``: a numbered line that continues the sentence before it."""
    edits = []
    previous = None
    position = 0
    for line in text.split("\n"):
        if previous is not None and ends_mid_sentence(previous):
            marker = _PAGE_MARKER.match(line)
            if marker:
                edits.append((position - 1, position + marker.end(), "page_marker"))
        previous = line
        position += len(line) + 1
    # a web copy cut into numbered chunks (1、… ⏎2、… ⏎3、…): when 2、 continues a cut sentence, the 1、 that opens
    # the file is the first chunk's number, not a heading
    first = re.match(r"[ ]*1[ ]*[、.][ ]*", text)
    if edits and first:
        second = text[edits[0][0] + 1 : edits[0][1]].strip(" 、.")
        if second == "2":
            edits.insert(0, (0, first.end(), "page_marker"))
    return edits


def _is_figure(text: str, start: int, end: int) -> bool:
    run = text[start:end]
    before = text[start - 1] if start > 0 else ""
    if any(ch.isdigit() for ch in run) or before == "第" or (before and _LATIN.match(before)):
        return True
    rest = text[end : end + 4]
    if rest.startswith(UNITS) or (rest and _LATIN.match(rest[0])) or _RANGE_LINK.match(rest):
        return True
    return False


#: A heading's number before a masked name (4.*动漫产业园), and mask letters before digits (xx120人).
_HEADING_NUMBER = re.compile(r"\d{1,2}\.(?=[*×□■Xx])")
_MASK_LETTERS = re.compile(r"[Xx]+(?=\d)")
_MASK_SIGNS = frozenset("*×□■")


def _mask_edits(text: str) -> list[tuple[int, int, str, str]]:
    edits = []
    for match in _MASK_RUN.finditer(text):
        a, b = match.span()
        while b > a and text[b - 1] == "." and not (b < len(text) and text[b].isdigit()):
            b -= 1
        while a < b and text[a] == ".":
            a += 1
        heading_number = _HEADING_NUMBER.match(text, a, b)  # (within a:b, as if the text ended at b)
        if heading_number and (a == 0 or text[a - 1] in "\n。；"):  # "4.*动漫产业园…" is heading 4, masked name
            a = heading_number.end()
        letters = _MASK_LETTERS.match(text, a, b)
        if letters and _MASK_SIGNS.isdisjoint(text[a:b]):  # xx120人: only the letters are masked, 120 stays
            b = letters.end()
        run = text[a:b]
        signs = not _MASK_SIGNS.isdisjoint(run)
        if not signs and "X" not in run and "x" not in run:
            continue
        if not signs:  # only X/x: guard against Latin words and 3x4
            before = text[a - 1] if a > 0 else ""
            after = text[b] if b < len(text) else ""
            if after and _LATIN.match(after):
                continue
            if before and _LATIN.match(before) and not text[b : b + 4].startswith(UNITS):
                continue
            if re.fullmatch(r"\d+[xX]\d+", run):
                continue
        edits.append((a, b, MASK, "figure" if _is_figure(text, a, b) else "name"))
    return edits


def _line_trim_edits(text: str) -> list[tuple[int, int, str]]:
    """Strip spaces at line ends and drop blank lines, so every line starts with its first real character."""
    pattern = r"[ ]+(?=\n|$)|(?:^|(?<=\n))[ ]+|\n(?=[ ]*(?:\n|$))"
    return _merge_spans([(m.start(), m.end(), "") for m in re.finditer(pattern, text) if m.end() > m.start()])


# ---------------------------------------------------------------------------------------------------------
# Script. Web copies come in traditional characters too, wholly or in part (開發區, sometimes with pinyin glosses
# 開發(fā)區 that a boilerplate rule removes). They are converted to simplified with OpenCC so that every lexicon
# and cue matches; conversion is by runs of Chinese characters (phrase-aware) and keeps the offset map.
# ---------------------------------------------------------------------------------------------------------
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
#: Share of script-specific characters that are traditional from which a text counts as traditional;
#: at least MIN_TRADITIONAL of them make it mixed (a stray 乾 or 後 in a name does not).
TRADITIONAL_SHARE = 0.9
MIN_TRADITIONAL = 3


@lru_cache(maxsize=2)
def _converter(config: str):
    import opencc  # imported on first use: a simplified corpus never needs it

    return opencc.OpenCC(config)


def detect_script(text: str) -> str:
    """``simplified``, ``traditional`` or ``mixed``: which script-specific characters the text uses.

    >>> detect_script("開發區工業總產值"), detect_script("开发区工业总产值"), detect_script("開發区工業总产值")
    ('traditional', 'simplified', 'mixed')
    """
    han = "".join(_HAN_RUN.findall(text))
    if not han:
        return "simplified"
    to_simplified = _converter("t2s").convert(han)
    if to_simplified == han:  # nothing to convert: the common case, decided without the second conversion
        return "simplified"
    to_traditional = _converter("s2t").convert(han)
    traditional = sum(a != b for a, b in zip(han, to_simplified)) if len(to_simplified) == len(han) else 0
    simplified = sum(a != b for a, b in zip(han, to_traditional)) if len(to_traditional) == len(han) else 0
    if traditional < MIN_TRADITIONAL:
        return "simplified"
    return "traditional" if traditional >= TRADITIONAL_SHARE * (traditional + simplified) else "mixed"


def to_simplified(text: str) -> str:
    """``text`` with traditional characters converted to simplified (OpenCC ``t2s``), whatever its script."""
    return _converter("t2s").convert(text)


def _to_simplified_edits(text: str) -> list[tuple[int, int, str]]:
    """Edits that turn traditional characters into simplified ones: one per changed character where a run
    converts character for character, else one for the whole run (its characters map to the run)."""
    convert = _converter("t2s").convert
    edits = []
    for match in _HAN_RUN.finditer(text):
        run = match.group()
        converted = convert(run)
        if converted == run:
            continue
        if len(converted) == len(run):
            edits.extend((match.start() + i, match.start() + i + 1, new) for i, (old, new) in
                         enumerate(zip(run, converted)) if old != new)
        else:
            edits.append((match.start(), match.end(), converted))
    return edits


#: A cleaning step that removes more than this share of a report's Chinese characters is reported as a warning
#: (Latin site text and pinyin glosses do not count: they are not report text).
REMOVAL_WARN_SHARE = 0.25


def clean_text(original: str, boilerplate: str = "boilerplate.csv") -> CleanText:
    """Clean one report's text: normalise, remove boilerplate (reported), mark masks (counted)."""
    n = len(original)
    starts = array("i", range(n))
    ends = array("i", range(1, n + 1))
    text = original

    deletions = [(m.start(), m.end(), "") for m in _DELETE_RE.finditer(text)]
    text, starts, ends = _apply_edits(text, starts, ends, deletions)
    text = text.translate(_WIDTH_TABLE)
    text = _HALF_PUNCT_RE.sub(lambda m: _half_punct(m, text), text)
    script = detect_script(text)
    if script != "simplified":
        text, starts, ends = _apply_edits(text, starts, ends, _to_simplified_edits(text))

    notes = []
    removals = []
    spans = _boilerplate_edits(text, boilerplate_rules(boilerplate))
    chinese = len("".join(_HAN_RUN.findall(text)))
    removed = sum(len("".join(_HAN_RUN.findall(text[a:b]))) for a, b, _ in spans)
    if chinese and removed > REMOVAL_WARN_SHARE * chinese:
        notes.append(f"boilerplate removal took {removed / chinese:.0%} of the Chinese text "
                     f"(more than {REMOVAL_WARN_SHARE:.0%}); check the rules in {boilerplate}")
    for a, b, name in spans:
        oa, ob = starts[a], ends[b - 1]
        removals.append(Removal(name, oa, ob, original[oa:ob]))
    text, starts, ends = _apply_edits(text, starts, ends, [(a, b, "") for a, b, _ in spans])
    markers = _page_marker_edits(text)
    for a, b, name in markers:
        oa, ob = starts[a], ends[b - 1]
        removals.append(Removal(name, oa, ob, original[oa:ob]))
    text, starts, ends = _apply_edits(text, starts, ends, [(a, b, "") for a, b, _ in markers])

    masks = []
    mask_edits = _mask_edits(text)
    for a, b, _, kind in mask_edits:
        oa, ob = starts[a], ends[b - 1]
        masks.append(Mask(oa, ob, original[oa:ob], kind))
    text, starts, ends = _apply_edits(text, starts, ends, [(a, b, r) for a, b, r, _ in mask_edits])

    text, starts, ends = _apply_edits(text, starts, ends, _line_trim_edits(text))
    if text.startswith("\n"):
        text, starts, ends = _apply_edits(text, starts, ends, [(0, 1, "")])
    removals.sort(key=lambda r: r.start)
    return CleanText(original, text, starts, ends, tuple(removals), tuple(masks), script, tuple(notes))
