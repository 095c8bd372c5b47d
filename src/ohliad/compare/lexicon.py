"""Word lists the comparison relies on: spelling variants of places, the
contrasting terms by which sources name the same thing, loaded words, and the
capitals and demonyms that stand for a country.

Lists, not learned models, because the contrasts are editorial conventions
(Kyiv/Kiev) that a reader expects named exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Transliterations from Russian against the Ukrainian spellings the outlets of
# Ukraine and most Western style guides now use.
PLACE_SPELLINGS: dict[str, tuple[str, ...]] = {
    "Kyiv": ("Kiev",),
    "Kharkiv": ("Kharkov",),
    "Odesa": ("Odessa",),
    "Lviv": ("Lvov", "Lwów"),
    "Mykolaiv": ("Nikolaev", "Nikolayev"),
    "Zaporizhzhia": ("Zaporozhye", "Zaporizhia"),
    "Dnipro": ("Dnepr", "Dnipropetrovsk"),
    "Luhansk": ("Lugansk",),
    "Chornobyl": ("Chernobyl",),
    "Vinnytsia": ("Vinnitsa",),
    "Rivne": ("Rovno",),
    "Chernihiv": ("Chernigov",),
    "Donbas": ("Donbass",),
    "Bakhmut": ("Artyomovsk", "Artemovsk"),
    "Kherson": (),
}

_PLACE_CANON = {
    variant.lower(): canonical.lower()
    for canonical, variants in PLACE_SPELLINGS.items()
    for variant in (canonical, *variants)
}


def canonical_place(name: str) -> str:
    """'Kiev' -> 'kyiv'; other names lowercased."""
    lowered = name.lower()
    return _PLACE_CANON.get(lowered, lowered)


@dataclass(frozen=True, slots=True)
class TermGroup:
    """Terms for the same thing; a source's choice among them frames the story."""

    label: str
    terms: tuple[tuple[str, str], ...]  # (term as shown, regular expression)


def _word(pattern: str) -> str:
    return rf"(?<![\w-]){pattern}(?![\w-])"


TERM_GROUPS: tuple[TermGroup, ...] = (
    *(
        TermGroup(
            f"{canonical} / {' / '.join(variants)}",
            ((canonical, _word(canonical)), *((v, _word(v)) for v in variants)),
        )
        for canonical, variants in PLACE_SPELLINGS.items()
        if variants
    ),
    TermGroup(
        "invasion / special military operation",
        (
            ("full-scale invasion", _word(r"full[- ]scale invasion")),
            ("invasion", _word("invasion")),
            ("war of aggression", _word("war of aggression")),
            ("special military operation", _word("special military operation")),
        ),
    ),
    TermGroup(
        "occupied / new territories",
        (
            ("occupied territories", _word(r"(?:Russian-)?occupied (?:territories|regions)")),
            ("new regions", _word("new regions")),
            ("liberated territories", _word("liberated (?:territories|areas)")),
        ),
    ),
    TermGroup(
        "annexation / reunification",
        (
            ("annexation", _word(r"annex(?:ation|ed)")),
            ("reunification", _word(r"reunifi(?:cation|ed)")),
            ("accession", _word(r"accession")),
        ),
    ),
    TermGroup(
        "far-right / national-conservative",
        (
            ("far-right", _word(r"far[- ]right")),
            ("extreme right", _word(r"extreme[- ]right")),
            ("right-wing populist", _word(r"right-wing populist")),
            ("national-conservative", _word(r"national[- ]conservative")),
        ),
    ),
    TermGroup(
        "far-left / progressive",
        (
            ("far-left", _word(r"far[- ]left")),
            ("radical left", _word(r"radical[- ]left")),
        ),
    ),
    TermGroup(
        "militants / fighters / terrorists",
        (
            ("militants", _word(r"militants?")),
            ("terrorists", _word(r"terrorists?")),
            ("fighters", _word(r"(?<!fire)fighters")),
            ("insurgents", _word(r"insurgents?")),
        ),
    ),
    TermGroup(
        "regime / government",
        (
            ("regime", _word(r"(?:Kyiv|Kiev|Moscow|Kremlin|Zelensky|Putin)(?:'s)? regime")),
            ("government", _word(r"(?:Kyiv|Kiev|Moscow|Kremlin|Ukrainian|Russian) government")),
        ),
    ),
    TermGroup(
        "illegal / undocumented immigrants",
        (
            ("illegal immigrants", _word(r"illegal (?:immigrants|migrants|aliens)")),
            ("undocumented immigrants", _word(r"undocumented (?:immigrants|migrants)")),
            ("irregular migrants", _word(r"irregular migrants")),
        ),
    ),
    TermGroup(
        "anti-abortion / pro-life",
        (
            ("anti-abortion", _word("anti-abortion")),
            ("pro-life", _word("pro-life")),
            ("pro-choice", _word("pro-choice")),
            ("abortion-rights", _word("abortion[- ]rights")),
        ),
    ),
)

# Evaluative words in an outlet's own voice. Each maps its shown form to a
# pattern; uses in fixed neutral phrases ("claimed responsibility") are excluded.
LOADED_WORDS: dict[str, str] = {
    "brutal": _word("brutal(?:ly)?"),
    "barbaric": _word("barbaric"),
    "savage": _word("savage(?:ly)?"),
    "heroic": _word("heroic(?:ally)?"),
    "cowardly": _word("cowardly"),
    "shameful": _word("shameful"),
    "disgraceful": _word("disgraceful"),
    "outrageous": _word("outrageous"),
    "draconian": _word("draconian"),
    "notorious": _word("notorious"),
    "so-called": _word("so-called"),
    "junta": _word("junta"),
    "puppet": _word("puppet"),
    "thugs": _word("thugs?"),
    "neo-Nazi": _word("neo-?Nazis?"),
    "slammed": _word("slam(?:s|med)"),
    "blasted": _word("blast(?:s|ed)(?! (?:through|off|open))"),
    "axes": _word("ax(?:es|ed|e)(?! to grind)"),
    "slashed": _word("slash(?:es|ed)"),
    "gutted": _word("gut(?:s|ted)"),
    "claimed": _word(r"claim(?:ed|s)(?! (?:responsibility|the lives|victory|\d))"),
    "reckless": _word("reckless(?:ly)?"),
    "extremist": _word("extremists?"),
}


def compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Capitals, institutions and demonyms that stand for a country in diplomatic
# reporting ("Washington asked", "the Chinese side requested").
_ACTORS: dict[str, tuple[str, ...]] = {
    "united states": ("washington", "us", "u.s.", "usa", "america", "american", "white house"),
    "china": ("beijing", "chinese"),
    "russia": ("moscow", "kremlin", "russian"),
    "ukraine": ("kyiv", "kiev", "ukrainian"),
    "european union": ("brussels", "eu", "european"),
    "united kingdom": ("london", "britain", "british", "uk", "u.k.", "downing street"),
    "france": ("paris", "french", "elysee", "élysée"),
    "germany": ("berlin", "german"),
    "turkey": ("ankara", "turkish", "türkiye"),
    "iran": ("tehran", "iranian"),
    "israel": ("jerusalem", "israeli"),
    "india": ("new delhi", "delhi", "indian"),
    "japan": ("tokyo", "japanese"),
    "poland": ("warsaw", "polish"),
}
_ACTOR_CANON = {
    alias: country for country, aliases in _ACTORS.items() for alias in (country, *aliases)
}
_GENERIC_ACTOR_WORDS = frozenset(
    ["the", "side", "delegation", "government", "officials", "official"]
)


def is_country(name: str) -> bool:
    """'u.s.', 'ukraine', 'china': a country (or its capital standing for it)."""
    return name.lower().strip() in _ACTOR_CANON


def actor_aliases(name: str) -> tuple[str, ...]:
    """'ukraine' -> its capital and demonym ('kyiv', 'kiev', 'ukrainian'); () if unknown."""
    country = _ACTOR_CANON.get(name.lower())
    return _ACTORS[country] if country else ()


def canonical_actor(phrase: str) -> str | None:
    """'the Chinese side' -> 'china', 'Washington' -> 'united states'; None when the
    phrase names no known actor (a pronoun or 'officials')."""
    lowered = phrase.lower().strip()
    if lowered in _ACTOR_CANON:
        return _ACTOR_CANON[lowered]
    words = [w for w in re.findall(r"[\w.]+", lowered) if w not in _GENERIC_ACTOR_WORDS]
    for size in (2, 1):
        for i in range(len(words) - size + 1):
            candidate = " ".join(words[i : i + size])
            if candidate in _ACTOR_CANON:
                return _ACTOR_CANON[candidate]
    return " ".join(words) or None


# News verbs that report the same event in different words, so that a date or a
# figure attached to "detained" is compared with one attached to "arrested".
_VERB_GROUPS: tuple[tuple[str, ...], ...] = (
    ("arrest", "detain", "apprehend"),
    ("kill", "die", "dead"),
    ("injure", "wound", "hurt"),
    ("start", "begin", "break out", "erupt", "ignite"),
    ("collapse", "break down", "fail", "stall"),
    ("meet", "talk", "speak", "hold"),
    ("cut", "slash", "axe", "eliminate", "shed"),
    ("launch", "lift off", "fire"),
    ("evacuate", "flee"),
    ("sentence", "jail", "convict"),
)
_VERB_CANON = {verb: group[0] for group in _VERB_GROUPS for verb in group}


def canonical_verb(lemma: str) -> str:
    """'detain' -> 'arrest'; verbs outside the groups unchanged."""
    return _VERB_CANON.get(lemma, lemma)


def verb_group(lemma: str) -> str | None:
    """'detain' -> 'arrest', 'arrest' -> 'arrest'; None for a verb in no group."""
    return _VERB_CANON.get(lemma)


_SPELLING_RE = re.compile(
    r"\b(" + "|".join(sorted(_PLACE_CANON, key=len, reverse=True)) + r")\b", re.IGNORECASE
)


def searchable(text: str) -> str:
    """Lowercased text with place spellings unified, for 'does this source mention X'."""
    return _SPELLING_RE.sub(lambda m: _PLACE_CANON[m.group(1).lower()], text.lower())
