"""HTML main text and metadata through trafilatura, located back in the raw HTML."""

from __future__ import annotations

import contextlib
import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any
from urllib.parse import urlsplit

from newstrace.clean._lines import Line
from newstrace.model import RemovedSpan

# Text a reader sees sits between a tag's end and the next tag, outside scripts, styles and comments.
_TEXT_CHUNK = re.compile(r">\s*([^<\s][^<]*)")
_BODY_START = re.compile(r"<body\b", re.I)
_HIDDEN_START = re.compile(r"<(script|style|noscript|template|svg)\b|<!--", re.I)
_HIDDEN_END = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("script", "style", "noscript", "template", "svg")}
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?", re.I)
_BULLET = re.compile(r"^[-*•]\s+")
_PROBE = 40
_ANCHOR = re.compile(r"<a\b[^>]*>(.*?)</a\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
_BARE_URL = re.compile(r"\S+://\S+")
# The page's closing lines that are mostly link text ("Leggi anche su: ...", "Subscribe to ... on YouTube"), or list
# items opening with a link (a related story's headline and its teaser), are its related-links and follow-us blocks.
# By the HTML's link density and the position, not by words: shape alone also took articles' own lists (0.959 on AEB).
_LINKED_LINE_SHARE = 0.7
_LINKED_ITEM_SHARE = 0.25
_LINK_LINE_CHARS = 160


@dataclass(slots=True)
class HtmlExtraction:
    """What trafilatura found in a page: main-text lines located in the raw HTML, and metadata."""

    lines: list[Line]
    removed: list[RemovedSpan]
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    site: str | None = None
    url: str | None = None
    language: str | None = None


def extract_html(raw: str, url: str | None) -> HtmlExtraction | None:
    """Main text and metadata of an HTML page, or None when the page has no main text."""
    from trafilatura.utils import load_html

    tree = load_html(raw)
    if tree is None:
        return None
    meta = _metadata(tree, url, declares_author='"author"' in raw)
    text = _main_text(tree, url)
    if not text.strip():
        return None
    lines, removed = _locate(raw, [part for part in text.split("\n") if part.strip()])
    lines, closing_links = _without_closing_links(raw, lines)
    removed = sorted(removed + closing_links, key=lambda span: span.start)
    language_match = _HTML_LANG.search(raw[:20000])
    return HtmlExtraction(
        lines=lines,
        removed=removed,
        title=headline_without_site(_clean(meta.title), _clean(meta.sitename), _clean(meta.url) or url),
        authors=[name.strip() for name in re.split(r";|\band\b", meta.author or "") if name.strip()],
        date=meta.date,
        site=_clean(meta.sitename),
        url=_clean(meta.url) or url,
        language=language_match.group(1).lower() if language_match else None,
    )


def _main_text(tree: Any, url: str | None) -> str:
    """trafilatura's main text: its quick pass, and its full comparison with fallback extractors
    when the quick pass finds less than trafilatura's own minimum extracted size."""
    import trafilatura
    from trafilatura.settings import DEFAULT_CONFIG

    options: dict[str, Any] = {"url": url, "include_comments": False, "include_images": False}
    quick = getattr(trafilatura.bare_extraction(tree, fast=True, **options), "text", None) or ""
    if len(quick) >= DEFAULT_CONFIG.getint("DEFAULT", "MIN_EXTRACTED_SIZE"):
        return quick
    full = getattr(trafilatura.bare_extraction(tree, favor_precision=True, **options), "text", None) or ""
    return full or quick


def _metadata(tree: Any, url: str | None, declares_author: bool) -> Any:
    """Title, author, date, site and URL from trafilatura's metadata readers and htmldate.

    trafilatura.extract_metadata also searches the DOM for authors and reads categories and
    tags, which costs more than the main-text extraction saves; meta tags and JSON-LD give
    the author where a page declares one, and bylines in the text are read by the line rules.
    JSON-LD is parsed only when it can add something: a missing title, or a declared author.
    """
    from htmldate import find_date
    from trafilatura.metadata import (
        examine_meta,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )

    meta = examine_meta(tree)
    if not meta.title or (declares_author and not meta.author):
        # trafilatura's JSON-LD reader raises on malformed blocks; the meta tags still hold.
        with contextlib.suppress(Exception):
            meta = extract_meta_json(tree, meta)
    if meta.author and " " not in meta.author:
        meta.author = None  # a single token is a handle or a site, not a person's name
    meta.title = meta.title or extract_title(tree)
    meta.url = meta.url or extract_url(tree, url)
    meta.date = find_date(tree, url=meta.url, extensive_search=False, original_date=True)
    meta.sitename = (meta.sitename or extract_sitename(tree) or "").lstrip("@") or None
    return meta


# Where a page's title joins the headline and the site's name: "Headline | Site", "Site - Headline".
_TITLE_SEPARATOR = re.compile(r"\s+[|–—:·•»-]{1,2}\s+|\s*\|\s*")


def _site_key(text: str) -> str:
    return re.sub(r"[^\w]", "", text.lower()).removeprefix("www")


def headline_without_site(title: str | None, site: str | None, url: str | None) -> str | None:
    """The headline of a page's title, the site's name taken off either end (from ``og:site_name`` or the URL's
    host); None when the title is nothing but the site's name."""
    if not title:
        return None
    names = set()
    if site:
        names.add(_site_key(site))
    host = urlsplit(url).hostname if url else None
    if host:
        parts = host.lower().removeprefix("www.").split(".")
        names.update({_site_key(".".join(parts)), _site_key(parts[0])})
    names.discard("")
    if not names:
        return title

    def is_site(piece: str) -> bool:
        key = _site_key(piece)
        # A short piece holding the name ("BBC News", "RT World News") is the site, a sentence that mentions it is not.
        return bool(key) and any(
            key == name
            or (len(key) >= 4 and key in name)
            or (len(name) >= 2 and name in key and len(key) <= len(name) + 12)
            for name in names
        )

    if is_site(title):
        return None
    pieces = _TITLE_SEPARATOR.split(title)
    if len(pieces) > 1 and is_site(pieces[-1]):
        return headline_without_site(title[: title.rfind(pieces[-1])].rstrip(" |–—:·•»-"), site, url)
    if len(pieces) > 1 and is_site(pieces[0]):
        rest = title[len(pieces[0]) :].lstrip(" |–—:·•»-")
        return headline_without_site(rest, site, url)
    return title


def _clean(value: object) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


@dataclass(slots=True)
class _VisibleText:
    """The page's visible text with whitespace removed, and where each chunk sits in the raw HTML."""

    stream: str
    chunk_stream_starts: list[int]
    chunk_raw: list[tuple[int, int]]

    def raw_offset(self, position: int, *, end: bool) -> int:
        chunk = max(0, bisect_right(self.chunk_stream_starts, position - (1 if end else 0)) - 1)
        stream_start = self.chunk_stream_starts[chunk]
        stream_end = (
            self.chunk_stream_starts[chunk + 1] if chunk + 1 < len(self.chunk_stream_starts) else len(self.stream)
        )
        raw_start, raw_end = self.chunk_raw[chunk]
        if end and position >= stream_end:
            return raw_end
        if not end and position <= stream_start:
            return raw_start
        scale = (raw_end - raw_start) / max(1, stream_end - stream_start)
        return min(raw_end, raw_start + round((position - stream_start) * scale))


def _visible_text(raw: str) -> _VisibleText:
    # The head holds no main text: start at the body. Then blank scripts, styles and comments
    # with "<", which no text chunk can contain, so one regex pass finds the visible text.
    body = _BODY_START.search(raw)
    position = body.start() if body else 0
    pieces: list[str] = ["<" * position]
    for start, end in _hidden_regions(raw, position):
        pieces += (raw[position:start], "<" * (end - start))
        position = end
    shown = "".join(pieces) + raw[position:]
    matches = list(_TEXT_CHUNK.finditer(shown))
    chunks = [m[1] for m in matches]
    squeezed = ["".join((html.unescape(c) if "&" in c else c).split()) for c in chunks]
    starts = list(accumulate(map(len, squeezed), initial=0))[:-1]
    spans = [(m.start(1), m.start(1) + len(c.rstrip())) for m, c in zip(matches, chunks, strict=True)]
    return _VisibleText("".join(squeezed), starts, spans)


def _hidden_regions(raw: str, position: int = 0) -> list[tuple[int, int]]:
    """Sorted raw ranges of scripts, styles and comments from ``position`` (an unclosed one runs to the end)."""
    regions = []
    while (match := _HIDDEN_START.search(raw, position)) is not None:
        if match[1] is None:
            end = raw.find("-->", match.end())
            end = len(raw) if end < 0 else end + 3
        else:
            closing = _HIDDEN_END[match[1].lower()].search(raw, match.end())
            end = len(raw) if closing is None else closing.end()
        regions.append((match.start(), end))
        position = end
    return regions


def _locate(raw: str, texts: list[str]) -> tuple[list[Line], list[RemovedSpan]]:
    """Each extracted line with its raw span (None where it cannot be found); raw text left out."""
    visible = _visible_text(raw)
    lines: list[Line] = []
    covered: list[tuple[int, int]] = []
    cursor = 0
    for number, text in enumerate(texts):
        clean_text = " ".join(text.split())
        found = _find(visible.stream, "".join(_BULLET.sub("", clean_text).split()), cursor)
        if found is None:
            lines.append(Line(clean_text, None, None, False, number))
            continue
        start, end = found
        cursor = end
        covered.append((start, end))
        lines.append(
            Line(
                clean_text,
                visible.raw_offset(start, end=False),
                visible.raw_offset(end, end=True),
                False,
                number,
            )
        )
    return lines, _left_out(raw, visible, covered)


def _find(stream: str, key: str, cursor: int) -> tuple[int, int] | None:
    if not key:
        return None
    for origin in (cursor, 0):
        start = stream.find(key, origin)
        if start >= 0:
            return start, start + len(key)
    if len(key) < 2 * _PROBE:
        return None
    for origin in (cursor, 0):
        start = stream.find(key[:_PROBE], origin)
        if start < 0:
            continue
        tail = stream.find(key[-_PROBE:], start)
        if tail >= 0 and tail + _PROBE - start <= 2 * len(key):
            return start, tail + _PROBE
    return None


def _left_out(raw: str, visible: _VisibleText, covered: list[tuple[int, int]]) -> list[RemovedSpan]:
    """Visible text chunks that no extracted line covers."""
    starts = visible.chunk_stream_starts
    kept = bytearray(len(starts))
    for start, end in covered:
        first = max(0, bisect_right(starts, start) - 1)
        last = bisect_right(starts, end - 1)
        kept[first:last] = b"\x01" * (last - first)
    return [
        RemovedSpan(raw_start, raw_end, raw[raw_start:raw_end], "outside main content")
        for (raw_start, raw_end), keep in zip(visible.chunk_raw, kept, strict=True)
        if not keep
    ]


def _link_regions(raw: str) -> list[tuple[int, int]]:
    """Raw ranges of the text inside the page's links, in order."""
    return [(match.start(1), match.end(1)) for match in _ANCHOR.finditer(raw)]


def _shown_length(fragment: str) -> int:
    return len("".join(_TAG.sub("", fragment).split()))


def _link_share(raw: str, line: Line, regions: list[tuple[int, int]], region_starts: list[int]) -> float:
    """The share of a located line's visible characters that sit inside links (0 for a line not located)."""
    if line.raw_start is None or line.raw_end is None:
        return 0.0
    total = _shown_length(raw[line.raw_start : line.raw_end])
    if not total:
        return 0.0
    linked = 0
    index = max(0, bisect_right(region_starts, line.raw_start) - 1)
    while index < len(regions) and regions[index][0] < line.raw_end:
        low, high = max(regions[index][0], line.raw_start), min(regions[index][1], line.raw_end)
        if low < high:
            linked += _shown_length(raw[low:high])
        index += 1
    return linked / total


def _without_closing_links(raw: str, lines: list[Line]) -> tuple[list[Line], list[RemovedSpan]]:
    """The lines before the page's closing run of link lines, and that run as removed spans (one line always stays)."""
    regions = _link_regions(raw)
    region_starts = [start for start, _ in regions]

    def is_link_line(line: Line) -> bool:
        if len(line.text) > _LINK_LINE_CHARS or _BARE_URL.fullmatch(line.text):
            return False  # a long line is prose; a bare address is often the article's own reference
        share = _link_share(raw, line, regions, region_starts)
        return share >= _LINKED_LINE_SHARE or (line.text.startswith("- ") and share >= _LINKED_ITEM_SHARE)

    end = len(lines)
    while end > 1 and is_link_line(lines[end - 1]):
        end -= 1
    removed = [
        RemovedSpan(line.raw_start, line.raw_end, raw[line.raw_start : line.raw_end], "related links")
        for line in lines[end:]
        if line.raw_start is not None and line.raw_end is not None
    ]
    return lines[:end], removed
