"""Fixtures of the reliability suite: the figures tally, leak checks, an emulator."""

from __future__ import annotations

import os
import time
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
import urllib3

from kfp_server_api.emulator import Emulator, Lifecycle

from .figures import Figures, write_page
from .process_resources import AVAILABLE, Census, take_census
from .retry_waits import Waits

_FIGURES = Figures()
_LOADED = time.monotonic()  # collection of this directory starts: close to when its tests do


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the figures the tests counted; write them into a page if asked (figures.py)."""
    table = _FIGURES.table()
    if table:
        terminalreporter.write_sep("=", "reliability figures")
        terminalreporter.write_line(table)
        page = os.environ.get("RELIABILITY_FIGURES")
        if page:
            write_page(Path(page), table, time.monotonic() - _LOADED)
            terminalreporter.write_line(f"written into {page}")


@pytest.fixture(scope="session")
def figures() -> Figures:
    """The session's figures; tests add what they counted."""
    return _FIGURES


@pytest.fixture
def no_leaks(figures: Figures) -> Iterator[Census]:
    """Fail the test if it leaves a socket, a descriptor or a thread behind.

    Request it before the fixtures that start servers or clients, so that it checks after
    they are torn down. Yields the census taken before the test.
    """
    if not AVAILABLE:
        pytest.skip("needs /proc to count descriptors")
    before = take_census()
    yield before
    leaks = take_census().leaks_since(before)
    assert not leaks, "; ".join(leaks)
    figures.add("leak_checks")


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> Waits:
    """Records every wait before a retry: urllib3's (its retry module's ``time.sleep``) and,
    for configurations passed to ``configure``, the client's retry policy's."""
    recorded = Waits()
    clock = types.SimpleNamespace(time=time.time, sleep=recorded.sleep)
    monkeypatch.setattr(urllib3.util.retry, "time", clock)
    return recorded


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """A fresh in-process emulator whose runs stay where they are unless driven."""
    with Emulator(lifecycle=Lifecycle.manual()) as server:
        yield server
