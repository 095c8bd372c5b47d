from datetime import UTC, datetime

import pytest

from ohliad.ingest.text_dumps import parse_text_dump

DUMP = """date 2023-03-03
url https://www.example-wire.example/world/summit
outlet Example Wire

Leaders agree to meet again in Vienna

The talks ended without a joint statement but with a date for the next round.

Delegates leave the conference hall on Friday.
Photo: Jan Novak/Example Agency

VIENNA, March 3 (Example Wire) - Leaders of the two countries agreed on Friday to meet again next month, officials said.

The meeting lasted roughly three hours and covered energy and prisoner exchanges.
"""


def test_metadata_lines_become_fields() -> None:
    article = parse_text_dump(DUMP, origin="dump.txt")
    assert article.title == "Leaders agree to meet again in Vienna"
    assert article.url == "https://www.example-wire.example/world/summit"
    assert article.outlet == "Example Wire"
    assert article.published == datetime(2023, 3, 3, tzinfo=UTC)


def test_standfirst_and_caption_leave_the_body() -> None:
    article = parse_text_dump(DUMP)
    assert article.extra["standfirst"].startswith("The talks ended")
    assert "Photo: Jan Novak" in article.extra["captions"][0]
    assert article.text.startswith("VIENNA, March 3")
    assert "Photo:" not in article.text
    assert "talks ended without" not in article.text
    assert "roughly three hours" in article.text


def test_colon_keys_and_headline_stack_without_blank_lines() -> None:
    dump = (
        "Published: 2024-05-01T10:00:00+02:00\n"
        "Source: https://news.example/a\n\n"
        "Port reopens after storm\n"
        "Ships queued for two days.\n"
        "(Photo: Ana Lee/Port Photos)\n\n"
        "The port reopened on Wednesday after a storm closed it for two days, "
        "the harbour master said.\n"
    )
    article = parse_text_dump(dump)
    assert article.url == "https://news.example/a"
    assert article.published == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert article.title == "Port reopens after storm"
    assert article.extra["standfirst"] == "Ships queued for two days."
    assert article.text.startswith("The port reopened")


def test_plain_prose_keeps_its_first_paragraph() -> None:
    prose = (
        "The council voted on Monday to expand the tram network to the airport.\n\n"
        "Work is due to start next year."
    )
    article = parse_text_dump(prose)
    assert "voted on Monday" in article.text
    assert "Work is due" in article.text


def test_a_date_line_that_is_not_a_date_is_prose() -> None:
    article = parse_text_dump("Date night ideas for busy parents.\n\nTry cooking together.")
    assert article.published is None


def test_metadata_only_is_an_error() -> None:
    with pytest.raises(ValueError, match="no article text"):
        parse_text_dump("date 2023-03-03\nurl https://a.example/x\n")
