"""Where models that ohliad derives from bundled ones are cached.

Derived models (the static table distilled from MiniLM, MiniLM quantised to
int8) are built once on the user's machine from installed packages and kept
under the user cache directory, one folder per recipe and source files, so a
new recipe or a new model package builds afresh.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ohliad.settings import model_cache_root


def model_cache_dir(kind: str) -> Path:
    """The cache folder for one kind of derived model (``OHLIAD_MODEL_DIR`` overrides the root)."""
    return model_cache_root() / "models" / kind


def fingerprint(recipe: str, *sources: Path) -> str:
    """A short name for a recipe applied to these source files."""
    digest = hashlib.blake2b(recipe.encode(), digest_size=8)
    for path in sources:
        digest.update(f"{path.name}:{path.stat().st_size}".encode())
    return digest.hexdigest()


def build_folder(target: Path, build: Callable[[Path], None]) -> Path:
    """Run ``build`` into a fresh staging folder and move it to ``target`` whole.

    A build killed half-way leaves no ``target`` behind, only a staging folder
    that is removed; when two processes build at once, the first to finish wins
    and the other's identical result is dropped.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        build(staging)
        try:
            staging.rename(target)
        except OSError:
            if not target.is_dir():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
