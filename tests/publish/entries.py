"""Digest entries for the publishing tests: a plain one, one without
Ukrainian, and hostile text (markup, ampersands, emoji, Cyrillic)."""

from __future__ import annotations

from datetime import UTC, datetime

from ohliad.models import DigestEntry, EntrySource, Summary, SummarySentence, UkrainianText

HOSTILE = '<script>alert("x")</script> & <b>bold</b> &amp; 🇺🇦😀 «Київ»'


def entry(
    story_id: str = "s1",
    *,
    headline: str = "Poland scrambles jets as drones cross its border",
    text: str = "Fifteen drones entered Polish airspace overnight. Debris fell near Hrubieszów.",
    uk_headline: str | None = "Польща підняла винищувачі через дрони",
    uk_summary: str = "П'ятнадцять дронів залетіли у повітряний простір Польщі.",
    sources: tuple[EntrySource, ...] | None = None,
    unavailable: str | None = None,
) -> DigestEntry:
    if sources is None:
        sources = (
            EntrySource("https://a.example/1?x=1&y=2", "A News", "Drones", None, 1),
            EntrySource("https://b.example/2", "B Wire", "Jets", None, 2),
        )
    ukrainian = (
        UkrainianText(headline=uk_headline, summary=uk_summary, engine="llm")
        if uk_headline is not None
        else None
    )
    return DigestEntry(
        story_id=story_id,
        summary=Summary(headline=headline, sentences=(SummarySentence(text, (1,)),)),
        sources=sources,
        article_ids=(1, 2),
        updated=datetime(2026, 3, 5, 9, tzinfo=UTC),
        ukrainian=ukrainian,
        ukrainian_unavailable=unavailable,
    )
