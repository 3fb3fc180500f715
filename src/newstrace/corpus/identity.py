"""One corpus entity per person or organisation across articles, each merge with the evidence that made it.

Precision first: two full names merge only when every name word is the same word up to spelling and
transliteration (Zelensky/Zelenskiy/Zelenskyy, Kiev/Kyiv); a surname alone joins a corpus entity only
when exactly one full name in the corpus carries it. Two different full names never merge.

A corpus entity's id is the readable slug of the name it was first seen under, every letter kept
(``person:mikhail-galuzin``, the id the article and its statements give that name): the spelling-blind
keys decide who merges with whom, never what the entity is called.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from newstrace.corpus._text import ascii_fold, name_key
from newstrace.model import Article, Entity, name_slug

__all__ = ["CorpusEntity", "EntityRecord", "MergeEvidence", "RoleSeen", "records_from_article", "resolve_identities"]

# Titles and honorifics written before a name: not part of who someone is.
_HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "dr", "sir", "president", "prime", "minister", "gen", "sen", "rep", "gov", "prof", "lord"}
)
# A nationality, religious or political group (NORP: "American", "Chinese", "Republicans") names people by
# what they belong to: it is neither an organisation nor a place, and keeps a kind of its own.
_LABEL_GROUPS = {"PERSON": "PERSON", "ORG": "ORG", "NORP": "NORP", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """An article's entity as the store (or an Article) hands it over: the seam identity reads."""

    article_id: str
    entity: Entity
    date: str | None = None  # the article's date, to order roles over time
    site: str | None = None


@dataclass(frozen=True, slots=True)
class MergeEvidence:
    """Why an article's entity joined a corpus entity: the rule, the name written, and the article."""

    article_id: str
    name: str
    rule: str  # "first seen", "same name", "same name up to spelling", "surname of one full name"


@dataclass(frozen=True, slots=True)
class RoleSeen:
    """A role or affiliation, with the article and date it was read in."""

    value: str
    article_id: str
    date: str | None


@dataclass(slots=True)
class CorpusEntity:
    """One person, organisation or place across the corpus."""

    id: str
    name: str
    label: str
    aliases: list[str] = field(default_factory=list)
    roles: list[RoleSeen] = field(default_factory=list)
    affiliations: list[RoleSeen] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    member_ids: list[str] = field(default_factory=list)  # the articles' entity ids, "article_id/entity_id"
    evidence: list[MergeEvidence] = field(default_factory=list)


def records_from_article(article: Article) -> list[EntityRecord]:
    """The article's resolved entities as identity records."""
    date = article.published or article.reference_date
    return [EntityRecord(article.id, entity, date, article.site) for entity in article.entities_index]


def _name_words(name: str) -> list[str]:
    words = [w for w in re.split(r"[\s.]+", ascii_fold(name)) if w]
    while len(words) > 1 and words[0].casefold() in _HONORIFICS:
        words = words[1:]
    # Initials between first and last name ("George W. Bush") say nothing against a match.
    return [words[0], *[w for w in words[1:-1] if len(w) > 1], words[-1]] if len(words) > 2 else words


def _keys(name: str) -> tuple[str, ...]:
    return tuple(name_key(word) for word in _name_words(name))


def resolve_identities(records: Iterable[EntityRecord]) -> list[CorpusEntity]:
    """Corpus entities from every article's entities; full names first, then lone surnames where unambiguous."""
    records = list(records)
    entities: list[CorpusEntity] = []
    by_key: dict[tuple[str, tuple[str, ...]], CorpusEntity] = {}
    surnames: defaultdict[str, list[CorpusEntity]] = defaultdict(list)
    taken: set[str] = set()
    lone: list[EntityRecord] = []
    for record in sorted(records, key=lambda r: (r.date or "", r.article_id)):
        group = _LABEL_GROUPS.get(record.entity.label, record.entity.label)
        keys = _keys(record.entity.name)
        if not keys or not keys[-1]:
            continue
        if group == "PERSON" and len(keys) == 1:
            lone.append(record)  # a surname alone: decided once every full name is known
            continue
        found = by_key.get((group, keys))
        if found is None:
            found = CorpusEntity(_new_id(group, record.entity.name, taken), record.entity.name, group)
            by_key[(group, keys)] = found
            entities.append(found)
            if group == "PERSON":
                surnames[keys[-1]].append(found)
            _absorb(found, record, "first seen")
        else:
            exact = record.entity.name in found.aliases or record.entity.name == found.name
            _absorb(found, record, "same name" if exact else "same name up to spelling")
    for record in lone:
        key = _keys(record.entity.name)[-1]
        owners = surnames.get(key, [])
        if len(owners) == 1:
            _absorb(owners[0], record, "surname of one full name")
            continue
        # None or several full names carry this surname: it stays its own entity rather than a guess.
        found = by_key.get(("PERSON", (key,)))
        if found is None:
            found = CorpusEntity(_new_id("PERSON", record.entity.name, taken), record.entity.name, "PERSON")
            by_key[("PERSON", (key,))] = found
            entities.append(found)
        _absorb(found, record, "first seen" if not found.evidence else "same name up to spelling")
    return entities


def _new_id(group: str, name: str, taken: set[str]) -> str:
    """The slug of the name as written, numbered only when another corpus entity already holds it."""
    base = f"{group.lower()}:{name_slug(name)}"
    entity_id, number = base, 2
    while entity_id in taken:
        entity_id, number = f"{base}-{number}", number + 1
    taken.add(entity_id)
    return entity_id


def _absorb(target: CorpusEntity, record: EntityRecord, rule: str) -> None:
    entity = record.entity
    for alias in [entity.name, *entity.aliases]:
        if alias != target.name and alias not in target.aliases:
            target.aliases.append(alias)
    if record.article_id not in target.article_ids:
        target.article_ids.append(record.article_id)
    target.member_ids.append(f"{record.article_id}/{entity.id}")
    target.evidence.append(MergeEvidence(record.article_id, entity.name, rule))
    for role in entity.roles:
        if all(seen.value.casefold() != role.casefold() for seen in target.roles):
            target.roles.append(RoleSeen(role, record.article_id, record.date))
    if entity.affiliation and all(seen.value != entity.affiliation for seen in target.affiliations):
        target.affiliations.append(RoleSeen(entity.affiliation, record.article_id, record.date))
