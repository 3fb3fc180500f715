"""Concurrent writers: ``newstrace serve`` taking uploads while ``newstrace ingest`` writes into the same store.

A fresh store (SQLite in a temporary folder, or the PostgreSQL database ``--db`` names, dropped and created first)
is served by ``newstrace serve`` on a free loopback port (no token: loopback needs none). Once it answers, and its
analysis worker is warm (one ``POST /analyze``, nothing stored), ``newstrace ingest`` of a folder of ``--pages``
real pages starts, and ``--clients`` threads of this process meanwhile send ``--uploads`` ``POST /articles`` with
the HTML of real pages as JSON. Pages are the ScrapingHub benchmark's (../shared/eval/aeb), each made distinct by a
sentence opening its first paragraph ("Ingested page n." or "Upload n."), so an ingested page and an upload of the
same page are two articles of one story: both writers assign stories in the same part of the store.

Then: every upload answered 201 (else counted by status), any "locked" in an answer, the server's or the ingest's
stderr, the ingest's exit and counts; every page file and every upload in the store exactly once; every article in
exactly one story, every story's size its members; SQLite's ``integrity_check`` and ``foreign_key_check``.

    python bench/concurrency.py [--pages 181] [--uploads 143] [--clients 3] [--db postgresql+psycopg:///NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from crash import NEWSTRACE, SUMMARY, engine_url, fresh, inspect  # bench/crash.py, beside this script
from make_warc import _FIRST_PARAGRAPH, DEFAULT_AEB, pages  # bench/make_warc.py
from serve import _wait_until_up, free_port  # bench/serve.py


def marked(page: bytes, sentence: str) -> bytes:
    """The page with ``sentence`` opening its first paragraph (its article text, and so its id, its own)."""
    found = _FIRST_PARAGRAPH.search(page)
    at = found.end() if found else 0
    return page[:at] + sentence.encode() + b" " + page[at:]


def upload(client: httpx.Client, number: int, page: bytes) -> tuple[int, str, float]:
    """One ``POST /articles``: its status, its answer's text and when it was answered (monotonic)."""
    body = {"html": marked(page, f"Upload {number}.").decode("utf-8", "replace"), "url": f"https://up.example/{number}"}
    try:
        response = client.post("/articles", json=body)
        return response.status_code, response.text, time.monotonic()
    except httpx.HTTPError as error:
        return 0, f"{type(error).__name__}: {error}", time.monotonic()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=181, help="Page files the ingest reads.")
    parser.add_argument("--uploads", type=int, default=143)
    parser.add_argument("--clients", type=int, default=3, help="Threads sending uploads at once.")
    parser.add_argument("--workers", type=int, default=2, help="The ingest's worker processes.")
    parser.add_argument("--aeb", type=Path, default=DEFAULT_AEB)
    parser.add_argument("--db", help="A PostgreSQL URL (dropped and created first); default a SQLite file.")
    args = parser.parse_args()
    sources = pages(args.aeb)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        files = [folder / f"page-{number:04}.html" for number in range(args.pages)]
        for number, path in enumerate(files):
            path.write_bytes(marked(sources[number % len(sources)], f"Ingested page {number}."))
        db = args.db or str(Path(tmp) / "concurrency.db")
        fresh(db)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server_log, ingest_log = Path(tmp) / "serve.log", Path(tmp) / "ingest.log"
        load_before = os.getloadavg()[0]
        with server_log.open("wb") as log:
            server = subprocess.Popen(
                [*NEWSTRACE, "serve", "--db", db, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT
            )
        try:
            _wait_until_up(base, server)
            warm = httpx.post(base + "/analyze", json={"text": "Harbour Reopens\n\nAna Duarte said so."}, timeout=300)
            warm.raise_for_status()
            started = time.monotonic()
            with ingest_log.open("wb") as log:
                command = [*NEWSTRACE, "ingest", str(folder), "--db", db, "--workers", str(args.workers)]
                ingest = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
            ingest_ended: list[float] = []

            def await_ingest() -> None:
                ingest.wait()
                ingest_ended.append(time.monotonic())

            waiter = threading.Thread(target=await_ingest)
            waiter.start()
            with httpx.Client(base_url=base, timeout=300) as client, ThreadPoolExecutor(args.clients) as pool:
                answers = list(
                    pool.map(lambda number: upload(client, number, sources[number % len(sources)]), range(args.uploads))
                )
            uploads_ended = time.monotonic()
            waiter.join()
        finally:
            server.terminate()
            server.wait(timeout=60)
        load_after = os.getloadavg()[0]
        logs = server_log.read_text(errors="replace") + ingest_log.read_text(errors="replace")
        store = inspect(db)
        by_source = _articles_by_source(db)
        ingest_output = ingest_log.read_text(errors="replace")
    statuses = Counter(status for status, _, _ in answers)
    ids = [
        answer["id"] for status, body, _ in answers if status in (200, 201) for answer in json.loads(body)["articles"]
    ]
    while_ingesting = sum(when <= ingest_ended[0] for _, _, when in answers)
    locked = sum("locked" in body.lower() for _, body, _ in answers) + logs.lower().count("locked")
    counted = SUMMARY.search(ingest_output)
    missing_files = [path.name for path in files if by_source.get(str(path), 0) == 0]
    repeated_files = [path.name for path in files if by_source.get(str(path), 0) > 1]
    stored_ids = set(store["ids"])
    findings: dict[str, Any] = {
        "store": "PostgreSQL" if args.db else "SQLite",
        "ingest": f"exit {ingest.returncode}, {counted.group(0) if counted else 'no summary line'}, "
        f"{ingest_ended[0] - started:.1f} s",
        "uploads": f"{args.uploads} from {args.clients} threads in {uploads_ended - started:.1f} s, "
        f"{while_ingesting} answered while the ingest ran",
        "upload statuses": dict(statuses),
        "'locked' in answers and logs": locked,
        "page files not stored": len(missing_files),
        "page files stored twice or more": len(repeated_files),
        "uploads answered with an id": len(ids),
        "upload ids not stored": len([item for item in ids if item not in stored_ids]),
        "upload ids answered twice": len(ids) - len(set(ids)),
        "articles": store["articles"],
        "expected articles": args.pages + args.uploads,
        "stories": store["stories"],
        "load average before, after": f"{load_before:.1f}, {load_after:.1f}",
    }
    findings |= {key: store[key] for key in ("duplicate articles", "duplicate sources", "articles in no story")}
    findings |= {key: store[key] for key in ("members of no story", "stories of wrong size", "integrity_check")}
    findings["foreign_key_check"] = store.get("foreign_key_check", "n/a")
    findings["errors"] = [body[:300] for status, body, _ in answers if status not in (200, 201)][:5]
    print("| check | result |\n|---|---|")
    for key, value in findings.items():
        print(f"| {key} | {value} |")
    lost = statuses[201] != args.uploads or missing_files or repeated_files or locked
    wrong = store["articles"] != args.pages + args.uploads or store["articles in no story"]
    return (
        1
        if lost or wrong or store["stories of wrong size"] or store["integrity_check"] not in ("ok", "n/a (PostgreSQL)")
        else 0
    )


def _articles_by_source(db: str) -> dict[str, int]:
    """How many stored articles each source name has."""
    engine = create_engine(engine_url(db))
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT source, count(*) FROM articles GROUP BY source"))
            return {str(source): int(count) for source, count in rows}
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
