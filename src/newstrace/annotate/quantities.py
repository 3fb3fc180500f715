"""Figures: the number, what it counts or measures, and any hedge, read off the dependency parse."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from newstrace.model import Quantity, TimeExpr

__all__ = ["extract_quantities"]

_KINDS = {"MONEY": "money", "PERCENT": "percent", "QUANTITY": "measure", "CARDINAL": "count"}
_HEDGES = [
    "more than", "less than", "fewer than", "up to", "at least", "at most", "as many as", "as much as",
    "close to", "an estimated", "around", "about", "approximately", "roughly", "nearly", "almost", "some",
    "over", "under", "estimated", "circa", "just over", "just under", "some",
]  # fmt: skip
_HEDGE = re.compile(r"(?:" + "|".join(sorted(set(_HEDGES), key=len, reverse=True)) + r")\s*$", re.I)
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "mln": 1e6, "bln": 1e9, "k": 1e3}
_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "dozens": 12, "hundreds": 100,
    "thousands": 1000, "millions": 1e6,
}  # fmt: skip
_CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB", "dollars": "USD", "dollar": "USD",
               "euros": "EUR", "euro": "EUR", "pounds": "GBP", "rubles": "RUB", "roubles": "RUB", "yuan": "CNY",
               "yen": "JPY", "hryvnias": "UAH"}  # fmt: skip


def extract_quantities(docs: list[tuple[int, Doc]], times: list[TimeExpr]) -> list[Quantity]:
    """Counts, money, percentages and measures in paragraphs parsed by spaCy; dates and ordinals excluded."""
    taken = [(t.start, t.end) for t in times]
    found = []
    for offset, doc in docs:
        for ent in doc.ents:
            if ent.label_ not in _KINDS:
                continue
            start, end = offset + ent.start_char, offset + ent.end_char
            if any(s < end and start < e for s, e in taken):
                continue  # part of a date or time: "24/12/2022" is not a figure
            quantity = _quantity(ent, offset)
            if quantity is not None:
                found.append(quantity)
    return found


def _quantity(ent: Span, offset: int) -> Quantity | None:
    numbers = [t for t in ent if t.like_num or t.text in _SCALES or t.lower_ in _WORDS]
    value = _value(numbers)
    if value is None:
        return None
    kind = _KINDS[ent.label_]
    last_number = numbers[-1]
    if kind == "count" and ent.text.lower() in ("one", "a", "an"):
        return None  # "one army" is emphasis, not a figure
    if kind == "count" and re.fullmatch(r"(1[5-9]|20)\d\d", ent.text):
        return None  # a bare year the tagger missed is still a year
    noun = last_number.head if last_number.dep_ in ("nummod", "quantmod", "compound") else None
    if noun is not None and (noun.i < ent.end or noun.pos_ not in ("NOUN", "PROPN")):
        noun = None
    unit, subject = None, None
    span_end = ent.end
    if kind == "money":
        unit = next((_CURRENCIES[t.text.lower()] for t in ent if t.text.lower() in _CURRENCIES), None)
    elif kind == "percent":
        unit = "%"
    if noun is not None:
        compounds = [t for t in noun.lefts if t.dep_ == "compound" and t.i >= ent.end]
        unit = unit or _written_from(noun, compounds, ent.end)
        modifiers = [t for t in noun.lefts if t.i >= ent.end and t.dep_ in ("amod", "compound", "nmod")]
        subject = _written_from(noun, modifiers, ent.end)
        span_end = max(span_end, noun.i + 1)
    elif kind == "measure":
        unit = " ".join(t.text for t in ent if not (t.like_num or t.lower_ in _WORDS or t.text in _SCALES)) or None
    hedge = _hedge(ent)
    doc = ent.doc
    start_char = ent.start_char
    end_char = doc[span_end - 1].idx + len(doc[span_end - 1].text)
    return Quantity(
        text=doc.text[start_char:end_char],
        start=offset + start_char,
        end=offset + end_char,
        value=value,
        unit=unit,
        subject=subject,
        approximate=hedge,
        kind=kind,
    )


def _written_from(noun: Token, modifiers: list[Token], start: int) -> str:
    """The noun with its modifiers as written, from the first one's own first word: "plain-clothes NYPD officers"."""
    first = max(start, min((t.left_edge.i for t in modifiers), default=noun.i))
    return str(noun.doc[first : noun.i + 1].text)


def _value(numbers: list[Token]) -> float | None:
    value: float | None = None
    for token in numbers:
        text = token.text.lower().replace(",", "")
        if text in _SCALES:
            value = (value or 1) * _SCALES[text]
        elif text in _WORDS:
            value = (value or 0) + _WORDS[text] if _WORDS[text] < 100 else (value or 1) * _WORDS[text]
        else:
            try:
                value = float(text.rstrip("%"))
            except ValueError:
                return None
    return value


def _hedge(ent: Span) -> str | None:
    """The hedge inside the entity ("around 9,000") or just before it ("more than 9,000")."""
    inside = [t.text for t in ent if not (t.like_num or t.lower_ in _WORDS or t.text in _SCALES) and t.pos_ != "SYM"]
    before = ent.doc[max(0, ent.start - 3) : ent.start].text
    for candidate in (" ".join(inside), before):
        match = _HEDGE.search(candidate)
        if match:
            return match[0].strip().lower()
    return None
