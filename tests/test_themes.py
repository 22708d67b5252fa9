"""Segmentation, terms, keyness, theme counts, KWIC and Chinese figures."""

from __future__ import annotations

import warnings

import jieba
import matplotlib.pyplot as plt
import pandas as pd
import pytest

import toolkit as tk
from toolkit import plotting
from toolkit.cleaning import MASK
from toolkit.resources import read_word_list
from toolkit.segmentation import NOT_A_TERM, Segmenter, config_segmenter

HAND_TEXT = """一、2022年工作总结
（一）招商引资
全年招商引资签约项目*个，引进外资项目*个。招商工作成效明显。
（二）安全生产
开展安全生产检查*次，消除安全隐患*处，未发生安全事故。
二、2023年工作思路
力争招商引资再上新台阶，确保安全生产形势稳定。
"""


@pytest.fixture(scope="module")
def hand_corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("hand") / "hand.txt"
    path.write_text(HAND_TEXT, encoding="utf-8")
    return tk.load_corpus(path)


@pytest.mark.parametrize("term", ["招商引资", "专精特新", "亩均论英雄", "规上工业", "营商环境", "腾笼换鸟", "小升规",
                                  "双招双引", "店小二", "最多跑一次", "科创飞地", "污水零直排区", "高新技术企业", "用地指标"])
def test_user_dictionary_terms_come_out_as_single_tokens(term):
    tokens = [w for w, _, _ in config_segmenter().tokens(f"园区全力推进{term}工作，取得成效。")]
    assert term in tokens


def test_every_user_dictionary_term_is_one_token_on_its_own():
    segmenter = config_segmenter()
    for term in read_word_list("user_dict.txt"):
        word = term.split()[0]
        assert [w for w, _, _ in segmenter.tokens(word)] == [word]


def test_module_level_jieba_is_never_changed():
    before = jieba.lcut("专精特新企业亩均论英雄")
    Segmenter(extra_words=["专精特新企业亩均论英雄"])
    assert jieba.lcut("专精特新企业亩均论英雄") == before
    assert "专精特新" not in jieba.dt.FREQ or jieba.dt.FREQ.get("专精特新") == 0


def test_no_stopword_punctuation_number_or_masked_figure_in_top_terms(corpus):
    stopwords = set(read_word_list("stopwords.txt"))
    top = tk.top_terms(corpus, n=40)
    assert len(top) == 40 * len(corpus)
    for term in top["term"]:
        assert term not in stopwords
        assert not NOT_A_TERM.match(term)
        assert MASK not in term and not any(ch.isdigit() for ch in term)


@pytest.mark.parametrize("token", ["2022", "5.6%", MASK, f"{MASK}{MASK}", "，", "%", "1-9", "X", "亿元", "工作"])
def test_numbers_masks_units_and_stopwords_never_count(token):
    assert not config_segmenter().is_term(token)


def test_user_dictionary_and_stopwords_can_be_replaced(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("# mine\n新质生产力\n", encoding="utf-8")
    stops = tmp_path / "stops.txt"
    stops.write_text("企业\n", encoding="utf-8")
    segmenter = Segmenter(user_dict=str(words), stopwords=str(stops))
    assert segmenter.terms("企业发展新质生产力") == ["发展", "新质生产力"]


def test_tokens_are_computed_once_per_corpus_and_once_per_report(hand_corpus, monkeypatch):
    first = tk.corpus_tokens(hand_corpus)
    assert tk.corpus_tokens(hand_corpus) is first
    calls = []
    segmenter = config_segmenter()
    monkeypatch.setattr(segmenter, "tokens", lambda text: calls.append(text) or [])
    again = tk.Corpus(hand_corpus.reports_list)  # another corpus holding the same report
    assert tk.corpus_tokens(again).equals(first) and calls == []


def test_theme_counts_equal_hand_counts(hand_corpus):
    counts = tk.theme_counts(hand_corpus).set_index("theme")["count"]
    # 招商引资: heading 招商引资; 招商引资签约项目 (two keywords touching: one mention); 外资; 招商; plan 招商引资 → 5
    assert counts["招商引资"] == 5
    # 安全生产: 安全生产 ×3 (heading, check, plan), 安全隐患, 安全事故 (安全 + 事故 touch: one mention) → 5
    assert counts["安全生产"] == 5
    assert counts["疫情防控"] == 0


def test_theme_counts_by_role_split_review_and_plan(hand_corpus):
    by_role = tk.theme_counts(hand_corpus, "role").set_index(["role", "theme"])["count"]
    assert by_role[("review", "招商引资")] == 4 and by_role[("plan", "招商引资")] == 1
    assert by_role[("plan", "安全生产")] == 1


def test_per_10k_and_share_are_consistent(corpus):
    table = tk.theme_counts(corpus)
    sizes = corpus.sentences.groupby("report_id")["text"].apply(lambda s: s.str.replace(r"\s", "", regex=True)
                                                                .str.len().sum())
    row = table.iloc[0]
    assert row["per_10k"] == pytest.approx(row["count"] / sizes[row["report_id"]] * 10_000)
    assert table.groupby("report_id")["share"].sum().round(9).eq(1).all()


def test_a_custom_lexicon_replaces_the_default(hand_corpus, tmp_path):
    lexicon = tmp_path / "lexicon.csv"
    lexicon.write_text("theme,description,keywords\n安全,safety words,安全|隐患\n", encoding="utf-8")
    table = tk.theme_counts(hand_corpus, lexicon=str(lexicon))
    assert list(table["theme"].astype(str).unique()) == ["安全"]
    assert table["count"].sum() == 5  # 安全 in 安全生产 ×3 and 安全事故; 安全+隐患 touch: one mention


def test_bad_lexicon_is_a_config_error(tmp_path):
    lexicon = tmp_path / "lexicon.csv"
    lexicon.write_text("theme,description,keywords\n空,nothing,\n", encoding="utf-8")
    with pytest.raises(tk.ConfigError, match="needs a name and at least one keyword"):
        tk.load_lexicon(str(lexicon))


def test_kwic_windows_come_from_the_original_text_at_the_right_offsets(corpus):
    hits = tk.kwic(corpus, "用地紧张", window=8)
    assert len(hits) >= 2
    for hit in hits.itertuples():
        original = corpus[hit.report_id].original
        assert original[hit.start:hit.end] == hit.match == "用地紧张"
        assert original[hit.start - 8:hit.start].replace("\n", " ") == hit.left
        assert original[hit.end:hit.end + 8].replace("\n", " ") == hit.right


def test_kwic_finds_masked_figures_by_regex_and_shows_the_mask_as_written(corpus):
    hits = tk.kwic(corpus, f"{MASK}亿元", regex=True, report_ids=("2021-devzone",))
    assert len(hits) > 5 and set(hits["match"]) == {"X亿元"}


def test_kwic_of_half_width_query_matches_full_width_text(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("一、总结\n完成投资（含续建）*亿元。", encoding="utf-8")
    hits = tk.kwic(tk.load_corpus(path), "(含续建)")
    assert list(hits["match"]) == ["（含续建）"]
    assert hits.loc[0, "path"] == "一、"


def test_keyness_puts_a_report_specific_term_on_top(corpus):
    table = tk.keyness(corpus)
    top = table[table["rank"] <= 10]
    assert "中东欧" in set(top[top["report_id"] == "2022-ecopark"]["term"])
    assert "纺织" in set(top[top["report_id"] == "2022h1-hitech"]["term"])
    ecopark = table[(table["report_id"] == "2022-ecopark") & (table["term"] == "中东欧")].iloc[0]
    assert ecopark["count_rest"] == 0 and ecopark["z"] > 2


def test_role_shift_shares_sum_to_one(corpus):
    shift = tk.role_shift(corpus)
    assert shift["review"].sum() == pytest.approx(1) and shift["plan"].sum() == pytest.approx(1)
    assert (shift["difference"] == shift["plan"] - shift["review"]).all()


def _glyph_warnings(draw) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = draw()
        fig.canvas.draw()
        plt.close(fig)
    return [str(w.message) for w in caught if "Glyph" in str(w.message) and "missing" in str(w.message)]


def test_chinese_text_renders_without_missing_glyphs():
    plotting.setup_fonts()

    def draw():
        fig, ax = plt.subplots()
        ax.set_title("园区招商引资与用地紧张")
        ax.set_xlabel("出现次数 −5")
        ax.text(0.5, 0.5, "专精特新、亩均论英雄")
        return fig

    assert _glyph_warnings(draw) == []


def test_the_glyph_check_would_catch_a_font_without_chinese():
    def draw():
        fig, ax = plt.subplots()
        ax.set_title("园区", fontfamily="DejaVu Sans")
        return fig

    assert _glyph_warnings(draw)


def test_every_figure_helper_draws_chinese_without_missing_glyphs(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("PARKREPORTS_ROOT", str(tmp_path))
    figures = [lambda: plotting.plot_top_terms(tk.top_terms(corpus, 5)),
               lambda: plotting.plot_heatmap(tk.theme_profiles(corpus).T, "报告", "主题"),
               lambda: plotting.plot_role_shift(tk.role_shift(corpus)),
               lambda: plotting.plot_wordclouds(tk.term_frequency(corpus), max_words=20)]
    for draw in figures:
        assert _glyph_warnings(draw) == []
    fig = figures[1]()
    assert plotting.save_figure(fig, "heatmap").is_file() and (tmp_path / "figures" / "heatmap.png").is_file()


def test_term_frequency_by_role_adds_up_to_the_report_totals(corpus):
    by_report = tk.term_frequency(corpus).groupby("report_id")["count"].sum()
    by_role = tk.term_frequency(corpus, "role").groupby("report_id")["count"].sum()
    pd.testing.assert_series_equal(by_report, by_role)


def test_theme_mentions_from_one_search_of_the_text_equal_a_search_of_each_sentence(tmp_path):
    import re

    from toolkit.themes import _mentions, _sentence_mentions

    text = ("某某经济开发区2023年工作总结\n一、安全生产\n全年安全事故为零，安全生产形势稳定。\n二、招商引资\n"
            "招商引资签约项目Ⓧ个，招商\n引资工作扎实。科技创新平台Ⓧ个；创新创业活跃\n")
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    report = tk.parse_report(path)
    for words in (["安全", "事故", "安全生产"], ["招商引资", "招商"], ["创新", "科技创新", "业活"], ["。", "\n"]):
        pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
        found = _sentence_mentions(report, pattern)
        for sentence in report.sentences:
            assert found.get(sentence.sentence_id, []) == _mentions(pattern, sentence.text), (words, sentence.text)


def test_a_keyword_that_cleaning_reduces_to_nothing_is_dropped(tmp_path):
    lexicon = tmp_path / "themes.csv"
    lexicon.write_text("theme,description,keywords\n安全,安全生产,安全|\u200b|事故\n", encoding="utf-8")
    from toolkit.themes import load_lexicon

    (theme,) = load_lexicon(str(lexicon))
    assert theme.keywords == ("安全", "事故") and not theme.pattern.match("")
