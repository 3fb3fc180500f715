"""The article store: SQLite or PostgreSQL through SQLAlchemy Core, versioned migrations, fact tables, search.

:class:`Store` is the one way in: every query the CLI, the API and the web UI run goes through its methods. Its
implementation is private: opening a database (``_engine``), the write transaction (``_write``), reading
(``_read``, ``_corpus_rows``, ``_story_tables``), full-text search (``_fulltext``) and the migrations.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, func, insert, inspect, select
from sqlalchemy.exc import DBAPIError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from newstrace.model import Article, Failure
from newstrace.store import _read
from newstrace.store._engine import (
    PERMISSION,
    QUERY_SECONDS,
    QueryBudget,
    QueryTimeout,
    StoreError,
    backup_sqlite,
    bounded,
    budget_statement,
    check_sqlite_path,
    checkpoint,
    database_url,
    now,
    sqlite_begin,
    sqlite_connect,
    statement_done,
    store_error_line,
    stored_versions,
    write_ahead_log,
)
from newstrace.store._fulltext import full_text_for, matched_spans
from newstrace.store._migrations import MIGRATIONS, STORY_VERSION, Migration
from newstrace.store._read import MAX_STATEMENT_WORDS, NO_VERDICT, ArticleSummary, SearchHit, StatementHit
from newstrace.store._search_facts import HitDetail, SearchFacets, facets, hit_details
from newstrace.store._story_tables import StoryKeeper
from newstrace.store._write import WriteResult, take_write_lock, write_batch
from newstrace.store.query import QuerySyntaxError, parse_query
from newstrace.store.schema import articles, schema_migrations

if TYPE_CHECKING:
    from newstrace.corpus import EntityRecord, StatementRecord, StoryDoc, StoryRecord
    from newstrace.corpus.story_timeline import MemberFacts

__all__ = [
    "MAX_STATEMENT_WORDS",
    "MIGRATIONS",
    "NO_VERDICT",
    "QUERY_SECONDS",
    "SEARCH_CANDIDATES",
    "ArticleSummary",
    "HitDetail",
    "Migration",
    "QueryBudget",
    "QuerySyntaxError",
    "QueryTimeout",
    "SearchFacets",
    "SearchHit",
    "StatementHit",
    "Store",
    "StoreError",
    "WriteResult",
    "store_error_line",
]

# The public classes name this module, as users import them, in tracebacks and reprs (httpx does the same).
for _public in (
    ArticleSummary,
    HitDetail,
    QueryBudget,
    QueryTimeout,
    SearchFacets,
    SearchHit,
    StatementHit,
    StoreError,
    WriteResult,
):
    _public.__module__ = __name__

# Search ranks at most this many of the most recently stored matches, so a word in every article stays fast.
SEARCH_CANDIDATES = 2000


class Store:
    """Articles and their facts in a SQL database (SQLite by default), created and migrated on open."""

    def __init__(
        self,
        url_or_path: str | Path = "newstrace.db",
        *,
        memory: bool = False,
        migrate: bool = True,
        create: bool = True,
        query_seconds: float = QUERY_SECONDS,
    ) -> None:
        url = "sqlite://" if memory else database_url(url_or_path)
        self.query_seconds = query_seconds  # the time budget of a search or statement listing given none
        self.url = url
        self.name = "memory" if memory else str(url_or_path)
        # One shared connection keeps an in-memory database alive across calls.
        options: dict[str, Any] = {"poolclass": StaticPool} if memory else {}
        try:
            self.engine: Engine = create_engine(url, **options)
        except (NoSuchModuleError, ImportError, ValueError) as error:
            raise StoreError(f"{self.name}: cannot use this database ({error})") from None
        if "://" in self.name:
            # Messages name the database; a password in its URL stays out of them.
            self.name = self.engine.url.render_as_string(hide_password=True)
        if self.engine.dialect.name == "sqlite":
            check_sqlite_path(url_or_path, memory)
            event.listen(self.engine, "connect", sqlite_connect)
            event.listen(self.engine, "begin", sqlite_begin)
        # A read under a QueryBudget stops when it is spent (SQLite: also the progress handler set on connecting).
        event.listen(self.engine, "before_cursor_execute", budget_statement)
        event.listen(self.engine, "after_cursor_execute", statement_done)
        # Write transactions take SQLite's write lock when they begin (waiting up to the busy timeout for it): a
        # deferred one that has read first cannot wait, and fails at once when another writer holds the lock.
        self._writer = self.engine.execution_options(newstrace_write=True)
        self.stories = StoryKeeper(self.engine)  # each stored article joins a story in its write transaction
        try:
            self.full_text = full_text_for(self.engine.dialect.name)
        except ValueError as error:
            raise StoreError(f"{self.name}: {error}") from None
        if migrate:
            try:
                self._migrate(self._check_schema(create))
            except DBAPIError as error:
                self.engine.dispose()
                reason = store_error_line(error.orig)
                if self.engine.dialect.name == "sqlite" and not PERMISSION.search(reason):
                    raise StoreError(f"{self.name}: not a newstrace database ({reason})") from None
                raise StoreError(f"{self.name}: cannot open the database ({reason})") from None
            except StoreError:
                self.engine.dispose()
                raise
            except ValueError as error:
                self.engine.dispose()
                reason = store_error_line(error)
                raise StoreError(f"{self.name}: cannot upgrade the stored articles ({reason})") from None

    def close(self) -> None:
        """Release the database connections, a SQLite store's write-ahead log folded into its file first (so that a
        plain copy of the file taken after a command ends holds every article it wrote)."""
        checkpoint(self.engine)
        self.engine.dispose()

    def backup(self, target: str | Path) -> None:
        """A consistent copy of a SQLite store into a new file, while others may write; StoreError for PostgreSQL
        (pg_dump copies it) or a target that exists."""
        if self.engine.dialect.name != "sqlite" or self.engine.url.database in (None, "", ":memory:"):
            raise StoreError(f"{self.name}: only a SQLite file is copied here; copy PostgreSQL with pg_dump")
        path = Path(target).expanduser()
        if path.exists():
            raise StoreError(f"{path}: already exists; a backup is written to a new file")
        try:
            backup_sqlite(self.engine, str(path))
        except (OSError, sqlite3.Error) as error:
            path.unlink(missing_ok=True)
            raise StoreError(f"{path}: cannot write the copy ({store_error_line(error)})") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_schema(self, create: bool) -> set[int] | None:
        """The migrations the store has (None where there is no store yet), read once on opening; refuse, before
        anything is written, a SQLite file of other tables, a store from a newer newstrace, and (unless ``create``)
        a database with no store yet: reading commands must not turn any file into a store."""
        with self.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            versions = stored_versions(connection, tables)
            if versions is not None:
                newest = max(versions, default=0)
                if newest > MIGRATIONS[-1].version:
                    raise StoreError(
                        f"{self.name}: written by a newer newstrace (schema {newest} > {MIGRATIONS[-1].version}); "
                        "upgrade newstrace to use it"
                    )
            elif tables and self.engine.dialect.name == "sqlite":
                # A SQLite file is one application's; a PostgreSQL database may hold other applications' tables.
                shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
                raise StoreError(f"{self.name}: not a newstrace database (it holds other tables: {shown})")
            elif not create:
                raise StoreError(f"{self.name}: no newstrace store here yet (run `newstrace ingest` first)")
        return versions

    def migrate(self, upto: int | None = None) -> list[int]:
        """Apply the migrations this database lacks (up to version ``upto``); return their versions.

        A store that lacks none is only read: a read-only store opens for reading.
        """
        with self.engine.connect() as connection:
            versions = stored_versions(connection, set(inspect(connection).get_table_names()))
        return self._migrate(versions, upto)

    def _migrate(self, stored: set[int] | None, upto: int | None = None) -> list[int]:
        """``migrate`` given the versions the store has (None: no store yet)."""
        wanted = {m.version for m in MIGRATIONS if upto is None or m.version <= upto}
        up_to_date = stored is not None and wanted <= stored
        # Only a store, or a file about to become one: opening any other file changes nothing in it.
        write_ahead_log(self.engine, wait=not up_to_date)
        if up_to_date:
            return []
        applied = []
        with self._writer.begin() as connection:
            take_write_lock(connection)  # two processes opening a PostgreSQL store to migrate it take turns
            schema_migrations.create(connection, checkfirst=True)
            done = set(connection.scalars(select(schema_migrations.c.version)))
            for migration in MIGRATIONS:
                if migration.version in done or (upto is not None and migration.version > upto):
                    continue
                migration.apply(connection)
                connection.execute(
                    insert(schema_migrations).values(
                        version=migration.version,
                        description=migration.description,
                        applied_at=now(),
                    )
                )
                applied.append(migration.version)
            if applied and STORY_VERSION in done.union(applied):
                # Articles stored before the store kept stories join them here, read as ingest gave them to the index.
                self.stories.catch_up(connection)
        return applied

    def schema_version(self) -> int:
        """The highest migration applied."""
        with self.engine.connect() as connection:
            return connection.scalar(select(func.max(schema_migrations.c.version))) or 0

    def known_sources(self, hashes: Iterable[str]) -> set[str]:
        """Which of these input hashes are already stored."""
        return _read.source_hashes(self.engine, hashes)

    def held_sources(self) -> set[str]:
        """Every input hash stored: a runner that reads its inputs remotely skips these before any work."""
        return _read.source_hashes(self.engine)

    def write(self, results: Iterable[Article | Failure]) -> WriteResult:
        """Store a batch of articles (with their facts) and failures in one transaction; known content is kept once."""
        batch = list(results)
        if any(isinstance(item, Article) for item in batch):
            self.stories.sync()  # a long catch-up or rebuild here holds no write lock that other writers wait on
        elif not batch:
            return WriteResult()
        with self._writer.begin() as connection:
            outcome, stored = write_batch(connection, batch)
            # In the same transaction: a rolled-back batch leaves no story rows (and the keeper reloads its index).
            self.stories.add(connection, stored)
        return outcome

    def count(self, after: int = 0, through: int | None = None) -> int:
        """How many articles are stored (those keyed after ``after`` up to ``through``, as ``contents`` gives keys)."""
        counted = select(func.count()).select_from(articles)
        if after:
            counted = counted.where(articles.c.pk > after)
        if through is not None:
            counted = counted.where(articles.c.pk <= through)
        with self.engine.connect() as connection:
            return connection.scalar(counted) or 0

    def contents(self) -> tuple[int, int]:
        """How many articles are stored and the highest key given to one: it changes as articles come and go."""
        return _read.contents(self.engine)

    def get(self, article_id: str) -> Article | None:
        """The article with this id, or with this unique id prefix (at least 6 characters)."""
        return _read.article(self.engine, article_id)

    def iter_articles(self, batch_size: int = 200) -> Iterator[Article]:
        """Every stored article, oldest ingest first."""
        last_pk = 0
        while True:
            batch, last_pk = _read.article_batch(self.engine, last_pk, batch_size)
            if not batch:
                return
            yield from batch

    def articles(
        self,
        *,
        limit: int = 20,
        offset: int = 0,
        since: str | None = None,
        until: str | None = None,
        site: str | None = None,
        budget: QueryBudget | None = None,
    ) -> tuple[int, list[ArticleSummary]]:
        """The total matching and one page of stored articles, most recently stored first.

        Dates (``since``, ``until``: YYYY-MM-DD, inclusive) are the publication date, else the reference date;
        ``site`` matches any part of the site, any case. Past ``budget`` (when given), or cancelled: QueryTimeout.
        """
        with bounded(budget) if budget is not None else nullcontext():
            return _read.article_page(self.engine, limit=limit, offset=offset, since=since, until=until, site=site)

    def headlines(self, ids: Iterable[str]) -> dict[str, str | None]:
        """The headline of each of these stored articles, by id."""
        return _read.headlines(self.engine, ids)

    def stored_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of these article ids are stored already."""
        return _read.stored_ids(self.engine, ids)

    def search(
        self,
        query: str,
        limit: int = 20,
        *,
        since: str | None = None,
        until: str | None = None,
        site: str | None = None,
        speaker: str | None = None,
        verdict: str | None = None,
        language: str | None = None,
        outlet: str | None = None,
        candidates: int = SEARCH_CANDIDATES,
        offset: int = 0,
        budget: QueryBudget | None = None,
    ) -> list[SearchHit]:
        """Articles matching the query, best first; raises QuerySyntaxError for a query that cannot be read.

        The language: words (all required), ``"a phrase"``, ``prefix*``, ``OR``, ``NOT word`` or ``-word``, and
        parentheses. Dates (``since``, ``until``: YYYY-MM-DD, inclusive) are the article's publication date, or its
        reference date where none was published. Relevance is ranked among the ``candidates`` most recently stored
        matches, which bounds the cost of a word that most articles contain (on a large SQLite store, terms in most
        recent articles weigh nothing in bm25 and are left out of the ranking: see ``SqliteFullText``). ``offset``
        hits are skipped, for the pages after the first. ``verdict`` keeps articles whose headline check has that
        stance (``none``: not checked), ``language`` those in that language; ``site`` matches any part of the site,
        any case, ``outlet`` the whole site as stored (a facet's value). A search that runs past ``budget`` (by
        default ``query_seconds`` from now) or is cancelled through it raises QueryTimeout.
        """
        node = parse_query(query)
        filters = _read.filters(
            self.engine,
            since=since,
            until=until,
            site=site,
            speaker=speaker,
            verdict=verdict,
            language=language,
            outlet=outlet,
        )
        wanted = offset + limit
        with bounded(budget or QueryBudget(self.query_seconds)), self.engine.connect() as connection:
            rows = self.full_text.search(connection, node, filters, wanted, max(candidates, wanted))[offset:]
        hits = []
        for row in rows:
            snippet, matched = matched_spans(row.snippet or "")
            hits.append(SearchHit(row.id, row.headline, row.published, row.site, snippet, row.score, matched))
        return hits

    def search_facets(
        self,
        query: str,
        *,
        candidates: int = SEARCH_CANDIDATES,
        budget: QueryBudget | None = None,
        **filters: str | None,
    ) -> SearchFacets:
        """How many articles a search with these filters (as ``search`` takes them) matches among the ``candidates``
        it ranks, and their counts by outlet, month, verdict and language; QuerySyntaxError, QueryTimeout as
        ``search``."""
        node = parse_query(query)
        conditions = _read.filters(
            self.engine,
            since=filters.get("since"),
            until=filters.get("until"),
            site=filters.get("site"),
            speaker=filters.get("speaker"),
            verdict=filters.get("verdict"),
            language=filters.get("language"),
            outlet=filters.get("outlet"),
        )
        with bounded(budget or QueryBudget(self.query_seconds)), self.engine.connect() as connection:
            # One past the ranking tells "exactly this many" from "at least this many".
            pks = self.full_text.matches(connection, node, conditions, candidates + 1)
            return facets(connection, pks[:candidates], len(pks) > candidates)

    def hit_details(self, ids: Iterable[str], budget: QueryBudget | None = None) -> dict[str, HitDetail]:
        """Each of these stored articles' date, language, verdict, statement count and story size, by id."""
        with bounded(budget or QueryBudget(self.query_seconds)), self.engine.connect() as connection:
            return hit_details(connection, ids)

    def statements(
        self,
        *,
        speaker: str | None = None,
        min_confidence: float = 0.0,
        limit: int = 100,
        offset: int = 0,
        budget: QueryBudget | None = None,
        words: str | None = None,
        site: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[StatementHit]:
        """Stored statements, newest first: by a speaker with a word (of a name, alias or romanised) each word of
        ``speaker`` begins.

        A statement is the pieces of one article's content that share a cue (``present.statements``), each hit all
        of them: ``limit`` and ``offset`` count statements, and its first piece's confidence is the statement's.
        ``words`` (each required, any case, in any piece; the first 8), ``site`` (part of the article's site) and
        ``since``/``until`` (YYYY-MM-DD: the date said, else the article's) narrow the list. Past ``budget`` (by
        default ``query_seconds`` from now), or cancelled through it: QueryTimeout.
        """
        with bounded(budget or QueryBudget(self.query_seconds)):
            return _read.statement_hits(
                self.engine,
                speaker=speaker,
                min_confidence=min_confidence,
                limit=limit,
                offset=offset,
                words=words,
                site=site,
                since=since,
                until=until,
            )

    def statement_records(self) -> list[StatementRecord]:
        """Every stored statement (its pieces sharing a cue, as one) with a named speaker, with its article's id,
        site and dates, in ingest order."""
        from newstrace.store._corpus_rows import statement_records

        return statement_records(self.engine)

    def member_facts(self, article_ids: list[str], budget: QueryBudget | None = None) -> list[MemberFacts]:
        """These stored articles' dates, sites, statements and figures, as a story's timeline compares them; past
        ``budget`` (by default ``query_seconds`` from now), or cancelled: QueryTimeout."""
        from newstrace.store._corpus_rows import member_facts

        with bounded(budget or QueryBudget(self.query_seconds)):
            return member_facts(self.engine, article_ids)

    def statements_about(self, members: list[str], budget: QueryBudget | None = None) -> list[StatementRecord]:
        """The statements whose content mentions one of these article entities (``article_id/entity_id``), in the
        order stored; past ``budget`` (by default ``query_seconds`` from now), or cancelled: QueryTimeout."""
        from newstrace.store._corpus_rows import statements_about

        with bounded(budget or QueryBudget(self.query_seconds)):
            return statements_about(self.engine, members)

    def entity_records(self, after: int = 0, through: int | None = None) -> list[EntityRecord]:
        """Every stored article's entities (those of articles keyed after ``after`` up to ``through``, as
        ``contents`` gives keys), dated by the article (published, else its reference date), in the order stored."""
        from newstrace.store._corpus_rows import entity_records

        return entity_records(self.engine, after, through)

    def story_records(self, story_id: str | None = None, budget: QueryBudget | None = None) -> list[StoryRecord]:
        """Stored stories (all, or those whose id is ``story_id`` else starts with it), newest last seen first; past
        ``budget`` (when given), or cancelled: QueryTimeout."""
        from newstrace.store._story_tables import story_records

        with bounded(budget) if budget is not None else nullcontext():
            return story_records(self.engine, story_id)

    def story_docs(self) -> Iterator[StoryDoc]:
        """Each stored article's story view, in the order stored: what a story index is rebuilt from."""
        from newstrace.store._story_tables import stored_docs

        with self.engine.connect() as connection:
            for _, doc in stored_docs(connection):
                yield doc

    def failures(self) -> list[Failure]:
        """Every recorded failure, oldest first."""
        return _read.failure_list(self.engine)
