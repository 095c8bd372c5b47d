"""Calibrated clustering parameters, one entry per embedder. Written by
``bench/clustering.py --calibrate --embedder NAME``.

Each entry is fitted on the earliest 60% of AllSides 2021 story dates,
times jittered by up to +/-12 h (90% of the objective) and packed 30x closer
(10%); objective: mean of pairwise and B-cubed F1.
``lead_chars`` (text embedded after the title) is chosen on the calibration split;
``title_weight`` (of the title's own vector, appended) is fitted with the rest.
A key ``text+title`` names the title-and-lead engine and the titles' engine.
"""

DEFAULT_EMBEDDER = "minilm-static+minilm-q8"

CALIBRATIONS: dict[str, dict[str, float]] = {
    "minilm": {
        "lead_chars": 300,
        "title_weight": 0.0,
        "weight_embedding": 1.0,
        "weight_terms": 0.25,
        "weight_entities": 0.1,
        "weight_time": 1.0,
        "join_threshold": 0.6,
        "merge_threshold": 1.0,
    },
    "minilm-static": {
        "lead_chars": 600,
        "title_weight": 0.0,
        "weight_embedding": 1.0,
        "weight_terms": 0.5,
        "weight_entities": 0.1,
        "weight_time": 1.0,
        "join_threshold": 0.9,
        "merge_threshold": 1.0,
    },
    "minilm-static+minilm": {
        "lead_chars": 600,
        "title_weight": 1.0,
        "weight_embedding": 1.0,
        "weight_terms": 0.5,
        "weight_entities": 0.0,
        "weight_time": 1.0,
        "join_threshold": 0.7,
        "merge_threshold": 0.8,
    },
    "minilm-static+minilm-q8": {
        "lead_chars": 600,
        "title_weight": 1.0,
        "weight_embedding": 1.0,
        "weight_terms": 0.25,
        "weight_entities": 0.0,
        "weight_time": 1.0,
        "join_threshold": 0.65,
        "merge_threshold": 0.7,
    },
}
