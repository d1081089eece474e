"""Which secrets a request carried, and keeping them out of what the client raises and logs.

Every error path of the HTTP layer (a status error, a transport failure, a total time limit, a
body too large or cut short) and the DEBUG log redact the same set of secrets: the value of every
credential header sent (``Authorization``, ``Cookie``, api-key headers... with and without their
scheme, and each cookie value), the user info of the request URL, and the proxy's credentials.
A server can echo any of them back in a malformed answer (as the status line, or as a chunk
size), so the lower-level error that describes that answer may hold one too: such an error is
not chained as the ``__cause__`` of the exception raised (its reason, already redacted, says
what went wrong), so no traceback, log record or pickle can show it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from kfp_server_api._credentials import credentials_in_headers

if TYPE_CHECKING:
    from kfp_server_api.configuration import Configuration

__all__ = [
    "credentials_of_request",
    "error_chain",
    "one_line",
    "proxy_credentials",
    "scrubbed",
    "url_for_display",
]


def _userinfo_secrets(url: str | None) -> list[str]:
    if not url:
        return []
    userinfo = urlsplit(url).netloc.rpartition("@")[0]
    if not userinfo:
        return []
    password = userinfo.partition(":")[2]
    return [userinfo, unquote(userinfo), password, unquote(password)]


def _longest_first(secrets: list[str]) -> tuple[str, ...]:
    # Longest first, so that a secret containing another is replaced whole.
    return tuple(sorted({item for item in secrets if item}, key=len, reverse=True))


def proxy_credentials(configuration: Configuration) -> tuple[str, ...]:
    """Secrets of the proxy settings: user info of the proxy URL, credential proxy headers."""
    secrets = _userinfo_secrets(configuration.proxy)
    secrets += credentials_in_headers(configuration.proxy_headers)
    return _longest_first(secrets)


def credentials_of_request(
    headers: Mapping[str, Any] | None, url: str, proxy_secrets: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """Every secret a request to ``url`` with ``headers`` carried, proxy's included."""
    secrets = [*credentials_in_headers(headers), *_userinfo_secrets(url), *proxy_secrets]
    return _longest_first(secrets)


def error_chain(error: BaseException) -> Iterator[BaseException]:
    """``error`` and every exception it wraps (reason, args, cause, context), outermost first."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = [getattr(current, "reason", None), getattr(current, "original_error", None)]
        wrapped += [arg for arg in current.args if isinstance(arg, BaseException)]
        wrapped += [current.__cause__, current.__context__]
        pending += [item for item in wrapped if isinstance(item, BaseException)]


def scrubbed(error: BaseException, secrets: tuple[str, ...]) -> BaseException | None:
    """``error`` when no secret shows in it or in any error it wraps; else None (chain
    nothing)."""
    if not secrets:
        return error
    for item in error_chain(error):
        try:
            texts = (str(item), repr(item))
        except Exception:  # an error that cannot even describe itself: chain nothing
            return None
        if any(secret in text for secret in secrets for text in texts):
            return None
    return error


def url_for_display(url: str, *, keep_query: bool) -> str:
    """``url`` for logs and messages: without user info (a credential), and without its query
    unless asked."""
    parts = urlsplit(url)
    text = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"
    return f"{text}?{parts.query}" if keep_query and parts.query else text


def one_line(text: str) -> str:
    """``text`` with every run of white space (line breaks included) made one space."""
    return " ".join(text.split())
