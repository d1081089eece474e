"""Runtime parameter values of v2 pipelines, as KFP 1.8 and KFP 2.x servers write them.

``PipelineSpecRuntimeConfig.parameters`` is declared as 1.8.5 declares it, a map of ``ApiValue``
(``{"int_value": "3"}``, ``{"double_value": 0.1}``, ``{"string_value": "a"}``), and its
``openapi_types`` entry stays ``dict(str, ApiValue)``. A KFP 2.x server (2.0.0 on) fills the same
map with plain JSON values instead (``{"lr": 0.01, "epochs": 10, "name": "resnet"}``), which is
what every run created by the KFP SDK 2.x or the 2.x UI carries. Each value of the map is
therefore decoded by what it is:

- an object whose keys are only ``int_value``, ``double_value`` and ``string_value``, each
  holding the type the 1.8 server writes (a string, a number, a string), is an ``ApiValue``;
- anything else is kept as the plain Python value of the JSON: a number (int or float), a
  string, a bool, None, a list or a dict.

Nothing is lost or converted, so sending a decoded run back (a ``get_run`` then ``create_run``)
writes exactly the JSON the server sent. Code written for 1.8.5 that reads ``.double_value``
on every entry gets ``AttributeError`` on a 2.x answer where 1.8.5 silently gave ``None``: read
the value itself, or use :func:`plain_parameters` to get plain values from either generation.

A KFP 2.x server reads an ``ApiValue`` sent in a request as a *struct* parameter, not as the
scalar it holds: a task then fails with ``type mismatch: expect NUMBER_DOUBLE, got struct``, or a
string parameter receives the text ``{"string_value": "a"}``. Send plain values to a 2.x server
(``PipelineSpecRuntimeConfig(parameters={"lr": 0.1})``); :func:`plain_parameters` converts a map
built with ``ApiValue``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Callable, Union

from kfp_server_api.model import DecodeError, decoder_for

if TYPE_CHECKING:
    from kfp_server_api.models.api_value import ApiValue

__all__ = ["ParameterValue", "decode_parameters", "plain_parameters", "plain_value"]

#: One value of ``PipelineSpecRuntimeConfig.parameters``: an ``ApiValue`` (KFP 1.8 servers and
#: the 1.8.5 clients) or a plain JSON value (KFP 2.x servers).
ParameterValue = Union["ApiValue", bool, int, float, str, list[Any], dict[str, Any], None]

# "NaN" and the infinities come as strings from the 1.8 server's JSON encoder.
_NON_FINITE = frozenset({"NaN", "Infinity", "-Infinity"})


def _is_double(value: Any) -> bool:
    if isinstance(value, str):
        return value in _NON_FINITE
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


# The ApiValue keys, each with the check of the JSON type the 1.8 server writes for it.
_API_VALUE_KEYS: dict[str, Callable[[Any], bool]] = {
    "int_value": _is_text,  # int64, written as a decimal string
    "double_value": _is_double,
    "string_value": _is_text,
}


def _is_api_value(value: dict[str, Any]) -> bool:
    """Whether a JSON object is an ApiValue as KFP 1.8 writes it (``{}`` included)."""
    checks = _API_VALUE_KEYS
    return all(key in checks and checks[key](item) for key, item in value.items())


def decode_parameters(data: Any) -> Any:
    """Decode the JSON of a parameters map: ApiValue objects as ``ApiValue``, the rest as is.

    Raises ``DecodeError`` when `data` is not a JSON object.
    """
    if not isinstance(data, dict):
        raise DecodeError.for_value("an object (dict(str, ApiValue))", data)
    api_value = decoder_for("ApiValue")
    return {
        key: api_value(value) if value.__class__ is dict and _is_api_value(value) else value
        for key, value in data.items()
    }


def plain_value(value: ParameterValue) -> Any:
    """The plain value a KFP 2.x server expects for one parameter.

    An ``ApiValue`` gives the value it holds: ``int_value`` as an int, ``double_value`` as a
    float, ``string_value`` as a str (None when none is set); any other value is returned as is.
    """
    from kfp_server_api.models.api_value import ApiValue

    if not isinstance(value, ApiValue):
        return value
    if value.int_value is not None:
        return int(value.int_value)
    if value.double_value is not None:
        return float(value.double_value)
    return value.string_value


def plain_parameters(parameters: Mapping[str, ParameterValue] | None) -> dict[str, Any]:
    """A copy of a parameters map with each ``ApiValue`` replaced by its plain value.

    Use it to build a ``PipelineSpecRuntimeConfig`` for a KFP 2.x server from values written for
    1.8.5, or to read parameters of a run the same way whichever server generation sent it::

        config = PipelineSpecRuntimeConfig(parameters=plain_parameters({"lr": ApiValue(
            double_value=0.1)}))  # sends {"lr": 0.1}
    """
    return {key: plain_value(value) for key, value in (parameters or {}).items()}
