"""Load a state-scale tracker data set: 65 centres, 10 years (2016-2025),
300,000 trainees and about 1,000,000 enrolments, with attendance for the last year's cohorts, about
200,000 placements and businesses (some women with two), their follow-ups, and the reporting
summaries the outcome reports read.

    createdb sakhi_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sakhi_bench .venv/bin/python benchmarks/generate_state_dataset.py

It migrates the database, loads the demo centres and trades, then writes the rest a centre at a time
through the import's own bulk writer, skills.importer.inserting.insert_rows (COPY on PostgreSQL; on
SQLite, bulk_create and no follow-ups, which are written in PostgreSQL's SQL: enough for
benchmarks/smoke.py). Each row names only the columns the data set decides; every other column
gets its model default, so a field added with a default does not break the generator.
It refuses to run on a database that already holds tracker data; on a data set made by an older
version it adds what is missing (outcomes, then follow-ups).
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

from placements import summaries  # noqa: E402
from placements.models import FollowUp, Placement, SelfEmployment, TrainedWoman  # noqa: E402
from skills.demo import seed_centres_and_trades  # noqa: E402
from skills.demo_tracker import COURSES, FIRST_NAMES, SURNAMES  # noqa: E402
from skills.importer.inserting import insert_rows  # noqa: E402
from skills.models import (  # noqa: E402
    AttendanceMark,
    Centre,
    Cohort,
    CohortSession,
    Course,
    Enrolment,
    Trade,
    Trainee,
)

CENTRES = 65
YEARS = range(2016, 2026)
TRAINEES = 300_000
ENROLMENTS = 1_000_000
SEATS = 30


def letters(n):
    return "".join(chr(65 + (n // 26**i) % 26) for i in (2, 1, 0))


NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


class Table:
    """The rows of one model's table, each given as the fields the data set decides, written by the
    import's own bulk writer (skills.importer.inserting.insert_rows: COPY on PostgreSQL, every value
    prepared as its field prepares it); the other columns get the model's defaults. auto_now fields
    get NOW, so that the data set is the same on whatever day it is made."""

    def __init__(self, model):
        self.model = model
        self.stamps = {
            field.attname: NOW
            for field in model._meta.concrete_fields
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        }
        self.rows = []
        self.written = 0

    def add(self, **values):
        self.rows.append({**self.stamps, **values})

    def write(self):
        """Write the rows added since the last write and return how many this table has had in all.
        Written a centre at a time, so that the whole data set is never held in memory at once;
        each table still gets its rows in the same order."""
        self.written += len(insert_rows(self.model, self.rows))
        self.rows = []
        return self.written


def load_outcomes(rng):
    """About 60 % of the women who completed a course get a job or a business after it; one in
    eight of those stopped again."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT trainee_id, MAX(completed_on) FROM skills_enrolment WHERE status = 'completed'"
            " GROUP BY trainee_id ORDER BY trainee_id"
        )
        completed = cursor.fetchall()
    jobs, businesses = Table(Placement), Table(SelfEmployment)
    for trainee_id, finished in completed:
        if rng.random() > 0.6:
            continue
        if isinstance(finished, str):  # SQLite returns an aggregate's date as text
            finished = datetime.date.fromisoformat(finished)
        start = finished + datetime.timedelta(days=rng.randint(15, 90))
        end = start + datetime.timedelta(days=rng.randint(90, 600)) if rng.random() < 0.125 else None
        if rng.random() < 0.4:
            jobs.add(
                trainee_id=trainee_id,
                employer_name="Local employer",
                job_title="Helper",
                monthly_pay=rng.randint(8000, 15000),
                start_date=start,
                end_date=end,
            )
        else:
            businesses.add(
                trainee_id=trainee_id,
                kind="Tailoring",
                monthly_income=rng.randint(4000, 10000),
                start_date=start,
                end_date=end,
            )
    print(f"  placements       {jobs.write():>10,}")
    print(f"  self-employment  {businesses.write():>10,}")
    load_follow_ups()


# Follow-ups at 3, 6 and 12 months for every outcome whose month had come by the end of 2025.
# Nine in ten were done, within a month of being due: three in four found her still working, one
# in ten found she had stopped (which ends the outcome, as placements.services records it), the rest
# could not reach her. Half the women whose outcome ended started a business later, so some have two
# outcomes. setseed() makes the set the same on every run.
FOLLOW_UPS_SQL = """
SELECT setseed(0.695);
CREATE TEMPORARY TABLE new_follow_ups AS
SELECT o.id AS outcome_id, o.kind, m.months,
       (o.start_date + make_interval(months => m.months))::date AS due_on,
       random() AS done_roll, (random() * 30)::int AS delay, random() AS roll
FROM (
    SELECT id, 'job' AS kind, start_date, end_date FROM placements_placement
    UNION ALL
    SELECT id, 'business', start_date, end_date FROM placements_selfemployment
) AS o
CROSS JOIN (VALUES (3), (6), (12)) AS m (months)
WHERE (o.start_date + make_interval(months => m.months))::date <= LEAST(COALESCE(o.end_date, DATE '2025-12-31'), DATE '2025-12-31');
INSERT INTO placements_followup (placement_id, self_employment_id, months, due_on, done_on, result, monthly_income)
SELECT CASE WHEN kind = 'job' THEN outcome_id END, CASE WHEN kind = 'business' THEN outcome_id END,
       months, due_on,
       CASE WHEN done_roll < 0.9 THEN LEAST(due_on + delay, DATE '2025-12-31') END,
       CASE WHEN done_roll >= 0.9 THEN '' WHEN roll < 0.75 THEN 'still_working'
            WHEN roll < 0.85 THEN 'stopped' ELSE 'unreachable' END,
       CASE WHEN done_roll < 0.9 AND roll < 0.75 THEN 5000 + (roll * 8000)::int END
FROM new_follow_ups;
UPDATE placements_placement p SET end_date = GREATEST(s.stopped_on, p.start_date)
FROM (SELECT placement_id, MIN(done_on) AS stopped_on FROM placements_followup
      WHERE result = 'stopped' AND placement_id IS NOT NULL GROUP BY placement_id) AS s
WHERE s.placement_id = p.id AND p.end_date IS NULL;
UPDATE placements_selfemployment b SET end_date = GREATEST(s.stopped_on, b.start_date)
FROM (SELECT self_employment_id, MIN(done_on) AS stopped_on FROM placements_followup
      WHERE result = 'stopped' AND self_employment_id IS NOT NULL GROUP BY self_employment_id) AS s
WHERE s.self_employment_id = b.id AND b.end_date IS NULL;
INSERT INTO placements_selfemployment (trainee_id, kind, monthly_income, start_date, end_date, got_toolkit,
                                       got_loan, in_self_help_group, created_at)
SELECT trainee_id, 'Small shop', 4000 + (random() * 6000)::int, end_date + 30 + (random() * 90)::int, NULL,
       FALSE, FALSE, FALSE, TIMESTAMPTZ '2026-01-01 00:00+00'
FROM (SELECT trainee_id, end_date FROM placements_placement WHERE end_date IS NOT NULL
      UNION ALL
      SELECT trainee_id, end_date FROM placements_selfemployment WHERE end_date IS NOT NULL) AS ended
WHERE random() < 0.5 AND end_date <= DATE '2025-09-01';
DROP TABLE new_follow_ups;
ANALYZE;
"""


def load_summaries():
    """COPY sends no signals: write the reporting summaries the outcome reports read."""
    started = time.perf_counter()
    summaries.refresh()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"  summaries        {TrainedWoman.objects.count():>10,} women ({time.perf_counter() - started:.1f} s)"
    )


def load_follow_ups():
    if connection.vendor != "postgresql":
        print("  follow-ups       (PostgreSQL only: none on SQLite)")
        return
    with connection.cursor() as cursor:
        for statement in filter(str.strip, FOLLOW_UPS_SQL.split(";")):
            cursor.execute(statement)
        cursor.execute("SELECT COUNT(*), COUNT(done_on) FROM placements_followup")
        follow_ups, done = cursor.fetchone()
    print(f"  follow-ups       {follow_ups:>10,} ({done:,} done)")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if Trainee.objects.exists():
        if not Placement.objects.exists() and not SelfEmployment.objects.exists():
            load_outcomes(random.Random(695))
            load_summaries()
            print(f"Outcomes added in {time.perf_counter() - started:.1f} s.")
            return
        if not FollowUp.objects.exists():
            load_follow_ups()
            load_summaries()
            print(f"Follow-ups added in {time.perf_counter() - started:.1f} s.")
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

    per_cohort = 25
    # At least a cohort's worth of women per centre: a woman is in a cohort once.
    trainees_per_centre = max(per_cohort, int(TRAINEES * args.scale) // CENTRES)
    enrolments_per_centre = int(ENROLMENTS * args.scale) // CENTRES
    cohorts_per_year = max(1, enrolments_per_centre // per_cohort // len(YEARS))

    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM skills_trainee")
        trainee_id = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM skills_cohort")
        cohort_id = cursor.fetchone()[0]

    tables = {
        "trainees": Table(Trainee),
        "cohorts": Table(Cohort),
        "enrolments": Table(Enrolment),
        "sessions": Table(CohortSession),
        "attendance marks": Table(AttendanceMark),
    }
    trainee_rows, cohort_rows, enrolment_rows = tables["trainees"], tables["cohorts"], tables["enrolments"]
    session_rows, mark_rows = tables["sessions"], tables["attendance marks"]
    enrolment_id = session_id = 0
    for centre in centres:
        first_trainee = trainee_id + 1
        for n in range(trainees_per_centre):
            trainee_id += 1
            first, first_hi = rng.choice(FIRST_NAMES)
            last, last_hi = rng.choice(SURNAMES)
            consents = rng.random() < 0.7
            trainee_rows.add(
                id=trainee_id,
                centre_id=centre.pk,
                register_number=f"{centre.code}-{n:06d}",
                full_name=f"{first} {last}",
                name_hi=f"{first_hi} {last_hi}",
                date_of_birth=datetime.date(1975, 1, 1) + datetime.timedelta(days=rng.randint(0, 10_000)),
                district=centre.district,
                education="primary",
                referred_by="osc_case",
                consent_share_with_employers=consents,
                consent_share_recorded_at=NOW if consents else None,
                consent_follow_up=consents,
                consent_follow_up_recorded_at=NOW,
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
                cohort_rows.add(
                    id=cohort_id,
                    course_id=course.pk,
                    centre_id=centre.pk,
                    start_date=start,
                    end_date=end,
                    schedule="Mon-Fri",
                    capacity=SEATS,
                    seats_taken=holding,
                    status=status,
                )
                cohort_enrolments = []
                for status_of_one in statuses:
                    enrolment_id += 1
                    trainee = pool[cursor_in_pool % len(pool)]
                    cursor_in_pool += 1
                    enrolled_on = start - datetime.timedelta(days=5)
                    enrolment_rows.add(
                        id=enrolment_id,
                        trainee_id=trainee,
                        cohort_id=cohort_id,
                        status=status_of_one,
                        enrolled_on=enrolled_on,
                        dropped_on=start + datetime.timedelta(days=20)
                        if status_of_one == "dropped"
                        else None,
                        dropout_reason="Moved away" if status_of_one == "dropped" else "",
                        completed_on=end if status_of_one == "completed" else None,
                        assessment_result="B" if status_of_one == "completed" else "",
                    )
                    cohort_enrolments.append((enrolment_id, status_of_one))
                if last_year:
                    for day in range(0, course.duration_days, 3):
                        session_id += 1
                        session_rows.add(
                            id=session_id, cohort_id=cohort_id, date=start + datetime.timedelta(days=day)
                        )
                        for enrolment, status_of_one in cohort_enrolments:
                            if status_of_one != "dropped":
                                mark_rows.add(
                                    session_id=session_id, enrolment_id=enrolment, present=rng.random() < 0.9
                                )

        for table in tables.values():
            table.write()

    loaded = {name: table.written for name, table in tables.items()}
    load_outcomes(rng)
    load_summaries()
    elapsed = time.perf_counter() - started
    print(f"Loaded into {connection.settings_dict['NAME']} in {elapsed:.1f} s:")
    print(f"  centres          {Centre.objects.count():>10,}")
    for name, count in loaded.items():
        print(f"  {name:<16} {count:>10,}")
    print(f"  cohorts in DB    {Cohort.objects.count():>10,}")


if __name__ == "__main__":
    main()
