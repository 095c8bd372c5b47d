"""ohliad: a news digest engine."""

import os

# Our matrix products are small (a story's sentences, a batch's candidates):
# OpenBLAS threads gain nothing on them, and on cores shared with polling and
# parsing they spin between calls, tripling the summary tier's CPU (13.5 -> 4.6
# ms per summary with one thread, bench/results/refresh.md). Set before numpy
# loads; a user's own OPENBLAS_NUM_THREADS wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
