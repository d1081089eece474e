"""Timing and memory sampling shared by every benchmark.

A benchmark compares a workload of the SDK ("subject") with a floor workload ("baseline") that does
the irreducible part of the same job. Both are sampled alternately in the same process, so drift
on a shared, noisy machine hits both sides alike, and the figures kept are medians. Each timed
sample runs with the cyclic garbage collector disabled (as ``timeit`` does) so a collection
triggered by earlier garbage is not charged to whichever side happened to be running.
Standard library only: the 1.8.5 comparison imports this module in its own interpreter.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from dataclasses import asdict, dataclass, field
from typing import Any, Callable


@dataclass
class Measurement:
    """Samples of one subject/baseline pair; medians and their ratio are derived from them."""

    name: str
    subject: str
    baseline: str
    unit: str  # "s" (seconds per operation) or "B" (bytes)
    subject_samples: list[float]
    baseline_samples: list[float]
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def subject_median(self) -> float:
        return statistics.median(self.subject_samples)

    @property
    def baseline_median(self) -> float:
        return statistics.median(self.baseline_samples)

    @property
    def ratio(self) -> float:
        """Subject median over baseline median (how many times the floor the SDK costs)."""
        return self.subject_median / self.baseline_median

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            subject_median=self.subject_median,
            baseline_median=self.baseline_median,
            ratio=self.ratio,
        )
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Measurement:
        names = ("name", "subject", "baseline", "unit", "subject_samples", "baseline_samples")
        return cls(**{key: data[key] for key in names}, params=data.get("params", {}))


WALL = time.perf_counter
"""Elapsed time: for work that waits on a socket or on another thread."""
CPU = time.process_time
"""CPU time of this process: for pure computation, as it does not count the time the process
spends descheduled while other work runs on a busy machine."""


def time_once(
    operation: Callable[[], object], number: int = 1, clock: Callable[[], float] = WALL
) -> float:
    """Seconds per call of ``operation``, averaged over ``number`` back-to-back calls."""
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = clock()
        for _ in range(number):
            operation()
        elapsed = clock() - start
    finally:
        if enabled:
            gc.enable()
    return elapsed / number


def traced_memory_once(operation: Callable[[], object]) -> tuple[float, float]:
    """Bytes allocated by ``operation`` (tracemalloc): (peak while it ran, held by its result)."""
    gc.collect()
    tracemalloc.start()
    try:
        result = operation()
        retained, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return float(peak), float(retained)


def alternate(
    subject: Callable[[], float],
    baseline: Callable[[], float],
    repeat: int,
    warmup: int = 1,
) -> tuple[list[float], list[float]]:
    """Take ``repeat`` samples of each sampler, interleaved and in alternating order.

    Each sampler returns one figure (seconds or bytes). ``warmup`` rounds run first and are
    dropped: they fill caches, build per-class decoders and open keep-alive connections.
    """
    for _ in range(warmup):
        baseline()
        subject()
    subject_samples: list[float] = []
    baseline_samples: list[float] = []
    for index in range(repeat):
        if index % 2:
            subject_samples.append(subject())
            baseline_samples.append(baseline())
        else:
            baseline_samples.append(baseline())
            subject_samples.append(subject())
    return subject_samples, baseline_samples
