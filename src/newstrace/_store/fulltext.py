"""The dialect seam: full-text index and search on SQLite (FTS5) and PostgreSQL (tsvector + GIN)."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    String,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from newstrace._store.query import And, Node, Not, Or, QuerySyntaxError, Term, to_fts5
from newstrace._store.schema import articles

__all__ = ["FullText", "PostgresFullText", "SearchRow", "SqliteFullText", "full_text_for"]

SNIPPET_WORDS = 16


@dataclass(frozen=True, slots=True)
class SearchRow:
    """One ranked match: the article's columns, a snippet and its score (higher is better)."""

    id: str
    headline: str | None
    published: str | None
    site: str | None
    snippet: str
    score: float


class FullText(Protocol):
    """What the store needs of a database's full-text index."""

    def create(self, connection: Connection) -> None:
        """Create the index over ``articles`` (headline and text) and fill it from the rows present."""

    def search(
        self, connection: Connection, node: Node, filters: list[ColumnElement[bool]], limit: int, candidates: int
    ) -> list[SearchRow]:
        """The ``limit`` best matches among the ``candidates`` most recently stored matching articles."""


def full_text_for(dialect: str) -> FullText:
    """The full-text seam for a SQLAlchemy dialect name."""
    if dialect == "sqlite":
        return SqliteFullText()
    if dialect == "postgresql":
        return PostgresFullText()
    raise ValueError(f"no full-text search for {dialect}: use SQLite or PostgreSQL")


class SqliteFullText:
    """FTS5 with external content, declared ``content=[articles]`` so sqlite-utils and datasette detect it."""

    fts = table("articles_fts", column("rowid", Integer))

    def create(self, connection: Connection) -> None:
        """The FTS5 table, triggers that keep it in step with ``articles``, and a rebuild from existing rows."""
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

    def search(
        self, connection: Connection, node: Node, filters: list[ColumnElement[bool]], limit: int, candidates: int
    ) -> list[SearchRow]:
        """bm25 (a headline match weighs double) over the newest ``candidates`` matches, then snippets for the best."""
        rowid = self.fts.c.rowid
        match = text("articles_fts MATCH :match").bindparams(match=to_fts5(node))
        joined = self.fts.join(articles, articles.c.pk == rowid)
        # Without filters the index alone answers: no lookup of each match's article row.
        matching = joined if filters else self.fts
        try:
            # One walk of the index, newest first, stopping after ``candidates`` matches (so a word in every article
            # costs no more than that), scoring each; the best ``limit`` are picked here.
            score = func.bm25(literal_column("articles_fts"), 2.0, 1.0)
            scored = connection.execute(
                select(rowid, score)
                .select_from(matching)
                .where(match, *filters)
                .order_by(rowid.desc())
                .limit(candidates)
            ).all()
            best = heapq.nsmallest(limit, scored, key=lambda row: (row[1], -row[0]))
            if not best:
                return []
            snippet = func.snippet(literal_column("articles_fts"), 1, "[", "]", "…", SNIPPET_WORDS)
            # One pass for all the hits, kept to the rowid range they span (FTS5 bounds its walk by it).
            pks = [pk for pk, _ in best]
            rows = connection.execute(
                select(rowid, articles.c.id, articles.c.headline, articles.c.published, articles.c.site, snippet)
                .select_from(joined)
                .where(match, rowid >= min(pks), rowid <= max(pks), rowid.in_(pks))
            ).all()
        except OperationalError as error:
            if "fts5" in str(error.orig).lower():
                raise QuerySyntaxError(f"the full-text index refused the query: {error.orig}") from None
            raise
        by_pk = {row[0]: row for row in rows}
        # bm25 is lower-is-better; the hit's score is turned around so that higher is better on both databases.
        return [SearchRow(*by_pk[pk][1:], score=-value) for pk, value in best]


class PostgresFullText:
    """A stored tsvector column (headline weighted A, text B), a GIN index, and tsquery built from the parse."""

    # No stemming and no stop words, as FTS5's unicode61 tokenizer: a query finds the same articles on both
    # databases, and a prefix ("negotiat*") is a prefix of the words as written, not of their stems.
    config = "simple"

    def create(self, connection: Connection) -> None:
        """The generated ``search_vector`` column and its GIN index."""
        connection.execute(
            text(
                "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
                f"setweight(to_tsvector('{self.config}', coalesce(headline, '')), 'A') || "
                f"setweight(to_tsvector('{self.config}', text), 'B')) STORED"
            )
        )
        connection.execute(text("CREATE INDEX ix_articles_search_vector ON articles USING GIN (search_vector)"))

    def tsquery(self, node: Node) -> ColumnElement[Any]:
        """The tsquery for a parse: words and phrases through websearch_to_tsquery, prefixes through to_tsquery."""
        if isinstance(node, Term):
            if node.prefix:
                # Words are letters and digits only (the parser keeps nothing else), so the tsquery syntax is safe.
                expression = " <-> ".join(node.words) + ":*"
                return func.to_tsquery(self.config, literal(expression, String))
            quoted = '"' + " ".join(node.words) + '"' if len(node.words) > 1 else node.words[0]
            return func.websearch_to_tsquery(self.config, literal(quoted, String))
        if isinstance(node, Not):
            return func.tsquery_not(self.tsquery(node.operand))
        combine = func.tsquery_and if isinstance(node, And) else func.tsquery_or
        assert isinstance(node, And | Or)
        result = self.tsquery(node.operands[0])
        for operand in node.operands[1:]:
            result = combine(result, self.tsquery(operand))
        return result

    def search(
        self, connection: Connection, node: Node, filters: list[ColumnElement[bool]], limit: int, candidates: int
    ) -> list[SearchRow]:
        """ts_rank over the newest ``candidates`` matches; ts_headline only for the best ``limit``."""
        query = self.tsquery(node)
        vector: ColumnElement[Any] = literal_column("articles.search_vector")
        matching = (
            select(articles.c.pk)
            .where(vector.op("@@")(query), *filters)
            .order_by(articles.c.pk.desc())
            .limit(candidates)
            .scalar_subquery()
        )
        rank = func.ts_rank(vector, query, type_=Float).label("score")
        best: Select[Any] = (
            select(articles.c.pk, rank).where(articles.c.pk.in_(matching)).order_by(rank.desc()).limit(limit)
        )
        best_rows = best.subquery()
        options = f"StartSel=[, StopSel=], MaxWords={SNIPPET_WORDS}, MinWords=6, MaxFragments=1, FragmentDelimiter=…"
        snippet = func.ts_headline(self.config, articles.c.text, query, options)
        rows = connection.execute(
            select(
                articles.c.id, articles.c.headline, articles.c.published, articles.c.site, snippet, best_rows.c.score
            )
            .join_from(best_rows, articles, articles.c.pk == best_rows.c.pk)
            .order_by(best_rows.c.score.desc(), articles.c.pk.desc())
        ).all()
        return [SearchRow(*row[:5], score=float(row[5])) for row in rows]
