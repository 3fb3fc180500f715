"""Every query bounded: a query's size is capped before it reaches the index, every search, statement listing and
timeline read stops at its time budget (SQLite's progress handler, PostgreSQL's statement_timeout), and a read whose
HTTP client went away is cancelled. On SQLite and PostgreSQL.

No test here times a query: a read that is stopped ends with QueryTimeout, and one that was not would run for
minutes (a runaway that the generous waits below catch).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, text
from typer.testing import CliRunner

from conftest import free_port
from newstrace.cli import app as cli_app
from newstrace.cli._common import open_store
from newstrace.model import Article
from newstrace.service import CorpusService
from newstrace.store import QueryBudget, QuerySyntaxError, QueryTimeout, Store
from newstrace.store._engine import bounded
from newstrace.store._fulltext import SqliteFullText
from newstrace.store.query import MAX_PREFIXES, MAX_WORDS, And, Or, Term, parse_query
from newstrace.web import ServeSettings, create_app
from newstrace.web._api import QueryTooSlow, bounded_read
from test_store import _postgres_store, annotated

REPEATED_PREFIX = " ".join(["a*"] * 160)  # the query of issue #26: minutes of one core on 143 articles
REPEATED_OR = " OR ".join(["a"] * 199)
# Statements that run for minutes unless stopped: SQLite counts to 10^11, PostgreSQL sleeps.
SLOW = {
    "sqlite": "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100000000000) "
    "SELECT count(*) FROM n",
    "postgresql": "SELECT pg_sleep(600)",
}
WAIT = 60.0  # seconds a stopped read is given to end: only a read that was not stopped comes near it


def _articles(count: int) -> list[Article]:
    words = ["alpha", "also", "and", "another", "answer", "april", "army", "attack", "away", "area"]
    items = []
    for number in range(count):
        body = " ".join(words[(number + k) % len(words)] for k in range(60))
        items.append(
            Article(
                id=f"{number + 1000:064x}",  # clear of annotated()'s ids
                source=f"doc{number}.txt",
                source_hash=f"{number + 1000:064x}",
                media_type="text/plain",
                text=f"{body} Story {number}.",
                headline=f"Army answer {number}",
                published="2024-01-02",
            )
        )
    return items


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A file SQLite store (threads get their own connections, as under the server) and PostgreSQL, 40 articles."""
    opened = Store(tmp_path / "bounds.db") if request.param == "sqlite" else _postgres_store()
    opened.write([*_articles(40), annotated(1)])
    yield opened
    opened.close()


# --- the size of a query -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        (REPEATED_PREFIX, "160 words; a search takes at most 64"),
        (REPEATED_OR, "199 words; a search takes at most 64"),
        (" ".join(f"w{n}*" for n in range(MAX_PREFIXES + 1)), f"{MAX_PREFIXES + 1} prefixes"),
        ('"' + " ".join(["a"] * (MAX_WORDS + 1)) + '"', f"{MAX_WORDS + 1} words"),
        # Repeats count as written, wherever they stand.
        ("(a* b) " * (MAX_PREFIXES + 1), f"{MAX_PREFIXES + 1} prefixes"),
    ],
)
def test_a_query_over_the_limits_is_refused_saying_why(query: str, reason: str) -> None:
    with pytest.raises(QuerySyntaxError, match=reason):
        parse_query(query)


def test_a_query_at_the_limits_is_read() -> None:
    parse_query(" ".join(f"w{n}" for n in range(MAX_WORDS)))
    parse_query(" OR ".join(f"w{n}*" for n in range(MAX_PREFIXES)))
    parse_query('"' + " ".join(f"w{n}" for n in range(MAX_WORDS)) + '"')


def test_a_repeated_term_is_searched_for_once() -> None:
    assert parse_query("a* a* a*") == parse_query("a*") == Term(("a",), prefix=True)
    assert parse_query("a OR a OR b OR a") == Or((Term(("a",)), Term(("b",))))
    # Groups of one kind flatten into their parent before repeats are dropped.
    assert parse_query("(a b) (a c) a") == And((Term(("a",)), Term(("b",)), Term(("c",))))
    assert parse_query("(a OR b) OR (b OR c)") == Or((Term(("a",)), Term(("b",)), Term(("c",))))


def test_the_repeated_queries_of_the_issue_are_one_line_errors_on_both_stores(store: Store) -> None:
    for query in (REPEATED_PREFIX, REPEATED_OR):
        with pytest.raises(QuerySyntaxError, match="at most 64"):
            store.search(query)
    # A repeat within the limits finds what the term alone finds.
    assert [hit.id for hit in store.search("a* " * 16)] == [hit.id for hit in store.search("a*")]


def test_prefixes_expand_into_a_bounded_number_of_words(tmp_path: Path) -> None:
    """The prefixes of one query expand into ``expanded_words`` words at most; the rest are left to FTS5."""
    store = Store(tmp_path / "expand.db")
    store.write(
        [
            Article(
                id=f"{n:064x}",
                source=f"d{n}",
                source_hash=f"{n:064x}",
                media_type="text/plain",
                text=" ".join(f"{letter}{n}x{k}" for letter in "abcd" for k in range(10)),
            )
            for n in range(5)
        ]
    )
    full_text = SqliteFullText(expanded_words=60)
    node = parse_query("a* OR b* OR c* OR d*")  # 50 words each: one expands, the others are left to FTS5
    with store.engine.connect() as connection:
        expanded = full_text._expand_prefixes(connection, node, [full_text.expanded_words])
    assert isinstance(expanded, Or)
    words = [
        term for operand in expanded.operands for term in (operand.operands if isinstance(operand, Or) else [operand])
    ]
    assert len(words) == 50 + 3 and sum(isinstance(t, Term) and t.prefix for t in words) == 3
    assert len(store.search("a* OR b* OR c* OR d*")) == 5
    store.close()


# --- the time budget -----------------------------------------------------------------------------------------------


def test_a_statement_stops_at_its_budget_and_when_cancelled(store: Store) -> None:
    slow = text(SLOW[store.engine.dialect.name])
    with (
        pytest.raises(QueryTimeout, match=r"took longer than 0\.3 s") as stopped,
        bounded(QueryBudget(0.3)),
        store.engine.connect() as connection,
    ):
        connection.execute(slow).all()
    assert not stopped.value.cancelled
    budget = QueryBudget(WAIT * 10)
    threading.Timer(0.3, budget.cancel).start()
    with (
        pytest.raises(QueryTimeout, match="cancelled") as cancelled,
        bounded(budget),
        store.engine.connect() as connection,
    ):
        connection.execute(slow).all()
    assert cancelled.value.cancelled
    # The connections go back to the pool usable, with no budget left on them.
    assert [hit.id for hit in store.search("Galuzin")] == [annotated(1).id]
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar() == 1


class ClockBehind(QueryBudget):
    """A budget whose own clock never says it is spent, while the database's timer runs out."""

    def spent(self) -> bool:
        return self.cancelled.is_set()


def test_postgresql_statement_timeout_is_a_query_timeout_even_before_the_budget_clock_runs_out(store: Store) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's progress handler asks the budget's own clock")
    with (
        pytest.raises(QueryTimeout, match="took longer"),
        bounded(ClockBehind(0.3)),
        store.engine.connect() as connection,
    ):
        connection.execute(text(SLOW["postgresql"])).all()


class CountedBudget(QueryBudget):
    """A budget that is spent after ``checks`` looks at it: counts work, not time."""

    def __init__(self, checks: int) -> None:
        super().__init__(3600)
        self.checks = checks
        self.looked = 0

    def spent(self) -> bool:
        self.looked += 1
        return self.looked > self.checks or super().spent()


def test_sqlite_stops_a_search_in_the_middle_of_its_statement(tmp_path: Path) -> None:
    """The progress handler looks at the budget while a statement runs, not only between statements."""
    store = Store(tmp_path / "mid.db")
    store.write(_articles(300))
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda _c, _cur, sql, *_: statements.append(sql))
    budget = CountedBudget(checks=4)
    with pytest.raises(QueryTimeout):
        store.search("a* army", budget=budget)
    # The budget was spent inside a statement that had started: only the progress handler looks there.
    assert budget.looked > 4 and statements
    store.close()


def test_every_bounded_read_ends_with_query_timeout_when_its_budget_is_spent(store: Store) -> None:
    spent = QueryBudget(0)
    with pytest.raises(QueryTimeout):
        store.search("army", budget=spent)
    with pytest.raises(QueryTimeout):
        store.statements(speaker="Galuzin", budget=spent)
    service = CorpusService(store)
    with pytest.raises(QueryTimeout):
        service.search_page("army", 10, budget=spent)
    with pytest.raises(QueryTimeout):
        service.timeline("Galuzin", budget=spent)
    cancelled = QueryBudget(3600)
    cancelled.cancel()
    with pytest.raises(QueryTimeout, match="cancelled"):
        store.search("army", budget=cancelled)
    # A store whose budget is spent at once refuses every read; a default one answers.
    assert store.search("army") and store.statements(speaker="Galuzin")
    assert service.timeline("Galuzin").entries


STORY = annotated(1).id  # the annotated article's story: its own id
ENTITY = "person:mikhail-galuzin"  # the annotated article's speaker, as a corpus entity


def test_every_listing_and_look_up_ends_with_query_timeout_when_its_budget_is_spent(store: Store) -> None:
    service = CorpusService(store)
    # Filled first: a cached whole-store result (identities, statements, stories) still answers a spent budget with
    # QueryTimeout, as timeline does, and the cache survives it.
    assert service.entities() and service.entity(ENTITY) and service.stories() and service.story(STORY)
    reads: dict[str, Callable[[QueryBudget], object]] = {
        "articles": lambda budget: service.articles(limit=5, budget=budget),
        "entities": lambda budget: service.entities("PERSON", budget),
        "entity": lambda budget: service.entity(ENTITY, budget),
        "entities named": lambda budget: service.entities_named("Galuzin", budget),
        "stories": lambda budget: service.stories(budget),
        "story": lambda budget: service.story(STORY, budget),
        "store articles": lambda budget: store.articles(limit=5, budget=budget),
        "store story records": lambda budget: store.story_records(STORY, budget),
    }
    for name, read in reads.items():
        cancelled = QueryBudget(3600)
        cancelled.cancel()
        with pytest.raises(QueryTimeout):
            read(QueryBudget(0))
            pytest.fail(f"{name} read past a spent budget")
        with pytest.raises(QueryTimeout, match="cancelled"):
            read(cancelled)
            pytest.fail(f"{name} read past a cancelled budget")
        assert read(QueryBudget(3600)), name
    # A store whose budget is spent at once refuses them all when no budget is given.
    store.query_seconds = 0.0
    defaults: list[Callable[[], object]] = [
        service.articles,
        service.entities,
        service.stories,
        lambda: service.story(STORY),
        lambda: service.entity(ENTITY),
    ]
    for read_default in defaults:
        with pytest.raises(QueryTimeout):
            read_default()


@pytest.fixture(scope="module")
def fuzz_stores() -> Iterator[list[Store]]:
    """One SQLite and (where a server answers) one PostgreSQL store, built once for all the examples."""
    stores = [Store(memory=True)]
    with contextlib.suppress(pytest.skip.Exception):
        stores.append(_postgres_store())
    for opened in stores:
        opened.write(_articles(30))
    yield stores
    for opened in stores:
        opened.close()


@settings(deadline=None, derandomize=True, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    query=st.lists(
        st.one_of(
            st.sampled_from(["a*", "an*", "army", "OR", "NOT", "-a", "(", ")", '"', "a", "*", "story", "and*"]),
            st.text(alphabet='aœ*()"- OR_\u00e9\x00', max_size=12),
        ),
        max_size=80,
    ).map(" ".join)
)
def test_random_queries_of_bounded_size_raise_only_the_documented_errors(fuzz_stores: list[Store], query: str) -> None:
    for store in fuzz_stores:
        with contextlib.suppress(QuerySyntaxError, QueryTimeout):
            store.search(query, budget=QueryBudget(30))


# --- the CLI and the API -------------------------------------------------------------------------------------------


def test_the_cli_refuses_the_repeated_queries_in_one_line(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    Store(db).write(_articles(5))
    runner = CliRunner()
    for query in (REPEATED_PREFIX, REPEATED_OR):
        result = runner.invoke(cli_app, ["search", query, "--db", str(db)])
        assert result.exit_code == 2
        line = result.stderr.strip()
        assert "\n" not in line and "at most 64" in line and len(line) < 200


def test_the_cli_names_a_read_past_its_budget_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "cli.db"
    Store(db).write([*_articles(5), annotated(1)])

    def spent_at_once(path: str, **options: bool) -> Store:
        opened = open_store(path, **options)
        opened.query_seconds = 0.0
        return opened

    monkeypatch.setattr("newstrace.cli.store.open_store", spent_at_once)
    monkeypatch.setattr("newstrace.cli.corpus.open_store", spent_at_once)
    runner = CliRunner()
    for command, what in (
        (["search", "army"], "the search took longer than 0 s; narrow it"),
        (["quotes", "--speaker", "Galuzin"], "the statement listing took longer than 0 s; narrow it"),
        (["timeline", "Galuzin"], "the timeline took longer than 0 s; narrow it"),
    ):
        result = runner.invoke(cli_app, [*command, "--db", str(db)])
        assert result.exit_code == 2, result.output
        assert result.stderr.strip() == f"newstrace: {what}"


def _error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert body["code"] == code
    return str(body["message"])


def test_the_api_refuses_the_repeated_queries_and_answers_a_spent_budget_with_503(store: Store) -> None:
    with TestClient(create_app(store, ServeSettings())) as client:
        assert "at most 64" in _error(client.get("/search", params={"q": REPEATED_PREFIX}), 400, "bad_query")
        assert "at most 64" in _error(client.get("/search", params={"q": REPEATED_OR}), 400, "bad_query")
        assert client.get("/search", params={"q": "army"}).json()["items"]
    store.query_seconds = 0.0
    with TestClient(create_app(store, ServeSettings())) as client:
        message = _error(client.get("/search", params={"q": "army"}), 503, "query_timeout")
        assert message == "the search took longer than 0 s; narrow it"
        _error(client.get("/statements", params={"speaker": "Galuzin"}), 503, "query_timeout")
        _error(client.get("/timeline", params={"speaker": "Galuzin"}), 503, "query_timeout")
        page = client.get("/ui/", params={"q": "army"})
        assert page.status_code == 503 and "narrow it" in page.text


def test_the_listings_and_look_ups_answer_a_spent_budget_with_503_query_timeout(store: Store) -> None:
    store.query_seconds = 0.0
    with TestClient(create_app(store, ServeSettings())) as client:
        for path, what in (
            ("/articles", "article listing"),
            ("/articles?site=example&since=2020-01-01", "article listing"),
            ("/entities", "entity listing"),
            ("/entities?label=PERSON", "entity listing"),
            (f"/entities/{ENTITY}", "entity look-up"),
            ("/stories", "story listing"),
            (f"/stories/{STORY}", "story look-up"),
            (f"/stories/{STORY[:8]}", "story look-up"),
        ):
            message = _error(client.get(path), 503, "query_timeout")
            assert message == f"the {what} took longer than 0 s; narrow it", path
        for path in ("/ui/", "/ui/?site=example", "/ui/stories/", f"/ui/stories/{STORY}", "/ui/speakers/Galuzin"):
            page = client.get(path)
            assert page.status_code == 503 and "took longer than 0 s; narrow it" in page.text, path
    # With time to read, each of them answers.
    store.query_seconds = 60.0
    with TestClient(create_app(store, ServeSettings())) as client:
        for path in ("/articles", "/entities", f"/entities/{ENTITY}", "/stories", f"/stories/{STORY}"):
            assert client.get(path).status_code == 200, path
        for path in ("/ui/", "/ui/stories/", f"/ui/stories/{STORY}", "/ui/speakers/Galuzin"):
            assert client.get(path).status_code == 200, path


def test_the_cli_names_a_listing_past_its_budget_in_one_line(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def spent_at_once(path: str, **options: bool) -> Store:
        opened = open_store(path, **options)
        opened.query_seconds = 0.0
        return opened

    target = str(tmp_path / "cli.db") if store.engine.dialect.name == "sqlite" else store.url
    if store.engine.dialect.name == "sqlite":
        Store(target).write([*_articles(5), annotated(1)])
    runner = CliRunner()
    commands = (
        (["entities"], "entity listing"),
        (["entities", "--label", "PERSON"], "entity listing"),
        (["entity", "Galuzin"], "entity look-up"),
        (["stories"], "story listing"),
        (["story", STORY], "story look-up"),
    )
    for command, _ in commands:  # each answers with time to read
        assert runner.invoke(cli_app, [*command, "--db", target]).exit_code == 0, command
    monkeypatch.setattr("newstrace.cli.corpus.open_store", spent_at_once)
    for command, what in commands:
        result = runner.invoke(cli_app, [*command, "--db", target])
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.strip() == f"newstrace: the {what} took longer than 0 s; narrow it", command


class _Gone:
    """A request whose client went away after ``polls`` looks."""

    def __init__(self, service: CorpusService, polls: int) -> None:
        self.app = type("App", (), {"state": type("State", (), {"service": service})()})()
        self.polls = polls

    async def is_disconnected(self) -> bool:
        self.polls -= 1
        return self.polls < 0


def test_a_read_whose_client_went_away_is_cancelled(store: Store) -> None:
    dialect = store.engine.dialect.name
    ended = threading.Event()

    def slow_read(budget: QueryBudget) -> None:
        try:
            with bounded(budget), store.engine.connect() as connection:
                connection.execute(text(SLOW[dialect])).all()
        finally:
            ended.set()

    request: Any = _Gone(CorpusService(store), polls=2)
    with pytest.raises(QueryTooSlow) as stopped:
        asyncio.run(asyncio.wait_for(bounded_read(request, "search", slow_read), WAIT))
    assert ended.is_set() and stopped.value.status_code == 503


@pytest.fixture
def server(store: Store) -> Iterator[tuple[str, threading.Event, threading.Event]]:
    """A real uvicorn serving the app, with one more route: a read that runs for minutes unless cancelled."""
    import uvicorn

    app = create_app(store, ServeSettings())
    started, ended = threading.Event(), threading.Event()
    slow = SLOW[store.engine.dialect.name]

    @app.get("/slow")
    async def slow_route(request: Request) -> None:
        def read(budget: QueryBudget) -> None:
            try:
                with bounded(budget), store.engine.connect() as connection:
                    started.set()
                    connection.execute(text(slow)).all()
            finally:
                ended.set()

        await bounded_read(request, "search", read)

    port = free_port()
    uvicorn_server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT
    while not uvicorn_server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"127.0.0.1:{port}", started, ended
    uvicorn_server.should_exit = True
    thread.join(WAIT)


def test_a_client_disconnecting_from_a_real_server_stops_the_read(
    server: tuple[str, threading.Event, threading.Event],
) -> None:
    address, started, ended = server
    host, port = address.split(":")
    with socket.create_connection((host, int(port))) as client:
        client.sendall(f"GET /slow HTTP/1.1\r\nHost: {address}\r\n\r\n".encode())
        assert started.wait(WAIT)
    # The socket is closed: the read, which would run for minutes, ends.
    assert ended.wait(WAIT)
    # The server still answers.
    assert httpx.get(f"http://{address}/search", params={"q": "army"}).status_code == 200
