"""Rules for clock times ("9 a.m. Tuesday", "1600 GMT") and the ends of periods ("year-end")."""

from __future__ import annotations

import re
from datetime import date

from newstrace.annotate.times._patterns import _MONTH, _WEEKDAY, _YEAR, _preceded_by
from newstrace.annotate.times._registry import RuleGroup
from newstrace.annotate.times._values import _day, _day_named, _day_of_month, _month

_rule = RuleGroup()
RULES = _rule.rules


_TIME_ZONE = r"(?-i:[ECMP][SD]T|GMT|UTC|BST|CET)"


# The day a clock time is on, written after it: "9 a.m. Tuesday", "5 p.m. EST, Nov. 9", "midnight Friday".
_ON_DAY = (
    rf"(?:\s+{_TIME_ZONE})?,?\s+(?:on\s+)?(?P<day>{_WEEKDAY}|today|yesterday|tomorrow|"
    rf"(?P<month>{_MONTH})\s+(?P<month_day>\d{{1,2}})(?:,\s*(?P<year>{_YEAR}))?)"
)


# A day after a parenthesis ("10:35 a.m. (0735 GMT) Friday") dates the time but is an expression of its own.
_DAY_AFTER_ASIDE = re.compile(rf"\s*\([^)]{{0,20}}\)\s*(?P<day>{_WEEKDAY}|today|yesterday|tomorrow)\b", re.I)


@_rule(
    rf"(?:(?P<hour>\d{{1,2}})(?::(?P<minute>\d{{2}}))?\s*(?P<half>a\.m\.|p\.m\.|am|pm)|(?P<word>noon|midnight|midday)"
    rf"|(?P<hour24>[01]?\d|2[0-3]):?(?P<minute24>[0-5]\d)\s*{_TIME_ZONE})"
    rf"(?:{_ON_DAY})?"
)
def _clock(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    if match["hour24"]:  # "18:00 GMT", "1600 GMT"
        if _preceded_by(_CONVERSION_OF_TIME, match):
            return None  # "10:35 a.m. (0735 GMT)": the same time in another zone
        hour, minute = int(match["hour24"]), int(match["minute24"])
    elif match["word"]:
        if _preceded_by(_HIGH_BEFORE, match):
            return None  # "high noon": the idiom
        hour, minute = (24, 0) if match["word"].lower() == "midnight" else (12, 0)
    else:
        hour, minute = int(match["hour"]), int(match["minute"] or 0)
        if hour > 12 or minute > 59:
            return None
        if match["half"].lower().startswith("p") and hour != 12:
            hour += 12
        if match["half"].lower().startswith("a") and hour == 12:
            hour = 0
    if match["month_day"]:
        day = _day_of_month(match, reference, future, match["month"], int(match["month_day"]), year=match["year"])
    else:
        aside = None if match["day"] else _DAY_AFTER_ASIDE.match(match.string, match.end())
        day = _day_named(aside["day"] if aside else match["day"], reference, future)
    return ("TIME", f"{_day(day)}T{hour:02}:{minute:02}", None) if day else None


_CONVERSION_OF_TIME = re.compile(rf"(?:[ap]\.?m\.?|{_TIME_ZONE})\s*\($", re.I)
_HIGH_BEFORE = re.compile(r"\bhigh\s+$", re.I)


@_rule(r"(?:the\s+)?(?P<word>year-end|year[’']?s? end|end of the year|end of the month)")
def _period_end(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    if "month" in match["word"].lower():
        return "DATE", _month(reference.year, reference.month), "END"
    return "DATE", f"{reference.year:04}", "END"
