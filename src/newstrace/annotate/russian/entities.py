"""People, organisations and places of a Russian article: one entity each, named in the nominative.

The spans are slovnet's, repaired (``_spans``) and made consistent across the article (``_consistency``). A person
is one entity however the article writes them: in any case form, by the surname alone, with initials ("В. Путин")
or with a patronymic; two people sharing a surname stay two when their first names differ, and a surname alone then
goes to the one named last before it. An organisation or place is one entity per nominative name, and a name in
brackets after another ("Комитет защиты журналистов (КЗЖ)") is that one's alias. Labels are the English
pipeline's: PERSON, ORG, GPE for countries, regions and cities, LOC for other places (streets, seas, continents).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newstrace.annotate.entities import new_entity_id
from newstrace.annotate.russian._consistency import make_consistent
from newstrace.annotate.russian._names import first_and_surname, fold, stem
from newstrace.annotate.russian._parse import RussianDoc
from newstrace.annotate.russian._roles import roles_of
from newstrace.annotate.russian._spans import Candidate, candidate_spans
from newstrace.model import Entity, Mention

__all__ = ["extract_entities_ru"]

# Words of a place's nominative name that make it a place rather than a country, region or city.
_PLACE_WORDS_TEXT = (
    "площадь улица проспект переулок бульвар шоссе набережная река море океан озеро залив пролив остров острова "
    "полуостров гора горы хребет долина пустыня побережье аэропорт вокзал порт парк сквер мост станция кладбище "
    "дворец собор храм монастырь музей стадион здание космодром тюрьма изолятор мыс берег лес канал площадка"
)
_PLACE_WORDS = frozenset(_PLACE_WORDS_TEXT.split())
_NOT_STATES_TEXT = (
    "европа азия африка америка антарктида антарктика евразия океания арктика балканы кавказ сибирь скандинавия "
    "луна солнце марс земля венера юпитер мкс"
)
_NOT_STATES = frozenset(_NOT_STATES_TEXT.split()) | {
    "ближний восток",
    "северная америка",
    "южная америка",
    "латинская америка",
    "дальний восток",
}


@dataclass(slots=True)
class _Group:
    """The candidates that are one entity, and the person's first name when one is known."""

    members: list[int] = field(default_factory=list)
    first: str | None = None


def extract_entities_ru(doc: RussianDoc) -> tuple[list[Mention], list[Entity]]:
    """Mentions (in text order) and entities of a parsed Russian article."""
    candidates = _without_overlaps(make_consistent(doc, candidate_spans(doc)))
    groups = _person_groups(candidates) + _other_groups(candidates)
    entities: list[Entity] = []
    mentions: list[Mention] = []
    used: set[str] = set()
    for group in sorted(groups, key=lambda g: min(candidates[i].start for i in g.members)):
        members = [candidates[i] for i in group.members]
        name = _entity_name(members)
        label = _entity_label(members, name)
        entity_id = new_entity_id(label, name, used)  # as for English: one id scheme in every language
        written = {doc.text[m.start : m.end] for m in members} | {m.normal for m in members}
        roles: list[str] = []
        if label == "PERSON":
            for member in members:
                roles += [role for role in roles_of(doc, member.start, member.end) if role not in roles]
        entities.append(Entity(entity_id, name, label, sorted(written - {name}), roles))
        mentions += [Mention(doc.text[m.start : m.end], label, m.start, m.end, entity_id) for m in members]
    mentions.sort(key=lambda mention: mention.start)
    return mentions, entities


def _without_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Where two spans overlap, the longer one (the model's own on a tie)."""
    ranked = sorted(candidates, key=lambda c: (-(c.end - c.start), c.source != "model", c.start))
    kept: list[Candidate] = []
    for candidate in ranked:
        if all(candidate.end <= other.start or other.end <= candidate.start for other in kept):
            kept.append(candidate)
    kept.sort(key=lambda c: c.start)
    # An alias points at a position in the old list: re-point it at the same span, or drop the link.
    old_positions = {id(c): i for i, c in enumerate(candidates)}
    new_positions = {old_positions[id(c)]: i for i, c in enumerate(kept)}
    for candidate in kept:
        if candidate.alias_of is not None:
            candidate.alias_of = new_positions.get(candidate.alias_of)
    return kept


def _first_and_surname(candidate: Candidate) -> tuple[str | None, str | None]:
    """A person mention's first name (or initials) and surname, nominative, as far as it gives them."""
    return first_and_surname(candidate.normal, candidate.parts)


def _same_first(a: str, b: str) -> bool:
    """Two first names of one person: equal, or one is the other's initial."""
    a, b = fold(a).rstrip("."), fold(b).rstrip(".")
    return a == b or (min(len(a), len(b)) == 1 and a[0] == b[0])


def _person_groups(candidates: list[Candidate]) -> list[_Group]:
    """People: one group per surname and first name; a surname alone joins the nearest person before it."""
    groups: list[_Group] = []
    by_surname: dict[str, list[_Group]] = {}
    alone: list[tuple[int, str | None, str | None]] = []
    for index, candidate in enumerate(candidates):
        if candidate.label != "PER" or candidate.alias_of is not None:
            continue
        first, last = _first_and_surname(candidate)
        key = stem(last) if last else None
        if first is None or key is None:
            alone.append((index, first, key))
            continue
        same = [g for g in by_surname.get(key, []) if g.first is not None and _same_first(g.first, first)]
        if same:
            same[0].members.append(index)
            if len(first) > len(same[0].first or ""):
                same[0].first = first
        else:
            group = _Group([index], first)
            groups.append(group)
            by_surname.setdefault(key, []).append(group)
    for index, first, key in alone:
        # A lone word the dictionary knows as a given name may be this article's surname ("Вольф").
        options = by_surname.get(key or stem(first or ""), [])
        if not options and first:  # a first name alone: the one person of that first name, if only one
            options = [g for g in groups if g.first is not None and _same_first(g.first, first)][:2]
            options = options if len(options) == 1 else []
        if options:
            before = [g for g in options if min(g.members) < index] or options
            max(before, key=lambda g: max((m for m in g.members if m < index), default=-1)).members.append(index)
        else:
            group = _Group([index], first)
            groups.append(group)
            if key:
                by_surname.setdefault(key, []).append(group)
    _attach_aliases(candidates, groups, "PER")
    return groups


def _other_groups(candidates: list[Candidate]) -> list[_Group]:
    """Organisations and places: one group per nominative name."""
    by_name: dict[tuple[str, str], _Group] = {}
    for index, candidate in enumerate(candidates):
        if candidate.label == "PER" or candidate.alias_of is not None:
            continue
        by_name.setdefault((candidate.label, fold(candidate.normal)), _Group()).members.append(index)
    groups = list(by_name.values())
    _attach_aliases(candidates, groups, None)
    # A name met alone after its bracketed introduction ("КЗЖ" after "Комитет защиты журналистов (КЗЖ)") is the same.
    owner = {member: group for group in groups for member in group.members}
    for index, candidate in enumerate(candidates):
        if candidate.label == "PER" or candidate.alias_of is None or index not in owner:
            continue
        alone = by_name.get((candidate.label, fold(candidate.normal)))
        if alone is not None and alone is not owner[index] and alone in groups:
            owner[index].members += alone.members
            groups.remove(alone)
    return groups


def _attach_aliases(candidates: list[Candidate], groups: list[_Group], label: str | None) -> None:
    """A bracketed alias joins the group of the name it follows; one without that name stands alone."""
    owner = {member: group for group in groups for member in group.members}
    for index, candidate in enumerate(candidates):
        if candidate.alias_of is None or (candidate.label == "PER") != (label == "PER"):
            continue
        group = owner.get(candidate.alias_of)
        if group is not None and candidates[candidate.alias_of].label == candidate.label:
            group.members.append(index)
        else:
            groups.append(_Group([index]))


def _entity_name(members: list[Candidate]) -> str:
    """The fullest nominative name: first name and surname for a person, else the longest Cyrillic name."""
    people = [(m, *_first_and_surname(m)) for m in members if m.label == "PER" and m.alias_of is None]
    full = [(m, first, last) for m, first, last in people if first and last and not first.endswith(".")]
    if full:
        # As fully as the article gives it: a patronymic or a second given name stays ("Роальд Зиннурович Сагдеев").
        fullest, first, last = max(
            full,
            key=lambda item: (
                _middle(item[0].normal, item[1], item[2]) is not None,
                len(item[1]),
                item[0].source == "model",
            ),
        )
        middle = _middle(fullest.normal, first, last)
        return f"{first} {middle} {last}" if middle else f"{first} {last}"
    surnames = [last for _, _, last in people if last]
    if surnames:  # no first name anywhere: the surname, in the nominative
        return max(surnames, key=surnames.count)
    own = [m for m in members if m.alias_of is None] or members
    return max(own, key=lambda m: (_is_cyrillic(m.normal), len(m.normal.split()), len(m.normal))).normal


def _middle(normal: str, first: str, last: str) -> str | None:
    """The words between the first name and the surname of a nominative name, if it has one or two."""
    words = normal.split()
    if len(words) in (3, 4) and words[0] == first and words[-1] == last:
        return " ".join(words[1:-1])
    return None


def _is_cyrillic(text: str) -> bool:
    return any("а" <= character.lower() <= "я" or character in "ёЁ" for character in text)


def _entity_label(members: list[Candidate], name: str) -> str:
    """PERSON, ORG, GPE or LOC for the group's most frequent label."""
    labels = [m.label for m in members]
    label = max(set(labels), key=lambda value: (labels.count(value), -labels.index(value)))
    if label == "PER":
        return "PERSON"
    if label == "ORG":
        return "ORG"
    words = fold(name).split()
    if fold(name) in _NOT_STATES or any(word in _PLACE_WORDS for word in words):
        return "LOC"
    return "GPE"
