"""Lists taken away: /export/… as CSV and JSON through TestClient, with the filters of the lists they come from."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from newstrace import service as service_module
from newstrace.service import CorpusService
from newstrace.store import Store
from newstrace.web import ServeSettings, create_app
from newstrace.web._export import safe_cell
from test_cli_corpus import DENIAL, PATROL, PATROL_COPY, _article
from test_store import annotated

EVIL = '=HYPERLINK("https://evil.example","patrol")'


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "export.db") as opened:
        opened.write(
            [
                annotated(1),
                annotated(2, speaker="Alexander Lukashenko"),
                _article("a" * 64, PATROL, "coast-wire.example", "2026-03-03", "Joint patrol to begin in April"),
                _article("b" * 64, PATROL_COPY, "harbour-blog.example", "2026-03-04", "Patrol to begin in April"),
                _article("c" * 64, DENIAL, "daily-gull.example", "2026-03-12", "No fishing ban, commissioner says"),
                _article("d" * 64, PATROL.replace("twelve", "ten"), "@evil.example", "2026-03-05", EVIL),
            ]
        )
        yield opened


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as test_client:
        yield test_client


def table(response: httpx.Response) -> list[dict[str, str]]:
    """A CSV download's rows, checked to be one: its type, its name, a header row."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="newstrace-[a-z-]+\.csv"', response.headers["content-disposition"])
    assert response.text.endswith("\r\n")
    return list(csv.DictReader(io.StringIO(response.text)))


def test_search_export_has_the_rows_of_the_search_with_its_filters(client: TestClient) -> None:
    listed = client.get("/search", params={"q": "patrol", "limit": 100}).json()["items"]
    rows = table(client.get("/export/search", params={"q": "patrol", "format": "csv"}))
    assert len(rows) == len(listed) >= 3
    assert [row["id"] for row in rows] == [item["id"] for item in listed]
    assert list(rows[0]) == ["id", "headline", "published", "site", "score", "snippet", "date", "language", "verdict",
                             "misleading", "statements", "story_id", "story_size"]  # fmt: skip
    assert "[patrol]" in rows[0]["snippet"].lower()
    only = table(client.get("/export/search", params={"q": "patrol", "site": "coast-wire.example", "format": "csv"}))
    assert [row["id"] for row in only] == ["a" * 64]
    answer = client.get("/export/search", params={"q": "patrol", "since": "2026-03-04"})  # JSON by default
    assert answer.headers["content-type"] == "application/json"
    data = answer.json()
    assert data["export"] == "search" and data["filters"] == {"q": "patrol", "since": "2026-03-04"}
    assert data["capped"] is False
    assert data["items"] == client.get("/search", params={"q": "patrol", "since": "2026-03-04"}).json()["items"]


def test_a_cell_a_spreadsheet_would_run_is_written_as_text(client: TestClient) -> None:
    rows = table(client.get("/export/search", params={"q": "ten vessels", "format": "csv"}))
    assert [(row["headline"], row["site"]) for row in rows] == [("'" + EVIL, "'@evil.example")]
    assert client.get("/export/search", params={"q": "ten vessels"}).json()["items"][0]["headline"] == EVIL
    for dangerous in ("=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(dangerous) == "'" + dangerous
    assert [safe_cell(value) for value in ("a=b", "", None, 0.5, -2, ["x", "=y"])] == ["a=b", "", "", 0.5, -2, "x; =y"]


def test_statement_export_has_the_rows_of_the_statement_list(client: TestClient) -> None:
    listed = client.get("/statements", params={"speaker": "Marsh", "limit": 100}).json()["items"]
    rows = table(client.get("/export/statements", params={"speaker": "Marsh", "format": "csv"}))
    assert len(rows) == len(listed) >= 3
    assert [(row["article_id"], row["text"]) for row in rows] == [(item["article_id"], item["text"]) for item in listed]
    assert {row["speaker"] for row in rows} == {"Elena Marsh"}
    assert list(rows[0])[:4] == ["article_id", "headline", "date", "speaker"]
    data = client.get("/export/statements", params={"speaker": "Marsh", "min_confidence": 0.0}).json()
    assert data["items"] == listed and data["filters"] == {"speaker": "Marsh"}
    everyone = table(client.get("/export/statements", params={"format": "csv"}))
    assert len(everyone) > len(rows)
    assert table(client.get("/export/statements", params={"min_confidence": 1.0, "format": "csv"})) == []


def test_an_export_reads_page_after_page_to_the_end(
    client: TestClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = client.get("/export/statements").json()["items"]
    monkeypatch.setattr(service_module, "EXPORT_PAGE", 2)
    assert client.get("/export/statements").json()["items"] == whole  # each statement once, in order
    paged = [item["id"] for item in client.get("/export/search", params={"q": "patrol"}).json()["items"]]
    assert paged == [item["id"] for item in client.get("/search", params={"q": "patrol"}).json()["items"]]
    service = CorpusService(store)
    pages = list(service.pages(lambda limit, offset, _: list(range(offset, min(offset + limit, 7))), service.budget()))
    assert pages == [[0, 1], [2, 3], [4, 5], [6]]
    capped = service.pages(lambda limit, offset, _: list(range(offset, offset + limit)), service.budget(), most=5)
    assert list(capped) == [[0, 1], [2, 3], [4]]


def test_entity_and_story_member_exports(client: TestClient) -> None:
    listed = client.get("/entities", params={"label": "PERSON", "limit": 100}).json()
    rows = table(client.get("/export/entities", params={"label": "PERSON", "format": "csv"}))
    assert [row["id"] for row in rows] == [item["id"] for item in listed["items"]] and len(rows) == listed["total"]
    assert {row["label"] for row in rows} == {"PERSON"} and list(rows[0]) == [
        "id",
        "name",
        "label",
        "aliases",
        "articles",
    ]
    assert (
        client.get("/export/entities").json()["items"] == client.get("/entities", params={"limit": 100}).json()["items"]
    )
    story = client.get("/stories/" + "a" * 64).json()
    members = table(client.get(f"/export/stories/{'a' * 12}/members", params={"format": "csv"}))
    assert [row["article_id"] for row in members] == [m["article_id"] for m in story["members"]]
    assert members[0]["headline"] == "Joint patrol to begin in April" and members[0]["link"] == "origin"
    data = client.get(f"/export/stories/{'a' * 64}/members").json()
    assert [item["link"] for item in data["items"]] == [m["link"] for m in story["members"]]


def test_export_errors_are_answers_not_broken_files(client: TestClient) -> None:
    bad = client.get("/export/search", params={"q": "(patrol OR", "format": "csv"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_query"
    assert client.get("/export/search", params={"q": "patrol", "format": "xml"}).status_code == 422
    assert client.get("/export/search").status_code == 422  # a search needs its query
    assert client.get("/export/stories/" + "f" * 64 + "/members").json()["error"]["code"] == "not_found"
    assert client.get("/export/entities", params={"label": "THING"}).status_code == 422


def test_list_pages_link_to_their_export_with_their_filters(client: TestClient) -> None:
    html = client.get("/ui/", params={"q": "patrol", "site": "coast-wire.example"}).text
    assert 'href="/export/search?q=patrol&amp;site=coast-wire.example&amp;format=csv"' in html
    assert 'href="/export/search?q=patrol&amp;site=coast-wire.example&amp;format=json"' in html
    html = client.get("/ui/speakers/Elena Marsh", params={"min_confidence": 0.5}).text
    assert 'href="/export/statements?speaker=Elena+Marsh&amp;min_confidence=0.5&amp;format=csv"' in html
    html = client.get("/ui/stories/" + "a" * 64).text
    assert f'href="/export/stories/{"a" * 64}/members?format=csv"' in html
    # Each link leads to a download that has rows.
    for link in re.findall(r'href="(/export/[^"]+format=csv)"', html):
        assert len(table(client.get(link.replace("&amp;", "&")))) >= 1


def test_a_signed_in_browser_downloads_with_its_cookie(store: Store) -> None:
    with TestClient(create_app(store, ServeSettings(token="s3cret"))) as client:
        assert client.get("/export/statements").status_code == 401
        client.post("/ui/sign-in", data={"token": "s3cret"})
        assert json.loads(client.get("/export/statements").text)["items"]
