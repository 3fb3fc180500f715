"""One corpus entity per person or organisation across articles, each merge with the evidence that made it.

Precision first: two full names merge only when every name word is the same word up to spelling and
transliteration (Zelensky/Zelenskiy/Zelenskyy, Kiev/Kyiv, Галузин/Galuzin, Алексей/Alexei); a Cyrillic place or
body is keyed by its English name where the lexicon has one (Россия/Russia, Белоруссия/Беларусь/Belarus). A
surname alone joins a corpus entity only when exactly one full name in the corpus carries it. Two different full
names never merge.

A corpus entity's id is the readable slug of the name it was first seen under, every letter kept
(``person:mikhail-galuzin``, the id the article and its statements give that name): the spelling-blind
keys decide who merges with whom, never what the entity is called.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from newstrace.corpus._text import ascii_fold, name_key
from newstrace.lexicon import english_name_of_russian
from newstrace.model import Article, Entity, name_slug

__all__ = [
    "CorpusEntity",
    "EntityRecord",
    "IdentityIndex",
    "MergeEvidence",
    "RoleSeen",
    "identity_key",
    "records_from_article",
    "resolve_identities",
]

# Titles and honorifics written before a name: not part of who someone is.
_HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "dr", "sir", "president", "prime", "minister", "gen", "sen", "rep", "gov", "prof", "lord"}
)
# A nationality, religious or political group (NORP: "American", "Chinese", "Republicans") names people by
# what they belong to: it is neither an organisation nor a place, and keeps a kind of its own.
_LABEL_GROUPS = {"PERSON": "PERSON", "ORG": "ORG", "NORP": "NORP", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
# A name in Cyrillic letters: a Russian article's, looked up in the lexicon's English names before it is keyed.
_CYRILLIC = re.compile("[\u0400-\u04ff]")


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
    words = [w for w in re.split(r"[\s.]+", ascii_fold(_english_name(name))) if w]
    while len(words) > 1 and words[0].casefold() in _HONORIFICS:
        words = words[1:]
    # Initials between first and last name ("George W. Bush") say nothing against a match.
    return [words[0], *[w for w in words[1:-1] if len(w) > 1], words[-1]] if len(words) > 2 else words


def _english_name(name: str) -> str:
    """A Cyrillic place or body's English name where the lexicon has one ("Россия" -> "Russia"), else the name: its
    transliteration ("Rossiya") keys it apart from the English articles' entity."""
    if not _CYRILLIC.search(name):
        return name
    return english_name_of_russian(name) or name


def _keys(name: str) -> tuple[str, ...]:
    return tuple(name_key(word) for word in _name_words(name))


def identity_key(name: str) -> tuple[str, ...]:
    """The key a corpus entity is merged by: each name word's spelling key, titles and middle initials dropped, a
    Cyrillic place by its English name ("Михаил Галузин" and "Mikhail Galuzin" -> ("mihail", "galuzin"))."""
    return _keys(name)


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
    return _take(_base_id(group, name), taken)


def _base_id(group: str, name: str) -> str:
    """The id an entity first seen under this name has when no other holds it."""
    return f"{group.lower()}:{name_slug(name)}"


def _take(base: str, taken: set[str]) -> str:
    """``base``, else the first ``base-N`` (N from 2) no earlier entity holds; now held."""
    entity_id, number = base, 2
    while entity_id in taken:
        entity_id, number = f"{base}-{number}", number + 1
    taken.add(entity_id)
    return entity_id


def _absorb(target: CorpusEntity, record: EntityRecord, rule: str) -> None:
    entity = record.entity
    if _CYRILLIC.search(target.name) and not _CYRILLIC.search(entity.name):
        # The desk reads Latin letters: a name first seen in Russian ("Америка") gives way to the first Latin one
        # that joins it ("United States"), and stays an alias; the id, handed out already, does not change.
        if target.name not in target.aliases:
            target.aliases.insert(0, target.name)
        if entity.name in target.aliases:
            target.aliases.remove(entity.name)
        target.name = entity.name
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


# A record's place in resolve_identities' order: its date, its article, then the order it was handed over in.
_Place = tuple[str, str, int]
# An entity's slot: (group, name keys); a lone surname's own entity is ("PERSON", (surname,)).
_Slot = tuple[str, tuple[str, ...]]


@dataclass(slots=True)
class _Built:
    """One slot's entity as last rebuilt: its place among the entities and its id before numbering."""

    place: tuple[int, _Place]  # (0, first record) for a full name, (1, first record) for a lone surname's own
    base: str
    entity: CorpusEntity


class IdentityIndex:
    """``resolve_identities`` kept as records are added: an update rebuilds only the entities its records touch.

    The result equals ``resolve_identities`` over every record added so far, in the order added (ids, names,
    aliases, evidence and all): each entity is rebuilt from its own records in that order, and the ids are given
    again by one pass over the entities (not their records) in the order the full resolution creates them, since a
    record dated earlier can rename an entity and change which of two sharing a slug holds the number.
    """

    def __init__(self) -> None:
        self._added = 0
        self._full: dict[_Slot, list[tuple[_Place, EntityRecord]]] = {}
        self._lone: dict[str, list[tuple[_Place, EntityRecord]]] = {}
        self._owners: dict[str, list[_Slot]] = {}  # surname -> the PERSON full names carrying it
        self._built: dict[_Slot, _Built] = {}
        self._entities: list[CorpusEntity] = []

    def entities(self) -> list[CorpusEntity]:
        """The corpus entities of every record added, as ``resolve_identities`` gives them."""
        return list(self._entities)

    def update(self, records: Iterable[EntityRecord]) -> int:
        """Add these records (after those added before); the number of entities rebuilt from their records."""
        touched: set[_Slot] = set()
        owners_before: dict[str, list[_Slot]] = {}  # a touched surname's full names before this update
        for record in records:
            place = (record.date or "", record.article_id, self._added)
            self._added += 1
            group = _LABEL_GROUPS.get(record.entity.label, record.entity.label)
            keys = _keys(record.entity.name)
            if not keys or not keys[-1]:
                continue
            if group == "PERSON" and len(keys) == 1:
                owners_before.setdefault(keys[0], list(self._owners.get(keys[0], [])))
                self._lone.setdefault(keys[0], []).append((place, record))
                continue
            slot = (group, keys)
            if slot not in self._full:
                self._full[slot] = []
                if group == "PERSON":
                    owners_before.setdefault(keys[-1], list(self._owners.get(keys[-1], [])))
                    self._owners.setdefault(keys[-1], []).append(slot)
            self._full[slot].append((place, record))
            touched.add(slot)
        for slot in touched:
            self._full[slot].sort(key=lambda held: held[0])
        for surname, before in owners_before.items():
            self._lone.get(surname, []).sort(key=lambda held: held[0])
            # The one full name that absorbs the lone surname, before and now, and the surname's own entity.
            for owners in (before, self._owners.get(surname, [])):
                if len(owners) == 1:
                    touched.add(owners[0])
            touched.add(("PERSON", (surname,)))
        if not touched:
            return 0
        rebuilt = sum(self._rebuild(slot) for slot in touched)
        self._number()
        return rebuilt

    def _rebuild(self, slot: _Slot) -> bool:
        """The slot's entity from its records, as resolve_identities builds it; False where the slot has none."""
        group, keys = slot
        if group == "PERSON" and len(keys) == 1:
            lone = self._lone.get(keys[0], [])
            if not lone or len(self._owners.get(keys[0], [])) == 1:
                self._built.pop(slot, None)
                return False
            first = lone[0][1].entity.name
            entity = CorpusEntity("", first, group)
            for number, (_, record) in enumerate(lone):
                _absorb(entity, record, "first seen" if number == 0 else "same name up to spelling")
            self._built[slot] = _Built((1, lone[0][0]), _base_id(group, first), entity)
            return True
        held = self._full[slot]
        first = held[0][1].entity.name
        entity = CorpusEntity("", first, group)
        _absorb(entity, held[0][1], "first seen")
        for _, record in held[1:]:
            exact = record.entity.name in entity.aliases or record.entity.name == entity.name
            _absorb(entity, record, "same name" if exact else "same name up to spelling")
        if group == "PERSON" and len(self._owners.get(keys[-1], [])) == 1:
            for _, record in self._lone.get(keys[-1], []):
                _absorb(entity, record, "surname of one full name")
        self._built[slot] = _Built((0, held[0][0]), _base_id(group, first), entity)
        return True

    def _number(self) -> None:
        """Ids given in the order resolve_identities creates the entities; an entity handed out is never changed."""
        taken: set[str] = set()
        entities: list[CorpusEntity] = []
        for built in sorted(self._built.values(), key=lambda b: b.place):
            entity_id = _take(built.base, taken)
            if not built.entity.id:
                built.entity.id = entity_id  # rebuilt in this update: nobody holds it yet
            elif built.entity.id != entity_id:
                built.entity = replace(built.entity, id=entity_id)
            entities.append(built.entity)
        self._entities = entities
