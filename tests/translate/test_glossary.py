from pathlib import Path

import pytest

from ohliad.translate.glossary import (
    GlossaryError,
    bundled_glossary,
    load_glossary,
    parse_glossary,
)
from ohliad.translate.ukrainian import finisher_for


def test_known_wrong_spellings_are_corrected_with_their_endings() -> None:
    glossary = bundled_glossary()
    fixed = glossary.apply(
        "Делегація прибула до Киева, а потім у Киеве та Одессі зустрілася з МИД."
    )
    assert fixed == "Делегація прибула до Києва, а потім у Києві та Одесі зустрілася з МЗС."


def test_a_term_must_appear_in_an_accepted_form() -> None:
    glossary = bundled_glossary()
    english = "Leaders of the G20 met in Kyiv."
    assert glossary.missing(english, "Лідери «Групи двадцяти» зустрілися в Києві.") == []
    assert glossary.missing(english, "Лідери G20 зустрілися в Києві.") == []
    assert sorted(glossary.missing(english, "Лідери двадцятки зустрілися в столиці.")) == [
        "'G20' must be rendered as '«Група двадцяти»'",
        "'Kyiv' must be rendered as 'Київ'",
    ]


def test_acronyms_match_case_sensitively() -> None:
    glossary = bundled_glossary()
    assert [s for s, _ in glossary.terms_in("The EU and the UN, said us.")] == ["UN", "EU"]
    assert glossary.terms_in("Tell us what you saw") == []


def test_a_user_glossary_overrides_and_extends_the_bundled_one(tmp_path: Path) -> None:
    user = tmp_path / "mine.toml"
    user.write_text(
        '[[term]]\nen = ["Kyiv"]\nuk = "Київ"\nforms = ["Київ"]\n\n'
        '[[term]]\nen = ["Stepova"]\nuk = "Степова"\nforms = ["Степов*"]\n'
        'fix = { "Стєпов*" = "Степов*" }\n\n[names]\nWhitfield = "Вітфілд"\n',
        encoding="utf-8",
    )
    glossary = load_glossary(user)
    # Only the user's forms count now: "Києва" is no longer accepted.
    assert glossary.missing("in Kyiv", "у Києві") == ["'Kyiv' must be rendered as 'Київ'"]
    assert glossary.apply("суддя Стєпова") == "суддя Степова"
    assert glossary.missing("Judge Stepova said", "Суддя Степова сказала") == []
    # The bundled terms the user did not touch are still there.
    assert glossary.missing("NATO said", "Альянс заявив") == []
    assert ("Whitfield", "Вітфілд") in glossary.names
    assert finisher_for("neutral", user).names.ukrainian("Sarah Whitfield") == "Сара Вітфілд"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[term]\nen =", "not valid TOML"),
        ('[[term]]\nen = "Kyiv"\n', "needs 'en' and 'uk'"),
        ('[[term]]\nen = 3\nuk = "Київ"\n', "'en' must be a string or a list"),
        ('[[term]]\nen = "Kyiv"\nuk = "Київ"\nfix = ["Киев"]\n', "'fix' must map"),
    ],
)
def test_a_broken_glossary_names_the_file_and_entry(text: str, message: str) -> None:
    with pytest.raises(GlossaryError, match=message) as error:
        parse_glossary(text, "my-glossary.toml")
    assert str(error.value).startswith("my-glossary.toml")


def test_an_unreadable_user_glossary_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="cannot read glossary"):
        load_glossary(tmp_path / "missing.toml")


def test_terms_inside_links_or_latin_names_are_not_demanded() -> None:
    glossary = bundled_glossary()
    assert glossary.missing("Read https://example.com/russia-ukraine", "Читайте тут") == []
    assert (
        glossary.missing("As The Washington Post reported", "Як повідомила The Washington Post")
        == []
    )
    # A term left in Latin on its own is not a rendering.
    assert glossary.missing("He flew to Washington.", "Він полетів до Washington.") == [
        "'Washington' must be rendered as 'Вашингтон'"
    ]


def test_any_ukrainian_apostrophe_counts() -> None:
    glossary = bundled_glossary()
    for apostrophe in "'’ʼ":
        assert glossary.missing("The prime minister said", f"Прем{apostrophe}єр сказав") == []
