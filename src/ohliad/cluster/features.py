"""What the clusterer knows about one article: an embedding, content terms,
named entities and a time.

Entities come from a cheap proper-noun tagger by default (runs of capitalised
words), because statistical NER on every article costs as much as the
embedding; ``entity_extractor = "spacy"`` in the config swaps in spaCy's NER.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from ohliad.models import Article
from ohliad.nlp.embedders import Embedder, Prefetcher, Vectors, normalise

_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Za-z]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(]?[A-Z])")
# Capitalised words that start sentences or name calendar units, never an entity.
_NOT_ENTITIES = STOP_WORDS | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "mr", "mrs", "ms", "dr", "sen",
    "rep", "gov", "pres", "gen", "said", "says", "new",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """One article as the clusterer sees it (vector is unit length)."""

    vector: Vectors
    terms: Counter[str]
    entities: frozenset[str]
    time: float | None  # POSIX seconds, None when the article has no date


def embedding_text(article: Article, lead_chars: int) -> str:
    """Title and lead: the part of a news article that names the event."""
    lead = article.text
    if len(lead) > lead_chars:
        lead = lead[:lead_chars].rsplit(" ", 1)[0] if lead_chars else ""
    return f"{article.title}. {lead}".strip(". ")


def content_terms(text: str) -> Counter[str]:
    """Lower-cased content words, light plural folding, stop words dropped."""
    terms: Counter[str] = Counter()
    for word in _WORD.findall(text):
        word = word.lower().replace("’", "'").removesuffix("'s").strip(".'-")
        if len(word) < 3 or word in STOP_WORDS:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        terms[word] += 1
    return terms


def _is_title_case(title: str) -> bool:
    # Headline style capitalises every word, so capitals there say nothing.
    words = [w for w in _WORD.findall(title) if w.lower() not in STOP_WORDS]
    return len(words) > 1 and all(w[0].isupper() for w in words)


def _capitalised_runs(sentence: str) -> list[tuple[int, list[str]]]:
    runs: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for position, word in enumerate(_WORD.findall(sentence)):
        if word[0].isupper():
            if not current:
                start = position
            current.append(word.strip(".'’"))
        elif current:
            runs.append((start, current))
            current = []
    if current:
        runs.append((start, current))
    return runs


def proper_noun_entities(title: str, text: str) -> frozenset[str]:
    """Runs of capitalised words ("Supreme Court", "Joe Biden", "NATO").

    A lone capitalised word at a sentence start counts only if it is also
    capitalised somewhere mid-sentence, so "Officials said" is not a name.
    Multi-word names also yield their last word ("Biden" from "Joe Biden").
    """
    sources = [text] if _is_title_case(title) else [title, text]
    sentences = [s for source in sources for s in _SENTENCE_END.split(source)]
    runs = [run for sentence in sentences for run in _capitalised_runs(sentence)]
    mid_sentence = {words[0].lower() for start, words in runs if start > 0}
    entities: set[str] = set()
    for start, words in runs:
        kept = [w for w in words if w.lower() not in _NOT_ENTITIES]
        if not kept:
            continue
        if start == 0 and len(kept) == 1 and kept[0].lower() not in mid_sentence:
            continue
        entities.add(" ".join(kept).lower())
        if len(kept) > 1:
            entities.add(kept[-1].lower())
    return frozenset(e for e in entities if len(e) > 1)


def spacy_entities(texts: Sequence[tuple[str, str]]) -> list[frozenset[str]]:
    """spaCy NER (people, places, organisations, events) on title + lead."""
    from ohliad.nlp.pipelines import english

    keep = {"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC", "LAW", "PRODUCT"}
    nlp = english()
    disabled = [name for name in nlp.pipe_names if name != "ner"]
    docs = nlp.pipe([f"{title}\n{lead}" for title, lead in texts], disable=disabled)
    return [
        frozenset(e.text.lower().removeprefix("the ") for e in doc.ents if e.label_ in keep)
        for doc in docs
    ]


EntityExtractor = Callable[[Sequence[tuple[str, str]]], list[frozenset[str]]]


def _proper_nouns_batch(texts: Sequence[tuple[str, str]]) -> list[frozenset[str]]:
    return [proper_noun_entities(title, lead) for title, lead in texts]


ENTITY_EXTRACTORS: dict[str, EntityExtractor] = {
    "proper-nouns": _proper_nouns_batch,
    "spacy": spacy_entities,
}


def _timestamp(published: datetime | None) -> float | None:
    return published.timestamp() if published is not None else None


@dataclass(frozen=True, slots=True)
class ArticleEmbedder:
    """How an article becomes one vector: its title and lead through ``text``,
    then, when ``title_weight`` is set, its title alone through ``title``,
    appended and scaled by the weight.

    The title names the event, and a long lead would otherwise drown its few
    words. Appending rather than adding lets the two parts come from different
    engines: static vectors are cheap enough for the lead, while a transformer
    on the title alone (a dozen word pieces) still catches paraphrased
    headlines. A dot product of two such unit vectors is the weighted mean of
    the two cosines.
    """

    text: Embedder
    title: Embedder
    title_weight: float = 0.0

    @property
    def dim(self) -> int:
        return self.text.dim + (self.title.dim if self.title_weight else 0)

    def prefetch(self, articles: Sequence[Article], lead_chars: int) -> None:
        """Start embedding these articles ahead of ``embed``, with the engines that can."""
        if isinstance(self.text, Prefetcher):
            self.text.prefetch([embedding_text(a, lead_chars) for a in articles])
        if self.title_weight and self.title is not self.text and isinstance(self.title, Prefetcher):
            self.title.prefetch([a.title for a in articles])

    def embed(self, articles: Sequence[Article], lead_chars: int) -> Vectors:
        texts = self.text.embed([embedding_text(a, lead_chars) for a in articles])
        if not self.title_weight:
            return texts
        return with_title(texts, self.title.embed([a.title for a in articles]), self.title_weight)


def with_title(texts: Vectors, titles: Vectors, title_weight: float) -> Vectors:
    """Title-and-lead vectors with the titles' own vectors appended, weighted."""
    return normalise(np.hstack([texts, title_weight * titles]))


def featurize(
    articles: Sequence[Article],
    embedder: ArticleEmbedder,
    *,
    lead_chars: int,
    entity_extractor: str,
) -> list[ArticleFeatures]:
    """Features for a batch; the embedders see all texts at once (they batch)."""
    vectors = embedder.embed(articles, lead_chars)
    try:
        extract = ENTITY_EXTRACTORS[entity_extractor]
    except KeyError:
        known = ", ".join(sorted(ENTITY_EXTRACTORS))
        raise ValueError(f"unknown entity extractor {entity_extractor!r}; known: {known}") from None
    entities = extract([(a.title, a.text[:lead_chars]) for a in articles])
    return [
        ArticleFeatures(
            vector=np.asarray(vector, dtype=np.float32),
            # The title names the event, so its words count twice.
            terms=content_terms(a.title) + content_terms(a.title) + content_terms(a.text),
            entities=found,
            time=_timestamp(a.published),
        )
        for a, vector, found in zip(articles, vectors, entities, strict=True)
    ]
