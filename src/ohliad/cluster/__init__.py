"""Story grouping: articles reporting the same event form one story.

``OnlineClusterer`` is the engine behind ingestion (``ohliad ingest``,
``run`` and ``watch``) and ``ohliad cluster``; ``assign_stories`` runs it over
one collection. Each uses the same learned score, story-level pass and
calibrated defaults (``ClusterConfig()``).
"""

from ohliad.cluster.config import ClusterConfig
from ohliad.cluster.online import Assignment, OnlineClusterer, StoryChange, assign_stories

__all__ = ["Assignment", "ClusterConfig", "OnlineClusterer", "StoryChange", "assign_stories"]
