"""Time expressions found in text and normalised to TIMEX3 values against a reference date.

Written for news English rather than taken from a package: dateparser misses relative
expressions ("earlier this week") and invents days, Microsoft Recognizers-Text takes about half a
second per article, HeidelTime needs Java and is GPL. Each rule below is a pattern and a
normaliser; where several match, the longest wins. Tense (for a bare "Friday" or "March") is read
from future markers in the same sentence; news reports the past unless it says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from newstrace.clean.dates import MONTHS, WEEKDAYS, find_explicit_dates
from newstrace.model import Article, TimeExpr

__all__ = ["find_times"]

_UNITS = {
    "second": ("S", True),
    "minute": ("M", True),
    "hour": ("H", True),
    "day": ("D", False),
    "week": ("W", False),
    "month": ("M", False),
    "quarter": ("Q", False),
    "year": ("Y", False),
    "decade": ("DE", False),
    "century": ("CE", False),
}
_ONES = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_NUMBER_WORDS = {word: n for n, word in enumerate(_ONES, 1)}
_NUMBER_WORDS |= {word: n for n, word in enumerate(_TEENS, 10)}
_NUMBER_WORDS |= {word: n for n, word in enumerate(_TENS, 2)} | {"a": 1, "an": 1, "hundred": 100}
for _tens_word in _TENS:
    _NUMBER_WORDS[_tens_word] = (_TENS.index(_tens_word) + 2) * 10
_VAGUE = {"several", "few", "a few", "some", "many", "couple", "a couple of", "couple of", "recent", "the past few"}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_DAY_ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                      "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                      "eighteenth", "nineteenth", "twentieth"]  # fmt: skip
_DAY_ORDINALS = {word: n for n, word in enumerate(_DAY_ORDINAL_WORDS, 1)}
_DAY_ORDINALS |= {f"twenty{sep}{word}": 20 + n for n, word in enumerate(_DAY_ORDINAL_WORDS[:9], 1) for sep in "- "}
_DAY_ORDINALS |= {"thirtieth": 30, "thirty-first": 31, "thirty first": 31}
_DAY_ORDINALS = dict(sorted(_DAY_ORDINALS.items(), key=lambda item: -len(item[0])))  # longest first in the pattern
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_LAST_MONTH = {"SP": 5, "SU": 8, "FA": 11, "WI": 2}  # the month each season ends in
_PARTS_OF_DAY = {"morning": "TMO", "afternoon": "TAF", "evening": "TEV", "night": "TNI"}
# Cues in the words just before an expression that put a bare "Monday" in the future.
_FUTURE = re.compile(
    r"\b(?:will|shall|'ll|going to|is to|are to|scheduled|set to|due|plans? to|planned|planning|as soon as|"
    r"as early as|expected to|"
    r"expects to|resumes?|meets?|begins?|starts?|opens?|until|next|must|needs? to|has to|have to)\b",
    re.I,
)
# What follows "a second" when it is the ordinal, and "a quarter" when it is a fraction.
_ORDINAL_USE = re.compile(r"\s+(?!(?:ago|later|earlier|before|after|or|and|of|in|to)\b)[a-z]", re.I)
_FRACTION_USE = re.compile(r"\s+of\b(?!\s+(?:the\s+)?(?:year|fiscal|calendar|\d{4})\b)", re.I)
_PREPOSITION_BEFORE = re.compile(r"\b(?:in|since|until|till|through|by|during|from|before|after|of|between)\s+$", re.I)
_OPENING_QUOTE = re.compile(r"(?:\"|“|``|')$")
_ACRONYM_BEFORE = re.compile(r"\b[A-Z]{2,}\s+$")
_EVENT_NAMED = re.compile(r"\s+(?:for|of)\s+(?:the\s+)?[A-Z]")
_NOUN_AFTER = re.compile(r"\s+[a-z]")
_BEFORE_WINDOW = 40  # characters before a match that the words deciding its reading fit in
_FUTURE_DISTANCE = 2.0  # how much farther a yearless month ahead of the reference date counts than one behind
_FUTURE_WINDOW = 45  # characters before the expression: roughly the verb phrase that governs it

_W = r"(?:\s+|-)"
_NUM_WORD = rf"(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_ONES)}))?|{'|'.join(_TEENS + _ONES)}"
_NUM = rf"(?:\d+(?:\.\d+)?|{_NUM_WORD}|an?|several|a few|few|some|many|a couple of|hundreds of|thousands of)"
_UNIT = r"(?:second|minute|hour|day|week|month|quarter|year|decade|centur(?:y|ie))s?"
_FULL_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december"}  # fmt: skip
_MONTH_ABBREVIATIONS = sorted(set(MONTHS) - _FULL_MONTHS, key=len, reverse=True)
# A full stop belongs to an abbreviation ("Dec."), never to a full name at the end of a sentence.
_MONTH = rf"(?:{'|'.join(sorted(_FULL_MONTHS, key=len, reverse=True))}|(?:{'|'.join(_MONTH_ABBREVIATIONS)})\.?)"
_WEEKDAY = r"(?:" + "|".join(sorted((w for w in WEEKDAYS if len(w) > 3), key=len, reverse=True)) + r")"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_SPELLED_YEAR = (
    rf"(?:the\s+year\s+)?(?:nineteen[- ](?:hundred(?:\s+and)?[- ])?(?:{_NUM_WORD})"
    rf"|two[- ]thousand(?:(?:\s+and)?[- ](?:{_NUM_WORD}))?)"
)
_RELATIVE = r"(?:this|last|next|past|previous|coming|current)"
_EDGE = r"(?:early|mid|late|the end of|the beginning of|the start of|the middle of)"


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    type: str
    value: str
    mod: str | None = None
    relative: bool = True


Normaliser = Callable[[re.Match[str], date, bool], tuple[str, str, str | None] | None]
_RULES: list[tuple[re.Pattern[str], Normaliser]] = []


def _rule(pattern: str) -> Callable[[Normaliser], Normaliser]:
    def register(normaliser: Normaliser) -> Normaliser:
        _RULES.append((re.compile(rf"(?<![\w-]){pattern}(?![\w])", re.I), normaliser))
        return normaliser

    return register


def find_times(text: str, reference: date | None) -> list[TimeExpr]:
    """Every time expression in ``text``, normalised against ``reference`` (relative ones need it)."""
    candidates: list[_Found] = []
    quarterly = _mentions_quarters(text)
    for pattern, normalise in _RULES:
        for match in pattern.finditer(text):
            window = text[max(0, match.start() - _FUTURE_WINDOW) : match.start()]
            future = bool(_FUTURE.search(window.rsplit(".", 1)[-1]))
            if normalise in _QUARTER_SENSITIVE and quarterly(match.start()):
                normalise = _QUARTER_SENSITIVE[normalise]
            result = normalise(match, reference or date(1, 1, 1), future) if reference or _absolute(match) else None
            if result is not None:
                kind, value, mod = result
                relative = kind != "DURATION" and not _absolute(match)
                candidates.append(_Found(match.start(), match.end(), kind, value, mod, relative))
    for explicit in find_explicit_dates(text):  # numeric and written-out full dates, order decided per document
        candidates.append(_Found(explicit.start, explicit.end, "DATE", explicit.value.isoformat(), relative=False))
    chosen: list[_Found] = []
    for found in sorted(candidates, key=lambda f: (-(f.end - f.start), f.start)):
        if all(found.end <= other.start or other.end <= found.start for other in chosen):
            chosen.append(found)
    chosen = _resolve_anaphora(sorted(chosen, key=lambda f: f.start), reference)
    anchor = reference.isoformat() if reference else None
    return [
        TimeExpr(text[f.start : f.end], f.start, f.end, f.type, f.value, f.mod, anchor if f.relative else None)
        for f in sorted(chosen, key=lambda f: f.start)
    ]


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


def _preceded_by(pattern: re.Pattern[str], match: re.Match[str]) -> bool:
    """Whether the words just before a match end with ``pattern`` (anchored with ``$``)."""
    return bool(pattern.search(match.string, max(0, match.start() - _BEFORE_WINDOW), match.start()))


def _absolute(match: re.Match[str]) -> bool:
    return bool(re.search(_YEAR, match[0]))


def _mentions_quarters(text: str) -> Callable[[int], bool]:
    """Whether the sentence around a position speaks of quarters (financial results)."""
    bounds = [0, *(m.end() for m in re.finditer(r"[.!?]\s", text)), len(text)]

    def mentions(position: int) -> bool:
        sentence = max(index for index, b in enumerate(bounds) if b <= position)
        start = bounds[max(0, sentence - 1)]  # this sentence and the one before
        end = min((b for b in bounds if b > position), default=len(text))
        return bool(re.search(r"\bquarter|\bperiod\b", text[start:end], re.I))

    return mentions


# Values


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


# Rules. Order does not matter: the longest match wins.


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


def _decade(tens: int, reference: date) -> str:
    """The decade a two-digit "80s" means: the latest to have begun by the reference date, or the one about to
    begin (written in 1989, "the nineties" are the 1990s)."""
    century = reference.year // 100 * 100
    start = century + tens * 10
    if start > reference.year + _DECADE_LOOKAHEAD:
        start -= 100
    return str(start)[:3]


_DECIMAL_PART = re.compile(r"[.,]\d")
_DECADE_LOOKAHEAD = 2  # years before its start that a decade is already spoken of as "the nineties"


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


def _spelled_year_value(text: str) -> int | None:
    """1996 for "nineteen ninety-six", 2001 for "two thousand and one"."""
    words = re.sub(r"\b(?:hundred|and|the|year)\b", " ", text.lower()).replace("-", " ").split()
    if words[:2] == ["two", "thousand"]:
        rest = _number(" ".join(words[2:])) if words[2:] else 0
        return 2000 + rest if rest is not None else None
    rest = _number(" ".join(words[1:]))
    return 1900 + rest if rest is not None and rest < 100 else None


@_rule(rf"(?P<year>{_SPELLED_YEAR})")
def _spelled_year(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    if match["year"].lower().endswith("thousand") and not match["year"].lower().startswith("the year"):
        return None  # "two thousand years": a count
    year = _spelled_year_value(match["year"])
    return ("DATE", f"{year:04}", None) if year is not None else None


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
    shift = sign * count
    if unit == "day":
        return "DATE", _day(reference + timedelta(days=shift)), None
    if unit == "week":
        return "DATE", _week(reference + timedelta(weeks=shift)), None
    if unit == "month":
        return "DATE", _month(*_shift_months(reference, shift)), None
    if unit == "year":
        return "DATE", f"{reference.year + shift:04}", None
    if unit == "decade":
        return "DATE", str(reference.year + 10 * shift)[:3], None
    return None


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


def _day_named(word: str | None, reference: date, future: bool) -> date:
    """The day a weekday or "today"/"yesterday"/"tomorrow" names (the reference date for none)."""
    if word is None:
        return reference
    word = word.lower()
    if word in WEEKDAYS:
        return _weekday_date(reference, WEEKDAYS[word], future)
    return reference + timedelta(days=_DEICTIC_SHIFT[word])


_DEICTIC_SHIFT = {"today": 0, "yesterday": -1, "tomorrow": 1}


@_rule(r"(?:the\s+)?(?P<word>year-end|year[’']?s? end|end of the year|end of the month)")
def _period_end(match: re.Match[str], reference: date, future: bool) -> tuple[str, str, str | None] | None:
    if "month" in match["word"].lower():
        return "DATE", _month(reference.year, reference.month), "END"
    return "DATE", f"{reference.year:04}", "END"


def annotate_times(article: Article) -> Article:
    """Time expressions normalised to TIMEX3 values against the article's reference date."""
    reference = date.fromisoformat(article.reference_date) if article.reference_date else None
    article.times = find_times(article.text, reference)
    return article
