"""A statement its speaker interrupts ("…," Smith said, "…") is one statement in every listing: the store's pages,
``quotes``, the API's ``/statements``, the timeline, the entity and the speaker page, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.export.jsonld import article_graph
from newstrace.model import Article, Entity, Mention, Quote, Span, Speaker
from newstrace.present import statements
from newstrace.store import Store
from newstrace.web import create_app
from test_store import _postgres_store

SPLIT = (
    '"The depots will stay open," Senator John Smith said, "all winter long." '
    "A harbour notice read that ships must wait. A second notice read that nets are banned."
)
LATER = "Senator John Smith said the port would reopen in May."
JOINED = "The depots will stay open, … all winter long."


def _article(article_id: str, text: str, published: str) -> Article:
    """An article quoting Senator John Smith: his mention resolved to one entity, and no statement yet."""
    article = Article(
        id=article_id, source=f"https://wire.example/{article_id}", source_hash=article_id, media_type="text/plain",
        text=text, site="wire.example", published=published, reference_date=published, headline=f"Port {article_id}",
    )  # fmt: skip
    start = text.index("John Smith")
    article.entities_index = [Entity("e0", "John Smith", "PERSON", roles=["Senator"])]
    article.entities = [Mention("John Smith", "PERSON", start, start + len("John Smith"), "e0")]
    return article


def _quote(article: Article, content: str, cue: str | None, confidence: float = 0.9) -> Quote:
    """John Smith's statement of ``content`` (its first occurrence), with the cue word's first occurrence, if any."""
    start = article.text.index(content)
    mention = article.entities[0]
    speaker = Speaker(article.span(mention.start, mention.end), "e0", "John Smith", "named")
    cue_span = article.span(article.text.index(cue), article.text.index(cue) + len(cue)) if cue else None
    return Quote("direct" if cue else "indirect", article.span(start, start + len(content)), cue_span, "say" if cue
                 else None, speaker, confidence=confidence)  # fmt: skip


def _articles() -> list[Article]:
    """One article with a split statement (its second piece scored lower) and two statements with no cue, and one
    later article with one statement: four statements in five stored pieces."""
    split = _article("a" * 64, SPLIT, "2026-03-05")
    split.quotes = [
        _quote(split, "The depots will stay open,", "said"),
        _quote(split, "all winter long.", "said", confidence=0.4),
        _quote(split, "ships must wait", None),
        _quote(split, "nets are banned", None),
    ]
    later = _article("b" * 64, LATER, "2026-03-03")
    later.quotes = [_quote(later, "the port would reopen in May", "said")]
    for article in (split, later):
        assert article.provenance_errors() == []
    return [split, later]


EXPECTED = [JOINED, "ships must wait", "nets are banned", "the port would reopen in May"]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    opened = Store(memory=True) if request.param == "sqlite" else _postgres_store()
    opened.write(_articles())
    yield opened
    opened.close()


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "split.db"
    with Store(path) as store:
        store.write(_articles())
    return str(path)


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_store_lists_a_split_statement_once_with_its_pieces(store: Store) -> None:
    hits = store.statements(speaker="Smith")
    assert [hit.text for hit in hits] == EXPECTED
    split = hits[0]
    assert [piece.text for piece in split.pieces] == ["The depots will stay open,", "all winter long."]
    assert split.quote is split.quotes[0] and split.speaker_roles == ["Senator"]
    # A statement's confidence is its first piece's: the lower-scored second piece comes with it.
    assert [hit.text for hit in store.statements(speaker="Smith", min_confidence=0.5)] == EXPECTED
    assert [hit.text for hit in store.statements()] == EXPECTED


def test_a_page_of_one_never_splits_a_statement(store: Store) -> None:
    pages = [store.statements(speaker="Smith", limit=1, offset=offset) for offset in range(5)]
    assert [[hit.text for hit in page] for page in pages] == [[text] for text in EXPECTED] + [[]]
    assert [len(page[0].quotes) for page in pages[:4]] == [2, 1, 1, 1]


def test_statement_records_give_one_record_per_statement(store: Store) -> None:
    records = store.statement_records()
    assert [record.text for record in records] == [EXPECTED[0], *EXPECTED[1:3], EXPECTED[3]]
    split = records[0]
    assert split.content == split.pieces[0] and len(split.pieces) == 2
    text = _articles()[0].text
    assert all(text[piece.start : piece.end] == piece.text for piece in split.pieces)


def test_quotes_lists_the_split_statement_once_with_both_pieces(db: str) -> None:
    lines = [json.loads(line) for line in _run("quotes", "--speaker", "Smith", "--db", db, "--json").splitlines()]
    # As the report of one article (present.statements) reads them.
    assert [line["text"] for line in lines] == EXPECTED == [s.text for a in _articles() for s in statements(a.quotes)]
    first = lines[0]
    assert first["content"] == first["pieces"][0] and [p["text"] for p in first["pieces"]] == [
        "The depots will stay open,",
        "all winter long.",
    ]
    assert first["cue"]["text"] == "said" and first["speaker"]["name"] == "John Smith"
    shown = _run("quotes", "--speaker", "Smith", "--db", db)
    assert JOINED in shown and shown.count("John Smith (Senator)") == 4


def test_the_timeline_and_the_entity_count_statements(db: str) -> None:
    entries = json.loads(_run("timeline", "John Smith", "--db", db, "--json"))["entries"]
    assert sorted(entry["content"] for entry in entries) == sorted(EXPECTED)
    (entity,) = [json.loads(line) for line in _run("entity", "John Smith", "--db", db, "--json").splitlines()]
    assert sorted(said["text"] for said in entity["statements"]) == sorted(EXPECTED)
    assert JOINED in _run("entity", "John Smith", "--db", db)


def test_the_api_and_the_speaker_page_count_statements(db: str) -> None:
    with Store(db) as store, TestClient(create_app(store)) as client:
        answer = client.get("/statements", params={"speaker": "Smith"}).json()
        assert [item["text"] for item in answer["items"]] == EXPECTED and answer["next_offset"] is None
        assert len(answer["items"][0]["pieces"]) == 2
        first = client.get("/statements", params={"limit": 1}).json()
        assert [item["text"] for item in first["items"]] == [JOINED] and first["next_offset"] == 1
        assert len(client.get("/timeline", params={"speaker": "John Smith"}).json()["entries"]) == 4
        page = client.get("/ui/speakers/John Smith").text
        assert "Statements (4)" in page and JOINED in page
        # The article page marks one statement for the split one: both pieces carry the same statement number.
        article_page = client.get("/ui/articles/" + "a" * 64).text
        assert len(set(re.findall(r'data-statement="(\d+)"', article_page))) == 3


def test_json_ld_gives_the_split_statement_once_with_its_pieces_joined() -> None:
    nodes = article_graph(_articles()[0])
    quotations = [node for node in nodes if node["@type"] == "Quotation"]
    assert [node["text"] for node in quotations] == EXPECTED[:3]


def test_a_record_without_pieces_is_its_content() -> None:
    from newstrace.corpus import StatementRecord

    record = StatementRecord("x", "Ana Duarte", Span(0, 5, "Hello"), None)
    assert record.pieces == (record.content,) and record.text == "Hello"
