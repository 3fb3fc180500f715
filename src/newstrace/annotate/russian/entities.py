"""People, organisations and places of a Russian article: slovnet's spans, names in the nominative, one entity each."""

from __future__ import annotations

from newstrace.annotate.russian._parse import NamedSpan, RussianDoc
from newstrace.model import Entity, Mention, name_slug

__all__ = ["extract_entities_ru"]

# slovnet's labels in the English pipeline's terms, so stores, stories and the UI read one label set.
_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}


def _person_key(name: NamedSpan) -> str:
    """A person's key within the article: the surname in the nominative, lower case ("Галузина" -> "галузин")."""
    last = name.parts.get("last") or name.normal.split()[-1]
    return last.lower().replace("ё", "е")


def extract_entities_ru(doc: RussianDoc) -> tuple[list[Mention], list[Entity]]:
    """Mentions and entities: a person's inflected forms and surname alone join the fullest name the article gives."""
    groups: dict[str, list[NamedSpan]] = {}
    for span in doc.names:
        if span.label not in _LABELS:
            continue
        key = f"person:{_person_key(span)}" if span.label == "PER" else f"{span.label}:{span.normal.lower()}"
        groups.setdefault(key, []).append(span)
    ids: dict[str, str] = {}
    used: set[str] = set()
    entities: list[Entity] = []
    for key, members in groups.items():
        label = _LABELS[members[0].label]
        # The fullest nominative form names the entity: "Михаил Галузин" over "Галузин".
        name = max((m.normal for m in members), key=lambda normal: (len(normal.split()), len(normal)))
        entity_id = f"{label.lower()}:{name_slug(name)}"
        number = 2
        while entity_id in used:
            entity_id = f"{label.lower()}:{name_slug(name)}-{number}"
            number += 1
        used.add(entity_id)
        ids[key] = entity_id
        aliases = sorted({m.normal for m in members if m.normal != name} | {m.text for m in members if m.text != name})
        entities.append(Entity(entity_id, name, label, aliases))
    mentions = []
    for key, members in groups.items():
        for member in members:
            mentions.append(Mention(member.text, _LABELS[member.label], member.start, member.end, ids[key]))
    mentions.sort(key=lambda m: m.start)
    return mentions, entities
