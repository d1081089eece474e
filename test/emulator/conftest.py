"""Fixtures of the emulator's tests: a fresh emulator per test and a raw HTTP client for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from emulator_http import Client

from kfp_server_api.emulator import Emulator, Lifecycle, ManualClock


@pytest.fixture
def clock() -> ManualClock:
    """A clock that only moves when the test advances it (starts 2022-03-01T10:00:00Z)."""
    return ManualClock()


@pytest.fixture
def emulator(clock: ManualClock) -> Iterator[Emulator]:
    """A fresh, serving emulator whose runs move only when driven."""
    with Emulator(clock=clock, lifecycle=Lifecycle.manual()) as server:
        yield server


@pytest.fixture
def client(emulator: Emulator) -> Iterator[Client]:
    """A raw HTTP client of ``emulator``."""
    raw = Client(emulator.url)
    yield raw
    raw.close()
