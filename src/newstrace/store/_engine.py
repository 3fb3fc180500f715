"""Opening a database: its URL, SQLite's connection settings and write lock, and the one-line errors it gives."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection

from newstrace.store.schema import schema_migrations

__all__ = [
    "BUSY_TIMEOUT_MS",
    "PERMISSION",
    "StoreError",
    "check_sqlite_path",
    "database_url",
    "now",
    "sqlite_begin",
    "sqlite_connect",
    "store_error_line",
    "stored_versions",
    "write_ahead_log",
]

BUSY_TIMEOUT_MS = 5000  # how long a SQLite connection waits for another writer's lock
# A driver's message that says the file cannot be opened or written (not that it is no database).
PERMISSION = re.compile(r"readonly|read-only|unable to open|permission denied", re.IGNORECASE)


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
