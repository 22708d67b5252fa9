"""Cleaning and headings on the damage web copies carry: traditional script, pinyin glosses, chunk numbers,
reports without line breaks, site text glued to report text, masks before digits. Every sentence is invented."""

from __future__ import annotations

import pytest

import toolkit as tk
from toolkit.cleaning import REMOVAL_WARN_SHARE, clean_text, detect_script
from toolkit.structure import build_sections, find_headings


def headings(text: str) -> list[tuple[int, str, str]]:
    return [(h.level, h.number, h.title) for h in find_headings(clean_text(text).text)]


# --- script ---------------------------------------------------------------------------------------------
def test_traditional_text_is_read_in_simplified_and_maps_back_to_the_original():
    original = "二、重點項目建設情況\n園區完成工業總產值12億元，同比增長8%。"
    cleaned = clean_text(original)
    assert cleaned.script == "traditional"
    assert cleaned.text == "二、重点项目建设情况\n园区完成工业总产值12亿元，同比增长8%。"
    start = cleaned.text.index("工业总产值")
    a, b = cleaned.to_original(start, start + len("工业总产值12亿元"))
    assert original[a:b] == "工業總產值12億元"


def test_a_text_partly_in_traditional_is_mixed_and_converted():
    cleaned = clean_text("開發區管委會今年完成工业总产值，稅收增长。")
    assert cleaned.script == "mixed"
    assert cleaned.text.startswith("开发区管委会")


@pytest.mark.parametrize("text", ["园区完成工业总产值12亿元。", "乾元路项目开工。"])
def test_simplified_text_is_left_as_it_is(text):
    cleaned = clean_text(text)
    assert cleaned.script == "simplified" and cleaned.text == text


def test_script_of_a_text_without_chinese_is_simplified():
    assert detect_script("2023 report") == "simplified"


def test_pinyin_glosses_of_a_converter_are_removed_and_reported():
    cleaned = clean_text("開發(fā)區(qū)完成稅(shuì)收5億元。")
    assert cleaned.text == "开发区完成税收5亿元。"
    assert {r.rule for r in cleaned.removals} == {"pinyin_gloss"}
    assert clean_text("园区（一期）完成投资。").text == "园区（一期）完成投资。"  # not a gloss


def test_traditional_headings_get_their_roles():
    sections = build_sections(clean_text("一、主要指標完成情況\n園區完成產值5億元。\n二、下一步工作打算\n").text)
    assert [s.role for s in sections[1:]] == ["review", "plan"]


# --- chunks, pages and site text ------------------------------------------------------------------------
CHUNKED = ("1、新城产业园年度工作总结 一年来，新城产业园坚持项目为王，全年完成工业产值12亿元，同比增长9%；"
           "新增规上企业6家，完成固定资产投资8亿元，占年任务\n"
           "2、的一半以上。一、主要经济指标完成情况 全年完成税收1.2亿元。二、项目建设稳步推进 新开工项目9个，其中亿元"
           "以上项目3个，竣工项目\n3、共5个。")


def test_a_chunk_number_at_the_start_of_a_chunked_copy_is_no_heading():
    cleaned = clean_text(CHUNKED)
    assert cleaned.text.startswith("新城产业园年度工作总结")
    assert [r.rule for r in cleaned.removals] == ["page_marker"] * 3
    assert [(level, number) for level, number, _ in headings(CHUNKED)] == [(1, "一"), (1, "二")]


def test_a_numbered_first_line_without_page_markers_stays_a_heading():
    assert headings("1.项目建设\n完成投资5亿元。\n2.招商引资\n签约项目3个。")[0][:2] == (3, "1")


def test_tail_boilerplate_on_a_report_without_line_breaks_stops_where_the_report_starts():
    body = "今年以来，园区坚持高质量发展，完成固定资产投资20亿元，同比增长12%。" * 8
    cleaned = clean_text("相关热词搜索：开发区 工作总结 园区 " + body)
    assert cleaned.text == body
    assert cleaned.removals[0].rule == "related_searches" and not cleaned.notes


def test_tail_boilerplate_at_the_end_of_a_page_still_goes_to_the_end_of_its_line():
    cleaned = clean_text("园区稳步发展。\n版权所有：某某文档网 2018-2024 未经授权禁止复制。备案号：京ICP备1号")
    assert cleaned.text == "园区稳步发展。"


def test_a_cleaning_step_that_removes_much_of_a_report_warns(tmp_path):
    rules = tmp_path / "rules.csv"
    rules.write_text("rule,scope,pattern\nall_of_it,span,园区稳步发展[^。]*。\n", encoding="utf-8")
    cleaned = clean_text("园区稳步发展，各项工作全面推进。项目落地。", str(rules))
    assert cleaned.notes and f"{REMOVAL_WARN_SHARE:.0%}" in cleaned.notes[0]
    report = tmp_path / "r.txt"
    report.write_text("园区稳步发展，各项工作全面推进，完成投资五亿元。\n一、项目建设\n项目落地。", encoding="utf-8")
    with pytest.warns(tk.ReportWarning, match="boilerplate removal took"):
        tk.load_corpus([report], config=tk.Config(boilerplate=str(rules)))


def test_a_page_metadata_line_is_site_text():
    cleaned = clean_text("某区2021年工作报告\n发布时间：2021-03-02 10:20 来源：某某管委会办公室\n各位代表：")
    assert "发布时间" not in cleaned.text and "管委会" not in cleaned.text


@pytest.mark.parametrize("original, cleaned", [("招聘员工xx120人。", "招聘员工Ⓧ120人。"),
                                               ("20xx年完成投资。", "Ⓧ年完成投资。"),
                                               ("完成投资*120万元。", "完成投资Ⓧ万元。")])
def test_a_mask_before_digits_masks_only_the_letters(original, cleaned):
    assert clean_text(original).text == cleaned


# --- headings in text without line breaks -----------------------------------------------------------------
def test_a_level_one_heading_after_a_title_run_and_a_lost_line_break():
    text = "2021年工作总结暨2022年工作计划 一、2021年工作总结 今年以来，园区稳中求进。（一）产业能级稳步提升园区主导产业增长。"
    assert headings(text) == [(1, "一", "2021年工作总结"), (2, "一", "产业能级稳步提升园区主导产业增长")]


def test_a_space_inside_a_title_next_to_a_number_does_not_end_it():
    assert headings("一、2021 年工作总结\n园区发展。")[0][2] == "2021 年工作总结"


def test_a_numeral_after_a_space_in_body_text_is_not_a_heading():
    assert headings("园区完成投资 三、四季度将加快建设。") == []


def test_a_level_one_title_stops_at_the_colon_that_opens_its_first_item():
    assert headings("二、主要困难：一是融资难，二是招工难。")[0][2] == "主要困难"
    assert headings("二、发展目标：建成千亿园区。")[0][2] == "发展目标：建成千亿园区"


def test_parenthesised_and_circled_numbers_are_level_three_where_no_arabic_level_is_used():
    text = "（一）主要指标完成情况\n（1）工业产值。一是总量增长。二是结构优化。\n（2）税收收入。\n（二）项目建设\n①一期工程。\n②二期工程。"
    found = headings(text)
    assert found == [(2, "一", "主要指标完成情况"), (3, "1", "工业产值"), (3, "2", "税收收入"), (2, "二", "项目建设"),
                     (3, "①", "一期工程"), (3, "②", "二期工程")]
    items = [s for s in build_sections(clean_text(text).text) if s.level == 4]
    assert [s.number for s in items] == ["一是", "二是"]  # the items stay children of （1）


def test_parenthesised_numbers_stay_level_four_under_an_arabic_level():
    found = headings("（一）指标\n1.产值\n（1）工业产值。\n（2）服务业。\n2.税收")
    assert [(level, number) for level, number, _ in found] == [(2, "一"), (3, "1"), (4, "1"), (4, "2"), (3, "2")]


def test_a_two_phrase_title_with_a_space_stays_whole():
    assert headings("一、凝心聚力 攻坚克难\n园区发展。")[0][2] == "凝心聚力 攻坚克难"


def test_a_level_one_heading_glued_to_the_title_run_of_a_one_line_report():
    text = ("高新区2022年工作总结及2023年工作思路一、2022年工作总结作为全市工业主平台，园区完成投资30亿元。"
            "（一）产业能级稳步提升园区主导产业增长12%。（二）项目建设提速新开工项目15个。")
    assert [(level, number) for level, number, _ in headings(text)] == [(1, "一"), (2, "一"), (2, "二")]
    assert headings(text)[0][2].startswith("2022年工作总结")
    assert headings("园区工作总结一、二季度完成投资5亿元。") == []


def test_a_title_that_runs_into_a_sentence_after_a_space_is_cut_there():
    text = "一、招商引资取得新突破 全年引进项目20个。二、项目建设跑出加速度 新开工项目12个。"
    assert [title for _, _, title in headings(text)] == ["招商引资取得新突破", "项目建设跑出加速度"]
