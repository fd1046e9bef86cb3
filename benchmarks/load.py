"""Load on the production topology: gunicorn app servers, Redis, S3, SMTP, a worker and PostgreSQL
on 127.0.0.1 (tests/production/topology.py), driven by locust in headless mode with the people of
benchmarks/load_users.py: 70 % public visitors, 15 % employers, 15 % coordinators.

    .venv/bin/python benchmarks/load.py                       # 50 users, 2 minutes (docs/performance.md)
    .venv/bin/python benchmarks/load.py --users 5 --seconds 10  # the smoke run CI makes

Bounded in time (--seconds) and in count (each simulated person makes at most
SAKHI_LOAD_MAX_REQUESTS_PER_USER requests), on 127.0.0.1 only. Prints requests per second, the
50th/95th/99th percentile response times per kind and the error count, and exits 1 on any error.
Without --database-url (or DATABASE_URL) it starts a PostgreSQL cluster of its own."""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.production.topology import ROOT, Topology  # noqa: E402

KINDS = ("public", "employer", "coordinator")


def percentile(values, fraction):
    """The value below which `fraction` of the values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def figures(samples, seconds):
    """{kind: {requests, per_second, p50, p95, p99, errors}} and the totals, from the samples."""
    table = {}
    for kind in (*KINDS, "all"):
        mine = [sample for sample in samples if kind == "all" or sample[0] == kind]
        # A sample without a time is a step that failed outside a request (a refused login).
        times = [milliseconds for _kind, milliseconds, _failed in mine if milliseconds is not None]
        table[kind] = {
            "requests": len(times),
            "per_second": len(times) / seconds,
            "p50": percentile(times, 0.50) if times else None,
            "p95": percentile(times, 0.95) if times else None,
            "p99": percentile(times, 0.99) if times else None,
            "mean": statistics.fmean(times) if times else None,
            "errors": sum(1 for *_rest, failed in mine if failed),
        }
    return table


def report(table, users, seconds):
    lines = [
        f"{users} users for {seconds} s",
        f"{'kind':<12} {'requests':>9} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}",
    ]
    for kind, row in table.items():
        times = [
            f"{row[key]:>8.0f}" if row[key] is not None else f"{'-':>8}" for key in ("p50", "p95", "p99")
        ]
        lines.append(
            f"{kind:<12} {row['requests']:>9} {row['per_second']:>7.1f} {' '.join(times)} {row['errors']:>7}"
        )
    return "\n".join(lines)


def seed(topology):
    """The people and rows of tests/production/seed.py, in the topology's database."""
    seeded = topology.manage("shell", "-c", "from tests.production.seed import main; main()")
    return json.loads(seeded.stdout.strip().splitlines()[-1])


def run_load(topology, seeded, *, users, seconds, workdir):
    """Run locust against the topology's app servers, as the seeded people; returns the samples
    [(kind, milliseconds, failed)] and the finished locust process."""
    people = Path(workdir) / "people.json"
    people.write_text(json.dumps(seeded))
    results = Path(workdir) / "samples.json"
    env = {
        **os.environ,
        "SAKHI_LOAD_SERVERS": ",".join(topology.app_urls),
        "SAKHI_LOAD_PEOPLE": str(people),
        "SAKHI_LOAD_RESULTS": str(results),
    }
    locust = subprocess.run(  # noqa: S603 - this interpreter, our locustfile
        [
            sys.executable,
            "-m",
            "locust",
            "--locustfile",
            str(ROOT / "benchmarks" / "load_users.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 5)),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--host",
            topology.app_urls[0],
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",  # errors are counted here, from the samples
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )
    if not results.exists():
        raise SystemExit(
            f"locust wrote no results ({locust.returncode}):\n{locust.stdout[-3000:]}\n{locust.stderr[-3000:]}"
        )
    if locust.returncode != 0:
        print(locust.stderr[-3000:], file=sys.stderr)
    return json.loads(results.read_text()), locust


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--app-servers", type=int, default=2)
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--json", help="also write the figures to this file")
    options = parser.parse_args(argv)

    with (
        tempfile.TemporaryDirectory(prefix="sakhi-load.") as workdir,
        Topology(
            workdir,
            app_servers=options.app_servers,
            gunicorn_workers=options.gunicorn_workers,
            database_url=options.database_url,
            own_postgres=not options.database_url,
        ) as topology,
    ):
        samples, locust = run_load(
            topology, seed(topology), users=options.users, seconds=options.seconds, workdir=workdir
        )
    table = figures(samples, options.seconds)
    print(report(table, options.users, options.seconds))
    if options.json:
        Path(options.json).write_text(json.dumps(table, indent=2))
    failures = table["all"]["errors"]
    if failures:
        print(locust.stdout[-4000:], file=sys.stderr)
    return 1 if failures or not all(table[kind]["requests"] for kind in KINDS) else 0


if __name__ == "__main__":
    sys.exit(main())
