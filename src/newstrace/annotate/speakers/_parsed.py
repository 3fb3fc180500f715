"""One parsed article read by position: the paragraph, sentence, token and entity mention at a character."""

from __future__ import annotations

import bisect

from spacy.tokens import Doc, Token

from newstrace.model import Article, Mention

_DROP_FROM_PHRASE = {"relcl", "acl", "appos", "punct", "advcl"}
_LEADING = {"the", "a", "an"}


class ParsedArticle:
    """An article's parsed paragraphs with its mentions, sentences and paragraphs indexed by position."""

    def __init__(self, article: Article, docs: list[tuple[int, Doc]]) -> None:
        self.article = article
        self.docs = docs
        self._starts = [offset for offset, _ in docs]
        self.mentions = sorted(article.entities, key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]
        self.sentences = sorted(
            (offset + sentence.start_char, offset + sentence.end_char) for offset, doc in docs for sentence in doc.sents
        )
        self._sentence_starts = [start for start, _ in self.sentences]
        self._paragraph_starts = [p.start for p in article.paragraphs]
        self._offsets = {id(doc): offset for offset, doc in docs}

    def doc_of(self, position: int) -> tuple[int, Doc] | None:
        index = bisect.bisect_right(self._starts, position) - 1
        if index < 0:
            return None
        offset, doc = self.docs[index]
        return (offset, doc) if position <= offset + doc_length(doc) else None

    def doc_offset(self, token: Token) -> int:
        return self._offsets.get(id(token.doc), 0)

    def token_at(self, position: int) -> Token | None:
        found = self.doc_of(position)
        if found is None:
            return None
        offset, doc = found
        span = doc.char_span(position - offset, position - offset + 1, alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    def head(self, source: tuple[int, int]) -> Token | None:
        found = self.doc_of(source[0])
        if found is None:
            return None
        offset, doc = found
        span = doc.char_span(source[0] - offset, min(source[1], offset + doc_length(doc)) - offset,
                             alignment_mode="expand")  # fmt: skip
        if span is None or not len(span):
            return None
        return span.root

    def phrase_bounds(self, head: Token) -> tuple[int, int]:
        tokens = _phrase_tokens(head)
        offset = self.doc_offset(head)
        return offset + tokens[0].idx, offset + tokens[-1].idx + len(tokens[-1].text)

    def phrase_text(self, head: Token) -> str:
        start, end = self.phrase_bounds(head)
        return _strip_leading(self.article.text[start:end])

    def mention_covering(self, position: int) -> Mention | None:
        index = bisect.bisect_right(self.mention_starts, position) - 1
        while index >= 0 and self.mentions[index].end > position - 200:
            mention = self.mentions[index]
            if mention.start <= position < mention.end:
                return mention
            index -= 1
        return None

    def sentence_index(self, position: int) -> int:
        return max(0, bisect.bisect_right(self._sentence_starts, position) - 1)

    def paragraph_floor(self, position: int, back: int) -> int:
        paragraphs = self.article.paragraphs
        index = bisect.bisect_right(self._paragraph_starts, position) - 1
        return paragraphs[max(0, index - back)].start if paragraphs and index >= 0 else 0


def doc_length(doc: Doc) -> int:
    """Characters in a parsed text, without building its string (``len(doc.text)`` joins every token)."""
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


def _phrase_tokens(head: Token) -> list[Token]:
    """The head's noun phrase without its relative clause, apposition or trailing punctuation."""
    dropped = {t.i for child in head.children if child.dep_ in _DROP_FROM_PHRASE and child.i > head.i
               for t in child.subtree}  # fmt: skip
    tokens = [t for t in head.subtree if t.i not in dropped]
    # Only the contiguous run around the head: an apposition cut out leaves no gap inside the phrase.
    run = [t for t in tokens if t.i <= head.i]
    for token in tokens:
        if token.i > head.i and token.i == run[-1].i + 1:
            run.append(token)
    while len(run) > 1 and (run[-1].is_punct or run[-1].lower_ in ("'s", "’s")):
        run.pop()
    while len(run) > 1 and run[0].is_punct:
        run.pop(0)
    return run


def _strip_leading(text: str) -> str:
    words = text.strip(" ,;:").split()
    while len(words) > 1 and words[0].lower() in _LEADING:
        words = words[1:]
    if len(words) > 3 and words[0].lower() == "both" and "and" in words[2:]:
        words = words[1:]  # "both analysts and sources": the correlative "both ... and", not part of the name
    return " ".join(words)


def _name_head(token: Token) -> Token:
    """The word a name's parts hang from: "Sowers" for "Eyamba" in "Eyamba Sowers"."""
    head = token
    while head.dep_ in ("compound", "flat") and head.head is not head:
        head = head.head
    return head


def _subject_of_clause(token: Token) -> bool:
    return _name_head(token).dep_ in ("nsubj", "nsubjpass")


def _subject_of_sentence(token: Token | None) -> bool:
    """Whether a name is the subject of its sentence's main verb (not of a clause inside it)."""
    return token is not None and _subject_of_clause(token) and _name_head(token).head.dep_ == "ROOT"
