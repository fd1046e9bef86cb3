"""Issue J, item 3 (imports): a file of more rows than SAKHI_IMPORT_TASK_ROWS is imported by the task
worker. Upload, preview, confirm; then a progress page, then the same result: every row, or
nothing and every problem. The file waits in private storage, which app servers and workers share;
a worker killed midway leaves nothing half imported, and the job run again imports it once."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from skills import tasks
from skills.import_views import SESSION_KEY
from skills.models import Course, Enrolment, ImportJob, JobStatus, Trainee, private_storage
from tests.core.test_mail_tasks import DURABLE, run_worker, worker_in_this_process  # noqa: F401
from tests.factories import CentreFactory, CourseFactory, TradeFactory
from tests.import_files import completers_of_2018, csv_bytes
from tests.skills.builders import coordinator_of
from tests.skills.test_bulk_certificates_task import run_at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(db):
    return CentreFactory(slug="importpur", code="IMP", district="Importpur")


@pytest.fixture
def coordinator(centre):
    return coordinator_of(centre, username="importpur.coordinator")


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.SAKHI_IMPORT_TASK_ROWS = 3


def records(centre, count):
    course = Course.objects.filter(trade__slug="tailoring").first()
    rows = completers_of_2018(centre.slug, "IMP", course.title, count)
    upload = io.BytesIO(csv_bytes(rows))
    upload.name = "importpur-2018.csv"
    return upload


def imported(centre):
    return Trainee.objects.filter(centre=centre).count(), Enrolment.objects.filter(
        trainee__centre=centre
    ).count()


def uploads():
    try:
        return private_storage().listdir("import-uploads")[1]
    except FileNotFoundError:
        return []


def preview_and_confirm(client, upload):
    preview = client.post(reverse("skills_import"), {"file": upload})
    assert "Confirm and import" in preview.content.decode()
    token = client.session[SESSION_KEY]["token"]
    assert private_storage().exists(f"import-uploads/{token}.csv")  # in the shared storage
    return client.post(reverse("skills_import_confirm"))


def test_a_small_file_is_still_imported_within_the_request(client, coordinator, centre):
    client.force_login(coordinator)

    done = preview_and_confirm(client, records(centre, 3))

    assert (done.status_code, done.url) == (302, reverse("skills_trainee:index"))
    assert imported(centre) == (3, 3)
    assert not ImportJob.objects.exists()
    assert uploads() == []


def test_a_large_file_leads_to_its_job_page_which_with_immediate_tasks_shows_the_result(
    client, coordinator, centre
):
    client.force_login(coordinator)

    done = preview_and_confirm(client, records(centre, 4))

    job = ImportJob.objects.get()
    assert (done.status_code, done.url) == (302, reverse("skills_import_job", args=[job.pk]))
    assert (job.status, job.rows, job.created_trainees, job.created_enrolments) == (JobStatus.DONE, 4, 4, 4)
    assert imported(centre) == (4, 4)
    assert uploads() == [] and SESSION_KEY not in client.session
    html = client.get(done.url).content.decode()
    assert "Imported importpur-2018.csv. Rows: 4. Created: trainees 4" in html
    assert 'data-finished="true"' in html


@override_settings(TASKS=DURABLE)
def test_with_the_worker_the_page_waits_then_shows_the_result_to_her_alone(client, coordinator, centre):
    client.force_login(coordinator)
    job_url = preview_and_confirm(client, records(centre, 5)).url

    waiting = client.get(job_url).content.decode()
    assert "Waiting to start" in waiting and 'data-finished="false"' in waiting
    assert "The file has 5 rows." in waiting
    assert imported(centre) == (0, 0)
    client.force_login(coordinator_of(centre, username="importpur.colleague"))
    assert client.get(job_url).status_code == 404  # her file, her lines: not her colleague's

    run_worker()

    client.force_login(coordinator)
    assert "Imported importpur-2018.csv. Rows: 5." in client.get(job_url).content.decode()
    assert imported(centre) == (5, 5)
    assert uploads() == []


@override_settings(TASKS=DURABLE)
def test_a_file_that_became_wrong_before_the_worker_ran_imports_nothing_and_lists_its_problems(
    client, coordinator, centre
):
    client.force_login(coordinator)
    job_url = preview_and_confirm(client, records(centre, 4)).url
    centre.coordinators.remove(coordinator)  # her rights changed meanwhile

    run_worker()

    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert imported(centre) == (0, 0)
    client.force_login(coordinator)
    html = client.get(job_url).content.decode()
    assert "so nothing was imported" in html
    assert "you cannot import records for &quot;importpur&quot;" in html
    assert "Check the file" in html  # the upload form, to try a corrected file


class Killed(BaseException):
    """What a SIGKILL does to the task: it stops at that line, and its transaction never commits."""


@override_settings(TASKS=DURABLE)
def test_a_worker_killed_midway_leaves_nothing_and_the_job_resumed_imports_it_once(
    client, coordinator, centre, monkeypatch
):
    client.force_login(coordinator)
    job_url = preview_and_confirm(client, records(centre, 6)).url

    def killed(*args):
        raise Killed  # after every row was inserted, before the transaction commits

    from skills.importer import writing

    recount_seats = writing.recount_seats
    monkeypatch.setattr(writing, "recount_seats", killed)
    run_worker()
    monkeypatch.setattr(writing, "recount_seats", recount_seats)

    job = ImportJob.objects.get()
    assert job.status == JobStatus.RUNNING
    assert imported(centre) == (0, 0)  # no half import
    assert len(uploads()) == 1  # kept for the next run
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    assert "has not moved for a while" in client.get(job_url).content.decode()

    call_command("resume_jobs")
    run_worker()

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert (job.created_trainees, job.created_enrolments, job.unchanged) == (6, 6, 0)
    assert imported(centre) == (6, 6)
    assert uploads() == []


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are a PostgreSQL feature (SQLite serialises writers); CI runs this on PostgreSQL 15",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_one_import_at_the_same_moment_import_it_once(django_user_model):
    centre = CentreFactory(slug="twinport", code="TWI")
    admin = django_user_model.objects.create_superuser("twin-import-admin", "twin@example.com", "x" * 12)
    CourseFactory(trade=TradeFactory(slug="tailoring"), title="Twin tailoring")
    upload = private_storage().save("import-uploads/twin.csv", ContentFile(records(centre, 5).getvalue()))
    job = ImportJob.objects.create(upload=upload, file_name="twin.csv", rows=5, created_by=admin)

    run_at_once(tasks.run_import.call, job.pk)

    job.refresh_from_db()
    assert (job.status, job.created_trainees, job.created_enrolments, job.unchanged) == (
        JobStatus.DONE,
        5,
        5,
        0,
    )
    assert imported(centre) == (5, 5)
    assert uploads() == []


def test_a_refusal_by_the_database_is_kept_as_its_kind_and_line_never_its_text(
    client, coordinator, centre, monkeypatch
):
    """A woman another coordinator adds between the import's checks and its writing: the database
    refuses the import, and the job keeps the refusal's kind and, where the database says it (COPY
    on PostgreSQL), the line; never the database's own text, which on PostgreSQL quotes her centre
    and register number. The job's counts say that nothing was created."""
    from skills.importer import writing
    from tests.factories import TraineeFactory

    checked = writing.check_file

    def then_someone_else_writes(*args, lock=False, **kwargs):
        plan = checked(*args, lock=lock, **kwargs)
        if lock:  # the import itself, after its checks found the register number free
            TraineeFactory(centre=centre, full_name="Someone Else", register_number="IMP/2018/002")
        return plan

    monkeypatch.setattr(writing, "check_file", then_someone_else_writes)
    client.force_login(coordinator)
    preview_and_confirm(client, records(centre, 4))

    job = ImportJob.objects.get()
    line = 4 if connection.vendor == "postgresql" else None  # the header is line 1; IMP/2018/002 is line 4
    message = (
        "The database refused the import (a duplicate of a record in the tracker), so nothing was "
        "changed. Records may have changed meanwhile; check the file again."
    )
    assert (job.status, job.problems) == (JobStatus.FAILED, [[line, "", message]])
    assert "IMP/2018/002" not in str(job.problems)
    created = (job.created_trainees, job.created_cohorts, job.created_courses, job.created_enrolments)
    assert created == (0, 0, 0, 0)
    assert imported(centre) == (0, 0)
