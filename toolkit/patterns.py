"""Patterns: answer "does this rule file's pattern occur in this clause?" fast, with the same answer.

The rule files' patterns are long alternations (the problem taxonomy joins some 500 cue phrases). Python's
``re`` tries every alternative at every position of a text, so most of the cost of searching a clause is
spent on clauses where nothing matches. :func:`searcher` first asks a small pattern built from texts one of
which every match must hold (:func:`required_texts`: 用地, 招工, 缺 …), which ``re`` scans at C speed, and
asks the full pattern only where one of them occurs. The answer is the full pattern's, always: the small
pattern only spares searches that cannot succeed.

>>> found = searcher(re.compile(r"用地(?:紧张|不足)|(?<!党建)人才(?:短缺|流失)"))
>>> found("园区用地紧张"), found("党建人才流失"), found("园区建设用地")
(True, False, False)
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

try:  # the parser of the standard library's ``re`` (a private module, so a failure falls back to the pattern)
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - Python < 3.11 names them sre_constants / sre_parse
    _sre = _sre_parse = None

#: How many characters of a match's beginning are read (three tell 用地紧张 from 用地规划; more add little).
START_LENGTH = 3
#: At most this many beginnings: a pattern with more is read to fewer characters (its small pattern would not
#: be small: （ followed by any two pinyin letters), and given up on when even single characters are more.
MAX_STARTS = 512
#: A class of more characters than this is read as any character (it would multiply the texts, not sieve).
MAX_CLASS = 16
_WORK_LIMIT = 8 * MAX_STARTS  # beginnings held while reading, before those holding a shorter one are dropped
_END, _STOP = 0, 1  # a beginning after which the element ended (read on) / after which nothing is known


def required_texts(pattern: str | re.Pattern, length: int = START_LENGTH) -> frozenset[str] | None:
    """Texts of at most ``length`` characters one of which every match of ``pattern`` holds; None when no such
    set can be told (the pattern may match the empty text or any character at every place, ignores case in a
    part only, or is beyond the parser). The texts are what a match, or a part every match has, begins with
    (the 增长|增加… of ``(?:同比)?\\s*(?:增长|增加…)``), chosen to be few and long. Lookarounds and anchors are passed
    over (they only restrict where a match is), so the set is never too small. For a pattern that ignores case
    (``re.IGNORECASE``) the texts are as written and are to be compared ignoring case too.

    >>> sorted(required_texts(r"用地(?:已经)?(?:紧张|紧缺)|招工[^，]{0,4}难|缺"))
    ['招工', '用地已', '用地紧', '缺']
    >>> sorted(required_texts(r"(?:同比)?\\s*(?:增长|下降)\\s*\\d+%"))
    ['下降', '增长']
    """
    if _sre_parse is None:
        return None
    source, flags = (pattern.pattern, pattern.flags) if isinstance(pattern, re.Pattern) else (pattern, 0)
    if not isinstance(source, str):
        return None
    try:
        texts = _required(list(_sre_parse.parse(source, flags)), length)
    except Exception:  # noqa: BLE001 - a pattern the private parser reads otherwise: no shortcut, never wrong
        return None
    return None if texts is None else frozenset(texts)


def _required(items: list, length: int) -> set[str] | None:
    """Texts one of which every match of a sequence of parsed elements holds: what a match of the sequence
    from some element on begins with, or what an element every match has holds; the best found, or None."""
    best = None
    for i, item in enumerate(items):
        for found in (_starts(items[i:], length), _held_by(item, length)):
            if found is not None and (best is None or _rank(found) > _rank(best)):
                best = found
        if best is not None and _rank(best)[0] >= length:  # texts as long as asked for: good enough
            return best
    return best


def _rank(texts: set[str]) -> tuple[int, int]:
    """How well a set of texts sieves: the shortest text the longer the better, then the fewer texts."""
    return min(len(text) for text in texts), -len(texts)


def _starts(items: list, length: int) -> set[str] | None:
    """What every match of a sequence begins with, read to ``length`` characters or fewer (fewer when there
    would be too many); None when a match may begin anyhow."""
    for size in range(length, 0, -1):
        texts = _fewest({text for text, _ in _sequence(items, size)})
        if "" in texts:
            return None
        if len(texts) <= MAX_STARTS:
            return texts
    return None


def _held_by(item: tuple, length: int) -> set[str] | None:
    """:func:`_required` of an element that holds others: a group, each alternative of a branch, the body
    of a repeat that runs at least once."""
    op, value = item
    if op is _sre.SUBPATTERN:
        return None if value[1] & re.IGNORECASE else _required(list(value[3]), length)
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _required(list(value), length)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)) and value[0] >= 1:
        return _required(list(value[2]), length)
    if op is _sre.BRANCH:
        texts: set[str] = set()
        for alternative in value[1]:
            found = _required(list(alternative), length)
            if found is None:
                return None
            texts |= found
        texts = _fewest(texts)
        return texts if len(texts) <= MAX_STARTS else None
    return None


def _fewest(texts: set[str]) -> set[str]:
    """``texts`` without those holding a shorter one (a text holding 缺 holds 缺工's 缺: 缺 is enough)."""
    if "" in texts:
        return {""}
    kept: set[str] = set()
    for text in sorted(texts, key=len):  # each text's parts looked up (a text is a few characters long)
        if not any(text[i:j] in kept for i in range(len(text)) for j in range(i + 1, len(text) + 1)):
            kept.add(text)
    return kept


def _sequence(items: list, length: int) -> set[tuple[str, int]]:
    """The beginnings (text, state) of a sequence of parsed elements, read up to ``length`` characters."""
    if not items:
        return {("", _END)}
    found: set[tuple[str, int]] = set()
    for text, state in _element(items[0], length):
        if state == _STOP or len(text) >= length:
            found.add((text, _STOP))
            continue
        for more, after in _sequence(items[1:], length - len(text)):
            found.add((text + more, after))
        if len(found) > _WORK_LIMIT:
            return {("", _STOP)}
    return found


def _element(item: tuple, length: int) -> set[tuple[str, int]]:
    op, value = item
    if length <= 0:
        return {("", _STOP)}
    if op is _sre.LITERAL:
        return {(chr(value), _END)}
    if op is _sre.IN:  # a class of a few listed characters; a negated or open class begins with anything
        chars: set[str] = set()
        for kind, what in value:
            if kind is _sre.LITERAL:
                chars.add(chr(what))
            elif kind is _sre.RANGE and what[1] - what[0] < MAX_CLASS:
                chars.update(chr(c) for c in range(what[0], what[1] + 1))
            else:
                return {("", _STOP)}
        return {(c, _END) for c in chars} if len(chars) <= MAX_CLASS else {("", _STOP)}
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):  # zero-width: where, not what
        return {("", _END)}
    if op is _sre.SUBPATTERN:
        _, add_flags, _, inner = value
        # a part that ignores case (the whole pattern's flag is the caller's to apply)
        return {("", _STOP)} if add_flags & re.IGNORECASE else _sequence(list(inner), length)
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _sequence(list(value), length)
    if op is _sre.BRANCH:
        found: set[tuple[str, int]] = set()
        for alternative in value[1]:
            found |= _sequence(list(alternative), length)
        return found
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        low, high, inner = value
        body = list(inner)
        top = length if high is _sre.MAXREPEAT else min(high, length)
        found = set()
        for times in range(min(low, length), max(min(low, length), top) + 1):  # more copies begin the same way
            found |= _sequence(body * times, length)
            if len(found) > _WORK_LIMIT:
                return {("", _STOP)}
        return found
    return {("", _STOP)}  # any character, a back-reference, a conditional …: the beginning is not known


def starts_pattern(texts: frozenset[str], flags: int = 0) -> re.Pattern:
    """One pattern matching any of ``texts``, grouped by first character (用[地工]|招工|缺), which ``re``
    scans by its first-character set; ``flags``: ``re.IGNORECASE`` for the texts of a pattern that ignores
    case."""
    by_first: dict[str, set[str]] = {}
    for text in texts:
        by_first.setdefault(text[0], set()).add(text[1:])
    alternatives = []
    for first, rests in sorted(by_first.items()):
        if "" in rests:
            alternatives.append(re.escape(first))
        elif all(len(rest) == 1 for rest in rests):
            chars = "".join(re.escape(rest) for rest in sorted(rests))
            alternatives.append(re.escape(first) + (f"[{chars}]" if len(rests) > 1 else chars))
        else:
            alternatives.append(re.escape(first) + "(?:" + "|".join(re.escape(r) for r in sorted(rests)) + ")")
    return re.compile("|".join(alternatives), flags)


@lru_cache(maxsize=256)
def _quick_search(pattern: re.Pattern):
    """The ``search`` of the small pattern of the texts every match of ``pattern`` holds, or None when they
    cannot be told."""
    texts = required_texts(pattern)
    return starts_pattern(texts, pattern.flags & re.IGNORECASE).search if texts else None


@lru_cache(maxsize=256)
def searcher(pattern: re.Pattern) -> Callable[[str], bool]:
    """``lambda text: pattern.search(text) is not None``, faster: where none of the texts every match holds
    occurs, the full pattern is not searched."""
    quick, search = _quick_search(pattern), pattern.search
    if quick is None:
        return lambda text: search(text) is not None
    return lambda text: quick(text) is not None and search(text) is not None


@lru_cache(maxsize=256)
def sieve(pattern: re.Pattern) -> Callable[[str], bool]:
    """Whether ``pattern`` may match in a text: False only where none of the texts every match holds occurs
    (then ``pattern.finditer`` finds nothing); True when unsure. For a caller that reads the matches."""
    quick = _quick_search(pattern)
    if quick is None:
        return lambda text: True
    return lambda text: quick(text) is not None
