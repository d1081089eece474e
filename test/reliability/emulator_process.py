"""The emulator's command line run as a subprocess, for tests that kill it or need its flags.

``EmulatorProcess("--db", path)`` starts ``python -m kfp_server_api.emulator --port 0 ...``,
waits (bounded) for the line announcing its URL, and exposes it as ``url``. ``kill()`` sends
SIGKILL, ``terminate()`` SIGTERM; both reap the process and close its pipes.
"""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading

import pytest

__all__ = ["PROCESS_DEADLINE_SECONDS", "EmulatorProcess"]

#: Bound on every wait for the emulator process (start-up, exit).
PROCESS_DEADLINE_SECONDS = 30


class EmulatorProcess:
    """``python -m kfp_server_api.emulator --port 0 *arguments``, started and serving."""

    def __init__(self, *arguments: str) -> None:
        self.errors = ""
        "What the process wrote to stderr (read once it has stopped)."
        command = [sys.executable, "-m", "kfp_server_api.emulator", "--port", "0", *arguments]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        first = self._first_line()
        if "serving at " not in first:
            self.kill()
            pytest.fail(f"the emulator did not start: {first!r} {self.errors!r}")
        self.url = first.rsplit("serving at ", 1)[1].strip()

    def _first_line(self) -> str:
        # readline() has no timeout; a thread reads it so that the wait can be bounded.
        lines: queue.Queue[str] = queue.Queue()
        stdout = self.process.stdout
        reader = threading.Thread(target=lambda: lines.put(stdout.readline() if stdout else ""))
        reader.start()
        try:
            return lines.get(timeout=PROCESS_DEADLINE_SECONDS)
        except queue.Empty:
            self.kill()
            return "(nothing within the deadline)"
        finally:
            reader.join()

    def kill(self) -> None:
        """SIGKILL, and reap the process."""
        self._stop(signal.SIGKILL)

    def terminate(self) -> None:
        """SIGTERM (a clean stop), and reap the process."""
        self._stop(signal.SIGTERM)

    def _stop(self, signal_number: int) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal_number)
        try:
            _, self.errors = self.process.communicate(timeout=PROCESS_DEADLINE_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, self.errors = self.process.communicate(timeout=PROCESS_DEADLINE_SECONDS)

    def __enter__(self) -> EmulatorProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.terminate()
