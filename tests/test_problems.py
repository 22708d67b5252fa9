"""Problem detection: the seed gold, 40+ hand-written sentences, the recurrence matrix and answers."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import toolkit as tk
from toolkit.difficulties import categories, detect_text

from .conftest import GOLD_PATH, seed_ids

GOLD = {k: v for k, v in json.loads(GOLD_PATH.read_text(encoding="utf-8")).items() if not k.startswith("_")}
IDS = seed_ids()
MUST = [(key, category, evidence) for key, value in sorted(GOLD.items())
        for category, evidence in value["problems"]["must"].items()]


@pytest.fixture(scope="module")
def hits(corpus):
    return tk.problems(corpus)


@pytest.mark.parametrize("key, category, evidence", MUST, ids=[f"{IDS[k]}-{c}" for k, c, _ in MUST])
def test_every_must_category_is_detected_with_its_evidence(hits, key, category, evidence):
    found = hits[(hits["report_id"] == IDS[key]) & (hits["category"] == category) &
                 hits["statement"].isin(["problem", "remedy"])]
    phrases = [tk.clean_text(e).text for e in evidence]
    assert any(p in sentence for sentence in found["sentence"] for p in phrases), found[["cue", "sentence"]]


@pytest.mark.parametrize("key", sorted(GOLD))
def test_no_category_outside_must_and_may_is_reported_as_a_problem(hits, key):
    allowed = set(GOLD[key]["problems"]["must"]) | set(GOLD[key]["problems"]["may"])
    problems = hits[(hits["report_id"] == IDS[key]) & (hits["statement"] == "problem")]
    assert set(problems["category"]) <= allowed, problems[~problems["category"].isin(allowed)][["category", "cue"]]


# (sentence, role, expected (category, statement) pairs)
HAND = [
    # land
    ("园区项目用地紧张。", "review", [("land", "problem")]),
    ("工业用地紧缺是园区发展的一个最大的瓶颈。", "review", [("land", "problem")]),
    ("为解决工业用地紧张、小微企业孵化器缺失等问题，投资建设创业谷。", "review",
     [("land", "problem"), ("infrastructure", "problem")]),
    ("随着园区土地资源日趋紧缺，招商工作以质量为先。", "plan", [("land", "problem")]),
    ("科学破解要素制约，拓展园区发展空间。", "plan", [("land", "remedy")]),
    ("加大低效用地盘活力度。", "plan", [("land", "remedy")]),
    ("累计盘活低效用地*亩。", "review", [("land", "achievement")]),
    ("项目用地指标尚未取得。", "review", [("land", "problem"), ("institutional", "problem")]),
    # labour and talent
    ("企业招工依然不乐观，部分企业存在用工缺口。", "review", [("labour", "problem"), ("labour", "problem")]),
    ("工人老龄化问题突出。", "review", [("labour", "problem")]),
    ("帮助企业规范用工，减少了用工矛盾。", "review", [("labour", "achievement")]),
    ("通过直播带岗帮助企业缓解招工难。", "plan", [("labour", "remedy")]),
    ("通过直播带岗帮助企业招工。", "plan", []),  # a topic without a difficulty word is no hit
    ("企业缺少专业技术人才。", "review", [("talent", "problem")]),
    ("高层次人才引进难。", "review", [("talent", "problem")]),
    ("新引进高级人才*名。", "review", []),
    # finance, market, cost
    ("企业资金周转困难，融资难问题仍然存在。", "review", [("finance", "problem"), ("finance", "problem")]),
    ("切实帮助企业解决了资金周转难的问题。", "review", [("finance", "achievement")]),
    ("拓宽融资渠道，与银行达成战略合作。", "review", []),
    ("外需不振，国内消费乏力。", "review", [("market", "problem"), ("market", "problem")]),
    ("下游市场需求量下降，产品销售疲软。", "review", [("market", "problem"), ("market", "problem")]),
    ("原材料成本上升，能源价格上涨。", "review", [("cost", "problem"), ("cost", "problem")]),
    ("降低融资成本*个BP。", "plan", []),
    # external shocks
    ("受新冠疫情影响，部分企业停工。", "review", [("external_shock", "problem")]),
    ("中美贸易摩擦带来较大冲击。", "review", [("external_shock", "problem")]),
    ("俄乌战争导致物流受阻。", "review", [("external_shock", "problem"), ("external_shock", "problem")]),
    ("疫情防控有力，园区无一例感染。", "review", []),
    ("园区经济基本摆脱疫情影响。", "review", [("external_shock", "achievement")]),
    # environment and safety
    ("园区异味投诉较多。", "review", [("env_safety", "problem")]),
    ("开展安全隐患大排查、大整治。", "plan", [("env_safety", "remedy")]),
    ("确保不发生较大以上环境事故。", "plan", [("env_safety", "target")]),
    ("全年未发生重大安全隐患。", "review", [("env_safety", "negation")]),
    ("基本消除高风险。", "review", [("env_safety", "achievement")]),
    ("处理了园区污水厂超标排放等问题。", "review", [("env_safety", "achievement")]),
    # infrastructure, institutional, investment
    ("园区配套设施不完善，基础设施建设滞后。", "review",
     [("infrastructure", "problem"), ("infrastructure", "problem")]),
    ("南区用地尚未纳入国土空间规划。", "review", [("land", "problem"), ("institutional", "problem")]),
    ("园区现有化工企业*家不在集中区范围内。", "review", [("institutional", "problem")]),
    ("帮助企业解决审批难问题。", "plan", [("institutional", "remedy")]),
    ("近几年实体外资项目引进数量少，导致完成实到外资任务困难。", "plan",
     [("investment", "problem"), ("investment", "problem")]),
    ("对招商引资考核工作造成了较大压力。", "plan", [("investment", "problem")]),
    # performance
    ("企业生产经营依然严峻。", "review", [("performance", "problem")]),
    ("纺织行业营业收入*亿元，同比下降*%。", "review", [("performance", "problem")]),
    ("规上工业总产值*亿元，同比增长-*%。", "review", [("performance", "problem")]),
    ("预计大部分企业仍旧比较困难。", "plan", [("performance", "problem")]),
    ("氮氧化物排放量年均下降*%。", "review", []),
    ("主要经济指标实现较大幅度回升。", "review", []),
]


@pytest.mark.parametrize("text, role, expected", HAND, ids=[h[0][:14] for h in HAND])
def test_hand_written_sentences(text, role, expected):
    assert [(h["category"], h["statement"]) for h in detect_text(text, role)] == expected


def test_hand_written_set_covers_every_category_and_statement_type():
    assert len(HAND) >= 40
    covered = {c for _, _, expected in HAND for c, _ in expected}
    assert covered == set(categories())
    statements = {s for _, _, expected in HAND for _, s in expected}
    assert statements == {"problem", "remedy", "achievement", "target", "negation"}


def test_anything_named_in_a_problem_section_is_a_problem():
    assert [(h["category"], h["statement"]) for h in detect_text("上半年疫情形势。", "problem")] == \
        [("external_shock", "problem")]
    assert detect_text("上半年疫情形势。", "review") == []


def test_hits_record_section_path_and_problem_section(hits, corpus):
    labour = hits[(hits["report_id"] == "2022h1-hitech") & (hits["category"] == "labour") &
                  (hits["statement"] == "problem")]
    assert labour["in_problem_section"].all() and labour["path"].str.startswith("四、").all()
    for row in labour.itertuples():
        assert corpus[row.report_id].original[row.start:row.end] == row.cue


def test_recurrence_matrix_has_every_category(hits, corpus):
    matrix = tk.recurrence(hits, report_ids=corpus.report_ids)
    assert list(matrix.columns) == categories()
    assert list(matrix.index) == corpus.report_ids
    # problem statements (sentences), not cues: the labour cues of 2022h1-hitech stand in two sentences
    assert matrix.loc["2022h1-hitech", "land"] >= 3 and matrix.loc["2022h1-hitech", "labour"] == 2


def test_answered_links_a_problem_to_a_remedy_in_the_same_reports_plan(corpus, hits):
    table = tk.answered(corpus, hits).set_index(["report_id", "category"])
    assert table.loc[("2023-wangchun-industrial", "land"), "answered"]
    assert not table.loc[("2022h1-hitech", "market"), "answered"]


def test_a_custom_taxonomy_replaces_the_default(tmp_path):
    taxonomy = tmp_path / "taxonomy.csv"
    taxonomy.write_text("category,description,cues,topics\nwater,water shortage,缺水|水资源紧张,\n", encoding="utf-8")
    found = detect_text("园区缺水，用地紧张。", config=tk.Config(problem_taxonomy=str(taxonomy)))
    assert [(h["category"], h["statement"]) for h in found] == [("water", "problem")]


ANSWERS = ("一、2022年工作总结\n园区用地紧张，大项目缺乏，外需不振。\n二、存在的问题\n企业融资难、融资贵。\n"
           "三、2023年工作思路\n力争全年出让土地200亩以上。\n确保新引项目20个。\n")


def test_answered_counts_a_target_on_a_tied_indicator_and_lists_the_pairing(tmp_path):
    (tmp_path / "r.txt").write_text(ANSWERS, encoding="utf-8")
    corpus = tk.load_corpus(tmp_path)
    table = tk.answered(corpus).set_index("category")
    assert table.loc["land", "answered"] and table.loc["land", "answered_by"] == "indicator target (土地出让)"
    assert "出让土地" in table.loc["land", "response"]
    assert table.loc["investment", "answered"]  # 新引项目 is tied to investment
    assert not table.loc["finance", "answered"] and pd.isna(table.loc["finance", "answered_by"])
    assert not table.loc["market", "answered"]


def test_problems_are_counted_per_sentence_and_category(tmp_path):
    (tmp_path / "r.txt").write_text("一、存在的问题\n原材料成本上升，用工成本上涨，用工难，订单需求下降。\n", encoding="utf-8")
    corpus = tk.load_corpus(tmp_path)
    hits = tk.problems(corpus)
    assert (hits["category"].astype(str) == "cost").sum() >= 2  # two cues of one category …
    matrix = tk.recurrence(hits)
    assert matrix.loc["r", "cost"] == 1  # … make one statement
    assert matrix.loc["r", "labour"] == 1 and matrix.loc["r", "market"] == 1
    assert len(tk.problem_statements(hits)) == int(matrix.loc["r"].sum())


def test_a_difficulty_named_as_a_problem_is_a_problem_even_while_it_is_being_fixed():
    found = detect_text("全力推进河道污染治理不力问题整改工作。")
    assert [(h["category"], h["statement"]) for h in found] == [("env_safety", "problem")]
    assert [h["statement"] for h in detect_text("加大河道污染治理力度，推进整改。")] in ([], ["remedy"])


# Cue families: a category's subject with a shortage word (X少 / X不足 / 缺乏X / X难). Invented sentences.
FAMILY_CASES = [
    ("储备项目不足，开工项目少。", "review", [("investment", "problem"), ("investment", "problem")]),
    ("签约多、开工少。", "problem", [("investment", "problem")]),
    ("发展后劲明显不足。", "review", [("performance", "problem")]),
    ("园区缺乏龙头项目带动。", "review", [("investment", "problem")]),
    ("高端人才引进难。", "problem", [("talent", "problem")]),
    ("不少项目已开工投产。", "review", []),
    ("项目减少审批环节，企业少跑腿。", "review", []),
    ("大项目、好项目不断涌现。", "review", []),
    ("（三）盘活低效厂房", "plan", []),
    ("由于用地报批未能如期获批，项目被迫转移。", "review", [("land", "problem"), ("institutional", "problem")]),
    ("园区未能引进大项目。", "review", [("investment", "problem")]),
    ("项目已获批复，年内开工。", "review", []),
]


@pytest.mark.parametrize("text, role, expected", FAMILY_CASES, ids=[c[0][:10] for c in FAMILY_CASES])
def test_a_subject_with_a_shortage_word_is_a_problem_of_its_category(text, role, expected):
    assert [(h["category"], h["statement"]) for h in detect_text(text, role)] == expected


def test_a_plan_answers_a_problem_on_its_subject_and_a_named_indicator_only_by_that_indicator(tmp_path):
    (tmp_path / "r.txt").write_text("一、2022年工作总结\n受疫情影响，园区营业收入同比下降5%，河道污染问题突出。\n"
                                    "二、2023年工作思路\n确保工业总产值增长8%。\n确保园区污水全部达标处理。\n",
                                    encoding="utf-8")
    table = tk.answered(tk.load_corpus(tmp_path)).set_index("category")
    assert not table.loc["performance", "answered"]  # a 营业收入 problem is not answered by an output target
    assert table.loc["env_safety", "answered"]  # 确保…污水…达标: a target on the problem's subject


def test_a_party_building_staff_shortage_is_not_a_talent_problem():
    assert [h["category"] for h in detect_text("企业党建人才少。", "problem")] == []
