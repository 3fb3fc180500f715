"""TIMEX3 values, and the dates a yearless, relative or named expression means against the reference date."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from newstrace.annotate.times._patterns import _FUTURE_DISTANCE, _NUMBER_WORDS, _UNITS, _VAGUE, _preceded_by
from newstrace.clean.dates import MONTHS, WEEKDAYS


def _day(d: date) -> str:
    return d.isoformat()


def _month(year: int, month: int) -> str:
    return f"{year:04}-{month:02}"


def _week(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year:04}-W{week:02}"


def _quarter(d: date) -> str:
    return f"{d.year:04}-Q{(d.month - 1) // 3 + 1}"


def _shift_months(d: date, months: int) -> tuple[int, int]:
    index = d.year * 12 + d.month - 1 + months
    return index // 12, index % 12 + 1


def _shifted_by(reference: date, unit: str, shift: int) -> str | None:
    """The day, week, month, year or decade ``shift`` units from the reference date ("three days ago": -3 days)."""
    if unit == "day":
        return _day(reference + timedelta(days=shift))
    if unit == "week":
        return _week(reference + timedelta(weeks=shift))
    if unit == "month":
        return _month(*_shift_months(reference, shift))
    if unit == "year":
        return f"{reference.year + shift:04}"
    if unit == "decade":
        return str(reference.year + 10 * shift)[:3]
    return None


def _number(text: str) -> int | None:
    """A count written in digits or words; None for vague amounts ("several")."""
    text = text.lower().strip()
    if text in _VAGUE or text in ("hundreds of", "thousands of"):
        return None
    if re.fullmatch(r"\d+", text):
        return int(text)
    parts = re.split(r"[- ]", text)
    if all(p in _NUMBER_WORDS for p in parts):
        return sum(_NUMBER_WORDS[p] for p in parts)
    return None


def _unit_name(unit: str) -> str:
    """The key of ``_UNITS`` a written unit stands for: "Centuries" -> "century"."""
    return unit.lower().rstrip("s").replace("centurie", "century")


def _duration(amount: str, unit: str) -> str:
    unit = _unit_name(unit)
    letter, is_time = _UNITS[unit]
    count = _number(amount)
    if count is None and re.fullmatch(r"\d+\.\d+", amount.strip()):
        return f"{'PT' if is_time else 'P'}{amount.strip()}{letter}"
    if unit == "decade" and count is not None:
        return f"P{count * 10}Y"
    return f"{'PT' if is_time else 'P'}{count if count is not None else 'X'}{letter}"


def _weekday_date(reference: date, weekday: int, future: bool, relative: str | None = None) -> date:
    delta = weekday - reference.weekday()
    if relative == "next" or (future and relative is None):
        return reference + timedelta(days=delta % 7 or (7 if relative == "next" else 0))
    if relative == "last":
        return reference - timedelta(days=(-delta) % 7 or 7)
    return reference - timedelta(days=(-delta) % 7)


_NAMED_YEAR_SHIFT = {"this": 0, "last": -1, "next": 1}
_YEAR_NAMED_AFTER = re.compile(r",?\s+(?:of\s+)?(?P<which>this|last|next)\s+year\b", re.I)


def _month_year(match: re.Match[str], reference: date, month: int, future: bool, day: int = 15) -> int:
    """The year of a yearless month (and day): the one named just after it ("February this year"), else the one
    nearest the reference date, on the future side if the tense says so."""
    named = _YEAR_NAMED_AFTER.match(match.string, match.end())
    if named:
        return reference.year + _NAMED_YEAR_SHIFT[named["which"].lower()]

    def on_day(year: int) -> date:
        return date(year, month, min(day, 28))

    if _preceded_by(_PAST_ONLY_BEFORE, match):  # "since March 16", "the year ended June 30"
        return _latest_before(reference, on_day, inclusive=True).year
    return _occurrence(reference, future, on_day).year


def _latest_before(reference: date, on: Callable[[int], date], *, inclusive: bool = False) -> date:
    """The latest yearly occurrence before the reference date (or on it, if ``inclusive``)."""
    occurrences = map(on, range(reference.year - 2, reference.year + 1))
    return max(d for d in occurrences if d < reference or (inclusive and d == reference))


def _first_after(reference: date, on: Callable[[int], date]) -> date:
    """The first yearly occurrence after the reference date."""
    return min(d for d in map(on, range(reference.year, reference.year + 3)) if d > reference)


def _day_of_month(
    match: re.Match[str],
    reference: date,
    future: bool,
    name: str,
    day: int,
    relative: str = "",
    year: str | None = None,
) -> date | None:
    """A month (by name) and day: in the year written, else the latest before the reference date ("last Oct. 23"),
    the first after it ("next March 8"), or the year the context gives; None for a day the month lacks."""
    month = MONTHS[name.lower().rstrip(".")]

    def on(in_year: int) -> date:
        return date(in_year, month, day)

    try:
        if year:
            return on(int(year))
        if relative == "last":
            return _latest_before(reference, on)
        if relative:
            return _first_after(reference, on)
        return on(_month_year(match, reference, month, future, day))
    except ValueError:
        return None  # "Feb. 30"


_PAST_ONLY_BEFORE = re.compile(r"\b(?:since|ended)\s+$", re.I)


def _occurrence(reference: date, future: bool, on: Callable[[int], date]) -> date:
    """Which yearly occurrence (last year's, this year's, next year's) a yearless date means."""
    candidates = [on(year) for year in (reference.year - 1, reference.year, reference.year + 1)]
    if future:
        return min((d for d in candidates if d >= reference), key=lambda d: d - reference, default=candidates[1])
    # News reports the past more often than it announces: a later date counts as farther away.
    return min(candidates, key=lambda d: abs((d - reference).days) * (_FUTURE_DISTANCE if d > reference else 1))


_EDGE_MODS = {"early": "START", "the beginning of": "START", "the start of": "START", "mid": "MID",
              "the middle of": "MID", "late": "END", "the end of": "END"}  # fmt: skip


def _edge_mod(text: str | None) -> str | None:
    return _EDGE_MODS.get(text.lower().rstrip("- ")) if text else None


def _decade(tens: int, reference: date) -> str:
    """The decade a two-digit "80s" means: the latest to have begun by the reference date, or the one about to
    begin (written in 1989, "the nineties" are the 1990s)."""
    century = reference.year // 100 * 100
    start = century + tens * 10
    if start > reference.year + _DECADE_LOOKAHEAD:
        start -= 100
    return str(start)[:3]


_DECADE_LOOKAHEAD = 2  # years before its start that a decade is already spoken of as "the nineties"


def _spelled_year_value(text: str) -> int | None:
    """1996 for "nineteen ninety-six", 2001 for "two thousand and one"."""
    words = re.sub(r"\b(?:hundred|and|the|year)\b", " ", text.lower()).replace("-", " ").split()
    if words[:2] == ["two", "thousand"]:
        rest = _number(" ".join(words[2:])) if words[2:] else 0
        return 2000 + rest if rest is not None else None
    rest = _number(" ".join(words[1:]))
    return 1900 + rest if rest is not None and rest < 100 else None


def _day_named(word: str | None, reference: date, future: bool) -> date:
    """The day a weekday or "today"/"yesterday"/"tomorrow" names (the reference date for none)."""
    if word is None:
        return reference
    word = word.lower()
    if word in WEEKDAYS:
        return _weekday_date(reference, WEEKDAYS[word], future)
    return reference + timedelta(days=_DEICTIC_SHIFT[word])


_DEICTIC_SHIFT = {"today": 0, "yesterday": -1, "tomorrow": 1}
