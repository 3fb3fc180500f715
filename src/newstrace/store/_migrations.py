"""Versioned schema migrations, each applied once, in order, inside the transaction that records it.

Migrations are frozen: each carries the tables (``_history``) and the row code it needs, written as its release
wrote them, and none reads today's schema, rows helpers or story index. The one thing an old migration reads
through today's code is the v2 article JSON, through ``Article.from_json_dict``: the versioned JSON form
(``model.SCHEMA_VERSION``) that reads every JSON newstrace wrote. Migration 6 creates the story tables empty: the
store's story keeper then assigns the articles stored before it, in the same transaction (``STORY_VERSION``).
Migrations 8 and 10 (``_speaker_migration``, kept apart for this module's length); 8 romanises names through
``model.transliterate``, the one transliteration every release uses.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, LargeBinary, Text, column, insert, literal_column, select, table, text, update
from sqlalchemy.engine import Connection

from newstrace.model import Article
from newstrace.store._history import (
    ARTICLES_DATE_V4,
    FACT_TABLES_V3,
    NARROWED_V5,
    SPAN_TEXTS_V3,
    STORY_INDEX_V9,
    STORY_TABLES_V6,
    articles_v1,
    articles_v3,
    failures_v1,
    sources_v1,
)
from newstrace.store._speaker_migration import speaker_index, speaker_pages

__all__ = ["MIGRATIONS", "STORY_VERSION", "Migration"]


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step; applied once, in order, inside a transaction."""

    version: int
    description: str
    apply: Callable[[Connection], None]


def _create_core_tables(connection: Connection) -> None:
    articles_v1.create(connection)
    for created in (sources_v1, failures_v1):
        created.create(connection, checkfirst=True)


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
    for created in (articles_v3, *FACT_TABLES_V3):
        created.create(connection, checkfirst=True)
    _create_v3_full_text(connection)
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
            # Read through the versioned JSON form: it refuses a schema newer than this code and fills defaults.
            article = Article.from_json_dict(json.loads(data)).to_json_dict()
            pk = connection.scalar(
                insert(articles_v3).values(**_v3_article_row(article, ingested_at)).returning(articles_v3.c.pk)
            )
            assert pk is not None
            facts_by_table = _v3_fact_rows(article, pk)
            for fact_table in FACT_TABLES_V3:
                if facts_by_table[fact_table.name]:
                    connection.execute(insert(fact_table), facts_by_table[fact_table.name])
            last = position
    connection.execute(text("DROP TABLE articles_v2"))


def _create_v3_full_text(connection: Connection) -> None:
    """v3's full-text index: FTS5 keyed by ``pk`` and kept by triggers on SQLite; a tsvector column on PostgreSQL."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text(
                "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
                "setweight(to_tsvector('simple', coalesce(headline, '')), 'A') || "
                "setweight(to_tsvector('simple', text), 'B')) STORED"
            )
        )
        connection.execute(text("CREATE INDEX ix_articles_search_vector ON articles USING GIN (search_vector)"))
        return
    statements = [
        "CREATE VIRTUAL TABLE articles_fts USING fts5("
        "headline, text, content=[articles], content_rowid=[pk], tokenize='unicode61 remove_diacritics 2')",
        "CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts(rowid, headline, text) VALUES (new.pk, new.headline, new.text); END",
        "CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, headline, text) "
        "VALUES ('delete', old.pk, old.headline, old.text); END",
        "CREATE TRIGGER articles_au AFTER UPDATE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, headline, text) "
        "VALUES ('delete', old.pk, old.headline, old.text); "
        "INSERT INTO articles_fts(rowid, headline, text) VALUES (new.pk, new.headline, new.text); END",
        "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
    ]
    for statement in statements:
        connection.execute(text(statement))


# Article JSON fields that v3 keeps in columns of ``articles`` or in fact tables, not in its compact JSON.
_V3_COLUMNS = ("id", "source", "url", "site", "headline", "published", "reference_date", "language", "text")
_V3_FACT_FIELDS = ("entities", "entities_index", "quotes", "times", "quantities", "headline_check")
# The headline check fields that columns of ``headline_checks`` hold.
_CHECK_COLUMNS = ("stance", "form", "misleading", "clickbait", "reason")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _v3_article_row(article: dict[str, Any], ingested_at: str) -> dict[str, Any]:
    """The v3 ``articles`` row of an Article's JSON: its columns, and the rest as compact JSON without span texts."""
    data = {key: value for key, value in article.items() if key not in (*_V3_COLUMNS, *_V3_FACT_FIELDS)}
    data["paragraphs"] = [[p["start"], p["end"]] for p in article["paragraphs"]]
    data["source_map"] = [
        [s["start"], s["end"], s["raw_start"], s["raw_end"], s["exact"]] for s in article["source_map"]
    ]
    return {
        **{name: article[name] for name in _V3_COLUMNS},
        "data": zlib.compress(_dumps(data).encode()),
        "ingested_at": ingested_at,
    }


def _v3_fact_rows(article: dict[str, Any], pk: int) -> dict[str, list[dict[str, Any]]]:
    """The v3 fact rows of an Article's JSON: keyed by pk, entities with their key, each span's text stored."""
    body: str = article["text"]

    def cut(span: dict[str, Any] | None) -> tuple[int | None, int | None, str | None]:
        if span is None:
            return None, None, None
        return span["start"], span["end"], body[span["start"] : span["end"]]

    def listed(values: list[str]) -> str | None:
        return json.dumps(values, ensure_ascii=False) if values else None

    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in (t.name for t in FACT_TABLES_V3)}
    for entity in article["entities_index"]:
        normalised = " ".join(entity["name"].casefold().split())
        rows["entities"].append(
            {
                "article": pk,
                "entity_id": entity["id"],
                # The content-derived key: the same label and name (case and spacing aside) give the same key.
                "key": hashlib.sha256(f"{entity['label']}\x00{normalised}".encode()).hexdigest()[:16],
                "name": entity["name"],
                "label": entity["label"],
                "aliases": listed(entity["aliases"]),
                "roles": listed(entity["roles"]),
                "affiliation": entity["affiliation"],
                "stands_for": entity["stands_for"],
            }
        )
    for mention in article["entities"]:
        start, end, said = cut(mention)
        rows["mentions"].append(
            {
                "article": pk,
                "entity_id": mention["entity_id"],
                "label": mention["label"],
                "start": start,
                "end": end,
                "stands_for": mention["stands_for"],
                "text": said,
            }
        )
    for quote in article["quotes"]:
        speaker = quote["speaker"]
        content_start, content_end, content = cut(quote["content"])
        cue_start, cue_end, cue = cut(quote["cue"])
        speaker_start, speaker_end, speaker_text = cut(speaker["mention"] if speaker is not None else None)
        rows["statements"].append(
            {
                "article": pk,
                "kind": quote["kind"],
                "content_start": content_start,
                "content_end": content_end,
                "cue_start": cue_start,
                "cue_end": cue_end,
                "cue_lemma": quote["cue_lemma"],
                "has_speaker": speaker is not None,
                "speaker_start": speaker_start,
                "speaker_end": speaker_end,
                "speaker_entity_id": speaker["entity_id"] if speaker is not None else None,
                "speaker_name": speaker["name"] if speaker is not None else None,
                "speaker_rule": speaker["rule"] if speaker is not None else None,
                "channel": quote["channel"],
                "said_on": quote["date"],
                "date_source": quote["date_source"],
                "confidence": quote["confidence"],
                "content_text": content,
                "cue_text": cue,
                "speaker_text": speaker_text,
            }
        )
    for name, fields in (
        ("times", ("type", "value", "mod", "anchor")),
        ("quantities", ("value", "unit", "subject", "approximate", "kind")),
    ):
        for fact in article[name]:
            start, end, said = cut(fact)
            rows[name].append(
                {"article": pk, "start": start, "end": end, **{field: fact[field] for field in fields}, "text": said}
            )
    check = article["headline_check"]
    if check is not None:
        # The whole check as JSON, its evidence sentences as [start, end]: they are cut from the text.
        evidence = [{**e, "span": [e["span"]["start"], e["span"]["end"]]} for e in check["evidence"]]
        rows["headline_checks"].append(
            {
                "article": pk,
                **{name: check[name] for name in _CHECK_COLUMNS},
                "data": _dumps({**check, "evidence": evidence}),
            }
        )
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
    stored = table("articles", column("pk", Integer), column("data", LargeBinary))
    last = 0
    while True:
        rows = connection.execute(
            select(stored.c.pk, stored.c.data).where(stored.c.pk > last).order_by(stored.c.pk).limit(200)
        ).all()
        if not rows:
            break
        for pk, data in rows:
            compact = _v4_columnar(json.loads(zlib.decompress(data)))
            encoded = zlib.compress(_dumps(compact).encode())
            connection.execute(update(stored).where(stored.c.pk == pk).values(data=encoded))
        last = rows[-1].pk
    for table_name, texts in SPAN_TEXTS_V3.items():
        for name in texts:
            connection.execute(text(f"ALTER TABLE {table_name} DROP COLUMN {name}"))
    connection.execute(text("DROP INDEX ix_articles_published"))
    connection.execute(text("DROP INDEX ix_articles_reference_date"))
    connection.execute(text("DROP INDEX ix_entities_key"))
    ARTICLES_DATE_V4.create(connection)
    if connection.dialect.name == "sqlite":
        # One row per indexed word, read by range to expand a prefix; PostgreSQL's GIN index needs none.
        connection.execute(text("CREATE VIRTUAL TABLE articles_fts_vocabulary USING fts5vocab(articles_fts, row)"))


def _v4_columnar(data: dict[str, Any]) -> dict[str, Any]:
    """v3's compact JSON (one list or object per removed span, paragraph and source segment) as v4's columns:
    offsets as differences from the previous one, a removed span's end from its text's length, each reason once."""

    def differences(values: list[int]) -> list[int]:
        return [value - previous for previous, value in zip([0, *values], values, strict=False)]

    removed = data["removed"]
    reasons = list(dict.fromkeys(span["reason"] for span in removed))
    number = {reason: index for index, reason in enumerate(reasons)}
    paragraphs, segments = data["paragraphs"], data["source_map"]
    return {
        **data,
        "removed": {
            "reasons": reasons,
            "reason": [number[span["reason"]] for span in removed],
            "start": differences([span["start"] for span in removed]),
            "end": [span["end"] - span["start"] - len(span["text"]) for span in removed],
            "text": [span["text"] for span in removed],
        },
        "paragraphs": {
            "start": differences([start for start, _ in paragraphs]),
            "length": [end - start for start, end in paragraphs],
        },
        "source_map": {
            "start": differences([segment[0] for segment in segments]),
            "length": [segment[1] - segment[0] for segment in segments],
            "raw_start": differences([segment[2] for segment in segments]),
            "raw_length": [segment[3] - segment[2] for segment in segments],
            "exact": [segment[4] for segment in segments],
        },
    }


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
    no query reads it, and ``rows.entity_key`` computes it from the label and name. A headline check's JSON
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
        NARROWED_V5[name].create(connection)
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
    checks_table = table("headline_checks", column("article", Integer), column("data", Text))
    last = 0
    while True:
        checks = connection.execute(
            select(checks_table.c.article, checks_table.c.data)
            .where(checks_table.c.article > last)
            .order_by(checks_table.c.article)
            .limit(500)
        ).all()
        if not checks:
            break
        for article, data in checks:
            compact = _dumps(_v5_compact_check(json.loads(data)))
            connection.execute(update(checks_table).where(checks_table.c.article == article).values(data=compact))
        last = checks[-1].article


# The defaults of HeadlineCheck, HeadlineClaim and EvidenceSentence as v5 wrote them: a field at its default is left
# out of the compact JSON (of the same type too: 0 is not False, nor 0.0 an absent None).
_CHECK_DEFAULTS: dict[str, Any] = {
    "probabilities": {},
    "form": None,
    "claims": [],
    "evidence": [],
    "clickbait": None,
    "misleading": False,
    "reason": None,
    "explanation": None,
    "clickbait_style": False,
}
_CLAIM_DEFAULTS: dict[str, Any] = {"probabilities": {}, "question": False, "basis": "model", "speaker": None}
_EVIDENCE_DEFAULTS: dict[str, Any] = {"claim": None}


def _v5_compact_check(data: dict[str, Any]) -> dict[str, Any]:
    """A headline check's JSON without what the ``headline_checks`` columns hold or a field's default gives."""

    def without_defaults(defaults: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        return {
            key: value
            for key, value in values.items()
            if not (key in defaults and type(value) is type(defaults[key]) and value == defaults[key])
        }

    compact = without_defaults(
        _CHECK_DEFAULTS, {key: value for key, value in data.items() if key not in _CHECK_COLUMNS}
    )
    if "claims" in compact:
        compact["claims"] = [without_defaults(_CLAIM_DEFAULTS, claim) for claim in compact["claims"]]
    if "evidence" in compact:
        compact["evidence"] = [without_defaults(_EVIDENCE_DEFAULTS, evidence) for evidence in compact["evidence"]]
    return compact


def _story_tables(connection: Connection) -> None:
    """v6: stories, their members and the lineage the texts state, kept as articles arrive. The tables are created
    empty: the store's story keeper assigns the articles stored before them, in the same transaction."""
    for created in STORY_TABLES_V6:
        created.create(connection, checkfirst=True)


def _story_index(connection: Connection) -> None:
    """v9: the story index's state, created empty. The store's story keeper fills it from the stored members, in
    the order they were stored, in transactions of a few thousand (resumable), before its first write."""
    for created in STORY_INDEX_V9:
        created.create(connection, checkfirst=True)


def _failure_source_index(connection: Connection) -> None:
    """v7: failures found by their source, so that re-running an ingest records each failure once.

    PostgreSQL's is a hash index: a B-tree entry cannot hold a source as long as some paths are.
    """
    method = " USING hash" if connection.dialect.name == "postgresql" else ""
    connection.execute(text(f"CREATE INDEX IF NOT EXISTS ix_failures_source ON failures{method} (source)"))


# The migration that creates the story tables: from it on, every stored article is a member of a story.
STORY_VERSION = 6

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
    Migration(
        STORY_VERSION, "stories, story members and stated lineage, assigned as articles are stored", _story_tables
    ),
    Migration(7, "failures indexed by source: a re-run records each failure once", _failure_source_index),
    Migration(8, "the words of each statement's speaker, indexed: speaker filters read no scan", speaker_index),
    Migration(
        9, "the story index's state in tables: a writer reads its candidates' rows, replays nothing", _story_index
    ),
    Migration(10, "each statement's speaker words by date: a speaker's page is read in order", speaker_pages),
]
