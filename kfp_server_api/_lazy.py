"""Package attributes imported on first use (a module ``__getattr__`` and ``__dir__``, PEP 562).

A package describes where each public name lives, as data, and gets the two functions from
:func:`lazy_exports`::

    __getattr__, __dir__ = lazy_exports(globals(), {"ApiRun": "pkg.models.api_run:ApiRun"})

A target ``"package.module:Name"`` is attribute ``Name`` of that module, a target
``"package.module"`` the module itself. A name the package lists in ``__all__`` without a target
is looked up in the ``catalogs``: packages whose own ``__all__`` names it (each imported, in
order, only when a name is looked up there). A value, once imported, is stored in the package,
so ``__getattr__`` runs once per name.
"""

from __future__ import annotations

import re
from importlib import import_module

# Not `from typing import TYPE_CHECKING`: importing the package must not import typing.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import Any

__all__ = ["lazy_exports", "module_per_class"]


def module_per_class(package: str, class_names: Iterable[str]) -> dict[str, str]:
    """Targets of classes each defined in a module of ``package`` named after it in snake case
    (``ApiRun`` in ``package.api_run``), and of those modules themselves."""
    # Compiled here, not on import: the top-level package does not need it.
    word_start = re.compile(r"(?<!^)(?=[A-Z])")
    targets: dict[str, str] = {}
    for name in class_names:
        module = word_start.sub("_", name).lower()
        targets[name] = f"{package}.{module}:{name}"
        targets[module] = f"{package}.{module}"
    return targets


def lazy_exports(
    namespace: dict[str, Any],
    targets: Mapping[str, str],
    catalogs: Sequence[str] = (),
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of the package whose ``globals()`` is ``namespace``.

    Args:
        namespace: the package's ``globals()`` (its name is ``namespace['__name__']``; its
            ``__all__``, if any, is read when a name is looked up).
        targets: public name -> ``"module:attribute"``, or ``"module"`` for the module itself.
        catalogs: packages whose ``__all__`` names the rest of this package's ``__all__``.
    """
    package = namespace["__name__"]

    def target_of(name: str) -> str | None:
        target = targets.get(name)
        if target is not None or name not in namespace.get("__all__", ()):
            return target
        for catalog in catalogs:
            if name in import_module(catalog).__all__:
                return f"{catalog}:{name}"
        return None

    def __getattr__(name: str) -> Any:
        target = target_of(name)
        if target is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module_name, _, attribute = target.partition(":")
        module = import_module(module_name)
        value = getattr(module, attribute) if attribute else module
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *namespace.get("__all__", ()), *targets})

    return __getattr__, __dir__
