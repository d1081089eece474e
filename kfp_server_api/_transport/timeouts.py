"""Time limits of a request: the defaults, the forms ``_request_timeout`` takes, the total.

An int or a float is a total time limit for the whole exchange, from connecting to the last byte
of the body; a ``(connect, read)`` pair sets the time allowed to connect and for each read, with
no total; a ``urllib3.Timeout`` is used as it is (its ``total``, if any, bounds the whole
exchange too); ``0`` means no limit, as in 1.8.5. ``None`` (not given) uses
``Configuration.request_timeout``, and when that is ``None`` too, :data:`DEFAULT_TIMEOUT`.

Why these defaults: connecting takes milliseconds in a cluster and a few seconds across a slow
port-forward or proxy, so 10 s reports a dead or unroutable host quickly without failing a slow
but working network. The KFP server answers in well under a second, and a create_run that talks
to Kubernetes in a few seconds; 60 s is also the idle limit of common ingress proxies (nginx's
proxy_read_timeout), beyond which the answer would be cut anyway. The 300 s total stops a body
that keeps trickling in (each read within 60 s) from holding a call for ever, and leaves room
for a large listing or artifact over a slow link. How the total holds over every read is
:mod:`.deadline`'s business.
"""

from __future__ import annotations

import time
from typing import Final, Optional, Union

import urllib3

from kfp_server_api.exceptions import ApiValueError

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_READ_TIMEOUT",
    "DEFAULT_TIMEOUT",
    "DEFAULT_TOTAL_TIMEOUT",
    "RequestTimeout",
    "TotalTimeLimitPassed",
    "time_left",
    "to_urllib3_timeout",
    "total_of",
]

#: Seconds allowed to open a connection when no timeout is given (see the module docstring).
DEFAULT_CONNECT_TIMEOUT: Final = 10.0
#: Seconds allowed for each read of the response when no timeout is given.
DEFAULT_READ_TIMEOUT: Final = 60.0
#: Seconds allowed for the whole exchange, body included, when no timeout is given.
DEFAULT_TOTAL_TIMEOUT: Final = 300.0
#: The time limits of a request when neither the call nor the Configuration sets any.
DEFAULT_TIMEOUT: Final = urllib3.Timeout(
    connect=DEFAULT_CONNECT_TIMEOUT, read=DEFAULT_READ_TIMEOUT, total=DEFAULT_TOTAL_TIMEOUT
)

# ``_request_timeout=0``: no limit at all (not even the default one).
_NO_TIME_LIMIT: Final = urllib3.Timeout(connect=None, read=None)

#: What ``_request_timeout`` accepts.
RequestTimeout = Union[None, int, float, tuple[Optional[float], Optional[float]], urllib3.Timeout]


class TotalTimeLimitPassed(Exception):
    """The total time limit of a request passed before a redirect could be followed."""


def to_urllib3_timeout(value: RequestTimeout) -> urllib3.Timeout | None:
    """Turn a ``_request_timeout`` value into a ``urllib3.Timeout``.

    ``None`` gives ``None`` (the default applies); ``0`` gives a Timeout without any limit.

    Raises:
        ApiValueError: the value is not one of the accepted forms, or is negative.
    """
    if value is None or isinstance(value, urllib3.Timeout):
        return value
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return urllib3.Timeout(total=value) if value else _NO_TIME_LIMIT
        if isinstance(value, (tuple, list)) and len(value) == 2:
            return urllib3.Timeout(connect=value[0], read=value[1])
    except (TypeError, ValueError) as error:
        raise ApiValueError(f"Invalid _request_timeout {value!r}: {error}") from None
    raise ApiValueError(
        f"Invalid _request_timeout {value!r}: expected a number of seconds, a (connect, read) "
        "pair or a urllib3.Timeout"
    )


def total_of(timeout: urllib3.Timeout) -> float | None:
    """The total time limit of ``timeout`` in seconds, if it has one."""
    total = timeout.total
    return float(total) if isinstance(total, (int, float)) else None


def time_left(timeout: urllib3.Timeout, deadline: float) -> urllib3.Timeout:
    """``timeout`` with its total cut down to the time left before ``deadline``.

    Raises:
        TotalTimeLimitPassed: no time is left.
    """
    left = deadline - time.monotonic()
    if left <= 0:
        raise TotalTimeLimitPassed
    limited = timeout.clone()
    limited.total = left
    return limited
