"""Percentiles, and a step profiler that splits one call's time into exclusive per-step shares."""

from __future__ import annotations

import functools
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from evals.runner import _percentile


def percentile(values: Iterable[float], pct: float) -> float:
    """Nearest-rank percentile, the same rule as the eval runner's p50/p95."""
    return _percentile(sorted(values), pct)


def summary_ms(values: list[float]) -> dict:
    """p50 / p95 / mean / n of a list of milliseconds, rounded for the report."""
    if not values:
        return {"n": 0, "p50_ms": 0.0, "p95_ms": 0.0, "mean_ms": 0.0}
    return {"n": len(values), "p50_ms": round(percentile(values, 50), 1),
            "p95_ms": round(percentile(values, 95), 1), "mean_ms": round(statistics.fmean(values), 1)}


class StepProfiler:
    """Times labelled regions, exclusive of nested ones: the embedding inside retrieval counts once, as embedding.

    Regions nest on one thread (the assistant's chain runs its steps in sequence), so a stack is enough.
    """

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._clock = clock
        self._stack: list[float] = []  # time spent in child regions, per open region
        self.totals: dict[str, float] = defaultdict(float)  # seconds, exclusive

    def reset(self) -> dict[str, float]:
        """The totals so far (in ms), and a fresh start."""
        taken = {label: seconds * 1000 for label, seconds in self.totals.items()}
        self.totals = defaultdict(float)
        return taken

    @contextmanager
    def region(self, label: str) -> Iterator[None]:
        self._stack.append(0.0)
        began = self._clock()
        try:
            yield
        finally:
            elapsed = self._clock() - began
            children = self._stack.pop()
            self.totals[label] += elapsed - children
            if self._stack:
                self._stack[-1] += elapsed

    def wrap(self, label: str, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            with self.region(label):
                return fn(*args, **kwargs)
        return timed
