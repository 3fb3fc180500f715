"""Which attributions are statements, and one reading each: pieces joined, quotations continued, doubles dropped."""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from newstrace.annotate.quotes._found import _ContentIndex, _Found, _overlap, _overlaps
from newstrace.annotate.quotes._marks import _OPENING, _quotes_within
from newstrace.annotate.speakers import Resolution, SpeakerResolver
from newstrace.lexicon import (
    ACTION_LEMMAS,
    AGREEMENT_LEMMAS,
    BELIEF_LEMMAS,
    CLAIM_LEMMAS,
    CUE_LEMMAS,
    NOMINAL_CUES,
    NON_SPEECH_LEMMAS,
    SPEECH_LEMMAS,
)
from newstrace.model import Quote, Span

# Under four words a reported "statement" is a noun ("denied the accusation") and a two-word quotation a label
# ("Welcome Jose"); a quoted sentence of three ("Nobody expected this") is still something someone said.
_MIN_STATEMENT_WORDS = 4


_DENIALS = {"deny", "dismiss", "reject", "dispute", "refute"}  # "which Madrid denies": what is denied may be short


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
    elif start <= last[0] and last[1] > end and not text[end : last[1]].strip(".,!?;:\"”’'"):
        end = last[1]  # a quotation the content opens closes with it: "he remembered it “clearly.”", marks and all
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


def _discourse_marker(text: str, item: _Found) -> bool:
    """ "That said, the agency says ...": an idiom opening the sentence, not a source and its cue."""
    if item.source is None or item.cue is None or text[item.sentence[0] : item.source[0]].strip(' \n"“'):
        return False
    phrase = text[item.source[0] : item.cue[1]]
    return (
        phrase.lower() in ("that said", "this said", "having said that") and text[item.cue[1] : item.cue[1] + 1] == ","
    )


def _continuation(resolver: SpeakerResolver, item: _Found) -> Resolution | None:
    """A quotation with no speaker tag of its own continues the statement before it (same or previous paragraph)."""
    before = resolver.last_speaker(item.content[0], paragraphs_back=1)
    if before is None:
        return None
    return Resolution(before.name, before.entity_id, "continuation", 0, before.candidates, before.agreement)


# Cues whose words are what someone said or claimed: the lexicon's classes, its nominal cues and "according to".
_SAYING = SPEECH_LEMMAS | CLAIM_LEMMAS | BELIEF_LEMMAS | CUE_LEMMAS | NOMINAL_CUES | {"according to", "per"}
# Quoted names of works, nicknames and labels: short, each word capitalised but for the little words of titles.
_TITLE_WORD = re.compile(r"[\W\d]*(?:[A-Z][\w'’.-]*|of|the|a|an|and|or|in|on|at|to|for|with|from|by|is|&)[\W]*$")
_SAYING_INFINITIVE = re.compile(r"^[^.;:]{0,80}?\bto (?:say|add|claim|argue|insist|suggest|state|admit|deny)\b")
_NEGATED = re.compile(r"\b(?:not|never|no longer)\b|n[’']t\b", re.I)
_THAT_CLAUSE = re.compile(r"\s*(?:that|whether|if)\b", re.I)
_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»]+)[\"“”„«»]")


def _saying_word(cue: str) -> str | None:
    """The verb of saying a cue's head leads to through an infinitive: "tried to suggest" -> "suggest" (trying is only
    how the saying came about); None where no infinitive of saying follows "to"."""
    infinitives: list[str] = re.findall(r"\bto ([a-z]+)", cue.lower())
    return next((verb for verb in infinitives if verb in _SAYING), None)


def _titles_only(content: str) -> bool:
    """'“Paper Moon” and “Vertigo.”': the quotations are names of works, not words anyone said: each is at most
    five title-cased words and nothing but commas and "and"/"or" stand between them."""
    quoted = _QUOTED.findall(content)
    if not quoted:
        return False
    rest = _QUOTED.sub(" ", content)
    if re.sub(r"\b(?:and|or)\b|[\s,.;:!?]", "", rest):
        return False
    return all(len(words := piece.split()) <= 5 and all(_TITLE_WORD.match(w) for w in words) for piece in quoted)


def _is_statement(text: str, item: _Found, resolution: Resolution | None) -> bool:
    """Whether an attribution is a statement someone made: not the writer's narration, a thing's "saying", a
    belief, an act or a plan ("agreed to inject"), evidence that "shows", a sourceless passive ("was reported"),
    names of works in quotation marks, or a quoted fragment under four words."""
    if resolution is not None and resolution.narration:
        return False
    content = text[item.content[0] : item.content[1]]
    lemma = _saying_word(text[item.cue[0] : item.cue[1]]) if item.cue is not None else None
    if lemma is None and _SAYING_INFINITIVE.match(content):
        lemma = "say"  # "changed her account to say the mayor knew": the infinitive is the saying
    lemma = lemma or item.cue_lemma
    if item.cue is not None and _NEGATED.search(text[item.cue[0] : item.cue[1]]) and lemma not in _DENIALS:
        return False  # "did not respond to a request for comment", "never said": what was not said is no statement
    if lemma in ACTION_LEMMAS and lemma not in _SAYING:
        return False  # "it's disappointing", "has never": a verb of being or doing reports nothing said
    if lemma in AGREEMENT_LEMMAS and item.kind in ("indirect", "mixed") and not _THAT_CLAUSE.match(content):
        return False  # "agreed to inject $2 billion", "agreed a deal": a deal made, not words said ("agreed that")
    if item.kind == "indirect" and lemma is not None and lemma not in _SAYING:
        return False  # a cue the tagger learnt that is no verb of saying ("looking at", "brings to mind", "Q:")
    if item.kind in ("direct", "mixed") and _titles_only(content):
        return False
    least = 2 if item.cue_lemma in _DENIALS else _MIN_STATEMENT_WORDS - (item.kind == "direct")
    if len(re.findall(r"\w+", content)) < least:
        return False
    if item.kind == "belief" or (item.cue_lemma in NON_SPEECH_LEMMAS and item.kind != "direct"):
        return False
    return resolution is not None
