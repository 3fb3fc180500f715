"""Articles per second per core: the annotate stage vs a bare spaCy parse of the same texts.

The texts are news articles cleaned by newstrace (PolNeAR dev in ../shared, else the bundled
example). Both run in this process, in alternating rounds, timed in CPU seconds (one core),
median of the rounds; the ratio is what matters. The headline check and the lede vector stage are timed on
the same articles (an article without a headline is checked against its first sentence), with the
wall time its models take to load, imports included, measured first.

``--russian`` times the stage on Russian articles instead (issue #31: a Russian article may cost at most 1.5x an
English one of the same length): the Russian rendering of the seed (tests/fixtures/ru_seed_ria.txt) and the English
seed repeated to the same lengths, and FactRuEval's dev texts (../shared/eval/factru/dev) against the English corpus,
each in ms of CPU per 1,000 characters, and the Russian/English ratio.

A length sweep follows: one article (the seed in ../shared, else the bundled example) repeated
1x, 4x, 16x and 32x as paragraphs, each size timed as the annotate stage and as a bare spaCy parse
of the same paragraphs, in ms per 1,000 words; a stage whose cost grows linearly with length keeps
that figure flat. Each part the stage calls (entities, quotes, the tagger, times...) is timed on its
own in the same runs, so a part that grows faster than the text shows itself; ``--profile`` also
prints the newstrace functions with the most cumulative time (cProfile) at the two largest sizes.

    python bench/annotate.py [--rounds 3] [--texts ../shared/eval/polnear/dev/text] [--sweep-only] [--profile]
    python bench/annotate.py --russian [--rounds 3] [--factru ../shared/eval/factru/dev]
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import dataclasses
import inspect
import io
import os
import pstats
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newstrace.annotate import PARSE_BATCH, Annotate, load_english
from newstrace.assess.stance import split_sentences
from newstrace.embed.lede_vector import LedeVector
from newstrace.ingest import iter_documents
from newstrace.model import Article, Document, Span
from newstrace.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TEXTS = ROOT.parent / "shared" / "eval" / "polnear" / "dev" / "text"
SEED = ROOT.parent / "shared" / "seed" / "seed_article.txt"
EXAMPLE = ROOT / "src" / "newstrace" / "examples" / "wire_blog_copy.txt"
RUSSIAN_SEED = ROOT / "tests" / "fixtures" / "ru_seed_ria.txt"
FACTRU = ROOT.parent / "shared" / "eval" / "factru" / "dev"
RUSSIAN_LENGTHS = (2_000, 8_000, 32_000)  # characters: each seed repeated to about this length
RUSSIAN_AT_MOST = 1.5  # issue #31: a Russian article's cost over an English one's of the same length
COPIES = (1, 4, 16, 32)
FLAT_WITHIN = 1.5  # issue #11: ms per 1,000 words may vary at most this much across the sweep


def cleaned_articles(folder: Path) -> tuple[list[Article], str]:
    """The corpus, cleaned (untimed): what the annotate stage receives."""
    clean = Pipeline(("clean",))
    if folder.is_dir():
        paths, source = [str(p) for p in sorted(folder.glob("*.txt"))], f"{folder} (PolNeAR dev)"
    else:
        paths, source = [str(ROOT / "src/newstrace/examples/wire_blog_copy.txt")] * 50, "the bundled example x50"
    articles = []
    for item in iter_documents(paths):
        if isinstance(item, Document) and isinstance(result := clean.process(item), Article):
            articles.append(result)
    return articles, source


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS)
    parser.add_argument("--sweep-only", action="store_true", help="Run only the length sweep.")
    parser.add_argument("--profile", action="store_true", help="Print the top functions at the largest sizes.")
    parser.add_argument("--russian", action="store_true", help="Russian against English per character, only.")
    parser.add_argument("--factru", type=Path, default=FACTRU, help="FactRuEval texts for the Russian corpus.")
    args = parser.parse_args()
    if args.russian:
        russian_against_english(args.rounds, args.factru, args.texts)
        return 0
    if not args.sweep_only:
        compare_on_corpus(args.rounds, args.texts)
        print()
    length_sweep(args.rounds, args.profile)
    return 0


def compare_on_corpus(rounds: int, texts: Path) -> None:
    """Annotate stage, the stage without attribution, bare nlp.pipe and the headline check on one corpus."""
    started_wall = time.perf_counter()
    from newstrace.assess.headline import HeadlineChecker

    checker = HeadlineChecker()
    load_seconds = time.perf_counter() - started_wall
    articles, source = cleaned_articles(texts)
    headlines = [a.headline or a.text[slice(*split_sentences(a.text)[0])] for a in articles]
    nlp = load_english()
    stage = Annotate()
    without_attribution = Annotate(attribution=False)
    lede_vector = LedeVector()
    lede_vector(articles[0])
    stage(articles[0])  # warm all three
    without_attribution(articles[0])
    list(nlp.pipe([articles[0].text]))
    checker.check(headlines[0], articles[0].text)
    ours, plain, bare, checks, ledes = [], [], [], [], []
    ours_peak_mb = 0.0
    for _ in range(rounds):
        started = time.process_time()
        for article in articles:
            stage(article)
        ours.append(time.process_time() - started)
        started = time.process_time()
        for article in articles:
            without_attribution(article)
        plain.append(time.process_time() - started)
        ours_peak_mb = ours_peak_mb or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.process_time()
        for _doc in nlp.pipe(article.text for article in articles):
            pass
        bare.append(time.process_time() - started)
        started = time.process_time()
        for headline, article in zip(headlines, articles, strict=True):
            checker.check(headline, article.text)
        checks.append(time.process_time() - started)
        started = time.process_time()
        for article in articles:
            lede_vector(article)
        ledes.append(time.process_time() - started)
    ours_time, plain_time, bare_time = statistics.median(ours), statistics.median(plain), statistics.median(bare)
    words = sum(len(a.text.split()) for a in articles)
    bare_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {len(articles)} articles, {words:,} words, from {source}; {rounds} rounds, CPU time")
    print(f"annotate stage        {len(articles) / ours_time:7.1f} articles/s per core")
    print(f"  without attribution {len(articles) / plain_time:7.1f} articles/s per core")
    print(f"bare nlp.pipe         {len(articles) / bare_time:7.1f} articles/s per core")
    ratio, plain_ratio = ours_time / bare_time, plain_time / bare_time
    print(f"annotate cost / bare parse: {ratio:.2f}x (without attribution {plain_ratio:.2f}x)")
    print(f"attribution adds {100 * (ours_time / plain_time - 1):+.1f}% to the annotate stage")
    with_headline = sum(bool(a.headline) for a in articles)
    print(
        f"headline check        {1000 * statistics.median(checks) / len(articles):7.2f} ms per article on one core "
        f"({with_headline} with a headline, the rest checked against their first sentence)"
    )
    print(f"headline check models load in {load_seconds:.2f} s (wall, imports included)")
    lede_time = statistics.median(ledes)
    print(
        f"lede vector           {1000 * lede_time / len(articles):7.2f} ms per article on one core "
        f"({100 * lede_time / ours_time:.1f}% of the annotate stage's time)"
    )
    print(f"peak RSS: {ours_peak_mb:.0f} MB after the first annotate round (before any bare parse)")
    print(f"peak RSS: {bare_peak_mb:.0f} MB after the bare parses (nlp.pipe batches whole articles)")


def _cleaned(paths: list[str], language: str) -> list[Article]:
    """These files cleaned, those the cleaner reads as ``language`` (untimed)."""
    clean = Pipeline(("clean",))
    found = [clean.process(item) for item in iter_documents(paths) if isinstance(item, Document)]
    return [article for article in found if isinstance(article, Article) and article.language == language]


def _ms_per_1k_chars(stage: Annotate, articles: list[Article], rounds: int) -> float:
    """The stage's CPU ms per 1,000 characters over the articles, median of the rounds (each on fresh copies)."""
    characters = sum(len(article.text) for article in articles)
    timings = []
    for _ in range(rounds):
        fresh = [copy.deepcopy(article) for article in articles]
        started = time.process_time()
        for article in fresh:
            stage(article)
        timings.append(1e6 * (time.process_time() - started) / characters)
    return statistics.median(timings)


def russian_against_english(rounds: int, factru: Path, texts: Path) -> None:
    """The annotate stage's cost per character on Russian articles against English ones of the same length."""
    (russian_seed,) = _cleaned([str(RUSSIAN_SEED)], "ru")
    english_seed, source = sweep_article()
    stage = Annotate()
    started = time.perf_counter()
    stage(copy.deepcopy(russian_seed))  # the Russian models load once per process, here
    print(f"Russian models load and the first article: {time.perf_counter() - started:.2f} s (wall)")
    # slovnet runs on numpy: a multi-threaded BLAS's spinning threads count in this process's CPU time (30x seen).
    threads = {name: os.environ.get(name, "unset") for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    print("BLAS threads: " + ", ".join(f"{name}={value}" for name, value in threads.items()))
    stage(copy.deepcopy(english_seed))
    print(
        f"same length: {RUSSIAN_SEED.relative_to(ROOT)} ({len(russian_seed.text):,} characters) and {source} "
        f"({len(english_seed.text):,}) each repeated to about the same length; {rounds} rounds, CPU, median"
    )
    print("characters   Russian ms/1k chars   English ms/1k chars   Russian/English")
    ratios = []
    for length in RUSSIAN_LENGTHS:
        russian = repeated(russian_seed, max(1, round(length / len(russian_seed.text))))
        english = repeated(english_seed, max(1, round(length / len(english_seed.text))))
        ru_ms, en_ms = _ms_per_1k_chars(stage, [russian], rounds), _ms_per_1k_chars(stage, [english], rounds)
        ratios.append(ru_ms / en_ms)
        print(f"{len(russian.text):>10,} {ru_ms:21.2f} {en_ms:21.2f} {ru_ms / en_ms:16.2f}x")
    if factru.is_dir():
        corpus = _cleaned([str(p) for p in sorted(factru.glob("*.txt"))], "ru")
        english_corpus, english_source = cleaned_articles(texts)
        ru_ms, en_ms = _ms_per_1k_chars(stage, corpus, rounds), _ms_per_1k_chars(stage, english_corpus, rounds)
        ratios.append(ru_ms / en_ms)
        print(
            f"corpora: {len(corpus)} FactRuEval dev texts ({sum(len(a.text) for a in corpus):,} characters) "
            f"{ru_ms:.2f} ms/1k chars; {english_source} ({sum(len(a.text) for a in english_corpus):,} characters) "
            f"{en_ms:.2f} ms/1k chars: {ru_ms / en_ms:.2f}x"
        )
    verdict = "within" if max(ratios) <= RUSSIAN_AT_MOST else "NOT within"
    print(f"Russian/English cost per character at most {max(ratios):.2f}x ({verdict} {RUSSIAN_AT_MOST}x)")


def sweep_article() -> tuple[Article, str]:
    """The article the sweep repeats, cleaned: the seed where ../shared is present, else the bundled example."""
    path = SEED if SEED.is_file() else EXAMPLE
    (document,) = [item for item in iter_documents([str(path)]) if isinstance(item, Document)]
    article = Pipeline(("clean",)).process(document)
    assert isinstance(article, Article), article
    return article, str(path.relative_to(ROOT.parent) if path == SEED else path.relative_to(ROOT))


def repeated(article: Article, copies: int) -> Article:
    """The cleaned article's text ``copies`` times, one blank line apart, with its paragraphs repeated."""
    separator = "\n\n"
    stride = len(article.text) + len(separator)
    paragraphs = [
        Span(p.start + copy_index * stride, p.end + copy_index * stride, p.text)
        for copy_index in range(copies)
        for p in article.paragraphs
    ]
    text = separator.join([article.text] * copies)
    longer = dataclasses.replace(article, text=text, paragraphs=paragraphs, removed=[], source_map=[], raw=None)
    assert not longer.provenance_errors()
    return longer


class PartTimer:
    """CPU time of each part the annotate stage calls: the functions it imports from ``newstrace.annotate``'s
    modules and its attribution tagger, wrapped while the timer is active (a handful of calls per article)."""

    def __init__(self, stage: Annotate) -> None:
        import newstrace.annotate as module

        self.seconds: dict[str, float] = {}
        self._module = module
        self._originals = {
            name: value
            for name, value in vars(module).items()
            if inspect.isfunction(value) and value.__module__.startswith("newstrace.annotate")
        }
        self._stage = stage

    def __enter__(self) -> PartTimer:
        for name, function in self._originals.items():
            setattr(self._module, name, self._timed(f"{function.__module__.rsplit('.', 1)[-1]}.{name}", function))
        tagger = getattr(self._stage, "tagger", None)
        if tagger is not None:
            tagger.spans = self._timed("attribution_model.AttributionTagger.spans", type(tagger).spans.__get__(tagger))
        return self

    def __exit__(self, *_: object) -> None:
        for name, function in self._originals.items():
            setattr(self._module, name, function)
        tagger = getattr(self._stage, "tagger", None)
        if tagger is not None:
            del tagger.spans

    def _timed(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.process_time() - started

        return timed

    def take(self) -> dict[str, float]:
        """The seconds per part since the last call, and a fresh count."""
        taken, self.seconds = self.seconds, {}
        return taken


def length_sweep(rounds: int, profile: bool) -> None:
    """ms per 1,000 words of the annotate stage, its parts, and a bare parse of the same paragraphs, 1x to 32x."""
    base, source = sweep_article()
    nlp = load_english()
    stage = Annotate()
    articles = {copies: repeated(base, copies) for copies in COPIES}
    words = {copies: len(article.text.split()) for copies, article in articles.items()}
    stage(copy.deepcopy(articles[1]))  # warm: models loaded, caches filled
    annotate_ms: dict[int, list[float]] = {copies: [] for copies in COPIES}
    bare_ms: dict[int, list[float]] = {copies: [] for copies in COPIES}
    part_ms: dict[int, dict[str, list[float]]] = {copies: {} for copies in COPIES}
    with PartTimer(stage) as parts:
        for _ in range(rounds):
            for copies, article in articles.items():
                fresh = copy.deepcopy(article)  # the stage fills the article in place
                parts.take()
                started = time.process_time()
                stage(fresh)
                annotate_ms[copies].append(1e6 * (time.process_time() - started) / words[copies])
                for name, seconds in parts.take().items():
                    part_ms[copies].setdefault(name, []).append(1e6 * seconds / words[copies])
                started = time.process_time()
                paragraphs = (p.text for p in article.paragraphs if p.text.strip())
                for _doc in nlp.pipe(paragraphs, batch_size=PARSE_BATCH):  # the stage's own batching
                    pass
                bare_ms[copies].append(1e6 * (time.process_time() - started) / words[copies])
    print(
        f"length sweep: {source} ({words[1]:,} words, {len(base.paragraphs)} paragraphs) repeated "
        f"{', '.join(f'{c}x' for c in COPIES)} as paragraphs; {rounds} rounds, CPU time, median"
    )
    print("copies    words   annotate ms/1k words   bare parse ms/1k words   annotate/bare   annotate - bare")
    annotate_median = {c: statistics.median(annotate_ms[c]) for c in COPIES}
    bare_median = {c: statistics.median(bare_ms[c]) for c in COPIES}
    for copies in COPIES:
        print(
            f"{copies:5d}x {words[copies]:8,} {annotate_median[copies]:22.1f} {bare_median[copies]:24.1f}"
            f" {annotate_median[copies] / bare_median[copies]:14.2f}x"
            f" {annotate_median[copies] - bare_median[copies]:17.1f}"
        )
    spread = max(annotate_median.values()) / min(annotate_median.values())
    bare_spread = max(bare_median.values()) / min(bare_median.values())
    verdict = "flat" if spread <= FLAT_WITHIN else "NOT flat"
    print(
        f"largest / smallest ms per 1k words: annotate {spread:.2f}x, bare parse {bare_spread:.2f}x "
        f"(annotate {verdict}: the target is within {FLAT_WITHIN}x)"
    )
    print("\nthe stage's parts, ms per 1k words (median of the rounds; growth = largest size / smallest):")
    names = sorted(part_ms[COPIES[-1]], key=lambda name: -statistics.median(part_ms[COPIES[-1]][name]))
    print(f"{'part':<46}" + "".join(f"{f'{c}x':>9}" for c in COPIES) + "   growth")
    for name in names:
        row = [statistics.median(part_ms[c].get(name, [0.0])) for c in COPIES]
        growth = f"{row[-1] / row[0]:7.1f}x" if row[0] > 0 else "      -"
        print(f"{name:<46}" + "".join(f"{value:9.1f}" for value in row) + f"  {growth}")
    rest = [annotate_median[c] - sum(statistics.median(v) for v in part_ms[c].values()) for c in COPIES]
    print(f"{'parse and the rest (stage - parts)':<46}" + "".join(f"{value:9.1f}" for value in rest))
    if profile:
        for copies in COPIES[-2:]:
            print(
                f"\ntop newstrace functions by cumulative time (cProfile), "
                f"annotate at {copies}x ({words[copies]:,} words):"
            )
            print(top_functions(profile_stage(stage, articles[copies], 1), 20))


def profile_stage(stage: Annotate, article: Article, repeats: int) -> pstats.Stats:
    """cProfile statistics of the stage run ``repeats`` times on fresh copies of the article."""
    profiler = cProfile.Profile()
    for _ in range(repeats):
        fresh = copy.deepcopy(article)
        profiler.enable()
        stage(fresh)
        profiler.disable()
    return pstats.Stats(profiler)


def top_functions(stats: pstats.Stats, count: int) -> str:
    """The ``count`` newstrace functions with the most cumulative time, as pstats prints them."""
    buffer = io.StringIO()
    stats.stream = buffer  # type: ignore[attr-defined]
    stats.sort_stats("cumulative").print_stats(r"newstrace[/\\]", count)
    lines = buffer.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    return "\n".join(lines[start:])


if __name__ == "__main__":
    sys.exit(main())
