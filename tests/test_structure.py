"""Headings (levels 1–4), lookalikes, roles and years, and sentence splitting."""

from __future__ import annotations

import pytest

from toolkit.cleaning import clean_text
from toolkit.structure import build_sections, cn_to_int, find_headings, resolve_years, split_sentences, year_hint


def headings_of(text: str) -> list[tuple[int, str, str]]:
    return [(h.level, h.number, h.title) for h in find_headings(clean_text(text).text)]


def sections_of(text: str, report_year=2022, plan_year=2023, kind="annual"):
    sections = build_sections(clean_text(text).text)
    return resolve_years(sections, report_year, plan_year, kind)


def test_three_levels_on_their_own_lines():
    text = "前言。\n一、2022年工作总结\n（一）招商引资\n1.项目招引\n2.外资引进\n（二）企业服务\n二、2023年工作思路"
    assert headings_of(text) == [(1, "一", "2022年工作总结"), (2, "一", "招商引资"), (3, "1", "项目招引"),
                                 (3, "2", "外资引进"), (2, "二", "企业服务"), (1, "二", "2023年工作思路")]


def test_run_on_heading_title_ends_at_the_first_full_stop():
    text = "一、总结\n1.项目招引协同推进。1-9月，园区新签约项目*个。"
    assert headings_of(text)[1] == (3, "1", "项目招引协同推进")


def test_full_stop_inside_quotes_does_not_end_a_title():
    text = "一、总结\n1.打造“最多跑一次。改革”品牌。正文内容。"
    assert headings_of(text)[1][2] == "打造“最多跑一次。改革”品牌"


@pytest.mark.parametrize("line", ["(一)招商引资方面", "（一）招商引资方面", "（一）、招商引资方面"])
def test_half_and_full_width_level_two_parse_alike(line):
    assert headings_of(f"一、总结\n{line}")[1] == (2, "一", "招商引资方面")


@pytest.mark.parametrize("line", ["1.项目招引", "1、项目招引", "1．项目招引", "１．项目招引"])
def test_level_three_marks_parse_alike(line):
    assert headings_of(f"一、总结\n{line}")[1] == (3, "1", "项目招引")


def test_level_may_be_skipped():
    sections = sections_of("一、2022年上半年工作情况\n1、党建引领\n2、产业发展\n二、下半年工作重点\n1、抓产业")
    by_title = {s.title: s for s in sections}
    assert by_title["党建引领"].level == 3
    assert by_title["党建引领"].parent_id == by_title["2022年上半年工作情况"].section_id
    assert by_title["抓产业"].parent_id == by_title["下半年工作重点"].section_id


@pytest.mark.parametrize("line", [
    "1-9月，园区实现工业总产值*亿元。", "2022年，园区各项工作稳步推进。", "*-*月，完成投资*亿元。",
    "5.6%的增速位居全区第一。", "3+1主导产业彰显成效。", "1、2月份受疫情影响较大。", "一、二季度增长较快。",
    "10.5亿元的项目落地。",
])
def test_numbering_lookalikes_are_not_headings(line):
    assert headings_of(f"一、2022年工作总结\n{line}") == [(1, "一", "2022年工作总结")]


def test_number_that_continues_a_sentence_is_not_a_heading():
    text = ("一、总结\n1.项目建设\n园区坚持项目为王，全年完成投资较上年明显增长。重点推进了新能源、新材料等产业项目的落地，帮助企业\n"
            "2、解决用地问题。\n2.企业服务")
    assert [h[2] for h in headings_of(text)] == ["总结", "项目建设", "企业服务"]


def test_headings_inside_text_copied_without_line_breaks():
    text = "一、2022年工作总结（一）招商引资。全年签约项目*个。（二）企业服务。走访企业*家。二、2023年工作思路"
    found = headings_of(text)
    assert [h[:2] for h in found] == [(1, "一"), (2, "一"), (2, "二"), (1, "二")]


def test_enumerated_items_in_sequence_become_level_four():
    text = "一、总结\n1.项目招引。一是开工项目加快投产。年产*万套。二是落地项目加快建设。三是洽谈项目加快签约。"
    sections = sections_of(text)
    items = [(s.number, s.title) for s in sections if s.level == 4]
    assert items == [("一是", "开工项目加快投产"), ("二是", "落地项目加快建设"), ("三是", "洽谈项目加快签约")]
    assert all(s.parent_id == sections[2].section_id for s in sections if s.level == 4)


def test_lone_or_out_of_sequence_items_are_not_headings():
    text = "一、总结\n1.服务。统一是基本要求。二是加强服务。园区唯一是龙头。"
    assert [s for s in sections_of(text) if s.level == 4] == []


def test_one_side_other_side_pair_is_level_four():
    text = "一、总结\n1.要素保障。一方面，生产配套保障有力。另一方面，土地保障有力。"
    assert [s.title for s in sections_of(text) if s.level == 4] == ["生产配套保障有力", "土地保障有力"]


@pytest.mark.parametrize("title, role", [
    ("2022年工作总结", "review"), ("2022年上半年主要工作开展情况", "review"), ("2022年上半年取得成绩", "review"),
    ("2023年工作思路", "plan"), ("下半年园区工作重点", "plan"), ("2022年下半年工作目标", "plan"),
    ("明年工作打算", "plan"), ("园区当前存在的困难、问题", "problem"), ("存在问题和不足", "problem"),
    ("2021年工作总结及2022年工作思路", "mixed"), ("存在问题及下步打算", "mixed"), ("招商引资工作", "other"),
])
def test_top_level_roles_from_titles(title, role):
    sections = sections_of(f"一、{title}\n正文。")
    assert sections[1].role == role


def test_theme_headings_with_a_clause_comma_inherit_their_parents_role():
    sections = sections_of("一、2022年工作总结\n（一）紧盯目标，解决企业问题\n正文。")
    assert [s.role for s in sections[1:]] == ["review", "review"]


def test_children_of_a_mixed_heading_take_their_own_roles_and_years():
    text = "一、2021年工作总结及2022年工作思路\n（一）2021年工作总结\n1.经济指标\n（二）2022年工作思路\n1.深谋善思"
    sections = sections_of(text, 2021, 2022)
    assert [(s.title, s.role, s.year) for s in sections[1:]] == [
        ("2021年工作总结及2022年工作思路", "mixed", None), ("2021年工作总结", "review", 2021),
        ("经济指标", "review", 2021), ("2022年工作思路", "plan", 2022), ("深谋善思", "plan", 2022)]


@pytest.mark.parametrize("title, hint", [
    ("2021年工作总结", 2021), ("明年工作思路", ("rel", 1)), ("下半年园区工作重点", ("rel", 0)),
    ("本届党委、政府工作总结", "term"), ("2021年工作总结及2022年工作思路", "mixed"), ("招商引资", None),
    ("2022年上半年主要工作开展情况", 2022),
])
def test_year_hints_from_titles(title, hint):
    assert year_hint(title) == hint


def test_relative_years_resolve_against_the_report_year():
    sections = sections_of("一、2023年工作总结\n二、明年工作思路\n（一）支持企业", 2023, 2024)
    assert [s.year for s in sections[1:]] == [2023, 2024, 2024]


def test_text_before_the_first_heading_is_the_preamble():
    sections = sections_of("今年以来，园区稳步发展。\n一、总结\n正文。")
    assert (sections[0].level, sections[0].title) == (0, "前言")
    assert sections[0].end == sections[1].start


def test_text_without_headings_is_one_section():
    sections = sections_of("园区今年发展良好。招商引资成效明显。")
    assert len(sections) == 1 and sections[0].title == "全文"


def test_sentences_split_on_stops_and_line_breaks():
    assert [s.text for s in split_sentences("一是加强。二是推进！三是？四是；五是\n六是")] == [
        "一是加强。", "二是推进！", "三是？", "四是；", "五是", "六是"]


def test_sentences_never_split_inside_quotes_titles_or_brackets():
    text = "深化“放管服。改革”行动。出台《关于加快发展；的意见》等文件。完成（含续建。项目）投资。"
    assert [s.text for s in split_sentences(text)] == [
        "深化“放管服。改革”行动。", "出台《关于加快发展；的意见》等文件。", "完成（含续建。项目）投资。"]


def test_an_unclosed_quote_does_not_swallow_the_rest_of_the_paragraph():
    text = "帮助企业解决“燃眉之急，解决痛点难点问题。全面落实政策。"
    assert len(split_sentences(text)) == 2


def test_sentence_offsets_point_into_the_cleaned_text():
    text = "一、总结\n今年以来，园区发展。招商成效明显。"
    for sentence in split_sentences(text):
        assert text[sentence.start:sentence.end] == sentence.text


@pytest.mark.parametrize("numeral, value", [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("7", 7), ("③", 3)])
def test_numerals(numeral, value):
    assert cn_to_int(numeral) == value


def test_evolve_is_dataclasses_replace_for_a_section():
    from dataclasses import replace

    import pytest

    from toolkit.structure import Section, evolve

    section = Section(3, 1, 2, "（一）", "招商引资", "review", 2023, 10, 90, None, (12, 16), "title")
    assert evolve(section, role="plan", end=80) == replace(section, role="plan", end=80)
    assert section.role == "review"  # a new section; the old one unchanged
    assert hash(evolve(section)) == hash(section)
    with pytest.raises(TypeError):
        evolve(section, colour="red")
