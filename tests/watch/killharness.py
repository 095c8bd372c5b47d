"""Kill the watcher with SIGKILL at random moments, restart it, and check the
store against the feeds: no article lost, none stored twice, no story left
half-updated. Used by the test (10 kills) and the benchmark (50 kills)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

from sqlalchemy import func, select

from ohliad.ingest.urls import canonical_url
from ohliad.store import Store
from ohliad.store.schema import ArticleRow, FeedEntryRow, FeedRow, StoryArticleRow, StoryRow
from tests.watch.feedserver import FeedArticle, FeedServer, story_text

ROOT = Path(__file__).resolve().parents[2]
READY_LINE = "Watching "
START = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)


@dataclass
class KillReport:
    kills: int = 0
    articles_at_kill: list[int] = field(default_factory=list)
    published_at_kill: list[int] = field(default_factory=list)
    feed_articles: int = 0
    final_exit: int | None = None
    problems: list[str] = field(default_factory=list)


class NewsDesk:
    """Feeds that keep getting new articles: several outlets cover each story,
    and one outlet publishes teasers only."""

    def __init__(self, server: FeedServer, feeds: int, seed: int) -> None:
        self.server = server
        self.names = [f"outlet{n}" for n in range(feeds)]
        self.random = random.Random(seed)
        self.count = 0

    def publish(self, articles: int) -> None:
        for _ in range(articles):
            feed = self.random.randrange(len(self.names))
            story = self.random.randrange(max(3, self.count // 3 + 1))
            title, text = story_text(story, feed)
            self.server.add(
                self.names[feed],
                FeedArticle(
                    guid=f"{self.names[feed]}-{self.count}",
                    title=title,
                    text=f"{text}\n\nFiled as item {self.count} by {self.names[feed]}.",
                    published=START + timedelta(minutes=self.count),
                    teaser=feed == 0,
                ),
            )
            self.count += 1

    def write_feed_list(self, path: Path, interval: str = "1s") -> Path:
        lines = [f'[defaults]\ninterval = "{interval}"\n']
        for name in self.names:
            lines.append(f'[[feed]]\nurl = "{self.server.feed_url(name)}"\noutlet = "{name}"\n')
        path.write_text("\n".join(lines), encoding="utf-8")
        return path


def watcher_command(feed_list: Path, db: Path, *, once: bool) -> list[str]:
    command = [sys.executable, "-m", "ohliad.watch", str(feed_list), "--db", str(db)]
    # One loopback host stands for many outlets, so requests to it are not spaced.
    options = ["--allow-private", "--translator", "none", "--host-delay", "0"]
    return [*command, *options, *(["--once"] if once else [])]


def watcher_env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src")
    # Restarts are many: cache compiled modules outside the source tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


def start_watcher(
    feed_list: Path, db: Path, sink: IO[bytes], work: Path
) -> subprocess.Popen[bytes]:
    """The watcher running continuously in a subprocess, its output in ``sink``."""
    return subprocess.Popen(
        watcher_command(feed_list, db, once=False),
        stdout=sink,
        stderr=subprocess.STDOUT,
        env=watcher_env(work),
        cwd=work,
    )


def _wait_for_line(log: Path, text: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            raise RuntimeError(f"watcher exited early:\n{log.read_text(errors='replace')}")
        time.sleep(0.05)
    raise RuntimeError(f"watcher not ready after {timeout:.0f} s:\n{log.read_text()}")


def stored_articles(db: Path) -> int:
    store = Store.open(str(db))
    try:
        return store.article_count()
    finally:
        store.close()


def kill_and_restart(
    work: Path,
    desk: NewsDesk,
    *,
    kills: int,
    seed: int,
    first_max_delay: float = 8.0,
    per_round: int = 4,
    startup_timeout: float = 300.0,
    log: Callable[[str], None] = print,
) -> KillReport:
    """Run the watcher ``kills`` times, each killed with SIGKILL at a random
    moment after it starts working, new articles appearing between rounds;
    then let a final ``--once`` run finish, and check the store.

    The kill moment is drawn from a window that adapts to the machine's speed:
    it widens while kills land before anything is stored and narrows once a
    round has stored everything, so kills fall in every phase of the work."""
    chooser = random.Random(seed)
    max_delay = first_max_delay
    feed_list = desk.write_feed_list(work / "feeds.toml")
    db = work / "watch.db"
    report = KillReport()
    for round_number in range(kills):
        desk.publish(per_round)
        output = work / f"round{round_number}.log"
        with output.open("wb") as sink:
            process = start_watcher(feed_list, db, sink, work)
            try:
                _wait_for_line(output, READY_LINE, process, startup_timeout)
                time.sleep(chooser.uniform(0.0, max_delay))
            finally:
                process.send_signal(signal.SIGKILL)
                process.wait()
        report.kills += 1
        stored = stored_articles(db)
        previous = report.articles_at_kill[-1] if report.articles_at_kill else 0
        if stored == previous:
            max_delay *= 1.5
        elif stored == desk.count:
            max_delay /= 1.5
        report.articles_at_kill.append(stored)
        report.published_at_kill.append(desk.count)
        log(f"kill {report.kills}: {report.articles_at_kill[-1]}/{desk.count} articles stored")
    final = subprocess.run(
        watcher_command(feed_list, db, once=True),
        capture_output=True,
        env=watcher_env(work),
        cwd=work,
        timeout=1800,
        check=False,
    )
    report.final_exit = final.returncode
    if final.returncode != 0:
        report.problems.append(f"final --once run exited {final.returncode}: {final.stderr!r}")
    report.feed_articles = desk.count
    report.problems.extend(check_store(db, desk.server))
    return report


def check_store(db: Path, server: FeedServer) -> list[str]:
    """Everything wrong with the store compared with the feeds' contents."""
    problems: list[str] = []
    expected = {canonical_url(server.article_url(guid)): guid for guid in server.articles}
    store = Store.open(str(db))
    try:
        with store.transaction() as tx:
            session = tx.session
            urls = list(session.scalars(select(ArticleRow.url)))
            links = select(StoryArticleRow.article_id, StoryRow.key).join(
                StoryRow, StoryRow.id == StoryArticleRow.story_id
            )
            members = {article_id: key for article_id, key in session.execute(links)}
            stories = list(session.scalars(select(StoryRow)))
            entries = list(
                session.execute(
                    select(FeedEntryRow.entry_key, FeedEntryRow.status, ArticleRow.url).join(
                        ArticleRow, ArticleRow.id == FeedEntryRow.article_id, isouter=True
                    )
                )
            )
            feed_errors = list(
                session.execute(
                    select(FeedRow.url, FeedRow.last_error).where(FeedRow.last_error.is_not(None))
                )
            )
            article_ids = list(session.scalars(select(ArticleRow.id)))
            story_members: dict[str, set[int]] = {}
            for article_id, key in members.items():
                story_members.setdefault(key, set()).add(article_id)
            total = session.scalar(select(func.count()).select_from(ArticleRow)) or 0
    finally:
        store.close()
    missing = set(expected) - set(urls)
    extra = [u for u in urls if u not in expected]
    if missing:
        problems.append(f"{len(missing)} articles lost: {sorted(missing)[:3]}")
    if len(urls) != len(set(urls)) or total != len(expected):
        problems.append(f"{total} articles stored for {len(expected)} in the feeds")
    if extra:
        problems.append(f"{len(extra)} stored articles not in any feed: {extra[:3]}")
    unlinked = [i for i in article_ids if i not in members]
    if unlinked:
        problems.append(f"{len(unlinked)} articles in no story: {unlinked[:5]}")
    for story in stories:
        if story.dirty:
            problems.append(f"story {story.key} left dirty")
        elif story.entry is None:
            problems.append(f"story {story.key} has no digest entry")
        elif set(story.entry.get("articles", [])) != story_members.get(story.key, set()):
            problems.append(f"story {story.key}: digest entry does not match its articles")
        elif story.compare_pending:
            problems.append(f"story {story.key}: comparison left pending")
        elif set(story.compared_members or []) != story_members.get(story.key, set()):
            problems.append(f"story {story.key}: comparison does not match its articles")
    recorded = {key: (status, url) for key, status, url in entries}
    for url, guid in expected.items():
        status, stored_url = recorded.get(guid, (None, None))
        if status != "done" or stored_url != url:
            problems.append(f"feed entry {guid}: status {status}, article {stored_url}")
    problems.extend(f"feed {url}: {error}" for url, error in feed_errors)
    return problems
