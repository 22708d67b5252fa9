"""Properties that hold for any text (hypothesis): cleaning, sentence splitting, heading parsing and reading
never crash; nothing is lost; every offset maps back to the original."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.cleaning import MASK, _DELETE_RE, clean_text, normalize
from toolkit.errors import ReportFileError
from toolkit.readers import extract
from toolkit.structure import build_sections, find_headings, resolve_years, split_sentences

from .test_formats import seed_text

#: Characters reports are made of, so that examples hit headings, masks, boilerplate and page markers.
REPORT_ALPHABET = list("一二三四五六七八九十、。；！？：，,.;:!?（）()“”《》【】*X×□x1234567890%-~年月亿元万家园区招商项目"
                       "是要方面另一工作总结思路打算问题\n\n\n  \t\r\u3000\u200b\ufeff") + [
    "下面是小编为大家整理的", "供大家参考。", "当前隐藏内容免费查看", "相关热词搜索", "第3页", "— 3 —"]
report_like = st.lists(st.sampled_from(REPORT_ALPHABET), max_size=120).map("".join)
any_text = st.one_of(st.text(max_size=300), report_like)
# seed slices: real structure, cut anywhere
seed_slices = st.tuples(st.integers(0, 10000), st.integers(0, 3000)).map(
    lambda ab: seed_text()[ab[0] : ab[0] + ab[1]])
texts = st.one_of(any_text, seed_slices)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FOLD = str.maketrans("，；：？！（）", ",;:?!()")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", normalize(text)).translate(FOLD)


def is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


@FAST
@given(texts)
def test_cleaning_loses_no_character_of_the_original(original):
    clean = clean_text(original)
    assert len(clean.starts) == len(clean.ends) == len(clean.text)
    covered = bytearray(len(original))
    for a, b in zip(clean.starts, clean.ends):
        assert 0 <= a < b <= len(original)
        covered[a:b] = b"\x01" * (b - a)
    for piece in list(clean.removals) + list(clean.masks):
        assert original[piece.start : piece.end] == piece.text
        covered[piece.start : piece.end] = b"\x01" * (piece.end - piece.start)
    lost = {original[i] for i, seen in enumerate(covered) if not seen}
    # only spacing and invisible characters (zero-width spaces, BOM, soft hyphen) may go without a trace
    assert all(ch.isspace() or _DELETE_RE.fullmatch(ch) for ch in lost), lost


@FAST
@given(texts)
def test_sentences_rebuild_the_cleaned_text_and_map_back_to_the_original(original):
    clean = clean_text(original)
    sentences = split_sentences(clean.text)
    cursor = 0
    for sentence in sentences:
        assert clean.text[sentence.start : sentence.end] == sentence.text and sentence.text.strip() == sentence.text
        assert sentence.start >= cursor and not clean.text[cursor : sentence.start].strip()
        cursor = sentence.end
        a, b = clean.to_original(sentence.start, sentence.end)
        assert 0 <= a <= b <= len(original)
        assert is_subsequence(squeeze(sentence.text).replace(MASK, ""), squeeze(original[a:b]))
    assert not clean.text[cursor:].strip()
    assert "".join(s.text for s in sentences) == "".join(
        clean.text[s.start : s.end] for s in sentences)
    assert re.sub(r"\s", "", "".join(s.text for s in sentences)) == re.sub(r"\s", "", clean.text)


@FAST
@given(texts)
def test_heading_parsing_never_crashes_and_builds_a_well_formed_tree(original):
    text = clean_text(original).text
    headings = find_headings(text)
    assert [h.start for h in headings] == sorted(h.start for h in headings)
    sections = resolve_years(build_sections(text), 2022, 2023, "annual")
    assert sections[0].start == 0 and sections[0].level == 0
    ids = {s.section_id for s in sections}
    for section in sections:
        assert 0 <= section.start <= section.end <= len(text)
        assert section.parent_id is None or section.parent_id in ids
        if section.level:
            a, b = section.title_span
            assert section.start <= a <= b <= len(text)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["r.txt", "r.docx", "r.pdf", "r.html", "r.doc"]))
def test_reading_any_bytes_gives_text_or_a_typed_error(data, name):
    try:
        extracted = extract(data, name)
    except ReportFileError as err:
        assert "\n" not in str(err) and str(err).startswith(name)
    else:
        assert extracted.text.strip()
