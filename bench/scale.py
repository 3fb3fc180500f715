"""Corpus scale: one generated WARC through `newstrace ingest` locally (--workers 1, 2) and on Ray (1 and 2 CPUs).

Each configuration is a fresh `newstrace ingest` process into a fresh SQLite database, as a user runs it. Measured
per run: wall time, the time until the first batch is stored (start-up: imports, workers or Ray, model loading),
articles per second after that, CPU seconds of the whole process tree (the CLI, its workers, and for Ray every Ray
process it started; from wait4, so idle waiting and other load on the machine do not count), hence articles per
CPU-second (per core), and the peak RSS (VmHWM) of each pipeline worker process, sampled from /proc, beside its peak
PSS (smaps_rollup: shared pages divided among the processes sharing them, so Ray's object store and the libraries every
worker maps are not counted once per worker), its peak RSS without shared memory (RSS - RssShmem, sampled: the
process's own memory and its libraries, the measure Ray's memory guide asks for, less strictly since libraries stay
in) and the peak shared memory it mapped (RssShmem: for a Ray actor, pages of Ray's object store). The memory check
runs the 2-worker configurations again on a smaller WARC: flat memory means the same peak per worker.

Pages are the ScrapingHub benchmark's 181 news pages (../shared/eval/aeb), cycled, each record with its own URL and
a marker comment so no two records share a content hash; else the bundled example page.

    python bench/scale.py [--records 10000] [--small 2500] [--configs local1,local2,ray1,ray2] [--json FILE]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_AEB = ROOT.parent / "shared" / "eval" / "aeb"
CONFIGS = {
    "local1": ("local", 1),
    "local2": ("local", 2),
    "ray1": ("ray", 1),
    "ray2": ("ray", 2),
}


def pages(aeb: Path) -> tuple[list[bytes], str]:
    """The HTML pages the WARC cycles through, and where they came from."""
    found = sorted((aeb / "html").glob("*.html.gz")) if (aeb / "html").is_dir() else []
    if found:
        return [gzip.decompress(path.read_bytes()) for path in found], f"{len(found)} AEB news pages"
    example = (ROOT / "src/newstrace/examples/wire_blog_copy.html").read_bytes()
    return [example], "the bundled example page"


def write_warc(path: Path, records: int, html_pages: list[bytes]) -> int:
    """A gzipped WARC of ``records`` HTML responses (one gzip member each); returns its size in bytes."""
    with path.open("wb") as handle:
        for number in range(records):
            html = html_pages[number % len(html_pages)] + f"\n<!-- record {number} -->\n".encode()
            http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
            url = f"https://news.example/{number // len(html_pages)}/{number % len(html_pages)}"
            header = (
                "WARC/1.0\r\nWARC-Type: response\r\n"
                f"WARC-Target-URI: {url}\r\nWARC-Date: 2026-11-01T00:00:00Z\r\n"
                f"WARC-Record-ID: <urn:uuid:{number:032x}>\r\n"
                "Content-Type: application/http; msgtype=response\r\n"
                f"Content-Length: {len(http)}\r\n\r\n"
            ).encode()
            handle.write(gzip.compress(header + http + b"\r\n\r\n", compresslevel=6))
    return path.stat().st_size


@dataclass
class Run:
    """What one ingest run measured."""

    config: str
    records: int
    stored: int = 0
    wall_s: float = 0.0
    startup_s: float = 0.0
    cpu_s: float = 0.0
    wait4_cpu_s: float = 0.0
    steady_rate: float = 0.0
    workers: int = 0
    worker_peak_mb: list[float] = field(default_factory=list)
    worker_peak_pss_mb: list[float] = field(default_factory=list)
    worker_peak_shmem_mb: list[float] = field(default_factory=list)
    worker_peak_own_mb: list[float] = field(default_factory=list)
    other_peak_mb: float = 0.0
    returncode: int = 0

    @property
    def per_cpu_second(self) -> float:
        """Articles per CPU-second of the whole process tree: the per-core rate."""
        return self.stored / self.cpu_s if self.cpu_s else 0.0


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending += children.get(pid, [])
    return found


def _kb_fields(pid: int, proc_file: str) -> dict[str, float]:
    """Every ``Key:  N kB`` line of /proc/PID/status or smaps_rollup, in MB; empty when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/{proc_file}").read_text()
    except OSError:
        return {}
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        parts = value.split()
        if len(parts) == 2 and parts[1] == "kB":
            fields[key] = int(parts[0]) / 1024
    return fields


def _command(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None


def _cpu_ticks(pid: int) -> int | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[11]) + int(fields[12])  # utime and stime, in clock ticks


def _is_worker(engine: str, workers: int, pid: int, root: int, command: str) -> bool:
    if engine == "ray":
        return command.startswith("ray::") and "MapWorker" in command
    if workers == 1:
        return pid == root
    return "multiprocessing" in command and "spawn_main" in command


def run_once(config: str, warc: Path, records: int, folder: Path) -> Run:
    """One `newstrace ingest` of the WARC with this configuration, measured."""
    engine, workers = CONFIGS[config]
    db = folder / f"{config}-{records}.db"
    command = [sys.executable, "-m", "newstrace", "ingest", str(warc), "--db", str(db), "--workers", str(workers)]
    command += ["--engine", engine, "--log", str(folder / "errors.log")]
    environment = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
    result = Run(config, records, workers=workers)
    names: dict[int, str] = {}
    # Peak per process of: VmHWM (peak RSS), Pss, RssShmem (shared memory mapped), VmRSS - RssShmem (without it).
    peaks: dict[str, dict[int, float]] = {"rss": {}, "pss": {}, "shmem": {}, "own": {}}
    cpu_ticks: dict[int, int] = {}
    progress: list[tuple[float, int]] = []
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in _descendants(process.pid):
                ticks = _cpu_ticks(pid)
                if ticks is not None:
                    cpu_ticks[pid] = max(ticks, cpu_ticks.get(pid, 0))
                proc_status, name = _kb_fields(pid, "status"), _command(pid)
                if "VmHWM" not in proc_status or name is None:
                    continue  # gone, or exited and not yet reaped
                names[pid] = name
                shmem = proc_status.get("RssShmem", 0.0)
                now = {"rss": proc_status["VmHWM"], "shmem": shmem, "own": proc_status.get("VmRSS", 0.0) - shmem}
                now["pss"] = _kb_fields(pid, "smaps_rollup").get("Pss", 0.0)
                for measure, value in now.items():
                    peaks[measure][pid] = max(value, peaks[measure].get(pid, 0.0))
            progress.append((time.monotonic() - started, _stored(db)))
            done.wait(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    result.wall_s = time.monotonic() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    result.returncode = process.returncode
    # Ray's workers are not reaped by the CLI's process tree, so wait4 misses them: CPU is summed from /proc samples
    # of every descendant (each process's last half second aside), the same way for both engines.
    result.cpu_s = max(sum(cpu_ticks.values()) / os.sysconf("SC_CLK_TCK"), 0.0)
    result.wait4_cpu_s = usage.ru_utime + usage.ru_stime
    result.stored = _stored(db)
    # Throughput between the first stored batch and the moment the last one was stored: start-up and the shutdown
    # of workers or of Ray left out.
    stored = [(moment, count) for moment, count in progress if count > 0]
    if stored:
        first = stored[0]
        last = next(point for point in stored if point[1] == stored[-1][1])
        result.startup_s = first[0]
        if last[0] > first[0]:
            result.steady_rate = (last[1] - first[1]) / (last[0] - first[0])
    worker_pids = [pid for pid, name in names.items() if _is_worker(engine, workers, pid, process.pid, name)]

    def worker_peaks(measure: str) -> list[float]:
        return sorted((round(peaks[measure].get(pid, 0.0), 1) for pid in worker_pids), reverse=True)

    result.worker_peak_mb = worker_peaks("rss")
    result.worker_peak_pss_mb = worker_peaks("pss")
    result.worker_peak_shmem_mb = worker_peaks("shmem")
    result.worker_peak_own_mb = worker_peaks("own")
    result.other_peak_mb = round(sum(peak for pid, peak in peaks["rss"].items() if pid not in worker_pids), 1)
    return result


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as connection:
            return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=2_500, help="records of the memory check's smaller WARC")
    parser.add_argument("--configs", default="local1,local2,ray1,ray2")
    parser.add_argument("--aeb", type=Path, default=DEFAULT_AEB)
    parser.add_argument("--json", type=Path, help="also write the runs here")
    args = parser.parse_args()
    configs = args.configs.split(",")
    html_pages, origin = pages(args.aeb)
    runs: list[Run] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        large, small = folder / "large.warc.gz", folder / "small.warc.gz"
        size = write_warc(large, args.records, html_pages)
        small_size = write_warc(small, args.small, html_pages)
        print(f"WARC: {args.records:,} records ({size / 1e6:.1f} MB gzipped) from {origin}")
        print(f"memory check: {args.small:,} records ({small_size / 1e6:.1f} MB gzipped)")
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start", flush=True)
        for config in configs:
            runs.append(run_once(config, large, args.records, folder))
            print(_line(runs[-1]), flush=True)
        for config in [c for c in configs if c.endswith("2")]:
            runs.append(run_once(config, small, args.small, folder))
            print(_line(runs[-1]), flush=True)
    print(f"load average at the end {os.getloadavg()[0]:.1f}; this process peak {_self_peak():.0f} MB")
    by_config = {(run.config, run.records): run for run in runs}
    local2, ray2 = by_config.get(("local2", args.records)), by_config.get(("ray2", args.records))
    if local2 and ray2 and local2.steady_rate:
        rate, wall = ray2.steady_rate / local2.steady_rate, local2.wall_s / ray2.wall_s
        print(f"ray2 / local2: rate after the first batch {rate:.2f}, whole run (inverse wall) {wall:.2f}")
        print(f"CPU per article, ray2 / local2: {ray2.cpu_s / ray2.stored / (local2.cpu_s / local2.stored):.2f}")
    if args.json:
        args.json.write_text(json.dumps([asdict(run) for run in runs], indent=1))
    return 0 if all(run.returncode in (0, 3) for run in runs) else 1


def _line(run: Run) -> str:
    peaks = ", ".join(f"{peak:.0f}" for peak in run.worker_peak_mb) or "-"
    pss = ", ".join(f"{peak:.0f}" for peak in run.worker_peak_pss_mb) or "-"
    own = ", ".join(f"{peak:.0f}" for peak in run.worker_peak_own_mb) or "-"
    shmem = ", ".join(f"{peak:.0f}" for peak in run.worker_peak_shmem_mb) or "-"
    return (
        f"{run.config:7} {run.records:>6,} records: stored {run.stored:,} (exit {run.returncode}),"
        f" wall {run.wall_s:7.1f} s"
        f" (first batch stored at {run.startup_s:5.1f} s), {run.steady_rate:5.2f} articles/s after it,"
        f" {run.per_cpu_second:5.2f} articles per CPU-second ({run.cpu_s:.0f} CPU s);"
        f" worker peak RSS MB [{peaks}] (PSS [{pss}]; without shared memory [{own}], shared memory [{shmem}]),"
        f" other processes {run.other_peak_mb:.0f} MB"
    )


def _self_peak() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    sys.exit(main())
