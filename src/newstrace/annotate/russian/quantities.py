"""Figures of a Russian article: the number, its multiplier, unit or counted noun, and any hedge before it.

Numbers are found in the text ("9 тыс.", "5,5%", "$2 млрд", "три тысячи", "двое") rather than by the tagger, which
splits "тыс." and drops "$2"; the counted noun is read from the parse: the words after the figure up to the first
noun, in the genitive a Russian number governs ("около 9 тыс. российских военных") or agreeing with a number word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newstrace.annotate.russian._parse import RussianDoc, Sentence, Token
from newstrace.lexicon import (
    RU_CURRENCIES,
    RU_CURRENCY_COUNTRIES,
    RU_HEDGES,
    RU_MEASURE_UNITS,
    RU_NUMBER_WORDS,
    RU_SCALES,
)
from newstrace.model import Quantity, TimeExpr

__all__ = ["extract_quantities_ru"]


def _any(words: Iterable[str]) -> str:
    """An alternation of words, the longest first."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


_SIGNS = "".join(sign for sign in RU_CURRENCIES if not sign[0].isalpha())
_WORDS = rf"(?:{_any(RU_NUMBER_WORDS)})(?:\s+(?:{_any(RU_NUMBER_WORDS)}))*"
# Digits with spaces between thousands ("1 500") and a decimal comma or point ("5,5").
_DIGITS = r"(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,]\d+)?"
_SCALE_ALONE = r"(?:тысячу|тысяча|миллион|миллиард|триллион)"  # "миллион долларов": one million
_SCALE = rf"(?:{_any(w for w in RU_SCALES if not w.endswith('.'))})\.?"
_CURRENCY_WORD = rf"(?:{_any(w for w in RU_CURRENCIES if w[0].isalpha() and not w.endswith('.'))})"
_FIGURE = re.compile(
    rf"(?<![\w\-/.,№])(?:(?P<sign>[{re.escape(_SIGNS)}])\s?)?"
    rf"(?:(?P<number>{_DIGITS}|{_WORDS})(?:\s*(?P<scale>{_SCALE}))?|(?P<scale_alone>{_SCALE_ALONE}))"
    r"(?![\w-])"
    r"(?:\s*(?P<percent>%|процент(?:а|ов|ам|ами|ах)?(?!\w)|проц\.))?"
    rf"(?:\s+(?:(?P<country>{_any(RU_CURRENCY_COUNTRIES)})\w*\s+)?"
    rf"(?P<currency>{_CURRENCY_WORD}(?!\w)|руб\.|долл\.)(?:\s+США(?!\w))?)?",
    re.I,
)
_HEDGE = re.compile(rf"(?<!\w)(?P<hedge>{_any(RU_HEDGES)})\s+(?:на\s+)?$", re.I)
_ORDINAL_AFTER = re.compile(r"-?(?:й|го|м|х|е|я|ю|ая|ое|ый|ий|летн|кратн)", re.I)
_YEAR = re.compile(r"(?:1[5-9]|20)\d\d")
# Adjectives, determiners and participles before the counted noun ("российских военных", "погибших").
_MODIFIERS = ("ADJ", "DET")


def extract_quantities_ru(doc: RussianDoc, times: list[TimeExpr]) -> list[Quantity]:
    """Counts, money, percentages and measures; dates, times, durations, ordinals and model names excluded."""
    taken = [(t.start, t.end) for t in times]
    found: list[Quantity] = []
    for match in _FIGURE.finditer(doc.text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue  # part of a date or duration: "24 декабря", "три года"
        quantity = _quantity(doc, match)
        if quantity is not None:
            found.append(quantity)
    return found


def _quantity(doc: RussianDoc, match: re.Match[str]) -> Quantity | None:
    number, scale = match["number"], match["scale"] or match["scale_alone"]
    if number and _ORDINAL_AFTER.match(doc.text, match.end("number")) and not scale:
        return None  # "24-й", "50-летний": an ordinal or an adjective
    value = _value(number, scale)
    if value is None:
        return None
    hedge_match = _HEDGE.search(doc.text, max(0, match.start() - 30), match.start())
    hedge = hedge_match["hedge"].lower() if hedge_match else None
    unit, kind = None, "count"
    if match["currency"] or match["sign"]:
        kind = "money"
        unit = _currency(match)
    elif match["percent"]:
        kind, unit = "percent", "%"
    end = match.end()
    scale_stop = match["scale"] and match.end() == match.end("scale") and match["scale"].endswith(".")
    if scale_stop and not scale.lower().startswith("тыс") and re.match(r"\s*$|\s+[A-ZА-ЯЁ]", doc.text[end:]):
        end -= 1  # "выделил $2 млрд.": the full stop ends the sentence ("тыс." keeps its own)
    subject = None
    sentence = doc.sentence_at(match.start())
    if kind == "count" and sentence is not None:
        measure = _measure_unit(sentence, end)
        if measure is not None:
            kind, unit, end = "measure", measure.text, measure.end
        else:
            noun = _counted(sentence, match, end)
            if noun is not None:
                subject = doc.text[noun[0].start : noun[-1].end]
                end = noun[-1].end
    if kind == "count" and not (subject or scale or hedge):
        return None  # a bare number ("пункт 5", "счёт 2:1") says too little to be a figure
    if kind == "count" and number and not scale and (value == 1 or (_YEAR.fullmatch(number) and not subject)):
        return None  # "один" is emphasis; a bare year the rules missed is still a year
    return Quantity(doc.text[match.start() : end], match.start(), end, value, unit, subject, hedge, kind)


def _value(number: str | None, scale: str | None) -> float | None:
    """9000.0 for "9" and "тыс.", 3000.0 for "три" and "тысячи", 5.5 for "5,5"."""
    multiplier = RU_SCALES[scale.lower().rstrip(".")] if scale else 1.0
    if number is None:
        return multiplier
    text = number.lower()
    if text[0].isdigit():
        return float(re.sub(r"[ \u00a0\u202f]", "", text).replace(",", ".")) * multiplier
    total = 0.0
    for word in text.split():
        total += RU_NUMBER_WORDS[word]
    return total * multiplier


def _currency(match: re.Match[str]) -> str | None:
    """The ISO code of the sign or currency word; "белорусских рублей" are BYN."""
    if match["country"]:
        return RU_CURRENCY_COUNTRIES[match["country"].lower()]
    word = (match["currency"] or match["sign"]).lower()
    return RU_CURRENCIES.get(word)


def _after(sentence: Sentence, end: int) -> list[Token]:
    return [token for token in sentence.tokens if token.start >= end]


def _measure_unit(sentence: Sentence, end: int) -> Token | None:
    """The unit right after the figure when it is one ("120 километров", "5 тонн")."""
    following = _after(sentence, end)
    if following and following[0].lemma.lower() in RU_MEASURE_UNITS and following[0].pos in ("NOUN", "X", "PROPN"):
        return following[0]
    return None


def _counted(sentence: Sentence, match: re.Match[str], end: int) -> list[Token] | None:
    """The counted noun with the modifiers before it: genitive after a number, or in the number word's case."""
    words: list[Token] = []
    for token in _after(sentence, end):
        if token.pos in ("NOUN", "PROPN"):
            words.append(token)
            break
        if token.pos in _MODIFIERS or (token.pos == "VERB" and token.feats.get("VerbForm") == "Part"):
            words.append(token)
            continue
        break
    if not words:
        return None
    head = words[-1]
    case = head.feats.get("Case")
    number_case = _number_case(sentence, match)
    if case == "Gen" or (number_case is not None and case == number_case):
        return words
    return None


def _number_case(sentence: Sentence, match: re.Match[str]) -> str | None:
    """The case the parse gives the number word ("трём" dative), for agreement with its noun."""
    for token in sentence.tokens:
        if match.start() <= token.start < match.end() and token.pos == "NUM":
            return token.feats.get("Case")
    return None
