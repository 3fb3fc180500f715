"""Sixty real pages (the first 60 of ../shared/eval/aeb, by name) in one store, as a new user makes it: one entity per
country, no demonym or currency organisation, and every speaker a person, organisation, group, role or pronoun under a
name a name can be (issue #27). Slow: the store takes about a minute to build."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from conftest import shared_path
from newstrace.cli import app
from newstrace.lexicon import CURRENCY_NAMES, DEMONYMS, ORGANISATION_NOUNS, PEOPLE_NOUNS, PERSON_NOUN_ENDINGS
from newstrace.model import name_slug
from newstrace.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def aeb60(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The store of the sixty pages, ingested through the CLI."""
    pages = sorted(shared_path("eval", "aeb", "html").iterdir())[:60]
    folder = tmp_path_factory.mktemp("aeb60")
    for page in pages:
        (folder / page.name).write_bytes(page.read_bytes())
    db = str(tmp_path_factory.mktemp("store") / "aeb60.db")
    ingested = CliRunner().invoke(app, ["ingest", str(folder), "--db", db, "--workers", "1"])
    assert ingested.exit_code == 0, ingested.output
    yield db


_US = {"US", "U.S.", "United States", "USA", "U.S.A.", "America"}


def test_a_store_of_sixty_pages_has_one_united_states_and_no_demonym_or_currency_organisations(aeb60: str) -> None:
    listed = CliRunner().invoke(app, ["entities", "--db", aeb60, "--json"])
    assert listed.exit_code == 0, listed.output
    entities = [json.loads(line) for line in listed.stdout.splitlines() if line.strip()]
    united_states = [e for e in entities if e["name"] in _US or set(e["aliases"]) & _US]
    assert len(united_states) == 1 and united_states[0]["name"] == "United States", united_states
    assert {"US", "U.S."} <= set(united_states[0]["aliases"])
    wrong = [
        (e["name"], e["label"])
        for e in entities
        if e["label"] in ("ORG", "PERSON") and (e["name"] in DEMONYMS or e["name"].lower() in CURRENCY_NAMES)
    ]
    assert wrong == []
    # The id is the slug of the name first seen: the shown name, or a Russian one a Latin name took over from.
    assert all(e["id"].split(":", 1)[1] in {name_slug(n) for n in [e["name"], *e["aliases"]]} for e in entities)


# Characters a name has: letters, digits, spaces and the marks inside names (O'Brien, Smith-Jones, Dr., AT&T), and a
# bracketed gloss at its end ("Belarus (government)").
_NAME = re.compile(r"[\w][\w .'’&,/-]*(?: \([\w .'’-]+\))?")
_SPEAKER_RULES = {"named", "pronoun", "description", "organisation", "continuation", "unnamed", "record", "unresolved"}


def _can_name_someone(name: str) -> bool:
    """An unnamed source's words name a person, group, role or organisation: a capitalised name, or a person, group or
    organisation noun among them ("officials", "a company spokesperson", "people familiar with the talks")."""
    if name[:1].isupper() and name.split()[-1].lower() not in {"report", "reports", "video", "state"}:
        return True
    for word in re.findall(r"[a-z]+", name.lower()):
        forms = {word, word[:-1], word[:-2], word.removesuffix("ies") + "y"}
        if any(f in PEOPLE_NOUNS or f in ORGANISATION_NOUNS or f.endswith(PERSON_NOUN_ENDINGS) for f in forms):
            return True
    return False


def test_every_speaker_on_sixty_pages_is_someone_under_a_name_a_name_can_be(aeb60: str) -> None:
    with Store(aeb60) as store:
        hits = store.statements(limit=100_000)
    assert len(hits) > 300
    speakers = [hit.quote.speaker for hit in hits if hit.quote.speaker is not None]
    rules = {(speaker.rule or "").split(":")[-1] for speaker in speakers}
    assert rules <= _SPEAKER_RULES, rules - _SPEAKER_RULES
    names = sorted({speaker.name for speaker in speakers if speaker.name})
    assert [name for name in names if not _NAME.fullmatch(name)] == []
    unnamed = sorted({s.name for s in speakers if s.name and (s.rule or "").endswith("unnamed")})
    assert [name for name in unnamed if not _can_name_someone(name)] == []
    # The fragments the issue found are gone.
    assert not {"Hosting Cook", "Kristi NoemKristi", "video", "Another", "state"} & set(names)
