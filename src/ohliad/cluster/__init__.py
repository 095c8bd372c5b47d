"""Story grouping: articles reporting the same event form one story.

``OnlineClusterer`` is the engine behind ingestion, ``ohliad run`` and
``ohliad cluster``; ``assign_stories`` runs it over one collection.
"""

from ohliad.cluster.config import ClusterConfig
from ohliad.cluster.online import Assignment, OnlineClusterer, assign_stories

__all__ = ["Assignment", "ClusterConfig", "OnlineClusterer", "assign_stories"]
