"""Word patterns for Ukrainian text, where ``*`` stands for an inflected ending.

``Києв*`` matches Києва, Києві, Києвом; ``Київ`` matches only Київ. Editing
rules written this way (glossary, style profiles) stay readable for people.
"""

from __future__ import annotations

import functools
import re

_WORD_START = r"(?<![\w'’ʼ-])"
_WORD_END = r"(?![\w'’ʼ])"
_APOSTROPHE = re.compile(r"\\?['’ʼ]")
_ANY_APOSTROPHE = "['’ʼ]"


@functools.cache
def compile_pattern(pattern: str, *, ignore_case: bool = True) -> re.Pattern[str]:
    """A regex for ``pattern``; each ``*`` captures the ending it stands for."""
    parts = [re.escape(piece) for piece in pattern.split("*")]
    # Ukrainian is written with three apostrophes (' ’ ʼ); any one will do.
    body = _APOSTROPHE.sub(_ANY_APOSTROPHE, r"(\w*)".join(parts))
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(_WORD_START + body + _WORD_END, flags)


def rewrite(text: str, wrong: str, right: str, *, ignore_case: bool = False) -> str:
    """Replace words matching ``wrong`` with ``right``, carrying each ``*`` ending over."""
    right_parts = right.split("*")

    def substitute(match: re.Match[str]) -> str:
        endings = list(match.groups())
        out = right_parts[0]
        for i, part in enumerate(right_parts[1:]):
            out += (endings[i] if i < len(endings) else "") + part
        return out

    return compile_pattern(wrong, ignore_case=ignore_case).sub(substitute, text)
