import pytest

from ohliad.models import CachedTranslation, translation_cache_key
from ohliad.store import Store
from ohliad.store.translations import StoreTranslationCache
from ohliad.translate.validate import translation_problem

SOURCE = "Negotiators met in Geneva on Monday and agreed on 1,500 prisoner exchanges."
GOOD = "У понеділок переговірники зустрілися в Женеві й домовилися про обмін 1500 полоненими."


@pytest.mark.parametrize(
    ("translation", "problem"),
    [
        (GOOD, None),
        # Links, handles and Latin names may stay Latin.
        (GOOD + " Деталі: https://news.example/a @NewsDesk #Geneva", None),
        ("", "empty translation"),
        (SOURCE, "left untranslated"),
        ("Negotiators met in Geneva on Monday and agreed on обмін 1500.", "Cyrillic"),
        (
            "В понедельник переговорщики встретились в Женеве и обменяли 1500 пленных.",
            "does not use",
        ),
        ("Ось переклад: " + GOOD, "leftover prompt text"),
        ("Here is the translation: " + GOOD, "leftover prompt text"),
        ("Переговори в Женеві.", "length ratio"),
        (GOOD.replace("1500", "тисяча п'ятсот"), "the number 1500 is missing"),
        (GOOD.replace("1500", "1,5 тис."), None),
    ],
)
def test_translation_checks(translation: str, problem: str | None) -> None:
    found = translation_problem(SOURCE, translation)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_small_numbers_and_ordinals_may_be_words() -> None:
    source = "It was the 3rd attempt in 2 weeks."
    assert translation_problem(source, "Це була третя спроба за два тижні.") is None


def test_the_cache_key_covers_text_engine_model_style_and_kind() -> None:
    base = translation_cache_key("Hello", "llm", "m", "neutral", "headline")
    variants = [
        translation_cache_key("Hello!", "llm", "m", "neutral", "headline"),
        translation_cache_key("Hello", "bergamot", "m", "neutral", "headline"),
        translation_cache_key("Hello", "llm", None, "neutral", "headline"),
        translation_cache_key("Hello", "llm", "m", "uk-press", "headline"),
        translation_cache_key("Hello", "llm", "m", "neutral", "sentence"),
    ]
    assert len({base, *variants}) == 6


def test_store_cache_round_trip_is_idempotent(store: Store) -> None:
    cache = StoreTranslationCache(store)
    entries = [
        CachedTranslation(f"Sentence {n}.", "llm", "m", "neutral", "sentence", f"Речення {n}.")
        for n in range(1200)  # more than one query chunk
    ]
    cache.put_many(entries)
    cache.put_many(entries[:10])  # already there: kept, not duplicated
    cache.put_many([CachedTranslation("Sentence 1.", "llm", "m", "neutral", "sentence", "Інше")])
    found = cache.get_many([e.key for e in entries] + ["unknown"])
    assert len(found) == 1200
    assert found[entries[1].key] == "Речення 1."
    assert "unknown" not in found
    reopened = StoreTranslationCache(Store(store.engine))
    assert reopened.get_many([entries[7].key]) == {entries[7].key: "Речення 7."}
