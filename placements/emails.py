"""E-mails to employers, and the links in them that confirm an e-mail address.

Employers deal with the programme's neutral face (skills/neutral.py): every e-mail comes from the
neutral sender, names the programme, and links to the neutral host.

A confirmation link carries only a signed, opaque token: the account's number and a keyed hash
of its state, never the address itself. Confirming changes that state, so a link works once;
it expires after VERIFICATION_MAX_AGE."""

import datetime

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac

from core.mail import send_email
from skills.neutral import neutral_url, programme_name

from .models import Employer, EmployerAccount

VERIFICATION_MAX_AGE = datetime.timedelta(days=3)
VERIFICATION_SALT = "placements.employer-email-verification"


def _account_state(account):
    state = f"{account.pk}|{account.user.email}|{account.email_verified_at}"
    return salted_hmac(VERIFICATION_SALT, state, algorithm="sha256").hexdigest()[:32]


def verification_token(account):
    return signing.TimestampSigner(salt=VERIFICATION_SALT).sign(f"{account.pk}.{_account_state(account)}")


def account_for_verification_token(token):
    """The unconfirmed account this token confirms, or None (forged, expired or already used)."""
    try:
        value = signing.TimestampSigner(salt=VERIFICATION_SALT).unsign(token, max_age=VERIFICATION_MAX_AGE)
    except signing.BadSignature:
        return None
    pk, _, state = value.partition(".")
    if not pk.isdigit():
        return None
    account = EmployerAccount.objects.select_related("user", "employer").filter(pk=pk).first()
    if account is None or account.email_verified_at is not None:
        return None
    if not constant_time_compare(state, _account_state(account)):
        return None
    return account


def _send(template, to, context):
    context = {**context, "programme": programme_name()}
    subject = render_to_string(f"placements/emails/{template}_subject.txt", context)
    body = render_to_string(f"placements/emails/{template}.txt", context)
    send_email(" ".join(subject.split()), body, settings.SAKHI_NEUTRAL_FROM_EMAIL, [to])


def send_verification_email(request, account):
    url = reverse("employer_verify_email", kwargs={"token": verification_token(account)})
    _send(
        "verify_email",
        account.user.email,
        {
            "employer": account.employer,
            "verify_url": neutral_url(url),
            "days": VERIFICATION_MAX_AGE.days,
        },
    )


def send_already_registered_email(request, email):
    """Someone registered an address that already has a login: tell its owner, tell the form nothing."""
    _send(
        "already_registered",
        email,
        {
            "login_url": neutral_url(reverse("employer_login")),
            "reset_url": neutral_url(reverse("employer_password_reset")),
        },
    )


def send_review_email(employer):
    """Tell an employer's people that a coordinator approved or suspended it. In English and then
    Hindi, as their language is not known; one message each, so no one sees the others' addresses."""
    template = "employer_approved" if employer.status == Employer.Status.APPROVED else "employer_suspended"
    recipients = employer.accounts.filter(user__is_active=True).values_list("user__email", flat=True)
    subjects, bodies = [], []
    for language in ("en", "hi"):
        with translation.override(language):
            context = {
                "employer": employer,
                "login_url": neutral_url(reverse("employer_login")),
                "programme": programme_name(),
            }
            subject = render_to_string(f"placements/emails/{template}_subject.txt", context)
            subjects.append(" ".join(subject.split()))
            bodies.append(render_to_string(f"placements/emails/{template}.txt", context).strip())
    subject, body = " / ".join(subjects), "\n\n----\n\n".join(bodies) + "\n"
    sender = settings.SAKHI_NEUTRAL_FROM_EMAIL
    for email in recipients:
        if email:
            send_email(subject, body, sender, [email])
