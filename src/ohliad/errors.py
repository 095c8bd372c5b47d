"""The root of ohliad's exceptions.

Every error ohliad raises on purpose derives from ``OhliadError`` (and from
the built-in exception it always derived from, so ``except ValueError`` code
keeps working). Its message is one line, for people: it names the input, the
setting or the engine, and says what to do.
"""

from __future__ import annotations

import re


class OhliadError(Exception):
    """An error of ohliad's own, with a one-line message for people."""


# Characters that would break a message out of its line, or restyle a
# terminal: controls (newline, ESC), and lone surrogates from undecodable names.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def one_line(text: str) -> str:
    """``text`` safe to print as one line: what would start another line or
    drive the terminal (a newline in a file name, an ANSI escape in a feed's
    guid) is shown escaped, as ``\\n`` or ``\\x1b``."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)
