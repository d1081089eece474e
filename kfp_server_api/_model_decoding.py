"""Decoding JSON into models: a decoder per type string, built once, generated per model class.

The generated source of each model decoder is registered with ``linecache``. Described in
:mod:`kfp_server_api.model`, which re-exports the public names.
"""

from __future__ import annotations

import importlib
import linecache
import re
import threading
from typing import Any

from kfp_server_api._model_base import _UNKNOWN_KEYS, Decoder, EnumModel, FieldInfo, Model, _Field
from kfp_server_api._model_primitives import _PRIMITIVE_KINDS, DecodeError, _Kind, _NoFastPath

__all__ = ["decoder_for", "resolve_model"]

_LIST_TYPE = re.compile(r"list\[(.+)\]")
_DICT_TYPE = re.compile(r"dict\((?:str|string), *(.+)\)")

# Finished decoders, read without the lock. Decoders of models are registered in _BUILDING
# while their fields are being resolved (so that recursive types work) and published to
# _DECODERS only when complete, so another thread never sees a half-built one.
_DECODERS: dict[str, Decoder] = {}
_BUILDING: dict[str, Decoder] = {}
_BUILD_LOCK = threading.RLock()


def decoder_for(type_name: str) -> Decoder:
    """The function turning parsed JSON into a value of `type_name` (a 1.8.5 type string).

    Built once per type string and cached. JSON null gives None at any level; 'object' returns
    the value unchanged. Raises ValueError for a type name that is not known.
    """
    decoder = _DECODERS.get(type_name)
    if decoder is not None:
        return decoder
    with _BUILD_LOCK:
        decoder = _DECODERS.get(type_name) or _BUILDING.get(type_name)
        if decoder is not None:
            return decoder
        outermost = not _BUILDING
        try:
            decoder = _build_decoder(type_name)
            _BUILDING[type_name] = decoder
            if outermost:
                _DECODERS.update(_BUILDING)
        finally:
            if outermost:
                _BUILDING.clear()
        return decoder


def _kind_of(type_name: str) -> _Kind:
    """The fast path and conversion used for a field of `type_name` inside a model."""
    primitive = _PRIMITIVE_KINDS.get(type_name)
    if primitive is not None:
        return primitive
    if _LIST_TYPE.fullmatch(type_name) or _DICT_TYPE.fullmatch(type_name):
        return _Kind(_NoFastPath, decoder_for(type_name))
    model = resolve_model(type_name)
    if issubclass(model, EnumModel):
        return _Kind(str, _enum_converter(type_name))
    return _Kind(_NoFastPath, decoder_for(type_name))


def _build_decoder(type_name: str) -> Decoder:
    list_match = _LIST_TYPE.fullmatch(type_name)
    if list_match:
        return _list_decoder(type_name, decoder_for(list_match.group(1)))
    dict_match = _DICT_TYPE.fullmatch(type_name)
    if dict_match:
        return _dict_decoder(type_name, decoder_for(dict_match.group(1)))
    if type_name in _PRIMITIVE_KINDS:
        return _value_decoder(_PRIMITIVE_KINDS[type_name])
    model = resolve_model(type_name)
    if issubclass(model, EnumModel):
        return _value_decoder(_Kind(str, _enum_converter(type_name)))
    return _model_decoder(type_name, model)


def _value_decoder(kind: _Kind) -> Decoder:
    fast, convert = kind

    def decode(value: Any) -> Any:
        if value.__class__ is fast or value is None:
            return value
        return convert(value)

    return decode


def _enum_converter(type_name: str) -> Decoder:
    def convert(value: Any) -> Any:
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value)
        raise DecodeError.for_value(f"a string ({type_name})", value)

    return convert


def _list_decoder(type_name: str, item: Decoder) -> Decoder:
    def decode(data: Any) -> Any:
        if data.__class__ is not list and not isinstance(data, list):
            if data is None:
                return None
            raise DecodeError.for_value(f"an array ({type_name})", data)
        try:
            return [item(element) for element in data]
        except DecodeError:
            _raise_at_first_failure(item, enumerate(data), "[{}]")
            raise

    return decode


def _dict_decoder(type_name: str, item: Decoder) -> Decoder:
    def decode(data: Any) -> Any:
        if data.__class__ is not dict and not isinstance(data, dict):
            if data is None:
                return None
            raise DecodeError.for_value(f"an object ({type_name})", data)
        try:
            return {key: item(value) for key, value in data.items()}
        except DecodeError:
            _raise_at_first_failure(item, data.items(), '["{}"]')
            raise

    return decode


def _raise_at_first_failure(item: Decoder, entries: Any, segment: str) -> None:
    """Decode `entries` one by one to find which failed, and raise its error with its place.

    The fast paths decode a whole collection in one comprehension and do not track where they
    are; decoding is free of side effects, so repeating it on failure is safe.
    """
    for where, element in entries:
        try:
            item(element)
        except DecodeError as error:
            error.add_parent(segment.format(where))
            raise error from None


# A model decoder is Python source generated once per class from its field list: one
# straight-line block per field, with no loop, no table lookup and no call for a value that
# already has its field's type (the JSON parser's str, int, float or bool). Measured on a
# run_detail body this is about a quarter faster than a loop over the JSON items. The source
# depends only on the JSON keys (written with repr()); the per-field classes and conversions are
# globals of the generated function, filled in after it is registered so that a type containing
# itself resolves to it.
#
# `values` starts as a copy of the JSON object, so a field the JSON leaves out is simply absent
# from the instance __dict__ and reads as None through its class-level descriptor. `found`
# counts the declared keys with non-null values; when it falls short of the object's size there
# are unknown keys (or nulls), and only then is the object scanned for keys to set aside. A
# conversion that fails adds the JSON key it was converting (`where`) to the error's path.
# (The `pass` keeps the `try` valid for a model without fields.)
_MODEL_DECODER_HEAD = """\
def decode(data):
    if data.__class__ is not dict:
        return irregular(data)
    values = data.copy()
    get = data.get
    found = 0
    try:
        pass
"""
_MODEL_DECODER_FIELD = """\
        value = get({key!r})
        if value is not None:
            found += 1
            if value.__class__ is not fast_{index}:
                where = {key!r}
                values[{key!r}] = convert_{index}(value)
"""
_MODEL_DECODER_TAIL = """\
    except DecodeError as error:
        error.add_parent(where)
        raise
    if found != len(values):
        set_aside_unknown(values, known)
"""
# Only for fields declared with a json_key other than their name: moved after the unknown keys
# are set aside, while `values` is still keyed by JSON name.
_MODEL_DECODER_RENAME = """\
    moved_{index} = values.pop({key!r}, ABSENT)
"""
_MODEL_DECODER_RENAME_STORE = """\
    if moved_{index} is not ABSENT:
        values[{attr!r}] = moved_{index}
"""
_MODEL_DECODER_END = """\
    instance = new(cls)
    instance.__dict__ = values
    return instance
"""


def _model_decoder_source(fields: tuple[FieldInfo, ...]) -> str:
    """The source of the decoder of a model with `fields` (see the comment above)."""
    renamed = [(index, info) for index, info in enumerate(fields) if info.json_key != info.name]
    return "".join(
        [
            _MODEL_DECODER_HEAD,
            *(
                _MODEL_DECODER_FIELD.format(key=info.json_key, index=index)
                for index, info in enumerate(fields)
            ),
            _MODEL_DECODER_TAIL,
            *(
                _MODEL_DECODER_RENAME.format(key=info.json_key, index=index)
                for index, info in renamed
            ),
            *(
                _MODEL_DECODER_RENAME_STORE.format(attr=info.name, index=index)
                for index, info in renamed
            ),
            _MODEL_DECODER_END,
        ]
    )


def _set_aside_unknown(values: dict[str, Any], known: frozenset[str]) -> None:
    """Move the keys of `values` that no field declares under the unknown-keys entry."""
    unknown = {key: value for key, value in values.items() if key not in known}
    if unknown:
        for key in unknown:
            del values[key]
        values[_UNKNOWN_KEYS] = unknown


def _model_decoder(type_name: str, cls: type[Model]) -> Decoder:
    expected = f"an object ({type_name})"

    def irregular(data: Any) -> Any:
        """The decoding of anything but a plain dict: null, a dict subclass or a wrong shape."""
        if data is None:
            return None
        if isinstance(data, dict):
            return decode(dict(data))
        raise DecodeError.for_value(expected, data)

    namespace: dict[str, Any] = {
        "ABSENT": object(),
        "DecodeError": DecodeError,
        "cls": cls,
        "irregular": irregular,
        "known": frozenset(info.json_key for info in cls._fields),
        "new": object.__new__,
        "set_aside_unknown": _set_aside_unknown,
    }
    source = _model_decoder_source(cls._fields)
    filename = f"<{type_name} decoder>"
    # Registered with linecache so that tracebacks, pdb and inspect.getsource show the generated
    # lines; an entry without a modification time is never dropped by linecache.checkcache().
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    exec(compile(source, filename, "exec"), namespace)
    decode: Decoder = namespace["decode"]
    # Registered before the fields are resolved, so a type that contains itself terminates.
    _BUILDING[type_name] = decode
    for index, spec in enumerate(cls._specs.values()):
        kind = _kind_of(spec.type_name) if spec.decode is None else _Kind(_NoFastPath, spec.decode)
        fast, convert = kind
        if spec.pattern is not None:
            fast, convert = _NoFastPath, _checked(spec, convert)
        namespace[f"fast_{index}"] = fast
        namespace[f"convert_{index}"] = convert
    return decode


def _checked(spec: _Field, convert: Decoder) -> Decoder:
    pattern = spec.pattern
    assert pattern is not None

    def convert_checked(value: Any) -> Any:
        if value.__class__ is not str:
            value = convert(value)
        if pattern.search(value) is None:
            raise DecodeError.for_value(f"a string matching {pattern.pattern}", value)
        return value

    return convert_checked


def resolve_model(name: str) -> type[Model]:
    """The model or enum class called `name`, importing its module on first use."""
    models = importlib.import_module("kfp_server_api.models")
    if name not in models.__all__:
        raise ValueError(f"unknown model type name {name!r}")
    cls = getattr(models, name)
    if not (isinstance(cls, type) and issubclass(cls, Model)):
        raise ValueError(f"{name!r} does not name a model class")
    return cls
