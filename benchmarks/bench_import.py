"""Time the historical import of N generated rows (default 100,000): a dry run, the real run,
and the same file again (which must change nothing), beside the plain Django baseline: the same
trainees, cohorts and enrolments written with bulk_create and no checks (rolled back).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sakhi_bench .venv/bin/python benchmarks/bench_import.py 100000
    ... benchmarks/bench_import.py 20000 --profile    # which functions dominate the real run

Run it on the state data set (benchmarks/generate_state_dataset.py); it loads the demo centres and
trades itself on an empty database. The rows are invented paper registers of 2006-2015, before the
data set's years, so none of its cohorts meets one of the data set's; the real run must import
every row (the script exits 1 if the file is refused or the second run changes anything). All
of it happens in a transaction rolled back at the end, so the data set stays as generated.
Target: 100,000 rows in under 20 s on a 2-core machine. Each step also prints this process's CPU
time (not PostgreSQL's), steadier than the wall clock on a shared machine. The real run is broken
down by stage (reading, checks, each table's insert, the summary refresh with its statements by
table), and on PostgreSQL the foreign-key checks a commit would run are timed apart ("+ its checks
at commit"; the constraints are deferred, and a rolled-back run never reaches them)."""

import argparse
import cProfile
import csv
import datetime
import os
import pstats
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager, nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from core import changes  # noqa: E402
from skills.demo import seed_centres_and_trades  # noqa: E402
from skills.demo_tracker import COURSES, FIRST_NAMES, SURNAMES  # noqa: E402
from skills.importer import import_records, writing  # noqa: E402
from skills.models import Centre, Cohort, Course, Enrolment, Trainee  # noqa: E402

CENTRES = ["lucknow", "patna-1", "patna-2", "buxar", "leh"]
TARGET_SECONDS = 20


def write_rows(path, count, seed=7):
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["centre", "register_number", "full_name", "name_hi", "date_of_birth", "trade", "course",
             "cohort_start", "cohort_end", "status", "completion_date", "dropout_reason"]
        )  # fmt: skip
        row = cohort = 0
        while row < count:
            # Every generated cohort differs from the others in centre, trade or start date.
            centre, trade = CENTRES[cohort % len(CENTRES)], list(COURSES)[cohort % len(COURSES)]
            start = datetime.date(2006, 1, 1) + datetime.timedelta(days=cohort % 2999)
            cohort += 1
            end = start + datetime.timedelta(days=COURSES[trade][2])
            for _ in range(min(25, count - row)):
                (first, first_hi), (last, last_hi) = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
                born = datetime.date(1975, 1, 1) + datetime.timedelta(days=rng.randint(0, 9000))
                status = rng.choices(["completed", "dropped", "not_passed"], [85, 10, 5])[0]
                writer.writerow(
                    [centre, f"BENCH-{row:07d}", f"{first} {last}", f"{first_hi} {last_hi}", born.isoformat(),
                     trade, COURSES[trade][0], start, end, status, end if status == "completed" else "",
                     "Moved away" if status == "dropped" else ""]
                )  # fmt: skip
                row += 1


# The statements worth naming in the breakdown: the table each writes first, row locks, ids taken.
STATEMENT_LABELS = re.compile(r"(INSERT INTO \S+|DELETE FROM \S+|UPDATE \S+|FOR NO KEY UPDATE|nextval)")


class Stages:
    """Wall-clock and this process's CPU time of each stage of one import, taken by wrapping the
    functions writing.py calls (where it looks them up), and the wall-clock time of the statements
    sent meanwhile, by what they write. The summary refresh's three tables are its statements."""

    def __init__(self):
        self.stages = defaultdict(lambda: [0.0, 0.0])  # stage: [wall, CPU]
        self.statements = defaultdict(float)  # (stage, label): wall
        self.current = "other (courses, cohorts, audit log)"

    def wrap(self, function, label):
        def timed_stage(*args, **kwargs):
            name = label(*args) if callable(label) else label
            outer, self.current = self.current, name
            started, cpu_started = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.stages[name][0] += time.perf_counter() - started
                self.stages[name][1] += time.process_time() - cpu_started
                self.current = outer

        return timed_stage

    def statement(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            match = STATEMENT_LABELS.search(sql)
            if match:
                self.statements[self.current, match[1].replace('"', "")] += time.perf_counter() - started

    @contextmanager
    def measuring(self):
        originals = {
            name: getattr(writing, name)
            for name in ("read_rows", "check_file", "insert_rows", "recount_seats")
        }
        changed = changes.changed
        writing.read_rows = self.wrap(originals["read_rows"], "read the file")
        writing.check_file = self.wrap(originals["check_file"], "checks and matching")
        writing.insert_rows = self.wrap(
            originals["insert_rows"], lambda model, *_: f"insert {model._meta.verbose_name_plural}"
        )
        writing.recount_seats = self.wrap(originals["recount_seats"], "recount seats")
        changes.changed = self.wrap(changed, lambda kind, *_: f"summaries: {kind}")
        try:
            with connection.execute_wrapper(self.statement):
                yield self
        finally:
            for name, function in originals.items():
                setattr(writing, name, function)
            changes.changed = changed

    def report(self, elapsed, cpu):
        named_wall = sum(wall for wall, _cpu in self.stages.values())
        named_cpu = sum(cpu for _wall, cpu in self.stages.values())
        self.stages[self.current][0] += elapsed - named_wall
        self.stages[self.current][1] += cpu - named_cpu
        for stage, (wall, stage_cpu) in self.stages.items():
            print(f"      {stage:<38} {wall:>6.2f} s  (CPU {stage_cpu:.2f} s)")
            for (where, label), seconds in sorted(self.statements.items(), key=lambda item: -item[1]):
                if where == stage and seconds >= 0.05:
                    print(f"        {label:<36} {seconds:>6.2f} s")


def timed(label, path, profile=False, stages=False, **kwargs):
    profiler = cProfile.Profile() if profile else None
    breakdown = Stages() if stages else None
    started, cpu_started = time.perf_counter(), time.process_time()
    with open(path, "rb") as source, breakdown.measuring() if breakdown else nullcontext():
        if profiler:
            profiler.enable()
        result = import_records(source, **kwargs)
        if profiler:
            profiler.disable()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(
        f"  {label:<22} {elapsed:>7.1f} s  (this process's CPU {cpu:.1f} s)  problems {len(result.problems):>5}"
        f"  trainees +{result.created_trainees:<7,} cohorts +{result.created_cohorts:<6,}"
        f" enrolments +{result.created_enrolments:<7,} unchanged {result.unchanged:,}"
    )
    if breakdown:
        breakdown.report(elapsed, cpu)
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(
            r"skills|placements|core|django/db/models/(query|sql/compiler)", 30
        )
    return elapsed, result


class RolledBack(Exception):
    pass


def bench_bulk_create(path):
    """The plain Django baseline: the file's trainees, cohorts and enrolments with bulk_create, no
    checks, no matching, no summaries; rolled back."""
    centres = {centre.slug: centre for centre in Centre.objects.all()}
    courses = {course.trade.slug: course for course in Course.objects.select_related("trade")}
    with open(path, encoding="utf-8-sig", newline="") as source:
        rows = list(csv.DictReader(source))
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        with transaction.atomic():
            cohorts = {}
            for row in rows:
                cohorts.setdefault(
                    (row["centre"], row["trade"], row["cohort_start"]),
                    Cohort(
                        centre=centres[row["centre"]],
                        course=courses[row["trade"]],
                        start_date=row["cohort_start"],
                        end_date=row["cohort_end"],
                        capacity=30,
                        status="completed",
                    ),
                )
            Cohort.objects.bulk_create(cohorts.values(), batch_size=2000)
            trainees = Trainee.objects.bulk_create(
                [
                    Trainee(
                        centre=centres[row["centre"]],
                        register_number=row["register_number"],
                        full_name=row["full_name"],
                        name_hi=row["name_hi"],
                        date_of_birth=row["date_of_birth"],
                    )
                    for row in rows
                ],
                batch_size=2000,
            )
            Enrolment.objects.bulk_create(
                [
                    Enrolment(
                        trainee=trainee,
                        cohort=cohorts[(row["centre"], row["trade"], row["cohort_start"])],
                        status=row["status"],
                        enrolled_on=row["cohort_start"],
                        completed_on=row["completion_date"] or None,
                        dropout_reason=row["dropout_reason"],
                    )
                    for trainee, row in zip(trainees, rows, strict=True)
                ],
                batch_size=2000,
            )
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            print(
                f"  {'bulk_create baseline':<22} {elapsed:>7.1f} s  (this process's CPU {cpu:.1f} s)"
                "  (the same rows, no checks; rolled back)"
            )
            checks_at_commit()
            raise RolledBack
    except RolledBack:
        pass
    return elapsed


def checks_at_commit():
    """The foreign keys are checked at commit (DEFERRABLE INITIALLY DEFERRED), which a rolled-back
    run never reaches: run those checks now, as a commit would, and time them."""
    if connection.vendor != "postgresql":
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    print(
        f"  {'+ its checks at commit':<22} {time.perf_counter() - started:>7.1f} s  (deferred foreign keys)"
    )


def bench_import(rows, profile=False):
    seed_centres_and_trades()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.csv"
        write_rows(path, rows)
        print(f"\nImport of {rows:,} rows on {connection.vendor} ({connection.settings_dict['NAME']}):")
        bench_bulk_create(path)
        try:
            with transaction.atomic():  # rolled back: the data set stays as it was, for the next run
                timed("dry run", path, dry_run=True)
                elapsed, result = timed("real run", path, profile=profile, stages=True)
                checks_at_commit()
                _, again = timed("same file again", path)
                raise RolledBack
        except RolledBack:
            pass
    imported = result.ok and result.created_enrolments == rows
    changed_again = again.created_trainees or again.created_cohorts or again.created_enrolments
    verdict = "met" if elapsed < TARGET_SECONDS * rows / 100_000 else "NOT met"
    print(f"  target {TARGET_SECONDS} s per 100,000 rows for the real run: {verdict}")
    if not imported or changed_again or not again.ok:
        for problem in (result.problems or again.problems)[:5]:
            print(f"    {problem}")
        sys.exit("The import did not import every row once: the figures above are not an import.")
    return elapsed


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("rows", type=int, nargs="?", default=100_000)
    parser.add_argument(
        "--profile", action="store_true", help="print the functions the real run spends its time in"
    )
    arguments = parser.parse_args()
    bench_import(arguments.rows, profile=arguments.profile)
