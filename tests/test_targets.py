"""Target extraction and classification: the seed gold, 30+ hand-written sentences, results kept apart."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import toolkit as tk
from toolkit.commitments import classify_text

from .conftest import GOLD_PATH, seed_ids

GOLD = {k: v for k, v in json.loads(GOLD_PATH.read_text(encoding="utf-8")).items() if not k.startswith("_")}
IDS = seed_ids()
GOLD_TARGETS = [(key, target) for key, value in sorted(GOLD.items()) for target in value["targets"]]


@pytest.fixture(scope="module")
def table(corpus):
    return tk.targets(corpus)


def _same(value, expected) -> bool:
    return (expected is None and pd.isna(value)) or value == expected


@pytest.mark.parametrize("key, target", GOLD_TARGETS, ids=[t["contains"] for _, t in GOLD_TARGETS])
def test_every_gold_target_is_extracted_with_its_classification(table, key, target):
    fragment = tk.clean_text(target["contains"]).text
    rows = table[(table["report_id"] == IDS[key]) & table["sentence"].str.contains(fragment, regex=False)]
    assert len(rows), f"no target sentence holds {target['contains']}"
    matching = [r for r in rows.itertuples()
                if _same(r.strength, target["strength"]) and r.floor == target["floor"]
                and r.quantitative == target["quantitative"]
                and ("indicator" not in target or target["indicator"] in (r.indicator, r.indicator_text))]
    assert matching, rows[["clause", "strength", "floor", "quantitative", "indicator"]].to_string()


def test_results_in_review_sections_are_not_targets(table, corpus):
    results = tk.results(corpus)
    assert len(results) > 50
    reviewed = set(zip(results["report_id"], results["start"]))
    assert not reviewed & set(zip(table["report_id"], table["start"]))
    review_targets = table[table["role"] == "review"]
    assert not review_targets["clause"].str.contains("同比增长|已完成|累计完成").any()


def test_results_carry_growth_and_masks_as_written(corpus):
    results = tk.results(corpus)
    row = results[results["clause"].str.contains("园区实现规上工业总产值")].iloc[0]
    assert (row["indicator"], row["value_text"], row["unit"], row["masked"]) == ("规上工业总产值", "*", "亿元", True)
    assert pd.isna(row["value"]) and row["unit_factor"] == 1e8  # a masked figure has no number
    assert (row["growth_basis"], row["growth_direction"], row["growth_value"]) == ("同比", "up", "*")
    falling = results[results["clause"].str.contains("完成规上工业总产值") & (results["report_id"] ==
                                                                           "2023-wangchun-industrial")].iloc[0]
    assert falling["growth_direction"] == "down"  # 同比增长-*%


# (text, role, expected list of (strength, floor, quantitative, indicator) for the targets found)
HAND = [
    ("力争全年新开工项目*个以上。", "plan", [("striving", True, True, "新开工项目")]),
    ("确保不发生较大以上环境事故。", "plan", [("binding", False, False, None)]),
    ("确保完成规上工业总产值*亿元。", "plan", [("binding", False, True, "规上工业总产值")]),
    ("争取实到外资*万美元。", "plan", [("striving", False, True, "实到外资")]),
    ("努力实现营业收入翻番。", "plan", [("striving", False, True, "营业收入")]),
    ("冲刺千亿产值。", "plan", [("striving", False, False, None)]),
    ("计划引进高新技术企业5家。", "plan", [("planned", False, True, "高新技术企业")]),
    ("拟投资*万元建设标准厂房。", "plan", [("planned", False, True, "投资")]),  # open vocabulary: the name as written
    ("园区将于年底前建成投用。", "plan", [("planned", False, False, None)]),
    ("到2025年底，规上工业产值实现*亿元。", "plan", [("planned", False, True, "规上工业总产值")]),
    ("预计全年税收收入*亿元。", "plan", []),  # 预计 forecasts: never a target (issue 13 scheme)
    ("全年签约项目有望突破*个。", "review", []),  # 有望 forecasts too
    ("主要预期目标：税收收入增长*%。", "plan", [("expected", False, True, "税收")]),  # 预期目标: an anticipatory target
    ("主要预期目标：营业收入达到*亿元，同比增长*%。", "plan",
     [("expected", False, True, "营业收入"), ("expected", False, True, "营业收入")]),
    ("目标全年新增高企维持在*家以上。", "plan", [(None, True, True, "高新技术企业")]),
    ("固定资产投资增长不低于10%。", "plan", [(None, True, True, "固定资产投资")]),
    ("全年实现工业投资超过*亿元。", "plan", [(None, True, True, "工业投资")]),
    ("力争新增规上工业企业至少*家。", "plan", [("striving", True, True, "规上工业企业")]),
    ("力争*年底新引项目*个，固定资产投资达*亿元。", "plan",
     [("striving", False, True, "新引项目"), ("striving", False, True, "固定资产投资")]),
    ("力争全年引进外资项目X个以上，实际利用外资X万美元以上。", "plan",
     [("striving", True, True, "外资项目"), ("striving", True, True, "实到外资")]),
    ("确保安全生产形势稳定。", "plan", [("binding", False, False, None)]),
    ("必须完成省下达的节能减排任务。", "plan", [("binding", False, False, None)]),
    ("2023年力争实现工业总产值*亿元，规上工业增加值增速*%。", "plan",
     [("striving", False, True, "工业总产值"), ("striving", False, True, "规上工业增加值")]),
    # lookalikes and non-targets
    ("园区现有规模以上工业企业*家。", "review", []),
    ("全年规上工业总产值同比增长*%。", "review", []),
    ("1-9月，园区已完成固定资产投资*亿元。", "review", []),
    ("严格落实“三个必须”原则，层层压实责任。", "review", []),
    ("在确保基本农田面积的前提下，保障产业用地。", "review", []),
    ("按计划推进中。", "review", []),
    ("推荐“凤麓英才”计划项目X个。", "review", []),
    ("审核拟落户项目*个。", "review", []),
    ("预计大部分企业仍旧比较困难。", "plan", []),
    ("加快推进固北北路、客运中心等重点工程。", "plan", []),
    ("其中亿元以上项目*个。", "review", []),
    ("到*年*月，数字经济产值达*亿元。", "review", []),
    ("通过前期的精心准备，积极争取。", "review", []),
]


@pytest.mark.parametrize("text, role, expected", HAND, ids=[h[0][:16] for h in HAND])
def test_hand_written_sentences_are_classified_as_expected(text, role, expected):
    found = [(t["strength"], t["floor"], t["quantitative"], t["indicator"]) for t in classify_text(text, role)]
    assert found == expected


def test_hand_written_set_is_large_and_varied():
    assert len(HAND) >= 30
    assert sum(1 for _, _, expected in HAND if not expected) >= 10
    strengths = {s for _, _, expected in HAND for s, *_ in expected}
    assert strengths == {"binding", "striving", "planned", "expected", None}


def test_a_floor_needs_a_figure_before_its_以上():
    assert not classify_text("确保不发生较大以上安全事故。")[0]["floor"]
    assert classify_text("力争新增亿元以上项目*个以上。")[0]["floor"]
    assert not classify_text("力争引进亿元以上项目*个。")[0]["floor"]


def test_negated_commitments_are_binding_qualitative_targets():
    [target] = classify_text("安全生产、环境保护方面确保不发生重特大事故和环境污染案件。")
    assert (target["strength"], target["negated"], target["quantitative"]) == ("binding", True, False)


def test_horizons_are_read_from_the_clause_or_its_sentence():
    assert classify_text("力争年底完成母基金搭建。")[0]["horizon"] == "年底"
    assert classify_text("力争十四五期间，纺织产业主营业务收入达到*亿元。")[0]["horizon"] == "十四五期间"
    assert classify_text("计划上半年发行PPN*亿元。")[0]["horizon"] == "上半年"


def test_a_marker_reaches_the_list_that_follows_but_not_an_unrelated_clause():
    found = classify_text("力争全年新增规上工业企业X家，规上企业总数达X家，加快推进厂房建设，园区面积*亩。")
    assert [t["clause"] for t in found] == ["力争全年新增规上工业企业Ⓧ家", "规上企业总数达Ⓧ家"]


def test_strength_scheme_can_count_力争_as_binding(corpus):
    default = tk.targets(corpus)
    strict = tk.targets(corpus, overrides={"力争": "binding"})
    assert (strict["strength"] == "binding").sum() > (default["strength"] == "binding").sum()
    assert len(strict) == len(default)


def test_strength_profile_shares_add_up(table):
    profile = tk.strength_profile(table)
    shares = profile[[c for c in profile.columns if c.endswith("_share")]].sum(axis=1)
    assert shares.round(9).eq(1).all()
    assert profile["n_targets"].sum() == (table["role"] == "plan").sum()  # plan-section targets by default
    assert tk.strength_profile(table, roles=None)["n_targets"].sum() == len(table)


def test_a_users_indicator_file_decides_which_indicator_a_growth_rate_belongs_to(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("一、2022年工作总结\n完成产值*亿元，新品产量同比增长*%。\n", encoding="utf-8")
    indicators = tmp_path / "indicators.csv"
    indicators.write_text("indicator,aliases\n产值,产值\n新品产量,新品产量\n", encoding="utf-8")
    table = tk.results(tk.load_corpus(report), indicators=str(indicators)).set_index("indicator")
    assert pd.isna(table.loc["产值", "growth_value"])  # the growth is 新品产量's, named in its own clause
    assert table.loc["新品产量", "growth_value"] == "*"


# Open-vocabulary results (invented sentences): any figure with a named measure is a result, one row per figure;
# (text, [(indicator, indicator_known, figure_kind, value, unit, growth_value)])
RESULT_CASES = [
    ("应交税金5.21亿元，同比下降12.6%。", [("应交税金", False, "level", "5.21", "亿元", "12.6")]),
    ("园区实现数字经济核心产业增加值6.4亿元。", [("数字经济核心产业增加值", False, "level", "6.4", "亿元", None)]),
    ("地区生产总值增长9%。", [("地区生产总值", False, "growth", "9", "%", "9")]),
    ("社会消费品零售总额12.3亿元，增幅8.1%。", [("社会消费品零售总额", False, "level", "12.3", "亿元", "8.1")]),
    ("8家规上工业企业完成工业总产值25亿元，同比增长6%。",
     [("规上工业企业", True, "count", "8", "家", None), ("工业总产值", True, "level", "25", "亿元", "6")]),
    ("高新技术产业增加值占全区比重76.5%。", [("高新技术产业增加值占比", True, "share", "76.5", "%", None)]),
    ("研发投入占销售收入3.2%。", [("研发经费投入占比", True, "share", "3.2", "%", None)]),
    ("一期12家企业启动征迁。", [("企业", False, "count", "12", "家", None)]),  # 一期 is where, not what
    ("其中东区5宗，西区3宗。", []),  # parts of the park, not measures
    ("在全省开发区综合考核中位列第12名。", [("在全省开发区综合考核中", False, "rank", "12", "名", None)]),
]


@pytest.mark.parametrize("text, expected", RESULT_CASES, ids=[c[0][:12] for c in RESULT_CASES])
def test_every_figure_with_a_named_measure_is_a_result(tmp_path, text, expected):
    report = tmp_path / "r.txt"
    report.write_text(f"一、2022年工作总结\n{text}\n", encoding="utf-8")
    table = tk.results(tk.load_corpus(report))
    found = [(r.indicator, r.indicator_known, r.figure_kind, r.value_text, r.unit,
              None if pd.isna(r.growth_value) else r.growth_value) for r in table.itertuples()]
    assert found == expected


NUMBER_CASES = [
    # (text, role, table, (value, value_base, bound, ref_period or horizon, growth))
    ("1-9月，完成固定资产投资12.5亿元，同比增长8.1%。", "review", "results", (12.5, 1.25e9, "exact", "1-9月", 8.1)),
    ("上半年营业收入约3亿元，同比下降4%。", "review", "results", (3.0, 3e8, "approx", "上半年", -4.0)),
    ("力争规上工业增加值增长7%左右。", "plan", "targets", (7.0, 7.0, "approx", None, None)),
    ("单位GDP能耗控制在0.5吨以内。", "plan", "targets", (0.5, 0.5, "ceiling", None, None)),
    ("确保地区生产总值增长4.5%-5%。", "plan", "targets", (4.5, 4.5, "range", None, None)),
    ("力争新增规上企业10家以上。", "plan", "targets", (10.0, 10.0, "floor", None, None)),
]


@pytest.mark.parametrize("text, role, kind, expected", NUMBER_CASES, ids=[c[0][:12] for c in NUMBER_CASES])
def test_figures_are_numbers_with_base_units_bounds_and_periods(tmp_path, text, role, kind, expected):
    heading = "二、2023年工作思路" if role == "plan" else "一、2022年工作总结"
    (tmp_path / "r.txt").write_text(f"{heading}\n{text}\n", encoding="utf-8")
    corpus = tk.load_corpus(tmp_path)
    row = (tk.results(corpus) if kind == "results" else tk.targets(corpus)).iloc[0]
    period = row["ref_period"] if kind == "results" else None
    growth = row["growth"] if kind == "results" else None
    got = (row["value"], row["value_base"], row["bound"], period, None if growth is None or pd.isna(growth) else growth)
    assert got == expected
    if expected[0] == 4.5:
        assert row["value_high"] == 5.0


def _report(tmp_path, body: str):
    (tmp_path / "r.txt").write_text(body, encoding="utf-8")
    return tk.load_corpus(tmp_path)


def test_a_forecast_of_the_year_under_review_is_an_estimated_result(tmp_path):
    corpus = _report(tmp_path, "一、2022年工作总结\n预计全年完成固定资产投资30亿元，新增规上企业6家。\n全年可完成土地出让近50宗。\n")
    assert tk.targets(corpus).empty
    results = tk.results(corpus).set_index("indicator")
    assert results.loc["固定资产投资", "estimate"] and results.loc["固定资产投资", "value"] == 30
    assert results.loc["规上工业企业", "estimate"]  # an item of the 预计 list
    assert results.loc["土地出让", "estimate"] and results.loc["土地出让", "bound"] == "approx"
    assert tk.forecasts(corpus).empty


def test_a_forecast_of_a_later_year_is_neither_a_target_nor_a_result(tmp_path):
    corpus = _report(tmp_path, "一、2022年工作总结\n完成投资20亿元。\n预计2023年营业收入有望突破50亿元。\n"
                               "二、2023年工作思路\n预计全年新增企业10家。\n力争新增企业12家。\n")
    assert tk.results(corpus)["indicator"].tolist() == ["投资"]
    assert tk.targets(corpus)["clause"].tolist() == ["力争新增企业12家"]
    assert len(tk.forecasts(corpus)) == 2


def test_an_anticipatory_target_is_expected_and_a_forecast_never_a_target():
    assert [t["strength"] for t in tk.classify_text("2024年主要预期目标：营业收入增长8%。", "plan")] == ["expected"]
    assert [t["strength"] for t in tk.classify_text("预期性指标：新增企业10家。", "plan")] == ["expected"]
    for text in ("预计全年营业收入增长8%。", "预估新增企业10家。", "全年产值可望突破100亿元。"):
        assert tk.classify_text(text, "plan") == [], text


def test_a_candidate_pool_is_no_result_and_a_qualifier_is_the_figures_scope(tmp_path):
    corpus = _report(tmp_path, "一、2022年工作总结\n高企苗子库12家，入库培育企业5家，高企8家。\n"
                               "装备制造产业营业收入30亿元，规上企业营业收入80亿元，园区营业收入100亿元。\n")
    rows = [(r.indicator, None if pd.isna(r.scope) else r.scope, r.value) for r in tk.results(corpus).itertuples()]
    assert rows == [("高新技术企业", None, 8.0), ("营业收入", "装备制造产业", 30.0), ("营业收入", "规上企业", 80.0),
                    ("营业收入", None, 100.0)]


def test_a_researchers_correction_overrides_the_coding_in_every_table(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "r.txt").write_text("一、2022年工作总结\n企业招工难。完成投资20亿元。\n二、2023年工作思路\n力求新增企业10家。\n",
                                  encoding="utf-8")
    plain = tk.load_corpus(folder)
    target, result, hit = tk.targets(plain).iloc[0], tk.results(plain).iloc[0], tk.problems(plain).iloc[0]
    fixes = tmp_path / "corrections.csv"
    fixes.write_text("report_id,start,end,field,value,note\n"
                     f"r,{target.start},{target.end},strength,binding,力求 here commits\n"
                     f"r,{result.start},{result.end},indicator,固定资产投资,投资 is fixed-asset investment\n"
                     f"r,{hit.start},{hit.end},category,talent,a reading\n", encoding="utf-8")
    corpus = tk.load_corpus(folder, corrections=fixes)
    assert tk.targets(corpus).iloc[0][["strength", "corrected"]].tolist() == ["binding", "strength"]
    assert tk.results(corpus).iloc[0][["indicator", "corrected"]].tolist() == ["固定资产投资", "indicator"]
    assert str(tk.problems(corpus).iloc[0]["category"]) == "talent"
    assert tk.targets(plain).iloc[0]["strength"] == "striving" and tk.targets(plain).iloc[0]["corrected"] == ""


def test_a_corrections_file_with_a_misspelled_column_is_refused_with_a_hint(tmp_path):
    fixes = tmp_path / "corrections.csv"
    fixes.write_text("report_id,start,end,feild,value\nr,1,2,strength,binding\n", encoding="utf-8")
    with pytest.raises(tk.ConfigError, match="field .did you mean feild"):
        tk.load_corpus(_seed_dir(tmp_path), corrections=fixes)


def _seed_dir(tmp_path):
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "r.txt").write_text("一、2022年工作总结\n完成投资20亿元。\n", encoding="utf-8")
    return folder


def test_a_parks_target_meets_the_result_of_the_next_years_report(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a2022.txt").write_text("一、2022年工作总结\n全年营业收入90亿元。\n二、2023年工作思路\n力争营业收入达到100亿元以上。\n"
                                      "能耗强度控制在0.5吨以内。\n", encoding="utf-8")
    (folder / "a2023.txt").write_text("一、2023年工作总结\n全年营业收入105亿元，上半年营业收入40亿元。\n"
                                      "二、2024年工作思路\n确保营业收入达到120亿元。\n", encoding="utf-8")
    (folder / "b2023.txt").write_text("一、2023年工作总结\n全年营业收入50亿元。\n二、2024年工作思路\n力争营业收入增长10%。\n",
                                      encoding="utf-8")
    manifest = "report_id,file,park,report_year,plan_year,park_id\n" + "\n".join(
        f"{name},{name}.txt,{park},{year},{year + 1},{park}" for name, park, year in
        (("a2022", "A园", 2022), ("a2023", "A园", 2023), ("b2023", "B园", 2023))) + "\n"
    (tmp_path / "reports.csv").write_text(manifest, encoding="utf-8")
    pairs = tk.target_results(tk.load_corpus(folder))
    assert pairs[["target_report", "result_report", "ref_period", "comparable", "met"]].values.tolist() == [
        ["a2022", "a2023", "全年", True, True], ["a2022", "a2023", "上半年", False, None]]
