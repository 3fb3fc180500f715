"""Statements re-read over the parse: a missing cue or source, an interrupting tag, an as-clause, a relayed speaker."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from newstrace.annotate.quotes._filters import _MIN_STATEMENT_WORDS
from newstrace.annotate.quotes._found import _ContentIndex, _Found, _overlaps
from newstrace.annotate.quotes._marks import _OPENING
from newstrace.annotate.quotes._parse import _cue_head, _cue_span, _doc_at, _name_closing_phrase, _source_span, _strip
from newstrace.lexicon import (
    BELIEF_LEMMAS,
    CONNECTIVES,
    CUE_LEMMAS,
    LEADING_CONJUNCTIONS,
)


def _with_opening_words(found: list[_Found], docs: list[tuple[int, Doc]], text: str, joined: bool) -> list[_Found]:
    """ "Acts of protest, Mr. Obama said, are acts of patriotism": the words before an interrupting tag open its
    content. ``joined`` makes them one content with the tag inside (as a quotation split by its tag is); else they
    are a piece of their own with the same source and cue (PolNeAR's discontinuous content)."""
    taken = _ContentIndex(found)
    result = []
    for item in found:
        opening = _opening_words(item, docs, text)
        if opening is None or taken.overlapping(opening):
            result.append(item)
        elif joined:
            result.append(replace(item, content=(opening[0], item.content[1])))
        else:
            result.extend((replace(item, content=opening), item))
    return result


def _opening_words(item: _Found, docs: list[tuple[int, Doc]], text: str) -> tuple[int, int] | None:
    if item.source is None or item.cue is None or not item.source[0] < item.cue[0] < item.content[0]:
        return None
    if text[item.cue[1] : item.content[0]].strip() != "," or item.sentence[0] >= item.source[0]:
        return None
    if text[item.content[0] : item.content[0] + 1] in _OPENING:
        return None  # a quotation is its own content: "At the same time, he added, "It is ...""
    before = text[item.sentence[0] : item.source[0]]
    stripped = before.rstrip()
    if not stripped.endswith(",") or any(mark in before for mark in _OPENING + "”»"):
        return None
    start = item.sentence[0] + len(before) - len(before.lstrip())
    end = item.sentence[0] + len(stripped) - 1
    connective = _CONNECTIVE.match(text, start, end)
    if connective is not None:  # "But", "And" belong to the narration
        start = connective.end()
    if text[start:end].strip(" ,") == "" or text[start:end].lower().strip(" ,") in CONNECTIVES:
        return None  # "Meanwhile, he said, ...": no words of the source's
    found = _doc_at(docs, start)
    if found is None:
        return None
    offset, doc = found
    words = doc.char_span(start - offset, end - offset, alignment_mode="expand")
    cue = _cue_head(doc, offset, item.cue)
    if words is None or cue is None or not len(words):
        return None
    # Words that hang from the cue ("As the phone rang, the announcer said, ...") frame the saying, not what was said.
    if any(not words.start <= token.head.i < words.end and token.head.i == cue.i for token in words):
        return None
    return start, end


_CONNECTIVE = re.compile(rf"(?:{'|'.join(LEADING_CONJUNCTIONS)})\b[\s,]*", re.IGNORECASE)


def _with_governing_cue(item: _Found, docs: list[tuple[int, Doc]]) -> _Found:
    """A tagged content with no cue takes the reporting verb that governs it in the parse, and that verb's subject:
    "The agency assured the public ... that the risks were low" (not a source from the sentence before)."""
    if item.cue is not None or item.kind not in ("indirect", "mixed"):
        return item
    parsed = _parsed_span(docs, item.content)
    if parsed is None:
        return item
    offset, span = parsed
    verb = span.root.head
    if verb.i == span.root.i or span.start <= verb.i < span.end or verb.pos_ != "VERB":
        return item
    if verb.lemma_.lower() not in CUE_LEMMAS | _GOVERNING_CUES:
        return item
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return item
    return replace(item, cue=_cue_span(verb, offset), cue_lemma=verb.lemma_.lower(),
                   source=_source_span(subject, offset))  # fmt: skip


# Verbs outside the rules' cue list that report speech when they govern a "that" clause.
_GOVERNING_CUES = {"assure", "reassure", "underline", "underscore", "stress", "concede", "conclude", "vow", "pledge"}


def _cue_token(item: _Found, docs: list[tuple[int, Doc]]) -> tuple[int, Token | None]:
    """The offset of the paragraph a tagged cue is in and the word the cue hangs from (None where it has none)."""
    found = _doc_at(docs, item.cue[0]) if item.cue is not None else None
    if found is None or item.cue is None:
        return 0, None
    offset, doc = found
    return offset, _cue_head(doc, offset, item.cue)


def _as_clause_content(item: _Found, docs: list[tuple[int, Doc]]) -> _Found:
    """ "As Emily Feng reports for NPR, the first cases came to light last week": what is reported is the clause the
    as-clause hangs from, not the cue's own object ("NPR")."""
    if item.cue is None or item.kind not in ("indirect", "according-to"):
        return item
    offset, cue = _cue_token(item, docs)
    if cue is None or cue.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "as" for c in cue.children):
        return item
    head = cue.head
    # the as-clause itself, and clauses that report something else ("..., when authorities announced that ...")
    clause = {t.i for c in head.children if c.dep_ == "advcl" for t in c.subtree}
    tokens = [t for t in head.subtree if t.i not in clause]
    while tokens and tokens[0].is_punct:
        tokens.pop(0)
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if len(tokens) < _MIN_STATEMENT_WORDS or any(b.i - a.i != 1 for a, b in itertools.pairwise(tokens)):
        return item  # the rest of the sentence is not one run of words
    content = (offset + tokens[0].idx, offset + tokens[-1].idx + len(tokens[-1].text))
    return replace(item, content=content, kind="indirect")


def _inner_speaker(item: _Found, docs: list[tuple[int, Doc]]) -> _Found:
    """ "..., the health commission said, according to Reuters": the commission's words, relayed by the outlet."""
    if item.kind != "according-to" or item.cue is None:
        return item
    found = _doc_at(docs, item.content[0])
    if found is None:
        return item
    offset, doc = found
    for token in doc:
        at = offset + token.idx
        if not (item.content[0] <= at < item.content[1]) or token.pos_ != "VERB":
            continue
        if token.lemma_.lower() not in CUE_LEMMAS or token.lemma_.lower() in BELIEF_LEMMAS:
            continue
        if token.dep_ in ("relcl", "acl", "advcl", "ccomp", "xcomp", "pcomp"):
            continue  # "where the group maintains an office": a clause of the content, not its tag
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        edge = token.right_edge  # "he told local leaders, according to ...": the tag with its objects
        after = doc.text[edge.idx + len(edge.text) : item.cue[0] - offset]
        if offset + token.idx > item.cue[0] or after.strip(" ,;:") or subject is None:
            # only a tag closing the words (", the commission said, according to ...") relays them; "According to the
            # government, the country had admitted ...": the source comes first, and the clause is what it says
            continue
        if item.content[0] <= offset + subject.idx < item.content[1]:
            return replace(item, kind="indirect", cue=_cue_span(token, offset), cue_lemma=token.lemma_.lower(),
                           source=_source_span(subject, offset))  # fmt: skip
    return item


def _parsed_span(docs: list[tuple[int, Doc]], span: tuple[int, int]) -> tuple[int, Span] | None:
    """The words of a text span in its parsed paragraph (widened to whole tokens), with the paragraph's offset."""
    found = _doc_at(docs, span[0])
    if found is None:
        return None
    offset, doc = found
    words = doc.char_span(span[0] - offset, span[1] - offset, alignment_mode="expand")
    return (offset, words) if words is not None and len(words) else None


def _past_the_owner(item: _Found, docs: list[tuple[int, Doc]], text: str) -> _Found:
    """ "…, said The Harbour Group's recently named chair Oriana Velasco": a source phrase that ends in a possessive
    names whose the speaker is, not the speaker; the speaker is the name ending the noun phrase it opens."""
    if item.source is None or not text[item.source[0] : item.source[1]].endswith(("'s", "’s")):
        return item
    parsed = _parsed_span(docs, item.source)
    if parsed is None:
        return item
    offset, span = parsed
    name = _name_closing_phrase(span.doc, span.end)
    return replace(item, source=_source_span(name, offset)) if name is not None else item


def _with_parsed_source(item: _Found, docs: list[tuple[int, Doc]]) -> _Found:
    """A tagged statement without a source takes its cue's subject from the parse ("his vow that ...", "Hill said")."""
    if item.source is not None or item.cue is None:
        return item
    offset, cue = _cue_token(item, docs)
    if cue is None:
        return item
    if cue.pos_ == "NOUN":
        owner = next((c for c in cue.children if c.dep_ == "poss"), None)
        return replace(item, source=_source_span(owner, offset)) if owner is not None else item
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in cue.children):
        agent = next((c for c in cue.children if c.dep_ == "agent"), None)
        subject = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    else:
        subject = next((c for c in cue.children if c.dep_ == "nsubj"), None)
        clause = cue
        # "..., accusing them of ...", "after accusing them": the subject of the clause the participle hangs from
        for _ in range(3):
            if subject is not None or clause.dep_ not in ("advcl", "xcomp", "conj", "pcomp", "prep"):
                break
            clause = clause.head
            subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
    if subject is None or _overlaps(_source_span(subject, offset), item.content):
        return item
    return replace(item, source=_source_span(subject, offset))


def _with_addressee(item: _Found, docs: list[tuple[int, Doc]]) -> _Found:
    """ "Officials have warned people to stay away": what a directive says is that its object do the infinitive, so
    the object and the whole infinitive (with its conjuncts) are the content, and the cue is the verb alone."""
    if item.cue is None or item.kind != "indirect":
        return item
    offset, cue = _cue_token(item, docs)
    if cue is None or cue.pos_ != "VERB":
        return item
    addressee = next((c for c in cue.children if c.dep_ == "dobj"), None)
    infinitive = next(
        (
            c
            for c in cue.children
            if c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
        ),
        None,
    )
    if addressee is None or infinitive is None or not addressee.i < infinitive.i:
        return item
    doc = cue.doc
    clause = _strip(
        (
            offset + doc[infinitive.left_edge.i].idx,
            offset + infinitive.right_edge.idx + len(infinitive.right_edge.text),
        ),
        doc,
        offset,
    )
    if not (clause[0] <= item.content[0] < clause[1]):
        return item  # the content is not the infinitive's
    content = (offset + addressee.left_edge.idx, max(item.content[1], clause[1]))
    return replace(item, content=content, cue=_cue_span(cue, offset))


def _with_controller(item: _Found, docs: list[tuple[int, Doc]]) -> _Found:
    """An infinitive cue whose verb names someone as its object speaks through that object: in "the losses led the
    maker to announce ...", "forced the minister to admit ...", the maker and the minister say it, not the subject
    (object control: the object of "lead", "force", "prompt" is the understood subject of the infinitive)."""
    if item.cue is None:
        return item
    offset, cue = _cue_token(item, docs)
    infinitive = cue is not None and any(c.dep_ == "aux" and c.lower_ == "to" for c in cue.children)
    if cue is None or cue.dep_ not in ("xcomp", "advcl") or cue.pos_ != "VERB" or not infinitive:
        return item  # the parser hangs the infinitive as xcomp or, as often, advcl
    controller = next((c for c in cue.head.children if c.dep_ == "dobj" and c.i < cue.i), None)
    if controller is None or controller.pos_ not in ("NOUN", "PROPN"):
        return item
    source = _source_span(controller, offset)
    return item if _overlaps(source, item.content) else replace(item, source=source)


_TRANSCRIPT_LABEL = re.compile(r"^[\"“'‘\s]*(?P<label>[A-Z][A-Z.'’ -]{1,40})(?P<colon>:)\s+")


def _without_label(item: _Found, text: str) -> _Found:
    """A transcript label ("PENCE: ...") opening a content is its source, not part of what was said."""
    start, end = item.content
    label = _TRANSCRIPT_LABEL.match(text[start:end])
    if label is None or label.end() >= end - start:
        return item
    source = (start + label.start("label"), start + label.end("label"))
    cue = (start + label.start("colon"), start + label.end("colon"))
    return _Found("direct", (start + label.end(), end), cue, None, source, item.sentence, item.confidence)


_TRAILING_RELATIVE = re.compile(r"\S\s*,\s*(?:which|who|whom)$")


def _without_trailing_relative(item: _Found, text: str) -> _Found:
    """ "... asked for $27, which": the relative pronoun that closes a content opens another clause."""
    start, end = item.content
    tail = _TRAILING_RELATIVE.search(text, start, end)
    return replace(item, content=(start, tail.start() + 1)) if tail else item
