"""scikit-learn's gradient boosting on one OpenMP thread.

Its OpenMP threads spin while they wait for each other: on a server whose cores are busy with
other requests (or two test workers on two cores) a training of a thousand rows took 26 s on
two threads against 0.35 s on one. The app servers and job workers already run in parallel
processes, so each risk computation keeps to one thread (benchmarks/bench_risk.py measures it
so).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from threadpoolctl import threadpool_limits

P = ParamSpec("P")
T = TypeVar("T")
THREADS = 1


def single_threaded(work: Callable[P, T]) -> Callable[P, T]:
    """Run ``work`` with OpenMP limited to ``THREADS``."""

    @functools.wraps(work)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        with threadpool_limits(limits=THREADS, user_api="openmp"):
            return work(*args, **kwargs)

    return run
