"""Emulator reset and snapshot restore, against what a test would pay without them.

- ``reset``: ``Emulator.reset()`` of an emulator holding N runs, against a new ``Emulator()``
  closed again (an empty store, as a fixture per test builds it). Reset empties the store
  whatever it holds, so its figure should not grow with N.
- ``restore``: ``Emulator.restore(snapshot)`` of a snapshot of N seeded runs, against seeding
  the same N runs with ``seed_runs`` (what each test would do without a snapshot). The ratio is
  how much of the seeding time a test still pays.

The emulator is refilled before each sample, outside the timed part. This workload exists only
for this SDK (1.8.5 has no emulator).
"""

from __future__ import annotations

from typing import Any

import measure
from measure import Measurement
from workloads import Target, progress


def _seeds(emulator_module: Any, count: int) -> list[Any]:
    return [
        emulator_module.RunSeed(name=f"run {i:06}", metrics={"accuracy": i / count})
        for i in range(count)
    ]


def snapshots(target: Target, count: int, repeat: int) -> list[Measurement]:
    """Median reset and restore times at ``count`` stored runs, against their alternatives."""
    progress(f"{target.label}: emulator reset and snapshot restore, {count:,} runs")
    target.sdk()
    module = __import__(f"{target.module}.emulator", fromlist=["Emulator"])
    seeds = _seeds(module, count)
    emulator = module.Emulator(lifecycle="manual")
    emulator.seed_runs(seeds)
    full = emulator.snapshot()

    def reset_sample() -> float:
        emulator.restore(full)
        return measure.time_once(emulator.reset)

    def new_emulator_sample() -> float:
        return measure.time_once(lambda: module.Emulator(lifecycle="manual").close())

    def restore_sample() -> float:
        emulator.reset()
        return measure.time_once(lambda: emulator.restore(full))

    def seed_sample() -> float:
        emulator.reset()
        return measure.time_once(lambda: emulator.seed_runs(seeds))

    try:
        reset, fresh = measure.alternate(reset_sample, new_emulator_sample, repeat)
        restore, seed = measure.alternate(restore_sample, seed_sample, repeat)
    finally:
        emulator.close()
        full.close()
    params = {"clock": "wall", "runs": count}
    return [
        Measurement(
            name="snapshot reset",
            subject=f"Emulator.reset() holding {count:,} runs",
            baseline="a new Emulator(), closed",
            unit="s",
            subject_samples=reset,
            baseline_samples=fresh,
            params=params,
        ),
        Measurement(
            name="snapshot restore",
            subject=f"Emulator.restore() of a {count:,}-run snapshot",
            baseline=f"seed_runs of the same {count:,} runs",
            unit="s",
            subject_samples=restore,
            baseline_samples=seed,
            params=params,
        ),
    ]
