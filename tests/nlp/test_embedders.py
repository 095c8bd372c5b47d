"""The sentence embedders: the distilled static model and the int8 MiniLM
against real MiniLM files."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from ohliad.nlp.embedders import (
    Embedder,
    EmbedderUnavailableError,
    PrefetchingEmbedder,
    Vectors,
    embedders,
    get_embedder,
    minilm_files,
    thread_budget,
)
from ohliad.nlp.quantized import quantized_model_file
from ohliad.nlp.static import distilled_model_dir, reduce_and_weight
from ohliad.registry import UnknownComponentError

SAME_EVENT = (
    "Supreme Court sides with police officers in qualified immunity cases",
    "Justices rule officers accused of excessive force are shielded from lawsuits",
)
OTHER_EVENT = "Federal Reserve raises interest rates to fight inflation"


def test_static_embedder_puts_one_event_closer_than_another() -> None:
    embedder = get_embedder("minilm-static")
    vectors = embedder.embed([*SAME_EVENT, OTHER_EVENT])
    assert vectors.shape == (3, embedder.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    same, other = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert same > other + 0.2
    assert not embedder.worth_caching


def test_minilm_vectors_do_not_depend_on_how_texts_are_batched() -> None:
    # Batches run in parallel and are cut after sorting by length; each text
    # must still get its own vector, in its own row.
    texts = [*SAME_EVENT, OTHER_EVENT, "Fed", "A much longer text " * 12]
    embedder = get_embedder("minilm")
    together = embedder.embed(texts)
    alone = np.vstack([embedder.embed([text]) for text in texts])
    assert together.shape == (len(texts), embedder.dim)
    assert np.allclose(together, alone, atol=1e-5)
    assert float(together[0] @ together[1]) > float(together[0] @ together[2]) + 0.2


def test_int8_minilm_stays_close_to_minilm_and_keeps_events_apart() -> None:
    texts = [*SAME_EVENT, OTHER_EVENT, "Fed", "A much longer text " * 12]
    quantized = get_embedder("minilm-q8")
    vectors = quantized.embed(texts)
    assert quantized.name == "minilm-q8" and quantized.dim == 384
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Activations are quantised per batch, so a text's vector may move a
    # little with its batch-mates, but not away from the float model's.
    agreement = np.sum(vectors * get_embedder("minilm").embed(texts), axis=1)
    assert agreement.min() > 0.97
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2]) + 0.2


def test_int8_minilm_is_built_once_into_its_cache_folder(tmp_path: Path) -> None:
    model = minilm_files()[0]
    built = quantized_model_file(model, root=tmp_path)
    assert built.is_file() and built.stat().st_size < model.stat().st_size * 1.5
    # Nothing but the finished folder is left behind.
    assert [p.name for p in tmp_path.iterdir()] == [built.parent.name]
    stamp = built.stat().st_mtime_ns
    assert quantized_model_file(model, root=tmp_path) == built
    assert built.stat().st_mtime_ns == stamp


class _Recording:
    """The real MiniLM, noting which texts it is asked to embed."""

    def __init__(self, embedder: Embedder) -> None:
        self.name, self.dim, self.worth_caching = embedder.name, embedder.dim, True
        self._embedder = embedder
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.calls.append(list(texts))
        return self._embedder.embed(texts)


def test_prefetched_texts_are_not_embedded_again() -> None:
    minilm = get_embedder("minilm")
    recording = _Recording(minilm)
    embedder = PrefetchingEmbedder(recording)
    embedder.prefetch([SAME_EVENT[0], OTHER_EVENT, SAME_EVENT[0]])
    texts = [OTHER_EVENT, SAME_EVENT[1], SAME_EVENT[0], OTHER_EVENT]
    vectors = embedder.embed(texts)
    assert recording.calls == [[SAME_EVENT[0], OTHER_EVENT], [SAME_EVENT[1]]]
    assert np.allclose(vectors, minilm.embed(texts), atol=1e-5)
    # Taken once: the next call embeds them afresh.
    embedder.embed([OTHER_EVENT])
    assert recording.calls[-1] == [OTHER_EVENT]


def test_prefetched_texts_beyond_the_bound_are_dropped_oldest_first() -> None:
    recording = _Recording(get_embedder("minilm"))
    embedder = PrefetchingEmbedder(recording, max_ahead=2)
    embedder.prefetch(["Kyiv", "Lviv", "Odesa"])
    embedder.embed(["Kyiv", "Lviv", "Odesa"])
    assert recording.calls == [["Kyiv", "Lviv", "Odesa"], ["Kyiv"]]


def test_static_embedder_handles_no_texts_and_empty_text() -> None:
    embedder = get_embedder("minilm-static")
    assert embedder.embed([]).shape == (0, embedder.dim)
    vectors = embedder.embed(["", "Kyiv"])
    assert np.isfinite(vectors).all()


def test_model2vec_engine_loads_a_model_folder_by_path() -> None:
    built = get_embedder("minilm-static")
    folder = distilled_model_dir(*minilm_files())
    loaded = get_embedder(f"model2vec:{folder}")
    assert loaded.dim == built.dim
    assert np.allclose(loaded.embed(list(SAME_EVENT)), built.embed(list(SAME_EVENT)), atol=1e-6)


def test_model2vec_engine_names_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(EmbedderUnavailableError, match="no Model2Vec model in"):
        embedders.create("model2vec", path=str(tmp_path / "nowhere"))


def test_unknown_engine_lists_the_known_ones() -> None:
    with pytest.raises(UnknownComponentError, match="minilm-static"):
        embedders.create("word2vec")


def test_reduce_and_weight_keeps_shape_signs_and_downweights_frequent_pieces() -> None:
    rng = np.random.default_rng(7)
    table = rng.normal(size=(500, 32)).astype(np.float32)
    reduced = reduce_and_weight(table, dims=8)
    assert reduced.shape == (500, 8)
    # Deterministic: a rebuild gives the same table, signs included.
    assert np.array_equal(reduced, reduce_and_weight(table.copy(), dims=8))
    # SIF: the first (most frequent) pieces are scaled down the most.
    unweighted = reduce_and_weight(table, dims=8, sif=1.0)
    ratio = np.linalg.norm(reduced, axis=1) / np.linalg.norm(unweighted, axis=1)
    assert ratio[0] < ratio[-1]
    assert np.all(np.diff(ratio) >= -1e-6)


@pytest.mark.parametrize(
    ("omp_threads", "expected"), [("1", 1), ("3", 3), (None, None), ("0", None), ("two", None)]
)
def test_an_embedder_runs_on_the_threads_omp_num_threads_gives(
    monkeypatch: pytest.MonkeyPatch, omp_threads: str | None, expected: int | None
) -> None:
    # Ray sets OMP_NUM_THREADS to an actor's CPUs; unset or unusable, the machine's cores.
    if omp_threads is None:
        monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    else:
        monkeypatch.setenv("OMP_NUM_THREADS", omp_threads)
    cores = os.cpu_count() or 1
    assert thread_budget() == (cores if expected is None else expected)
