"""What anyone needs to check a credential without asking us per certificate, on the neutral host:
the issuer's keys (its did:web document), the revocation list, and a verifier page that works
offline once loaded (skills/credentials.py says what is signed and how)."""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from skills import credentials

# Anyone may fetch these from any origin: a verifier runs on someone else's page or server.
# Plain GETs need no preflight, so the methods named are the ones answered: GET and HEAD.
PUBLIC_READ = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, HEAD"}
# Verifiers may keep a copy briefly; a revocation is public within five minutes.
SHORT_CACHE = "public, max-age=300"


def public_read(response):
    for header, value in PUBLIC_READ.items():
        response[header] = value
    response["Cache-Control"] = SHORT_CACHE
    return response


@require_safe
def did_document(request):
    response = JsonResponse(credentials.did_document(), content_type="application/did+json")
    return public_read(response)


@require_safe
def status_list(request, number):
    if not 1 <= number <= credentials.status_list_count():
        raise Http404
    response = HttpResponse(
        credentials.status_list_credential(number), content_type=credentials.JWT_MEDIA_TYPE
    )
    return public_read(response)


@require_GET
def offline_verifier(request):
    """A page that checks a token or credential file in the browser, against the keys embedded in
    it, and reads the revocation list when it can."""
    verifier_settings = {
        "keys": credentials.published_keys(),
        # The list of a token's entry: this address with {n} replaced by the list's number.
        "statusListUrl": reverse("credential_status_list", kwargs={"number": 1})[:-1] + "{n}",
        "statusListSize": credentials.STATUS_LIST_SIZE,
    }
    verifier_text = {
        "valid": _("Valid: signed by the programme"),
        "invalid": _("Invalid: not signed by the programme, or changed since"),
        "revoked": _("This certificate has been revoked"),
        "notRevoked": _("Not revoked (checked just now)"),
        "statusUnknown": _("Revocation not checked: no connection. Check again when online."),
        "unsupported": _("This browser cannot check signatures. Use the verification page instead."),
    }
    return render(
        request,
        "neutral/verifier.html",
        {"verifier_settings": verifier_settings, "verifier_text": verifier_text},
    )
