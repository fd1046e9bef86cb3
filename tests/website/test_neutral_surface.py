"""The neutral face: nothing reachable from a certificate names the centres or what they do.

A woman shows her certificate to employers, landlords and relatives. The verification pages, the
employer portal, its e-mails and the address printed on the certificate must confirm a skills
certificate and nothing else (issue H, items 1 and 2)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from placements.models import Employer
from skills import certificates, roles
from skills.models import Certificate
from tests.factories import CentreFactory
from tests.placements.test_portal import make_employer, make_vacancy, nominate, shareable_trainees
from tests.skills.test_certificates import completed_cohort

# Words that tell a reader the holder was helped by a centre for women facing violence. Matched
# case-insensitively; the numbers only as whole numbers (helplines 181 and 112).
FORBIDDEN_WORDS = [
    "sakhi",
    "one stop",
    "one-stop",
    "osc",
    "violence",
    "shelter",
    "rescue",
    "survivor",
    "abuse",
    "helpline",
    "quick exit",
    "browse safely",
    "सखी",
    "वन स्टॉप",
    "हिंसा",
    "आश्रय",
    "बचाव",
    "पीड़ित",
    "उत्पीड़न",
    "हेल्पलाइन",
    "त्वरित निकास",
]
# Latin words as whole words (so "osc" is not found inside <noscript> or a random token); the
# Devanagari ones anywhere.
FORBIDDEN = re.compile(
    "|".join(
        [
            rf"(?<![a-z0-9]){re.escape(word)}s?(?![a-z0-9])" if word.isascii() else re.escape(word)
            for word in FORBIDDEN_WORDS
        ]
        # The helpline numbers as a person reads or dials them ("181", "tel:112"), not a record's id
        # inside a path or an attribute ("/candidates/112/", value="112"): ids follow the sequences.
        + [r"(?<![\w./=\"'-])(?:181|112)(?![\w./\"'-])"]
    ),
    re.IGNORECASE,
)
NEUTRAL = "https://skills-programme.example"
NEUTRAL_HOST = "skills-programme.example"


def forbidden_words_in(text):
    return sorted({match.group(0).lower() for match in FORBIDDEN.finditer(text)})


def assert_neutral(response_or_text, where=""):
    text = response_or_text if isinstance(response_or_text, str) else response_or_text.content.decode()
    assert forbidden_words_in(text) == [], where
    if not isinstance(response_or_text, str):
        assert "quick-exit" not in text and "site-footer" not in text and "main-nav" not in text, where


def test_the_forbidden_word_check_can_fail(client, db):
    """The main site names the scheme and its helplines: the check must see them."""
    found = forbidden_words_in(client.get("/").content.decode())
    assert "sakhi" in found and "181" in found
    assert forbidden_words_in("Code 2024-000181 issued 18/11/2024, hash a1812b.css <noscript> xOSCq") == []
    assert forbidden_words_in('<a href="/employers/candidates/112/"><input value="181">') == []
    assert forbidden_words_in('Call <a href="tel:112">112</a>') == ["112"]
    assert forbidden_words_in('<link href="/static/css/sakhi.css">') == ["sakhi"]


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    with translation.override("en"):
        yield


@pytest.fixture
def valid_and_revoked(db):
    valid, revoked = Certificate.objects.filter(enrolment__trainee__in=shareable_trainees(2)).order_by("pk")
    certificates.revoke(revoked, "Issued in error")
    return valid, revoked


def verification_urls(valid, revoked):
    return {
        "form": reverse("certificate_verify"),
        "valid": reverse("certificate_verify_code", kwargs={"code": valid.verification_code}),
        "revoked": reverse("certificate_verify_code", kwargs={"code": revoked.verification_code}),
        "unknown": reverse("certificate_verify_code", kwargs={"code": "ABCDEFGHJKMNPQRST"}),
        "too long": reverse("certificate_verify") + "?code=" + "A" * 60,
    }


@pytest.mark.parametrize("language", ["en", "hi"])
def test_every_verification_answer_is_neutral(client, valid_and_revoked, language):
    urls = verification_urls(*valid_and_revoked)
    prefix = "/hi" if language == "hi" else ""
    for name, url in urls.items():
        response = client.get(prefix + url)
        assert response.status_code == 200, name
        assert re.search(rf'<html[^>]*\blang="{language}"', response.content.decode()), name
        assert_neutral(response, name)
    issuer = "कौशल विकास कार्यक्रम" if language == "hi" else "Skill Development Programme"
    assert issuer in client.get(prefix + urls["valid"]).content.decode()


def test_a_code_too_long_is_refused_next_to_the_field(client, db):
    body = client.get(reverse("certificate_verify"), {"code": "A" * 60}).content.decode()
    assert 'id="code-error"' in body and 'aria-invalid="true"' in body


@pytest.mark.parametrize("language", ["en", "hi"])
def test_the_rate_limited_answer_is_neutral(client, db, language, monkeypatch):
    monkeypatch.setattr("core.ratelimit.time.time", lambda: 1_800_000_000.0)
    url = ("/hi" if language == "hi" else "") + reverse(
        "certificate_verify_code", kwargs={"code": "ABCDEFGHJK"}
    )
    responses = [client.get(url, REMOTE_ADDR="10.9.9.9") for _ in range(22)]
    assert responses[-1].status_code == 429
    assert_neutral(responses[-1], "429")


def test_an_error_on_a_verification_path_is_neutral(client, db, monkeypatch):
    def broken(code):
        raise RuntimeError("database gone")

    monkeypatch.setattr("skills.queries.check_certificate", broken)
    client.raise_request_exception = False
    response = client.get(reverse("certificate_verify_code", kwargs={"code": "ABCDEFGHJK"}))
    assert response.status_code == 500
    assert_neutral(response, "500")
    # The main site's own error page keeps its helplines and quick exit.
    with open("templates/500.html", encoding="utf-8") as site_error_page:
        assert "181" in site_error_page.read()


# ---------------------------------------------------------------------------------------------
# The employer portal
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def employer_with_candidate(db):
    account = make_employer("Neutral Textiles")
    vacancy = make_vacancy(account.employer, "Machine operator")
    nominate(vacancy, shareable_trainees(1)[0])
    return account, vacancy


ANONYMOUS_PORTAL = [
    "employer_login",
    "employer_register",
    "employer_password_reset",
    "employer_register_done",
]
EMPLOYER_PORTAL = ["employer_home", "employer_candidates", "employer_profile", "employer_vacancy_add"]


@pytest.mark.parametrize("language", ["en", "hi"])
def test_every_portal_page_is_neutral(client, employer_with_candidate, language):
    account, vacancy = employer_with_candidate
    prefix = "/hi" if language == "hi" else ""
    urls = [reverse(name) for name in EMPLOYER_PORTAL] + [reverse("employer_vacancy", args=[vacancy.pk])]
    for url in [reverse(name) for name in ANONYMOUS_PORTAL]:
        response = client.get(prefix + url)
        assert response.status_code == 200, url
        assert_neutral(response, url)
    client.force_login(account.user)
    for url in urls:
        response = client.get(prefix + url)
        assert response.status_code == 200, url
        assert_neutral(response, url)
    candidates = client.get(prefix + urls[1]).content.decode()
    assert "/certificates/verify/" in candidates, "the candidate's certificate can still be checked"


@pytest.mark.parametrize("language", ["en", "hi"])
def test_employer_e_mails_are_neutral_and_link_to_the_neutral_host(client, db, language):
    from placements import emails

    with override_settings(SAKHI_NEUTRAL_BASE_URL=NEUTRAL), translation.override(language):
        account = make_employer("Quiet Looms")
        client.post(reverse("employer_password_reset"), {"email": account.user.email})
        emails.send_review_email(account.employer)
        emails.send_already_registered_email(None, account.user.email)
        emails.send_verification_email(None, account)
        account.employer.status = Employer.Status.SUSPENDED
        emails.send_review_email(account.employer)
    assert len(mail.outbox) == 5
    for message in mail.outbox:
        assert_neutral(message.subject + "\n" + message.body, message.subject)
        assert message.from_email.startswith("Skill Development Programme")
        links = re.findall(r"https?://\S+", message.body)
        assert all(link.startswith(NEUTRAL + "/") for link in links), links
    assert all(re.search(r"https?://", message.body) for message in mail.outbox[:4])


# ---------------------------------------------------------------------------------------------
# The neutral host
# ---------------------------------------------------------------------------------------------

SITE_PATHS = ["/", "/hi/", "/news/", "/courses/", "/vacancies/", "/centres/", "/browse-safely/", "/search/"]
SITE_PATHS += [
    "/admin/",
    "/admin/login/",
    "/sitemap.xml",
    "/news/feed/",
    "/documents/1/x.pdf",
    "/no-such-page/",
]


@override_settings(SAKHI_NEUTRAL_BASE_URL=NEUTRAL)
def test_the_neutral_host_serves_only_verification_and_the_portal(client, valid_and_revoked):
    valid, _revoked = valid_and_revoked
    for path in SITE_PATHS:
        response = client.get(path, HTTP_HOST=NEUTRAL_HOST)
        assert response.status_code == 404, path
        assert_neutral(response, path)
    for path in [reverse("certificate_verify"), valid.get_verification_url(), reverse("employer_login")]:
        for prefix in ("", "/hi"):
            response = client.get(prefix + path, HTTP_HOST=NEUTRAL_HOST)
            assert response.status_code == 200, prefix + path
            assert_neutral(response, prefix + path)


@override_settings(SAKHI_NEUTRAL_BASE_URL=NEUTRAL)
def test_the_site_sends_verification_and_employers_to_the_neutral_host(client, valid_and_revoked):
    valid, _revoked = valid_and_revoked
    for path in [valid.get_verification_url(), "/hi" + reverse("employer_login") + "?next=/employers/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == NEUTRAL + path
    assert client.get("/").status_code == 200, "the site itself is unchanged"


# ---------------------------------------------------------------------------------------------
# The address printed on certificates
# ---------------------------------------------------------------------------------------------


def eligible_enrolment():
    """A completed enrolment of a small cohort that may get its certificate."""
    centre = CentreFactory(slug="testpur", code="TST", district="Testpur", district_hi="टेस्टपुर")
    return completed_cohort(centre, size=1, attended=(10,)).enrolments.get()


@override_settings(SAKHI_NEUTRAL_BASE_URL=NEUTRAL + "/")
def test_the_certificate_prints_and_encodes_the_neutral_address(db):
    certificate = certificates.issue_certificate(eligible_enrolment())
    content = certificates.certificate_content(certificate)
    assert content.verification_url == NEUTRAL + certificate.get_verification_url()
    from pypdf import PdfReader

    certificate.pdf.open("rb")
    text = PdfReader(certificate.pdf).pages[0].extract_text()
    certificate.pdf.close()
    assert NEUTRAL_HOST in text and "testserver" not in text
    assert_neutral(text, "certificate PDF")


@override_settings(SAKHI_NEUTRAL_BASE_URL="")
def test_no_certificate_is_issued_without_the_neutral_address(client, db, capsys):
    enrolment = eligible_enrolment()
    before = Certificate.objects.count()
    with pytest.raises(certificates.NotIssued, match="SAKHI_NEUTRAL_BASE_URL"):
        certificates.issue_certificate(enrolment)
    with pytest.raises(CommandError, match="SAKHI_NEUTRAL_BASE_URL"):
        call_command("issue_certificates", cohort=enrolment.cohort_id)

    coordinator = enrolment.cohort.centre.coordinators.first() or _coordinator_of(enrolment)
    client.force_login(coordinator)
    response = client.post(
        reverse("skills_cohort:issue_certificates", args=[enrolment.cohort_id]), follow=True
    )
    assert response.status_code == 200
    assert "SAKHI_NEUTRAL_BASE_URL" in response.content.decode()
    assert Certificate.objects.count() == before


def _coordinator_of(enrolment):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("neutral.coordinator", password="x")
    user.groups.add(Group.objects.get(name=roles.COORDINATORS))
    enrolment.cohort.centre.coordinators.add(user)
    return user


def test_the_deploy_check_reports_a_missing_neutral_address():
    from website.neutral import check_neutral_base_url

    with override_settings(SAKHI_NEUTRAL_BASE_URL=""):
        assert [warning.id for warning in check_neutral_base_url(None)] == ["sakhi.I001"]
    with override_settings(SAKHI_NEUTRAL_BASE_URL=NEUTRAL):
        assert check_neutral_base_url(None) == []
