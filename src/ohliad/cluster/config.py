"""Clustering configuration. Thresholds and weights default to the values
calibrated on training data for the default embedder (``calibrated.py``);
each embedder's similarities sit on their own scale, so another embedder takes
its own calibration through ``ClusterConfig.for_embedder``. The window and
index sizes are policy, not fitted."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from ohliad.cluster import calibrated

logger = logging.getLogger(__name__)
_DEFAULT = calibrated.CALIBRATIONS[calibrated.DEFAULT_EMBEDDER]


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

    # The embedder spec: an engine for title and lead, or ``text+title`` with
    # another engine for the title alone.
    embedder: str = calibrated.DEFAULT_EMBEDDER
    entity_extractor: str = "proper-nouns"
    # Characters of article text embedded after the title (the lead).
    lead_chars: int = int(_DEFAULT["lead_chars"])
    # Weight of the title's own vector appended to the title-and-lead vector.
    title_weight: float = _DEFAULT.get("title_weight", 0.0)
    # A story takes no new articles after this many hours of silence.
    window_hours: float = 96.0
    ann_candidates: int = 16
    # Most recent articles remembered per entity in the inverted index, and how
    # many of an article's entities (the rarest) are looked up there.
    entity_postings: int = 24
    entity_queries: int = 4
    weight_embedding: float = _DEFAULT["weight_embedding"]
    weight_terms: float = _DEFAULT["weight_terms"]
    weight_entities: float = _DEFAULT["weight_entities"]
    weight_time: float = _DEFAULT["weight_time"]
    join_threshold: float = _DEFAULT["join_threshold"]
    merge_threshold: float = _DEFAULT["merge_threshold"]

    @property
    def engines(self) -> tuple[str, str]:
        """The engine for title and lead, and the one for titles alone."""
        text, _, title = self.embedder.partition("+")
        return text, title or text

    @classmethod
    def for_embedder(cls, spec: str) -> ClusterConfig:
        """The calibrated configuration for an embedder spec: an engine name
        (``minilm``), ``engine:path`` (which takes its engine's calibration), or
        ``text+title`` for a title-and-lead engine with another for titles
        alone. A spec never calibrated gets the default's values, with a
        warning: its scores may sit on another scale."""
        values = calibrated.CALIBRATIONS.get(spec) or calibrated.CALIBRATIONS.get(
            "+".join(part.partition(":")[0] for part in spec.split("+"))
        )
        if values is None:
            logger.warning(
                "no clustering calibration for embedder %r; using %r's (run "
                "bench/clustering.py --calibrate --embedder %s to fit one)",
                spec,
                calibrated.DEFAULT_EMBEDDER,
                spec,
            )
            values = _DEFAULT
        return replace(
            cls(),
            embedder=spec,
            lead_chars=int(values["lead_chars"]),
            title_weight=values.get("title_weight", 0.0),
            weight_embedding=values["weight_embedding"],
            weight_terms=values["weight_terms"],
            weight_entities=values["weight_entities"],
            weight_time=values["weight_time"],
            join_threshold=values["join_threshold"],
            merge_threshold=values["merge_threshold"],
        )
