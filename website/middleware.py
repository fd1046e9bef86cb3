from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.urls import reverse


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
