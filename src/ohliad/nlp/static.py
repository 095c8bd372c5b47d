"""Static token embeddings distilled from the bundled MiniLM (the Model2Vec method).

Every word piece of MiniLM's vocabulary is run through the model on its own
(``[CLS] piece [SEP]``) and its output is mean-pooled; the table is reduced to
256 dimensions by PCA and each row is weighted by SIF with Zipf-estimated
frequencies. A text's vector is then the mean of its pieces' rows: no
transformer runs per article, which makes embedding about a hundred times
cheaper than MiniLM itself, for somewhat weaker vectors.

The table is saved in Model2Vec's format and loaded with the ``model2vec``
package, so any Model2Vec model a user has on disk (a ``potion`` model, say)
can stand in through the ``model2vec`` embedder. We distil ourselves because
``model2vec.distill`` needs torch and transformers; the recipe and defaults
follow its ``distill_from_model`` (mean pooling, ``pca_dims=256``,
``sif_coefficient=1e-4``).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ohliad.nlp.model_cache import build_folder, fingerprint, model_cache_dir

logger = logging.getLogger(__name__)

# Bump when the recipe changes, so cached tables are rebuilt.
RECIPE = "mean-pool/pca256/sif1e-4/v1"
PCA_DIMS = 256
SIF_COEFFICIENT = 1e-4
_BATCH = 1024


def token_outputs(model_file: Path, tokenizer_file: Path) -> npt.NDArray[np.float32]:
    """MiniLM's mean-pooled output for each vocabulary piece on its own."""
    import onnxruntime
    from tokenizers import Tokenizer

    vocabulary = Tokenizer.from_file(str(tokenizer_file)).get_vocab()
    size = max(vocabulary.values()) + 1
    session = onnxruntime.InferenceSession(str(model_file), providers=["CPUExecutionProvider"])
    inputs = {i.name for i in session.get_inputs()}
    ids = np.empty((size, 3), dtype=np.int64)
    ids[:, 0], ids[:, 1], ids[:, 2] = vocabulary["[CLS]"], np.arange(size), vocabulary["[SEP]"]
    table = np.zeros((size, 384), dtype=np.float32)
    for start in range(0, size, _BATCH):
        batch = ids[start : start + _BATCH]
        feeds = {"input_ids": batch, "attention_mask": np.ones_like(batch)}
        if "token_type_ids" in inputs:
            feeds["token_type_ids"] = np.zeros_like(batch)
        table[start : start + _BATCH] = session.run(None, feeds)[0].mean(axis=1)
    return table


def reduce_and_weight(
    table: npt.NDArray[np.float32], dims: int = PCA_DIMS, sif: float = SIF_COEFFICIENT
) -> npt.NDArray[np.float32]:
    """PCA to ``dims`` components, then SIF weights ``sif / (sif + p(rank))``.

    Word-piece ids are in rough frequency order, so the id stands in for the
    Zipf rank, as Model2Vec does.
    """
    centred = table.astype(np.float64) - table.mean(axis=0)
    covariance = centred.T @ centred / (len(centred) - 1)
    _, vectors = np.linalg.eigh(covariance)
    components = vectors[:, ::-1][:, :dims]
    reduced = centred @ components
    # Fix each component's sign (eigh's is arbitrary) so rebuilds agree.
    signs = np.sign(reduced[np.abs(reduced).argmax(axis=0), np.arange(reduced.shape[1])])
    reduced *= signs
    inverse_rank = 1.0 / np.arange(2, len(reduced) + 2)
    probability = inverse_rank / inverse_rank.sum()
    reduced *= (sif / (sif + probability))[:, None]
    return reduced.astype(np.float32)


def build_static_model(model_file: Path, tokenizer_file: Path, target: Path) -> Path:
    """Distil MiniLM into a Model2Vec folder at ``target`` (atomically)."""
    from model2vec import StaticModel
    from tokenizers import Tokenizer

    logger.warning("building static embeddings from MiniLM into %s (once; about a minute)", target)
    vectors = reduce_and_weight(token_outputs(model_file, tokenizer_file))
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    model = StaticModel(
        vectors,
        tokenizer,
        config={"recipe": RECIPE, "normalize": True, "hidden_dim": int(vectors.shape[1])},
        normalize=True,
        base_model_name="sentence-transformers/all-MiniLM-L6-v2 (int8 ONNX)",
    )

    def save(folder: Path) -> None:
        model.save_pretrained(folder)
        (folder / "ohliad.json").write_text(json.dumps({"recipe": RECIPE}))

    return build_folder(target, save)


def distilled_model_dir(model_file: Path, tokenizer_file: Path, root: Path | None = None) -> Path:
    """The cached distilled table for these model files, built if missing."""
    root = root or model_cache_dir("minilm-static")
    target = root / fingerprint(RECIPE, model_file, tokenizer_file)
    if not (target / "ohliad.json").is_file():
        build_static_model(model_file, tokenizer_file, target)
    return target
