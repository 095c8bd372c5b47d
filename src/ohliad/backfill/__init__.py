"""``ohliad backfill``: web archives (WARC) into the store, on a Ray cluster.

The stateless, costly stages run on the cluster's workers, one actor per CPU
with its engines loaded once (``workers.py``): reading WARC records,
extraction, language ID, MinHash signatures and grouping features; after
grouping, the changed stories' summary tier and comparisons. One writer, the
driver process, takes the prepared articles in publication order into the
store, as ``ohliad ingest`` would, and saves what the workers make of the
stories (``run.py``). Ray is an extra
(``ohliad[ray]``) and is imported only here.
"""

from ohliad.backfill.archives import archive_paths
from ohliad.backfill.run import (
    BackfillError,
    BackfillProgress,
    BackfillReport,
    backfill,
    describe,
)

__all__ = [
    "BackfillError",
    "BackfillProgress",
    "BackfillReport",
    "archive_paths",
    "backfill",
    "describe",
]
