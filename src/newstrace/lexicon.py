"""Word lists shared by the rules and the trained models: one place to read and to extend.

Adding a cue verb: put its lemma in ``CUE_LEMMAS`` (every reporting verb the rules read); a verb
the tagger takes for a cue that reports no speech ("the video shows") goes in ``NON_SPEECH_LEMMAS``,
which keeps its attributions out of the statements. ``CUE_LEMMAS`` is also a feature of the
attribution tagger: the shipped model's card records ``cue_lexicon_hash()`` of the lists it was
trained with, and a test fails when they drift, so a change here goes with `make train-attribution`.

The headline check reads the stance vocabularies below (refuting, hedging, asserting, denying and negating
words, the markers of doubt in a body) both in its rules and, through the stance model's features, in a trained
model: that model's card records ``stance_lexicon_hash()``, and a change to them goes with `make train-stance`.

Country, organisation, demonym and currency names (``COUNTRY_NAMES``, ``ORGANISATION_ALIASES``, ``DEMONYMS``,
``CURRENCY_NAMES``, ``CAPITALS``) make one entity per country however it is written and keep nationalities and
money out of the organisations and people; the country and currency names are read from ISO data (pycountry).

Rule table: every list here is a vocabulary that rules and trained models read as data (cue verbs, people and
organisation nouns, stance words, country, demonym and currency names). They stay in one module so that every
rule and every model's lexicon hash read the same lists, and a reader finds them in one place.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = [
    "ACTION_LEMMAS",
    "AGREEMENT_LEMMAS",
    "ASSERTING",
    "BASE_VERBS",
    "BELIEF_LEMMAS",
    "BODY_MARKERS",
    "CAPITALS",
    "CLAIM_LEMMAS",
    "CONFIRMED_PATTERN",
    "CONNECTIVES",
    "COUNTRY_NAMES",
    "CUE_LEMMAS",
    "CURRENCY_NAMES",
    "DEBUNKING",
    "DEMONYMS",
    "DENIAL_PATTERN",
    "DENYING",
    "DOCUMENT_NOUNS",
    "DOUBT_PATTERN",
    "ENGLISH_STOP_WORDS",
    "FEMALE_WORDS",
    "HEADLINE_HEDGES",
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
    "ORGANISATION_ALIASES",
    "ORGANISATION_NOUNS",
    "PEOPLE_NOUNS",
    "PERSON_NOUN_ENDINGS",
    "QUESTION_OPENERS",
    "RECORD_NOUNS",
    "REFUTING",
    "ROLE_CLASSES",
    "RU_AUDIENCE_NOUNS",
    "RU_CHANNEL_NOUNS",
    "RU_CUE_LEMMAS",
    "RU_GENERIC_SOURCES",
    "RU_OPINION_ADJECTIVES",
    "RU_OPINION_LEMMAS",
    "RU_SOURCE_NOUNS",
    "RU_SPEAKING_BODIES",
    "RU_SPOKESPERSON_NOUNS",
    "SHARE_NOUNS",
    "SPEECH_LEMMAS",
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

# What each cue reports, for the rules that tell a statement from narration: "speech" (an utterance: say, tell,
# tweet), "claim" (a speech act that asserts, denies, demands or evaluates: claim, deny, urge, slam) and "belief"
# (a thought: believe, fear). A verb the attribution tagger takes for a cue that is in none of them and in no list
# below is kept only where the words are quoted; a verb of action or plan ("ACTION_LEMMAS") is never a cue.
SPEECH_LEMMAS = frozenset({
    "say", "tell", "add", "note", "explain", "reiterate", "state", "announce", "report", "write", "ask", "respond",
    "reply", "tweet", "post", "comment", "remark", "mention", "inform", "testify", "declare", "describe", "call",
    "recall", "remember", "joke", "quip", "answer", "repeat", "continue", "conclude", "begin", "shout", "whisper",
    "text", "email", "speak", "talk", "brief", "wonder", "muse", "recount", "relay", "quote",
    "cite", "read", "put",
})  # fmt: skip
CLAIM_LEMMAS = frozenset({
    "claim", "argue", "insist", "assert", "contend", "maintain", "allege", "charge", "deny", "dismiss", "accuse",
    "warn", "urge", "admit", "confirm", "acknowledge", "predict", "promise", "vow", "pledge", "suggest", "estimate",
    "reveal", "disclose", "concede", "complain", "stress", "emphasize", "emphasise", "point", "observe", "indicate",
    "signal", "reject", "dispute", "question", "caution", "boast", "concur", "agree", "disagree", "counter",
    "retort", "criticise", "criticize", "slam", "blast", "assail", "attack", "condemn", "denounce", "praise",
    "hail", "welcome", "laud", "tout", "defend", "lash", "apologize", "apologise", "lobby", "voice", "recognize",
    "recognise", "rule", "threaten", "demand", "propose", "recommend", "advise", "assure", "guarantee", "swear",
    "forecast", "project", "calculate", "find", "conclude", "determine", "refute", "rebut", "protest", "object",
    "lament", "regret", "celebrate", "applaud", "thank", "blame", "fault", "credit", "challenge", "mock",
    "ridicule", "order", "instruct", "appeal", "plead", "beg", "implore", "call", "according",
})  # fmt: skip
# Verbs of action, plan, possession or being: whatever follows them is the subject's deed or state, never what was
# said ("the bank agreed to inject $2 billion" is a deal, "it's disappointing" a judgement of the writer).
ACTION_LEMMAS = frozenset({
    "be", "have", "do", "get", "make", "become", "go", "come", "take", "give", "bring", "look", "see",
    "struggle", "rattle", "plan", "decide", "try", "attempt", "want", "wish", "seek", "intend", "aim", "prepare",
    "inject", "invest", "buy", "sell", "pay", "spend", "fund", "launch", "mandate", "require", "share", "offer",
    "start", "stop", "keep", "hold", "use", "help", "need", "let", "allow", "cause", "lead", "leave", "move",
    "work", "run", "win", "lose", "build", "create", "produce", "carry", "set", "turn", "show", "feature",
    "include", "contain", "involve", "cost", "earn", "raise", "cut", "scrap", "fly", "drive",
})  # fmt: skip
# Verbs that report a statement only with a that-clause ("agreed that the yard needs capital", "ordered that the
# gates be shut"); with an object or a to-infinitive they report a decision, a deal or a purchase: "agreed to pay",
# "planned to charge", "ordered ten jets". Commissives ("promised to protect", "vowed to fight") stay statements.
AGREEMENT_LEMMAS = frozenset({
    "agree", "decide", "plan", "offer", "refuse", "decline", "choose", "opt", "arrange", "order",
})  # fmt: skip

# Nouns for people and groups that the person-noun endings miss ("experts", "officials", "the source"). A source
# phrase whose head is a common noun must name someone: a person or group noun (these, a role, a noun with a person
# ending), an organisation noun, or a document or record that speaks for whoever issued it; any other noun is a
# thing ("the video declared", "loud bangs still rattle the town") and says nothing.
PEOPLE_NOUNS = frozenset({
    "people", "person", "official", "expert", "source", "authority", "critic", "analyst", "executive", "aide",
    "representative", "judge", "chief", "boss", "side", "man", "woman", "child", "kid", "family", "friend",
    "neighbour", "neighbor", "witness", "eyewitness", "citizen", "fan", "parent", "mother", "father", "wife",
    "husband", "son", "daughter", "brother", "sister", "colleague", "staff", "member", "candidate", "diplomat",
    "envoy", "ally", "rival", "victim", "guard", "chef", "captain", "star", "athlete", "celebrity", "scholar",
    "academic", "economist", "scientist", "researcher", "doctor", "nurse", "physician", "surgeon", "lawyer",
    "attorney", "prosecutor", "defendant", "plaintiff", "suspect", "observer", "insider", "veteran", "guest",
    "host", "audience", "crowd", "public", "majority", "minority", "many", "some", "others", "all", "both", "few",
    "several", "most",
    "everyone", "everybody", "nobody", "someone", "somebody", "anyone", "consumer", "customer", "client",
    "shareholder", "investor", "trader", "voter", "resident", "local", "protester", "activist", "campaigner",
    "advocate", "opponent", "proponent", "supporter", "demonstrator", "survivor", "refugee", "migrant", "worker",
    "employee", "union", "ministry", "government", "administration", "regime", "camp", "bloc", "coalition",
    "alliance", "delegation", "panel", "jury", "tribunal", "prosecution", "defence", "defense", "team", "band",
    "group", "crew", "cast", "squad", "spokesperson", "spokesman", "spokeswoman", "president", "minister",
    "secretary", "governor", "mayor", "senator", "lawmaker", "legislator", "mp", "premier", "chancellor", "king",
    "queen", "prince", "princess", "pope", "leader", "head", "founder", "owner", "partner", "co-founder", "ceo",
    "cfo", "coo", "chairman", "chairwoman", "chair", "director", "manager", "coach", "player", "teammate",
    "student", "teacher", "professor", "author", "writer", "editor", "reporter", "journalist", "correspondent",
    "columnist", "commentator", "pundit", "blogger", "user", "poster", "commenter", "fellow", "country", "nation",
    "state", "city", "town", "village", "capital", "media", "website", "site", "blog",
    "magazine", "journal", "publication", "channel", "station", "broadcast", "tabloid", "daily", "wire",
})  # fmt: skip
# Records that speak for whoever made them: "data from the port authority", "a survey by Gallup". Unissued, they are
# kept as the mention ("according to reports"), never as a speaker's name.
RECORD_NOUNS = frozenset({
    "data", "research", "study", "survey", "poll", "analysis", "estimate", "figure", "record", "evidence",
    "account", "paper", "review", "investigation", "audit", "assessment", "projection", "forecast", "ranking",
    "index", "census", "documents", "transcript", "readout", "minutes", "filing", "lawsuit",
    "complaint", "indictment", "ruling", "verdict", "decision", "order", "law", "bill", "resolution",
})  # fmt: skip
# Head words of a quantity of a group: "60 percent of farmers say", "half of the voters": the group speaks.
SHARE_NOUNS = frozenset(
    {
        "percent",
        "per cent",
        "%",
        "majority",
        "minority",
        "half",
        "third",
        "quarter",
        "share",
        "number",
        "plurality",
        "most",
        "many",
        "some",
        "few",
        "all",
        "none",
        "one",
        "two",
        "each",
    }
)

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
    "automaker", "carmaker", "chipmaker", "drugmaker", "publisher", "insurer", "lender", "operator", "provider",
    "giant", "conglomerate", "exchange", "utility", "brand", "chain", "store", "platform", "service",
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


# Places, nationalities and money, for one entity per country however an article writes it (annotate/entities).
# Country names come from ISO 3166-1 as pycountry keeps it (each country's name, official name and common name);
# the name an entity takes is the one the news uses ("Russia", not "Russian Federation"), and the short forms an
# article writes that ISO does not list are added by hand. Every alias is matched whole and case-sensitively.
_NEWS_COUNTRY_NAMES = {
    "Russian Federation": "Russia", "Türkiye": "Turkey", "Czechia": "Czech Republic", "Brunei Darussalam": "Brunei",
    "Congo, The Democratic Republic of the": "Democratic Republic of the Congo", "Palestine, State of": "Palestine",
    "Holy See (Vatican City State)": "Vatican City", "Micronesia, Federated States of": "Micronesia",
    "Virgin Islands, British": "British Virgin Islands", "Virgin Islands, U.S.": "US Virgin Islands",
}  # fmt: skip
_COUNTRY_SHORT_FORMS = {
    "US": "United States", "U.S.": "United States", "U.S": "United States", "USA": "United States",
    "U.S.A.": "United States", "America": "United States", "United States of America": "United States",
    "UK": "United Kingdom", "U.K.": "United Kingdom", "Britain": "United Kingdom", "Great Britain": "United Kingdom",
    "UAE": "United Arab Emirates", "U.A.E.": "United Arab Emirates", "DRC": "Democratic Republic of the Congo",
    "DR Congo": "Democratic Republic of the Congo", "Ivory Coast": "Côte d'Ivoire", "Cape Verde": "Cabo Verde",
    "Burma": "Myanmar", "Swaziland": "Eswatini", "Macedonia": "North Macedonia", "Holland": "Netherlands",
    "Vatican": "Vatican City", "Holy See": "Vatican City", "East Timor": "Timor-Leste",
}  # fmt: skip
# Places that are countries in the news without an ISO 3166-1 entry of their own.
_OTHER_COUNTRIES = ("Kosovo", "Crimea", "Soviet Union", "Korea", "England", "Scotland", "Wales", "Northern Ireland")


def _country_names() -> dict[str, str]:
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        iso = country.name
        canonical = _NEWS_COUNTRY_NAMES.get(iso) or getattr(country, "common_name", None) or iso.split(" (")[0]
        for name in (iso, getattr(country, "official_name", None), getattr(country, "common_name", None), canonical):
            if name:
                names[name.removeprefix("the ")] = canonical
    names.update(_COUNTRY_SHORT_FORMS)
    names.update((place, place) for place in _OTHER_COUNTRIES)
    # The same names without their accents, as many pages write them ("Cote d'Ivoire", "Turkiye").
    names.update({_plain(name): canonical for name, canonical in names.items() if _plain(name) != name})
    return names


def _plain(text: str) -> str:
    """Accents dropped from Latin letters."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


COUNTRY_NAMES: dict[str, str] = _country_names()
# Organisations known by more than one name, each with the name an entity takes. Hand-kept and short: the
# international bodies a news article names by their initials as often as in full.
ORGANISATION_ALIASES = {
    "UN": "United Nations", "U.N.": "United Nations", "EU": "European Union", "E.U.": "European Union",
    "Nato": "NATO", "North Atlantic Treaty Organization": "NATO", "North Atlantic Treaty Organisation": "NATO",
    "IMF": "International Monetary Fund", "WHO": "World Health Organization",
    "World Health Organisation": "World Health Organization", "WTO": "World Trade Organization",
    "World Trade Organisation": "World Trade Organization", "Opec": "OPEC",
    "Organization of the Petroleum Exporting Countries": "OPEC",
}  # fmt: skip
# Capitals (and seats of government) of the states most often in the news, with the state they stand for.
CAPITALS = {
    "Moscow": "Russia", "Minsk": "Belarus", "Kiev": "Ukraine", "Kyiv": "Ukraine", "Washington": "United States",
    "London": "United Kingdom", "Paris": "France", "Berlin": "Germany", "Beijing": "China", "Tokyo": "Japan",
    "Tehran": "Iran", "Ankara": "Turkey", "Brussels": "European Union", "Rome": "Italy", "Madrid": "Spain",
    "Warsaw": "Poland", "Vilnius": "Lithuania", "Riga": "Latvia", "Tallinn": "Estonia", "Helsinki": "Finland",
    "Stockholm": "Sweden", "Oslo": "Norway", "Copenhagen": "Denmark", "Budapest": "Hungary", "Prague": "Czech Republic",
    "Vienna": "Austria", "Bern": "Switzerland", "Athens": "Greece", "Bucharest": "Romania", "Sofia": "Bulgaria",
    "Belgrade": "Serbia", "Chisinau": "Moldova", "Tbilisi": "Georgia", "Yerevan": "Armenia", "Baku": "Azerbaijan",
    "Astana": "Kazakhstan", "Tashkent": "Uzbekistan", "Damascus": "Syria", "Baghdad": "Iraq", "Riyadh": "Saudi Arabia",
    "Cairo": "Egypt", "Jerusalem": "Israel", "Beirut": "Lebanon", "Amman": "Jordan", "Kabul": "Afghanistan",
    "Islamabad": "Pakistan", "New Delhi": "India", "Seoul": "South Korea", "Pyongyang": "North Korea",
    "Taipei": "Taiwan", "Hanoi": "Vietnam", "Bangkok": "Thailand", "Jakarta": "Indonesia", "Manila": "Philippines",
    "Canberra": "Australia", "Ottawa": "Canada", "Mexico City": "Mexico", "Havana": "Cuba", "Caracas": "Venezuela",
    "Brasilia": "Brazil", "Buenos Aires": "Argentina", "Santiago": "Chile", "Bogota": "Colombia", "Lima": "Peru",
    "Pretoria": "South Africa", "Nairobi": "Kenya", "Addis Ababa": "Ethiopia", "Abuja": "Nigeria", "Khartoum": "Sudan",
    "Tripoli": "Libya", "Algiers": "Algeria", "Rabat": "Morocco", "Tunis": "Tunisia", "Doha": "Qatar",
    "Abu Dhabi": "United Arab Emirates", "Muscat": "Oman", "Sanaa": "Yemen", "Dublin": "Ireland", "Lisbon": "Portugal",
    "Amsterdam": "Netherlands", "The Hague": "Netherlands", "Ljubljana": "Slovenia", "Zagreb": "Croatia",
    "Sarajevo": "Bosnia and Herzegovina", "Skopje": "North Macedonia", "Tirana": "Albania", "Pristina": "Kosovo",
    "Bratislava": "Slovakia",
}  # fmt: skip
# Demonyms: the adjective of a country ("Chinese officials") and the nouns for its people ("Americans", "Britons").
# ISO lists none, so they are kept here. A demonym names a nationality (NORP), never an organisation or a person.
_DEMONYM_ADJECTIVES = {
    "Russian": "Russia", "Belarusian": "Belarus", "Ukrainian": "Ukraine", "American": "United States",
    "British": "United Kingdom", "French": "France", "German": "Germany", "Chinese": "China", "Japanese": "Japan",
    "Iranian": "Iran", "Turkish": "Turkey", "Italian": "Italy", "Spanish": "Spain", "Polish": "Poland",
    "Lithuanian": "Lithuania", "Latvian": "Latvia", "Estonian": "Estonia", "Finnish": "Finland", "Swedish": "Sweden",
    "Norwegian": "Norway", "Danish": "Denmark", "Hungarian": "Hungary", "Czech": "Czech Republic",
    "Austrian": "Austria", "Swiss": "Switzerland", "Greek": "Greece", "Romanian": "Romania", "Bulgarian": "Bulgaria",
    "Serbian": "Serbia", "Moldovan": "Moldova", "Georgian": "Georgia", "Armenian": "Armenia", "Syrian": "Syria",
    "Iraqi": "Iraq", "Saudi": "Saudi Arabia", "Egyptian": "Egypt", "Israeli": "Israel", "Palestinian": "Palestine",
    "Lebanese": "Lebanon", "Afghan": "Afghanistan", "Pakistani": "Pakistan", "Indian": "India",
    "South Korean": "South Korea", "North Korean": "North Korea", "Korean": "Korea", "Taiwanese": "Taiwan",
    "Vietnamese": "Vietnam", "Australian": "Australia", "Canadian": "Canada", "Mexican": "Mexico", "Cuban": "Cuba",
    "Venezuelan": "Venezuela", "Brazilian": "Brazil", "Argentine": "Argentina", "Argentinian": "Argentina",
    "Kenyan": "Kenya", "Nigerian": "Nigeria", "Irish": "Ireland", "Portuguese": "Portugal", "Dutch": "Netherlands",
    "Belgian": "Belgium", "Soviet": "Soviet Union", "European": "European Union", "Emirati": "United Arab Emirates",
    "Qatari": "Qatar", "Kuwaiti": "Kuwait", "Bahraini": "Bahrain", "Omani": "Oman", "Yemeni": "Yemen",
    "Jordanian": "Jordan", "Libyan": "Libya", "Tunisian": "Tunisia", "Algerian": "Algeria", "Moroccan": "Morocco",
    "Sudanese": "Sudan", "Ethiopian": "Ethiopia", "Somali": "Somalia", "South African": "South Africa",
    "Ghanaian": "Ghana", "Congolese": "Democratic Republic of the Congo", "Chilean": "Chile", "Colombian": "Colombia",
    "Peruvian": "Peru", "Bolivian": "Bolivia", "Ecuadorian": "Ecuador", "Uruguayan": "Uruguay",
    "Paraguayan": "Paraguay", "Thai": "Thailand", "Indonesian": "Indonesia", "Malaysian": "Malaysia",
    "Singaporean": "Singapore", "Filipino": "Philippines", "Bangladeshi": "Bangladesh", "Sri Lankan": "Sri Lanka",
    "Nepali": "Nepal", "Nepalese": "Nepal", "Burmese": "Myanmar", "Cambodian": "Cambodia", "Mongolian": "Mongolia",
    "Kazakh": "Kazakhstan", "Uzbek": "Uzbekistan", "Azerbaijani": "Azerbaijan", "Slovak": "Slovakia",
    "Slovenian": "Slovenia", "Croatian": "Croatia", "Bosnian": "Bosnia and Herzegovina", "Albanian": "Albania",
    "Macedonian": "North Macedonia", "Montenegrin": "Montenegro", "Kosovar": "Kosovo", "Icelandic": "Iceland",
    "Maltese": "Malta", "Cypriot": "Cyprus", "Scottish": "Scotland", "Welsh": "Wales", "English": "England",
}  # fmt: skip
# Nouns for a country's people that are not its adjective plus -s.
_DEMONYM_NOUNS = {
    "Briton": "United Kingdom", "Brit": "United Kingdom", "Pole": "Poland", "Turk": "Turkey", "Swede": "Sweden",
    "Dane": "Denmark", "Finn": "Finland", "Scot": "Scotland", "Spaniard": "Spain", "Serb": "Serbia",
    "Croat": "Croatia", "Frenchman": "France", "Frenchmen": "France", "Englishman": "England",
    "Englishmen": "England", "Irishman": "Ireland", "Irishmen": "Ireland", "Dutchman": "Netherlands",
    "Dutchmen": "Netherlands", "Welshman": "Wales",
}  # fmt: skip
DEMONYMS: dict[str, str] = {
    **_DEMONYM_ADJECTIVES,
    **_DEMONYM_NOUNS,
    # The plural noun of a people is the singular plus -s ("Americans", "Israelis", "Greeks", "Britons"), except
    # where the adjective is itself the plural noun ("the Chinese", "the French", "the Swiss", "the Dutch").
    **{
        f"{word}s": country
        for word, country in (_DEMONYM_ADJECTIVES | _DEMONYM_NOUNS).items()
        if not word.endswith(("sh", "ch", "ese", "ss", "ic", "man", "men"))
    },
    "Czechs": "Czech Republic",
}
# Names of currencies: ISO 4217 as pycountry keeps it (each name, and its head word: "dollar" of "US Dollar",
# "ruble" of "Russian Ruble"), the spellings the news adds, and plurals. A currency is a unit of money, neither an
# organisation nor a person. Left out: codes that are no one's money (X.., metals), accounting units ("Unidad de
# Fomento"), and currency words that are as often a name or a common word ("Real" Madrid, Ayn "Rand", "Won",
# "Sol", "Gold"), where the model's label may be right.
_CURRENCY_WORDS_ALSO_NAMES = frozenset({
    "real", "rand", "won", "sol", "leone", "balboa", "dong", "mark", "colon", "sum", "som", "kina", "tala", "pula",
    "kip", "leu", "dram", "lari", "loti", "oro", "gold", "soberano", "uruguayo",
})  # fmt: skip


def _currency_names() -> frozenset[str]:
    import pycountry

    words = {"yuan", "rouble", "shekel", "greenback", "sterling", "bitcoin"}
    for currency in pycountry.currencies:
        name = _plain(currency.name.split(" (")[0]).lower()
        if currency.alpha_3.startswith("X") or "unidad" in name:
            continue
        words.add(name)
        head = name.split()[-1]
        if head.capitalize() not in DEMONYMS:  # "Rial Omani": the head is the first word
            words.add(head)
    words -= _CURRENCY_WORDS_ALSO_NAMES | {"kroner", "kronor"}  # already plural
    plurals = {f"{word}s" for word in words if not word.endswith("s")} | {"lire", "kronor", "kroner"}
    return frozenset(words | plurals)


CURRENCY_NAMES: frozenset[str] = _currency_names()


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
# Words that make a headline say less than a fact: a forecast, a plan, a possibility or a rumour ("Expected in
# 2020", "Plans to Cut Jobs", "Could Face Fines", "Reportedly"). A headline holding one asserts nothing the body
# must confirm, so it is never called an unconfirmed claim stated as fact. (Not a stance-model feature.)
HEADLINE_HEDGES = HEDGING | frozenset({
    "expected", "expects", "expect", "expecting", "plans", "plan", "planned", "planning", "likely", "unlikely",
    "would", "eyes", "eyeing", "considers", "considering", "mulls", "weighs", "seeks", "aims", "hopes", "predicts",
    "forecast", "forecasts", "rumor", "rumors", "rumour", "rumours", "tipped", "poised", "potential",
    "potentially", "maybe",
})  # fmt: skip

# The headline check's rules. An explicit denial or dismissal; what it refutes is the rest of its sentence
# ("dismissed speculation that the troops could be deployed in ...", "It is incorrect to raise questions ...").
DENIAL_PATTERN = re.compile(
    r"\b(?:den(?:y|ies|ied|ying|ial)|dismiss(?:es|ed|ing)?|reject(?:s|ed|ing)?|refut(?:e|es|ed|ing)|"
    r"rebut(?:s|ted|ting)?|debunk(?:s|ed|ing)?|incorrect|untrue|baseless|unfounded|groundless|hoax|"
    r"(?:no|not\s+any)\s+(?:plans?|intention|evidence|truth|basis)|not\s+true|never\s+(?:planned|intended))\b",
    re.IGNORECASE,
)
# A denial whose object points back to a claim told just before it ("The Pentagon rejected these accusations as
# 'patently false'"): what it denies is the sentence before, the claim's coreferent. A demonstrative points there;
# "the accusation" names one told anywhere ("Assange, who denies the accusation, has avoided extradition").
ANAPHORIC_CLAIM_PATTERN = re.compile(
    r"^\W*(?:as\s+)?(?:these|those|such|this|that)\s+(?:\w+\s+)?"
    r"(?:accusations?|allegations?|claims?|charges?|reports?|rumou?rs?|assertions?|suggestions?)\b",
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


# English stop words for the story index's word statistics: the Glasgow Information Retrieval Group's list as
# scikit-learn ships it (``sklearn.feature_extraction.text.ENGLISH_STOP_WORDS``, 318 words), kept here so that
# reading a store does not import scikit-learn (a second of start-up); a test checks the two stay equal.
_STOP_WORDS_TEXT = (
    "a about above across after afterwards again against all almost alone along already also although always "
    "am among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere are around "
    "as at back be became because become becomes becoming been before beforehand behind being below beside "
    "besides between beyond bill both bottom but by call can cannot cant co con could couldnt cry de "
    "describe detail do done down due during each eg eight either eleven else elsewhere empty enough etc "
    "even ever every everyone everything everywhere except few fifteen fifty fill find fire first five for "
    "former formerly forty found four from front full further get give go had has hasnt have he hence her "
    "here hereafter hereby herein hereupon hers herself him himself his how however hundred i ie if in inc "
    "indeed interest into is it its itself keep last latter latterly least less ltd made many may me "
    "meanwhile might mill mine more moreover most mostly move much must my myself name namely neither never "
    "nevertheless next nine no nobody none noone nor not nothing now nowhere of off often on once one only "
    "onto or other others otherwise our ours ourselves out over own part per perhaps please put rather re "
    "same see seem seemed seeming seems serious several she should show side since sincere six sixty so some "
    "somehow someone something sometime sometimes somewhere still such system take ten than that the their "
    "them themselves then thence there thereafter thereby therefore therein thereupon these they thick thin "
    "third this those though three through throughout thru thus to together too top toward towards twelve "
    "twenty two un under until up upon us very via was we well were what whatever when whence whenever where "
    "whereafter whereas whereby wherein whereupon wherever whether which while whither who whoever whole "
    "whom whose why will with within without would yet you your yours yourself yourselves "
)
ENGLISH_STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())


# ---------------------------------------------------------------------------------------------------- Russian
# Statements in Russian: the verbs (lemmas, as pymorphy3 gives them) that report speech or a source's stated
# position, and the parenthetical phrases that name a source ("по словам X"). Private mental states (знать,
# надеяться, опасаться, хотеть) are not here: they report no statement.
_RU_CUE_TEXT = (
    "заявить заявлять сказать говорить отметить отмечать сообщить сообщать подчеркнуть подчёркивать подчеркивать "
    "добавить добавлять пояснить пояснять признать признавать опровергнуть опровергать уточнить уточнять "
    "рассказать рассказывать напомнить напоминать призвать призывать назвать называть пообещать обещать "
    "предупредить предупреждать объявить объявлять написать писать указать указывать заключить подытожить "
    "продолжить прокомментировать комментировать утверждать считать полагать уверять заверить заверять отрицать "
    "обвинить обвинять прогнозировать предположить предполагать передать передавать цитировать процитировать "
    "ответить отвечать возразить возражать настаивать пожаловаться жаловаться констатировать резюмировать "
    "акцентировать высказаться заметить замечать признаться уверить пригрозить грозить угрожать потребовать требовать "
    "допустить допускать исключить исключать оценить оценивать спрогнозировать "
)
RU_CUE_LEMMAS: frozenset[str] = frozenset(_RU_CUE_TEXT.split())
# Verbs of the list that state a position only when a source holds it ("X считает, что …"), never narration.
RU_OPINION_LEMMAS: frozenset[str] = frozenset({"считать", "полагать", "утверждать", "допускать", "исключать"})
# Predicate adjectives that report a stated view: "X уверен, что …".
RU_OPINION_ADJECTIVES: frozenset[str] = frozenset({"уверен", "уверена", "уверены", "убеждён", "убежден", "убеждена"})
# "по словам X, …", "по мнению X", "по данным X", "по сообщению X", "по информации X", "по оценке X",
# "согласно X": the noun after the preposition that makes X the source of the clause around it.
RU_SOURCE_NOUNS: frozenset[str] = frozenset(
    {"слово", "мнение", "данные", "сообщение", "информация", "оценка", "утверждение", "заявление", "версия"}
)
# Where a statement was made or whom it was made to ("в интервью X", "в беседе с X", "журналистам").
RU_CHANNEL_NOUNS: frozenset[str] = frozenset(
    {
        "интервью",
        "беседа",
        "эфир",
        "telegram",
        "телеграм",
        "телеграм-канал",
        "заявление",
        "пресс-конференция",
        "брифинг",
        "выступление",
        "обращение",
        "блог",
        "twitter",
        "твиттер",
        "соцсеть",
        "микроблог",
    }
)
# Inanimate nouns that make statements in Russian news (a body, its service, a document): an inanimate subject
# outside this list is a parse slip, not a speaker.
RU_SPEAKING_BODIES: frozenset[str] = frozenset(
    {
        "милиция",
        "полиция",
        "пресс-служба",
        "служба",
        "ведомство",
        "министерство",
        "мид",
        "минобороны",
        "штаб",
        "правительство",
        "администрация",
        "кремль",
        "доклад",
        "отчёт",
        "отчет",
        "заявление",
        "сообщение",
        "комитет",
        "комиссия",
        "суд",
        "прокуратура",
        "агентство",
        "газета",
        "издание",
        "телеканал",
        "радиостанция",
        "сайт",
        "организация",
        "партия",
        "компания",
        "банк",
        "посольство",
        "совет",
        "парламент",
        "дума",
        "центр",
        "союз",
        "делегация",
        "представительство",
        "управление",
        "департамент",
        "миссия",
        "руководство",
        "командование",
    }
)
# People who speak for a body: their statement is the body's ("представители Роскосмоса" -> Роскосмос).
RU_SPOKESPERSON_NOUNS: frozenset[str] = frozenset(
    {"представитель", "пресс-секретарь", "спикер", "пресс-атташе", "официальный", "пресс-служба", "сотрудник"}
)
# Sources the article leaves unnamed: their statements keep the words, with no speaker ("источник", "эксперты").
RU_GENERIC_SOURCES: frozenset[str] = frozenset(
    {
        "источник",
        "эксперт",
        "аналитик",
        "сми",
        "специалист",
        "наблюдатель",
        "очевидец",
        "житель",
        "избиратель",
        "человек",
        "люди",
        "некоторый",
        "многие",
        "кто-то",
        "собеседник",
        "участник",
        "пользователь",
    }
)
RU_AUDIENCE_NOUNS: frozenset[str] = frozenset({"журналист", "корреспондент", "репортёр", "репортер", "агентство"})

# Russian times and figures (#31). Russian inflects month, weekday and number words, so each is listed with every
# case form the rules must match (a stem and its endings), not one lemma: the time rules read raw text, unparsed.


def _ru_forms(table: list[tuple[str, object, str]]) -> dict[str, object]:
    """Every form of each stem ("_" the empty ending): [("январ", 1, "ь я е")] → {"январь": 1, "января": 1, …}."""
    return {stem + ending.strip("_"): value for stem, value, endings in table for ending in endings.split()}


_RU_SOFT, _RU_HARD = "ь я е ю ём ем", "_ а е у ом"
RU_MONTHS: dict[str, int] = {
    form: int(str(value))
    for form, value in _ru_forms(
        [("январ", 1, _RU_SOFT), ("феврал", 2, _RU_SOFT), ("март", 3, _RU_HARD), ("апрел", 4, _RU_SOFT),
         ("ма", 5, "й я е ю ем"), ("июн", 6, _RU_SOFT), ("июл", 7, _RU_SOFT), ("август", 8, _RU_HARD),
         ("сентябр", 9, _RU_SOFT), ("октябр", 10, _RU_SOFT), ("ноябр", 11, _RU_SOFT), ("декабр", 12, _RU_SOFT)]
    ).items()
}  # fmt: skip
# Abbreviated months, read only after a day ("МОСКВА, 24 дек — РИА Новости").
RU_MONTH_ABBREVIATIONS: dict[str, int] = {"янв": 1, "фев": 2, "февр": 2, "мар": 3, "апр": 4, "июн": 6, "июл": 7,
                                          "авг": 8, "сен": 9, "сент": 9, "окт": 10, "ноя": 11, "нояб": 11,
                                          "дек": 12}  # fmt: skip
# Monday is 0, as datetime counts; the plural dative ("по субботам") marks a recurring day.
RU_WEEKDAYS: dict[str, int] = {
    form: int(str(value))
    for form, value in _ru_forms(
        [("понедельник", 0, "_ а у ом е и ам"), ("вторник", 1, "_ а у ом е и ам"), ("сред", 2, "а у ы е ой ам"),
         ("четверг", 3, "_ а у ом е и ам"), ("пятниц", 4, "а у ы е ей ам"), ("суббот", 5, "а у ы е ой ам"),
         ("воскресень", 6, "е я ю ем ям")]
    ).items()
}  # fmt: skip
# Cardinal and collective number words in every case the rules meet ("трёх дней", "двое военных").
RU_NUMBER_WORDS: dict[str, float] = {
    form: float(str(value))
    for form, value in _ru_forms(
        [("од", 1, "ин ного ному ним ном на ной ну но"), ("дв", 2, "а е ух ум умя"),
         ("тр", 3, "и ёх ех ём ем емя"), ("четыр", 4, "е ёх ех ём ем ьмя"), ("пят", 5, "ь и ью"),
         ("шест", 6, "ь и ью"), ("сем", 7, "ь и ью"), ("вос", 8, "емь ьми емью"), ("девят", 9, "ь и ью"),
         ("десят", 10, "ь и ью"), ("одиннадцат", 11, "ь и ью"), ("двенадцат", 12, "ь и ью"),
         ("тринадцат", 13, "ь и ью"), ("четырнадцат", 14, "ь и ью"), ("пятнадцат", 15, "ь и ью"),
         ("шестнадцат", 16, "ь и ью"), ("семнадцат", 17, "ь и ью"), ("восемнадцат", 18, "ь и ью"),
         ("девятнадцат", 19, "ь и ью"), ("двадцат", 20, "ь и ью"), ("тридцат", 30, "ь и ью"),
         ("сорок", 40, "_ а"), ("пят", 50, "ьдесят идесяти"), ("шест", 60, "ьдесят идесяти"),
         ("сем", 70, "ьдесят идесяти"), ("вос", 80, "емьдесят ьмидесяти"), ("девяност", 90, "о а"),
         ("ст", 100, "о а"), ("двест", 200, "и"), ("двухс", 200, "от"), ("трист", 300, "а"),
         ("трёхс", 300, "от"), ("трехс", 300, "от"), ("четырест", 400, "а"), ("четырёхс", 400, "от"),
         ("четырехс", 400, "от"), ("пятьс", 500, "от"), ("пятис", 500, "от"),
         ("дво", 2, "е их им"), ("тро", 3, "е их им"), ("четвер", 4, "о ых ым"), ("пятер", 5, "о ых ым"),
         ("шестер", 6, "о ых ым"), ("семер", 7, "о ых ым"), ("десятер", 10, "о ых ым"),
         ("полтор", 1.5, "а ы"), ("полутор", 1.5, "а")]
    ).items()
}  # fmt: skip
# Amounts that count without a number ("несколько дней"): a duration of unknown length.
_RU_VAGUE_TEXT = "несколько нескольких нескольким несколькими пару пара пары считанные считанных"
RU_VAGUE_NUMBERS: frozenset[str] = frozenset(_RU_VAGUE_TEXT.split())
# Multipliers after a number ("9 тыс.", "100 млн", "три тысячи"): abbreviations and every form of the nouns.
RU_SCALES: dict[str, float] = {
    form: float(str(value))
    for form, value in _ru_forms(
        [("тыс", 1e3, "_ ."), ("тысяч", 1e3, "_ а и у ей ами ам"), ("млн", 1e6, "_ ."), ("млрд", 1e9, "_ ."),
         ("трлн", 1e12, "_ ."), ("миллион", 1e6, "_ а ов ом ами"), ("миллиард", 1e9, "_ а ов ом ами"),
         ("триллион", 1e12, "_ а ов ом ами")]
    ).items()
}  # fmt: skip
# Hedges written before a figure, as the figure's ``approximate`` records them.
RU_HEDGES: tuple[str, ...] = (
    "около", "примерно", "приблизительно", "ориентировочно", "почти", "более", "более чем", "свыше", "больше",
    "менее", "менее чем", "меньше", "не менее", "не менее чем", "не более", "не более чем", "не меньше",
    "не больше", "порядка", "до", "как минимум", "как максимум", "по меньшей мере", "по крайней мере",
    "чуть более", "чуть менее", "чуть больше", "чуть меньше", "немногим более", "немногим менее", "почти что",
    "едва ли не", "минимум", "максимум", "свыше чем", "по оценкам", "предположительно",
)  # fmt: skip
# Currency words and signs in the ISO codes the English figures use ("100 млн рублей" → RUB).
RU_CURRENCIES: dict[str, str] = {
    form: str(value)
    for form, value in _ru_forms(
        [("рубл", "RUB", "ь я ей ям ями ях ю ем и"), ("руб", "RUB", "."), ("доллар", "USD", "_ а ов ам ами ах у ы"),
         ("долл", "USD", "."), ("евро", "EUR", "_"), ("фунт", "GBP", "_ а ов ам ами ы"),
         ("юан", "CNY", "ь я ей ям ями и ю"), ("иен", "JPY", "а ы у ой _ ам"), ("йен", "JPY", "а ы у ой _ ам"),
         ("гривн", "UAH", "а ы у ой е ам ами"), ("гривен", "UAH", "_"), ("тенге", "KZT", "_"),
         ("франк", "CHF", "_ а ов ам ами и"), ("$", "USD", "_"), ("€", "EUR", "_"), ("£", "GBP", "_"),
         ("¥", "JPY", "_"), ("₽", "RUB", "_"), ("₴", "UAH", "_")]
    ).items()
}  # fmt: skip
# Words just before a currency that make it another country's ("белорусских рублей" are BYN, not RUB).
RU_CURRENCY_COUNTRIES: dict[str, str] = {"белорусск": "BYN", "гонконгск": "HKD", "канадск": "CAD",
                                         "австралийск": "AUD", "швейцарск": "CHF", "сингапурск": "SGD"}  # fmt: skip
# Units of measure (lemmas) that make a figure a measure rather than a count.
_RU_MEASURE_TEXT = (
    "километр км метр м сантиметр см миллиметр мм килограмм кг грамм г тонна т гектар га баррель литр л "
    "кубометр градус миля мегаватт мвт гигаватт квт киловатт-час ватт кв.м квадратный"
)
RU_MEASURE_UNITS: frozenset[str] = frozenset(_RU_MEASURE_TEXT.split())
# Words before a time in the same sentence that put a bare weekday or month in the future ("состоится в субботу").
RU_FUTURE_CUES: tuple[str, ...] = (
    "будет", "будут", "будем", "буду", "будете", "планирует", "планируют", "планируется", "запланирован",
    "запланирована", "запланировано", "запланированы", "намерен", "намерена", "намерены", "собирается",
    "собираются", "ожидается", "ожидаются", "состоится", "состоятся", "пройдет", "пройдёт", "пройдут",
    "начнется", "начнётся", "предстоит", "предстоящ", "следующ", "ближайш", "должен", "должна", "должно",
    "должны", "назначен", "назначена", "назначено", "намечен", "намечена", "намечено",
)  # fmt: skip


# One identity across languages (#31): the English names of places and bodies a Russian article writes, and the
# English spellings of Russian given names that no spelling fold reaches. The corpus keys a Cyrillic name by its
# English name where these tables have one ("Россия" is "Russia", "Aleksandr" is "Alexander"), else by its
# transliteration; every English name keeps the key it had.
_RU_NEWS_NAMES = {
    "Россия": "Russia", "Белоруссия": "Belarus", "Беларусь": "Belarus", "США": "United States",
    "Соединённые Штаты": "United States", "Америка": "United States", "Великобритания": "United Kingdom",
    "Британия": "United Kingdom", "Англия": "England", "Шотландия": "Scotland", "Молдавия": "Moldova",
    "Киргизия": "Kyrgyzstan", "КНДР": "North Korea", "КНР": "China", "ФРГ": "Germany", "ОАЭ": "United Arab Emirates",
    "ЮАР": "South Africa", "Косово": "Kosovo", "Крым": "Crimea", "СССР": "Soviet Union",
    "Советский Союз": "Soviet Union",
    "Корея": "Korea", "Москва": "Moscow", "Киев": "Kiev", "Париж": "Paris", "Пекин": "Beijing", "Брюссель": "Brussels",
    "Рим": "Rome", "Варшава": "Warsaw", "Прага": "Prague", "Вена": "Vienna", "Афины": "Athens", "Кишинёв": "Chisinau",
    "Копенгаген": "Copenhagen", "Санкт-Петербург": "Saint Petersburg", "Петербург": "Saint Petersburg",
    "Женева": "Geneva", "Стамбул": "Istanbul", "Луганск": "Luhansk", "Харьков": "Kharkiv", "Львов": "Lviv",
    "Запорожье": "Zaporizhzhia", "Николаев": "Mykolaiv", "Одесса": "Odesa", "Днепр": "Dnipro", "Донбасс": "Donbas",
    "Кремль": "Kremlin", "Белый дом": "White House", "ООН": "United Nations", "ЕС": "European Union",
    "Евросоюз": "European Union", "Европейский союз": "European Union", "МВФ": "International Monetary Fund",
    "ВОЗ": "World Health Organization", "ВТО": "World Trade Organization", "НАТО": "NATO", "Интерфакс": "Interfax",
}  # fmt: skip
# Russian given names as anyascii writes them, with the spelling English news gives them, where the two keep
# different keys after the spelling folds (corpus._text.name_key): Aleksandr/Alexander, Pyotr/Petr. A Ukrainian's
# name in a Russian text is the Russian form: Владимир Зеленский is Volodymyr Zelensky.
RU_GIVEN_NAMES_IN_ENGLISH: dict[str, str] = {
    "Aleksandr": "Alexander", "Petr": "Pyotr", "Fedor": "Fyodor", "Artem": "Artyom", "Semen": "Semyon",
    "Iosif": "Joseph", "Vladimir": "Volodymyr",
}  # fmt: skip


def _ru_key(name: str) -> str:
    """A Russian name as the table looks it up: case folded, ё as е, spaces single."""
    return " ".join(name.casefold().replace("ё", "е").split())


def russian_names_in_english() -> dict[str, str]:
    """Russian country, place and body names (case folded, ё as е) → the English name an English entity takes:
    ISO 3166-1's Russian names (pycountry's gettext catalogue) and the short forms the news uses."""
    global _RU_NAMES
    if _RU_NAMES is None:  # read once, when a corpus first keys a Cyrillic name: no import cost at start
        import gettext

        import pycountry

        russian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
        names: dict[str, str] = {}
        for country in pycountry.countries:
            iso = country.name
            canonical = _NEWS_COUNTRY_NAMES.get(iso) or getattr(country, "common_name", None) or iso.split(" (")[0]
            for english in (iso, getattr(country, "official_name", None), getattr(country, "common_name", None)):
                translated = russian.gettext(english) if english else ""
                if translated and translated != english:
                    names[_ru_key(translated)] = canonical
        names.update((_ru_key(russian_name), english) for russian_name, english in _RU_NEWS_NAMES.items())
        _RU_NAMES = names
    return _RU_NAMES


def english_name_of_russian(name: str) -> str | None:
    """The English name of a Russian country, place or body name ("Россия" → "Russia"), or None."""
    return russian_names_in_english().get(_ru_key(name))


_RU_NAMES: dict[str, str] | None = None
