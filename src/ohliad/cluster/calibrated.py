"""Calibrated clustering parameters. Written by ``bench/clustering.py --calibrate``.

Fitted on the earliest 60% of AllSides 2021 story dates (879 articles),
times jittered by up to +/-12 h; objective: mean of pairwise and B-cubed F1.
"""

WEIGHT_EMBEDDING = 1.0
WEIGHT_TERMS = 0.5
WEIGHT_ENTITIES = 0.05
WEIGHT_TIME = 2.0
JOIN_THRESHOLD = 0.55
MERGE_THRESHOLD = 0.8
