"""The employer portal at /employers/: registration, login, the organisation, its vacancies and
the candidates nominated to them.

Employers are outsiders. Every portal page goes through employer_required, and every record is
looked up in the employer's own querysets, so another employer's ids are simply not found."""

from collections import Counter
from functools import wraps

from axes.utils import reset as reset_failed_logins
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from core.ratelimit import is_rate_limited
from skills.neutral import neutral_base_url, programme_name

from . import emails, services
from .candidates import candidate_profiles
from .models import Employer, EmployerAccount, Nomination, Vacancy
from .portal_forms import (
    BotCheck,
    EmployerLoginForm,
    EmployerPasswordResetForm,
    EmployerProfileForm,
    NominationStatusForm,
    RegistrationForm,
    VacancyForm,
)

EDITABLE = (Vacancy.Status.DRAFT, Vacancy.Status.REJECTED)
STATUS_CHOICES = NominationStatusForm.base_fields["status"].choices
RESEND_INTERVAL = 60  # seconds between two confirmation e-mails to the same account


# ---------------------------------------------------------------------------------------------
# Who may use the portal: one rule, one place
# ---------------------------------------------------------------------------------------------


def employer_account_of(user):
    if not user.is_authenticated:
        return None
    return EmployerAccount.objects.select_related("employer").filter(user=user).first()


def employer_required(view):
    """Logged in, with an employer account, a confirmed e-mail address and an approved employer.

    Sets request.employer. Unconfirmed, pending and suspended employers see a page that says so
    (with none of the portal's data); logins without an employer account (staff) are refused."""

    @wraps(view)
    @never_cache
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        account = employer_account_of(request.user)
        if account is None:
            raise PermissionDenied
        employer = account.employer
        if account.email_verified_at is None:
            return render(
                request, "placements/portal/status_unverified.html", {"account": account}, status=403
            )
        if employer.status == Employer.Status.SUSPENDED:
            return render(request, "placements/portal/status_suspended.html", status=403)
        if employer.status != Employer.Status.APPROVED:
            return render(
                request, "placements/portal/status_pending.html", {"employer": employer}, status=403
            )
        request.employer_account, request.employer = account, employer
        return view(request, *args, **kwargs)

    return wrapper


def own_vacancies(request):
    return Vacancy.objects.filter(employer=request.employer)


def own_nominations(request):
    return Nomination.objects.visible_to_employer(request.employer)


# Each form sends an e-mail: per client address and hour, so that nobody can use the portal to
# flood an inbox or try addresses in bulk (django-axes guards the login form itself).
REGISTER_LIMIT = 10
PASSWORD_RESET_LIMIT = 5
LIMIT_WINDOW = 60 * 60


def too_many(request, template_name, form):
    """The form again, with what was typed and why it was not sent (429, try again in an hour)."""
    form.is_valid()  # bound and cleaned, so the page shows what was typed
    form.add_error(
        None,
        _("Too many requests came from your network in the last hour. Please try again in an hour."),
    )
    response = render(request, template_name, {"form": form}, status=429)
    response["Retry-After"] = str(LIMIT_WINDOW)
    return response


def safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


# ---------------------------------------------------------------------------------------------
# Registration and e-mail confirmation
# ---------------------------------------------------------------------------------------------


@never_cache
@sensitive_post_parameters("password1", "password2")
def register(request):
    if request.method != "POST":
        return render(request, "placements/portal/register.html", {"form": RegistrationForm()})
    form = RegistrationForm(request.POST)
    if is_rate_limited(request, "employer-register", REGISTER_LIMIT, LIMIT_WINDOW):
        return too_many(request, "placements/portal/register.html", form)
    check = form.bot_check()
    if check == BotCheck.BOT:
        # Refused quietly: a robot learns nothing from the answer.
        return redirect("employer_register_done")
    if form.is_valid() and check == BotCheck.HUMAN:
        register_or_notify(request, form)
        return redirect("employer_register_done")
    if check == BotCheck.TOO_QUICK:
        form.add_error(None, _("Please check your details and send the form again."))
    elif check == BotCheck.TOO_OLD:
        form.add_error(
            None, _("The form was open for a long time. Please check your details and send it again.")
        )
        form.restart_clock()
    return render(request, "placements/portal/register.html", {"form": form})


def register_or_notify(request, form):
    """Register a new address; for an address that already has a login, e-mail its owner instead.

    The page after the form is the same either way, so it never tells who is registered."""
    email = form.cleaned_data["email"]
    existing = (
        get_user_model()
        .objects.filter(Q(username__iexact=email) | Q(email__iexact=email))
        .select_related("employer_account")
        .first()
    )
    if existing is None:
        try:
            account = form.save()
        except IntegrityError:  # registered by a simultaneous request
            emails.send_already_registered_email(request, email)
        else:
            emails.send_verification_email(request, account)
        return
    account = getattr(existing, "employer_account", None)
    if account is not None and account.email_verified_at is None:
        emails.send_verification_email(request, account)
    else:
        emails.send_already_registered_email(request, email)


@never_cache
def register_done(request):
    return render(request, "placements/portal/register_done.html")


@never_cache
def verify_email(request, token):
    """The link in the confirmation e-mail: a button confirms, so that mail scanners opening
    the link do not use it up."""
    account = emails.account_for_verification_token(token)
    if account is None:
        return render(request, "placements/portal/verify_email_invalid.html", status=400)
    if request.method == "POST":
        account.email_verified_at = timezone.now()
        account.save(update_fields=["email_verified_at"])
        messages.success(request, _("Thank you: your e-mail address is confirmed."))
        if request.user == account.user:
            return redirect("employer_home")
        return redirect("employer_login")
    return render(request, "placements/portal/verify_email.html", {"employer": account.employer})


@never_cache
@require_POST
@login_required
def resend_verification(request):
    account = employer_account_of(request.user)
    if account is None:
        raise PermissionDenied
    if account.email_verified_at is None and cache.add(
        f"employer-verify-resend:{account.pk}", 1, RESEND_INTERVAL
    ):
        emails.send_verification_email(request, account)
    messages.success(request, _("We have sent a new link to %(email)s.") % {"email": request.user.email})
    return redirect("employer_home")


# ---------------------------------------------------------------------------------------------
# Login, logout, password reset (Django's views, the portal's templates)
# ---------------------------------------------------------------------------------------------


class EmployerLoginView(auth_views.LoginView):
    template_name = "placements/portal/login.html"
    authentication_form = EmployerLoginForm
    next_page = reverse_lazy("employer_home")


class EmployerLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("employer_login")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have logged out."))
        return response


class EmployerPasswordResetView(auth_views.PasswordResetView):
    template_name = "placements/portal/password_reset_form.html"
    form_class = EmployerPasswordResetForm
    email_template_name = "placements/emails/password_reset.txt"
    subject_template_name = "placements/emails/password_reset_subject.txt"
    success_url = reverse_lazy("employer_password_reset_done")

    def form_valid(self, form):
        # The link and the sender are the programme's neutral ones, whichever host was used.
        self.from_email = settings.SAKHI_NEUTRAL_FROM_EMAIL
        self.extra_email_context = {"base_url": neutral_base_url(), "programme": programme_name()}
        return super().form_valid(form)

    def post(self, request, *args, **kwargs):
        if is_rate_limited(request, "employer-password-reset", PASSWORD_RESET_LIMIT, LIMIT_WINDOW):
            return too_many(request, self.template_name, self.get_form())
        return super().post(request, *args, **kwargs)


class EmployerPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "placements/portal/password_reset_done.html"


class EmployerPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "placements/portal/password_reset_confirm.html"
    success_url = reverse_lazy("employer_password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The reset link proves the address is hers, and a new password ends an earlier lockout.
        EmployerAccount.objects.filter(user=self.user, email_verified_at__isnull=True).update(
            email_verified_at=timezone.now()
        )
        reset_failed_logins(username=self.user.get_username())
        return response


class EmployerPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "placements/portal/password_reset_complete.html"


# ---------------------------------------------------------------------------------------------
# The portal
# ---------------------------------------------------------------------------------------------


@employer_required
def home(request):
    vacancies = list(own_vacancies(request).order_by("-created_at", "-pk"))
    candidates = Counter(own_nominations(request).values_list("vacancy_id", flat=True))
    for vacancy in vacancies:
        vacancy.candidate_count = candidates[vacancy.pk]
    return render(request, "placements/portal/home.html", {"vacancies": vacancies})


@employer_required
def profile(request):
    employer = request.employer
    form = EmployerProfileForm(request.POST or None, instance=employer)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your contact details are saved."))
        return redirect("employer_profile")
    return render(request, "placements/portal/profile.html", {"employer": employer, "form": form})


@employer_required
def vacancy_add(request):
    form = VacancyForm(request.POST or None, employer=request.employer)
    if request.method == "POST" and form.is_valid():
        vacancy = form.save()
        messages.success(request, _("Saved as a draft. Submit it for approval when it is ready."))
        return redirect("employer_vacancy", pk=vacancy.pk)
    return render(request, "placements/portal/vacancy_form.html", {"form": form})


@employer_required
def vacancy_detail(request, pk):
    vacancy = get_object_or_404(own_vacancies(request).prefetch_related("trades"), pk=pk)
    candidates = candidate_profiles(own_nominations(request).filter(vacancy=vacancy))
    return render(
        request,
        "placements/portal/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "candidates": candidates,
            "editable": vacancy.status in EDITABLE,
            "closable": vacancy.status != Vacancy.Status.CLOSED,
            "status_choices": STATUS_CHOICES,
        },
    )


@employer_required
def vacancy_edit(request, pk):
    vacancy = get_object_or_404(own_vacancies(request), pk=pk)
    if vacancy.status not in EDITABLE:
        messages.error(
            request, _("A vacancy can be changed only while it is a draft or after it was sent back.")
        )
        return redirect("employer_vacancy", pk=vacancy.pk)
    form = VacancyForm(request.POST or None, instance=vacancy, employer=request.employer)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your changes are saved."))
        return redirect("employer_vacancy", pk=vacancy.pk)
    return render(request, "placements/portal/vacancy_form.html", {"form": form, "vacancy": vacancy})


@employer_required
def vacancy_submit(request, pk):
    vacancy = get_object_or_404(own_vacancies(request), pk=pk)
    if request.method == "POST":
        try:
            services.submit_vacancy(vacancy)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Submitted. A coordinator will check the vacancy before it is published.")
            )
        return redirect("employer_vacancy", pk=vacancy.pk)
    return render(
        request,
        "placements/portal/vacancy_confirm.html",
        {"vacancy": vacancy, "action": "submit", "allowed": vacancy.status in EDITABLE},
    )


@employer_required
def vacancy_close(request, pk):
    vacancy = get_object_or_404(own_vacancies(request), pk=pk)
    allowed = vacancy.status != Vacancy.Status.CLOSED
    if request.method == "POST":
        if allowed:
            services.close_vacancy(vacancy)
            messages.success(request, _("The vacancy is closed and no longer shown."))
        return redirect("employer_vacancy", pk=vacancy.pk)
    return render(
        request,
        "placements/portal/vacancy_confirm.html",
        {"vacancy": vacancy, "action": "close", "allowed": allowed},
    )


@employer_required
def candidates(request):
    nominations = own_nominations(request).order_by(
        "vacancy__closing_date", "vacancy__title", "vacancy_id", "-nominated_at"
    )
    return render(
        request,
        "placements/portal/candidates.html",
        {"candidates": candidate_profiles(nominations), "status_choices": STATUS_CHOICES},
    )


@employer_required
def candidate_status(request, pk):
    nomination = get_object_or_404(own_nominations(request), pk=pk)
    form = NominationStatusForm(request.POST or None, initial={"status": nomination.status})
    if request.method == "POST" and form.is_valid():
        services.update_nomination_by_employer(
            nomination, form.cleaned_data["status"], employer=request.employer, user=request.user
        )
        messages.success(
            request, _("Status updated to “%(status)s”.") % {"status": nomination.get_status_display()}
        )
        return redirect(safe_next(request, reverse("employer_candidates")))
    (candidate,) = candidate_profiles(own_nominations(request).filter(pk=nomination.pk))
    return render(
        request,
        "placements/portal/candidate_status.html",
        {"candidate": candidate, "form": form, "next": safe_next(request, "")},
    )
