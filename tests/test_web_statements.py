"""The statements search: content words, speaker, outlet, dates said and least confidence, alike in the API, the UI
page (in the menu) and its export links (TestClient, no network)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newstrace.store import Store
from newstrace.web import create_app
from test_cli_corpus import DENIAL, PATROL, PATROL_COPY, _article
from test_store import annotated
from test_web_ui import Page


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with Store(tmp_path / "statements.db") as store:
        store.write(
            [
                annotated(1),
                annotated(2, speaker="Alexander Lukashenko", confidence=0.4),
                _article("a" * 64, PATROL, "coast-wire.example", "2026-03-03", "Joint patrol to begin in April"),
                _article("b" * 64, PATROL_COPY, "harbour-blog.example", "2026-03-04", "Patrol to begin in April"),
                _article("c" * 64, DENIAL, "daily-gull.example", "2026-03-12", '<b>"No fishing ban"</b>'),
            ]
        )
        with TestClient(create_app(store)) as test_client:
            yield test_client


def _api(client: TestClient, **params: Any) -> list[tuple[str, str]]:
    items = client.get("/statements", params={"limit": 100, **params}).json()["items"]
    return [(item["article_id"][:1], item["text"]) for item in items]


def _page(client: TestClient, **params: Any) -> list[str]:
    page = Page(client.get("/ui/statements", params=params).text)
    return [a["href"][len("/ui/articles/") :][:1] for a in page.having("href") if a["href"].startswith("/ui/articles/")]


def test_api_filters_statements_by_words_outlet_and_dates(client: TestClient) -> None:
    assert [text for _, text in _api(client, words="COURT hear")] == [
        "the court would hear the trawler crews' complaint in June"
    ]
    assert _api(client, words="court nowhere") == []
    assert {article for article, _ in _api(client, site="gull")} == {"c"}
    assert {article for article, _ in _api(client, since="2026-03-10")} == {"c"}
    dated = {article for article, _ in _api(client, since="2026-03-01", until="2026-03-04")}
    assert dated == {"a", "b"}
    assert _api(client, speaker="Marsh", site="daily-gull", words="ban") == [
        ("c", "a seasonal fishing ban was not being prepared for the northern banks")
    ]
    assert client.get("/statements", params={"until": "2026-13-01"}).status_code == 422


def test_the_page_lists_what_the_api_lists_with_the_same_filters(client: TestClient) -> None:
    for params in (
        {},
        {"words": "ban", "speaker": "Marsh"},
        {"site": "coast-wire", "since": "2026-03-01", "until": "2026-03-31"},
        {"min_confidence": 0.5},
    ):
        assert _page(client, **params) == [article for article, _ in _api(client, **params)], params
    low = {text for _, text in _api(client, speaker="Lukashenko")}
    assert low and not {text for _, text in _api(client, speaker="Lukashenko", min_confidence=0.5)}


def test_the_page_keeps_its_filters_in_the_url_the_form_and_the_export_links(client: TestClient) -> None:
    home = Page(client.get("/ui/").text)
    assert "/ui/statements" in [a["href"] for a in home.having("href")]  # in the menu
    params = {"words": "ban", "speaker": "Marsh", "site": "gull", "since": "2026-03-01", "min_confidence": "0.5"}
    page = Page(client.get("/ui/statements", params=params).text)
    values = {a["name"]: a.get("value") for a in page.having("name")}
    assert all(values[key] == value for key, value in params.items())
    exports = [a["href"] for a in page.having("href") if a["href"].startswith("/export/statements?")]
    assert len(exports) == 2 and all("words=ban" in href and "site=gull" in href for href in exports)
    csv_link = next(href for href in exports if href.endswith("format=csv"))
    rows = list(csv.DictReader(io.StringIO(client.get(csv_link).text)))
    assert [row["text"] for row in rows] == [text for _, text in _api(client, **params)]
    assert [a["href"] for a in page.having("href") if a["href"].startswith("/ui/speakers/")] == [
        "/ui/speakers/Elena%20Marsh"
    ]


def test_statement_headlines_are_escaped(client: TestClient) -> None:
    response = client.get("/ui/statements", params={"site": "gull"})
    assert "<b>" not in response.text and "&lt;b&gt;&#34;No fishing ban&#34;&lt;/b&gt;" in response.text


def test_quotes_json_lists_what_the_api_lists_with_the_same_filters(client: TestClient, tmp_path: Path) -> None:
    from test_cli_corpus import _run

    db = str(tmp_path / "statements.db")
    filters: list[dict[str, Any]] = [
        {},
        {"words": "ban", "speaker": "Marsh"},
        {"site": "coast-wire", "since": "2026-03-01", "until": "2026-03-31"},
        {"since": "2026-03-10"},
        {"speaker": "Lukashenko", "min_confidence": 0.3},
        {"min_confidence": 0.5, "words": "court hear"},
    ]
    for params in filters:
        options = [f"--{key.replace('_', '-')}={value}" for key, value in params.items()]
        code, stdout, _ = _run("quotes", "--db", db, "--json", *options)
        items = client.get("/statements", params={"limit": 100, **params}).json()["items"]
        assert items and code == 0, params
        assert [json.loads(line) for line in stdout.splitlines()] == items, params
    code, _, stderr = _run("quotes", "--db", db, "--words", "nowhere", "--site", "gull")
    assert code == 1 and stderr.strip() == f"newstrace: no statements (words 'nowhere', site 'gull') in {db}"
    assert _run("quotes", "--db", db, "--since", "2026-13-01")[0] == 2
