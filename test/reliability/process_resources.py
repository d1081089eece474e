"""What this process holds open: file descriptors, TCP sockets (with their ports) and threads.

Read from ``/proc`` (Linux), so no third-party package is needed. A :class:`Census` taken before
a test is compared with one taken after it: everything opened in between must be gone.
"""

from __future__ import annotations

import gc
import os
import threading
from dataclasses import dataclass
from pathlib import Path

__all__ = ["AVAILABLE", "Census", "TcpSocket", "take_census"]

#: Whether this platform exposes the process's descriptors (Linux does).
AVAILABLE = Path("/proc/self/fd").is_dir()


@dataclass(frozen=True)
class TcpSocket:
    """One TCP socket of this process: its inode and ports (0 when unknown, e.g. unbound)."""

    inode: int
    local_port: int
    remote_port: int


@dataclass(frozen=True)
class Census:
    """Descriptors, sockets and threads of this process at one moment."""

    descriptors: int
    sockets: frozenset[TcpSocket]
    threads: frozenset[threading.Thread]

    def sockets_to(self, port: int) -> set[TcpSocket]:
        """Sockets connected to ``port`` (the client side of connections to a server)."""
        return {item for item in self.sockets if item.remote_port == port}

    def leaks_since(self, before: Census, ignore_threads: str = "") -> list[str]:
        """What this census holds that ``before`` did not (empty when nothing leaked).

        Threads whose name starts with ``ignore_threads`` (when given) are not counted.
        """
        leaks: list[str] = []
        new_threads = [
            thread.name
            for thread in self.threads - before.threads
            if not (ignore_threads and thread.name.startswith(ignore_threads))
        ]
        if new_threads:
            leaks.append(f"threads still running: {sorted(new_threads)}")
        new_sockets = self.sockets - before.sockets
        if new_sockets:
            leaks.append(f"sockets still open: {sorted(new_sockets, key=lambda s: s.inode)}")
        if self.descriptors > before.descriptors:
            leaks.append(f"descriptors: {before.descriptors} before, {self.descriptors} after")
        return leaks


def _tcp_ports() -> dict[int, tuple[int, int]]:
    """Inode -> (local port, remote port) for every TCP socket of this network namespace."""
    table: dict[int, tuple[int, int]] = {}
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(name).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            local, remote, inode = fields[1], fields[2], int(fields[9])
            table[inode] = (int(local.rsplit(":", 1)[1], 16), int(remote.rsplit(":", 1)[1], 16))
    return table


def take_census() -> Census:
    """Count what the process holds now (after a garbage collection, so that only what is
    really referenced or leaked is counted)."""
    gc.collect()
    inodes: list[int] = []
    descriptors = 0
    for entry in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{entry}")
        except OSError:  # closed meanwhile, e.g. the descriptor listdir itself used
            continue
        descriptors += 1
        if target.startswith("socket:["):
            inodes.append(int(target[len("socket:[") : -1]))
    ports = _tcp_ports()
    sockets = frozenset(TcpSocket(inode, *ports[inode]) for inode in inodes if inode in ports)
    return Census(descriptors, sockets, frozenset(threading.enumerate()))
