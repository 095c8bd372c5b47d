"""The news-cleaning pass: drop what is not the story's prose from plain text.

Works on paragraphs (one per line, blank lines ignored) and returns them
joined by blank lines. Each rule removes one general kind of boilerplate that
extractors let through: photo captions and credits, "Read more" links and
inline teasers, pull quotes that repeat the body, reporting credits,
newsletter, paywall and cookie notices, bylines and datelines, and a title
repeated at the top.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# A short line is one a caption, teaser or notice fits in; prose runs longer.
_SHORT_WORDS = 30
_WORD = re.compile(r"\w+")

# Photo and video credits: "Photo: AP", "… /Pool/AFP via Getty Images", "Image copyright Reuters".
_CREDIT = re.compile(
    r"""(
        ^(photo(graph)?s?|image|picture|video|illustration|graphic|credit|source|caption)
            (\s+(credit|copyright|caption|by))?\s*[:|©]
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

# Links to other articles: "Read more: …", "RELATED: …", "See also …".
_LINK_LINE = re.compile(
    r"""^\W*(
        read\s+(more|also|next|the\s+full\s+story)
      | (also|more)\s+(read|see|watch|on\s+this(\s+story)?)
      | related(\s+(articles?|stories|content|coverage|links?|reading))?
      | recommended(\s+(reading|for\s+you|stories))?
      | see\s+(also|more)
      | more\s+(from|about|stories|news|coverage|on)\b
      | you\s+(may|might)\s+(also\s+)?(like|be\s+interested)
      | don'?t\s+miss
      | (watch|listen)(\s+(now|more|live|the\s+video))?
      | trending(\s+now)?
      | top\s+stories
      | latest(\s+(news|stories|videos?))?
      | popular(\s+now)?|most\s+(read|popular|viewed|shared)
      | click\s+here
      | (editor'?s\s+)?picks?
      | further\s+reading
    )\s*[:|»>—–-]""",
    re.IGNORECASE | re.VERBOSE,
)

# Reporting credits: "Reporting by …; Editing by …", "X contributed to this report".
_REPORTING_CREDIT = re.compile(
    r"""(
        ^\W*(additional\s+)?(reporting|writing|editing|research|compiled|produced|translated)
            (\s+and\s+\w+)?\s+by\b
      | \b(contributed|also\s+contributed)(\s+(reporting|research|to\s+reporting))?
            \s+(to|for)\s+this\s+(report|article|story)
      | ^\W*(contributing|additional\s+reporting)\s*:
      | ^[\w.'’\- ]{3,60}\s+reported\s+from\s+[A-Z][\w .'’-]+([;,]|$)
      | ;\s*editing\s+by\b
      | ^\W*(this\s+(article|story|report)\s+(was|has\s+been|is)\s+
            (originally\s+)?(published|updated|amended|corrected|produced|written|reported))
      | ^\W*(originally\s+published|first\s+published)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Promotions and notices: newsletters, apps, social accounts, paywalls, cookies, ads, comments.
_NOTICE = re.compile(
    r"""(
        \b(sign\s+up|subscribe|register)\b.{0,60}\b(newsletter|updates|alerts|briefing|email|
            inbox|free|today|now|here|access|continue|to\s+read)
      | \bnewsletters?\b.{0,40}\b(sign|subscribe|delivered|inbox|free)
      | \b(follow|like|join)\s+(us|[\w ]{1,30})\s+on\s+(twitter|facebook|instagram|telegram|
            linkedin|youtube|tiktok|x\b|threads|whatsapp|google\s+news)
      | \bdownload\s+(our|the)\s+\w*\s*app\b
      | \b(already\s+a\s+subscriber|subscribers?\s+only|to\s+continue\s+reading|
            (free|remaining)\s+articles?|reached\s+your\s+(limit|maximum)|
            subscription\s+(required|needed)|unlock\s+(this|full)|become\s+a\s+(member|subscriber)|
            support\s+(our|independent)\s+journalism)\b
      | \b(we\s+use\s+cookies|this\s+(site|website)\s+uses\s+cookies|cookie\s+(policy|settings)|
            accept\s+(all\s+)?cookies|privacy\s+policy|terms\s+of\s+(use|service))\b
      | ^\W*(advertisement|advertising|sponsored(\s+content)?|story\s+continues(\s+below)?|
            continue\s+reading|article\s+continues\s+(below|after)|skip\s+advert\w*|
            share\s+(this|on)\b.*|comments?|leave\s+a\s+(comment|reply)|
            join\s+the\s+(conversation|discussion)|\d+\s+comments?|show\s+comments|
            all\s+rights\s+reserved\.?|copyright\b.*|tags?\s*:.*|filed\s+under\s*:?.*)\W*$
      | \ball\s+rights\s+reserved\b
      | \b(email|e-mail)\s+(us|the\s+author|the\s+newsroom)\s+at\b
      | \bgot\s+a\s+(news\s+)?tip\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Bylines and datelines standing alone in the body: "By Jane Doe", "Updated: 3 May 2024 10:00".
_NAME = r"[A-Z][\w.'’-]+(\s+[A-Z][\w.'’-]+){0,3}"
_BYLINE = re.compile(
    rf"""^\W*(
        (?i:by)\s+{_NAME}(\s*(,|and|&)\s*{_NAME})*(\s*[,|—–-]\s*[\w ]{{0,40}})?
      | (?i:published|updated|posted|last\s+(updated|modified)|modified)\s*(?i:on|at)?\s*:?
            \s*[\w ,.:/+-]{{0,40}}
    )\W*$""",
    re.VERBOSE,
)
# Attribution of a pull quote: "— Jane Doe, mayor".
_ATTRIBUTION = re.compile(r"^\s*[—–―-]{1,2}\s*\S.{0,80}$")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _normal(text: str) -> str:
    return " ".join(_words(text))


def _is_boilerplate_line(line: str) -> bool:
    if len(_words(line)) > _SHORT_WORDS:
        return False
    return bool(
        _CREDIT.search(line)
        or _LINK_LINE.search(line)
        or _REPORTING_CREDIT.search(line)
        or _NOTICE.search(line)
        or _BYLINE.match(line)
    )


def _is_repeated_title(line: str, title: str | None) -> bool:
    return bool(title) and _normal(line) == _normal(title or "")


def _repeats_body(index: int, normals: Sequence[str]) -> bool:
    """A pull quote: this short paragraph's words recur inside a longer paragraph."""
    mine = normals[index]
    if len(mine.split()) < 5 or len(mine.split()) > _SHORT_WORDS:
        return False
    return any(
        other != mine and len(other) > len(mine) and f" {mine} " in f" {other} "
        for j, other in enumerate(normals)
        if j != index
    )


def clean_news_text(text: str, *, title: str | None = None) -> str:
    """Drop captions, credits, teasers, pull quotes and notices from article text.

    ``text`` has one paragraph per line (blank lines are ignored); the result
    has paragraphs separated by blank lines.
    """
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    normals = [_normal(p) for p in paragraphs]
    kept: list[str] = []
    dropped_quote = False
    for index, paragraph in enumerate(paragraphs):
        if dropped_quote and _ATTRIBUTION.match(paragraph):
            continue
        dropped_quote = _repeats_body(index, normals)
        if dropped_quote:
            continue
        if not kept and _is_repeated_title(paragraph, title):
            continue
        if _is_boilerplate_line(paragraph):
            continue
        kept.append(paragraph)
    return "\n\n".join(kept)
