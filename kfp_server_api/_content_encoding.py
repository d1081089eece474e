"""Response bodies in gzip or deflate, decoded in one piece and never beyond a size limit.

A server (or a proxy) that compresses its answers can also send a small body that expands
without end: 200 KiB of gzip holding 400 MiB of zeros. The decoder stops as soon as the decoded
size passes the limit (``Configuration.max_response_bytes``), so the memory it takes stays
within that limit, whatever the compressed stream holds.
"""

from __future__ import annotations

import zlib
from typing import Final

from urllib3 import exceptions as urllib3_errors

__all__ = ["ZLIB_CODINGS", "BodyTooLarge", "EncodingCutShort", "decompressed"]

#: Content codings decoded here (the others are urllib3's), and the zlib window of each.
ZLIB_CODINGS: Final = {
    "gzip": 16 + zlib.MAX_WBITS,
    "x-gzip": 16 + zlib.MAX_WBITS,
    "deflate": zlib.MAX_WBITS,
}


class EncodingCutShort(Exception):
    """A gzip or deflate body whose compressed stream stops before its end."""

    def __init__(self, reason: str, data: bytes) -> None:
        super().__init__(reason)
        self.reason = reason
        self.data = data


class BodyTooLarge(Exception):
    """A response body larger than the limit, as sent or once decoded (the reason says which)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _too_large(coding: str, limit: int) -> BodyTooLarge:
    return BodyTooLarge(
        f"Response body too large: its {coding} content encoding expands beyond the limit of "
        f"{limit} bytes (Configuration.max_response_bytes)"
    )


def _inflate(decoder: zlib._Decompress, data: bytes, room: int | None) -> bytes:
    """``data`` through ``decoder``, refusing to produce more than ``room`` bytes."""
    if room is None:
        return decoder.decompress(data)
    # One byte more than the room: getting it means the limit is passed.
    decoded = decoder.decompress(data, room + 1)
    if len(decoded) > room:
        raise BodyTooLarge("")
    return decoded


def decompressed(data: bytes, coding: str, limit: int | None) -> bytes:
    """``data`` decoded from gzip (one member or several) or deflate (zlib-wrapped or raw).

    Args:
        data: the body as received.
        coding: a key of ``ZLIB_CODINGS``.
        limit: most bytes the decoded body may have (``None``: no limit).

    Raises:
        urllib3.exceptions.DecodeError: the stream is corrupt.
        EncodingCutShort: the stream stops before its end.
        BodyTooLarge: the decoded body would pass ``limit``.
    """
    if not data:  # no body at all (HEAD, 204): nothing to decode
        return data
    wbits = ZLIB_CODINGS[coding]
    decoder = zlib.decompressobj(wbits)
    try:
        try:
            pieces = [_inflate(decoder, data, limit)]
        except zlib.error:
            if coding != "deflate":
                raise
            decoder = zlib.decompressobj(-zlib.MAX_WBITS)  # deflate without the zlib wrapper
            pieces = [_inflate(decoder, data, limit)]
        # gzip allows members one after another; bytes after a whole member that do not start
        # another one are ignored, as urllib3 ignores them.
        while coding != "deflate" and decoder.eof and decoder.unused_data:
            following = decoder.unused_data
            decoder = zlib.decompressobj(wbits)
            room = None if limit is None else limit - sum(map(len, pieces))
            try:
                pieces.append(_inflate(decoder, following, room))
            except zlib.error:
                return b"".join(pieces)
    except zlib.error as error:
        raise urllib3_errors.DecodeError(f"Content-Encoding {coding}: {error}") from error
    except BodyTooLarge:
        raise _too_large(coding, limit or 0) from None
    decoded = b"".join(pieces)
    if not decoder.eof:
        raise EncodingCutShort(
            f"Response body cut short (not valid JSON): its {coding} stream (Content-Encoding) "
            f"stops before its end ({len(data)} bytes received, {len(decoded)} decoded)",
            decoded,
        )
    return decoded
