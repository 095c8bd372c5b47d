"""Errors raised by the extract stage."""

from __future__ import annotations

from ohliad.errors import OhliadError


class NoArticleTextError(OhliadError, ValueError):
    """The page holds no article prose (an index page, an empty page, a PDF)."""

    def __init__(self, message: str = "no article text found") -> None:
        super().__init__(message)
