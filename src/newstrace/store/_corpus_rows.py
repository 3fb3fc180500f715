"""The fact tables read as the corpus seams: statement and entity records, without decoding any article's JSON."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Select, Table, select

from newstrace.corpus.identity import EntityRecord
from newstrace.corpus.story_timeline import MemberFacts
from newstrace.corpus.timeline import StatementRecord
from newstrace.model import Span, cue_groups
from newstrace.store.rows import entity_from_row, span_texts
from newstrace.store.schema import articles, entities, mentions, quantities, statements

__all__ = ["entity_records", "member_facts", "statement_records", "statements_about"]


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
    # A statement with no named speaker is left out: these records are what a speaker's timeline reads.
    return [_record(group) for group in groups if group[0].speaker_name is not None]


def entity_records(engine: Engine, after: int = 0, through: int | None = None) -> list[EntityRecord]:
    """The entities of articles keyed after ``after`` (up to ``through``), dated by the article (published, else its
    reference date), in the order stored: the records added since a ``contents`` read, as identities take them."""
    query = _with_article(entities)
    if after:
        query = query.where(entities.c.article > after)
    if through is not None:
        query = query.where(entities.c.article <= through)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [
        EntityRecord(row.article_id, entity_from_row(row._mapping), row.published or row.reference_date, row.site)
        for row in rows
    ]


def member_facts(engine: Engine, article_ids: list[str]) -> list[MemberFacts]:
    """These stored articles' statements (pieces sharing a cue as one) and figures, in the order the ids are given."""
    wanted = list(dict.fromkeys(article_ids))
    said: dict[str, list[tuple[str, str]]] = {}
    figures: dict[str, list[tuple[str, str]]] = {}
    dates: dict[str, tuple[str | None, str | None]] = {}
    with engine.connect() as connection:
        for start in range(0, len(wanted), 500):
            batch = wanted[start : start + 500]
            for row in connection.execute(
                select(articles.c.id, articles.c.published, articles.c.reference_date, articles.c.site).where(
                    articles.c.id.in_(batch)
                )
            ):
                dates[row.id] = (row.published or row.reference_date, row.site)
            rows = connection.execute(_with_article(statements).where(articles.c.id.in_(batch))).all()
            for group in cue_groups(rows, _cue):
                content = " … ".join(piece.content_text for piece in group)
                said.setdefault(group[0].article_id, []).append((group[0].speaker_name or "", content))
            for row in connection.execute(_with_article(quantities).where(articles.c.id.in_(batch))):
                key = f"{row.value:g} {row.unit or row.subject or ''}".strip()
                figures.setdefault(row.article_id, []).append((key, row.text))
    return [
        MemberFacts(article_id, *dates[article_id], said.get(article_id, []), figures.get(article_id, []))
        for article_id in wanted
        if article_id in dates
    ]


def statements_about(engine: Engine, members: list[str]) -> list[StatementRecord]:
    """The statements (pieces sharing a cue as one, an unnamed source's too, as speaker "") whose content overlaps a
    mention of one of these article entities (``article_id/entity_id``, as a corpus entity's ``member_ids``)."""
    wanted: dict[str, set[str]] = {}
    for member in members:
        article_id, _, entity_id = member.partition("/")
        wanted.setdefault(article_id, set()).add(entity_id)
    found: list[StatementRecord] = []
    ids = list(wanted)
    with engine.connect() as connection:
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            named = (
                select(articles.c.id, entities.c.entity_id, mentions.c.start, mentions.c.end)
                .join_from(mentions, articles, articles.c.pk == mentions.c.article)
                .join(entities, (entities.c.article == mentions.c.article) & (entities.c.number == mentions.c.entity))
                .where(articles.c.id.in_(batch))
            )
            spans: dict[str, list[tuple[int, int]]] = {}
            for row in connection.execute(named):
                if row.entity_id in wanted[row.id]:
                    spans.setdefault(row.id, []).append((row.start, row.end))
            if not spans:
                continue
            rows = connection.execute(_with_article(statements).where(articles.c.id.in_(list(spans)))).all()
            for group in cue_groups(rows, _cue):
                named_spans = spans[group[0].article_id]
                if any(a < piece.content_end and piece.content_start < b for piece in group for a, b in named_spans):
                    found.append(_record(group))
    return found


def _record(group: list[Any]) -> StatementRecord:
    """One statement's rows (its pieces, the first naming the speaker and dating it) as a record."""
    row = group[0]
    return StatementRecord(
        article_id=row.article_id,
        speaker=row.speaker_name or "",
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
        language=row.language,
    )


def _cue(row: Any) -> tuple[int, int, int] | None:
    """The statement a row is a piece of: its article and cue span (none without a cue)."""
    return (row.article, row.cue_start, row.cue_end) if row.cue_start is not None else None


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
            articles.c.language,
        )
        .join_from(table, articles, articles.c.pk == table.c.article)
        .order_by(*table.primary_key.columns)
    )
