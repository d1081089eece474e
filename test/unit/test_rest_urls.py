"""The URLs the HTTP layer sends straight to a connection pool are those urllib3 sends unchanged."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from kfp_server_api._transport.pools import PLAIN_URL as _PLAIN_URL
from kfp_server_api._transport.redirects import keeps_credentials, resolve_location

# Characters that make up URLs: the ones urllib3 keeps, the ones it escapes or splits on, and
# the pieces of escapes and dot segments.
_PIECES = st.sampled_from(
    [*"aZ09-._~!$&'()*+,;=:@/?#%[] \\\"<>^`{|}é", "%2F", "%2f", "%zz", "/.", "/..", "./", "../"]
)
_ORIGINS = st.sampled_from(
    [
        "http://127.0.0.1:8888",
        "https://example.com",
        "http://Example.COM:80",
        "http://[::1]:8080",
        "http://user:pw@host",
        "HTTP://host",
        "http://host:99999",
        "ftp://host",
    ]
)


@given(origin=_ORIGINS, rest=st.lists(_PIECES, max_size=12).map("".join))
@example(origin="http://127.0.0.1:8888", rest="/apis/v1beta1/runs/run-1")
@example(origin="http://127.0.0.1:8888", rest="/apis/v1beta1/runs?page_size=10&sort_by=a+desc")
@example(origin="http://127.0.0.1:8888", rest="/a/%2E%2E/b")
@example(origin="http://host:99999", rest="/a")
def test_a_plain_url_is_split_as_urllib3_splits_it(origin: str, rest: str) -> None:
    url = origin + rest
    plain = _PLAIN_URL.fullmatch(url)
    if plain is None:
        return
    sent_origin, target = plain.groups()
    assert sent_origin + target == url
    try:
        parsed = parse_url(url)
    except LocationParseError:  # an invalid port: the origin alone is refused the same way
        with pytest.raises(LocationParseError):
            parse_url(sent_origin)
        return
    assert target == parsed.request_uri
    pool_address = parse_url(sent_origin)
    assert (pool_address.scheme, pool_address.host, pool_address.port) == (
        parsed.scheme,
        parsed.host,
        parsed.port,
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8888/apis/v1beta1/runs/run-1",
        "https://example.com/pipeline/apis/v1beta1/runs?page_size=10&filter=%7B%22a%22%7D",
        "http://[::1]:8080/apis/v1beta1/healthz",
    ],
)
def test_api_urls_are_plain(url: str) -> None:
    assert _PLAIN_URL.fullmatch(url) is not None


@pytest.mark.parametrize(
    "url",
    [
        "http://host/a/../b",  # urllib3 removes dot segments
        "http://host/a/./b",
        "http://host/a%2fb",  # urllib3 upper-cases escapes
        "http://host/a b",  # and escapes what may not appear
        "http://host/a#fragment",  # a fragment is not sent
        "http://user:secret@host/a",  # user info
        "http://host",  # no path: urllib3 sends '/'
    ],
)
def test_urls_urllib3_would_change_are_not_plain(url: str) -> None:
    assert _PLAIN_URL.fullmatch(url) is None


# -- where a redirect leads: the parser that connects decides -----------------------------------

BASE = "http://127.0.0.1:8001/apis/v1beta1/runs/r-1"

#: Locations on which urlsplit and urllib3 could disagree, each with the words of its refusal.
AMBIGUOUS_LOCATIONS = {
    # urllib3 connects to 8002, urlsplit sees 8001 (the origin of the request).
    "backslash before @": (
        "http://127.0.0.1:8002\\@127.0.0.1:8001/apis/v1beta1/runs/r-1",
        "backslash",
    ),
    "backslash in the path": ("/apis\\v1beta1/runs/r-1", "backslash"),
    "user info": ("http://user@127.0.0.1:8002/apis/v1beta1/runs/r-1", "user info"),
    "user info of the same host": (
        "http://127.0.0.1:8001@127.0.0.1:8002/apis/v1beta1/runs/r-1",
        "user info",
    ),
    "scheme-relative with user info": ("//x@127.0.0.1:8002/apis/v1beta1/runs/r-1", "user info"),
    "tab": ("http://127.0.0.1:8002\t/apis/v1beta1/runs/r-1", "control"),
    "space": ("http://127.0.0.1:8002 @127.0.0.1:8001/apis/v1beta1/runs/r-1", "space"),
    "non-ASCII": ("http://127.0.0.1:8001/apis/v1beta1/runs/r-\u00e9", "non-ASCII"),
    "NUL": ("http://127.0.0.1:8001\x00.evil/apis/v1beta1/runs/r-1", "control"),
    "not a port": ("http://127.0.0.1:80x1/apis/v1beta1/runs/r-1", "not a valid URL"),
    "ftp": ("ftp://127.0.0.1/apis/v1beta1/runs/r-1", "not an http(s) URL"),
}


@pytest.mark.parametrize("name", list(AMBIGUOUS_LOCATIONS))
def test_a_location_the_parsers_could_read_differently_is_refused(name: str) -> None:
    location, words = AMBIGUOUS_LOCATIONS[name]
    target, why = resolve_location(BASE, location)
    assert target is None
    assert words in why


@pytest.mark.parametrize(
    ("location", "target"),
    [
        ("/apis/v1beta1/runs/r-1", BASE),
        (
            "https://127.0.0.1:8443/apis/v1beta1/runs/r-1#top",
            "https://127.0.0.1:8443/apis/v1beta1/runs/r-1",
        ),
        ("//[::1]:8002/apis/v1beta1/runs/r-1", "http://[::1]:8002/apis/v1beta1/runs/r-1"),
    ],
)
def test_a_plain_location_resolves_against_the_request(location: str, target: str) -> None:
    assert resolve_location(BASE, location) == (target, "")


@given(location=st.lists(_PIECES, max_size=30).map("".join), origin=_ORIGINS)
def test_an_accepted_location_leads_where_urllib3_connects(location: str, origin: str) -> None:
    """Whatever a Location holds, an accepted one has one reading: urllib3's origin is the one
    the credentials check sees."""
    target, _ = resolve_location(BASE, origin + location)
    if target is None:
        return
    connected = parse_url(target)
    assert connected.auth is None
    assert keeps_credentials(BASE, target) == (
        (connected.scheme, connected.host, connected.port or 80) == ("http", "127.0.0.1", 8001)
    )


@pytest.mark.parametrize(
    ("target", "keeps"),
    [
        ("http://127.0.0.1:8001/x", True),
        ("http://127.0.0.1:8002/x", False),
        ("http://localhost:8001/x", False),
        ("https://127.0.0.1:8001/x", False),
        ("http://127.0.0.1:8002\\@127.0.0.1:8001/x", False),  # urllib3 would connect to 8002
    ],
)
def test_credentials_stay_with_the_origin_urllib3_connects_to(target: str, keeps: bool) -> None:
    assert keeps_credentials(BASE, target) is keeps
