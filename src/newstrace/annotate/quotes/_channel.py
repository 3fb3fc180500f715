"""Where and when a statement was made: the channel and the date named in its own clause."""

from __future__ import annotations

import bisect
import re

from newstrace.annotate.quotes._found import _Found
from newstrace.model import Article, Speaker

_NAME = r"(?:the\s+)?[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,3}"


_PLATFORMS = r"Twitter|X|Facebook|Telegram|Instagram|Weibo|WeChat|YouTube|TikTok|LinkedIn|Truth Social|Threads|Reddit"


# A channel is an outlet, medium, platform, event or addressee; "said Tuesday" or "said Philip Luther" is none.
_CHANNELS: list[tuple[re.Pattern[str], str | None]] = [
    (re.compile(rf"\b(?i:speaking|talking|spoke|said|says|say|wrote|writing)\s+to\s+(?P<to>{_NAME})"), None),
    (re.compile(rf"\b(?i:told|tells|telling|tell)\s+(?P<to>{_NAME})"), None),
    (
        re.compile(rf"\bin an? (?:exclusive |television |TV |radio |phone )?interview (?:with|on|to) (?P<to>{_NAME})"),
        None,
    ),
    (
        re.compile(
            r"\b(?:told|telling|tells) (?P<to>reporters|journalists|the press|lawmakers|supporters|parliament"
            r"|senators|investigators|the court|the jury|the BBC|CNN|a news conference|a press conference)\b"
        ),
        None,
    ),
    (re.compile(r"\bin an? (?:written |joint |short |brief )?statement\b"), "statement"),
    (re.compile(r"\bin an? (?:news |press )release\b"), "press release"),
    (re.compile(r"\b(?:at|during) an? (?:press|news) (?:conference|briefing)\b"), "press conference"),
    (re.compile(r"\bin a speech (?:to|at|before) (?P<to>(?:the\s+)?[\w .&-]{2,40}?)(?=[,.;]|$)"), "speech to {to}"),
    (re.compile(r"\b(?:in|during) a speech\b"), "speech"),
    (re.compile(rf"\b(?:in an? |an? )?(?:post|video|message|tweet|thread) on (?P<to>{_PLATFORMS})\b"), None),
    (re.compile(rf"\b(?:on|via) (?P<to>{_PLATFORMS}|television|TV|radio|state television|state TV)\b"), None),
    (re.compile(r"\b(?:in a tweet|tweeted|tweeting)\b"), "Twitter"),
    (re.compile(r"\bin a letter to (?P<to>(?:the\s+)?[\w .&-]{2,40}?)(?=[,.;]|$)"), "letter to {to}"),
    (re.compile(r"\bin an? (?:interview|podcast|op-ed|letter|video|blog post|memo|filing|court filing)\b"), "{0}"),
]


_NOT_CHANNELS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "i",
    "he", "she", "it", "we", "they", "you", "him", "her", "them", "us", "me", "this", "that", "today",
    "yesterday", "tomorrow", "then", "there", "here", "when", "while", "after", "before", "as", "in", "on", "a",
}  # fmt: skip


def _channel(text: str, item: _Found, speaker: Speaker | None) -> str | None:
    """The outlet, medium, platform, event or addressee named in the statement's own clause, outside what was said."""
    start, end = item.sentence
    clause = text[start:end]
    for pattern, fixed in _CHANNELS:
        for match in pattern.finditer(clause):
            at = start + match.start()
            at_cue = item.cue is not None and item.cue[0] - 2 <= at <= item.cue[1] + 2
            if item.content[0] <= at < item.content[1] and not at_cue:
                continue  # a channel inside the content belongs to what was said
            named = " ".join(match.groupdict().get("to", "").split()) if "to" in match.groupdict() else ""
            if named:
                if named.split()[0].lower() in _NOT_CHANNELS:
                    continue
                if speaker is not None and speaker.name and (named in speaker.name or speaker.name in named):
                    continue  # "said Philip Luther": the speaker, not an addressee
            if fixed is None:
                return named or None
            if fixed == "{0}":
                return match[0].split(maxsplit=2)[-1]
            return fixed.format(to=named) if named else fixed
    return None


_DATED = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?|-W\d{2})?(?:T.*)?$")


def _date(article: Article, item: _Found) -> str | None:
    """When the statement was made: a date or time in its own sentence outside what was said, nearest the cue."""
    anchor = item.cue or item.source or item.content
    start, end = item.sentence
    times = article.times  # in text order: only those inside the sentence are read
    first = bisect.bisect_left(times, start, key=lambda t: t.start)
    last = bisect.bisect_left(times, end, key=lambda t: t.start)
    usable = [
        t
        for t in times[first:last]
        if t.type in ("DATE", "TIME")
        and t.value
        and _DATED.match(t.value)
        and start <= t.start < end
        and not (item.content[0] <= t.start < item.content[1])
    ]
    if not usable:
        return None
    chosen = min(usable, key=lambda t: abs(t.start - anchor[0]))
    value = chosen.value or ""
    return value[:10] if "T" in value else value
