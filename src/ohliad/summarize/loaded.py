"""Loaded wording: words an outlet uses to make the reader feel, not to inform.

A hand-written lexicon of the sensational verbs ("slams", "rips"), judging
adjectives ("disastrous", "shameful"), intensifiers ("utterly") and labels
("regime", "radical") that partisan headlines lean on. Neutral reporting verbs
("says", "criticises") are deliberately absent, and so are words that are
loaded in a headline but plain facts in a report ("disaster", "corruption",
"explosive", "historic"). Matching is on lower-cased word forms, so each entry
lists the forms that occur.
"""

from __future__ import annotations

import re

from ohliad.summarize.terms import words

_LEXICON_TEXT = """
slam slams slammed slamming blast blasts blasted blasting rip rips ripped ripping
torch torches torched trash trashes trashed trashing shred shreds shredded
destroy destroys destroyed destroying demolish demolishes demolished obliterate obliterates
obliterated eviscerate eviscerates eviscerated annihilate annihilates annihilated
lambast lambasts lambasted lash lashes lashed skewer skewers skewered scorch scorches scorched
savage savages savaged savaging bash bashes bashed mock mocks mocked mocking taunt taunts
taunted smear smears smeared bully bullies bullied humiliate humiliates humiliated
humiliating humiliation meltdown meltdowns freakout freak-out freaks tantrum tantrums
rant rants ranting rage rages raging fury furious outrage outraged outrageous outcry
panic panics panicked panicking frenzy hysteria hysterical doom doomed doomsday chaos
chaotic mayhem debacle fiasco disastrous catastrophe catastrophic nightmare
shocking shocked stunning stunned stun bombshell scandal scandalous
jaw-dropping unbelievable incredible insane crazy absurd ridiculous ludicrous laughable
pathetic shameful disgraceful disgrace disgusting despicable vile evil sinister nefarious
radical radicals extremist extremists far-left far-right leftist leftists
woke socialist socialists communist communists fascist fascists thug thugs
regime cronies crony puppet propaganda hoax sham witch-hunt lies lying liar liars
corrupt crooked rigged
brutal brutally vicious viciously heartless cruel cruelty reckless recklessly
alarming alarmingly terrifying horrifying horrific horrible
terrible awful appalling egregious blatant blatantly brazen brazenly
epic tremendous unprecedented staggering whopping
utterly totally completely absolutely truly blistering scathing searing withering
fiery furiously angrily defiant defiantly triumphant triumphantly gleeful gleefully
thrill thrills thrilled embarrass embarrasses embarrassed embarrassing embarrassment
clobber clobbers clobbered trounce trounces trounced
wallop walloping walloped pummel pummels pummeled
fumble fumbles fumbled flop flops flopped implode implodes imploded implosion
grovel grovels groveled cower cowers cowered whine whines whined
whining snub snubs snubbed feud feuds feuding
cheer cheers cheered gloat gloats gloated tout touts touted
dodge dodges dodged dodging ducks ducked
bogus baseless fake phony smug arrogant elitist elites hypocrisy hypocrite hypocrites
hypocritical stunt stunts grandstand grandstanding pandering pander
"""

LOADED_WORDS: frozenset[str] = frozenset(_LEXICON_TEXT.split())

_EXCLAMATION_OR_QUESTION = re.compile(r"[!?]")
_QUOTE_MARKS = re.compile(r"[\"“”]|(?:^|\s)['‘]|['’](?:\s|$)")
_ADDRESSING_READER = frozenset({"you", "your", "we", "our", "us", "i", "my"})


def loaded_words(text: str) -> list[str]:
    """The loaded words of ``text``, in order, lower-cased."""
    return [w for w in (w.lower() for w in words(text)) if w in LOADED_WORDS]


def loadedness(text: str) -> float:
    """How editorialising ``text`` is: its loaded words, exclamation and question
    marks and words addressing the reader, over the square root of its length (so a
    long sentence with one loaded word counts less than a short headline with one)."""
    tokens = [w.lower() for w in words(text)]
    if not tokens:
        return 0.0
    loaded = sum(1 for w in tokens if w in LOADED_WORDS)
    addressing = sum(1 for w in tokens if w in _ADDRESSING_READER)
    marks = len(_EXCLAMATION_OR_QUESTION.findall(text))
    return (loaded + 0.5 * addressing + marks) / len(tokens) ** 0.5


def has_quotes(text: str) -> bool:
    return bool(_QUOTE_MARKS.search(text))


def quoted_share(text: str) -> float:
    """The share of ``text``'s characters that sit inside quotation marks."""
    inside = sum(len(m) for m in re.findall(r"[\"“]([^\"“”]*)[\"”]", text))
    return inside / max(len(text), 1)
