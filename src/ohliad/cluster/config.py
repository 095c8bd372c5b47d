"""Clustering configuration. Thresholds and weights default to the values
calibrated on training data (``calibrated.py``); the window and index sizes
are policy, not fitted."""

from __future__ import annotations

from dataclasses import dataclass

from ohliad.cluster import calibrated


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """How articles are scored against stories.

    score = weight_embedding * cos(embeddings)
          + weight_terms * cos(tf-idf of content words)
          + weight_entities * cos(idf-weighted named entities)
          - weight_time * (hours between them / window_hours)

    An article joins the best-scoring story when score >= join_threshold;
    two stories that one article links are merged when their own score
    (same formula, story against story) >= merge_threshold.
    """

    embedder: str = "minilm"
    entity_extractor: str = "proper-nouns"
    # Characters of article text embedded after the title (the lead).
    lead_chars: int = 300
    # A story takes no new articles after this many hours of silence.
    window_hours: float = 96.0
    ann_candidates: int = 16
    # Most recent articles remembered per entity in the inverted index, and how
    # many of an article's entities (the rarest) are looked up there.
    entity_postings: int = 24
    entity_queries: int = 4
    weight_embedding: float = calibrated.WEIGHT_EMBEDDING
    weight_terms: float = calibrated.WEIGHT_TERMS
    weight_entities: float = calibrated.WEIGHT_ENTITIES
    weight_time: float = calibrated.WEIGHT_TIME
    join_threshold: float = calibrated.JOIN_THRESHOLD
    merge_threshold: float = calibrated.MERGE_THRESHOLD
