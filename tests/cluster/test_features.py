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
    headline_text,
    numbers_mentioned,
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


def test_the_title_can_come_from_another_engine() -> None:
    static, minilm = get_embedder("minilm-static"), get_embedder("minilm")
    pair = [
        Article(title="Justices rein in environmental regulators", text="A divided court ruled."),
        Article(title="Supreme Court curbs EPA power", text="The agency lost its case."),
    ]
    hybrid = ArticleEmbedder(static, minilm)
    features = featurize(pair, hybrid, lead_chars=600, entity_extractor="proper-nouns")
    assert hybrid.dim == static.dim + minilm.dim == features[0].vector.size
    lead = static.embed([embedding_text(a, 600) for a in pair])
    titles = minilm.embed([headline_text(a) for a in pair])
    np.testing.assert_allclose(features[0].lead, lead[0], atol=1e-6)
    np.testing.assert_allclose(features[1].title, titles[1], atol=1e-6)
    # The candidate-search vector is unit length, its inner product the mean of both cosines.
    expected = (float(lead[0] @ lead[1]) + float(titles[0] @ titles[1])) / 2
    assert float(features[0].vector @ features[1].vector) == pytest.approx(expected, abs=1e-5)
    assert float(np.linalg.norm(features[0].vector)) == pytest.approx(1.0, abs=1e-5)


def test_the_headline_is_the_title_and_the_first_sentence() -> None:
    article = Article(
        title="Jobless claims fall to 473,000",
        text="Initial claims fell by 74,000 last week. Economists had expected 540,000.",
    )
    assert headline_text(article) == (
        "Jobless claims fall to 473,000. Initial claims fell by 74,000 last week"
    )
    assert headline_text(Article(title="Fed raises rates", text="")) == "Fed raises rates"


def test_numbers_and_days_of_the_month_are_kept_one_digit_numbers_not() -> None:
    numbers = numbers_mentioned(
        "Jobless claims fell 34,000 to 444,000 in the week to May 13, and 4.2% more "
        "people found work; 3 states reported on Sept. 2."
    )
    assert numbers == {"34000", "444000", "13", "4.2%", "may 13", "sep 2"}


def test_weekdays_are_kept_with_the_numbers() -> None:
    numbers = numbers_mentioned("The Taliban took Kandahar on Friday, and Herat by Saturday night.")
    assert numbers == {"friday", "saturday"}
    assert numbers_mentioned("The monday meeting was moved.") == frozenset()
