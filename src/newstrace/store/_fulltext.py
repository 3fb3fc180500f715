"""The dialect seam: full-text search on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

The indexes searched here are the ones migrations 3 and 4 created (``_migrations``): a change to them is a new
migration, and the search here follows it.
"""

from __future__ import annotations

import heapq
import sqlite3
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    String,
    TextClause,
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

from newstrace.store.query import And, Node, Not, Or, QuerySyntaxError, Term, to_fts5
from newstrace.store.schema import articles

__all__ = [
    "MATCH_END",
    "MATCH_START",
    "FullText",
    "PostgresFullText",
    "SearchRow",
    "SqliteFullText",
    "full_text_for",
    "matched_spans",
]

# Where a snippet's matched words start and end: characters of Unicode's private use area, which news text does not
# use, so a literal "[" in a text is never taken for a match. ``matched_spans`` reads them.
MATCH_START, MATCH_END = "\ue000", "\ue001"
SNIPPET_WORDS = 16
# A prefix covering more indexed words than this is left to FTS5's own prefix matching.
PREFIX_WORDS = 64
# The prefixes of one query are expanded into this many words at most, the rest left to FTS5: each word is a phrase
# that matching, bm25 and snippets weigh, and a query's prefixes (up to query.MAX_PREFIXES) would otherwise make
# a thousand.
EXPANDED_WORDS = 256
# Below this many stored articles bm25 is computed for every query term; above it, terms in half of the newest this
# many articles are left out of scoring (see SqliteFullText._ranked_terms).
IDF_WINDOW = 5000


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

    def search(
        self, connection: Connection, node: Node, filters: list[ColumnElement[bool]], limit: int, candidates: int
    ) -> list[SearchRow]:
        """The ``limit`` best matches among the ``candidates`` most recently stored matching articles."""

    def matches(
        self, connection: Connection, node: Node, filters: list[ColumnElement[bool]], candidates: int
    ) -> list[int]:
        """The keys of the ``candidates`` most recently stored matching articles, newest first (what is ranked)."""


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
    vocabulary = table("articles_fts_vocabulary", column("term", String))

    def __init__(
        self, prefix_words: int = PREFIX_WORDS, idf_window: int = IDF_WINDOW, expanded_words: int = EXPANDED_WORDS
    ) -> None:
        self.prefix_words = prefix_words
        self.idf_window = idf_window
        self.expanded_words = expanded_words

    def search(
        self, connection: Connection, node: Node, filters: list[ColumnElement[bool]], limit: int, candidates: int
    ) -> list[SearchRow]:
        """bm25 (a headline match weighs double) over the newest ``candidates`` matches, then snippets for the best."""
        rowid = self.fts.c.rowid
        try:
            node = self._expand_prefixes(connection, node, [self.expanded_words])
            conditions = self._conditions(node, filters)
            ranked = self._ranked_terms(connection, node)
            # One walk of the index, newest first, stopping after ``candidates`` matches: a word in every article
            # costs no more than that. When every term of the query is ranked, the walk scores as it goes.
            newest = select(rowid).select_from(self.fts).where(*conditions).order_by(rowid.desc()).limit(candidates)
            if not filters and ranked == _terms(node, negated=True):
                scored = _fetch(connection, newest.add_columns(self._bm25()))
                pks, scores = [pk for pk, _ in scored], dict(scored)
            else:
                pks = [pk for (pk,) in _fetch(connection, newest)]
                scores = self._scores(connection, ranked, pks) if pks and ranked else {}
            if not pks:
                return []
            best = heapq.nsmallest(limit, pks, key=lambda pk: (scores.get(pk, 0.0), -pk))
            snippet = func.snippet(literal_column("articles_fts"), 1, MATCH_START, MATCH_END, "…", SNIPPET_WORDS)
            # Snippets mark the query's terms, each once: every hit holds one of them, and FTS5 weighs each phrase of
            # the expression against the others in every fragment it tries.
            marked = text("articles_fts MATCH :marked").bindparams(marked=to_fts5(_any_of(_terms(node))))
            # One pass for all the hits, kept to the rowid range they span (FTS5 bounds its walk by it).
            rows = connection.execute(
                select(rowid, articles.c.id, articles.c.headline, articles.c.published, articles.c.site, snippet)
                .select_from(self.fts.join(articles, articles.c.pk == rowid))
                .where(marked, rowid >= min(best), rowid <= max(best), rowid.in_(best))
            ).all()
        except (OperationalError, sqlite3.OperationalError) as error:
            reason = getattr(error, "orig", error)
            if "fts5" in str(reason).lower():
                raise QuerySyntaxError(f"the full-text index refused the query: {reason}") from None
            raise
        by_pk = {row[0]: row for row in rows}
        # bm25 is lower-is-better; the hit's score is turned around so that higher is better on both databases.
        # A ranked row whose article the join no longer finds (an index out of step with a damaged table) is left out.
        return [SearchRow(*by_pk[pk][1:], score=-scores[pk] if pk in scores else 0.0) for pk in best if pk in by_pk]

    def matches(
        self, connection: Connection, node: Node, filters: list[ColumnElement[bool]], candidates: int
    ) -> list[int]:
        """The rowids of the newest ``candidates`` matches: the walk ``search`` ranks, without scores or snippets."""
        rowid = self.fts.c.rowid
        try:
            node = self._expand_prefixes(connection, node, [self.expanded_words])
            newest = select(rowid).select_from(self.fts).where(*self._conditions(node, filters))
            return [pk for (pk,) in _fetch(connection, newest.order_by(rowid.desc()).limit(candidates))]
        except (OperationalError, sqlite3.OperationalError) as error:
            reason = getattr(error, "orig", error)
            if "fts5" in str(reason).lower():
                raise QuerySyntaxError(f"the full-text index refused the query: {reason}") from None
            raise

    def _conditions(self, node: Node, filters: list[ColumnElement[bool]]) -> list[ColumnElement[bool] | TextClause]:
        """The match of a parse (its prefixes expanded) and the filters, as the walk of the index tests them."""
        conditions: list[ColumnElement[bool] | TextClause] = [
            text("articles_fts MATCH :match").bindparams(match=to_fts5(node))
        ]
        if filters:
            # The filtered articles are found once and each match is probed against that set: '+' keeps SQLite
            # from turning the IN into one index lookup per article, each of which would re-run the match.
            passing = select(articles.c.pk).where(*filters)
            conditions.append(literal_column("+articles_fts.rowid", Integer).in_(passing))
        return conditions

    def _expand_prefixes(self, connection: Connection, node: Node, room: list[int]) -> Node:
        """A one-word ``prefix*`` as the OR of the indexed words it covers, when they are few (and ``room[0]``, the
        words the query may still expand into, holds them).

        FTS5 answers a prefix without a prefix index by merging the whole doclist of every word it covers before
        returning the first match, whatever the LIMIT; an OR of words is walked lazily, newest first, like a word.
        """
        if isinstance(node, Term):
            word = node.words[0].lower()
            # The vocabulary holds words as the tokenizer folded and split them; only ASCII letters and digits fold the
            # same way here and are one token ("_" splits a word for FTS5).
            if not node.prefix or len(node.words) != 1 or not (word.isascii() and word.isalnum()):
                return node
            upper = word[:-1] + chr(ord(word[-1]) + 1)
            covered = list(
                connection.scalars(
                    select(self.vocabulary.c.term)
                    .where(self.vocabulary.c.term >= word, self.vocabulary.c.term < upper)
                    .limit(self.prefix_words + 1)
                )
            )
            if len(covered) > min(self.prefix_words, room[0]):
                return node
            room[0] -= len(covered)
            if not covered:
                return Term((word,))  # matches nothing, as the prefix would
            terms = tuple(Term((term,)) for term in covered)
            return terms[0] if len(terms) == 1 else Or(terms)
        if isinstance(node, Not):
            return Not(self._expand_prefixes(connection, node.operand, room))
        operands = tuple(self._expand_prefixes(connection, operand, room) for operand in node.operands)
        return And(operands) if isinstance(node, And) else Or(operands)

    def _bm25(self) -> ColumnElement[float]:
        return func.bm25(literal_column("articles_fts"), 2.0, 1.0, type_=Float)

    def _ranked_terms(self, connection: Connection, node: Node) -> list[Term]:
        """The query terms bm25 ranks by: all of them, except on a large store those found in most recent articles.

        bm25's idf makes FTS5 evaluate each term of the query over the whole index, whatever the LIMIT (a phrase of
        common words: every article's positions). On a store larger than ``idf_window``, a term in at least half of
        the newest ``idf_window`` articles gets the idf FTS5 floors at 1e-6, so it is not ranked by: its share is
        counted in that window, a bounded walk. Terms under NOT are never ranked by (no match contains them).
        """
        rowid = self.fts.c.rowid
        terms = _terms(node)
        newest = connection.scalar(select(func.max(articles.c.pk))) or 0
        window_start = newest - self.idf_window
        # The window is taken as full: counting its rows would read every article row in it, texts and all. Keys are
        # dense (articles are rarely deleted); a gap only leaves a term in, to be scored exactly.
        if window_start < 0:
            return terms
        kept = []
        for term in terms:
            found = (
                select(rowid)
                .select_from(self.fts)
                .where(text("articles_fts MATCH :term").bindparams(term=to_fts5(term)), rowid > window_start)
            )
            share = connection.scalar(select(func.count()).select_from(found.subquery()))
            if 2 * (share or 0) < self.idf_window:
                kept.append(term)
        return kept

    def _scores(self, connection: Connection, terms: list[Term], pks: list[int]) -> dict[int, float]:
        """bm25 of the candidates (lower is better) over ``terms`` alone, walked over the candidates' rowid range."""
        rowid = self.fts.c.rowid
        scoring = " OR ".join(to_fts5(term) for term in terms)
        wanted = set(pks)
        rows = _fetch(
            connection,
            select(rowid, self._bm25())
            .select_from(self.fts)
            .where(text("articles_fts MATCH :scoring").bindparams(scoring=scoring), rowid >= pks[-1], rowid <= pks[0]),
        )
        return {pk: value for pk, value in rows if pk in wanted}


def _fetch(connection: Connection, statement: Select[Any]) -> list[Any]:
    """Rows as the driver's tuples: SQLAlchemy's own rows cost ~3 µs each, a third of a query's CPU at 2,000."""
    compiled = statement.compile(dialect=connection.dialect)
    parameters = compiled.construct_params()
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), [parameters[name] for name in compiled.positiontup or ()])
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _any_of(terms: list[Term]) -> Node:
    """A node matching what any of these terms matches."""
    return terms[0] if len(terms) == 1 else Or(tuple(terms))


def _terms(node: Node, *, negated: bool = False) -> list[Term]:
    """The query's terms, each once: those a match can contain, and with ``negated`` those under NOT as well."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return _terms(node.operand, negated=True) if negated else []
    return list(dict.fromkeys(term for operand in node.operands for term in _terms(operand, negated=negated)))


class PostgresFullText:
    """A stored tsvector column (headline weighted A, text B), a GIN index, and tsquery built from the parse."""

    # No stemming and no stop words, as FTS5's unicode61 tokenizer: a query finds the same articles on both
    # databases, and a prefix ("negotiat*") is a prefix of the words as written, not of their stems.
    config = "simple"

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

    def matches(
        self, connection: Connection, node: Node, filters: list[ColumnElement[bool]], candidates: int
    ) -> list[int]:
        """The keys of the newest ``candidates`` matches: the set ``search`` ranks."""
        vector: ColumnElement[Any] = literal_column("articles.search_vector")
        newest = select(articles.c.pk).where(vector.op("@@")(self.tsquery(node)), *filters)
        return list(connection.scalars(newest.order_by(articles.c.pk.desc()).limit(candidates)))

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
        options = (
            f"StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords={SNIPPET_WORDS}, MinWords=6, MaxFragments=1, "
            "FragmentDelimiter=…"
        )
        snippet = func.ts_headline(self.config, articles.c.text, query, options)
        rows = connection.execute(
            select(
                articles.c.id, articles.c.headline, articles.c.published, articles.c.site, snippet, best_rows.c.score
            )
            .join_from(best_rows, articles, articles.c.pk == best_rows.c.pk)
            .order_by(best_rows.c.score.desc(), articles.c.pk.desc())
        ).all()
        return [SearchRow(*row[:5], score=float(row[5])) for row in rows]


def matched_spans(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A snippet as shown ("[word]" around each match) and where each matched word is in it, from the database's
    snippet with ``MATCH_START``/``MATCH_END`` around the matches."""
    shown: list[str] = []
    spans: list[tuple[int, int]] = []
    length, start = 0, 0
    for char in marked:
        if char == MATCH_START:
            shown.append("[")
            length += 1
            start = length
        elif char == MATCH_END:
            spans.append((start, length))
            shown.append("]")
            length += 1
        else:
            shown.append(char)
            length += 1
    return "".join(shown), tuple(spans)
