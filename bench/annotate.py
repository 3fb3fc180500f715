"""Articles per second per core: the annotate stage vs a bare spaCy parse of the same texts.

The texts are news articles cleaned by newstrace (PolNeAR dev in ../shared, else the bundled
example). Both run in this process, in alternating rounds, timed in CPU seconds (one core),
median of the rounds; the ratio is what matters. The headline check is timed on the same
articles (an article without a headline is checked against its first sentence), with the
wall time its models take to load, imports included, measured first.

    python bench/annotate.py [--rounds 3] [--texts ../shared/eval/polnear/dev/text]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

from newstrace.annotate import Annotate, load_english
from newstrace.assess.stance import split_sentences
from newstrace.ingest import iter_documents
from newstrace.model import Article, Document
from newstrace.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TEXTS = ROOT.parent / "shared" / "eval" / "polnear" / "dev" / "text"


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
    args = parser.parse_args()
    started_wall = time.perf_counter()
    from newstrace.assess.headline import HeadlineChecker

    checker = HeadlineChecker()
    load_seconds = time.perf_counter() - started_wall
    articles, source = cleaned_articles(args.texts)
    headlines = [a.headline or a.text[slice(*split_sentences(a.text)[0])] for a in articles]
    nlp = load_english()
    stage = Annotate()
    without_attribution = Annotate(attribution=False)
    stage(articles[0])  # warm all three
    without_attribution(articles[0])
    list(nlp.pipe([articles[0].text]))
    checker.check(headlines[0], articles[0].text)
    ours, plain, bare, checks = [], [], [], []
    ours_peak_mb = 0.0
    for _ in range(args.rounds):
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
    ours_time, plain_time, bare_time = statistics.median(ours), statistics.median(plain), statistics.median(bare)
    words = sum(len(a.text.split()) for a in articles)
    bare_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {len(articles)} articles, {words:,} words, from {source}; {args.rounds} rounds, CPU time")
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
    print(f"peak RSS: {ours_peak_mb:.0f} MB after the first annotate round (before any bare parse)")
    print(f"peak RSS: {bare_peak_mb:.0f} MB after the bare parses (nlp.pipe batches whole articles)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
