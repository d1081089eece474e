"""Which headers and query parameters carry credentials, and hiding them in text.

Used by the exceptions (so that ``str()`` of an error never shows a credential) and by the
transport (redirects, logging). The public names are re-exported by
:mod:`kfp_server_api.exceptions`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final
from urllib.parse import unquote_plus, urlsplit, urlunsplit

__all__ = [
    "REDACTED",
    "credentials_in_headers",
    "is_credential_header",
    "is_credential_query_parameter",
    "masked_headers",
    "redact",
    "redact_url",
]

#: What replaces a credential in any text the client produces.
REDACTED: Final = "***"
# Lower-case header names, and words in header names, that mark a credential.
_CREDENTIAL_HEADERS: Final = frozenset({"authorization", "cookie", "set-cookie"})
_CREDENTIAL_WORDS: Final = (
    "authorization",
    "token",
    "secret",
    "password",
    "api-key",
    "apikey",
    "api_key",
    "cookie",
)


def is_credential_header(name: str) -> bool:
    """Whether a header called ``name`` carries a credential (its value is never shown)."""
    lowered = name.lower()
    return lowered in _CREDENTIAL_HEADERS or any(word in lowered for word in _CREDENTIAL_WORDS)


def credentials_in_headers(headers: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The secret strings in request headers: each credential header's value, the part after
    its scheme (``Bearer TOKEN`` gives ``TOKEN`` too) and each cookie value."""
    secrets: list[str] = []
    for name, value in (headers or {}).items():
        if value is None or not is_credential_header(str(name)):
            continue
        text = str(value)
        secrets.append(text)
        secrets.append(text.partition(" ")[2].strip())
        if "cookie" in str(name).lower():
            secrets.extend(part.partition("=")[2].strip() for part in text.split(";"))
    # Longest first, so that a secret containing another is replaced whole.
    return tuple(sorted({s for s in secrets if s}, key=len, reverse=True))


# Lower-case query parameter names, and words in them, that mark a credential. ("page_token" is
# a position in a listing, not a credential, so "token" counts only as the whole name.)
_CREDENTIAL_QUERY_NAMES: Final = frozenset({"token", "key", "sig", "code", "auth"})
_CREDENTIAL_QUERY_WORDS: Final = (
    "access_token",
    "id_token",
    "refresh_token",
    "auth_token",
    "api_key",
    "apikey",
    "api-key",
    "password",
    "secret",
    "credential",
    "signature",
    "authorization",
)


def is_credential_query_parameter(name: str) -> bool:
    """Whether a query parameter called ``name`` carries a credential (its value is hidden)."""
    lowered = name.lower()
    return lowered in _CREDENTIAL_QUERY_NAMES or any(
        word in lowered for word in _CREDENTIAL_QUERY_WORDS
    )


def redact_url(url: str, secrets: Iterable[str] = ()) -> str:
    """``url`` for messages: user info and the values of credential query parameters shown as
    ``***``, and each of ``secrets`` redacted; the rest of the text is kept as it was."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{REDACTED}@{netloc.rpartition('@')[2]}"
    pieces = parts.query.split("&") if parts.query else []
    for index, piece in enumerate(pieces):
        name, equals, _ = piece.partition("=")
        if equals and is_credential_query_parameter(unquote_plus(name)):
            pieces[index] = f"{name}={REDACTED}"
    shown = urlunsplit((parts.scheme, netloc, parts.path, "&".join(pieces), parts.fragment))
    return redact(shown, secrets)


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of each of ``secrets`` replaced by ``***``."""
    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, REDACTED)
    return text


def masked_headers(headers: Any, secrets: Iterable[str] = ()) -> Any:
    """``headers`` with credential headers shown as ``***`` and ``secrets`` redacted in the
    other values; the very object given when nothing needs hiding."""
    if not isinstance(headers, Mapping):
        return headers
    secrets = tuple(secrets)
    # iteritems() (urllib3's HTTPHeaderDict) yields each value of a repeated header on its own.
    pairs = list(getattr(headers, "iteritems", headers.items)())
    hidden = [
        (name, REDACTED if is_credential_header(str(name)) else redact(str(value), secrets))
        for name, value in pairs
    ]
    if all(new == str(old) for (_, new), (_, old) in zip(hidden, pairs)):
        return headers
    if hasattr(headers, "add"):  # keep the HTTPHeaderDict type (and its repr)
        masked: Any = type(headers)()
        for name, value in hidden:
            masked.add(name, value)
        return masked
    return dict(hidden)
