"""The shared base of every API model, and the JSON codec that turns models into JSON and back.

A model is a class whose body lists its fields in order, each with its type annotation and a
`field()` giving the 1.8.5 type string and a one-line meaning::

    class ApiParameter(Model):
        '''A named pipeline parameter.'''

        name: str | None = field("str", "Parameter name.")
        value: str | None = field("str", "Parameter value, always as text.")

Everything else is written once, here: the keyword constructor (fields in declaration order,
then ``local_vars_configuration``), ``openapi_types``, ``attribute_map``, ``discriminator``,
``to_dict``/``to_str``/``__repr__``/``__eq__``/``__ne__`` with the semantics of kfp-server-api
1.8.5, and the decoders and the encoder.

Decisions worth knowing:

- Field values live in the instance ``__dict__`` under the attribute name, so reading and
  assigning ``run.name`` is a plain attribute access. A decoded model holds only the fields its
  JSON had; the others read as None through the class-level field descriptor. On the class,
  ``ApiRun.name`` gives the field's `FieldInfo`. Fields checked against a pattern (the base64
  fields) use a data descriptor so that assignment is validated as in 1.8.5.
- Building a model has no side effects. A ``local_vars_configuration`` passed to the constructor
  is kept on the instance (as 1.8.5 does) only to read its ``client_side_validation`` flag.
- Decoders are built once per type string and cached. A model decoder is a function generated
  from the model's field list (straight-line code, one block per field), which creates the
  instance without calling ``__init__`` and gives it a copy of the JSON object, converted where
  needed, as its ``__dict__``. Primitive conversions are as lenient as 1.8.5 (a number in a
  string field becomes its text, ``"NaN"`` in a number field becomes a float, a numeric string in
  an integer field becomes an int), but a value of the wrong shape (an array where an object is
  expected, an unparsable date-time, ...) raises `DecodeError` naming the path, e.g.
  ``run.metrics[0].number_value``. Values of pattern-checked fields are checked while decoding
  too, as 1.8.5 did through its setters.
- Unknown JSON keys (fields from a newer server) are not errors. They do not appear in
  ``to_dict()`` and do not affect ``==``, but the instance keeps them and `encode` writes them
  back, so decoding and re-encoding a server object loses nothing. Assigning fields does not
  touch them.
- `encode` follows the value actually stored, not the declared type, so a plain value put into a
  typed field (an RFC 3339 string in a date-time field, an int in a string field) is sent as
  given. ``None`` fields are dropped; empty lists are kept. Date-times are written in RFC 3339
  with an offset: naive ones are taken as UTC, and UTC is written as ``Z``.
"""

from __future__ import annotations

import importlib
import linecache
import re
import sys
import threading
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Callable, ClassVar, NamedTuple

if TYPE_CHECKING:
    import inspect

    from typing_extensions import dataclass_transform

    from kfp_server_api.configuration import Configuration
else:

    def dataclass_transform(**_: Any) -> Callable[[type], type]:
        """Runtime stand-in: the decorator only informs type checkers."""
        return lambda cls: cls


__all__ = [
    "BASE64_PATTERN",
    "DecodeError",
    "EnumModel",
    "FieldInfo",
    "Model",
    "decoder_for",
    "encode",
    "encode_known",
    "field",
    "resolve_model",
]

#: The check 1.8.5 applies to ``bytes`` fields (standard base64 with padding).
BASE64_PATTERN = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"

# The instance __dict__ key holding JSON keys that no field declares (see module docstring).
_UNKNOWN_KEYS = "_unknown_json"
_CONFIGURATION_KEY = "local_vars_configuration"

Decoder = Callable[[Any], Any]


class FieldInfo(NamedTuple):
    """What one model field is: attribute name, JSON key, 1.8.5 type string and meaning."""

    name: str
    json_key: str
    type_name: str
    description: str


class _Field:
    """Declaration of one field; stays on the class as a non-data descriptor.

    Instances store field values in their ``__dict__``, which takes precedence over a non-data
    descriptor, so reads cost a plain attribute lookup. A field missing from the ``__dict__``
    (one a decoded JSON object left out) reads as None. Reading the attribute on the class gives
    the `FieldInfo`.
    """

    __slots__ = ("decode", "description", "info", "json_key", "pattern", "type_name")

    def __init__(
        self,
        type_name: str,
        description: str,
        json_key: str | None,
        pattern: str | None,
        decode: Decoder | None = None,
    ) -> None:
        self.type_name = type_name
        self.description = description
        self.json_key = json_key
        self.pattern = re.compile(pattern) if pattern is not None else None
        self.decode = decode
        self.info = FieldInfo("", json_key or "", type_name, description)

    def __set_name__(self, owner: type, name: str) -> None:
        self.info = FieldInfo(name, self.json_key or name, self.type_name, self.description)

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self.info
        return instance.__dict__.get(self.info.name)

    def check(self, instance: object, value: Any) -> None:
        """Raise ValueError if `value` fails the field's pattern and `instance` validates."""
        if self.pattern is None or value is None or not _validates(instance):
            return
        if not isinstance(value, str) or self.pattern.search(value) is None:
            raise ValueError(
                f"Invalid value for `{self.info.name}`, must match the pattern "
                f"`{self.pattern.pattern}`"
            )


class _CheckedField(_Field):
    """A field whose assignments are validated against a pattern (a data descriptor)."""

    __slots__ = ()

    def __set__(self, instance: object, value: Any) -> None:
        self.check(instance, value)
        instance.__dict__[self.info.name] = value


def field(
    type_name: str,
    description: str,
    *,
    json_key: str | None = None,
    pattern: str | None = None,
    decode: Decoder | None = None,
) -> Any:
    """Declare a model field.

    `type_name` is the 1.8.5 type string ('str', 'int', 'float', 'bool', 'datetime', 'object',
    a model or enum class name, 'list[X]', 'dict(str, X)'); `description` is a one-line meaning;
    `json_key` defaults to the attribute name; `pattern`, if given, is a regular expression that
    values must match when client-side validation is on; `decode`, if given, turns the field's
    JSON value (never null) into its Python value instead of the decoder of `type_name`, for a
    field that some servers fill with more than `type_name` describes.
    """
    kind = _Field if pattern is None else _CheckedField
    return kind(type_name, description, json_key, pattern, decode)


def _validates(instance: object) -> bool:
    configuration = instance.__dict__.get(_CONFIGURATION_KEY)
    return configuration is None or bool(getattr(configuration, "client_side_validation", True))


def _keyword_only(*, default: None, kw_only: bool) -> Any:
    """Field specifier seen only by type checkers (for ``local_vars_configuration``)."""
    return default


@dataclass_transform(field_specifiers=(_keyword_only,))
class _DeclaredFields:
    """Marks for type checkers that subclasses declare their fields dataclass-style."""

    __slots__ = ()


class _Signature:
    """``__signature__`` computed on first use, so `inspect` is imported only when needed."""

    def __get__(self, instance: object, owner: type[Model]) -> inspect.Signature:
        import inspect

        parameter = inspect.Parameter
        parameters = [
            parameter(name, parameter.POSITIONAL_OR_KEYWORD, default=None)
            for name in owner._init_names
        ]
        return inspect.Signature(parameters)


class Model(_DeclaredFields):
    """Base of every API model; see the module docstring for how subclasses declare fields."""

    if TYPE_CHECKING:
        local_vars_configuration: Configuration | None = _keyword_only(default=None, kw_only=True)
    else:
        local_vars_configuration = None

    #: Attribute name -> 1.8.5 type string, in constructor order.
    openapi_types: ClassVar[dict[str, str]] = {}
    #: Attribute name -> JSON key.
    attribute_map: ClassVar[dict[str, str]] = {}
    discriminator: ClassVar[None] = None

    _specs: ClassVar[dict[str, _Field]] = {}
    _fields: ClassVar[tuple[FieldInfo, ...]] = ()
    _field_names: ClassVar[tuple[str, ...]] = ()
    _init_names: ClassVar[tuple[str, ...]] = (_CONFIGURATION_KEY,)
    _checked_fields: ClassVar[tuple[_Field, ...]] = ()
    _wire_names: ClassVar[tuple[tuple[str, str], ...]] = ()
    _empty_values: ClassVar[dict[str, None]] = {}
    __signature__: ClassVar[Any] = _Signature()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = {name: value for name, value in vars(cls).items() if isinstance(value, _Field)}
        for name in vars(cls).get("__annotations__", {}):
            annotation = str(vars(cls)["__annotations__"][name])
            if name not in declared and "ClassVar" not in annotation:
                raise TypeError(f"{cls.__name__}.{name} is annotated but not declared with field()")
        specs = {**cls._specs, **declared}
        fields = tuple(spec.info for spec in specs.values())
        cls._specs = specs
        cls._fields = fields
        cls._field_names = tuple(info.name for info in fields)
        cls._init_names = (*cls._field_names, _CONFIGURATION_KEY)
        cls._checked_fields = tuple(spec for spec in specs.values() if spec.pattern is not None)
        cls._wire_names = tuple((info.name, info.json_key) for info in fields)
        cls._empty_values = dict.fromkeys(cls._field_names)
        cls.openapi_types = {info.name: info.type_name for info in fields}
        cls.attribute_map = {info.name: info.json_key for info in fields}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls = type(self)
        names = cls._init_names
        if len(args) > len(names):
            raise TypeError(
                f"{cls.__name__}() takes at most {len(names)} positional arguments "
                f"({len(args)} given)"
            )
        given = dict(zip(names, args))
        for name, value in kwargs.items():
            if name in given:
                raise TypeError(f"{cls.__name__}() got multiple values for argument '{name}'")
            if name not in names:
                raise TypeError(f"{cls.__name__}() got an unexpected keyword argument '{name}'")
            given[name] = value
        configuration = given.pop(_CONFIGURATION_KEY, None)
        values = self.__dict__
        values.update(cls._empty_values)
        values.update(given)
        if configuration is not None:
            values[_CONFIGURATION_KEY] = configuration
        for spec in cls._checked_fields:
            spec.check(self, values[spec.info.name])

    @classmethod
    def model_fields(cls) -> tuple[FieldInfo, ...]:
        """The fields of this model, in constructor order."""
        return cls._fields

    def unknown_fields(self) -> dict[str, Any]:
        """The JSON keys of the decoded object that no field declares, with their values.

        A newer server (KFP 2.x) sends keys that 1.8.5 did not know; they are kept, and sent
        back by `encode`, unless the client's ``Configuration.discard_unknown_keys`` is set.
        Returns a copy: changing it changes nothing.
        """
        return dict(self.__dict__.get(_UNKNOWN_KEYS) or {})

    def to_dict(self) -> dict[str, Any]:
        """Field values by attribute name (None included), nested models as dicts."""
        values = self.__dict__
        return {name: _plain(values.get(name)) for name in self._field_names}

    def to_str(self) -> str:
        """The pretty-printed `to_dict`."""
        import pprint

        return pprint.pformat(self.to_dict())

    def __repr__(self) -> str:
        return self.to_str()

    # Models are mutable, so they are not hashable (as in 1.8.5).
    __hash__: ClassVar[None] = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, self.__class__):
            return False
        return self.to_dict() == other.to_dict()

    def __ne__(self, other: object) -> bool:
        if not isinstance(other, self.__class__):
            return True
        return self.to_dict() != other.to_dict()


class EnumModel(Model):
    """Base of the enum constant classes (ApiRunStorageState, ...).

    Subclasses define upper-case string constants; `allowable_values` lists them in
    declaration order. Model fields of an enum type carry plain strings.
    """

    allowable_values: ClassVar[list[str]] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.allowable_values = [
            value for name, value in vars(cls).items() if name.isupper() and isinstance(value, str)
        ]


def _plain(value: Any) -> Any:
    """The `to_dict` form of one value."""
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


# --- decoding -----------------------------------------------------------------------------------


class DecodeError(ValueError):
    """JSON data does not have the shape its declared type needs.

    `path` locates the value from the top of the decoded document, e.g.
    ``run.metrics[0].number_value`` (empty for the top itself); `expected` and `got` describe
    the mismatch.
    """

    def __init__(self, expected: str, got: str, path: str = "") -> None:
        super().__init__(expected, got, path)
        self.expected = expected
        self.got = got
        self._segments = [path] if path else []

    @classmethod
    def for_value(cls, expected: str, value: Any) -> DecodeError:
        """An error for `value` (parsed JSON) where `expected` was needed."""
        return cls(expected, _describe(value))

    def __reduce__(self) -> tuple[type[DecodeError], tuple[str, str, str]]:
        return (type(self), (self.expected, self.got, self.path))

    @property
    def path(self) -> str:
        """Where the bad value is, from the top of the decoded document."""
        parts: list[str] = []
        for segment in reversed(self._segments):
            if parts and not segment.startswith("["):
                parts.append(".")
            parts.append(segment)
        return "".join(parts)

    def add_parent(self, segment: str) -> None:
        """Record that the bad value sits under `segment` (a key, ``[index]`` or ``["key"]``)."""
        self._segments.append(segment)

    def __str__(self) -> str:
        where = f" at {self.path}" if self._segments else ""
        return f"expected {self.expected}{where}, got {self.got}"


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {text!r}"
    return f"a {type(value).__name__}"


class _NoFastPath:
    """Stands for "no type can be stored without conversion"; never instantiated."""


class _Kind(NamedTuple):
    """How values of one type are decoded: stored as they are when their class is `fast`,
    otherwise (and when not None) passed to `convert`."""

    fast: type
    convert: Decoder


def _convert_str(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    raise DecodeError.for_value("a string", value)


def _convert_int(value: Any) -> Any:
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    raise DecodeError.for_value("an integer", value)


def _convert_float(value: Any) -> Any:
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:  # an integer beyond the range of a float
            raise DecodeError("a number within the range of a float", "a larger integer") from None
    if isinstance(value, str):
        try:
            return float(value)  # accepts "NaN", "Infinity", "-Infinity" as the server sends them
        except ValueError:
            pass
    raise DecodeError.for_value("a number", value)


def _convert_bool(value: Any) -> Any:
    if isinstance(value, (bool, int)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise DecodeError.for_value("a boolean", value)


def _keep(value: Any) -> Any:
    return value


# RFC 3339 with any case of T/Z and up to nanoseconds; the fallback before dateutil for what
# datetime.fromisoformat does not read (lower-case letters; before 3.11, fractions of other
# than 3 or 6 digits).
_RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?"
    r"(?:([Zz])|([+-])(\d\d):(\d\d))?"
)


def _parse_rfc3339(text: str) -> datetime:
    match = _RFC3339.fullmatch(text)
    if match is None:
        raise ValueError(text)
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    tz: timezone | None = None
    if zulu:
        tz = timezone.utc
    elif sign:
        offset = timedelta(hours=int(off_h), minutes=int(off_m))
        tz = timezone(-offset if sign == "-" else offset)
    micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
    return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tz)


def _parse_iso_before_311(text: str) -> datetime:
    """`datetime.fromisoformat` for RFC 3339 text, on Pythons whose version does not read "Z".

    Several times faster than the regular expression for what servers send
    (``2022-03-01T08:00:27Z``); text it does not read raises ValueError, and the caller then
    tries the regular expression.
    """
    if text[10:11] not in ("T", "t", " "):
        raise ValueError(text)
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text)


_parse_iso: Callable[[str], datetime] = (
    datetime.fromisoformat if sys.version_info >= (3, 11) else _parse_iso_before_311
)


def _convert_datetime(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return _parse_iso(value)
        except ValueError:
            pass
        try:
            return _parse_rfc3339(value)
        except ValueError:
            pass
        from dateutil.parser import parse  # unusual formats only; slow to import

        try:
            return parse(value)
        except (ValueError, OverflowError):
            pass
    raise DecodeError.for_value("an RFC 3339 date-time string", value)


def _convert_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
        from dateutil.parser import parse

        try:
            return parse(value).date()
        except (ValueError, OverflowError):
            pass
    raise DecodeError.for_value("a date string (YYYY-MM-DD)", value)


_PRIMITIVE_KINDS: dict[str, _Kind] = {
    "str": _Kind(str, _convert_str),
    "int": _Kind(int, _convert_int),
    "long": _Kind(int, _convert_int),
    "float": _Kind(float, _convert_float),
    "bool": _Kind(bool, _convert_bool),
    "datetime": _Kind(_NoFastPath, _convert_datetime),
    "date": _Kind(_NoFastPath, _convert_date),
    "object": _Kind(_NoFastPath, _keep),
}

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


# --- encoding -----------------------------------------------------------------------------------

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
