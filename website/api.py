"""The certificate check as JSON, for job portals and other programmes' systems.

The same facts as the verification page (skills.queries.check_certificate), under the same rate
limit: the page and the API count in one bucket per client address, so the API is no way around the
page's limit. Anyone may read it from any origin (read-only CORS, no credentials): a certificate
check carries no cookie and no session. Served on the neutral host with the verification pages."""

import datetime
from typing import Literal

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Status

from core.ratelimit import is_rate_limited
from skills import queries as tracker

from .views import VERIFY_LIMIT, VERIFY_SCOPE, VERIFY_WINDOW

api = NinjaAPI(
    title="Certificate check",
    version="1",
    description=(
        "Check a training certificate by the verification code printed on it. Answers the same "
        "facts as the verification page, in English or (lang=hi) in Hindi."
    ),
    urls_namespace="certificate_api",
    # The interactive docs page loads scripts from a third-party CDN: the schema alone is served.
    docs_url=None,
)

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Expose-Headers": "Retry-After",
    "Access-Control-Max-Age": "86400",
}


class CertificateFacts(Schema):
    status: str
    number: str
    name: str
    course: str
    issuer: str
    issued_on: datetime.date


class Problem(Schema):
    detail: str


def public_answer(response):
    """Readable from any origin, never cached: a revocation shows at the next check."""
    for header, value in CORS_HEADERS.items():
        response[header] = value
    response["Cache-Control"] = "no-store"
    return response


@api.api_operation(
    ["GET", "HEAD"],
    "/certificates/{code}",
    response={200: CertificateFacts, 404: Problem, 429: Problem},
    summary="Check a certificate",
    description=(
        "status is valid or revoked. name is the holder's first name and the initial of her "
        "surname, as the verification page shows it. 429 answers carry Retry-After (seconds)."
    ),
    url_name="certificate",
)
def check_certificate(request, code: str, response: HttpResponse, lang: Literal["en", "hi"] = "en"):
    public_answer(response)
    with translation.override(lang):
        if is_rate_limited(request, VERIFY_SCOPE, VERIFY_LIMIT, VERIFY_WINDOW):
            response["Retry-After"] = str(VERIFY_WINDOW)
            return Status(429, {"detail": _("Too many checks from this address. Try again in a minute.")})
        check = tracker.check_certificate(tracker.normalise_verification_code(code))
        if check is None:
            return Status(404, {"detail": _("No certificate has this code.")})
        return Status(200, check)


@api.api_operation(["OPTIONS"], "/certificates/{code}", include_in_schema=False)
def preflight(request, code: str):
    return public_answer(HttpResponse(status=204))
