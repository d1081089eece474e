"""When a failed call is sent again, and how long the client waits first.

A :class:`RetryPolicy` is an immutable value, like ``urllib3.Retry``: :meth:`RetryPolicy.new`
returns a changed copy. ``Configuration.retry_policy`` holds the one an
:class:`~kfp_server_api.ApiClient` uses (``DEFAULT_RETRY_POLICY`` unless changed; ``None``
turns retries off).

What is retried
---------------
- A failure before any response (:class:`~kfp_server_api.exceptions.ApiConnectionError`, status
  0) that may be temporary (``transient``): connection refused, DNS failure, connect or read
  timeout, the total time limit passing, a connection dropped or a body cut short, a proxy
  failure. TLS failures (an untrusted or mismatched certificate) and malformed responses (a
  malformed chunked body, an answer that is not HTTP, a corrupt gzip or deflate body, a
  redirect that is not followed) are never retried: repeating them cannot help.
- A response whose status is in ``status_forcelist``: 429, 502, 503 and 504 by default.

Whether a call may be repeated comes from its endpoint's description (``Endpoint.retry_safe``;
for a raw ``ApiClient.call_api`` of an unknown route, from the HTTP method: GET, HEAD, OPTIONS,
PUT and DELETE are safe). A call that is not retry-safe, such as ``create_run``,
``terminate_run`` or ``retry_run``, is retried only when the request surely never reached the
server (``ApiConnectionError.request_sent`` is false: connection refused, DNS failure, connect
timeout). It is never retried after a read timeout, a connection dropped after the request was
sent, or any response, so the server never runs it twice.

How long the client waits
-------------------------
Before retry number ``n`` (1 for the first) the client sleeps ``backoff(n) = min(backoff_max,
backoff_factor * 2 ** (n - 1))`` seconds, less a random part of up to ``jitter`` of it, so
clients that failed together do not come back together. With the defaults that is 0.25-0.5 s,
then 0.5-1 s, then 1-2 s. When the response carries ``Retry-After`` (seconds, or an HTTP date)
the client waits that long instead, but at most ``retry_after_max`` seconds. So with the
defaults a call makes at most 4 attempts, and its waits add up to at most 3 x 20 = 60 s.

``sleep``, ``clock`` and ``random`` are the policy's time and chance; tests pass their own to
record the waits instead of sleeping.
"""

from __future__ import annotations

import math
import random as _random
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

from kfp_server_api._frozen import Frozen

if TYPE_CHECKING:
    from kfp_server_api.exceptions import ApiException

__all__ = [
    "DEFAULT_BACKOFF_FACTOR",
    "DEFAULT_BACKOFF_MAX",
    "DEFAULT_JITTER",
    "DEFAULT_RETRIES",
    "DEFAULT_RETRY_AFTER_MAX",
    "DEFAULT_RETRY_POLICY",
    "DEFAULT_STATUS_FORCELIST",
    "IDEMPOTENT_METHODS",
    "RetryPolicy",
]

#: Retries after the first attempt (so at most 4 attempts).
DEFAULT_RETRIES: Final = 3
#: Seconds of backoff before the first retry; it doubles for each further one.
DEFAULT_BACKOFF_FACTOR: Final = 0.5
#: Longest backoff, in seconds, however many retries came before.
DEFAULT_BACKOFF_MAX: Final = 10.0
#: Fraction of each backoff that is random (0: none; 1: anything from 0 to the full backoff).
DEFAULT_JITTER: Final = 0.5
#: Longest wait, in seconds, that a ``Retry-After`` header can ask for.
DEFAULT_RETRY_AFTER_MAX: Final = 20.0
#: Statuses that mean "try again later": rate limited, bad gateway, unavailable, gateway timeout.
DEFAULT_STATUS_FORCELIST: Final = frozenset({429, 502, 503, 504})
#: Methods that are safe to repeat when nothing else says so (RFC 9110 idempotent methods).
IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


class RetryPolicy(Frozen):
    """How many times a failed call is sent again, and how long the client waits first.

    See the module documentation for what is retried and how waits are computed. A policy is
    immutable (assigning a field raises ``AttributeError``); equal policies have equal settings
    (``sleep``, ``clock`` and ``random`` are not compared, nor shown by ``repr``).

    Args:
        total: retries after the first attempt (0: never retry).
        backoff_factor: seconds of backoff before the first retry; doubled for each next one.
        backoff_max: longest backoff in seconds.
        jitter: fraction (0 to 1) of each backoff that is taken off at random.
        retry_after_max: longest wait in seconds that ``Retry-After`` may ask for.
        status_forcelist: statuses retried (for retry-safe calls only); any iterable, kept as
            a frozenset.
        sleep: waits the given seconds (default ``time.sleep``).
        clock: the current time in seconds since the epoch, to read HTTP dates (default
            ``time.time``).
        random: a number in [0, 1) for the jitter (default ``random.random``).
    """

    __slots__ = (
        "backoff_factor",
        "backoff_max",
        "clock",
        "jitter",
        "random",
        "retry_after_max",
        "sleep",
        "status_forcelist",
        "total",
    )
    _fields = (
        "total",
        "backoff_factor",
        "backoff_max",
        "jitter",
        "retry_after_max",
        "status_forcelist",
        "sleep",
        "clock",
        "random",
    )
    _compared = _fields[:6]

    total: int
    backoff_factor: float
    backoff_max: float
    jitter: float
    retry_after_max: float
    status_forcelist: frozenset[int]
    sleep: Callable[[float], Any]
    clock: Callable[[], float]
    random: Callable[[], float]

    def __init__(
        self,
        total: int = DEFAULT_RETRIES,
        backoff_factor: float = DEFAULT_BACKOFF_FACTOR,
        backoff_max: float = DEFAULT_BACKOFF_MAX,
        jitter: float = DEFAULT_JITTER,
        retry_after_max: float = DEFAULT_RETRY_AFTER_MAX,
        status_forcelist: Iterable[int] = DEFAULT_STATUS_FORCELIST,
        sleep: Callable[[float], Any] = time.sleep,
        clock: Callable[[], float] = time.time,
        random: Callable[[], float] = _random.random,
    ) -> None:
        if isinstance(total, bool) or not isinstance(total, int) or total < 0:
            raise ValueError(f"total must be an int >= 0, not {total!r}")
        for name, value in (
            ("backoff_factor", backoff_factor),
            ("backoff_max", backoff_max),
            ("retry_after_max", retry_after_max),
        ):
            if not isinstance(value, (int, float)) or not 0 <= value < math.inf:
                raise ValueError(f"{name} must be a finite number >= 0, not {value!r}")
        if not isinstance(jitter, (int, float)) or not 0 <= jitter <= 1:
            raise ValueError(f"jitter must be between 0 and 1, not {jitter!r}")
        self._assign(
            total=total,
            backoff_factor=backoff_factor,
            backoff_max=backoff_max,
            jitter=jitter,
            retry_after_max=retry_after_max,
            # Kept as a frozenset: hashable and immutable.
            status_forcelist=frozenset(status_forcelist),
            sleep=sleep,
            clock=clock,
            random=random,
        )

    def new(self, **changes: Any) -> RetryPolicy:
        """A copy of this policy with the given fields changed."""
        return self._replace(**changes)

    def backoff(self, retry_number: int) -> float:
        """The backoff before retry ``retry_number`` (1 for the first), before jitter."""
        if retry_number < 1:
            return 0.0
        # min() first on the exponent keeps 2 ** n from growing without bound.
        exponent = min(retry_number - 1, 64)
        return float(min(self.backoff_max, self.backoff_factor * 2**exponent))

    def retry_after(self, headers: Any) -> float | None:
        """The wait a ``Retry-After`` header in ``headers`` asks for, capped; None if absent.

        The value may be a number of seconds or an HTTP date; a date in the past gives 0. An
        unreadable value counts as absent.
        """
        value = _header(headers, "Retry-After")
        if value is None:
            return None
        text = value.strip()
        if text.isascii() and text.isdigit():  # str.isdigit alone takes '²' and other digits
            seconds = float(text)
        else:
            from email.utils import parsedate_to_datetime

            try:
                moment = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                return None
            if moment is None:  # Python 3.9 returns None for some unreadable dates
                return None  # type: ignore[unreachable]
            if moment.tzinfo is None:  # "-0000": a UTC time of unknown origin (RFC 5322)
                from datetime import timezone

                moment = moment.replace(tzinfo=timezone.utc)
            seconds = moment.timestamp() - self.clock()
        return min(max(seconds, 0.0), self.retry_after_max)

    def is_retryable(self, error: ApiException, *, retry_safe: bool) -> bool:
        """Whether ``error`` may be answered by sending the call again.

        Args:
            error: what the last attempt raised.
            retry_safe: whether the call may be repeated when its outcome is unknown.
        """
        from kfp_server_api.exceptions import ApiConnectionError

        if isinstance(error, ApiConnectionError):
            return error.transient and (retry_safe or not error.request_sent)
        return retry_safe and error.status in self.status_forcelist

    def delay_before_retry(
        self, error: ApiException, retry_number: int, *, retry_safe: bool
    ) -> float | None:
        """Seconds to wait before retry ``retry_number`` (1 for the first) after ``error``.

        Returns None when the call must not be retried: the retries are used up, or
        :meth:`is_retryable` says no.
        """
        if retry_number > self.total or not self.is_retryable(error, retry_safe=retry_safe):
            return None
        asked = self.retry_after(error.headers) if error.headers else None
        if asked is not None:
            return asked
        return self.backoff(retry_number) * (1.0 - self.jitter * self.random())


def _header(headers: Any, name: str) -> str | None:
    """Header ``name`` of a response header mapping, whatever the case of its key."""
    value = headers.get(name) if isinstance(headers, Mapping) else None
    if value is None and isinstance(headers, Mapping):
        wanted = name.lower()
        value = next((v for k, v in headers.items() if str(k).lower() == wanted), None)
    return None if value is None else str(value)


#: The policy of a new ``Configuration``.
DEFAULT_RETRY_POLICY: Final = RetryPolicy()
