"""The write transaction: a batch of articles (with their facts and sources) and failures, known content kept once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DataError, IntegrityError

from newstrace.model import Article, Failure
from newstrace.store._engine import now, store_error_line
from newstrace.store._speaker_pages import page_rows
from newstrace.store.rows import article_row, fact_rows, speaker_rows
from newstrace.store.schema import (
    FACT_TABLES,
    articles,
    failures,
    sources,
    speaker_pages,
    statement_speakers,
    statements,
)

__all__ = ["WriteResult", "take_write_lock", "write_batch"]

# The PostgreSQL advisory lock a write transaction holds ("news" in ASCII): writers to one database take turns.
_WRITE_LOCK = 0x6E657773


@dataclass(slots=True)
class WriteResult:
    """What one batch write did."""

    stored: int = 0
    already_present: int = 0
    failures: int = 0
    # Articles the database refused (a value it cannot hold): each recorded as a failure, the rest of the batch kept.
    refused: list[Failure] = field(default_factory=list)


def take_write_lock(connection: Connection) -> None:
    """Wait for this database's turn to write (PostgreSQL's advisory lock; SQLite's write transaction holds its own)."""
    if connection.dialect.name == "postgresql":
        # One writer at a time, as SQLite's write lock makes it: article keys are then given in the order
        # stories are assigned and committed, the order the story index saw them.
        connection.execute(select(func.pg_advisory_xact_lock(_WRITE_LOCK)))


def write_batch(
    connection: Connection, batch: Sequence[Article | Failure]
) -> tuple[WriteResult, list[tuple[int, Article]]]:
    """Write a batch in the open write transaction; return what it did and the articles stored anew, with their keys."""
    outcome = WriteResult()
    written = now()
    stored: list[tuple[int, Article]] = []
    take_write_lock(connection)
    for item in batch:
        if isinstance(item, Failure):
            outcome.failures += 1
            _record_failure(connection, item, written)
            continue
        try:
            # A savepoint per article: a value the database refuses undoes this article alone, not its batch.
            with connection.begin_nested():
                pk = _write_article(connection, item, written)
        except (DataError, IntegrityError) as error:
            reason = f"the database refused the article ({store_error_line(error.orig)})"
            refused = Failure(item.source, "store", _one_line(reason), item.source_hash)
            outcome.failures += 1
            outcome.refused.append(refused)
            _record_failure(connection, refused, written)
            continue
        if pk is not None:
            outcome.stored += 1
            stored.append((pk, item))
        else:
            outcome.already_present += 1
    return outcome, stored


def _write_article(connection: Connection, article: Article, written: str) -> int | None:
    """Insert the article, its facts and its source row; the article's new key, or None where it was stored before."""
    pk: int | None = connection.scalar(
        _insert_ignore(connection, articles).values(**article_row(article, written)).returning(articles.c.pk)
    )
    if pk is not None:
        _write_facts(connection, article, pk)
    connection.execute(
        _insert_ignore(connection, sources).values(
            source_hash=article.source_hash,
            source=article.source,
            article_id=article.id,
            ingested_at=written,
        )
    )
    return pk


def _record_failure(connection: Connection, failure: Failure, written: str) -> None:
    """Record a failure, once: a re-run meets the same bad input (same bytes) again and it stays recorded once."""
    recorded = select(failures.c.id).where(
        failures.c.source == failure.source,
        failures.c.source_hash.is_not_distinct_from(failure.source_hash),
        failures.c.stage == failure.stage,
        failures.c.reason == failure.reason,
    )
    if connection.scalar(recorded.limit(1)) is not None:
        return
    connection.execute(
        insert(failures).values(
            source=failure.source,
            source_hash=failure.source_hash,
            stage=failure.stage,
            reason=failure.reason,
            failed_at=written,
        )
    )


def _one_line(reason: str) -> str:
    """A reason the failures table can hold and a terminal prints on one line: controls out, 300 characters at most."""
    return "".join(char if char.isprintable() else " " for char in reason)[:300]


def _write_facts(connection: Connection, article: Article, pk: int) -> None:
    rows = fact_rows(article, pk)
    for table in FACT_TABLES:
        if rows[table.name]:
            connection.execute(insert(table), rows[table.name])
    if any(quote.speaker is not None for quote in article.quotes):
        # The statements' keys in insertion order (one writer at a time), read back through the article's index.
        keys = list(
            connection.scalars(select(statements.c.pk).where(statements.c.article == pk).order_by(statements.c.pk))
        )
        words = speaker_rows(article, keys)
        if words:
            connection.execute(insert(statement_speakers), words)
        pages = page_rows(article, keys, words)
        if pages:
            connection.execute(insert(speaker_pages), pages)


def _insert_ignore(connection: Connection, table: Any) -> Any:
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing()
