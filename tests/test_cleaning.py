"""Every cleaning rule: width and spacing, boilerplate, page markers, masked figures, offsets."""

from __future__ import annotations

import pytest

from toolkit.cleaning import MASK, boilerplate_rules, clean_text, normalize
from toolkit.resources import read_table


def test_full_width_digits_and_letters_become_half_width():
    assert normalize("２０２２年ＧＤＰ增长５．６％") == "2022年GDP增长5.6%"


def test_half_width_clause_punctuation_becomes_full_width():
    assert normalize("一是,签约(项目);二是:服务?好!") == "一是，签约（项目）；二是：服务？好！"


def test_commas_and_colons_between_digits_are_kept():
    assert normalize("完成1,000万元,时间10:30") == "完成1,000万元，时间10:30"


def test_every_kind_of_space_becomes_one_ascii_space_and_zero_width_goes():
    assert normalize("抓\u2002平台\u3000提优\u00a0好\u200b的") == "抓 平台 提优 好的"


def test_crlf_and_indentation_are_normalised_with_offsets_kept():
    original = "\ufeff  一、总结\r\n\r\n\u3000\u3000今年以来，园区发展。\r\n"
    cleaned = clean_text(original)
    assert cleaned.text == "一、总结\n今年以来，园区发展。"
    start = cleaned.text.index("今年")
    a, b = cleaned.to_original(start, start + 4)
    assert original[a:b] == "今年以来"


@pytest.mark.parametrize("rule", list(read_table("boilerplate.csv").itertuples(index=False)), ids=lambda r: r.rule)
def test_each_boilerplate_rule_removes_its_own_example(rule):
    body = "今年以来，园区各项工作稳步推进。"
    original = f"{body}\n{rule.example}\n{body}"
    cleaned = clean_text(original)
    assert cleaned.text.count(body) == 2
    assert any(r.rule == rule.rule for r in cleaned.removals)
    assert all(original[r.start:r.end] == r.text for r in cleaned.removals)


def test_inline_hidden_content_prompt_is_removed_but_its_sentence_stays():
    cleaned = clean_text("答复解决问题 当前隐藏内容免费查看X项；组织企业参加活动。")
    assert cleaned.text == f"答复解决问题 {MASK}项；组织企业参加活动。"
    assert [r.rule for r in cleaned.removals] == ["hidden_content"]


def test_editor_intro_at_the_start_of_a_body_line_removes_only_itself():
    cleaned = clean_text("下面是小编为大家整理的园区工作总结，供大家参考。今年以来，园区稳步发展。")
    assert cleaned.text == "今年以来，园区稳步发展。"


def test_report_text_that_mentions_reference_words_is_not_boilerplate():
    text = "园区坚持问题导向，为企业提供参考意见，版式设计获奖。"
    assert clean_text(text).text == text


def test_page_marker_continuing_a_sentence_is_removed_and_the_sentence_rejoined():
    original = ("累计完成企业服务X余家次，答复解决了企业反映的各类困难和问题，组织企业参加政策讲诊会等活动，帮助企业\n"
                "2、解决问题X项。\n（二）企业服务方面")
    cleaned = clean_text(original)
    assert f"帮助企业解决问题{MASK}项。" in cleaned.text
    assert [r.rule for r in cleaned.removals] == ["page_marker"]


def test_numbered_line_after_a_finished_sentence_is_kept():
    cleaned = clean_text("今年园区发展良好。\n2、项目建设稳步推进。")
    assert cleaned.text == "今年园区发展良好。\n2、项目建设稳步推进。"
    assert not cleaned.removals


def test_bare_page_number_lines_are_removed():
    cleaned = clean_text("园区发展良好。\n- 3 -\n第4页 共9页\n12\n项目推进。")
    assert cleaned.text == "园区发展良好。\n项目推进。"


@pytest.mark.parametrize("text, expected, kinds", [
    ("完成投资*亿元", f"完成投资{MASK}亿元", ["figure"]),
    ("新增企业X家", f"新增企业{MASK}家", ["figure"]),
    ("XX家企业", f"{MASK}家企业", ["figure"]),
    ("*-*月，园区", f"{MASK}-{MASK}月，园区", ["figure", "figure"]),
    ("20*年初", f"{MASK}年初", ["figure"]),
    ("20xx年工作总结", f"{MASK}年工作总结", ["figure"]),
    ("同比增长*.*%", f"同比增长{MASK}%", ["figure"]),
    ("计划发行PPNX亿元", f"计划发行PPN{MASK}亿元", ["figure"]),
    ("排名第*", f"排名第{MASK}", ["figure"]),
    ("*KV望海变", f"{MASK}KV望海变", ["figure"]),
    ("××万元", f"{MASK}万元", ["figure"]),
    ("＊亿元", f"{MASK}亿元", ["figure"]),
    ("*生态园", f"{MASK}生态园", ["name"]),
    ("X新区完成了滨汐路", f"{MASK}新区完成了滨汐路", ["name"]),
])
def test_masked_figures_and_names_become_one_mark(text, expected, kinds):
    cleaned = clean_text(text)
    assert cleaned.text == expected
    assert [m.kind for m in cleaned.masks] == kinds
    for mask in cleaned.masks:
        assert text[mask.start:mask.end] == mask.text


@pytest.mark.parametrize("text", ["开展CCTV排查", "使用Xbox和XML", "规格3x4米", "1-9月完成", "增长5.6%", "“3+1”产业", "2022年"])
def test_latin_words_products_and_plain_numbers_are_not_masks(text):
    cleaned = clean_text(text)
    assert cleaned.text == normalize(text)
    assert not cleaned.masks


def test_heading_number_before_a_masked_name_stays_a_heading_number():
    cleaned = clean_text("4.*动漫产业园收储盘活\n")
    assert cleaned.text == f"4.{MASK}动漫产业园收储盘活"
    assert [m.text for m in cleaned.masks] == ["*"]


def test_masked_span_maps_back_to_the_whole_original_run():
    original = "实现产值20*.*亿元。"
    cleaned = clean_text(original)
    start = cleaned.text.index(MASK)
    a, b = cleaned.to_original(start, start + 3)
    assert original[a:b] == "20*.*亿元"


def test_user_boilerplate_rules_replace_the_default(tmp_path):
    rules = tmp_path / "rules.csv"
    rules.write_text("# my site\nrule,scope,pattern,example\nmy_site,line,^来自某某网$,来自某某网\n", encoding="utf-8")
    cleaned = clean_text("园区发展良好。\n来自某某网\n版权所有：某网", str(rules))
    assert cleaned.text == "园区发展良好。\n版权所有：某网"
    assert len(boilerplate_rules(str(rules))) == 1


def test_body_sentences_naming_copyright_or_filing_numbers_are_kept():
    text = "加强知识产权保护，维护版权所有人合法权益，完成项目备案号登记工作。"
    assert clean_text(text).text == text
