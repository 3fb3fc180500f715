"""The write transaction: a batch of articles (with their facts and sources) and failures, known content kept once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from newstrace.model import Article, Failure
from newstrace.store._engine import now
from newstrace.store.rows import article_row, fact_rows
from newstrace.store.schema import FACT_TABLES, articles, failures, sources

__all__ = ["WriteResult", "write_batch"]

# The PostgreSQL advisory lock a write transaction holds ("news" in ASCII): writers to one database take turns.
_WRITE_LOCK = 0x6E657773


@dataclass(slots=True)
class WriteResult:
    """What one batch write did."""

    stored: int = 0
    already_present: int = 0
    failures: int = 0


def write_batch(
    connection: Connection, batch: Sequence[Article | Failure]
) -> tuple[WriteResult, list[tuple[int, Article]]]:
    """Write a batch in the open write transaction; return what it did and the articles stored anew, with their keys."""
    outcome = WriteResult()
    written = now()
    stored: list[tuple[int, Article]] = []
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
                    failed_at=written,
                )
            )
            continue
        pk = connection.scalar(
            _insert_ignore(connection, articles).values(**article_row(item, written)).returning(articles.c.pk)
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
                ingested_at=written,
            )
        )
    return outcome, stored


def _write_facts(connection: Connection, article: Article, pk: int) -> None:
    rows = fact_rows(article, pk)
    for table in FACT_TABLES:
        if rows[table.name]:
            connection.execute(insert(table), rows[table.name])


def _insert_ignore(connection: Connection, table: Any) -> Any:
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing()
