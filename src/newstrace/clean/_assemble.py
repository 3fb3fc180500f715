"""Line rules in reading order (header zone, boilerplate, dateline), and the cleaned text with its source map."""

from __future__ import annotations

from dataclasses import dataclass, field

from newstrace.clean._boilerplate import boilerplate_reason
from newstrace.clean._header import (
    Dateline,
    byline_authors,
    date_line,
    find_dateline,
    is_title_like,
    near_duplicate,
    title_cased,
    words_of,
)
from newstrace.clean._lines import Line
from newstrace.clean.dates import ExplicitDate
from newstrace.model import RemovedSpan, SourceSegment, Span


@dataclass(slots=True)
class Assembly:
    """The cleaned text and everything the line rules found on the way."""

    text: str = ""
    paragraphs: list[Span] = field(default_factory=list)
    source_map: list[SourceSegment] = field(default_factory=list)
    removed: list[RemovedSpan] = field(default_factory=list)
    headline: str | None = None
    dateline: Dateline | None = None
    authors: list[str] = field(default_factory=list)
    header_dates: list[ExplicitDate] = field(default_factory=list)


def assemble(lines: list[Line], raw: str | None, *, headline: str | None, detect_title: bool) -> Assembly:
    """Apply the line rules in reading order and build the cleaned text with its source map."""
    result = Assembly(headline=headline)
    kept: list[Line] = []
    removed: list[tuple[Line, str]] = []
    body_start = _header_zone(lines, result, removed, detect_title)
    for line in lines[body_start:]:
        reason = boilerplate_reason(line.text)
        if reason is not None:
            removed.append((line, reason))
            continue
        if result.headline and not kept and _repeats_title(line, result.headline):
            removed.append((line, "repeated title"))
            continue
        if _before_dateline(kept, result) and (dateline := find_dateline(line.text)) is not None:
            result.dateline = dateline
            removed.append((line.cut(0, dateline.length), "dateline (kept as metadata)"))
            line = line.cut(dateline.length, len(line.text))
        if line.text:
            kept.append(line)
    _build_text(kept, result)
    result.removed = sorted(
        (_removed_span(line, reason, raw) for line, reason in removed if line.raw_start is not None and raw),
        key=lambda span: span.start,
    )
    return result


_LEADING_LINES = 2  # title-like lines (a related story's headline, a label) a dateline may follow


def _before_dateline(kept: list[Line], result: Assembly) -> bool:
    """Whether a dateline may still open the story: nothing kept yet, or only a few title-like lines.

    A page can put a related story's headline or a section label before the first paragraph; the
    dateline ("SIOUX FALLS, S.D. (AP) —") then opens the second or third line, not the first.
    """
    if result.dateline is not None or len(kept) > _LEADING_LINES:
        return False
    return all(is_title_like(line) for line in kept)


def _repeats_title(line: Line, headline: str) -> bool:
    """Whether the body's first line repeats the headline: a title-like line close to it, or its very words.

    A lede often restates its headline in a sentence ("Storm closes harbour for winter, officials say."): only a
    line that reads as a title, or equals the headline word for word, is a copy of it.
    """
    if words_of(line.text) == words_of(headline):
        return True
    return is_title_like(line) and near_duplicate(line.text, headline)


def _header_zone(lines: list[Line], result: Assembly, removed: list[tuple[Line, str]], detect_title: bool) -> int:
    """Handle the title lines, bylines and date stamps that open a page; return where the body starts."""
    found: list[tuple[int, str]] = []
    authors: list[str] = []
    stamps: list[ExplicitDate] = []
    titles: list[int] = []
    position = 0
    while position < min(len(lines), 10):
        line = lines[position]
        names = byline_authors(line.text)
        if names is not None:
            authors.extend(names)
            found.append((position, "byline (kept as metadata)"))
        elif (stamp := date_line(line.text)) is not None:
            stamps.append(stamp)
            found.append((position, "date stamp (kept as metadata)"))
        elif (reason := boilerplate_reason(line.text)) is not None:
            found.append((position, reason))
        elif is_title_like(line) and not line.joins_previous and find_dateline(line.text) is None:
            titles.append(position)
        else:
            break
        position += 1
    if position >= len(lines):  # nothing but header-like lines: read them all as body
        return 0
    result.authors.extend(dict.fromkeys(authors))
    result.header_dates.extend(stamps)
    body_from = position
    if titles:
        first = titles[0]
        group = [lines[i].text for i in titles if near_duplicate(lines[i].text, lines[first].text)]
        alone = lines[first + 1].block != lines[first].block
        if result.headline is None and detect_title and (alone or title_cased(lines[first].text) or len(group) > 1):
            result.headline = max(group, key=len)
        chosen = False
        for i in titles:
            if result.headline is None or not near_duplicate(lines[i].text, result.headline):
                # A title-like line that repeats nothing (a standfirst, a label) opens the body.
                body_from = i
                break
            is_headline = detect_title and not chosen and lines[i].text == result.headline
            chosen = chosen or is_headline
            found.append((i, "headline (kept as metadata)" if is_headline else "repeated title"))
    removed.extend((lines[i], reason) for i, reason in sorted(found) if i < body_from)
    return body_from


def _build_text(kept: list[Line], result: Assembly) -> None:
    groups: list[list[Line]] = []
    for line in kept:
        if groups and line.joins_previous and line.block == groups[-1][-1].block:
            groups[-1].append(line)
        else:
            groups.append([line])
    pieces: list[str] = []
    bounds: list[tuple[int, int]] = []
    length = 0
    for number, group in enumerate(groups):
        if number:
            pieces.append("\n\n")
            length += 2
        paragraph_start = length
        for position, line in enumerate(group):
            if position:
                pieces.append(" ")
                length += 1
            pieces.append(line.text)
            if line.raw_start is not None and line.raw_end is not None:
                result.source_map.append(
                    SourceSegment(length, length + len(line.text), line.raw_start, line.raw_end, line.exact)
                )
            length += len(line.text)
        bounds.append((paragraph_start, length))
    result.text = "".join(pieces)
    result.paragraphs = [Span(start, end, result.text[start:end]) for start, end in bounds]


def _removed_span(line: Line, reason: str, raw: str | None) -> RemovedSpan:
    assert line.raw_start is not None and line.raw_end is not None and raw is not None
    start, end = line.raw_start, line.raw_end
    if not line.exact:
        found = raw.find(line.text, max(0, start - 200), end + 200)
        if found >= 0:
            start, end = found, found + len(line.text)
    return RemovedSpan(start, end, raw[start:end], reason)
