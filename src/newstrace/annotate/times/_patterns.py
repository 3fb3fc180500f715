"""The words and pattern pieces time rules are written with, and how a rule reads the words before a match."""

from __future__ import annotations

import re

from newstrace.clean.dates import MONTHS, WEEKDAYS

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


def _preceded_by(pattern: re.Pattern[str], match: re.Match[str]) -> bool:
    """Whether the words just before a match end with ``pattern`` (anchored with ``$``)."""
    return bool(pattern.search(match.string, max(0, match.start() - _BEFORE_WINDOW), match.start()))
