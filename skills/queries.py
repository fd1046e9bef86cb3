"""What other apps (the website, placements) may read from the tracker.

Only aggregate or non-personal data leaves through here: cohorts, courses, trades, centres."""

import datetime
from dataclasses import dataclass

from django.db.models.functions import TruncMonth
from django.utils.translation import get_language

from .models import Centre, Certificate, Cohort, Trade, normalise_verification_code  # noqa: F401 (re-exported)
from .neutral import issuer_name


def open_cohorts():
    """Cohorts the public may join: planned or open, not yet ended, soonest first."""
    return (
        Cohort.objects.upcoming_or_open()
        .select_related("course__trade", "centre")
        .order_by("start_date", "pk")
    )


def announceable_cohorts():
    """Cohorts an editor may link from a course announcement."""
    return Cohort.objects.open_for_enrolment().select_related("course", "centre").order_by("start_date", "pk")


def trades():
    return Trade.objects.order_by("name")


def districts():
    return Centre.objects.active().order_by("district").values_list("district", flat=True).distinct()


def centre_district_names():
    """{district: Hindi spelling} for the active centres."""
    return dict(Centre.objects.active().values_list("district", "district_hi"))


def open_cohort_months():
    return (
        open_cohorts()
        .annotate(month=TruncMonth("start_date"))
        .order_by("month")
        .values_list("month", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class CertificateCheck:
    """What a public certificate check may reveal, and nothing more."""

    status: str  # "valid" or "revoked"
    name: str  # first name and the initial of the surname
    course: str
    issuer: str  # the neutral issuer printed on the certificate: programme and district
    issued_on: datetime.date
    number: str


def short_name(full_name):
    parts = full_name.split()
    if len(parts) < 2:
        return full_name
    return f"{parts[0]} {parts[-1][0]}."


def check_certificate(code):
    """The public facts of the certificate with this verification code, or None."""
    certificate = (
        Certificate.objects.filter(verification_code=code)
        .select_related("enrolment__trainee", "enrolment__cohort__course", "centre")
        .first()
    )
    if certificate is None:
        return None
    trainee, course = certificate.enrolment.trainee, certificate.enrolment.cohort.course
    in_hindi = get_language() == "hi"
    return CertificateCheck(
        status="valid" if certificate.is_valid else "revoked",
        name=short_name(trainee.name_hi if in_hindi and trainee.name_hi else trainee.full_name),
        course=course.localized_title,
        issuer=issuer_name(certificate.centre.localized_district),
        issued_on=certificate.issued_on,
        number=certificate.number,
    )
