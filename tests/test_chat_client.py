import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from ohliad.chat_client import (
    ChatClient,
    ChatMessage,
    LLMConnectionError,
    LLMError,
    LLMReplyError,
    LLMSettings,
    retry_after_seconds,
)
from tests.translate.chat_server import Reply, Request, Serve, completion, scripted
from tests.translate.chat_server import serve as serve  # the fixture

HELLO = [ChatMessage("user", "Say hello")]


class Sleeps(list[float]):
    """Records the waits between retries instead of taking them."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def connect(request: pytest.FixtureRequest) -> Callable[..., ChatClient]:
    def open_client(base_url: str, sleeps: Sleeps | None = None, **options: object) -> ChatClient:
        settings = LLMSettings(base_url=base_url, model="test-model", **options)  # type: ignore[arg-type]
        client = ChatClient(settings, sleep=sleeps if sleeps is not None else Sleeps())
        request.addfinalizer(client.close)
        return client

    return open_client


Connect = Callable[..., ChatClient]


def test_sends_an_openai_chat_request_with_the_key(serve: Serve, connect: Connect) -> None:
    server = serve(scripted(completion("Привіт")))
    reply = connect(server.base_url, api_key="secret-123", max_tokens=50).complete(HELLO)
    assert reply.content == "Привіт"
    assert reply.finish_reason == "stop"
    request = server.requests[0]
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == "Bearer secret-123"
    assert request.body["model"] == "test-model"
    assert request.body["messages"] == [{"role": "user", "content": "Say hello"}]
    assert request.body["temperature"] == 0.0
    assert request.body["max_tokens"] == 50


def test_no_key_no_authorization_header(serve: Serve, connect: Connect) -> None:
    server = serve(scripted(completion("ok")))
    connect(server.base_url).complete(HELLO)
    assert "Authorization" not in server.requests[0].headers


def test_429_is_retried_after_the_wait_the_server_asks_for(serve: Serve, connect: Connect) -> None:
    sleeps = Sleeps()
    server = serve(
        scripted(
            Reply(429, {"error": {"message": "slow down"}}, {"Retry-After": "7"}),
            Reply(503, {"error": {"message": "overloaded"}}),
            completion("готово"),
        )
    )
    assert connect(server.base_url, sleeps, backoff=0.5).complete(HELLO).content == "готово"
    assert len(server.requests) == 3
    assert sleeps[0] == 7.0
    # No Retry-After on the 503: exponential backoff with jitter, 0.5 s * 2**1 at most.
    assert 0.5 <= sleeps[1] <= 1.0


def test_retry_after_is_capped(serve: Serve, connect: Connect) -> None:
    sleeps = Sleeps()
    server = serve(scripted(Reply(429, {}, {"Retry-After": "3600"}), completion("ok")))
    connect(server.base_url, sleeps, max_backoff=5).complete(HELLO)
    assert sleeps == [5]


def test_gives_up_after_max_retries_with_the_servers_message(
    serve: Serve, connect: Connect
) -> None:
    sleeps = Sleeps()
    server = serve(scripted(Reply(500, {"error": {"message": "model crashed"}})))
    client = connect(server.base_url, sleeps, max_retries=2)
    with pytest.raises(LLMError, match=r"HTTP 500: model crashed \(after 3 attempts\)"):
        client.complete(HELLO)
    assert len(server.requests) == 3
    assert len(sleeps) == 2


def test_client_errors_are_not_retried(serve: Serve, connect: Connect) -> None:
    server = serve(scripted(Reply(400, {"error": {"message": "bad request: no such model"}})))
    with pytest.raises(LLMError, match="HTTP 400: bad request: no such model"):
        connect(server.base_url).complete(HELLO)
    assert len(server.requests) == 1


def test_a_refused_key_names_the_variable_to_set(serve: Serve, connect: Connect) -> None:
    server = serve(scripted(Reply(401, {"error": "invalid key"})))
    with pytest.raises(LLMError, match="set MY_KEY"):
        connect(server.base_url, api_key="wrong", api_key_source="MY_KEY").complete(HELLO)


def test_a_slow_server_times_out_with_a_clear_error(serve: Serve, connect: Connect) -> None:
    server = serve(scripted(Reply(delay=3.0, body=completion("late").body)))
    client = connect(server.base_url, timeout=0.3, max_retries=0)
    with pytest.raises(LLMConnectionError, match=r"no reply within 0.3 s"):
        client.complete(HELLO)


def test_an_unreachable_endpoint_is_a_connection_error(connect: Connect) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens on the port any more.
    client = connect(f"http://127.0.0.1:{port}/v1", max_retries=1)
    with pytest.raises(LLMConnectionError, match="cannot reach the endpoint"):
        client.complete(HELLO)
    with pytest.raises(LLMConnectionError):
        client.models()


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(body=b"<html>502 proxy</html>"), "not JSON"),
        (Reply(body={"object": "chat.completion", "choices": []}), "not a chat completion"),
        (Reply(body={"choices": [{"message": {"content": None}}]}), "no text content"),
        (completion("Привіт, як спра", finish_reason="length"), "cut off at the token limit"),
    ],
)
def test_malformed_and_truncated_replies_are_reply_errors(
    reply: Reply, message: str, serve: Serve, connect: Connect
) -> None:
    server = serve(scripted(reply))
    with pytest.raises(LLMReplyError, match=message):
        connect(server.base_url).complete(HELLO)
    assert len(server.requests) == 1  # not retried: the server would say the same


def test_concurrent_calls_are_capped(serve: Serve, connect: Connect) -> None:
    server = serve(scripted(Reply(delay=0.2, body=completion("ok").body)))
    client = connect(server.base_url, max_concurrency=2)
    threads = [threading.Thread(target=client.complete, args=(HELLO,)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results = client.complete_many([HELLO] * 4)
    assert len(server.requests) == 10
    assert server.max_active == 2
    assert [r.content for r in results if not isinstance(r, LLMError)] == ["ok"] * 4


def test_complete_many_returns_each_failure_in_its_place(serve: Serve, connect: Connect) -> None:
    def respond(request: Request) -> Reply:
        return completion("так") if request.user_text == "yes" else Reply(400, {"error": "no"})

    server = serve(respond)
    results = connect(server.base_url).complete_many(
        [[ChatMessage("user", t)] for t in ("yes", "no", "yes")]
    )
    assert [type(r).__name__ for r in results] == ["ChatReply", "LLMError", "ChatReply"]


def test_models_lists_what_the_endpoint_serves(serve: Serve, connect: Connect) -> None:
    server = serve(scripted(completion("x")))
    assert connect(server.base_url).models() == ["scripted"]


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    now = datetime(2026, 3, 3, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("12") == 12.0
    assert retry_after_seconds("Tue, 03 Mar 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Tue, 03 Mar 2026 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
