"""MiniLM with int8 matrix products, built once from the bundled model.

The bundled ONNX stores its weights as int8 only to be small: at load they are
cast back to float32 and every product runs in float32. Dynamic quantisation
(``onnxruntime.quantization.quantize_dynamic``) makes the products themselves
int8: weights per output channel, activations per batch at run time. On
AllSides titles in batches of 4 this took MiniLM from 7.7 to 4.7 CPU ms per
title, with a mean cosine of 0.992 (lowest 0.984) to the float model's
vectors. Per-tensor weights were as fast but drifted further (0.964).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from ohliad.nlp.model_cache import build_folder, fingerprint, model_cache_dir

logger = logging.getLogger(__name__)

# Bump when the recipe changes, so cached models are rebuilt.
RECIPE = "ort-basic-fold/dynamic-qint8-per-channel/v1"
MODEL_NAME = "model.onnx"


def build_quantized_model(model_file: Path, target: Path) -> Path:
    """Quantise ``model_file`` into the folder ``target`` (atomically)."""
    import onnxruntime
    from onnxruntime.quantization import QuantType, quantize_dynamic

    logger.warning("quantising MiniLM to int8 into %s (once; a few seconds)", target)

    def build(folder: Path) -> None:
        # The quantiser only rewrites products whose weights are constants, so
        # the int8 -> float32 casts of the stored weights are folded first.
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.optimized_model_filepath = str(folder / "folded.onnx")
        onnxruntime.InferenceSession(str(model_file), options, providers=["CPUExecutionProvider"])
        quantize_dynamic(
            folder / "folded.onnx",
            folder / MODEL_NAME,
            per_channel=True,
            weight_type=QuantType.QInt8,
        )
        (folder / "folded.onnx").unlink()
        (folder / "ohliad.json").write_text(json.dumps({"recipe": RECIPE}))

    return build_folder(target, build)


def quantized_model_file(model_file: Path, root: Path | None = None) -> Path:
    """The cached int8 model for this model file, built if missing."""
    target = (root or model_cache_dir("minilm-q8")) / fingerprint(RECIPE, model_file)
    if not (target / "ohliad.json").is_file():
        build_quantized_model(model_file, target)
    return target / MODEL_NAME
