"""Conflicts: aligned claims of different sources whose slots about the same
thing hold incompatible values (hard), or values that differ only in precision
or hedging (soft).

Precision first (a false contradiction costs an editor more than a missed one).
Two slots are compared only when their claims align, they share what they are
about (the counted noun, the act: "arrested"/"detained"), they sit in the same
frame (dates, periods, places around them), neither is quoted speech, a time
offset ("after five months"), an increment ("three more"), a change set against
a level ("rose by 1 million" / "to 9.3 million") or a part of a breakdown set
against a total or another place's part, and the other source does not itself
report the first value elsewhere. Nor are an expectation and an outcome, a
list's item and a total, the dates of two named bodies' acts, a sum an act
moves and the size of a thing, or a looser figure far from the other's order.

Claims that align weakly are still compared when they state the same thing: one
distinctive figure hedged two ways ("Nearly 88% of children" / "88% of
children"), figures sharing their act and what they count, and the days two
sources give one milestone ("will surpass 600,000 deaths in the next few days"
/ "recorded ... Tuesday with over 600,000 deaths"), and the figures two claims
give of one subject described alike ("The four-week moving average was
534,000" / "the four-week average. This fell to 5340,000"), and a level each
dates to one month in its own words ("from more than 900,000 at the start of
the year" / "a peak of 904,000 in January").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ohliad.compare.align import Matrix, aligned_pairs
from ohliad.compare.claims import CHANGE_VERBS, LAST_MEETING, QUOTE_RE, Claim, Slot
from ohliad.compare.lexicon import is_country
from ohliad.compare.values import UNIT_WORDS, DateSpan, Quantity

# Context words match on their first letters ("expected" / "expectations").
_STEM = 5
# Words of names this long tell bodies apart ("labor" does, "of" does not).
_NAME_WORD = 4
# "three more", "three other", "three fellow": an increment or a remainder, not a total.
_INCREMENT = re.compile(r"\s+(?:\w+\s+)?(more|additional|extra|new|other|fellow)\b", re.IGNORECASE)
_OFFSET_BEFORE = frozenset({"after", "within", "in", "before", "by"})
_OFFSET_AFTER = frozenset({"after", "later", "ago", "earlier", "before", "into"})
# A looser figure lies within this factor of the one it stands for.
_SAME_ORDER = 2
# A figure this large, stated alike by two sources, is taken for one figure.
_DISTINCTIVE_FIGURE = 10
# A claim with this many other figures of the same measure is a list.
_LIST_PEERS = 2
# Kinds whose values depend on a frame (a year, a country) that must match.
_SCOPED_KINDS = frozenset({"number", "duration", "place"})
# A claim dated this many days from its publication speaks of another time.
_SAME_TIME_DAYS = 14
# Words of a forecast ("expected", "expectations", "forecasters", "the median
# estimate"), by their first letters: a story's forecasts of its one figure are
# rivals whatever they call it ("360,000 applications" / "359,000 new claims").
_FORECAST_STEMS = frozenset({"expec", "forec", "estim", "predi"})
_EXPECTATION_STEMS = _FORECAST_STEMS - {"estim"}
_MONEY = frozenset({"dollar", "euro", "pound", "hryvnia", "rouble", "yuan"})
# Counted nouns that may stand for any more specific one ("people" / "residents").
_GENERIC_COUNTED = frozenset({"people", "person", "resident", "civilian", "individual"})


@dataclass(frozen=True, slots=True)
class Mention:
    """A slot in a claim (``claim`` indexes the story's claim list)."""

    claim: int
    slot: Slot


@dataclass(frozen=True, slots=True)
class SlotConflict:
    kind: str
    soft: bool
    about: tuple[str, ...]
    sides: tuple[tuple[Mention, ...], ...]


def _unit(slot: Slot) -> str:
    return slot.value.unit if isinstance(slot.value, Quantity) else ""


def _bounds(slot: Slot) -> frozenset[str]:
    return frozenset(w for w in slot.context if w.startswith("@"))


def _same_measure(a: Slot, b: Slot) -> bool:
    return a.kind == b.kind and _unit(a) == _unit(b) and _bounds(a) == _bounds(b)


def compatible(a: Slot, b: Slot) -> bool:
    """Both values can be true at once."""
    if isinstance(a.value, Quantity) and isinstance(b.value, Quantity):
        return a.value.overlaps(b.value)
    if isinstance(a.value, DateSpan) and isinstance(b.value, DateSpan):
        return a.value.overlaps(b.value)
    return a.value == b.value


def precision_only(a: Slot, b: Slot) -> bool:
    """The values differ at most in precision or hedging: both can be true, and
    one's figure lies within the other's range ("nearly 8 percent" / "7.7%",
    "$1 trillion" / "$1.2 trillion"). Two hedged figures that overlap only
    through both hedges ("some 9 million" / "roughly 11.2 million") give
    different figures: a hard conflict, as the real set's annotators judge it."""
    if isinstance(a.value, Quantity) and isinstance(b.value, Quantity):
        x, y = a.value, b.value
        if x.figure == y.figure and x.unit == y.unit:
            return True  # one figure hedged two ways ("nearly 8 percent" / "over 8%")
    if not compatible(a, b):
        return False
    if isinstance(a.value, Quantity) and isinstance(b.value, Quantity):
        x, y = a.value, b.value
        return x.low <= y.figure <= x.high or y.low <= x.figure <= y.high
    return True


def _same_order(a: Slot, b: Slot) -> bool:
    """Figures close enough for one to be a looser version of the other: no
    one writes "more than 4 million" for a billion, though the bound allows it."""
    if not (isinstance(a.value, Quantity) and isinstance(b.value, Quantity)):
        return True
    low, high = sorted((abs(a.value.figure), abs(b.value.figure)))
    return high <= _SAME_ORDER * low


def corroborates(a: Slot, b: Slot) -> bool:
    """``b`` gives the value of ``a`` for the same thing: stated alike, or both
    bounded, overlapping and about the same thing ('at least 15' corroborates
    nothing but another 'at least 15')."""
    if not _same_measure(a, b):
        return False
    if _stated_alike(a, b):
        return True
    bounded = all(
        isinstance(s.value, Quantity) and s.value.high != float("inf") for s in (a, b)
    ) or all(isinstance(s.value, DateSpan) for s in (a, b))
    return bounded and bool(a.context & b.context) and precision_only(a, b)


def _stated_alike(a: Slot, b: Slot) -> bool:
    if isinstance(a.value, Quantity) and isinstance(b.value, Quantity):
        return a.value.hedge == b.value.hedge and a.value.figure == b.value.figure
    # The same words ("Wednesday") resolved differently are a guess gone wrong, not a dispute.
    return compatible(a, b) or a.text.lower() == b.text.lower()


def _stem(word: str) -> str:
    return word.removeprefix("v:")[:_STEM]


def _shared_context(a: Slot, b: Slot) -> frozenset[str]:
    """What two slots are both about (words of ``a``'s context whose stem is in
    ``b``'s, noun or verb alike), leaving out bounds and unit words; nothing
    when they share only a verb of change, which any two figures may do
    ("shares fell 4 percent" / "operating profit fell 31 percent")."""
    stems = {_stem(w) for w in b.context if not w.startswith("@") and w not in UNIT_WORDS}
    shared = frozenset(
        w for w in a.context if not w.startswith("@") and w not in UNIT_WORDS and _stem(w) in stems
    )
    return shared if any(w.removeprefix("v:") not in CHANGE_VERBS for w in shared) else frozenset()


def _closeness(shared: frozenset[str]) -> int:
    """How surely two slots are about the same thing: shared words, a shared
    verb counting twice ("37.3% ... vaccinated" / "39% ... vaccinated" rather
    than "37.3% of adults" / "55% of adults ... received a dose")."""
    return len(shared) + any(w.startswith("v:") for w in shared)


def _other_time(claim: Claim, frames: Sequence[Slot]) -> bool:
    """The claim dates its statement well away from its publication ('a vote in May')."""
    dates = [s.value for s in frames if isinstance(s.value, DateSpan)]
    if not dates or claim.published is None:
        return False
    published = claim.published
    return all(
        min(abs((d.start - published).days), abs((d.end - published).days)) > _SAME_TIME_DAYS
        for d in dates
    )


def _clause_frames(slot: Slot, frames: Sequence[Slot]) -> list[Slot]:
    """The frames that may date the figure: those of its own verb, or of no
    verb, not a date of another clause ("the bill passed this year will deliver
    payments to 88% of children, starting in July")."""
    verbs = {w for w in slot.context if w.startswith("v:")}
    return [
        f
        for f in frames
        if not verbs or not (own := {w for w in f.context if w.startswith("v:")}) or own & verbs
    ]


def _named_subject(a: Claim, b: Claim) -> bool:
    """Both claims are about the same named subject ("Rogers")."""
    return a.subject != "" and a.subject == b.subject and a.subject in a.entities


def _different_scope(a: Claim, b: Claim, sa: Slot, sb: Slot, lone: bool = False) -> bool:
    """The claims set their values in different frames, so they may not be rivals:
    incompatible other dates or periods ('next year' / '2021', 'a month after' /
    'after five months'), a time far from publication on one side only, in the
    figure's own clause ('a vote in May'), and for figures different places."""
    for kind in ("date", "duration"):
        frames_a = [s for s in a.slots if s.kind == kind and s is not sa]
        frames_b = [s for s in b.slots if s.kind == kind and s is not sb]
        # A date of another clause does not date the value ("COVID-19, which
        # emerged in late 2019, has killed 3.34 million").
        own_a, own_b = frames_a, frames_b
        if kind == "date":
            own_a, own_b = _clause_frames(sa, frames_a), _clause_frames(sb, frames_b)
        if own_a and own_b and not any(compatible(x, y) for x in own_a for y in own_b):
            return True
        # A date on one side only may set that claim at another time; not so
        # for the lone values of two close claims (one just gives the date).
        one_sided = kind == "date" and not lone and bool(frames_a) != bool(frames_b)
        if one_sided and (_other_time(a, own_a) or _other_time(b, own_b)):
            return True
    if sa.kind == "place" or (lone and _named_subject(a, b)):
        return False  # other places are incidental when the claims are about one named actor
    # Other places set figures apart. Other organisations do not: two bodies'
    # estimates of one figure ("some 9 million ..., according to The Century
    # Foundation" / "Oxford Economics estimates that roughly 11.2 million")
    # are rivals to the real set's annotators (2 of its 22 dev conflicts).
    words_a = _name_words(_framing_places(a, sa))
    words_b = _name_words(_framing_places(b, sb))
    return bool(words_a and words_b and not words_a & words_b)


def _framing_places(claim: Claim, slot: Slot) -> list[str]:
    """The places that may frame a figure: every place the claim names but one
    that only modifies a noun the figure is not about ("leaving U.S. travelers
    stranded" does not place "canceled at least 1,800 flights")."""
    aside = {key for key, noun in claim.modifier_places if noun not in slot.context}
    return [key for label, key in claim.names if label in ("GPE", "LOC") and key not in aside]


def _name_words(keys: Iterable[str]) -> set[str]:
    """The longer words of place names, so that "North Carolina" and "the state
    of North Carolina" are one place, and "North Carolina" and "Virginia" two."""
    return {word for key in keys for word in key.split() if len(word) >= _NAME_WORD}


def _is_part(slot: Slot, claim: Claim) -> bool:
    """One item of a breakdown: another figure in the claim shares its verb
    ('killed 13 troops and 72 Afghans'), or the claim lists three or more
    ('Walgreens wasted 2.6 million, CVS 2.2 million, Walmart 1.6 million')."""
    verbs = {w for w in slot.context if w.startswith("v:")}
    peers = [s for s in claim.slots if s is not slot and _same_measure(slot, s)]
    return _in_list(slot, claim) or any(verbs & s.context for s in peers)


def _in_list(slot: Slot, claim: Claim) -> bool:
    """One of three or more figures of one measure in a claim."""
    return sum(s is not slot and _same_measure(slot, s) for s in claim.slots) >= _LIST_PEERS


def _by_place(claim: Claim, slot: Slot) -> bool:
    """The claim gives figures of this measure for two places or more (a
    breakdown by place)."""
    return len({s.where for s in claim.slots if s.where and _same_measure(slot, s)}) >= 2


def _same_count(a: Slot, b: Slot) -> bool:
    """Figures that count different nouns ('39 million families' / '60 million
    children') are not rivals; a generic noun ('people') can stand for any."""
    nouns = {a.counted, b.counted} - {""}
    return len(nouns) < 2 or bool(nouns & _GENERIC_COUNTED)


def _same_side_of_publication(a: Claim, b: Claim, sa: Slot, sb: Slot) -> bool:
    """Two dates are rivals only if both lie in the past or both in the future of
    their reports ('ended on Thursday' / 'to end on Aug. 31' are two events)."""
    if not (isinstance(sa.value, DateSpan) and isinstance(sb.value, DateSpan)):
        return True
    if a.published is None or b.published is None:
        return True
    return (sa.value.start > a.published) == (sb.value.start > b.published)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Alignment scores at which two claims' slots are compared."""

    aligned: float  # slots about the same thing (shared context words)
    lone: float  # the only value of its measure in each of two close claims
    measured: float  # figures in the same physical unit about the same thing ("depth")


def _is_offset(slot: Slot, text: str) -> bool:
    """'after five months', 'a month after', 'two weeks ago': a point in time
    measured from another, not how long something lasted."""
    # The entity may hold the offset word itself ("a year ago").
    own = slot.text.lower().split()
    before = text[: slot.start].lower().split()[-1:] + own[:1]
    after = text[slot.end :].lower().split()[:1] + own[-1:]
    return bool(set(before) & _OFFSET_BEFORE or set(after) & _OFFSET_AFTER)


def _comparable_in(slot: Slot, claim: Claim) -> bool:
    """Whether a value speaks for itself: not in a quotation (someone's words, often
    rhetorical), not an offset in time, not an increment or a remainder
    ("three more", "three other")."""
    if any(m.start() <= slot.start < m.end() for m in QUOTE_RE.finditer(claim.text)):
        return False
    if "@source" in slot.context:
        return False  # "according to two people": the informants, not the news
    if slot.kind == "place":
        return not is_country(str(slot.value))  # "in the U.S." contains "in NYC"
    if slot.kind == "duration" and _is_offset(slot, claim.text):
        return False
    if slot.kind not in _SCOPED_KINDS:
        return True
    increment = _INCREMENT.match(claim.text[slot.end :])
    if increment and increment.group(1).lower() == "new" and _forecast(slot):
        return True  # "expectations of 359,000 new claims": a forecast is of a level
    if increment and _others_of_another_act(slot, claim):
        return True  # "killed 1,400 and injured 6,000 more": more people, all the injured
    return not increment and not claim.text[: slot.start].endswith("another ")


def _others_of_another_act(slot: Slot, claim: Claim) -> bool:
    """A figure with "more" or "other" after a figure of the same measure that
    another verb governs ("killed 1,400 residents and injured 6,000 more"): the
    word sets the second group apart from the first, it adds nothing to the
    second's own count (unlike "three more died")."""
    verbs = {w for w in slot.context if w.startswith("v:")}
    return bool(verbs) and any(
        s.end <= slot.start
        and _same_measure(s, slot)
        and (earlier := {w for w in s.context if w.startswith("v:")})
        and not earlier & verbs
        for s in claim.slots
    )


def _pair_slots(a: Claim, b: Claim, score: float, limits: Thresholds) -> list[tuple[Slot, Slot]]:
    """Slots of two aligned claims that speak of the same thing, each used once,
    those sharing most context first."""
    timed = _same_figure_timed(a, b)
    # A level a change starts from ("from more than 900,000 at ...") is a
    # level at its date: such pairs are of one measure whatever their bounds.
    dated = _dated_levels(a, b) if score >= limits.measured else []
    timed += dated
    candidates = [
        (_shared_context(sa, sb), sa, sb)
        for sa in a.slots
        for sb in b.slots
        if (_same_measure(sa, sb) or (sa, sb) in dated)
        # A capital is a place of its own where one event is placed ("in Tokyo").
        and (
            _one_event(a, b, sa, sb)
            or (sa, sb) in timed
            or (_comparable_in(sa, a) and _comparable_in(sb, b))
        )
    ]
    # Closest first; on a tie the reading where the figures agree wins.
    candidates.sort(key=lambda c: (-_closeness(c[0]), not compatible(c[1], c[2])))
    used: set[int] = set()
    pairs: list[tuple[Slot, Slot]] = []
    for shared, sa, sb in candidates:
        if id(sa) in used or id(sb) in used:
            continue
        if _one_event(a, b, sa, sb) or (sa, sb) in timed:
            used.update((id(sa), id(sb)))
            pairs.append((sa, sb))
            continue
        # The only value of its measure in each of two close claims about the
        # same names: rivals whatever words surround them ("waited six hours"
        # / "waited in line to cast his ballot for seven hours").
        close_claims = score >= limits.lone and any(w.startswith("v:") for w in shared)
        # Both figures name the size of a thing ("a $1 trillion bill") or
        # neither does: "would add $256 billion to the deficit" is no size of
        # the bill. (A duration's "four hours of talks" is how long they lasted.)
        same_role = sa.kind != "number" or _counts_a_thing(sa, a) == _counts_a_thing(sb, b)
        alone = (
            sum(_same_measure(sa, s) for s in a.slots) == 1
            and sum(_same_measure(sb, s) for s in b.slots) == 1
        )
        lone = (
            alone
            and same_role
            and score >= limits.lone
            and (bool(a.entities & b.entities) or _named_subject(a, b))
        )
        # A sum of money is rarer than a count: the only sum in each of two
        # aligned claims is the price of one thing, whatever each calls it ("a
        # roughly $1 trillion bill" / "a $1.2 trillion package").
        money = alone and same_role and score >= limits.aligned and _unit(sa) in _MONEY
        forecast = (
            alone
            and score >= limits.measured
            and sa.kind == "number"
            and _forecast(sa)
            and _forecast(sb)
        )
        if sa.kind == "date" and not (_same_act(a, b, shared) or close_claims):
            continue
        if sa.kind == "date" and _named(a) and _named(b) and a.subject != b.subject:
            continue  # "the FDA gave approval Thursday" / "the CDC gave approval Friday": two acts
        if sa.kind in _SCOPED_KINDS and _different_scope(a, b, sa, sb, lone):
            continue
        places = _name_words([sa.where]), _name_words([sb.where])
        if all(places) and not places[0] & places[1]:
            continue  # figures for two places ("7.7% in Virginia" / "6 percent of Georgia ...")
        same_place = all(places) and bool(places[0] & places[1])
        if sa.kind == "number" and (
            (_expected(sa) and not _of_future(sb, b)) or (_expected(sb) and not _of_future(sa, a))
        ):
            continue  # what is expected ("expects $26 billion this year") is no rival of what was
        if (_in_list(sa, a) or _in_list(sb, b)) and not same_place:
            continue  # one item of a list ("Walgreens 2.6 million, CVS 2.2 million") is no total
        if not (forecast or money or _same_count(sa, sb)):
            continue  # a forecast or a sum may name its thing differently
        if not _same_side_of_publication(a, b, sa, sb):
            continue
        same_part = (sa.counted and sa.counted == sb.counted) or same_place
        if (_is_part(sa, a) or _is_part(sb, b)) and not same_part:
            continue  # a part ("72 Afghans") is a rival only of the same part, not a total
        # Less aligned claims still compare figures in a physical unit about
        # the same thing ("depth ... km"), or any two values that share two
        # words of what they are about ("94-1 vote" / "passed the Senate 92-6").
        close = _closeness(shared) >= 2 or (shared and _unit(sa) not in ("", "percent"))
        measured = close and score >= limits.measured
        # Two aligned breakdowns by place: a place's figures are rivals whatever
        # words each phrase keeps ("7.7% in Virginia" / "nearly 8 percent of
        # Virginia gas stations").
        by_place = same_place and score >= limits.aligned and _by_place(a, sa) and _by_place(b, sb)
        # A size set against another role shares more than one word of what
        # it is about, not just "infrastructure" of "an infrastructure bill".
        role_kept = same_role or _closeness(shared) >= 2
        measured = measured and role_kept
        aligned = bool(shared) and score >= limits.aligned and role_kept
        # One distinctive figure about the same thing, however the sentences
        # around it differ ("Nearly 88% of children are set to receive" /
        # "payments to households including 88% of children"): the same claim.
        same_figure = (
            bool(shared) and score >= limits.measured and role_kept and _same_figure(sa, sb)
        )
        level = score >= limits.measured and role_kept and _same_subject_level(a, b, sa, sb)
        if aligned or lone or measured or forecast or money or by_place or same_figure or level:
            used.update((id(sa), id(sb)))
            pairs.append((sa, sb))
    return pairs


def _same_subject_level(a: Claim, b: Claim, sa: Slot, sb: Slot) -> bool:
    """Two claims whose subject is one noun described alike, each giving a
    figure of it ("The four-week moving average was 534,000" / "[the four-week
    average] This fell to 5340,000"): the words of the subject's phrase count,
    a unit word among them too ("four-week" is what the average is, no unit)."""
    if a.subject == "" or a.subject != b.subject or a.subject in a.entities:
        return False
    words = {w for w in sa.context & sb.context if not w.startswith(("@", "v:"))}
    return a.subject in words and len(words) >= 2


def _same_figure(a: Slot, b: Slot) -> bool:
    """The same figure in the same unit, one too large to recur by chance
    ("88%", "9,900"; not "two" or "5")."""
    if not (isinstance(a.value, Quantity) and isinstance(b.value, Quantity)):
        return False
    x, y = a.value, b.value
    return x.figure == y.figure and x.unit == y.unit and abs(x.figure) >= _DISTINCTIVE_FIGURE


def _counts_a_thing(slot: Slot, claim: Claim) -> bool:
    """The figure counts or sizes a noun ("82,300 people", "a $1 trillion
    bill", "4,500 of these Americans") rather than being what an act moves
    ("would add $256 billion")."""
    return bool(slot.counted) or claim.text[slot.end :].startswith(" of ")


def _offset_of(figure: Slot, claim: Claim) -> Slot | None:
    """The time offset a figure is given at ("just 47% ... after five months",
    "47% ... six months later"): the claim's only offset, else the one in the
    figure's own clause (the same context)."""
    offsets = [s for s in claim.slots if s.kind == "duration" and _is_offset(s, claim.text)]
    if len(offsets) == 1:
        return offsets[0]
    own = [s for s in offsets if s.context == figure.context]
    return own[0] if len(own) == 1 else None


def _same_figure_timed(a: Claim, b: Claim) -> list[tuple[Slot, Slot]]:
    """Offsets at which two claims give the same figure of one measure ("47%
    effective after five months" / "47% six months later"): the figure is one
    measurement, so its two times are rivals, though an offset is otherwise no
    duration to compare."""
    pairs = []
    for x in a.slots:
        for y in b.slots:
            same = x.kind == y.kind == "number" and _same_measure(x, y) and _stated_alike(x, y)
            if same and (ox := _offset_of(x, a)) and (oy := _offset_of(y, b)):
                pairs.append((ox, oy))
            elif _one_milestone(x, y, a, b) and (dx := _date_of(x, a)) and (dy := _date_of(y, b)):
                pairs.append((dx, dy))
    return pairs


# "904,000 in January", "more than 900,000 at the start of the year": a
# figure with its date right after it.
_DATED = re.compile(r"\s+(?:at|in|on|during)\s+$")


def _dated_levels(a: Claim, b: Claim) -> list[tuple[Slot, Slot]]:
    """Two distinctive figures each dated in its own words to one month ("fallen
    from more than 900,000 at the start of the year" / "a peak of 904,000 in
    January"), one a looser version of the other: one level at one time, so a
    soft rival however each sentence words what it counts. A level a change
    starts from ("from") is still a level at its date; the figures' own dates
    both fall in the same month or shorter span."""
    pairs = []
    for x in a.slots:
        for y in b.slots:
            levels = x.kind == y.kind == "number" and _unit(x) == _unit(y)
            if not (levels and _bounds(x) | _bounds(y) <= {"@from"}):
                continue
            if not (_same_order(x, y) and precision_only(x, y) and not _stated_alike(x, y)):
                continue
            if not (_distinctive(x) and _distinctive(y)):
                continue
            if not (_comparable_in(x, a) and _comparable_in(y, b)):
                continue
            dx, dy = _own_date(x, a), _own_date(y, b)
            if dx is not None and dy is not None and dx.overlaps(dy):
                pairs.append((x, y))
    return pairs


def _distinctive(slot: Slot) -> bool:
    return isinstance(slot.value, Quantity) and abs(slot.value.figure) >= _DISTINCTIVE_FIGURE


# A span this long (a year) dates no single level.
_LEVEL_DAYS = 31


def _own_date(figure: Slot, claim: Claim) -> DateSpan | None:
    """The date right after a figure ("904,000 in January"), a month or less,
    no bound ("since May"); None otherwise."""
    for slot in claim.slots:
        value = slot.value
        if slot.kind != "date" or not isinstance(value, DateSpan) or _bounds(slot):
            continue
        between = claim.text[figure.end : slot.start]
        if _DATED.fullmatch(between) and (value.end - value.start).days < _LEVEL_DAYS:
            return value
    return None


def _one_milestone(x: Slot, y: Slot, a: Claim, b: Claim) -> bool:
    """Two claims give one distinctive figure of the same counted noun, both
    can be true ("will surpass 600,000 deaths" / "over 600,000 deaths"): the
    figure is one milestone, so the days each source gives it are rivals,
    whether it is still to come in one report and past in another."""
    return (
        x.kind == y.kind == "number"
        and _same_measure(x, y)
        and _same_figure(x, y)
        and x.counted != ""
        and x.counted == y.counted
        and precision_only(x, y)
        and _comparable_in(x, a)
        and _comparable_in(y, b)
    )


def _date_of(figure: Slot, claim: Claim) -> Slot | None:
    """The claim's one date when it dates the figure's own verb ("recorded a
    grim milestone Tuesday with over 600,000 deaths", not "COVID-19, which
    emerged in late 2019, has killed 3.34 million"), and is no bound ("since
    May") or date of a thing ("a 2020 ruling")."""
    dates = [s for s in claim.slots if s.kind == "date"]
    if len(dates) != 1 or _bounds(dates[0]) or not _comparable_in(dates[0], claim):
        return None
    verbs = {w for w in figure.context if w.startswith("v:")}
    return dates[0] if verbs & dates[0].context else None


def _same_act(a: Claim, b: Claim, shared: frozenset[str]) -> bool:
    """Two dates are rivals only for the same act ("arrested"/"detained") of the
    same thing: a shared verb, and a shared noun or subject ("continuing claims
    fell ... in the week ended Aug. 7" / "new claims fell ... last week" are two),
    unless the claims are close ("the Pentagon on Wednesday ordered troops" /
    "department heads were ordered Tuesday")."""
    verb = any(w.startswith("v:") for w in shared)
    return verb and (any(not w.startswith("v:") for w in shared) or a.subject == b.subject)


def _named(claim: Claim) -> bool:
    return claim.subject != "" and claim.subject in claim.entities


def _forecast(slot: Slot) -> bool:
    return any(_stem(w) in _FORECAST_STEMS for w in slot.context)


def _of_future(slot: Slot, claim: Claim) -> bool:
    """A forecast or estimate, or a figure said in the future tense ("will carry")."""
    return _forecast(slot) or claim.tense == "future"


def _expected(slot: Slot) -> bool:
    """A figure of the future ("expects", "forecast"), unlike an estimate of
    the present ("police estimated")."""
    return any(_stem(w) in _EXPECTATION_STEMS for w in slot.context)


def _one_event(a: Claim, b: Claim, sa: Slot, sb: Slot) -> bool:
    """The place or the date of one single event in both claims (their last
    meeting): rivals however differently the sentences put it, when each claim
    gives one value of the kind. Other dates around it are no other frame: a
    different date is the dispute itself."""
    return (
        a.predicate == b.predicate == LAST_MEETING
        and sa.kind in ("date", "place")
        and sum(s.kind == sa.kind for s in a.slots) == 1
        and sum(s.kind == sb.kind for s in b.slots) == 1
    )


def _same_event_pairs(claims: Sequence[Claim]) -> list[tuple[int, int]]:
    """Pairs of claims from different sources about one single event, however
    little their sentences align ("the last time X and Y met was in Vienna" /
    "X and Y were last in the same room at a summit in Tokyo")."""
    events = [k for k, c in enumerate(claims) if c.predicate == LAST_MEETING]
    return [
        (i, j) for i in events for j in events if i < j and claims[i].source != claims[j].source
    ]


def _reports_value(slot: Slot, claims: Sequence[Claim], source: int, text: str) -> bool:
    """Whether ``source`` itself gives this value for the same thing somewhere;
    then the two sources are not contradicting each other."""
    if slot.kind in ("place", "initiator"):
        return isinstance(slot.value, str) and slot.value in text
    # A date or time is the same only for the same act: a source that dates
    # the memo's release "Aug. 25" may still date the order "Tuesday".
    same_act = slot.kind in ("date", "time")
    return any(
        other.source == source
        and corroborates(slot, s)
        and (not same_act or bool(_shared_context(slot, s)))
        for other in claims
        for s in other.slots
    )


def _states_alike(slot: Slot, claims: Sequence[Claim], source: int) -> bool:
    """Whether ``source`` states this very value of the same measure somewhere:
    then a looser figure of its own is no softer version of it ("deficits in
    excess of $1 trillion" beside its own "$6 trillion" budget)."""
    return any(
        other.source == source and _same_measure(slot, s) and _stated_alike(slot, s)
        for other in claims
        for s in other.slots
    )


def find_conflicts(
    claims: Sequence[Claim],
    scores: Matrix,
    source_texts: Sequence[str],
    limits: Thresholds,
) -> list[SlotConflict]:
    """Conflicts between sources, hard ones and soft (precision-only) differences."""
    hard: list[tuple[Mention, Mention]] = []
    soft: list[tuple[Mention, Mention]] = []
    lowest = min(limits.aligned, limits.lone, limits.measured)
    aligned = aligned_pairs(claims, scores, lowest)
    seen = set(aligned)
    pairs = aligned + [p for p in _same_event_pairs(claims) if p not in seen]
    for i, j in pairs:
        a, b = claims[i], claims[j]
        for sa, sb in _pair_slots(a, b, float(scores[i, j]), limits):
            if _stated_alike(sa, sb):
                continue
            pair = (Mention(i, sa), Mention(j, sb))
            if not precision_only(sa, sb):
                if not _reports_value(
                    sa, claims, b.source, source_texts[b.source]
                ) and not _reports_value(sb, claims, a.source, source_texts[a.source]):
                    hard.append(pair)
            elif (
                sa.kind in ("number", "duration")
                and _same_order(sa, sb)
                and not (_states_alike(sa, claims, b.source) or _states_alike(sb, claims, a.source))
            ):
                soft.append(pair)
    return _group(claims, hard, soft=False) + _group(claims, soft, soft=True)


def _group(
    claims: Sequence[Claim], edges: list[tuple[Mention, Mention]], soft: bool
) -> list[SlotConflict]:
    """Merge pairwise differences into conflicts with one side per version."""
    parent: dict[Mention, Mention] = {}

    def find(m: Mention) -> Mention:
        parent.setdefault(m, m)
        while parent[m] != m:
            m = parent[m]
        return m

    for a, b in edges:
        parent[find(a)] = find(b)
    components: dict[Mention, list[Mention]] = {}
    for mention in parent:
        components.setdefault(find(mention), []).append(mention)
    conflicts: list[SlotConflict] = []
    for members in components.values():
        members.sort(key=lambda m: (claims[m.claim].source, claims[m.claim].position))
        sides: list[list[Mention]] = []
        for mention in members:
            same = _stated_alike if soft else precision_only
            side = next((s for s in sides if same(s[0].slot, mention.slot)), None)
            if side is None:
                sides.append([mention])
            else:
                side.append(mention)
        side_sources = [{claims[m.claim].source for m in side} for side in sides]
        if len(sides) < 2 or sum(map(len, side_sources)) != len(set().union(*side_sources)):
            continue  # a source on two sides contradicts itself (or updates): not a dispute
        about = frozenset.intersection(*(frozenset(m.slot.context) for m in members))
        conflicts.append(
            SlotConflict(
                kind=members[0].slot.kind,
                soft=soft,
                about=tuple(sorted(w.removeprefix("v:") for w in about if not w.startswith("@"))),
                sides=tuple(tuple(side) for side in sides),
            )
        )
    return conflicts
