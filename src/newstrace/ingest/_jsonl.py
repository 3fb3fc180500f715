"""JSON Lines: one object per line with an ``html`` or ``text`` string; a bad line is a Failure naming its number."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from newstrace.ingest._common import InputError, iso_date, mb, sha256, short
from newstrace.ingest._decode import document_from_bytes, looks_binary
from newstrace.model import Document, Failure

__all__ = ["from_jsonl", "line_starts"]


def from_jsonl(
    data: bytes, source: str, max_bytes: int, captured: str, *, first: int = 0
) -> Iterator[Document | Failure]:
    if looks_binary(data):
        # An image or archive named .jsonl is one bad input, not thousands of "lines" that are not JSON.
        yield Failure(source, "ingest", "binary data, not text (control bytes)", sha256(data))
        return
    for number, line in enumerate(data.splitlines(), start=first + 1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            item = json.loads(line)
        except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
            yield Failure(where, "ingest", f"line is not JSON ({short(str(error))})", sha256(line))
            continue
        except RecursionError:
            yield Failure(
                where, "ingest", "line is not JSON we read (arrays or objects nested too deeply)", sha256(line)
            )
            continue
        if not isinstance(item, dict):
            yield Failure(where, "ingest", "line is not a JSON object", sha256(line))
            continue
        html, text = item.get("html"), item.get("text") or item.get("content")
        body = html if isinstance(html, str) else text
        if not isinstance(body, str) or not body.strip():
            yield Failure(where, "ingest", "object has no 'html' or 'text' string", sha256(line))
            continue
        encoded = body.encode("utf-8", "surrogatepass")
        if len(encoded) > max_bytes:
            yield Failure(where, "ingest", f"too large ({mb(len(encoded))} > {mb(max_bytes)} cap)")
            continue
        yield document_from_bytes(
            encoded,
            where,
            "text/html" if isinstance(html, str) else "text/plain",
            captured,
            declared="utf-8",
            url=_string(item.get("url")),
            title=_string(item.get("title") or item.get("headline")),
            published=iso_date(_string(item.get("published") or item.get("date"))),
        )


def line_starts(file: Path) -> list[int]:
    """Byte offsets of the lines of a JSONL file (as ``bytes.splitlines`` numbers them: LF, CR LF or CR)."""
    starts, position = [], 0
    with file.open("rb") as handle:
        for line in handle:  # splits at LF only; a lone CR inside would renumber the lines: read those whole
            if b"\r" in line.rstrip(b"\r\n"):
                raise InputError("carriage returns inside lines")
            starts.append(position)
            position += len(line)
    return starts


def _string(value: object) -> str | None:
    """A stripped string field (``document_from_bytes`` takes out what no store can hold, lone surrogates too)."""
    if not isinstance(value, str):
        return None
    return value.strip() or None
