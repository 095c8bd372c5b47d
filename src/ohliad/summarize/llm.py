"""The ``llm`` summarizer: an abstractive headline and summary from an
OpenAI-compatible chat endpoint, checked against the sources.

The prompt gives the model every source, numbered, and requires each claim to
come from them, each sentence to name the sources it draws on, and neutral
wording. The reply is then checked: a name, number or place that no source
mentions, a malformed reply, or an endpoint that fails, and the story gets the
extractive summary instead (logged, so an editor can see why).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ohliad.chat_client import ChatClient, ChatMessage, LLMError
from ohliad.errors import OhliadError
from ohliad.models import Story, Summary, SummarySentence
from ohliad.summarize.entities import entities
from ohliad.summarize.extractive import ExtractiveSummarizer, source_keys
from ohliad.summarize.headline import shorten
from ohliad.summarize.loaded import loaded_words
from ohliad.summarize.material import story_words
from ohliad.summarize.options import SummaryOptions
from ohliad.summarize.terms import words

log = logging.getLogger(__name__)

# Characters of each article the prompt carries; the lead holds the event.
MAX_ARTICLE_CHARS = 4000

SYSTEM_PROMPT = (
    "You write neutral summaries of news stories for the editors of a press review. "
    "You use only what the given sources say: never add a fact, name, number, place or date "
    "that is not in them, and never guess. You state the event plainly, in your own neutral "
    "words, leaving out any outlet's loaded or emotional wording, and you do not quote."
)
_INSTRUCTIONS = """Below are {count} reports about one news event, numbered.

Write, in English:
- a headline of at most {headline_words} words: a plain statement of the event, no quotation \
marks, not a question;
- a summary of at most {sentences} sentences{word_limit}: the event first, then the most \
important details; prefer facts several sources report.
Every claim must come from the sources. After each sentence, list the numbers of the sources \
it is drawn from.

Reply with JSON only, in this form:
{{"headline": "...", "sentences": [{{"text": "...", "sources": [1, 2]}}]}}

{articles}"""

_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$")
_NUMBER_WORDS = {
    w: str(n)
    for n, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_NUMERAL = re.compile(r"^\d[\d,.]*")
_NUMERAL_IN_TEXT = re.compile(r"\d(?:[\d,.]*\d)?")


class LLMSummaryRejectedError(ValueError):
    """The model's reply cannot be used as a summary of these sources."""


class LLMNotConfiguredError(OhliadError, RuntimeError):
    """The llm summarizer has no endpoint to talk to."""


def summary_prompt(story: Story, options: SummaryOptions) -> list[ChatMessage]:
    articles = "\n\n".join(
        f"[{number}] {article.title}\n{(article.text or '')[:MAX_ARTICLE_CHARS]}"
        for number, article in enumerate(story.articles, start=1)
    )
    limit = options.word_limit(story_words(story))
    word_limit = f" and {limit} words" if limit else ""
    user = _INSTRUCTIONS.format(
        count=len(story.articles),
        headline_words=options.headline_max_words,
        sentences=options.max_sentences,
        word_limit=word_limit,
        articles=articles,
    )
    return [ChatMessage("system", SYSTEM_PROMPT), ChatMessage("user", user)]


@dataclass(frozen=True, slots=True)
class DraftSentence:
    text: str
    sources: tuple[int, ...]  # indexes into story.articles


@dataclass(frozen=True, slots=True)
class Draft:
    headline: str
    sentences: tuple[DraftSentence, ...]


def parse_reply(content: str, article_count: int) -> Draft:
    """The model's JSON reply as a draft; source numbers become article indexes."""
    try:
        body: Any = json.loads(_FENCE.sub("", content.strip()))
        headline = str(body["headline"]).strip()
        items = body["sentences"]
        sentences = tuple(_draft_sentence(item, article_count) for item in items)
    except LLMSummaryRejectedError:
        raise
    except (ValueError, KeyError, TypeError):
        raise LLMSummaryRejectedError("the reply is not the JSON summary asked for") from None
    if not headline or not sentences:
        raise LLMSummaryRejectedError("the reply has no headline or no sentences")
    return Draft(headline, sentences)


def _draft_sentence(item: Any, article_count: int) -> DraftSentence:
    text = " ".join(str(item["text"]).split())
    numbers = item.get("sources") or []
    sources = tuple(sorted({int(n) - 1 for n in numbers if 1 <= int(n) <= article_count}))
    if not text or not sources:
        raise LLMSummaryRejectedError("a sentence has no text or names no valid source")
    return DraftSentence(text, sources)


def _number(token: str) -> str | None:
    """A numeral or a number word as digits ("40,000" → "40000", "five" → "5")."""
    token = token.lower()
    if token in _NUMBER_WORDS:
        return _NUMBER_WORDS[token]
    match = _NUMERAL.match(token)
    return match.group(0).replace(",", "").rstrip(".") if match else None


def unsupported_mentions(text: str, sources: Sequence[str]) -> list[str]:
    """Names, places and numbers in ``text`` that none of ``sources`` mentions.

    A name is supported when each of its words occurs in the sources (so
    "Brandt" is backed by "Ilse Brandt"); a number when the sources have it as
    a numeral or a number word.
    """
    source_words = {w.lower() for s in sources for w in words(s)}
    numerals = (m for s in sources for m in _NUMERAL_IN_TEXT.findall(s))
    source_numbers = {n for w in (*source_words, *numerals) if (n := _number(w))}
    mentioned = entities(text) | {w.lower() for w in words(text) if w.lower() in _NUMBER_WORDS}
    missing = []
    for mention in sorted(mentioned):
        number = _number(mention)
        if number is not None:
            if number not in source_numbers:
                missing.append(mention)
        elif not all(w in source_words for w in words(mention)):
            missing.append(mention)
    return missing


def check_draft(draft: Draft, story: Story, options: SummaryOptions) -> None:
    """Raise if the draft says what no source says, or breaks the house rules."""
    sources = [f"{a.title}\n{a.text}" for a in story.articles]
    for text in (draft.headline, *(s.text for s in draft.sentences)):
        missing = unsupported_mentions(text, sources)
        if missing:
            raise LLMSummaryRejectedError(f"not in any source: {', '.join(missing)}")
        loaded = loaded_words(text)
        if loaded:
            raise LLMSummaryRejectedError(f"loaded wording: {', '.join(loaded)}")
    if "?" in draft.headline:
        raise LLMSummaryRejectedError("the headline is a question")
    if len(draft.sentences) > options.max_sentences:
        raise LLMSummaryRejectedError(
            f"{len(draft.sentences)} sentences, more than the {options.max_sentences} asked for"
        )
    length = sum(len(words(s.text)) for s in draft.sentences)
    limit = options.word_limit(story_words(story))
    if limit is not None and length > limit:
        raise LLMSummaryRejectedError(f"{length} words, more than the {limit} asked for")


class LLMSummarizer:
    """Abstractive summaries through an OpenAI-compatible endpoint, with the
    extractive summary as the fallback. One client serves every story."""

    name = "llm"

    def __init__(self, client: ChatClient) -> None:
        self._client = client
        self._fallback = ExtractiveSummarizer()

    def close(self) -> None:
        self._client.close()

    def summarize(self, story: Story, options: SummaryOptions) -> Summary:
        try:
            draft = self._draft(story, options)
            check_draft(draft, story, options)
        except (LLMError, LLMSummaryRejectedError) as problem:
            log.warning("story %s: llm summary not used (%s); using extractive", story.id, problem)
            return self._fallback.summarize(story, options)
        keys = source_keys(story)
        return Summary(
            headline=shorten(draft.headline, options.headline_max_words),
            sentences=tuple(
                SummarySentence(s.text, tuple(keys[a] for a in s.sources)) for s in draft.sentences
            ),
            engine=self.name,
        )

    def _draft(self, story: Story, options: SummaryOptions) -> Draft:
        reply = self._client.complete(summary_prompt(story, options))
        return parse_reply(reply.content, len(story.articles))


def llm_summarizer(options: SummaryOptions) -> LLMSummarizer:
    """The ``llm`` engine, talking to the endpoint ``options.llm``."""
    if options.llm is None:
        raise LLMNotConfiguredError(
            "the llm summarizer needs an endpoint: set llm_base_url and llm_model "
            "(OHLIAD_LLM_BASE_URL and OHLIAD_LLM_MODEL, or in ohliad.toml)"
        )
    return LLMSummarizer(ChatClient(options.llm))
