"""How facts read to a person, one way for the CLI, the HTTP API and the web UI.

Speaker names and labels, figures, statements as a reader takes them (the pieces of one content that share a cue
are one statement), and the JSON objects of corpus results. Plain data and plain strings: each front end formats them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict
from typing import TYPE_CHECKING

from newstrace.model import (
    Article,
    Entity,
    HeadlineCheck,
    Quantity,
    Quote,
    RemovedSpan,
    Statement,
    statements_of,
    to_dict,
)

if TYPE_CHECKING:
    from newstrace.corpus import CorpusEntity, StatementRecord, StoryMember, StoryRecord, Timeline
    from newstrace.store import StatementHit

__all__ = [
    "CLAIM_BASES",
    "DATE_SOURCES",
    "UNNAMED",
    "Statement",
    "article_facts",
    "entity_description",
    "entity_detail",
    "entity_summary",
    "figure",
    "figure_value",
    "language_note",
    "member_link",
    "one_line",
    "removed_summary",
    "shortened",
    "speaker_key",
    "speaker_label",
    "speaker_name",
    "speaker_roles",
    "stance_note",
    "statement_record",
    "statements",
    "story_detail",
    "story_summary",
    "timeline_json",
    "weakest_link",
]

# What a statement whose speaker was not found is attributed to.
UNNAMED = "unnamed source"
# Where an article's reference date came from.
DATE_SOURCES = {"metadata": "from the page's metadata", "text": "from the text", "ingest": "date of capture"}
# How a headline claim's stance was decided where a rule, not the stance model alone, decided it.
CLAIM_BASES = {
    "refutation": "by an explicit denial in the body",
    "attributed": "the body reports its speaker saying it",
    "polarity": "a negative claim (a hoax, a denial, a \"can't\") the body's refutations agree with",
}


def shortened(text: str, limit: int) -> str:
    """``text`` if it has at most ``limit`` characters, else its first ``limit - 3`` and "…"."""
    return text if len(text) <= limit else text[: limit - 3] + "…"


def one_line(text: str, limit: int) -> str:
    """``text`` on one line (each run of white space one space), shortened to ``limit`` characters."""
    return shortened(" ".join(text.split()), limit)


def article_facts(article: Article) -> list[tuple[str, str]]:
    """The article's metadata as (name, value) rows, "—" where a value is missing; a row per decoding warning."""
    source = f" ({DATE_SOURCES[article.reference_date_source]})" if article.reference_date_source else ""
    return [
        ("source", f"{article.source} ({article.media_type})"),
        ("id", article.id),
        ("dateline", article.dateline or "—"),
        ("date", f"{article.reference_date or '—'}{source}"),
        ("published", article.published or "not stated"),
        ("site", article.site or "—"),
        ("url", article.url or "—"),
        ("authors", ", ".join(article.authors) or "—"),
        ("language", article.language or "—"),
        *(("warning", warning) for warning in article.warnings),  # damaged bytes, characters taken out
    ]


def entity_description(entity: Entity) -> str:
    """What the article says of an entity: "Deputy Foreign Minister; Russia; also 'Galuzin'" ("" for nothing)."""
    details = [", ".join(entity.roles)] if entity.roles else []
    details += [entity.affiliation] if entity.affiliation else []
    details += [f"acts for {entity.stands_for}"] if entity.stands_for else []
    details += [f"also {', '.join(repr(a) for a in entity.aliases)}"] if entity.aliases else []
    return "; ".join(details)


# The languages the pipeline reads (annotate dispatches each to its own models); any other is stored and marked.
READ_LANGUAGES = {"en": "English", "ru": "Russian"}


def language_note(language: str | None) -> str | None:
    """What a page says about an article's language: a Russian page is read, another language's is not; None for
    English (or an unknown language, read as English)."""
    if not language or language == "en":
        return None
    if language == "ru":
        return (
            "This page is in Russian (ru), read by the Russian pipeline: people, places, times, figures and "
            "statements; the headline check reads English pages only."
        )
    return (
        f"This page is in another language ({language}): newstrace has no pipeline for it yet and reads nothing in "
        "it; statements, people, times and figures are read in English (en) and Russian (ru) pages only."
    )


def stance_note(check: HeadlineCheck) -> str:
    """Why the headline's stance is what it is: "p=0.91" from the model, or the rule that overrode what it said."""
    model_says = max(check.probabilities, key=lambda label: check.probabilities[label], default=check.stance)
    if model_says == check.stance:
        return f"p={check.probabilities[model_says]:.2f}"
    basis = next((claim.basis for claim in check.claims if claim.basis != "model"), "refutation")
    why = CLAIM_BASES.get(basis, "").removeprefix("by ")
    return f"{why}; the model alone: {model_says}, p={check.probabilities[model_says]:.2f}"


def removed_summary(removed: list[RemovedSpan], most: int = 5) -> tuple[list[RemovedSpan], list[tuple[str, int, int]]]:
    """The spans to list one by one (of reasons with at most ``most``), the rest as (reason, spans, characters)."""
    by_reason = Counter(span.reason for span in removed)
    listed = [span for span in removed if by_reason[span.reason] <= most]
    counted = [
        (reason, count, sum(len(span.text) for span in removed if span.reason == reason))
        for reason, count in by_reason.items()
        if count > most
    ]
    return listed, counted


def speaker_name(quote: Quote) -> str | None:
    """Who said it as resolved: the speaker's name, else the words of its mention ("he"); None without a speaker."""
    speaker = quote.speaker
    return (speaker.name or (speaker.mention.text if speaker.mention else None)) if speaker else None


def speaker_key(quote: Quote) -> str | None:
    """What makes two statements the same speaker's: the entity id, else the name; None without a speaker."""
    return (quote.speaker.entity_id or speaker_name(quote)) if quote.speaker else None


def speaker_roles(quote: Quote, roles: dict[str, list[str]]) -> list[str]:
    """The roles of the quote's speaker, from ``roles`` by entity id (an article's ``entities_index``)."""
    return roles.get(quote.speaker.entity_id or "", []) if quote.speaker else []


def speaker_label(name: str | None, roles: list[str]) -> str:
    """'Mikhail Galuzin (Deputy Foreign Minister)': the name, or "unnamed source", with the first role."""
    return (name or UNNAMED) + (f" ({roles[0]})" if roles else "")


def figure_value(value: float) -> str:
    """A figure's value with thousands separators: 9000.0 -> '9,000', 2.5 -> '2.5'."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


def figure(quantity: Quantity) -> str:
    """'9,000 troops (count, around)': the value, what it counts, its kind and its hedge."""
    hedge = f", {quantity.approximate}" if quantity.approximate else ""
    subject = quantity.subject or quantity.unit or ""
    return f"{figure_value(quantity.value)} {subject} ({quantity.kind}{hedge})"


def statements(quotes: Iterable[Quote]) -> list[Statement]:
    """The quotes as statements: a quote whose cue an earlier quote has is a further piece of that statement."""
    return statements_of(quotes)


def statement_record(hit: StatementHit) -> dict[str, object]:
    """A statement as one JSON object: its first quote's JSON, its article, the speaker's roles there, and its pieces.

    ``content`` and the other Quote keys are the first piece's (as before statements were merged); ``pieces`` lists
    every content span and ``text`` joins them as :attr:`Statement.text` does.
    """
    return {
        "article_id": hit.article_id,
        "headline": hit.headline,
        "date": hit.date,
        "speaker_roles": hit.speaker_roles,
        **to_dict(hit.quote),
        "pieces": [to_dict(piece) for piece in hit.pieces],
        "text": hit.text,
    }


def timeline_json(result: Timeline) -> dict[str, object]:
    """A timeline as one JSON object: entries with their carriers, contradictions by entry position."""
    entries = []
    for entry in result.entries:
        carriers = [asdict(carrier) for carrier in entry.carriers]
        entries.append(
            {
                "date": entry.date,
                "speaker": entry.speaker,
                "content": entry.content,
                "kind": entry.kind,
                "cue_lemma": entry.cue_lemma,
                "confidence": entry.confidence,
                "language": entry.language,
                "outlets": entry.outlets,
                "carriers": carriers,
            }
        )
    position = {id(entry): i for i, entry in enumerate(result.entries)}
    contradictions = [
        {"first": position[id(c.first)], "second": position[id(c.second)], "reason": c.reason}
        for c in result.contradictions
    ]
    return {"speaker": result.speaker, "entries": entries, "contradictions": contradictions}


def entity_summary(entity: CorpusEntity) -> dict[str, object]:
    """A corpus entity in one JSON object: id, name, label, aliases, how many articles name it."""
    return {
        "id": entity.id,
        "name": entity.name,
        "label": entity.label,
        "aliases": entity.aliases,
        "articles": len(entity.article_ids),
    }


def entity_detail(entity: CorpusEntity, said: list[StatementRecord]) -> dict[str, object]:
    """A corpus entity with its roles over time, affiliations, articles, statements and merge evidence."""
    said_json = [
        {
            "article_id": s.article_id,
            "date": s.date,
            "kind": s.kind,
            "cue_lemma": s.cue_lemma,
            "content": asdict(s.content),
            "pieces": [asdict(piece) for piece in s.pieces],
            "text": s.text,
            "site": s.site,
        }
        for s in said
    ]
    return {
        **entity_summary(entity),
        "roles": [asdict(role) for role in sorted(entity.roles, key=lambda r: r.date or "")],
        "affiliations": [asdict(affiliation) for affiliation in entity.affiliations],
        "article_ids": entity.article_ids,
        "statements": said_json,
        "evidence": [asdict(evidence) for evidence in entity.evidence],
    }


def member_link(member: StoryMember) -> str:
    """How a member is tied to its story, readable: "origin", "copy 0.98", "syndicated 0.62", "same story 0.41"."""
    return member.relation if member.relation == "origin" else f"{member.relation} {member.similarity:.2f}"


def weakest_link(story: StoryRecord) -> float | None:
    """The lowest similarity a member joined its story at (None for a story of one): how loosely the story holds."""
    joined = [member.similarity for member in story.members if member.relation != "origin"]
    return round(min(joined), 4) if joined else None


def story_outlets(story: StoryRecord) -> list[str]:
    """The sites that carried a story, each once: the origin's first, then the others in the order they joined."""
    origin = [member for member in story.members if member.article_id == story.origin_id]
    rest = [member for member in story.members if member.article_id != story.origin_id]
    return list(dict.fromkeys(member.site for member in origin + rest if member.site))


def story_summary(story: StoryRecord) -> dict[str, object]:
    """A story in one JSON object: id, title, first and last seen, origin, size, outlets and weakest link."""
    return {
        "id": story.id,
        "title": story.title,
        "first_seen": story.first_seen,
        "last_seen": story.last_seen,
        "origin_id": story.origin_id,
        "articles": len(story.members),
        "outlets": story_outlets(story),
        "weakest_link": weakest_link(story),
    }


def story_detail(story: StoryRecord) -> dict[str, object]:
    """A story with its members (relation, similarity) and the lineage stated in the texts."""
    return {
        **story_summary(story),
        "members": [{**asdict(member), "link": member_link(member)} for member in story.members],
        "lineage": [asdict(edge) for edge in story.lineage],
    }
