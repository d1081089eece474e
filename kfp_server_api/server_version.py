"""Which KFP release the API server runs, and what to do about calls it does not offer.

The healthz answer of every KFP server carries its release (``tag_name``) and build
(``commit_sha``); see :attr:`ApiGetHealthzResponse.tag_name
<kfp_server_api.models.ApiGetHealthzResponse.tag_name>`. :func:`version_tuple` turns a release
into numbers that compare, so code can tell a KFP 1.8 server from a 2.x one::

    health = HealthzServiceApi(client).get_healthz()
    if (version_tuple(health.tag_name) or (0,)) >= (2,):
        ...  # send plain runtime parameter values, expect the 2.x status names
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kfp_server_api.exceptions import ApiException, ServerVersionError

if TYPE_CHECKING:
    from kfp_server_api.api_client import ApiClient

__all__ = ["explain_not_found", "version_tuple"]

_RELEASE = re.compile(r"v?(\d+)(?:\.(\d+))?(?:\.(\d+))?")


def version_tuple(tag_name: str | None) -> tuple[int, ...] | None:
    """``"2.17.0"`` as ``(2, 17, 0)``; a leading ``v`` and a suffix (``-rc.1``) are ignored.

    None when there is no tag or it does not start with a release number (a development build).
    """
    match = _RELEASE.match(tag_name or "")
    if match is None:
        return None
    return tuple(int(part) for part in match.groups() if part is not None)


def explain_not_found(
    api_client: ApiClient, not_found: ApiException, call: str, needed_version: str
) -> ApiException:
    """The error to raise for a 404 of ``call``, a route added in release ``needed_version``.

    A 404 that is not a KFP error body (no gRPC code: the route is not served at all) leads
    to one health check. When the server reports an older release, the answer is a
    :class:`ServerVersionError` naming both releases; otherwise it is ``not_found`` itself.
    """
    if not_found.code is not None:
        return not_found  # the server has the route; what it looked up is missing
    from kfp_server_api.api.healthz_service_api import HealthzServiceApi

    try:
        tag_name = HealthzServiceApi(api_client).get_healthz().tag_name
    except ApiException:
        return not_found
    server = version_tuple(tag_name)
    needed = version_tuple(needed_version)
    if tag_name is None or server is None or needed is None or server >= needed:
        return not_found
    return ServerVersionError(not_found, call, needed_version, tag_name)
