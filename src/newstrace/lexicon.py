"""Word lists shared by the rules and the trained models: one place to read and to extend.

Adding a cue verb: put its lemma in ``CUE_LEMMAS`` (every reporting verb the rules read); a verb
the tagger takes for a cue that reports no speech ("the video shows") goes in ``NON_SPEECH_LEMMAS``,
which keeps its attributions out of the statements. ``CUE_LEMMAS`` is also a feature of the
attribution tagger: the shipped model's card records ``cue_lexicon_hash()`` of the lists it was
trained with, and a test fails when they drift, so a change here goes with `make train-attribution`.
"""

from __future__ import annotations

import hashlib

__all__ = [
    "BELIEF_LEMMAS",
    "CONNECTIVES",
    "CUE_LEMMAS",
    "DOCUMENT_NOUNS",
    "FEMALE_WORDS",
    "MALE_WORDS",
    "NOMINAL_CUES",
    "NON_SPEECH_LEMMAS",
    "NOT_PERSON_NOUNS",
    "ORGANISATION_NOUNS",
    "PERSON_NOUN_ENDINGS",
    "ROLE_CLASSES",
    "WRITER_PRONOUNS",
    "cue_lexicon_hash",
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
    "access", "success", "progress", "congress", "press", "stress", "fitness", "illness", "darkness", "wilderness",
    "committee", "fee", "tree", "degree", "guarantee", "career",
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


def cue_lexicon_hash() -> str:
    """sha256 of the word lists the attribution tagger's features read (recorded in its model card)."""
    digest = hashlib.sha256()
    for word in sorted(CUE_LEMMAS):
        digest.update(word.encode("utf-8") + b"\n")
    return digest.hexdigest()
