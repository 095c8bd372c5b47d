from ohliad.ingest.markdown_docs import is_digest_markdown, markdown_to_text, parse_markdown

ENTRY = """## Ukraine and Moldova open a joint border checkpoint

### *Україна та Молдова відкрили спільний пункт пропуску*

*Україна та Молдова запровадили спільний контроль на кордоні. Перевірка тепер відбувається один раз.*

<https://one.example/a> · <https://two.example/b>

Ukraine and Moldova began joint border checks, so travellers are inspected once.
"""


def test_house_format_entry_reads_back_its_parts() -> None:
    [article] = parse_markdown(ENTRY, origin="entry.md")
    assert article.title == "Ukraine and Moldova open a joint border checkpoint"
    assert article.extra["headline_uk"] == "Україна та Молдова відкрили спільний пункт пропуску"
    assert article.extra["summary_uk"].startswith("Україна та Молдова запровадили")
    assert article.extra["sources"] == ["https://one.example/a", "https://two.example/b"]
    assert article.url == "https://one.example/a"
    assert article.text == (
        "Ukraine and Moldova began joint border checks, so travellers are inspected once."
    )


def test_a_digest_with_several_entries_gives_one_article_each() -> None:
    second = ENTRY.replace("one.example/a", "three.example/c").replace("joint border", "new")
    articles = parse_markdown("# Digest\n\n" + ENTRY + "\n" + second)
    assert [a.url for a in articles] == ["https://one.example/a", "https://three.example/c"]


def test_front_matter_article() -> None:
    text = (
        "---\ntitle: Bridge closes\nurl: https://x.example/bridge\noutlet: X News\n"
        "published: 2026-03-01T10:00:00Z\n---\n\n# Bridge closes\n\n"
        "The [old bridge](https://x.example/b) closed on **Monday** for repairs.\n\n"
        "![a photo](https://x.example/p.jpg)\n\nIt will reopen in May.\n"
    )
    [article] = parse_markdown(text)
    assert article.title == "Bridge closes"
    assert article.outlet == "X News"
    assert article.published is not None and article.published.year == 2026
    assert article.text == "The old bridge closed on Monday for repairs.\n\nIt will reopen in May."


def test_ordinary_markdown_is_not_a_digest() -> None:
    assert not is_digest_markdown("## Notes\n\nSome text.")
    assert markdown_to_text("Some *emphasis* and `code`.") == "Some emphasis and code."
