"""Where a request's body ends, decided strictly as RFC 9112 asks.

A request whose framing two HTTP parsers could read differently is refused and its connection
closed, so that no byte of one request is ever taken for the start of the next (request
smuggling):

- Header section (RFC 9112 section 5): a field line that is not ``name: value`` (such as
  whitespace before the colon, which would hide ``Content-Length`` from this parser but not
  from others), a first line starting with whitespace, or an obsolete folded line: 400.
- ``Content-Length`` (RFC 9110 section 8.6) is ``1*DIGIT`` in ASCII, at most ``2**63 - 1``
  (Go's limit). Repeated values, as several fields or a comma list, must all be equal. Anything
  else (``+5``, ``-1``, ``²``, a 5,000-digit number, ``1, 2``): 400.
- ``Transfer-Encoding`` together with ``Content-Length``: 400 (section 6.3 allows this answer
  and requires the close). In an HTTP/1.0 request: 400 (section 6.1: the framing is faulty).
- ``Transfer-Encoding`` whose last coding is not ``chunked``, or with ``chunked`` twice: 400
  (section 6.3, item 4). ``chunked`` after a coding the emulator does not implement (``gzip,
  chunked``): 501 Not Implemented (section 6.1).
- Chunked bodies (section 7.1): the size is ``1*HEXDIG``, followed by nothing or by extensions
  after optional blanks and ``;``; the size line and the data end in CRLF. ``0xc``, ``+c``,
  ``0_c``, `` c``, ``c `` and bare LF endings are refused with 400. The trailer section is
  read and dropped, bounded like the header section.

The errors are answered as Go's ``net/http`` answers them, before the gateway: plain text
``400 Bad Request: <reason>`` with ``Connection: close``.
"""

from __future__ import annotations

import email.errors
import email.message
import re
from io import BufferedIOBase

__all__ = ["BodyTooLarge", "FramingError", "body_length", "read_chunked"]

MAX_CONTENT_LENGTH = 2**63 - 1
"""Largest Content-Length accepted as a number (Go parses it as a signed 63-bit integer)."""

_DIGITS = re.compile(r"[0-9]{1,19}")
_CHUNK_SIZE_LINE = re.compile(rb"([0-9A-Fa-f]{1,16})(?:[ \t]*;[^\r\n]*)?\r\n")
_MAX_LINE_BYTES = 4096
_MAX_TRAILER_LINES = 100
_MULTIPART_DEFECTS = (
    email.errors.StartBoundaryNotFoundDefect,
    email.errors.MultipartInvariantViolationDefect,
    email.errors.CloseBoundaryNotFoundDefect,
    email.errors.NoBoundaryInMultipartDefect,
)


class FramingError(Exception):
    """A request whose body cannot be delimited safely; answer ``status`` and close."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class BodyTooLarge(Exception):
    """A chunked body grew past the limit."""


def body_length(headers: email.message.Message, version: str) -> int | None:
    """The body's length from the header section: a byte count, or None for chunked.

    Raises ``FramingError`` for any header section whose framing is not unambiguous.
    """
    _check_field_lines(headers)
    codings = headers.get_all("Transfer-Encoding")
    lengths = headers.get_all("Content-Length")
    if codings is not None:
        if lengths is not None:
            raise FramingError("both Transfer-Encoding and Content-Length")
        if version == "HTTP/1.0":
            raise FramingError("Transfer-Encoding in an HTTP/1.0 request")
        _check_codings(codings)
        return None
    if lengths is None:
        return 0
    return _content_length(lengths)


def _check_field_lines(headers: email.message.Message) -> None:
    # The stdlib parser stops at a line that is not "name: value" and keeps the rest as a
    # "payload"; the fields after it would go unseen here but not by a proxy in front.
    # A multipart Content-Type makes the parser look for parts in the (empty) payload and
    # report their absence; those defects say nothing about the header lines.
    defects = [d for d in headers.defects if not isinstance(d, _MULTIPART_DEFECTS)]
    if defects or headers.get_payload():
        raise FramingError("malformed header field line")
    for value in headers.values():
        if "\r" in value or "\n" in value:
            raise FramingError("obsolete line folding in a header field")


def _check_codings(fields: list[str]) -> None:
    codings = [coding.strip(" \t").lower() for field in fields for coding in field.split(",")]
    if codings[-1] != "chunked" or codings.count("chunked") != 1:
        raise FramingError("Transfer-Encoding must end with chunked, once")
    if len(codings) > 1:
        raise FramingError(f"unsupported transfer encoding: {fields!r}", 501)


def _content_length(fields: list[str]) -> int:
    values = {value.strip(" \t") for field in fields for value in field.split(",")}
    if len(values) != 1:
        raise FramingError("conflicting Content-Length values")
    (value,) = values
    if not (value.isascii() and _DIGITS.fullmatch(value)):
        raise FramingError("bad Content-Length")
    length = int(value)
    if length > MAX_CONTENT_LENGTH:
        raise FramingError("bad Content-Length")
    return length


def read_chunked(reader: BufferedIOBase, limit: int) -> bytes:
    """Read a chunked body of at most ``limit`` bytes, and its trailer section (dropped).

    Raises ``FramingError`` for a malformed chunk, ``BodyTooLarge`` past ``limit`` and
    ``ConnectionResetError`` if the client stops sending before the end.
    """
    chunks: list[bytes] = []
    total = 0
    while True:
        match = _CHUNK_SIZE_LINE.fullmatch(_read_line(reader))
        if match is None:
            raise FramingError("bad chunk size")
        size = int(match.group(1), 16)
        if size == 0:
            break
        total += size
        if total > limit:
            raise BodyTooLarge
        data = reader.read(size)
        if len(data) < size:
            raise ConnectionResetError("the client ended a chunk early")
        chunks.append(data)
        if _read_line(reader) != b"\r\n":
            raise FramingError("bad chunk terminator")
    for _ in range(_MAX_TRAILER_LINES):
        line = _read_line(reader)
        if line == b"\r\n":
            return b"".join(chunks)
        if not line.endswith(b"\r\n"):
            raise FramingError("bad trailer line")
    raise FramingError("too many trailer fields")


def _read_line(reader: BufferedIOBase) -> bytes:
    line = reader.readline(_MAX_LINE_BYTES + 1)
    if not line:
        raise ConnectionResetError("the client stopped sending mid-body")
    if len(line) > _MAX_LINE_BYTES:
        raise FramingError("chunk line too long")
    return line
