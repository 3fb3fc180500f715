"""The article store: SQLite or PostgreSQL through SQLAlchemy Core, versioned migrations, fact tables, search."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Row,
    create_engine,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    tuple_,
    union,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, NoSuchModuleError
from sqlalchemy.pool import StaticPool

from newstrace.model import Article, Failure, Quote
from newstrace.store._fulltext import full_text_for
from newstrace.store._migrations import MIGRATIONS, Migration
from newstrace.store._story_tables import StoryKeeper
from newstrace.store.query import QuerySyntaxError, parse_query
from newstrace.store.rows import article_from_rows, article_row, fact_rows, quote_from_row, span_texts
from newstrace.store.schema import (
    FACT_TABLES,
    articles,
    entities,
    failures,
    schema_migrations,
    sources,
    statements,
)

__all__ = [
    "MIGRATIONS",
    "Migration",
    "QuerySyntaxError",
    "SearchHit",
    "StatementHit",
    "Store",
    "StoreError",
    "WriteResult",
]

# Search ranks at most this many of the most recently stored matches, so a word in every article stays fast.
SEARCH_CANDIDATES = 2000
# The PostgreSQL advisory lock a write transaction holds ("news" in ASCII): writers to one database take turns.
_WRITE_LOCK = 0x6E657773


class StoreError(Exception):
    """The database cannot be opened or used: the message names it and says why, in one line."""


@dataclass(slots=True)
class WriteResult:
    """What one batch write did."""

    stored: int = 0
    already_present: int = 0
    failures: int = 0


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An article matching a search, with a snippet of where and its relevance (higher is better)."""

    id: str
    headline: str | None
    published: str | None
    site: str | None
    snippet: str
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class StatementHit:
    """A stored statement with the article it is in and the roles its speaker holds there."""

    article_id: str
    headline: str | None
    reference_date: str | None
    quote: Quote
    speaker_roles: list[str]

    @property
    def date(self) -> str | None:
        """When it was said, or else the article's date."""
        return self.quote.date or self.reference_date


class Store:
    """Articles and their facts in a SQL database (SQLite by default), created and migrated on open."""

    def __init__(
        self,
        url_or_path: str | Path = "newstrace.db",
        *,
        memory: bool = False,
        migrate: bool = True,
        create: bool = True,
    ) -> None:
        url = "sqlite://" if memory else _database_url(url_or_path)
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
            _check_sqlite_path(url_or_path, memory)
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
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
                reason = _first_line(error.orig)
                if self.engine.dialect.name == "sqlite" and not _PERMISSION.search(reason):
                    raise StoreError(f"{self.name}: not a newstrace database ({reason})") from None
                raise StoreError(f"{self.name}: cannot open the database ({reason})") from None
            except StoreError:
                self.engine.dispose()
                raise
            except ValueError as error:
                self.engine.dispose()
                raise StoreError(f"{self.name}: cannot upgrade the stored articles ({_first_line(error)})") from None

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

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
            versions = _stored_versions(connection, tables)
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
            versions = _stored_versions(connection, set(inspect(connection).get_table_names()))
        return self._migrate(versions, upto)

    def _migrate(self, stored: set[int] | None, upto: int | None = None) -> list[int]:
        """``migrate`` given the versions the store has (None: no store yet)."""
        wanted = {m.version for m in MIGRATIONS if upto is None or m.version <= upto}
        up_to_date = stored is not None and wanted <= stored
        # Only a store, or a file about to become one: opening any other file changes nothing in it.
        self._write_ahead_log(wait=not up_to_date)
        if up_to_date:
            return []
        applied = []
        with self._writer.begin() as connection:
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
                        applied_at=_now(),
                    )
                )
                applied.append(migration.version)
        return applied

    def _write_ahead_log(self, *, wait: bool) -> None:
        """Put a SQLite store in write-ahead logging (committed batches survive a killed process; readers do not block
        a writer), where it is not: a new store, or a copy made by VACUUM INTO or set otherwise by hand.

        Without ``wait`` (a store opened only to be read) a lock held elsewhere, or a read-only file, leaves it as is.
        """
        if self.engine.dialect.name != "sqlite" or self.engine.url.database in (None, "", ":memory:"):
            return
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
                return
            if not wait:
                cursor.execute("PRAGMA busy_timeout=0")
            try:
                cursor.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError:
                if wait:
                    raise
            finally:
                cursor.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")  # the pooled connection's own again
        finally:
            raw.close()

    def schema_version(self) -> int:
        """The highest migration applied."""
        with self.engine.connect() as connection:
            return connection.scalar(select(func.max(schema_migrations.c.version))) or 0

    def known_sources(self, hashes: Iterable[str]) -> set[str]:
        """Which of these input hashes are already stored."""
        wanted = list(dict.fromkeys(hashes))
        found: set[str] = set()
        with self.engine.connect() as connection:
            for start in range(0, len(wanted), 500):
                batch = wanted[start : start + 500]
                found.update(connection.scalars(select(sources.c.source_hash).where(sources.c.source_hash.in_(batch))))
        return found

    def write(self, results: Iterable[Article | Failure]) -> WriteResult:
        """Store a batch of articles (with their facts) and failures in one transaction; known content is kept once."""
        outcome = WriteResult()
        now = _now()
        stored: list[tuple[int, Article]] = []
        batch = list(results)
        if any(isinstance(item, Article) for item in batch):
            self.stories.sync()  # a long catch-up or rebuild here holds no write lock that other writers wait on
        elif not batch:
            return outcome
        with self._writer.begin() as connection:
            if connection.dialect.name == "postgresql":
                # One writer at a time, as SQLite's write lock makes it: article keys are then given in the order
                # stories are assigned and committed, which is the order a rebuild or another writer replays.
                connection.execute(select(func.pg_advisory_xact_lock(_WRITE_LOCK)))
            for item in batch:
                if isinstance(item, Failure):
                    outcome.failures += 1
                    recorded = select(failures.c.id).where(
                        failures.c.source == item.source,
                        failures.c.source_hash.is_not_distinct_from(item.source_hash),
                        failures.c.stage == item.stage,
                        failures.c.reason == item.reason,
                    )
                    if connection.scalar(recorded.limit(1)) is not None:
                        continue  # a re-run meets the same bad input (same bytes) again: it stays recorded once
                    connection.execute(
                        insert(failures).values(
                            source=item.source,
                            source_hash=item.source_hash,
                            stage=item.stage,
                            reason=item.reason,
                            failed_at=now,
                        )
                    )
                    continue
                pk = connection.scalar(
                    _insert_ignore(connection, articles).values(**article_row(item, now)).returning(articles.c.pk)
                )
                if pk is not None:
                    outcome.stored += 1
                    _write_facts(connection, item, pk)
                    stored.append((pk, item))
                else:
                    outcome.already_present += 1
                connection.execute(
                    _insert_ignore(connection, sources).values(
                        source_hash=item.source_hash,
                        source=item.source,
                        article_id=item.id,
                        ingested_at=now,
                    )
                )
            # In the same transaction: a rolled-back batch leaves no story rows (and the keeper reloads its index).
            self.stories.add(connection, stored)
        return outcome

    def count(self) -> int:
        """How many articles are stored."""
        with self.engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(articles)) or 0

    def get(self, article_id: str) -> Article | None:
        """The article with this id, or with this unique id prefix (at least 6 characters)."""
        with self.engine.connect() as connection:
            row = connection.execute(select(articles).where(articles.c.id == article_id)).first()
            if row is None and len(article_id) >= 6 and re.fullmatch(r"[0-9a-f]+", article_id):
                rows = connection.execute(select(articles).where(articles.c.id.like(article_id + "%")).limit(2)).all()
                row = rows[0] if len(rows) == 1 else None
            if row is None:
                return None
            return _rebuild(connection, [row])[0]

    def iter_articles(self, batch_size: int = 200) -> Iterator[Article]:
        """Every stored article, oldest ingest first."""
        last_pk = 0
        while True:
            with self.engine.connect() as connection:
                rows = connection.execute(
                    select(articles).where(articles.c.pk > last_pk).order_by(articles.c.pk).limit(batch_size)
                ).all()
                if not rows:
                    return
                batch = _rebuild(connection, rows)
            yield from batch
            last_pk = rows[-1].pk

    def search(
        self,
        query: str,
        limit: int = 20,
        *,
        since: str | None = None,
        until: str | None = None,
        site: str | None = None,
        speaker: str | None = None,
        candidates: int = SEARCH_CANDIDATES,
        offset: int = 0,
    ) -> list[SearchHit]:
        """Articles matching the query, best first; raises QuerySyntaxError for a query that cannot be read.

        The language: words (all required), ``"a phrase"``, ``prefix*``, ``OR``, ``NOT word`` or ``-word``, and
        parentheses. Dates (``since``, ``until``: YYYY-MM-DD, inclusive) are the article's publication date, or its
        reference date where none was published. Relevance is ranked among the ``candidates`` most recently stored
        matches, which bounds the cost of a word that most articles contain (on a large SQLite store, terms in most
        recent articles weigh nothing in bm25 and are left out of the ranking: see ``SqliteFullText``). ``offset``
        hits are skipped, for the pages after the first.
        """
        node = parse_query(query)
        filters = _filters(self.engine.dialect.name, since=since, until=until, site=site, speaker=speaker)
        wanted = offset + limit
        with self.engine.connect() as connection:
            rows = self.full_text.search(connection, node, filters, wanted, max(candidates, wanted))[offset:]
        return [SearchHit(row.id, row.headline, row.published, row.site, row.snippet, row.score) for row in rows]

    def statements(
        self, *, speaker: str | None = None, min_confidence: float = 0.0, limit: int = 100, offset: int = 0
    ) -> list[StatementHit]:
        """Stored statements, newest first: by a speaker whose resolved name or alias contains ``speaker``."""
        said_on = func.coalesce(statements.c.said_on, articles.c.reference_date, "")
        query = (
            select(
                statements,
                *span_texts(statements),
                articles.c.id.label("article_id"),
                articles.c.headline,
                articles.c.reference_date,
            )
            .join_from(statements, articles, articles.c.pk == statements.c.article)
            .where(statements.c.confidence >= min_confidence)
            .order_by(said_on.desc(), statements.c.pk)
            .limit(limit)
            .offset(offset)
        )
        if speaker is not None:
            query = query.where(statements.c.pk.in_(_speaker_statements(speaker, self.engine.dialect.name)))
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
            wanted = {(row.article, row.speaker_entity_id) for row in rows if row.speaker_entity_id}
            roles: dict[tuple[int, str], list[str]] = {}
            if wanted:
                for entity in connection.execute(
                    select(entities.c.article, entities.c.entity_id, entities.c.roles).where(
                        entities.c.article.in_({article for article, _ in wanted})
                    )
                ):
                    roles[(entity.article, entity.entity_id)] = json.loads(entity.roles) if entity.roles else []
        return [
            StatementHit(
                row.article_id,
                row.headline,
                row.reference_date,
                quote_from_row(row._mapping),
                roles.get((row.article, row.speaker_entity_id or ""), []),
            )
            for row in rows
        ]

    def export_parquet(self, folder: Path) -> dict[str, int]:
        """One Parquet file per table in ``folder`` (needs pyarrow); returns the rows written per table."""
        from newstrace.export.parquet import export_parquet

        return export_parquet(self.engine, folder)

    def failures(self) -> list[Failure]:
        """Every recorded failure, oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(failures.c.source, failures.c.stage, failures.c.reason, failures.c.source_hash).order_by(
                    failures.c.id
                )
            ).all()
        return [Failure(*row) for row in rows]


def _write_facts(connection: Connection, article: Article, pk: int) -> None:
    rows = fact_rows(article, pk)
    for table in FACT_TABLES:
        if rows[table.name]:
            connection.execute(insert(table), rows[table.name])


def _rebuild(connection: Connection, rows: Sequence[Row[Any]]) -> list[Article]:
    """Articles from their rows, with every fact table read once for the whole batch."""
    pks = [row.pk for row in rows]
    facts: dict[int, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for table in FACT_TABLES:
        # Each table's key orders an article's facts as its lists had them: by ``pk`` or by ``(article, number)``.
        order = table.primary_key.columns
        for fact in connection.execute(select(table).where(table.c.article.in_(pks)).order_by(*order)):
            facts[fact.article][table.name].append(fact._mapping)
    return [article_from_rows(row._mapping, facts[row.pk]) for row in rows]


def _contains(column: ColumnElement[Any], value: str, dialect: str) -> ColumnElement[bool]:
    """``column`` contains ``value``, any case, with LIKE's wildcards in ``value`` taken literally."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    # SQLite's LIKE already ignores (ASCII) case, as its lower() would; ILIKE is PostgreSQL's own.
    if dialect == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")


def _speaker_statements(speaker: str, dialect: str) -> Any:
    """The pks of statements whose speaker's resolved name, or its entity's name or an alias, contain ``speaker``."""
    by_name = select(statements.c.pk).where(_contains(statements.c.speaker_name, speaker, dialect))
    named_entities = select(entities.c.article, entities.c.entity_id).where(
        or_(_contains(entities.c.name, speaker, dialect), _contains(entities.c.aliases, speaker, dialect))
    )
    # A row-value IN: the few named entities are found first, not looked up once per statement.
    by_entity = select(statements.c.pk).where(
        tuple_(statements.c.article, statements.c.speaker_entity_id).in_(named_entities)
    )
    return union(by_name, by_entity)


def _filters(
    dialect: str, *, since: str | None, until: str | None, site: str | None, speaker: str | None
) -> list[ColumnElement[bool]]:
    date = func.coalesce(articles.c.published, articles.c.reference_date)
    conditions: list[ColumnElement[bool]] = []
    if since is not None:
        conditions.append(date >= since)
    if until is not None:
        conditions.append(date <= until)
    if site is not None:
        conditions.append(_contains(articles.c.site, site, dialect))
    if speaker is not None:
        quoting = select(statements.c.article).where(statements.c.pk.in_(_speaker_statements(speaker, dialect)))
        conditions.append(articles.c.pk.in_(quoting))
    return conditions


def _insert_ignore(connection: Connection, table: Any) -> Any:
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing()


def _database_url(url_or_path: str | Path) -> str:
    value = str(url_or_path)
    if not value.strip():
        raise StoreError("the database path is empty")
    if "://" in value:
        # A bare postgresql:// URL means psycopg 3, the driver newstrace installs.
        return re.sub(r"^postgres(?:ql)?://", "postgresql+psycopg://", value)
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _check_sqlite_path(url_or_path: str | Path, memory: bool) -> None:
    """A directory or a missing folder is named in one line, not in a driver's traceback."""
    if memory or "://" in str(url_or_path):
        return
    path = Path(url_or_path).expanduser()
    try:
        if path.is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        if not path.parent.exists():
            raise StoreError(f"{path}: the folder {path.parent} does not exist")
    except OSError as error:  # a name too long for the file system, a folder that cannot be searched
        raise StoreError(f"{path}: {error.strerror or error}") from None


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling skips DDL; SQLAlchemy's begin event below issues BEGIN instead, so a
    # migration's CREATE, RENAME and DROP commit or roll back together.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    connection.exec_driver_sql(
        "BEGIN IMMEDIATE" if connection.get_execution_options().get("newstrace_write") else "BEGIN"
    )


_BUSY_TIMEOUT_MS = 5000  # how long a SQLite connection waits for another writer's lock


def _stored_versions(connection: Connection, tables: set[str]) -> set[int] | None:
    """The migrations recorded in the database, or None where it has no migrations table (no store yet)."""
    if schema_migrations.name not in tables:
        return None
    return set(connection.scalars(select(schema_migrations.c.version)))


_PERMISSION = re.compile(r"readonly|read-only|unable to open|permission denied", re.IGNORECASE)


def _first_line(error: BaseException | None) -> str:
    return str(error).strip().splitlines()[0] if error is not None and str(error).strip() else "unknown error"


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
