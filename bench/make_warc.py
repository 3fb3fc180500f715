"""A synthetic .warc.gz of news pages for ingest and store-size benches: real pages, each record a distinct article.

Records cycle through the ScrapingHub benchmark pages in ../shared/eval/aeb (else the bundled example
page); record ``n`` is page ``n mod pages`` with "Bulletin n." opening its first paragraph and its own
URL, so every record cleans to a different text (no record is skipped as already stored), while the
page's markup, boilerplate and facts stay those of a real page. Each record is one gzip member, as
crawlers write them.

    python bench/make_warc.py OUT.warc.gz [--records 10000] [--aeb ../shared/eval/aeb]
    newstrace ingest OUT.warc.gz --db bench.db && python bench/store_size.py bench.db
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_AEB = ROOT.parent / "shared" / "eval" / "aeb"
_FIRST_PARAGRAPH = re.compile(rb"<p(?:\s[^>]*)?>", re.IGNORECASE)


def pages(aeb: Path) -> list[bytes]:
    """The benchmark's pages (decompressed), or the bundled example where ../shared is absent."""
    if (aeb / "html").is_dir():
        return [gzip.decompress(path.read_bytes()) for path in sorted((aeb / "html").glob("*.html.gz"))]
    return [(ROOT / "src/newstrace/examples/wire_blog_copy.html").read_bytes()]


def record(number: int, page: bytes) -> bytes:
    """One WARC/1.0 response record: page ``page`` made distinct by its record number."""
    marker = f"Bulletin {number}. ".encode()
    found = _FIRST_PARAGRAPH.search(page)
    html = page[: found.end()] + marker + page[found.end() :] if found else page.replace(b"<body", marker + b"<body", 1)
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    url = f"https://news{number % 181}.example/story/{number}"
    header = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Target-URI: {url}\r\n"
        "WARC-Date: 2024-05-18T01:58:10Z\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{number:012d}>\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return header + http + b"\r\n\r\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--aeb", type=Path, default=DEFAULT_AEB)
    args = parser.parse_args()
    sources = pages(args.aeb)
    with args.out.open("wb") as out:
        for number in range(args.records):
            out.write(gzip.compress(record(number, sources[number % len(sources)])))
    print(f"{args.records:,} records from {len(sources)} pages in {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
