"""Quotations in Russian text: «…» with „…“ or "…" nested inside, straight "…", and dash-led direct speech."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["DASHES", "Quotation", "find_quotations", "is_dash"]

DASHES = "—–"
# Marks that open a quotation and the mark that closes each; «» nest, so depth is counted for them.
_PAIRS = {"«": "»", "„": "“", "“": "”"}
_WORD = re.compile(r"\w+")


def is_dash(text: str) -> bool:
    """A dash that joins a quotation to its speaker's tag (a hyphen between spaces counts: typists write one)."""
    return text in DASHES or text == "-"


@dataclass(frozen=True, slots=True)
class Quotation:
    """The words between a pair of quotation marks (marks excluded), and where the marks stand."""

    start: int
    end: int
    open_at: int
    close_at: int

    def words(self, text: str) -> int:
        """How many words the quotation holds."""
        return len(_WORD.findall(text, self.start, self.end))


def find_quotations(text: str) -> list[Quotation]:
    """Outermost quotations of the text in order; an unclosed mark is left alone (a truncated page, a typo)."""
    found: list[Quotation] = []
    at = 0
    length = len(text)
    while at < length:
        char = text[at]
        if char in _PAIRS:
            close = _closing(text, at, char, _PAIRS[char])
            if close is not None:
                found.append(Quotation(at + 1, close, at, close))
                at = close + 1
                continue
        elif char == '"':
            close = text.find('"', at + 1)
            # A straight quotation stays inside its paragraph; a lone mark is a typo, not a quotation to the end.
            if close > at and "\n" not in text[at:close]:
                found.append(Quotation(at + 1, close, at, close))
                at = close + 1
                continue
        at += 1
    return found


def _closing(text: str, at: int, opening: str, closing: str) -> int | None:
    """Where the mark opened at ``at`` closes, counting nested pairs of the same kind, within its paragraph."""
    depth = 0
    for index in range(at, len(text)):
        char = text[index]
        if char == "\n":
            return None  # a quotation stays in its paragraph: a dangling mark is left alone, not read to the end
        if char == opening and (opening != closing):
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return index
    return None
