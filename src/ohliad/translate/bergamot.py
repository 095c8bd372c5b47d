"""The ``bergamot`` engine: Firefox Translations models (Marian, int8, built
for the CPU) through the ``fxtranslate`` binding.

The en→uk model is either a folder the user points to, or downloaded once
from Mozilla's public model service into a cache folder: each file's
SHA-256 is checked against the published hash, files land under their final
name only when complete, and a manifest written last records their hashes,
so a partial or corrupt folder is caught on load with a message naming the
file and how to get it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import platformdirs

from ohliad.translate.engine import (
    Segment,
    TranslationEngineError,
    TranslatorUnavailableError,
)
from ohliad.translate.options import TranslateOptions

PAIR = ("en", "uk")
MANIFEST = "manifest.json"
MODELS_PAGE = "https://mozilla.github.io/translations/firefox-models/"
ATTACHMENTS_BASE = "https://firefox-settings-attachments.cdn.mozilla.net/"
# A model file is ~40 MB; refuse anything absurd rather than fill the disk.
MAX_ATTACHMENT_BYTES = 400 * 1024 * 1024
DOWNLOAD_TIMEOUT = httpx.Timeout(120.0, connect=15.0)


class BergamotModelError(TranslatorUnavailableError):
    """A model folder is missing, partial or corrupt; the message says how to fix it."""


def _how_to_get() -> str:
    return (
        "set OHLIAD_TRANSLATOR=bergamot to download it once, or download the en→uk files "
        f"from {MODELS_PAGE} into a folder and set OHLIAD_BERGAMOT_MODEL_DIR to it"
    )


def _fxtranslate() -> ModuleType:
    try:
        import fxtranslate
    except ImportError:
        raise TranslatorUnavailableError(
            "the bergamot engine needs the fxtranslate package: pip install fxtranslate"
        ) from None
    return fxtranslate


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("ohliad")) / "bergamot"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class ModelFiles:
    """The files of one en→uk model in a folder."""

    folder: Path
    model: Path
    source_vocab: Path
    target_vocab: Path
    shortlist: Path | None

    @classmethod
    def find(cls, folder: Path) -> ModelFiles:
        """The model files in ``folder``; raises ``BergamotModelError`` naming what is missing."""
        if not folder.is_dir():
            raise BergamotModelError(
                f"bergamot model folder {folder} does not exist; {_how_to_get()}"
            )
        code = "".join(PAIR)
        model = _one(folder, f"model.{code}.intgemm*.bin", "model file")
        shared = sorted(folder.glob(f"vocab.{code}.spm"))
        if shared:
            source_vocab = target_vocab = shared[0]
        else:
            source_vocab = _one(folder, f"srcvocab.{code}.spm", "vocabulary")
            target_vocab = _one(folder, f"trgvocab.{code}.spm", "target vocabulary")
        shortlists = sorted(folder.glob(f"lex*.{code}.s2t.bin"))
        return cls(folder, model, source_vocab, target_vocab, shortlists[0] if shortlists else None)

    def paths(self) -> list[Path]:
        found = [self.model, self.source_vocab, self.target_vocab, self.shortlist]
        return list(dict.fromkeys(p for p in found if p is not None))

    def verify(self) -> None:
        """Check each file against the manifest the downloader wrote, if there is one."""
        manifest_path = self.folder / MANIFEST
        if not manifest_path.exists():
            return
        try:
            expected = json.loads(manifest_path.read_text("utf-8"))["sha256"]
        except (OSError, ValueError, KeyError, TypeError):
            raise BergamotModelError(
                f"bergamot model folder {self.folder} has a damaged {MANIFEST}; "
                f"delete the folder and {_how_to_get()}"
            ) from None
        for path in self.paths():
            if path.name in expected and _sha256(path.read_bytes()) != expected[path.name]:
                raise BergamotModelError(
                    f"bergamot model file {path} is corrupt (its SHA-256 does not match the "
                    f"download); delete {self.folder} and {_how_to_get()}"
                )


def _one(folder: Path, pattern: str, what: str) -> Path:
    matches = sorted(folder.glob(pattern))
    if not matches:
        raise BergamotModelError(
            f"bergamot model folder {folder} has no {what} ({pattern}); {_how_to_get()}"
        )
    return matches[0]


def build_engine(files: ModelFiles) -> Any:
    """An ``fxtranslate.Translator`` over the files; a broken model is a clear error."""
    fxtranslate = _fxtranslate()
    files.verify()
    try:
        return fxtranslate.Translator(
            model=files.model.read_bytes(),
            src_vocab=files.source_vocab.read_bytes(),
            trg_vocab=files.target_vocab.read_bytes(),
            shortlist=files.shortlist.read_bytes() if files.shortlist else None,
        )
    except ValueError as error:
        raise BergamotModelError(
            f"bergamot model {files.model} cannot be loaded ({error}); the file is corrupt or "
            f"not a Firefox Translations model: {_how_to_get()}"
        ) from None


# Downloading ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModelRecord:
    """One file of a model as the model service lists it."""

    name: str
    file_type: str
    version: str
    sha256: str | None
    location: str


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in version.replace("a", ".").split("."))


def pair_records(records_body: str) -> list[ModelRecord]:
    """The newest en→uk file of each type among the service's records."""
    try:
        records = _fxtranslate().discovery.parse_records(records_body)
    except ValueError as error:
        raise BergamotModelError(
            f"the model service's record list is unreadable: {error}"
        ) from None
    newest: dict[str, ModelRecord] = {}
    for record in records:
        if (record.get("sourceLanguage"), record.get("targetLanguage")) != PAIR:
            continue
        candidate = ModelRecord(
            name=str(record["name"]),
            file_type=str(record["fileType"]),
            version=str(record.get("version") or "0"),
            sha256=record.get("decompressedHash"),
            location=str(record["location"]),
        )
        current = newest.get(candidate.file_type)
        if current is None or _version_key(candidate.version) > _version_key(current.version):
            newest[candidate.file_type] = candidate
    if "model" not in newest or not (
        {"vocab"} <= newest.keys() or {"srcvocab", "trgvocab"} <= newest.keys()
    ):
        raise BergamotModelError("the model service lists no complete en→uk model")
    return list(newest.values())


def _get(client: httpx.Client, url: str, what: str) -> bytes:
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise BergamotModelError(
                    f"downloading {what} from {url} failed: HTTP {response.status_code}"
                )
            data = bytearray()
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > MAX_ATTACHMENT_BYTES:
                    raise BergamotModelError(f"downloading {what} from {url}: larger than expected")
            return bytes(data)
    except httpx.HTTPError as error:
        raise BergamotModelError(f"downloading {what} from {url} failed: {error}") from None


def download_model(
    cache_dir: Path,
    *,
    records_url: str | None = None,
    attachments_base: str = ATTACHMENTS_BASE,
    transport: httpx.BaseTransport | None = None,
    progress: Callable[[str], None] | None = None,
) -> ModelFiles:
    """Download the en→uk model into ``cache_dir/en-uk`` (verified), once."""
    fxtranslate = _fxtranslate()
    folder = cache_dir / "-".join(PAIR)
    url = records_url or fxtranslate.discovery.records_url()
    with httpx.Client(
        timeout=DOWNLOAD_TIMEOUT, transport=transport, follow_redirects=True
    ) as client:
        records = pair_records(_get(client, url, "the model list").decode("utf-8", "replace"))
        folder.mkdir(parents=True, exist_ok=True)
        hashes: dict[str, str] = {}
        for record in records:
            if progress:
                progress(f"downloading {record.name}")
            compressed = _get(
                client, attachments_base.rstrip("/") + "/" + record.location, record.name
            )
            try:
                data = fxtranslate.discovery.verify_and_decompress(compressed, record.sha256)
            except ValueError as error:
                raise BergamotModelError(
                    f"downloaded {record.name} failed verification ({error}); nothing was kept"
                ) from None
            _write_atomically(folder / record.name, data)
            hashes[record.name] = _sha256(data)
    # Written last: a folder without it is an interrupted download.
    _write_atomically(folder / MANIFEST, json.dumps({"sha256": hashes}, indent=1).encode())
    return ModelFiles.find(folder)


def _write_atomically(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    os.replace(partial, path)


def cached_model(cache_dir: Path) -> ModelFiles | None:
    """The downloaded model in ``cache_dir`` if its download completed."""
    folder = cache_dir / "-".join(PAIR)
    return ModelFiles.find(folder) if (folder / MANIFEST).exists() else None


# The engine -------------------------------------------------------------------


class BergamotTranslator:
    """Translation by a Firefox Translations model on the CPU."""

    name = "bergamot"
    deterministic = True

    def __init__(self, engine: Any, model: str) -> None:
        self._engine = engine
        self.model: str | None = model

    def translate(self, segments: Sequence[Segment]) -> list[str | None]:
        try:
            return [self._engine.translate_long(s.text) for s in segments]
        except (ValueError, RuntimeError) as error:
            raise TranslationEngineError(f"the bergamot model failed: {error}") from None


def locate_model(options: TranslateOptions, *, allow_download: bool) -> ModelFiles:
    if options.bergamot_model_dir is not None:
        return ModelFiles.find(options.bergamot_model_dir)
    cache_dir = options.cache_dir or default_cache_dir()
    files = cached_model(cache_dir)
    if files is not None:
        return files
    if not allow_download:
        raise BergamotModelError(f"no en→uk model in {cache_dir}; {_how_to_get()}")
    return download_model(cache_dir)


def open_bergamot(options: TranslateOptions, *, allow_download: bool) -> BergamotTranslator:
    _fxtranslate()
    files = locate_model(options, allow_download=allow_download)
    return BergamotTranslator(build_engine(files), model=files.model.name)


def open_bergamot_translator(options: TranslateOptions) -> BergamotTranslator:
    """The ``bergamot`` engine."""
    # Chosen by name, the engine may download its model; ``auto`` only uses
    # one already on disk (see ``open_translator``).
    return open_bergamot(options, allow_download=options.engine == "bergamot")
