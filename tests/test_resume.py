"""An ingest killed with SIGKILL halfway resumes with no loss and no duplicates."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import news_html, stored_articles

DOCUMENTS = 1000


def test_killed_ingest_resumes_exactly(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in range(DOCUMENTS):
        paragraphs = [f"Story {number}: the harbour board met on day {number} and voted on berth {number % 17}."] * 6
        (corpus / f"{number:04}.html").write_text(news_html(f"Harbour Board Vote {number}", paragraphs))
    db = tmp_path / "resume.db"
    command = [
        sys.executable,
        "-m",
        "newstrace",
        "ingest",
        str(corpus),
        "--db",
        str(db),
        "--workers",
        "2",
        "--batch-size",
        "20",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while stored_articles(db) < DOCUMENTS // 4 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "ingest finished before it could be killed; make the corpus slower"
    os.killpg(process.pid, signal.SIGKILL)  # the whole group: the CLI and its workers
    process.wait()
    halfway = stored_articles(db)
    assert 0 < halfway < DOCUMENTS

    finished = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    assert stored_articles(db) == DOCUMENTS
    with sqlite3.connect(db) as connection:
        sources = connection.execute("SELECT count(*), count(DISTINCT source_hash) FROM sources").fetchone()
        distinct_sources = connection.execute("SELECT count(DISTINCT source) FROM articles").fetchone()[0]
    assert sources == (DOCUMENTS, DOCUMENTS)
    assert distinct_sources == DOCUMENTS
    assert f"ingested {DOCUMENTS - halfway}, already present {halfway}," in finished.stderr
