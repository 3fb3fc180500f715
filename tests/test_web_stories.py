"""Stories as an overview: filtered by size, dates and outlet, each row with its outlets, dates and origin; a story
page's timeline of members with what each added (TestClient, no network)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newstrace.corpus.story_timeline import MemberFacts, story_timeline
from test_web_ui import Page, desk

STORY = "a" * 64


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with desk(tmp_path / "stories.db") as test_client:
        yield test_client


def _ids(client: TestClient, **params: str) -> list[str]:
    return [item["id"] for item in client.get("/stories", params=params).json()["items"]]


def _rows(page: Page) -> list[str]:
    """The story pages a listing links to, one per row (not the menu's link, nor the filter links)."""
    links = [a["href"] for a in page.having("href") if a["href"].startswith("/ui/stories/")]
    return [href for href in links if href != "/ui/stories/" and "?" not in href]


def test_api_filters_stories_by_dates_and_outlet_and_lists_their_outlets(client: TestClient) -> None:
    everything = client.get("/stories").json()["items"]
    assert len(everything) == 2
    patrol = next(item for item in everything if item["id"] == STORY)
    assert patrol["outlets"] == ["coast-wire.example", "harbour-blog.example", "daily-gull.example"]
    assert _ids(client, site="DAILY-GULL") == [STORY]
    assert _ids(client, site="nowhere.example") == []
    assert _ids(client, since="2026-03-05") == [STORY]  # last seen 2026-03-12: still running then
    assert STORY not in _ids(client, until="2026-03-02")  # first seen 2026-03-03
    assert _ids(client, since="2026-03-01", until="2026-03-31", min_size="2") == [STORY]
    assert client.get("/stories", params={"since": "2026-02-30"}).status_code == 422


def test_stories_page_rows_show_outlets_dates_and_origin_with_filters_in_the_url(client: TestClient) -> None:
    page = Page(client.get("/ui/stories/", params={"site": "gull", "since": "2026-03-01"}).text)
    assert _rows(page) == ["/ui/stories/" + STORY]
    assert "coast-wire.example, harbour-blog.example, daily-gull.example" in page.all_text
    assert "2026-03-03" in page.all_text and "2026-03-12" in page.all_text
    assert "/ui/articles/" + STORY in [a["href"] for a in page.having("href")]  # the origin
    values = {a["name"]: a.get("value") for a in page.having("name")}
    assert values["site"] == "gull" and values["since"] == "2026-03-01"
    # The size link keeps the other filters.
    assert "/ui/stories/?min_size=2&since=2026-03-01&site=gull" in [a["href"] for a in page.having("href")]
    assert _rows(Page(client.get("/ui/stories/", params={"until": "2026-03-02", "site": "gull"}).text)) == []


def test_story_page_timeline_says_what_each_member_added(client: TestClient) -> None:
    response = client.get("/ui/stories/" + STORY)
    assert response.status_code == 200
    page = Page(response.text)
    steps = page.all_text.split("Timeline: what each member added")[1].split("Lineage")[0]
    # Date order: the origin, the copy (nothing new), the denial (a new speaker, new statements).
    assert steps.index("2026-03-03") < steps.index("2026-03-04") < steps.index("2026-03-12")
    copy = steps[steps.index("2026-03-04") : steps.index("2026-03-12")]
    assert "Nothing new" in copy
    denial = steps[steps.index("2026-03-12") :]
    assert "Mary Smith" in denial and "New speaker" in denial and "court would hear" in denial
    assert "/ui/speakers/Mary%20Smith" in [a["href"] for a in page.having("href")]


def test_story_timeline_orders_by_date_and_keeps_only_what_is_new() -> None:
    members = [
        MemberFacts(
            "late",
            "2026-03-05",
            "b.example",
            [("Ann Lee", "We will open the port in May.")],
            [("9000 troops", "9,000 troops")],
        ),
        MemberFacts("undated", None, "c.example", [("Bo Ek", "No comment.")]),
        MemberFacts(
            "first",
            "2026-03-01",
            "a.example",
            [("Ann Lee", "We will open the port in May")],
            [("9000 troops", "some 9,000 troops")],
        ),
    ]
    steps = story_timeline(members)
    assert [step.article_id for step in steps] == ["first", "late", "undated"]
    assert steps[0].new_speakers == ["Ann Lee"] and steps[0].new_figures == ["some 9,000 troops"]
    assert steps[1].new_statements == [] and steps[1].new_figures == [] and steps[1].statements == 1
    assert steps[2].new_speakers == ["Bo Ek"] and steps[2].new_statements == [("Bo Ek", "No comment.")]
