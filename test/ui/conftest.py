"""Fixtures of the web page's tests: one headless Chromium per module, and seeded emulators."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ui_browser import browser_or_skip_reason, start_chromium
from ui_seed import Demo, seed_demo

from kfp_server_api.emulator import Emulator, Lifecycle, ManualClock


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser saves downloaded files."""
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[Any]:
    """A headless Chromium with a fresh profile (skips when none is installed)."""
    found = browser_or_skip_reason()
    if isinstance(found, str):
        pytest.skip(found)
    browser = start_chromium(*found, tmp_path_factory.mktemp("profile"), downloads)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    """An emulator whose runs move only when driven, on a clock that only moves when told."""
    with Emulator(clock=ManualClock(), lifecycle=Lifecycle.manual()) as server:
        yield server


@pytest.fixture(scope="module")
def demo(emulator: Emulator) -> Demo:
    """The realistic state of ``ui_seed`` in ``emulator``."""
    return seed_demo(emulator)
