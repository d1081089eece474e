"""The pool manager, and the fast path that hands a plain URL straight to its pool.

One ``urllib3.PoolManager`` (or ``ProxyManager``) per client, built once from the
Configuration: TLS verified by default against certifi's bundle (``ssl_ca_cert`` replaces it),
pools whose responses honour the total deadline (see :mod:`.internals`), and urllib3's own
retries switched off while the client's retry policy is in charge. When ``Configuration.retries``
is ``None`` (the default) urllib3 is told not to retry anything, so the client's retry policy is
the only one and attempts never multiply. When the user sets ``retries`` (an int, ``False`` or a
``urllib3.Retry``) it is handed to urllib3 exactly as in 1.8.5 and the client's retry policy
steps aside. urllib3 never follows redirects itself (see :mod:`.redirects`).
"""

from __future__ import annotations

import re
import ssl
from typing import TYPE_CHECKING, Any, Final

import certifi
import urllib3
from urllib3.util import parse_url

from kfp_server_api._transport import internals
from kfp_server_api._transport.timeouts import DEFAULT_TIMEOUT, to_urllib3_timeout

if TYPE_CHECKING:
    from urllib3 import BaseHTTPResponse, HTTPConnectionPool

    from kfp_server_api.configuration import Configuration

__all__ = ["DEFAULT_POOLS_SIZE", "PLAIN_URL", "DirectPools", "default_timeout", "pool_manager"]

#: Number of connection pools (one per host) kept by the pool manager.
DEFAULT_POOLS_SIZE = 4

# What urllib3 may retry while the client's retry policy is in charge: nothing. total=None so
# that each kind counts against its own 0; a 0 lets the first failure through (wrapped in
# MaxRetryError), and no status or Retry-After retry can start. Redirects never reach urllib3's
# retry logic: every request is sent with redirect=False.
_URLLIB3_RETRIES_UNDER_POLICY: Final = urllib3.Retry(
    total=None, connect=0, read=0, status=0, other=0, redirect=0
)
# One character of a path or query that urllib3 sends as it is: an unreserved or sub-delimiter
# character, ':' or '@', or a percent-escape in upper case (urllib3 upper-cases the others).
_URL_CHAR = r"(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-F]{2})"
#: An absolute http(s) URL that urllib3's parser leaves unchanged: lower-case scheme, a host
#: name or bracketed IPv6 address, no user info, an optional port (group 1: the origin), then a
#: path without '.' or '..' segments and an optional query, without a fragment (group 2: the
#: request target, exactly as urllib3 would send it).
PLAIN_URL = re.compile(
    r"(https?://(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?)"
    rf"((?:/(?!\.\.?(?:[/?]|$)){_URL_CHAR}*)+(?:\?(?:{_URL_CHAR}|[/?])*)?)"
)
# Origins remembered with their pools (more are rare: redirects to other hosts).
_MOST_DIRECT_POOLS: Final = 16


def pool_manager(
    configuration: Configuration, pools_size: int, maxsize: int | None
) -> urllib3.PoolManager:
    """The pool manager for ``configuration`` (a ProxyManager when a proxy is set)."""
    options: dict[str, Any] = {
        "num_pools": pools_size,
        "maxsize": maxsize or configuration.connection_pool_maxsize or DEFAULT_POOLS_SIZE,
        "cert_reqs": ssl.CERT_REQUIRED if configuration.verify_ssl else ssl.CERT_NONE,
        "ca_certs": configuration.ssl_ca_cert or certifi.where(),
        "cert_file": configuration.cert_file,
        "key_file": configuration.key_file,
    }
    if configuration.assert_hostname is not None:
        options["assert_hostname"] = configuration.assert_hostname
    options["retries"] = (
        _URLLIB3_RETRIES_UNDER_POLICY if configuration.retries is None else configuration.retries
    )
    options["timeout"] = default_timeout(configuration)
    manager: urllib3.PoolManager
    if configuration.proxy:
        manager = urllib3.ProxyManager(
            proxy_url=configuration.proxy, proxy_headers=configuration.proxy_headers, **options
        )
    else:
        manager = urllib3.PoolManager(**options)
    # Pools whose responses honour the total time limit while the head arrives too.
    internals.use_deadline_pools(manager)
    return manager


def default_timeout(configuration: Configuration) -> urllib3.Timeout:
    """The time limits of a call without ``_request_timeout``."""
    return to_urllib3_timeout(configuration.request_timeout) or DEFAULT_TIMEOUT


class DirectPools:
    """Sends requests through a pool manager, plain URLs straight to the pool of their origin.

    ``PoolManager.urlopen`` parses the URL, finds the pool of its origin and hands it the
    request target. A URL that is already in the form urllib3 would send (see
    :data:`PLAIN_URL`) goes straight to that pool, found once per origin, instead: the same
    request, without parsing the URL and looking the pool up at every call. A proxy manager
    always gets the whole URL.
    """

    __slots__ = ("_manager", "_pools")

    def __init__(self) -> None:
        self._pools: dict[str, HTTPConnectionPool] = {}
        self._manager: urllib3.PoolManager | None = None

    def urlopen(
        self, manager: urllib3.PoolManager, method: str, url: str, options: dict[str, Any]
    ) -> BaseHTTPResponse:
        """Send one request (no redirect followed) through ``manager``."""
        plain = PLAIN_URL.fullmatch(url) if type(manager) is urllib3.PoolManager else None
        if plain is None:
            return manager.urlopen(method, url, **options)
        if manager is not self._manager:  # a pool manager put in place since
            self._pools, self._manager = {}, manager
        origin, target = plain.groups()
        pool = self._pools.get(origin)
        # A pool the manager closed (evicted, or cleared by close()) is replaced by a new one.
        if pool is None or internals.pool_is_closed(pool):
            parts = parse_url(origin)
            pool = manager.connection_from_host(parts.host, port=parts.port, scheme=parts.scheme)
            if len(self._pools) >= _MOST_DIRECT_POOLS:
                self._pools = {}
            self._pools[origin] = pool
        response: BaseHTTPResponse = pool.urlopen(method, target, assert_same_host=False, **options)
        return response
