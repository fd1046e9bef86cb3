"""The employer portal: registration and its bot checks, e-mail confirmation, login lockout,
password reset, who may use the portal, vacancies, candidates' minimal profile, and the IDOR
matrix (one employer asking for another's ids gets 404 and changes nothing).

Employers and vacancies are built here; candidates are Lucknow trainees built by the factories, who
agreed to share their profile and hold a valid certificate."""

import datetime
import re
import time
from unittest import mock

import pytest
from axes.utils import reset as reset_axes
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail, signing
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse
from django.utils import timezone, translation

from placements import emails, portal_urls, services
from placements.models import Employer, EmployerAccount, Nomination, Vacancy
from placements.portal_forms import HONEYPOT_FIELD, started_token
from placements.portal_views import PASSWORD_RESET_LIMIT, REGISTER_LIMIT
from skills import roles
from skills.models import Certificate, Trade, Trainee
from tests.factories import certified_trainees
from website.demo.users import seed_users

PASSWORD = "a-long-Shared-secret-42"
# Read when each test runs: a module-level date goes stale across midnight (India time).
today = timezone.localdate


@pytest.fixture(autouse=True)
def clean_slate(db):
    """English URLs, and no failed logins or rate-limit marks carried over from another test
    (a request to /hi/ leaves Hindi active in the test's thread)."""
    reset_axes()
    cache.clear()
    with translation.override("en"):
        yield
    reset_axes()


# ---------------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------------


def make_employer(name, status=Employer.Status.APPROVED, verified=True):
    slug = re.sub(r"[^a-z]+", "-", name.lower()).strip("-")
    email = f"hr@{slug}.example"
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    user.groups.add(Group.objects.get(name=roles.EMPLOYERS))
    employer = Employer.objects.create(
        organisation=name,
        sector="Apparel",
        district="Lucknow",
        contact_person="Kavita Rao",
        email=email,
        phone="0522 2345678",
        status=status,
    )
    return EmployerAccount.objects.create(
        user=user, employer=employer, email_verified_at=timezone.now() if verified else None
    )


def make_vacancy(employer, title, status=Vacancy.Status.PUBLISHED):
    vacancy = Vacancy.objects.create(
        employer=employer,
        title=title,
        description="Stitching kurtas on industrial machines.",
        district="Lucknow",
        openings=3,
        pay_min=9000,
        pay_max=12000,
        closing_date=today() + datetime.timedelta(days=30),
        status=status,
    )
    vacancy.trades.add(Trade.objects.get(slug="tailoring"))
    return vacancy


def shareable_trainees(count):
    """Consenting adult Lucknow trainees with a valid certificate."""
    return certified_trainees(count)


def nominate(vacancy, trainee):
    return Nomination.objects.create(vacancy=vacancy, trainee=trainee)


def logged_in(client, account):
    client.force_login(account.user)
    return client


def registration_data(**overrides):
    data = {
        "organisation": "Chikan Crafts Collective",
        "sector": "Handicrafts",
        "district": "Lucknow",
        "contact_person": "Farah Naqvi",
        "email": "Jobs@Chikan-Crafts.example",
        "phone": "98765 43210",
        "password1": PASSWORD,
        "password2": PASSWORD,
        HONEYPOT_FIELD: "",
        "started": started_token(at=time.time() - 60),
    }
    data.update(overrides)
    return data


def nothing_registered():
    return (
        not get_user_model().objects.filter(username="jobs@chikan-crafts.example").exists()
        and not Employer.objects.filter(organisation="Chikan Crafts Collective").exists()
    )


def verification_path(message):
    match = re.search(r"http://testserver(/employers/verify/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


INLINE_CODE = re.compile(r"<script(?![^>]*\ssrc=)|<style|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def assert_strict_page(response):
    html = response.content.decode()
    assert not INLINE_CODE.search(html), "inline script or style breaks the CSP"
    # The portal is the programme's neutral face (tests/website/test_neutral_surface.py).
    assert 'class="quick-exit"' not in html


# ---------------------------------------------------------------------------------------------
# Registration
# ---------------------------------------------------------------------------------------------


def test_registration_form_has_a_hidden_honeypot_and_a_signed_start(client):
    response = client.get(reverse("employer_register"))
    assert response.status_code == 200
    html = response.content.decode()
    assert_strict_page(response)
    honeypot = re.search(
        rf'<div class="visually-hidden" aria-hidden="true">.*?name="{HONEYPOT_FIELD}"[^>]*>', html, re.S
    )
    assert honeypot, "the honeypot sits in a visually hidden, aria-hidden wrapper"
    assert 'tabindex="-1"' in honeypot.group(0) and 'autocomplete="off"' in honeypot.group(0)
    assert re.search(r'<input type="hidden" name="started" value="[^"]+:[^"]+"', html)
    for name, autocomplete in [("organisation", "organization"), ("email", "email"), ("phone", "tel")]:
        assert re.search(
            rf'name="{name}"[^>]*autocomplete="{autocomplete}"|autocomplete="{autocomplete}"[^>]*name="{name}"',
            html,
        )
    assert 'autocomplete="new-password"' in html


def test_registration_creates_a_pending_employer_and_sends_a_confirmation_link(client):
    response = client.post(reverse("employer_register"), registration_data())
    assert response.status_code == 302
    assert response.url == reverse("employer_register_done")

    user = get_user_model().objects.get(username="jobs@chikan-crafts.example")
    assert user.email == "jobs@chikan-crafts.example"
    assert user.is_active and not user.is_staff
    assert user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == [roles.EMPLOYERS]
    assert not user.has_perm("wagtailadmin.access_admin")
    account = user.employer_account
    assert account.email_verified_at is None
    employer = account.employer
    assert employer.status == Employer.Status.PENDING
    assert (employer.organisation, employer.sector, employer.district) == (
        "Chikan Crafts Collective",
        "Handicrafts",
        "Lucknow",
    )
    assert (employer.contact_person, employer.email, employer.phone) == (
        "Farah Naqvi",
        "jobs@chikan-crafts.example",
        "98765 43210",
    )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jobs@chikan-crafts.example"]
    path = verification_path(message)
    assert "chikan" not in path.lower() and "@" not in path, "no personal data in the link"


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("short1", "This password is too short"),
        ("1234567890", "This password is entirely numeric"),
        ("password123", "This password is too common"),
        ("jobs-chikan-crafts", "too similar"),
    ],
)
def test_weak_password_is_refused_inline_and_the_form_keeps_what_was_typed(client, password, expected):
    response = client.post(
        reverse("employer_register"), registration_data(password1=password, password2=password)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html
    # The error is tied to the field for screen readers, and listed in the summary.
    assert 'id="id_password1_error"' in html
    assert re.search(r'aria-describedby="id_password1_helptext id_password1_error"', html)
    assert 'aria-invalid="true"' in html
    assert 'role="alert"' in html
    assert 'value="Chikan Crafts Collective"' in html and 'value="98765 43210"' in html
    assert password not in html, "a password is never shown again"
    assert nothing_registered() and not mail.outbox


def test_mismatched_passwords_are_refused(client):
    response = client.post(reverse("employer_register"), registration_data(password2=PASSWORD + "x"))
    assert response.status_code == 200
    assert "The two password fields didn’t match." in response.content.decode()
    assert nothing_registered()


def test_missing_fields_and_bad_phone_are_shown_inline(client):
    response = client.post(reverse("employer_register"), registration_data(organisation="", phone="call me"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_organisation_error"' in html and 'id="id_phone_error"' in html
    assert nothing_registered()


def test_a_registered_address_gets_an_e_mail_and_the_form_reveals_nothing(client):
    existing = make_employer("Awadh Looms")
    users, employers = get_user_model().objects.count(), Employer.objects.count()
    response = client.post(
        reverse("employer_register"),
        registration_data(email="HR@Awadh-Looms.example", organisation="Awadh Looms Again"),
    )
    assert response.status_code == 302
    assert response.url == reverse("employer_register_done"), "same answer as a new registration"
    assert get_user_model().objects.count() == users and Employer.objects.count() == employers
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [existing.user.email]
    assert "already has an account" in mail.outbox[0].body
    assert "/employers/verify/" not in mail.outbox[0].body


def test_registering_again_before_confirming_resends_the_link(client):
    client.post(reverse("employer_register"), registration_data())
    client.post(reverse("employer_register"), registration_data(organisation="Chikan Crafts (again)"))
    assert Employer.objects.filter(email="jobs@chikan-crafts.example").count() == 1
    assert len(mail.outbox) == 2
    assert all("/employers/verify/" in message.body for message in mail.outbox)


def test_a_filled_honeypot_is_refused_quietly(client):
    response = client.post(
        reverse("employer_register"), registration_data(**{HONEYPOT_FIELD: "http://spam.example"})
    )
    assert response.status_code == 302
    assert response.url == reverse("employer_register_done"), "the robot is not told"
    assert nothing_registered() and not mail.outbox


@pytest.mark.parametrize("started", ["", "1700000000", "1700000000:forged-signature"])
def test_a_missing_or_forged_start_is_refused_quietly(client, started):
    response = client.post(reverse("employer_register"), registration_data(started=started))
    assert response.status_code == 302
    assert nothing_registered() and not mail.outbox


def test_a_form_sent_back_too_fast_creates_nothing(client):
    response = client.post(reverse("employer_register"), registration_data(started=started_token()))
    assert response.status_code == 200
    assert "Please check your details and send the form again." in response.content.decode()
    assert nothing_registered() and not mail.outbox


def test_a_form_left_open_for_days_is_shown_again_with_a_fresh_start(client):
    old = started_token(at=time.time() - 3 * 24 * 3600)
    response = client.post(reverse("employer_register"), registration_data(started=old))
    assert response.status_code == 200
    assert old not in response.content.decode()
    assert nothing_registered()


# ---------------------------------------------------------------------------------------------
# E-mail confirmation
# ---------------------------------------------------------------------------------------------


def test_the_confirmation_link_works_once(client):
    client.post(reverse("employer_register"), registration_data())
    path = verification_path(mail.outbox[0])
    account = EmployerAccount.objects.get(user__username="jobs@chikan-crafts.example")

    response = client.get(path)
    assert response.status_code == 200, "opening the link only shows the button"
    assert "Chikan Crafts Collective" in response.content.decode()
    account.refresh_from_db()
    assert account.email_verified_at is None

    response = client.post(path)
    assert response.status_code == 302 and response.url == reverse("employer_login")
    account.refresh_from_db()
    assert account.email_verified_at is not None

    assert client.get(path).status_code == 400
    assert client.post(path).status_code == 400


def test_confirming_while_logged_in_leads_to_the_portal(client):
    account = make_employer("Naqvi Tailors", status=Employer.Status.PENDING, verified=False)
    logged_in(client, account)
    response = client.post(reverse("employer_verify_email", args=[emails.verification_token(account)]))
    assert response.status_code == 302 and response.url == reverse("employer_home")
    response = client.get(reverse("employer_home"))
    assert "Waiting for approval" in response.content.decode()


@pytest.mark.parametrize("mangle", ["garbage", "truncate", "swap-signature", "other-account"])
def test_bad_confirmation_tokens_are_refused(client, mangle):
    account = make_employer("Naqvi Tailors", verified=False)
    other = make_employer("Rizvi Stitching", verified=False)
    token = emails.verification_token(account)
    bad = {
        "garbage": "not-a-token",
        "truncate": token[:-3],
        "swap-signature": token.rsplit(":", 1)[0] + ":" + emails.verification_token(other).rsplit(":", 1)[1],
        "other-account": token.replace(f"{account.pk}.", f"{other.pk}.", 1),
    }[mangle]
    assert client.get(reverse("employer_verify_email", args=[bad])).status_code == 400
    assert client.post(reverse("employer_verify_email", args=[bad])).status_code == 400
    account.refresh_from_db()
    other.refresh_from_db()
    assert account.email_verified_at is None and other.email_verified_at is None


def test_confirmation_links_expire_after_three_days(client):
    account = make_employer("Naqvi Tailors", verified=False)
    four_days_ago = time.time() - 4 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=four_days_ago):
        token = emails.verification_token(account)
    assert client.post(reverse("employer_verify_email", args=[token])).status_code == 400
    account.refresh_from_db()
    assert account.email_verified_at is None


def test_an_unconfirmed_employer_can_ask_for_a_new_link_once_a_minute(client):
    account = make_employer("Naqvi Tailors", verified=False)
    logged_in(client, account)
    response = client.get(reverse("employer_home"))
    assert response.status_code == 403
    assert "Confirm your e-mail address" in response.content.decode()
    client.post(reverse("employer_verify_resend"))
    client.post(reverse("employer_verify_resend"))
    assert len(mail.outbox) == 1
    client.post(verification_path(mail.outbox[0]))
    account.refresh_from_db()
    assert account.email_verified_at is not None


# ---------------------------------------------------------------------------------------------
# Who may use the portal
# ---------------------------------------------------------------------------------------------


PORTAL_PAGES = ["employer_home", "employer_profile", "employer_candidates", "employer_vacancy_add"]


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_anonymous_visitors_are_sent_to_the_employer_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("employer_login") + "?next=")


def test_the_login_redirect_keeps_the_language(client):
    response = client.get("/hi/employers/candidates/")
    assert response.status_code == 302
    assert response.url.startswith("/hi/employers/login/?next=")


@pytest.mark.parametrize(
    ("status", "verified", "heading"),
    [
        (Employer.Status.APPROVED, False, "Confirm your e-mail address"),
        (Employer.Status.PENDING, True, "Waiting for approval"),
        (Employer.Status.SUSPENDED, True, "Access suspended"),
    ],
)
def test_only_confirmed_approved_employers_use_the_portal(client, status, verified, heading):
    account = make_employer("Gomti Weavers", status=status, verified=verified)
    vacancy = make_vacancy(account.employer, "Weaver wanted urgently", status=Vacancy.Status.DRAFT)
    trainee = shareable_trainees(1)[0]
    nomination = nominate(make_vacancy(account.employer, "Second job"), trainee)
    logged_in(client, account)
    urls = [reverse(name) for name in PORTAL_PAGES] + [
        reverse("employer_vacancy", args=[vacancy.pk]),
        reverse("employer_vacancy_edit", args=[vacancy.pk]),
        reverse("employer_vacancy_submit", args=[vacancy.pk]),
        reverse("employer_vacancy_close", args=[vacancy.pk]),
        reverse("employer_candidate_status", args=[nomination.pk]),
    ]
    for url in urls:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 403, url
        assert heading in html, url
        assert "Weaver wanted urgently" not in html and trainee.full_name.split()[0] not in html, url
    for url in urls[4:]:
        client.post(url, {"status": "hired", "title": "Changed"})
    vacancy.refresh_from_db()
    nomination.refresh_from_db()
    assert (vacancy.title, vacancy.status) == ("Weaver wanted urgently", Vacancy.Status.DRAFT)
    assert nomination.status == Nomination.Status.NOMINATED


def test_suspended_page_shows_no_data(client):
    account = make_employer("Quick Staffing Agency", status=Employer.Status.SUSPENDED)
    logged_in(client, account)
    html = client.get(reverse("employer_profile")).content.decode()
    assert "Quick Staffing Agency" not in html and account.user.email not in html


def test_an_approved_employer_sees_its_portal_in_both_languages(client):
    account = make_employer("Gomti Weavers")
    logged_in(client, account)
    for url in ["/employers/", "/hi/employers/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "Gomti Weavers" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
    assert '<html lang="hi">' in client.get("/hi/employers/").content.decode()


@pytest.mark.parametrize("username", ["coordinator", "officer", "admin"])
def test_staff_without_an_employer_account_are_refused(client, username):
    seed_users()
    client.force_login(get_user_model().objects.get(username=username))
    assert client.get(reverse("employer_home")).status_code == 403
    assert client.get(reverse("employer_candidates")).status_code == 403


def test_employers_never_reach_the_wagtail_admin(client):
    account = make_employer("Gomti Weavers")
    assert not account.user.has_perm("wagtailadmin.access_admin")
    logged_in(client, account)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))


def test_the_demo_employer_login_is_refused_until_it_has_an_account(client):
    seed_users()
    user = get_user_model().objects.get(username="employer")
    EmployerAccount.objects.filter(user=user).delete()
    client.force_login(user)
    assert client.get(reverse("employer_home")).status_code == 403


# ---------------------------------------------------------------------------------------------
# Login, lockout, logout, password reset
# ---------------------------------------------------------------------------------------------


def login(client, username, password):
    return client.post(reverse("employer_login"), {"username": username, "password": password})


def test_login_page_renders_accessibly(client):
    response = client.get(reverse("employer_login"))
    assert response.status_code == 200
    assert_strict_page(response)
    html = response.content.decode()
    assert 'autocomplete="username"' in html and 'autocomplete="current-password"' in html
    assert '<label for="id_username"' in html and '<label for="id_password"' in html


def test_an_employer_logs_in_with_her_e_mail_in_any_case(client):
    account = make_employer("Gomti Weavers")
    response = login(client, "HR@Gomti-Weavers.example", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("employer_home")
    assert client.get(reverse("employer_home")).status_code == 200
    assert int(client.session["_auth_user_id"]) == account.user.pk


def test_a_wrong_password_is_refused_inline(client):
    make_employer("Gomti Weavers")
    response = login(client, "hr@gomti-weavers.example", "wrong-password")
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_locks_after_five_failures_even_with_the_right_password(client):
    account = make_employer("Gomti Weavers")
    statuses = [login(client, account.user.username, "wrong-password").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429], "the fifth failure locks"
    response = login(client, account.user.username, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("employer_home")).status_code == 302
    # The lock is on that login from that address, not on every employer.
    other = make_employer("Rizvi Stitching")
    assert login(client, other.user.username, PASSWORD).status_code == 302


def test_a_successful_login_clears_earlier_failures(client):
    account = make_employer("Gomti Weavers")
    for _ in range(4):
        login(client, account.user.username, "wrong-password")
    assert login(client, account.user.username, PASSWORD).status_code == 302
    client.post(reverse("employer_logout"))
    for _ in range(4):
        login(client, account.user.username, "wrong-password")
    assert login(client, account.user.username, PASSWORD).status_code == 302


def test_logout_needs_a_post(client):
    account = make_employer("Gomti Weavers")
    logged_in(client, account)
    assert client.get(reverse("employer_logout")).status_code == 405
    response = client.post(reverse("employer_logout"))
    assert response.status_code == 302 and response.url == reverse("employer_login")
    assert "_auth_user_id" not in client.session


def reset_link(message):
    match = re.search(r"http://testserver(/employers/password-reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_password_reset_sends_a_link_that_sets_a_new_password_and_ends_a_lockout(client):
    account = make_employer("Gomti Weavers")
    for _ in range(5):
        login(client, account.user.username, "wrong-password")
    assert login(client, account.user.username, PASSWORD).status_code == 429

    response = client.post(reverse("employer_password_reset"), {"email": "HR@gomti-weavers.example"})
    assert response.status_code == 302 and response.url == reverse("employer_password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [account.user.email]

    response = client.get(reset_link(mail.outbox[0]), follow=True)
    assert response.status_code == 200 and response.context["validlink"]
    set_password_url = response.redirect_chain[-1][0]
    new_password = "another-Long-secret-77"
    response = client.post(set_password_url, {"new_password1": "short", "new_password2": "short"})
    assert "This password is too short" in response.content.decode()
    response = client.post(set_password_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302 and response.url == reverse("employer_password_reset_complete")
    assert login(client, account.user.username, new_password).status_code == 302


@pytest.mark.parametrize("email", ["nobody@nowhere.example", "coordinator@sakhi.example"])
def test_password_reset_sends_nothing_to_unknown_or_staff_addresses(client, email):
    seed_users()
    response = client.post(reverse("employer_password_reset"), {"email": email})
    assert response.status_code == 302 and response.url == reverse("employer_password_reset_done")
    assert not mail.outbox


def test_registrations_from_one_address_are_limited_and_the_form_keeps_what_was_typed(client):
    url = reverse("employer_register")
    for n in range(REGISTER_LIMIT):
        data = registration_data(organisation=f"Weavers {n}", email=f"jobs{n}@weavers.example")
        assert client.post(url, data, REMOTE_ADDR="203.0.113.7").status_code == 302
    sent = len(mail.outbox)
    response = client.post(url, registration_data(), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    html = response.content.decode()
    assert "Too many requests came from your network" in html
    assert 'value="Chikan Crafts Collective"' in html  # what she typed is still there
    assert nothing_registered() and len(mail.outbox) == sent
    # Another address is not affected.
    assert client.post(url, registration_data(), REMOTE_ADDR="203.0.113.8").status_code == 302


def test_password_resets_from_one_address_are_limited(client):
    account = make_employer("Gomti Weavers")
    url = reverse("employer_password_reset")
    for _ in range(PASSWORD_RESET_LIMIT):
        assert client.post(url, {"email": account.user.email}, REMOTE_ADDR="203.0.113.7").status_code == 302
    response = client.post(url, {"email": account.user.email}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert "Too many requests came from your network" in response.content.decode()
    assert account.user.email in response.content.decode()
    assert len(mail.outbox) == PASSWORD_RESET_LIMIT


def test_password_reset_confirms_an_unconfirmed_address(client):
    account = make_employer("Gomti Weavers", verified=False)
    client.post(reverse("employer_password_reset"), {"email": account.user.email})
    response = client.get(reset_link(mail.outbox[0]), follow=True)
    set_password_url = response.redirect_chain[-1][0]
    client.post(
        set_password_url,
        {"new_password1": "another-Long-secret-77", "new_password2": "another-Long-secret-77"},
    )
    account.refresh_from_db()
    assert account.email_verified_at is not None


def test_approval_and_suspension_are_e_mailed_to_the_employer_in_english_and_hindi(
    client, django_capture_on_commit_callbacks
):
    account = make_employer("Gomti Weavers", status=Employer.Status.PENDING)
    colleague = make_employer("Gomti Weavers Two")
    colleague.employer, colleague_email = account.employer, colleague.user.email
    colleague.save()
    seed_users()
    client.force_login(get_user_model().objects.get(username="coordinator"))
    url = reverse("placements_employer:review", args=[account.employer.pk])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"status": "approved"})
    assert sorted(message.to[0] for message in mail.outbox) == sorted([account.user.email, colleague_email])
    approved = mail.outbox[0]
    assert approved.subject.startswith("Your organisation is approved on the employer portal / ")
    assert "Gomti Weavers" in approved.body and "http://testserver/employers/login/" in approved.body
    assert "http://testserver/hi/employers/login/" in approved.body  # the Hindi half links the Hindi portal
    assert "----" in approved.body and any("\u0900" <= char <= "\u097f" for char in approved.body)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"status": "approved"})  # no change, no e-mail
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"status": "suspended"})
    assert len(mail.outbox) == 2
    assert "no longer shown on the public board" in mail.outbox[0].body


# ---------------------------------------------------------------------------------------------
# Organisation profile
# ---------------------------------------------------------------------------------------------


def test_the_profile_shows_the_organisation_and_changes_only_contact_details(client):
    account = make_employer("Gomti Weavers")
    logged_in(client, account)
    response = client.get(reverse("employer_profile"))
    assert response.status_code == 200 and "Gomti Weavers" in response.content.decode()
    response = client.post(
        reverse("employer_profile"),
        {
            "contact_person": "Imran Ali",
            "phone": "0522 7654321",
            "organisation": "Renamed",
            "status": "approved",
        },
    )
    assert response.status_code == 302
    employer = Employer.objects.get(pk=account.employer.pk)
    assert (employer.contact_person, employer.phone, employer.organisation) == (
        "Imran Ali",
        "0522 7654321",
        "Gomti Weavers",
    )


# ---------------------------------------------------------------------------------------------
# Vacancies
# ---------------------------------------------------------------------------------------------


def vacancy_data(**overrides):
    data = {
        "title": "Sewing machine operator",
        "trades": [Trade.objects.get(slug="tailoring").pk],
        "description": "Day shift, 9 to 5, with transport.",
        "district": "Lucknow",
        "openings": "4",
        "pay_min": "10000",
        "pay_max": "12500",
        "job_type": Vacancy.JobType.FULL_TIME,
        "closing_date": (today() + datetime.timedelta(days=20)).isoformat(),
    }
    data.update(overrides)
    return data


@pytest.fixture
def approved(db):
    return make_employer("Gomti Weavers")


@pytest.fixture
def coordinator(db):
    seed_users()
    return get_user_model().objects.get(username="coordinator")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"pay_min": "12000", "pay_max": "9000"},
            "pay_max",
            "The highest pay cannot be less than the lowest pay",
        ),
        (
            {"closing_date": (today() - datetime.timedelta(days=1)).isoformat()},
            "closing_date",
            "The closing date is in the past",
        ),
        ({"openings": "0"}, "openings", "greater than or equal to 1"),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_vacancy_form_errors_are_clear_and_linked(client, approved, overrides, field, message):
    logged_in(client, approved)
    response = client.post(reverse("employer_vacancy_add"), vacancy_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert not Vacancy.objects.filter(employer=approved.employer).exists()


def test_vacancy_lifecycle(client, approved, coordinator):
    logged_in(client, approved)
    page = client.get(reverse("employer_vacancy_add"))
    assert page.status_code == 200
    assert_strict_page(page)
    assert 'value="Lucknow"' in page.content.decode(), "the district defaults to the employer's"

    # Create: a draft of this employer.
    response = client.post(reverse("employer_vacancy_add"), vacancy_data())
    vacancy = Vacancy.objects.get(employer=approved.employer)
    assert response.status_code == 302 and response.url == reverse("employer_vacancy", args=[vacancy.pk])
    assert vacancy.status == Vacancy.Status.DRAFT
    assert list(vacancy.trades.values_list("slug", flat=True)) == ["tailoring"]
    assert (vacancy.pay_min, vacancy.pay_max, vacancy.openings) == (10000, 12500, 4)

    # Edit while draft.
    client.post(
        reverse("employer_vacancy_edit", args=[vacancy.pk]), vacancy_data(title="Tailor (women only unit)")
    )
    vacancy.refresh_from_db()
    assert vacancy.title == "Tailor (women only unit)"

    # Submit.
    assert client.get(reverse("employer_vacancy_submit", args=[vacancy.pk])).status_code == 200
    client.post(reverse("employer_vacancy_submit", args=[vacancy.pk]))
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.SUBMITTED

    # No edits while a coordinator checks it.
    response = client.get(reverse("employer_vacancy_edit", args=[vacancy.pk]))
    assert response.status_code == 302
    client.post(reverse("employer_vacancy_edit", args=[vacancy.pk]), vacancy_data(title="Sneaky change"))
    vacancy.refresh_from_db()
    assert vacancy.title == "Tailor (women only unit)" and vacancy.status == Vacancy.Status.SUBMITTED
    detail = client.get(reverse("employer_vacancy", args=[vacancy.pk])).content.decode()
    assert reverse("employer_vacancy_edit", args=[vacancy.pk]) not in detail

    # Rejected: the employer sees why, edits and resubmits.
    services.reject_vacancy(vacancy, "The pay is below the state minimum wage.", user=coordinator)
    detail = client.get(reverse("employer_vacancy", args=[vacancy.pk]))
    assert "The pay is below the state minimum wage." in detail.content.decode()
    assert "Sent back" in client.get(reverse("employer_home")).content.decode()
    edit_page = client.get(reverse("employer_vacancy_edit", args=[vacancy.pk]))
    assert "The pay is below the state minimum wage." in edit_page.content.decode()
    client.post(
        reverse("employer_vacancy_edit", args=[vacancy.pk]), vacancy_data(pay_min="12000", pay_max="14000")
    )
    vacancy.refresh_from_db()
    assert (vacancy.pay_min, vacancy.status) == (12000, Vacancy.Status.REJECTED)
    client.post(reverse("employer_vacancy_submit", args=[vacancy.pk]))
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.SUBMITTED and vacancy.rejection_reason == ""

    # Published by the coordinator, then closed by the employer.
    services.publish_vacancy(vacancy, user=coordinator)
    assert client.get(reverse("employer_vacancy_close", args=[vacancy.pk])).status_code == 200
    client.post(reverse("employer_vacancy_close", args=[vacancy.pk]))
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.CLOSED
    closed = client.get(reverse("employer_vacancy_close", args=[vacancy.pk])).content.decode()
    assert "already closed" in closed
    client.post(reverse("employer_vacancy_submit", args=[vacancy.pk]))
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.CLOSED, "a closed vacancy is not resubmitted"


def test_a_vacancy_past_its_closing_date_cannot_be_submitted(client, approved):
    vacancy = make_vacancy(approved.employer, "Late job", status=Vacancy.Status.DRAFT)
    Vacancy.objects.filter(pk=vacancy.pk).update(closing_date=today() - datetime.timedelta(days=1))
    logged_in(client, approved)
    response = client.post(reverse("employer_vacancy_submit", args=[vacancy.pk]), follow=True)
    assert "The closing date has passed" in response.content.decode()
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.DRAFT


# ---------------------------------------------------------------------------------------------
# Candidates: the minimal profile
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def zarina(db):
    """A demo trainee, renamed so that every private detail is recognisable on a page."""
    trainee = shareable_trainees(1)[0]
    trainee.full_name = "Zarina Quraishi"
    trainee.name_hi = "ज़रीना क़ुरैशी"
    trainee.phone = "9876501234"
    trainee.safe_phone = "9123456780"
    trainee.safe_time_to_call = "after the children sleep"
    trainee.date_of_birth = datetime.date(1990, 3, 17)
    trainee.education = Trainee.Education.GRADUATE
    trainee.referred_by = Trainee.Referral.POLICE
    trainee.register_number = "LKO-PRIVATE-77"
    trainee.guardian_consent_basis = "Mother agreed at intake"
    trainee.save()
    return trainee


PRIVATE_DETAILS = [
    "Quraishi",
    "क़ुरैशी",
    "9876501234",
    "9123456780",
    "after the children sleep",
    "1990-03-17",
    "17 March 1990",
    "17/03/1990",
    "Graduate or above",
    "LKO-PRIVATE-77",
    "Mother agreed",
    "Date of birth",
    "Referred",
]


def test_candidates_see_only_the_minimal_profile(client, approved, zarina):
    vacancy = make_vacancy(approved.employer, "Tailor")
    nomination = nominate(vacancy, zarina)
    certificates = list(Certificate.objects.valid().filter(enrolment__trainee=zarina))
    assert certificates
    logged_in(client, approved)
    pages = [
        reverse("employer_candidates"),
        reverse("employer_vacancy", args=[vacancy.pk]),
        reverse("employer_candidate_status", args=[nomination.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Zarina" in html and "Lucknow" in html, url
        assert "Tailoring" in html, url
        for certificate in certificates:
            assert certificate.number in html, url
            assert f'href="{certificate.get_verification_url()}"' in html, url
        for detail in PRIVATE_DETAILS:
            assert detail not in html, f"{detail!r} shown on {url}"
        assert_strict_page(response)


def test_a_candidate_disappears_when_she_withdraws_consent(client, approved, zarina):
    vacancy = make_vacancy(approved.employer, "Tailor")
    nomination = nominate(vacancy, zarina)
    logged_in(client, approved)
    assert "Zarina" in client.get(reverse("employer_candidates")).content.decode()
    zarina.consent_share_with_employers = False
    zarina.save(update_fields=["consent_share_with_employers"])
    assert "Zarina" not in client.get(reverse("employer_candidates")).content.decode()
    assert "Zarina" not in client.get(reverse("employer_vacancy", args=[vacancy.pk])).content.decode()
    assert client.get(reverse("employer_candidate_status", args=[nomination.pk])).status_code == 404
    assert (
        client.post(
            reverse("employer_candidate_status", args=[nomination.pk]), {"status": "hired"}
        ).status_code
        == 404
    )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.NOMINATED
    home = client.get(reverse("employer_home"))
    assert [v.candidate_count for v in home.context["vacancies"]] == [0]


def test_a_candidate_disappears_when_her_nomination_is_withdrawn(client, approved, zarina, coordinator):
    vacancy = make_vacancy(approved.employer, "Tailor")
    nomination = nominate(vacancy, zarina)
    services.withdraw_nomination(nomination, user=coordinator)
    logged_in(client, approved)
    assert "Zarina" not in client.get(reverse("employer_candidates")).content.decode()
    assert client.get(reverse("employer_candidate_status", args=[nomination.pk])).status_code == 404


def test_the_employer_updates_a_candidate_s_status(client, approved, zarina):
    vacancy = make_vacancy(approved.employer, "Tailor")
    nomination = nominate(vacancy, zarina)
    logged_in(client, approved)
    page = client.get(reverse("employer_candidates")).content.decode()
    assert f'action="{reverse("employer_candidate_status", args=[nomination.pk])}"' in page
    for status in ["interview", "offered", "hired", "rejected"]:
        response = client.post(
            reverse("employer_candidate_status", args=[nomination.pk]),
            {"status": status, "next": reverse("employer_vacancy", args=[vacancy.pk])},
        )
        assert response.status_code == 302 and response.url == reverse("employer_vacancy", args=[vacancy.pk])
        nomination.refresh_from_db()
        assert nomination.status == status


@pytest.mark.parametrize("status", ["withdrawn", "nominated", "bogus", ""])
def test_employers_cannot_set_other_statuses(client, approved, zarina, status):
    nomination = nominate(make_vacancy(approved.employer, "Tailor"), zarina)
    logged_in(client, approved)
    response = client.post(reverse("employer_candidate_status", args=[nomination.pk]), {"status": status})
    assert response.status_code == 200
    assert 'id="id_status_error"' in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.NOMINATED


def test_status_update_ignores_a_next_address_off_the_site(client, approved, zarina):
    nomination = nominate(make_vacancy(approved.employer, "Tailor"), zarina)
    logged_in(client, approved)
    response = client.post(
        reverse("employer_candidate_status", args=[nomination.pk]),
        {"status": "interview", "next": "https://evil.example/"},
    )
    assert response.url == reverse("employer_candidates")


def queries_for(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_candidate_pages_need_the_same_queries_for_3_or_15_candidates(client, approved):
    vacancy = make_vacancy(approved.employer, "Tailor")
    other = make_vacancy(approved.employer, "Packer")
    trainees = shareable_trainees(15)
    for trainee in trainees[:3]:
        nominate(vacancy, trainee)
    nominate(other, trainees[3])
    logged_in(client, approved)
    urls = [
        reverse("employer_candidates"),
        reverse("employer_vacancy", args=[vacancy.pk]),
        reverse("employer_home"),
    ]
    at_3 = [queries_for(client, url) for url in urls]
    for n, trainee in enumerate(trainees[4:]):
        nominate(vacancy if n % 2 else other, trainee)
    at_15 = [queries_for(client, url) for url in urls]
    assert at_15 == at_3
    html = client.get(reverse("employer_candidates")).content.decode()
    assert html.count('class="card candidate"') == 15


# ---------------------------------------------------------------------------------------------
# The IDOR matrix: employer B asks for employer A's ids
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def two_employers(db):
    a, b = make_employer("Awadh Garments"), make_employer("Banaras Silks")
    first, second = shareable_trainees(2)
    world = {}
    for side, account, trainee in [("a", a, first), ("b", b, second)]:
        draft = make_vacancy(
            account.employer, f"Draft job of {account.employer}", status=Vacancy.Status.DRAFT
        )
        published = make_vacancy(account.employer, f"Open job of {account.employer}")
        world[side] = {
            "account": account,
            "draft": draft,
            "published": published,
            "nomination": nominate(published, trainee),
            "trainee": trainee,
        }
    return world


# Every portal URL that takes an id: (url name, which of A's records, POST data).
ID_URLS = [
    ("employer_vacancy", "draft", {}),
    ("employer_vacancy", "published", {}),
    ("employer_vacancy_edit", "draft", "vacancy"),
    ("employer_vacancy_submit", "draft", {}),
    ("employer_vacancy_close", "published", {}),
    ("employer_candidate_status", "nomination", {"status": "hired"}),
]


def snapshot(world):
    side = world["a"]
    return {
        "draft": Vacancy.objects.filter(pk=side["draft"].pk).values().get(),
        "published": Vacancy.objects.filter(pk=side["published"].pk).values().get(),
        "nomination": Nomination.objects.filter(pk=side["nomination"].pk).values().get(),
        "draft_trades": list(side["draft"].trades.values_list("pk", flat=True)),
    }


def test_the_matrix_covers_every_portal_url_with_an_id():
    with_ids = {
        pattern.name
        for pattern in portal_urls.urlpatterns
        if isinstance(pattern, URLPattern) and pattern.pattern.converters
    }
    tokens = {"employer_verify_email", "employer_password_reset_confirm"}  # signed tokens, tested above
    assert with_ids - tokens == {name for name, _, _ in ID_URLS}


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "record", "data"), ID_URLS)
def test_employer_b_gets_404_for_employer_a_s_ids_and_changes_nothing(
    client, two_employers, name, record, data, method
):
    world = two_employers
    url = reverse(name, args=[world["a"][record].pk])
    post_data = vacancy_data(title="Hijacked") if data == "vacancy" else data

    # The URL works for its owner, so a 404 for B is about ownership and nothing else.
    owner = client.__class__()
    owner.force_login(world["a"]["account"].user)
    assert owner.get(url).status_code in (200, 302)

    before = snapshot(world)
    logged_in(client, world["b"]["account"])
    response = client.get(url) if method == "get" else client.post(url, post_data)
    assert response.status_code == 404
    assert "Awadh" not in response.content.decode()
    assert snapshot(world) == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "record", "data"), ID_URLS)
def test_unknown_ids_are_404(client, two_employers, name, record, data, method):
    logged_in(client, two_employers["b"]["account"])
    url = reverse(name, args=[999_999_999])
    response = client.get(url) if method == "get" else client.post(url, {})
    assert response.status_code == 404


def test_lists_show_only_the_employer_s_own_records(client, two_employers):
    world = two_employers
    logged_in(client, world["b"]["account"])
    a_first_name = world["a"]["trainee"].full_name.split()[0]
    b_first_name = world["b"]["trainee"].full_name.split()[0]
    home = client.get(reverse("employer_home")).content.decode()
    assert "Open job of Banaras Silks" in home and "Awadh" not in home
    candidates = client.get(reverse("employer_candidates")).content.decode()
    assert b_first_name in candidates and "Awadh" not in candidates
    if a_first_name != b_first_name:
        assert a_first_name not in candidates
    assert reverse("employer_candidate_status", args=[world["a"]["nomination"].pk]) not in candidates
    profile = client.get(reverse("employer_profile")).content.decode()
    assert "Banaras Silks" in profile and "Awadh" not in profile


def test_the_service_refuses_another_employer_s_nomination(two_employers):
    nomination = two_employers["a"]["nomination"]
    with pytest.raises(services.PermissionDenied):
        services.update_nomination_by_employer(
            nomination, Nomination.Status.HIRED, employer=two_employers["b"]["account"].employer
        )


def test_signed_tokens_are_not_accepted_across_purposes(client):
    # A registration start note is no e-mail confirmation, and the other way round.
    forged = signing.Signer(salt="placements.registration-started").sign("1")
    assert client.get(reverse("employer_verify_email", args=[forged])).status_code == 400
