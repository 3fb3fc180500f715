"""Expressions dated from the one before them ("that year", "the following month"), resolved in text order."""

from __future__ import annotations

import re
from datetime import date, timedelta

from newstrace.annotate.times._registry import _Found
from newstrace.annotate.times._values import _day, _month, _quarter, _shift_months, _week

_ANAPHOR = "ANAPHOR"  # the value of an expression that takes its date from the one mentioned before it


def _anaphor(unit: str, shift: int, part: str = "") -> str:
    """The placeholder value of an expression dated from the one before it, resolved in ``_resolve_anaphora``."""
    return f"{_ANAPHOR}:{unit}:{shift}:{part}"


_CALENDAR_VALUE = re.compile(r"(?P<year>\d{4})(?:-Q(?P<quarter>[1-4])|-(?P<month>\d\d)(?:-(?P<day>\d\d))?)?")


def _resolve_anaphora(found: list[_Found], reference: date | None) -> list[_Found]:
    """Give "that year", "the following month", "earlier that day" the date of the last calendar date before them
    (the reference date when there is none); drop those whose antecedent is too coarse."""
    resolved: list[_Found] = []
    antecedent = _CALENDAR_VALUE.fullmatch(reference.isoformat()) if reference else None
    for item in found:
        if not item.value.startswith(_ANAPHOR):
            resolved.append(item)
            calendar = _CALENDAR_VALUE.fullmatch(item.value)
            if calendar and item.type == "DATE":
                antecedent = calendar
            continue
        _, unit, shift, part = item.value.split(":")
        value = _shifted(antecedent, unit, int(shift)) if antecedent else None
        if value is not None and (not part or len(value) == len("YYYY-MM-DD")):
            resolved.append(_Found(item.start, item.end, item.type, value + part, item.mod, relative=True))
            antecedent = _CALENDAR_VALUE.fullmatch(value) or antecedent  # "the following year … later that year"
    return resolved


def _shifted(antecedent: re.Match[str], unit: str, shift: int) -> str | None:
    year = int(antecedent["year"])
    if unit == "year":
        return f"{year + shift:04}"
    if unit == "quarter" and antecedent["quarter"]:
        index = year * 4 + int(antecedent["quarter"]) - 1 + shift
        return f"{index // 4:04}-Q{index % 4 + 1}"
    if antecedent["month"] is None:
        return None
    month = int(antecedent["month"])
    if unit == "month":
        return _month(*_shift_months(date(year, month, 1), shift))
    if unit == "quarter":
        shifted_year, shifted_month = _shift_months(date(year, month, 1), 3 * shift)
        return _quarter(date(shifted_year, shifted_month, 1))
    if antecedent["day"] is None:
        return None
    day = date(year, month, int(antecedent["day"]))
    if unit == "week":
        return _week(day + timedelta(weeks=shift))
    return _day(day + timedelta(days=shift))
