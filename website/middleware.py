from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.core.cache import cache
from django.urls import reverse

from . import page_cache


class SakhiCSPMiddleware(CSPMiddleware):
    """The site's strict policy everywhere, widened only for Wagtail's admin, whose
    editor still relies on inline styles and scripts. Public pages stay strict."""

    admin_directives = {
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
    }

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(reverse("wagtailadmin_home")):
            parts.update = {**(parts.update or {}), **self.admin_directives}
        return parts


class PageCacheMiddleware:
    """Answers public pages from the page cache to visitors without a session, keeps what may be
    shared, and says in Cache-Control what a CDN may keep (the rules are in website/page_cache.py).

    Placed before the session middleware: a page served from the cache reads no session, user or
    database. Its headers (the CSP, Content-Language, X-Frame-Options) were kept with it; the CSP
    names no per-request nonce, so a kept page passes it as it did when rendered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = page_cache.public_path(request)
        tokens = None
        if path is not None and request.method == "GET" and page_cache.enabled():
            kept, tokens = page_cache.lookup(cache, path)
            if kept is not None:
                return kept
        response = self.get_response(request)
        shared = path is not None and page_cache.shareable(response)
        page_cache.set_cache_control(request, response, shared=shared)
        if shared and tokens is not None:
            page_cache.store(cache, path, tokens, response)
            response[page_cache.HIT_HEADER] = "miss"
        return response
