"""RetryPolicy: named defaults, copies, backoff with jitter, Retry-After, what may be retried."""

from __future__ import annotations

import copy
import pickle
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kfp_server_api import Configuration, RetryPolicy
from kfp_server_api.exceptions import (
    ApiConnectionError,
    ApiException,
    ApiTimeoutError,
    ServiceException,
)
from kfp_server_api.retry import (
    DEFAULT_BACKOFF_FACTOR,
    DEFAULT_BACKOFF_MAX,
    DEFAULT_JITTER,
    DEFAULT_RETRIES,
    DEFAULT_RETRY_AFTER_MAX,
    DEFAULT_RETRY_POLICY,
    DEFAULT_STATUS_FORCELIST,
)

NOW = datetime(2024, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


@dataclass
class Response:
    """What ApiException reads from a response."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    reason: str = "Service Unavailable"
    data: bytes = b""


def answered(status: int, **headers: str) -> ApiException:
    return ApiException.from_response(
        Response(status, {k.replace("_", "-"): v for k, v in headers.items()})
    )


def at_noon(**changes: Any) -> RetryPolicy:
    """A policy whose clock reads NOW."""
    return RetryPolicy(clock=NOW.timestamp, **changes)


# -- defaults and copies -----------------------------------------------------------------------


def test_defaults_are_the_named_constants() -> None:
    policy = RetryPolicy()
    assert policy.total == DEFAULT_RETRIES == 3
    assert policy.backoff_factor == DEFAULT_BACKOFF_FACTOR == 0.5
    assert policy.backoff_max == DEFAULT_BACKOFF_MAX == 10.0
    assert policy.jitter == DEFAULT_JITTER == 0.5
    assert policy.retry_after_max == DEFAULT_RETRY_AFTER_MAX == 20.0
    assert policy.status_forcelist == DEFAULT_STATUS_FORCELIST == {429, 502, 503, 504}
    assert policy == DEFAULT_RETRY_POLICY
    assert Configuration().retry_policy is DEFAULT_RETRY_POLICY


def test_new_returns_a_changed_copy() -> None:
    policy = RetryPolicy()
    changed = policy.new(total=5, status_forcelist=[503])
    assert (changed.total, changed.status_forcelist) == (5, frozenset({503}))
    assert policy == RetryPolicy()
    with pytest.raises(AttributeError):
        policy.total = 1  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del policy.jitter
    with pytest.raises(TypeError):
        policy.new(retries=1)


def test_policies_compare_hash_and_show_their_settings_only() -> None:
    waits: list[float] = []
    recording = RetryPolicy(total=2, sleep=waits.append, random=lambda: 0.5)
    assert recording == RetryPolicy(total=2)
    assert hash(recording) == hash(RetryPolicy(total=2))
    assert recording != RetryPolicy(total=3)
    assert recording != (2, 0.5, 10.0, 0.5, 20.0, DEFAULT_STATUS_FORCELIST)
    assert repr(recording) == (
        "RetryPolicy(total=2, backoff_factor=0.5, backoff_max=10.0, jitter=0.5, "
        f"retry_after_max=20.0, status_forcelist={DEFAULT_STATUS_FORCELIST!r})"
    )
    assert pickle.loads(pickle.dumps(RetryPolicy(total=5))) == RetryPolicy(total=5)


def test_copies_share_the_injected_sleep() -> None:
    waits: list[float] = []
    policy = RetryPolicy(sleep=waits.append)
    assert copy.copy(policy) is policy
    assert copy.deepcopy(policy) is policy
    configuration = Configuration()
    configuration.retry_policy = policy
    copied = copy.deepcopy(configuration).retry_policy
    assert copied is not None
    copied.sleep(1.5)
    assert waits == [1.5]


@pytest.mark.parametrize(
    "changes",
    [
        {"total": -1},
        {"total": True},
        {"total": 1.5},
        {"backoff_factor": -0.1},
        {"backoff_max": float("inf")},
        {"retry_after_max": float("nan")},
        {"jitter": 1.5},
        {"jitter": -0.5},
    ],
    ids=repr,
)
def test_invalid_settings_are_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=next(iter(changes))):
        RetryPolicy(**changes)


# -- backoff and jitter ------------------------------------------------------------------------


def test_backoff_doubles_up_to_its_cap() -> None:
    policy = RetryPolicy(total=10)
    assert [policy.backoff(n) for n in range(0, 8)] == [0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert policy.backoff(10_000) == DEFAULT_BACKOFF_MAX


@pytest.mark.parametrize(
    ("chance", "expected"), [(0.0, [0.5, 1.0, 2.0]), (0.5, [0.375, 0.75, 1.5])]
)
def test_jitter_takes_a_random_part_off(chance: float, expected: list[float]) -> None:
    policy = RetryPolicy(random=lambda: chance)
    delays = [policy.delay_before_retry(answered(503), n, retry_safe=True) for n in (1, 2, 3)]
    assert delays == expected


@given(st.floats(min_value=0.0, max_value=1.0, exclude_max=True), st.integers(1, 3))
def test_delay_stays_within_the_jitter_bounds(chance: float, retry_number: int) -> None:
    policy = RetryPolicy(random=lambda: chance)
    delay = policy.delay_before_retry(answered(502), retry_number, retry_safe=True)
    backoff = policy.backoff(retry_number)
    assert delay is not None
    assert backoff * (1 - DEFAULT_JITTER) <= delay <= backoff


def test_retries_run_out() -> None:
    policy = RetryPolicy(total=2, random=lambda: 0.0)
    error = answered(503)
    assert policy.delay_before_retry(error, 2, retry_safe=True) == 1.0
    assert policy.delay_before_retry(error, 3, retry_safe=True) is None
    assert RetryPolicy(total=0).delay_before_retry(error, 1, retry_safe=True) is None


# -- Retry-After -------------------------------------------------------------------------------

RETRY_AFTER_CASES = [
    ("5", 5.0),
    (" 7 ", 7.0),
    ("0", 0.0),
    ("120", DEFAULT_RETRY_AFTER_MAX),
    (format_datetime(NOW + timedelta(seconds=12), usegmt=True), 12.0),
    (format_datetime(NOW + timedelta(hours=1), usegmt=True), DEFAULT_RETRY_AFTER_MAX),
    (format_datetime(NOW - timedelta(minutes=5), usegmt=True), 0.0),
    ("Fri, 01 Mar 2024 12:00:09 -0000", 9.0),
    ("Fri, 01 Mar 2024 13:00:03 +0100", 3.0),
    ("soon", None),
    ("-5", None),
    ("1.5e3", None),
    ("", None),
    ("\u00b2", None),  # '²': str.isdigit says yes, int() says no
    ("\u0661\u0662", None),  # Arabic-Indic digits: not the ASCII digits HTTP means
]


@pytest.mark.parametrize(("value", "expected"), RETRY_AFTER_CASES, ids=repr)
def test_retry_after_in_seconds_or_as_a_date_is_capped(value: str, expected: float | None) -> None:
    assert at_noon().retry_after({"Retry-After": value}) == expected


def test_retry_after_header_name_is_case_insensitive() -> None:
    assert at_noon().retry_after({"retry-after": "3"}) == 3.0
    assert at_noon().retry_after({"Content-Type": "application/json"}) is None
    assert at_noon().retry_after(None) is None


def test_retry_after_replaces_the_backoff_without_jitter() -> None:
    policy = at_noon(random=lambda: 0.9, retry_after_max=30.0)
    assert policy.delay_before_retry(answered(429, Retry_After="25"), 1, retry_safe=True) == 25.0
    assert policy.delay_before_retry(answered(503, Retry_After="99"), 3, retry_safe=True) == 30.0
    # unreadable: the backoff applies
    unreadable = answered(503, Retry_After="later")
    assert policy.delay_before_retry(unreadable, 1, retry_safe=True) == pytest.approx(
        0.5 * (1 - 0.5 * 0.9)
    )


# -- what may be retried -----------------------------------------------------------------------

NEVER_SENT = ApiConnectionError(reason="Connection refused", request_sent=False)
MAYBE_SENT = ApiConnectionError(reason="Connection closed by the server")
READ_TIMEOUT = ApiTimeoutError(reason="Read timed out")
CONNECT_TIMEOUT = ApiTimeoutError(reason="Connect timed out", request_sent=False)
TLS = ApiConnectionError(
    reason="TLS certificate verification failed", request_sent=False, transient=False
)

RETRYABLE_CASES = [
    # (error, retried when the call is retry-safe, retried when it is not)
    (NEVER_SENT, True, True),
    (CONNECT_TIMEOUT, True, True),
    (MAYBE_SENT, True, False),
    (READ_TIMEOUT, True, False),
    (TLS, False, False),
    (answered(429), True, False),
    (answered(502), True, False),
    (answered(503), True, False),
    (answered(504), True, False),
    (answered(500), False, False),
    (answered(501), False, False),
    (answered(400), False, False),
    (answered(401), False, False),
    (answered(404), False, False),
    (answered(409), False, False),
]


@pytest.mark.parametrize(
    ("error", "when_safe", "when_unsafe"),
    RETRYABLE_CASES,
    ids=[f"{type(e).__name__}-{e.status}-{e.reason}" for e, _, _ in RETRYABLE_CASES],
)
def test_what_is_retried(error: ApiException, when_safe: bool, when_unsafe: bool) -> None:
    policy = RetryPolicy()
    assert policy.is_retryable(error, retry_safe=True) is when_safe
    assert policy.is_retryable(error, retry_safe=False) is when_unsafe
    assert (policy.delay_before_retry(error, 1, retry_safe=False) is not None) is when_unsafe


def test_status_forcelist_is_configurable() -> None:
    policy = RetryPolicy(status_forcelist={500})
    assert policy.is_retryable(answered(500), retry_safe=True)
    assert not policy.is_retryable(answered(503), retry_safe=True)


def test_connection_errors_default_to_the_safe_assumptions() -> None:
    error = ApiConnectionError(reason="something broke")
    assert (error.request_sent, error.transient) == (True, True)
    assert isinstance(answered(503), ServiceException)
