"""Learned score weights and calibrated thresholds, one entry per embedder.
Written by ``bench/clustering.py --train --calibrate --embedder NAME``.

``weights``: logistic regression on AllSides roundup-train (article, story)
pairs, stories shared with the benchmark's stories-2021 left out (a log-odds).
``thresholds``: the time weight and the join, merge and split thresholds
(log-odds), fitted on the earliest 60% of stories-2021 story dates
(objective: mean of pairwise and B-cubed F1 over dense 40%, undated 40%, as dated 20%).
A key ``text+title`` names the title-and-lead engine and the titles' engine.
"""

DEFAULT_EMBEDDER = "minilm-static+minilm-q8"

CALIBRATIONS: dict[str, dict[str, dict[str, float]]] = {
    "minilm-static+minilm-q8": {
        "weights": {
            "bias": -3.9559,
            "title": 4.0531,
            "lead": 0.4372,
            "terms": 8.0542,
            "entities": 0.6425,
            "numbers": 2.8447,
            "size": -0.1036,
            "numbers_present": -1.2174,
            "days_present": -0.3315,
        },
        "thresholds": {
            "lead_chars": 600,
            "weight_time": 14.0,
            "time_density_exponent": 2.0,
            "weight_density": 0.65,
            "reference_density": 300,
            "undated_density": 1200,
            "join_threshold": 8.0,
            "merge_threshold": 0.75,
            "split_threshold": -3.0,
        },
    },
}
