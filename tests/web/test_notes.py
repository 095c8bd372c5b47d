"""No English in the Ukrainian view (#25, the notes): every note the code can
write has a Ukrainian sentence, the Ukrainian pages show no English note, the
English pages show the notes as written, and a note no template knows is
shown in English, marked so, never dropped."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import ohliad
from ohliad.compare import CompareOptions, compare_story
from ohliad.compare.records import Comparison
from ohliad.models import Article, DigestEntry, Story
from ohliad.pipeline import Pipeline, PipelineOptions
from ohliad.store import Store
from ohliad.summarize import SummaryOptions, summarize_story
from ohliad.web import create_app
from ohliad.web.notes import (
    NOTES,
    REASONS,
    NoteTemplate,
    ShownNote,
    shown_note,
    ukrainian_note,
)
from tests.summarize.test_all_sources import LOADED_VOTE, THREE_OUTLETS
from tests.web.conftest import build_digest_store

# --- The catalogue --------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "ukrainian"),
    [
        (
            "Long Times: only its first 200,000 of 1,170,021 characters were read.",
            "Long Times: прочитано лише перші 200\u00a0000 символів із 1\u00a0170\u00a0021.",
        ),
        (
            "The summary is drawn from Tarn Times alone: the other sources' sentences carry "
            "loaded wording.",
            "Підсумок узято лише з одного джерела — Tarn Times, бо речення інших джерел "
            "містять оцінну лексику.",
        ),
        (
            "Global Wire: compared its latest of several reports.",
            "Global Wire: з кількох повідомлень цього джерела порівняно найновіше.",
        ),
        (
            "Not compared: Die Zeit: Politik is in 'de'; only English is read.",
            "Не порівняно: Die Zeit: Politik — мовою «de», а порівнюються лише англійські тексти.",
        ),
        ("Not compared: article 12 has no text.", "Не порівняно: стаття 12 — без тексту."),
        (
            "https://example.com/a: compared its first 1,500 of 3,021 characters.",
            "https://example.com/a: порівняно лише перші 1\u00a0500 символів із 3\u00a0021.",
        ),
        (
            "Compared the first 4 sources; 1 more skipped.",
            "Порівняно перші 4 джерела; ще 1 джерело пропущено.",
        ),
        (
            "Long Times: compared its first 10 sentences (a story's comparison reads at most "
            "40 sentences in all).",
            "Long Times: порівняно лише перші 10 речень (порівняння сюжету читає щонайбільше "
            "40 речень загалом).",
        ),
        (
            "Fewer than two English sources: nothing to compare.",
            "Англійських джерел менше двох: порівнювати нічого.",
        ),
        (
            "Danube Herald: sentences cut off before a verb ('...') not compared: 2.",
            "Danube Herald: речення, обірвані до дієслова («...»), не порівнювалися: 2.",
        ),
        (
            "Northern Ledger: compared its first 30 sentences.",
            "Northern Ledger: порівняно лише перші 30 речень.",
        ),
        (
            "The reports were published 21 hours apart; a later figure may be an update.",
            "Повідомлення вийшли з різницею в 21 годину; пізніша цифра може бути уточненням.",
        ),
    ],
)
def test_a_note_is_said_in_ukrainian_with_its_parts_kept(note: str, ukrainian: str) -> None:
    assert shown_note(note, "uk") == ShownNote(ukrainian, "uk")
    assert shown_note(note, "en") == ShownNote(note, "en")


@pytest.mark.parametrize(
    ("hours", "words"),
    [(1, "1 годину"), (3, "3 години"), (5, "5 годин"), (11, "11 годин"), (22, "22 години")],
)
def test_numbers_take_their_nouns_plural_form(hours: int, words: str) -> None:
    note = f"The reports were published {hours} hours apart; a later figure may be an update."
    assert f"з різницею в {words};" in (ukrainian_note(note) or "")


def test_every_reason_for_one_outlet_is_said_in_ukrainian() -> None:
    for reason, ukrainian in REASONS.items():
        note = f"The summary is drawn from Northwire alone: {reason}."
        assert (
            ukrainian_note(note)
            == f"Підсумок узято лише з одного джерела — Northwire, бо {ukrainian}."
        )


@pytest.mark.parametrize(
    "note",
    [
        "A plug-in's note.",
        "The summary is drawn from Northwire alone: a reason no version gives.",
        "Compared the first four sources; 1 more skipped.",
    ],
)
def test_a_note_no_template_knows_is_shown_in_english(note: str) -> None:
    assert ukrainian_note(note) is None
    assert shown_note(note, "uk") == ShownNote(note, "en")


@pytest.mark.parametrize(
    "ukrainian",
    ["{label}: {pages}.", "{label:джерело|джерела|джерел}.", "{count:джерело|джерел}."],
)
def test_a_template_whose_ukrainian_parts_do_not_fit_is_refused(ukrainian: str) -> None:
    with pytest.raises(ValueError):
        NoteTemplate("{label:source}: {count:number}.", ukrainian)


# --- Every note the code writes is in the catalogue -------------------------

SRC = Path(ohliad.__file__).parent
# The consumer of the notes, not a producer.
NOT_PRODUCERS = ("web",)
# Functions named like a note's producer that write no note.
NOT_NOTES = {
    # A piece of the translation model's prompt.
    ("translate/llm_engine.py", "_renderings_note"),
}
_TEMPLATE_PART = re.compile(r"\{[^}]*\}")


def _written(node: ast.AST) -> Iterator[ast.Constant | ast.JoinedStr]:
    """The string literals and f-strings ``node`` gives as a value: itself, or
    the items of a tuple, list, comprehension or ``tuple(...)`` it builds
    (not the keys it looks up, nor the arguments of other calls)."""
    if isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value
    ):
        yield node
    elif isinstance(node, ast.Tuple | ast.List):
        for item in node.elts:
            yield from _written(item)
    elif isinstance(node, ast.GeneratorExp | ast.ListComp):
        yield from _written(node.elt)
    elif isinstance(node, ast.Call) and _name(node.func) in ("tuple", "list"):
        for argument in node.args:
            yield from _written(argument)
    elif isinstance(node, ast.IfExp):
        yield from _written(node.body)
        yield from _written(node.orelse)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _written(value)


def _shape(node: ast.Constant | ast.JoinedStr) -> str:
    """The literal's text with each formatted part as "{}"."""
    if isinstance(node, ast.Constant):
        return str(node.value)
    return "".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values)


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def _assigned(node: ast.AST, name: str) -> list[ast.AST]:
    """The values ``node`` (or the code within it) assigns to ``name``."""
    return [
        n.value
        for n in ast.walk(node)
        if isinstance(n, ast.Assign) and name in {_name(t) for t in n.targets}
    ]


def _written_by_the_code() -> tuple[set[str], set[str]]:
    """The shapes of the notes the code writes, and the reasons one outlet's
    summary gives, as found where the code writes them: appended or added to
    a ``notes`` list, passed as ``note=``/``notes=``, returned by a function
    named ``*_note``/``*_notes``; reasons assigned to ``because`` (as in
    ``one_outlet_because``), or to ``why`` in a note's function."""
    notes: set[str] = set()
    reasons: set[str] = set()
    for path in sorted(SRC.rglob("*.py")):
        if path.relative_to(SRC).parts[0] in NOT_PRODUCERS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found: list[ast.AST] = []
        told: list[ast.AST] = _assigned(tree, "because")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("append", "extend")
                and _name(node.func.value).endswith("notes")
            ):
                found += node.args
            if isinstance(node, ast.Call):
                found += [k.value for k in node.keywords if k.arg in ("note", "notes")]
            if (
                isinstance(node, ast.FunctionDef)
                and node.name.endswith(("_note", "_notes"))
                and (path.relative_to(SRC).as_posix(), node.name) not in NOT_NOTES
            ):
                found += [r.value for r in ast.walk(node) if isinstance(r, ast.Return) and r.value]
                told += _assigned(node, "why")
        notes |= {_shape(s) for value in found for s in _written(value)}
        reasons |= {_shape(s) for value in told for s in _written(value)}
    return notes, reasons


def test_every_note_the_code_writes_has_a_ukrainian_template() -> None:
    notes, reasons = _written_by_the_code()
    # The search still finds the producers (were it to find none, it would prove nothing).
    assert len(notes) >= 10 and len(reasons) >= 5, (notes, reasons)
    known = {_TEMPLATE_PART.sub("{}", template.english) for template in NOTES}
    assert notes <= known, f"notes with no template in ohliad.web.notes: {notes - known}"
    assert reasons <= REASONS.keys(), f"reasons missing from REASONS: {reasons - REASONS.keys()}"


# --- The notes the code writes, on stories that make each one ---------------

PUBLISHED = datetime(2026, 2, 16, 12, tzinfo=UTC)
QUAKE = "The earthquake in Malatya killed 12 people, AFAD said on Monday."


def _article(article_id: int, outlet: str, text: str = QUAKE, **extra: Any) -> Article:
    return Article(
        title="Quake",
        text=text,
        url=f"https://{outlet.lower().replace(' ', '')}.example/{article_id}",
        outlet=outlet,
        language=extra.pop("language", "en"),
        id=article_id,
        published=extra.pop("published", PUBLISHED),
        **extra,
    )


def _all_notes(comparison: Comparison | None) -> list[str]:
    if comparison is None:
        return []
    return [*comparison.notes, *(c.note for c in comparison.conflicts if c.note)]


def _compared(*articles: Article, **options: Any) -> list[str]:
    return _all_notes(compare_story(Story("notes", articles), CompareOptions(**options)))


def _long(article_id: int, outlet: str, sentences: int) -> Article:
    return _article(article_id, outlet, "\n".join([QUAKE] * sentences))


STORIES = {
    "other language": lambda: _compared(
        _article(1, "Kyiv Ledger"),
        _article(2, "Die Zeit", "Das Erdbeben in Malatya tötete 12 Menschen.", language="de"),
    ),
    "no text": lambda: _compared(_article(1, "Kyiv Ledger"), _article(2, "Blank Post", "")),
    "latest of several": lambda: _compared(
        _article(1, "Global Wire"), _article(2, "Global Wire"), _article(3, "Ankara Daily")
    ),
    "sources and sentences bounded": lambda: _compared(
        _long(1, "Long Times", 50),
        *(_article(10 + k, f"Outlet {k}") for k in range(5)),
        max_sources=4,
        max_claims=40,
    ),
    "characters bounded": lambda: _compared(
        _long(1, "Long Times", 40), _article(2, "Ankara Daily"), max_article_chars=500
    ),
    "published hours apart": lambda: _compared(
        _article(1, "Global Wire"),
        _article(
            2,
            "Ankara Daily",
            QUAKE.replace("12", "20"),
            published=PUBLISHED.replace(hour=22),
        ),
    ),
    "one outlet: no usable sentence": lambda: (
        summarize_story(
            Story(
                "thin",
                (
                    THREE_OUTLETS.articles[1],
                    Article(id=41, outlet="Brief News", title="Dam", text="Developing."),
                ),
            )
        ).notes
    ),
    "one outlet: room for one sentence": lambda: (
        summarize_story(THREE_OUTLETS, SummaryOptions(max_sentences=1)).notes
    ),
    "one outlet: loaded wording": lambda: (
        summarize_story(Story("vote-two", (LOADED_VOTE.articles[0], LOADED_VOTE.articles[2]))).notes
    ),
}


@pytest.mark.parametrize("case", STORIES)
def test_the_notes_a_story_makes_are_said_in_ukrainian(case: str) -> None:
    notes = list(STORIES[case]())
    assert notes, f"{case}: no note any more; make the story make one again"
    for note in notes:
        assert ukrainian_note(note) is not None, note


def test_the_pipelines_notes_on_a_long_article_are_said_in_ukrainian(store: Store) -> None:
    """The entry's note and the comparison's, as the pipeline writes them, through the store."""
    pipeline = Pipeline(store, PipelineOptions(max_article_chars=500))
    pipeline.ingest([_long(1, "Long Times", 40), _article(2, "Ankara Daily")])
    pipeline.refresh()
    [entry] = pipeline.digest()
    notes = [*entry.notes, *_all_notes(entry.comparison)]
    assert any("were read" in note for note in notes) and any(
        "characters." in note for note in _all_notes(entry.comparison)
    ), notes
    for note in notes:
        assert ukrainian_note(note) is not None, note


def test_the_sample_corpus_notes_are_said_in_ukrainian(demo_store: Store) -> None:
    entries = [s.entry for s in demo_store.stored_stories() if s.entry]
    notes = [note for e in entries for note in (*e.notes, *_all_notes(e.comparison))]
    assert notes, "the sample corpus makes no note any more"
    for note in notes:
        assert ukrainian_note(note) is not None, note


# --- The pages ---------------------------------------------------------------

ENTRY_NOTES = (
    "Continental Post: only its first 200,000 of 250,000 characters were read.",
    "The summary is drawn from Baltic Wire alone: the other sources' sentences carry "
    "loaded wording.",
)
COMPARISON_NOTES = (
    "Not compared: Die Zeit is in 'de'; only English is read.",
    "Compared the first 2 sources; 5 more skipped.",
    "A plug-in's note.",
)
UPDATE_NOTE = "The reports were published 21 hours apart; a later figure may be an update."


@pytest.fixture(scope="module")
def noted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The web fixtures' stories, the drones story with notes of each kind."""
    store = build_digest_store(tmp_path_factory.mktemp("notes") / "digest.db")
    [stored] = [s for s in store.stored_stories() if s.key == "drones-poland"]
    entry: DigestEntry | None = stored.entry
    assert entry is not None and entry.comparison is not None
    comparison = entry.comparison
    conflicts = tuple(replace(c, note=UPDATE_NOTE) for c in comparison.conflicts)
    with store.transaction() as tx:
        tx.save_entry(
            stored.key,
            replace(
                entry,
                notes=ENTRY_NOTES,
                comparison=replace(comparison, notes=COMPARISON_NOTES, conflicts=conflicts),
            ),
            members=frozenset(entry.article_ids),
        )
    yield TestClient(create_app(store))
    store.close()


def _list_items(html: str) -> list[tuple[str, str]]:
    """(lang, text) of each note on the page."""
    return re.findall(r'<(?:li|p class="conflict-note") lang="(\w+)">([^<]*)</(?:li|p)>', html)


def test_the_ukrainian_story_page_has_no_english_note(noted: TestClient) -> None:
    html = noted.get("/stories/drones-poland").text
    for note in (*ENTRY_NOTES, *COMPARISON_NOTES[:2], UPDATE_NOTE):
        assert note.replace("'", "&#39;") not in html, note
    shown = _list_items(html)
    assert (
        "uk",
        "Підсумок узято лише з одного джерела — Baltic Wire, бо речення інших "
        "джерел містять оцінну лексику.",
    ) in shown
    assert (
        "uk",
        "Не порівняно: Die Zeit — мовою «de», а порівнюються лише англійські тексти.",
    ) in shown
    assert ("uk", "Порівняно перші 2 джерела; ще 5 джерел пропущено.") in shown
    assert (
        "uk",
        "Повідомлення вийшли з різницею в 21 годину; пізніша цифра може бути уточненням.",
    ) in shown
    assert (
        "uk",
        "Continental Post: прочитано лише перші 200\u00a0000 символів із 250\u00a0000.",
    ) in shown
    # The one note no template knows: in English, marked so, not dropped.
    assert ("en", "A plug-in&#39;s note.") in shown
    assert [lang for lang, _ in shown].count("en") == 1


def test_the_english_story_page_shows_the_notes_as_written(noted: TestClient) -> None:
    html = noted.get("/stories/drones-poland", params={"lang": "en"}).text
    shown = _list_items(html)
    for note in (*ENTRY_NOTES, *COMPARISON_NOTES, UPDATE_NOTE):
        assert ("en", note.replace("'", "&#39;")) in shown, note
    assert not [text for lang, text in shown if lang != "en"]


def test_the_ukrainian_front_page_has_no_english_note(noted: TestClient) -> None:
    html = noted.get("/").text
    for note in (*ENTRY_NOTES, *COMPARISON_NOTES, UPDATE_NOTE):
        assert note.replace("'", "&#39;") not in html, note
