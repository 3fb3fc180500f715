"""Pages per second per core: HTML files through newstrace ingest+clean vs bare trafilatura.extract.

Both run in this one process on the same files, in alternating rounds, timed in CPU seconds of
this process (one core; other load on the machine does not count), median of the rounds; the
figure that matters is their ratio. Pages come from the ScrapingHub benchmark in
../shared/eval/aeb (decompressed to a temporary folder once), else from the bundled example.

    python bench/ingest.py [--rounds 5] [--aeb ../shared/eval/aeb]
"""

from __future__ import annotations

import argparse
import gzip
import resource
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import trafilatura

from newstrace.ingest import iter_documents
from newstrace.model import Article, Document
from newstrace.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_AEB = ROOT.parent / "shared" / "eval" / "aeb"


def write_corpus(aeb: Path, folder: Path) -> list[Path]:
    """The benchmark's pages as plain .html files (what an ingest run reads)."""
    files = []
    if (aeb / "html").is_dir():
        for source in sorted((aeb / "html").glob("*.html.gz")):
            target = folder / source.name.removesuffix(".gz")
            target.write_bytes(gzip.decompress(source.read_bytes()))
            files.append(target)
        return files
    example = (ROOT / "src/newstrace/examples/wire_blog_copy.html").read_text(encoding="utf-8")
    for number in range(100):
        target = folder / f"page{number:03}.html"
        target.write_text(example.replace("</h1>", f" {number}</h1>"), encoding="utf-8")
        files.append(target)
    return files


def run_newstrace(files: list[Path], pipeline: Pipeline) -> int:
    articles = 0
    for item in iter_documents([str(f) for f in files]):
        if isinstance(item, Document) and isinstance(pipeline.process(item), Article):
            articles += 1
    return articles


def run_trafilatura(files: list[Path]) -> int:
    return sum(trafilatura.extract(f.read_bytes()) is not None for f in files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--aeb", type=Path, default=DEFAULT_AEB)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    pipeline = Pipeline(("clean",))
    with tempfile.TemporaryDirectory() as tmp:
        files = write_corpus(args.aeb, Path(tmp))
        source = "AEB pages" if (args.aeb / "html").is_dir() else "synthetic pages from the bundled example"
        run_newstrace(files[:5], pipeline)  # warm imports and caches for both
        run_trafilatura(files[:5])
        ours, theirs = [], []
        for _ in range(args.rounds):
            started = time.process_time()
            stored = run_newstrace(files, pipeline)
            ours.append(len(files) / (time.process_time() - started))
            started = time.process_time()
            extracted = run_trafilatura(files)
            theirs.append(len(files) / (time.process_time() - started))
    ours_rate, their_rate = statistics.median(ours), statistics.median(theirs)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {len(files)} {source}; {args.rounds} alternating rounds, CPU time of one process")
    print(f"newstrace ingest+clean   {ours_rate:7.1f} pages/s per core  ({stored} articles)")
    print(f"trafilatura.extract      {their_rate:7.1f} pages/s per core  ({extracted} texts)")
    print(f"ratio (trafilatura time / newstrace time): {ours_rate / their_rate:.3f}")
    print(f"newstrace overhead over trafilatura: {100 * (their_rate / ours_rate - 1):+.1f}%")
    print(f"peak RSS of this process: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
