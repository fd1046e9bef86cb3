"""Certificates: numbering, eligibility, bulk issue with reasons, revoke and reissue, frozen
downloads, who may issue and download, and the public verification page."""

import datetime
import re
import threading

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from skills import certificates, services
from skills.models import (
    VERIFICATION_ALPHABET,
    Certificate,
    Cohort,
    CohortSession,
    Course,
    TrackerLogEntry,
    Trainee,
)
from tests.factories import CentreFactory, TradeFactory
from tests.skills.builders import coordinator_of, state_officer


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


def completed_cohort(centre, size=3, attended=(10,) * 3, course=None):
    """A cohort whose trainees attended the given number of its 10 sessions, all completed."""
    course = course or Course.objects.get(trade__slug="tailoring")
    cohort = Cohort.objects.create(
        course=course,
        centre=centre,
        start_date=datetime.date(2026, 1, 5),
        end_date=datetime.date(2026, 3, 31),
        capacity=max(size, 1),
        status=Cohort.Status.RUNNING,
    )
    trainees = [
        Trainee.objects.create(
            centre=centre,
            full_name=f"Sunita Devi {n}" if n else "Priya Kshatriya",
            name_hi="प्रिया क्षत्रिय" if n == 0 else "",
            date_of_birth=datetime.date(1993, 2, 1) + datetime.timedelta(days=n),
        )
        for n in range(size)
    ]
    enrolments = services.enrol(trainees, cohort, on=datetime.date(2026, 1, 2))
    sessions = [
        CohortSession.objects.create(cohort=cohort, date=datetime.date(2026, 1, 5 + d)) for d in range(10)
    ]
    for day, session in enumerate(sessions):
        services.record_attendance(
            session, [e.pk for e, days in zip(enrolments, attended, strict=True) if day < days]
        )
    for enrolment in enrolments:
        services.complete(enrolment, passed=True, result="A", on=datetime.date(2026, 3, 31))
    return cohort


@pytest.fixture
def centre(db):
    return CentreFactory(slug="testpur", code="TST", district="Testpur", district_hi="टेस्टपुर")


def test_numbers_run_per_centre_and_year_without_gaps(centre):
    cohort = completed_cohort(centre, size=3)
    issued, skipped = certificates.issue_for_cohort(cohort, on=datetime.date(2026, 4, 10))
    assert skipped == []
    assert [c.number for c in issued] == ["TST-2026-000001", "TST-2026-000002", "TST-2026-000003"]
    next_year = certificates.reissue(issued[0], on=datetime.date(2027, 1, 5))
    assert next_year.number == "TST-2027-000001"


def test_verification_code_is_unguessable_and_unambiguous(centre):
    (certificate,), _ = certificates.issue_for_cohort(completed_cohort(centre, size=1, attended=(10,)))
    code = certificate.verification_code
    assert len(code) >= 17 and set(code) <= set(VERIFICATION_ALPHABET)
    assert not set(code) & set("01ILO")
    assert len(VERIFICATION_ALPHABET) ** len(code) >= 2**80


def test_every_enrolment_not_issued_is_listed_with_its_reason(centre):
    cohort = completed_cohort(centre, size=3, attended=(10, 7, 10))
    dropout = Trainee.objects.create(
        centre=centre, full_name="Rekha Yadav", date_of_birth=datetime.date(1990, 1, 1)
    )
    Cohort.objects.filter(pk=cohort.pk).update(capacity=5)
    (dropped,) = services.enrol([dropout], cohort, on=datetime.date(2026, 1, 3))
    services.drop_out(dropped, "Moved away", on=datetime.date(2026, 2, 1))
    issued, skipped = certificates.issue_for_cohort(cohort)
    assert len(issued) == 2
    reasons = {item.enrolment.trainee.full_name: item.reason for item in skipped}
    assert reasons == {"Sunita Devi 1": "attendance below 80%", "Rekha Yadav": "not completed"}
    _, again = certificates.issue_for_cohort(cohort)
    assert sorted(item.reason for item in again).count("already issued") == 2


def test_issuing_twice_is_refused(centre):
    enrolment = completed_cohort(centre, size=1, attended=(10,)).enrolments.get()
    certificates.issue_certificate(enrolment)
    with pytest.raises(certificates.NotIssued, match="already issued"):
        certificates.issue_certificate(enrolment)


def test_revoke_and_reissue(centre):
    enrolment = completed_cohort(centre, size=1, attended=(10,)).enrolments.get()
    first = certificates.issue_certificate(enrolment)
    second = certificates.reissue(first)
    first.refresh_from_db()
    assert not first.is_valid and first.revoked_reason == "reissued"
    assert second.is_valid and second.number != first.number and second.enrolment == enrolment
    with pytest.raises(Exception, match="Say why"):
        certificates.revoke(second, " ")
    certificates.revoke(second, "Issued in error")
    assert not Certificate.objects.valid().filter(enrolment=enrolment).exists()


def test_stored_pdf_is_frozen(client, centre, admin_user):
    certificate = certificates.issue_certificate(
        completed_cohort(centre, size=1, attended=(10,)).enrolments.get()
    )
    client.force_login(admin_user)
    url = reverse("skills_certificate:download", args=[certificate.pk])
    first = b"".join(client.get(url).streaming_content)
    second = b"".join(client.get(url).streaming_content)
    assert first.startswith(b"%PDF") and first == second


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are a PostgreSQL feature (SQLite serialises writers); CI runs this on PostgreSQL 15",
)
@pytest.mark.django_db(transaction=True)
def test_numbers_stay_unique_and_gap_free_when_issued_at_the_same_moment():
    # Transactional tests start from an empty database: bring their own course.
    centre = CentreFactory(slug="racepur", code="RCE")
    course = Course.objects.create(trade=TradeFactory(), title="Weaving")
    cohorts = [completed_cohort(centre, size=3, course=course) for _ in range(4)]
    barrier = threading.Barrier(len(cohorts))
    failures = []

    def issue(cohort):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            certificates.issue_for_cohort(cohort, on=datetime.date(2026, 5, 1))
        except Exception as error:  # noqa: BLE001 - any failure is the finding
            failures.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=issue, args=(cohort,)) for cohort in cohorts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    serials = sorted(Certificate.objects.filter(centre=centre).values_list("serial", flat=True))
    assert serials == list(range(1, 13))


# Who may issue and download


@pytest.fixture
def staff(centre, django_user_model):
    """The centre's coordinator, the coordinator of another centre, and a state officer."""
    return {
        "coordinator": coordinator_of(centre, username="testpur.coordinator"),
        "coordinator.elsewhere": coordinator_of(
            CentreFactory(slug="elsewhere", code="ELS"), username="elsewhere.coordinator"
        ),
        "officer": state_officer("certificates.officer"),
    }


@pytest.fixture
def testpur_certificate(centre):
    """A certificate issued at the centre, its enrolment, and a completed enrolment of the same
    cohort that has none yet."""
    enrolment, other = completed_cohort(centre, size=2, attended=(10, 10)).enrolments.order_by("pk")
    return enrolment, certificates.issue_certificate(enrolment), other


def test_coordinator_of_another_centre_can_neither_issue_nor_download(client, staff, testpur_certificate):
    enrolment, certificate, other = testpur_certificate
    client.force_login(staff["coordinator.elsewhere"])
    assert client.get(reverse("skills_certificate:download", args=[certificate.pk])).status_code == 404
    assert client.post(reverse("skills_enrolment:issue_certificate", args=[other.pk])).status_code == 404
    assert client.post(reverse("skills_cohort:issue_certificates", args=[other.cohort_id])).status_code == 404
    assert client.post(reverse("skills_certificate:reissue", args=[certificate.pk])).status_code == 404
    assert not other.certificates.exists()

    client.force_login(staff["officer"])
    assert client.get(reverse("skills_certificate:download", args=[certificate.pk])).status_code == 200
    assert client.post(reverse("skills_certificate:reissue", args=[certificate.pk])).status_code in (403, 404)
    certificate.refresh_from_db()
    assert certificate.is_valid

    client.force_login(staff["coordinator"])
    response = client.get(reverse("skills_certificate:download", args=[certificate.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.post(reverse("skills_enrolment:issue_certificate", args=[other.pk])).status_code == 302
    assert other.certificates.valid().exists()


def test_coordinator_issues_a_cohort_in_one_click_and_downloads_pdf_and_zip(client, staff, centre):
    cohort = completed_cohort(centre, size=3, attended=(10, 10, 6))
    client.force_login(staff["coordinator"])
    response = client.post(reverse("skills_cohort:issue_certificates", args=[cohort.pk]))
    assert response.status_code == 302
    page = client.get(response.url)
    issued, skipped = page.context["issued"], page.context["skipped"]
    assert len(issued) == 2, [(i.enrolment.trainee.full_name, i.reason) for i in skipped]
    assert [item.reason for item in skipped] == ["attendance below 80%"]
    pdf = client.get(reverse("skills_cohort:certificates_download", args=[cohort.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    archive = client.get(reverse("skills_cohort:certificates_download", args=[cohort.pk, "zip"]))
    assert archive["Content-Type"] == "application/zip" and archive.content.startswith(b"PK")


def test_a_cohorts_certificates_are_one_private_download_with_one_audit_entry_each(client, centre):
    cohort = completed_cohort(centre, size=2, attended=(10, 10))
    issued, _ = certificates.issue_for_cohort(cohort)
    coordinator = coordinator_of(centre, username="coordinator.testpur")
    client.force_login(coordinator)

    for fmt, content_type, starts in (("pdf", "application/pdf", b"%PDF"), ("zip", "application/zip", b"PK")):
        response = client.get(reverse("skills_cohort:certificates_download", args=[cohort.pk, fmt]))
        assert response.status_code == 200
        assert (response["Content-Type"], response.content[: len(starts)]) == (content_type, starts)
        assert response["Content-Disposition"] == f'attachment; filename="certificates-TST-{cohort.pk}.{fmt}"'
        assert response["Cache-Control"].startswith(
            "private, no-store"
        )  # the view's own, not only the admin's
    entries = TrackerLogEntry.objects.filter(action="sakhi.certificate_download")
    assert sorted((int(e.object_id), e.user_id, e.data) for e in entries) == sorted(
        (c.pk, coordinator.pk, {}) for c in issued * 2
    )


def test_a_cohorts_zip_that_cannot_be_read_is_not_in_the_audit_trail(client, centre):
    cohort = completed_cohort(centre, size=2, attended=(10, 10))
    issued, _ = certificates.issue_for_cohort(cohort)
    issued[1].pdf.storage.delete(issued[1].pdf.name)
    client.force_login(coordinator_of(centre, username="coordinator.testpur"))

    with pytest.raises(FileNotFoundError):
        client.get(reverse("skills_cohort:certificates_download", args=[cohort.pk, "zip"]))
    assert (
        client.get(reverse("skills_cohort:certificates_download", args=[cohort.pk, "exe"])).status_code == 404
    )
    assert not TrackerLogEntry.objects.filter(action="sakhi.certificate_download").exists()


def test_issue_certificates_command(centre, capsys):
    from django.core.management import call_command

    cohort = completed_cohort(centre, size=3, attended=(10, 6, 10))
    call_command("issue_certificates", "--cohort", str(cohort.pk))
    out = capsys.readouterr()
    assert "2 certificates issued" in out.out
    assert Certificate.objects.filter(enrolment__cohort=cohort).count() == 2
    assert "1 enrolments not issued" in out.out
    absent = cohort.enrolments.get(trainee__full_name="Sunita Devi 1")
    assert f"enrolment {absent.pk}: attendance below 80%" in out.out


# Public verification


def test_verification_valid_revoked_and_unknown(client, centre):
    certificate = certificates.issue_certificate(
        completed_cohort(centre, size=1, attended=(10,)).enrolments.get()
    )
    url = reverse("certificate_verify_code", kwargs={"code": certificate.verification_code})

    valid = client.get(url)
    body = valid.content.decode()
    assert valid.status_code == 200 and "Valid certificate" in body
    assert "Priya K." in body and "Kshatriya" not in body
    assert "Testpur" in body and "Tailoring and dress making" in body
    assert "no-store" in valid["Cache-Control"] or "no-cache" in valid["Cache-Control"]

    hindi = client.get("/hi" + url).content.decode()
    assert "प्रिया क." in hindi and "टेस्टपुर" in hindi

    certificates.revoke(certificate, "Issued in error")
    assert "This certificate has been revoked" in client.get(url).content.decode()

    unknown = client.get(reverse("certificate_verify_code", kwargs={"code": "ABCDEFGHJKMNPQRST"}))
    assert unknown.status_code == 200 and "No certificate has this code" in unknown.content.decode()

    def shape(html):
        return re.findall(r"<(dt|dd|h2)\b", html)

    assert shape(unknown.content.decode()) == shape(valid.content.decode())


def test_typed_code_is_normalised(client, centre):
    certificate = certificates.issue_certificate(
        completed_cohort(centre, size=1, attended=(10,)).enrolments.get()
    )
    typed = "  " + certificate.display_code.lower() + " "
    response = client.get(reverse("certificate_verify"), {"code": typed}, follow=True)
    assert "Valid certificate" in response.content.decode()


def test_verification_is_rate_limited_per_address(client, db, monkeypatch):
    # One fixed window for the whole test: on a slow machine the 25 requests could straddle two.
    monkeypatch.setattr("core.ratelimit.time.time", lambda: 1_800_000_000.0)
    url = reverse("certificate_verify_code", kwargs={"code": "ABCDEFGHJKMNPQRST"})
    statuses = [client.get(url, REMOTE_ADDR="10.1.1.1").status_code for _ in range(25)]
    assert statuses[:20] == [200] * 20
    assert set(statuses[20:]) == {429}
    assert client.get(url, REMOTE_ADDR="10.1.1.2").status_code == 200
