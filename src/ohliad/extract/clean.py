"""The news-cleaning pass: drop what is not the story's prose.

Works on paragraphs and keeps their order. Each rule removes one general kind
of boilerplate that extractors let through: photo captions and credits,
"Read more" links, teasers and lists of related links, pull quotes that repeat
the body, reporting credits, newsletter, paywall, cookie and sharing notices,
bylines and datelines, and a title repeated at the top.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from itertools import pairwise

from ohliad.extract.links import is_link_line, normal_words

# A caption, teaser or notice fits in a short line; prose runs longer.
_SHORT_WORDS = 30
_SHORT_CHARS = 300
# Promotions can run long ("Get access to … for as little as …"), but not this long.
_NOTICE_WORDS = 60
_NOTICE_CHARS = 600
# A label above a list of links: "Don't miss", "More on this story".
_LABEL_WORDS = 4
# Shorter repeats are slogans or names the body quotes, not pull quotes.
_PULL_QUOTE_MIN_WORDS = 8
# Date lines above the body: how many, how long, and what makes them dated.
_MAX_LEAD_IN = 2
_DATE_LINE_WORDS = 12
_YEAR_OR_TIME = re.compile(r"\b(19|20)\d\d\b|\b\d{1,2}:\d\d\b")
# Title lines a page repeats above the body sit among its first few paragraphs.
_TITLE_WINDOW = 3

# A person's name: "Jane Doe", "Mary Clare O'Neil".
_NAME = r"[A-Z][\w.'’-]+(\s+[A-Z][\w.'’-]+){0,3}"

# Photo and video credits: "Photo: AP", "… /Pool/AFP via Getty Images", "Image copyright Reuters".
_CREDIT = re.compile(
    r"""(
        ^(photo(graph)?s?|image|picture|video|illustration|graphic|credit|source|caption|
            foto|фото|зображення|джерело|bild|quelle)
            (\s+(credit|copyright|caption|by|source))?\s*[:|©]
      | ^(image|photo)\s+(copyright|caption)\b
      | ^\(?(photo|image|picture|video)s?\s+(by|courtesy|credit)\b
      | (^|\s)©
      | \bvia\s+getty\s+images\b
      | (/|\|)\s*(getty(\s+images)?|afp|reuters|ap|shutterstock|alamy|epa|efe|ani|pti|pool)
          (\s+(photo|images?|file))?\s*\)?\s*$
      | \((photo|image|picture|credit)s?:?\s[^)]*\)\s*$
      | ^(file\s+)?photo\s*[-—–:]
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Gallery chrome: "1 of 12", "Photo 3/10", "Slide 2 of 5", "View gallery", "Expand image".
_GALLERY = re.compile(
    r"""^\W*(
        ((photo|image|picture|slide|фото)s?\s+)?\d+\s*(of|/|з|із|из)\s*\d+
      | (view|open|see|launch|expand|enlarge)\s+(the\s+)?(gallery|slideshow|image|photos?)
      | (previous|next)(\s+(image|photo|slide))?
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)

# Links to other articles: "Read more: …", "RELATED: …", "Also on example.com …", "DON'T MISS".
_LINK_LABEL = re.compile(
    r"""^\W*(
        read\s+(more|also|next|the\s+full\s+story)
      | (also|more)\s+(read|see|watch|on\s+this(\s+story)?)
      | related(\s+(articles?|stories|content|coverage|links?|reading|posts?|video))?
      | recommended(\s+(reading|for\s+you|stories|videos?))?
      | see\s+(also|more)
      | more(\s+(from|about|stories|news|coverage|on)(\s+[\w'’.-]+){0,4})?(?=\s*(:|$))
      | you\s+(may|might)\s+(also\s+)?(like|enjoy|be\s+interested(\s+in)?)
      | don'?t\s+miss
      | (watch|listen)(\s+(now|more|live|the\s+video|here))?
      | trending(\s+now)?
      | top\s+stories
      | latest\s+(news|stories|videos?)
      | popular(\s+now)?|most\s+(read|popular|viewed|shared)(\s+[\w'’]+){0,4}
      | click\s+here
      | (editor'?s\s+)?picks?
      | further\s+reading
      | also\s+on\s+\S+\.\w+\b.*
      | (читайте|читати)(\s+(також|также|більше|больше|ще|еще|ещё))?
      | lesen\s+sie\s+(auch|mehr)|mehr\s+zum\s+thema
      | lire\s+(aussi|également)|à\s+lire\s+aussi
      | (czytaj|zobacz)\s+(też|także|również)
      | leggi\s+anche|le[ae]\s+también
    )(\s*[:|»>—–-]|\W*$)""",
    re.IGNORECASE | re.VERBOSE,
)
# Tabloid teaser tags after a headline: "Plague fears grow [VIDEO]".
_TEASER_TAG = re.compile(
    r"\[(video|pictures?|pics|photos?|insight|reveal|reaction|latest|poll|live|watch|news|"
    r"analysis|opinion|warning|gallery|update|explained|comment)\]\W*$",
    re.IGNORECASE,
)

# Reporting credits: "Reporting by …; Editing by …", "X contributed to this report".
_REPORTING_CREDIT = re.compile(
    rf"""(
        ^\W*(additional\s+)?(reporting|writing|editing|research|compiled|produced|translated)
            (\s+and\s+\w+)?\s+by\s+(?-i:{_NAME})
            ([\s,;&]+|(?-i:{_NAME})|\b(and|with|additional|reporting|editing|writing|by)\b)*\W*$
      | \b(contributed|also\s+contributed)(\s+(reporting|research|to\s+reporting))?
            \s+(to|for)\s+this\s+(report|article|story)
      | ^\W*(contributing|additional\s+reporting)\s*:
      | ^(?-i:{_NAME})(\s*(,|and)\s*(?-i:{_NAME}))*\s+contributed\s+(reporting|research)\b
      | ^[\w.'’\- ]{{3,60}}\s+reported\s+from\s+(?-i:[A-Z])[\w .'’-]+(;[^.!?]{{0,80}})?\.?$
      | ;\s*editing\s+by\b
      | ^\W*(this\s+(article|story|report)\s+(was|has\s+been|is)\s+
            (originally\s+)?(published|updated|amended|corrected|produced|written|reported))
      | ^\W*(originally\s+published|first\s+published)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Promotions that can run long: newsletters, apps, social accounts, paywalls.
_PROMO = re.compile(
    r"""(
        \b(sign\s+up|subscrib\w*|register)\b.{0,40}\b(our|free|daily|weekly|morning|evening)\b
            .{0,40}\b(newsletters?|updates|alerts|briefings?|e-?mails?|inbox)\b
      | ^\W*(sign\s+up|subscribe)\b.{0,60}\b(newsletters?|alerts|briefings?|inbox)\b
      | \bdelivered\s+(straight\s+)?to\s+your\s+inbox\b
      | \bif\s+you\s+(enjoyed|liked|value[ds]?|appreciate[ds]?)\s+this\s+
            (article|story|content|journalism)
      | ^\W*(sign\s+up|subscribe)\s+(now|today|here)\b
      | \bnewsletters?\b.{0,40}\b(sign\s+up|subscribe|delivered\s+to|inbox)\b
      | \b(follow|like|join)\s+us\s+on\b
      | (^|[.!?]\s+)follow\s+(her|him|them|me)\s+on\s+(twitter|facebook|instagram|telegram|x\b)
      | \b(may\s+be\s+|can\s+be\s+)?(reached|contacted)\s+at\s+[\w.+-]+@[\w-]+\.
      | ^\W*follow\s+@?[\w'’ ]{1,60}\s+on\s+(twitter|facebook|instagram|telegram|linkedin|
            youtube|tiktok|x\b|threads|whatsapp|google\s+news)
      | ^\W*(reach|follow|contact)\b.{0,80}\b(on|at)\s+(twitter|facebook|instagram|telegram|https?://)
      | ^\W*follow\s+.{0,60}\bcoverage\b.{0,60}\bat\s+\S+
      | ^\W*download\s+(our|the)\s+\w*\s*app\b
      | \b(already\s+a\s+subscriber|subscribers?\s+only|to\s+continue\s+reading|
            (free|remaining)\s+articles?\s+(left|remaining|this\s+month)|
            reached\s+your\s+(limit|maximum)|subscription\s+(required|needed)|
            unlock\s+(this|full)\s+(article|story|access)|become\s+a\s+(member|subscriber)|
            support\s+(our|independent)\s+journalism)\b
      | \bthis\s+copy\s+is\s+for\s+your\s+personal\b
      | \bclick\s+here\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# Short notices: cookies, sharing, comments, ads, copyright, tags.
_NOTICE = re.compile(
    r"""(
        \b(we\s+use\s+cookies|this\s+(site|website)\s+uses\s+cookies|cookie\s+settings|
            accept\s+(all\s+)?cookies|you\s+agree\s+to\s+(our|the)\s+(use|terms|privacy))\b
      | \bclick\s+to\s+tweet\b
      | \b(share|send)\s+(it|this(\s+(story|article))?)\s+with\s+(a\s+)?friends?\b
      | \b(tell\s+us|let\s+us\s+know)\s+(what\s+you\s+think|in\s+the\s+comments)
      | ^\W*(advertisement|advertising|sponsored(\s+content)?|story\s+continues(\s+below)?|
            continue\s+reading|article\s+continues\s+(below|after)|skip\s+advert\w*|
            share\s+(this|on)\b.*|comments?|leave\s+a\s+(comment|reply)|
            join\s+the\s+(conversation|discussion)|\d+\s+comments?|show\s+comments|
            all\s+rights\s+reserved\.?|copyright\b.*|filed\s+under\s*:?.*)\W*$
      | \ball\s+rights\s+reserved\b
      | \b(email|e-mail)\s+(us|the\s+author|the\s+newsroom)\s+at\b
      | \b(got|have)\s+a\s+(news\s+)?tip\s*\?
      | ^\W*(write|e-?mail|contact|reach)\b.{0,80}\b[\w.+-]+@[\w-]+\.[\w.-]+
      | ^\W*(order\s+reprints|print(\s+this)?\s+(article|story|page)|
            an\s+error\s+(has\s+)?occurred.*|this\s+article\s+has\s+been\s+sent\s+to.*)\W*$
      | (^|[-|•·]\s*)tags?\s*:
      | ^[\w\s'’&+-]{0,40}\bnewsletter\s*$
      | \bmoderat\w*\s+(all\s+)?comments\b|\bcomments?\s+(are|will\s+be)\s+moderated\b
      | ^\W*(\d+\s*(min|minute)s?\s+read|reading\s+time|read\s+time|tempo\s+de\s+leitura|
            lesezeit|temps\s+de\s+lecture|время\s+чтения|час\s+читання)\b
      | ^\W*tags?\W*$
      | ^\W*[\w ]{1,30}:\s*(https?://|www\.)\S+\W*$
      | ^\W*[\w.+-]+@[\w-]+(\.[\w-]+)+\W*$
      | ^\W*(https?://)?(www\.)?(twitter|x|facebook|instagram|t|telegram)\.(com|me)/\S+\W*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# CMS shortcodes that leaked into the text: "[button link=…]Send us…[/button]".
_SHORTCODE = re.compile(r"\[/[a-z_-]+\]|\[[a-z_-]+\s+[a-z_-]+=[^\]]*\]", re.IGNORECASE)

# Bylines and datelines standing alone in the body: "By Jane Doe", "Updated: 3 May 2024 10:00".
_BYLINE = re.compile(
    rf"""^\W*(
        (?i:by)\s+{_NAME}(\s*(,|and|&)\s*{_NAME})*(\s*[,|—–-]\s*[\w ]{{0,40}})?
      | (?i:published|updated|posted|last\s+(updated|modified)|modified)\s*(?i:on|at)?\s*:?
            \s*[\w ,.:/+-]{{0,40}}
    )[^\w.!?]*$""",
    re.VERBOSE,
)
# Words a repeated title may add (a site name) and the word overlap that still makes it one.
_TITLE_EXTRA_WORDS = 6
_TITLE_SIMILARITY = 0.8
# Separators between a headline and the site's name or section in a page title.
_TITLE_SEPARATOR = re.compile(r"\s+[|–—·:-]\s+|\s*\|\s*")
# A date line with post details: "05/10/2018 10:00 - Posted by: … - Tags: …" (no sentence).
_DATELINE = re.compile(
    r"^\W*\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}(\s+\d{1,2}:\d{2})?(\s*[-|–—][^.!?]{0,100})?$"
)
# Attribution of a pull quote: "— Jane Doe, mayor".
_ATTRIBUTION = re.compile(r"^\s*[—–―-]{1,2}\s*\S.{0,80}$")
# A line that ends like a sentence (headlines and labels do not).
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)]*\s*$")


def _word_count(normal: str) -> int:
    return normal.count(" ") + 1 if normal else 0


def _is_short_boilerplate(line: str) -> bool:
    return bool(
        _CREDIT.search(line)
        or _LINK_LABEL.search(line)
        or _REPORTING_CREDIT.search(line)
        or _BYLINE.match(line)
        or _DATELINE.match(line)
        or _GALLERY.match(line)
        or _NOTICE.search(line)
        or (_TEASER_TAG.search(line) and not _SENTENCE_END.search(line))
    )


def _is_boilerplate_line(line: str, words: int) -> bool:
    if len(line) > _NOTICE_CHARS or words > _NOTICE_WORDS:
        return False
    if words <= _SHORT_WORDS and len(line) <= _SHORT_CHARS and _is_short_boilerplate(line):
        return True
    return bool(_PROMO.search(line) or _SHORTCODE.search(line))


class _TitleLines:
    """Recognises the page title repeated above the body: the whole title, maybe with the
    site's name after it or edited slightly, or one of its parts ("Opinion | <headline>")."""

    def __init__(self, title: str | None) -> None:
        self._title = normal_words(title or "")
        parts = _TITLE_SEPARATOR.split(title or "")
        self._parts = {p for p in map(normal_words, parts) if _word_count(p) >= 2}
        self._parts.add(self._title)
        self._part_words = [set(part.split()) for part in self._parts]

    def __call__(self, normal: str) -> bool:
        if not normal or not self._title:
            return False
        if normal in self._parts:
            return True
        # The title without the site's name: "<title>" of "<title> | Site name"
        if len(normal) >= len(self._title) / 2 and self._title.startswith(normal):
            return True
        if _word_count(normal) > _word_count(self._title) + _TITLE_EXTRA_WORDS:
            return False
        # "<title> | Site name", or the headline edited a little for the page's <title>.
        words = set(normal.split())
        return normal.startswith(self._title) or any(
            len(words & part) >= _TITLE_SIMILARITY * len(words | part) for part in self._part_words
        )


class _PullQuotes:
    """Finds pull quotes: short paragraphs whose words recur inside a longer paragraph."""

    def __init__(self, normals: Sequence[str]) -> None:
        self._normals = normals
        self._copies = Counter(normals)
        self._all = "\n".join(f" {normal} " for normal in normals)

    def __call__(self, index: int) -> bool:
        mine = self._normals[index]
        if not _PULL_QUOTE_MIN_WORDS <= _word_count(mine) <= _SHORT_WORDS:
            return False
        # Occurrences beyond the paragraph's own copies lie inside other paragraphs.
        return self._all.count(f" {mine} ") > self._copies[mine]


def _related_link_lines(
    paragraphs: Sequence[str], normals: Sequence[str], links: Collection[str]
) -> set[int]:
    """Indexes of runs of two or more headline links, and the short label above a run."""
    candidates = [
        _word_count(normal) <= _SHORT_WORDS and not _SENTENCE_END.search(paragraph)
        for paragraph, normal in zip(paragraphs, normals, strict=True)
    ]
    # Only adjacent headline-like lines can form a run; the page's links are not needed otherwise.
    if not any(a and b for a, b in pairwise(candidates)):
        return set()
    flags = [
        candidate and is_link_line(normal, links)
        for candidate, normal in zip(candidates, normals, strict=True)
    ]
    found: set[int] = set()
    for index, flag in enumerate(flags):
        neighbours = flags[max(index - 1, 0) : index] + flags[index + 1 : index + 2]
        if flag and any(neighbours):
            found.add(index)
            label = index - 1
            if (
                label >= 0
                and not flags[label]
                and _word_count(normals[label]) <= _LABEL_WORDS
                and not _SENTENCE_END.search(paragraphs[label])
            ):
                found.add(label)
    return found


def clean_paragraphs(
    paragraphs: Sequence[str],
    *,
    title: str | None = None,
    links: Collection[str] = frozenset(),
) -> list[str]:
    """The paragraphs that are the story's prose, in order.

    ``links`` are the normalised texts of the page's links (see
    ``links.HeadlineLinks``); runs of lines that are links are related-article lists.
    """
    normals = [normal_words(p) for p in paragraphs]
    is_title = _TitleLines(title)
    related = _related_link_lines(paragraphs, normals, links)
    is_pull_quote = _PullQuotes(normals)
    kept: list[str] = []
    dropped_quote = False
    for index, (paragraph, normal) in enumerate(zip(paragraphs, normals, strict=True)):
        words = _word_count(normal)
        if dropped_quote and _ATTRIBUTION.match(paragraph):
            continue
        dropped_quote = is_pull_quote(index)
        if (
            dropped_quote
            or index in related
            or (index < _TITLE_WINDOW and is_title(normal))
            or _is_boilerplate_line(paragraph, words)
        ):
            continue
        kept.append(paragraph)
    return _without_lead_in(kept)


def _without_lead_in(paragraphs: list[str]) -> list[str]:
    """Drop date lines above the first sentence of the body ("Monday, 18 November 2019",
    "5:45 AM PST 11/19/2019 by Jane Doe"): short, dated, not a sentence, prose below."""
    lead_in = 0
    while (
        lead_in < min(_MAX_LEAD_IN, len(paragraphs) - 1)
        and not _SENTENCE_END.search(paragraphs[lead_in])
        and len(paragraphs[lead_in].split()) <= _DATE_LINE_WORDS
        and _YEAR_OR_TIME.search(paragraphs[lead_in])
    ):
        lead_in += 1
    if lead_in and _SENTENCE_END.search(paragraphs[lead_in]):
        return paragraphs[lead_in:]
    return paragraphs


def clean_news_text(text: str, *, title: str | None = None) -> str:
    """Drop captions, credits, teasers, pull quotes and notices from article text.

    ``text`` has one paragraph per line (blank lines are ignored); the result
    has paragraphs separated by blank lines.
    """
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n\n".join(clean_paragraphs(paragraphs, title=title))
