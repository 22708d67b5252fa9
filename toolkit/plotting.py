"""Plotting: one Chinese-capable font set-up, and figures drawn from tables the analyses computed.

Plotting never computes: every function takes a DataFrame from :mod:`toolkit.themes`, :mod:`toolkit.terms`
and the other analysis modules. Figures are saved under ``figures/`` with stable names by :func:`save_figure`.

Fonts: a system CJK font is used when one is installed; otherwise the OFL Noto Sans CJK SC font shipped by
the ``mplfonts`` package. Either is registered with matplotlib once, and its path is passed to wordcloud.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd
from matplotlib import font_manager

from .display import label
from .paths import figures_dir

#: System CJK families preferred in this order when installed.
SYSTEM_CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
                       "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC",
                       "Hiragino Sans GB", "Heiti SC", "SimHei", "Noto Sans CJK JP")
PACKAGED_FONT = ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf")


def _packaged_font() -> Path | None:
    spec = importlib.util.find_spec(PACKAGED_FONT[0])  # located, not imported: no side effects on matplotlib
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / PACKAGED_FONT[1]
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def setup_fonts() -> Path:
    """Register a CJK font with matplotlib (once per process) and return its file for wordcloud."""
    installed = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    path = next((Path(installed[name]) for name in SYSTEM_CJK_FAMILIES if name in installed), None)
    if path is None:
        path = _packaged_font()
        if path is None:
            raise RuntimeError("no Chinese font: install a CJK font (fonts-noto-cjk) or the mplfonts package")
        font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [name, *[f for f in matplotlib.rcParams["font.sans-serif"] if f != name]]
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["figure.dpi"] = 110
    matplotlib.rcParams["savefig.dpi"] = 150
    return path


def save_figure(fig, name: str) -> Path:
    """Save a figure as ``figures/NAME.png`` (stable name) and return the path."""
    path = figures_dir() / f"{name}.png"
    fig.savefig(path, bbox_inches="tight")
    return path


def _grid(n: int, columns: int = 3, size: tuple[float, float] = (4.2, 3.4)):
    rows = int(np.ceil(n / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(size[0] * columns, size[1] * rows), squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, axes.flat


def plot_top_terms(top: pd.DataFrame, value: str = "count", columns: int = 2, names: dict | None = None):
    """Small multiples: one horizontal bar chart of top terms per report (from ``terms.top_terms``); ``names``
    maps report ids to the titles shown (e.g. ``corpus.report_labels()``)."""
    setup_fonts()
    reports = list(dict.fromkeys(top["report_id"]))
    fig, axes = _grid(len(reports), columns, size=(4.6, 3.6))
    for ax, report_id in zip(axes, reports):
        rows = top[top["report_id"] == report_id].sort_values(value)
        ax.barh(rows["term"], rows[value], color="#4c72b0")
        ax.set_title((names or {}).get(report_id, report_id), fontsize=11)
        ax.set_xlabel("出现次数" if value == "count" else value)
        ax.tick_params(axis="y", labelsize=9)
    fig.tight_layout()
    return fig


def plot_heatmap(matrix: pd.DataFrame, xlabel: str = "", ylabel: str = "", fmt: str = "{:.0f}",
                 cmap: str = "YlOrRd", order: list | None = None):
    """A labelled heatmap of a wide matrix (rows × columns, cells annotated), e.g. ``theme_profiles(corpus).T``
    or ``recurrence(hits)``; ``order`` sorts both axes of a square matrix (e.g. from ``similarity_order``)."""
    setup_fonts()
    grid = matrix.astype(float)
    if order is not None:
        grid = grid.reindex(index=order, columns=order)
    width = min(max(1.1 * len(grid.columns) + 3.5, 6), 11)
    fig, ax = plt.subplots(figsize=(width, 0.42 * len(grid.index) + 1.8))
    image = ax.imshow(grid.values, cmap=cmap, aspect="auto")
    ax.set_xticks(range(len(grid.columns)), [str(c) for c in grid.columns], rotation=30, ha="right", fontsize=9)
    ax.set_yticks(range(len(grid.index)), [str(i) for i in grid.index], fontsize=9)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    top = np.nanmax(grid.values) if grid.size else 0
    for (i, j), cell in np.ndenumerate(grid.values):
        if not np.isnan(cell):
            ax.text(j, i, fmt.format(cell), ha="center", va="center", fontsize=8,
                    color="white" if top and cell > 0.6 * top else "black")
    fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    fig.tight_layout()
    return fig


def plot_role_shift(shift: pd.DataFrame, left: str = "review", right: str = "plan"):
    """Dumbbell chart: each theme's share of mentions in review versus plan sections (pooled corpus)."""
    setup_fonts()
    data = shift.sort_values(right)
    fig, ax = plt.subplots(figsize=(7, 0.38 * len(data) + 1.4))
    y = np.arange(len(data))
    ax.hlines(y, data[left], data[right], color="#999999", linewidth=1.5)
    ax.scatter(data[left], y, color="#4c72b0", label=label("role", left), zorder=3)
    ax.scatter(data[right], y, color="#dd8452", label=label("role", right), zorder=3)
    ax.set_yticks(y, data.index.astype(str))
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel("占主题提及的比例 share of theme mentions")
    ax.legend(loc="lower right", frameon=False)
    fig.tight_layout()
    return fig


def plot_wordclouds(frequencies: pd.DataFrame, columns: int = 2, max_words: int = 60, names: dict | None = None):
    """One word cloud per report from a table of report_id, term, count; ``names`` as for plot_top_terms."""
    from wordcloud import WordCloud

    font = setup_fonts()
    reports = list(dict.fromkeys(frequencies["report_id"]))
    fig, axes = _grid(len(reports), columns, size=(4.4, 3.0))
    for ax, report_id in zip(axes, reports):
        rows = frequencies[frequencies["report_id"] == report_id]
        cloud = WordCloud(font_path=str(font), width=640, height=420, background_color="white", max_words=max_words,
                          prefer_horizontal=1.0, random_state=0, colormap="viridis")
        cloud.generate_from_frequencies(dict(zip(rows["term"], rows["count"])))
        ax.imshow(cloud.to_array(), interpolation="bilinear")
        ax.set_title((names or {}).get(report_id, report_id), fontsize=11)
        ax.axis("off")
    fig.tight_layout()
    return fig


STRENGTH_COLOURS = {"binding": "#c44e52", "striving": "#dd8452", "planned": "#4c72b0", "expected": "#55a868",
                    "none": "#b0b0b0"}


def _stacked_shares(table: pd.DataFrame, parts: dict[str, str], labels: dict[str, str], xlabel: str,
                    counts: pd.DataFrame | None = None):
    """Horizontal 100% bars: one per row of ``table``, one segment per ``parts`` column (name → colour)."""
    setup_fonts()
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(table) + 1.5))
    left = np.zeros(len(table))
    for column, colour in parts.items():
        values = table[column].to_numpy()
        ax.barh(table.index.astype(str), values, left=left, color=colour, label=labels[column])
        if counts is not None:
            for y, (x0, width, n) in enumerate(zip(left, values, counts[column])):
                if width >= 0.06:
                    ax.text(x0 + width / 2, y, str(n), ha="center", va="center", fontsize=8, color="white")
        left += values
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(xlabel)
    ax.invert_yaxis()
    ax.legend(ncol=5, loc="upper center", bbox_to_anchor=(0.5, -0.18), frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def plot_strength_profile(profile: pd.DataFrame):
    """Stacked horizontal bars: each report's targets by commitment strength (from ``strength_profile``)."""
    shares = profile[[f"{s}_share" for s in STRENGTH_COLOURS]]
    counts = profile[[f"{s}_n" for s in STRENGTH_COLOURS]].set_axis(shares.columns, axis=1)
    return _stacked_shares(shares, {f"{s}_share": c for s, c in STRENGTH_COLOURS.items()},
                           {f"{s}_share": label("strength", s) for s in STRENGTH_COLOURS},
                           "目标条数占比 share of targets (bar labels: counts)", counts)


def plot_rank_change(ranking: pd.DataFrame, left: str, right: str, left_label: str, right_label: str,
                     names: dict | None = None):
    """Slope chart of report ranks under two schemes (rank 1 at the top); ``names`` maps the index to labels."""
    setup_fonts()
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(ranking) + 1.6))
    for report_id, row in ranking.iterrows():
        shown = (names or {}).get(report_id, report_id)
        ax.plot([0, 1], [row[left], row[right]], marker="o", color="#4c72b0")
        ax.text(-0.04, row[left], shown, ha="right", va="center", fontsize=9)
        ax.text(1.04, row[right], shown, ha="left", va="center", fontsize=9)
    ax.set_xticks([0, 1], [left_label, right_label])
    ax.set_xlim(-0.9, 1.9)
    ax.invert_yaxis()
    ax.set_yticks(sorted(set(ranking[left]) | set(ranking[right])))
    ax.set_ylabel("确保类目标占比排名 rank by share of binding targets")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig


def plot_role_shares(structure_table: pd.DataFrame):
    """Stacked bars: each report's share of text in review / plan / problem / mixed / other sections."""
    colours = {"review": "#4c72b0", "plan": "#dd8452", "problem": "#c44e52", "mixed": "#8172b3", "other": "#b0b0b0"}
    return _stacked_shares(structure_table, {f"share_{r}": c for r, c in colours.items()},
                           {f"share_{r}": label("role", r) for r in colours}, "字数占比 share of characters")
