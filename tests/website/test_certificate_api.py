"""The certificate check as JSON (issue H, item 6): the page's facts, the page's rate limit,
readable from any origin, described by an OpenAPI document."""

import json
import re

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from skills import certificates
from skills.models import Certificate
from tests.factories import CentreFactory
from tests.skills.test_certificates import completed_cohort
from tests.website.test_neutral_surface import NEUTRAL, NEUTRAL_HOST, assert_neutral

FIXED_TIME = 1_800_000_000.0  # one rate-limit window for the whole test


@pytest.fixture(autouse=True)
def fresh_limits(monkeypatch):
    cache.clear()
    monkeypatch.setattr("core.ratelimit.time.time", lambda: FIXED_TIME)
    with translation.override("en"):
        yield


@pytest.fixture
def valid_and_revoked(db):
    """Two certificates of a centre of the test's own, Priya Kshatriya's valid, the other revoked."""
    centre = CentreFactory(slug="apipur", code="API", district="Apipur", district_hi="एपीपुर")
    issued, _skipped = certificates.issue_for_cohort(completed_cohort(centre, size=2, attended=(10, 10)))
    valid, revoked = Certificate.objects.filter(pk__in=[c.pk for c in issued]).order_by("pk")
    certificates.revoke(revoked, "Issued in error")
    return valid, revoked


def api_url(code):
    return reverse("certificate_api:certificate", kwargs={"code": code})


def assert_public(response):
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Credentials" not in response
    assert response["Cache-Control"] == "no-store"


def test_a_valid_certificate_answers_the_facts_of_the_page(client, valid_and_revoked):
    valid, _revoked = valid_and_revoked
    assert api_url(valid.verification_code) == f"/api/v1/certificates/{valid.verification_code}"
    response = client.get(api_url(valid.display_code.lower()), HTTP_ORIGIN="https://jobs.example")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert_public(response)
    assert valid.enrolment.trainee.full_name == "Priya Kshatriya"
    assert response.json() == {
        "status": "valid",
        "number": valid.number,
        "name": "Priya K.",
        "course": "Tailoring and dress making",
        "issuer": "Skill Development Programme, Apipur",
        "issued_on": valid.issued_on.isoformat(),
    }
    assert_neutral(response, "valid")


def test_revoked_unknown_and_hindi_answers(client, valid_and_revoked):
    valid, revoked = valid_and_revoked
    response = client.get(api_url(revoked.verification_code))
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    assert_neutral(response, "revoked")
    unknown = client.get(api_url("ABCDEFGHJKMNPQRST"))
    assert unknown.status_code == 404
    assert set(unknown.json()) == {"detail"}
    assert_public(unknown)
    assert_neutral(unknown, "unknown")
    hindi = client.get(api_url(valid.verification_code), {"lang": "hi"})
    assert hindi.json()["issuer"].startswith("कौशल विकास कार्यक्रम")
    assert "एपीपुर" in hindi.json()["issuer"]
    assert_neutral(hindi, "hindi")


def test_preflight_and_head_are_allowed_and_nothing_else(client, valid_and_revoked):
    valid, _revoked = valid_and_revoked
    url = api_url(valid.verification_code)
    preflight = client.options(
        url, HTTP_ORIGIN="https://jobs.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 204
    assert_public(preflight)
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert_public(head)
    for method in (client.post, client.put, client.delete):
        assert method(url).status_code == 405


def test_the_page_and_the_api_share_one_rate_limit(client, valid_and_revoked):
    valid, _revoked = valid_and_revoked
    page = reverse("certificate_verify_code", kwargs={"code": valid.verification_code})
    for number in range(20):
        url = page if number % 2 else api_url(valid.verification_code)
        assert client.get(url, REMOTE_ADDR="10.7.7.7").status_code == 200, number
    limited = client.get(api_url(valid.verification_code), REMOTE_ADDR="10.7.7.7")
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    assert set(limited.json()) == {"detail"}
    assert_public(limited)
    assert_neutral(limited, "429")
    assert client.get(page, REMOTE_ADDR="10.7.7.7").status_code == 429
    assert client.get(api_url(valid.verification_code), REMOTE_ADDR="10.7.7.8").status_code == 200


def test_the_openapi_document_describes_the_check(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    operation = document["paths"]["/api/v1/certificates/{code}"]["get"]
    assert {"200", "404", "429"} <= set(operation["responses"])
    facts = document["components"]["schemas"]["CertificateFacts"]
    assert set(facts["properties"]) == {"status", "number", "name", "course", "issuer", "issued_on"}
    assert "options" not in document["paths"]["/api/v1/certificates/{code}"]
    assert_neutral(response, "openapi")
    docs = client.get("/api/v1/docs", follow=True)
    assert docs.status_code == 404, "no docs page pulling third-party scripts"


@override_settings(SAKHI_NEUTRAL_BASE_URL=NEUTRAL)
def test_the_api_is_served_on_the_neutral_host(client, valid_and_revoked):
    valid, _revoked = valid_and_revoked
    response = client.get(api_url(valid.verification_code), HTTP_HOST=NEUTRAL_HOST)
    assert response.status_code == 200 and response.json()["status"] == "valid"
    assert client.get("/api/v1/openapi.json", HTTP_HOST=NEUTRAL_HOST).status_code == 200


# ---------------------------------------------------------------------------------------------
# The keys, the revocation list and the offline verifier (items 3 to 5) on the neutral host
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "hi"])
def test_the_offline_verifier_is_neutral_strict_and_carries_the_public_keys(
    client, valid_and_revoked, language
):
    from skills.models import CredentialKey

    assert CredentialKey.objects.exists(), "issuing signed with a key"
    prefix = "/hi" if language == "hi" else ""
    response = client.get(prefix + reverse("certificate_verify_offline"))
    assert response.status_code == 200
    body = response.content.decode()
    # The public keys are random base64: a word found in one would say nothing, so the words are
    # looked for in the rest of the page, and the keys' block holds nothing but keys.
    settings_json = re.search(r'<script id="verifier-settings"[^>]*>(.*?)</script>', body, re.S).group(1)
    verifier_settings = json.loads(settings_json)
    assert set(verifier_settings) == {"keys", "statusListUrl", "statusListSize"}
    assert all(set(jwk) == {"kty", "crv", "x"} for jwk in verifier_settings["keys"].values())
    assert_neutral(body.replace(settings_json, ""), "verifier")
    assert "quick-exit" not in body and "site-footer" not in body and "main-nav" not in body
    assert f'lang="{language}"' in body
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    # Scripts: one file of our own; the settings are JSON data, never run.
    assert re.findall(r"<script\b[^>]*>", body) == [
        '<script id="verifier-settings" type="application/json">',
        '<script id="verifier-text" type="application/json">',
        '<script src="/static/js/verifier.js" defer>',
    ]
    for key in CredentialKey.objects.all():
        assert key.public_key in body
        assert key.private_key not in body


@override_settings(SAKHI_NEUTRAL_BASE_URL=NEUTRAL)
def test_keys_list_and_verifier_are_served_on_the_neutral_host(client, valid_and_revoked):
    for path in ["/.well-known/did.json", "/credentials/status/1", reverse("certificate_verify_offline")]:
        response = client.get(path, HTTP_HOST=NEUTRAL_HOST)
        assert response.status_code == 200, path
    for path in ["/.well-known/did.json", "/credentials/status/1"]:
        # What the CORS headers name is what is answered: GET and HEAD, nothing that writes.
        assert client.get(path, HTTP_HOST=NEUTRAL_HOST)["Access-Control-Allow-Methods"] == "GET, HEAD"
        head = client.head(path, HTTP_HOST=NEUTRAL_HOST)
        assert head.status_code == 200 and head.content == b"", path
        assert head["Access-Control-Allow-Origin"] == "*", path
        assert client.post(path, HTTP_HOST=NEUTRAL_HOST).status_code == 405, path
    assert client.get("/credentials/", HTTP_HOST=NEUTRAL_HOST).status_code == 404
    assert client.get("/.well-known/other.json", HTTP_HOST=NEUTRAL_HOST).status_code == 404
