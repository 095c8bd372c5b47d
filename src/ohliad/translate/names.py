"""Person names in Ukrainian: established spellings first, then rules.

English names are transcribed by the rules of Ukrainian orthography for
foreign names (Правопис 2019, §§ 129–134): by sound as far as the spelling
shows it, double consonants kept, English g and h as г, final silent e
dropped. Established spellings (Блінкен, Байден, Шольц) come from the
override table in ``resources/names.toml``. Rules on spelling alone cannot
hear every English vowel, so the table is where an editor fixes a name.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from ohliad.translate.engine import Rendering

_VOWELS = set("aeiouy")
# Letter groups, longest first; each maps to its Ukrainian spelling.
_GROUPS: tuple[tuple[str, str], ...] = (
    ("sch", "ш"),
    ("tch", "ч"),
    ("dge", "дж"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ph", "ф"),
    ("th", "т"),
    ("ck", "к"),
    ("qu", "кв"),
    ("wh", "в"),
    ("ts", "ц"),
    ("ee", "і"),
    ("ea", "і"),
    ("oo", "у"),
    ("ai", "ей"),
    ("ay", "ей"),
    ("ey", "ей"),
    ("oy", "ой"),
    ("ow", "оу"),
    ("aw", "о"),
    ("ya", "я"),
    ("yu", "ю"),
    ("ye", "є"),
    ("yo", "йо"),
    ("ia", "ія"),
    ("io", "іо"),
    ("iu", "ію"),
)
_LETTERS = {
    "a": "а",
    "b": "б",
    "c": "к",
    "d": "д",
    "e": "е",
    "f": "ф",
    "g": "г",
    "h": "г",
    "i": "і",
    "j": "дж",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "q": "к",
    "r": "р",
    "s": "с",
    "t": "т",
    "u": "у",
    "v": "в",
    "w": "в",
    "x": "кс",
    "y": "і",
    "z": "з",
}
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’-]*")
_CYRILLIC_WORD = re.compile(r"(?<![\w'’])[А-ЯІЇЄҐ][а-яіїєґ'’]+")


def _letter(word: str, i: int) -> tuple[str, int]:
    """The Ukrainian for the letters of ``word`` (lower case) at ``i``, and how many it used."""
    rest = word[i:]
    previous = word[i - 1] if i else ""
    if rest.startswith("gh") and i > 0:
        return "", 2  # Hugh, Leigh: silent
    if rest in ("ge", "dge"):
        return "дж", len(rest)  # George, Hodge
    if rest == "ey":
        return "і", 2  # Stanley, Whitney
    for group, ukrainian in _GROUPS:
        if rest.startswith(group):
            return ukrainian, len(group)
    char = rest[0]
    nxt = rest[1] if len(rest) > 1 else ""
    if char == "c" and nxt in ("e", "i", "y"):
        return "с", 1
    if char == "g" and i == 0 and nxt in ("e", "i", "y"):
        # George: the e only softens the g before another vowel.
        return ("дж", 2) if nxt == "e" and rest[2:3] in _VOWELS else ("дж", 1)
    if char == "h" and previous in _VOWELS and nxt not in _VOWELS:
        return "", 1  # John, Sarah: silent
    if char == "a" and _magic_e(rest):
        return "ей", 1  # Baker, Blake
    if char == "e" and i == len(word) - 1 and i >= 3 and word[i - 1] not in _VOWELS:
        return "", 1  # Blake, Stone: silent final e
    if char == "y" and i == len(word) - 1:
        return "і", 1
    return _LETTERS.get(char, char), 1


def _magic_e(rest: str) -> bool:
    """A vowel followed by one consonant and a silent-ish e: Blake, Baker."""
    return len(rest) >= 3 and rest[1] not in _VOWELS and rest[1] not in "rw" and rest[2] == "e"


def transliterate_word(word: str) -> str:
    """One English name word in Ukrainian by the rules (no override table)."""
    lower = word.lower()
    out, i = "", 0
    while i < len(lower):
        piece, used = _letter(lower, i)
        out += piece
        i += used
    if word[:1].isupper():
        out = out[:1].upper() + out[1:]
    return out


@functools.cache
def bundled_overrides() -> Mapping[str, str]:
    text = resources.files("ohliad.translate").joinpath("resources/names.toml").read_text("utf-8")
    table = tomllib.loads(text).get("names", {})
    return {str(k): str(v) for k, v in table.items()}


@dataclass(frozen=True, slots=True)
class NameTable:
    """How each name word is written in Ukrainian."""

    overrides: Mapping[str, str]

    def ukrainian(self, name: str) -> str:
        """A whole name ("Antony Blinken") in Ukrainian, word by word."""
        if name in self.overrides:
            return self.overrides[name]
        return _LATIN_WORD.sub(lambda m: self._word(m.group()), name)

    def _word(self, word: str) -> str:
        return self.overrides.get(word) or transliterate_word(word)

    def is_established(self, word: str) -> bool:
        return word in self.overrides


def name_table(extra: Mapping[str, str] | None = None) -> NameTable:
    return NameTable({**bundled_overrides(), **(extra or {})})


# The recogniser needs only its own layers; the parser and tagger cost time.
_NOT_NEEDED_FOR_NER = ("tagger", "parser", "attribute_ruler", "lemmatizer")


def person_names(english_texts: Sequence[str]) -> list[list[str]]:
    """The people named in each text (spaCy's named-entity recogniser, in one batch)."""
    from ohliad.nlp.pipelines import english

    nlp = english()
    disabled = [name for name in _NOT_NEEDED_FOR_NER if name in nlp.pipe_names]
    found = []
    for doc in nlp.pipe(english_texts, disable=disabled):
        names = [
            entity.text.strip().removesuffix("'s").removesuffix("’s")
            for entity in doc.ents
            if entity.label_ == "PERSON"
        ]
        found.append(list(dict.fromkeys(n for n in names if _LATIN_WORD.search(n))))
    return found


def _stem(ukrainian: str) -> str:
    # The part of a surname that survives declension: Блінкен-а, Меркел-ь/-і.
    if len(ukrainian) > 4 and ukrainian[-1] in "аяоеиіїйь":
        return ukrainian[:-1]
    return ukrainian


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@dataclass(frozen=True, slots=True)
class NameFixer:
    """Renders the people of one English segment consistently in its translation."""

    names: tuple[tuple[str, str], ...]  # (English, Ukrainian) for each name
    table: NameTable

    @classmethod
    def for_texts(cls, english_texts: Sequence[str], table: NameTable) -> list[NameFixer]:
        return [
            cls(tuple((n, table.ukrainian(n)) for n in names), table)
            for names in person_names(english_texts)
        ]

    def renderings(self) -> tuple[Rendering, ...]:
        return tuple(Rendering(en, uk) for en, uk in self.names)

    def _words(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        for english_name, ukrainian_name in self.names:
            en_words, uk_words = english_name.split(), ukrainian_name.split()
            if len(en_words) == len(uk_words):
                pairs.extend(zip(en_words, uk_words, strict=True))
        return pairs

    def _established_words(self) -> list[tuple[str, str]]:
        return [(en, uk) for en, uk in self._words() if self.table.is_established(en)]

    def apply(self, translation: str) -> str:
        """Established names (the override table) written as the table says:
        a Latin spelling left in the text, or a near miss (Блинкен for
        Блінкен), is replaced. Other names keep the engine's spelling: rules
        on English spelling alone are no better than a good engine's ear, and
        brands and handles (Bing, #Mastodon) often stay in Latin."""
        for english_word, ukrainian_word in self._established_words():
            translation = self._correct_near_misses(translation, ukrainian_word)
            translation = re.sub(
                r"(?<!\w)" + re.escape(english_word) + r"(?!\w)", ukrainian_word, translation
            )
        return translation

    @staticmethod
    def _correct_near_misses(translation: str, ukrainian_word: str) -> str:
        stem = _stem(ukrainian_word)
        if len(stem) < 5:
            return translation
        allowed = 1 if len(stem) < 8 else 2

        def fix(match: re.Match[str]) -> str:
            word = match.group()
            head = word[: len(stem)]
            if head != stem and head[0] == stem[0] and _distance(head, stem) <= allowed:
                return stem + word[len(stem) :]
            return word

        return _CYRILLIC_WORD.sub(fix, translation)

    def missing(self, translation: str) -> list[str]:
        """Established surnames the translation does not write as the table says."""
        return [
            f"{english_word!r} must be written {ukrainian_word!r}"
            for english_word, ukrainian_word in self._established_words()
            if _stem(ukrainian_word) not in translation
        ]
