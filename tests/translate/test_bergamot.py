"""The bergamot engine's loader and downloader, on folders and a loopback
model service these tests build. No real model is reachable here, so what is
tested is every way a model can be missing, partial or corrupt."""

import hashlib
import json
import re
import struct
from pathlib import Path

import pytest

from ohliad.translate import TranslateOptions, TranslatorUnavailableError, open_translator
from ohliad.translate.bergamot import (
    MANIFEST,
    BergamotModelError,
    ModelFiles,
    build_engine,
    cached_model,
    download_model,
)
from tests.conftest import LoopbackServer

MODEL = "model.enuk.intgemm.alphas.bin"
VOCAB = "vocab.enuk.spm"
LEX = "lex.50.50.enuk.s2t.bin"


def zstd_frame(data: bytes) -> bytes:
    """``data`` as a zstd frame of raw (stored) blocks, as the model service serves files."""
    frame = bytearray(b"\x28\xb5\x2f\xfd")
    frame += bytes([0xA0]) + struct.pack("<I", len(data))  # single segment, 4-byte size
    blocks = [data[i : i + 128 * 1024] for i in range(0, len(data), 128 * 1024)] or [b""]
    for n, block in enumerate(blocks):
        last = n == len(blocks) - 1
        frame += struct.pack("<I", (len(block) << 3) | int(last))[:3] + block
    return bytes(frame)


def _folder(tmp_path: Path, *names: str, folder_name: str = "enuk") -> Path:
    folder = tmp_path / folder_name
    folder.mkdir()
    for name in names:
        (folder / name).write_bytes(b"not a real model " * 10)
    return folder


def test_a_missing_folder_names_the_folder_and_how_to_get_the_model(tmp_path: Path) -> None:
    with pytest.raises(BergamotModelError) as error:
        ModelFiles.find(tmp_path / "nowhere")
    message = str(error.value)
    assert str(tmp_path / "nowhere") in message
    assert "OHLIAD_BERGAMOT_MODEL_DIR" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("present", "missing"),
    [((VOCAB, LEX), "no model file (model.enuk.intgemm*.bin)"), ((MODEL,), "no vocabulary")],
)
def test_a_partial_folder_names_the_missing_file(
    tmp_path: Path, present: tuple[str, ...], missing: str
) -> None:
    with pytest.raises(BergamotModelError, match=re.escape(missing)):
        ModelFiles.find(_folder(tmp_path, *present))


def test_finds_shared_and_split_vocabularies_and_the_shortlist(tmp_path: Path) -> None:
    files = ModelFiles.find(_folder(tmp_path, MODEL, VOCAB, LEX))
    assert (files.model.name, files.source_vocab.name, files.target_vocab.name) == (
        MODEL,
        VOCAB,
        VOCAB,
    )
    assert files.shortlist is not None and files.shortlist.name == LEX
    split = ModelFiles.find(
        _folder(tmp_path, MODEL, "srcvocab.enuk.spm", "trgvocab.enuk.spm", folder_name="split")
    )
    assert split.source_vocab.name == "srcvocab.enuk.spm"
    assert split.target_vocab.name == "trgvocab.enuk.spm"
    assert split.shortlist is None


def test_a_corrupt_model_file_is_a_clear_error(tmp_path: Path) -> None:
    files = ModelFiles.find(_folder(tmp_path, MODEL, VOCAB))
    with pytest.raises(BergamotModelError, match=r"cannot be loaded.*corrupt or not a Firefox"):
        build_engine(files)


def test_a_file_changed_since_download_fails_the_manifest_check(tmp_path: Path) -> None:
    folder = _folder(tmp_path, MODEL, VOCAB)
    hashes = {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in (MODEL, VOCAB)}
    (folder / MANIFEST).write_text(json.dumps({"sha256": hashes}))
    (folder / MODEL).write_bytes(b"truncated")
    with pytest.raises(BergamotModelError, match=f"{MODEL} is corrupt"):
        build_engine(ModelFiles.find(folder))


def _service(http_server: LoopbackServer, files: dict[str, bytes], *, bad_hash: str = "") -> str:
    records = []
    for n, (name, data) in enumerate(files.items()):
        digest = hashlib.sha256(data).hexdigest()
        records.append(
            {
                "id": str(n),
                "name": name,
                "fileType": "model" if name == MODEL else "vocab" if name == VOCAB else "lex",
                "sourceLanguage": "en",
                "targetLanguage": "uk",
                "version": "1.0",
                "decompressedHash": "0" * 64 if name == bad_hash else digest,
                "attachment": {"location": f"files/{name}.zst"},
            }
        )
        http_server.add(f"/files/{name}.zst", zstd_frame(data))
    # An older model version and another pair, which must be ignored.
    records.append({**records[0], "version": "0.9", "attachment": {"location": "files/old"}})
    records.append({**records[0], "targetLanguage": "de", "attachment": {"location": "x"}})
    return http_server.add("/records", json.dumps({"data": records}))


def test_download_verifies_each_file_and_writes_the_manifest_last(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    files = {MODEL: b"model bytes " * 1000, VOCAB: b"vocab bytes", LEX: bytes(range(256)) * 600}
    records_url = _service(http_server, files)
    got = download_model(tmp_path, records_url=records_url, attachments_base=http_server.base)
    folder = tmp_path / "en-uk"
    for name, data in files.items():
        assert (folder / name).read_bytes() == data
    assert (
        json.loads((folder / MANIFEST).read_text())["sha256"][MODEL]
        == hashlib.sha256(files[MODEL]).hexdigest()
    )
    assert got.model == folder / MODEL
    assert cached_model(tmp_path) == got
    assert not list(folder.glob("*.part"))
    assert "/files/old" not in [path for path, _ in http_server.requests]
    # The bytes arrived intact, but they are no model: loading says so.
    with pytest.raises(BergamotModelError, match="cannot be loaded"):
        build_engine(got)


def test_a_download_that_fails_verification_keeps_nothing(
    tmp_path: Path, http_server: LoopbackServer
) -> None:
    records_url = _service(http_server, {MODEL: b"m" * 100, VOCAB: b"v"}, bad_hash=MODEL)
    with pytest.raises(BergamotModelError, match=f"downloaded {MODEL} failed verification"):
        download_model(tmp_path, records_url=records_url, attachments_base=http_server.base)
    assert not (tmp_path / "en-uk" / MODEL).exists()
    assert cached_model(tmp_path) is None


def test_an_interrupted_download_is_not_taken_for_a_model(tmp_path: Path) -> None:
    folder = tmp_path / "en-uk"
    folder.mkdir()
    (folder / MODEL).write_bytes(b"half")
    assert cached_model(tmp_path) is None


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ({"data": []}, "lists no complete en→uk model"),
        ("<html>", "unreadable"),
    ],
)
def test_a_bad_record_list_is_a_clear_error(
    tmp_path: Path, http_server: LoopbackServer, records: object, message: str
) -> None:
    body = records if isinstance(records, str) else json.dumps(records)
    url = http_server.add("/records", body)
    with pytest.raises(BergamotModelError, match=message):
        download_model(tmp_path, records_url=url, attachments_base=http_server.base)


def test_an_unreachable_service_names_the_url(tmp_path: Path, http_server: LoopbackServer) -> None:
    with pytest.raises(
        BergamotModelError, match=r"the model list from .*/missing failed: HTTP 404"
    ):
        download_model(
            tmp_path, records_url=http_server.url("/missing"), attachments_base=http_server.base
        )


def test_auto_skips_a_broken_bergamot_folder_and_says_why(tmp_path: Path) -> None:
    settings = TranslateOptions(engine="auto", bergamot_model_dir=_folder(tmp_path, VOCAB))
    with pytest.raises(TranslatorUnavailableError, match="bergamot: bergamot model folder"):
        open_translator(settings)


def test_bergamot_by_name_reports_the_broken_model(tmp_path: Path) -> None:
    settings = TranslateOptions(
        engine="bergamot", bergamot_model_dir=_folder(tmp_path, MODEL, VOCAB)
    )
    with pytest.raises(BergamotModelError, match="cannot be loaded"):
        open_translator(settings)
