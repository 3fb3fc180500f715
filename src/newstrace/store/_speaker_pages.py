"""A speaker's statements read in page order (schema v10), so a page costs what it shows, not what the speaker said.

``speaker_pages`` holds each statement's first piece's speaker words beside its date key, the key a statement page
sorts by (its ``said_on``, else its article's reference date, else ""), indexed by word, newest first. A query word
begins a few distinct words; each one's entries are read in page order, a chunk at a time, and merged: the page's
candidates in its own order, which the page query then checks (the other words, the filters) a chunk at a time until
the page is full. A speaker with a million statements costs one page of them, as a speaker with ten does.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, select
from sqlalchemy.engine import Connection

from newstrace.model import Article
from newstrace.store.schema import speaker_pages, statement_speakers, statements

__all__ = ["begins", "has_speaker_word", "page_rows", "read_in_order"]

# A query word is read in page order where it begins at most this many distinct speaker words ("42": 42, 420-429);
# past it ("1" begins every number), the page falls back to collecting and sorting the word's statements.
_MOST_WORDS = 16
# Entries read from one word's index at a time, and the first chunk of candidates checked (more on each round).
_STEP = 128
# Candidates checked for a page before it falls back (their share that passes the other words and filters is low).
_LEAST_BUDGET = 1_000


def page_rows(article: Article, keys: Sequence[int], words: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``speaker_pages`` rows of an article: its ``statement_speakers`` rows (``words``) of first pieces, dated.

    ``keys`` are its statements' keys in the order of its quotes. A first piece is one no earlier quote shares a cue
    span with (a piece without a cue always is), as the statement page reads its rows."""
    cues: set[tuple[int, int]] = set()
    said: dict[int, str] = {}
    reference = article.reference_date if article.reference_date is not None else ""
    for quote, key in zip(article.quotes, keys, strict=True):
        cue = (quote.cue.start, quote.cue.end) if quote.cue is not None else None
        if cue is None or cue not in cues:
            said[key] = quote.date if quote.date is not None else reference
        if cue is not None:
            cues.add(cue)
    return [{**row, "said": said[row["statement"]]} for row in words if row["statement"] in said]


def begins(token: ColumnElement[Any], word: str) -> ColumnElement[bool]:
    """``token`` begins with ``word``, as a key range (LIKE would use no index on SQLite's binary collation)."""
    return and_(token >= word, *_upper_bound(token, word))


def has_speaker_word(key: ColumnElement[Any], word: str) -> ColumnElement[bool]:
    """The statement keyed by ``key`` has a speaker word that ``word`` begins (the ``(statement, token)`` index)."""
    other = statement_speakers.alias()
    return exists().where(other.c.statement == key, begins(other.c.token, word))


def _upper_bound(token: ColumnElement[Any], word: str) -> list[ColumnElement[bool]]:
    """The end of the key range of the words that ``word`` begins: none past the last character."""
    last = ord(word[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:  # no surrogate is a character: the next one after them
        last = 0xE000
    return [] if last > 0x10FFFF else [token < word[:-1] + chr(last)]


def read_in_order(
    connection: Connection, page: Select[Any], driver: str, others: list[str], wanted: int
) -> list[int] | None:
    """The first ``wanted`` keys of ``page`` (a statement page's key query, in its order, without limit) among the
    statements with a speaker word that ``driver`` begins and, for each of ``others``, one that it begins; None where
    ``driver`` begins too many words or too few candidates pass, for the caller to collect and sort instead."""
    order = _in_page_order(connection, driver)
    if order is None:
        return None
    checks = [has_speaker_word(statements.c.pk, word) for word in others]
    found: list[int] = []
    read, size, budget = 0, wanted + _STEP, max(4 * wanted, _LEAST_BUDGET)
    while chunk := list(itertools.islice(order, size)):
        # The chunks are consecutive stretches of the page order, and the page query keeps that order in each.
        found += connection.scalars(page.where(statements.c.pk.in_(chunk), *checks))
        read += len(chunk)
        if len(found) >= wanted:
            return found[:wanted]
        if read >= budget:
            return None
        size = min(2 * size, budget - read)
    return found


def _in_page_order(connection: Connection, word: str) -> Iterator[int] | None:
    """The first pieces whose speaker has a word that ``word`` begins, date key newest first, then by key; None where
    ``word`` begins more than ``_MOST_WORDS`` distinct words."""
    tokens: list[str] = []
    token = speaker_pages.c.token
    while len(tokens) <= _MOST_WORDS:
        # One lower bound, past the words found: with two (>= the word, > the last found), SQLite seeks by the first
        # and filters by the second, reading every entry of the words found so far.
        lower = token > tokens[-1] if tokens else token >= word
        found = connection.scalar(select(func.min(token)).where(lower, *_upper_bound(token, word)))
        if found is None:
            break
        tokens.append(found)
    if len(tokens) > _MOST_WORDS:
        return None
    streams = [_entries(connection, token) for token in tokens]
    merged = heapq.merge(*streams, key=lambda entry: (entry[0], -entry[1]), reverse=True)
    return (key for key, _ in itertools.groupby(entry[1] for entry in merged))  # a statement under two of the words


def _entries(connection: Connection, token: str) -> Iterator[tuple[str, int]]:
    """One word's (date key, statement) entries, newest first, then by key, read from the index in reads that grow
    from an eighth of ``_STEP`` to eight times it (of a page's few words, one may give it all)."""
    said, statement = speaker_pages.c.said, speaker_pages.c.statement
    last: tuple[str, int] | None = None
    step = max(1, _STEP // 8)
    while True:
        query = select(said, statement).where(speaker_pages.c.token == token)
        if last is not None:
            query = query.where((said < last[0]) | ((said == last[0]) & (statement > last[1])))
        rows = [(row[0], row[1]) for row in connection.execute(query.order_by(said.desc(), statement).limit(step))]
        yield from rows
        if len(rows) < step:
            return
        last, step = rows[-1], min(2 * step, 8 * _STEP)
