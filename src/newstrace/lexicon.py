"""Word lists shared by the rules and the trained models: one place to read and to extend.

Adding a cue verb: put its lemma in ``CUE_LEMMAS`` (every reporting verb the rules read); a verb
the tagger takes for a cue that reports no speech ("the video shows") goes in ``NON_SPEECH_LEMMAS``,
which keeps its attributions out of the statements. ``CUE_LEMMAS`` is also a feature of the
attribution tagger: the shipped model's card records ``cue_lexicon_hash()`` of the lists it was
trained with, and a test fails when they drift, so a change here goes with `make train-attribution`.

The headline check reads the stance vocabularies below (refuting, hedging, asserting, denying and negating
words, the markers of doubt in a body) both in its rules and, through the stance model's features, in a trained
model: that model's card records ``stance_lexicon_hash()``, and a change to them goes with `make train-stance`.
"""

from __future__ import annotations

import hashlib
import re

__all__ = [
    "ASSERTING",
    "BASE_VERBS",
    "BELIEF_LEMMAS",
    "BODY_MARKERS",
    "CONFIRMED_PATTERN",
    "CONNECTIVES",
    "CUE_LEMMAS",
    "DEBUNKING",
    "DENIAL_PATTERN",
    "DENYING",
    "DOCUMENT_NOUNS",
    "DOUBT_PATTERN",
    "FEMALE_WORDS",
    "HEADLINE_SAYS",
    "HEADLINE_VERBS",
    "HEDGING",
    "HEDGING_CUES",
    "LEADING_CONJUNCTIONS",
    "MALE_WORDS",
    "NEGATION",
    "NEGATIVE_CLAIM_PATTERN",
    "NOMINAL_CUES",
    "NON_DENIAL_PATTERN",
    "NON_SPEECH_LEMMAS",
    "NOT_PERSON_NOUNS",
    "ORGANISATION_NOUNS",
    "PERSON_NOUN_ENDINGS",
    "QUESTION_OPENERS",
    "REFUTING",
    "ROLE_CLASSES",
    "STANCE_STOPWORDS",
    "SUBJECTLESS_OPENERS",
    "TEASER_PATTERN",
    "UNCONFIRMED_PATTERN",
    "WRITER_PRONOUNS",
    "cue_lexicon_hash",
    "stance_lexicon_hash",
]

# Verbs that report what someone said or thinks: the rules' cues and a feature of the tagger.
CUE_LEMMAS = frozenset({
    "say", "tell", "add", "note", "explain", "dismiss", "deny", "accuse", "reiterate", "claim", "warn", "insist",
    "argue", "stress", "state", "announce", "report", "write", "ask", "respond", "reply", "suggest", "acknowledge",
    "admit", "confirm", "predict", "promise", "vow", "declare", "assert", "contend", "maintain", "complain",
    "concede", "tweet", "post", "urge", "recall", "estimate", "emphasize", "emphasise", "point", "observe",
    "comment", "remark", "allege", "charge", "testify", "reveal", "disclose", "indicate", "signal", "believe",
    "think", "fear", "hope", "expect", "doubt", "know", "reject", "dispute", "question", "describe", "call",
    "caution", "boast", "concur", "agree", "disagree", "counter", "retort", "mention", "inform",
})  # fmt: skip
# Cues of a thought rather than an utterance: "believes that", "fears that".
BELIEF_LEMMAS = frozenset({"believe", "think", "fear", "hope", "expect", "doubt", "know"})
# Nouns that report speech: "his statement that ...", "the ministry's claim that ...".
NOMINAL_CUES = frozenset({
    "statement", "claim", "assertion", "warning", "denial", "announcement", "remark", "comment", "suggestion",
    "insistence", "argument", "allegation", "promise", "pledge", "accusation", "belief",
})  # fmt: skip
# Verbs the tagger takes for cues that report no speech: evidence, perception, actions.
NON_SPEECH_LEMMAS = frozenset({
    "show", "indicate", "appear", "seem", "discuss", "focus", "launch", "release", "present",
    "refer", "distance", "decide", "want", "consider", "interpret", "know", "believe", "expect", "spend",
    "seek", "approve", "avoid", "deflect", "brag", "spark", "complaint", "plead", "cheer", "see",
    "hear", "learn", "find", "receive", "watch", "read", "tend", "dub", "chant",
})  # fmt: skip

# Pronouns that, outside a quotation, are the writer or the reader, never a source in the story.
WRITER_PRONOUNS = frozenset({"i", "we", "you", "me", "us"})
# Words before or about a person that say their gender.
MALE_WORDS = frozenset({
    "mr", "mister", "sir", "lord", "king", "prince", "duke", "father", "son", "brother", "husband", "uncle",
    "nephew", "grandfather", "boy", "man", "gentleman", "spokesman", "chairman", "congressman", "councilman",
    "businessman", "sultan", "emperor", "pope", "monsignor",
})  # fmt: skip
FEMALE_WORDS = frozenset({
    "mrs", "ms", "miss", "madam", "madame", "dame", "lady", "queen", "princess", "duchess", "mother",
    "daughter", "sister", "wife", "aunt", "niece", "grandmother", "girl", "woman", "spokeswoman", "chairwoman",
    "congresswoman", "councilwoman", "businesswoman", "actress", "empress",
})  # fmt: skip
# Nouns for an organisation a text named before: "the company said" -> the latest organisation.
ORGANISATION_NOUNS = frozenset({
    "company", "firm", "group", "agency", "ministry", "department", "office", "authority", "manufacturer",
    "maker", "airline", "carrier", "organisation", "organization", "body", "team", "club", "party", "union",
    "network", "newspaper", "broadcaster", "bank", "retailer", "label", "studio", "startup", "charity",
    "foundation", "institute", "university", "commission", "council", "court", "board", "committee", "campaign",
    "administration", "government", "regulator", "watchdog", "police", "military", "army", "militia", "outlet",
    "parliament", "movement", "establishment", "management", "tournament", "assembly", "senate", "congress",
})  # fmt: skip
# Documents that "say" on behalf of whoever issued them: "the statement said" -> its issuer.
DOCUMENT_NOUNS = frozenset({"statement", "release", "communique", "announcement", "notice", "letter", "filing",
                            "complaint", "post", "tweet", "report", "document", "memo"})  # fmt: skip
# Conjunctions opening a sentence tie it to the one before: the writer's words ("But, he said, ...").
LEADING_CONJUNCTIONS = ("and", "but", "yet", "so", "or")
# Sentence connectives: the writer's, not part of what a source said ("Meanwhile, he said, ...").
CONNECTIVES = frozenset({
    "however", "meanwhile", "still", "instead", "moreover", "also", "yet", "at the same time", "in addition",
    "furthermore", "nevertheless", "nonetheless", "then", "now", "thus", "therefore", "in fact", "indeed",
    "of course", "besides", "likewise", "similarly",
})  # fmt: skip
# Endings of nouns that name a person by what they do ("agent", "resident", "lawyer", "spokesman"), and
# nouns with those endings that name things: a definite person noun the text never stated of anyone refers
# back to the person the previous sentence was about ("Sowers ... The real estate agent said").
PERSON_NOUN_ENDINGS = ("agent", "ant", "ent", "er", "or", "ist", "ian", "man", "woman", "person", "ee", "eer",
                       "ess", "official", "chief", "boss", "coach", "critic")  # fmt: skip
NOT_PERSON_NOUNS = frozenset({
    "paper", "order", "number", "center", "centre", "chapter", "matter", "computer", "power", "border", "water",
    "tower", "register", "poster", "plant", "restaurant", "grant", "event", "agreement", "percent", "per cent",
    "content", "incident", "accident", "intent", "extent", "talent", "weather", "summer", "winter", "sector",
    "factor", "error", "mirror", "floor", "door", "color", "colour", "honor", "honour", "favor", "favour",
    "behavior", "behaviour", "motor", "monitor", "reactor", "indicator", "process", "address", "business",
    "access", "success", "progress", "press", "stress", "fitness", "illness", "darkness", "wilderness",
    "fee", "tree", "degree", "guarantee", "career",
})  # fmt: skip
# Generic nouns a text uses for a role holder it named before ("the diplomat" for a foreign minister).
ROLE_CLASSES: dict[str, frozenset[str]] = {
    "diplomat": frozenset({"ambassador", "envoy", "diplomat", "minister", "secretary"}),
    "leader": frozenset({"president", "premier", "chancellor", "king", "queen", "leader", "head", "prime"}),
    "politician": frozenset({"senator", "minister", "lawmaker", "president", "governor", "mayor", "mp",
                             "representative", "congressman", "congresswoman"}),
    "lawmaker": frozenset({"senator", "lawmaker", "mp", "representative", "congressman", "congresswoman"}),
    "executive": frozenset({"ceo", "chief", "chairman", "chairwoman", "director", "executive", "founder"}),
    "official": frozenset({"official", "minister", "secretary", "spokesman", "spokeswoman", "spokesperson",
                           "director", "commissioner", "governor", "mayor", "ambassador", "officer"}),
    "manager": frozenset({"manager", "coach", "boss"}),
    "coach": frozenset({"manager", "coach", "boss"}),
    "boss": frozenset({"manager", "coach", "ceo", "chief", "boss"}),
}  # fmt: skip


# The stance model's words. Stop words left out of a headline's content words (and its stems).
STANCE_STOPWORDS = frozenset({
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "and", "or", "but", "is", "are", "was", "were", "be",
    "been", "being", "it", "its", "this", "that", "these", "those", "with", "as", "by", "from", "has", "have", "had",
    "will", "would", "can", "could", "should", "may", "might", "do", "does", "did", "not", "no", "he", "she", "they",
    "we", "you", "i", "his", "her", "their", "our", "your", "them", "him", "us", "me", "my", "than", "then", "so",
    "if", "about", "after", "before", "over", "into", "out", "up", "down", "more", "most",
})  # fmt: skip
# Words that refute or doubt a claim, counted near the headline's words.
REFUTING = frozenset({
    "fake", "fraud", "hoax", "false", "deny", "denies", "denied", "denying", "denial", "not", "despite", "nope",
    "doubt", "doubts", "bogus", "debunk", "debunked", "prank", "pranks", "retract", "retracted", "untrue", "refute",
    "refuted", "rejects", "rejected", "dismiss", "dismissed", "dismisses", "dismissing", "incorrect", "wrong",
    "never", "no", "myth", "misleading", "rumour", "rumor", "fabricated", "baseless", "unfounded", "satire",
    "satirical", "contrary", "nonsense", "rubbish", "disputed", "disputes",
})  # fmt: skip
# Words that report a claim without vouching for it.
HEDGING = frozenset({
    "allegedly", "reportedly", "reported", "claim", "claims", "claimed", "unconfirmed", "may", "might", "could",
    "possibly", "apparently", "appears", "suggests", "according", "purportedly", "unverified", "believed",
    "rumored", "rumoured", "speculation", "if",
})  # fmt: skip
NEGATION = frozenset({"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "n't", "without"})
# Words and phrases whose presence anywhere in a body marks reporting that doubts, denies or turns a claim.
BODY_MARKERS = (
    "fake", "hoax", "false", "deny", "denies", "denied", "debunk", "debunked", "prank", "satire", "satirical",
    "not true", "untrue", "rumor", "rumour", "no evidence", "claims", "claimed", "reportedly", "allegedly",
    "unconfirmed", "fabricated", "dismissed", "refuted", "incorrect", "baseless", "misleading", "contrary",
    "however", "but",
)  # fmt: skip
# Claim-level cues: a word of these kinds binds the headline's claim when the claim's stems follow it in its
# sentence ("denied reports that the bridge collapsed", "reportedly collapsed", "confirmed the bridge collapsed").
DENYING = frozenset({
    "deny", "denies", "denied", "denying", "dismiss", "dismissed", "dismisses", "reject", "rejects", "rejected",
    "refute", "refuted", "refutes", "debunk", "debunked", "debunks", "false", "fake", "hoax", "untrue", "bogus",
    "baseless", "unfounded", "fabricated", "incorrect", "myth", "prank", "satire", "satirical", "retracted",
})  # fmt: skip
ASSERTING = frozenset({
    "confirmed", "confirms", "confirm", "announced", "announces", "revealed", "reveals", "proved", "proves",
    "showed", "shows", "verified", "officially", "admitted", "admits", "acknowledged", "found",
})  # fmt: skip
# Words of doubt about, or debunking of, a story in general ("turned out to be exaggerated", "an urban legend",
# "the photo was doctored"): where they fall among the sentences about a headline's claim is a stance feature.
DOUBT_PATTERN = re.compile(
    r"\b(?:exaggerat\w*|skeptic\w*|sceptic\w*|doubts?|doubtful|misinformation|inaccurate|not\s+accurate|"
    r"turn(?:s|ed)\s+out|urban\s+legend|photoshop\w*|doctored|not\s+real|spoof|parody|made\s+up|fact[- ]check\w*|"
    r"snopes|no\s+truth|(?:is|was)n['’]t\s+true|not\s+the\s+case|never\s+happened|did(?:\s+not|n['’]t)\s+happen|"
    r"mistaken|misreport\w*|erroneous\w*|retract\w*|debunk\w*|hoax\w*|fake|false(?:ly)?|untrue|bogus|satir\w*)\b",
    re.IGNORECASE,
)
# Hedges that bind a claim: the weaker ones ("if", "according", "reported", "claim") are everyday reporting.
HEDGING_CUES = HEDGING - {"if", "according", "reported", "claim"}

# The headline check's rules. An explicit denial or dismissal; what it refutes is the rest of its sentence
# ("dismissed speculation that the troops could be deployed in ...", "It is incorrect to raise questions ...").
DENIAL_PATTERN = re.compile(
    r"\b(?:den(?:y|ies|ied|ying|ial)|dismiss(?:es|ed|ing)?|reject(?:s|ed|ing)?|refut(?:e|es|ed|ing)|"
    r"rebut(?:s|ted|ting)?|debunk(?:s|ed|ing)?|incorrect|untrue|baseless|unfounded|groundless|hoax|"
    r"(?:no|not\s+any)\s+(?:plans?|intention|evidence|truth|basis)|not\s+true|never\s+(?:planned|intended))\b",
    re.IGNORECASE,
)
# A claim that itself reports a hoax or a denial ("Man who claimed X exposed as hoaxer"): a debunking body agrees.
NEGATIVE_CLAIM_PATTERN = re.compile(
    r"\b(?:hoax(?:es|er|ers)?|fake[ds]?|false(?:ly)?|prank(?:s|ed|ster)?|satir(?:e|ical)|debunk(?:s|ed|ing)?|"
    r"den(?:y|ies|ied|ial)|exposed|not\s+true|myths?|fabricated|bogus)\b",
    re.IGNORECASE,
)
# Words of denial that deny nothing: "will not confirm or deny that ...", "neither confirmed nor denied".
NON_DENIAL_PATTERN = re.compile(
    r"\b(?:confirm(?:ed|s)?|comment(?:ed|s)?)\s+(?:or|nor)\s+den(?:y|ies|ied)\b", re.IGNORECASE
)
# Refuting words strong enough to bind a sentence to a refutation ("not" and "no" alone are everyday grammar).
DEBUNKING = REFUTING - {"not", "no", "despite", "contrary", "wrong", "doubt", "doubts", "disputes"}
# What marks a claim reported as not established: the body's own words, not a hedge the headline could keep.
UNCONFIRMED_PATTERN = re.compile(
    r"\b(?:unconfirmed|unverified|unsubstantiated|"
    r"(?:could|can|has|have|had|was|were|is|are)\s*(?:not|n['’]t)\s+(?:yet\s+)?(?:been\s+|be\s+)?"
    r"(?:independently\s+|officially\s+)?(?:confirm|verif|corroborat)\w*|"
    r"no\s+(?:official\s+|independent\s+)?(?:confirmation|verification|evidence)|"
    r"(?:remains?|is|it['’]s)\s+(?:still\s+)?(?:unclear|not\s+clear|not\s+known|unknown)\s+(?:whether|if))\b",
    re.IGNORECASE,
)
# A claim the sentence says was established after all ("a previously unverified recording has been verified as
# authentic"): its own unconfirmed words then report the past. No negation may come between.
CONFIRMED_PATTERN = re.compile(
    r"\b(?:has|have|had|was|were|is|are)\s+(?:(?:now|since|later|officially|independently|been)\s+)*"
    r"(?:confirmed|verified|authenticated|corroborated)\b",
    re.IGNORECASE,
)
# A headline's grammar: words that open a question, a clause without a subject of its own ("..., Will Attack
# Ukraine?"), the verbs that end a headline's subject ("Russia Reveals ...") and those that follow the subject
# of an inverted question ("Will [subject] Be ...").
QUESTION_OPENERS = frozenset({
    "is", "are", "was", "were", "will", "would", "can", "could", "should", "does", "do", "did", "has", "have",
    "why", "how", "what", "who", "when", "where", "which",
})  # fmt: skip
SUBJECTLESS_OPENERS = frozenset({
    "will", "would", "could", "can", "may", "might", "must", "should", "is", "are", "was", "were", "has", "have",
    "had", "to", "says", "said", "plans", "vows", "wants", "set", "seeks", "denies", "warns", "claims",
})  # fmt: skip
HEADLINE_VERBS = SUBJECTLESS_OPENERS | {
    "reveals", "announces", "confirms", "launches", "rejects", "accuses", "calls", "hits", "gets", "takes",
    "makes", "urges", "agrees", "admits", "unveils", "backs", "slams", "blames", "threatens", "orders", "sends",
    "plans", "tells", "faces", "wins", "loses", "kills", "attacks", "dies", "does", "did", "got", "made",
}  # fmt: skip
BASE_VERBS = frozenset({
    "be", "have", "get", "go", "stay", "come", "happen", "change", "work", "survive", "win", "lose",
})  # fmt: skip
# The verbs of a quote headline ("..., says Putin", "Putin denies ...").
HEADLINE_SAYS = ("says", "said", "claims", "warns", "insists", "tells", "told", "admits", "confirms", "denies")
# Curiosity-gap wording ("You Won't Believe ...", "What Happened Next").
TEASER_PATTERN = re.compile(
    r"\b(?:you\s+won['’]?t\s+believe|what\s+happen(?:s|ed)\s+next|this\s+is\s+(?:why|what|how)|"
    r"will\s+(?:blow|shock|amaze)|here['’]?s\s+(?:why|what|how)|the\s+reason\s+why|you\s+need\s+to)\b",
    re.IGNORECASE,
)


def stance_lexicon_hash() -> str:
    """sha256 of the word lists and patterns the stance model's features read (recorded in its model card)."""
    digest = hashlib.sha256()
    lists = {
        "stop": STANCE_STOPWORDS, "refuting": REFUTING, "hedging": HEDGING, "negation": NEGATION,
        "markers": BODY_MARKERS, "denying": DENYING, "asserting": ASSERTING, "hedging_cues": HEDGING_CUES,
        "headline_verbs": HEADLINE_VERBS,
        "patterns": (DOUBT_PATTERN.pattern, DENIAL_PATTERN.pattern, NON_DENIAL_PATTERN.pattern,
                     NEGATIVE_CLAIM_PATTERN.pattern),
    }  # fmt: skip
    for name, entries in lists.items():
        digest.update(f"[{name}]\n".encode())
        # The markers are features in their order; the sets are not.
        for word in entries if isinstance(entries, tuple) else sorted(entries):
            digest.update(word.encode("utf-8") + b"\n")
    return digest.hexdigest()


def cue_lexicon_hash() -> str:
    """sha256 of the word lists the attribution tagger's features read (recorded in its model card)."""
    digest = hashlib.sha256()
    for word in sorted(CUE_LEMMAS):
        digest.update(word.encode("utf-8") + b"\n")
    return digest.hexdigest()
