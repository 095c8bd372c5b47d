import pytest

from ohliad.translate.names import NameFixer, name_table, transliterate_word


@pytest.mark.parametrize(
    ("english", "ukrainian"),
    [
        ("Smith", "Сміт"),
        ("Johnson", "Джонсон"),
        ("George", "Джордж"),
        ("Kennedy", "Кеннеді"),
        ("Sullivan", "Сулліван"),  # double consonants kept
        ("Harper", "Гарпер"),  # English h as г
        ("Baker", "Бейкер"),
        ("Thompson", "Томпсон"),
        ("Whitney", "Вітні"),
        ("Sasha", "Саша"),
    ],
)
def test_transliteration_rules(english: str, ukrainian: str) -> None:
    assert transliterate_word(english) == ukrainian


def test_established_spellings_win_over_the_rules() -> None:
    table = name_table()
    assert table.ukrainian("Antony Blinken") == "Ентоні Блінкен"
    assert table.ukrainian("Olaf Scholz") == "Олаф Шольц"
    assert table.ukrainian("Sarah Whitfield") == "Сара Вітфіелд"  # by the rules
    assert name_table({"Whitfield": "Вітфілд"}).ukrainian("Sarah Whitfield") == "Сара Вітфілд"


def test_near_misses_and_latin_leftovers_of_established_names_are_corrected() -> None:
    (fixer,) = NameFixer.for_texts(["Antony Blinken met Kamala Harris in Kyiv."], name_table())
    assert ("Antony Blinken", "Ентоні Блінкен") in fixer.names
    fixed = fixer.apply("Ентоні Блинкен зустрівся з Kamala Harris, а Блинкена привітали.")
    assert fixed == "Ентоні Блінкен зустрівся з Камала Гарріс, а Блінкена привітали."
    assert fixer.missing(fixed) == []
    assert fixer.missing("Держсекретар зустрівся з віцепрезидентом.") == [
        "'Antony' must be written 'Ентоні'",
        "'Blinken' must be written 'Блінкен'",
        "'Kamala' must be written 'Камала'",
        "'Harris' must be written 'Гарріс'",
    ]


def test_other_names_keep_the_engines_spelling() -> None:
    (fixer,) = NameFixer.for_texts(["Sarah Whitfield spoke to Nicholas Brown."], name_table())
    text = "Сара Уітфілд розмовляла з Ніколасом Брауном."
    assert fixer.apply(text) == text
    assert fixer.missing(text) == []
