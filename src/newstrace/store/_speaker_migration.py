"""Migrations 8 and 10, frozen as they were released: the words of every stored statement's speaker, indexed, and
those of each first piece by date."""

from __future__ import annotations

import json
import re
from collections import defaultdict

from sqlalchemy import insert, text
from sqlalchemy.engine import Connection

from newstrace.model import transliterate
from newstrace.store._history import SPEAKER_PAGES_V10, STATEMENT_SPEAKERS_V8

__all__ = ["speaker_index", "speaker_pages"]

# v8's speaker words: letters and digits, casefolded, ё read as е, at most 64 characters.
_SPEAKER_WORD_V8 = re.compile(r"[^\W_]+")


def _speaker_words_v8(text: str) -> set[str]:
    return {word[:64] for word in _SPEAKER_WORD_V8.findall(text.casefold().replace("ё", "е"))}


def _speaker_tokens_v8(names: list[str | None], entity_id: str | None) -> set[str]:
    """Each name's words and its romanised form's, and the words of the entity id's name part."""
    tokens: set[str] = set()
    for name in names:
        if name:
            tokens |= _speaker_words_v8(name) | _speaker_words_v8(transliterate(name))
    if entity_id and ":" in entity_id:
        tokens |= _speaker_words_v8(entity_id.partition(":")[2])
    return tokens


def speaker_index(connection: Connection) -> None:
    """v8: the words of every statement's speaker (its name, its entity's name and aliases, their romanised forms,
    the entity id's name part) in ``statement_speakers``, so a speaker filter reads an index instead of scanning.

    Filled from the statements and entities tables by ranges of statement keys, each range's rows in key order.
    """
    STATEMENT_SPEAKERS_V8.create(connection)
    last = connection.scalar(text("SELECT coalesce(max(pk), 0) FROM statements")) or 0
    speakers = text(
        "SELECT s.pk, s.speaker_name, s.speaker_entity_id, e.name, e.aliases FROM statements s "
        "LEFT JOIN entities e ON e.article = s.article AND e.entity_id = s.speaker_entity_id "
        "WHERE s.has_speaker AND s.pk > :low AND s.pk <= :high"
    )
    low = 0
    while low < last:
        high = low + 20_000
        names: dict[int, list[str | None]] = defaultdict(list)
        ids: dict[int, str | None] = {}
        for pk, speaker_name, entity_id, entity_name, aliases in connection.execute(
            speakers, {"low": low, "high": high}
        ):
            names[pk] += [speaker_name, entity_name, *(json.loads(aliases) if aliases else [])]
            ids[pk] = entity_id
        rows = [
            {"token": token, "statement": pk}
            for pk in sorted(names)
            for token in sorted(_speaker_tokens_v8(names[pk], ids[pk]))
        ]
        if rows:
            connection.execute(insert(STATEMENT_SPEAKERS_V8), rows)
        low = high


def speaker_pages(connection: Connection) -> None:
    """v10: each statement's first piece's speaker words beside its date key (``said_on``, else its article's
    reference date, else ""), from ``statement_speakers``: a page of a speaker's statements is read in order.

    A first piece is a statement row that no earlier row of its article shares a cue span with (a row without a cue
    always is). On SQLite the table is its own index, keyed in page order (a WITHOUT ROWID key may run descending,
    which SQLAlchemy cannot declare): half the bytes of a table beside an index, which PostgreSQL's heap needs."""
    if connection.dialect.name == "sqlite":
        connection.execute(
            text(
                "CREATE TABLE speaker_pages (token TEXT NOT NULL, statement INTEGER NOT NULL "
                "REFERENCES statements (pk) ON DELETE CASCADE, said VARCHAR(32) NOT NULL, "
                "PRIMARY KEY (token, said DESC, statement)) WITHOUT ROWID"
            )
        )
    else:
        SPEAKER_PAGES_V10.create(connection)
    connection.execute(
        text(
            "INSERT INTO speaker_pages (token, statement, said) "
            "SELECT w.token, s.pk, coalesce(s.said_on, a.reference_date, '') FROM statement_speakers w "
            "JOIN statements s ON s.pk = w.statement JOIN articles a ON a.pk = s.article "
            "WHERE NOT EXISTS (SELECT 1 FROM statements e WHERE e.article = s.article AND e.cue_start = s.cue_start "
            "AND e.cue_end = s.cue_end AND e.pk < s.pk)"
        )
    )
