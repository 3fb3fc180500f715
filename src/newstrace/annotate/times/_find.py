"""Every time expression of a text, the longest match winning, and the times stage over an article."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from newstrace.annotate.times import _calendar, _clock, _days, _durations, _periods, _russian
from newstrace.annotate.times._anaphora import _resolve_anaphora
from newstrace.annotate.times._patterns import _FUTURE, _FUTURE_WINDOW, _YEAR
from newstrace.annotate.times._periods import _QUARTER_SENSITIVE
from newstrace.annotate.times._registry import _Found
from newstrace.clean.dates import find_explicit_dates
from newstrace.model import Article, TimeExpr

# Where two rules match the same words (same start, same length), the one listed first wins.
_RULES = [*_calendar.RULES, *_days.RULES, *_periods.RULES, *_durations.RULES, *_clock.RULES]
# Each language's rules, the words before an expression that make a bare "Monday" ("в субботу") future, and
# whether the rest of its clause counts too (Russian often puts the verb after the time: "в четверг будет").
_LANGUAGES = {"en": (_RULES, _FUTURE, False), "ru": (_russian.RULES, _russian.FUTURE, True)}
LANGUAGES = frozenset(_LANGUAGES)


def find_times(
    text: str, reference: date | None, language: str = "en", future: Callable[[int, int], bool] | None = None
) -> list[TimeExpr]:
    """Every time expression in ``text``, normalised against ``reference`` (relative ones need it); ``future``, where
    given, also says an expression at ``start:end`` is in a future clause (from a parse: "в субботу встретится")."""
    candidates: list[_Found] = []
    rules, cues, clause_after = _LANGUAGES[language]
    quarterly = _mentions_quarters(text) if language == "en" else lambda position: False
    for pattern, normalise in rules:
        for match in pattern.finditer(text):
            window = text[max(0, match.start() - _FUTURE_WINDOW) : match.start()]
            if clause_after:
                window += " " + re.split(r"[.,;:!?—]", text[match.end() : match.end() + _FUTURE_WINDOW], maxsplit=1)[0]
            in_future = bool(cues.search(window.rsplit(".", 1)[-1])) or bool(future and future(*match.span()))
            if normalise in _QUARTER_SENSITIVE and quarterly(match.start()):
                normalise = _QUARTER_SENSITIVE[normalise]
            result = normalise(match, reference or date(1, 1, 1), in_future) if reference or _absolute(match) else None
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


def annotate_times(article: Article) -> Article:
    """Time expressions normalised to TIMEX3 values against the article's reference date."""
    reference = date.fromisoformat(article.reference_date) if article.reference_date else None
    article.times = find_times(article.text, reference)
    return article
