"""The lines that open a story: bylines, date stamps, the wire dateline and title lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newstrace.clean._boilerplate import _WORD, boilerplate_reason
from newstrace.clean._lines import Line
from newstrace.clean.dates import MONTHS, WEEKDAYS, ExplicitDate, find_explicit_dates


@dataclass(frozen=True, slots=True)
class Dateline:
    """The wire dateline opening a story: "MOSCOW, Dec 24 (Reuters) -"."""

    place: str | None
    date_text: str | None
    agency: str | None
    length: int


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
