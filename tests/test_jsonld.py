"""The JSON-LD export: @id on every node, statements as Quotation, the verdict as ClaimReview, Person vs Organization.

Validated by expanding it with pyld; the schema.org context comes from a local document loader (no network).
"""

from __future__ import annotations

from typing import Any

from pyld import jsonld

from newstrace.export.jsonld import CONTEXT, article_graph
from test_store import annotated

SCHEMA = "https://schema.org/"


def _local_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """schema.org's context as far as this export needs it: every term in the schema.org vocabulary."""
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    context = {"@context": {"@vocab": SCHEMA}}
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": context}


def _expanded(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = jsonld.expand(
        {"@context": CONTEXT, "@graph": nodes}, {"documentLoader": _local_loader}
    )
    return result


def _walk(value: Any) -> list[dict[str, Any]]:
    """Every node object in an expanded document (value objects left out)."""
    found = []
    if isinstance(value, list):
        for item in value:
            found += _walk(item)
    elif isinstance(value, dict) and "@value" not in value:
        found.append(value)
        for key, item in value.items():
            if not key.startswith("@") or key == "@graph":
                found += _walk(item)
    return found


def test_every_node_has_an_id_and_the_types_expand_to_schema_org() -> None:
    article = annotated(1)
    article.authors = ["A. Writer", "Reuters staff"]
    nodes = _walk(_expanded(article_graph(article)))
    assert nodes and all("@id" in node for node in nodes), [n for n in nodes if "@id" not in n]
    types = {kind for node in nodes for kind in node.get("@type", [])}
    expected = {"NewsArticle", "Quotation", "ClaimReview", "Claim", "Rating", "Person", "Organization"}
    assert {SCHEMA + name for name in expected} <= types


def test_a_statement_is_a_quotation_spoken_by_its_resolved_speaker() -> None:
    article = annotated(1)
    graph = _expanded(article_graph(article))
    by_id = {node["@id"]: node for node in _walk(graph) if "@type" in node}
    (quotation,) = [n for n in by_id.values() if SCHEMA + "Quotation" in n["@type"] and SCHEMA + "creator" in n]
    speaker_id = quotation[SCHEMA + "spokenByCharacter"][0]["@id"]
    assert quotation[SCHEMA + "creator"][0]["@id"] == speaker_id
    assert by_id[speaker_id][SCHEMA + "name"][0]["@value"] == "Mikhail Galuzin"
    assert SCHEMA + "Person" in by_id[speaker_id]["@type"]
    assert quotation[SCHEMA + "text"][0]["@value"] == "Minsk will not attack."
    assert quotation[SCHEMA + "dateCreated"][0]["@value"] == "2022-12-24"
    assert quotation[SCHEMA + "isPartOf"][0]["@id"] == article.url


def test_the_headline_verdict_is_a_claim_review() -> None:
    article = annotated(1)
    nodes = {node["@id"]: node for node in _walk(_expanded(article_graph(article))) if "@type" in node}
    (review,) = [node for node in nodes.values() if SCHEMA + "ClaimReview" in node["@type"]]
    assert review[SCHEMA + "claimReviewed"][0]["@value"] == article.headline
    rating = nodes[review[SCHEMA + "reviewRating"][0]["@id"]]
    assert rating[SCHEMA + "alternateName"][0]["@value"] == "misleading"
    assert rating[SCHEMA + "ratingExplanation"][0]["@value"] == "the body denies it"


def test_authors_are_people_or_organisations() -> None:
    article = annotated(1)
    article.authors = ["Jane Doe", "Associated Press", "example.org", "Mikhail Galuzin"]
    (news, *_rest) = article_graph(article)
    kinds = {author["name"]: author["@type"] for author in news["author"]}
    assert kinds == {
        "Jane Doe": "Person",
        "Associated Press": "Organization",
        "example.org": "Organization",  # the site's own name
        "Mikhail Galuzin": "Person",  # an entity of the article
    }
