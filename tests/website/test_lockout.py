"""Failed logins lock a username from one client address, behind the proxy as well: five wrong
passwords sent through the proxy must not lock the account for everyone else (issue 12, item 11)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from website.demo.users import DEMO_PASSWORD, seed_users

PROXY = "10.0.0.2"  # nginx: every request reaches Django from here
ATTACKER = "198.51.100.66"
OFFICER = "203.0.113.10"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings, db):
    settings.SAKHI_TRUSTED_PROXY_COUNT = 1
    cache.clear()
    seed_users()


def admin_login(client, password, forwarded_for, username="officer"):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_wrong_passwords_from_one_address_do_not_lock_the_officer_out_elsewhere(client, django_user_model):
    statuses = [admin_login(client, "wrong-password", ATTACKER).status_code for _ in range(5)]
    assert statuses[-1] == 429
    assert admin_login(client, DEMO_PASSWORD, ATTACKER).status_code == 429  # locked, right password or not

    officer = django_user_model.objects.get(username="officer")
    response = admin_login(client, DEMO_PASSWORD, OFFICER)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == officer.pk


def test_a_forged_forwarded_header_does_not_dodge_the_lock(client):
    # The client may send any X-Forwarded-For; the proxy appends the address it saw, and only
    # that last entry is believed.
    for n in range(5):
        admin_login(client, "wrong-password", f"192.0.2.{n}, {ATTACKER}")
    assert admin_login(client, DEMO_PASSWORD, f"192.0.2.99, {ATTACKER}").status_code == 429
    assert admin_login(client, DEMO_PASSWORD, f"{ATTACKER}, {OFFICER}").status_code == 302


def test_the_locked_staff_member_is_told_how_to_get_back_in(client):
    for _ in range(5):
        response = admin_login(client, "wrong-password", ATTACKER)
    html = response.content.decode()
    assert response.status_code == 429
    assert "Too many failed attempts" in html
    assert "60 minutes" in html
    assert "Ask the person who runs Sakhi for your centre to unlock your account" in html
    assert "Other people and other networks are not affected" in html


def test_the_locked_employer_is_offered_a_password_reset(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        response = client.post(
            reverse("employer_login"),
            {"username": "nobody@weavers.example", "password": "wrong-password"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=ATTACKER,
        )
    html = response.content.decode()
    assert response.status_code == 429
    assert f'href="{reverse("employer_password_reset")}"' in html
    assert "3 wrong passwords" in html


def test_a_proxy_that_sends_x_real_ip_is_read_the_same_way(client, settings):
    settings.SAKHI_CLIENT_IP_HEADER = "X-Real-IP"
    for _ in range(5):
        client.post(
            reverse("wagtailadmin_login"),
            {"username": "officer", "password": "wrong-password"},
            REMOTE_ADDR=PROXY,
            HTTP_X_REAL_IP=ATTACKER,
        )
    elsewhere = client.post(
        reverse("wagtailadmin_login"),
        {"username": "officer", "password": DEMO_PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_REAL_IP=OFFICER,
    )
    assert elsewhere.status_code == 302


def test_the_certificate_check_limit_counts_the_client_behind_the_proxy(client, monkeypatch):
    # The rate limits read the same address as the lockout: one client's checks do not use up
    # everyone's allowance (all arrive from the proxy's address).
    monkeypatch.setattr("core.ratelimit.time.time", lambda: 1_800_000_000.0)
    url = reverse("certificate_verify_code", kwargs={"code": "ABCDEFGHJKMNPQRST"})
    statuses = [
        client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER).status_code for _ in range(21)
    ]
    assert statuses[-1] == 429
    assert client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OFFICER).status_code == 200
