"""Immutable value objects: a class lists its fields once and gets equality, hashing, ``repr``
and copies with changes.

It does what a frozen dataclass does for :class:`~kfp_server_api.retry.RetryPolicy` and the
endpoint descriptions, with ``__slots__`` and without importing :mod:`dataclasses` (which
imports :mod:`inspect` and so :mod:`ast` and :mod:`dis`, several milliseconds of the client's
import time).
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

__all__ = ["Frozen", "FrozenInstanceError"]

_Self = TypeVar("_Self", bound="Frozen")


class FrozenInstanceError(AttributeError):
    """A field of an immutable value was assigned or deleted."""


class Frozen:
    """Base of immutable values with ``__slots__``.

    A subclass names its fields, in constructor order, in ``_fields`` (and in ``__slots__``,
    which may hold more: values derived from the fields), and sets them in ``__init__`` with
    :meth:`_assign`. Two values are equal when they are of the same class and their
    ``_compared`` fields (default: all of ``_fields``) are equal; ``repr`` shows those fields.
    """

    __slots__ = ()
    #: Names of the fields, in the order of the constructor's parameters.
    _fields: ClassVar[tuple[str, ...]] = ()
    #: Fields that equality, the hash and ``repr`` use.
    _compared: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_compared" not in cls.__dict__:
            cls._compared = cls._fields

    def _assign(self, **values: Any) -> None:
        """Set attributes while the value is built (the only way to set them)."""
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._compared)

    def _replace(self: _Self, **changes: Any) -> _Self:
        """A copy with the given fields changed (an unknown name raises ``TypeError``)."""
        values = {name: getattr(self, name) for name in self._fields}
        values.update(changes)
        return type(self)(**values)

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Frozen) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._compared)
        return f"{type(self).__qualname__}({shown})"

    def __copy__(self: _Self) -> _Self:
        return self

    def __deepcopy__(self: _Self, memo: dict[int, Any]) -> _Self:
        # Immutable: a copy would be equal and interchangeable (and injected callables, such as
        # a test's recorder, stay shared).
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), tuple(getattr(self, name) for name in self._fields)
