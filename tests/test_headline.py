"""The headline check: forms, claims, explicit denials, verdicts on headlines and bodies written here; the seed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from conftest import shared_path
from newstrace.assess._about import SubjectIndex
from newstrace.assess.headline import (
    HeadlineChecker,
    Reason,
    headline_attribution,
    headline_claims,
    headline_form,
    negation,
    refutation,
)
from newstrace.assess.stance import StanceModel
from newstrace.embed import LedeEncoder
from newstrace.model import Article, Document, Entity, Mention, Quote, Speaker
from newstrace.pipeline import DEFAULT_STAGES, Pipeline

CHECKER = HeadlineChecker()

HARBOUR_BODY = (
    "The port authority said on Monday that the northern harbour would stay open all winter. "
    "Officials dismissed reports that the harbour would close to fishing boats after the storm. "
    '"It is false to say that the harbour will close," the harbour master told reporters. '
    "Repairs to the damaged breakwater are expected to take six weeks."
)


@pytest.mark.parametrize(
    ("headline", "form"),
    [
        ("Will the Harbour Close This Winter?", "question"),
        ("Port Authority Reveals Repair Plan, Will Close Harbour?", "question"),
        ('Harbour Master: "The Port Stays Open"', "quote"),
        ("Mayor Says Harbour Will Stay Open", "quote"),
        ("10 Things Every Fisherman Should Know About Storms", "list"),
        ("How to Keep a Small Boat Safe in a Storm", "how-to"),
        ("You Won't Believe What Washed Up on the Beach", "teaser"),
        ("Storm Damages Northern Harbour Breakwater", "statement"),
    ],
)
def test_headline_form(headline: str, form: str) -> None:
    assert headline_form(headline) == form


def test_claims_carry_the_subject_to_a_clause_without_one() -> None:
    claims = headline_claims("Port Authority Reveals Repair Plan, Will Close Harbour?")
    assert [c.text for c in claims] == ["Port Authority Reveals Repair Plan", "[Port Authority] Will Close Harbour?"]
    assert [c.question for c in claims] == [False, True]


def test_claims_of_an_inverted_question_keep_their_own_subject() -> None:
    claims = headline_claims("Alliance Unveils Patrol Plan, Will Fishing Be Banned?")
    assert [c.text for c in claims] == ["Alliance Unveils Patrol Plan", "Will Fishing Be Banned?"]


@pytest.mark.parametrize(
    "headline",
    [
        "Mayor doubles down on 'park, ride and smile' transit slogan",
        "Minister calls plan “bold, fair, and overdue” in first speech",
        "Trains, Buses, Ferries: Ten Ways to Cross the City Cheaply",
    ],
)
def test_a_quotation_or_a_labelling_list_is_never_cut_into_claims(headline: str) -> None:
    assert [c.text for c in headline_claims(headline)] == [headline]
    assert headline_attribution(headline) is None  # a list before a colon is its topics, not a speaker


@pytest.mark.parametrize(
    "headline",
    [
        "Shark Expected to Swim Through Flooded Town Streets",
        "Town Plans to Close Streets After Shark Sighting",
        "Shark Likely Swam Through Flooded Town Streets",
    ],
)
def test_a_hedged_headline_is_never_an_unconfirmed_claim_stated_as_fact(headline: str) -> None:
    check = CHECKER.check(headline, UNCONFIRMED)
    assert check.reason != Reason.UNCONFIRMED_AS_FACT


def test_a_list_of_names_is_not_split_into_claims() -> None:
    assert [c.text for c in headline_claims("Russia, Belarus Hold Joint Drills")] == [
        "Russia, Belarus Hold Joint Drills"
    ]


def test_claims_after_a_speaker_label_are_what_the_speaker_says() -> None:
    assert [c.text for c in headline_claims("Harbour Master: Port Will Stay Open")] == ["Port Will Stay Open"]


def test_refutation_needs_the_claim_inside_the_denial() -> None:
    claim = "[Port Authority] Will Close Harbour?"
    assert refutation(claim, "Officials dismissed reports that the harbour would close to boats.") == 1.0
    assert refutation(claim, "Officials dismissed reports of a strike at the airport.") == 0.0
    # The denial comes after the claim's words: what it denies is not in its scope.
    assert refutation(claim, "The harbour would close, critics said, which officials deny.") == 0.0
    assert refutation(claim, "The harbour will close on Friday, the port authority said.") == 0.0


def test_a_denial_of_these_accusations_denies_the_sentence_before() -> None:
    claim = "Coast Guard Blocking Fishermen's Return"
    accused = "The ministry accused the coast guard of blocking the fishermen's return to the harbour."
    denial = "The coast guard rejected these accusations as false."
    assert refutation(claim, denial) == 0.0
    assert refutation(claim, denial, antecedent=accused) >= 0.5
    # Only a denial pointing back to a claim reaches the sentence before; "the accusation" may be any told before.
    assert refutation(claim, "The coast guard rejected a new pay offer.", antecedent=accused) == 0.0
    assert refutation(claim, "Its captain, who denies the accusation, stayed ashore.", antecedent=accused) == 0.0


def test_a_fact_check_denying_what_the_headline_quotes_refutes_it() -> None:
    """A quote headline's speaker named as the object of another's denial: no speaker's own denial."""
    body = (
        "In a joint statement on Friday, the Marren and Tallow fisheries ministries accused the coast guard of "
        "blocking the fishermen's return to the northern harbour. The coast guard rejected these accusations as "
        "patently false, and fishermen in the harbour told reporters the Marren and Tallow claims are false. "
        "The coast guard has patrolled the northern banks since the spring."
    )
    check = CHECKER.check("Marren and Tallow: Coast Guard Blocking Fishermen's Return", body)
    assert check.form == "quote" and check.misleading and check.reason == "refuted"
    assert check.evidence[0].role == "refutes" and check.evidence[0].span.text.startswith("The coast guard rejected")


def test_a_body_that_denies_a_question_headline_refutes_it() -> None:
    check = CHECKER.check("Port Authority Reveals Repair Plan, Will Close Harbour?", HARBOUR_BODY)
    assert check.form == "question"
    asked = check.claims[1]
    assert asked.question and asked.stance == "disagree"
    assert check.stance == "disagree" and check.misleading and check.reason == Reason.REFUTED == "refuted"
    assert check.explanation is not None and check.explanation.startswith("question headline; the body refutes it: '")
    assert check.evidence[0].role == "refutes" and check.evidence[0].claim == 1
    assert "dismissed reports" in check.evidence[0].span.text or "false" in check.evidence[0].span.text


CONFIRMS = (
    "The northern harbour closed on Monday after the storm destroyed its breakwater, the port authority said. "
    "All fishing boats were moved to the southern harbour. The harbour closed for the first time since 1987. "
    "Officials confirmed the harbour closed and will stay closed for six weeks while repairs are made."
)
DEBUNKS = (
    "A photograph said to show a shark swimming in the flooded streets of the town is a hoax. "
    "The image is fake: it was edited from a 2011 picture, fact-checkers found. "
    "Police said there was no shark and urged residents not to share the false claim."
)
HEDGES = (
    "A shark was reportedly seen in the flooded streets of the town, according to unverified posts online. "
    "Residents claimed they saw a fin, but the sighting could not be confirmed. "
    "Officials said they were looking into the claims and had not yet found the animal."
)
ELSEWHERE = (
    "The city council approved a new budget for public libraries on Tuesday. "
    "Opening hours will be extended at four branches, and two new reading rooms will open next year."
)


@pytest.mark.parametrize(
    ("headline", "body", "stances", "misleading", "first_roles"),
    [
        # stance-v3 and v4, trained without the stories they are scored on, read this short confirming body as
        # discussion (stance-v2 said agree): either way it is no false alarm.
        ("Storm Closes Northern Harbour", CONFIRMS, ("agree", "discuss"), False, ("supports", "discusses")),
        pytest.param(
            "Shark Swims Through Flooded Town Streets",
            DEBUNKS,
            ("disagree",),
            True,
            ("refutes",),
            # A known miss, kept visible: stance-v3 called this body disagree at a tie with agree (0.47 / 0.47),
            # stance-v4 calls it agree (0.57 / 0.31) although it is better on held-out stories (disagree
            # called agree 26 times against v3's 39). A hoax word in the lede bound to the claim does not tell
            # disagree from agree on FNC-1 either (docs/EVALUATION.md): the missing disagree detector.
            marks=pytest.mark.xfail(strict=True, reason="stance-v4 calls a plain claim over a hoax body agree"),
        ),
        ("Shark Reportedly Seen in Flooded Town Streets", HEDGES, ("discuss",), False, ("discusses",)),
        # Stated as fact over a body that says the sighting "could not be confirmed".
        ("Shark Seen in Flooded Town Streets", HEDGES, ("discuss",), True, ("hedges",)),
        ("Shark Swims Through Flooded Town Streets", ELSEWHERE, ("unrelated",), True, (None,)),
    ],
    ids=["confirms", "debunks", "hedges", "asserts-the-unconfirmed", "unrelated"],
)
def test_stance_of_a_statement_headline(
    headline: str, body: str, stances: tuple[str, ...], misleading: bool, first_roles: tuple[str | None, ...]
) -> None:
    check = CHECKER.check(headline, body)
    assert check.stance in stances, check.probabilities
    assert check.misleading is misleading
    assert (check.evidence[0].role if check.evidence else None) in first_roles


def test_an_unrelated_body_is_flagged_with_its_reason() -> None:
    check = CHECKER.check("Shark Swims Through Flooded Town Streets", ELSEWHERE)
    assert check.reason == "unrelated" and check.explanation == "the body does not address what the headline says"


def test_a_quote_headline_keeps_its_form_and_claim() -> None:
    check = CHECKER.check("Harbour Master: Harbour Will Stay Open", HARBOUR_BODY)
    assert check.form == "quote"
    assert [c.text for c in check.claims] == ["Harbour Will Stay Open"]
    assert check.stance in ("agree", "discuss")
    assert not check.misleading


def test_clickbait_probability_tells_bait_from_news() -> None:
    bait = CHECKER.check("You Won't Believe What Washed Up on the Beach", HARBOUR_BODY)
    news = CHECKER.check("Storm Damages Northern Harbour Breakwater", HARBOUR_BODY)
    assert bait.clickbait is not None and news.clickbait is not None
    assert bait.clickbait > 0.5 > news.clickbait


def test_stage_runs_in_the_default_pipeline_and_evidence_keeps_provenance() -> None:
    assert "headline_check" in DEFAULT_STAGES
    raw = "Port Authority Reveals Repair Plan, Will Close Harbour?\n\n" + HARBOUR_BODY.replace(". ", ".\n\n", 1)
    article = Pipeline(("clean", "headline_check")).process(
        Document(source="t", raw=raw, media_type="text/plain", source_hash="h")
    )
    assert isinstance(article, Article), article
    assert article.headline_check is not None and article.headline_check.evidence
    assert article.provenance_errors() == []
    for evidence in article.headline_check.evidence:
        assert article.text[evidence.span.start : evidence.span.end] == evidence.span.text


def test_no_headline_or_another_language_gets_no_check() -> None:
    article = Article(id="a", source="t", source_hash="h", media_type="text/plain", text=HARBOUR_BODY)
    assert CHECKER(article).headline_check is None
    article.headline, article.language = "El puerto seguirá abierto", "es"
    assert CHECKER(article).headline_check is None


def test_seed_headline_verdict(seed_path: Path) -> None:
    (document,) = __import__("newstrace").iter_documents([str(seed_path)])
    article = Pipeline().process(document)
    assert isinstance(article, Article) and article.headline_check is not None
    check = article.headline_check
    assert check.form == "question"
    attack = next(c for c in check.claims if "Will Attack Ukraine" in c.text)
    assert attack.question and attack.stance == "disagree"
    refuting = [e.span.text for e in check.evidence if e.role == "refutes" and e.claim == check.claims.index(attack)]
    # Galuzin's two denials, and nothing else: not Minsk's accusation of Ukraine (another country's attack), not
    # Putin's "no plans … in 'swallowing' Belarus" (it shares one word of the joint force plan's claim).
    refuting = [e.span.text for e in check.evidence if e.role == "refutes"]
    assert len(refuting) == 2
    assert 'At the same time, he added, "It is incorrect to raise questions' in refuting[0]
    assert "the diplomat also dismissed speculation that the troops could be deployed" in refuting[1]
    assert check.misleading and check.reason == "refuted"
    assert check.explanation is not None and refuting[0][:40] in check.explanation


def test_a_sentence_about_another_subject_never_refutes_a_claim() -> None:
    """Whose the denial is comes from the article's entities: a capital for its country, a speaker for theirs."""
    text = (
        "Minsk has accused Ukraine of plans for an attack in Belarus, which Kiev vehemently denies. "
        'The minister said: "It is false that troops will attack Ukraine."'
    )
    article = Article(id="a", source="t", source_hash="h", media_type="text/plain", text=text)
    minsk, belarus, kiev = article.span(0, 5), article.span(45, 52), article.span(60, 64)
    article.entities_index = [
        Entity("gpe:minsk", "Minsk", "GPE", stands_for="Belarus (government)"),
        Entity("gpe:kiev", "Kiev", "GPE", stands_for="Ukraine (government)"),
        Entity("person:olga-petrova", "Olga Petrova", "PERSON", aliases=["The minister"], affiliation="Russia"),
        Entity("gpe:russia", "Russia", "GPE"),
    ]
    article.entities = [
        Mention(minsk.text, "GPE", minsk.start, minsk.end, "gpe:minsk"),
        Mention(belarus.text, "GPE", belarus.start, belarus.end, None),
        Mention(kiev.text, "GPE", kiev.start, kiev.end, "gpe:kiev"),
    ]
    quoted = text.index('"It is')
    minister = article.span(text.index("The minister"), text.index("The minister") + 12)
    speaker = Speaker(minister, "person:olga-petrova", "Olga Petrova")
    article.quotes = [Quote("direct", article.span(quoted, len(text)), None, "say", speaker)]
    subjects = SubjectIndex(article)
    russia = subjects.subject("[Russia] Will Attack Ukraine?")
    assert russia is not None and subjects.subject("Troops Will Attack Ukraine") is None  # no entity named so
    first, second = (article.span(a, b) for a, b in ((0, text.index(" The")), (text.index("The"), len(text))))
    assert not subjects.about(russia, first) and subjects.about(russia, second)


@pytest.mark.parametrize(
    ("headline", "speaker", "claim"),
    [
        ("Impeachment sham completely debunked: White House", "White House", "Impeachment sham completely debunked"),
        ("Harbour Master: Port Will Stay Open", "Harbour Master", "Port Will Stay Open"),
        ("Port will stay open all winter, says harbour master", "harbour master", "Port will stay open all winter"),
        ("Port will stay open all winter, Mayor Jones says", "Mayor Jones", "Port will stay open all winter"),
        ("Mayor Says Harbour Will Stay Open", "Mayor", "Harbour Will Stay Open"),
    ],
)
def test_a_quote_headline_names_its_speaker_on_either_side(headline: str, speaker: str, claim: str) -> None:
    assert headline_attribution(headline) == (speaker, claim)
    assert headline_form(headline) == "quote"
    assert [(c.speaker, c.text) for c in headline_claims(headline)] == [(speaker, claim)]


def test_a_plain_statement_has_no_speaker() -> None:
    assert headline_attribution("Storm Damages Northern Harbour Breakwater") is None
    assert headline_claims("Storm Damages Northern Harbour Breakwater")[0].speaker is None


SHAM = (
    "The White House said on Monday that the impeachment inquiry was a sham and that the transcript had "
    "completely debunked it. Democrats rejected the claim and said the inquiry would go on. "
    "The impeachment inquiry has heard from four witnesses so far."
)


def test_a_quote_headline_whose_speaker_says_it_is_not_refuted() -> None:
    check = CHECKER.check("Impeachment sham completely debunked: White House", SHAM)
    assert check.claims[0].speaker == "White House"
    assert not check.misleading, check.explanation
    assert all(e.role != "refutes" or "White House" not in e.span.text for e in check.evidence)


def test_a_headline_that_reports_a_hoax_agrees_with_a_debunking_body() -> None:
    check = CHECKER.check("Man who posted shark photo in flooded streets exposed as hoaxer", DEBUNKS)
    assert check.stance != "disagree" and not check.misleading, (check.stance, check.explanation)


def test_a_negated_headline_agrees_with_a_body_that_calls_its_subject_false() -> None:
    """CNN's "Why you just can't trust the White House on Donald Trump's health" over a body counting Trump's false
    claims: the body's refutations are the headline's own point (the labelled stream calls it supported)."""
    page = shared_path(
        "eval", "aeb", "html", "ef4e67b66d63b5facef55c06a94d85f2ae01a0a1a4a3a1bcfe2499c8c8a7dacf.html.gz"
    )
    (document,) = __import__("newstrace").iter_documents([str(page)])
    article = Pipeline().process(document)
    assert isinstance(article, Article) and article.headline_check is not None
    check = article.headline_check
    assert "can't trust the White House" in (article.headline or "")
    assert not check.misleading and check.claims[0].basis == "polarity", (check.stance, check.explanation)


UNCONFIRMED = (
    "A shark was reportedly swimming through the flooded streets of the town on Sunday, residents claimed. "
    "Videos said to show the shark in the flooded streets were shared thousands of times online. "
    "The sighting of a shark in the streets has not been independently confirmed by officials."
)


def test_a_headline_stating_what_the_body_calls_unconfirmed_is_flagged_with_the_hedging_sentence() -> None:
    check = CHECKER.check("Shark Swims Through Flooded Town Streets", UNCONFIRMED)
    assert check.stance == "discuss", check.probabilities
    assert check.misleading and check.reason == Reason.UNCONFIRMED_AS_FACT
    assert check.evidence[0].role == "hedges" and "not been independently confirmed" in check.evidence[0].span.text
    # Said with its hedge, the same headline is honest.
    hedged = CHECKER.check("Shark Reportedly Swims Through Flooded Town Streets", UNCONFIRMED)
    assert hedged.stance == "discuss" and not hedged.misleading


def test_clickbait_style_is_its_own_flag_and_never_misleading_alone() -> None:
    check = CHECKER.check("You Won't Believe What Was Seen in the Flooded Town Streets", HEDGES)
    assert check.clickbait_style and check.form == "teaser"
    assert check.stance == "discuss", check.probabilities
    assert not check.misleading and check.reason is None and check.explanation is None


def test_negation_takes_in_the_claims_predicate() -> None:
    assert negation("Teen Made $72 Million", "There was no $72 million, not even one figure.") >= 0.5
    assert negation("Teen Made $72 Million Trading Stocks", "He didn't make $72 million trading stocks.") >= 0.5
    # A negation about something else in the sentence takes in nothing of the claim.
    assert negation("Teen Made $72 Million Trading Stocks", "He made $72 million; he did not go to class.") == 0.0


class _Judged(StanceModel):
    """The shipped model's sentence relatedness with set stance probabilities: the verdict's rules alone."""

    def __init__(self, probabilities: dict[str, float]) -> None:
        super().__init__()
        self._set = probabilities

    def judge(
        self, headlines: Sequence[str], body: str, sentences: Sequence[str]
    ) -> tuple[list[dict[str, float]], list[list[float]]]:
        stances, relatedness = super().judge(headlines, body, sentences)
        return [dict(self._set) for _ in stances], relatedness


TEEN = (
    "A profile said a high school student made $72 million trading stocks on his lunch breaks. "
    "There was no $72 million trading stocks, the student told a newspaper on Monday. "
    "His parents said he had traded with small sums."
)


def test_a_negation_of_the_claim_is_the_evidence_of_a_disagree_verdict() -> None:
    disagree = HeadlineChecker(_Judged({"agree": 0.1, "disagree": 0.7, "discuss": 0.2, "unrelated": 0.0}))
    check = disagree.check("Student Made $72 Million Trading Stocks", TEEN)
    assert check.stance == "disagree" and check.misleading and check.reason == Reason.REFUTED
    assert check.evidence[0].role == "refutes" and check.evidence[0].span.text.startswith("There was no $72 million")
    # The same sentence over a claim the model calls discussion refutes nothing: negation alone is grammar.
    discuss = HeadlineChecker(_Judged({"agree": 0.1, "disagree": 0.1, "discuss": 0.8, "unrelated": 0.0}))
    assert not discuss.check("Student Made $72 Million Trading Stocks", TEEN).misleading


def test_unrelated_is_a_verdict_only_when_the_model_is_sure() -> None:
    sure = HeadlineChecker(_Judged({"agree": 0.01, "disagree": 0.01, "discuss": 0.03, "unrelated": 0.95}))
    assert sure.check("Shark Swims Through Flooded Town Streets", ELSEWHERE).reason == Reason.UNRELATED
    hesitant = HeadlineChecker(_Judged({"agree": 0.2, "disagree": 0.05, "discuss": 0.15, "unrelated": 0.6}))
    check = hesitant.check("Shark Swims Through Flooded Town Streets", ELSEWHERE)
    assert check.stance == "unrelated" and not check.misleading and check.reason is None


RETOLD_ELSEWHERE = (
    "A shark was filmed gliding along waterlogged roads after the storm surge, residents said. "
    "Video shows its fin cutting through the water between parked cars in the town centre."
)


def test_a_body_whose_lede_is_on_the_headlines_topic_is_not_flagged_unrelated() -> None:
    sure = HeadlineChecker(_Judged({"agree": 0.01, "disagree": 0.01, "discuss": 0.03, "unrelated": 0.95}))
    headline = "Shark Swims Through Flooded Town Streets"
    assert sure.on_topic(headline, RETOLD_ELSEWHERE) and not sure.on_topic(headline, ELSEWHERE)
    check = sure.check(headline, RETOLD_ELSEWHERE)
    assert check.stance == "unrelated" and not check.misleading and check.reason is None
    # A stored lede vector is read rather than made again: the article's own, here another page's.
    assert sure.check(headline, RETOLD_ELSEWHERE, lede_vector=LedeEncoder().packed(ELSEWHERE)).misleading
    assert not sure.check(headline, RETOLD_ELSEWHERE, lede_vector="not a vector").misleading  # the body's own, then
    assert sure.check(headline, ELSEWHERE).reason == Reason.UNRELATED


def test_a_claim_called_unverified_before_and_verified_since_is_not_unconfirmed() -> None:
    body = (
        "A shark was filmed swimming through the flooded streets of the town on Sunday. "
        "The previously unverified video of the shark in the flooded streets has since been verified by officials."
    )
    check = CHECKER.check("Shark Swims Through Flooded Town Streets", body)
    assert check.reason != Reason.UNCONFIRMED_AS_FACT, check.explanation
    assert not any(e.role == "hedges" for e in check.evidence)


def test_not_confirming_or_denying_is_no_denial() -> None:
    claim = "Masked Gunman Identified as Local Teacher"
    assert refutation(claim, "Police would neither confirm nor deny that the gunman was identified as a teacher.") == 0
    assert refutation(claim, "Police denied that the gunman was identified as a teacher.") >= 0.5


def test_a_label_reporting_a_hoax_gives_the_claim_after_it_its_polarity() -> None:
    check = CHECKER.check("Shark photo hoax: website claims shark swam through flooded streets", DEBUNKS)
    assert check.claims[0].speaker == "Shark photo hoax"
    assert not check.misleading, (check.stance, check.explanation)


def test_a_denial_of_a_negated_claim_or_a_reported_denial_is_no_refutation() -> None:
    body = (
        "The harbour master said on Monday that the northern harbour would stay open all winter. "
        "Officials denied reports that the harbour would close to fishing boats after the storm."
    )
    # The model calls both discussion, where an explicit denial of the claim would turn it to disagree.
    discuss = HeadlineChecker(_Judged({"agree": 0.1, "disagree": 0.1, "discuss": 0.8, "unrelated": 0.0}))
    assert discuss.check("Northern Harbour Will Close to Fishing Boats", body).reason == Reason.REFUTED
    for headline in (
        "Northern Harbour Will Not Close to Fishing Boats",
        "Northern Harbour Won’t Close to Fishing Boats",
        "Officials deny harbour will close to boats",
    ):
        check = discuss.check(headline, body)
        assert not check.misleading, (headline, check.stance, check.explanation)
        assert all(claim.basis != "refutation" for claim in check.claims), headline
