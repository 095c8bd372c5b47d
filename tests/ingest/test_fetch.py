import gzip

import pytest

from ohliad.ingest import (
    FetchError,
    FetchOptions,
    IngestFailure,
    UnsafeURLError,
    fetch,
    read_inputs,
)
from ohliad.ingest.urls import _is_public, canonical_url, check_fetchable
from ohliad.models import Article

ALLOW = FetchOptions(allow_private=True)


def test_loopback_is_refused_unless_allowed(http_server) -> None:
    url = http_server.add("/a", "hello")
    with pytest.raises(UnsafeURLError, match="non-public address"):
        fetch(url)
    assert fetch(url, ALLOW).content == b"hello"


@pytest.mark.parametrize(
    "url",
    ["http://10.0.0.1/", "http://169.254.169.254/latest", "http://[::1]/", "file:///etc/passwd"],
)
def test_private_and_non_http_urls_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURLError):
        check_fetchable(url)


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::10.0.0.1",  # NAT64 (RFC 6052) to a private address
        "64:ff9b::127.0.0.1",
        "64:ff9b::169.254.169.254",
        "64:ff9b:1::a00:1",  # the local-use NAT64 prefix (RFC 8215)
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "::10.0.0.1",  # IPv4-compatible
        "::127.0.0.1",
        "::169.254.169.254",
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
    ],
)
def test_ipv6_forms_of_private_ipv4_addresses_are_refused(address: str) -> None:
    assert not _is_public(address)
    with pytest.raises(UnsafeURLError, match="non-public address"):
        check_fetchable(f"http://[{address}]/")


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "2002:808:808::1", "2606:4700::1111"],
)
def test_public_addresses_pass_in_every_form(address: str) -> None:
    assert _is_public(address)


def test_redirect_limit_and_size_cap(http_server) -> None:
    for i in range(8):
        http_server.add(f"/r{i}", "", status=302, Location=f"/r{i + 1}")
    http_server.add("/big", b"x" * 5000)
    with pytest.raises(FetchError, match="redirects"):
        fetch(http_server.url("/r0"), FetchOptions(allow_private=True, max_redirects=3))
    with pytest.raises(FetchError, match="larger than"):
        fetch(http_server.url("/big"), FetchOptions(allow_private=True, max_bytes=1000))


def test_decompression_bomb_is_stopped(http_server) -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)
    http_server.add("/bomb", bomb, Content_Encoding="gzip")
    with pytest.raises(FetchError, match="decompressed"):
        fetch(http_server.url("/bomb"), FetchOptions(allow_private=True, max_bytes=100_000))


def test_feed_url_with_teasers_fetches_full_articles(http_server) -> None:
    body = "".join(
        f"<p>The regional parliament passed the water law on Monday, paragraph {i}, "
        "after months of debate over who pays for new pipes and pumping stations.</p>"
        for i in range(8)
    )
    http_server.add(
        "/story",
        f"<html><head><title>Water law passes</title></head><body><article><h1>Water law passes</h1>{body}</article></body></html>",
        Content_Type="text/html; charset=utf-8",
    )
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Local Wire</title>
      <item><title>Water law passes</title><link>{http_server.url("/story")}</link>
      <description>Short teaser.</description><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item>
    </channel></rss>"""
    url = http_server.add("/feed.xml", feed, Content_Type="application/rss+xml")
    [article] = list(
        read_inputs(
            [url],
            __import__("ohliad.ingest", fromlist=["IngestOptions"]).IngestOptions(fetch=ALLOW),
        )
    )
    assert isinstance(article, Article)
    assert "pumping stations" in article.text
    assert article.outlet == "Local Wire"
    assert article.published is not None and article.published.day == 2


def test_unreachable_url_is_a_one_line_failure() -> None:
    from ohliad.ingest import IngestOptions

    [failure] = list(read_inputs(["http://127.0.0.1:9/nothing"], IngestOptions(fetch=ALLOW)))
    assert isinstance(failure, IngestFailure)
    assert failure.origin == "http://127.0.0.1:9/nothing"
    assert "\n" not in failure.reason


def test_canonical_url_drops_tracking_and_fragments() -> None:
    assert (
        canonical_url("HTTPS://News.Example:443/a/b?utm_source=x&b=2&a=1#top")
        == "https://news.example/a/b?a=1&b=2"
    )


def test_server_charset_decodes_a_page_without_its_own(http_server) -> None:
    from ohliad.ingest import IngestOptions

    body = "".join(
        f"<p>Рада ухвалила закон про воду в понеділок, абзац {i}, після довгих суперечок про те, хто платить за нові труби.</p>"
        for i in range(6)
    )
    page = f"<html><head><title>Закон про воду</title></head><body><article><h1>Закон про воду</h1>{body}</article></body></html>"
    url = http_server.add(
        "/uk", page.encode("cp1251"), Content_Type="text/html; charset=windows-1251"
    )
    [article] = list(read_inputs([url], IngestOptions(fetch=ALLOW)))
    assert isinstance(article, Article)
    assert "ухвалила закон" in article.text
    assert article.language == "uk"


def test_not_modified_is_an_answer_not_a_redirect(http_server) -> None:
    url = http_server.add("/feed", b"", status=304, ETag='"v1"')
    result = fetch(url, FetchOptions(allow_private=True, headers={"If-None-Match": '"v1"'}))
    assert result.status == 304
    assert result.headers["etag"] == '"v1"'
