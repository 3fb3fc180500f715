"""Versioned schema migrations, each applied once, in order, inside the transaction that records it."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Integer, Text, column, insert, literal_column, select, table, text, update
from sqlalchemy.engine import Connection

from newstrace.corpus.story_index import StoryDoc
from newstrace.model import Article
from newstrace.store._fulltext import full_text_for
from newstrace.store.rows import (
    FactRows,
    article_row,
    check_data,
    columnar_data,
    compact_check_data,
    entity_key,
    fact_rows,
    with_span_texts,
)
from newstrace.store.schema import (
    FACT_TABLES_V3,
    SPAN_TEXTS,
    STORY_TABLES,
    articles,
    articles_v1,
    articles_v3,
    failures,
    headline_checks,
    metadata,
    sources,
)

__all__ = ["MIGRATIONS", "Migration"]


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step; applied once, in order, inside a transaction."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def _create_core_tables(connection: Connection) -> None:
    articles_v1.create(connection)
    metadata.create_all(connection, tables=[sources, failures])


def _create_v2_full_text(connection: Connection) -> None:
    """FTS5 as v2 declared it (``content='articles'``, rowid-keyed); PostgreSQL support starts at v3."""
    if connection.dialect.name != "sqlite":
        return
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


def _fact_tables(connection: Connection) -> None:
    """v3: the facts move out of the Article JSON into tables; the text stays in one place.

    The v2 articles table is renamed aside, the v3 tables are created, and every article is rewritten (compact
    JSON plus its fact rows) in insertion order, so ingest order and the full-text index carry over.
    """
    if connection.dialect.name == "sqlite":
        for name in ("articles_fts_insert", "articles_fts_delete", "articles_fts_update"):
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        connection.execute(text("DROP TABLE IF EXISTS articles_fts"))
    connection.execute(text("ALTER TABLE articles RENAME TO articles_v2"))
    if connection.dialect.name == "postgresql":
        # Index names are schema-wide on PostgreSQL: the new table's primary key would collide with the old one's.
        connection.execute(text("ALTER INDEX articles_pkey RENAME TO articles_v2_pkey"))
    articles_v3.metadata.create_all(connection, tables=[articles_v3, *FACT_TABLES_V3])
    full_text_for(connection.dialect.name).create(connection)
    old = table("articles_v2", column("data", Text), column("ingested_at", Text))
    order = literal_column("rowid", Integer) if connection.dialect.name == "sqlite" else old.c.ingested_at
    last = None
    while True:
        batch = select(order.label("position"), old.c.data, old.c.ingested_at).order_by(order).limit(200)
        if last is not None:
            batch = batch.where(order > last)
        rows = connection.execute(batch).all()
        if not rows:
            break
        for position, data, ingested_at in rows:
            article = Article.from_json_dict(json.loads(data))
            pk = connection.scalar(
                insert(articles_v3)
                .values(**article_row(article, ingested_at, columnar=False))
                .returning(articles_v3.c.pk)
            )
            assert pk is not None
            facts_by_table = _v4_fact_rows(article, pk)
            for fact_table in FACT_TABLES_V3:
                # v3 stored each span's text beside its offsets.
                facts = [
                    with_span_texts(fact_table.name, fact, article.text) for fact in facts_by_table[fact_table.name]
                ]
                if facts:
                    connection.execute(insert(fact_table), facts)
            last = position
    connection.execute(text("DROP TABLE articles_v2"))


def _v4_fact_rows(article: Article, pk: int) -> FactRows:
    """The fact rows as v3 and v4 laid them out: keyed by pk, entities with their key, mentions with id and label."""
    rows = fact_rows(article, pk)
    for name in ("entities", "mentions", "times", "quantities"):
        for row in rows[name]:
            del row["number"]
    for row in rows["entities"]:
        row["key"] = entity_key(row["label"], row["name"])
    for row, mention in zip(rows["mentions"], article.entities, strict=True):
        del row["entity"]
        row.update(entity_id=mention.entity_id, label=mention.label)
    if article.headline_check is not None:
        (check,) = rows["headline_checks"]
        check["data"] = json.dumps(check_data(article.headline_check), ensure_ascii=False, separators=(",", ":"))
    return rows


def _compact_facts(connection: Connection) -> None:
    """v4: span texts are cut from the article's text instead of stored twice; the rest of the Article JSON is
    written as columns of differences; one index serves the date filters and the unused entity-key index goes;
    SQLite gets the full-text vocabulary that search expands prefixes with."""
    if connection.dialect.name == "sqlite":
        # Only a new headline or text changes what the full-text index holds (v3 re-indexed on any update).
        connection.execute(text("DROP TRIGGER articles_au"))
        connection.execute(
            text(
                "CREATE TRIGGER articles_au AFTER UPDATE OF headline, text ON articles BEGIN "
                "INSERT INTO articles_fts(articles_fts, rowid, headline, text) "
                "VALUES ('delete', old.pk, old.headline, old.text); "
                "INSERT INTO articles_fts(rowid, headline, text) VALUES (new.pk, new.headline, new.text); END"
            )
        )
    last = 0
    while True:
        rows = connection.execute(
            select(articles.c.pk, articles.c.data).where(articles.c.pk > last).order_by(articles.c.pk).limit(200)
        ).all()
        if not rows:
            break
        for pk, data in rows:
            compact = columnar_data(json.loads(zlib.decompress(data)))
            encoded = zlib.compress(json.dumps(compact, ensure_ascii=False, separators=(",", ":")).encode())
            connection.execute(update(articles).where(articles.c.pk == pk).values(data=encoded))
        last = rows[-1].pk
    for table_name, texts in SPAN_TEXTS.items():
        for name in texts:
            connection.execute(text(f"ALTER TABLE {table_name} DROP COLUMN {name}"))
    connection.execute(text("DROP INDEX ix_articles_published"))
    connection.execute(text("DROP INDEX ix_articles_reference_date"))
    connection.execute(text("DROP INDEX ix_entities_key"))
    for index in articles.indexes:
        if index.name == "ix_articles_date":
            index.create(connection)
    full_text_for(connection.dialect.name).add_vocabulary(connection)


# What migration 5 copies into each narrowed table: its columns, each from an expression on the v4 row (``v4``)
# and, for mentions, on the article's entity its id named (``entity``, already copied).
_NARROWED: dict[str, str | dict[str, str]] = {
    "entities": "entity_id, name, label, aliases, roles, affiliation, stands_for",
    "mentions": {
        "entity": "entity.number",
        "entity_id": "CASE WHEN entity.number IS NULL THEN v4.entity_id END",
        "label": "CASE WHEN entity.label = v4.label THEN NULL ELSE v4.label END",
        "start": "v4.start",
        '"end"': 'v4."end"',
        "stands_for": "v4.stands_for",
    },
    "times": 'start, "end", type, value, mod, anchor',
    "quantities": 'start, "end", value, unit, subject, approximate, kind',
}


def _narrow_facts(connection: Connection) -> None:
    """v5: entities, mentions, times and figures keyed by (article, number), without a key or index of their own.

    Each table is renamed aside, created anew (on SQLite a WITHOUT ROWID table on that key) and filled in one
    statement, numbering each article's rows in their old order; entities go first, so that a mention can name its
    entity by number and leave out the id and label the entity holds. The content-derived entity key is dropped:
    no query reads it, and ``facts.entity_key`` computes it from the label and name. A headline check's JSON
    leaves out what its row's columns hold and the fields at their defaults.
    """
    old_indexes = ("ix_entities_article_entity", "ix_mentions_article", "ix_times_article", "ix_quantities_article")
    for index in old_indexes:
        connection.execute(text(f"DROP INDEX {index}"))
    for name, columns in _NARROWED.items():
        connection.execute(text(f"ALTER TABLE {name} RENAME TO {name}_v4"))
        if connection.dialect.name == "postgresql":
            # Index names are schema-wide on PostgreSQL: the new table's primary key would collide with the old one's.
            connection.execute(text(f"ALTER INDEX {name}_pkey RENAME TO {name}_v4_pkey"))
        metadata.tables[name].create(connection)
        number = "row_number() OVER (PARTITION BY v4.article ORDER BY v4.pk) - 1"
        if isinstance(columns, str):
            targets, values = columns, ", ".join(f"v4.{column.strip()}" for column in columns.split(","))
            joined = f"{name}_v4 v4"
        else:
            targets, values = ", ".join(columns), ", ".join(columns.values())
            joined = (
                f"{name}_v4 v4 LEFT JOIN entities entity "
                "ON entity.article = v4.article AND entity.entity_id = v4.entity_id"
            )
        # In key order, so each B-tree is filled by appending.
        connection.execute(
            text(
                f"INSERT INTO {name} (article, number, {targets}) "
                f"SELECT v4.article, {number}, {values} FROM {joined} ORDER BY v4.article, v4.pk"
            )
        )
        connection.execute(text(f"DROP TABLE {name}_v4"))
    last = 0
    while True:
        checks = connection.execute(
            select(headline_checks.c.article, headline_checks.c.data)
            .where(headline_checks.c.article > last)
            .order_by(headline_checks.c.article)
            .limit(500)
        ).all()
        if not checks:
            break
        for article, data in checks:
            compact = json.dumps(compact_check_data(json.loads(data)), ensure_ascii=False, separators=(",", ":"))
            connection.execute(update(headline_checks).where(headline_checks.c.article == article).values(data=compact))
        last = checks[-1].article


def _story_tables(connection: Connection) -> None:
    """v6: stories, their members and the lineage the texts state, kept as articles arrive; the stored articles are
    assigned here once, in the order they were stored, as ingest would have assigned them."""
    from newstrace.store._story_tables import StoryKeeper, stored_docs

    metadata.create_all(connection, tables=list(STORY_TABLES))
    keeper = StoryKeeper(connection.engine)
    # The story view of each article is read from its columns: decoding whole Articles cost more than assigning them.
    # The changed stories are written once per 2,000 articles: on a store where every batch touches most stories,
    # writing them after each few hundred cost more than the assignments.
    batch: list[tuple[int, StoryDoc]] = []
    for stored in stored_docs(connection):
        batch.append(stored)
        if len(batch) == 2000:
            keeper.add_docs(connection, batch)
            batch = []
    keeper.add_docs(connection, batch)


def _failure_source_index(connection: Connection) -> None:
    """v7: failures found by their source, so that re-running an ingest records each failure once.

    PostgreSQL's is a hash index: a B-tree entry cannot hold a source as long as some paths are.
    """
    method = " USING hash" if connection.dialect.name == "postgresql" else ""
    connection.execute(text(f"CREATE INDEX IF NOT EXISTS ix_failures_source ON failures{method} (source)"))


MIGRATIONS = [
    Migration(1, "articles, sources and failures tables", _create_core_tables),
    Migration(2, "full-text index over headline and text", _create_v2_full_text),
    Migration(3, "fact tables (entities, mentions, statements, times, quantities, headline checks)", _fact_tables),
    Migration(
        4,
        "span texts cut from the article text, article JSON as columns, one date index, full-text vocabulary",
        _compact_facts,
    ),
    Migration(
        5,
        "entities, mentions, times and figures keyed by article and number, mentions naming their entity by number, "
        "headline check JSON without its columns and defaults",
        _narrow_facts,
    ),
    Migration(6, "stories, story members and stated lineage, assigned as articles are stored", _story_tables),
    Migration(7, "failures indexed by source: a re-run records each failure once", _failure_source_index),
]
