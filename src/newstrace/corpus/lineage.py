"""Where an article says its text came from: "via RIA Novosti", "(AP) —", "Reuters reported", "according to TASS",
"first reported by The Information"; never whom a source spoke to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newstrace.model import Article, Span

__all__ = ["LineageEdge", "find_lineage", "is_outlet", "lineage_in"]

# Wire services and agencies named without an outlet word ("Reuters", not "Reuters News").
WIRES = frozenset(
    {
        "ABC", "AFP", "ANI", "ANSA", "AP", "Agence France-Presse", "Al Jazeera", "Associated Press", "BBC",
        "Bloomberg", "CBS", "CNN", "DPA", "EFE", "Fox News", "Interfax", "Kyodo", "NBC", "NPR", "PTI", "RIA",
        "RIA Novosti", "Reuters", "Sputnik", "TASS", "UPI", "Xinhua", "Yonhap", "dpa",
    }
)  # fmt: skip
# The last word of a name that is an outlet's: "Moscow Times", "Daily Mail", "Kyiv Independent".
OUTLET_WORDS = frozenset(
    {
        "Agency", "Broadcasting", "Channel", "Chronicle", "Daily", "Gazette", "Guardian", "Herald", "Independent",
        "Insider", "Journal", "Mail", "Media", "Mirror", "News", "Novosti", "Post", "Press", "Radio", "Star",
        "Telegraph", "Times", "Today", "Tribune", "TV", "Wire",
    }
)  # fmt: skip

# A capitalised name; a full stop only inside it ("U.S."), never before a space or the end, so a sentence end stops it.
_WORD = r"[A-Z](?:[\w&'-]|\.(?!\s|$))*"
_NAME = r"(?:[Tt]he\s+)?(?P<source>" + _WORD + r"(?:[ -](?:" + _WORD + r"|of|de))*)"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dateline credit", re.compile(r"\((?P<source>[A-Z][A-Za-z&. -]{0,40}?)\)\s*[—–-]+\s")),
    ("via", re.compile(r"\b[Vv]ia\s+" + _NAME)),
    ("reported", re.compile(_NAME + r"\s+(?:has\s+|had\s+)?(?:reported|reports)\b")),
    ("according to", re.compile(r"\b[Aa]ccording\s+to\s+" + _NAME)),
    ("reported by", re.compile(r"\b(?:first\s+|originally\s+)?(?:reported|published)\s+(?:first\s+)?by\s+" + _NAME)),
)
# Not a credit: "told RIA Novosti", "speaking to the BBC", "in an interview with CNN" name whom a source spoke to, the
# channel of a quotation, not where the article's text came from.


@dataclass(frozen=True, slots=True)
class LineageEdge:
    """An article crediting another outlet for its text, with the words that say so."""

    article_id: str
    source: str
    cue: str
    evidence: Span


def is_outlet(name: str) -> bool:
    """Whether a name is a news outlet's: a wire service or a name ending in an outlet word."""
    name = name.strip()
    if name in WIRES or name.removeprefix("the ").removeprefix("The ") in WIRES:
        return True
    return name.split()[-1] in OUTLET_WORDS if name else False


def _outlet_in(name: str, at_end: bool) -> str | None:
    """The longest run of words at the start (or end) of a name that names an outlet.

    "RIA Novosti Galuzin" -> "RIA Novosti"; at the end, "Friday Reuters" -> "Reuters" (the name runs into a verb).
    """
    parts = name.split()
    for size in range(len(parts), 0, -1):
        candidate = " ".join(parts[-size:] if at_end else parts[:size])
        if is_outlet(candidate):
            return candidate
    return None


def find_lineage(article: Article) -> list[LineageEdge]:
    """Every credit to an outlet in the article's text, first occurrence per outlet and cue kept."""
    return lineage_in(article.id, article.text)


def lineage_in(article_id: str, text: str) -> list[LineageEdge]:
    """Every credit to an outlet in one article's cleaned text (``find_lineage`` without the Article)."""
    edges: list[LineageEdge] = []
    seen: set[tuple[str, str]] = set()
    for cue, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            source = _outlet_in(match.group("source"), at_end=cue == "reported")
            if source is None or (source, cue) in seen:
                continue
            seen.add((source, cue))
            source_start = text.index(source, match.start("source"))
            if cue == "reported":
                # The span runs from the outlet's name to the verb: "Reuters reported".
                start, end = source_start, match.end()
            else:
                start, end = match.start(), source_start + len(source)
            if cue == "dateline credit":
                end = match.end("source") + 1
            edges.append(LineageEdge(article_id, source, cue, Span(start, end, text[start:end])))
    return sorted(edges, key=lambda edge: edge.evidence.start)
