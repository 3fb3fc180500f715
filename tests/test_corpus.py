"""Across articles: lineage, copies and stories, identities, a speaker's timeline, on inputs written here."""

from __future__ import annotations

import importlib
import random
from pathlib import Path

import numpy as np
import pytest

from newstrace.corpus import StoryDoc, StoryIndex, StorySettings, find_lineage
from newstrace.corpus._text import name_key, normalise
from newstrace.corpus.identity import EntityRecord, resolve_identities
from newstrace.corpus.timeline import StatementRecord, date_order, speaker_matches, timeline
from newstrace.embed import pack
from newstrace.evaluate.stories import bcubed, pairwise
from newstrace.model import Article, Entity, Span

HARBOUR = (
    "Fisheries Commissioner Elena Marsh said the new joint patrol of the three coastal provinces would begin in "
    "April, with twelve vessels from Port Aven, Gullwick and Saltmere sharing fuel depots and radio channels. "
    "The commissioner rejected reports that a seasonal fishing ban was being prepared for the northern banks. "
    "Trawler crews in Gullwick welcomed the plan but asked who would pay for the extra fuel and the radio sets. "
    "Marsh said the provinces would split the cost according to the length of coastline each one patrols."
)
VOLCANO = (
    "The Mount Hekla observatory raised its alert level after a swarm of two hundred small earthquakes shook the "
    "valley overnight, and geologists flew over the crater to measure gas emissions from the new vents. "
    "Farmers in the valley were told to keep livestock indoors while ash samples are analysed in Reykjavik. "
    "Volcanologist Anna Berg said magma was rising slowly and an eruption within weeks could not be ruled out."
)
PATROL_FOLLOW_UP = (
    "Crews from Gullwick and Saltmere began the joint coastal patrol on Monday, three weeks after Fisheries "
    "Commissioner Elena Marsh announced it. Twelve vessels now share fuel depots at Port Aven and a common radio "
    "channel, and the provinces split the fuel cost by the length of coastline each one patrols. "
    "Marsh repeated that no seasonal fishing ban was being prepared for the northern banks."
)


# The join as words alone made it, before evidence of one event was asked for: what the split check is there for
# (a claim joined to another about the same subject, through a story large enough to corroborate it).
WORDS_JOIN = StorySettings(strong_words=0.1, undated_words=0.1, undated_vector=-1.0, unlike_vector=-1.0)


def _article(text: str, article_id: str = "a1") -> Article:
    return Article(id=article_id, source="test", source_hash="h", media_type="text/plain", text=text)


def _background(index: StoryIndex) -> None:
    """Unrelated articles, so that word statistics tell common words from distinctive ones."""
    topics = (
        "The city council approved the budget for new school buildings and road repairs next year.",
        "The football club signed a young striker from a rival team for a record transfer fee.",
        "Shares in the technology company fell after it reported lower profits for the quarter.",
        "Heavy rain flooded roads in the capital and the weather service warned of more storms.",
        "The museum opened an exhibition of paintings lent by collectors from across the country.",
    )
    for i, text in enumerate(topics):
        index.add(StoryDoc(f"bg{i}", text))


def test_lineage_reads_credits_with_their_evidence_spans() -> None:
    text = (
        "MOSCOW (AP) — Officials met on Friday. The report came via RIA Novosti. Reuters reported that talks "
        "ended, according to TASS. Residents reported a loud boom, according to officials. Speaking to the Harbour "
        "Gazette, the mayor said the port would reopen, as first reported by the Coastal Times."
    )
    edges = find_lineage(_article(text))
    # The Harbour Gazette is whom the mayor spoke to: the channel of a quotation is no credit for the text.
    assert [(e.source, e.cue) for e in edges] == [
        ("AP", "dateline credit"),
        ("RIA Novosti", "via"),
        ("Reuters", "reported"),
        ("TASS", "according to"),
        ("Coastal Times", "reported by"),
    ]
    for edge in edges:
        assert text[edge.evidence.start : edge.evidence.end] == edge.evidence.text
    assert edges[2].evidence.text == "Reuters reported"


def test_a_copy_joins_its_original_and_an_unrelated_article_opens_a_story() -> None:
    index = StoryIndex()
    _background(index)
    first = index.add(StoryDoc("wire", HARBOUR, headline="Joint patrol plan", published="2026-03-03", site="wire"))
    copy = index.add(
        StoryDoc("blog", "PORT AVEN (Northwire) - " + HARBOUR.replace("said", "says"), published="2026-03-04")
    )
    other = index.add(StoryDoc("volcano", VOLCANO, published="2026-03-04"))
    assert first.opened and not copy.opened and other.opened
    assert copy.story_id == first.story_id == "wire"
    assert copy.relation in ("copy", "syndicated") and copy.copy_of == "wire"
    assert other.story_id == "volcano"
    story = index.story("wire")
    assert story.origin_id == "wire" and story.title == "Joint patrol plan"
    assert (story.first_seen, story.last_seen) == ("2026-03-03", "2026-03-04")
    assert (story.members[0].article_id, story.members[0].relation) == ("wire", "origin")


def test_copies_join_without_scoring_stories_and_stay_out_of_the_posting_lists() -> None:
    index = StoryIndex()
    _background(index)
    index.add(StoryDoc("wire", HARBOUR, published="2026-03-03"))
    copies = [
        index.add(StoryDoc(f"copy{n}", HARBOUR + f" Posted by reader {n}.", published="2026-03-04")) for n in range(3)
    ]
    # Each copy compares only the earlier copies of the page (MinHash LSH), never the postings' candidates.
    assert [c.candidates for c in copies] == [1, 2, 3]
    assert {c.story_id for c in copies} == {"wire"}
    listed = {index._state._entries[entry].doc.id for posting in index._state._postings.values() for entry in posting}
    assert "wire" in listed and not listed & {"copy0", "copy1", "copy2"}
    follow_up = index.add(StoryDoc("follow", PATROL_FOLLOW_UP, published="2026-03-05"))
    assert follow_up.story_id == "wire" and follow_up.relation == "same story"


def test_a_stories_similarities_gathered_by_numpy_equal_the_similarity_of_each_pair() -> None:
    index = StoryIndex()
    _background(index)
    for n, text in enumerate((*KNEE_SURGERY, *DREDGING_BAN, HARBOUR)):
        index.add(StoryDoc(f"a{n}", text, headline=text[:40]))
    members = list(range(len(index)))
    for entry in index._state._entries[-4:]:
        gathered = index._similarities(entry, members)
        each = [index._similarity(entry.vector, entry.lede, index._state._entries[m]) for m in members]
        assert gathered.tolist() == pytest.approx(each, rel=1e-12, abs=1e-15)


def test_normalise_makes_every_quote_mark_plain() -> None:
    assert normalise("“A” „b“ «c» ‘d’ ‚e‘ 5′ Kyiv’s") == "\"a\" \"b\" \"c\" 'd' 'e' 5' kyiv's"


def test_a_follow_up_joins_as_the_same_story_and_the_earliest_is_the_origin() -> None:
    index = StoryIndex()
    _background(index)
    index.add(StoryDoc("late", PATROL_FOLLOW_UP, published="2026-03-24"))
    joined = index.add(StoryDoc("early", HARBOUR, published="2026-03-03"))
    assert joined.relation == "same story" and joined.similarity > 0.125
    # The story is its origin's: id, title and first seen are the earlier article's, whichever came in first.
    story = index.story("late")
    assert joined.story_id == story.id == story.origin_id == "early" and index.story_of("late") == "early"
    assert (story.first_seen, story.last_seen) == ("2026-03-03", "2026-03-24")
    # The article that opened the story shows its similarity to the origin, not the 1.0 of opening it.
    late = next(m for m in story.members if m.article_id == "late")
    assert late.relation == "same story" and late.similarity == joined.similarity < 1.0


def test_articles_outside_the_time_window_never_share_a_story() -> None:
    index = StoryIndex(StorySettings(window_days=7))
    _background(index)
    index.add(StoryDoc("march", HARBOUR, published="2026-03-03"))
    later = index.add(StoryDoc("june", HARBOUR + " It was repeated.", published="2026-06-03"))
    assert later.opened


def test_an_undated_copy_group_takes_the_most_complete_member_as_origin() -> None:
    index = StoryIndex()
    _background(index)
    paragraphs = HARBOUR.split(". ")
    trimmed = ". ".join(paragraphs[:-1]) + "."
    index.add(StoryDoc("trimmed", trimmed))
    index.add(StoryDoc("full", HARBOUR))
    story = index.story(index.story_of("full"))
    assert story.origin_id == "full"
    assert {m.article_id: m.copy_of for m in story.members} == {"trimmed": "full", "full": None}


CALLOWAY = "Governor Ruth Calloway of Marren province"
KNEE_SURGERY = (
    f"{CALLOWAY} is recovering in hospital after knee surgery, her office said, and aides expect her back at work "
    "within two weeks.",
    f"Doctors operated on the injured knee of {CALLOWAY} on Friday; the hospital said the surgery went well and she "
    "is recovering.",
    f"{CALLOWAY} will stay in hospital for a week after surgery on her knee, which she hurt in a fall while hiking, "
    "aides said.",
    f"Aides to {CALLOWAY} said the knee she injured while hiking needed surgery and she will spend a week in hospital.",
    f"The hospital treating {CALLOWAY} said her knee surgery was a success and she should be recovering at home soon.",
    f"{CALLOWAY} thanked the hospital staff after her knee surgery and said she was recovering faster than expected.",
)
DREDGING_BAN = (
    f"{CALLOWAY} banned dredging on the Tallow river, saying the sand pits were destroying salmon spawning grounds "
    "downstream.",
    f"Dredging companies will appeal the ban {CALLOWAY} imposed on the Tallow river to protect salmon spawning "
    "grounds.",
    f"Fishermen welcomed the dredging ban on the Tallow river ordered by {CALLOWAY}, hoping the salmon will return to "
    "spawn.",
)


def _ledes(cosine: float) -> tuple[str, str]:
    """Two packed lede vectors at this cosine."""
    first = np.eye(384, dtype=np.float32)[0]
    second = cosine * first + np.sqrt(1.0 - cosine**2) * np.eye(384, dtype=np.float32)[1]
    return pack(first), pack(second)


def _joined(first: StoryDoc, second: StoryDoc) -> bool:
    index = StoryIndex()
    _background(index)
    index.add(first)
    return not index.add(second).opened


def test_two_claims_about_one_person_join_only_when_their_ledes_agree() -> None:
    """Words 0.25 alike (one governor, her knee and her dredging ban): the ledes decide, and without them, no join."""
    for cosine, joined in ((0.9, True), (0.4, False)):
        mine, theirs = _ledes(cosine)
        first = StoryDoc("knee", KNEE_SURGERY[0], published="2026-05-03", lede_vector=mine)
        assert _joined(first, StoryDoc("ban", DREDGING_BAN[0], published="2026-05-04", lede_vector=theirs)) is joined
    first = StoryDoc("knee", KNEE_SURGERY[0], published="2026-05-03")
    assert not _joined(first, StoryDoc("ban", DREDGING_BAN[0], published="2026-05-04"))


def test_many_shared_words_join_dated_pages_unless_their_ledes_are_unlike() -> None:
    for cosine, joined in ((0.4, True), (0.1, False)):
        mine, theirs = _ledes(cosine)
        first = StoryDoc("patrol", HARBOUR, published="2026-05-01", lede_vector=mine)
        follow_up = StoryDoc("follow-up", PATROL_FOLLOW_UP, published="2026-05-20", lede_vector=theirs)
        assert _joined(first, follow_up) is joined


def test_an_undated_page_joins_a_dated_one_only_when_their_ledes_agree() -> None:
    """Words 0.67 alike: enough between dated pages, never alone where one page has no date."""
    for cosine, joined in ((0.9, True), (0.4, False)):
        mine, theirs = _ledes(cosine)
        first = StoryDoc("patrol", HARBOUR, published="2026-05-01", lede_vector=mine)
        assert _joined(first, StoryDoc("follow-up", PATROL_FOLLOW_UP, lede_vector=theirs)) is joined
    # Two bare texts (no date either): their words and ledes both alike, at the looser levels bare texts are held to.
    mine, theirs = _ledes(0.4)
    assert _joined(
        StoryDoc("patrol", HARBOUR, lede_vector=mine), StoryDoc("follow-up", PATROL_FOLLOW_UP, lede_vector=theirs)
    )


def test_the_window_reads_the_date_a_text_gives_where_none_is_published() -> None:
    mine, theirs = _ledes(0.9)
    first = StoryDoc("patrol", HARBOUR, published="2026-05-01", lede_vector=mine)
    for text_date, joined in (("2026-05-20", True), ("2024-01-10", False)):
        follow_up = StoryDoc("follow-up", PATROL_FOLLOW_UP, lede_vector=theirs, text_date=text_date)
        assert _joined(first, follow_up) is joined


def test_a_story_joining_two_claims_about_one_person_splits_and_keeps_copies_together() -> None:
    index = StoryIndex(WORDS_JOIN)
    _background(index)
    for n, text in enumerate(KNEE_SURGERY[:3]):
        index.add(StoryDoc(f"knee{n}", text))
    # Joined on words alone, the first dredging article is close enough to the governor's story: two claims in one.
    joined = index.add(StoryDoc("ban0", DREDGING_BAN[0], published="2026-05-04"))
    assert not joined.opened and joined.story_id == index.story_of("knee0") == "ban0"  # the one published: the origin
    copy = index.add(StoryDoc("ban0-copy", "TALLOW FALLS (Rivernews) - " + DREDGING_BAN[0], published="2026-05-05"))
    assert copy.relation == "copy"
    # The sixth member lets the story see its two groups: the dredging part leaves, the copy with its original.
    assert index.add(StoryDoc("ban1", DREDGING_BAN[1])).story_id == "ban0"
    index.add(StoryDoc("ban2", DREDGING_BAN[2]))
    labels = index.labels()
    assert {labels[f"knee{n}"] for n in range(3)} == {"knee0"}
    assert {labels[a] for a in ("ban0", "ban0-copy", "ban1", "ban2")} == {"ban0"}
    story = index.story("ban0")
    assert story.origin_id == "ban0"
    assert {m.article_id: m.copy_of for m in story.members}["ban0-copy"] == "ban0"


def test_an_index_rebuilt_from_the_same_docs_splits_and_finds_origins_as_the_live_one() -> None:
    live = StoryIndex(WORDS_JOIN)
    _background(live)
    for n, text in enumerate(KNEE_SURGERY[:3]):
        live.add(StoryDoc(f"knee{n}", text))
    live.add(StoryDoc("ban0", DREDGING_BAN[0]))
    # An undated copy group: its origin is chosen from the texts, which the rebuilt index must hold as well.
    live.add(StoryDoc("ban0-copy", "TALLOW FALLS (Rivernews) - " + DREDGING_BAN[0] + " Share this post.", removed=2))
    docs = [live._state._entries[live._state._by_id[article_id]].doc for article_id in live.labels()]
    rebuilt = StoryIndex.rebuild(docs, WORDS_JOIN)
    assert rebuilt.labels() == live.labels() and rebuilt.story("knee0") == live.story("knee0")
    assert live.labels()["ban0"] == "knee0"  # joined, so that the split below has two claims to part
    assert rebuilt.take_changed() == []  # what the replayed adds changed was stored when they were first added
    live.take_changed()  # a store took these when it wrote them
    # The split the next articles cause happens in both.
    for n in (1, 2):
        assert rebuilt.add(StoryDoc(f"ban{n}", DREDGING_BAN[n])) == live.add(StoryDoc(f"ban{n}", DREDGING_BAN[n]))
    assert rebuilt.labels() == live.labels() and rebuilt.labels()["ban2"] == "ban0"
    assert rebuilt.story("ban0") == live.story("ban0")
    assert {m.article_id: m.copy_of for m in rebuilt.story("ban0").members}["ban0-copy"] == "ban0"
    assert rebuilt.take_changed() == live.take_changed() != []


def test_a_story_of_one_claim_does_not_split_as_it_grows() -> None:
    index = StoryIndex()
    _background(index)
    for n, text in enumerate(KNEE_SURGERY):
        index.add(StoryDoc(f"knee{n}", text))
    assert {index.story_of(f"knee{n}") for n in range(len(KNEE_SURGERY))} == {"knee0"}


ABSENCE = (
    "The governor has not been seen in public since the harvest festival in Marren, where she left early. Her absence "
    "from the budget debate and from the flood relief ceremony fuelled rumours in the capital, and opposition deputies "
    "demanded that the provincial cabinet explain who is signing decrees in her name. Provincial newspapers printed "
    "old photographs of her at the dam opening, and a weekly magazine ran a cover asking where she had gone. The "
    "cabinet spokesman declined to comment on her schedule for the rest of the month."
)
ABSENCE_RETOLD = (
    "Opposition deputies want the provincial cabinet to say who signs decrees in her name: since leaving the Marren "
    "harvest festival early she has not appeared in public, missing the budget debate as well as the flood relief "
    "ceremony, and rumours spread in the capital. A weekly magazine asked on its cover where she went, newspapers in "
    "the province reprinted old photographs from the dam opening, and the spokesman of the cabinet would not discuss "
    "her schedule for the month."
)
SURGERY_LEDE = (
    f"{CALLOWAY} is recovering in hospital after knee surgery, her office said on Monday, adding that surgeons "
    "repaired torn ligaments and that she expects to walk with crutches within days, and that she would return to "
    "her desk once her doctors allow it, perhaps in two or three weeks from now. "
)
SURGERY_LEDE_RETOLD = (
    f"Surgeons repaired torn ligaments in the knee of {CALLOWAY}, who is recovering in hospital and should walk with "
    "crutches within days, her office said, adding that her doctors expect her back at her desk within two or three "
    "weeks, once the knee surgery has healed. "
)
DEPUTY_LEDE = (
    "Her deputy Tomas Varga has taken over the daily running of Marren province while Governor Ruth Calloway is away, "
    "two cabinet ministers said, describing a quiet transfer of the provincial seal and of the signing powers last "
    "week, which the deputy confirmed in a letter read to the provincial assembly on Monday evening. "
)


def test_the_lede_parts_two_claims_told_over_one_background() -> None:
    def joining_score(settings: StorySettings, lede: str) -> float:
        index = StoryIndex(settings)
        _background(index)
        index.add(StoryDoc("surgery", SURGERY_LEDE + ABSENCE))
        return index.add(StoryDoc("other", lede + ABSENCE_RETOLD)).similarity

    def gap(settings: StorySettings) -> float:
        """How much more the same claim scores than another claim told over the same background."""
        return joining_score(settings, SURGERY_LEDE_RETOLD) - joining_score(settings, DEPUTY_LEDE)

    # Whole texts share the background; the first lines, where each claim is stated, tell them apart.
    assert gap(StorySettings()) > gap(StorySettings(lede_weight=0.0)) + 0.04


def test_lede_vectors_part_two_claims_whose_words_are_alike_across_as_inside() -> None:
    """Two groups of ledes drawn from one vocabulary, joined on words alone: only their embeddings split them."""
    vocabulary = [
        "governor",
        "calloway",
        "marren",
        "province",
        "cabinet",
        "capital",
        "decree",
        "rumour",
        "absence",
        "festival",
        "deputy",
        "assembly",
        "budget",
        "flood",
        "relief",
        "ceremony",
        "spokesman",
        "magazine",
        "photograph",
        "dam",
        "harbour",
        "patrol",
        "river",
        "bridge",
        "tax",
        "school",
        "hospital",
        "doctor",
        "council",
        "vote",
        "seal",
        "letter",
        "minister",
        "office",
    ]
    claims = np.eye(384, dtype=np.float32)[:2]  # one direction per claim: their cosine is 0

    def stories(with_vectors: bool) -> dict[str, str]:
        draw = random.Random(1)
        index = StoryIndex(WORDS_JOIN)
        _background(index)
        for n in range(6):  # the claims alternate; the sixth article lets the story see two parts of three
            text = " ".join(draw.sample(vocabulary, 14) + [f"aside{n}x{k}" for k in range(3)]) + "."
            vector = pack(claims[n % 2]) if with_vectors else None
            index.add(StoryDoc(f"d{n}", text, lede_vector=vector))
        return {article: story for article, story in index.labels().items() if article.startswith("d")}

    assert set(stories(with_vectors=False).values()) == {"d0"}
    assert stories(with_vectors=True) == {"d0": "d0", "d2": "d0", "d4": "d0", "d1": "d1", "d3": "d1", "d5": "d1"}


def test_a_malformed_lede_vector_counts_as_none() -> None:
    index = StoryIndex()
    index.add(StoryDoc("a", HARBOUR, lede_vector="not base64 at all!"))
    index.add(StoryDoc("b", VOLCANO, lede_vector=pack(np.ones(384, dtype=np.float32) / np.sqrt(384))[:-8]))
    assert all(entry.lede_vector is None for entry in index._state._entries)


def test_adding_an_article_twice_is_refused() -> None:
    index = StoryIndex()
    index.add(StoryDoc("a", HARBOUR))
    with pytest.raises(ValueError, match="already"):
        index.add(StoryDoc("a", HARBOUR))


def test_bcubed_and_pairwise_scores() -> None:
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    predicted = {"a": "1", "b": "1", "c": "1", "d": "2"}
    scores = bcubed(gold, predicted)
    # Precision: a, b see 2/3, c 1/3, d 1; recall: a, b 1, c, d 1/2.
    assert scores["precision"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4, abs=1e-4)
    assert scores["recall"] == pytest.approx(0.75, abs=1e-4)
    pairs = pairwise(gold, predicted)
    assert (pairs["precision"], pairs["recall"]) == (pytest.approx(1 / 3, abs=1e-4), 0.5)


@pytest.mark.parametrize(
    ("a", "b"), [("Kiev", "Kyiv"), ("Zelensky", "Zelenskiy"), ("Zelenskiy", "Zelenskyy"), ("Lukashenko", "Lukashenko")]
)
def test_transliteration_variants_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def _entity(entity_id: str, name: str, label: str = "PERSON", roles: list[str] | None = None) -> Entity:
    return Entity(id=entity_id, name=name, label=label, roles=roles or [])


def test_identity_merges_spellings_and_keeps_namesakes_apart() -> None:
    records = [
        EntityRecord("a1", _entity("e1", "Volodymyr Zelensky", roles=["President"]), "2022-03-01", "wire"),
        EntityRecord("a2", _entity("e4", "Volodymyr Zelenskiy"), "2022-03-02", "blog"),
        EntityRecord("a3", _entity("e2", "Volodymyr Zelenskyy", roles=["Head of state"]), "2022-03-05", "daily"),
        EntityRecord("a1", _entity("e2", "Kiev", "GPE"), "2022-03-01", "wire"),
        EntityRecord("a3", _entity("e7", "Kyiv", "GPE"), "2022-03-05", "daily"),
        EntityRecord("a1", _entity("e3", "John Smith", roles=["Senator"]), "2022-03-01", "wire"),
        EntityRecord("a2", _entity("e5", "Mary Smith", roles=["Judge"]), "2022-03-02", "blog"),
        EntityRecord("a3", _entity("e9", "Smith"), "2022-03-05", "daily"),
        EntityRecord("a3", _entity("e8", "Berg"), "2022-03-05", "daily"),
        EntityRecord("a2", _entity("e6", "Anna Berg"), "2022-03-02", "blog"),
    ]
    entities = {e.name: e for e in resolve_identities(records)}
    zelensky = entities["Volodymyr Zelensky"]
    assert sorted(zelensky.article_ids) == ["a1", "a2", "a3"]
    assert [r.value for r in zelensky.roles] == ["President", "Head of state"]
    assert {e.rule for e in zelensky.evidence} == {"first seen", "same name up to spelling"}
    assert sorted(entities["Kiev"].article_ids) == ["a1", "a3"] and "Kyiv" in entities["Kiev"].aliases
    # Two people sharing a surname stay apart, and a lone "Smith" joins neither.
    assert entities["John Smith"].article_ids == ["a1"] and entities["Mary Smith"].article_ids == ["a2"]
    assert entities["Smith"].member_ids == ["a3/e9"]
    # A lone surname carried by exactly one full name joins it, and says why.
    berg = entities["Anna Berg"]
    assert berg.member_ids == ["a2/e6", "a3/e8"] and berg.evidence[-1].rule == "surname of one full name"


def _statement(article: str, text: str, date: str, site: str, speaker: str = "Elena Marsh") -> StatementRecord:
    body = f"Intro. {text} Outro."
    start = body.index(text)
    return StatementRecord(article, speaker, Span(start, start + len(text), text), date, site=site)


def test_timeline_puts_a_week_a_quarter_and_a_season_where_they_fall_in_time() -> None:
    statements = [
        _statement("a1", "the patrol will begin in April with twelve vessels", "2019-11-19", "a"),
        _statement("a2", "no seasonal fishing ban is being prepared this year", "2019-W46", "b"),
        _statement("a3", "the provinces will share the cost of the radio sets", "2019-Q3", "c"),
        _statement("a4", "crews in Gullwick asked who would pay for the fuel", "2019-SU", "d"),
        _statement("a5", "the commissioner rejected reports of a strike at the port", None, "e"),  # type: ignore[arg-type]
    ]
    dates = [entry.date for entry in timeline(statements, "Elena Marsh").entries]
    assert dates == ["2019-SU", "2019-Q3", "2019-W46", "2019-11-19", None]
    assert date_order("2019-W46") == "2019-11-11" and date_order("2019-W46-WE") == "2019-11-16"


def test_timeline_orders_by_date_said_and_shows_a_carried_statement_once() -> None:
    said = 'the patrol "will begin in April" with twelve vessels from the three provinces'
    statements = [
        _statement("a2", "a seasonal fishing ban is being prepared for the northern banks", "2026-03-10", "b"),
        _statement("a1", said, "2026-03-03", "wire"),
        _statement("a3", said.replace('"will', "“will").replace('April"', "April”"), "2026-03-03", "blog"),
        _statement("a4", "a seasonal fishing ban is not being prepared for the northern banks", "2026-03-12", "c"),
        _statement("a5", "the harbour is closed", "2026-03-04", "d", speaker="Anna Berg"),
    ]
    result = timeline(statements, "Marsh")
    assert [e.date for e in result.entries] == ["2026-03-03", "2026-03-10", "2026-03-12"]
    assert result.entries[0].outlets == ["wire", "blog"]
    assert len(result.contradictions) == 1 and "denies" in result.contradictions[0].reason
    assert [e.date for e in timeline(statements, "Marsh", since="2026-03-05", until="2026-03-10").entries] == [
        "2026-03-10"
    ]


def test_timeline_flags_nothing_between_statements_on_different_points() -> None:
    statements = [
        _statement("a1", "the patrol will not begin before April", "2026-03-03", "wire"),
        _statement("a2", "the fuel cost will be split by coastline length", "2026-03-04", "blog"),
    ]
    assert timeline(statements, "Elena Marsh").contradictions == []


def test_speaker_matching_by_name_words() -> None:
    assert speaker_matches("Galuzin", "Mikhail Galuzin")
    assert speaker_matches("Zelenskiy", "Volodymyr Zelensky")
    assert not speaker_matches("John Smith", "Mary Smith")


def test_speaker_matching_keyed_once_answers_as_keying_every_word_each_time() -> None:
    # The keys of a spelling are cached; the answers are those of keying each word on every call, as before.
    def keyed_each_time(query: str, name: str) -> bool:
        wanted = [name_key(word) for word in query.split() if name_key(word)]
        have = {name_key(word) for word in name.split()}
        return bool(wanted) and all(word in have for word in wanted)

    spellings = ["Galuzin", "Mikhail Galuzin", "Zelenskiy", "Volodymyr Zelensky", "Зеленский", "Kyiv", "Kiev", ""]
    spellings += [" ", "—", "Tim — Cook", "Tim Cook", "Cook", "O'Neil/AC", "o'neil", "Łukaszenka", "Lukashenko", "42"]
    for _ in range(2):  # the second round from the cache
        for query in spellings:
            for name in spellings:
                assert speaker_matches(query, name) is keyed_each_time(query, name), (query, name)


def test_evaluate_stories_command_on_a_small_fnc_file(tmp_path: Path) -> None:
    import csv
    import json

    from typer.testing import CliRunner

    from newstrace.cli import app

    bodies = tmp_path / "bodies.csv"
    stances = tmp_path / "stances.csv"
    with bodies.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Body ID", "articleBody"])
        writer.writerows([["1", HARBOUR], ["2", PATROL_FOLLOW_UP], ["3", VOLCANO]])
    with stances.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Headline", "Body ID", "Stance"])
        pairs = (("1", "discuss"), ("2", "agree"), ("3", "unrelated"))
        writer.writerows([["Patrol plan", body, stance] for body, stance in pairs])
    result = CliRunner().invoke(app, ["evaluate", "stories", str(stances), str(bodies), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    scores = report["systems"]["newstrace"]["all"]
    assert (scores["bodies"], scores["gold_stories"]) == (3, 2)
    assert set(report["systems"]) == {"newstrace", "tfidf-average-link-0.8"}
    missing = CliRunner().invoke(app, ["evaluate", "stories", str(tmp_path / "none.csv"), str(bodies)])
    assert missing.exit_code == 2


def test_the_corpus_surface_is_pinned() -> None:
    import newstrace.corpus

    assert sorted(newstrace.corpus.__all__) == sorted(
        [
            "Assignment", "Contradiction", "CorpusEntity", "EntityRecord", "IdentityIndex", "LineageEdge",
            "MergeEvidence", "StatementRecord", "StoryDoc", "StoryIndex", "StoryMember", "StoryRecord", "StorySettings",
            "TermStatistics", "Timeline", "TimelineEntry", "doc_from_article", "find_lineage",
            "content_words", "records_from_article", "resolve_identities", "statements_from_article", "timeline",
        ]
    )  # fmt: skip


def test_timeline_finds_every_contradicting_pair_the_definition_does() -> None:
    # The indexed search must find exactly the pairs of the definition: opposite polarity, three or more shared
    # point words, and a share of them at SAME_TOPIC or more; in entry order.
    module = importlib.import_module("newstrace.corpus.timeline")
    rng = random.Random(3)
    vocabulary = ["minsk", "troops", "talks", "border", "sanctions", "gas", "grain", "treaty", "not", "denied", "never"]
    records = []
    for number in range(150):
        text = " ".join(rng.choice(vocabulary) for _ in range(7))
        day = f"2022-12-{rng.randint(1, 28):02}"
        records.append(StatementRecord(f"a{number}", "Mikhail Galuzin", Span(0, len(text), text), day, site="s"))
    result = timeline(records, "Galuzin")
    expected = []
    for i, first in enumerate(result.entries):
        for second in result.entries[i + 1 :]:
            if module._denies(first) != module._denies(second):
                shared, union = (
                    module._point(first) & module._point(second),
                    module._point(first) | module._point(second),
                )
                if len(shared) >= 3 and len(shared) / len(union) >= module.SAME_TOPIC:
                    expected.append((first.content, second.content))
    assert expected and [(c.first.content, c.second.content) for c in result.contradictions] == expected
