"""Issue J, item 3 (certificates): a cohort's certificates are a background job. The coordinator's
click queues it and leads to its progress page; the worker issues them and makes one PDF for
printing, downloaded through a scoped, audited view. A job killed midway and run again issues
nobody twice and skips no number."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from skills import tasks
from skills.models import Certificate, CertificateJob, Course, JobStatus, TrackerLogEntry, private_storage
from tests.core.test_mail_tasks import DURABLE, run_worker, worker_in_this_process  # noqa: F401
from tests.factories import CentreFactory, TradeFactory
from tests.skills.builders import coordinator_of, state_officer
from tests.skills.test_certificates import completed_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(db):
    return CentreFactory(slug="jobpur", code="JOB", district="Jobpur", district_hi="जॉबपुर")


@pytest.fixture
def staff(centre):
    return {
        "coordinator": coordinator_of(centre, username="jobpur.coordinator"),
        "coordinator.elsewhere": coordinator_of(
            CentreFactory(slug="jobs-elsewhere", code="JBE"), username="jobs-elsewhere.coordinator"
        ),
        "officer": state_officer("jobs.officer"),
    }


@pytest.fixture
def cohort(centre):
    """Three women who completed; the third attended too little for a certificate."""
    return completed_cohort(centre, size=3, attended=(10, 10, 6))


def start(client, cohort):
    return client.post(reverse("skills_cohort:issue_certificates", args=[cohort.pk]))


def serials(cohort):
    return sorted(Certificate.objects.filter(enrolment__cohort=cohort).values_list("serial", flat=True))


def test_the_click_leads_to_the_job_page_which_with_immediate_tasks_is_already_done(client, staff, cohort):
    client.force_login(staff["coordinator"])

    response = start(client, cohort)

    job = CertificateJob.objects.get(cohort=cohort)
    assert (response.status_code, response.url) == (302, reverse("skills_certificate_job", args=[job.pk]))
    assert (job.status, job.attempts, job.total) == (JobStatus.DONE, 1, 3)
    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 certificates issued" in html
    assert [item.reason for item in page.context["skipped"]] == ["attendance below 80%"]
    assert 'data-finished="true"' in html and 'http-equiv="refresh"' not in html
    assert reverse("skills_certificate_job_download", args=[job.pk]) in html
    assert serials(cohort) == [1, 2]


def test_a_failed_job_logs_the_kind_of_error_and_no_name(client, staff, cohort, monkeypatch, caplog):
    def quoting_a_row(job):
        raise ValueError("Key (full_name)=(Sunita Devi) already exists.")

    monkeypatch.setattr(tasks, "issue_certificates_of_job", quoting_a_row)
    client.force_login(staff["coordinator"])

    with caplog.at_level("DEBUG"):
        start(client, cohort)

    job = CertificateJob.objects.get(cohort=cohort)
    assert (job.status, job.error) == (JobStatus.FAILED, "ValueError")
    assert "ValueError" in caplog.text
    assert "Sunita" not in caplog.text


def test_the_pdf_is_downloaded_through_a_scoped_view_that_audits_every_certificate_in_it(
    client, staff, cohort
):
    client.force_login(staff["coordinator"])
    start(client, cohort)
    job = CertificateJob.objects.get(cohort=cohort)
    url = reverse("skills_certificate_job_download", args=[job.pk])

    for refused in ("coordinator.elsewhere",):
        client.force_login(staff[refused])
        assert client.get(reverse("skills_certificate_job", args=[job.pk])).status_code == 404
        assert client.get(url).status_code == 404
    assert not TrackerLogEntry.objects.filter(action="sakhi.certificate_download").exists()

    client.force_login(staff["officer"])  # reads every centre
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    audited = TrackerLogEntry.objects.filter(action="sakhi.certificate_download", user=staff["officer"])
    assert sorted(int(entry.object_id) for entry in audited) == sorted(
        Certificate.objects.filter(enrolment__cohort=cohort).values_list("pk", flat=True)
    )


def test_another_centres_coordinator_cannot_start_a_job_and_a_state_officer_only_reads(client, staff, cohort):
    client.force_login(staff["coordinator.elsewhere"])
    assert start(client, cohort).status_code == 404
    client.force_login(staff["officer"])
    assert start(client, cohort).status_code in (403, 404)
    assert not CertificateJob.objects.exists()
    assert not Certificate.objects.filter(enrolment__cohort=cohort).exists()


def test_a_certificate_revoked_since_is_not_handed_out_again_in_the_pdf(client, staff, cohort):
    client.force_login(staff["coordinator"])
    start(client, cohort)
    job = CertificateJob.objects.get(cohort=cohort)
    Certificate.objects.filter(enrolment__cohort=cohort).update(revoked_at=timezone.now())

    response = client.get(reverse("skills_certificate_job_download", args=[job.pk]))

    assert (response.status_code, response.url) == (302, reverse("skills_certificate_job", args=[job.pk]))
    assert not TrackerLogEntry.objects.filter(action="sakhi.certificate_download").exists()


def test_a_job_finished_over_two_weeks_ago_is_forgotten_with_its_pdf_and_the_certificates_stay(
    client, staff, cohort
):
    client.force_login(staff["coordinator"])
    start(client, cohort)
    job = CertificateJob.objects.get(cohort=cohort)
    pdf = job.file.name
    call_command("resume_jobs")
    assert CertificateJob.objects.filter(pk=job.pk).exists()  # a fresh one stays
    CertificateJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(days=15))

    call_command("resume_jobs")

    assert not CertificateJob.objects.filter(pk=job.pk).exists()
    assert not private_storage().exists(pdf)
    assert serials(cohort) == [1, 2]


@override_settings(TASKS=DURABLE)
def test_with_the_worker_the_click_only_queues_and_the_page_follows_until_done(client, staff, cohort):
    client.force_login(staff["coordinator"])

    response = start(client, cohort)

    job = CertificateJob.objects.get(cohort=cohort)
    assert job.status == JobStatus.QUEUED
    assert not Certificate.objects.filter(enrolment__cohort=cohort).exists()
    waiting = client.get(response.url).content.decode()
    assert "Waiting to start" in waiting
    assert 'data-finished="false"' in waiting and 'role="status"' in waiting
    assert f'<progress id="job-progress-{job.pk}" value="0" max="3">' in waiting
    assert '<meta http-equiv="refresh" content="5">' in waiting  # inside noscript: no JavaScript needed
    assert start(client, cohort).url == response.url  # a second click: the same job

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 1)
    assert "2 certificates issued" in client.get(response.url).content.decode()
    assert serials(cohort) == [1, 2]
    assert job.file and private_storage().exists(job.file.name)


class Killed(BaseException):
    """What a SIGKILL does to the task: it stops at that line, and its transaction never commits."""


@override_settings(TASKS=DURABLE)
def test_a_job_killed_midway_is_resumed_and_issues_nobody_twice_and_skips_no_number(
    client, staff, centre, monkeypatch
):
    cohort = completed_cohort(centre, size=4, attended=(10, 10, 10, 10))
    client.force_login(staff["coordinator"])
    job_url = start(client, cohort).url
    job = CertificateJob.objects.get(cohort=cohort)

    from skills import certificate_pdf

    render = certificate_pdf.render_certificate
    drawn = []

    def killed_at_the_third(content):
        drawn.append(content.number)
        if len(drawn) == 3:
            raise Killed
        return render(content)

    monkeypatch.setattr(certificate_pdf, "render_certificate", killed_at_the_third)
    run_worker()  # the worker's task dies while issuing the third
    monkeypatch.setattr(certificate_pdf, "render_certificate", render)

    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    assert serials(cohort) == [1, 2]  # the third's number was rolled back with it
    page = client.get(job_url).content.decode()
    assert f'<progress id="job-progress-{job.pk}" value="2" max="4">' in page

    call_command("resume_jobs")  # too soon: a job still moving is left alone
    run_worker()
    assert CertificateJob.objects.get(pk=job.pk).attempts == 1
    CertificateJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=1))
    assert "has not moved for a while" in client.get(job_url).content.decode()

    call_command("resume_jobs")
    run_worker()

    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert serials(cohort) == [1, 2, 3, 4]
    assert all(enrolment.certificates.count() == 1 for enrolment in cohort.enrolments.all())
    assert job.items.filter(certificate__isnull=False).count() == 4
    page = client.get(job_url)
    assert "4 certificates issued" in page.content.decode()
    assert page.context["skipped"] == []
    assert len(job.certificates_in_file) == 4

    tasks.issue_cohort_certificates.enqueue(job.pk)  # run once more: a finished job does nothing
    run_worker()
    assert serials(cohort) == [1, 2, 3, 4]
    assert CertificateJob.objects.get(pk=job.pk).attempts == 2


def test_two_runs_of_one_job_share_the_work_and_count_it_once(staff, centre):
    """A resumed job whose first run was only slow: both runs go on; each woman is settled once."""
    cohort = completed_cohort(centre, size=3, attended=(10, 10, 10))
    job = CertificateJob.objects.create(
        cohort=cohort, created_by=staff["coordinator"], issued_on=timezone.localdate(), total=3
    )
    first = cohort.enrolments.order_by("trainee__full_name", "pk").first()
    from skills import certificates

    certificates.issue_certificate(first, user=staff["coordinator"])  # by the other run, say

    tasks.issue_cohort_certificates.call(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert serials(cohort) == [1, 2, 3]
    assert job.items.count() == 3
    assert job.items.get(enrolment=first).reason == "already issued"


# A real worker killed with SIGKILL midway, then resumed: tests/production/test_topology.py
# (test_a_worker_killed_midway_through_certificates_...), on the production topology.


def run_at_once(function, *arguments, times=2):
    """Call function(*arguments) from `times` threads at the same moment, each on its own connection."""
    barrier = threading.Barrier(times)
    failures = []

    def run():
        try:
            barrier.wait()
            function(*arguments)
        except BaseException as error:  # reported to the test, not lost in a thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are a PostgreSQL feature (SQLite serialises writers); CI runs this on PostgreSQL 15",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_one_job_at_the_same_moment_issue_each_certificate_once():
    centre = CentreFactory(slug="twinpur", code="TWN")
    course = Course.objects.create(trade=TradeFactory(), title="Twin weaving")
    cohort = completed_cohort(centre, size=6, attended=(10,) * 6, course=course)
    job = CertificateJob.objects.create(cohort=cohort, issued_on=timezone.localdate(), total=6)

    run_at_once(tasks.issue_cohort_certificates.call, job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert serials(cohort) == [1, 2, 3, 4, 5, 6]
    assert job.items.count() == 6
    assert job.items.filter(certificate__isnull=False).count() == 6
    assert private_storage().exists(job.file.name) and len(job.certificates_in_file) == 6
