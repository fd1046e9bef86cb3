"""Issue J, item 3 (e-mail): every e-mail is a background task. With the durable database backend the
request returns having only queued it; the worker (`manage.py db_worker`) sends it; a change rolled
back sends nothing; and a failed send leaves no address in the task's stored error."""

import logging
import smtplib

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from core.mail import send_email
from tests.placements.test_portal import registration_data

DURABLE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def worker_in_this_process(monkeypatch):
    """Between tasks the worker closes connections it finds in a transaction, as a long-running
    process should; here that transaction is the test's own, which must stay open to roll back.
    And it sets its loggers' levels for the process: give later tests theirs back."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


@pytest.mark.django_db
@override_settings(TASKS=DURABLE)
def test_a_registration_queues_its_confirmation_and_the_worker_sends_it(client):
    response = client.post(reverse("employer_register"), registration_data())

    assert response.status_code == 302
    assert mail.outbox == []  # the request only queued it
    # Wagtail queues its own tasks too (search and reference indexes): look at the e-mail's.
    (queued,) = DBTaskResult.objects.filter(task_path="core.mail.deliver_email")

    run_worker()

    assert [message.to for message in mail.outbox] == [["jobs@chikan-crafts.example"]]
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    run_worker()
    assert len(mail.outbox) == 1  # a finished task is not run again


@pytest.mark.django_db
@override_settings(TASKS=DURABLE)
def test_an_e_mail_about_a_change_that_is_rolled_back_is_never_sent():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_email("Subject", "Body", "from@skills.example", ["someone@example.com"])
        raise RuntimeError("the change fails after the e-mail was queued")

    run_worker()

    assert mail.outbox == []
    assert not DBTaskResult.objects.filter(task_path="core.mail.deliver_email").exists()


@pytest.mark.django_db
@override_settings(TASKS=DURABLE)
def test_a_failed_send_is_recorded_without_the_address(monkeypatch):
    def refuse(*args, **kwargs):  # as smtplib does: the refusal quotes the address
        raise smtplib.SMTPRecipientsRefused({"private.person@example.com": (550, b"no such user")})

    monkeypatch.setattr("core.mail.send_mail", refuse)
    send_email("Subject", "Body", "from@skills.example", ["private.person@example.com"])

    run_worker()

    (failed,) = DBTaskResult.objects.filter(task_path="core.mail.deliver_email")
    assert failed.status == "FAILED"
    stored = f"{failed.exception_class_path} {failed.traceback}"
    assert "EmailNotSent" in stored
    assert "private.person@example.com" not in stored


@pytest.mark.django_db
def test_make_run_and_the_tests_send_at_once(client):
    client.post(reverse("employer_register"), registration_data())

    assert len(mail.outbox) == 1
    assert not DBTaskResult.objects.filter(task_path="core.mail.deliver_email").exists()
