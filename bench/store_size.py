"""Bytes a SQLite store spends per article, by table and index, and how much of it is beyond the text.

Reads SQLite's dbstat (page sizes, free space included) after a WAL checkpoint; "text" is the
UTF-8 size of the cleaned texts, which the store keeps once.

    python bench/store_size.py newstrace.db
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    args = parser.parse_args()
    with sqlite3.connect(args.db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        count = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        text = connection.execute("SELECT sum(length(CAST(text AS BLOB))) FROM articles").fetchone()[0] or 0
        sizes = dict(connection.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
    if not count:
        print(f"{args.db}: no articles")
        return 1
    total = sum(sizes.values())
    full_text = sum(size for name, size in sizes.items() if name.startswith("articles_fts"))
    print(
        f"{count:,} articles; text {text / count / 1024:.2f} KB per article; all pages {total / count / 1024:.2f} KB; "
        f"beyond the text {(total - text) / count / 1024:.2f} KB (full-text index {full_text / count / 1024:.2f} KB, "
        f"the rest {(total - text - full_text) / count / 1024:.2f} KB)"
    )
    for name, size in sorted(sizes.items(), key=lambda item: -item[1]):
        print(f"  {name:<32} {size / count / 1024:7.2f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
