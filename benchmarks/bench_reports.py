"""Time the state-wide outcome report by year and by trade on the state-scale data set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sakhi_bench .venv/bin/python benchmarks/bench_reports.py

Run benchmarks/generate_state_dataset.py first (it loads outcomes and the summaries too). Prints the
median of --runs runs for: the headline figures for 2016-2025; the whole report (the span, each year,
each trade: what the report page computes) in calendar and financial years, and with each year's
follow-ups and trades (what report_outcomes prints); and the whole admin
report page as a state officer sees it (through Django's test client, as a superuser made inside a
transaction that is rolled back). Target: under 1 second."""

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

from django.db import connection  # noqa: E402

from placements.models import Placement, SelfEmployment  # noqa: E402
from placements.outcomes import Period, Scope, figures, report  # noqa: E402
from skills.models import Enrolment, Trainee  # noqa: E402

TARGET_SECONDS = 1.0


def timed(function, runs):
    function()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        # The page measures only its request, not the set-up of the user it logs in with.
        timings.append(getattr(function, "elapsed", time.perf_counter() - started))
    return statistics.median(timings), max(timings)


class RolledBack(Exception):
    pass


def report_page(first, last):
    """A function that GETs the admin outcome report page for all centres."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    url = f"/admin/reports/outcomes/?year_from={first}&year_to={last}"

    def get_page():
        try:
            with transaction.atomic():
                client = Client()
                client.force_login(get_user_model().objects.create_superuser("bench-reports", "", None))
                started = time.perf_counter()
                response = client.get(url)
                assert response.status_code == 200, response.status_code
                get_page.elapsed = time.perf_counter() - started
                raise RolledBack
        except RolledBack:
            pass

    return get_page


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--first", type=int, default=2016)
    parser.add_argument("--last", type=int, default=2025)
    parser.add_argument(
        "--check",
        action="store_true",
        help="also compute the figures straight from the tracker (tests/placements/reference_outcomes.py), "
        "time that, and say whether both give the same figures",
    )
    args = parser.parse_args()
    print(
        f"Data set on {connection.vendor} ({connection.settings_dict['NAME']}): {Trainee.objects.count():,} trainees, "
        f"{Enrolment.objects.count():,} enrolments, {Placement.objects.count():,} placements, "
        f"{SelfEmployment.objects.count():,} self-employment"
    )
    state, span = Scope(), Period.years(args.first, args.last)
    measures = {
        "headline figures": lambda: figures(state, span),
        "whole report": lambda: report(state, args.first, args.last),
        "whole report, FY": lambda: report(state, args.first, args.last, financial=True),
        "every year in detail": lambda: report(state, args.first, args.last, every_year_in_detail=True),
    }
    measures["admin report page"] = report_page(args.first, args.last)
    for label, function in measures.items():
        median, slowest = timed(function, args.runs)
        flag = "" if median < TARGET_SECONDS else "  <-- over target"
        print(f"  {label:<20} median {median * 1000:>7.0f} ms  slowest {slowest * 1000:>7.0f} ms{flag}")
    print(f"Target: the state-wide report by year and trade under {TARGET_SECONDS:.0f} s.")
    if args.check:
        check_against_reference(state, args.first, args.last)


def check_against_reference(scope, first, last):
    from tests.placements import reference_outcomes as reference

    for financial in (False, True):
        span = Period.years(first, last, financial)
        started = time.perf_counter()
        total = reference.figures(scope, span)
        years = reference.by_year(scope, first, last, financial)
        trades = reference.by_trade(scope, span)
        elapsed = time.perf_counter() - started
        computed = report(scope, first, last, financial, every_year_in_detail=True)
        same = (
            computed.total.as_dict() == total.as_dict()
            and [year.as_dict() for year in computed.years] == [year.as_dict() for year in years]
            and computed.trades == trades
        )
        kind = "financial" if financial else "calendar"
        print(
            f"  straight from the tracker ({kind} years): {elapsed * 1000:.0f} ms; "
            f"same figures as the summaries: {'yes' if same else 'NO'}"
        )


if __name__ == "__main__":
    main()
