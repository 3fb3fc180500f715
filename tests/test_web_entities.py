"""The entities index and entity pages through TestClient: filters, what a page lists, and the links to them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from test_store import annotated
from test_web_ui import Page, desk


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with desk(tmp_path / "entities.db") as test_client:
        yield test_client


def listed(html: str) -> list[str]:
    """The entity names an index page lists, in order."""
    return re.findall(r'<td><a href="/ui/entities/[^"]+">([^<]+)</a></td>', html)


def test_entities_index_lists_kind_and_count_and_filters_by_kind_and_name(client: TestClient) -> None:
    page = client.get("/ui/entities/")
    assert page.status_code == 200
    api = client.get("/entities", params={"limit": 100}).json()
    assert listed(page.text) == [item["name"] for item in api["items"]] and f"({api['total']})" in page.text
    assert '<td class="count">3</td>' in page.text  # Elena Marsh, in three articles
    people = client.get("/ui/entities/", params={"label": "PERSON"}).text
    assert "Minsk" not in listed(people) and "Elena Marsh" in listed(people)
    assert listed(client.get("/ui/entities/", params={"label": "PLACE"}).text) == ["Minsk"]
    # A name matches any part of the name or an alias, in any case; the API and the export filter alike.
    assert listed(client.get("/ui/entities/", params={"name": "smith"}).text) == ["John Smith", "Mary Smith"]
    assert [e["name"] for e in client.get("/entities", params={"name": "SMITH"}).json()["items"]] == [
        "John Smith",
        "Mary Smith",
    ]
    filtered = client.get("/ui/entities/", params={"name": "smith", "label": "PERSON"}).text
    assert 'href="/export/entities?label=PERSON&amp;name=smith&amp;format=csv"' in filtered
    exported = client.get("/export/entities", params={"label": "PERSON", "name": "smith"}).json()["items"]
    assert [item["name"] for item in exported] == ["John Smith", "Mary Smith"]
    assert "No entity matches" in client.get("/ui/entities/", params={"name": "nobody"}).text
    assert client.get("/ui/entities/", params={"label": "THING"}).status_code == 422


def test_entity_page_shows_names_statements_articles_and_stories(client: TestClient) -> None:
    page = client.get("/ui/entities/person:mikhail-galuzin")
    assert page.status_code == 200
    seen = Page(page.text)
    assert seen.text_in["entity-name"] == "Mikhail Galuzin" and seen.text_in["aliases"] == "Galuzin"
    assert "Deputy Foreign Minister" in page.text and 'href="/ui/speakers/Mikhail%20Galuzin"' in page.text
    marsh = client.get("/ui/entities/person%3Aelena-marsh").text
    detail = client.get("/entities/person:elena-marsh").json()
    assert marsh.count('<span class="date">') == len(detail["statements"]) >= 3  # every statement, by date
    for article_id in detail["article_ids"]:
        assert f'<li><a href="/ui/articles/{article_id}">' in marsh
    assert "No fishing ban, commissioner says" in marsh
    assert re.search(r'<ul id="stories" class="results">\s*<li><a href="/ui/stories/a{64}">', marsh)
    assert "No statement is attributed" in client.get("/ui/entities/place:minsk").text
    missing = client.get("/ui/entities/person:nobody")
    assert missing.status_code == 404 and "no entity" in missing.text


def test_the_menu_and_article_pages_link_to_entity_pages(client: TestClient) -> None:
    html = client.get("/ui/").text
    assert '<a href="/ui/entities/">Entities</a>' in html
    article = client.get(f"/ui/articles/{annotated(1).id}").text
    named = article[article.index('id="named"') :]
    links = re.findall(r'<a href="(/ui/entities/[^"]+)">([^<]+)</a>', named)
    assert ("/ui/entities/person%3Amikhail-galuzin", "Mikhail Galuzin") in links
    for link, _ in links:
        assert client.get(link).status_code == 200, link
    speaker = client.get("/ui/speakers/Elena Marsh").text
    assert 'href="/ui/entities/person%3Aelena-marsh"' in speaker
