"""Hostile requests to the server and the commands: ids, bodies, headers and load that must end in a 4xx, not a 500."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import running_server
from newstrace.cli import app as cli_app
from newstrace.store import Store
from newstrace.web import ServeSettings, create_app
from test_cli_corpus import PATROL, _article
from test_store import _empty_postgres, annotated

LONG_ID = "a" * 50_001
STORY_ID = "a" * 64


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """A store (SQLite file or PostgreSQL URL) holding one annotated article and one story."""
    url = str(tmp_path) + "/hostile.db" if request.param == "sqlite" else _empty_postgres()
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


ID_ROUTES = ("/articles/", "/stories/", "/entities/", "/ui/articles/", "/ui/stories/")
any_id = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80),
    st.text(st.sampled_from("%_*\\[]^-/.?#:0a"), min_size=1, max_size=12),  # LIKE, GLOB and path characters
    st.integers(65, 60_000).map(lambda length: "a" * length),  # the test client sends URLs up to 64 KiB
).filter(lambda text: text.strip(".") != "")  # "." and ".." are path steps, resolved before any route


@pytest.mark.filterwarnings("ignore:Generating overly large repr")  # the 60,000-character ids
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(wanted=any_id)
def test_any_id_on_any_route_is_found_or_not_found_never_an_error(client: TestClient, wanted: str) -> None:
    for route in ID_ROUTES:
        response = client.get(route + quote(wanted, safe=""))
        assert response.status_code in (200, 404), (route, wanted[:100], response.status_code, response.text[:300])
        if response.status_code == 404 and not route.startswith("/ui/"):
            assert response.json()["error"]["code"] == "not_found"
        assert len(response.text) < 200_000


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


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["text", "url", "x", ""]), inner, max_size=3)
    ),
    max_leaves=12,
)
json_bodies = st.one_of(
    json_values.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass")),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=json_bodies)
def test_any_body_that_is_no_article_request_is_one_documented_4xx(client: TestClient, body: bytes) -> None:
    for route in ("/analyze", "/articles"):
        response = client.post(route, content=body, headers={"content-type": "application/json"})
        if response.status_code == 200:
            continue  # a generated body that happens to be a readable article
        assert response.status_code in (413, 422), (route, body[:100], response.status_code, response.text[:300])
        error = response.json()["error"]
        assert error["code"] in {"invalid_request", "no_article", "payload_too_large"}
        assert " at 0x" not in error["message"] and "Traceback" not in error["message"]


def test_an_internal_error_is_answered_by_its_kind_without_its_message() -> None:
    from newstrace.model import Failure
    from newstrace.web._api import public_reason

    leaked = Failure("<text>", "clean", "internal error (TypeError: <fasttext.FastText._FastText object at 0x7f3a>)")
    assert public_reason(leaked) == "internal error (TypeError)"
    assert public_reason(Failure("<text>", "clean", "no main text")) == "no main text"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``newstrace serve`` on loopback with a 1-second read timeout, over a store of one article."""
    db = tmp_path_factory.mktemp("server") / "server.db"
    with Store(db) as store:
        store.write([annotated(1)])
    with running_server(db, "--read-timeout", "1") as base:
        yield base


def _exchange(base: str, sent: bytes, wait: float = 20.0) -> bytes:
    """What the server answers (until it closes) to these raw bytes, read for at most ``wait`` seconds."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as connection:
        connection.sendall(sent)
        answer = b""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            chunk = connection.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer


def test_an_oversized_url_is_414_and_oversized_headers_431(server: str) -> None:
    # A 1 MB URL (sent raw: httpx refuses to send one) is answered, not reset.
    long_url = _exchange(server, b"GET /search?q=" + b"a*+" * 350_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert long_url.startswith(b"HTTP/1.1 414 ") and b'"uri_too_long"' in long_url
    assert httpx.get(server + "/search", params={"q": "a" * 60_000}, timeout=30).status_code == 414
    big_headers = httpx.get(server + "/articles", headers={"X-Padding": "a" * 100_000}, timeout=30)
    assert big_headers.status_code == 431 and big_headers.json()["error"]["code"] == "headers_too_large"
    many_headers = httpx.get(server + "/articles", headers={f"X-H{n}": "a" * 100 for n in range(1000)}, timeout=30)
    assert many_headers.status_code == 431
    assert httpx.get(server + "/articles", timeout=30).status_code == 200  # the server goes on serving


def test_a_head_or_body_that_stops_arriving_is_answered_and_closed_not_held(server: str) -> None:
    # Answered within the 20 s read (the timeout is 1 s), not held open as before.
    slow_head = _exchange(server, b"GET /articles HTTP/1.1\r\nHost: x\r\nX-Slow: a")
    assert slow_head.startswith(b"HTTP/1.1 408 ") and b'"request_timeout"' in slow_head
    slow_body = _exchange(
        server,
        b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nonly a part",
    )
    assert slow_body.startswith(b"HTTP/1.1 408 ") and b'"request_timeout"' in slow_body
    assert _exchange(server, b"") == b""  # a connection that asks nothing is closed
    assert httpx.get(server + "/articles", timeout=30).status_code == 200


@settings(max_examples=25, deadline=None)
@given(
    url_length=st.integers(1, 3 * 8 * 1024),
    header_count=st.integers(0, 40),
    header_length=st.integers(1, 2_000),
)
def test_request_heads_of_any_size_are_served_or_refused_by_their_cap(
    server: str, url_length: int, header_count: int, header_length: int
) -> None:
    line = b"GET /search?q=" + b"a" * url_length + b" HTTP/1.1\r\n"
    head = line + b"Host: x\r\n" + b"".join(b"X-H%d: %s\r\n" % (n, b"b" * header_length) for n in range(header_count))
    answer = _exchange(server, head + b"Connection: close\r\n\r\n")
    status = int(answer.split(b" ", 2)[1])
    if len(line) - 2 > 8 * 1024:
        assert status == 414, answer[:300]
    elif len(head) + 21 > 32 * 1024:  # 21: the Connection header and the blank line that end the head
        assert status == 431, answer[:300]
    elif url_length > 1000:
        assert status == 422 and b'"invalid_request"' in answer, answer[:300]  # a query over 1,000 characters
    else:
        assert status in (200, 503), answer[:300]  # found, or past the search's budget on a loaded machine
    assert b'"code"' in answer or status == 200


class _StuckWorker:
    """An analysis worker whose every analysis waits until it is released: counts how many are waiting."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.waiting = 0
        self.lock = threading.Lock()

    def analyze(self, job: object) -> object:
        with self.lock:
            self.waiting += 1
        self.release.wait(60)
        from newstrace.model import Failure

        return Failure("<text>", "clean", "no main text")

    def close(self) -> None:
        self.release.set()


def test_concurrent_analyses_past_the_slots_wait_without_a_thread_and_reads_still_answer(tmp_path: object) -> None:
    with Store(f"{tmp_path}/slots.db") as store:
        store.write([annotated(1)])
        # The slots' wait (the analysis timeout) is 2 s here: the seven analyses past three slots are 503 after it.
        app = create_app(store, ServeSettings(analysis_slots=3, analysis_timeout=2))
        stuck = _StuckWorker()
        app.state.worker = stuck
        with TestClient(app) as client, ThreadPoolExecutor(12) as pool:
            posted = [pool.submit(client.post, "/analyze", json={"text": f"Text {n}."}) for n in range(10)]
            deadline = time.monotonic() + 60
            while sum(f.done() for f in posted) < 7 and time.monotonic() < deadline:
                # Reads still find a thread while three analyses hold theirs and seven wait for a slot.
                assert client.get("/articles").status_code == 200
                assert client.get(f"/articles/{annotated(1).id}").status_code == 200
            busy = [future.result() for future in posted if future.done()]
            assert len(busy) == 7 and {r.status_code for r in busy} == {503}
            assert {r.json()["error"]["code"] for r in busy} == {"analysis_busy"}
            assert stuck.waiting == 3  # never more than the slots in threads
            stuck.release.set()
            done = [future.result(timeout=60) for future in posted if future.result() not in busy]
            assert [r.status_code for r in done] == [422, 422, 422]


def test_a_burst_of_short_analyses_waits_for_its_slots_instead_of_being_refused(tmp_path: object) -> None:
    with Store(f"{tmp_path}/burst.db") as store:
        app = create_app(store, ServeSettings(analysis_slots=2, analysis_timeout=60))
        worker = _StuckWorker()
        worker.release.set()  # every analysis returns at once
        app.state.worker = worker
        with TestClient(app) as client, ThreadPoolExecutor(20) as pool:
            answers = list(pool.map(lambda n: client.post("/analyze", json={"text": f"Text {n}."}), range(20)))
        assert [r.status_code for r in answers] == [422] * 20 and worker.waiting == 20


def test_connections_past_the_cap_are_refused_at_once(tmp_path: object) -> None:
    db = f"{tmp_path}/cap.db"
    with Store(db) as store:
        store.write([annotated(1)])
    with running_server(db, "--max-connections", "3") as base:
        host, port = base.removeprefix("http://").split(":")
        held = [socket.create_connection((host, int(port)), timeout=30) for _ in range(3)]
        try:
            for connection in held:
                connection.sendall(b"GET /articles HTTP/1.1\r\nHost: x\r\n")  # a head never finished
            time.sleep(0.5)  # the server has accepted them (not a timing assertion: it only orders the requests)
            refused = httpx.get(base + "/articles", timeout=30)
            assert refused.status_code == 503 and refused.headers["retry-after"] == "1"
            assert refused.json()["error"]["code"] == "server_busy", refused.text
        finally:
            for connection in held:
                connection.close()
        deadline = time.monotonic() + 30
        while httpx.get(base + "/articles", timeout=30).status_code != 200:
            assert time.monotonic() < deadline, "the server did not recover after the connections closed"
            time.sleep(0.2)
