"""The translation cache interface: engine output, keyed so that re-rendering
a digest calls no engine again. The store implements it
(``ohliad.store.translations.StoreTranslationCache``); its record is
``ohliad.models.CachedTranslation``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from ohliad.models import CachedTranslation


class TranslationCache(Protocol):
    def get_many(self, keys: Sequence[str]) -> Mapping[str, str]:
        """The cached results among ``keys`` (missing keys are left out)."""
        ...

    def put_many(self, entries: Sequence[CachedTranslation]) -> None:
        """Store results; an entry already cached is kept as it is."""
        ...
