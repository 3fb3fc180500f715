"""The HTTP API: endpoints, bounds and errors through TestClient, and once against a real uvicorn on loopback."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from conftest import news_html, running_server
from newstrace.cli import app as cli_app
from newstrace.store import Store
from newstrace.store.schema import metadata
from newstrace.web import ServeSettings, create_app, is_loopback
from test_cli_corpus import DENIAL, PATROL, PATROL_COPY, _article
from test_store import annotated

CAP = 4096


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "serve.db"
    with Store(path) as store:
        store.write(
            [
                annotated(1),
                annotated(2, speaker="Alexander Lukashenko"),
                _article("a" * 64, PATROL, "coast-wire.example", "2026-03-03", "Joint patrol to begin in April"),
                _article("b" * 64, PATROL_COPY, "harbour-blog.example", "2026-03-04", "Patrol to begin in April"),
                _article("c" * 64, DENIAL, "daily-gull.example", "2026-03-12", "No fishing ban, commissioner says"),
            ]
        )
    return path


@pytest.fixture
def store(db: Path) -> Iterator[Store]:
    with Store(db) as opened:
        yield opened


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    settings = ServeSettings(max_body_bytes=CAP, analysis_timeout=120)
    with TestClient(create_app(store, settings)) as test_client:
        yield test_client


def rows(store: Store) -> dict[str, int]:
    """Rows in every table: the store's state, to compare before and after a request."""
    with store.engine.connect() as connection:
        return {table.name: connection.scalar(select(func.count()).select_from(table)) or 0 for table in tables(store)}


def tables(store: Store) -> list[object]:
    with store.engine.connect() as connection:
        present = set(store.engine.dialect.get_table_names(connection))
    return [table for table in metadata.sorted_tables if table.name in present]


def error(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert body["code"] == code and body["message"]
    return dict(body)


def test_openapi_schema_lists_every_endpoint_with_its_error_shape(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    expected = {
        "/analyze": {"post"},
        "/articles": {"get", "post"},
        "/articles/{article_id}": {"get"},
        "/search": {"get"},
        "/statements": {"get"},
        "/entities": {"get"},
        "/entities/{entity_id}": {"get"},
        "/stories": {"get"},
        "/stories/{story_id}": {"get"},
        "/timeline": {"get"},
        "/export/search": {"get"},
        "/export/statements": {"get"},
        "/export/entities": {"get"},
        "/export/stories/{story_id}/members": {"get"},
    }
    assert {path: set(methods) for path, methods in schema["paths"].items()} == expected
    search = schema["paths"]["/search"]["get"]
    assert {p["name"] for p in search["parameters"]} >= {"q", "limit", "since", "until", "site", "speaker"}
    assert search["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    body = schema["components"]["schemas"]["AnalyzeRequest"]["properties"]
    assert set(body) == {"text", "html", "headline", "url", "published"}


def test_docs_page_loads_its_assets_from_this_server(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    sources = [value for name, value in _attributes(page.text) if name in ("src", "href")]
    assert sources and all(value.startswith("/") for value in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200, source


def _attributes(html: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend((name, value) for name, value in attrs if value is not None)

    Collect().feed(html)
    return found


def test_articles_list_pages_and_filters(client: TestClient) -> None:
    page = client.get("/articles", params={"limit": 2}).json()
    assert page["total"] == 5 and len(page["items"]) == 2 and page["limit"] == 2
    rest = client.get("/articles", params={"limit": 2, "offset": 4}).json()
    assert len(rest["items"]) == 1
    assert {item["id"] for item in page["items"]}.isdisjoint(item["id"] for item in rest["items"])
    dated = client.get("/articles", params={"since": "2026-03-04"}).json()
    assert {item["id"] for item in dated["items"]} == {"b" * 64, "c" * 64}
    assert client.get("/articles", params={"site": "GULL"}).json()["total"] == 1
    fields = error(client.get("/articles", params={"limit": 1000}), 422, "invalid_request")["fields"]
    assert [(f["field"], f["in"]) for f in fields] == [("limit", "query")]  # type: ignore[index, union-attr]
    error(client.get("/articles", params={"offset": -1}), 422, "invalid_request")
    error(client.get("/articles", params={"since": "March"}), 422, "invalid_request")


def test_article_by_id_and_prefix_and_unknown_id(client: TestClient, store: Store) -> None:
    article = annotated(1)
    got = client.get(f"/articles/{article.id}").json()
    assert got == json.loads(json.dumps(store.get(article.id).to_json_dict()))  # type: ignore[union-attr]
    assert client.get("/articles/" + "a" * 10).json()["id"] == "a" * 64
    assert "not_found" in client.get("/articles/" + "f" * 64).text
    body = error(client.get("/articles/" + "f" * 64), 404, "not_found")
    assert "f" * 64 in str(body["message"])
    error(client.get("/no/such/path"), 404, "not_found")


def test_search_and_its_syntax_errors(client: TestClient) -> None:
    found = client.get("/search", params={"q": "patrol April"}).json()
    assert {item["id"] for item in found["items"]} == {"a" * 64, "b" * 64}
    assert found["items"][0]["snippet"] and "score" in found["items"][0]
    speaker = client.get("/search", params={"q": "attack", "speaker": "Lukashenko"}).json()
    assert [item["id"] for item in speaker["items"]] == [annotated(2).id]
    bad = error(client.get("/search", params={"q": '"joint force'}), 400, "bad_query")
    assert "quote" in str(bad["message"])
    error(client.get("/search", params={"q": "(Minsk OR"}), 400, "bad_query")
    error(client.get("/search", params={"q": "(" * 500 + "Minsk" + ")" * 400}), 400, "bad_query")
    missing = error(client.get("/search"), 422, "invalid_request")
    assert missing["fields"][0]["field"] == "q"  # type: ignore[index]


def test_statements_entities_stories_and_timeline(client: TestClient) -> None:
    said = client.get("/statements", params={"speaker": "Galuzin", "min_confidence": 0.5}).json()["items"]
    assert [s["speaker"]["name"] for s in said] == ["Mikhail Galuzin"] and said[0]["channel"] == "RIA Novosti"
    assert said[0]["speaker_roles"] == ["Deputy Foreign Minister"]
    error(client.get("/statements", params={"min_confidence": 2}), 422, "invalid_request")

    people = client.get("/entities", params={"label": "PERSON", "limit": 100}).json()
    names = {item["name"]: item for item in people["items"]}
    assert {"Mikhail Galuzin", "Elena Marsh", "John Smith"} <= set(names) and people["total"] == len(names)
    marsh = client.get(f"/entities/{names['Elena Marsh']['id']}").json()
    assert marsh["articles"] == 3 and len(marsh["statements"]) == 5  # two in the origin, two in its copy, one later
    error(client.get("/entities/person:nobody-here"), 404, "not_found")

    stories = client.get("/stories").json()
    assert stories["total"] == len(stories["items"]) >= 2
    patrol = next(s for s in stories["items"] if s["id"] == "a" * 64)
    assert patrol["articles"] >= 2
    story = client.get("/stories/" + "a" * 8).json()
    assert {m["article_id"] for m in story["members"]} >= {"a" * 64, "b" * 64}
    error(client.get("/stories/" + "9" * 12), 404, "not_found")

    timeline = client.get("/timeline", params={"speaker": "Marsh"}).json()
    assert timeline["entries"] and all(entry["speaker"] == "Elena Marsh" for entry in timeline["entries"])
    assert timeline["contradictions"]  # the ban "being prepared", then "not being prepared"
    assert client.get("/timeline", params={"speaker": "Nobody Here"}).json()["entries"] == []


def test_bad_requests_are_refused_and_leave_the_store_unchanged(client: TestClient, store: Store) -> None:
    before = rows(store)
    oversized = {"text": "The harbour reopened. " * 400}
    body = error(client.post("/articles", json=oversized), 413, "payload_too_large")
    assert f"{CAP:,}" in str(body["message"])

    def streamed() -> Iterator[bytes]:  # no Content-Length: the cap is counted as the body arrives
        yield b'{"text": "'
        for _ in range(100):
            yield b"The harbour reopened. " * 10
        yield b'"}'

    error(
        client.post("/articles", content=streamed(), headers={"content-type": "application/json"}),
        413,
        "payload_too_large",
    )
    malformed = error(
        client.post("/articles", content=b'{"text": "a', headers={"content-type": "application/json"}),
        422,
        "invalid_request",
    )
    assert malformed["fields"][0]["field"] == "body" and "malformed JSON" in str(malformed["message"])  # type: ignore[index]
    typed = error(client.post("/articles", json={"text": 5}), 422, "invalid_request")
    assert [f["field"] for f in typed["fields"]] == ["text"]  # type: ignore[union-attr, index]
    dated = error(
        client.post("/analyze", json={"text": "Hello there.", "published": "24/12/2022"}), 422, "invalid_request"
    )
    assert [f["field"] for f in dated["fields"]] == ["published"]  # type: ignore[union-attr, index]
    impossible = error(
        client.post("/analyze", json={"text": "Hello there.", "published": "2024-99-99"}), 422, "invalid_request"
    )
    assert [f["field"] for f in impossible["fields"]] == ["published"]  # type: ignore[union-attr, index]
    unbounded = error(client.get("/articles", params={"since": "2024-02-30"}), 422, "invalid_request")
    assert [f["field"] for f in unbounded["fields"]] == ["since"]  # type: ignore[union-attr, index]
    error(client.post("/articles", json={"text": "a", "html": "<p>a</p>"}), 422, "invalid_request")
    error(client.post("/articles", json={"text": "a", "extra": 1}), 422, "invalid_request")
    error(client.post("/articles", json={"text": "   "}), 422, "invalid_request")
    error(client.get("/search", params={"q": "NOT"}), 400, "bad_query")
    error(client.get("/articles/" + "0" * 64), 404, "not_found")
    error(client.delete("/articles"), 405, "method_not_allowed")
    assert rows(store) == before


def test_analyze_stores_nothing_and_articles_stores_once_within_the_time_bound(
    client: TestClient, store: Store
) -> None:
    before = rows(store)
    text = (
        "Harbour Reopens After Storm\n\nPORT AVEN, March 3 - Harbour master Ana Duarte said on Tuesday that the port "
        "would reopen to around 40 fishing boats.\n"
    )
    analysed = client.post("/analyze", json={"text": text, "published": "2026-03-03"})
    assert analysed.status_code == 200, analysed.text
    article = analysed.json()
    assert article["headline"] == "Harbour Reopens After Storm" and article["quotes"]
    for quote in article["quotes"]:
        content = quote["content"]
        assert article["text"][content["start"] : content["end"]] == content["text"]
    assert rows(store) == before

    created = client.post("/articles", json={"text": text, "published": "2026-03-03"})
    assert created.status_code == 201 and created.json()["skipped"] == []
    [stored] = created.json()["articles"]
    assert stored["stored"] is True and client.get(stored["location"]).json()["id"] == article["id"]
    again = client.post("/articles", json={"text": text, "published": "2026-03-03"})
    assert again.status_code == 200 and again.json()["articles"][0]["stored"] is False
    assert rows(store)["articles"] == before["articles"] + 1

    # A file's bytes, as ingest reads them: an HTML page (gzipped here), named by the client.
    page = news_html(
        "Bridge Closes", ["The council voted to close the old bridge on Tuesday, Mayor Ines Alves said."] * 3
    )
    uploaded = client.post(
        "/articles",
        params={"name": "bridge.html.gz"},
        content=gzip.compress(page.encode()),
        headers={"content-type": "application/gzip"},
    )
    assert uploaded.status_code == 201, uploaded.text
    bridge = client.get(uploaded.json()["articles"][0]["location"]).json()
    assert bridge["headline"] == "Bridge Closes" and bridge["source"] == "upload:bridge.html.gz"
    counted = rows(store)
    junk = client.post("/articles", content=bytes(range(256)) * 8, headers={"content-type": "application/octet-stream"})
    assert "upload" in str(error(junk, 422, "no_article")["message"])
    assert rows(store) == counted

    after = rows(store)
    worker = client.app.state.worker  # type: ignore[attr-defined]
    worker.timeout = 0.05  # about 600 words take the pipeline well over 50 ms
    long_text = "Talks Resume\n\n" + "Ana Duarte said the harbour would reopen on Monday after the storm. " * 55
    assert len(long_text.encode()) < CAP
    error(client.post("/articles", json={"text": long_text}), 504, "analysis_timeout")
    assert rows(store) == after
    worker.timeout = 120  # the stopped worker is replaced on the next request
    assert client.post("/analyze", json={"text": text}).status_code == 200


def test_a_token_is_required_on_every_request(store: Store) -> None:
    with TestClient(create_app(store, ServeSettings(token="s3cret")), follow_redirects=False) as client:
        for path in ("/articles", "/openapi.json", "/docs", "/ui/", "/docs-static/swagger-ui.css"):
            wrong = client.get(path, headers={"Authorization": "Bearer wrong"})
            if path in ("/docs", "/ui/"):  # a page a browser shows: the sign-in page instead (test_sign_in_…)
                assert wrong.status_code == 303 and wrong.headers["location"].startswith("/ui/sign-in?next=")
            else:
                error(client.get(path), 401, "unauthorized")
                error(wrong, 401, "unauthorized")
            assert client.get(path, headers={"Authorization": "Bearer s3cret"}).status_code == 200, path
        # The package's own stylesheet, script and icon, which the sign-in page loads, hold no data.
        assert client.get("/static/newstrace.css").status_code == 200
        refused = client.get("/articles", headers={"Authorization": "Basic s3cret"})
        assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
        before = rows(store)
        error(client.post("/articles", json={"text": "Hello."}), 401, "unauthorized")
        assert rows(store) == before
    # A token read from a file or variable with a space or newline at its end: the credential sent has none.
    with TestClient(create_app(store, ServeSettings(token=" s3cret\n"))) as client:
        assert client.get("/articles", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_beyond_loopback_the_server_refuses_to_start_without_a_token(db: Path) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(db), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--token" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(db), "--host", "0.0.0.0", "--token", " "])
    assert result.exit_code == 2 and "--token is empty" in result.stderr


def test_a_real_uvicorn_on_loopback(db: Path) -> None:
    with running_server(db, token="t0ken") as base:
        auth = {"Authorization": "Bearer t0ken"}
        assert httpx.get(base + "/articles").status_code == 401
        listing = httpx.get(base + "/articles", headers=auth, params={"limit": 3})
        assert listing.status_code == 200 and listing.json()["total"] == 5
        article = httpx.get(f"{base}/articles/{annotated(1).id}", headers=auth)
        assert article.status_code == 200 and article.json()["quotes"][0]["speaker"]["name"] == "Mikhail Galuzin"
        page = httpx.get(f"{base}/ui/articles/{annotated(1).id}", headers=auth)
        assert page.status_code == 200 and 'data-speaker="Mikhail Galuzin"' in page.text
        too_big = httpx.post(base + "/articles", headers=auth, content=b"x" * (21 * 1024 * 1024))
        assert too_big.status_code == 413 and too_big.json()["error"]["code"] == "payload_too_large"
        bad = httpx.get(base + "/search", headers=auth, params={"q": "(a OR"})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_query"
        # The analysis worker process starts under the real server too (spawned beside `python -m newstrace`).
        text = "Harbour Reopens\n\nHarbour master Ana Duarte said on Tuesday that the port would reopen.\n"
        analysed = httpx.post(base + "/analyze", headers=auth, json={"text": text}, timeout=300)
        assert analysed.status_code == 200 and analysed.json()["headline"] == "Harbour Reopens"


def test_an_upload_of_many_articles_is_written_in_one_transaction(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [
        json.dumps(
            {"url": f"https://harbour.example/{n}", "text": f"Harbour Note {n}\n\nBoat {n} came back on Monday."}
        )
        for n in range(60)  # more than one ingest batch (50)
    ]
    batches: list[int] = []
    write = store.write

    def counted(results: Any) -> Any:
        results = list(results)
        batches.append(len(results))
        return write(results)

    monkeypatch.setattr(store, "write", counted)
    with TestClient(create_app(store, ServeSettings(max_body_bytes=100_000, analysis_timeout=120))) as client:
        uploaded = client.post(
            "/articles",
            params={"name": "notes.jsonl"},
            content="\n".join(lines).encode(),
            headers={"content-type": "application/x-ndjson"},
        )
    assert uploaded.status_code == 201, uploaded.text
    assert [size for size in batches if size] == [60] and len(uploaded.json()["articles"]) == 60


def test_sign_in_page_sets_a_cookie_that_reads_pages_but_writes_nothing(store: Store) -> None:
    with TestClient(create_app(store, ServeSettings(token="s3cret")), follow_redirects=False) as client:
        asked = client.get("/ui/stories/?min_size=2")
        assert asked.status_code == 303
        assert asked.headers["location"] == "/ui/sign-in?next=%2Fui%2Fstories%2F%3Fmin_size%3D2"
        form = client.get(asked.headers["location"])
        assert form.status_code == 200 and 'type="password"' in form.text
        assert 'name="next" value="/ui/stories/?min_size=2"' in form.text
        wrong = client.post("/ui/sign-in", data={"token": "guess", "next": "/ui/stories/"})
        assert wrong.status_code == 401 and 'role="alert"' in wrong.text and 'type="password"' in wrong.text
        assert "set-cookie" not in wrong.headers and not client.cookies
        right = client.post("/ui/sign-in", data={"token": "s3cret", "next": "/ui/stories/?min_size=2"})
        assert right.status_code == 303 and right.headers["location"] == "/ui/stories/?min_size=2"
        cookie = right.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie and "max-age=43200" in cookie
        assert "secure" not in cookie  # plain http: a Secure cookie would never be sent back
        assert "s3cret" not in right.headers["set-cookie"]  # an HMAC keyed by the token, not the token
        page = client.get("/ui/stories/?min_size=2")
        assert page.status_code == 200 and 'action="/ui/sign-out"' in page.text
        assert client.get("/articles").status_code == 200  # the article page's JSON link reads with the cookie
        # Writing still needs the header: a signed-in browser cannot be made to store anything.
        before = rows(store)
        error(client.post("/articles", json={"text": "Hello."}), 401, "unauthorized")
        error(client.post("/analyze", json={"text": "Hello."}), 401, "unauthorized")
        assert rows(store) == before
        out = client.post("/ui/sign-out")
        assert out.status_code == 303 and out.headers["location"] == "/ui/sign-in"
        assert "max-age=0" in out.headers["set-cookie"].lower() and not client.cookies
        assert client.get("/ui/stories/").status_code == 303
        error(client.get("/articles"), 401, "unauthorized")
    # A forged or expired cookie is no session; API clients keep the header.
    with TestClient(create_app(store, ServeSettings(token="s3cret")), follow_redirects=False) as client:
        client.cookies.set("newstrace_session", "99999999999." + "0" * 64)
        error(client.get("/articles"), 401, "unauthorized")
        assert client.get("/articles", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_sign_in_over_https_sets_a_secure_cookie_and_refuses_other_sites(store: Store) -> None:
    app = create_app(store, ServeSettings(token="s3cret"))
    with TestClient(app, base_url="https://desk.example", follow_redirects=False) as client:
        right = client.post("/ui/sign-in", data={"token": " s3cret "})
        assert right.status_code == 303 and right.headers["location"] == "/ui/"
        assert "secure" in right.headers["set-cookie"].lower()
    with TestClient(app, base_url="https://desk.example", follow_redirects=False) as client:
        forged = client.post("/ui/sign-in", data={"token": "s3cret"}, headers={"Origin": "https://evil.example"})
        assert forged.status_code == 403 and "set-cookie" not in forged.headers


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/ui/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "ui/stories/",
        "/ui/\r\nSet-Cookie: x=1",
        "/ui/sign-out",
        "",
    ],
)
def test_sign_in_never_sends_the_browser_to_another_site(store: Store, target: str) -> None:
    with TestClient(create_app(store, ServeSettings(token="s3cret")), follow_redirects=False) as client:
        form = client.get("/ui/sign-in", params={"next": target})
        assert 'name="next" value="/ui/"' in form.text
        right = client.post("/ui/sign-in", data={"token": "s3cret", "next": target})
        assert right.status_code == 303 and right.headers["location"] == "/ui/"


def test_without_a_token_there_is_nothing_to_sign_in_to(client: TestClient) -> None:
    answer = client.get("/ui/sign-in", params={"next": "/ui/stories/"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/ui/stories/"
    assert 'action="/ui/sign-out"' not in client.get("/ui/").text
