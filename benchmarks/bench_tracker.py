"""Time the coordinator's and the state officer's main tracker views on the state-scale data set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sakhi_bench .venv/bin/python benchmarks/bench_tracker.py

Run benchmarks/generate_state_dataset.py first. Each view is requested through Django's test client
(the full middleware and template stack, no network), once to warm up and then --runs times; the
median and the slowest run are printed in milliseconds, with the number of SQL queries. Target:
every list view under 300 ms. With --import-rows N it also times importing N generated CSV rows."""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402

from skills.models import Centre, Cohort, Enrolment, Trainee  # noqa: E402
from skills.roles import COORDINATORS, STATE_OFFICERS  # noqa: E402

TARGET_MS = 300


def bench_user(username, group, centre=None):
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.groups.add(Group.objects.get(name=group))
    if centre:
        centre.coordinators.add(user)
    return user


def measure(client, url, runs):
    client.get(url)
    timings, queries = [], 0
    for _ in range(runs):
        reset_queries()
        started = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        timings.append((time.perf_counter() - started) * 1000)
        queries = len(connection.queries)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), max(timings), queries


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-rows", type=int, default=0)
    args = parser.parse_args()
    settings.DEBUG = True  # count queries
    centre = Centre.objects.get(slug="lucknow")
    print(
        f"Data set on {connection.vendor} ({connection.settings_dict['NAME']}): {Centre.objects.count():,} centres, "
        f"{Trainee.objects.count():,} trainees, {Cohort.objects.count():,} cohorts, {Enrolment.objects.count():,} enrolments"
    )
    people = {
        "coordinator (one centre)": bench_user("bench-coordinator", COORDINATORS, centre),
        "state officer (every centre)": bench_user("bench-officer", STATE_OFFICERS),
    }
    cohort = Cohort.objects.filter(centre=centre).order_by("-start_date").first()
    trainee = Trainee.objects.filter(centre=centre).first()
    session = cohort.sessions.first()
    urls = [
        "/admin/skills_trainee/",
        "/admin/skills_trainee/?q=Sunita",
        "/admin/skills_trainee/?status=completed&year=2024",
        "/admin/skills_cohort/",
        "/admin/skills_cohort/?status=completed&year=2023",
        "/admin/skills_enrolment/",
        "/admin/skills_enrolment/?status=completed&year=2024",
        f"/admin/skills_trainee/inspect/{trainee.pk}/",
        f"/admin/skills_cohort/inspect/{cohort.pk}/",
    ]
    if session:
        urls.append(f"/admin/skills_cohortsession/{session.pk}/attendance/")
    slow = []
    for who, user in people.items():
        client = Client()
        client.force_login(user)
        print(f"\n{who}:")
        print(f"  {'view':<58} {'median':>9} {'slowest':>9} {'queries':>8}")
        for url in urls:
            if "attendance" in url and "officer" in who:
                continue
            median, slowest, queries = measure(client, url, args.runs)
            flag = "" if median < TARGET_MS else "  <-- over target"
            if flag:
                slow.append(url)
            print(f"  {url:<58} {median:>7.0f}ms {slowest:>7.0f}ms {queries:>8}{flag}")
    if args.import_rows:
        from benchmarks.bench_import import bench_import

        settings.DEBUG = False  # no query log while timing the import
        bench_import(args.import_rows)
    print(f"\nTarget: lists under {TARGET_MS} ms. {'All met.' if not slow else f'{len(slow)} over target.'}")


if __name__ == "__main__":
    main()
