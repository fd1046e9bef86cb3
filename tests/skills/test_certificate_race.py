"""Issuing the same certificate twice at the same moment (two quick clicks, two coordinators):
one certificate, a clean message for the others, and no PDF left behind by the refused attempts."""

import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

from skills.models import Certificate, Course, private_storage
from tests.factories import CentreFactory, TradeFactory
from tests.skills.test_certificates import completed_cohort

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are a PostgreSQL feature (SQLite serialises writers); CI runs this on PostgreSQL 15",
    ),
    pytest.mark.django_db(transaction=True),
]

RACERS = 8


def stored_certificates():
    storage = private_storage()
    if not storage.exists("certificates"):
        return set()
    return set(storage.listdir("certificates")[1])


def post_at_once(user, url):
    """POST the same URL from RACERS clients at the same moment: (status, messages) of each."""
    barrier = threading.Barrier(RACERS)
    answers = []

    def post():
        from django.db import connection as thread_connection

        client = Client(raise_request_exception=False)
        client.force_login(user)
        try:
            barrier.wait()
            response = client.post(url)
            answers.append((response.status_code, [str(m) for m in get_messages(response.wsgi_request)]))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=post) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.fixture
def cohort(django_user_model):
    centre = CentreFactory(slug="racepur", code="RCE")
    course = Course.objects.create(trade=TradeFactory(), title="Weaving")
    return completed_cohort(centre, size=2, attended=(10, 10), course=course)


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("race-admin", "race@example.com", "x" * 12)


def test_one_enrolment_issued_by_many_at_once_gets_one_certificate_and_one_file(cohort, admin):
    enrolment = cohort.enrolments.order_by("pk").first()
    before = stored_certificates()

    answers = post_at_once(admin, reverse("skills_enrolment:issue_certificate", args=[enrolment.pk]))

    assert sorted(status for status, _messages in answers) == [302] * RACERS
    (certificate,) = Certificate.objects.filter(enrolment=enrolment)
    messages = [message for _status, said in answers for message in said]
    assert messages.count(f"Certificate {certificate.number} issued.") == 1
    refused = [message for message in messages if "already issued" in message]
    assert len(refused) == RACERS - 1
    assert stored_certificates() - before == {certificate.pdf.name.removeprefix("certificates/")}
    assert certificate.pdf.name == f"certificates/{certificate.number}.pdf"  # no name of hers


def test_a_cohort_issued_by_two_coordinators_at_once_gets_each_certificate_once(cohort, admin):
    before = stored_certificates()

    answers = post_at_once(admin, reverse("skills_cohort:issue_certificates", args=[cohort.pk]))

    # Each click is answered with its job's page; a click after the first job finished gets a job
    # of its own, which finds every certificate already issued.
    assert [status for status, _messages in answers] == [302] * RACERS
    issued = Certificate.objects.filter(enrolment__cohort=cohort)
    assert issued.count() == 2
    assert sorted(stored_certificates() - before) == sorted(
        c.pdf.name.removeprefix("certificates/") for c in issued
    )
