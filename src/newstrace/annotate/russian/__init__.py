"""The Russian side of the annotate stage, built on natasha (slovnet's news models, pymorphy3): entities with roles,
times, figures and statements with resolved speakers, in the same data model as English articles.

Modules: ``_models`` (natasha loaded once per process), ``_parse`` (sentences, tokens, named spans at article
offsets), ``entities`` (names in the nominative, one entity per person).
"""

from __future__ import annotations

from datetime import date

from newstrace.annotate.russian._models import load_russian
from newstrace.annotate.russian._parse import RussianDoc, parse_russian
from newstrace.annotate.russian.entities import extract_entities_ru
from newstrace.annotate.russian.quantities import extract_quantities_ru
from newstrace.annotate.russian.quotes import extract_quotes_ru
from newstrace.annotate.russian.times import find_times_ru
from newstrace.model import Article

__all__ = ["RussianDoc", "annotate_russian", "load_russian", "parse_russian"]


def annotate_russian(article: Article) -> Article:
    """Entities, times, figures and statements of a Russian article."""
    models = load_russian()
    doc = parse_russian(article.text, [p for p in article.paragraphs if p.text.strip()], models)
    article.entities, article.entities_index = extract_entities_ru(doc)
    reference = date.fromisoformat(article.reference_date) if article.reference_date else None
    article.times = find_times_ru(doc, reference)
    article.quantities = extract_quantities_ru(doc, article.times)  # a date or a duration is not a figure
    # Statements last: a statement's date is read from the times and its speaker from the entities.
    article.quotes = extract_quotes_ru(article, doc)
    return article
