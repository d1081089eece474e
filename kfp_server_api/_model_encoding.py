"""Encoding models and values as JSON-ready data.

Described in :mod:`kfp_server_api.model`, which re-exports the public names.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable

from kfp_server_api._model_base import _UNKNOWN_KEYS, Model

__all__ = ["encode", "encode_known"]

_AS_IS = frozenset({str, int, float, bool, bytes, type(None)})


def _encode_datetime(value: datetime) -> str:
    offset = value.utcoffset()
    if not offset:  # naive (None) or UTC (zero offset)
        return value.replace(tzinfo=None).isoformat() + "Z"
    return value.isoformat()


def _encode_model(model: Model) -> dict[str, Any]:
    values = model.__dict__
    out: dict[str, Any] = {}
    for attr, key in model._wire_names:
        value = values.get(attr)
        if value is None:
            continue
        kind = value.__class__
        out[key] = value if kind in _AS_IS else (_ENCODERS.get(kind) or encode)(value)
    unknown = values.get(_UNKNOWN_KEYS)
    if unknown:
        for key, value in unknown.items():
            out.setdefault(key, value)
    return out


def _encode_list(items: list[Any] | tuple[Any, ...]) -> list[Any]:
    get = _ENCODERS.get
    return [
        item if item.__class__ in _AS_IS else (get(item.__class__) or encode)(item)
        for item in items
    ]


def _encode_dict(mapping: dict[Any, Any]) -> dict[Any, Any]:
    get = _ENCODERS.get
    return {
        key: value if value.__class__ in _AS_IS else (get(value.__class__) or encode)(value)
        for key, value in mapping.items()
    }


# Encoder by exact class; model classes are added the first time one is encoded.
_ENCODERS: dict[type, Callable[[Any], Any]] = {
    list: _encode_list,
    tuple: _encode_list,
    dict: _encode_dict,
    datetime: _encode_datetime,
    date: date.isoformat,
}
_ENCODER_BASES = tuple(_ENCODERS.items())


def encode(obj: Any) -> Any:
    """The JSON-ready form of `obj` (what ApiClient.sanitize_for_serialization returns).

    None, strings, numbers, booleans and bytes are returned as they are; lists and tuples become
    lists and dicts stay dicts, their items encoded; date-times become RFC 3339 strings with an
    offset (naive ones taken as UTC and written with ``Z``); dates become ``YYYY-MM-DD``; models
    become dicts keyed by JSON name without their None fields, plus the unknown keys they kept
    from decoding. Raises TypeError for anything else.
    """
    kind = obj.__class__
    if kind in _AS_IS:
        return obj
    encoder = _ENCODERS.get(kind)
    if encoder is not None:
        return encoder(obj)
    if isinstance(obj, Model):
        _ENCODERS[kind] = _encode_model
        return _encode_model(obj)
    if isinstance(obj, (str, int, float, bytes)):
        return obj
    for base, base_encoder in _ENCODER_BASES:
        if isinstance(obj, base):
            return base_encoder(obj)
    raise TypeError(f"cannot encode a {kind.__name__} as JSON")


def encode_known(obj: Any) -> Any:
    """Like `encode`, but models are written without the unknown keys they kept from decoding.

    For servers that reject a request whose body has a key they do not know (KFP 2.14 on): an
    object decoded from a newer server, or from another API generation, can be sent back.
    """
    if isinstance(obj, Model):
        values = obj.__dict__
        return {
            key: encode_known(values[attr])
            for attr, key in obj._wire_names
            if values.get(attr) is not None
        }
    if isinstance(obj, (list, tuple)):
        return [encode_known(item) for item in obj]
    if isinstance(obj, dict):
        return {key: encode_known(value) for key, value in obj.items()}
    return encode(obj)
