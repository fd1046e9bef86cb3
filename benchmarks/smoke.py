"""Run every tracker benchmark at a small scale on a fresh database, so that none can break unseen.

    .venv/bin/python benchmarks/smoke.py                       # a temporary SQLite database
    .venv/bin/python benchmarks/smoke.py --database-url postgres://postgres@127.0.0.1:5432/sakhi_smoke

CI runs it (`make bench-smoke`) on an empty PostgreSQL database. It generates the state data set at
1/500 scale (benchmarks/generate_state_dataset.py), then runs bench_tracker.py, bench_reports.py,
bench_import.py and bench_certificates.py on it, each in a process of its own as a person would, and
prints their output. Each must finish and print its figures; the smoke run asserts no timing (at
this scale, on a shared machine, the figures are not a measurement) and exits 1 if any benchmark
fails. The full-scale commands are in each benchmark's docstring and in docs/performance.md."""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
SCALE = "0.002"
STEPS = [
    ("generate_state_dataset.py", "--scale", SCALE),
    ("bench_tracker.py", "--runs", "1"),
    ("bench_reports.py", "--runs", "1", "--check"),
    ("bench_import.py", "500"),
    ("bench_certificates.py", "--count", "10"),
]


def run(database_url):
    environment = {**os.environ, "DATABASE_URL": database_url}
    failed = []
    for script, *arguments in STEPS:
        print(f"\n==> {script} {' '.join(arguments)}", flush=True)
        started = time.perf_counter()
        finished = subprocess.run(  # noqa: S603 - this interpreter on our own scripts
            [sys.executable, str(BENCHMARKS / script), *arguments], env=environment, check=False
        )
        print(
            f"    ({script}: exit {finished.returncode}, {time.perf_counter() - started:.0f} s)", flush=True
        )
        if finished.returncode:
            failed.append(script)
    return failed


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        help="an empty database to fill (default: a temporary SQLite file, removed afterwards)",
    )
    database_url = parser.parse_args().database_url
    if database_url:
        failed = run(database_url)
    else:
        with tempfile.TemporaryDirectory(prefix="sakhi-bench-smoke-") as folder:
            failed = run(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
    if failed:
        sys.exit(f"\nBenchmark smoke run FAILED: {', '.join(failed)}")
    print(f"\nBenchmark smoke run passed: {len(STEPS)} steps (no timing asserted).")


if __name__ == "__main__":
    main()
