"""The Ukrainian headline and summary of a digest entry.

Each segment (the headline, each summary sentence) is translated in one
batch per engine, finished (glossary corrections, names, dates and numbers,
house style) and validated. A segment that fails goes to the engine's second
try (one request of its own, for engines that are not deterministic), then
to the next engine of a fallback chain. If it still fails, the entry has no
Ukrainian, and says why: English is never passed off as Ukrainian.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ohliad.models import Article, CachedTranslation, Summary, UkrainianText, translation_cache_key
from ohliad.translate.cache import TranslationCache
from ohliad.translate.engine import (
    DisabledTranslator,
    EngineUnreachableError,
    FallbackTranslator,
    Segment,
    SegmentKind,
    SummaryWriter,
    TranslationEngineError,
    Translator,
)
from ohliad.translate.glossary import Glossary, load_glossary
from ohliad.translate.localize import localize
from ohliad.translate.names import NameFixer, NameTable, name_table
from ohliad.translate.options import TranslateOptions
from ohliad.translate.style import StyleProfile, style_profile
from ohliad.translate.validate import (
    chatter_problem,
    script_problem,
    spelling_problem,
    translation_problem,
)

# What an entry without Ukrainian says of it, to its readers: no setup hints
# (those are for the person running ohliad, ``engine.HOW_TO_ENABLE``).
NO_ENGINE = "no translation engine is set up"
# A summary written from the sources must stay within the house 3–6 sentences.
DIRECT_SUMMARY_SENTENCES = (3, 6)
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")


@dataclass(frozen=True, slots=True)
class UkrainianResult:
    """Either the Ukrainian text, or a one-line reason it is unavailable."""

    text: UkrainianText | None
    unavailable: str | None

    def __post_init__(self) -> None:
        if (self.text is None) == (self.unavailable is None):
            raise ValueError("UkrainianResult needs exactly one of text and unavailable")


@dataclass(frozen=True, slots=True)
class PreparedSegment:
    """A segment with what finishing and checking its translation needs."""

    segment: Segment
    names: NameFixer


@dataclass(frozen=True, slots=True)
class Finisher:
    """Turns an engine's raw output into house Ukrainian, and checks it."""

    glossary: Glossary
    names: NameTable
    style: StyleProfile

    def prepare(self, texts: Sequence[tuple[str, SegmentKind]]) -> list[PreparedSegment]:
        """Segments with the renderings their translations must use (one NER batch)."""
        fixers = NameFixer.for_texts([text for text, _ in texts], self.names)
        return [
            PreparedSegment(
                Segment(text, kind, self.glossary.renderings_for(text) + names.renderings()),
                names,
            )
            for (text, kind), names in zip(texts, fixers, strict=True)
        ]

    def finish(self, prepared: PreparedSegment, raw: str) -> str:
        text = " ".join(raw.split())
        text = prepared.names.apply(self.glossary.apply(text))
        return self.style.apply(localize(text))

    def problem(
        self, prepared: PreparedSegment, finished: str, *, spelling: bool = False
    ) -> str | None:
        """The first reason ``finished`` cannot stand; with ``spelling``, a
        text of unknown words (the garbage a generative engine can write) too."""
        source = prepared.segment.text
        problems = [
            translation_problem(source, finished),
            spelling_problem(finished) if spelling else None,
            *self.glossary.missing(source, finished),
            *prepared.names.missing(finished),
            *self.style.problems(finished),
        ]
        return next((p for p in problems if p), None)

    def summary_problem(self, prepared: PreparedSegment, finished: str) -> str | None:
        """Checks for a summary written from the sources: Ukrainian, no chatter,
        3–6 sentences, house style. It need not mention every term of the
        English summary; the terms it does use were corrected by ``finish``."""
        low, high = DIRECT_SUMMARY_SENTENCES
        count = len(_SENTENCE_END.findall(finished))
        problems = [
            script_problem(finished),
            spelling_problem(finished),
            chatter_problem(finished),
            None if low <= count <= high else f"{count} sentences, not {low}–{high}",
            *self.style.problems(finished),
        ]
        return next((p for p in problems if p), None)


@functools.cache
def finisher_for(style: str, glossary_file: Path | None) -> Finisher:
    glossary = load_glossary(glossary_file)
    return Finisher(glossary, name_table(dict(glossary.names)), style_profile(style))


@dataclass
class _Progress:
    """Per segment: the finished text once one passes, else the latest failure."""

    segments: Sequence[PreparedSegment]
    texts: list[str | None] = field(init=False)
    reasons: list[str] = field(init=False)
    engines_used: list[Translator] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.texts = [None] * len(self.segments)
        self.reasons = [""] * len(self.segments)

    def pending(self) -> list[int]:
        return [i for i, text in enumerate(self.texts) if text is None]

    def accept(self, i: int, text: str, engine: Translator) -> None:
        self.texts[i] = text
        if engine not in self.engines_used:
            self.engines_used.append(engine)


def _engines(translator: Translator) -> tuple[Translator, ...]:
    return translator.engines if isinstance(translator, FallbackTranslator) else (translator,)


def _generative(engine: Translator) -> bool:
    """An engine that writes free text (a chat model, not deterministic) can
    reply in fluent-looking garbage; its Ukrainian is spell-checked too."""
    return not engine.deterministic


def _key(prepared: PreparedSegment, engine: Translator, style: str) -> str:
    segment = prepared.segment
    return translation_cache_key(segment.text, engine.name, engine.model, style, segment.kind)


def _try_engine(
    engine: Translator,
    indexes: list[int],
    progress: _Progress,
    finisher: Finisher,
    new_entries: list[CachedTranslation],
) -> bool:
    """Ask ``engine`` for the segments at ``indexes`` in one batch, and keep
    what passes. False if the engine could not be reached."""
    prepared = [progress.segments[i] for i in indexes]
    try:
        raw = engine.translate([p.segment for p in prepared])
    except TranslationEngineError as error:
        for i in indexes:
            progress.reasons[i] = f"{engine.name}: {error}"
        return not isinstance(error, EngineUnreachableError)
    for i, item, output in zip(indexes, prepared, raw, strict=True):
        if output is None:
            progress.reasons[i] = f"{engine.name} returned no translation"
            continue
        finished = finisher.finish(item, output)
        problem = finisher.problem(item, finished, spelling=_generative(engine))
        if problem:
            progress.reasons[i] = f"{engine.name}: {problem}"
            continue
        progress.accept(i, finished, engine)
        segment = item.segment
        new_entries.append(
            CachedTranslation(
                segment.text, engine.name, engine.model, finisher.style.name, segment.kind, output
            )
        )
    return True


def translate_segments(
    segments: Sequence[PreparedSegment],
    translator: Translator,
    finisher: Finisher,
    cache: TranslationCache | None = None,
) -> _Progress:
    progress = _Progress(segments)
    style = finisher.style.name
    for engine in _engines(translator):
        pending = progress.pending()
        if not pending:
            break
        new_entries: list[CachedTranslation] = []
        if cache is not None:
            keys = {i: _key(segments[i], engine, style) for i in pending}
            cached = cache.get_many(list(keys.values()))
            for i, key in keys.items():
                if key in cached:
                    finished = finisher.finish(segments[i], cached[key])
                    if (
                        finisher.problem(segments[i], finished, spelling=_generative(engine))
                        is None
                    ):
                        progress.accept(i, finished, engine)
        reachable = not progress.pending() or _try_engine(
            engine, progress.pending(), progress, finisher, new_entries
        )
        if reachable and not engine.deterministic:
            # A second chance, one segment per request: a batch reply can go
            # wrong as a whole where single requests succeed.
            for i in progress.pending():
                _try_engine(engine, [i], progress, finisher, new_entries)
        if cache is not None and new_entries:
            cache.put_many(new_entries)
    return progress


def _sources_text(articles: Sequence[Article]) -> str:
    return "\n\n".join(f"{a.title}\n{a.text}" for a in articles)


def direct_summary(
    summary: Summary,
    articles: Sequence[Article],
    writer: SummaryWriter,
    finisher: Finisher,
    cache: TranslationCache | None = None,
) -> str | None:
    """The Ukrainian summary ``writer`` wrote from the sources, finished, or
    None if it failed or did not pass the checks (the caller then translates)."""
    (prepared,) = finisher.prepare([(summary.text, "sentence")])
    sources = _sources_text(articles)
    style = finisher.style.name
    key = translation_cache_key(sources, writer.name, writer.model, style, "direct-summary")
    raw = cache.get_many([key]).get(key) if cache is not None else None
    if raw is None:
        try:
            raw = writer.write_summary(
                articles, prepared.segment.renderings, DIRECT_SUMMARY_SENTENCES
            )
        except TranslationEngineError:
            return None
    finished = finisher.finish(prepared, raw)
    if finisher.summary_problem(prepared, finished):
        return None
    if cache is not None:
        cache.put_many(
            [CachedTranslation(sources, writer.name, writer.model, style, "direct-summary", raw)]
        )
    return finished


def ukrainian_for(
    summary: Summary,
    articles: Sequence[Article],
    translator: Translator | None,
    *,
    options: TranslateOptions,
    cache: TranslationCache | None = None,
) -> UkrainianResult:
    """The Ukrainian headline and summary for ``summary``, or why there are none."""
    if translator is None:
        return UkrainianResult(None, NO_ENGINE)
    if isinstance(translator, DisabledTranslator):
        return UkrainianResult(None, translator.reason)
    finisher = finisher_for(options.style, options.glossary)
    written, writers = None, []
    if options.llm_direct_summary and articles:
        # Write the summary from the sources; if that fails its checks, the
        # English summary's sentences are translated instead.
        writers = [e for e in _engines(translator) if isinstance(e, SummaryWriter)]
        for writer in writers:
            written = direct_summary(summary, articles, writer, finisher, cache)
            if written is not None:
                writers = [writer]
                break
    texts: list[tuple[str, SegmentKind]] = [(summary.headline, "headline")]
    if written is None:
        texts += [(s.text, "sentence") for s in summary.sentences]
    segments = finisher.prepare(texts)
    progress = translate_segments(segments, translator, finisher, cache)
    for i in progress.pending():
        kind = "headline" if i == 0 else f"summary sentence {i}"
        return UkrainianResult(
            None, f"Ukrainian unavailable: the {kind} failed: {progress.reasons[i]}"
        )
    headline, *sentences = (t or "" for t in progress.texts)
    used: list[Translator | SummaryWriter] = list(progress.engines_used)
    if written is not None:
        used += [w for w in writers if w not in used]
    return UkrainianResult(
        UkrainianText(
            headline=headline,
            summary=written if written is not None else " ".join(sentences),
            engine="+".join(dict.fromkeys(e.name for e in used)),
            model=used[0].model if used else None,
        ),
        None,
    )
