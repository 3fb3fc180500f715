"""Quotation marks: where quotations open and close, and how much of a span they hold."""

from __future__ import annotations

import bisect

from newstrace.annotate.quotes._found import _overlap
from newstrace.model import Span

_OPENING = "\"“«„‚‘'"

_CLOSING = {'"': '"', "“": "”", "«": "»", "„": "“", "‘": "’", "'": "'", "‚": "‘"}
# A copy often mixes kinds (“…" or "…”, typed or converted by another system): a mark of the open quotation's family
# that stands where a quotation ends (after a word, before a space or punctuation) closes it. One that stands where a
# quotation begins opens a quotation inside it, which the next such mark closes ("called it "a disaster" then");
# after a digit it is inches ("13.3"").
_FAMILY = {'"': '"”', "“": '”"', "„": '“”"', "«": '»"', "‘": "’'", "‚": "‘’'", "'": "'’"}


def quoted_spans(text: str, paragraphs: list[Span], *, mixed_marks: bool = True) -> list[tuple[int, int]]:
    """Quotations with their marks; a paragraph that opens a quote and never closes it runs into the next one.

    ``mixed_marks``: a mark of the quotation's family closes it where a quotation ends (see ``_FAMILY``); without it
    only the quotation's own closing mark does.

    Apostrophes ("countries'", "don't") are not quote marks: a single quote opens only after a
    space or an opening bracket, and closes only before a space or punctuation.
    """
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    closing = family = ""
    paragraphs = sorted(paragraphs, key=lambda p: p.start)
    for number, paragraph in enumerate(paragraphs):
        if open_at is not None and not paragraph.text.lstrip().startswith(tuple(_OPENING)):
            previous_end = paragraphs[number - 1].end if number else paragraph.start
            spans.append((open_at, previous_end))  # the quote never continued
            open_at = None
        if open_at is not None:  # the paragraph re-opens the running quote: skip its opening mark
            position = paragraph.start + len(paragraph.text) - len(paragraph.text.lstrip()) + 1
        else:
            position = paragraph.start
        nested = False  # a quotation opened inside the open one by a mark of its family
        while position < paragraph.end:
            char = text[position]
            if open_at is None and char in _OPENING and _opens(text, position):
                closing = _CLOSING[char]
                open_at, family, nested = position, _FAMILY[char].replace(closing, "") if mixed_marks else "", False
            elif open_at is not None and char == closing and not nested and _closes(text, position, open_at):
                spans.append((open_at, position + 1))
                open_at = None
            elif open_at is not None and char in family and position != open_at:
                if nested:
                    nested = False
                elif _stands_opening(text, position):
                    nested = True
                elif _stands_closing(text, position):
                    spans.append((open_at, position + 1))
                    open_at = None
            position += 1
        following = paragraphs[number + 1] if number + 1 < len(paragraphs) else None
        if open_at is not None and not (following and following.text.lstrip().startswith(tuple(_OPENING))):
            spans.append((open_at, paragraph.end))
            open_at = None
    return spans


def _stands_opening(text: str, position: int) -> bool:
    """Whether a mark stands where a quotation begins: after a space or bracket, before a word."""
    before = text[position - 1] if position else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    return (before.isspace() or before in "([") and after.isalnum()


def _stands_closing(text: str, position: int) -> bool:
    """Whether a mark stands where a quotation ends: after a word or punctuation (not a digit: 13.3" is inches),
    before a space, punctuation or the end."""
    before = text[position - 1] if position else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    return not before.isspace() and not before.isdigit() and not after.isalnum()


def _opens(text: str, position: int) -> bool:
    before = text[position - 1] if position else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    if text[position] == "'":  # not the apostrophe of "countries'" or "'90s"
        return not before.isalnum() and after.isalpha()
    if text[position] == "‘":
        return not before.isalnum()
    return True


def _closes(text: str, position: int, opened: int) -> bool:
    if position == opened:
        return False
    after = text[position + 1] if position + 1 < len(text) else " "
    if text[position] in "’'":  # "don't" and "Galuzin's" do not close a quote
        return not after.isalnum() and not text[position - 1].isspace()
    return True


def _inside_quotation(quotes: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` falls strictly inside one of the (sorted, non-overlapping) quotations."""
    index = bisect.bisect_left(quotes, (position, position)) - 1
    return index >= 0 and quotes[index][0] < position < quotes[index][1]


def _quotes_within(quotes: list[tuple[int, int]], span: tuple[int, int]) -> list[tuple[int, int]]:
    """The sorted quotations that overlap ``span`` (quotations do not overlap each other)."""
    index = max(0, bisect.bisect_left(quotes, (span[0], span[0])) - 1)
    found = []
    while index < len(quotes) and quotes[index][0] < span[1]:
        if quotes[index][1] > span[0]:
            found.append(quotes[index])
        index += 1
    return found


def _quoted_share(quotes: list[tuple[int, int]], span: tuple[int, int]) -> float:
    """The share of a span's characters inside quotation marks."""
    inside = sum(_overlap(q, span) for q in _quotes_within(quotes, span))
    return inside / max(1, span[1] - span[0])
