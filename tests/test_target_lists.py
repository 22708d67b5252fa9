"""Lists of targets: a lead-in (主要预期目标为：/ 目标为：/ 主要指标：/ 力争：) gives every item its strength, across ；
in any section, until the list ends; a marker inside one item stays in that item. Invented sentences."""

from __future__ import annotations

import pytest

import toolkit as tk

LIST_CASES = [
    # (text, role, expected [(strength, floor)] for the targets found, in order)
    ("2025年主要预期目标为：规上工业增加值增长8%以上；工业投资增长12%以上；税收收入增长6%以上。", "review",
     [("expected", True)] * 3),
    ("2026年主要预期目标为：营业收入增长9%左右；新增规上企业12家。", "other",
     [("expected", False)] * 2),
    ("明年预期性指标：地区生产总值增长7%；社会消费品零售总额增长6%。", "plan", [("expected", False)] * 2),
    ("目标为：营业收入增长10%；新增规上企业5家。", "review", [(None, False)] * 2),
    ("主要指标为：实到外资3000万美元；新引项目20个以上。", "mixed", [(None, False), (None, True)]),
    ("力争：新开工项目15个；竣工项目10个；新增高企8家。", "plan", [("striving", False)] * 3),
    ("主要指标：投资增长18%、力争22%；其中制造业投资增长20%。", "review",
     [(None, False), ("striving", False), (None, False)]),
    ("主要预期目标：出口增长5%，力争8%；利用外资增长3%。", "plan",
     [("expected", False), ("striving", False), ("expected", False)]),
]


@pytest.mark.parametrize("text, role, expected", LIST_CASES, ids=[c[0][:14] for c in LIST_CASES])
def test_every_item_of_a_list_takes_the_lead_ins_strength(text, role, expected):
    found = tk.classify_text(text, role)
    assert [(t["strength"], t["floor"]) for t in found] == expected, found


LOOKALIKES = [
    ("主要指标完成情况：营业收入同比增长12%；新增规上企业5家。", "review"),  # a review of results, not a list of targets
    ("今年主要预期目标全部完成，超额完成招商任务。", "review"),
    ("园区围绕目标任务，扎实推进各项工作；招商引资成效明显。", "review"),
]


@pytest.mark.parametrize("text, role", LOOKALIKES, ids=[c[0][:10] for c in LOOKALIKES])
def test_lookalikes_of_a_list_are_not_targets(text, role):
    assert tk.classify_text(text, role) == []


def test_a_list_ends_with_its_sentence_or_line(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("一、2022年工作总结\n主要预期目标为：营业收入增长8%；新增企业5家。\n全年完成投资12亿元；新增就业300人。\n",
                      encoding="utf-8")
    found = tk.targets(tk.load_corpus(report))
    assert found["clause"].tolist() == ["营业收入增长8%", "新增企业5家"]


def test_a_comma_list_of_figures_is_one_item_per_figure_except_after_fenbie():
    items = tk.classify_text("力争新增规上企业8家、高企6家。", "plan")
    assert [(t["indicator"], t["strength"]) for t in items] == [("规上工业企业", "striving"),
                                                                  ("高新技术企业", "striving")]
    pairs = tk.classify_text("力争新能源、新材料产业产值分别突破50亿元、30亿元。", "plan")
    assert len(pairs) == 1 and pairs[0]["strength"] == "striving"  # 分别: names and figures pair across the list


@pytest.mark.parametrize("text", ["上半年完成投资12亿元，完成53.76%，比时间进度快3.76个百分点。",
                                  "重点项目完成年度计划的56%，超序时进度6个百分点。"])
def test_progress_against_a_plan_in_a_review_is_a_result(text):
    assert tk.classify_text(text, "review") == []
