from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.urls import Resolver404, resolve, reverse
from django_otp.middleware import OTPMiddleware

from . import twofactor

# What a session that still owes its second factor may open: the pages that collect it, and the
# ways out. Everything else waits for the code.
OPEN_BEFORE_SECOND_FACTOR = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "two_factor_enrol",
    "two_factor_verify",
    "two_factor_recovery_codes",
    "employer_logout",
    "employer_two_factor_verify",
}


def url_name(request):
    try:
        return resolve(request.path_info).url_name or ""
    except Resolver404:
        return ""


class TwoFactorMiddleware(OTPMiddleware):
    """django-otp's middleware (request.user.otp_device says which device verified this session),
    then one rule for every door: a session that owes a second factor is sent to give it in the
    admin (or to enrol, for staff without an authenticator) and in the employer portal; anywhere
    else it is anonymous, so no other view, download or export ever sees a half-logged-in user."""

    sync_capable = True
    async_capable = False

    def __call__(self, request):
        self._install_lazy_accessors(request)
        return self.hold_back(request) or self.get_response(request)

    def hold_back(self, request):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        name = url_name(request)
        if name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        enrolled = twofactor.is_enrolled(user)
        if not (enrolled or twofactor.must_enrol(user)):
            return None
        if request.path_info.startswith(reverse("wagtailadmin_home")) and twofactor.is_staff_user(user):
            step = "two_factor_verify" if enrolled else "two_factor_enrol"
            return redirect_to_login(request.get_full_path(), reverse(step))
        if name.startswith("employer_") and enrolled:
            return redirect_to_login(request.get_full_path(), reverse("employer_two_factor_verify"))
        request.user = AnonymousUser()
        return None
