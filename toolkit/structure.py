"""Structure: headings (levels 1–4), the section tree with roles and years, and sentences.

Works on the cleaned text (see :mod:`toolkit.cleaning`); every span it returns is also mapped back to the
original text. The rules of the genre sit in the tables below and in ``data/section_roles.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache

from .cleaning import ends_mid_sentence
from .resources import read_table, rule_file_cache

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUMERAL = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# ---------------------------------------------------------------------------------------------------------
# Heading markers, outermost first. Each opens a line (or, in text copied without line breaks, follows a
# sentence end). Widths are already normalised, so （一） and (一), 1． and 1. look the same here.
# ---------------------------------------------------------------------------------------------------------
HEADING_PATTERNS: tuple[tuple[int, str, re.Pattern], ...] = (
    # 一、  一，  一.        (not 一、二季度 / 一、二类: a numeral right after the mark is an enumeration)
    (1, "cn", re.compile(rf"([{CN_NUMERAL}]{{1,3}})[、，.](?![{CN_NUMERAL}][、季类])\s*")),
    # （一）  （一）、
    (2, "paren_cn", re.compile(rf"（([{CN_NUMERAL}]{{1,3}})）[、.]?\s*")),
    # 1.  1、          (not 1-9月, 5.6%, 2022年, 1、2月: no digit or % right after the mark)
    (3, "arabic", re.compile(r"(\d{1,2})[、.](?![\d%．.])\s*")),
    # （1）  ①
    (4, "paren_arabic", re.compile(r"（(\d{1,2})）[、.]?\s*")),
    (4, "circled", re.compile(rf"([{CIRCLED}])\s*")),
)
LEVEL_TWO_INLINE = re.compile(rf"（[{CN_NUMERAL}]{{1,3}}）")
#: A line break lost in a web copy shows as a space between two Chinese characters: ``…工作思路 一、2020年工作总结
#: 今年以来，…``. A level-1/2 marker after such a gap may open a heading (in sequence), and a title stops there.
LOST_BREAK = re.compile(r"(?<=[\u4e00-\u9fff”）])[ ]+(?=[\u4e00-\u9fff“（])")
#: ``…工作总结及工作思路一、2022年工作总结作为…``: a title run glued to the first heading. A 一、/（一） right
#: after a title word, before any sentence end of the line, may open a heading (in sequence).
TITLE_RUN = re.compile(rf"(?:总结|计划|思路|安排|打算|要点|报告|汇报|提纲|部署)(?=[{CN_NUMERAL}]{{1,3}}、|（[{CN_NUMERAL}]{{1,3}}）)")
#: ``二、主要困难：一是融资难…``: a colon that opens the first item ends a level-1/2 title.
ITEM_OPENER = re.compile(rf"：\s*(?:[{CN_NUMERAL}]是|一方面|首先|第一|\d{{1,2}}[.、]|（\d{{1,2}}）|[{CIRCLED}])")
#: Marker kinds that sit at level 3 when the section uses no ``1.`` level (else level 4).
LEVEL_THREE_STANDINS = ("paren_arabic", "circled")
#: Level-4 items inside paragraphs: 一是 / 二是 / 三要 …, 一方面 / 另一方面. They count only in sequence.
ITEM_PATTERN = re.compile(rf"(?:(?<=^)|(?<=[。；！？：，]))\s*(另一方面|一方面|([{CN_NUMERAL}]{{1,2}})(?:是|要))[，：、]?")
SENTENCE_END = "。！？；"
_SENTENCE_END_RE = re.compile(f"[{SENTENCE_END}]")
TITLE_END = "。！？"

# Year words in a heading title, relative to the report year; TERM words make a section span several years.
RELATIVE_YEARS: dict[str, int] = {
    "明年": 1, "来年": 1, "下一年": 1, "次年": 1, "新的一年": 1,
    "今年": 0, "本年": 0, "当年": 0, "当前": 0, "目前": 0, "上半年": 0, "下半年": 0, "前三季度": 0, "全年": 0,
    "去年": -1, "上年": -1, "上一年": -1,
}  # fmt: skip
TERM_WORDS = re.compile(r"本届|下届|上届|任期|届内|(?:过去|未来|今后|近)[五三]年|[五三]年来|十[一二三四五六七八九]五")
#: 2023年 or, as official documents write it, 二〇二三年 (a year in Chinese numerals; see ``year_number``).
EXPLICIT_YEAR = re.compile(r"(?<![\d〇零一二三四五六七八九十])((?:19|20)\d{2}|[一二][〇零九][〇零一二三四五六七八九]{2})\s*年")


def year_number(written: str) -> int:
    """A year as written, in Arabic or Chinese digits, as an int: ``2023`` / ``二〇二三`` → 2023."""
    if written.isascii():
        return int(written)
    return int("".join(str(CN_DIGITS[ch]) for ch in written))

BRACKETS = {"“": "”", "‘": "’", "《": "》", "（": "）", "【": "】", "「": "」", "『": "』", "〈": "〉", "[": "]"}
CLOSERS = frozenset(BRACKETS.values())


@dataclass(frozen=True)
class Heading:
    """A heading found in the cleaned text."""

    level: int
    number: str  # as written: 一, 1, ①, 一是 …
    title: str
    start: int  # cleaned-text offset of the marker
    kind: str
    title_span: tuple[int, int] = (0, 0)  # cleaned-text offsets of the title


@dataclass(frozen=True)
class Section:
    """One node of a report's section tree (offsets into the cleaned text; see ``Corpus`` for originals)."""

    section_id: int
    parent_id: int | None
    level: int
    number: str
    title: str
    role: str
    year: int | None
    start: int
    end: int
    year_hint: object = None  # int (explicit), ("rel", k), "term", or None — resolved into ``year``
    title_span: tuple[int, int] = (0, 0)  # cleaned-text offsets of the title
    role_source: str | None = None  # how the role was decided: "title", "content", "inherited" (None: preamble)


SECTION_FIELDS = frozenset(f.name for f in fields(Section))


def evolve(section: Section, **changes) -> Section:
    """``dataclasses.replace`` for a Section, without its ``__init__``: a frozen dataclass sets each field
    through ``object.__setattr__``, and a report's sections are replaced several times each as they are built."""
    unknown = set(changes) - SECTION_FIELDS
    if unknown:
        raise TypeError(f"Section has no field {', '.join(sorted(unknown))}")
    new = object.__new__(Section)
    new.__dict__.update(section.__dict__, **changes)
    return new


def cn_to_int(numeral: str) -> int | None:
    """Chinese numeral (一 … 九十九) or Arabic digits → int; circled ① → 1."""
    if numeral in CIRCLED:
        return CIRCLED.index(numeral) + 1
    if numeral.isascii() and numeral.isdigit():
        return int(numeral)
    if numeral == "十":
        return 10
    if "十" in numeral:
        tens, _, units = numeral.partition("十")
        return CN_DIGITS.get(tens, 1) * 10 + (CN_DIGITS.get(units, 0) if units else 0)
    if len(numeral) == 1 and numeral in CN_DIGITS:
        return CN_DIGITS[numeral]
    return None


#: Every character that opens or closes a bracket or quote: a line's scan visits only these.
_BRACKET_CHARS = re.compile("[" + re.escape('"' + "".join(BRACKETS) + "".join(CLOSERS)) + "]")


@lru_cache(maxsize=16)
def matching_brackets(line: str) -> frozenset[int]:
    """Positions inside matched brackets/quotes of one line (unmatched openers are ignored).

    One pass per line over its bracket characters only; the result is kept for the few most recent lines, so
    a report copied without line breaks (one line, hundreds of headings) is not rescanned for every heading on it."""
    inside: set[int] = set()
    stack: list[tuple[str, int]] = []
    ascii_quote: int | None = None
    for match in _BRACKET_CHARS.finditer(line):
        ch, i = match.group(), match.start()
        if ch == '"':
            if ascii_quote is None:
                ascii_quote = i
            else:
                inside.update(range(ascii_quote + 1, i))
                ascii_quote = None
        elif ch in BRACKETS:
            stack.append((ch, i))
        else:
            for depth in range(len(stack) - 1, -1, -1):
                if BRACKETS[stack[depth][0]] == ch:
                    inside.update(range(stack[depth][1] + 1, i))
                    del stack[depth:]
                    break
    return frozenset(inside)


def _title_from(line: str, offset: int, stops: str, limit: int | None = None) -> tuple[str, int, int]:
    """Title from ``offset`` to the first stop outside quotes (or ``limit``), with its offsets in the line."""
    protected = matching_brackets(line)
    end = len(line) if limit is None else limit
    for i in range(offset, end):
        if line[i] in stops and i not in protected:
            end = i
            break
    strip = " ：；，、。"
    while offset < end and line[offset] in strip:
        offset += 1
    while end > offset and line[end - 1] in strip:
        end -= 1
    return line[offset:end], offset, end


def _title_stop(line: str, a: int, b: int) -> int:
    """Where a level-1/2 title that runs on ends: at a lost line break followed by body text (``工作总结
    今年以来，…``, ``取得新突破 全年引进项目20个。``; a two-phrase title ``凝心聚力 攻坚克难`` on its own line stays
    whole) or at a colon that opens its first item (``主要困难：一是…``)."""
    ends_sentence = b < len(line) and line[b] in TITLE_END  # the heading ran on into a sentence
    for gap in LOST_BREAK.finditer(line, a + 2, b):
        rest = line[gap.end() : b]
        if ends_sentence or any(ch in rest for ch in "，；：") or any(ch.isdigit() for ch in rest) or len(rest) > 20:
            b = gap.start()
            break
    found = ITEM_OPENER.search(line, a + 2, b)
    return found.start() if found else b


def _lines(text: str):
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


def find_headings(text: str) -> list[Heading]:
    """Headings of levels 1–4 in document order (cleaned text)."""
    headings: list[Heading] = []
    # last[(parent_start, level)] = last sibling number; open_stack = [(level, start)]
    last: dict[tuple[int, int], int] = {}
    open_stack: list[tuple[int, int]] = []
    kinds: dict[int, str] = {}  # heading start → marker kind
    previous_line = ""

    def parent_of(level: int) -> int:
        for lvl, start in reversed(open_stack):
            if lvl < level:
                return start
        return -1

    def accept(level: int, number: int | None, start: int, strict: bool) -> bool:
        if number is None:
            return False
        expected = last.get((parent_of(level), level), 0) + 1
        return number == expected if strict else 1 <= number <= expected + 1

    def push(heading: Heading, number: int) -> None:
        while open_stack and open_stack[-1][0] >= heading.level:
            open_stack.pop()
        last[(parent_of(heading.level), heading.level)] = number
        open_stack.append((heading.level, heading.start))
        kinds[heading.start] = heading.kind
        headings.append(heading)

    for line_start, line in _lines(text):
        candidates = [(0, False)]  # (offset in line, strict?) — mid-line positions after a sentence end
        protected = matching_brackets(line)
        candidates += [(m.end(), True) for m in re.finditer(r"[。；]\s*", line) if m.start() not in protected]
        # a （二） inside a line (text copied without line breaks) may open a level-2 heading
        level_two = [m.start() for m in LEVEL_TWO_INLINE.finditer(line) if m.start() > 0 and m.start() not in protected]
        candidates += [(position, True) for position in level_two]
        gaps = {m.end() for m in LOST_BREAK.finditer(line) if m.start() not in protected}
        first_end = next((i for i, ch in enumerate(line) if ch in SENTENCE_END and i not in protected), len(line))
        gaps |= {m.end() for m in TITLE_RUN.finditer(line, 0, first_end) if m.start() not in protected}
        candidates += [(position, True) for position in gaps]
        candidates.sort()
        line_is_continuation = ends_mid_sentence(previous_line)
        for offset, strict in candidates:
            if offset >= len(line) or (offset == 0 and line_is_continuation):
                continue
            for level, kind, pattern in HEADING_PATTERNS:
                if offset in gaps and level > 2:
                    continue  # after a lost line break or a title run only 一、 and （一） are trusted
                match = pattern.match(line, offset)
                if not match:
                    continue
                if kind in LEVEL_THREE_STANDINS and not any(lvl == 3 and kinds.get(start) == "arabic"
                                                             for lvl, start in open_stack):
                    level = 3  # （1） / ① where the section uses no 1. level
                number = cn_to_int(match.group(1))
                if not accept(level, number, line_start + offset, strict):
                    continue
                limit = next((p for p in level_two if p > match.end()), None)
                title, a, b = _title_from(line, match.end(), TITLE_END, limit)
                if level <= 2:
                    b = _title_stop(line, a, b)
                    title = line[a:b].rstrip(" ：；，、。")
                    b = a + len(title)
                if not title:
                    continue
                push(Heading(level, match.group(1), title, line_start + offset, kind,
                             (line_start + a, line_start + b)), number)
                break
        previous_line = line
    return headings


def find_items(text: str, start: int, end: int) -> list[Heading]:
    """Level-4 enumerations (一是/二是…, 一方面/另一方面) inside ``text[start:end]`` that form a sequence."""
    found = []
    for line_start, line in _lines(text[start:end]):
        protected = matching_brackets(line)
        for match in ITEM_PATTERN.finditer(line):
            marker_at = match.start(1)
            if marker_at in protected:
                continue
            word = match.group(1)
            number = 0 if word == "一方面" else (-1 if word == "另一方面" else cn_to_int(match.group(2)))
            title, a, b = _title_from(line, match.end(), TITLE_END + "；：")
            base = start + line_start
            found.append((number, Heading(4, word, title, base + marker_at, "item", (base + a, base + b))))
    items: list[Heading] = []
    run: list[Heading] = []
    expected = 1
    for number, heading in found + [(None, None)]:
        if number == 0:  # 一方面 needs a following 另一方面
            if len(run) >= 2:
                items.extend(run)
            run, expected = [heading], -1
        elif number == -1 and expected == -1:
            run.append(heading)
            items.extend(run)
            run, expected = [], 1
        elif number == expected and number is not None and number > 0:
            run.append(heading)
            expected += 1
        elif number == 1:
            if len(run) >= 2 and expected != -1:
                items.extend(run)
            run, expected = [heading], 2
        else:
            if len(run) >= 2 and expected != -1:
                items.extend(run)
            run, expected = [], 1
    return sorted(items, key=lambda h: h.start)


@rule_file_cache(maxsize=8)
def role_rules(source: str = "section_roles.csv") -> tuple[tuple[str, re.Pattern], ...]:
    table = read_table(source, required=("role", "pattern"))
    return tuple((row.role, re.compile(row.pattern)) for row in table.itertuples(index=False))


#: A title ending on a status word (…完成情况, …推进情况) reports on what it names, even a plan's words:
#: 重点工作完成情况 is a review — unless it names a coming period (下一步重点工作推进情况 stays mixed).
STATUS_TITLE = re.compile(r"(?:开展|完成|推进|进展|落实|执行|运行)(?:情况|状况)$")
FUTURE_WORDS = re.compile(r"下一步|下步|明年|下半年|今后|未来|思路|打算")


def title_roles(title: str, source: str = "section_roles.csv") -> set[str]:
    """Roles whose cue a heading title names; empty for theme headings (a clause comma) and cue-less titles."""
    if "，" in title or "," in title:
        return set()
    roles = {role for role, pattern in role_rules(source) if pattern.search(title)}
    if {"review", "plan"} <= roles and STATUS_TITLE.search(title) and not FUTURE_WORDS.search(title):
        roles.discard("plan")
    return roles


def role_of(title: str, parent_role: str, source: str = "section_roles.csv") -> str:
    """The role a title's cues name (``mixed`` for two), else ``parent_role``."""
    roles = title_roles(title, source)
    if len(roles) >= 2:
        return "mixed"
    if roles:
        return roles.pop()
    return parent_role


def year_hint(title: str):
    """What a title says about its year: explicit int, ("rel", offset), "term", "mixed" or None."""
    years = {year_number(y) for y in EXPLICIT_YEAR.findall(title)}
    if len(years) > 1:
        return "mixed"
    if years:
        return years.pop()
    for word, offset in sorted(RELATIVE_YEARS.items(), key=lambda kv: -len(kv[0])):
        if word in title:
            return ("rel", offset)
    if TERM_WORDS.search(title):
        return "term"
    return None


# ---------------------------------------------------------------------------------------------------------
# The document's own title. Web copies open with one or more short title lines (site title, speech title,
# subtitle, date line) — or, copied without line breaks, with a title glued to the first sentence
# (``XX年工业区管委会工作总结成凉工业园区作为…``). The title is kept apart from the opening: metadata trust it last.
# ---------------------------------------------------------------------------------------------------------
#: Words that end a report title (a glued title is cut after the last of them before the first clause mark).
TITLE_CUES = re.compile(r"总结|计划|思路|安排|打算|要点|报告|汇报|提纲|部署|重点工作|工作情况|回顾")
TITLE_LINE_MAX = 60


@dataclass(frozen=True)
class DocumentTitle:
    """The title lines before the body (cleaned-text offsets ``start``–``end``; ``lines`` as written)."""

    lines: tuple[str, ...]
    start: int
    end: int

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def _opens_heading(line: str) -> bool:
    return any(pattern.match(line) for level, _, pattern in HEADING_PATTERNS if level <= 2)


def document_title(text: str) -> DocumentTitle:
    """The report's title: the short lines before the body (no sentence end, not a heading, not a salutation
    such as ``同志们：``), or the head of a first line that glues the title to the body.

    >>> document_title("园区2022年工作总结\\n今年以来，园区稳步发展。").lines
    ('园区2022年工作总结',)
    >>> document_title("园区工作总结今年以来园区稳步发展，投资增长。").lines
    ('园区工作总结',)
    """
    lines: list[str] = []
    end = 0
    for line_start, line in _lines(text):
        stripped = line.strip()
        if not stripped:
            continue
        short = len(stripped) <= TITLE_LINE_MAX and not any(ch in stripped for ch in "。！？；")
        if short and not _opens_heading(stripped) and not stripped.endswith("："):
            lines.append(stripped)
            end = line_start + len(line)
            continue
        if not lines and not _opens_heading(stripped):
            head = re.split(r"[，。；：！？]", line, maxsplit=1)[0][:TITLE_LINE_MAX]
            cues = list(TITLE_CUES.finditer(head))
            if cues and line[cues[-1].end() : cues[-1].end() + 1] not in ("。", "！", "？", "；"):  # not a sentence
                lines.append(line[: cues[-1].end()].strip())
                end = line_start + cues[-1].end()
        break
    return DocumentTitle(tuple(lines), 0, end)


# ---------------------------------------------------------------------------------------------------------
# Roles from content. A top-level section whose title names no cue (湾区一体化发展跃上新水平, 充分肯定成绩，增强
# 发展信心) gets its role from its own sentences: reported results (完成/实现 + a figure, 同比增长, 已建成 …) make a
# review, commitments about the future (将, 要, 力争, 计划 …) a plan. Each sentence counts once per kind.
# ---------------------------------------------------------------------------------------------------------
CONTENT_CUES: dict[str, re.Pattern] = {
    # 完成投资12亿元 / 实现产值Ⓧ亿元 / 同比增长5% / 已全部完成 / 取得了成效 / 引进项目8个
    "review": re.compile(r"(?:完成|实现|达到|累计|新增|引进|签约|开工|竣工|投产|建成|入库|到位)[^，。；]{0,15}?[\dⓍ]"
                         r"|同比(?:增长|下降|增加|减少)|比增|比上年|已(?:经)?(?:完成|全部|基本|建成|实现|投产|开工|签约|获批)"
                         r"|取得(?:了)?|(?:圆满|顺利)完成|(?:今年|年初)以来"),
    # 将加快建设 / 要按照目标 / 力争完成 / 计划引进（not 计划总投资, a project's size）/ 下一步 / 明年
    "plan": re.compile(r"(?<![主重需必只])要(?!求|素|点|害|件|是)|将(?!近|军)|力争|争取|计划(?!总?投资)|拟|下一步|明年|今后"),
}


def content_role(text: str) -> str | None:
    """``review`` or ``plan`` from the sentences of a section's text, or None when neither shows.

    >>> content_role("园区完成固定资产投资12亿元，同比增长8%。新签约项目5个。")
    'review'
    >>> content_role("明年将加快推进项目建设，力争引进项目10个。要抓好招商。")
    'plan'
    """
    counts = {"review": 0, "plan": 0}
    for sentence in split_sentences(text):
        for role, pattern in CONTENT_CUES.items():
            if pattern.search(sentence.text):
                counts[role] += 1
    if counts["review"] == counts["plan"] == 0:
        return None
    return "review" if counts["review"] >= counts["plan"] else "plan"


def _part_role(text: str, first_heading: int, source: str) -> str | None:
    """The role a part line above the first heading names (``2022年工作总结`` between the title and ``一、``):
    the last short line of the preamble, other than the first title line, whose cues name one role."""
    role = None
    for line_start, line in _lines(text[:first_heading]):
        stripped = line.strip()
        if not stripped or line_start == 0:  # the first line is the document's own title
            continue
        if len(stripped) > TITLE_LINE_MAX or any(ch in stripped for ch in "。！？；"):
            continue
        roles = title_roles(stripped, source)
        if len(roles) == 1:
            role = next(iter(roles))
    return role


def is_plan_document(text: str, sections: list[Section], source: str = "section_roles.csv") -> bool:
    """A plan document: its title names plan cues only (工作计划, 工作要点, 重点工作 …), no section is a review by
    its title, and its text does not read as a review (reported results outnumbering commitments)."""
    title = document_title(text)
    if title_roles(title.text.replace("，", " "), source) != {"plan"}:
        return False
    if any(title_roles(s.title, source) & {"review"} for s in sections if s.level):
        return False
    return content_role(text[title.end :]) != "review"


def assign_roles(text: str, sections: list[Section], source: str = "section_roles.csv") -> list[Section]:
    """Give every section its role and how it was decided (``role_source``).

    A title cue decides first (``title``); a section without one takes its parent's role (``inherited``); a
    top-level one takes the role a part line above the headings names, or all sections of a plan document
    (a title naming only plan cues, no review section) are plans (``inherited``); else its own sentences
    decide (``content``); else it stays ``other``.
    """
    first_heading = sections[1].start if len(sections) > 1 else len(text)
    part = _part_role(text, first_heading, source)
    cued = {s.section_id: role_of(s.title, "", source) for s in sections if s.level}
    plan_document = is_plan_document(text, sections, source)
    out: list[Section] = []
    by_id: dict[int, Section] = {}
    for section in sections:
        if section.level == 0:
            section = evolve(section, role="plan", role_source="inherited") if plan_document else \
                evolve(section, role="other", role_source=None)
        elif cued[section.section_id]:
            section = evolve(section, role=cued[section.section_id], role_source="title")
        elif section.parent_id is not None:
            section = evolve(section, role=by_id[section.parent_id].role, role_source="inherited")
        elif part is not None or plan_document:
            section = evolve(section, role=part or "plan", role_source="inherited")
        else:
            found = content_role(text[section.start : section.end])
            section = evolve(section, role=found or "other", role_source="content" if found else None)
        by_id[section.section_id] = section
        out.append(section)
    return out


def build_sections(text: str, roles: str = "section_roles.csv") -> list[Section]:
    """Section tree of a cleaned text: preamble (id 0), then one section per heading, nested by level."""
    headings = find_headings(text)
    # level-4 items inside each stretch of text between consecutive headings (or before the first)
    bounds = [h.start for h in headings] + [len(text)]
    items: list[Heading] = []
    for i, heading in enumerate(headings):
        items.extend(find_items(text, heading.start, bounds[i + 1]))
    items.extend(find_items(text, 0, bounds[0]) if headings else [])
    taken = {h.start for h in headings}  # built once: a per-item rebuild made long files quadratic
    all_headings = sorted(headings + [i for i in items if i.start not in taken], key=lambda h: (h.start, h.level))

    sections = [Section(0, None, 0, "", "前言", "other", None, 0, len(text), None)]
    stack: list[int] = [0]
    for heading in all_headings:
        while sections[stack[-1]].level >= heading.level:
            closed = stack.pop()
            sections[closed] = evolve(sections[closed], end=heading.start)
        parent = sections[stack[-1]]
        parent_id = None if parent.section_id == 0 else parent.section_id
        role = role_of(heading.title, parent.role if parent_id is not None else "other", roles)
        sections.append(Section(len(sections), parent_id, heading.level, heading.number, heading.title, role,
                                None, heading.start, len(text), year_hint(heading.title),
                                heading.title_span))
        stack.append(len(sections) - 1)
    if len(sections) > 1:
        sections[0] = evolve(sections[0], end=sections[1].start)
    else:
        sections[0] = evolve(sections[0], title="全文")
    return assign_roles(text, sections, roles)


def resolve_years(sections: list[Section], report_year: int | None, plan_year: int | None,
                  kind: str | None) -> list[Section]:
    """Give every section its year: its own title first, else its parent's, else (top level) by role."""
    resolved: dict[int, int | None] = {}
    out = []
    for section in sections:
        hint = section.year_hint
        parent_year = resolved.get(section.parent_id) if section.parent_id is not None else None
        if isinstance(hint, int):
            year = hint
        elif isinstance(hint, tuple):
            year = None if report_year is None else report_year + hint[1]
        elif hint in ("term", "mixed"):
            year = None
        elif section.parent_id is not None:
            year = parent_year
        elif section.level == 0 or kind == "term" or section.role in ("mixed", "other"):
            year = None
        else:
            year = plan_year if section.role == "plan" else report_year
        resolved[section.section_id] = year
        out.append(evolve(section, year=year))
    return out


@dataclass(frozen=True)
class Sentence:
    start: int  # cleaned-text offsets
    end: int
    text: str


def split_sentences(text: str) -> list[Sentence]:
    """Split on 。！？； and line breaks, never inside matched “…”, 《…》 or brackets."""
    sentences = []
    for line_start, line in _lines(text):
        protected = matching_brackets(line)
        begin = 0
        for stop in _SENTENCE_END_RE.finditer(line):  # only the sentence ends are visited, not every character
            i = stop.start()
            if i not in protected:
                end = i + 1
                while end < len(line) and line[end] in "”’」』":  # a stray closing quote stays with it
                    end += 1
                piece = line[begin:end]
                if piece.strip():
                    lead = len(piece) - len(piece.lstrip())
                    sentences.append(Sentence(line_start + begin + lead, line_start + end, piece.strip()))
                begin = end
        piece = line[begin:]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            sentences.append(Sentence(line_start + begin + lead, line_start + begin + lead + len(piece.strip()),
                                      piece.strip()))
    return sentences
