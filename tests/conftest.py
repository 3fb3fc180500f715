"""Shared fixtures: paths to ../shared data (skipping with a reason when absent) and builders."""

from __future__ import annotations

import contextlib
import gzip
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "src" / "newstrace" / "examples"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test with a clear reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: this check needs the shared evaluation data beside the repo")
    return path


@pytest.fixture(autouse=True)
def _error_log_handlers_end_with_their_test() -> Iterator[None]:
    """A CLI command run in-process attaches its --log file handler to the "newstrace" logger for the process's life:
    without this, later tests' tracebacks went to that file (the default one in the working directory)."""
    import logging

    logger = logging.getLogger("newstrace")
    before = list(logger.handlers)
    yield
    for handler in [h for h in logger.handlers if h not in before]:
        logger.removeHandler(handler)
        handler.close()


@pytest.fixture
def seed_path() -> Path:
    return shared_path("seed", "seed_article.txt")


@pytest.fixture
def example_text() -> Path:
    return EXAMPLES / "wire_blog_copy.txt"


@pytest.fixture
def example_html() -> Path:
    return EXAMPLES / "wire_blog_copy.html"


def warc_record(
    url: str,
    html: bytes,
    *,
    line_end: bytes = b"\r\n",
    status: bytes = b"200 OK",
    content_type: bytes = b"text/html; charset=utf-8",
    extra_headers: bytes = b"",
) -> bytes:
    """One WARC/1.0 response record holding an HTTP response."""
    http = (
        b"HTTP/1.1 " + status + line_end + b"Content-Type: " + content_type + line_end + extra_headers + line_end + html
    )
    header = (
        b"WARC/1.0\r\nWARC-Type: response\r\n"
        b"WARC-Target-URI: " + url.encode() + b"\r\n"
        b"WARC-Date: 2024-05-18T01:58:10Z\r\n"
        b"WARC-Record-ID: <urn:uuid:" + url.encode().hex()[:32].encode() + b">\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        b"Content-Length: " + str(len(http)).encode() + b"\r\n\r\n"
    )
    return header + http + b"\r\n\r\n"


def gzip_members(records: list[bytes]) -> bytes:
    """Records gzipped one member each, as crawlers write .warc.gz files."""
    return b"".join(gzip.compress(record) for record in records)


def news_html(title: str, paragraphs: list[str], *, published: str = "2026-03-03") -> str:
    """A small news page with navigation and a footer around the article."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='article:published_time' content='{published}T10:00:00Z'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright 2026 Example News. All rights reserved.</footer></body></html>"
    )


def stored_articles(db: Path) -> int:
    """How many articles a SQLite store holds now (0 while it is not yet created or is locked)."""
    try:
        with sqlite3.connect(db, timeout=5) as connection:
            return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def running_server(db: Path | str, *args: str, token: str | None = None) -> Iterator[str]:
    """``newstrace serve`` on a free loopback port in a child process; yields its base URL, stops it on exit."""
    import httpx

    port = free_port()
    command = [sys.executable, "-m", "newstrace", "serve", "--db", str(db), "--port", str(port), *args]
    if token is not None:
        command += ["--token", token]
    log = tempfile.TemporaryFile()  # noqa: SIM115 (it outlives this block: the server writes to it until stopped)
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"the server did not start: {log.read().decode(errors='replace')}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
