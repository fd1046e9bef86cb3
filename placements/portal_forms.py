"""Forms of the employer portal: registration (with its bot checks), login, password reset,
the organisation profile, vacancies and candidates' status."""

import re
import time

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordMixin, UsernameField
from django.contrib.auth.models import Group
from django.core import signing
from django.core.validators import MinValueValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import CleanTextMixin
from skills import roles
from skills.models import Trade

from .models import Employer, EmployerAccount, Nomination, Vacancy

# Registration is refused, quietly, when the hidden field is filled in or the form comes back
# sooner than a person could fill it in (robots post at once; people take far longer).
HONEYPOT_FIELD = "extra_info"
MIN_SECONDS_TO_FILL = 3
MAX_SECONDS_TO_FILL = 24 * 60 * 60
STARTED_SALT = "placements.registration-started"


def started_token(at=None):
    """A signed note of when the registration form was shown."""
    return signing.Signer(salt=STARTED_SALT).sign(str(int(time.time() if at is None else at)))


class BotCheck:
    HUMAN = "human"
    BOT = "bot"  # the hidden field is filled in, or the time note is missing or forged
    TOO_QUICK = "too_quick"
    TOO_OLD = "too_old"


PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 \-]{6,18}[0-9]$")


def clean_phone(value):
    value = " ".join(value.split())
    if not PHONE_PATTERN.match(value):
        raise forms.ValidationError(
            _("Enter a phone number of digits, for example 0522 2345678 or 98765 43210.")
        )
    return value


class RegistrationForm(CleanTextMixin, SetPasswordMixin, forms.Form):
    """An organisation asks to hire trained women; a coordinator approves it later."""

    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=160,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    sector = forms.CharField(
        label=_("Sector"),
        max_length=80,
        help_text=_("For example apparel, retail, hospitality or food processing."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    district = forms.CharField(
        label=_("District"),
        max_length=80,
        help_text=_("Where the jobs are."),
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    contact_person = forms.CharField(
        label=_("Contact person"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=150,
        help_text=_("You log in with this address. We send a link to it to confirm it is yours."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"})
    )
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Password"), label2=_("Password again")
    )
    extra_info = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = _(
            "At least 10 characters. Not a common password, not only digits, and not like your e-mail "
            "address or name."
        )
        self.fields["password2"].help_text = _("Type the same password again.")
        if not self.is_bound:
            self.initial["started"] = started_token()

    @property
    def honeypot(self):
        return self[HONEYPOT_FIELD]

    @property
    def visible_fields_for_people(self):
        return [field for field in self.visible_fields() if field.name != HONEYPOT_FIELD]

    def bot_check(self, now=None):
        """HUMAN, BOT (refuse quietly), TOO_QUICK or TOO_OLD (show the form again)."""
        if self.data.get(HONEYPOT_FIELD, ""):
            return BotCheck.BOT
        try:
            started = int(signing.Signer(salt=STARTED_SALT).unsign(self.data.get("started", "")))
        except (signing.BadSignature, ValueError):
            return BotCheck.BOT
        seconds = (time.time() if now is None else now) - started
        if seconds < MIN_SECONDS_TO_FILL:
            return BotCheck.TOO_QUICK
        if seconds > MAX_SECONDS_TO_FILL:
            return BotCheck.TOO_OLD
        return BotCheck.HUMAN

    def restart_clock(self):
        self.data = self.data.copy()
        self.data["started"] = started_token()

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def prospective_user(self):
        data = self.cleaned_data
        email = data.get("email", "")
        return get_user_model()(username=email, email=email, first_name=data.get("contact_person", "")[:150])

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords()
        self.validate_password_for_user(self.prospective_user(), password_field_name="password1")  # noqa: S106 - a field name
        return cleaned

    def save(self):
        """The login, the employer (pending approval) and the account that links them."""
        data = self.cleaned_data
        with transaction.atomic():
            user = self.set_password_and_save(self.prospective_user())
            user.groups.add(Group.objects.get(name=roles.EMPLOYERS))
            employer = Employer.objects.create(
                organisation=data["organisation"],
                sector=data["sector"],
                district=data["district"],
                contact_person=data["contact_person"],
                email=data["email"],
                phone=data["phone"],
                status=Employer.Status.PENDING,
            )
            return EmployerAccount.objects.create(user=user, employer=employer)


class EmployerLoginForm(AuthenticationForm):
    username = UsernameField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That e-mail address and password do not match an account. Check them and try again."
        ),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class EmployerPasswordResetForm(PasswordResetForm):
    """Password reset for employer logins only; staff reset theirs in the Wagtail admin."""

    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def get_users(self, email):
        return (
            user for user in super().get_users(email) if EmployerAccount.objects.filter(user=user).exists()
        )


class EmployerProfileForm(CleanTextMixin, forms.ModelForm):
    """What an employer may change itself; the organisation's name and place go through a coordinator."""

    class Meta:
        model = Employer
        fields = ["contact_person", "phone"]
        widgets = {
            "contact_person": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])


class TradeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.localized_name


class VacancyForm(CleanTextMixin, forms.ModelForm):
    trades = TradeChoiceField(
        label=_("Trades"),
        queryset=Trade.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The training that suits the job; coordinators nominate women trained in these trades."),
    )

    class Meta:
        model = Vacancy
        fields = [
            "title",
            "trades",
            "description",
            "district",
            "openings",
            "pay_min",
            "pay_max",
            "job_type",
            "closing_date",
        ]
        widgets = {
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "district": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "openings": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "pay_min": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "pay_max": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "closing_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "description": _(
                "The work, the hours, the place, and what the job offers (transport, meals, hostel)."
            ),
            "pay_min": _("In rupees a month."),
            "pay_max": _("In rupees a month; the same as the lowest pay if the pay is fixed."),
            "closing_date": _("The last day on which the vacancy is shown."),
        }

    def __init__(self, *args, employer, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.employer = employer
        if not self.instance.pk:
            self.initial.setdefault("district", employer.district)
        for name in ("openings", "pay_min", "pay_max"):
            self.fields[name].validators.append(MinValueValidator(1))
            self.fields[name].widget.attrs["min"] = 1

    def clean_closing_date(self):
        closing_date = self.cleaned_data["closing_date"]
        if closing_date < timezone.localdate():
            raise forms.ValidationError(_("The closing date is in the past; choose today or a later day."))
        return closing_date

    def clean(self):
        cleaned = super().clean()
        pay_min, pay_max = cleaned.get("pay_min"), cleaned.get("pay_max")
        if pay_min is not None and pay_max is not None and pay_max < pay_min:
            self.add_error(
                "pay_max",
                _("The highest pay cannot be less than the lowest pay (₹%(pay_min)s).")
                % {"pay_min": pay_min},
            )
        return cleaned


class NominationStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(status.value, status.label) for status in Nomination.EMPLOYER_STATUSES],
    )
