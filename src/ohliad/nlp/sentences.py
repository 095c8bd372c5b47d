"""Sentence splitting shared by the summarizer and the comparison.

spaCy's rule-based sentencizer on a blank English pipeline: its tokenizer
knows abbreviations ("Mr.", "U.S.", "p.m."), so no statistical parser is
needed just to find sentence ends.
"""

from __future__ import annotations

import functools
import re

import spacy
from spacy.language import Language

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")


@functools.cache
def _splitter() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``; a line break always ends a sentence."""
    sentences: list[str] = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        sentences.extend(s.text.strip() for s in _splitter()(paragraph).sents if s.text.strip())
    return sentences


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]
