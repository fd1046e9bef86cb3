"""The two-factor pages: enrol, give a code at login, see the recovery codes once; an admin's reset;
an employer's opt-in. The same views serve the Wagtail admin (staff) and the employer portal,
with each surface's templates and URL names."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_static.models import StaticDevice

from . import twofactor
from .forms import CodeForm, EnrolmentCodeForm

RECOVERY_CODES_SESSION_KEY = "two_factor_new_recovery_codes"


def too_many_message(error):
    return _("Too many wrong codes. Wait %(seconds)s seconds, then try again.") % {
        "seconds": error.wait_seconds
    }


class Surface:
    """Where a page lives: the admin for staff, the portal for employers."""

    home_url_name = "wagtailadmin_home"
    templates = "accounts/admin"
    recovery_url_name = "two_factor_recovery_codes"

    def issuer(self, request):
        return settings.WAGTAIL_SITE_NAME

    def template(self, name):
        return f"{self.templates}/{name}.html"

    def next_url(self, request):
        target = request.POST.get("next") or request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            return target
        return reverse(self.home_url_name)


class PortalSurface(Surface):
    home_url_name = "employer_home"
    templates = "accounts/portal"
    recovery_url_name = "employer_two_factor_recovery_codes"

    def issuer(self, request):
        # The host she logs in to, which is the programme's neutral one: never the centres' name.
        return urlsplit(getattr(settings, "SAKHI_NEUTRAL_BASE_URL", "")).hostname or request.get_host()


@method_decorator([never_cache, sensitive_post_parameters("code")], name="dispatch")
class EnrolView(Surface, View):
    """Scan the QR code (or type the key), confirm one code, get ten recovery codes."""

    def dispatch(self, request, *args, **kwargs):
        if twofactor.is_enrolled(request.user):
            return redirect(self.next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.page(request, EnrolmentCodeForm())

    def post(self, request):
        form = EnrolmentCodeForm(request.POST)
        if form.is_valid():
            device = twofactor.pending_authenticator(request.user)
            try:
                codes = twofactor.confirm_enrolment(request, device, form.cleaned_data["code"])
            except twofactor.TooManyAttempts as error:
                form.add_error("code", too_many_message(error))
            else:
                if codes is not None:
                    request.session[RECOVERY_CODES_SESSION_KEY] = codes
                    url = reverse(self.recovery_url_name)
                    return redirect(f"{url}?{request.GET.urlencode(safe='/')}" if request.GET else url)
                form.add_error(
                    "code",
                    _("That code is not right. Check the phone's clock and type the code it shows now."),
                )
        return self.page(request, form, status=400)

    def page(self, request, form, status=200):
        device = twofactor.pending_authenticator(request.user)
        uri = twofactor.otpauth_uri(device, self.issuer(request))
        context = {
            "form": form,
            "qr_svg": mark_safe(twofactor.qr_svg(uri)),  # noqa: S308 (our own SVG, no user text)
            "secret": twofactor.secret_text(device),
            "next": self.next_url(request),
        }
        return render(request, self.template("enrol"), context, status=status)


@method_decorator(never_cache, name="dispatch")
class RecoveryCodesView(Surface, View):
    """The new recovery codes, shown once: they are taken out of the session as they are shown."""

    def get(self, request):
        codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
        if not codes or not request.user.is_verified():
            return redirect(self.next_url(request))
        return render(
            request, self.template("recovery_codes"), {"codes": codes, "next": self.next_url(request)}
        )


@method_decorator([never_cache, sensitive_post_parameters("code")], name="dispatch")
class VerifyView(Surface, View):
    """The second step of the login: a code from the app, or a recovery code."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_verified() or not twofactor.is_enrolled(request.user):
            return redirect(self.next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.page(request, CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                device = twofactor.verify(request, form.cleaned_data["code"])
            except twofactor.TooManyAttempts as error:
                form.add_error("code", too_many_message(error))
            else:
                if device is not None:
                    if isinstance(device, StaticDevice):
                        messages.warning(
                            request,
                            _("You used a recovery code. %(count)s are left.")
                            % {"count": twofactor.recovery_codes_left(request.user)},
                        )
                    return redirect(self.next_url(request))
                form.add_error("code", _("That code is not right."))
        return self.page(request, form, status=400)

    def page(self, request, form, status=200):
        context = {"form": form, "next": self.next_url(request)}
        return render(request, self.template("verify"), context, status=status)


# ---------------------------------------------------------------------------------------------
# An admin's reset
# ---------------------------------------------------------------------------------------------


@never_cache
def reset(request, user_id):
    """A superuser removes someone's authenticator and recovery codes (audited)."""
    if not request.user.is_superuser:
        raise PermissionDenied
    person = get_object_or_404(get_user_model(), pk=user_id)
    if request.method == "POST":
        twofactor.reset(person, by=request.user)
        messages.success(
            request,
            _("Two-factor login of %(user)s is reset. They set it up again at their next login.")
            % {"user": person.get_username()},
        )
        return redirect("wagtailusers_users:index")
    return render(
        request,
        "accounts/admin/reset.html",
        {"person": person, "enrolled": twofactor.is_enrolled(person)},
    )


# ---------------------------------------------------------------------------------------------
# Employers: optional
# ---------------------------------------------------------------------------------------------


def employer_only(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if twofactor.is_staff_user(request.user):
        raise PermissionDenied  # staff manage their second factor in the admin
    return None


@method_decorator([never_cache, sensitive_post_parameters("code")], name="dispatch")
class EmployerSettingsView(PortalSurface, EnrolView):
    """The portal's "Two-step login" page: turn it on (the enrolment) or, with a code, off."""

    def dispatch(self, request, *args, **kwargs):
        refused = employer_only(request)
        if refused:
            return refused
        if twofactor.is_enrolled(request.user):
            return self.enrolled(request)
        return View.dispatch(self, request, *args, **kwargs)

    def next_url(self, request):
        return reverse("employer_profile")

    def enrolled(self, request):
        form = CodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                device = twofactor.verify(request, form.cleaned_data["code"])
            except twofactor.TooManyAttempts as error:
                form.add_error("code", too_many_message(error))
            else:
                if device is not None:
                    twofactor.turn_off(device)
                    messages.success(request, _("Two-step login is off."))
                    return redirect("employer_profile")
                form.add_error("code", _("That code is not right."))
        context = {"form": form, "codes_left": twofactor.recovery_codes_left(request.user)}
        return render(request, "accounts/portal/settings.html", context, status=400 if form.errors else 200)


@method_decorator(never_cache, name="dispatch")
class EmployerRecoveryCodesView(PortalSurface, RecoveryCodesView):
    def next_url(self, request):
        return reverse("employer_profile")


class EmployerVerifyView(PortalSurface, VerifyView):
    def dispatch(self, request, *args, **kwargs):
        return employer_only(request) or super().dispatch(request, *args, **kwargs)
