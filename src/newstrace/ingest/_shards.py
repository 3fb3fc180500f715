"""Inputs as shards, the pieces one worker reads alone: whole files, or runs of a WARC's records or a JSONL's lines."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from newstrace.ingest._common import DEFAULT_MAX_BYTES
from newstrace.ingest._decode import looks_binary
from newstrace.ingest._files import (
    JSONL_SUFFIXES,
    WARC_SUFFIXES,
    from_file,
    from_stream,
    input_files,
    is_folder,
    source_name,
    suffixes,
)
from newstrace.ingest._jsonl import from_jsonl, line_starts
from newstrace.ingest._warc import from_warc, member_starts, warc_record_starts
from newstrace.model import Document, Failure

__all__ = ["Shard", "iter_documents", "iter_shards", "read_shard"]


def iter_documents(
    paths: Iterable[str],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    today: date | None = None,
) -> Iterator[Document | Failure]:
    """Every Document under the given paths (``-`` is stdin), and a Failure per rejected input."""
    captured = (today or date.today()).isoformat()
    for shard in iter_shards(paths):
        yield from read_shard(shard, max_bytes=max_bytes, captured=captured, stdin=stdin)


@dataclass(frozen=True, slots=True)
class Shard:
    """A piece of the input one worker reads alone: a whole file, or a run of a WARC's records or a JSONL's lines.

    ``offset`` is the byte where the run starts and ``first`` the number of its first record or line, so a source
    reads ``file.warc#1204`` whichever shard it came from; ``count`` is how many records or lines (None: to the end).
    """

    path: str
    in_directory: bool = False
    offset: int = 0
    first: int = 0
    count: int | None = None

    @property
    def whole(self) -> bool:
        """Whether this shard is its whole file."""
        return self.offset == 0 and self.first == 0 and self.count is None


def iter_shards(paths: Iterable[str], *, records_per_shard: int | None = None) -> Iterator[Shard]:
    """The shards of the given paths, in input order: one per file, or runs of ``records_per_shard`` records.

    Only uncompressed JSONL files and WARC files (gzipped or not: their records are gzip members) are split; a file
    that cannot be scanned stays whole, so reading it reports its damage exactly as a whole-file read does.
    """
    for path in paths:
        if path == "-":
            yield Shard("-")
            continue
        target = Path(path)
        files = [(file, True) for file in input_files(target)] if is_folder(target) else [(target, False)]
        for file, in_directory in files:
            if records_per_shard is None:
                yield Shard(str(file), in_directory)
            else:
                yield from _split(file, in_directory, records_per_shard)


def read_shard(
    shard: Shard,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    captured: str | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[Document | Failure]:
    """The Documents in one shard, and a Failure per rejected input in it."""
    captured = captured or date.today().isoformat()
    if shard.path == "-":
        yield from from_stream(stdin if stdin is not None else sys.stdin.buffer, max_bytes, captured)
    elif shard.whole:
        yield from from_file(Path(shard.path), max_bytes, captured, in_directory=shard.in_directory)
    elif suffixes(Path(shard.path))[0] in WARC_SUFFIXES:
        with open(shard.path, "rb") as handle:
            handle.seek(shard.offset)
            yield from from_warc(handle, source_name(shard.path), max_bytes, first=shard.first, count=shard.count)
    else:
        with open(shard.path, "rb") as handle:
            handle.seek(shard.offset)
            lines = [handle.readline() for _ in range(shard.count or 0)]
        yield from from_jsonl(b"".join(lines), source_name(shard.path), max_bytes, captured, first=shard.first)


def _split(file: Path, in_directory: bool, records_per_shard: int) -> Iterator[Shard]:
    """Runs of ``records_per_shard`` records of a WARC or lines of a JSONL file; the file whole where not splittable."""
    suffix, gzipped = suffixes(file)
    starts: list[int] = []
    try:
        if suffix in WARC_SUFFIXES and file.is_file():
            starts = warc_record_starts(file)
            if gzipped and not member_starts(file, starts):
                starts = []  # one gzip member for the whole file: a record's offset is no place to start reading
        elif suffix in JSONL_SUFFIXES and not gzipped and file.is_file():
            with file.open("rb") as handle:
                binary = looks_binary(handle.read(1 << 16))
            starts = [] if binary else line_starts(file)  # binary data read whole: one failure, not one a shard
    except Exception:  # a damaged file is read whole, where its reader names the damage
        starts = []
    if len(starts) <= records_per_shard:
        yield Shard(str(file), in_directory)
        return
    for first in range(0, len(starts), records_per_shard):
        count = min(records_per_shard, len(starts) - first)
        yield Shard(str(file), in_directory, offset=starts[first], first=first, count=count)
