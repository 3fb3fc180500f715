"""Hostile searches against a real server and the CLI: how soon each answers, and how soon the server's CPU is idle
after a client disconnects in the middle of a slow search.

The store is any newstrace store; ``python bench/search.py --articles 30000 --db PATH`` makes one on which a search of
16 broad prefixes runs for seconds (its vocabulary, w0…w19999, gives ``w1*`` thousands of words). Figures are wall
seconds from the request to the answer, and the server process's CPU seconds (user + system, from /proc) in each
0.25 s after the client hung up.

    python bench/bounded_search.py --db PATH [--slow QUERY]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

REPEATED_PREFIX = " ".join(["a*"] * 160)
REPEATED_OR = " OR ".join(["a"] * 199)
SLOW = "w1* w2* w3* w4* w5* w6* w7* w8* w9* s* t* a* m* p* b* f*"


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def timed_cli(db: str, query: str) -> tuple[float, int, str]:
    """Wall seconds, exit code and stderr's first line of ``newstrace search QUERY``."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "newstrace", "search", query, "--db", db], capture_output=True, text=True, check=False
    )
    return time.perf_counter() - started, done.returncode, (done.stderr.strip().splitlines() or [""])[0][:100]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--slow", default=SLOW, help="A search that runs for seconds on this store.")
    parser.add_argument("--hang-up-after", type=float, default=1.0)
    parser.add_argument("--hang-up-only", action="store_true", help="Only the hang-up (an older newstrace's minutes).")
    args = parser.parse_args()
    timed = () if args.hang_up_only else (("160 x a*", REPEATED_PREFIX), ("199 a OR", REPEATED_OR), ("slow", args.slow))
    for label, query in timed:
        wall, code, line = timed_cli(args.db, query)
        print(f"CLI {label}: {wall:.2f} s, exit {code}: {line}")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "newstrace", "serve", "--db", args.db, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(base + "/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)
        for label, query in timed:
            started = time.perf_counter()
            answer = httpx.get(base + "/search", params={"q": query}, timeout=600)
            code = answer.json().get("error", {}).get("code", "ok")
            print(f"API {label}: {time.perf_counter() - started:.2f} s, {answer.status_code} {code}")
        # A client that asks for the slow search and hangs up.
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(f"GET /search?{urlencode({'q': args.slow})} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            time.sleep(args.hang_up_after)
            before = cpu_seconds(server.pid)
        samples = []
        for _ in range(12):
            time.sleep(0.25)
            now = cpu_seconds(server.pid)
            samples.append(now - before)
            before = now
        print(
            f"server CPU s in each 0.25 s after the hang-up at {args.hang_up_after} s: {[round(s, 2) for s in samples]}"
        )
    finally:
        server.terminate()
        server.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
