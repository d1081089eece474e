"""Artifact helpers on archives built here, friendly and hostile."""

from __future__ import annotations

import base64
import gzip
import io
import os
import re
import stat
import tarfile
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

from kfp_server_api.artifacts import (
    DEFAULT_MAX_ARCHIVE_BYTES,
    ArtifactArchive,
    ArtifactError,
    artifact_bytes,
    extract,
    list_files,
    read_file,
)
from kfp_server_api.exceptions import ApiTypeError, ApiValueError


@dataclass
class Member:
    """One tar member to build: a file (content), a directory, a link, or another type."""

    name: str
    content: bytes = b""
    type: bytes = tarfile.REGTYPE
    linkname: str = ""
    mode: int = 0o644


def make_tar(*members: Member, compress: bool = True) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz" if compress else "w") as archive:
        for member in members:
            info = tarfile.TarInfo(member.name)
            info.type = member.type
            info.linkname = member.linkname
            info.mode = member.mode
            if member.type == tarfile.REGTYPE:
                info.size = len(member.content)
                archive.addfile(info, io.BytesIO(member.content))
            else:
                archive.addfile(info)
    return buffer.getvalue()


METRICS = b'{"metrics": [{"name": "accuracy", "numberValue": 0.9}]}'
ARGO_LIKE = make_tar(
    Member("./", type=tarfile.DIRTYPE, mode=0o755),
    Member("mlpipeline-metrics.json", METRICS),
    Member("data", type=tarfile.DIRTYPE, mode=0o755),
    Member("data/part-0.csv", b"a,b\n1,2\n"),
    Member("data/empty", type=tarfile.DIRTYPE, mode=0o755),
)


def response(data: bytes) -> SimpleNamespace:
    """Shaped like ApiReadArtifactResponse: base64 text in ``data``."""
    return SimpleNamespace(data=base64.b64encode(data).decode("ascii"))


def tree(root: Path) -> dict[str, bytes | None]:
    return {
        path.relative_to(root).as_posix(): None if path.is_dir() else path.read_bytes()
        for path in sorted(root.rglob("*"))
    }


# --- artifact_bytes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        response(ARGO_LIKE),
        base64.b64encode(ARGO_LIKE).decode("ascii"),
        ARGO_LIKE,
        bytearray(ARGO_LIKE),
        memoryview(ARGO_LIKE),
        SimpleNamespace(data=ARGO_LIKE),
    ],
    ids=["response", "base64-text", "bytes", "bytearray", "memoryview", "response-with-bytes"],
)
def test_artifact_bytes_gives_the_stored_bytes_from_every_source(source: object) -> None:
    assert artifact_bytes(source) == ARGO_LIKE


def test_artifact_bytes_never_decompresses() -> None:
    compressed = gzip.compress(b"plain text")

    assert artifact_bytes(response(compressed)) == compressed
    assert artifact_bytes(b"plain text") == b"plain text"


def test_a_response_without_data_is_empty() -> None:
    assert artifact_bytes(SimpleNamespace(data=None)) == b""
    assert artifact_bytes("") == b""


def test_bad_base64_is_an_artifact_error() -> None:
    with pytest.raises(ArtifactError, match="not valid base64") as caught:
        artifact_bytes(SimpleNamespace(data="not base64!"))

    assert isinstance(caught.value, ApiValueError)


@pytest.mark.parametrize(
    "source", [42, None, SimpleNamespace(payload="x"), SimpleNamespace(data=7)]
)
def test_something_that_is_no_artifact_is_a_type_error(source: object) -> None:
    with pytest.raises(ApiTypeError):
        artifact_bytes(source)


# --- listing and reading -----------------------------------------------------------------------


def test_lists_and_reads_the_files_of_an_argo_archive() -> None:
    source = response(ARGO_LIKE)

    assert list_files(source) == ["mlpipeline-metrics.json", "data/part-0.csv"]
    assert read_file(source, "mlpipeline-metrics.json") == METRICS
    assert read_file(source, "./data/part-0.csv") == b"a,b\n1,2\n"


def test_an_uncompressed_tar_is_read_too() -> None:
    archive = ArtifactArchive(make_tar(Member("a.txt", b"A"), compress=False))

    assert archive.list_files() == ["a.txt"]
    assert archive.read_file("a.txt") == b"A"


def test_an_empty_archive_has_no_files() -> None:
    assert list_files(make_tar()) == []


def test_reading_a_missing_file_names_what_is_there() -> None:
    archive = ArtifactArchive(ARGO_LIKE)

    with pytest.raises(ArtifactError) as caught:
        archive.read_file("metrics.json")

    assert "'metrics.json' is not in the archive" in caught.value.message
    assert "mlpipeline-metrics.json, data/part-0.csv" in caught.value.message
    assert caught.value.member == "metrics.json"
    with pytest.raises(ArtifactError, match="'data' is a directory"):
        archive.read_file("data")
    with pytest.raises(ArtifactError, match=re.escape("contains '..'")):
        archive.read_file("data/../mlpipeline-metrics.json")


def test_a_link_to_a_file_inside_reads_as_that_file() -> None:
    archive = ArtifactArchive(
        make_tar(
            Member("dir/real.txt", b"REAL"),
            Member("dir/sym.txt", type=tarfile.SYMTYPE, linkname="real.txt"),
            Member("up.txt", type=tarfile.SYMTYPE, linkname="dir/./real.txt"),
            Member("dir/sub/back.txt", type=tarfile.SYMTYPE, linkname="../real.txt"),
            Member("hard.txt", type=tarfile.LNKTYPE, linkname="dir/real.txt"),
        )
    )

    assert archive.list_files() == [
        "dir/real.txt",
        "dir/sym.txt",
        "up.txt",
        "dir/sub/back.txt",
        "hard.txt",
    ]
    assert {archive.read_file(name) for name in archive.list_files()} == {b"REAL"}


def test_the_last_member_of_a_repeated_name_wins() -> None:
    archive = ArtifactArchive(make_tar(Member("a", b"1"), Member("b", b"2"), Member("./a", b"3")))

    assert archive.list_files() == ["b", "a"]
    assert archive.read_file("a") == b"3"


# --- data that is not an archive ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"just some text, not an archive", "neither gzip nor tar (it starts with b'just some"),
        (b"", "neither gzip nor tar"),
        (gzip.compress(b"x" * 2000), "is gzip-compressed but holds no tar archive"),
        (ARGO_LIKE[: len(ARGO_LIKE) // 2], "damaged gzip"),
        (gzip.compress(make_tar(Member("big", b"z" * 5000), compress=False)[:2000]), "truncated"),
    ],
    ids=["text", "empty", "gzip-not-tar", "truncated-gzip", "truncated-tar"],
)
def test_data_that_is_no_archive_gets_a_clear_error(data: bytes, words: str) -> None:
    with pytest.raises(ArtifactError) as caught:
        list_files(data)

    assert words in caught.value.message


# --- extraction --------------------------------------------------------------------------------


def test_extract_writes_files_and_directories(tmp_path: Path) -> None:
    target = tmp_path / "new" / "out"

    written = extract(response(ARGO_LIKE), target)

    assert written == [target / "mlpipeline-metrics.json", target / "data" / "part-0.csv"]
    assert tree(target) == {
        "data": None,
        "data/empty": None,
        "data/part-0.csv": b"a,b\n1,2\n",
        "mlpipeline-metrics.json": METRICS,
    }


def test_links_are_extracted_as_copies_never_as_links(tmp_path: Path) -> None:
    extract(
        make_tar(
            Member("real.txt", b"REAL"),
            Member("sym.txt", type=tarfile.SYMTYPE, linkname="real.txt"),
            Member("hard.txt", type=tarfile.LNKTYPE, linkname="real.txt"),
        ),
        tmp_path,
    )

    for name in ("sym.txt", "hard.txt"):
        assert not (tmp_path / name).is_symlink()
        assert (tmp_path / name).read_bytes() == b"REAL"


def test_only_plain_permission_bits_are_kept(tmp_path: Path) -> None:
    extract(
        make_tar(
            Member("run.sh", b"#!/bin/sh\n", mode=0o4777),
            Member("readonly.txt", b"r", mode=0o400),
        ),
        tmp_path,
    )

    assert stat.S_IMODE((tmp_path / "run.sh").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "readonly.txt").stat().st_mode) == 0o600


HOSTILE = [
    (Member("/etc/passwd", b"x"), "is an absolute path"),
    (Member("\\windows\\x", b"x"), "is an absolute path"),
    (Member("C:evil.txt", b"x"), "is an absolute path"),
    (Member("../escape.txt", b"x"), "contains '..'"),
    (Member("a/../../escape.txt", b"x"), "contains '..'"),
    (Member("a\\..\\..\\escape.txt", b"x"), "contains '..'"),
    (Member("long" * 30 + "\x00.txt", b"x"), "NUL"),  # a PAX name keeps the NUL
    (Member("abs", type=tarfile.SYMTYPE, linkname="/etc/passwd"), "absolute path '/etc/passwd'"),
    (Member("up", type=tarfile.SYMTYPE, linkname="../escape.txt"), "points outside the archive"),
    (Member("d/up", type=tarfile.SYMTYPE, linkname="../../x"), "points outside the archive"),
    (Member("hard", type=tarfile.LNKTYPE, linkname="../escape.txt"), "points outside"),
    (Member("hard", type=tarfile.LNKTYPE, linkname="/etc/passwd"), "absolute path"),
    (Member("dangling", type=tarfile.SYMTYPE, linkname="missing"), "not a regular file"),
    (Member("dirlink", type=tarfile.SYMTYPE, linkname="."), "not a regular file"),
    (Member("fifo", type=tarfile.FIFOTYPE), "is a FIFO"),
    (Member("dev", type=tarfile.CHRTYPE), "is a device"),
    (Member("blk", type=tarfile.BLKTYPE), "is a device"),
]


@pytest.mark.parametrize(("member", "words"), HOSTILE, ids=[m.name for m, _ in HOSTILE])
def test_hostile_archives_are_refused_whole_before_anything_is_written(
    tmp_path: Path, member: Member, words: str
) -> None:
    target = tmp_path / "out"
    target.mkdir()
    data = make_tar(Member("harmless.txt", b"ok"), member, Member("after.txt", b"ok"))

    for attempt in (
        lambda: extract(data, target),
        lambda: list_files(data),
        lambda: read_file(data, "harmless.txt"),
    ):
        with pytest.raises(ArtifactError) as caught:
            attempt()
        assert words in caught.value.message
        assert caught.value.member is not None

    assert tree(tmp_path) == {"out": None}


def test_a_link_through_a_directory_link_cannot_escape(tmp_path: Path) -> None:
    # "d" would be a link to the root; "d/../.." resolves lexically inside but not on disk.
    data = make_tar(
        Member("d", type=tarfile.SYMTYPE, linkname="."),
        Member("x", type=tarfile.SYMTYPE, linkname="d/../../secret"),
    )

    with pytest.raises(ArtifactError):
        extract(data, tmp_path / "out")
    assert not (tmp_path / "out" / "d").exists()


def test_a_member_under_a_file_is_refused(tmp_path: Path) -> None:
    data = make_tar(Member("a", b"file"), Member("a/b", b"under a file"))

    with pytest.raises(ArtifactError, match="'a/b' lies under 'a', which is a file"):
        extract(data, tmp_path)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_an_existing_directory_symlink_in_the_target_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "out"
    target.mkdir()
    (target / "sub").symlink_to(outside, target_is_directory=True)

    with pytest.raises(ArtifactError, match="would be written outside"):
        extract(make_tar(Member("sub/x.txt", b"x")), target)

    assert list(outside.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_an_existing_file_symlink_in_the_target_is_not_written_through(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"keep")
    target = tmp_path / "out"
    target.mkdir()
    (target / "x.txt").symlink_to(secret)

    with pytest.raises(ArtifactError, match="through an existing symlink"):
        extract(make_tar(Member("x.txt", b"overwrite")), target)

    assert secret.read_bytes() == b"keep"


# --- archives that would take more memory than they are worth ------------------------------------


def gnu_sparse_tar(name: str, real_size: int) -> bytes:
    """A gzip-compressed tar holding one GNU sparse member: one stored byte at the end of
    ``real_size`` bytes of holes (a few dozen bytes compressed)."""
    info = tarfile.TarInfo(name)
    info.type = tarfile.GNUTYPE_SPARSE
    info.size = 1  # the one byte stored
    header = bytearray(info.tobuf(format=tarfile.GNU_FORMAT))
    header[386:398] = tarfile.itn(real_size - 1, 12, tarfile.GNU_FORMAT)  # offset of the data
    header[398:410] = tarfile.itn(1, 12, tarfile.GNU_FORMAT)  # its length
    header[483:495] = tarfile.itn(real_size, 12, tarfile.GNU_FORMAT)
    header[148:156] = b" " * 8  # the checksum counts its own field as spaces
    header[148:156] = b"%06o\x00 " % sum(header)
    data = bytes(header) + b"x".ljust(512, b"\x00") + b"\x00" * 1024
    return gzip.compress(data)


@pytest.mark.parametrize("real_size", [300 * 1024 * 1024, 2**40], ids=["300 MB", "1 TiB"])
def test_a_sparse_member_is_refused_before_it_is_read(real_size: int) -> None:
    data = gnu_sparse_tar("holes.bin", real_size)
    assert len(data) < 200
    with pytest.raises(ArtifactError, match=r"'holes\.bin' is a sparse file") as caught:
        ArtifactArchive(data)
    assert caught.value.member == "holes.bin"


def test_members_larger_than_max_bytes_together_are_refused() -> None:
    # Not compressed: the limit on what the gzip stream expands to does not come first.
    data = make_tar(Member("a.txt", b"a" * 60), Member("b.txt", b"b" * 60), compress=False)
    assert ArtifactArchive(data, max_bytes=120).read_file("b.txt") == b"b" * 60
    with pytest.raises(ArtifactError, match=r"'b.txt' declares 60 bytes.*max_bytes \(100 bytes\)"):
        ArtifactArchive(data, max_bytes=100)
    with pytest.raises(ArtifactError, match="max_bytes"):
        read_file(data, "a.txt", max_bytes=100)


def test_an_archive_that_expands_past_max_bytes_is_refused() -> None:
    data = make_tar(Member("zeros.bin", b"\x00" * (4 * 1024 * 1024)))
    assert len(data) < 16 * 1024
    with pytest.raises(ArtifactError, match=r"expands beyond max_bytes \(1048576 bytes\)"):
        list_files(data, max_bytes=1024 * 1024)
    assert list_files(data, max_bytes=None) == ["zeros.bin"]
    assert DEFAULT_MAX_ARCHIVE_BYTES == 1024**3


# --- nothing is written unless every member is safe -----------------------------------------


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
@pytest.mark.parametrize(
    "escaping", ["sub/x.txt", "sub/new/x.txt", "sub/new/"], ids=["file", "file in a new dir", "dir"]
)
def test_a_symlink_in_the_target_refuses_the_archive_before_anything_is_written(
    tmp_path: Path, escaping: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = tmp_path / "out"
    target.mkdir()
    (target / "sub").symlink_to(outside, target_is_directory=True)
    escaping_member = (
        Member(escaping.rstrip("/"), type=tarfile.DIRTYPE, mode=0o755)
        if escaping.endswith("/")
        else Member(escaping, b"x")
    )
    data = make_tar(
        Member("first.txt", b"written first?"),
        Member("early", type=tarfile.DIRTYPE, mode=0o755),
        escaping_member,
    )

    with pytest.raises(ArtifactError, match="would be written outside"):
        extract(data, target)

    assert list(outside.iterdir()) == []  # no directory created outside
    assert sorted(path.name for path in target.iterdir()) == ["sub"]  # nothing written inside


def test_a_refused_archive_does_not_create_the_target(tmp_path: Path) -> None:
    data = make_tar(Member("a", b"file"), Member("a/b", b"under a file"))
    with pytest.raises(ArtifactError):
        extract(data, tmp_path / "new")
    assert not (tmp_path / "new").exists()
