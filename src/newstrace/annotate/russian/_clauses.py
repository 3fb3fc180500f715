"""The pieces of a Russian clause that every statement rule reads: whether a word is a cue, the cue's subject
(where the parser hung it elsewhere too) and a content span's edges."""

from __future__ import annotations

import re

from newstrace.annotate.russian._parse import Sentence, Token
from newstrace.lexicon import RU_CUE_LEMMAS, RU_OPINION_ADJECTIVES

__all__ = ["SUBJECT", "is_cue", "named_after", "named_before", "negated", "subject_of", "trimmed"]

SUBJECT = ("nsubj", "nsubj:pass")
_TRAILING = " \t\n.,;:—–-"
_INTRODUCES = re.compile(r":\s*[«„\"]")


def is_cue(token: Token) -> bool:
    """Whether a word reports speech or a stated view: a cue verb of the lexicon, or "уверен" and its kin."""
    if token.pos not in ("VERB", "ADJ") or token.feats.get("Voice") == "Pass":
        return False  # "было заявлено", "сообщается": passives and impersonal forms report no speaker
    return token.lemma in RU_CUE_LEMMAS or token.text.lower() in RU_OPINION_ADJECTIVES


def negated(sentence: Sentence, verb: Token) -> bool:
    """ "не называют", "ещё не объявил": a cue said not to have been said reports nothing."""
    return any(child.lemma == "не" and child.index < verb.index for child in sentence.children(verb.index))


def subject_of(sentence: Sentence, verb: Token) -> Token | None:
    """The verb's subject; a verb joined to another ("вспомнил … и сказал", "осудил …, назвав") shares its subject."""
    seen = set()
    cue = verb
    while verb.index not in seen:
        seen.add(verb.index)
        for child in sentence.children(verb.index):
            if child.rel in SUBJECT:
                return _nearer_subject(sentence, child, cue)
        gerund = verb.rel == "advcl" and verb.feats.get("VerbForm") == "Conv"
        if (verb.rel in ("conj", "xcomp") or gerund) and verb.head >= 0:
            verb = sentence.tokens[verb.head]
            continue
        break
    return None


def _nearer_subject(sentence: Sentence, subject: Token, verb: Token) -> Token:
    """The parser's subject, unless another finite verb stands between it and the cue: then the nominative noun
    nearest before the cue ("Президент … объявил …, однако лидер оппозиции … назвал": the leader named)."""
    if subject.index > verb.index:
        # Russian puts the subject first outside tags: a subject the parser gave another verb, before this cue
        # in its clause, is this cue's ("Президент … объявил о …, однако лидер оппозиции … назвал …").
        for token in reversed(sentence.tokens[: verb.index]):
            if token.text in ".;:" or (token.pos == "VERB" and token.feats.get("VerbForm") == "Fin"):
                break
            if token.rel in SUBJECT and token.feats.get("Case") == "Nom" and token.pos in ("NOUN", "PROPN"):
                return token
    low, high = sorted((subject.index, verb.index))
    between = sentence.tokens[low + 1 : high]
    if not any(t.pos == "VERB" and t.feats.get("VerbForm") == "Fin" for t in between):
        return subject
    for token in reversed(sentence.tokens[: verb.index]):
        if token.pos == "VERB" and token.feats.get("VerbForm") == "Fin":
            break
        if token.pos in ("NOUN", "PROPN", "PRON") and token.feats.get("Case") == "Nom" and token.rel in SUBJECT:
            return token
    return subject


def trimmed(text: str, start: int, end: int, clause: bool = True) -> tuple[int, int]:
    # "По словам X, …: «…»": the quotation after the colon is a statement of its own.
    introduced = _INTRODUCES.search(text, start, end) if clause else None
    if introduced is not None and introduced.start() > start:
        end = introduced.start()
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    while start < end and text[start] in " \t\n,":
        start += 1
    return start, end


def named_before(before: list[Token], verb: Token) -> Token | None:
    """A subject the parser left unattached: the nominative name or noun nearest before the cue."""
    noun = None
    for token in reversed(before[: verb.index]):
        if token.text in ".;:":
            break
        if token.feats.get("Case") == "Nom" and token.pos == "PROPN":
            return token  # a name before the cue says who, whatever description stands between
        if token.feats.get("Case") == "Nom" and token.pos == "NOUN" and noun is None:
            noun = token
    return noun


def named_after(sentence: Sentence, verb: Token) -> Token | None:
    """The subject of an inverted tag the parser attached elsewhere: the first nominative noun after the cue."""
    for token in sentence.tokens[verb.index + 1 :]:
        if token.pos in ("NOUN", "PROPN", "PRON") and token.feats.get("Case") == "Nom":
            return token
        if token.text in ".;":
            break
    return None
