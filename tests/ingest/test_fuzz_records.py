"""Fuzzing the records and URLs ohliad reads (issue 21): whatever a record
holds, reading and storing it either stores it or fails it alone with a
one-line reason, and never loses or repeats the records beside it."""

from __future__ import annotations

import functools
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ohliad.cluster import ClusterConfig
from ohliad.ingest import IngestFailure, read_inputs
from ohliad.ingest.records import InvalidRecordError, checked_url
from ohliad.ingest.sources import finalize
from ohliad.ingest.urls import canonical_url
from ohliad.models import Article
from ohliad.pipeline import Pipeline, PipelineOptions
from ohliad.store import Store

# Any code point, surrogates and controls included.
ANY_CHARACTER = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, categories=None)
HOSTILE_PIECES = [
    "https://",
    "http://",
    "javascript:",
    "[::1",
    "]",
    ":99999",
    ":0",
    "@",
    "%00",
    "%",
    "#",
    "?",
    "\x00",
    "\ud800",
    "\n",
    " ",
    "a" * 70,
    ".",
    "xn--",
    "ü",
    "/..",
]
URLS = st.one_of(
    st.text(ANY_CHARACTER, max_size=60),
    st.lists(st.sampled_from(HOSTILE_PIECES), max_size=8).map("".join),
    st.builds(
        "{}://{}{}/{}".format,
        st.sampled_from(["http", "https", "ftp", ""]),
        st.text(ANY_CHARACTER, max_size=20),
        st.sampled_from(["", ":80", ":65536", ":-1", ":x"]),
        st.text(ANY_CHARACTER, max_size=20),
    ),
)


@given(URLS)
@settings(max_examples=300, deadline=None)
def test_a_url_is_stored_or_refused_never_a_crash(url: str) -> None:
    try:
        article = finalize(Article(title="Title", text="Text of the article.", url=url))
    except InvalidRecordError as exc:
        assert "\n" not in str(exc)
        return
    # What is stored is storable, and canonical already.
    assert article.url is None or canonical_url(checked_url(article.url)) == article.url


FIELD = st.one_of(
    st.none(),
    st.text(ANY_CHARACTER, max_size=40),
    st.integers(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
RECORDS = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "title": FIELD,
            "text": st.one_of(FIELD, st.text(ANY_CHARACTER, min_size=20, max_size=400)),
            "url": st.one_of(st.none(), URLS),
            "outlet": FIELD,
            "author": FIELD,
            "language": FIELD,
            "published": FIELD,
        },
    ),
    max_size=6,
)
GOOD = {
    "title": "Council approves flood defence budget",
    "text": "The regional council approved the flood defence budget on Tuesday after a debate.",
}


@functools.cache
def _pipeline() -> Pipeline:
    """One store for every example (each example's good record has a URL of its own)."""
    folder = Path(tempfile.mkdtemp(prefix="ohliad-fuzz-"))
    options = PipelineOptions(cluster=ClusterConfig.for_embedder("minilm-static"), compare=False)
    return Pipeline(Store.open(str(folder / "fuzz.db")), options)


@given(RECORDS, st.integers(0, 6))
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_any_records_store_what_they_can_and_fail_the_rest_alone(
    records: list[dict[str, object]], where: int
) -> None:
    pipeline = _pipeline()
    before = pipeline.store.article_count()
    mark = f"{before}-{len(records)}-{where}"
    good = {**GOOD, "text": f"{GOOD['text']} Vote {mark}.", "url": f"https://good.example/{mark}"}
    records = [*records[:where], good, *records[where:]]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "fuzz.jsonl"
        # json.dumps escapes surrogates, as a JSON file in the wild may hold them.
        source.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
        outcomes = list(read_inputs([str(source)]))
    failures = [o for o in outcomes if isinstance(o, IngestFailure)]
    articles = [o for o in outcomes if isinstance(o, Article)]
    assert len(articles) + len(failures) == len(records)
    assert all("\n" not in str(f) for f in failures)
    report = pipeline.ingest(articles)
    assert report.added + report.already_stored == len(articles)
    assert pipeline.store.article_count() == before + report.added
    urls = [a.url for a in pipeline.store.articles() if a.url]
    assert good["url"] in urls and len(urls) == len(set(urls))


@pytest.mark.parametrize("url", ["0 #", "https://x.example/a #top"])
def test_a_space_before_a_fragment_does_not_end_the_canonical_url(url: str) -> None:
    canonical = canonical_url(url)
    assert canonical == canonical_url(canonical)
    assert not canonical.endswith(" ")


@pytest.mark.parametrize(
    ("url", "canonical"),
    [("A://[::]", "a://[::]/"), ("http://[2001:DB8::1]:8080/x#f", "http://[2001:db8::1]:8080/x")],
)
def test_an_ipv6_host_keeps_its_brackets(url: str, canonical: str) -> None:
    # Without them 'A://[::]' was stored as 'a://::/', which no parser reads back.
    assert canonical_url(url) == canonical
    assert checked_url(canonical_url(url)) == canonical
