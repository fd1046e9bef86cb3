"""Serving the programme's neutral face (see skills/neutral.py for why it exists).

The verification pages and the employer portal always use the neutral templates, on any host. On
the neutral host itself (``SAKHI_NEUTRAL_BASE_URL``, when it differs from the site's own address)
nothing else answers: every other path is a neutral 404, so no link, page or error there names the
centres or what they do."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import DisallowedHost
from django.http import Http404, HttpResponseRedirect
from django.views import defaults
from wagtail.views import serve as wagtail_serve

from skills.neutral import neutral_host, neutral_url, programme_name

from . import chrome

NEUTRAL_BASE_TEMPLATE = "neutral/base.html"

# What the neutral host serves: the verification pages and the employer portal (after an optional
# language prefix), and the machine-readable checks (website/api.py, website/credential_views.py).
# Static files are served by WhiteNoise before any middleware runs; they are listed for `make run`'s
# static view.
NEUTRAL_PATHS = re.compile(
    r"^/(?:(?:(?:{languages})/)?(?:certificates/verify/|employers/)"
    r"|api/v1/(?:certificates/|openapi\.json$)"
    r"|\.well-known/did\.json$"
    r"|credentials/status/)".format(languages="|".join(re.escape(code) for code, _name in settings.LANGUAGES))
)
# Answered on every host: the stylesheets, and the health checks a load balancer sends to each.
ASSET_PATHS = ("/static/", "/healthz", "/readyz")


def is_neutral_path(path):
    return bool(NEUTRAL_PATHS.match(path))


def site_host():
    return (urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "").lower()


def separate_neutral_host():
    """The neutral host name when it is a host of its own, else None (`make run`, tests)."""
    neutral = urlsplit("//" + neutral_host()).hostname if neutral_host() else None
    return neutral if neutral and neutral != site_host() else None


def on_neutral_host(request):
    """Whether this request came to the neutral host (not merely to a neutral path)."""
    neutral = separate_neutral_host()
    if not neutral:
        return False
    try:
        host = request.get_host()
    except DisallowedHost:
        return False
    return urlsplit("//" + host).hostname == neutral


def is_neutral_request(request):
    return is_neutral_path(request.path_info) or on_neutral_host(request)


class NeutralHostMiddleware:
    """On the neutral host, answer only the neutral paths. On the site's own host, send visitors of
    the neutral paths (employers following the site's footer) to the neutral host, so that their
    portal session, bookmarks and e-mails all live there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if on_neutral_host(request):
            if not (is_neutral_path(path) or path.startswith(ASSET_PATHS)):
                raise Http404("Not served on the neutral host.")
        elif separate_neutral_host() and is_neutral_path(path) and request.method in ("GET", "HEAD"):
            return HttpResponseRedirect(neutral_url(request.get_full_path()))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_serve:
            # The site and the page a path names, as Wagtail's serve view would find them with queries,
            # from the cache (website/chrome.py).
            chrome.route_for_request(request, view_kwargs.get("path", view_args[0] if view_args else ""))


def surface(request):
    """Template context: which base template a page extends, and the programme's name."""
    neutral = is_neutral_request(request)
    return {
        "base_template": NEUTRAL_BASE_TEMPLATE if neutral else "base.html",
        "neutral_surface": neutral,
        "programme_name": programme_name(),
    }


def page_not_found(request, exception):
    template = "neutral/404.html" if is_neutral_request(request) else "404.html"
    return defaults.page_not_found(request, exception, template_name=template)


def server_error(request):
    template = "neutral/500.html" if is_neutral_request(request) else "500.html"
    return defaults.server_error(request, template_name=template)


@checks.register(checks.Tags.security, deploy=True)
def check_neutral_base_url(app_configs, **kwargs):
    if getattr(settings, "SAKHI_NEUTRAL_BASE_URL", ""):
        return []
    # Information, not a warning: a site may run for months before its first certificate, and
    # issuing is refused (skills.certificates.require_neutral_address) until the address is set.
    return [
        checks.Info(
            "SAKHI_NEUTRAL_BASE_URL is not set: certificates cannot be issued.",
            hint="Set it to the programme's neutral address, e.g. https://skills-programme.example.",
            id="sakhi.I001",
        )
    ]
