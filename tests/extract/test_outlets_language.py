from __future__ import annotations

from ohliad.extract import detect_language, outlet_from_url
from ohliad.extract.outlets import site_domain


def test_outlet_from_the_domain_table() -> None:
    assert outlet_from_url("https://www.nytimes.com/2024/01/01/world/story.html") == (
        "The New York Times"
    )
    assert outlet_from_url("https://edition.cnn.com/2024/01/01/world") == "CNN"
    assert outlet_from_url("https://www.pravda.com.ua/news/2024/01/01/1/") == "Ukrainska Pravda"
    assert outlet_from_url("https://abcnews.go.com/US/story") == "ABC News"


def test_outlet_of_an_unknown_domain_is_its_tidy_name() -> None:
    assert outlet_from_url("https://m.example-news.org/a/b") == "example-news.org"
    assert outlet_from_url("http://news.local-paper.co.uk/") == "local-paper.co.uk"
    assert outlet_from_url("not a url") is None
    assert outlet_from_url("http://127.0.0.1/page") is None


def test_site_domain_keeps_country_second_levels() -> None:
    assert site_domain("https://www.abc.net.au/news") == "abc.net.au"
    assert site_domain("https://blog.example.com/x") == "example.com"


def test_detect_language() -> None:
    assert detect_language("The minister said the talks would resume next week.") == "en"
    assert detect_language("Міністр заявив, що переговори відновляться наступного тижня.") == "uk"
    assert detect_language(
        "Der Minister sagte, die Gespräche würden nächste Woche fortgesetzt."
    ) == ("de")
    assert detect_language("12 34 56") is None
    assert detect_language("") is None
