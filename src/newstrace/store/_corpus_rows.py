"""The fact tables read as the corpus seams: statement and entity records, without decoding any article's JSON."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Select, Table, select

from newstrace.corpus.identity import EntityRecord
from newstrace.corpus.timeline import StatementRecord
from newstrace.model import Span, cue_groups
from newstrace.store.rows import entity_from_row, span_texts
from newstrace.store.schema import articles, entities, statements

__all__ = ["entity_records", "statement_records"]


def statement_records(engine: Engine) -> list[StatementRecord]:
    """Every stored statement with a named speaker, with its article's id, site and dates, in ingest order.

    The rows of one article sharing a cue span are one statement, as ``present.statements`` reads an article's
    quotes: its first row names the speaker and dates it, and every row gives a content piece.
    """
    with engine.connect() as connection:
        rows = connection.execute(_with_article(statements)).all()
    groups = cue_groups(
        rows, lambda row: (row.article, row.cue_start, row.cue_end) if row.cue_start is not None else None
    )
    records = []
    for group in groups:
        row = group[0]
        if row.speaker_name is None:
            continue
        records.append(
            StatementRecord(
                article_id=row.article_id,
                speaker=row.speaker_name,
                content=Span(row.content_start, row.content_end, row.content_text),
                # As statements_from_article dates it: the text's date for the statement, else the article's.
                date=row.said_on or row.reference_date,
                kind=row.kind,
                cue_lemma=row.cue_lemma,
                site=row.site,
                published=row.published,
                speaker_entity_id=row.speaker_entity_id,
                date_source=row.date_source,
                pieces=tuple(Span(piece.content_start, piece.content_end, piece.content_text) for piece in group),
                confidence=row.confidence,
            )
        )
    return records


def entity_records(engine: Engine) -> list[EntityRecord]:
    """Every stored article's entities, dated by the article (published, else its reference date)."""
    with engine.connect() as connection:
        rows = connection.execute(_with_article(entities)).all()
    return [
        EntityRecord(row.article_id, entity_from_row(row._mapping), row.published or row.reference_date, row.site)
        for row in rows
    ]


def _with_article(table: Table) -> Select[Any]:
    """A fact table's rows, each with its article's id, site and dates, in the order they were stored."""
    return (
        select(
            table,
            *span_texts(table),
            articles.c.id.label("article_id"),
            articles.c.site,
            articles.c.published,
            articles.c.reference_date,
        )
        .join_from(table, articles, articles.c.pk == table.c.article)
        .order_by(*table.primary_key.columns)
    )
