"""Calibrated clustering parameters. Written by ``bench/clustering.py --calibrate``.

Placeholder values until the first calibration run.
"""

WEIGHT_EMBEDDING = 1.0
WEIGHT_TERMS = 0.5
WEIGHT_ENTITIES = 0.3
WEIGHT_TIME = 0.2
JOIN_THRESHOLD = 0.75
MERGE_THRESHOLD = 0.85
