"""The historical import keeps the reporting summaries exact by two paths (placements.summaries): the
women it creates have their TrainedWoman and TrainedWomanTrade rows inserted, with no lock, no
comparison and no WorkSpell statement (women_imported: nothing refers to them yet), while women
already in the tracker who get enrolments from the file are rewritten as every other change
rewrites them (records_imported). Either way the summaries must equal the count made straight from
the tracker (`refresh_outcome_summaries --check`) and a full refresh must find nothing to change."""

import datetime
import io
import random

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placements import services, summaries
from placements.models import TrainedWoman, TrainedWomanTrade, WorkSpell
from skills.importer import import_records
from skills.models import Centre, Course, Trainee
from tests.import_files import csv_bytes

from .builders import completed_course, job_of
from .test_summaries import assert_summaries_current

# Cohorts that end on either side of the calendar and financial year boundaries (April to March).
RUNS = [
    ("tailoring", datetime.date(2022, 12, 1), datetime.date(2023, 3, 31)),
    ("tailoring", datetime.date(2023, 1, 2), datetime.date(2023, 4, 1)),
    ("jute-handiwork", datetime.date(2023, 10, 2), datetime.date(2023, 12, 31)),
    ("jute-handiwork", datetime.date(2023, 11, 1), datetime.date(2024, 1, 1)),
    ("retail-marketing", datetime.date(2024, 2, 1), datetime.date(2024, 3, 31)),
]


def csv_file(lines):
    rows = []
    for centre, register, name, born, run, status in lines:
        trade, start, end = RUNS[run]
        course = Course.objects.filter(trade__slug=trade).order_by("pk").first().title
        completed = end if status == "completed" else ""
        rows.append([centre, register, name, born, trade, course, start, end, status, completed])
    return csv_bytes(rows)


def imported(lines):
    result = import_records(csv_file(lines))
    assert result.ok, [str(problem) for problem in result.problems]
    return result


def no_drift():
    """What the management command says, and what a full refresh would change: nothing."""
    out = io.StringIO()
    call_command("refresh_outcome_summaries", "--check", stdout=out)
    assert "The summaries match the tracker" in out.getvalue()
    assert_summaries_current()


def woman_in_the_tracker(name, completed_on, *, job_from=None):
    """A woman of Lucknow who completed a tailoring course (and perhaps has had a job since
    job_from), her summaries refreshed as the tracker's services refresh them."""
    woman = completed_course(
        Centre.objects.get(slug="lucknow"),
        Course.objects.filter(trade__slug="tailoring").order_by("pk").first(),
        completed_on,
        name,
        register_number=f"OLD/{name}",
    )
    summaries.enrolments_changed([woman.pk])
    if job_from:
        services.record_outcome(job_of(woman, job_from))
    return woman


def statements_on(queries, words):
    return [query["sql"] for query in queries if words in query["sql"]]


def test_new_women_are_inserted_without_a_lock_a_comparison_or_a_spell_of_work(db):
    lines = [
        ("lucknow", "NEW/1", "Asha Devi", "1990-01-01", 0, "completed"),
        ("lucknow", "NEW/1", "Asha Devi", "1990-01-01", 2, "completed"),  # a second trade
        ("lucknow", "NEW/2", "Rekha Kumari", "1991-02-02", 1, "dropped"),  # no completion: no row
        ("buxar", "NEW/3", "Gita Paswan", "1992-03-03", 4, "completed"),
    ]

    with CaptureQueriesContext(connection) as import_queries:
        imported(lines)

    assert statements_on(import_queries, WorkSpell._meta.db_table) == []
    assert statements_on(import_queries, "DELETE FROM placements_") == []
    assert [
        sql for sql in statements_on(import_queries, "FOR NO KEY UPDATE") if "skills_trainee" in sql
    ] == []
    asha = Trainee.objects.get(register_number="NEW/1")
    assert TrainedWomanTrade.objects.filter(trainee=asha).count() == 2
    assert not TrainedWoman.objects.filter(trainee__register_number="NEW/2").exists()
    no_drift()


def test_women_in_the_tracker_who_get_enrolments_from_the_file_are_rewritten_with_their_work(db):
    """Her spell of work copies her years of completion from TrainedWoman: a completion the file
    adds must reach it, which only the full rewrite does."""
    sunita = woman_in_the_tracker("Sunita", datetime.date(2022, 3, 31), job_from=datetime.date(2023, 6, 1))
    before = WorkSpell.objects.get(trainee=sunita).calendar_years

    imported(
        [
            ("lucknow", "OLD/Sunita", "Sunita", "1990-01-01", 3, "completed"),  # hers, in 2024
            ("lucknow", "NEW/9", "Meena Yadav", "1993-04-04", 3, "completed"),  # new, same cohort
        ]
    )

    after = WorkSpell.objects.get(trainee=sunita).calendar_years
    assert after != before
    assert after == TrainedWoman.objects.get(trainee=sunita).calendar_years
    assert TrainedWomanTrade.objects.filter(trainee=sunita).count() == 2
    no_drift()


def test_a_summary_row_already_there_for_a_new_woman_is_refused_not_passed_over(db):
    """women_imported() inserts without comparing: a woman it is wrongly given, with rows stored,
    must stop the import rather than leave two sets of rows."""
    sunita = woman_in_the_tracker("Sunita", datetime.date(2023, 3, 31))

    with pytest.raises(IntegrityError), transaction.atomic():
        summaries.women_imported([sunita.pk])


def test_an_import_of_no_new_women_announces_none(db):
    """The same file twice: the second run changes nothing and writes no summary row."""
    lines = [("patna-1", "NEW/4", "Kavita Singh", "1994-05-05", 0, "completed")]
    imported(lines)
    kept = list(TrainedWoman.objects.values_list("trainee_id", "calendar_years"))

    with CaptureQueriesContext(connection) as second:
        result = imported(lines)

    assert result.unchanged == 1 and result.created_trainees == 0
    assert statements_on(second, "INSERT INTO placements_") == []
    assert list(TrainedWoman.objects.values_list("trainee_id", "calendar_years")) == kept


names = st.sampled_from(["Asha", "Rekha", "Gita", "Sunita", "Kavita"])
import_lines = st.lists(
    st.tuples(
        st.sampled_from(["lucknow", "patna-1"]),
        names,
        st.integers(0, len(RUNS) - 1),
        st.sampled_from(["completed", "completed", "dropped", "not_passed"]),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=import_lines, second=import_lines, seed=st.integers(0, 1000))
def test_any_two_imports_over_women_with_work_leave_no_drift(db, first, second, seed):
    """Two files in turn, each mixing women new to the tracker with women the first file (or the
    tracker) already has, some of them in paying work: the summaries stay exact."""
    rng = random.Random(seed)
    with transaction.atomic():
        sunita = woman_in_the_tracker(f"Sunita {seed}", datetime.date(2022, 3, 31))
        services.record_outcome(job_of(sunita, datetime.date(2023, rng.randint(1, 12), 1)))
        for lines in (first, second):
            rows = [
                (centre, f"{centre}/{name}", f"{name} Devi", "1990-01-01", run, status)
                for centre, name, run, status in lines
            ]
            # The tracker's Sunita by her register number, now and then.
            if rng.random() < 0.5:
                rows.append(("lucknow", f"OLD/Sunita {seed}", f"Sunita {seed}", "1990-01-01", 4, "completed"))
            imported(list({(row[0], row[1], row[4]): row for row in rows}.values()))  # no line twice
            # A job for one of the file's women, new or not, trained or not, between the files.
            women = list(Trainee.objects.filter(full_name__endswith=" Devi").order_by("pk"))
            services.record_outcome(job_of(rng.choice(women), datetime.date(2024, rng.randint(1, 12), 1)))
        no_drift()
        transaction.set_rollback(True)
