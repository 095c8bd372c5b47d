"""Light sentence compression: drop what is not the fact itself.

Only cuts that leave a grammatical sentence are made: a trailing or
comma-enclosed attribution ("…, he told reporters on Thursday."), a
parenthetical aside, a dash-enclosed aside, and a section label in front of
the sentence ("Why it matters: …", "VIDEO: …") or a dateline ("PARIS (AP) — ").
Anything less certain is left alone; the scorer, not the compressor, deals with
quotes used as colour.
"""

from __future__ import annotations

import re

_SPEECH_VERB = (
    r"(?:said|says|told\s+(?:\w+\s+){0,2}?(?:reporters|[A-Z]\w+|the\s+\w+|a\s+\w+|him|her|them)"
    r"|added|noted|explained|wrote|tweeted|stated|argued|claimed|insisted|warned|reported"
    r"|announced|confirmed|recalled)"
)
_SPEAKER = (
    r"(?:he|she|they|it|(?:the|a|an)\s+[\w-]+(?:\s+[\w-]+)?"
    r"|[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|of|the|de|van))*)"
)
# Time and place that often trail an attribution: "on Thursday", "in a statement".
_TAIL = r"(?:\s+(?:on|in|at|during|to|after|before|late|early|last|this)\s+[^,;:\"“”]{1,40}?)?"

_TRAILING_ATTRIBUTION = re.compile(
    rf",\s+(?:{_SPEAKER}\s+{_SPEECH_VERB}|{_SPEECH_VERB}\s+{_SPEAKER}){_TAIL}\s*(?P<end>[.!]?)[\"”]?$"
)
_ENCLOSED_ATTRIBUTION = re.compile(
    rf",\s+(?:{_SPEAKER}\s+{_SPEECH_VERB}|{_SPEECH_VERB}\s+{_SPEAKER}){_TAIL},\s+(?=[a-z])"
)
_TRAILING_ACCORDING = re.compile(r",\s+according\s+to\s+[^,;:\"“”]{2,80}?(?P<end>[.!]?)$")
_LEADING_ACCORDING = re.compile(r"^According\s+to\s+[^,;:\"“”]{2,80}?,\s+(?=\w)")
_PARENTHETICAL = re.compile(r"\s*\([^()]{1,120}\)")
_DASHES = r"(?:—|–|--| - )"
_DASH_ASIDE = re.compile(rf"\s*{_DASHES}\s*[^—–\"“”]{{3,150}}?\s*{_DASHES}\s*")
_LABEL = re.compile(
    r"^(?:(?:VIDEO|WATCH|EXCLUSIVE|BREAKING|UPDATE|UPDATED|ANALYSIS|OPINION|LIVE)\b[^:]{0,20}"
    r"|(?:Why it matters|The big picture|Driving the news|The bottom line|Between the lines"
    r"|The backstory|What's next|What they're saying|Details|Background|Context|Catch up quick"
    r"|By the numbers|Go deeper|Flashback|Yes, but|The latest|Our thought bubble))\s*:\s+",
    re.IGNORECASE,
)


# "MONSEY, N.Y. (AP) — ", "KAUNAS, March 9 - ", "MINNEAPOLIS—", "(CNN) - ": a place
# in capitals (or a wire's name in brackets) before a dash that opens the story.
_DATELINE = re.compile(
    r"^(?P<place>[^—–()]{3,40}?)\s*(?:\([A-Za-z .]+\))?\s*(?:—|–|--| - |-)\s*(?=[A-Z\"“‘'])"
)
_SOURCE_TAG = re.compile(r"^\([A-Z][A-Za-z .]{1,30}\)\s*(?:—|–|--|-)?\s*")


def _cut_dateline(text: str) -> str:
    text = _SOURCE_TAG.sub("", text, count=1)
    match = _DATELINE.match(text)
    if match:
        place = match.group("place")
        city = re.sub(r"[^\w ]", "", place.split(",")[0]).strip()
        if len(city) >= 3 and city.isupper() and len(place.split()) <= 5:
            return text[match.end() :]
    return text


def _capitalise_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _has_balanced_quotes(text: str) -> bool:
    straight = text.count('"') % 2 == 0
    curly = text.count("“") == text.count("”")
    return straight and curly


def compress_sentence(sentence: str) -> str:
    """``sentence`` without attributions, asides and labels that it can lose.

    A cut is kept only if the rest still reads as a sentence: at least four
    words, and no quotation mark left unpaired by the cut.
    """
    result = sentence.strip()
    for cut in (_cut_label, _cut_leading_according, _cut_asides, _cut_attributions):
        shorter = cut(result).strip()
        if len(shorter.split()) >= 4 and _has_balanced_quotes(shorter):
            result = shorter
    return result


def _cut_label(text: str) -> str:
    return _capitalise_first(_LABEL.sub("", _cut_dateline(text), count=1))


def _cut_leading_according(text: str) -> str:
    return _capitalise_first(_LEADING_ACCORDING.sub("", text, count=1))


def _cut_asides(text: str) -> str:
    text = _PARENTHETICAL.sub("", text)
    return _DASH_ASIDE.sub(_aside_replacement, text)


def _aside_replacement(match: re.Match[str]) -> str:
    # An aside that ends the sentence ("… — and more.") leaves just the period.
    following = match.string[match.end() : match.end() + 1]
    return "" if following in {".", "!", "?", ""} else " "


def _cut_attributions(text: str) -> str:
    if _ends_inside_quote(text):
        # "…," she said. after a quote: the quote needs its speaker.
        return text
    text = _ENCLOSED_ATTRIBUTION.sub(" ", text)
    text = _TRAILING_ACCORDING.sub(lambda m: m.group("end") or ".", text)
    return _TRAILING_ATTRIBUTION.sub(lambda m: m.group("end") or ".", text)


def _ends_inside_quote(text: str) -> bool:
    return bool(
        re.search(r"[,.!?][\"”]\s*,?\s*\w+(?:\s+\w+){0,3}\s*\.?$", text)
    ) or text.lstrip().startswith(('"', "“"))
