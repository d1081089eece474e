"""Configuration: 1.8.5 attributes and defaults, credentials, logging side effects, copies."""

from __future__ import annotations

import copy
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kfp_server_api import ApiValueError, Configuration

TOKEN = "s3cr3t-t0ken-value"
PACKAGE_LOGGER = logging.getLogger("kfp_server_api")
URLLIB3_LOGGER = logging.getLogger("urllib3")

DEFAULTS: dict[str, Any] = {
    "api_key": {},
    "api_key_prefix": {},
    "assert_hostname": None,
    "cert_file": None,
    "client_side_validation": True,
    "connection_pool_maxsize": (os.cpu_count() or 1) * 5,
    "discard_unknown_keys": False,
    "host": "http://localhost",
    "key_file": None,
    "logger_file_handler": None,
    "logger_stream_handler": None,
    "password": None,
    "proxy": None,
    "proxy_headers": None,
    "refresh_api_key_hook": None,
    "retries": None,
    "safe_chars_for_path_param": "",
    "ssl_ca_cert": None,
    "temp_folder_path": None,
    "username": None,
    "verify_ssl": True,
    "debug": False,
    "logger_file": None,
    "logger_format": "%(asctime)s %(levelname)s %(message)s",
    "max_response_bytes": 256 * 1024 * 1024,
}


@pytest.fixture(autouse=True)
def _restore_logger_levels() -> Iterator[None]:
    levels = PACKAGE_LOGGER.level, URLLIB3_LOGGER.level
    yield
    PACKAGE_LOGGER.setLevel(levels[0])
    URLLIB3_LOGGER.setLevel(levels[1])


@pytest.fixture
def _no_default() -> Iterator[None]:
    yield
    Configuration.set_default(None)


@pytest.mark.parametrize(("name", "expected"), DEFAULTS.items(), ids=list(DEFAULTS))
def test_default(name: str, expected: Any) -> None:
    assert getattr(Configuration(), name) == expected


def test_loggers_and_formatter() -> None:
    configuration = Configuration()
    assert configuration.logger == {
        "package_logger": PACKAGE_LOGGER,
        "urllib3_logger": URLLIB3_LOGGER,
    }
    assert configuration.logger_formatter._fmt == DEFAULTS["logger_format"]


def test_constructor_arguments_are_kept_as_given() -> None:
    api_key = {"authorization": TOKEN}
    prefix = {"authorization": "Bearer"}
    configuration = Configuration("https://kfp.example/pipeline", api_key, prefix, "u", "p", True)
    assert configuration.host == "https://kfp.example/pipeline"
    assert configuration.api_key is api_key  # wrappers update it in place later
    assert configuration.api_key_prefix is prefix
    assert (configuration.username, configuration.password) == ("u", "p")
    assert configuration.discard_unknown_keys is True


def test_constructing_does_not_touch_logger_levels() -> None:
    PACKAGE_LOGGER.setLevel(logging.INFO)
    URLLIB3_LOGGER.setLevel(logging.ERROR)
    Configuration()
    assert (PACKAGE_LOGGER.level, URLLIB3_LOGGER.level) == (logging.INFO, logging.ERROR)


def test_debug_sets_debug_levels_and_restores_them() -> None:
    PACKAGE_LOGGER.setLevel(logging.INFO)
    URLLIB3_LOGGER.setLevel(logging.ERROR)
    configuration = Configuration()

    configuration.debug = True
    assert configuration.debug is True
    assert (PACKAGE_LOGGER.level, URLLIB3_LOGGER.level) == (logging.DEBUG, logging.DEBUG)

    configuration.debug = False
    assert configuration.debug is False
    assert (PACKAGE_LOGGER.level, URLLIB3_LOGGER.level) == (logging.INFO, logging.ERROR)


def test_debug_false_on_a_fresh_configuration_changes_nothing() -> None:
    PACKAGE_LOGGER.setLevel(logging.INFO)
    Configuration().debug = False
    assert PACKAGE_LOGGER.level == logging.INFO


def test_debug_does_not_switch_on_the_http_client_wire_dump() -> None:
    import http.client

    Configuration().debug = True
    assert http.client.HTTPConnection.debuglevel == 0


def test_logger_file_attaches_replaces_and_detaches_a_handler(tmp_path: Path) -> None:
    configuration = Configuration()
    configuration.logger_format = "%(levelname)s|%(message)s"
    first, second = tmp_path / "first.log", tmp_path / "second.log"

    configuration.logger_file = str(first)
    handler = configuration.logger_file_handler
    assert handler in PACKAGE_LOGGER.handlers
    assert handler in URLLIB3_LOGGER.handlers
    PACKAGE_LOGGER.warning("hello")

    configuration.logger_file = str(second)
    assert handler not in PACKAGE_LOGGER.handlers
    assert configuration.logger_file == str(second)

    configuration.logger_file = None
    assert configuration.logger_file_handler is None
    assert not [h for h in PACKAGE_LOGGER.handlers if isinstance(h, logging.FileHandler)]
    assert first.read_text() == "WARNING|hello\n"


def test_auth_settings_with_a_prefixed_token() -> None:
    configuration = Configuration(
        api_key={"authorization": "T"}, api_key_prefix={"authorization": "Bearer"}
    )
    assert configuration.auth_settings() == {
        "Bearer": {"type": "api_key", "in": "header", "key": "authorization", "value": "Bearer T"}
    }
    assert configuration.get_api_key_with_prefix("authorization") == "Bearer T"


def test_auth_settings_without_a_token() -> None:
    assert Configuration().auth_settings() == {}
    assert Configuration().get_api_key_with_prefix("authorization") is None


def test_refresh_hook_runs_on_every_lookup_and_may_set_the_first_key() -> None:
    seen: list[Configuration] = []

    def refresh(configuration: Configuration) -> None:
        seen.append(configuration)
        configuration.api_key["authorization"] = f"T{len(seen)}"

    configuration = Configuration()
    configuration.refresh_api_key_hook = refresh
    assert configuration.auth_settings()["Bearer"]["value"] == "T1"
    assert configuration.get_api_key_with_prefix("authorization") == "T2"
    assert seen == [configuration, configuration]


def test_basic_auth_token() -> None:
    assert Configuration(username="user", password="pass").get_basic_auth_token() == (
        "Basic dXNlcjpwYXNz"
    )
    assert Configuration().get_basic_auth_token() == "Basic Og=="


def test_host_settings() -> None:
    configuration = Configuration()
    assert configuration.get_host_settings() == [
        {"url": "/", "description": "No description provided"}
    ]
    assert configuration.get_host_from_settings(0) == "/"
    with pytest.raises(ValueError, match="Invalid index 1"):
        configuration.get_host_from_settings(1)


class _TemplatedHosts(Configuration):
    def get_host_settings(self) -> list[dict[str, Any]]:
        return [
            {
                "url": "https://{region}.kfp.example/{base}",
                "description": "regional",
                "variables": {
                    "region": {"default_value": "eu", "enum_values": ["eu", "us"]},
                    "base": {"default_value": "pipeline"},
                },
            }
        ]


def test_host_settings_variables() -> None:
    configuration = _TemplatedHosts()
    assert configuration.get_host_from_settings(0) == "https://eu.kfp.example/pipeline"
    assert configuration.get_host_from_settings(0, {"region": "us", "base": "p"}) == (
        "https://us.kfp.example/p"
    )
    with pytest.raises(ValueError, match="region"):
        configuration.get_host_from_settings(0, {"region": "mars"})


def test_secrets_stay_out_of_repr_and_debug_report() -> None:
    configuration = Configuration(
        host="http://kfp", api_key={"authorization": TOKEN}, password=TOKEN
    )
    assert (
        repr(configuration) == "Configuration(host='http://kfp', api_key={'authorization': '***'})"
    )
    report = configuration.to_debug_report()
    assert TOKEN not in report
    assert report.startswith("Python SDK Debug Report:\nOS: ")
    assert "Version of the API: 1.8.5" in report


def test_deepcopy_copies_settings_and_shares_loggers(tmp_path: Path) -> None:
    def hook(configuration: Configuration) -> None:
        """Refresh nothing."""

    original = Configuration(host="http://kfp", api_key={"authorization": TOKEN})
    original.refresh_api_key_hook = hook
    original.proxy_headers = {"Proxy-Authorization": "x"}
    original.logger_file = str(tmp_path / "log.txt")
    handlers_before = list(PACKAGE_LOGGER.handlers)
    try:
        clone = copy.deepcopy(original)

        assert clone.host == "http://kfp"
        assert clone.api_key == original.api_key
        assert clone.api_key is not original.api_key
        assert clone.proxy_headers is not original.proxy_headers
        assert clone.logger["package_logger"] is PACKAGE_LOGGER
        assert clone.logger_file_handler is original.logger_file_handler
        assert clone.refresh_api_key_hook is hook
        assert PACKAGE_LOGGER.handlers == handlers_before  # the copy attached nothing

        clone.api_key["authorization"] = "other"
        assert original.api_key["authorization"] == TOKEN
    finally:
        original.logger_file = None


@pytest.mark.usefixtures("_no_default")
def test_default_configuration_is_copied_in_and_out() -> None:
    assert Configuration.get_default_copy().host == "http://localhost"

    default = Configuration(host="http://kfp")
    Configuration.set_default(default)
    default.host = "http://changed"

    first, second = Configuration.get_default_copy(), Configuration.get_default_copy()
    assert first.host == second.host == "http://kfp"
    assert first is not second


@pytest.mark.parametrize(
    ("host", "shown"),
    [
        ("http://user:pw@kfp:8888/pipeline", "http://***@kfp:8888/pipeline"),
        ("kfp-user:pw@ml-pipeline:8888", "***@ml-pipeline:8888"),
        ("https://kfp.example/a@b", "https://kfp.example/a@b"),
    ],
)
def test_repr_hides_user_info_of_the_host(host: str, shown: str) -> None:
    assert repr(Configuration(host=host)) == f"Configuration(host={shown!r}, api_key={{}})"


# -- credentials that would carry a control character into a header ------------------------------


@pytest.mark.parametrize("token", [f"{TOKEN}\n", f"  {TOKEN}\r\n", f"\t{TOKEN} "])
def test_whitespace_around_an_api_key_is_not_sent(token: str) -> None:
    """A token read from a file keeps its final newline; it is sent without it."""
    configuration = Configuration(
        api_key={"authorization": token}, api_key_prefix={"authorization": "Bearer\n"}
    )
    assert configuration.auth_settings()["Bearer"]["value"] == f"Bearer {TOKEN}"
    assert configuration.get_api_key_with_prefix("authorization") == f"Bearer {TOKEN}"


@pytest.mark.parametrize(
    ("api_key", "prefix", "setting"),
    [
        (f"{TOKEN[:5]}\r\nX-Injected: 1{TOKEN[5:]}", None, "api_key['authorization']"),
        (f"{TOKEN[:5]}\n {TOKEN[5:]}", None, "api_key['authorization']"),
        (f"{TOKEN[:5]}\x00{TOKEN[5:]}", None, "api_key['authorization']"),
        (TOKEN, "Bearer\r\nX-Injected: 1", "api_key_prefix['authorization']"),
    ],
    ids=["CRLF", "folded line", "NUL", "prefix"],
)
def test_a_control_character_inside_an_api_key_is_refused_without_showing_it(
    api_key: str, prefix: str | None, setting: str
) -> None:
    configuration = Configuration(api_key={"authorization": api_key})
    if prefix is not None:
        configuration.api_key_prefix = {"authorization": prefix}
    with pytest.raises(ApiValueError) as caught:
        configuration.auth_settings()
    message = str(caught.value)
    assert f"Configuration.{setting} contains a control character" in message
    assert TOKEN[:5] not in message
    assert TOKEN[5:] not in message
