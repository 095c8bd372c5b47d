"""The desk from the command line: review list, edit (with the checker's
suggestions), approve, reject and publish, on the sample corpus run through
the real pipeline, and the e-mail edition through a real SMTP server."""

from __future__ import annotations

import email
import json
import shutil
from collections.abc import Iterator
from email import policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from typer.testing import CliRunner

from ohliad.cli import app
from tests.conftest import SAMPLE
from tests.publish.test_mail import HOST, Inbox, free_port

runner = CliRunner()
HEADLINE_UK = "Вантажівки з допомогою стоять на кордоні"
SUMMARY_UK = (
    "Сотні вантажівок із гуманітарною допомогою чекають на кордоні. "
    "Видання по-різному називають їхню кількість. "
    "Місцева влада просить відкрити ще один пункт пропуску."
)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus stored and summarized once (no translator here)."""
    db = tmp_path_factory.mktemp("desk") / "sample.db"
    result = runner.invoke(
        app, ["run", str(SAMPLE), "--db", str(db), "--translator", "none", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def db(sample_db: Path, tmp_path: Path) -> Iterator[str]:
    copy = tmp_path / "desk.db"
    # With its write-ahead log, which may hold the last transactions.
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{sample_db}{suffix}").exists():
            shutil.copy(f"{sample_db}{suffix}", f"{copy}{suffix}")
    yield str(copy)


def _ok(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def _queue(db: str, *args: str) -> list[dict[str, Any]]:
    return json.loads(_ok("review", "list", "--json", "--db", db, *args).stdout)  # type: ignore[no-any-return]


def _first_story(db: str) -> str:
    return str(_queue(db, "--status", "draft")[0]["id"])


def _edit(db: str, key: str, headline: str, summary: str, *args: str) -> Any:
    """``ohliad edit`` with a Ukrainian headline and summary."""
    return _ok("edit", key, "--headline-uk", headline, "--summary-uk", summary, "--db", db, *args)


def test_the_whole_flow_draft_edit_approve_publish(db: str) -> None:
    key = _first_story(db)
    edited = _edit(db, key, HEADLINE_UK, SUMMARY_UK, "--by", "olena")
    assert f"edited {key} (draft)" in edited.stderr
    [entry] = [e for e in _queue(db) if e["id"] == key]
    assert entry["headline"]["uk"] == HEADLINE_UK
    assert entry["review"]["edited"] and entry["review"]["updated_by"] == "olena"
    assert entry["ukrainian"]["engine"] == "editor"

    assert "approved" in _ok("approve", key, "--by", "taras", "--db", db).stderr
    published = _ok("publish", "--by", "taras", "--db", db)
    text = published.stdout
    assert text.startswith("# Огляд — ")
    block = text.split(f"## {entry['headline']['en']}", 1)[1]
    assert block.startswith(f"\n\n### *{HEADLINE_UK}*\n\n*{SUMMARY_UK}*\n\n<https://")
    assert "1 newly published" in published.stderr
    # Published once: the next edition is empty, the day's edition is the same.
    assert "nothing to publish" in _ok("publish", "--db", db).stderr
    day = _queue(db, "--status", "published")[0]
    assert day["review"]["status"] == "published"
    again = _ok("publish", "--day", "today", "--db", db)
    assert again.stdout == text and "0 newly published" in again.stderr


def test_an_edit_survives_recomputation_and_the_digest_shows_it(db: str) -> None:
    key = _first_story(db)
    _edit(db, key, HEADLINE_UK, SUMMARY_UK)
    # Storing the corpus again recomputes nothing away.
    _ok("run", str(SAMPLE), "--db", db, "--translator", "none", "--format", "json")
    digest = json.loads(_ok("digest", "--format", "json", "--db", db).stdout)
    [entry] = [e for e in digest if e["id"] == key]
    assert entry["headline"]["uk"] == HEADLINE_UK
    assert entry["review"]["edited"] and not entry["review"]["stale"]


def test_edit_prints_the_checkers_suggestions_and_changes_nothing_itself(db: str) -> None:
    key = _first_story(db)
    result = _edit(
        db,
        key,
        "Блинкен прибув до Києва",
        "Блинкен прибув до Києва на протязі тижня. Зустріч відбулася березня 5.",
    )
    assert "Блінкен" in result.stderr
    assert "протягом" in result.stderr
    [entry] = [e for e in _queue(db) if e["id"] == key]
    assert entry["headline"]["uk"] == "Блинкен прибув до Києва"  # as written


def test_approval_needs_the_ukrainian_and_errors_are_one_line(db: str) -> None:
    key = _first_story(db)
    refused = runner.invoke(app, ["approve", key, "--db", db])
    assert refused.exit_code == 2
    assert "no Ukrainian headline and summary" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    missing = runner.invoke(app, ["approve", "no-such-story", "--db", db])
    assert missing.exit_code == 2 and "no story 'no-such-story'" in missing.stderr
    bad = runner.invoke(app, ["review", "list", "--status", "pending", "--db", db])
    assert bad.exit_code == 2 and "unknown status 'pending'" in bad.stderr
    nothing = runner.invoke(app, ["edit", key, "--db", db])
    assert nothing.exit_code == 2 and "nothing to change" in nothing.stderr


def test_reject_and_dropped_sources(db: str) -> None:
    key = _first_story(db)
    [entry] = [e for e in _queue(db) if e["id"] == key]
    url = entry["sources"][0]["url"]
    _ok("edit", key, "--drop-source", url, "--db", db)
    [entry] = [e for e in _queue(db) if e["id"] == key]
    assert url not in [s["url"] for s in entry["sources"]]
    _ok("reject", key, "--reason", "an advertorial", "--db", db)
    assert [e["id"] for e in _queue(db, "--status", "rejected")] == [key]


def _approved(db: str) -> str:
    key = _first_story(db)
    _edit(db, key, HEADLINE_UK, SUMMARY_UK)
    _ok("approve", key, "--db", db)
    return key


def test_telegram_edition_is_bot_api_messages(db: str) -> None:
    _approved(db)
    lines = _ok("publish", "--format", "telegram", "--db", db).stdout.splitlines()
    messages = [json.loads(line) for line in lines]
    assert messages and all(m["parse_mode"] == "HTML" for m in messages)
    assert HEADLINE_UK in messages[0]["text"]


def test_email_edition_sent_once_through_a_real_smtp_server(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = Inbox()
    controller = Controller(inbox, hostname=HOST, port=free_port())
    controller.start()
    try:
        for name, value in {
            "SMTP_HOST": HOST,
            "SMTP_PORT": str(controller.port),
            "SMTP_SECURITY": "none",
            "MAIL_FROM": "desk@ohliad.example",
            "MAIL_TO": "readers@ohliad.example",
        }.items():
            monkeypatch.setenv(f"OHLIAD_{name}", value)
        _approved(db)
        out = tmp_path / "edition.eml"
        sent = _ok("publish", "--format", "email", "--out", str(out), "--send", "--db", db)
        assert "sent 1 entry by e-mail to readers@ohliad.example" in sent.stderr
        message = inbox.message()
        assert message["To"] == "readers@ohliad.example"
        assert message["Subject"].startswith("Огляд — ")
        plain = message.get_body(("plain",))
        assert plain is not None and HEADLINE_UK in plain.get_content()
        written = email.message_from_bytes(out.read_bytes(), policy=policy.default)
        assert written["Subject"] == message["Subject"]
        # The same day again: nothing is sent twice.
        again = _ok("publish", "--day", "today", "--send", "--db", db)
        assert "nothing new to send" in again.stderr
        assert len(inbox.envelopes) == 1
    finally:
        controller.stop()
