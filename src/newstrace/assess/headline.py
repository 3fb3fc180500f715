"""The headline check: the headline's form and claims, each claim's stance towards the body with the
sentences that decide it, how clickbait-like it reads, and whether it misleads.

A headline is only as true as its weakest claim: when the body refutes one claim, the headline as a
whole is called ``disagree``. Splitting a headline into claims is done by rules (punctuation that
joins clauses, a subject carried over to a clause that has none); title case defeats the small
parser, and a headline has little enough grammar that rules see it whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum

import numpy as np

from newstrace.assess._about import SubjectIndex
from newstrace.assess.clickbait import ClickbaitModel
from newstrace.assess.stance import (
    StanceModel,
    claim_subject,
    negation,
    refutation,
    split_sentences,
    word_stems,
    words,
)
from newstrace.embed import LedeEncoder, decoded, unit
from newstrace.lexicon import (
    BASE_VERBS,
    CONFIRMED_PATTERN,
    DEBUNKING,
    DENIAL_PATTERN,
    HEADLINE_HEDGES,
    HEADLINE_SAYS,
    HEDGING,
    NEGATION,
    NEGATIVE_CLAIM_PATTERN,
    NON_DENIAL_PATTERN,
    QUESTION_OPENERS,
    REFUTING,
    SUBJECTLESS_OPENERS,
    TEASER_PATTERN,
    UNCONFIRMED_PATTERN,
)
from newstrace.model import Article, EvidenceSentence, HeadlineCheck, HeadlineClaim, Span

__all__ = [
    "FORMS",
    "HeadlineChecker",
    "Reason",
    "headline_attribution",
    "headline_claims",
    "headline_form",
    "negation",
    "refutation",
]


class Reason(StrEnum):
    """Why a headline is called misleading: the ``reason`` of a HeadlineCheck, each backed by evidence."""

    REFUTED = "refuted"  # a body sentence denies the headline's claim (evidence role "refutes")
    UNCONFIRMED_AS_FACT = "unconfirmed_as_fact"  # the headline states what the body calls unconfirmed ("hedges")
    UNRELATED = "unrelated"  # no body sentence addresses the headline


FORMS = ("question", "quote", "list", "how-to", "teaser", "statement")
"""A headline's form, tested in this order: the first that fits names it."""

MAX_EVIDENCE = 5
MIN_RELATEDNESS = 0.25  # below this a sentence shares too little with a claim to count as evidence
CLICKBAIT_THRESHOLD = 0.5

_QUOTED = re.compile(r"[\"“”«»]\s*\S[^\"“”«»]*\s\S[^\"“”«»]*[\"“”«»]|(?:^|\s)['‘][^'’]+\s[^'’]+['’](?=\W|$)")
_ATTRIBUTED = re.compile(
    r"^\s*([^:]{2,40}):\s+\S|\b(?:says|said|claims|warns|insists|denies|tells|told)\b", re.IGNORECASE
)
_LISTICLE = re.compile(r"^\s*(?:the\s+|these\s+|here\s+are\s+)?\d+\s+\w+", re.IGNORECASE)
_HOW_TO = re.compile(r"^\s*how\s+to\b", re.IGNORECASE)
# Where a headline joins two clauses: a comma, semicolon or a dash between spaces.
_CLAUSE_BREAK = re.compile(r"\s*[,;]\s+|\s+[-–—]\s+")
_WORDS = re.compile(r"[\w'’-]+")
REFUTATION_COVERAGE = 0.5  # share of a claim's predicate stems that must fall within a denial's scope
UNRELATED_GUARD = 0.9  # a sentence this close to a claim addresses it: "unrelated" is then not a verdict
# A body whose lede a sentence embedding puts this close to the headline is on its topic: "unrelated" is then not a
# verdict. The 99th percentile of the headline-lede cosine over the gold-unrelated pairs of FNC-1's story-split
# training part (0.414): about 1% of unrelated pairs lose their flag, a miss preferred to a false alarm.
ON_TOPIC_COSINE = 0.414
HEADLINES_KEPT = 4096  # headline embeddings a checker keeps (1.5 KB each)
UNRELATED_CONFIDENCE = 0.9  # the model's probability of "unrelated" below which it is no verdict


def headline_form(headline: str) -> str:
    """The form of a headline: question, quote, list, how-to, teaser (curiosity gap) or statement."""
    text = headline.strip()
    words = _WORDS.findall(text.lower())
    if text.endswith("?") or (words and words[0] in QUESTION_OPENERS and "?" in text):
        return "question"
    if _QUOTED.search(text) or _ATTRIBUTED.search(text) or headline_attribution(text):
        return "quote"
    if _LISTICLE.match(text):
        return "list"
    if _HOW_TO.match(text):
        return "how-to"
    if TEASER_PATTERN.search(text):
        return "teaser"
    return "statement"


_SPEAKER_WORDS = re.compile(r"^[A-Z0-9][\w.'’&-]*(?:\s+(?:of|the|for|and|[A-Z0-9][\w.'’&-]*)){0,5}$")
_SAYS = "(?:" + "|".join(HEADLINE_SAYS) + ")"
# "..., says Putin", "..., Putin says", "Putin says ...".
_SAYS_AFTER = re.compile(
    rf"^(?P<claim>.+?),\s+(?:{_SAYS}\s+(?P<speaker>[^,]{{2,60}})|(?P<speaker2>[^,]{{2,60}}?)\s+{_SAYS})[.!]?$"
)
_SAYS_BEFORE = re.compile(
    rf"^(?P<speaker>(?:\S+\s+){{0,5}}?\S+)\s+{_SAYS}\s+(?:that\s+)?(?P<claim>\S.*)$", re.IGNORECASE
)


def headline_attribution(headline: str) -> tuple[str, str] | None:
    """The speaker and the claim of a quote headline ("X: Y", "Y: X", "Y, says X", "X says Y"), if it is one.

    Which side of a colon speaks is told by form: a short name-like side ("White House", "Putin") is the
    speaker, so "Impeachment sham completely debunked: White House" is the White House's claim.
    """
    text = " ".join(headline.split()).strip()
    if ":" in text:
        before, after = (part.strip() for part in text.split(":", 1))
        after_is_name = len(after.split()) <= 4 and bool(_SPEAKER_WORDS.match(after.rstrip(".!")))
        before_is_name = len(before.split()) <= 5 and bool(_SPEAKER_WORDS.match(before))
        if after_is_name and not (before_is_name and len(before.split()) <= len(after.split())):
            return after.rstrip(".!"), before
        if before and after and len(before) <= 40 and "," not in before:  # "A, B, C: ..." lists topics, not a speaker
            return before, after
    match = _SAYS_AFTER.match(text)
    if match:
        speaker = (match["speaker"] or match["speaker2"]).strip()
        if len(speaker.split()) <= 6:
            return speaker, match["claim"].strip()
    match = _SAYS_BEFORE.match(text)
    if match and _SPEAKER_WORDS.match(match["speaker"]) and len(match["claim"].split()) >= 2:
        return match["speaker"], match["claim"]
    return None


def headline_claims(headline: str) -> list[HeadlineClaim]:
    """The claims a headline makes, each as a stand-alone clause (stance not yet known).

    "Russia Reveals Joint Force Plan With Belarus, Will Attack Ukraine?" makes two: "Russia Reveals Joint
    Force Plan With Belarus" and "[Russia] Will Attack Ukraine?", the second a question.
    """
    text = " ".join(headline.split())
    attribution = headline_attribution(text)
    speaker = None
    if attribution:
        speaker, text = attribution  # "Putin: No Plans To ..." claims what Putin is said to say
    fragments: list[str] = []
    for piece in _clauses(text):
        piece = piece.strip()
        if not piece:
            continue
        if fragments and (len(_WORDS.findall(piece)) < 3 or len(_WORDS.findall(fragments[-1])) < 3):
            fragments[-1] = f"{fragments[-1]}, {piece}"  # a list of names, not a clause of its own
        else:
            fragments.append(piece)
    claims: list[HeadlineClaim] = []
    subject = claim_subject(fragments[0]) if fragments else None
    for fragment in fragments:
        words = _WORDS.findall(fragment.lower())
        asks = fragment.endswith("?") or (text.endswith("?") and bool(words) and words[0] in QUESTION_OPENERS)
        if claims and subject and words and words[0] in SUBJECTLESS_OPENERS and not _inverted(words):
            fragment = f"[{subject}] {fragment}"
        claims.append(HeadlineClaim(fragment, stance="", question=asks, speaker=speaker))
    return claims


# A quotation in a headline: double marks of any kind, or single marks that open after a space and close before one
# (an apostrophe inside a word, "we're", neither opens nor closes).
_QUOTATION = re.compile(r"[\"“”„«»][^\"“”„«»]*[\"“”„«»]|(?<!\w)['‘](?:[^'‘’]|(?<=\w)['’](?=\w))*?\w[.!?,]?['’](?!\w)")


def _clauses(text: str) -> list[str]:
    """The headline cut at its clause breaks (commas, semicolons, dashes), never inside a quotation or a list that
    labels it."""
    quoted = [match.span() for match in _QUOTATION.finditer(text)]
    label = text.find(":")
    if label > 0 and "," in text[:label]:
        quoted.append((0, label))  # "A, B, C: ..." names its topics as a list: the list is no clause of its own
    pieces, start = [], 0
    for match in _CLAUSE_BREAK.finditer(text):
        if any(low < match.start() < high for low, high in quoted):
            continue
        pieces.append(text[start : match.start()])
        start = match.end()
    return [*pieces, text[start:]]


def _inverted(words: list[str]) -> bool:
    """Whether a clause opening with an auxiliary has its own subject after it ("Will Fishing Be Banned?")."""
    return any(word in BASE_VERBS for word in words[2:])


def _role(claim: str, sentence: str, stance: str, refuted: float, about: bool = True) -> str:
    if not about:  # a sentence about another subject decides nothing about this claim
        return "discusses"
    tokens = set(words(NON_DENIAL_PATTERN.sub(" ", sentence)))
    # A denial refutes a claim when its scope takes in the claim's predicate, half of it at least: "no plans or
    # interest in 'swallowing' Belarus" shares one word of "Reveals Joint Force Plan With Belarus", and denies another.
    if refuted >= REFUTATION_COVERAGE or (
        stance == "disagree" and (tokens & DEBUNKING or negation(claim, sentence) >= REFUTATION_COVERAGE)
    ):
        return "refutes"
    if stance == "agree" and not tokens & (HEDGING | REFUTING):
        return "supports"
    return "discusses"


_ROLE_ORDER = {
    "disagree": ("refutes", "hedges", "discusses", "supports"),
    "agree": ("supports", "discusses", "hedges", "refutes"),
    "discuss": ("hedges", "discusses", "supports", "refutes"),
}


def _mentions(speaker: str | None, sentence: str) -> bool:
    """Whether a sentence names the speaker: all the stems of a one- or two-word name, else half of them."""
    stems = word_stems(speaker or "")
    if not stems:
        return False
    found = len(stems & word_stems(sentence))
    return found == len(stems) if len(stems) <= 2 else 2 * found >= len(stems)


def _denied_by(speaker: str | None, sentence: str) -> bool:
    """Whether a sentence is the speaker's own denial: it names them before its denial ("the Pentagon rejected the
    Russian and Syrian claims" is not Russia's or Syria's)."""
    denial = DENIAL_PATTERN.search(NON_DENIAL_PATTERN.sub(" ", sentence))
    return _mentions(speaker, sentence[: denial.start()] if denial else sentence)


def _speaker_says(claim: HeadlineClaim, sentences: list[Span]) -> bool:
    """Whether the body reports a quote headline's speaker saying its claim (the speaker and half its stems)."""
    predicate = word_stems(claim.text)
    return bool(predicate) and any(
        _mentions(claim.speaker, s.text) and 2 * len(predicate & word_stems(s.text)) >= len(predicate)
        for s in sentences
    )


def _debunked(related: list[float], sentences: list[Span]) -> bool:
    """Whether a sentence close to a claim holds a debunking word."""
    return any(
        score >= MIN_RELATEDNESS and set(words(NON_DENIAL_PATTERN.sub(" ", s.text))) & DEBUNKING
        for score, s in zip(related, sentences, strict=True)
    )


class HeadlineChecker:
    """Check the headline against the body: form, claims and their stances, evidence, clickbait, misleading.

    Each claim's probabilities are the FNC-1 model's. Where the model says ``discuss`` but a sentence
    explicitly denies the claim's predicate (``refutation`` >= REFUTATION_COVERAGE), the claim is
    called ``disagree``: a question headline answered "no" by its own body is the case the model,
    trained on hoax-debunking bodies, calls discussion. A quote headline's claim that the model calls
    ``disagree`` is agreement when the body has its speaker saying it (the speaker's own denials refute
    nothing), and so is a claim that itself reports a hoax or a denial over a debunking body. The verdict
    (``misleading``, its Reason and evidence) is ``_verdict``'s; clickbait style is only a flag.
    """

    def __init__(self, stance: StanceModel | None = None, clickbait: ClickbaitModel | None = None) -> None:
        self._stance = stance or StanceModel()
        self._clickbait = clickbait or ClickbaitModel()
        self._encoder: LedeEncoder | None = None  # loaded for the first headline the model is sure is unrelated
        # Headlines embedded so far: an evaluation pairs each headline with many bodies. Bounded by HEADLINES_KEPT.
        self._headlines: dict[str, np.ndarray | None] = {}

    def __call__(self, article: Article) -> Article:
        if not article.headline or not article.text.strip() or article.language not in (None, "en"):
            article.headline_check = None  # the models read English headlines over a body
            return article
        spans = _sentence_spans(article)
        subjects = SubjectIndex(article)
        article.headline_check = self.check(article.headline, article.text, spans, article.lede_vector, subjects)
        return article

    def check(
        self,
        headline: str,
        body: str,
        sentences: list[Span] | None = None,
        lede_vector: str | None = None,
        subjects: SubjectIndex | None = None,
    ) -> HeadlineCheck:
        """The verdict on ``headline`` over ``body`` (sentences as spans of it, its packed lede vector: made here
        when not given; ``subjects``: the annotated article's entities, which tell what each sentence is about)."""
        import sklearn

        # The inputs are built here, finite and well-formed: scikit-learn's per-call checks would cost more
        # than the prediction itself.
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            return self._check(headline, body, sentences, lede_vector, subjects)

    def on_topic(self, headline: str, body: str, lede_vector: str | None = None) -> bool:
        """Whether the body's lede is about what the headline says, by their sentence embeddings' cosine."""
        if self._encoder is None:
            self._encoder = LedeEncoder()
        if headline not in self._headlines:
            if len(self._headlines) >= HEADLINES_KEPT:
                self._headlines.clear()
            self._headlines[headline] = self._encoder.vector(headline)
        head = self._headlines[headline]
        stored = decoded(lede_vector)
        lede = unit(stored) if stored is not None else None
        if lede is None:  # none stored, malformed or all zeros: the body's own lede is at hand
            lede = self._encoder.vector(body)
        return head is not None and lede is not None and float(head @ lede) >= ON_TOPIC_COSINE

    def _check(
        self,
        headline: str,
        body: str,
        sentences: list[Span] | None,
        lede_vector: str | None,
        subjects: SubjectIndex | None,
    ) -> HeadlineCheck:
        if sentences is None:
            sentences = [Span(a, b, body[a:b]) for a, b in split_sentences(body, abbreviations=True)]
        claims = headline_claims(headline) or [HeadlineClaim(headline, stance="")]
        texts = list(dict.fromkeys([headline] + [claim.text for claim in claims]))
        stances, relatedness = self._stance.judge(texts, body, [s.text for s in sentences])
        related = [relatedness[texts.index(claim.text)] for claim in claims]
        abouts = [_about_subject(claim.text, sentences, subjects) for claim in claims]
        refutations = []
        for claim, claim_related, about in zip(claims, related, abouts, strict=True):
            claim.probabilities = {label: round(p, 4) for label, p in stances[texts.index(claim.text)].items()}
            claim.stance = max(claim.probabilities, key=lambda label: claim.probabilities[label])
            said = claim.speaker is not None and _speaker_says(claim, sentences)
            # A claim reporting a hoax or a denial is negative: itself, or in what the headline wraps around a
            # quote headline's claim ("Banksy arrest hoax: US website claims ...", "X denies ceasefire claim").
            framing = headline.replace(claim.text, " ") if claim.speaker else ""
            negative = bool(NEGATIVE_CLAIM_PATTERN.search(claim.text) or NEGATIVE_CLAIM_PATTERN.search(framing))
            # A denial by the claim's own speaker, of a claim that itself reports a denial, or of a claim that is
            # itself negated ("That Ceasefire Isn't A Ceasefire" over "he denied there was a ceasefire") is no
            # refutation.
            negated = any(word in NEGATION or word.endswith("n't") for word in words(claim.text.replace("’", "'")))
            refuted = [
                0.0
                if negative or negated or not about[i] or (said and _denied_by(claim.speaker, s.text))
                else refutation(claim.text, s.text, sentences[i - 1].text if i else "")
                for i, s in enumerate(sentences)
            ]
            if claim.stance == "discuss" and max(refuted, default=0.0) >= REFUTATION_COVERAGE:
                claim.stance, claim.basis = "disagree", "refutation"
            elif claim.stance == "disagree" and said:
                claim.stance, claim.basis = "agree", "attributed"
            elif claim.stance == "disagree" and (negative or negated) and _debunked(claim_related, sentences):
                claim.stance, claim.basis = "agree", "polarity"
            refutations.append(refuted)
        decisive = max(
            (c for c in claims if c.stance == "disagree"), key=lambda c: c.probabilities["disagree"], default=None
        )
        whole = {k: round(v, 4) for k, v in stances[0].items()}
        probabilities = decisive.probabilities if decisive else whole
        stance = "disagree" if decisive else max(probabilities, key=lambda label: probabilities[label])
        turned = next((c for c in claims if c.basis in ("attributed", "polarity")), None)
        if stance == "disagree" and not decisive and turned:
            stance = turned.stance  # the whole headline's "disagree" is the claim's, read with its speaker or polarity
        evidence = _evidence(claims, related, refutations, sentences, stance, abouts)
        form = headline_form(headline)
        clickbait = round(self._clickbait.probability(headline), 4)
        reason, evidence = _verdict(
            headline, form, claims, stance, probabilities, evidence, related, sentences,
            lambda: self.on_topic(headline, body, lede_vector), abouts,
        )  # fmt: skip
        return HeadlineCheck(
            stance=stance,
            probabilities=probabilities,
            form=form,
            claims=claims,
            evidence=evidence,
            clickbait=clickbait,
            clickbait_style=clickbait >= CLICKBAIT_THRESHOLD or form == "teaser",
            misleading=reason is not None,
            reason=None if reason is None else reason.value,
            explanation=_explanation(form, reason, evidence),
        )


def _about_subject(claim: str, sentences: list[Span], subjects: SubjectIndex | None) -> list[bool]:
    """Per sentence, whether it is about the claim's subject (all, where the article's entities are not at hand or
    the subject names nothing the article names)."""
    subject = subjects.subject(claim) if subjects is not None else None
    if subjects is None or subject is None:
        return [True] * len(sentences)
    return [subjects.about(subject, sentence) for sentence in sentences]


def _evidence(
    claims: list[HeadlineClaim],
    relatedness: list[list[float]],
    refutations: list[list[float]],
    sentences: list[Span],
    stance: str,
    abouts: list[list[bool]],
) -> list[EvidenceSentence]:
    """The sentences that bear on the claims, those playing the verdict's role first, closest first."""
    if stance == "unrelated":
        return []
    best: dict[int, tuple[float, EvidenceSentence]] = {}
    for claim_index, claim in enumerate(claims):
        if claim.stance == "unrelated":
            continue
        for index, sentence in enumerate(sentences):
            score, refuted = relatedness[claim_index][index], refutations[claim_index][index]
            if score < MIN_RELATEDNESS and not refuted:
                continue
            role = _role(claim.text, sentence.text, claim.stance, refuted, abouts[claim_index][index])
            item = EvidenceSentence(sentence, role, round(score, 4), claim_index)
            if index not in best or (refuted, score) > (best[index][0], best[index][1].score):
                best[index] = (refuted, item)
    order = _ROLE_ORDER[stance]
    ranked = sorted(best.values(), key=lambda pair: (order.index(pair[1].role), -pair[0], -pair[1].score))
    return [item for _, item in ranked[:MAX_EVIDENCE]]


def _sentence_spans(article: Article) -> list[Span]:
    paragraphs = article.paragraphs or [article.span(0, len(article.text))]
    spans = []
    for paragraph in paragraphs:
        for start, end in split_sentences(article.text[paragraph.start : paragraph.end], abbreviations=True):
            spans.append(article.span(paragraph.start + start, paragraph.start + end))
    return spans


def _verdict(
    headline: str,
    form: str,
    claims: list[HeadlineClaim],
    stance: str,
    probabilities: dict[str, float],
    evidence: list[EvidenceSentence],
    related: list[list[float]],
    sentences: list[Span],
    on_topic: Callable[[], bool],
    abouts: list[list[bool]],
) -> tuple[Reason | None, list[EvidenceSentence]]:
    """Whether the headline misleads a reader of it alone, as a Reason, and the evidence with the reason's first.

    Only evidence makes a headline misleading: a refuting sentence bound to a refuted claim, a sentence that
    calls an asserted claim unconfirmed, or no sentence near any claim with the model sure of it and the body's
    lede not on the headline's topic (``on_topic``, asked only then: a body on the headline's topic is more
    often a loose report of the same story than a wrong page).
    Clickbait style is a separate flag.
    """
    if stance == "unrelated":
        closest = max((score for scores in related for score in scores), default=0.0)
        sure = probabilities["unrelated"] >= UNRELATED_CONFIDENCE
        return (Reason.UNRELATED if sure and closest < UNRELATED_GUARD and not on_topic() else None), evidence
    if stance == "disagree":
        refuted = {i for i, claim in enumerate(claims) if claim.stance == "disagree"}
        refuting = [e for e in evidence if e.role == "refutes" and e.claim in refuted]
        if refuting:
            return Reason.REFUTED, refuting + [e for e in evidence if e not in refuting]
        return None, evidence
    asserted = form == "statement" and not set(words(headline)) & HEADLINE_HEDGES
    if stance != "discuss" or not asserted:
        return None, evidence
    for index in range(len(claims)):
        ranked = sorted(range(len(sentences)), key=lambda j: -related[index][j])
        for j in ranked:
            if related[index][j] < MIN_RELATEDNESS:
                break
            text = sentences[j].text
            if abouts[index][j] and UNCONFIRMED_PATTERN.search(text) and not CONFIRMED_PATTERN.search(text):
                hedging = EvidenceSentence(sentences[j], "hedges", round(related[index][j], 4), index)
                rest = [e for e in evidence if e.span != sentences[j]]
                return Reason.UNCONFIRMED_AS_FACT, [hedging, *rest][:MAX_EVIDENCE]
    return None, evidence


def _explanation(form: str, reason: Reason | None, evidence: list[EvidenceSentence]) -> str | None:
    """The reason in one line, quoting its evidence sentence."""
    if reason is None:
        return None
    prefix = f"{form} headline; " if form != "statement" else ""
    if reason is Reason.UNRELATED:
        return f"{prefix}the body does not address what the headline says"
    quoted = f": '{_shorten(evidence[0].span.text)}'" if evidence else ""
    if reason is Reason.REFUTED:
        return f"{prefix}the body refutes it{quoted}"
    return f"{prefix}the headline states as fact what the body reports as unconfirmed{quoted}"


def _shorten(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"
