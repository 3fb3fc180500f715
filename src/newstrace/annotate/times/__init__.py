"""Time expressions found in text and normalised to TIMEX3 values against a reference date.

Written for news English rather than taken from a package: dateparser misses relative
expressions ("earlier this week") and invents days, Microsoft Recognizers-Text takes about half a
second per article, HeidelTime needs Java and is GPL. Each rule is a pattern and a
normaliser; where several match, the longest wins. Tense (for a bare "Friday" or "March") is read
from future markers in the same sentence; news reports the past unless it says otherwise.

Modules: ``_patterns`` (words and pattern pieces), ``_registry`` (how a rule is declared), ``_values`` (TIMEX3
values and date arithmetic), the rule groups ``_calendar``, ``_days``, ``_periods``, ``_durations`` and ``_clock``,
``_anaphora`` ("that year"), ``_russian`` (Russian rules, chosen by ``find_times(language="ru")``), and ``_find``
(the rule tables in order, ``find_times`` and the stage).
"""

from __future__ import annotations

from newstrace.annotate.times._find import annotate_times, find_times

__all__ = ["annotate_times", "find_times"]
