"""Reading one file of a ``multipart/form-data`` request body, as Go's ``Request.FormFile``
does for the upload handler.

The body is already in memory (its size is bounded by the route); the file's bytes are one
slice of it. Errors carry Go's texts (``request Content-Type isn't multipart/form-data``,
``no multipart boundary param in Content-Type``, ``multipart: NextPart: EOF``,
``unexpected EOF``, ``http: no such file``).
"""

from __future__ import annotations

import email.message
import posixpath

__all__ = ["MultipartError", "form_file"]

_MAX_HEADER_BYTES = 16 * 1024


class MultipartError(ValueError):
    """The body holds no readable file part of that name."""


def _parameters(header: str, value: str) -> email.message.Message:
    message = email.message.Message()
    message[header] = value
    return message


def form_file(content_type: str, body: bytes, field: str) -> tuple[str, bytes]:
    """(file name, bytes) of the first part named ``field`` that has a file name.

    The file name loses any directories, as Go's ``filepath.Base`` strips them.
    """
    header = _parameters("Content-Type", content_type)
    if not content_type or header.get_content_type() != "multipart/form-data":
        raise MultipartError("request Content-Type isn't multipart/form-data")
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise MultipartError("no multipart boundary param in Content-Type")
    delimiter = b"--" + boundary.encode("utf-8", "replace")
    if body.startswith(delimiter):
        position = 0
    else:
        position = body.find(b"\n" + delimiter)
        if position == -1:
            raise MultipartError("multipart: NextPart: EOF")
        position += 1
    while True:
        position += len(delimiter)
        if body.startswith(b"--", position):
            raise MultipartError("http: no such file")
        line_end = body.find(b"\n", position)
        if line_end == -1 or body[position:line_end].strip(b" \t\r"):
            raise MultipartError("multipart: NextPart: EOF")
        head_start = line_end + 1
        head_end = body.find(b"\r\n\r\n", head_start, head_start + _MAX_HEADER_BYTES)
        if head_end == -1:
            if body.startswith(b"\r\n", head_start):
                head_end = head_start - 2
            else:
                raise MultipartError("unexpected EOF")
        content_start = head_end + 4
        content_end = body.find(b"\r\n" + delimiter, content_start)
        if content_end == -1:
            raise MultipartError("unexpected EOF")
        name, file_name = _disposition(body[head_start:head_end])
        if name == field and file_name:
            return _base_name(file_name), body[content_start:content_end]
        position = content_end + 2


def _disposition(head: bytes) -> tuple[str | None, str | None]:
    for line in head.decode("utf-8", "replace").split("\r\n"):
        key, _, value = line.partition(":")
        if key.strip().lower() == "content-disposition":
            message = _parameters("Content-Disposition", value.strip())
            name = message.get_param("name", header="content-disposition")
            file_name = message.get_filename()
            return (name if isinstance(name, str) else None), file_name
    return None, None


def _base_name(file_name: str) -> str:
    stripped = file_name.rstrip("/")
    return posixpath.basename(stripped) if stripped else "/"
