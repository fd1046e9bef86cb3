"""Time the historical import of N generated rows (default 100,000): a dry run, the real run,
and the same file again (which must change nothing).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sakhi_bench .venv/bin/python benchmarks/bench_import.py 100000

Needs the demo centres and trades (benchmarks/generate_state_dataset.py or seed_demo loads them).
The rows are invented; target: 100,000 rows in under 60 s."""

import csv
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from skills.demo import seed_centres_and_trades  # noqa: E402
from skills.demo_tracker import COURSES, FIRST_NAMES, SURNAMES  # noqa: E402
from skills.importer import import_records  # noqa: E402

CENTRES = ["lucknow", "patna-1", "patna-2", "buxar", "leh"]
TARGET_SECONDS = 60


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
            start = datetime.date(2016, 1, 1) + datetime.timedelta(days=cohort % 2999)
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


def timed(label, path, **kwargs):
    started = time.perf_counter()
    with open(path, "rb") as source:
        result = import_records(source, **kwargs)
    elapsed = time.perf_counter() - started
    print(
        f"  {label:<22} {elapsed:>7.1f} s  problems {len(result.problems):>5}  trainees +{result.created_trainees:<7,}"
        f" cohorts +{result.created_cohorts:<6,} enrolments +{result.created_enrolments:<7,} unchanged {result.unchanged:,}"
    )
    return elapsed, result


def bench_import(rows):
    seed_centres_and_trades()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.csv"
        write_rows(path, rows)
        print(f"\nImport of {rows:,} rows on {connection.vendor} ({connection.settings_dict['NAME']}):")
        timed("dry run", path, dry_run=True)
        elapsed, result = timed("real run", path)
        timed("same file again", path)
    verdict = "met" if elapsed < TARGET_SECONDS and not result.problems else "NOT met"
    print(f"  target {TARGET_SECONDS} s for the real run: {verdict}")


if __name__ == "__main__":
    bench_import(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
