"""The emulator's web page: a static shell at ``/`` that reads the public v1beta1 REST API.

The page is plain HTML, CSS and JavaScript (ES modules) shipped in this package; it needs no
framework and nothing from the network but the emulator itself. Everything it shows comes from
the same REST endpoints a client calls (``fetch`` with the page's token), so it is read-only by
construction and shows exactly what a client would see.

``serve(method, target)`` answers ``/`` and ``/emulator/ui/<asset>``; anything else is ``None``
and goes on to the API's router.

The shell is served without the token. A browser that opens ``http://host:port/`` cannot attach
an ``Authorization`` header to that navigation, so a shell behind the token could not even load
to ask for it; the alternatives (the token in the URL, or a cookie) would leak it into history
and logs or make every API route accept ambient credentials. The shell holds no data: the same
bytes ship in every installed copy of the package. Every data route (``/apis/``,
``/emulator/v1/``) stays behind the token; the page asks for it once, on the first ``401``, and
keeps it in ``sessionStorage`` for the tab.

Every asset is sent with a strict Content-Security-Policy (scripts and styles from this origin
only, no inline script, no framing, fetches to this origin only), ``nosniff``, no referrer, and
``Cache-Control: no-cache``, so that a browser never keeps a page from an older version of the
package (the assets are a few tens of kilobytes, read over loopback).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from ..routes import TEXT_TYPE, Response

__all__ = ["ASSET_PREFIX", "serve"]

ASSET_PREFIX = "/emulator/ui/"
"""Where the page's scripts, styles and icon are served; the page itself is at ``/``."""

_CONTENT_TYPES: Mapping[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}

# No inline script or style anywhere: the page's code comes only from its own files. Downloads
# are built as blob: URLs, which are navigations, not fetches, so connect-src stays 'self'.
_SECURITY_HEADERS = (
    (
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cache-Control", "no-cache"),
)


@functools.cache
def _files() -> Mapping[str, tuple[str, bytes]]:
    """URL path -> (content type, bytes) of every asset, read once on first use."""
    import importlib.resources  # ~10 ms to import: only when the page is first asked for

    files: dict[str, tuple[str, bytes]] = {}
    for entry in importlib.resources.files(__name__).iterdir():
        suffix = "." + entry.name.rpartition(".")[2]
        if entry.is_file() and suffix in _CONTENT_TYPES:
            path = "/" if entry.name == "index.html" else ASSET_PREFIX + entry.name
            files[path] = (_CONTENT_TYPES[suffix], entry.read_bytes())
    return files


def serve(method: str, target: str) -> Response | None:
    """The answer to a request for the page or one of its assets, or None for other paths.

    ``target`` is the request target as received (a query is ignored). Only GET and HEAD are
    allowed (405 otherwise).
    """
    path = target.partition("?")[0].partition("#")[0]
    if path != "/" and not path.startswith(ASSET_PREFIX):
        return None
    found = _files().get(path)
    if found is None:
        return None
    if method not in ("GET", "HEAD"):
        return Response(405, b"Method Not Allowed\n", TEXT_TYPE, headers=(("Allow", "GET, HEAD"),))
    content_type, body = found
    return Response(200, body, content_type, headers=_SECURITY_HEADERS)
