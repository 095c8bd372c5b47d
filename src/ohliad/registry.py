"""Registries of engine implementations, chosen by name from configuration.

Like spaCy's registries: an implementation registers a factory under a name,
and the pipeline asks for ``registry.create(name, **options)``. Users can add
their own implementations by registering them before the pipeline runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class UnknownEngineError(LookupError):
    """Raised when configuration names an engine nobody registered."""


class Registry(Generic[T]):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._factories: dict[str, Callable[..., T]] = {}

    def register(self, name: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
        def decorator(factory: Callable[..., T]) -> Callable[..., T]:
            self._factories[name] = factory
            return factory

        return decorator

    def names(self) -> list[str]:
        return sorted(self._factories)

    def create(self, name: str, **options: Any) -> T:
        try:
            factory = self._factories[name]
        except KeyError:
            known = ", ".join(self.names()) or "none"
            raise UnknownEngineError(
                f"unknown {self.kind} {name!r}; registered {self.kind}s: {known}"
            ) from None
        return factory(**options)
