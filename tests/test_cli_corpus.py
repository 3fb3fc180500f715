"""The corpus commands (timeline, entities, entity, stories, story) over a store of articles written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.model import Article, Entity, Mention, Quote, Speaker
from newstrace.store import Store

PATROL = (
    "Fisheries Commissioner Elena Marsh said the joint patrol of the three coastal provinces would begin in April "
    "with twelve vessels. Marsh said a seasonal fishing ban was being prepared for the northern banks. "
    "Senator John Smith said the fuel depots at Port Aven would stay open all winter."
)
PATROL_COPY = "PORT AVEN (Coast Wire) — " + PATROL + "\nShare this:\nLeave a Reply"
DENIAL = (
    "Fisheries Commissioner Elena Marsh said a seasonal fishing ban was not being prepared for the northern banks. "
    "Judge Mary Smith said the court would hear the trawler crews' complaint in June."
)
VOLCANO = (
    "The Mount Hekla observatory raised its alert level after a swarm of two hundred small earthquakes shook the "
    "valley overnight, and geologists flew over the crater to measure gas emissions from the new vents. "
    "Volcanologist Anna Berg said magma was rising slowly."
)


def _article(article_id: str, text: str, site: str, published: str, headline: str) -> Article:
    """An article whose people and statements are read from its text by the patterns of these tests."""
    article = Article(
        id=article_id, source=f"https://{site}/{article_id}", source_hash=article_id, media_type="text/plain",
        text=text, site=site, published=published, reference_date=published, headline=headline,
    )  # fmt: skip
    people: dict[str, Entity] = {}
    roles = {"Elena Marsh": "Fisheries Commissioner", "John Smith": "Senator", "Mary Smith": "Judge"}
    for name, role in (*roles.items(), ("Anna Berg", "Volcanologist")):
        start = text.find(name)
        if start < 0:
            continue
        entity = Entity(f"e{len(people)}", name, "PERSON", roles=[role])
        people[name] = entity
        article.entities.append(Mention(name, "PERSON", start, start + len(name), entity.id))
    article.entities_index = list(people.values())
    for sentence_start, sentence in _sentences(text):
        quote = _said(article, people, sentence_start, sentence)
        if quote is not None:
            article.quotes.append(quote)
    assert article.provenance_errors() == []
    return article


def _said(article: Article, people: dict[str, Entity], offset: int, sentence: str) -> Quote | None:
    """The statement of "NAME said CONTENT." (the full name or the surname alone) in one sentence."""
    for name, entity in people.items():
        for written in (name, name.split()[-1]):
            at = sentence.find(written + " said ")
            if at < 0 or (at > 0 and sentence[at - 1] != " "):
                continue
            mention = article.span(offset + at, offset + at + len(written))
            cue = article.span(mention.end + 1, mention.end + 5)
            content = article.span(cue.end + 1, offset + len(sentence) - 1)
            speaker = Speaker(mention, entity.id, name, "named")
            date = article.published
            return Quote("indirect", content, cue, "say", speaker, date=date, date_source="reference", confidence=0.9)
    return None


def _sentences(text: str) -> list[tuple[int, str]]:
    found, start = [], 0
    for end in range(len(text)):
        if text[end] == "." and (end + 1 == len(text) or text[end + 1] in " \n"):
            sentence = text[start : end + 1]
            stripped = sentence.lstrip()
            found.append((start + len(sentence) - len(stripped), stripped))
            start = end + 1
    return found


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "corpus.db"
    with Store(path) as store:
        store.write(
            [
                _article("a" * 64, PATROL, "coast-wire.example", "2026-03-03", "Joint patrol to begin in April"),
                _article("b" * 64, PATROL_COPY, "harbour-blog.example", "2026-03-04", "Patrol to begin in April"),
                _article("c" * 64, DENIAL, "daily-gull.example", "2026-03-12", "No fishing ban, commissioner says"),
                _article("d" * 64, VOLCANO, "ice-news.example", "2026-03-05", "Hekla alert raised"),
            ]
        )
    return str(path)


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_timeline_lists_a_carried_statement_once_with_its_outlets_and_flags_a_denial(db: str) -> None:
    code, stdout, _ = _run("timeline", "Marsh", "--db", db, "--json")
    assert code == 0
    result = json.loads(stdout)
    assert [(e["date"], e["outlets"]) for e in result["entries"]] == [
        ("2026-03-03", ["coast-wire.example", "harbour-blog.example"]),
        ("2026-03-03", ["coast-wire.example", "harbour-blog.example"]),
        ("2026-03-12", ["daily-gull.example"]),
    ]
    assert result["entries"][1]["content"] == "a seasonal fishing ban was being prepared for the northern banks"
    for entry in result["entries"]:
        for carrier in entry["carriers"]:
            assert carrier["content"]["text"] == entry["content"]
    [contradiction] = result["contradictions"]
    assert (contradiction["first"], contradiction["second"]) == (1, 2) and "denies" in contradiction["reason"]
    code, stdout, _ = _run("timeline", "Elena Marsh", "--db", db, "--since", "2026-03-10")
    assert code == 0 and "2026-03-12" in stdout and "2026-03-03" not in stdout and "daily-gull.example" in stdout


def test_timeline_errors_are_one_line(db: str, tmp_path: Path) -> None:
    code, _, stderr = _run("timeline", "Nobody Here", "--db", db)
    assert code == 1 and stderr.strip() == f"newstrace: no statements by 'Nobody Here' in {db}"
    code, _, stderr = _run("timeline", "Marsh", "--db", db, "--since", "March")
    assert code == 2 and stderr.strip() == "newstrace: --since 'March' is not a date (YYYY-MM-DD)"
    code, _, stderr = _run("timeline", "Marsh", "--db", str(tmp_path / "none.db"))
    assert code == 1 and "no database" in stderr
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    code, _, stderr = _run("timeline", "Marsh", "--db", str(tmp_path / "junk.db"))
    assert code == 2 and "not a newstrace database" in stderr and len(stderr.strip().splitlines()) == 1


def test_entities_merges_one_person_across_articles_and_keeps_namesakes_apart(db: str) -> None:
    code, stdout, _ = _run("entities", "--db", db, "--json", "--label", "person")
    assert code == 0
    rows = {row["name"]: row for row in map(json.loads, stdout.splitlines())}
    assert set(rows) == {"Elena Marsh", "John Smith", "Mary Smith", "Anna Berg"}
    assert rows["Elena Marsh"]["articles"] == 3 and rows["John Smith"]["articles"] == 2
    assert rows["Mary Smith"]["articles"] == 1
    assert next(iter(rows)) == "Elena Marsh"  # most widely reported first
    code, _, stderr = _run("entities", "--db", db, "--label", "EVENT")
    assert code == 2 and "'EVENT' is not one of" in stderr  # a kind that does not exist is a usage error
    code, _, stderr = _run("entities", "--db", db, "--label", "org")
    assert code == 1 and "no entities labelled ORG" in stderr


def test_entity_shows_roles_articles_statements_and_merge_evidence(db: str) -> None:
    code, stdout, _ = _run("entity", "Marsh", "--db", db, "--json")
    assert code == 0
    [marsh] = [json.loads(line) for line in stdout.splitlines()]
    assert marsh["article_ids"] == ["a" * 64, "b" * 64, "c" * 64]
    assert [(r["value"], r["date"]) for r in marsh["roles"]] == [("Fisheries Commissioner", "2026-03-03")]
    assert [s["date"] for s in marsh["statements"]] == ["2026-03-03"] * 2 + ["2026-03-04"] * 2 + ["2026-03-12"]
    assert [e["rule"] for e in marsh["evidence"]] == ["first seen", "same name", "same name"]
    code, stdout, _ = _run("entity", "Smith", "--db", db, "--json")
    names = sorted(json.loads(line)["name"] for line in stdout.splitlines())
    assert code == 0 and names == ["John Smith", "Mary Smith"]
    code, stdout, _ = _run("entity", "Mary Smith", "--db", db)
    assert code == 0 and "Judge" in stdout and "court would hear" in stdout and "John" not in stdout
    code, _, stderr = _run("entity", "Nobody", "--db", db)
    assert code == 1 and stderr.strip() == f"newstrace: no entity named 'Nobody' in {db}"


def test_stories_group_a_copy_with_its_origin_and_keep_another_event_apart(db: str, tmp_path: Path) -> None:
    code, stdout, _ = _run("stories", "--db", db, "--json")
    assert code == 0
    stories = {row["id"]: row for row in map(json.loads, stdout.splitlines())}
    assert stories["a" * 64]["articles"] >= 2 and stories["a" * 64]["origin_id"] == "a" * 64
    assert stories["d" * 64]["articles"] == 1 and stories["d" * 64]["weakest_link"] is None
    code, stdout, _ = _run("story", "a" * 8, "--db", db, "--json")
    assert code == 0
    story = json.loads(stdout)
    members = {m["article_id"]: m for m in story["members"]}
    assert members["a" * 64]["relation"] == "origin"
    assert members["b" * 64]["relation"] in {"copy", "syndicated"} and members["b" * 64]["copy_of"] == "a" * 64
    copy = members["b" * 64]
    assert members["a" * 64]["link"] == "origin" and copy["link"] == f"{copy['relation']} {copy['similarity']:.2f}"
    # How loosely the story holds: the lowest similarity a member joined at.
    joined = [m["similarity"] for m in story["members"] if m["relation"] != "origin"]
    assert stories["a" * 64]["weakest_link"] == round(min(joined), 4) < copy["similarity"]
    assert "d" * 64 not in members
    [edge] = story["lineage"]
    assert (edge["article_id"], edge["source"], edge["cue"]) == ("b" * 64, "Coast Wire", "dateline credit")
    assert PATROL_COPY[edge["evidence"]["start"] : edge["evidence"]["end"]] == edge["evidence"]["text"]
    code, stdout, _ = _run("story", "a" * 64, "--db", db)
    assert code == 0 and "origin" in stdout and "Coast Wire" in stdout and copy["link"] in stdout
    code, stdout, _ = _run("stories", "--db", db)
    assert code == 0 and f"weakest {stories['a' * 64]['weakest_link']:.2f}" in stdout
    code, stdout, _ = _run("stories", "--db", db, "--json", "--min-size", "2")
    kept = [json.loads(line) for line in stdout.splitlines()]
    assert code == 0 and kept and all(row["articles"] >= 2 for row in kept) and len(kept) < len(stories)
    code, _, stderr = _run("stories", "--db", db, "--min-size", "50")
    assert code == 1 and "no story of 50 articles or more" in stderr
    code, _, stderr = _run("story", "f" * 12, "--db", db)
    assert code == 1 and stderr.strip() == f"newstrace: no story '{'f' * 12}' in {db}"
    code, _, stderr = _run("stories", "--db", str(tmp_path / "none.db"))
    assert code == 1 and "no database" in stderr
