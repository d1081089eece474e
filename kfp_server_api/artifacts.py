"""Decode ``read_artifact`` results and read the archive inside.

``RunServiceApi.read_artifact`` answers with an ``ApiReadArtifactResponse`` whose ``data`` is the
object-store object as base64. For an Argo output artifact that object is normally a
gzip-compressed tar archive holding the artifact's file(s)::

    from kfp_server_api.artifacts import ArtifactArchive, artifact_bytes, extract, read_file

    response = api.read_artifact(run_id, node_id, "mlpipeline-metrics")
    raw = artifact_bytes(response)                       # the object itself, still compressed
    metrics = read_file(response, "mlpipeline-metrics.json")
    written = extract(response, "out/")                  # [Path('out/mlpipeline-metrics.json')]

    archive = ArtifactArchive(response)                  # decompress once, use many times
    for name in archive.list_files():
        print(name, len(archive.read_file(name)))

Every helper takes an ``ApiReadArtifactResponse`` (or any object with a base64 ``data``
attribute), the base64 text itself, or the raw bytes.

Decisions:

- ``artifact_bytes`` only decodes base64 and never decompresses: an artifact stored without an
  archive comes back exactly as stored. A response without data (the server omits empty data)
  gives ``b""``.
- The archive may be a gzip-compressed tar (what Argo writes) or an uncompressed tar. Anything
  else raises ``ArtifactError`` saying what the data is instead.
- The archive is read completely and checked when ``ArtifactArchive`` is built, before anything
  is returned or written, and then closed; the object holds the file contents in memory (the
  response already held the whole archive). An archive with a member that could escape the
  target directory is refused as a whole: an absolute name, a drive letter, a ``..`` component,
  a link whose target is absolute, leaves the archive or is not a regular file in it, or a
  device or FIFO. Backslashes count as separators, so a name is judged the same on every
  platform.
- Links are never created on disk. A symlink or hard link to a regular file of the archive is
  read and extracted as a copy of that file, so no later member can be written through a link.
- ``extract`` writes only regular files and directories under the target directory, checks
  every member's real path (the target may already contain symlinks), never follows a symlink
  at the file's own path, and keeps only the permission bits 0o755 of a member (plus owner
  read/write). Ownership and times are not restored. When several members have the same name
  the last one wins, as with ``tar``.
- The archive may expand to at most ``max_bytes`` (default ``DEFAULT_MAX_ARCHIVE_BYTES``,
  1 GiB): the gzip stream is decoded no further than that, and a member whose declared size
  would pass it is refused before it is read, as is any sparse member (its few stored bytes can
  stand for terabytes of zeros). ``None`` turns the limit off.
- ``extract`` checks every member against the target as it is on disk (a symlink already there
  included) before it creates or writes anything; a member that would land outside the target
  refuses the whole archive with nothing written.
- ``ArtifactError`` derives from ``ApiValueError``: the data received is not what it should be.
  Errors of the file system during ``extract`` (permissions, disk full) propagate as ``OSError``.
"""

from __future__ import annotations

import base64
import binascii
import io
import os
import re
import stat
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol, Union

from kfp_server_api._transport.content import (
    BodyTooLarge,
    CorruptEncoding,
    EncodingCutShort,
    decompressed,
)
from kfp_server_api.exceptions import ApiTypeError, ApiValueError

__all__ = [
    "DEFAULT_MAX_ARCHIVE_BYTES",
    "ArtifactArchive",
    "ArtifactError",
    "ArtifactSource",
    "artifact_bytes",
    "extract",
    "list_files",
    "read_file",
]


class _HasData(Protocol):
    @property
    def data(self) -> str | bytes | None: ...


ArtifactSource = Union[_HasData, str, bytes, bytearray, memoryview]
"""A read_artifact response (anything with ``data``), its base64 text, or the raw bytes."""

#: Most bytes an artifact's archive may expand to (the tar stream, and its members together).
DEFAULT_MAX_ARCHIVE_BYTES: Final = 1024 * 1024 * 1024

_GZIP_MAGIC: Final = b"\x1f\x8b"
_DRIVE: Final = re.compile(r"[A-Za-z]:")
_KEPT_MODE_BITS: Final = 0o755
_OWNER_READ_WRITE: Final = 0o600


class ArtifactError(ApiValueError):
    """Artifact data that is not valid base64, not an archive, or not safe to extract.

    Attributes:
        member: the archive member concerned, when there is one.
    """

    def __init__(self, msg: str, *, member: str | None = None) -> None:
        super().__init__(msg)
        self.member = member


def artifact_bytes(source: ArtifactSource) -> bytes:
    """The artifact's stored bytes: ``data`` base64-decoded, or raw bytes as they are."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    data = source if isinstance(source, str) else _data_attribute(source)
    if data is None:
        return b""
    if isinstance(data, (bytes, bytearray)):
        return bytes(data)
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ArtifactError(f"artifact data is not valid base64: {error}") from None


def list_files(
    source: ArtifactSource, *, max_bytes: int | None = DEFAULT_MAX_ARCHIVE_BYTES
) -> list[str]:
    """The names of the files in the artifact's archive, in archive order."""
    return ArtifactArchive(source, max_bytes=max_bytes).list_files()


def read_file(
    source: ArtifactSource, name: str, *, max_bytes: int | None = DEFAULT_MAX_ARCHIVE_BYTES
) -> bytes:
    """The content of the file ``name`` in the artifact's archive."""
    return ArtifactArchive(source, max_bytes=max_bytes).read_file(name)


def extract(
    source: ArtifactSource,
    directory: str | os.PathLike[str],
    *,
    max_bytes: int | None = DEFAULT_MAX_ARCHIVE_BYTES,
) -> list[Path]:
    """Write the files of the artifact's archive under ``directory``; returns their paths."""
    return ArtifactArchive(source, max_bytes=max_bytes).extract(directory)


@dataclass(frozen=True)
class _Entry:
    """A checked archive member: a directory (content None) or a file (content bytes)."""

    parts: tuple[str, ...]
    content: bytes | None
    mode: int


class ArtifactArchive:
    """The checked contents of an artifact's tar archive (gzip-compressed or not).

    Building one reads and validates the whole archive; see the module docstring for what is
    refused. The object is immutable afterwards.

    Args:
        source: the read_artifact response, its base64 text, or the raw bytes.
        max_bytes: most bytes the archive may expand to (``None``: no limit).
    """

    def __init__(
        self, source: ArtifactSource, *, max_bytes: int | None = DEFAULT_MAX_ARCHIVE_BYTES
    ) -> None:
        self._entries: Mapping[str, _Entry] = _read_archive(artifact_bytes(source), max_bytes)

    def list_files(self) -> list[str]:
        """Names of the files (links to files included), ``/``-separated, in archive order."""
        return [name for name, entry in self._entries.items() if entry.content is not None]

    def read_file(self, name: str) -> bytes:
        """The content of the file ``name`` (a leading ``./`` is ignored)."""
        key = "/".join(_safe_parts(name, "file name"))
        entry = self._entries.get(key)
        if entry is None or entry.content is None:
            what = "a directory" if entry is not None else "not in the archive"
            files = self.list_files()
            listing = ", ".join(files[:10]) + (", ..." if len(files) > 10 else "")
            raise ArtifactError(
                f"{name!r} is {what}; the archive holds the files: {listing or '(none)'}",
                member=name,
            )
        return entry.content

    def extract(self, directory: str | os.PathLike[str]) -> list[Path]:
        """Write the archive under ``directory`` (created if missing); returns the file paths.

        Every member is checked against what is on disk before anything is created.
        """
        root_dir = Path(directory)
        root = root_dir.resolve()
        for name, entry in self._entries.items():
            path = root_dir.joinpath(*entry.parts)
            if entry.content is not None and path.is_symlink():
                raise _through_symlink(name)
            _check_inside(root, path, name)
        root_dir.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        for name, entry in self._entries.items():
            path = root_dir.joinpath(*entry.parts)
            if entry.content is None:
                path.mkdir(parents=True, exist_ok=True)
                _check_inside(root, path, name)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            _check_inside(root, path.parent, name)
            _write_file(path, entry, name)
            written.append(path)
        return written


def _data_attribute(source: object) -> str | bytes | None:
    if not hasattr(source, "data"):
        kind = type(source).__name__
        raise ApiTypeError(f"expected a read_artifact response, base64 text or bytes, got {kind}")
    data = source.data
    if data is not None and not isinstance(data, (str, bytes, bytearray)):
        raise ApiTypeError(f"the response's data must be base64 text, got {type(data).__name__}")
    return bytes(data) if isinstance(data, bytearray) else data


def _read_archive(data: bytes, max_bytes: int | None) -> dict[str, _Entry]:
    compressed = data.startswith(_GZIP_MAGIC)
    if compressed:
        try:
            data = decompressed(data, "gzip", max_bytes)
        except BodyTooLarge:
            raise ArtifactError(
                f"artifact archive expands beyond max_bytes ({max_bytes} bytes)"
            ) from None
        except (EncodingCutShort, CorruptEncoding) as error:
            raise ArtifactError(f"artifact data is damaged gzip: {error}") from None
    try:
        with _open_tar(data, compressed) as archive:
            members = archive.getmembers()
            _check_sizes(members, max_bytes)
            contents = {m.name: _member_bytes(archive, m) for m in members if m.isreg()}
    except tarfile.TarError as error:
        raise ArtifactError(f"artifact archive is damaged or truncated: {error}") from None
    return _check_members(members, contents)


def _open_tar(data: bytes, compressed: bool) -> tarfile.TarFile:
    try:
        return tarfile.open(fileobj=io.BytesIO(data), mode="r:")
    except tarfile.TarError as error:
        if compressed:
            reason = "is gzip-compressed but holds no tar archive"
        else:
            reason = f"is neither gzip nor tar (it starts with {data[:16]!r})"
        raise ArtifactError(
            f"artifact data {reason} ({error}); artifact_bytes() returns the data as stored"
        ) from None


def _check_sizes(members: list[tarfile.TarInfo], max_bytes: int | None) -> None:
    """Refuse sparse members, and members whose sizes together pass ``max_bytes``, unread."""
    total = 0
    for member in members:
        if member.issparse():
            raise ArtifactError(
                f"archive member {member.name!r} is a sparse file; only plain files are accepted",
                member=member.name,
            )
        if member.isreg():
            total += member.size
            if max_bytes is not None and total > max_bytes:
                raise ArtifactError(
                    f"archive member {member.name!r} declares {member.size} bytes, which takes "
                    f"the archive beyond max_bytes ({max_bytes} bytes)",
                    member=member.name,
                )


def _member_bytes(archive: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    stream = archive.extractfile(member)
    if stream is None:  # regular files always have a stream; kept for the type checker
        raise ArtifactError(f"cannot read {member.name!r}", member=member.name)
    with stream:
        content = stream.read()
    if len(content) != member.size:
        raise ArtifactError(f"archive is truncated inside {member.name!r}", member=member.name)
    return content


def _check_members(
    members: list[tarfile.TarInfo], contents: Mapping[str, bytes]
) -> dict[str, _Entry]:
    regular = {
        "/".join(_safe_parts(m.name, "member name")): m for m in members if m.isreg() or m.isdir()
    }
    entries: dict[str, _Entry] = {}
    for member in members:
        parts = _safe_parts(member.name, "member name")
        name = "/".join(parts)
        if not parts:
            continue  # the archive's root directory entry ("." or "./")
        if member.isdir():
            entry = _Entry(parts, None, member.mode)
        elif member.isreg():
            entry = _Entry(parts, contents[member.name], member.mode)
        elif member.issym() or member.islnk():
            target = _link_target(member, parts, regular)
            entry = _Entry(parts, contents[target.name], target.mode)
        else:
            raise ArtifactError(
                f"archive member {member.name!r} is a {_kind(member)}; only files, directories "
                "and links to files are accepted",
                member=member.name,
            )
        entries.pop(name, None)  # a repeated name takes the position of its last occurrence
        entries[name] = entry
    _check_no_file_holds_a_member(entries)
    return entries


def _safe_parts(name: str, what: str) -> tuple[str, ...]:
    if "\x00" in name:
        raise ArtifactError(f"{what} {name!r} contains a NUL character", member=name)
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        raise ArtifactError(f"{what} {name!r} is an absolute path", member=name)
    parts = tuple(part for part in re.split(r"[/\\]", name) if part not in ("", "."))
    if ".." in parts:
        raise ArtifactError(f"{what} {name!r} contains '..'", member=name)
    return parts


def _link_target(
    member: tarfile.TarInfo, parts: tuple[str, ...], regular: Mapping[str, tarfile.TarInfo]
) -> tarfile.TarInfo:
    link = member.linkname
    if link.startswith(("/", "\\")) or _DRIVE.match(link):
        raise ArtifactError(
            f"link {member.name!r} points to the absolute path {link!r}", member=member.name
        )
    # A symlink is relative to its own directory, a hard link to the archive root.
    resolved = list(parts[:-1]) if member.issym() else []
    for part in re.split(r"[/\\]", link):
        if part == "..":
            if not resolved:
                raise ArtifactError(
                    f"link {member.name!r} points outside the archive ({link!r})",
                    member=member.name,
                )
            resolved.pop()
        elif part not in ("", "."):
            resolved.append(part)
    target = regular.get("/".join(resolved))
    if target is None or not target.isreg():
        raise ArtifactError(
            f"link {member.name!r} points to {link!r}, which is not a regular file of the "
            "archive; only links to files are accepted",
            member=member.name,
        )
    return target


def _check_no_file_holds_a_member(entries: Mapping[str, _Entry]) -> None:
    for name, entry in entries.items():
        for depth in range(1, len(entry.parts)):
            parent = entries.get("/".join(entry.parts[:depth]))
            if parent is not None and parent.content is not None:
                raise ArtifactError(
                    f"archive member {name!r} lies under {'/'.join(parent.parts)!r}, "
                    "which is a file",
                    member=name,
                )


def _kind(member: tarfile.TarInfo) -> str:
    if member.ischr() or member.isblk():
        return "device"
    if member.isfifo():
        return "FIFO"
    return f"member of tar type {member.type!r}"


def _check_inside(root: Path, path: Path, name: str) -> None:
    real = path.resolve()
    if real != root and root not in real.parents:
        raise ArtifactError(
            f"archive member {name!r} would be written outside {str(root)!r} "
            f"(through {str(real)!r})",
            member=name,
        )


def _through_symlink(name: str) -> ArtifactError:
    return ArtifactError(f"refusing to write {name!r} through an existing symlink", member=name)


def _write_file(path: Path, entry: _Entry, name: str) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    if not nofollow and path.is_symlink():
        raise _through_symlink(name)
    try:
        descriptor = os.open(path, flags | nofollow, _OWNER_READ_WRITE)
    except OSError:
        if nofollow and path.is_symlink():
            raise _through_symlink(name) from None
        raise
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(entry.content or b"")
    os.chmod(path, stat.S_IMODE(entry.mode) & _KEPT_MODE_BITS | _OWNER_READ_WRITE)
