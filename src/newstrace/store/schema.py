"""Today's tables (schema v10): articles, their facts, speaker words, sources, failures, stories (``_history``: old)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
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

from newstrace.store._history import SPEAKER_PAGES_V10, STORY_INDEX_V9

__all__ = [
    "FACT_TABLES",
    "SPAN_TEXTS",
    "articles",
    "entities",
    "failures",
    "headline_checks",
    "mentions",
    "metadata",
    "quantities",
    "schema_migrations",
    "sources",
    "speaker_pages",
    "statement_speakers",
    "statements",
    "stories",
    "story_bands",
    "story_counters",
    "story_entries",
    "story_lineage",
    "story_members",
    "story_people",
    "story_postings",
    "story_state",
    "story_terms",
    "times",
]

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("description", Text, nullable=False),
    Column("applied_at", String(32), nullable=False),
)

# The text is stored once, here; ``data`` holds the rest of the Article JSON that no column or fact table holds
# (paragraph offsets, removed spans, the source map, authors, ...), without span texts that the text repeats.
articles = Table(
    "articles",
    metadata,
    # An integer key the fact tables point at (8 bytes a row instead of a 64-character hash) and that the
    # full-text index uses as its rowid, so VACUUM cannot renumber it under the index.
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
    # zlib-compressed JSON: most of it is the text of removed boilerplate, which compresses several times over.
    Column("data", LargeBinary, nullable=False),
    Column("ingested_at", String(32), nullable=False),
    Index("ix_articles_site", "site"),
)
# The date search filters on (the publication date, else the reference date), as one expression index.
Index("ix_articles_date", func.coalesce(articles.c.published, articles.c.reference_date))

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


def _article_key() -> Column[int]:
    return Column("article", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), nullable=False)


def _numbered(name: str, *columns: Column[Any]) -> Table:
    """A fact table keyed by its article and the fact's place in the article's list, stored in that key's order.

    Since v5 these rows have no integer key of their own and no index on ``article``: on SQLite the table is a
    WITHOUT ROWID B-tree on ``(article, number)``, which is both the rows and the index an article's facts are read
    by, each row in one place (a rowid table stored the article key twice more, in the row and in its index).
    """
    return Table(
        name,
        metadata,
        Column("article", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True),
        Column("number", Integer, primary_key=True, autoincrement=False),
        *columns,
        sqlite_with_rowid=False,
    )


entities = _numbered(
    "entities",
    Column("entity_id", String(64), nullable=False),  # as the article's Entity.id gives it
    # The content-derived key (``facts.entity_key``: label and case-folded name) is computed where it is used.
    Column("name", Text, nullable=False),
    Column("label", String(16), nullable=False),
    Column("aliases", Text),  # JSON list, NULL when empty
    Column("roles", Text),  # JSON list, NULL when empty
    Column("affiliation", Text),
    Column("stands_for", Text),
)

mentions = _numbered(
    "mentions",
    # The number of the article's entity it mentions; ``entity_id`` only holds an id that is none of the article's
    # entities, and ``label`` only a label that is not its entity's (neither happens in what annotate writes).
    Column("entity", Integer),
    Column("entity_id", String(64)),
    Column("label", String(16)),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("stands_for", Text),
)

statements = Table(
    "statements",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    _article_key(),
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
    Column("speaker_rule", String(32)),  # the resolution step that chose the speaker
    Column("channel", Text),
    Column("said_on", String(32)),
    Column("date_source", String(32)),
    Column("confidence", Float, nullable=False),
    Index("ix_statements_article", "article"),
)

# The words a speaker filter finds a statement by (v8): each word of its speaker's name, of its entity's name and
# aliases, of their romanised forms and of the entity id's name part, casefolded (``rows.speaker_tokens``), once.
# A query word matches a word it begins, read as a key range on ``(token, statement)``; the ``(statement, token)``
# index checks the statement's other query words. PostgreSQL compares the words in "C" order (by code point, as
# SQLite does), in which every word that begins with a prefix lies in one range.
statement_speakers = Table(
    "statement_speakers",
    metadata,
    Column("token", Text().with_variant(Text(collation="C"), "postgresql"), primary_key=True),
    Column(
        "statement",
        Integer,
        ForeignKey("statements.pk", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Index("ix_statement_speakers_statement", "statement", "token"),
    sqlite_with_rowid=False,
)

# Each statement's first piece's speaker words beside its date key, by word and newest first (v10): a speaker's page
# of statements read in order (``_speaker_pages``), as migration 10 created it.
speaker_pages = SPEAKER_PAGES_V10.to_metadata(metadata)


times = _numbered(
    "times",
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("type", String(16), nullable=False),
    Column("value", String(64)),
    Column("mod", String(16)),
    Column("anchor", String(64)),
)
quantities = _numbered(
    "quantities",
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("value", Float, nullable=False),
    Column("unit", Text),
    Column("subject", Text),
    Column("approximate", Text),
    Column("kind", String(32), nullable=False),
)

headline_checks = Table(
    "headline_checks",
    metadata,
    Column("article", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True),
    Column("stance", String(16), nullable=False),
    Column("form", String(32)),
    Column("misleading", Boolean, nullable=False),
    Column("clickbait", Float),
    Column("reason", Text),
    # The whole HeadlineCheck JSON (claims, evidence, probabilities); evidence spans as [start, end] into the text.
    Column("data", Text, nullable=False),
)

FACT_TABLES = (entities, mentions, statements, times, quantities, headline_checks)

# Stories (v6), kept as articles arrive: one row per story and one per member article, each pointing at articles by
# their integer key (the public ids come from a join), and the lineage each text states. The story index's own state
# is in the v9 tables below.
stories = Table(
    "stories",
    metadata,
    # Keyed by the story's first stored article: its id is that article's id.
    Column("story", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True, autoincrement=False),
    Column("origin", Integer, nullable=False),  # the origin article (its headline is the story's title)
    Column("first_seen", String(32)),
    Column("last_seen", String(32)),
    Column("size", Integer, nullable=False),
)

story_members = Table(
    "story_members",
    metadata,
    Column("article", Integer, ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True, autoincrement=False),
    Column("story", Integer, nullable=False),  # stories.story
    Column("relation", String(16), nullable=False),  # origin, copy, syndicated or same story
    Column("similarity", Float, nullable=False),  # when it joined
    Column("copy_of", Integer),  # a copy's or syndicated member's copy-group origin (an articles.pk)
    Index("ix_story_members_story", "story"),
)

story_lineage = Table(
    "story_lineage",
    metadata,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    _article_key(),
    Column("source", Text, nullable=False),
    Column("cue", String(32), nullable=False),
    Column("start", Integer, nullable=False),  # the evidence span, cut from the article's text when read
    Column("end", Integer, nullable=False),
    Index("ix_story_lineage_article", "article"),
)

# Span texts schema v3 stored beside their offsets; from v4 they are cut from the article's text when read.
SPAN_TEXTS = {
    "mentions": {"text": ("start", "end")},
    "statements": {
        "content_text": ("content_start", "content_end"),
        "cue_text": ("cue_start", "cue_end"),
        "speaker_text": ("speaker_start", "speaker_end"),
    },
    "times": {"text": ("start", "end")},
    "quantities": {"text": ("start", "end")},
}

# The story index's state (v9), as migration 9 created it: what assignment reads, one candidate's rows at a time.
story_terms, story_entries, story_state, story_postings, story_bands, story_people, story_counters = (
    table.to_metadata(metadata) for table in STORY_INDEX_V9
)
