"""Issuing, revoking and reissuing certificates.

Numbers are gap-free per centre and year: the centre's row is locked while the next serial is
taken, and a unique constraint on (centre, year, serial) is the backstop. The PDF is rendered
once, inside the same transaction, and stored in private storage; downloads return those bytes."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from . import services
from .models import VERIFICATION_ALPHABET, VERIFICATION_CODE_LENGTH, Centre, Certificate, Enrolment

REISSUED = "reissued"


class NotIssued(ValidationError):
    pass


@dataclass(frozen=True)
class Skipped:
    enrolment: Enrolment
    reason: str


def new_verification_code():
    return "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(VERIFICATION_CODE_LENGTH))


def absolute_verification_url(certificate):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + certificate.get_verification_url()


def certificate_content(certificate):
    from .certificate_pdf import CertificateContent

    enrolment = certificate.enrolment
    cohort, trainee = enrolment.cohort, enrolment.trainee
    course, trade, centre = cohort.course, cohort.course.trade, cohort.centre
    return CertificateContent(
        number=certificate.number,
        verification_url=absolute_verification_url(certificate),
        trainee_name=trainee.full_name,
        trainee_name_hi=trainee.name_hi,
        course_title=course.title,
        course_title_hi=course.title_hi,
        trade=trade.name,
        trade_hi=trade.name_hi,
        hours=course.hours,
        start_date=cohort.start_date,
        end_date=cohort.end_date,
        district=centre.district,
        district_hi=centre.district_hi,
        issued_on=certificate.issued_on,
    )


def reason_not_to_issue(enrolment):
    """Why this enrolment gets no certificate now, or "" if it may get one."""
    if enrolment.certificates.valid().exists():
        return _("already issued")
    eligible, reason = services.certificate_eligibility(enrolment)
    return "" if eligible else reason


def _issue(enrolment, user, on):
    centre = Centre.objects.select_for_update(no_key=True).get(pk=enrolment.cohort.centre_id)
    year = on.year
    last = Certificate.objects.filter(centre=centre, year=year).aggregate(last=Max("serial"))["last"] or 0
    certificate = Certificate(
        enrolment=enrolment,
        centre=centre,
        year=year,
        serial=last + 1,
        number=f"{centre.code}-{year}-{last + 1:06d}",
        verification_code=new_verification_code(),
        issued_on=on,
        issued_by=user,
    )
    from .certificate_pdf import render_certificate

    pdf = render_certificate(certificate_content(certificate))
    certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(pdf), save=False)
    certificate.save()
    log(instance=certificate, action="sakhi.certificate_issue", user=user)
    return certificate


def _with_related(enrolment):
    return (
        Enrolment.objects.with_attendance()
        .select_related("trainee", "cohort__course__trade", "cohort__centre")
        .get(pk=enrolment.pk)
    )


def issue_certificate(enrolment, *, user=None, on=None):
    """Issue the certificate of one eligible enrolment; NotIssued says why not."""
    enrolment = _with_related(enrolment)
    reason = reason_not_to_issue(enrolment)
    if reason:
        raise NotIssued(
            _("No certificate for %(trainee)s: %(reason)s.")
            % {"trainee": enrolment.trainee, "reason": reason}
        )
    with transaction.atomic():
        return _issue(enrolment, user, on or timezone.localdate())


def issue_for_cohort(cohort, *, user=None, on=None, progress=None):
    """Issue every eligible enrolment of a cohort. Returns (issued, skipped with reasons):
    nothing is passed over silently."""
    on = on or timezone.localdate()
    enrolments = (
        cohort.enrolments.with_attendance()
        .select_related("trainee", "cohort__course__trade", "cohort__centre")
        .order_by("trainee__full_name", "pk")
    )
    already = set(
        Certificate.objects.valid().filter(enrolment__cohort=cohort).values_list("enrolment_id", flat=True)
    )
    issued, skipped = [], []
    for enrolment in enrolments:
        if enrolment.pk in already:
            skipped.append(Skipped(enrolment, _("already issued")))
        else:
            eligible, reason = services.certificate_eligibility(enrolment)
            if eligible:
                with transaction.atomic():
                    issued.append(_issue(enrolment, user, on))
            else:
                skipped.append(Skipped(enrolment, reason))
        if progress:
            progress()
    return issued, skipped


def revoke(certificate, reason, *, user=None):
    if not reason.strip():
        raise ValidationError({"revoked_reason": _("Say why the certificate is revoked.")})
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if not certificate.is_valid:
            raise NotIssued(_("This certificate was already revoked."))
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason.strip()
        certificate.revoked_by = user
        certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
        log(
            instance=certificate,
            action="sakhi.certificate_revoke",
            user=user,
            data={"reason": certificate.revoked_reason},
        )
    return certificate


def reissue(certificate, *, user=None, on=None):
    """Revoke the certificate as "reissued" and issue a new one for the same enrolment."""
    with transaction.atomic():
        revoke(certificate, REISSUED, user=user)
        enrolment = _with_related(certificate.enrolment)
        return _issue(enrolment, user, on or timezone.localdate())
