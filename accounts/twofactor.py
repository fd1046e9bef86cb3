"""Two-factor login: who needs it, enrolment, verification, recovery codes and an admin's reset.

Built on django-otp (docs/decisions.md): the second factor is a TOTP authenticator app, with ten
single-use recovery codes kept as django-otp's static tokens. django-otp throttles wrong codes per
device with an exponential back-off stored on the device row, so the limit holds across workers.
Staff must enrol when SAKHI_STAFF_TWO_FACTOR is on; anyone else (an employer) may opt in, and
whoever has a confirmed authenticator must give a code after the password, whatever the setting."""

import re
from base64 import b32encode
from urllib.parse import quote, urlencode

import django_otp
import zxingcpp
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"

ENROLLED = "sakhi.two_factor_enrol"
RESET = "sakhi.two_factor_reset"
TURNED_OFF = "sakhi.two_factor_off"


class TooManyAttempts(Exception):
    """Wrong codes came too fast; django-otp accepts none until `wait_seconds` have passed."""

    def __init__(self, wait_seconds):
        super().__init__(wait_seconds)
        self.wait_seconds = wait_seconds


def is_staff_user(user):
    """Coordinators, officers, editors and admins: whoever may open the Wagtail admin."""
    return user.is_authenticated and (
        user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")
    )


def must_enrol(user):
    return bool(getattr(settings, "SAKHI_STAFF_TWO_FACTOR", False)) and is_staff_user(user)


def is_enrolled(user):
    """A confirmed authenticator. Recovery codes come with it and go with it, so one query says."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_code(user):
    """Whether this logged-in user must give a second factor before using the session."""
    if not user.is_authenticated or getattr(user, "otp_device", None) is not None:
        return False
    return is_enrolled(user) or must_enrol(user)


# ---------------------------------------------------------------------------------------------
# Enrolment
# ---------------------------------------------------------------------------------------------


def pending_authenticator(user):
    """The unconfirmed authenticator being set up, the same one on every reload of the page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def secret_text(device):
    """The key as people type it into an app: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def otpauth_uri(device, issuer):
    """The Key URI authenticator apps read from the QR code (Google's Key-Uri-Format)."""
    issuer = issuer.replace(":", "")
    label = quote(f"{issuer}:{device.user.get_username()}")
    params = urlencode(
        {
            "secret": b32encode(device.bin_key).decode(),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{params}"


DARK_RUN = re.compile(rb"\x00+")


def qr_svg(text):
    """A QR code as an SVG document, encoded here (zxing-cpp), so the secret never leaves the
    server: one path of dark runs, drawn in module units with a four-module quiet zone."""
    symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(symbol.to_image(scale=1, add_quiet_zones=False))
    modules = image.shape[0]
    pixels = image.tobytes()
    quiet = 4
    path = []
    for row in range(modules):
        line = pixels[row * modules : (row + 1) * modules]
        for match in DARK_RUN.finditer(line):
            start, end = match.span()
            path.append(f"M{start + quiet} {row + quiet}h{end - start}v1h-{end - start}z")
    size = modules + 2 * quiet
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="240" '
        f'height="240" shape-rendering="crispEdges" aria-hidden="true">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(path)}"/></svg>'
    )


def confirm_enrolment(request, device, token):
    """Confirm the authenticator with its first code; returns the new recovery codes (to show
    once), or None when the code is wrong. The session counts as verified from here on."""
    if verify_device(request.user, device, token) is None:
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # A second pending authenticator (two tabs) must never become a second key.
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        codes = replace_recovery_codes(device.user)
        log(instance=device.user, action=ENROLLED, user=request.user)
    django_otp.login(request, device)
    return codes


def replace_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# ---------------------------------------------------------------------------------------------
# Verification at login
# ---------------------------------------------------------------------------------------------


def normalise(token):
    return "".join(token.split()).replace("-", "").lower()


def verify_device(user, device, token):
    """Check a code against one device, inside django-otp's locked transaction (so a recovery
    code cannot be used twice at once), refusing while the device is throttled."""
    allowed, details = device.verify_is_allowed()
    if not allowed:
        locked_until = details.get("locked_until") if details else None
        wait = (locked_until - timezone.now()).total_seconds() if locked_until else 1
        raise TooManyAttempts(max(1, round(wait + 0.5)))
    return django_otp.verify_token(user, device.persistent_id, normalise(token))


def verify(request, token):
    """The second step of a login: a six-digit code from the app, or one recovery code (used up).

    Returns the device that accepted it, or None. The shape of what was typed picks the device,
    so a mistyped app code never counts against the recovery codes, nor the reverse."""
    user = request.user
    typed = normalise(token)
    if re.fullmatch(r"\d{6}", typed):
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    device = devices.order_by("pk").first()
    if device is None:
        return None
    verified = verify_device(user, device, typed)
    if verified is not None:
        django_otp.login(request, verified)
    return verified


# ---------------------------------------------------------------------------------------------
# Turning it off
# ---------------------------------------------------------------------------------------------


def remove_second_factor(user):
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def reset(user, by):
    """An admin's reset for someone who lost her phone and her codes: the devices go, the reset
    is in the audit trail, and (staff) the next admin page asks her to enrol again."""
    with transaction.atomic():
        remove_second_factor(user)
        log(instance=user, action=RESET, user=by)


def turn_off(device):
    """An employer turning her optional second factor off, with the device that took her code."""
    user = device.user  # the model instance: request.user is a lazy wrapper the audit log skips
    with transaction.atomic():
        remove_second_factor(user)
        log(instance=user, action=TURNED_OFF, user=user)
