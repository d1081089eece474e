"""Redirects: which ones the client follows, where they lead, and what credentials go along.

The client follows a redirect (301, 302, 307, 308, and 303 for GET and HEAD) only when the new
URL keeps the request's path and query (compared as sent, percent-escapes in either case): only
the scheme, host or port may change, as when a gateway moves a client from http to https. The
request is sent again as it was (same method, same body). Credential headers (``Authorization``,
``Cookie``, ``Proxy-Authorization`` and any other header whose name marks a credential) are
dropped when the new URL is on another host or port; only an upgrade from http to https on the
same host and default ports keeps them. At most ``DEFAULT_REDIRECTS`` redirects are followed
per request (fewer if ``Configuration.retries`` limits redirects: ``False`` or a
``urllib3.Retry`` with ``redirect=0`` follows none). Any other 3xx is returned as it is, with
:attr:`RESTResponse.redirect_refusal` naming the method, the URL, the ``Location`` and why.
Why: a server that cleans paths (the KFP API server's Go router, the emulator) answers an id
such as ``x/../<other id>``, sent encoded as one segment, with a 301 to the cleaned path;
following it, as 1.8.5 did for every redirect, would run ``delete_run`` or ``terminate_run`` on
another run. A legitimate API endpoint never moves to another path.

Where a ``Location`` leads is judged by the parser that makes the connection.

Python's ``urlsplit`` and urllib3's ``parse_url`` read some URLs differently. In
``http://127.0.0.1:8001\\@127.0.0.1:8002/path`` urllib3 ends the authority at the backslash and
connects to port 8001, while ``urlsplit`` takes everything up to the ``@`` as user info and sees
port 8002. A check of the origin made with one parser, and a connection made with the other,
would send the credentials to a host the check never saw.

So the origin of a redirect target is always read with ``parse_url`` (what urllib3 connects to),
and a ``Location`` is refused outright when the two parsers could disagree about it:

- it holds a backslash, a space, a control character or a non-ASCII character (a valid
  ``Location`` is printable ASCII: RFC 3986 has no raw space, backslash or non-ASCII);
- it carries user info (``user@host``): a redirect has no business setting credentials, and
  ``@`` is where the parsers part ways;
- once resolved, the two parsers do not give the same scheme, host, port, path and query.
"""

from __future__ import annotations

import re
from typing import Any, Final, Optional
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from kfp_server_api._credentials import is_credential_header
from kfp_server_api._transport.redaction import one_line, url_for_display
from kfp_server_api._transport.request import METHODS

__all__ = [
    "DEFAULT_PORTS",
    "DEFAULT_REDIRECTS",
    "escapes_in_upper_case",
    "keeps_credentials",
    "redirect_limit",
    "redirect_target",
    "refusal_reason",
    "resolve_location",
    "without_credentials",
]

DEFAULT_PORTS: Final = {"http": 80, "https": 443}
#: Most redirects followed in one request (each keeping the path and query; see the module
#: docstring).
DEFAULT_REDIRECTS: Final = 3
# Redirect statuses the client may follow, each with the methods it follows it for. A 303 asks
# for a GET whatever the method was, so only a GET or HEAD is still the same request after it.
_FOLLOWED_REDIRECTS: Final = {
    301: METHODS,
    302: METHODS,
    303: frozenset({"GET", "HEAD"}),
    307: METHODS,
    308: METHODS,
}
_PERCENT_ESCAPE: Final = re.compile(r"%[0-9a-fA-F]{2}")
# Anything but printable ASCII, and the backslash.
_AMBIGUOUS_CHARACTER: Final = re.compile(r"[^\x21-\x7e]|\\")

_Origin = tuple[str, str, Optional[int]]


def escapes_in_upper_case(text: str) -> str:
    """``text`` with its percent-escapes in upper case (``%2f`` and ``%2F`` are one octet, RFC
    3986, 6.2.2.1). Nothing is unescaped: an encoded '/' or '.' must never turn into a
    separator or a dot segment."""
    return _PERCENT_ESCAPE.sub(lambda match: match.group().upper(), text) if "%" in text else text


def resolve_location(url: str, location: str) -> tuple[str | None, str]:
    """The absolute URL (without fragment) that ``location``, received for ``url``, leads to.

    Returns:
        ``(target, "")``, or ``(None, why)`` when the Location is refused (see the module
        docstring).
    """
    if _AMBIGUOUS_CHARACTER.search(location):
        return None, (
            "the Location holds a backslash, a space, a control or a non-ASCII character, "
            "which URL parsers read differently"
        )
    try:
        target = urljoin(url, location).partition("#")[0]
        connected = parse_url(target)
        checked = urlsplit(target)
        checked_port = checked.port
    except (LocationParseError, ValueError):
        return None, "the Location is not a valid URL"
    if connected.auth is not None or "@" in checked.netloc:
        return None, "the Location carries user info (user@host)"
    if connected.scheme not in DEFAULT_PORTS or not connected.host:
        return None, "the Location is not an http(s) URL"
    seen_by_urllib3 = (
        connected.scheme,
        connected.host.strip("[]"),
        connected.port,
        escapes_in_upper_case(connected.path or "/"),
        escapes_in_upper_case(connected.query or ""),
    )
    seen_by_urlsplit = (
        checked.scheme.lower(),
        checked.hostname,
        checked_port,
        escapes_in_upper_case(checked.path or "/"),
        escapes_in_upper_case(checked.query),
    )
    if seen_by_urllib3 != seen_by_urlsplit:
        return None, "URL parsers disagree on where the Location leads"
    return target, ""


def _origin(url: str) -> _Origin | None:
    """Scheme, host and port that urllib3 connects to for ``url`` (None: not a valid URL)."""
    try:
        parts = parse_url(url)
    except LocationParseError:
        return None
    scheme = (parts.scheme or "http").lower()
    host = (parts.host or "").lower().strip("[]")
    return scheme, host, parts.port or DEFAULT_PORTS.get(scheme)


def keeps_credentials(url: str, target: str) -> bool:
    """Whether credentials sent to ``url`` may go to ``target``: the same scheme, host and port,
    or the same host reached over https instead of http on the default ports."""
    before, after = _origin(url), _origin(target)
    if before is None or after is None:
        return False
    host = before[1]
    return before == after or (before, after) == (("http", host, 80), ("https", host, 443))


def redirect_limit(retries: Any) -> int:
    """How many redirects one request may follow, given ``Configuration.retries``."""
    if retries is None:
        return DEFAULT_REDIRECTS
    setting = urllib3.Retry.from_int(retries)
    # urllib3 counts redirects against ``redirect``, else against ``total``; False: none at all.
    for limit in (setting.redirect, setting.total):
        if limit is False:
            return 0
        if isinstance(limit, int):
            return max(limit, 0)
    return DEFAULT_REDIRECTS


def _same_path_and_query(url: str, target: str) -> bool:
    before, after = urlsplit(url), urlsplit(target)
    return escapes_in_upper_case(before.path or "/") == escapes_in_upper_case(
        after.path or "/"
    ) and escapes_in_upper_case(before.query) == escapes_in_upper_case(after.query)


def redirect_target(
    method: str, url: str, raw: Any, hops: int, limit: int
) -> tuple[str | None, str]:
    """Where to follow a 3xx answer to ``method url``; or None, and why it is not followed."""
    location = raw.headers.get("Location")
    if not location:
        return None, "the answer has no Location"
    methods = _FOLLOWED_REDIRECTS.get(raw.status)
    if methods is None:
        return None, f"{raw.status} is not a redirect the client follows"
    target, refusal = resolve_location(url, location.strip())
    if target is None:
        return None, refusal
    if not _same_path_and_query(url, target):
        return None, "the client follows only redirects that keep the path and query"
    if method not in methods:
        return None, f"a {raw.status} answer asks for a GET instead of the {method}"
    if hops >= limit:
        return None, f"more than {limit} redirects"
    return target, ""


def without_credentials(headers: dict[str, str]) -> dict[str, str]:
    """``headers`` without the credential headers (a new dict)."""
    return {name: value for name, value in headers.items() if not is_credential_header(name)}


def refusal_reason(method: str, url: str, raw: Any, why: str) -> str:
    """The reason of the error raised for a 3xx answer to ``method url`` not followed."""
    location = raw.headers.get("Location")
    if not location:
        shown = "(no Location)"
    elif resolve_location(url, location.strip())[0] is None:
        shown = ascii(location.strip())[:200]  # as received: no parser's reading of it
    else:
        shown = url_for_display(urljoin(url, location.strip()), keep_query=True)
    return one_line(
        f"Redirect not followed: {method} {url_for_display(url, keep_query=True)} answered "
        f"{raw.status} with Location {shown}: {why}"
    )
