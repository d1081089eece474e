"""Fixtures shared by every test tier."""

from __future__ import annotations

import pytest

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
