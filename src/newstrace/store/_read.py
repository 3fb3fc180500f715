"""Reading the store: articles rebuilt from their rows, listings, search filters and stored statements.

A stored statement is every row of one article that shares one cue span (a content its cue splits, "…, Cook said, …",
is two rows), as :func:`newstrace.present.statements` reads an article's quotes: its first row speaks for it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Engine, Row, exists, func, literal, or_, select, tuple_, union
from sqlalchemy.engine import Connection

from newstrace.model import Article, Failure, Quote, Statement, name_slug
from newstrace.store._speaker_pages import begins, has_speaker_word, read_in_order
from newstrace.store.rows import article_from_rows, quote_from_row, span_texts, speaker_words
from newstrace.store.schema import (
    FACT_TABLES,
    articles,
    entities,
    failures,
    headline_checks,
    sources,
    statement_speakers,
    statements,
)

__all__ = [
    "MAX_SPEAKER_WORDS",
    "NO_VERDICT",
    "ArticleSummary",
    "SearchHit",
    "StatementHit",
    "article",
    "article_batch",
    "article_page",
    "contents",
    "failure_list",
    "filters",
    "headlines",
    "source_hashes",
    "statement_hits",
    "stored_ids",
]


# The verdict of an article whose headline was not checked (no headline, or the check was not run).
NO_VERDICT = "none"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An article matching a search, with a snippet of where and its relevance (higher is better)."""

    id: str
    headline: str | None
    published: str | None
    site: str | None
    snippet: str  # the matched words in [brackets]
    score: float = 0.0
    matched: tuple[tuple[int, int], ...] = ()  # where each matched word is in ``snippet`` (inside its brackets)


@dataclass(frozen=True, slots=True)
class StatementHit(Statement):
    """A stored statement (its quotes: the content pieces sharing one cue) with its article and its speaker's roles."""

    article_id: str
    headline: str | None
    reference_date: str | None
    speaker_roles: list[str]

    @property
    def date(self) -> str | None:
        """When it was said, or else the article's date."""
        return self.quote.date or self.reference_date


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """One stored article as a listing shows it: id, headline, dates, site, URL."""

    id: str
    headline: str | None
    published: str | None
    reference_date: str | None
    site: str | None
    url: str | None


def article(engine: Engine, article_id: str) -> Article | None:
    """The article with this id, or with this unique id prefix (at least 6 characters)."""
    with engine.connect() as connection:
        row = connection.execute(select(articles).where(articles.c.id == article_id)).first()
        if row is None and len(article_id) >= 6 and re.fullmatch(r"[0-9a-f]+", article_id):
            rows = connection.execute(select(articles).where(articles.c.id.like(article_id + "%")).limit(2)).all()
            row = rows[0] if len(rows) == 1 else None
        if row is None:
            return None
        return _rebuild(connection, [row])[0]


def article_batch(engine: Engine, after: int, size: int) -> tuple[list[Article], int]:
    """Up to ``size`` stored articles after key ``after``, oldest ingest first, and the last one's key (else 0)."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(articles).where(articles.c.pk > after).order_by(articles.c.pk).limit(size)
        ).all()
        if not rows:
            return [], 0
        return _rebuild(connection, rows), rows[-1].pk


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


def contents(engine: Engine) -> tuple[int, int]:
    """How many articles are stored and the highest key given to one."""
    with engine.connect() as connection:
        state = connection.execute(select(func.count(), func.coalesce(func.max(articles.c.pk), 0))).one()
    return int(state[0]), int(state[1])


def headlines(engine: Engine, ids: Iterable[str]) -> dict[str, str | None]:
    """The headline of each of these stored articles, by id."""
    wanted = list(dict.fromkeys(ids))
    with engine.connect() as connection:
        rows = connection.execute(select(articles.c.id, articles.c.headline).where(articles.c.id.in_(wanted)))
        return {row.id: row.headline for row in rows}


def stored_ids(engine: Engine, ids: Iterable[str]) -> set[str]:
    """Which of these article ids are stored."""
    wanted = list(dict.fromkeys(ids))
    with engine.connect() as connection:
        return set(connection.scalars(select(articles.c.id).where(articles.c.id.in_(wanted))))


def source_hashes(engine: Engine, hashes: Iterable[str] | None = None) -> set[str]:
    """Which of these input hashes are stored (all of them where ``hashes`` is None)."""
    with engine.connect() as connection:
        if hashes is None:
            return set(connection.scalars(select(sources.c.source_hash)))
        wanted = list(dict.fromkeys(hashes))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            batch = wanted[start : start + 500]
            found.update(connection.scalars(select(sources.c.source_hash).where(sources.c.source_hash.in_(batch))))
        return found


def article_page(
    engine: Engine, *, limit: int, offset: int, since: str | None, until: str | None, site: str | None
) -> tuple[int, list[ArticleSummary]]:
    """The total matching and one page of stored articles, most recently stored first."""
    conditions: list[ColumnElement[bool]] = []
    date = func.coalesce(articles.c.published, articles.c.reference_date)
    if since is not None:
        conditions.append(date >= since)
    if until is not None:
        conditions.append(date <= until)
    if site is not None:
        escaped = site.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(func.lower(articles.c.site).like(f"%{escaped.lower()}%", escape="\\"))
    columns = (articles.c.id, articles.c.headline, articles.c.published, articles.c.reference_date)
    query = select(*columns, articles.c.site, articles.c.url).where(*conditions)
    query = query.order_by(articles.c.pk.desc()).limit(limit).offset(offset)
    with engine.connect() as connection:
        total = connection.scalar(select(func.count()).select_from(articles).where(*conditions)) or 0
        rows = connection.execute(query).all()
    return total, [ArticleSummary(*row) for row in rows]


def statement_hits(
    engine: Engine,
    *,
    speaker: str | None,
    min_confidence: float,
    limit: int,
    offset: int,
    words: str | None = None,
    site: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[StatementHit]:
    """Stored statements, newest first: by a speaker with a word that each word of ``speaker`` begins (its resolved
    name, its entity's name or an alias, romanised or not: ``_speaker_statements``), holding each of ``words`` (in
    any of its pieces, any case), in an article from a site containing ``site``, said within ``since``…``until`` (as
    a timeline reads its dates).

    Pages count statements, not rows: a page is of first pieces (their confidence and speaker are the statement's),
    and each comes with its further pieces, so no statement is split across pages.
    """
    said_on = func.coalesce(statements.c.said_on, articles.c.reference_date, "")
    # In code-point order on PostgreSQL too, as SQLite's: the order ``speaker_pages`` merges its words' entries in.
    said_order = said_on.collate("C") if engine.dialect.name == "postgresql" else said_on
    # The page's keys first, then its rows: sorting the keys alone reads no article's text, where sorting whole rows
    # cut every match's span texts from its article (the cost of a speaker with many statements).
    query = (
        select(statements.c.pk)
        .join_from(statements, articles, articles.c.pk == statements.c.article)
        .where(statements.c.confidence >= min_confidence)
        .order_by(said_order.desc(), statements.c.pk)
    )
    if site is not None:
        query = query.where(_contains(articles.c.site, site, engine.dialect.name))
    if since is not None:
        query = query.where(said_on >= since)
    if until is not None:
        # As a timeline compares: a month or week said ("2022-12") is within an ``until`` it starts before.
        query = query.where(
            func.substr(func.coalesce(statements.c.said_on, articles.c.reference_date, "9999"), 1, 10) <= until
        )
    for word in (words or "").split()[:MAX_STATEMENT_WORDS]:
        query = query.where(_holds(word, engine.dialect.name))
    # Last: SQLite tests the conditions in this order, and the few rows of a speaker are quick to look back from.
    query = query.where(_first_piece())
    with engine.connect() as connection:
        lookup = _SpeakerLookup(connection, speaker) if speaker is not None else None
        in_order = lookup.page_in_order(query, limit + offset) if lookup is not None else None
        if in_order is not None:
            page = in_order[offset:]
        else:
            if lookup is not None:
                # The candidates come from the speaker words' index (probed on this connection), looked up by key.
                query = query.where(statements.c.pk.in_(lookup.statements()))
            page = list(connection.scalars(query.limit(limit).offset(offset)))
        rows = (
            connection.execute(
                select(
                    statements,
                    *span_texts(statements),
                    articles.c.id.label("article_id"),
                    articles.c.headline,
                    articles.c.reference_date,
                )
                .join_from(statements, articles, articles.c.pk == statements.c.article)
                .where(statements.c.pk.in_(page))
                .order_by(said_order.desc(), statements.c.pk)
            ).all()
            if page
            else []
        )
        further = _further_pieces(connection, rows)
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
            quotes=(quote_from_row(row._mapping), *further.get(row.pk, ())),
            article_id=row.article_id,
            headline=row.headline,
            reference_date=row.reference_date,
            speaker_roles=roles.get((row.article, row.speaker_entity_id or ""), []),
        )
        for row in rows
    ]


# A statement search reads this many of its words: each is a scan of the statements' texts.
MAX_STATEMENT_WORDS = 8


def _holds(word: str, dialect: str) -> ColumnElement[bool]:
    """The statement (its first piece, in a query joined to ``articles``) has a piece whose content holds ``word``."""
    piece = statements.alias("piece")
    content = func.substr(articles.c.text, piece.c.content_start + 1, piece.c.content_end - piece.c.content_start)
    same = or_(
        piece.c.pk == statements.c.pk,
        (piece.c.cue_start == statements.c.cue_start) & (piece.c.cue_end == statements.c.cue_end),
    )
    return exists().where(piece.c.article == statements.c.article, same, _contains(content, word, dialect))


def _first_piece() -> ColumnElement[bool]:
    """The row is the first of its statement: no earlier row of its article has its cue span (no cue: its own)."""
    earlier = statements.alias("earlier")
    # A NULL cue equals nothing, so a row without a cue is always a first piece.
    return ~exists().where(
        earlier.c.article == statements.c.article,
        earlier.c.cue_start == statements.c.cue_start,
        earlier.c.cue_end == statements.c.cue_end,
        earlier.c.pk < statements.c.pk,
    )


def _further_pieces(connection: Connection, firsts: Sequence[Row[Any]]) -> dict[int, list[Quote]]:
    """The pieces after each first piece that share its article and cue span, by the first piece's key, in order."""
    groups = {(row.article, row.cue_start, row.cue_end): row.pk for row in firsts if row.cue_start is not None}
    keys = sorted({article for article, _, _ in groups})
    found: dict[int, list[Quote]] = defaultdict(list)
    # By article (its index finds the rows; a row-value IN on the cue span made SQLite scan the table), 500 a query.
    for start in range(0, len(keys), 500):
        query = (
            select(statements, *span_texts(statements))
            .join_from(statements, articles, articles.c.pk == statements.c.article)
            .where(statements.c.article.in_(keys[start : start + 500]), statements.c.cue_start.is_not(None))
            .order_by(statements.c.pk)
        )
        for row in connection.execute(query):
            first = groups.get((row.article, row.cue_start, row.cue_end))
            if first is not None and row.pk > first:
                found[first].append(quote_from_row(row._mapping))
    return found


def failure_list(engine: Engine) -> list[Failure]:
    """Every recorded failure, oldest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(failures.c.source, failures.c.stage, failures.c.reason, failures.c.source_hash).order_by(
                failures.c.id
            )
        ).all()
    return [Failure(*row) for row in rows]


def _contains(column: ColumnElement[Any], value: str, dialect: str) -> ColumnElement[bool]:
    """``column`` contains ``value``, any case, with LIKE's wildcards in ``value`` taken literally."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    # SQLite's LIKE already ignores (ASCII) case, as its lower() would; ILIKE is PostgreSQL's own.
    if dialect == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")


# A speaker query reads this many of its words (each one more index lookup per candidate statement).
MAX_SPEAKER_WORDS = 8
# How many index entries a query word's range is counted up to at first, and at most, to find the rarest word: it
# drives the lookup.
_SPEAKER_PROBE = 1000
_SPEAKER_PROBE_MOST = 1_000_000


def _speaker_statements(connection: Connection, speaker: str) -> Any:
    """The pks of statements whose speaker has, for each word of ``speaker``, a word that it begins (a query)."""
    return _SpeakerLookup(connection, speaker).statements()


class _SpeakerLookup:
    """A speaker query's statements: those whose speaker has, for each word of ``speaker``, a word that it begins: a
    word of the resolved name, of its entity's name or an alias, of their romanised forms or of the entity id's name
    part ("Galuzin" and "Галузин" both find "Михаил Галузин", "person:mikhail-galuzin"; see ``rows.speaker_tokens``).

    The rarest query word drives: its key range in ``statement_speakers`` gives the candidates and the index on
    ``(statement, token)`` checks each one's other words, so the cost follows the matches, not the store; where its
    range holds many (``_SPEAKER_PROBE`` or more), a page reads its entries in page order instead (``_speaker_pages``),
    so the cost follows the page. A query without a letter or digit keeps the substring match over the names (a scan).
    """

    def __init__(self, connection: Connection, speaker: str) -> None:
        self.connection, self.speaker = connection, speaker
        self.words = list(dict.fromkeys(speaker_words(speaker)))[:MAX_SPEAKER_WORDS]
        self.rarest, self.count = _rarest(connection, self.words) if self.words else ("", None)

    def statements(self) -> Any:
        """The statements' keys, as a query."""
        if not self.words:
            return _speaker_substring(self.speaker, self.connection.dialect.name)
        query = select(statement_speakers.c.statement).where(begins(statement_speakers.c.token, self.rarest))
        others = [word for word in self.words if word != self.rarest]
        return query.where(*(has_speaker_word(statement_speakers.c.statement, word) for word in others))

    def page_in_order(self, page: Any, wanted: int) -> list[int] | None:
        """The first ``wanted`` keys of a statement page (``page``: ordered, unlimited) among the statements, read in
        page order; None where collecting and sorting them is the cheaper (few candidates) or the only way."""
        if not self.words:
            return None
        if self.count is None:  # a word alone, not counted to choose it
            self.count = _entries_up_to(self.connection, self.rarest, _SPEAKER_PROBE)
        if self.count < _SPEAKER_PROBE:
            return None
        others = [word for word in self.words if word != self.rarest]
        return read_in_order(self.connection, page, self.rarest, others, wanted)


def _rarest(connection: Connection, words: list[str]) -> tuple[str, int | None]:
    """The query word with the fewest speaker-word entries, the one that drives a lookup, and its entries' count
    (bounded: a count at a bound means as many or more; None for a word alone, which needs no count to be chosen).

    Each word's entries are counted up to a bound; where every word reaches it, again with ten times the bound: the
    counting costs at most what reading the rarest word's range will (a word in every statement is not read)."""
    if len(words) == 1:
        return words[0], None
    bound, contenders, counts = _SPEAKER_PROBE, words, {}
    while True:
        for word in contenders:
            counts[word] = _entries_up_to(connection, word, bound)
        rarest = min(contenders, key=lambda word: counts[word])
        if len(contenders) == 1 or counts[rarest] < bound or bound >= _SPEAKER_PROBE_MOST:
            return rarest, counts[rarest]
        contenders, bound = [word for word in contenders if counts[word] >= bound], bound * 10


def _entries_up_to(connection: Connection, word: str, bound: int) -> int:
    """How many speaker-word entries ``word`` begins, counted up to ``bound``."""
    probe = select(literal(1)).where(begins(statement_speakers.c.token, word)).limit(bound)
    return connection.scalar(select(func.count()).select_from(probe.subquery())) or 0


def _speaker_substring(speaker: str, dialect: str) -> Any:
    """The pks of statements whose speaker's resolved name, or its entity's name or an alias, contain ``speaker``, or
    whose entity's id holds the name's slug from a word's start (a Russian name's id is romanised: "Galuzin" finds
    "person:mikhail-galuzin", named "Михаил Галузин")."""
    by_name = select(statements.c.pk).where(_contains(statements.c.speaker_name, speaker, dialect))
    slug = name_slug(speaker)
    named_entities = select(entities.c.article, entities.c.entity_id).where(
        or_(
            _contains(entities.c.name, speaker, dialect),
            _contains(entities.c.aliases, speaker, dialect),
            _contains(entities.c.entity_id, f":{slug}", dialect),
            _contains(entities.c.entity_id, f"-{slug}", dialect),
        )
    )
    # A row-value IN: the few named entities are found first, not looked up once per statement.
    by_entity = select(statements.c.pk).where(
        tuple_(statements.c.article, statements.c.speaker_entity_id).in_(named_entities)
    )
    return union(by_name, by_entity)


def filters(
    engine: Engine,
    *,
    since: str | None,
    until: str | None,
    site: str | None,
    speaker: str | None,
    verdict: str | None = None,
    language: str | None = None,
    outlet: str | None = None,
) -> list[ColumnElement[bool]]:
    """The search filters as conditions on ``articles``: its date within bounds, its site (``site`` any part of it,
    ``outlet`` all of it), a speaker it quotes, its headline verdict (a stance, or ``none``) and its language."""
    dialect = engine.dialect.name
    date = func.coalesce(articles.c.published, articles.c.reference_date)
    conditions: list[ColumnElement[bool]] = []
    if since is not None:
        conditions.append(date >= since)
    if until is not None:
        conditions.append(date <= until)
    if site is not None:
        conditions.append(_contains(articles.c.site, site, dialect))
    if outlet is not None:
        # A facet's value is a site as stored: the outlet itself, not another whose name holds it (cnn.com's
        # facet leaves edition.cnn.com out).
        conditions.append(articles.c.site == outlet)
    if speaker is not None:
        with engine.connect() as connection:  # to find the query's rarest word
            said = _speaker_statements(connection, speaker)
        quoting = select(statements.c.article).where(statements.c.pk.in_(said))
        conditions.append(articles.c.pk.in_(quoting))
    if verdict is not None:
        checked = select(headline_checks.c.article)
        if verdict == NO_VERDICT:
            conditions.append(articles.c.pk.not_in(checked))
        else:
            conditions.append(articles.c.pk.in_(checked.where(headline_checks.c.stance == verdict)))
    if language is not None:
        conditions.append(articles.c.language == language)
    return conditions
