"""Page furniture: the interface words and phrase rules that mark a line as boilerplate, and why."""

from __future__ import annotations

import re

# Boilerplate. A short line made almost wholly of interface words, with at least one word that
# names what the widget is, is boilerplate of that kind; a few phrase rules catch longer notices.
_REASON_WORDS = {
    "comment widget": {"comment", "comments", "reply", "replies", "discussion"},
    "navigation": {
        "previous",
        "prev",
        "next",
        "older",
        "newer",
        "home",
        "menu",
        "skip",
        "breadcrumb",
        "top",
    },
    "share buttons": {
        "share",
        "shares",
        "shared",
        "tweet",
        "pin",
        "pinterest",
        "facebook",
        "twitter",
        "whatsapp",
        "linkedin",
        "telegram",
        "reddit",
        "email",
        "e-mail",
        "print",
        "messenger",
        "flipboard",
        "vk",
    },
    "subscription prompt": {
        "subscribe",
        "subscription",
        "newsletter",
        "newsletters",
        "signup",
        "sign",
        "follow",
        "notifications",
        "register",
        "login",
        "log",
        "rss",
    },
    "related links": {"related", "recommended", "popular", "trending", "latest", "most"},
    "advertisement": {
        "advertisement",
        "advertising",
        "sponsored",
        "ad",
        "ads",
        "promoted",
        "promotion",
    },
    "tags": {"tags", "tag", "labels", "label", "categories", "category", "topics"},
}


_FILLER_WORDS = {
    "a",
    "an",
    "the",
    "this",
    "that",
    "these",
    "to",
    "on",
    "in",
    "of",
    "for",
    "our",
    "us",
    "you",
    "your",
    "me",
    "my",
    "with",
    "and",
    "or",
    "by",
    "at",
    "from",
    "via",
    "all",
    "more",
    "now",
    "here",
    "click",
    "tap",
    "up",
    "post",
    "posts",
    "story",
    "stories",
    "article",
    "articles",
    "page",
    "view",
    "show",
    "load",
    "add",
    "write",
    "leave",
    "read",
    "also",
    "may",
    "like",
    "get",
    "join",
    "free",
    "app",
    "download",
    "continue",
    "reading",
    "link",
    "links",
    "feed",
    "it",
    "is",
    "be",
    "first",
    "newest",
    "oldest",
    "sort",
    "new",
    "news",
    "go",
    "back",
    "copy",
    "x",
    "whatsapp",
    "see",
    "open",
    "close",
    "no",
    "yet",
    "s",
    "today",
    "daily",
    "week",
    "weekly",
    "alerts",
    "updates",
    "account",
    "site",
    "website",
    "blog",
}
_ALL_UI_WORDS = _FILLER_WORDS.union(*_REASON_WORDS.values())


# (reason, pattern, most words, substrings one of which the line must hold; none: anchored rule)
_PHRASE_RULES: list[tuple[str, re.Pattern[str], int, tuple[str, ...]]] = [
    (
        "copyright notice",
        re.compile(r"^(?:copyright\b|©|\(c\)\s*\d{4})|\ball rights reserved\b", re.I),
        40,
        ("copyright", "©", "(c)", "rights reserved"),
    ),
    (
        "cookie notice",
        re.compile(
            r"\b(?:we use cookies|(?:site|website) uses cookies|accept (?:all )?cookies|"
            r"cookie (?:policy|settings|preferences|consent))\b",
            re.I,
        ),
        80,
        ("cookie",),
    ),
    ("tags", re.compile(r"^(?:tags|labels|categories|topics|filed under)\s*:", re.I), 40, ()),
    (
        "related links",
        re.compile(
            r"^(?:related(?: articles?| posts?| stories| news)?|read (?:more|also)|also read|see also|"
            r"more from [\w .]+|you (?:may|might) also like|recommended(?: for you)?)\s*[:\-–—»]",
            re.I,
        ),
        40,
        (),
    ),
    # "Also on rt.com", "More on bbc.co.uk": a pointer to the site's other pages, named by its domain.
    (
        "related links",
        re.compile(r"^(?:also|more)\s+(?:on|from|at)\s+(?:www\.)?[\w-]+(?:\.[a-z]{2,6})+\b", re.I),
        12,
        (),
    ),
    # "Follow Newsbeat on Instagram, Facebook and YouTube.": an invitation, however the networks are listed.
    (
        "subscription prompt",
        re.compile(
            r"^[Ff]ollow\s+(?:us|[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3})\s+(?:on|at)\s+"
            r"(?:[A-Z][\w.]*|@\w+)(?:\s*(?:,|and|&)\s*(?:[A-Z][\w.]*|@\w+))*\.?$",
        ),
        16,
        (),
    ),
    ("posting metadata", re.compile(r"^posted (?:by|in|on)\b", re.I), 20, ()),
    (
        "advertisement",
        re.compile(r"^(?:advertisement|sponsored content|scroll to continue with content)$", re.I),
        5,
        (),
    ),
]


_LONGEST_NOTICE = max(rule[2] for rule in _PHRASE_RULES)
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+")
_SEPARATOR = re.compile(r"^[\W_]+$")


def boilerplate_reason(text: str) -> str | None:
    """Why a line is page furniture rather than article text, or None if it is article text."""
    length = len(text.split())
    if length > _LONGEST_NOTICE:
        return None  # a long line is prose, whatever words it uses
    if _SEPARATOR.match(text):
        return "separator"
    lowered = text.lower()
    for reason, pattern, max_words, needs in _PHRASE_RULES:
        # Unanchored rules scan the whole line: run them only where a word they need is present.
        if length <= max_words and (not needs or any(n in lowered for n in needs)) and pattern.search(text):
            return reason
    if length > 10 or text.rstrip().endswith((".", ".”", '."')):
        return None
    words = [w.lower() for w in _WORD.findall(text)]
    interface = [w for w in words if w in _ALL_UI_WORDS or w.isdigit()]
    if not words or len(interface) < 0.75 * len(words):
        return None
    for reason, names in _REASON_WORDS.items():
        if any(w in names for w in words):
            return reason
    return None
