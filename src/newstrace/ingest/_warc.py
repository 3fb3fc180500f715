"""WARC archives: HTML response and resource records, read with fastwarc; a damaged archive says where it ends."""

from __future__ import annotations

import email.utils
import re
import zlib
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import BinaryIO

from newstrace.ingest._common import GZIP_MAGIC, HTML_START, SNIFF_BYTES, InputError, iso_date, mb, short
from newstrace.ingest._decode import document_from_bytes
from newstrace.ingest._gzip import check_gzip_tail
from newstrace.model import Document, Failure

__all__ = ["from_warc", "member_starts", "warc_record_starts"]

_HTML_MEDIA = ("text/html", "application/xhtml+xml")
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


def from_warc(
    handle: BinaryIO, source: str, max_bytes: int, *, first: int = 0, count: int | None = None
) -> Iterator[Document | Failure]:
    """HTML response and resource records of a WARC file (``count`` of them from ``first``); others are passed over.

    Every record is read, wanted or not, so that the last one shows where the archive ends: fastwarc stops quietly at
    a record header cut short or a gzip member cut off, and either is reported here as a truncated archive.
    """
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    wanted = WarcRecordType.response | WarcRecordType.resource
    start = handle.tell()
    gzipped = handle.read(2) == GZIP_MAGIC
    handle.seek(start)
    found = 0
    number = first - 1
    last_start = 0
    try:
        for record in ArchiveIterator(handle, parse_http=False):
            last_start = int(record.stream_pos)
            length = record.headers.get("Content-Length")
            if not (length or "").strip().isdigit():
                # Where the record ends is not known either way, so nothing after it can be read.
                reason = (
                    "truncated WARC (a record header is cut short)"
                    if length is None
                    else f"bad Content-Length {short(length)!r} in a WARC record header (not a byte count)"
                )
                yield Failure(source, "ingest", f"{reason}; archive ends here")
                return
            if not record.record_type & wanted:
                continue
            number += 1
            if count is not None and number >= first + count:
                return
            where = f"{source}#{number}"
            declared_length = int(record.content_length)
            if declared_length > max_bytes + SNIFF_BYTES:
                yield Failure(
                    where,
                    "ingest",
                    f"too large (WARC record of {mb(declared_length)} > {mb(max_bytes)} cap)",
                )
                found += 1
                continue
            block = record.reader.read()
            if len(block) < declared_length:
                yield Failure(
                    where,
                    "ingest",
                    f"truncated WARC record ({len(block)} of {declared_length} bytes); archive ends here",
                )
                return
            is_response = record.record_type == WarcRecordType.response
            headers = record.headers
            document = _warc_payload(
                block,
                where,
                url=headers.get("WARC-Target-URI"),
                warc_date=headers.get("WARC-Date"),
                content_type=headers.get("Content-Type") if not is_response else None,
                is_response=is_response,
                max_bytes=max_bytes,
            )
            if document is not None:
                found += 1
                yield document
        if gzipped:
            check_gzip_tail(handle, last_start)  # fastwarc's stream_pos is the file's own offset
    except InputError as error:
        yield Failure(source, "ingest", f"truncated WARC ({error}); archive ends here")
        return
    except Exception as error:  # fastwarc raises several types on damaged archives
        yield Failure(source, "ingest", f"unreadable WARC ({short(str(error)) or type(error).__name__})")
        return
    if not found and count is None:
        # Found by fuzzing: a damaged header ("WARC/0.") read as an archive with no records and left no trace.
        yield Failure(source, "ingest", "no HTML records (an empty or damaged WARC file)")


def _warc_payload(
    block: bytes,
    where: str,
    *,
    url: str | None,
    warc_date: str | None,
    content_type: str | None,
    is_response: bool,
    max_bytes: int,
) -> Document | Failure | None:
    """The Document in one record's block, a Failure, or None for records that are not HTML pages."""
    http_headers: dict[str, str] = {}
    payload = block
    if is_response:
        # Parsed by hand: some crawlers (ClueWeb09) end HTTP header lines with a bare LF.
        match = re.search(rb"\r?\n\r?\n", block)
        if match is None or not block.startswith(b"HTTP/"):
            return None
        lines = block[: match.start()].decode("latin-1").splitlines()
        status = lines[0].split()
        if len(status) < 2 or not status[1].startswith("2"):
            return None
        for line in lines[1:]:
            name, _, value = line.partition(":")
            http_headers[name.strip().lower()] = value.strip()
        payload = block[match.end() :]
        content_type = http_headers.get("content-type")
        try:
            payload = _decode_transfer(payload, http_headers, max_bytes)
        except InputError as error:
            return Failure(where, "ingest", str(error))
    if content_type:
        if not content_type.lower().startswith(_HTML_MEDIA):
            return None
    elif not HTML_START.match(payload[:SNIFF_BYTES]):
        return None
    if len(payload) > max_bytes:
        return Failure(where, "ingest", f"too large ({mb(len(payload))} > {mb(max_bytes)} cap)")
    charset = _HEADER_CHARSET.search(content_type or "")
    captured = iso_date(warc_date) or _http_date(http_headers.get("date"))
    return document_from_bytes(
        payload,
        where,
        "text/html",
        captured,
        declared=charset.group(1) if charset else None,
        url=url,
    )


def _decode_transfer(payload: bytes, headers: dict[str, str], max_bytes: int) -> bytes:
    """Undo chunking and gzip where the payload really has them (archives often stored it decoded); the gzip is
    inflated no further than the cap, so a small record cannot fill memory."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        payload = _dechunk(payload) or payload
    if "gzip" in headers.get("content-encoding", "").lower() and payload[:2] == b"\x1f\x8b":
        decompressor = zlib.decompressobj(wbits=31)
        try:
            decoded = decompressor.decompress(payload, max_bytes + 1)
        except zlib.error:
            return payload  # not gzip after all: read as it is
        if len(decoded) > max_bytes:
            raise InputError(f"too large (gzip content decompresses to more than the {mb(max_bytes)} cap)")
        if not decompressor.eof:
            raise InputError("truncated gzip content (the response body is cut off)")
        payload = decoded
    return payload


def _dechunk(payload: bytes) -> bytes | None:
    out = bytearray()
    position = 0
    while True:
        end = payload.find(b"\r\n", position)
        if end < 0:
            return None
        try:
            size = int(payload[position:end].split(b";")[0], 16)
        except ValueError:
            return None
        if size == 0:
            return bytes(out)
        out += payload[end + 2 : end + 2 + size]
        position = end + 2 + size + 2


def _http_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed.astimezone(UTC).date().isoformat() if parsed.tzinfo else parsed.date().isoformat()


def warc_record_starts(file: Path) -> list[int]:
    """Byte offsets of the records a WARC read yields (responses and resources), headers only: payloads are skipped."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    wanted = WarcRecordType.response | WarcRecordType.resource
    with file.open("rb") as handle:
        return [int(record.stream_pos) for record in ArchiveIterator(handle, record_types=wanted, parse_http=False)]


def member_starts(file: Path, starts: list[int]) -> bool:
    """Whether every offset opens a gzip member, as in a WARC gzipped record by record."""
    with file.open("rb") as handle:
        for start in starts:
            handle.seek(start)
            if handle.read(2) != GZIP_MAGIC:
                return False
    return True
