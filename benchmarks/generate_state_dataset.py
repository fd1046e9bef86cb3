"""Load a state-scale tracker data set into PostgreSQL: 65 centres, 10 years (2016-2025),
300,000 trainees and about 1,000,000 enrolments, with attendance for the last year's cohorts.

    createdb sakhi_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sakhi_bench .venv/bin/python benchmarks/generate_state_dataset.py

It migrates the database, loads the demo centres and trades, then streams the rest with COPY.
It refuses to run on a database that already holds tracker data, and on SQLite.
--scale 0.1 makes a tenth of the data set for a quick try. Prints what it loaded and how long it took."""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from placements.models import Placement, SelfEmployment  # noqa: E402
from skills.demo import seed_centres_and_trades  # noqa: E402
from skills.demo_tracker import COURSES, FIRST_NAMES, SURNAMES  # noqa: E402
from skills.models import Centre, Cohort, Course, Trade, Trainee  # noqa: E402

CENTRES = 65
YEARS = range(2016, 2026)
TRAINEES = 300_000
ENROLMENTS = 1_000_000
SEATS = 30


def letters(n):
    return "".join(chr(65 + (n // 26**i) % 26) for i in (2, 1, 0))


def copy_rows(table, columns, rows):
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        count = 0
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def reset_sequence(table):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
        )


def load_outcomes(rng):
    """About 60 % of the women who completed a course get a job or a business after it; one in
    eight of those stopped again."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT trainee_id, MAX(completed_on) FROM skills_enrolment WHERE status = 'completed' GROUP BY trainee_id"
        )
        completed = cursor.fetchall()
    jobs, businesses = [], []
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for trainee_id, finished in completed:
        if rng.random() > 0.6:
            continue
        start = finished + datetime.timedelta(days=rng.randint(15, 90))
        end = start + datetime.timedelta(days=rng.randint(90, 600)) if rng.random() < 0.125 else None
        if rng.random() < 0.4:
            jobs.append(
                (trainee_id, "Local employer", "Helper", rng.randint(8000, 15000), start, end, "", now)
            )
        else:
            businesses.append(
                (trainee_id, "Tailoring", rng.randint(4000, 10000), start, end, False, False, False, now)
            )
    copy_rows(
        "placements_placement",
        [
            "trainee_id",
            "employer_name",
            "job_title",
            "monthly_pay",
            "start_date",
            "end_date",
            "evidence",
            "created_at",
        ],
        jobs,
    )
    copy_rows(
        "placements_selfemployment",
        ["trainee_id", "kind", "monthly_income", "start_date", "end_date", "got_toolkit", "got_loan",
         "in_self_help_group", "created_at"],
        businesses,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  placements       {len(jobs):>10,}")
    print(f"  self-employment  {len(businesses):>10,}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Point DATABASE_URL at a PostgreSQL database made for the benchmark.")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if Trainee.objects.exists():
        if not Placement.objects.exists() and not SelfEmployment.objects.exists():
            load_outcomes(random.Random(695))
            print(f"Outcomes added in {time.perf_counter() - started:.1f} s.")
            return
        sys.exit("This database already holds trainees; create an empty one for the benchmark.")
    seed_centres_and_trades()
    rng = random.Random(65)

    existing = list(Centre.objects.all())
    new_centres = [
        Centre(
            name=f"Sakhi One Stop Centre {n + 1}",
            slug=f"bench-{n + 1}",
            code="B" + letters(n),
            district=f"District {n + 1}",
            state="Bihar",
        )
        for n in range(CENTRES - len(existing))
    ]
    centres = existing + Centre.objects.bulk_create(new_centres)
    trades = {trade.slug: trade for trade in Trade.objects.all()}
    courses = [
        Course.objects.get_or_create(
            trade=trades[slug],
            title=title,
            defaults={"title_hi": title_hi, "duration_days": days, "hours": hours},
        )[0]
        for slug, (title, title_hi, days, hours) in COURSES.items()
    ]

    trainees_per_centre = int(TRAINEES * args.scale) // CENTRES
    enrolments_per_centre = int(ENROLMENTS * args.scale) // CENTRES
    per_cohort = 25
    cohorts_per_year = max(1, enrolments_per_centre // per_cohort // len(YEARS))

    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM skills_trainee")
        trainee_id = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM skills_cohort")
        cohort_id = cursor.fetchone()[0]

    trainee_rows, cohort_rows, enrolment_rows, session_rows, mark_rows = [], [], [], [], []
    enrolment_id = session_id = 0
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for centre in centres:
        first_trainee = trainee_id + 1
        for n in range(trainees_per_centre):
            trainee_id += 1
            first, first_hi = rng.choice(FIRST_NAMES)
            last, last_hi = rng.choice(SURNAMES)
            consents = rng.random() < 0.7
            trainee_rows.append(
                (
                    trainee_id,
                    centre.pk,
                    f"{centre.code}-{n:06d}",
                    f"{first} {last}",
                    f"{first_hi} {last_hi}",
                    datetime.date(1975, 1, 1) + datetime.timedelta(days=rng.randint(0, 10_000)),
                    "",
                    centre.district,
                    "primary",
                    "osc_case",
                    "",
                    consents,
                    now if consents else None,
                    consents,
                    now,
                    now,
                )
            )
        pool = list(range(first_trainee, trainee_id + 1))
        cursor_in_pool = 0
        for year in YEARS:
            for k in range(cohorts_per_year):
                cohort_id += 1
                course = courses[k % len(courses)]
                start = datetime.date(year, 1, 1) + datetime.timedelta(days=(k * 300) // cohorts_per_year)
                end = start + datetime.timedelta(days=course.duration_days)
                last_year = year == YEARS[-1]
                statuses = []
                for _ in range(per_cohort):
                    roll = rng.random()
                    if last_year and end > datetime.date(2025, 12, 31):
                        statuses.append("enrolled" if roll < 0.9 else "dropped")
                    else:
                        statuses.append(
                            "completed" if roll < 0.82 else "dropped" if roll < 0.93 else "not_passed"
                        )
                holding = sum(1 for s in statuses if s != "dropped")
                status = "running" if "enrolled" in statuses else "completed"
                cohort_rows.append(
                    (
                        cohort_id,
                        course.pk,
                        centre.pk,
                        start,
                        end,
                        "Mon-Fri",
                        "",
                        "",
                        SEATS,
                        holding,
                        status,
                        "",
                    )
                )
                cohort_enrolments = []
                for status_of_one in statuses:
                    enrolment_id += 1
                    trainee = pool[cursor_in_pool % len(pool)]
                    cursor_in_pool += 1
                    enrolled_on = start - datetime.timedelta(days=5)
                    enrolment_rows.append(
                        (
                            enrolment_id,
                            trainee,
                            cohort_id,
                            status_of_one,
                            enrolled_on,
                            start + datetime.timedelta(days=20) if status_of_one == "dropped" else None,
                            "Moved away" if status_of_one == "dropped" else "",
                            end if status_of_one == "completed" else None,
                            "B" if status_of_one == "completed" else "",
                        )
                    )
                    cohort_enrolments.append((enrolment_id, status_of_one))
                if last_year:
                    for day in range(0, course.duration_days, 3):
                        session_id += 1
                        session_rows.append((session_id, cohort_id, start + datetime.timedelta(days=day), ""))
                        for enrolment, status_of_one in cohort_enrolments:
                            if status_of_one != "dropped":
                                mark_rows.append((session_id, enrolment, rng.random() < 0.9))

    loaded = {
        "trainees": copy_rows(
            "skills_trainee",
            [
                "id",
                "centre_id",
                "register_number",
                "full_name",
                "name_hi",
                "date_of_birth",
                "phone",
                "district",
                "education",
                "referred_by",
                "guardian_consent_basis",
                "consent_share_with_employers",
                "consent_share_recorded_at",
                "consent_follow_up",
                "consent_follow_up_recorded_at",
                "created_at",
            ],
            trainee_rows,
        ),
        "cohorts": copy_rows(
            "skills_cohort",
            [
                "id",
                "course_id",
                "centre_id",
                "start_date",
                "end_date",
                "schedule",
                "venue",
                "trainer",
                "capacity",
                "seats_taken",
                "status",
                "funding",
            ],
            cohort_rows,
        ),
        "enrolments": copy_rows(
            "skills_enrolment",
            [
                "id",
                "trainee_id",
                "cohort_id",
                "status",
                "enrolled_on",
                "dropped_on",
                "dropout_reason",
                "completed_on",
                "assessment_result",
            ],
            enrolment_rows,
        ),
        "sessions": copy_rows("skills_cohortsession", ["id", "cohort_id", "date", "topic"], session_rows),
        "attendance marks": copy_rows(
            "skills_attendancemark", ["session_id", "enrolment_id", "present"], mark_rows
        ),
    }
    for table in (
        "skills_trainee",
        "skills_cohort",
        "skills_enrolment",
        "skills_cohortsession",
        "skills_attendancemark",
    ):
        reset_sequence(table)
    load_outcomes(rng)
    elapsed = time.perf_counter() - started
    print(f"Loaded into {connection.settings_dict['NAME']} in {elapsed:.1f} s:")
    print(f"  centres          {Centre.objects.count():>10,}")
    for name, count in loaded.items():
        print(f"  {name:<16} {count:>10,}")
    print(f"  cohorts in DB    {Cohort.objects.count():>10,}")


if __name__ == "__main__":
    main()
