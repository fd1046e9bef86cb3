"""The page a locked-out login gets (django-axes' AXES_LOCKOUT_CALLABLE): how long the pause lasts
and how to get back in sooner, by the door she used."""

import math

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    match = getattr(request, "resolver_match", None)
    return render(
        request,
        "includes/locked_out.html",
        {
            "failure_limit": get_failure_limit(request, credentials),
            "minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else None,
            # Employers can end the pause themselves: a password reset clears it.
            "employer": match is not None and match.url_name == "employer_login",
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
