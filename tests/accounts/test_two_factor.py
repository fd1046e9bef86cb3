"""Two-factor login for staff (and, by choice, employers), through the pages people use: the admin
login, the enrolment page, the code page, the admin's reset, the employer portal."""

import json
import os
import re
import subprocess
import sys
from base64 import b32decode
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from accounts import twofactor
from website.demo.users import DEMO_PASSWORD, seed_users

ROOT = Path(__file__).resolve().parents[2]
STAFF = ["admin", "coordinator", "officer", "editor"]
SECRET = re.compile(r'data-testid="two-factor-secret">([A-Z2-7 ]+)<')


@pytest.fixture
def demo_users(db):
    seed_users()


@pytest.fixture
def two_factor_on(settings, demo_users):
    settings.SAKHI_STAFF_TWO_FACTOR = True
    return settings


def password_login(client, username):
    response = client.post(reverse("wagtailadmin_login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, "password refused"
    return client


def key_on_page(response):
    """The key as the enrolment page shows it to be typed into an app."""
    return b32decode(SECRET.search(response.content.decode()).group(1).replace(" ", ""))


def code(key, drift=0):
    """What an authenticator app shows (drift=1: the next 30-second step, for a second login
    inside the same step, since a code once used is refused)."""
    return f"{totp(key, drift=drift):06d}"


def enrol(client, username, **login):
    """Log in with the password and set up the authenticator; returns (key, recovery codes)."""
    password_login(client, username)
    page = client.get(reverse("two_factor_enrol"))
    key = key_on_page(page)
    response = client.post(reverse("two_factor_enrol"), {"code": code(key)})
    assert response.status_code == 302
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", client.get(response.url).content.decode())
    return key, codes


def test_production_asks_staff_for_a_second_factor_and_make_run_does_not():
    shown = {}
    for module, extra in (
        (
            "website.settings.production",
            {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "sakhi.example"},
        ),
        ("website.settings.dev", {}),
    ):
        env = {**os.environ, **extra, "DJANGO_SETTINGS_MODULE": module}
        done = subprocess.run(  # noqa: S603 - our own interpreter and code
            [
                sys.executable,
                "-c",
                "from django.conf import settings; print(settings.SAKHI_STAFF_TWO_FACTOR)",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        shown[module] = json.loads(done.stdout.strip().lower())
    assert shown == {"website.settings.production": True, "website.settings.dev": False}


@pytest.mark.parametrize("username", STAFF)
def test_demo_users_log_in_with_the_password_alone_when_it_is_off(client, demo_users, username):
    password_login(client, username)

    assert client.get(reverse("wagtailadmin_home")).status_code == 200


@pytest.mark.parametrize("username", STAFF)
def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, two_factor_on, username):
    password_login(client, username)

    for url in (reverse("wagtailadmin_home"), "/admin/users/", "/admin/pages/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{reverse('two_factor_enrol')}?next={url}"


def test_enrolment_shows_a_local_qr_code_and_the_key_and_confirms_one_code(client, two_factor_on):
    two_factor_on.OTP_TOTP_THROTTLE_FACTOR = 0  # throttling has its own test below
    password_login(client, "coordinator")
    page = client.get(reverse("two_factor_enrol"))
    html = page.content.decode()
    key = key_on_page(page)
    device = TOTPDevice.objects.get(user__username="coordinator")

    assert page.status_code == 200
    assert re.search(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \d+ \d+"', html)
    assert key == device.bin_key and not device.confirmed
    assert client.get(reverse("two_factor_enrol")).content.decode().count(SECRET.search(html).group(1)) == 1

    wrong = client.post(reverse("two_factor_enrol"), {"code": f"{(int(code(key)) + 1) % 10**6:06d}"})
    assert wrong.status_code == 400
    assert "That code is not right" in unescape(wrong.content.decode())
    assert client.get(reverse("wagtailadmin_home")).status_code == 302

    done = client.post(reverse("two_factor_enrol"), {"code": code(key)})
    assert done.status_code == 302 and done.url == reverse("two_factor_recovery_codes")
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", client.get(done.url).content.decode())
    assert len(set(codes)) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=device.user).values_list("token", flat=True)
    )
    assert client.get(done.url).status_code == 302  # shown once
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert ModelLogEntry.objects.filter(
        action=twofactor.ENROLLED, object_id=str(device.user_id), user=device.user
    ).exists()


def test_later_logins_need_a_code_for_every_admin_page(two_factor_on):
    key, _codes = enrol(Client(), "officer")
    client = password_login(Client(), "officer")

    for url in ("/admin/", "/admin/reports/site-history/", "/admin/account/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(
            reverse("two_factor_verify") + "?next="
        )
    assert (
        client.post(
            reverse("two_factor_verify"), {"code": "000000" if code(key, 1) != "000000" else "111111"}
        ).status_code
        == 400
    )

    two_factor_on.OTP_TOTP_THROTTLE_FACTOR = 0
    response = client.post(
        reverse("two_factor_verify"), {"code": code(key, drift=1), "next": "/admin/account/"}
    )
    assert response.status_code == 302 and response.url == "/admin/account/"
    assert client.get("/admin/").status_code == 200


def test_a_code_is_refused_after_wrong_ones_until_the_wait_is_over(two_factor_on):
    key, _codes = enrol(Client(), "editor")
    client = password_login(Client(), "editor")
    client.post(reverse("two_factor_verify"), {"code": "12345x"})  # not a code at all: static device
    wrong = f"{(int(code(key, 1)) + 1) % 10**6:06d}"
    assert client.post(reverse("two_factor_verify"), {"code": wrong}).status_code == 400

    response = client.post(reverse("two_factor_verify"), {"code": code(key, drift=1)})

    assert response.status_code == 400
    assert "Too many wrong codes" in unescape(response.content.decode())
    assert client.get("/admin/").status_code == 302


def test_each_recovery_code_works_once(two_factor_on):
    _key, codes = enrol(Client(), "coordinator")
    first = password_login(Client(), "coordinator")
    response = first.post(reverse("two_factor_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert first.get("/admin/").status_code == 200
    assert StaticToken.objects.filter(device__user__username="coordinator").count() == 9

    again = password_login(Client(), "coordinator")
    assert again.post(reverse("two_factor_verify"), {"code": codes[0]}).status_code == 400
    assert again.get("/admin/").status_code == 302


def test_a_half_logged_in_session_is_anonymous_outside_the_admin(two_factor_on):
    enrol(Client(), "coordinator")
    client = password_login(Client(), "coordinator")

    response = client.get("/")

    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_an_admin_resets_a_second_factor_audited_and_it_must_be_set_up_again(two_factor_on):
    coordinator = Client()
    enrol(coordinator, "coordinator")
    assert coordinator.get("/admin/").status_code == 200
    admin = Client()
    enrol(admin, "admin")
    person = get_user_model().objects.get(username="coordinator")
    url = reverse("two_factor_reset", args=[person.pk])

    assert url in admin.get("/admin/users/").content.decode()
    assert admin.get(url).status_code == 200
    response = admin.post(url)

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    entry = ModelLogEntry.objects.get(action=twofactor.RESET, object_id=str(person.pk))
    assert entry.user.username == "admin"
    enrol_again = coordinator.get("/admin/")
    assert enrol_again.status_code == 302 and enrol_again.url.startswith(reverse("two_factor_enrol"))


def test_only_a_superuser_may_reset(two_factor_on):
    officer = Client()
    enrol(officer, "officer")
    person = get_user_model().objects.get(username="coordinator")
    url = reverse("two_factor_reset", args=[person.pk])

    assert url not in officer.get("/admin/users/").content.decode()
    enrol(Client(), "coordinator")
    response = officer.post(url)

    assert response.status_code == 302 and response.url == "/admin/"  # Wagtail's "no permission"
    assert TOTPDevice.objects.filter(user=person).exists()
    assert not ModelLogEntry.objects.filter(action=twofactor.RESET).exists()


# ---------------------------------------------------------------------------------------------
# Employers: their choice
# ---------------------------------------------------------------------------------------------


def employer_login(client):
    response = client.post(reverse("employer_login"), {"username": "employer", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def test_an_employer_opts_in_and_then_gives_a_code_after_the_password(two_factor_on):
    client = employer_login(Client())
    assert client.get(reverse("employer_home")).status_code == 200  # no second factor until she asks
    profile = client.get(reverse("employer_profile")).content.decode()
    assert reverse("employer_two_factor") in profile

    page = client.get(reverse("employer_two_factor"))
    assert page.status_code == 200
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    key = key_on_page(page)
    done = client.post(reverse("employer_two_factor"), {"code": code(key)})
    assert done.status_code == 302 and done.url == reverse("employer_two_factor_recovery_codes")
    assert len(re.findall(r"<li><code>", client.get(done.url).content.decode())) == 10

    again = employer_login(Client())
    held = again.get(reverse("employer_candidates"))
    assert held.status_code == 302
    assert held.url == f"{reverse('employer_two_factor_verify')}?next=/employers/candidates/"
    verify_page = again.get(held.url)
    assert verify_page.status_code == 200 and "unsafe-inline" not in verify_page["Content-Security-Policy"]
    response = again.post(held.url, {"code": code(key, drift=1), "next": reverse("employer_candidates")})
    assert response.status_code == 302 and response.url == reverse("employer_candidates")
    assert again.get(reverse("employer_candidates")).status_code == 200


def test_an_employer_turns_it_off_with_a_code(two_factor_on):
    client = employer_login(Client())
    key = key_on_page(client.get(reverse("employer_two_factor")))
    client.post(reverse("employer_two_factor"), {"code": code(key)})

    assert client.post(reverse("employer_two_factor"), {"code": "nonsense1"}).status_code == 400
    two_factor_on.OTP_STATIC_THROTTLE_FACTOR = 0
    response = client.post(reverse("employer_two_factor"), {"code": code(key, drift=1)})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user__username="employer").exists()
    assert ModelLogEntry.objects.filter(action=twofactor.TURNED_OFF).count() == 1
    assert employer_login(Client()).get(reverse("employer_home")).status_code == 200


def qr_text(html):
    """Read the page's QR code back, as a phone would: draw the SVG's runs and decode them."""
    from PIL import Image, ImageDraw

    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', html).group(1))
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", html):
        x, y, width = int(x), int(y), int(width)
        draw.rectangle([x * scale, y * scale, (x + width) * scale - 1, (y + 1) * scale - 1], fill=0)
    (symbol,) = zxingcpp.read_barcodes(image)
    return symbol.text


def test_the_employer_qr_code_carries_the_key_under_the_neutral_name(two_factor_on):
    client = employer_login(Client())
    page = client.get(reverse("employer_two_factor"))
    uri = urlsplit(qr_text(page.content.decode()))
    params = parse_qs(uri.query)

    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert b32decode(params["secret"][0]) == key_on_page(page)
    assert params["issuer"] == ["testserver"]  # the neutral host's name, never the centres'
    assert "sakhi" not in uri.geturl().lower()
