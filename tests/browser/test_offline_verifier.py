"""An employer checks a certificate's QR token with no connection, in a real Chromium (issue H,
item 5): the page checks the Ed25519 signature with WebCrypto against the keys it carries."""

import pytest

from .builders import certificates_one_revoked

pytestmark = pytest.mark.browser


@pytest.fixture
def verifier(page, site_url, settings):
    # The live server is both the site and the neutral host here.
    settings.SAKHI_NEUTRAL_BASE_URL = settings.WAGTAILADMIN_BASE_URL = site_url
    page.goto(f"{site_url}/certificates/verify/offline/")
    return page


def check(page, token):
    page.fill("#verifier-token", token)
    page.get_by_role("button", name="Check").click()
    verdict = page.locator("#verifier-verdict")
    verdict.wait_for(state="visible")
    page.wait_for_selector("#verifier-status:not([hidden]), #verifier-verdict[data-result=invalid]")
    return verdict


def tampered(token):
    header, payload, signature = token.split(".")
    middle = len(payload) // 2
    swapped = "A" if payload[middle] != "A" else "B"
    return f"{header}.{payload[:middle]}{swapped}{payload[middle + 1 :]}.{signature}"


def test_offline_a_token_is_valid_and_a_tampered_one_invalid(verifier, context, site_url):
    valid, _revoked = certificates_one_revoked()
    context.set_offline(True)
    verdict = check(verifier, valid.offline_token)
    assert verdict.get_attribute("data-result") == "valid"
    assert verdict.inner_text().startswith("Valid")
    assert verifier.locator('[data-fact="number"]').inner_text() == valid.number
    assert verifier.locator("#verifier-status").get_attribute("data-status") == "unknown"

    verdict = check(verifier, tampered(valid.offline_token))
    assert verdict.get_attribute("data-result") == "invalid"
    assert verdict.inner_text().startswith("Invalid")
    assert verifier.locator("#verifier-facts").is_hidden()

    # The revocation list is signed with the same key, but it is no certificate.
    from skills import credentials

    verdict = check(verifier, credentials.status_list_credential(1))
    assert verdict.get_attribute("data-result") == "invalid"
    assert verifier.locator("#verifier-facts").is_hidden()


def test_online_the_status_list_shows_a_revoked_certificate(verifier, site_url):
    valid, revoked = certificates_one_revoked()
    verdict = check(verifier, revoked.offline_token)
    verifier.wait_for_selector("#verifier-status[data-status=revoked]")
    assert verdict.get_attribute("data-result") == "revoked"

    # The QR code's whole text, address and all, and the full credential file are read too.
    verdict = check(verifier, f"{site_url}{valid.get_verification_url()}#t={valid.offline_token}")
    verifier.wait_for_selector("#verifier-status[data-status=not-revoked]")
    assert verdict.get_attribute("data-result") == "valid"
    verdict = check(verifier, valid.credential)
    verifier.wait_for_selector("#verifier-status[data-status=not-revoked]")
    assert verdict.get_attribute("data-result") == "valid"
    assert verifier.locator('[data-fact="name"]').inner_text() == valid.enrolment.trainee.full_name


def test_a_token_in_the_address_is_checked_on_arrival(page, site_url, settings):
    settings.SAKHI_NEUTRAL_BASE_URL = settings.WAGTAILADMIN_BASE_URL = site_url
    valid, _revoked = certificates_one_revoked()
    page.goto(f"{site_url}/certificates/verify/offline/#t={valid.offline_token}")
    page.wait_for_selector("#verifier-verdict[data-result=valid]")
