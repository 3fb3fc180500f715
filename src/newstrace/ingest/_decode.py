"""Bytes to text: byte-order marks, declared charsets read as browsers read them, detection last; HTML depth.

Also the Documents of texts and pages already in memory (``analyze_text``, ``analyze_html``, the server's requests).
"""

from __future__ import annotations

import re

from newstrace.ingest._common import SNIFF_BYTES, InputError, sha256
from newstrace.model import Document, Failure, MediaType

__all__ = [
    "MAX_HTML_DEPTH",
    "check_html_depth",
    "decode_bytes",
    "document_from_bytes",
    "html_document",
    "text_document",
]

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_NON_ASCII = re.compile(rb"[\x80-\xff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
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
    """The Document in one input's bytes, or a Failure saying why not (``declared``: a charset from an HTTP header)."""
    try:
        text, encoding = decode_bytes(data, declared=declared, html=media_type == "text/html")
        if media_type == "text/html":
            check_html_depth(text)
    except InputError as error:
        return Failure(source, "ingest", str(error), sha256(data))
    return Document(
        source=source,
        raw=text,
        media_type=media_type,
        source_hash=sha256(data),
        url=url,
        title=title,
        published=published,
        captured=captured,
        encoding=encoding,
    )


def text_document(
    text: str, *, headline: str | None = None, url: str | None = None, published: str | None = None
) -> Document:
    """The Document of a plain text in memory, named ``<text>`` (``published`` as YYYY-MM-DD)."""
    return Document("<text>", text, "text/plain", _text_hash(text), url, headline, published)


def html_document(html: str, *, url: str | None = None) -> Document | Failure:
    """The Document of an HTML page in memory, named ``<html>``; a Failure for a page nested too deep to parse."""
    try:
        check_html_depth(html)
    except InputError as error:
        return Failure("<html>", "ingest", str(error), _text_hash(html))
    return Document("<html>", html, "text/html", _text_hash(html), url)


def _text_hash(text: str) -> str:
    # The hash ingest gives the same content read from a UTF-8 file, so both name it alike.
    return sha256(text.encode("utf-8", "surrogatepass"))


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
        match = _META_CHARSET.search(data[:SNIFF_BYTES])
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
