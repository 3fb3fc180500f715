"""Every time expression of a text, the longest match winning, and the times stage over an article."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from newstrace.annotate.times import _calendar, _clock, _days, _durations, _periods
from newstrace.annotate.times._anaphora import _resolve_anaphora
from newstrace.annotate.times._patterns import _FUTURE, _FUTURE_WINDOW, _YEAR
from newstrace.annotate.times._periods import _QUARTER_SENSITIVE
from newstrace.annotate.times._registry import _Found
from newstrace.clean.dates import find_explicit_dates
from newstrace.model import Article, TimeExpr

# Where two rules match the same words (same start, same length), the one listed first wins.
_RULES = [*_calendar.RULES, *_days.RULES, *_periods.RULES, *_durations.RULES, *_clock.RULES]


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
