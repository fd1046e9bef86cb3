"""The tracker's background jobs (django-tasks): a cohort's certificates, and large imports.

A coordinator's request writes a job row (skills.models.CertificateJob, ImportJob) and queues a
task that carries only the job's id, so the task table holds no personal data. She follows the job
on its progress page. Production runs the tasks in the worker (`manage.py db_worker`); `make run`
and the tests run them at once, inside the request.

Every task may run more than once, whole or after being killed midway, and duplicates nothing:
- certificates: each enrolment's outcome is written in the transaction that issues its
  certificate (numbers are taken under the centre's lock), and a run passes over the enrolments
  an earlier run settled; the PDF of the lot is written last, under a fixed name;
- imports: the import and the job's result are committed together, in one transaction, with the
  job's row locked: a second run waits for the first, then finds it finished.
A worker killed midway leaves its task "running" for ever (django-tasks-db runs a task once);
`manage.py resume_jobs` queues such stalled jobs again."""

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from . import certificates
from .importer import ImportResult, Problem, import_records
from .models import Certificate, CertificateJob, CertificateJobItem, ImportJob, JobStatus, private_storage

logger = logging.getLogger("sakhi.jobs")

UPLOAD_FOLDER = "import-uploads"
PROGRESS_EVERY = 500  # rows between two progress notes of an import
KEPT_FOR = datetime.timedelta(days=14)  # a finished job, for its page and its PDF


def import_task_rows():
    """Imports of more rows than this run in the worker; smaller ones within the request."""
    return settings.SAKHI_IMPORT_TASK_ROWS


def stalled_since(now=None):
    minutes = settings.SAKHI_JOB_STALLED_AFTER_MINUTES
    return (now or timezone.now()) - datetime.timedelta(minutes=minutes)


def claim(model, job_id):
    """Mark the job running for one more attempt; None if it is finished (or gone)."""
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        model.objects.filter(pk=job_id).update(
            status=JobStatus.RUNNING, attempts=F("attempts") + 1, updated_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def fail(job, error):
    # The kind of error only: a database error's message can quote a row (a name, a register
    # number), and logs are kept where trainees' records must not be.
    logger.error("%s %s failed: %s", job._meta.verbose_name, job.pk, type(error).__name__)
    type(job).objects.unfinished().filter(pk=job.pk).update(  # never over another run's result
        status=JobStatus.FAILED, error=type(error).__name__[:200], finished_at=timezone.now()
    )


def resume_stalled_jobs(now=None):
    """Queue again every job that stopped moving (its worker died, or its task was lost);
    returns how many. Running a job twice is safe, so a slow job queued again does no harm."""
    since = stalled_since(now)
    resumed = 0
    for model, runner in ((CertificateJob, issue_cohort_certificates), (ImportJob, run_import)):
        for job_id in model.objects.stalled(since).values_list("pk", flat=True):
            model.objects.filter(pk=job_id).update(updated_at=timezone.now())
            runner.enqueue(job_id)
            resumed += 1
    return resumed


def prune_finished_jobs(now=None):
    """Forget jobs finished more than KEPT_FOR ago, with their files: a cohort's PDF and an import's
    problems name women, and the certificates and records themselves stay. Returns how many."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    pruned = 0
    for model in (CertificateJob, ImportJob):
        for job in model.objects.filter(finished_at__lt=cutoff):
            if isinstance(job, CertificateJob) and job.file:
                job.file.delete(save=False)
            job.delete()
            pruned += 1
    return pruned


# A cohort's certificates


def start_certificate_job(cohort, user):
    """The job that issues this cohort's certificates, queued; a second click while one is
    unfinished gets that one."""
    with transaction.atomic():
        type(cohort).objects.select_for_update().get(pk=cohort.pk)  # two clicks, one job
        job = CertificateJob.objects.unfinished().filter(cohort=cohort).first()
        if job is not None:
            return job
        job = CertificateJob.objects.create(
            cohort=cohort,
            created_by=user,
            issued_on=timezone.localdate(),
            total=cohort.enrolments.count(),
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        issue_cohort_certificates.enqueue(job.pk)
    job.refresh_from_db()
    return job


@task(priority=5)  # a coordinator watches its progress page: ahead of Wagtail's indexing
def issue_cohort_certificates(job_id):
    job = claim(CertificateJob, job_id)
    if job is None:
        return
    try:
        with translation.override(job.language):
            issue_certificates_of_job(job)
    except Exception as error:
        fail(job, error)


def issue_certificates_of_job(job):
    def record(enrolment, certificate, reason):
        CertificateJobItem.objects.bulk_create(
            [CertificateJobItem(job=job, enrolment=enrolment, certificate=certificate, reason=reason[:200])],
            ignore_conflicts=True,  # another run of the job settled her first
        )
        CertificateJob.objects.filter(pk=job.pk).update(updated_at=timezone.now())

    settled = set(job.items.values_list("enrolment_id", flat=True))
    certificates.issue_for_cohort(
        job.cohort, user=job.created_by, on=job.issued_on, done=settled, record=record
    )
    with transaction.atomic():  # one PDF, by whichever run gets here first
        locked = CertificateJob.objects.select_for_update().get(pk=job.pk)
        if locked.finished:
            return
        write_job_pdf(locked)
        locked.status, locked.finished_at = JobStatus.DONE, timezone.now()
        locked.save(update_fields=["status", "finished_at", "updated_at"])


def write_job_pdf(job):
    """Every valid certificate of the cohort in one PDF for printing, under one name per job, so
    that a run after a killed one replaces the file rather than leaving a second."""
    from .certificate_pdf import render_combined

    issued = list(
        Certificate.objects.valid()
        .filter(enrolment__cohort=job.cohort_id)
        .select_related(
            "enrolment__trainee", "enrolment__cohort__course__trade", "enrolment__cohort__centre", "centre"
        )
        .order_by("number")
    )
    if not issued:
        return
    name = f"{CertificateJob.file.field.upload_to}job-{job.pk}.pdf"
    private_storage().delete(name)
    job.file.save(
        f"job-{job.pk}.pdf",
        ContentFile(render_combined(certificates.certificate_content(c) for c in issued)),
        save=False,
    )
    job.certificates_in_file = [certificate.pk for certificate in issued]
    job.save(update_fields=["file", "certificates_in_file", "updated_at"])


# Large imports


def start_import_job(upload, file_name, rows, user):
    job = ImportJob.objects.create(
        upload=upload,
        file_name=file_name[:255],
        rows=rows,
        created_by=user,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    run_import.enqueue(job.pk)
    job.refresh_from_db()
    return job


def import_progress_key(job_id):
    return f"sakhi:import-job:{job_id}"


def import_progress(job_id):
    """(stage, done, total) of a running import, noted in the shared cache (the import's own
    transaction shows nothing to others until it commits), or None."""
    return cache.get(import_progress_key(job_id))


@task(priority=5)  # likewise
def run_import(job_id):
    job = claim(ImportJob, job_id)
    if job is None:
        return
    try:
        with translation.override(job.language):
            import_in_job(job)
    except Exception as error:
        fail(job, error)
    finally:
        cache.delete(import_progress_key(job_id))


def import_in_job(job):
    if job.created_by is None:  # never import without the rights of the person who asked
        raise PermissionError("the import's user is gone")

    def progress(stage, done, total):
        if done % PROGRESS_EVERY == 0 or done == total:
            cache.set(import_progress_key(job.pk), (stage, done, total), 3600)

    storage = private_storage()
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.finished:  # another run finished it while this one waited
            return
        try:
            with storage.open(job.upload, "rb") as stored:
                data = stored.read()
        except FileNotFoundError:
            result = ImportResult()
            result.problems.append(
                Problem(None, "", _("The uploaded file is no longer there; upload it again."))
            )
        else:
            result = import_records(data, user=job.created_by, progress=progress)
        locked.status = JobStatus.DONE if result.ok else JobStatus.FAILED
        locked.finished_at = timezone.now()
        locked.rows = result.rows or locked.rows
        if result.ok:  # a refused import created nothing, whatever it counted before the refusal
            for count in (
                "created_trainees",
                "created_cohorts",
                "created_courses",
                "created_enrolments",
                "unchanged",
            ):
                setattr(locked, count, getattr(result, count))
        locked.problems = [
            [problem.line, problem.column, str(problem.message)] for problem in result.problems
        ]
        locked.save()
    storage.delete(job.upload)
