"""Calibrated clustering parameters, one entry per embedder. Written by
``bench/clustering.py --calibrate --embedder NAME``.

Each entry is fitted on the earliest 60% of AllSides 2021 story dates,
times jittered by up to +/-12 h; objective: mean of pairwise and B-cubed F1.
``lead_chars`` (text embedded after the title) and ``title_weight`` (the title's own
vector added to it) are chosen on the calibration split, not fitted by the search.
"""

DEFAULT_EMBEDDER = "minilm"

CALIBRATIONS: dict[str, dict[str, float]] = {
    "minilm": {
        "lead_chars": 300,
        "title_weight": 0.0,
        "weight_embedding": 1.0,
        "weight_terms": 0.5,
        "weight_entities": 0.05,
        "weight_time": 2.0,
        "join_threshold": 0.55,
        "merge_threshold": 0.8,
    },
    "minilm-static": {
        "lead_chars": 600,
        "title_weight": 0.25,
        "weight_embedding": 1.0,
        "weight_terms": 0.25,
        "weight_entities": 0.0,
        "weight_time": 1.0,
        "join_threshold": 0.8,
        "merge_threshold": 1.0,
    },
}
