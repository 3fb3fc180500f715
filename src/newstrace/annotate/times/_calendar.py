"""Rules for calendar names: a month and day, a month, a year, a decade, a century."""

from __future__ import annotations

import re
from datetime import date

from newstrace.annotate.times._patterns import (
    _DAY_ORDINALS,
    _EDGE,
    _EVENT_NAMED,
    _FULL_MONTHS,
    _MONTH,
    _PREPOSITION_BEFORE,
    _SPELLED_YEAR,
    _WEEKDAY,
    _YEAR,
    _preceded_by,
)
from newstrace.annotate.times._registry import RuleGroup
from newstrace.annotate.times._values import (
    _NAMED_YEAR_SHIFT,
    _day,
    _day_of_month,
    _decade,
    _edge_mod,
    _month,
    _month_year,
    _spelled_year_value,
)
from newstrace.clean.dates import MONTHS

_rule = RuleGroup()
RULES = _rule.rules


@_rule(
    rf"(?:(?P<relative>last|next|this\s+coming|coming)\s+)?(?:(?P<weekday>{_WEEKDAY}),?\s+)?"
    rf"(?:(?P<month>{_MONTH})\s+(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?|(?P<day_word>{'|'.join(_DAY_ORDINALS)})(?!-))"
    rf"|(?P<day_first>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month_after>{_MONTH}))(?!,?\s+\d{{4}})"
)
def _month_day(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    name = match["month"] or match["month_after"]  # "March 21" or, as British copy writes it, "21 March"
    if not name[0].isupper():
        return None  # month names are capitalised; "march" is the verb
    day = int(match["day"] or match["day_first"]) if not match["day_word"] else _DAY_ORDINALS[match["day_word"].lower()]
    on = _day_of_month(match, reference, future, name, day, (match["relative"] or "").lower())
    return ("DATE", _day(on), None) if on else None


@_rule(
    rf"(?:(?P<edge>{_EDGE})[- ]?(?:of\s+)?)?(?:(?P<relative>this|last|next)\s+)?"
    rf"(?P<month>{_MONTH})(?:(?:,?\s+|\s+of\s+)(?P<year>{_YEAR}|{_SPELLED_YEAR}))?"
)
def _month_alone(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    if not match["month"][0].isupper():
        return None  # month names are capitalised; "march" is the verb
    name = match["month"].lower().rstrip(".")
    bare = not (match["year"] or match["relative"] or match["edge"])
    if name == "may" and bare and not _preceded_by(_PREPOSITION_BEFORE, match):
        return None  # the verb or a surname ("Theresa May"), unless a preposition makes it a month
    if bare and _EVENT_NAMED.match(match.string, match.end()) and not _preceded_by(_PREPOSITION_BEFORE, match):
        return None  # "the March for Life", "the March of the Combatant Mothers": a procession
    if name not in _FULL_MONTHS and not match[0].endswith(".") and not match["year"]:
        return None  # an abbreviation without its full stop ("Mar", "Sun") is rarely a month in prose
    month = MONTHS[name]
    if match["year"]:
        year = int(match["year"]) if match["year"].isdigit() else _spelled_year_value(match["year"]) or reference.year
    elif match["relative"]:
        relative = match["relative"].lower()
        year = reference.year + _NAMED_YEAR_SHIFT[relative]
        if relative == "last" and month < reference.month:
            year = reference.year
        if relative == "next" and month > reference.month:
            year = reference.year
    else:
        year = _month_year(match, reference, month, future)
    return "DATE", _month(year, month), _edge_mod(match["edge"])


@_rule(
    rf"(?:(?P<edge>{_EDGE})[- ]?)?(?:(?:the\s+)?(?:(?:fiscal|calendar)\s+)?year\s+|(?:fiscal|calendar)\s+)?"
    rf"(?P<year>{_YEAR})(?P<decade>s)?"
)
def _year(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    if _DECIMAL_PART.match(match.string, match.end()):
        return None  # "closed at 2082.1": a number with a fraction
    year = match["year"]
    if match["decade"]:
        return "DATE", year[:3], _edge_mod(match["edge"])  # TIMEX3 writes a decade as its first three digits
    return "DATE", year, _edge_mod(match["edge"])


_DECIMAL_PART = re.compile(r"[.,]\d")
_AGE_BEFORE = re.compile(r"\b(?:in|into)\s+(?:his|her|their|its|your|my|our)\s+(?:early\s+|mid-?\s*|late\s+)?$", re.I)
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                 "eighties": 8, "nineties": 9}  # fmt: skip


@_rule(rf"(?:(?P<edge>{_EDGE})[- ]?(?:of\s+)?)?(?:the\s+)?(?P<decade>'?\d0)s")
def _short_decade(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    if _preceded_by(_AGE_BEFORE, match):
        return None  # "in their 30s": an age
    return "DATE", _decade(int(match["decade"].lstrip("'")) // 10, reference), _edge_mod(match["edge"])


@_rule(rf"(?:(?P<edge>{_EDGE})[- ]?(?:of\s+)?)?the\s+(?P<decade>{'|'.join(_DECADE_WORDS)})")
def _decade_word(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    return "DATE", _decade(_DECADE_WORDS[match["decade"].lower()], reference), _edge_mod(match["edge"])


_CENTURY_WORDS = {"eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
                  "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
                  "twenty-first": 21, "twenty first": 21}  # fmt: skip


@_rule(
    rf"(?:(?P<edge>{_EDGE})[- ]?(?:of\s+)?)?(?:the\s+)?"
    rf"(?:(?P<number>\d{{1,2}})(?:st|nd|rd|th)|(?P<word>{'|'.join(_CENTURY_WORDS)}))[- ]century"
)
def _ordinal_century(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    number = int(match["number"]) if match["number"] else _CENTURY_WORDS[match["word"].lower()]
    return "DATE", f"{number - 1:02}", _edge_mod(match["edge"])


@_rule(rf"(?P<year>{_SPELLED_YEAR})")
def _spelled_year(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    if match["year"].lower().endswith("thousand") and not match["year"].lower().startswith("the year"):
        return None  # "two thousand years": a count
    year = _spelled_year_value(match["year"])
    return ("DATE", f"{year:04}", None) if year is not None else None
