"""Who a Russian statement's source phrase names: a person's full name, an organisation, or the person a pronoun or
a description ("протоиерей", "турецкого премьер-министра") points back to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newstrace.annotate.russian._parse import RussianDoc, Sentence, Token
from newstrace.lexicon import (
    CAPITALS,
    RU_GENERIC_SOURCES,
    RU_SPEAKING_BODIES,
    RU_SPOKESPERSON_NOUNS,
    english_name_of_russian,
)
from newstrace.model import Article, Entity, Mention, transliterate

__all__ = ["Resolved", "SpeakerResolver", "subtree"]

_BRACKETED = re.compile(r"\s*\([^)]*\)")
# "по его словам": whose words, by the possessive's gender.
_POSSESSIVES = {"его": "Masc", "её": "Fem", "ее": "Fem", "их": "Plur"}
_PRONOUN_GENDER = {"он": "Masc", "она": "Fem", "оно": "Neut", "они": "Plur"}
# How far back a description looks for the name it was introduced with, in characters.
_DESCRIPTION_REACH = 6000
# How far back a bare person noun looks for the person it stands for, in characters (about two paragraphs).
_RECENT_REACH = 600


@dataclass(frozen=True, slots=True)
class Resolved:
    """The source as written (its span), the entity it resolves to, the name shown, and the rule that chose it."""

    mention: tuple[int, int] | None
    entity_id: str | None
    name: str | None
    rule: str
    person_voice: bool = False  # a body speaking through a person ("представитель министерства"): "он" goes on


def subtree(sentence: Sentence, index: int) -> list[Token]:
    """Token ``index`` and every token below it, in order."""
    keep = {index}
    changed = True
    while changed:
        changed = False
        for token in sentence.tokens:
            if token.index not in keep and token.head in keep:
                keep.add(token.index)
                changed = True
    return [token for token in sentence.tokens if token.index in keep]


class SpeakerResolver:
    """Resolves source phrases in text order, remembering who spoke last for pronouns and follow-on quotations."""

    def __init__(self, article: Article, doc: RussianDoc) -> None:
        self.text = article.text
        self.entities: dict[str, Entity] = {entity.id: entity for entity in article.entities_index}
        self.people = [m for m in article.entities if m.label == "PERSON" and m.entity_id]
        self.named = [m for m in article.entities if m.entity_id]
        self.gender = _genders(self.people, doc)
        self.doc = doc
        self.last: tuple[int, Resolved] | None = None  # the latest statement's offset and speaker

    def remember(self, offset: int, resolved: Resolved | None) -> None:
        """The speaker of the statement at ``offset``, for the pronouns and follow-on quotations after it."""
        if resolved is not None and resolved.name:
            self.last = (offset, resolved)

    def follow_on(self, offset: int, reach: int = 1200) -> Resolved | None:
        """The latest speaker, for an untagged quotation that goes on from a statement close before it."""
        if self.last is None or offset - self.last[0] > reach:
            return None
        return Resolved(None, self.last[1].entity_id, self.last[1].name, "follow-on")

    def resolve(self, sentence: Sentence, head: Token, cue: Token | None) -> Resolved | None:
        """The speaker a source phrase headed by ``head`` names."""
        tokens = [t for t in subtree(sentence, head.index) if cue is None or t.index != cue.index]
        tokens = _contiguous(tokens, head)
        start, end = tokens[0].start, tokens[-1].end
        if cue is not None and head.index < cue.index:
            # Everything from the subject to its verb names the speaker, whatever the parse hung it on
            # ("наблюдатель от ОБСЕ португальский парламентарий Хуан Суареш сообщил").
            between = sentence.tokens[head.index + 1 : cue.index]
            if between and not any(t.text in ",;:—–" for t in between):
                end = max(end, between[-1].end)
        # A name that starts inside the phrase counts even where the parse cut it short ("Барри Лоуенкрон (Barry …)").
        inside = [m for m in self.named if start <= m.start < end]
        # "супруга Виктора Бута": a person in the genitive of a noun is whose wife, not who spoke.
        people = [m for m in inside if m.label == "PERSON" and not _possessor(sentence, head, m)]
        if people:
            mention = min(people, key=lambda m: abs(m.start - head.start))
            return self._agreeing(self._entity(mention, "named"), mention, cue)
        if head.pos == "PRON" or head.lemma in _PRONOUN_GENDER or head.text.lower() in _POSSESSIVES:
            return self._pronoun(head, cue)
        bodies = [m for m in inside if m.label != "PERSON"]  # a possessor person is no body either
        if bodies:
            mention = min(bodies, key=lambda m: abs(m.start - head.start))
            # "глава Минсвязи отметил": the head of a body speaks for himself; "представитель Роскосмоса" speaks
            # for the body, and so does a body named as the subject.
            if not _role_of(sentence, head, mention) or head.lemma in RU_SPOKESPERSON_NOUNS:
                body = self._government(self._entity(mention, "organisation"))
                if head.lemma in RU_SPOKESPERSON_NOUNS:
                    return Resolved(body.mention, body.entity_id, body.name, body.rule, person_voice=True)
                return body
        if head.pos == "NOUN" and head.feats.get("Animacy") == "Inan" and not _speaking_body(head):
            return None  # "построение гелиевого реактора": a thing said nothing; the parse took the wrong noun
        if head.lemma.lower() in RU_GENERIC_SOURCES:
            return Resolved((start, end), None, None, "generic")
        return self._description(head, (start, end))

    def _agreeing(self, resolved: Resolved, mention: Mention, cue: Token | None) -> Resolved:
        """A bare surname two people share goes to the one the cue's gender allows ("Бут рассказала": Алла Бут)."""
        gender = cue.feats.get("Gender") if cue is not None and cue.feats.get("Number") != "Plur" else None
        if gender is None or " " in mention.text or self.gender.get(resolved.entity_id or "") in (None, gender):
            return resolved
        surname = (resolved.name or "").split()[-1:]
        for entity_id, entity_gender in self.gender.items():
            entity = self.entities.get(entity_id)
            if entity_gender == gender and entity is not None and entity.name.split()[-1:] == surname:
                return Resolved(resolved.mention, entity_id, entity.name, resolved.rule)
        return resolved

    def _government(self, resolved: Resolved) -> Resolved:
        """A capital speaking stands for its country's government: "Минск заявил" is Белоруссия."""
        if not (resolved.entity_id or "").startswith("gpe:") or not resolved.name:
            return resolved
        english = english_name_of_russian(resolved.name) or transliterate(resolved.name)
        country = CAPITALS.get(english)
        if country is None:
            return resolved
        for entity in self.entities.values():  # the country as this article names it
            if entity.label == "GPE" and english_name_of_russian(entity.name) == country:
                return Resolved(resolved.mention, entity.id, entity.name, resolved.rule)
        return resolved

    def _entity(self, mention: Mention, rule: str) -> Resolved:
        entity = self.entities.get(mention.entity_id or "")
        # "Джоэл Саймон (Joel Simon)": the name the article gives, without the original spelling in brackets.
        name = _BRACKETED.sub("", entity.name if entity is not None else mention.text).strip()
        return Resolved((mention.start, mention.end), mention.entity_id, name, rule)

    def _pronoun(self, head: Token, cue: Token | None) -> Resolved | None:
        gender = _PRONOUN_GENDER.get(head.lemma.lower())
        if gender is None and cue is not None:  # "его", "её" after "по": the cue verb's agreement says nothing
            gender = "Plur" if cue.feats.get("Number") == "Plur" else cue.feats.get("Gender")
        gender = _POSSESSIVES.get(head.text.lower(), gender)
        span = (head.start, head.end)
        introduced = self._latest_subject(head.start, gender)
        if self.last is not None and head.start - self.last[0] < 1500:
            previous = self.last[1]
            # A person made the subject after the last statement ended is newer than its speaker
            # ("…прибыл президент Дмитрий Медведев. Открывая памятник, он отметил…").
            newer = introduced is not None and introduced.start > self.last[0]
            agrees = self._agrees(previous.entity_id, gender) or (previous.person_voice and gender != "Neut")
            if (gender == "Plur" or agrees) and not newer:
                return Resolved(span, previous.entity_id, previous.name, "pronoun", previous.person_voice)
        if introduced is not None:
            resolved = self._entity(introduced, "pronoun")
            return Resolved(span, resolved.entity_id, resolved.name, "pronoun")
        if gender == "Plur":
            return None
        for mention in reversed(self.people):
            if mention.end <= head.start and self._agrees(mention.entity_id, gender):
                resolved = self._entity(mention, "pronoun")
                return Resolved(span, resolved.entity_id, resolved.name, "pronoun")
        return None

    def _latest_subject(self, before: int, gender: str | None) -> Mention | None:
        """The latest person named as a sentence's subject (or in apposition to it) before ``before``."""
        if gender == "Plur":
            return None
        for mention in reversed(self.people):
            if mention.end > before:
                continue
            if before - mention.start > 1500:
                return None
            sentence = self.doc.sentence_at(mention.start)
            first = next((t for t in sentence.tokens if t.start == mention.start), None) if sentence else None
            if first is None or sentence is None or not self._agrees(mention.entity_id, gender):
                continue
            role = first.rel
            if role in ("appos", "flat:name") and first.head >= 0:
                role = sentence.tokens[first.head].rel
            if role in ("nsubj", "nsubj:pass"):
                return mention
        return None

    def _agrees(self, entity_id: str | None, gender: str | None) -> bool:
        if entity_id is None or not entity_id.startswith("person:"):
            return gender == "Plur"  # "он" and "она" are people here; "они" may be an organisation's voice
        if entity_id not in self.gender:
            return gender != "Plur"  # a person whose gender the tagger did not read: any singular pronoun
        return gender is None or self.gender[entity_id] == gender

    def _description(self, head: Token, span: tuple[int, int]) -> Resolved:
        """A role noun resolves to the latest person the article introduced with the same word before the name."""
        for mention in reversed(self.people):
            if mention.end > head.start or head.start - mention.start > _DESCRIPTION_REACH:
                continue
            sentence = self.doc.sentence_at(mention.start)
            if sentence is None:
                continue
            before = [t for t in sentence.tokens if mention.start - 80 <= t.start < mention.start]
            entity = self.entities.get(mention.entity_id or "")
            roles = " ".join(entity.roles).lower() if entity is not None else ""
            if any(t.lemma == head.lemma for t in before[-6:]) or (roles and head.lemma in roles):
                resolved = self._entity(mention, "description")
                return Resolved(span, resolved.entity_id, resolved.name, "description")
        return self._recent_person(head, span) or self._voice(head, span) or Resolved(span, None, None, "description")

    def _voice(self, head: Token, span: tuple[int, int]) -> Resolved | None:
        """ "Чиновник подчеркнул" after a body's spokesman spoke: the same voice goes on, for the same body."""
        if self.last is None or not self.last[1].person_voice or head.start - self.last[0] > _RECENT_REACH * 2:
            return None
        if head.feats.get("Animacy") != "Anim":
            return None
        previous = self.last[1]
        return Resolved(span, previous.entity_id, previous.name, "description", person_voice=True)

    def _recent_person(self, head: Token, span: tuple[int, int]) -> Resolved | None:
        """A singular person noun ("супруга", "чиновник") with no introduction of its own: the latest person
        named close before it whose gender the noun allows (a feminine noun names a woman)."""
        if head.feats.get("Animacy") != "Anim" or head.feats.get("Number") != "Sing":
            return None
        for mention in reversed(self.people):
            if mention.end > head.start:
                continue
            if head.start - mention.end > _RECENT_REACH:
                return None
            gender = self.gender.get(mention.entity_id or "")
            if head.feats.get("Gender") == "Fem" and gender != "Fem":
                continue
            resolved = self._entity(mention, "description")
            return Resolved(span, resolved.entity_id, resolved.name, "description")
        return None


def _speaking_body(head: Token) -> bool:
    """Inanimate nouns that speak in the news: bodies and documents ("в милиции", "в докладе", "пресс-служба")."""
    return head.lemma in RU_SPEAKING_BODIES


def _role_of(sentence: Sentence, head: Token, mention: Mention) -> bool:
    """Whether the name is a genitive dependent of a person noun heading the phrase ("глава Минсвязи")."""
    if head.pos != "NOUN" or head.feats.get("Animacy") != "Anim":
        return False
    first = next((t for t in sentence.tokens if t.start == mention.start), None)
    return first is not None and first.feats.get("Case") == "Gen" and first.head == head.index


def _possessor(sentence: Sentence, head: Token, mention: Mention) -> bool:
    """Whether a name is a genitive dependent of the phrase's common noun ("супруга Виктора Бута")."""
    if head.pos != "NOUN" or head.feats.get("Case") == "Gen":
        return False
    first = next((t for t in sentence.tokens if t.start == mention.start), None)
    if first is None or first.head != head.index:
        return False
    # "Помощник Хиллари Клинтон": a foreign name shows no case, but the parse hangs it on the noun as its nmod.
    return first.feats.get("Case") == "Gen" or first.rel == "nmod"


def _contiguous(tokens: list[Token], head: Token) -> list[Token]:
    """The run of tokens around the head with no gap, and none across a colon ("Голос Америки: Ранее СМИ …")."""
    by_index = {t.index: t for t in tokens}
    low = high = head.index
    while low - 1 in by_index and by_index[low - 1].text != ":":
        low -= 1
    while high + 1 in by_index and by_index[high + 1].text != ":":
        high += 1
    return [by_index[i] for i in range(low, high + 1)]


def _genders(people: list[Mention], doc: RussianDoc) -> dict[str, str]:
    """Each person's grammatical gender, as the tagger read it on the words of their mentions (the majority)."""
    votes: dict[str, dict[str, int]] = {}
    for mention in people:
        sentence = doc.sentence_at(mention.start)
        if sentence is None or mention.entity_id is None:
            continue
        for token in sentence.tokens:
            if mention.start <= token.start < mention.end and token.feats.get("Gender") in ("Masc", "Fem"):
                tally = votes.setdefault(mention.entity_id, {})
                tally[token.feats["Gender"]] = tally.get(token.feats["Gender"], 0) + 1
    return {entity_id: max(tally, key=lambda g: tally[g]) for entity_id, tally in votes.items()}
