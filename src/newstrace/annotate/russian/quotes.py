"""Statements in Russian articles: quotations with their tags, reported speech after a cue verb, sources named in
a parenthetical ("по словам X", "как сообщает X"), interview turns; each with its speaker, cue, channel and date.

Rules over slovnet's parse, written for Russian news usage (the cue verbs and source nouns are the lexicon's
``RU_*`` lists): a quotation's tag follows it after a dash (``«…», — сказал он``) or introduces it with a colon
(``X сообщил: «…»``); reported speech is the clause after ``что``/``чтобы``; an untagged quotation goes on from
the statement just before it. Speakers resolve through ``_speakers``.
"""

from __future__ import annotations

import re

from newstrace.annotate.russian._clauses import (
    is_cue,
    named_after,
    named_before,
    negated,
    subject_of,
    trimmed,
)
from newstrace.annotate.russian._draft import Draft, quote_of
from newstrace.annotate.russian._marks import Quotation, find_quotations, is_dash
from newstrace.annotate.russian._parse import RussianDoc, Sentence, Token
from newstrace.annotate.russian._speakers import SpeakerResolver, subtree
from newstrace.lexicon import (
    RU_OPINION_LEMMAS,
    RU_SOURCE_NOUNS,
)
from newstrace.model import Article, Quote

__all__ = ["extract_quotes_ru"]

# A cue's dependents that say when, where or to whom, not what: "в субботу", "в интервью РИА Новости", "журналистам".
_CIRCUMSTANCES = frozenset({"obl", "iobj", "advmod", "obl:tmod", "nsubj", "punct"})
# Verbs whose statement is their object or infinitive, not a "что" clause: "призвал X сделать", "назвал A B".
_OBJECT_CUES = frozenset(
    {
        "призвать",
        "призывать",
        "назвать",
        "называть",
        "пообещать",
        "обещать",
        "потребовать",
        "требовать",
        "предупредить",
        "предупреждать",
    }
)
# Verbs whose "о …" complement is what was said ("объявил о переизбрании"); not "рассказал о планах" (a topic).
_ABOUT_CUES = frozenset(
    {
        "указать",
        "указывать",
        "объявить",
        "объявлять",
        "сообщить",
        "сообщать",
        "заявить",
        "заявлять",
        "предупредить",
        "предупреждать",
        "напомнить",
        "напоминать",
        "вспомнить",
    }
)
_COMPLEMENT = re.compile(r"\s*,?\s*(?:(?:о|к|в|на) том\s*,\s*)?(?:что|чтобы)\s+", re.IGNORECASE)
# Untagged quotations shorter than this are names, titles and scare quotes ("«Газпром»", "«большой семёрки»").
_FEWEST_WORDS = 4


def extract_quotes_ru(article: Article, doc: RussianDoc) -> list[Quote]:
    """Every statement of the article in text order, its speaker resolved."""
    text = article.text
    quotations = [q for q in find_quotations(text) if q.end > q.start]
    # Speech reported inside a quotation is part of what the quoted speaker said, not a statement of its own.
    spoken = [q for q in quotations if q.words(text) >= _FEWEST_WORDS]
    # An interview turn is the speaker's own words too: what it reports ("Он сказал, что …") stays inside it.
    turns = _interview(article, doc)
    inside = [(q.start, q.end) for q in spoken] + [turn.content for turn in turns]
    drafts = [
        draft
        for draft in _reported(text, doc) + _parenthetical(text, doc)
        if draft.cue is None or not any(start <= draft.cue[0] < end for start, end in inside)
    ]
    drafts = turns + drafts
    drafts += _direct(text, doc, quotations, drafts)
    drafts = _without_overlaps(drafts)
    resolver = SpeakerResolver(article, doc)
    quotes = []
    for draft in sorted(drafts, key=lambda d: d.content[0]):
        if draft.source is not None:
            draft.resolved = resolver.resolve(draft.sentence, draft.source, draft.cue_token)
        elif draft.follow_on:
            draft.resolved = resolver.follow_on(draft.content[0])
        if draft.resolved is None and draft.follow_on:
            continue  # an untagged quotation nobody said just before: a title, a slogan, a citation
        resolver.remember(draft.content[1], draft.resolved)
        quotes.append(quote_of(article, draft, quotations))
    return quotes


# ------------------------------------------------------------------------------------------------ finding


def _reported(text: str, doc: RussianDoc) -> list[Draft]:
    """ "X заявил, что …", "X призвал …", "Об этом сообщил X" and "…, пишет X"."""
    found = []
    for sentence in doc.sentences:
        for verb in sentence.tokens:
            if not is_cue(verb) or negated(sentence, verb):
                continue
            # A subject the parser hung on another verb: the nominative name or noun just before the cue.
            subject = subject_of(sentence, verb) or named_before(list(sentence.tokens), verb)
            if subject is None or (verb.index > 0 and sentence.tokens[verb.index - 1].text.lower() == "как"):
                continue  # "как отметил X, …" is a parenthetical source: that rule reads it
            cue = (verb.start, verb.end)
            after = _COMPLEMENT.match(text, verb.end, sentence.end)
            gap = _complement_after(text, sentence, verb, subject)
            if gap is not None:
                found.append(Draft("indirect", gap, cue, verb, sentence, subject))
            elif after is None and (about := _about(sentence, verb)) is not None:
                found.append(Draft("indirect", about, cue, verb, sentence, subject))
            elif after is None and (verb.lemma in _OBJECT_CUES or _judges(sentence, verb)):
                content = _object_of(text, sentence, verb)
                if content is not None:
                    found.append(Draft("indirect", content, cue, verb, sentence, subject))
            elif (inserted := _inserted(text, sentence, verb, subject)) is not None:
                found.append(Draft("indirect", inserted, cue, verb, sentence, subject))
            elif _closes_sentence(sentence, verb, subject):
                previous = _before_tag(text, sentence, verb, doc)
                if previous is not None:
                    found.append(Draft("indirect", previous, cue, verb, sentence, subject))
    return found


def _complement_after(text: str, sentence: Sentence, verb: Token, subject: Token) -> tuple[int, int] | None:
    """The "что" clause within a few words after the cue (its speaker or channel may stand between)."""
    later = [t for t in sentence.tokens if t.index > verb.index]
    for token in later[:14]:
        if token.pos == "VERB" and token.feats.get("VerbForm") == "Fin":
            return None  # another clause's verb first: its "что" is not this cue's
        if token.text.lower() in ("что", "чтобы") and token.pos in ("SCONJ", "PRON", "CCONJ"):
            between = text[verb.end : token.start]
            if "«" in between or "»" in between or "." in between:
                return None
            start, end = trimmed(text, token.end, _clause_end(text, sentence, verb, token))
            return (start, end) if end - start > 3 else None
    return None


def _clause_end(text: str, sentence: Sentence, verb: Token, mark: Token) -> int:
    """Where the reported clause ends: before a second cue joined to this one ("напомнил, что A, и подчеркнул, что
    B") or a relay tag closing the sentence ("…, сообщает «Спорт уик-энд»"), else at the sentence's end."""
    for token in sentence.tokens[mark.index + 1 :]:
        joined = token.rel == "conj" and token.head == verb.index and is_cue(token)
        relay = is_cue(token) and token.index > 0 and sentence.tokens[token.index - 1].text == ","
        if relay and not joined:
            subject = subject_of(sentence, token)
            relay = subject is not None and _closes_sentence(sentence, token, subject)
        if joined or relay:
            before = [t for t in sentence.tokens[mark.index + 1 : token.index] if t.text not in (",", "и", "а")]
            return before[-1].end if before else sentence.end
    return sentence.end


def _about(sentence: Sentence, verb: Token) -> tuple[int, int] | None:
    """ "Объявил о переизбрании на пост главы государства": the "о" phrase right after the cue (or its subject)."""
    if verb.lemma not in _ABOUT_CUES:
        return None
    for child in sentence.children(verb.index):
        if child.rel != "obl" or child.index < verb.index:
            continue
        words = subtree(sentence, child.index)
        about = ("о", "об", "на") if verb.lemma in ("указать", "указывать") else ("о", "об")
        if words[0].text.lower() in about and words[0].index <= verb.index + 4:
            if any(w.lemma in ("это", "то") for w in words[:2]):
                return None  # "об этом": the statement is elsewhere
            return words[0].start, words[-1].end
    return None


def _judges(sentence: Sentence, verb: Token) -> bool:
    """ "X считает решение ошибочным": a verb of opinion with an object and what the object is said to be."""
    relations = {child.rel for child in sentence.children(verb.index) if child.index > verb.index}
    # "объявил свою страну ядерной державой" too; not "признала виновными", a ruling rather than a statement.
    return verb.lemma in RU_OPINION_LEMMAS | {"объявить", "объявлять"} and {"obj", "xcomp"} <= relations


def _object_of(text: str, sentence: Sentence, verb: Token) -> tuple[int, int] | None:
    """The object and infinitive of "призвал X сделать", "назвал A B", "предупредил о B", after the cue."""
    children = [
        child
        for child in sentence.children(verb.index)
        if child.index > verb.index
        and child.rel not in ("nsubj", "punct", "cc", "parataxis", "advmod")
        and not (child.rel == "conj" and is_cue(child))  # "назвал …, и призвал …": the next statement
    ]
    if not any(child.rel in ("obj", "xcomp", "ccomp") for child in children):
        return None  # "отметил в речи перед министрами": where it was said, not what
    parts = [t for child in children for t in subtree(sentence, child.index) if t.index > verb.index]
    if not parts:
        return None
    # "называет вмешательство злом: «…»": the quotation after the colon is a statement of its own.
    start, end = trimmed(text, min(t.start for t in parts), max(t.end for t in parts))
    return (start, end) if end - start > 3 else None


def _inserted(text: str, sentence: Sentence, verb: Token, subject: Token) -> tuple[int, int] | None:
    """ "Такой переход, считает вице-губернатор Александр Шемелев, повысит …": a tag set between commas inside
    the clause it reports; what was said is the part after it."""
    if verb.index == 0 or sentence.tokens[verb.index - 1].text != "," or subject.index < verb.index:
        return None
    if verb.index - 1 < 2:
        return None  # nothing before the tag: not inside a clause
    last = max(t.index for t in subtree(sentence, subject.index))
    if last + 1 >= len(sentence.tokens) or sentence.tokens[last + 1].text != ",":
        return None
    start, end = trimmed(text, sentence.tokens[last + 1].end, sentence.end)
    return (start, end) if end - start > 10 else None


def _closes_sentence(sentence: Sentence, verb: Token, subject: Token) -> bool:
    """ "…, пишет X." or "…, заявил в субботу в интервью РИА Новости X": the cue, its subject and only its
    circumstances (when, where, to whom) end the sentence; an object or a clause after the cue is another use."""
    if subject.index < verb.index:
        return False
    allowed = {subject.index}
    for child in sentence.children(verb.index):
        if child.index > verb.index and child.rel in _CIRCUMSTANCES:
            allowed.add(child.index)
    kept = {t.index for root in allowed for t in subtree(sentence, root)}
    rest = [t for t in sentence.tokens if t.index > verb.index and t.pos != "PUNCT"]
    return all(t.index in kept or t.pos == "ADV" for t in rest)


def _before_tag(text: str, sentence: Sentence, verb: Token, doc: RussianDoc) -> tuple[int, int] | None:
    """What the inverted tag reports: the sentence before "Об этом сообщил X", or the words before ", пишет X"."""
    before = [t for t in sentence.tokens if t.index < verb.index]
    words = [t.lemma for t in before if t.pos != "PUNCT"]
    if words[:2] in (["о", "это"], ["об", "это"]) or words == ["это"]:
        earlier = [s for s in doc.sentences if s.end <= sentence.start]
        if not earlier:
            return None
        start, end = trimmed(text, earlier[-1].start, earlier[-1].end)
        return (start, end) if end - start > 3 else None
    if len(before) < 4 or before[-1].text != ",":
        return None
    if text[before[-1].start - 1 : before[-1].start] in '»"“':
        return None  # a quotation's own tag: the direct rule takes it
    return trimmed(text, sentence.start, before[-1].start)


def _parenthetical(text: str, doc: RussianDoc) -> list[Draft]:
    """ "По словам X, …", "…, по мнению X, …", "согласно отчёту X", "как сообщает X, …"."""
    found = []
    for sentence in doc.sentences:
        tokens = sentence.tokens
        for i, token in enumerate(tokens):
            lower = token.text.lower()
            source: Token | None = None
            possessive = i + 2 < len(tokens) and tokens[i + 2].lemma in RU_SOURCE_NOUNS
            if lower == "по" and i + 1 < len(tokens) and (tokens[i + 1].lemma in RU_SOURCE_NOUNS or possessive):
                head_noun = tokens[i + 1]
                source = _genitive_source(sentence, head_noun) if head_noun.lemma in RU_SOURCE_NOUNS else None
                if source is None and possessive:
                    source, head_noun = tokens[i + 1], tokens[i + 2]  # "по его словам"
                cue_start, cue_end = token.start, head_noun.end
            elif lower == "согласно" and i + 1 < len(tokens) and tokens[i + 1].lemma != "который":
                source = _genitive_source(sentence, tokens[i + 1]) or tokens[i + 1]
                cue_start, cue_end = token.start, token.end
            elif lower == "как" and i + 1 < len(tokens) and is_cue(tokens[i + 1]):
                verb = tokens[i + 1]
                source = subject_of(sentence, verb) or next(
                    (t for t in sentence.children(verb.index) if t.rel in ("obl", "iobj") and t.index > verb.index),
                    None,
                )
                cue_start = token.start
                # The clause "как отметил премьер в речи перед министрами" runs to its comma.
                cue_end = next((t.start for t in tokens[i + 2 :] if t.text == ","), verb.end)
            if source is None:
                continue
            content = _around(text, sentence, token, source, cue_end)
            if content is not None:
                cue_token = tokens[i + 1] if lower == "как" else None
                cue = (cue_start, cue_token.end if cue_token is not None else cue_end)
                found.append(Draft("indirect", content, cue, cue_token, sentence, source))
    return found


def _genitive_source(sentence: Sentence, noun: Token) -> Token | None:
    """The genitive that names whose words or view: "словам Галузина", "мнению делегации ОБСЕ"."""
    for child in sentence.children(noun.index):
        related = child.rel in ("nmod", "det", "amod:poss", "nmod:poss") and child.index > noun.index - 2
        if related and child.pos in ("PROPN", "NOUN", "PRON", "DET") and child.lemma not in ("весь", "это"):
            return child
    return None


def _around(text: str, sentence: Sentence, cue: Token, source: Token, cue_end: int) -> tuple[int, int] | None:
    """The clause a parenthetical source phrase stands in: after it, or before it when it closes the sentence."""
    source_end = max(cue_end, *(t.end for t in subtree(sentence, source.index)))
    comma = text.find(",", source_end, sentence.end)
    if comma >= 0 and not text[source_end:comma].strip(' »"'):
        start, end = trimmed(text, comma + 1, sentence.end)
        if end - start > 3:
            return start, end
    start, end = trimmed(text, sentence.start, cue.start)
    return (start, end) if end - start > 10 and text[cue.start - 2 : cue.start].strip() == "," else None


def _direct(text: str, doc: RussianDoc, quotations: list[Quotation], reported: list[Draft]) -> list[Draft]:
    """Quotations with a dash tag after them, a colon tag before them, or going on from the last statement."""
    found: list[Draft] = []
    for quotation in quotations:
        if any(d.content[0] <= quotation.open_at and quotation.close_at < d.content[1] + 1 for d in reported):
            continue  # "сказал, что «…»": the reported statement holds it
        sentence = doc.sentence_at(quotation.start) or doc.sentence_at(quotation.open_at)
        if sentence is None:
            continue
        pieces = _split_by_own_tag(text, doc, quotation)
        tag = _tag_after(text, doc, quotation.close_at + 1) if pieces is None else pieces[1]
        if tag is not None:
            verb, tag_sentence = tag
            spans = [(quotation.start, quotation.end)] if pieces is None else pieces[0]
            for start, end in spans:
                start, end = trimmed(text, start, end, clause=False)
                source = subject_of(tag_sentence, verb)
                if source is None or source.start < quotation.close_at:
                    source = named_after(tag_sentence, verb)  # a subject inside the quotation is the parser's slip
                found.append(Draft("direct", (start, end), (verb.start, verb.end), verb, tag_sentence, source))
            continue
        if quotation.words(text) < _FEWEST_WORDS:
            continue
        # The colon's sentence: the splitter may start a new sentence at the quotation.
        colon_sentence = doc.sentence_at(max(0, quotation.open_at - 2)) or sentence
        introduced = _tag_before(text, colon_sentence, quotation)
        start, end = trimmed(text, quotation.start, quotation.end, clause=False)
        if introduced is not None:
            colon_cue, source = introduced
            cue = (colon_cue.start, colon_cue.end) if colon_cue is not None else None
            found.append(Draft("direct", (start, end), cue, colon_cue, colon_sentence, source))
        elif _stands_alone(text, quotation):
            found.append(Draft("direct", (start, end), None, None, sentence, None, follow_on=True))
    return found


def _tag_after(text: str, doc: RussianDoc, at: int) -> tuple[Token, Sentence] | None:
    """ "», — сказал он": a cue verb right after the closing mark, past a comma and a dash."""
    rest = text[at : at + 12]
    stripped = rest.lstrip(" ,")
    if stripped[:1] and is_dash(stripped[:1]):
        stripped = stripped[1:]
    offset = at + len(rest) - len(stripped)
    offset += len(stripped) - len(stripped.lstrip())
    if not any(mark in text[at:offset] for mark in ",—–-"):
        return None  # "«Майкрософт» возражает": a quoted name is the subject, not a quotation with its tag
    sentence = doc.sentence_at(offset)
    if sentence is None:
        return None
    token = next((t for t in sentence.tokens if t.start == offset), None)
    if token is None or not is_cue(token):
        return None
    return token, sentence


def _split_by_own_tag(
    text: str, doc: RussianDoc, quotation: Quotation
) -> tuple[list[tuple[int, int]], tuple[Token, Sentence]] | None:
    """ "«A, — уточнил Белов. — B»": the two pieces and the tag inside the marks."""
    inside = text[quotation.start : quotation.end]
    for match in re.finditer(r"[,!?…]\s*[—–-]\s+", inside):
        tag = _tag_after(text, doc, quotation.start + match.start() + 1)
        if tag is None:
            continue
        verb, _sentence = tag
        resume = re.compile(r"[.,]\s*[—–-]\s+").search(text, verb.end, quotation.end)
        if resume is None:
            continue
        return [(quotation.start, quotation.start + match.start() + 1), (resume.end(), quotation.end)], tag
    return None


def _tag_before(text: str, sentence: Sentence, quotation: Quotation) -> tuple[Token | None, Token | None] | None:
    """ "X сообщил: «…»" (the cue and its subject) or "X оказался дипломатичным: «…»" (the subject, no cue)."""
    if not text[max(0, quotation.open_at - 3) : quotation.open_at].rstrip().endswith(":"):
        return None
    before = [t for t in sentence.tokens if t.end <= quotation.open_at]
    for verb in reversed(before):
        if is_cue(verb):
            return verb, subject_of(sentence, verb) or named_before(before, verb)
    root = next((t for t in before if t.head == -1 or t.rel == "root"), None)
    subject = subject_of(sentence, root) if root is not None else None
    return (None, subject) if subject is not None else None


def _stands_alone(text: str, quotation: Quotation) -> bool:
    """An untagged quotation that is a sentence of its own: it opens its paragraph or follows a full stop."""
    before = text[max(0, quotation.open_at - 3) : quotation.open_at].strip()
    after = text[quotation.close_at + 1 : quotation.close_at + 3].strip()
    return (before == "" or before[-1] in ".!?»\n") and (after == "" or after[0] in ".«\n")


def _interview(article: Article, doc: RussianDoc) -> list[Draft]:
    """An interview turn: a paragraph opening with a person's name and a colon ("Мустафа Джемилев: …")."""
    found = []
    people = {m.start: m for m in article.entities if m.label == "PERSON"}
    for paragraph in article.paragraphs:
        at = len(paragraph.text) - len(paragraph.text.lstrip())
        mention = people.get(paragraph.start + at)
        if mention is None or article.text[mention.end : mention.end + 1] != ":":
            continue
        start, end = trimmed(article.text, mention.end + 1, paragraph.end)
        if end - start < 10 or article.text[end - 1 : end + 1].strip().endswith("?"):
            continue
        sentence = doc.sentence_at(mention.start)
        head = next((t for t in sentence.tokens if t.start == mention.start), None) if sentence else None
        if sentence is not None and head is not None:
            found.append(Draft("direct", (start, end), None, None, sentence, head))
    return found


def _without_overlaps(drafts: list[Draft]) -> list[Draft]:
    """One statement per stretch of text: the first found (reported before direct) keeps an overlapped one out."""
    kept: list[Draft] = []
    for draft in drafts:
        if draft.content[1] <= draft.content[0]:
            continue
        if any(d.content[0] < draft.content[1] and draft.content[0] < d.content[1] for d in kept):
            continue
        kept.append(draft)
    return kept
