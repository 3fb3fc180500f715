"""A syndication set built at test time from ../shared bodies: every copy lands with its original as origin."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from conftest import shared_path
from newstrace.corpus import StoryIndex, TermStatistics, content_words, doc_from_article
from newstrace.model import Article, Document
from newstrace.pipeline import Pipeline

CLEAN_AND_EMBED = Pipeline(("clean", "lede_vector"))  # what story assignment reads of a stored article
SEED = 14
OUTLETS = ("Daily Ledger", "Northern Wire Blog", "Morning Aggregator", "The Citizen Post")
FOOTERS = (
    "Share this:\nFacebook\nTwitter\n\nLeave a Reply",
    "Copyright © 2016 {outlet}. All rights reserved.",
    "Post a Comment\n\nPrevious Post Next Post",
)


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.replace("\r", "").split("\n") if p.strip()]


def _title(paragraphs: list[str]) -> str:
    """A headline made of the lead's first words, title-cased as sites write them."""
    words = [word.strip(",.;:\"'“”") for word in paragraphs[0].split()[:7]]
    return " ".join(word[:1].upper() + word[1:] for word in words if word)


def _copy(paragraphs: list[str], title: str, rng: random.Random, variant: int) -> str:
    """One blog or aggregator copy: each variant mixes the edits those sites make."""
    outlet = OUTLETS[variant % len(OUTLETS)]
    body = list(paragraphs)
    if variant % 3 == 0 and len(body) > 3:
        body = body[:-1]  # the last paragraph trimmed
    if variant % 3 == 1 and len(body) > 3:
        body[-1], body[-2] = body[-2], body[-1]  # the last two paragraphs reordered
    if variant % 2 == 0:
        body = [p.replace('"', "“", 1).replace('"', "”", 1).replace("'", "’") for p in body]
    city = rng.choice(("LONDON", "WASHINGTON", "MOSCOW", "NEW YORK"))
    body[0] = f"{city} ({outlet}) - {body[0]}"
    lines = [title, "", title, ""] if variant % 2 else [title, ""]
    footer = FOOTERS[variant % len(FOOTERS)].format(outlet=outlet)
    return "\n".join(lines) + "\n\n".join(body) + "\n\n" + footer + "\n"


def _clean(raw: str, source: str, published: str | None) -> Article:
    # Each copy sits at its own address: the same cleaned text on two sites is two articles.
    url = f"https://example.org/{source}"
    document = Document(
        source=source, raw=raw, media_type="text/plain", source_hash=source, url=url, published=published
    )
    article = CLEAN_AND_EMBED.process(document)
    assert isinstance(article, Article), article
    assert article.provenance_errors() == []
    return article


def _shared_bodies() -> tuple[list[str], list[str]]:
    fnc = shared_path("eval", "fnc1", "train_bodies.csv")
    aeb = shared_path("eval", "aeb", "ground-truth.json")
    with fnc.open(encoding="utf-8", newline="") as handle:
        bodies = [row["articleBody"] for row in csv.DictReader(handle)]
    pages = [item["articleBody"] for item in json.loads(Path(aeb).read_text(encoding="utf-8")).values()]
    return bodies, pages


def _usable(body: str) -> bool:
    """A body with four paragraphs or more, 150 words, and a lead paragraph longer than a title."""
    paragraphs = _paragraphs(body)
    return len(paragraphs) >= 4 and len(body.split()) >= 150 and len(paragraphs[0].split()) >= 20


def _originals(bodies: list[str], pages: list[str]) -> list[str]:
    """Bodies of 30 FNC-1 gold stories (one body each) and 30 AEB pages, chosen with a fixed seed."""
    rng = random.Random(SEED)
    usable = [b for b in bodies if _usable(b)]
    chosen_fnc: list[str] = []
    seen_leads: set[str] = set()
    for body in rng.sample(usable, len(usable)):
        lead = " ".join(body.split()[:12])
        if lead not in seen_leads:  # FNC-1 holds some bodies twice: an original must be one article
            seen_leads.add(lead)
            chosen_fnc.append(body)
        if len(chosen_fnc) == 30:
            break
    usable_pages = [p for p in pages if _usable(p)]
    return chosen_fnc + rng.sample(usable_pages, 30)


@pytest.mark.slow
def test_every_copy_lands_with_its_original_as_origin() -> None:
    rng = random.Random(SEED)
    bodies, pages = _shared_bodies()
    originals = _originals(bodies, pages)
    articles: list[tuple[Article, int]] = []  # (article, index of its original)
    for n, body in enumerate(originals):
        paragraphs = _paragraphs(body)
        title = _title(paragraphs)
        dated = n % 2 == 0  # half the groups dated (earliest wins), half undated (most complete wins)
        articles.append(
            (_clean(title + "\n\n" + "\n\n".join(paragraphs), f"orig-{n}", "2016-03-01" if dated else None), n)
        )
        for variant in range(rng.randint(1, 3)):
            published = f"2016-03-0{2 + variant}" if dated else None
            raw = _copy(paragraphs, title, rng, rng.randrange(6) + variant)
            articles.append((_clean(raw, f"copy-{n}-{variant}", published), n))
    rng.shuffle(articles)  # copies often arrive before the original
    # Word statistics as a store holding these outlets' other articles would have them.
    statistics = TermStatistics()
    for text in bodies + pages:
        statistics.add(content_words(text))
    index = StoryIndex(statistics=statistics)
    for article, _ in articles:
        index.add(doc_from_article(article))

    original_ids = {n: article.id for article, n in articles if article.source.startswith("orig-")}
    copies = [(article, n) for article, n in articles if article.source.startswith("copy-")]
    assert len(copies) >= 100
    for article, n in copies:
        story = index.story(index.story_of(article.id))
        assert story.id == index.story_of(original_ids[n]), f"{article.source} is not in its original's story"
        member = next(m for m in story.members if m.article_id == article.id)
        assert member.relation in ("copy", "syndicated"), (article.source, member)
        assert member.copy_of == original_ids[n], f"{article.source}: its origin is not its original"
    for n, original in original_ids.items():
        story = index.story(index.story_of(original))
        member = next(m for m in story.members if m.article_id == original)
        # No original is another's copy: two originals never share a copy group.
        assert member.copy_of is None, f"orig-{n} was taken for a copy of {member.copy_of}"
        assert member.relation in ("origin", "same story")
