"""The sieve: a source phrase's head read through relative, pronoun, named, description and unnamed rules."""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from newstrace.annotate.speakers._nouns import (
    _can_speak,
    _clean_name,
    _is_place,
    _issuer,
    _name_end,
    _name_start,
    _names_a_person,
    _of_group,
    _office_complement,
    _proper_chain,
    _same_name,
)
from newstrace.annotate.speakers._parsed import (
    ParsedArticle,
    _strip_leading,
    _subject_of_clause,
    _subject_of_sentence,
)
from newstrace.annotate.speakers._people import _PERSON_PRONOUNS, _people, _Person
from newstrace.lexicon import (
    DOCUMENT_NOUNS,
    ORGANISATION_NOUNS,
    PEOPLE_NOUNS,
    RECORD_NOUNS,
    ROLE_CLASSES,
    SHARE_NOUNS,
    WRITER_PRONOUNS,
)
from newstrace.model import Article, Mention

_GROUP_PRONOUNS = {"it", "its", "they", "them", "their"}
_RELATIVE = {"who", "which", "that", "whom"}
_DEMONSTRATIVES = {"this", "that", "these", "those"}
_INTERROGATIVES = {"what", "which", "whatever", "whichever"}
_AGE = re.compile(r"(?P<age>\d{1,3})-year-old")
_WINDOW_PARAGRAPHS = 3
# Heads of a phrase that can name a source: nouns, names, pronouns, and the numerals, determiners and quantifiers
# that stand for people ("One said", "Another wondered", "Many have voiced concerns").
_NOMINAL = {"NOUN", "PROPN", "PRON", "NUM", "DET"}


@dataclass(frozen=True, slots=True)
class Resolution:
    """A resolved speaker: the name to show, its entity, the rule that chose it and the evidence."""

    name: str | None
    entity_id: str | None
    rule: str
    distance: int = 0  # sentences between the source phrase and its antecedent
    candidates: int = 1  # compatible candidates the rule chose among
    agreement: bool = False  # gender or number evidence decided it
    narration: bool = False  # the writer's own words ("we'll start by noting"), not a statement


@dataclass(frozen=True, slots=True)
class _Spoken:
    position: int
    resolution: Resolution
    label: str | None


class SpeakerResolver:
    """Resolves source phrases of one parsed article, in reading order (earlier speakers inform later ones)."""

    def __init__(self, article: Article, docs: list[tuple[int, Doc]]) -> None:
        self.article = article
        self.parsed = ParsedArticle(article, docs)
        self.entities = {entity.id: entity for entity in article.entities_index}
        self.people = _people(self.parsed)
        self.spoken: list[_Spoken] = []

    # -- public ---------------------------------------------------------------------------------

    def resolve(self, source: tuple[int, int] | None, position: int, quoted: bool = False) -> Resolution | None:
        """The speaker of a source phrase (None when there is no phrase); ``position`` orders it in the text."""
        if source is None:
            return None
        head = self.parsed.head(source)
        resolution = self._resolve_head(head, source, position, quoted) if head is not None else None
        if resolution is None:
            text = self.article.text[source[0] : source[1]]
            if head is not None and head.pos_ == "PRON":  # a pronoun nobody fits: unresolved, never guessed
                resolution = Resolution(None, None, "unresolved")
            elif head is not None and head.pos_ not in _NOMINAL and head.lower_ not in PEOPLE_NOUNS:
                # a phrase headed by a verb, an adjective or a particle names no one ("what better way than to ...")
                resolution = Resolution(None, None, "thing", narration=True)
            else:
                resolution = Resolution(_strip_leading(text) or None, None, "unnamed")
        if resolution.name is not None and resolution.name != (clean := _clean_name(resolution.name)):
            resolution = dataclasses.replace(resolution, name=clean or None)
        return resolution

    def remember(self, position: int, resolution: Resolution) -> None:
        """Record who made a statement at ``position``, so "it said" and continuation paragraphs can find them."""
        if resolution.name is None or resolution.narration:
            return
        entity = self.entities.get(resolution.entity_id or "")
        label: str | None
        if entity is not None:
            label = entity.label
        elif resolution.rule in ("organisation", "named"):
            label = "ORG" if resolution.rule == "organisation" else "NAME"  # a name the entity model missed
        elif resolution.rule == "unnamed":
            label = "GROUP" if resolution.name.lower().endswith("s") else "ORG"  # "critics"; "the US military"
        else:  # a pronoun, description or continuation speaks for whoever it resolved to
            label = next((s.label for s in reversed(self.spoken) if s.resolution.name == resolution.name), None)
        self.spoken.append(_Spoken(position, resolution, label))

    def last_speaker(self, position: int, paragraphs_back: int = 1) -> Resolution | None:
        """Who spoke last before ``position`` within this or the previous paragraph(s): a quote's continuation."""
        floor = self.parsed.paragraph_floor(position, paragraphs_back)
        for spoken in reversed(self.spoken):  # reading order: the latest statements are at the end
            if floor <= spoken.position < position:
                return spoken.resolution
            if spoken.position < floor:
                break
        return None

    # -- the sieve ------------------------------------------------------------------------------

    def _resolve_head(self, head: Token, source: tuple[int, int], position: int, quoted: bool) -> Resolution | None:
        word = head.lower_
        if word in _RELATIVE and head.head is not head and head.head.dep_ == "relcl":
            antecedent = head.head.head
            if antecedent.pos_ in ("NOUN", "PROPN"):
                inner = self._resolve_head(antecedent, self.parsed.phrase_bounds(antecedent), position, quoted)
                return inner and dataclasses.replace(inner, rule="relative:" + inner.rule)
            return None
        if word in _DEMONSTRATIVES | _INTERROGATIVES and head.pos_ in ("PRON", "DET"):
            if word in ("those", "these") and any(c.dep_ in ("prep", "relcl", "acl", "amod") for c in head.children):
                return Resolution(self.parsed.phrase_text(head), None, "unnamed")  # "Those in favour of the ban"
            # "That promises better mileage", "what better way than ...": a thing or a question, not a source
            return Resolution(None, None, "thing", narration=True)
        if word in WRITER_PRONOUNS and head.pos_ == "PRON":
            if not quoted:
                return Resolution(None, None, "writer", narration=True)
            enclosing = self.last_speaker(source[0], paragraphs_back=0)  # "I" inside a quotation is its speaker
            return enclosing and Resolution(enclosing.name, enclosing.entity_id, "pronoun", 0, 1, True)
        if word in _PERSON_PRONOUNS:
            return self._person_pronoun(_PERSON_PRONOUNS[word], source[0])
        if word in _GROUP_PRONOUNS:
            return self._group_pronoun(source[0], plural=word in ("they", "them", "their"))
        named = self._named(head, source)
        if named is not None:
            return named
        # A capitalised noun inside a sentence is a name the tagger took for a common noun ("but Acmecorp welcomed")
        if head.pos_ == "NOUN" and (head.is_sent_start or not head.text[:1].isupper()):
            noun = head.lemma_.lower()
            group = _of_group(head) if noun in SHARE_NOUNS else None
            if group is not None:  # "60 percent of farmers say": the group says it
                return self._resolve_head(group, self.parsed.phrase_bounds(group), position, quoted)
            if not (_can_speak(noun) or _can_speak(head.lower_)):  # "media" is lemmatised "medium"
                # "The video declared", "loud bangs rattle the town": a thing says nothing; what it "says" is narration
                return Resolution(None, None, "thing", narration=True)
        source_text = self.article.text[source[0] : source[1]]
        if head.pos_ in ("NOUN",) or head.lower_ in ORGANISATION_NOUNS or _AGE.search(source_text):
            return self._description(head, source, position)
        if head.pos_ == "PROPN":  # a name the entity model missed: the proper nouns as written
            words = [t for t in head.subtree if t.dep_ in ("compound", "flat") or t.i == head.i]
            words = [t for t in words if t.pos_ == "PROPN" and t.i <= head.i]
            name = " ".join(t.text for t in words) if words else head.text
            return Resolution(name + _office_complement(head), None, "named")
        return None

    def _named(self, head: Token, source: tuple[int, int]) -> Resolution | None:
        offset = self.parsed.doc_offset(head)
        head_at = offset + head.idx
        mention = self.parsed.mention_covering(head_at)
        if mention is None:  # "the then UK Home Secretary, Sajid Javid": the name in apposition
            mention = self._apposed(head, offset)
            if mention is not None and mention.entity_id is not None:
                entity = self.entities.get(mention.entity_id)
                return Resolution(mention.stands_for or (entity.name if entity else mention.text),
                                  mention.entity_id, "named")  # fmt: skip
        if mention is None or mention.entity_id is None:
            proper = self._proper_name(head, source)
            return Resolution(proper, None, "named") if proper else None
        entity = self.entities.get(mention.entity_id)
        if mention.label == "PERSON":
            return Resolution(entity.name if entity else mention.text, mention.entity_id, "named")
        if mention.stands_for:
            return Resolution(mention.stands_for, mention.entity_id, "named")
        # An organisation or place that is only the modifier of the head is not the speaker ("Russia's
        # foreign ministry"): the whole noun phrase is.
        phrase = self.parsed.phrase_text(head)
        if mention.start <= head_at < mention.end and phrase.lower() == mention.text.lower():
            return Resolution(entity.name if entity else mention.text, mention.entity_id, "named")
        return Resolution(phrase, mention.entity_id if _same_name(phrase, mention.text) else None, "organisation")

    def _apposed(self, head: Token, offset: int) -> Mention | None:
        """A name in apposition to a common-noun head: "Another diplomat, former envoy Kurt Volker"."""
        for child in head.children:
            if child.dep_ != "appos":
                continue
            mention = self.parsed.mention_covering(offset + child.idx)
            if mention is not None and mention.entity_id and mention.label in ("PERSON", "ORG"):
                return mention
            # a role in apposition ends in its holder's name ("Another diplomat, former special envoy to Ukraine Kurt
            # Volker,"): the person named last in the appositive phrase, however the parse attached the name
            mention = self.parsed.mention_covering(offset + child.right_edge.idx)
            if child.pos_ == "NOUN" and mention is not None and mention.entity_id and mention.label == "PERSON":
                return mention
        return None

    def _proper_name(self, head: Token, source: tuple[int, int]) -> str | None:
        """A name the entity model missed, as written: the proper nouns in apposition to the head ("The group
        that owns her music, Big Machine,") or closing the phrase ("Wikileaks editor-in-chief Kristinn Hrafnsson")."""
        for child in head.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                return _proper_chain(child)
        offset = self.parsed.doc_offset(head)
        tokens = [t for t in head.doc if source[0] <= offset + t.idx < source[1]]
        while tokens and tokens[-1].is_punct:
            tokens.pop()
        chain: list[Token] = []
        for token in reversed(tokens):
            if token.pos_ != "PROPN" or not token.text[:1].isupper():
                break
            chain.insert(0, token)
        if len(chain) < 2 or len(chain) == len(tokens) or chain[-1].dep_ in ("pobj", "poss"):
            return None
        covered = self.parsed.mention_covering(offset + chain[-1].idx)
        if covered is not None and covered.label in ("GPE", "LOC", "NORP", "FAC"):
            return None
        return " ".join(t.text for t in chain)

    def _person_pronoun(self, gender: str, at: int, possessor: bool = False) -> Resolution | None:
        floor = self.parsed.paragraph_floor(at, _WINDOW_PARAGRAPHS)
        found = self._person_pronoun_within(gender, at, floor, possessor)
        return found or self._person_pronoun_within(gender, at, 0, possessor)

    def _person_pronoun_within(self, gender: str, at: int, floor: int, possessor: bool) -> Resolution | None:
        sentence = self.parsed.sentence_index(at)
        scores: dict[str, float] = {}
        distances: dict[str, int] = {}
        # "he said" most often continues the last speaker; "his office said" speaks for someone who did not
        last_speaker = (
            None
            if possessor
            else next(
                (s.resolution.entity_id for s in reversed(self.spoken) if s.position < at and s.label == "PERSON"), None
            )
        )
        for person in self.people.values():
            low = bisect.bisect_left(person.positions, (floor, False))
            high = bisect.bisect_left(person.positions, (at, False))
            before = person.positions[low:high]
            if not before or (person.gender is not None and person.gender != gender):
                continue
            latest, subject = before[-1]
            distance = sentence - self.parsed.sentence_index(latest)
            # "his office said" points back to whoever was just named, subject or not
            prominence = (0.5 if possessor else 1.5) if subject else 0.0
            score = -float(distance) + prominence + (0.5 if person.gender == gender else 0.0)
            score += 0.3 * min(3, len(before))
            if person.entity.id == last_speaker:
                score += 1.5
            scores[person.entity.id] = score
            distances[person.entity.id] = distance
        if not scores:
            return None
        best = max(scores, key=lambda key: scores[key])
        known = self.people[best].gender is not None
        entity = self.entities[best]
        return Resolution(entity.name, best, "pronoun", distances[best], len(scores), known)

    def _group_pronoun(self, at: int, plural: bool) -> Resolution | None:
        floor = self.parsed.paragraph_floor(at, _WINDOW_PARAGRAPHS)
        organisations = self._organisations_between(floor, at)
        subjects = [
            m for m in organisations if (t := self.parsed.token_at(m.start)) is not None and _subject_of_clause(t)
        ]
        # "it" continues a subject named since the last organisation that spoke ("Toyota said ... Honda had sold 700,000
        # cars. It announced ..."): the last speaker only where no subject came after it
        latest_subject = subjects[-1].start if subjects else -1
        for spoken in reversed(self.spoken):
            if spoken.position >= at:
                continue
            if spoken.position < floor or spoken.position < latest_subject:
                break
            if spoken.label in ("ORG", "NAME") or (plural and spoken.label == "GROUP"):
                distance = self.parsed.sentence_index(at) - self.parsed.sentence_index(spoken.position)
                return Resolution(spoken.resolution.name, spoken.resolution.entity_id, "pronoun", distance, 1, True)
        if not organisations:
            return None
        # the organisation that was a subject, before one that only modifies a noun ("its order of ten Airbus jets")
        chosen = (subjects or organisations)[-1]
        entity = self.entities.get(chosen.entity_id or "")
        distance = self.parsed.sentence_index(at) - self.parsed.sentence_index(chosen.start)
        candidates = len({m.entity_id for m in organisations})
        return Resolution(entity.name if entity else chosen.text, chosen.entity_id, "pronoun", distance, candidates)

    def _description(self, head: Token, source: tuple[int, int], position: int) -> Resolution | None:
        noun = head.lemma_.lower()
        if noun not in RECORD_NOUNS and head.lower_ in RECORD_NOUNS:
            noun = head.lower_  # "data" is lemmatised "datum"
        text = self.article.text[source[0] : source[1]]
        phrase = self.parsed.phrase_text(head)
        definite = any(t.lower_ in ("the", "this", "that") for t in head.children if t.dep_ == "det")
        owner = next((t for t in head.children if t.dep_ == "poss"), None)
        if owner is not None and owner.lower_ in _PERSON_PRONOUNS:  # "his office", "her spokesman"
            person = self._person_pronoun(_PERSON_PRONOUNS[owner.lower_], source[0], possessor=True)
            if person is not None:
                return Resolution(person.name, person.entity_id, "description", person.distance, person.candidates)
        age = _AGE.search(text)
        if age and definite:
            fits = [p for p in self.people.values() if int(age["age"]) in p.ages]
            if fits:
                return self._choose_person(fits, source[0], "description")
            # "The new coach ... The 48-year-old said": an age no sentence gave anyone points back at the
            # person the text is about: the subject of the sentence before, else the person named most so far
            return self._previous_subject(source[0]) or self._most_named(source[0])
        if noun in DOCUMENT_NOUNS or noun in RECORD_NOUNS:
            # "reports received by Amnesty", "a statement from the ministry", "data from the port authority", "a
            # report in the Harbour Times", "the ministry's statement": whoever the document or record is by
            issuer = _issuer(head, source[1] - self.parsed.doc_offset(head))
            if issuer is not None:
                return self._resolve_head(issuer, self.parsed.phrase_bounds(issuer), position, quoted=False)
            earlier = [s for s in self.spoken if s.position < position]
            if noun in DOCUMENT_NOUNS and definite and head.tag_ == "NN" and earlier:
                spoken = earlier[-1].resolution  # "the statement said": the last one to speak issued it
                return Resolution(spoken.name, spoken.entity_id, "description", 0, 1)
            # "according to reports": a source without an author; the mention stays, but it names no speaker
            return Resolution(None, None, "record")
        modifiers = [t for t in head.children if t.dep_ in ("compound", "amod", "poss", "nmod") and t.i < head.i]
        proper = [t for t in modifiers if t.pos_ == "PROPN" or t.text[:1].isupper()]
        if head.tag_ in ("NNS", "NNPS"):
            pair = self._pair(head, noun, source[0])
            if pair is not None:
                return pair
            return Resolution(phrase, None, "unnamed")  # "US officials", "critics": a group, not one person
        if definite or owner is not None or proper:
            fits = [p for p in self.people.values() if self._fits(p, noun, modifiers)]
            if fits:
                return self._choose_person(fits, source[0], "description")
        if definite and not proper and noun in ORGANISATION_NOUNS:
            organisation = self._organisation_of_kind(noun, source[0]) or self._salient_organisation(source[0])
            if organisation is not None:
                return organisation
        if definite and not proper and _names_a_person(noun) and not any(noun in p.nouns for p in self.people.values()):
            bridged = self._previous_subject(source[0])
            if bridged is not None:
                return bridged
        return Resolution(phrase, None, "unnamed")

    def _pair(self, head: Token, noun: str, at: int) -> Resolution | None:
        """ "Both men", "the two women": the pair the text last named together ("Oren Falk and Dana Weiss were
        detained"), in its order; None where the noun names no one, or no pair was named in the last paragraphs."""
        both = any(c.lower_ == "both" and c.dep_ in ("det", "predet", "amod") for c in head.children)
        two = any(c.lower_ == "two" and c.dep_ == "nummod" for c in head.children) and any(
            c.lower_ in ("the", "these", "those") for c in head.children
        )
        if not (both or two) or not (noun in PEOPLE_NOUNS or _names_a_person(noun)):
            return None
        floor = self.parsed.paragraph_floor(at, _WINDOW_PARAGRAPHS)
        owner = {position: person for person in self.people.values() for position, _ in person.positions}
        pairs = []
        for position, person in owner.items():
            token = self.parsed.token_at(position) if floor <= position < at else None
            partner = _name_end(token) if token is not None else None
            conjunct = next((c for c in partner.children if c.dep_ == "conj"), None) if partner is not None else None
            if partner is None or conjunct is None or partner.dep_ in ("conj", "appos"):
                continue  # no coordination, or the second or third of a list
            if any(c.dep_ == "conj" for c in conjunct.children):
                continue  # one of three or more
            other = owner.get(self.parsed.doc_offset(conjunct) + _name_start(conjunct).idx)
            if other is not None and other is not person:
                pairs.append((position, person, other))
        if not pairs:
            return None
        position, first, second = max(pairs, key=lambda item: item[0])
        distance = self.parsed.sentence_index(at) - self.parsed.sentence_index(position)
        return Resolution(f"{first.entity.name} and {second.entity.name}", None, "description", distance, 2)

    def _previous_subject(self, at: int) -> Resolution | None:
        """The one person the sentence before ``at`` was about (its subject), for a role the text never stated."""
        sentence = self.parsed.sentence_index(at)
        if sentence == 0:
            return None
        start, end = self.parsed.sentences[sentence - 1]
        subjects = set()
        for person in self.people.values():
            low = bisect.bisect_left(person.positions, (start, False))
            high = bisect.bisect_left(person.positions, (end, False))
            if any(
                subject and _subject_of_sentence(self.parsed.token_at(at)) for at, subject in person.positions[low:high]
            ):
                subjects.add(person.entity.id)
        if len(subjects) != 1:
            return None
        entity = self.entities[next(iter(subjects))]
        return Resolution(entity.name, entity.id, "description", 1, 1)

    def _most_named(self, at: int) -> Resolution | None:
        """The person named most often before ``at`` (the latest named among equals): the article's protagonist."""
        counts = [(sum(p < at for p, _ in person.positions), max((p for p, _ in person.positions if p < at),
                   default=-1), person) for person in self.people.values()]  # fmt: skip
        named = [(count, latest, person) for count, latest, person in counts if count]
        if not named:
            return None
        _, latest, person = max(named, key=lambda item: (item[0], item[1]))
        distance = self.parsed.sentence_index(at) - self.parsed.sentence_index(latest)
        return Resolution(person.entity.name, person.entity.id, "description", distance, len(named))

    def _organisation_of_kind(self, noun: str, at: int) -> Resolution | None:
        """ "the airline said": the latest organisation before ``at`` that the text called an airline, in its name
        ("Nordic Airline") or in a noun standing beside it ("the carrier Nordair", "Nordair, the airline"); None where
        no organisation was called so, or where several were within the last paragraphs (the kind does not decide)."""
        kinds: dict[str, Mention] = {}
        for mention in self.parsed.mentions:
            if mention.start >= at:
                break
            if mention.label == "ORG" and mention.entity_id and noun in self._kind_words(mention):
                kinds[mention.entity_id] = mention
        if not kinds:
            return None
        floor = self.parsed.paragraph_floor(at, _WINDOW_PARAGRAPHS)
        recent = [m for m in kinds.values() if m.start >= floor]
        if len(recent) > 1:
            return None
        chosen = recent[0] if recent else max(kinds.values(), key=lambda m: m.start)
        entity = self.entities.get(chosen.entity_id or "")
        distance = self.parsed.sentence_index(at) - self.parsed.sentence_index(chosen.start)
        return Resolution(entity.name if entity else chosen.text, chosen.entity_id, "description", distance, len(kinds))

    def _kind_words(self, mention: Mention) -> set[str]:
        """The common nouns that name what an organisation mention is: the words of its name, the noun it is in
        apposition to or compounded with, and the nouns just before it ("flagship carrier Nordair")."""
        words = {word.lower() for word in re.findall(r"[A-Za-z]+", mention.text)}
        token = self.parsed.token_at(mention.start)
        if token is None:
            return words
        last = token
        while last.i + 1 < len(last.doc) and self.parsed.doc_offset(last) + last.doc[last.i + 1].idx < mention.end:
            last = last.doc[last.i + 1]
        neighbours = [last.head, *last.children, *token.doc[max(0, token.i - 3) : token.i]]
        words |= {t.lemma_.lower() for t in neighbours if t.pos_ == "NOUN"}
        return words

    def _salient_organisation(self, at: int) -> Resolution | None:
        """ "the company said": the organisation that spoke last, else the latest organisation subject or mention."""
        floor = self.parsed.paragraph_floor(at, _WINDOW_PARAGRAPHS)
        for spoken in reversed(self.spoken):
            if floor <= spoken.position < at and spoken.label in ("ORG", "NAME"):
                return Resolution(spoken.resolution.name, spoken.resolution.entity_id, "description", 0, 1, True)
        organisations = self._organisations_between(floor, at)
        if not organisations:
            return None
        subjects = [
            m for m in organisations if (t := self.parsed.token_at(m.start)) is not None and _subject_of_clause(t)
        ]
        if not subjects:
            return None  # "of the Harbour Times" is no antecedent for "the agency"
        chosen = subjects[-1]
        entity = self.entities.get(chosen.entity_id or "")
        candidates = len({m.entity_id for m in organisations})
        return Resolution(entity.name if entity else chosen.text, chosen.entity_id, "description", 0, candidates)

    def _organisations_between(self, floor: int, at: int) -> list[Mention]:
        low, high = (
            bisect.bisect_left(self.parsed.mention_starts, floor),
            bisect.bisect_left(self.parsed.mention_starts, at),
        )
        return [m for m in self.parsed.mentions[low:high] if m.label == "ORG" and m.entity_id]

    def _fits(self, person: _Person, noun: str, modifiers: list[Token]) -> bool:
        if noun not in person.nouns and not any(noun == cls and person.nouns & members
                                                for cls, members in ROLE_CLASSES.items()):  # fmt: skip
            return False
        affiliation = person.entity.affiliation
        for modifier in modifiers:
            place = modifier.text.rstrip("'s’")
            foreign = affiliation and place[:1].isupper() and place not in affiliation and affiliation not in place
            if foreign and _is_place(modifier):
                return False
        return True

    def _choose_person(self, fits: list[_Person], at: int, rule: str) -> Resolution | None:
        if not fits:
            return None
        before = [(max((p for p, _ in person.positions if p < at), default=-1), person) for person in fits]
        latest, person = max(before, key=lambda pair: pair[0])
        distance = self.parsed.sentence_index(at) - self.parsed.sentence_index(latest) if latest >= 0 else 0
        return Resolution(person.entity.name, person.entity.id, rule, distance, len(fits))
