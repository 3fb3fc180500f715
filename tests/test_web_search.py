"""Search that reads like search: each hit's verdict, statements and story, facets over the matches, filters in the
URL, and a total on every page; through the API and the UI alike (TestClient, no network)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newstrace.store import Store
from newstrace.web import create_app
from test_cli_corpus import DENIAL, PATROL, PATROL_COPY, VOLCANO, _article
from test_store import annotated
from test_web_ui import Page

EVIL_SITE = '"><img src=x onerror=alert(1)>'


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with Store(tmp_path / "search.db") as store:
        store.write(
            [
                annotated(1),
                _article("a" * 64, PATROL, "coast-wire.example", "2026-03-03", "Joint patrol to begin in April"),
                _article("b" * 64, PATROL_COPY, "harbour-blog.example", "2026-03-04", "Patrol to begin in April"),
                _article("c" * 64, DENIAL, "daily-gull.example", "2026-03-12", "No fishing ban, commissioner says"),
                _article("e" * 64, VOLCANO, EVIL_SITE, "2026-02-01", "<script>alert(1)</script> Hekla"),
            ]
        )
        with TestClient(create_app(store)) as test_client:
            yield test_client


def _links(page: Page, prefix: str) -> list[str]:
    return [a["href"] for a in page.having("href") if a["href"].startswith(prefix)]


def test_api_hits_carry_their_verdict_statements_and_story_and_the_total_and_facets(client: TestClient) -> None:
    answer = client.get("/search", params={"q": "fishing"}).json()
    assert answer["total"] == 3 and answer["total_capped"] is False
    by_id = {item["id"]: item for item in answer["items"]}
    assert set(by_id) == {"a" * 64, "b" * 64, "c" * 64}
    patrol = by_id["a" * 64]
    assert patrol["statements"] == 3 and patrol["verdict"] == "none" and patrol["misleading"] is False
    assert patrol["story_size"] == 3 and patrol["story_id"] == "a" * 64 and patrol["date"] == "2026-03-03"
    assert {(item["story_id"], item["story_size"]) for item in by_id.values()} == {("a" * 64, 3)}
    facets = answer["facets"]
    assert {f["value"]: f["count"] for f in facets["site"]} == {
        "coast-wire.example": 1,
        "harbour-blog.example": 1,
        "daily-gull.example": 1,
    }
    assert facets["month"] == [{"value": "2026-03", "count": 3}]
    assert facets["verdict"] == [{"value": "none", "count": 3}]
    assert facets["language"] == [{"value": None, "count": 3}]
    checked = client.get("/search", params={"q": "Minsk"}).json()
    assert checked["items"][0]["verdict"] == "disagree" and checked["items"][0]["language"] == "en"
    assert checked["facets"]["month"] == [{"value": checked["items"][0]["date"][:7], "count": 1}]


def test_api_filters_by_verdict_language_and_speaker(client: TestClient) -> None:
    def ids(**params: str) -> set[str]:
        return {
            item["id"][:1] for item in client.get("/search", params={"q": "Minsk OR fishing", **params}).json()["items"]
        }

    assert ids() == {"a", "b", "c", annotated(1).id[:1]}
    assert ids(verdict="disagree") == {annotated(1).id[:1]}
    assert ids(verdict="none") == {"a", "b", "c"}
    assert ids(language="en") == {annotated(1).id[:1]}
    assert ids(speaker="Mary Smith") == {"c"}
    narrowed = client.get("/search", params={"q": "fishing", "speaker": "Mary Smith"}).json()
    assert narrowed["total"] == 1 and narrowed["facets"]["site"] == [{"value": "daily-gull.example", "count": 1}]
    assert client.get("/search", params={"q": "fishing", "verdict": "maybe"}).status_code == 422


def test_ui_honours_every_filter_in_the_url_and_shows_the_total(client: TestClient) -> None:
    everything = Page(client.get("/ui/", params={"q": "fishing"}).text)
    assert "Matches 1–3 of 3" in everything.text_in["hit-count"]
    assert len(_links(everything, "/ui/articles/")) == 3
    # ?speaker= was ignored by the UI: 32 hits with or without it.
    url = "/ui/?q=fishing&speaker=Mary+Smith"
    narrowed = Page(client.get(url).text)
    assert _links(narrowed, "/ui/articles/") == ["/ui/articles/" + "c" * 64]
    assert "of 1" in narrowed.text_in["hit-count"]
    assert {"name": "speaker", "type": "text", "value": "Mary Smith"} in [
        {key: a[key] for key in ("name", "type", "value")} for a in narrowed.having("name") if "value" in a
    ]
    # The export link carries the filters.
    assert any("speaker=Mary+Smith" in href for href in _links(narrowed, "/export/search?"))
    disagreeing = Page(client.get("/ui/", params={"q": "Minsk OR fishing", "verdict": "disagree"}).text)
    assert _links(disagreeing, "/ui/articles/") == ["/ui/articles/" + annotated(1).id]
    selected = [a for tag, a in disagreeing.elements if tag == "option" and "selected" in a]
    assert [a["value"] for a in selected] == ["disagree"]
    english = Page(client.get("/ui/", params={"q": "Minsk OR fishing", "language": "en"}).text)
    assert _links(english, "/ui/articles/") == ["/ui/articles/" + annotated(1).id]
    assert client.get("/ui/", params={"q": "fishing", "verdict": "maybe"}).status_code == 422


def test_ui_hits_show_verdict_statements_and_story(client: TestClient) -> None:
    page = Page(client.get("/ui/", params={"q": "patrol", "site": "coast-wire"}).text)
    assert "3 statements" in page.all_text and "not checked" in page.all_text
    assert "/ui/stories/" + "a" * 64 in _links(page, "/ui/stories/")
    assert "story of 3 articles" in page.all_text
    minsk = Page(client.get("/ui/", params={"q": "Minsk"}).text)
    assert "disagree" in minsk.all_text and "alone in its story" in minsk.all_text
    assert (annotated(1).published or "?") in minsk.all_text


def test_facets_are_links_that_filter_and_clear(client: TestClient) -> None:
    page = Page(client.get("/ui/", params={"q": "fishing"}).text)
    outlet = "/ui/?q=fishing&outlet=coast-wire.example"
    month = "/ui/?q=fishing&since=2026-03-01&until=2026-03-31"
    verdict = "/ui/?q=fishing&verdict=none"
    assert {outlet, month, verdict} <= set(_links(page, "/ui/?"))
    narrowed = Page(client.get(outlet).text)
    assert _links(narrowed, "/ui/articles/") == ["/ui/articles/" + "a" * 64]
    # The active value says so, and its link clears the filter.
    active = [a for a in narrowed.having("aria-current")]
    assert [a["href"] for a in active] == ["/ui/?q=fishing"]
    in_march = Page(client.get(month).text)
    assert len(_links(in_march, "/ui/articles/")) == 3
    assert [a["href"] for a in in_march.having("aria-current")] == ["/ui/?q=fishing"]


def test_facets_and_hits_are_escaped(client: TestClient) -> None:
    response = client.get("/ui/", params={"q": "Hekla"})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text and "<img src=x" not in response.text
    assert "&lt;script&gt;" in response.text and "&#34;&gt;&lt;img" in response.text
    page = Page(response.text)
    assert not [
        tag
        for tag, _ in page.elements
        if tag in ("script", "img") and _ != {"src": "/static/newstrace.js", "defer": ""}
    ]


def test_an_outlet_facet_selects_that_site_only_while_a_typed_outlet_matches_part_of_one(tmp_path: Path) -> None:
    with Store(tmp_path / "outlets.db") as store:
        store.write(
            [
                _article("f" * 64, PATROL, "cnn.com", "2026-03-03", "Joint patrol to begin in April"),
                _article("9" * 64, PATROL_COPY, "edition.cnn.com", "2026-03-04", "Patrol to begin in April"),
            ]
        )
        with TestClient(create_app(store)) as client:
            page = Page(client.get("/ui/", params={"q": "patrol", "site": "cnn.com"}).text)
            assert len(_links(page, "/ui/articles/")) == 2  # typed: any part of a site
            facet = "/ui/?q=patrol&site=cnn.com&outlet=cnn.com"
            assert facet in _links(page, "/ui/?")
            narrowed = Page(client.get(facet).text)
            assert _links(narrowed, "/ui/articles/") == ["/ui/articles/" + "f" * 64]
            assert [a["href"] for a in narrowed.having("aria-current")] == ["/ui/?q=patrol&site=cnn.com"]
            kept = [a for a in narrowed.having("name") if a["name"] == "outlet"]  # a new query keeps it
            assert [(a["value"], "checked" in a) for a in kept] == [("cnn.com", True)]
            exports = [href for href in _links(narrowed, "/export/search?") if href.endswith("format=json")]
            exported = client.get(exports[0]).json()
            assert exported["filters"]["outlet"] == "cnn.com" and [hit["id"] for hit in exported["items"]] == ["f" * 64]
            answer = client.get("/search", params={"q": "patrol", "outlet": "edition.cnn.com"}).json()
            assert [hit["id"] for hit in answer["items"]] == ["9" * 64] and answer["total"] == 1
