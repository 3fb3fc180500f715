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
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from spacy.tokens import Doc

from newstrace.lexicon import ORGANISATION_NOUNS
from newstrace.model import Entity, Mention

__all__ = ["CAPITALS", "COUNTRY_ADJECTIVES", "extract_entities"]

LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}

# Capitals (and seats of government) of the states most often in the news, with the state they stand for.
CAPITALS = {
    "Moscow": "Russia", "Minsk": "Belarus", "Kiev": "Ukraine", "Kyiv": "Ukraine", "Washington": "United States",
    "London": "United Kingdom", "Paris": "France", "Berlin": "Germany", "Beijing": "China", "Tokyo": "Japan",
    "Tehran": "Iran", "Ankara": "Turkey", "Brussels": "European Union", "Rome": "Italy", "Madrid": "Spain",
    "Warsaw": "Poland", "Vilnius": "Lithuania", "Riga": "Latvia", "Tallinn": "Estonia", "Helsinki": "Finland",
    "Stockholm": "Sweden", "Oslo": "Norway", "Copenhagen": "Denmark", "Budapest": "Hungary", "Prague": "Czech Republic",
    "Vienna": "Austria", "Bern": "Switzerland", "Athens": "Greece", "Bucharest": "Romania", "Sofia": "Bulgaria",
    "Belgrade": "Serbia", "Chisinau": "Moldova", "Tbilisi": "Georgia", "Yerevan": "Armenia", "Baku": "Azerbaijan",
    "Astana": "Kazakhstan", "Tashkent": "Uzbekistan", "Damascus": "Syria", "Baghdad": "Iraq", "Riyadh": "Saudi Arabia",
    "Cairo": "Egypt", "Jerusalem": "Israel", "Beirut": "Lebanon", "Amman": "Jordan", "Kabul": "Afghanistan",
    "Islamabad": "Pakistan", "New Delhi": "India", "Seoul": "South Korea", "Pyongyang": "North Korea",
    "Taipei": "Taiwan", "Hanoi": "Vietnam", "Bangkok": "Thailand", "Jakarta": "Indonesia", "Manila": "Philippines",
    "Canberra": "Australia", "Ottawa": "Canada", "Mexico City": "Mexico", "Havana": "Cuba", "Caracas": "Venezuela",
    "Brasilia": "Brazil", "Buenos Aires": "Argentina", "Santiago": "Chile", "Bogota": "Colombia", "Lima": "Peru",
    "Pretoria": "South Africa", "Nairobi": "Kenya", "Addis Ababa": "Ethiopia", "Abuja": "Nigeria", "Khartoum": "Sudan",
    "Tripoli": "Libya", "Algiers": "Algeria", "Rabat": "Morocco", "Tunis": "Tunisia", "Doha": "Qatar",
    "Abu Dhabi": "United Arab Emirates", "Muscat": "Oman", "Sanaa": "Yemen", "Dublin": "Ireland", "Lisbon": "Portugal",
    "Amsterdam": "Netherlands", "The Hague": "Netherlands", "Ljubljana": "Slovenia", "Zagreb": "Croatia",
    "Sarajevo": "Bosnia and Herzegovina", "Skopje": "North Macedonia", "Tirana": "Albania", "Pristina": "Kosovo",
    "Bratislava": "Slovakia",
}  # fmt: skip
COUNTRY_ADJECTIVES = {
    "Russian": "Russia", "Belarusian": "Belarus", "Ukrainian": "Ukraine", "American": "United States",
    "British": "United Kingdom", "French": "France", "German": "Germany", "Chinese": "China", "Japanese": "Japan",
    "Iranian": "Iran", "Turkish": "Turkey", "Italian": "Italy", "Spanish": "Spain", "Polish": "Poland",
    "Lithuanian": "Lithuania", "Latvian": "Latvia", "Estonian": "Estonia", "Finnish": "Finland", "Swedish": "Sweden",
    "Norwegian": "Norway", "Danish": "Denmark", "Hungarian": "Hungary", "Czech": "Czech Republic",
    "Austrian": "Austria", "Swiss": "Switzerland", "Greek": "Greece", "Romanian": "Romania", "Bulgarian": "Bulgaria",
    "Serbian": "Serbia", "Moldovan": "Moldova", "Georgian": "Georgia", "Armenian": "Armenia", "Syrian": "Syria",
    "Iraqi": "Iraq", "Saudi": "Saudi Arabia", "Egyptian": "Egypt", "Israeli": "Israel", "Palestinian": "Palestine",
    "Lebanese": "Lebanon", "Afghan": "Afghanistan", "Pakistani": "Pakistan", "Indian": "India",
    "South Korean": "South Korea", "North Korean": "North Korea", "Korean": "Korea", "Taiwanese": "Taiwan",
    "Vietnamese": "Vietnam", "Australian": "Australia", "Canadian": "Canada", "Mexican": "Mexico", "Cuban": "Cuba",
    "Venezuelan": "Venezuela", "Brazilian": "Brazil", "Argentine": "Argentina", "Kenyan": "Kenya",
    "Nigerian": "Nigeria", "Irish": "Ireland", "Portuguese": "Portugal", "Dutch": "Netherlands", "Belgian": "Belgium",
    "Soviet": "Soviet Union",
    "European": "European Union", "U.S.": "United States", "US": "United States", "UK": "United Kingdom",
}  # fmt: skip
_COUNTRIES = set(COUNTRY_ADJECTIVES.values()) | set(CAPITALS.values()) | {"U.S.", "US", "UK", "USA", "Crimea"}
ROLE_WORDS = {
    "president", "minister", "secretary", "spokesman", "spokeswoman", "spokesperson", "ambassador", "chancellor",
    "governor", "mayor", "senator", "general", "commander", "chief", "director", "chairman", "chairwoman", "ceo",
    "head", "leader", "envoy", "official", "diplomat", "king", "queen", "prince", "pope", "judge", "commissioner",
    "representative", "adviser", "advisor", "aide", "premier", "prosecutor", "speaker", "lawmaker", "editor",
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
class _Mention:
    start: int
    end: int
    text: str
    label: str
    token_start: Any = None  # the spaCy Token that opens it, for roles and syntax
    stands_for: str | None = None
    entity: str | None = None


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
    mentions = _model_mentions(docs)
    mentions = _consistent_labels(mentions)
    mentions = _person_surnames(mentions, docs)
    entities, mentions = _group(text, mentions)
    return [
        Mention(m.text, m.label, m.start, m.end, m.entity, m.stands_for)
        for m in sorted(mentions, key=lambda m: m.start)
    ], entities


def _model_mentions(docs: list[tuple[int, Doc]]) -> list[_Mention]:
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
            found.append(_Mention(offset + span.start_char, offset + span.end_char, span.text, ent.label_, span[0]))
    return found


def _consistent_labels(mentions: list[_Mention]) -> list[_Mention]:
    """Known places are places; otherwise a surface form keeps the label it has most often."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for mention in mentions:
        votes[mention.text][mention.label] += 1
    result = []
    for mention in mentions:
        if mention.text in CAPITALS or mention.text in _COUNTRIES:
            label = "GPE"
        elif mention.text in COUNTRY_ADJECTIVES and mention.label != "PERSON":
            label = "NORP"
        else:
            label = votes[mention.text].most_common(1)[0][0]
        result.append(replace(mention, label=label))
    return result


def _person_surnames(mentions: list[_Mention], docs: list[tuple[int, Doc]]) -> list[_Mention]:
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
                result.append(_Mention(start, start + len(token.text), token.text, "PERSON", token))
    return result


def _fuller(mention: _Mention, full_names: set[str], lone_surnames: set[str]) -> bool:
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


def _group(text: str, mentions: list[_Mention]) -> tuple[list[Entity], list[_Mention]]:
    people: dict[str, _Person] = {}
    others: dict[tuple[str, str], list[_Mention]] = defaultdict(list)
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
            key = mention.text.lower()
            others[(mention.label, key)].append(mention)
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
            entity_id = _entity_id(label, name, used)
            ids[f"person:{key}"] = entity_id
            aliases = sorted(set(person.names) - {name}) + [a for a in person.aliases if a != name]
            unique = list({alias.lower(): alias for alias in reversed(aliases)}.values())[::-1]
            entities.append(Entity(entity_id, name, "PERSON", unique, person.roles,
                                   person.affiliation))  # fmt: skip
        else:
            group = others[(label, key)]
            entity_id = _entity_id(label, group[0].text, used)
            ids[f"{label.lower()}:{key}"] = entity_id
            governments = sorted({m.stands_for for m in group if m.stands_for})
            entities.append(
                Entity(entity_id, group[0].text, label, [], [], None, governments[0] if governments else None)
            )
    for mention in mentions:
        mention.entity = ids.get(mention.entity or "")
    return entities, mentions


_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_NAME_TITLES = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "rev"}
# Platforms and outlets the small model tags as people ("Twitter said"), never a person.
_NOT_PEOPLE = {"Twitter", "Facebook", "Instagram", "Weibo", "WeChat", "YouTube", "TikTok", "Telegram", "Reuters",
               "Bloomberg", "Google", "Apple", "Amazon", "LinkedIn", "Reddit", "Snapchat", "WhatsApp"}  # fmt: skip


def _name_words(name: str) -> list[str]:
    """A person's name as comparable words: lower case, no accents, titles and suffixes (Jr., III) left out."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
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


_LONGEST_SLUG = 48


def _entity_id(label: str, name: str, used: set[str]) -> str:
    """A stable id from the entity's label and name ("person:mikhail-galuzin"), the same in every article."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = "-".join(re.findall(r"[a-z0-9]+", plain)) or "x"
    if len(slug) > _LONGEST_SLUG:  # ids fit a 64-character column; a long name keeps a readable head and a hash
        slug = f"{slug[: _LONGEST_SLUG - 8]}-{hashlib.sha256(slug.encode()).hexdigest()[:7]}"
    entity_id = f"{label.lower()}:{slug}"
    number = 2
    while entity_id in used:
        entity_id = f"{label.lower()}:{slug}-{number}"
        number += 1
    used.add(entity_id)
    return entity_id


def _read_role(mention: _Mention, person: _Person) -> None:
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
    while len(words) > lead and (words[lead] in COUNTRY_ADJECTIVES or words[lead].rstrip("'s’") in _COUNTRIES):
        country = words.pop(lead)
        affiliation = COUNTRY_ADJECTIVES.get(country, country.rstrip("'s’"))
    role = " ".join(words)
    if role and any(w.lower() in _ROLE_HEADS for w in words) and role not in person.roles:
        person.roles.append(role)
        if affiliation and person.affiliation is None:
            person.affiliation = affiliation


def _apposition(mention: _Mention) -> list[str]:
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


def _acts(mention: _Mention) -> bool:
    """Whether a place is the subject of a verb ("Minsk has accused"), standing for its government."""
    token = mention.token_start
    while token.dep_ == "compound" and token.head is not token:
        token = token.head
    return token.dep_ in ("nsubj", "nsubjpass") and token.head.pos_ in ("VERB", "AUX")


def _resolve_descriptions(text: str, mentions: list[_Mention], people: dict[str, _Person]) -> list[_Mention]:
    """ "the Belarusian president" -> the latest person before it whose role and affiliation fit."""
    taken = [(m.start, m.end) for m in mentions if m.label != "NORP"]
    found = []
    for match in _DESCRIPTION.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        noun = match["noun"].lower()
        adjectives = match["adjectives"].split()
        country = next((COUNTRY_ADJECTIVES[a] for a in adjectives if a in COUNTRY_ADJECTIVES), None)
        before = [m for m in mentions if m.label == "PERSON" and m.end <= match.start()]
        for candidate in sorted(before, key=lambda m: m.start, reverse=True):
            person = people.get((candidate.entity or "").removeprefix("person:"))
            if person is not None and _fits(person, noun, country):
                if noun != "official":  # "the diplomat" narrows to a role; "the official" fits anyone
                    person.aliases.append(match[0])
                found.append(
                    _Mention(match.start(), match.end(), match[0], "PERSON", None, None, f"person:{person.key}")
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
