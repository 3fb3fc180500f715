"""Opening a database: its URL, SQLite's connection settings and write lock, and the one-line errors it gives."""

from __future__ import annotations

import math
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from newstrace.store.schema import schema_migrations

__all__ = [
    "BUSY_TIMEOUT_MS",
    "PERMISSION",
    "QUERY_SECONDS",
    "QueryBudget",
    "QueryTimeout",
    "StoreError",
    "backup_sqlite",
    "bounded",
    "budget_statement",
    "check_sqlite_path",
    "checkpoint",
    "database_url",
    "now",
    "sqlite_begin",
    "sqlite_connect",
    "statement_done",
    "store_error_line",
    "stored_versions",
    "write_ahead_log",
]

BUSY_TIMEOUT_MS = 5000  # how long a SQLite connection waits for another writer's lock
# A driver's message that says the file cannot be opened or written (not that it is no database).
PERMISSION = re.compile(r"readonly|read-only|unable to open|permission denied", re.IGNORECASE)


# How long one search, statement listing or timeline may read by default: a search of 100,000 articles takes tens of
# milliseconds, so only a query that would tie a core up for minutes meets it.
QUERY_SECONDS = 5.0
# SQLite calls the budget's check every this many virtual machine steps: a few microseconds apart, a small share of a
# query's time. (A step inside FTS5, such as one hit's snippet, is not split: the query language bounds those.)
PROGRESS_STEPS = 1000


class QueryTimeout(Exception):
    """A read stopped at its time budget, or because whoever asked for it went away: the message says which."""

    def __init__(self, seconds: float, *, cancelled: bool = False) -> None:
        self.seconds = seconds
        self.cancelled = cancelled
        if cancelled:
            super().__init__("the query was cancelled: its client went away")
        else:
            super().__init__(f"the query took longer than {seconds:g} s")


class QueryBudget:
    """How long one read may run (from its creation), and a flag that stops it at once (its client went away)."""

    def __init__(self, seconds: float = QUERY_SECONDS) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.cancelled = threading.Event()
        self._lock = threading.Lock()
        self._running: set[Any] = set()  # PostgreSQL connections running a statement for this read

    def spent(self) -> bool:
        """Whether the read must stop: cancelled, or past its deadline."""
        return self.cancelled.is_set() or time.monotonic() >= self.deadline

    def remaining(self) -> float:
        """Seconds left (0 when spent)."""
        return 0.0 if self.cancelled.is_set() else max(0.0, self.deadline - time.monotonic())

    def error(self) -> QueryTimeout:
        """The error that ends a read stopped by this budget."""
        return QueryTimeout(self.seconds, cancelled=self.cancelled.is_set())

    def cancel(self) -> None:
        """Stop the read now: SQLite's progress check sees the flag; PostgreSQL's server cancels the statement."""
        self.cancelled.set()
        with self._lock:
            for driver_connection in self._running:
                driver_connection.cancel()

    def check(self) -> None:
        """Raise QueryTimeout when the read must stop: between the steps of work done outside the database."""
        if self.spent():
            raise self.error()

    def running(self, driver_connection: Any, running: bool) -> None:
        """A PostgreSQL connection starts or ends a statement for this read (``cancel`` reaches it meanwhile)."""
        with self._lock:
            if running:
                self._running.add(driver_connection)
            else:
                self._running.discard(driver_connection)


_budget: ContextVar[QueryBudget | None] = ContextVar("newstrace_query_budget", default=None)


@contextmanager
def bounded(budget: QueryBudget) -> Iterator[QueryBudget]:
    """Every statement run in this block (in this thread or task) stops when ``budget`` is spent: QueryTimeout."""
    token = _budget.set(budget)
    try:
        budget.check()
        yield budget
    except (DBAPIError, sqlite3.OperationalError) as error:
        # SQLite says "interrupted", PostgreSQL "canceling statement": the budget says why.
        if budget.spent() or _stopped(error):
            raise budget.error() from None
        raise
    finally:
        _budget.reset(token)
        with budget._lock:
            budget._running.clear()


def _stopped(error: BaseException) -> bool:
    """Whether a driver error is a statement stopped by the budget: SQLite's interrupt, PostgreSQL's cancel (57014,
    which its statement_timeout may raise a moment before the budget's own clock says it is spent)."""
    reason = getattr(error, "orig", None) or error
    return getattr(reason, "sqlstate", None) == "57014" or str(reason).strip() == "interrupted"


def _over_budget() -> int:
    """SQLite's progress handler: non-zero stops the running statement ("interrupted")."""
    budget = _budget.get()
    return 1 if budget is not None and budget.spent() else 0


def budget_statement(connection: Connection, cursor: Any, *_: Any) -> None:
    """Before each statement (``before_cursor_execute``): a spent budget stops the read; on PostgreSQL the statement
    gets what is left of it as ``statement_timeout`` and can be cancelled."""
    budget = _budget.get()
    if budget is None:
        return
    budget.check()
    if connection.dialect.name == "postgresql":
        driver_connection = cursor.connection
        # SET LOCAL lasts until the transaction ends: the connection goes back to the pool without it.
        milliseconds = max(1, math.ceil(budget.remaining() * 1000))
        driver_connection.execute(f"SET LOCAL statement_timeout = {milliseconds}")
        budget.running(driver_connection, True)


def statement_done(connection: Connection, cursor: Any, *_: Any) -> None:
    """After each statement (``after_cursor_execute``): its connection no longer takes a cancel for the budget."""
    budget = _budget.get()
    if budget is not None and connection.dialect.name == "postgresql":
        budget.running(cursor.connection, False)


class StoreError(Exception):
    """The database cannot be opened or used: the message names it and says why, in one line."""


def store_error_line(error: BaseException | None) -> str:
    """The first line of a database error's message, for a one-line report: "unknown error" where it has none."""
    return str(error).strip().splitlines()[0] if error is not None and str(error).strip() else "unknown error"


def now() -> str:
    """The current UTC time to the second, as the store records it."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def database_url(url_or_path: str | Path) -> str:
    """A SQLAlchemy URL for a database URL or a SQLite file path."""
    value = str(url_or_path)
    if not value.strip():
        raise StoreError("the database path is empty")
    if "://" in value:
        # A bare postgresql:// URL means psycopg 3, the driver newstrace installs.
        return re.sub(r"^postgres(?:ql)?://", "postgresql+psycopg://", value)
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def check_sqlite_path(url_or_path: str | Path, memory: bool) -> None:
    """A directory or a missing folder is named in one line, not in a driver's traceback."""
    if memory or "://" in str(url_or_path):
        return
    path = Path(url_or_path).expanduser()
    try:
        if path.is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        if not path.parent.exists():
            raise StoreError(f"{path}: the folder {path.parent} does not exist")
    except OSError as error:  # a name too long for the file system, a folder that cannot be searched
        raise StoreError(f"{path}: {error.strerror or error}") from None


def sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Settings of each new SQLite connection: SQLAlchemy begins transactions, foreign keys on, a busy timeout."""
    # The driver's own transaction handling skips DDL; SQLAlchemy's begin event below issues BEGIN instead, so a
    # migration's CREATE, RENAME and DROP commit or roll back together.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()
    # Reads under a QueryBudget (``bounded``) stop when it is spent; every other statement runs as before.
    dbapi_connection.set_progress_handler(_over_budget, PROGRESS_STEPS)


def sqlite_begin(connection: Connection) -> None:
    """Begin a SQLite transaction: a write transaction takes the write lock at once (``newstrace_write``)."""
    connection.exec_driver_sql(
        "BEGIN IMMEDIATE" if connection.get_execution_options().get("newstrace_write") else "BEGIN"
    )


def write_ahead_log(engine: Engine, *, wait: bool) -> None:
    """Put a SQLite store in write-ahead logging (committed batches survive a killed process; readers do not block
    a writer), where it is not: a new store, or a copy made by VACUUM INTO or set otherwise by hand.

    Without ``wait`` (a store opened only to be read) a lock held elsewhere, or a read-only file, leaves it as is.
    """
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
            return
        if not wait:
            cursor.execute("PRAGMA busy_timeout=0")
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:
            if wait:
                raise
        finally:
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")  # the pooled connection's own again
    finally:
        raw.close()


def stored_versions(connection: Connection, tables: set[str]) -> set[int] | None:
    """The migrations recorded in the database, or None where it has no migrations table (no store yet)."""
    if schema_migrations.name not in tables:
        return None
    return set(connection.scalars(select(schema_migrations.c.version)))


def checkpoint(engine: Engine) -> None:
    """Fold a SQLite store's write-ahead log back into the database file and empty it, so that a plain copy of the
    file holds every committed article. Skipped, silently, where a reader holds the log (its next writer folds it
    in) or the file is read-only; nothing to do for PostgreSQL or a store in memory."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return
    try:
        raw = engine.raw_connection()
    except DBAPIError:
        return
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA busy_timeout=0")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error:
        pass
    finally:
        raw.close()


def backup_sqlite(engine: Engine, target: str) -> None:
    """A consistent copy of a SQLite store into the new file ``target``, taken while others may write (SQLite's
    online backup: pages copied under a read snapshot, restarted where a writer changed them)."""
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        with sqlite3.connect(target) as copy:
            source.backup(copy)
        copy.close()
    finally:
        raw.close()
