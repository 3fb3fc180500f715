"""What an article says of its people: the role nouns and ages it gives them and the gender it shows."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Token

from newstrace.annotate._names import given_name_gender
from newstrace.annotate.speakers._parsed import ParsedArticle, _subject_of_clause
from newstrace.lexicon import FEMALE_WORDS, MALE_WORDS
from newstrace.model import Entity

_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_PERSON_PRONOUNS = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_APPOSED_AGE = re.compile(r",\s+(?P<age>\d{1,3}),")


@dataclass(slots=True)
class _Person:
    entity: Entity
    gender: str | None = None
    nouns: set[str] = field(default_factory=set)
    ages: set[int] = field(default_factory=set)
    positions: list[tuple[int, bool]] = field(default_factory=list)  # (offset, was a subject)


def _people(parsed: ParsedArticle) -> dict[str, _Person]:
    """The people an article names, with what it says of them: gender, role nouns, ages, where they appear."""
    people = {e.id: _Person(e) for e in parsed.article.entities_index if e.label == "PERSON"}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for mention in parsed.mentions:
        person = people.get(mention.entity_id or "")
        if person is None:
            continue
        token = parsed.token_at(mention.start)
        subject = token is not None and _subject_of_clause(token)
        person.positions.append((mention.start, subject))
        if token is None:
            continue
        for word in _title_words(token):
            if word in MALE_WORDS:
                votes[person.entity.id]["m"] += 3
            elif word in FEMALE_WORDS:
                votes[person.entity.id]["f"] += 3
        person.nouns |= _described_as(token)
        after = parsed.article.text[mention.end : mention.end + 8]
        age = _APPOSED_AGE.match(after)
        if age:
            person.ages.add(int(age["age"]))
    for person in people.values():
        for role in person.entity.roles:
            person.nouns |= {w.lower() for w in role.split()}
            lowered = {w.lower() for w in role.split()}
            if lowered & MALE_WORDS:
                votes[person.entity.id]["m"] += 2
            if lowered & FEMALE_WORDS:
                votes[person.entity.id]["f"] += 2
    _pronoun_votes(parsed, people, votes)
    for person in people.values():
        first = _first_name(person.entity.name)
        guess = given_name_gender(first) if first else None
        if guess:
            votes[person.entity.id][guess] += 2
        counted = votes[person.entity.id]
        if counted["m"] != counted["f"]:
            person.gender = "m" if counted["m"] > counted["f"] else "f"
    return people


def _pronoun_votes(parsed: ParsedArticle, people: dict[str, _Person], votes: dict[str, Counter[str]]) -> None:
    """A pronoun after the one person its sentence names ("Lopez said she would") is evidence of their gender."""
    named_in: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for person in people.values():
        for position, _ in person.positions:
            named_in[parsed.sentence_index(position)].append((position, person.entity.id))
    for offset, doc in parsed.docs:
        for token in doc:
            gender = _PERSON_PRONOUNS.get(token.lower_)
            if gender is None or token.pos_ != "PRON":
                continue
            at = offset + token.idx
            before = {key for position, key in named_in.get(parsed.sentence_index(at), []) if position < at}
            if len(before) == 1:
                votes[next(iter(before))][gender] += 1


def _title_words(token: Token) -> list[str]:
    """Lower-cased words just before a name: "Mr.", "Ms", "Queen", "spokeswoman"."""
    doc = token.doc
    return [doc[i].lower_.rstrip(".") for i in range(max(0, token.i - 3), token.i)]


def _described_as(token: Token) -> set[str]:
    """Nouns the text uses of the person named at ``token``: titles before it and appositions after it."""
    name = [token]
    while name[-1].i + 1 < len(token.doc) and token.doc[name[-1].i + 1].ent_iob_ == "I":
        name.append(token.doc[name[-1].i + 1])
    head = name[-1]
    nouns = set()
    for child in (c for t in name for c in t.children):
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            nouns.add(child.lemma_.lower())
            nouns |= {c.lemma_.lower() for c in child.children if c.dep_ == "compound" and c.pos_ == "NOUN"}
    if head.dep_ == "appos" and head.head.pos_ == "NOUN":  # "the governor, Eric Holcomb"
        nouns.add(head.head.lemma_.lower())
    for left in head.lefts:
        if left.dep_ == "compound" and left.pos_ == "NOUN":  # "real estate agent Eyamba Sowers"
            nouns.add(left.lemma_.lower())
    doc = token.doc
    index = token.i - 1
    while index >= 0 and doc[index].pos_ in ("NOUN", "PROPN", "ADJ") and doc[index].ent_type_ != "PERSON":
        if doc[index].pos_ == "NOUN" or doc[index].lower_.rstrip(".") in ("gov", "sen", "rep", "gen", "dr"):
            nouns.add(_ABBREVIATIONS.get(doc[index].lower_.rstrip("."), doc[index].lemma_.lower()))
        index -= 1
    return nouns


_ABBREVIATIONS = {"gov": "governor", "sen": "senator", "rep": "representative", "gen": "general", "dr": "doctor",
                  "cmdr": "commander", "lt": "lieutenant", "col": "colonel", "capt": "captain", "sgt": "sergeant",
                  "supt": "superintendent", "prof": "professor", "amb": "ambassador"}  # fmt: skip


def _first_name(name: str) -> str | None:
    words = [w for w in name.split() if w.lower() not in _SUFFIXES]
    if len(words) < 2 or not words[0][:1].isupper() or words[0].endswith("."):
        return None
    return words[0]
