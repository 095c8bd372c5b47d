"""``python -m ohliad.watch FEED_LIST [options]``: the same as ``ohliad watch``."""

import sys

from ohliad.cli import main

sys.argv.insert(1, "watch")
main()
