"""Header values the client refuses to send: any with a control character (and names and
values that HTTP cannot carry at all).

A CR or LF in a value would end the header (and could start another); ``http.client`` refuses
only some of them (it lets a line break followed by a space through, and a NUL), and its error
shows the whole value, a token included. So the client checks every value itself, before
anything is sent, and names the header (or the setting) without showing the value. A tab is
allowed, as HTTP allows it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from kfp_server_api.exceptions import ApiValueError

__all__ = ["CONTROL_CHARACTER", "check_header_values", "control_character_error"]

#: A character no header value may hold: C0 controls but the tab, and DEL.
CONTROL_CHARACTER: Final = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# Anything but visible ASCII. (Written as a negated class: the same set spelled as a range up to
# U+10FFFF takes 5 ms to compile, a tenth of importing urllib3.)
_NOT_IN_A_NAME: Final = re.compile(r"[^\x21-\x7e]")
_NOT_LATIN_1: Final = re.compile(r"[^\x00-\xff]")


def control_character_error(what: str) -> ApiValueError:
    """The error for a value of ``what`` (a header, a setting) holding a control character."""
    return ApiValueError(
        f"{what} contains a control character (a line break, NUL...) and cannot be sent in a "
        "header; the value is not shown"
    )


def check_header_values(headers: Mapping[str, Any]) -> None:
    """Raise ``ApiValueError`` naming the first header that cannot be sent as it is: a name
    that is not a header name, a value with a control character, or a value with a character
    outside Latin-1 (what HTTP/1.1 headers carry)."""
    for name, value in headers.items():
        if isinstance(name, str) and (not name or ":" in name or _NOT_IN_A_NAME.search(name)):
            raise ApiValueError(f"{name!r} is not a valid header name")
        if not isinstance(value, str):
            continue
        if CONTROL_CHARACTER.search(value):
            raise control_character_error(f"header {name!r}")
        if not value.isascii() and _NOT_LATIN_1.search(value):
            raise ApiValueError(
                f"header {name!r} contains a character outside Latin-1, which HTTP headers "
                "cannot carry; the value is not shown"
            )
