"""The editor's-desk checker on Ukrainian sentences written for these tests
(data/uk_wrong.tsv, data/uk_correct.txt): every mistake found, no false alarms."""

from __future__ import annotations

from pathlib import Path

import pytest

from ohliad.translate.check import (
    Suggestion,
    UkrainianChecker,
    bundled_russisms,
    russian_style_variants,
)
from ohliad.translate.options import TranslateOptions
from ohliad.translate.patterns import compile_pattern
from ohliad.translate.spelling import speller
from ohliad.translate.validate import spelling_problem

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> list[str]:
    lines = (DATA / name).read_text("utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


WRONG = [tuple(line.split("\t")) for line in _rows("uk_wrong.tsv")]
CORRECT = _rows("uk_correct.txt")


@pytest.fixture(scope="module")
def checker() -> UkrainianChecker:
    return UkrainianChecker.from_options(TranslateOptions(style="uk-press"))


def test_the_sets_are_large_enough() -> None:
    assert len(WRONG) >= 40 and len(CORRECT) >= 40
    assert all(len(row) == 4 for row in WRONG)


@pytest.mark.parametrize(("sentence", "kind", "found", "suggestion"), WRONG)
def test_every_mistake_is_found(
    checker: UkrainianChecker, sentence: str, kind: str, found: str, suggestion: str
) -> None:
    suggestions = checker.check(sentence)
    assert any(
        s.kind == kind
        and s.found == found
        and s.suggestion == (None if suggestion == "-" else suggestion)
        for s in suggestions
    ), suggestions


@pytest.mark.parametrize("sentence", CORRECT)
def test_no_false_alarms(checker: UkrainianChecker, sentence: str) -> None:
    assert checker.check(sentence) == ()


def test_offsets_point_at_what_was_found_and_suggestions_are_sorted(
    checker: UkrainianChecker,
) -> None:
    text = "Блинкен прибув до Киева 5 Березня. Росія мовчить, а РФ погрожує на протязі дня."
    suggestions = checker.check(text)
    assert [s.kind for s in suggestions] == ["name", "glossary", "date", "style", "russism"]
    assert all(text[s.start : s.end] == s.found for s in suggestions)
    assert [s.start for s in suggestions] == sorted(s.start for s in suggestions)


def test_quotations_are_never_checked(checker: UkrainianChecker) -> None:
    for quote in ("«{}»", "„{}“", '"{}"'):
        inner = "Блинкен приїде до Киева на протязі March 5, РФ обычно 1,200 кардону"
        text = f"Посол сказав: {quote.format(inner)}."
        assert checker.check(text) == ()


def test_suggestions_are_never_applied(checker: UkrainianChecker) -> None:
    text = "Блинкен приїде до Киева."
    suggestions = checker.check(text)
    assert text == "Блинкен приїде до Киева."
    assert {s.suggestion for s in suggestions} == {"Блінкен", "Києва"}
    assert all(isinstance(s, Suggestion) for s in suggestions)


def test_the_neutral_profile_keeps_capital_rosiia() -> None:
    neutral = UkrainianChecker.from_options(TranslateOptions(style="neutral"))
    assert neutral.check("Україна вимагає, щоб Росія відшкодувала збитки.") == ()


def test_with_the_english_missing_terms_and_numbers_are_reported(
    checker: UkrainianChecker,
) -> None:
    english = "Kyiv received 1,200 generators from Poland."
    missing = checker.check("Столиця отримала генератори з Польщі.", english=english)
    assert [(s.kind, s.found, s.suggestion, s.start) for s in missing] == [
        ("glossary", "", "Київ", 0),
        ("number", "", "1200", 0),
    ]
    assert checker.check("Київ отримав 1200 генераторів з Польщі.", english=english) == ()


def test_names_from_the_users_glossary_are_checked(tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.toml"
    glossary.write_text('[names]\nWhitfield = "Вітфілд"\n', encoding="utf-8")
    checker = UkrainianChecker.from_options(TranslateOptions(glossary=glossary))
    (suggestion,) = checker.check("Суддя Витфилдом не названий.")
    assert (suggestion.kind, suggestion.found, suggestion.suggestion) == (
        "name",
        "Витфилдом",
        "Вітфілдом",
    )
    assert "Whitfield" in suggestion.message


def test_russian_style_variants_are_derived_from_the_ukrainian_spelling() -> None:
    assert "Блинкен" in russian_style_variants("Блінкен")
    assert {"Харрис", "Гаррис", "Харріс"} <= russian_style_variants("Гарріс")
    assert "Медведев" in russian_style_variants("Медведєв")
    assert "Блінкен" not in russian_style_variants("Блінкен")


def test_every_listed_russism_form_is_one_its_patterns_find() -> None:
    for russism in bundled_russisms():
        for wrong, _ in russism.forms:
            assert any(compile_pattern(p).fullmatch(wrong) for p in russism.patterns), wrong


def test_spelling_skips_names_acronyms_latin_words_and_digits(
    checker: UkrainianChecker,
) -> None:
    text = "Шахед-136 і Байрактар атакували COVID-19 бази ЗСУ у Ґрозненській області, Xiaomi."
    assert [s for s in checker.check(text) if s.kind == "spelling"] == []


def test_the_speller_offers_corrections() -> None:
    assert speller().corrections("облась")[0] == "область"
    assert speller().known("прем’єр") and speller().known("прем'єр")
    assert speller().known("вже")


@pytest.mark.parametrize(
    "garbage",
    [
        "Уярд увахлив нвоий зкаон про ввиобри у нсатпуому рцоі.",
        "Правительство объявило о новых мерах поддержки для малого бизнеса.",
        "Министр финансов представил проект бюджета на следующий год.",
        "зе гавернмент сейд іт віл сенд мор вепонс ту зе фронт",
    ],
)
def test_garbage_ukrainian_is_refused(garbage: str) -> None:
    assert spelling_problem(garbage) is not None


@pytest.mark.parametrize("text", CORRECT)
def test_real_ukrainian_passes_the_spell_check(text: str) -> None:
    assert spelling_problem(text) is None
