"""The article store: SQL through SQLAlchemy Core, versioned migrations, full-text search."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    literal_column,
    select,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.expression import ColumnClause

from newstrace.model import Article, Failure

__all__ = ["SearchHit", "Store", "WriteResult"]

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("description", Text, nullable=False),
    Column("applied_at", String(32), nullable=False),
)
articles = Table(
    "articles",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("site", Text),
    Column("headline", Text),
    Column("published", String(10)),
    Column("reference_date", String(10)),
    Column("language", String(16)),
    Column("text", Text, nullable=False),
    Column("data", Text, nullable=False),
    Column("ingested_at", String(32), nullable=False),
)
sources = Table(
    "sources",
    metadata,
    Column("source_hash", String(64), primary_key=True),
    Column("source", Text, nullable=False),
    Column("article_id", String(64), nullable=False),
    Column("ingested_at", String(32), nullable=False),
)
failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("source_hash", String(64)),
    Column("stage", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("failed_at", String(32), nullable=False),
)


def _create_core_tables(connection: Connection) -> None:
    metadata.create_all(connection, tables=[articles, sources, failures])


def _create_sqlite_fts(connection: Connection) -> None:
    """FTS5 over headline and text, kept in step with ``articles`` by triggers."""
    statements = [
        "CREATE VIRTUAL TABLE articles_fts USING fts5("
        "headline, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
        "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts(rowid, headline, text) VALUES (new.rowid, new.headline, new.text); END",
        "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, headline, text) "
        "VALUES ('delete', old.rowid, old.headline, old.text); END",
        "CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, headline, text) "
        "VALUES ('delete', old.rowid, old.headline, old.text); "
        "INSERT INTO articles_fts(rowid, headline, text) VALUES (new.rowid, new.headline, new.text); END",
    ]
    for statement in statements:
        connection.execute(text(statement))


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step; applied once, in order, inside a transaction."""

    version: int
    description: str
    apply: Callable[[Connection], None]


MIGRATIONS = [
    Migration(1, "articles, sources and failures tables", _create_core_tables),
    Migration(2, "full-text index over headline and text", _create_sqlite_fts),
]


@dataclass(slots=True)
class WriteResult:
    """What one batch write did."""

    stored: int = 0
    already_present: int = 0
    failures: int = 0


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An article matching a search, with a snippet of where."""

    id: str
    headline: str | None
    published: str | None
    site: str | None
    snippet: str


class Store:
    """Articles in a SQL database (SQLite by default), created and migrated on open."""

    def __init__(self, url_or_path: str | Path = "newstrace.db", *, memory: bool = False) -> None:
        url = "sqlite://" if memory else _database_url(url_or_path)
        self.url = url
        # One shared connection keeps an in-memory database alive across calls.
        options: dict[str, Any] = {"poolclass": StaticPool} if memory else {}
        self.engine: Engine = create_engine(url, **options)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            raise ValueError(f"{self.engine.dialect.name} is not supported yet; use a SQLite path")
        self.migrate()

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self) -> list[int]:
        """Apply the migrations this database lacks; return their versions."""
        applied = []
        with self.engine.begin() as connection:
            schema_migrations.create(connection, checkfirst=True)
            done = set(connection.scalars(select(schema_migrations.c.version)))
            for migration in MIGRATIONS:
                if migration.version in done:
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
        """Store a batch of articles and failures in one transaction; known content is not added twice."""
        outcome = WriteResult()
        now = _now()
        with self.engine.begin() as connection:
            for item in results:
                if isinstance(item, Failure):
                    connection.execute(
                        insert(failures).values(
                            source=item.source,
                            source_hash=item.source_hash,
                            stage=item.stage,
                            reason=item.reason,
                            failed_at=now,
                        )
                    )
                    outcome.failures += 1
                    continue
                inserted = connection.execute(_insert_ignore(articles).values(**_article_row(item, now))).rowcount
                if inserted:
                    outcome.stored += 1
                else:
                    outcome.already_present += 1
                connection.execute(
                    _insert_ignore(sources).values(
                        source_hash=item.source_hash,
                        source=item.source,
                        article_id=item.id,
                        ingested_at=now,
                    )
                )
        return outcome

    def count(self) -> int:
        """How many articles are stored."""
        with self.engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(articles)) or 0

    def get(self, article_id: str) -> Article | None:
        """The article with this id, or with this unique id prefix (at least 6 characters)."""
        with self.engine.connect() as connection:
            row = connection.execute(select(articles.c.data).where(articles.c.id == article_id)).first()
            if row is None and len(article_id) >= 6 and re.fullmatch(r"[0-9a-f]+", article_id):
                rows = connection.execute(
                    select(articles.c.data).where(articles.c.id.like(article_id + "%")).limit(2)
                ).all()
                row = rows[0] if len(rows) == 1 else None
        return Article.from_json_dict(json.loads(row[0])) if row is not None else None

    def iter_articles(self, batch_size: int = 200) -> Iterator[Article]:
        """Every stored article, oldest ingest first."""
        last_rowid = 0
        rowid: ColumnClause[int] = literal_column("rowid", Integer)
        while True:
            with self.engine.connect() as connection:
                rows = connection.execute(
                    select(rowid, articles.c.data).where(rowid > last_rowid).order_by(rowid).limit(batch_size)
                ).all()
            if not rows:
                return
            for row in rows:
                yield Article.from_json_dict(json.loads(row[1]))
            last_rowid = rows[-1][0]

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Articles whose headline or text match every word of the query, best first."""
        match = _fts_query(query)
        if not match:
            return []
        statement = text(
            "SELECT a.id, a.headline, a.published, a.site, "
            "snippet(articles_fts, 1, '[', ']', '…', 16) "
            "FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid "
            "WHERE articles_fts MATCH :match ORDER BY bm25(articles_fts, 2.0, 1.0) LIMIT :limit"
        )
        with self.engine.connect() as connection:
            rows = connection.execute(statement, {"match": match, "limit": limit}).all()
        return [SearchHit(*row) for row in rows]

    def failures(self) -> list[Failure]:
        """Every recorded failure, oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(failures.c.source, failures.c.stage, failures.c.reason, failures.c.source_hash).order_by(
                    failures.c.id
                )
            ).all()
        return [Failure(*row) for row in rows]


def _article_row(article: Article, now: str) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "site": article.site,
        "headline": article.headline,
        "published": article.published,
        "reference_date": article.reference_date,
        "language": article.language,
        "text": article.text,
        "data": json.dumps(article.to_json_dict(), ensure_ascii=False),
        "ingested_at": now,
    }


def _insert_ignore(table: Table) -> Any:
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing()


def _fts_query(query: str) -> str:
    """A safe FTS5 query: quoted phrases stay phrases, other words are each required."""
    phrases = re.findall(r'"([^"]+)"', query)
    rest = re.sub(r'"[^"]*"', " ", query)
    terms = [" ".join(re.findall(r"\w+", phrase)) for phrase in phrases]
    terms += re.findall(r"\w+", rest)
    return " ".join(f'"{term}"' for term in terms if term)


def _database_url(url_or_path: str | Path) -> str:
    value = str(url_or_path)
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # committed batches survive a killed process
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
