"""The web page's routes over HTTP, without a browser: what is served, with which headers, to
whom, and that it ships in the package."""

from __future__ import annotations

import ast
import fnmatch
import http.client
import re
import urllib.parse
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from kfp_server_api.emulator import Emulator, Lifecycle
from kfp_server_api.emulator import ui as page

ROOT = Path(__file__).resolve().parents[2]
ASSETS = sorted(
    entry.name
    for entry in resources.files(page.__name__).iterdir()
    if not entry.name.endswith((".py", ".pyc")) and entry.is_file()
)
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}


def fetch(
    url: str, method: str, path: str, token: str | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    parts = urllib.parse.urlsplit(url)
    assert parts.hostname is not None
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def guarded() -> Iterator[Emulator]:
    with Emulator(token="s3cret", lifecycle=Lifecycle.manual()) as emulator:
        yield emulator


def asset_path(name: str) -> str:
    return "/" if name == "index.html" else f"{page.ASSET_PREFIX}{name}"


@pytest.mark.parametrize("name", ASSETS)
def test_every_asset_is_served_without_the_token_with_strict_headers(
    guarded: Emulator, name: str
) -> None:
    status, headers, body = fetch(guarded.url, "GET", asset_path(name))
    assert status == 200
    assert body == resources.files(page.__name__).joinpath(name).read_bytes()
    assert headers["Content-Type"] == TYPES[Path(name).suffix]
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "no-cache"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_every_data_route_stays_behind_the_token(guarded: Emulator) -> None:
    for path in ("/apis/v1beta1/runs", "/apis/v1beta1/healthz", "/emulator/v1/clock:advance"):
        method = "POST" if path.startswith("/emulator/") else "GET"
        assert fetch(guarded.url, method, path)[0] == 401, path
    assert fetch(guarded.url, "GET", "/apis/v1beta1/runs", token="s3cret")[0] == 200


def test_the_shell_has_no_inline_code_and_names_only_its_own_assets() -> None:
    html = resources.files(page.__name__).joinpath("index.html").read_text(encoding="utf-8")
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []  # every script is a file
    assert re.findall(r"\son\w+\s*=", html) == []  # no event handler attributes
    assert "style=" not in html
    assert "<style" not in html
    referenced = re.findall(r'(?:src|href)="(/[^"]*)"', html)
    assert referenced
    assert {path.removeprefix(page.ASSET_PREFIX) for path in referenced} <= set(ASSETS)


def test_scripts_never_write_html() -> None:
    for name in ASSETS:
        if name.endswith(".js"):
            code = resources.files(page.__name__).joinpath(name).read_text(encoding="utf-8")
            for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
                assert sink not in code, f"{name} uses {sink}"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("HEAD", "/", 200),
        ("GET", "/?from=notebook", 200),
        ("POST", "/", 405),
        ("DELETE", f"{page.ASSET_PREFIX}app.js", 405),
        ("GET", f"{page.ASSET_PREFIX}missing.js", 404),
        ("GET", f"{page.ASSET_PREFIX}__init__.py", 404),
        ("GET", "/index.html", 404),
    ],
)
def test_methods_and_unknown_assets(method: str, path: str, status: int) -> None:
    with Emulator() as emulator:
        got, headers, body = fetch(emulator.url, method, path)
    assert got == status
    if method == "HEAD":
        assert body == b""
        assert int(headers["Content-Length"]) > 0
    if status == 405:
        assert headers["Allow"] == "GET, HEAD"
    if status == 404:
        assert body == b"404 page not found\n"


def test_the_page_can_be_turned_off() -> None:
    with Emulator(ui=False) as emulator:
        for name in ASSETS:
            status, _, body = fetch(emulator.url, "GET", asset_path(name))
            assert (status, body) == (404, b"404 page not found\n")
        assert fetch(emulator.url, "GET", "/apis/v1beta1/runs")[0] == 200


def test_the_package_ships_every_asset() -> None:
    """setup.py's package_data for the page matches every asset file (wheels and sdists)."""
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    package_data = next(
        ast.literal_eval(keyword.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg == "package_data"
    )
    patterns = package_data[page.__name__]
    for name in ASSETS:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name
