"""Words as comparable terms: lower-cased, stop words out, Porter-stemmed.

TF-IDF vectors over these terms are the summarizer's notion of "says the same
thing"; they are cheap enough to score hundreds of stories a second, which a
neural embedder on this CPU is not.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from nltk.stem.porter import PorterStemmer
from spacy.lang.en.stop_words import STOP_WORDS

Matrix = npt.NDArray[np.float64]

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_STEMMER = PorterStemmer()


def words(text: str) -> list[str]:
    """Word tokens of ``text`` as written."""
    return _WORD.findall(text)


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _STEMMER.stem(word)


def terms(text: str) -> list[str]:
    """Stemmed content words of ``text`` (stop words and possessives dropped)."""
    out = []
    for word in words(text.lower()):
        word = re.sub(r"['’]s$", "", word)
        if word not in STOP_WORDS and len(word) > 1:
            out.append(_stem(word))
    return out


def tfidf_matrix(bags: Sequence[Sequence[str]]) -> Matrix:
    """L2-normalised TF-IDF rows of texts given as their ``terms``, with IDF
    taken over these texts themselves.

    Sublinear term frequency keeps a word repeated in one sentence from
    dominating; the IDF over the story's own sentences down-weights the words
    every sentence shares (the story's topic word appears everywhere).
    """
    vocabulary: dict[str, int] = {}
    columns = [vocabulary.setdefault(term, len(vocabulary)) for bag in bags for term in bag]
    rows = np.repeat(np.arange(len(bags)), [len(bag) for bag in bags])
    matrix = np.zeros((len(bags), max(len(vocabulary), 1)))
    np.add.at(matrix, (rows, np.array(columns, dtype=np.int64)), 1.0)
    np.log1p(matrix, out=matrix)
    document_frequency = (matrix > 0).sum(axis=0)
    matrix *= np.log((len(bags) + 1) / (document_frequency + 1)) + 1.0
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms
