"""Alembic environment: runs on the engine that ohliad.store.db hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from ohliad.store.schema import Base

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):  # pragma: no cover - only via ohliad.store.db
    raise RuntimeError("run migrations through ohliad.store.db.upgrade()")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
