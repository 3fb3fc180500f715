"""Bytes to text: byte-order marks, declared charsets read as browsers read them, detection last; HTML depth.

Also the Documents of texts and pages already in memory (``analyze_text``, ``analyze_html``, the server's requests).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import AnyStr

from newstrace.ingest._common import SNIFF_BYTES, InputError, sha256
from newstrace.ingest._depth import nests_deeper_than
from newstrace.model import Document, Failure, MediaType

__all__ = [
    "MAX_HTML_DEPTH",
    "Decoding",
    "check_html_depth",
    "decode_bytes",
    "decoded",
    "document_from_bytes",
    "html_document",
    "looks_binary",
    "storable",
    "text_document",
]

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HIGH_BYTES = bytes(range(0x80, 0x100))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Bytes that text in an ASCII-compatible encoding does not hold (tab, newline, form feed, CR and ESC it may).
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
# Past this share of control bytes or characters, input is binary data: random bytes hold about 11 %, text none.
_BINARY_SHARE = 0.02
_FEW_CONTROLS = 3
_SAMPLE = 65536
# What PostgreSQL text and XML 1.0 cannot hold: NUL and the C0 controls but tab, newline and CR; U+FFFE, U+FFFF;
# surrogates, which only a lone half (JSON can escape one) or a byte that did not decode leaves in a str.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_UNSTORABLE_REMOVED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Each byte that does not decode, whatever the codec, becomes U+DC00 + its value (surrogateescape does this for
# bytes from 0x80 only; a multibyte codec's bad sequence can hold ASCII bytes), to be counted and shown as U+FFFD.
_BAD_BYTES = "newstrace-bad-bytes"
_ESCAPED_BYTE = re.compile("[\udc00-\udcff]")


def _escape_bad_bytes(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "".join(chr(0xDC00 + byte) for byte in error.object[error.start : error.end]), error.end


codecs.register_error(_BAD_BYTES, _escape_bad_bytes)

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
    """The Document in one input's bytes, or a Failure saying why not (``declared``: a charset from an HTTP header).

    Damaged bytes are shown as U+FFFD and characters no store can hold taken out; the Document's warnings say so.
    """
    try:
        decoding = decoded(data, declared=declared, html=media_type == "text/html")
        text, warnings = storable(decoding.text)
        if media_type == "text/html":
            check_html_depth(text)
    except InputError as error:
        return Failure(source, "ingest", str(error), sha256(data))
    if decoding.bad_bytes:
        warnings.insert(
            0, f"{_count(decoding.bad_bytes, 'byte')} not valid {_named(decoding.encoding)}, shown as U+FFFD"
        )
    if decoding.contradicted:
        named = _named(decoding.contradicted)
        warnings.insert(0, f"declared {named}, but its bytes are not: read as {decoding.encoding}")
    return Document(
        source=source,
        raw=text,
        media_type=media_type,
        source_hash=sha256(data),
        url=_storable_field(url),
        title=_storable_field(title),
        published=_storable_field(published),
        captured=captured,
        encoding=decoding.encoding,
        warnings=warnings,
    )


def text_document(
    text: str, *, headline: str | None = None, url: str | None = None, published: str | None = None
) -> Document:
    """The Document of a plain text in memory, named ``<text>`` (``published`` as YYYY-MM-DD)."""
    kept, warnings = storable(text)
    return Document(
        "<text>",
        kept,
        "text/plain",
        _text_hash(text),
        _storable_field(url),
        _storable_field(headline),
        _storable_field(published),
        warnings=warnings,
    )


def html_document(html: str, *, url: str | None = None) -> Document | Failure:
    """The Document of an HTML page in memory, named ``<html>``; a Failure for a page nested too deep to parse."""
    kept, warnings = storable(html)
    try:
        check_html_depth(kept)
    except InputError as error:
        return Failure("<html>", "ingest", str(error), _text_hash(html))
    return Document("<html>", kept, "text/html", _text_hash(html), _storable_field(url), warnings=warnings)


def _storable_field(value: str | None) -> str | None:
    """A metadata string (a title, a URL) without the characters no store can hold."""
    return storable(value)[0] if value is not None else None


def _text_hash(text: str) -> str:
    # The hash ingest gives the same content read from a UTF-8 file, so both name it alike.
    return sha256(text.encode("utf-8", "surrogatepass"))


MAX_HTML_DEPTH = 3000
# More opening tags in a row than the limit, with text but no closing tag between them: how nesting bombs are built.
_OPENING_RUN = re.compile(r"(?:<[A-Za-z][^<>]*>[^<]*){" + str(MAX_HTML_DEPTH + 1) + "}")


def check_html_depth(html: str) -> None:
    """Refuse HTML that opens more than MAX_HTML_DEPTH elements without closing one: parsers take seconds on it.

    A page with fewer tags than the limit cannot nest that deep, and is passed at once; a plain run is found by one
    regular expression (about 0.4 ms on a typical news page), nesting hidden by comments, CDATA, processing
    instructions or stray end tags by walking the tags as a parser does (about 3 ms).
    """
    if html.count("<") > MAX_HTML_DEPTH and (_OPENING_RUN.search(html) or nests_deeper_than(html, MAX_HTML_DEPTH)):
        raise InputError(f"HTML nested deeper than {MAX_HTML_DEPTH:,} elements")


def decode_bytes(data: bytes, declared: str | None = None, html: bool = False) -> tuple[str, str]:
    """Text and encoding name of raw bytes; raises InputError for empty input and input that is mostly not text.

    The text may hold U+FFFD for damaged bytes and characters no store can hold: ``decoded`` says what it changed.
    """
    decoding = decoded(data, declared=declared, html=html)
    return decoding.text, decoding.encoding


@dataclass(frozen=True, slots=True)
class Decoding:
    """Text as decoded, its encoding, and the bytes that did not decode (each shown as U+FFFD)."""

    text: str
    encoding: str
    bad_bytes: int = 0
    contradicted: str | None = None  # the declared encoding the bytes are not in, where detection read them


def decoded(data: bytes, declared: str | None = None, html: bool = False) -> Decoding:
    """The text of raw bytes as browsers read them, damaged bytes shown as U+FFFD; InputError for what is not text."""
    if not data.strip():
        raise InputError("empty input")
    for bom, bom_codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom) and not (bom_codec == "utf-16" and _utf8_after_stray_bytes(data[len(bom) :])):
            return _checked(_lenient(data, bom_codec), bom_codec)
    if _binary(data):
        codec = _utf16_by_its_zeros(data)
        if codec is None:
            raise InputError("binary data, not text (control bytes)")
        return _checked(_lenient(data, codec), codec)
    # The HTTP header wins over the page's own <meta> (as in browsers); a declaration the bytes contradict gives way
    # to the next one, and only then to guessing, which misreads short pages (a GBK "請" is valid UTF-8 "Ո").
    declarations = [declared]
    if html:
        match = _META_CHARSET.search(data[:SNIFF_BYTES])
        if match:
            declarations.append(match.group(1).decode("ascii", "replace"))
    codecs_declared = list(dict.fromkeys(codec for codec in map(_normalise_codec, declarations) if codec))
    candidates = [
        candidate for codec in codecs_declared or ["utf-8"] for candidate in _WHATWG_SUPERSETS.get(codec, (codec,))
    ]
    for candidate in candidates:
        try:
            return _checked(Decoding(data.decode(candidate), candidate), candidate)
        except UnicodeDecodeError:
            continue  # the declaration was wrong; try the next one
    # No declaration fits every byte. Damaged UTF-8 (a stray byte in a page of curly quotes) is read as UTF-8 with
    # U+FFFD where the damage is: a legacy code page would misread every valid sequence instead ("“" as "ÔÇť").
    utf8 = _lenient(data, "utf-8")
    non_ascii = _non_ascii(data)
    valid = non_ascii - utf8.bad_bytes
    if ("utf-8" in codecs_declared and utf8.bad_bytes <= max(valid, len(data) // 1000)) or (
        valid > 0 and utf8.bad_bytes <= valid
    ):
        return _checked(utf8, "utf-8")
    for candidate in candidates:
        if candidate != "utf-8":
            attempt = _lenient(data, candidate)
            if attempt.bad_bytes * 20 <= non_ascii:  # a few damaged characters in a page
                return _checked(attempt, candidate)
    detected = _detected(data)
    if codecs_declared:
        return Decoding(detected.text, detected.encoding, detected.bad_bytes, codecs_declared[0])
    return detected


def _utf8_after_stray_bytes(rest: bytes) -> bool:
    """Whether what follows a UTF-16 byte-order mark is UTF-8 text, the mark two stray bytes: no zero byte (Latin
    letters in UTF-16 have one in every other byte) and valid UTF-8 but for a few bytes (UTF-16 in other scripts
    makes invalid UTF-8 of nearly every character)."""
    sample = rest[:SNIFF_BYTES]
    if not sample.strip() or b"\x00" in sample:
        return False
    reading = _lenient(sample, "utf-8")
    return reading.bad_bytes * 20 <= max(_non_ascii(sample), 20)


def _utf16_by_its_zeros(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark, known by a zero in nearly every other byte (text in Latin letters)."""
    sample = data[: SNIFF_BYTES * 4]
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


def _detected(data: bytes) -> Decoding:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:262144]).best()
    if best is None or best.encoding is None:
        raise InputError("undecodable (no text encoding fits)")
    attempt = _lenient(data, best.encoding)
    if attempt.bad_bytes * 20 > _non_ascii(data):  # the guess fits the sample, not the whole input
        raise InputError(f"undecodable (as {best.encoding}: {attempt.bad_bytes:,} bytes do not fit)")
    return _checked(attempt, best.encoding)


def _lenient(data: bytes, codec: str) -> Decoding:
    """The bytes decoded with each one that does not fit shown as U+FFFD, and how many did not."""
    try:
        text = data.decode(codec, _BAD_BYTES)
    except LookupError as error:
        raise InputError(f"undecodable (as {codec}: {error})") from None
    shown, bad = _ESCAPED_BYTE.subn("\ufffd", text)
    return Decoding(shown, codec, bad)


def _non_ascii(data: bytes) -> int:
    """How many bytes are 0x80 or above (counted in C: a 20 MB page is not made a list of its bytes)."""
    return len(data) - len(data.translate(None, _HIGH_BYTES))


def _checked(decoding: Decoding, codec: str) -> Decoding:
    """The decoding, unless its text is mostly control characters: binary data a code page happened to decode."""
    sample = _sampled(decoding.text)
    if _too_many(len(_CONTROL.findall(sample)), len(sample)):
        raise InputError(f"binary data, not text (control characters after {codec} decoding)")
    return decoding


def _binary(data: bytes) -> bool:
    """Whether control bytes (NUL and the others text never holds) abound in samples from the start, middle and end.

    Text in an ASCII-compatible encoding holds next to none; compressed or executable data about one byte in nine.
    One stray NUL in a page is damage, not binary data: it is taken out when the page is decoded.
    """
    sample = _sampled(data)
    return _too_many(len(_CONTROL_BYTES.findall(sample)), len(sample))


def _too_many(controls: int, length: int) -> bool:
    # A share, and more than a few: one NUL in a 30-byte JSON string is damage to take out, not binary data.
    return controls > _BINARY_SHARE * length and controls > _FEW_CONTROLS


def looks_binary(data: bytes) -> bool:
    """Whether bytes are binary data rather than text in any encoding this reads (UTF-16 without a mark included)."""
    return _binary(data) and _utf16_by_its_zeros(data) is None


def _sampled(data: AnyStr) -> AnyStr:
    """The start, middle and end of a long input: damage anywhere weighs, and a check reads at most 192 KiB."""
    if len(data) <= 3 * _SAMPLE:
        return data
    middle = len(data) // 2 - _SAMPLE // 2
    return data[:_SAMPLE] + data[middle : middle + _SAMPLE] + data[-_SAMPLE:]


def storable(text: str) -> tuple[str, list[str]]:
    """The text without the characters PostgreSQL text or XML 1.0 cannot hold, and a line per kind taken out.

    NUL, the C0 controls other than tab, newline and carriage return, U+FFFE and U+FFFF are removed; a lone
    surrogate (half of a pair JSON can escape) becomes U+FFFD, as a byte that does not decode does.
    """
    if not _UNSTORABLE.search(text):
        return text, []
    removed = _UNSTORABLE_REMOVED.findall(text)
    surrogates = len(_SURROGATE.findall(text))
    notes = []
    if removed:
        kinds = sorted(set(removed))
        named = ", ".join(f"U+{ord(char):04X}" for char in kinds[:3]) + (", …" if len(kinds) > 3 else "")
        notes.append(f"{_count(len(removed), 'character')} no store can hold removed ({named})")
    if surrogates:
        notes.append(f"{_count(surrogates, 'lone surrogate')} replaced by U+FFFD")
    return _SURROGATE.sub("\ufffd", _UNSTORABLE_REMOVED.sub("", text)), notes


def _named(codec: str) -> str:
    return "UTF-8" if codec.startswith("utf-8") else codec


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _normalise_codec(name: str | None) -> str | None:
    if not name:
        return None
    import codecs

    try:
        canonical = codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None
    return "utf-8" if canonical in ("utf-8", "ascii") else canonical
