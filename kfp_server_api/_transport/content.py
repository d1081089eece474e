"""Reading response bodies: never beyond a size limit, gzip and deflate decoded in one piece.

A body longer than ``Configuration.max_response_bytes`` (256 MiB by default), as sent or once
decoded from gzip or deflate, raises :class:`BodyTooLarge` before it fills memory: a
Content-Length above the limit is refused unread, other bodies are read in pieces and stop at
the limit, and the decoder stops as soon as it passes it. A chunked body is read with urllib3's
``read_chunked``, so that a malformed chunk size is reported as ``InvalidChunkLength`` with the
line it read (no decision depends on an error's wording).

A gzip or deflate body is decoded here, in one piece, so that a stream that is corrupt
(:class:`CorruptEncoding`) or cut short (:class:`EncodingCutShort`) is reported as
such rather than as an empty or invalid JSON body. Other encodings are left to urllib3.


A server (or a proxy) that compresses its answers can also send a small body that expands
without end: 200 KiB of gzip holding 400 MiB of zeros. The decoder stops as soon as the decoded
size passes the limit (``Configuration.max_response_bytes``), so the memory it takes stays
within that limit, whatever the compressed stream holds.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any, Final

from urllib3 import exceptions as urllib3_errors

__all__ = [
    "ZLIB_CODINGS",
    "BodyTooLarge",
    "CorruptEncoding",
    "EncodingCutShort",
    "decompressed",
    "read_body",
    "read_rest",
]

#: Content codings decoded here (the others are urllib3's), and the zlib window of each.
ZLIB_CODINGS: Final = {
    "gzip": 16 + zlib.MAX_WBITS,
    "x-gzip": 16 + zlib.MAX_WBITS,
    "deflate": zlib.MAX_WBITS,
}
# Bodies whose Content-Length is at most this are read in one call; others (and those of
# unknown length) in pieces of _BODY_PIECE bytes, so that no length a server declares makes
# the client allocate it at once.
_ONE_READ_MOST: Final = 64 * 1024 * 1024
_BODY_PIECE: Final = 1024 * 1024


class EncodingCutShort(Exception):
    """A gzip or deflate body whose compressed stream stops before its end."""

    def __init__(self, reason: str, data: bytes) -> None:
        super().__init__(reason)
        self.reason = reason
        self.data = data


class CorruptEncoding(urllib3_errors.DecodeError):
    """A gzip or deflate body whose compressed stream is corrupt (urllib3's ``DecodeError``, as
    urllib3 itself reports a corrupt body in the encodings it decodes)."""


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
        CorruptEncoding: the stream is corrupt.
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
        raise CorruptEncoding(f"Content-Encoding {coding}: {error}") from error
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


def _announced_too_large(length: int, limit: int) -> BodyTooLarge:
    return BodyTooLarge(
        f"Response body too large: {length} bytes announced (Content-Length), above the "
        f"limit of {limit} bytes (Configuration.max_response_bytes)"
    )


def _in_pieces(pieces: Iterator[bytes], limit: int | None) -> bytes:
    """The pieces joined, refusing to hold more than ``limit`` bytes."""
    kept: list[bytes] = []
    size = 0
    for piece in pieces:
        size += len(piece)
        if limit is not None and size > limit:
            raise BodyTooLarge(
                f"Response body too large: more than the limit of {limit} bytes "
                "(Configuration.max_response_bytes)"
            )
        kept.append(piece)
    return b"".join(kept)


def _pieces(raw: Any, decode_content: bool) -> Iterator[bytes]:
    """The pieces of a body that is not chunked, read until it ends."""
    size = 0
    while True:
        piece = raw.read(_BODY_PIECE, decode_content=decode_content)
        if not piece:
            missing = getattr(raw, "length_remaining", None)
            if isinstance(missing, int) and missing > 0:
                # urllib3 1.26 ends a read in pieces quietly where the body stops short.
                raise urllib3_errors.IncompleteRead(size, missing)
            return
        size += len(piece)
        yield piece


def read_rest(raw: Any, limit: int | None, *, decode_content: bool) -> bytes:
    """The rest of the body of ``raw``, at most ``limit`` bytes (``None``: no limit).

    A body of known length within the limit (the usual case) is read in one call; any other in
    pieces, so that neither a Content-Length nor a chunk size makes the client allocate what
    the server merely announces.

    Raises:
        BodyTooLarge: the body is longer than ``limit``.
    """
    length = getattr(raw, "length_remaining", None)
    if isinstance(length, int):
        if limit is not None and length > limit:
            raise _announced_too_large(length, limit)
        if length <= _ONE_READ_MOST:
            return bytes(raw.read(decode_content=decode_content, cache_content=True))
    if getattr(raw, "chunked", False) and length is None:
        # urllib3 parses the chunk sizes (http.client's parser reports a malformed one only
        # in its error's wording).
        return _in_pieces(raw.read_chunked(_BODY_PIECE, decode_content=decode_content), limit)
    return _in_pieces(_pieces(raw, decode_content), limit)


def read_body(raw: Any, limit: int | None) -> bytes:
    """The whole body of ``raw``, decoded from gzip or deflate, at most ``limit`` bytes.

    Raises:
        BodyTooLarge: the body, as sent or decoded, is longer than ``limit``.
        EncodingCutShort: the gzip or deflate stream stops before its end.
        CorruptEncoding: the gzip or deflate stream is corrupt.
    """
    coding = raw.headers.get("Content-Encoding")
    if coding is not None:
        coding = coding.strip().lower()
        if coding in ZLIB_CODINGS:
            return decompressed(read_rest(raw, limit, decode_content=False), coding, limit)
    return read_rest(raw, limit, decode_content=True)
