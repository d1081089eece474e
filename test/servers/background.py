"""What every test server shares: ``start()``, ``stop()`` and use as a context manager."""

from __future__ import annotations

from types import TracebackType
from typing import TypeVar

__all__ = ["BackgroundServer"]

_Server = TypeVar("_Server", bound="BackgroundServer")


class BackgroundServer:
    """A server run by background threads on 127.0.0.1.

    ``start()`` returns the server once it accepts connections; ``stop()`` closes its
    connections and joins every thread it started, so a test leaves nothing running.
    """

    def start(self: _Server) -> _Server:
        """Listen and serve in background threads."""
        raise NotImplementedError

    def stop(self) -> None:
        """Stop serving and join every thread."""
        raise NotImplementedError

    def __enter__(self: _Server) -> _Server:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
