"""Russian named entities scored on FactRuEval-2016 (track 1: PER, ORG, LOC) with the competition's own rules.

Each ``book_N.txt`` goes through the pipeline's ``clean`` and ``annotate`` stages as ``newstrace analyze`` reads
a text file (the later stages leave entities alone), and the article's mentions are mapped back to the file's
offsets through the article's source map: PERSON is a person, ORG an organisation, GPE and LOC a place. The
scoring (``_factru_match``) follows the official track-1 script: the set's own tokens, name tokens weighed over
descriptors, embedded and unnamed objects ignored, the matching that gives each document its best F1. LocOrg is
scored as a location, the script's ``-l`` option, since the pipeline's labels do not tell a country acting as an
organisation from the place. Bare slovnet (natasha's ``NewsNERTagger`` over the raw text) is scored in the same
run, beside it.

Differences from the official script: the matching is exact within each group of overlapping objects (the script's
search skips some alternatives, so a figure here is never below the script's on the same spans); a mention whose
cleaned text cannot be placed back in the file (none on the dev set) is counted as ``unplaced`` and left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newstrace.datasets.factru import FactRuDocument, read_factru
from newstrace.evaluate._factru_match import TAGS, Counts, score_document
from newstrace.model import Article

__all__ = ["EntityScores", "evaluate_entities_ru", "response_of_article"]

# The pipeline's labels in the track's tags.
_TAG_OF_LABEL = {"PERSON": "per", "ORG": "org", "GPE": "loc", "LOC": "loc"}
_SLOVNET_TAGS = {"PER": "per", "ORG": "org", "LOC": "loc"}
Response = list[tuple[str, int, int]]


@dataclass(slots=True)
class SystemScores:
    """One system's counts per type and overall, summed over the documents."""

    name: str
    counts: dict[str, Counts] = field(default_factory=lambda: {tag: Counts() for tag in (*TAGS, "overall")})

    def add(self, document_counts: dict[str, Counts]) -> None:
        """Add one document's counts."""
        for tag, counts in document_counts.items():
            self.counts[tag].add(counts)

    def to_dict(self) -> dict[str, Any]:
        """Each type's precision, recall, F1 and counts."""
        return {tag.upper() if tag != "overall" else tag: counts.to_dict() for tag, counts in self.counts.items()}


@dataclass(slots=True)
class EntityScores:
    """The report: newstrace and bare slovnet on one FactRuEval folder."""

    folder: str
    documents: int = 0
    failed: list[str] = field(default_factory=list)
    unplaced: int = 0
    systems: list[SystemScores] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self, details: bool = False) -> dict[str, Any]:
        """The figures as ``newstrace evaluate entities-ru --json`` prints them."""
        report: dict[str, Any] = {
            "task": "FactRuEval-2016 track 1 (PER, ORG, LOC; LocOrg scored as LOC)",
            "folder": self.folder,
            "documents": self.documents,
            "failed": self.failed,
            "unplaced_mentions": self.unplaced,
            "systems": {system.name: system.to_dict() for system in self.systems},
        }
        if details:
            report["mistakes"] = self.errors
        return report


def response_of_article(article: Article, raw: str) -> tuple[Response, int]:
    """The article's mentions as ``(tag, start, end)`` in ``raw``'s offsets, and how many could not be placed."""
    response: Response = []
    unplaced = 0
    for mention in article.entities:
        tag = _TAG_OF_LABEL.get(mention.label)
        if tag is None:
            continue
        placed = _place(article, mention.start, mention.end, raw)
        if placed is None:
            unplaced += 1
            continue
        response.append((tag, *placed))
    return response, unplaced


def _place(article: Article, start: int, end: int, raw: str) -> tuple[int, int] | None:
    """Where cleaned text ``start:end`` lies in ``raw``: the source map's offsets, checked against the text."""
    wanted = article.text[start:end]
    raw_start = article.raw_offset(start)
    if raw_start is None:
        return None
    if raw[raw_start : raw_start + len(wanted)] == wanted:
        return raw_start, raw_start + len(wanted)
    # An inexact segment (spaces collapsed, quotes unified) maps by proportion: look for the words nearby.
    nearby = raw.find(wanted, max(0, raw_start - 40), raw_start + len(wanted) + 40)
    return (nearby, nearby + len(wanted)) if nearby >= 0 else None


def _slovnet_response(text: str) -> Response:
    """natasha's NER spans over the raw text, as the bare model tags them."""
    import natasha

    from newstrace.annotate.russian import load_russian

    models = load_russian()
    doc = natasha.Doc(text)
    doc.segment(models.segmenter)
    doc.tag_ner(models.ner_tagger)
    return [(_SLOVNET_TAGS[span.type], span.start, span.stop) for span in doc.spans if span.type in _SLOVNET_TAGS]


def evaluate_entities_ru(
    folder: Path,
    progress: Callable[[list[FactRuDocument]], Iterable[FactRuDocument]] | None = None,
    details: bool = False,
) -> EntityScores:
    """Run the pipeline (and bare slovnet) over every text of a FactRuEval folder and score both."""
    from newstrace.ingest import iter_documents
    from newstrace.model import Failure
    from newstrace.run.local import InProcessRunner

    documents = read_factru(folder)
    runner = InProcessRunner(("clean", "annotate"))
    scores = EntityScores(str(folder), systems=[SystemScores("newstrace"), SystemScores("slovnet (bare NER)")])
    for document in progress(documents) if progress else documents:
        scores.documents += 1
        (result,) = list(runner.run(list(iter_documents([str(folder / f"{document.name}.txt")]))))
        if isinstance(result, Failure):
            scores.failed.append(f"{document.name}: {result.reason}")
            response: Response = []
        else:
            response, unplaced = response_of_article(result, document.text)
            scores.unplaced += unplaced
        ours, mistakes = score_document(document, response)
        scores.systems[0].add(ours)
        scores.systems[1].add(score_document(document, _slovnet_response(document.text))[0])
        if details and mistakes:
            scores.errors.append({"document": document.name, "mistakes": mistakes})
    return scores
