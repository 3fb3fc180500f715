"""Times of a Russian article: the Russian rules of ``annotate.times``, with the parse saying which clauses are future.

A bare "в понедельник" is last Monday unless its clause is future, as in English; Russian marks the future on the
verb, often after the time ("в понедельник министр встретится …"), so the verb the time depends on is read from the
parse (slovnet's Tense=Fut, or "будет" with an infinitive) beside the cue words before it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from newstrace.annotate.russian._parse import RussianDoc, Sentence, Token
from newstrace.annotate.times import find_times
from newstrace.model import TimeExpr

__all__ = ["find_times_ru"]

# Verbs whose infinitive is what will happen ("планирует посетить в понедельник").
_INTENT_LEMMAS = frozenset(
    {"планировать", "намереваться", "собираться", "предстоять", "ожидаться", "обещать", "намеренный", "намерен"}
)


def find_times_ru(doc: RussianDoc, reference: date | None) -> list[TimeExpr]:
    """Every time expression of the article, normalised against ``reference``."""
    return find_times(doc.text, reference, language="ru", future=_future_clause(doc))


def _future_clause(doc: RussianDoc) -> Callable[[int, int], bool]:
    """Whether the verb governing the words at ``start:end`` speaks of the future."""

    def future(start: int, end: int) -> bool:
        sentence = doc.sentence_at(start)
        if sentence is None:
            return False
        inside = {t.index for t in sentence.tokens if start <= t.start < end}
        heads = [t for t in sentence.tokens if t.index in inside and t.head not in inside]
        if not heads:
            return False
        verb = _governing_verb(sentence, heads[0])
        return verb is not None and _is_future(sentence, verb)

    return future


_CLAUSE_RELS = frozenset({"root", "conj", "parataxis", "ccomp", "advcl", "acl", "acl:relcl", "csubj"})


def _governing_verb(sentence: Sentence, token: Token) -> Token | None:
    """The verb of the clause holding ``token``: the nearest verb above it, or the copula of a nominal predicate
    ("во вторник он был в Минске": "был", not the verb of the clause "Минске" is joined to)."""
    seen: set[int] = set()
    while token.head >= 0 and token.index not in seen:
        seen.add(token.index)
        token = sentence.tokens[token.head]
        if token.pos in ("VERB", "AUX"):
            return token
        copula = next((child for child in sentence.children(token.index) if child.pos == "AUX"), None)
        if copula is not None:
            return copula
        if token.rel in _CLAUSE_RELS:
            return None  # a nominal clause of its own, with no verb to say it is future
    return None


def _is_future(sentence: Sentence, verb: Token, depth: int = 0) -> bool:
    """A future verb, a verb with "будет", or an infinitive of a future or intending verb ("намерен посетить")."""
    if verb.feats.get("Tense") == "Fut":
        return True
    if any(child.feats.get("Tense") == "Fut" for child in sentence.children(verb.index) if child.pos == "AUX"):
        return True
    if verb.feats.get("VerbForm") == "Inf" and verb.head >= 0 and depth < 2:
        governor = sentence.tokens[verb.head]
        return governor.lemma in _INTENT_LEMMAS or (
            governor.pos in ("VERB", "AUX") and _is_future(sentence, governor, depth + 1)
        )
    return False
