"""Gzip: every member inflated no further than the cap; a stream cut off or corrupt is an InputError."""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from newstrace.ingest._common import GZIP_MAGIC, InputError, mb

__all__ = ["check_gzip_tail", "gunzip_bytes", "gunzip_file", "inflated_members"]


def gunzip_file(path: Path, max_bytes: int) -> bytes:
    with path.open("rb") as handle:
        return _gunzip_stream(handle, max_bytes)


def gunzip_bytes(data: bytes, max_bytes: int) -> bytes:
    return _gunzip_stream(io.BytesIO(data), max_bytes)


def _gunzip_stream(handle: BinaryIO, max_bytes: int) -> bytes:
    """Decompress every gzip member, refusing output over the cap and truncated streams."""
    out = bytearray()
    for piece in inflated_members(handle, max_bytes + 1):
        out += piece
        if len(out) > max_bytes:
            raise InputError(f"too large (decompresses to more than the {mb(max_bytes)} cap)")
    return bytes(out)


def inflated_members(handle: BinaryIO, piece: int) -> Iterator[bytes]:
    """The inflated bytes of every gzip member from the handle's position on, at most ``piece`` bytes at a time.

    Bytes after the last whole member that open no other (a newline, padding) are passed over; InputError for
    corrupt data or a member cut off.
    """
    decompressor = zlib.decompressobj(wbits=31)
    while chunk := handle.read(1 << 16):
        while chunk:
            if decompressor.eof:
                if not GZIP_MAGIC.startswith(chunk[:2]):
                    return
                decompressor = zlib.decompressobj(wbits=31)  # another member follows
            try:
                yield decompressor.decompress(chunk, piece)
            except zlib.error as error:
                raise InputError(f"corrupt gzip data ({error})") from None
            chunk = decompressor.unconsumed_tail or decompressor.unused_data
    if not decompressor.eof:
        raise InputError("truncated gzip stream (ends before its last member does)")


def check_gzip_tail(handle: BinaryIO, position: int) -> None:
    """Raise InputError unless the gzip members from ``position`` (the last record's) run whole to the end of the file.

    Where ``position`` is not a member's start (one member for the whole archive), the file is checked from its start.
    """
    handle.seek(position)
    if handle.read(2) != GZIP_MAGIC:
        position = 0
    handle.seek(position)
    for _ in inflated_members(handle, 1 << 20):
        pass  # the output is not kept: only whether the stream is whole
