"""A real OpenAI-compatible HTTP server on loopback whose replies a test scripts."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # JSON-able, or bytes sent as they are
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def completion(content: str, finish_reason: str = "stop") -> Reply:
    return Reply(
        body={
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "model": "scripted",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": finish_reason,
                }
            ],
        }
    )


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def user_text(self) -> str:
        return str(self.body["messages"][-1]["content"])


class ChatServer:
    """Answers ``POST /v1/chat/completions`` with ``responder(request)``;
    ``GET /v1/models`` lists one model."""

    def __init__(self, responder: Callable[[Request], Reply]) -> None:
        self.responder = responder
        self.requests: list[Request] = []
        self.active = 0
        self.max_active = 0
        lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, reply: Reply) -> None:
                data = (
                    reply.body
                    if isinstance(reply.body, bytes)
                    else json.dumps(reply.body).encode("utf-8")
                )
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def do_GET(self) -> None:
                if self.path == "/v1/models":
                    self._send(Reply(body={"object": "list", "data": [{"id": "scripted"}]}))
                else:
                    self._send(Reply(status=404, body={"error": {"message": "not found"}}))

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                request = Request(self.path, dict(self.headers), body)
                with lock:
                    server.requests.append(request)
                    server.active += 1
                    server.max_active = max(server.max_active, server.active)
                try:
                    reply = server.responder(request)
                    if reply.delay:
                        time.sleep(reply.delay)
                finally:
                    # Done before the answer is written: a client that has it may
                    # send its next request before this thread runs again.
                    with lock:
                        server.active -= 1
                self._send(reply)

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


Serve = Callable[[Callable[[Request], Reply]], ChatServer]


@pytest.fixture
def serve(request: pytest.FixtureRequest) -> Serve:
    """Starts a scripted OpenAI-compatible server on loopback for the test."""

    def start(responder: Callable[[Request], Reply]) -> ChatServer:
        server = ChatServer(responder)
        server.start()
        request.addfinalizer(server.stop)
        return server

    return start


def scripted(*replies: Reply) -> Callable[[Request], Reply]:
    """Replies in order; the last one repeats."""
    queue = list(replies)

    def respond(_request: Request) -> Reply:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return respond
