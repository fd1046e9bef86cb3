"""What people do over HTTP on the production topology, for the tests and the load benchmark alike:
log in (coordinators with their second factor), save a register, record a placement, read figures.

Each function takes a session that behaves like requests.Session (tests.production.topology's
ProxiedSession, or locust's client set up the same way) and the base URL of one app server."""

import datetime
import re

from django_otp.oath import totp

CSRF_COOKIE = "csrftoken"


def csrf_token(session, base_url, path):
    """Open the form's page, as a browser would, and return the token its cookie holds."""
    response = session.get(base_url + path)
    response.raise_for_status()
    return session.cookies.get(CSRF_COOKIE)


def authenticator_code(key_hex):
    """What the coordinator's authenticator app shows now."""
    return f"{totp(bytes.fromhex(key_hex)):06d}"


def log_in_coordinator(session, base_url, username, password, totp_key):
    """The Wagtail admin login, then the second factor production asks staff for."""
    token = csrf_token(session, base_url, "/admin/login/")
    response = session.post(
        base_url + "/admin/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"},
    )
    if response.status_code != 302:
        raise AssertionError(f"password refused for {username}: {response.status_code}")
    token = csrf_token(session, base_url, "/admin/two-factor/verify/")
    response = session.post(
        base_url + "/admin/two-factor/verify/",
        data={"csrfmiddlewaretoken": token, "code": authenticator_code(totp_key), "next": "/admin/"},
    )
    if response.status_code != 302:
        raise AssertionError(f"second factor refused for {username}: {response.status_code}")
    return session


def log_in_employer(session, base_url, email, password):
    token = csrf_token(session, base_url, "/employers/login/")
    response = session.post(
        base_url + "/employers/login/",
        data={"csrfmiddlewaretoken": token, "username": email, "password": password},
    )
    if response.status_code != 302:
        raise AssertionError(f"employer login refused for {email}: {response.status_code}")
    return session


def save_register(session, base_url, cohort_id, day, present_enrolment_ids, **request):
    """Save a cohort's attendance for a day (the register page's form)."""
    path = f"/admin/skills_cohort/{cohort_id}/attendance/{day.isoformat()}/"
    token = session.cookies.get(CSRF_COOKIE) or csrf_token(session, base_url, path)
    return session.post(
        base_url + path,
        data={"csrfmiddlewaretoken": token, "present": [str(pk) for pk in present_enrolment_ids]},
        **request,
    )


def record_placement(session, base_url, trainee_id, *, job_title, monthly_pay, started_on, **request):
    """The coordinator's "add placement" form in the admin."""
    path = "/admin/placements_placement/new/"
    token = session.cookies.get(CSRF_COOKIE) or csrf_token(session, base_url, path)
    return session.post(
        base_url + path,
        data={
            "csrfmiddlewaretoken": token,
            "trainee": str(trainee_id),
            "employer": "",
            "employer_name": "Hazratganj Boutique",
            "job_title": job_title,
            "monthly_pay": str(monthly_pay),
            "start_date": started_on.strftime("%d/%m/%Y"),
            "end_date": "",
        },
        **request,
    )


def days_of(cohort):
    """The days a register may be saved for: from the cohort's start to yesterday."""
    start = datetime.date.fromisoformat(cohort["start"])
    count = (datetime.date.today() - start).days
    return [start + datetime.timedelta(days=offset) for offset in range(count)]


IMPACT_BLOCK = re.compile(r'<section class="impact-figures">.*?</section>', re.S)


def public_figure(html, label):
    """A figure of the public impact block, as the page prints it ("1,142", "fewer than 5")."""
    block = IMPACT_BLOCK.search(html)
    if block is None:
        raise AssertionError("no impact figures block on the page")
    found = re.search(rf"<dt>{label}[^<]*</dt>\s*<dd>(.*?)</dd>", block.group(0), re.S)
    if found is None:
        raise AssertionError(f"no figure {label!r} in the impact block")
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()
