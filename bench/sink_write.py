"""How fast one writer stores analysed articles: Store.write (SQLite) and ParquetSink.write, CPU time of this process.

A Ray ingest writes every batch in its driver, so this rate bounds how many pipeline CPUs one run can feed. The
first 20 AEB pages (../shared/eval/aeb) are analysed once, then written ``--copies`` times under new ids and hashes,
in batches of 20.

    python bench/sink_write.py [--copies 25]
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import sys
import tempfile
import time
import warnings
from pathlib import Path

from newstrace.export.sinks import ParquetSink, Sink
from newstrace.ingest import document_from_bytes
from newstrace.model import Article, Document
from newstrace.pipeline import Pipeline
from newstrace.store import Store

AEB = Path(__file__).resolve().parents[2] / "shared" / "eval" / "aeb" / "html"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=25)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    pages = sorted(AEB.glob("*.html.gz"))[:20]
    if not pages:
        print(f"{AEB} is absent: this benchmark needs the shared AEB pages", file=sys.stderr)
        return 1
    pipeline = Pipeline()
    articles = []
    for page in pages:
        document = document_from_bytes(gzip.decompress(page.read_bytes()), str(page), "text/html", "2026-11-01")
        result = pipeline.process(document) if isinstance(document, Document) else document
        if isinstance(result, Article):
            articles.append(result)
    batches = [
        [dataclasses.replace(a, id=f"{n:04}{a.id[4:]}", source_hash=f"{n:04}{a.source_hash[4:]}") for a in articles]
        for n in range(args.copies)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        sinks: list[tuple[str, Sink]] = [
            ("SQLite store", Store(Path(tmp) / "bench.db")),
            ("Parquet sink", ParquetSink(Path(tmp) / "parquet")),
        ]
        for name, sink in sinks:
            started, wall = time.process_time(), time.monotonic()
            stored = sum(sink.write(batch).stored for batch in batches)
            cpu, elapsed = time.process_time() - started, time.monotonic() - wall
            print(
                f"{name}: {stored} articles in batches of {len(articles)}: {stored / cpu:.0f} articles per CPU-second,"
                f" {stored / elapsed:.0f} per wall second"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
