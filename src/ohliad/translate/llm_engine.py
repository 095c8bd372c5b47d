"""The ``llm`` engine: any OpenAI-compatible chat endpoint.

Segments of one kind go in one request as a JSON list, with the renderings
the glossary and the name table require; the reply must be a JSON list of
the same length. A segment whose batch reply is unusable comes back as None,
and ``ukrainian_for`` asks again for it alone, with the plain-text prompt.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from ohliad.chat_client import (
    ChatClient,
    ChatMessage,
    ChatReply,
    LLMConnectionError,
    LLMError,
)
from ohliad.models import Article
from ohliad.translate.engine import (
    EngineUnreachableError,
    Rendering,
    Segment,
    SegmentKind,
    TranslationEngineError,
    TranslatorUnavailableError,
)
from ohliad.translate.options import TranslateOptions

SYSTEM_PROMPT = (
    "You are a professional translator for a Ukrainian-language review of the foreign press. "
    "You translate English news into correct, natural, modern Ukrainian (standard orthography). "
    "Keep every number in digits, keep names of people and places as Ukrainian media write them, "
    "keep quotations as quotations. Never add comments or explanations."
)
_TASK = {
    "headline": "Translate this news headline into Ukrainian, in headline style, "
    "with no full stop at the end.",
    "sentence": "Translate this sentence of a news summary into Ukrainian.",
}
DIRECT_SUMMARY_PROMPT = (
    "Below are reports by several outlets about one event. Write a neutral summary of the "
    "event in Ukrainian, {min}–{max} sentences: what all sources report first, then details "
    "only one source gives, naming it. Use only facts from the reports; keep numbers in digits. "
    "Reply with the summary text only."
)
_FENCE = re.compile(r"^```\w*\s*|\s*```$")
_WRAPPING_QUOTES = ("\"'«“„", "\"'»”“")
# Characters the summarizer may send per article in a direct-summary prompt.
MAX_ARTICLE_CHARS = 4000


def reply_token_limit(segments: Sequence[Segment]) -> int:
    """A cap on a reply's length, so a model that rambles stops: Ukrainian
    takes at most about two tokens per English character, plus the JSON."""
    return 64 + 2 * sum(len(s.text) for s in segments)


def _renderings_note(renderings: Sequence[Rendering]) -> str:
    if not renderings:
        return ""
    pairs = "; ".join(f"{r.english} → {r.ukrainian}" for r in dict.fromkeys(renderings))
    return f"\nUse these renderings (inflect them as the sentence needs): {pairs}."


def single_prompt(segment: Segment) -> list[ChatMessage]:
    """The plain-text prompt for one segment: the reply is the translation alone."""
    task = _TASK[segment.kind] + " Reply with the Ukrainian translation only."
    return [
        ChatMessage("system", SYSTEM_PROMPT),
        ChatMessage("user", f"{task}{_renderings_note(segment.renderings)}\n\n{segment.text}"),
    ]


def batch_prompt(kind: SegmentKind, segments: Sequence[Segment]) -> list[ChatMessage]:
    """One prompt for several segments of one kind: a JSON list in, a JSON list out."""
    renderings = [r for s in segments for r in s.renderings]
    task = (
        _TASK[kind].replace("this", "each")
        + f" The input is a JSON list of {len(segments)} English texts. Reply with a JSON "
        f"list of exactly {len(segments)} Ukrainian translations, in the same order, "
        "and nothing else."
    )
    texts = json.dumps([s.text for s in segments], ensure_ascii=False)
    return [
        ChatMessage("system", SYSTEM_PROMPT),
        ChatMessage("user", f"{task}{_renderings_note(renderings)}\n\n{texts}"),
    ]


def direct_summary_prompt(
    articles: Sequence[Article], renderings: Sequence[Rendering], sentences: tuple[int, int]
) -> list[ChatMessage]:
    reports = "\n\n".join(f"[{a.label}] {a.title}\n{a.text[:MAX_ARTICLE_CHARS]}" for a in articles)
    task = DIRECT_SUMMARY_PROMPT.format(min=sentences[0], max=sentences[1])
    return [
        ChatMessage("system", SYSTEM_PROMPT),
        ChatMessage("user", f"{task}{_renderings_note(renderings)}\n\n{reports}"),
    ]


def clean_single_reply(content: str) -> str:
    """The translation from a plain-text reply: no code fence, no wrapping quotes."""
    text = _FENCE.sub("", content.strip()).strip()
    opening, closing = _WRAPPING_QUOTES
    if len(text) > 1 and text[0] in opening and text[-1] in closing:
        inner = text[1:-1]
        # Only a pair around the whole reply, not a quotation that ends it.
        if not any(q in inner for q in '«»"“”'):
            text = inner.strip()
    return text


def parse_batch_reply(content: str, expected: int) -> list[str] | None:
    """The list of translations in a batch reply, or None if it is not one."""
    text = _FENCE.sub("", content.strip()).strip()
    start, end = text.find("["), text.rfind("]")
    if start < 0 or end <= start:
        return None
    try:
        items = json.loads(text[start : end + 1])
    except ValueError:
        return None
    if (
        not isinstance(items, list)
        or len(items) != expected
        or not all(isinstance(i, str) for i in items)
    ):
        return None
    return [i.strip() for i in items]


class LLMTranslator:
    """Translation by an OpenAI-compatible chat model."""

    name = "llm"
    deterministic = False

    def __init__(self, client: ChatClient) -> None:
        self.client = client
        self.model: str | None = client.settings.model

    def translate(self, segments: Sequence[Segment]) -> list[str | None]:
        groups: dict[SegmentKind, list[int]] = {}
        for i, segment in enumerate(segments):
            groups.setdefault(segment.kind, []).append(i)
        requests = [
            single_prompt(segments[ix[0]])
            if len(ix) == 1
            else batch_prompt(kind, [segments[i] for i in ix])
            for kind, ix in groups.items()
        ]
        limit = reply_token_limit(segments)
        replies = self.client.complete_many(requests, max_tokens=limit)
        _raise_if_all_failed(replies)
        results: list[str | None] = [None] * len(segments)
        for indexes, reply in zip(groups.values(), replies, strict=True):
            if isinstance(reply, LLMError):
                continue
            if len(indexes) == 1:
                results[indexes[0]] = clean_single_reply(reply.content)
                continue
            parsed: Sequence[str | None] = parse_batch_reply(reply.content, len(indexes)) or [
                None
            ] * len(indexes)
            for i, text in zip(indexes, parsed, strict=True):
                results[i] = text
        return results

    def write_summary(
        self,
        articles: Sequence[Article],
        renderings: Sequence[Rendering],
        sentences: tuple[int, int] = (3, 6),
    ) -> str:
        """A Ukrainian summary written straight from the source articles."""
        try:
            reply = self.client.complete(direct_summary_prompt(articles, renderings, sentences))
        except LLMError as error:
            raise TranslationEngineError(str(error)) from None
        return clean_single_reply(reply.content)


def _raise_if_all_failed(replies: Sequence[ChatReply | LLMError]) -> None:
    errors = [r for r in replies if isinstance(r, LLMError)]
    if errors and len(errors) == len(replies):
        unreachable = all(isinstance(e, LLMConnectionError) for e in errors)
        raise (EngineUnreachableError if unreachable else TranslationEngineError)(str(errors[0]))


def open_llm_translator(options: TranslateOptions) -> LLMTranslator:
    """The ``llm`` engine, after checking that its endpoint answers."""
    if options.llm is None:
        raise TranslatorUnavailableError(
            "no LLM endpoint configured (set OHLIAD_LLM_BASE_URL and OHLIAD_LLM_MODEL)"
        )
    client = ChatClient(options.llm)
    try:
        client.models()
    except LLMConnectionError as error:
        client.close()
        raise TranslatorUnavailableError(str(error)) from None
    except LLMError:
        pass  # Reachable; some servers just do not list their models.
    return LLMTranslator(client)
