"""A client for any OpenAI-compatible chat endpoint (hosted APIs, llama.cpp
server, Ollama, vLLM), shared by the translator and the summarizer.

It sends ``POST {base_url}/chat/completions``, retries 429 and 5xx replies
and dropped connections with exponential backoff (honouring Retry-After),
caps how many calls run at once, and turns every failure into one
``LLMError`` line a person can act on.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from ohliad.errors import OhliadError

RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})


class LLMError(OhliadError, RuntimeError):
    """A chat call failed; the message says where and why, in one line."""


class LLMReplyError(LLMError):
    """The endpoint answered, but not with a usable chat completion."""


class LLMConnectionError(LLMError):
    """The endpoint could not be reached, or did not answer in time."""


@dataclass(frozen=True, slots=True)
class LLMSettings:
    """An endpoint and model, and how to talk to it. ``api_key`` is sent as a
    bearer token; ``api_key_source`` names where it comes from, for the error
    when it is refused (``ohliad.settings`` reads it from that variable)."""

    base_url: str
    model: str
    api_key: str | None = field(default=None, repr=False)
    api_key_source: str = "OHLIAD_LLM_API_KEY"
    timeout: float = 120.0
    connect_timeout: float = 10.0
    max_retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 60.0
    max_concurrency: int = 2
    temperature: float = 0.0
    max_tokens: int | None = None
    extra_headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ChatMessage:
    role: str  # "system", "user" or "assistant"
    content: str


@dataclass(frozen=True, slots=True)
class ChatReply:
    content: str
    finish_reason: str | None
    model: str | None


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _reply_from_json(body: Any, where: str) -> ChatReply:
    try:
        choice = body["choices"][0]
        content = choice["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise LLMReplyError(
            f"{where}: the reply is not a chat completion (no choices[0].message)"
        ) from None
    if not isinstance(content, str):
        raise LLMReplyError(f"{where}: the reply's message has no text content")
    finish = choice.get("finish_reason") if isinstance(choice, Mapping) else None
    if finish == "length":
        raise LLMReplyError(
            f"{where}: the reply was cut off at the token limit (finish_reason=length)"
        )
    model = body.get("model") if isinstance(body, Mapping) else None
    return ChatReply(content=content, finish_reason=finish, model=model)


class ChatClient:
    """Chat completions from one endpoint and model.

    ``sleep`` waits between retries; tests pass a recorder instead of
    ``time.sleep`` so that they can check the waits without taking them.
    """

    def __init__(
        self,
        settings: LLMSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._sleep = sleep
        self._slots = threading.BoundedSemaphore(settings.max_concurrency)
        headers = {"Content-Type": "application/json", **settings.extra_headers}
        if settings.api_key:
            headers["Authorization"] = f"Bearer {settings.api_key}"
        self._http = httpx.Client(
            base_url=settings.base_url.rstrip("/") + "/",
            headers=headers,
            timeout=httpx.Timeout(settings.timeout, connect=settings.connect_timeout),
            transport=transport,
        )

    @property
    def endpoint(self) -> str:
        return f"{self.settings.base_url.rstrip('/')}/chat/completions"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def models(self) -> list[str]:
        """The model ids the endpoint serves (``GET /models``); checks it is reachable."""
        where = f"{self.settings.base_url.rstrip('/')}/models"
        try:
            response = self._http.get("models")
        except httpx.HTTPError as error:
            raise LLMConnectionError(
                f"{where}: cannot reach the endpoint: {_describe(error)}"
            ) from None
        if response.status_code != 200:
            raise LLMError(f"{where}: HTTP {response.status_code}{_error_detail(response)}")
        try:
            return [str(m["id"]) for m in response.json()["data"]]
        except (ValueError, KeyError, TypeError):
            raise LLMReplyError(f"{where}: the reply is not a model list") from None

    def complete(
        self,
        messages: Sequence[ChatMessage],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
        response_format: Mapping[str, Any] | None = None,
    ) -> ChatReply:
        """One chat completion, retried on 429/5xx and dropped connections."""
        payload: dict[str, Any] = {
            "model": self.settings.model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "temperature": self.settings.temperature if temperature is None else temperature,
        }
        # The settings' limit caps every call; a call may ask for less.
        limits = [t for t in (max_tokens, self.settings.max_tokens) if t]
        if limits:
            payload["max_tokens"] = min(limits)
        if response_format:
            payload["response_format"] = dict(response_format)
        with self._slots:
            return self._post_with_retries(payload)

    def complete_many(
        self, requests: Sequence[Sequence[ChatMessage]], **options: Any
    ) -> list[ChatReply | LLMError]:
        """Completions for many conversations, at most ``max_concurrency`` at a
        time; a failed one is returned as its error, the rest go on."""

        def run(messages: Sequence[ChatMessage]) -> ChatReply | LLMError:
            try:
                return self.complete(messages, **options)
            except LLMError as error:
                return error

        if len(requests) <= 1:
            return [run(r) for r in requests]
        with ThreadPoolExecutor(max_workers=self.settings.max_concurrency) as pool:
            return list(pool.map(run, requests))

    def _post_with_retries(self, payload: Mapping[str, Any]) -> ChatReply:
        where = self.endpoint
        attempt = 0
        while True:
            failure, wait = self._post_once(payload, where)
            if isinstance(failure, ChatReply):
                return failure
            if attempt >= self.settings.max_retries or wait is None:
                suffix = f" (after {attempt + 1} attempts)" if attempt else ""
                raise failure.__class__(f"{failure}{suffix}")
            self._sleep(
                min(wait if wait > 0 else self._backoff(attempt), self.settings.max_backoff)
            )
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        # Full jitter keeps many clients from retrying in step.
        return self.settings.backoff * (2**attempt) * (0.5 + random.random() / 2)

    def _post_once(
        self, payload: Mapping[str, Any], where: str
    ) -> tuple[ChatReply | LLMError, float | None]:
        """The reply, or the error and how long to wait before retrying (None: don't)."""
        try:
            response = self._http.post("chat/completions", json=payload)
        except httpx.TimeoutException:
            return LLMConnectionError(f"{where}: no reply within {self.settings.timeout:g} s"), 0.0
        except httpx.TransportError as error:
            message = f"{where}: cannot reach the endpoint: {_describe(error)}"
            return LLMConnectionError(message), 0.0
        if response.status_code in RETRY_STATUSES:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            detail = _error_detail(response)
            return LLMError(f"{where}: HTTP {response.status_code}{detail}"), wait or 0.0
        if response.status_code in (401, 403):
            return LLMError(
                f"{where}: HTTP {response.status_code}: the API key was refused; "
                f"set {self.settings.api_key_source}"
            ), None
        if response.status_code != 200:
            return LLMError(f"{where}: HTTP {response.status_code}{_error_detail(response)}"), None
        try:
            body = response.json()
        except ValueError:
            return LLMReplyError(f"{where}: the reply is not JSON"), None
        try:
            return _reply_from_json(body, where), None
        except LLMReplyError as error:
            return error, None


def _describe(error: Exception) -> str:
    return str(error) or error.__class__.__name__


def _error_detail(response: httpx.Response) -> str:
    """The endpoint's own error message, shortened to one line."""
    try:
        body = response.json()
    except ValueError:
        body = response.text
    error = body.get("error", body) if isinstance(body, dict) else body
    message = error.get("message") if isinstance(error, dict) else error
    if not message:
        return ""
    line = " ".join(str(message).split())
    return f": {line[:200]}"
