"""The translation cache in the store (table ``translations``)."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ohliad.models import CachedTranslation
from ohliad.store.repository import Store
from ohliad.store.schema import TranslationRow

# SQLite allows 999 bound parameters in older builds; stay well below.
_QUERY_CHUNK = 500


class StoreTranslationCache:
    """``TranslationCache`` over a ``Store``: one transaction per batch."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get_many(self, keys: Sequence[str]) -> Mapping[str, str]:
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(keys))
        with self.store.transaction() as tx:
            for start in range(0, len(unique), _QUERY_CHUNK):
                chunk = unique[start : start + _QUERY_CHUNK]
                rows = tx.session.execute(
                    select(TranslationRow.cache_key, TranslationRow.result).where(
                        TranslationRow.cache_key.in_(chunk)
                    )
                )
                found.update({key: result for key, result in rows})
        return found

    def put_many(self, entries: Sequence[CachedTranslation]) -> None:
        by_key = {entry.key: entry for entry in entries}
        try:
            self._insert_new(list(by_key.values()))
        except IntegrityError:
            # Another process cached some of these meanwhile: insert one by
            # one, each in its own transaction, so the rest still land.
            for entry in by_key.values():
                with contextlib.suppress(IntegrityError):
                    self._insert_new([entry])

    def _insert_new(self, entries: Sequence[CachedTranslation]) -> None:
        if not entries:
            return
        with self.store.transaction() as tx:
            existing = set(
                tx.session.scalars(
                    select(TranslationRow.cache_key).where(
                        TranslationRow.cache_key.in_([e.key for e in entries])
                    )
                )
            )
            tx.session.add_all(
                TranslationRow(
                    cache_key=entry.key,
                    source_text=entry.source_text,
                    engine=entry.engine,
                    model=entry.model,
                    style=entry.style,
                    kind=entry.kind,
                    result=entry.result,
                )
                for entry in entries
                if entry.key not in existing
            )
