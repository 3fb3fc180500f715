"""Russian and English across the corpus (#31): one identity per person and one story across scripts, a timeline in
both languages, and a page in another language marked as unread."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import shared_path
from newstrace.cli import app
from newstrace.corpus import EntityRecord, StoryIndex, resolve_identities
from newstrace.corpus.identity import identity_key
from newstrace.corpus.story_index import StoryDoc, fact_keys
from newstrace.model import Article, Document, Entity
from newstrace.pipeline import Pipeline
from newstrace.service import CorpusService
from newstrace.store import Store
from newstrace.web import create_app

FIXTURES = Path(__file__).parent / "fixtures"
# Written for this project: the seed's story as RIA Novosti might have told it first, in Russian.
RUSSIAN_SEED = FIXTURES / "ru_seed_ria.txt"
UKRAINIAN = (
    "Зеленський провів переговори з президентом Польщі\n\n"
    "Президент України Володимир Зеленський у суботу провів телефонну розмову з президентом Польщі Анджеєм Дудою. "
    "Сторони обговорили постачання зброї та підтримку українських біженців, повідомив Офіс президента.\n\n"
    "«Ми домовилися про наступні кроки», — сказав Зеленський журналістам у Києві.\n"
)
PIPELINE = Pipeline(("clean", "annotate"))


def _analysed(raw: str, url: str, published: str) -> Article:
    document = Document(source=url, raw=raw, media_type="text/plain", source_hash=url, url=url, published=published)
    article = PIPELINE.process(document)
    assert isinstance(article, Article), article
    return article


@pytest.mark.parametrize(
    ("russian", "english"),
    [
        ("Галузин", "Galuzin"),
        ("Лукашенко", "Lukashenko"),
        ("Зеленский", "Zelensky"),
        ("Зеленский", "Zelenskyy"),
        ("Зеленский", "Zelenskiy"),
        ("Песков", "Peskov"),
        ("Шойгу", "Shoigu"),
        ("Мария Захарова", "Maria Zakharova"),
        ("Алексей Навальный", "Alexei Navalny"),
        ("Алексей Навальный", "Aleksei Navalny"),
        ("Александр Лукашенко", "Alexander Lukashenko"),
        ("Евгений Пригожин", "Yevgeny Prigozhin"),
        ("Владимир Зеленский", "Volodymyr Zelensky"),
        ("Михаил Горбачёв", "Mikhail Gorbachev"),
        ("Россия", "Russia"),
        ("Украина", "Ukraine"),
        ("Белоруссия", "Belarus"),
        ("Беларусь", "Belarus"),
        ("Российская Федерация", "Russia"),
        ("США", "United States"),
    ],
)
def test_a_russian_name_and_its_english_spelling_share_one_key(russian: str, english: str) -> None:
    assert identity_key(russian) == identity_key(english)


@pytest.mark.parametrize(("one", "other"), [("Cox", "Cocks"), ("Year", "Ear"), ("Sky", "Skye"), ("Durex", "Dureks")])
def test_english_words_the_key_kept_apart_stay_apart(one: str, other: str) -> None:
    # The romanisation folds (x/ks, a first ye/e) apply where Russian romanisations disagree, not to these.
    assert identity_key(one) != identity_key(other)


def test_one_corpus_entity_per_person_and_country_across_scripts() -> None:
    records = [
        EntityRecord("ru", Entity("person:mikhail-galuzin", "Михаил Галузин", "PERSON"), "2022-12-24"),
        EntityRecord("ru", Entity("gpe:belorussiya", "Белоруссия", "GPE"), "2022-12-24"),
        EntityRecord("en", Entity("person:mikhail-galuzin", "Mikhail Galuzin", "PERSON"), "2022-12-25"),
        EntityRecord("en", Entity("gpe:belarus", "Belarus", "GPE"), "2022-12-25"),
        EntityRecord("by", Entity("gpe:belarus", "Беларусь", "GPE"), "2022-12-26"),
        EntityRecord("en2", Entity("person:galuzin", "Galuzin", "PERSON"), "2022-12-26"),
    ]
    found = {entity.id: sorted(entity.article_ids) for entity in resolve_identities(records)}
    assert found == {"person:mikhail-galuzin": ["en", "en2", "ru"], "place:belorussiya": ["by", "en", "ru"]}


def _doc(doc_id: str, text: str, language: str | None, published: str, facts: tuple[str, ...]) -> StoryDoc:
    return StoryDoc(doc_id, text, published=published, language=language, facts=facts)


FACTS = fact_keys(
    [("Mikhail Galuzin", "PERSON"), ("Alexander Lukashenko", "PERSON"), ("NATO", "ORG"), ("Belarus", "GPE")],
    [(9000.0, None)],
    [("DATE", "2022-10")],
)


def test_facts_join_articles_of_different_languages_only() -> None:
    russian = "Галузин заявил, что группировка войск России и Белоруссии решает только оборонительные задачи."
    english = "Galuzin said the joint force of Russia and Belarus only played a defensive role."
    other = "The minister's office published the quarterly shipping figures for the port authority on Friday."
    index = StoryIndex()
    index.add(_doc("ru", russian, "ru", "2022-12-24", FACTS))
    joined = index.add(_doc("en", english, "en", "2022-12-25", FACTS))
    assert joined.story_id == "ru" and not joined.opened  # the earlier, in Russian, is the origin
    # Two English articles naming the same facts in other words: the facts are no evidence within one language.
    english_only = StoryIndex()
    english_only.add(_doc("en-a", english, "en", "2022-12-25", FACTS))
    assert english_only.add(_doc("en-b", other, "en", "2022-12-25", FACTS)).opened
    # Articles of no known language (FNC-1's bodies) never read the facts.
    bare = StoryIndex()
    bare.add(_doc("a", russian, None, "2022-12-24", FACTS))
    assert bare.add(_doc("b", english, None, "2022-12-24", FACTS)).opened
    # Too far apart in time: another event.
    late = StoryIndex()
    late.add(_doc("ru", russian, "ru", "2022-12-24", FACTS))
    assert late.add(_doc("en", english, "en", "2023-01-20", FACTS)).opened


@pytest.fixture(scope="module")
def seed_pair() -> tuple[Article, Article]:
    """The English seed as a blog copied it a day later, and the Russian original."""
    seed = Path(shared_path("seed", "seed_article.txt")).read_text(encoding="utf-8")
    english = _analysed(seed, "https://seed-blog.example/russia-belarus", "2022-12-25")
    russian = _analysed(RUSSIAN_SEED.read_text(encoding="utf-8"), "https://ria.example/20221224/galuzin", "2022-12-24")
    assert (english.language, russian.language) == ("en", "ru")
    return english, russian


def test_the_russian_original_and_the_english_copy_share_a_story_and_their_people(
    seed_pair: tuple[Article, Article], tmp_path: Path
) -> None:
    english, russian = seed_pair
    db = tmp_path / "ru-en.db"
    with Store(db) as store:
        store.write([english])  # the copy is stored first: the earlier original still becomes the origin
        store.write([russian])
        service = CorpusService(store)
        [story] = service.stories()
        assert {m.article_id for m in story.members} == {english.id, russian.id} and story.origin_id == russian.id
        people = {e.id: set(e.article_ids) for e in service.identities() if e.label == "PERSON"}
        for person in ("person:mikhail-galuzin", "person:aleksandr-lukashenko", "person:vladimir-putin"):
            assert people[person] == {english.id, russian.id}, person
        assert len(people) == 3  # one entity per person: no second Galuzin, Lukashenko or Putin
        timeline = service.timeline("Mikhail Galuzin")
    assert {entry.language for entry in timeline.entries} == {"en", "ru"}
    # A second writer rebuilds the index from the store's rows (facts read back from its tables): same story.
    another = _analysed(RUSSIAN_SEED.read_text(encoding="utf-8"), "https://tass.example/galuzin", "2022-12-24")
    with Store(db) as store:
        store.write([another])
        [story] = CorpusService(store).stories()
        assert len(story.members) == 3 and story.origin_id == russian.id


def test_timeline_lists_what_galuzin_said_in_russian_and_in_english(
    seed_pair: tuple[Article, Article], tmp_path: Path
) -> None:
    db = tmp_path / "timeline.db"
    with Store(db) as store:
        store.write(list(seed_pair))
    result = CliRunner().invoke(app, ["timeline", "Mikhail Galuzin", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)["entries"]
    assert {entry["language"] for entry in entries} == {"en", "ru"}
    russian = [entry for entry in entries if entry["language"] == "ru"]
    assert russian, "Galuzin's Russian statements are on his timeline"
    assert all(entry["date"] == "2022-12-24" and entry["speaker"] == "Михаил Галузин" for entry in russian)
    # The statements search finds him by his name in Latin letters too (his entity's id is the romanised name).
    with Store(db) as store:
        found = {hit.quotes[0].speaker.name for hit in store.statements(speaker="Galuzin") if hit.quotes[0].speaker}
    assert found == {"Mikhail Galuzin", "Михаил Галузин"}


def test_a_ukrainian_page_stays_untouched_and_its_page_says_it_is_not_read(tmp_path: Path) -> None:
    ukrainian = _analysed(UKRAINIAN, "https://pravda.example/zelensky-duda", "2022-12-24")
    assert ukrainian.language == "uk"
    assert (ukrainian.entities_index, ukrainian.quotes, ukrainian.times, ukrainian.quantities) == ([], [], [], [])
    russian = _analysed(RUSSIAN_SEED.read_text(encoding="utf-8"), "https://ria.example/20221224/galuzin", "2022-12-24")
    with Store(tmp_path / "languages.db") as store:
        store.write([ukrainian, russian])
        with TestClient(create_app(store)) as client:
            unread = client.get(f"/ui/articles/{ukrainian.id}").text
            read = client.get(f"/ui/articles/{russian.id}").text
    assert "another language (uk)" in unread and "no pipeline for it yet" in unread
    assert "read by the Russian pipeline" in read and "no pipeline" not in read
