"""One Russian article parsed paragraph by paragraph into sentences, tokens and named spans at article offsets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from newstrace.annotate.russian._models import RussianModels
from newstrace.model import Span

__all__ = ["NamedSpan", "RussianDoc", "Sentence", "Token", "parse_russian"]


@dataclass(frozen=True, slots=True)
class Token:
    """A word with slovnet's part of speech, features and dependency, and its lemma; offsets are the article's."""

    index: int  # position in its sentence
    text: str
    start: int
    end: int
    pos: str
    feats: Mapping[str, str]
    lemma: str
    head: int  # index of the head in the same sentence, -1 for the root
    rel: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of one paragraph with its tokens."""

    start: int
    end: int
    tokens: tuple[Token, ...]

    def children(self, index: int) -> list[Token]:
        """The tokens whose head is token ``index``."""
        return [token for token in self.tokens if token.head == index]


@dataclass(frozen=True, slots=True)
class NamedSpan:
    """A PER, ORG or LOC span as slovnet tagged it, with its nominative form and, for a person, the name's parts."""

    start: int
    end: int
    text: str
    label: str
    normal: str
    parts: Mapping[str, str] = field(default_factory=dict)  # "first", "middle", "last" for a person


@dataclass(slots=True)
class RussianDoc:
    """The parse of one article: its sentences in order and its named spans in order."""

    text: str
    sentences: list[Sentence]
    names: list[NamedSpan]

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence holding article offset ``offset``."""
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None


def parse_russian(text: str, paragraphs: list[Span], models: RussianModels) -> RussianDoc:
    """Sentences, tokens, morphology, syntax and named spans of the article's paragraphs."""
    from threadpoolctl import threadpool_limits

    # slovnet's small matrix products run fastest on one BLAS thread: with the default threads, idle spinning cost
    # about six times the CPU of an English article of the same length (bench/annotate.py --russian).
    with threadpool_limits(limits=1, user_api="blas"):
        return _parse(text, paragraphs, models)


def _parse(text: str, paragraphs: list[Span], models: RussianModels) -> RussianDoc:
    import natasha

    sentences: list[Sentence] = []
    names: list[NamedSpan] = []
    for paragraph in paragraphs:
        if not paragraph.text.strip():
            continue
        doc = natasha.Doc(paragraph.text)
        doc.segment(models.segmenter)
        doc.tag_morph(models.morph_tagger)
        doc.parse_syntax(models.syntax_parser)
        doc.tag_ner(models.ner_tagger)
        offset = paragraph.start
        for sent in doc.sents:
            positions = {token.id: i for i, token in enumerate(sent.tokens)}
            tokens = []
            for i, token in enumerate(sent.tokens):
                token.lemmatize(models.morph_vocab)
                tokens.append(
                    Token(
                        index=i,
                        text=token.text,
                        start=offset + token.start,
                        end=offset + token.stop,
                        pos=token.pos or "X",
                        feats=dict(token.feats or {}),
                        lemma=token.lemma or token.text.lower(),
                        head=positions.get(token.head_id, -1),
                        rel=token.rel or "",
                    )
                )
            sentences.append(Sentence(offset + sent.start, offset + sent.stop, tuple(tokens)))
        for span in doc.spans:
            span.normalize(models.morph_vocab)
            parts: dict[str, str] = {}
            if span.type == "PER":
                span.extract_fact(models.names_extractor)
                if span.fact is not None:
                    parts = {key: value for key, value in span.fact.as_dict.items() if isinstance(value, str)}
            start, end = offset + span.start, offset + span.stop
            normal = span.normal or span.text
            # A long name already in the nominative stays as written: natasha re-inflects words inside it
            # ("Организация по безопасности и сотрудничеству в Европе" came back ending "в Европа").
            if span.type != "PER" and len(span.tokens) >= 3 and span.tokens[0].feats.get("Case") == "Nom":
                normal = span.text
            names.append(NamedSpan(start, end, text[start:end], span.type, normal, parts))
    return RussianDoc(text, sentences, names)
