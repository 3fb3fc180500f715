"""The trained tagger's spans read as statements, and merged with the rules' reading of the same words."""

from __future__ import annotations

import bisect
from dataclasses import replace

from spacy.tokens import Doc, Token

from newstrace.annotate.quotes._found import _ContentIndex, _Found, _gap, _overlap, _overlaps
from newstrace.annotate.quotes._marks import _OPENING, _quoted_share, _quotes_within
from newstrace.annotate.quotes._parse import _cue_head, _source_span
from newstrace.annotate.speakers import doc_length
from newstrace.lexicon import BELIEF_LEMMAS


def _merge(tagged: list[_Found], ruled: list[_Found]) -> list[_Found]:
    """The tagger's attributions (its boundaries follow PolNeAR), each missing speaker taken from the rules'
    reading of the same words; a tagged content without a cue gives way to an overlapping rule statement
    that has one; then the rules' statements that overlap no kept one or have a cue of their own.

    Each step was measured on a validation fifth of PolNeAR train: docs/EVALUATION.md has the figures.
    """
    merged = []
    ruled_index = _ContentIndex(ruled)
    for item in tagged:
        overlapping = ruled_index.overlapping(item.content)
        if item.cue is None and any(r.cue is not None for r in overlapping):
            continue  # a content the tagger found no cue for: the rules' reading of it, with its cue, is better
        if item.source is None and overlapping:
            closest = max(overlapping, key=lambda r: _overlap(item.content, r.content))
            item = replace(item, source=closest.source)
        merged.append(item)
    kept = _ContentIndex(merged)
    merged += [r for r in ruled if not kept.overlapping(r.content) or _own_cue(r, kept)]
    return merged


def _own_cue(item: _Found, tagged: _ContentIndex) -> bool:
    """Whether a rule's statement has a cue no tagged statement covers: "which Madrid firmly denies" reports on
    words another statement holds, and stays a statement of its own."""
    cue = item.cue
    return cue is not None and not any(
        _overlaps(cue, o.content) or (o.cue is not None and _overlaps(cue, o.cue)) for o in tagged.near(cue)
    )


def _from_tags(
    tagged: list[tuple[str, int, int]], docs: list[tuple[int, Doc]], quotes: list[tuple[int, int]]
) -> list[_Found]:
    """Attributions from tagged spans: each content with the nearest cue in its own sentences (a cue in
    another sentence reports something else), and the source nearest that cue in the paragraph."""
    found = []
    tagged = sorted(tagged, key=lambda t: t[1])
    starts = [start for _, start, _ in tagged]
    for offset, doc in docs:
        end = offset + doc_length(doc)
        inside = tagged[bisect.bisect_left(starts, offset) : bisect.bisect_left(starts, end)]
        cues = [(s, e) for role, s, e in inside if role == "Cue"]
        sources = [(s, e) for role, s, e in inside if role == "Source"]
        sentences = [(offset + sentence.start_char, offset + sentence.end_char) for sentence in doc.sents]
        for role, start, stop in inside:
            if role != "Content":
                continue
            reach = _sentences_of(sentences, (start, stop))
            cue = min((c for c in cues if _overlaps(c, reach)), key=lambda c: _gap(c, (start, stop)), default=None)
            anchor = cue or (start, stop)
            source = min(sources, key=lambda c: _gap(c, anchor), default=None)
            token = _cue_head(doc, offset, cue) if cue else None
            lemma = token.lemma_.lower() if token is not None else None
            if token is not None and source is not None and not _named_by_passive(token, offset, source):
                source = None  # "The patrol is said to ...": nobody is named as saying it
            if token is not None:
                start, stop = _snap_to_clause(token, offset, (start, stop))
            stop = _first_quotation(doc.text, offset, quotes, (start, stop))
            sentence = next((s for s in doc.sents if offset + s.start_char <= start < offset + s.end_char), None)
            bounds = (offset + sentence.start_char, offset + sentence.end_char) if sentence else (start, stop)
            if cue is not None and doc.text[cue[0] - offset : cue[1] - offset].lower().startswith("according"):
                kind = "according-to"
            elif (quoted := _quoted_share(quotes, (start, stop))) >= 0.8:
                kind = "direct"
            elif quoted > 0:
                kind = "mixed"
            else:
                kind = "belief" if lemma in BELIEF_LEMMAS else "indirect"
            found.append(_Found(kind, (start, stop), cue, lemma, source, bounds, 0.7))
    return found


def _snap_to_clause(cue: Token, offset: int, content: tuple[int, int]) -> tuple[int, int]:
    """A content that mostly covers the clause its cue governs is that clause, "that" included."""
    verb = cue if cue.pos_ == "VERB" else next((t for t in cue.doc[cue.i : cue.i + 3] if t.pos_ == "VERB"), None)
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None) if verb is not None else None
    if clause is None:
        return content
    doc = cue.doc
    right = clause.right_edge.i
    while right > clause.left_edge.i and doc[right].is_punct:
        right -= 1
    span = (offset + clause.left_edge.idx, offset + doc[right].idx + len(doc[right].text))
    overlap = _overlap(span, content)
    return span if overlap >= 0.7 * max(span[1] - span[0], content[1] - content[0]) else content


def _named_by_passive(verb: Token, offset: int, source: tuple[int, int]) -> bool:
    """Whether a source fits its cue: any source for an active verb; for a passive one, its "by" phrase or its
    subject ("Mr. Trump was prompted to say"), never a name from another clause ("The patrol is said to ...")."""
    children = list(verb.children)
    if not any(c.dep_ in ("nsubjpass", "auxpass") for c in children) or any(c.dep_ == "agent" for c in children):
        return True
    if verb.lemma_.lower() in _SAID_ABOUT and any(c.dep_ == "xcomp" for c in children):
        return False  # "They are said to comprise 9,000 troops": the subject is what is said about
    subject = next((c for c in children if c.dep_ == "nsubjpass"), None)
    return subject is not None and _overlaps(source, _source_span(subject, offset))


# Verbs whose passive with an infinitive reports a claim about the subject, by nobody named.
_SAID_ABOUT = {"say", "report", "believe", "think", "know", "expect", "understand", "consider", "rumor", "rumour",
               "allege", "estimate", "claim", "suppose", "reckon", "feel", "see"}  # fmt: skip


def _sentences_of(sentences: list[tuple[int, int]], span: tuple[int, int]) -> tuple[int, int]:
    """From the start of the first sentence a span touches to the end of the last."""
    touched = [sentence for sentence in sentences if _overlaps(sentence, span)] or [span]
    return touched[0][0], touched[-1][1]


def _first_quotation(text: str, offset: int, quotes: list[tuple[int, int]], content: tuple[int, int]) -> int:
    """Where a tagged content that runs over two quotations in a row (the tagger's commonest slip:
    '"The budget is balanced." "We will not…," Duarte added') ends: after the first of them."""
    for _, end in (q for q in _quotes_within(quotes, content) if content[0] < q[1] < content[1]):
        following = text[end - offset : content[1] - offset]
        if following[:1].isspace() and following.lstrip()[:1] in _OPENING:
            return end
    return content[1]
