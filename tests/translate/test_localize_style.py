import pytest

from ohliad.translate.localize import localize
from ohliad.translate.style import StyleError, style_profile

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Зустріч відбулася March 3, 2023.", "Зустріч відбулася 3 березня 2023 року."),
        ("Зустріч відбулася 3rd March 2023.", "Зустріч відбулася 3 березня 2023 року."),
        ("Це сталося 3 березня 2023 р. вночі.", "Це сталося 3 березня 2023 року вночі."),
        ("Це сталося 3 березня 2023 вночі.", "Це сталося 3 березня 2023 року вночі."),
        ("3 березня 2023 року", "3 березня 2023 року"),
        ("Дедлайн 2023-03-05.", "Дедлайн 5 березня 2023 року."),
        ("Відтоді, з Sept. 12, минуло", "Відтоді, з 12 вересня, минуло"),
        ("Not a date: February 30, 2023", "Not a date: February 30, 2023"),
        ("Евакуювали 1,200,000 осіб", f"Евакуювали 1{NBSP}200{NBSP}000 осіб"),
        (
            "Прибуло 12000 осіб і 1,200 машин у 2023 році",
            f"Прибуло 12{NBSP}000 осіб і 1200 машин у 2023 році",
        ),
        ("Інфляція склала 3.5%", "Інфляція склала 3,5%"),
        ("Інфляція склала 3,5%", "Інфляція склала 3,5%"),
    ],
)
def test_dates_and_numbers_are_written_the_ukrainian_way(text: str, expected: str) -> None:
    assert localize(text) == expected


def test_neutral_style_changes_nothing() -> None:
    text = "Росія заявила, що Російська Федерація не визнає РФ."
    assert style_profile("neutral").apply(text) == text


def test_uk_press_lower_cases_russia_but_not_in_quotes_or_at_a_sentence_start() -> None:
    press = style_profile("uk-press")
    text = (
        "Росія заявила, що у Росії немає планів. Посол Російської Федерації сказав: "
        '«Росія готова», а МЗС РФ промовчало. „Росія“ і "Росія" — цитати.'
    )
    assert press.apply(text) == (
        "Росія заявила, що у росії немає планів. Посол російської федерації сказав: "
        '«Росія готова», а МЗС рф промовчало. „Росія“ і "Росія" — цитати.'
    )
    assert press.problems(press.apply(text)) == []
    assert press.problems("Він сказав, що Росії байдуже.") == [
        "'Росії' should be 'росії' in style 'uk-press'"
    ]


def test_an_unknown_style_lists_the_known_ones() -> None:
    with pytest.raises(StyleError, match="available styles: neutral, uk-press"):
        style_profile("tabloid")
