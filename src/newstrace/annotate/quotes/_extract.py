"""Quotations and reported statements of a parsed article: both readers, merged, filtered, resolved."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from spacy.tokens import Doc

from newstrace.annotate.confidence import (
    SpeakerConfidence,
    placement_features,
    speaker_features,
    with_article_context,
    with_statements_by_speaker,
)
from newstrace.annotate.quotes._channel import _channel, _date
from newstrace.annotate.quotes._filters import (
    _best_reading,
    _continuation,
    _discourse_marker,
    _is_statement,
    _joined_around_tags,
    _one_per_cue,
    _through_continued_quotation,
    _untagged_quotations,
)
from newstrace.annotate.quotes._found import _Found, _unique
from newstrace.annotate.quotes._marks import _inside_quotation, quoted_spans
from newstrace.annotate.quotes._parse import _in_sentence
from newstrace.annotate.quotes._readings import (
    _as_clause_content,
    _inner_speaker,
    _past_the_owner,
    _with_addressee,
    _with_controller,
    _with_governing_cue,
    _with_opening_words,
    _with_parsed_source,
    _without_label,
    _without_trailing_relative,
)
from newstrace.annotate.quotes._tags import _from_tags, _merge
from newstrace.annotate.speakers import Resolution, SpeakerResolver
from newstrace.model import Article, Quote, Speaker


def extract_quotes(
    article: Article,
    docs: list[tuple[int, Doc]],
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
    # PolNeAR's layer is read with the marks the tagger was trained beside: a mark closes only its own quotation there
    quotes = quoted_spans(article.text, article.paragraphs, mixed_marks=statements_only)
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
        found = [_with_addressee(_with_controller(_past_the_owner(f, docs, article.text), docs), docs) for f in found]
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
        features[id(quote)] = {
            **speaker_features(resolution, item.kind, item.cue is not None, _text(article, item.source)),
            **placement_features(article.text, item.source, item.content, item.cue),
        }
        result.append(quote)
    if statements_only:
        result = _best_reading(result)
    # A speaker the article quotes again and again is one of its sources; a one-off resolution is less sure.
    said_by = Counter(q.speaker.name for q in result if q.speaker is not None and q.speaker.name)
    named_starts = _named_starts(article)
    for quote in result:
        name = quote.speaker.name if quote.speaker is not None else None
        quote_features = with_statements_by_speaker(features[id(quote)], said_by[name] if name else 0)
        mention = quote.speaker.mention if quote.speaker is not None else None
        at = mention.start if mention is not None else quote.content.start
        named_before = len({entity for start, entity in named_starts if start < at})
        quote_features = with_article_context(quote_features, named_before, _reported_inside(quote, result))
        if confidence is not None:
            quote.confidence = round(confidence.probability(quote_features), 4)
        if on_statement is not None:
            on_statement(quote, quote_features)
    return sorted(result, key=lambda q: q.content.start)


def _named_starts(article: Article) -> list[tuple[int, str]]:
    """Where the article names a person or an organisation, with the entity named."""
    return [(m.start, m.entity_id) for m in article.entities if m.label in ("PERSON", "ORG") and m.entity_id]


def _reported_inside(quote: Quote, statements: list[Quote]) -> bool:
    """Whether the statement's cue stands inside another statement's content (speech reported within speech)."""
    if quote.cue is None:
        return False
    at = quote.cue.start
    return any(other is not quote and other.content.start <= at < other.content.end for other in statements)


def _text(article: Article, span: tuple[int, int] | None) -> str | None:
    return article.text[span[0] : span[1]] if span else None


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
