"""The store: migrations, idempotent batch writes, search, lookup, export order."""

from __future__ import annotations

import contextlib
from pathlib import Path

from sqlalchemy import text

from newstrace.model import Article, Failure
from newstrace.store import MIGRATIONS, Store


def article(number: int, body: str = "The port reopened after repairs.", headline: str = "Port reopens") -> Article:
    text_ = f"{body} Story {number}."
    return Article(
        id=f"{number:064x}",
        source=f"doc{number}.txt",
        source_hash=f"{number:064x}",
        media_type="text/plain",
        text=text_,
        headline=f"{headline} {number}",
        published=f"2024-01-{number % 28 + 1:02}",
    )


def test_fresh_database_is_fully_migrated(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        assert store.schema_version() == MIGRATIONS[-1].version
    with Store(tmp_path / "a.db") as store:
        assert store.migrate() == []  # nothing left to apply on reopen


def test_writes_are_idempotent() -> None:
    store = Store(memory=True)
    first = store.write([article(1), article(2)])
    again = store.write([article(1), article(2), article(3)])
    assert (first.stored, first.already_present) == (2, 0)
    assert (again.stored, again.already_present) == (1, 2)
    assert store.count() == 3
    assert store.known_sources([article(1).source_hash, "unknown"]) == {article(1).source_hash}


def test_a_failed_batch_leaves_nothing_behind() -> None:
    store = Store(memory=True)
    broken = article(2)
    broken.text = None  # type: ignore[assignment]  # violates NOT NULL inside the transaction
    with contextlib.suppress(Exception):
        store.write([article(1), broken])
    assert store.count() == 0


def test_failures_are_recorded() -> None:
    store = Store(memory=True)
    store.write([Failure("bad.html", "ingest", "empty input", "h")])
    assert store.failures() == [Failure("bad.html", "ingest", "empty input", "h")]


def test_search_ranks_headline_matches_and_quotes_phrases() -> None:
    store = Store(memory=True)
    store.write(
        [
            article(1, "Ministers met in Minsk."),
            article(2, "Talks in Kiev.", headline="Minsk talks"),
        ]
    )
    hits = store.search("Minsk")
    assert next(hit.id for hit in hits) == article(2).id
    assert len(hits) == 2
    assert [h.id for h in store.search('"met in Minsk"')] == [article(1).id]
    assert store.search('AND OR "(') == []  # FTS syntax in user input is neutralised


def test_get_by_id_and_unique_prefix() -> None:
    store = Store(memory=True)
    store.write([article(10), article(11)])
    found = store.get(article(10).id)
    assert found is not None and found.text == article(10).text
    assert store.get(article(11).id[:-4]) is None or store.get(article(11).id[-6:]) is None
    assert store.get("0" * 63 + "a") is not None  # 10 in hex
    assert store.get("nothing") is None


def test_iter_articles_in_ingest_order() -> None:
    store = Store(memory=True)
    store.write([article(n) for n in range(5)])
    assert [a.id for a in store.iter_articles(batch_size=2)] == [article(n).id for n in range(5)]


def test_fts_stays_in_step_with_deletes() -> None:
    store = Store(memory=True)
    store.write([article(1, "Unique walrus sighting.")])
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM articles"))
    assert store.search("walrus") == []
