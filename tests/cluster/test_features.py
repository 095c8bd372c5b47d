from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from ohliad.cluster.features import (
    ArticleEmbedder,
    content_terms,
    embedding_text,
    featurize,
    proper_noun_entities,
)
from ohliad.cluster.vector_cache import CachedEmbedder
from ohliad.models import Article
from ohliad.nlp.embedders import Vectors, get_embedder


def test_proper_nouns_are_names_not_sentence_starts() -> None:
    entities = proper_noun_entities(
        "Biden meets Zelensky in Kyiv",
        "Officials said Joe Biden arrived in Kyiv on Monday. The White House confirmed it.",
    )
    assert {"joe biden", "biden", "kyiv", "white house", "zelensky"} <= entities
    assert "officials" not in entities
    assert "monday" not in entities


def test_headline_case_titles_give_no_entities() -> None:
    entities = proper_noun_entities("Senate Passes Sweeping Farm Bill", "")
    assert entities == frozenset()


def test_content_terms_drop_stop_words_and_fold_plurals() -> None:
    terms = content_terms("The senators passed the bills, and the senator's bill")
    assert terms["senator"] == 2
    assert terms["bill"] == 2
    assert "the" not in terms


class CountingEmbedder:
    """The real embedder, recording how many texts reached it."""

    def __init__(self) -> None:
        self._inner = get_embedder("minilm")
        self.name = self._inner.name
        self.dim = self._inner.dim
        self.worth_caching = True
        self.embedded = 0

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.embedded += len(texts)
        return self._inner.embed(texts)


def test_cached_embedder_embeds_each_text_once(tmp_path: Path) -> None:
    texts = ["Fed raises rates", "Court rules on EPA", "Fed raises rates"]
    counting = CountingEmbedder()
    first = CachedEmbedder(counting, tmp_path / "v.sqlite").embed(texts)
    again = CachedEmbedder(counting, tmp_path / "v.sqlite").embed(texts)
    assert counting.embedded == 3
    np.testing.assert_allclose(first, again)
    np.testing.assert_allclose(first, counting.embed(texts), atol=1e-6)


def test_title_weight_pulls_the_vector_towards_the_title() -> None:
    embedder = get_embedder("minilm-static")
    story = Article(
        title="Earthquake strikes southern Turkey",
        text="Rescue teams worked through the night as aid agencies appealed for donations "
        "and officials counted damaged buildings across several provinces.",
    )
    [title] = embedder.embed([story.title])
    plain, weighted = (
        featurize(
            [story],
            ArticleEmbedder(embedder, embedder, weight),
            lead_chars=600,
            entity_extractor="proper-nouns",
        )[0].vector
        for weight in (0.0, 1.0)
    )
    assert plain.size == embedder.dim
    assert weighted.size == 2 * embedder.dim
    # The appended part is the title's own vector, so the similarity of two
    # articles becomes the weighted mean of their lead and title cosines.
    assert float(weighted[embedder.dim :] @ title) == pytest.approx(
        float(np.linalg.norm(weighted[embedder.dim :]))
    )
    assert abs(float(np.linalg.norm(weighted)) - 1.0) < 1e-5


def test_the_title_can_come_from_another_engine() -> None:
    static, minilm = get_embedder("minilm-static"), get_embedder("minilm")
    pair = [
        Article(title="Justices rein in environmental regulators", text="A divided court ruled."),
        Article(title="Supreme Court curbs EPA power", text="The agency lost its case."),
    ]
    hybrid = ArticleEmbedder(static, minilm, 1.0)
    vectors = featurize(pair, hybrid, lead_chars=600, entity_extractor="proper-nouns")
    assert hybrid.dim == static.dim + minilm.dim == vectors[0].vector.size
    lead = static.embed([embedding_text(a, 600) for a in pair])
    titles = minilm.embed([a.title for a in pair])
    expected = (float(lead[0] @ lead[1]) + float(titles[0] @ titles[1])) / 2
    assert float(vectors[0].vector @ vectors[1].vector) == pytest.approx(expected, abs=1e-5)
