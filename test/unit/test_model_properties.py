"""Property tests: any model instance survives encode -> JSON text -> decode unchanged.

The strategies are built from the models' own field declarations (`Model.model_fields`), so a
model added later is covered without touching this file.
"""

from __future__ import annotations

import base64
import functools
import json
from datetime import timedelta, timezone
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kfp_server_api import models
from kfp_server_api.model import EnumModel, Model, decoder_for, encode, resolve_model

MODEL_NAMES = sorted(
    name for name in models.__all__ if not issubclass(resolve_model(name), EnumModel)
)

# Fields that must hold base64 text (checked on construction).
BASE64_FIELDS = {"ApiReadArtifactResponse": ("data",), "ProtobufAny": ("value",)}

OFFSETS = st.sampled_from(
    [timezone.utc, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]
)

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)

PRIMITIVES: dict[str, st.SearchStrategy[Any]] = {
    "str": st.text(max_size=20),
    "int": st.integers(-(2**31), 2**31 - 1),
    # JSON has no NaN; infinities survive json.dumps/json.loads as Infinity.
    "float": st.floats(allow_nan=False),
    "bool": st.booleans(),
    "datetime": st.datetimes(timezones=OFFSETS),
    "object": JSON_VALUES,
}


@functools.cache
def values_of(type_name: str) -> st.SearchStrategy[Any]:
    """Values a field of `type_name` may hold (never None: optionality is added per field)."""
    if type_name in PRIMITIVES:
        return PRIMITIVES[type_name]
    if type_name.startswith("list[") and type_name.endswith("]"):
        return st.lists(st.deferred(lambda: values_of(type_name[5:-1])), max_size=3)
    if type_name.startswith("dict(str, ") and type_name.endswith(")"):
        item = st.deferred(lambda: values_of(type_name[10:-1]))
        return st.dictionaries(st.text(max_size=8), item, max_size=3)
    cls = resolve_model(type_name)
    if issubclass(cls, EnumModel):
        return st.sampled_from(cls.allowable_values) | st.text(max_size=10)
    return instances_of(cls)


def instances_of(cls: type[Model]) -> st.SearchStrategy[Model]:
    """Instances of `cls` with each field either None or a random value of its type."""
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for info in cls.model_fields():
        if info.name in BASE64_FIELDS.get(cls.__name__, ()):
            value = st.binary(max_size=12).map(lambda raw: base64.b64encode(raw).decode())
        else:
            value = st.deferred(lambda type_name=info.type_name: values_of(type_name))
        fields[info.name] = st.none() | value
    return st.fixed_dictionaries(fields).map(lambda values: cls(**values))


ANY_MODEL = st.sampled_from(MODEL_NAMES).flatmap(
    lambda name: st.tuples(st.just(name), instances_of(resolve_model(name)))
)


def _through_json(value: Any) -> Any:
    return json.loads(json.dumps(value))


@given(ANY_MODEL)
def test_encode_then_decode_gives_an_equal_model(named: tuple[str, Model]) -> None:
    name, model = named
    document = _through_json(encode(model))
    decoded = decoder_for(name)(document)
    assert type(decoded) is type(model)
    assert decoded == model
    assert decoded.to_dict() == model.to_dict()
    assert encode(decoded) == document


@given(ANY_MODEL, st.dictionaries(st.text(min_size=1, max_size=8), JSON_VALUES, max_size=3))
def test_unknown_keys_survive_decode_and_encode(
    named: tuple[str, Model], extra: dict[str, Any]
) -> None:
    name, model = named
    document = _through_json(encode(model))
    unknown = {f"x-{key}": value for key, value in extra.items()}
    decoded = decoder_for(name)({**document, **unknown})
    assert decoded == model
    assert encode(decoded) == {**document, **unknown}
