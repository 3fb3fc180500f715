"""A Russian statement found but not yet resolved (``Draft``), and the ``Quote`` it becomes: its channel ("в интервью
РИА Новости", "журналистам") and the date it was made."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newstrace.annotate.russian._marks import Quotation
from newstrace.annotate.russian._parse import Sentence, Token
from newstrace.annotate.russian._speakers import Resolved
from newstrace.lexicon import RU_AUDIENCE_NOUNS, RU_CHANNEL_NOUNS
from newstrace.model import Article, Quote, Speaker

__all__ = ["Draft", "quote_of"]

_CONFIDENCE = {"named": 0.9, "organisation": 0.8, "pronoun": 0.75, "follow-on": 0.7, "description": 0.6}


@dataclass(slots=True)
class Draft:
    """A statement found but not yet resolved: where its content and cue are, and the phrase naming its source."""

    kind: str
    content: tuple[int, int]
    cue: tuple[int, int] | None
    cue_token: Token | None
    sentence: Sentence
    source: Token | None = None  # the head of the source phrase
    follow_on: bool = False
    resolved: Resolved | None = field(default=None)


def quote_of(article: Article, draft: Draft, quotations: list[Quotation]) -> Quote:
    """The statement as the data model holds it: spans, speaker, cue lemma, channel, date and confidence."""
    kind = draft.kind
    start, end = draft.content
    if kind == "indirect" and any(
        start <= q.open_at and q.close_at < end and q.words(article.text) >= 1 for q in quotations
    ):
        kind = "mixed"
    speaker = None
    if draft.resolved is not None:
        mention = article.span(*draft.resolved.mention) if draft.resolved.mention else None
        speaker = Speaker(mention, draft.resolved.entity_id, draft.resolved.name, draft.resolved.rule)
    date = _date(article, draft)
    return Quote(
        kind=kind,
        content=article.span(start, end),
        cue=article.span(*draft.cue) if draft.cue else None,
        cue_lemma=draft.cue_token.lemma if draft.cue_token is not None else None,
        speaker=speaker,
        channel=_channel(article, draft),
        date=date or article.reference_date,
        date_source="cue" if date else ("reference" if article.reference_date else None),
        # Fixed by resolution rule: no Russian confidence model is trained yet, so no finer figure is claimed.
        confidence=_CONFIDENCE.get(speaker.rule or "", 0.5) if speaker and speaker.name else 0.3,
    )


def _outside(draft: Draft, start: int, end: int) -> bool:
    return end <= draft.content[0] or start >= draft.content[1]


def _channel(article: Article, draft: Draft) -> str | None:
    """ "в интервью РИА Новости", "в беседе с корреспондентом «Голоса Америки»", "журналистам", "в Telegram"."""
    sentence = draft.sentence
    for token in sentence.tokens:
        if not _outside(draft, token.start, token.end) or token.lemma not in RU_CHANNEL_NOUNS | RU_AUDIENCE_NOUNS:
            continue
        named = [
            m
            for m in article.entities
            if m.label == "ORG"
            and token.end <= m.start <= token.end + 40
            and m.end <= sentence.end
            and _outside(draft, m.start, m.end)
        ]
        if named:
            entity = next((e for e in article.entities_index if e.id == named[0].entity_id), None)
            return entity.name if entity is not None else named[0].text
        if token.lemma in RU_AUDIENCE_NOUNS and token.feats.get("Case") == "Dat":
            return token.text  # "журналистам": the audience as written
        if token.text.lower() in ("telegram", "телеграм", "twitter", "твиттер"):
            return token.text
    return None


def _date(article: Article, draft: Draft) -> str | None:
    """When the statement was made: a date in the cue's sentence outside what was said."""
    sentence = draft.sentence
    best: tuple[int, str] | None = None
    anchor = draft.cue[0] if draft.cue else draft.content[0]
    for time in article.times:
        if time.value is None or not (sentence.start <= time.start < sentence.end):
            continue
        if not _outside(draft, time.start, time.end) or not re.match(r"\d{4}(-\d{2}(-\d{2})?)?$", time.value):
            continue
        distance = abs(time.start - anchor)
        if best is None or distance < best[0]:
            best = (distance, time.value)
    return best[1] if best else None
