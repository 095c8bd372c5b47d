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
Indexes = npt.NDArray[np.intp]

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


# Helpers over row ranges of the TF-IDF rows that read the CSR arrays directly:
# building a sliced scipy matrix costs more than the arithmetic on a small story.


def _entries(matrix: SparseRows, rows: range) -> tuple[Indexes, Indexes, Scores]:
    """Each stored entry of ``rows``: its line within ``rows``, its column, its value."""
    first, last = matrix.indptr[rows.start], matrix.indptr[rows.stop]
    lines = np.repeat(np.arange(len(rows)), np.diff(matrix.indptr[rows.start : rows.stop + 1]))
    return lines, matrix.indices[first:last], matrix.data[first:last]


def dense_rows(matrix: SparseRows, rows: range) -> Scores:
    lines, columns, values = _entries(matrix, rows)
    dense = np.zeros((len(rows), matrix.shape[1]))
    dense[lines, columns] = values
    return dense


def row_dots(matrix: SparseRows, rows: range, vector: Scores) -> Scores:
    """``matrix[rows] @ vector``: the same products, summed in the same order."""
    lines, columns, values = _entries(matrix, rows)
    dots = np.bincount(lines, weights=values * vector[columns], minlength=len(rows))
    return np.asarray(dots, dtype=np.float64)


def weighted_row_sum(matrix: SparseRows, weights: Scores) -> Scores:
    """``weights @ matrix`` as a dense vector, summed row after row."""
    per_entry = matrix.data * np.repeat(weights, np.diff(matrix.indptr))
    return np.asarray(np.bincount(matrix.indices, per_entry, matrix.shape[1]), np.float64)


# Below this many multiply-adds a dense product is cheaper than a sparse one, whose
# fixed cost is about 0.15 ms (measured on AllSides stories: dense is faster up to
# about two million).
_DENSE_PRODUCT_LIMIT = 1 << 20


def cosines(matrix: SparseRows, rows: range, others: range) -> Scores:
    """Cosine similarities of the L2-normalised ``rows`` of ``matrix`` (one line
    each) to its rows ``others`` (one column each)."""
    if len(rows) * len(others) * matrix.shape[1] <= _DENSE_PRODUCT_LIMIT:
        return np.asarray(dense_rows(matrix, rows) @ dense_rows(matrix, others).T)
    sliced = matrix[rows.start : rows.stop] @ matrix[others.start : others.stop].T
    return np.asarray(sliced.toarray())
