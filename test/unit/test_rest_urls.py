"""The URLs the HTTP layer sends straight to a connection pool are those urllib3 sends unchanged."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
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
def test_a_plain_url_is_split_as_urllib3_splits_it(origin: str, rest: str) -> None:
    url = origin + rest
    plain = _PLAIN_URL.fullmatch(url)
    if plain is None:
        return
    parsed = parse_url(url)
    sent_origin, target = plain.groups()
    assert target == parsed.request_uri
    assert sent_origin == origin
    assert parse_url(sent_origin).host == parsed.host
    assert parse_url(sent_origin).port == parsed.port


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
