"""the outlet name each site's articles carry, by host

An article whose page names no outlet is stored under its bare domain, and
takes the name the site's other articles carry. That name used to be found
by a LIKE scan of every stored address (220 ms a lookup at 300,000
articles); this table answers it by host. Filled here from the articles
already stored: the first real name (not a domain of the host) seen for each
host, as the write path records it.

Articles are indexed by outlet: a site named in a transaction has its
bare-domain outlet's articles renamed, and finding them scanned every stored
article (90 ms a transaction at 300,000) even once there were none left.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 05:00:00
"""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sites = op.create_table(
        "outlet_sites",
        sa.Column("host", sa.String(255), primary_key=True),
        sa.Column("outlet_id", sa.Integer(), sa.ForeignKey("outlets.id"), nullable=False),
    )
    op.create_index("ix_articles_outlet_id", "articles", ["outlet_id"])
    stored = sa.text(
        "SELECT a.url, o.id, o.name FROM articles a JOIN outlets o ON o.id = a.outlet_id"
        " WHERE a.url IS NOT NULL ORDER BY a.id"
    )
    first_name: dict[str, int] = {}
    for url, outlet_id, name in op.get_bind().execute(stored):
        host = (urlsplit(url).hostname or "").lower()
        if host and host not in first_name and not _is_domain_of(name.lower(), host):
            first_name[host] = outlet_id
    if first_name:
        op.bulk_insert(
            sites, [{"host": host, "outlet_id": id_} for host, id_ in first_name.items()]
        )


def _is_domain_of(name: str, host: str) -> bool:
    # As the write path decides it (ohliad.store.repository), kept here as
    # it was when this migration was written.
    return " " not in name and "." in name and (host == name or host.endswith("." + name))


def downgrade() -> None:
    op.drop_table("outlet_sites")
    op.drop_index("ix_articles_outlet_id", "articles")
