"""Quotations and reported statements: content, cue, speaker (resolved), channel and date.

Two readers, merged: the trained tagger (``attribution_model``), whose spans follow PolNeAR's
conventions, and rules over the dependency parse, which fill what the tagger missed: a reporting
verb is the cue; its subject is the source; the content is its complement clause, or the
quotation next to it (which may run over several sentences, and over paragraphs while a paragraph
opens a quote it does not close). "According to X" attributes the rest of its clause to X.
Pronoun and description speakers resolve through the entity mentions; a capital that speaks
stands for its government.

Modules, in the order a statement passes them: ``_marks`` (quotation marks), ``_parse`` (rules over the parse),
``_tags`` (the tagger's spans, merged with the rules'), ``_readings`` (statements re-read over the parse),
``_filters`` (which are statements, one reading each), ``_channel`` (channel and date), ``_extract`` (all of it).
"""

from __future__ import annotations

from newstrace.annotate.quotes._extract import extract_quotes
from newstrace.annotate.quotes._marks import quoted_spans
from newstrace.lexicon import CUE_LEMMAS

__all__ = ["CUE_LEMMAS", "extract_quotes", "quoted_spans"]
