"""Load test of ``newstrace serve``: article pages and searches against a real uvicorn on 127.0.0.1.

A store of synthetic articles (bench/search.py's generator, fixed seed: ~420 Zipf-distributed words, a speaker
and three statements each, here also a time expression, a figure and a headline check with its evidence) is
built once; ``newstrace serve`` runs on it in a child process on a free loopback port; ``--clients`` threads
of this process then send requests in a closed loop for ``--seconds``: half the web UI's article page
(``/ui/articles/{id}``, a random stored article), half ``/search?q=`` (bench/search.py's queries, from "said",
in nearly every article, to rare words). Latency is wall-clock, request sent to response read. Errors are
transport failures and any status other than 200. Nothing leaves 127.0.0.1. The server's CPU time per request
and the machine's load average are printed beside the latencies: on a shared machine, wall time includes the
wait for a core.

    python bench/serve.py [--articles 10000] [--seconds 60] [--clients 4] [--db PATH [--reuse]] [--hostile] [--pages]

``--pages`` requests every page kind of the web UI instead (issue #30's desk), each kind equally often: the home
list, searches (with an outlet facet too), article, entities index and entity pages, statements search (by speaker
too), stories list (two or more too), story, speaker pages, and a search's CSV export; the URLs are read from the
served store through its API once it is up (best with ``--db PATH --reuse`` on a store of real pages).

``--hostile`` then sends what issue #26 found the server defenceless against, on the same server: 40 concurrent
``/analyze`` calls while one client keeps reading ``/articles``, a 1 MB URL, a 1 MB header, and a request head that
never ends (answered after the server's read timeout, 30 s).
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import httpx

from newstrace.model import Article, EvidenceSentence, HeadlineCheck, HeadlineClaim, Quantity, Span, TimeExpr
from newstrace.service import CorpusService
from newstrace.store import Store
from search import QUERIES, make_article, vocabulary  # bench/search.py, beside this script


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def enriched(article: Article, number: int) -> Article:
    """The synthetic article with the facts the article page marks: a time, a figure, a verdict with evidence."""
    statement = article.quotes[0].content
    saturday = article.text.index("Saturday", statement.start)
    article.text = article.text + f" Around {number % 900 + 100} troops."
    figure_at = article.text.rindex("Around")
    figure = article.text[figure_at:-1]
    article.times = [TimeExpr("Saturday", saturday, saturday + 8, "DATE", article.published, None, "reference")]
    article.quantities = [
        Quantity(
            figure, figure_at, figure_at + len(figure), float(number % 900 + 100), None, "troops", "around", "count"
        )
    ]
    article.paragraphs = [Span(0, len(article.text), article.text)]
    evidence = EvidenceSentence(statement, "refutes", 0.8, 0)
    claim = HeadlineClaim(article.headline or "", "disagree", {"disagree": 0.7}, True, "refutation")
    article.headline_check = HeadlineCheck(
        "disagree", {"disagree": 0.7, "discuss": 0.3}, "question", [claim], [evidence], 0.02, True, "refuted", "…"
    )
    assert article.provenance_errors() == []
    return article


def build(path: Path, articles: int) -> float:
    """Write the store; return the seconds it took."""
    rng = random.Random(13)
    words, weights = vocabulary(20_000)
    started = time.perf_counter()
    with Store(path) as store:
        for start in range(0, articles, 1000):
            batch = [
                enriched(make_article(n, rng, words, weights), n) for n in range(start, min(articles, start + 1000))
            ]
            store.write(batch)
    return time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=4, help="Concurrent client threads (closed loop).")
    parser.add_argument("--db", type=Path, help="Keep the store here (default: a temporary folder).")
    parser.add_argument("--reuse", action="store_true", help="Serve the store already at --db; build nothing.")
    parser.add_argument("--hostile", action="store_true", help="Then send issue #26's hostile requests.")
    parser.add_argument("--pages", action="store_true", help="Every UI page kind, not article pages and /search.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "serve-bench.db"
        if not (args.reuse and path.exists()):
            path.unlink(missing_ok=True)
            print(f"building {args.articles:,} articles ... {build(path, args.articles):.0f} s", flush=True)
        with Store(path) as store:
            count = store.count()
            ids = _all_ids(store)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "newstrace", "serve", "--db", str(path), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_until_up(base, server)
            choose = _page_chooser(base) if args.pages else _article_or_search(ids)
            load_before, cpu_before = os.getloadavg()[0], _cpu_seconds(server.pid)
            latencies, errors = _load(base, choose, args.seconds, args.clients)
            load_after, server_cpu = os.getloadavg()[0], _cpu_seconds(server.pid) - cpu_before
            if args.hostile:
                _hostile(base)
        finally:
            server.terminate()
            server.wait(timeout=30)
    total = sum(len(values) for values in latencies.values())
    rate = total / args.seconds
    print(f"{count:,} articles, {args.clients} clients, {args.seconds:.0f} s: {total:,} requests ({rate:.1f}/s)")
    print(f"errors: {sum(errors.values())} {dict(errors) if errors else ''}")
    # The machine is shared: its load says how much of the wall time was waiting for a core.
    print(f"load average (1 min) {load_before:.1f} before, {load_after:.1f} after; {os.cpu_count()} cores")
    print(f"server CPU: {server_cpu:.1f} s, {server_cpu / max(total, 1) * 1000:.1f} ms per request")
    print("| request | count | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|")
    for kind, values in latencies.items():
        figures = [statistics.median(values), percentile(values, 0.95), percentile(values, 0.99), max(values)]
        print(f"| {kind} | {len(values):,} | " + " | ".join(f"{value:.1f}" for value in figures) + " |")
    return 0 if not errors else 1


def _hostile(base: str) -> None:
    """Issue #26's hostile requests against the running server, each answer printed in one line."""
    text = "Harbour Reopens\n\nHarbour master Ana Duarte said on Tuesday that the port would reopen.\n"
    httpx.post(base + "/analyze", json={"text": text}, timeout=300)  # the worker starts and loads its models first
    stop = threading.Event()
    reads: list[tuple[float, int]] = []

    def reader() -> None:
        while not stop.is_set():
            started = time.perf_counter()
            status = httpx.get(base + "/articles", timeout=60).status_code
            reads.append((time.perf_counter() - started, status))

    watcher = threading.Thread(target=reader)
    watcher.start()
    started = time.perf_counter()

    def analyse(number: int) -> int:
        return httpx.post(base + "/analyze", json={"text": f"{text} {number}"}, timeout=120).status_code

    with ThreadPoolExecutor(40) as pool:
        statuses = Counter(pool.map(analyse, range(40)))
    took = time.perf_counter() - started
    stop.set()
    watcher.join()
    read_ms = sorted(seconds * 1000 for seconds, _ in reads)
    print(f"40 concurrent /analyze: {dict(statuses)} in {took:.1f} s")
    print(
        f"GET /articles meanwhile: {len(reads)} requests, {dict(Counter(status for _, status in reads))}, "
        f"p50 {statistics.median(read_ms):.1f} ms, max {read_ms[-1]:.1f} ms"
    )
    head = b"GET /articles HTTP/1.1\r\nHost: x\r\n"
    for label, sent in (
        ("1 MB URL", b"GET /search?q=" + b"a" * 1_000_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("1 MB header", head + b"X-A: " + b"a" * 1_000_000 + b"\r\n\r\n"),
        ("a head that never ends", head),
    ):
        started = time.perf_counter()
        answer = _raw_exchange(base, sent)
        status = answer.split(b"\r\n", 1)[0].decode(errors="replace") or "(closed, no answer)"
        print(f"{label}: {status} after {time.perf_counter() - started:.1f} s")


def _raw_exchange(base: str, sent: bytes, wait: float = 120.0) -> bytes:
    """The server's answer to these raw bytes, read until it closes the connection (or ``wait`` seconds pass)."""
    host, port = base.removeprefix("http://").split(":")
    answer = b""
    with socket.create_connection((host, int(port)), timeout=wait) as connection:
        try:
            connection.sendall(sent)
            while chunk := connection.recv(65536):
                answer += chunk
        except OSError as error:  # a reset: what the server did before issue #26
            return answer or f"({type(error).__name__})".encode()
    return answer


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _all_ids(store: Store) -> list[str]:
    """Every stored article's id, through the service layer's pages."""
    service = CorpusService(store)
    total, _ = service.articles(limit=1)
    found: list[str] = []
    while len(found) < total:
        _, page = service.articles(limit=100, offset=len(found))
        found += [summary.id for summary in page]
    return found


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server exited before answering")
        try:
            httpx.get(base + "/openapi.json", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer within 120 s")


Request = tuple[str, str, dict[str, str] | None]  # kind, path, query parameters
Chooser = Callable[[random.Random], Request]


def _article_or_search(ids: list[str]) -> Chooser:
    """Half the web UI's article page, half the API's /search."""

    def choose(rng: random.Random) -> Request:
        if rng.random() < 0.5:
            return "article page", f"/ui/articles/{rng.choice(ids)}", None
        return "search", "/search", {"q": rng.choice(QUERIES)}

    return choose


# Words for the pages' searches: common in news ("said"), a name, a rarer word.
PAGE_QUERIES = ("said", "Trump", "Apple", "China", "police", "election", "court OR judge")


def _page_chooser(base: str) -> Chooser:
    """Every page kind of the UI, equally often, each on URLs read from the served store's API."""
    with httpx.Client(base_url=base, timeout=60) as http:
        articles = [item["id"] for item in http.get("/articles", params={"limit": 100}).json()["items"]]
        entities = [item["id"] for item in http.get("/entities", params={"limit": 100}).json()["items"]]
        stories = [item["id"] for item in http.get("/stories", params={"limit": 100}).json()["items"]]
        said = http.get("/statements", params={"limit": 100}).json()["items"]
        outlets = [v["value"] for v in http.get("/search", params={"q": "said"}).json()["facets"]["site"] if v["value"]]
    speakers = sorted({item["speaker"]["name"] for item in said if item.get("speaker") and item["speaker"]["name"]})
    kinds: dict[str, Callable[[random.Random], tuple[str, dict[str, str] | None]]] = {
        "home": lambda rng: ("/ui/", None),
        "search": lambda rng: ("/ui/", {"q": rng.choice(PAGE_QUERIES)}),
        "search + facet": lambda rng: ("/ui/", {"q": "said", "outlet": rng.choice(outlets)}),
        "article": lambda rng: (f"/ui/articles/{rng.choice(articles)}", None),
        "entities": lambda rng: ("/ui/entities/", rng.choice([None, {"label": "PERSON"}, {"name": "an"}])),
        "entity": lambda rng: (f"/ui/entities/{quote(rng.choice(entities), safe='')}", None),
        "statements": lambda rng: ("/ui/statements", rng.choice([None, {"speaker": rng.choice(speakers)}])),
        "stories": lambda rng: ("/ui/stories/", rng.choice([None, {"min_size": "2"}])),
        "story": lambda rng: (f"/ui/stories/{rng.choice(stories)}", None),
        "speaker": lambda rng: (f"/ui/speakers/{quote(rng.choice(speakers), safe='')}", None),
        "search CSV export": lambda rng: ("/export/search", {"q": rng.choice(PAGE_QUERIES), "format": "csv"}),
    }
    print(f"pages from {len(articles)} articles, {len(entities)} entities, {len(stories)} stories, "
          f"{len(speakers)} speakers, {len(outlets)} outlets")  # fmt: skip

    def choose(rng: random.Random) -> Request:
        kind = rng.choice(list(kinds))
        return (kind, *kinds[kind](rng))

    return choose


def _load(base: str, choose: Chooser, seconds: float, clients: int) -> tuple[dict[str, list[float]], Counter[str]]:
    """``clients`` threads in a closed loop until ``seconds`` pass; latencies in ms by request kind."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base, timeout=30) as http:
            while time.monotonic() < stop:
                kind, url, params = choose(rng)
                started = time.perf_counter()
                try:
                    response = http.get(url, params=params)
                    response.read()
                    failure = None if response.status_code == 200 else f"{kind} {response.status_code}"
                except httpx.HTTPError as error:
                    failure = f"{kind} {type(error).__name__}"
                spent = (time.perf_counter() - started) * 1000
                with lock:
                    latencies[kind].append(spent)
                    if failure is not None:
                        errors[failure] += 1

    threads = [threading.Thread(target=client, args=(seed,)) for seed in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return dict(latencies), errors


if __name__ == "__main__":
    sys.exit(main())
