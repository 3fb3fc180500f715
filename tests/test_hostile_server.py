"""Hostile requests to the server and the commands: ids, bodies, headers and load that must end in a 4xx, not a 500."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from newstrace.cli import app as cli_app
from newstrace.store import Store
from newstrace.web import ServeSettings, create_app
from test_cli_corpus import PATROL, _article
from test_store import annotated

POSTGRES_URL = os.environ.get(
    "NEWSTRACE_TEST_POSTGRES", "postgresql+psycopg:///newstrace_test?host=/var/run/postgresql"
)
LONG_ID = "a" * 50_001
STORY_ID = "a" * 64


def _postgres_url() -> str:
    """The test PostgreSQL database, emptied; skips (fails under CI=true) when no server answers."""
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    except Exception as error:
        reason = f"no PostgreSQL answers at {POSTGRES_URL} ({type(error).__name__})"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return POSTGRES_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """A store (SQLite file or PostgreSQL URL) holding one annotated article and one story."""
    url = str(tmp_path) + "/hostile.db" if request.param == "sqlite" else _postgres_url()
    with Store(url) as store:
        store.write([annotated(1), _article(STORY_ID, PATROL, "coast-wire.example", "2026-03-03", "Joint patrol")])
    return url


@pytest.fixture
def client(db: str) -> Iterator[TestClient]:
    with Store(db) as store, TestClient(create_app(store, ServeSettings(analysis_timeout=120))) as test_client:
        yield test_client


@pytest.mark.parametrize("bad", [LONG_ID, "a" * 65, "zz%_*", "aaaaaa%", "a\\b"])
def test_an_id_that_cannot_name_anything_is_404_on_every_route(client: TestClient, bad: str) -> None:
    for path in ("/articles/", "/stories/", "/entities/", "/ui/articles/", "/ui/stories/"):
        response = client.get(path + bad)
        assert response.status_code == 404, (path, response.status_code, response.text[:300])
        if not path.startswith("/ui/"):
            assert response.json()["error"]["code"] == "not_found"
        # The id is quoted cut short, never echoed whole.
        assert len(response.text) < 5000


def test_a_valid_id_and_prefix_still_find_the_article_and_story(client: TestClient) -> None:
    wanted = annotated(1).id
    assert client.get(f"/articles/{wanted}").json()["id"] == wanted
    assert client.get(f"/articles/{wanted[:8].upper()}").json()["id"] == wanted
    assert client.get(f"/stories/{STORY_ID[:10]}").status_code == 200
    assert client.get(f"/ui/stories/{STORY_ID}").status_code == 200


@pytest.mark.parametrize("command", ["show", "story"])
def test_the_commands_call_a_long_id_not_found_in_one_line(db: str, command: str) -> None:
    result = CliRunner().invoke(cli_app, [command, LONG_ID, "--db", db])
    assert result.exit_code == 1, result.output[:500]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"newstrace: no {'article' if command == 'show' else 'story'} ")
    assert "cannot be used" not in result.stderr and len(lines[0]) < 300


NESTED = b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


@pytest.mark.parametrize("route", ["/analyze", "/articles"])
@pytest.mark.parametrize(
    "body", [b'{"text": "\\ud800"}', b'{"text": "\\udfff said the minister"}', NESTED, b'{"text": "x"', b"[" * 300]
)
def test_a_json_body_that_cannot_be_read_is_the_same_422_on_every_route(
    client: TestClient, route: str, body: bytes
) -> None:
    response = client.post(route, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text[:300]
    found = response.json()["error"]
    assert found["code"] == "invalid_request" and found["message"].startswith("body: malformed JSON: ")
    assert "Error" not in found["message"] and " at 0x" not in found["message"]
    assert found["fields"][0]["field"] == "body"


def test_an_internal_error_is_answered_by_its_kind_without_its_message() -> None:
    from newstrace.model import Failure
    from newstrace.web._api import public_reason

    leaked = Failure("<text>", "clean", "internal error (TypeError: <fasttext.FastText._FastText object at 0x7f3a>)")
    assert public_reason(leaked) == "internal error (TypeError)"
    assert public_reason(Failure("<text>", "clean", "no main text")) == "no main text"
