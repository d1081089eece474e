"""The URLs the HTTP layer sends straight to a connection pool are those urllib3 sends unchanged."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from kfp_server_api.rest import _PLAIN_URL

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
