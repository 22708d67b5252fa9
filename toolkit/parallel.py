"""Running one job per report: in this process or in a pool of worker processes, with a progress bar.

Processing one report is a pure function of its file and the configuration, so jobs run in any order on
any process and give the same result; results come back in the jobs' order. ``workers=None`` (the default
everywhere) uses every core once the work is large enough to repay starting the processes
(:data:`PARALLEL_BYTES` of report files), and one process below that, so tests, the book and small corpora
never start a pool. The progress bar (tqdm) is written to stderr, only on a terminal and only once a run has
lasted :data:`PROGRESS_DELAY` seconds: the book's build and a redirected run stay silent.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterator, Sequence

#: Report files (bytes) above which ``workers=None`` starts a pool: about 2 MB of Chinese text takes
#: 5-10 s on one core, several times a pool's start-up (each worker loads jieba's dictionary, ~1 s).
PARALLEL_BYTES = 2 * 2**20
#: Seconds before a progress bar appears (a shorter run shows none).
PROGRESS_DELAY = 2.0


def available_cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def choose_workers(workers: int | None, n_jobs: int, total_bytes: int) -> int:
    """The number of processes to use: ``workers`` when given (at least 1), else every core for a load of
    :data:`PARALLEL_BYTES` or more and one process below it; never more than there are jobs."""
    if workers is None:
        workers = available_cores() if total_bytes >= PARALLEL_BYTES else 1
    return max(1, min(int(workers), n_jobs))


def run_jobs(function: Callable, jobs: Sequence, workers: int = 1, *, progress: bool | None = None,
             description: str = "reports", stop: Callable[[object], bool] | None = None,
             sizes: Sequence[int] | None = None) -> Iterator:
    """Yield ``function(job)`` for each job, in order, using ``workers`` processes.

    ``progress``: True always shows a bar, False never, None (default) only on a terminal. ``stop``: a result
    for which it is true ends the run (``strict`` loading stops at the first bad file); with workers, jobs
    already running finish and the rest are dropped.
    ``sizes``: reports in each job, when a job is a batch (the bar counts reports).
    """
    running = start_jobs(function, jobs, workers, progress=progress, description=description, stop=stop,
                         sizes=sizes)
    try:
        yield from running
    finally:
        running.close()


class Running:
    """Jobs started by :func:`start_jobs`: iterate for their results, in order; :meth:`close` when done (or
    to drop the jobs not yet started)."""

    def __init__(self, results: Iterator, sizes: list[int], stop, pool: ProcessPoolExecutor | None, bar):
        self.pool, self.bar = pool, bar
        self.finished = False
        self.results = self._ordered(results, sizes, stop)

    def _ordered(self, results: Iterator, sizes: list[int], stop) -> Iterator:
        for size, result in zip(sizes, results):
            self.bar.update(size)
            yield result
            if stop is not None and stop(result):
                break
        self.finished = True  # (stopped by ``stop``: the jobs already given out are let finish)

    def __iter__(self) -> Iterator:
        return self.results

    def close(self) -> None:
        self.results.close()
        if self.pool is not None:  # stopped early (strict, an error, Ctrl-C): the jobs not yet started are dropped
            # and those running awaited, so that no worker writes on after the caller has cleaned up
            self.pool.shutdown(wait=True, cancel_futures=not self.finished)
            self.pool = None
        self.bar.close()


def start_jobs(function: Callable, jobs: Sequence, workers: int = 1, *, progress: bool | None = None,
               description: str = "reports", stop: Callable[[object], bool] | None = None,
               sizes: Sequence[int] | None = None, background: bool = False) -> Running:
    """:func:`run_jobs`, begun now: with several workers (or ``background``: at least one, even for one job)
    the worker processes start at once and work while the caller does something else before it asks for the
    first result. Without, each job runs in this process when its result is asked for."""
    sizes = list(sizes) if sizes is not None else [1] * len(jobs)
    bar = _bar(sum(sizes), description, progress)
    pool = None
    if len(jobs) and (background or (workers > 1 and len(jobs) > 1)):
        workers = max(1, min(workers, len(jobs)))
        chunk = max(1, min(16, len(jobs) // (workers * 8)))
        pool = ProcessPoolExecutor(max_workers=workers)
        results = pool.map(function, jobs, chunksize=chunk)  # submitted now: the workers begin
    else:
        results = (function(job) for job in jobs)
    return Running(results, sizes, stop, pool, bar)


def _bar(total: int, description: str, progress: bool | None):
    from tqdm import tqdm

    disable = None if progress is None else not progress  # None: tqdm shows it only on a terminal
    return tqdm(total=total, desc=description, unit=" reports",
                file=sys.stderr, disable=disable, delay=0 if progress else PROGRESS_DELAY, leave=False,
                dynamic_ncols=True)
