"""What a source phrase's words are: a name to clean, a noun that can speak, the group a share is of, the issuer of a
document; read by the resolver's sieve."""

from __future__ import annotations

from spacy.tokens import Token

from newstrace.annotate._names import name_bounds
from newstrace.annotate.speakers._parsed import _strip_leading
from newstrace.lexicon import (
    DOCUMENT_NOUNS,
    FEMALE_WORDS,
    MALE_WORDS,
    NOT_PERSON_NOUNS,
    ORGANISATION_NOUNS,
    PEOPLE_NOUNS,
    PERSON_NOUN_ENDINGS,
    RECORD_NOUNS,
    ROLE_CLASSES,
)


def _clean_name(name: str) -> str:
    """A speaker's name as an entity's is cut from its mention (``name_bounds``): no punctuation or glued text
    around it; a full stop that ends an abbreviation ("Jr.") and a bracket closing one inside it stay."""
    start, end = name_bounds(name, 0, len(name))
    return name[start:end]


def _can_speak(noun: str) -> bool:
    """Whether a common noun can name a source: someone, a group, an organisation, or a document or record."""
    return (
        noun in PEOPLE_NOUNS
        or noun in ORGANISATION_NOUNS
        or noun in DOCUMENT_NOUNS
        or noun in RECORD_NOUNS
        or noun in MALE_WORDS
        or noun in FEMALE_WORDS
        or _names_a_person(noun)
    )


def _of_group(head: Token) -> Token | None:
    """The group a share of it is taken from: "percent" in "60 percent of farmers" -> "farmers"."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def _issuer(head: Token, source_end: int) -> Token | None:
    """Who a document or record is by: its possessor or a name compounded with it, the object of "by" or "from"
    within the source phrase (which ends at ``source_end`` in the head's doc: "reports received by Amnesty"), or of
    an "in" on it that names an outlet, not a time or place ("a report in the Harbour Times")."""
    for child in head.children:
        if child.dep_ == "poss" and child.pos_ in ("PROPN", "NOUN"):
            return child  # "the ministry's statement"
        if child.dep_ == "compound" and child.pos_ == "PROPN":
            return child  # "Senate resolutions", "Gallup data": a name before it is its maker
    for child in head.subtree:
        if child.dep_ not in ("agent", "prep") or child.idx >= source_end:
            continue  # past the source phrase ("accounts, snipers shot ... from rooftops") is another clause
        word = child.lower_
        if word in ("by", "from") or (word == "in" and child.head.i == head.i):
            found = next((g for g in child.children if g.dep_ == "pobj"), None)
            outlet = found is not None and found.pos_ == "PROPN" and found.ent_type_ in ("", "ORG", "PERSON")
            if found is not None and (word != "in" or outlet):
                return found
    return None


def _proper_chain(token: Token) -> str:
    """A proper noun with the proper nouns compounded into it, as written ("Dick Clark Productions")."""
    words = [t for t in token.subtree if t.pos_ == "PROPN" and (t.i == token.i or t.dep_ in ("compound", "flat"))]
    return " ".join(t.text for t in sorted(words, key=lambda t: t.i)) or token.text


def _same_name(phrase: str, name: str) -> bool:
    return _strip_leading(phrase).lower() == _strip_leading(name).lower()


def _names_a_person(noun: str) -> bool:
    """Whether a common noun names someone by what they do ("agent", "lawyer"), not a thing ("paper")."""
    if noun in NOT_PERSON_NOUNS or noun in ORGANISATION_NOUNS or noun in DOCUMENT_NOUNS or noun.endswith("ment"):
        return False
    return noun.endswith(PERSON_NOUN_ENDINGS) or any(noun in members for members in ROLE_CLASSES.values())


def _is_place(token: Token) -> bool:
    return token.ent_type_ in ("GPE", "NORP", "LOC")


def _name_end(token: Token) -> Token:
    """The last word of the name starting at ``token`` ("Falk" of "Oren Falk"): where its coordination hangs."""
    while token.dep_ == "compound" and token.head.i > token.i:
        token = token.head
    return token


def _name_start(token: Token) -> Token:
    """The first word of the name ending at ``token`` ("Dana" of "Dana Weiss"): where its mention starts."""
    first = token
    for child in token.children:
        if child.dep_ == "compound" and child.i < first.i:
            first = child
    return first


def _office_complement(head: Token) -> str:
    """ " for Human Rights" of "High Commissioner for Human Rights": an office or body is named through an "of" or
    "for" phrase of proper nouns ("Secretary of State", "Bank of England"), which is part of its name."""
    for child in head.children:
        if child.dep_ != "prep" or child.lower_ not in ("of", "for") or child.i != head.i + 1:
            continue
        words = list(child.subtree)[1:]
        if words and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in words):
            return " " + " ".join(t.text for t in [child, *words])
    return ""
