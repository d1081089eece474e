"""The attempts of one API call: the 401 refresh, the retry policy, the log line.

:func:`send_with_retries` sends a prepared call, and when an attempt fails, sends it again once
after a 401 if ``refresh_api_key_hook`` is set (the hook runs again first), and as
``configuration.retry_policy`` allows (see :mod:`kfp_server_api.retry`), with the retry safety
the call carries (see :class:`~kfp_server_api._call.PreparedCall`). It is the only attempt loop.

Every call is logged at DEBUG on the ``kfp_server_api`` logger once it is over: method, URL
(without user info, credentials in the query redacted), status or error, duration and number of
attempts; each retry is logged too. Nothing is formatted, and the clock is not read, unless
DEBUG is enabled.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, Callable

from kfp_server_api.exceptions import ApiConnectionError, ApiException

if TYPE_CHECKING:
    from kfp_server_api._call import PreparedCall
    from kfp_server_api.retry import RetryPolicy

__all__ = ["send_with_retries"]

# The package logger itself: one record per call (the transport logs each exchange on its own).
_CALL_LOG = logging.getLogger("kfp_server_api")
_DEBUG = logging.DEBUG


def _outcome(error: ApiException) -> str:
    """What a failed attempt ended with, for the log: its status, or the transport error."""
    if isinstance(error, ApiConnectionError):
        return f"{type(error).__name__}: {error.reason}"
    return f"{error.status} {type(error).__name__}"


def _log_call(prepared: PreparedCall, outcome: object, attempts: int, started: float) -> None:
    _CALL_LOG.debug(
        "%s %s -> %s in %.1f ms (%d %s)",
        prepared.call.method,
        prepared.shown_url(),
        outcome,
        (time.perf_counter() - started) * 1000.0,
        attempts,
        "attempt" if attempts == 1 else "attempts",
    )


def _retry_delay(
    policy: RetryPolicy, error: ApiException, retry: int, prepared: PreparedCall
) -> float | None:
    """Seconds to wait before retry number ``retry``, or None to give up."""
    delay = policy.delay_before_retry(error, retry, retry_safe=prepared.retry_safe)
    if delay is not None and _CALL_LOG.isEnabledFor(_DEBUG):
        _CALL_LOG.debug(
            "%s %s -> %s: retry %d of %d in %.3f s",
            prepared.call.method,
            prepared.shown_url(),
            _outcome(error),
            retry,
            policy.total,
            delay,
        )
    return delay


def send_with_retries(
    prepared: PreparedCall,
    send: Callable[[PreparedCall], Any],
    policy: RetryPolicy | None,
    refresh: Callable[[PreparedCall], None] | None,
) -> Any:
    """Send ``prepared`` until an attempt succeeds or no further attempt is allowed.

    Args:
        prepared: the call.
        send: sends one attempt; returns the response or raises ``ApiException``.
        policy: the retry policy in charge, if any.
        refresh: renews the credentials of ``prepared`` after a 401 (at most once), if allowed.

    Returns:
        The first successful response.

    Raises:
        ApiException: the last attempt's error (a transport error's reason then says how many
            attempts were made).
    """
    started = time.perf_counter() if _CALL_LOG.isEnabledFor(_DEBUG) else 0.0
    attempts = retries = 0
    while True:
        attempts += 1
        try:
            response = send(prepared)
        except ApiException as error:
            if error.status == 401 and refresh is not None:
                # The server checks credentials before anything else, so a 401 request was not
                # acted on: sending it again is safe for every endpoint.
                refresh(prepared)
                refresh = None
                if _CALL_LOG.isEnabledFor(_DEBUG):
                    _CALL_LOG.debug(
                        "%s %s -> 401: refreshing the api key and sending it again",
                        prepared.call.method,
                        prepared.shown_url(),
                    )
                continue
            if (
                policy is None
                or (delay := _retry_delay(policy, error, retries + 1, prepared)) is None
            ):
                _give_up(error, prepared, attempts, started)
                raise
            retries += 1
            policy.sleep(delay)
            continue
        if started:
            _log_call(prepared, response.status, attempts, started)
        return response


def _give_up(error: ApiException, prepared: PreparedCall, attempts: int, started: float) -> None:
    if attempts > 1 and isinstance(error, ApiConnectionError) and error.reason:
        error.reason += f" (after {attempts} attempts)"
    if started:
        _log_call(prepared, _outcome(error), attempts, started)
    prepared.record_in(error)
