"""The summarizer's sparse TF-IDF arithmetic against the dense formulas it
replaced, on a story of many articles (large enough for the sparse products and
for several blocks of candidates)."""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
import pytest

from ohliad.models import Article, Story
from ohliad.summarize import SummaryOptions, extractive, summarize_story, terms
from ohliad.summarize.headline import _title_centralities
from ohliad.summarize.material import StoryMaterial, story_material

FACTS = (
    (
        "The river Orsa flooded {n} homes in Kelvale on Monday night",
        "Floodwater from the Orsa reached {n} houses across Kelvale overnight on Monday",
    ),
    (
        "Mayor Dara Quill declared a state of emergency for the whole district",
        "A district-wide emergency was declared by Kelvale mayor Dara Quill",
    ),
    (
        "Rescue crews evacuated {n} residents from the lower town by boat",
        "Boats carried {n} people out of the flooded lower town",
    ),
    (
        "The regional weather office recorded {n} millimetres of rain in two days",
        "Forecasters measured {n} millimetres of rainfall over the weekend",
    ),
    (
        "Two bridges over the Orsa were closed after inspectors found cracks",
        "Inspectors shut both Orsa bridges when cracks appeared in the piers",
    ),
    (
        "The national railway suspended trains between Kelvale and Drommen",
        "Rail services linking Kelvale with Drommen were halted",
    ),
    (
        "Schools in the district will stay closed until Thursday",
        "Kelvale's schools remain shut until at least Thursday",
    ),
    (
        "Insurers estimate the damage at {n} million crowns",
        "Early insurance estimates put losses near {n} million crowns",
    ),
)
ATTRIBUTIONS = ("", ", officials said", ", the council said", ", according to local radio")
TITLES = (
    "Orsa floods Kelvale as mayor declares emergency",
    "Kelvale under water after record rain",
    "Emergency in Kelvale: {n} homes flooded",
    "Boats evacuate Kelvale residents as Orsa rises",
)
COLOUR = ("heron", "lantern", "orchard", "violin", "granary", "ferryman", "chapel", "kiln")


def _many_article_story(article_count: int, seed: int = 7) -> Story:
    draw = random.Random(seed)
    articles = []
    for number in range(article_count):
        sentences = []
        for wordings in draw.sample(FACTS, 5):
            sentence = draw.choice(wordings).format(n=draw.choice((120, 340, 85, 12, 60)))
            sentences.append(sentence + draw.choice(ATTRIBUTIONS) + ".")
        colour = " ".join(draw.sample(COLOUR, 3))
        sentences.append(f"A reporter in Kelvale saw the {colour} near the old market square.")
        title = draw.choice(TITLES).format(n=draw.choice((120, 340)))
        articles.append(Article(id=number + 1, title=title, text=" ".join(sentences)))
    return Story(id="kelvale", articles=tuple(articles))


def _dense_tfidf(bags: Sequence[Sequence[str]]) -> np.ndarray:
    vocabulary: dict[str, int] = {}
    columns = [vocabulary.setdefault(term, len(vocabulary)) for bag in bags for term in bag]
    rows = np.repeat(np.arange(len(bags)), [len(bag) for bag in bags])
    matrix = np.zeros((len(bags), max(len(vocabulary), 1)))
    np.add.at(matrix, (rows, np.array(columns, dtype=np.int64)), 1.0)
    np.log1p(matrix, out=matrix)
    matrix *= np.log((len(bags) + 1) / ((matrix > 0).sum(axis=0) + 1)) + 1.0
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def _dense_support(material: StoryMaterial, vectors: np.ndarray) -> np.ndarray:
    n = len(material.candidates)
    totals, others = np.zeros(n), np.zeros(n)
    for article in range(material.article_count):
        rows = material.rows_of_article(article)
        if rows:
            best = (vectors[:n] @ vectors[rows].T).max(axis=1)
            outside = material.articles != article
            totals += np.where(outside, best, 0.0)
            others += outside
    return np.divide(totals, others, out=np.zeros(n), where=others > 0)


def _dense_title_centrality(
    material: StoryMaterial, vectors: np.ndarray, top: list[int]
) -> list[float]:
    out = []
    for article in range(material.article_count):
        others = [
            material.title_row(a) for a, t in enumerate(material.titles) if a != article and t
        ]
        compared = others + top
        out.append(float(np.mean(vectors[compared] @ vectors[material.title_row(article)])))
    return out


@pytest.fixture(scope="module")
def material() -> StoryMaterial:
    return story_material(_many_article_story(60))


@pytest.fixture(params=["sparse products in small blocks", "as configured"])
def arithmetic(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.param.startswith("sparse"):
        monkeypatch.setattr(terms, "_DENSE_PRODUCT_LIMIT", 0)
        monkeypatch.setattr(extractive, "_SIMILARITY_BLOCK_ENTRIES", 5000)


def test_the_story_is_large_enough_for_the_sparse_path(material: StoryMaterial) -> None:
    rows, width = material.vectors.shape
    assert len(material.candidates) * rows * width > terms._DENSE_PRODUCT_LIMIT
    assert len(material.candidates) > 5000 // rows  # several blocks when they are small


def test_tfidf_rows_match_the_dense_formula(material: StoryMaterial) -> None:
    bags = [c.terms for c in material.candidates] + [t.terms for t in material.title_readings]
    np.testing.assert_allclose(material.vectors.toarray(), _dense_tfidf(bags), rtol=1e-12)


@pytest.mark.usefixtures("arithmetic")
def test_scores_and_sources_match_the_dense_formulas(material: StoryMaterial) -> None:
    dense = material.vectors.toarray()
    n = len(material.candidates)
    support = extractive.support_scores(material)
    np.testing.assert_allclose(support, _dense_support(material, dense), rtol=1e-12)
    assert support.min() > 0.0  # every fact is told by other articles too
    weights = np.ones(len(dense))
    weights[n:] = 2.0
    centroid = weights @ dense
    expected_centrality = dense[:n] @ (centroid / np.linalg.norm(centroid))
    np.testing.assert_allclose(
        extractive.centrality_scores(material, 2.0), expected_centrality, rtol=1e-12
    )
    for index in range(n):
        similar = dense[:n] @ dense[index]
        expected = {material.candidates[index].article} | {
            a
            for a, rows in enumerate(material.candidate_rows)
            if rows and similar[rows].max() >= 0.4
        }
        assert extractive.sentence_sources(material, index, 0.4) == sorted(expected)
    top = [0, 7, 21]
    np.testing.assert_allclose(
        _title_centralities(material, top),
        _dense_title_centrality(material, dense, top),
        rtol=1e-12,
    )


def test_the_summary_is_the_same_with_sparse_and_dense_products(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    story = _many_article_story(60)
    options = SummaryOptions(max_sentences=5, max_words=120)
    monkeypatch.setattr(terms, "_DENSE_PRODUCT_LIMIT", 10**12)
    dense = summarize_story(story, options)
    monkeypatch.setattr(terms, "_DENSE_PRODUCT_LIMIT", 0)
    monkeypatch.setattr(extractive, "_SIMILARITY_BLOCK_ENTRIES", 5000)
    sparse = summarize_story(story, options)
    assert sparse == dense
    assert len(sparse.sentences) >= 3
    # Facts every article tells are credited to many of them.
    assert max(len(s.sources) for s in sparse.sentences) >= 10


def test_stories_with_no_rows_to_compare_are_summarised() -> None:
    assert summarize_story(Story(id="empty", articles=())).headline == ""
    title_only = Story(
        id="title", articles=(Article(id=1, title="Ferry runs aground near Velmora", text=""),)
    )
    assert summarize_story(title_only).headline == "Ferry runs aground near Velmora"
    sentence = "The ferry ran aground near the harbour of Velmora on Tuesday morning."
    untitled = Story(
        id="untitled",
        articles=(Article(id=1, title="", text=sentence), Article(id=2, title="Aground", text="")),
    )
    summary = summarize_story(untitled)
    assert [s.text for s in summary.sentences] == [sentence]
    assert summary.sentences[0].sources == (1,)
    assert summary.headline == sentence.rstrip(".")
