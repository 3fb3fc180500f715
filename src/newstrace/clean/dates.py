"""Explicit calendar dates in text, with day-month order decided per document."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ]
    )
    for name in names
}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
_ORDINAL = r"(?:st|nd|rd|th)?"
_PATTERNS = [
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<a>\d{1,2})-(?P<b>\d{1,2})\b")),
    (
        "numeric",
        re.compile(r"\b(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})\b"),
    ),
    (
        "day-month",
        re.compile(rf"\b(?P<day>\d{{1,2}}){_ORDINAL}\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})\b", re.I),
    ),
    (
        "month-day",
        re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}){_ORDINAL},?\s+(?P<year>\d{{4}})\b", re.I),
    ),
]
_WEEKDAY_BEFORE = re.compile(rf"{_WEEKDAY}\s*,?\s*\(?\s*$", re.I)
_MONTH_DAY = re.compile(rf"^{_MONTH}\s+(?P<day>\d{{1,2}}){_ORDINAL}$", re.I)


@dataclass(frozen=True, slots=True)
class ExplicitDate:
    """A calendar date written out in text, at ``start:end``."""

    start: int
    end: int
    text: str
    value: date
    ambiguous: bool = False


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    text: str
    year: int
    first: int
    second: int
    weekday: int | None


def find_explicit_dates(text: str) -> list[ExplicitDate]:
    """Every full date (day, month and year) in the text, in order of appearance.

    Numeric dates such as 05/06/2022 are read day-first or month-first by, in turn: validity
    (24/12 can only be day-first), a weekday written beside the date, and the order that the
    document's unambiguous numeric dates use; day-first is the default.
    """
    found: list[ExplicitDate] = []
    numeric: list[_Candidate] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            weekday = _weekday_before(text, match.start())
            year = _year(match["year"])
            if kind == "numeric":
                numeric.append(
                    _Candidate(
                        match.start(),
                        match.end(),
                        match[0],
                        year,
                        int(match["a"]),
                        int(match["b"]),
                        weekday,
                    )
                )
                taken.append((match.start(), match.end()))
                continue
            if kind == "iso":
                value = _safe_date(year, int(match["a"]), int(match["b"]))
            else:
                value = _safe_date(year, MONTHS[match["month"].lower()], int(match["day"]))
            if value is not None:
                found.append(ExplicitDate(match.start(), match.end(), match[0], value))
                taken.append((match.start(), match.end()))
    day_first = _document_order(numeric)
    for candidate in numeric:
        resolved = _resolve_numeric(candidate, day_first)
        if resolved is not None:
            found.append(resolved)
    return sorted(found, key=lambda item: item.start)


def resolve_month_day(text: str, context: Sequence[date], captured: date | None) -> date | None:
    """A date for a yearless "Dec 24": the year of the text's own dates, else the latest one not after capture."""
    match = _MONTH_DAY.match(text.strip())
    if not match:
        return None
    month, day = MONTHS[match["month"].lower()], int(match["day"])
    if context:
        year = Counter(d.year for d in context).most_common(1)[0][0]
        return _safe_date(year, month, day)
    if captured is None:
        return None
    for year in (captured.year, captured.year - 1):
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate <= captured:
            return candidate
    return None


_URL_DATE = re.compile(
    r"(?<![\d])((?:19|20)\d{2})([/-])(0?[1-9]|1[0-2]|[a-z]{3,9})\2(0?[1-9]|[12]\d|3[01])(?![\d])", re.IGNORECASE
)


def date_in_url(url: str | None) -> date | None:
    """The date a URL's path spells with separators ("/2019/11/18/", "2019-11-18", "/2019/nov/18/"), if a real one."""
    if not url:
        return None
    match = _URL_DATE.search(urlsplit(url).path)
    if not match:
        return None
    month = int(match[3]) if match[3].isdigit() else MONTHS.get(match[3].lower())
    return _safe_date(int(match[1]), month, int(match[4])) if month else None


def choose_reference_date(dates: Sequence[ExplicitDate], lead_end: int, captured: date | None) -> ExplicitDate | None:
    """The date an article's relative expressions hang on: the first in the lead, else the latest plausible one."""
    plausible = [d for d in dates if captured is None or d.value <= captured]
    if not plausible:
        return None
    in_lead = [d for d in plausible if d.start < lead_end]
    if in_lead:
        return in_lead[0]
    return max(plausible, key=lambda d: d.value)


def _weekday_before(text: str, position: int) -> int | None:
    match = _WEEKDAY_BEFORE.search(text[max(0, position - 16) : position])
    return WEEKDAYS[match["weekday"].lower()] if match else None


def _document_order(candidates: Sequence[_Candidate]) -> bool:
    """Whether this document writes numeric dates day-first, from its unambiguous ones."""
    votes: Counter[str] = Counter()
    for candidate in candidates:
        if candidate.first > 12 >= candidate.second:
            votes["day-first"] += 1
        elif candidate.second > 12 >= candidate.first:
            votes["month-first"] += 1
    return votes["month-first"] <= votes["day-first"]


def _resolve_numeric(candidate: _Candidate, day_first: bool) -> ExplicitDate | None:
    as_day_first = _safe_date(candidate.year, candidate.second, candidate.first)
    as_month_first = _safe_date(candidate.year, candidate.first, candidate.second)
    options = [d for d in (as_day_first, as_month_first) if d is not None]
    if not options:
        return None
    ambiguous = as_day_first is not None and as_month_first is not None and as_day_first != as_month_first
    value = options[0]
    if ambiguous:
        by_weekday = [d for d in options if candidate.weekday is not None and d.weekday() == candidate.weekday]
        if len(by_weekday) == 1:
            value, ambiguous = by_weekday[0], False
        else:
            value = as_day_first if day_first else as_month_first  # type: ignore[assignment]
    return ExplicitDate(candidate.start, candidate.end, candidate.text, value, ambiguous)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
