"""A neutral headline, picked from the sources' titles or cut from the top
summary sentence.

Titles are scored by how central they are (how much of the other titles and
the top sentences they share) and scored down for loaded words, quotation
marks and question or exclamation forms. A title that is over the length
limit is cut at a clause boundary, never mid-phrase.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

import numpy as np

from ohliad.summarize.loaded import has_quotes, loadedness
from ohliad.summarize.material import ARTICLE_CACHE_SIZE, StoryMaterial
from ohliad.summarize.options import SummaryOptions
from ohliad.summarize.terms import Scores, cosines, dense_rows, row_dots, words

# Words a shorter headline may end before: conjunctions, prepositions and
# relative pronouns start a phrase that the headline can lose.
_CLAUSE_STARTER_TEXT = (
    "as after amid while but despite because following over with that which who whose "
    "where when in on at for from into during since until before against and or by "
    "under about than including"
)
_CLAUSE_STARTERS = frozenset(_CLAUSE_STARTER_TEXT.split())
_TOP_SENTENCES = 3
LOADED_PENALTY = 0.6
QUOTE_PENALTY = 0.1
QUESTION_PENALTY = 0.5
# Per word past the length a headline usually has (AllSides' neutral ones: median 8).
LENGTH_PENALTY = 0.04
USUAL_WORDS = 8


def shorten(text: str, max_words: int) -> str:
    """``text`` cut to at most ``max_words`` words at the last clause boundary
    that leaves at least four words (or at the limit if there is none)."""
    text = text.strip().rstrip(".")
    if len(text.split()) <= max_words:
        return text
    if ":" in text:
        parts = [p.strip() for p in text.split(":", 1)]
        longer = max(parts, key=lambda p: len(p.split()))
        if len(longer.split()) >= 4:
            return shorten(longer, max_words)
    tokens = text.split()
    for end in range(max_words, 3, -1):
        before, after = tokens[end - 1], tokens[end].lower().strip("\"“”'‘’(")
        if before.endswith((",", ";")) or after in _CLAUSE_STARTERS:
            return " ".join(tokens[:end]).rstrip(",;—–-")
    return " ".join(tokens[:max_words]).rstrip(",;—–-")


@functools.lru_cache(maxsize=ARTICLE_CACHE_SIZE)  # scored again each time a story grows
def _title_penalty(title: str) -> float:
    penalty = LOADED_PENALTY * loadedness(title)
    if has_quotes(title):
        penalty += QUOTE_PENALTY
    if re.search(r"[?!]", title):
        penalty += QUESTION_PENALTY
    return penalty + LENGTH_PENALTY * max(0, len(words(title)) - USUAL_WORDS)


def _title_centralities(material: StoryMaterial, top_rows: Sequence[int]) -> Scores:
    """Each title's mean similarity to the other titles and the top sentences."""
    titles = range(material.title_row(0), material.vectors.shape[0])
    titled = np.array([bool(title) for title in material.titles], dtype=bool)
    to_titles = cosines(material.vectors, titles, titles)
    to_titles[:, ~titled] = 0.0
    np.fill_diagonal(to_titles, 0.0)
    totals = to_titles.sum(axis=1)
    for row in top_rows:
        top = dense_rows(material.vectors, range(row, row + 1))[0]
        totals += row_dots(material.vectors, titles, top)
    compared = titled.sum() - titled + len(top_rows)
    return np.divide(totals, compared, out=np.zeros(len(titled)), where=compared > 0)


def neutral_headline(
    material: StoryMaterial, ranked: Sequence[int], options: SummaryOptions
) -> str:
    """The headline for a story whose candidates rank as ``ranked`` (best first)."""
    centralities = _title_centralities(material, list(ranked[:_TOP_SENTENCES]))
    scored = [
        (float(centralities[a]) - _title_penalty(title), a)
        for a, title in enumerate(material.titles)
        if len(words(title)) >= 3
    ]
    if scored:
        _, best = max(scored)
        return shorten(material.titles[best], options.headline_max_words)
    if ranked:
        return shorten(material.candidates[ranked[0]].text, options.headline_max_words)
    return next((t for t in material.titles if t), "")
