"""Entities: mentions from spaCy repaired by general rules, grouped into one entity per referent.

The small English model mislabels surnames and capitals (the seed's "Galuzin" and "Minsk" come
out as ORG). Rules that hold across articles fix that: a surname that named a PERSON stays a
PERSON; a surface form keeps the label it has most often in the article; known countries and
capitals are places. Roles and affiliations come from the words before a name ("Russian Deputy
Foreign Minister Mikhail Galuzin") and from appositions; definite descriptions ("the Belarusian
president", "the diplomat") resolve to the latest entity holding that role.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc

from newstrace.annotate import _names
from newstrace.annotate._names import MentionDraft
from newstrace.lexicon import CAPITALS, COUNTRY_NAMES, DEMONYMS, ORGANISATION_ALIASES, ORGANISATION_NOUNS
from newstrace.model import Entity, Mention, name_slug, transliterate

__all__ = ["extract_entities", "new_entity_id"]

LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
_COINED = re.compile(r"[a-z]\d|\d[a-z]")
ROLE_WORDS = {
    "president", "minister", "secretary", "spokesman", "spokeswoman", "spokesperson", "ambassador", "chancellor",
    "governor", "mayor", "senator", "general", "commander", "chief", "director", "chairman", "chairwoman", "ceo",
    "head", "leader", "envoy", "official", "diplomat", "king", "queen", "prince", "pope", "judge", "commissioner",
    "chair", "representative", "adviser", "advisor", "aide", "premier", "prosecutor", "speaker", "lawmaker", "editor",
    "correspondent", "analyst", "professor", "founder", "executive", "officer", "mp", "sen.", "rep.", "gov.", "gen.",
    "dr.", "lt.", "col.", "capt.", "sgt.", "attorney", "coach", "manager", "economist", "deputy", "foreign",
    "defence", "defense", "interior", "finance", "prime", "vice", "acting", "former", "state", "press",
}  # fmt: skip
_ROLE_HEADS = ROLE_WORDS - {"deputy", "foreign", "defence", "defense", "interior", "finance", "prime", "vice",
                             "acting", "former", "state", "press"}  # fmt: skip
# Generic nouns a text uses for a role holder it named before ("the diplomat" for a foreign minister).
_ROLE_CLASSES = {
    "diplomat": {"ambassador", "envoy", "diplomat", "foreign minister", "deputy foreign minister", "foreign secretary",
                 "secretary of state"},
    "official": set(),  # any role
    "leader": {"president", "prime minister", "premier", "chancellor", "king", "queen", "leader", "head"},
    "politician": {"senator", "minister", "lawmaker", "president", "governor", "mayor", "mp", "representative"},
    "lawmaker": {"senator", "lawmaker", "mp", "representative"},
    "executive": {"ceo", "chief executive", "chairman", "chairwoman", "director", "executive", "founder"},
}  # fmt: skip
_DESCRIPTION = re.compile(
    r"\b[Tt]he\s+(?P<adjectives>(?:[A-Z][a-z]+\s+){0,2})(?P<noun>(?:"
    + "|".join(sorted((w for w in _ROLE_HEADS | set(_ROLE_CLASSES) if w.isalpha()), key=len, reverse=True))
    + r"))\b"
)


@dataclass(slots=True)
class _Person:
    key: str
    names: Counter[str] = field(default_factory=Counter)
    roles: list[str] = field(default_factory=list)
    affiliation: str | None = None
    aliases: list[str] = field(default_factory=list)
    last_seen: int = 0


def extract_entities(text: str, docs: list[tuple[int, Doc]]) -> tuple[list[Mention], list[Entity]]:
    """Mentions and entities of a cleaned text parsed paragraph by paragraph (``(offset, Doc)`` pairs)."""
    mentions = _model_mentions(text, docs)
    mentions = _names.glued_words_left_out(mentions)
    mentions = _consistent_labels(mentions)
    mentions = _names.not_names_left_out(mentions, docs)
    mentions = _person_surnames(_titled_people(_places_before_names(mentions)), docs)
    mentions = _names.short_forms(text, mentions)
    entities, mentions = _group(text, mentions)
    return [
        Mention(m.text, m.label, m.start, m.end, m.entity, m.stands_for)
        for m in sorted(mentions, key=lambda m: m.start)
    ], entities


def _model_mentions(text: str, docs: list[tuple[int, Doc]]) -> list[MentionDraft]:
    found = []
    for offset, doc in docs:
        for ent in doc.ents:
            if ent.label_ not in LABELS:
                continue
            span = ent
            while span and span[0].lower_ in ("the", "a", "an"):  # "the Kremlin" -> "Kremlin"
                span = span[1:]
            if span and span[-1].text in ("'s", "’s"):
                span = span[:-1]
            if not span:
                continue
            start, end = _names.name_bounds(text, offset + span.start_char, offset + span.end_char)
            # A name has a capital letter, or is a coined word of letters and digits ("my6sense"): a phrase the
            # model tags in lower case ("meth", "the commerce ministry") is a common noun or a description.
            if start < end and (any(ch.isupper() for ch in text[start:end]) or _COINED.search(text, start, end)):
                first = next(token for token in span if offset + token.idx + len(token) > start)
                found.append(MentionDraft(start, end, text[start:end], ent.label_, first))
    return found


def _consistent_labels(mentions: list[MentionDraft]) -> list[MentionDraft]:
    """Countries and capitals are places (GPE) and the bodies of the alias table organisations, however the model
    tagged them; a demonym ("American", "Chinese", "Britons") names a nationality (NORP), never an organisation or a
    person; otherwise a surface form keeps the label it has most often."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for mention in mentions:
        votes[mention.text][mention.label] += 1
    result = []
    for mention in mentions:
        if mention.text in CAPITALS or mention.text in COUNTRY_NAMES:
            label = "GPE"
        elif mention.text in _ORGANISATIONS:
            label = "ORG"
        elif mention.text in DEMONYMS:
            label = "NORP"
        else:
            label = votes[mention.text].most_common(1)[0][0]
        result.append(replace(mention, label=label))
    return result


_ORGANISATIONS = {**ORGANISATION_ALIASES, **{name: name for name in ORGANISATION_ALIASES.values()}}


def _places_before_names(mentions: list[MentionDraft]) -> list[MentionDraft]:
    """ "envoy to Ukraine Kurt Volker": a name the model joined to the place before it, tagged as one organisation or
    place, is that place and then a person, where the words after the place open with a given name (the offline name
    dictionary's) or end in a surname the article gives a person. A country is never part of a person's name."""
    surnames = {m.text.split()[-1] for m in mentions if m.label == "PERSON"}
    result = []
    for mention in mentions:
        words = mention.text.split()
        token = mention.token_start
        place = next((" ".join(words[:n]) for n in (1, 2) if " ".join(words[:n]) in COUNTRY_NAMES), None)
        rest = words[len(place.split()) :] if place else []
        if (
            mention.label not in ("ORG", "GPE", "LOC", "FAC")
            or token is None
            or place is None
            or len(rest) < 2
            or not (rest[-1] in surnames or _names.given_name_gender(rest[0]) is not None)
            or not all(word[:1].isupper() and word.isalpha() for word in rest)
        ):
            result.append(mention)
            continue
        offset = mention.start - token.idx  # the paragraph's offset: the mention opens at its first token
        name_start = mention.start + len(mention.text) - len(" ".join(rest))
        first = next((t for t in token.doc[token.i :] if offset + t.idx == name_start), None)
        if first is None:
            result.append(mention)
            continue
        result.append(replace(mention, end=mention.start + len(place), text=place, label="GPE"))
        result.append(MentionDraft(name_start, mention.end, " ".join(rest), "PERSON", first))
    return result


def _titled_people(mentions: list[MentionDraft]) -> list[MentionDraft]:
    """A name of two or more capitalised words right after a person's title is a person, whatever the model said:
    "executive chair Marta Lind", "Senator John Smith" (an organisation takes no personal title before its name)."""
    result = []
    for mention in mentions:
        token = mention.token_start
        words = mention.text.split()
        if mention.label == "ORG" and token is not None and token.i > 0 and 2 <= len(words) <= 4:
            before = token.doc[token.i - 1]
            if before.lower_ in _ROLE_HEADS and all(word[:1].isupper() and word.isalpha() for word in words):
                mention = replace(mention, label="PERSON")
        result.append(mention)
    return result


def _person_surnames(mentions: list[MentionDraft], docs: list[tuple[int, Doc]]) -> list[MentionDraft]:
    """A surname or full name that named a PERSON anywhere in the article is a PERSON everywhere."""
    full_names = {m.text for m in mentions if m.label == "PERSON" and len(m.text.split()) >= 2}
    surnames = {name.split()[-1] for name in full_names}
    lone_surnames = {m.text for m in mentions if m.label == "PERSON" and " " not in m.text}
    result = [
        replace(m, label="PERSON")
        if (m.text in surnames or m.text in full_names or _fuller(m, full_names, lone_surnames))
        else m
        for m in mentions
    ]
    taken = sorted((m.start, m.end) for m in result)
    starts = [start for start, _ in taken]
    for offset, doc in docs:  # surnames the model left untagged
        for token in doc:
            if token.text not in surnames or token.pos_ != "PROPN":
                continue
            start = offset + token.idx
            index = bisect.bisect_right(starts, start) - 1
            if index < 0 or taken[index][1] <= start:  # no mention starting at or before it covers it
                result.append(MentionDraft(start, start + len(token.text), token.text, "PERSON", token))
    return result


def _fuller(mention: MentionDraft, full_names: set[str], lone_surnames: set[str]) -> bool:
    """Whether an ORG is a person's name with a first name before one seen as a PERSON ("Enrique Peña Nieto",
    "Eyamba Sowers" before "said Sowers")."""
    words = mention.text.split()
    if mention.label != "ORG" or len(words) > 4 or not all(word[:1].isupper() for word in words):
        return False
    if any(mention.text.endswith(" " + name) for name in full_names):
        return True
    return (
        len(words) in (2, 3)
        and words[-1] in lone_surnames
        and not any(word.lower().strip(".,") in ORGANISATION_NOUNS | _ORGANISATION_NAME_WORDS for word in words)
    )


# Words that make a capitalised phrase an organisation's name, not a person's ("Morgan Stanley Bank").
_ORGANISATION_NAME_WORDS = frozenset({
    "inc", "corp", "corporation", "co", "ltd", "llc", "plc", "ag", "sa", "gmbh", "holdings", "partners", "associates",
    "brothers", "bros", "&", "and", "of",
})  # fmt: skip


def _group(text: str, mentions: list[MentionDraft]) -> tuple[list[Entity], list[MentionDraft]]:
    people: dict[str, _Person] = {}
    others: dict[tuple[str, str], list[MentionDraft]] = defaultdict(list)
    names: dict[tuple[str, str], str] = {}
    order: list[tuple[str, str]] = []
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.label == "PERSON" and mention.text in _NOT_PEOPLE:
            mention.label = "ORG"
        if mention.label == "PERSON":
            key = _person_key(mention.text, people, mention.start)
            person = people.setdefault(key, _Person(key))
            person.names[mention.text] += 1
            person.last_seen = mention.start
            _read_role(mention, person)
            mention.entity = f"person:{key}"
            if ("PERSON", key) not in order:
                order.append(("PERSON", key))
        else:
            mention.label, name = _other_name(mention)
            key = name.lower()
            others[(mention.label, key)].append(mention)
            names.setdefault((mention.label, key), name)
            mention.entity = f"{mention.label.lower()}:{key}"
            if (mention.label, key) not in order:
                order.append((mention.label, key))
            if mention.label == "GPE" and mention.text in CAPITALS and _acts(mention):
                mention.stands_for = f"{CAPITALS[mention.text]} (government)"
    descriptions = _resolve_descriptions(text, mentions, people)
    # A description ("the Belarusian president") takes the place of the nationality word inside it.
    mentions = [m for m in mentions if not any(d.start <= m.start and m.end <= d.end for d in descriptions)]
    mentions = mentions + descriptions
    ids: dict[str, str] = {}
    entities = []
    used: set[str] = set()
    for label, key in order:
        if label == "PERSON":
            person = people[key]
            name = max(person.names, key=lambda n: (len(n.split()), person.names[n]))
            entity_id = new_entity_id(label, name, used)
            ids[f"person:{key}"] = entity_id
            aliases = sorted(set(person.names) - {name}) + [a for a in person.aliases if a != name]
            unique = list({alias.lower(): alias for alias in reversed(aliases)}.values())[::-1]
            entities.append(Entity(entity_id, name, "PERSON", unique, person.roles,
                                   person.affiliation))  # fmt: skip
        else:
            group, name = others[(label, key)], names[(label, key)]
            entity_id = new_entity_id(label, name, used)
            ids[f"{label.lower()}:{key}"] = entity_id
            written = list({m.text.lower(): m.text for m in group if m.text.lower() != key}.values())
            governments = sorted({m.stands_for for m in group if m.stands_for})
            entities.append(Entity(entity_id, name, label, written, [], None, governments[0] if governments else None))
    for mention in mentions:
        mention.entity = ids.get(mention.entity or "")
    return entities, mentions


def _other_name(mention: MentionDraft) -> tuple[str, str]:
    """The label and name of a place, organisation or group: a country or organisation of the alias tables takes
    its one name however it is written ("US", "U.S.", "United States"), a short form the fuller name it stands for."""
    full = mention
    for _ in range(3):  # a short form of a short form is still the first name
        full = full.refers_to or full
    label = full.label
    known = COUNTRY_NAMES if label == "GPE" else _ORGANISATIONS if label == "ORG" else {}
    return label, known.get(full.text, full.text)


_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_NAME_TITLES = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "rev"}
# Platforms and outlets the small model tags as people ("Twitter said"), never a person.
_NOT_PEOPLE = {"Twitter", "Facebook", "Instagram", "Weibo", "WeChat", "YouTube", "TikTok", "Telegram", "Reuters",
               "Bloomberg", "Google", "Apple", "Amazon", "LinkedIn", "Reddit", "Snapchat", "WhatsApp"}  # fmt: skip


def _name_words(name: str) -> list[str]:
    """A person's name as comparable words: lower case, no accents, titles and suffixes (Jr., III) left out."""
    plain = transliterate(name).lower()
    words = [w.strip(".,") for w in plain.replace("-", " ").split()]
    words = [w for w in words if w and w not in _NAME_SUFFIXES]
    while len(words) > 1 and words[0] in _NAME_TITLES:
        words = words[1:]
    return words or [plain]


def _surname_key(word: str) -> str:
    """One key for transliteration variants of a surname: Zelensky, Zelenskiy, Zelenskyy."""
    return re.sub(r"(?:iy|yy|ii|ij)$", "y", word)


def _compatible(given: list[str], other: list[str]) -> bool:
    """Whether two names' given names can be one person's: equal, one an initial of the other, one absent, or
    one the tail of the other ("Peña" of "Enrique Peña")."""
    if not given or not other:
        return True
    shorter, longer = sorted((given, other), key=len)
    if longer[len(longer) - len(shorter) :] == shorter:
        return True
    first, second = given[0], other[0]
    return first == second or (len(first) == 1 and second.startswith(first)) or (
        len(second) == 1 and first.startswith(second))  # fmt: skip


def _person_key(text: str, people: dict[str, _Person], position: int) -> str:
    """Which person a name refers to: a full name joins a person whose given name fits, never one whose differs
    (Joe Biden and Hunter Biden stay two); a surname alone goes to the latest person with that surname."""
    words = _name_words(text)
    surname = _surname_key(words[-1])
    same = [p for p in people.values() if p.key.split("#")[0] == surname]
    if len(words) == 1:
        return max(same, key=lambda p: p.last_seen).key if same else surname
    given = words[:-1]
    for person in sorted(same, key=lambda p: p.last_seen, reverse=True):
        if all(_compatible(given, _name_words(n)[:-1]) for n in person.names):
            return person.key
    return surname if not same else f"{surname}#{len(same) + 1}"


def new_entity_id(label: str, name: str, used: set[str]) -> str:
    """A stable id from the entity's label and name, every letter kept ("person:mikhail-galuzin"), the same in every
    article; a second entity of one article with the same slug is numbered."""
    slug = name_slug(name)
    entity_id = f"{label.lower()}:{slug}"
    number = 2
    while entity_id in used:
        entity_id = f"{label.lower()}:{slug}-{number}"
        number += 1
    used.add(entity_id)
    return entity_id


def _read_role(mention: MentionDraft, person: _Person) -> None:
    """Role and affiliation from the title words before a name, or an apposition after it."""
    token = mention.token_start
    if token is None:
        return
    words: list[str] = []
    left = token.i - 1
    doc = token.doc
    while left >= 0 and (
        doc[left].lower_ in ROLE_WORDS or (doc[left].is_title and doc[left].pos_ in ("PROPN", "ADJ", "NOUN"))
    ):
        if doc[left].ent_type_ == "PERSON":
            break
        words.insert(0, doc[left].text)
        left -= 1
    if not any(w.lower() in _ROLE_HEADS for w in words):
        words = _apposition(mention)
    affiliation = None
    # "Former Mexican Foreign Minister": the country may follow a leading "former" or "then".
    lead = 1 if len(words) > 1 and words[0].lower() in ("former", "then", "acting", "interim") else 0
    while len(words) > lead and _country_of(words[lead]):
        affiliation = _country_of(words.pop(lead))
    role = " ".join(words)
    if role and any(w.lower() in _ROLE_HEADS for w in words) and role not in person.roles:
        person.roles.append(role)
        if affiliation and person.affiliation is None:
            person.affiliation = affiliation


def _country_of(word: str) -> str | None:
    """The country a title word names: a demonym ("Russian") or a country's name, possessive or not ("U.S.",
    "Russia's")."""
    bare = word.removesuffix("'s").removesuffix("’s")
    return DEMONYMS.get(word) or COUNTRY_NAMES.get(bare)


def _apposition(mention: MentionDraft) -> list[str]:
    """The role in "Mikhail Galuzin, Russia's deputy foreign minister," (words of the apposition)."""
    token = mention.token_start
    head = token
    while head.i + 1 < len(head.doc) and head.doc[head.i + 1].ent_iob_ == "I":
        head = head.doc[head.i + 1]
    for child in head.children:
        if child.dep_ == "appos" and child.lower_ in _ROLE_HEADS:
            # "a former Mexican foreign minister who is a harsh critic": the clause after the role is not part of it
            clauses = {t.i for c in child.rights if c.dep_ in _NOT_ROLE for t in c.subtree}
            words = [
                t.text
                for t in child.subtree
                if t.i not in clauses and t.dep_ != "punct" and t.lower_ not in ("the", "a", "an")
            ]
            return [w.capitalize() if w.islower() and w not in _LOWER_IN_TITLES else w for w in words][:6]
    return []


_NOT_ROLE = {"relcl", "acl", "appos", "conj", "cc", "advcl"}
_LOWER_IN_TITLES = {"of", "for", "and", "on", "to", "in"}


def _acts(mention: MentionDraft) -> bool:
    """Whether a place is the subject of a verb ("Minsk has accused"), standing for its government."""
    token = mention.token_start
    while token.dep_ == "compound" and token.head is not token:
        token = token.head
    return token.dep_ in ("nsubj", "nsubjpass") and token.head.pos_ in ("VERB", "AUX")


def _resolve_descriptions(text: str, mentions: list[MentionDraft], people: dict[str, _Person]) -> list[MentionDraft]:
    """ "the Belarusian president" -> the latest person before it whose role and affiliation fit."""
    taken = [(m.start, m.end) for m in mentions if m.label != "NORP"]
    found = []
    for match in _DESCRIPTION.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        noun = match["noun"].lower()
        adjectives = match["adjectives"].split()
        country = next((DEMONYMS[a] for a in adjectives if a in DEMONYMS), None)
        before = [m for m in mentions if m.label == "PERSON" and m.end <= match.start()]
        for candidate in sorted(before, key=lambda m: m.start, reverse=True):
            person = people.get((candidate.entity or "").removeprefix("person:"))
            if person is not None and _fits(person, noun, country):
                if noun != "official":  # "the diplomat" narrows to a role; "the official" fits anyone
                    person.aliases.append(match[0])
                found.append(
                    MentionDraft(match.start(), match.end(), match[0], "PERSON", None, None, f"person:{person.key}")
                )
                break
    return found


def _fits(person: _Person, noun: str, country: str | None) -> bool:
    if country and person.affiliation and country != person.affiliation:
        return False
    roles = [role.lower() for role in person.roles]
    if not roles:
        return False
    if noun in _ROLE_CLASSES:
        members = _ROLE_CLASSES[noun]
        return not members or any(role == m or role.endswith(" " + m) for role in roles for m in members)
    return any(noun in role.split() for role in roles)
