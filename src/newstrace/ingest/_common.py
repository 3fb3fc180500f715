"""What every ingest reader shares: the error, the cap, the sniffing facts and the helpers of reason lines."""

from __future__ import annotations

import hashlib
import re
from datetime import date

__all__ = [
    "DEFAULT_MAX_BYTES",
    "GZIP_MAGIC",
    "HTML_START",
    "SNIFF_BYTES",
    "InputError",
    "iso_date",
    "mb",
    "sha256",
    "short",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SNIFF_BYTES = 4096
GZIP_MAGIC = b"\x1f\x8b"
HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|div|p|article)\b", re.I | re.S)


class InputError(Exception):
    """An input that cannot become a Document; the message is the reason a person reads."""


def iso_date(value: str | None) -> str | None:
    """The YYYY-MM-DD a value starts with, if it names a real day."""
    if not value:
        return None
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


def sha256(data: bytes) -> str:
    """The content hash that names an input."""
    return hashlib.sha256(data).hexdigest()


def mb(size: int) -> str:
    """A size for a reason line: in MB, or in bytes or KB where MB would read 0.0."""
    if size < 10_000:
        return f"{size:,} bytes"
    if size < 100_000:
        return f"{size / 1000:.1f} KB"
    return f"{size / 1_000_000:.1f} MB"


def short(text: str, limit: int = 80) -> str:
    """A text cut to ``limit`` characters for a reason line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
