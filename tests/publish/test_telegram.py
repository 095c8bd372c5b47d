import html
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ohliad.models import DigestEntry, EntrySource
from ohliad.publish import telegram_lines, telegram_messages
from ohliad.publish.telegram import MESSAGE_LIMIT, NO_UKRAINIAN, entry_parts, units

from .entries import HOSTILE, entry

# What Telegram's HTML parse mode takes: these tags, the four named entities
# and numeric ones; everything else is text with no '<', '>' or '&'.
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre"}
TOKEN = re.compile(
    r'<(?P<close>/)?(?P<tag>[a-z-]+)(?: href="(?P<href>[^"<>]*)")?>'
    r"|(?P<entity>&(?:lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);)"
    r"|(?P<text>[^<>&]+)"
)


def parse(message: str) -> str:
    """The text Telegram shows for ``message``; fails the test where the HTML
    is not well-formed or uses a tag Telegram does not take."""
    stack: list[str] = []
    visible: list[str] = []
    position = 0
    for token in TOKEN.finditer(message):
        assert token.start() == position, f"stray markup at {position}: {message[position:][:40]!r}"
        position = token.end()
        tag = token["tag"]
        if token["text"] is not None:
            visible.append(token["text"])
        elif token["entity"]:
            visible.append(html.unescape(token["entity"]))
        elif token["close"]:
            assert token["href"] is None
            assert stack and stack.pop() == tag, f"unbalanced </{tag}>"
        else:
            assert tag in ALLOWED_TAGS, tag
            assert tag not in stack, f"<{tag}> inside <{tag}>"
            if tag == "a":
                href = html.unescape(token["href"] or "")
                assert href.startswith(("http://", "https://")), href
            else:
                assert token["href"] is None
            stack.append(tag)
    assert position == len(message), f"stray markup at {position}"
    assert stack == [], f"unclosed {stack}"
    return "".join(visible)


def within_limits(message: str) -> None:
    assert units(message) <= MESSAGE_LIMIT
    assert len(message.encode("utf-16-le")) // 2 <= MESSAGE_LIMIT
    assert len(parse(message).encode("utf-16-le")) // 2 <= MESSAGE_LIMIT


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_an_entry_reads_ukrainian_first_with_its_sources_linked() -> None:
    [message] = telegram_messages([entry()], title="Огляд преси, 5 березня")
    assert message.split("\n") == [
        "<b>Огляд преси, 5 березня</b>",
        "",
        "<b>Польща підняла винищувачі через дрони</b>",
        "П'ятнадцять дронів залетіли у повітряний простір Польщі.",
        "<i>Poland scrambles jets as drones cross its border</i>",
        'Джерела: <a href="https://a.example/1?x=1&amp;y=2">A News</a>'
        ' · <a href="https://b.example/2">B Wire</a>',
    ]
    within_limits(message)


def test_without_ukrainian_it_says_so_in_ukrainian_and_gives_the_english() -> None:
    [message] = telegram_messages([entry(uk_headline=None, unavailable="engine down")])
    lines = message.split("\n")
    assert lines[:3] == [
        "<b>Poland scrambles jets as drones cross its border</b>",
        f"<i>{NO_UKRAINIAN}</i>",
        "Fifteen drones entered Polish airspace overnight. Debris fell near Hrubieszów.",
    ]
    assert "Польща" not in message


def test_hostile_text_is_escaped_and_unsafe_links_dropped() -> None:
    hostile = entry(
        headline=HOSTILE,
        uk_headline=HOSTILE,
        uk_summary=HOSTILE,
        sources=(
            EntrySource("javascript:alert(1)", "Evil", "x", None),
            EntrySource('https://c.example/"><script>', HOSTILE, "x", None),
            EntrySource(None, "No link", "x", None),
            EntrySource("https://d.example/a b", "Spaced", "x", None),
            EntrySource("https://e.example/\x00", "Control", "x", None),
        ),
    )
    [message] = telegram_messages([hostile], title=HOSTILE)
    assert "<script>" not in message and "javascript:" not in message
    assert "&lt;script&gt;" in message
    assert "d.example" not in message and "e.example" not in message
    assert 'href="https://c.example/&quot;&gt;&lt;script&gt;"' in message
    # The title, both headlines, the summary and the outlet's name, as written.
    assert parse(message).count(HOSTILE) == 5


def test_entries_are_packed_whole_in_order_with_the_title_first() -> None:
    # Each entry about 1500 units: two fit in a message, three do not.
    long = "Речення про події дня. " * 60
    entries = [entry(f"s{n}", uk_headline=f"Заголовок {n}", uk_summary=long) for n in range(5)]
    messages = telegram_messages(entries, title="Огляд")
    assert len(messages) == 3
    assert messages[0].startswith("<b>Огляд</b>\n\n<b>Заголовок 0</b>")
    for n, one in enumerate(entries):
        [part] = entry_parts(one)
        holders = [i for i, message in enumerate(messages) if part in message]
        assert holders == [n // 2]  # the title, 0, 1 | 2, 3 | 4
    for message in messages:
        within_limits(message)


def test_an_entry_longer_than_a_message_is_cut_between_sentences() -> None:
    sentences = [f"Речення номер {n} про дрони & «ракети» 🚀." for n in range(400)]
    huge = entry(uk_summary=" ".join(sentences))
    messages = telegram_messages([huge, entry("s2")])
    assert len(messages) >= 4
    for message in messages:
        within_limits(message)
    summary_lines = [
        line for message in messages for line in message.split("\n") if "Речення" in line
    ]
    assert all(line.endswith("🚀.") for line in summary_lines)
    assert " ".join(html.unescape(line) for line in summary_lines) == " ".join(sentences)
    # The headline leads the first part; the sources close the last.
    assert messages[0].startswith("<b>Польща")
    assert "Джерела:" in messages[-2] or "Джерела:" in messages[-1]


def test_a_word_longer_than_a_message_is_cut_between_characters_not_escapes() -> None:
    word = "&<😀>" * 3000
    messages = telegram_messages([entry(uk_summary=word, uk_headline="Ж" * 5000)])
    for message in messages:
        within_limits(message)
    assert squeeze("".join(parse(m) for m in messages)).count(word) == 1


def test_many_sources_are_cut_between_links() -> None:
    sources = tuple(
        EntrySource(
            f"https://outlet{n}.example/story?id={n}&ref=feed", f"Видання {n} & Co", "t", None
        )
        for n in range(300)
    )
    messages = telegram_messages([entry(sources=sources)])
    assert len(messages) > 1
    anchors = [a for m in messages for a in re.findall(r"<a href=[^>]*>[^<]*</a>", m)]
    assert len(anchors) == 300
    for message in messages:
        within_limits(message)


def test_json_lines_are_send_message_bodies() -> None:
    messages = telegram_messages([entry(headline=HOSTILE), entry("s2")], title="Огляд\u2028преси")
    lines = telegram_lines(messages)
    assert lines.endswith("\n") and "\u2028" not in lines
    bodies = [json.loads(line) for line in lines.splitlines()]
    assert bodies == [
        {"text": text, "parse_mode": "HTML", "link_preview_options": {"is_disabled": True}}
        for text in messages
    ]
    assert telegram_lines([]) == ""
    assert telegram_messages([]) == []


# Property: any entries, however long or hostile ------------------------------------

FRAGMENTS = [
    "<script>alert(1)</script>",
    "&",
    "&amp;",
    '"',
    "'",
    "<",
    ">",
    "Київ",
    "ґанок їжак",
    "🇺🇦",
    "😀",
    ". ",
    "! ",
    " ",
    "\n",
    "\t",
    "word",
    "слово " * 40,
    "x" * 700,
    "ї" * 5000,
    "Sentence one. Sentence two? " * 30,
    "\x00\x1b[31m",
    "\ud800",
]
TEXT = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join)
SOURCE = st.builds(
    EntrySource,
    url=st.one_of(
        st.none(),
        st.just("javascript:alert(1)"),
        st.builds(lambda t: f"https://example.org/{t}", TEXT),
    ),
    outlet=st.one_of(st.none(), TEXT),
    title=st.just("t"),
    published=st.none(),
)


@st.composite
def entries(draw: st.DrawFn) -> DigestEntry:
    return entry(
        draw(st.text(max_size=8)),
        headline=draw(TEXT),
        text=draw(TEXT),
        uk_headline=draw(st.one_of(st.none(), TEXT)),
        uk_summary=draw(TEXT),
        sources=tuple(draw(st.lists(SOURCE, max_size=40))),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entries(), max_size=6), st.one_of(st.none(), TEXT))
def test_any_edition_fits_telegram(items: list[DigestEntry], title: str | None) -> None:
    messages = telegram_messages(items, title=title)
    for message in messages:
        within_limits(message)
        assert message.strip(), "an empty message"
    for heading in telegram_messages([], title=title)[:1]:
        assert messages[0].startswith(heading)
    shown = squeeze(" ".join(parse(message) for message in messages))
    position = 0
    for item in items:
        parts = entry_parts(item)
        if len(parts) == 1:
            # An entry that fits a message is in one message, whole.
            assert sum(parts[0] in message for message in messages) >= 1
        # Order kept: each entry's text comes after the one before.
        found = shown.find(squeeze("".join(parse(part) for part in parts)), position)
        assert found >= position
        position = found
