"""The speaker filter reads its word index (statement_speakers): romanised and Cyrillic, several words, migrated."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select, text

from newstrace.model import Article
from newstrace.store import Store, _read
from newstrace.store.rows import speaker_tokens, speaker_words
from newstrace.store.schema import articles, statement_speakers
from test_store import _postgres_store, _v2_database, annotated, article


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """The same tests against an in-memory SQLite database and PostgreSQL."""
    opened = Store(memory=True) if request.param == "sqlite" else _postgres_store()
    yield opened
    opened.close()


def _russian(number: int) -> Article:
    """Михаил Галузин speaking, his entity keyed by its romanised id, as the Russian pipeline writes it."""
    item = annotated(number, speaker="Михаил Галузин", role="замминистра")
    said_id = "person:mikhail-galuzin"
    item.entities_index = [dataclasses.replace(item.entities_index[0], id=said_id), *item.entities_index[1:]]
    item.entities = [dataclasses.replace(item.entities[0], entity_id=said_id), *item.entities[1:]]
    speaker = item.quotes[0].speaker
    assert speaker is not None
    item.quotes = [dataclasses.replace(item.quotes[0], speaker=dataclasses.replace(speaker, entity_id=said_id))]
    assert item.provenance_errors() == []
    return item


def _said_by(store: Store, speaker: str) -> list[str]:
    """The speakers' names of the statements the filter finds, by article number order."""
    return sorted(hit.quote.speaker.name for hit in store.statements(speaker=speaker) if hit.quote.speaker)


def test_tokens_are_the_casefolded_words_of_each_name_and_its_romanised_form() -> None:
    assert speaker_tokens(["Михаил Галузин", None], "person:mikhail-galuzin") == {
        "михаил",
        "галузин",
        "mikhail",
        "galuzin",
    }
    assert speaker_tokens(["Jean-Pierre Łukaszenka"], "e1") == {"jean", "pierre", "łukaszenka", "lukaszenka"}
    assert speaker_words("Семён  O'Brien") == ["семен", "o", "brien"]


def test_romanised_and_cyrillic_queries_find_the_same_russian_speaker(store: Store) -> None:
    store.write([_russian(1), annotated(2, "Alexander Lukashenko")])
    for query in ("Galuzin", "galuz", "Галузин", "ГАЛУЗ", "Mikhail Galuzin", "Михаил Галузин", "Galuzin Михаил"):
        assert _said_by(store, query) == ["Михаил Галузин"], query
    assert _said_by(store, "Lukashenko") == ["Alexander Lukashenko"]
    assert [hit.id for hit in store.search("Minsk", speaker="Galuzin")] == [_russian(1).id]


def test_every_query_word_begins_a_word_of_the_same_speaker(store: Store) -> None:
    store.write([annotated(1, "Tim Cook"), annotated(2, "Tim Smith"), annotated(3, "Anna Cook")])
    assert _said_by(store, "Tim Cook") == ["Tim Cook"]
    assert _said_by(store, "cook") == ["Anna Cook", "Tim Cook"]
    assert _said_by(store, "tim") == ["Tim Cook", "Tim Smith"]
    assert _said_by(store, "Tim Co") == ["Tim Cook"]
    assert _said_by(store, "Smith Cook") == []
    assert _said_by(store, "ook") == []  # from a word's start, as an index reads it
    assert _said_by(store, "Deputy") == []  # roles are no part of the name
    assert {hit.id for hit in store.search("Minsk", speaker="Tim Cook")} == {annotated(1).id}


def test_a_statement_without_a_named_speaker_has_no_words(store: Store) -> None:
    store.write([annotated(1)])
    with store.engine.connect() as connection:
        rows = connection.execute(select(statement_speakers.c.token)).scalars().all()
    # The quote of "Around 9,000 troops" has no speaker: its statement gets no rows.
    assert sorted(rows) == ["galuzin", "mikhail"]
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM articles"))
        assert connection.scalar(select(func.count()).select_from(statement_speakers)) == 0


def _explained(path: Path, call: Any) -> list[str]:
    """The query plans SQLite makes for each statement ``call`` runs on a store at ``path``."""
    seen: list[tuple[str, Any]] = []
    with Store(path) as store:

        def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
            seen.append((statement, parameters))

        event.listen(store.engine, "before_cursor_execute", record)
        call(store)
    with sqlite3.connect(path) as raw:
        return [
            " | ".join(row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters))
            for statement, parameters in seen
            if statement.lstrip().upper().startswith("SELECT")
        ]


def test_the_speaker_filter_reads_the_index_and_scans_no_statements(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Store(path) as store:
        store.write([annotated(n, speaker) for n, speaker in enumerate(["Tim Cook", "Anna Berg", "Tim Smith"] * 20)])
    plans = _explained(path, lambda store: store.statements(speaker="Tim Cook"))
    # Search runs its filters through the driver's cursor, past SQLAlchemy's events: its filter is compiled here.
    plans += _explained(
        path, lambda store: _read.filters(store.engine, since=None, until=None, site=None, speaker="Tim")
    )
    with Store(path) as store:
        conditions = _read.filters(store.engine, since=None, until=None, site=None, speaker="Tim Cook")
        compiled = select(articles.c.pk).where(*conditions).compile(dialect=store.engine.dialect)
    parameters = compiled.construct_params()
    with sqlite3.connect(path) as raw:
        explained = raw.execute(f"EXPLAIN QUERY PLAN {compiled}", [parameters[n] for n in compiled.positiontup or ()])
        plans.append(" | ".join(row[3] for row in explained))
    reading = [plan for plan in plans if "statement_speakers" in plan]
    assert len(plans) - len(reading) == 3, plans  # the listing's page rows, further pieces and roles read none
    for plan in reading:
        # A query word's range on the primary key, the others through the (statement, token) index; no scan.
        assert "SEARCH statement_speakers USING PRIMARY KEY (token>? AND token<?)" in plan, plan
        assert "SCAN statements" not in plan and "SCAN statement_speakers" not in plan, plan
    # The listing (its two words counted, then its page), and the search's filter (a word alone: its query).
    for plan in (reading[2], reading[-1]):
        assert "SEARCH statements USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan
        assert "COVERING INDEX ix_statement_speakers_statement (statement=? AND token>? AND token<?)" in plan, plan


def test_a_v7_store_gets_its_speaker_words_when_upgraded(tmp_path: Path) -> None:
    items = [_russian(1), article(2, "Talks in Kiev."), annotated(3, "Alexander Lukashenko"), annotated(4, "Tim Cook")]
    path = tmp_path / "v7.db"
    _v2_database(path, items)
    with Store(path, migrate=False) as store:
        assert store.migrate(upto=7) == [3, 4, 5, 6, 7]
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'statement_speakers'").fetchone() == (0,)
    with Store(path) as store:
        assert store.schema_version() == 10
        assert _said_by(store, "Galuzin") == _said_by(store, "Галузин") == ["Михаил Галузин"]
        assert _said_by(store, "Tim Cook") == ["Tim Cook"]
        migrated = _words(store)
    # The same rows as writing the articles into a new store gives.
    with Store(tmp_path / "new.db") as fresh:
        fresh.write(items)
        assert _words(fresh) == migrated


def test_a_v7_postgresql_store_gets_its_speaker_words_when_upgraded() -> None:
    items = [_russian(1), annotated(2, "Tim Cook")]
    with _postgres_store(migrate=False) as store:
        _v2_database(store, items)
        assert store.migrate(upto=7) == [3, 4, 5, 6, 7]
        assert store.migrate() == [8, 9, 10]
        assert _said_by(store, "galuzin") == _said_by(store, "ГАЛУЗИН") == ["Михаил Галузин"]
        assert _said_by(store, "Tim Co") == ["Tim Cook"]
        with store.engine.connect() as connection:
            # The words compare by code point ("C"): every word a prefix begins lies in one key range.
            assert connection.scalar(text("SELECT 'a' < 'B' COLLATE \"C\"")) is False
            # However few the rows, the range is one the primary key can serve (in "C" order).
            connection.execute(text("SET enable_seqscan = off"))
            explained = " ".join(
                connection.execute(
                    text("EXPLAIN SELECT statement FROM statement_speakers WHERE token >= 'galuz' AND token < 'galu{'")
                ).scalars()
            )
            assert "Index Cond: ((token >= 'galuz'::text) AND (token < 'galu{'::text))" in explained, explained
        assert store.migrate() == []


def _words(store: Store) -> list[tuple[str, str, str | None]]:
    """Each speaker word with its statement's article and speaker name: keys differ between stores, these do not."""
    query = text(
        "SELECT w.token, a.id, s.speaker_name FROM statement_speakers w JOIN statements s ON s.pk = w.statement "
        "JOIN articles a ON a.pk = s.article"
    )
    with store.engine.connect() as connection:
        return sorted((row[0], row[1], row[2]) for row in connection.execute(query))


def test_the_rarest_query_word_drives_the_lookup_even_past_the_first_count(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "tim" begins 60 speakers' words and "cook" 20: both reach counts bounded at 1 and 10, and 100 tells them apart.
    monkeypatch.setattr(_read, "_SPEAKER_PROBE", 1)
    store.write([annotated(n, speaker) for n, speaker in enumerate(["Tim Cook", "Tim Smith", "Tim Berg"] * 20)])
    seen: list[tuple[str, Any]] = []
    event.listen(store.engine, "before_cursor_execute", lambda *call: seen.append((call[2], call[3])))
    assert len(store.statements(speaker="Tim Cook")) == 20

    def named(parameters: Any) -> list[Any]:
        return [value for value in (parameters.values() if isinstance(parameters, dict) else parameters)]

    # The rarest word's entries are read in page order; the page's query checks the other word per statement.
    driving = {value for statement, parameters in seen if "speaker_pages" in statement for value in named(parameters)}
    assert "cook" in driving and "tim" not in driving
    (page,) = [parameters for statement, parameters in seen if statement.startswith("SELECT statements.pk \n")]
    assert [value for value in named(page) if value in ("cook", "tim")] == ["tim"]
    # Collected and sorted instead, the rarest word's key range is read first, then the per-statement check.
    monkeypatch.setattr(_read._SpeakerLookup, "page_in_order", lambda *arguments: None)
    seen.clear()
    assert len(store.statements(speaker="Tim Cook")) == 20
    (page,) = [parameters for statement, parameters in seen if statement.startswith("SELECT statements.pk \n")]
    assert [value for value in named(page) if value in ("cook", "tim")] == ["cook", "tim"]
