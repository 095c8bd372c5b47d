"""Named things and numbers, found by their spelling.

A capitalised run of words not at the start of a sentence, an acronym, or a
number. spaCy's NER finds more, but costs about 70 ms a story on this CPU,
which alone would spend the summarizer's whole budget; for ranking sentences
by how much of the story's shared cast they mention, spelling is enough.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

_CAPITALISED_RUN = re.compile(
    r"(?<![\w'’])(?:[A-Z][\w'’.-]*|[0-9][\w,.%-]*)(?:\s+(?:of\s+the\s+|of\s+|de\s+)?"
    r"(?:[A-Z][\w'’.-]*))*"
)
_SENTENCE_START = re.compile(r"^[\"“'‘(]*")
_POSSESSIVE = re.compile(r"['’]s?$")
_NUMBER_WORDS = re.compile(r"^\d[\d,.]*%?$")


def entities(text: str) -> set[str]:
    """Lower-cased names and numbers mentioned in ``text``.

    A capitalised stop word opening the sentence ("The", "But") is not a
    name; a multi-word name also counts its last word, so "Sen. Bernie
    Sanders" and "Sanders" meet.
    """
    found: set[str] = set()
    start = _SENTENCE_START.match(text)
    sentence_start = start.end() if start else 0
    for match in _CAPITALISED_RUN.finditer(text):
        parts = [_POSSESSIVE.sub("", p).strip(".,") for p in match.group(0).split()]
        if match.start() == sentence_start and parts[0].lower() in STOP_WORDS:
            parts = parts[1:]
        parts = [p for p in parts if p and p.lower() not in STOP_WORDS]
        if not parts:
            continue
        found.add(" ".join(parts).lower())
        last = parts[-1]
        if len(parts) > 1 and not _NUMBER_WORDS.match(last):
            found.add(last.lower())
    return found
