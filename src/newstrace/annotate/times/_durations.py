"""Rules for durations, offsets ("three days ago") and sets ("every July")."""

from __future__ import annotations

import re
from datetime import date

from newstrace.annotate.times._patterns import (
    _FRACTION_USE,
    _FULL_MONTHS,
    _NUM,
    _NUM_WORD,
    _ORDINAL_USE,
    _PARTS_OF_DAY,
    _UNIT,
    _UNITS,
    _WEEKDAY,
    _YEAR,
)
from newstrace.annotate.times._registry import RuleGroup
from newstrace.annotate.times._values import _duration, _number, _shifted_by, _unit_name
from newstrace.clean.dates import MONTHS, WEEKDAYS

_rule = RuleGroup()
RULES = _rule.rules


@_rule(rf"(?P<amount>{_NUM})[- ](?P<unit>{_UNIT})\s+(?P<direction>ago|earlier|before|later|from now|hence)")
def _offset(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    count = _number(match["amount"])
    unit = _unit_name(match["unit"])
    direction = match["direction"].lower()
    sign = 1 if direction in ("later", "from now", "hence") else -1
    if direction in ("earlier", "before", "later") and unit not in ("year", "decade", "century"):
        # "Three days later", "a week before the vote": counted from an event of the story, not from today
        return "DURATION", _duration(match["amount"], match["unit"]), None
    if count is None:
        return "DATE", "FUTURE_REF" if sign > 0 else "PAST_REF", None
    value = _shifted_by(reference, unit, sign * count)
    return ("DATE", value, None) if value is not None else None


@_rule(
    rf"(?:(?P<lead>(?:the\s+)?(?:past|last|next|first|coming|previous|latest)|the)\s+)?"
    rf"(?P<amount>{_NUM})(?P<half>\s+1/2|\s+and\s+a\s+half)?[- ](?P<unit>{_UNIT})(?P<half_after>\s+and\s+a\s+half)?"
    r"(?P<old>-old|\s+old\b)?"
)
def _duration_rule(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    if match["old"]:
        return None  # an age, not a time
    if match["half"] or match["half_after"]:
        return _and_a_half(match["amount"], match["unit"])
    amount, unit, rest = match["amount"].lower(), match["unit"].lower(), match.string[match.end() :]
    if re.fullmatch(_YEAR, amount) and not unit.endswith("s"):
        return None  # "the 1988 second quarter": a year before an ordinal, not 1988 seconds
    if match["unit"][0].isupper() and amount.isdigit():
        return None  # "60 Minutes", "48 Hours": a title
    if amount in ("a", "an") and unit.endswith("s"):
        return None
    if amount in ("a", "an") and unit == "second" and _ORDINAL_USE.match(rest):
        return None  # "a second betrayal": the ordinal
    if unit.startswith("quarter") and _FRACTION_USE.match(rest):
        return None  # "three-quarters of its food": a fraction
    return "DURATION", _duration(amount, match["unit"]), None


_HALF_IN_NEXT_UNIT = {"year": "6M", "day": "T12H", "hour": "30M", "minute": "30S"}  # half a year is six months, …


def _and_a_half(amount: str, unit: str) -> tuple[str, str, str | None] | None:
    """ "5 1/2 hours" → PT5H30M, "two and a half years" → P2Y6M, "a minute and a half" → PT1M30S."""
    count = _number(amount)
    if count is None:
        return None
    unit = _unit_name(unit)
    if unit in ("decade", "century"):
        years = 10 if unit == "decade" else 100
        return "DURATION", f"P{count * years + years // 2}Y", None
    letter, is_time = _UNITS[unit]
    prefix = "PT" if is_time else "P"
    if unit in _HALF_IN_NEXT_UNIT:
        return "DURATION", f"{prefix}{count}{letter}{_HALF_IN_NEXT_UNIT[unit]}", None
    return "DURATION", f"{prefix}{count}.5{letter}", None


@_rule(
    r"(?:recent|the past few|the last few|the next few|several|many|a few)\s+(?P<unit>days|weeks|months|years|decades)"
)
def _vague_duration(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    return "DURATION", _duration("several", match["unit"]), None


@_rule(r"(?P<unit>years|months|weeks|decades|centuries)(?P<old>\s+old\b)?")
def _bare_plural(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    if match["old"]:
        return None  # the unit of an age the duration rule turned down ("52 years old")
    return "DURATION", _duration("several", match["unit"]), None


@_rule(
    rf"(?:(?:once|twice|(?:{_NUM_WORD}|\d+)\s+times)\s+(?:a|an|per)\s+|(?P<word>every|each|per)\s+)"
    r"(?P<unit>day|week|month|year|quarter|morning|night|hour)"
    r"|(?P<adverb>hourly|daily|weekly|monthly|nightly)"
    rf"|(?:every|each)\s+(?:(?P<weekday>{_WEEKDAY})|(?P<month>{'|'.join(_FULL_MONTHS)}))"
    rf"|every\s+(?P<count>{_NUM_WORD}|\d+|other)\s+(?P<units>{_UNIT})"
)
def _set(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    if match["count"]:  # "every four years", "every other week"
        count = "2" if match["count"].lower() == "other" else match["count"]
        return "SET", _duration(count, match["units"]), None
    if match["weekday"]:  # "each Thursday"
        return "SET", f"XXXX-WXX-{WEEKDAYS[match['weekday'].lower()] + 1}", None
    if match["month"]:  # "every July"
        return "SET", f"XXXX-{MONTHS[match['month'].lower()]:02}", None
    unit = (match["unit"] or "").lower()
    adverb = (match["adverb"] or "").lower()
    if adverb:
        unit = {"hourly": "hour", "daily": "day", "nightly": "day", "weekly": "week", "monthly": "month"}[adverb]
    if unit in ("morning", "night"):
        return "SET", "XXXX-XX-XX" + _PARTS_OF_DAY[unit], None
    return "SET", _duration("1", unit), None
