"""Where a redirect's ``Location`` leads, judged by the parser that makes the connection.

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
from typing import Final, Optional
from urllib.parse import urljoin, urlsplit

from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

__all__ = ["DEFAULT_PORTS", "escapes_in_upper_case", "keeps_credentials", "resolve_location"]

DEFAULT_PORTS: Final = {"http": 80, "https": 443}
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
