"""The llm summarizer against a real OpenAI-compatible server on loopback."""

from __future__ import annotations

import json

import pytest

from ohliad.assembly import summary_options
from ohliad.chat_client import LLMSettings
from ohliad.settings import Settings
from ohliad.summarize import SummaryOptions, open_summarizer, summarize_story
from ohliad.summarize.llm import LLMNotConfiguredError, unsupported_mentions
from tests.summarize.stories import HARBOUR
from tests.translate.chat_server import Reply, Serve, completion, scripted
from tests.translate.chat_server import serve as serve  # the fixture

FAITHFUL = {
    "headline": "Tanker runs aground and closes Velmora port",
    "sentences": [
        {
            "text": "The port of Velmora closed on Tuesday after the tanker Aster Crown ran "
            "aground at the harbour mouth.",
            "sources": [1, 2, 3],
        },
        {"text": "Harbour master Ilse Brandt said no fuel leaked.", "sources": [1, 2, 3]},
        {"text": "Tugs will try to refloat the tanker on Wednesday.", "sources": [2]},
    ],
}


def llm_options(base_url: str, **options: object) -> SummaryOptions:
    settings = LLMSettings(base_url=base_url, model="test-model", max_retries=0)
    return SummaryOptions(engine="llm", llm=settings, **options)  # type: ignore[arg-type]


def reply_with(body: object) -> Reply:
    return completion(json.dumps(body))


def test_faithful_reply_becomes_the_summary_with_its_sources(serve: Serve) -> None:
    server = serve(scripted(reply_with(FAITHFUL)))
    summary = summarize_story(HARBOUR, llm_options(server.base_url))
    assert summary.engine == "llm"
    assert summary.headline == "Tanker runs aground and closes Velmora port"
    assert [s.sources for s in summary.sentences] == [(11, 12, 13), (11, 12, 13), (12,)]
    prompt = server.requests[0].user_text
    for article in HARBOUR.articles:
        assert article.text in prompt
    assert "Every claim must come from the sources" in prompt


def test_reply_in_a_code_fence_is_read(serve: Serve) -> None:
    server = serve(scripted(completion("```json\n" + json.dumps(FAITHFUL) + "\n```")))
    assert summarize_story(HARBOUR, llm_options(server.base_url)).engine == "llm"


@pytest.mark.parametrize(
    ("sentence", "why"),
    [
        ("Captain Jonas Weller was arrested after the grounding.", "a person no source names"),
        ("The tanker carried 55,000 tonnes of diesel.", "a number no source gives"),
        ("The tanker was bound for Rotterdam.", "a place no source mentions"),
        ("The owners slammed the harbour master.", "loaded wording"),
    ],
)
def test_reply_saying_what_no_source_says_falls_back_to_extractive(
    serve: Serve, sentence: str, why: str
) -> None:
    body = {**FAITHFUL, "sentences": [*FAITHFUL["sentences"], {"text": sentence, "sources": [1]}]}
    server = serve(scripted(reply_with(body)))
    summary = summarize_story(HARBOUR, llm_options(server.base_url, max_sentences=4))
    assert summary.engine == "extractive", why
    assert sentence not in summary.text
    assert summary.sentences


@pytest.mark.parametrize(
    "reply",
    [
        completion("Here is a summary: the port closed."),
        reply_with({"headline": "Port closes", "sentences": [{"text": "It closed."}]}),
        reply_with({"headline": "Port closes", "sentences": []}),
        reply_with({**FAITHFUL, "headline": "Will Velmora port reopen?"}),
        Reply(status=500, body={"error": {"message": "model crashed"}}),
    ],
)
def test_unusable_reply_or_failed_endpoint_falls_back_to_extractive(
    serve: Serve, reply: Reply
) -> None:
    server = serve(scripted(reply))
    summary = summarize_story(HARBOUR, llm_options(server.base_url))
    assert summary.engine == "extractive"
    assert summary.sentences


def test_reply_longer_than_asked_falls_back(serve: Serve) -> None:
    server = serve(scripted(reply_with(FAITHFUL)))
    summary = summarize_story(HARBOUR, llm_options(server.base_url, max_sentences=2))
    assert summary.engine == "extractive"
    assert len(summary.sentences) <= 2


def test_without_an_endpoint_the_error_says_what_to_set() -> None:
    with pytest.raises(LLMNotConfiguredError, match="OHLIAD_LLM_BASE_URL"):
        summarize_story(HARBOUR, SummaryOptions(engine="llm"))


def test_endpoint_from_the_environment(serve: Serve) -> None:
    server = serve(scripted(reply_with(FAITHFUL)))
    environ = {
        "OHLIAD_SUMMARIZER": "llm",
        "OHLIAD_LLM_BASE_URL": server.base_url,
        "OHLIAD_LLM_MODEL": "test-model",
    }
    options = summary_options(Settings.load(environ=environ))
    summarizer = open_summarizer(options)
    for _ in range(2):
        assert summarize_story(HARBOUR, options, summarizer).engine == "llm"
    assert [r.body["model"] for r in server.requests] == ["test-model"] * 2


def test_unsupported_mentions() -> None:
    sources = ["Harbour master Ilse Brandt said the Aster Crown carried 40,000 tonnes; five tugs"]
    assert unsupported_mentions("Brandt said 40000 tonnes and 5 tugs.", sources) == []
    assert unsupported_mentions("Mayor Olsen said 300 tugs came on Friday.", sources) == [
        "300",
        "friday",
        "mayor olsen",
        "olsen",
    ]
