"""An article as schema.org JSON-LD: the NewsArticle, its statements as Quotation, its headline verdict as ClaimReview.

Every node has an ``@id``: the article's URL where it has one, else ``urn:newstrace:article:<id>``; entities
are ``urn:newstrace:entity:<key>`` (the content-derived key the store uses), so one person is one node across
articles; statements and the headline check hang off the article's id with a fragment.
"""

from __future__ import annotations

import re
from typing import Any

from newstrace.model import Article, Entity, statements_of
from newstrace.store.rows import entity_key

__all__ = ["CONTEXT", "article_graph"]

CONTEXT = "https://schema.org"
NEWSTRACE = {"@id": "urn:newstrace:software", "@type": "SoftwareApplication", "name": "newstrace"}

# An author line that names a desk, an agency or a paper rather than a person.
_ORGANISATION_WORDS = re.compile(
    r"\b(news|press|agency|agencies|staff|desk|editorial|editors|media|times|post|herald|gazette|tribune|journal|"
    r"reuters|associated|afp|bbc|cnn|bureau|service|wire|team|online|digital|daily|group|inc|ltd|llc)\b",
    re.IGNORECASE,
)


_STANCE_SAYS = {
    "agree": "the body agrees with the headline",
    "disagree": "the body disagrees with the headline",
    "discuss": "the body discusses the headline without taking a side",
    "unrelated": "the body is unrelated to the headline",
}


def _article_id(article: Article) -> str:
    return article.url or f"urn:newstrace:article:{article.id}"


def _entity_node(entity: Entity) -> dict[str, Any]:
    kind = "Person" if entity.label == "PERSON" else "Place" if entity.label in ("GPE", "LOC") else "Organization"
    node: dict[str, Any] = {"@id": f"urn:newstrace:entity:{entity_key(entity.label, entity.name)}", "@type": kind}
    node["name"] = entity.name
    if entity.aliases:
        node["alternateName"] = entity.aliases
    if entity.roles and kind == "Person":
        node["jobTitle"] = entity.roles[0]
    return node


def _author_node(name: str, article: Article) -> dict[str, Any]:
    """Person or Organization: an entity of the article with this name decides, else the words of the name."""
    for entity in article.entities_index:
        if entity.name.casefold() == name.casefold() and entity.label in ("PERSON", "ORG"):
            return _entity_node(entity)
    is_organisation = bool(_ORGANISATION_WORDS.search(name)) or (article.site or "").casefold() == name.casefold()
    label = "ORG" if is_organisation else "PERSON"
    return {
        "@id": f"urn:newstrace:entity:{entity_key(label, name)}",
        "@type": "Organization" if is_organisation else "Person",
        "name": name,
    }


def article_graph(article: Article) -> list[dict[str, Any]]:
    """The nodes for one article: the NewsArticle, then a Quotation per statement and a ClaimReview of the headline."""
    article_id = _article_id(article)
    entities = {entity.id: entity for entity in article.entities_index}
    news: dict[str, Any] = {
        "@id": article_id,
        "@type": "NewsArticle",
        "identifier": article.id,
        "headline": article.headline,
        "articleBody": article.text,
        "url": article.url,
        "datePublished": article.published,
        "dateline": article.dateline,
        "inLanguage": article.language,
        "author": [_author_node(name, article) for name in article.authors] or None,
        "publisher": (
            {"@id": f"urn:newstrace:site:{article.site.casefold()}", "@type": "Organization", "name": article.site}
            if article.site
            else None
        ),
        "wordCount": len(article.text.split()),
        "mentions": [_entity_node(entity) for entity in article.entities_index] or None,
    }
    nodes = [{key: value for key, value in news.items() if value is not None}]
    for number, statement in enumerate(statements_of(article.quotes)):  # pieces around their cue are one
        quote = statement.quote
        quotation: dict[str, Any] = {
            "@id": f"{article_id}#statement-{number}",
            "@type": "Quotation",
            "text": statement.text,
            "isPartOf": {"@id": article_id},
            "dateCreated": quote.date,
            "additionalType": quote.kind,
        }
        speaker = quote.speaker
        entity = entities.get(speaker.entity_id or "") if speaker else None
        if entity is not None:
            who = _entity_node(entity)
            quotation["creator"] = quotation["spokenByCharacter"] = {"@id": who["@id"]}
        elif speaker is not None and (speaker.name or speaker.mention):
            name = speaker.name or (speaker.mention.text if speaker.mention else "")
            node = {"@id": f"urn:newstrace:entity:{entity_key('PERSON', name)}", "@type": "Person", "name": name}
            quotation["creator"] = quotation["spokenByCharacter"] = node
        nodes.append({key: value for key, value in quotation.items() if value is not None})
    check = article.headline_check
    if check is not None and article.headline:
        verdict = "misleading" if check.misleading else check.stance
        review: dict[str, Any] = {
            "@id": f"{article_id}#headline-check",
            "@type": "ClaimReview",
            "claimReviewed": article.headline,
            "itemReviewed": {
                "@id": f"{article_id}#headline",
                "@type": "Claim",
                "text": article.headline,
                "appearance": {"@id": article_id},
            },
            "reviewRating": {
                "@id": f"{article_id}#headline-rating",
                "@type": "Rating",
                "alternateName": verdict,
                "ratingExplanation": check.explanation or check.reason or _STANCE_SAYS.get(check.stance, check.stance),
            },
            "author": NEWSTRACE,
            "reviewBody": " ".join(evidence.span.text for evidence in check.evidence) or None,
        }
        nodes.append({key: value for key, value in review.items() if value is not None})
    return nodes
