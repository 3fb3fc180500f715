"""The search language: words, "phrases", prefix*, OR, NOT / -word and parentheses, parsed once for both databases."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["MAX_PREFIXES", "MAX_WORDS", "And", "Not", "Or", "QuerySyntaxError", "Term", "parse_query", "to_fts5"]


class QuerySyntaxError(ValueError):
    """A search query that cannot be read: the message says where and why."""


@dataclass(frozen=True, slots=True)
class Term:
    """Words that must appear together, in order (one word, or a quoted phrase); ``prefix`` extends the last."""

    words: tuple[str, ...]
    prefix: bool = False
    phrase: bool = False


@dataclass(frozen=True, slots=True)
class Not:
    """Articles that do not match the operand."""

    operand: Node


@dataclass(frozen=True, slots=True)
class And:
    """Every operand matches."""

    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """Any operand matches."""

    operands: tuple[Node, ...]


Node = Term | Not | And | Or

# Parentheses nest at most this deep: the parser and the tree's readers recurse once per level, and no search a
# person writes needs more.
MAX_NESTING = 32
# A query holds at most this many words (each word of a phrase counts, repeats too) and this many prefixes. A search a
# person writes has a few words and a prefix or two, a pasted sentence a few dozen; past that a query only costs: the
# index's work grows with the square of its terms (a snippet weighs each match of every term against the others: 40
# copies of ``a*`` took 5 s on 150 articles, 160 copies minutes), and a prefix stands for every word it begins.
MAX_WORDS = 64
MAX_PREFIXES = 16

_TOKEN = re.compile(r'\s*(?:(?P<quote>"[^"]*"?)|(?P<open>\()|(?P<close>\))|(?P<word>[^\s()"]+))')


def parse_query(query: str) -> Node:
    """The query's tree, each term once; raises QuerySyntaxError on an unclosed quote or parenthesis, a dangling OR
    or NOT, a query that only excludes, or one over MAX_WORDS words or MAX_PREFIXES prefixes."""
    tokens = _tokenize(query)
    if not tokens:
        raise QuerySyntaxError("the query has no words to search for")
    parser = _Parser(tokens)
    node = parser.parse_or()
    if parser.position < len(tokens):
        raise QuerySyntaxError("a closing parenthesis has no opening one")
    _require_positive(node)
    _require_bounded(node)
    return _simplified(node)


def _require_bounded(node: Node) -> None:
    """The query as written holds at most MAX_WORDS words and MAX_PREFIXES prefixes (repeats count: they cost)."""
    terms = list(_occurrences(node))
    words = sum(len(term.words) for term in terms)
    if words > MAX_WORDS:
        raise QuerySyntaxError(f"it has {words} words; a search takes at most {MAX_WORDS}")
    prefixes = sum(term.prefix for term in terms)
    if prefixes > MAX_PREFIXES:
        raise QuerySyntaxError(f"it has {prefixes} prefixes (word*); a search takes at most {MAX_PREFIXES}")


def _occurrences(node: Node) -> Iterator[Term]:
    if isinstance(node, Term):
        yield node
    elif isinstance(node, Not):
        yield from _occurrences(node.operand)
    else:
        for operand in node.operands:
            yield from _occurrences(operand)


def _simplified(node: Node) -> Node:
    """The same search with each AND or OR flattened into its own kind and holding each operand once.

    ``a* a*`` finds what ``a*`` finds, but the index would match and weigh the term once per copy.
    """
    if isinstance(node, Term):
        return node
    if isinstance(node, Not):
        return Not(_simplified(node.operand))
    kind = type(node)
    operands: dict[Node, None] = {}
    for operand in node.operands:
        simple = _simplified(operand)
        for part in simple.operands if isinstance(simple, kind) else (simple,):
            operands[part] = None
    return next(iter(operands)) if len(operands) == 1 else kind(tuple(operands))


def to_fts5(node: Node) -> str:
    """The FTS5 MATCH expression for a tree; every word is quoted, so FTS5 syntax in words cannot leak through."""
    if isinstance(node, Term):
        phrase = '"' + " ".join(node.words) + '"'
        return phrase + " *" if node.prefix else phrase
    if isinstance(node, Or):
        return "(" + " OR ".join(to_fts5(operand) for operand in node.operands) + ")"
    if isinstance(node, And):
        # FTS5's NOT is binary ("a NOT b"): positives joined by AND, then each exclusion.
        positives = [to_fts5(o) for o in node.operands if not isinstance(o, Not)]
        negatives = [to_fts5(o.operand) for o in node.operands if isinstance(o, Not)]
        expression = "(" + " AND ".join(positives) + ")"
        for negative in negatives:
            expression += " NOT " + negative
        return "(" + expression + ")"
    raise QuerySyntaxError("NOT needs something to exclude from, as in: talks NOT Minsk")


def _tokenize(query: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(query):
        match = _TOKEN.match(query, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        kind = match.lastgroup
        assert kind is not None
        tokens.append((kind, match.group(kind)))
    return tokens


def _words(text: str) -> tuple[str, ...]:
    """The index's tokens in a piece of text: letters and digits, as both full-text indexes split them."""
    return tuple(re.findall(r"\w+", text))


class _Parser:
    """Recursive descent: or := and (OR and)*; and := unary+; unary := (NOT | -) atom | atom."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.position = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def parse_or(self) -> Node:
        operands = [self.parse_and()]
        while (token := self.peek()) is not None and token == ("word", "OR"):
            self.position += 1
            if self.peek() is None or self.peek() == ("close", ")"):
                raise QuerySyntaxError("OR needs a term on both sides")
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def parse_and(self) -> Node:
        operands: list[Node] = []
        while (token := self.peek()) is not None and token != ("close", ")") and token != ("word", "OR"):
            operand = self.parse_unary()
            if operand is not None:
                operands.append(operand)
        if not operands:
            token = self.peek()
            where = f"before {token[1]!r}" if token else "at the end"
            raise QuerySyntaxError(f"a term is missing {where}")
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def parse_unary(self) -> Node | None:
        kind, value = self.tokens[self.position]
        if (kind, value) == ("word", "NOT") or (kind == "word" and value.startswith("-") and len(value) > 1):
            if value == "NOT":
                self.position += 1
            else:
                self.tokens[self.position] = ("word", value[1:])
            if self.peek() is None or self.peek() in (("close", ")"), ("word", "OR")):
                raise QuerySyntaxError("NOT needs a term after it")
            operand = self.parse_atom()
            return Not(operand) if operand is not None else None
        return self.parse_atom()

    def parse_atom(self) -> Node | None:
        kind, value = self.tokens[self.position]
        self.position += 1
        if kind == "open":
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise QuerySyntaxError(f"parentheses nest more than {MAX_NESTING} deep")
            node = self.parse_or()
            self.depth -= 1
            if self.peek() != ("close", ")"):
                raise QuerySyntaxError("a parenthesis is not closed")
            self.position += 1
            return node
        if kind == "close":
            raise QuerySyntaxError("a closing parenthesis has no opening one")
        if kind == "quote":
            if len(value) < 2 or not value.endswith('"'):
                raise QuerySyntaxError("a quoted phrase is not closed")
            words = _words(value[1:-1])
            if not words:
                raise QuerySyntaxError("a quoted phrase has no words")
            return Term(words, phrase=True)
        prefix = value.endswith("*")
        words = _words(value)
        if not words:
            # Punctuation alone ("&", "--") indexes nothing: it neither narrows nor widens the search.
            return None
        return Term(words, prefix=prefix)


def _require_positive(node: Node) -> None:
    """Full-text engines can only exclude from a set that something includes."""
    if isinstance(node, Not):
        raise QuerySyntaxError("NOT needs something to exclude from, as in: talks NOT Minsk")
    if isinstance(node, Or):
        for operand in node.operands:
            _require_positive(operand)
    if isinstance(node, And):
        if all(isinstance(operand, Not) for operand in node.operands):
            raise QuerySyntaxError("NOT needs something to exclude from, as in: talks NOT Minsk")
        for operand in node.operands:
            if not isinstance(operand, Not):
                _require_positive(operand)
            else:
                _require_positive_inner(operand.operand)


def _require_positive_inner(node: Node) -> None:
    if not isinstance(node, Not):
        _require_positive(node)
