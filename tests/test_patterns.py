"""The texts a pattern's matches must hold never miss a match, and the fast search answers what the pattern answers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.clauses import join_patterns, marker_rules
from toolkit.difficulties import load_taxonomy
from toolkit.patterns import required_texts, searcher, sieve, starts_pattern

ALPHABET = ["用", "地", "缺", "工", "a", "，", "k", "K", "\u212a", "s", "\u017f"]  # Kelvin sign, long s: case folds


@pytest.mark.parametrize("pattern, starts", [
    ("用地(?:已经|已)?(?:紧张|紧缺)", {"用地已", "用地紧"}),
    ("招工[^，]{0,4}难|缺", {"招工", "缺"}),
    ("(?<!党建)人才(?:少|缺乏)", {"人才少", "人才缺"}),  # a lookbehind restricts where, not what
    ("a?b", {"b"}),  # every match holds b at its start or next to it: b alone is enough
    ("x{0,2}y", {"y"}),
    ("[0-2]号", {"0号", "1号", "2号"}),
    ("^本年$", {"本年"}),
    ("(?>ab)c", {"abc"}),
    ("[a-p][a-p][a-p]", {a + b for a in "abcdefghijklmnop" for b in "abcdefghijklmnop"}),  # 16^3 too many: two
    ("（[a-z]", {"（"}),  # a class of many characters is read as any character
    (".用地", {"用地"}),  # what follows a beginning that cannot be told
    (r"[^，]{0,3}地|\w工", {"地", "工"}),
    (r"(?:同比)?\s*(?:增长|下降)\s*\d+%", {"增长", "下降"}),  # an element every match has
    (r"(?:\s*[增减]产){1,3}", {"增产", "减产"}),  # the body of a repeat that runs at least once
])
def test_required_texts_of_invented_rules(pattern, starts):
    assert required_texts(pattern) == starts


@pytest.mark.parametrize("pattern", [".", "[^，]{0,3}", "(?i:a)", "用地|", "(?:用地)?", r"\w+"])
def test_a_pattern_without_texts_its_matches_must_hold_gives_no_shortcut(pattern):
    assert required_texts(pattern) is None
    found = searcher(re.compile(pattern))
    assert found("用地") == (re.search(pattern, "用地") is not None)


@pytest.mark.parametrize("text", ["Powered by", "POWERED BY", "powered By", "power"])
def test_a_pattern_that_ignores_case_is_sieved_ignoring_case(text):
    pattern = re.compile(r"powered\s*by", re.IGNORECASE)
    assert required_texts(pattern) == {"pow"}
    assert searcher(pattern)(text) == (pattern.search(text) is not None)
    assert sieve(pattern)(text) or pattern.search(text) is None


def test_the_small_pattern_matches_each_beginning_and_nothing_else():
    small = starts_pattern(frozenset({"用地", "用工", "招工", "缺"}))
    assert [bool(small.search(t)) for t in ("用地", "用工", "用户", "招工", "缺", "工地")] == \
        [True, True, False, True, True, False]


def test_the_package_rule_files_have_a_shortcut():
    """The two alternations searched in every clause (markers and problem cues) get one."""
    markers = join_patterns([pattern for _, _, pattern in marker_rules("target_markers.csv")])
    cues = join_patterns([p for c in load_taxonomy("problem_taxonomy.csv") for p in (c.cues, c.topics) if p is not None])
    assert required_texts(markers) and required_texts(cues)


ATOMS = st.sampled_from(ALPHABET) | st.sampled_from(["[用缺]", "[a-k]", "[Ks]", "[^，]", "."])


@st.composite
def patterns(draw, depth=2):
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["atom", "atom", "repeat", "group", "look"] if depth else ["atom"]))
        if kind == "atom":
            parts.append(draw(ATOMS))
        elif kind == "repeat":
            low = draw(st.integers(0, 2))
            parts.append(f"(?:{draw(ATOMS)}){{{low},{low + draw(st.integers(0, 2))}}}")
        elif kind == "group":
            alternatives = draw(st.lists(patterns(depth - 1), min_size=1, max_size=3))
            parts.append("(?:" + "|".join(alternatives) + ")")
        else:
            parts.append(draw(st.sampled_from(["(?<!", "(?<=", "(?=", "(?!"])) + draw(st.sampled_from(ALPHABET)) + ")")
    return "".join(parts)


@settings(max_examples=400, deadline=None)
@given(patterns(), st.text(alphabet=st.sampled_from(ALPHABET), max_size=10), st.booleans())
def test_every_match_holds_a_required_text_and_the_fast_searches_agree(pattern, text, ignore_case):
    compiled = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    starts = required_texts(compiled)
    for match in compiled.finditer(text):
        if starts is not None:
            assert starts_pattern(starts, compiled.flags & re.IGNORECASE).search(match.group())
    assert searcher(compiled)(text) == (compiled.search(text) is not None)
    assert sieve(compiled)(text) or compiled.search(text) is None  # a text sieved out holds no match
