"""Writing a clean file: all of it in one transaction with bulk inserts (inserting), or nothing."""

from django.db import DataError, IntegrityError, transaction
from django.db.models import Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core import changes

from ..models import Cohort, Course, Enrolment, Trainee
from . import refusals
from .checks import check_file
from .existing import seats_held
from .inserting import BATCH_SIZE, insert_rows
from .reading import read_rows
from .results import ImportResult, Problem

MIN_CAPACITY = 30


def import_records(source, user=None, dry_run=False, progress=None, today=None):
    """Import a CSV of training records: bytes, text or a file. Nothing is written if there is any problem.

    With a user (the admin upload), every row's centre must be one she may change.
    progress, if given, is called as progress(stage, done, total) while checking and writing."""
    result = ImportResult(dry_run=dry_run)
    positions, rows = read_rows(source, result)
    if positions is None:
        return result
    result.rows = len(rows)
    if not rows:
        result.problems.append(Problem(2, "", _("the file has a header but no rows")))
        return result
    if dry_run:
        check_file(positions, rows, result, user=user, today=today, progress=progress)
        return result
    try:
        with transaction.atomic():
            plan = check_file(positions, rows, result, user=user, today=today, progress=progress, lock=True)
            if result.ok:
                write(plan, user, progress)
    except (IntegrityError, DataError) as error:  # clean_cell should leave the database nothing to refuse
        result.problems.append(refusals.problem(error))
    return result


def write(plan, user=None, progress=None):
    """The plan's new courses, cohorts, trainees and enrolments, the seats of every cohort it touched
    counted again, and one audit log entry per centre."""
    people = list({enrolment.person: None for enrolment in plan.enrolments if enrolment.person.pk is None})
    runs = list({enrolment.run: None for enrolment in plan.enrolments})
    new_runs = [run for run in runs if run.pk is None]
    total = len(people) + len(plan.enrolments)
    done = 0

    def written(count):
        nonlocal done
        done += count
        if progress:
            progress("writing", done, total)

    Course.objects.bulk_create(plan.new_courses)
    for run in new_runs:
        run.new.capacity = max(MIN_CAPACITY, run.taken)
    Cohort.objects.bulk_create([run.new for run in new_runs], batch_size=BATCH_SIZE)
    for run in new_runs:
        run.pk = run.new.pk
    with refusals.lines_of_rows([person.line for person in people]):
        trainee_ids = insert_rows(Trainee, [person.new for person in people], written)
    for person, pk in zip(people, trainee_ids, strict=True):
        person.pk = pk
    enrolments = [
        {
            "trainee_id": enrolment.person.pk,
            "cohort_id": enrolment.run.pk,
            "status": enrolment.status,
            "enrolled_on": enrolment.enrolled_on,
            "completed_on": enrolment.completed_on,
            "dropout_reason": enrolment.dropout_reason,
        }
        for enrolment in plan.enrolments
    ]
    with refusals.lines_of_rows([enrolment.line for enrolment in plan.enrolments]):
        insert_rows(Enrolment, enrolments, written)
    recount_seats([run.pk for run in runs])
    # Written in bulk, without a save() per row: say so to what counts them (core.changes). The women
    # created here apart: nothing but these enrolments refers to them yet.
    created = set(people)
    changes.changed(changes.TRAINEES_IMPORTED, [person.pk for person in people])
    changes.changed(
        changes.RECORDS_IMPORTED,
        [enrolment.person.pk for enrolment in plan.enrolments if enrolment.person not in created],
    )

    for person in people:
        plan.per_centre[person.new["centre_id"]]["created_trainees"] += 1
    for run in new_runs:
        plan.per_centre[run.new.centre_id]["created_cohorts"] += 1
    for enrolment in plan.enrolments:
        plan.per_centre[enrolment.centre_id]["created_enrolments"] += 1
    centres = {centre.pk: centre for centre in plan.existing.centres.values()}
    for centre_id, counts in plan.per_centre.items():
        log(instance=centres[centre_id], action="sakhi.import", user=user, data=dict(counts))


def recount_seats(cohort_ids):
    """Seats taken, counted again from the enrolments, for every cohort the import touched."""
    for start in range(0, len(cohort_ids), BATCH_SIZE):
        Cohort.objects.filter(pk__in=cohort_ids[start : start + BATCH_SIZE]).update(
            seats_taken=Coalesce(Subquery(seats_held()), 0)
        )
