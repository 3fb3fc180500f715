"""The headline check: the headline's form and claims, each claim's stance towards the body with the
sentences that decide it, how clickbait-like it reads, and whether it misleads.

A headline is only as true as its weakest claim: when the body refutes one claim, the headline as a
whole is called ``disagree``. Splitting a headline into claims is done by rules (punctuation that
joins clauses, a subject carried over to a clause that has none); title case defeats the small
parser, and a headline has little enough grammar that rules see it whole.
"""

from __future__ import annotations

import re

from newstrace.assess.clickbait import ClickbaitModel
from newstrace.assess.stance import HEDGING, REFUTING, StanceModel, split_sentences, word_stems, words
from newstrace.model import Article, EvidenceSentence, HeadlineCheck, HeadlineClaim, Span
from newstrace.pipeline import register_stage

__all__ = ["FORMS", "HeadlineChecker", "headline_claims", "headline_form", "refutation"]

FORMS = ("question", "quote", "list", "how-to", "teaser", "statement")
"""A headline's form, tested in this order: the first that fits names it."""

MAX_EVIDENCE = 5
MIN_RELATEDNESS = 0.25  # below this a sentence shares too little with a claim to count as evidence
CLICKBAIT_THRESHOLD = 0.5

_QUESTION_OPENERS = {
    "is", "are", "was", "were", "will", "would", "can", "could", "should", "does", "do", "did", "has", "have",
    "why", "how", "what", "who", "when", "where", "which",
}  # fmt: skip
_QUOTED = re.compile(r"[\"“”«»]\s*\S[^\"“”«»]*\s\S[^\"“”«»]*[\"“”«»]|(?:^|\s)['‘][^'’]+\s[^'’]+['’](?=\W|$)")
_ATTRIBUTED = re.compile(
    r"^\s*([^:]{2,40}):\s+\S|\b(?:says|said|claims|warns|insists|denies|tells|told)\b", re.IGNORECASE
)
_LISTICLE = re.compile(r"^\s*(?:the\s+|these\s+|here\s+are\s+)?\d+\s+\w+", re.IGNORECASE)
_HOW_TO = re.compile(r"^\s*how\s+to\b", re.IGNORECASE)
_TEASER = re.compile(
    r"\b(?:you\s+won['’]?t\s+believe|what\s+happen(?:s|ed)\s+next|this\s+is\s+(?:why|what|how)|"
    r"will\s+(?:blow|shock|amaze)|here['’]?s\s+(?:why|what|how)|the\s+reason\s+why|you\s+need\s+to)\b",
    re.IGNORECASE,
)
# Where a headline joins two clauses: a comma, semicolon or a dash between spaces.
_CLAUSE_BREAK = re.compile(r"\s*[,;]\s+|\s+[-–—]\s+")
# Words that open a clause without a subject of its own ("..., Will Attack Ukraine?").
_SUBJECTLESS_OPENERS = {
    "will", "would", "could", "can", "may", "might", "must", "should", "is", "are", "was", "were", "has", "have",
    "had", "to", "says", "said", "plans", "vows", "wants", "set", "seeks", "denies", "warns", "claims",
}  # fmt: skip
# Verbs that end a headline's subject ("Russia Reveals ...": the subject is "Russia").
_HEADLINE_VERBS = _SUBJECTLESS_OPENERS | {
    "reveals", "announces", "confirms", "launches", "rejects", "accuses", "calls", "hits", "gets", "takes",
    "makes", "urges", "agrees", "admits", "unveils", "backs", "slams", "blames", "threatens", "orders", "sends",
    "plans", "tells", "faces", "wins", "loses", "kills", "attacks", "dies", "does", "did", "got", "made",
}  # fmt: skip
# Verbs that follow the subject of an inverted question ("Will [subject] Be ...", "Does [subject] Have ...").
_BASE_VERBS = {"be", "have", "get", "go", "stay", "come", "happen", "change", "work", "survive", "win", "lose"}
_WORDS = re.compile(r"[\w'’-]+")
# An explicit denial or dismissal; what it refutes is the rest of its sentence ("dismissed speculation that
# the troops could be deployed in ...", "It is incorrect to raise questions regarding ...").
_REFUTATION = re.compile(
    r"\b(?:den(?:y|ies|ied|ying|ial)|dismiss(?:es|ed|ing)?|reject(?:s|ed|ing)?|refut(?:e|es|ed|ing)|"
    r"rebut(?:s|ted|ting)?|debunk(?:s|ed|ing)?|incorrect|untrue|baseless|unfounded|groundless|hoax|"
    r"(?:no|not\s+any)\s+(?:plans?|intention|evidence|truth|basis)|not\s+true|never\s+(?:planned|intended))\b",
    re.IGNORECASE,
)
REFUTATION_COVERAGE = 0.5  # share of a claim's predicate stems that must fall within a denial's scope


def headline_form(headline: str) -> str:
    """The form of a headline: question, quote, list, how-to, teaser (curiosity gap) or statement."""
    text = headline.strip()
    words = _WORDS.findall(text.lower())
    if text.endswith("?") or (words and words[0] in _QUESTION_OPENERS and "?" in text):
        return "question"
    if _QUOTED.search(text) or _ATTRIBUTED.search(text):
        return "quote"
    if _LISTICLE.match(text):
        return "list"
    if _HOW_TO.match(text):
        return "how-to"
    if _TEASER.search(text):
        return "teaser"
    return "statement"


def headline_claims(headline: str) -> list[HeadlineClaim]:
    """The claims a headline makes, each as a stand-alone clause (stance not yet known).

    "Russia Reveals Joint Force Plan With Belarus, Will Attack Ukraine?" makes two: "Russia Reveals Joint
    Force Plan With Belarus" and "[Russia] Will Attack Ukraine?", the second a question.
    """
    text = " ".join(headline.split())
    attribution = _ATTRIBUTED.match(text)
    if attribution and attribution.group(1):
        text = text[attribution.end(1) + 1 :].strip()  # "Putin: No Plans To ..." claims what follows the colon
    fragments: list[str] = []
    for piece in _CLAUSE_BREAK.split(text):
        piece = piece.strip()
        if not piece:
            continue
        if fragments and (len(_WORDS.findall(piece)) < 3 or len(_WORDS.findall(fragments[-1])) < 3):
            fragments[-1] = f"{fragments[-1]}, {piece}"  # a list of names, not a clause of its own
        else:
            fragments.append(piece)
    claims: list[HeadlineClaim] = []
    subject = _subject(fragments[0]) if fragments else None
    for fragment in fragments:
        words = _WORDS.findall(fragment.lower())
        asks = fragment.endswith("?") or (text.endswith("?") and bool(words) and words[0] in _QUESTION_OPENERS)
        if claims and subject and words and words[0] in _SUBJECTLESS_OPENERS and not _inverted(words):
            fragment = f"[{subject}] {fragment}"
        claims.append(HeadlineClaim(fragment, stance="", question=asks))
    return claims


def _inverted(words: list[str]) -> bool:
    """Whether a clause opening with an auxiliary has its own subject after it ("Will Fishing Be Banned?")."""
    return any(word in _BASE_VERBS for word in words[2:])


def _subject(clause: str) -> str | None:
    """The words before a clause's first verb, if a verb is recognised after at least one word."""
    words = clause.split()
    for index, word in enumerate(words[1:], start=1):
        if word.lower().strip(".,:;!?\"'") in _HEADLINE_VERBS:
            return " ".join(words[:index])
    return None


def refutation(claim: str, sentence: str) -> float:
    """How much of a claim's predicate an explicit denial in ``sentence`` takes in (0 when none does).

    The predicate is the claim without its subject: "[Russia] Will Attack Ukraine?" asks about attacking
    Ukraine, which "the diplomat dismissed speculation that the troops could be deployed in the Ukrainian
    conflict" denies in part (one of its two stems, 0.5).
    """
    predicate = word_stems(_predicate(claim))
    if not predicate:
        return 0.0
    best = 0.0
    for match in _REFUTATION.finditer(sentence):
        scope = word_stems(sentence[match.end() :])
        best = max(best, len(predicate & scope) / len(predicate))
    return best


def _predicate(claim: str) -> str:
    if claim.startswith("["):
        return claim[claim.find("]") + 1 :]
    subject = _subject(claim)
    return claim[len(subject) :] if subject else claim


def _role(sentence: str, stance: str, refuted: float) -> str:
    tokens = set(words(sentence))
    if refuted > 0 or (stance == "disagree" and tokens & REFUTING):
        return "refutes"
    if stance == "agree" and not tokens & (HEDGING | REFUTING):
        return "supports"
    return "discusses"


_ROLE_ORDER = {
    "disagree": ("refutes", "discusses", "supports"),
    "agree": ("supports", "discusses", "refutes"),
    "discuss": ("discusses", "supports", "refutes"),
}


@register_stage("headline_check", requires=("text", "headline", "paragraphs", "language"), assigns=("headline_check",))
class HeadlineChecker:
    """Check the headline against the body: form, claims and their stances, evidence, clickbait, misleading.

    Each claim's probabilities are the FNC-1 model's. Where the model says ``discuss`` but a sentence
    explicitly denies the claim's predicate (``refutation`` >= REFUTATION_COVERAGE), the claim is
    called ``disagree``: a question headline answered "no" by its own body is the case the model,
    trained on hoax-debunking bodies, calls discussion.
    """

    def __init__(self, stance: StanceModel | None = None, clickbait: ClickbaitModel | None = None) -> None:
        self._stance = stance or StanceModel()
        self._clickbait = clickbait or ClickbaitModel()

    def __call__(self, article: Article) -> Article:
        if not article.headline or not article.text.strip() or article.language not in (None, "en"):
            article.headline_check = None  # the models read English headlines over a body
            return article
        article.headline_check = self.check(article.headline, article.text, _sentence_spans(article))
        return article

    def check(self, headline: str, body: str, sentences: list[Span] | None = None) -> HeadlineCheck:
        """The verdict on ``headline`` over ``body`` (sentences as spans of it; split here when not given)."""
        import sklearn

        # The inputs are built here, finite and well-formed: scikit-learn's per-call checks would cost more
        # than the prediction itself.
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            return self._check(headline, body, sentences)

    def _check(self, headline: str, body: str, sentences: list[Span] | None) -> HeadlineCheck:
        if sentences is None:
            sentences = [Span(a, b, body[a:b]) for a, b in split_sentences(body, abbreviations=True)]
        claims = headline_claims(headline) or [HeadlineClaim(headline, stance="")]
        texts = list(dict.fromkeys([headline] + [claim.text for claim in claims]))
        stances, relatedness = self._stance.judge(texts, body, [s.text for s in sentences])
        refutations = []
        for claim in claims:
            claim.probabilities = {label: round(p, 4) for label, p in stances[texts.index(claim.text)].items()}
            claim.stance = max(claim.probabilities, key=lambda label: claim.probabilities[label])
            refuted = [refutation(claim.text, sentence.text) for sentence in sentences]
            if claim.stance == "discuss" and max(refuted, default=0.0) >= REFUTATION_COVERAGE:
                claim.stance, claim.basis = "disagree", "refutation"
            refutations.append(refuted)
        decisive = max(
            (c for c in claims if c.stance == "disagree"), key=lambda c: c.probabilities["disagree"], default=None
        )
        probabilities = decisive.probabilities if decisive else {k: round(v, 4) for k, v in stances[0].items()}
        stance = "disagree" if decisive else max(probabilities, key=lambda label: probabilities[label])
        related = [relatedness[texts.index(claim.text)] for claim in claims]
        evidence = _evidence(claims, related, refutations, sentences, stance)
        form = headline_form(headline)
        clickbait = round(self._clickbait.probability(headline), 4)
        misleading, reason = _verdict(form, stance, clickbait, evidence)
        return HeadlineCheck(
            stance=stance,
            probabilities=probabilities,
            form=form,
            claims=claims,
            evidence=evidence,
            clickbait=clickbait,
            misleading=misleading,
            reason=reason,
        )


def _evidence(
    claims: list[HeadlineClaim],
    relatedness: list[list[float]],
    refutations: list[list[float]],
    sentences: list[Span],
    stance: str,
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
            item = EvidenceSentence(sentence, _role(sentence.text, claim.stance, refuted), round(score, 4), claim_index)
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


def _verdict(form: str, stance: str, clickbait: float, evidence: list[EvidenceSentence]) -> tuple[bool, str | None]:
    """Whether the headline misleads a reader of it alone, and why in one line."""
    prefix = f"{form} headline; " if form != "statement" else ""
    if stance == "disagree":
        refuting = next((e for e in evidence if e.role == "refutes"), evidence[0] if evidence else None)
        quoted = f": '{_shorten(refuting.span.text)}'" if refuting else ""
        return True, f"{prefix}the body refutes it{quoted}"
    if stance == "unrelated":
        return True, f"{prefix}the body does not address what the headline says"
    if clickbait >= CLICKBAIT_THRESHOLD and stance == "discuss":
        return True, f"{prefix}clickbait wording over a body that only discusses the claim"
    return False, None


def _shorten(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"
