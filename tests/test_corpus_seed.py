"""The seed and syndicated copies of it: one entity per person, and Galuzin's statements once each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import shared_path
from newstrace.cli import app
from newstrace.corpus import (
    StoryIndex,
    doc_from_article,
    records_from_article,
    resolve_identities,
    statements_from_article,
    timeline,
)
from newstrace.model import Article, Document
from newstrace.pipeline import Pipeline
from newstrace.store import Store

PIPELINE = Pipeline(("clean", "annotate"))


def _copy(seed: str, dateline: str, footer: str, closing: str = "”") -> str:
    """A blog's copy of the seed: its own dateline, curly opening quote marks closed by ``closing`` (mixed marks
    where it is a straight one, as a copy-editing tool leaves them), its own footer instead of the seed's."""
    body = seed.split("Post a Comment")[0].replace("Moscow - ", f"{dateline} - ", 1)
    opened = False
    curly = []
    for char in body:
        if char == '"':
            curly.append(closing if opened else "“")
            opened = not opened
        else:
            curly.append(char)
    return "".join(curly) + "\n" + footer + "\n"


def _analysed(raw: str, url: str, published: str) -> Article:
    document = Document(source=url, raw=raw, media_type="text/plain", source_hash=url, url=url, published=published)
    article = PIPELINE.process(document)
    assert isinstance(article, Article), article
    assert article.provenance_errors() == []
    return article


@pytest.fixture(scope="module")
def seed_and_copies() -> list[Article]:
    seed = Path(shared_path("seed", "seed_article.txt")).read_text(encoding="utf-8")
    return [
        _analysed(seed, "https://seed-blog.example/russia-belarus", "2022-12-24"),
        _analysed(
            _copy(seed, "MOSCOW", "Share this:\nLeave a Reply"), "https://east-wire.example/joint-force", "2022-12-25"
        ),
        _analysed(
            _copy(seed, "Minsk", "Copyright © 2022 Daily Border. All rights reserved.", closing='"'),
            "https://daily-border.example/a",
            "2022-12-26",
        ),
    ]


@pytest.mark.slow
def test_the_seed_and_its_copies_are_one_story_with_the_seed_as_origin(seed_and_copies: list[Article]) -> None:
    index = StoryIndex()
    for article in seed_and_copies:
        index.add(doc_from_article(article))
    story = index.story(index.story_of(seed_and_copies[0].id))
    assert len(story.members) == 3 and story.origin_id == seed_and_copies[0].id
    assert {m.relation for m in story.members[1:]} <= {"copy", "syndicated"}
    # Galuzin spoke to RIA Novosti: the channel of his quotation, not the source of the wire's text.
    assert not any(edge.source == "RIA Novosti" for edge in story.lineage)


@pytest.mark.slow
def test_galuzin_lukashenko_and_putin_are_one_entity_each(seed_and_copies: list[Article]) -> None:
    records = [record for article in seed_and_copies[:2] for record in records_from_article(article)]
    people = [e for e in resolve_identities(records) if e.label == "PERSON"]
    for surname in ("Galuzin", "Lukashenko", "Putin"):
        matching = [e for e in people if surname in e.name or any(surname in alias for alias in e.aliases)]
        assert len(matching) == 1, (surname, [e.name for e in matching])
        assert len(matching[0].article_ids) == 2


@pytest.mark.slow
def test_galuzins_timeline_lists_each_statement_once_with_the_copies_outlets(seed_and_copies: list[Article]) -> None:
    statements = [s for article in seed_and_copies for s in statements_from_article(article)]
    entities = resolve_identities(r for article in seed_and_copies for r in records_from_article(article))
    result = timeline(statements, "Mikhail Galuzin", identities=entities)
    in_seed = [s for s in statements_from_article(seed_and_copies[0]) if s.speaker == "Mikhail Galuzin"]
    assert len(result.entries) == len(in_seed) >= 5
    for entry in result.entries:
        assert entry.date == "2022-12-24"
        assert entry.outlets == ["seed-blog.example", "east-wire.example", "daily-border.example"]
    assert result.contradictions == []


@pytest.mark.slow
def test_the_timeline_command_reads_galuzins_statements_from_a_store(
    seed_and_copies: list[Article], tmp_path: Path
) -> None:
    db = tmp_path / "seed.db"
    with Store(db) as store:
        store.write(seed_and_copies)
    result = CliRunner().invoke(app, ["timeline", "Mikhail Galuzin", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)["entries"]
    in_seed = [s for s in statements_from_article(seed_and_copies[0]) if s.speaker == "Mikhail Galuzin"]
    assert [entry["content"] for entry in entries] == [s.text for s in in_seed]
    for entry in entries:
        assert entry["date"] == "2022-12-24"
        assert entry["outlets"] == ["seed-blog.example", "east-wire.example", "daily-border.example"]
        for carrier, article in zip(entry["carriers"], seed_and_copies, strict=True):
            span = carrier["content"]
            assert carrier["article_id"] == article.id and article.text[span["start"] : span["end"]] == span["text"]
    text = CliRunner().invoke(app, ["timeline", "Galuzin", "--db", str(db)]).stdout
    assert text.count("2022-12-24") == len(in_seed) and "daily-border.example" in text


@pytest.mark.slow
def test_the_story_command_shows_the_seed_as_origin_of_its_copies(
    seed_and_copies: list[Article], tmp_path: Path
) -> None:
    db = tmp_path / "seed.db"
    with Store(db) as store:
        store.write(seed_and_copies)
    result = CliRunner().invoke(app, ["story", seed_and_copies[0].id, "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    story = json.loads(result.stdout)
    assert story["origin_id"] == seed_and_copies[0].id
    assert [m["article_id"] for m in story["members"]] == [article.id for article in seed_and_copies]
    assert {m["relation"] for m in story["members"][1:]} <= {"copy", "syndicated"}
    assert not any(edge["source"] == "RIA Novosti" for edge in story["lineage"])
