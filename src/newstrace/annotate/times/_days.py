"""Rules for days: named from the reference date ("Friday"), from the story ("the next morning"), or by a holiday."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from newstrace.annotate.times._anaphora import _anaphor
from newstrace.annotate.times._patterns import _ACRONYM_BEFORE, _NOUN_AFTER, _PARTS_OF_DAY, _WEEKDAY, _preceded_by
from newstrace.annotate.times._registry import RuleGroup
from newstrace.annotate.times._values import (
    _day,
    _day_named,
    _edge_mod,
    _first_after,
    _latest_before,
    _occurrence,
    _weekday_date,
)
from newstrace.clean.dates import WEEKDAYS

_rule = RuleGroup()
RULES = _rule.rules


@_rule(r"(?:(?:earlier|later)\s+)?(?P<word>today|tonight|yesterday|tomorrow)")
def _deictic_day(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    if match["word"][0].isupper() and _preceded_by(_ACRONYM_BEFORE, match):
        return None  # "USA Today", "VOA Today": a title
    word = match["word"].lower()
    if word == "tonight":
        return "TIME", _day(reference) + "TNI", None
    return "DATE", _day(_day_named(word, reference, future)), None


@_rule(
    r"(?:(?P<edge>early|late)\s+)?(?P<word>today|yesterday|tomorrow)(?:\s+(?P<part>morning|afternoon|evening|night))"
)
def _deictic_part(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    day = _day_named(match["word"], reference, future)
    return "TIME", _day(day) + _PARTS_OF_DAY[match["part"].lower()], None


@_rule(r"(?P<edge>early|late)\s+(?P<word>today|yesterday|tomorrow)")
def _deictic_edge(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    return "DATE", _day(_day_named(match["word"], reference, future)), _edge_mod(match["edge"])


@_rule(r"(?P<which>this|last)\s+(?P<part>morning|afternoon|evening|night)")
def _part_of_day(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    day = reference - timedelta(days=1 if match["which"].lower() == "last" and match["part"].lower() == "night" else 0)
    return "TIME", _day(day) + _PARTS_OF_DAY[match["part"].lower()], None


@_rule(
    rf"(?:(?:earlier|later)\s+)?(?:(?P<relative>last|next|this\s+coming|coming|this|past)\s+)?(?P<weekday>{_WEEKDAY})"
    r"(?:\s+(?P<part>morning|afternoon|evening|night))?"
)
def _weekday(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    if not match["weekday"][0].isupper():
        return None
    relative = (match["relative"] or "").lower()
    if relative.endswith("coming"):
        relative = "next"  # "this coming Sunday": the first one ahead
    weekday = WEEKDAYS[match["weekday"].lower()]
    day = _weekday_date(reference, weekday, future, relative if relative in ("last", "next") else None)
    if match["part"]:
        return "TIME", _day(day) + _PARTS_OF_DAY[match["part"].lower()], None
    return "DATE", _day(day), None


@_rule(r"(?P<word>now|currently|current|at present|presently|nowadays|these days|at the moment)")
def _present(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    return "DATE", "PRESENT_REF", None


@_rule(r"(?P<word>recently|lately|the past)")
def _past(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    return "DATE", "PAST_REF", None


@_rule(
    r"(?P<word>the (?:near |distant )?future|the (?:near|short|long) term|in the coming (?:days|weeks|months|years))"
)
def _future_ref(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    return "DATE", "FUTURE_REF", None


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The nth (1-based; -1 the last) given weekday of a month."""
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    following = date(year + month // 12, month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


_HOLIDAYS: dict[str, Callable[[int], date]] = {
    "new year's day": lambda y: date(y, 1, 1),
    "new year's eve": lambda y: date(y, 12, 31),
    "valentine's day": lambda y: date(y, 2, 14),
    "independence day": lambda y: date(y, 7, 4),
    "bastille day": lambda y: date(y, 7, 14),
    "halloween": lambda y: date(y, 10, 31),
    "christmas eve": lambda y: date(y, 12, 24),
    "christmas": lambda y: date(y, 12, 25),
    "christmas day": lambda y: date(y, 12, 25),
    "boxing day": lambda y: date(y, 12, 26),
    "martin luther king day": lambda y: _nth_weekday(y, 1, 0, 3),
    "presidents' day": lambda y: _nth_weekday(y, 2, 0, 3),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    # US federal elections: the Tuesday after the first Monday of November.
    "election day": lambda y: _nth_weekday(y, 11, 0, 1) + timedelta(days=1),
}


@_rule(
    r"(?:(?P<edge>later|earlier|early|late)\s+)?(?P<which>that|that same|the same|the following|the preceding)\s+"
    r"(?P<unit>year|quarter|month|week|day)"
)
def _anaphoric(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    shift = {"the following": 1, "the preceding": -1}.get(match["which"].lower(), 0)
    return "DATE", _anaphor(match["unit"].lower(), shift), None


@_rule(
    r"(?:earlier|later)\s+in\s+the\s+(?P<part_in>day|morning|afternoon|evening)"
    r"|the\s+(?P<which>next|following|previous|preceding)\s+(?P<part>day|morning|afternoon|evening|night)"
    r"|the\s+(?P<part_before>day|night)\s+before(?=\s*[,.;!?])"
)
def _narrative_day(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    """ "later in the day", "the next morning", "the night before": a day counted from the one the story tells."""
    part = (match["part_in"] or match["part"] or match["part_before"]).lower()
    shift = (
        -1
        if match["part_before"]
        else {"next": 1, "following": 1, "previous": -1, "preceding": -1}.get((match["which"] or "").lower(), 0)
    )
    if part == "day":
        return "DATE", _anaphor("day", shift), None
    return "TIME", _anaphor("day", shift, _PARTS_OF_DAY[part]), None


@_rule(
    r"(?:(?P<edge>early|mid|late)(?!night)[- ]?(?P<part>morning|afternoon|evening|night)"
    rf"(?:\s+(?P<day>{_WEEKDAY}|today|yesterday|tomorrow))?"
    r"|(?<=\bin\s)the\s+(?P<narrative_part>morning|afternoon|evening))"
)
def _part_of_day_alone(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    """ "mid-afternoon yesterday"; "in the morning" of the day the story is telling."""
    if match["narrative_part"]:
        return "TIME", _anaphor("day", 0, _PARTS_OF_DAY[match["narrative_part"].lower()]), None
    if not match["day"] and "-" in match[0] and _NOUN_AFTER.match(match.string, match.end()):
        return None  # "late-night talks": an adjective
    day = _day_named(match["day"], reference, future)
    return "TIME", f"{_day(day)}{_PARTS_OF_DAY[match['part'].lower()]}", _edge_mod(match["edge"])


@_rule(
    r"(?:(?P<relative>last|next|this)\s+)?(?P<name>"
    + "|".join(re.escape(name).replace("'", "['’]") for name in sorted(_HOLIDAYS, key=len, reverse=True))
    + ")"
)
def _holiday(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    if not match["name"][0].isupper():
        return None  # holidays are capitalised; "halloween costume" in lower case is rare in news copy
    on = _HOLIDAYS[match["name"].lower().replace("’", "'")]
    relative = (match["relative"] or "").lower()
    if relative == "last":
        day = _latest_before(reference, on)
    elif relative == "next":
        day = _first_after(reference, on)
    else:
        day = _occurrence(reference, future, on)
    return "DATE", _day(day), None
