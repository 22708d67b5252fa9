"""Scale benchmark: the toolkit on synthetic corpora of N reports and on single large files, against plain
jieba on the same cleaned text, measured in the same run. Run by hand (never part of the tests):

    .venv/bin/python benchmarks/bench_scale.py                       # N = 100, 1,000; files of 10 KB, 1 and 10 MB
    .venv/bin/python benchmarks/bench_scale.py --n 100 1000 10000 --mb 0.01 1 10 50 --write
    .venv/bin/python benchmarks/bench_scale.py --n 100 --mb --quick  # a smoke run

For each corpus (reports made by recombining real sections of ``data/reports``, see ``synthetic.py``) and
each file it prints characters, wall seconds, characters per second and peak memory (the sum of the
resident memory of the process and its workers, sampled every 50 ms), and the ratio of the pipeline's time
to **plain single-process** ``jieba.lcut`` with the genre's user dictionary over the same cleaned text.
``ingest`` is timed as users run it, ``python -m toolkit ingest DIR --out OUT``. ``--write`` writes the
table to ``benchmarks/README.md`` with the machine it ran on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from synthetic import write_big_file, write_corpus  # noqa: E402


# ------------------------------------------------------------------------------------------------------
# Measuring a command: wall time and peak resident memory of its process tree
# ------------------------------------------------------------------------------------------------------
def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            pid, ppid = int(entry), int(fields[1])
            rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
            children.setdefault(ppid, []).append(pid)
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack += children.get(pid, [])
    return total


def run(command: list[str], env: dict | None = None) -> tuple[float, int, str]:
    """Run a command; return wall seconds, peak resident bytes of its process tree, and its stdout."""
    start = time.perf_counter()
    # as an installed package runs: Python's byte-code cache on (a shell that turned it off would have every
    # run compile the toolkit's sources again, about 0.1 s, which no installed copy pays)
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                               env={**environment, **(env or {})})
    peak = [0]

    def sample():
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_rss(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    if process.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{err[-2000:]}")
    return seconds, peak[0], out


PY = sys.executable

# Plain jieba over the cleaned text of every file (cleaned outside the timing), one process.
JIEBA = r"""
import json, sys, time, warnings, logging
warnings.simplefilter("ignore")
import jieba
logging.getLogger("jieba").setLevel(logging.WARNING)
from toolkit.corpus import plan_jobs, extract
from toolkit.cleaning import clean_text
from toolkit.readers import read_report_bytes
from toolkit.resources import read_word_list
from pathlib import Path
jobs = plan_jobs(sys.argv[1], max_bytes=None).jobs
texts = [clean_text(extract(read_report_bytes(Path(j.path), max_bytes=None), Path(j.path)).text).text for j in jobs]
tokenizer = jieba.Tokenizer()
for word in read_word_list("user_dict.txt"):
    tokenizer.add_word(word.split()[0])
tokenizer.lcut("预热")
rounds, spent = 0, 0.0
while rounds == 0 or spent < 1.0:  # a small input is timed over repeated runs (one run is mostly noise)
    start = time.perf_counter()
    n = sum(len(tokenizer.lcut(t)) for t in texts)
    spent, rounds = spent + time.perf_counter() - start, rounds + 1
print(json.dumps({"seconds": spent / rounds, "chars": sum(map(len, texts)), "tokens": n}))
"""

# An in-memory corpus with its tokens: memory held after loading (resident, minus the interpreter's and the
# libraries'), with every per-report analysis (clauses, problems, themes, tokens) it keeps.
MEMORY = r"""
import json, sys, warnings, gc, os
warnings.simplefilter("ignore")
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
import toolkit as tk
from toolkit.segmentation import config_segmenter
config_segmenter(tk.Config()).tokens("预热")
import pandas
gc.collect(); base = rss()
corpus = tk.load_corpus(sys.argv[1])  # as a user loads it: all cores, every per-report analysis kept
tokens = tk.corpus_tokens(corpus)
gc.collect()
print(json.dumps({"bytes": rss() - base, "tokens": len(tokens)}))
"""

# Token agreement of the two backends on the corpus's sentences (toolkit.segmenter_agreement).
AGREEMENT = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
import toolkit as tk
table = tk.segmenter_agreement(tk.load_corpus(sys.argv[1], workers=1, analyse=False))
total = table.sum(numeric_only=True)
print(json.dumps({"tokens": int(total["tokens"]), "agree": total["same_tokens"] / total["tokens"],
                  "terms": int(total["terms"]), "agree_terms": total["same_terms"] / total["terms"]}))
"""


# How long the sentence table ingest wrote takes to load in pandas.
READ_BACK = r"""
import json, os, sys, time
import pandas as pd
start = time.perf_counter()
frame = pd.read_parquet(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - start, "rows": len(frame),
                  "mb": os.path.getsize(sys.argv[1]) / 2**20}))
"""


def python(code: str, *args: str) -> tuple[float, int, dict]:
    seconds, peak, out = run([PY, "-c", code, *args])
    return seconds, peak, json.loads(out.strip().splitlines()[-1])


def ingest(source: Path, out: Path, *options: str, rerun: bool = False) -> tuple[float, int]:
    """``python -m toolkit ingest`` into an empty ``out``, or with ``rerun`` into ``out`` as the last run left it
    (a user running the same command again)."""
    if not rerun:
        shutil.rmtree(out, ignore_errors=True)
    seconds, peak, _ = run([PY, "-m", "toolkit", "ingest", str(source), "--out", str(out), *options])
    return seconds, peak


# ------------------------------------------------------------------------------------------------------
def bench_corpus(n: int, work: Path, quick: bool, rows: list[dict]) -> None:
    folder = work / f"corpus-{n}"
    chars = write_corpus(folder, n, ROOT / "data" / "reports")
    out = work / "out"
    jieba_s, _, plain = python(JIEBA, str(folder))
    label = f"{n:,} reports"

    def add(step, seconds, peak=None, note=""):
        rows.append({"input": label, "chars": plain["chars"], "step": step, "seconds": seconds,
                     "rate": plain["chars"] / seconds, "peak_mb": peak / 2**20 if peak else None,
                     "ratio": seconds / plain["seconds"], "note": note})

    add("plain jieba.lcut, 1 process (baseline)", plain["seconds"], note="user dictionary, same cleaned text")
    seconds, peak = ingest(folder, out)
    add("ingest, default (rjieba, all cores)", seconds, peak)
    full = seconds
    _, _, loaded = python(READ_BACK, str(out / "sentences.parquet"))
    rows.append({"input": label, "chars": plain["chars"], "step": "load sentences.parquet in pandas",
                 "seconds": loaded["seconds"], "rate": None, "peak_mb": None, "ratio": None,
                 "note": f"{loaded['rows']:,} rows, {loaded['mb']:.0f} MB on disk"})
    if not quick:
        seconds, peak = ingest(folder, out, "--workers", "1")
        add("ingest, rjieba, 1 worker", seconds, peak, note=f"2 workers: {seconds / full:.2f}x throughput")
        seconds, peak = ingest(folder, out, "--segmenter", "jieba")
        add("ingest, jieba backend, all cores", seconds, peak)
    cache = work / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    seconds, peak = ingest(folder, out, "--cache", str(cache))
    add("ingest, cold cache", seconds, peak)
    # one report added (a real one, sorting last), then the run again: into the same folder, and (another
    # report added instead, so that each run reads one new report) into an empty folder
    seeds = sorted(p for p in (ROOT / "data" / "reports").iterdir() if p.suffix == ".txt")
    extra = folder / "zz-added.txt"
    shutil.copy(seeds[0], extra)
    seconds, peak = ingest(folder, out, "--cache", str(cache), rerun=True)
    add("ingest, warm cache + 1 new report", seconds, peak,
        note=f"{seconds / full:.1%} of the full run; same output folder")
    extra.unlink()
    shutil.copy(seeds[1], extra)
    seconds, peak = ingest(folder, work / "out-new", "--cache", str(cache))
    add("ingest, warm cache + 1 new report, new output folder", seconds, peak,
        note=f"{seconds / full:.1%} of the full run; the others' rows from the cache")
    shutil.rmtree(work / "out-new", ignore_errors=True)
    extra.unlink()
    if n <= 1000:
        _, _, memory = python(MEMORY, str(folder))
        rows.append({"input": label, "chars": plain["chars"], "step": "in-memory Corpus with its tokens",
                     "seconds": None, "rate": None, "peak_mb": memory["bytes"] / 2**20, "ratio": None,
                     "note": f"{memory['tokens']:,} tokens; {memory['bytes'] / plain['chars']:.0f} B per character"})
    if n <= 1000 and not quick:
        _, _, agreement = python(AGREEMENT, str(folder))
        rows.append({"input": label, "chars": plain["chars"], "step": "rjieba vs jieba token agreement",
                     "seconds": None, "rate": None, "peak_mb": None, "ratio": None,
                     "note": f"spans {agreement['agree']:.2%} of {agreement['tokens']:,} tokens; "
                             f"counted terms {agreement['agree_terms']:.2%}"})
    shutil.rmtree(folder)
    shutil.rmtree(out, ignore_errors=True)


# One large file, timed inside the process after a warm-up ingest of one small report (imports, rule files
# and compiled patterns, about 2 s, are paid once per run and are no part of the time per character):
# ingest as the command runs it, and the parse alone (outline).
ONE_FILE = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
from toolkit.ingest import ingest
from toolkit.corpus import load_report
from toolkit.segmentation import config_segmenter
from toolkit.config import Config
config_segmenter(Config()).tokens("预热")
ingest(sys.argv[3], sys.argv[2] + "-warm-up")  # rule files read, patterns compiled, libraries imported

def timed(step) -> float:  # seconds of one run: a small file is timed over repeated runs (one is mostly noise)
    rounds, spent = 0, 0.0
    while rounds == 0 or spent < 1.0:
        start = time.perf_counter()
        step(rounds)
        spent, rounds = spent + time.perf_counter() - start, rounds + 1
    return spent / rounds


# each ingest into an empty folder of its own (into the last one's, a rerun would copy its rows)
seconds = timed(lambda i: ingest(sys.argv[1], sys.argv[2] + (f"-{i}" if i else ""), max_bytes=None))
print(json.dumps({"ingest": seconds, "outline": timed(lambda i: load_report(sys.argv[1]))}))
"""


def bench_file(mb: float, work: Path, rows: list[dict]) -> None:
    folder = work / f"file-{mb}"
    folder.mkdir()
    write_big_file(folder / "big.txt", mb, ROOT / "data" / "reports")
    _, _, plain = python(JIEBA, str(folder))
    label = f"one file, {mb:g} MB"
    rows.append({"input": label, "chars": plain["chars"], "step": "plain jieba.lcut, 1 process (baseline)",
                 "seconds": plain["seconds"], "rate": plain["chars"] / plain["seconds"], "peak_mb": None,
                 "ratio": 1.0, "note": ""})
    small = ROOT / "data" / "reports" / sorted(os.listdir(ROOT / "data" / "reports"))[0]
    _, peak, timed = python(ONE_FILE, str(folder / "big.txt"), str(work / "out"), str(small))
    for step, key, note in (("ingest, default", "ingest", "in-process, after a warm-up"),
                            ("parse only (outline)", "outline", "")):
        rows.append({"input": label, "chars": plain["chars"], "step": step, "seconds": timed[key],
                     "rate": plain["chars"] / timed[key], "peak_mb": peak / 2**20 if key == "ingest" else None,
                     "ratio": timed[key] / plain["seconds"], "note": note})
    shutil.rmtree(folder)
    for out in work.glob("out*"):
        shutil.rmtree(out, ignore_errors=True)


def goals(rows: list[dict]) -> str:
    """The issue's goals, each with the figure measured in this run (where this run measured it)."""
    def find(input_, step):
        return next((r for r in rows if r["input"] == input_ and r["step"].startswith(step)), None)

    lines = ["| goal | measured | met |", "|---|---|---|"]

    def add(goal, measured, met):
        lines.append(f"| {goal} | {measured} | {'yes' if met else 'no'} |")

    for step, what, smallest in (("parse only", "parse (outline)", 0), ("ingest, default", "ingest", 1)):
        files = [r for r in rows if r["input"].startswith("one file") and r["step"].startswith(step)
                 and float(r["input"].split()[2]) >= smallest]
        if len(files) > 1:
            per_char = [r["seconds"] / r["chars"] for r in files]
            spread = max(per_char) / min(per_char)
            add(f"time per character within 1.5x across single files: {what}",
                f"{spread:.2f}x from {files[0]['input'][10:]} to {files[-1]['input'][10:]}", spread <= 1.5)
    tiny = next((r for r in rows if r["input"] == "one file, 0.01 MB" and r["step"] == "ingest, default"), None)
    if tiny:
        lines.append(f"| (an ingest's fixed cost, whatever the size: writing 22 files) | {tiny['seconds']:.2f} s "
                     "for the 10 KB file | |")
    large = [r for r in rows if r["input"] == "one file, 50 MB" and r["step"] == "ingest, default"]
    if large:
        add("a 50 MB file in under 2 minutes", f"{large[0]['seconds']:.0f} s", large[0]["seconds"] < 120)
    label = "1,000 reports"
    fast, default = find(label, "ingest, default"), find(label, "ingest, jieba backend")
    if default:
        add("1,000 reports, jieba backend, 2 workers: ratio to plain jieba <= 1.0", f"{default['ratio']:.2f}",
            default["ratio"] <= 1.0)
    if fast:
        add("1,000 reports, fast backend (rjieba, the default), 2 workers: ratio <= 0.4", f"{fast['ratio']:.2f}",
            fast["ratio"] <= 0.4)
    one = find(label, "ingest, rjieba, 1 worker")
    if fast and one:
        add("workers=2 at least 1.7x the throughput of workers=1", f"{one['seconds'] / fast['seconds']:.2f}x",
            one["seconds"] / fast["seconds"] >= 1.7)
    for n in ("1,000", "10,000"):
        added = find(f"{n} reports", "ingest, warm cache")
        base = find(f"{n} reports", "ingest, default")
        if added and base:
            share = added["seconds"] / base["seconds"]
            add(f"adding one report to a cached {n}-report corpus (same output folder): <= 5% of the full run",
                f"{share:.1%}",
                share <= 0.05)
    big = find("10,000 reports", "ingest, default")
    if big:
        add("10,000 reports: ingest peak memory <= 3 GB", f"{big['peak_mb'] / 1024:.2f} GB", big["peak_mb"] <= 3072)
    memory = find(label, "in-memory Corpus")
    if memory:
        add("in-memory Corpus of 1,000 reports with its tokens <= 0.8 GB", f"{memory['peak_mb'] / 1024:.2f} GB",
            memory["peak_mb"] <= 0.8 * 1024)
    agreement = find(label, "rjieba vs jieba")
    if agreement:
        add("rjieba agrees with jieba on >= 99.5% of tokens", agreement["note"],
            float(agreement["note"].split("%")[0].split()[-1]) >= 99.5)
    return "\n".join(lines)


def table(rows: list[dict]) -> str:
    lines = ["| input | characters | step | seconds | characters/s | peak memory (MB) | ratio to plain jieba | note |",
             "|---|---:|---|---:|---:|---:|---:|---|"]
    for r in rows:
        cell = lambda v, f: "" if v is None else format(v, f)  # noqa: E731
        lines.append(f"| {r['input']} | {r['chars']:,} | {r['step']} | {cell(r['seconds'], '.1f')} | "
                     f"{cell(r['rate'], ',.0f')} | {cell(r['peak_mb'], ',.0f')} | {cell(r['ratio'], '.2f')} | {r['note']} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    memory = next((int(line.split()[1]) // 2**20 for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    from toolkit.parallel import available_cores

    return (f"{platform.platform()}, Python {platform.python_version()}, {available_cores()} cores ({cpu}), "
            f"{memory} GB memory")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="*", default=[100, 1000], help="corpus sizes (reports)")
    parser.add_argument("--mb", type=float, nargs="*", default=[0.01, 1, 10], help="single-file sizes (MB)")
    parser.add_argument("--quick", action="store_true", help="default ingest and caching only")
    parser.add_argument("--full-up-to", type=int, default=1000,
                        help="corpora larger than this get the default ingest and caching only (default 1000)")
    parser.add_argument("--write", action="store_true", help="write benchmarks/README.md")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="parktk-scale-"))
    rows: list[dict] = []
    try:
        for n in args.n:
            bench_corpus(n, work, args.quick or n > args.full_up_to, rows)
            print(table(rows[-10:]), flush=True)
        for mb in args.mb:
            bench_file(mb, work, rows)
            print(table(rows[-3:]), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n" + table(rows) + "\n\n" + goals(rows))
    if args.write:
        text = (HERE / "README.template.md").read_text(encoding="utf-8")
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
        for key, value in (("{machine}", machine()), ("{date}", time.strftime("%Y-%m-%d")),
                           ("{commit}", commit.stdout.strip() or "?"),
                           ("{command}", "python benchmarks/bench_scale.py " + " ".join(sys.argv[1:])),
                           ("{goals}", goals(rows)), ("{table}", table(rows))):
            text = text.replace(key, value)
        (HERE / "README.md").write_text(text, encoding="utf-8")
        print("written: benchmarks/README.md")


if __name__ == "__main__":
    main()
