"""python -m ohliad"""

from ohliad.cli import main

main()
