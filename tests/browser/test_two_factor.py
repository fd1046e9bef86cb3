"""A coordinator's first login with two-factor login on: password, set up the app, see the recovery
codes, reach the dashboard; in a real Chromium, with the key read off the page as a person would."""

from base64 import b32decode

import pytest

pytestmark = pytest.mark.browser


def test_coordinator_sets_up_two_factor_login_and_reaches_the_dashboard(page, site_url, settings):
    from django_otp.oath import totp

    from website.demo.users import DEMO_PASSWORD, seed_users

    settings.SAKHI_STAFF_TWO_FACTOR = True
    seed_users()
    page.goto(f"{site_url}/admin/login/")
    page.fill("input[name=username]", "coordinator")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site_url}/admin/two-factor/enrol/?next=/admin/")

    assert page.locator(".two-factor-qr svg").is_visible()
    key = b32decode(page.get_by_test_id("two-factor-secret").inner_text().replace(" ", ""))
    page.get_by_label("Code from the app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url(f"{site_url}/admin/two-factor/recovery-codes/?next=/admin/")
    assert page.get_by_test_id("recovery-codes").locator("li").count() == 10
    page.get_by_role("link", name="I have kept them safe: continue").click()

    page.wait_for_url(f"{site_url}/admin/")
    assert page.locator("h1").first.inner_text().strip() != ""
    assert "Dashboard" in page.title()
