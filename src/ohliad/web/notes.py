"""The notes of a digest entry, of its comparison and of a conflict, shown in
the reader's language.

The pipeline writes its notes in English and the stored JSON keeps them so
(the JSON contract); the web app finds, for each note, the template that
wrote it and says the same in Ukrainian. ``NOTES`` holds one template per
sentence the code can write, in the producer's own words, with named parts:

- ``{name}``: text kept as it is (a language code);
- ``{name:source}``: an article's label, kept as it is (an outlet's name, an
  address, a file); "article 12", the label of an article with none of them,
  is said in Ukrainian;
- ``{name:number}``: a number as the producer writes it ("20,000"), written
  the Ukrainian way ("20 000");
- ``{name:reason}``: one of ``REASONS``, said in Ukrainian.

In the Ukrainian sentence a part is ``{name}``, or, for a number with its
noun, ``{name:one|few|many}`` ("{read:символ|символи|символів}").

A note no template matches (a plug-in's, or one a newer version wrote) is
shown as it is, in English, and marked so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ohliad.web.i18n import Lang, ukrainian_plural

# Why a summary of several outlets' story draws on one of them
# (summarize/extractive.py, select_sentences and one_outlet_note).
REASONS: dict[str, str] = {
    "the other sources have no sentence usable in a summary": (
        "в інших джерелах немає речень, придатних для підсумку"
    ),
    "the other sources' sentences carry loaded wording": (
        "речення інших джерел містять оцінну лексику"
    ),
    "the other sources' sentences state nothing another source does": (
        "речення інших джерел не містять нічого, про що пише ще якесь джерело"
    ),
    "the other sources' sentences do not fit the summary's length": (
        "речення інших джерел не вміщуються в обсяг підсумку"
    ),
    "the other sources' sentences add nothing it lacks": (
        "речення інших джерел не додають до нього нічого нового"
    ),
}

_PART = re.compile(r"\{(?P<name>\w+)(?::(?P<spec>[^}]*))?\}")
_KINDS: dict[str, str] = {
    "text": r".+",
    "source": r".+",
    "number": r"\d[\d,]*",
    "reason": "|".join(re.escape(reason) for reason in REASONS),
}
# Article.label of an article with no outlet, address or origin.
_UNNAMED_ARTICLE = re.compile(r"article (?P<id>\S+)")


def _ukrainian_number(count: int) -> str:
    """20000 as '20 000' (a no-break space between the thousands)."""
    return f"{count:,}".replace(",", "\u00a0")


def _ukrainian_source(label: str) -> str:
    unnamed = _UNNAMED_ARTICLE.fullmatch(label)
    return f"стаття {unnamed['id']}" if unnamed else label


@dataclass(frozen=True)
class NoteTemplate:
    """One sentence the code writes, in English as the code writes it, and in
    Ukrainian; see the module's description for the parts."""

    english: str
    ukrainian: str
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)
    kinds: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        kinds: dict[str, str] = {}
        pattern, end = [], 0
        for part in _PART.finditer(self.english):
            kind = part["spec"] or "text"
            kinds[part["name"]] = kind
            pattern += [re.escape(self.english[end : part.start()])]
            pattern += [f"(?P<{part['name']}>{_KINDS[kind]})"]
            end = part.end()
        pattern.append(re.escape(self.english[end:]))
        object.__setattr__(self, "pattern", re.compile("".join(pattern)))
        object.__setattr__(self, "kinds", kinds)
        for part in _PART.finditer(self.ukrainian):
            kind = kinds.get(part["name"])
            if kind is None:
                raise ValueError(f"{self.ukrainian!r}: the English has no part {part[0]}")
            if part["spec"] and (kind != "number" or part["spec"].count("|") != 2):
                raise ValueError(f"{self.ukrainian!r}: {part[0]} is not a number's three nouns")

    def in_ukrainian(self, note: str) -> str | None:
        """The note in Ukrainian, or None when this template did not write it."""
        found = self.pattern.fullmatch(note)
        if found is None:
            return None
        return _PART.sub(lambda part: self._part(found[part["name"]], part), self.ukrainian)

    def _part(self, value: str, part: re.Match[str]) -> str:
        kind = self.kinds[part["name"]]
        if kind == "number":
            count = int(value.replace(",", ""))
            if part["spec"]:
                one, few, many = part["spec"].split("|")
                return f"{_ukrainian_number(count)} {ukrainian_plural(count, one, few, many)}"
            return _ukrainian_number(count)
        if kind == "reason":
            return REASONS[value]
        if kind == "source":
            return _ukrainian_source(value)
        return value


NOTES: tuple[NoteTemplate, ...] = (
    # The entry's notes (pipeline.py, Pipeline._notes; summarize/extractive.py,
    # one_outlet_note).
    NoteTemplate(
        "{label:source}: only its first {read:number} of {total:number} characters were read.",
        "{label}: прочитано лише перші {read:символ|символи|символів} із {total}.",
    ),
    NoteTemplate(
        "The summary is drawn from {label:source} alone: {why:reason}.",
        "Підсумок узято лише з одного джерела — {label}, бо {why}.",
    ),
    # The comparison's notes (compare/compare.py).
    NoteTemplate(
        "{label:source}: compared its latest of several reports.",
        "{label}: з кількох повідомлень цього джерела порівняно найновіше.",
    ),
    NoteTemplate(
        "Not compared: {label:source} is in '{language}'; only English is read.",
        "Не порівняно: {label} — мовою «{language}», а порівнюються лише англійські тексти.",
    ),
    NoteTemplate(
        "Not compared: {label:source} has no text.",
        "Не порівняно: {label} — без тексту.",
    ),
    NoteTemplate(
        "{label:source}: compared its first {read:number} of {total:number} characters.",
        "{label}: порівняно лише перші {read:символ|символи|символів} із {total}.",
    ),
    NoteTemplate(
        "Compared the first {compared:number} sources; {skipped:number} more skipped.",
        "Порівняно перші {compared:джерело|джерела|джерел}; "
        "ще {skipped:джерело|джерела|джерел} пропущено.",
    ),
    NoteTemplate(
        "{label:source}: compared its first {read:number} sentences (a story's comparison "
        "reads at most {most:number} sentences in all).",
        "{label}: порівняно лише перші {read:речення|речення|речень} (порівняння сюжету "
        "читає щонайбільше {most:речення|речення|речень} загалом).",
    ),
    NoteTemplate(
        "{label:source}: sentences cut off before a verb ('...') not compared: {cut:number}.",
        "{label}: речення, обірвані до дієслова («...»), не порівнювалися: {cut}.",
    ),
    NoteTemplate(
        "Fewer than two English sources: nothing to compare.",
        "Англійських джерел менше двох: порівнювати нічого.",
    ),
    # Earlier versions' words for the cut at max_claims, still in entries
    # stored before and not computed since.
    NoteTemplate(
        "{label:source}: compared its first {read:number} sentences.",
        "{label}: порівняно лише перші {read:речення|речення|речень}.",
    ),
    NoteTemplate(
        "{label:source}: compared the first {read:number} of {total:number} sentences.",
        "{label}: порівняно лише перші {read:речення|речення|речень} із {total}.",
    ),
    # A conflict's note (compare/compare.py, _update_note).
    NoteTemplate(
        "The reports were published {hours:number} hours apart; a later figure may be an update.",
        "Повідомлення вийшли з різницею в {hours:годину|години|годин}; "
        "пізніша цифра може бути уточненням.",
    ),
)


def ukrainian_note(note: str) -> str | None:
    """The note in Ukrainian, or None when no template of ``NOTES`` wrote it."""
    for template in NOTES:
        said = template.in_ukrainian(note)
        if said is not None:
            return said
    return None


@dataclass(frozen=True, slots=True)
class ShownNote:
    """A note as the page shows it, and the language it is in."""

    text: str
    lang: Lang


def shown_note(note: str, lang: Lang) -> ShownNote:
    """The note in the reader's language; in English, marked so, when there
    is no Ukrainian for it."""
    if lang == "uk":
        said = ukrainian_note(note)
        if said is not None:
            return ShownNote(said, "uk")
    return ShownNote(note, "en")


def shown_notes(notes: Sequence[str], lang: Lang) -> list[ShownNote]:
    """Each note in the reader's language, as ``shown_note`` says it."""
    return [shown_note(note, lang) for note in notes]
