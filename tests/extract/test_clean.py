from __future__ import annotations

from ohliad.extract import clean_news_text

BODY = [
    "Officials in the port city said on Monday that the new ferry terminal would open in May, "
    "two years later than planned, after a dispute over the contract for the harbour walls.",
    "The delay has cost the city about 40 million euros, according to the auditor's report, "
    "which was published after months of pressure from opposition councillors.",
    "The mayor said the terminal would still pay for itself within a decade, because the number "
    "of passengers crossing to the islands has doubled since the old pier closed.",
]


def cleaned(*extra: str, at: int = 1, title: str | None = None) -> list[str]:
    paragraphs = [*BODY[:at], *extra, *BODY[at:]]
    return clean_news_text("\n".join(paragraphs), title=title).split("\n\n")


def test_keeps_prose_untouched() -> None:
    assert cleaned() == BODY


def test_drops_photo_captions_and_credits() -> None:
    assert (
        cleaned("The mayor at the opening of the old pier in 2019. /Pool/AFP via Getty Images")
        == BODY
    )
    assert cleaned("Photo: Jan Novak/Reuters") == BODY
    assert cleaned("Image copyright Harbour Authority") == BODY
    assert cleaned("Фото: Олена Коваленко / Укрінформ") == BODY


def test_drops_gallery_chrome() -> None:
    assert cleaned("1 of 12", "Photo 3/10", "View gallery", "Next image") == BODY


def test_drops_read_more_lines_and_teasers() -> None:
    assert cleaned("Read more: Why the islands want a second ferry") == BODY
    assert cleaned("RELATED: Port strike ends after nine days") == BODY
    assert cleaned("Council budget row deepens [VIDEO]") == BODY
    assert cleaned("Also on gazette.example Port strike ends after nine days") == BODY
    assert cleaned("Download: https://podcast.example/ep12") == BODY
    assert cleaned("Читайте також: Пором до островів запустять у травні") == BODY
    assert cleaned("Lesen Sie auch: Neue Fähre ab Mai") == BODY


def test_drops_pull_quote_and_its_attribution() -> None:
    quote = "the terminal would still pay for itself within a decade"
    assert cleaned(f"“{quote.capitalize()}”", "— the mayor", at=2) == BODY


def test_drops_reporting_credits() -> None:
    assert cleaned("Anna Petrenko reported from Moscow; John Smith in Washington.", at=3) == BODY
    assert cleaned("Reporting by Anna Petrenko; Editing by John Smith", at=3) == BODY
    assert cleaned("The Associated Press contributed to this report.", at=3) == BODY


def test_drops_newsletter_paywall_and_cookie_notices() -> None:
    assert cleaned("Sign up for our morning newsletter to get the news in your inbox.") == BODY
    assert cleaned("Already a subscriber? Log in to continue reading.") == BODY
    assert cleaned("We use cookies to improve your experience on this site.") == BODY
    assert cleaned("Follow us on Telegram") == BODY


def test_drops_contact_lines_reading_times_and_labels() -> None:
    assert cleaned("anna.petrenko@courier.example", "twitter.com/annapetrenko", at=3) == BODY
    assert (
        cleaned("Reach the reporter on Twitter at https://twitter.com/annapetrenko", at=3) == BODY
    )
    assert cleaned("Jan Novak contributed reporting from Gdansk.", at=3) == BODY
    assert cleaned("4 min read", "Tags", "You may also like...", "Most read in world news") == BODY
    assert cleaned("Get the day's top headlines delivered to your inbox every morning.") == BODY


def test_drops_date_lines_above_the_body_only() -> None:
    assert cleaned("Monday, November 18, 2019", "5:45 AM PST 11/19/2019 by Jane Doe", at=0) == BODY
    kicker = "Ferry terminal: the background"
    assert cleaned(kicker, at=0) == [kicker, *BODY]
    assert cleaned("Monday, November 18, 2019", at=2) == [
        *BODY[:2],
        "Monday, November 18, 2019",
        BODY[2],
    ]


def test_drops_byline_dateline_and_repeated_title() -> None:
    title = "Ferry terminal opening delayed to May"
    assert (
        cleaned(
            title, "By Anna Petrenko and John Smith", "Updated: 3 May 2024 10:00", at=0, title=title
        )
        == BODY
    )


def test_drops_title_variants_at_the_top() -> None:
    title = "Opinion | Ferry terminal opening delayed to May - Port Gazette"
    assert cleaned("Ferry terminal opening delayed to May", at=0, title=title) == BODY
    assert cleaned("Ferry terminal opening is delayed to May", at=0, title=title) == BODY


def test_keeps_sentences_that_only_mention_trigger_words() -> None:
    prose = [
        "By the end of the year, the photo agency said, it will have moved all its staff to the port.",
        "Readers can subscribe to the ferry operator's timetable, the mayor added in a statement.",
        "More about the plan is expected on Friday.",
        "Research by the port authority found the walls were sound.",
        "Our correspondent reported from Kharkiv, where shelling continued overnight.",
        "More than a million people follow him on X.",
        "The operator updated its privacy policy on Tuesday.",
        "The price tag: 40 million euros.",
        "Let us know what happened, she told the police.",
        "12.03.2024 – Ferries were cancelled after the storm.",
        "More than 40 people were evacuated - officials said.",
        "Latest: the harbour master closed the port at noon.",
        "Police said they have a tip from a witness.",
        "By Tuesday, the fire was contained.",
        "He also writes a weekly newsletter.",
        "Residents can register for flood alerts on the council website.",
        "Passengers can download the app to buy tickets.",
        "Ferry terminal opening delayed again, as in 2019, because of a strike.",
    ]
    title = "Ferry terminal opening delayed to May"
    assert cleaned(*prose, title=title) == [BODY[0], *prose, *BODY[1:]]
