"""Reading an uploaded or downloaded pipeline file: plain YAML or JSON, zip, or tar.gz.

The real server's first layer (``ReadPipelineFile``): the file may be at most
``MAX_FILE_BYTES`` (32 MiB) as received; its format is decided in this order: a name ending in
``.yaml``/``.yml`` or ``.json`` is used as it is, content starting with ``PK`` is a zip and
content starting with the gzip magic a gzip-compressed tar; anything else is an "Unexpected
pipeline file format". In an archive the entry named exactly ``pipeline.yaml`` counts, else
the first entry, whose name must end in ``.yaml`` or ``.yml``.

What the emulator adds, so that no archive can take unbounded memory or time (the real server
has none of these limits; its messages are kept, with the reason after them):

- the chosen file, decompressed, may be at most ``MAX_FILE_BYTES`` too, and a tar archive at
  most ``MAX_TAR_BYTES`` decompressed in all (a bomb is refused as soon as it passes them);
- a zip may list at most ``MAX_ZIP_ENTRIES`` entries (read from its end record before any
  entry is);
- the chosen entry's name may not be absolute or contain a ``..`` component (nothing is ever
  written to disk, but such an archive is refused as hostile).

Errors are ``ApiError`` chains as the server builds them; callers add their own context.
"""

from __future__ import annotations

import gzip
import io
import struct
import tarfile
import zipfile
import zlib
from typing import IO, Protocol

from . import errors
from .errors import ApiError

__all__ = ["MAX_FILE_BYTES", "MAX_TAR_BYTES", "MAX_ZIP_ENTRIES", "read_pipeline_file"]

MAX_FILE_BYTES = 32 << 20
"""Largest pipeline file accepted: as received, and (the emulator's own bound) decompressed."""
MAX_TAR_BYTES = 2 * MAX_FILE_BYTES
"""Most a tar.gz archive may hold decompressed, headers and all other entries included."""
MAX_ZIP_ENTRIES = 10_000
"""Most entries a zip archive may list."""

_UNEXPECTED = "Unexpected pipeline file format. Support .zip, .tar.gz, .json or YAML."
_DECOMPRESS = "Error decompress the pipeline file"
_ZIP = "Error extracting pipeline from the zip file."
_TAR = "Error extracting pipeline from the tarball file."
_EOCD = b"PK\x05\x06"


class _TooLarge(Exception):
    """More bytes than allowed came out of a decompressor."""


def read_pipeline_file(file_name: str, content: bytes) -> bytes:
    """The pipeline file's bytes, unwrapped from its archive. Raises ApiError (400)."""
    if len(content) > MAX_FILE_BYTES:
        error = errors.invalid_input(
            f"File size too large. Maximum supported size: {MAX_FILE_BYTES}"
        )
        raise error.wrap("Error read pipeline file.")
    if file_name.endswith((".yaml", ".yml", ".json")):
        return content
    if len(content) > 2 and content.startswith(b"PK"):
        extract = _from_zip
    elif len(content) > 2 and content.startswith(b"\x1f\x8b"):
        extract = _from_tarball
    else:
        raise errors.invalid_input(_UNEXPECTED)
    try:
        return extract(content)
    except ApiError as exc:
        raise exc.wrap(_DECOMPRESS) from None


def _check_name(name: str, context: str, archive: str) -> None:
    if not name.endswith((".yaml", ".yml")):
        raise errors.invalid_input(
            f"{context} Expecting a pipeline.yaml file inside the {archive}. Got: {name}"
        )
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":"):
        raise errors.invalid_input(f"{context} Unsafe path of the pipeline file: {name}")


def _too_large(context: str) -> ApiError:
    return errors.invalid_input(
        f"{context} The pipeline file is larger than {MAX_FILE_BYTES} bytes when decompressed."
    )


def _zip_entry_count(content: bytes) -> int:
    """The entry count of the zip's end record (0xFFFF for ZIP64 or none found)."""
    tail = content[-(22 + 0xFFFF) :]
    position = tail.rfind(_EOCD)
    if position == -1 or len(tail) - position < 22:
        return -1
    (count,) = struct.unpack("<H", tail[position + 10 : position + 12])
    return int(count)


def _from_zip(content: bytes) -> bytes:
    count = _zip_entry_count(content)
    if count == -1:
        raise errors.invalid_input_with_details(
            f"{_ZIP} Not a valid zip file.", "zip: not a valid zip file"
        )
    if count >= min(MAX_ZIP_ENTRIES, 0xFFFF):
        raise errors.invalid_input(
            f"{_ZIP} The zip file lists more than {MAX_ZIP_ENTRIES} entries."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise errors.invalid_input_with_details(
            f"{_ZIP} Not a valid zip file.", f"zip: {exc or 'not a valid zip file'}"
        ) from None
    with archive:
        entries = archive.infolist()
        if not entries:
            raise errors.invalid_input(f"{_ZIP} Empty zip file.")
        chosen = next((e for e in entries if e.filename == "pipeline.yaml"), entries[0])
        _check_name(chosen.filename, _ZIP, "zip")
        if chosen.file_size > MAX_FILE_BYTES:
            raise _too_large(_ZIP)
        try:
            with archive.open(chosen) as entry:
                return _read_bounded(entry, _ZIP)
        except (
            zipfile.BadZipFile,
            zlib.error,
            ValueError,
            OSError,
            EOFError,
            NotImplementedError,
        ) as exc:
            raise errors.invalid_input_with_details(
                "Error reading pipeline YAML from the zip file.", str(exc) or type(exc).__name__
            ) from None


def _read_bounded(stream: IO[bytes], context: str) -> bytes:
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(context)
    return data


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _BoundedReader(io.RawIOBase):
    """A readable stream that fails once more than ``limit`` bytes have come out of it."""

    def __init__(self, source: _Readable, limit: int) -> None:
        self.source = source
        self.remaining = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.source.read(min(len(buffer), self.remaining + 1))
        self.remaining -= len(data)
        if self.remaining < 0:
            raise _TooLarge
        buffer[: len(data)] = data
        return len(data)


def _from_tarball(content: bytes) -> bytes:
    stream = _BoundedReader(gzip.GzipFile(fileobj=io.BytesIO(content)), MAX_TAR_BYTES)
    # The first entry, its bytes (None: not a regular file) and whether it is too large.
    first: tuple[str, bytes | None, bool] | None = None
    try:
        with tarfile.open(fileobj=stream, mode="r|") as archive:
            for member in archive:
                wanted = member.name == "pipeline.yaml"
                if not wanted and first is not None:
                    continue
                data = None
                oversized = member.isfile() and member.size > MAX_FILE_BYTES
                if member.isfile() and not oversized:
                    extracted = archive.extractfile(member)
                    data = b"" if extracted is None else _read_bounded(extracted, _TAR)
                if wanted and (data is not None or oversized):
                    if oversized:
                        raise _too_large(_TAR)
                    assert data is not None
                    return data
                if first is None:
                    first = (member.name, data, oversized)
    except _TooLarge:
        raise errors.invalid_input(
            f"{_TAR} The tarball is larger than {MAX_TAR_BYTES} bytes when decompressed."
        ) from None
    except (tarfile.TarError, gzip.BadGzipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise errors.invalid_input_with_details(
            f"{_TAR} Not a valid tarball file.", str(exc) or type(exc).__name__
        ) from None
    if first is None:
        raise errors.invalid_input_with_details(f"{_TAR} Not a valid tarball file.", "EOF")
    name, data, oversized = first
    _check_name(name, _TAR, "tarball")
    if oversized:
        raise _too_large(_TAR)
    if data is None:
        raise errors.invalid_input_with_details(
            "Error reading pipeline YAML from the tarball file.", f"{name} is not a regular file"
        )
    return data
