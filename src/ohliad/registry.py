"""Every extension point of ohliad, in one place: the registries of its
components, each chosen by name from configuration.

=================  =====================  ==========================================
registry           entry-point group      a factory, called with …, returns
=================  =====================  ==========================================
``embedders``      ``ohliad.embedders``   keyword options of the spec (``path``)
                                          → ``ohliad.nlp.embedders.Embedder``
``summarizers``    ``ohliad.summarizers`` ``options: SummaryOptions``
                                          → ``ohliad.summarize.Summarizer``
``translators``    ``ohliad.translators`` ``settings: TranslateOptions``
                                          → ``ohliad.translate.Translator``
``readers``        ``ohliad.readers``     nothing → ``ohliad.ingest.Reader`` (an
                                          input format: suffixes, sniffing, reading)
``renderers``      ``ohliad.renderers``   nothing → ``ohliad.render.Renderer`` (an
                                          output format of the digest)
=================  =====================  ==========================================

Like spaCy's registries, with one mechanism for everyone: ohliad declares its
own implementations as entry points in its ``pyproject.toml``, and a package
of yours adds its own the same way::

    [project.entry-points."ohliad.summarizers"]
    lede = "my_package.summaries:LedeSummarizer"

after which ``ohliad run --summarizer lede`` (or ``summarizer = "lede"`` in
``ohliad.toml``) uses it. Names are listed from package metadata without
importing anything; an implementation is imported when it is first asked for.
Code can also register at run time, in a notebook or a test::

    @registry.summarizers.register("lede")
    def make_lede(options): ...

A name registered at run time wins over an entry point of the same name.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from functools import cached_property
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ohliad.errors import OhliadError

if TYPE_CHECKING:
    from ohliad.ingest.readers import Reader
    from ohliad.nlp.embedders import Embedder
    from ohliad.render.renderers import Renderer
    from ohliad.summarize.engine import Summarizer
    from ohliad.translate.engine import Translator

T = TypeVar("T")


class UnknownComponentError(OhliadError, LookupError):
    """Configuration names a component that no package provides."""


class ComponentLoadError(OhliadError, ImportError):
    """A component's entry point could not be imported."""


class Registry(Generic[T]):
    """Factories of one kind of component, by name."""

    def __init__(self, kind: str, group: str) -> None:
        self.kind = kind
        self.group = group
        self._registered: dict[str, Callable[..., T]] = {}
        self._loaded: dict[str, Callable[..., T]] = {}

    @cached_property
    def _entry_points(self) -> dict[str, list[EntryPoint]]:
        found: dict[str, list[EntryPoint]] = {}
        for point in entry_points(group=self.group):
            found.setdefault(point.name, []).append(point)
        return found

    def register(self, name: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
        """A decorator that registers a factory under ``name``."""

        def decorator(factory: Callable[..., T]) -> Callable[..., T]:
            self._registered[name] = factory
            return factory

        return decorator

    def names(self) -> list[str]:
        """Every name known, from code and from installed packages' metadata."""
        return sorted({*self._registered, *self._entry_points})

    def factory(self, name: str) -> Callable[..., T]:
        """The factory registered as ``name`` (its entry point imported now)."""
        if name in self._registered:
            return self._registered[name]
        if name in self._loaded:
            return self._loaded[name]
        points = self._entry_points.get(name)
        if not points:
            raise self.unknown(name)
        if len({point.value for point in points}) > 1:
            where = ", ".join(sorted(point.value for point in points))
            raise ComponentLoadError(
                f"{self.kind} {name!r} is declared by several installed packages ({where}); "
                "uninstall one of them"
            )
        try:
            factory: Callable[..., T] = points[0].load()
        except Exception as error:  # an installed plug-in that cannot be imported
            raise ComponentLoadError(
                f"{self.kind} {name!r} ({points[0].value}) cannot be loaded: "
                f"{type(error).__name__}: {error}"
            ) from error
        self._loaded[name] = factory
        return factory

    def check(self, name: str, *, also: tuple[str, ...] = ()) -> None:
        """Raise ``unknown`` for a name nobody provides, importing nothing: a
        misspelt setting is said before any work starts."""
        if name not in also and name not in self._registered and name not in self._entry_points:
            raise self.unknown(name, also=also)

    def create(self, name: str, **options: Any) -> T:
        """A new component: the factory ``name`` called with ``options``."""
        return self.factory(name)(**options)

    def unknown(self, name: str, *, also: tuple[str, ...] = ()) -> UnknownComponentError:
        """The error for a name nobody provides: it lists the names known
        (with ``also``, names the caller accepts besides the registry's)."""
        known = sorted({*self.names(), *also})
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return UnknownComponentError(
            f"unknown {self.kind} {name!r}{hint}; known {self.kind}s: {', '.join(known) or 'none'}"
        )


embedders: Registry[Embedder] = Registry("embedder", "ohliad.embedders")
summarizers: Registry[Summarizer] = Registry("summarizer", "ohliad.summarizers")
translators: Registry[Translator] = Registry("translator", "ohliad.translators")
readers: Registry[Reader] = Registry("reader", "ohliad.readers")
renderers: Registry[Renderer] = Registry("renderer", "ohliad.renderers")
# Every extension point, in the order ohliad components and ohliad doctor list them.
ALL: tuple[Registry[Any], ...] = (embedders, summarizers, translators, readers, renderers)
