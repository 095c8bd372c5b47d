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


# Titles and abbreviations that the sentencizer takes for a sentence end.
_ABBREVIATION_END = re.compile(
    r"\b(?:Lt|Gov|Sen|Rep|Gen|Col|Sgt|Capt|Cmdr|Adm|Maj|Dr|Prof|Rev|St|Mt|Ft|Jr|Sr|Mr|Mrs|Ms"
    r"|No|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\.$"
)


def _opens_quote(text: str) -> bool:
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1


def _paragraph_sentences(paragraph: str) -> list[str]:
    pieces = [" ".join(s.text.split()) for s in _splitter()(paragraph).sents]
    pieces = [p for p in pieces if p]
    # An opening quotation mark left at the end of one piece starts the next.
    for i in range(len(pieces) - 1):
        if pieces[i].endswith((" “", ' "')):
            pieces[i + 1] = pieces[i][-1] + pieces[i + 1]
            pieces[i] = pieces[i][:-2]
    # A quotation is one unit (kept or dropped whole), and "Lt." ends no sentence.
    sentences: list[str] = []
    unfinished = False
    for piece in pieces:
        if unfinished and sentences:
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
        unfinished = _opens_quote(sentences[-1]) or bool(_ABBREVIATION_END.search(sentences[-1]))
    return sentences


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``, whitespace normalised; a line break always ends a
    sentence, and a quotation within a paragraph stays in one piece."""
    sentences: list[str] = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        if paragraph.strip():
            sentences.extend(_paragraph_sentences(paragraph.strip()))
    return sentences


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]
