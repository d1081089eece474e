"""Waits before retries, recorded instead of slept (see the ``waits`` fixture)."""

from __future__ import annotations

from kfp_server_api import Configuration

__all__ = ["Waits"]


class Waits:
    """Waits before retries, recorded instead of slept, so that tests that provoke failures
    stay fast and can see how long a caller would have been held."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.seconds.append(seconds)

    def configure(self, configuration: Configuration) -> Configuration:
        """Make the client's own retry policy (when it has one) record its waits here."""
        policy = getattr(configuration, "retry_policy", None)
        if policy is not None:
            configuration.retry_policy = policy.new(sleep=self.sleep)
        return configuration
