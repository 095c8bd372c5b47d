"""ohliad: a news digest engine.

The library in five lines (``Settings()`` takes no file and no environment;
``Settings.load()`` reads ``ohliad.toml`` and ``OHLIAD_*`` as the CLI does)::

    import ohliad

    pipeline = ohliad.open_pipeline(ohliad.Settings(db="news.db", translator="none"))
    report = pipeline.ingest(ohliad.read_inputs(["feeds/", "https://example.com/rss"]))
    pipeline.refresh()                       # summaries, Ukrainian, comparisons
    print(ohliad.render_digest(pipeline.digest(), "md"))

``pipeline.digest()`` gives ``DigestEntry`` records (``.summary``,
``.ukrainian``, ``.sources``, ``.comparison``); ``report.failures`` names each
input that gave no article. Every error ohliad raises is an ``OhliadError``
with a one-line message. The names below load on first use, so that
``import ohliad`` stays light.
"""

import os
from typing import TYPE_CHECKING, Any

# Our matrix products are small (a story's sentences, a batch's candidates):
# OpenBLAS threads gain nothing on them, and on cores shared with polling and
# parsing they spin between calls, tripling the summary tier's CPU (13.5 -> 4.6
# ms per summary with one thread, bench/results/refresh.md). Set before numpy
# loads; a user's own OPENBLAS_NUM_THREADS wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"

# The public names, and the module each comes from.
_PUBLIC = {
    "Settings": "ohliad.settings",
    "open_pipeline": "ohliad.assembly",
    "open_store": "ohliad.assembly",
    "read_inputs": "ohliad.ingest",
    "render_digest": "ohliad.render",
    "Pipeline": "ohliad.pipeline",
    "Article": "ohliad.models",
    "Story": "ohliad.models",
    "DigestEntry": "ohliad.models",
    "Comparison": "ohliad.compare.records",
    "OhliadError": "ohliad.errors",
}

if TYPE_CHECKING:
    from ohliad.assembly import open_pipeline, open_store
    from ohliad.compare.records import Comparison
    from ohliad.errors import OhliadError
    from ohliad.ingest import read_inputs
    from ohliad.models import Article, DigestEntry, Story
    from ohliad.pipeline import Pipeline
    from ohliad.render import render_digest
    from ohliad.settings import Settings


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        import importlib

        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'ohliad' has no attribute {name!r}")


__all__ = [
    "Article",
    "Comparison",
    "DigestEntry",
    "OhliadError",
    "Pipeline",
    "Settings",
    "Story",
    "open_pipeline",
    "open_store",
    "read_inputs",
    "render_digest",
]
