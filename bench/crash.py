"""Crash test of ``newstrace ingest``: SIGKILLs at random moments, each followed by a re-run, against one clean run.

The input (``--input``, else a .warc.gz of ``--records`` real pages made as bench/make_warc.py makes it) is ingested
once without interruption into a fresh store: the reference, timed, its write transactions watched. Then ``--kills``
times: a fresh store, ``newstrace ingest`` started in its own process group, stopped (SIGSTOP) at a seeded moment,
asked whether it was inside a write transaction at that instant, then SIGKILLed (the CLI and its workers), and the
same ingest run again to completion. The store it leaves is compared with the reference: the articles (their content
hashes), the rows of every fact table, sources and failures, the stories and how they partition the articles, every
article in exactly one story, no duplicate, and SQLite's ``integrity_check`` and ``foreign_key_check``.

A kill moment is uniform over the reference run's duration; a share ``--aim`` of them instead waits for a randomly
chosen write transaction to begin and lands up to 0.3 s into it (a uniform kill would fall inside one only for the
few percent of the run they take). Whether a kill was inside is not assumed but looked at while the process is
stopped: SQLite, the WAL write lock (byte 120 of the -shm file) in /proc/locks held, or a non-empty -journal;
PostgreSQL, a backend of the database holding a transaction id (``backend_xid``, given at its first write).

    python bench/crash.py [--kills 35] [--records 200 | --input PATH] [--aim 0.3] [--seed 26] [--workers 2]
                          [--db postgresql+psycopg:///newstrace_bench] [--json PATH]

Without ``--db`` the stores are SQLite files in a temporary folder; a PostgreSQL database named by ``--db`` is
dropped and created again (``dropdb --force``, ``createdb``) before every run.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from make_warc import DEFAULT_AEB, pages, record  # bench/make_warc.py, beside this script

NEWSTRACE = [sys.executable, "-m", "newstrace"]
COUNTED = ("articles", "sources", "failures", "entities", "mentions", "statements", "times", "quantities")
COUNTED += ("headline_checks", "stories", "story_members", "story_lineage")
SHOWN = ("articles", "statements", "stories", "integrity_check")
SUMMARY = re.compile(r"ingested (\d+), already present (\d+), skipped (\d+)")


def engine_url(db: str) -> str:
    """A SQLAlchemy URL for a SQLite path or a PostgreSQL URL (bare postgresql:// is psycopg 3, as in newstrace)."""
    if "://" in db:
        return re.sub(r"^postgres(?:ql)?://", "postgresql+psycopg://", db)
    return f"sqlite:///{Path(db).resolve()}"


def fresh(db: str) -> None:
    """An empty store: the SQLite file and its companions removed, or the PostgreSQL database dropped and created."""
    if "://" not in db:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(db + suffix).unlink(missing_ok=True)
        return
    name = make_url(engine_url(db)).database or ""
    subprocess.run(["dropdb", "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", name], check=True)


def inspect(db: str) -> dict[str, Any]:
    """What a store holds, as figures that two equal stores share (no keys, no times)."""
    engine = create_engine(engine_url(db))
    try:
        with engine.connect() as connection:

            def one(sql: str) -> Any:
                return connection.execute(text(sql)).scalar_one()

            found: dict[str, Any] = {table: one(f"SELECT count(*) FROM {table}") for table in COUNTED}
            ids = sorted(str(row[0]) for row in connection.execute(text("SELECT id FROM articles")))
            found["duplicate articles"] = len(ids) - len(set(ids))
            found["duplicate sources"] = found["sources"] - one("SELECT count(DISTINCT source_hash) FROM sources")
            found["articles in no story"] = one(
                "SELECT count(*) FROM articles a WHERE NOT EXISTS "
                "(SELECT 1 FROM story_members m WHERE m.article = a.pk)"
            )
            found["members of no story"] = one(
                "SELECT count(*) FROM story_members m WHERE NOT EXISTS "
                "(SELECT 1 FROM stories s WHERE s.story = m.story)"
            )
            found["stories of wrong size"] = one(
                "SELECT count(*) FROM stories s WHERE s.size <> (SELECT count(*) FROM story_members m "
                "WHERE m.story = s.story)"
            )
            groups: dict[int, list[str]] = defaultdict(list)
            joined = "SELECT m.story, a.id FROM story_members m JOIN articles a ON a.pk = m.article"
            for story, article in connection.execute(text(joined)):
                groups[story].append(str(article))
            partition = sorted(sorted(members) for members in groups.values())
            found["article ids (sha256)"] = hashlib.sha256("\n".join(ids).encode()).hexdigest()[:16]
            found["stories' members (sha256)"] = hashlib.sha256(json.dumps(partition).encode()).hexdigest()[:16]
            if engine.dialect.name == "sqlite":
                found["integrity_check"] = ";".join(
                    str(row[0]) for row in connection.exec_driver_sql("PRAGMA integrity_check")
                )
                found["foreign_key_check"] = len(connection.exec_driver_sql("PRAGMA foreign_key_check").all())
            else:
                found["integrity_check"] = "n/a (PostgreSQL)"
            found["ids"] = ids
            return found
    finally:
        engine.dispose()


class WriteWatch:
    """Whether a write transaction is open on the store now, asked of the OS or the server, never of the writer."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.engine = create_engine(engine_url(db), isolation_level="AUTOCOMMIT") if "://" in db else None

    def __call__(self) -> bool:
        if self.engine is not None:
            with self.engine.connect() as connection:
                sql = (
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
                )
                return bool(connection.execute(text(sql)).scalar_one())
        journal = Path(self.db + "-journal")
        if journal.exists() and journal.stat().st_size > 0:
            return True
        try:
            shm = os.stat(self.db + "-shm")
        except FileNotFoundError:
            return False
        device = f"{os.major(shm.st_dev):02x}:{os.minor(shm.st_dev):02x}:{shm.st_ino}"
        for line in Path("/proc/locks").read_text().splitlines():
            fields = line.split()
            if "->" not in fields and fields[3] == "WRITE" and fields[5] == device and fields[6] == "120":
                return True
        return False

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()


def ingest(source: Path, db: str, workers: int) -> list[str]:
    return [*NEWSTRACE, "ingest", str(source), "--db", db, "--workers", str(workers)]


def reference(source: Path, db: str, workers: int) -> tuple[float, int, float]:
    """The uninterrupted run: its seconds, its write transactions and the seconds they were seen open."""
    fresh(db)
    watch = WriteWatch(db)
    started = time.monotonic()
    process = subprocess.Popen(ingest(source, db, workers), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    transactions, inside, was = 0, 0.0, False
    while process.poll() is None:
        now = watch()
        transactions += now and not was
        inside += 0.01 if now else 0.0
        was = now
        time.sleep(0.01)
    watch.close()
    if process.returncode != 0:
        raise SystemExit(f"the reference ingest exited {process.returncode}")
    return time.monotonic() - started, transactions, inside


def stopped(pid: int) -> bool:
    """Whether the process is stopped (state T in /proc), or gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("T", "t", "Z")
    except FileNotFoundError:
        return True


def trial(source: Path, db: str, workers: int, delay: float | None, target: int, lag: float) -> dict[str, Any]:
    """One kill and re-run: ``delay`` seconds after the start, or ``lag`` seconds into write transaction ``target``."""
    fresh(db)
    watch = WriteWatch(db)
    started = time.monotonic()
    process = subprocess.Popen(
        ingest(source, db, workers), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    seen, was = 0, False
    while process.poll() is None:
        if delay is not None and time.monotonic() - started >= delay:
            break
        if delay is None:
            now = watch()
            seen += now and not was
            was = now
            if seen >= target:
                time.sleep(lag)
                break
        time.sleep(0.01)
    row: dict[str, Any] = {"aimed": delay is None, "killed at s": round(time.monotonic() - started, 2)}
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGSTOP)
        while not stopped(process.pid):
            time.sleep(0.001)
        row["inside write transaction"] = watch()
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    else:
        row["killed at s"], row["inside write transaction"] = None, False  # it finished first: nothing to kill
    watch.close()
    rerun = subprocess.run(ingest(source, db, workers), capture_output=True, text=True)
    counted = SUMMARY.search(rerun.stderr)
    row["re-run exit"] = rerun.returncode
    row["stored before re-run"] = int(counted.group(2)) if counted else None
    if rerun.returncode != 0:
        row["re-run stderr"] = rerun.stderr[-2000:]
    row["store"] = inspect(db)
    return row


def make_input(folder: Path, records: int, aeb: Path) -> Path:
    """``records`` WARC records of real pages, each distinct (bench/make_warc.py's records)."""
    sources = pages(aeb)
    path = folder / f"crash-{records}.warc.gz"
    with path.open("wb") as out:
        for number in range(records):
            out.write(gzip.compress(record(number, sources[number % len(sources)])))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=35)
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--input", type=Path, help="Ingest this instead of a generated .warc.gz.")
    parser.add_argument("--aeb", type=Path, default=DEFAULT_AEB)
    parser.add_argument("--aim", type=float, default=0.3, help="Share of kills aimed into a write transaction.")
    parser.add_argument("--seed", type=int, default=26)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", help="A PostgreSQL URL to use (dropped and created for each run); default SQLite.")
    parser.add_argument("--json", type=Path, help="Write the summary here.")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        source = args.input or make_input(Path(tmp), args.records, args.aeb)
        db = args.db or str(Path(tmp) / "crash.db")
        load_before = os.getloadavg()[0]
        seconds, transactions, inside = reference(source, db, args.workers)
        expected = inspect(db)
        print(f"reference: {seconds:.1f} s, {transactions} write transactions seen, open {inside:.1f} s of it")
        print(", ".join(f"{key} {value}" for key, value in expected.items() if key != "ids"), flush=True)
        print(
            "| # | aimed | killed at s | inside write tx | stored before re-run | re-run exit | articles "
            "| statements | stories | integrity | same as reference |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        rows = []
        for number in range(1, args.kills + 1):
            aimed = rng.random() < args.aim
            delay = None if aimed else rng.uniform(0, seconds)
            row = trial(source, db, args.workers, delay, rng.randint(1, max(1, transactions)), rng.uniform(0, 0.3))
            store = row.pop("store")
            row["differs in"] = [key for key in expected if key != "ids" and store.get(key) != expected[key]]
            row["missing ids"] = sorted(set(expected["ids"]) - set(store["ids"]))
            row["extra ids"] = sorted(set(store["ids"]) - set(expected["ids"]))
            row |= {key: store[key] for key in SHOWN}
            rows.append(row)
            same = "yes" if not row["differs in"] else "NO: " + ", ".join(row["differs in"])
            cells = [
                number,
                "yes" if aimed else "",
                row["killed at s"],
                "yes" if row["inside write transaction"] else "",
            ]
            cells += [row[key] for key in ("stored before re-run", "re-run exit", *SHOWN)] + [same]
            print("| " + " | ".join("" if cell is None else str(cell) for cell in cells) + " |", flush=True)
        if args.db:
            fresh(args.db)
    killed = [row for row in rows if row["killed at s"] is not None]
    summary = {
        "input": str(args.input or f"{args.records} WARC records (bench/make_warc.py)"),
        "store": "PostgreSQL" if args.db else "SQLite",
        "seed": args.seed,
        "workers": args.workers,
        "reference": {"seconds": round(seconds, 1), "write transactions": transactions, "open s": round(inside, 1)}
        | {key: value for key, value in expected.items() if key != "ids"},
        "kills": len(killed),
        "aimed": sum(row["aimed"] for row in rows),
        "inside write transaction": sum(row["inside write transaction"] for row in rows),
        "finished before the kill": len(rows) - len(killed),
        "same as reference": sum(not row["differs in"] for row in rows),
        "load average before, after": [load_before, os.getloadavg()[0]],
        "trials": rows,
    }
    print(json.dumps({key: value for key, value in summary.items() if key != "trials"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1) + "\n")
    return 0 if summary["same as reference"] == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
