"""A speaker's statements read in page order (speaker_pages, v10): the same pages as collecting and sorting them."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from newstrace.model import Article, Entity, Mention, Quote, Speaker
from newstrace.store import Store, _read, _speaker_pages
from newstrace.store.schema import speaker_pages
from test_store import _postgres_store, _v2_database, article
from test_store_speakers import _explained


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    opened = Store(memory=True) if request.param == "sqlite" else _postgres_store()
    yield opened
    opened.close()


def _spoken(number: int, rng: random.Random) -> Article:
    """Three statements by speakers drawn from 30 "Person N" and 20 "Abc N Smith" (one word each: abc0-abc19), the
    second of two pieces around its cue; dates said, from the article, or none at all, many of them equal."""
    names = [f"Person {rng.randrange(30)}" if rng.random() < 0.8 else f"Abc{rng.randrange(20)} Smith" for _ in "123"]
    parts, spans = [], []
    at = 0
    for index, name in enumerate(names):
        sentence = f"{name} said that talks {number} {index} went well"
        extra = " and that more would follow." if index == 1 else "."
        parts.append(sentence + extra + " ")
        spans.append((at, name, sentence, extra))
        at += len(sentence + extra) + 1
    item = article(number, "".join(parts).strip())
    item.reference_date = rng.choice([None, "2024-01-05", "2024-01-06", "2024-02"])
    people: dict[str, str] = {}
    item.quotes, item.entities = [], []
    for start, name, sentence, extra in spans:
        entity = people.setdefault(name, f"e{len(people) + 1}")
        item.entities.append(Mention(name, "PERSON", start, start + len(name), entity))
        speaker = Speaker(item.span(start, start + len(name)), entity, name, "named")
        cue = item.span(start + len(name) + 1, start + len(name) + 5)
        content = item.span(cue.end + 1, start + len(sentence))
        said = rng.choice([None, "2024-01-05", "2024-01-07", item.reference_date])
        confidence = rng.choice([0.4, 0.7, 0.95])
        item.quotes.append(Quote("indirect", content, cue, "say", speaker, None, said, "cue", confidence))
        if extra != ".":  # a second piece sharing the cue: one statement of two pieces
            more = item.span(start + len(sentence) + 1, start + len(sentence) + len(extra) - 1)
            item.quotes.append(Quote("indirect", more, cue, "say", speaker, None, said, "cue", confidence))
    item.entities_index = [Entity(entity, name, "PERSON", [], []) for name, entity in people.items()]
    assert item.provenance_errors() == []
    return item


def _corpus() -> list[Article]:
    rng = random.Random(7)
    return [_spoken(number, rng) for number in range(1, 161)]


def _sorted(store: Store, monkeypatch: pytest.MonkeyPatch, **query: Any) -> list[tuple[str, int]]:
    """The page as collecting and sorting the speaker's statements gives it."""
    with monkeypatch.context() as patched:
        patched.setattr(_read._SpeakerLookup, "page_in_order", lambda *arguments: None)
        return _page(store, **query)


def _page(store: Store, **query: Any) -> list[tuple[str, int]]:
    return [(hit.article_id, hit.quote.content.start) for hit in store.statements(**query)]


def test_pages_read_in_order_equal_the_sorted_ones(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.write(_corpus())
    # Small steps: a word's entries come in many reads, a page's candidates in many chunks, each boundary tested;
    # and a word with a few entries counts as many (else its few candidates are collected and sorted).
    monkeypatch.setattr(_speaker_pages, "_STEP", 3)
    monkeypatch.setattr(_read, "_SPEAKER_PROBE", 4)
    answers: list[list[int] | None] = []
    read_in_order = _read.read_in_order

    def spied(*arguments: Any) -> list[int] | None:
        answers.append(read_in_order(*arguments))
        return answers[-1]

    monkeypatch.setattr(_read, "read_in_order", spied)
    queries: list[dict[str, Any]] = [
        {"speaker": speaker, "limit": limit, "offset": offset}
        for speaker in ("Person", "Person 2", "person 1", "2", "Smith", "Abc1 Smith", "abc", "Nobody")
        for limit, offset in ((100, 0), (7, 0), (7, 7), (5, 60), (50, 400))
    ]
    queries += [{"speaker": "Person", "min_confidence": 0.9, "limit": 20, "offset": 3}]
    queries += [{"speaker": "Person 1", "since": "2024-01-06", "limit": 10, "offset": 0}]
    queries += [{"speaker": "Person", "words": "follow", "limit": 10, "offset": 2}]
    for query in queries:
        expected = _sorted(store, monkeypatch, **query)
        assert _page(store, **query) == expected, query
    assert expected and len(_page(store, speaker="Person", limit=1000)) > 300  # pages of substance
    # Read in order wherever a word begins at most 16 others ("Person 1": "1" and "10"-"19"); "abc" begins 20.
    assert sum(answer is not None for answer in answers) > len(queries) // 2
    answers.clear()
    _page(store, speaker="abc")
    assert answers == [None]
    answers.clear()
    monkeypatch.setattr(_read, "_SPEAKER_PROBE", 1000)
    _page(store, speaker="Person")  # few entries, fewer than a count of 1,000: collected and sorted
    assert answers == []


def test_each_first_piece_is_dated_as_its_page_sorts_it(store: Store) -> None:
    items = _corpus()[:20]
    store.write(items)
    with store.engine.connect() as connection:
        rows = connection.execute(select(speaker_pages.c.statement, speaker_pages.c.said).distinct()).all()
    # Quote 2 of each article is the second piece of its statement 1 (``_spoken``): first pieces only, each dated by
    # its date, else its article's reference date, else "".
    expected = [
        quote.date if quote.date is not None else item.reference_date or ""
        for item in items
        for index, quote in enumerate(item.quotes)
        if index != 2
    ]
    assert sorted(row.said for row in rows) == sorted(expected)
    assert len(rows) == 3 * len(items)


def test_a_page_reads_its_words_in_index_order_and_scans_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_read, "_SPEAKER_PROBE", 4)  # "2" begins 2 and 20-29: read in page order past 4 entries
    path = tmp_path / "a.db"
    with Store(path) as store:
        store.write(_corpus()[:40])
    plans = _explained(path, lambda store: store.statements(speaker="Person 2", limit=5))
    reading = [plan for plan in plans if "speaker_pages" in plan]
    assert any("speaker_pages USING PRIMARY KEY (token=?)" in plan for plan in reading), plans
    for plan in plans:
        assert "SCAN statements" not in plan and "SCAN speaker_pages" not in plan, plan
    for plan in reading:
        assert "TEMP B-TREE" not in plan, plan  # the index gives the order: no sort of a speaker's entries


def test_a_v9_store_gets_its_pages_when_upgraded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = _corpus()[:30]
    path = tmp_path / "v9.db"
    _v2_database(path, items)
    with Store(path, migrate=False) as store:
        assert store.migrate(upto=9) == [3, 4, 5, 6, 7, 8, 9]
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'speaker_pages'").fetchone() == (0,)
    with Store(path) as store:
        assert store.schema_version() == 10
        migrated = _pages(store)
        monkeypatch.setattr(_read, "_SPEAKER_PROBE", 4)
        listed = _page(store, speaker="Person", limit=50)
    with Store(tmp_path / "new.db") as fresh:
        fresh.write(items)
        assert _pages(fresh) == migrated and len(migrated) > 60
        assert _page(fresh, speaker="Person", limit=50) == listed


def _pages(store: Store) -> list[tuple[str, int, str]]:
    with store.engine.connect() as connection:
        rows = connection.execute(select(speaker_pages.c.token, speaker_pages.c.statement, speaker_pages.c.said))
        return sorted((row.token, row.statement, row.said) for row in rows)
