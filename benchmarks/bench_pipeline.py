"""Speed and memory of the pipeline on a scaled-up corpus, each figure with its ratio to a baseline measured
in the same run. Run by hand (not part of the tests):

    .venv/bin/python benchmarks/bench_pipeline.py            # 60 reports (seeds copied with variations)
    .venv/bin/python benchmarks/bench_pipeline.py --copies 40

Baselines: plain ``jieba.lcut`` over the same text (segmentation throughput), a serial parse (for parallel
and cached loading), and an all-pairs Jaccard comparison (for the shingle-index template search). Each step
is timed on its own; ``bench_scale.py`` times the whole pipeline on corpora of up to 10,000 reports.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import tracemalloc
from itertools import combinations
from pathlib import Path

import jieba

import toolkit as tk
from toolkit.compare import _shingles, template_sentences
from toolkit.paths import reports_dir


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def make_corpus(folder: Path, copies: int) -> int:
    """Copy every seed ``copies`` times with small changes (year, a sentence dropped) so files differ."""
    seeds = sorted(reports_dir().glob("*.txt"))
    chars = 0
    for i in range(copies):
        for seed in seeds:
            text = seed.read_text(encoding="utf-8-sig").replace("2022", str(2000 + i % 30))
            lines = text.splitlines()
            if len(lines) > 4:
                del lines[3 + i % (len(lines) - 3)]
            text = "\n".join(lines)
            (folder / f"{seed.stem}-{i:03d}.txt").write_text(text, encoding="utf-8")
            chars += len(text)
    return chars


def all_pairs_templates(corpus, threshold: float = 0.6) -> int:
    """The naive baseline: Jaccard of every cross-report sentence pair."""
    rows = [(r.report_id, _shingles(r.text, 4)) for r in corpus.sentences.itertuples()
            if not r.is_heading and len(r.text) >= 12]
    rows = [r for r in rows if len(r[1]) >= 3]
    found = 0
    for (ra, a), (rb, b) in combinations(rows, 2):
        if ra != rb and len(a & b) / len(a | b) >= threshold:
            found += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=12, help="copies of each seed (default 12 → 60 reports)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="parktk-bench-"))
    try:
        folder = work / "reports"
        folder.mkdir()
        chars = make_corpus(folder, args.copies)
        texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
        print(f"corpus: {len(texts)} reports, {chars:,} characters\n")

        jieba.lcut("预热")  # build jieba's cache outside the timings
        _, t_jieba = timed(lambda: [jieba.lcut(t) for t in texts])
        parse = dict(analyse=False)  # parsing only: the analyses are timed one by one below
        corpus, t_serial = timed(tk.load_corpus, folder, workers=1, **parse)
        tracemalloc.start()  # memory in a separate run: tracing slows Python down several times
        tk.load_corpus(folder, workers=1, **parse)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        _, t_parallel = timed(tk.load_corpus, folder, workers=2, **parse)
        cache = work / "cache"
        _, t_cold = timed(tk.load_corpus, folder, cache_dir=cache, workers=1, **parse)
        _, t_warm = timed(tk.load_corpus, folder, cache_dir=cache, workers=1, **parse)
        _, t_tokens = timed(tk.corpus_tokens, corpus)
        _, t_themes = timed(tk.theme_counts, corpus)
        _, t_targets = timed(tk.targets, corpus)
        _, t_problems = timed(tk.problems, corpus)
        pairs, t_index = timed(template_sentences, corpus)
        sample = tk.Corpus(corpus.reports_list[: min(len(corpus), 15)])
        small_pairs, t_index_small = timed(template_sentences, sample)
        naive_found, t_naive_small = timed(all_pairs_templates, sample)

        rate = lambda seconds: f"{chars / seconds / 1e6:6.2f} M chars/s"  # noqa: E731
        print(f"{'step':34} {'seconds':>8}  {'throughput':>16}  ratio to baseline")
        print(f"{'baseline: jieba.lcut (module)':34} {t_jieba:8.2f}  {rate(t_jieba):>16}  1.00")
        print(f"{'parse (clean, structure) serial':34} {t_serial:8.2f}  {rate(t_serial):>16}  "
              f"{t_jieba / t_serial:.2f}× jieba speed")
        print(f"{'parse, 2 workers':34} {t_parallel:8.2f}  {rate(t_parallel):>16}  "
              f"{t_serial / t_parallel:.2f}× serial")
        print(f"{'parse, cache cold (writes)':34} {t_cold:8.2f}  {rate(t_cold):>16}  {t_serial / t_cold:.2f}× serial")
        print(f"{'parse, cache warm (reads)':34} {t_warm:8.2f}  {rate(t_warm):>16}  {t_serial / t_warm:.2f}× serial")
        print(f"{'tokens (own tokenizer + filters)':34} {t_tokens:8.2f}  {rate(t_tokens):>16}  "
              f"{t_jieba / t_tokens:.2f}× jieba speed")
        print(f"{'theme counts':34} {t_themes:8.2f}  {rate(t_themes):>16}  {t_jieba / t_themes:.2f}× jieba speed")
        print(f"{'targets':34} {t_targets:8.2f}  {rate(t_targets):>16}  {t_jieba / t_targets:.2f}× jieba speed")
        print(f"{'problems':34} {t_problems:8.2f}  {rate(t_problems):>16}  {t_jieba / t_problems:.2f}× jieba speed")
        print(f"{'template sentences (shingle index)':34} {t_index:8.2f}  {'':>16}  {len(pairs)} pairs")
        print(f"{'  same, 15 reports':34} {t_index_small:8.2f}  {'':>16}  "
              f"{t_naive_small / t_index_small:.1f}× faster than all pairs ({t_naive_small:.2f} s); "
              f"pairs found: index {len(small_pairs)}, all pairs {naive_found}")
        print(f"\npeak memory while parsing: {peak / 1e6:.1f} MB "
              f"({peak / chars:.0f} bytes per character of text)")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
