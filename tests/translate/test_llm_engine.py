"""The llm engine and ``ukrainian_for`` against a real loopback server whose
replies the tests script: protocol, batching, validation, fallback, cache."""

import json
import socket
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from ohliad.chat_client import ChatClient, ChatReply, LLMSettings
from ohliad.models import Article, Summary, SummarySentence
from ohliad.store import Store
from ohliad.store.translations import StoreTranslationCache
from ohliad.translate import (
    FallbackTranslator,
    TranslateOptions,
    TranslatorUnavailableError,
    open_translator,
    ukrainian_for,
)
from ohliad.translate.llm_engine import LLMTranslator, parse_batch_reply
from tests.translate.chat_server import ChatServer, Reply, Request, Serve, completion

HEADLINE = "Blinken and Scholz meet in Kyiv"
SENTENCE_1 = "US Secretary of State Antony Blinken arrived in Kyiv on March 3, 2023."
SENTENCE_2 = "Russia said 1,200 troops took part in the drills."
SUMMARY = Summary(
    headline=HEADLINE,
    sentences=(SummarySentence(SENTENCE_1, (1,)), SummarySentence(SENTENCE_2, (2,))),
)
# What a good engine might answer, with the slips engines make: a Russian
# spelling of Kyiv, a variant spelling of Blinken, an English date.
ANSWERS = {
    HEADLINE: "Блінкен і Шольц зустрілися в Києві",
    SENTENCE_1: "Держсекретар США Ентоні Блинкен прибув до Киева March 3, 2023.",
    SENTENCE_2: "Росія заявила, що в навчаннях взяли участь 1,200 військових.",
}
SETTINGS = TranslateOptions(engine="llm")


def _texts(request: Request) -> tuple[list[str], bool]:
    """The English texts a request asks for, and whether it is a batch."""
    payload = request.user_text.rsplit("\n\n", 1)[1]
    if payload.startswith("["):
        return json.loads(payload), True
    return [payload], False


def translating(
    answers: Mapping[str, str], *, batch_reply: str | None = None
) -> Callable[[Request], Reply]:
    def respond(request: Request) -> Reply:
        texts, batch = _texts(request)
        if batch and batch_reply is not None:
            return completion(batch_reply)
        replies = [answers.get(t, t) for t in texts]
        return completion(json.dumps(replies, ensure_ascii=False) if batch else replies[0])

    return respond


def _translator(server: ChatServer, **options: object) -> LLMTranslator:
    settings = LLMSettings(base_url=server.base_url, model="scripted", **options)  # type: ignore[arg-type]
    return LLMTranslator(ChatClient(settings, sleep=lambda _s: None))


def test_batches_segments_and_finishes_them_in_house_ukrainian(serve: Serve) -> None:
    server = serve(translating(ANSWERS))
    result = ukrainian_for(SUMMARY, [], _translator(server), options=SETTINGS)
    assert result.unavailable is None and result.text is not None
    assert result.text.headline == "Блінкен і Шольц зустрілися в Києві"
    assert result.text.summary == (
        "Держсекретар США Ентоні Блінкен прибув до Києва 3 березня 2023 року. "
        "Росія заявила, що в навчаннях взяли участь 1200 військових."
    )
    assert (result.text.engine, result.text.model) == ("llm", "scripted")
    # One request for the headline, one for both summary sentences.
    assert len(server.requests) == 2
    batch = next(r for r in server.requests if r.user_text.endswith("]"))
    assert "JSON list of exactly 2" in batch.user_text
    # The required renderings travel with the prompt.
    assert "Blinken → Блінкен" in batch.user_text or "Antony Blinken → Ентоні Блінкен" in (
        batch.user_text
    )
    assert "Kyiv → Київ" in batch.user_text


def test_the_uk_press_style_applies_after_translation(serve: Serve) -> None:
    server = serve(translating(ANSWERS))
    settings = TranslateOptions(engine="llm", style="uk-press")
    result = ukrainian_for(SUMMARY, [], _translator(server), options=settings)
    assert result.text is not None
    # Sentence-initial: the capital stays.
    assert "Росія заявила" in result.text.summary
    lowered = Summary("Talks", (SummarySentence("He said Russia had agreed.", (1,)),))
    answers = {
        "Talks": "Переговори",
        "He said Russia had agreed.": "Він сказав, що Росія погодилася.",
    }
    server = serve(translating(answers))
    result = ukrainian_for(lowered, [], _translator(server), options=settings)
    assert result.text is not None
    assert result.text.summary == "Він сказав, що росія погодилася."


def test_a_malformed_batch_reply_falls_back_to_one_request_per_segment(serve: Serve) -> None:
    server = serve(translating(ANSWERS, batch_reply="Ось переклад: 1) ... 2) ..."))
    result = ukrainian_for(SUMMARY, [], _translator(server), options=SETTINGS)
    assert result.text is not None
    assert "Блінкен" in result.text.summary
    singles = [r for r in server.requests if not r.user_text.endswith("]")]
    assert len(singles) == 3  # the headline, then each sentence again on its own


@pytest.mark.parametrize(
    ("bad_answer", "reason"),
    [
        (SENTENCE_2, "left untranslated"),
        ("Russia said 1 200 troops took part in drills, according to the report.", "Cyrillic"),
        ("Россия заявила, что в учениях участвовали 1200 военных.", "Ukrainian does not use"),
        ("Ось переклад: Росія заявила, що в навчаннях взяли участь 1200 військових.", "prompt"),
        ("Росія заявила, що в навчаннях взяли участь військові.", "number 1200 is missing"),
        ("Росія.", "length ratio"),
    ],
)
def test_english_or_broken_output_is_never_passed_off_as_ukrainian(
    serve: Serve, bad_answer: str, reason: str
) -> None:
    server = serve(translating({**ANSWERS, SENTENCE_2: bad_answer}))
    result = ukrainian_for(SUMMARY, [], _translator(server), options=SETTINGS)
    assert result.text is None
    assert result.unavailable is not None
    assert result.unavailable.startswith("Ukrainian unavailable: the summary sentence 2 failed")
    assert reason in result.unavailable
    assert "\n" not in result.unavailable


def test_a_glossary_violation_makes_the_segment_fail(serve: Serve) -> None:
    answers = {**ANSWERS, HEADLINE: "Блінкен і Шольц зустрілися в українській столиці"}
    server = serve(translating(answers))
    result = ukrainian_for(SUMMARY, [], _translator(server), options=SETTINGS)
    assert result.unavailable is not None
    assert "'Kyiv' must be rendered as 'Київ'" in result.unavailable


def test_a_failed_segment_falls_back_to_the_next_engine(serve: Serve) -> None:
    broken = serve(translating({**ANSWERS, SENTENCE_2: SENTENCE_2}))
    good = serve(translating(ANSWERS))
    chain = FallbackTranslator([_translator(broken), _translator(good)])
    result = ukrainian_for(SUMMARY, [], chain, options=SETTINGS)
    assert result.text is not None
    assert result.text.summary.endswith("взяли участь 1200 військових.")
    # Only the failed sentence went to the second engine.
    assert [_texts(r)[0] for r in good.requests] == [[SENTENCE_2]]


def test_an_engine_that_is_down_gives_a_one_line_reason(serve: Serve) -> None:
    server = serve(lambda _r: Reply(503, {"error": {"message": "loading model"}}))
    result = ukrainian_for(SUMMARY, [], _translator(server, max_retries=1), options=SETTINGS)
    assert result.text is None
    assert result.unavailable is not None
    assert "HTTP 503: loading model" in result.unavailable


def test_the_cache_spares_every_engine_call_on_re_rendering(serve: Serve, store: Store) -> None:
    server = serve(translating(ANSWERS))
    cache = StoreTranslationCache(store)
    first = ukrainian_for(SUMMARY, [], _translator(server), options=SETTINGS, cache=cache)
    calls = len(server.requests)
    second = ukrainian_for(SUMMARY, [], _translator(server), options=SETTINGS, cache=cache)
    assert second == first
    assert len(server.requests) == calls
    # Another style is another cache entry: the engine is asked again.
    ukrainian_for(
        SUMMARY, [], _translator(server), options=TranslateOptions(style="uk-press"), cache=cache
    )
    assert len(server.requests) > calls


def test_open_translator_checks_the_endpoint(serve: Serve) -> None:
    server = serve(translating(ANSWERS))
    settings = TranslateOptions(engine="auto", llm=LLMSettings(server.base_url, "m"))
    translator = open_translator(settings)
    assert translator.name == "llm"
    assert translator.model == "m"
    with pytest.raises(TranslatorUnavailableError, match="OHLIAD_LLM_BASE_URL"):
        open_translator(TranslateOptions(engine="llm"))


def test_an_unreachable_endpoint_is_unavailable_not_a_crash() -> None:
    settings = TranslateOptions(engine="llm", llm=LLMSettings("http://127.0.0.1:9/v1", "m"))
    with pytest.raises(TranslatorUnavailableError, match="cannot reach"):
        open_translator(settings)


def test_parse_batch_reply_accepts_fenced_json_and_rejects_wrong_lengths() -> None:
    assert parse_batch_reply('```json\n["а", "б"]\n```', 2) == ["а", "б"]
    assert parse_batch_reply('["а"]', 2) is None
    assert parse_batch_reply("[а, б]", 2) is None
    assert parse_batch_reply('{"a": 1}', 1) is None


ARTICLES = [
    Article(title="Blinken in Kyiv", text="Antony Blinken arrived in Kyiv.", outlet="Wire A"),
    Article(title="Visit to Kyiv", text="Blinken visited Kyiv on Friday.", outlet="Wire B"),
]
DIRECT = TranslateOptions(engine="llm", llm_direct_summary=True)


def writing(summary_text: str) -> Callable[[Request], Reply]:
    """Answers the direct-summary prompt with ``summary_text``, translations otherwise."""
    translate = translating(ANSWERS)

    def respond(request: Request) -> Reply:
        if "Write a neutral summary" in request.user_text:
            return completion(summary_text)
        return translate(request)

    return respond


def test_the_summary_can_be_written_straight_from_the_sources(serve: Serve) -> None:
    written = (
        "Держсекретар США Ентоні Блинкен прибув до Києва. Візит тривав один день. "
        "Про це повідомили Wire A і Wire B."
    )
    server = serve(writing(written))
    result = ukrainian_for(SUMMARY, ARTICLES, _translator(server), options=DIRECT)
    assert result.text is not None
    assert result.text.summary == written.replace("Блинкен", "Блінкен")
    assert result.text.headline == ANSWERS[HEADLINE]
    prompt = server.requests[0].user_text
    assert "[Wire A] Blinken in Kyiv" in prompt and "3–6 sentences" in prompt


def test_a_written_summary_that_fails_its_checks_falls_back_to_translation(serve: Serve) -> None:
    server = serve(writing("Blinken visited Kyiv. It was short. Both wires said so."))
    result = ukrainian_for(SUMMARY, ARTICLES, _translator(server), options=DIRECT)
    assert result.text is not None
    assert result.text.summary.startswith("Держсекретар США Ентоні Блінкен прибув до Києва")


def test_an_endpoint_gone_mid_run_is_not_asked_again_segment_by_segment() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = LLMSettings(base_url=f"http://127.0.0.1:{port}/v1", model="m", max_retries=0)
    attempts: list[int] = []

    class Counting(ChatClient):
        def complete(self, *args: Any, **kwargs: Any) -> ChatReply:
            attempts.append(1)
            return super().complete(*args, **kwargs)

    result = ukrainian_for(SUMMARY, [], LLMTranslator(Counting(settings)), options=SETTINGS)
    assert result.unavailable is not None
    assert "cannot reach the endpoint" in result.unavailable
    assert len(attempts) == 2  # the headline and the batch of sentences, once each
