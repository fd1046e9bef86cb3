import unicodedata

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page

from core.pagination import paginate
from core.ratelimit import is_rate_limited
from skills import queries as tracker

SEARCH_RESULTS_PER_PAGE = 10


SEARCH_MAX_TERMS = 12


def search_terms(query):
    """The words of what a visitor typed, for the search backend: letters (with the marks that
    Hindi vowels and conjuncts are made of) and digits, one space between words. Everything else
    goes: quotes, brackets, `*`, `-`, `:` and NUL have meanings in SQLite's FTS5 MATCH and in
    PostgreSQL's tsquery, or are refused there, and a visitor means none of them."""
    kept = "".join(character if unicodedata.category(character)[0] in "LMN" else " " for character in query)
    return " ".join(kept.split()[:SEARCH_MAX_TERMS])


@require_GET
def search(request):
    """Search the live pages of the visitor's language."""
    query = request.GET.get("q", "").strip()[:200]
    results = None
    terms = search_terms(query)
    if query:
        pages = Page.objects.live().public().filter(locale=Locale.get_active()).specific()
        found = pages.search(terms) if terms else pages.none()
        results = paginate(request, found, SEARCH_RESULTS_PER_PAGE)
    return render(request, "search/search.html", {"query": query, "results": results})


@require_GET
def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain")


VERIFY_LIMIT = 20  # checks per client address …
VERIFY_WINDOW = 60  # … per minute
VERIFY_SCOPE = "verify"  # one bucket for the page and the JSON API (website/api.py)


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=40)


@never_cache
@require_GET
def verify_certificate(request, code=None):
    """Check a certificate by its code: valid, revoked or not found, same page shape for all."""
    if is_rate_limited(request, VERIFY_SCOPE, VERIFY_LIMIT, VERIFY_WINDOW):
        response = render(
            request, "website/certificate_verify.html", {"form": VerifyForm(), "limited": True}, status=429
        )
        response["Retry-After"] = str(VERIFY_WINDOW)
        return response
    if code is None and "code" in request.GET:
        form = VerifyForm(request.GET)
        if form.is_valid():
            return redirect(
                "certificate_verify_code",
                code=tracker.normalise_verification_code(form.cleaned_data["code"]) or "-",
            )
    else:
        form = VerifyForm(initial={"code": code or ""})
    check = None
    if code is not None:
        check = tracker.check_certificate(tracker.normalise_verification_code(code))
    return render(
        request,
        "website/certificate_verify.html",
        {"form": form, "code": code, "checked": code is not None, "check": check},
    )
