"""Report metadata and section roles on invented reports of the genre: period and kind from the title and the
review's figures, year from review section / opening / title (``year_source``), park type from the report's own
designation, roles from cues, part lines, plan documents and content (``role_source``)."""

from __future__ import annotations

import pytest

from toolkit.cleaning import clean_text
from toolkit.metadata import infer_metadata
from toolkit.structure import build_sections, content_role, document_title, role_of


def meta(text: str) -> dict:
    clean = clean_text(text)
    return infer_metadata(clean, build_sections(clean.text))


def roles(text: str) -> list[tuple[str, str, str | None]]:
    return [(s.title, s.role, s.role_source) for s in build_sections(clean_text(text).text) if s.level]


# --- period and kind -----------------------------------------------------------------------------------
def test_a_half_year_report_is_read_from_its_title():
    found = meta("青山产业园2024年上半年工作总结及下半年工作安排\n今年以来，园区稳中求进。\n一、主要工作开展情况\n"
                 "园区新签约项目12个。\n二、下半年工作安排\n将加快项目建设。")
    assert (found["period"], found["kind"], found["report_year"]) == ("上半年", "half-year", 2024)


@pytest.mark.parametrize("opening, period", [
    ("前三季度，园区完成工业总产值56亿元，同比增长7%。", "前三季度"),
    ("1-10月，园区完成工业总产值56亿元，同比增长7%。", "1-10月"),
    ("截至11月底，园区完成工业总产值56亿元。", "1-11月"),
    ("全年实现工业总产值56亿元，同比增长7%。", "全年"),
    ("一年来，园区上下团结奋进，完成投资20亿元。", "全年"),
    ("2023年1月—12月，园区累计完成工业总产值56亿元。", "全年"),
    ("2023年，园区实现营业收入56亿元，同比增长7%。", "全年"),
])
def test_the_period_is_the_span_the_reviewed_figures_cover(opening, period):
    assert meta(f"{opening}\n一、2023年工作总结\n园区稳步发展。")["period"] == period


@pytest.mark.parametrize("opening", ["*-*月，园区完成工业总产值*亿元。", "园区新签约项目12个，总投资30亿元。"])
def test_no_period_when_the_figures_name_no_span(opening):
    found = meta(f"{opening}\n一、2023年工作总结\n园区稳步发展。")
    assert found["period"] is None and found["kind"] == "annual"


def test_a_half_year_heading_over_whole_year_figures_is_an_annual_report():
    found = meta("2023年以来，园区稳步发展。\n一、上半年工作情况\n（一）经济指标稳中向好\n"
                 "2023年1月—12月，园区完成工业总产值80亿元。")
    assert (found["period"], found["kind"]) == ("全年", "annual")


def test_a_briefing_for_a_visit_is_kind_other():
    found = meta("白河产业集聚区建设情况汇报提纲\n尊敬的各位领导：下面，我把集聚区建设情况作以汇报。"
                 "前三季度，集聚区实现营业收入80亿元，同比增长12%。")
    assert (found["kind"], found["period"], found["park_type"]) == ("other", "前三季度", "产业集聚区")


def test_a_year_end_briefing_with_a_plan_is_not_a_plan_document():
    found = meta("开发区2023年经济运行情况和2024年工作打算汇报\n今年以来，开发区稳中求进。"
                 "预计全年实现地区生产总值300亿元，增长6%；完成固定资产投资80亿元，增长9%。")
    assert (found["kind"], found["period"], found["plan_year"]) == ("annual", "全年", 2024)


def test_a_plan_document_has_kind_plan_and_plan_roles():
    text = ("高新区管委会2024年工作要点\n2024年是攻坚之年，要坚持稳中求进。\n一、聚焦主导产业，打造产业集群\n"
            "将加快引进龙头项目，力争新签约项目20个。\n二、优化营商环境\n要深化审批制度改革。")
    found = meta(text)
    assert (found["kind"], found["period"]) == ("plan", None)
    sections = build_sections(clean_text(text).text)
    assert [(s.role, s.role_source) for s in sections] == [("plan", "inherited")] * 3


def test_a_review_of_a_five_year_plan_period_is_a_term_report():
    found = meta("各位代表：\n一、十三五工作回顾\n过去五年，全区经济实力显著增强。\n二、2021年工作安排\n将加快发展。")
    assert found["kind"] == "term" and found["period"] is None


# --- report year and its source ------------------------------------------------------------------------
def test_a_heading_year_wins_over_the_title_year():
    found = meta("园区2020年工作总结\n今年以来，园区稳步发展。\n一、2022年工作总结\n园区稳步发展。")
    assert (found["report_year"], found["year_source"]) == (2022, "heading")


def test_an_opening_year_wins_over_the_title_year():
    found = meta("园区2020年工作总结\n2021年，园区经受住了考验。\n一、主要工作开展情况\n园区稳步发展。")
    assert (found["report_year"], found["year_source"]) == (2021, "opening")


def test_the_title_year_is_the_last_resort_and_a_delivery_date_is_not_a_year_reviewed():
    found = meta("园区2021年度工作总结\n（2022年1月10日）\n同志们：\n一年来，园区稳步发展。\n一、主要工作开展情况\n"
                 "园区稳步发展。")
    assert (found["report_year"], found["year_source"]) == (2021, "title")


def test_the_year_a_review_states_its_own_figures_for_wins_over_its_title():
    found = meta("一、2021年工作总结\n2020年全区完成固定资产投资56亿元，比增8%。\n二、2022年工作思路\n将加快发展。")
    assert (found["report_year"], found["year_source"]) == (2020, "heading")


def test_a_planned_year_named_in_the_title_is_the_plan_year_when_it_follows_the_year_reviewed():
    assert meta("园区工作总结及2024年工作安排\n一、2023年工作开展情况\n园区稳步发展。")["plan_year"] == 2024
    assert meta("园区工作总结及2026年工作安排\n一、2023年工作开展情况\n园区稳步发展。")["plan_year"] is None


def test_no_year_at_all_is_none():
    found = meta("今年以来，园区稳步发展。\n一、主要工作情况\n园区新签约项目12个。")
    assert found["report_year"] is None and found["year_source"] is None


# --- park ----------------------------------------------------------------------------------------------
def test_the_park_name_never_reaches_back_into_a_title_glued_to_the_body():
    found = meta("Ⓧ年工业区管委会工作总结青山工业园区作为全县工业主平台，发展势头良好。一、前三季度工作进展情况园区稳步发展。")
    assert (found["park"], found["park_type"]) == ("青山工业园区", "工业园区")


def test_a_year_before_the_self_designation_is_not_part_of_the_name():
    assert meta("2022年度开发区管委会工作总结 一年来，开发区坚持项目为王。\n一、主要工作\n项目推进。")["park"] == "开发区"


def test_of_two_designations_written_together_the_last_names_the_park():
    assert meta("今年，开发区工业园完成产值5亿元。\n一、主要工作\n推进。")["park_type"] == "工业园区"


def test_a_body_that_says_only_kaifaqu_takes_the_full_designation_of_its_own_title():
    found = meta("青山经济技术开发区管委会工作要点\n开发区的指导思想是稳中求进。\n一、加快项目建设\n将引进项目。")
    assert found["park_type"] == "经济开发区"
    assert meta("开发区工作总结\n今年，开发区稳中求进。\n一、主要工作\n推进。")["park_type"] == "开发区"


@pytest.mark.parametrize("name, park_type", [("翠湖新区", "新区"), ("东城工贸园", "工业园区"), ("北湖产业集聚区", "产业集聚区")])
def test_more_designations_of_the_genre(name, park_type):
    assert meta(f"今年以来，{name}稳步发展。\n一、主要工作\n推进。")["park_type"] == park_type


# --- document title ------------------------------------------------------------------------------------
def test_title_lines_stop_at_the_salutation_or_the_body():
    title = document_title("园区2023年工作总结\n稳中求进 再创佳绩\n（2024年1月5日）\n同志们：\n现在，我代表管委会作报告。")
    assert title.lines == ("园区2023年工作总结", "稳中求进 再创佳绩", "（2024年1月5日）")


def test_a_body_line_is_no_title():
    assert document_title("今年以来，园区稳步发展。").lines == ()


# --- roles ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("title, role", [("重点工作推进情况", "review"), ("重点工作完成情况", "review"),
                                         ("园区建设运营情况", "review"), ("一季度工作情况", "review"),
                                         ("主要做法及成效", "review"), ("当前面临的主要困难", "problem"),
                                         ("下半年工作打算", "plan"), ("2024年工作部署", "plan"),
                                         ("下一步重点工作推进情况", "mixed")])
def test_titles_of_the_genre_name_their_role(title, role):
    assert role_of(title, "other") == role


def test_a_top_level_section_without_a_cue_takes_its_role_from_its_sentences():
    text = ("一、产业发展跃上新台阶\n园区完成工业总产值80亿元，同比增长9%。新签约项目12个。\n（一）招商引资\n"
            "引进项目5个。\n二、奋力开创新局面\n明年将加快项目建设，力争新签约项目15个。要抓好要素保障。")
    assert roles(text) == [("产业发展跃上新台阶", "review", "content"), ("招商引资", "review", "inherited"),
                           ("奋力开创新局面", "plan", "content")]


def test_a_section_with_neither_results_nor_commitments_stays_other():
    assert roles("一、党建引领\n坚持党的领导。")[0][1:] == ("other", None)


def test_a_part_line_above_the_headings_gives_them_its_role():
    text = "青山新区2023年工作总结及2024年工作部署\n2023年工作总结\n一年来，新区稳步发展。\n一、湾区合作跃上新水平\n规划编制出台。"
    assert roles(text) == [("湾区合作跃上新水平", "review", "inherited")]


def test_content_role_counts_each_sentence_once():
    assert content_role("园区完成投资5亿元。将加快建设。要抓好落实。") == "plan"
    assert content_role("坚持党的领导。") is None


def test_a_planned_figure_in_the_opening_names_no_span():
    assert meta("2024年，园区将完成投资20亿元。\n一、2023年工作总结\n园区稳步发展。")["period"] is None


def test_a_park_named_in_the_leadership_clause_is_a_superior_not_the_report_itself():
    found = meta("今年以来，在市委、市政府和高新区党工委的坚强领导下，青山工业园稳步发展。\n一、主要工作\n推进。")
    assert (found["park"], found["park_type"]) == ("青山工业园", "工业园区")


def test_a_horizon_year_in_the_opening_is_not_the_year_reviewed():
    found = meta("今年以来，园区为实现到2025年建成千亿园区打下基础。2023年，园区经受住了考验。\n一、主要工作情况\n推进。")
    assert (found["report_year"], found["year_source"]) == (2023, "opening")


def test_a_month_range_in_the_title_is_the_period_when_the_body_names_none():
    assert meta("园区1-10月工作总结\n今年以来，园区稳步发展。\n一、主要工作开展情况\n园区稳步发展。")["period"] == "1-10月"


def test_a_year_written_in_chinese_numerals_counts():
    found = meta("一、二〇二三年工作总结\n园区稳步发展。\n二、二〇二四年工作计划\n将加快发展。")
    assert (found["report_year"], found["plan_year"]) == (2023, 2024)


def test_a_first_half_named_by_its_months_is_a_half_year_report():
    found = meta("今年以来，园区稳步发展。\n一、主要工作完成情况\n1-6月，园区完成工业总产值30亿元，同比增长6%。")
    assert (found["period"], found["kind"]) == ("1-6月", "half-year")


@pytest.mark.parametrize("title", ["2023年主要工作及成效", "重点举措和成果"])
def test_work_and_results_titles_are_reviews(title):
    assert role_of(title, "other") == "review"


def test_a_sentence_opened_by_the_year_that_reports_results_covers_the_whole_year():
    found = meta("2023年，经开区在区委区政府的坚强领导下，实现地区生产总值120亿元，同比增长6.5%。\n一、2023年工作回顾\n推进。")
    assert found["period"] == "全年"
    assert meta("2024年，园区将在上级领导下，完成投资20亿元。\n一、2023年工作回顾\n推进。")["period"] is None


def test_an_exact_span_in_the_same_sentence_wins_over_the_year():
    found = meta("2023年，园区稳中求进，1-9月完成工业总产值30亿元。\n一、2023年工作回顾\n推进。")
    assert found["period"] == "1-9月"


def test_a_title_naming_several_years_is_a_term_report():
    assert meta("南湖工业园区“十四五”以来工作总结\n园区坚持工业强区。\n一、主要成效\n累计完成投资300亿元。")["kind"] == "term"


def test_a_users_role_rules_reach_the_plan_document_and_its_kind(tmp_path):
    import toolkit as tk

    rules = tmp_path / "roles.csv"
    rules.write_text("role,pattern\nplan,纲要$\nreview,总结$\n", encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text("园区2024年发展纲要\n要坚持稳中求进。\n一、聚焦主导产业\n将引进项目。\n", encoding="utf-8")
    assert tk.parse_report(report).inferred["kind"] == "annual"  # the package rules know no 纲要
    found = tk.parse_report(report, config=tk.Config(section_roles=str(rules)))
    assert (found.inferred["kind"], found.inferred["report_year"], found.inferred["plan_year"]) == ("plan", 2023, 2024)


@pytest.mark.parametrize("opening, park", [("我代表高新区党工委作报告。", "高新区"),
                                           ("下面，我把东山县产业集聚区建设情况作以汇报。", "东山县产业集聚区"),
                                           ("回顾总结开发区一年来的工作。", "开发区")])
def test_a_verb_before_the_self_designation_is_not_part_of_the_name(opening, park):
    assert meta(f"{opening}\n一、主要工作\n推进。")["park"] == park


def test_the_opening_of_a_report_without_a_preamble_is_its_first_paragraph():
    found = meta("园区工作总结及2024年工作安排\n一、2023年工作开展情况\n今年以来，县经开区聚焦争先进位。")
    assert (found["park"], found["park_type"]) == ("县经开区", "经济开发区")


def test_a_traditional_park_name_is_given_without_pinyin_glosses():
    assert meta("今年，開發(fā)區(qū)工業(yè)園穩步發展。\n一、主要工作\n推進。")["park"] == "開發區工業園"
