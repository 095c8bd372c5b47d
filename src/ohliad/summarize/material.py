"""What a story offers a summarizer: its titles and candidate sentences, each
with the article it came from, and their TF-IDF vectors."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ohliad.models import Article, Story
from ohliad.nlp.sentences import split_sentences
from ohliad.summarize.compress import compress_sentence
from ohliad.summarize.terms import Matrix, terms, tfidf_matrix, words

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
    that article's sentences.
    """

    text: str
    original: str
    article: int
    position: int

    @property
    def word_count(self) -> int:
        return len(words(self.text))


@dataclass(frozen=True, eq=False)
class StoryMaterial:
    """Titles and candidates of one story, with one TF-IDF row per candidate
    followed by one row per title (``title_row(i)``)."""

    titles: tuple[str, ...]
    candidates: tuple[Candidate, ...]
    vectors: Matrix

    @property
    def article_count(self) -> int:
        return len(self.titles)

    def title_row(self, article: int) -> int:
        return len(self.candidates) + article

    def rows_of_article(self, article: int) -> list[int]:
        """Rows of the article's sentences and, if it has one, its title."""
        rows = [i for i, c in enumerate(self.candidates) if c.article == article]
        if self.titles[article]:
            rows.append(self.title_row(article))
        return rows


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


def _article_candidates(text: str, article: int, compress: bool) -> list[Candidate]:
    out = []
    for position, sentence in enumerate(_article_sentences(text)):
        if not _usable(sentence):
            continue
        shown = compress_sentence(sentence) if compress else sentence
        out.append(Candidate(shown, sentence, article, position))
    return out


def _without_repeats(candidates: list[Candidate]) -> list[Candidate]:
    """Drop sentences whose terms repeat an earlier candidate's exactly (pull
    quotes, a wire sentence two outlets share)."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for candidate in candidates:
        key = tuple(terms(candidate.original))
        if key not in seen:
            seen.add(key)
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
        len(words(article.text or ""))
        for article, use in zip(story.articles, _summarized_articles(story), strict=True)
        if use
    )


def story_material(story: Story, compress: bool = True) -> StoryMaterial:
    """The story's titles and candidates; articles the summary does not draw
    on keep their place with an empty title and no sentences."""
    usable = _summarized_articles(story)
    titles = tuple(
        clean_title(a.title or "") if use else ""
        for a, use in zip(story.articles, usable, strict=True)
    )
    found: list[Candidate] = []
    for index, (article, use) in enumerate(zip(story.articles, usable, strict=True)):
        if use:
            found.extend(_article_candidates(article.text or "", index, compress))
    candidates = tuple(_without_repeats(found))
    texts = [c.text for c in candidates] + list(titles)
    vectors = tfidf_matrix(texts) if texts else np.zeros((0, 1))
    return StoryMaterial(titles, candidates, vectors)
