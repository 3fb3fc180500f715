"""The store on SQLite and PostgreSQL: migrations, idempotent batch writes, fact tables, search, lookup, order."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, select, text

from newstrace.export.parquet import export_parquet
from newstrace.model import (
    Article,
    Entity,
    EvidenceSentence,
    Failure,
    HeadlineCheck,
    HeadlineClaim,
    Mention,
    Quantity,
    Quote,
    RemovedSpan,
    SourceSegment,
    Speaker,
    TimeExpr,
)
from newstrace.store import MIGRATIONS, QuerySyntaxError, Store, StoreError
from newstrace.store._fulltext import SqliteFullText
from newstrace.store._history import articles_v1
from newstrace.store.rows import columnar_data, entity_key, row_data
from newstrace.store.schema import SPAN_TEXTS, entities, headline_checks, mentions, statements

POSTGRES_URL = os.environ.get(
    "NEWSTRACE_TEST_POSTGRES", "postgresql+psycopg:///newstrace_test?host=/var/run/postgresql"
)


def _postgres_store(*, migrate: bool = True) -> Store:
    """A PostgreSQL store on an emptied test database; fails under CI=true when no server answers, else skips."""
    return Store(_empty_postgres(), migrate=migrate)


def _empty_postgres() -> str:
    """The test PostgreSQL database's URL, emptied; fails under CI=true when no server answers, else skips."""
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    except Exception as error:
        reason = f"no PostgreSQL answers at {POSTGRES_URL} ({type(error).__name__}); start one as README.md says"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """The same suite against each backend: an in-memory SQLite database, and PostgreSQL."""
    opened = Store(memory=True) if request.param == "sqlite" else _postgres_store()
    yield opened
    opened.close()


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


def annotated(
    number: int, speaker: str = "Mikhail Galuzin", confidence: float = 0.9, role: str = "Deputy Foreign Minister"
) -> Article:
    """An article with one of every fact, each span cut from its text."""
    body = f'{role} {speaker} told RIA Novosti on Saturday: "Minsk will not attack." Around 9,000 troops.'
    item = article(number, body, headline="Will Belarus attack")
    item.site = "example.org"
    item.url = f"https://example.org/{number}"
    item.authors = ["A. Writer"]
    item.reference_date = "2022-12-24"
    item.reference_date_source = "metadata"
    item.language = "en"
    item.raw = None

    def span(fragment: str, occurrence: int = 0) -> tuple[int, int]:
        start = item.text.index(fragment)
        for _ in range(occurrence):
            start = item.text.index(fragment, start + 1)
        return start, start + len(fragment)

    item.paragraphs = [item.span(0, len(item.text))]
    item.removed = [RemovedSpan(0, 6, "Share!", "footer")]
    item.source_map = [SourceSegment(0, len(item.text), 0, len(item.text), True)]
    name_start, name_end = span(speaker)
    minsk = span("Minsk")
    item.entities = [
        Mention(speaker, "PERSON", name_start, name_end, "e1"),
        Mention("Minsk", "GPE", *minsk, "e2", "Belarus (government)"),
    ]
    item.entities_index = [
        Entity("e1", speaker, "PERSON", [speaker.split()[-1]], [role], "Russia"),
        Entity("e2", "Minsk", "GPE", [], [], None, "Belarus (government)"),
    ]
    content = span("Minsk will not attack.")
    cue = span("told")
    item.quotes = [
        Quote(
            "direct",
            item.span(*content),
            item.span(*cue),
            "tell",
            Speaker(item.span(name_start, name_end), "e1", speaker, "named"),
            "RIA Novosti",
            "2022-12-24",
            "cue",
            confidence,
        ),
        Quote("indirect", item.span(*span("Around 9,000 troops")), None, None, None),
    ]
    item.times = [TimeExpr("Saturday", *span("Saturday"), "DATE", "2022-12-24", None, "reference")]
    item.quantities = [
        Quantity("Around 9,000 troops", *span("Around 9,000 troops"), 9000.0, None, "troops", "around", "count")
    ]
    item.headline_check = HeadlineCheck(
        "disagree",
        {"disagree": 0.7, "discuss": 0.3},
        "question",
        [HeadlineClaim("Belarus attack", "disagree", {"disagree": 0.7}, True, "refutation")],
        [EvidenceSentence(item.span(*content), "refutes", 0.8, 0)],
        0.01,
        True,
        "refuted",
        "the body denies it",
    )
    assert item.provenance_errors() == []
    return item


def test_fresh_database_is_fully_migrated(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        assert store.schema_version() == MIGRATIONS[-1].version == 10
    with Store(tmp_path / "a.db") as store:
        assert store.migrate() == []  # nothing left to apply on reopen


def test_postgresql_is_migrated_too(store: Store) -> None:
    assert store.schema_version() == 10
    assert store.migrate() == []


def test_writes_are_idempotent(store: Store) -> None:
    first = store.write([article(1), article(2)])
    again = store.write([article(1), article(2), article(3)])
    assert (first.stored, first.already_present) == (2, 0)
    assert (again.stored, again.already_present) == (1, 2)
    assert store.count() == 3
    assert store.known_sources([article(1).source_hash, "unknown"]) == {article(1).source_hash}


def test_an_article_the_database_refuses_leaves_nothing_of_itself_and_fails_alone(store: Store) -> None:
    broken = annotated(2)
    broken.quotes[0].kind = None  # type: ignore[assignment]  # violates NOT NULL in a fact table, after its article
    outcome = store.write([annotated(1), broken])
    assert (outcome.stored, [failure.source for failure in outcome.refused]) == (1, [broken.source])
    assert store.count() == 1 and store.get(broken.id) is None
    with store.engine.connect() as connection:  # annotated(1)'s statements; none of the refused article's
        assert connection.scalar(select(text("count(*)")).select_from(statements)) == len(annotated(1).quotes)


def test_a_failed_batch_leaves_nothing_behind(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def lost(*_: object) -> None:
        raise RuntimeError("connection lost")  # not an article's data: the whole batch is undone

    monkeypatch.setattr(store.stories, "add", lost)
    with contextlib.suppress(RuntimeError):
        store.write([annotated(1), annotated(2)])
    assert store.count() == 0
    with store.engine.connect() as connection:
        assert connection.scalar(select(text("count(*)")).select_from(statements)) == 0


def test_failures_are_recorded(store: Store) -> None:
    store.write([Failure("bad.html", "ingest", "empty input", "h")])
    assert store.failures() == [Failure("bad.html", "ingest", "empty input", "h")]


def test_a_rerun_records_each_failure_once(store: Store) -> None:
    long_source = "/corpus/" + "deep/" * 1000 + "bad.html"  # longer than a PostgreSQL B-tree entry may be
    first = [Failure("bad.html", "ingest", "empty input", "h"), Failure(long_source, "ingest", "empty input")]
    assert store.write(first).failures == 2
    assert store.write([*first, Failure("bad.html", "annotate", "timed out")]).failures == 3
    assert store.failures() == [*first, Failure("bad.html", "annotate", "timed out")]
    changed = Failure("bad.html", "ingest", "empty input", "h2")  # the same name over other bytes: not a re-run
    store.write([changed])
    assert store.failures()[-1] == changed


def test_a_store_not_in_write_ahead_logging_is_put_back_in_it(tmp_path: Path) -> None:
    import sqlite3

    with Store(tmp_path / "a.db") as store:
        store.write([article(1)])
    with sqlite3.connect(tmp_path / "a.db") as connection:  # as a VACUUM INTO copy comes out
        assert connection.execute("PRAGMA journal_mode=DELETE").fetchone() == ("delete",)
    with Store(tmp_path / "a.db") as store:
        assert store.count() == 1
    with sqlite3.connect(tmp_path / "a.db") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_an_article_round_trips_through_the_fact_tables(store: Store) -> None:
    original = annotated(7)
    store.write([original])
    found = store.get(original.id)
    assert found is not None
    assert found.to_json_dict() == original.to_json_dict()
    assert found.provenance_errors() == []


def test_facts_are_rows_keyed_by_article_and_number(store: Store) -> None:
    store.write([annotated(1), annotated(2, speaker="Alexander Lukashenko")])
    with store.engine.connect() as connection:
        names = connection.execute(
            select(entities.c.article, entities.c.number, entities.c.entity_id, entities.c.name).order_by(
                entities.c.article, entities.c.number
            )
        ).all()
        assert [tuple(row) for row in names] == [
            (1, 0, "e1", "Mikhail Galuzin"),
            (1, 1, "e2", "Minsk"),
            (2, 0, "e1", "Alexander Lukashenko"),
            (2, 1, "e2", "Minsk"),
        ]
        # A mention names its entity by number; the entity's id and label are not repeated in it.
        said_by = connection.execute(
            select(
                mentions.c.article, mentions.c.number, mentions.c.entity, mentions.c.entity_id, mentions.c.label
            ).order_by(mentions.c.article, mentions.c.number)
        ).all()
        assert [tuple(row) for row in said_by] == [
            (1, 0, 0, None, None),
            (1, 1, 1, None, None),
            (2, 0, 0, None, None),
            (2, 1, 1, None, None),
        ]
        said = connection.execute(
            select(statements.c.speaker_name, statements.c.speaker_rule, statements.c.channel, statements.c.said_on)
            .where(statements.c.kind == "direct")
            .order_by(statements.c.pk)
        ).all()
    assert said[0] == ("Mikhail Galuzin", "named", "RIA Novosti", "2022-12-24")


def test_a_mention_whose_entity_or_label_is_not_the_articles_keeps_them(store: Store) -> None:
    item = annotated(5)
    galuzin, minsk = item.entities
    # Not what annotate writes, but an Article may hold it: an id none of its entities has, a label of its own.
    item.entities = [
        Mention(galuzin.text, "ORG", galuzin.start, galuzin.end, "e1"),
        Mention(minsk.text, minsk.label, minsk.start, minsk.end, "elsewhere"),
        Mention(minsk.text, minsk.label, minsk.start, minsk.end, None),
    ]
    store.write([item])
    with store.engine.connect() as connection:
        rows = connection.execute(
            select(mentions.c.entity, mentions.c.entity_id, mentions.c.label).order_by(mentions.c.number)
        ).all()
    assert [tuple(row) for row in rows] == [(0, None, "ORG"), (None, "elsewhere", "GPE"), (None, None, "GPE")]
    found = store.get(item.id)
    assert found is not None and found.to_json_dict() == item.to_json_dict()


def test_entity_keys_are_content_derived() -> None:
    assert entity_key("PERSON", "Mikhail Galuzin") == entity_key("PERSON", "mikhail  GALUZIN")
    assert entity_key("GPE", "Minsk") != entity_key("PERSON", "Minsk")


def test_text_is_stored_once(store: Store) -> None:
    item = annotated(3)
    store.write([item])
    with store.engine.connect() as connection:
        data = zlib.decompress(connection.scalar(text("SELECT data FROM articles"))).decode()
    assert "Minsk will not attack" not in data
    assert set(json.loads(data)) & {"text", "quotes", "entities", "headline_check"} == set()
    for table in ("mentions", "statements", "times", "quantities"):
        columns = _columns(store, table)
        assert columns and columns.isdisjoint(SPAN_TEXTS[table])  # spans as offsets only


def test_a_headline_checks_json_leaves_out_its_columns_and_defaults(store: Store) -> None:
    item = annotated(6)
    store.write([item])
    with store.engine.connect() as connection:
        data = json.loads(connection.scalar(select(headline_checks.c.data)))
    content = item.text.index("Minsk will not attack.")
    assert data == {
        "probabilities": {"disagree": 0.7, "discuss": 0.3},
        # question and basis differ from their defaults; the speaker (None) and clickbait_style (False) do not.
        "claims": [
            {
                "text": "Belarus attack",
                "stance": "disagree",
                "probabilities": {"disagree": 0.7},
                "question": True,
                "basis": "refutation",
            }
        ],
        "evidence": [{"span": [content, content + 22], "role": "refutes", "score": 0.8, "claim": 0}],
        "explanation": "the body denies it",
    }
    found = store.get(item.id)
    assert found is not None and found.headline_check == item.headline_check


def test_the_article_json_columns_invert_exactly() -> None:
    data = {
        "removed": [
            {"start": 40, "end": 46, "text": "Share!", "reason": "footer"},
            {"start": 3, "end": 20, "text": "Menu", "reason": "navigation"},  # out of order; end not from the text
            {"start": 50, "end": 52, "text": "©x", "reason": "footer"},
        ],
        "paragraphs": [[0, 10], [12, 30]],
        "source_map": [[0, 10, 100, 140, True], [12, 30, 160, 170, False]],
        "authors": ["A. Writer"],
    }
    columns = columnar_data(json.loads(json.dumps(data)))
    assert columns["removed"]["reasons"] == ["footer", "navigation"] and columns["authors"] == ["A. Writer"]
    assert row_data(json.loads(json.dumps(columns))) == data


def _columns(store: Store, table: str) -> set[str]:
    from sqlalchemy import inspect

    return {column["name"] for column in inspect(store.engine).get_columns(table)}


def test_span_texts_are_cut_by_characters_not_bytes(store: Store) -> None:
    # Multi-byte characters before every span: SQL must count characters, as Python's offsets do.
    item = annotated(4, speaker="Aljaksandr Łukašenka", role="Заместитель министра")
    store.write([item])
    (hit,) = store.statements(speaker="Łukašenka")
    assert hit.quote.content.text == "Minsk will not attack."
    assert hit.quote.speaker is not None and hit.quote.speaker.mention is not None
    assert hit.quote.speaker.mention.text == "Aljaksandr Łukašenka"
    found = store.get(item.id)
    assert found is not None and found.to_json_dict() == item.to_json_dict()


def test_statements_by_speaker_and_confidence(store: Store) -> None:
    store.write([annotated(1), annotated(2, "Alexander Lukashenko", confidence=0.4), annotated(3, "Galuzin Junior")])
    found = store.statements(speaker="galuzin")
    assert {hit.article_id for hit in found} == {article(1).id, article(3).id}
    assert found[0].speaker_roles == ["Deputy Foreign Minister"]
    assert found[0].quote.speaker is not None and found[0].quote.cue_lemma == "tell"
    assert [hit.article_id for hit in store.statements(speaker="Lukashenko", min_confidence=0.5)] == []
    assert len(store.statements(speaker="Lukashenko")) == 1
    assert store.statements(speaker="%") == []  # LIKE wildcards in a name are matched literally


def test_search_ranks_headline_matches_and_quotes_phrases(store: Store) -> None:
    store.write(
        [
            article(1, "Ministers met in Minsk."),
            article(2, "Talks in Kiev.", headline="Minsk talks"),
        ]
    )
    hits = store.search("Minsk")
    assert [hit.id for hit in hits] == [article(2).id, article(1).id]
    assert hits[0].score > hits[1].score
    assert [h.id for h in store.search('"met in Minsk"')] == [article(1).id]
    assert "Minsk]" in store.search('"met in Minsk"')[0].snippet


def test_search_language_or_not_prefix_and_parentheses(store: Store) -> None:
    store.write(
        [
            article(1, "Ministers met in Minsk."),
            article(2, "Talks in Kiev."),
            article(3, "Negotiators travelled to Warsaw."),
        ]
    )
    ids = {number: article(number).id for number in (1, 2, 3)}
    assert {hit.id for hit in store.search("Minsk OR Kiev")} == {ids[1], ids[2]}
    assert {hit.id for hit in store.search("Story NOT Minsk")} == {ids[2], ids[3]}
    assert {hit.id for hit in store.search("Story -Minsk -Kiev")} == {ids[3]}
    assert {hit.id for hit in store.search("negotiat*")} == {ids[3]}
    assert {hit.id for hit in store.search("(Minsk OR Warsaw) repairs")} == set()
    assert {hit.id for hit in store.search("(Minsk OR Warsaw) Story")} == {ids[1], ids[3]}
    assert store.search("AND") == []  # an operator word of FTS5 is just a word here


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ('"unclosed phrase', "not closed"),
        ("(Minsk OR Kiev", "parenthesis is not closed"),
        ("Minsk)", "closing parenthesis"),
        ("Minsk OR", "OR needs"),
        ("NOT Minsk", "exclude from"),
        ("-Minsk", "exclude from"),
        ("   ", "no words"),
        ("(" * 500 + "Minsk", "nest more than 32"),  # a parser recursing per level would overflow
    ],
)
def test_search_syntax_errors_say_why(store: Store, query: str, reason: str) -> None:
    with pytest.raises(QuerySyntaxError, match=reason):
        store.search(query)


def test_search_filters(store: Store) -> None:
    first, second = annotated(1), annotated(2, "Alexander Lukashenko")
    second.site = "other.net"
    store.write([first, second, article(3, "Minsk talks.")])
    assert {hit.id for hit in store.search("Minsk", speaker="lukashenko")} == {second.id}
    assert {hit.id for hit in store.search("Minsk", site="example")} == {first.id}
    published = {hit.id: hit.published for hit in store.search("Minsk")}
    day = published[second.id]
    assert day is not None
    assert second.id in {hit.id for hit in store.search("Minsk", since=day, until=day)}
    assert {hit.id for hit in store.search("Minsk", since=day, until=day)} == {
        key for key, value in published.items() if value == day
    }


def test_search_ranks_among_a_bounded_set_of_recent_matches(store: Store) -> None:
    store.write([article(n, "Officials said the port reopened.") for n in range(1, 31)])
    hits = store.search("said", limit=5, candidates=10)
    assert len(hits) == 5
    assert {hit.id for hit in hits} <= {article(n).id for n in range(21, 31)}


def test_prefix_search_expands_to_the_indexed_words_or_leaves_many_to_fts5(tmp_path: Path) -> None:
    with Store(tmp_path / "p.db") as store:
        store.write(
            [
                article(1, "Negotiators met."),
                article(2, "Negotiations stalled."),
                article(3, "Negotiating resumed."),
                article(4, "Nothing here."),
                article(5, "Łódź negotiated."),
            ]
        )
        expected = {article(n).id for n in (1, 2, 3, 5)}
        assert {hit.id for hit in store.search("negotiat*")} == expected
        assert {hit.id for hit in store.search("NEGOT*")} == expected  # the vocabulary holds case-folded words
        assert isinstance(store.full_text, SqliteFullText)
        store.full_text.prefix_words = 2  # four words are covered: FTS5's own prefix matching answers
        assert {hit.id for hit in store.search("negotiat*")} == expected
        assert store.search("zzz*") == []
        assert {hit.id for hit in store.search("łód*")} == {article(5).id}  # not ASCII: left to FTS5
        store.write([article(6, "A port_authority statement.")])
        assert {hit.id for hit in store.search("port_auth*")} == {article(6).id}  # two tokens for FTS5: left to it
        assert {hit.id for hit in store.search("negotiat* -met")} == expected - {article(1).id}


def test_terms_in_most_recent_articles_are_left_out_of_scoring_on_a_large_store(tmp_path: Path) -> None:
    with Store(tmp_path / "r.db") as store:
        # "said" is in every article; "harbour" in a few, once or three times.
        bodies = {7: "harbour harbour harbour", 12: "harbour", 15: "harbour"}
        store.write([article(n, f"Officials said. {bodies.get(n, 'Calm.')}") for n in range(1, 21)])
        assert isinstance(store.full_text, SqliteFullText)
        exact = store.search("said harbour")
        store.full_text.idf_window = 10  # the store now counts as large: "said" is in all of the newest ten
        bounded = store.search("said harbour")
        assert [hit.id for hit in bounded] == [hit.id for hit in exact]
        assert bounded[0].id == article(7).id and bounded[0].score > bounded[1].score > 0
        newest_first = store.search("said", limit=3)
        assert [hit.id for hit in newest_first] == [article(n).id for n in (20, 19, 18)]
        assert {hit.score for hit in newest_first} == {0.0}


def test_a_selective_filter_is_probed_as_a_set(store: Store) -> None:
    items = [article(n, "Officials said the port reopened.") for n in range(1, 41)]
    for item in items:
        item.site = "rare.example" if item.id.endswith(("5", "a")) else "common.example"
    store.write(items)
    rare = [item.id for item in items if item.site == "rare.example"]
    hits = store.search("said", limit=3, site="rare", candidates=3)
    assert [hit.id for hit in hits] == sorted(rare, reverse=True)[:3]


def test_get_by_id_and_unique_prefix(store: Store) -> None:
    store.write([article(10), article(11)])
    found = store.get(article(10).id)
    assert found is not None and found.text == article(10).text
    assert store.get("0" * 62) is None  # a prefix both ids share
    assert store.get("0" * 63 + "a") is not None  # 10 in hex
    assert store.get("nothing") is None


def test_iter_articles_in_ingest_order(store: Store) -> None:
    store.write([article(n) for n in range(5)])
    assert [a.id for a in store.iter_articles(batch_size=2)] == [article(n).id for n in range(5)]


def test_deletes_cascade_to_facts_and_the_full_text_index(store: Store) -> None:
    store.write([annotated(1)])
    with store.engine.begin() as connection:
        connection.execute(text("DELETE FROM articles"))
        assert connection.scalar(select(text("count(*)")).select_from(statements)) == 0
    assert store.search("Minsk") == []


def test_sqlite_utils_detects_the_full_text_table(tmp_path: Path) -> None:
    import sqlite_utils

    path = tmp_path / "a.db"
    Store(path).close()
    database = sqlite_utils.Database(path)
    assert database["articles"].detect_fts() == "articles_fts"  # type: ignore[union-attr]


def _v2_database(path: Path | Store, items: list[Article]) -> None:
    """A database as the v2 code wrote it: migrations 1 and 2, then whole Article JSON rows."""
    store = Store(path, migrate=False) if isinstance(path, Path) else path
    assert store.migrate(upto=2) == [1, 2]
    with store.engine.begin() as connection:
        for number, item in enumerate(items):
            connection.execute(
                insert(articles_v1).values(
                    id=item.id,
                    source=item.source,
                    url=item.url,
                    site=item.site,
                    headline=item.headline,
                    published=item.published,
                    reference_date=item.reference_date,
                    language=item.language,
                    text=item.text,
                    data=json.dumps(item.to_json_dict(), ensure_ascii=False),
                    ingested_at=f"2026-11-2{number}T00:00:00+00:00",
                )
            )
    if isinstance(path, Path):
        store.close()


def test_v2_database_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    items = [annotated(1), article(2, "Talks in Kiev."), annotated(3, "Alexander Lukashenko")]
    _v2_database(path, items)
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT max(version) FROM schema_migrations").fetchone() == (2,)
    with Store(path) as store:
        assert store.schema_version() == 10
        assert [a.to_json_dict() for a in store.iter_articles()] == [a.to_json_dict() for a in items]
        assert [hit.id for hit in store.search("Kiev")] == [items[1].id]
        assert len(store.statements(speaker="Lukashenko")) == 1


def test_v3_database_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    items = [annotated(1), article(2, "Negotiations in Kiev."), annotated(3, "Alexander Lukashenko")]
    _v2_database(path, items)
    with Store(path, migrate=False) as store:
        assert store.migrate(upto=3) == [3]  # the v3 layout, as the v3 release wrote it
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT content_text FROM statements ORDER BY pk LIMIT 1").fetchone() == (
            "Minsk will not attack.",
        )
        assert raw.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'ix_articles_published'").fetchone() == (1,)
    with Store(path) as store:
        assert store.migrate() == [] and store.schema_version() == 10
        assert [a.to_json_dict() for a in store.iter_articles()] == [a.to_json_dict() for a in items]
        assert [hit.id for hit in store.search("negotiat*")] == [items[1].id]
        assert {hit.id for hit in store.search("Minsk", since="2024-01-01")} == {items[0].id, items[2].id}
        (said,) = store.statements(speaker="Lukashenko")
        assert said.quote.content.text == "Minsk will not attack."
        assert "content_text" not in _columns(store, "statements") and "text" not in _columns(store, "mentions")
    with sqlite3.connect(path) as raw:
        indexes = {row[0] for row in raw.execute("SELECT name FROM sqlite_schema WHERE type = 'index'")}
        assert "ix_articles_date" in indexes and {"ix_articles_published", "ix_entities_key"}.isdisjoint(indexes)
        (data,) = raw.execute("SELECT data FROM articles ORDER BY pk LIMIT 1").fetchone()
        assert json.loads(zlib.decompress(data))["removed"]["text"] == ["Share!"]  # rewritten as columns
        plan = " ".join(
            str(row)
            for row in raw.execute(
                "EXPLAIN QUERY PLAN SELECT pk FROM articles WHERE coalesce(published, reference_date) >= '2024-01-02'"
            )
        )
        assert "ix_articles_date" in plan


def test_v4_database_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "v4.db"
    items = [annotated(1), article(2, "Negotiations in Kiev."), annotated(3, "Alexander Lukashenko")]
    minsk = items[2].entities[1]
    items[2].entities.append(Mention("Minsk", "LOC", minsk.start, minsk.end, "e2"))  # a label of its own
    items[2].entities.append(Mention("Minsk", "GPE", minsk.start, minsk.end, None))
    _v2_database(path, items)
    with Store(path, migrate=False) as store:
        assert store.migrate(upto=4) == [3, 4]  # the v4 layout, as the v4 release wrote it
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT pk, entity_id, label FROM mentions ORDER BY pk").fetchall()[-3:] == [
            (4, "e2", "GPE"),
            (5, "e2", "LOC"),
            (6, None, "GPE"),
        ]
        assert raw.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'ix_mentions_article'").fetchone() == (1,)
        assert json.loads(raw.execute("SELECT data FROM headline_checks").fetchone()[0])["stance"] == "disagree"
    with Store(path) as store:
        assert store.migrate() == [] and store.schema_version() == 10
        assert [a.to_json_dict() for a in store.iter_articles()] == [a.to_json_dict() for a in items]
        (said,) = store.statements(speaker="Lukashenko")
        assert said.quote.content.text == "Minsk will not attack." and said.speaker_roles == ["Deputy Foreign Minister"]
        assert [hit.id for hit in store.search("attack", speaker="Galuzin")] == [items[0].id]
        assert "pk" not in _columns(store, "mentions") and "key" not in _columns(store, "entities")
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT article, number, entity, entity_id, label FROM mentions").fetchall()[-4:] == [
            (3, 0, 0, None, None),
            (3, 1, 1, None, None),
            (3, 2, 1, None, "LOC"),
            (3, 3, None, None, "GPE"),
        ]
        indexes = {row[0] for row in raw.execute("SELECT name FROM sqlite_schema WHERE type = 'index'")}
        assert indexes.isdisjoint({"ix_entities_article_entity", "ix_mentions_article", "ix_times_article"})
        for (data,) in raw.execute("SELECT data FROM headline_checks"):
            assert {"stance", "misleading", "clickbait_style"}.isdisjoint(json.loads(data))
        for name in ("entities", "mentions", "times", "quantities"):
            (create,) = raw.execute("SELECT sql FROM sqlite_schema WHERE name = ?", (name,)).fetchone()
            assert create.rstrip().endswith("WITHOUT ROWID")
            plan = " ".join(
                str(row) for row in raw.execute(f"EXPLAIN QUERY PLAN SELECT * FROM {name} WHERE article = 3")
            )
            assert "PRIMARY KEY (article=?)" in plan  # an article's facts are one range of the table's own B-tree


def test_v4_postgresql_database_is_upgraded_in_place() -> None:
    items = [annotated(1), article(2, "Negotiations in Kiev."), annotated(3, "Alexander Lukashenko")]
    with _postgres_store(migrate=False) as store:
        _v2_database(store, items)
        assert store.migrate(upto=4) == [3, 4]
        with store.engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM mentions WHERE entity_id = 'e2'")) == 2
        assert store.migrate() == [5, 6, 7, 8, 9, 10]
        assert [a.to_json_dict() for a in store.iter_articles()] == [a.to_json_dict() for a in items]
        (said,) = store.statements(speaker="Lukashenko")
        assert said.speaker_roles == ["Deputy Foreign Minister"]
        assert [hit.id for hit in store.search("attack", speaker="Galuzin")] == [items[0].id]
        assert "pk" not in _columns(store, "mentions") and "key" not in _columns(store, "entities")


def test_a_failed_migration_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "v2.db"
    broken = article(1)
    _v2_database(path, [broken])
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE articles SET data = '{\"schema_version\": 99}'")
    with pytest.raises(StoreError, match="newer than"):
        Store(path)
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT max(version) FROM schema_migrations").fetchone() == (2,)
        assert raw.execute("SELECT count(*) FROM articles").fetchone() == (1,)
        assert raw.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'port'").fetchone() == (1,)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.write_bytes(b"not a database at all, just some bytes" * 100), "not a newstrace database"),
        (lambda p: p.mkdir(), "is a directory"),
    ],
)
def test_a_path_that_is_not_a_database_is_one_clear_error(tmp_path: Path, make: object, reason: str) -> None:
    path = tmp_path / "x.db"
    make(path)  # type: ignore[operator]
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(StoreError, match=reason) as raised:
        Store(path)
    assert str(path) in str(raised.value) and "\n" not in str(raised.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_an_empty_path_is_refused() -> None:
    with pytest.raises(StoreError, match="empty"):
        Store("")


def test_parquet_export_has_one_readable_file_per_table(store: Store, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    store.write([annotated(1), annotated(2, "Alexander Lukashenko"), article(3)])
    store.write([Failure("junk.bin", "ingest", "binary data")])
    written = export_parquet(store, tmp_path / "out")
    assert written["articles"] == 3 and written["statements"] == 4 and written["failures"] == 1
    for name, rows in written.items():
        assert pq.read_table(tmp_path / "out" / f"{name}.parquet").num_rows == rows
    said = pq.read_table(tmp_path / "out" / "statements.parquet").to_pylist()
    assert {row["speaker_name"] for row in said} == {"Mikhail Galuzin", "Alexander Lukashenko", None}
    assert said[0]["content_text"] == "Minsk will not attack." and said[1]["cue_text"] is None
    assert pq.read_table(tmp_path / "out" / "mentions.parquet").to_pylist()[0]["text"] == "Mikhail Galuzin"
    texts = pq.read_table(tmp_path / "out" / "articles.parquet", columns=["id", "text"]).to_pylist()
    assert [row["text"] for row in texts] == [
        annotated(1).text,
        annotated(2, "Alexander Lukashenko").text,
        article(3).text,
    ]
    assert "data" not in pq.read_schema(tmp_path / "out" / "articles.parquet").names


def test_an_unreachable_postgresql_is_one_line_without_its_password() -> None:
    with pytest.raises(StoreError, match="cannot open the database") as raised:
        Store("postgresql://someone:secret@/nowhere?host=/nonexistent-socket-folder")
    assert "secret" not in str(raised.value) and "\n" not in str(raised.value)
