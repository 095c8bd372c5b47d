"""Feed reading: skimming items by digest so that a re-polled feed parses only
the items not taken before."""

from __future__ import annotations

import pytest

from ohliad.ingest.feeds import read_feed, skim_feed

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Baltic Wire — World</title><link>https://wire.example/</link><language>en-GB</language>
{items}
</channel></rss>"""
ITEM = """<item><guid>{n}</guid><title>Report {n}</title><link>/news/{n}</link>
<dc:creator>Desk {n}</dc:creator><description>&lt;p&gt;Body of report {n}.&lt;/p&gt;</description></item>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title>
<entry><id>tag:wire,1</id><title>First</title><link href="https://wire.example/1"/>
<content type="html">&lt;p&gt;One.&lt;/p&gt;</content></entry>
<entry><id>tag:wire,2</id><title>Second</title><link href="https://wire.example/2"/>
<content type="html">&lt;p&gt;Two.&lt;/p&gt;</content></entry>
</feed>"""


def rss(*numbers: int) -> bytes:
    return RSS.format(items="".join(ITEM.format(n=n) for n in numbers)).encode()


def test_skipped_items_are_not_parsed_and_the_rest_read_as_before() -> None:
    whole = skim_feed(rss(3, 2, 1))
    assert whole is not None and not whole.skipped and len(set(whole.digests)) == 3
    # The same item in a later version of the feed has the same digest.
    later = skim_feed(rss(4, 3, 2), skip=set(whole.digests))
    assert later is not None
    assert later.skipped == set(whole.digests[:2])
    entries = read_feed(later.document, origin="wire", digests=later.digests)
    full = read_feed(rss(4), origin="wire")
    assert [e.entry_key for e in entries] == ["4"]
    assert entries[0].digest == later.digests[0]
    # Taking items out changes nothing in the rest: links, namespaced fields, feed fields.
    assert (entries[0].link, entries[0].title) == (full[0].link, full[0].title)
    assert entries[0].parsed.get("author") == "Desk 4"
    assert (entries[0].outlet, entries[0].language) == ("Baltic Wire", "en")


def test_atom_entries_are_skimmed_too() -> None:
    skim = skim_feed(ATOM.encode())
    assert skim is not None and len(skim.digests) == 2
    again = skim_feed(ATOM.encode(), skip={skim.digests[1]})
    assert again is not None
    entries = read_feed(again.document, origin="atom", digests=again.digests)
    assert [(e.entry_key, e.link) for e in entries] == [("tag:wire,1", "https://wire.example/1")]


@pytest.mark.parametrize(
    "document",
    [b"<rss><channel><item><title>Caf&eacute;</title></item></channel></rss>", b"not xml"],
)
def test_documents_that_are_not_well_formed_are_left_to_the_lenient_parser(
    document: bytes,
) -> None:
    assert skim_feed(document) is None
