"""Ingest: turn paths, directories, archives and stdin into Documents, rejecting bad input."""

from __future__ import annotations

import email.utils
import hashlib
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date
from pathlib import Path
from typing import BinaryIO

from newstrace.model import Document, Failure, MediaType

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_HTML_DEPTH",
    "InputError",
    "Shard",
    "check_html_depth",
    "decode_bytes",
    "document_from_bytes",
    "input_files",
    "iter_documents",
    "iter_shards",
    "read_shard",
    "source_name",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
_TEXT_SUFFIXES = {".txt", ".text"}
_JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_WARC_SUFFIXES = {".warc", ".arc"}
_HTML_MEDIA = ("text/html", "application/xhtml+xml")
_SNIFF_BYTES = 4096
_GZIP_MAGIC = b"\x1f\x8b"

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|div|p|article)\b", re.I | re.S)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Labels that pages declare while using their superset's characters, decoded as browsers do (WHATWG Encoding
# Standard): "gb2312" pages hold GBK characters such as 镕 or 請; "iso-8859-1" pages hold cp1252 quotes. The label's
# own codec stays as the last try: cp1252 leaves five bytes undefined that Latin-1 maps.
_WHATWG_SUPERSETS: dict[str, tuple[str, ...]] = {
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "iso8859-1": ("cp1252", "iso8859-1"),
    "iso8859-9": ("cp1254", "iso8859-9"),
    "tis-620": ("cp874", "tis-620"),
    "euc_kr": ("cp949",),
    "shift_jis": ("cp932", "shift_jis"),
    "big5": ("big5hkscs",),
}


class InputError(Exception):
    """An input that cannot become a Document; the message is the reason a person reads."""


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
        files = [(file, True) for file in input_files(target)] if _is_folder(target) else [(target, False)]
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
        yield from _from_stream(stdin if stdin is not None else sys.stdin.buffer, max_bytes, captured)
    elif shard.whole:
        yield from _from_file(Path(shard.path), max_bytes, captured, in_directory=shard.in_directory)
    elif _suffixes(Path(shard.path))[0] in _WARC_SUFFIXES:
        with open(shard.path, "rb") as handle:
            handle.seek(shard.offset)
            yield from _from_warc(handle, source_name(shard.path), max_bytes, first=shard.first, count=shard.count)
    else:
        with open(shard.path, "rb") as handle:
            handle.seek(shard.offset)
            lines = [handle.readline() for _ in range(shard.count or 0)]
        yield from _from_jsonl(b"".join(lines), source_name(shard.path), max_bytes, captured, first=shard.first)


def _split(file: Path, in_directory: bool, records_per_shard: int) -> Iterator[Shard]:
    """Runs of ``records_per_shard`` records of a WARC or lines of a JSONL file; the file whole where not splittable."""
    suffix, gzipped = _suffixes(file)
    starts: list[int] = []
    try:
        if suffix in _WARC_SUFFIXES and file.is_file():
            starts = _warc_record_starts(file)
            if gzipped and not _member_starts(file, starts):
                starts = []  # one gzip member for the whole file: a record's offset is no place to start reading
        elif suffix in _JSONL_SUFFIXES and not gzipped and file.is_file():
            starts = _line_starts(file)
    except Exception:  # a damaged file is read whole, where its reader names the damage
        starts = []
    if len(starts) <= records_per_shard:
        yield Shard(str(file), in_directory)
        return
    for first in range(0, len(starts), records_per_shard):
        count = min(records_per_shard, len(starts) - first)
        yield Shard(str(file), in_directory, offset=starts[first], first=first, count=count)


def _warc_record_starts(file: Path) -> list[int]:
    """Byte offsets of the records a WARC read yields (responses and resources), headers only: payloads are skipped."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    wanted = WarcRecordType.response | WarcRecordType.resource
    with file.open("rb") as handle:
        return [int(record.stream_pos) for record in ArchiveIterator(handle, record_types=wanted, parse_http=False)]


def _member_starts(file: Path, starts: list[int]) -> bool:
    """Whether every offset opens a gzip member, as in a WARC gzipped record by record."""
    with file.open("rb") as handle:
        for start in starts:
            handle.seek(start)
            if handle.read(2) != _GZIP_MAGIC:
                return False
    return True


def _line_starts(file: Path) -> list[int]:
    """Byte offsets of the lines of a JSONL file (as ``bytes.splitlines`` numbers them: LF, CR LF or CR)."""
    starts, position = [], 0
    with file.open("rb") as handle:
        for line in handle:  # splits at LF only; a lone CR inside would renumber the lines: read those whole
            if b"\r" in line.rstrip(b"\r\n"):
                raise InputError("carriage returns inside lines")
            starts.append(position)
            position += len(line)
    return starts


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


def _is_folder(path: Path) -> bool:
    """Whether the path is a folder; False where it cannot be looked at (a name too long): reading it says why."""
    try:
        return path.is_dir()
    except OSError:
        return False


def source_name(path: Path | str) -> str:
    """A path as results name it: bytes that are not UTF-8 and control characters escaped, one printable line."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return _NAME_CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def _suffixes(path: Path) -> tuple[str, bool]:
    """The format suffix of a file name and whether it is gzipped (``a.warc.gz`` -> .warc, True)."""
    suffixes = [s.lower() for s in path.suffixes]
    gzipped = bool(suffixes) and suffixes[-1] == ".gz"
    if gzipped:
        suffixes = suffixes[:-1]
    return (suffixes[-1] if suffixes else ""), gzipped


def _from_file(path: Path, max_bytes: int, captured: str, in_directory: bool) -> Iterator[Document | Failure]:
    source = source_name(path)
    suffix, gzipped = _suffixes(path)
    known = _HTML_SUFFIXES | _TEXT_SUFFIXES | _JSONL_SUFFIXES | _WARC_SUFFIXES
    if in_directory and suffix not in known:
        yield Failure(source, "ingest", f"unsupported file type ({suffix or 'no suffix'})")
        return
    try:
        if not path.exists():
            raise InputError("no such file")
        if not path.is_file():
            raise InputError("not a regular file")
        if suffix in _WARC_SUFFIXES:
            with path.open("rb") as handle:
                yield from _from_warc(handle, source, max_bytes)
            return
        size = path.stat().st_size
        if size > max_bytes and not gzipped:
            raise InputError(f"too large ({_mb(size)} > {_mb(max_bytes)} cap)")
        data = path.read_bytes() if not gzipped else _gunzip_file(path, max_bytes)
    except InputError as error:
        yield Failure(source, "ingest", str(error))
        return
    except OSError as error:
        yield Failure(source, "ingest", f"cannot read ({error.strerror or error})")
        return
    if suffix in _JSONL_SUFFIXES:
        yield from _from_jsonl(data, source, max_bytes, captured)
    elif suffix in _HTML_SUFFIXES:
        yield document_from_bytes(data, source, "text/html", captured)
    elif suffix in _TEXT_SUFFIXES:
        yield document_from_bytes(data, source, "text/plain", captured)
    else:
        yield from _sniffed(data, source, max_bytes, captured)


def _from_stream(stream: BinaryIO, max_bytes: int, captured: str) -> Iterator[Document | Failure]:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield Failure("<stdin>", "ingest", f"too large (more than the {_mb(max_bytes)} cap)")
        return
    yield from _sniffed(data, "<stdin>", max_bytes, captured)


def _sniffed(data: bytes, source: str, max_bytes: int, captured: str) -> Iterator[Document | Failure]:
    """Route bytes of unknown format by their content."""
    try:
        if data[:2] == b"\x1f\x8b":
            data = _gunzip_bytes(data, max_bytes)
        if data.startswith(b"WARC/"):
            yield from _from_warc(io.BytesIO(data), source, max_bytes)
            return
    except InputError as error:
        yield Failure(source, "ingest", str(error))
        return
    head = data[:_SNIFF_BYTES].lstrip()
    if head.startswith(b"{"):
        yield from _from_jsonl(data, source, max_bytes, captured)
    elif _HTML_START.match(data[:_SNIFF_BYTES]):
        yield document_from_bytes(data, source, "text/html", captured)
    else:
        yield document_from_bytes(data, source, "text/plain", captured)


def document_from_bytes(
    data: bytes,
    source: str,
    media_type: MediaType,
    captured: str | None,
    *,
    declared: str | None = None,
    url: str | None = None,
    title: str | None = None,
    published: str | None = None,
) -> Document | Failure:
    """The Document in one input's bytes, or a Failure saying why not (``declared``: a charset from an HTTP header)."""
    try:
        text, encoding = decode_bytes(data, declared=declared, html=media_type == "text/html")
        if media_type == "text/html":
            check_html_depth(text)
    except InputError as error:
        return Failure(source, "ingest", str(error), _sha256(data))
    return Document(
        source=source,
        raw=text,
        media_type=media_type,
        source_hash=_sha256(data),
        url=url,
        title=title,
        published=published,
        captured=captured,
        encoding=encoding,
    )


MAX_HTML_DEPTH = 3000
# More opening tags in a row than the limit, with text but no closing tag between them: how nesting bombs are built.
_OPENING_RUN = re.compile(r"(?:<[A-Za-z][^<>]*>[^<]*){" + str(MAX_HTML_DEPTH + 1) + "}")


def check_html_depth(html: str) -> None:
    """Refuse HTML that opens more than MAX_HTML_DEPTH elements without closing one: parsers take seconds on it.

    A page with fewer tags than the limit cannot nest that deep, and is passed at once; the run itself is found by
    one regular expression (about 0.4 ms on a typical news page).
    """
    if html.count("<") > MAX_HTML_DEPTH and _OPENING_RUN.search(html):
        raise InputError(f"HTML nested deeper than {MAX_HTML_DEPTH:,} elements")


def decode_bytes(data: bytes, declared: str | None = None, html: bool = False) -> tuple[str, str]:
    """Text and encoding name of raw bytes; raises InputError for empty, binary or corrupt input."""
    if not data.strip():
        raise InputError("empty input")
    for bom, bom_codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return _checked_text(_decode(data, bom_codec), bom_codec), bom_codec
    if b"\x00" in data[:65536]:
        codec = _utf16_by_its_zeros(data)
        if codec is None:
            raise InputError("binary data, not text (NUL bytes)")
        return _checked_text(_decode(data, codec), codec), codec
    # The HTTP header wins over the page's own <meta> (as in browsers); a declaration the bytes contradict gives way
    # to the next one, and only then to guessing, which misreads short pages (a GBK "請" is valid UTF-8 "Ո").
    declarations = [declared]
    if html:
        match = _META_CHARSET.search(data[:_SNIFF_BYTES])
        if match:
            declarations.append(match.group(1).decode("ascii", "replace"))
    codecs_declared = list(dict.fromkeys(codec for codec in map(_normalise_codec, declarations) if codec))
    for codec in codecs_declared or ["utf-8"]:
        for candidate in _WHATWG_SUPERSETS.get(codec, (codec,)):
            try:
                return _checked_text(data.decode(candidate), candidate), candidate
            except UnicodeDecodeError:
                continue  # the declaration was wrong; try the next one
    if "utf-8" in codecs_declared or (not codecs_declared and _looks_like_utf8(data)):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InputError(f"invalid UTF-8 (byte {error.start})") from None
    return _detected(data)


def _utf16_by_its_zeros(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark, known by a zero in nearly every other byte (text in Latin letters)."""
    sample = data[: _SNIFF_BYTES * 4]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) >= 0.9 * half and even.count(0) <= 0.1 * half:
        return "utf-16-le"
    if even.count(0) >= 0.9 * half and odd.count(0) <= 0.1 * half:
        return "utf-16-be"
    return None


def _detected(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:262144]).best()
    if best is None or best.encoding is None:
        raise InputError("undecodable (no text encoding fits)")
    return _checked_text(_decode(data, best.encoding), best.encoding), best.encoding


def _decode(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError) as error:
        raise InputError(f"undecodable (as {codec}: {error})") from None


def _checked_text(text: str, codec: str) -> str:
    sample = text[:65536]
    if _CONTROL.search(sample) and len(_CONTROL.findall(sample)) > 0.02 * len(sample):
        raise InputError(f"binary data, not text (control characters after {codec} decoding)")
    return text


def _looks_like_utf8(data: bytes) -> bool:
    """Most non-ASCII bytes form valid UTF-8 sequences: corrupt UTF-8 rather than a legacy code page."""
    non_ascii = len(_NON_ASCII.findall(data))
    if non_ascii == 0:
        return False
    in_sequences = sum(len(m) for m in _UTF8_MULTIBYTE.findall(data))
    return in_sequences >= 0.8 * non_ascii


def _normalise_codec(name: str | None) -> str | None:
    if not name:
        return None
    import codecs

    try:
        canonical = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return "utf-8" if canonical in ("utf-8", "ascii") else canonical


def _gunzip_file(path: Path, max_bytes: int) -> bytes:
    with path.open("rb") as handle:
        return _gunzip_stream(handle, max_bytes)


def _gunzip_bytes(data: bytes, max_bytes: int) -> bytes:
    return _gunzip_stream(io.BytesIO(data), max_bytes)


def _gunzip_stream(handle: BinaryIO, max_bytes: int) -> bytes:
    """Decompress every gzip member, refusing output over the cap and truncated streams."""
    out = bytearray()
    for piece in _inflated_members(handle, max_bytes + 1):
        out += piece
        if len(out) > max_bytes:
            raise InputError(f"too large (decompresses to more than the {_mb(max_bytes)} cap)")
    return bytes(out)


def _inflated_members(handle: BinaryIO, piece: int) -> Iterator[bytes]:
    """The inflated bytes of every gzip member from the handle's position on, at most ``piece`` bytes at a time.

    Bytes after the last whole member that open no other (a newline, padding) are passed over; InputError for
    corrupt data or a member cut off.
    """
    decompressor = zlib.decompressobj(wbits=31)
    while chunk := handle.read(1 << 16):
        while chunk:
            if decompressor.eof:
                if not _GZIP_MAGIC.startswith(chunk[:2]):
                    return
                decompressor = zlib.decompressobj(wbits=31)  # another member follows
            try:
                yield decompressor.decompress(chunk, piece)
            except zlib.error as error:
                raise InputError(f"corrupt gzip data ({error})") from None
            chunk = decompressor.unconsumed_tail or decompressor.unused_data
    if not decompressor.eof:
        raise InputError("truncated gzip stream (ends before its last member does)")


def _from_jsonl(
    data: bytes, source: str, max_bytes: int, captured: str, *, first: int = 0
) -> Iterator[Document | Failure]:
    for number, line in enumerate(data.splitlines(), start=first + 1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            item = json.loads(line)
        except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
            yield Failure(where, "ingest", f"line is not JSON ({_short(str(error))})", _sha256(line))
            continue
        except RecursionError:
            yield Failure(
                where, "ingest", "line is not JSON we read (arrays or objects nested too deeply)", _sha256(line)
            )
            continue
        if not isinstance(item, dict):
            yield Failure(where, "ingest", "line is not a JSON object", _sha256(line))
            continue
        html, text = item.get("html"), item.get("text") or item.get("content")
        body = html if isinstance(html, str) else text
        if not isinstance(body, str) or not body.strip():
            yield Failure(where, "ingest", "object has no 'html' or 'text' string", _sha256(line))
            continue
        encoded = body.encode("utf-8", "surrogatepass")
        if len(encoded) > max_bytes:
            yield Failure(where, "ingest", f"too large ({_mb(len(encoded))} > {_mb(max_bytes)} cap)")
            continue
        yield document_from_bytes(
            encoded,
            where,
            "text/html" if isinstance(html, str) else "text/plain",
            captured,
            declared="utf-8",
            url=_string(item.get("url")),
            title=_string(item.get("title") or item.get("headline")),
            published=_iso_date(_string(item.get("published") or item.get("date"))),
        )


def _from_warc(
    handle: BinaryIO, source: str, max_bytes: int, *, first: int = 0, count: int | None = None
) -> Iterator[Document | Failure]:
    """HTML response and resource records of a WARC file (``count`` of them from ``first``); others are passed over.

    Every record is read, wanted or not, so that the last one shows where the archive ends: fastwarc stops quietly at
    a record header cut short or a gzip member cut off, and either is reported here as a truncated archive.
    """
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    wanted = WarcRecordType.response | WarcRecordType.resource
    start = handle.tell()
    gzipped = handle.read(2) == _GZIP_MAGIC
    handle.seek(start)
    found = 0
    number = first - 1
    last_start = 0
    try:
        for record in ArchiveIterator(handle, parse_http=False):
            last_start = int(record.stream_pos)
            if not (record.headers.get("Content-Length") or "").strip().isdigit():
                yield Failure(source, "ingest", "truncated WARC (a record header is cut short); archive ends here")
                return
            if not record.record_type & wanted:
                continue
            number += 1
            if count is not None and number >= first + count:
                return
            where = f"{source}#{number}"
            declared_length = int(record.content_length)
            if declared_length > max_bytes + _SNIFF_BYTES:
                yield Failure(
                    where,
                    "ingest",
                    f"too large (WARC record of {_mb(declared_length)} > {_mb(max_bytes)} cap)",
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
            _check_gzip_tail(handle, last_start)  # fastwarc's stream_pos is the file's own offset
    except InputError as error:
        yield Failure(source, "ingest", f"truncated WARC ({error}); archive ends here")
        return
    except Exception as error:  # fastwarc raises several types on damaged archives
        yield Failure(source, "ingest", f"unreadable WARC ({_short(str(error)) or type(error).__name__})")
        return
    if not found and count is None:
        # Found by fuzzing: a damaged header ("WARC/0.") read as an archive with no records and left no trace.
        yield Failure(source, "ingest", "no HTML records (an empty or damaged WARC file)")


def _check_gzip_tail(handle: BinaryIO, position: int) -> None:
    """Raise InputError unless the gzip members from ``position`` (the last record's) run whole to the end of the file.

    Where ``position`` is not a member's start (one member for the whole archive), the file is checked from its start.
    """
    handle.seek(position)
    if handle.read(2) != _GZIP_MAGIC:
        position = 0
    handle.seek(position)
    for _ in _inflated_members(handle, 1 << 20):
        pass  # the output is not kept: only whether the stream is whole


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
    elif not _HTML_START.match(payload[:_SNIFF_BYTES]):
        return None
    if len(payload) > max_bytes:
        return Failure(where, "ingest", f"too large ({_mb(len(payload))} > {_mb(max_bytes)} cap)")
    charset = _HEADER_CHARSET.search(content_type or "")
    captured = _iso_date(warc_date) or _http_date(http_headers.get("date"))
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
            raise InputError(f"too large (gzip content decompresses to more than the {_mb(max_bytes)} cap)")
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


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


def _http_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed.astimezone(UTC).date().isoformat() if parsed.tzinfo else parsed.date().isoformat()


def _string(value: object) -> str | None:
    """A stripped string field, lone surrogates (JSON can escape them, UTF-8 cannot hold them) made U+FFFD."""
    if not isinstance(value, str):
        return None
    return _SURROGATE.sub("\ufffd", value).strip() or None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _mb(size: int) -> str:
    """A size for a reason line: in MB, or in bytes or KB where MB would read 0.0."""
    if size < 10_000:
        return f"{size:,} bytes"
    if size < 100_000:
        return f"{size / 1000:.1f} KB"
    return f"{size / 1_000_000:.1f} MB"


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
