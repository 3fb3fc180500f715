"""IdentityIndex: corpus identities kept as records are added equal resolve_identities over every record, always."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import asdict

import pytest

from newstrace.corpus import CorpusEntity, IdentityIndex, resolve_identities
from newstrace.corpus.identity import EntityRecord
from newstrace.model import Entity
from newstrace.service import CorpusService
from newstrace.store import Store
from test_store import _postgres_store, annotated

# Spelling variants (Zelensky/Zelenskiy), shared surnames (three Smiths), honorifics, lone surnames, names whose
# slugs collide across kinds of entity ("John-Smith" alone, "John Smith") or with a numbered id ("John Smith-2"),
# and one name as a person, an organisation and a place.
_PEOPLE = [
    "Volodymyr Zelensky",
    "Volodymyr Zelenskiy",
    "Volodymyr Zelenskyy",
    "Zelensky",
    "Zelenskyy",
    "President Zelensky",
    "John Smith",
    "Mr. John Smith",
    "John Smith-2",
    "John-Smith",
    "Jane Smith",
    "Anna Smith",
    "Smith",
    "Dr. Smith",
    "Tim Cook",
    "Cook",
    "Kristi Noem",
    "Noem",
    "George W. Bush",
    "George Bush",
    "Bush",
    "Washington",
    "Madonna",
]
_OTHERS = [
    ("ORG", "Apple"),
    ("ORG", "Apple Inc"),
    ("ORG", "Washington"),
    ("GPE", "Kiev"),
    ("GPE", "Kyiv"),
    ("LOC", "Kyiv"),
    ("GPE", "Washington"),
    ("NORP", "Americans"),
    ("ORG", "Smith"),
    ("FAC", "John Smith"),
]
_ROLES = ["president", "chief executive", "governor", "President", "senator"]


def _record(rng: random.Random, article: str, date: str | None, number: int) -> EntityRecord:
    """One article's entity drawn from the pools, with roles, aliases and an affiliation now and then."""
    if rng.random() < 0.65:
        label, name = "PERSON", rng.choice(_PEOPLE)
    else:
        label, name = rng.choice(_OTHERS)
    aliases = rng.sample(_PEOPLE, rng.randint(0, 2)) if rng.random() < 0.3 else []
    roles = rng.sample(_ROLES, rng.randint(0, 2))
    affiliation = rng.choice([None, None, "Apple", "Congress"])
    entity = Entity(f"e{number}", name, label, aliases, roles, affiliation)
    return EntityRecord(article, entity, date, "example.com")


def _articles(rng: random.Random, count: int) -> list[list[EntityRecord]]:
    """Articles of 0-5 entities, dated in no order (some undated, some on one day), ids colliding in their order."""
    dates = [None, "2024-01-01", "2024-01-02", "2023-12-31", "2024-03-05", "2024-01-02"]
    found = []
    for number in range(count):
        article = f"{rng.randrange(16**6):06x}{number:04d}"
        date = rng.choice(dates)
        found.append([_record(rng, article, date, n) for n in range(rng.randint(0, 5))])
    return found


def _plain(entities: list[CorpusEntity]) -> list[dict[str, object]]:
    return [asdict(entity) for entity in entities]


@pytest.mark.parametrize("seed", range(40))
def test_an_index_updated_batch_by_batch_equals_the_full_resolution_after_every_batch(seed: int) -> None:
    rng = random.Random(seed)
    articles = _articles(rng, rng.randint(5, 40))
    index = IdentityIndex()
    added: list[EntityRecord] = []
    while articles:
        batch = [record for _ in range(rng.randint(1, 4)) if articles for record in articles.pop(0)]
        index.update(batch)
        added.extend(batch)
        assert _plain(index.entities()) == _plain(resolve_identities(added))


def test_the_generated_corpora_hold_the_cases_that_decide_ids_and_merges() -> None:
    """The property above meets numbered ids, lone surnames absorbed and lone surnames kept apart."""
    seen_numbered = seen_absorbed = seen_apart = 0
    for seed in range(40):
        rng = random.Random(seed)
        records = [record for article in _articles(rng, rng.randint(5, 40)) for record in article]
        for entity in resolve_identities(records):
            seen_numbered += entity.id.endswith("-2")
            seen_absorbed += any(e.rule == "surname of one full name" for e in entity.evidence)
            seen_apart += entity.label == "PERSON" and " " not in entity.name
    assert seen_numbered and seen_absorbed and seen_apart


def test_an_earlier_record_renames_an_entity_and_moves_the_number_to_the_other() -> None:
    index = IdentityIndex()

    def record(article: str, date: str, name: str, label: str = "PERSON") -> EntityRecord:
        return EntityRecord(article, Entity("e0", name, label), date)

    first = [record("b", "2024-02-01", "John-Smith"), record("c", "2024-03-01", "John Smith")]
    index.update(first)
    assert [e.id for e in index.entities()] == ["person:john-smith", "person:john-smith-2"]
    handed_out = index.entities()
    # "John Smith" is now first seen under "Mr. John Smith": the lone "John-Smith" holds the bare slug again.
    later = [record("a", "2024-01-01", "Mr. John Smith")]
    index.update(later)
    assert [e.id for e in index.entities()] == ["person:mr-john-smith", "person:john-smith"]
    assert _plain(index.entities()) == _plain(resolve_identities(first + later))
    assert [e.id for e in handed_out] == ["person:john-smith", "person:john-smith-2"]  # never changed under a caller


def test_an_update_rebuilds_only_the_entities_its_records_name() -> None:
    index = IdentityIndex()
    surnames = [f"{a}{v}{b}{w}" for a in "BDLMR" for v in "aeo" for b in "dlmnrt" for w in "ai"]
    many = [
        EntityRecord(f"{n:04d}", Entity("e0", f"Ana {surname}", "PERSON"), "2024-01-01")
        for n, surname in enumerate(surnames)
    ]
    assert index.update(many) == len(resolve_identities(many)) == 180
    # A lone surname carried by one full name: that full name is rebuilt, no other.
    lone = [EntityRecord("9999", Entity("e0", surnames[7], "PERSON"), "2023-01-01")]
    assert index.update(lone) == 1
    assert _plain(index.entities()) == _plain(resolve_identities([*many, *lone]))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """Each backend, as test_store runs them."""
    opened = Store(memory=True) if request.param == "sqlite" else _postgres_store()
    yield opened
    opened.close()


def test_after_a_write_the_service_reads_only_the_new_articles_entities(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    speakers = ["Mikhail Galuzin", "Tim Cook", "Kristi Noem", "Anna Galuzin", "Tim Cooke"]
    store.write([annotated(number, speaker) for number, speaker in enumerate(speakers, 1)])
    service = CorpusService(store)
    read: list[tuple[int, int | None, int]] = []
    entity_records = store.entity_records

    def counted(after: int = 0, through: int | None = None) -> list[EntityRecord]:
        records = entity_records(after, through)
        read.append((after, through, len(records)))
        return records

    monkeypatch.setattr(store, "entity_records", counted)
    assert _plain(service.entities()) == _plain(_sorted(resolve_identities(entity_records())))
    assert read == [(0, 5, 10)]
    # An earlier article naming a Galuzin already seen: two entities from its two records, nothing else read.
    early = annotated(9, "Mikhail Galuzin")
    early.published = "2020-01-01"
    store.write([early])
    assert _plain(service.entities()) == _plain(_sorted(resolve_identities(entity_records())))
    assert service.entities() is not None and read[1:] == [(5, 6, 2)]
    assert service.entities_in(early.id) and len(read) == 2  # unchanged store: nothing read again


def _sorted(entities: list[CorpusEntity]) -> list[CorpusEntity]:
    """As CorpusService.entities orders them."""
    return sorted(entities, key=lambda e: (-len(e.article_ids), e.name.casefold()))
