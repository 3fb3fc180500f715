"""Rules over the dependency parse: a reporting verb is the cue, its subject the source, its complement the content."""

from __future__ import annotations

import bisect

from spacy.tokens import Doc, Span, Token

from newstrace.annotate.quotes._found import _Found
from newstrace.annotate.quotes._marks import _inside_quotation, _quotes_within
from newstrace.annotate.speakers import doc_length
from newstrace.lexicon import (
    BELIEF_LEMMAS,
    CUE_LEMMAS,
    NOMINAL_CUES,
)


def _doc_at(docs: list[tuple[int, Doc]], position: int) -> tuple[int, Doc] | None:
    """The parsed paragraph holding ``position`` (docs are in text order)."""
    index = bisect.bisect_right(docs, position, key=lambda pair: pair[0]) - 1
    if index < 0:
        return None
    offset, doc = docs[index]
    return (offset, doc) if position < offset + doc_length(doc) else None


def _in_sentence(sentence: Span, offset: int, quotes: list[tuple[int, int]]) -> list[_Found]:
    results = []
    bounds = (offset + sentence.start_char, offset + sentence.end_char)
    for token in sentence:
        position = offset + token.idx
        if _inside_quotation(quotes, position):
            continue  # a verb inside a quotation is part of what was said
        if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.doc[token.i + 1].lower_ == "to":
            if token.head == sentence.root:  # inside another cue's clause it is part of what that source said
                results.extend(_according_to(token, sentence, offset, bounds))
            continue
        if token.pos_ == "NOUN" and token.lemma_.lower() in NOMINAL_CUES:
            results.extend(_nominal(token, offset, bounds))
            continue
        if token.lemma_.lower() not in CUE_LEMMAS or token.pos_ != "VERB":
            continue
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)
        if passive:  # "They are said to ...": the subject is what was said about, the speaker is unknown
            agent = next((c for c in token.children if c.dep_ == "agent"), None)
            subject = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        elif subject is None and token.dep_ in ("advcl", "xcomp", "conj", "relcl"):
            subject = next(
                (c for c in token.head.children if c.dep_ == "nsubj"), None
            )  # "Speaking to X, Galuzin noted"
        if subject is None and not passive:
            subject = _inverted_subject(token)
        content = _content(token, sentence, offset, quotes)
        if content is None or (subject is None and not passive):
            continue
        kind, span = content
        lemma = token.lemma_.lower()
        if lemma in BELIEF_LEMMAS and kind != "direct":
            kind = "belief"
        results.append(
            _Found(
                kind,
                span,
                _cue_span(token, offset),
                lemma,
                _source_span(subject, offset) if subject is not None else None,
                bounds,
                0.8 if kind == "direct" else 0.6,
            )
        )
    return results


def _inverted_subject(verb: Token) -> Token | None:
    """The name after a reporting verb that follows its content ("…, said the group's newly named chair Ana Duarte in a
    letter"): English inverts a reporting verb after its quotation, so the noun phrase right after it is its subject,
    never a second complement, however the parse attached it. The phrase runs to a preposition, punctuation or
    relative word; its speaker is the proper name that ends it."""
    doc = verb.doc
    before = doc[verb.i - 1] if verb.i > 0 else None
    content_before = any(c.dep_ == "ccomp" and c.i < verb.i for c in verb.children)
    if before is None or before.text not in (",", "—", "–") or not content_before:
        return None
    return _name_closing_phrase(doc, verb.i + 1)


def _name_closing_phrase(doc: Doc, start: int) -> Token | None:
    """The proper name that ends the noun phrase opening at ``start`` ("… recently named chair Ana Duarte"), or None
    where no word there can stand in a noun phrase or the phrase ends in no name. The phrase runs to a preposition,
    punctuation, pronoun or finite verb ("recently named" is a participle modifying the head)."""
    end = start
    while end < len(doc) and _in_noun_phrase(doc[end]):
        end += 1
    return doc[end - 1] if end > start and doc[end - 1].pos_ == "PROPN" else None


def _in_noun_phrase(token: Token) -> bool:
    """A word that can stand inside a noun phrase before its head: not a preposition, punctuation, pronoun or
    finite verb ("recently named" is a participle modifying the head)."""
    if token.pos_ in ("ADP", "PUNCT", "PRON", "AUX", "CCONJ", "SCONJ") or token.tag_ == "WDT":
        return False
    return token.pos_ != "VERB" or token.tag_ == "VBN"


def _nominal(noun: Token, offset: int, bounds: tuple[int, int]) -> list[_Found]:
    """ "his statement that X": the noun is the cue, its possessor the source, the that-clause the content."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    clause = next(
        (c for c in noun.children if c.dep_ in ("acl", "ccomp") and any(m.lower_ == "that" for m in c.children)), None
    )
    if owner is None or clause is None:
        return []
    doc = noun.doc
    right = clause.right_edge.i
    while right > clause.left_edge.i and doc[right].is_punct:
        right -= 1
    content = (offset + clause.left_edge.idx, offset + doc[right].idx + len(doc[right].text))
    source = (offset + owner.left_edge.idx, offset + owner.idx + len(owner.text))  # "The ministry", not "'s"
    cue = (offset + noun.idx, offset + noun.idx + len(noun.text))
    kind = "belief" if noun.lemma_.lower() == "belief" else "indirect"
    return [_Found(kind, content, cue, noun.lemma_.lower(), source, bounds, 0.6)]


def _content(
    verb: Token, sentence: Span, offset: int, quotes: list[tuple[int, int]]
) -> tuple[str, tuple[int, int]] | None:
    clause = next((c for c in verb.children if _complement_clause(c)), None)
    start, end = offset + sentence.start_char, offset + sentence.end_char
    nearby = [q for q in _quotes_within(quotes, (start, end)) if not (q[0] <= offset + verb.idx < q[1])]
    if clause is not None:
        left, right = clause.left_edge.i, clause.right_edge.i
        # "urged Vietnam and others to push back": what was urged is that they push back, the object with its infinitive
        addressee = next((c for c in verb.children if c.dep_ == "dobj" and c.i < left), None)
        if clause.dep_ == "xcomp" and addressee is not None:
            left = addressee.left_edge.i
        span = (offset + verb.doc[left].idx, offset + verb.doc[right].idx + len(verb.doc[right].text))
        # a quotation closing the clause ends past it: the parse hangs its full stop and closing mark on the main verb
        closing = len(verb.doc.text[span[1] - offset :]) - len(verb.doc.text[span[1] - offset :].lstrip(".,!?\"”’'"))
        inside = [q for q in nearby if span[0] <= q[0] and q[1] <= span[1] + max(1, closing)]
        if nearby and not inside:
            pass  # the clause is not what was said ("said he would, adding '...'"): use the quote
        elif nearby and any(q[1] - q[0] >= (span[1] - span[0]) * 0.8 for q in inside):
            return "direct", max(inside, key=lambda q: q[1] - q[0])
        elif inside:  # the clause with the quotation it closes on, marks included
            stripped = _strip(span, verb.doc, offset)
            return "mixed", (stripped[0], max(stripped[1], *(q[1] for q in inside)))
        else:
            return "indirect", _strip(span, verb.doc, offset)
    if nearby:
        after = [q for q in nearby if q[0] >= offset + verb.idx]
        chosen = after[0] if after else nearby[-1]
        return "direct", chosen
    return _object_content(verb, offset)


def _complement_clause(child: Token) -> bool:
    """A clause that can be what a verb reports: a finite clause, or an infinitive ("urged them to leave"); not a
    participle that describes the subject or object ("admitted 1.4 million refugees, overwhelming the economy")."""
    if child.pos_ not in ("VERB", "AUX") or child.dep_ not in ("ccomp", "xcomp"):
        return False
    return child.dep_ == "ccomp" or child.tag_ != "VBG"


_OBJECT_CUES = {"dismiss", "deny", "accuse", "reject", "claim", "warn", "promise", "vow", "urge", "predict", "confirm",
                "announce", "reveal", "admit", "acknowledge", "dispute", "question", "allege", "report"}  # fmt: skip


def _object_content(verb: Token, offset: int) -> tuple[str, tuple[int, int]] | None:
    """What a verb like "dismissed" or "accused" reports: its object and complements, or what a
    relative clause ("..., which Kiev denies") refers back to."""
    if verb.lemma_.lower() not in _OBJECT_CUES:
        return None
    doc = verb.doc
    if verb.dep_ == "relcl":
        head = verb.head
        while head.head is not head and head.head.pos_ in ("NOUN", "PROPN", "ADP") and head.dep_ in ("pobj", "prep"):
            head = head.head
        end = verb.left_edge.i - 1
        while end > head.left_edge.i and doc[end].is_punct:
            end -= 1
        if end - head.left_edge.i < 1:
            return None
        return "indirect", (offset + doc[head.left_edge.i].idx, offset + doc[end].idx + len(doc[end].text))
    if any(c.dep_ == "nsubjpass" for c in verb.children):  # "The force was announced by X": what was announced
        subject = next(c for c in verb.children if c.dep_ == "nsubjpass")
        return "indirect", (
            offset + subject.left_edge.idx,
            offset + subject.right_edge.idx + len(subject.right_edge.text),
        )
    # A reporting clause inside the complement ("..., which Kiev denies") is its own attribution: stop before it.
    embedded = {t.i for child in verb.subtree if child.dep_ == "relcl" and child.lemma_.lower() in CUE_LEMMAS
                for t in child.subtree}  # fmt: skip
    after = []
    for token in verb.subtree:
        if token.i <= verb.i:
            continue
        if token.i in embedded:
            break
        after.append(token)
    while after and after[-1].is_punct:
        after.pop()
    if len(after) < 3 or not any(t.dep_ in ("dobj", "prep", "advcl") for t in verb.children):
        return None
    return "indirect", (offset + after[0].idx, offset + after[-1].idx + len(after[-1].text))


def _strip(span: tuple[int, int], doc: Doc, offset: int) -> tuple[int, int]:
    text = doc.text
    start, end = span[0] - offset, span[1] - offset
    while end > start and text[end - 1] in " ,;:.":
        end -= 1
    return offset + start, offset + end


def _according_to(token: Token, sentence: Span, offset: int, bounds: tuple[int, int]) -> list[_Found]:
    to = token.doc[token.i + 1]
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None:
        return []
    source_span = _source_span(source, offset)
    phrase_end = offset + source.right_edge.idx + len(source.right_edge.text)
    sentence_start = offset + sentence.start_char
    if offset + token.idx - sentence_start < 3:  # "According to X, <content>."
        content = (phrase_end, offset + sentence.end_char)
    else:  # "<content>, according to X."
        content = (sentence_start, offset + token.idx)
    content = _trim(token.doc.text, content, offset)
    if content[1] - content[0] < 3:
        return []
    cue = (offset + token.idx, offset + to.idx + len(to.text))
    return [_Found("according-to", content, cue, "according to", source_span, bounds, 0.7)]


def _trim(text: str, span: tuple[int, int], offset: int) -> tuple[int, int]:
    start, end = span[0] - offset, span[1] - offset
    while start < end and text[start] in " ,;:":
        start += 1
    while end > start and text[end - 1] in " ,;:.":
        end -= 1
    return offset + start, offset + end


def _cue_span(verb: Token, offset: int) -> tuple[int, int]:
    """The verb with the auxiliaries right before it ("has learned", "had denied")."""
    first = verb
    while (
        first.i > 0
        and verb.doc[first.i - 1].dep_ in ("aux", "auxpass", "neg", "advmod")
        and verb.doc[first.i - 1].head is verb
    ):
        first = verb.doc[first.i - 1]
    return offset + first.idx, offset + verb.idx + len(verb.text)


def _source_span(subject: Token, offset: int) -> tuple[int, int]:
    """The subject phrase, without a relative clause or apposition after it."""
    tokens = [t for t in subject.subtree]
    cut = len(tokens)
    for index, token in enumerate(tokens):
        if token.i > subject.i and (token.dep_ in ("relcl", "appos", "acl") or token.text in ",(—–-"):
            cut = index
            break
    tokens = tokens[:cut]
    return offset + tokens[0].idx, offset + tokens[-1].idx + len(tokens[-1].text)


def _cue_head(doc: Doc, offset: int, cue: tuple[int, int]) -> Token | None:
    """The word a tagged cue hangs from: "accused" in "has repeatedly accused", "claiming" in "claiming during
    a press conference"."""
    span = doc.char_span(cue[0] - offset, cue[1] - offset, alignment_mode="expand")
    tokens = list(span) if span is not None else []
    if not tokens:
        return None
    heads = [t for t in tokens if not cue[0] <= offset + t.head.idx < cue[1] or t.head.i == t.i]
    return next((t for t in heads if t.pos_ in ("VERB", "NOUN")), heads[0] if heads else tokens[0])
