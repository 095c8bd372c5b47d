"""Claim units: one per sentence, with the entities it names, its typed slots
(figures, durations, dates, clock times, places, who asked for a meeting) and
its direct quotes with their speakers, read with spaCy's en_core_web_sm."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ohliad.compare.lexicon import canonical_actor, canonical_place, canonical_verb, verb_group
from ohliad.compare.values import (
    HEDGE_PHRASES,
    DateSpan,
    Quantity,
    parse_clock,
    parse_quantity,
    resolve_date,
)
from ohliad.nlp.pipelines import english

SlotValue = Quantity | DateSpan | str

SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "write",
        "add",
        "call",
        "describe",
        "announce",
        "state",
        "insist",
        "warn",
        "claim",
        "declare",
        "urge",
        "argue",
        "note",
        "stress",
        "post",
        "accord",
        "report",
    ]
)
# Lemmas too common to say what a figure measures.
_GENERIC_LEMMAS = frozenset(
    ["be", "have", "do", "get", "make", "say", "tell", "add", "report", "accord", "which", "that"]
)
_NAME_LABELS = frozenset(
    ["PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"]
)
_FIGURE_LABELS = frozenset(["CARDINAL", "QUANTITY", "MONEY", "PERCENT"])
_PLACE_LABELS = frozenset(["GPE", "LOC", "FAC"])
_PLACE_PREPOSITIONS = frozenset(["in", "at", "near"])
# Nouns a date may modify and still date the act ("on Friday afternoon").
_DAY_PARTS = frozenset(["morning", "afternoon", "evening", "night", "weekend", "session"])
# Prepositions that make a date a bound rather than the date of the event.
_BOUND_PREPOSITIONS = frozenset(
    ["since", "until", "till", "by", "from", "before", "after", "through"]
)
_FUTURE_AUXILIARIES = frozenset(["will", "would", "shall", "'ll"])
_REQUEST_VERBS = frozenset(["request", "ask", "propose", "initiate", "invite", "seek"])
_MEETING_NOUNS = frozenset(
    ["meeting", "talk", "talks", "call", "summit", "negotiation", "encounter"]
)
# A hedge spaCy may leave outside a figure ("dipped below 400,000"): the
# phrases values.py reads, so that no hedge is lost between the two.
_HEDGE_WORDS = re.compile(
    r"\b(" + "|".join(re.escape(p) for p in HEDGE_PHRASES) + r")\s*$", re.IGNORECASE
)
# "Torres's", "Torres'": the possessive ending of a name (not its last letter).
_POSSESSIVE = re.compile(r"['’]s?$")
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)[\s”\"]*$")
QUOTE_RE = re.compile(r"[“\"]([^”\"]+)[”\"]")


@dataclass(frozen=True, slots=True)
class Slot:
    """A typed value in a claim. ``context`` holds the lemmas that say what the
    value is about (the counted noun, the verb, its subject), so that only slots
    about the same thing are compared."""

    kind: str  # number, duration, date, time, place, tally, initiator
    text: str
    value: SlotValue
    context: frozenset[str]
    start: int  # character offsets in the sentence
    end: int
    phrase: str = ""  # the value with the noun it counts ("three children"), for people
    counted: str = ""  # the lemma of that noun ("child")
    # The place a figure is given for ("7.7% in Virginia"): one item of a
    # breakdown by place is a rival only of the same place's figure.
    where: str = ""

    @property
    def shown(self) -> str:
        return self.phrase or self.text


@dataclass(frozen=True, slots=True)
class Quote:
    speaker: str  # a person's surname or an organisation's name ("Syniehubov", "CDC")
    key: str  # lowercase, for matching across sources
    text: str


@dataclass(frozen=True, slots=True)
class Claim:
    source: int  # index of the article among the compared ones
    position: int  # sentence index within the article
    text: str
    masked: str  # the sentence with slot values replaced by their kind, for alignment
    entities: frozenset[str]  # name keys and aliases (initials), for alignment
    names: frozenset[tuple[str, str]]  # (entity label, key) of the names mentioned
    values: frozenset[str]  # "kind:normalized value" of each slot, for alignment
    lemmas: frozenset[str]
    slots: tuple[Slot, ...]
    quotes: tuple[Quote, ...]
    published: date | None = None
    # What the sentence is about and what it says of it: the key of the main
    # verb's subject (a name key, else a noun lemma) and the verb in its
    # synonym group ("arrest" for "detained"). Claims about the same subject
    # and predicate are compared even when their words differ.
    subject: str = ""
    predicate: str = ""
    # The main verb's tense ("past", "future" or "unknown"), and the dates and
    # times the sentence names that are not slots (when something was said).
    tense: str = "unknown"
    mentions: tuple[str, ...] = ()
    # A sentence cut off with an ellipsis mid-phrase, as excerpts end: it
    # states nothing whole (see ``_fragment``).
    fragment: bool = False
    # Places named only as a modifier of a noun, with that noun's lemma
    # ("U.S. travelers": ("u.s.", "traveler")): they place the noun, not
    # every figure of the sentence.
    modifier_places: frozenset[tuple[str, str]] = frozenset()


def entity_key(ent: Span) -> str:
    """A name as matched across sources: people by surname, places by their
    canonical spelling, others lowercased without a leading article."""
    text = _POSSESSIVE.sub("", ent.text.lower().removeprefix("the ").strip())
    if ent.label_ == "PERSON":
        return text.split()[-1] if text.split() else text
    return canonical_place(text)


def _name_keys(doc: Doc) -> set[str]:
    """Keys of the names in a sentence; an organisation's initials too ('European
    Central Bank' is also 'ecb'), and acronyms spaCy did not tag as entities."""
    keys: set[str] = set()
    for ent in doc.ents:
        if ent.label_ not in _NAME_LABELS:
            continue
        keys.add(entity_key(ent))
        capitalised = [t.text for t in ent if t.text[:1].isupper() and not t.is_stop]
        if ent.label_ == "ORG" and len(capitalised) >= 2:
            keys.add("".join(w[0] for w in capitalised).lower())
    keys.update(
        t.lower_
        for t in doc
        if t.pos_ == "PROPN" and t.is_upper and len(t) >= 2 and not t.ent_type_
    )
    return keys


def _part_of_name(ent: Span, doc: Doc) -> bool:
    """'Ariane 6', 'Boeing 737': a figure that belongs to a proper name."""
    return ent.label_ == "CARDINAL" and ent.start > 0 and doc[ent.start - 1].pos_ == "PROPN"


def _governing_verb(token: Token) -> Token | None:
    for _ in range(6):
        if token.pos_ in ("VERB", "AUX") and token.dep_ != "aux":
            return token
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def _context(root: Token, own: range) -> frozenset[str]:
    """Lemmas near a value: the nouns above it up to its verb, their compounds,
    the verb (as 'v:<lemma>') and the verb's subject and object; '@since' when the
    value sits in a 'since'/'after'/... clause (a bound, not the event itself)."""
    words: set[str] = {
        grand.lemma_.lower()
        for child in root.children
        if child.lower_ == "of"
        for grand in child.children
        if grand.dep_ == "pobj"  # "four hours of talks"
    }
    token = root
    for _ in range(5):
        head = token.head
        if head.i == token.i:
            break
        if head.pos_ in ("NOUN", "PROPN") and head.i not in own:
            words.add(head.lemma_.lower())
            words.update(c.lemma_.lower() for c in head.children if c.dep_ == "compound")
            words.update(_participles(head))
        if head.pos_ in ("VERB", "AUX"):
            if (verb := _verb_key(head)) not in _GENERIC_LEMMAS:
                words.add(f"v:{verb}")
            for child in head.children:
                subject_or_object = child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr")
                if subject_or_object and child.i not in own and child.pos_ in ("NOUN", "PROPN"):
                    words.add(child.lemma_.lower())
                    words.update(_counted_words(child))
            if head.dep_ == "relcl":  # "talks that lasted two hours"
                words.add(head.head.lemma_.lower())
            if _infinitive(head) and head.head.pos_ == "VERB":  # "expected claims to fall to"
                words.add(f"v:{_verb_key(head.head)}")
            words.update(_clause_bounds(head))
            break
        token = head
    return frozenset(words - _GENERIC_LEMMAS)


# Nouns that stand for a figure of something else ("the number of available
# jobs", "the share of adults"): what the figure is about is that something.
_MEASURE_NOUNS = frozenset(["number", "share", "percentage", "proportion", "rate", "total"])


def _counted_words(noun: Token) -> set[str]:
    """A subject's compounds ("job openings") and, for a measure noun, what it
    measures ("the number of available jobs"), so that two figures of jobs
    share a word however each names them."""
    words = _modifier_nouns(noun)
    if noun.lemma_.lower() in _MEASURE_NOUNS:
        words.update(
            grand.lemma_.lower()
            for child in noun.children
            if child.lower_ == "of"
            for grand in child.children
            if grand.dep_ == "pobj" and grand.pos_ in ("NOUN", "PROPN")
        )
        words.update(
            word
            for child in noun.children
            if child.lower_ == "of"
            for grand in child.children
            if grand.dep_ == "pobj"
            for word in _participles(grand)
        )
    return words


def _modifier_nouns(noun: Token) -> set[str]:
    """The nouns that say which kind of thing a noun is: compounds ("job
    openings") and noun modifiers ("the four-week moving average": "week")."""
    return {c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "nmod")}


# A participle this short is no verb ("red", "bed").
_PARTICIPLE_LENGTH = 6


def _participles(noun: Token) -> set[str]:
    """The acts a counted noun's participles name, as verbs ("the number of
    injured people": 'v:injure'), so that the figure is about the act as much
    as a figure whose verb it is ("injured at least 6,000")."""
    acts = set()
    for child in noun.children:
        word = child.lower_
        participle = child.tag_ == "VBN" or (
            child.tag_ == "JJ" and word.endswith("ed") and len(word) >= _PARTICIPLE_LENGTH
        )
        if child.dep_ != "amod" or not participle:
            continue
        # spaCy lemmatises a participle tagged as an adjective as itself:
        # "injured" is "injure", "wounded" "wound"; a known group decides, else
        # the stems match ("vaccinat-").
        lemmas = [child.lemma_.lower()] if child.tag_ == "VBN" else [word[:-1], word[:-2]]
        grouped = [verb_group(lemma) for lemma in lemmas]
        acts.add(f"v:{next((g for g in grouped if g), lemmas[0])}")
    return acts - {f"v:{lemma}" for lemma in _GENERIC_LEMMAS}


def _infinitive(verb: Token) -> bool:
    """A verb an infinitive of another ('expected to fall', 'expected claims to fall')."""
    to = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    return verb.dep_ == "xcomp" or (verb.dep_ == "ccomp" and to)


def _clause_bounds(verb: Token) -> set[str]:
    """'@since' for a verb in a clause opened by 'since' (likewise after, before, until)."""
    markers = {c.lower_ for c in verb.children if c.dep_ == "mark"}
    return {f"@{m}" for m in markers & _BOUND_PREPOSITIONS}


def _verb_key(verb: Token) -> str:
    """The verb lemma with its particle ('break out'), in its synonym group."""
    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
    lemma = verb.lemma_.lower()
    return canonical_verb(f"{lemma} {particle}" if particle else lemma)


def _tense(root: Token) -> str:
    """'future' (will, would), 'past' (a past-tense verb or auxiliary) or 'unknown'."""
    verb = _governing_verb(root)
    if verb is None:
        return "unknown"
    chain = [verb, verb.head] if verb.dep_ == "xcomp" else [verb]
    auxiliaries = [c for v in chain for c in v.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in _FUTURE_AUXILIARIES for a in auxiliaries):
        return "future"
    if verb.tag_ in ("VBD", "VBN") or any(a.tag_ == "VBD" for a in auxiliaries):
        return "past"  # simple past, perfect ("have seized") or passive
    return "unknown"


def _preposition(root: Token) -> str | None:
    head = root.head
    return head.lower_ if head.dep_ == "prep" or head.pos_ == "ADP" else None


def _figure_text(ent: Span, doc: Doc) -> tuple[str, int]:
    """The entity text with a hedge spaCy left outside it ('more than') and a unit
    noun that follows a bare count ('10 kilometres'); and its start character."""
    start_char = ent.start_char
    before = doc.text[max(0, ent.start_char - 20) : ent.start_char]
    text = ent.text
    hedge = _HEDGE_WORDS.search(before)
    if hedge and not _HEDGE_WORDS.match(ent.text):
        text = f"{hedge.group(1)} {text}"
        start_char = ent.start_char - (len(before) - hedge.start())
    if text.lower().startswith("up to ") and _moved_up(doc, start_char):
        # "ticked up to 6.1%": the level a figure moved to, no "at most"
        # ("will hire up to 500 workers").
        start_char += len("up to ")
        text = text[len("up to ") :]
    return text, start_char


def _moved_up(doc: Doc, up_char: int) -> bool:
    """The word before the "up" at ``up_char`` is a verb of change."""
    before = [t for t in doc if t.idx < up_char]
    return bool(before) and before[-1].lemma_.lower() in _UPWARD_VERBS


# "by 1,000 to 405,000", "10 to 15": two figures in one entity, a change or a
# range that one value would misread.
_TWO_FIGURES = re.compile(r"\d\S*\s+(?:to|and|-|–)\s+\S*\d")


# "7.2-magnitude", "four-week": a figure inside a compound adjective, no count.
_COMPOUND_ADJECTIVE = re.compile(r"\d-[a-z]|^\w+-(?:week|day|year|month|hour|magnitude)", re.I)


# "fell to 400,000 from last week's 406,000": an earlier level is another
# measure than the level a figure states (the parse of such sentences is too
# loose to tell, the words before the figure do).
_EARLIER_BEFORE = re.compile(r"\bfrom(?:\s+[^\s\d]+){0,3}\s*$", re.IGNORECASE)
# Verbs of a change in a figure: the figure right after one is the change.
CHANGE_VERBS = frozenset(
    [
        "rise",
        "soar",
        "jump",
        "climb",
        "increase",
        "surge",
        "grow",
        "fall",
        "drop",
        "decline",
        "decrease",
        "sink",
        "tumble",
        "plunge",
        "slide",
        "dip",
        "slip",
    ]
)

# Verbs whose "up to" is where a figure went ("ticked up to 6.1%").
_UPWARD_VERBS = CHANGE_VERBS | {"tick", "go", "move", "edge", "inch", "creep", "shoot", "bump"}


def _figure_bounds(doc: Doc, start: int) -> frozenset[str]:
    """'@by' for a change ("rose by 1 million", "dropped 20,000"), '@from' for
    the level a change started from ("to 400,000 from 406,000"), so that
    neither is compared with a level ("to 9.3 million")."""
    before = [t for t in doc if t.idx + len(t) <= start]
    if before and (before[-1].lower_ == "by" or before[-1].lemma_.lower() in CHANGE_VERBS):
        return frozenset({"@by"})
    if _EARLIER_BEFORE.search(doc.text[: start - doc[0].idx]):
        return frozenset({"@from"})
    return frozenset()


def _attribution_bound(ent: Span) -> frozenset[str]:
    """'@source' for a figure that counts who a report is attributed to
    ("according to two people familiar with it"): how many informants each
    outlet had is no fact of the story to dispute."""
    token = ent.root
    if token.dep_ == "nummod" and token.head.pos_ in ("NOUN", "PROPN"):
        token = token.head
    to = token.head
    if token.dep_ == "pobj" and to.lower_ == "to" and to.head.lower_ == "according":
        return frozenset({"@source"})
    return frozenset()


def _figure_place(root: Token, doc: Doc) -> str:
    """The one place named in a figure's own phrase ("8.5% of gas stations in
    North Carolina", "nearly 8 percent of Virginia gas stations"), leaving out
    the figures joined to it ("... and 7.7% in Virginia"); "" for none or several."""
    places: set[str] = set()
    stack = [root]
    while stack:
        token = stack.pop()
        for child in token.children:
            if child.dep_ in ("conj", "appos", "cc", "relcl", "acl"):
                continue
            if child.ent_type_ in ("GPE", "LOC"):
                entity = next(e for e in doc.ents if child in e)
                places.add(entity_key(entity))
            stack.append(child)
    return places.pop() if len(places) == 1 else ""


def _figure_slot(ent: Span, doc: Doc, own: range) -> Slot | None:
    if _TWO_FIGURES.search(ent.text) or _COMPOUND_ADJECTIVE.search(ent.text):
        return None
    following = doc[ent.end].lower_ if ent.end < len(doc) else ""
    if following == "-" or (following == "of" and ent.text.lower() in ("one", "two", "some")):
        return None  # "four-star general", "one of the most...": not a count
    named = ent.start >= 2 and doc[ent.start - 1].lower_ == "of"
    if named and doc[ent.start - 2].pos_ == "PROPN" and doc[ent.start - 2].is_title:
        return None  # "the Group of 7": part of a name
    text, start = _figure_text(ent, doc)
    bounds = _figure_bounds(doc, start) | _attribution_bound(ent)
    where = _figure_place(ent.root, doc)
    if ent.label_ == "CARDINAL" and ent.end < len(doc) and doc[ent.end].pos_ == "NOUN":
        with_unit = parse_quantity(f"{text} {doc[ent.end].text}")
        if with_unit is not None and with_unit.unit:
            return Slot(
                "duration" if with_unit.unit == "second" else "number",
                f"{text} {doc[ent.end].text}",
                with_unit,
                _context(ent.root, own) | bounds,
                start - doc[0].idx,
                doc[ent.end].idx + len(doc[ent.end]) - doc[0].idx,
                where=where,
            )
    quantity = parse_quantity(text)
    if quantity is None:
        return None
    kind = "duration" if quantity.unit == "second" else "number"
    context = _context(ent.root, own) | bounds
    phrase, counted = text, ""
    head = ent.root.head
    if ent.root.dep_ in ("nummod", "quantmod") and head.pos_ in ("NOUN", "PROPN"):
        # The counted noun, also past an adjective ("39 million American families").
        counted = head.lemma_.lower()
        if head.i == ent.end:
            phrase = f"{text} {head.text}"
    offsets = (start - doc[0].idx, ent.end_char - doc[0].idx)
    return Slot(kind, text, quantity, context, *offsets, phrase, counted, where)


def _date_slot(ent: Span, doc: Doc, own: range, published: date | None) -> Slot | None:
    offsets = (ent.start_char - doc[0].idx, ent.end_char - doc[0].idx)
    following = doc[ent.end].lower_ if ent.end < len(doc) else ""
    if ent.text.lower().endswith("old") or following == "old":
        return None  # "a 38-year-old Floridian", "38 years old": an age, not a time
    if ent.label_ == "TIME" and (clock := parse_clock(ent.text)) is not None:
        return Slot("time", ent.text, clock, _context(ent.root, own), *offsets)
    quantity = parse_quantity(_figure_text(ent, doc)[0])
    if quantity is not None and quantity.unit == "second":
        return Slot("duration", ent.text, quantity, _context(ent.root, own), *offsets)
    if published is None or ent.label_ != "DATE":
        return None
    verb = _governing_verb(ent.root)
    if verb is not None and verb.lemma_.lower() in SPEECH_VERBS:
        return None  # "the ministry said on Wednesday": the date of a statement
    # A last meeting lies in the past whatever the parse finds ("were last in ... in June").
    tense = "past" if _LAST_MEETING.search(doc.text) else _tense(ent.root)
    span = resolve_date(ent.text, published, tense=tense)
    if span is None:
        return None
    context = _context(ent.root, own)
    preposition = _preposition(ent.root)
    if preposition in _BOUND_PREPOSITIONS:
        context |= {f"@{preposition}"}
    head = ent.root.head
    attributive = ent.root.dep_ in ("nummod", "compound", "amod") and head.i == ent.end
    if attributive and head.pos_ == "NOUN" and head.lemma_.lower() not in _DAY_PARTS:
        # "an appeal of a 2020 ruling": the date of that thing, not of the act
        # the sentence reports, so no rival of a date of the act ("on Monday").
        context |= {"@noun"}
    return Slot("date", ent.text, span, context, *offsets)


def _place_slot(ent: Span, doc: Doc, own: range) -> Slot | None:
    if _preposition(ent.root) not in _PLACE_PREPOSITIONS:
        return None
    offsets = (ent.start_char - doc[0].idx, ent.end_char - doc[0].idx)
    return Slot("place", ent.text, entity_key(ent), _context(ent.root, own), *offsets)


# A vote's tally ("364-62", "364 to 62", "98-0") in a sentence about a vote.
_TALLY = re.compile(r"(?<![\w.,$-])(\d{1,3})\s?(?:-|–|to)\s?(\d{1,3})(?![\w%-]|[.,]\d)")
_VOTE_LEMMAS = frozenset(["vote", "pass", "approve", "confirm", "reject", "defeat", "ballot"])


def _tally_slots(doc: Doc) -> list[Slot]:
    """Vote tallies, valued as 'for-against', in sentences about a vote."""
    if not _VOTE_LEMMAS & {t.lemma_.lower() for t in doc}:
        return []
    slots = []
    for match in _TALLY.finditer(doc.text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None:
            continue
        own = range(span.start, span.end)
        value = f"{int(match.group(1))}-{int(match.group(2))}"
        context = _context(span.root, own) | {"vote"}
        slots.append(Slot("tally", match.group(0), value, context, match.start(), match.end()))
    return slots


def _initiator_slots(doc: Doc) -> list[Slot]:
    """Who asked for a meeting: the agent of request/ask/propose with a meeting as object."""
    slots: list[Slot] = []
    for verb in doc:
        if verb.lemma_.lower() not in _REQUEST_VERBS:
            continue
        objects = {t.lemma_.lower() for t in verb.subtree if t.dep_ in ("pobj", "dobj")}
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not objects & _MEETING_NOUNS and not any(
            s.lemma_.lower() in _MEETING_NOUNS for s in subjects
        ):
            continue
        agents = [c for c in verb.children if c.dep_ == "agent"]
        actor_root = next((c for a in agents for c in a.children if c.dep_ == "pobj"), None)
        if actor_root is None:
            actor_root = next((c for c in subjects if c.dep_ == "nsubj"), None)
        if actor_root is None or actor_root.pos_ == "PRON":
            continue
        phrase = doc[actor_root.left_edge.i : actor_root.i + 1]
        actor = canonical_actor(phrase.text)
        if actor:
            start, end = phrase.start_char - doc[0].idx, phrase.end_char - doc[0].idx
            slots.append(Slot("initiator", phrase.text, actor, frozenset({"meeting"}), start, end))
    return slots


# Entities that can say something: a person, an organisation, or a country or
# city standing for its government ("China said").
_SPEAKER_LABELS = frozenset(["PERSON", "ORG", "GPE", "NORP"])
_PERSONAL_PRONOUNS = frozenset(["he", "she"])
# "said Indeed Hiring Lab director of research Nick Bunker": a name this many
# tokens after a speech verb without a subject is its speaker.
_SAID_NAME = 8


def _entity_name(entity: Span) -> str:
    if entity.label_ == "PERSON":
        return _POSSESSIVE.sub("", entity.text.split()[-1])
    return entity.text.removeprefix("the ").removeprefix("The ")


def _named(token: Token, doc: Doc) -> str | None:
    """The speaker a subject token names: a person's surname or an organisation's
    name when the token is part of such an entity, has one in apposition ("a
    spokesman, John Kirby,") or after it in its phrase ("director of research
    Nick Bunker"); None for a common noun ("officials", "report") and for a
    name before it ("a Manchin aide" is not Manchin)."""
    for candidate in (token, *(c for c in token.children if c.dep_ == "appos")):
        entity = next((e for e in doc.ents if e.label_ in _SPEAKER_LABELS and candidate in e), None)
        if entity is not None:
            return _entity_name(entity)
    phrase = range(token.i + 1, token.right_edge.i + 1)
    after = [e for e in doc.ents if e.label_ == "PERSON" and e.start in phrase]
    return _entity_name(after[0]) if after else None


def _speech_subject(verb: Token) -> Token | None:
    """Who speaks with ``verb``: its subject, 'according to' X's object, for
    'who said' in a relative clause the noun the clause belongs to, and for a
    verb without a subject of its own ("presided ... and said", "dismisses it,
    saying") the subject of the verb it hangs from."""
    if verb.lemma_.lower() == "accord":
        to = next((c for c in verb.children if c.lower_ == "to"), None)
        return next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is not None and subject.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
        return verb.head
    if subject is None and verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.i != verb.i:
        return next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
    return subject


@dataclass(frozen=True, slots=True)
class Voices:
    """What earlier sentences of an article tell about who speaks: the last
    person named as a subject or speaker (for "he", "she"), and who spoke in
    the sentence just before (for a quotation that goes on in a sentence of
    its own)."""

    person: str | None = None
    speaker: str | None = None


# An opening quotation mark never closed in the sentence: the quotation runs
# to its end (an excerpt cut mid-quote, or a quote going on past the sentence).
_UNCLOSED_QUOTE = re.compile(r"“([^”]+)$")


def _quote_spans(doc: Doc) -> list[tuple[int, int, str]]:
    """(start, end, words) of the direct quotations of two words or more."""
    found = [(m.start(), m.end(), m.group(1)) for m in QUOTE_RE.finditer(doc.text)]
    last_end = found[-1][1] if found else 0
    if unclosed := _UNCLOSED_QUOTE.search(doc.text, last_end):
        found.append((unclosed.start(), len(doc.text), unclosed.group(1)))
    return [q for q in found if len(q[2].split()) >= 2]


_NO_SPEECH_VERB = "no speech verb"


def _speaker_of(doc: Doc, quote_chars: list[range], voices: Voices) -> str | None:
    """The person or organisation a speech verb outside the quotation names (a
    pronoun stands for the last person named before; "said Nick Bunker" after
    a quotation the parser left without a subject); None when the speaker is
    not named ("officials said", "they wrote"), ``_NO_SPEECH_VERB`` when no
    speech verb lies outside the quotations."""
    for token in doc:
        inside = any(token.idx - doc[0].idx in chars for chars in quote_chars)
        if inside or token.lemma_.lower() not in SPEECH_VERBS:
            continue
        subject = _speech_subject(token)
        if subject is None:
            following = [
                e for e in doc.ents if e.label_ == "PERSON" and 0 < e.start - token.i <= _SAID_NAME
            ]
            if following:
                return _entity_name(following[0])
            continue
        if subject.pos_ == "PRON":
            return voices.person if subject.lower_ in _PERSONAL_PRONOUNS else None
        return _named(subject, doc)
    return _NO_SPEECH_VERB


def _quotes(doc: Doc, voices: Voices) -> tuple[Quote, ...]:
    found = _quote_spans(doc)
    if not found:
        return ()
    speaker = _speaker_of(doc, [range(start, end) for start, end, _ in found], voices)
    if speaker == _NO_SPEECH_VERB:
        # A sentence that opens with a quotation and says no one said it goes
        # on with the quotation of the sentence before.
        speaker = voices.speaker if found[0][0] == 0 else None
    if speaker is None:
        return ()
    return tuple(Quote(speaker, speaker.lower(), words.strip(" ,.")) for _, _, words in found)


def _voices_after(doc: Doc, claim: Claim, voices: Voices) -> Voices:
    """``voices`` updated with one more sentence: who spoke in it, and the last
    person it names as a subject (or its speaker: NER takes "Secretary of
    Defense Lloyd Austin" for an organisation)."""
    if claim.quotes:
        spoke: str | None = claim.quotes[0].speaker
    else:
        found = _speaker_of(doc, [], voices)
        spoke = None if found == _NO_SPEECH_VERB else found
    subjects = [
        e
        for e in doc.ents
        if e.label_ == "PERSON" and e.root.dep_ in ("nsubj", "nsubjpass", "appos")
    ]
    person = _entity_name(subjects[-1]) if subjects else spoke or voices.person
    return Voices(person=person, speaker=spoke)


def normalized(slot: Slot) -> str:
    value = slot.value
    return value if isinstance(value, str) else value.normalized()


def _mask(text: str, slots: Sequence[Slot]) -> str:
    """Replace slot values by their kind so alignment looks at what is said, not the value."""
    masked = text
    for slot in sorted(slots, key=lambda s: -s.start):
        masked = masked[: slot.start] + slot.kind + masked[slot.end :]
    return masked


_MODIFIER_DEPS = frozenset(["compound", "amod", "npadvmod", "nmod"])


def _modifier_places(doc: Doc) -> frozenset[tuple[str, str]]:
    """Places named only to modify a noun ("U.S. travelers", "Dallas-based
    Southwest Airlines"), each with the noun's lemma; not a place also named
    otherwise ("in the U.S.")."""
    found = set()
    framing = set()
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC"):
            continue
        noun = ent.root.head
        if noun.pos_ == "ADJ" and noun.dep_ == "amod":  # "Dallas-based": through "based"
            noun = noun.head
        modifier = ent.root.dep_ in _MODIFIER_DEPS and noun.pos_ in ("NOUN", "PROPN")
        if modifier and noun.i not in range(ent.start, ent.end):
            found.add((entity_key(ent), noun.lemma_.lower()))
        else:
            framing.add(entity_key(ent))
    return frozenset((key, noun) for key, noun in found if key not in framing)


def _fragment(doc: Doc) -> bool:
    """Cut off by an ellipsis before any verb ("The $1.9 trillion economic aid
    package...", "who..."). A cut sentence with a verb often states something
    (leaving out also those cut after a word like "the" or "that" lost 19 of
    the real dev set's 233 unique details), so it stays."""
    return _ELLIPSIS.search(doc.text) is not None and not any(
        t.pos_ in ("VERB", "AUX") for t in doc
    )


# Pronouns that, as a sentence's subject, stand for what the sentence before
# ended on ("... look at the four-week average. This fell to 534,000").
_DEMONSTRATIVES = frozenset(["this", "that"])
_LEVEL_VERBS = CHANGE_VERBS | {"be", "stand", "remain", "reach", "hit", "total"}


@dataclass(frozen=True, slots=True)
class _Antecedent:
    """What a demonstrative subject stands for: the previous sentence's last
    noun phrase, its words, and the verb the pronoun is the subject of."""

    pronoun: Token
    text: str
    noun: str
    words: frozenset[str]
    verb: str


def _antecedent(doc: Doc, previous: Doc | None) -> _Antecedent | None:
    """A bare "This" or "That" as the subject of a main verb of a level refers back to the
    last noun phrase of the sentence before, so that the figure it governs is
    about that noun ("This fell to 5340,000" after "... the four-week
    average"); None otherwise (a pronoun before a noun is a determiner)."""
    if previous is None:
        return None
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    # Only for a verb of a level or its change: "This will help fill ..." or
    # "That means ..." speak of the whole event before, not of its last noun.
    if root is None or root.lemma_.lower() not in _LEVEL_VERBS:
        return None
    pronoun = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if pronoun is None or pronoun.lower_ not in _DEMONSTRATIVES or pronoun.pos_ != "PRON":
        return None
    chunks = [c for c in previous.noun_chunks if c.root.pos_ == "NOUN"]
    if not chunks:
        return None
    noun = chunks[-1].root
    words = {noun.lemma_.lower()} | _modifier_nouns(noun)
    return _Antecedent(
        pronoun, chunks[-1].text, noun.lemma_.lower(), frozenset(words), f"v:{_verb_key(root)}"
    )


def _resolved(slots: Sequence[Slot], antecedent: _Antecedent | None) -> list[Slot]:
    """Slots of the main verb made about the antecedent the pronoun stands for."""
    if antecedent is None:
        return list(slots)
    return [
        replace(s, context=s.context | antecedent.words) if antecedent.verb in s.context else s
        for s in slots
    ]


def _claim(
    position: int,
    doc: Doc,
    published: date | None,
    voices: Voices,
    previous: Doc | None = None,
) -> Claim:
    slots: list[Slot] = []
    for ent in doc.ents:
        own = range(ent.start, ent.end)
        slot: Slot | None = None
        if ent.label_ in _FIGURE_LABELS and not _part_of_name(ent, doc):
            slot = _figure_slot(ent, doc, own)
        elif ent.label_ in ("DATE", "TIME"):
            slot = _date_slot(ent, doc, own, published)
        elif ent.label_ in _PLACE_LABELS:
            slot = _place_slot(ent, doc, own)
        if slot is not None:
            slots.append(slot)
    tallies = _tally_slots(doc)
    # A tally's figures are not counts of their own ("364" of "364-62").
    slots = [s for s in slots if not any(t.start <= s.start < t.end for t in tallies)]
    slots.extend(tallies)
    slots.extend(_initiator_slots(doc))
    antecedent = _antecedent(doc, previous)
    slots = _resolved(slots, antecedent)
    placed = [s for s in slots if s.kind != "initiator"]
    lemmas = {
        t.lemma_.lower()
        for t in doc
        if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM") and not t.is_stop
    }
    masked = _mask(doc.text.rstrip(), placed)
    subject_predicate = _subject_predicate(doc)
    if antecedent is not None:
        # Aligned as if the noun stood in the pronoun's place.
        at = antecedent.pronoun.idx - doc[0].idx
        at += sum(len(s.kind) - (s.end - s.start) for s in placed if s.end <= at)
        masked = masked[:at] + antecedent.text + masked[at + len(antecedent.pronoun) :]
        lemmas |= antecedent.words
        subject_predicate["subject"] = antecedent.noun
    return Claim(
        source=0,
        position=position,
        text=doc.text.rstrip(),
        masked=masked,
        entities=frozenset(_name_keys(doc)),
        names=frozenset((e.label_, entity_key(e)) for e in doc.ents if e.label_ in _NAME_LABELS),
        values=frozenset(f"{s.kind}:{normalized(s)}" for s in slots),
        lemmas=frozenset(lemmas),
        slots=tuple(slots),
        quotes=_quotes(doc, voices),
        published=published,
        mentions=tuple(
            e.text.lower()
            for e in doc.ents
            if e.label_ in ("DATE", "TIME") and not any(s.text == e.text for s in slots)
        ),
        fragment=_fragment(doc),
        modifier_places=_modifier_places(doc),
        **subject_predicate,
    )


# "The two last met in Geneva", "the last time they met was in Vienna", "were last
# in the same room in Bali": the previous meeting, a single event whatever the
# words, so its place and date in two reports are rivals (issue 19's example).
_LAST_MEETING = re.compile(
    r"\blast (?:met|meeting|spoke|talked|saw each other|held talks)\b"
    r"|\blast time\b[^.;]*?\b(?:met|meet|spoke|talked)\b"
    r"|\b(?:was|were) last (?:in the same room|together|face to face)\b"
    r"|\bmet (?:for )?the last time\b",
    re.IGNORECASE,
)
LAST_MEETING = "meet last"


def _subject_predicate(doc: Doc) -> dict[str, str]:
    """The main verb of the sentence (in its synonym group, particle included),
    its tense and its subject's key: the name it is part of, else its lemma. A
    speech verb with a clause ("X said that Y met Z") yields the clause's."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return {"subject": "", "predicate": "", "tense": "unknown"}
    if root.lemma_.lower() in SPEECH_VERBS:
        clause = next((c for c in root.children if c.dep_ == "ccomp"), None)
        root = clause or root
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    key = ""
    if subject is not None:
        entity = next((e for e in doc.ents if subject in e and e.label_ in _NAME_LABELS), None)
        key = entity_key(entity) if entity is not None else subject.lemma_.lower()
    predicate = LAST_MEETING if _LAST_MEETING.search(doc.text) else _verb_key(root)
    return {"subject": key, "predicate": predicate, "tense": _tense(root)}


def extract_claims(articles: Sequence[tuple[Sequence[str], date | None]]) -> list[list[Claim]]:
    """Claims of several articles' sentences, given with each article's
    publication date: one list per article, in order, each as source 0.

    Each article goes through spaCy as one document whose sentence boundaries
    are set to the given sentences (the parser keeps to them), all articles in
    one batch: parsed whole, an article costs about 40% less CPU than parsed
    sentence by sentence (5.2 against 3.0 ms a sentence, measured on the
    annotated set), as spaCy's fixed cost per document is paid once."""
    nlp = english()
    joined = [_bounded_doc(nlp, sentences) for sentences, _ in articles]
    return [
        _article_claims([span.as_doc() for span in doc.sents], published)
        for doc, (_, published) in zip(nlp.pipe(joined, batch_size=16), articles, strict=True)
    ]


def _bounded_doc(nlp: Language, sentences: Sequence[str]) -> Doc:
    """The sentences as one unparsed document, a sentence starting at each."""
    doc = nlp.make_doc(" ".join(sentences))
    starts: set[int] = set()
    offset = 0
    for sentence in sentences:
        starts.add(offset)
        offset += len(sentence) + 1
    for token in doc:
        token.is_sent_start = token.idx in starts
    return doc


def _article_claims(docs: Sequence[Doc], published: date | None) -> list[Claim]:
    claims: list[Claim] = []
    voices = Voices()
    for position, doc in enumerate(docs):
        previous = docs[position - 1] if position else None
        claims.append(_claim(position, doc, published, voices, previous))
        voices = _voices_after(doc, claims[-1], voices)
    return claims
