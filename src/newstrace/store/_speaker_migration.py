"""Migration 8, frozen as it was released: the words of every stored statement's speaker, indexed."""

from __future__ import annotations

import json
import re
from collections import defaultdict

from sqlalchemy import insert, text
from sqlalchemy.engine import Connection

from newstrace.model import transliterate
from newstrace.store._history import STATEMENT_SPEAKERS_V8

__all__ = ["speaker_index"]

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
