"""The whosaid rule: where a gold statement lies in a predicted text, and whether a predicted speaker names it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

MENTION_TYPES = ("pronoun", "description", "name", "organisation")

_PRONOUNS = frozenset(
    {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "his", "its", "their", "who", "which", "whom"}
)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_ARTICLES = frozenset({"the", "a", "an"})
# Typographic quote marks and dashes read as their plain forms; a no-break space as a space.
_PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " ", "–": "-", "—": "-"})
_INVISIBLE = frozenset("\u00ad\u200b\ufeff")  # soft hyphen, zero-width space, byte-order mark
_WORD = re.compile(r"\w(?:[\w'.\-]*\w)?")
_EDGE_PUNCTUATION = " .,;:\"'()[]-"
_ARTICLE_PREFIX = re.compile(r"^(?:the|a|an) ")


# ----------------------------------------------------------------------------- locating spans


def _all_positions(text: str, needle: str) -> list[int]:
    """Every start of ``needle`` in ``text``, overlapping ones included."""
    positions = []
    found = text.find(needle)
    while found >= 0:
        positions.append(found)
        found = text.find(needle, found + 1)
    return positions


def _normalised(text: str) -> tuple[str, list[int]]:
    """``text`` with plain quote marks and dashes, no invisible characters and single spaces; and for each
    character kept, its offset in ``text``."""
    kept: list[str] = []
    offsets: list[int] = []
    after_space = False
    for offset, character in enumerate(text):
        if character in _INVISIBLE:
            continue
        character = character.translate(_PLAIN)
        is_space = character.isspace()
        if is_space and after_space:
            continue
        after_space = is_space
        kept.append(" " if is_space else character)
        offsets.append(offset)
    return "".join(kept), offsets


def _pick(positions: list[int], rank: int, relative: float, length: int) -> int:
    """The ``rank``-th occurrence, as in the gold text; else the one nearest the same relative position."""
    if rank < len(positions):
        return positions[rank]
    return min(positions, key=lambda p: abs(p / max(1, length) - relative))


def locate(text: str, content: str, rank: int, relative: float) -> tuple[int, int] | None:
    """Where a gold content lies in the predicted text (exact search first, then normalised), or None."""
    positions = _all_positions(text, content)
    if positions:
        start = _pick(positions, rank, relative, len(text))
        return start, start + len(content)
    plain_text, offsets = _normalised(text)
    plain_content = _normalised(content)[0].strip()
    if not plain_content:
        return None
    positions = _all_positions(plain_text, plain_content)
    if not positions:
        return None
    start = _pick(positions, rank, relative, len(plain_text))
    return offsets[start], offsets[start + len(plain_content) - 1] + 1


def _nearest(positions: list[int], anchor: int) -> int:
    return min(positions, key=lambda p: abs(p - anchor))


def _quote_span(text: str, quote: Mapping[str, Any]) -> tuple[int, int] | None:
    """A predicted quote's content span: its offsets when they hold its text, else where its text is found."""
    content = quote.get("content") or {}
    if isinstance(content, str):
        content = {"text": content}
    if not isinstance(content, Mapping):
        return None
    words = content.get("text") or ""
    start, end = content.get("start"), content.get("end")
    anchor = start if isinstance(start, int) else None
    offsets = (start, end) if isinstance(start, int) and isinstance(end, int) else None
    in_text = offsets is not None and 0 <= offsets[0] < offsets[1] <= len(text)
    if offsets is not None and in_text and (not words or text[offsets[0] : offsets[1]] == words):
        return offsets
    if words:
        positions = _all_positions(text, words)
        if positions:
            best = positions[0] if anchor is None else _nearest(positions, anchor)
            return best, best + len(words)
    if offsets is not None and offsets[0] < offsets[1]:
        return offsets
    return None


# ------------------------------------------------------------------------------ speaker rule


def normalise_name(name: str | None) -> str:
    """A name compared as the rule says: casefolded, plain quote marks, no edge punctuation or leading article."""
    if not name:
        return ""
    # ё is written as е at will in Russian ("Воробьёв", "Воробьев"): one name either way.
    plain = unicodedata.normalize("NFKC", name).translate(_PLAIN).casefold().replace("ё", "е")
    plain = " ".join(plain.split()).strip(_EDGE_PUNCTUATION)
    return _ARTICLE_PREFIX.sub("", plain)


def _name_words(name: str) -> list[str]:
    return _WORD.findall(name)


def _is_unshared_surname(predicted: str, gold: Mapping[str, Any], doc_golds: Sequence[Mapping[str, Any]]) -> bool:
    """The gold person's surname (a suffix such as Jr. aside) that no other person speaking in the doc has."""
    if gold.get("speaker_kind") != "person":
        return False
    surname = normalise_name(predicted)
    if not surname or " " in surname:
        return False
    full = normalise_name(gold.get("speaker"))
    gold_words = _name_words(full)
    while gold_words and gold_words[-1] in _SUFFIXES:
        gold_words.pop()
    if len(gold_words) < 2 or gold_words[-1] != surname:
        return False
    for other in doc_golds:
        other_name = normalise_name(other.get("speaker"))
        if other.get("speaker_kind") == "person" and other_name != full and surname in _name_words(other_name):
            return False  # two people share the surname: the bare surname does not say which
    return True


def speaker_is_right(predicted: str | None, gold: Mapping[str, Any], doc_golds: Sequence[Mapping[str, Any]]) -> bool:
    """Whether a predicted speaker name names the gold statement's speaker (``doc_golds``: the doc's statements)."""
    name = normalise_name(predicted)
    if not name:
        return False
    accepted = [gold.get("speaker"), *(gold.get("accept") or [])]
    if name in {normalise_name(a) for a in accepted}:
        return True
    full = normalise_name(gold.get("speaker"))
    if gold.get("speaker_kind") == "person" and len(_name_words(full)) >= 2 and name.endswith(" " + full):
        return True  # a title or role before the full name: "Spokeswoman Jane Doe"
    return _is_unshared_surname(predicted or "", gold, doc_golds)


def _capitalised_words(text: str) -> set[str]:
    return {w.lower().rstrip("'s") for w in _name_words(text) if w[0].isupper()} - _ARTICLES


def mention_type(gold: Mapping[str, Any]) -> str:
    """The gold statement's mention type; guessed from its mention where the annotation lacks one."""
    given = gold.get("mention_type")
    if given in MENTION_TYPES:
        return str(given)
    mention = (gold.get("mention") or "").strip()
    if mention.lower() in _PRONOUNS:
        return "pronoun"
    names = [gold.get("speaker") or "", *(gold.get("accept") or [])]
    if _capitalised_words(mention) & set().union(*(_capitalised_words(n) for n in names)):
        kind = gold.get("speaker_kind")
        if kind in ("organization", "group"):
            return "organisation"
        return "description" if kind == "unnamed" else "name"
    return "description"
