"""Synthetic corpora for the benchmarks, made by recombining real sections of the reports in a folder.

Each synthetic report takes the opening (title and preamble) of one real report and its top-level sections
from several others, chosen at random, under a title line of its own (a park name and a year), so every
report's text is unique and no cache or duplicate check folds two of them together. Single large files are
reports of this kind pasted one after another, as a province's reports of a year are when copied into one file.

    python benchmarks/synthetic.py corpus OUT_DIR --n 1000
    python benchmarks/synthetic.py file OUT.txt --mb 10
"""

from __future__ import annotations

import argparse
import random
import warnings
from pathlib import Path

PLACES = "东南西北中滨江临港高新经开新城金山银湖青山白水龙泉凤凰红旗长安永安太平兴隆"
KINDS = ("经济开发区", "高新技术产业开发区", "工业园区", "产业园", "生态工业园区", "综合保税区")


def section_pool(folder: str | Path) -> tuple[list[str], list[str]]:
    """(openings, sections): each real report's text before its first top-level heading, and the text of
    each top-level section (heading line included), as written in the file."""
    import toolkit as tk

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = tk.load_corpus(folder)
    openings, sections = [], []
    for report in corpus:
        tops = [s for s in report.sections if s.level == 1]
        if not tops:
            continue
        bounds = [report.clean.to_original(s.start, s.end) for s in tops]
        openings.append(report.original[: bounds[0][0]])
        sections += [report.original[a:b].strip("\n") + "\n" for a, b in bounds]
    return openings, sections


def park_name(i: int, rng: random.Random) -> str:
    first, second = rng.choice(PLACES), rng.choice(PLACES)
    return f"{first}{second}{i}号{rng.choice(KINDS)}"


def synthetic_report(i: int, openings: list[str], sections: list[str], rng: random.Random) -> str:
    year = rng.randint(2015, 2025)
    title = f"{park_name(i, rng)}管委会{year}年工作总结及{year + 1}年工作思路\n"
    chosen = rng.sample(sections, k=min(len(sections), rng.randint(2, 4)))
    return title + rng.choice(openings).lstrip("\ufeff") + "".join(chosen)


def write_corpus(folder: str | Path, n: int, source: str | Path = "data/reports", seed: int = 1) -> int:
    """Write ``n`` synthetic reports into ``folder`` (created); return the number of characters written."""
    openings, sections = section_pool(source)
    rng = random.Random(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    chars = 0
    for i in range(n):
        text = synthetic_report(i, openings, sections, rng)
        (folder / f"r{i:05d}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
    return chars


def write_big_file(path: str | Path, megabytes: float, source: str | Path = "data/reports", seed: int = 2) -> int:
    """Write one file of about ``megabytes`` MB (UTF-8) of synthetic reports pasted together; return its characters."""
    openings, sections = section_pool(source)
    rng = random.Random(seed)
    limit = int(megabytes * 2**20)
    pieces, size, i = [], 0, 0
    while size < limit:
        text = synthetic_report(i, openings, sections, rng) + "\n"
        pieces.append(text)
        size += len(text.encode("utf-8"))
        i += 1
    text = "".join(pieces)
    Path(path).write_text(text, encoding="utf-8")
    return len(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    corpus = commands.add_parser("corpus")
    corpus.add_argument("out")
    corpus.add_argument("--n", type=int, default=100)
    corpus.add_argument("--source", default="data/reports")
    big = commands.add_parser("file")
    big.add_argument("out")
    big.add_argument("--mb", type=float, default=1)
    big.add_argument("--source", default="data/reports")
    args = parser.parse_args()
    if args.command == "corpus":
        chars = write_corpus(args.out, args.n, args.source)
        print(f"{args.n} reports, {chars:,} characters in {args.out}")
    else:
        chars = write_big_file(args.out, args.mb, args.source)
        print(f"{chars:,} characters in {args.out}")


if __name__ == "__main__":
    main()
