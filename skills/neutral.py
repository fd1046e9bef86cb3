"""The neutral face of the programme: what people outside the centres see.

A woman shows her certificate to employers, landlords and relatives. Nothing they can reach from it
(the printed address, the QR code, the verification pages, the employer portal and its e-mails) may
tell them that she was helped by a centre for women facing violence. They see a skills programme
under its own name, on its own host: ``SAKHI_NEUTRAL_BASE_URL``."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

# The issuer printed on every certificate, in both languages at once (the PDF is bilingual).
PROGRAMME_NAME_EN = "Skill Development Programme"
PROGRAMME_NAME_HI = "कौशल विकास कार्यक्रम"


class NeutralHostNotConfigured(ImproperlyConfigured):
    pass


def programme_name(language=None):
    """The programme's name in the given (or the active) language."""
    return PROGRAMME_NAME_HI if (language or get_language()) == "hi" else PROGRAMME_NAME_EN


def issuer_name(district, language=None):
    """The neutral issuer: the programme and the district, as printed on the certificate."""
    return f"{programme_name(language)}, {district}"


def neutral_base_url():
    """The neutral host's base URL, without a trailing slash. Production has no default: a
    certificate printed with a guessed address would carry the wrong one for ever."""
    url = getattr(settings, "SAKHI_NEUTRAL_BASE_URL", "")
    if not url:
        raise NeutralHostNotConfigured(
            "Set SAKHI_NEUTRAL_BASE_URL to the programme's neutral address (for example "
            "https://skills-programme.example) before issuing certificates."
        )
    return url.rstrip("/")


def neutral_url(path):
    """An absolute URL on the neutral host for a path of this site (``reverse()``'s result)."""
    return neutral_base_url() + path


def neutral_host():
    """The neutral host name (with port, lower case), or "" when none is configured."""
    return urlsplit(getattr(settings, "SAKHI_NEUTRAL_BASE_URL", "") or "").netloc.lower()
