"""Stories and headline verdicts scored on a labelled stream: the AEB pages with FNC-1 bodies mixed in, in one store.

The command ingests the stream into a fresh store as a user would and hands back what the store made of each input;
this module plans the inputs (:func:`plan_stream`), reads the store's answer per input (:func:`read_back`) and scores
it (:func:`score_stream`): story B-cubed and pairwise P/R/F1 over the AEB pages, the FNC-1 bodies and both, the AEB
pages' false joins with each member's similarity, and the pages flagged misleading against their headline labels.
Pairs of pages the labels keep apart on purpose (``uncertain``) are skipped: neither right nor wrong.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newstrace.corpus import StoryRecord
from newstrace.datasets.fnc1 import body_order, gold_stories
from newstrace.datasets.stream import HEADLINE_LABELS, StreamLabels, read_stream, sample_stories
from newstrace.evaluate.metrics import prf_dict
from newstrace.evaluate.stories import _pairs, bcubed
from newstrace.ingest import source_name
from newstrace.model import Article, Failure
from newstrace.run.local import Present

if TYPE_CHECKING:
    from newstrace.run.job import IngestSummary

__all__ = [
    "AEB",
    "FALSE_ALARM_LABELS",
    "FNC1",
    "MISSED_LABELS",
    "Arrivals",
    "Placed",
    "StreamPlan",
    "evaluate_stream",
    "pair_sets",
    "plan_stream",
    "read_back",
    "report_lines",
    "score_stream",
    "verdict_confusion",
]

AEB, FNC1 = "aeb", "fnc1"
FALSE_ALARM_LABELS = ("supported", "hedged")  # a misleading flag on these is a false alarm
MISSED_LABELS = ("overstated", "contradicted")  # a misleading flag on these is a catch

Pair = tuple[str, str]


@dataclass(slots=True)
class StreamPlan:
    """The stream's inputs in the order they are ingested, and the gold each input is scored against.

    An item is an AEB page's file name or ``fnc1:<Body ID>``; ``sources`` maps the name ingest gives each input's
    result to its item.
    """

    paths: list[str]
    sources: dict[str, str]
    gold: dict[str, str]
    population: dict[str, str]
    labels: StreamLabels
    skipped: set[Pair] = field(default_factory=set)

    def items(self, population: str | None = None) -> list[str]:
        """The items of one population (all when None), in ingest order."""
        return [item for item in self.sources.values() if population in (None, self.population[item])]


@dataclass(frozen=True, slots=True)
class Placed:
    """What the store made of one input: its article, story and similarity to it, and its headline check."""

    item: str
    story: str
    article_id: str | None = None
    similarity: float | None = None
    relation: str | None = None
    site: str | None = None
    headline: str | None = None
    checked: bool = False
    misleading: bool = False
    reason: str | None = None
    explanation: str | None = None


def plan_stream(
    stream_dir: Path, aeb_dir: Path, fnc1_dir: Path, workdir: Path, fnc1_bodies: int | None = None
) -> StreamPlan:
    """The labelled AEB pages (``aeb_dir/html/<file>``) with FNC-1 train bodies written into ``workdir`` as JSONL
    (text only: no headline, no date), spread evenly between the pages in Body ID order.

    ``fnc1_bodies`` keeps a seeded sample of whole FNC-1 stories of at most that many bodies (all when None).
    FileNotFoundError or ValueError say what is missing or malformed.
    """
    labels = read_stream(stream_dir)
    pages = labels.files
    if not pages:
        raise ValueError(f"{stream_dir}: the labels name no page")
    missing = [file for file in pages if not (aeb_dir / "html" / file).is_file()]
    if missing:
        raise FileNotFoundError(f"{aeb_dir / 'html'}: {len(missing)} labelled pages not found ({missing[0]}, …)")
    bodies, fnc1_gold = gold_stories(fnc1_dir / "train_stances.csv", fnc1_dir / "train_bodies.csv")
    chosen = sorted(sample_stories(fnc1_gold, fnc1_bodies), key=body_order)
    page_gold = labels.gold_stories()
    plan = StreamPlan([], {}, {}, {}, labels, labels.skipped_pairs())
    for number, file in enumerate(pages):
        path = str(aeb_dir / "html" / file)
        plan.paths.append(path)
        plan.sources[source_name(path)] = file
        plan.gold[file], plan.population[file] = f"aeb:{page_gold[file]}", AEB
        share = chosen[number * len(chosen) // len(pages) : (number + 1) * len(chosen) // len(pages)]
        if not share:
            continue
        chunk = workdir / f"fnc1-{number:03d}.jsonl"
        chunk.write_text("".join(json.dumps({"text": bodies[b]}) + "\n" for b in share), encoding="utf-8")
        plan.paths.append(str(chunk))
        for line, body_id in enumerate(share, start=1):
            item = f"fnc1:{body_id}"
            plan.sources[f"{source_name(chunk)}:{line}"] = item
            plan.gold[item], plan.population[item] = f"fnc1:{fnc1_gold[body_id]}", FNC1
    return plan


class Arrivals:
    """Which stored article each input became, heard from ingest's ``on_item`` as the results come in input order.

    In a fresh store an input passed over as present holds the content of one analysed earlier in the same run, and
    an input whose text equals a stored article's is that article (the store keeps it once).
    """

    def __init__(self) -> None:
        self.article_of: dict[str, str] = {}  # source -> article id
        self._by_hash: dict[str, str] = {}

    def __call__(self, status: str, item: Article | Failure | Present) -> None:
        """Record one result (``status`` as ingest reports it: processed, present or skipped)."""
        if isinstance(item, Article):
            self.article_of[item.source] = self._by_hash.setdefault(item.source_hash, item.id)
        elif isinstance(item, Present) and item.source_hash in self._by_hash:
            self.article_of[item.source] = self._by_hash[item.source_hash]
        elif isinstance(item, Failure):  # skipped, or refused by the store after it was analysed
            self.article_of.pop(item.source, None)


def evaluate_stream(
    stream_dir: Path,
    aeb_dir: Path,
    fnc1_dir: Path,
    fnc1_bodies: int | None = None,
    workers: int = 2,
    details: bool = False,
    on_item: Callable[[str, Article | Failure | Present], None] | None = None,
    on_plan: Callable[[StreamPlan], None] | None = None,
) -> tuple[dict[str, object], IngestSummary]:
    """Ingest the stream into a fresh store in a scratch folder, as ``newstrace ingest`` would, and score it: the
    report (``score_stream``'s, with the run's figures under ``ingest``) and the ingest summary. ``on_item`` hears each
    result as ingest reports it; ``on_plan`` the plan before the run. FileNotFoundError or ValueError: the inputs."""
    import tempfile
    import time

    from newstrace.run.job import ingest
    from newstrace.run.local import make_runner
    from newstrace.store import Store

    with tempfile.TemporaryDirectory(prefix="newstrace-stream-") as work:
        plan = plan_stream(stream_dir, aeb_dir, fnc1_dir, Path(work), fnc1_bodies)
        if on_plan is not None:
            on_plan(plan)
        arrivals = Arrivals()

        def heard(status: str, item: Article | Failure | Present) -> None:
            if on_item is not None:
                on_item(status, item)
            arrivals(status, item)

        started = time.monotonic()
        with Store(Path(work) / "stream.db") as store:
            summary = ingest(plan.paths, store, make_runner(workers), on_item=heard)
            seconds = time.monotonic() - started
            placed = read_back(plan, arrivals.article_of, store.iter_articles(), store.story_records())
    report: dict[str, object] = {
        "stream": str(stream_dir),
        "aeb": str(aeb_dir),
        "fnc1": str(fnc1_dir),
        "fnc1_bodies": fnc1_bodies,
        "ingest": {
            "stored": summary.stored,
            "already_present": summary.already_present,
            "skipped": dict(summary.skipped),
            "seconds": round(seconds, 1),
            "workers": workers,
        },
        **score_stream(plan, placed, details=details),
    }
    return report, summary


def read_back(
    plan: StreamPlan, article_of: dict[str, str], articles: Iterable[Article], stories: Iterable[StoryRecord]
) -> dict[str, Placed]:
    """Each item's placement, from the article its source became (``article_of``: source -> article id), the stored
    articles and the stored stories. An input not stored (skipped) is a story of its own, unchecked."""
    stored = {article.id: article for article in articles}
    membership = {m.article_id: (record, m) for record in stories for m in record.members}
    placed: dict[str, Placed] = {}
    for source, item in plan.sources.items():
        article = stored.get(article_of.get(source, ""))
        if article is None or article.id not in membership:
            placed[item] = Placed(item, f"unstored:{item}")
            continue
        record, member = membership[article.id]
        check = article.headline_check
        placed[item] = Placed(
            item,
            record.id,
            article.id,
            member.similarity,
            member.relation,
            article.site,
            article.headline,
            check is not None,
            bool(check and check.misleading),
            check.reason if check else None,
            check.explanation if check else None,
        )
    return placed


def pair_sets(
    gold: dict[str, str], predicted: dict[str, str], items: Sequence[str], skipped: AbstractSet[Pair] = frozenset()
) -> tuple[set[Pair], set[Pair]]:
    """The predicted and the gold pairs among ``items`` (sorted pairs), the ``skipped`` ones left out of both."""
    return _pairs(predicted, items, skipped), _pairs(gold, items, skipped)


def verdict_confusion(labels: dict[str, str], placed: dict[str, Placed]) -> dict[str, object]:
    """Per gold headline label, the pages flagged misleading and by which reason; false alarms (flagged on
    ``supported``/``hedged``) and catches (flagged on ``overstated``/``contradicted``) with their shares."""
    by_label: dict[str, dict[str, object]] = {}
    for name in HEADLINE_LABELS:
        pages = [placed[file] for file, label in labels.items() if label == name]
        flagged = [page for page in pages if page.misleading]
        by_label[name] = {
            "pages": len(pages),
            "unchecked": sum(not page.checked for page in pages),
            "flagged": len(flagged),
            "reasons": dict(Counter(page.reason or "?" for page in flagged).most_common()),
        }

    def share(names: tuple[str, ...]) -> dict[str, object]:
        pages = sum(int(str(by_label[name]["pages"])) for name in names)
        flagged = sum(int(str(by_label[name]["flagged"])) for name in names)
        return {"labels": list(names), "pages": pages, "flagged": flagged, "share": flagged / pages if pages else 0.0}

    return {"by_label": by_label, "false_alarms": share(FALSE_ALARM_LABELS), "caught": share(MISSED_LABELS)}


def score_stream(plan: StreamPlan, placed: dict[str, Placed], details: bool = False) -> dict[str, object]:
    """The report: story scores per population and over all, the AEB pairs and false joins, the verdict confusion
    and the flagged pages; ``details`` adds the gold AEB pairs missed and a row per AEB page."""
    predicted = {item: placed[item].story for item in plan.sources.values()}
    stories: dict[str, object] = {}
    for part in (AEB, FNC1, "all"):
        items = plan.items(None if part == "all" else part)
        guessed, truth = pair_sets(plan.gold, predicted, items, plan.skipped)
        right = len(guessed & truth)
        stories[part] = {
            "items": len(items),
            "gold_stories": len({plan.gold[item] for item in items}),
            "predicted_stories": len({predicted[item] for item in items}),
            "bcubed": bcubed({item: plan.gold[item] for item in items}, predicted, plan.skipped),
            "pairwise": prf_dict(right, len(guessed), right, len(truth)),
            "pairs": {"predicted": len(guessed), "right": right, "gold": len(truth)},
        }
    pages = plan.items(AEB)
    guessed, truth = pair_sets(plan.gold, predicted, pages, plan.skipped)
    joined_anyway = pair_sets(plan.gold, predicted, pages)[0] & plan.skipped
    members: defaultdict[str, list[str]] = defaultdict(list)
    for item in plan.items():
        members[predicted[item]].append(item)
    mixed = [s for s, its in members.items() if {plan.population[i] for i in its} == {AEB, FNC1}]
    labels = {file: label.label for file, label in plan.labels.headlines.items()}
    flagged = [
        {**_page(placed[file], plan), "label": labels.get(file)}
        | {"reason": placed[file].reason, "explanation": placed[file].explanation}
        for file in pages
        if placed[file].misleading
    ]
    report: dict[str, object] = {
        "inputs": {AEB: len(pages), FNC1: len(plan.items(FNC1))},
        "stored": {
            part: sum(not placed[i].story.startswith("unstored:") for i in plan.items(part)) for part in (AEB, FNC1)
        },
        "stories": stories,
        "aeb_pairs": {
            "predicted": len(guessed),
            "right": len(guessed & truth),
            "uncertain": len(plan.skipped),
            "uncertain_joined": len(joined_anyway),
            "stories_with_both_populations": len(mixed),
        },
        "false_joins": [
            {"story": predicted[a], "a": _page(placed[a], plan), "b": _page(placed[b], plan)}
            for a, b in sorted(guessed - truth, key=lambda pair: (predicted[pair[0]], pair))
        ],
        "false_join_stories": _false_join_stories(plan, placed, members, guessed - truth),
        "verdicts": verdict_confusion(labels, placed),
        "flagged": flagged,
    }
    if details:
        report["missed_pairs"] = [
            {"a": _page(placed[a], plan), "b": _page(placed[b], plan)} for a, b in sorted(truth - guessed)
        ]
        report["pages"] = [
            {**asdict(placed[file]), "label": labels.get(file), "gold_story": plan.gold[file]} for file in pages
        ]
    return report


def _false_join_stories(
    plan: StreamPlan, placed: dict[str, Placed], members: dict[str, list[str]], wrong: set[Pair]
) -> list[dict[str, object]]:
    """Each predicted story holding a false join: its AEB pages (with their gold story) and its FNC-1 bodies."""
    wrong_in: Counter[str] = Counter(placed[a].story for a, _ in wrong)
    found = []
    for story, count in sorted(wrong_in.items(), key=lambda entry: (-entry[1], entry[0])):
        pages = [item for item in members[story] if plan.population[item] == AEB]
        rows = [{**_page(placed[item], plan), "gold_story": plan.gold[item]} for item in pages]
        bodies = len(members[story]) - len(pages)
        found.append({"story": story, "wrong_pairs": count, "pages": rows, "fnc1_bodies": bodies})
    return found


def _page(placed: Placed, plan: StreamPlan) -> dict[str, object]:
    label = plan.labels.headlines.get(placed.item)
    return {
        "file": placed.item,
        "site": placed.site,
        "headline": placed.headline or (label.headline if label else None),
        "similarity": None if placed.similarity is None else round(placed.similarity, 4),
        "relation": placed.relation,
    }


def report_lines(report: dict[str, object], details: bool = False) -> list[str]:
    """The report as plain text; ``details`` adds the gold AEB pairs missed and every AEB page's placement."""
    inputs, stored, stories, pairs = (_dict(report[key]) for key in ("inputs", "stored", "stories", "aeb_pairs"))
    run = _dict(report.get("ingest", {}))
    lines = [
        f"ingested in {run.get('seconds', '?')} s with {run.get('workers', '?')} workers: {run.get('stored', '?')}"
        f" articles stored, {run.get('already_present', '?')} inputs with content stored already,"
        f" {sum(int(str(n)) for n in _dict(run.get('skipped', {})).values())} skipped",
        f"stream: {inputs[AEB]} AEB pages ({stored[AEB]} stored) and {inputs[FNC1]} FNC-1 bodies"
        f" ({stored[FNC1]} stored) in one fresh store",
        "",
        f"{'stories':<12}{'items':>6}{'gold':>6}{'found':>6}   B³ P    B³ R    B³ F1   pair P  pair R  pair F1",
    ]
    for part, name in ((AEB, "AEB pages"), (FNC1, "FNC-1"), ("all", "all")):
        scores = _dict(stories[part])
        figures = "  ".join(
            f"{_dict(scores[kind])[key]:.4f}"
            for kind in ("bcubed", "pairwise")
            for key in ("precision", "recall", "f1")
        )
        lines.append(
            f"{name:<12}{scores['items']:>6}{scores['gold_stories']:>6}{scores['predicted_stories']:>6}   {figures}"
        )
    lines += [
        "",
        f"AEB pairs put in one story: {pairs['predicted']}, right {pairs['right']}"
        f" (also joined, not scored: {pairs['uncertain_joined']} of the {pairs['uncertain']} pairs labelled uncertain);"
        f" stories holding both AEB pages and FNC-1 bodies: {pairs['stories_with_both_populations']}",
    ]
    blocks = _list(report["false_join_stories"])
    lines.append(
        f"false joins: {len(_list(report['false_joins']))} wrong AEB pairs in {len(blocks)} stories"
        " (each page's similarity to its story as stored; pages of one gold story share a letter)"
    )
    for block in blocks:
        bodies = f", and {block['fnc1_bodies']} FNC-1 bodies" if block["fnc1_bodies"] else ""
        lines.append(f"  story {str(block['story'])[:10]}: {block['wrong_pairs']} wrong pairs{bodies}")
        gold = Counter(str(page["gold_story"]) for page in block["pages"])
        letters = {story: chr(ord("A") + n) for n, story in enumerate(s for s in gold if gold[s] > 1)}
        for page in block["pages"]:
            lines.append(f"    {letters.get(str(page['gold_story']), ' ')} {_short(page)}")
    verdicts = _dict(report["verdicts"])
    lines += ["", f"{'headline label':<16}{'pages':>6}{'flagged':>8}  reasons"]
    for name, value in _dict(verdicts["by_label"]).items():
        row = _dict(value)
        reasons = ", ".join(f"{reason} {count}" for reason, count in _dict(row["reasons"]).items()) or "-"
        unchecked = f" ({row['unchecked']} unchecked)" if row["unchecked"] else ""
        lines.append(f"{name:<16}{row['pages']:>6}{row['flagged']:>8}  {reasons}{unchecked}")
    for key, words in (("false_alarms", "false alarms"), ("caught", "caught")):
        share = _dict(verdicts[key])
        names = "+".join(str(name) for name in _list(share["labels"]))
        lines.append(
            f"{words}: {share['flagged']} of {share['pages']} {names} pages ({float(str(share['share'])):.1%})"
        )
    for page in _list(report["flagged"]):
        lines.append(f"  flagged {page['label']:<13} {page['reason']:<20} {page['headline']!s:.80}")
        if details and page.get("explanation"):
            lines.append(f"  {'':44}{page['explanation']!s:.100}")
    if details:
        missed = _list(report.get("missed_pairs", []))
        lines += ["", f"gold AEB pairs not put in one story: {len(missed)}"]
        lines += [f"  {_short(_dict(m['a']))}\n  {'':2}+ {_short(_dict(m['b']))}" for m in map(_dict, missed)]
    return lines


def _short(page: dict[str, object]) -> str:
    similarity = "  -  " if page["similarity"] is None else f"{page['similarity']:.3f}"
    return f"{similarity} {page['file']!s:.8} {page['site'] or '?'!s:<22.22} {page['headline']!s:.70}"


def _dict(value: object) -> dict[str, object]:
    assert isinstance(value, dict)
    return value


def _list(value: object) -> list[Any]:
    assert isinstance(value, list)
    return value
