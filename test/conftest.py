"""Fixtures shared by every test tier, and the tiers themselves.

Each test belongs to one tier, given by where it lives (``TIERS``); a test can name another
tier with its own marker. A plain ``python -m pytest`` (no path, no ``-m``) runs the fast tiers
only, the inner loop of a few seconds; give a path (``python -m pytest test``) or ``-m`` to run
the others. docs/testing.md lists which tox environment runs which tier.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis's timing checks (a slow draw, an example past a deadline) measure how busy the
# machine is, not the code: on a loaded CI machine they failed correct tests. Tests that set
# their own settings still override these.
settings.register_profile(
    "kfp_server_api", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("kfp_server_api")

TEST_DIR = Path(__file__).resolve().parent

#: Where each tier lives, relative to test/ (the first matching prefix wins). A test that matches
#: none and carries no tier marker runs with the fast tiers.
TIERS: tuple[tuple[str, str], ...] = (
    ("unit/", "unit"),
    ("test_public_surface.py", "unit"),
    ("with_server/", "with_server"),
    ("test_docs.py", "docs"),
    ("emulator/", "emulator"),
    ("reliability/", "reliability"),
    ("examples/", "scripts"),
    ("test_benchmarks_smoke.py", "scripts"),
    ("test_pytest_plugin.py", "scripts"),
    ("compat/", "compat"),
    ("test_typing.py", "typing"),
    ("ui/", "ui"),
)
TIER_NAMES = frozenset(tier for _, tier in TIERS)
#: The tiers a plain ``python -m pytest`` leaves out; tox runs them once, in `full`, `kfp1`,
#: `type` and `ui`.
SLOW_TIERS = ("emulator", "reliability", "scripts", "compat", "typing", "ui")


def _tier_of(item: pytest.Item) -> str | None:
    own = [mark.name for mark in item.iter_markers() if mark.name in TIER_NAMES]
    if own:
        return own[0]
    path = item.path.resolve()
    if not path.is_relative_to(TEST_DIR):  # e.g. doctests of the package
        return None
    relative = path.relative_to(TEST_DIR).as_posix()
    return next((tier for prefix, tier in TIERS if relative.startswith(prefix)), None)


def _runs_fast_tiers_only(config: pytest.Config) -> bool:
    """True for a plain ``python -m pytest``: no path given and no ``-m`` expression."""
    return config.args_source is pytest.Config.ArgsSource.TESTPATHS and not config.option.markexpr


def pytest_report_header(config: pytest.Config) -> str | None:
    if _runs_fast_tiers_only(config):
        return (
            f"fast tiers only; {', '.join(SLOW_TIERS)} deselected "
            "(`python -m pytest test` runs every tier, `-m emulator` one of them)"
        )
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    fast_only = _runs_fast_tiers_only(config)
    kept, deselected = [], []
    for item in items:
        tier = _tier_of(item)
        if tier is not None and item.get_closest_marker(tier) is None:
            item.add_marker(tier)
        (deselected if fast_only and tier in SLOW_TIERS else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


# The emulator fixtures, whether or not the package is installed (installed, its entry point
# has the module's name, so pytest registers it once); pytester runs the plugin's own tests.
pytest_plugins = ["kfp_server_api.pytest_plugin", "pytester"]

# Proxy and TLS settings from the developer's shell would silently reroute loopback traffic or
# change certificate checks, so every test starts without them.
_ENVIRONMENT_LEAKS = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _ENVIRONMENT_LEAKS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
