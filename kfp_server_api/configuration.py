"""Client settings: where the server is, how to authenticate, TLS, proxy and logging.

Decisions:
- Building a ``Configuration`` changes no process-wide state. Only setting ``debug`` or
  ``logger_file`` touches the ``kfp_server_api`` and ``urllib3`` loggers, as documented on those
  properties. Turning ``debug`` off again restores the levels it replaced.
- ``debug`` never switches on ``http.client``'s wire dump: that dump prints request headers,
  including the ``authorization`` token, to stdout.
- The api key is never part of ``repr()``, ``to_debug_report()`` or any log line.
- ``copy.deepcopy`` copies every setting but shares the loggers and the log file handler.

Reliability settings (see :mod:`kfp_server_api.retry` and :mod:`kfp_server_api.rest`):

- ``retry_policy``: calls failing with a temporary error (connection refused, DNS failure,
  timeout, dropped connection, 429/502/503/504) are retried with exponential backoff and
  jitter, honouring ``Retry-After`` up to a cap. The default, ``DEFAULT_RETRY_POLICY``, retries
  3 times (4 attempts) after 0.25-0.5 s, 0.5-1 s and 1-2 s, waits at most 20 s for a
  ``Retry-After``, and never repeats a call that is not retry-safe (``create_run``,
  ``terminate_run``, ``retry_run``) unless the request surely never reached the server.
  ``None`` turns these retries off.
- ``retries``: urllib3's retry setting, as in 1.8.5. Left ``None``, urllib3 retries nothing
  and ``retry_policy`` decides. Set to an int, ``False`` or a ``urllib3.Retry`` when the
  ``ApiClient`` is built, it goes to urllib3 exactly as in 1.8.5, and ``retry_policy`` is not
  used at all; its redirect count (``False``: none) also caps the redirects the client follows.
  Redirects are followed by the client itself, and only when they keep the path and query (see
  :mod:`kfp_server_api.rest`).
- ``request_timeout``: the time limit of a call that passes no ``_request_timeout``: seconds
  (a total for the whole exchange, body included), a ``(connect, read)`` pair, a
  ``urllib3.Timeout``, or ``0`` for none. ``None`` means ``rest.DEFAULT_TIMEOUT``: 10 s to
  connect, 60 s for each read and 300 s in all. Each attempt gets the limit, so a call that
  keeps timing out ends after about limit x attempts.
- ``refresh_api_key_hook``: runs before every request; when a request is answered 401 it runs
  again and the request is sent once more with the new credentials.
- ``max_response_bytes`` (default ``DEFAULT_MAX_RESPONSE_BYTES``, 256 MiB): the largest response
  body the client takes, counted as received and again once its gzip or deflate content
  encoding is decoded. A larger body raises ``ApiConnectionError`` (not transient) before it
  fills memory: a Content-Length above the limit is refused before anything is read, and a
  decoder stops as soon as it passes the limit. ``None`` or ``0``: no limit.

Credentials in headers: an api key (and its prefix) is sent without surrounding whitespace, so
a token read from a file with its final newline works. A key with a control character inside
it (a line break, a NUL) raises ``ApiValueError`` naming the setting, without showing the key,
and nothing is sent; no header ever carries a control character.

``retries``, ``request_timeout``, ``max_response_bytes`` and the TLS and proxy settings are read
when the ApiClient is built; ``retry_policy``, the credentials and the hook are read at each call.
"""

from __future__ import annotations

import base64
import copy
import logging
import os
import sys
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Optional, TypedDict

from kfp_server_api._transport.header_values import CONTROL_CHARACTER, control_character_error
from kfp_server_api.retry import DEFAULT_RETRY_POLICY, RetryPolicy

if TYPE_CHECKING:
    from kfp_server_api.rest import RequestTimeout

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_LOGGER_FORMAT",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "AuthSetting",
    "Configuration",
]

#: Server URL used when none is given.
DEFAULT_HOST = "http://localhost"
#: Log line format used when none is given.
DEFAULT_LOGGER_FORMAT = "%(asctime)s %(levelname)s %(message)s"
#: Largest response body the client takes, as received or decoded (see ``max_response_bytes``).
DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024
#: Version of the REST API this client speaks.
API_VERSION = "1.8.5"
#: Version of this package (kept in step with the package metadata).
PACKAGE_VERSION = "1.8.5.post1"

# The auth scheme of the Kubeflow Pipelines API: an api key sent in the `authorization` header.
_BEARER_AUTH_NAME = "Bearer"
_BEARER_KEY = "authorization"

# Attributes a deep copy shares with its original: handlers own open files, and a refresh hook
# is behaviour (often a bound method of a credentials object), not data.
_SHARED_BY_COPIES = frozenset(
    {"logger_file_handler", "logger_stream_handler", "refresh_api_key_hook"}
)


#: One entry of :meth:`Configuration.auth_settings`: the kind of credential (``type``), where it
#: goes (``in``: 'header', 'query' or 'cookie'), under which name (``key``) and the value sent.
AuthSetting = TypedDict("AuthSetting", {"type": str, "in": str, "key": str, "value": Optional[str]})


class Configuration:
    """Settings shared by every request an :class:`~kfp_server_api.ApiClient` makes.

    Args:
        host: base URL of the API server, e.g. ``https://example.com/pipeline``; request paths
            are appended to it as they are. A host without a scheme is taken as ``http``.
        api_key: credentials by name; ``{'authorization': TOKEN}`` sends a token.
        api_key_prefix: prefixes by name; ``{'authorization': 'Bearer'}`` sends
            ``authorization: Bearer TOKEN``.
        username: user for HTTP basic authentication (see :meth:`get_basic_auth_token`).
        password: password for HTTP basic authentication.
        discard_unknown_keys: if true, request bodies are sent without the JSON keys that
            models kept from responses although no field declares them (KFP 2.14 and later
            reject a request with a key they do not know). Either way, unknown keys in a
            response are never an error.

    Retries and time limits (details in the module documentation):

    - ``retry_policy`` (default ``retry.DEFAULT_RETRY_POLICY``): up to 3 retries with
      exponential backoff (0.5 s, doubling, up to 10 s, less up to half at random) on
      connection errors and 429/502/503/504, ``Retry-After`` honoured up to 20 s; calls that
      are not retry-safe are retried only when the request never reached the server. ``None``:
      no retries.
    - ``retries`` (default ``None``): set it to an int, ``False`` or a ``urllib3.Retry`` to let
      urllib3 retry as in 1.8.5 instead; ``retry_policy`` is then not used.
    - ``request_timeout`` (default ``None``: 10 s to connect, 60 s per read, 300 s in all): the
      limit for calls without ``_request_timeout``; ``0`` means no limit.
    - ``max_response_bytes`` (default ``DEFAULT_MAX_RESPONSE_BYTES``, 256 MiB): the largest
      response body taken, as received and once decoded from gzip or deflate; a larger one
      raises ``ApiConnectionError`` before it fills memory. ``None`` or ``0``: no limit.

    Api keys and their prefixes are sent stripped of surrounding whitespace (a token file's
    final newline is harmless); one with a control character inside raises ``ApiValueError``
    naming the setting, without showing it.
    """

    _default: ClassVar[Configuration | None] = None

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        api_key: dict[str, str] | None = None,
        api_key_prefix: dict[str, str] | None = None,
        username: str | None = None,
        password: str | None = None,
        discard_unknown_keys: bool = False,
    ) -> None:
        self.host = host
        #: Folder for downloaded files (kept for compatibility).
        self.temp_folder_path: str | None = None
        # The dicts given are kept as they are: callers update them in place later.
        self.api_key: dict[str, str] = api_key if api_key else {}
        self.api_key_prefix: dict[str, str] = api_key_prefix if api_key_prefix else {}
        #: Called with this configuration before each request; may update ``api_key``.
        self.refresh_api_key_hook: Callable[[Configuration], Any] | None = None
        self.username = username
        self.password = password
        self.discard_unknown_keys = discard_unknown_keys
        #: Loggers that ``debug`` and ``logger_file`` act on.
        self.logger: dict[str, logging.Logger] = {
            "package_logger": logging.getLogger("kfp_server_api"),
            "urllib3_logger": logging.getLogger("urllib3"),
        }
        self.logger_stream_handler: logging.Handler | None = None
        self.logger_file_handler: logging.FileHandler | None = None
        self._logger_format = DEFAULT_LOGGER_FORMAT
        self.logger_formatter = logging.Formatter(DEFAULT_LOGGER_FORMAT)
        self._logger_file: str | None = None
        self._debug = False
        self._levels_before_debug: dict[str, int] | None = None
        #: Verify the server's TLS certificate (against ``ssl_ca_cert`` or certifi's bundle).
        self.verify_ssl = True
        #: CA bundle file used instead of certifi's.
        self.ssl_ca_cert: str | None = None
        #: Client certificate file for mutual TLS.
        self.cert_file: str | None = None
        #: Private key file of ``cert_file``.
        self.key_file: str | None = None
        #: Host name to check the certificate against (``False`` disables the check).
        self.assert_hostname: str | bool | None = None
        #: Connections kept per host.
        self.connection_pool_maxsize: int = (os.cpu_count() or 1) * 5
        #: URL of an HTTP(S) proxy for every request.
        self.proxy: str | None = None
        #: Extra headers sent to the proxy (e.g. ``Proxy-Authorization``).
        self.proxy_headers: dict[str, str] | None = None
        #: Kept for compatibility; path parameters are always encoded with no safe characters.
        self.safe_chars_for_path_param = ""
        #: urllib3's retry setting (an int, False or ``urllib3.Retry``), handed to urllib3 as in
        #: 1.8.5 and then ``retry_policy`` is not used; ``None`` lets ``retry_policy`` decide.
        self.retries: Any = None
        #: When and how failed calls are retried (see :mod:`kfp_server_api.retry`); None: never.
        self.retry_policy: RetryPolicy | None = DEFAULT_RETRY_POLICY
        #: Time limit of calls that give no ``_request_timeout`` (None: ``rest.DEFAULT_TIMEOUT``).
        self.request_timeout: RequestTimeout = None
        #: Check values on the client before sending them (required arguments, base64 fields).
        self.client_side_validation = True
        #: Largest response body taken, as received or decoded (None or 0: no limit).
        self.max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES

    def __repr__(self) -> str:
        scheme, separator, rest = self.host.rpartition("://")
        authority, slash, path = rest.partition("/")
        if "@" in authority:  # user info in the URL is a credential too
            authority = "***@" + authority.rpartition("@")[2]
        host = f"{scheme}{separator}{authority}{slash}{path}"
        keys = ", ".join(f"{name!r}: '***'" for name in self.api_key)
        return f"{type(self).__name__}(host={host!r}, api_key={{{keys}}})"

    def __deepcopy__(self, memo: dict[int, Any]) -> Configuration:
        result = type(self).__new__(type(self))
        memo[id(self)] = result
        for name, value in self.__dict__.items():
            if name == "logger":
                copied = dict(value)
            elif name in _SHARED_BY_COPIES:
                copied = value
            else:
                copied = copy.deepcopy(value, memo)
            setattr(result, name, copied)
        return result

    @classmethod
    def set_default(cls, default: Configuration | None) -> None:
        """Make a copy of ``default`` the configuration new clients start from."""
        cls._default = copy.deepcopy(default)

    @classmethod
    def get_default_copy(cls) -> Configuration:
        """A copy of the default set with :meth:`set_default`, or a fresh ``Configuration()``."""
        if cls._default is not None:
            return copy.deepcopy(cls._default)
        return cls()

    @property
    def logger_file(self) -> str | None:
        """Path of a file that receives the package's and urllib3's log records.

        Setting it attaches a ``FileHandler`` to the loggers in ``self.logger`` (replacing the
        one this configuration attached before); setting ``None`` detaches and closes it.
        """
        return self._logger_file

    @logger_file.setter
    def logger_file(self, value: str | None) -> None:
        previous = self.logger_file_handler
        if previous is not None:
            for logger in self.logger.values():
                logger.removeHandler(previous)
            previous.close()
            self.logger_file_handler = None
        self._logger_file = value
        if value:
            handler = logging.FileHandler(value)
            handler.setFormatter(self.logger_formatter)
            for logger in self.logger.values():
                logger.addHandler(handler)
            self.logger_file_handler = handler

    @property
    def debug(self) -> bool:
        """Log requests and responses at DEBUG level.

        Setting ``True`` sets the loggers in ``self.logger`` to DEBUG; setting ``False`` puts
        back the levels they had before. Headers (and so credentials) are never logged.
        """
        return self._debug

    @debug.setter
    def debug(self, value: bool) -> None:
        self._debug = bool(value)
        if self._debug and self._levels_before_debug is None:
            self._levels_before_debug = {name: logger.level for name, logger in self.logger.items()}
            for logger in self.logger.values():
                logger.setLevel(logging.DEBUG)
        elif not self._debug and self._levels_before_debug is not None:
            for name, level in self._levels_before_debug.items():
                if name in self.logger:
                    self.logger[name].setLevel(level)
            self._levels_before_debug = None

    @property
    def logger_format(self) -> str:
        """Format of log lines written to ``logger_file``."""
        return self._logger_format

    @logger_format.setter
    def logger_format(self, value: str) -> None:
        self._logger_format = value
        self.logger_formatter = logging.Formatter(value)
        if self.logger_file_handler is not None:
            self.logger_file_handler.setFormatter(self.logger_formatter)

    def _api_key_with_prefix(self, identifier: str) -> str | None:
        key = self.api_key.get(identifier)
        if not key:
            return None
        key = _header_safe(key.strip(), f"Configuration.api_key[{identifier!r}]")
        prefix = self.api_key_prefix.get(identifier)
        if prefix:
            prefix = _header_safe(prefix.strip(), f"Configuration.api_key_prefix[{identifier!r}]")
        return f"{prefix} {key}" if prefix else key

    def get_api_key_with_prefix(self, identifier: str) -> str | None:
        """The api key called ``identifier`` with its prefix, after running the refresh hook."""
        if self.refresh_api_key_hook is not None:
            self.refresh_api_key_hook(self)
        return self._api_key_with_prefix(identifier)

    def get_basic_auth_token(self) -> str:
        """The ``Authorization`` header value for HTTP basic authentication."""
        credentials = f"{self.username or ''}:{self.password or ''}"
        return "Basic " + base64.b64encode(credentials.encode("latin-1")).decode("ascii")

    def auth_settings(self) -> dict[str, AuthSetting]:
        """Credentials to send, by auth scheme name; runs ``refresh_api_key_hook`` first.

        The hook runs even while no key is set, so it can supply the first one.
        """
        if self.refresh_api_key_hook is not None:
            self.refresh_api_key_hook(self)
        settings: dict[str, AuthSetting] = {}
        if _BEARER_KEY in self.api_key:
            settings[_BEARER_AUTH_NAME] = {
                "type": "api_key",
                "in": "header",
                "key": _BEARER_KEY,
                "value": self._api_key_with_prefix(_BEARER_KEY),
            }
        return settings

    def to_debug_report(self) -> str:
        """Platform and version facts to paste into a bug report (no settings, no secrets)."""
        return (
            "Python SDK Debug Report:\n"
            f"OS: {sys.platform}\n"
            f"Python Version: {sys.version}\n"
            f"Version of the API: {API_VERSION}\n"
            f"SDK Package Version: {PACKAGE_VERSION}"
        )

    def get_host_settings(self) -> list[dict[str, Any]]:
        """The server URLs the API description lists (templates with variables)."""
        return [{"url": "/", "description": "No description provided"}]

    def get_host_from_settings(self, index: int, variables: dict[str, str] | None = None) -> str:
        """The URL of host setting ``index`` with its ``{variables}`` filled in.

        Raises:
            ValueError: ``index`` is out of range, or a variable value is not allowed.
        """
        variables = {} if variables is None else variables
        servers = self.get_host_settings()
        if not 0 <= index < len(servers):
            raise ValueError(
                f"Invalid index {index} when selecting the host settings. "
                f"Must be less than {len(servers)}"
            )
        server = servers[index]
        url: str = server["url"]
        for name, variable in server.get("variables", {}).items():
            value = variables.get(name, variable["default_value"])
            allowed = variable.get("enum_values")
            if allowed and value not in allowed:
                raise ValueError(
                    f"The variable `{name}` in the host URL has invalid value {value!r}. "
                    f"Must be one of {allowed!r}."
                )
            url = url.replace("{" + name + "}", value)
        return url


def _header_safe(value: str, setting: str) -> str:
    """``value``, if no control character would reach a header through it."""
    if CONTROL_CHARACTER.search(value):
        raise control_character_error(setting)
    return value
