"""Rules for periods: this or last week, month, year; seasons, quarters and halves; the year before."""

from __future__ import annotations

import re
from datetime import date, timedelta

from newstrace.annotate.times._patterns import (
    _EDGE,
    _MONTH,
    _OPENING_QUOTE,
    _ORDINALS,
    _PREPOSITION_BEFORE,
    _RELATIVE,
    _SEASON_LAST_MONTH,
    _SEASONS,
    _SPELLED_YEAR,
    _YEAR,
    _preceded_by,
)
from newstrace.annotate.times._registry import Normaliser, RuleGroup
from newstrace.annotate.times._values import (
    _NAMED_YEAR_SHIFT,
    _decade,
    _edge_mod,
    _month,
    _quarter,
    _shift_months,
    _spelled_year_value,
    _week,
    _weekday_date,
)

_rule = RuleGroup()
RULES = _rule.rules


@_rule(
    rf"(?:(?P<edge>{_EDGE})\s+|(?:earlier|later)\s+)?(?:the\s+)?(?P<relative>{_RELATIVE}|the)\s+"
    r"(?:(?:full|whole|entire|fiscal)\s+)?"
    r"(?P<unit>year|month|week|quarter|weekend|decade|century)"
)
def _relative_unit(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    if match["unit"][0].isupper() and _preceded_by(_OPENING_QUOTE, match):
        return None  # ABC's "This Week": a programme's title
    relative, unit = match["relative"].lower(), match["unit"].lower()
    if relative == "the" and unit == "year" and _ENDED_ON.match(match.string, match.end()):
        return "DURATION", "P1Y", None  # "the year ended Sept. 30": a twelve-month accounting period
    edge = (match["edge"] or "").lower()
    shift = {"this": 0, "current": 0, "the": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}[
        relative
    ]
    mod = _edge_mod(edge)
    if unit == "year":
        return "DATE", f"{reference.year + shift:04}", mod
    if unit == "month":
        return "DATE", _month(*_shift_months(reference, shift)), mod
    if unit == "week":
        return "DATE", _week(reference + timedelta(weeks=shift)), mod
    if unit == "weekend":
        if relative in ("this", "current"):
            return "DATE", _week(reference) + "-WE", mod  # the weekend of the reference date's week
        saturday = _weekday_date(reference, 5, future or shift > 0) + timedelta(weeks=shift if shift < 0 else 0)
        return "DATE", _week(saturday) + "-WE", mod
    if unit == "quarter":
        if relative == "current":
            return "DATE", _quarter(reference), mod
        if relative in ("the", "this"):
            return "DATE", _quarter(_last_quarter(reference)), mod  # the quarter results are reported for
        year, month = _shift_months(reference, 3 * shift)
        return "DATE", _quarter(date(year, month, 1)), mod
    if unit == "decade":
        return "DATE", str(reference.year + 10 * shift)[:3], mod
    return "DATE", str(reference.year + 100 * shift)[:2], mod


@_rule(
    r"(?:the\s+)?(?:(?P<relative>this\s+past|this|last|next|past)\s+)?(?:(?P<edge>early|late)[- ])?"
    rf"(?P<season>spring|summer|fall|autumn|winter)(?:,?\s+(?:of\s+)?(?P<year>{_YEAR}|{_SPELLED_YEAR}))?"
)
def _season(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    relative = (match["relative"] or "").lower()
    if (
        not relative
        and not match[0].lower().startswith("the")
        and not (match["year"] and (match["season"][0].isupper() or _preceded_by(_PREPOSITION_BEFORE, match)))
    ):
        return None  # "fall" is a verb far more often than a season ("Spring 2014", "in fall 2014" are seasons)
    season = _SEASONS[match["season"].lower()]
    year = reference.year + {"last": -1, "next": 1}.get(relative, 0)
    if relative.endswith("past") and reference.month <= _SEASON_LAST_MONTH[season]:
        year -= 1  # "this past spring": the latest to have ended
    if match["year"]:
        year = int(match["year"]) if match["year"].isdigit() else _spelled_year_value(match["year"]) or year
    return "DATE", f"{year:04}-{season}", _edge_mod(match["edge"])


@_rule(
    rf"(?:the\s+)?(?:(?P<own>this year's|last year's)\s+)?(?:(?P<lead_year>{_YEAR})\s+)?(?:fiscal\s+)?"
    rf"(?P<ordinal>first|second|third|fourth|1st|2nd|3rd|4th)"
    rf"(?:[- ]|\s+fiscal\s+)quarter(?:\s+of\s+(?:(?P<year>{_YEAR})|(?P<named>this|last|next)\s+year))?"
)
def _ordinal_quarter(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    number = _ORDINALS[match["ordinal"].lower()]
    if match["year"] or match["lead_year"]:
        year = int(match["year"] or match["lead_year"])
    elif match["named"]:  # "the second quarter of next year"
        year = reference.year + _NAMED_YEAR_SHIFT[match["named"].lower()]
    elif match["own"]:
        year = reference.year - (1 if match["own"].lower().startswith("last") else 0)
    else:
        current = (reference.month - 1) // 3 + 1
        year = reference.year - (1 if number > current and not future else 0)
    return "DATE", f"{year:04}-Q{number}", None


@_rule(
    r"(?:the\s+)?(?P<ordinal>first|second|last|latter)\s+half"
    rf"(?:\s+of\s+(?:(?P<year>{_YEAR})|(?P<named>this|last|next)\s+year|the\s+(?P<decade>(?:1[6-9]|20)\d0|'?\d0)s))?"
)
def _half(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    first = match["ordinal"].lower() == "first"
    if match["decade"]:  # "the last half of the '80s": the decade's end
        digits = match["decade"].lstrip("'")
        decade = digits[:3] if len(digits) == 4 else _decade(int(digits) // 10, reference)
        return "DATE", decade, "START" if first else "END"
    year = int(match["year"]) if match["year"] else reference.year
    if match["named"]:  # "the first half of next year"
        year = reference.year + _NAMED_YEAR_SHIFT[match["named"].lower()]
    return "DATE", f"{year:04}-H{1 if first else 2}", None


@_rule(rf"(?:the\s+)?(?:(?P<which>latest|year-earlier|year-ago|same|{_YEAR})\s+)(?:quarter|period)")
def _named_period(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    reported = _last_quarter(reference)
    which = match["which"].lower()
    if which.isdigit():  # "the 1988 quarter": that year's quarter of the one reported now
        if match[0].lower().endswith("period"):
            return "DATE", which, None  # "the 1988 period" may be any part of the year
        return "DATE", _quarter(reported.replace(year=int(which))), None
    if which in ("year-earlier", "year-ago"):
        return "DATE", _quarter(reported.replace(year=reported.year - 1)), None
    return "DATE", _quarter(reported), None


_ENDED_ON = re.compile(rf"\s+(?:end(?:ed|ing)\b|to\s+(?:the\s+end\s+of\s+)?{_MONTH}(?!\w))", re.I)


def _last_quarter(reference: date) -> date:
    """A day in the last completed quarter: the one results reported now are about."""
    return date(reference.year, ((reference.month - 1) // 3) * 3 + 1, 1) - timedelta(days=1)


@_rule(r"(?P<word>year-earlier|year-ago|a year earlier|a year ago|the year before|the previous year)")
def _year_ago(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    return "DATE", f"{reference.year - 1:04}", None


def _year_ago_quarter(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    """In results news, "a year earlier" is the reported quarter of the year before."""
    reported = _last_quarter(reference)
    return "DATE", _quarter(reported.replace(year=reported.year - 1)), None


_QUARTER_SENSITIVE: dict[Normaliser, Normaliser] = {_year_ago: _year_ago_quarter}
