"""The clean stage: main text, headline, dateline, dates and boilerplate removal."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from newstrace.clean._assemble import Assembly, assemble
from newstrace.clean._html import extract_html
from newstrace.clean._lines import text_lines
from newstrace.clean.dates import (
    ExplicitDate,
    choose_reference_date,
    date_in_url,
    find_explicit_dates,
    resolve_month_day,
)
from newstrace.clean.language import detect_language
from newstrace.model import Article, content_hash
from newstrace.pipeline import StageError

__all__ = ["ExplicitDate", "clean", "find_explicit_dates"]


def clean(article: Article) -> Article:
    """Clean text, headline, dateline, dates and metadata from the raw input."""
    raw = article.raw
    if raw is None:
        raise StageError("no raw input to clean")
    published_source = "metadata" if article.published else None
    if article.media_type == "text/html":
        extraction = extract_html(raw, article.url)
        if extraction is None:
            raise StageError("no main text found in the HTML")
        headline = article.headline or extraction.title
        assembly = assemble(extraction.lines, raw, headline=headline, detect_title=headline is None)
        article.removed = sorted(extraction.removed + assembly.removed, key=lambda span: span.start)
        article.url = article.url or extraction.url
        article.site = extraction.site
        declared_language = extraction.language
        article.authors = extraction.authors or assembly.authors
        if article.published is None and extraction.date:
            article.published, published_source = extraction.date, "metadata"
            url_date = date_in_url(article.url)
            if url_date and not assembly.header_dates and not extraction.date.startswith(url_date.isoformat()):
                # The page's metadata disagrees with the date its own URL spells and the text shows no date
                # of its own: metadata is the part sites copy wrongly (a section's or a template's date).
                article.published = url_date.isoformat()
    else:
        assembly = assemble(text_lines(raw), raw, headline=article.headline, detect_title=article.headline is None)
        article.removed = assembly.removed
        article.authors = assembly.authors
        declared_language = article.language
    if not assembly.text.strip():
        raise StageError("no article text left after cleaning")
    article.text = assembly.text
    # From the cleaned text, not the page's lang attribute: templates say lang="en" over Chinese articles.
    article.language = detect_language(article.text) or declared_language
    article.paragraphs = assembly.paragraphs
    article.source_map = assembly.source_map
    article.headline = assembly.headline
    article.dateline = assembly.dateline.place if assembly.dateline else None
    if article.site is None and article.url:
        article.site = urlsplit(article.url).hostname
    if article.published is None and assembly.header_dates:
        article.published, published_source = assembly.header_dates[0].value.isoformat(), "text"
    _set_reference_date(article, assembly, published_source)
    # The URL is part of identity: the same wire copy on two outlets is two articles of one story.
    article.id = content_hash(article.url or "", article.headline or "", article.text)
    return article


def _set_reference_date(article: Article, assembly: Assembly, published_source: str | None) -> None:
    """The date relative expressions resolve against: publication, else the text's own dates, else capture."""
    if article.published:
        article.reference_date = article.published
        article.reference_date_source = "metadata" if published_source == "metadata" else "text"
        return
    captured = _parse_date(article.captured)
    dates = find_explicit_dates(article.text)
    dateline_date = assembly.dateline.date_text if assembly.dateline else None
    if dateline_date:
        resolved = resolve_month_day(dateline_date, [d.value for d in dates], captured)
        if resolved is not None:
            article.reference_date, article.reference_date_source = resolved.isoformat(), "text"
            return
    lead_end = article.paragraphs[1].end if len(article.paragraphs) > 1 else len(article.text)
    chosen = choose_reference_date(dates, lead_end, captured)
    if chosen is not None:
        article.reference_date, article.reference_date_source = chosen.value.isoformat(), "text"
    elif captured is not None:
        article.reference_date, article.reference_date_source = captured.isoformat(), "ingest"


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
