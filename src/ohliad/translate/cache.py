"""The translation cache interface: engine output, keyed so that re-rendering
a digest calls no engine again. The store implements it
(``ohliad.store.translations.StoreTranslationCache``)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class CacheEntry:
    source_text: str
    engine: str
    model: str | None
    style: str
    kind: str
    result: str

    @property
    def key(self) -> str:
        return cache_key(self.source_text, self.engine, self.model, self.style, self.kind)


def cache_key(source_text: str, engine: str, model: str | None, style: str, kind: str) -> str:
    """sha256 over (source text, engine, model, style, kind)."""
    payload = json.dumps([source_text, engine, model, style, kind], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class TranslationCache(Protocol):
    def get_many(self, keys: Sequence[str]) -> Mapping[str, str]:
        """The cached results among ``keys`` (missing keys are left out)."""
        ...

    def put_many(self, entries: Sequence[CacheEntry]) -> None:
        """Store results; an entry already cached is kept as it is."""
        ...
