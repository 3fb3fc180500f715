"""Markup in stored text stays text (issue #30): an article whose headline, text, speaker's name and outlet hold
``<script>`` and ``"><img onerror>`` renders inert on every page that shows it, and exports keep it as data."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient

from newstrace.model import Article, Entity, HeadlineCheck, Mention, Quote, Speaker
from newstrace.store import Store
from newstrace.web import create_app
from test_web_ui import Page

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# The name holds both: a speaker page, an entity page and every statement list show it.
NAME = f"Ana {SCRIPT}{IMG} Duarte"
SITE = f"evil.example{IMG}{SCRIPT}"
HEADLINE = f"Harbour {SCRIPT} reopens {IMG}"
HOSTILE_ID = "d" * 64


def hostile_article() -> Article:
    """One article with every hostile string where a page shows stored text: headline, text, speaker, outlet."""
    text = f"Harbour master {NAME} said the port {SCRIPT} would reopen on Tuesday {IMG} after repairs."
    article = Article(
        id=HOSTILE_ID, source=f"https://evil.example/{HOSTILE_ID}", source_hash=HOSTILE_ID, media_type="text/plain",
        text=text, site=SITE, published="2026-03-05", reference_date="2026-03-05", headline=HEADLINE, language="en",
    )  # fmt: skip
    start = text.index(NAME)
    mention = article.span(start, start + len(NAME))
    entity = Entity("e0", NAME, "PERSON", roles=["Harbour master"])
    article.entities = [Mention(NAME, "PERSON", mention.start, mention.end, "e0")]
    article.entities_index = [entity]
    cue = article.span(mention.end + 1, mention.end + 5)
    content = article.span(cue.end + 1, len(text) - 1)
    speaker = Speaker(mention, "e0", NAME, "named")
    article.quotes = [Quote("indirect", content, cue, "say", speaker, None, "2026-03-05", "reference", 0.9)]
    article.paragraphs = [article.span(0, len(text))]
    article.headline_check = HeadlineCheck("discuss", {"discuss": 1.0}, "statement", [], [], 0.01, False, None, "")
    assert article.provenance_errors() == []
    return article


def hostile_pages(client: httpx.Client | TestClient) -> dict[str, str]:
    """The URL of each page kind that shows the hostile article's stored text, found through the API."""
    [entity] = client.get("/entities", params={"name": "Duarte"}).json()["items"]
    stories = client.get("/stories", params={"limit": 100}).json()["items"]
    [story] = [s for s in stories if s["origin_id"] == HOSTILE_ID]
    return {
        "article": f"/ui/articles/{HOSTILE_ID}",
        "search": "/ui/?q=harbour",
        "latest": "/ui/",
        "statements": "/ui/statements?speaker=Duarte",
        "entities": "/ui/entities/?name=Duarte",
        "entity": f"/ui/entities/{quote(entity['id'], safe='')}",
        "stories": "/ui/stories/",
        "story": f"/ui/stories/{story['id']}",
        "speaker": f"/ui/speakers/{quote(NAME, safe='')}",
    }


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with Store(tmp_path_factory.mktemp("inert") / "inert.db") as store:
        store.write([hostile_article()])
        with TestClient(create_app(store)) as test_client:
            yield test_client


def assert_inert(html: str, where: str) -> None:
    """No element the stored text could have made: every script is the page's own, no img, no event attribute."""
    page = Page(html)
    assert SCRIPT not in html and "<img" not in html, where
    scripts = [attributes for tag, attributes in page.elements if tag == "script"]
    assert all(attributes.get("src", "").startswith("/static/") for attributes in scripts), where
    assert [tag for tag, _ in page.elements if tag == "img"] == [], where
    handlers = [(tag, name) for tag, attributes in page.elements for name in attributes if name.startswith("on")]
    assert handlers == [], where


def test_every_page_showing_the_article_escapes_its_markup(client: TestClient) -> None:
    pages = hostile_pages(client)
    for kind, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (kind, url, response.text[:300])
        html = response.text
        assert_inert(html, kind)
        # The text is shown, escaped once: a reader sees the characters that were stored.
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, kind
        assert "&lt;img src=x onerror=alert(1)&gt;" in html, kind
        assert "&amp;lt;" not in html, kind
    # Each page shows the stored fields it lists, as a reader typed them.
    for kind, url in pages.items():
        text = Page(client.get(url).text).all_text
        assert {field for field, value in FIELDS.items() if value in text} >= SHOWN[kind], kind


FIELDS = {"headline": HEADLINE, "name": NAME, "site": SITE}
SHOWN = {
    "article": {"headline", "name", "site"},
    "search": {"headline", "site"},
    "latest": {"headline", "site"},
    "statements": {"headline", "name"},
    "entities": {"name"},
    "entity": {"headline", "name", "site"},
    "stories": {"headline", "site"},
    "story": {"headline", "name", "site"},
    "speaker": {"name", "site"},
}


def test_exports_keep_the_markup_as_data(client: TestClient) -> None:
    searched = client.get("/export/search", params={"q": "harbour", "format": "json"}).json()["items"]
    assert [(item["headline"], item["site"]) for item in searched] == [(HEADLINE, SITE)]
    rows = list(csv.reader(io.StringIO(client.get("/export/search", params={"q": "harbour", "format": "csv"}).text)))
    assert rows[0][:4] == ["id", "headline", "published", "site"]
    assert [row[1:4:2] for row in rows[1:]] == [[HEADLINE, SITE]]
    said = client.get("/export/statements", params={"speaker": "Duarte", "format": "json"}).json()["items"]
    assert [item["speaker"]["name"] for item in said] == [NAME] and SCRIPT in said[0]["text"]
    exported = client.get("/export/statements", params={"speaker": "Duarte", "format": "csv"}).text
    rows = list(csv.reader(io.StringIO(exported)))
    header, [row] = rows[0], rows[1:]
    assert row[header.index("speaker")] == NAME and row[header.index("headline")] == HEADLINE
    named = client.get("/export/entities", params={"name": "Duarte", "format": "csv"}).text
    assert list(csv.reader(io.StringIO(named)))[1][1] == NAME
    # A JSON export is JSON: a string holding "</script>" is still one string.
    body = client.get("/export/entities", params={"name": "Duarte", "format": "json"}).text
    assert json.loads(body)["items"][0]["name"] == NAME
    response = client.get("/export/search", params={"q": "harbour"})
    assert response.headers["content-type"].startswith("application/json")
    assert "attachment" in response.headers["content-disposition"]
