"""The tables as each schema version created them, frozen: the migrations build from these, never from schema.py.

Each version's tables live in their own MetaData, written out in full, so that a change to today's tables
(``schema.py``) cannot change what an old migration creates. An ``articles`` table that a version only points at
(its foreign keys) is declared with its key alone and never created from here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
)

__all__ = [
    "ARTICLES_DATE_V4",
    "FACT_TABLES_V3",
    "NARROWED_V5",
    "SPAN_TEXTS_V3",
    "STATEMENT_SPEAKERS_V8",
    "STORY_INDEX_V9",
    "STORY_TABLES_V6",
    "articles_v1",
    "articles_v3",
    "failures_v1",
    "sources_v1",
]

# v1 (and v2, which added only the full-text index): the whole Article JSON in ``articles.data``.
_v1 = MetaData()
articles_v1 = Table(
    "articles",
    _v1,
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
sources_v1 = Table(
    "sources",
    _v1,
    Column("source_hash", String(64), primary_key=True),
    Column("source", Text, nullable=False),
    Column("article_id", String(64), nullable=False),
    Column("ingested_at", String(32), nullable=False),
)
failures_v1 = Table(
    "failures",
    _v1,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("source_hash", String(64)),
    Column("stage", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("failed_at", String(32), nullable=False),
)

# v3: an integer article key, the facts in tables of their own, each span's text stored beside its offsets.
_v3 = MetaData()
articles_v3 = Table(
    "articles",
    _v3,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("id", String(64), nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("url", Text),
    Column("site", Text),
    Column("headline", Text),
    Column("published", String(10)),
    Column("reference_date", String(10)),
    Column("language", String(16)),
    Column("text", Text, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("ingested_at", String(32), nullable=False),
    Index("ix_articles_site", "site"),
    Index("ix_articles_published", "published"),
    Index("ix_articles_reference_date", "reference_date"),
)


def _v3_fact_table(name: str, *items: Column[Any] | Index) -> Table:
    return Table(
        name,
        _v3,
        Column("pk", Integer, primary_key=True, autoincrement=True),
        Column("article", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), nullable=False),
        *items,
    )


FACT_TABLES_V3 = (
    _v3_fact_table(
        "entities",
        Column("entity_id", String(64), nullable=False),
        Column("key", String(16), nullable=False),
        Column("name", Text, nullable=False),
        Column("label", String(16), nullable=False),
        Column("aliases", Text),
        Column("roles", Text),
        Column("affiliation", Text),
        Column("stands_for", Text),
        Index("ix_entities_article_entity", "article", "entity_id", unique=True),
        Index("ix_entities_key", "key"),
    ),
    _v3_fact_table(
        "mentions",
        Column("entity_id", String(64)),
        Column("label", String(16), nullable=False),
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
        Column("stands_for", Text),
        Column("text", Text, nullable=False),
        Index("ix_mentions_article", "article"),
    ),
    _v3_fact_table(
        "statements",
        Column("kind", String(32), nullable=False),
        Column("content_start", Integer, nullable=False),
        Column("content_end", Integer, nullable=False),
        Column("cue_start", Integer),
        Column("cue_end", Integer),
        Column("cue_lemma", String(64)),
        Column("has_speaker", Boolean, nullable=False),
        Column("speaker_start", Integer),
        Column("speaker_end", Integer),
        Column("speaker_entity_id", String(64)),
        Column("speaker_name", Text),
        Column("speaker_rule", String(32)),
        Column("channel", Text),
        Column("said_on", String(32)),
        Column("date_source", String(32)),
        Column("confidence", Float, nullable=False),
        Column("content_text", Text, nullable=False),
        Column("cue_text", Text),
        Column("speaker_text", Text),
        Index("ix_statements_article", "article"),
    ),
    _v3_fact_table(
        "times",
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
        Column("type", String(16), nullable=False),
        Column("value", String(64)),
        Column("mod", String(16)),
        Column("anchor", String(64)),
        Column("text", Text, nullable=False),
        Index("ix_times_article", "article"),
    ),
    _v3_fact_table(
        "quantities",
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
        Column("value", Float, nullable=False),
        Column("unit", Text),
        Column("subject", Text),
        Column("approximate", Text),
        Column("kind", String(32), nullable=False),
        Column("text", Text, nullable=False),
        Index("ix_quantities_article", "article"),
    ),
    Table(
        "headline_checks",
        _v3,
        Column("article", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True),
        Column("stance", String(16), nullable=False),
        Column("form", String(32)),
        Column("misleading", Boolean, nullable=False),
        Column("clickbait", Float),
        Column("reason", Text),
        Column("data", Text, nullable=False),
    ),
)

# The span-text columns v3 stored beside their offsets (v4 drops them), with the offsets each is cut by.
SPAN_TEXTS_V3 = {
    "mentions": {"text": ("start", "end")},
    "statements": {
        "content_text": ("content_start", "content_end"),
        "cue_text": ("cue_start", "cue_end"),
        "speaker_text": ("speaker_start", "speaker_end"),
    },
    "times": {"text": ("start", "end")},
    "quantities": {"text": ("start", "end")},
}

# v4: the date search filters on (the publication date, else the reference date), as one expression index.
_v4 = MetaData()
_articles_v4 = Table("articles", _v4, Column("published", String(10)), Column("reference_date", String(10)))
ARTICLES_DATE_V4 = Index("ix_articles_date", func.coalesce(_articles_v4.c.published, _articles_v4.c.reference_date))

# v5: entities, mentions, times and figures keyed by (article, number), WITHOUT ROWID on SQLite.
_v5 = MetaData()
Table("articles", _v5, Column("pk", Integer, primary_key=True))


def _numbered_v5(name: str, *columns: Column[Any]) -> Table:
    return Table(
        name,
        _v5,
        Column("article", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True),
        Column("number", Integer, primary_key=True, autoincrement=False),
        *columns,
        sqlite_with_rowid=False,
    )


NARROWED_V5 = {
    table.name: table
    for table in (
        _numbered_v5(
            "entities",
            Column("entity_id", String(64), nullable=False),
            Column("name", Text, nullable=False),
            Column("label", String(16), nullable=False),
            Column("aliases", Text),
            Column("roles", Text),
            Column("affiliation", Text),
            Column("stands_for", Text),
        ),
        _numbered_v5(
            "mentions",
            Column("entity", Integer),
            Column("entity_id", String(64)),
            Column("label", String(16)),
            Column("start", Integer, nullable=False),
            Column("end", Integer, nullable=False),
            Column("stands_for", Text),
        ),
        _numbered_v5(
            "times",
            Column("start", Integer, nullable=False),
            Column("end", Integer, nullable=False),
            Column("type", String(16), nullable=False),
            Column("value", String(64)),
            Column("mod", String(16)),
            Column("anchor", String(64)),
        ),
        _numbered_v5(
            "quantities",
            Column("start", Integer, nullable=False),
            Column("end", Integer, nullable=False),
            Column("value", Float, nullable=False),
            Column("unit", Text),
            Column("subject", Text),
            Column("approximate", Text),
            Column("kind", String(32), nullable=False),
        ),
    )
}

# v6: stories, their members and the lineage each text states, pointing at articles by their integer key.
_v6 = MetaData()
Table("articles", _v6, Column("pk", Integer, primary_key=True))
STORY_TABLES_V6 = (
    Table(
        "stories",
        _v6,
        Column("story", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True, autoincrement=False),
        Column("origin", Integer, nullable=False),
        Column("first_seen", String(32)),
        Column("last_seen", String(32)),
        Column("size", Integer, nullable=False),
    ),
    Table(
        "story_members",
        _v6,
        Column(
            "article", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True, autoincrement=False
        ),
        Column("story", Integer, nullable=False),
        Column("relation", String(16), nullable=False),
        Column("similarity", Float, nullable=False),
        Column("copy_of", Integer),
        Index("ix_story_members_story", "story"),
    ),
    Table(
        "story_lineage",
        _v6,
        Column("pk", Integer, primary_key=True, autoincrement=True),
        Column("article", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), nullable=False),
        Column("source", Text, nullable=False),
        Column("cue", String(32), nullable=False),
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
        Index("ix_story_lineage_article", "article"),
    ),
)

# v8: the words a speaker filter finds a statement by, keyed (token, statement), with the reverse index.
_v8 = MetaData()
Table("statements", _v8, Column("pk", Integer, primary_key=True))
STATEMENT_SPEAKERS_V8 = Table(
    "statement_speakers",
    _v8,
    Column("token", Text().with_variant(Text(collation="C"), "postgresql"), primary_key=True),
    Column(
        "statement", Integer, ForeignKey("statements.pk", ondelete="CASCADE"), primary_key=True, autoincrement=False
    ),
    Index("ix_statement_speakers_statement", "statement", "token"),
    sqlite_with_rowid=False,
)

# v9: the story index's state (``newstrace.store._story_state``): a vocabulary with document frequencies, an entry per
# story member (its vectors as term numbers and weights, zlib-compressed, its MinHash signature), each story's members
# and sums (none for a story of one member: its sums are its member's vectors), the
# posting lists of members' query terms with their weights, the LSH band keys, the people of articles in a known
# language, and counters. No foreign keys: rows are written with their article in one transaction and never alone.
_v9 = MetaData()
_WORD = Text().with_variant(Text(collation="C"), "postgresql")
STORY_INDEX_V9 = (
    Table(
        "story_terms",
        _v9,
        Column("word", _WORD, primary_key=True),
        Column("term", Integer, nullable=False),  # numbered by the index in the order words came (vectors key by it)
        Column("documents", Integer, nullable=False),
        sqlite_with_rowid=False,
    ),
    Table(
        "story_entries",
        _v9,
        Column("article", Integer, primary_key=True, autoincrement=False),
        Column("story", Integer, nullable=False),
        Column("relation", String(16), nullable=False),
        Column("similarity", Float, nullable=False),
        Column("copy_of", Integer),
        Column("day", Integer),
        Column("window_day", Integer),
        Column("text_date", String(32)),
        Column("length", Integer, nullable=False),
        Column("stated", Integer, nullable=False),
        Column("removed", Integer, nullable=False),
        Column("vector", LargeBinary, nullable=False),
        Column("lede", LargeBinary, nullable=False),
        Column("signature", LargeBinary, nullable=False),
        Column("lede_vector", LargeBinary),
        Column("language", String(16)),
        Column("facts", Text),
    ),
    Table(
        "story_state",
        _v9,
        Column("story", Integer, primary_key=True, autoincrement=False),
        Column("members", LargeBinary, nullable=False),
        Column("centroid", LargeBinary, nullable=False),
        Column("lede_centroid", LargeBinary, nullable=False),
        Column("cosines", LargeBinary),
    ),
    Table(
        "story_postings",
        _v9,
        Column("term", Integer, primary_key=True, autoincrement=False),
        Column("article", Integer, primary_key=True, autoincrement=False),
        Column("weight", Float, nullable=False),
        sqlite_with_rowid=False,
    ),
    Table(
        "story_bands",
        _v9,
        Column("band", BigInteger, primary_key=True, autoincrement=False),
        Column("article", Integer, primary_key=True, autoincrement=False),
        sqlite_with_rowid=False,
    ),
    Table(
        "story_people",
        _v9,
        Column("language", String(16), primary_key=True),
        Column("person", _WORD, primary_key=True),
        Column("article", Integer, primary_key=True, autoincrement=False),
        sqlite_with_rowid=False,
    ),
    Table(
        "story_counters",
        _v9,
        Column("name", String(32), primary_key=True),
        Column("value", BigInteger, nullable=False),
    ),
)

# v10: each statement's first piece's speaker words beside its date key (its said_on, else its article's reference
# date, else ""), indexed by word, newest first: a page of a speaker's statements reads its entries in page order.
# As PostgreSQL's table; SQLite's is keyed (token, said DESC, statement) instead, with no index (``speaker_pages``).
_v10 = MetaData()
Table("statements", _v10, Column("pk", Integer, primary_key=True))
SPEAKER_PAGES_V10 = Table(
    "speaker_pages",
    _v10,
    Column("token", _WORD, primary_key=True),
    Column(
        "statement", Integer, ForeignKey("statements.pk", ondelete="CASCADE"), primary_key=True, autoincrement=False
    ),
    # In "C" order on PostgreSQL, as the words: a page merges words' entries in code-point order (SQLite's).
    Column("said", String(32).with_variant(String(32, collation="C"), "postgresql"), nullable=False),
    sqlite_with_rowid=False,
)
_pages = SPEAKER_PAGES_V10.c
Index("ix_speaker_pages_order", _pages.token, _pages.said.desc(), _pages.statement)
