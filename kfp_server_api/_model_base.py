"""The base of every API model: field declarations, the constructor and the 1.8.5 methods.

Described in :mod:`kfp_server_api.model`, which re-exports the public names.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable, ClassVar, NamedTuple

if TYPE_CHECKING:
    import inspect

    from typing_extensions import dataclass_transform

    from kfp_server_api.configuration import Configuration
else:

    def dataclass_transform(**_: Any) -> Callable[[type], type]:
        """Runtime stand-in: the decorator only informs type checkers."""
        return lambda cls: cls


__all__ = ["BASE64_PATTERN", "Decoder", "EnumModel", "FieldInfo", "Model", "field"]


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
