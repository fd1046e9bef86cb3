"""Time the tracker on the state-scale data set: the lists and searches of a coordinator (one
centre, 1/65 of the data, the baseline) and of the state officer (every centre) side by side, first
and later pages; and the write path: an enrolment and an outcome saved with their summary refresh,
beside the same row saved with a bare create(), and a full summary rebuild beside one plain
aggregate scan of the enrolments.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sakhi_bench .venv/bin/python benchmarks/bench_tracker.py

Run benchmarks/generate_state_dataset.py first. Each view is requested through Django's test
client (the full middleware and template stack, no network), once to warm up and then --runs
times; the median and the slowest run are printed in milliseconds, with the number of SQL queries
and the time spent in them (the database's share moves less with the machine's load than the
rendering does). The lists are read, and every write is made, in a transaction that is rolled
back, so the data set stays as generated (the two bench users and the audit entries of opening a
record included). --lists-only skips the writes; --only TEXT times the lists whose URL contains
TEXT, --skip TEXT leaves them out. Targets on a 2-core machine: every list and search under
300 ms, an outcome saved with its refresh under 50 ms, a summary rebuild under 15 s. With
--import-rows N it also times importing N generated CSV rows."""

import argparse
import datetime
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
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402

from placements import summaries  # noqa: E402
from placements.models import Placement  # noqa: E402
from placements.services import record_outcome  # noqa: E402
from skills import services  # noqa: E402
from skills.models import Centre, Certificate, Cohort, Enrolment, Trainee  # noqa: E402
from skills.roles import COORDINATORS, STATE_OFFICERS  # noqa: E402

TARGET_MS = 300
OUTCOME_TARGET_MS = 50
REBUILD_TARGET_SECONDS = 15


def bench_user(username, group, centre=None):
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.groups.add(Group.objects.get(name=group))
    if centre:
        centre.coordinators.add(user)
    return user


def measure(client, url, runs):
    """Median and slowest time of the page (ms), the number of SQL queries and the median time
    spent in them (ms): on a loaded machine the database share moves less than the rendering."""
    client.get(url)
    timings, sql_timings, queries = [], [], 0
    for _ in range(runs):
        reset_queries()
        started = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        timings.append((time.perf_counter() - started) * 1000)
        queries = len(connection.queries)
        sql_timings.append(sum(float(query["time"]) for query in connection.queries) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings), max(timings), queries, statistics.median(sql_timings)


class RolledBack(Exception):
    pass


def rolled_back(function, runs):
    """Median and slowest of runs calls of function, each in a transaction rolled back, in ms."""
    timings = []
    for _ in range(runs + 1):  # the first warms up
        try:
            with transaction.atomic():
                started = time.perf_counter()
                function()
                timings.append((time.perf_counter() - started) * 1000)
                raise RolledBack
        except RolledBack:
            pass
    return statistics.median(timings[1:]), max(timings[1:])


def tracker_urls(centre, later_page):
    """Every list of the Training menu, its searches and filters, first pages and a later one."""
    cohort = Cohort.objects.filter(centre=centre).order_by("-start_date").first()
    trainee = Trainee.objects.filter(centre=centre).first()
    session = cohort.sessions.first()
    certificate = Certificate.objects.filter(centre=centre).first()
    p = f"p={later_page}"
    urls = [
        "/admin/skills_trainee/",
        f"/admin/skills_trainee/?{p}",
        "/admin/skills_trainee/?q=Sunita",
        f"/admin/skills_trainee/?q=Sunita&{p}",
        "/admin/skills_trainee/?q=Sunita+Devi",
        f"/admin/skills_trainee/?q={trainee.register_number}",
        "/admin/skills_trainee/?status=completed&year=2024",
        f"/admin/skills_trainee/?status=completed&year=2024&{p}",
        f"/admin/skills_trainee/?centre={centre.pk}",
        "/admin/skills_trainee/?ordering=-full_name",
        "/admin/skills_cohort/",
        f"/admin/skills_cohort/?{p}",
        "/admin/skills_cohort/?status=completed&year=2023",
        "/admin/skills_cohort/?q=Tailoring",
        "/admin/skills_enrolment/",
        f"/admin/skills_enrolment/?{p}",
        "/admin/skills_enrolment/?q=Sunita",
        f"/admin/skills_enrolment/?q=Sunita&{p}",
        "/admin/skills_enrolment/?status=completed&year=2024",
        f"/admin/skills_enrolment/?status=completed&year=2024&{p}",
        f"/admin/skills_enrolment/?cohort={cohort.pk}",
        # Sorted by attendance across every cohort the address asks for it in vain (the list keeps
        # its own order: the sort waits for one cohort, skills.views.ScopedIndexView); in one cohort.
        "/admin/skills_enrolment/?ordering=-attendance_percent",
        f"/admin/skills_enrolment/?cohort={cohort.pk}&ordering=-attendance_percent",
        "/admin/skills_cohortsession/",
        f"/admin/skills_cohortsession/?{p}",
        "/admin/skills_cohortsession/?q=Tailoring",
        "/admin/skills_certificate/",
        f"/admin/skills_certificate/?{p}",
        "/admin/skills_course/",
        "/admin/skills_trade/",
        "/admin/skills_centre/",
        f"/admin/skills_trainee/inspect/{trainee.pk}/",
        f"/admin/skills_cohort/inspect/{cohort.pk}/",
    ]
    if certificate:
        urls.insert(
            urls.index(f"/admin/skills_certificate/?{p}") + 1,
            f"/admin/skills_certificate/?q={certificate.number}",
        )
    if session:
        urls.append(f"/admin/skills_cohortsession/{session.pk}/attendance/")
    return urls


def bench_lists(people, urls, runs):
    slow = []
    print(f"\n  {'view':<58} {'coordinator':>12} {'state officer':>14} {'queries':>8} {'SQL ms':>10}")
    clients = {}
    for who, user in people.items():
        clients[who] = Client()
        clients[who].force_login(user)
    for url in urls:
        cells, queries, sql = [], [], []
        for who in people:
            if url.endswith("/attendance/") and who == "officer":
                cells.append(f"{'-':>12}")
                continue
            median, slowest, count, sql_median = measure(clients[who], url, runs)
            queries.append(str(count))
            sql.append(f"{sql_median:.0f}")
            cells.append(f"{median:>8.0f} ms")
            if median >= TARGET_MS:
                slow.append((who, url))
        flag = "  <-- over target" if any(u == url for _, u in slow) else ""
        print(f"  {url:<58} {cells[0]:>12} {cells[1]:>14} {'/'.join(queries):>8} {'/'.join(sql):>10}{flag}")
    return slow


def bench_writes(centre, runs):
    """An enrolment and an outcome, each saved through its service (with the summary refresh)
    beside the bare create(); a full summary rebuild beside one aggregate scan of the enrolments."""
    cohort = (
        Cohort.objects.filter(
            centre=centre, status__in=["planned", "open", "running"], seats_taken__lt=F("capacity")
        )
        .order_by("-start_date")
        .first()
    )
    if cohort is None:  # a small data set may have none running: open the latest
        cohort = Cohort.objects.filter(centre=centre).order_by("-start_date").first()
        Cohort.objects.filter(pk=cohort.pk).update(status="running", capacity=F("seats_taken") + 5)
        cohort.refresh_from_db()
    newcomer = Trainee.objects.filter(centre=centre).exclude(enrolments__cohort=cohort).first()
    if newcomer is None:  # a small data set puts every woman of the centre in every cohort
        newcomer, _ = Trainee.objects.get_or_create(
            centre=centre,
            register_number="BENCH-NEWCOMER",
            defaults={"full_name": "Bench Newcomer", "date_of_birth": datetime.date(1990, 1, 1)},
        )
    completed = (
        Enrolment.objects.filter(cohort__centre=centre, status="completed").select_related("trainee").last()
    )
    woman = completed.trainee
    figures = []

    def outcome():
        return Placement(
            trainee=woman,
            employer_name="Bench employer",
            job_title="Helper",
            monthly_pay=9000,
            start_date=completed.completed_on + datetime.timedelta(days=30),
        )

    figures.append(
        (
            "enrolment, with its refresh",
            rolled_back(lambda: services.enrol([newcomer], cohort), runs),
            "bare Enrolment.objects.create()",
            rolled_back(lambda: Enrolment.objects.create(trainee=newcomer, cohort=cohort), runs),
            None,
        )
    )
    figures.append(
        (
            "outcome saved, with its refresh",
            rolled_back(lambda: record_outcome(outcome()), runs),
            "bare Placement.save()",
            rolled_back(lambda: outcome().save(), runs),
            OUTCOME_TARGET_MS,
        )
    )

    def aggregate_scan():
        with connection.cursor() as cursor:
            cursor.execute("SELECT trainee_id, COUNT(*) FROM skills_enrolment GROUP BY trainee_id")
            cursor.fetchall()

    figures.append(
        (
            "full summary rebuild",
            rolled_back(summaries.refresh, max(1, runs // 5)),
            "one GROUP BY over enrolments",
            rolled_back(aggregate_scan, max(1, runs // 5)),
            REBUILD_TARGET_SECONDS * 1000,
        )
    )
    print(f"\n  {'write':<34} {'median':>10} {'slowest':>10}   {'baseline':<32} {'median':>10}")
    missed = []
    for label, (median, slowest), base_label, (base_median, _), target in figures:
        flag = ""
        if target and median >= target:
            flag = "  <-- over target"
            missed.append(label)
        print(
            f"  {label:<34} {median:>7.1f} ms {slowest:>7.1f} ms   {base_label:<32} {base_median:>7.1f} ms{flag}"
        )
    return missed


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--import-rows", type=int, default=0)
    parser.add_argument("--lists-only", action="store_true", help="time the lists, not the writes")
    parser.add_argument("--only", default="", help="time only the lists whose URL contains this")
    parser.add_argument("--skip", default=None, help="leave out the lists whose URL contains this")
    args = parser.parse_args()
    settings.DEBUG = True  # count queries
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    centre = Centre.objects.get(slug="lucknow")
    print(
        f"Data set on {connection.vendor} ({connection.settings_dict['NAME']}): {Centre.objects.count():,} centres, "
        f"{Trainee.objects.count():,} trainees, {Cohort.objects.count():,} cohorts, {Enrolment.objects.count():,} enrolments"
    )
    # A later page both can reach: the coordinator's trainees fill a few pages only.
    later_page = max(2, Trainee.objects.filter(centre=centre).count() // 20 // 2)
    urls = [
        url
        for url in tracker_urls(centre, later_page)
        if args.only in url and not (args.skip and args.skip in url)
    ]
    # The two users, their sessions and the audit entries of opening a record are rolled back
    # with the rest: the data set stays as generated.
    try:
        with transaction.atomic():
            people = {
                "coordinator": bench_user("bench-coordinator", COORDINATORS, centre),
                "officer": bench_user("bench-officer", STATE_OFFICERS),
            }
            slow = bench_lists(people, urls, args.runs)
            raise RolledBack
    except RolledBack:
        pass
    settings.DEBUG = False  # no query log while timing writes
    missed = [] if args.lists_only else bench_writes(centre, args.runs)
    if args.import_rows:
        from benchmarks.bench_import import bench_import

        bench_import(args.import_rows)
    print(
        f"\nTargets: lists and searches under {TARGET_MS} ms ({'all met' if not slow else f'{len(slow)} over'}); "
        f"an outcome with its refresh under {OUTCOME_TARGET_MS} ms, a rebuild under {REBUILD_TARGET_SECONDS} s"
        f" ({'met' if not missed else 'NOT met: ' + ', '.join(missed)})."
    )


if __name__ == "__main__":
    main()
