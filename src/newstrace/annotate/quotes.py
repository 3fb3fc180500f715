"""Quotations and reported statements: content, cue, speaker (resolved), channel and date.

Two readers, merged: the trained tagger (``attribution_model``), whose spans follow PolNeAR's
conventions, and rules over the dependency parse, which fill what the tagger missed: a reporting
verb is the cue; its subject is the source; the content is its complement clause, or the
quotation next to it (which may run over several sentences, and over paragraphs while a paragraph
opens a quote it does not close). "According to X" attributes the rest of its clause to X.
Pronoun and description speakers resolve through the entity mentions; a capital that speaks
stands for its government.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from newstrace.annotate.confidence import SpeakerConfidence, speaker_features, with_statements_by_speaker
from newstrace.annotate.speakers import Resolution, SpeakerResolver, doc_length
from newstrace.lexicon import (
    BELIEF_LEMMAS,
    CONNECTIVES,
    CUE_LEMMAS,
    LEADING_CONJUNCTIONS,
    NOMINAL_CUES,
    NON_SPEECH_LEMMAS,
)
from newstrace.model import Article, Quote, Span, Speaker

__all__ = ["CUE_LEMMAS", "extract_quotes", "quoted_spans"]

_OPENING = "\"“«„‘'"
_CLOSING = {'"': '"', "“": "”", "«": "»", "„": "“", "‘": "’", "'": "'"}
_NAME = r"(?:the\s+)?[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,3}"
_PLATFORMS = r"Twitter|X|Facebook|Telegram|Instagram|Weibo|WeChat|YouTube|TikTok|LinkedIn|Truth Social|Threads|Reddit"
# A channel is an outlet, medium, platform, event or addressee; "said Tuesday" or "said Philip Luther" is none.
_CHANNELS: list[tuple[re.Pattern[str], str | None]] = [
    (re.compile(rf"\b(?i:speaking|talking|spoke|said|says|say|wrote|writing)\s+to\s+(?P<to>{_NAME})"), None),
    (re.compile(rf"\b(?i:told|tells|telling|tell)\s+(?P<to>{_NAME})"), None),
    (
        re.compile(rf"\bin an? (?:exclusive |television |TV |radio |phone )?interview (?:with|on|to) (?P<to>{_NAME})"),
        None,
    ),
    (
        re.compile(
            r"\b(?:told|telling|tells) (?P<to>reporters|journalists|the press|lawmakers|supporters|parliament"
            r"|senators|investigators|the court|the jury|the BBC|CNN|a news conference|a press conference)\b"
        ),
        None,
    ),
    (re.compile(r"\bin an? (?:written |joint |short |brief )?statement\b"), "statement"),
    (re.compile(r"\bin an? (?:news |press )release\b"), "press release"),
    (re.compile(r"\b(?:at|during) an? (?:press|news) (?:conference|briefing)\b"), "press conference"),
    (re.compile(r"\bin a speech (?:to|at|before) (?P<to>(?:the\s+)?[\w .&-]{2,40}?)(?=[,.;]|$)"), "speech to {to}"),
    (re.compile(r"\b(?:in|during) a speech\b"), "speech"),
    (re.compile(rf"\b(?:in an? |an? )?(?:post|video|message|tweet|thread) on (?P<to>{_PLATFORMS})\b"), None),
    (re.compile(rf"\b(?:on|via) (?P<to>{_PLATFORMS}|television|TV|radio|state television|state TV)\b"), None),
    (re.compile(r"\b(?:in a tweet|tweeted|tweeting)\b"), "Twitter"),
    (re.compile(r"\bin a letter to (?P<to>(?:the\s+)?[\w .&-]{2,40}?)(?=[,.;]|$)"), "letter to {to}"),
    (re.compile(r"\bin an? (?:interview|podcast|op-ed|letter|video|blog post|memo|filing|court filing)\b"), "{0}"),
]
_NOT_CHANNELS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "i",
    "he", "she", "it", "we", "they", "you", "him", "her", "them", "us", "me", "this", "that", "today",
    "yesterday", "tomorrow", "then", "there", "here", "when", "while", "after", "before", "as", "in", "on", "a",
}  # fmt: skip
# Under four words a reported "statement" is a noun ("denied the accusation") and a two-word quotation a label
# ("Welcome Jose"); a quoted sentence of three ("Nobody expected this") is still something someone said.
_MIN_STATEMENT_WORDS = 4
_DENIALS = {"deny", "dismiss", "reject", "dispute", "refute"}  # "which Madrid denies": what is denied may be short


def quoted_spans(text: str, paragraphs: list[Span]) -> list[tuple[int, int]]:
    """Quotations with their marks; a paragraph that opens a quote and never closes it runs into the next one.

    Apostrophes ("countries'", "don't") are not quote marks: a single quote opens only after a
    space or an opening bracket, and closes only before a space or punctuation.
    """
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    closing = ""
    paragraphs = sorted(paragraphs, key=lambda p: p.start)
    for number, paragraph in enumerate(paragraphs):
        if open_at is not None and not paragraph.text.lstrip().startswith(tuple(_OPENING)):
            previous_end = paragraphs[number - 1].end if number else paragraph.start
            spans.append((open_at, previous_end))  # the quote never continued
            open_at = None
        if open_at is not None:  # the paragraph re-opens the running quote: skip its opening mark
            position = paragraph.start + len(paragraph.text) - len(paragraph.text.lstrip()) + 1
        else:
            position = paragraph.start
        while position < paragraph.end:
            char = text[position]
            if open_at is None and char in _OPENING and _opens(text, position):
                open_at, closing = position, _CLOSING[char]
            elif open_at is not None and char == closing and _closes(text, position, open_at):
                spans.append((open_at, position + 1))
                open_at = None
            position += 1
        following = paragraphs[number + 1] if number + 1 < len(paragraphs) else None
        if open_at is not None and not (following and following.text.lstrip().startswith(tuple(_OPENING))):
            spans.append((open_at, paragraph.end))
            open_at = None
    return spans


def _opens(text: str, position: int) -> bool:
    before = text[position - 1] if position else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    if text[position] == "'":  # not the apostrophe of "countries'" or "'90s"
        return not before.isalnum() and after.isalpha()
    if text[position] == "‘":
        return not before.isalnum()
    return True


def _closes(text: str, position: int, opened: int) -> bool:
    if position == opened:
        return False
    after = text[position + 1] if position + 1 < len(text) else " "
    if text[position] in "’'":  # "don't" and "Galuzin's" do not close a quote
        return not after.isalnum() and not text[position - 1].isspace()
    return True


@dataclass(slots=True)
class _Found:
    kind: str
    content: tuple[int, int]
    cue: tuple[int, int] | None
    cue_lemma: str | None
    source: tuple[int, int] | None
    sentence: tuple[int, int]
    confidence: float


def extract_quotes(
    article: Article,
    docs: list[tuple[int, Any]],
    tagged: list[tuple[str, int, int]] | None = None,
    statements_only: bool = True,
    confidence: SpeakerConfidence | None = None,
    on_statement: Callable[[Quote, dict[str, float]], None] | None = None,
) -> list[Quote]:
    """Every quotation and reported statement in an article parsed paragraph by paragraph.

    ``tagged`` are Source/Cue/Content spans from the trained tagger; where given, they come first and
    the rules add the statements the tagger missed. ``statements_only=False`` keeps every attribution
    PolNeAR annotates (beliefs, evidence that "shows", sourceless passives), for scoring on it.
    ``confidence`` scores each speaker; ``on_statement`` sees each statement with its confidence features.
    """
    quotes = quoted_spans(article.text, article.paragraphs)
    ruled: list[_Found] = []
    for offset, doc in docs:
        for sentence in doc.sents:
            ruled.extend(_in_sentence(sentence, offset, quotes))
    if statements_only:  # "That said, ..." opens a sentence; PolNeAR's layer is scored as the tagger reads it
        ruled = [r for r in ruled if not _discourse_marker(article.text, r)]
    tags = _from_tags(tagged, docs, quotes) if tagged is not None else None
    if tags is not None and statements_only:
        tags = [t for t in tags if not _discourse_marker(article.text, t)]
    found = _merge(tags, _unique(ruled)) if tags is not None else _unique(ruled)
    found = [_without_trailing_relative(_without_label(item, article.text), article.text) for item in found]
    found = [_with_parsed_source(item, docs) for item in found]
    found = _with_opening_words(found, docs, article.text, joined=statements_only)
    if statements_only:  # readings for who said it; PolNeAR marks the relaying outlet and the tagged spans
        found = [_as_clause_content(_inner_speaker(_with_governing_cue(f, docs), docs), docs) for f in found]
        found = _joined_around_tags(_one_per_cue(found))
        found = _unique([_through_continued_quotation(item, quotes, article.text) for item in found])
        found = _untagged_quotations(found, quotes, article.paragraphs, article.text)
    resolver = SpeakerResolver(article, docs)
    features: dict[int, dict[str, float]] = {}
    ordered = sorted(found, key=lambda f: min(f.source[0], f.content[0]) if f.source else f.content[0])
    result = []
    for item in ordered:
        quoted = item.source is not None and _inside_quotation(quotes, item.source[0])
        resolution = resolver.resolve(item.source, item.content[0], quoted)
        if resolution is None and item.kind in ("direct", "mixed") and item.cue is None:
            resolution = _continuation(resolver, item)
        if statements_only and not _is_statement(article.text, item, resolution):
            continue
        if resolution is not None:
            resolver.remember(item.content[0], resolution)  # only statements: "the report shows" names no speaker
        quote = _quote(article, item, resolution)
        features[id(quote)] = speaker_features(resolution, item.kind, item.cue is not None, _text(article, item.source))
        result.append(quote)
    if statements_only:
        result = _best_reading(result)
    # A speaker the article quotes again and again is one of its sources; a one-off resolution is less sure.
    said_by = Counter(q.speaker.name for q in result if q.speaker is not None and q.speaker.name)
    for quote in result:
        name = quote.speaker.name if quote.speaker is not None else None
        quote_features = with_statements_by_speaker(features[id(quote)], said_by[name] if name else 0)
        if confidence is not None:
            quote.confidence = round(confidence.probability(quote_features), 4)
        if on_statement is not None:
            on_statement(quote, quote_features)
    return sorted(result, key=lambda q: q.content.start)


_RULE_STRENGTH = {"named": 5, "continuation": 4, "pronoun": 4, "organisation": 3, "description": 3, "unnamed": 1}


def _best_reading(quotes: list[Quote]) -> list[Quote]:
    """Two readings of the same words ('"...," he told X' and '"...," according to a statement'): the one whose
    speaker was resolved more surely stays. Readings resolved alike both stay: "which Madrid denies" is a statement
    of its own about words another statement holds."""

    def rank(quote: Quote) -> int:
        rule = (quote.speaker.rule or "") if quote.speaker else ""
        return _RULE_STRENGTH.get(rule.split(":")[-1], 0)

    def same_words(a: Quote, b: Quote) -> bool:
        shorter = min(a.content.end - a.content.start, b.content.end - b.content.start)
        overlap = _overlap((a.content.start, a.content.end), (b.content.start, b.content.end))
        return overlap * 2 >= shorter

    ordered = sorted(quotes, key=lambda q: q.content.start)
    longest = max((q.content.end - q.content.start for q in ordered), default=0)
    starts = [q.content.start for q in ordered]
    kept = []
    for quote in ordered:
        low = bisect.bisect_left(starts, quote.content.start - longest)
        high = bisect.bisect_left(starts, quote.content.end)
        if not any(same_words(quote, other) and rank(other) > rank(quote) for other in ordered[low:high]):
            kept.append(quote)
    return kept


def _text(article: Article, span: tuple[int, int] | None) -> str | None:
    return article.text[span[0] : span[1]] if span else None


def _through_continued_quotation(item: _Found, quotes: list[tuple[int, int]], text: str) -> _Found:
    """A direct statement is the whole quotation its words sit in: the tag ('..., Mujahid said') speaks for every
    sentence of it, and a quotation that runs on into the next paragraphs ('"I am excited ...' then '"The quality
    ...') is one statement to its end."""
    if item.kind not in ("direct", "mixed"):
        return item
    quotations = _quotes_within(quotes, item.content)
    if not quotations:
        return item
    first, last = quotations[0], quotations[-1]
    start, end = item.content
    if item.kind == "direct":
        start, end = min(start, first[0]), max(end, last[1])
    elif last[1] > end and "\n" in text[end : last[1]]:
        end = last[1]
    return replace(item, content=(start, end)) if (start, end) != item.content else item


def _untagged_quotations(
    found: list[_Found], quotes: list[tuple[int, int]], paragraphs: list[Span], text: str
) -> list[_Found]:
    """A paragraph that is one quotation and nothing else ('"We see these developments as hopeful signs."' after
    'Pompeo said ...') is a statement with no tag of its own: it continues the speaker before it."""
    index = _ContentIndex(found)
    by_start = {q[0]: q for q in quotes}
    added = []
    for paragraph in paragraphs:
        body = paragraph.text.strip()
        if len(body) < 2 or body[0] not in _OPENING:
            continue
        start = paragraph.start + paragraph.text.index(body[0])
        quotation = by_start.get(start)
        if quotation is None or text[quotation[1] : paragraph.end].strip() or index.overlapping(quotation):
            continue
        added.append(_Found("direct", (quotation[0] + 1, quotation[1] - 1), None, None, None, quotation, 0.6))
    return found + added


def _one_per_cue(found: list[_Found]) -> list[_Found]:
    """Two readings of one statement (same cue, overlapping contents) keep the content without the tag in it."""
    kept: list[_Found] = []
    by_cue: dict[tuple[int, int], list[_Found]] = {}
    for item in sorted(found, key=lambda f: f.content[1] - f.content[0]):
        if item.cue is not None and any(_overlaps(o.content, item.content) for o in by_cue.get(item.cue, [])):
            continue
        kept.append(item)
        if item.cue is not None:
            by_cue.setdefault(item.cue, []).append(item)
    return sorted(kept, key=lambda f: f.content[0])


def _joined_around_tags(found: list[_Found]) -> list[_Found]:
    """'"Nobody," she told reporters, "expected this."' is one statement split by its own speaker tag: one content
    from the first piece to the last, the tag inside it."""
    by_cue: dict[tuple[int, int], list[_Found]] = {}
    for item in found:
        if item.cue is not None and item.kind in ("direct", "mixed"):
            by_cue.setdefault(item.cue, []).append(item)
    joined: dict[int, _Found] = {}
    dropped: set[int] = set()
    for cue, pieces in by_cue.items():
        if len(pieces) < 2:
            continue
        pieces = sorted(pieces, key=lambda f: f.content[0])
        if not (pieces[0].content[1] <= cue[0] and cue[1] <= pieces[-1].content[0]):
            continue  # the tag does not stand between them
        whole = replace(pieces[0], content=(pieces[0].content[0], pieces[-1].content[1]))
        joined[id(pieces[0])] = whole
        dropped |= {id(p) for p in pieces[1:]}
    return [joined.get(id(item), item) for item in found if id(item) not in dropped]


def _with_opening_words(found: list[_Found], docs: list[tuple[int, Any]], text: str, joined: bool) -> list[_Found]:
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


def _opening_words(item: _Found, docs: list[tuple[int, Any]], text: str) -> tuple[int, int] | None:
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


def _discourse_marker(text: str, item: _Found) -> bool:
    """ "That said, the agency says ...": an idiom opening the sentence, not a source and its cue."""
    if item.source is None or item.cue is None or text[item.sentence[0] : item.source[0]].strip(' \n"“'):
        return False
    phrase = text[item.source[0] : item.cue[1]]
    return (
        phrase.lower() in ("that said", "this said", "having said that") and text[item.cue[1] : item.cue[1] + 1] == ","
    )


def _doc_at(docs: list[tuple[int, Any]], position: int) -> tuple[int, Any] | None:
    """The parsed paragraph holding ``position`` (docs are in text order)."""
    index = bisect.bisect_right(docs, position, key=lambda pair: pair[0]) - 1
    if index < 0:
        return None
    offset, doc = docs[index]
    return (offset, doc) if position < offset + doc_length(doc) else None


def _with_governing_cue(item: _Found, docs: list[tuple[int, Any]]) -> _Found:
    """A tagged content with no cue takes the reporting verb that governs it in the parse, and that verb's subject:
    "The agency assured the public ... that the risks were low" (not a source from the sentence before)."""
    if item.cue is not None or item.kind not in ("indirect", "mixed"):
        return item
    found = _doc_at(docs, item.content[0])
    if found is None:
        return item
    offset, doc = found
    span = doc.char_span(item.content[0] - offset, item.content[1] - offset, alignment_mode="expand")
    if span is None or not len(span):
        return item
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


def _as_clause_content(item: _Found, docs: list[tuple[int, Any]]) -> _Found:
    """ "As Emily Feng reports for NPR, the first cases came to light last week": what is reported is the clause the
    as-clause hangs from, not the cue's own object ("NPR")."""
    if item.cue is None or item.kind not in ("indirect", "according-to"):
        return item
    found = _doc_at(docs, item.cue[0])
    if found is None:
        return item
    offset, doc = found
    cue = _cue_head(doc, offset, item.cue)
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


def _inner_speaker(item: _Found, docs: list[tuple[int, Any]]) -> _Found:
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
        if after.strip(" ,;:") or subject is None:
            continue  # only a tag closing the words (", the commission said, according to ...") relays them
        if item.content[0] <= offset + subject.idx < item.content[1]:
            return replace(item, kind="indirect", cue=_cue_span(token, offset), cue_lemma=token.lemma_.lower(),
                           source=_source_span(subject, offset))  # fmt: skip
    return item


def _with_parsed_source(item: _Found, docs: list[tuple[int, Any]]) -> _Found:
    """A tagged statement without a source takes its cue's subject from the parse ("his vow that ...", "Hill said")."""
    if item.source is not None or item.cue is None:
        return item
    found = _doc_at(docs, item.cue[0])
    if found is None:
        return item
    offset, doc = found
    cue = _cue_head(doc, offset, item.cue)
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


def _continuation(resolver: SpeakerResolver, item: _Found) -> Resolution | None:
    """A quotation with no speaker tag of its own continues the statement before it (same or previous paragraph)."""
    before = resolver.last_speaker(item.content[0], paragraphs_back=1)
    if before is None:
        return None
    return Resolution(before.name, before.entity_id, "continuation", 0, before.candidates, before.agreement)


def _is_statement(text: str, item: _Found, resolution: Resolution | None) -> bool:
    """Whether an attribution is a statement someone made: not the writer's narration, a belief, evidence that
    "shows", a sourceless passive ("was reported"), or a quoted fragment under four words."""
    if resolution is not None and resolution.narration:
        return False
    content = text[item.content[0] : item.content[1]]
    least = 2 if item.cue_lemma in _DENIALS else _MIN_STATEMENT_WORDS - (item.kind == "direct")
    if len(re.findall(r"\w+", content)) < least:
        return False
    if item.kind == "belief" or (item.cue_lemma in NON_SPEECH_LEMMAS and item.kind != "direct"):
        return False
    return resolution is not None


def _inside_quotation(quotes: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` falls strictly inside one of the (sorted, non-overlapping) quotations."""
    index = bisect.bisect_left(quotes, (position, position)) - 1
    return index >= 0 and quotes[index][0] < position < quotes[index][1]


def _in_sentence(sentence: Any, offset: int, quotes: list[tuple[int, int]]) -> list[_Found]:
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


def _nominal(noun: Any, offset: int, bounds: tuple[int, int]) -> list[_Found]:
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


def _quotes_within(quotes: list[tuple[int, int]], span: tuple[int, int]) -> list[tuple[int, int]]:
    """The sorted quotations that overlap ``span`` (quotations do not overlap each other)."""
    index = max(0, bisect.bisect_left(quotes, (span[0], span[0])) - 1)
    found = []
    while index < len(quotes) and quotes[index][0] < span[1]:
        if quotes[index][1] > span[0]:
            found.append(quotes[index])
        index += 1
    return found


def _content(
    verb: Any, sentence: Any, offset: int, quotes: list[tuple[int, int]]
) -> tuple[str, tuple[int, int]] | None:
    clause = next((c for c in verb.children if c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX")), None)
    start, end = offset + sentence.start_char, offset + sentence.end_char
    nearby = [q for q in _quotes_within(quotes, (start, end)) if not (q[0] <= offset + verb.idx < q[1])]
    if clause is not None:
        left, right = clause.left_edge.i, clause.right_edge.i
        span = (offset + verb.doc[left].idx, offset + verb.doc[right].idx + len(verb.doc[right].text))
        inside = [q for q in nearby if span[0] <= q[0] and q[1] <= span[1] + 1]
        if nearby and not inside:
            pass  # the clause is not what was said ("said he would, adding '...'"): use the quote
        elif nearby and any(q[1] - q[0] >= (span[1] - span[0]) * 0.8 for q in inside):
            return "direct", max(inside, key=lambda q: q[1] - q[0])
        else:
            return ("mixed" if inside else "indirect"), _strip(span, verb.doc, offset)
    if nearby:
        after = [q for q in nearby if q[0] >= offset + verb.idx]
        chosen = after[0] if after else nearby[-1]
        return "direct", chosen
    return _object_content(verb, offset)


_OBJECT_CUES = {"dismiss", "deny", "accuse", "reject", "claim", "warn", "promise", "vow", "urge", "predict", "confirm",
                "announce", "reveal", "admit", "acknowledge", "dispute", "question", "allege", "report"}  # fmt: skip


def _object_content(verb: Any, offset: int) -> tuple[str, tuple[int, int]] | None:
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


def _strip(span: tuple[int, int], doc: Any, offset: int) -> tuple[int, int]:
    text = doc.text
    start, end = span[0] - offset, span[1] - offset
    while end > start and text[end - 1] in " ,;:.":
        end -= 1
    return offset + start, offset + end


def _according_to(token: Any, sentence: Any, offset: int, bounds: tuple[int, int]) -> list[_Found]:
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


def _cue_span(verb: Any, offset: int) -> tuple[int, int]:
    """The verb with the auxiliaries right before it ("has learned", "had denied")."""
    first = verb
    while (
        first.i > 0
        and verb.doc[first.i - 1].dep_ in ("aux", "auxpass", "neg", "advmod")
        and verb.doc[first.i - 1].head is verb
    ):
        first = verb.doc[first.i - 1]
    return offset + first.idx, offset + verb.idx + len(verb.text)


def _source_span(subject: Any, offset: int) -> tuple[int, int]:
    """The subject phrase, without a relative clause or apposition after it."""
    tokens = [t for t in subject.subtree]
    cut = len(tokens)
    for index, token in enumerate(tokens):
        if token.i > subject.i and (token.dep_ in ("relcl", "appos", "acl") or token.text in ",(—–-"):
            cut = index
            break
    tokens = tokens[:cut]
    return offset + tokens[0].idx, offset + tokens[-1].idx + len(tokens[-1].text)


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


class _ContentIndex:
    """Statements sorted by where their content starts, to find those overlapping a span without a full scan."""

    def __init__(self, items: list[_Found]) -> None:
        self.items = sorted(items, key=lambda f: f.content[0])
        self.starts = [f.content[0] for f in self.items]
        self.longest = max((f.content[1] - f.content[0] for f in self.items), default=0)

    def overlapping(self, span: tuple[int, int]) -> list[_Found]:
        low = bisect.bisect_left(self.starts, span[0] - self.longest)
        high = bisect.bisect_left(self.starts, span[1])
        return [f for f in self.items[low:high] if _overlaps(f.content, span)]

    def near(self, span: tuple[int, int]) -> list[_Found]:
        """Statements whose content or cue may overlap ``span`` (cues sit within a sentence of their content)."""
        reach = max(self.longest, 1000)
        low = bisect.bisect_left(self.starts, span[0] - reach)
        high = bisect.bisect_left(self.starts, span[1] + 1000)
        return self.items[low:high]


def _own_cue(item: _Found, tagged: _ContentIndex) -> bool:
    """Whether a rule's statement has a cue no tagged statement covers: "which Madrid firmly denies" reports on
    words another statement holds, and stays a statement of its own."""
    cue = item.cue
    return cue is not None and not any(
        _overlaps(cue, o.content) or (o.cue is not None and _overlaps(cue, o.cue)) for o in tagged.near(cue)
    )


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _from_tags(
    tagged: list[tuple[str, int, int]], docs: list[tuple[int, Any]], quotes: list[tuple[int, int]]
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


def _snap_to_clause(cue: Any, offset: int, content: tuple[int, int]) -> tuple[int, int]:
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


def _named_by_passive(verb: Any, offset: int, source: tuple[int, int]) -> bool:
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


def _cue_head(doc: Any, offset: int, cue: tuple[int, int]) -> Any:
    """The word a tagged cue hangs from: "accused" in "has repeatedly accused", "claiming" in "claiming during
    a press conference"."""
    span = doc.char_span(cue[0] - offset, cue[1] - offset, alignment_mode="expand")
    tokens = list(span) if span is not None else []
    if not tokens:
        return None
    heads = [t for t in tokens if not cue[0] <= offset + t.head.idx < cue[1] or t.head.i == t.i]
    return next((t for t in heads if t.pos_ in ("VERB", "NOUN")), heads[0] if heads else tokens[0])


def _first_quotation(text: str, offset: int, quotes: list[tuple[int, int]], content: tuple[int, int]) -> int:
    """Where a tagged content that runs over two quotations in a row (the tagger's commonest slip:
    '"The budget is balanced." "We will not…," Duarte added') ends: after the first of them."""
    for _, end in (q for q in _quotes_within(quotes, content) if content[0] < q[1] < content[1]):
        following = text[end - offset : content[1] - offset]
        if following[:1].isspace() and following.lstrip()[:1] in _OPENING:
            return end
    return content[1]


def _quoted_share(quotes: list[tuple[int, int]], span: tuple[int, int]) -> float:
    """The share of a span's characters inside quotation marks."""
    inside = sum(_overlap(q, span) for q in _quotes_within(quotes, span))
    return inside / max(1, span[1] - span[0])


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def _unique(found: list[_Found]) -> list[_Found]:
    """One attribution per content: the first cue found for it wins; contents inside others are dropped."""
    result: list[_Found] = []
    reaching: list[_Found] = []  # kept contents that may still contain later ones (sorted by start)
    for item in sorted(found, key=lambda f: (f.content[0], -(f.content[1] - f.content[0]))):
        reaching = [o for o in reaching if o.content[1] > item.content[0]]
        if any(
            o.content[0] <= item.content[0]
            and item.content[1] <= o.content[1]
            and (item.cue is None or o.content[0] <= item.cue[0] < o.content[1] or item.content == o.content)
            for o in reaching
        ):
            continue
        result.append(item)
        reaching.append(item)
    return result


def _quote(article: Article, item: _Found, resolution: Resolution | None) -> Quote:
    text = article.text
    speaker = None
    if resolution is not None:
        mention = article.span(*item.source) if item.source else None
        speaker = Speaker(mention, resolution.entity_id, resolution.name, resolution.rule)
    date = _date(article, item)
    return Quote(
        kind=item.kind,
        content=article.span(*item.content),
        cue=article.span(*item.cue) if item.cue else None,
        cue_lemma=item.cue_lemma,
        speaker=speaker,
        channel=_channel(text, item, speaker),
        date=date or article.reference_date,
        date_source="cue" if date else ("reference" if article.reference_date else None),
        confidence=item.confidence,
    )


def _channel(text: str, item: _Found, speaker: Speaker | None) -> str | None:
    """The outlet, medium, platform, event or addressee named in the statement's own clause, outside what was said."""
    start, end = item.sentence
    clause = text[start:end]
    for pattern, fixed in _CHANNELS:
        for match in pattern.finditer(clause):
            at = start + match.start()
            at_cue = item.cue is not None and item.cue[0] - 2 <= at <= item.cue[1] + 2
            if item.content[0] <= at < item.content[1] and not at_cue:
                continue  # a channel inside the content belongs to what was said
            named = " ".join(match.groupdict().get("to", "").split()) if "to" in match.groupdict() else ""
            if named:
                if named.split()[0].lower() in _NOT_CHANNELS:
                    continue
                if speaker is not None and speaker.name and (named in speaker.name or speaker.name in named):
                    continue  # "said Philip Luther": the speaker, not an addressee
            if fixed is None:
                return named or None
            if fixed == "{0}":
                return match[0].split(maxsplit=2)[-1]
            return fixed.format(to=named) if named else fixed
    return None


_DATED = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?|-W\d{2})?(?:T.*)?$")


def _date(article: Article, item: _Found) -> str | None:
    """When the statement was made: a date or time in its own sentence outside what was said, nearest the cue."""
    anchor = item.cue or item.source or item.content
    start, end = item.sentence
    times = article.times  # in text order: only those inside the sentence are read
    first = bisect.bisect_left(times, start, key=lambda t: t.start)
    last = bisect.bisect_left(times, end, key=lambda t: t.start)
    usable = [
        t
        for t in times[first:last]
        if t.type in ("DATE", "TIME")
        and t.value
        and _DATED.match(t.value)
        and start <= t.start < end
        and not (item.content[0] <= t.start < item.content[1])
    ]
    if not usable:
        return None
    chosen = min(usable, key=lambda t: abs(t.start - anchor[0]))
    value = chosen.value or ""
    return value[:10] if "T" in value else value
