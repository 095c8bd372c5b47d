"""Words as comparable terms: lower-cased, stop words out, Porter-stemmed.

TF-IDF vectors over these terms are the summarizer's notion of "says the same
thing"; they are cheap enough to score hundreds of stories a second, which a
neural embedder on this CPU is not.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
from nltk.stem.porter import PorterStemmer
from scipy.sparse import csr_array
from spacy.lang.en.stop_words import STOP_WORDS

# TF-IDF rows as a scipy.sparse.csr_array: a sentence uses a dozen of a large story's
# thousands of terms, so dense rows made every similarity cost the whole vocabulary.
SparseRows: TypeAlias = csr_array
Scores = npt.NDArray[np.float64]

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


def _count_rows(bags: Sequence[Sequence[int]], width: int) -> SparseRows:
    """One row per bag of column indexes, counting how often the bag holds each."""
    lengths = [len(bag) for bag in bags]
    rows = np.repeat(np.arange(len(bags), dtype=np.int64), lengths)
    columns = np.fromiter(itertools.chain.from_iterable(bags), np.int64, sum(lengths))
    # Sorted (row, column) keys give the rows in order and each row's columns sorted,
    # in one step rather than through scipy's slower COO conversion.
    keys, counts = np.unique(rows * width + columns, return_counts=True)
    row_starts = np.searchsorted(keys, np.arange(len(bags) + 1, dtype=np.int64) * width)
    return SparseRows(
        (counts.astype(np.float64), keys % width, row_starts), shape=(len(bags), width)
    )


def tfidf_matrix(bags: Sequence[Sequence[str]]) -> SparseRows:
    """L2-normalised TF-IDF rows of texts given as their ``terms``, with IDF
    taken over these texts themselves.

    Sublinear term frequency keeps a word repeated in one sentence from
    dominating; the IDF over the story's own sentences down-weights the words
    every sentence shares (the story's topic word appears everywhere).
    """
    vocabulary: dict[str, int] = {}
    columns = [[vocabulary.setdefault(term, len(vocabulary)) for term in bag] for bag in bags]
    matrix = _count_rows(columns, max(len(vocabulary), 1))
    weights = matrix.data
    np.log1p(weights, out=weights)
    document_frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    weights *= (np.log((len(bags) + 1) / (document_frequency + 1)) + 1.0)[matrix.indices]
    row_of_entry = np.repeat(np.arange(len(bags)), np.diff(matrix.indptr))
    norms = np.sqrt(np.bincount(row_of_entry, weights=weights * weights, minlength=len(bags)))
    norms[norms == 0] = 1.0
    weights /= norms[row_of_entry]
    return matrix


# Below this many multiply-adds a dense product is cheaper than a sparse one, whose
# fixed cost is about 0.15 ms (measured on AllSides stories: dense is faster up to
# about two million).
_DENSE_PRODUCT_LIMIT = 1 << 20


def cosines(rows: SparseRows, others: SparseRows) -> Scores:
    """Dense ``len(rows) x len(others)`` cosine similarities of L2-normalised rows."""
    if rows.shape[0] * others.shape[0] * rows.shape[1] <= _DENSE_PRODUCT_LIMIT:
        return np.asarray(rows.toarray() @ others.toarray().T)
    return np.asarray((rows @ others.T).toarray())
