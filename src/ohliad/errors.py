"""The root of ohliad's exceptions.

Every error ohliad raises on purpose derives from ``OhliadError`` (and from
the built-in exception it always derived from, so ``except ValueError`` code
keeps working). Its message is one line, for people: it names the input, the
setting or the engine, and says what to do.
"""

from __future__ import annotations


class OhliadError(Exception):
    """An error of ohliad's own, with a one-line message for people."""
