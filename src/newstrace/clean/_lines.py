"""Line-level cleaning rules shared by text scrapes and extracted HTML."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace

from newstrace.clean.dates import MONTHS, WEEKDAYS, ExplicitDate, find_explicit_dates
from newstrace.model import RemovedSpan, SourceSegment, Span


@dataclass(frozen=True, slots=True)
class Line:
    """One line of input text with where it sits in the raw input.

    ``block`` numbers the blank-line-separated blocks; ``joins_previous`` marks a soft-wrapped
    continuation of the line before. ``raw_start`` is None where the line could not be located.
    """

    text: str
    raw_start: int | None
    raw_end: int | None
    exact: bool
    block: int
    joins_previous: bool = False

    def cut(self, start: int, end: int) -> Line:
        """The part of this line at text offsets ``start:end``, whitespace trimmed."""
        part = self.text[start:end]
        start += len(part) - len(part.lstrip())
        end -= len(part) - len(part.rstrip())
        if self.raw_start is None or self.raw_end is None:
            return replace(self, text=self.text[start:end])
        if self.exact:
            return replace(
                self,
                text=self.text[start:end],
                raw_start=self.raw_start + start,
                raw_end=self.raw_start + end,
            )
        scale = (self.raw_end - self.raw_start) / max(1, len(self.text))
        return replace(
            self,
            text=self.text[start:end],
            raw_start=self.raw_start + round(start * scale),
            raw_end=self.raw_start + round(end * scale),
        )


@dataclass(frozen=True, slots=True)
class Dateline:
    """The wire dateline opening a story: "MOSCOW, Dec 24 (Reuters) -"."""

    place: str | None
    date_text: str | None
    agency: str | None
    length: int


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


def text_lines(raw: str) -> list[Line]:
    """The non-blank lines of a plain-text scrape with exact raw offsets and paragraph joins."""
    lines: list[Line] = []
    block = 0
    blank_before = False
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\n|\r|$)", raw):
        content = match[0].rstrip("\r\n")
        stripped = content.strip()
        if not stripped:
            blank_before = True
            if match.end() >= len(raw):
                break
            continue
        if blank_before and lines:
            block += 1
        blank_before = False
        start = match.start() + (len(content) - len(content.lstrip()))
        lines.append(Line(stripped, start, start + len(stripped), True, block))
    return _mark_soft_wraps(lines)


def _mark_soft_wraps(lines: list[Line]) -> list[Line]:
    """Join hard-wrapped lines of a block into one paragraph; a block of long lines is one paragraph a line."""
    by_block: dict[int, list[int]] = {}
    for index, line in enumerate(lines):
        by_block.setdefault(line.block, []).append(index)
    result = list(lines)
    for indices in by_block.values():
        if len(indices) < 2:
            continue
        width = max(len(lines[i].text) for i in indices)
        if width > 120:
            continue
        for previous, current in itertools.pairwise(indices):
            before = lines[previous].text
            paragraph_end = len(before) < 0.6 * width and before[-1] in '.!?"”’)'
            result[current] = replace(lines[current], joins_previous=not paragraph_end)
    return result


# Boilerplate. A short line made almost wholly of interface words, with at least one word that
# names what the widget is, is boilerplate of that kind; a few phrase rules catch longer notices.
_REASON_WORDS = {
    "comment widget": {"comment", "comments", "reply", "replies", "discussion"},
    "navigation": {
        "previous",
        "prev",
        "next",
        "older",
        "newer",
        "home",
        "menu",
        "skip",
        "breadcrumb",
        "top",
    },
    "share buttons": {
        "share",
        "shares",
        "shared",
        "tweet",
        "pin",
        "pinterest",
        "facebook",
        "twitter",
        "whatsapp",
        "linkedin",
        "telegram",
        "reddit",
        "email",
        "e-mail",
        "print",
        "messenger",
        "flipboard",
        "vk",
    },
    "subscription prompt": {
        "subscribe",
        "subscription",
        "newsletter",
        "newsletters",
        "signup",
        "sign",
        "follow",
        "notifications",
        "register",
        "login",
        "log",
        "rss",
    },
    "related links": {"related", "recommended", "popular", "trending", "latest", "most"},
    "advertisement": {
        "advertisement",
        "advertising",
        "sponsored",
        "ad",
        "ads",
        "promoted",
        "promotion",
    },
    "tags": {"tags", "tag", "labels", "label", "categories", "category", "topics"},
}
_FILLER_WORDS = {
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "to",
    "on",
    "in",
    "of",
    "for",
    "our",
    "us",
    "you",
    "your",
    "me",
    "my",
    "with",
    "and",
    "or",
    "by",
    "at",
    "from",
    "via",
    "all",
    "more",
    "now",
    "here",
    "click",
    "tap",
    "up",
    "post",
    "posts",
    "story",
    "stories",
    "article",
    "articles",
    "page",
    "view",
    "show",
    "load",
    "add",
    "write",
    "leave",
    "read",
    "also",
    "may",
    "like",
    "get",
    "join",
    "free",
    "app",
    "download",
    "continue",
    "reading",
    "link",
    "links",
    "feed",
    "it",
    "is",
    "be",
    "first",
    "newest",
    "oldest",
    "sort",
    "new",
    "news",
    "go",
    "back",
    "copy",
    "x",
    "whatsapp",
    "see",
    "open",
    "close",
    "no",
    "yet",
    "s",
    "today",
    "daily",
    "week",
    "weekly",
    "alerts",
    "updates",
    "account",
    "site",
    "website",
    "blog",
}
_ALL_UI_WORDS = _FILLER_WORDS.union(*_REASON_WORDS.values())
# (reason, pattern, most words, substrings one of which the line must hold; none: anchored rule)
_PHRASE_RULES: list[tuple[str, re.Pattern[str], int, tuple[str, ...]]] = [
    (
        "copyright notice",
        re.compile(r"^(?:copyright\b|©|\(c\)\s*\d{4})|\ball rights reserved\b", re.I),
        40,
        ("copyright", "©", "(c)", "rights reserved"),
    ),
    (
        "cookie notice",
        re.compile(
            r"\b(?:we use cookies|(?:site|website) uses cookies|accept (?:all )?cookies|"
            r"cookie (?:policy|settings|preferences|consent))\b",
            re.I,
        ),
        80,
        ("cookie",),
    ),
    ("tags", re.compile(r"^(?:tags|labels|categories|topics|filed under)\s*:", re.I), 40, ()),
    (
        "related links",
        re.compile(
            r"^(?:related(?: articles?| posts?| stories| news)?|read (?:more|also)|also read|see also|"
            r"more from [\w .]+|you (?:may|might) also like|recommended(?: for you)?)\s*[:\-–—»]",
            re.I,
        ),
        40,
        (),
    ),
    # "Also on rt.com", "More on bbc.co.uk": a pointer to the site's other pages, named by its domain.
    (
        "related links",
        re.compile(r"^(?:also|more)\s+(?:on|from|at)\s+(?:www\.)?[\w-]+(?:\.[a-z]{2,6})+\b", re.I),
        12,
        (),
    ),
    # "Follow Newsbeat on Instagram, Facebook and YouTube.": an invitation, however the networks are listed.
    (
        "subscription prompt",
        re.compile(
            r"^[Ff]ollow\s+(?:us|[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3})\s+(?:on|at)\s+"
            r"(?:[A-Z][\w.]*|@\w+)(?:\s*(?:,|and|&)\s*(?:[A-Z][\w.]*|@\w+))*\.?$",
        ),
        16,
        (),
    ),
    ("posting metadata", re.compile(r"^posted (?:by|in|on)\b", re.I), 20, ()),
    (
        "advertisement",
        re.compile(r"^(?:advertisement|sponsored content|scroll to continue with content)$", re.I),
        5,
        (),
    ),
]
_LONGEST_NOTICE = max(rule[2] for rule in _PHRASE_RULES)
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+")
_SEPARATOR = re.compile(r"^[\W_]+$")


def boilerplate_reason(text: str) -> str | None:
    """Why a line is page furniture rather than article text, or None if it is article text."""
    length = len(text.split())
    if length > _LONGEST_NOTICE:
        return None  # a long line is prose, whatever words it uses
    if _SEPARATOR.match(text):
        return "separator"
    lowered = text.lower()
    for reason, pattern, max_words, needs in _PHRASE_RULES:
        # Unanchored rules scan the whole line: run them only where a word they need is present.
        if length <= max_words and (not needs or any(n in lowered for n in needs)) and pattern.search(text):
            return reason
    if length > 10 or text.rstrip().endswith((".", ".”", '."')):
        return None
    words = [w.lower() for w in _WORD.findall(text)]
    interface = [w for w in words if w in _ALL_UI_WORDS or w.isdigit()]
    if not words or len(interface) < 0.75 * len(words):
        return None
    for reason, names in _REASON_WORDS.items():
        if any(w in names for w in words):
            return reason
    return None


_NAME = r"[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|da|al|bin|el))*"
_BYLINE = re.compile(
    rf"^(?i:by|written by|reported by|words by)\s*:?\s+(?P<names>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*)"
)
_DATE_LINE_WORDS = {
    "published",
    "updated",
    "posted",
    "last",
    "modified",
    "on",
    "at",
    "am",
    "pm",
    "a",
    "m",
    "p",
    "gmt",
    "utc",
    "est",
    "edt",
    "cet",
    "cest",
    "bst",
    "ist",
    "msk",
    "pst",
    "pdt",
    "time",
    "date",
    "first",
    "created",
}


def byline_authors(text: str) -> list[str] | None:
    """The names in a byline such as "By Jane Doe and John Roe, Reuters", or None for other lines."""
    if len(text.split()) > 14:
        return None
    match = _BYLINE.match(text.strip())
    if not match:
        return None
    names = [part.strip() for part in re.split(r"\s*(?:,|\band\b|&)\s*", match["names"]) if part.strip()]
    people = [name for name in names if len(name.split()) >= 2 and not name.isupper()]
    return people or names


def date_line(text: str) -> ExplicitDate | None:
    """The date of a line that is only a publication stamp ("Published 24 Dec 2022, 10:00 GMT")."""
    if len(text.split()) > 14:
        return None
    dates = find_explicit_dates(text)
    if not dates:
        return None
    rest = text
    for found in reversed(dates):
        rest = rest[: found.start] + " " + rest[found.end :]
    rest = re.sub(r"\d{1,2}[:.]\d{2}(?::\d{2})?", " ", rest)
    words = [w.lower() for w in _WORD.findall(rest)]

    if all(w in _DATE_LINE_WORDS or w in WEEKDAYS for w in words):
        return dates[0]
    return None


_PLACE_WORD = r"(?:[A-Z][\w'’.]*(?:-[A-Z]?[\w'’.]+)*)"
_DATELINE = re.compile(
    rf"""^(?:
        (?P<place>{_PLACE_WORD}(?:\s(?:{_PLACE_WORD}|de|da|del|la|el|al|am|on|upon)){{0,3}})
        (?:,\s*(?P<region>{_PLACE_WORD}(?:\s{_PLACE_WORD}){{0,2}}))?
        (?:,?\s+(?P<date>(?i:{"|".join(MONTHS)})\.?\s+\d{{1,2}}))?
        (?:\s*\((?P<agency>[^()]{{2,40}})\))?
      | \((?P<agency_only>[^()]{{2,40}})\)
    )\s*(?:--|[-–—])\s*(?=["“‘'A-Z])""",
    re.X,
)
_NOT_PLACES = {
    "the",
    "a",
    "an",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "this",
    "that",
    "update",
    "updated",
    "breaking",
    "exclusive",
    "analysis",
    "opinion",
    "watch",
    "live",
    "video",
    "photos",
    "editor",
    "note",
    "warning",
    "but",
    "and",
    "so",
    "yes",
    "no",
}


def find_dateline(text: str) -> Dateline | None:
    """The dateline at the start of a story's first paragraph, if it has one."""
    match = _DATELINE.match(text)
    if not match or match.end() > 80:
        return None
    place = match["place"]
    if place is not None:
        first = place.split()[0].lower()
        if first in _NOT_PLACES or not (place[0].isupper()):
            return None
        place = _title_place(place)
        if match["region"]:
            place = f"{place}, {_title_place(match['region'])}"
    agency = match["agency"] or match["agency_only"]
    date_text = match["date"]
    if date_text is not None and not date_text[0].isupper():
        return None
    return Dateline(place, date_text, agency, match.end())


def _title_place(place: str) -> str:
    """WASHINGTON -> Washington; mixed case is kept as written."""
    if not place.isupper():
        return place
    return " ".join(word.capitalize() if len(word) > 2 else word for word in place.split())


def words_of(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return [w.lower() for w in _WORD.findall(text)]


def near_duplicate(a: str, b: str) -> bool:
    """Whether one title line repeats the other, in full or shortened."""
    short, long = sorted((words_of(a), words_of(b)), key=len)
    if not short or len(short) < 0.5 * len(long):
        return False  # a paragraph that merely opens with the title does not repeat it
    if long[: len(short)] == short:
        return True
    return len(set(short) & set(long)) >= 0.8 * len(set(short))


def is_title_like(line: Line) -> bool:
    """Short, no closing full stop or comma: how a title line looks."""
    text = line.text
    words = text.split()
    return 0 < len(words) <= 30 and len(text) <= 220 and text[-1] not in ".,;:" and boilerplate_reason(text) is None


def title_cased(text: str) -> bool:
    """Most longer words capitalised, as in "Russia Reveals Joint Force Plan"."""
    words = [w for w in _WORD.findall(text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


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
