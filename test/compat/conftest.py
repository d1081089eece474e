"""Fixtures of the KFP SDK acceptance tests: an emulator per test and a ``kfp.Client`` of it."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from kfp_server_api.emulator import Emulator


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """A fresh emulator whose runs finish by their first read."""
    with Emulator(lifecycle="instant") as server:
        yield server


@pytest.fixture
def client(emulator: Emulator) -> Any:
    """``kfp.Client`` of ``emulator`` (the tests that use it skip without the KFP SDK 1.x)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        kfp = pytest.importorskip("kfp", minversion="1.8")
    return kfp.Client(host=emulator.url)
