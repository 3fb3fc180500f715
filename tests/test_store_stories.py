"""Stories kept in the store (schema v6): assigned at ingest in the article's transaction, rebuilt, migrated."""

from __future__ import annotations

import random
import sqlite3
import threading
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from newstrace.corpus import StoryDoc, StoryIndex, StoryRecord, doc_from_article
from newstrace.embed import pack
from newstrace.model import Article, Failure, RemovedSpan
from newstrace.store import Store
from newstrace.store import _story_tables as story_tables
from newstrace.store.schema import articles, stories, story_counters, story_entries, story_lineage, story_members
from test_cli_corpus import DENIAL, PATROL, PATROL_COPY, VOLCANO, _article
from test_store import _postgres_store, _v2_database


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A store on each backend: a SQLite file (so a second Store can open it) and PostgreSQL."""
    opened = Store(tmp_path / "s.db") if request.param == "sqlite" else _postgres_store()
    yield opened
    opened.close()


def _corpus() -> list[Article]:
    """Two outlets carrying one patrol story (one a wire copy crediting Coast Wire), a follow-up, a volcano."""
    return [
        _article("a" * 64, PATROL, "coastnews.example", "2026-03-02", "Joint patrol to begin in April"),
        _article("b" * 64, PATROL_COPY, "blog.example", "2026-03-03", "Joint patrol to begin in April"),
        _article("c" * 64, VOLCANO, "geo.example", "2026-03-03", "Hekla alert raised"),
        _article("d" * 64, DENIAL, "coastnews.example", "2026-03-04", "No fishing ban, Marsh says"),
    ]


def _in_memory(items: list[Article]) -> list[StoryRecord]:
    """The stories an in-memory index makes of these articles added in this order."""
    index = StoryIndex()
    for item in items:
        index.add(doc_from_article(item))
    return sorted(index.stories(), key=lambda r: r.id)


def _stored(store: Store) -> list[StoryRecord]:
    return sorted(store.story_records(), key=lambda r: r.id)


def _count(store: Store, table: object) -> int:
    with store.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(table)) or 0  # type: ignore[arg-type]


def test_each_write_keeps_the_stories_an_index_makes_of_the_same_articles(store: Store) -> None:
    items = _corpus()
    for item in items:
        store.write([item])
    stored = _stored(store)
    assert stored == _in_memory(items)
    by_id = {record.id: record for record in stored}
    patrol = by_id["a" * 64]
    assert patrol.origin_id == "a" * 64 and patrol.first_seen == "2026-03-02"
    relations = {member.article_id: (member.relation, member.copy_of) for member in patrol.members}
    assert relations["b" * 64] in {("copy", "a" * 64), ("syndicated", "a" * 64)}
    assert len(by_id["c" * 64].members) == 1
    assert _count(store, stories) == len(stored) and _count(store, story_members) == len(items)


def test_a_story_whose_origin_arrives_late_is_stored_once_under_the_origin(store: Store) -> None:
    copy, original = _corpus()[1], _corpus()[0]
    store.write([copy])  # the copy first: for now it is the story's origin and key
    assert [record.id for record in _stored(store)] == ["b" * 64]
    store.write([original])  # published a day earlier: the story becomes the original's
    stored = _stored(store)
    assert [(record.id, record.origin_id, record.first_seen) for record in stored] == [
        ("a" * 64,) * 2 + ("2026-03-02",)
    ]
    assert stored == _in_memory([copy, original])
    assert _count(store, stories) == 1 and _count(store, story_members) == 2


def test_the_stated_lineage_is_stored_with_its_evidence_cut_from_the_text(store: Store) -> None:
    items = _corpus()
    store.write(items)
    with store.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(story_lineage)) == 1
    (edge,) = next(r for r in store.story_records() if r.id == "a" * 64).lineage
    copy = items[1]
    assert edge.article_id == copy.id and edge.source == "Coast Wire"
    assert copy.text[edge.evidence.start : edge.evidence.end] == edge.evidence.text
    (one,) = store.story_records("a" * 10)  # a unique prefix of its id
    assert one.lineage == [edge]


def test_a_reingest_changes_nothing_and_a_new_store_continues_from_the_stored_index(store: Store) -> None:
    items = _corpus()
    store.write(items[:3])
    before = _stored(store)
    assert store.write(items[:3]).already_present == 3
    assert _stored(store) == before and _count(store, story_members) == 3
    # Another Store on the same database rebuilds the index from the stored texts when it writes, and goes on.
    with Store(store.url if store.engine.dialect.name != "sqlite" else store.name) as again:
        again.write(items[3:])
        assert _stored(again) == _in_memory(items)


def test_a_rolled_back_batch_leaves_no_story_rows_and_the_next_write_is_right(store: Store) -> None:
    items = _corpus()
    store.write(items[:1])

    def failing() -> Iterator[Article]:
        yield items[1]
        yield items[2]
        raise RuntimeError("the reader broke")

    with pytest.raises(RuntimeError):
        store.write(failing())
    assert _count(store, story_members) == 1 and _stored(store) == _in_memory(items[:1])
    # A batch that fails after its stories were assigned: the index is ahead of the tables and must be rebuilt.
    assign = store.stories.add

    def assign_then_fail(connection: Connection, stored: Sequence[tuple[int, Article]]) -> None:
        assign(connection, stored)
        raise RuntimeError("the commit broke")

    store.stories.add = assign_then_fail  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        store.write(items[1:3])
    del store.stories.add
    assert _count(store, story_members) == 1 and _count(store, stories) == 1 and _stored(store) == _in_memory(items[:1])
    store.write(items[1:])
    assert _stored(store) == _in_memory(items)


def test_a_fresh_store_writes_from_its_tables_without_replaying_the_stored_texts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = _corpus()
    with Store(tmp_path / "live.db") as live:
        live.write(items[:2])
        live.write(items[2:])  # the same Store: what it cached of the index's tables stays in memory
        expected = _stored(live)
    with Store(tmp_path / "reloaded.db") as first:
        first.write(items[:2])
    with Store(tmp_path / "reloaded.db") as second, Store(tmp_path / "reloaded.db") as other:
        assert _stored(second) == _in_memory(items[:2])
        # Neither writer reads a stored text back to assign: the index's state is in the tables.
        monkeypatch.setattr(story_tables, "stored_docs", lambda *a, **k: pytest.fail("replayed the stored texts"))
        second.write(items[2:3])
        other.write(items[3:])  # another writer: the first sees its article through the tables
        second.write([_article("e" * 64, VOLCANO + " Flights resumed.", "geo.example", "2026-03-05", "Hekla calm")])
        monkeypatch.undo()
        assert _stored(second)[: len(expected)] != [] and _count(second, story_entries) == 5
    with Store(tmp_path / "reloaded.db") as fresh:
        extra = _article("e" * 64, VOLCANO + " Flights resumed.", "geo.example", "2026-03-05", "Hekla calm")
        assert _stored(fresh) == _in_memory([*items, extra])
    with Store(tmp_path / "live.db") as live:
        assert _stored(live) == expected == _in_memory(items)


def _drop_index_tables(path: Path) -> None:
    """Make a store a v8 one: no story index tables, migration 9 not applied."""
    with sqlite3.connect(path) as raw:
        for table in INDEX_TABLES:
            raw.execute(f"DROP TABLE {table}")
        raw.execute("DELETE FROM schema_migrations WHERE version = 9")


INDEX_TABLES = (
    "story_terms", "story_entries", "story_state", "story_postings", "story_bands", "story_people", "story_counters",
)  # fmt: skip


def test_a_v8_store_builds_its_index_tables_once_with_progress_and_a_killed_build_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = _corpus()
    extra = _article("e" * 64, VOLCANO + " Flights resumed.", "geo.example", "2026-03-05", "Hekla calm")
    with Store(tmp_path / "s.db") as first:
        first.write(items)
    _drop_index_tables(tmp_path / "s.db")
    monkeypatch.setattr(story_tables, "_BUILD_BATCH", 1)
    with Store(tmp_path / "s.db") as store:
        assert store.schema_version() == 10 and _count(store, story_entries) == 0  # created empty, built at a write
        reported: list[tuple[int, int]] = []
        store.stories.on_replay = lambda done, total: reported.append((done, total))
        # Killed after its second transaction: the two committed stay.
        original = story_tables.StoryKeeper._build

        def killed(keeper: object, connection: Connection, limit: int | None) -> int:
            if len(reported) == 2:
                raise KeyboardInterrupt
            return original(keeper, connection, limit)  # type: ignore[arg-type]

        monkeypatch.setattr(story_tables.StoryKeeper, "_build", killed)
        with pytest.raises(KeyboardInterrupt):
            store.write([extra])
        assert reported == [(1, 4), (2, 4)] and _count(store, story_entries) == 2
        monkeypatch.setattr(story_tables.StoryKeeper, "_build", original)
    with Store(tmp_path / "s.db") as store:
        reported = []
        store.stories.on_replay = lambda done, total: reported.append((done, total))
        store.write([extra])
        assert reported == [(1, 2), (2, 2)]  # only the two the killed build had left
        assert _count(store, story_entries) == 5 and _stored(store) == _in_memory([*items, extra])


def test_writers_at_once_keep_the_stories_a_rebuild_in_key_order_makes(store: Store) -> None:
    # The server writes from several threads and two ingests may share a database: writes take turns, so the
    # stored stories are those an index makes of the articles in the order of their keys, and none is lost.
    items = [
        _article(f"{n:064x}", f"{text} Update {n}.", site, f"2026-03-{2 + n % 5:02d}", f"{headline} {n}")
        for n, (text, site, headline) in enumerate(
            [(PATROL, "coastnews.example", "Joint patrol"), (VOLCANO, "geo.example", "Hekla alert")] * 6
        )
    ]
    url = store.url if store.engine.dialect.name != "sqlite" else store.name
    with Store(url) as other:
        writers = [store, store, other]
        threads = [
            threading.Thread(target=lambda n=n: [writers[n % 3].write([item]) for item in items[n::4]])
            for n in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    with store.engine.connect() as connection:
        order = list(connection.scalars(select(articles.c.id).order_by(articles.c.pk)))
    assert sorted(order) == sorted(item.id for item in items)
    by_id = {item.id: item for item in items}
    assert _stored(store) == _in_memory([by_id[article_id] for article_id in order])


def test_a_write_without_articles_does_not_touch_the_story_index(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as first:
        first.write(_corpus())
    with Store(tmp_path / "s.db") as second:
        before = _counters(second)
        assert second.write([]).stored == 0 and _counters(second) == before
        rejected = Failure("bad.html", "ingest", "not HTML", "f" * 64)
        assert second.write([rejected]).failures == 1 and _counters(second) == before  # nothing can join a story


def _counters(store: Store) -> dict[str, int]:
    with store.engine.connect() as connection:
        return {row.name: row.value for row in connection.execute(select(story_counters))}


def test_a_v5_database_gets_its_stories_when_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "v5.db"
    items = _corpus()
    _v2_database(path, items)
    with Store(path, migrate=False) as store:
        assert store.migrate(upto=5) == [3, 4, 5]  # the v5 layout: narrowed fact tables, no stories
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'story_members'").fetchone() == (0,)
    with Store(path) as store:
        assert store.schema_version() == 10
        assert _stored(store) == _in_memory(items)
        extra = _article("e" * 64, PATROL_COPY.replace("Leave a Reply", "Comments"), "other.example", "2026-03-05", "x")
        store.write([extra])
        assert _stored(store) == _in_memory([*items, extra])


def test_members_point_at_articles_by_integer_key_and_the_ids_come_from_a_join(store: Store) -> None:
    items = _corpus()
    store.write(items)
    with store.engine.connect() as connection:
        pks = {row.id: row.pk for row in connection.execute(select(articles.c.id, articles.c.pk))}
        members = {row.article: row for row in connection.execute(select(story_members))}
        keys = {row.story: row.origin for row in connection.execute(select(stories.c.story, stories.c.origin))}
    assert set(story_members.c.keys()) == {"article", "story", "relation", "similarity", "copy_of"}  # no index state
    assert members[pks["b" * 64]].story == pks["a" * 64] and members[pks["b" * 64]].copy_of == pks["a" * 64]
    assert keys[pks["a" * 64]] == pks["a" * 64]
    patrol = next(record for record in _stored(store) if record.id == "a" * 64)
    assert patrol.title == "Joint patrol to begin in April" and patrol.members[1].copy_of == "a" * 64


def test_the_rebuild_reads_each_article_as_ingest_gave_it_to_the_index(tmp_path: Path) -> None:
    items = _corpus()
    items[1].removed.append(RemovedSpan(0, 6, "Share!", "share buttons"))  # a copy's furniture counts for its origin
    items[0].lede_vector = pack(np.full(384, 1 / np.sqrt(384), dtype=np.float32))  # the others have none
    with Store(tmp_path / "s.db") as store:
        store.write(items)
        with store.engine.connect() as connection:
            docs = [doc for _, doc in story_tables.stored_docs(connection, members_only=True)]
        assert docs == [doc_from_article(item) for item in store.iter_articles()]
        assert docs == [doc_from_article(item) for item in items]
        assert docs[1].removed == 1 and docs[1].lineage != ()
        assert docs[0].lede_vector == items[0].lede_vector and docs[1].lede_vector is None


def _synthetic_docs(count: int, seed: int) -> list[StoryDoc]:
    """Stories told in English and in Russian (words apart, facts shared) and in no known language, dated close."""
    rng = random.Random(seed)
    english = [f"word{n}" for n in range(300)]
    russian = [f"слово{n}" for n in range(300)]
    docs = []
    for n in range(count):
        story = rng.randrange(6)
        language = rng.choice(["en", "en", "ru", None])
        vocabulary = russian if language == "ru" else english
        own = vocabulary[story * 40 : story * 40 + 40]
        text = " ".join(rng.choices(own, k=50) + rng.choices(vocabulary, k=30))
        facts = tuple(sorted({f"p:person{story}", f"p:other{story}", f"o:body{story}", f"q:{100 + story}"}))
        published = f"2026-03-{1 + rng.randrange(5):02d}" if rng.random() < 0.8 else None
        docs.append(StoryDoc(f"d{n}", text, f"Story {story} {n}", published, f"site{n % 4}.example", (), 0, None, None,
                             language, facts))  # fmt: skip
    return docs


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_tables_assign_as_an_index_in_memory_does_across_languages_and_splits(store: Store, seed: int) -> None:
    docs = _synthetic_docs(90, seed)
    memory = StoryIndex()
    for doc in docs:
        memory.add(doc)
    for start in range(0, len(docs), 7):  # batches of several articles, as ingest writes them
        part = docs[start : start + 7]
        rows = [
            {"id": d.id, "source": d.id, "headline": d.headline, "published": d.published, "site": d.site,
             "text": d.text, "data": zlib.compress(b'{"removed": {"text": []}}'), "ingested_at": "x"}
            for d in part
        ]  # fmt: skip
        with store.engine.execution_options(newstrace_write=True).begin() as connection:
            connection.execute(insert(articles), rows)
            keys = {article_id: pk for article_id, pk in connection.execute(select(articles.c.id, articles.c.pk))}
            store.stories.add_docs(connection, [(keys[d.id], d) for d in part])
    expected = sorted(memory.stories(), key=lambda r: r.id)
    assert len(expected) > 1 and any(len(r.members) >= 6 for r in expected)  # stories large enough to split-check
    assert _stored(store) == expected
