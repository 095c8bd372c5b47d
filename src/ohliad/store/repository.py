"""The store: articles, stories and runs, behind a small typed API.

Every write happens inside ``Store.transaction()``: a run killed at any point
leaves each article either wholly stored with its story link, or not at all.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import (
    URL,
    Engine,
    Insert,
    Select,
    Table,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ohliad.compare.records import Comparison
from ohliad.dates import assume_utc, utcnow
from ohliad.digest_json import entry_from_dict, entry_to_dict
from ohliad.models import Article, DigestEntry, Story
from ohliad.store.db import (
    DatabaseError,
    DatabaseWriteError,
    create_database_engine,
    database_url,
    sqlite_file,
    upgrade,
    write_failure,
)
from ohliad.store.history import StoryChangeRecord, changes_of, record_changes
from ohliad.store.locks import writer_lock
from ohliad.store.review_rows import (
    carry_on_merge,
    carry_on_split,
    mark_stale,
    published_edit,
    review_of,
    reviews_by_key,
)
from ohliad.store.schema import (
    ArchiveRow,
    ArticleRow,
    OutletRow,
    OutletSiteRow,
    ReviewRow,
    RunRow,
    StoryArticleRow,
    StoryRow,
    table,
)

_WHITESPACE = re.compile(r"\s+")


def content_hash(article: Article) -> str:
    """The identity of an article's content: its normalised title and text."""
    normalised = _WHITESPACE.sub(" ", f"{article.title}\n{article.text}").strip().casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def article_from_row(row: ArticleRow) -> Article:
    return _article(row, row.outlet.name if row.outlet else None)


def _article(row: Any, outlet: str | None) -> Article:
    """An article from an ORM row or a row of ``_ARTICLE_COLUMNS`` (same names)."""
    return Article(
        id=row.id,
        title=row.title,
        text=row.text,
        url=row.url,
        published=assume_utc(row.published),
        outlet=outlet,
        language=row.language,
        author=row.author,
        duplicate_of=row.duplicate_of,
        origin=row.origin,
        extra=dict(row.extra or {}),
    )


# An article's columns with its outlet's name, read without building ORM
# objects: loading the rows of every changed story was a large part of the
# watcher's time.
_ARTICLE_COLUMNS = (
    ArticleRow.id,
    ArticleRow.title,
    ArticleRow.text,
    ArticleRow.url,
    ArticleRow.published,
    ArticleRow.language,
    ArticleRow.author,
    ArticleRow.duplicate_of,
    ArticleRow.origin,
    ArticleRow.extra,
    OutletRow.name.label("outlet_name"),
)


@dataclass(frozen=True, slots=True)
class StoredStory:
    """A story's digest entry as stored, with its latest comparison; None
    before the story's first summary is saved."""

    key: str
    updated_at: datetime
    entry: DigestEntry | None


def story_from_row(row: StoryRow, review: ReviewRow | None = None) -> StoredStory:
    """The story as stored; with its ``review``, as published: the editor's
    text in place of the machine's, where there is one."""
    entry = None
    if row.entry is not None:
        # The comparison is saved apart from the summary tier (and later).
        entry = entry_from_dict(
            {**row.entry, "comparison": row.comparison, "comparison_pending": row.compare_pending}
        )
        if review is not None:
            entry = entry.edited(published_edit(review), review_of(review))
    return StoredStory(key=row.key, updated_at=assume_utc(row.updated_at) or utcnow(), entry=entry)


def stories_as_published(session: Session, rows: Iterable[StoryRow]) -> list[StoredStory]:
    """``story_from_row`` of each row with its review (one query for all)."""
    rows = list(rows)
    reviews = reviews_by_key(session, [row.key for row in rows])
    return [story_from_row(row, reviews.get(row.key)) for row in rows]


# Statements of the write path built once: built per call, SQLAlchemy spent
# more time coercing their arguments than SQLite spent running them. Core
# tables, not ORM entities, so that no ORM bulk machinery runs either.
_ARTICLES = table(ArticleRow)
# SQLite's queue of articles to add to the full-text index (migration 0009).
# Bulk-indexing a thousand articles in one statement costs 0.02 CPU ms an
# article; a trigger indexing each as it was stored cost 0.13, since FTS5
# wrote and merged a segment at every commit.
_INDEX_QUEUED_TEXT = text(
    "INSERT INTO articles_fts(rowid, title, text) SELECT a.id, a.title, a.text "
    "FROM articles a JOIN articles_fts_pending p ON p.article_id = a.id"
)
_EMPTY_TEXT_QUEUE = text("DELETE FROM articles_fts_pending")
_STORIES = table(StoryRow)
_LINKS = table(StoryArticleRow)
_OUTLETS = table(OutletRow)
_SITES = table(OutletSiteRow)


@functools.cache
def _insert_ignoring_conflicts(dialect: str, target: Table) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING in the dialect's words: a row another
    writer stored meanwhile is skipped, not an error that loses the batch."""
    insert_for = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return insert_for(target).on_conflict_do_nothing()


@functools.cache
def _insert_returning_id(dialect: str, target: Table) -> Insert:
    """``_insert_ignoring_conflicts`` that returns the new row's id (none
    when the row was skipped)."""
    return _insert_ignoring_conflicts(dialect, target).returning(target.c.id)


# The columns to set come from the parameters passed with it.
_UPDATE_STORY = update(_STORIES).where(_STORIES.c.id == bindparam("story_id"))


def _story_articles() -> Select[Any]:
    """Story keys with their articles' ``_ARTICLE_COLUMNS``."""
    return (
        select(StoryRow.key, *_ARTICLE_COLUMNS)
        .join(StoryArticleRow, StoryArticleRow.story_id == StoryRow.id)
        .join(ArticleRow, ArticleRow.id == StoryArticleRow.article_id)
        .outerjoin(OutletRow, OutletRow.id == ArticleRow.outlet_id)
    )


def _host(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.lower() if host else None


def _is_domain_of(name: str, host: str) -> bool:
    """``name`` is ``host`` or a domain above it: not a name, an address."""
    name = name.lower()
    return " " not in name and "." in name and (host == name or host.endswith("." + name))


def _domain_url_patterns(domain: str) -> tuple[str, ...]:
    """LIKE patterns of the addresses on ``domain`` and its subdomains."""
    return tuple(
        f"{scheme}://{sub}{domain}/%" for scheme in ("http", "https") for sub in ("", "%.")
    )


@dataclass(frozen=True)
class KnownOutlets:
    """What committed transactions learnt of outlets, which no later write
    changes: outlets and sites are never deleted or renamed, and a site keeps
    the first name recorded for it. Writers take the writers' lock, so once a
    host's site is recorded and its bare-domain articles renamed, every later
    bare-domain article of it finds the name when stored. Naming outlets took
    0.084 of the backfill writer's 1.14 CPU ms an article while every
    transaction looked these up again, 0.053 since (bench/backfill.py's pages,
    87 transactions of 32 articles)."""

    ids: Mapping[str, int] = field(default_factory=dict)  # outlet name -> id
    named_hosts: frozenset[str] = frozenset()  # sites recorded, bare domains merged
    domain_names: Mapping[str, str] = field(default_factory=dict)  # the domain's own site


class Transaction:
    """Operations on one open transaction. Obtain with ``Store.transaction()``.

    The write path of ingest uses SQLAlchemy Core statements, not the ORM's
    unit of work: one flush per stored article took a third of the watcher's
    time. Story links are gathered and written together, before anything
    reads them and before the commit."""

    def __init__(self, session: Session, known: KnownOutlets | None = None) -> None:
        self.session = session
        dialect = session.get_bind().dialect.name
        self._dialect = dialect
        self._insert_article = _insert_returning_id(dialect, _ARTICLES)
        # Articles stored here and not yet indexed (SQLite's full-text queue).
        self._unindexed = False
        self._text_index_deferred = False
        self._insert_outlet = _insert_returning_id(dialect, _OUTLETS)
        # A site keeps the first name recorded for it.
        self._insert_site = _insert_ignoring_conflicts(dialect, _SITES)
        known = known or KnownOutlets()
        # Outlet ids known to be committed, and those looked up or added here:
        # a batch names the same outlets again and again, as does the next.
        self._outlet_ids: dict[str, int] = dict(known.ids)
        self._links: list[tuple[int, str]] = []  # (article id, story key), not yet written
        # One outlet, one name: a site's domain standing for its outlet ("Danube
        # Herald" for danubeherald.example). What a committed transaction
        # learnt holds for good (see KnownOutlets); the rest is looked up or
        # merged once a transaction.
        self._names_of_domains: dict[str, str | None] = dict(known.domain_names)
        self._domain_names: dict[str, str] = dict(known.domain_names)
        self._named_hosts: set[str] = set(known.named_hosts)

    def stored_matches(
        self, urls: Sequence[str], digests: Sequence[str]
    ) -> list[tuple[int, str | None, str]]:
        """(id, canonical URL, content hash) of the stored articles that have
        one of these URLs or content hashes, in one query."""
        query = select(ArticleRow.id, ArticleRow.url, ArticleRow.content_hash).where(
            or_(ArticleRow.content_hash.in_(set(digests)), ArticleRow.url.in_(set(urls)))
        )
        return [(id_, url, digest) for id_, url, digest in self.session.execute(query)]

    def stored_identities(
        self, urls: Sequence[str], digests: Sequence[str]
    ) -> tuple[set[str], set[str]]:
        """Which of these canonical URLs and content hashes are stored already."""
        matches = self.stored_matches(urls, digests)
        wanted_urls, wanted_digests = set(urls), set(digests)
        return (
            {url for _, url, _ in matches if url in wanted_urls},
            {digest for _, _, digest in matches if digest in wanted_digests},
        )

    def _outlet_id(self, name: str | None) -> int | None:
        if not name:
            return None
        outlet_id = self._outlet_ids.get(name)
        if outlet_id is None:
            outlet_id = self.session.scalar(select(OutletRow.id).where(OutletRow.name == name))
        if outlet_id is None:
            outlet_id = self.session.scalar(self._insert_outlet, {"name": name})
        if outlet_id is None:  # another writer added it meanwhile
            outlet_id = self.session.scalar(select(OutletRow.id).where(OutletRow.name == name))
        assert outlet_id is not None
        self._outlet_ids[name] = outlet_id
        return outlet_id

    @property
    def known_outlets(self) -> KnownOutlets:
        """What this transaction knows of outlets, to be taken on trust by
        later ones once it has committed."""
        return KnownOutlets(
            self._outlet_ids, frozenset(self._named_hosts), dict(self._domain_names)
        )

    def _outlet_name(self, article: Article) -> str | None:
        """The article's outlet under one name: a bare domain (what ingest puts
        when a page names no outlet) becomes the name the site's other
        articles carry; a real name takes over the site's bare-domain articles."""
        name, host = article.outlet, _host(article.url)
        if not name or not host:
            return name
        if _is_domain_of(name, host):
            if name not in self._names_of_domains:
                self._names_of_domains[name] = self._name_for_domain(name)
            return self._names_of_domains[name] or name
        if host not in self._named_hosts:
            self._named_hosts.add(host)
            self.session.execute(
                self._insert_site, {"host": host, "outlet_id": self._outlet_id(name)}
            )
            self._rename_domains_of(host, name)
        return name

    def _name_for_domain(self, domain: str) -> str | None:
        """The name recorded for a host on ``domain`` (the domain itself
        first). Hosts, not stored addresses, are searched: a scan of the
        addresses took 220 ms a lookup with 300,000 articles stored."""
        on_domain = OutletSiteRow.host == domain
        query = (
            select(OutletRow.name, OutletSiteRow.host)
            .join(OutletSiteRow, OutletSiteRow.outlet_id == OutletRow.id)
            .where(on_domain | OutletSiteRow.host.endswith("." + domain, autoescape=True))
            .order_by(on_domain.desc(), OutletSiteRow.host)
            .limit(1)
        )
        found = self.session.execute(query).first()
        if found is None:
            return None
        name, host = found
        if host == domain:  # the domain's own site: its name never changes
            self._domain_names[domain] = name
        return str(name)

    def _rename_domains_of(self, host: str, name: str) -> None:
        """Articles of ``host``'s site stored under its bare domain move to
        ``name``; their stories are recomputed, to list the outlet by name.
        The domain's outlet row stays (another writer may hold its id); it
        lists no article any more."""
        parts = host.split(".")
        domains = [".".join(parts[i:]) for i in range(len(parts) - 1)]
        aliases = self.session.execute(
            select(OutletRow.id, OutletRow.name).where(OutletRow.name.in_(domains))
        ).all()
        for alias_id, domain in aliases:
            moved = ArticleRow.outlet_id == alias_id
            on_site = or_(*(ArticleRow.url.like(p) for p in _domain_url_patterns(domain)))
            articles = select(ArticleRow.id).where(moved, on_site)
            stories = select(StoryArticleRow.story_id).where(
                StoryArticleRow.article_id.in_(articles)
            )
            self.session.execute(
                update(StoryRow).where(StoryRow.id.in_(stories)).values(dirty=True)
            )
            self.session.execute(
                update(ArticleRow).where(moved, on_site).values(outlet_id=self._outlet_id(name))
            )

    def add_article(
        self, article: Article, *, digest: str | None = None, run_id: int | None = None
    ) -> Article | None:
        """Store an article the caller found new; returns it with its id, or
        None when another writer stored its URL or content meanwhile.
        ``digest`` is its ``content_hash``, where the caller has it already."""
        # Core on the session's connection: the ORM session's execute costs
        # more than the insert itself for a one-row statement.
        connection = self.session.connection()
        article_id = connection.execute(
            self._insert_article,
            {
                "url": article.url,
                "content_hash": content_hash(article) if digest is None else digest,
                "title": article.title,
                "text": article.text,
                "published": article.published,
                "language": article.language,
                "author": article.author,
                "outlet_id": self._outlet_id(outlet := self._outlet_name(article)),
                "duplicate_of": article.duplicate_of,
                "origin": article.origin,
                "extra": dict(article.extra),
                "run_id": run_id,
            },
        ).scalar()
        if article_id is None:
            return None
        self._unindexed = True
        return replace(
            article, id=article_id, outlet=outlet, published=assume_utc(article.published)
        )

    def defer_text_index(self) -> None:
        """Leave the articles this transaction stores queued for SQLite's
        full-text index (migration 0009) for a later transaction's
        ``index_pending_text``: one statement for many batches costs less
        than one a batch (see ``TEXT_INDEX_BATCHES`` in ``ohliad.pipeline``).
        Until then search does not find them."""
        self._text_index_deferred = True

    @property
    def indexes_text_at_commit(self) -> bool:
        """Whether ``Store.transaction`` indexes the queued articles' text
        before it commits: when this one stored articles since it last
        indexed, and did not defer."""
        return self._unindexed and not self._text_index_deferred

    def index_pending_text(self) -> None:
        """Put every article queued for SQLite's full-text index into it,
        this transaction's and earlier ones', in one statement, and empty
        the queue (PostgreSQL indexes as it stores)."""
        self._unindexed = False
        if self._dialect != "sqlite":
            return
        self.session.execute(_INDEX_QUEUED_TEXT)
        self.session.execute(_EMPTY_TEXT_QUEUE)

    def link(self, article_id: int, story_key: str) -> None:
        """Put a newly stored article in a story (creating the story) and mark
        the story for recomputation. Articles change stories only by merges."""
        self._links.append((article_id, story_key))

    def write_links(self) -> None:
        """Write the links gathered by ``link``; done before anything reads
        story members, and before the commit."""
        if not self._links:
            return
        links, self._links = self._links, []
        story_ids = self._story_ids([key for _, key in links])
        self.session.execute(
            insert(_LINKS),
            [{"article_id": article, "story_id": story_ids[key]} for article, key in links],
        )
        self._changed(story_ids.values())

    def _story_ids(self, keys: Sequence[str]) -> dict[str, int]:
        """The stories' ids by key, creating those that do not exist."""
        wanted = set(keys)
        found: dict[str, int] = {
            key: story_id
            for key, story_id in self.session.execute(
                select(StoryRow.key, StoryRow.id).where(StoryRow.key.in_(wanted))
            )
        }
        missing = [key for key in dict.fromkeys(keys) if key not in found]
        if missing:
            created = self.session.execute(
                insert(_STORIES).returning(_STORIES.c.key, _STORIES.c.id),
                [{"key": key} for key in missing],
            )
            found.update({key: story_id for key, story_id in created})
        return found

    def _changed(self, story_ids: Iterable[int]) -> None:
        # In the same transaction as the change of members: a story's summary
        # and comparison are never taken as current for articles they miss.
        ids = set(story_ids)
        self.session.execute(
            update(StoryRow)
            .where(StoryRow.id.in_(ids))
            .values(dirty=True, compare_pending=True, updated_at=utcnow())
        )
        mark_stale(self.session, ids)

    def merge_stories(self, into_key: str, from_keys: Sequence[str]) -> None:
        """Move every article of ``from_keys`` into ``into_key`` and drop the emptied stories."""
        self.write_links()
        target = self._story_ids([into_key])[into_key]
        sources = [
            story_id
            for story_id in self.session.scalars(
                select(StoryRow.id).where(StoryRow.key.in_(set(from_keys)))
            )
            if story_id != target
        ]
        if sources:
            carry_on_merge(self.session, into_key, from_keys)
            self.session.execute(
                update(StoryArticleRow)
                .where(StoryArticleRow.story_id.in_(sources))
                .values(story_id=target)
            )
            self.session.execute(delete(StoryRow).where(StoryRow.id.in_(sources)))
        self._changed([target])

    def move_articles(self, article_ids: Sequence[int], into_key: str) -> None:
        """Move these articles, and their stored copies, into ``into_key``
        (a split); the stories they leave keep their other articles."""
        self.write_links()
        target = self._story_ids([into_key])[into_key]
        copies = select(ArticleRow.id).where(ArticleRow.duplicate_of.in_(set(article_ids)))
        moving = or_(
            StoryArticleRow.article_id.in_(set(article_ids)),
            StoryArticleRow.article_id.in_(copies),
        )
        sources = set(self.session.scalars(select(StoryArticleRow.story_id).where(moving)))
        source_keys = self.session.scalars(select(StoryRow.key).where(StoryRow.id.in_(sources)))
        carry_on_split(self.session, set(source_keys), article_ids, into_key)
        self.session.execute(update(StoryArticleRow).where(moving).values(story_id=target))
        self._changed(sources | {target})

    def record_changes(
        self, changes: Sequence[StoryChangeRecord], *, run_id: int | None = None
    ) -> None:
        """Keep the record of merges and splits (``ohliad.store.history``)."""
        record_changes(self.session, changes, run_id)

    def story_keys_of(self, article_ids: Iterable[int]) -> dict[int, str]:
        """The stories these articles are in, by article id (those in none
        are left out), in one query."""
        wanted = set(article_ids)
        if not wanted:
            return {}
        self.write_links()
        return {
            article_id: key
            for article_id, key in self.session.execute(
                select(StoryArticleRow.article_id, StoryRow.key)
                .join(StoryRow, StoryArticleRow.story_id == StoryRow.id)
                .where(StoryArticleRow.article_id.in_(wanted))
            )
        }

    def _members(self, story_ids: Iterable[int]) -> dict[int, frozenset[int]]:
        """The stories' current articles, by story id."""
        self.write_links()
        members: dict[int, set[int]] = {story_id: set() for story_id in story_ids}
        for story_id, article_id in self.session.execute(
            select(StoryArticleRow.story_id, StoryArticleRow.article_id).where(
                StoryArticleRow.story_id.in_(set(members))
            )
        ):
            members[story_id].add(article_id)
        return {story_id: frozenset(found) for story_id, found in members.items()}

    def save_entry(
        self,
        story_key: str,
        entry: DigestEntry,
        *,
        members: frozenset[int],
        with_comparison: bool = True,
    ) -> None:
        """``save_entries`` of one story."""
        self.save_entries({story_key: (entry, members)}, with_comparison=with_comparison)

    def save_entries(
        self,
        entries: Mapping[str, tuple[DigestEntry, frozenset[int]]],
        *,
        with_comparison: bool = False,
    ) -> None:
        """Store stories' digest entries, each computed from the articles given with it.

        A story's dirty mark is cleared only if it still has exactly those
        articles: one that joined during the computation keeps it dirty.
        ``with_comparison`` saves each entry's comparison too (as
        ``save_comparison``); without it, the story's last comparison is kept.
        """
        story_ids = self._story_ids(list(entries))
        current = self._members(story_ids.values())
        for key, (entry, members) in entries.items():
            story_id = story_ids[key]
            summary = entry_to_dict(entry)
            # Kept in their own columns and table.
            del summary["comparison"], summary["comparison_pending"], summary["review"]
            values: dict[str, Any] = {
                "entry": summary,
                "headline_en": entry.summary.headline,
                "headline_uk": entry.ukrainian.headline if entry.ukrainian else None,
                "summary_en": entry.summary.text,
                "summary_uk": entry.ukrainian.summary if entry.ukrainian else None,
                "dirty": current[story_id] != members,
            }
            if with_comparison:
                values.update(_comparison_values(entry.comparison, members, current[story_id]))
            self.session.execute(_UPDATE_STORY, {"story_id": story_id, **values})

    def save_comparison(
        self, story_key: str, comparison: Comparison | None, *, members: frozenset[int]
    ) -> bool:
        """Store a story's comparison, computed from the articles ``members``;
        False when the story is gone (merged into another meanwhile).

        It replaces the last one at once, whole. The story stays pending if
        its articles changed during the computation.
        """
        # Write first: the transaction then holds the write lock, so the
        # members read next are the committed ones, not an older snapshot.
        found = self.session.execute(
            update(StoryRow)
            .where(StoryRow.key == story_key)
            .values(compared_at=utcnow())
            .returning(StoryRow.id)
        ).scalar()
        if found is None:
            return False
        current = self._members([found])[found]
        self.session.execute(
            _UPDATE_STORY, {"story_id": found, **_comparison_values(comparison, members, current)}
        )
        return True


def _comparison_values(
    comparison: Comparison | None, members: frozenset[int], current: frozenset[int]
) -> dict[str, Any]:
    return {
        "comparison": comparison.to_dict() if comparison is not None else None,
        "compared_members": sorted(members),
        "compared_at": utcnow(),
        "compare_pending": current != members,
    }


@dataclass(frozen=True, slots=True)
class StoreOpener:
    """Opens a store's database again, in another process: what the watcher
    hands its child processes instead of a URL. Its repr, like a SQLAlchemy
    URL's, hides the password, which travels only pickled, over the pipe to
    the child."""

    url: URL

    def __call__(self) -> Store:
        return Store.open(self.url)


class Store:
    """The article and story store. ``Store.open(db)`` migrates the schema."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._known_outlets = KnownOutlets()

    @classmethod
    def open(cls, db: str | URL | None = None, *, must_exist: bool = False) -> Store:
        """The store in ``db``: a SQLAlchemy URL, a file path (SQLite), or the
        default database; its schema brought up to date. With ``must_exist``
        (commands that only read) a SQLite file that is not there is an
        error, not a new empty database."""
        url = db if isinstance(db, URL) else database_url(db)
        path = sqlite_file(url)
        if must_exist and path is not None and not path.is_file():
            raise DatabaseError(
                f"no database at {path}: give the --db that ohliad ingest or watch stored into"
            )
        engine = create_database_engine(url)
        # Two processes opening a new database at once must not both create it.
        with writer_lock(engine):
            upgrade(engine)
        return cls(engine)

    def opener(self) -> StoreOpener:
        """What opens this store's database in another process."""
        return StoreOpener(self.engine.url)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        try:
            with self._sessions() as session, session.begin():
                tx = Transaction(session, self._known_outlets)
                yield tx
                tx.write_links()
                if tx.indexes_text_at_commit:
                    tx.index_pending_text()
        except (OperationalError, DBAPIError) as error:
            reason = write_failure(error)
            if reason is None:
                raise
            raise DatabaseWriteError(f"cannot write to {self.url}: {reason}") from error
        # Committed: what it learnt of outlets may be taken on trust by later
        # transactions (what a rolled-back transaction added is not there).
        self._known_outlets = tx.known_outlets

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """The database's writers' lock (``ohliad.store.locks``): held by one
        process at a time around storing and grouping."""
        with writer_lock(self.engine):
            yield

    # Runs -----------------------------------------------------------------

    def start_run(self, command: str) -> int:
        with self.transaction() as tx:
            row = RunRow(command=command)
            tx.session.add(row)
            tx.session.flush()
            return row.id

    def finish_run(self, run_id: int, *, added: int, errors: Sequence[str]) -> None:
        with self.transaction() as tx:
            row = tx.session.get(RunRow, run_id)
            if row is not None:
                row.finished_at = utcnow()
                row.articles_added = added
                row.errors = list(errors)
                row.status = "failed" if errors else "ok"

    # Archives (ohliad backfill) --------------------------------------------

    def finished_archives(self, names: Sequence[str]) -> dict[str, int]:
        """The size of each of these archives that was stored to the end."""
        with self._sessions() as session:
            rows = session.execute(
                select(ArchiveRow.name, ArchiveRow.size).where(ArchiveRow.name.in_(names))
            )
            return {name: size for name, size in rows}

    def finish_archive(self, name: str, *, size: int, records: int, articles: int) -> None:
        """Mark an archive stored to the end (``records`` response records,
        ``articles`` of them articles); marked again, its counts are updated."""
        with self.transaction() as tx:
            row = tx.session.scalar(select(ArchiveRow).where(ArchiveRow.name == name))
            if row is None:
                row = ArchiveRow(name=name)
                tx.session.add(row)
            row.size, row.records, row.articles = size, records, articles
            row.failures = records - articles
            row.finished_at = utcnow()

    # Reads ----------------------------------------------------------------

    def last_article_id(self) -> int:
        """The id of the newest stored article (0 for none): it changes
        whenever any process stores an article."""
        with self._sessions() as session:
            return session.scalar(select(func.max(ArticleRow.id))) or 0

    def article_count(self) -> int:
        with self._sessions() as session:
            return session.scalar(select(func.count()).select_from(ArticleRow)) or 0

    def latest_published(self) -> datetime | None:
        with self._sessions() as session:
            return assume_utc(session.scalar(select(func.max(ArticleRow.published))))

    def article(self, article_id: int) -> Article | None:
        with self._sessions() as session:
            row = session.get(ArticleRow, article_id)
            return article_from_row(row) if row else None

    def articles(self) -> list[Article]:
        with self._sessions() as session:
            rows = session.scalars(select(ArticleRow).order_by(ArticleRow.id))
            return [article_from_row(r) for r in rows]

    def story_members(
        self, since: datetime | None = None, *, include_copies: bool = False
    ) -> list[tuple[str, Article]]:
        """(story key, article) for stored articles, oldest first; ``since`` bounds
        the time window a clusterer needs to restore its state."""
        query = _story_articles().order_by(ArticleRow.published, ArticleRow.id)
        if not include_copies:
            query = query.where(ArticleRow.duplicate_of.is_(None))
        if since is not None:
            query = query.where(or_(ArticleRow.published >= since, ArticleRow.published.is_(None)))
        with self._sessions() as session:
            return [(row.key, _article(row, row.outlet_name)) for row in session.execute(query)]

    def story_changes(self, key: str) -> list[StoryChangeRecord]:
        """The merges and splits that involved the story ``key``, oldest first."""
        with self._sessions() as session:
            return changes_of(session, key)

    def story(self, key: str) -> Story | None:
        return self.stories([key]).get(key)

    def stories(self, keys: Sequence[str]) -> dict[str, Story]:
        """The stories with these keys (those that exist), read in one query."""
        query = (
            _story_articles()
            .where(StoryRow.key.in_(set(keys)))
            .order_by(ArticleRow.published, ArticleRow.id)
        )
        found: dict[str, list[Article]] = {}
        with self._sessions() as session:
            for row in session.execute(query):
                found.setdefault(row.key, []).append(_article(row, row.outlet_name))
        return {
            key: Story(
                id=key,
                articles=tuple(a for a in articles if a.duplicate_of is None),
                copies=tuple(a for a in articles if a.duplicate_of is not None),
            )
            for key, articles in found.items()
        }

    def dirty_story_keys(self) -> list[str]:
        with self._sessions() as session:
            return list(
                session.scalars(select(StoryRow.key).where(StoryRow.dirty).order_by(StoryRow.id))
            )

    def pending_comparison_keys(self, limit: int | None = None) -> list[str]:
        """Stories whose comparison misses some of their articles and whose
        summary is current, the longest unchanged first: a story still taking
        articles waits, and is compared once for all of them."""
        query = (
            select(StoryRow.key)
            .where(StoryRow.compare_pending, StoryRow.dirty.is_(False))
            .order_by(StoryRow.updated_at, StoryRow.id)
        )
        if limit is not None:
            query = query.limit(limit)
        with self._sessions() as session:
            return list(session.scalars(query))

    def stories_without_ukrainian(self) -> int:
        """How many stories' entries have no Ukrainian text."""
        with self._sessions() as session:
            query = (
                select(func.count())
                .select_from(StoryRow)
                .where(StoryRow.entry.is_not(None), StoryRow.headline_uk.is_(None))
            )
            return session.scalar(query) or 0

    def comparison_backlog(self) -> int:
        """How many stories wait for their comparison."""
        with self._sessions() as session:
            query = select(func.count()).select_from(StoryRow).where(StoryRow.compare_pending)
            return session.scalar(query) or 0

    def digest_entries(self, *, limit: int | None = None) -> list[DigestEntry]:
        """Stored entries, the stories with the latest news first."""
        entries = [s.entry for s in self.stored_stories() if s.entry is not None]
        entries.sort(key=lambda e: e.updated or datetime.min.replace(tzinfo=UTC), reverse=True)
        return entries[:limit] if limit is not None else entries

    def stored_stories(self, *, limit: int | None = None, offset: int = 0) -> list[StoredStory]:
        """Stories with computed entries, most recently updated first."""
        query = (
            select(StoryRow)
            .where(StoryRow.entry.is_not(None))
            .order_by(StoryRow.updated_at.desc(), StoryRow.id.desc())
            .offset(offset)
        )
        if limit is not None:
            query = query.limit(limit)
        with self._sessions() as session:
            return stories_as_published(session, session.scalars(query))
