"""Emulator listing benchmark (placeholder until the emulator's seeding API is known)."""

from __future__ import annotations

from measure import Measurement
from workloads import Target


def listing(
    target: Target, small: int, large: int, page_size: int, repeat: int
) -> list[Measurement]:
    raise NotImplementedError
