"""Issue #30's acceptance on real pages: a store of the first 60 AEB pages and the seed, as a new user makes it
(``newstrace ingest``). The entity page of Tim Cook lists his statements from every article that quotes him; the
statements search (API and page) answers what ``newstrace quotes --json`` prints with the same filters; a search's
CSV export holds the page's rows under a header. Slow: the store takes about 20 s to build."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from typer.testing import CliRunner

from conftest import shared_path
from newstrace.cli import app
from newstrace.store import Store
from newstrace.web import create_app
from newstrace.web._export import DETAIL_COLUMNS, SEARCH_COLUMNS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def aeb_seed(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The store of the sixty pages (the first 60 of ../shared/eval/aeb/html by name) and the seed article."""
    pages = sorted(shared_path("eval", "aeb", "html").iterdir())[:60]
    seed = shared_path("seed", "seed_article.txt")
    folder = tmp_path_factory.mktemp("aeb-seed")
    for path in (*pages, seed):
        (folder / path.name).write_bytes(path.read_bytes())
    db = str(tmp_path_factory.mktemp("store") / "aeb-seed.db")
    ingested = CliRunner().invoke(app, ["ingest", str(folder), "--db", db, "--workers", "1"])
    assert ingested.exit_code == 0, ingested.output
    return db


@pytest.fixture(scope="module")
def client(aeb_seed: str) -> Iterator[TestClient]:
    with Store(aeb_seed) as store, TestClient(create_app(store)) as test_client:
        yield test_client


def section(page: str, start: str, end: str = "</ol>") -> str:
    at = page.index(start)
    return page[at : page.index(end, at)]


def test_tim_cooks_entity_page_lists_his_statements_from_every_article_quoting_him(
    aeb_seed: str, client: TestClient
) -> None:
    with Store(aeb_seed) as store:
        hits = store.statements(speaker="Tim Cook", limit=10_000)
    quoted = [(hit.article_id, hit.text) for hit in hits if hit.quote.speaker and hit.quote.speaker.name == "Tim Cook"]
    assert len(quoted) >= 10 and len(quoted) == len(hits)
    [entity] = client.get("/entities", params={"name": "Tim Cook", "label": "PERSON"}).json()["items"]
    page = client.get(f"/ui/entities/{entity['id']}")
    assert page.status_code == 200
    said = section(page.text, '<ol id="said"')
    linked = re.findall(r'<a href="/ui/articles/([0-9a-f]{64})">', said)
    assert len(linked) == len(quoted) and set(linked) == {article_id for article_id, _ in quoted}
    for _, text in quoted:
        assert str(escape(text)) in said, text
    # The API's entity answers the same statements.
    detail = client.get(f"/entities/{entity['id']}").json()
    assert sorted(s["article_id"] for s in detail["statements"]) == sorted(article_id for article_id, _ in quoted)


def _filter_cases(client: TestClient) -> list[dict[str, str]]:
    """Filters with statements to find: a speaker alone and by date, a speaker with outlet and date, an outlet and
    dates without a speaker, words."""
    [cook] = {item["article_id"] for item in client.get("/statements", params={"speaker": "Tim Cook"}).json()["items"]}
    site = client.get(f"/articles/{cook}").json()["site"]
    return [
        {"speaker": "Noem"},
        {"speaker": "Noem", "since": "2019-11-19"},
        {"speaker": "Tim Cook", "site": site[1:].lower(), "since": "2019-11-19", "until": "2019-11-19"},
        {"site": site, "until": "2019-11-30"},
        {"since": "2019-11-18", "until": "2019-11-18", "words": "said"},
    ]


def test_statements_search_answers_what_quotes_json_prints_with_the_same_filters(
    aeb_seed: str, client: TestClient
) -> None:
    for filters in _filter_cases(client):
        options = [part for key, value in filters.items() for part in (f"--{key}", value)]
        printed = CliRunner().invoke(app, ["quotes", "--db", aeb_seed, "--json", "--limit", "100", *options])
        assert printed.exit_code == 0, (filters, printed.output)
        cli = [json.loads(line) for line in printed.stdout.splitlines() if line.strip()]
        api = client.get("/statements", params={**filters, "limit": 100}).json()
        assert api["next_offset"] is None and cli == api["items"] and cli, filters
        page = client.get("/ui/statements", params=filters)
        assert page.status_code == 200
        listed = section(page.text, '<ol class="timeline statements">')
        assert re.findall(r'<a href="/ui/articles/([0-9a-f]{64})">', listed) == [item["article_id"] for item in cli]
        for item in cli:
            assert str(escape(item["text"])) in listed, (filters, item["text"])
        export = client.get("/export/statements", params={**filters, "format": "json"}).json()["items"]
        assert export == cli, filters


def test_a_searchs_csv_export_holds_the_pages_rows_under_a_header(client: TestClient) -> None:
    for params in ({"q": "said"}, {"q": "Trump", "since": "2019-11-19"}, {"q": "Apple OR Cook"}):
        shown: list[str] = []
        url: str | None = "/ui/?" + "&".join(f"{key}={value}" for key, value in params.items())
        while url is not None:
            page = client.get(url).text
            hits = section(page, '<ol class="results">')
            shown += re.findall(r'<li>\s*<a href="/ui/articles/([0-9a-f]{64})">', hits)
            following = re.search(r'<a rel="next" href="([^"]+)"', page)
            url = html.unescape(following.group(1)) if following else None
        assert shown, params
        exported = client.get("/export/search", params={**params, "format": "csv"})
        assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(exported.text)))
        assert tuple(rows[0]) == SEARCH_COLUMNS + DETAIL_COLUMNS
        assert [row[0] for row in rows[1:]] == shown, params
        total = client.get("/search", params={**params, "limit": 1}).json()["total"]
        assert len(shown) == total, params
