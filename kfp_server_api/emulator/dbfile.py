"""The database file's permissions: a new database is readable by its owner only.

SQLite creates a database file with mode ``0644`` less the umask, readable by every user of the
machine, and gives its ``-wal`` and ``-shm`` side files the mode of the database file. So the
emulator creates a new database file itself, empty and with mode ``0600`` whatever the umask,
before SQLite opens it; the side files then get ``0600`` too. A file that exists already keeps
its mode (its owner may share it on purpose); if the group or others can read it, or one of its
side files, a warning names the file.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat

__all__ = ["prepare_database_file"]

logger = logging.getLogger("kfp_server_api.emulator")

_PRIVATE = stat.S_IRUSR | stat.S_IWUSR
_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def prepare_database_file(path: str) -> None:
    """Create ``path`` empty with mode 0600 unless it exists (nothing for ``:memory:``)."""
    if path in ("", ":memory:"):
        return
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _PRIVATE)
    except FileExistsError:
        _warn_if_shared(path)
        return
    # O_CREAT's mode is reduced by the umask; set it exactly (a umask of 0277 would leave the
    # owner unable to write).
    try:
        os.chmod(path, _PRIVATE)
    finally:
        os.close(descriptor)


def _warn_if_shared(path: str) -> None:
    for suffix in _SIDE_FILES:
        with contextlib.suppress(OSError):
            mode = os.stat(path + suffix).st_mode
            if stat.S_ISREG(mode) and mode & (stat.S_IRWXG | stat.S_IRWXO):
                logger.warning(
                    "%s is accessible to other users (mode %s); chmod 600 it to keep the "
                    "emulator's data private",
                    path + suffix,
                    oct(stat.S_IMODE(mode)),
                )
