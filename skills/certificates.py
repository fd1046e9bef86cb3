"""Issuing, revoking and reissuing certificates.

Numbers are gap-free per centre and year: the centre's row is locked while the next serial is
taken, and a unique constraint on (centre, year, serial) is the backstop. The PDF is rendered
once, inside the same transaction, and stored in private storage; downloads return those bytes.

Two people issuing the same certificate at once (a double click, two coordinators) get one
certificate: whoever takes the centre's lock second finds it issued and is told so. The row is
written before its PDF, and a PDF written by an attempt that then fails is deleted, so a refused
attempt leaves no file with a woman's name in private storage."""

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from . import credentials, services
from .models import (
    VERIFICATION_ALPHABET,
    VERIFICATION_CODE_LENGTH,
    Centre,
    Certificate,
    Enrolment,
    private_storage,
)
from .neutral import NeutralHostNotConfigured, neutral_base_url, neutral_url

REISSUED = "reissued"


class NotIssued(ValidationError):
    pass


class AlreadyIssued(NotIssued):
    def __init__(self):
        super().__init__(_("already issued"))


@dataclass(frozen=True)
class Skipped:
    enrolment: Enrolment
    reason: str


def new_verification_code():
    return "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(VERIFICATION_CODE_LENGTH))


def absolute_verification_url(certificate):
    """The address printed on the certificate and in its QR code: on the neutral host, so whoever
    checks it never lands on the centres' own site. Raises NeutralHostNotConfigured when unset."""
    return neutral_url(certificate.get_verification_url())


def certificate_content(certificate):
    from .certificate_pdf import CertificateContent

    enrolment = certificate.enrolment
    cohort, trainee = enrolment.cohort, enrolment.trainee
    course, trade, centre = cohort.course, cohort.course.trade, cohort.centre
    # The period she actually attended, up to her completion: never the cohort's planned end,
    # which for an early completion (or a slip of the date) is still to come.
    attended_from, attended_to = enrolment.attended_period()
    verification_url = absolute_verification_url(certificate)
    return CertificateContent(
        number=certificate.number,
        verification_url=verification_url,
        qr_content=credentials.qr_url(verification_url, certificate.offline_token),
        trainee_name=trainee.full_name,
        trainee_name_hi=trainee.name_hi,
        course_title=course.title,
        course_title_hi=course.title_hi,
        trade=trade.name,
        trade_hi=trade.name_hi,
        hours=course.hours,
        start_date=attended_from,
        end_date=attended_to,
        district=centre.district,
        district_hi=centre.district_hi,
        issued_on=certificate.issued_on,
    )


def require_neutral_address():
    """A certificate prints the neutral address for ever: refuse to print a guessed one."""
    try:
        neutral_base_url()
    except NeutralHostNotConfigured as error:
        raise NotIssued(
            _(
                "Certificates cannot be issued yet: the programme's neutral web address is not set "
                "(SAKHI_NEUTRAL_BASE_URL). Ask the person who runs the server to set it."
            )
        ) from error


def reason_not_to_issue(enrolment):
    """Why this enrolment gets no certificate now, or "" if it may get one."""
    if enrolment.certificates.valid().exists():
        return _("already issued")
    eligible, reason = services.certificate_eligibility(enrolment)
    return "" if eligible else reason


def _issue(enrolment, user, on, then=None):
    """Issue inside one transaction of its own (a savepoint in the caller's): the row first, then
    its PDF; AlreadyIssued if another request issued it meanwhile. A PDF written by a failed
    attempt is deleted as the transaction rolls back. then(certificate), if given, runs inside
    the same transaction: what it writes is committed with the certificate or not at all."""
    written = []
    try:
        with transaction.atomic():
            certificate = _issue_locked(enrolment, user, on, written)
            if then:
                then(certificate)
            return certificate
    except BaseException:
        for name in written:
            private_storage().delete(name)
        raise


def _issue_locked(enrolment, user, on, written):
    centre = Centre.objects.select_for_update(no_key=True).get(pk=enrolment.cohort.centre_id)
    # Every issue at this centre holds the lock taken above, so this sees a certificate that a
    # racing request committed while this one waited: the check made before the lock may not have.
    if enrolment.certificates.valid().exists():
        raise AlreadyIssued
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
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError as error:  # the one-valid-certificate constraint is the backstop
        if enrolment.certificates.valid().exists():
            raise AlreadyIssued from error
        raise
    from .certificate_pdf import render_certificate

    # Signed before the PDF is drawn: its QR code carries the signed token.
    credentials.sign_certificate(certificate, certificate_content(certificate))
    pdf = render_certificate(certificate_content(certificate))
    # Named by the certificate's number only: never by the woman's name.
    certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(pdf), save=False)
    written.append(certificate.pdf.name)
    certificate.save(update_fields=["pdf"])
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
    require_neutral_address()
    enrolment = _with_related(enrolment)
    reason = reason_not_to_issue(enrolment)
    if not reason:
        try:
            return _issue(enrolment, user, on or timezone.localdate())
        except AlreadyIssued as error:
            reason = error.message
    raise NotIssued(
        _("No certificate for %(trainee)s: %(reason)s.") % {"trainee": enrolment.trainee, "reason": reason}
    )


def issue_for_cohort(cohort, *, user=None, on=None, progress=None, done=(), record=None):
    """Issue every eligible enrolment of a cohort. Returns (issued, skipped with reasons):
    nothing is passed over silently.

    For a background job (skills/tasks.py): enrolments in `done` are passed over (an earlier run
    of the job settled them), and record(enrolment, certificate, reason) is called for each
    other one; for an issued certificate inside the transaction that issues it, so that a job
    killed midway and run again neither issues twice nor loses count."""
    require_neutral_address()
    on = on or timezone.localdate()
    enrolments = (
        cohort.enrolments.with_attendance()
        .select_related("trainee", "cohort__course__trade", "cohort__centre")
        .exclude(pk__in=list(done))
        .order_by("trainee__full_name", "pk")
    )
    already = set(
        Certificate.objects.valid().filter(enrolment__cohort=cohort).values_list("enrolment_id", flat=True)
    )
    issued, skipped = [], []

    def skip(enrolment, reason):
        skipped.append(Skipped(enrolment, reason))
        if record:
            record(enrolment, None, reason)

    for enrolment in enrolments:
        if enrolment.pk in already:
            skip(enrolment, _("already issued"))
        else:
            eligible, reason = services.certificate_eligibility(enrolment)
            if eligible:
                then = (
                    (lambda certificate, enrolment=enrolment: record(enrolment, certificate, ""))
                    if record
                    else None
                )
                try:
                    issued.append(_issue(enrolment, user, on, then=then))
                except AlreadyIssued as error:  # by someone else, since `already` was read
                    skip(enrolment, error.message)
            else:
                skip(enrolment, reason)
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
    require_neutral_address()
    with transaction.atomic():
        revoke(certificate, REISSUED, user=user)
        enrolment = _with_related(certificate.enrolment)
        return _issue(enrolment, user, on or timezone.localdate())
