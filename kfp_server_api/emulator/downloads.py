"""Downloading a pipeline file from a URL, as create_pipeline and create_pipeline_version do.

The real server fetches ``url.pipeline_url`` itself with Go's default HTTP client: GET, up to
10 redirects, ``http`` and ``https`` only, no time limit. The emulator does the same within
bounds: the whole download (redirects included) must finish within ``timeout`` seconds, and at
most ``limit`` + 1 bytes are read, enough for the caller to tell a file that is too large. A
redirect may only lead to another ``http``/``https`` URL.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.parse
from dataclasses import dataclass

__all__ = ["DEFAULT_DOWNLOAD_TIMEOUT", "Download", "DownloadError", "download"]

DEFAULT_DOWNLOAD_TIMEOUT = 30.0
"""Seconds a pipeline download may take in all."""
_MAX_REDIRECTS = 10
_CHUNK = 64 * 1024


class DownloadError(Exception):
    """The URL could not be fetched: ``cause`` says why, in the form Go's client words it."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


@dataclass(frozen=True)
class Download:
    """A finished download: the final status and up to ``limit`` + 1 bytes of the body."""

    status: int
    body: bytes


def download(url: str, *, limit: int, timeout: float = DEFAULT_DOWNLOAD_TIMEOUT) -> Download:
    """GET ``url``, following redirects. Raises DownloadError for a transport failure."""
    deadline = time.monotonic() + timeout
    current = url
    for _ in range(_MAX_REDIRECTS + 1):
        parts = urllib.parse.urlsplit(current)
        if parts.scheme not in ("http", "https"):
            raise DownloadError(f'Get "{url}": unsupported protocol scheme "{parts.scheme}"')
        if not parts.hostname:
            raise DownloadError(f'Get "{url}": http: no Host in request URL')
        try:
            status, location, body = _get(parts, deadline, limit)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            reason = "context deadline exceeded" if isinstance(exc, socket.timeout) else str(exc)
            raise DownloadError(f'Get "{url}": {reason or type(exc).__name__}') from None
        if status in (301, 302, 303, 307, 308) and location:
            current = urllib.parse.urljoin(current, location)
            continue
        return Download(status, body)
    raise DownloadError(f'Get "{url}": stopped after {_MAX_REDIRECTS} redirects')


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise socket.timeout("timed out")
    return left


def _get(
    parts: urllib.parse.SplitResult, deadline: float, limit: int
) -> tuple[int, str | None, bytes]:
    host = parts.hostname or ""
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        context = ssl.create_default_context()
        connection = http.client.HTTPSConnection(
            host, parts.port, timeout=_remaining(deadline), context=context
        )
    else:
        connection = http.client.HTTPConnection(host, parts.port, timeout=_remaining(deadline))
    try:
        target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        connection.request("GET", target, headers={"User-Agent": "kfp-emulator"})
        response = connection.getresponse()
        location = response.getheader("Location")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            if connection.sock is not None:
                connection.sock.settimeout(_remaining(deadline))
            chunk = response.read(min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return response.status, location, b"".join(chunks)
    finally:
        connection.close()
