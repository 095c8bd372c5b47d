"""What a story offers a summarizer: its titles and candidate sentences, each
with the article it came from, and their TF-IDF vectors.

The watcher summarises a story again each time an article joins it, so what
depends on one article alone (its sentences, their compression, terms, names
and loaded words) is read once per article text and cached; only the TF-IDF
weights, which depend on the whole story, are computed per story.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

import numpy as np

from ohliad.models import Article, Story
from ohliad.nlp.sentences import split_sentences
from ohliad.summarize.compress import compress_sentence
from ohliad.summarize.entities import entities
from ohliad.summarize.loaded import loaded_words, loadedness, quoted_share
from ohliad.summarize.terms import (
    Scores,
    SparseRows,
    dense_rows,
    row_dots,
    terms,
    tfidf_matrix,
    words,
)

# Shorter sentences are mostly fragments, datelines and captions; longer ones
# are run-ons from text whose punctuation was lost.
MIN_SENTENCE_WORDS = 6
MAX_SENTENCE_WORDS = 70

_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,40}$")
_SURROUNDING_QUOTES = re.compile(r"^[\"“'‘](.*)[\"”'’]$")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A sentence that may go into the summary.

    ``text`` is the sentence as the summary would print it (compressed when
    compression is on), ``original`` as the article wrote it; ``article`` is
    its article's index in ``story.articles`` and ``position`` its index among
    that article's sentences. The rest is read from the text once, for scoring:
    ``terms``, ``entities``, ``loaded_words`` and ``word_count`` of ``text``,
    ``original_terms``, ``loadedness`` and ``quoted_share`` of ``original``.
    """

    text: str
    original: str
    article: int
    position: int
    terms: tuple[str, ...]
    original_terms: tuple[str, ...]
    entities: frozenset[str]
    loaded_words: int
    word_count: int
    loadedness: float
    quoted_share: float


@dataclass(frozen=True, slots=True)
class Title:
    """An article's cleaned title with its terms and names."""

    text: str
    terms: tuple[str, ...]
    entities: frozenset[str]


@dataclass(frozen=True, eq=False)
class StoryMaterial:
    """Titles and candidates of one story, with one TF-IDF row per candidate
    followed by one row per title (``title_row(i)``). Candidates come article
    by article, in the story's order."""

    title_readings: tuple[Title, ...]
    candidates: tuple[Candidate, ...]
    vectors: SparseRows

    @functools.cached_property
    def titles(self) -> tuple[str, ...]:
        return tuple(t.text for t in self.title_readings)

    @property
    def article_count(self) -> int:
        return len(self.title_readings)

    def title_row(self, article: int) -> int:
        return len(self.candidates) + article

    @functools.cached_property
    def candidate_rows(self) -> tuple[list[int], ...]:
        """Rows of each article's sentences, by article."""
        rows: tuple[list[int], ...] = tuple([] for _ in range(self.article_count))
        for i, candidate in enumerate(self.candidates):
            rows[candidate.article].append(i)
        return rows

    @functools.cached_property
    def articles(self) -> np.ndarray:
        """Each candidate's article index."""
        return np.array([c.article for c in self.candidates], dtype=np.int64)

    def rows_of_article(self, article: int) -> list[int]:
        """Rows of the article's sentences and, if it has one, its title."""
        rows = list(self.candidate_rows[article])
        if self.title_readings[article].text:
            rows.append(self.title_row(article))
        return rows

    def similarities_to(self, row: int) -> Scores:
        """Each candidate's cosine similarity to row ``row`` of ``vectors``."""
        row_vector = dense_rows(self.vectors, range(row, row + 1))[0]
        return row_dots(self.vectors, range(len(self.candidates)), row_vector)


def clean_title(title: str) -> str:
    """The title without a trailing " | Outlet", surrounding quotes or full stop."""
    title = " ".join(title.split())
    title = _SITE_SUFFIX.sub("", title).rstrip(" .")
    quoted = _SURROUNDING_QUOTES.match(title)
    if quoted:
        title = quoted.group(1)
    return title.rstrip(" .")


_SENTENCE_END = re.compile(r"[.!][\"”'’)]*$")


_BULLET = re.compile(r"^(?:[-–—•*]+|\d+[.)])\s+")


def _article_sentences(text: str) -> list[str]:
    """Sentences with list bullets removed."""
    return [_BULLET.sub("", s) for s in split_sentences(text)]


def _usable(sentence: str) -> bool:
    """A statement of reasonable length that ends like one: questions, fragments
    and a last sentence cut off by an excerpt are not summary material."""
    count = len(words(sentence))
    return MIN_SENTENCE_WORDS <= count <= MAX_SENTENCE_WORDS and bool(
        _SENTENCE_END.search(sentence)
    )


def _candidate(shown: str, original: str, position: int) -> Candidate:
    own_terms = tuple(terms(shown))
    return Candidate(
        text=shown,
        original=original,
        article=0,
        position=position,
        terms=own_terms,
        original_terms=own_terms if shown == original else tuple(terms(original)),
        entities=frozenset(entities(shown)),
        loaded_words=len(loaded_words(shown)),
        word_count=len(words(shown)),
        loadedness=loadedness(original),
        quoted_share=quoted_share(original),
    )


# Articles read, by their text: a story is summarised again each time it grows,
# and its older articles read the same. Bounded like the comparison's claim cache.
ARTICLE_CACHE_SIZE = 4096


@functools.lru_cache(maxsize=ARTICLE_CACHE_SIZE)
def article_candidates(text: str, compress: bool) -> tuple[Candidate, ...]:
    """The article's usable sentences, as candidates of article 0."""
    out = []
    for position, sentence in enumerate(_article_sentences(text)):
        if not _usable(sentence):
            continue
        shown = compress_sentence(sentence) if compress else sentence
        out.append(_candidate(shown, sentence, position))
    return tuple(out)


@functools.lru_cache(maxsize=ARTICLE_CACHE_SIZE)
def article_candidates_at(text: str, compress: bool, index: int) -> tuple[Candidate, ...]:
    """The article's candidates as article ``index`` of its story: a growing
    story keeps its articles' places, and copying every candidate of a large
    story each time cost more than its similarities."""
    read = article_candidates(text, compress)
    return read if index == 0 else tuple(replace(c, article=index) for c in read)


@functools.lru_cache(maxsize=ARTICLE_CACHE_SIZE)
def read_title(title: str) -> Title:
    cleaned = clean_title(title)
    return Title(cleaned, tuple(terms(cleaned)), frozenset(entities(cleaned)))


_NO_TITLE = Title("", (), frozenset())


def _without_repeats(candidates: list[Candidate]) -> list[Candidate]:
    """Drop sentences whose terms repeat an earlier candidate's exactly (pull
    quotes, a wire sentence two outlets share)."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for candidate in candidates:
        if candidate.original_terms not in seen:
            seen.add(candidate.original_terms)
            out.append(candidate)
    return out


def _in_english(article: Article) -> bool:
    return article.language is None or article.language.lower().startswith("en")


def _summarized_articles(story: Story) -> list[bool]:
    """Which articles the summary draws on: articles marked as being in another
    language sit out while any English one is there, since the summary is
    English and the Ukrainian one is built from it."""
    english_only = any(_in_english(a) for a in story.articles)
    return [not english_only or _in_english(a) for a in story.articles]


def story_words(story: Story) -> int:
    """How many words the articles a summary draws on have in all (what
    ``SummaryOptions.max_share`` is a share of)."""
    return sum(
        word_count(article.text or "")
        for article, use in zip(story.articles, _summarized_articles(story), strict=True)
        if use
    )


@functools.lru_cache(maxsize=ARTICLE_CACHE_SIZE)
def word_count(text: str) -> int:
    return len(words(text))


def story_material(story: Story, compress: bool = True) -> StoryMaterial:
    """The story's titles and candidates; articles the summary does not draw
    on keep their place with an empty title and no sentences."""
    usable = _summarized_articles(story)
    titles = tuple(
        read_title(a.title or "") if use else _NO_TITLE
        for a, use in zip(story.articles, usable, strict=True)
    )
    found: list[Candidate] = []
    for index, (article, use) in enumerate(zip(story.articles, usable, strict=True)):
        if use:
            found.extend(article_candidates_at(article.text or "", compress, index))
    candidates = tuple(_without_repeats(found))
    bags = [c.terms for c in candidates] + [t.terms for t in titles]
    vectors = tfidf_matrix(bags)
    return StoryMaterial(titles, candidates, vectors)
