"""Files, folders and standard input: each routed to its reader by suffix, or by its content where none says."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from newstrace.ingest._common import HTML_START, SNIFF_BYTES, InputError, mb
from newstrace.ingest._decode import document_from_bytes
from newstrace.ingest._gzip import gunzip_bytes, gunzip_file
from newstrace.ingest._jsonl import from_jsonl
from newstrace.ingest._warc import from_warc
from newstrace.model import Document, Failure

__all__ = [
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
    "TEXT_SUFFIXES",
    "WARC_SUFFIXES",
    "from_file",
    "from_stream",
    "input_files",
    "is_folder",
    "source_name",
    "suffixes",
]

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
TEXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc", ".arc"}
_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def input_files(directory: Path) -> Iterator[Path]:
    """The files ingest reads under a directory, sorted, hidden ones left out; a folder linked in is read once.

    A folder reached a second time (a "latest" link to a dated folder, a link loop) is passed over: its files are
    read where it was first reached.
    """
    seen: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(directory, followlinks=True):
        try:
            status = os.stat(root)
        except OSError:
            dirs[:] = []
            continue
        if (status.st_dev, status.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((status.st_dev, status.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def is_folder(path: Path) -> bool:
    """Whether the path is a folder; False where it cannot be looked at (a name too long): reading it says why."""
    try:
        return path.is_dir()
    except OSError:
        return False


def source_name(path: Path | str) -> str:
    """A path as results name it: bytes that are not UTF-8 and control characters escaped, one printable line."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return _NAME_CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def suffixes(path: Path) -> tuple[str, bool]:
    """The format suffix of a file name and whether it is gzipped (``a.warc.gz`` -> .warc, True)."""
    suffixes = [s.lower() for s in path.suffixes]
    gzipped = bool(suffixes) and suffixes[-1] == ".gz"
    if gzipped:
        suffixes = suffixes[:-1]
    return (suffixes[-1] if suffixes else ""), gzipped


def from_file(path: Path, max_bytes: int, captured: str, in_directory: bool) -> Iterator[Document | Failure]:
    source = source_name(path)
    suffix, gzipped = suffixes(path)
    known = HTML_SUFFIXES | TEXT_SUFFIXES | JSONL_SUFFIXES | WARC_SUFFIXES
    if in_directory and suffix not in known:
        yield Failure(source, "ingest", f"unsupported file type ({suffix or 'no suffix'})")
        return
    try:
        if not path.exists():
            raise InputError("no such file")
        if not path.is_file():
            raise InputError("not a regular file")
        if suffix in WARC_SUFFIXES:
            with path.open("rb") as handle:
                yield from from_warc(handle, source, max_bytes)
            return
        size = path.stat().st_size
        if size > max_bytes and not gzipped:
            raise InputError(f"too large ({mb(size)} > {mb(max_bytes)} cap)")
        data = path.read_bytes() if not gzipped else gunzip_file(path, max_bytes)
    except InputError as error:
        yield Failure(source, "ingest", str(error))
        return
    except OSError as error:
        yield Failure(source, "ingest", f"cannot read ({error.strerror or error})")
        return
    if suffix in JSONL_SUFFIXES:
        yield from from_jsonl(data, source, max_bytes, captured)
    elif suffix in HTML_SUFFIXES:
        yield document_from_bytes(data, source, "text/html", captured)
    elif suffix in TEXT_SUFFIXES:
        yield document_from_bytes(data, source, "text/plain", captured)
    else:
        yield from _sniffed(data, source, max_bytes, captured)


def from_stream(stream: BinaryIO, max_bytes: int, captured: str) -> Iterator[Document | Failure]:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield Failure("<stdin>", "ingest", f"too large (more than the {mb(max_bytes)} cap)")
        return
    yield from _sniffed(data, "<stdin>", max_bytes, captured)


def _sniffed(data: bytes, source: str, max_bytes: int, captured: str) -> Iterator[Document | Failure]:
    """Route bytes of unknown format by their content."""
    try:
        if data[:2] == b"\x1f\x8b":
            data = gunzip_bytes(data, max_bytes)
        if data.startswith(b"WARC/"):
            yield from from_warc(io.BytesIO(data), source, max_bytes)
            return
    except InputError as error:
        yield Failure(source, "ingest", str(error))
        return
    head = data[:SNIFF_BYTES].lstrip()
    if head.startswith(b"{"):
        yield from from_jsonl(data, source, max_bytes, captured)
    elif HTML_START.match(data[:SNIFF_BYTES]):
        yield document_from_bytes(data, source, "text/html", captured)
    else:
        yield document_from_bytes(data, source, "text/plain", captured)
