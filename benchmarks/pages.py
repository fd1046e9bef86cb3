"""Public pages under load, on the production path, against a fresh `wagtail start` site, in one run.

    make bench                               # or: .venv/bin/python benchmarks/pages.py
    make bench BENCH_ARGS=--smoke            # CI: a second per page, checks that it all still runs

Sakhi runs as production runs it, started by tests/production/topology.py: its production settings,
one gunicorn app server with 2 sync workers, Redis as the shared cache, an SQLite database in the
run's temporary folder (or --database-url, an empty database to migrate). The demo site's pages are
seeded (tests.factories.seed_baseline: the page tree in both languages, centres, courses, cohorts,
vacancies). Each page is loaded cold (SAKHI_PAGE_CACHE_SECONDS=0: rendered every time) and warm (the
page cache on, each page asked twice before the clock starts). The baseline is a fresh `wagtail
start` project made with the venv's wagtail in the same folder, migrated, its static files
collected, and served by gunicorn with the same options; its home page is loaded likewise.

The load comes from --concurrency client processes, each asking again as soon as it has an answer
(a new connection each time: gunicorn's sync workers close it), for --seconds per page. Printed per
page: requests a second, the median and 99th-percentile latency, the SQL queries one request makes
(counted in this process through Django's test client on the same database and cache), and the
ratio of its requests a second to the baseline's. Targets: cold, every page at least 1x the baseline;
warm, at least 5x. The client shares the machine with the servers, so figures are for comparison
within one run. A cold page's queries are its second request's: its content is kept too, until what
it shows changes (templates/base.html), so most read none."""

import argparse
import contextlib
import json
import multiprocessing
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from tests.production.topology import Topology, free_port, wait_for_port  # noqa: E402

TARGET_RATIOS = {"cold": 1, "warm": 5}
PAGES = ["/", "/courses/", "{course}", "/news/", "{news}", "/vacancies/", "/centres/", "/hi/"]


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def sakhi(workdir, *, page_cache_seconds, database_url, workers):
    """Sakhi's production topology with one app server; yields it (its URL in .app_urls[0])."""
    env = {"SAKHI_PAGE_CACHE_SECONDS": str(page_cache_seconds)}
    with Topology(
        workdir,
        app_servers=1,
        gunicorn_workers=workers,
        s3=False,
        smtp=False,
        worker=False,
        database_url=database_url,
        extra_env=env,
    ) as topology:
        yield topology


@contextlib.contextmanager
def gunicorn(wsgi, env, cwd, workers):
    """The baseline served as Topology serves Sakhi: gunicorn, sync workers, the same options."""
    port = free_port()
    log = Path(cwd) / "gunicorn.log"
    process = subprocess.Popen(  # noqa: S603 - the venv's gunicorn, our arguments
        [sys.executable, "-m", "gunicorn", wsgi, "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
        + ["--timeout", "30", "--graceful-timeout", "5"],
        cwd=cwd,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, process, log, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def run(command, env, cwd):
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


# The load: client processes asking one request after another over fresh connections.


def ask(port, path):
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(request)
        answer = bytearray()
        while chunk := connection.recv(65536):
            answer += chunk
    head = bytes(answer[: answer.find(b"\r\n\r\n")]).decode("latin-1").lower()
    return int(head.split(" ", 2)[1]), head


def client(port, path, seconds, results):
    latencies, failures = [], 0
    deadline = time.perf_counter() + seconds
    while (started := time.perf_counter()) < deadline:
        status, _head = ask(port, path)
        latencies.append(time.perf_counter() - started)
        failures += status != 200
    results.put((latencies, failures))


def load(base_url, path, seconds, concurrency):
    """(requests a second, median ms, 99th percentile ms) for `concurrency` clients over `seconds`."""
    port = int(base_url.rsplit(":", 1)[1])
    results = multiprocessing.Queue()
    clients = [
        multiprocessing.Process(target=client, args=(port, path, seconds, results))
        for _ in range(concurrency)
    ]
    for process in clients:
        process.start()
    latencies, failures = [], 0
    for _ in clients:
        got, failed = results.get()
        latencies += got
        failures += failed
    for process in clients:
        process.join()
    if failures:
        raise RuntimeError(f"{path}: {failures} of {len(latencies)} answers were not 200")
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return len(latencies) / seconds, statistics.median(latencies) * 1000, p99 * 1000


# Sakhi and the baseline.

COUNT_QUERIES = """
import json
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

counts = {{}}
for seconds in (0, 300):
    with override_settings(SAKHI_PAGE_CACHE_SECONDS=seconds):
        for path in {paths!r}:
            client = Client(SERVER_NAME="localhost")
            client.get(path)  # cold, it fills the per-process caches; warm, the page cache too
            with CaptureQueriesContext(connection) as queries:
                status = client.get(path).status_code
            assert status == 200, (path, status)
            counts[f"{{seconds}}:{{path}}"] = len(queries)
cache.clear()
print(json.dumps(counts))
"""

FIND_PAGES = """
import json
from website.models import CoursePage, NewsPage
english = {"locale__language_code": "en"}
print(json.dumps({"course": CoursePage.objects.live().filter(**english).first().url,
                  "news": NewsPage.objects.live().filter(**english).first().url}))
"""

SEED = "from tests.factories import seed_baseline; seed_baseline()"


def prepare_sakhi(topology):
    """Seed the demo site's pages; the pages to load and the queries each makes, cold and warm."""

    def shell(code):
        return topology.manage("shell", "--verbosity", "0", "--command", code).stdout.strip().splitlines()

    shell(SEED)
    found = json.loads(shell(FIND_PAGES)[-1])
    paths = [path.format(**found) for path in PAGES]
    queries = json.loads(shell(COUNT_QUERIES.format(paths=paths))[-1])
    return paths, queries


BASELINE_LOCAL = """
SECRET_KEY = "bench-baseline-" + "x" * 40
ALLOWED_HOSTS = ["*"]
"""


def prepare_baseline(workdir):
    """A fresh `wagtail start` project, migrated and collected, as its own production settings run it."""
    project = workdir / "baseline"
    project.mkdir()
    env = {**os.environ, "PYTHONPATH": str(project), "DJANGO_SETTINGS_MODULE": "baseline.settings.production"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    run([str(VENV_BIN / "wagtail"), "start", "baseline", str(project)], env, workdir)
    (project / "baseline" / "settings" / "local.py").write_text(BASELINE_LOCAL)
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env, project)
    run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env, project)
    return env, project


BASELINE_QUERIES = """
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
client.get("/")
with CaptureQueriesContext(connection) as queries:
    assert client.get("/").status_code == 200
print(len(queries))
"""


def measure(base_url, paths, seconds, concurrency, *, expect_hits):
    rows = {}
    for path in paths:
        port = int(base_url.rsplit(":", 1)[1])
        for _ in range(2):  # warm the workers' own caches (and, warm, the page cache)
            status, head = ask(port, path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
        if expect_hits != ("x-page-cache: hit" in head):
            raise RuntimeError(f"{path}: {'not ' if expect_hits else ''}served from the page cache: {head}")
        rows[path] = load(base_url, path, seconds, concurrency)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a second per page: CI's check that it runs")
    parser.add_argument("--seconds", type=float, default=5.0, help="load per page (default 5)")
    parser.add_argument("--concurrency", type=int, default=4, help="client processes (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--database-url", help="an empty database for Sakhi (default: SQLite in a temp folder)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    seconds = 1.0 if args.smoke else args.seconds
    concurrency = 2 if args.smoke else args.concurrency

    workdir = Path(tempfile.mkdtemp(prefix="sakhi-bench-"))
    try:
        print(f"Preparing Sakhi and a fresh `wagtail start` site in {workdir} ...", flush=True)
        baseline_env, project = prepare_baseline(workdir)
        baseline_queries = int(run([sys.executable, "-c", BASELINE_QUERIES], baseline_env, project))
        with gunicorn("baseline.wsgi", baseline_env, project, args.workers) as url:
            baseline = measure(url, ["/"], seconds, concurrency, expect_hits=False)["/"]
        results = {}
        for mode, page_cache_seconds in (("cold", 0), ("warm", 300)):
            options = {"database_url": args.database_url, "workers": args.workers}
            with sakhi(workdir, page_cache_seconds=page_cache_seconds, **options) as topology:
                if mode == "cold":
                    paths, queries = prepare_sakhi(topology)
                url = topology.app_urls[0]
                results[mode] = measure(url, paths, seconds, concurrency, expect_hits=mode == "warm")
    finally:
        if args.keep:
            print(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    print_table(paths, results, queries, baseline, baseline_queries, seconds, concurrency, args.workers)
    failed = False
    for mode, ratio in TARGET_RATIOS.items():
        missed = [path for path in paths if results[mode][path][0] < ratio * baseline[0]]
        if missed:
            print(f"Below {ratio}x the baseline {mode}: {', '.join(missed)}")
            failed = True
    return 1 if failed and not args.smoke else 0


def print_table(paths, results, queries, baseline, baseline_queries, seconds, concurrency, workers):
    print()
    print(f"{workers} gunicorn workers, {concurrency} clients, {seconds:g} s per page")
    header = f"{'page':<34} {'mode':<5} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'queries':>8} {'x base':>7}"
    print(header)
    print("-" * len(header))
    rate, p50, p99 = baseline
    line = "{:<34} {:<5} {:>8.0f} {:>8.1f} {:>8.1f} {:>8} {:>7.1f}"
    print(line.format("baseline: wagtail start, /", "-", rate, p50, p99, baseline_queries, 1.0))
    for path in paths:
        for mode, cache_seconds in (("cold", 0), ("warm", 300)):
            page_rate, page_p50, page_p99 = results[mode][path]
            count = queries[f"{cache_seconds}:{path}"]
            print(line.format(path[:34], mode, page_rate, page_p50, page_p99, count, page_rate / rate))


if __name__ == "__main__":
    sys.exit(main())
